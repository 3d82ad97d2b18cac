//! The chairman's weekly review (domain.md §12): ISO weeks (`2026-W48`), the weeks a query asks,
//! and the rates the figures give.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::domain::input::BadQuery;

/// An ISO week (`2026-W48`): its year, number and Monday.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct IsoWeek {
    pub year: i32,
    pub week: u32,
    pub monday: NaiveDate,
}

impl IsoWeek {
    /// Reads `YYYY-Www` (ISO 8601 week date); `Err` with a Vietnamese message.
    pub fn parse(text: &str) -> Result<IsoWeek, String> {
        let bad =
            || format!("cần viết theo dạng năm-W-số tuần ISO 8601, ví dụ 2026-W48 (nhận được “{text}”).");
        let (year, week) = text.trim().split_once("-W").ok_or_else(bad)?;
        if year.len() != 4 || week.len() != 2 {
            return Err(bad());
        }
        let year: i32 = year.parse().map_err(|_| bad())?;
        let week: u32 = week.parse().map_err(|_| bad())?;
        if !(1990..=2100).contains(&year) {
            return Err("Năm của tuần phải trong khoảng 1990 đến 2100.".to_owned());
        }
        let monday = NaiveDate::from_isoywd_opt(year, week, Weekday::Mon)
            .ok_or_else(|| format!("Năm {year} không có tuần {week:02}."))?;
        Ok(IsoWeek { year, week, monday })
    }

    /// The ISO week a date falls in.
    pub fn of(date: NaiveDate) -> IsoWeek {
        let iso = date.iso_week();
        let monday = date - Days::new(u64::from(date.weekday().num_days_from_monday()));
        IsoWeek { year: iso.year(), week: iso.week(), monday }
    }

    /// The week's Sunday.
    pub fn sunday(&self) -> NaiveDate {
        self.monday + Days::new(6)
    }

    /// The following week.
    pub fn next(&self) -> IsoWeek {
        IsoWeek::of(self.monday + Days::new(7))
    }

    /// `YYYY-Www`.
    pub fn label(&self) -> String {
        format!("{}-W{:02}", self.year, self.week)
    }
}

/// A share as a percentage with one decimal, or `None` when there is nothing to count.
pub fn rate(part: u64, whole: u64) -> Option<f64> {
    if whole == 0 {
        return None;
    }
    #[allow(clippy::cast_precision_loss)]
    let r = part as f64 * 100.0 / whole as f64;
    Some((r * 10.0).round() / 10.0)
}

/// The most weeks a series covers.
pub const MAX_WEEKS: usize = 53;

/// Which week.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WeekQuery {
    /// ISO week `YYYY-Www` (default the current week).
    pub week: Option<String>,
}

/// Which weeks.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SeriesQuery {
    /// First ISO week `YYYY-Www`.
    pub from_week: String,
    /// Last ISO week (default the current week); at most 53 weeks in all.
    pub to_week: Option<String>,
}

/// A week named in a query parameter `name` (400 `invalid_query` saying which).
fn week_param(text: &str, name: &'static str) -> Result<IsoWeek, BadQuery> {
    IsoWeek::parse(text)
        .map_err(|m| BadQuery::param(name, format!("{}: {m}", crate::domain::input::param_label(name))))
}

impl WeekQuery {
    /// The week asked, or the one `today` falls in.
    pub fn parse(self, today: NaiveDate) -> Result<IsoWeek, BadQuery> {
        match self.week.as_deref() {
            Some(w) => week_param(w, "week"),
            None => Ok(IsoWeek::of(today)),
        }
    }
}

/// The weeks of a series, first to last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeekSpan {
    pub first: IsoWeek,
    pub last: IsoWeek,
}

impl WeekSpan {
    /// How many weeks it covers.
    pub fn len(&self) -> usize {
        usize::try_from((self.last.monday - self.first.monday).num_weeks())
            .unwrap_or(usize::MAX)
            .saturating_add(1)
    }

    /// Never: a span holds its first week.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Its weeks, in order.
    pub fn weeks(&self) -> impl Iterator<Item = IsoWeek> + use<> {
        let last = self.last;
        std::iter::successors(Some(self.first), |w| Some(w.next())).take_while(move |w| *w <= last)
    }
}

impl SeriesQuery {
    /// The weeks asked: to the current week by default, in order, at most [`MAX_WEEKS`].
    pub fn parse(self, today: NaiveDate) -> Result<WeekSpan, BadQuery> {
        let first = week_param(&self.from_week, "from_week")?;
        let last = match self.to_week.as_deref() {
            Some(w) => week_param(w, "to_week")?,
            None => IsoWeek::of(today),
        };
        if last < first {
            return Err(BadQuery::param("to_week", "Tuần cuối phải sau tuần đầu."));
        }
        let span = WeekSpan { first, last };
        if span.len() > MAX_WEEKS {
            return Err(BadQuery::new(format!("Tối đa {MAX_WEEKS} tuần.")));
        }
        Ok(span)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    #[test]
    fn iso_weeks_parse_and_print() {
        let table = [
            ("2026-W48", Some((2026, 48, d(2026, 11, 23)))),
            ("2026-W01", Some((2026, 1, d(2025, 12, 29)))),
            ("2026-W53", Some((2026, 53, d(2026, 12, 28)))),
            ("2027-W53", None),
            ("2026-48", None),
            ("2026-W4", None),
            ("W48-2026", None),
            ("2026-W00", None),
            ("1800-W01", None),
        ];
        for (text, expected) in table {
            let got = IsoWeek::parse(text).ok().map(|w| (w.year, w.week, w.monday));
            assert_eq!(got, expected, "{text}");
        }
        let w = IsoWeek::of(d(2026, 11, 25));
        assert_eq!(w.label(), "2026-W48");
        assert_eq!(w.sunday(), d(2026, 11, 29));
        assert_eq!(w.next().label(), "2026-W49");
        assert_eq!(IsoWeek::of(d(2027, 1, 1)).label(), "2026-W53");
    }

    #[test]
    fn rates_round_to_one_decimal() {
        assert_eq!(rate(2, 3), Some(66.7));
        assert_eq!(rate(0, 0), None);
        assert_eq!(rate(4, 4), Some(100.0));
    }

    #[test]
    fn a_query_names_one_week_or_a_span_of_at_most_53() {
        let today = d(2026, 11, 25);
        assert_eq!(WeekQuery::default().parse(today).unwrap().label(), "2026-W48");
        let bad = WeekQuery { week: Some("2026-48".into()) }.parse(today).unwrap_err();
        assert!(bad.0.starts_with("Tuần: cần viết theo dạng năm-W-số tuần"), "{}", bad.0);

        let series = |from: &str, to: Option<&str>| SeriesQuery {
            from_week: from.into(),
            to_week: to.map(Into::into),
        };
        let span = series("2026-W46", None).parse(today).unwrap();
        assert_eq!(span.len(), 3);
        let labels: Vec<String> = span.weeks().map(|w| w.label()).collect();
        assert_eq!(labels, ["2026-W46", "2026-W47", "2026-W48"]);
        assert_eq!(series("2025-W48", Some("2026-W48")).parse(today).unwrap().len(), 53);
        let table = [
            (series("2025-W47", Some("2026-W48")), BadQuery::new("Tối đa 53 tuần.")),
            (
                series("2026-W49", Some("2026-W48")),
                BadQuery::param("to_week", "Tuần cuối phải sau tuần đầu."),
            ),
        ];
        for (query, refusal) in table {
            assert_eq!(query.parse(today), Err(refusal));
        }
        assert!(series("2026-W48", Some("W49")).parse(today).unwrap_err().0.starts_with("Đến tuần: "));
    }
}
