//! The heads' scheduled sessions, written out as they are first read: every occurrence of a
//! head's reception schedule that a request touches becomes a stored session (idempotently), so
//! that each has an id the day's visits attach to and the public feed names; those still ahead
//! follow the schedule and the calendar as they change.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Days, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    sea_query::OnConflict,
};

use crate::{
    domain::{
        calendar::Calendar,
        reception::{
            MOVE_BACK_DAYS, MOVE_LOOKBACK_DAYS, SCHEDULE_AHEAD_DAYS, SessionKind, SessionSource,
            SessionStatus, days_after, occurrences_in_force,
        },
    },
    entity::{agency, json::JsonList, reception_session},
    error::AppResult,
    service::reception::{schedules, sessions::periodic_on},
};

/// Where a generated session takes place when the schedule names no place.
pub const DEFAULT_LOCATION: &str = "Trụ sở Ủy ban nhân dân";

/// Writes the scheduled sessions of the agency that touch `from..=to` (idempotent). Each
/// occurrence comes from the version of the head's schedule in force on its own date, so a range
/// first read long after its days is written as the schedule stood then, and nothing is written
/// for days before a head had a schedule. Missing occurrences are inserted (a periodic session the
/// head already set by hand on that day becomes the occurrence's session); scheduled ones still
/// ahead follow the schedule and calendar (moved off a new holiday, dropped when the schedule
/// changed or was switched off). Sessions whose day has passed are history and stay as they are. Nothing is
/// written more than [`SCHEDULE_AHEAD_DAYS`] after today.
pub async fn materialise(
    db: &impl ConnectionTrait,
    cal: &Calendar,
    agency_id: i64,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<()> {
    schedules::ensure_defaults(db, agency_id, now).await?;
    let horizon = days_after(today, SCHEDULE_AHEAD_DAYS);
    let to = to.min(horizon);
    let histories = schedules::histories_of_agency(db, agency_id).await?;
    if histories.is_empty() || from > to {
        return Ok(());
    }
    let window_start = from.checked_sub_days(Days::new(MOVE_LOOKBACK_DAYS)).unwrap_or(from);
    // The range's own occurrences may be moved this far past its end.
    let window_end = to.checked_add_days(Days::new(MOVE_LOOKBACK_DAYS)).unwrap_or(to);
    // A `same_week` occurrence of a day just after the range may be held back inside it.
    let nominal_end = days_after(to, MOVE_BACK_DAYS);
    let hosts: Vec<i64> = histories.iter().map(|s| s.row.host_id).collect();
    let periodic = reception_session::Entity::find()
        .filter(reception_session::Column::HostId.is_in(hosts))
        .filter(reception_session::Column::Kind.eq(SessionKind::Periodic))
        .filter(
            Condition::any()
                .add(
                    Condition::all()
                        .add(reception_session::Column::NominalDate.gte(window_start))
                        .add(reception_session::Column::NominalDate.lte(nominal_end)),
                )
                .add(
                    Condition::all()
                        .add(reception_session::Column::NominalDate.is_null())
                        .add(reception_session::Column::SessionDate.gte(from))
                        .add(reception_session::Column::SessionDate.lte(window_end)),
                ),
        )
        .all(db)
        .await?;
    let location = default_location(db, agency_id).await?;
    for schedule in &histories {
        let host = schedule.row.host_id;
        let (occurrence_rows, by_hand): (Vec<&reception_session::Model>, Vec<&reception_session::Model>) =
            periodic.iter().filter(|s| s.host_id == host).partition(|s| s.nominal_date.is_some());
        let rows = HostRows { occurrences: &occurrence_rows, by_hand: &by_hand };
        sync_schedule(db, cal, schedule, rows, from, to, today, now, &location).await?;
    }
    Ok(())
}

async fn default_location(db: &impl ConnectionTrait, agency_id: i64) -> AppResult<String> {
    Ok(agency::Entity::find_by_id(agency_id)
        .one(db)
        .await?
        .map_or_else(|| DEFAULT_LOCATION.to_owned(), |a| format!("Trụ sở {}", a.name)))
}

/// A head's stored periodic sessions around a range: those of his schedule's occurrences (with a nominal
/// date in the look-back window) and those set by hand (dated in the range or just after it).
struct HostRows<'a> {
    occurrences: &'a [&'a reception_session::Model],
    by_hand: &'a [&'a reception_session::Model],
}

#[allow(clippy::too_many_arguments)]
async fn sync_schedule(
    db: &impl ConnectionTrait,
    cal: &Calendar,
    schedule: &schedules::ScheduleHistory,
    rows: HostRows<'_>,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
    now: DateTime<Utc>,
    agency_location: &str,
) -> AppResult<()> {
    let head = &schedule.row;
    // Every occurrence whose nominal date a stored row of the look-back window can have, under
    // the version in force on that date: a row that stays outside the range is judged by its
    // own occurrence, never dropped for it.
    let window_start = from.checked_sub_days(Days::new(MOVE_LOOKBACK_DAYS)).unwrap_or(from);
    let nominal_end = days_after(to, MOVE_BACK_DAYS);
    let history = schedule.history();
    let expected: HashMap<NaiveDate, (Option<NaiveDate>, usize)> =
        occurrences_in_force(&history, cal, window_start, nominal_end)
            .into_iter()
            .map(|(version, o)| (o.nominal, (o.date, version)))
            .collect();
    // What the schedule said before its first known version is not known: such rows are left alone.
    let governed = |nominal: NaiveDate| history.first().is_some_and(|v| nominal >= v.from);
    // Scheduled sessions still ahead follow the schedule and the calendar: those it placed
    // move or go; one moved by hand stays where it is, and stops being the occurrence's
    // session once the schedule no longer has that occurrence.
    let mut seen = HashSet::new();
    for row in rows.occurrences {
        let Some(nominal) = row.nominal_date else { continue };
        seen.insert(nominal);
        if row.status != SessionStatus::Scheduled || row.session_date < today || !governed(nominal) {
            continue;
        }
        let wanted = expected.get(&nominal).and_then(|(date, _)| *date);
        if row.source != SessionSource::Rule {
            if wanted.is_none() {
                let mut m: reception_session::ActiveModel = (*row).clone().into();
                m.nominal_date = Set(None);
                m.updated_at = Set(now);
                m.update(db).await?;
            }
            continue;
        }
        match wanted {
            Some(date) if date == row.session_date => {}
            // A day already gone cannot be moved to: the occurrence keeps its session.
            Some(date) if date < today => {}
            Some(date) if !periodic_on(db, row.host_id, date, Some(row.id)).await? => {
                let mut m: reception_session::ActiveModel = (*row).clone().into();
                m.session_date = Set(date);
                m.updated_at = Set(now);
                m.update(db).await?;
            }
            _ => {
                reception_session::Entity::delete_by_id(row.id).exec(db).await?;
            }
        }
    }
    // Occurrences not yet written, past ones included, each as its own version had it: those
    // held in the range and those of the range's own dates (wherever a holiday moved them, so
    // that a week's review sees the session that answers for it).
    let in_range = |d: NaiveDate| d >= from && d <= to;
    let mut adopted = HashSet::new();
    for (nominal, (date, version)) in expected {
        let Some(date) = date else { continue };
        if seen.contains(&nominal) || !(in_range(date) || in_range(nominal)) {
            continue;
        }
        // The head's own session set by hand on that day is the occurrence's session.
        if let Some(own) = rows.by_hand.iter().find(|s| s.session_date == date && !adopted.contains(&s.id)) {
            adopted.insert(own.id);
            let mut m: reception_session::ActiveModel = (*own).clone().into();
            m.nominal_date = Set(Some(nominal));
            m.updated_at = Set(now);
            m.update(db).await?;
            continue;
        }
        let location =
            schedule.versions[version].location.clone().unwrap_or_else(|| agency_location.to_owned());
        let row = reception_session::ActiveModel {
            agency_id: Set(head.agency_id),
            kind: Set(SessionKind::Periodic),
            session_date: Set(date),
            host_id: Set(head.host_id),
            location: Set(location),
            hours: Set(schedule.versions[version].hours.clone()),
            status: Set(SessionStatus::Scheduled),
            source: Set(SessionSource::Rule),
            nominal_date: Set(Some(nominal)),
            participants: Set(JsonList::default()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        };
        // Another server may be writing the same occurrence: the unique keys make it a no-op.
        reception_session::Entity::insert(row)
            .on_conflict(OnConflict::new().do_nothing().to_owned())
            .try_insert()
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}
