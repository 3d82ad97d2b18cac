//! Written notices (issue 15; domain.md §11): a case's notices, each printable and downloadable,
//! recorded as sent (which meets the clock it owes), and the apology letter once a case is late.
//! The steps issue theirs through [`issue`]; who reads a notice follows the case's own rules
//! (`service::access`), and the petitioner shown on it is a logged identity read.

pub mod issue;

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::json;

use crate::{
    auth::{AuthUser, Role},
    domain::{
        deadline::ClockState,
        notice::{NoticeKind, Recipient, carries_petitioner},
        person::Person,
        petition::{EventAction, ReadPurpose},
    },
    entity::{agency, deadline, notice, petition, reception_refusal, user},
    error::{AppError, AppResult},
    service::{
        access::{self, CaseScope},
        audit::{self, Actor, Change},
        context::Ctx,
        deadlines, identity,
        oversight::identity_reads::{self, Read, Subject},
        petitions::find_visible,
    },
    views::{
        document::Document,
        notice::{IssueNoticeRequest, NoticeSentRequest, Sources},
    },
};

pub use crate::views::notice::number_of;

/// `GET /petitions/{id}/notices`: the case's notices, in the order they were issued.
pub async fn of_case(ctx: &Ctx, petition_id: i64) -> AppResult<Vec<notice::Model>> {
    let case = find_visible(ctx.reader(), &ctx.user, petition_id).await?;
    of_case_unchecked(ctx.reader(), case.id).await
}

async fn of_case_unchecked(db: &impl ConnectionTrait, petition_id: i64) -> AppResult<Vec<notice::Model>> {
    Ok(notice::Entity::find()
        .filter(notice::Column::PetitionId.eq(petition_id))
        .order_by_asc(notice::Column::Id)
        .all(db)
        .await?)
}

/// What a notice is about, as its reader may see it.
enum Subjected {
    Case(petition::Model),
    Refusal(reception_refusal::Model),
}

/// A notice the user may read: its case's staff (or, for a refusal to receive, its agency's).
/// Others get 404, so a denunciation's notices do not reveal it exists.
async fn find_readable(ctx: &Ctx, id: i64) -> AppResult<(notice::Model, Subjected)> {
    let n = notice::Entity::find_by_id(id).one(ctx.reader()).await?.ok_or(AppError::NotFound)?;
    match (n.petition_id, n.refusal_id) {
        (Some(case), _) => {
            let case = find_visible(ctx.reader(), &ctx.user, case).await?;
            Ok((n, Subjected::Case(case)))
        }
        (None, Some(refusal)) => {
            if !ctx.user.role.is_staff() || ctx.user.agency_id != Some(n.agency_id) {
                return Err(AppError::NotFound);
            }
            let refusal = reception_refusal::Entity::find_by_id(refusal)
                .one(ctx.reader())
                .await?
                .ok_or(AppError::NotFound)?;
            Ok((n, Subjected::Refusal(refusal)))
        }
        (None, None) => Err(AppError::internal(format!("notice {id} names neither a case nor a refusal"))),
    }
}

/// `GET /notices/{id}` and `.pdf`: the document of a notice, filled from its case. The person it
/// is addressed to appears only on a notice that carries him, to a reader who may see him: that
/// read is logged like any other.
pub async fn document(ctx: &Ctx, id: i64) -> AppResult<Document> {
    let (n, subject) = find_readable(ctx, id).await?;
    let agency =
        agency::Entity::find_by_id(n.agency_id).one(ctx.reader()).await?.ok_or(AppError::NotFound)?;
    let superior = match agency.parent_id {
        Some(p) => agency::Entity::find_by_id(p).one(ctx.reader()).await?,
        None => None,
    };
    let signer = head_of(ctx.reader(), n.agency_id).await?;
    let (person, case, refusal, forwarded_to) = match &subject {
        Subjected::Case(case) => {
            let person = petitioner_for(ctx, &n, case).await?;
            let forwarded_to = match case.forwarded_to_agency_id {
                Some(a) => agency::Entity::find_by_id(a).one(ctx.reader()).await?.map(|a| a.name),
                None => None,
            };
            (person, Some(case), None, forwarded_to)
        }
        Subjected::Refusal(refusal) => {
            let person = if access::can_see_refused(&ctx.user, refusal.agency_id, refusal.refused_by) {
                let read = Read { agency_id: refusal.agency_id, subject: Subject::Refusal(refusal.id) };
                identity_reads::log(ctx.writer(), ctx.user.id, ReadPurpose::Notice, ctx.now, &[read]).await?;
                Some(identity::open_refusal(&ctx.keys().data, refusal)?)
            } else {
                None
            };
            (person, None, Some(refusal), None)
        }
    };
    let sources = Sources {
        notice: &n,
        agency: &agency,
        superior: superior.as_ref(),
        case,
        person: person.as_ref(),
        refusal,
        signer,
        forwarded_to,
        public_url: ctx.public_url(),
    };
    Ok(crate::views::notice::document(&sources))
}

/// The petitioner a notice about `case` shows to the reader: only on a notice that carries him
/// (never a denouncer on one to anyone else), only to a reader allowed to see him, and logged.
async fn petitioner_for(ctx: &Ctx, n: &notice::Model, case: &petition::Model) -> AppResult<Option<Person>> {
    let scope = CaseScope::of(case);
    if !carries_petitioner(n.recipient, scope.confidential) || !access::can_see_identity(&ctx.user, &scope) {
        return Ok(None);
    }
    let parties = identity::parties_of(ctx.reader(), &ctx.keys().data, case.id).await?;
    let (petitioner, _, _) = identity::by_role(parties);
    if petitioner.is_some() {
        let read = Read { agency_id: case.agency_id, subject: Subject::Case(case.id) };
        identity_reads::log(ctx.writer(), ctx.user.id, ReadPurpose::Notice, ctx.now, &[read]).await?;
    }
    Ok(petitioner)
}

/// The head of an agency, who signs its notices: its active chairman.
async fn head_of(db: &impl ConnectionTrait, agency_id: i64) -> AppResult<Option<String>> {
    Ok(user::Entity::find()
        .filter(user::Column::AgencyId.eq(agency_id))
        .filter(user::Column::Role.eq(Role::Chairman))
        .filter(user::Column::Active.eq(true))
        .order_by_asc(user::Column::Id)
        .one(db)
        .await?
        .map(|u| u.full_name))
}

/// Whether `user` may record a notice of a case as sent or issue one: the staff who handle it.
fn may_send(user: &AuthUser, case: &petition::Model) -> bool {
    user.role != Role::Admin && access::can_view(user, &CaseScope::of(case))
}

/// `POST /notices/{id}/sent`: records a notice as sent on a day (from its issue to today) by a
/// channel, once. Sending meets the clock it owed when no other notice still owes it; a notice
/// of a refusal to receive stops that refusal's clock too.
pub async fn record_sent(ctx: &Ctx, id: i64, form: NoticeSentRequest) -> AppResult<notice::Model> {
    let (n, subject) = find_readable(ctx, id).await?;
    // Whoever may read it but the admin (the register's technical role sends nothing).
    let allowed = match &subject {
        Subjected::Case(case) => may_send(&ctx.user, case),
        Subjected::Refusal(_) => ctx.user.role != Role::Admin,
    };
    if !allowed {
        return Err(AppError::Forbidden);
    }
    if n.sent_on.is_some() {
        return Err(AppError::conflict("notice_already_sent", "Văn bản này đã được ghi nhận là đã gửi."));
    }
    let sent_on = form.sent_on.unwrap_or(ctx.today);
    if sent_on < n.issued_on || sent_on > ctx.today {
        return Err(AppError::field("sent_on", "Ngày gửi phải từ ngày ban hành văn bản đến hôm nay."));
    }
    let txn = ctx.begin().await?;
    let (kind, number, clock, channel) = (n.kind, number_of(&n), n.clock, form.channel);
    let mut model: notice::ActiveModel = n.into();
    model.sent_on = Set(Some(sent_on));
    model.channel = Set(Some(channel));
    model.sent_by = Set(Some(ctx.user.id));
    let saved = model.update(&txn).await?;
    match subject {
        Subjected::Case(case) => {
            let head = audit::head(&txn, case.id).await?;
            if let Some(clock) = clock {
                // Met on the day it was sent (late when after its due date), unless another
                // notice still owes the same clock (`deadlines::end` leaves those running).
                deadlines::end(&txn, case.id, &[clock], ClockState::Met, sent_on, ctx.now).await?;
            }
            let change = Change {
                action: EventAction::NoticeSent,
                from: Some(case.status),
                to: Some(case.status),
                changes: json!({"notice_id": saved.id, "kind": kind, "number": number, "sent_on": sent_on,
                                "channel": channel, "clock": clock}),
            };
            let actor = Actor::user(ctx.user.id, &ctx.user.full_name);
            audit::append(&txn, ctx.keys(), &case, &head, &actor, &change, ctx.now).await?;
            deadlines::refresh_inbox(&txn, &[case.id]).await?;
        }
        Subjected::Refusal(refusal) => {
            if refusal.notice_sent_on.is_none() {
                let mut m: reception_refusal::ActiveModel = refusal.into();
                m.notice_sent_on = Set(Some(sent_on));
                m.notice_no = Set(Some(number));
                m.notice_recorded_by = Set(Some(ctx.user.id));
                m.updated_at = Set(ctx.now);
                m.update(&txn).await?;
            }
        }
    }
    txn.commit().await?;
    Ok(saved)
}

/// Whether a case went past a deadline: a running clock overdue today, or one met after its due
/// date (the wards apologise for both).
pub fn is_late(clocks: &[deadline::Model], today: NaiveDate) -> Option<NaiveDate> {
    clocks
        .iter()
        .filter(|c| match c.state {
            ClockState::Running => !c.paused && c.due_on < today,
            ClockState::Met => c.ended_on.is_some_and(|e| e > c.due_on),
            _ => false,
        })
        .map(|c| c.due_on)
        .min()
}

/// Whether the apology letter is offered to `user` for a case: he may issue it (the case's own
/// staff, not a superior's reader), it went past a deadline, has someone to address, and has none
/// yet (looked up, by case, only once it is late).
pub async fn apology_offered(
    db: &impl ConnectionTrait,
    user: &AuthUser,
    case: &petition::Model,
    clocks: &[deadline::Model],
    today: NaiveDate,
) -> AppResult<bool> {
    if !may_send(user, case) || case.anonymous || is_late(clocks, today).is_none() {
        return Ok(false);
    }
    Ok(!has_apology(db, case.id).await?)
}

/// Whether a case already has its apology letter.
pub async fn has_apology(db: &impl ConnectionTrait, petition_id: i64) -> AppResult<bool> {
    Ok(notice::Entity::find()
        .filter(notice::Column::PetitionId.eq(petition_id))
        .filter(notice::Column::Kind.eq(NoticeKind::Apology))
        .one(db)
        .await?
        .is_some())
}

/// `POST /petitions/{id}/notices` `{"kind":"apology","promised_on"}`: the apology letter for a case
/// past its deadline (domain.md §12), once, with the new date it will be resolved by while open.
pub async fn issue(ctx: &Ctx, petition_id: i64, form: IssueNoticeRequest) -> AppResult<notice::Model> {
    let case = find_visible(ctx.reader(), &ctx.user, petition_id).await?;
    if !may_send(&ctx.user, &case) {
        return Err(AppError::Forbidden);
    }
    if form.kind != NoticeKind::Apology {
        return Err(AppError::field(
            "kind",
            "Chỉ lập được thư xin lỗi; các văn bản khác do bước xử lý tương ứng tự lập.",
        ));
    }
    if case.anonymous {
        return Err(AppError::conflict("apology_not_due", "Đơn nặc danh không có người nhận thư xin lỗi."));
    }
    let txn = ctx.begin().await?;
    let clocks = deadlines::of_case(&txn, case.id).await?;
    let Some(late_due) = is_late(&clocks, ctx.today) else {
        return Err(AppError::conflict(
            "apology_not_due",
            "Hồ sơ chưa quá thời hạn nào: chưa cần thư xin lỗi.",
        ));
    };
    if has_apology(&txn, case.id).await? {
        return Err(AppError::conflict("apology_already_issued", "Hồ sơ đã có thư xin lỗi."));
    }
    let promised_on = match (form.promised_on, case.status.is_open()) {
        (Some(d), _) if d < ctx.today => {
            return Err(AppError::field("promised_on", "Ngày hẹn giải quyết phải từ hôm nay trở đi."));
        }
        (None, true) => {
            return Err(AppError::field(
                "promised_on",
                "Hồ sơ đang giải quyết: cần ghi ngày hẹn giải quyết xong.",
            ));
        }
        (d, _) => d,
    };
    let head = audit::head(&txn, case.id).await?;
    let details = json!({"late_due": late_due, "promised_on": promised_on});
    let new = issue::NewNotice {
        agency_id: case.agency_id,
        petition_id: Some(case.id),
        refusal_id: None,
        kind: NoticeKind::Apology,
        to: Recipient::Petitioner,
        clock: None,
        due_on: None,
        event_seq: Some(head.seq + 1),
        details: details.clone(),
        issued_on: ctx.today,
        issued_by: Some(ctx.user.id),
    };
    let written = issue::write(&txn, new, ctx.now).await?;
    let change = Change {
        action: EventAction::NoticeIssued,
        from: Some(case.status),
        to: Some(case.status),
        changes: json!({"notice_id": written.id, "kind": NoticeKind::Apology, "number": number_of(&written),
                        "late_due": late_due, "promised_on": promised_on}),
    };
    let actor = Actor::user(ctx.user.id, &ctx.user.full_name);
    audit::append(&txn, ctx.keys(), &case, &head, &actor, &change, ctx.now).await?;
    txn.commit().await?;
    Ok(written)
}
