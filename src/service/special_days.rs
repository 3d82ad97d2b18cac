//! The administrator's special days (holidays, days off, swapped-in working days) and what a change
//! of them does to the register: every stored due date of an open case that the change touches is
//! recomputed **in the same transaction** and noted in that case's history (domain.md §9).
//!
//! # Which clocks a change touches
//! A change of one date can flip more than that date: a holiday entered on the Monday a computed
//! compensatory day (nghỉ bù) sat on pushes that day to Tuesday. So the old and the new calendar are
//! compared day by day around the change, giving the dates whose working status flipped. A clock's
//! count only ever looks at days from its start to its due date (pauses and extensions never make it
//! earlier), so the candidates are the running clocks of open cases with
//! `start_on <= last flipped date` and `due_on >= first flipped date`. Each is recomputed on the new
//! calendar and only those whose due date really moved are written; a change can move a due date
//! later (a new day off) or earlier (a day off taken back).
//!
//! # Speed
//! A change in a busy period can touch every open case; the goal is 100,000 cases in about two
//! seconds on SQLite (`cargo bench --bench recompute`, figures in the README). So nothing is done
//! per row over the connection:
//! - the candidates, with their case's chain head, come from one joined query; unpaused
//!   calendar-day clocks, which only look at the days from their last counted day on, are mostly
//!   left out by the query itself;
//! - the due dates are recomputed in memory on one calendar with [`deadline_rules::due_date`]
//!   (the due date of `compute`, without its explanation);
//! - the events are hashed ([`audit::prepare`], from each case's current head) on another core
//!   while the database writes the clocks;
//! - the writes are a few large statements: `UPDATE … FROM (VALUES …)` for the clocks and the cases
//!   (the same syntax on SQLite ≥ 3.33 and PostgreSQL) and `INSERT … SELECT … FROM (VALUES …)` for
//!   the events.
//!
//! What remains is the database's own work: on SQLite about three quarters of the time is the
//! storage engine rewriting the clock and case rows with their indexes (a case's `next_due_on`
//! is in three of them) and appending the events.
//!
//! # Concurrency
//! The first statement of the transaction bumps the calendar version: on PostgreSQL that row lock
//! serialises changes of special days made on different servers, and every later statement of the
//! transaction sees the changes committed before it. The cases are moved only from the version read
//! (as [`audit::append`] does); if another server changed one meanwhile, the whole change is
//! retried on fresh data.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, EntityTrait,
    Statement, TransactionTrait, Value, sea_query::OnConflict,
};
use serde_json::json;

use crate::{
    domain::{
        calendar::{Calendar, DayKind, DaySource, SpecialDay},
        deadline::{self as deadline_rules, ClockId, ClockInput, ClockRule, Complexity, RuleSetId},
        petition::Status,
    },
    entity::{setting, special_day},
    error::{AppError, AppResult},
    service::{
        audit::{self, Actor, Change},
        calendar::{CalendarCache, VERSION_KEY},
        deadlines::{ClockState, rule_of},
    },
};

/// The audit action of a recomputation after a change of special days.
pub const RECOMPUTED_ACTION: &str = "deadline_recomputed";

/// How many times a change is tried when another server moved a touched case meanwhile.
const ATTEMPTS: usize = 3;

/// Rows per multi-row statement with `values_per_row` bound values: as many as the backend binds
/// (SQLite 32,766 values, PostgreSQL 65,535), less a few for the values bound once, so that the
/// cost of preparing and sending each statement is spread over many rows.
fn rows_per_statement(backend: DbBackend, values_per_row: usize) -> usize {
    let max_values = match backend {
        DbBackend::Postgres => 65_535,
        _ => 32_766,
    };
    (max_values - 8) / values_per_row
}

/// An administrator's entry for one date, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayEntry {
    /// Holiday, day off or swapped-in working day.
    pub kind: DayKind,
    /// Its Vietnamese name, trimmed, 1–200 characters.
    pub name: String,
}

/// What a change of special days did to the stored clocks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recomputed {
    /// The dates whose working status flipped: the changed date, and any compensatory day it moved.
    pub changed_dates: Vec<NaiveDate>,
    /// Open cases whose clocks moved (each got one event in its history).
    pub cases: u64,
    /// Clocks whose due date moved.
    pub clocks: u64,
}

/// The outcome of setting or removing an administrator's entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayChanged {
    /// The date changed.
    pub date: NaiveDate,
    /// The special day now in effect on that date (after a removal: the published or computed
    /// default, or `None` for an ordinary day).
    pub in_effect: Option<SpecialDay>,
    /// The clocks recomputed.
    pub recomputed: Recomputed,
}

/// Checks that `date` is inside the years the calendar holds precomputed (1990–2100).
pub fn check_date(date: NaiveDate) -> AppResult<NaiveDate> {
    crate::domain::calendar::supported_date(date).map_err(|m| AppError::field("date", m))
}

/// The administrator's entries, by date.
pub async fn list(db: &impl ConnectionTrait) -> AppResult<Vec<SpecialDay>> {
    let rows = special_day::Entity::find().all(db).await?;
    rows.into_iter().map(to_special_day).collect()
}

/// Sets the administrator's entry for `date` (replacing one already there), recomputes the touched
/// clocks of open cases, bumps the calendar version and forgets the cached calendar.
pub async fn set(
    db: &DatabaseConnection,
    cache: &CalendarCache,
    date: NaiveDate,
    entry: DayEntry,
    by: &Actor,
    now: DateTime<Utc>,
) -> AppResult<DayChanged> {
    change(db, cache, check_date(date)?, Some(entry), by, now).await
}

/// Removes the administrator's entry for `date`, reverting the date to its published or computed
/// default; 404 when there is none. Recomputes like [`set`].
pub async fn remove(
    db: &DatabaseConnection,
    cache: &CalendarCache,
    date: NaiveDate,
    by: &Actor,
    now: DateTime<Utc>,
) -> AppResult<DayChanged> {
    change(db, cache, check_date(date)?, None, by, now).await
}

async fn change(
    db: &DatabaseConnection,
    cache: &CalendarCache,
    date: NaiveDate,
    entry: Option<DayEntry>,
    by: &Actor,
    now: DateTime<Utc>,
) -> AppResult<DayChanged> {
    let started = std::time::Instant::now();
    let mut attempt = 1;
    loop {
        let txn = db.begin().await?;
        match change_in(&txn, date, entry.as_ref(), by, now).await {
            Ok(done) => {
                let phase = std::time::Instant::now();
                txn.commit().await?;
                tracing::debug!(ms = phase.elapsed().as_millis(), "recompute: committed");
                cache.invalidate();
                tracing::info!(
                    %date,
                    cases = done.recomputed.cases,
                    clocks = done.recomputed.clocks,
                    elapsed_ms = started.elapsed().as_millis(),
                    "special day changed; due dates recomputed"
                );
                return Ok(done);
            }
            Err(AppError::Conflict { code: "concurrent_update", .. }) if attempt < ATTEMPTS => {
                txn.rollback().await?;
                attempt += 1;
            }
            Err(err) => return Err(err),
        }
    }
}

/// One attempt, inside `txn`.
async fn change_in(
    txn: &DatabaseTransaction,
    date: NaiveDate,
    entry: Option<&DayEntry>,
    by: &Actor,
    now: DateTime<Utc>,
) -> AppResult<DayChanged> {
    bump_version(txn).await?;
    let before = list(txn).await?;
    if entry.is_none() && !before.iter().any(|day| day.date == date) {
        return Err(AppError::NotFound);
    }
    let mut after: Vec<SpecialDay> = before.iter().filter(|day| day.date != date).cloned().collect();
    match entry {
        Some(entry) => {
            special_day::Entity::insert(special_day::ActiveModel {
                date: Set(date),
                kind: Set(entry.kind.as_str().to_owned()),
                name: Set(entry.name.clone()),
                updated_by: Set(by.id),
                updated_at: Set(now),
            })
            .on_conflict(
                OnConflict::column(special_day::Column::Date)
                    .update_columns([
                        special_day::Column::Kind,
                        special_day::Column::Name,
                        special_day::Column::UpdatedBy,
                        special_day::Column::UpdatedAt,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
            after.push(SpecialDay {
                date,
                kind: entry.kind,
                name: entry.name.clone(),
                source: DaySource::Admin,
            });
        }
        None => {
            special_day::Entity::delete_by_id(date).exec(txn).await?;
        }
    }

    let old = Calendar::new(before);
    let new = Calendar::new(after);
    let changed_dates = flipped_dates(&old, &new, date.year());
    let cause = Cause { date, entry: entry.cloned(), by: by.clone() };
    let recomputed = recompute(txn, &new, changed_dates, cause, now).await?;
    let in_effect = new.special_days(date.year()).into_iter().find(|day| day.date == date);
    Ok(DayChanged { date, in_effect, recomputed })
}

/// Moves the calendar version, so every server rebuilds its copy (see [`CalendarCache`]).
async fn bump_version(db: &impl ConnectionTrait) -> AppResult<()> {
    setting::Entity::insert(setting::ActiveModel {
        key: Set(VERSION_KEY.to_owned()),
        value: Set(uuid::Uuid::new_v4().simple().to_string()),
    })
    .on_conflict(OnConflict::column(setting::Column::Key).update_column(setting::Column::Value).to_owned())
    .exec_without_returning(db)
    .await?;
    Ok(())
}

fn to_special_day(row: special_day::Model) -> AppResult<SpecialDay> {
    let kind = DayKind::parse(&row.kind).ok_or_else(|| {
        AppError::internal(format!("special day {} has unknown kind {}", row.date, row.kind))
    })?;
    Ok(SpecialDay { date: row.date, kind, name: row.name, source: DaySource::Admin })
}

/// The dates around `year` whose working status differs between two calendars. An entry only
/// changes its own year's days, but the neighbouring years are compared too, so that a future rule
/// reaching over New Year cannot leave a clock stale.
pub fn flipped_dates(old: &Calendar, new: &Calendar, year: i32) -> Vec<NaiveDate> {
    let (Some(from), Some(to)) =
        (NaiveDate::from_ymd_opt(year - 1, 1, 1), NaiveDate::from_ymd_opt(year + 1, 12, 31))
    else {
        return Vec::new();
    };
    from.iter_days()
        .take_while(|date| *date <= to)
        .filter(|date| old.is_working_day(*date) != new.is_working_day(*date))
        .collect()
}

/// Why the clocks moved, as written into each touched case's history.
#[derive(Debug, Clone)]
struct Cause {
    date: NaiveDate,
    /// The new entry, or `None` when the entry was removed.
    entry: Option<DayEntry>,
    by: Actor,
}

impl Cause {
    /// The `changes` of a case's event: the day changed, by whom, and each clock's old and new due.
    fn changes(&self, clocks: &[Moved]) -> serde_json::Value {
        let clocks: Vec<serde_json::Value> = clocks
            .iter()
            .map(|m| json!({"clock": m.clock, "old_due": m.old_due, "new_due": m.new_due}))
            .collect();
        json!({
            "day": self.date,
            "day_change": if self.entry.is_some() { "set" } else { "removed" },
            "day_kind": self.entry.as_ref().map(|e| e.kind.as_str()),
            "day_name": self.entry.as_ref().map(|e| e.name.as_str()),
            "changed_by": {"id": self.by.id, "name": self.by.name},
            "clocks": clocks,
        })
    }
}

/// One clock whose due date moved.
#[derive(Debug, Clone)]
struct Moved {
    clock_id: i64,
    petition_id: i64,
    clock: String,
    old_due: NaiveDate,
    new_due: NaiveDate,
}

/// A case whose clocks moved, at its chain position when read.
#[derive(Debug)]
struct Touched {
    petition_id: i64,
    version: i32,
    head: String,
    clocks: Vec<Moved>,
}

/// A case's next event and chain head, ready to write.
#[derive(Debug)]
struct NextEvent {
    petition_id: i64,
    version: i32,
    seq: i32,
    changes: String,
    prev_hash: String,
    hash: String,
}

/// Recomputes, on `cal`, every running (or informational) clock of an open case whose count spans
/// one of `changed_dates`, and writes the moved ones with one history event per case. Must run
/// inside the transaction that changed the special days.
async fn recompute(
    txn: &DatabaseTransaction,
    cal: &Calendar,
    changed_dates: Vec<NaiveDate>,
    cause: Cause,
    now: DateTime<Utc>,
) -> AppResult<Recomputed> {
    let (Some(&first), Some(&last)) = (changed_dates.first(), changed_dates.last()) else {
        return Ok(Recomputed::default());
    };
    let backend = txn.get_database_backend();
    let phase = std::time::Instant::now();
    let touched = touched_cases(txn, backend, cal, first, last).await?;
    tracing::debug!(
        ms = phase.elapsed().as_millis(),
        cases = touched.len(),
        "recompute: candidates read and due dates computed"
    );
    let clocks =
        u64::try_from(touched.iter().map(|case| case.clocks.len()).sum::<usize>()).unwrap_or(u64::MAX);
    let cases = u64::try_from(touched.len()).unwrap_or(u64::MAX);
    let new_dues: Vec<(i64, NaiveDate)> =
        touched.iter().flat_map(|case| case.clocks.iter().map(|m| (m.clock_id, m.new_due))).collect();

    // Hashing the events is CPU work: it runs on another core while the database writes the clocks.
    let at = audit::event_instant(now);
    let actor = Actor::system();
    let preparing = {
        let actor = actor.clone();
        tokio::task::spawn_blocking(move || next_events(touched, &cause, &actor, at))
    };
    let phase = std::time::Instant::now();
    update_clocks(txn, backend, &new_dues, now).await?;
    tracing::debug!(ms = phase.elapsed().as_millis(), "recompute: clocks written");
    let events = preparing.await.map_err(AppError::internal)?;
    let phase = std::time::Instant::now();
    update_cases(txn, backend, &events, at).await?;
    tracing::debug!(ms = phase.elapsed().as_millis(), "recompute: cases written");
    let phase = std::time::Instant::now();
    insert_events(txn, backend, events, &actor, at).await?;
    tracing::debug!(ms = phase.elapsed().as_millis(), "recompute: events written");
    Ok(Recomputed { changed_dates, cases, clocks })
}

/// The open cases with running clocks whose due date moves on `cal`, by case, with their chain
/// position and each moved clock's old and new due date. The candidates are the clocks whose count
/// can see a day in `first..=last`.
async fn touched_cases(
    db: &impl ConnectionTrait,
    backend: DbBackend,
    cal: &Calendar,
    first: NaiveDate,
    last: NaiveDate,
) -> AppResult<Vec<Touched>> {
    let candidates = candidates(db, backend, first, last).await?;
    let mut rules = RuleCache::default();
    let mut moved = Vec::new();
    let mut heads = BTreeMap::new();
    for (
        clock_id,
        petition_id,
        clock,
        rule_set,
        start,
        complexity,
        remote_area,
        extensions,
        pauses,
        old_due,
        version,
        head,
    ) in candidates
    {
        let input = ClockInput {
            clock: ClockId::parse(&clock)
                .ok_or_else(|| AppError::internal(format!("clock {clock_id} has unknown clock {clock}")))?,
            start,
            complex: Complexity::parse(&complexity).unwrap_or_default(),
            remote_area,
            extensions: json_list(&extensions)?,
            pauses: json_list(&pauses)?,
            rule_set: RuleSetId::new(rule_set),
        };
        let new_due = deadline_rules::due_date(rules.get(&input)?, &input, cal);
        if new_due != old_due {
            moved.push(Moved { clock_id, petition_id, clock, old_due, new_due });
            heads.entry(petition_id).or_insert((version, head));
        }
    }
    moved.sort_by_key(|m| (m.petition_id, m.clock_id));
    let mut touched: Vec<Touched> = Vec::with_capacity(heads.len());
    for m in moved {
        match touched.last_mut() {
            Some(case) if case.petition_id == m.petition_id => case.clocks.push(m),
            _ => {
                let (version, head) = heads.remove(&m.petition_id).ok_or_else(|| {
                    AppError::internal(format!("no chain head read for case {}", m.petition_id))
                })?;
                touched.push(Touched { petition_id: m.petition_id, version, head, clocks: vec![m] });
            }
        }
    }
    Ok(touched)
}

/// Candidate clocks per read: one JSON document of this many rows at most.
const CANDIDATES_PER_READ: i64 = 25_000;

/// The running and informational clocks of open cases whose count can see a day in
/// `first..=last`, with their case's chain position. Read as JSON documents of many rows each,
/// built by the database: a hundred thousand rows one by one through the driver cost more than
/// the whole recomputation. The documents follow the `(state, due_on)` index (a keyset on
/// `(due_on, id)` within each state), so each reads only its own rows: paging by id instead
/// made every document sort all the candidates again.
async fn candidates(
    db: &impl ConnectionTrait,
    backend: DbBackend,
    first: NaiveDate,
    last: NaiveDate,
) -> AppResult<Vec<Candidate>> {
    // An unpaused calendar-day clock only looks at the days from its last counted day (start +
    // limit) to its due date, so most of them can be left out in the query.
    let (document, last_counted_day, placeholders) = match backend {
        DbBackend::Postgres => (
            "COALESCE(json_agg(json_build_array(id, petition_id, clock, rule_set, start_on, complexity, \
             remote_area, extensions, pauses, due_on, version, event_head)), '[]')::text",
            "d.start_on + d.limit_days <= $3",
            ["$1", "$2", "$3", "$4", "$5", "$6", "$7", "$8", "$9", "$10"],
        ),
        _ => (
            "COALESCE(json_group_array(json_array(id, petition_id, clock, rule_set, start_on, complexity, \
             json(CASE WHEN remote_area THEN 'true' ELSE 'false' END), extensions, pauses, due_on, version, \
             event_head)), '[]')",
            "date(d.start_on, '+' || d.limit_days || ' days') <= ?",
            ["?", "?", "?", "?", "?", "?", "?", "?", "?", "?"],
        ),
    };
    let [state, start_max, counted_max, due_min, open1, open2, open3, after_due, after_id, limit] =
        placeholders;
    let sql = format!(
        "SELECT {document} FROM (SELECT d.id, d.petition_id, d.clock, d.rule_set, d.start_on, d.complexity, \
         d.remote_area, d.extensions, d.pauses, d.due_on, p.version, p.event_head \
         FROM deadline d JOIN petition p ON p.id = d.petition_id \
         WHERE d.state = {state} AND d.start_on <= {start_max} \
         AND (d.unit <> 'calendar' OR d.pauses <> '[]' OR {}) \
         AND d.due_on >= {due_min} AND p.status IN ({open1}, {open2}, {open3}) \
         AND (d.due_on, d.id) > ({after_due}, {after_id}) \
         ORDER BY d.due_on, d.id LIMIT {limit}) AS c",
        last_counted_day.replace("$3", counted_max).replace('?', counted_max),
    );
    let open: Vec<&str> = Status::ALL.iter().filter(|s| s.is_open()).map(|s| s.as_str()).collect();
    let mut all: Vec<Candidate> = Vec::new();
    for clock_state in [ClockState::Running, ClockState::Informational] {
        // Before the first candidate: its due date is at least `first`, and ids are positive.
        let mut after = (first, 0i64);
        loop {
            let values: Vec<Value> = vec![
                clock_state.as_str().into(),
                last.into(),
                last.into(),
                first.into(),
                open[0].into(),
                open[1].into(),
                open[2].into(),
                after.0.into(),
                after.1.into(),
                CANDIDATES_PER_READ.into(),
            ];
            let row = db
                .query_one_raw(Statement::from_sql_and_values(backend, sql.clone(), values))
                .await?
                .ok_or_else(|| AppError::internal("no candidate document"))?;
            let text: String = row.try_get_by_index(0)?;
            let batch: Vec<Candidate> = serde_json::from_str(&text).map_err(AppError::internal)?;
            // The database need not keep the subquery's order inside the aggregate: take the last
            // (due date, id) of the document.
            let Some(last_read) = batch.iter().map(|c| (c.9, c.0)).max() else { break };
            after = last_read;
            let full = i64::try_from(batch.len()).unwrap_or(i64::MAX) == CANDIDATES_PER_READ;
            all.extend(batch);
            if !full {
                break;
            }
        }
    }
    Ok(all)
}

/// Each touched case's next event, chained from its head with [`audit::prepare`].
fn next_events(touched: Vec<Touched>, cause: &Cause, actor: &Actor, at: DateTime<Utc>) -> Vec<NextEvent> {
    touched
        .into_iter()
        .map(|case| {
            let change = Change {
                action: RECOMPUTED_ACTION.to_owned(),
                from: None,
                to: None,
                changes: cause.changes(&case.clocks),
            };
            let mut prepared = audit::prepare(case.petition_id, case.version, &case.head, actor, &change, at);
            NextEvent {
                petition_id: case.petition_id,
                version: case.version,
                seq: prepared.seq,
                changes: prepared.row.changes.take().unwrap_or_default(),
                prev_hash: case.head,
                hash: prepared.hash,
            }
        })
        .collect()
}

/// A running clock read for recomputation: id, case, clock, rule set, start, complexity, remote
/// area, extensions and pauses (JSON), due date; and its case's chain position (version, head).
type Candidate = (i64, i64, String, String, NaiveDate, String, bool, String, String, NaiveDate, i32, String);

/// The rules of the clocks met so far: thousands of clocks share a handful of rules.
#[derive(Default)]
struct RuleCache(Vec<(RuleSetId, ClockId, &'static ClockRule)>);

impl RuleCache {
    fn get(&mut self, input: &ClockInput) -> AppResult<&'static ClockRule> {
        if let Some((_, _, rule)) =
            self.0.iter().find(|(set, clock, _)| *clock == input.clock && *set == input.rule_set)
        {
            return Ok(rule);
        }
        let rule = rule_of(input.rule_set.as_str(), input.clock)?;
        self.0.push((input.rule_set.clone(), input.clock, rule));
        Ok(rule)
    }
}

/// A stored JSON list (extensions, pauses); nearly always empty.
fn json_list<T: serde::de::DeserializeOwned>(text: &str) -> AppResult<Vec<T>> {
    if text == "[]" {
        return Ok(Vec::new());
    }
    serde_json::from_str(text).map_err(AppError::internal)
}

/// Writes the new due dates, many clocks per statement.
async fn update_clocks(
    db: &impl ConnectionTrait,
    backend: DbBackend,
    new_dues: &[(i64, NaiveDate)],
    now: DateTime<Utc>,
) -> AppResult<()> {
    for chunk in new_dues.chunks(rows_per_statement(backend, 2)) {
        let mut values: Vec<Value> = Vec::with_capacity(1 + 2 * chunk.len());
        values.push(now.into());
        for (id, due) in chunk {
            values.push((*id).into());
            values.push((*due).into());
        }
        let sql = format!(
            "UPDATE deadline SET due_on = v.column2, updated_at = {} FROM (VALUES {}) AS v \
             WHERE deadline.id = v.column1",
            param(backend, 1, None),
            value_rows(backend, 2, chunk.len(), &["bigint", "date"]),
        );
        db.execute_raw(Statement::from_sql_and_values(backend, sql, values)).await?;
    }
    Ok(())
}

/// Moves each case's chain head and refreshes its earliest due date, many cases per statement;
/// 409 `concurrent_update` if one changed since its head was read.
async fn update_cases(
    db: &impl ConnectionTrait,
    backend: DbBackend,
    events: &[NextEvent],
    at: DateTime<Utc>,
) -> AppResult<()> {
    for chunk in events.chunks(rows_per_statement(backend, 4)) {
        let mut values: Vec<Value> = Vec::with_capacity(3 + 4 * chunk.len());
        values.push(at.into());
        values.push(ClockState::Running.as_str().into());
        values.push(false.into());
        for event in chunk {
            values.push(event.petition_id.into());
            values.push(event.version.into());
            values.push(event.seq.into());
            values.push(event.hash.as_str().into());
        }
        // `next_due_on` as `deadlines::refresh_next_due` computes it: the earliest running, unpaused
        // clock. Without statistics SQLite would read it through the (state, due_on) index, i.e. scan
        // every running clock once per case; the case's own clocks are a handful.
        let clocks_of_case = match backend {
            DbBackend::Sqlite => "deadline AS d INDEXED BY ix_deadline_petition",
            _ => "deadline AS d",
        };
        let sql = format!(
            "UPDATE petition SET version = v.column3, event_head = v.column4, updated_at = {}, \
             next_due_on = (SELECT MIN(d.due_on) FROM {clocks_of_case} WHERE d.petition_id = petition.id \
             AND d.state = {} AND d.paused = {}) \
             FROM (VALUES {}) AS v WHERE petition.id = v.column1 AND petition.version = v.column2",
            param(backend, 1, None),
            param(backend, 2, None),
            param(backend, 3, None),
            value_rows(backend, 4, chunk.len(), &["bigint", "integer", "integer", "text"]),
        );
        let moved = db.execute_raw(Statement::from_sql_and_values(backend, sql, values)).await?;
        if moved.rows_affected() != u64::try_from(chunk.len()).unwrap_or(u64::MAX) {
            return Err(AppError::conflict(
                "concurrent_update",
                "Một số hồ sơ vừa được cập nhật đồng thời; vui lòng thử lại.",
            ));
        }
    }
    Ok(())
}

/// Inserts the events, many per statement. What all of them share (instant, actor, action) is
/// bound once per statement; sea-orm's `insert_many` would bind eleven values a row and spend
/// more time building the statement than SQLite spends running it.
async fn insert_events(
    db: &impl ConnectionTrait,
    backend: DbBackend,
    mut events: Vec<NextEvent>,
    actor: &Actor,
    at: DateTime<Utc>,
) -> AppResult<()> {
    while !events.is_empty() {
        let rest = events.split_off(events.len().min(rows_per_statement(backend, 5)));
        let chunk = std::mem::replace(&mut events, rest);
        let mut values: Vec<Value> = Vec::with_capacity(4 + 5 * chunk.len());
        values.push(at.into());
        values.push(actor.id.into());
        values.push(actor.name.as_str().into());
        values.push(RECOMPUTED_ACTION.into());
        let rows = chunk.len();
        for event in chunk {
            values.push(event.petition_id.into());
            values.push(event.seq.into());
            values.push(event.changes.into());
            values.push(event.prev_hash.into());
            values.push(event.hash.into());
        }
        let sql = format!(
            "INSERT INTO petition_event (petition_id, seq, at, actor_id, actor_name, action, from_status, \
             to_status, changes, prev_hash, hash) \
             SELECT v.column1, v.column2, {}, {}, {}, {}, NULL, NULL, v.column3, v.column4, v.column5 \
             FROM (VALUES {}) AS v",
            param(backend, 1, Some("timestamptz")),
            param(backend, 2, Some("bigint")),
            param(backend, 3, Some("text")),
            param(backend, 4, Some("text")),
            value_rows(backend, 5, rows, &["bigint", "integer", "text", "text", "text"]),
        );
        db.execute_raw(Statement::from_sql_and_values(backend, sql, values)).await?;
    }
    Ok(())
}

/// The `n`-th bind parameter (from 1): `?` on SQLite, `$n` (with a cast when given) on PostgreSQL.
fn param(backend: DbBackend, n: usize, cast: Option<&str>) -> String {
    match (backend, cast) {
        (DbBackend::Postgres, Some(cast)) if !cast.is_empty() => format!("${n}::{cast}"),
        (DbBackend::Postgres, _) => format!("${n}"),
        _ => "?".to_owned(),
    }
}

/// `(p, p), (p, p), …`: `rows` tuples of one parameter per cast, numbered from `first`. PostgreSQL
/// gets the casts (`""` for none), since it cannot infer a type for a bare parameter inside a
/// `VALUES` list that is not inserted into a table.
fn value_rows(backend: DbBackend, first: usize, rows: usize, casts: &[&str]) -> String {
    let mut sql = String::with_capacity(rows * casts.len() * 12);
    let mut n = first;
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for (i, cast) in casts.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&param(backend, n, Some(cast)));
            n += 1;
        }
        sql.push(')');
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    fn admin(date: NaiveDate, kind: DayKind) -> SpecialDay {
        SpecialDay { date, kind, name: "Nghỉ".to_owned(), source: DaySource::Admin }
    }

    #[test]
    fn a_new_day_off_flips_only_that_day() {
        let old = Calendar::default();
        let new = Calendar::new(vec![admin(d(2026, 12, 2), DayKind::Holiday)]);
        assert_eq!(flipped_dates(&old, &new, 2026), vec![d(2026, 12, 2)]);
        assert!(flipped_dates(&old, &old, 2026).is_empty());
    }

    #[test]
    fn a_day_off_on_a_compensatory_day_moves_it() {
        // 2027-05-01 is a Saturday; its computed compensatory day is Monday 3 May. An admin day off
        // on Monday 3 May pushes the compensatory day to Tuesday 4 May: two dates flip.
        let old = Calendar::default();
        let new = Calendar::new(vec![admin(d(2027, 5, 3), DayKind::DayOff)]);
        assert_eq!(flipped_dates(&old, &new, 2027), vec![d(2027, 5, 4)]);
        // Cancelling the Saturday holiday gives back Monday 3 May as a working day, and the
        // Saturday itself becomes one.
        let cancelled = Calendar::new(vec![admin(d(2027, 5, 1), DayKind::WorkingDay)]);
        assert_eq!(flipped_dates(&old, &cancelled, 2027), vec![d(2027, 5, 1), d(2027, 5, 3)]);
    }

    #[test]
    fn placeholders_per_backend() {
        assert_eq!(value_rows(DbBackend::Sqlite, 2, 2, &["bigint", "date"]), "(?, ?), (?, ?)");
        assert_eq!(
            value_rows(DbBackend::Postgres, 2, 2, &["bigint", "date"]),
            "($2::bigint, $3::date), ($4::bigint, $5::date)"
        );
        assert_eq!(param(DbBackend::Postgres, 1, None), "$1");
    }

    #[test]
    fn dates_outside_the_table_are_refused() {
        assert!(check_date(d(2026, 12, 2)).is_ok());
        assert!(check_date(d(1989, 12, 31)).is_err());
        assert!(check_date(d(2101, 1, 1)).is_err());
    }
}
