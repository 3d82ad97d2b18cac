//! A signed-in citizen's own things.

use axum::extract::State;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::AppState,
    auth::Role,
    domain::{
        page::{KeysetParams, Page},
        petition::portal::ClaimRequest,
    },
    error::AppResult,
    http::{
        extract::{AppJson, AppQuery},
        rate_limit::ClientIp,
    },
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

/// `POST /api/v1/my/petitions/claim` (citizen) `{"tracking_code","contact"}`: a petition filed on
/// the portal before the citizen had an account joins their list, when `contact` is the phone or
/// e-mail it was filed with; 404 for any mismatch. Rate-limited like the portal's look-ups.
#[utoipa::path(post, path = "/my/petitions/claim", tag = "public", security(("bearer" = [])),
    request_body = ClaimRequest,
    responses((status = 200, body = MyPetitionView), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody), (status = 429, body = crate::error::ErrorBody)))]
async fn claim(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ctx: Ctx,
    AppJson(form): AppJson<ClaimRequest>,
) -> AppResult<AppJson<MyPetitionView>> {
    ctx.user.require_any(&[Role::Citizen])?;
    state.limits.public_lookup.check(ip)?;
    let case = public::claim(&ctx, form).await?;
    let due = public::public_due(&case);
    Ok(AppJson(MyPetitionView::from(public::OwnPetition { case, due })))
}

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(my_petitions)).routes(routes!(claim))
}
