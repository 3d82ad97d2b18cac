//! The static frontend, embedded in the binary so the release build works from any directory.
//! Unknown API paths answer the API's JSON 404; other unknown paths a Vietnamese HTML page with
//! status 404 and links back into the site (a mistyped address is a person's, not a program's).

use axum::{
    http::{HeaderValue, StatusCode, Uri, header},
    response::{IntoResponse, Response},
};
use rust_embed::RustEmbed;

use crate::error::AppError;

#[derive(RustEmbed)]
#[folder = "frontend/"]
#[exclude = "node_modules/*"]
#[exclude = "tests/*"]
struct Assets;

/// Serves `frontend/<path>`, `index.html` for folders.
pub async fn serve(uri: Uri, headers: axum::http::HeaderMap) -> Response {
    let path = uri.path().trim_start_matches('/');
    if path.starts_with("api/") || path == "api" {
        return AppError::NotFound.into_response();
    }
    let candidates = if path.is_empty() || path.ends_with('/') {
        vec![format!("{path}index.html")]
    } else {
        vec![path.to_owned(), format!("{path}.html"), format!("{path}/index.html")]
    };
    for candidate in candidates {
        if let Some(file) = Assets::get(&candidate) {
            let etag = format!("\"{}\"", hex::encode(&file.metadata.sha256_hash()[..12]));
            let mime = file.metadata.mimetype();
            if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
                let mut response = StatusCode::NOT_MODIFIED.into_response();
                // A 304's headers replace the cached page's: a page's keeps its policy.
                if mime.starts_with("text/html") {
                    response.headers_mut().insert(
                        header::CONTENT_SECURITY_POLICY,
                        HeaderValue::from_static(crate::app::headers::PAGE_POLICY),
                    );
                }
                return response;
            }
            let mut response = file.data.into_owned().into_response();
            let h = response.headers_mut();
            if let Ok(v) = HeaderValue::from_str(mime) {
                h.insert(header::CONTENT_TYPE, v);
            }
            if let Ok(v) = HeaderValue::from_str(&etag) {
                h.insert(header::ETAG, v);
            }
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            return response;
        }
    }
    not_found_page()
}

/// The page of the 404 (`frontend/khong-tim-thay.html`).
fn not_found_page() -> Response {
    match Assets::get("khong-tim-thay.html") {
        Some(file) => {
            let mut response = (StatusCode::NOT_FOUND, file.data.into_owned()).into_response();
            let h = response.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            response
        }
        None => AppError::NotFound.into_response(),
    }
}
