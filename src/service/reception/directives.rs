//! Session-conclusion notices (ND 154/2026 Art. 25(2)–(3)): the head's text and his directives to
//! units, each with a due date, tracked to completion like cases: overdue when still open after
//! its due date, nearly due within three working days, listed overdue first.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, sea_query::Expr,
};

use crate::{
    auth::{AuthUser, Role},
    clock::civil_date,
    domain::{
        calendar::Calendar,
        reception::{DirectiveStatus, SessionStatus, check_done_on, directive_due},
    },
    entity::{reception_directive, reception_session, unit},
    error::{AppError, AppResult, FieldErrors},
    http::extract::PageRequest,
};

/// A checked directive.
#[derive(Debug, Clone)]
pub struct NewDirective {
    pub unit_id: i64,
    pub task: String,
    pub due: NaiveDate,
}

/// Issues the conclusion notice of a held session with its directives, once. Each due date is
/// from the session's day to a year after the notice, kept on a working day
/// ([`directive_due`]).
pub async fn conclude(
    db: &impl ConnectionTrait,
    user: &AuthUser,
    session: reception_session::Model,
    text: String,
    directives: Vec<NewDirective>,
    cal: &Calendar,
    now: DateTime<Utc>,
) -> AppResult<(reception_session::Model, Vec<reception_directive::Model>)> {
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
    let mut errors = FieldErrors::new();
    let mut checked = Vec::with_capacity(directives.len());
    for (i, mut d) in directives.into_iter().enumerate() {
        let found = unit::Entity::find_by_id(d.unit_id).one(db).await?;
        if found.is_none_or(|u| u.agency_id != session.agency_id) {
            errors
                .entry(format!("directives[{i}].unit_id"))
                .or_default()
                .push("Đơn vị không thuộc cơ quan này.".to_owned());
        }
        match directive_due(cal, d.due, session.session_date, today) {
            Ok(due) => d.due = due,
            Err(m) => errors.entry(format!("directives[{i}].due")).or_default().push(m),
        }
        checked.push(d);
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
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

/// A directive the user may see: the chairman and admin see the agency's, others their unit's.
pub async fn find_visible(
    db: &impl ConnectionTrait,
    user: &AuthUser,
    id: i64,
) -> AppResult<reception_directive::Model> {
    let d = reception_directive::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    if user.agency_id != Some(d.agency_id) {
        return Err(AppError::NotFound);
    }
    if !sees_all(user) && user.unit_id != Some(d.unit_id) {
        return Err(AppError::Forbidden);
    }
    Ok(d)
}

/// Who sees every unit's directives.
pub fn sees_all(user: &AuthUser) -> bool {
    matches!(user.role, Role::Chairman | Role::Admin)
}

/// Filters of the directive list.
#[derive(Debug, Clone, Default)]
pub struct DirectiveFilter {
    pub unit_id: Option<i64>,
    pub status: Option<DirectiveStatus>,
    pub overdue: Option<bool>,
    pub nearly_due: Option<bool>,
    pub session_id: Option<i64>,
}

/// Directives of an agency: open before done, overdue and nearest due first ("hết việc, không hết giờ").
pub async fn list(
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
    let query = reception_directive::Entity::find().filter(cond);
    let total = query.clone().count(db).await?;
    let items = query
        .order_by_asc(Expr::cust("CASE WHEN status = 'open' THEN 0 ELSE 1 END"))
        .order_by_asc(reception_directive::Column::DueOn)
        .order_by_asc(reception_directive::Column::Id)
        .offset(page.offset())
        .limit(page.per_page)
        .all(db)
        .await?;
    Ok((items, total))
}

/// Marks a directive done with its result: the head of its unit or the chairman, on a day from
/// the session's to today.
pub async fn complete(
    db: &impl ConnectionTrait,
    user: &AuthUser,
    directive: reception_directive::Model,
    result: String,
    done_on: NaiveDate,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<reception_directive::Model> {
    let allowed = user.role == Role::Chairman
        || (user.role == Role::UnitHead && user.unit_id == Some(directive.unit_id));
    if !allowed {
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
    check_done_on(done_on, session_date, today).map_err(|m| AppError::field("done_on", m))?;
    let mut m: reception_directive::ActiveModel = directive.into();
    m.status = Set(DirectiveStatus::Done);
    m.result = Set(Some(result));
    m.done_on = Set(Some(done_on));
    m.done_by = Set(Some(user.id));
    m.updated_at = Set(now);
    Ok(m.update(db).await?)
}
