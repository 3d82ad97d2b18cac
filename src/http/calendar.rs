//! The working-day calendar: the public due-date calculator and list of special days, and the
//! administrator's special days, whose changes recompute the due dates of open cases.

use axum::extract::State;
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::AppState,
    auth::{AuthUser, Role},
    domain::{calendar::DayKind, deadline::DayUnit, validate::bounded_text},
    error::{AppResult, parse_fields},
    http::extract::{AppJson, AppPath, AppQuery},
    service::{
        audit::Actor,
        calendar::{self, DueDateQuestion},
        special_days::{self, DayEntry},
    },
    views::calendar::{DayChangeView, DueDateView, SpecialDayView},
};

/// Parameters of the due-date calculator.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DueDateQuery {
    /// The day of the starting event, `YYYY-MM-DD` (not counted), 1990–2100.
    #[param(value_type = String, format = Date)]
    pub start: Option<NaiveDate>,
    /// How many days, 0–3650.
    pub days: Option<u32>,
    /// `working` (default) or `calendar`.
    pub unit: Option<DayUnit>,
}

/// `GET /api/v1/calendar/due-date` (public, no token): the due date of a period counted per
/// domain.md §9, with every non-working day passed over and why.
#[utoipa::path(get, path = "/calendar/due-date", tag = "calendar", params(DueDateQuery),
    responses((status = 200, body = DueDateView), (status = 400, body = crate::error::ErrorBody)))]
async fn due_date(
    State(state): State<AppState>,
    AppQuery(q): AppQuery<DueDateQuery>,
) -> AppResult<AppJson<DueDateView>> {
    let question = DueDateQuestion::parse(q.start, q.days, q.unit)?;
    let due = calendar::due_date(&state.calendar, &state.db.reader, &question).await?;
    Ok(AppJson(DueDateView::new(&question, due)))
}

/// Parameters of the list of special days.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DaysQuery {
    /// The year, 1990–2100; the current year when omitted.
    pub year: Option<i32>,
}

/// `GET /api/v1/calendar/days?year=YYYY` (public, no token): the special days of a year, computed
/// defaults (lunar holidays included), published schedules and the administrator's entries merged.
#[utoipa::path(get, path = "/calendar/days", tag = "calendar", params(DaysQuery),
    responses((status = 200, body = Vec<SpecialDayView>), (status = 400, body = crate::error::ErrorBody)))]
async fn list_days(
    State(state): State<AppState>,
    AppQuery(q): AppQuery<DaysQuery>,
) -> AppResult<AppJson<Vec<SpecialDayView>>> {
    let days = calendar::days_of_year(&state.calendar, &state.db.reader, q.year, state.clock.today()).await?;
    Ok(AppJson(days.into_iter().map(SpecialDayView::from).collect()))
}

/// An administrator's special day.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SpecialDayRequest {
    /// `holiday`, `day_off` or `working_day` (a swapped-in working day, or a default day off taken
    /// back).
    pub kind: DayKind,
    /// Its Vietnamese name, 1–200 characters, e.g. "Ngày Văn hóa Việt Nam".
    pub name: String,
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
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(date): AppPath<NaiveDate>,
    AppJson(body): AppJson<SpecialDayRequest>,
) -> AppResult<AppJson<DayChangeView>> {
    user.require_any(&[Role::Admin])?;
    parse_fields! {
        name = "name" => bounded_text(&body.name, 1, 200);
    }
    let entry = DayEntry { kind: body.kind, name };
    let by = Actor::user(user.id, &user.full_name);
    let changed = special_days::set(&state.db, &state.calendar, date, entry, &by, state.clock.now()).await?;
    Ok(AppJson(changed.into()))
}

/// `DELETE /api/v1/calendar/days/{date}` (admin): removes the administrator's entry of a date, which
/// reverts to its published or computed default; 404 when there is no entry. Recomputes the touched
/// due dates like `PUT`.
#[utoipa::path(delete, path = "/calendar/days/{date}", tag = "calendar", security(("bearer" = [])),
    params(("date" = String, Path, format = Date, description = "The date, YYYY-MM-DD")),
    responses((status = 200, body = DayChangeView), (status = 400, body = crate::error::ErrorBody),
              (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
async fn delete_day(
    State(state): State<AppState>,
    user: AuthUser,
    AppPath(date): AppPath<NaiveDate>,
) -> AppResult<AppJson<DayChangeView>> {
    user.require_any(&[Role::Admin])?;
    let by = Actor::user(user.id, &user.full_name);
    let changed = special_days::remove(&state.db, &state.calendar, date, &by, state.clock.now()).await?;
    Ok(AppJson(changed.into()))
}

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(due_date))
        .routes(routes!(list_days))
        .routes(routes!(put_day, delete_day))
}
