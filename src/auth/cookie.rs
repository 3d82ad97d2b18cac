//! The browser's session: the same signed token as the bearer one, kept in an `HttpOnly`,
//! `SameSite=Strict` cookie (`Secure` when the request came over HTTPS) so that every tab of the
//! browser shares the sign-in and no page script can read the token.
//!
//! # Cross-site requests
//! A cookie goes with every request the browser makes to the site, so a request it authenticates
//! must be one the site's own pages made. Two guards, each enough on its own in today's browsers:
//! - `SameSite=Strict`: the browser sends the cookie only with requests started from this site;
//! - an unsafe request (`POST`, `PUT`, `PATCH`, `DELETE`) authenticated by the cookie must carry
//!   the header `X-Requested-With` (any value; the frontend sends `tiepdan`), which a page of
//!   another site cannot add without a CORS preflight the server never grants, and must not be
//!   marked `Sec-Fetch-Site: cross-site` by the browser. Otherwise it is 403 `csrf_check_failed`.
//!
//! Bearer tokens (API clients) are not sent by the browser on its own, so they need neither.

use axum::http::{HeaderMap, HeaderValue, Method, header};
use chrono::Duration;

use crate::error::AppError;

/// The cookie's name.
pub const SESSION_COOKIE: &str = "tiepdan_session";

/// The header an unsafe request authenticated by the cookie must carry.
pub const CSRF_HEADER: &str = "x-requested-with";

/// Whether the request reached the site over HTTPS: its own scheme, or what the proxy in front
/// says (`X-Forwarded-Proto: https`, `Forwarded: proto=https`). Believing the header without
/// `TIEPDAN_TRUST_PROXY` is harmless here: it can only make the client's own cookie `Secure`.
pub fn is_https(headers: &HeaderMap, scheme: Option<&str>) -> bool {
    if scheme.is_some_and(|s| s.eq_ignore_ascii_case("https")) {
        return true;
    }
    let text = |name| headers.get(name).and_then(|v: &HeaderValue| v.to_str().ok()).unwrap_or_default();
    let forwarded_proto = text("x-forwarded-proto").split(',').next().unwrap_or_default().trim();
    if forwarded_proto.eq_ignore_ascii_case("https") {
        return true;
    }
    text("forwarded")
        .split(',')
        .next()
        .unwrap_or_default()
        .split(';')
        .filter_map(|pair| pair.split_once('='))
        .any(|(k, v)| {
            k.trim().eq_ignore_ascii_case("proto") && v.trim().trim_matches('"').eq_ignore_ascii_case("https")
        })
}

fn attributes(secure: bool) -> &'static str {
    if secure { "; Path=/; HttpOnly; SameSite=Strict; Secure" } else { "; Path=/; HttpOnly; SameSite=Strict" }
}

/// The `Set-Cookie` value that keeps `token` for as long as the token lives (`ttl`, the login's
/// `expires_at`), across the browser's tabs and restarts; signing out removes it.
pub fn set(token: &str, ttl: Duration, secure: bool) -> HeaderValue {
    let value =
        format!("{SESSION_COOKIE}={token}; Max-Age={}{}", ttl.num_seconds().max(0), attributes(secure));
    HeaderValue::from_str(&value).unwrap_or_else(|_| clear(secure))
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear(secure: bool) -> HeaderValue {
    let value = format!("{SESSION_COOKIE}=; Max-Age=0{}", attributes(secure));
    HeaderValue::from_str(&value).unwrap_or(HeaderValue::from_static("tiepdan_session=; Max-Age=0; Path=/"))
}

/// The token in the request's session cookie, if any.
pub fn token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.trim())
        .filter(|value| !value.is_empty())
}

/// Refuses an unsafe request that the cookie would authenticate but that another site may have
/// made (see the module's documentation): 403 `csrf_check_failed`.
pub fn check_same_site(method: &Method, headers: &HeaderMap) -> Result<(), AppError> {
    if method.is_safe() {
        return Ok(());
    }
    let marked = headers.get(CSRF_HEADER).is_some_and(|v| !v.is_empty());
    let cross_site =
        headers.get("sec-fetch-site").is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"cross-site"));
    if marked && !cross_site { Ok(()) } else { Err(AppError::CsrfCheckFailed) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn the_cookie_is_http_only_strict_and_secure_over_https() {
        let plain = set("abc.def", Duration::minutes(720), false);
        assert_eq!(plain, "tiepdan_session=abc.def; Max-Age=43200; Path=/; HttpOnly; SameSite=Strict");
        let secure = set("abc.def", Duration::minutes(1), true);
        assert!(secure.to_str().unwrap().ends_with("; HttpOnly; SameSite=Strict; Secure"));
        assert_eq!(clear(false), "tiepdan_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict");
        assert!(is_https(&headers(&[("x-forwarded-proto", "https")]), None));
        assert!(is_https(&headers(&[("forwarded", "for=1.2.3.4;proto=https;host=x")]), None));
        assert!(is_https(&HeaderMap::new(), Some("https")));
        assert!(!is_https(&headers(&[("x-forwarded-proto", "http")]), Some("http")));
        assert!(!is_https(&HeaderMap::new(), None));
    }

    #[test]
    fn the_token_is_read_among_other_cookies() {
        let h = headers(&[("cookie", "a=1; tiepdan_session=tok.en; b=2")]);
        assert_eq!(token(&h), Some("tok.en"));
        assert_eq!(token(&headers(&[("cookie", "tiepdan_session=")])), None);
        assert_eq!(token(&headers(&[("cookie", "other=1"), ("cookie", "tiepdan_session=x")])), Some("x"));
        assert_eq!(token(&HeaderMap::new()), None);
    }

    #[test]
    fn unsafe_requests_need_the_header_and_no_cross_site_mark() {
        let marked = headers(&[("x-requested-with", "tiepdan")]);
        assert!(check_same_site(&Method::GET, &HeaderMap::new()).is_ok());
        assert!(check_same_site(&Method::POST, &marked).is_ok());
        assert!(check_same_site(&Method::POST, &HeaderMap::new()).is_err());
        assert!(check_same_site(&Method::DELETE, &HeaderMap::new()).is_err());
        let cross = headers(&[("x-requested-with", "tiepdan"), ("sec-fetch-site", "cross-site")]);
        assert!(check_same_site(&Method::PATCH, &cross).is_err());
        let same = headers(&[("x-requested-with", "tiepdan"), ("sec-fetch-site", "same-origin")]);
        assert!(check_same_site(&Method::PUT, &same).is_ok());
    }
}
