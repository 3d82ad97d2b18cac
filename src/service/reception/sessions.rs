//! Reception sessions: the list (with the heads' scheduled sessions written out first), one
//! session with its visits, refusals and directives, sessions created by hand, and their changes:
//! held (an online one only with its recording), cancelled, rescheduled, note-taker, participants.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

use crate::{
    auth::AuthUser,
    domain::{
        calendar::Calendar,
        page::{Page, PageRequest},
        petition::ReadPurpose,
        reception::{
            CreateSessionRequest, NewSession, RefusalFilter, SessionChanges, SessionFilter, SessionKind,
            SessionListing, SessionQuery, SessionRefusal, SessionSource, SessionStatus, StatusChange,
            UpdateSessionRequest, check_notice_on, check_online_notice, check_open_for_visits,
            check_reschedule, check_status_change, check_trigger, check_working_day, online_notice_message,
        },
    },
    entity::{json::JsonList, reception_directive, reception_rule, reception_session, reception_visit, user},
    error::{AppError, AppResult},
    service::{
        access::reception::{Account, CANCELLERS, can_host_session},
        context::Ctx,
        reception::{book, directives, names_of, occurrences, refusals, visits},
    },
};

/// A session with the names of the people it names (host, note-taker).
#[derive(Debug, Clone)]
pub struct Session {
    pub row: reception_session::Model,
    pub names: HashMap<i64, String>,
}

/// A page of sessions with the names of the people they name.
#[derive(Debug, Clone)]
pub struct Sessions {
    pub page: Page<reception_session::Model>,
    pub names: HashMap<i64, String>,
}

/// A session with its book lines, refusals and directives.
#[derive(Debug, Clone)]
pub struct SessionDetail {
    pub session: Session,
    pub visits: Vec<book::Line>,
    pub refusals: Vec<refusals::Refusal>,
    pub directives: directives::Directives<Vec<reception_directive::Model>>,
}

/// The people a list of sessions names.
fn people(sessions: &[reception_session::Model]) -> Vec<i64> {
    sessions.iter().flat_map(|s| [Some(s.host_id), s.note_taker_id]).flatten().collect()
}

/// A stored session with its people's names.
async fn named(db: &impl ConnectionTrait, row: reception_session::Model) -> AppResult<Session> {
    let names = names_of(db, &people(std::slice::from_ref(&row))).await?;
    Ok(Session { row, names })
}

/// `POST /reception-sessions`: a session of any kind, set by hand (see [`insert`]).
pub async fn create(ctx: &Ctx, form: CreateSessionRequest) -> AppResult<Session> {
    let agency_id = ctx.user.require_staff()?;
    let new = form.parse(ctx.today)?;
    let cal = ctx.calendar().await?;
    let created = insert(ctx.writer(), agency_id, new, &ctx.user, &cal, ctx.today, ctx.now).await?;
    named(ctx.reader(), created).await
}

/// `GET /reception-sessions`: the agency's sessions of a period by date, the heads' scheduled
/// sessions included (written as they are first read).
pub async fn list(ctx: &Ctx, query: SessionQuery) -> AppResult<Sessions> {
    let agency_id = ctx.user.require_staff()?;
    let SessionListing { from, to, filter, page } = query.parse(ctx.today)?;
    let cal = ctx.calendar().await?;
    occurrences::materialise(ctx.writer(), &cal, agency_id, from, to, ctx.today, ctx.now).await?;
    let (items, total) = between(ctx.reader(), agency_id, from, to, &filter, ctx.today, page).await?;
    let names = names_of(ctx.reader(), &people(&items)).await?;
    Ok(Sessions { page: Page::new(items, total, page), names })
}

/// `GET /reception-sessions/{id}`: a session of the agency with its visits (each visitor's
/// identity only for those who may see it, the reads logged), refusals and directives.
pub async fn detail(ctx: &Ctx, id: i64) -> AppResult<SessionDetail> {
    let agency_id = ctx.user.require_staff()?;
    let db = ctx.reader();
    let session = find(db, agency_id, id).await?;
    let rows = visits::of_session(db, session.id).await?;
    let visits = book::with_identity(ctx, rows, ReadPurpose::ReceptionSession).await?;
    let filter = RefusalFilter { session_id: Some(session.id), ..Default::default() };
    let refusals =
        refusals::dated(ctx, refusals::query(db, agency_id, &filter).await?, ReadPurpose::ReceptionRefusals)
            .await?;
    let directives = directives::with_units(ctx, directives::of_session(db, session.id).await?).await?;
    Ok(SessionDetail { session: named(db, session).await?, visits, refusals, directives })
}

/// `PATCH /reception-sessions/{id}`: changes a session of the agency (see [`apply`]), in one
/// transaction. Cancelling is the chairman's and the admin's (403 otherwise); a session whose
/// book has lines keeps its day, place and host, and cannot be cancelled (409
/// `session_has_visits`): the book's lines say when, where and before whom they were written.
pub async fn update(ctx: &Ctx, id: i64, form: UpdateSessionRequest) -> AppResult<Session> {
    let agency_id = ctx.user.require_staff()?;
    let changes = form.parse(ctx.today)?;
    if changes.status == Some(SessionStatus::Cancelled) {
        ctx.user.require_any(&CANCELLERS)?;
    }
    let cal = ctx.calendar().await?;
    let txn = ctx.begin().await?;
    let session = find(&txn, agency_id, id).await?;
    check_unwritten(&txn, &session, &changes).await?;
    let updated = apply(&txn, session, changes, &cal, ctx.today, ctx.now).await?;
    txn.commit().await?;
    named(ctx.reader(), updated).await
}

/// Refuses to move, re-host or cancel a session whose book already has lines (409
/// `session_has_visits`).
async fn check_unwritten(
    db: &impl ConnectionTrait,
    session: &reception_session::Model,
    c: &SessionChanges,
) -> AppResult<()> {
    let moves = c.date.is_some_and(|d| d != session.session_date)
        || c.location.as_ref().is_some_and(|l| *l != session.location)
        || c.host_id.is_some_and(|h| h != session.host_id)
        || (c.status == Some(SessionStatus::Cancelled) && session.status != SessionStatus::Cancelled);
    if !moves {
        return Ok(());
    }
    let lines = reception_visit::Entity::find()
        .filter(reception_visit::Column::SessionId.eq(session.id))
        .count(db)
        .await?;
    if lines > 0 {
        return Err(AppError::conflict(
            "session_has_visits",
            format!(
                "Buổi tiếp đã có {lines} lượt tiếp ghi trong sổ: không hủy, không đổi ngày, địa điểm hay người \
                 chủ trì được nữa."
            ),
        ));
    }
    Ok(())
}

/// A session of the agency, whoever asks (404 for another agency's).
pub async fn find(db: &impl ConnectionTrait, agency_id: i64, id: i64) -> AppResult<reception_session::Model> {
    reception_session::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|s| s.agency_id == agency_id)
        .ok_or(AppError::NotFound)
}

fn delegation_refused() -> AppError {
    AppError::conflict(
        "delegation_not_allowed",
        "Người đứng đầu phải trực tiếp chủ trì buổi tiếp công dân định kỳ của mình, không được ủy quyền \
         cho cấp phó hoặc người khác (Luật Tiếp công dân 2013; Luật 136/2025/QH15).",
    )
}

/// Whether the host already has a periodic session on `date` (other than `except`).
pub(super) async fn periodic_on(
    db: &impl ConnectionTrait,
    host_id: i64,
    date: NaiveDate,
    except: Option<i64>,
) -> AppResult<bool> {
    let mut q = reception_session::Entity::find()
        .filter(reception_session::Column::HostId.eq(host_id))
        .filter(reception_session::Column::SessionDate.eq(date))
        .filter(reception_session::Column::Kind.eq(SessionKind::Periodic));
    if let Some(id) = except {
        q = q.filter(reception_session::Column::Id.ne(id));
    }
    Ok(q.count(db).await? > 0)
}

/// A page of the sessions of an agency in `from..=to`, by date, with the total.
async fn between(
    db: &impl ConnectionTrait,
    agency_id: i64,
    from: NaiveDate,
    to: NaiveDate,
    filter: &SessionFilter,
    today: NaiveDate,
    page: PageRequest,
) -> AppResult<(Vec<reception_session::Model>, u64)> {
    let mut cond = Condition::all()
        .add(reception_session::Column::AgencyId.eq(agency_id))
        .add(reception_session::Column::SessionDate.gte(from))
        .add(reception_session::Column::SessionDate.lte(to));
    if let Some(kind) = filter.kind {
        cond = cond.add(reception_session::Column::Kind.eq(kind.as_str()));
    }
    if let Some(host) = filter.host_id {
        cond = cond.add(reception_session::Column::HostId.eq(host));
    }
    match filter.status {
        Some(SessionStatus::Missed) => {
            cond = cond
                .add(reception_session::Column::Status.eq(SessionStatus::Scheduled))
                .add(reception_session::Column::SessionDate.lt(today));
        }
        Some(SessionStatus::Scheduled) => {
            cond = cond
                .add(reception_session::Column::Status.eq(SessionStatus::Scheduled))
                .add(reception_session::Column::SessionDate.gte(today));
        }
        Some(s) => cond = cond.add(reception_session::Column::Status.eq(s.as_str())),
        None => {}
    }
    let query = reception_session::Entity::find().filter(cond);
    let total = query.clone().count(db).await?;
    let items = query
        .order_by_asc(reception_session::Column::SessionDate)
        .order_by_asc(reception_session::Column::Id)
        .offset(page.offset())
        .limit(page.per_page)
        .all(db)
        .await?;
    Ok((items, total))
}

/// Every session of an agency in `from..=to` (for the public schedule and the review), capped.
pub async fn all_between(
    db: &impl ConnectionTrait,
    agency_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<reception_session::Model>> {
    Ok(reception_session::Entity::find()
        .filter(reception_session::Column::AgencyId.eq(agency_id))
        .filter(reception_session::Column::SessionDate.gte(from))
        .filter(reception_session::Column::SessionDate.lte(to))
        .order_by_asc(reception_session::Column::SessionDate)
        .order_by_asc(reception_session::Column::Id)
        .limit(5000)
        .all(db)
        .await?)
}

/// Checks that `user_id` is active staff of the agency who can take part in reception.
async fn check_staff(
    db: &impl ConnectionTrait,
    agency_id: i64,
    user_id: i64,
    field: &str,
) -> AppResult<user::Model> {
    match user::Entity::find_by_id(user_id).one(db).await? {
        Some(u) if can_host_session(&Account::of(&u), agency_id) => Ok(u),
        _ => Err(AppError::field(field, "Phải là cán bộ đang công tác của cơ quan này.")),
    }
}

/// The online notice rule: 422 on `date` when announced too late.
fn online_notice(cal: &Calendar, notice_on: NaiveDate, date: NaiveDate) -> AppResult<()> {
    check_online_notice(cal, notice_on, date)
        .map_err(|earliest| AppError::field("date", online_notice_message(notice_on, earliest)))
}

/// Writes a session set by hand. A periodic session must be hosted by the head whose schedule it
/// is (no delegation); an unscheduled one records its legal trigger; an online one must have been
/// announced five working days ahead; all but an unscheduled one fall on a working day.
async fn insert(
    db: &impl ConnectionTrait,
    agency_id: i64,
    new: NewSession,
    by: &AuthUser,
    cal: &Calendar,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<reception_session::Model> {
    if let Some(n) = new.notice_on {
        check_notice_on(n, new.date, today).map_err(|m| AppError::field("notice_on", m))?;
    }
    check_staff(db, agency_id, new.host_id, "host_id").await?;
    if let Some(n) = new.note_taker_id {
        check_staff(db, agency_id, n, "note_taker_id").await?;
    }
    match new.kind {
        SessionKind::Periodic => {
            let schedule = reception_rule::Entity::find_by_id(new.host_id).one(db).await?;
            if !schedule.is_some_and(|r| r.active && r.agency_id == agency_id) {
                return Err(delegation_refused());
            }
            if periodic_on(db, new.host_id, new.date, None).await? {
                return Err(AppError::conflict(
                    "session_exists",
                    "Đã có buổi tiếp định kỳ của người này trong ngày.",
                ));
            }
        }
        SessionKind::Online => online_notice(cal, new.notice_on.unwrap_or(today), new.date)?,
        SessionKind::Unscheduled => check_trigger(new.kind, new.trigger)?,
        SessionKind::Regular => {}
    }
    check_working_day(cal, new.kind, new.date)?;
    let row = reception_session::ActiveModel {
        agency_id: Set(agency_id),
        kind: Set(new.kind),
        session_date: Set(new.date),
        host_id: Set(new.host_id),
        location: Set(new.location),
        hours: Set(new.hours),
        status: Set(SessionStatus::Scheduled),
        source: Set(SessionSource::Manual),
        nominal_date: Set(None),
        trigger_kind: Set(if new.kind == SessionKind::Unscheduled { new.trigger } else { None }),
        trigger_note: Set(new.trigger_note),
        participants: Set(JsonList(new.participants.clone())),
        note_taker_id: Set(new.note_taker_id),
        expected_content: Set(new.expected_content),
        notice_on: Set(if new.kind == SessionKind::Online {
            Some(new.notice_on.unwrap_or(today))
        } else {
            None
        }),
        meeting_link: Set(new.meeting_link),
        created_by: Set(Some(by.id)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    Ok(row.insert(db).await?)
}

impl From<SessionRefusal> for AppError {
    fn from(refusal: SessionRefusal) -> Self {
        match refusal {
            SessionRefusal::Transition(r) => r.into(),
            SessionRefusal::Field(invalid) => invalid.into(),
        }
    }
}

/// Applies changes to a session: marks it held (on or after its day; an online session only with
/// its recording, ND 154/2026 Arts. 18(2)(c), 24) or cancelled (with a reason), reschedules it,
/// names the note-taker and participants. The host of a periodic session cannot be changed.
async fn apply(
    db: &impl ConnectionTrait,
    session: reception_session::Model,
    c: SessionChanges,
    cal: &Calendar,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<reception_session::Model> {
    let kind = session.kind;
    let status = session.status;
    let agency_id = session.agency_id;
    if let Some(host) = c.host_id
        && host != session.host_id
    {
        if kind == SessionKind::Periodic {
            return Err(delegation_refused());
        }
        check_staff(db, agency_id, host, "host_id").await?;
    }
    if let Some(Some(n)) = c.note_taker_id {
        check_staff(db, agency_id, n, "note_taker_id").await?;
    }
    let date = c.date.unwrap_or(session.session_date);
    if c.date.is_some_and(|d| d != session.session_date) {
        check_reschedule(status)?;
        check_working_day(cal, kind, date)?;
        if kind == SessionKind::Periodic && periodic_on(db, session.host_id, date, Some(session.id)).await? {
            return Err(AppError::conflict(
                "session_exists",
                "Đã có buổi tiếp định kỳ của người này trong ngày.",
            ));
        }
    }
    if let Some(n) = c.notice_on {
        check_notice_on(n, date, today).map_err(|m| AppError::field("notice_on", m))?;
    }
    if kind == SessionKind::Online && (c.date.is_some() || c.notice_on.is_some()) {
        online_notice(cal, c.notice_on.or(session.notice_on).unwrap_or(today), date)?;
    }
    if let Some(wanted) = c.status {
        let change = StatusChange {
            kind,
            stored: status,
            wanted,
            date,
            recorded: c.recording_ref.is_some() || session.recording_ref.is_some(),
            cancel_reason: c.cancel_reason.is_some(),
        };
        check_status_change(&change, today)?;
    }
    let mut m: reception_session::ActiveModel = session.clone().into();
    if let Some(s) = c.status
        && s != session.status
    {
        m.status = Set(s);
        if s == SessionStatus::Held {
            m.held_at = Set(Some(now));
        }
        if s == SessionStatus::Cancelled {
            m.cancel_reason = Set(c.cancel_reason);
        }
    }
    if c.date.is_some_and(|d| d != session.session_date) {
        m.session_date = Set(date);
        // Moved by hand: the schedule no longer moves it (its occurrence stays taken).
        m.source = Set(SessionSource::Manual);
    }
    if let Some(h) = c.host_id {
        m.host_id = Set(h);
    }
    if let Some(l) = c.location {
        m.location = Set(l);
    }
    if let Some(h) = c.hours {
        m.hours = Set(h);
    }
    if let Some(n) = c.note_taker_id {
        m.note_taker_id = Set(n);
    }
    if let Some(p) = c.participants {
        m.participants = Set(JsonList(p));
    }
    if let Some(e) = c.expected_content {
        m.expected_content = Set(e);
    }
    if let Some(r) = c.recording_ref {
        m.recording_ref = Set(Some(r));
    }
    if let Some(l) = c.meeting_link {
        m.meeting_link = Set(l);
    }
    if let Some(n) = c.notice_on {
        m.notice_on = Set(Some(n));
    }
    m.updated_at = Set(now);
    Ok(m.update(db).await?)
}

/// Marks a scheduled in-person session held when its first visit is logged: the visit proves it
/// took place. Online sessions wait for their recording.
pub async fn mark_held_by_visit(
    db: &impl ConnectionTrait,
    session: &reception_session::Model,
    now: DateTime<Utc>,
) -> AppResult<()> {
    if session.status == SessionStatus::Scheduled && session.kind != SessionKind::Online {
        let mut m: reception_session::ActiveModel = session.clone().into();
        m.status = Set(SessionStatus::Held);
        m.held_at = Set(Some(now));
        m.updated_at = Set(now);
        m.update(db).await?;
    }
    Ok(())
}

/// Checks that a session takes visits or refusals now ([`check_open_for_visits`]).
pub fn open_for_visits(session: &reception_session::Model, today: NaiveDate) -> AppResult<()> {
    Ok(check_open_for_visits(session.status, session.session_date, today)?)
}

/// The year a session's day belongs to (the book is numbered per year).
pub fn book_year(session: &reception_session::Model) -> i32 {
    session.session_date.year()
}
