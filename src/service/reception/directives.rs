//! Session-conclusion notices (ND 154/2026 Art. 25(2)–(3)): the head's text and his directives to
//! units, each with a due date, tracked to completion like cases: overdue when still open after
//! its due date, nearly due within three working days, listed overdue first.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, sea_query::Expr,
};

use crate::{
    auth::AuthUser,
    clock::civil_date,
    domain::{
        calendar::Calendar,
        input::Fields,
        page::{Page, PageRequest},
        reception::{
            CompleteRequest, Completion, Conclusion, ConclusionRequest, DirectiveFilter, DirectiveQuery,
            DirectiveStatus, SessionStatus, check_done_on, directive_due,
        },
    },
    entity::{reception_directive, reception_session, unit},
    error::{AppError, AppResult},
    service::{
        access::reception::{can_complete_directive, can_conclude, can_see_directive, directive_list_scope},
        context::Ctx,
        deadlines::Today,
        reception::{
            sessions::{self, SessionDetail},
            unit_names,
        },
    },
};

/// Directives with what their views need: their units' names, and the last day that counts as
/// nearly due (three working days from today).
#[derive(Debug, Clone)]
pub struct Directives<T> {
    pub items: T,
    pub units: HashMap<i64, String>,
    pub nearly_due_until: NaiveDate,
}

/// The directives with their units' names and the nearly-due horizon of the request's day.
pub async fn with_units(
    ctx: &Ctx,
    items: Vec<reception_directive::Model>,
) -> AppResult<Directives<Vec<reception_directive::Model>>> {
    let nearly_due_until = nearly_due_until(ctx).await?;
    let ids: Vec<i64> = items.iter().map(|d| d.unit_id).collect();
    let units = unit_names(ctx.reader(), &ids).await?;
    Ok(Directives { items, units, nearly_due_until })
}

/// The last day that counts as nearly due on the request's day.
async fn nearly_due_until(ctx: &Ctx) -> AppResult<NaiveDate> {
    Ok(Today::of(ctx).await?.nearly_due_until)
}

/// `POST /reception-sessions/{id}/conclusion`: the conclusion notice of a held session of the
/// agency, written by the chairman or the session's host ([`can_conclude`]), in one transaction;
/// the answer is the session as [`sessions::detail`] shows it.
pub async fn conclude(ctx: &Ctx, session_id: i64, form: ConclusionRequest) -> AppResult<SessionDetail> {
    let agency_id = ctx.user.require_staff()?;
    let session = sessions::find(ctx.reader(), agency_id, session_id).await?;
    if !can_conclude(&ctx.user, session.host_id) {
        return Err(AppError::Forbidden);
    }
    let conclusion = form.parse()?;
    let cal = ctx.calendar().await?;
    let txn = ctx.begin().await?;
    let session = sessions::find(&txn, agency_id, session_id).await?;
    issue(&txn, &ctx.user, session, conclusion, &cal, ctx.now).await?;
    txn.commit().await?;
    sessions::detail(ctx, session_id).await
}

/// `GET /reception-directives`: the directives the caller may list ([`directive_list_scope`]),
/// open before done, overdue and nearest due first.
pub async fn list(
    ctx: &Ctx,
    asked: DirectiveQuery,
) -> AppResult<Directives<Page<reception_directive::Model>>> {
    let agency_id = ctx.user.require_staff()?;
    let scope = directive_list_scope(&ctx.user, asked.unit_id).ok_or(AppError::Forbidden)?;
    let (mut filter, page) = asked.parse()?;
    filter.unit_id = scope.unit();
    let nearly_due_until = nearly_due_until(ctx).await?;
    let (rows, total) = query(ctx.reader(), agency_id, &filter, ctx.today, nearly_due_until, page).await?;
    let units = unit_names(ctx.reader(), &rows.iter().map(|d| d.unit_id).collect::<Vec<_>>()).await?;
    Ok(Directives { items: Page::new(rows, total, page), units, nearly_due_until })
}

/// `POST /reception-directives/{id}/complete`: marks a directive the caller may see done with its
/// result (see [`mark_done`]).
pub async fn complete(
    ctx: &Ctx,
    id: i64,
    form: CompleteRequest,
) -> AppResult<Directives<reception_directive::Model>> {
    let nearly_due_until = nearly_due_until(ctx).await?;
    let completion = form.parse(ctx.today)?;
    let directive = find_visible(ctx.reader(), &ctx.user, id).await?;
    let done = mark_done(ctx.writer(), &ctx.user, directive, completion, ctx.today, ctx.now).await?;
    let units = unit_names(ctx.reader(), &[done.unit_id]).await?;
    Ok(Directives { items: done, units, nearly_due_until })
}

/// Issues the conclusion notice of a held session with its directives, once, in the caller's
/// transaction. Each directive's unit is of the session's agency; each due date is from the
/// session's day to a year after the notice, kept on a working day ([`directive_due`]).
pub async fn issue(
    db: &impl ConnectionTrait,
    user: &AuthUser,
    session: reception_session::Model,
    conclusion: Conclusion,
    cal: &Calendar,
    now: DateTime<Utc>,
) -> AppResult<(reception_session::Model, Vec<reception_directive::Model>)> {
    let Conclusion { text, directives } = conclusion;
    if session.status != SessionStatus::Held {
        return Err(AppError::conflict(
            "session_not_held",
            "Chỉ ra thông báo kết luận cho buổi tiếp đã diễn ra (đánh dấu đã tiếp trước).",
        ));
    }
    if session.concluded_at.is_some() {
        return Err(AppError::conflict("already_concluded", "Buổi tiếp đã có thông báo kết luận."));
    }
    let today = civil_date(now);
    let mut f = Fields::new();
    let mut checked = Vec::with_capacity(directives.len());
    for (i, mut d) in directives.into_iter().enumerate() {
        let found = unit::Entity::find_by_id(d.unit_id).one(db).await?;
        if found.is_none_or(|u| u.agency_id != session.agency_id) {
            f.report(&format!("directives[{i}].unit_id"), "Đơn vị không thuộc cơ quan này.");
        }
        if let Some(due) =
            f.check(&format!("directives[{i}].due"), directive_due(cal, d.due, session.session_date, today))
        {
            d.due = due;
        }
        checked.push(d);
    }
    f.finish()?;
    let mut created = Vec::with_capacity(checked.len());
    for d in checked {
        created.push(
            reception_directive::ActiveModel {
                agency_id: Set(session.agency_id),
                session_id: Set(session.id),
                unit_id: Set(d.unit_id),
                task: Set(d.task),
                due_on: Set(d.due),
                status: Set(DirectiveStatus::Open),
                result: Set(None),
                done_on: Set(None),
                done_by: Set(None),
                created_by: Set(user.id),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?,
        );
    }
    let mut m: reception_session::ActiveModel = session.into();
    m.conclusion = Set(Some(text));
    m.concluded_at = Set(Some(now));
    m.concluded_by = Set(Some(user.id));
    m.updated_at = Set(now);
    Ok((m.update(db).await?, created))
}

/// The directives of a session.
pub async fn of_session(
    db: &impl ConnectionTrait,
    session_id: i64,
) -> AppResult<Vec<reception_directive::Model>> {
    Ok(reception_directive::Entity::find()
        .filter(reception_directive::Column::SessionId.eq(session_id))
        .order_by_asc(reception_directive::Column::Id)
        .all(db)
        .await?)
}

/// A page of an agency's directives: open before done, overdue and nearest due first ("hết việc,
/// không hết giờ").
async fn query(
    db: &impl ConnectionTrait,
    agency_id: i64,
    f: &DirectiveFilter,
    today: NaiveDate,
    nearly_due_until: NaiveDate,
    page: PageRequest,
) -> AppResult<(Vec<reception_directive::Model>, u64)> {
    let open = DirectiveStatus::Open.as_str();
    let mut cond = Condition::all().add(reception_directive::Column::AgencyId.eq(agency_id));
    if let Some(u) = f.unit_id {
        cond = cond.add(reception_directive::Column::UnitId.eq(u));
    }
    if let Some(s) = f.status {
        cond = cond.add(reception_directive::Column::Status.eq(s.as_str()));
    }
    if let Some(s) = f.session_id {
        cond = cond.add(reception_directive::Column::SessionId.eq(s));
    }
    match f.overdue {
        Some(true) => {
            cond = cond
                .add(reception_directive::Column::Status.eq(open))
                .add(reception_directive::Column::DueOn.lt(today))
        }
        Some(false) => {
            cond = cond.add(
                Condition::any()
                    .add(reception_directive::Column::Status.ne(open))
                    .add(reception_directive::Column::DueOn.gte(today)),
            )
        }
        None => {}
    }
    if f.nearly_due == Some(true) {
        cond = cond
            .add(reception_directive::Column::Status.eq(open))
            .add(reception_directive::Column::DueOn.gte(today))
            .add(reception_directive::Column::DueOn.lte(nearly_due_until));
    }
    let open_first: Expr = Expr::case(reception_directive::Column::Status.eq(open), 0).finally(1).into();
    let query = reception_directive::Entity::find().filter(cond);
    let total = query.clone().count(db).await?;
    let items = query
        .order_by_asc(open_first)
        .order_by_asc(reception_directive::Column::DueOn)
        .order_by_asc(reception_directive::Column::Id)
        .offset(page.offset())
        .limit(page.per_page)
        .all(db)
        .await?;
    Ok((items, total))
}

/// A directive the user may see ([`can_see_directive`]): 404 for another agency's, 403 for
/// another unit's.
async fn find_visible(
    db: &impl ConnectionTrait,
    user: &AuthUser,
    id: i64,
) -> AppResult<reception_directive::Model> {
    let d = reception_directive::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    if user.agency_id != Some(d.agency_id) {
        return Err(AppError::NotFound);
    }
    if !can_see_directive(user, d.unit_id) {
        return Err(AppError::Forbidden);
    }
    Ok(d)
}

/// Marks a directive done with its result: the head of its unit or the chairman
/// ([`can_complete_directive`]), once, on a day from the session's to today.
async fn mark_done(
    db: &impl ConnectionTrait,
    user: &AuthUser,
    directive: reception_directive::Model,
    completion: Completion,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<reception_directive::Model> {
    if !can_complete_directive(user, directive.unit_id) {
        return Err(AppError::Forbidden);
    }
    if directive.status != DirectiveStatus::Open {
        return Err(AppError::conflict("invalid_transition", "Chỉ đạo này đã được hoàn thành."));
    }
    let session_date = reception_session::Entity::find_by_id(directive.session_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::internal(format!("directive {} without its session", directive.id)))?
        .session_date;
    check_done_on(completion.done_on, session_date, today).map_err(|m| AppError::field("done_on", m))?;
    let mut m: reception_directive::ActiveModel = directive.into();
    m.status = Set(DirectiveStatus::Done);
    m.result = Set(Some(completion.result));
    m.done_on = Set(Some(completion.done_on));
    m.done_by = Set(Some(user.id));
    m.updated_at = Set(now);
    Ok(m.update(db).await?)
}
