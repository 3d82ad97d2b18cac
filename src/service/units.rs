//! Units of an agency.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

use crate::{
    domain::validate::Code,
    entity::unit,
    error::{AppError, AppResult},
    http::extract::PageRequest,
};

fn code_taken() -> AppError {
    AppError::conflict("unit_code_taken", "Mã đơn vị đã được sử dụng trong cơ quan này.")
}

/// Creates a unit.
pub async fn create(
    db: &impl ConnectionTrait,
    agency_id: i64,
    name: String,
    code: Code,
    now: DateTime<Utc>,
) -> AppResult<unit::Model> {
    let model = unit::ActiveModel {
        agency_id: Set(agency_id),
        name: Set(name),
        code: Set(code.into_inner()),
        created_at: Set(now),
        ..Default::default()
    };
    model.insert(db).await.map_err(|e| match AppError::from(e) {
        AppError::Conflict { code: "duplicate", .. } => code_taken(),
        other => other,
    })
}

/// Renames or recodes a unit of `agency_id`.
pub async fn update(
    db: &impl ConnectionTrait,
    agency_id: i64,
    id: i64,
    name: Option<String>,
    code: Option<Code>,
) -> AppResult<unit::Model> {
    let current = get(db, agency_id, id).await?;
    let mut model: unit::ActiveModel = current.into();
    if let Some(name) = name {
        model.name = Set(name);
    }
    if let Some(code) = code {
        model.code = Set(code.into_inner());
    }
    model.update(db).await.map_err(|e| match AppError::from(e) {
        AppError::Conflict { code: "duplicate", .. } => code_taken(),
        other => other,
    })
}

/// One unit of `agency_id`.
pub async fn get(db: &impl ConnectionTrait, agency_id: i64, id: i64) -> AppResult<unit::Model> {
    unit::Entity::find_by_id(id)
        .filter(unit::Column::AgencyId.eq(agency_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// A page of the units of an agency, by name, with the total count.
pub async fn list(
    db: &impl ConnectionTrait,
    agency_id: i64,
    page: PageRequest,
) -> AppResult<(Vec<unit::Model>, u64)> {
    let query = unit::Entity::find().filter(unit::Column::AgencyId.eq(agency_id));
    let total = query.clone().count(db).await?;
    let items = query
        .order_by_asc(unit::Column::Name)
        .order_by_asc(unit::Column::Id)
        .offset(page.offset())
        .limit(page.per_page)
        .all(db)
        .await?;
    Ok((items, total))
}
