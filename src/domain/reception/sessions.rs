//! Reception sessions (Law 42/2013 Arts. 12–18; ND 154/2026): their kinds and legal triggers,
//! where they stand, the notice an online session needs, and the session forms as sent and
//! checked.

use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::period::{RECORD_WINDOW_DAYS, check_session_date, days_before, period};
use crate::domain::{
    calendar::Calendar,
    input::{BadQuery, Fields, Invalid, double_option, supported_date, supported_date_opt},
    page::{PageParams, PageRequest},
    petition::Refusal,
    validate::{bounded_text, optional_text},
};

str_enum! {
    /// Where a stored session came from.
    pub enum SessionSource {
        /// Generated from the host's reception schedule.
        Rule = "rule",
        /// Set by hand.
        Manual = "manual",
    }
}

str_enum! {
    /// The kinds of reception session (Law 42/2013 Arts. 12–18; ND 154/2026).
    pub enum SessionKind {
        /// The head's own sessions on his published schedule (tiếp định kỳ).
        Periodic = "periodic",
        /// Staff reception every working day (tiếp thường xuyên).
        Regular = "regular",
        /// Sessions the law requires at once (tiếp đột xuất, Law 42/2013 Art. 18(3)).
        Unscheduled = "unscheduled",
        /// Online sessions (tiếp trực tuyến, ND 154/2026 Arts. 17–24).
        Online = "online",
    }
}

impl SessionKind {
    /// Vietnamese name.
    pub fn label_vi(self) -> &'static str {
        match self {
            SessionKind::Periodic => "Tiếp công dân định kỳ",
            SessionKind::Regular => "Tiếp công dân thường xuyên",
            SessionKind::Unscheduled => "Tiếp công dân đột xuất",
            SessionKind::Online => "Tiếp công dân trực tuyến",
        }
    }
}

str_enum! {
    /// Where a session stands. `missed` is never stored: it is a scheduled session whose day has passed.
    pub enum SessionStatus {
        Scheduled = "scheduled",
        Held = "held",
        Cancelled = "cancelled",
        /// Scheduled, its day passed, never held: a breach (ND 154/2026 Arts. 41–42).
        Missed = "missed",
    }
}

impl SessionStatus {
    /// The status shown on `today` for a stored status and the session's date.
    pub fn shown(stored: SessionStatus, date: NaiveDate, today: NaiveDate) -> SessionStatus {
        if stored == SessionStatus::Scheduled && date < today { SessionStatus::Missed } else { stored }
    }

    /// What a session of `date` in this (shown) status reads on `today`: a scheduled session of
    /// today is taking place (or about to), never "not held"; otherwise [`Self::label_vi`].
    pub fn label_on(self, date: NaiveDate, today: NaiveDate) -> &'static str {
        if self == SessionStatus::Scheduled && date == today {
            "Hôm nay: đang tiếp công dân"
        } else {
            self.label_vi()
        }
    }

    /// Vietnamese name.
    pub fn label_vi(self) -> &'static str {
        match self {
            SessionStatus::Scheduled => "Đã lên lịch",
            SessionStatus::Held => "Đã tiếp",
            SessionStatus::Cancelled => "Đã hủy",
            SessionStatus::Missed => "Không tổ chức tiếp theo lịch",
        }
    }
}

str_enum! {
    /// Why an unscheduled session was required (Law 42/2013 Art. 18(3); ND 154/2026 Art. 10(3)).
    pub enum Trigger {
        /// (a) a heated or complex case with many people, or bodies that disagree.
        HeatedOrComplex = "heated_or_complex",
        /// (b) a case that may cause serious harm if not handled at once.
        SeriousHarm = "serious_harm",
    }
}

impl Trigger {
    /// The legal point.
    pub fn source(self) -> &'static str {
        match self {
            Trigger::HeatedOrComplex => "Luật Tiếp công dân 2013, Điều 18 khoản 3 điểm a",
            Trigger::SeriousHarm => "Luật Tiếp công dân 2013, Điều 18 khoản 3 điểm b",
        }
    }
}

/// The minimum notice of an online session: ND 154/2026 Art. 23.
pub const ONLINE_NOTICE_WORKING_DAYS: u32 = 5;

/// Checks that an online session on `date` was announced on `notice_on` at least five working days
/// ahead; `Err` gives the earliest date a session announced then may take place.
pub fn check_online_notice(cal: &Calendar, notice_on: NaiveDate, date: NaiveDate) -> Result<(), NaiveDate> {
    let earliest = cal.add_working_days(notice_on, ONLINE_NOTICE_WORKING_DAYS).due;
    if date >= earliest { Ok(()) } else { Err(earliest) }
}

/// [`check_online_notice`]'s refusal, as the answer on `date` says it.
pub fn online_notice_message(notice_on: NaiveDate, earliest: NaiveDate) -> String {
    format!(
        "Buổi tiếp trực tuyến phải được thông báo trước ít nhất 5 ngày làm việc (Nghị định 154/2026/NĐ-CP, \
         Điều 23): thông báo ngày {} thì sớm nhất ngày {}.",
        notice_on.format("%d/%m/%Y"),
        earliest.format("%d/%m/%Y")
    )
}

/// The day an online session on `date` was announced: not after today nor after the session, and
/// at most [`RECORD_WINDOW_DAYS`] before the session, or before today for a session announced
/// further ahead (sessions may be planned two years out). The five working days of notice are
/// [`check_online_notice`]'s.
pub fn check_notice_on(notice_on: NaiveDate, date: NaiveDate, today: NaiveDate) -> Result<(), String> {
    if notice_on > today {
        return Err("Ngày thông báo không thể ở tương lai.".to_owned());
    }
    if notice_on > date {
        return Err("Ngày thông báo không thể sau ngày tiếp.".to_owned());
    }
    if notice_on < days_before(date.min(today), RECORD_WINDOW_DAYS) {
        return Err("Ngày thông báo quá xa trước ngày tiếp (tối đa một năm).".to_owned());
    }
    Ok(())
}

/// Why a session cannot change as asked: a transition it cannot make (409 `invalid_transition`),
/// or a field the change needs (422 on that field).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionRefusal {
    Transition(Refusal),
    Field(Invalid),
}

fn invalid_transition(message: &str) -> SessionRefusal {
    SessionRefusal::Transition(Refusal { code: "invalid_transition", message: message.to_owned() })
}

fn field_refusal(field: &str, message: impl Into<String>) -> SessionRefusal {
    SessionRefusal::Field(Invalid::field(field, message))
}

/// An unscheduled session names the legal point that required it (Law 42/2013 Art. 18(3)).
pub fn check_trigger(kind: SessionKind, trigger: Option<Trigger>) -> Result<(), SessionRefusal> {
    if kind == SessionKind::Unscheduled && trigger.is_none() {
        return Err(field_refusal(
            "trigger",
            "Buổi tiếp đột xuất cần ghi căn cứ: vụ việc gay gắt, phức tạp, nhiều người tham gia (Điều 18 khoản 3 điểm a) \
             hoặc vụ việc có thể gây hậu quả nghiêm trọng (điểm b).",
        ));
    }
    Ok(())
}

/// Sessions fall on working days, but for an unscheduled one, which the law requires at once.
pub fn check_working_day(cal: &Calendar, kind: SessionKind, date: NaiveDate) -> Result<(), SessionRefusal> {
    if kind != SessionKind::Unscheduled && !cal.is_working_day(date) {
        return Err(field_refusal(
            "date",
            format!(
                "{} không phải ngày làm việc ({}).",
                date.format("%d/%m/%Y"),
                cal.non_working_reason(date).unwrap_or_default()
            ),
        ));
    }
    Ok(())
}

/// A session is moved to another day only while it is still to take place.
pub fn check_reschedule(stored: SessionStatus) -> Result<(), SessionRefusal> {
    if stored != SessionStatus::Scheduled {
        return Err(invalid_transition("Chỉ đổi ngày của buổi tiếp chưa diễn ra."));
    }
    Ok(())
}

/// What a change of status looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusChange {
    pub kind: SessionKind,
    /// The stored status.
    pub stored: SessionStatus,
    /// The status asked.
    pub wanted: SessionStatus,
    /// The session's day (as it will be after the change).
    pub date: NaiveDate,
    /// Whether the session's recording is referenced (stored, or sent with the change).
    pub recorded: bool,
    /// Whether the change gives a reason to cancel.
    pub cancel_reason: bool,
}

/// A session's status changes from scheduled only: to held on or after its day (an online one only
/// with its recording archived, ND 154/2026 Arts. 18(2)(c), 24), or to cancelled with a reason.
/// Asking for the status it has is no change.
pub fn check_status_change(c: &StatusChange, today: NaiveDate) -> Result<(), SessionRefusal> {
    if c.wanted == c.stored {
        return Ok(());
    }
    match c.wanted {
        SessionStatus::Held => {
            if c.stored != SessionStatus::Scheduled {
                return Err(invalid_transition("Buổi tiếp đã hủy không thể đánh dấu đã tiếp."));
            }
            if c.date > today {
                return Err(invalid_transition("Buổi tiếp chưa đến ngày, chưa thể đánh dấu đã tiếp."));
            }
            if c.kind == SessionKind::Online && !c.recorded {
                return Err(field_refusal(
                    "recording_ref",
                    "Buổi tiếp trực tuyến phải được ghi âm, ghi hình và lưu trữ: cần mã bản ghi để xác nhận đã tiếp \
                     (Nghị định 154/2026/NĐ-CP, Điều 18, Điều 24).",
                ));
            }
        }
        SessionStatus::Cancelled => {
            if c.stored != SessionStatus::Scheduled {
                return Err(invalid_transition("Chỉ hủy được buổi tiếp chưa diễn ra."));
            }
            if !c.cancel_reason {
                return Err(field_refusal("cancel_reason", "Cần ghi lý do hủy buổi tiếp."));
            }
        }
        _ => return Err(invalid_transition("Không thể chuyển buổi tiếp về trạng thái này.")),
    }
    Ok(())
}

/// A session takes visits and refusals once its day has come, unless it was cancelled.
pub fn check_open_for_visits(
    stored: SessionStatus,
    date: NaiveDate,
    today: NaiveDate,
) -> Result<(), Refusal> {
    if stored == SessionStatus::Cancelled {
        return Err(Refusal { code: "invalid_transition", message: "Buổi tiếp đã hủy.".to_owned() });
    }
    if date > today {
        return Err(Refusal {
            code: "invalid_transition", message: "Buổi tiếp chưa diễn ra.".to_owned()
        });
    }
    Ok(())
}

/// A list of short texts (participants): at most `max_items`, each 1–300 characters, errors
/// filed under `field` and `field[i]`.
fn text_list(items: &[String], field: &str, max_items: usize, f: &mut Fields) -> Vec<String> {
    if items.len() > max_items {
        f.report(field, format!("Tối đa {max_items} mục."));
    }
    items
        .iter()
        .take(max_items)
        .enumerate()
        .filter_map(|(i, p)| f.check(&format!("{field}[{i}]"), bounded_text(p, 1, 300)))
        .collect()
}

/// A new session.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateSessionRequest {
    pub kind: SessionKind,
    #[serde(deserialize_with = "supported_date")]
    pub date: NaiveDate,
    pub host_id: i64,
    pub location: String,
    /// The hours of reception, as people write them ("Sáng 7 giờ 30 – 11 giờ 30"), at most 100
    /// characters (default: the office's working hours).
    #[schema(max_length = 100)]
    pub hours: Option<String>,
    /// Unscheduled sessions: `heated_or_complex` (Art. 18(3)(a)) or `serious_harm` (Art. 18(3)(b)).
    pub trigger: Option<Trigger>,
    pub trigger_note: Option<String>,
    #[serde(default)]
    pub participants: Vec<String>,
    pub note_taker_id: Option<i64>,
    pub expected_content: Option<String>,
    /// Online sessions: the day it was announced (default today); at least 5 working days ahead,
    /// at most a year before the session (or today).
    #[serde(default, deserialize_with = "supported_date_opt")]
    pub notice_on: Option<NaiveDate>,
    pub meeting_link: Option<String>,
}

/// A checked new session. What the calendar and the register decide (a working day, the online
/// notice, the host's schedule) is the use case's to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    pub kind: SessionKind,
    pub date: NaiveDate,
    pub host_id: i64,
    pub location: String,
    pub hours: Option<String>,
    pub trigger: Option<Trigger>,
    pub trigger_note: Option<String>,
    pub participants: Vec<String>,
    pub note_taker_id: Option<i64>,
    pub expected_content: Option<String>,
    /// Online sessions: the day the session was announced (default today).
    pub notice_on: Option<NaiveDate>,
    pub meeting_link: Option<String>,
}

impl CreateSessionRequest {
    /// Checks the day (from 2000 to two years ahead of `today`), the place and the texts.
    pub fn parse(self, today: NaiveDate) -> Result<NewSession, Invalid> {
        let mut f = Fields::new();
        f.check("date", check_session_date(self.date, today));
        let location = f.check("location", bounded_text(&self.location, 2, 300));
        let hours = f.check_opt("hours", optional_text(self.hours.as_deref(), super::HOURS_MAX_CHARS));
        let trigger_note = f.check_opt("trigger_note", optional_text(self.trigger_note.as_deref(), 2000));
        let participants = text_list(&self.participants, "participants", 50, &mut f);
        let expected_content =
            f.check_opt("expected_content", optional_text(self.expected_content.as_deref(), 5000));
        let meeting_link = f.check_opt("meeting_link", optional_text(self.meeting_link.as_deref(), 500));
        f.done(location.map(|location| NewSession {
            kind: self.kind,
            date: self.date,
            host_id: self.host_id,
            location,
            hours,
            trigger: self.trigger,
            trigger_note,
            participants,
            note_taker_id: self.note_taker_id,
            expected_content,
            notice_on: self.notice_on,
            meeting_link,
        }))
    }
}

/// Changes to a session; each field optional. `status`: `held` or `cancelled`.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct UpdateSessionRequest {
    pub status: Option<SessionStatus>,
    pub cancel_reason: Option<String>,
    #[serde(default, deserialize_with = "supported_date_opt")]
    pub date: Option<NaiveDate>,
    pub host_id: Option<i64>,
    pub location: Option<String>,
    /// The hours of reception; `null` or blank: the office's working hours.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, max_length = 100)]
    pub hours: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub note_taker_id: Option<Option<i64>>,
    pub participants: Option<Vec<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub expected_content: Option<Option<String>>,
    /// Online sessions: the reference of the archived recording (required to mark it held).
    pub recording_ref: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub meeting_link: Option<Option<String>>,
    #[serde(default, deserialize_with = "supported_date_opt")]
    pub notice_on: Option<NaiveDate>,
}

/// Checked changes to a session; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionChanges {
    /// `held` or `cancelled`.
    pub status: Option<SessionStatus>,
    pub cancel_reason: Option<String>,
    pub date: Option<NaiveDate>,
    pub host_id: Option<i64>,
    pub location: Option<String>,
    /// `Some(None)` clears them.
    pub hours: Option<Option<String>>,
    /// `Some(None)` clears it.
    pub note_taker_id: Option<Option<i64>>,
    pub participants: Option<Vec<String>>,
    pub expected_content: Option<Option<String>>,
    pub recording_ref: Option<String>,
    pub meeting_link: Option<Option<String>>,
    pub notice_on: Option<NaiveDate>,
}

impl UpdateSessionRequest {
    /// Checks the fields given (a new day as [`CreateSessionRequest::parse`] does).
    pub fn parse(self, today: NaiveDate) -> Result<SessionChanges, Invalid> {
        let mut f = Fields::new();
        if let Some(date) = self.date {
            f.check("date", check_session_date(date, today));
        }
        let cancel_reason = f.check_opt("cancel_reason", optional_text(self.cancel_reason.as_deref(), 1000));
        let location = self.location.as_deref().and_then(|l| f.check("location", bounded_text(l, 2, 300)));
        let hours =
            self.hours.map(|h| f.check_opt("hours", optional_text(h.as_deref(), super::HOURS_MAX_CHARS)));
        let participants = self.participants.as_ref().map(|p| text_list(p, "participants", 50, &mut f));
        let expected_content =
            self.expected_content.map(|c| f.check_opt("expected_content", optional_text(c.as_deref(), 5000)));
        let recording_ref = f.check_opt("recording_ref", optional_text(self.recording_ref.as_deref(), 500));
        let meeting_link =
            self.meeting_link.map(|l| f.check_opt("meeting_link", optional_text(l.as_deref(), 500)));
        f.finish()?;
        Ok(SessionChanges {
            status: self.status,
            cancel_reason,
            date: self.date,
            host_id: self.host_id,
            location,
            hours,
            note_taker_id: self.note_taker_id,
            participants,
            expected_content,
            recording_ref,
            meeting_link,
            notice_on: self.notice_on,
        })
    }
}

/// The period and filters of the session list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SessionQuery {
    /// First day (default today).
    #[serde(default, deserialize_with = "supported_date_opt")]
    pub from: Option<NaiveDate>,
    /// Last day (default 30 days after `from`); at most 366 days in all.
    #[serde(default, deserialize_with = "supported_date_opt")]
    pub to: Option<NaiveDate>,
    pub kind: Option<SessionKind>,
    pub host_id: Option<i64>,
    /// `scheduled`, `held`, `cancelled` or `missed`.
    pub status: Option<SessionStatus>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

/// Filters of the session list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionFilter {
    pub kind: Option<SessionKind>,
    pub host_id: Option<i64>,
    /// `missed` means scheduled and past.
    pub status: Option<SessionStatus>,
}

/// A checked session list request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionListing {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub filter: SessionFilter,
    pub page: PageRequest,
}

impl SessionQuery {
    /// The period (from today, 30 days by default) and the page.
    pub fn parse(self, today: NaiveDate) -> Result<SessionListing, BadQuery> {
        let (from, to) = period(self.from, self.to, today, 30)?;
        let page = PageParams::of(self.page, self.per_page).checked()?;
        let filter = SessionFilter { kind: self.kind, host_id: self.host_id, status: self.status };
        Ok(SessionListing { from, to, filter, page })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    fn session(date: NaiveDate) -> CreateSessionRequest {
        CreateSessionRequest {
            kind: SessionKind::Regular,
            date,
            host_id: 3,
            location: " Phòng tiếp công dân ".into(),
            hours: None,
            trigger: None,
            trigger_note: None,
            participants: vec![],
            note_taker_id: None,
            expected_content: None,
            notice_on: None,
            meeting_link: None,
        }
    }

    #[test]
    fn a_session_of_today_reads_as_taking_place_not_as_missed() {
        let today = d(2026, 11, 26);
        let read = |stored, date| {
            let shown = SessionStatus::shown(stored, date, today);
            (shown, shown.label_on(date, today))
        };
        use SessionStatus::*;
        assert_eq!(read(Scheduled, today), (Scheduled, "Hôm nay: đang tiếp công dân"));
        assert_eq!(read(Scheduled, d(2026, 11, 27)), (Scheduled, "Đã lên lịch"));
        assert_eq!(read(Scheduled, d(2026, 11, 25)), (Missed, "Không tổ chức tiếp theo lịch"));
        assert_eq!(read(Held, today), (Held, "Đã tiếp"));
        assert_eq!(read(Cancelled, today), (Cancelled, "Đã hủy"));
    }

    #[test]
    fn online_sessions_need_five_working_days_notice() {
        let cal = Calendar::default();
        // Announced Wed 25 Nov 2026: Wed 2 Dec is the earliest day.
        let table = [
            (d(2026, 12, 2), Ok(())),
            (d(2026, 12, 1), Err(d(2026, 12, 2))),
            (d(2026, 11, 26), Err(d(2026, 12, 2))),
        ];
        for (date, expected) in table {
            assert_eq!(check_online_notice(&cal, d(2026, 11, 25), date), expected, "{date}");
        }
        // Over Tết 2026 the working days stretch: announced Thu 12 Feb (Fri 13, then Mon 23 – Thu 26).
        assert_eq!(check_online_notice(&cal, d(2026, 2, 12), d(2026, 2, 25)), Err(d(2026, 2, 26)));
    }

    #[test]
    fn an_online_session_is_announced_near_its_day() {
        let today = d(2026, 11, 25);
        let next_year = d(2028, 6, 1);
        assert!(check_notice_on(today, d(2026, 12, 2), today).is_ok());
        assert!(check_notice_on(today, next_year, today).is_ok(), "announced today, two years ahead");
        assert!(check_notice_on(d(2025, 11, 24), d(2026, 12, 2), today).is_ok());
        assert!(check_notice_on(d(2025, 11, 23), d(2026, 12, 2), today).is_err());
        assert!(check_notice_on(d(2026, 11, 26), d(2026, 12, 2), today).is_err(), "in the future");
        assert!(check_notice_on(d(2026, 11, 20), d(2026, 11, 19), today).is_err(), "after the session");
        assert!(check_notice_on(d(2022, 12, 31), d(2024, 1, 2), today).is_err());
        assert!(check_notice_on(d(2023, 1, 1), d(2024, 1, 2), today).is_ok(), "a past session");
    }

    #[test]
    fn status_changes_from_scheduled_only() {
        let today = d(2026, 11, 25);
        let change = |kind, stored, wanted, date, recorded, cancel_reason| StatusChange {
            kind,
            stored,
            wanted,
            date,
            recorded,
            cancel_reason,
        };
        use SessionKind::{Online, Periodic};
        use SessionStatus::{Cancelled, Held, Missed, Scheduled};
        let transition = |m: &str| Err(invalid_transition(m));
        // (change, outcome, why)
        let table = [
            (change(Periodic, Scheduled, Held, today, false, false), Ok(()), "held on its day"),
            (change(Periodic, Held, Held, today, false, false), Ok(()), "no change"),
            (
                change(Periodic, Cancelled, Held, today, false, false),
                transition("Buổi tiếp đã hủy không thể đánh dấu đã tiếp."),
                "cancelled",
            ),
            (
                change(Periodic, Scheduled, Held, d(2026, 11, 26), false, false),
                transition("Buổi tiếp chưa đến ngày, chưa thể đánh dấu đã tiếp."),
                "not yet its day",
            ),
            (change(Online, Scheduled, Held, today, true, false), Ok(()), "online, recorded"),
            (change(Periodic, Scheduled, Cancelled, today, false, true), Ok(()), "cancelled with a reason"),
            (
                change(Periodic, Held, Cancelled, today, false, true),
                transition("Chỉ hủy được buổi tiếp chưa diễn ra."),
                "already held",
            ),
            (
                change(Periodic, Scheduled, Missed, today, false, false),
                transition("Không thể chuyển buổi tiếp về trạng thái này."),
                "missed is never stored",
            ),
        ];
        for (c, outcome, why) in table {
            assert_eq!(check_status_change(&c, today), outcome, "{why}");
        }
        let unrecorded = change(Online, Scheduled, Held, today, false, false);
        assert!(matches!(
            check_status_change(&unrecorded, today),
            Err(SessionRefusal::Field(Invalid(e))) if e.contains_key("recording_ref")
        ));
        let no_reason = change(Periodic, Scheduled, Cancelled, today, false, false);
        assert!(matches!(
            check_status_change(&no_reason, today),
            Err(SessionRefusal::Field(Invalid(e))) if e.contains_key("cancel_reason")
        ));
        assert!(check_reschedule(Scheduled).is_ok());
        assert_eq!(check_reschedule(Held), transition("Chỉ đổi ngày của buổi tiếp chưa diễn ra."));
    }

    #[test]
    fn sessions_keep_to_working_days_but_an_unscheduled_one_names_its_trigger() {
        let cal = Calendar::default();
        let sunday = d(2026, 11, 29);
        assert!(check_working_day(&cal, SessionKind::Periodic, sunday).is_err());
        assert!(check_working_day(&cal, SessionKind::Unscheduled, sunday).is_ok());
        assert!(check_working_day(&cal, SessionKind::Online, d(2026, 11, 26)).is_ok());
        assert!(check_trigger(SessionKind::Unscheduled, None).is_err());
        assert!(check_trigger(SessionKind::Unscheduled, Some(Trigger::SeriousHarm)).is_ok());
        assert!(check_trigger(SessionKind::Regular, None).is_ok());
    }

    #[test]
    fn visits_are_taken_from_the_sessions_day_unless_cancelled() {
        let today = d(2026, 11, 25);
        assert!(check_open_for_visits(SessionStatus::Scheduled, today, today).is_ok());
        assert!(check_open_for_visits(SessionStatus::Held, d(2026, 11, 19), today).is_ok());
        assert_eq!(
            check_open_for_visits(SessionStatus::Cancelled, today, today).unwrap_err().message,
            "Buổi tiếp đã hủy."
        );
        assert_eq!(
            check_open_for_visits(SessionStatus::Scheduled, d(2026, 11, 26), today).unwrap_err().message,
            "Buổi tiếp chưa diễn ra."
        );
    }

    #[test]
    fn a_new_session_is_checked_field_by_field() {
        let today = d(2026, 11, 25);
        let good = session(d(2026, 11, 26)).parse(today).unwrap();
        assert_eq!(good.location, "Phòng tiếp công dân");

        let mut bad = session(d(2029, 1, 1));
        bad.location = "x".into();
        bad.participants = vec!["Nguyễn Văn An".into(), " ".into()];
        bad.meeting_link = Some("x".repeat(501));
        let Invalid(errors) = bad.parse(today).unwrap_err();
        let fields: Vec<&str> = errors.keys().map(String::as_str).collect();
        assert_eq!(fields, ["date", "location", "meeting_link", "participants[1]"]);
        assert_eq!(errors["date"], ["Ngày phải từ năm 2000 đến tối đa hai năm tới."]);

        let mut crowded = session(d(2026, 11, 26));
        crowded.participants = vec!["Cán bộ".into(); 51];
        let Invalid(errors) = crowded.parse(today).unwrap_err();
        assert_eq!(errors["participants"], ["Tối đa 50 mục."]);
    }

    #[test]
    fn changes_keep_what_is_not_given_and_clear_what_is_null() {
        let today = d(2026, 11, 25);
        let changes = UpdateSessionRequest {
            expected_content: Some(None),
            location: Some(" Hội trường ".into()),
            hours: Some(Some(" 8 giờ – 11 giờ ".into())),
            ..Default::default()
        }
        .parse(today)
        .unwrap();
        assert_eq!(changes.hours, Some(Some("8 giờ – 11 giờ".to_owned())));
        assert_eq!(changes.expected_content, Some(None));
        assert_eq!(changes.location.as_deref(), Some("Hội trường"));
        assert_eq!(changes.meeting_link, None);

        let bad = UpdateSessionRequest {
            date: Some(d(1999, 1, 1)),
            cancel_reason: Some("x".repeat(1001)),
            ..Default::default()
        };
        let Invalid(errors) = bad.parse(today).unwrap_err();
        assert!(errors.contains_key("date") && errors.contains_key("cancel_reason"));
    }

    #[test]
    fn the_list_asks_a_month_from_today_by_default() {
        let today = d(2026, 11, 25);
        let listing = SessionQuery::default().parse(today).unwrap();
        assert_eq!((listing.from, listing.to), (today, d(2026, 12, 25)));
        assert_eq!(listing.page, PageRequest { page: 1, per_page: 50 });
        let wide = SessionQuery { to: Some(d(2028, 1, 1)), ..Default::default() };
        assert!(wide.parse(today).is_err());
    }
}
