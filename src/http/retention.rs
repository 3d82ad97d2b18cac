//! Retention (issue 18; TT 05/2021 Art. 28(2)): the archived cases due for destruction, their
//! destruction on the head's decision, and the register of destroyed cases.

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::AppState,
    domain::{
        page::Page,
        retention::{DestructionRequest, RetentionQuery},
    },
    error::AppResult,
    http::extract::{AppJson, AppQuery},
    service::{context::Ctx, retention},
    views::retention::{DestroyedLineView, DestructionView, DueCaseView},
};

/// `GET /api/v1/retention/due?per_page=&after=` (chairman, admin): the agency's archived cases
/// whose year of keeping has ended, the longest due first, paged by cursor (`next_after`).
#[utoipa::path(get, path = "/retention/due", tag = "retention", security(("bearer" = [])), params(RetentionQuery),
    responses((status = 200, body = Page<DueCaseView>), (status = 400, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody)))]
async fn due(ctx: Ctx, AppQuery(q): AppQuery<RetentionQuery>) -> AppResult<AppJson<Page<DueCaseView>>> {
    ctx.user.require_any(&retention::HEADS)?;
    Ok(AppJson(retention::due(&ctx, q).await?.map(DueCaseView::from)))
}

/// `POST /api/v1/retention/destructions` (chairman, admin) `{"decision_no","decision_on",
/// "petition_ids"}`: destroys the cases the head's decision names, all or none, each with a
/// `destroyed` event in its trail; 409 `not_due` (naming each case and why) when one is not due,
/// 404 for a case of another agency.
#[utoipa::path(post, path = "/retention/destructions", tag = "retention", security(("bearer" = [])),
    request_body = DestructionRequest,
    responses((status = 200, body = DestructionView), (status = 400, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn destroy(
    ctx: Ctx,
    AppJson(body): AppJson<DestructionRequest>,
) -> AppResult<AppJson<DestructionView>> {
    ctx.user.require_any(&retention::HEADS)?;
    let (lines, names) = retention::destroy(&ctx, body).await?;
    Ok(AppJson(DestructionView {
        destroyed: lines.into_iter().map(|l| DestroyedLineView::of(l, &names)).collect(),
    }))
}

/// `GET /api/v1/retention/destroyed?per_page=&after=` (chairman, admin): the register of the
/// agency's destroyed cases, the last destroyed first, paged by cursor.
#[utoipa::path(get, path = "/retention/destroyed", tag = "retention", security(("bearer" = [])), params(RetentionQuery),
    responses((status = 200, body = Page<DestroyedLineView>), (status = 400, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody)))]
async fn destroyed(
    ctx: Ctx,
    AppQuery(q): AppQuery<RetentionQuery>,
) -> AppResult<AppJson<Page<DestroyedLineView>>> {
    ctx.user.require_any(&retention::HEADS)?;
    let (page, names) = retention::destroyed(&ctx, q).await?;
    Ok(AppJson(page.map(|l| DestroyedLineView::of(l, &names))))
}

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(due)).routes(routes!(destroy)).routes(routes!(destroyed))
}
