//! Agencies known to this register (targets for forwarding, levels for competence).

use axum::{extract::State, http::StatusCode};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::AppState,
    auth::{AuthUser, Role},
    domain::{agency::AgencyLevel, validate::bounded_text},
    error::{AppResult, parse_fields},
    http::extract::{AppJson, AppPath, AppQuery, Page, PageParams},
    service::agencies,
    views::agency::AgencyView,
};

/// New agency.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateAgencyRequest {
    pub name: String,
    pub level: AgencyLevel,
    pub parent_id: Option<i64>,
}

/// `POST /api/v1/agencies` (admin): registers another People's Committee.
#[utoipa::path(post, path = "/agencies", tag = "agencies", security(("bearer" = [])), request_body = CreateAgencyRequest,
    responses((status = 201, body = AgencyView), (status = 403, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
async fn create_agency(
    State(state): State<AppState>,
    user: AuthUser,
    AppJson(body): AppJson<CreateAgencyRequest>,
) -> AppResult<(StatusCode, AppJson<AgencyView>)> {
    user.require_any(&[Role::Admin])?;
    parse_fields! {
        name = "name" => bounded_text(&body.name, 2, 200);
    }
    let created =
        agencies::create(&state.db.writer, name, body.level, body.parent_id, state.clock.now()).await?;
    Ok((StatusCode::CREATED, AppJson(created.into())))
}

/// `GET /api/v1/agencies` (staff): a page of every agency, oldest first.
#[utoipa::path(get, path = "/agencies", tag = "agencies", security(("bearer" = [])), params(PageParams),
    responses((status = 200, body = Page<AgencyView>), (status = 400, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody)))]
async fn list_agencies(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(q): AppQuery<PageParams>,
) -> AppResult<AppJson<Page<AgencyView>>> {
    user.require_staff()?;
    let page = q.checked()?;
    let (items, total) = agencies::list(&state.db.reader, page).await?;
    Ok(AppJson(Page::new(items.into_iter().map(AgencyView::from).collect(), total, page)))
}

/// `GET /api/v1/agencies/{id}` (staff).
#[utoipa::path(get, path = "/agencies/{id}", tag = "agencies", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Agency id")),
    responses((status = 200, body = AgencyView), (status = 404, body = crate::error::ErrorBody)))]
async fn get_agency(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(id): AppPath<i64>,
) -> AppResult<AppJson<AgencyView>> {
    user.require_staff()?;
    Ok(AppJson(agencies::get(&state.db.reader, id).await?.into()))
}

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create_agency, list_agencies)).routes(routes!(get_agency))
}
