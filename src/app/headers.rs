//! The security headers of every response: what a browser may load into our pages and who may
//! frame them. Pages (the frontend, the printable notices and reports, the 404 page, the API's
//! docs) get a strict Content-Security-Policy: only the site's own scripts and stylesheets, no
//! inline script or style, no plugins, no `<base>`, forms only to the site, no framing by anyone
//! (`frame-ancestors 'none'` and, for older browsers, `X-Frame-Options: DENY`); Swagger UI gets
//! the same with its icons and its one style element. Other responses
//! (the JSON API, exports) get a policy that allows nothing, in case one is opened as a page; a PDF
//! or a photo, shown by the browser's own viewer, none.

use axum::{
    extract::Request,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    middleware::Next,
    response::Response,
};

/// The policy of an HTML page.
pub const PAGE_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; \
     font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'";

/// The policy of Swagger UI (`/api/docs/`): the page's, with its icons (`data:` images) and the
/// one `<style>` element its script writes, allowed by its hash (the vendored version's; a new
/// version that writes another is refused, and the browser test says so).
pub const DOCS_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='; img-src 'self' data:; \
     font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'";

/// The policy of anything else: nothing may load or run, nobody may frame it.
pub const DATA_POLICY: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// Adds the security headers a handler did not set itself.
pub async fn secure(request: Request, next: Next) -> Response {
    let docs = request.uri().path().starts_with("/api/docs");
    let mut response = next.run(request).await;
    let policy = match policy_for(response.status(), response.headers()) {
        Some(PAGE_POLICY) if docs => Some(DOCS_POLICY),
        policy => policy,
    };
    let h = response.headers_mut();
    h.entry(header::X_CONTENT_TYPE_OPTIONS).or_insert(HeaderValue::from_static("nosniff"));
    // A tracking code or a case id in our addresses must not reach another site.
    h.entry(header::REFERRER_POLICY).or_insert(HeaderValue::from_static("same-origin"));
    h.entry(header::X_FRAME_OPTIONS).or_insert(HeaderValue::from_static("DENY"));
    if let Some(policy) = policy {
        h.entry(header::CONTENT_SECURITY_POLICY).or_insert(HeaderValue::from_static(policy));
    }
    response
}

/// Which policy a response gets, by what it is.
fn policy_for(status: StatusCode, headers: &HeaderMap) -> Option<&'static str> {
    // A 304 carries no policy of its own choosing (it would replace the cached one, and its type
    // is not known here); the frontend gives a page's 304 the page's policy.
    if status == StatusCode::NOT_MODIFIED {
        return None;
    }
    let kind = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let kind = kind.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    match kind.as_str() {
        "" => None,
        "text/html" | "application/xhtml+xml" => Some(PAGE_POLICY),
        // A file the browser shows in its own viewer, which a policy would break: the PDF viewer
        // is a plugin of the page that shows the file, the image viewer styles its page inline.
        // Neither runs a script of the file; nosniff keeps them what they say they are.
        "application/pdf" | "image/png" | "image/jpeg" | "image/gif" | "image/webp" => None,
        _ => Some(DATA_POLICY),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(kind: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_str(kind).unwrap());
        h
    }

    #[test]
    fn a_page_gets_the_page_policy_and_data_the_closed_one() {
        assert_eq!(policy_for(StatusCode::OK, &typed("text/html; charset=utf-8")), Some(PAGE_POLICY));
        assert_eq!(policy_for(StatusCode::NOT_FOUND, &typed("Text/HTML")), Some(PAGE_POLICY));
        assert_eq!(policy_for(StatusCode::OK, &typed("application/json")), Some(DATA_POLICY));
        assert_eq!(policy_for(StatusCode::OK, &typed("text/csv")), Some(DATA_POLICY));
        assert_eq!(policy_for(StatusCode::OK, &typed("application/pdf")), None);
        assert_eq!(policy_for(StatusCode::OK, &typed("image/jpeg")), None);
        // An SVG is a document that can run scripts.
        assert_eq!(policy_for(StatusCode::OK, &typed("image/svg+xml")), Some(DATA_POLICY));
        assert_eq!(policy_for(StatusCode::NOT_MODIFIED, &HeaderMap::new()), None);
    }

    #[test]
    fn the_page_policy_allows_no_inline_code_and_no_framing() {
        for directive in
            ["script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "object-src 'none'"]
        {
            assert!(PAGE_POLICY.contains(directive), "{directive}");
        }
        assert!(!PAGE_POLICY.contains("unsafe") && !DOCS_POLICY.contains("unsafe"));
        assert!(HeaderValue::from_str(PAGE_POLICY).is_ok() && HeaderValue::from_str(DATA_POLICY).is_ok());
    }
}
