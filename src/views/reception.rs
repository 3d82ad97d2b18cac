//! How reception is shown: sessions, schedule rules, visits and book lines (the visitor's identity
//! only where the reader may see it), refusals with their notice clock, directives with their
//! overdue flags, the public schedule and its iCalendar feed (RFC 5545).

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    domain::{
        calendar::weekday_name,
        petition::Kind,
        reception::{
            BOOK_HEADERS, DirectiveStatus, Every, OnHoliday, RefusalGround, SessionKind, SessionSource,
            SessionStatus, Trigger, weekday_from_iso,
        },
    },
    entity::{reception_directive, reception_refusal, reception_rule, reception_session},
    service::reception::{book::Line, visits::Representative},
};

/// A reception session.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SessionView {
    pub id: i64,
    pub kind: SessionKind,
    pub kind_label: String,
    pub date: NaiveDate,
    pub weekday: String,
    pub host_id: i64,
    pub host_name: Option<String>,
    pub location: String,
    /// `scheduled`, `held`, `cancelled`, or `missed` (scheduled, its day passed, never held).
    pub status: SessionStatus,
    pub status_label: String,
    /// `rule` (from the head's schedule) or `manual`.
    pub source: SessionSource,
    /// For a scheduled periodic session: the rule's day before a holiday moved it.
    pub nominal_date: Option<NaiveDate>,
    /// Unscheduled sessions: why the law required it, and the legal point.
    pub trigger: Option<Trigger>,
    pub trigger_source: Option<String>,
    pub trigger_note: Option<String>,
    pub participants: Vec<String>,
    pub note_taker_id: Option<i64>,
    pub note_taker_name: Option<String>,
    pub expected_content: Option<String>,
    /// Online sessions: the day it was announced, the link, the recording's reference.
    pub notice_on: Option<NaiveDate>,
    pub meeting_link: Option<String>,
    pub recording_ref: Option<String>,
    pub cancel_reason: Option<String>,
    pub held_at: Option<DateTime<Utc>>,
    /// The session-conclusion notice, once issued.
    pub conclusion: Option<String>,
    pub concluded_at: Option<DateTime<Utc>>,
}

impl SessionView {
    /// The view of a stored session on `today`, with people's names from `names`.
    pub fn of(s: &reception_session::Model, names: &HashMap<i64, String>, today: NaiveDate) -> Self {
        let kind = s.kind;
        let stored = s.status;
        let status = SessionStatus::shown(stored, s.session_date, today);
        let trigger = s.trigger_kind;
        Self {
            id: s.id,
            kind,
            kind_label: kind.label_vi().to_owned(),
            date: s.session_date,
            weekday: weekday_name(s.session_date.weekday()).to_owned(),
            host_id: s.host_id,
            host_name: names.get(&s.host_id).cloned(),
            location: s.location.clone(),
            status,
            status_label: status.label_vi().to_owned(),
            source: s.source,
            nominal_date: s.nominal_date,
            trigger,
            trigger_source: trigger.map(|t| t.source().to_owned()),
            trigger_note: s.trigger_note.clone(),
            participants: serde_json::from_str(&s.participants).unwrap_or_default(),
            note_taker_id: s.note_taker_id,
            note_taker_name: s.note_taker_id.and_then(|n| names.get(&n).cloned()),
            expected_content: s.expected_content.clone(),
            notice_on: s.notice_on,
            meeting_link: s.meeting_link.clone(),
            recording_ref: s.recording_ref.clone(),
            cancel_reason: s.cancel_reason.clone(),
            held_at: s.held_at,
            conclusion: s.conclusion.clone(),
            concluded_at: s.concluded_at,
        }
    }

    /// The people a list of sessions names.
    pub fn people(sessions: &[reception_session::Model]) -> Vec<i64> {
        sessions.iter().flat_map(|s| [Some(s.host_id), s.note_taker_id]).flatten().collect()
    }
}

/// A session with its visits, refusals and directives.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SessionDetailView {
    #[serde(flatten)]
    pub session: SessionView,
    pub visits: Vec<VisitView>,
    pub refusals: Vec<RefusalView>,
    pub directives: Vec<DirectiveView>,
}

/// A head's schedule rule.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RuleView {
    pub host_id: i64,
    pub host_name: Option<String>,
    /// ISO weekday, 1 = Monday … 7 = Sunday.
    pub weekday: i16,
    pub weekday_label: String,
    /// `week` or `month`.
    pub every: Every,
    pub week_of_month: Option<i16>,
    /// `next_working_day` or `skip`.
    pub on_holiday: OnHoliday,
    pub location: Option<String>,
    pub active: bool,
    /// The next sessions the rule gives on the current calendar.
    pub upcoming: Vec<NaiveDate>,
}

impl RuleView {
    /// The view of a stored rule.
    pub fn of(r: &reception_rule::Model, host_name: Option<String>, upcoming: Vec<NaiveDate>) -> Self {
        Self {
            host_id: r.host_id,
            host_name,
            weekday: r.weekday,
            weekday_label: weekday_from_iso(i64::from(r.weekday))
                .map(weekday_name)
                .unwrap_or_default()
                .to_owned(),
            every: r.every,
            week_of_month: r.week_of_month,
            on_holiday: r.on_holiday,
            location: r.location.clone(),
            active: r.active,
            upcoming,
        }
    }
}

/// The visitor of a line of the book.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VisitorView {
    pub full_name: String,
    pub address: Option<String>,
    pub id_number: Option<String>,
}

/// A visit: one line of the reception book.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VisitView {
    pub id: i64,
    pub session_id: i64,
    /// The line's number in the agency's book of `book_year`.
    pub book_no: i32,
    pub book_year: i32,
    pub date: NaiveDate,
    /// Absent where the reader may not see a denouncer's identity (`identity_redacted`).
    pub visitor: Option<VisitorView>,
    pub identity_redacted: bool,
    pub people_count: i32,
    #[schema(value_type = Option<Vec<Object>>)]
    pub representatives: Option<Vec<Representative>>,
    pub summary: String,
    pub kind: Kind,
    /// Column 6 of the form: KN, TC or PA.
    pub kind_code: String,
    pub handled_before_by: Option<String>,
    pub within_competence: bool,
    pub guided_to: Option<String>,
    pub guidance_letter_no: Option<String>,
    pub accepted_by: Option<String>,
    pub forwarding_letter_no: Option<String>,
    pub follow_up: Option<String>,
    pub note: Option<String>,
    /// The case the visit opened or came back about.
    pub petition_id: Option<i64>,
    pub opened_petition: bool,
    /// A repeat visit about a case already registered.
    pub repeat: bool,
    pub recorded_by: i64,
}

impl From<&Line> for VisitView {
    fn from(line: &Line) -> Self {
        let v = &line.visit;
        let kind = v.kind;
        let shown = line.identity_visible;
        Self {
            id: v.id,
            session_id: v.session_id,
            book_no: v.book_no,
            book_year: v.book_year,
            date: v.visit_date,
            visitor: shown.then(|| VisitorView {
                full_name: v.visitor_name.clone(),
                address: v.visitor_address.clone(),
                id_number: v.visitor_id_number.clone(),
            }),
            identity_redacted: !shown,
            people_count: v.people_count,
            representatives: if shown { serde_json::from_str(&v.representatives).ok() } else { None },
            summary: v.summary.clone(),
            kind,
            kind_code: kind.book_code().to_owned(),
            handled_before_by: v.handled_before_by.clone(),
            within_competence: v.within_competence,
            guided_to: v.guided_to.clone(),
            guidance_letter_no: v.guidance_letter_no.clone(),
            accepted_by: v.accepted_by.clone(),
            forwarding_letter_no: v.forwarding_letter_no.clone(),
            follow_up: v.follow_up.clone(),
            note: v.note.clone(),
            petition_id: v.petition_id,
            opened_petition: v.opened_petition,
            repeat: v.petition_id.is_some() && !v.opened_petition,
            recorded_by: v.recorded_by,
        }
    }
}

/// One line of the book as the form prints it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BookLineView {
    pub visit_id: i64,
    pub session_id: i64,
    pub petition_id: Option<i64>,
    pub identity_redacted: bool,
    /// The thirteen cells, in the order of `headers`.
    pub cells: Vec<String>,
}

/// The reception book over a period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BookView {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The form's column headers (Mẫu số 03/TCD), in order.
    pub headers: Vec<String>,
    pub lines: Vec<BookLineView>,
    pub total: usize,
}

impl BookView {
    /// The book of `lines`.
    pub fn of(from: NaiveDate, to: NaiveDate, lines: &[Line]) -> Self {
        Self {
            from,
            to,
            headers: BOOK_HEADERS.iter().map(|h| (*h).to_owned()).collect(),
            lines: lines
                .iter()
                .map(|l| BookLineView {
                    visit_id: l.visit.id,
                    session_id: l.visit.session_id,
                    petition_id: l.visit.petition_id,
                    identity_redacted: !l.identity_visible,
                    cells: l.book_line().cells().into_iter().collect(),
                })
                .collect(),
            total: lines.len(),
        }
    }
}

/// A refusal to receive.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RefusalView {
    pub id: i64,
    pub session_id: i64,
    pub refused_on: NaiveDate,
    pub visitor: VisitorView,
    pub ground: RefusalGround,
    pub ground_label: String,
    pub ground_source: String,
    pub details: Option<String>,
    /// The head's written notice (Mẫu 01/TCD) is required: Art. 9(3) and point h.
    pub notice_required: bool,
    pub grounds_on: Option<NaiveDate>,
    /// 3 working days from `grounds_on`.
    pub notice_due: Option<NaiveDate>,
    /// Required, not sent, and past its due date.
    pub notice_overdue: bool,
    pub notice_sent_on: Option<NaiveDate>,
    pub notice_no: Option<String>,
}

impl RefusalView {
    /// The view of a stored refusal, with its notice's due date.
    pub fn of(r: &reception_refusal::Model, notice_due: Option<NaiveDate>, today: NaiveDate) -> Self {
        let ground = r.ground;
        Self {
            id: r.id,
            session_id: r.session_id,
            refused_on: r.refused_on,
            visitor: VisitorView {
                full_name: r.visitor_name.clone(),
                address: r.visitor_address.clone(),
                id_number: r.visitor_id_number.clone(),
            },
            ground,
            ground_label: ground.label_vi().to_owned(),
            ground_source: ground.source().to_owned(),
            details: r.details.clone(),
            notice_required: r.notice_required,
            grounds_on: r.grounds_on,
            notice_due,
            notice_overdue: r.notice_required
                && r.notice_sent_on.is_none()
                && notice_due.is_some_and(|d| d < today),
            notice_sent_on: r.notice_sent_on,
            notice_no: r.notice_no.clone(),
        }
    }
}

/// A directive of a session-conclusion notice.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DirectiveView {
    pub id: i64,
    pub session_id: i64,
    pub unit_id: i64,
    pub unit_name: Option<String>,
    pub task: String,
    pub due: NaiveDate,
    pub status: DirectiveStatus,
    /// Open and past its due date.
    pub overdue: bool,
    /// Open and due within three working days.
    pub nearly_due: bool,
    pub result: Option<String>,
    pub done_on: Option<NaiveDate>,
    pub done_by: Option<i64>,
}

impl DirectiveView {
    /// The view on `today`; nearly due up to `nearly_due_until`.
    pub fn of(
        d: &reception_directive::Model,
        units: &HashMap<i64, String>,
        today: NaiveDate,
        nearly_due_until: NaiveDate,
    ) -> Self {
        let status = d.status;
        let open = status == DirectiveStatus::Open;
        Self {
            id: d.id,
            session_id: d.session_id,
            unit_id: d.unit_id,
            unit_name: units.get(&d.unit_id).cloned(),
            task: d.task.clone(),
            due: d.due_on,
            status,
            overdue: open && d.due_on < today,
            nearly_due: open && d.due_on >= today && d.due_on <= nearly_due_until,
            result: d.result.clone(),
            done_on: d.done_on,
            done_by: d.done_by,
        }
    }
}

/// A session on the public schedule: who receives citizens, when and where (no visitor data).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicSessionView {
    pub id: i64,
    pub date: NaiveDate,
    pub weekday: String,
    pub kind: SessionKind,
    pub kind_label: String,
    pub host_name: Option<String>,
    pub location: String,
    /// `scheduled`, `held`, `cancelled` or `missed`.
    pub status: SessionStatus,
    pub expected_content: Option<String>,
    /// Online sessions: how to join.
    pub meeting_link: Option<String>,
}

impl PublicSessionView {
    /// The public view of a session.
    pub fn of(s: &reception_session::Model, names: &HashMap<i64, String>, today: NaiveDate) -> Self {
        let v = SessionView::of(s, names, today);
        Self {
            id: v.id,
            date: v.date,
            weekday: v.weekday,
            kind: v.kind,
            kind_label: v.kind_label,
            host_name: v.host_name,
            location: v.location,
            status: v.status,
            expected_content: v.expected_content,
            meeting_link: v.meeting_link,
        }
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

/// The public schedule as an iCalendar document: one all-day event per session.
pub fn ics(agency_name: &str, sessions: &[PublicSessionView], host: &str, stamp: DateTime<Utc>) -> String {
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
        let summary = match &s.host_name {
            Some(h) => format!("{} – {h}", s.kind_label),
            None => s.kind_label.clone(),
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
        let mut description = format!("{}, {}.", s.weekday, s.date.format("%d/%m/%Y"));
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
        let s = PublicSessionView {
            id: 7,
            date: NaiveDate::from_ymd_opt(2026, 11, 26).expect("date"),
            weekday: "Thứ Năm".to_owned(),
            kind: SessionKind::Periodic,
            kind_label: SessionKind::Periodic.label_vi().to_owned(),
            host_name: Some("Nguyễn Văn Hùng".to_owned()),
            location: "Trụ sở UBND phường Mẫu, phòng tiếp dân".to_owned(),
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
    }
}
