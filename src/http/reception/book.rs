//! The reception book (Mẫu số 03/TCD): `/reception-book` as JSON and as the official spreadsheet.

use axum::{
    http::header,
    response::{IntoResponse, Response},
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::AppState,
    domain::reception::BookQuery,
    error::AppResult,
    http::extract::{AppJson, AppQuery},
    service::{context::Ctx, reception::book},
    views::reception::BookView,
};

/// The spreadsheet's media type.
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// `GET /api/v1/reception-book?from=&to=` (staff): the reception book's lines in the form's column
/// order; a denouncer's identity only for those who may see it ("Bảo mật danh tính" otherwise).
/// A period is at most 366 days and 20,000 lines (400 `invalid_query` beyond: ask a shorter one).
#[utoipa::path(get, path = "/reception-book", tag = "reception", security(("bearer" = [])), params(BookQuery),
    responses((status = 200, body = BookView), (status = 400, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody)))]
async fn reception_book(ctx: Ctx, AppQuery(q): AppQuery<BookQuery>) -> AppResult<AppJson<BookView>> {
    ctx.user.require_staff()?;
    Ok(AppJson(BookView::of(&book::read(&ctx, q).await?)))
}

/// `GET /api/v1/reception-book.xlsx?from=&to=` (staff): the book as the official spreadsheet
/// (Mẫu số 03/TCD: the form's Vietnamese headers in its order), identities redacted as in JSON.
#[utoipa::path(get, path = "/reception-book.xlsx", tag = "reception", security(("bearer" = [])), params(BookQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               description = "The reception book"),
              (status = 400, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody)))]
async fn reception_book_xlsx(ctx: Ctx, AppQuery(q): AppQuery<BookQuery>) -> AppResult<Response> {
    ctx.user.require_staff()?;
    let file = book::export(&ctx, q).await?;
    let disposition = format!("attachment; filename=\"{}\"", file.filename);
    Ok(([(header::CONTENT_TYPE, XLSX.to_owned()), (header::CONTENT_DISPOSITION, disposition)], file.bytes)
        .into_response())
}

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(reception_book)).routes(routes!(reception_book_xlsx))
}
