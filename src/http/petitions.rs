//! The petition register: intake, the list and inbox, a case, its trail and clocks, and the
//! workflow's actions.

use axum::{extract::State, http::StatusCode};
use chrono::NaiveDate;
use sea_orm::TransactionTrait;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

/// Parses a person into the old error map (until intake parses in the domain).
pub fn parse_person(
    p: &PersonRequest,
    prefix: &str,
    errors: &mut FieldErrors,
) -> Option<crate::domain::person::Person> {
    let mut fields = crate::domain::input::Fields::new();
    let person = p.parse(prefix, &mut fields);
    for (k, v) in fields.into_errors() {
        errors.entry(k).or_default().extend(v);
    }
    person
}

use crate::domain::person::PersonRequest;

use crate::{
    app::AppState,
    auth::{AuthUser, Role},
    clock::civil_date,
    domain::{
        deadline::Complexity,
        delegation,
        petition::{Action, Channel, Conclusion, Kind, ReadPurpose, Status, parse_id_number},
        validate::{bounded_text, optional_text},
    },
    error::{AppError, AppResult, FieldErrors},
    http::extract::{AppJson, AppPath, AppQuery, Page, PageParams, supported_date_opt},
    service::{
        audit::{self, Actor},
        petitions::{
            self, ListFilter, NewPetition, Person,
            actions::{self, Command, ForwardTarget, SplitPart},
            search::{self, Warning},
        },
    },
    views::petition::{DeadlineExplainedView, EventView, IdentityAccessView, PetitionView, Today, explained},
};

/// Staff who register petitions.
const INTAKE_ROLES: [Role; 5] =
    [Role::Receptionist, Role::Inspector, Role::UnitHead, Role::Chairman, Role::Admin];

/// A new petition registered by staff.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreatePetitionRequest {
    pub kind: Kind,
    pub channel: Channel,
    /// The day it was received (default: today).
    #[serde(default, deserialize_with = "supported_date_opt")]
    pub received_on: Option<NaiveDate>,
    pub subject: String,
    pub content: String,
    /// Required unless `anonymous`.
    pub petitioner: Option<PersonRequest>,
    #[serde(default)]
    pub anonymous: bool,
    /// Number of people who signed (a group petition has several).
    pub signatories: Option<i32>,
    #[serde(default)]
    pub cosignatories: Vec<PersonRequest>,
    /// The representatives a group appointed (1–2 for 5–10 people, at most 5 beyond).
    #[serde(default)]
    pub representatives: Vec<PersonRequest>,
    /// The body that forwarded it (channel `forwarded`) and its document number.
    pub forwarding_body: Option<String>,
    pub forwarding_doc_no: Option<String>,
    /// Descriptions of the documents handed over.
    #[serde(default)]
    pub attachments: Vec<String>,
    /// A lower level is competent and has not dealt with it (vượt cấp).
    #[serde(default)]
    pub skip_level: bool,
    /// The body that already handled it, to the end of its competence.
    pub handled_before_by: Option<String>,
    #[serde(default)]
    pub remote_area: bool,
    /// Route it at once to a unit and/or handler.
    pub unit_id: Option<i64>,
    pub assignee_id: Option<i64>,
}

/// Checks an intake body into a new petition of `agency_id`.
pub fn parse_intake(
    body: CreatePetitionRequest,
    agency_id: i64,
    received_by: Option<i64>,
    today: NaiveDate,
) -> AppResult<NewPetition> {
    let mut errors = FieldErrors::new();
    let report = |errors: &mut FieldErrors, field: &str, message: String| {
        errors.entry(field.to_owned()).or_default().push(message);
    };
    let received_on = body.received_on.unwrap_or(today);
    if received_on > today {
        report(&mut errors, "received_on", "Ngày nhận không thể ở tương lai.".to_owned());
    }
    if received_on < NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(received_on) {
        report(&mut errors, "received_on", "Ngày nhận quá xa trong quá khứ.".to_owned());
    }
    let subject = bounded_text(&body.subject, 3, 500).map_err(|m| report(&mut errors, "subject", m)).ok();
    let content = bounded_text(&body.content, 1, 20_000).map_err(|m| report(&mut errors, "content", m)).ok();
    let petitioner = match (&body.petitioner, body.anonymous) {
        (_, true) => None,
        (Some(p), false) => parse_person(p, "petitioner", &mut errors),
        (None, false) => {
            report(
                &mut errors,
                "petitioner",
                "Cần họ tên, địa chỉ người gửi (hoặc đánh dấu đơn nặc danh).".to_owned(),
            );
            None
        }
    };
    let cosignatories: Vec<Person> = body
        .cosignatories
        .iter()
        .enumerate()
        .filter_map(|(i, p)| parse_person(p, &format!("cosignatories[{i}]"), &mut errors))
        .collect();
    let representatives: Vec<Person> = body
        .representatives
        .iter()
        .enumerate()
        .filter_map(|(i, p)| parse_person(p, &format!("representatives[{i}]"), &mut errors))
        .collect();
    let signatories = body.signatories.unwrap_or(1 + i32::try_from(body.cosignatories.len()).unwrap_or(0));
    if !(1..=100_000).contains(&signatories) {
        report(&mut errors, "signatories", "Số người ký từ 1 đến 100 000.".to_owned());
    } else if let Err(m) = delegation::check_representatives(signatories, body.representatives.len()) {
        report(&mut errors, "representatives", m);
    }
    if body.cosignatories.len() > 500 {
        report(&mut errors, "cosignatories", "Tối đa 500 người đồng ký trong một đơn.".to_owned());
    }
    let forwarding_body = optional_text(body.forwarding_body.as_deref(), 300)
        .map_err(|m| report(&mut errors, "forwarding_body", m))
        .ok()
        .flatten();
    if body.channel == Channel::Forwarded && forwarding_body.is_none() {
        report(
            &mut errors,
            "forwarding_body",
            "Đơn do cơ quan khác chuyển đến cần ghi cơ quan chuyển.".to_owned(),
        );
    }
    let forwarding_doc_no = optional_text(body.forwarding_doc_no.as_deref(), 100)
        .map_err(|m| report(&mut errors, "forwarding_doc_no", m))
        .ok()
        .flatten();
    let handled_before_by = optional_text(body.handled_before_by.as_deref(), 300)
        .map_err(|m| report(&mut errors, "handled_before_by", m))
        .ok()
        .flatten();
    let mut attachments = Vec::new();
    if body.attachments.len() > 100 {
        report(&mut errors, "attachments", "Tối đa 100 tài liệu.".to_owned());
    }
    for (i, a) in body.attachments.iter().enumerate() {
        match bounded_text(a, 1, 300) {
            Ok(a) => attachments.push(a),
            Err(m) => report(&mut errors, &format!("attachments[{i}]"), m),
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let (Some(subject), Some(content)) = (subject, content) else {
        return Err(AppError::internal("checked fields missing"));
    };
    Ok(NewPetition {
        agency_id,
        kind: body.kind,
        channel: body.channel,
        received_on,
        subject,
        content,
        petitioner,
        cosignatories,
        representatives,
        signatories,
        forwarding_body,
        forwarding_doc_no,
        attachments,
        skip_level: body.skip_level,
        handled_before_by,
        remote_area: body.remote_area,
        round: 1,
        origin: None,
        received_by,
        citizen_user_id: None,
        unit_id: body.unit_id,
        assignee_id: body.assignee_id,
    })
}

/// Today and the "nearly due" horizon, on the current calendar.
pub async fn today(state: &AppState) -> AppResult<Today> {
    let date = civil_date(state.clock.now());
    let cal = state.calendar.get(&state.db.reader).await?;
    Ok(Today { date, nearly_due_until: cal.add_working_days(date, 3).due })
}

/// Reads a case for `user` and builds its detailed view.
pub async fn detail(
    state: &AppState,
    user: &AuthUser,
    id: i64,
    purpose: ReadPurpose,
) -> AppResult<PetitionView> {
    let case = petitions::find_visible(&state.db.reader, user, id).await?;
    let bundle =
        petitions::bundle(&state.db.reader, &state.db.writer, user, case, purpose, state.clock.now()).await?;
    Ok(PetitionView::detail(bundle, user, today(state).await?))
}

/// `POST /api/v1/petitions` (receptionist, inspector, unit_head, chairman, admin): registers a
/// petition from any channel; the answer carries repeat warnings.
#[utoipa::path(post, path = "/petitions", tag = "petitions", security(("bearer" = [])), request_body = CreatePetitionRequest,
    responses((status = 201, body = PetitionView), (status = 403, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
async fn create_petition(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(body): AppJson<CreatePetitionRequest>,
) -> AppResult<(StatusCode, AppJson<PetitionView>)> {
    user.require_any(&INTAKE_ROLES)?;
    let agency = user.require_staff()?;
    let now = state.clock.now();
    let new = parse_intake(body, agency, Some(user.id), civil_date(now))?;
    petitions::check_routing(&state.db.reader, agency, new.assignee_id, new.unit_id).await?;
    let warnings = intake_warnings(&state, &user, &new).await?;
    let cal = state.calendar.get(&state.db.reader).await?;
    let txn = state.db.writer.begin().await?;
    let case = petitions::intake(&txn, new, &Actor::user(user.id, &user.full_name), &cal, now).await?;
    txn.commit().await?;
    let mut view = detail(&state, &user, case.id, ReadPurpose::Intake).await?;
    view.warnings = Some(warnings);
    Ok((StatusCode::CREATED, AppJson(view)))
}

async fn intake_warnings(state: &AppState, user: &AuthUser, new: &NewPetition) -> AppResult<Vec<Warning>> {
    let ids: Vec<String> = new
        .petitioner
        .iter()
        .chain(new.cosignatories.iter())
        .chain(new.representatives.iter())
        .filter_map(|p| p.id_number.clone())
        .collect();
    let since = new.received_on - chrono::Duration::days(5 * 365);
    search::repeat_warnings(&state.db.reader, user, new.agency_id, &ids, &new.subject, new.skip_level, since)
        .await
}

/// What to check for repeats before registering.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RepeatCheckRequest {
    #[serde(default)]
    pub id_numbers: Vec<String>,
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub skip_level: bool,
}

/// `POST /api/v1/petitions/repeat-check` (intake roles): the repeat warnings a new petition
/// would get, for the intake form to show before saving.
#[utoipa::path(post, path = "/petitions/repeat-check", tag = "petitions", security(("bearer" = [])),
    request_body = RepeatCheckRequest,
    responses((status = 200, body = Vec<Warning>), (status = 403, body = crate::error::ErrorBody)))]
async fn repeat_check(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(body): AppJson<RepeatCheckRequest>,
) -> AppResult<AppJson<Vec<Warning>>> {
    user.require_any(&INTAKE_ROLES)?;
    let agency = user.require_staff()?;
    let ids: Vec<String> = body.id_numbers.iter().take(20).filter_map(|i| parse_id_number(i).ok()).collect();
    let subject: String = body.subject.chars().take(500).collect();
    let since = civil_date(state.clock.now()) - chrono::Duration::days(5 * 365);
    Ok(AppJson(
        search::repeat_warnings(&state.db.reader, &user, agency, &ids, &subject, body.skip_level, since)
            .await?,
    ))
}

/// Filters of the register.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    pub kind: Option<Kind>,
    pub channel: Option<Channel>,
    pub status: Option<Status>,
    /// `true`: only cases still being handled; `false`: only closed ones.
    pub open: Option<bool>,
    pub assignee_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub overdue: Option<bool>,
    pub nearly_due: Option<bool>,
    /// Words of the subject, content or petitioner's name, with or without diacritics.
    pub q: Option<String>,
    #[serde(default, deserialize_with = "supported_date_opt")]
    pub received_from: Option<NaiveDate>,
    #[serde(default, deserialize_with = "supported_date_opt")]
    pub received_to: Option<NaiveDate>,
    /// `due`: overdue and nearest due first; `received` (default): newest first.
    pub sort: Option<String>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

fn filter_of(q: &ListQuery) -> AppResult<ListFilter> {
    let by_due = match q.sort.as_deref() {
        None | Some("received") => false,
        Some("due") => true,
        Some(_) => return Err(AppError::bad_request("invalid_query", "sort phải là received hoặc due.")),
    };
    if q.q.as_deref().is_some_and(|s| s.chars().count() > 200) {
        return Err(AppError::bad_request("invalid_query", "Từ khóa tìm kiếm dài quá 200 ký tự."));
    }
    Ok(ListFilter {
        kind: q.kind,
        channel: q.channel,
        status: q.status,
        open: q.open,
        assignee_id: q.assignee_id,
        unassigned: false,
        unit_id: q.unit_id,
        overdue: q.overdue,
        nearly_due: q.nearly_due,
        q: q.q.clone().filter(|s| !s.trim().is_empty()),
        received_from: q.received_from,
        received_to: q.received_to,
        by_due,
    })
}

async fn list_page(
    state: &AppState,
    user: &AuthUser,
    filter: ListFilter,
    page: PageParams,
) -> AppResult<Page<PetitionView>> {
    let agency = user.require_staff()?;
    let page = page.checked()?;
    let today = today(state).await?;
    let found =
        petitions::list(&state.db.reader, agency, &filter, today.date, today.nearly_due_until, page).await?;
    let items = found
        .items
        .iter()
        .map(|c| PetitionView::item(c, &found.clocks, &found.names, &found.units, user, today))
        .collect();
    Ok(Page::new(items, found.total, page))
}

/// `GET /api/v1/petitions` (staff): the agency's register, filtered and searched. Items carry no
/// content and never a petitioner.
#[utoipa::path(get, path = "/petitions", tag = "petitions", security(("bearer" = [])), params(ListQuery),
    responses((status = 200, body = Page<PetitionView>), (status = 403, body = crate::error::ErrorBody)))]
async fn list_petitions(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(q): AppQuery<ListQuery>,
) -> AppResult<AppJson<Page<PetitionView>>> {
    user.require_staff()?;
    let filter = filter_of(&q)?;
    Ok(AppJson(list_page(&state, &user, filter, PageParams { page: q.page, per_page: q.per_page }).await?))
}

/// Whose inbox.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InboxQuery {
    /// `mine` (default): cases assigned to me; `unit`: my unit's; `new`: unassigned new cases.
    pub scope: Option<String>,
    pub q: Option<String>,
    pub kind: Option<Kind>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

/// `GET /api/v1/inbox` (staff): open cases, overdue first then nearest due ("hết việc, không hết giờ").
#[utoipa::path(get, path = "/inbox", tag = "petitions", security(("bearer" = [])), params(InboxQuery),
    responses((status = 200, body = Page<PetitionView>), (status = 403, body = crate::error::ErrorBody)))]
async fn inbox(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(q): AppQuery<InboxQuery>,
) -> AppResult<AppJson<Page<PetitionView>>> {
    user.require_staff()?;
    let mut filter = ListFilter { open: Some(true), by_due: true, kind: q.kind, ..Default::default() };
    filter.q = q.q.clone().filter(|s| !s.trim().is_empty());
    match q.scope.as_deref() {
        None | Some("mine") => filter.assignee_id = Some(user.id),
        Some("unit") => {
            filter.unit_id = Some(
                user.unit_id
                    .ok_or_else(|| AppError::bad_request("no_unit", "Tài khoản không thuộc đơn vị nào."))?,
            )
        }
        Some("new") => {
            filter.status = Some(Status::Received);
            filter.unassigned = true;
        }
        Some("all") => {}
        Some(_) => {
            return Err(AppError::bad_request("invalid_query", "scope phải là mine, unit, new hoặc all."));
        }
    }
    Ok(AppJson(list_page(&state, &user, filter, PageParams { page: q.page, per_page: q.per_page }).await?))
}

/// `GET /api/v1/petitions/{id}` (staff of the agency): a case, with the petitioner only for those
/// the law allows (the read is logged).
#[utoipa::path(get, path = "/petitions/{id}", tag = "petitions", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Petition id")),
    responses((status = 200, body = PetitionView), (status = 404, body = crate::error::ErrorBody)))]
async fn get_petition(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
) -> AppResult<AppJson<PetitionView>> {
    Ok(AppJson(detail(&state, &user, id, ReadPurpose::View).await?))
}

/// `GET /api/v1/petitions/{id}/events` (staff of the agency): the audit trail, oldest first.
#[utoipa::path(get, path = "/petitions/{id}/events", tag = "petitions", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Petition id")),
    responses((status = 200, body = Vec<EventView>), (status = 404, body = crate::error::ErrorBody)))]
async fn events(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
) -> AppResult<AppJson<Vec<EventView>>> {
    let case = petitions::find_visible(&state.db.reader, &user, id).await?;
    Ok(AppJson(audit::trail(&state.db.reader, case.id).await?.into_iter().map(EventView::from).collect()))
}

/// `GET /api/v1/petitions/{id}/deadlines` (staff of the agency): every clock of the case, running
/// or ended, with why its due date is what it is.
#[utoipa::path(get, path = "/petitions/{id}/deadlines", tag = "petitions", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Petition id")),
    responses((status = 200, body = Vec<DeadlineExplainedView>), (status = 404, body = crate::error::ErrorBody)))]
async fn deadlines_of(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
) -> AppResult<AppJson<Vec<DeadlineExplainedView>>> {
    let case = petitions::find_visible(&state.db.reader, &user, id).await?;
    let cal = state.calendar.get(&state.db.reader).await?;
    let today = civil_date(state.clock.now());
    let rows = crate::service::deadlines::of_case(&state.db.reader, case.id).await?;
    Ok(AppJson(rows.iter().map(|r| explained(r, &cal, today)).collect()))
}

/// `GET /api/v1/petitions/{id}/identity-access` (chairman, admin): who read the petitioner's
/// identity and when — the evidence if confidentiality is breached.
#[utoipa::path(get, path = "/petitions/{id}/identity-access", tag = "petitions", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Petition id")),
    responses((status = 200, body = Vec<IdentityAccessView>), (status = 403, body = crate::error::ErrorBody)))]
async fn identity_access(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
) -> AppResult<AppJson<Vec<IdentityAccessView>>> {
    user.require_any(&[Role::Chairman, Role::Admin])?;
    let case = petitions::find_visible(&state.db.reader, &user, id).await?;
    let rows = petitions::identity_reads(&state.db.reader, case.id).await?;
    Ok(AppJson(
        rows.into_iter()
            .map(|(r, name)| IdentityAccessView {
                user_id: r.user_id,
                user_name: name,
                at: r.at,
                purpose: r.purpose,
            })
            .collect(),
    ))
}

/// One content when splitting a petition.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SplitPartRequest {
    pub kind: Kind,
    pub subject: String,
    pub content: String,
}

/// An action and its fields: `accept` (complexity?, remote_area?), `reject` (reason), `guide`
/// (to_body, note?), `forward` (to_agency_id or to_body, letter_no?), `urge` (to_body), `archive`
/// (reason), `assign` (assignee_id, unit_id, leader_id?, expected_result?), `extend` (days, reason,
/// complexity?), `suspend` (reason), `resume`, `withdraw` (partial, note, withdrawn_signatories?),
/// `resolve` (result; complaints: conclusion), `reopen` (reason?, to_agency_id?), `split` (parts).
#[derive(Debug, Deserialize, ToSchema)]
pub struct ActionRequest {
    pub action: Action,
    /// The decision's date (default today).
    #[serde(default, deserialize_with = "supported_date_opt")]
    pub on: Option<NaiveDate>,
    /// The `version` of the view acted on; a newer one means someone else changed the case.
    pub expected_version: Option<i32>,
    pub reason: Option<String>,
    pub note: Option<String>,
    pub to_body: Option<String>,
    pub to_agency_id: Option<i64>,
    pub letter_no: Option<String>,
    pub assignee_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub leader_id: Option<i64>,
    pub expected_result: Option<String>,
    pub days: Option<u32>,
    pub complexity: Option<Complexity>,
    pub remote_area: Option<bool>,
    pub partial: Option<bool>,
    pub withdrawn_signatories: Option<i32>,
    pub result: Option<String>,
    pub conclusion: Option<Conclusion>,
    pub parts: Option<Vec<SplitPartRequest>>,
}

fn required(field: &str, value: Option<&str>, min: usize, max: usize) -> AppResult<String> {
    match value {
        Some(v) => bounded_text(v, min, max).map_err(|m| AppError::field(field, m)),
        None => Err(AppError::field(field, "Bắt buộc với thao tác này.")),
    }
}

fn optional(field: &str, value: Option<&str>, max: usize) -> AppResult<Option<String>> {
    optional_text(value, max).map_err(|m| AppError::field(field, m))
}

/// Checks an action body into a command.
pub fn parse_command(b: ActionRequest) -> AppResult<Command> {
    let note = optional("note", b.note.as_deref(), 2000)?;
    Ok(match b.action {
        Action::Accept => Command::Accept { complexity: b.complexity, remote_area: b.remote_area, note },
        Action::Reject => Command::Reject { reason: required("reason", b.reason.as_deref(), 3, 2000)? },
        Action::Guide => Command::Guide { to_body: required("to_body", b.to_body.as_deref(), 2, 300)?, note },
        Action::Forward => {
            let target = match (b.to_agency_id, b.to_body.as_deref()) {
                (Some(a), _) => ForwardTarget::Agency(a),
                (None, Some(body)) => ForwardTarget::Body(required("to_body", Some(body), 2, 300)?),
                (None, None) => {
                    return Err(AppError::field(
                        "to_agency_id",
                        "Cần cơ quan nhận (to_agency_id hoặc to_body).",
                    ));
                }
            };
            Command::Forward { target, letter_no: optional("letter_no", b.letter_no.as_deref(), 100)?, note }
        }
        Action::Urge => Command::Urge { to_body: required("to_body", b.to_body.as_deref(), 2, 300)?, note },
        Action::Archive => Command::Archive { reason: required("reason", b.reason.as_deref(), 3, 2000)? },
        Action::Assign => Command::Assign {
            assignee_id: b.assignee_id,
            unit_id: b.unit_id,
            leader_id: b.leader_id,
            expected_result: optional("expected_result", b.expected_result.as_deref(), 1000)?,
        },
        Action::Extend => {
            let days = b.days.ok_or_else(|| AppError::field("days", "Cần số ngày gia hạn."))?;
            if days == 0 || days > 90 {
                return Err(AppError::field("days", "Số ngày gia hạn từ 1 đến 90."));
            }
            Command::Extend {
                days,
                reason: required("reason", b.reason.as_deref(), 3, 2000)?,
                complexity: b.complexity,
            }
        }
        Action::Suspend => Command::Suspend { reason: required("reason", b.reason.as_deref(), 3, 2000)? },
        Action::Resume => Command::Resume { note },
        Action::Withdraw => Command::Withdraw {
            partial: b.partial.unwrap_or(false),
            note,
            withdrawn_signatories: b.withdrawn_signatories,
        },
        Action::Resolve => Command::Resolve {
            result: required("result", b.result.as_deref(), 3, 20_000)?,
            conclusion: b.conclusion,
        },
        Action::Reopen => Command::Reopen {
            reason: optional("reason", b.reason.as_deref(), 20_000)?,
            to_agency_id: b.to_agency_id,
        },
        Action::Split => {
            let parts = b.parts.unwrap_or_default();
            if parts.len() < 2 || parts.len() > 20 {
                return Err(AppError::field("parts", "Tách đơn cần từ 2 đến 20 nội dung."));
            }
            let mut out = Vec::new();
            for (i, p) in parts.into_iter().enumerate() {
                out.push(SplitPart {
                    kind: p.kind,
                    subject: required(&format!("parts[{i}].subject"), Some(&p.subject), 3, 500)?,
                    content: required(&format!("parts[{i}].content"), Some(&p.content), 1, 20_000)?,
                });
            }
            Command::Split { parts: out, note }
        }
    })
}

/// `POST /api/v1/petitions/{id}/actions` (by action: see `allowed_actions`): takes a step of the
/// workflow. 409 `invalid_transition` when the step is not allowed now, 403 when not for this role
/// or case. A reopening answers with the new linked case.
#[utoipa::path(post, path = "/petitions/{id}/actions", tag = "petitions", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Petition id")), request_body = ActionRequest,
    responses((status = 200, body = PetitionView), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
async fn act(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<ActionRequest>,
) -> AppResult<AppJson<PetitionView>> {
    user.require_staff()?;
    let now = state.clock.now();
    let today = civil_date(now);
    let on = body.on.unwrap_or(today);
    if on > today {
        return Err(AppError::field("on", "Ngày quyết định không thể ở tương lai."));
    }
    let expected_version = body.expected_version;
    let command = parse_command(body)?;
    let cal = state.calendar.get(&state.db.reader).await?;
    let txn = state.db.writer.begin().await?;
    let outcome = actions::act(&txn, &user, id, expected_version, command, on, &cal, now).await?;
    txn.commit().await?;
    // A case reopened at another agency is not the caller's to see: show the original then.
    match detail(&state, &user, outcome.show_id, ReadPurpose::Action).await {
        Err(AppError::NotFound) if outcome.show_id != id => {
            Ok(AppJson(detail(&state, &user, id, ReadPurpose::Action).await?))
        }
        other => Ok(AppJson(other?)),
    }
}

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_petition, list_petitions))
        .routes(routes!(repeat_check))
        .routes(routes!(inbox))
        .routes(routes!(get_petition))
        .routes(routes!(events))
        .routes(routes!(deadlines_of))
        .routes(routes!(identity_access))
        .routes(routes!(act))
}
