//! The statutory clocks of cases, stored with everything needed to recompute them: the rule set
//! and clock, start, complexity, remoteness, extensions and pauses. The due date is always
//! `domain::deadline::compute` of that input over the current calendar.

use std::sync::LazyLock;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Select, sea_query::Expr,
};

use crate::{
    domain::{
        calendar::{Calendar, Skipped},
        deadline::{
            ClockId, ClockInput, ClockResult, ClockRule, ClockState, Complexity, DayUnit, Pause, PauseMode,
            RuleSetId, RuleTable, check_extension, compute,
        },
    },
    entity::{deadline, json::JsonList},
    error::{AppError, AppResult},
    service::context::Context,
};

/// The rule table in force (built-in; values the law leaves open are marked in it).
pub static RULES: LazyLock<RuleTable> = LazyLock::new(RuleTable::builtin);

/// The rule of a stored clock.
pub fn rule_of(rule_set: RuleSetId, clock: ClockId) -> AppResult<&'static ClockRule> {
    RULES
        .rule(&rule_set, clock)
        .ok_or_else(|| AppError::internal(format!("no rule for clock {clock} in rule set {rule_set}")))
}

/// The computation input of a stored clock.
pub fn input_of(row: &deadline::Model) -> AppResult<ClockInput> {
    Ok(ClockInput {
        rule_set: row.rule_set,
        clock: row.clock,
        start: row.start_on,
        complex: row.complexity,
        remote_area: row.remote_area,
        extensions: row.extensions.0.clone(),
        pauses: row.pauses.0.clone(),
    })
}

/// The due date of a stored clock over `cal`, with its explanation.
pub fn compute_row(row: &deadline::Model, cal: &Calendar) -> AppResult<ClockResult> {
    let input = input_of(row)?;
    Ok(compute(rule_of(row.rule_set, input.clock)?, &input, cal))
}

/// A stored clock with the reasons for its due date: its rule's legal source and the lines of
/// the computation over the current calendar. A clock whose rule or input cannot be read is
/// shown without them rather than failing the whole list.
#[derive(Debug, Clone)]
pub struct Explained {
    pub row: deadline::Model,
    /// The legal source of the rule.
    pub source: String,
    /// The rule's value is not yet confirmed against the governing text.
    pub unverified: bool,
    /// Why this due date, line by line (Vietnamese).
    pub explanation: Vec<String>,
    /// The non-working days passed over.
    pub skipped: Vec<Skipped>,
}

/// Explains a stored clock over `cal`.
pub fn explain(row: deadline::Model, cal: &Calendar) -> Explained {
    let computed = compute_row(&row, cal).ok();
    let rule = rule_of(row.rule_set, row.clock).ok();
    Explained {
        source: rule.map(|r| r.source.clone()).unwrap_or_default(),
        unverified: rule.is_some_and(|r| r.unverified),
        explanation: computed.as_ref().map(|c| c.explanation.clone()).unwrap_or_default(),
        skipped: computed.map(|c| c.skipped).unwrap_or_default(),
        row,
    }
}

use crate::domain::deadline::NEARLY_DUE_WORKING_DAYS;

/// The day a request is answered on, as the overdue and nearly-due flags read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Today {
    pub date: NaiveDate,
    /// The last day that counts as "nearly due" ([`NEARLY_DUE_WORKING_DAYS`] working days ahead).
    pub nearly_due_until: NaiveDate,
}

/// Where a case stands against its clocks on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    /// The day it is read on.
    pub today: NaiveDate,
    /// The earliest due date of its running, unpaused clocks and unsent clockless notices
    /// ([`stored_next_due`]).
    pub next: Option<NaiveDate>,
    /// That date has passed.
    pub overdue: bool,
    /// Not overdue, but due by [`Today::nearly_due_until`].
    pub nearly_due: bool,
}

impl Today {
    /// Today for the request of `ctx`, over the calendar it reads.
    pub async fn of<U>(ctx: &Context<U>) -> AppResult<Self> {
        let cal = ctx.calendar().await?;
        Ok(Self::on(ctx.today, &cal))
    }

    /// `date` over `cal`.
    pub fn on(date: NaiveDate, cal: &Calendar) -> Self {
        Self { date, nearly_due_until: cal.add_working_days(date, NEARLY_DUE_WORKING_DAYS).due }
    }

    /// Where a case due next on `next` stands today.
    pub fn due(&self, next: Option<NaiveDate>) -> Due {
        let overdue = next.is_some_and(|d| d < self.date);
        Due {
            today: self.date,
            next,
            overdue,
            nearly_due: !overdue && next.is_some_and(|d| d <= self.nearly_due_until),
        }
    }
}

/// Starts a clock for a case.
#[allow(clippy::too_many_arguments)]
pub async fn start(
    db: &impl ConnectionTrait,
    petition_id: i64,
    clock: ClockId,
    rule_set: &RuleSetId,
    start_on: NaiveDate,
    complexity: Complexity,
    remote_area: bool,
    cal: &Calendar,
    now: DateTime<Utc>,
) -> AppResult<deadline::Model> {
    let plain = Stored { complexity, remote_area, state: ClockState::Running, ended_on: None };
    insert(db, petition_id, clock, rule_set, start_on, plain, cal, now).await
}

/// Records an informational clock of a case (see [`ClockState::Informational`]): a notice duty or
/// the citizen's period that a step starts on `start_on`.
#[allow(clippy::too_many_arguments)]
pub async fn note(
    db: &impl ConnectionTrait,
    petition_id: i64,
    clock: ClockId,
    rule_set: &RuleSetId,
    start_on: NaiveDate,
    remote_area: bool,
    cal: &Calendar,
    now: DateTime<Utc>,
) -> AppResult<deadline::Model> {
    let stored = Stored {
        complexity: Complexity::None,
        remote_area,
        state: ClockState::Informational,
        ended_on: None,
    };
    insert(db, petition_id, clock, rule_set, start_on, stored, cal, now).await
}

/// Records a clock started on `start` and met on `on`: a duty the register fulfils as a step
/// happens (the result of a forwarded case reported back as it is resolved, started and met the
/// same day), or one owed since the receipt (a denunciation forwarded out of competence), late
/// when `on` is after its due date.
#[allow(clippy::too_many_arguments)]
pub async fn met_at_once(
    db: &impl ConnectionTrait,
    petition_id: i64,
    clock: ClockId,
    rule_set: &RuleSetId,
    start: NaiveDate,
    on: NaiveDate,
    cal: &Calendar,
    now: DateTime<Utc>,
) -> AppResult<deadline::Model> {
    let stored = Stored {
        complexity: Complexity::None,
        remote_area: false,
        state: ClockState::Met,
        ended_on: Some(on),
    };
    insert(db, petition_id, clock, rule_set, start, stored, cal, now).await
}

/// How a new clock row is stored besides its rule and start.
struct Stored {
    complexity: Complexity,
    remote_area: bool,
    state: ClockState,
    ended_on: Option<NaiveDate>,
}

#[allow(clippy::too_many_arguments)]
async fn insert(
    db: &impl ConnectionTrait,
    petition_id: i64,
    clock: ClockId,
    rule_set: &RuleSetId,
    start_on: NaiveDate,
    stored: Stored,
    cal: &Calendar,
    now: DateTime<Utc>,
) -> AppResult<deadline::Model> {
    let Stored { complexity, remote_area, state, ended_on } = stored;
    let input = ClockInput {
        rule_set: *rule_set,
        clock,
        start: start_on,
        complex: complexity,
        remote_area,
        extensions: vec![],
        pauses: vec![],
    };
    let rule = rule_of(*rule_set, clock)?;
    let result = compute(rule, &input, cal);
    let row = deadline::ActiveModel {
        petition_id: Set(petition_id),
        clock: Set(clock),
        rule_set: Set(*rule_set),
        start_on: Set(start_on),
        unit: Set(result.unit),
        limit_days: Set(i32::try_from(result.limit_days).unwrap_or(i32::MAX)),
        complexity: Set(complexity),
        remote_area: Set(remote_area),
        extensions: Set(JsonList::default()),
        pauses: Set(JsonList::default()),
        due_on: Set(result.due),
        paused: Set(false),
        state: Set(state),
        ended_on: Set(ended_on),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    Ok(row.insert(db).await?)
}

/// Every clock of a case, oldest first.
pub async fn of_case(db: &impl ConnectionTrait, petition_id: i64) -> AppResult<Vec<deadline::Model>> {
    Ok(of_case_query(petition_id).all(db).await?)
}

/// [`of_case`]'s query: through `ix_deadline_petition`, the handful of rows sorted by id.
pub fn of_case_query(petition_id: i64) -> Select<deadline::Entity> {
    deadline::Entity::find()
        .filter(deadline::Column::PetitionId.eq(petition_id))
        .order_by_asc(deadline::Column::Id)
}

/// The clocks of many cases (for lists: one query, not one per case).
pub async fn of_cases(db: &impl ConnectionTrait, ids: &[i64]) -> AppResult<Vec<deadline::Model>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(of_cases_query(ids).all(db).await?)
}

/// [`of_cases`]'s query: each case's running clocks through `ix_deadline_petition`.
pub fn of_cases_query(ids: &[i64]) -> Select<deadline::Entity> {
    deadline::Entity::find()
        .filter(deadline::Column::PetitionId.is_in(ids.iter().copied()))
        .filter(deadline::Column::State.eq(ClockState::Running))
        .order_by_asc(deadline::Column::Id)
}

/// Ends the running clocks of a case named in `clocks` (all when empty).
pub async fn end(
    db: &impl ConnectionTrait,
    petition_id: i64,
    clocks: &[ClockId],
    state: ClockState,
    on: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let mut update = deadline::Entity::update_many()
        .col_expr(deadline::Column::State, Expr::value(state.as_str()))
        .col_expr(deadline::Column::EndedOn, Expr::value(on))
        .col_expr(deadline::Column::UpdatedAt, Expr::value(now))
        .filter(deadline::Column::PetitionId.eq(petition_id))
        .filter(deadline::Column::State.eq(ClockState::Running));
    // A clock a written notice still owes is met only by sending it (`service::notices`).
    let owed = crate::service::notices::issue::owed_clocks(db, petition_id).await?;
    if !owed.is_empty() {
        update = update.filter(deadline::Column::Clock.is_not_in(owed.iter().map(|c| c.as_str())));
    }
    if !clocks.is_empty() {
        update = update.filter(deadline::Column::Clock.is_in(clocks.iter().map(|c| c.as_str())));
    }
    update.exec(db).await?;
    Ok(())
}

/// Saves a changed input of a running clock and its new due date.
async fn save(
    db: &impl ConnectionTrait,
    row: deadline::Model,
    input: &ClockInput,
    cal: &Calendar,
    now: DateTime<Utc>,
) -> AppResult<(deadline::Model, ClockResult)> {
    let result = compute(rule_of(row.rule_set, input.clock)?, input, cal);
    let mut model: deadline::ActiveModel = row.into();
    model.complexity = Set(input.complex);
    model.remote_area = Set(input.remote_area);
    model.extensions = Set(JsonList(input.extensions.clone()));
    model.pauses = Set(JsonList(input.pauses.clone()));
    model.limit_days = Set(i32::try_from(result.limit_days).unwrap_or(i32::MAX));
    model.due_on = Set(result.due);
    model.paused = Set(result.paused);
    model.updated_at = Set(now);
    Ok((model.update(db).await?, result))
}

/// The running clocks of a case that a suspension stops.
async fn pausable(db: &impl ConnectionTrait, petition_id: i64) -> AppResult<Vec<deadline::Model>> {
    let rows = of_case(db, petition_id).await?;
    Ok(rows
        .into_iter()
        .filter(|r| r.state == ClockState::Running)
        .filter(|r| rule_of(r.rule_set, r.clock).is_ok_and(|rule| rule.pause != PauseMode::None))
        .collect())
}

/// Stops the pausable clocks of a case from `on` (a suspension).
pub async fn pause(
    db: &impl ConnectionTrait,
    petition_id: i64,
    on: NaiveDate,
    cal: &Calendar,
    now: DateTime<Utc>,
) -> AppResult<()> {
    for row in pausable(db, petition_id).await? {
        let mut input = input_of(&row)?;
        input.pauses.push(Pause { from: on, to: None });
        save(db, row, &input, cal, now).await?;
    }
    Ok(())
}

/// Restarts the paused clocks of a case on `on` (a continuation).
pub async fn resume(
    db: &impl ConnectionTrait,
    petition_id: i64,
    on: NaiveDate,
    cal: &Calendar,
    now: DateTime<Utc>,
) -> AppResult<()> {
    for row in pausable(db, petition_id).await? {
        let mut input = input_of(&row)?;
        if let Some(open) = input.pauses.iter_mut().rev().find(|p| p.to.is_none()) {
            open.to = Some(on.max(open.from));
        }
        save(db, row, &input, cal, now).await?;
    }
    Ok(())
}

/// The running clock `clock` of a case; 409 when there is none (nothing to extend or re-count).
pub async fn running_clock(
    db: &impl ConnectionTrait,
    petition_id: i64,
    clock: ClockId,
) -> AppResult<deadline::Model> {
    deadline::Entity::find()
        .filter(deadline::Column::PetitionId.eq(petition_id))
        .filter(deadline::Column::Clock.eq(clock.as_str()))
        .filter(deadline::Column::State.eq(ClockState::Running))
        .one(db)
        .await?
        .ok_or_else(|| {
            AppError::conflict("invalid_transition", "Không có thời hạn giải quyết đang chạy để gia hạn.")
        })
}

/// Extends the running resolution clock `clock` of a case by `days`, recording the case's
/// complexity finding; refused beyond the caps of the rule.
pub async fn extend(
    db: &impl ConnectionTrait,
    petition_id: i64,
    clock: ClockId,
    days: u32,
    complexity: Complexity,
    cal: &Calendar,
    now: DateTime<Utc>,
) -> AppResult<ClockResult> {
    let row = running_clock(db, petition_id, clock).await?;
    let mut input = input_of(&row)?;
    input.complex = complexity;
    let rule = rule_of(row.rule_set, clock)?;
    check_extension(rule, &input, days).map_err(|e| AppError::conflict(e.code(), e.to_string()))?;
    input.extensions.push(days);
    Ok(save(db, row, &input, cal, now).await?.1)
}

/// Re-counts a complaint's resolution clock for a new complexity finding (the longer limit of a
/// complex case replaces an extension for complaints).
pub async fn reclassify(
    db: &impl ConnectionTrait,
    petition_id: i64,
    clock: ClockId,
    complexity: Complexity,
    cal: &Calendar,
    now: DateTime<Utc>,
) -> AppResult<ClockResult> {
    let row = running_clock(db, petition_id, clock).await?;
    let mut input = input_of(&row)?;
    input.complex = complexity;
    Ok(save(db, row, &input, cal, now).await?.1)
}

/// The earliest due date of the running, unpaused clocks among `clocks` (what a case is due by:
/// its overdue and nearly-due flags). It is not stored on the case, so a recomputation after a
/// holiday change writes only the clocks it moves.
pub fn next_due<'a>(clocks: impl IntoIterator<Item = &'a deadline::Model>) -> Option<NaiveDate> {
    clocks.into_iter().filter(|c| c.state == ClockState::Running && !c.paused).map(|c| c.due_on).min()
}

/// [`next_due`] of each of the cases `ids` that has one, in one query.
pub async fn next_due_of(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> AppResult<std::collections::HashMap<i64, NaiveDate>> {
    if ids.is_empty() {
        return Ok(std::collections::HashMap::new());
    }
    let rows: Vec<(i64, Option<NaiveDate>)> = next_due_query(ids).into_tuple().all(db).await?;
    Ok(rows.into_iter().filter_map(|(id, next)| next.map(|n| (id, n))).collect())
}

/// The clocks that time a case's resolution: once one passes with the case still accepted, the
/// next level may be seized (Law 02/2011 Art. 33(1); Law 25/2018 Art. 37(1)). A notice or an
/// intake step running late does not count.
pub const RESOLUTION_CLOCKS: [ClockId; 4] = [
    ClockId::ComplaintResolution1,
    ClockId::ComplaintResolution2,
    ClockId::DisciplineComplaintResolution,
    ClockId::DenunciationResolution,
];

/// The due date of the running resolution clock among `clocks` (see [`RESOLUTION_CLOCKS`]).
pub fn resolution_due<'a>(clocks: impl IntoIterator<Item = &'a deadline::Model>) -> Option<NaiveDate> {
    clocks
        .into_iter()
        .filter(|c| c.state == ClockState::Running && RESOLUTION_CLOCKS.contains(&c.clock))
        .map(|c| c.due_on)
        .min()
}

/// [`resolution_due`] of case `petition_id`, read from its running clocks.
pub async fn resolution_due_of(db: &impl ConnectionTrait, petition_id: i64) -> AppResult<Option<NaiveDate>> {
    Ok(resolution_due(&of_cases(db, &[petition_id]).await?))
}

/// The inbox's sort key of an open case that has no running, unpaused clock while open: it sorts last.
pub fn no_due() -> NaiveDate {
    NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX)
}

/// [`petition::Model::inbox_due_on`] of a case in `status` with `clocks` and no dialogue
/// invitation to send (the seeder's cases): its [`next_due`] while something runs, else
/// [`no_due`] while open and `None` once closed. A closed case keeps a key while a written notice
/// still owes its clock, so it stays in the inbox and is overdue once the notice is late.
pub fn inbox_key<'a>(
    status: crate::domain::petition::Status,
    clocks: impl IntoIterator<Item = &'a deadline::Model>,
) -> Option<NaiveDate> {
    next_due(clocks).or_else(|| status.is_open().then(no_due))
}

/// The due date a case is read at from its stored key: what runs first, `None` when nothing does.
pub fn stored_next_due(case: &crate::entity::petition::Model) -> Option<NaiveDate> {
    case.inbox_due_on.filter(|d| *d != no_due())
}

/// Writes [`petition::Model::inbox_due_on`] of the cases `ids` from their stored status, clocks and
/// notices, in one statement (each case's clocks read through `ix_deadline_petition`, its notices
/// through `ix_notice_petition`). Called by every write that changes a case's clocks, status or
/// notices: intake, each action, a notice sent, the recomputation after a holiday change (once
/// per page of cases).
pub async fn refresh_inbox(db: &impl ConnectionTrait, ids: &[i64]) -> AppResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let backend = db.get_database_backend();
    let ids = serde_json::to_string(ids).map_err(AppError::internal)?;
    db.execute_raw(REFRESH_INBOX.statement(backend, vec![ids.into()])).await?;
    Ok(())
}

/// [`refresh_inbox`]'s statement, the cases as one JSON list `{1}`: the earliest due date of the
/// case's running, unpaused clocks and of its unsent notices that owe no clock (a dialogue's
/// invitation, due five days before the dialogue); else 9999-12-31 while open (the statuses of
/// [`crate::domain::petition::Status::is_open`]) and NULL once closed. Migration m20261207_000020
/// fills the column with the same expression.
const REFRESH_INBOX: crate::db::sql::Dialects = crate::db::sql::Dialects {
    sqlite: "UPDATE petition SET inbox_due_on = COALESCE((SELECT MIN(u.due_on) FROM (\
             SELECT MIN(d.due_on) AS due_on FROM deadline d WHERE d.petition_id = petition.id \
             AND d.state = 'running' AND d.paused = FALSE \
             UNION ALL SELECT MIN(n.due_on) FROM notice n WHERE n.petition_id = petition.id \
             AND n.clock IS NULL AND n.sent_on IS NULL) AS u), \
             CASE WHEN status IN ('received', 'accepted', 'suspended') THEN '9999-12-31' END) \
             WHERE id IN (SELECT value FROM json_each({1}))",
    postgres: "UPDATE petition SET inbox_due_on = COALESCE((SELECT MIN(u.due_on) FROM (\
               SELECT MIN(d.due_on) AS due_on FROM deadline d WHERE d.petition_id = petition.id \
               AND d.state = 'running' AND d.paused = FALSE \
               UNION ALL SELECT MIN(n.due_on) FROM notice n WHERE n.petition_id = petition.id \
               AND n.clock IS NULL AND n.sent_on IS NULL) AS u), \
               CASE WHEN status IN ('received', 'accepted', 'suspended') THEN DATE '9999-12-31' END) \
               WHERE id IN (SELECT value::bigint FROM jsonb_array_elements_text({1::jsonb}))",
};

/// [`next_due_of`]'s query: read from `ix_deadline_petition (petition_id, state, paused,
/// due_on)` alone.
pub fn next_due_query(ids: &[i64]) -> Select<deadline::Entity> {
    deadline::Entity::find()
        .select_only()
        .column(deadline::Column::PetitionId)
        .column_as(deadline::Column::DueOn.min(), "next")
        .filter(deadline::Column::PetitionId.is_in(ids.iter().copied()))
        .filter(deadline::Column::State.eq(ClockState::Running))
        .filter(deadline::Column::Paused.eq(false))
        .group_by(deadline::Column::PetitionId)
}

/// The unit of a stored clock.
pub fn unit_of(row: &deadline::Model) -> DayUnit {
    row.unit
}

#[cfg(test)]
mod inbox_key_tests {
    use super::*;
    use crate::domain::petition::Status;

    #[test]
    fn the_stored_key_reads_running_clocks_of_open_cases() {
        let running = format!("d.state = '{}'", ClockState::Running.as_str());
        assert!(REFRESH_INBOX.sqlite.contains(&running) && REFRESH_INBOX.postgres.contains(&running));
        for s in [Status::Received, Status::Accepted, Status::Suspended] {
            assert!(s.is_open() && REFRESH_INBOX.sqlite.contains(&format!("'{}'", s.as_str())));
        }
        assert_eq!(inbox_key(Status::Received, []), Some(no_due()));
        assert_eq!(inbox_key(Status::Resolved, []), None);
        assert!(REFRESH_INBOX.sqlite.contains("n.clock IS NULL AND n.sent_on IS NULL"));
    }
}
