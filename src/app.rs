//! The application state and the router with its middleware; serving with graceful shutdown.

mod connections;
pub(crate) mod headers;

use std::{sync::Arc, time::Duration};

pub use connections::ServeOptions;

use axum::{
    Router,
    extract::{DefaultBodyLimit, Request},
    http::{HeaderName, StatusCode, header},
    middleware::{self, Next},
    response::{IntoResponse, Response},
};
use tower_http::{
    LatencyUnit,
    catch_panic::CatchPanicLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    trace::{DefaultOnResponse, TraceLayer},
};
use tracing::Level;
use utoipa_swagger_ui::SwaggerUi;

use crate::{
    auth::{jwt::JwtKeys, password::PasswordHasher},
    clock::Clock,
    crypto::Keys,
    db::{
        Db,
        budget::{self, Budget},
    },
    error::error_response_for_status,
    http,
    http::rate_limit::Limits,
    service::{calendar::CalendarCache, context::Services},
};

/// Everything a request handler needs; cloned per request (all fields are cheap handles).
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub jwt: JwtKeys,
    pub passwords: PasswordHasher,
    /// The data key (identities at rest) and the audit key (the trail's hashes).
    pub keys: Keys,
    /// The working-day calendar, rebuilt when the stored version moves.
    pub calendar: CalendarCache,
    /// Rate limits of the public endpoints.
    pub limits: Limits,
    /// The statutory reports' settings.
    pub reports: crate::service::reports::ReportSettings,
    /// The register's public address (`TIEPDAN_PUBLIC_URL`), the base of printed tracking links.
    pub public_url: Arc<str>,
}

impl AppState {
    /// The handles every use case runs with.
    pub fn services(&self) -> Services {
        Services {
            db: self.db.clone(),
            calendars: self.calendar.clone(),
            passwords: self.passwords.clone(),
            jwt: self.jwt.clone(),
            keys: self.keys.clone(),
            reports: self.reports,
            public_url: self.public_url.clone(),
        }
    }
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").field("db", &self.db).finish_non_exhaustive()
    }
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole HTTP surface: the API, its OpenAPI document and Swagger UI, and the frontend.
pub fn build_router(state: AppState) -> Router {
    let (api, openapi) = http::api_router().split_for_parts();
    let limits = TimeLimits { request: state.db.request_timeout, upload: state.limits.upload_timeout };
    Router::new()
        .merge(api)
        .merge(SwaggerUi::new("/api/docs").url("/api/v1/openapi.json", openapi))
        .fallback(http::frontend::serve)
        // The uploads of attachments raise it on their routes (`http::attachments`).
        .layer(DefaultBodyLimit::max(1024 * 1024))
        .layer(middleware::from_fn(json_errors))
        .layer(middleware::from_fn(move |req: Request, next: Next| time_limited(limits, req, next)))
        .layer(CatchPanicLayer::custom(|_| error_response_for_status(StatusCode::INTERNAL_SERVER_ERROR)))
        // Outside the panic catcher and the timeouts, so that their answers carry them too.
        .layer(middleware::from_fn(headers::secure))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request| {
                    let id = req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
                    tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
                })
                .on_response(DefaultOnResponse::new().level(Level::INFO).latency_unit(LatencyUnit::Micros)),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .with_state(state)
}

/// How long a request may take: the request timeout, or an upload's (its body is part of it).
#[derive(Debug, Clone, Copy)]
struct TimeLimits {
    request: Duration,
    upload: Duration,
}

/// Runs a request under its time limit: past it the request is dropped and answered 408
/// `timeout`, and its database work, which runs under a [`Budget`] of the same length, stops with
/// it. An upload of an attachment gets the longer upload limit ([`http::attachments::is_upload`]).
async fn time_limited(limits: TimeLimits, req: Request, next: Next) -> Response {
    let limit = if http::attachments::is_upload(req.method(), req.uri().path()) {
        limits.upload
    } else {
        limits.request
    };
    match tokio::time::timeout(limit, budget::scoped(Budget::new(limit), next.run(req))).await {
        Ok(response) => response,
        Err(_) => error_response_for_status(StatusCode::REQUEST_TIMEOUT),
    }
}

/// Gives every error response that did not come from our own error type (405 from the router,
/// 408 from the timeout, a 500 from a panic…) the API's JSON error shape; the frontend's own
/// HTML page of an unknown address is left as it is.
async fn json_errors(req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json") || v.starts_with("text/html"));
    if is_json {
        return response;
    }
    let (parts, _) = response.into_parts();
    let mut fresh = error_response_for_status(status);
    for name in [header::ALLOW, header::RETRY_AFTER, header::WWW_AUTHENTICATE] {
        if let Some(v) = parts.headers.get(&name) {
            fresh.headers_mut().insert(name, v.clone());
        }
    }
    fresh.into_response()
}

/// Serves until SIGTERM or Ctrl-C, then finishes the requests in flight, waiting for them at most
/// the grace (see [`serve_until`]).
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    options: impl Into<ServeOptions>,
) -> std::io::Result<()> {
    serve_until(listener, router, shutdown_signal(), options).await
}

/// Serves until `stop` completes, then stops accepting connections, closes those with no request
/// in flight and lets the requests in flight finish, for at most the grace: a stuck request must
/// not keep a stopping server (and its database) alive. Requests still running then are dropped,
/// which stops their database work (`db::budget`). `options` also bounds each connection (header
/// and idle timeouts, a cap per client address: [`connections`]); a bare `Duration` is the grace
/// with the default bounds.
pub async fn serve_until(
    listener: tokio::net::TcpListener,
    router: Router,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
    options: impl Into<ServeOptions>,
) -> std::io::Result<()> {
    connections::serve(listener, router, stop, options.into()).await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
