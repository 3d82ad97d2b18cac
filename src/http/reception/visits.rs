//! The reception book's lines: `/reception-sessions/{id}/visits` and `/petitions/{id}/visits`.

use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::AppState,
    domain::reception::VisitRequest,
    error::AppResult,
    http::extract::{AppJson, AppPath},
    service::{access::reception::DESK, context::Ctx, reception::visits},
    views::reception::VisitView,
};

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
    ctx: Ctx,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<VisitRequest>,
) -> AppResult<(StatusCode, AppJson<VisitView>)> {
    ctx.user.require_any(&DESK)?;
    let line = visits::create(&ctx, id, body).await?;
    Ok((StatusCode::CREATED, AppJson(VisitView::from(&line))))
}

/// `GET /api/v1/reception-sessions/{id}/visits` (staff of the agency): the session's lines.
#[utoipa::path(get, path = "/reception-sessions/{id}/visits", tag = "reception", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Session id")),
    responses((status = 200, body = Vec<VisitView>), (status = 404, body = crate::error::ErrorBody)))]
async fn session_visits(ctx: Ctx, AppPath(id): AppPath<i64>) -> AppResult<AppJson<Vec<VisitView>>> {
    ctx.user.require_staff()?;
    let lines = visits::session_lines(&ctx, id).await?;
    Ok(AppJson(lines.iter().map(VisitView::from).collect()))
}

/// `GET /api/v1/petitions/{id}/visits` (staff of the agency): the reception visits about a case.
#[utoipa::path(get, path = "/petitions/{id}/visits", tag = "reception", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Petition id")),
    responses((status = 200, body = Vec<VisitView>), (status = 404, body = crate::error::ErrorBody)))]
async fn petition_visits(ctx: Ctx, AppPath(id): AppPath<i64>) -> AppResult<AppJson<Vec<VisitView>>> {
    let lines = visits::petition_lines(&ctx, id).await?;
    Ok(AppJson(lines.iter().map(VisitView::from).collect()))
}

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create_visit, session_visits)).routes(routes!(petition_visits))
}
