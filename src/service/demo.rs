//! A small believable demo data set (`--demo`): the units of a ward People's Committee and staff
//! of every role. Loaded once; later starts leave it alone.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, EntityTrait, TransactionTrait};

use crate::{
    app::AppState,
    auth::Role,
    entity::{agency, setting, unit, user},
    error::{AppError, AppResult},
};

/// The password of every demo account (documented in the README; demo data only).
pub const DEMO_PASSWORD: &str = "tiepdan-demo";

const UNITS: [(&str, &str); 4] = [
    ("Văn phòng HĐND và UBND", "VP"),
    ("Thanh tra phường", "TTr"),
    ("Phòng Kinh tế, Hạ tầng và Đô thị", "KT"),
    ("Phòng Văn hóa - Xã hội", "VHXH"),
];

/// (username, full name, role, unit code)
const STAFF: [(&str, &str, Role, Option<&str>); 8] = [
    ("chutich", "Nguyễn Văn Hùng", Role::Chairman, None),
    ("truongtt", "Trần Thị Mai", Role::UnitHead, Some("TTr")),
    ("truongkt", "Lê Quang Vinh", Role::UnitHead, Some("KT")),
    ("thanhtra1", "Phạm Minh Đức", Role::Inspector, Some("TTr")),
    ("thanhtra2", "Hoàng Thị Lan", Role::Inspector, Some("TTr")),
    ("chuyenvien.kt", "Đỗ Văn Nam", Role::Inspector, Some("KT")),
    ("tiepdan1", "Vũ Thị Hạnh", Role::Receptionist, Some("VP")),
    ("tiepdan2", "Bùi Văn Toàn", Role::Receptionist, Some("VP")),
];

/// Loads the demo data unless already there; true when it was loaded now.
pub async fn load(state: &AppState, now: DateTime<Utc>) -> AppResult<bool> {
    let db = &state.db.writer;
    if setting::Entity::find_by_id("demo_loaded".to_owned()).one(db).await?.is_some() {
        return Ok(false);
    }
    let Some(agency) = agency::Entity::find().one(db).await? else {
        return Err(AppError::internal("no agency to load demo data into"));
    };
    let hash = state.passwords.hash(DEMO_PASSWORD).await?;
    let txn = db.begin().await?;
    let mut unit_ids = std::collections::HashMap::new();
    for (name, code) in UNITS {
        let id = unit::Entity::insert(unit::ActiveModel {
            agency_id: Set(agency.id),
            name: Set(name.to_owned()),
            code: Set(code.to_owned()),
            created_at: Set(now),
            ..Default::default()
        })
        .exec(&txn)
        .await?
        .last_insert_id;
        unit_ids.insert(code, id);
    }
    for (username, full_name, role, unit_code) in STAFF {
        user::Entity::insert(user::ActiveModel {
            username: Set(username.to_owned()),
            password_hash: Set(hash.clone()),
            full_name: Set(full_name.to_owned()),
            role: Set(role.as_str().to_owned()),
            agency_id: Set(Some(agency.id)),
            unit_id: Set(unit_code.and_then(|c| unit_ids.get(c).copied())),
            phone: Set(None),
            email: Set(None),
            active: Set(true),
            token_version: Set(0),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .exec(&txn)
        .await?;
    }
    user::Entity::insert(user::ActiveModel {
        username: Set("congdan".to_owned()),
        password_hash: Set(hash.clone()),
        full_name: Set("Nguyễn Thị Hoa".to_owned()),
        role: Set(Role::Citizen.as_str().to_owned()),
        agency_id: Set(None),
        unit_id: Set(None),
        phone: Set(Some("0912 345 678".to_owned())),
        email: Set(None),
        active: Set(true),
        token_version: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    setting::Entity::insert(setting::ActiveModel {
        key: Set("demo_loaded".to_owned()),
        value: Set(now.to_rfc3339()),
    })
    .on_conflict_do_nothing_on([setting::Column::Key])
    .exec(&txn)
    .await?;
    txn.commit().await?;
    Ok(true)
}
