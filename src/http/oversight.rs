//! What the chairman oversees so that no insider is a back door: the account log and the
//! identity-access log of the agency.

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::AppState,
    auth::Role,
    domain::{
        oversight::{AccountEventsQuery, IdentityReadsQuery},
        page::Page,
    },
    error::AppResult,
    http::extract::{AppJson, AppQuery},
    service::{context::Ctx, oversight},
    views::oversight::{AccountEventView, IdentityReadView},
};

/// `GET /api/v1/account-events` (chairman, admin): every change made to the accounts of the
/// agency (created, changed, password reset), newest first, flagged where it concerns a
/// chairman's account, grants a role that sees identities or is made by the account's holder.
#[utoipa::path(get, path = "/account-events", tag = "oversight", security(("bearer" = [])),
    params(AccountEventsQuery),
    responses((status = 200, body = Page<AccountEventView>), (status = 400, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody)))]
async fn account_events(
    ctx: Ctx,
    AppQuery(q): AppQuery<AccountEventsQuery>,
) -> AppResult<AppJson<Page<AccountEventView>>> {
    ctx.user.require_any(&[Role::Chairman, Role::Admin])?;
    let filter = q.parse(ctx.today)?;
    Ok(AppJson(oversight::account_events::list(&ctx, filter).await?.map(AccountEventView::from)))
}

/// `GET /api/v1/identity-access` (chairman, admin): every read of a protected identity in the
/// agency, newest first, with its reader and purpose: the evidence if confidentiality is breached.
#[utoipa::path(get, path = "/identity-access", tag = "oversight", security(("bearer" = [])),
    params(IdentityReadsQuery),
    responses((status = 200, body = Page<IdentityReadView>), (status = 400, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody)))]
async fn identity_access(
    ctx: Ctx,
    AppQuery(q): AppQuery<IdentityReadsQuery>,
) -> AppResult<AppJson<Page<IdentityReadView>>> {
    ctx.user.require_any(&[Role::Chairman, Role::Admin])?;
    let filter = q.parse(ctx.today)?;
    Ok(AppJson(oversight::identity_reads::list(&ctx, filter).await?.map(IdentityReadView::from)))
}

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(account_events)).routes(routes!(identity_access))
}
