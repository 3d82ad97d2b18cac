//! `GET /health`: 200 once the database answers.

use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::AppState,
    error::AppResult,
    http::extract::AppJson,
    service::{context::Context, health},
};

/// The health answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: &'static str,
}

/// `GET /health` (public): the server is up and its database answers.
#[utoipa::path(get, path = "/health", tag = "system",
    responses((status = 200, body = Health), (status = 500, body = crate::error::ErrorBody)))]
async fn health(ctx: Context<()>) -> AppResult<AppJson<Health>> {
    health::check(&ctx).await?;
    Ok(AppJson(Health { status: "ok" }))
}

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(health))
}
