//! The statutory reports' periods and the meaning of their figures (issue 16; domain.md §10, §12),
//! as pure rules: which days a named period covers under the statutory cut-off, which months a
//! dashboard or the public page shows, and which step of a case counts in which column.

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::domain::{
    input::{BadQuery, supported_date_opt},
    petition::{EventAction, Status},
};

/// The longest range a periodic report may cover, in days (five years and a day).
pub const MAX_REPORT_DAYS: i64 = 5 * 366;
/// The longest range of a dashboard, in months (its series has one point a month).
pub const MAX_DASHBOARD_MONTHS: u32 = 24;
/// The months the public page and its feeds show by default.
pub const PUBLIC_MONTHS: u32 = 12;

/// Which period a periodic report covers.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    /// `YYYY-MM` (month), `YYYY-Qn` (quarter), `YYYY-H1` / `YYYY-H2` (6 months), `YYYY-9M`
    /// (9 months) or `YYYY` (year), under the statutory cut-off; or leave it out and give `from`
    /// and `to`.
    pub period: Option<String>,
    #[serde(default, deserialize_with = "supported_date_opt")]
    pub from: Option<NaiveDate>,
    #[serde(default, deserialize_with = "supported_date_opt")]
    pub to: Option<NaiveDate>,
    /// The agency reported on (default the caller's): the caller's own or one below it.
    pub agency_id: Option<i64>,
    /// Sum and list the agencies below it too (default true).
    pub subordinates: Option<bool>,
}

/// The days a periodic report covers, both included, and the named period they are, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportPeriod {
    pub name: Option<String>,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl PeriodQuery {
    /// The period asked, its named periods running from day `cutoff_day` of the month before
    /// their first month to the day before it in their last month (TT 02/2021 Art. 7(1):
    /// `cutoff_day` 15); with `cutoff_day` 1, calendar months.
    pub fn parse(&self, cutoff_day: u32) -> Result<ReportPeriod, BadQuery> {
        match (self.period.as_deref().map(str::trim), self.from, self.to) {
            (Some(name), None, None) => {
                let (first, last) = months_of(name)?;
                let (from, to) = cut(first, last, cutoff_day)?;
                Ok(ReportPeriod { name: Some(name.to_owned()), from, to })
            }
            (None, Some(from), Some(to)) => {
                if to < from {
                    return Err(BadQuery::param("to", "Ngày cuối không được trước ngày đầu."));
                }
                if (to - from).num_days() >= MAX_REPORT_DAYS {
                    return Err(BadQuery::new("Khoảng báo cáo tối đa 5 năm."));
                }
                Ok(ReportPeriod { name: None, from, to })
            }
            (Some(_), _, _) => {
                Err(BadQuery::new("Chọn kỳ báo cáo hoặc khoảng ngày (từ ngày, đến ngày), không chọn cả hai."))
            }
            _ => Err(BadQuery::new(
                "Cần chọn kỳ báo cáo (tháng, quý, 6 tháng, 9 tháng, năm) hoặc khoảng ngày (từ ngày, đến ngày).",
            )),
        }
    }
}

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    /// 1 to 12.
    pub month: u32,
}

impl Month {
    /// The month of `date`.
    pub fn of(date: NaiveDate) -> Self {
        Month { year: date.year(), month: date.month() }
    }

    /// Reads `YYYY-MM` (a supported year: 2000 to 2100).
    pub fn parse(text: &str) -> Option<Self> {
        let (y, m) = text.trim().split_once('-')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        let (year, month) = (y.parse::<i32>().ok()?, m.parse::<u32>().ok()?);
        ((2000..=2100).contains(&year) && (1..=12).contains(&month)).then_some(Month { year, month })
    }

    /// Its first day.
    pub fn first(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    /// Its last day.
    pub fn last(self) -> NaiveDate {
        self.plus(1).first().pred_opt().unwrap_or(NaiveDate::MAX)
    }

    /// The month `n` months later (earlier when negative).
    pub fn plus(self, n: i32) -> Self {
        let index = self.year * 12 + i32::try_from(self.month).unwrap_or(1) - 1 + n;
        Month { year: index.div_euclid(12), month: u32::try_from(index.rem_euclid(12)).unwrap_or(0) + 1 }
    }

    /// Months from `self` to `other` (0 when the same).
    pub fn until(self, other: Month) -> i32 {
        (other.year - self.year) * 12 + i32::try_from(other.month).unwrap_or(0)
            - i32::try_from(self.month).unwrap_or(0)
    }

    /// Its day `day` (1 to 28).
    fn day(self, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year, self.month, day)
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// The first and last month of a named period.
fn months_of(name: &str) -> Result<(Month, Month), BadQuery> {
    let bad = || {
        BadQuery::param(
            "period",
            format!(
                "Kỳ báo cáo “{name}” không hợp lệ: viết theo mẫu 2026-11 (tháng), 2026-Q4 (quý), 2026-H1 \
                 hoặc 2026-H2 (6 tháng), 2026-9M (9 tháng), 2026 (năm)."
            ),
        )
    };
    if let Some(month) = Month::parse(name) {
        return Ok((month, month));
    }
    let (year, part) = match name.split_once('-') {
        Some((y, p)) => (y, Some(p)),
        None => (name, None),
    };
    let year = match year.parse::<i32>() {
        Ok(y) if year.len() == 4 && (2000..=2100).contains(&y) => y,
        _ => return Err(bad()),
    };
    let (first, last) = match part {
        None => (1, 12),
        Some("Q1") => (1, 3),
        Some("Q2") => (4, 6),
        Some("Q3") => (7, 9),
        Some("Q4") => (10, 12),
        Some("H1") => (1, 6),
        Some("H2") => (7, 12),
        Some("9M") => (1, 9),
        Some(_) => return Err(bad()),
    };
    Ok((Month { year, month: first }, Month { year, month: last }))
}

/// The days of the months `first` to `last` under the cut-off day.
fn cut(first: Month, last: Month, cutoff_day: u32) -> Result<(NaiveDate, NaiveDate), BadQuery> {
    let bad = || BadQuery::new("Ngày chốt số liệu phải từ 1 đến 28.");
    if cutoff_day == 1 {
        return Ok((first.first(), last.last()));
    }
    let from = first.plus(-1).day(cutoff_day).ok_or_else(bad)?;
    let to = last.day(cutoff_day - 1).ok_or_else(bad)?;
    Ok((from, to))
}

/// Which range the chairman's dashboard covers.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DashboardQuery {
    /// First day (default the first of the month eleven months ago).
    #[serde(default, deserialize_with = "supported_date_opt")]
    pub from: Option<NaiveDate>,
    /// Last day (default today); at most 24 months after `from`.
    #[serde(default, deserialize_with = "supported_date_opt")]
    pub to: Option<NaiveDate>,
    /// The agency (default the caller's): the caller's own or one below it.
    pub agency_id: Option<i64>,
}

impl DashboardQuery {
    /// The days asked, on `today`.
    pub fn parse(&self, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), BadQuery> {
        let to = self.to.unwrap_or(today);
        let from = self.from.unwrap_or_else(|| Month::of(to).plus(-11).first());
        if to < from {
            return Err(BadQuery::param("to", "Ngày cuối không được trước ngày đầu."));
        }
        if Month::of(from).until(Month::of(to)) >= i32::try_from(MAX_DASHBOARD_MONTHS).unwrap_or(24) {
            return Err(BadQuery::new("Bảng điều hành xem tối đa 24 tháng."));
        }
        Ok((from, to))
    }
}

/// Which month of the public results.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MonthQuery {
    /// `YYYY-MM` (default the last full month).
    pub month: Option<String>,
    /// The agency (default the register's first).
    pub agency_id: Option<i64>,
}

impl MonthQuery {
    /// The month asked, on `today`: the last full month by default; not after this month.
    pub fn parse(&self, today: NaiveDate) -> Result<Month, BadQuery> {
        let month = match self.month.as_deref() {
            Some(text) => Month::parse(text)
                .ok_or_else(|| BadQuery::param("month", "Tháng không hợp lệ: viết theo mẫu 2026-11."))?,
            None => Month::of(today).plus(-1),
        };
        if month > Month::of(today) {
            return Err(BadQuery::param("month", "Tháng này chưa đến."));
        }
        Ok(month)
    }
}

/// Which months of the public results.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MonthsQuery {
    /// First month `YYYY-MM` (default eleven months before `to_month`).
    pub from_month: Option<String>,
    /// Last month `YYYY-MM` (default the last full month); at most 24 months in all.
    pub to_month: Option<String>,
    /// The agency (default the register's first).
    pub agency_id: Option<i64>,
}

impl MonthsQuery {
    /// The months asked, first to last, on `today`.
    pub fn parse(&self, today: NaiveDate) -> Result<Vec<Month>, BadQuery> {
        let month = |text: &str, name: &'static str| {
            Month::parse(text).ok_or_else(|| {
                BadQuery::param(
                    name,
                    format!(
                        "{}: tháng không hợp lệ, viết theo mẫu 2026-11.",
                        crate::domain::input::param_label(name)
                    ),
                )
            })
        };
        let last = match self.to_month.as_deref() {
            Some(t) => month(t, "to_month")?,
            None => Month::of(today).plus(-1),
        };
        let first = match self.from_month.as_deref() {
            Some(t) => month(t, "from_month")?,
            None => last.plus(1 - i32::try_from(PUBLIC_MONTHS).unwrap_or(12)),
        };
        if last < first {
            return Err(BadQuery::param("to_month", "Tháng cuối không được trước tháng đầu."));
        }
        if last > Month::of(today) {
            return Err(BadQuery::param("to_month", "Tháng cuối chưa đến."));
        }
        let count = first.until(last) + 1;
        if count > i32::try_from(MAX_DASHBOARD_MONTHS).unwrap_or(24) {
            return Err(BadQuery::new("Tối đa 24 tháng."));
        }
        Ok((0..count).map(|i| first.plus(i)).collect())
    }
}

/// The statuses that end a case's handling by the agency's own decision, counted "closed" by the
/// dashboard and the weekly review (withdrawn is the citizen's: counted apart).
pub const CLOSED_STATUSES: [Status; 7] = [
    Status::Resolved,
    Status::Guided,
    Status::Forwarded,
    Status::Rejected,
    Status::Archived,
    Status::Terminated,
    Status::Lead,
];

/// The column of the handling table a petition's first decision counts in (domain.md §10,
/// "Handling"): how it was processed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handled {
    /// Accepted for resolution, or resolved at once: within competence.
    WithinCompetence,
    /// The citizen was guided to the competent body (a guidance letter).
    Guided,
    /// Forwarded to the competent body.
    Forwarded,
    /// A lower level urged to resolve it (an urging letter).
    Urged,
    /// Kept without handling (not eligible: anonymous, unclear, repeated…).
    Archived,
    /// Refused (không thụ lý) on a ground.
    Rejected,
    /// An anonymous denunciation kept as an inspection lead.
    Lead,
    /// Anything else that ended its intake (withdrawn, split into parts, terminated).
    Other,
}

impl Handled {
    /// The column of a first decision `action`.
    pub fn of(action: EventAction) -> Self {
        match action {
            EventAction::Accept | EventAction::Resolve => Handled::WithinCompetence,
            EventAction::Guide => Handled::Guided,
            EventAction::Forward => Handled::Forwarded,
            EventAction::Urge => Handled::Urged,
            EventAction::Archive => Handled::Archived,
            EventAction::Reject => Handled::Rejected,
            EventAction::RecordLead => Handled::Lead,
            _ => Handled::Other,
        }
    }

    /// Whether a petition processed so was eligible for handling (đủ điều kiện xử lý): all but
    /// those kept without handling.
    pub fn eligible(self) -> bool {
        self != Handled::Archived
    }
}

/// A percentage with one decimal, `None` when the whole is zero (the weekly review's rule).
pub use crate::domain::reception::weeks::rate;

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn period(name: &str, cutoff: u32) -> (NaiveDate, NaiveDate) {
        let p = PeriodQuery { period: Some(name.to_owned()), ..Default::default() }.parse(cutoff).unwrap();
        (p.from, p.to)
    }

    /// TT 02/2021 Art. 7(1): Q1 15 Dec – 14 Mar; Q2–Q4 from the 15th of the previous quarter's
    /// last month to the 14th of this quarter's last month; 6 months 15 Dec – 14 Jun; 9 months
    /// 15 Dec – 14 Sep; the year 15 Dec – 14 Dec (domain.md §10).
    #[test]
    fn named_periods_run_under_the_statutory_cut_off() {
        assert_eq!(period("2027-Q1", 15), (d(2026, 12, 15), d(2027, 3, 14)));
        assert_eq!(period("2026-Q2", 15), (d(2026, 3, 15), d(2026, 6, 14)));
        assert_eq!(period("2026-Q3", 15), (d(2026, 6, 15), d(2026, 9, 14)));
        assert_eq!(period("2026-Q4", 15), (d(2026, 9, 15), d(2026, 12, 14)));
        assert_eq!(period("2026-H1", 15), (d(2025, 12, 15), d(2026, 6, 14)));
        assert_eq!(period("2026-9M", 15), (d(2025, 12, 15), d(2026, 9, 14)));
        assert_eq!(period("2026", 15), (d(2025, 12, 15), d(2026, 12, 14)));
        // Monthly reports of some localities: the 15th to the 14th.
        assert_eq!(period("2026-11", 15), (d(2026, 10, 15), d(2026, 11, 14)));
        assert_eq!(period("2026-01", 15), (d(2025, 12, 15), d(2026, 1, 14)));
        // The cut-off is configuration: TT 03/2013 used the 16th to the 15th; 1 is calendar months.
        assert_eq!(period("2026-Q1", 16), (d(2025, 12, 16), d(2026, 3, 15)));
        assert_eq!(period("2026-Q1", 1), (d(2026, 1, 1), d(2026, 3, 31)));
        assert_eq!(period("2024-02", 1), (d(2024, 2, 1), d(2024, 2, 29)));
    }

    #[test]
    fn a_bad_period_is_refused_saying_why() {
        for bad in ["2026-Q5", "2026-13", "26-Q1", "2026-H3", "Q1", "1999", "2026-00"] {
            let q = PeriodQuery { period: Some(bad.to_owned()), ..Default::default() };
            assert!(q.parse(15).is_err(), "{bad}");
        }
        assert!(PeriodQuery::default().parse(15).is_err());
        let both =
            PeriodQuery { period: Some("2026".into()), from: Some(d(2026, 1, 1)), ..Default::default() };
        assert!(both.parse(15).is_err());
        let reversed =
            PeriodQuery { from: Some(d(2026, 2, 1)), to: Some(d(2026, 1, 1)), ..Default::default() };
        assert!(reversed.parse(15).is_err());
        let range = PeriodQuery { from: Some(d(2026, 1, 1)), to: Some(d(2026, 1, 31)), ..Default::default() };
        assert_eq!(
            range.parse(15).unwrap(),
            ReportPeriod { name: None, from: d(2026, 1, 1), to: d(2026, 1, 31) }
        );
    }

    #[test]
    fn the_dashboard_shows_twelve_months_up_to_today_by_default() {
        let q = DashboardQuery::default();
        assert_eq!(q.parse(d(2026, 12, 6)).unwrap(), (d(2026, 1, 1), d(2026, 12, 6)));
        let long = DashboardQuery { from: Some(d(2024, 1, 1)), to: Some(d(2026, 1, 1)), agency_id: None };
        assert!(long.parse(d(2026, 12, 6)).is_err());
    }

    #[test]
    fn months_step_over_years() {
        let m = Month { year: 2026, month: 1 };
        assert_eq!(m.plus(-1), Month { year: 2025, month: 12 });
        assert_eq!(m.plus(13), Month { year: 2027, month: 2 });
        assert_eq!(m.until(Month { year: 2027, month: 2 }), 13);
        assert_eq!(Month { year: 2026, month: 12 }.last(), d(2026, 12, 31));
        assert_eq!(m.to_string(), "2026-01");
        let months = MonthsQuery::default().parse(d(2026, 12, 6)).unwrap();
        assert_eq!(
            (months.len(), months[0], months[11]),
            (12, Month { year: 2025, month: 12 }, Month { year: 2026, month: 11 })
        );
        assert_eq!(MonthQuery::default().parse(d(2026, 12, 6)).unwrap(), Month { year: 2026, month: 11 });
        assert!(MonthQuery { month: Some("2027-01".into()), agency_id: None }.parse(d(2026, 12, 6)).is_err());
    }

    #[test]
    fn each_first_decision_has_its_column_of_the_handling_table() {
        assert_eq!(Handled::of(EventAction::Accept), Handled::WithinCompetence);
        assert_eq!(Handled::of(EventAction::Resolve), Handled::WithinCompetence);
        assert_eq!(Handled::of(EventAction::Urge), Handled::Urged);
        assert_eq!(Handled::of(EventAction::RecordLead), Handled::Lead);
        assert_eq!(Handled::of(EventAction::Withdraw), Handled::Other);
        assert!(!Handled::Archived.eligible() && Handled::Rejected.eligible());
    }
}
