//! Citizen reception: the heads' schedule rules and the sessions they generate, the reception
//! book's visits, refusals to receive, session-conclusion directives and the chairman's weekly
//! review (domain.md §3, §12). Each function takes a connection and `now`/`today`; the handler
//! owns the transaction.

pub mod book;
pub mod directives;
pub mod refusals;
pub mod review;
pub mod rules;
pub mod sessions;
pub mod visits;

use chrono::{Datelike, NaiveDate};

use crate::error::{AppError, AppResult};

/// The widest range one request may ask of the schedule, the book or the review: a year and a day.
pub const MAX_RANGE_DAYS: i64 = 366;

/// Checks a date range asked in a query: both ends inside 1990–2100, `from <= to`, at most
/// [`MAX_RANGE_DAYS`] long; 400 `invalid_query` otherwise.
pub fn check_range(from: NaiveDate, to: NaiveDate) -> AppResult<(NaiveDate, NaiveDate)> {
    let bad = |m: &str| Err(AppError::bad_request("invalid_query", m.to_owned()));
    if !(1990..=2100).contains(&from.year()) || !(1990..=2100).contains(&to.year()) {
        return bad("Ngày phải trong khoảng năm 1990 đến 2100.");
    }
    if to < from {
        return bad("Ngày kết thúc (to) phải sau ngày bắt đầu (from).");
    }
    if (to - from).num_days() > MAX_RANGE_DAYS {
        return bad("Khoảng thời gian tối đa 366 ngày.");
    }
    Ok((from, to))
}

/// The names of users by id (re-exported from the petition register: one query).
pub use crate::service::petitions::{names_of, unit_names};
