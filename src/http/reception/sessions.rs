//! `/reception-sessions`: sessions of every kind, the heads' scheduled ones included.

use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::AppState,
    domain::{
        page::Page,
        reception::{CreateSessionRequest, SessionQuery, UpdateSessionRequest},
    },
    error::AppResult,
    http::extract::{AppJson, AppPath, AppQuery},
    service::{access::reception::ORGANISERS, context::Ctx, reception::sessions},
    views::reception::{SessionDetailView, SessionView},
};

/// `POST /api/v1/reception-sessions` (chairman, receptionist, admin): a session of any kind. A
/// periodic session is hosted by the head whose schedule it is (409 `delegation_not_allowed`
/// otherwise); an unscheduled one names its legal trigger; an online one is announced five working
/// days ahead.
#[utoipa::path(post, path = "/reception-sessions", tag = "reception", security(("bearer" = [])),
    request_body = CreateSessionRequest,
    responses((status = 201, body = SessionView), (status = 403, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn create_session(
    ctx: Ctx,
    AppJson(body): AppJson<CreateSessionRequest>,
) -> AppResult<(StatusCode, AppJson<SessionView>)> {
    ctx.user.require_any(&ORGANISERS)?;
    let created = sessions::create(&ctx, body).await?;
    Ok((StatusCode::CREATED, AppJson(SessionView::one(&created, ctx.today))))
}

/// `GET /api/v1/reception-sessions?from=&to=` (staff): the agency's sessions by date, the
/// scheduled periodic sessions of the heads' schedules included (written as they are first read).
#[utoipa::path(get, path = "/reception-sessions", tag = "reception", security(("bearer" = [])), params(SessionQuery),
    responses((status = 200, body = Page<SessionView>), (status = 400, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody)))]
async fn list_sessions(
    ctx: Ctx,
    AppQuery(q): AppQuery<SessionQuery>,
) -> AppResult<AppJson<Page<SessionView>>> {
    ctx.user.require_staff()?;
    let found = sessions::list(&ctx, q).await?;
    Ok(AppJson(SessionView::page(found, ctx.today)))
}

/// `GET /api/v1/reception-sessions/{id}` (staff of the agency): a session with its visits,
/// refusals and directives.
#[utoipa::path(get, path = "/reception-sessions/{id}", tag = "reception", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Session id")),
    responses((status = 200, body = SessionDetailView), (status = 404, body = crate::error::ErrorBody)))]
async fn get_session(ctx: Ctx, AppPath(id): AppPath<i64>) -> AppResult<AppJson<SessionDetailView>> {
    ctx.user.require_staff()?;
    let detail = sessions::detail(&ctx, id).await?;
    Ok(AppJson(SessionDetailView::of(&detail, ctx.today)))
}

/// `PATCH /api/v1/reception-sessions/{id}` (chairman, receptionist, admin): mark held (an online
/// session needs its recording), cancel with a reason (chairman, admin), correct the day, place
/// or host while the book has no line of it (409 `session_has_visits` after), name the note-taker
/// and participants. The host of a periodic session cannot be replaced (409
/// `delegation_not_allowed`). A cancelled session leaves the public schedule.
#[utoipa::path(patch, path = "/reception-sessions/{id}", tag = "reception", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Session id")), request_body = UpdateSessionRequest,
    responses((status = 200, body = SessionView), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn update_session(
    ctx: Ctx,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<UpdateSessionRequest>,
) -> AppResult<AppJson<SessionView>> {
    ctx.user.require_any(&ORGANISERS)?;
    let updated = sessions::update(&ctx, id, body).await?;
    Ok(AppJson(SessionView::one(&updated, ctx.today)))
}

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_session, list_sessions))
        .routes(routes!(get_session, update_session))
}
