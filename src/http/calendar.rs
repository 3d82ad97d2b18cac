//! The working-day calendar: the public due-date calculator and list of special days, and the
//! administrator's special days, whose changes recompute the due dates of open cases.

use chrono::NaiveDate;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::AppState,
    auth::Role,
    domain::calendar::request::{DaysQuery, DueDateQuery, SpecialDayRequest},
    error::AppResult,
    http::extract::{AppJson, AppPath, AppQuery},
    service::{
        calendar,
        context::{Context, Ctx},
    },
    views::calendar::{DayChangeView, DayImpactView, DueDateView, SpecialDayView},
};

/// `GET /api/v1/calendar/due-date` (public, no token): the due date of a period counted per
/// domain.md §9, with every non-working day passed over and why.
#[utoipa::path(get, path = "/calendar/due-date", tag = "calendar", params(DueDateQuery),
    responses((status = 200, body = DueDateView), (status = 400, body = crate::error::ErrorBody)))]
async fn due_date(ctx: Context<()>, AppQuery(q): AppQuery<DueDateQuery>) -> AppResult<AppJson<DueDateView>> {
    let (question, due) = calendar::due_date(&ctx, q).await?;
    Ok(AppJson(DueDateView::new(&question, due)))
}

/// `GET /api/v1/calendar/days?year=YYYY` (public, no token): the special days of a year, computed
/// defaults (lunar holidays included), published schedules and the administrator's entries merged.
#[utoipa::path(get, path = "/calendar/days", tag = "calendar", params(DaysQuery),
    responses((status = 200, body = Vec<SpecialDayView>), (status = 400, body = crate::error::ErrorBody)))]
async fn list_days(
    ctx: Context<()>,
    AppQuery(q): AppQuery<DaysQuery>,
) -> AppResult<AppJson<Vec<SpecialDayView>>> {
    Ok(AppJson(calendar::days_of_year(&ctx, q).await?.into_iter().map(SpecialDayView::from).collect()))
}

/// `PUT /api/v1/calendar/days/{date}` (admin): sets the special day of a date, winning over the
/// published and computed defaults. Every stored due date of an open case that the change touches
/// is recomputed in the same transaction and noted in the case's history.
#[utoipa::path(put, path = "/calendar/days/{date}", tag = "calendar", security(("bearer" = [])),
    request_body = SpecialDayRequest,
    params(("date" = String, Path, format = Date, description = "The date, YYYY-MM-DD")),
    responses((status = 200, body = DayChangeView), (status = 400, body = crate::error::ErrorBody),
              (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn put_day(
    ctx: Ctx,
    AppPath(date): AppPath<NaiveDate>,
    AppJson(body): AppJson<SpecialDayRequest>,
) -> AppResult<AppJson<DayChangeView>> {
    ctx.user.require_any(&[Role::Admin])?;
    Ok(AppJson(calendar::set_day(&ctx, date, body).await?.into()))
}

/// `DELETE /api/v1/calendar/days/{date}` (admin): removes the administrator's entry of a date, which
/// reverts to its published or computed default; 404 when there is no entry. Recomputes the touched
/// due dates like `PUT`.
#[utoipa::path(delete, path = "/calendar/days/{date}", tag = "calendar", security(("bearer" = [])),
    params(("date" = String, Path, format = Date, description = "The date, YYYY-MM-DD")),
    responses((status = 200, body = DayChangeView), (status = 400, body = crate::error::ErrorBody),
              (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
async fn delete_day(ctx: Ctx, AppPath(date): AppPath<NaiveDate>) -> AppResult<AppJson<DayChangeView>> {
    ctx.user.require_any(&[Role::Admin])?;
    Ok(AppJson(calendar::remove_day(&ctx, date).await?.into()))
}

/// `GET /api/v1/calendar/days/{date}/impact` (admin): how many cases a change of the date may
/// move (those with a running clock whose count spans it, up to 10,000), to ask before changing it.
#[utoipa::path(get, path = "/calendar/days/{date}/impact", tag = "calendar", security(("bearer" = [])),
    params(("date" = String, Path, format = Date, description = "The date, YYYY-MM-DD")),
    responses((status = 200, body = DayImpactView), (status = 400, body = crate::error::ErrorBody),
              (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
async fn day_impact(ctx: Ctx, AppPath(date): AppPath<NaiveDate>) -> AppResult<AppJson<DayImpactView>> {
    ctx.user.require_any(&[Role::Admin])?;
    let (date, open_cases, capped) = calendar::day_impact(&ctx, date).await?;
    Ok(AppJson(DayImpactView { date, open_cases, capped }))
}

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(due_date))
        .routes(routes!(list_days))
        .routes(routes!(put_day, delete_day))
        .routes(routes!(day_impact))
}
