//! A signed-in citizen's own things.

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::AppState,
    auth::Role,
    domain::page::{KeysetParams, Page},
    error::AppResult,
    http::extract::{AppJson, AppQuery},
    service::{context::Ctx, petitions::public},
    views::petition::MyPetitionView,
};

/// `GET /api/v1/my/petitions` (citizen): the petitions filed while signed in, newest first
/// (`after=`: the page after the `next_after` of the page before).
#[utoipa::path(get, path = "/my/petitions", tag = "public", security(("bearer" = [])), params(KeysetParams),
    responses((status = 200, body = Page<MyPetitionView>), (status = 403, body = crate::error::ErrorBody)))]
async fn my_petitions(
    ctx: Ctx,
    AppQuery(q): AppQuery<KeysetParams>,
) -> AppResult<AppJson<Page<MyPetitionView>>> {
    ctx.user.require_any(&[Role::Citizen])?;
    Ok(AppJson(public::mine(&ctx, q).await?.map(MyPetitionView::from)))
}

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(my_petitions))
}
