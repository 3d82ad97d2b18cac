//! Citizen reception over HTTP, one module per resource: sessions, their visits (the reception
//! book's lines), refusals to receive, session-conclusion directives, the heads' schedules
//! (`/reception-rules`), the book as JSON and XLSX, and the public schedule (JSON and iCalendar).
//! Each handler checks the caller's role, calls its use case in `service::reception` and shapes
//! the answer with `views::reception`.

mod book;
mod directives;
mod public_schedule;
mod refusals;
mod schedules;
mod sessions;
mod visits;

use utoipa_axum::router::OpenApiRouter;

use crate::app::AppState;

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(sessions::router())
        .merge(visits::router())
        .merge(refusals::router())
        .merge(directives::router())
        .merge(schedules::router())
        .merge(book::router())
        .merge(public_schedule::router())
}
