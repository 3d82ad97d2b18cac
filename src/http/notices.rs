//! Written notices: a case's list, the printable A4 page, the PDF, recording one as sent, and the
//! apology letter. Each handler authorizes, calls `service::notices` and shapes the answer.

use axum::{
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::AppState,
    error::{AppError, AppResult},
    http::extract::{AppJson, AppPath},
    service::{context::Ctx, notices},
    views::{
        notice::{IssueNoticeRequest, NoticeSentRequest, NoticeView},
        notice_html,
    },
};

/// `GET /api/v1/petitions/{id}/notices` (the case's staff): its written notices, as issued.
#[utoipa::path(get, path = "/petitions/{id}/notices", tag = "notices", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Case id")),
    responses((status = 200, body = Vec<NoticeView>), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody)))]
async fn notices_of(ctx: Ctx, AppPath(id): AppPath<i64>) -> AppResult<AppJson<Vec<NoticeView>>> {
    ctx.user.require_staff()?;
    let list = notices::of_case(&ctx, id).await?;
    Ok(AppJson(list.iter().map(|n| NoticeView::of(n, ctx.today)).collect()))
}

/// `POST /api/v1/petitions/{id}/notices` (the case's staff): the apology letter, once the case is
/// past a deadline.
#[utoipa::path(post, path = "/petitions/{id}/notices", tag = "notices", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Case id")), request_body = IssueNoticeRequest,
    responses((status = 201, body = NoticeView), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
async fn issue_notice(
    ctx: Ctx,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<IssueNoticeRequest>,
) -> AppResult<(StatusCode, AppJson<NoticeView>)> {
    ctx.user.require_staff()?;
    let written = notices::issue(&ctx, id, body).await?;
    Ok((StatusCode::CREATED, AppJson(NoticeView::of(&written, ctx.today))))
}

/// A notice's id, as the path names it: `12` (the page) or `12.pdf` (the PDF).
fn parse_file(file: &str) -> AppResult<(i64, bool)> {
    let (id, pdf) = match file.strip_suffix(".pdf") {
        Some(id) => (id, true),
        None => (file, false),
    };
    let id = id.parse::<i64>().map_err(|_| AppError::NotFound)?;
    if id <= 0 {
        return Err(AppError::NotFound);
    }
    Ok((id, pdf))
}

/// `GET /api/v1/notices/{id}` (the case's staff): the notice as a printable A4 page; with `.pdf`
/// after the id, the same document as a PDF.
#[utoipa::path(get, path = "/notices/{id}", tag = "notices", security(("bearer" = [])),
    params(("id" = String, Path, description = "Notice id, or the id followed by `.pdf`")),
    responses((status = 200, content_type = "text/html", description = "The printable notice"),
              (status = 200, content_type = "application/pdf", description = "The notice as a PDF (`{id}.pdf`)"),
              (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
async fn notice_document(ctx: Ctx, AppPath(file): AppPath<String>) -> AppResult<Response> {
    ctx.user.require_staff()?;
    let (id, pdf) = parse_file(&file)?;
    let doc = notices::document(&ctx, id).await?;
    if pdf {
        let bytes = crate::views::notice_pdf::render(&doc)?;
        let disposition = format!("inline; filename=\"thong-bao-{id}.pdf\"");
        return Ok((
            [
                (header::CONTENT_TYPE, "application/pdf".to_owned()),
                (header::CONTENT_DISPOSITION, disposition),
            ],
            bytes,
        )
            .into_response());
    }
    let html = notice_html::render(&doc, &format!("/api/v1/notices/{id}.pdf"));
    Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response())
}

/// `POST /api/v1/notices/{id}/sent` (the case's staff): records the notice as sent, which meets
/// the clock it owed.
#[utoipa::path(post, path = "/notices/{id}/sent", tag = "notices", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Notice id")), request_body = NoticeSentRequest,
    responses((status = 200, body = NoticeView), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
async fn notice_sent(
    ctx: Ctx,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<NoticeSentRequest>,
) -> AppResult<AppJson<NoticeView>> {
    ctx.user.require_staff()?;
    let saved = notices::record_sent(&ctx, id, body).await?;
    Ok(AppJson(NoticeView::of(&saved, ctx.today)))
}

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(notices_of, issue_notice))
        .routes(routes!(notice_document))
        .routes(routes!(notice_sent))
}
