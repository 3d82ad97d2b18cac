//! How reception is shown: sessions, the heads' schedules, visits and book lines (the visitor's
//! identity only where the reader may see it), refusals with their notice clock, directives with
//! their overdue flags, and the public schedule. Each view is shaped from what its use case
//! returns (`service::reception`), on the request's day.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    domain::{
        calendar::weekday_name,
        page::Page,
        person::Person,
        petition::Kind,
        reception::{
            BOOK_HEADERS, DirectiveStatus, Every, OnHoliday, PublicSession, RefusalGround, Representative,
            SessionKind, SessionSource, SessionStatus, Trigger, weekday_from_iso,
        },
    },
    entity::{reception_directive, reception_session},
    service::reception::{
        book::{Book, Line},
        directives::Directives,
        refusals::Refusal,
        schedules::HeadSchedule,
        sessions::{Session, SessionDetail, Sessions},
    },
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
    /// The hours of reception (`null`: the office's working hours).
    pub hours: Option<String>,
    /// `scheduled`, `held`, `cancelled`, or `missed` (scheduled, its day passed, never held).
    pub status: SessionStatus,
    pub status_label: String,
    /// `rule` (from the head's schedule) or `manual`.
    pub source: SessionSource,
    /// For a scheduled periodic session: the schedule's day before a holiday moved it.
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
            hours: s.hours.clone(),
            status,
            status_label: status.label_on(s.session_date, today).to_owned(),
            source: s.source,
            nominal_date: s.nominal_date,
            trigger,
            trigger_source: trigger.map(|t| t.source().to_owned()),
            trigger_note: s.trigger_note.clone(),
            participants: s.participants.0.clone(),
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

    /// The view of a session with its people's names.
    pub fn one(s: &Session, today: NaiveDate) -> Self {
        Self::of(&s.row, &s.names, today)
    }

    /// A page of sessions.
    pub fn page(sessions: Sessions, today: NaiveDate) -> Page<Self> {
        let Sessions { page, names } = sessions;
        page.map(|s| Self::of(&s, &names, today))
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

impl SessionDetailView {
    /// The view of a session with its lines, refusals and directives.
    pub fn of(d: &SessionDetail, today: NaiveDate) -> Self {
        Self {
            session: SessionView::one(&d.session, today),
            visits: d.visits.iter().map(VisitView::from).collect(),
            refusals: d.refusals.iter().map(|r| RefusalView::of(r, today)).collect(),
            directives: DirectiveView::all(&d.directives, today),
        }
    }
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
    /// `next_working_day`, `same_week` or `skip`.
    pub on_holiday: OnHoliday,
    pub location: Option<String>,
    /// The hours of its sessions (`null`: the office's working hours).
    pub hours: Option<String>,
    pub active: bool,
    /// The next sessions the schedule gives on the current calendar.
    pub upcoming: Vec<NaiveDate>,
    /// A chairman's schedule below the law's minimum for his agency's level (commune: a session
    /// every week, Law 42/2013 Art. 15(2)(d); province: every month, Art. 12(5)).
    pub below_minimum: bool,
    /// Why it is below, citing the article (Vietnamese); `null` when it is not.
    pub below_minimum_note: Option<String>,
    /// The reason recorded for setting it below the minimum.
    pub reason: Option<String>,
}

impl RuleView {
    /// The view of a head's schedule.
    pub fn of(schedule: &HeadSchedule) -> Self {
        let r = &schedule.row;
        Self {
            host_id: r.host_id,
            host_name: schedule.host_name.clone(),
            weekday: r.weekday,
            weekday_label: weekday_from_iso(i64::from(r.weekday))
                .map(weekday_name)
                .unwrap_or_default()
                .to_owned(),
            every: r.every,
            week_of_month: r.week_of_month,
            on_holiday: r.on_holiday,
            location: r.location.clone(),
            hours: r.hours.clone(),
            active: r.active,
            upcoming: schedule.upcoming.clone(),
            below_minimum: schedule.below_minimum.is_some(),
            below_minimum_note: schedule.below_minimum.map(|b| b.message().to_owned()),
            reason: r.below_minimum_reason.clone(),
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

impl From<&Person> for VisitorView {
    fn from(p: &Person) -> Self {
        Self { full_name: p.full_name.clone(), address: p.address.clone(), id_number: p.id_number.clone() }
    }
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
        let identity = line.identity.as_ref();
        Self {
            id: v.id,
            session_id: v.session_id,
            book_no: v.book_no,
            book_year: v.book_year,
            date: v.visit_date,
            visitor: identity.map(|i| VisitorView::from(&i.visitor)),
            identity_redacted: identity.is_none(),
            people_count: v.people_count,
            representatives: identity.map(|i| i.representatives.clone()),
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
    /// The book of a period.
    pub fn of(book: &Book) -> Self {
        let lines = &book.lines;
        Self {
            from: book.from,
            to: book.to,
            headers: BOOK_HEADERS.iter().map(|h| (*h).to_owned()).collect(),
            lines: lines
                .iter()
                .map(|l| BookLineView {
                    visit_id: l.visit.id,
                    session_id: l.visit.session_id,
                    petition_id: l.visit.petition_id,
                    identity_redacted: !l.identity_visible(),
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
    /// Who was refused: only for the officer who refused and the chairman (what the person came
    /// about was not received and may be a denunciation); `null` with `identity_redacted` for others.
    pub visitor: Option<VisitorView>,
    pub identity_redacted: bool,
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
    /// The view of a refusal, with its notice's due date, on `today`.
    pub fn of(refusal: &Refusal, today: NaiveDate) -> Self {
        let (r, notice_due) = (&refusal.row, refusal.notice_due);
        let ground = r.ground;
        Self {
            id: r.id,
            session_id: r.session_id,
            refused_on: r.refused_on,
            visitor: refusal.visitor.as_ref().map(VisitorView::from),
            identity_redacted: refusal.visitor.is_none(),
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

    /// The view of one directive.
    pub fn one(d: &Directives<reception_directive::Model>, today: NaiveDate) -> Self {
        Self::of(&d.items, &d.units, today, d.nearly_due_until)
    }

    /// The views of a list of directives.
    pub fn all(d: &Directives<Vec<reception_directive::Model>>, today: NaiveDate) -> Vec<Self> {
        d.items.iter().map(|item| Self::of(item, &d.units, today, d.nearly_due_until)).collect()
    }

    /// A page of directives.
    pub fn page(d: Directives<Page<reception_directive::Model>>, today: NaiveDate) -> Page<Self> {
        let Directives { items, units, nearly_due_until } = d;
        items.map(|item| Self::of(&item, &units, today, nearly_due_until))
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
    /// The session's hours of reception, `null` when none were set.
    pub hours: Option<String>,
    /// The hours as the schedule says them (the session's, or the office's working hours).
    pub hours_label: String,
    /// `scheduled`, `held`, `cancelled` or `missed`.
    pub status: SessionStatus,
    pub expected_content: Option<String>,
    /// Online sessions: how to join.
    pub meeting_link: Option<String>,
}

impl From<&PublicSession> for PublicSessionView {
    fn from(s: &PublicSession) -> Self {
        Self {
            id: s.id,
            date: s.date,
            weekday: s.weekday().to_owned(),
            kind: s.kind,
            kind_label: s.kind.label_vi().to_owned(),
            host_name: s.host_name.clone(),
            location: s.location.clone(),
            hours: s.hours.clone(),
            hours_label: s.hours_text().to_owned(),
            status: s.status,
            expected_content: s.expected_content.clone(),
            meeting_link: s.meeting_link.clone(),
        }
    }
}
