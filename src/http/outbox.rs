//! The outbox of messages (issue 17): where each one stands, for the administrator.

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::AppState,
    error::AppResult,
    http::extract::{AppJson, AppQuery},
    service::{
        context::Ctx,
        notifications::{self, OutboxItem, OutboxQuery},
    },
};

/// `GET /api/v1/outbox?status=&before=&per_page=` (admin): the messages to citizens and staff,
/// newest first: channel, kind, case, masked recipient, status, attempts, the last error, when
/// sent. Never what they say.
#[utoipa::path(get, path = "/outbox", tag = "oversight", security(("bearer" = [])), params(OutboxQuery),
    responses((status = 200, body = Vec<OutboxItem>), (status = 400, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody)))]
async fn outbox(ctx: Ctx, AppQuery(q): AppQuery<OutboxQuery>) -> AppResult<AppJson<Vec<OutboxItem>>> {
    Ok(AppJson(notifications::list(&ctx, q).await?))
}

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(outbox))
}
