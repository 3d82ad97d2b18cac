//! Login (a bearer token, and the browser's session cookie), sign-out, the current user and
//! citizen self-registration.

use axum::{
    extract::OriginalUri,
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    response::{IntoResponse, Response},
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::AppState,
    auth::cookie,
    domain::account::{LoginRequest, RegisterRequest, SessionMode},
    error::AppResult,
    http::extract::AppJson,
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
              (status = 401, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn login(
    ctx: Context<()>,
    headers: HeaderMap,
    uri: OriginalUri,
    AppJson(body): AppJson<LoginRequest>,
) -> AppResult<Response> {
    let mode = body.session;
    let session = users::login(&ctx, body).await?;
    let set = cookie::set(&session.token, ctx.jwt().ttl(), https(&headers, &uri));
    let mut view = LoginView::from(session);
    if mode == SessionMode::Cookie {
        view.token = None;
    }
    Ok(([(header::SET_COOKIE, set)], AppJson(view)).into_response())
}

/// `POST /api/v1/auth/logout` (anyone; a browser's request carries `X-Requested-With`): ends the
/// browser's session by removing its cookie; 204. Bearer tokens are not affected: they end when
/// they expire, or with a password change (issue 18 will revoke a sign-in by its token id).
#[utoipa::path(post, path = "/auth/logout", tag = "auth",
    responses((status = 204, description = "The session cookie is removed",
               headers(("set-cookie" = String, description = "`tiepdan_session` emptied"))),
              (status = 403, body = crate::error::ErrorBody)))]
async fn logout(method: Method, headers: HeaderMap, uri: OriginalUri) -> AppResult<Response> {
    cookie::check_same_site(&method, &headers)?;
    let clear: HeaderValue = cookie::clear(https(&headers, &uri));
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, clear)]).into_response())
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
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(register))
}
