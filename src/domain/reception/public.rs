//! The published reception schedule (Law 42/2013 Art. 12: the schedule is made public): the
//! period anyone may read, what a published session shows, and its iCalendar feed (RFC 5545).

use chrono::{DateTime, Datelike as _, NaiveDate, Utc};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{
    period::{SCHEDULE_AHEAD_DAYS, days_after, days_before, period},
    sessions::{SessionKind, SessionStatus},
};
use crate::domain::{calendar::weekday_name, input::BadQuery, input::supported_date_opt};

/// What the public schedule says of a session without hours of its own.
pub const OFFICE_HOURS: &str = "Trong giờ làm việc của cơ quan";

/// How far back the public schedule shows: a year.
pub const PUBLIC_PAST_DAYS: u64 = 366;

/// The public schedule's period and agency.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PublicScheduleQuery {
    /// First day (default today); at most a year ago.
    #[serde(default, deserialize_with = "supported_date_opt")]
    pub from: Option<NaiveDate>,
    /// Last day (default 90 days after `from`); at most 366 days after `from` and two years
    /// after today.
    #[serde(default, deserialize_with = "supported_date_opt")]
    pub to: Option<NaiveDate>,
    /// The agency (default the first one registered).
    pub agency_id: Option<i64>,
}

/// A checked request of the public schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicPeriod {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// `None`: the first agency registered.
    pub agency_id: Option<i64>,
}

impl PublicScheduleQuery {
    /// The period (from today, 90 days by default), within [`check_public_range`].
    pub fn parse(self, today: NaiveDate) -> Result<PublicPeriod, BadQuery> {
        let (from, to) = period(self.from, self.to, today, 90)?;
        check_public_range(from, to, today)?;
        Ok(PublicPeriod { from, to, agency_id: self.agency_id })
    }
}

/// Checks the period asked of the public schedule (anyone, no login): from a year ago to the
/// schedule's horizon ([`SCHEDULE_AHEAD_DAYS`]). The public read still writes the occurrences it
/// shows (their ids are the feed's stable `UID`s, and the visits of the day attach to the same
/// rows), but only inside this window, which staff reads write anyway.
pub fn check_public_range(from: NaiveDate, to: NaiveDate, today: NaiveDate) -> Result<(), BadQuery> {
    let earliest = days_before(today, PUBLIC_PAST_DAYS);
    let latest = days_after(today, SCHEDULE_AHEAD_DAYS);
    if from < earliest || to > latest {
        return Err(BadQuery::new(format!(
            "Lịch tiếp công dân công khai chỉ xem được từ ngày {} đến ngày {}.",
            earliest.format("%d/%m/%Y"),
            latest.format("%d/%m/%Y")
        )));
    }
    Ok(())
}

/// A session as the public schedule shows it: who receives citizens, when and where (never a
/// visitor).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicSession {
    pub id: i64,
    pub date: NaiveDate,
    pub kind: SessionKind,
    pub host_name: Option<String>,
    pub location: String,
    /// The hours of reception (`None`: the office's working hours).
    pub hours: Option<String>,
    /// As shown on the day it is read (`missed` for a scheduled day gone by).
    pub status: SessionStatus,
    pub expected_content: Option<String>,
    pub meeting_link: Option<String>,
}

impl PublicSession {
    /// The day's Vietnamese name (`Thứ Năm`).
    pub fn weekday(&self) -> &'static str {
        weekday_name(self.date.weekday())
    }

    /// The hours as the schedule says them: the session's own, or the office's working hours.
    pub fn hours_text(&self) -> &str {
        self.hours.as_deref().unwrap_or(OFFICE_HOURS)
    }
}

/// Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines.
pub fn ics_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets without splitting a UTF-8 character (RFC 5545 §3.1) and
/// ends it with CRLF.
pub fn ics_line(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

/// The public schedule as an iCalendar document: one all-day event per session, each with a
/// stable `UID` at `host`, stamped `stamp`.
pub fn ics(agency_name: &str, sessions: &[PublicSession], host: &str, stamp: DateTime<Utc>) -> String {
    let mut out = String::new();
    let dtstamp = stamp.format("%Y%m%dT%H%M%SZ").to_string();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//tiepdan//Lich tiep cong dan//VI",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        ics_line(&mut out, line);
    }
    ics_line(
        &mut out,
        &format!("X-WR-CALNAME:{}", ics_escape(&format!("Lịch tiếp công dân – {agency_name}"))),
    );
    ics_line(&mut out, "X-WR-TIMEZONE:Asia/Ho_Chi_Minh");
    for s in sessions {
        let kind_label = s.kind.label_vi();
        let summary = match &s.host_name {
            Some(h) => format!("{kind_label} – {h}"),
            None => kind_label.to_owned(),
        };
        ics_line(&mut out, "BEGIN:VEVENT");
        ics_line(&mut out, &format!("UID:reception-session-{}@{host}", s.id));
        ics_line(&mut out, &format!("DTSTAMP:{dtstamp}"));
        ics_line(&mut out, &format!("DTSTART;VALUE=DATE:{}", s.date.format("%Y%m%d")));
        if let Some(next) = s.date.succ_opt() {
            ics_line(&mut out, &format!("DTEND;VALUE=DATE:{}", next.format("%Y%m%d")));
        }
        ics_line(&mut out, &format!("SUMMARY:{}", ics_escape(&summary)));
        ics_line(&mut out, &format!("LOCATION:{}", ics_escape(&s.location)));
        let mut description = format!("{}, {}.", s.weekday(), s.date.format("%d/%m/%Y"));
        description.push_str(&format!("\nGiờ tiếp: {}.", s.hours_text().trim_end_matches('.')));
        description.push_str(&format!("\nĐịa điểm: {}.", s.location.trim_end_matches('.')));
        if let Some(c) = &s.expected_content {
            description.push_str(&format!("\nNội dung dự kiến: {c}"));
        }
        if let Some(l) = &s.meeting_link {
            description.push_str(&format!("\nTham gia trực tuyến: {l}"));
        }
        ics_line(&mut out, &format!("DESCRIPTION:{}", ics_escape(&description)));
        let status = if s.status == SessionStatus::Cancelled { "CANCELLED" } else { "CONFIRMED" };
        ics_line(&mut out, &format!("STATUS:{status}"));
        ics_line(&mut out, "TRANSP:TRANSPARENT");
        ics_line(&mut out, "END:VEVENT");
    }
    ics_line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    #[test]
    fn anyone_reads_from_a_year_back_to_two_years_ahead() {
        let today = d(2026, 11, 25);
        let asked = |from, to| PublicScheduleQuery { from, to, agency_id: None }.parse(today);
        assert_eq!(asked(None, None).map(|p| (p.from, p.to)), Ok((today, d(2027, 2, 23))));
        assert!(asked(Some(d(2025, 11, 24)), Some(d(2025, 12, 1))).is_ok());
        let too_early = asked(Some(d(2025, 11, 23)), Some(d(2025, 12, 1))).unwrap_err();
        assert_eq!(
            too_early.0,
            "Lịch tiếp công dân công khai chỉ xem được từ ngày 24/11/2025 đến ngày 26/11/2028."
        );
        assert!(asked(Some(d(2028, 11, 1)), Some(d(2028, 11, 26))).is_ok());
        assert!(asked(Some(d(2028, 11, 1)), Some(d(2028, 11, 27))).is_err());
    }

    #[test]
    fn text_is_escaped() {
        let table = [
            ("Trụ sở UBND, phòng 1; tầng 2", "Trụ sở UBND\\, phòng 1\\; tầng 2"),
            ("a\\b", "a\\\\b"),
            ("dòng 1\r\ndòng 2", "dòng 1\\ndòng 2"),
        ];
        for (raw, escaped) in table {
            assert_eq!(ics_escape(raw), escaped);
        }
    }

    #[test]
    fn long_lines_fold_at_75_octets_on_character_boundaries() {
        let mut out = String::new();
        let long = format!("SUMMARY:{}", "Tiếp công dân định kỳ ".repeat(8));
        ics_line(&mut out, &long);
        assert!(out.ends_with("\r\n"));
        for (i, piece) in out.trim_end_matches("\r\n").split("\r\n").enumerate() {
            assert!(piece.len() <= 75, "line {i} has {} octets", piece.len());
            if i > 0 {
                assert!(piece.starts_with(' '));
            }
        }
        let unfolded = out.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, long);
    }

    #[test]
    fn the_calendar_has_crlf_lines_and_all_day_events() {
        let s = PublicSession {
            id: 7,
            date: d(2026, 11, 26),
            kind: SessionKind::Periodic,
            host_name: Some("Nguyễn Văn Hùng".to_owned()),
            location: "Trụ sở UBND phường Mẫu, phòng tiếp dân".to_owned(),
            hours: Some("Sáng 7 giờ 30 – 11 giờ 30".to_owned()),
            status: SessionStatus::Scheduled,
            expected_content: None,
            meeting_link: None,
        };
        let stamp =
            DateTime::parse_from_rfc3339("2026-11-25T02:00:00Z").expect("instant").with_timezone(&Utc);
        let text = ics("UBND phường Mẫu", &[s], "tiepdan", stamp);
        assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert!(!text.replace("\r\n", "").contains('\n'), "every line ends with CRLF");
        assert!(text.contains("UID:reception-session-7@tiepdan\r\n"));
        assert!(text.contains("DTSTAMP:20261125T020000Z\r\n"));
        assert!(text.contains("DTSTART;VALUE=DATE:20261126\r\n"));
        assert!(text.contains("DTEND;VALUE=DATE:20261127\r\n"));
        assert!(text.contains("SUMMARY:Tiếp công dân định kỳ – Nguyễn Văn Hùng\r\n"));
        assert!(text.contains("LOCATION:Trụ sở UBND phường Mẫu\\, phòng tiếp dân\r\n"));
        let unfolded = text.replace("\r\n ", "");
        assert!(
            unfolded.contains(
                "DESCRIPTION:Thứ Năm\\, 26/11/2026.\\nGiờ tiếp: Sáng 7 giờ 30 – 11 giờ 30.\\nĐịa điểm: Trụ sở UBND phường Mẫu\\, phòng tiếp dân.\r\n"
            ),
            "{unfolded}"
        );
    }
}
