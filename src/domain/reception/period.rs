//! The dates and periods of reception: how far a record may lie from the session it is about,
//! and the periods a query may ask of the schedule, the book and the review.

use chrono::{Datelike as _, Days, NaiveDate};

use crate::domain::input::BadQuery;

/// How far the dates recorded about a session may reach from it: a year and a day. An online
/// session announced, a directive's due date, the grounds of a refusal further away than this are
/// typing errors (or a year of the wrong century), not records of reception.
pub const RECORD_WINDOW_DAYS: u64 = 366;

/// How far ahead the schedule is written: two years. Further ahead, a head's sessions are not
/// stored (nor listed) until the date comes nearer, so that no request, however wide, makes the
/// server write decades of rows. A session set by hand may not be dated further ahead either.
pub const SCHEDULE_AHEAD_DAYS: u64 = 2 * 366;

/// The widest range one request may ask of the schedule, the book or the review: a year and a day.
pub const MAX_RANGE_DAYS: i64 = 366;

/// `days` before `date` (the date itself at the calendar's edge).
pub fn days_before(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_sub_days(Days::new(days)).unwrap_or(date)
}

/// `days` after `date` (the date itself at the calendar's edge).
pub fn days_after(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_add_days(Days::new(days)).unwrap_or(date)
}

/// Checks a date range asked in a query: both ends inside 1990–2100, `from <= to`, at most
/// [`MAX_RANGE_DAYS`] long (400 `invalid_query` otherwise).
pub fn check_range(from: NaiveDate, to: NaiveDate) -> Result<(NaiveDate, NaiveDate), BadQuery> {
    if !(1990..=2100).contains(&from.year()) || !(1990..=2100).contains(&to.year()) {
        return Err(BadQuery::new("Ngày phải trong khoảng năm 1990 đến 2100."));
    }
    if to < from {
        return Err(BadQuery::param("to", "Ngày cuối phải sau ngày đầu."));
    }
    if (to - from).num_days() > MAX_RANGE_DAYS {
        return Err(BadQuery::new("Khoảng thời gian tối đa 366 ngày."));
    }
    Ok((from, to))
}

/// A period asked as `from` and `to`, each optional: `from` defaults to today, `to` to
/// `default_days` after `from`; then [`check_range`].
pub fn period(
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    today: NaiveDate,
    default_days: u64,
) -> Result<(NaiveDate, NaiveDate), BadQuery> {
    let from = from.unwrap_or(today);
    let to = to.unwrap_or_else(|| days_after(from, default_days));
    check_range(from, to)
}

/// The day of a session set by hand: from 2000 to the schedule's horizon
/// ([`SCHEDULE_AHEAD_DAYS`] after today).
pub fn check_session_date(date: NaiveDate, today: NaiveDate) -> Result<(), String> {
    let earliest = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(date);
    let latest = days_after(today, SCHEDULE_AHEAD_DAYS);
    if date < earliest || date > latest {
        return Err("Ngày phải từ năm 2000 đến tối đa hai năm tới.".to_owned());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    #[test]
    fn periods_default_from_today_and_stay_within_a_year_and_a_day() {
        let today = d(2026, 11, 25);
        assert_eq!(period(None, None, today, 30), Ok((today, d(2026, 12, 25))));
        assert_eq!(period(Some(d(2026, 1, 1)), None, today, 90), Ok((d(2026, 1, 1), d(2026, 4, 1))));
        assert_eq!(check_range(d(2026, 1, 1), d(2027, 1, 2)), Ok((d(2026, 1, 1), d(2027, 1, 2))));
        let table = [
            (d(2026, 1, 1), d(2027, 1, 3), BadQuery::new("Khoảng thời gian tối đa 366 ngày.")),
            (d(2026, 2, 1), d(2026, 1, 1), BadQuery::param("to", "Ngày cuối phải sau ngày đầu.")),
            (d(1989, 12, 31), d(1990, 1, 1), BadQuery::new("Ngày phải trong khoảng năm 1990 đến 2100.")),
        ];
        for (from, to, refusal) in table {
            assert_eq!(check_range(from, to), Err(refusal), "{from}..{to}");
        }
    }

    #[test]
    fn a_session_is_dated_from_2000_to_two_years_ahead() {
        let today = d(2026, 11, 25);
        assert!(check_session_date(d(2000, 1, 1), today).is_ok());
        assert!(check_session_date(d(1999, 12, 31), today).is_err());
        assert!(check_session_date(days_after(today, SCHEDULE_AHEAD_DAYS), today).is_ok());
        assert!(check_session_date(days_after(today, SCHEDULE_AHEAD_DAYS + 1), today).is_err());
    }
}
