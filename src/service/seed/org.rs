//! The province a seeded register belongs to: the provincial People's Committee and its communes
//! and wards (the two tiers since 1 Jul 2025), each with its units and staff: a chairman, unit
//! heads, inspectors who handle cases and receptionists who register them. Accounts are written
//! as the admin's account creation writes them: sealed identities, a chairman's default reception
//! schedule, and an event of the account log each.

use chrono::{DateTime, Utc};
use rand::Rng;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};

use super::{plan::stream, words};
use crate::{
    auth::{AuthUser, Role},
    crypto::Keys,
    domain::{agency::AgencyLevel, oversight::AccountAction},
    entity::{agency, unit, user},
    error::{AppError, AppResult},
    service::{audit::Actor, identity, oversight::account_events, reception::schedules},
};

/// The province's name (fictional), and the code its citizens' identity numbers start with.
pub const PROVINCE: &str = "Thanh Sơn";
pub const PROVINCE_CODE: u32 = 36;

/// What the usernames of the province's staff end with (`chutich.tinh`; a commune's: `chutich.x003`).
pub const PROVINCE_SUFFIX: &str = "tinh";

/// One agency of the province and its staff.
#[derive(Debug, Clone)]
pub struct Agency {
    pub id: i64,
    pub name: String,
    /// The commune's or ward's name (the province's for the province), for addresses.
    pub place: String,
    pub level: AgencyLevel,
    /// Index of the agency above it.
    pub parent: Option<usize>,
    /// Relative volume of petitions.
    pub weight: u32,
    /// In a remote area (vùng sâu, vùng xa): longer statutory limits.
    pub remote: bool,
    pub chairman: AuthUser,
    pub heads: Vec<AuthUser>,
    pub inspectors: Vec<AuthUser>,
    pub receptionists: Vec<AuthUser>,
}

/// The province's agencies.
#[derive(Debug, Clone)]
pub struct Org {
    pub agencies: Vec<Agency>,
    pub units: usize,
    pub accounts: usize,
    total_weight: u32,
}

impl Org {
    /// An agency at random, by volume.
    pub fn pick_agency<R: Rng>(&self, rng: &mut R) -> usize {
        let mut n = rng.random_range(0..self.total_weight);
        for (i, a) in self.agencies.iter().enumerate() {
            if n < a.weight {
                return i;
            }
            n -= a.weight;
        }
        0
    }

    /// A commune at random, if the province has any.
    pub fn pick_commune<R: Rng>(&self, rng: &mut R) -> Option<usize> {
        (self.agencies.len() > 1).then(|| rng.random_range(1..self.agencies.len()))
    }
}

/// How many communes and wards a register of `petitions` gets: a handful for a small one, a
/// real province's hundred or so for a million.
pub fn communes_for(petitions: u64) -> usize {
    usize::try_from(petitions / 8_000).unwrap_or(usize::MAX).clamp(3, 120)
}

/// A unit of an agency and the staff it gets: (name, code, unit heads, inspectors, receptionists).
type UnitPlan = (&'static str, &'static str, usize, usize, usize);

const PROVINCE_UNITS: &[UnitPlan] = &[
    ("Ban Tiếp công dân tỉnh", "BTCD", 1, 2, 4),
    ("Thanh tra tỉnh", "TTr", 1, 6, 0),
    ("Văn phòng UBND tỉnh", "VP", 1, 2, 1),
    ("Sở Nông nghiệp và Môi trường", "SNNMT", 1, 3, 0),
    ("Sở Xây dựng", "SXD", 1, 2, 0),
];

const COMMUNE_UNITS: &[UnitPlan] = &[
    ("Văn phòng HĐND và UBND", "VP", 0, 0, 2),
    ("Phòng Kinh tế", "KT", 1, 2, 0),
    ("Phòng Văn hóa - Xã hội", "VHXH", 1, 1, 0),
];

/// Writes the province, its communes, their units and staff; every account's password is the
/// one whose hash is `password_hash`.
pub async fn create(
    db: &impl ConnectionTrait,
    keys: &Keys,
    seed: u64,
    communes: usize,
    password_hash: &str,
    now: DateTime<Utc>,
) -> AppResult<Org> {
    let rng = &mut stream(seed, 0, 2);
    let mut agencies: Vec<Agency> = Vec::with_capacity(communes + 1);
    let mut units = 0;
    let mut accounts = 0;
    for i in 0..=communes {
        let (name, place, level, parent, plans, suffix) = if i == 0 {
            let place = format!("tỉnh {PROVINCE}");
            (
                format!("UBND {place}"),
                place,
                AgencyLevel::Province,
                None,
                PROVINCE_UNITS,
                PROVINCE_SUFFIX.to_owned(),
            )
        } else {
            let place = format!("{}, tỉnh {PROVINCE}", words::place_name(i - 1));
            let name = format!("UBND {}", words::place_name(i - 1));
            (name, place, AgencyLevel::Commune, Some(0), COMMUNE_UNITS, format!("x{i:03}"))
        };
        let id = agency::Entity::insert(agency::ActiveModel {
            name: Set(name.clone()),
            level: Set(level),
            parent_id: Set(parent.map(|p: usize| agencies[p].id)),
            created_at: Set(now),
            ..Default::default()
        })
        .exec(db)
        .await?
        .last_insert_id;
        let mut staff =
            Staff { db, keys, agency: id, suffix: &suffix, hash: password_hash, now, rng: &mut *rng };
        let chairman = staff.account("chutich", Role::Chairman, None).await?;
        let (mut heads, mut inspectors, mut receptionists) = (Vec::new(), Vec::new(), Vec::new());
        for (unit_name, code, n_heads, n_inspectors, n_desk) in plans {
            let unit_id = unit::Entity::insert(unit::ActiveModel {
                agency_id: Set(id),
                name: Set((*unit_name).to_owned()),
                code: Set((*code).to_owned()),
                created_at: Set(now),
                ..Default::default()
            })
            .exec(db)
            .await?
            .last_insert_id;
            units += 1;
            let lower = code.to_lowercase();
            for n in 1..=*n_heads {
                heads
                    .push(staff.account(&format!("truong.{lower}{n}"), Role::UnitHead, Some(unit_id)).await?);
            }
            for n in 1..=*n_inspectors {
                inspectors.push(
                    staff.account(&format!("thanhtra.{lower}{n}"), Role::Inspector, Some(unit_id)).await?,
                );
            }
            for n in 1..=*n_desk {
                receptionists.push(
                    staff.account(&format!("tiepdan.{lower}{n}"), Role::Receptionist, Some(unit_id)).await?,
                );
            }
        }
        accounts += 1 + heads.len() + inspectors.len() + receptionists.len();
        let weight = if i == 0 { (communes as u32 * 3 / 10).max(1) } else { rng.random_range(2..6) };
        agencies.push(Agency {
            id,
            name,
            place,
            level,
            parent,
            weight,
            remote: i > 0 && rng.random_bool(0.15),
            chairman,
            heads,
            inspectors,
            receptionists,
        });
    }
    let total_weight = agencies.iter().map(|a| a.weight).sum();
    Ok(Org { agencies, units, accounts, total_weight })
}

/// Writes the staff accounts of one agency.
struct Staff<'a, C: ConnectionTrait, R: Rng> {
    db: &'a C,
    keys: &'a Keys,
    agency: i64,
    suffix: &'a str,
    hash: &'a str,
    now: DateTime<Utc>,
    rng: &'a mut R,
}

impl<C: ConnectionTrait, R: Rng> Staff<'_, C, R> {
    /// An account `name.suffix` of `role` in `unit_id`, as the admin creates one (`users::create`).
    async fn account(&mut self, name: &str, role: Role, unit_id: Option<i64>) -> AppResult<AuthUser> {
        let username = format!("{name}.{}", self.suffix);
        let full_name = words::full_name(self.rng);
        let phone = format!("09{:08}", self.rng.random_range(0..100_000_000u32));
        let mut row = user::ActiveModel {
            username: Set(username.clone()),
            password_hash: Set(self.hash.to_owned()),
            full_name: Set(full_name.clone()),
            role: Set(role),
            agency_id: Set(Some(self.agency)),
            unit_id: Set(unit_id),
            phone: Set(Some(phone)),
            email: Set(None),
            active: Set(true),
            token_version: Set(0),
            created_at: Set(self.now),
            updated_at: Set(self.now),
            ..Default::default()
        };
        identity::seal_account(&self.keys.data, &mut row)?;
        let id = user::Entity::insert(row).exec(self.db).await?.last_insert_id;
        let stored = user::Entity::find_by_id(id)
            .one(self.db)
            .await?
            .ok_or_else(|| AppError::internal("a seeded account just written is not there"))?;
        schedules::sync_for_user(self.db, &stored, self.now).await?;
        let opened = identity::open_account(&self.keys.data, stored)?;
        let actor = Actor::system();
        account_events::record(
            self.db,
            &self.keys.audit,
            &actor,
            AccountAction::Created,
            None,
            &opened,
            self.now,
        )
        .await?;
        Ok(AuthUser { id, username, full_name, role, agency_id: Some(self.agency), unit_id })
    }
}
