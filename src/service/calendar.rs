//! The working-day calendar of the register: computed and published defaults merged with the
//! administrator's special days. Built once per change and shared; every server checks the
//! stored calendar version before using its copy, so a change made on one server is used by all.

use std::sync::{Arc, RwLock};

use sea_orm::{ConnectionTrait, EntityTrait};

use crate::{
    domain::calendar::{Calendar, DayKind, DaySource, SpecialDay},
    entity::{setting, special_day},
    error::{AppError, AppResult},
};

/// The settings key of the calendar's version, bumped by every change of special days.
pub const VERSION_KEY: &str = "calendar_version";

/// A shared, versioned copy of the calendar.
#[derive(Clone, Default)]
pub struct CalendarCache(Arc<RwLock<Option<(String, Arc<Calendar>)>>>);

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
        let kind = DayKind::parse(&row.kind).ok_or_else(|| {
            AppError::internal(format!("special day {} has unknown kind {}", row.date, row.kind))
        })?;
        admin.push(SpecialDay { date: row.date, kind, name: row.name, source: DaySource::Admin });
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
