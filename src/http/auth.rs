//! Login (a bearer token, and the browser's session cookie), sign-out, the current user and
//! citizen self-registration.

use axum::{
    extract::{OriginalUri, State},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    response::{IntoResponse, Response},
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::AppState,
    auth::{cookie, extract::bearer_in},
    domain::account::{LoginRequest, RegisterRequest, SessionMode},
    error::AppResult,
    http::{extract::AppJson, rate_limit::ClientIp},
    service::{
        context::{Context, Ctx},
        users,
    },
    views::user::{LoginView, UserView},
};

/// Whether the request came over HTTPS (then the cookie is `Secure`).
fn https(headers: &HeaderMap, uri: &OriginalUri) -> bool {
    cookie::is_https(headers, uri.scheme_str())
}

/// `POST /api/v1/auth/login` (public): a token for a username and password, in the body (unless
/// `"session": "cookie"`) and in the `HttpOnly`, `SameSite=Strict` session cookie (`Secure` over
/// HTTPS) that the browser sends from every tab. An unknown user and a wrong password get the same
/// 401 `invalid_credentials`.
#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = LoginView, headers(("set-cookie" = String, description = "The session cookie `tiepdan_session`"))),
              (status = 401, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody),
              (status = 429, body = crate::error::ErrorBody, description = "`too_many_attempts`: five wrong passwords for the account, or ten from the address, within 15 minutes; `Retry-After` says when to try again")))]
async fn login(
    ctx: Context<()>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    uri: OriginalUri,
    AppJson(body): AppJson<LoginRequest>,
) -> AppResult<Response> {
    let mode = body.session;
    let session = users::login(&ctx, body, client).await?;
    let set = cookie::set(&session.token, ctx.jwt().ttl(), https(&headers, &uri));
    let mut view = LoginView::from(session);
    if mode == SessionMode::Cookie {
        view.token = None;
    }
    Ok(([(header::SET_COOKIE, set)], AppJson(view)).into_response())
}

/// `POST /api/v1/auth/logout` (anyone): ends the sign-in the request carries, a bearer token or
/// the browser's session cookie (whose request carries `X-Requested-With`), and removes the
/// cookie; 204. The token is refused from then on, by every server (`token_revoked`).
#[utoipa::path(post, path = "/auth/logout", tag = "auth",
    responses((status = 204, description = "The sign-in is ended and the session cookie removed",
               headers(("set-cookie" = String, description = "`tiepdan_session` emptied"))),
              (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
async fn logout(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    uri: OriginalUri,
) -> AppResult<Response> {
    let token = match bearer_in(&headers) {
        Some(token) => Some(token?),
        None => {
            cookie::check_same_site(&method, &headers)?;
            cookie::token(&headers)
        }
    };
    if let Some(token) = token {
        users::sign_out(&state.db.writer, &state.jwt, token, state.clock.now()).await?;
    }
    let clear: HeaderValue = cookie::clear(https(&headers, &uri));
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, clear)]).into_response())
}

/// `GET /api/v1/auth/me` (any signed-in user): the current account.
#[utoipa::path(get, path = "/auth/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = UserView), (status = 401, body = crate::error::ErrorBody)))]
async fn me(ctx: Ctx) -> AppResult<AppJson<UserView>> {
    Ok(AppJson(users::me(&ctx).await?.into()))
}

/// `POST /api/v1/auth/register` (public): a citizen creates an account to follow their petitions;
/// a client address registers at most `TIEPDAN_REGISTRATIONS_PER_HOUR` accounts an hour.
#[utoipa::path(post, path = "/auth/register", tag = "auth", request_body = RegisterRequest,
    responses((status = 201, body = UserView), (status = 409, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody), (status = 429, body = crate::error::ErrorBody)))]
async fn register(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    ctx: Context<()>,
    AppJson(body): AppJson<RegisterRequest>,
) -> AppResult<(StatusCode, AppJson<UserView>)> {
    state.limits.registration.check(client)?;
    let created = users::register(&ctx, body).await?;
    Ok((StatusCode::CREATED, AppJson(created.into())))
}

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(register))
}
