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
//! A change in a busy period can touch every open case; the goal is 100,000 cases in well under two
//! seconds on SQLite (`cargo bench --bench recompute`, figures in the README). So nothing is done
//! per row over the connection: the candidates come from one query, the due dates are recomputed in
//! memory on one calendar, and the writes are multi-row statements: `UPDATE … FROM (VALUES …)` for
//! the clocks and the cases (the same syntax on SQLite ≥ 3.33 and PostgreSQL), and a multi-row
//! `INSERT` of the events, each chained with [`audit::prepare`] from the case's current head.
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
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, EntityTrait,
    QueryFilter, QuerySelect, Statement, TransactionTrait, Value,
    sea_query::{OnConflict, Query},
};
use serde_json::json;

use crate::{
    domain::{
        calendar::{Calendar, DayKind, DaySource, SpecialDay, TABLE_FIRST_YEAR, TABLE_LAST_YEAR},
        petition::Status,
    },
    entity::{deadline, petition, petition_event, setting, special_day},
    error::{AppError, AppResult},
    service::{
        audit::{self, Actor, Change},
        calendar::{CalendarCache, VERSION_KEY},
        deadlines::{ClockState, compute_row},
    },
};

/// The audit action of a recomputation after a change of special days.
pub const RECOMPUTED_ACTION: &str = "deadline_recomputed";

/// How many times a change is tried when another server moved a touched case meanwhile.
const ATTEMPTS: usize = 3;

/// Rows per multi-row statement. SQLite binds at most 32,766 values per statement and PostgreSQL
/// 65,535; these stay under both and are large enough that the per-statement cost vanishes.
const CLOCK_ROWS_PER_STATEMENT: usize = 4000;
const CASE_ROWS_PER_STATEMENT: usize = 2500;
const EVENT_ROWS_PER_STATEMENT: usize = 2000;
const IDS_PER_QUERY: usize = 5000;

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
    if (TABLE_FIRST_YEAR..=TABLE_LAST_YEAR).contains(&date.year()) {
        Ok(date)
    } else {
        Err(AppError::field(
            "date",
            format!("Chỉ nhận ngày từ năm {TABLE_FIRST_YEAR} đến năm {TABLE_LAST_YEAR}."),
        ))
    }
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
    change(db, cache, date, None, by, now).await
}

async fn change(
    db: &DatabaseConnection,
    cache: &CalendarCache,
    date: NaiveDate,
    entry: Option<DayEntry>,
    by: &Actor,
    now: DateTime<Utc>,
) -> AppResult<DayChanged> {
    let mut attempt = 1;
    loop {
        let txn = db.begin().await?;
        match change_in(&txn, date, entry.as_ref(), by, now).await {
            Ok(done) => {
                txn.commit().await?;
                cache.invalidate();
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
    let cause = Cause { date, entry, by };
    let recomputed = recompute(txn, &new, changed_dates, &cause, now).await?;
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
struct Cause<'a> {
    date: NaiveDate,
    /// The new entry, or `None` when the entry was removed.
    entry: Option<&'a DayEntry>,
    by: &'a Actor,
}

/// One clock whose due date moved.
struct Moved {
    clock_id: i64,
    petition_id: i64,
    clock: String,
    old_due: NaiveDate,
    new_due: NaiveDate,
}

/// Recomputes, on `cal`, every running clock of an open case whose count spans one of
/// `changed_dates`, and writes the moved ones with one history event per case. Must run inside the
/// transaction that changed the special days.
async fn recompute(
    txn: &DatabaseTransaction,
    cal: &Calendar,
    changed_dates: Vec<NaiveDate>,
    cause: &Cause<'_>,
    now: DateTime<Utc>,
) -> AppResult<Recomputed> {
    let (Some(&first), Some(&last)) = (changed_dates.first(), changed_dates.last()) else {
        return Ok(Recomputed::default());
    };
    let candidates = deadline::Entity::find()
        .filter(deadline::Column::State.eq(ClockState::Running.as_str()))
        .filter(deadline::Column::StartOn.lte(last))
        .filter(deadline::Column::DueOn.gte(first))
        .filter(deadline::Column::PetitionId.in_subquery(open_cases()))
        .all(txn)
        .await?;

    let mut moved = Vec::new();
    for row in &candidates {
        let new_due = compute_row(row, cal)?.due;
        if new_due != row.due_on {
            moved.push(Moved {
                clock_id: row.id,
                petition_id: row.petition_id,
                clock: row.clock.clone(),
                old_due: row.due_on,
                new_due,
            });
        }
    }
    drop(candidates);
    moved.sort_by_key(|m| (m.petition_id, m.clock_id));
    let mut by_case: BTreeMap<i64, Vec<&Moved>> = BTreeMap::new();
    for m in &moved {
        by_case.entry(m.petition_id).or_default().push(m);
    }

    let backend = txn.get_database_backend();
    update_clocks(txn, backend, &moved, now).await?;
    let heads = heads_of(txn, by_case.keys().copied()).await?;
    let at = audit::event_instant(now);
    let mut case_rows = Vec::with_capacity(by_case.len());
    let mut events = Vec::with_capacity(by_case.len());
    for (petition_id, clocks) in &by_case {
        let (version, head) = heads
            .get(petition_id)
            .ok_or_else(|| AppError::internal(format!("case {petition_id} vanished during recomputation")))?;
        let change = Change {
            action: RECOMPUTED_ACTION.to_owned(),
            from: None,
            to: None,
            changes: cause.changes(clocks),
        };
        let prepared = audit::prepare(*petition_id, *version, head, &Actor::system(), &change, at);
        case_rows.push((*petition_id, *version, prepared.seq, prepared.hash));
        events.push(prepared.row);
    }
    update_cases(txn, backend, &case_rows, at).await?;
    while !events.is_empty() {
        let rest = events.split_off(events.len().min(EVENT_ROWS_PER_STATEMENT));
        petition_event::Entity::insert_many(std::mem::replace(&mut events, rest))
            .exec_without_returning(txn)
            .await?;
    }
    Ok(Recomputed {
        changed_dates,
        cases: u64::try_from(by_case.len()).unwrap_or(u64::MAX),
        clocks: u64::try_from(moved.len()).unwrap_or(u64::MAX),
    })
}

impl Cause<'_> {
    /// The `changes` of a case's event: the day changed, by whom, and each clock's old and new due.
    fn changes(&self, clocks: &[&Moved]) -> serde_json::Value {
        let clocks: Vec<serde_json::Value> = clocks
            .iter()
            .map(|m| json!({"clock": m.clock, "old_due": m.old_due, "new_due": m.new_due}))
            .collect();
        json!({
            "reason": "special_day_changed",
            "day": self.date,
            "day_change": if self.entry.is_some() { "set" } else { "removed" },
            "day_kind": self.entry.map(|e| e.kind.as_str()),
            "day_name": self.entry.map(|e| e.name.as_str()),
            "changed_by": {"id": self.by.id, "name": self.by.name},
            "clocks": clocks,
        })
    }
}

/// The ids of open cases, as a subquery.
fn open_cases() -> sea_orm::sea_query::SelectStatement {
    let open: Vec<&str> = Status::ALL.iter().filter(|s| s.is_open()).map(|s| s.as_str()).collect();
    Query::select()
        .column(petition::Column::Id)
        .from(petition::Entity)
        .and_where(petition::Column::Status.is_in(open))
        .to_owned()
}

/// The chain position (version, head) of each case in `ids`.
async fn heads_of(
    db: &impl ConnectionTrait,
    ids: impl Iterator<Item = i64>,
) -> AppResult<BTreeMap<i64, (i32, String)>> {
    let ids: Vec<i64> = ids.collect();
    let mut heads = BTreeMap::new();
    for chunk in ids.chunks(IDS_PER_QUERY) {
        let rows: Vec<(i64, i32, String)> = petition::Entity::find()
            .select_only()
            .columns([petition::Column::Id, petition::Column::Version, petition::Column::EventHead])
            .filter(petition::Column::Id.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        heads.extend(rows.into_iter().map(|(id, version, head)| (id, (version, head))));
    }
    Ok(heads)
}

/// Writes the new due dates, many clocks per statement.
async fn update_clocks(
    db: &impl ConnectionTrait,
    backend: DbBackend,
    moved: &[Moved],
    now: DateTime<Utc>,
) -> AppResult<()> {
    for chunk in moved.chunks(CLOCK_ROWS_PER_STATEMENT) {
        let mut values: Vec<Value> = Vec::with_capacity(1 + 2 * chunk.len());
        values.push(now.into());
        for m in chunk {
            values.push(m.clock_id.into());
            values.push(m.new_due.into());
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
    cases: &[(i64, i32, i32, String)],
    at: DateTime<Utc>,
) -> AppResult<()> {
    for chunk in cases.chunks(CASE_ROWS_PER_STATEMENT) {
        let mut values: Vec<Value> = Vec::with_capacity(3 + 4 * chunk.len());
        values.push(at.into());
        values.push(ClockState::Running.as_str().into());
        values.push(false.into());
        for (id, version, seq, hash) in chunk {
            values.push((*id).into());
            values.push((*version).into());
            values.push((*seq).into());
            values.push(hash.as_str().into());
        }
        // `next_due_on` as `deadlines::refresh_next_due` computes it: the earliest running, unpaused clock.
        let sql = format!(
            "UPDATE petition SET version = v.column3, event_head = v.column4, updated_at = {}, \
             next_due_on = (SELECT MIN(d.due_on) FROM deadline d WHERE d.petition_id = petition.id \
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

/// The `n`-th bind parameter (from 1): `?` on SQLite, `$n` (with a cast when given) on PostgreSQL.
fn param(backend: DbBackend, n: usize, cast: Option<&str>) -> String {
    match (backend, cast) {
        (DbBackend::Postgres, Some(cast)) => format!("${n}::{cast}"),
        (DbBackend::Postgres, None) => format!("${n}"),
        _ => "?".to_owned(),
    }
}

/// `(p, p), (p, p), …`: `rows` tuples of one parameter per cast, numbered from `first`. PostgreSQL
/// gets the casts, since it cannot infer a type for a bare parameter inside `VALUES`.
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
