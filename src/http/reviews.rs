//! The chairman's weekly review (domain.md §12): one ISO week, or week by week for charts.

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::AppState,
    domain::reception::{SeriesQuery, WeekQuery},
    error::AppResult,
    http::extract::{AppJson, AppQuery},
    service::{
        access::reception::REVIEWERS,
        context::Ctx,
        reception::review::{self, WeekFigures},
    },
};

/// `GET /api/v1/reviews/weekly?week=YYYY-Www` (chairman, admin): the week's sessions against the
/// heads' schedules and the law's minimum (missed weeks flagged; a schedule below the minimum
/// flagged with its recorded reason), visits, people, cases, delegations, new petitions,
/// overdue work and whose, on-time and satisfaction rates.
#[utoipa::path(get, path = "/reviews/weekly", tag = "reception", security(("bearer" = [])), params(WeekQuery),
    responses((status = 200, body = WeekFigures), (status = 400, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody)))]
async fn weekly(ctx: Ctx, AppQuery(q): AppQuery<WeekQuery>) -> AppResult<AppJson<WeekFigures>> {
    ctx.user.require_any(&REVIEWERS)?;
    Ok(AppJson(review::weekly(&ctx, q).await?))
}

/// `GET /api/v1/reviews/weekly/series?from_week=&to_week=` (chairman, admin): the same figures
/// week by week (without the lists), for charts.
#[utoipa::path(get, path = "/reviews/weekly/series", tag = "reception", security(("bearer" = [])), params(SeriesQuery),
    responses((status = 200, body = Vec<WeekFigures>), (status = 400, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody)))]
async fn series(ctx: Ctx, AppQuery(q): AppQuery<SeriesQuery>) -> AppResult<AppJson<Vec<WeekFigures>>> {
    ctx.user.require_any(&REVIEWERS)?;
    Ok(AppJson(review::series(&ctx, q).await?))
}

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(weekly)).routes(routes!(series))
}
