//! The working-day calendar of the register: computed and published defaults merged with the
//! administrator's special days. Built once per change and shared; every server checks the
//! stored calendar version before using its copy, so a change made on one server is used by all.

use std::sync::{Arc, RwLock};

use chrono::{Datelike, NaiveDate};
use sea_orm::{ConnectionTrait, EntityTrait};

use crate::{
    domain::{
        calendar::{Calendar, DaySource, DueDate, SpecialDay, TABLE_FIRST_YEAR, TABLE_LAST_YEAR},
        deadline::{DayUnit, MAX_LIMIT_DAYS},
    },
    entity::{setting, special_day},
    error::{AppError, AppResult},
};

/// The settings key of the calendar's version, bumped by every change of special days.
pub const VERSION_KEY: &str = "calendar_version";

/// A calendar built at a stored version.
type Versioned = Option<(String, Arc<Calendar>)>;

/// A shared, versioned copy of the calendar.
#[derive(Clone, Default)]
pub struct CalendarCache(Arc<RwLock<Versioned>>);

impl std::fmt::Debug for CalendarCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CalendarCache")
    }
}

/// The stored calendar version ("0" before any change).
pub async fn stored_version(db: &impl ConnectionTrait) -> AppResult<String> {
    Ok(setting::Entity::find_by_id(VERSION_KEY.to_owned())
        .one(db)
        .await?
        .map_or_else(|| "0".to_owned(), |s| s.value))
}

/// Builds the calendar from the stored special days.
pub async fn build(db: &impl ConnectionTrait) -> AppResult<Calendar> {
    let rows = special_day::Entity::find().all(db).await?;
    let mut admin = Vec::with_capacity(rows.len());
    for row in rows {
        admin.push(SpecialDay { date: row.date, kind: row.kind, name: row.name, source: DaySource::Admin });
    }
    Ok(Calendar::new(admin))
}

impl CalendarCache {
    /// The current calendar, rebuilt when the stored version moved.
    pub async fn get(&self, db: &impl ConnectionTrait) -> AppResult<Arc<Calendar>> {
        let version = stored_version(db).await?;
        if let Some((v, cal)) = self.0.read().unwrap_or_else(|p| p.into_inner()).as_ref()
            && *v == version
        {
            return Ok(cal.clone());
        }
        let cal = Arc::new(build(db).await?);
        *self.0.write().unwrap_or_else(|p| p.into_inner()) = Some((version, cal.clone()));
        Ok(cal)
    }

    /// Forgets the cached copy (after this server changed the special days).
    pub fn invalidate(&self) {
        *self.0.write().unwrap_or_else(|p| p.into_inner()) = None;
    }
}

/// A checked question to the public due-date calculator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueDateQuestion {
    /// The day of the starting event (not counted).
    pub start: NaiveDate,
    /// How many days, 0 to [`MAX_LIMIT_DAYS`].
    pub days: u32,
    /// Working or calendar days.
    pub unit: DayUnit,
}

fn invalid_query(message: impl Into<String>) -> AppError {
    AppError::bad_request("invalid_query", message)
}

/// Whether a year is inside the precomputed calendar (1990–2100): the range the public endpoints
/// answer for, so that a request cannot make the server compute centuries of lunar dates.
fn supported_year(year: i32) -> bool {
    (TABLE_FIRST_YEAR..=TABLE_LAST_YEAR).contains(&year)
}

impl DueDateQuestion {
    /// Checks the calculator's parameters: 400 `invalid_query` when one is missing or out of range.
    /// The unit defaults to working days.
    pub fn parse(start: Option<NaiveDate>, days: Option<u32>, unit: Option<DayUnit>) -> AppResult<Self> {
        let start = start.ok_or_else(|| invalid_query("Thiếu tham số start (ngày bắt đầu, YYYY-MM-DD)."))?;
        if !supported_year(start.year()) {
            return Err(invalid_query(format!(
                "Ngày bắt đầu phải trong khoảng năm {TABLE_FIRST_YEAR} đến {TABLE_LAST_YEAR}."
            )));
        }
        let days = days.ok_or_else(|| invalid_query("Thiếu tham số days (số ngày)."))?;
        if days > MAX_LIMIT_DAYS {
            return Err(invalid_query(format!("Số ngày phải từ 0 đến {MAX_LIMIT_DAYS}.")));
        }
        Ok(Self { start, days, unit: unit.unwrap_or(DayUnit::Working) })
    }
}

/// The due date of `question` on the current calendar, with the non-working days passed over.
pub async fn due_date(
    cache: &CalendarCache,
    db: &impl ConnectionTrait,
    question: &DueDateQuestion,
) -> AppResult<DueDate> {
    let cal = cache.get(db).await?;
    Ok(match question.unit {
        DayUnit::Working => cal.add_working_days(question.start, question.days),
        DayUnit::Calendar => cal.add_calendar_days(question.start, question.days),
    })
}

/// Checks a year asked of the special-days list: 400 `invalid_query` outside 1990–2100.
pub fn check_year(year: i32) -> AppResult<i32> {
    if supported_year(year) {
        Ok(year)
    } else {
        Err(invalid_query(format!("Năm phải trong khoảng {TABLE_FIRST_YEAR} đến {TABLE_LAST_YEAR}.")))
    }
}

/// The special days of a year (`today`'s when `None`) on the current calendar: computed defaults
/// (lunar holidays included), published schedules and the administrator's entries, merged, by date.
pub async fn days_of_year(
    cache: &CalendarCache,
    db: &impl ConnectionTrait,
    year: Option<i32>,
    today: NaiveDate,
) -> AppResult<Vec<SpecialDay>> {
    let year = check_year(year.unwrap_or_else(|| today.year()))?;
    Ok(cache.get(db).await?.special_days(year))
}
