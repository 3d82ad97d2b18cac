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
//!   chain head: its last event's place and hash. A recomputation changes none of the case's
//!   facts, so its event states none (`audit::UNCHANGED`: they stay the last ones stated; no case
//!   row, content or parties to read, and a case row changed behind the register's back is not
//!   sealed over, verification compares it with those facts);
//! - each page's due dates are recomputed in memory on one calendar with
//!   [`deadline_rules::due_date`], and its events (one per case, with all its moved clocks)
//!   serialised and hashed under the audit key ([`audit::follow`]), on a blocking thread while
//!   the next page is read;
//! - the writer writes each page as it comes: its moved clocks in one statement (the rows passed
//!   as one JSON document) and its events in another (what they share bound once).
//!
//! The recomputation itself is in [`recompute`], its SQL (both dialects side by side) in [`sql`].
//!
//! # Concurrency
//! The first statement of the transaction bumps the calendar version: on PostgreSQL that row lock
//! serialises changes of special days made on different servers, and every later read sees the
//! changes committed before it. A clock is moved only from the due date read, and an event is
//! appended only at the place after the head read (the trail's unique `(petition_id, seq)`
//! index): if an action changed a case meanwhile, the whole change is retried on fresh data.

mod recompute;
mod sql;

use std::sync::Arc;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    TransactionTrait, sea_query::OnConflict,
};

pub use crate::domain::calendar::request::DayEntry;
use crate::{
    crypto::Keys,
    db::Db,
    domain::calendar::{Calendar, DaySource, SpecialDay, request::entry_date},
    entity::{setting, special_day},
    error::{AppError, AppResult},
    service::{
        audit::Actor,
        calendar::{CalendarCache, VERSION_KEY},
    },
};
use recompute::{Cause, recompute};

/// How many times a change is tried when another server moved a touched case meanwhile.
const ATTEMPTS: usize = 3;

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

/// At most how many cases [`impact`] counts.
pub const IMPACT_CAP: u64 = 10_000;

/// How many cases a change of `date` may move, before it is made, for the administrator's
/// confirmation: the cases with a running clock whose count spans the date (started on or before
/// it, due on or after it), counted up to [`IMPACT_CAP`] (`true` when there are more). A change
/// that also moves a computed compensatory day can touch a few more; one on a date no count spans
/// touches none.
pub async fn impact(db: &impl ConnectionTrait, date: NaiveDate) -> AppResult<(u64, bool)> {
    use sea_orm::{ColumnTrait, PaginatorTrait, QueryFilter, QuerySelect};

    use crate::{domain::deadline::ClockState, entity::deadline};
    let cases = deadline::Entity::find()
        .select_only()
        .column(deadline::Column::PetitionId)
        .distinct()
        .filter(deadline::Column::State.eq(ClockState::Running))
        .filter(deadline::Column::DueOn.gte(date))
        .filter(deadline::Column::StartOn.lte(date))
        .limit(IMPACT_CAP + 1)
        .count(db)
        .await?;
    Ok((cases.min(IMPACT_CAP), cases > IMPACT_CAP))
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
    keys: &Keys,
    cache: &CalendarCache,
    date: NaiveDate,
    entry: DayEntry,
    by: &Actor,
    now: DateTime<Utc>,
) -> AppResult<DayChanged> {
    change(db, keys, cache, entry_date(date)?, Some(entry), by, now).await
}

/// Removes the administrator's entry for `date`, reverting the date to its published or computed
/// default; 404 when there is none. Recomputes like [`set`].
pub async fn remove(
    db: &Db,
    keys: &Keys,
    cache: &CalendarCache,
    date: NaiveDate,
    by: &Actor,
    now: DateTime<Utc>,
) -> AppResult<DayChanged> {
    change(db, keys, cache, entry_date(date)?, None, by, now).await
}

async fn change(
    db: &Db,
    keys: &Keys,
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
        match change_in(&txn, &db.reader, keys, date, entry.as_ref(), by, now).await {
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
    keys: &Keys,
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
    let recomputed =
        recompute(txn, reader, keys.clone(), Arc::clone(&new), changed_dates, cause, now).await?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::DayKind;

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
}
