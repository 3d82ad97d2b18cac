//! Time is an input: handlers read `clock.now()` once per request and pass it down, so that tests
//! can run any scenario (an overdue case, an expired token) on a fixed clock.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

/// Vietnam's civil time zone, UTC+7 (no daylight saving).
pub fn vietnam_offset() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset")
}

/// The Vietnamese civil date of an instant.
pub fn civil_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&vietnam_offset()).date_naive()
}

/// The instant a Vietnamese civil day starts (00:00 at UTC+7).
pub fn day_start(date: NaiveDate) -> DateTime<Utc> {
    let midnight = date.and_time(chrono::NaiveTime::MIN);
    (midnight - chrono::TimeDelta::hours(7)).and_utc()
}

/// A source of the current instant.
pub trait Clock: Send + Sync + 'static {
    /// The current instant, in UTC.
    fn now(&self) -> DateTime<Utc>;

    /// Today's Vietnamese civil date.
    fn today(&self) -> NaiveDate {
        civil_date(self.now())
    }
}

/// The real clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that only moves when told to; shared by clones.
#[derive(Debug, Clone)]
pub struct FixedClock(Arc<Mutex<DateTime<Utc>>>);

impl FixedClock {
    /// A clock stopped at `at`.
    pub fn new(at: DateTime<Utc>) -> Self {
        Self(Arc::new(Mutex::new(at)))
    }

    /// Sets the current instant.
    pub fn set(&self, at: DateTime<Utc>) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = at;
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: chrono::Duration) {
        let mut now = self.0.lock().unwrap_or_else(|p| p.into_inner());
        *now += by;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}
