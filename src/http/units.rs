//! Units of the caller's agency.

use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::AppState,
    auth::Role,
    domain::{
        agency::{CreateUnitRequest, UpdateUnitRequest},
        page::{Page, PageParams},
    },
    error::AppResult,
    http::extract::{AppJson, AppPath, AppQuery},
    service::{context::Ctx, units},
    views::unit::UnitView,
};

/// `POST /api/v1/units` (admin): creates a unit.
#[utoipa::path(post, path = "/units", tag = "units", security(("bearer" = [])), request_body = CreateUnitRequest,
    responses((status = 201, body = UnitView), (status = 403, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn create_unit(
    ctx: Ctx,
    AppJson(body): AppJson<CreateUnitRequest>,
) -> AppResult<(StatusCode, AppJson<UnitView>)> {
    ctx.user.require_any(&[Role::Admin])?;
    let created = units::create(&ctx, body).await?;
    Ok((StatusCode::CREATED, AppJson(created.into())))
}

/// Which agency's units to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListUnitsQuery {
    /// Another agency (admin only).
    pub agency_id: Option<i64>,
    /// Page number, from 1.
    pub page: Option<u64>,
    /// Items per page, 1 to 200 (default 50).
    pub per_page: Option<u64>,
}

/// `GET /api/v1/units` (staff): a page of the units of the caller's agency, by name.
#[utoipa::path(get, path = "/units", tag = "units", security(("bearer" = [])), params(ListUnitsQuery),
    responses((status = 200, body = Page<UnitView>), (status = 400, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody)))]
async fn list_units(ctx: Ctx, AppQuery(q): AppQuery<ListUnitsQuery>) -> AppResult<AppJson<Page<UnitView>>> {
    ctx.user.require_staff()?;
    let page = PageParams::of(q.page, q.per_page);
    Ok(AppJson(units::list(&ctx, q.agency_id, page).await?.map(UnitView::from)))
}

/// `GET /api/v1/units/{id}` (staff of the agency).
#[utoipa::path(get, path = "/units/{id}", tag = "units", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Unit id")),
    responses((status = 200, body = UnitView), (status = 404, body = crate::error::ErrorBody)))]
async fn get_unit(ctx: Ctx, AppPath(id): AppPath<i64>) -> AppResult<AppJson<UnitView>> {
    ctx.user.require_staff()?;
    Ok(AppJson(units::get(&ctx, id).await?.into()))
}

/// `PATCH /api/v1/units/{id}` (admin): renames or recodes a unit.
#[utoipa::path(patch, path = "/units/{id}", tag = "units", security(("bearer" = [])), request_body = UpdateUnitRequest,
    params(("id" = i64, Path, description = "Unit id")),
    responses((status = 200, body = UnitView), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
async fn update_unit(
    ctx: Ctx,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<UpdateUnitRequest>,
) -> AppResult<AppJson<UnitView>> {
    ctx.user.require_any(&[Role::Admin])?;
    Ok(AppJson(units::update(&ctx, id, body).await?.into()))
}

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create_unit, list_units)).routes(routes!(get_unit, update_unit))
}
