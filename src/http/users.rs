//! Staff accounts, managed by the admin.

use axum::{extract::State, http::StatusCode};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::AppState,
    auth::{AuthUser, Role},
    domain::validate::{Email, Password, PersonName, Phone, Username},
    error::{AppError, AppResult, parse_fields},
    http::extract::{AppJson, AppPath, AppQuery, Page, PageParams, double_option},
    service::users::{self, AccountChanges, NewAccount, UserFilter},
    views::user::UserView,
};

/// New staff account.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateUserRequest {
    pub username: String,
    pub password: String,
    pub full_name: String,
    pub role: Role,
    pub unit_id: Option<i64>,
    /// The agency (admin only; defaults to the admin's own).
    pub agency_id: Option<i64>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// `POST /api/v1/users` (admin): creates a staff account.
#[utoipa::path(post, path = "/users", tag = "users", security(("bearer" = [])), request_body = CreateUserRequest,
    responses((status = 201, body = UserView), (status = 403, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn create_user(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(body): AppJson<CreateUserRequest>,
) -> AppResult<(StatusCode, AppJson<UserView>)> {
    user.require_any(&[Role::Admin])?;
    parse_fields! {
        username = "username" => Username::parse(&body.username);
        password = "password" => Password::parse(&body.password);
        full_name = "full_name" => PersonName::parse(&body.full_name);
        phone = "phone" => body.phone.as_deref().filter(|p| !p.trim().is_empty()).map(Phone::parse).transpose();
        email = "email" => body.email.as_deref().filter(|e| !e.trim().is_empty()).map(Email::parse).transpose();
    }
    let agency_id = if body.role.is_staff() { body.agency_id.or(user.agency_id) } else { None };
    if let Some(agency) = agency_id {
        crate::service::agencies::find(&state.db.reader, agency)
            .await
            .map_err(|_| AppError::field("agency_id", "Cơ quan không tồn tại."))?;
    }
    let now = state.clock.now();
    let hash = state.passwords.hash(password.expose()).await?;
    let account = NewAccount {
        username,
        password,
        full_name,
        role: body.role,
        agency_id,
        unit_id: body.unit_id,
        phone,
        email,
    };
    let created = users::create(&state.db.writer, account, hash, now).await?;
    Ok((StatusCode::CREATED, AppJson(created.into())))
}

/// Filters of the staff list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListUsersQuery {
    pub role: Option<Role>,
    pub unit_id: Option<i64>,
    /// Another agency (admin only).
    pub agency_id: Option<i64>,
    pub active: Option<bool>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

/// `GET /api/v1/users` (admin, chairman, unit_head): staff of the caller's agency.
#[utoipa::path(get, path = "/users", tag = "users", security(("bearer" = [])), params(ListUsersQuery),
    responses((status = 200, body = Page<UserView>), (status = 403, body = crate::error::ErrorBody)))]
async fn list_users(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(q): AppQuery<ListUsersQuery>,
) -> AppResult<AppJson<Page<UserView>>> {
    user.require_any(&[Role::Admin, Role::Chairman, Role::UnitHead])?;
    let page = PageParams { page: q.page, per_page: q.per_page }.checked()?;
    let filter = UserFilter { role: q.role, unit_id: q.unit_id, agency_id: q.agency_id, active: q.active };
    let (items, total) = users::list(&state.db.reader, &user, filter, page).await?;
    Ok(AppJson(Page::new(items.into_iter().map(UserView::from).collect(), total, page)))
}

/// `GET /api/v1/users/{id}` (the user; admin; staff of the same agency).
#[utoipa::path(get, path = "/users/{id}", tag = "users", security(("bearer" = [])),
    params(("id" = i64, Path, description = "User id")),
    responses((status = 200, body = UserView), (status = 404, body = crate::error::ErrorBody)))]
async fn get_user(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
) -> AppResult<AppJson<UserView>> {
    Ok(AppJson(users::get(&state.db.reader, &user, id).await?.into()))
}

/// Changes to an account; each field is optional, `unit_id: null` clears the unit.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateUserRequest {
    pub full_name: Option<String>,
    pub role: Option<Role>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub unit_id: Option<Option<i64>>,
    pub active: Option<bool>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
}

/// `PATCH /api/v1/users/{id}` (admin): rename, change role or unit, (de)activate. A deactivated
/// account's tokens stop working at once.
#[utoipa::path(patch, path = "/users/{id}", tag = "users", security(("bearer" = [])), request_body = UpdateUserRequest,
    params(("id" = i64, Path, description = "User id")),
    responses((status = 200, body = UserView), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
async fn update_user(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<UpdateUserRequest>,
) -> AppResult<AppJson<UserView>> {
    user.require_any(&[Role::Admin])?;
    parse_fields! {
        full_name = "full_name" => body.full_name.as_deref().map(PersonName::parse).transpose();
        phone = "phone" => body.phone.map(|p| p.as_deref().filter(|p| !p.trim().is_empty()).map(Phone::parse).transpose()).transpose();
        email = "email" => body.email.map(|e| e.as_deref().filter(|e| !e.trim().is_empty()).map(Email::parse).transpose()).transpose();
    }
    let changes = AccountChanges {
        full_name,
        role: body.role,
        unit_id: body.unit_id,
        active: body.active,
        phone,
        email,
    };
    Ok(AppJson(users::update(&state.db.writer, id, changes, state.clock.now()).await?.into()))
}

/// A new password: the user gives the old one; an admin resetting someone else's does not.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordRequest {
    pub old_password: Option<String>,
    #[serde(alias = "password")]
    pub new_password: String,
}

/// `POST /api/v1/users/{id}/password` (admin: reset; the user: change with the old password).
/// Every token issued before stops working.
#[utoipa::path(post, path = "/users/{id}/password", tag = "users", security(("bearer" = [])), request_body = PasswordRequest,
    params(("id" = i64, Path, description = "User id")),
    responses((status = 204), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
async fn set_password(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<PasswordRequest>,
) -> AppResult<StatusCode> {
    let is_self = user.id == id;
    if !is_self {
        user.require_any(&[Role::Admin])?;
    }
    parse_fields! {
        password = "new_password" => Password::parse(&body.new_password);
    }
    let target = users::find(&state.db.reader, id).await?;
    if is_self {
        let old = body.old_password.as_deref().unwrap_or_default();
        if !state.passwords.verify(old, Some(&target.password_hash)).await? {
            return Err(AppError::field("old_password", "Mật khẩu hiện tại không đúng."));
        }
    }
    let hash = state.passwords.hash(password.expose()).await?;
    users::set_password_hash(&state.db.writer, id, hash, state.clock.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_user, list_users))
        .routes(routes!(get_user, update_user))
        .routes(routes!(set_password))
}
