//! The heads' reception schedules: `/reception-rules` (the path keeps its first name).

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::AppState,
    domain::reception::RuleRequest,
    error::AppResult,
    http::extract::{AppJson, AppPath},
    service::{access::reception::SCHEDULE_SETTERS, context::Ctx, reception::schedules},
    views::reception::RuleView,
};

/// `PUT /api/v1/reception-rules/{host_id}` (admin): when a head holds his periodic sessions, in
/// force from today; the schedule ahead follows, past weeks stay as they were. A chairman's
/// schedule below the law's minimum for his level is 422 `below_legal_minimum` unless the body
/// gives a `reason`.
#[utoipa::path(put, path = "/reception-rules/{host_id}", tag = "reception", security(("bearer" = [])),
    params(("host_id" = i64, Path, description = "The head's user id")), request_body = RuleRequest,
    responses((status = 200, body = RuleView), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn put_rule(
    ctx: Ctx,
    AppPath(host_id): AppPath<i64>,
    AppJson(body): AppJson<RuleRequest>,
) -> AppResult<AppJson<RuleView>> {
    ctx.user.require_any(&SCHEDULE_SETTERS)?;
    let saved = schedules::put(&ctx, host_id, body).await?;
    Ok(AppJson(RuleView::of(&saved)))
}

/// `GET /api/v1/reception-rules/{host_id}` (staff of the agency): a head's schedule and next
/// sessions.
#[utoipa::path(get, path = "/reception-rules/{host_id}", tag = "reception", security(("bearer" = [])),
    params(("host_id" = i64, Path, description = "The head's user id")),
    responses((status = 200, body = RuleView), (status = 404, body = crate::error::ErrorBody)))]
async fn get_rule(ctx: Ctx, AppPath(host_id): AppPath<i64>) -> AppResult<AppJson<RuleView>> {
    ctx.user.require_staff()?;
    Ok(AppJson(RuleView::of(&schedules::get(&ctx, host_id).await?)))
}

/// `GET /api/v1/reception-rules` (staff): every head's schedule of the agency.
#[utoipa::path(get, path = "/reception-rules", tag = "reception", security(("bearer" = [])),
    responses((status = 200, body = Vec<RuleView>), (status = 403, body = crate::error::ErrorBody)))]
async fn list_rules(ctx: Ctx) -> AppResult<AppJson<Vec<RuleView>>> {
    ctx.user.require_staff()?;
    Ok(AppJson(schedules::list(&ctx).await?.iter().map(RuleView::of).collect()))
}

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_rules)).routes(routes!(put_rule, get_rule))
}
