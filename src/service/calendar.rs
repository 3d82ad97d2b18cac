//! The working-day calendar of the register: computed and published defaults merged with the
//! administrator's special days. Built once per change and shared; every server checks the
//! stored calendar version before using its copy, so a change made on one server is used by all.

use std::sync::{Arc, RwLock};

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, EntityTrait};

use crate::{
    domain::{
        calendar::{
            Calendar, DaySource, DueDate, SpecialDay,
            request::{DaysQuery, DueDateQuery, DueDateQuestion, SpecialDayRequest},
        },
        deadline::DayUnit,
    },
    entity::{setting, special_day},
    error::AppResult,
    service::{
        audit::Actor,
        context::{Context, Ctx},
        special_days::{self, DayChanged},
    },
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

/// The due date the public calculator gives, with the non-working days passed over.
pub async fn due_date(ctx: &Context<()>, q: DueDateQuery) -> AppResult<(DueDateQuestion, DueDate)> {
    let question = q.parse()?;
    let cal = ctx.calendar().await?;
    let due = match question.unit {
        DayUnit::Working => cal.add_working_days(question.start, question.days),
        DayUnit::Calendar => cal.add_calendar_days(question.start, question.days),
    };
    Ok((question, due))
}

/// The special days of a year (this year's when none is asked): computed defaults (lunar holidays
/// included), published schedules and the administrator's entries, merged, by date.
pub async fn days_of_year(ctx: &Context<()>, q: DaysQuery) -> AppResult<Vec<SpecialDay>> {
    let year = q.year(ctx.today)?;
    Ok(ctx.calendar().await?.special_days(year))
}

/// The administrator sets the special day of a date; the touched due dates of open cases are
/// recomputed in the same transaction (`special_days`).
pub async fn set_day(ctx: &Ctx, date: NaiveDate, form: SpecialDayRequest) -> AppResult<DayChanged> {
    let entry = form.parse()?;
    let by = Actor::user(ctx.user.id, &ctx.user.full_name);
    special_days::set(ctx.db(), ctx.keys(), ctx.calendars(), date, entry, &by, ctx.now).await
}

/// How many cases a change of `date` may move (`special_days::impact`), for the confirmation
/// asked before the change.
pub async fn day_impact(ctx: &Ctx, date: NaiveDate) -> AppResult<(NaiveDate, u64, bool)> {
    let date = crate::domain::calendar::request::entry_date(date)?;
    let (cases, capped) = special_days::impact(ctx.reader(), date).await?;
    Ok((date, cases, capped))
}

/// The administrator removes the entry of a date, which reverts to its default; recomputes the
/// same way.
pub async fn remove_day(ctx: &Ctx, date: NaiveDate) -> AppResult<DayChanged> {
    let by = Actor::user(ctx.user.id, &ctx.user.full_name);
    special_days::remove(ctx.db(), ctx.keys(), ctx.calendars(), date, &by, ctx.now).await
}
