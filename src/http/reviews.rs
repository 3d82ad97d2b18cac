//! The chairman's weekly review (domain.md §12): one ISO week, or week by week for charts.

use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::AppState,
    auth::{AuthUser, Role},
    clock::civil_date,
    domain::reception::IsoWeek,
    error::{AppError, AppResult},
    http::extract::{AppJson, AppQuery},
    service::reception::{
        review::{self, MAX_WEEKS, WeekFigures},
        sessions,
    },
};

/// Which week.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WeekQuery {
    /// ISO week `YYYY-Www` (default the current week).
    pub week: Option<String>,
}

/// Which weeks.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SeriesQuery {
    /// First ISO week `YYYY-Www`.
    pub from_week: String,
    /// Last ISO week (default the current week); at most 53 weeks in all.
    pub to_week: Option<String>,
}

fn parse_week(text: &str, name: &str) -> AppResult<IsoWeek> {
    IsoWeek::parse(text).map_err(|m| AppError::bad_request("invalid_query", format!("{name}: {m}")))
}

/// `GET /api/v1/reviews/weekly?week=YYYY-Www` (chairman, admin): the week's sessions against the
/// heads' schedules (missed weeks flagged), visits, people, cases, delegations, new petitions,
/// overdue work and whose, on-time and satisfaction rates.
#[utoipa::path(get, path = "/reviews/weekly", tag = "reception", security(("bearer" = [])), params(WeekQuery),
    responses((status = 200, body = WeekFigures), (status = 400, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody)))]
async fn weekly(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(q): AppQuery<WeekQuery>,
) -> AppResult<AppJson<WeekFigures>> {
    user.require_any(&[Role::Chairman, Role::Admin])?;
    let agency = user.require_staff()?;
    let now = state.clock.now();
    let today = civil_date(now);
    let week = match q.week.as_deref() {
        Some(w) => parse_week(w, "week")?,
        None => IsoWeek::of(today),
    };
    let cal = state.calendar.get(&state.db.reader).await?;
    sessions::materialise(&state.db.writer, &cal, agency, week.monday, week.sunday(), today, now).await?;
    Ok(AppJson(review::week(&state.db.reader, &cal, agency, week, today, true).await?))
}

/// `GET /api/v1/reviews/weekly/series?from_week=&to_week=` (chairman, admin): the same figures
/// week by week (without the lists), for charts.
#[utoipa::path(get, path = "/reviews/weekly/series", tag = "reception", security(("bearer" = [])), params(SeriesQuery),
    responses((status = 200, body = Vec<WeekFigures>), (status = 400, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody)))]
async fn series(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(q): AppQuery<SeriesQuery>,
) -> AppResult<AppJson<Vec<WeekFigures>>> {
    user.require_any(&[Role::Chairman, Role::Admin])?;
    let agency = user.require_staff()?;
    let now = state.clock.now();
    let today = civil_date(now);
    let first = parse_week(&q.from_week, "from_week")?;
    let last = match q.to_week.as_deref() {
        Some(w) => parse_week(w, "to_week")?,
        None => IsoWeek::of(today),
    };
    if last < first {
        return Err(AppError::bad_request("invalid_query", "to_week phải sau from_week."));
    }
    let weeks =
        usize::try_from((last.monday - first.monday).num_weeks()).unwrap_or(usize::MAX).saturating_add(1);
    if weeks > MAX_WEEKS {
        return Err(AppError::bad_request("invalid_query", format!("Tối đa {MAX_WEEKS} tuần.")));
    }
    let cal = state.calendar.get(&state.db.reader).await?;
    sessions::materialise(&state.db.writer, &cal, agency, first.monday, last.sunday(), today, now).await?;
    let mut out = Vec::with_capacity(weeks);
    let mut week = first;
    while week <= last {
        out.push(review::week(&state.db.reader, &cal, agency, week, today, false).await?);
        week = week.next();
    }
    Ok(AppJson(out))
}

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(weekly)).routes(routes!(series))
}
