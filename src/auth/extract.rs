//! The current user, from `Authorization: Bearer <JWT>`. The account is read on every request so
//! that deactivation, a password reset or a role change takes effect at once, on every server.

use axum::{extract::FromRequestParts, http::request::Parts};
use sea_orm::EntityTrait;

use crate::{
    app::AppState,
    domain::role::Role,
    entity::user,
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
    AppError::unauthorized("missing_token", "Cần đăng nhập (thiếu mã xác thực Bearer).")
}

fn bearer(parts: &Parts) -> Option<Result<&str, AppError>> {
    let header = parts.headers.get(axum::http::header::AUTHORIZATION)?;
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

async fn authenticate(token: &str, state: &AppState) -> AppResult<AuthUser> {
    let claims = state.jwt.verify(token, state.clock.now())?;
    let invalid = || AppError::unauthorized("invalid_token", "Phiên đăng nhập không hợp lệ.");
    let id: i64 = claims.sub.parse().map_err(|_| invalid())?;
    let account = user::Entity::find_by_id(id).one(&state.db.reader).await?.ok_or_else(invalid)?;
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
        let token = bearer(parts).ok_or_else(missing)??;
        let user = authenticate(token, state).await?;
        parts.extensions.insert(user.clone());
        Ok(user)
    }
}

/// The current user when a token is given (a bad token is still a 401), or nobody.
#[derive(Debug, Clone)]
pub struct MaybeAuthUser(pub Option<AuthUser>);

impl FromRequestParts<AppState> for MaybeAuthUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match bearer(parts) {
            None => Ok(Self(None)),
            Some(_) => AuthUser::from_request_parts(parts, state).await.map(|u| Self(Some(u))),
        }
    }
}
