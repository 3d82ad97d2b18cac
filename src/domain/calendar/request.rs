//! What may be asked of the calendar: the public due-date calculator and list of special days,
//! and an administrator's special day, as sent and as checked.

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::{DayKind, TABLE_FIRST_YEAR, TABLE_LAST_YEAR, supported_date};
use crate::domain::{
    deadline::{DayUnit, MAX_LIMIT_DAYS},
    input::{BadQuery, Fields, Invalid},
    validate::bounded_text,
};

/// Whether a year is inside the precomputed calendar (1990–2100): the range the public endpoints
/// answer for, so that a request cannot make the server compute centuries of lunar dates.
fn supported_year(year: i32) -> bool {
    (TABLE_FIRST_YEAR..=TABLE_LAST_YEAR).contains(&year)
}

/// Parameters of the due-date calculator.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DueDateQuery {
    /// The day of the starting event, `YYYY-MM-DD` (not counted), 1990–2100.
    #[param(value_type = String, format = Date)]
    pub start: Option<NaiveDate>,
    /// How many days, a whole number 0–3650 (taken as text, so that a negative or decimal
    /// number is answered as such).
    #[param(value_type = Option<u32>)]
    pub days: Option<String>,
    /// `working` (default) or `calendar`.
    pub unit: Option<DayUnit>,
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

impl DueDateQuery {
    /// Checks the calculator's parameters: 400 `invalid_query` when one is missing or out of range.
    /// The unit defaults to working days.
    pub fn parse(self) -> Result<DueDateQuestion, BadQuery> {
        let start = self.start.ok_or_else(|| BadQuery::param("start", "Vui lòng chọn ngày bắt đầu."))?;
        if !supported_year(start.year()) {
            return Err(BadQuery::param(
                "start",
                format!("Ngày bắt đầu phải trong khoảng năm {TABLE_FIRST_YEAR} đến {TABLE_LAST_YEAR}."),
            ));
        }
        let days = day_count(self.days.as_deref()).map_err(|m| BadQuery::param("days", m))?;
        Ok(DueDateQuestion { start, days, unit: self.unit.unwrap_or(DayUnit::Working) })
    }
}

/// The calculator's number of days, as typed: a whole number from 0 to [`MAX_LIMIT_DAYS`]. Each
/// refusal says what is wrong in the field's own words (a negative number is negative, not "not a
/// number").
pub fn day_count(text: Option<&str>) -> Result<u32, String> {
    let text = text.map(str::trim).unwrap_or_default();
    if text.is_empty() {
        return Err("Vui lòng nhập số ngày.".to_owned());
    }
    let range = format!("Số ngày phải là số nguyên từ 0 đến {MAX_LIMIT_DAYS}");
    // A minus sign as typed or pasted (hyphen-minus, the minus sign, an en dash).
    let negative = text.starts_with(['-', '\u{2212}', '\u{2013}']);
    let digits = text.trim_start_matches(['-', '+', '\u{2212}', '\u{2013}']);
    if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
        if negative {
            return Err(format!("Số ngày không được là số âm (đã nhập {text}). {range}."));
        }
        return match digits.parse::<u32>() {
            Ok(n) if n <= MAX_LIMIT_DAYS => Ok(n),
            _ => Err(format!("Số ngày quá lớn. {range}.")),
        };
    }
    let decimal = digits.replace(',', ".");
    if decimal.parse::<f64>().is_ok_and(f64::is_finite) {
        return Err(if negative {
            format!("Số ngày không được là số âm (đã nhập {text}). {range}.")
        } else {
            format!("Số ngày phải là số nguyên, không có phần lẻ (đã nhập {text}). {range}.")
        });
    }
    Err(format!("Số ngày phải là một số (đã nhập “{text}”). {range}."))
}

/// Parameters of the list of special days.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DaysQuery {
    /// The year, 1990–2100; the current year when omitted.
    pub year: Option<i32>,
}

impl DaysQuery {
    /// The year asked (`today`'s when none): 400 `invalid_query` outside 1990–2100.
    pub fn year(&self, today: NaiveDate) -> Result<i32, BadQuery> {
        let year = self.year.unwrap_or_else(|| today.year());
        if supported_year(year) {
            Ok(year)
        } else {
            Err(BadQuery::param(
                "year",
                format!("Năm phải trong khoảng {TABLE_FIRST_YEAR} đến {TABLE_LAST_YEAR}."),
            ))
        }
    }
}

/// An administrator's special day.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SpecialDayRequest {
    /// `holiday`, `day_off` or `working_day` (a swapped-in working day, or a default day off taken
    /// back).
    pub kind: DayKind,
    /// Its Vietnamese name, 1–200 characters, e.g. "Ngày Văn hóa Việt Nam".
    pub name: String,
}

/// An administrator's entry for one date, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayEntry {
    /// Holiday, day off or swapped-in working day.
    pub kind: DayKind,
    /// Its Vietnamese name, trimmed, 1–200 characters.
    pub name: String,
}

impl SpecialDayRequest {
    /// Checks the name.
    pub fn parse(self) -> Result<DayEntry, Invalid> {
        let mut f = Fields::new();
        let name = f.check("name", bounded_text(&self.name, 1, 200));
        f.done(name.map(|name| DayEntry { kind: self.kind, name }))
    }
}

/// Checks that a date an administrator changes is inside the years the calendar holds
/// precomputed (1990–2100): 422 on `date` otherwise.
pub fn entry_date(date: NaiveDate) -> Result<NaiveDate, Invalid> {
    supported_date(date).map_err(|m| Invalid::field("date", m))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    #[test]
    fn the_calculator_needs_a_start_and_days_in_range() {
        let q = |start, days: Option<&str>, unit| DueDateQuery { start, days: days.map(Into::into), unit };
        let asked = q(Some(d(2026, 12, 1)), Some("10"), None).parse().unwrap();
        assert_eq!((asked.unit, asked.days), (DayUnit::Working, 10));
        assert_eq!(
            q(None, Some("10"), None).parse().unwrap_err(),
            BadQuery::param("start", "Vui lòng chọn ngày bắt đầu.")
        );
        assert!(q(Some(d(2026, 12, 1)), None, None).parse().is_err());
        assert!(q(Some(d(1989, 12, 31)), Some("1"), None).parse().is_err());
        let too_many = (MAX_LIMIT_DAYS + 1).to_string();
        assert_eq!(q(Some(d(2026, 12, 1)), Some(&too_many), None).parse().unwrap_err().1, Some("days"));
    }

    #[test]
    fn the_number_of_days_is_refused_in_words() {
        let table = [
            ("", "Vui lòng nhập số ngày."),
            ("-3", "Số ngày không được là số âm (đã nhập -3). Số ngày phải là số nguyên từ 0 đến 3650."),
            (
                "\u{2212}3",
                "Số ngày không được là số âm (đã nhập \u{2212}3). Số ngày phải là số nguyên từ 0 đến 3650.",
            ),
            (
                "2,5",
                "Số ngày phải là số nguyên, không có phần lẻ (đã nhập 2,5). Số ngày phải là số nguyên từ 0 đến 3650.",
            ),
            ("mười", "Số ngày phải là một số (đã nhập “mười”). Số ngày phải là số nguyên từ 0 đến 3650."),
            ("99999999999", "Số ngày quá lớn. Số ngày phải là số nguyên từ 0 đến 3650."),
        ];
        for (typed, said) in table {
            assert_eq!(day_count(Some(typed)), Err(said.to_owned()), "{typed}");
        }
        assert_eq!(day_count(Some(" 0 ")), Ok(0));
        assert_eq!(day_count(Some("+7")), Ok(7));
        assert_eq!(day_count(Some("3650")), Ok(3650));
    }

    #[test]
    fn years_and_entry_dates_stay_in_the_table() {
        assert_eq!(DaysQuery { year: None }.year(d(2026, 12, 5)), Ok(2026));
        assert!(DaysQuery { year: Some(2101) }.year(d(2026, 12, 5)).is_err());
        assert!(entry_date(d(2026, 12, 2)).is_ok());
        assert!(entry_date(d(1989, 12, 31)).is_err());
        assert!(entry_date(d(2101, 1, 1)).is_err());
        let entry = SpecialDayRequest { kind: DayKind::Holiday, name: "  Ngày hội ".into() }.parse();
        assert_eq!(entry.unwrap().name, "Ngày hội");
        assert!(SpecialDayRequest { kind: DayKind::Holiday, name: " ".into() }.parse().is_err());
    }
}
