//! The one error type of the API. Every failure leaves as JSON
//! `{"error":{"code","message","fields"?}}` with a stable snake_case `code` the frontend translates;
//! a 5xx logs its cause and shows only a generic message.

use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use sea_orm::{DbErr, RuntimeErr, SqlErr, sqlx};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::{
    input::{BadQuery, Invalid},
    petition::Refusal,
};

pub use crate::domain::input::FieldErrors;

/// Everything a handler can answer besides success.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 422: the body had the right shape but some values are not acceptable.
    #[error("validation failed")]
    Validation(FieldErrors),
    /// 400: the request cannot be understood (malformed JSON, bad query string…).
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    /// 400 `invalid_query`: a query string that does not hold, with the message of each parameter
    /// at fault when it is known (filed under the parameter's name, worded with its label).
    #[error("{message}")]
    InvalidQuery { message: String, fields: FieldErrors },
    /// 422 with a code of its own: a value the database refused (too long, out of range, against a
    /// constraint) that no field check caught first.
    #[error("{message}")]
    Unprocessable { code: &'static str, message: String },
    /// 401: no identity, or not a valid one.
    #[error("{message}")]
    Unauthorized { code: &'static str, message: String },
    /// 403: a known user without the right to do this.
    #[error("forbidden")]
    Forbidden,
    /// 403 `csrf_check_failed`: an unsafe request authenticated by the session cookie without the
    /// marks of the site's own pages (see `auth::cookie`).
    #[error("cross-site request refused")]
    CsrfCheckFailed,
    /// 404: no such thing (or one the caller may not know exists).
    #[error("not found")]
    NotFound,
    /// 409: the request conflicts with the current state (invalid transition, duplicate, stale edit).
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    /// 413: the body is larger than the server accepts.
    #[error("payload too large")]
    PayloadTooLarge,
    /// 413 with a code of its own: a file larger than its limit (`file_too_large`), or one a case
    /// has no room left for (`case_attachments_full`).
    #[error("{message}")]
    TooLarge { code: &'static str, message: String },
    /// 415: content of a type the endpoint does not take (`unsupported_type`: a file whose first
    /// bytes are not a PDF's, a JPEG's or a PNG's).
    #[error("{message}")]
    UnsupportedType { code: &'static str, message: String },
    /// 429: too many requests from this client (`rate_limited`), or too many wrong passwords for
    /// an account or from an address (`too_many_attempts`); answered with `Retry-After`, the
    /// seconds to wait.
    #[error("{message}")]
    TooManyRequests { code: &'static str, message: String, retry_after_secs: u64 },
    /// 408: the request ran out of time and its database work was stopped (`db::budget`); the
    /// same answer as the server's own request timeout.
    #[error("timed out")]
    Timeout,
    /// 500: a bug or an unavailable dependency; the cause is logged, never shown.
    #[error("internal error: {0}")]
    Internal(String),
}

/// The JSON body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// What went wrong, with a stable code.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable snake_case code, e.g. `invalid_credentials`, `validation_failed`, `invalid_transition`.
    pub code: String,
    /// A human-readable explanation (Vietnamese).
    pub message: String,
    /// Per-field messages: for validation errors, and for a bad query string the parameters at
    /// fault (by their names; the messages say them in words).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<FieldErrors>,
}

impl AppError {
    /// A 400 with a code and message.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::BadRequest { code, message: message.into() }
    }

    /// A 429 `rate_limited`: this client sent more than its share; it may try again in
    /// `retry_after_secs`.
    pub fn rate_limited(retry_after_secs: u64) -> Self {
        let retry_after_secs = retry_after_secs.max(1);
        Self::TooManyRequests {
            code: "rate_limited",
            message: format!("Quá nhiều yêu cầu, vui lòng thử lại sau {}.", wait_words(retry_after_secs)),
            retry_after_secs,
        }
    }

    /// A 409 with a code and message.
    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::Conflict { code, message: message.into() }
    }

    /// A 401 with a code and message.
    pub fn unauthorized(code: &'static str, message: impl Into<String>) -> Self {
        Self::Unauthorized { code, message: message.into() }
    }

    /// A 422 for one field.
    pub fn field(name: &str, message: impl Into<String>) -> Self {
        let mut fields = FieldErrors::new();
        fields.insert(name.to_owned(), vec![message.into()]);
        Self::Validation(fields)
    }

    /// A 500 with a logged cause.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        Self::Internal(cause.to_string())
    }

    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Validation(_) | Self::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::BadRequest { .. } | Self::InvalidQuery { .. } => StatusCode::BAD_REQUEST,
            Self::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            Self::Forbidden | Self::CsrfCheckFailed => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::PayloadTooLarge | Self::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Timeout => StatusCode::REQUEST_TIMEOUT,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Validation(_) => "validation_failed",
            Self::InvalidQuery { .. } => "invalid_query",
            Self::BadRequest { code, .. }
            | Self::Unprocessable { code, .. }
            | Self::Unauthorized { code, .. }
            | Self::Conflict { code, .. }
            | Self::TooLarge { code, .. }
            | Self::UnsupportedType { code, .. }
            | Self::TooManyRequests { code, .. } => code,
            Self::Forbidden => "forbidden",
            Self::CsrfCheckFailed => "csrf_check_failed",
            Self::NotFound => "not_found",
            Self::PayloadTooLarge => "payload_too_large",
            Self::Timeout => "timeout",
            Self::Internal(_) => "internal_error",
        }
    }

    fn body(&self) -> ErrorBody {
        let (message, fields) = match self {
            Self::Validation(fields) => ("Dữ liệu không hợp lệ.".to_owned(), Some(fields.clone())),
            Self::InvalidQuery { message, fields } => {
                (message.clone(), if fields.is_empty() { None } else { Some(fields.clone()) })
            }
            Self::BadRequest { message, .. }
            | Self::Unprocessable { message, .. }
            | Self::Unauthorized { message, .. }
            | Self::Conflict { message, .. }
            | Self::TooLarge { message, .. }
            | Self::UnsupportedType { message, .. }
            | Self::TooManyRequests { message, .. } => (message.clone(), None),
            Self::Forbidden => ("Bạn không có quyền thực hiện thao tác này.".to_owned(), None),
            Self::CsrfCheckFailed => (
                "Yêu cầu bị từ chối vì không đến từ trang của hệ thống (thiếu tiêu đề X-Requested-With). \
                 Vui lòng tải lại trang rồi thử lại."
                    .to_owned(),
                None,
            ),
            Self::NotFound => ("Không tìm thấy.".to_owned(), None),
            Self::PayloadTooLarge => ("Nội dung gửi lên quá lớn.".to_owned(), None),
            Self::Timeout => ("Yêu cầu quá thời gian xử lý.".to_owned(), None),
            Self::Internal(_) => ("Lỗi hệ thống, vui lòng thử lại sau.".to_owned(), None),
        };
        ErrorBody { error: ErrorDetail { code: self.code().to_owned(), message, fields } }
    }
}

/// A wait as a person says it: "30 giây", "5 phút", "1 giờ 30 phút".
pub fn wait_words(secs: u64) -> String {
    match secs {
        0..=59 => format!("{secs} giây"),
        60..=3599 => format!("{} phút", secs.div_ceil(60)),
        _ => match (secs / 3600, (secs % 3600).div_ceil(60)) {
            (h, 0) => format!("{h} giờ"),
            (h, 60) => format!("{} giờ", h + 1),
            (h, m) => format!("{h} giờ {m} phút"),
        },
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let Self::Internal(cause) = &self {
            tracing::error!(%cause, "request failed");
        }
        let mut response = (self.status(), Json(self.body())).into_response();
        // Every 429 says when to come back (RFC 9110 §10.2.3).
        if let Self::TooManyRequests { retry_after_secs, .. } = self {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, retry_after_secs.max(1).into());
        }
        response
    }
}

/// A JSON error response for a status that did not come from a handler (405, 413, 408…),
/// so that every error the server gives has the same shape.
pub fn error_response_for_status(status: StatusCode) -> Response {
    let (code, message) = match status {
        StatusCode::NOT_FOUND => ("not_found", "Không tìm thấy."),
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "Phương thức không được hỗ trợ."),
        StatusCode::PAYLOAD_TOO_LARGE => ("payload_too_large", "Nội dung gửi lên quá lớn."),
        StatusCode::REQUEST_TIMEOUT => ("timeout", "Yêu cầu quá thời gian xử lý."),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            ("unsupported_media_type", "Nội dung phải là JSON (Content-Type: application/json).")
        }
        StatusCode::TOO_MANY_REQUESTS => ("rate_limited", "Quá nhiều yêu cầu, vui lòng thử lại sau."),
        s if s.is_server_error() => ("internal_error", "Lỗi hệ thống, vui lòng thử lại sau."),
        _ => ("bad_request", "Yêu cầu không hợp lệ."),
    };
    let body =
        ErrorBody { error: ErrorDetail { code: code.to_owned(), message: message.to_owned(), fields: None } };
    let mut response = (status, Json(body)).into_response();
    if status == StatusCode::TOO_MANY_REQUESTS {
        response
            .headers_mut()
            .insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from_static("60"));
    }
    response
}

impl From<DbErr> for AppError {
    /// A duplicate or a missing reference is a 409; a value the database refuses as data (too long,
    /// out of range, against a constraint) is a 4xx with a stable code, logged as a warning because
    /// a field check should have caught it first; anything else (connection, syntax, a bug) is a 500.
    fn from(err: DbErr) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => Self::conflict("duplicate", "Bản ghi đã tồn tại."),
            Some(SqlErr::ForeignKeyConstraintViolation(_)) => {
                Self::conflict("reference_missing", "Tham chiếu tới bản ghi không tồn tại.")
            }
            _ if is_cut_short(&err) => Self::Timeout,
            _ => match refused_value(&err) {
                Some(refused) => {
                    tracing::warn!(cause = %err, code = refused.code(), "the database refused a value");
                    refused
                }
                None => Self::Internal(err.to_string()),
            },
        }
    }
}

/// Whether the database stopped the statement because its request ran out of time
/// (`db::budget`): SQLite's `SQLITE_INTERRUPT` (9) from the progress handler, PostgreSQL's
/// `query_canceled` (57014) from `statement_timeout`.
fn is_cut_short(err: &DbErr) -> bool {
    let Some(db) = database_error(err) else { return false };
    let Some(code) = db.code() else { return false };
    if db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>().is_some() {
        return code == "57014";
    }
    db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some()
        && code.parse::<i32>().is_ok_and(|c| c & 0xff == 9)
}

/// The driver's error behind a failed statement, if the database itself answered.
fn database_error(err: &DbErr) -> Option<&dyn sqlx::error::DatabaseError> {
    match err {
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => match e.as_ref() {
            sqlx::Error::Database(db) => Some(db.as_ref()),
            _ => None,
        },
        _ => None,
    }
}

/// What the database said about a value it would not store, as a client error: PostgreSQL's
/// SQLSTATE classes 22 (data exception) and 23 (integrity constraint violation), SQLite's
/// `SQLITE_TOOBIG` and constraint codes. `None` for every other failure.
fn refused_value(err: &DbErr) -> Option<AppError> {
    use sqlx::error::ErrorKind;
    let db = database_error(err)?;
    let too_long = || AppError::Unprocessable {
        code: "value_too_long",
        message: "Một giá trị dài quá mức cho phép.".into(),
    };
    let date = || AppError::Unprocessable {
        code: "date_out_of_range",
        message: "Một ngày tháng nằm ngoài khoảng cho phép.".into(),
    };
    let constraint = || AppError::Unprocessable {
        code: "constraint_violation",
        message: "Dữ liệu không thỏa ràng buộc của hệ thống.".into(),
    };
    match db.kind() {
        ErrorKind::NotNullViolation => {
            return Some(AppError::Unprocessable {
                code: "missing_value",
                message: "Thiếu một giá trị bắt buộc.".into(),
            });
        }
        ErrorKind::CheckViolation => return Some(constraint()),
        _ => {}
    }
    let code = db.code()?;
    if db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>().is_some() {
        return match code.as_ref() {
            // string_data_right_truncation
            "22001" => Some(too_long()),
            // numeric_value_out_of_range
            "22003" => Some(AppError::Unprocessable {
                code: "number_out_of_range",
                message: "Một giá trị số nằm ngoài khoảng cho phép.".into(),
            }),
            // invalid_datetime_format, datetime_field_overflow
            "22007" | "22008" => Some(date()),
            // Other integrity violations (restrict, exclusion): the state forbids it.
            c if c.starts_with("23") => {
                Some(AppError::conflict("constraint_violation", "Dữ liệu không thỏa ràng buộc của hệ thống."))
            }
            _ => None,
        };
    }
    if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
        // Primary result codes are the low byte of the extended ones: 18 SQLITE_TOOBIG,
        // 19 SQLITE_CONSTRAINT.
        return match code.parse::<i32>().ok()? & 0xff {
            18 => Some(too_long()),
            19 => Some(constraint()),
            _ => None,
        };
    }
    None
}

impl From<Invalid> for AppError {
    fn from(Invalid(fields): Invalid) -> Self {
        Self::Validation(fields)
    }
}

impl From<BadQuery> for AppError {
    /// 400 `invalid_query`; the message is also filed under the parameter it names, if any.
    fn from(BadQuery(message, param): BadQuery) -> Self {
        let mut fields = FieldErrors::new();
        if let Some(param) = param {
            fields.insert(param.to_owned(), vec![message.clone()]);
        }
        Self::InvalidQuery { message, fields }
    }
}

impl From<crate::domain::page::TooDeep> for AppError {
    fn from(_: crate::domain::page::TooDeep) -> Self {
        Self::bad_request("page_too_deep", "Trang quá sâu: hãy xem tiếp từ trang trước bằng nút “Trang sau”.")
    }
}

impl From<crate::domain::reception::BelowMinimum> for AppError {
    /// 422 `below_legal_minimum`: a chairman's schedule under the law's minimum, set without a
    /// reason; the message cites the article.
    fn from(below: crate::domain::reception::BelowMinimum) -> Self {
        Self::Unprocessable { code: "below_legal_minimum", message: below.refusal() }
    }
}

impl From<Refusal> for AppError {
    fn from(Refusal { code, message }: Refusal) -> Self {
        Self::Conflict { code, message }
    }
}

impl From<sea_orm::TransactionError<AppError>> for AppError {
    fn from(err: sea_orm::TransactionError<AppError>) -> Self {
        match err {
            sea_orm::TransactionError::Connection(db) => db.into(),
            sea_orm::TransactionError::Transaction(app) => app,
        }
    }
}

/// Shorthand for handler and service results.
pub type AppResult<T> = Result<T, AppError>;
