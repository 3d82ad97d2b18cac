//! Attachments: an officer's and the citizen's uploads (multipart, one part `file`), a case's
//! list, and a file's bytes. Each handler authorizes, calls `service::attachments` and shapes the
//! answer; the upload's part is handed to the service as a stream, read as it arrives.

use axum::{
    body::Body,
    extract::{DefaultBodyLimit, State},
    http::{HeaderValue, StatusCode, header},
    response::Response,
};
use futures_util::TryStreamExt;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::AppState,
    domain::attachment::{MAX_FILE_BYTES, Refused},
    error::{AppError, AppResult},
    http::{
        extract::{AppJson, AppMultipart, AppPath, AppQuery},
        rate_limit::ClientIp,
    },
    service::{
        attachments::{self, Download, Incoming, spool::refusal},
        context::{Context, Ctx},
    },
    views::attachment::{AttachedView, AttachmentView, UploadForm, content_disposition},
};

/// The largest upload body these routes read: one file at its limit and the multipart framing
/// around it (boundaries, part headers, a few small fields). Every other route keeps the app's
/// 1 MB (`app::build_router`).
pub const UPLOAD_BODY_LIMIT: usize = MAX_FILE_BYTES as usize + 64 * 1024;

/// `POST /api/v1/petitions/{id}/attachments` (the officers who have the case in hand; for a
/// confidential matter only those who may see its people): attaches a PDF, JPEG or PNG of at most
/// 10 MB, 50 MB a case. 415 `unsupported_type`, 413 `file_too_large` / `case_attachments_full`,
/// 422 `empty_file`; 403 to one who may read the case's files but not add, 404 to others.
#[utoipa::path(post, path = "/petitions/{id}/attachments", tag = "petitions", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Case id")),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses((status = 201, body = AttachmentView), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody),
              (status = 413, body = crate::error::ErrorBody), (status = 415, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
async fn upload(
    ctx: Ctx,
    AppPath(id): AppPath<i64>,
    AppMultipart(mut form): AppMultipart,
) -> AppResult<(StatusCode, AppJson<AttachmentView>)> {
    ctx.user.require_staff()?;
    let mut part = file_part(&mut form).await?;
    let name = part.file_name().map(str::to_owned);
    let added = attachments::add(&ctx, id, Incoming { name, body: (&mut part).map_err(part_error) }).await;
    if added.is_err() {
        drain_part(part).await;
        drain_rest(&mut form).await;
    }
    Ok((StatusCode::CREATED, AppJson(added?.into())))
}

/// `GET /api/v1/petitions/{id}/attachments` (those who may see the case's people: for a
/// denunciation its receiving officer, handler and chairman; for other cases the agency's staff
/// but the admin): the case's files, oldest first, with who added each. 404 to everyone else.
#[utoipa::path(get, path = "/petitions/{id}/attachments", tag = "petitions", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Case id")),
    responses((status = 200, body = Vec<AttachmentView>), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody)))]
async fn list(ctx: Ctx, AppPath(id): AppPath<i64>) -> AppResult<AppJson<Vec<AttachmentView>>> {
    ctx.user.require_staff()?;
    Ok(AppJson(attachments::of_case(&ctx, id).await?.into_iter().map(AttachmentView::from).collect()))
}

/// How a file is sent.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ShowQuery {
    /// `true`: to be shown in the browser's tab (`Content-Disposition: inline`), as the staff's
    /// "Xem" opens it at this address; otherwise it is saved.
    inline: Option<bool>,
}

/// `GET /api/v1/attachments/{id}[?inline=true]` (as the case's list): the file's bytes,
/// streamed, with its type, length and name (`Content-Disposition`, UTF-8 `filename*`). Every
/// download is logged in the identity-access log (purpose `attachment`). 404 to whoever may not
/// see the case's people.
#[utoipa::path(get, path = "/attachments/{id}", tag = "petitions", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Attachment id"), ShowQuery),
    responses((status = 200, description = "The file's bytes, of the type its first bytes showed",
               content(("application/pdf"), ("image/jpeg"), ("image/png"))),
              (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
async fn download(
    ctx: Ctx,
    AppPath(id): AppPath<i64>,
    AppQuery(q): AppQuery<ShowQuery>,
) -> AppResult<Response> {
    ctx.user.require_staff()?;
    let Download { file, name, chunks } = attachments::open(&ctx, id).await?;
    let disposition = content_disposition(&name, q.inline.unwrap_or(false));
    let disposition = HeaderValue::from_str(&disposition).map_err(AppError::internal)?;
    Response::builder()
        .header(header::CONTENT_TYPE, file.content_type.as_str())
        .header(header::CONTENT_LENGTH, file.size)
        .header(header::CONTENT_DISPOSITION, disposition)
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
        // Evidence of a case, often of a person: kept by no cache on the way.
        .header(header::CACHE_CONTROL, "private, no-store")
        .body(Body::from_stream(chunks))
        .map_err(AppError::internal)
}

/// `POST /api/v1/public/petitions/{tracking_code}/attachments` (anyone with the tracking code,
/// within 24 hours of filing; rate-limited per client address): attaches a document or photo to
/// the petition just filed. The same types and limits as an officer's; 409
/// `attachment_window_closed` after the 24 hours, 404 for an unknown code.
#[utoipa::path(post, path = "/public/petitions/{tracking_code}/attachments", tag = "public",
    params(("tracking_code" = String, Path, description = "The case's tracking code")),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses((status = 201, body = AttachedView), (status = 404, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody), (status = 413, body = crate::error::ErrorBody),
              (status = 415, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody),
              (status = 429, body = crate::error::ErrorBody)))]
async fn upload_public(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ctx: Context<()>,
    AppPath(code): AppPath<String>,
    AppMultipart(mut form): AppMultipart,
) -> AppResult<(StatusCode, AppJson<AttachedView>)> {
    state.limits.public_upload.check(ip)?;
    let mut part = file_part(&mut form).await?;
    let name = part.file_name().map(str::to_owned);
    let incoming = Incoming { name, body: (&mut part).map_err(part_error) };
    let added = attachments::add_by_citizen(&ctx, &code, incoming).await;
    if added.is_err() {
        drain_part(part).await;
        drain_rest(&mut form).await;
    }
    Ok((StatusCode::CREATED, AppJson(added?.into())))
}

/// The part `file` of an upload: the form's first part (422 when it is missing or another comes
/// first; parts after it are not read).
async fn file_part(form: &mut axum::extract::Multipart) -> AppResult<axum::extract::multipart::Field<'_>> {
    form.next_field().await.map_err(part_error)?.filter(|part| part.name() == Some("file")).ok_or_else(|| {
        AppError::field("file", "Chưa chọn tệp: gửi tệp trong phần `file` đầu tiên của biểu mẫu.")
    })
}

/// Reads and drops what is left of a refused upload's part (then [`drain_rest`] the rest of the
/// form, up to the routes' body limit), so that a client still sending it reads the answer instead
/// of a connection reset; nothing is kept.
async fn drain_part(mut part: axum::extract::multipart::Field<'_>) {
    while let Ok(Some(_)) = part.chunk().await {}
}

/// Reads and drops the parts of a form after a refused one (see [`drain_part`]).
async fn drain_rest(form: &mut axum::extract::Multipart) {
    while let Ok(Some(mut next)) = form.next_field().await {
        while let Ok(Some(_)) = next.chunk().await {}
    }
}

/// A multipart body that cannot be read: larger than the routes take (413 `file_too_large`: a
/// file over its limit, declared by its length before it was read), malformed (400
/// `bad_multipart`), or cut off by the client (400 `upload_interrupted`).
fn part_error(err: axum::extract::multipart::MultipartError) -> AppError {
    match err.status() {
        StatusCode::PAYLOAD_TOO_LARGE => refusal(Refused::TooLarge),
        StatusCode::BAD_REQUEST => AppError::bad_request(
            "bad_multipart",
            "Không đọc được tệp gửi lên: cần một biểu mẫu multipart/form-data hợp lệ.",
        ),
        _ => AppError::bad_request("upload_interrupted", "Việc gửi tệp bị gián đoạn; vui lòng gửi lại."),
    }
}

/// Whether a request is an upload of an attachment (`POST …/attachments`), which gets the upload
/// time limit rather than the request timeout (`app::build_router`): its body, up to 10 MB from a
/// citizen's phone, is read within it.
pub fn is_upload(method: &axum::http::Method, path: &str) -> bool {
    method == axum::http::Method::POST && path.starts_with("/api/v1/") && path.ends_with("/attachments")
}

/// Routes of this resource. The uploads take bodies up to [`UPLOAD_BODY_LIMIT`]; a larger one is
/// answered 413 as soon as its length shows it.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload, list))
        .routes(routes!(upload_public))
        .layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT))
        .routes(routes!(download))
}
