//! Per-client rate limits for the public endpoints (filing, tracking, rating): a fixed window per
//! client address, kept in memory. With several servers each counts its own share, which bounds
//! a client's rate by the number of servers times the limit: enough against floods.

use std::{
    collections::HashMap,
    net::{IpAddr, SocketAddr},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::request::Parts,
};

use crate::{app::AppState, error::AppError};

/// Counters of one limit.
#[derive(Debug, Clone)]
pub struct RateLimiter {
    per_window: u32,
    window: Duration,
    counts: Arc<Mutex<HashMap<IpAddr, (Instant, u32)>>>,
}

impl RateLimiter {
    /// Allows `per_window` requests per client per `window`.
    pub fn new(per_window: u32, window: Duration) -> Self {
        Self { per_window, window, counts: Arc::default() }
    }

    /// Counts a request of `client`; 429 `rate_limited` beyond the limit, with the seconds until
    /// its window ends.
    pub fn check(&self, client: IpAddr) -> Result<(), AppError> {
        let now = Instant::now();
        let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        if counts.len() > 100_000 {
            // Forget finished windows so the map cannot grow without bound.
            let window = self.window;
            counts.retain(|_, (start, _)| now.duration_since(*start) < window);
        }
        let entry = counts.entry(client).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        if entry.1 >= self.per_window {
            let left = self.window.saturating_sub(now.duration_since(entry.0));
            return Err(AppError::rate_limited(left.as_secs() + u64::from(left.subsec_nanos() > 0)));
        }
        entry.1 += 1;
        Ok(())
    }
}

/// The client's address: the connection's, or the first `X-Forwarded-For` hop when the server is
/// configured to trust its proxy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if state.limits.trust_proxy
            && let Some(ip) = parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next())
                .and_then(|v| v.trim().parse::<IpAddr>().ok())
        {
            return Ok(Self(ip));
        }
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(IpAddr::from([127, 0, 0, 1]));
        Ok(Self(ip))
    }
}

/// The limits of an installation.
#[derive(Debug, Clone)]
pub struct Limits {
    pub trust_proxy: bool,
    /// Portal filings per client per hour.
    pub public_filing: RateLimiter,
    /// Portal look-ups (tracking, rating) per client per minute: codes must not be guessable by
    /// brute force.
    pub public_lookup: RateLimiter,
    /// Citizen accounts registered per client per hour.
    pub registration: RateLimiter,
    /// Files attached on the portal per client per hour (each up to 10 MB of work).
    pub public_upload: RateLimiter,
    /// How long an upload of an attachment may take, its sending included (`app::build_router`).
    pub upload_timeout: Duration,
}

impl Limits {
    /// Limits from the configuration.
    pub fn new(filings_per_hour: u32, lookups_per_minute: u32, trust_proxy: bool) -> Self {
        Self {
            trust_proxy,
            public_filing: RateLimiter::new(filings_per_hour, Duration::from_secs(3600)),
            public_lookup: RateLimiter::new(lookups_per_minute, Duration::from_secs(60)),
            public_upload: RateLimiter::new(60, Duration::from_secs(3600)),
            registration: RateLimiter::new(10, Duration::from_secs(3600)),
            upload_timeout: Duration::from_secs(300),
        }
    }

    /// The same limits with `per_hour` registrations per client.
    pub fn with_registrations(mut self, per_hour: u32) -> Self {
        self.registration = RateLimiter::new(per_hour, Duration::from_secs(3600));
        self
    }

    /// The same limits with `per_hour` portal uploads per client, each taking at most `timeout`.
    pub fn with_uploads(mut self, per_hour: u32, timeout: Duration) -> Self {
        self.public_upload = RateLimiter::new(per_hour, Duration::from_secs(3600));
        self.upload_timeout = timeout;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_is_refused_beyond_its_window_and_others_are_not() {
        let limiter = RateLimiter::new(2, Duration::from_secs(60));
        let a = IpAddr::from([10, 0, 0, 1]);
        let b = IpAddr::from([10, 0, 0, 2]);
        assert!(limiter.check(a).is_ok());
        assert!(limiter.check(a).is_ok());
        assert_eq!(limiter.check(a).unwrap_err().code(), "rate_limited");
        assert!(limiter.check(b).is_ok());
    }
}
