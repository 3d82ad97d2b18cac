//! Agencies known to this register (targets for forwarding, levels for competence).

use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::AppState,
    auth::Role,
    domain::{
        agency::CreateAgencyRequest,
        page::{Page, PageParams},
    },
    error::AppResult,
    http::extract::{AppJson, AppPath, AppQuery},
    service::{agencies, context::Ctx},
    views::agency::AgencyView,
};

/// `POST /api/v1/agencies` (admin): registers another People's Committee.
#[utoipa::path(post, path = "/agencies", tag = "agencies", security(("bearer" = [])), request_body = CreateAgencyRequest,
    responses((status = 201, body = AgencyView), (status = 403, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
async fn create_agency(
    ctx: Ctx,
    AppJson(body): AppJson<CreateAgencyRequest>,
) -> AppResult<(StatusCode, AppJson<AgencyView>)> {
    ctx.user.require_any(&[Role::Admin])?;
    let created = agencies::create(&ctx, body).await?;
    Ok((StatusCode::CREATED, AppJson(created.into())))
}

/// `GET /api/v1/agencies` (staff): a page of every agency, oldest first.
#[utoipa::path(get, path = "/agencies", tag = "agencies", security(("bearer" = [])), params(PageParams),
    responses((status = 200, body = Page<AgencyView>), (status = 400, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody)))]
async fn list_agencies(ctx: Ctx, AppQuery(q): AppQuery<PageParams>) -> AppResult<AppJson<Page<AgencyView>>> {
    ctx.user.require_staff()?;
    Ok(AppJson(agencies::list(&ctx, q).await?.map(AgencyView::from)))
}

/// `GET /api/v1/agencies/{id}` (staff).
#[utoipa::path(get, path = "/agencies/{id}", tag = "agencies", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Agency id")),
    responses((status = 200, body = AgencyView), (status = 404, body = crate::error::ErrorBody)))]
async fn get_agency(ctx: Ctx, AppPath(id): AppPath<i64>) -> AppResult<AppJson<AgencyView>> {
    ctx.user.require_staff()?;
    Ok(AppJson(agencies::get(&ctx, id).await?.into()))
}

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create_agency, list_agencies)).routes(routes!(get_agency))
}
