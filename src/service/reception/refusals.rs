//! Refusals to receive (Law 42/2013 Art. 9; ND 154/2026 Art. 4): each with its legal ground; where
//! the law wants the head's written notice (Mẫu 01/TCD) its 3-working-day clock runs from the day
//! the grounds were established until the notice is recorded as sent.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, sea_query::Expr,
};

use crate::{
    auth::AuthUser,
    crypto::Sealer,
    domain::{
        calendar::Calendar,
        deadline::{ClockId, ClockInput, Complexity, compute, rule_set_for},
        notice::{NoticeKind, Recipient, SendChannel},
        person::Person,
        petition::ReadPurpose,
        reception::{
            NewRefusal, NoticeRequest, NoticeSent, RefusalFilter, RefusalQuery, RefusalRequest,
            check_grounds_on, check_sent_on,
        },
    },
    entity::{notice, reception_refusal, reception_session},
    error::{AppError, AppResult},
    service::{
        access::can_see_refused,
        context::Ctx,
        deadlines, identity, notices,
        oversight::identity_reads::{self, Read, Subject},
        reception::sessions,
    },
};

/// A refusal as stored, the person refused (opened, when the caller may see who was refused:
/// [`can_see_refused`]), and the due date of its written notice (when one is required).
#[derive(Debug, Clone)]
pub struct Refusal {
    pub row: reception_refusal::Model,
    pub visitor: Option<Person>,
    pub notice_due: Option<NaiveDate>,
}

/// `POST /reception-sessions/{id}/refusals`: records a refusal in a session of the agency.
pub async fn create(ctx: &Ctx, session_id: i64, form: RefusalRequest) -> AppResult<Refusal> {
    let agency_id = ctx.user.require_staff()?;
    let new = form.parse()?;
    let session = sessions::find(ctx.reader(), agency_id, session_id).await?;
    let cal = ctx.calendar().await?;
    let txn = ctx.begin().await?;
    let created = insert(&txn, &ctx.keys().data, &ctx.user, &session, new, ctx.today, ctx.now).await?;
    // The written refusal (Mẫu 01/TCD) is a numbered notice of its own, due 3 working days after
    // the grounds were established.
    if let Some(grounds_on) = created.grounds_on {
        let new = notices::issue::NewNotice {
            agency_id: created.agency_id,
            petition_id: None,
            refusal_id: Some(created.id),
            kind: NoticeKind::RefusalToReceive,
            to: Recipient::Petitioner,
            clock: None,
            due_on: Some(notice_due(&cal, grounds_on)?),
            event_seq: None,
            details: serde_json::json!({"ground": created.ground}),
            issued_on: created.refused_on,
            issued_by: Some(ctx.user.id),
        };
        notices::issue::write(&txn, new, ctx.now).await?;
    }
    txn.commit().await?;
    dated_one(ctx, created).await
}

/// `GET /reception-refusals`: the agency's refusals, newest first; with `pending_notice` the
/// written notices still owed, overdue and nearest due first.
pub async fn list(ctx: &Ctx, query: RefusalQuery) -> AppResult<Vec<Refusal>> {
    let agency_id = ctx.user.require_staff()?;
    let filter = RefusalFilter::from(query);
    let rows = self::query(ctx.reader(), agency_id, &filter).await?;
    let mut refusals = dated(ctx, rows, ReadPurpose::ReceptionRefusals).await?;
    if filter.pending_notice {
        refusals.sort_by_key(|r| (r.notice_due, r.row.id));
    }
    Ok(refusals)
}

/// `POST /reception-refusals/{id}/notice`: records the written notice of a refusal of the agency
/// as sent; its clock stops.
pub async fn record_notice(ctx: &Ctx, id: i64, form: NoticeRequest) -> AppResult<Refusal> {
    let agency_id = ctx.user.require_staff()?;
    let sent = form.parse(ctx.today)?;
    let refusal = find(ctx.reader(), agency_id, id).await?;
    let txn = ctx.begin().await?;
    let saved = save_notice(&txn, &ctx.user, refusal, sent, ctx.today, ctx.now).await?;
    // Its notice record is sent too (the one truth of what was sent).
    notice::Entity::update_many()
        .col_expr(notice::Column::SentOn, Expr::value(saved.notice_sent_on))
        .col_expr(notice::Column::Channel, Expr::value(SendChannel::Post.as_str()))
        .col_expr(notice::Column::SentBy, Expr::value(ctx.user.id))
        .filter(notice::Column::RefusalId.eq(saved.id))
        .filter(notice::Column::SentOn.is_null())
        .exec(&txn)
        .await?;
    txn.commit().await?;
    dated_one(ctx, saved).await
}

/// The refusals with their notices' due dates, on the request's calendar, as the caller may see
/// them; each refused visitor shown is a logged read, for `purpose`.
pub async fn dated(
    ctx: &Ctx,
    rows: Vec<reception_refusal::Model>,
    purpose: ReadPurpose,
) -> AppResult<Vec<Refusal>> {
    let cal = ctx.calendar().await?;
    let refusals = rows.into_iter().map(|row| with_due(ctx, &cal, row)).collect::<AppResult<Vec<_>>>()?;
    let reads: Vec<Read> = refusals
        .iter()
        .filter(|r| r.visitor.is_some())
        .map(|r| Read { agency_id: r.row.agency_id, subject: Subject::Refusal(r.row.id) })
        .collect();
    identity_reads::log(ctx.writer(), ctx.user.id, purpose, ctx.now, &reads).await?;
    Ok(refusals)
}

/// A refusal just recorded, or its notice, as the caller may see it.
async fn dated_one(ctx: &Ctx, row: reception_refusal::Model) -> AppResult<Refusal> {
    let mut one = dated(ctx, vec![row], ReadPurpose::ReceptionRefusal).await?;
    one.pop().ok_or_else(|| AppError::internal("a dated refusal went missing"))
}

fn with_due(ctx: &Ctx, cal: &Calendar, row: reception_refusal::Model) -> AppResult<Refusal> {
    let notice_due = row.grounds_on.map(|g| notice_due(cal, g)).transpose()?;
    let visitor = if can_see_refused(&ctx.user, row.agency_id, row.refused_by) {
        Some(identity::open_refusal(&ctx.keys().data, &row)?)
    } else {
        None
    };
    Ok(Refusal { row, visitor, notice_due })
}

/// The due date of the written refusal notice for grounds established on `grounds_on`, from the
/// versioned rule table (`refusal_notice`: 3 working days).
pub fn notice_due(cal: &Calendar, grounds_on: NaiveDate) -> AppResult<NaiveDate> {
    let rule_set = rule_set_for(grounds_on);
    let rule = deadlines::rule_of(rule_set, ClockId::RefusalNotice)?;
    let input = ClockInput {
        rule_set,
        clock: ClockId::RefusalNotice,
        start: grounds_on,
        complex: Complexity::None,
        remote_area: false,
        extensions: vec![],
        pauses: vec![],
    };
    Ok(compute(rule, &input, cal).due)
}

/// Records a refusal in a session (refused on the session's day; its grounds established on or
/// at most a year before that day, see [`check_grounds_on`]), the person refused sealed.
async fn insert(
    db: &impl ConnectionTrait,
    sealer: &Sealer,
    user: &AuthUser,
    session: &reception_session::Model,
    new: NewRefusal,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<reception_refusal::Model> {
    sessions::open_for_visits(session, today)?;
    let required = new.ground.needs_written_notice();
    let grounds_on = new.grounds_on.unwrap_or(session.session_date);
    check_grounds_on(grounds_on, session.session_date).map_err(|m| AppError::field("grounds_on", m))?;
    let mut row = reception_refusal::ActiveModel {
        agency_id: Set(session.agency_id),
        session_id: Set(session.id),
        refused_on: Set(session.session_date),
        ground: Set(new.ground),
        details: Set(new.details),
        notice_required: Set(required),
        grounds_on: Set(required.then_some(grounds_on)),
        notice_sent_on: Set(None),
        notice_no: Set(None),
        notice_recorded_by: Set(None),
        refused_by: Set(user.id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    identity::seal_refusal(sealer, &mut row, &new.visitor)?;
    Ok(row.insert(db).await?)
}

/// A refusal of the agency (404 for another agency's).
pub async fn find(db: &impl ConnectionTrait, agency_id: i64, id: i64) -> AppResult<reception_refusal::Model> {
    reception_refusal::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|r| r.agency_id == agency_id)
        .ok_or(AppError::NotFound)
}

/// The refusals of an agency, newest first (at most 500).
pub async fn query(
    db: &impl ConnectionTrait,
    agency_id: i64,
    f: &RefusalFilter,
) -> AppResult<Vec<reception_refusal::Model>> {
    let mut cond = Condition::all().add(reception_refusal::Column::AgencyId.eq(agency_id));
    if f.pending_notice {
        cond = cond
            .add(reception_refusal::Column::NoticeRequired.eq(true))
            .add(reception_refusal::Column::NoticeSentOn.is_null());
    }
    if let Some(s) = f.session_id {
        cond = cond.add(reception_refusal::Column::SessionId.eq(s));
    }
    if let Some(from) = f.from {
        cond = cond.add(reception_refusal::Column::RefusedOn.gte(from));
    }
    if let Some(to) = f.to {
        cond = cond.add(reception_refusal::Column::RefusedOn.lte(to));
    }
    Ok(reception_refusal::Entity::find()
        .filter(cond)
        .order_by_desc(reception_refusal::Column::RefusedOn)
        .order_by_desc(reception_refusal::Column::Id)
        .limit(500)
        .all(db)
        .await?)
}

/// Records the written notice (Mẫu 01/TCD) as sent: once, for a refusal that needs one, on a day
/// from the refusal's to today.
async fn save_notice(
    db: &impl ConnectionTrait,
    user: &AuthUser,
    refusal: reception_refusal::Model,
    sent: NoticeSent,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<reception_refusal::Model> {
    if !refusal.notice_required {
        return Err(AppError::conflict(
            "notice_not_required",
            "Căn cứ từ chối này được giải thích trực tiếp, không cần thông báo bằng văn bản.",
        ));
    }
    if refusal.notice_sent_on.is_some() {
        return Err(AppError::conflict(
            "notice_already_sent",
            "Thông báo từ chối đã được ghi nhận là đã gửi.",
        ));
    }
    check_sent_on(sent.sent_on, refusal.refused_on, today).map_err(|m| AppError::field("sent_on", m))?;
    let mut m: reception_refusal::ActiveModel = refusal.into();
    m.notice_sent_on = Set(Some(sent.sent_on));
    m.notice_no = Set(sent.notice_no);
    m.notice_recorded_by = Set(Some(user.id));
    m.updated_at = Set(now);
    Ok(m.update(db).await?)
}
