//! The recomputation after a change of special days (see the parent module's docs for the design):
//! the candidates read page by page on a reader, each page's due dates and events computed on a
//! blocking thread, each page written by the transaction as it comes.

use std::{collections::HashMap, sync::Arc};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, Value};

use super::DayEntry;
use super::{Recomputed, sql};
use crate::{
    crypto::{Auditor, Keys},
    db::sql::rows_per_statement,
    domain::{
        calendar::Calendar,
        deadline::{
            self as deadline_rules, ClockId, ClockInput, ClockRule, ClockState, Complexity, RuleSetId,
        },
        petition::{EventAction, Status},
    },
    error::{AppError, AppResult},
    service::{
        audit::{self, Actor, Head},
        deadlines::{self, rule_of},
        notifications::{self, DueMove},
    },
};

/// Why the clocks moved, as written into each touched case's history.
#[derive(Debug, Clone)]
pub(super) struct Cause {
    pub date: NaiveDate,
    /// The new entry, or `None` when the entry was removed.
    pub entry: Option<DayEntry>,
    pub by: Actor,
}

impl Cause {
    /// Why a citizen's due date moved, as their message says it.
    fn why(&self) -> String {
        let day = self.date.format("%d/%m/%Y");
        let change = match &self.entry {
            Some(e) if e.kind.is_day_off() => format!("ngày {day} được công bố là ngày nghỉ ({})", e.name),
            Some(e) => format!("ngày {day} được công bố là ngày làm việc ({})", e.name),
            None => format!("lịch ngày {day} được trả về như thường lệ"),
        };
        format!("Lý do: lịch ngày nghỉ, ngày làm việc được điều chỉnh: {change}.")
    }

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
    head: Arc<Head>,
}

/// A case's next event, ready to write.
#[derive(Debug)]
struct NextEvent {
    petition_id: i64,
    seq: i32,
    changes: String,
    prev_hash: String,
    hash: String,
    /// [`audit::UNCHANGED`] (a recomputation changes no fact), or the facts of a case's first
    /// event.
    facts: String,
}

/// Recomputes, on `cal`, every running (or informational) clock of an open case whose count spans
/// one of `changed_dates`, and writes the moved ones with one history event per case. Must run
/// inside the transaction that changed the special days, after its first write (see the module
/// documentation); the candidates are read on `reader` meanwhile.
pub(super) async fn recompute(
    txn: &DatabaseTransaction,
    reader: &DatabaseConnection,
    keys: Keys,
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
    let work = PageWork { keys, cal, cause: Arc::new(cause), actor: Actor::system(), at, first, last };

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
        // The inbox's sort key of the page's cases, in one statement (m20261206_000013).
        let mut touched: Vec<i64> = page.moved.iter().map(|m| m.petition_id).collect();
        touched.dedup();
        deadlines::refresh_inbox(txn, &touched).await?;
        // The petitioners whose resolution due date (the one they were told) moved hear of it.
        let told: Vec<DueMove> = page
            .moved
            .iter()
            .filter(|m| deadlines::RESOLUTION_CLOCKS.contains(&m.clock))
            .map(|m| DueMove { petition_id: m.petition_id, old_due: m.old_due, new_due: m.new_due })
            .collect();
        notifications::due_moved(txn, &work.keys, &told, &work.cause.why(), now).await?;
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
    keys: Keys,
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
    let open: Vec<Status> = Status::ALL.iter().copied().filter(|s| s.is_open()).collect();
    for chunk in ids.chunks(CASES_PER_PAGE) {
        let phase = std::time::Instant::now();
        let values: Vec<Value> = vec![
            serde_json::to_string(chunk).map_err(AppError::internal)?.into(),
            ClockState::Running.into(),
            ClockState::Informational.into(),
            work.last.into(),
            work.last.into(),
            work.first.into(),
            open[0].into(),
            open[1].into(),
            open[2].into(),
        ];
        let row = db
            .query_one_raw(sql::CANDIDATES.statement(backend, values))
            .await?
            .ok_or_else(|| AppError::internal("no candidate document"))?;
        let text: String = row.try_get_by_index(0)?;
        let batch: Vec<Candidate> = serde_json::from_str(&text).map_err(AppError::internal)?;
        tracing::trace!(ms = phase.elapsed().as_millis(), clocks = batch.len(), "recompute: page read");
        // A case with no event yet (not made by the intake) has no head's facts to carry on: its
        // first event records them as they stand.
        let mut fresh: Vec<i64> = batch.iter().filter(|c| c.head.is_none()).map(|c| c.petition_id).collect();
        fresh.dedup();
        let fresh = if fresh.is_empty() {
            HashMap::new()
        } else {
            audit::current_facts(&db, &work.keys, &fresh).await?
        };
        let work = work.clone();
        let task = tokio::task::spawn_blocking(move || {
            let mut moved = moved_clocks(batch, fresh, &work.cal)?;
            moved.sort_by_key(|m| (m.petition_id, m.clock_id));
            let events = events_of(&work.keys.audit, &moved, &work.cause, &work.actor, work.at)?;
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
    let values: Vec<Value> = vec![ClockState::Running.into(), ClockState::Informational.into(), first.into()];
    let row = db
        .query_one_raw(sql::CANDIDATE_CASES.statement(backend, values))
        .await?
        .ok_or_else(|| AppError::internal("no candidate case document"))?;
    let text: String = row.try_get_by_index(0)?;
    let mut ids: Vec<i64> = serde_json::from_str(&text).map_err(AppError::internal)?;
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// A clock read for recomputation, with its case's chain head: its last event's place, hash and
/// facts (`null` before a first event, which every stored case has).
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
    head: Option<(i32, String, String)>,
}

/// The candidates whose due date moves on `cal`; `fresh` holds the facts of the cases with no
/// event yet.
fn moved_clocks(batch: Vec<Candidate>, fresh: HashMap<i64, String>, cal: &Calendar) -> AppResult<Vec<Moved>> {
    let mut rules = RuleCache::default();
    let mut moved = Vec::new();
    // The head read with a case's first clock, shared by its other clocks.
    let mut shared: Option<(i64, Arc<Head>)> = None;
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
            let head = match (&shared, c.head) {
                (Some((id, head)), _) if *id == c.petition_id => Arc::clone(head),
                (_, read) => {
                    let read = Arc::new(match read {
                        Some((seq, hash, facts)) => Head { seq, hash, facts },
                        None => Head {
                            facts: fresh.get(&c.petition_id).cloned().unwrap_or_default(),
                            ..Head::genesis()
                        },
                    });
                    shared = Some((c.petition_id, Arc::clone(&read)));
                    read
                }
            };
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

/// The events of `moved` (sorted by case), one per case, each stating no facts (they are its
/// head's: a recomputation changes none, `audit::UNCHANGED`), but a case's first event, which
/// states them; a case whose trail has no keyed head (none written by this version nor anchored)
/// is an error.
fn events_of(
    auditor: &Auditor,
    moved: &[Moved],
    cause: &Cause,
    actor: &Actor,
    at: DateTime<Utc>,
) -> AppResult<Vec<NextEvent>> {
    moved
        .chunk_by(|a, b| a.petition_id == b.petition_id)
        .map(|clocks| {
            let case = &clocks[0];
            if case.head.facts.is_empty() {
                return Err(AppError::internal(format!(
                    "case {}: its trail has no keyed head to follow",
                    case.petition_id
                )));
            }
            let changes = cause.changes(clocks)?;
            let facts = audit::to_store(&case.head, &case.head.facts);
            let (seq, hash) = audit::follow(
                auditor,
                &case.head,
                case.petition_id,
                at,
                actor,
                EventAction::DeadlineRecomputed,
                None,
                None,
                &changes,
                facts,
            );
            Ok(NextEvent {
                petition_id: case.petition_id,
                seq,
                changes,
                prev_hash: case.head.hash.clone(),
                hash,
                facts: facts.to_owned(),
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
    let values: Vec<Value> = vec![now.into(), rows.into()];
    let written = db.execute_raw(sql::UPDATE_CLOCKS.statement(backend, values)).await?;
    if written.rows_affected() != u64::try_from(page.len()).unwrap_or(u64::MAX) {
        return Err(changed_meanwhile());
    }
    Ok(())
}

/// Appends the events, many per statement, each at the place after its case's head; 409
/// `concurrent_update` (the change is retried) if another event took a place meanwhile. What all
/// of them share (instant, actor, action) is bound once per statement; sea-orm's `insert_many`
/// would bind twelve values a row and spend more time building the statement than SQLite spends
/// running it.
async fn insert_events(
    db: &impl ConnectionTrait,
    backend: DbBackend,
    mut events: Vec<NextEvent>,
    actor: &Actor,
    at: DateTime<Utc>,
) -> AppResult<()> {
    while !events.is_empty() {
        let rest = events.split_off(events.len().min(rows_per_statement(backend, 6)));
        let chunk = std::mem::replace(&mut events, rest);
        let mut values: Vec<Value> = Vec::with_capacity(4 + 6 * chunk.len());
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
            values.push(event.facts.into());
        }
        let statement = crate::db::sql::statement(backend, &sql::insert_events(rows), values);
        let written = db.execute_raw(statement).await?;
        if written.rows_affected() != u64::try_from(rows).unwrap_or(u64::MAX) {
            return Err(changed_meanwhile());
        }
    }
    Ok(())
}
