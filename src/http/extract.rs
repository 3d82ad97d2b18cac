//! Extractors owned by the app, so that a bad body, query or path gets the same JSON error shape
//! as everything else (axum's own rejections are plain text).

use axum::{
    body::Bytes,
    extract::{FromRequest, FromRequestParts, Request},
    http::{header::CONTENT_TYPE, request::Parts},
    response::{IntoResponse, Response},
};
use serde::{Serialize, de::DeserializeOwned};

use crate::error::{AppError, FieldErrors};

/// A JSON body, parsed with field paths in its errors; also a JSON response.
#[derive(Debug, Clone, Copy, Default)]
pub struct AppJson<T>(pub T);

impl<S, T> FromRequest<S> for AppJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|mime| {
                let mime = mime.trim().to_ascii_lowercase();
                mime == "application/json" || mime.ends_with("+json")
            })
            .unwrap_or(false);
        if !is_json {
            return Err(AppError::BadRequest {
                code: "unsupported_media_type",
                message: "Nội dung phải là JSON (Content-Type: application/json).".to_owned(),
            });
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                AppError::PayloadTooLarge
            } else {
                AppError::bad_request("bad_body", "Không đọc được nội dung yêu cầu.")
            }
        })?;
        parse_json(&bytes).map(AppJson)
    }
}

/// Parses a JSON document, telling syntax errors (400 `malformed_json`) from values of the wrong
/// type, unknown enum values and missing fields (422 `validation_failed`). Each data error is
/// filed under the field it concerns (`petitioner.full_name`, `parts[0].subject`; a missing field
/// under its own name, not its parent's) with a Vietnamese message; only an error about the
/// document as a whole (an array where an object belongs) is filed under `body`.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        // A data error can hide a syntax error further on (`{} trailing`): the document as a
        // whole decides which it is.
        let well_formed = serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_ok();
        if inner.is_syntax() || inner.is_eof() || !well_formed {
            AppError::bad_request("malformed_json", format!("JSON không hợp lệ: {}", syntax_vi(&inner)))
        } else {
            let (field, message) = field_error(&path, &strip_position(&inner.to_string()));
            let mut fields = FieldErrors::new();
            fields.insert(field.unwrap_or_else(|| "body".to_owned()), vec![message]);
            AppError::Validation(fields)
        }
    })?;
    de.end().map_err(|e| {
        AppError::bad_request("malformed_json", format!("JSON không hợp lệ: {}", syntax_vi(&e)))
    })?;
    Ok(value)
}

/// serde_json appends " at line 1 column 42" to messages; the field path already says where.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// Where a syntax error is, in Vietnamese ("dòng 1, cột 14").
fn syntax_vi(err: &serde_json::Error) -> String {
    if err.is_eof() {
        return "nội dung bị cắt ngang.".to_owned();
    }
    format!("lỗi cú pháp ở dòng {}, cột {}.", err.line(), err.column())
}

/// The field a serde data error concerns and a Vietnamese message for it. `path` is where the
/// deserializer stood (`.` for the document itself); `message` is serde's English text, whose
/// wording is stable across serde's data errors. `None` as the field means the whole document.
fn field_error(path: &str, message: &str) -> (Option<String>, String) {
    let at = |name: &str| {
        Some(match path {
            "." | "" => name.to_owned(),
            parent => format!("{parent}.{name}"),
        })
    };
    // Every body is an object; serde reads an array into a struct field by field (`[0]`), which
    // names no field of the request.
    if path.starts_with('[') {
        return (None, "Sai kiểu dữ liệu (cần đối tượng).".to_owned());
    }
    let here = if path == "." || path.is_empty() { None } else { Some(path.to_owned()) };
    if let Some(name) = quoted_after(message, "missing field ") {
        return (at(name), "Bắt buộc.".to_owned());
    }
    if let Some(name) = quoted_after(message, "unknown field ") {
        return (at(name), "Trường này không được hỗ trợ.".to_owned());
    }
    if let Some(name) = quoted_after(message, "duplicate field ") {
        return (at(name), "Trường này bị lặp lại.".to_owned());
    }
    (here, value_error_vi(message))
}

/// A Vietnamese message for a value serde refused (wrong type, unknown enum value, bad number…).
fn value_error_vi(message: &str) -> String {
    if message.starts_with("invalid type") {
        return match message.split_once(", expected ").and_then(|(_, expected)| expected_vi(expected)) {
            Some(expected) => format!("Sai kiểu dữ liệu (cần {expected})."),
            None => "Sai kiểu dữ liệu.".to_owned(),
        };
    }
    // The allowed values are wire words (`partly_right`): the message says the choice is not one
    // of them; the OpenAPI document lists them for API clients.
    if message.starts_with("unknown variant") {
        return "Giá trị không có trong danh sách được chọn.".to_owned();
    }
    if message.starts_with("invalid length") {
        return "Số phần tử không hợp lệ.".to_owned();
    }
    if message.starts_with("missing field ") {
        return "Bắt buộc.".to_owned();
    }
    // chrono's parse errors: a date (`YYYY-MM-DD`) that is not one.
    if [
        "input is out of range",
        "input contains invalid characters",
        "premature end of input",
        "trailing input",
    ]
    .iter()
    .any(|m| message.starts_with(m))
    {
        return "Ngày không hợp lệ (dạng YYYY-MM-DD).".to_owned();
    }
    if message.contains("invalid digit") || message.contains("cannot parse") {
        return "Sai kiểu dữ liệu (cần một số).".to_owned();
    }
    "Giá trị không hợp lệ.".to_owned()
}

/// serde's "expected …" phrase in Vietnamese, for the common cases.
fn expected_vi(expected: &str) -> Option<&'static str> {
    const INTEGERS: [&str; 12] =
        ["i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize"];
    let e = expected.trim();
    Some(if e.contains("struct") || e.contains("map") || e.contains("enum") {
        "đối tượng"
    } else if e.contains("sequence") || e.contains("tuple") || e.contains("array") {
        "danh sách"
    } else if e.contains("string") || e.contains("char") {
        "chuỗi ký tự"
    } else if e.contains("bool") {
        "giá trị đúng hoặc sai"
    } else if e.contains("integer") || INTEGERS.contains(&e) {
        "số nguyên"
    } else if e == "f32" || e == "f64" || e.contains("float") || e.contains("number") {
        "số"
    } else {
        return None;
    })
}

/// The name in backticks right after `prefix` at the start of `message`.
fn quoted_after<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = message.strip_prefix(prefix)?.strip_prefix('`')?;
    rest.split_once('`').map(|(name, _)| name)
}

impl<T: Serialize> IntoResponse for AppJson<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// A query string, with errors reported per parameter as 400 `invalid_query`.
#[derive(Debug, Clone, Copy, Default)]
pub struct AppQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for AppQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(de).map(AppQuery).map_err(|err| {
            let path = err.path().to_string();
            let (field, message) = query_error(&path, &err.into_inner().to_string());
            let field = field.unwrap_or_else(|| "query".to_owned());
            let label = crate::domain::input::param_label(&field).to_owned();
            let mut fields = FieldErrors::new();
            fields.insert(field.clone(), vec![message.clone()]);
            let message = if label == field && field == "query" {
                format!("Tham số truy vấn không hợp lệ: {message}")
            } else {
                format!("{label}: {message}")
            };
            AppError::InvalidQuery { message, fields }
        })
    }
}

/// [`field_error`] for a query string, where every value arrives as text: a number that is not
/// one is said so, a negative one too (`days=-3` is a negative number, not "not a number").
fn query_error(path: &str, message: &str) -> (Option<String>, String) {
    let (field, text) = field_error(path, message);
    if message.contains("invalid digit") && !message.contains("invalid type") {
        return (field, "Phải là một số nguyên không âm.".to_owned());
    }
    (field, text)
}

/// Path parameters, with a bad value (a word where an id belongs) as 400 `invalid_path`.
#[derive(Debug, Clone, Copy, Default)]
pub struct AppPath<T>(pub T);

impl<S, T> FromRequestParts<S> for AppPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(v)| AppPath(v))
            .map_err(|rejection| {
                // axum's own text is English ("Cannot parse `abc` to a `i64`"): say it plainly.
                let why = match rejection {
                    axum::extract::rejection::PathRejection::FailedToDeserializePathParams(_) => {
                        "một tham số trong đường dẫn sai kiểu dữ liệu (ví dụ chữ ở chỗ cần số)."
                    }
                    _ => "thiếu tham số trong đường dẫn.",
                };
                AppError::bad_request("invalid_path", format!("Đường dẫn không hợp lệ: {why}"))
            })
    }
}

/// A `multipart/form-data` body, whose parts are read as they arrive (an upload); a body of
/// another type is 400 `unsupported_media_type`, as with [`AppJson`].
pub struct AppMultipart(pub axum::extract::Multipart);

impl<S> FromRequest<S> for AppMultipart
where
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let req =
            Request::from_parts(parts, axum::body::Body::new(FrameByFrame { inner: body, yielded: false }));
        axum::extract::Multipart::from_request(req, state).await.map(AppMultipart).map_err(|_| {
            AppError::BadRequest {
                code: "unsupported_media_type",
                message: "Nội dung phải là biểu mẫu multipart/form-data, tệp trong phần `file`.".to_owned(),
            }
        })
    }
}

/// A request body that gives its reader at most one frame each time it is polled (then asks to
/// be polled again). The multipart parser (multer) reads, each time it is polled, every frame the
/// body has ready into its own buffer, without bound: from a fast client a whole 10 MB file would
/// pile up there while the part is still being written out. One frame a poll keeps that buffer at
/// a frame or two (hyper reads at most ~400 KB at a time), whatever the client's speed.
struct FrameByFrame {
    inner: axum::body::Body,
    /// A frame was given on the last poll: the next one yields first.
    yielded: bool,
}

impl http_body::Body for FrameByFrame {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        use std::task::Poll;
        if self.yielded {
            self.yielded = false;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        let polled = std::pin::Pin::new(&mut self.inner).poll_frame(cx);
        self.yielded = matches!(polled, Poll::Ready(Some(Ok(_))));
        polled
    }

    fn is_end_stream(&self) -> bool {
        !self.yielded && self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}
