//! The citizen portal, no account needed: file a petition, follow it by its tracking code, rate
//! it once closed. Rate-limited per client address.

use axum::{extract::State, http::StatusCode};
use chrono::{DateTime, Utc};
use sea_orm::TransactionTrait;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::domain::person::PersonRequest;

use crate::{
    app::AppState,
    auth::{MaybeAuthUser, Role},
    clock::civil_date,
    domain::{
        petition::Kind,
        validate::{bounded_text, optional_text},
    },
    error::{AppError, AppResult, FieldErrors},
    http::{
        extract::{AppJson, AppPath},
        rate_limit::ClientIp,
    },
    service::{
        audit::Actor,
        deadlines,
        petitions::{self, NewPetition, public},
    },
    views::petition::{PublicHistoryView, PublicPetitionView},
};

/// A petition filed on the portal.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PublicPetitionRequest {
    pub kind: Kind,
    pub subject: String,
    pub content: String,
    /// Who files it: full name and address at least, so the agency can answer.
    pub petitioner: PersonRequest,
    /// Another agency of the register (default: the first one).
    pub agency_id: Option<i64>,
}

/// The receipt of a portal filing.
#[derive(Debug, Serialize, ToSchema)]
pub struct FiledView {
    /// Keep it: it is the only way to follow the case without an account.
    pub tracking_code: String,
    pub received_on: chrono::NaiveDate,
    pub status: crate::domain::petition::Status,
}

/// `POST /api/v1/public/petitions` (anyone; a signed-in citizen's petition is also listed under
/// their account): files a petition online.
#[utoipa::path(post, path = "/public/petitions", tag = "public", request_body = PublicPetitionRequest,
    responses((status = 201, body = FiledView), (status = 422, body = crate::error::ErrorBody),
              (status = 429, body = crate::error::ErrorBody)))]
async fn file_petition(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    MaybeAuthUser(user): MaybeAuthUser,
    AppJson(body): AppJson<PublicPetitionRequest>,
) -> AppResult<(StatusCode, AppJson<FiledView>)> {
    state.limits.public_filing.check(ip)?;
    let now = state.clock.now();
    let today = civil_date(now);
    let mut errors = FieldErrors::new();
    let subject = bounded_text(&body.subject, 3, 500)
        .map_err(|m| errors.entry("subject".into()).or_default().push(m))
        .ok();
    let content = bounded_text(&body.content, 10, 20_000)
        .map_err(|m| errors.entry("content".into()).or_default().push(m))
        .ok();
    let petitioner = crate::http::petitions::parse_person(&body.petitioner, "petitioner", &mut errors);
    if petitioner.as_ref().is_some_and(|p| p.address.is_none()) {
        errors.entry("petitioner.address".into()).or_default().push("Cần địa chỉ để cơ quan trả lời.".into());
    }
    let (Some(subject), Some(content), Some(petitioner), true) =
        (subject, content, petitioner, errors.is_empty())
    else {
        return Err(AppError::Validation(errors));
    };
    let agency = match body.agency_id {
        Some(id) => crate::service::agencies::find(&state.db.reader, id)
            .await
            .map_err(|_| AppError::field("agency_id", "Cơ quan không tồn tại."))?,
        None => public::default_agency(&state.db.reader).await?,
    };
    let citizen = user.as_ref().filter(|u| u.role == Role::Citizen);
    let new = NewPetition {
        agency_id: agency.id,
        kind: body.kind,
        channel: crate::domain::petition::Channel::Online,
        received_on: today,
        subject,
        content,
        petitioner: Some(petitioner),
        cosignatories: vec![],
        representatives: vec![],
        signatories: 1,
        forwarding_body: None,
        forwarding_doc_no: None,
        attachments: vec![],
        skip_level: false,
        handled_before_by: None,
        remote_area: false,
        round: 1,
        origin: None,
        received_by: None,
        citizen_user_id: citizen.map(|u| u.id),
        unit_id: None,
        assignee_id: None,
    };
    let actor = citizen.map_or_else(Actor::public, |u| Actor::user(u.id, &u.full_name));
    let cal = state.calendar.get(&state.db.reader).await?;
    let txn = state.db.writer.begin().await?;
    let case = petitions::intake(&txn, new, &actor, &cal, now).await?;
    txn.commit().await?;
    Ok((
        StatusCode::CREATED,
        AppJson(FiledView {
            tracking_code: case.tracking_code,
            received_on: case.received_on,
            status: case.status,
        }),
    ))
}

/// `GET /api/v1/public/petitions/{tracking_code}` (anyone with the code): status, dates and the
/// history of statuses; no names, no identity numbers, no content.
#[utoipa::path(get, path = "/public/petitions/{tracking_code}", tag = "public",
    params(("tracking_code" = String, Path, description = "e.g. TD-7KQ4-M9XP-2WHD")),
    responses((status = 200, body = PublicPetitionView), (status = 404, body = crate::error::ErrorBody),
              (status = 429, body = crate::error::ErrorBody)))]
async fn track(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    AppPath(code): AppPath<String>,
) -> AppResult<AppJson<PublicPetitionView>> {
    state.limits.public_lookup.check(ip)?;
    let case = public::by_code(&state.db.reader, &code).await?;
    let next_due = deadlines::next_due_of(&state.db.reader, &[case.id]).await?.get(&case.id).copied();
    let history = public::status_history(&state.db.reader, case.id)
        .await?
        .into_iter()
        .map(|(at, status)| PublicHistoryView { at, status })
        .collect();
    Ok(AppJson(PublicPetitionView {
        tracking_code: case.tracking_code.clone(),
        kind: case.kind,
        status: case.status,
        received_on: case.received_on,
        due: public::public_due(&case, next_due),
        history,
    }))
}

/// A citizen's rating.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RatingRequest {
    /// 1 (very dissatisfied) to 5 (very satisfied).
    pub score: i64,
    pub comment: Option<String>,
}

/// A recorded rating.
#[derive(Debug, Serialize, ToSchema)]
pub struct RatingView {
    pub score: i16,
    pub comment: Option<String>,
    pub at: DateTime<Utc>,
}

/// `POST /api/v1/public/petitions/{tracking_code}/rating` (anyone with the code): rates a closed
/// case once (409 `not_closed`, `already_rated`).
#[utoipa::path(post, path = "/public/petitions/{tracking_code}/rating", tag = "public", request_body = RatingRequest,
    params(("tracking_code" = String, Path, description = "The case's tracking code")),
    responses((status = 201, body = RatingView), (status = 404, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn rate(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    AppPath(code): AppPath<String>,
    AppJson(body): AppJson<RatingRequest>,
) -> AppResult<(StatusCode, AppJson<RatingView>)> {
    state.limits.public_lookup.check(ip)?;
    if !(1..=5).contains(&body.score) {
        return Err(AppError::field("score", "Điểm đánh giá từ 1 đến 5."));
    }
    let comment = optional_text(body.comment.as_deref(), 2000).map_err(|m| AppError::field("comment", m))?;
    let case = public::by_code(&state.db.reader, &code).await?;
    let score = i16::try_from(body.score).map_err(AppError::internal)?;
    let saved = public::rate(&state.db.writer, &case, score, comment, state.clock.now()).await?;
    Ok((
        StatusCode::CREATED,
        AppJson(RatingView { score: saved.score, comment: saved.comment, at: saved.at }),
    ))
}

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(file_petition)).routes(routes!(track)).routes(routes!(rate))
}
