//! The current user, from `Authorization: Bearer <JWT>` (API clients) or the browser's session
//! cookie (`auth::cookie`, which also guards cookie-authenticated unsafe requests against other
//! sites). The account is read on every request so that deactivation, a password reset or a role
//! change takes effect at once, on every server.

use axum::{extract::FromRequestParts, http::request::Parts};
use sea_orm::EntityTrait;

use super::cookie;
use crate::{
    app::AppState,
    domain::role::Role,
    entity::{revoked_token, user},
    error::{AppError, AppResult},
};

/// An authenticated, active user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthUser {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub role: Role,
    pub agency_id: Option<i64>,
    pub unit_id: Option<i64>,
}

impl AuthUser {
    /// 403 unless the user has one of `roles`.
    pub fn require_any(&self, roles: &[Role]) -> AppResult<()> {
        if roles.contains(&self.role) { Ok(()) } else { Err(AppError::Forbidden) }
    }

    /// 403 unless the user is staff of an agency; returns that agency.
    pub fn require_staff(&self) -> AppResult<i64> {
        match (self.role.is_staff(), self.agency_id) {
            (true, Some(agency)) => Ok(agency),
            _ => Err(AppError::Forbidden),
        }
    }

    /// Whether the user has `role`.
    pub fn is(&self, role: Role) -> bool {
        self.role == role
    }

    /// Builds the current user from an account row, refusing inactive ones.
    pub fn from_account(account: user::Model) -> AppResult<Self> {
        if !account.active {
            return Err(AppError::unauthorized("account_disabled", "Tài khoản đã bị khóa."));
        }
        Ok(Self {
            id: account.id,
            username: account.username,
            full_name: account.full_name,
            role: account.role,
            agency_id: account.agency_id,
            unit_id: account.unit_id,
        })
    }
}

fn missing() -> AppError {
    AppError::unauthorized("missing_token", "Cần đăng nhập (thiếu mã xác thực Bearer hoặc phiên đăng nhập).")
}

/// How a request says who it is: a bearer token (API clients), or the browser's session cookie.
enum Credential<'a> {
    Bearer(&'a str),
    Cookie(&'a str),
}

fn bearer(parts: &Parts) -> Option<Result<&str, AppError>> {
    bearer_in(&parts.headers)
}

/// The bearer token of an `Authorization` header, if there is one (an error if it is malformed).
pub fn bearer_in(headers: &axum::http::HeaderMap) -> Option<Result<&str, AppError>> {
    let header = headers.get(axum::http::header::AUTHORIZATION)?;
    let value = match header.to_str() {
        Ok(v) => v.trim(),
        Err(_) => return Some(Err(missing())),
    };
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty());
    Some(token.ok_or_else(missing))
}

/// The request's credential: the `Authorization` header when there is one (a bad one is not
/// replaced by the cookie), else the session cookie.
fn credential(parts: &Parts) -> Option<Result<Credential<'_>, AppError>> {
    match bearer(parts) {
        Some(token) => Some(token.map(Credential::Bearer)),
        None => cookie::token(&parts.headers).map(|t| Ok(Credential::Cookie(t))),
    }
}

async fn authenticate(token: &str, state: &AppState) -> AppResult<AuthUser> {
    let claims = state.jwt.verify(token, state.clock.now())?;
    let invalid = || AppError::unauthorized("invalid_token", "Phiên đăng nhập không hợp lệ.");
    let id: i64 = claims.sub.parse().map_err(|_| invalid())?;
    let account = user::Entity::find_by_id(id).one(&state.db.reader).await?.ok_or_else(invalid)?;
    // A token signed out is refused until it would have expired; every token this version issues
    // has an id to sign it out by.
    let jti = claims.jti.as_deref().ok_or_else(invalid)?;
    if revoked_token::Entity::find_by_id(jti.to_owned()).one(&state.db.reader).await?.is_some() {
        return Err(AppError::unauthorized(
            "token_revoked",
            "Phiên đăng nhập đã kết thúc, vui lòng đăng nhập lại.",
        ));
    }
    if account.token_version != claims.ver {
        return Err(AppError::unauthorized(
            "token_revoked",
            "Phiên đăng nhập đã bị thu hồi, vui lòng đăng nhập lại.",
        ));
    }
    // A citizen's name is kept sealed; the session's user carries it opened.
    AuthUser::from_account(crate::service::identity::open_account(&state.keys.data, account)?)
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(user) = parts.extensions.get::<AuthUser>() {
            return Ok(user.clone());
        }
        let user = match credential(parts).ok_or_else(missing)?? {
            Credential::Bearer(token) => authenticate(token, state).await?,
            Credential::Cookie(token) => {
                cookie::check_same_site(&parts.method, &parts.headers)?;
                authenticate(token, state).await?
            }
        };
        parts.extensions.insert(user.clone());
        Ok(user)
    }
}

/// The current user when a credential is given, or nobody. A bad bearer token is still a 401; a
/// session cookie that no longer holds (expired, revoked) or that comes with an unsafe request
/// lacking the site's marks counts as nobody, so that the public pages keep working for a browser
/// whose sign-in has lapsed.
#[derive(Debug, Clone)]
pub struct MaybeAuthUser(pub Option<AuthUser>);

impl FromRequestParts<AppState> for MaybeAuthUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match credential(parts) {
            None => Ok(Self(None)),
            Some(Ok(Credential::Cookie(token))) => {
                if cookie::check_same_site(&parts.method, &parts.headers).is_err() {
                    return Ok(Self(None));
                }
                let user = authenticate(token, state).await.ok();
                if let Some(user) = &user {
                    parts.extensions.insert(user.clone());
                }
                Ok(Self(user))
            }
            Some(_) => AuthUser::from_request_parts(parts, state).await.map(|u| Self(Some(u))),
        }
    }
}
