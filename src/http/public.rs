//! The citizen portal, no account needed: file a petition, follow it by its tracking code, rate
//! it once closed. Rate-limited per client address.

use axum::{
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::AppState,
    auth::AuthUser,
    domain::petition::{
        portal::{PublicPetitionRequest, RatingRequest},
        tracking_code,
    },
    error::{AppError, AppResult},
    http::{
        extract::{AppJson, AppPath},
        rate_limit::ClientIp,
    },
    service::{context::Context, petitions::public},
    views::{
        petition::{FiledView, PublicPetitionView, RatingView},
        qr::{Qr, tracking_url},
    },
};

/// `POST /api/v1/public/petitions` (anyone; a signed-in citizen's petition is also listed under
/// their account): files a petition online.
#[utoipa::path(post, path = "/public/petitions", tag = "public", request_body = PublicPetitionRequest,
    responses((status = 201, body = FiledView), (status = 422, body = crate::error::ErrorBody),
              (status = 429, body = crate::error::ErrorBody)))]
async fn file_petition(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ctx: Context<Option<AuthUser>>,
    AppJson(body): AppJson<PublicPetitionRequest>,
) -> AppResult<(StatusCode, AppJson<FiledView>)> {
    state.limits.public_filing.check(ip)?;
    let filed = public::file(&ctx, body).await?;
    Ok((StatusCode::CREATED, AppJson(FiledView::of(filed, &state.public_url))))
}

/// `GET /api/v1/public/petitions/{tracking_code}` (anyone with the code): status, dates and the
/// history of statuses; no names, no identity numbers, no content.
#[utoipa::path(get, path = "/public/petitions/{tracking_code}", tag = "public",
    params(("tracking_code" = String, Path, description = "e.g. TD-7KQ4-M9XP-2WHD")),
    responses((status = 200, body = PublicPetitionView), (status = 404, body = crate::error::ErrorBody),
              (status = 429, body = crate::error::ErrorBody)))]
async fn track(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ctx: Context<()>,
    AppPath(code): AppPath<String>,
) -> AppResult<AppJson<PublicPetitionView>> {
    state.limits.public_lookup.check(ip)?;
    Ok(AppJson(public::track(&ctx, &code).await?.into()))
}

/// `POST /api/v1/public/petitions/{tracking_code}/rating` (anyone with the code): rates a closed
/// case once (409 `not_closed`, `already_rated`).
#[utoipa::path(post, path = "/public/petitions/{tracking_code}/rating", tag = "public", request_body = RatingRequest,
    params(("tracking_code" = String, Path, description = "The case's tracking code")),
    responses((status = 201, body = RatingView), (status = 404, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn rate(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ctx: Context<()>,
    AppPath(code): AppPath<String>,
    AppJson(body): AppJson<RatingRequest>,
) -> AppResult<(StatusCode, AppJson<RatingView>)> {
    state.limits.public_lookup.check(ip)?;
    Ok((StatusCode::CREATED, AppJson(public::rate(&ctx, &code, body).await?.into())))
}

/// `GET /api/v1/public/petitions/{tracking_code}/qr` (anyone): the QR code of the case's
/// permanent tracking page, as SVG, for the portal's printed receipt. It encodes the public link
/// of any well-formed code without looking the case up, so it tells nothing of the register.
#[utoipa::path(get, path = "/public/petitions/{tracking_code}/qr", tag = "public",
    params(("tracking_code" = String, Path, description = "e.g. TD-7KQ4-M9XP-2WHD")),
    responses((status = 200, content_type = "image/svg+xml", description = "The QR code of the tracking link"),
              (status = 404, body = crate::error::ErrorBody), (status = 429, body = crate::error::ErrorBody)))]
async fn tracking_qr(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    AppPath(code): AppPath<String>,
) -> AppResult<Response> {
    state.limits.public_lookup.check(ip)?;
    let code = tracking_code::parse(&code).ok_or(AppError::NotFound)?;
    let qr = Qr::of(&tracking_url(&state.public_url, &code)).ok_or(AppError::NotFound)?;
    let svg = qr.svg("qr", &format!("Mã QR tra cứu hồ sơ {code}"));
    Ok(([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "public, max-age=86400")], svg)
        .into_response())
}

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(file_petition))
        .routes(routes!(track))
        .routes(routes!(rate))
        .routes(routes!(tracking_qr))
}
