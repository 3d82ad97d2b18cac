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
//! A change in a busy period can touch every open case; the goal is 100,000 cases in under two
//! seconds on SQLite on a 2-core machine (`cargo bench --bench recompute`, figures in the README).
//! So the work is the least the database can do, spread over both cores:
//! - only the clocks and the trail are written. A case row is never rewritten: its next due date
//!   is read from its clocks when shown (migration 000007), and the chain of its trail ends with
//!   its last event (`audit`), so the new events follow it without moving an anchor on the row;
//! - the candidates are read on a **reader** connection while the transaction's own connection
//!   writes: on SQLite the transaction holds the write lock from its first statement, so the
//!   reader sees exactly the committed state the change starts from; on PostgreSQL every
//!   statement of the transaction would see the latest commits anyway, and the guards below catch
//!   a case changed meanwhile;
//! - the reader first takes the cases that have a running clock due on or after the first
//!   flipped date from the `(state, due_on, paused, petition_id)` index alone (migration 000008),
//!   then reads their clocks a page of cases at a time, so that all the moved clocks of a case are
//!   in one page: each page is one JSON document built by the database (a hundred thousand rows
//!   one by one through the driver cost more than the whole recomputation), with each case's
//!   chain head;
//! - each page's due dates are recomputed in memory on one calendar with
//!   [`deadline_rules::due_date`], and its events (one per case, with all its moved clocks)
//!   serialised and hashed ([`audit::follow`]), on a blocking thread while the next page is
//!   read;
//! - the writer writes each page as it comes: its moved clocks in one statement (the rows passed
//!   as one JSON document) and its events in another (what they share bound once).
//!
//! # Concurrency
//! The first statement of the transaction bumps the calendar version: on PostgreSQL that row lock
//! serialises changes of special days made on different servers, and every later read sees the
//! changes committed before it. A clock is moved only from the due date read, and an event is
//! appended only at the place after the head read (the trail's unique `(petition_id, seq)`
//! index): if an action changed a case meanwhile, the whole change is retried on fresh data.

use std::sync::Arc;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, EntityTrait,
    Statement, TransactionTrait, Value, sea_query::OnConflict,
};

use crate::{
    db::Db,
    domain::{
        calendar::{Calendar, DayKind, DaySource, SpecialDay},
        deadline::{
            self as deadline_rules, ClockId, ClockInput, ClockRule, ClockState, Complexity, RuleSetId,
        },
        petition::{EventAction, Status},
    },
    entity::{setting, special_day},
    error::{AppError, AppResult},
    service::{
        audit::{self, Actor, Head},
        calendar::{CalendarCache, VERSION_KEY},
        deadlines::rule_of,
    },
};

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
    Ok(rows.into_iter().map(to_special_day).collect())
}

/// Sets the administrator's entry for `date` (replacing one already there), recomputes the touched
/// clocks of open cases, bumps the calendar version and forgets the cached calendar.
pub async fn set(
    db: &Db,
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
    db: &Db,
    cache: &CalendarCache,
    date: NaiveDate,
    by: &Actor,
    now: DateTime<Utc>,
) -> AppResult<DayChanged> {
    change(db, cache, check_date(date)?, None, by, now).await
}

async fn change(
    db: &Db,
    cache: &CalendarCache,
    date: NaiveDate,
    entry: Option<DayEntry>,
    by: &Actor,
    now: DateTime<Utc>,
) -> AppResult<DayChanged> {
    let started = std::time::Instant::now();
    let mut attempt = 1;
    loop {
        let txn = db.writer.begin().await?;
        match change_in(&txn, &db.reader, date, entry.as_ref(), by, now).await {
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
    reader: &DatabaseConnection,
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
                kind: Set(entry.kind),
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
    let new = Arc::new(Calendar::new(after));
    let changed_dates = flipped_dates(&old, &new, date.year());
    let cause = Cause { date, entry: entry.cloned(), by: by.clone() };
    let recomputed = recompute(txn, reader, Arc::clone(&new), changed_dates, cause, now).await?;
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

fn to_special_day(row: special_day::Model) -> SpecialDay {
    SpecialDay { date: row.date, kind: row.kind, name: row.name, source: DaySource::Admin }
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
    /// The `changes` of a case's event, as stored and hashed: the day changed, by whom, and each
    /// clock's old and new due date. Serialized from a struct, not built as a JSON value: a
    /// hundred thousand of them are written at once. The keys are in alphabetical order, as
    /// every other event's `changes` are stored.
    fn changes(&self, clocks: &[Moved]) -> AppResult<String> {
        #[derive(serde::Serialize)]
        struct Changes<'a> {
            changed_by: ChangedBy<'a>,
            clocks: Vec<ClockMove>,
            day: NaiveDate,
            day_change: &'static str,
            day_kind: Option<&'static str>,
            day_name: Option<&'a str>,
        }
        #[derive(serde::Serialize)]
        struct ChangedBy<'a> {
            id: Option<i64>,
            name: &'a str,
        }
        #[derive(serde::Serialize)]
        struct ClockMove {
            clock: ClockId,
            new_due: NaiveDate,
            old_due: NaiveDate,
        }
        serde_json::to_string(&Changes {
            changed_by: ChangedBy { id: self.by.id, name: &self.by.name },
            clocks: clocks
                .iter()
                .map(|m| ClockMove { clock: m.clock, new_due: m.new_due, old_due: m.old_due })
                .collect(),
            day: self.date,
            day_change: if self.entry.is_some() { "set" } else { "removed" },
            day_kind: self.entry.as_ref().map(|e| e.kind.as_str()),
            day_name: self.entry.as_ref().map(|e| e.name.as_str()),
        })
        .map_err(AppError::internal)
    }
}

/// One clock whose due date moved.
#[derive(Debug, Clone)]
struct Moved {
    clock_id: i64,
    petition_id: i64,
    clock: ClockId,
    old_due: NaiveDate,
    new_due: NaiveDate,
    /// The case's chain head when the clock was read.
    head: Head,
}

/// A case's next event, ready to write.
#[derive(Debug)]
struct NextEvent {
    petition_id: i64,
    seq: i32,
    changes: String,
    prev_hash: String,
    hash: String,
}

/// Recomputes, on `cal`, every running (or informational) clock of an open case whose count spans
/// one of `changed_dates`, and writes the moved ones with one history event per case. Must run
/// inside the transaction that changed the special days, after its first write (see the module
/// documentation); the candidates are read on `reader` meanwhile.
async fn recompute(
    txn: &DatabaseTransaction,
    reader: &DatabaseConnection,
    cal: Arc<Calendar>,
    changed_dates: Vec<NaiveDate>,
    cause: Cause,
    now: DateTime<Utc>,
) -> AppResult<Recomputed> {
    let (Some(&first), Some(&last)) = (changed_dates.first(), changed_dates.last()) else {
        return Ok(Recomputed::default());
    };
    let backend = txn.get_database_backend();
    let started = std::time::Instant::now();
    let at = audit::event_instant(now);
    let work = PageWork { cal, cause: Arc::new(cause), actor: Actor::system(), at, first, last };

    // The reader sends, in order, each page's recomputation (running on a blocking thread); a few
    // pages ahead at most.
    let (pages_tx, mut pages) = tokio::sync::mpsc::channel(4);
    let reading = tokio::spawn(read_pages(reader.clone(), work.clone(), pages_tx));
    let (mut cases, mut clocks) = (0u64, 0u64);
    // Where the writer's time goes: waiting for the reader, writing clocks, writing events.
    let mut waited = std::time::Duration::ZERO;
    let (mut clocks_ms, mut events_ms) = (std::time::Duration::ZERO, std::time::Duration::ZERO);
    loop {
        let phase = std::time::Instant::now();
        let Some(page) = pages.recv().await else { break };
        let page: Page = page.await.map_err(AppError::internal)??;
        waited += phase.elapsed();
        let phase = std::time::Instant::now();
        update_clocks(txn, backend, &page.moved, now).await?;
        clocks_ms += phase.elapsed();
        cases += u64::try_from(page.events.len()).unwrap_or(u64::MAX);
        clocks += u64::try_from(page.moved.len()).unwrap_or(u64::MAX);
        let phase = std::time::Instant::now();
        insert_events(txn, backend, page.events, &work.actor, at).await?;
        events_ms += phase.elapsed();
    }
    reading.await.map_err(AppError::internal)??;
    tracing::debug!(
        ms = started.elapsed().as_millis(),
        waiting_ms = waited.as_millis(),
        clocks_ms = clocks_ms.as_millis(),
        events_ms = events_ms.as_millis(),
        cases,
        clocks,
        "recompute: candidates read, due dates computed, clocks and events written"
    );
    Ok(Recomputed { changed_dates, cases, clocks })
}

/// Cases per page: small enough that the writes start early, large enough that each read's and
/// each write's set-up is spread over many rows.
const CASES_PER_PAGE: usize = 2_500;

/// What every page's recomputation needs.
#[derive(Clone)]
struct PageWork {
    cal: Arc<Calendar>,
    cause: Arc<Cause>,
    actor: Actor,
    at: DateTime<Utc>,
    /// The first and last date whose working status flipped.
    first: NaiveDate,
    last: NaiveDate,
}

/// A page of cases recomputed: the clocks that moved, and each touched case's event.
struct Page {
    moved: Vec<Moved>,
    events: Vec<NextEvent>,
}

/// A page being recomputed on a blocking thread.
type PageTask = tokio::task::JoinHandle<AppResult<Page>>;

/// Reads the candidates page by page and sends each page's recomputation, started on a blocking
/// thread while the next page is read. First the cases with a running or informational clock due
/// on or after the first flipped date (one scan of the `(state, due_on, paused, petition_id)`
/// index, which holds all it needs); then, a page of those cases at a time, their clocks whose
/// count can see a flipped date, so that every case's moved clocks are in one page and its one
/// event can be written with them.
async fn read_pages(
    db: DatabaseConnection,
    work: PageWork,
    pages: tokio::sync::mpsc::Sender<PageTask>,
) -> AppResult<()> {
    let backend = db.get_database_backend();
    let phase = std::time::Instant::now();
    let ids = candidate_cases(&db, backend, work.first).await?;
    tracing::trace!(ms = phase.elapsed().as_millis(), cases = ids.len(), "recompute: candidate cases read");
    let sql = candidates_sql(backend);
    let open: Vec<&str> = Status::ALL.iter().filter(|s| s.is_open()).map(|s| s.as_str()).collect();
    for chunk in ids.chunks(CASES_PER_PAGE) {
        let phase = std::time::Instant::now();
        let values: Vec<Value> = vec![
            serde_json::to_string(chunk).map_err(AppError::internal)?.into(),
            ClockState::Running.as_str().into(),
            ClockState::Informational.as_str().into(),
            work.last.into(),
            work.last.into(),
            work.first.into(),
            open[0].into(),
            open[1].into(),
            open[2].into(),
        ];
        let row = db
            .query_one_raw(Statement::from_sql_and_values(backend, sql.clone(), values))
            .await?
            .ok_or_else(|| AppError::internal("no candidate document"))?;
        let text: String = row.try_get_by_index(0)?;
        let batch: Vec<Candidate> = serde_json::from_str(&text).map_err(AppError::internal)?;
        tracing::trace!(ms = phase.elapsed().as_millis(), clocks = batch.len(), "recompute: page read");
        let work = work.clone();
        let task = tokio::task::spawn_blocking(move || {
            let mut moved = moved_clocks(batch, &work.cal)?;
            moved.sort_by_key(|m| (m.petition_id, m.clock_id));
            let events = events_of(&moved, &work.cause, &work.actor, work.at)?;
            Ok(Page { moved, events })
        });
        if pages.send(task).await.is_err() {
            // The writer gave up (its error is the one reported).
            return Ok(());
        }
    }
    Ok(())
}

/// The cases, by id, with a running or informational clock due on or after `first`: a superset
/// of the touched ones, read from the index alone as one JSON document (with repeats: sorting and
/// removing them here costs less than asking the database to).
async fn candidate_cases(
    db: &DatabaseConnection,
    backend: DbBackend,
    first: NaiveDate,
) -> AppResult<Vec<i64>> {
    let sql = match backend {
        DbBackend::Postgres => {
            "SELECT COALESCE(json_agg(petition_id), '[]')::text FROM deadline \
             WHERE state IN ($1, $2) AND due_on >= $3"
        }
        _ => {
            "SELECT COALESCE(json_group_array(petition_id), '[]') FROM deadline WHERE state IN (?, ?) AND due_on >= ?"
        }
    };
    let values: Vec<Value> =
        vec![ClockState::Running.as_str().into(), ClockState::Informational.as_str().into(), first.into()];
    let row = db
        .query_one_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?
        .ok_or_else(|| AppError::internal("no candidate case document"))?;
    let text: String = row.try_get_by_index(0)?;
    let mut ids: Vec<i64> = serde_json::from_str(&text).map_err(AppError::internal)?;
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// The query of one page of candidates, as one JSON document: the clocks of the page's cases
/// (a JSON list of ids) whose count can see a flipped date, with their open case's chain head.
fn candidates_sql(backend: DbBackend) -> String {
    // An unpaused calendar-day clock only looks at the days from its last counted day (start +
    // limit) to its due date, so most of them can be left out in the query.
    let (document, cases, head, last_counted_day, placeholders) = match backend {
        DbBackend::Postgres => (
            "COALESCE(json_agg(json_build_array(id, petition_id, clock, rule_set, start_on, complexity, \
             remote_area, extensions, pauses, due_on, head)), '[]')::text",
            "jsonb_array_elements_text($1::jsonb) AS ids(value) JOIN deadline d ON d.petition_id = ids.value::bigint",
            "(SELECT json_build_array(e.seq, e.hash) FROM petition_event e WHERE e.petition_id = d.petition_id \
             ORDER BY e.seq DESC LIMIT 1)",
            "d.start_on + d.limit_days <= $5",
            ["$2", "$3", "$4", "$5", "$6", "$7", "$8", "$9"],
        ),
        _ => (
            "COALESCE(json_group_array(json_array(id, petition_id, clock, rule_set, start_on, complexity, \
             json(CASE WHEN remote_area THEN 'true' ELSE 'false' END), extensions, pauses, due_on, json(head))), '[]')",
            // The page's ids first, then each one's clocks through `(petition_id, state)`.
            "json_each(?) AS ids CROSS JOIN deadline AS d INDEXED BY ix_deadline_petition ON d.petition_id = ids.value",
            "(SELECT json_array(e.seq, e.hash) FROM petition_event e WHERE e.petition_id = d.petition_id \
             ORDER BY e.seq DESC LIMIT 1)",
            "date(d.start_on, '+' || d.limit_days || ' days') <= ?",
            ["?", "?", "?", "?", "?", "?", "?", "?"],
        ),
    };
    let [running, informational, start_max, counted_max, due_min, open1, open2, open3] = placeholders;
    format!(
        "SELECT {document} FROM (SELECT d.id, d.petition_id, d.clock, d.rule_set, d.start_on, d.complexity, \
         d.remote_area, d.extensions, d.pauses, d.due_on, {head} AS head \
         FROM {cases} JOIN petition p ON p.id = d.petition_id \
         WHERE d.state IN ({running}, {informational}) AND d.start_on <= {start_max} \
         AND (d.unit <> 'calendar' OR d.pauses <> '[]' OR {}) \
         AND d.due_on >= {due_min} AND p.status IN ({open1}, {open2}, {open3})) AS c",
        last_counted_day.replace("$5", counted_max).replace('?', counted_max),
    )
}

/// A clock read for recomputation, with its case's chain head (`null` before a first event, which
/// every stored case has).
#[derive(Debug, serde::Deserialize)]
struct Candidate {
    id: i64,
    petition_id: i64,
    clock: ClockId,
    rule_set: RuleSetId,
    start_on: NaiveDate,
    complexity: Complexity,
    remote_area: bool,
    extensions: String,
    pauses: String,
    due_on: NaiveDate,
    head: Option<(i32, String)>,
}

/// The candidates whose due date moves on `cal`.
fn moved_clocks(batch: Vec<Candidate>, cal: &Calendar) -> AppResult<Vec<Moved>> {
    let mut rules = RuleCache::default();
    let mut moved = Vec::new();
    for c in batch {
        let input = ClockInput {
            clock: c.clock,
            start: c.start_on,
            complex: c.complexity,
            remote_area: c.remote_area,
            extensions: json_list(&c.extensions)?,
            pauses: json_list(&c.pauses)?,
            rule_set: c.rule_set,
        };
        let new_due = deadline_rules::due_date(rules.get(&input)?, &input, cal);
        if new_due != c.due_on {
            let head = c.head.map_or_else(Head::genesis, |(seq, hash)| Head { seq, hash });
            moved.push(Moved {
                clock_id: c.id,
                petition_id: c.petition_id,
                clock: c.clock,
                old_due: c.due_on,
                new_due,
                head,
            });
        }
    }
    Ok(moved)
}

/// The events of `moved` (sorted by case), one per case.
fn events_of(moved: &[Moved], cause: &Cause, actor: &Actor, at: DateTime<Utc>) -> AppResult<Vec<NextEvent>> {
    moved
        .chunk_by(|a, b| a.petition_id == b.petition_id)
        .map(|clocks| {
            let case = &clocks[0];
            let changes = cause.changes(clocks)?;
            let Head { seq, hash } = audit::follow(
                &case.head,
                case.petition_id,
                at,
                actor,
                EventAction::DeadlineRecomputed,
                None,
                None,
                &changes,
            );
            Ok(NextEvent {
                petition_id: case.petition_id,
                seq,
                changes,
                prev_hash: case.head.hash.clone(),
                hash,
            })
        })
        .collect()
}

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
        let rule = rule_of(input.rule_set, input.clock)?;
        self.0.push((input.rule_set, input.clock, rule));
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

/// The refusal when a touched case changed since it was read.
fn changed_meanwhile() -> AppError {
    AppError::conflict("concurrent_update", "Một số hồ sơ vừa được cập nhật đồng thời; vui lòng thử lại.")
}

/// Writes a page of new due dates in one statement, the rows passed as one JSON document
/// `[[id, new due, old due], …]`; 409 `concurrent_update` (the change is retried) if a clock's
/// due date is no longer the one read.
async fn update_clocks(
    db: &impl ConnectionTrait,
    backend: DbBackend,
    page: &[Moved],
    now: DateTime<Utc>,
) -> AppResult<()> {
    if page.is_empty() {
        return Ok(());
    }
    let rows: Vec<(i64, NaiveDate, NaiveDate)> =
        page.iter().map(|m| (m.clock_id, m.new_due, m.old_due)).collect();
    let rows = serde_json::to_string(&rows).map_err(AppError::internal)?;
    let sql = match backend {
        DbBackend::Postgres => {
            "UPDATE deadline SET due_on = v.new_due, updated_at = $1 \
             FROM (SELECT (j->>0)::bigint AS id, (j->>1)::date AS new_due, (j->>2)::date AS old_due \
             FROM jsonb_array_elements($2::jsonb) AS j) AS v \
             WHERE deadline.id = v.id AND deadline.due_on = v.old_due"
        }
        _ => {
            "UPDATE deadline SET due_on = v.new_due, updated_at = ? \
             FROM (SELECT j.value->>0 AS id, j.value->>1 AS new_due, j.value->>2 AS old_due FROM json_each(?) AS j) AS v \
             WHERE deadline.id = v.id AND deadline.due_on = v.old_due"
        }
    };
    let values: Vec<Value> = vec![now.into(), rows.into()];
    let written = db.execute_raw(Statement::from_sql_and_values(backend, sql, values)).await?;
    if written.rows_affected() != u64::try_from(page.len()).unwrap_or(u64::MAX) {
        return Err(changed_meanwhile());
    }
    Ok(())
}

/// Appends the events, many per statement, each at the place after its case's head; 409
/// `concurrent_update` (the change is retried) if another event took a place meanwhile. What all
/// of them share (instant, actor, action) is bound once per statement; sea-orm's `insert_many`
/// would bind eleven values a row and spend more time building the statement than SQLite spends
/// running it.
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
        values.push(EventAction::DeadlineRecomputed.into());
        let rows = chunk.len();
        for event in chunk {
            values.push(event.petition_id.into());
            values.push(event.seq.into());
            values.push(event.changes.into());
            values.push(event.prev_hash.into());
            values.push(event.hash.into());
        }
        // `WHERE true`: SQLite's grammar needs it between a SELECT and its ON CONFLICT.
        let sql = format!(
            "INSERT INTO petition_event (petition_id, seq, at, actor_id, actor_name, action, from_status, \
             to_status, changes, prev_hash, hash) \
             SELECT v.column1, v.column2, {}, {}, {}, {}, NULL, NULL, v.column3, v.column4, v.column5 \
             FROM (VALUES {}) AS v WHERE true ON CONFLICT (petition_id, seq) DO NOTHING",
            param(backend, 1, Some("timestamptz")),
            param(backend, 2, Some("bigint")),
            param(backend, 3, Some("text")),
            param(backend, 4, Some("text")),
            value_rows(backend, 5, rows, &["bigint", "integer", "text", "text", "text"]),
        );
        let written = db.execute_raw(Statement::from_sql_and_values(backend, sql, values)).await?;
        if written.rows_affected() != u64::try_from(rows).unwrap_or(u64::MAX) {
            return Err(changed_meanwhile());
        }
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
