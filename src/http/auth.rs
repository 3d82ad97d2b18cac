//! Login, the current user and citizen self-registration.

use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::AppState,
    domain::account::{LoginRequest, RegisterRequest},
    error::AppResult,
    http::extract::AppJson,
    service::{
        context::{Context, Ctx},
        users,
    },
    views::user::{LoginView, UserView},
};

/// `POST /api/v1/auth/login` (public): a token for a username and password. An unknown user and
/// a wrong password get the same 401 `invalid_credentials`.
#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = LoginView), (status = 401, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
async fn login(ctx: Context<()>, AppJson(body): AppJson<LoginRequest>) -> AppResult<AppJson<LoginView>> {
    Ok(AppJson(users::login(&ctx, body).await?.into()))
}

/// `GET /api/v1/auth/me` (any signed-in user): the current account.
#[utoipa::path(get, path = "/auth/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = UserView), (status = 401, body = crate::error::ErrorBody)))]
async fn me(ctx: Ctx) -> AppResult<AppJson<UserView>> {
    Ok(AppJson(users::me(&ctx).await?.into()))
}

/// `POST /api/v1/auth/register` (public): a citizen creates an account to follow their petitions.
#[utoipa::path(post, path = "/auth/register", tag = "auth", request_body = RegisterRequest,
    responses((status = 201, body = UserView), (status = 409, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
async fn register(
    ctx: Context<()>,
    AppJson(body): AppJson<RegisterRequest>,
) -> AppResult<(StatusCode, AppJson<UserView>)> {
    let created = users::register(&ctx, body).await?;
    Ok((StatusCode::CREATED, AppJson(created.into())))
}

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(login)).routes(routes!(me)).routes(routes!(register))
}
