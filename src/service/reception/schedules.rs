//! The heads' reception schedules (domain.md §3: the chairman every Thursday by default, moved to
//! the next working day off a holiday). A user created or changed to `chairman` gets the default
//! schedule at once; one who stops being an active chairman has it switched off. (The table keeps
//! its first name, `reception_rule`, as does the API's path, `/reception-rules`.)
//!
//! Every change is also kept as a version in force from the day it was made
//! (`reception_rule_version`): the schedule of a day comes from the version in force on it, so a
//! change reaches only the occurrences still ahead and the record of past weeks stays as it was.
//!
//! A chairman's schedule below the law's minimum for his agency's level
//! ([`crate::domain::reception::minimum`]) is refused (422 `below_legal_minimum`) unless the admin
//! gives a reason, which is kept with that version.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, TryIntoModel, sea_query::OnConflict,
};

use crate::{
    auth::Role,
    clock::civil_date,
    domain::{
        agency::AgencyLevel,
        reception::{
            BelowMinimum, RuleRequest, ScheduleChange, ScheduleRule, ScheduleVersion, shortfall, upcoming,
        },
    },
    entity::{agency, reception_rule, reception_rule_version, user},
    error::{AppError, AppResult},
    service::{
        access::reception::{Account, can_hold_schedule, keeps_default_schedule},
        context::Ctx,
    },
};

/// The schedule of a stored row (a weekday out of range is a corrupt row: an error).
pub fn rule_of(row: &reception_rule::Model) -> AppResult<ScheduleRule> {
    ScheduleRule::stored(row.weekday, row.every, row.week_of_month, row.on_holiday)
        .map_err(AppError::internal)
}

/// A head's schedule as the view shows it: his name, the next sessions it gives on the current
/// calendar (none while it is switched off) and the legal minimum it falls short of, if any.
#[derive(Debug, Clone)]
pub struct HeadSchedule {
    pub row: reception_rule::Model,
    pub host_name: Option<String>,
    pub upcoming: Vec<NaiveDate>,
    pub below_minimum: Option<BelowMinimum>,
}

/// What the minimum rule needs to know of a head: his name and role.
#[derive(Debug, Clone)]
pub struct Head {
    pub name: String,
    pub role: Role,
}

/// The heads by id, with their names and roles, in one query.
pub async fn heads_of(db: &impl ConnectionTrait, ids: &[i64]) -> AppResult<HashMap<i64, Head>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(user::Entity::find()
        .select_only()
        .columns([user::Column::Id, user::Column::FullName, user::Column::Role])
        .filter(user::Column::Id.is_in(ids.iter().copied()))
        .into_tuple::<(i64, String, Role)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, name, role)| (id, Head { name, role }))
        .collect())
}

/// The level of an agency (commune or province), which sets its chairman's minimum.
pub async fn level_of(db: &impl ConnectionTrait, agency_id: i64) -> AppResult<AgencyLevel> {
    agency::Entity::find_by_id(agency_id)
        .select_only()
        .column(agency::Column::Level)
        .into_tuple::<AgencyLevel>()
        .one(db)
        .await?
        .ok_or_else(|| AppError::internal(format!("agency {agency_id} missing")))
}

/// `PUT /reception-rules/{host_id}`: sets a head's schedule, in force from today (the schedule
/// ahead follows at its next reading; past weeks keep the version in force on their day).
pub async fn put(ctx: &Ctx, host_id: i64, form: RuleRequest) -> AppResult<HeadSchedule> {
    let agency_id = ctx.user.require_staff()?;
    let change = form.parse()?;
    let txn = ctx.begin().await?;
    let saved = save(&txn, agency_id, host_id, change, ctx.user.id, ctx.now).await?;
    txn.commit().await?;
    shown_one(ctx, saved).await
}

/// `GET /reception-rules/{host_id}`: a head's schedule of the caller's agency.
pub async fn get(ctx: &Ctx, host_id: i64) -> AppResult<HeadSchedule> {
    let agency_id = ctx.user.require_staff()?;
    let row = of_host(ctx.reader(), agency_id, host_id).await?;
    shown_one(ctx, row).await
}

/// `GET /reception-rules`: every head's schedule of the caller's agency, by host.
pub async fn list(ctx: &Ctx) -> AppResult<Vec<HeadSchedule>> {
    let agency_id = ctx.user.require_staff()?;
    let rows = of_agency(ctx.reader(), agency_id).await?;
    shown(ctx, rows).await
}

/// A row with its host's name and next sessions.
async fn shown_one(ctx: &Ctx, row: reception_rule::Model) -> AppResult<HeadSchedule> {
    shown(ctx, vec![row]).await?.pop().ok_or_else(|| AppError::internal("schedule row missing"))
}

/// The rows (of the caller's agency) with their hosts' names, next sessions and shortfall.
async fn shown(ctx: &Ctx, rows: Vec<reception_rule::Model>) -> AppResult<Vec<HeadSchedule>> {
    let cal = ctx.calendar().await?;
    let Some(agency_id) = rows.first().map(|r| r.agency_id) else { return Ok(vec![]) };
    let level = level_of(ctx.reader(), agency_id).await?;
    let heads = heads_of(ctx.reader(), &rows.iter().map(|r| r.host_id).collect::<Vec<_>>()).await?;
    rows.into_iter()
        .map(|row| {
            let rule = if row.active { Some(rule_of(&row)?) } else { None };
            let head = heads.get(&row.host_id);
            Ok(HeadSchedule {
                host_name: head.map(|h| h.name.clone()),
                upcoming: rule.map(|r| upcoming(&r, &cal, ctx.today)).unwrap_or_default(),
                below_minimum: rule.zip(head).and_then(|(r, h)| shortfall(level, h.role, &r)),
                row,
            })
        })
        .collect()
}

/// One version of a head's schedule: the days it governs start at `version.from`; `location` is
/// where its sessions take place (`None`: the agency's office); `reason` why it was set below the
/// legal minimum, if it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub version: ScheduleVersion,
    pub location: Option<String>,
    /// The hours of its sessions (`None`: the office's working hours).
    pub hours: Option<String>,
    pub reason: Option<String>,
}

/// A head's schedule with its history, oldest version first.
#[derive(Debug, Clone)]
pub struct ScheduleHistory {
    pub row: reception_rule::Model,
    pub versions: Vec<Version>,
}

impl ScheduleHistory {
    /// The versions as the domain reads them.
    pub fn history(&self) -> Vec<ScheduleVersion> {
        self.versions.iter().map(|v| v.version).collect()
    }
}

fn version_of(row: &reception_rule_version::Model) -> AppResult<Version> {
    let rule = if row.active {
        Some(
            ScheduleRule::stored(row.weekday, row.every, row.week_of_month, row.on_holiday)
                .map_err(AppError::internal)?,
        )
    } else {
        None
    };
    Ok(Version {
        version: ScheduleVersion { from: row.effective_from, rule },
        location: row.location.clone(),
        hours: row.hours.clone(),
        reason: row.below_minimum_reason.clone(),
    })
}

/// Records the schedule as it now stands as the version in force from today: occurrences dated
/// today or later follow it, earlier ones keep the version they had. A second change the same day
/// replaces that day's version.
async fn record_version(
    db: &impl ConnectionTrait,
    row: &reception_rule::Model,
    by: Option<i64>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let version = reception_rule_version::ActiveModel {
        host_id: Set(row.host_id),
        agency_id: Set(row.agency_id),
        effective_from: Set(civil_date(now)),
        weekday: Set(row.weekday),
        every: Set(row.every),
        week_of_month: Set(row.week_of_month),
        on_holiday: Set(row.on_holiday),
        location: Set(row.location.clone()),
        hours: Set(row.hours.clone()),
        active: Set(row.active),
        below_minimum_reason: Set(row.below_minimum_reason.clone()),
        recorded_by: Set(by),
        recorded_at: Set(now),
        ..Default::default()
    };
    use reception_rule_version::Column as C;
    reception_rule_version::Entity::insert(version)
        .on_conflict(
            OnConflict::columns([C::HostId, C::EffectiveFrom])
                .update_columns([
                    C::AgencyId,
                    C::Weekday,
                    C::Every,
                    C::WeekOfMonth,
                    C::OnHoliday,
                    C::Location,
                    C::Hours,
                    C::Active,
                    C::BelowMinimumReason,
                    C::RecordedBy,
                    C::RecordedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// The schedules of an agency with their histories, by host. A schedule stored before histories
/// were kept and never changed since has one version, from the day of its last change (as the
/// migration that added the histories records it).
pub async fn histories_of_agency(
    db: &impl ConnectionTrait,
    agency_id: i64,
) -> AppResult<Vec<ScheduleHistory>> {
    let rows = of_agency(db, agency_id).await?;
    if rows.is_empty() {
        return Ok(vec![]);
    }
    let mut by_host: HashMap<i64, Vec<Version>> = HashMap::new();
    let versions = reception_rule_version::Entity::find()
        .filter(reception_rule_version::Column::HostId.is_in(rows.iter().map(|r| r.host_id)))
        .order_by_asc(reception_rule_version::Column::HostId)
        .order_by_asc(reception_rule_version::Column::EffectiveFrom)
        .all(db)
        .await?;
    for version in &versions {
        by_host.entry(version.host_id).or_default().push(version_of(version)?);
    }
    rows.into_iter()
        .map(|row| {
            let versions = match by_host.remove(&row.host_id) {
                Some(versions) => versions,
                None => vec![Version {
                    version: ScheduleVersion {
                        from: civil_date(row.updated_at),
                        rule: if row.active { Some(rule_of(&row)?) } else { None },
                    },
                    location: row.location.clone(),
                    hours: row.hours.clone(),
                    reason: row.below_minimum_reason.clone(),
                }],
            };
            Ok(ScheduleHistory { row, versions })
        })
        .collect()
}

/// Moves the start of a head's history back to `from` (the demo's schedule has been in force for
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
        weekday: Set(rule.weekday_number()),
        every: Set(rule.every),
        week_of_month: Set(None),
        on_holiday: Set(rule.on_holiday),
        location: Set(None),
        hours: Set(None),
        active: Set(true),
        below_minimum_reason: Set(None),
        updated_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

/// Keeps a user's schedule in step with the account, on the caller's connection: an active
/// chairman gets the default schedule (or has his own switched back on); anyone else has theirs
/// switched off. Called by `service::users` after every create and update.
pub async fn sync_for_user(
    db: &impl ConnectionTrait,
    account: &user::Model,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let is_head = keeps_default_schedule(&Account::of(account));
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

/// Gives a head the default schedule, in force from today (a no-op if another writer just did).
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

/// Gives every active chairman of the agency without a schedule the default one: accounts made
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

/// The schedules of an agency, active or not, by host.
pub async fn of_agency(db: &impl ConnectionTrait, agency_id: i64) -> AppResult<Vec<reception_rule::Model>> {
    Ok(reception_rule::Entity::find()
        .filter(reception_rule::Column::AgencyId.eq(agency_id))
        .order_by_asc(reception_rule::Column::HostId)
        .all(db)
        .await?)
}

/// A head's schedule, if the host belongs to the agency and has one.
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

/// Writes a head's schedule: the host must be of the agency (404) and may hold one
/// ([`can_hold_schedule`]: an active chairman or unit head; 422 on `host_id`); a chairman's below
/// the minimum of the agency's level needs a reason (422 `below_legal_minimum`), which is kept
/// with it (and dropped from a schedule that meets the minimum: it justifies nothing there). It is
/// recorded as the version in force from today.
async fn save(
    db: &impl ConnectionTrait,
    agency_id: i64,
    host_id: i64,
    change: ScheduleChange,
    by: i64,
    now: DateTime<Utc>,
) -> AppResult<reception_rule::Model> {
    let host = user::Entity::find_by_id(host_id).one(db).await?.filter(|u| u.agency_id == Some(agency_id));
    let Some(host) = host else { return Err(AppError::NotFound) };
    if !can_hold_schedule(&Account::of(&host)) {
        return Err(AppError::field(
            "host_id",
            "Lịch tiếp định kỳ chỉ đặt cho người đứng đầu đang công tác (Chủ tịch, Thủ trưởng đơn vị).",
        ));
    }
    let rule = change.rule;
    let level = level_of(db, agency_id).await?;
    let reason = match (shortfall(level, host.role, &rule), change.reason) {
        (None, _) => None,
        (Some(below), None) => return Err(below.into()),
        (Some(_), Some(reason)) => Some(reason),
    };
    let apply = |m: &mut reception_rule::ActiveModel| {
        m.weekday = Set(rule.weekday_number());
        m.every = Set(rule.every);
        m.week_of_month = Set(rule.stored_week_of_month());
        m.on_holiday = Set(rule.on_holiday);
        m.location = Set(change.location.clone());
        m.hours = Set(change.hours.clone());
        m.below_minimum_reason = Set(reason.clone());
        m.updated_by = Set(Some(by));
    };
    let existing = reception_rule::Entity::find_by_id(host_id).one(db).await?;
    let saved = match existing {
        Some(row) => {
            let mut m: reception_rule::ActiveModel = row.into();
            apply(&mut m);
            m.active = Set(true);
            m.updated_at = Set(now);
            m.update(db).await?
        }
        None => {
            let mut m = default_row(&host, agency_id, now);
            apply(&mut m);
            m.insert(db).await?
        }
    };
    record_version(db, &saved, Some(by), now).await?;
    Ok(saved)
}
