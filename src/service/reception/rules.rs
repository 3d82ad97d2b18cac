//! The heads' schedule rules (domain.md §3: the chairman every Thursday by default, moved to the
//! next working day off a holiday). A user created or changed to `chairman` gets the default rule
//! at once; one who stops being an active chairman has it switched off.
//!
//! Every change is also kept as a version in force from the day it was made
//! (`reception_rule_version`): the schedule of a day comes from the version in force on it, so a
//! change reaches only the occurrences still ahead and the record of past weeks stays as it was.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TryIntoModel, sea_query::OnConflict,
};

use crate::{
    auth::Role,
    clock::civil_date,
    domain::reception::{Every, OnHoliday, RuleVersion, ScheduleRule, weekday_from_iso},
    entity::{reception_rule, reception_rule_version, user},
    error::{AppError, AppResult},
};

fn rule_from(weekday: i16, every: Every, week_of_month: Option<i16>, on_holiday: OnHoliday) -> ScheduleRule {
    ScheduleRule {
        weekday: weekday_from_iso(i64::from(weekday)).unwrap_or(ScheduleRule::DEFAULT.weekday),
        every,
        week_of_month: week_of_month.and_then(|n| u8::try_from(n).ok()).unwrap_or(1),
        on_holiday,
    }
}

/// The domain rule of a stored row.
pub fn rule_of(row: &reception_rule::Model) -> ScheduleRule {
    rule_from(row.weekday, row.every, row.week_of_month, row.on_holiday)
}

/// One version of a head's rule: the days it governs start at `version.from`; `location` is where
/// its sessions take place (`None`: the agency's office).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub version: RuleVersion,
    pub location: Option<String>,
}

/// A head's rule with its history, oldest version first.
#[derive(Debug, Clone)]
pub struct Schedule {
    pub rule: reception_rule::Model,
    pub versions: Vec<Version>,
}

impl Schedule {
    /// The versions as the domain reads them.
    pub fn history(&self) -> Vec<RuleVersion> {
        self.versions.iter().map(|v| v.version).collect()
    }
}

fn version_of(row: &reception_rule_version::Model) -> Version {
    Version {
        version: RuleVersion {
            from: row.effective_from,
            rule: row.active.then(|| rule_from(row.weekday, row.every, row.week_of_month, row.on_holiday)),
        },
        location: row.location.clone(),
    }
}

/// Records the rule as it now stands as the version in force from today: occurrences dated today
/// or later follow it, earlier ones keep the version they had. A second change the same day
/// replaces that day's version.
async fn record_version(
    db: &impl ConnectionTrait,
    rule: &reception_rule::Model,
    by: Option<i64>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let row = reception_rule_version::ActiveModel {
        host_id: Set(rule.host_id),
        agency_id: Set(rule.agency_id),
        effective_from: Set(civil_date(now)),
        weekday: Set(rule.weekday),
        every: Set(rule.every),
        week_of_month: Set(rule.week_of_month),
        on_holiday: Set(rule.on_holiday),
        location: Set(rule.location.clone()),
        active: Set(rule.active),
        recorded_by: Set(by),
        recorded_at: Set(now),
        ..Default::default()
    };
    use reception_rule_version::Column as C;
    reception_rule_version::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([C::HostId, C::EffectiveFrom])
                .update_columns([
                    C::AgencyId,
                    C::Weekday,
                    C::Every,
                    C::WeekOfMonth,
                    C::OnHoliday,
                    C::Location,
                    C::Active,
                    C::RecordedBy,
                    C::RecordedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// The rules of an agency with their histories, by host. A rule stored before histories were
/// kept and never changed since has one version, from the day of its last change (as the
/// migration that added the histories records it).
pub async fn schedules_of_agency(db: &impl ConnectionTrait, agency_id: i64) -> AppResult<Vec<Schedule>> {
    let rules = of_agency(db, agency_id).await?;
    if rules.is_empty() {
        return Ok(vec![]);
    }
    let mut by_host: HashMap<i64, Vec<Version>> = HashMap::new();
    let rows = reception_rule_version::Entity::find()
        .filter(reception_rule_version::Column::HostId.is_in(rules.iter().map(|r| r.host_id)))
        .order_by_asc(reception_rule_version::Column::HostId)
        .order_by_asc(reception_rule_version::Column::EffectiveFrom)
        .all(db)
        .await?;
    for row in &rows {
        by_host.entry(row.host_id).or_default().push(version_of(row));
    }
    Ok(rules
        .into_iter()
        .map(|rule| {
            let versions = by_host.remove(&rule.host_id).unwrap_or_else(|| {
                vec![Version {
                    version: RuleVersion {
                        from: civil_date(rule.updated_at),
                        rule: rule.active.then(|| rule_of(&rule)),
                    },
                    location: rule.location.clone(),
                }]
            });
            Schedule { rule, versions }
        })
        .collect())
}

/// Moves the start of a head's history back to `from` (the demo's rule has been in force for
/// weeks, so its past occurrences are part of the record).
pub async fn backdate(db: &impl ConnectionTrait, host_id: i64, from: NaiveDate) -> AppResult<()> {
    use sea_orm::sea_query::Expr;
    let first = reception_rule_version::Entity::find()
        .filter(reception_rule_version::Column::HostId.eq(host_id))
        .order_by_asc(reception_rule_version::Column::EffectiveFrom)
        .one(db)
        .await?;
    if let Some(first) = first.filter(|v| v.effective_from > from) {
        reception_rule_version::Entity::update_many()
            .col_expr(reception_rule_version::Column::EffectiveFrom, Expr::value(from))
            .filter(reception_rule_version::Column::Id.eq(first.id))
            .exec(db)
            .await?;
    }
    Ok(())
}

fn default_row(host: &user::Model, agency_id: i64, now: DateTime<Utc>) -> reception_rule::ActiveModel {
    let rule = ScheduleRule::DEFAULT;
    reception_rule::ActiveModel {
        host_id: Set(host.id),
        agency_id: Set(agency_id),
        weekday: Set(i16::try_from(rule.weekday.number_from_monday()).unwrap_or(4)),
        every: Set(rule.every),
        week_of_month: Set(None),
        on_holiday: Set(rule.on_holiday),
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
    let is_head = account.active && account.role == Role::Chairman;
    let existing = reception_rule::Entity::find_by_id(account.id).one(db).await?;
    match (existing, is_head, account.agency_id) {
        (None, true, Some(agency)) => insert_default(db, account, agency, now).await?,
        (Some(row), want, _) if row.active != want => {
            let mut m: reception_rule::ActiveModel = row.into();
            m.active = Set(want);
            m.updated_at = Set(now);
            let saved = m.update(db).await?;
            record_version(db, &saved, None, now).await?;
        }
        _ => {}
    }
    Ok(())
}

/// Gives a head the default rule, in force from today (a no-op if another writer just did).
async fn insert_default(
    db: &impl ConnectionTrait,
    host: &user::Model,
    agency_id: i64,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let row = default_row(host, agency_id, now);
    let model = row.clone().try_into_model()?;
    let inserted =
        reception_rule::Entity::insert(row).on_conflict_do_nothing().exec_without_returning(db).await?;
    if matches!(inserted, sea_orm::TryInsertResult::Inserted(n) if n > 0) {
        record_version(db, &model, None, now).await?;
    }
    Ok(())
}

/// Gives every active chairman of the agency without a rule the default one: accounts made
/// before the reception module existed, or loaded by the demo.
pub async fn ensure_defaults(db: &impl ConnectionTrait, agency_id: i64, now: DateTime<Utc>) -> AppResult<()> {
    let chairmen = user::Entity::find()
        .filter(user::Column::AgencyId.eq(agency_id))
        .filter(user::Column::Role.eq(Role::Chairman))
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
        insert_default(db, c, agency_id, now).await?;
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
/// unit head of the agency. It is in force from today: the schedule follows at its next reading
/// for the occurrences from today on; earlier ones keep the version in force on their day.
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
    if !host.active || !(host.role == Role::Chairman || host.role == Role::UnitHead) {
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
            m.every = Set(rule.every);
            m.week_of_month = Set(week_of_month);
            m.on_holiday = Set(rule.on_holiday);
            m.location = Set(change.location);
            m.active = Set(true);
            m.updated_by = Set(Some(by));
            m.updated_at = Set(now);
            m.update(db).await?
        }
        None => {
            let mut m = default_row(&host, agency_id, now);
            m.weekday = Set(weekday);
            m.every = Set(rule.every);
            m.week_of_month = Set(week_of_month);
            m.on_holiday = Set(rule.on_holiday);
            m.location = Set(change.location);
            m.updated_by = Set(Some(by));
            m.insert(db).await?
        }
    };
    record_version(db, &saved, Some(by), now).await?;
    Ok(saved)
}
