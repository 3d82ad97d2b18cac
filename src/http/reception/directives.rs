//! Session-conclusion notices and their directives: `/reception-sessions/{id}/conclusion`,
//! `/reception-directives`.

use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::AppState,
    domain::{
        page::Page,
        reception::{CompleteRequest, ConclusionRequest, DirectiveQuery},
    },
    error::AppResult,
    http::extract::{AppJson, AppPath, AppQuery},
    service::{access::reception::DIRECTIVE_COMPLETERS, context::Ctx, reception::directives},
    views::reception::{DirectiveView, SessionDetailView},
};

/// `POST /api/v1/reception-sessions/{id}/conclusion` (chairman, or the session's host): the
/// session-conclusion notice with the head's directives to units, each with a due date. Once per
/// held session (409 `session_not_held`, `already_concluded`).
#[utoipa::path(post, path = "/reception-sessions/{id}/conclusion", tag = "reception", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Session id")), request_body = ConclusionRequest,
    responses((status = 201, body = SessionDetailView), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
async fn conclude(
    ctx: Ctx,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<ConclusionRequest>,
) -> AppResult<(StatusCode, AppJson<SessionDetailView>)> {
    // Who may write it (the chairman or the host) depends on the session: the use case decides.
    ctx.user.require_staff()?;
    let detail = directives::conclude(&ctx, id, body).await?;
    Ok((StatusCode::CREATED, AppJson(SessionDetailView::of(&detail, ctx.today))))
}

/// `GET /api/v1/reception-directives` (chairman and admin: every unit; other staff: their unit's):
/// open before done, overdue and nearest due first.
#[utoipa::path(get, path = "/reception-directives", tag = "reception", security(("bearer" = [])), params(DirectiveQuery),
    responses((status = 200, body = Page<DirectiveView>), (status = 403, body = crate::error::ErrorBody)))]
async fn list_directives(
    ctx: Ctx,
    AppQuery(q): AppQuery<DirectiveQuery>,
) -> AppResult<AppJson<Page<DirectiveView>>> {
    ctx.user.require_staff()?;
    let found = directives::list(&ctx, q).await?;
    Ok(AppJson(DirectiveView::page(found, ctx.today)))
}

/// `POST /api/v1/reception-directives/{id}/complete` (the head of its unit, the chairman): marks a
/// directive done with its result.
#[utoipa::path(post, path = "/reception-directives/{id}/complete", tag = "reception", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Directive id")), request_body = CompleteRequest,
    responses((status = 200, body = DirectiveView), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
async fn complete_directive(
    ctx: Ctx,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<CompleteRequest>,
) -> AppResult<AppJson<DirectiveView>> {
    ctx.user.require_any(&DIRECTIVE_COMPLETERS)?;
    let done = directives::complete(&ctx, id, body).await?;
    Ok(AppJson(DirectiveView::one(&done, ctx.today)))
}

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(conclude))
        .routes(routes!(list_directives))
        .routes(routes!(complete_directive))
}
