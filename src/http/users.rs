//! Staff accounts, managed by the admin.

use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::AppState,
    auth::Role,
    domain::{
        account::{CreateUserRequest, ListUsersQuery, PasswordRequest, UpdateUserRequest},
        page::Page,
    },
    error::AppResult,
    http::extract::{AppJson, AppPath, AppQuery},
    service::{context::Ctx, users},
    views::user::UserView,
};

/// `POST /api/v1/users` (admin): creates a staff account.
#[utoipa::path(post, path = "/users", tag = "users", security(("bearer" = [])), request_body = CreateUserRequest,
    responses((status = 201, body = UserView), (status = 403, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn create_user(
    ctx: Ctx,
    AppJson(body): AppJson<CreateUserRequest>,
) -> AppResult<(StatusCode, AppJson<UserView>)> {
    ctx.user.require_any(&[Role::Admin])?;
    let created = users::create(&ctx, body).await?;
    Ok((StatusCode::CREATED, AppJson(created.into())))
}

/// `GET /api/v1/users` (admin, chairman, unit_head): staff of the caller's agency.
#[utoipa::path(get, path = "/users", tag = "users", security(("bearer" = [])), params(ListUsersQuery),
    responses((status = 200, body = Page<UserView>), (status = 403, body = crate::error::ErrorBody)))]
async fn list_users(ctx: Ctx, AppQuery(q): AppQuery<ListUsersQuery>) -> AppResult<AppJson<Page<UserView>>> {
    ctx.user.require_any(&[Role::Admin, Role::Chairman, Role::UnitHead])?;
    Ok(AppJson(users::list(&ctx, q).await?.map(UserView::from)))
}

/// `GET /api/v1/users/{id}` (the user; admin; staff of the same agency).
#[utoipa::path(get, path = "/users/{id}", tag = "users", security(("bearer" = [])),
    params(("id" = i64, Path, description = "User id")),
    responses((status = 200, body = UserView), (status = 404, body = crate::error::ErrorBody)))]
async fn get_user(ctx: Ctx, AppPath(id): AppPath<i64>) -> AppResult<AppJson<UserView>> {
    Ok(AppJson(users::get(&ctx, id).await?.into()))
}

/// `PATCH /api/v1/users/{id}` (admin): rename, change role or unit, (de)activate. A deactivated
/// account's tokens stop working at once.
#[utoipa::path(patch, path = "/users/{id}", tag = "users", security(("bearer" = [])), request_body = UpdateUserRequest,
    params(("id" = i64, Path, description = "User id")),
    responses((status = 200, body = UserView), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
async fn update_user(
    ctx: Ctx,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<UpdateUserRequest>,
) -> AppResult<AppJson<UserView>> {
    ctx.user.require_any(&[Role::Admin])?;
    Ok(AppJson(users::update(&ctx, id, body).await?.into()))
}

/// `POST /api/v1/users/{id}/password` (admin: reset; the user: change with the old password).
/// Every token issued before stops working.
#[utoipa::path(post, path = "/users/{id}/password", tag = "users", security(("bearer" = [])), request_body = PasswordRequest,
    params(("id" = i64, Path, description = "User id")),
    responses((status = 204), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
async fn set_password(
    ctx: Ctx,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<PasswordRequest>,
) -> AppResult<StatusCode> {
    users::set_password(&ctx, id, body).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_user, list_users))
        .routes(routes!(get_user, update_user))
        .routes(routes!(set_password))
}
