//! The heads' schedule rules (domain.md §3: the chairman every Thursday by default, moved to the
//! next working day off a holiday). A user created or changed to `chairman` gets the default rule
//! at once; one who stops being an active chairman has it switched off.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};

use crate::{
    auth::Role,
    domain::reception::{Every, OnHoliday, ScheduleRule, weekday_from_iso},
    entity::{reception_rule, user},
    error::{AppError, AppResult},
};

/// The domain rule of a stored row.
pub fn rule_of(row: &reception_rule::Model) -> ScheduleRule {
    ScheduleRule {
        weekday: weekday_from_iso(i64::from(row.weekday)).unwrap_or(ScheduleRule::DEFAULT.weekday),
        every: Every::parse(&row.every).unwrap_or(Every::Week),
        week_of_month: row.week_of_month.and_then(|n| u8::try_from(n).ok()).unwrap_or(1),
        on_holiday: OnHoliday::parse(&row.on_holiday).unwrap_or(OnHoliday::NextWorkingDay),
    }
}

fn default_row(host: &user::Model, agency_id: i64, now: DateTime<Utc>) -> reception_rule::ActiveModel {
    let rule = ScheduleRule::DEFAULT;
    reception_rule::ActiveModel {
        host_id: Set(host.id),
        agency_id: Set(agency_id),
        weekday: Set(i16::try_from(rule.weekday.number_from_monday()).unwrap_or(4)),
        every: Set(rule.every.as_str().to_owned()),
        week_of_month: Set(None),
        on_holiday: Set(rule.on_holiday.as_str().to_owned()),
        location: Set(None),
        active: Set(true),
        updated_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

/// Keeps a user's schedule rule in step with the account, on the caller's connection: an active
/// chairman gets the default rule (or has his own switched back on); anyone else has theirs
/// switched off. Called by `service::users` after every create and update.
pub async fn sync_for_user(
    db: &impl ConnectionTrait,
    account: &user::Model,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let is_head = account.active && account.role == Role::Chairman.as_str();
    let existing = reception_rule::Entity::find_by_id(account.id).one(db).await?;
    match (existing, is_head, account.agency_id) {
        (None, true, Some(agency)) => {
            reception_rule::Entity::insert(default_row(account, agency, now))
                .on_conflict_do_nothing()
                .exec_without_returning(db)
                .await?;
        }
        (Some(row), want, _) if row.active != want => {
            let mut m: reception_rule::ActiveModel = row.into();
            m.active = Set(want);
            m.updated_at = Set(now);
            m.update(db).await?;
        }
        _ => {}
    }
    Ok(())
}

/// Gives every active chairman of the agency without a rule the default one: accounts made
/// before the reception module existed, or loaded by the demo.
pub async fn ensure_defaults(db: &impl ConnectionTrait, agency_id: i64, now: DateTime<Utc>) -> AppResult<()> {
    let chairmen = user::Entity::find()
        .filter(user::Column::AgencyId.eq(agency_id))
        .filter(user::Column::Role.eq(Role::Chairman.as_str()))
        .filter(user::Column::Active.eq(true))
        .all(db)
        .await?;
    if chairmen.is_empty() {
        return Ok(());
    }
    let have: Vec<i64> = reception_rule::Entity::find()
        .filter(reception_rule::Column::HostId.is_in(chairmen.iter().map(|c| c.id)))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.host_id)
        .collect();
    for c in chairmen.iter().filter(|c| !have.contains(&c.id)) {
        reception_rule::Entity::insert(default_row(c, agency_id, now))
            .on_conflict_do_nothing()
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// The rules of an agency, active or not, by host.
pub async fn of_agency(db: &impl ConnectionTrait, agency_id: i64) -> AppResult<Vec<reception_rule::Model>> {
    Ok(reception_rule::Entity::find()
        .filter(reception_rule::Column::AgencyId.eq(agency_id))
        .order_by_asc(reception_rule::Column::HostId)
        .all(db)
        .await?)
}

/// A head's rule, if the host belongs to the agency and has one.
pub async fn of_host(
    db: &impl ConnectionTrait,
    agency_id: i64,
    host_id: i64,
) -> AppResult<reception_rule::Model> {
    reception_rule::Entity::find_by_id(host_id)
        .one(db)
        .await?
        .filter(|r| r.agency_id == agency_id)
        .ok_or(AppError::NotFound)
}

/// A checked rule from the admin.
#[derive(Debug, Clone)]
pub struct RuleChange {
    pub rule: ScheduleRule,
    pub location: Option<String>,
}

/// Sets a head's rule (`PUT /reception-rules/{host_id}`): the host must be an active chairman or
/// unit head of the agency. The schedule follows at its next reading.
pub async fn put(
    db: &impl ConnectionTrait,
    agency_id: i64,
    host_id: i64,
    change: RuleChange,
    by: i64,
    now: DateTime<Utc>,
) -> AppResult<reception_rule::Model> {
    let host = user::Entity::find_by_id(host_id).one(db).await?.filter(|u| u.agency_id == Some(agency_id));
    let Some(host) = host else { return Err(AppError::NotFound) };
    if !host.active || !(host.role == Role::Chairman.as_str() || host.role == Role::UnitHead.as_str()) {
        return Err(AppError::field(
            "host_id",
            "Lịch tiếp định kỳ chỉ đặt cho người đứng đầu đang công tác (Chủ tịch, Thủ trưởng đơn vị).",
        ));
    }
    let rule = change.rule;
    let weekday = i16::try_from(rule.weekday.number_from_monday()).unwrap_or(4);
    let week_of_month = match rule.every {
        Every::Month => Some(i16::from(rule.week_of_month)),
        Every::Week => None,
    };
    let existing = reception_rule::Entity::find_by_id(host_id).one(db).await?;
    let saved = match existing {
        Some(row) => {
            let mut m: reception_rule::ActiveModel = row.into();
            m.weekday = Set(weekday);
            m.every = Set(rule.every.as_str().to_owned());
            m.week_of_month = Set(week_of_month);
            m.on_holiday = Set(rule.on_holiday.as_str().to_owned());
            m.location = Set(change.location);
            m.active = Set(true);
            m.updated_by = Set(Some(by));
            m.updated_at = Set(now);
            m.update(db).await?
        }
        None => {
            let mut m = default_row(&host, agency_id, now);
            m.weekday = Set(weekday);
            m.every = Set(rule.every.as_str().to_owned());
            m.week_of_month = Set(week_of_month);
            m.on_holiday = Set(rule.on_holiday.as_str().to_owned());
            m.location = Set(change.location);
            m.updated_by = Set(Some(by));
            m.insert(db).await?
        }
    };
    Ok(saved)
}
