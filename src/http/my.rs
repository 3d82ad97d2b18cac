//! A signed-in citizen's own things.

use axum::extract::State;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    app::AppState,
    auth::{AuthUser, Role},
    error::AppResult,
    http::extract::{AppJson, AppQuery, Page, PageParams},
    service::{deadlines, petitions::public},
    views::petition::MyPetitionView,
};

/// `GET /api/v1/my/petitions` (citizen): the petitions filed while signed in, newest first.
#[utoipa::path(get, path = "/my/petitions", tag = "public", security(("bearer" = [])), params(PageParams),
    responses((status = 200, body = Page<MyPetitionView>), (status = 403, body = crate::error::ErrorBody)))]
async fn my_petitions(
    State(state): State<AppState>,
    user: AuthUser,
    AppQuery(q): AppQuery<PageParams>,
) -> AppResult<AppJson<Page<MyPetitionView>>> {
    user.require_any(&[Role::Citizen])?;
    let page = q.checked()?;
    let (items, total) = public::of_citizen(&state.db.reader, user.id, page).await?;
    let ids: Vec<i64> = items.iter().map(|c| c.id).collect();
    let next_due = deadlines::next_due_of(&state.db.reader, &ids).await?;
    let items = items
        .into_iter()
        .map(|c| {
            let status = c.status;
            MyPetitionView {
                due: public::public_due(&c, next_due.get(&c.id).copied()),
                tracking_code: c.tracking_code,
                kind: c.kind,
                status,
                status_label: status.label_vi().to_owned(),
                received_on: c.received_on,
                subject: c.subject,
            }
        })
        .collect();
    Ok(AppJson(Page::new(items, total, page)))
}

/// Routes of this module.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(my_petitions))
}
