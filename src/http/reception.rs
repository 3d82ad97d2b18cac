//! Citizen reception: sessions and the heads' schedule rules, visits (the reception book's
//! lines), refusals to receive, session-conclusion directives, the book as JSON and XLSX, and the
//! public schedule (JSON and iCalendar).

use axum::{
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{Datelike as _, Days, NaiveDate};
use sea_orm::TransactionTrait;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::domain::person::PersonRequest;

use crate::{
    app::AppState,
    auth::{AuthUser, Role},
    clock::civil_date,
    domain::{
        delegation,
        petition::{Kind, ReadPurpose},
        reception::{
            DirectiveStatus, Every, OnHoliday, RefusalGround, ScheduleRule, SessionKind, SessionStatus,
            Trigger, weekday_from_iso,
        },
        validate::{bounded_text, optional_text},
    },
    error::{AppError, AppResult, FieldErrors},
    http::{
        extract::{
            AppJson, AppPath, AppQuery, Page, PageParams, double_option, supported_date, supported_date_opt,
        },
        petitions::today as today_of,
    },
    service::{
        petitions::{self as petition_service, Person},
        reception::{
            book, check_range,
            directives::{self, DirectiveFilter, NewDirective},
            names_of,
            refusals::{self, NewRefusal, RefusalFilter},
            rules::{self, RuleChange},
            sessions::{self, NewSession, SessionChanges, SessionFilter},
            unit_names,
            visits::{self, NewVisit},
        },
    },
    views::reception::{
        BookView, DirectiveView, PublicSessionView, RefusalView, RuleView, SessionDetailView, SessionView,
        VisitView, ics,
    },
};

/// Who organises sessions: the chairman, the reception desk, the admin.
const ORGANISERS: [Role; 3] = [Role::Chairman, Role::Receptionist, Role::Admin];
/// Who writes the book and refusals: the desk (receptionists, inspectors on duty) and the chairman.
const DESK: [Role; 3] = [Role::Receptionist, Role::Inspector, Role::Chairman];

fn report(errors: &mut FieldErrors, field: &str, message: impl Into<String>) {
    errors.entry(field.to_owned()).or_default().push(message.into());
}

fn text_list(items: &[String], field: &str, max_items: usize, errors: &mut FieldErrors) -> Vec<String> {
    if items.len() > max_items {
        report(errors, field, format!("Tối đa {max_items} mục."));
    }
    items
        .iter()
        .take(max_items)
        .enumerate()
        .filter_map(|(i, p)| {
            bounded_text(p, 1, 300).map_err(|m| report(errors, &format!("{field}[{i}]"), m)).ok()
        })
        .collect()
}

fn check_date(date: NaiveDate, field: &str, today: NaiveDate, errors: &mut FieldErrors) {
    let earliest = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(date);
    // As far ahead as the schedule is written.
    let latest = today.checked_add_days(Days::new(sessions::SCHEDULE_AHEAD_DAYS)).unwrap_or(today);
    if date < earliest || date > latest {
        report(errors, field, "Ngày phải từ năm 2000 đến tối đa hai năm tới.");
    }
}

/// A new session.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateSessionRequest {
    pub kind: SessionKind,
    #[serde(deserialize_with = "supported_date")]
    pub date: NaiveDate,
    pub host_id: i64,
    pub location: String,
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

fn parse_session(b: CreateSessionRequest, today: NaiveDate) -> AppResult<NewSession> {
    let mut e = FieldErrors::new();
    check_date(b.date, "date", today, &mut e);
    let location = bounded_text(&b.location, 2, 300).map_err(|m| report(&mut e, "location", m)).ok();
    let trigger_note = optional_text(b.trigger_note.as_deref(), 2000)
        .map_err(|m| report(&mut e, "trigger_note", m))
        .ok()
        .flatten();
    let participants = text_list(&b.participants, "participants", 50, &mut e);
    let expected_content = optional_text(b.expected_content.as_deref(), 5000)
        .map_err(|m| report(&mut e, "expected_content", m))
        .ok()
        .flatten();
    let meeting_link = optional_text(b.meeting_link.as_deref(), 500)
        .map_err(|m| report(&mut e, "meeting_link", m))
        .ok()
        .flatten();
    let (Some(location), true) = (location, e.is_empty()) else { return Err(AppError::Validation(e)) };
    Ok(NewSession {
        kind: b.kind,
        date: b.date,
        host_id: b.host_id,
        location,
        trigger: b.trigger,
        trigger_note,
        participants,
        note_taker_id: b.note_taker_id,
        expected_content,
        notice_on: b.notice_on,
        meeting_link,
    })
}

async fn session_view(
    state: &AppState,
    s: &crate::entity::reception_session::Model,
    today: NaiveDate,
) -> AppResult<SessionView> {
    let names = names_of(&state.db.reader, &SessionView::people(std::slice::from_ref(s))).await?;
    Ok(SessionView::of(s, &names, today))
}

/// `POST /api/v1/reception-sessions` (chairman, receptionist, admin): a session of any kind. A
/// periodic session is hosted by the head whose schedule it is (409 `delegation_not_allowed`
/// otherwise); an unscheduled one names its legal trigger; an online one is announced five working
/// days ahead.
#[utoipa::path(post, path = "/reception-sessions", tag = "reception", security(("bearer" = [])),
    request_body = CreateSessionRequest,
    responses((status = 201, body = SessionView), (status = 403, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn create_session(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(body): AppJson<CreateSessionRequest>,
) -> AppResult<(StatusCode, AppJson<SessionView>)> {
    user.require_any(&ORGANISERS)?;
    let agency = user.require_staff()?;
    let now = state.clock.now();
    let today = civil_date(now);
    let new = parse_session(body, today)?;
    let cal = state.calendar.get(&state.db.reader).await?;
    let created = sessions::create(&state.db.writer, agency, new, &user, &cal, today, now).await?;
    Ok((StatusCode::CREATED, AppJson(session_view(&state, &created, today).await?)))
}

/// The period and filters of the session list.
#[derive(Debug, Deserialize, IntoParams)]
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

fn period(
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    today: NaiveDate,
    default_days: u64,
) -> AppResult<(NaiveDate, NaiveDate)> {
    let from = from.unwrap_or(today);
    let to = to.unwrap_or_else(|| from.checked_add_days(Days::new(default_days)).unwrap_or(from));
    check_range(from, to)
}

/// `GET /api/v1/reception-sessions?from=&to=` (staff): the agency's sessions by date, the
/// scheduled periodic sessions of the heads' rules included (written as they are first read).
#[utoipa::path(get, path = "/reception-sessions", tag = "reception", security(("bearer" = [])), params(SessionQuery),
    responses((status = 200, body = Page<SessionView>), (status = 400, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody)))]
async fn list_sessions(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(q): AppQuery<SessionQuery>,
) -> AppResult<AppJson<Page<SessionView>>> {
    let agency = user.require_staff()?;
    let now = state.clock.now();
    let today = civil_date(now);
    let (from, to) = period(q.from, q.to, today, 30)?;
    let page = PageParams { page: q.page, per_page: q.per_page }.checked()?;
    let cal = state.calendar.get(&state.db.reader).await?;
    sessions::materialise(&state.db.writer, &cal, agency, from, to, today, now).await?;
    let filter = SessionFilter { kind: q.kind, host_id: q.host_id, status: q.status };
    let (items, total) = sessions::list(&state.db.reader, agency, from, to, &filter, today, page).await?;
    let names = names_of(&state.db.reader, &SessionView::people(&items)).await?;
    Ok(AppJson(Page::new(items.iter().map(|s| SessionView::of(s, &names, today)).collect(), total, page)))
}

/// `GET /api/v1/reception-sessions/{id}` (staff of the agency): a session with its visits,
/// refusals and directives.
#[utoipa::path(get, path = "/reception-sessions/{id}", tag = "reception", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Session id")),
    responses((status = 200, body = SessionDetailView), (status = 404, body = crate::error::ErrorBody)))]
async fn get_session(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
) -> AppResult<AppJson<SessionDetailView>> {
    let agency = user.require_staff()?;
    let today = today_of(&state).await?;
    let db = &state.db.reader;
    let s = sessions::find(db, agency, id).await?;
    let visits = visits::of_session(db, s.id).await?;
    let lines = book::with_identity(
        db,
        &state.db.writer,
        &user,
        visits,
        ReadPurpose::ReceptionSession,
        state.clock.now(),
    )
    .await?;
    let cal = state.calendar.get(db).await?;
    let refusal_rows =
        refusals::list(db, agency, &RefusalFilter { session_id: Some(s.id), ..Default::default() }).await?;
    let refusals = refusal_views(&refusal_rows, &cal, today.date)?;
    let directive_rows = directives::of_session(db, s.id).await?;
    let units = unit_names(db, &directive_rows.iter().map(|d| d.unit_id).collect::<Vec<_>>()).await?;
    Ok(AppJson(SessionDetailView {
        session: session_view(&state, &s, today.date).await?,
        visits: lines.iter().map(VisitView::from).collect(),
        refusals,
        directives: directive_rows
            .iter()
            .map(|d| DirectiveView::of(d, &units, today.date, today.nearly_due_until))
            .collect(),
    }))
}

/// Changes to a session; each field optional. `status`: `held` or `cancelled`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateSessionRequest {
    pub status: Option<SessionStatus>,
    pub cancel_reason: Option<String>,
    #[serde(default, deserialize_with = "supported_date_opt")]
    pub date: Option<NaiveDate>,
    pub host_id: Option<i64>,
    pub location: Option<String>,
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

fn parse_changes(b: UpdateSessionRequest, today: NaiveDate) -> AppResult<SessionChanges> {
    let mut e = FieldErrors::new();
    if let Some(d) = b.date {
        check_date(d, "date", today, &mut e);
    }
    let opt = |e: &mut FieldErrors, f: &str, v: Option<&str>, max| {
        optional_text(v, max).map_err(|m| report(e, f, m)).ok().flatten()
    };
    let cancel_reason = opt(&mut e, "cancel_reason", b.cancel_reason.as_deref(), 1000);
    let location = b
        .location
        .as_deref()
        .and_then(|l| bounded_text(l, 2, 300).map_err(|m| report(&mut e, "location", m)).ok());
    let participants = b.participants.as_ref().map(|p| text_list(p, "participants", 50, &mut e));
    let expected_content = b.expected_content.map(|c| opt(&mut e, "expected_content", c.as_deref(), 5000));
    let recording_ref = opt(&mut e, "recording_ref", b.recording_ref.as_deref(), 500);
    let meeting_link = b.meeting_link.map(|l| opt(&mut e, "meeting_link", l.as_deref(), 500));
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    Ok(SessionChanges {
        status: b.status,
        cancel_reason,
        date: b.date,
        host_id: b.host_id,
        location,
        note_taker_id: b.note_taker_id,
        participants,
        expected_content,
        recording_ref,
        meeting_link,
        notice_on: b.notice_on,
    })
}

/// `PATCH /api/v1/reception-sessions/{id}` (chairman, receptionist, admin): mark held (an online
/// session needs its recording), cancel with a reason, reschedule, name the note-taker and
/// participants. The host of a periodic session cannot be replaced (409 `delegation_not_allowed`).
#[utoipa::path(patch, path = "/reception-sessions/{id}", tag = "reception", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Session id")), request_body = UpdateSessionRequest,
    responses((status = 200, body = SessionView), (status = 404, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn update_session(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<UpdateSessionRequest>,
) -> AppResult<AppJson<SessionView>> {
    user.require_any(&ORGANISERS)?;
    let agency = user.require_staff()?;
    let now = state.clock.now();
    let today = civil_date(now);
    let changes = parse_changes(body, today)?;
    let cal = state.calendar.get(&state.db.reader).await?;
    let txn = state.db.writer.begin().await?;
    let s = sessions::find(&txn, agency, id).await?;
    let updated = sessions::update(&txn, s, changes, &cal, today, now).await?;
    txn.commit().await?;
    Ok(AppJson(session_view(&state, &updated, today).await?))
}

/// A representative of a group: a name, or a person.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum RepresentativeRequest {
    Name(String),
    Person(PersonRequest),
}

/// The visitor of a line of the book.
#[derive(Debug, Deserialize, ToSchema)]
pub struct VisitorRequest {
    pub full_name: String,
    pub address: Option<String>,
    /// CCCD (12 digits), CMND (9 digits), passport or another document number.
    pub id_number: Option<String>,
}

impl VisitorRequest {
    fn parse(&self, prefix: &str, errors: &mut FieldErrors) -> Option<Person> {
        let person = PersonRequest {
            full_name: self.full_name.clone(),
            id_number: self.id_number.clone(),
            address: self.address.clone(),
            phone: None,
            email: None,
        };
        crate::http::petitions::parse_person(&person, prefix, errors)
    }
}

/// A visit: the 13 columns of Mẫu số 03/TCD.
#[derive(Debug, Deserialize, ToSchema)]
pub struct VisitRequest {
    pub visitor: VisitorRequest,
    /// Citizens who came with the same content (column 7); 5 or more is a crowd delegation.
    #[serde(default = "one")]
    pub people_count: i32,
    /// The group's representatives: 5–10 people 1 or 2; more than 10 at most 5.
    #[serde(default)]
    pub representatives: Vec<RepresentativeRequest>,
    pub summary: String,
    /// The subject of the petition it opens (default: the start of the summary).
    pub subject: Option<String>,
    pub kind: Kind,
    pub handled_before_by: Option<String>,
    #[serde(default)]
    pub within_competence: bool,
    pub guided_to: Option<String>,
    pub guidance_letter_no: Option<String>,
    pub accepted_by: Option<String>,
    pub forwarding_letter_no: Option<String>,
    pub follow_up: Option<String>,
    pub note: Option<String>,
    /// Register a petition from the visit (linked both ways).
    #[serde(default)]
    pub open_petition: bool,
    /// A repeat visit about this case of the agency.
    pub petition_id: Option<i64>,
}

fn one() -> i32 {
    1
}

fn parse_visit(b: VisitRequest) -> AppResult<NewVisit> {
    let mut e = FieldErrors::new();
    let visitor = b.visitor.parse("visitor", &mut e);
    if !(1..=10_000).contains(&b.people_count) {
        report(&mut e, "people_count", "Số người từ 1 đến 10 000.");
    }
    let mut representatives = Vec::new();
    for (i, r) in b.representatives.iter().enumerate() {
        let person = match r {
            RepresentativeRequest::Name(n) => PersonRequest { full_name: n.clone(), ..Default::default() },
            RepresentativeRequest::Person(p) => p.clone(),
        };
        if let Some(p) =
            crate::http::petitions::parse_person(&person, &format!("representatives[{i}]"), &mut e)
        {
            representatives.push(p);
        }
    }
    if (1..=10_000).contains(&b.people_count) {
        if let Err(m) = delegation::check_representatives(b.people_count, b.representatives.len()) {
            report(&mut e, "representatives", m);
        } else if b.people_count >= delegation::MULTI_SIGNATORY_FROM && b.representatives.is_empty() {
            report(
                &mut e,
                "representatives",
                "Đoàn đông người (từ 5 người) phải cử người đại diện (Luật Tiếp công dân 2013, Điều 30).",
            );
        }
    }
    let summary = bounded_text(&b.summary, 3, 20_000).map_err(|m| report(&mut e, "summary", m)).ok();
    let subject = b
        .subject
        .as_deref()
        .and_then(|s| bounded_text(s, 3, 500).map_err(|m| report(&mut e, "subject", m)).ok());
    let mut opt = |f: &str, v: Option<&str>, max| {
        optional_text(v, max).map_err(|m| report(&mut e, f, m)).ok().flatten()
    };
    let handled_before_by = opt("handled_before_by", b.handled_before_by.as_deref(), 300);
    let guided_to = opt("guided_to", b.guided_to.as_deref(), 300);
    let guidance_letter_no = opt("guidance_letter_no", b.guidance_letter_no.as_deref(), 100);
    let accepted_by = opt("accepted_by", b.accepted_by.as_deref(), 300);
    let forwarding_letter_no = opt("forwarding_letter_no", b.forwarding_letter_no.as_deref(), 100);
    let follow_up = opt("follow_up", b.follow_up.as_deref(), 5000);
    let note = opt("note", b.note.as_deref(), 2000);
    if b.open_petition && b.petition_id.is_some() {
        report(
            &mut e,
            "petition_id",
            "Lượt tiếp mở đơn mới (open_petition) không kèm petition_id của vụ việc cũ.",
        );
    }
    let (Some(visitor), Some(summary), true) = (visitor, summary, e.is_empty()) else {
        return Err(AppError::Validation(e));
    };
    Ok(NewVisit {
        visitor,
        people_count: b.people_count,
        representatives,
        summary,
        subject,
        kind: b.kind,
        handled_before_by,
        within_competence: b.within_competence,
        guided_to,
        guidance_letter_no,
        accepted_by,
        forwarding_letter_no,
        follow_up,
        note,
        open_petition: b.open_petition,
        petition_id: b.petition_id,
    })
}

/// `POST /api/v1/reception-sessions/{id}/visits` (receptionist, inspector, chairman): writes a
/// line of the reception book. `open_petition` also registers the petition (channel `in_person`)
/// in the same transaction; `petition_id` marks a repeat visit about that case (404 if not
/// visible). A group with too many representatives is refused (422 on `representatives`).
#[utoipa::path(post, path = "/reception-sessions/{id}/visits", tag = "reception", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Session id")), request_body = VisitRequest,
    responses((status = 201, body = VisitView), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
async fn create_visit(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<VisitRequest>,
) -> AppResult<(StatusCode, AppJson<VisitView>)> {
    user.require_any(&DESK)?;
    let agency = user.require_staff()?;
    let now = state.clock.now();
    let new = parse_visit(body)?;
    let cal = state.calendar.get(&state.db.reader).await?;
    let txn = state.db.writer.begin().await?;
    let session = sessions::find(&txn, agency, id).await?;
    let visit = visits::log(&txn, &user, &session, new, &cal, now).await?;
    txn.commit().await?;
    let lines = book::with_identity(
        &state.db.reader,
        &state.db.writer,
        &user,
        vec![visit],
        ReadPurpose::ReceptionVisit,
        now,
    )
    .await?;
    let view = lines.first().map(VisitView::from).ok_or_else(|| AppError::internal("visit line missing"))?;
    Ok((StatusCode::CREATED, AppJson(view)))
}

/// `GET /api/v1/reception-sessions/{id}/visits` (staff of the agency): the session's lines.
#[utoipa::path(get, path = "/reception-sessions/{id}/visits", tag = "reception", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Session id")),
    responses((status = 200, body = Vec<VisitView>), (status = 404, body = crate::error::ErrorBody)))]
async fn session_visits(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
) -> AppResult<AppJson<Vec<VisitView>>> {
    let agency = user.require_staff()?;
    let s = sessions::find(&state.db.reader, agency, id).await?;
    let rows = visits::of_session(&state.db.reader, s.id).await?;
    let lines = book::with_identity(
        &state.db.reader,
        &state.db.writer,
        &user,
        rows,
        ReadPurpose::ReceptionSession,
        state.clock.now(),
    )
    .await?;
    Ok(AppJson(lines.iter().map(VisitView::from).collect()))
}

/// `GET /api/v1/petitions/{id}/visits` (staff of the agency): the reception visits about a case.
#[utoipa::path(get, path = "/petitions/{id}/visits", tag = "reception", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Petition id")),
    responses((status = 200, body = Vec<VisitView>), (status = 404, body = crate::error::ErrorBody)))]
async fn petition_visits(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
) -> AppResult<AppJson<Vec<VisitView>>> {
    let case = petition_service::find_visible(&state.db.reader, &user, id).await?;
    let rows = visits::of_petition(&state.db.reader, case.id).await?;
    let lines = book::with_identity(
        &state.db.reader,
        &state.db.writer,
        &user,
        rows,
        ReadPurpose::PetitionVisits,
        state.clock.now(),
    )
    .await?;
    Ok(AppJson(lines.iter().map(VisitView::from).collect()))
}

/// Who was refused: a name, or name, address and identity document.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum RefusedVisitor {
    Name(String),
    Person(VisitorRequest),
}

/// A refusal to receive.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RefusalRequest {
    pub visitor: RefusedVisitor,
    pub ground: RefusalGround,
    pub details: Option<String>,
    /// When the grounds were established (default: the session's day).
    #[serde(default, deserialize_with = "supported_date_opt")]
    pub grounds_on: Option<NaiveDate>,
}

fn refusal_views(
    rows: &[crate::entity::reception_refusal::Model],
    cal: &crate::domain::calendar::Calendar,
    today: NaiveDate,
) -> AppResult<Vec<RefusalView>> {
    rows.iter()
        .map(|r| {
            let due = r.grounds_on.map(|g| refusals::notice_due(cal, g)).transpose()?;
            Ok(RefusalView::of(r, due, today))
        })
        .collect()
}

/// `POST /api/v1/reception-sessions/{id}/refusals` (receptionist, inspector, chairman): records a
/// refusal to receive with its legal ground (Law 42/2013 Art. 9; ND 154/2026 Art. 4(1)); for
/// Art. 9(3) and point h the answer carries the written notice's due date (3 working days).
#[utoipa::path(post, path = "/reception-sessions/{id}/refusals", tag = "reception", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Session id")), request_body = RefusalRequest,
    responses((status = 201, body = RefusalView), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn create_refusal(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<RefusalRequest>,
) -> AppResult<(StatusCode, AppJson<RefusalView>)> {
    user.require_any(&DESK)?;
    let agency = user.require_staff()?;
    let now = state.clock.now();
    let today = civil_date(now);
    let mut e = FieldErrors::new();
    let visitor = match &body.visitor {
        RefusedVisitor::Name(n) => VisitorRequest { full_name: n.clone(), address: None, id_number: None },
        RefusedVisitor::Person(p) => VisitorRequest {
            full_name: p.full_name.clone(),
            address: p.address.clone(),
            id_number: p.id_number.clone(),
        },
    }
    .parse("visitor", &mut e);
    let details =
        optional_text(body.details.as_deref(), 5000).map_err(|m| report(&mut e, "details", m)).ok().flatten();
    let (Some(visitor), true) = (visitor, e.is_empty()) else { return Err(AppError::Validation(e)) };
    let new = NewRefusal { visitor, ground: body.ground, details, grounds_on: body.grounds_on };
    let session = sessions::find(&state.db.reader, agency, id).await?;
    let created = refusals::create(&state.db.writer, &user, &session, new, today, now).await?;
    let cal = state.calendar.get(&state.db.reader).await?;
    let view = refusal_views(std::slice::from_ref(&created), &cal, today)?.remove(0);
    Ok((StatusCode::CREATED, AppJson(view)))
}

/// Filters of the refusal list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RefusalQuery {
    /// Only refusals whose written notice is still to be sent, overdue first.
    #[serde(default)]
    pub pending_notice: bool,
    #[serde(default, deserialize_with = "supported_date_opt")]
    pub from: Option<NaiveDate>,
    #[serde(default, deserialize_with = "supported_date_opt")]
    pub to: Option<NaiveDate>,
}

/// `GET /api/v1/reception-refusals` (staff): the agency's refusals; with `pending_notice=true`
/// the written notices still owed, overdue and nearest due first.
#[utoipa::path(get, path = "/reception-refusals", tag = "reception", security(("bearer" = [])), params(RefusalQuery),
    responses((status = 200, body = Vec<RefusalView>), (status = 403, body = crate::error::ErrorBody)))]
async fn list_refusals(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(q): AppQuery<RefusalQuery>,
) -> AppResult<AppJson<Vec<RefusalView>>> {
    let agency = user.require_staff()?;
    let today = civil_date(state.clock.now());
    let filter = RefusalFilter { pending_notice: q.pending_notice, session_id: None, from: q.from, to: q.to };
    let rows = refusals::list(&state.db.reader, agency, &filter).await?;
    let cal = state.calendar.get(&state.db.reader).await?;
    let mut views = refusal_views(&rows, &cal, today)?;
    if q.pending_notice {
        views.sort_by_key(|v| (v.notice_due, v.id));
    }
    Ok(AppJson(views))
}

/// The written refusal notice, sent.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NoticeRequest {
    /// Default today.
    #[serde(default, deserialize_with = "supported_date_opt")]
    pub sent_on: Option<NaiveDate>,
    /// The notice's number (Mẫu 01/TCD).
    pub notice_no: Option<String>,
}

/// `POST /api/v1/reception-refusals/{id}/notice` (chairman, receptionist, inspector): records the
/// written refusal notice as sent; its clock stops.
#[utoipa::path(post, path = "/reception-refusals/{id}/notice", tag = "reception", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Refusal id")), request_body = NoticeRequest,
    responses((status = 200, body = RefusalView), (status = 404, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody)))]
async fn record_notice(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<NoticeRequest>,
) -> AppResult<AppJson<RefusalView>> {
    user.require_any(&DESK)?;
    let agency = user.require_staff()?;
    let now = state.clock.now();
    let today = civil_date(now);
    let notice_no =
        optional_text(body.notice_no.as_deref(), 100).map_err(|m| AppError::field("notice_no", m))?;
    let refusal = refusals::find(&state.db.reader, agency, id).await?;
    let saved = refusals::record_notice(
        &state.db.writer,
        &user,
        refusal,
        body.sent_on.unwrap_or(today),
        notice_no,
        today,
        now,
    )
    .await?;
    let cal = state.calendar.get(&state.db.reader).await?;
    Ok(AppJson(refusal_views(std::slice::from_ref(&saved), &cal, today)?.remove(0)))
}

/// One directive of a conclusion notice.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DirectiveRequest {
    pub unit_id: i64,
    pub task: String,
    #[serde(deserialize_with = "supported_date")]
    pub due: NaiveDate,
}

/// The session-conclusion notice.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ConclusionRequest {
    pub text: String,
    #[serde(default)]
    pub directives: Vec<DirectiveRequest>,
}

/// `POST /api/v1/reception-sessions/{id}/conclusion` (chairman, or the session's host): the
/// session-conclusion notice with the head's directives to units, each with a due date. Once per
/// held session (409 `session_not_held`, `already_concluded`).
#[utoipa::path(post, path = "/reception-sessions/{id}/conclusion", tag = "reception", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Session id")), request_body = ConclusionRequest,
    responses((status = 201, body = SessionDetailView), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
async fn conclude(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<ConclusionRequest>,
) -> AppResult<(StatusCode, AppJson<SessionDetailView>)> {
    let agency = user.require_staff()?;
    let now = state.clock.now();
    let session = sessions::find(&state.db.reader, agency, id).await?;
    if !(user.is(Role::Chairman) || user.id == session.host_id) {
        return Err(AppError::Forbidden);
    }
    let mut e = FieldErrors::new();
    let text = bounded_text(&body.text, 3, 20_000).map_err(|m| report(&mut e, "text", m)).ok();
    if body.directives.len() > 50 {
        report(&mut e, "directives", "Tối đa 50 chỉ đạo.");
    }
    let mut list = Vec::new();
    for (i, d) in body.directives.iter().enumerate() {
        if let Ok(task) =
            bounded_text(&d.task, 3, 5000).map_err(|m| report(&mut e, &format!("directives[{i}].task"), m))
        {
            list.push(NewDirective { unit_id: d.unit_id, task, due: d.due });
        }
    }
    let (Some(text), true) = (text, e.is_empty()) else { return Err(AppError::Validation(e)) };
    let cal = state.calendar.get(&state.db.reader).await?;
    let txn = state.db.writer.begin().await?;
    let session = sessions::find(&txn, agency, id).await?;
    directives::conclude(&txn, &user, session, text, list, &cal, now).await?;
    txn.commit().await?;
    let AppJson(view) = get_session(State(state), user, AppPath(id)).await?;
    Ok((StatusCode::CREATED, AppJson(view)))
}

/// Filters of the directive list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DirectiveQuery {
    /// Another unit (chairman, admin); others see their own unit's.
    pub unit_id: Option<i64>,
    pub status: Option<DirectiveStatus>,
    pub overdue: Option<bool>,
    pub nearly_due: Option<bool>,
    pub session_id: Option<i64>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

/// `GET /api/v1/reception-directives` (chairman and admin: every unit; other staff: their unit's):
/// open before done, overdue and nearest due first.
#[utoipa::path(get, path = "/reception-directives", tag = "reception", security(("bearer" = [])), params(DirectiveQuery),
    responses((status = 200, body = Page<DirectiveView>), (status = 403, body = crate::error::ErrorBody)))]
async fn list_directives(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(q): AppQuery<DirectiveQuery>,
) -> AppResult<AppJson<Page<DirectiveView>>> {
    let agency = user.require_staff()?;
    let unit_id = if directives::sees_all(&user) {
        q.unit_id
    } else {
        match (user.unit_id, q.unit_id) {
            (Some(mine), None) => Some(mine),
            (Some(mine), Some(asked)) if asked == mine => Some(mine),
            _ => return Err(AppError::Forbidden),
        }
    };
    let page = PageParams { page: q.page, per_page: q.per_page }.checked()?;
    let today = today_of(&state).await?;
    let filter = DirectiveFilter {
        unit_id,
        status: q.status,
        overdue: q.overdue,
        nearly_due: q.nearly_due,
        session_id: q.session_id,
    };
    let (rows, total) =
        directives::list(&state.db.reader, agency, &filter, today.date, today.nearly_due_until, page).await?;
    let units = unit_names(&state.db.reader, &rows.iter().map(|d| d.unit_id).collect::<Vec<_>>()).await?;
    let items =
        rows.iter().map(|d| DirectiveView::of(d, &units, today.date, today.nearly_due_until)).collect();
    Ok(AppJson(Page::new(items, total, page)))
}

/// A directive carried out.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CompleteRequest {
    pub result: String,
    /// Default today.
    #[serde(default, deserialize_with = "supported_date_opt")]
    pub done_on: Option<NaiveDate>,
}

/// `POST /api/v1/reception-directives/{id}/complete` (the head of its unit, the chairman): marks a
/// directive done with its result.
#[utoipa::path(post, path = "/reception-directives/{id}/complete", tag = "reception", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Directive id")), request_body = CompleteRequest,
    responses((status = 200, body = DirectiveView), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
async fn complete_directive(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<CompleteRequest>,
) -> AppResult<AppJson<DirectiveView>> {
    user.require_any(&[Role::UnitHead, Role::Chairman])?;
    let now = state.clock.now();
    let today = today_of(&state).await?;
    let result = bounded_text(&body.result, 3, 20_000).map_err(|m| AppError::field("result", m))?;
    let d = directives::find_visible(&state.db.reader, &user, id).await?;
    let done = directives::complete(
        &state.db.writer,
        &user,
        d,
        result,
        body.done_on.unwrap_or(today.date),
        today.date,
        now,
    )
    .await?;
    let units = unit_names(&state.db.reader, &[done.unit_id]).await?;
    Ok(AppJson(DirectiveView::of(&done, &units, today.date, today.nearly_due_until)))
}

/// A head's schedule rule.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RuleRequest {
    /// ISO weekday: 1 = Monday … 7 = Sunday.
    pub weekday: i64,
    pub every: Every,
    /// Monthly rules: the n-th such weekday (1–4, default 1).
    pub week_of_month: Option<i64>,
    pub on_holiday: OnHoliday,
    /// Where the sessions take place (default the agency's office).
    pub location: Option<String>,
}

async fn rule_view(
    state: &AppState,
    r: &crate::entity::reception_rule::Model,
    today: NaiveDate,
) -> AppResult<RuleView> {
    let cal = state.calendar.get(&state.db.reader).await?;
    let until = today.checked_add_days(Days::new(70)).unwrap_or(today);
    let upcoming = if r.active {
        crate::domain::reception::occurrences_touching(&rules::rule_of(r), &cal, today, until)
            .into_iter()
            .filter_map(|o| o.date)
            .filter(|d| *d >= today)
            .take(5)
            .collect()
    } else {
        vec![]
    };
    let names = names_of(&state.db.reader, &[r.host_id]).await?;
    Ok(RuleView::of(r, names.get(&r.host_id).cloned(), upcoming))
}

/// `PUT /api/v1/reception-rules/{host_id}` (admin): when a head holds his periodic sessions, in
/// force from today; the schedule ahead follows, past weeks stay as they were.
#[utoipa::path(put, path = "/reception-rules/{host_id}", tag = "reception", security(("bearer" = [])),
    params(("host_id" = i64, Path, description = "The head's user id")), request_body = RuleRequest,
    responses((status = 200, body = RuleView), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn put_rule(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(host_id): AppPath<i64>,
    AppJson(body): AppJson<RuleRequest>,
) -> AppResult<AppJson<RuleView>> {
    user.require_any(&[Role::Admin])?;
    let agency = user.require_staff()?;
    let mut e = FieldErrors::new();
    let weekday = weekday_from_iso(body.weekday);
    if weekday.is_none() {
        report(&mut e, "weekday", "Thứ trong tuần từ 1 (thứ Hai) đến 7 (Chủ nhật).");
    }
    let week_of_month = body.week_of_month.unwrap_or(1);
    if !(1..=4).contains(&week_of_month) {
        report(&mut e, "week_of_month", "Tuần trong tháng từ 1 đến 4.");
    }
    let location = optional_text(body.location.as_deref(), 300)
        .map_err(|m| report(&mut e, "location", m))
        .ok()
        .flatten();
    let (Some(weekday), true) = (weekday, e.is_empty()) else { return Err(AppError::Validation(e)) };
    let rule = ScheduleRule {
        weekday,
        every: body.every,
        week_of_month: u8::try_from(week_of_month).unwrap_or(1),
        on_holiday: body.on_holiday,
    };
    let now = state.clock.now();
    let saved =
        rules::put(&state.db.writer, agency, host_id, RuleChange { rule, location }, user.id, now).await?;
    Ok(AppJson(rule_view(&state, &saved, civil_date(now)).await?))
}

/// `GET /api/v1/reception-rules/{host_id}` (staff of the agency): a head's rule and next sessions.
#[utoipa::path(get, path = "/reception-rules/{host_id}", tag = "reception", security(("bearer" = [])),
    params(("host_id" = i64, Path, description = "The head's user id")),
    responses((status = 200, body = RuleView), (status = 404, body = crate::error::ErrorBody)))]
async fn get_rule(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(host_id): AppPath<i64>,
) -> AppResult<AppJson<RuleView>> {
    let agency = user.require_staff()?;
    let r = rules::of_host(&state.db.reader, agency, host_id).await?;
    Ok(AppJson(rule_view(&state, &r, civil_date(state.clock.now())).await?))
}

/// `GET /api/v1/reception-rules` (staff): every head's rule of the agency.
#[utoipa::path(get, path = "/reception-rules", tag = "reception", security(("bearer" = [])),
    responses((status = 200, body = Vec<RuleView>), (status = 403, body = crate::error::ErrorBody)))]
async fn list_rules(State(state): State<AppState>, user: AuthUser) -> AppResult<AppJson<Vec<RuleView>>> {
    let agency = user.require_staff()?;
    let today = civil_date(state.clock.now());
    let mut out = Vec::new();
    for r in rules::of_agency(&state.db.reader, agency).await? {
        out.push(rule_view(&state, &r, today).await?);
    }
    Ok(AppJson(out))
}

/// The book's period.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BookQuery {
    /// First day (default the first of this month).
    #[serde(default, deserialize_with = "supported_date_opt")]
    pub from: Option<NaiveDate>,
    /// Last day (default today); at most 366 days in all.
    #[serde(default, deserialize_with = "supported_date_opt")]
    pub to: Option<NaiveDate>,
}

async fn book_lines(
    state: &AppState,
    user: &AuthUser,
    q: &BookQuery,
    purpose: ReadPurpose,
) -> AppResult<(NaiveDate, NaiveDate, Vec<book::Line>)> {
    let agency = user.require_staff()?;
    let now = state.clock.now();
    let today = civil_date(now);
    let to = q.to.unwrap_or(today);
    let from = q.from.unwrap_or_else(|| to.with_day0(0).unwrap_or(to));
    let (from, to) = check_range(from, to)?;
    let rows = book::visits_between(&state.db.reader, agency, from, to).await?;
    let lines = book::with_identity(&state.db.reader, &state.db.writer, user, rows, purpose, now).await?;
    Ok((from, to, lines))
}

/// `GET /api/v1/reception-book?from=&to=` (staff): the reception book's lines in the form's column
/// order; a denouncer's identity only for those who may see it ("Bảo mật danh tính" otherwise).
#[utoipa::path(get, path = "/reception-book", tag = "reception", security(("bearer" = [])), params(BookQuery),
    responses((status = 200, body = BookView), (status = 400, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody)))]
async fn reception_book(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(q): AppQuery<BookQuery>,
) -> AppResult<AppJson<BookView>> {
    user.require_staff()?;
    let (from, to, lines) = book_lines(&state, &user, &q, ReadPurpose::ReceptionBook).await?;
    Ok(AppJson(BookView::of(from, to, &lines)))
}

/// `GET /api/v1/reception-book.xlsx?from=&to=` (staff): the book as the official spreadsheet
/// (Mẫu số 03/TCD: the form's Vietnamese headers in its order), identities redacted as in JSON.
#[utoipa::path(get, path = "/reception-book.xlsx", tag = "reception", security(("bearer" = [])), params(BookQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               description = "The reception book"),
              (status = 403, body = crate::error::ErrorBody)))]
async fn reception_book_xlsx(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(q): AppQuery<BookQuery>,
) -> AppResult<Response> {
    let agency = user.require_staff()?;
    let (from, to, lines) = book_lines(&state, &user, &q, ReadPurpose::ReceptionBookExport).await?;
    let agency_name = crate::service::agencies::find(&state.db.reader, agency).await?.name;
    let bytes = book::xlsx(&agency_name, from, to, &lines)?;
    let filename = format!("so-tiep-cong-dan-{from}-{to}.xlsx");
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
        ],
        bytes,
    )
        .into_response())
}

/// The public schedule's period and agency.
#[derive(Debug, Deserialize, IntoParams)]
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

/// The sessions the public schedule shows: the heads' periodic, unscheduled and online sessions
/// (daily staff reception is not a scheduled event).
async fn public_schedule(
    state: &AppState,
    q: &PublicScheduleQuery,
) -> AppResult<(String, Vec<PublicSessionView>)> {
    let now = state.clock.now();
    let today = civil_date(now);
    let (from, to) = period(q.from, q.to, today, 90)?;
    sessions::check_public_range(from, to, today)?;
    let agency = match q.agency_id {
        Some(id) => crate::service::agencies::find(&state.db.reader, id).await?,
        None => crate::service::petitions::public::default_agency(&state.db.reader).await?,
    };
    let cal = state.calendar.get(&state.db.reader).await?;
    sessions::materialise(&state.db.writer, &cal, agency.id, from, to, today, now).await?;
    let rows: Vec<_> = sessions::all_between(&state.db.reader, agency.id, from, to)
        .await?
        .into_iter()
        .filter(|s| s.kind != SessionKind::Regular)
        .collect();
    let names = names_of(&state.db.reader, &rows.iter().map(|s| s.host_id).collect::<Vec<_>>()).await?;
    Ok((agency.name, rows.iter().map(|s| PublicSessionView::of(s, &names, today)).collect()))
}

/// `GET /api/v1/public/reception-schedule?from=&to=` (anyone): the published reception schedule.
#[utoipa::path(get, path = "/public/reception-schedule", tag = "public", params(PublicScheduleQuery),
    responses((status = 200, body = Vec<PublicSessionView>), (status = 400, body = crate::error::ErrorBody)))]
async fn public_schedule_json(
    State(state): State<AppState>,
    AppQuery(q): AppQuery<PublicScheduleQuery>,
) -> AppResult<AppJson<Vec<PublicSessionView>>> {
    Ok(AppJson(public_schedule(&state, &q).await?.1))
}

/// `GET /api/v1/public/reception-schedule.ics` (anyone): the published schedule as an iCalendar
/// feed (RFC 5545) for calendar applications.
#[utoipa::path(get, path = "/public/reception-schedule.ics", tag = "public", params(PublicScheduleQuery),
    responses((status = 200, content_type = "text/calendar", description = "iCalendar feed")))]
async fn public_schedule_ics(
    State(state): State<AppState>,
    AppQuery(q): AppQuery<PublicScheduleQuery>,
) -> AppResult<Response> {
    let (agency_name, sessions) = public_schedule(&state, &q).await?;
    let body = ics(&agency_name, &sessions, "tiepdan", state.clock.now());
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "inline; filename=\"lich-tiep-cong-dan.ics\""),
        ],
        body,
    )
        .into_response())
}

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_session, list_sessions))
        .routes(routes!(get_session, update_session))
        .routes(routes!(create_visit, session_visits))
        .routes(routes!(create_refusal))
        .routes(routes!(conclude))
        .routes(routes!(petition_visits))
        .routes(routes!(list_refusals))
        .routes(routes!(record_notice))
        .routes(routes!(list_directives))
        .routes(routes!(complete_directive))
        .routes(routes!(list_rules))
        .routes(routes!(put_rule, get_rule))
        .routes(routes!(reception_book))
        .routes(routes!(reception_book_xlsx))
        .routes(routes!(public_schedule_json))
        .routes(routes!(public_schedule_ics))
}
