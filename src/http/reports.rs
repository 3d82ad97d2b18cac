//! The statutory reports, the chairman's dashboard, and the public monthly results (issue 16).

use axum::{
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::AppState,
    domain::report::{DashboardQuery, MonthQuery, MonthsQuery, PeriodQuery},
    error::AppResult,
    http::{
        extract::{AppJson, AppQuery},
        rate_limit::ClientIp,
    },
    service::{
        context::{Context, Ctx},
        reports::{
            dashboard::{self, Dashboard},
            periodic::{self, PeriodicReport},
            public::{self, MonthResults},
        },
    },
    views::report,
};

/// The spreadsheet's media type.
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A file to download, named.
fn download(media: &str, name: String, bytes: Vec<u8>) -> Response {
    let disposition = format!("attachment; filename=\"{name}\"");
    ([(header::CONTENT_TYPE, media.to_owned()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response()
}

/// The file name of a report: `bao-cao-2026-Q4` or `bao-cao-2026-01-01-2026-03-31`.
fn report_name(r: &PeriodicReport) -> String {
    match &r.period {
        Some(p) => format!("bao-cao-{p}"),
        None => format!("bao-cao-{}-{}", r.from, r.to),
    }
}

/// `GET /api/v1/reports/periodic?period=|from=&to=&agency_id=&subordinates=` (chairman, admin):
/// reception, handling and resolution of a period under the statutory cut-off (default the 15th
/// of the month before to the 14th: TT 02/2021 Art. 7(1)), for the agency and those below it,
/// each listed. 400 `invalid_query` for a bad period; 404 for an agency not the caller's nor below.
#[utoipa::path(get, path = "/reports/periodic", tag = "reports", security(("bearer" = [])), params(PeriodQuery),
    responses((status = 200, body = PeriodicReport), (status = 400, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
async fn periodic_json(ctx: Ctx, AppQuery(q): AppQuery<PeriodQuery>) -> AppResult<AppJson<PeriodicReport>> {
    Ok(AppJson(periodic::report(&ctx, q).await?))
}

/// `GET /api/v1/reports/periodic.csv` (chairman, admin): the same report, a figure a line
/// (`Biểu,Mã chỉ tiêu,Chỉ tiêu,Cơ quan,Giá trị`, UTF-8 with a byte-order mark).
#[utoipa::path(get, path = "/reports/periodic.csv", tag = "reports", security(("bearer" = [])), params(PeriodQuery),
    responses((status = 200, content_type = "text/csv", description = "The report as CSV"),
              (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody)))]
async fn periodic_csv(ctx: Ctx, AppQuery(q): AppQuery<PeriodQuery>) -> AppResult<Response> {
    let r = periodic::report(&ctx, q).await?;
    Ok(download("text/csv; charset=utf-8", format!("{}.csv", report_name(&r)), report::csv(&r)?))
}

/// `GET /api/v1/reports/periodic.xlsx` (chairman, admin): the same report as a workbook, a sheet
/// per table (an agency a row, the total last) and one of the breakdowns.
#[utoipa::path(get, path = "/reports/periodic.xlsx", tag = "reports", security(("bearer" = [])), params(PeriodQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               description = "The report as a workbook"),
              (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody)))]
async fn periodic_xlsx(ctx: Ctx, AppQuery(q): AppQuery<PeriodQuery>) -> AppResult<Response> {
    let r = periodic::report(&ctx, q).await?;
    Ok(download(XLSX, format!("{}.xlsx", report_name(&r)), report::xlsx(&r)?))
}

/// `GET /api/v1/reports/periodic.html` (chairman, admin): the same report as a printable A4 page.
#[utoipa::path(get, path = "/reports/periodic.html", tag = "reports", security(("bearer" = [])), params(PeriodQuery),
    responses((status = 200, content_type = "text/html", description = "The printable report"),
              (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody)))]
async fn periodic_html(ctx: Ctx, AppQuery(q): AppQuery<PeriodQuery>) -> AppResult<Response> {
    let r = periodic::report(&ctx, q).await?;
    Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], report::html(&r)?).into_response())
}

/// `GET /api/v1/reports/dashboard?from=&to=&agency_id=` (chairman, admin): the headline figures
/// of a range (default the last twelve months), by agency, unit and handler, month by month.
#[utoipa::path(get, path = "/reports/dashboard", tag = "reports", security(("bearer" = [])), params(DashboardQuery),
    responses((status = 200, body = Dashboard), (status = 400, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
async fn dashboard_json(ctx: Ctx, AppQuery(q): AppQuery<DashboardQuery>) -> AppResult<AppJson<Dashboard>> {
    Ok(AppJson(dashboard::dashboard(&ctx, q).await?))
}

/// `GET /api/v1/public/results?month=YYYY-MM&agency_id=` (anyone): a calendar month's results
/// (default the last full month): petitions received and resolved, on time, satisfaction,
/// reception sessions held. Counts only, nothing personal.
#[utoipa::path(get, path = "/public/results", tag = "public", params(MonthQuery),
    responses((status = 200, body = MonthResults), (status = 400, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody), (status = 429, body = crate::error::ErrorBody)))]
async fn results(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ctx: Context<()>,
    AppQuery(q): AppQuery<MonthQuery>,
) -> AppResult<AppJson<MonthResults>> {
    state.limits.public_lookup.check(ip)?;
    Ok(AppJson(public::month(&ctx, q).await?))
}

/// `GET /api/v1/public/results/series?from_month=&to_month=&agency_id=` (anyone): the same, month
/// by month (default the last twelve full months; at most 24).
#[utoipa::path(get, path = "/public/results/series", tag = "public", params(MonthsQuery),
    responses((status = 200, body = Vec<MonthResults>), (status = 400, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody), (status = 429, body = crate::error::ErrorBody)))]
async fn results_series(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ctx: Context<()>,
    AppQuery(q): AppQuery<MonthsQuery>,
) -> AppResult<AppJson<Vec<MonthResults>>> {
    state.limits.public_lookup.check(ip)?;
    Ok(AppJson(public::series(&ctx, q).await?))
}

/// `GET /api/v1/public/results.csv?from_month=&to_month=&agency_id=` (anyone): the months as CSV
/// for the press.
#[utoipa::path(get, path = "/public/results.csv", tag = "public", params(MonthsQuery),
    responses((status = 200, content_type = "text/csv", description = "The months' results"),
              (status = 400, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
              (status = 429, body = crate::error::ErrorBody)))]
async fn results_csv(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ctx: Context<()>,
    AppQuery(q): AppQuery<MonthsQuery>,
) -> AppResult<Response> {
    state.limits.public_lookup.check(ip)?;
    let months = public::series(&ctx, q).await?;
    Ok(download(
        "text/csv; charset=utf-8",
        "ket-qua-giai-quyet-don-thu.csv".to_owned(),
        report::results_csv(&months),
    ))
}

/// `GET /api/v1/public/results.atom?agency_id=` (anyone): the last twelve full months as an Atom
/// feed, the newest first.
#[utoipa::path(get, path = "/public/results.atom", tag = "public", params(MonthsQuery),
    responses((status = 200, content_type = "application/atom+xml", description = "The months' results"),
              (status = 400, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
              (status = 429, body = crate::error::ErrorBody)))]
async fn results_atom(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ctx: Context<()>,
    AppQuery(q): AppQuery<MonthsQuery>,
) -> AppResult<Response> {
    state.limits.public_lookup.check(ip)?;
    let months = public::series(&ctx, q).await?;
    let feed = report::results_atom(&months, ctx.now);
    Ok(([(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")], feed).into_response())
}

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(periodic_json))
        .routes(routes!(periodic_csv))
        .routes(routes!(periodic_xlsx))
        .routes(routes!(periodic_html))
        .routes(routes!(dashboard_json))
        .routes(routes!(results))
        .routes(routes!(results_series))
        .routes(routes!(results_csv))
        .routes(routes!(results_atom))
}
