//! Reception sessions: the schedule generated from the heads' rules (materialised idempotently so
//! that every scheduled session has an id visits can attach to), sessions created by hand, and
//! their changes: held (an online one only with its recording), cancelled, note-taker,
//! participants.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, sea_query::OnConflict,
};

use crate::{
    auth::{AuthUser, Role},
    domain::{
        calendar::Calendar,
        reception::{
            MOVE_LOOKBACK_DAYS, SessionKind, SessionSource, SessionStatus, Trigger, check_notice_on,
            check_online_notice, occurrences_in_force,
        },
    },
    entity::{agency, reception_rule, reception_session, user},
    error::{AppError, AppResult},
    http::extract::PageRequest,
    service::reception::rules,
};

/// Where a generated session takes place when the rule names no place.
pub const DEFAULT_LOCATION: &str = "Trụ sở Ủy ban nhân dân";

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

/// How far ahead the schedule is written: two years. Further ahead, a rule's sessions are not
/// stored (nor listed) until the date comes nearer, so that no request, however wide, makes the
/// server write decades of rows.
pub const SCHEDULE_AHEAD_DAYS: u64 = 2 * 366;

/// How far back the public schedule shows: a year.
pub const PUBLIC_PAST_DAYS: u64 = 366;

/// Checks the period asked of the public schedule (anyone, no login): from a year ago to the
/// schedule's horizon ([`SCHEDULE_AHEAD_DAYS`]); 400 `invalid_query` otherwise. The public read
/// still writes the occurrences it shows (their ids are the feed's stable `UID`s, and the visits of
/// the day attach to the same rows), but only inside this window, which staff reads write anyway.
pub fn check_public_range(from: NaiveDate, to: NaiveDate, today: NaiveDate) -> AppResult<()> {
    let earliest = today.checked_sub_days(Days::new(PUBLIC_PAST_DAYS)).unwrap_or(today);
    let latest = today.checked_add_days(Days::new(SCHEDULE_AHEAD_DAYS)).unwrap_or(today);
    if from < earliest || to > latest {
        return Err(AppError::bad_request(
            "invalid_query",
            format!(
                "Lịch tiếp công dân công khai chỉ xem được từ ngày {} đến ngày {}.",
                earliest.format("%d/%m/%Y"),
                latest.format("%d/%m/%Y")
            ),
        ));
    }
    Ok(())
}

/// Writes the rule-generated sessions of the agency that touch `from..=to` (idempotent). Each
/// occurrence comes from the version of the head's rule in force on its own date, so a range
/// first read long after its days is written as the rule stood then, and nothing is written for
/// days before a head had a rule. Missing occurrences are inserted (a periodic session the head
/// already set by hand on that day becomes the occurrence's session); scheduled ones still ahead
/// follow the rule and calendar (moved off a new holiday, dropped when the rule changed or was
/// switched off). Sessions whose day has passed are history and stay as they are. Nothing is
/// written more than [`SCHEDULE_AHEAD_DAYS`] after today.
pub async fn materialise(
    db: &impl ConnectionTrait,
    cal: &Calendar,
    agency_id: i64,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<()> {
    rules::ensure_defaults(db, agency_id, now).await?;
    let horizon = today.checked_add_days(Days::new(SCHEDULE_AHEAD_DAYS)).unwrap_or(today);
    let to = to.min(horizon);
    let schedules = rules::schedules_of_agency(db, agency_id).await?;
    if schedules.is_empty() || from > to {
        return Ok(());
    }
    let window_start = from.checked_sub_days(Days::new(MOVE_LOOKBACK_DAYS)).unwrap_or(from);
    // The range's own occurrences may be moved this far past its end.
    let window_end = to.checked_add_days(Days::new(MOVE_LOOKBACK_DAYS)).unwrap_or(to);
    let hosts: Vec<i64> = schedules.iter().map(|s| s.rule.host_id).collect();
    let periodic = reception_session::Entity::find()
        .filter(reception_session::Column::HostId.is_in(hosts))
        .filter(reception_session::Column::Kind.eq(SessionKind::Periodic))
        .filter(
            Condition::any()
                .add(
                    Condition::all()
                        .add(reception_session::Column::NominalDate.gte(window_start))
                        .add(reception_session::Column::NominalDate.lte(to)),
                )
                .add(
                    Condition::all()
                        .add(reception_session::Column::NominalDate.is_null())
                        .add(reception_session::Column::SessionDate.gte(from))
                        .add(reception_session::Column::SessionDate.lte(window_end)),
                ),
        )
        .all(db)
        .await?;
    let location = default_location(db, agency_id).await?;
    for schedule in &schedules {
        let host = schedule.rule.host_id;
        let (occurrence_rows, by_hand): (Vec<&reception_session::Model>, Vec<&reception_session::Model>) =
            periodic.iter().filter(|s| s.host_id == host).partition(|s| s.nominal_date.is_some());
        let rows = HostRows { occurrences: &occurrence_rows, by_hand: &by_hand };
        sync_rule(db, cal, schedule, rows, from, to, today, now, &location).await?;
    }
    Ok(())
}

async fn default_location(db: &impl ConnectionTrait, agency_id: i64) -> AppResult<String> {
    Ok(agency::Entity::find_by_id(agency_id)
        .one(db)
        .await?
        .map_or_else(|| DEFAULT_LOCATION.to_owned(), |a| format!("Trụ sở {}", a.name)))
}

/// A head's stored periodic sessions around a range: those of rule occurrences (with a nominal
/// date in the look-back window) and those set by hand (dated in the range or just after it).
struct HostRows<'a> {
    occurrences: &'a [&'a reception_session::Model],
    by_hand: &'a [&'a reception_session::Model],
}

#[allow(clippy::too_many_arguments)]
async fn sync_rule(
    db: &impl ConnectionTrait,
    cal: &Calendar,
    schedule: &rules::Schedule,
    rows: HostRows<'_>,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
    now: DateTime<Utc>,
    agency_location: &str,
) -> AppResult<()> {
    let rule = &schedule.rule;
    // Every occurrence whose nominal date a stored row of the look-back window can have, under
    // the version in force on that date: a row that stays outside the range is judged by its
    // own occurrence, never dropped for it.
    let window_start = from.checked_sub_days(Days::new(MOVE_LOOKBACK_DAYS)).unwrap_or(from);
    let history = schedule.history();
    let expected: HashMap<NaiveDate, (Option<NaiveDate>, usize)> =
        occurrences_in_force(&history, cal, window_start, to)
            .into_iter()
            .map(|(version, o)| (o.nominal, (o.date, version)))
            .collect();
    // What the rule said before its first known version is not known: such rows are left alone.
    let governed = |nominal: NaiveDate| history.first().is_some_and(|v| nominal >= v.from);
    // Scheduled sessions still ahead follow the rule and the calendar: those the rule placed
    // move or go; one moved by hand stays where it is, and stops being the occurrence's
    // session once the rule no longer has that occurrence.
    let mut seen = HashSet::new();
    for row in rows.occurrences {
        let Some(nominal) = row.nominal_date else { continue };
        seen.insert(nominal);
        if row.status != SessionStatus::Scheduled || row.session_date < today || !governed(nominal) {
            continue;
        }
        let wanted = expected.get(&nominal).and_then(|(date, _)| *date);
        if row.source != SessionSource::Rule {
            if wanted.is_none() {
                let mut m: reception_session::ActiveModel = (*row).clone().into();
                m.nominal_date = Set(None);
                m.updated_at = Set(now);
                m.update(db).await?;
            }
            continue;
        }
        match wanted {
            Some(date) if date == row.session_date => {}
            // A day already gone cannot be moved to: the occurrence keeps its session.
            Some(date) if date < today => {}
            Some(date) if !periodic_on(db, row.host_id, date, Some(row.id)).await? => {
                let mut m: reception_session::ActiveModel = (*row).clone().into();
                m.session_date = Set(date);
                m.updated_at = Set(now);
                m.update(db).await?;
            }
            _ => {
                reception_session::Entity::delete_by_id(row.id).exec(db).await?;
            }
        }
    }
    // Occurrences not yet written, past ones included, each as its own version had it: those
    // held in the range and those of the range's own dates (wherever a holiday moved them, so
    // that a week's review sees the session that answers for it).
    let in_range = |d: NaiveDate| d >= from && d <= to;
    let mut adopted = HashSet::new();
    for (nominal, (date, version)) in expected {
        let Some(date) = date else { continue };
        if seen.contains(&nominal) || !(in_range(date) || in_range(nominal)) {
            continue;
        }
        // The head's own session set by hand on that day is the occurrence's session.
        if let Some(own) = rows.by_hand.iter().find(|s| s.session_date == date && !adopted.contains(&s.id)) {
            adopted.insert(own.id);
            let mut m: reception_session::ActiveModel = (*own).clone().into();
            m.nominal_date = Set(Some(nominal));
            m.updated_at = Set(now);
            m.update(db).await?;
            continue;
        }
        let location =
            schedule.versions[version].location.clone().unwrap_or_else(|| agency_location.to_owned());
        let row = reception_session::ActiveModel {
            agency_id: Set(rule.agency_id),
            kind: Set(SessionKind::Periodic),
            session_date: Set(date),
            host_id: Set(rule.host_id),
            location: Set(location),
            status: Set(SessionStatus::Scheduled),
            source: Set(SessionSource::Rule),
            nominal_date: Set(Some(nominal)),
            participants: Set("[]".to_owned()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        };
        // Another server may be writing the same occurrence: the unique keys make it a no-op.
        reception_session::Entity::insert(row)
            .on_conflict(OnConflict::new().do_nothing().to_owned())
            .try_insert()
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Whether the host already has a periodic session on `date` (other than `except`).
async fn periodic_on(
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

/// Filters of the session list.
#[derive(Debug, Clone, Default)]
pub struct SessionFilter {
    pub kind: Option<SessionKind>,
    pub host_id: Option<i64>,
    /// `missed` means scheduled and past.
    pub status: Option<SessionStatus>,
}

/// The sessions of an agency in `from..=to`, by date, with the total.
pub async fn list(
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

/// A checked new session.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub kind: SessionKind,
    pub date: NaiveDate,
    pub host_id: i64,
    pub location: String,
    pub trigger: Option<Trigger>,
    pub trigger_note: Option<String>,
    pub participants: Vec<String>,
    pub note_taker_id: Option<i64>,
    pub expected_content: Option<String>,
    /// Online sessions: the day the session was announced (default today).
    pub notice_on: Option<NaiveDate>,
    pub meeting_link: Option<String>,
}

/// Checks that `user_id` is active staff of the agency who can take part in reception.
async fn check_staff(
    db: &impl ConnectionTrait,
    agency_id: i64,
    user_id: i64,
    field: &str,
) -> AppResult<user::Model> {
    let found = user::Entity::find_by_id(user_id).one(db).await?;
    match found {
        Some(u)
            if u.agency_id == Some(agency_id)
                && u.active
                && u.role != Role::Citizen
                && u.role != Role::Admin =>
        {
            Ok(u)
        }
        _ => Err(AppError::field(field, "Phải là cán bộ đang công tác của cơ quan này.")),
    }
}

/// The online notice rule: 422 on `date` when announced too late.
fn online_notice(cal: &Calendar, notice_on: NaiveDate, date: NaiveDate) -> AppResult<()> {
    check_online_notice(cal, notice_on, date).map_err(|earliest| {
        AppError::field(
            "date",
            format!(
                "Buổi tiếp trực tuyến phải được thông báo trước ít nhất 5 ngày làm việc (Nghị định 154/2026/NĐ-CP, \
                 Điều 23): thông báo ngày {} thì sớm nhất ngày {}.",
                notice_on.format("%d/%m/%Y"),
                earliest.format("%d/%m/%Y")
            ),
        )
    })
}

/// Creates a session by hand. A periodic session must be hosted by the head whose schedule rule
/// it is (no delegation); an unscheduled one records its legal trigger; an online one must have
/// been announced five working days ahead.
pub async fn create(
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
            let rule = reception_rule::Entity::find_by_id(new.host_id).one(db).await?;
            if !rule.is_some_and(|r| r.active && r.agency_id == agency_id) {
                return Err(delegation_refused());
            }
            if periodic_on(db, new.host_id, new.date, None).await? {
                return Err(AppError::conflict(
                    "session_exists",
                    "Đã có buổi tiếp định kỳ của người này trong ngày.",
                ));
            }
        }
        SessionKind::Unscheduled if new.trigger.is_none() => {
            return Err(AppError::field(
                "trigger",
                "Buổi tiếp đột xuất cần ghi căn cứ: heated_or_complex (Điều 18 khoản 3 điểm a) hoặc serious_harm (điểm b).",
            ));
        }
        SessionKind::Online => online_notice(cal, new.notice_on.unwrap_or(today), new.date)?,
        _ => {}
    }
    if matches!(new.kind, SessionKind::Periodic | SessionKind::Regular | SessionKind::Online)
        && !cal.is_working_day(new.date)
    {
        return Err(AppError::field(
            "date",
            format!(
                "{} không phải ngày làm việc ({}).",
                new.date.format("%d/%m/%Y"),
                cal.non_working_reason(new.date).unwrap_or_default()
            ),
        ));
    }
    let row = reception_session::ActiveModel {
        agency_id: Set(agency_id),
        kind: Set(new.kind),
        session_date: Set(new.date),
        host_id: Set(new.host_id),
        location: Set(new.location),
        status: Set(SessionStatus::Scheduled),
        source: Set(SessionSource::Manual),
        nominal_date: Set(None),
        trigger_kind: Set(if new.kind == SessionKind::Unscheduled { new.trigger } else { None }),
        trigger_note: Set(new.trigger_note),
        participants: Set(serde_json::to_string(&new.participants).map_err(AppError::internal)?),
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

/// Checked changes to a session; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct SessionChanges {
    /// `held` or `cancelled`.
    pub status: Option<SessionStatus>,
    pub cancel_reason: Option<String>,
    pub date: Option<NaiveDate>,
    pub host_id: Option<i64>,
    pub location: Option<String>,
    /// `Some(None)` clears it.
    pub note_taker_id: Option<Option<i64>>,
    pub participants: Option<Vec<String>>,
    pub expected_content: Option<Option<String>>,
    pub recording_ref: Option<String>,
    pub meeting_link: Option<Option<String>>,
    pub notice_on: Option<NaiveDate>,
}

fn invalid_transition(message: &str) -> AppError {
    AppError::conflict("invalid_transition", message.to_owned())
}

/// Applies changes to a session: marks it held (on or after its day; an online session only with
/// its recording, ND 154/2026 Arts. 18(2)(c), 24) or cancelled (with a reason), reschedules it,
/// names the note-taker and participants. The host of a periodic session cannot be changed.
pub async fn update(
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
        if status != SessionStatus::Scheduled {
            return Err(invalid_transition("Chỉ đổi ngày của buổi tiếp chưa diễn ra."));
        }
        if kind != SessionKind::Unscheduled && !cal.is_working_day(date) {
            return Err(AppError::field(
                "date",
                format!(
                    "{} không phải ngày làm việc ({}).",
                    date.format("%d/%m/%Y"),
                    cal.non_working_reason(date).unwrap_or_default()
                ),
            ));
        }
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
    let recording = c.recording_ref.clone().or_else(|| session.recording_ref.clone());
    match c.status {
        None => {}
        Some(s) if s == status => {}
        Some(SessionStatus::Held) => {
            if status != SessionStatus::Scheduled {
                return Err(invalid_transition("Buổi tiếp đã hủy không thể đánh dấu đã tiếp."));
            }
            if date > today {
                return Err(invalid_transition("Buổi tiếp chưa đến ngày, chưa thể đánh dấu đã tiếp."));
            }
            if kind == SessionKind::Online && recording.is_none() {
                return Err(AppError::field(
                    "recording_ref",
                    "Buổi tiếp trực tuyến phải được ghi âm, ghi hình và lưu trữ: cần mã bản ghi để xác nhận đã tiếp \
                     (Nghị định 154/2026/NĐ-CP, Điều 18, Điều 24).",
                ));
            }
        }
        Some(SessionStatus::Cancelled) => {
            if status != SessionStatus::Scheduled {
                return Err(invalid_transition("Chỉ hủy được buổi tiếp chưa diễn ra."));
            }
            if c.cancel_reason.is_none() {
                return Err(AppError::field("cancel_reason", "Cần ghi lý do hủy buổi tiếp."));
            }
        }
        Some(_) => return Err(invalid_transition("Không thể chuyển buổi tiếp về trạng thái này.")),
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
        // Moved by hand: the schedule no longer moves it (its rule occurrence stays taken).
        m.source = Set(SessionSource::Manual);
    }
    if let Some(h) = c.host_id {
        m.host_id = Set(h);
    }
    if let Some(l) = c.location {
        m.location = Set(l);
    }
    if let Some(n) = c.note_taker_id {
        m.note_taker_id = Set(n);
    }
    if let Some(p) = c.participants {
        m.participants = Set(serde_json::to_string(&p).map_err(AppError::internal)?);
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

/// Checks that a session takes visits or refusals now: not cancelled, and its day has come.
pub fn check_open_for_visits(session: &reception_session::Model, today: NaiveDate) -> AppResult<()> {
    if session.status == SessionStatus::Cancelled {
        return Err(invalid_transition("Buổi tiếp đã hủy."));
    }
    if session.session_date > today {
        return Err(invalid_transition("Buổi tiếp chưa diễn ra."));
    }
    Ok(())
}

/// The year a session's day belongs to (the book is numbered per year).
pub fn book_year(session: &reception_session::Model) -> i32 {
    session.session_date.year()
}
