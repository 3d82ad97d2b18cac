//! The published reception schedule (anyone): `/public/reception-schedule` as JSON and as an
//! iCalendar feed.

use axum::{
    http::header,
    response::{IntoResponse, Response},
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::AppState,
    domain::reception::PublicScheduleQuery,
    error::AppResult,
    http::extract::{AppJson, AppQuery},
    service::{context::Context, reception::public},
    views::reception::PublicSessionView,
};

/// `GET /api/v1/public/reception-schedule?from=&to=` (anyone): the published reception schedule.
#[utoipa::path(get, path = "/public/reception-schedule", tag = "public", params(PublicScheduleQuery),
    responses((status = 200, body = Vec<PublicSessionView>), (status = 400, body = crate::error::ErrorBody)))]
async fn public_schedule_json(
    ctx: Context<()>,
    AppQuery(q): AppQuery<PublicScheduleQuery>,
) -> AppResult<AppJson<Vec<PublicSessionView>>> {
    let schedule = public::schedule(&ctx, q).await?;
    Ok(AppJson(schedule.sessions.iter().map(PublicSessionView::from).collect()))
}

/// `GET /api/v1/public/reception-schedule.ics` (anyone): the published schedule as an iCalendar
/// feed (RFC 5545) for calendar applications.
#[utoipa::path(get, path = "/public/reception-schedule.ics", tag = "public", params(PublicScheduleQuery),
    responses((status = 200, content_type = "text/calendar", description = "iCalendar feed")))]
async fn public_schedule_ics(
    ctx: Context<()>,
    AppQuery(q): AppQuery<PublicScheduleQuery>,
) -> AppResult<Response> {
    let body = public::calendar(&ctx, q).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "inline; filename=\"lich-tiep-cong-dan.ics\""),
        ],
        body,
    )
        .into_response())
}

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(public_schedule_json)).routes(routes!(public_schedule_ics))
}
