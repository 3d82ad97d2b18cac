//! Units of the caller's agency.

use axum::{extract::State, http::StatusCode};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::AppState,
    auth::{AuthUser, Role},
    domain::validate::{Code, bounded_text},
    error::{AppResult, parse_fields},
    http::extract::{AppJson, AppPath, AppQuery, Page, PageParams},
    service::units,
    views::unit::UnitView,
};

/// New unit.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateUnitRequest {
    pub name: String,
    pub code: String,
    /// Another agency (admin only; defaults to the admin's own).
    pub agency_id: Option<i64>,
}

/// `POST /api/v1/units` (admin): creates a unit.
#[utoipa::path(post, path = "/units", tag = "units", security(("bearer" = [])), request_body = CreateUnitRequest,
    responses((status = 201, body = UnitView), (status = 403, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn create_unit(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(body): AppJson<CreateUnitRequest>,
) -> AppResult<(StatusCode, AppJson<UnitView>)> {
    user.require_any(&[Role::Admin])?;
    parse_fields! {
        name = "name" => bounded_text(&body.name, 2, 200);
        code = "code" => Code::parse(&body.code);
    }
    let agency = match body.agency_id {
        Some(id) => {
            crate::service::agencies::get(&state.db.reader, id)
                .await
                .map_err(|_| crate::error::AppError::field("agency_id", "Cơ quan không tồn tại."))?
                .id
        }
        None => user.require_staff()?,
    };
    let created = units::create(&state.db.writer, agency, name, code, state.clock.now()).await?;
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
async fn list_units(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(q): AppQuery<ListUnitsQuery>,
) -> AppResult<AppJson<Page<UnitView>>> {
    let own = user.require_staff()?;
    let page = PageParams { page: q.page, per_page: q.per_page }.checked()?;
    let agency = if user.is(Role::Admin) { q.agency_id.unwrap_or(own) } else { own };
    let (items, total) = units::list(&state.db.reader, agency, page).await?;
    Ok(AppJson(Page::new(items.into_iter().map(UnitView::from).collect(), total, page)))
}

/// `GET /api/v1/units/{id}` (staff of the agency).
#[utoipa::path(get, path = "/units/{id}", tag = "units", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Unit id")),
    responses((status = 200, body = UnitView), (status = 404, body = crate::error::ErrorBody)))]
async fn get_unit(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
) -> AppResult<AppJson<UnitView>> {
    let agency = user.require_staff()?;
    Ok(AppJson(units::get(&state.db.reader, agency, id).await?.into()))
}

/// Changes to a unit.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateUnitRequest {
    pub name: Option<String>,
    pub code: Option<String>,
}

/// `PATCH /api/v1/units/{id}` (admin): renames or recodes a unit.
#[utoipa::path(patch, path = "/units/{id}", tag = "units", security(("bearer" = [])), request_body = UpdateUnitRequest,
    params(("id" = i64, Path, description = "Unit id")),
    responses((status = 200, body = UnitView), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
async fn update_unit(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<UpdateUnitRequest>,
) -> AppResult<AppJson<UnitView>> {
    user.require_any(&[Role::Admin])?;
    let agency = user.require_staff()?;
    parse_fields! {
        name = "name" => body.name.as_deref().map(|n| bounded_text(n, 2, 200)).transpose();
        code = "code" => body.code.as_deref().map(Code::parse).transpose();
    }
    Ok(AppJson(units::update(&state.db.writer, agency, id, name, code).await?.into()))
}

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create_unit, list_units)).routes(routes!(get_unit, update_unit))
}
