//! The petition register: intake, the list and inbox, a case, its trail and clocks, and the
//! workflow's actions. Each handler authorizes, calls its use case in `service::petitions` and
//! shapes the answer.

use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::AppState,
    auth::Role,
    domain::{
        page::Page,
        petition::{
            command::ActionRequest,
            intake::{CreatePetitionRequest, RepeatCheckRequest},
            query::{InboxQuery, ListQuery},
            repeat::Warning,
        },
    },
    error::AppResult,
    http::extract::{AppJson, AppPath, AppQuery},
    service::{context::Ctx, petitions},
    views::petition::{DeadlineExplainedView, EventView, IdentityAccessView, PetitionView},
};

/// Staff who register petitions.
const INTAKE_ROLES: [Role; 5] =
    [Role::Receptionist, Role::Inspector, Role::UnitHead, Role::Chairman, Role::Admin];

/// `POST /api/v1/petitions` (receptionist, inspector, unit_head, chairman, admin): registers a
/// petition from any channel; the answer carries repeat warnings.
#[utoipa::path(post, path = "/petitions", tag = "petitions", security(("bearer" = [])), request_body = CreatePetitionRequest,
    responses((status = 201, body = PetitionView), (status = 403, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
async fn create_petition(
    ctx: Ctx,
    AppJson(body): AppJson<CreatePetitionRequest>,
) -> AppResult<(StatusCode, AppJson<PetitionView>)> {
    ctx.user.require_any(&INTAKE_ROLES)?;
    let registered = petitions::register(&ctx, body).await?;
    let view = PetitionView::detail(registered.case).with_warnings(registered.warnings);
    Ok((StatusCode::CREATED, AppJson(view)))
}

/// `POST /api/v1/petitions/repeat-check` (intake roles): the repeat warnings a new petition
/// would get, for the intake form to show before saving.
#[utoipa::path(post, path = "/petitions/repeat-check", tag = "petitions", security(("bearer" = [])),
    request_body = RepeatCheckRequest,
    responses((status = 200, body = Vec<Warning>), (status = 403, body = crate::error::ErrorBody)))]
async fn repeat_check(
    ctx: Ctx,
    AppJson(body): AppJson<RepeatCheckRequest>,
) -> AppResult<AppJson<Vec<Warning>>> {
    ctx.user.require_any(&INTAKE_ROLES)?;
    Ok(AppJson(petitions::repeat_check(&ctx, body).await?))
}

/// `GET /api/v1/petitions` (staff): the agency's register, filtered and searched. Items carry no
/// content and never a petitioner.
#[utoipa::path(get, path = "/petitions", tag = "petitions", security(("bearer" = [])), params(ListQuery),
    responses((status = 200, body = Page<PetitionView>), (status = 403, body = crate::error::ErrorBody)))]
async fn list_petitions(
    ctx: Ctx,
    AppQuery(q): AppQuery<ListQuery>,
) -> AppResult<AppJson<Page<PetitionView>>> {
    ctx.user.require_staff()?;
    Ok(AppJson(petitions::list(&ctx, q).await?.map(PetitionView::item)))
}

/// `GET /api/v1/inbox` (staff): open cases, overdue first then nearest due ("hết việc, không hết giờ").
#[utoipa::path(get, path = "/inbox", tag = "petitions", security(("bearer" = [])), params(InboxQuery),
    responses((status = 200, body = Page<PetitionView>), (status = 403, body = crate::error::ErrorBody)))]
async fn inbox(ctx: Ctx, AppQuery(q): AppQuery<InboxQuery>) -> AppResult<AppJson<Page<PetitionView>>> {
    ctx.user.require_staff()?;
    Ok(AppJson(petitions::inbox(&ctx, q).await?.map(PetitionView::item)))
}

/// `GET /api/v1/petitions/{id}` (staff of the agency; read only, staff of an agency holding a later
/// round of it): a case, with the petitioner only for those the law allows (the read is logged).
#[utoipa::path(get, path = "/petitions/{id}", tag = "petitions", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Petition id")),
    responses((status = 200, body = PetitionView), (status = 404, body = crate::error::ErrorBody)))]
async fn get_petition(ctx: Ctx, AppPath(id): AppPath<i64>) -> AppResult<AppJson<PetitionView>> {
    Ok(AppJson(PetitionView::detail(petitions::view(&ctx, id).await?)))
}

/// `GET /api/v1/petitions/{id}/events` (staff of the agency, or of an agency holding a later round
/// of it): the audit trail, oldest first.
#[utoipa::path(get, path = "/petitions/{id}/events", tag = "petitions", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Petition id")),
    responses((status = 200, body = Vec<EventView>), (status = 404, body = crate::error::ErrorBody)))]
async fn events(ctx: Ctx, AppPath(id): AppPath<i64>) -> AppResult<AppJson<Vec<EventView>>> {
    Ok(AppJson(petitions::trail(&ctx, id).await?.into_iter().map(EventView::from).collect()))
}

/// `GET /api/v1/petitions/{id}/deadlines` (staff of the agency): every clock of the case, running
/// or ended, with why its due date is what it is.
#[utoipa::path(get, path = "/petitions/{id}/deadlines", tag = "petitions", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Petition id")),
    responses((status = 200, body = Vec<DeadlineExplainedView>), (status = 404, body = crate::error::ErrorBody)))]
async fn deadlines_of(ctx: Ctx, AppPath(id): AppPath<i64>) -> AppResult<AppJson<Vec<DeadlineExplainedView>>> {
    Ok(AppJson(DeadlineExplainedView::list(petitions::clocks(&ctx, id).await?)))
}

/// `GET /api/v1/petitions/{id}/identity-access` (chairman, admin): who read the petitioner's
/// identity and when — the evidence if confidentiality is breached.
#[utoipa::path(get, path = "/petitions/{id}/identity-access", tag = "petitions", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Petition id")),
    responses((status = 200, body = Vec<IdentityAccessView>), (status = 403, body = crate::error::ErrorBody)))]
async fn identity_access(ctx: Ctx, AppPath(id): AppPath<i64>) -> AppResult<AppJson<Vec<IdentityAccessView>>> {
    ctx.user.require_any(&[Role::Chairman, Role::Admin])?;
    Ok(AppJson(
        petitions::identity_reads(&ctx, id).await?.into_iter().map(IdentityAccessView::from).collect(),
    ))
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
    ctx: Ctx,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<ActionRequest>,
) -> AppResult<AppJson<PetitionView>> {
    ctx.user.require_staff()?;
    let done = petitions::act(&ctx, id, body).await?;
    let view = PetitionView::detail(done.case);
    // Only a step that has something to say carries `warnings` (a late second complaint).
    Ok(AppJson(if done.warnings.is_empty() { view } else { view.with_warnings(done.warnings) }))
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
