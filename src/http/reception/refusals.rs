//! Refusals to receive: `/reception-sessions/{id}/refusals`, `/reception-refusals`.

use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::AppState,
    domain::reception::{NoticeRequest, RefusalQuery, RefusalRequest},
    error::AppResult,
    http::extract::{AppJson, AppPath, AppQuery},
    service::{access::reception::DESK, context::Ctx, reception::refusals},
    views::reception::RefusalView,
};

/// `POST /api/v1/reception-sessions/{id}/refusals` (receptionist, inspector, chairman): records a
/// refusal to receive with its legal ground (Law 42/2013 Art. 9; ND 154/2026 Art. 4(1)); for
/// Art. 9(3) and point h the answer carries the written notice's due date (3 working days).
#[utoipa::path(post, path = "/reception-sessions/{id}/refusals", tag = "reception", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Session id")), request_body = RefusalRequest,
    responses((status = 201, body = RefusalView), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn create_refusal(
    ctx: Ctx,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<RefusalRequest>,
) -> AppResult<(StatusCode, AppJson<RefusalView>)> {
    ctx.user.require_any(&DESK)?;
    let created = refusals::create(&ctx, id, body).await?;
    Ok((StatusCode::CREATED, AppJson(RefusalView::of(&created, ctx.today))))
}

/// `GET /api/v1/reception-refusals` (staff): the agency's refusals; with `pending_notice=true`
/// the written notices still owed, overdue and nearest due first.
#[utoipa::path(get, path = "/reception-refusals", tag = "reception", security(("bearer" = [])), params(RefusalQuery),
    responses((status = 200, body = Vec<RefusalView>), (status = 403, body = crate::error::ErrorBody)))]
async fn list_refusals(
    ctx: Ctx,
    AppQuery(q): AppQuery<RefusalQuery>,
) -> AppResult<AppJson<Vec<RefusalView>>> {
    ctx.user.require_staff()?;
    let found = refusals::list(&ctx, q).await?;
    Ok(AppJson(found.iter().map(|r| RefusalView::of(r, ctx.today)).collect()))
}

/// `POST /api/v1/reception-refusals/{id}/notice` (chairman, receptionist, inspector): records the
/// written refusal notice as sent; its clock stops.
#[utoipa::path(post, path = "/reception-refusals/{id}/notice", tag = "reception", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Refusal id")), request_body = NoticeRequest,
    responses((status = 200, body = RefusalView), (status = 404, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody)))]
async fn record_notice(
    ctx: Ctx,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<NoticeRequest>,
) -> AppResult<AppJson<RefusalView>> {
    ctx.user.require_any(&DESK)?;
    let saved = refusals::record_notice(&ctx, id, body).await?;
    Ok(AppJson(RefusalView::of(&saved, ctx.today)))
}

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_refusal))
        .routes(routes!(list_refusals))
        .routes(routes!(record_notice))
}
