//! The reception book (Sổ tiếp công dân, Mẫu số 03/TCD, ND 154/2026): its thirteen columns, a
//! line as the form prints it (a protected denouncer's identity redacted), and the period a
//! reader asks of it.

use chrono::{Datelike as _, NaiveDate};
use serde::Deserialize;
use utoipa::IntoParams;

use super::period::check_range;
use crate::domain::{
    input::{BadQuery, supported_date_opt},
    petition::Kind,
};

/// The headers of the reception book, Mẫu số 03/TCD (ND 154/2026), in the form's column order.
pub const BOOK_HEADERS: [&str; 13] = [
    "STT",
    "Ngày tiếp",
    "Họ và tên, địa chỉ",
    "Số CCCD/CMND/Hộ chiếu hoặc giấy tờ tùy thân khác",
    "Nội dung vụ việc",
    "Phân loại đơn, vụ việc (KN, TC, KN, PA)",
    "Số người cùng nội dung",
    "Cơ quan đã giải quyết hết thẩm quyền",
    "Thuộc thẩm quyền (x)",
    "Hướng dẫn đến cơ quan; số văn bản hướng dẫn",
    "Cơ quan thụ lý; số văn bản chuyển đơn",
    "Theo dõi kết quả giải quyết",
    "Ghi chú",
];

/// What the book shows in place of a protected denouncer's identity (Law 25/2018 Art. 8(3)).
pub const REDACTED: &str = "Bảo mật danh tính";

/// One line of the book, as the form prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookLine {
    pub no: i32,
    pub date: NaiveDate,
    /// `None` when the reader may not see the identity.
    pub name: Option<String>,
    pub address: Option<String>,
    pub id_number: Option<String>,
    pub summary: String,
    pub kind: Kind,
    pub people_count: i32,
    pub handled_before_by: Option<String>,
    pub within_competence: bool,
    pub guided_to: Option<String>,
    pub guidance_letter_no: Option<String>,
    pub accepted_by: Option<String>,
    pub forwarding_letter_no: Option<String>,
    pub follow_up: Option<String>,
    pub note: Option<String>,
}

fn joined(a: Option<&str>, b: Option<&str>, sep: &str) -> String {
    match (a.filter(|s| !s.is_empty()), b.filter(|s| !s.is_empty())) {
        (Some(a), Some(b)) => format!("{a}{sep}{b}"),
        (Some(a), None) | (None, Some(a)) => a.to_owned(),
        (None, None) => String::new(),
    }
}

impl BookLine {
    /// The thirteen cells, in [`BOOK_HEADERS`] order; the column of kinds prints the form's code.
    pub fn cells(&self) -> [String; 13] {
        let (who, id) = match &self.name {
            Some(name) => (
                joined(Some(name), self.address.as_deref(), ", "),
                self.id_number.clone().unwrap_or_default(),
            ),
            None => (REDACTED.to_owned(), REDACTED.to_owned()),
        };
        [
            self.no.to_string(),
            self.date.format("%d/%m/%Y").to_string(),
            who,
            id,
            self.summary.clone(),
            self.kind.book_code().to_owned(),
            self.people_count.to_string(),
            self.handled_before_by.clone().unwrap_or_default(),
            if self.within_competence { "x".to_owned() } else { String::new() },
            joined(self.guided_to.as_deref(), self.guidance_letter_no.as_deref(), "; "),
            joined(self.accepted_by.as_deref(), self.forwarding_letter_no.as_deref(), "; "),
            self.follow_up.clone().unwrap_or_default(),
            self.note.clone().unwrap_or_default(),
        ]
    }
}

/// The book's period.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BookQuery {
    /// First day (default the first of this month).
    #[serde(default, deserialize_with = "supported_date_opt")]
    pub from: Option<NaiveDate>,
    /// Last day (default today); at most 366 days in all.
    #[serde(default, deserialize_with = "supported_date_opt")]
    pub to: Option<NaiveDate>,
}

impl BookQuery {
    /// The period: to today and from the first of `to`'s month by default, at most a year and a
    /// day.
    pub fn parse(self, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), BadQuery> {
        let to = self.to.unwrap_or(today);
        let from = self.from.unwrap_or_else(|| to.with_day0(0).unwrap_or(to));
        check_range(from, to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    #[test]
    fn book_line_prints_the_form_codes_and_redacts() {
        let mut line = BookLine {
            no: 7,
            date: d(2026, 11, 26),
            name: Some("Nguyễn Văn An".to_owned()),
            address: Some("Tổ 3, phường Mẫu".to_owned()),
            id_number: Some("001234567890".to_owned()),
            summary: "Khiếu nại thu hồi đất".to_owned(),
            kind: Kind::Recommendation,
            people_count: 1,
            handled_before_by: None,
            within_competence: true,
            guided_to: None,
            guidance_letter_no: None,
            accepted_by: Some("UBND phường Mẫu".to_owned()),
            forwarding_letter_no: None,
            follow_up: None,
            note: None,
        };
        let cells = line.cells();
        assert_eq!(cells[0], "7");
        assert_eq!(cells[1], "26/11/2026");
        assert_eq!(cells[2], "Nguyễn Văn An, Tổ 3, phường Mẫu");
        assert_eq!(cells[5], "KN", "a recommendation prints KN like a complaint");
        assert_eq!(cells[8], "x");
        assert_eq!(cells[10], "UBND phường Mẫu");
        line.name = None;
        line.kind = Kind::Denunciation;
        let cells = line.cells();
        assert_eq!(cells[2], REDACTED);
        assert_eq!(cells[3], REDACTED);
        assert_eq!(cells[5], "TC");
        assert_eq!(BOOK_HEADERS.len(), 13);
    }

    #[test]
    fn the_book_shows_this_month_by_default() {
        let today = d(2026, 11, 25);
        assert_eq!(BookQuery::default().parse(today), Ok((d(2026, 11, 1), today)));
        let march = BookQuery { from: None, to: Some(d(2026, 3, 15)) };
        assert_eq!(march.parse(today), Ok((d(2026, 3, 1), d(2026, 3, 15))));
        let long = BookQuery { from: Some(d(2025, 1, 1)), to: None };
        assert!(long.parse(today).is_err());
    }
}
