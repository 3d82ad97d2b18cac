//! Login, the current user and citizen self-registration.

use axum::{extract::State, http::StatusCode};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::AppState,
    auth::{AuthUser, Role},
    domain::validate::{Email, Password, PersonName, Phone, Username},
    error::{AppResult, parse_fields},
    http::extract::AppJson,
    service::users::{self, NewAccount},
    views::user::{LoginView, UserView},
};

/// Login body.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// `POST /api/v1/auth/login` (public): a token for a username and password. An unknown user and
/// a wrong password get the same 401 `invalid_credentials`.
#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = LoginView), (status = 401, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
async fn login(
    State(state): State<AppState>,
    AppJson(body): AppJson<LoginRequest>,
) -> AppResult<AppJson<LoginView>> {
    let now = state.clock.now();
    let (token, account) =
        users::login(&state.db.reader, &state.passwords, &state.jwt, &body.username, &body.password, now)
            .await?;
    Ok(AppJson(LoginView { token, expires_at: now + state.jwt.ttl(), user: account.into() }))
}

/// `GET /api/v1/auth/me` (any signed-in user): the current account.
#[utoipa::path(get, path = "/auth/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = UserView), (status = 401, body = crate::error::ErrorBody)))]
async fn me(State(state): State<AppState>, user: AuthUser) -> AppResult<AppJson<UserView>> {
    Ok(AppJson(users::find(&state.db.reader, user.id).await?.into()))
}

/// Citizen self-registration body.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RegisterRequest {
    pub username: String,
    pub password: String,
    pub full_name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// `POST /api/v1/auth/register` (public): a citizen creates an account to follow their petitions.
#[utoipa::path(post, path = "/auth/register", tag = "auth", request_body = RegisterRequest,
    responses((status = 201, body = UserView), (status = 409, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
async fn register(
    State(state): State<AppState>,
    AppJson(body): AppJson<RegisterRequest>,
) -> AppResult<(StatusCode, AppJson<UserView>)> {
    parse_fields! {
        username = "username" => Username::parse(&body.username);
        password = "password" => Password::parse(&body.password);
        full_name = "full_name" => PersonName::parse(&body.full_name);
        phone = "phone" => body.phone.as_deref().filter(|p| !p.trim().is_empty()).map(Phone::parse).transpose();
        email = "email" => body.email.as_deref().filter(|e| !e.trim().is_empty()).map(Email::parse).transpose();
    }
    let now = state.clock.now();
    let hash = state.passwords.hash(password.expose()).await?;
    let account = NewAccount {
        username,
        password,
        full_name,
        role: Role::Citizen,
        agency_id: None,
        unit_id: None,
        phone,
        email,
    };
    let created = users::create(&state.db.writer, account, hash, now).await?;
    Ok((StatusCode::CREATED, AppJson(created.into())))
}

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(login)).routes(routes!(me)).routes(routes!(register))
}
