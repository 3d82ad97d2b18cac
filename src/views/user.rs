//! How an account is shown.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{domain::role::Role, entity::user, service::users::Session};

/// An account, without its password hash.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserView {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub role: Role,
    /// The agency of staff; `null` for citizens.
    pub agency_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

impl From<user::Model> for UserView {
    fn from(m: user::Model) -> Self {
        Self {
            id: m.id,
            username: m.username,
            full_name: m.full_name,
            role: m.role,
            agency_id: m.agency_id,
            unit_id: m.unit_id,
            phone: m.phone,
            email: m.email,
            active: m.active,
            created_at: m.created_at,
        }
    }
}

/// The answer to a successful login.
#[derive(Debug, Serialize, ToSchema)]
pub struct LoginView {
    /// Bearer token for the `Authorization` header; absent when the login asked for
    /// `"session": "cookie"` (the browser's `HttpOnly` cookie holds it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// When the token stops working.
    pub expires_at: DateTime<Utc>,
    pub user: UserView,
}

impl From<Session> for LoginView {
    fn from(s: Session) -> Self {
        Self { token: Some(s.token), expires_at: s.expires_at, user: s.account.into() }
    }
}
