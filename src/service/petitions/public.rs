//! The citizen portal: filing without an account, following a case by its tracking code (status
//! and dates only: no names, no identity numbers, no content), rating a closed case, and a
//! signed-in citizen's own petitions.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Select,
};

use super::intake;
use crate::{
    auth::{AuthUser, Role},
    domain::{
        page::{KeysetParams, Page, PageRequest, TOTAL_CAP},
        petition::{
            Conclusion, EventAction, Kind, Status,
            portal::{ClaimRequest, PublicPetitionRequest, RatingRequest},
            query::{ListCursor, ListOrder},
            tracking_code,
        },
    },
    entity::{agency, petition, petition_event, petition_rating},
    error::{AppError, AppResult},
    service::{
        agencies,
        audit::Actor,
        context::{Context, Ctx},
        deadlines,
    },
};

/// Files a petition online: at the agency the form names (the register's first by default),
/// listed under the account of a citizen who filed it signed in.
pub async fn file(
    ctx: &Context<Option<AuthUser>>,
    form: PublicPetitionRequest,
) -> AppResult<petition::Model> {
    let filing = form.parse()?;
    let agency = match filing.agency_id {
        Some(id) => agencies::find(ctx.reader(), id)
            .await
            .map_err(|_| AppError::field("agency_id", "Cơ quan không tồn tại."))?,
        None => default_agency(ctx.reader()).await?,
    };
    let citizen = ctx.user.as_ref().filter(|u| u.role == Role::Citizen);
    let new = filing.into_petition(agency.id, citizen.map(|u| u.id), ctx.today);
    let actor = match (new.kind, citizen) {
        (Kind::Denunciation, _) => Actor::denouncer(),
        (_, Some(_)) => Actor::citizen(),
        (_, None) => Actor::public(),
    };
    let cal = ctx.calendar().await?;
    let txn = ctx.begin().await?;
    let case = intake(&txn, ctx.keys(), new, &actor, &cal, ctx.now).await?;
    txn.commit().await?;
    Ok(case)
}

/// What anyone with a case's tracking code may know of it.
#[derive(Debug, Clone)]
pub struct Tracked {
    pub tracking_code: String,
    pub kind: Kind,
    pub status: Status,
    pub received_on: NaiveDate,
    /// The next due date, while the case is open.
    pub due: Option<NaiveDate>,
    /// The status changes, oldest first: `(at, status)`.
    pub history: Vec<(DateTime<Utc>, Status)>,
    /// The public steps, oldest first, each with what the law lets the public know of it.
    pub timeline: Vec<PublicStep>,
}

/// A step of a case as anyone with its tracking code sees it: its date, what it was, and, where
/// the law allows, why or what came of it (a refusal's ground, the body it went to, the new due
/// date and why, the result: a denunciation's conclusion only by its finding, never its text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicStep {
    pub on: NaiveDate,
    pub step: EventAction,
    pub label: String,
    pub note: Option<String>,
}

/// The public steps of a case of `kind` from its trail's `(at, action, changes)`.
pub fn public_steps(kind: Kind, events: Vec<(DateTime<Utc>, EventAction, String)>) -> Vec<PublicStep> {
    use EventAction as E;
    let text = |v: &serde_json::Value, k: &str| {
        v.get(k).and_then(|x| x.as_str()).map(str::to_owned).filter(|s| !s.trim().is_empty())
    };
    let date_of = |v: &serde_json::Value, k: &str| {
        v.get(k).and_then(|x| x.as_str()).and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    };
    let vn = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
    events
        .into_iter()
        .filter_map(|(at, action, changes)| {
            let c: serde_json::Value = serde_json::from_str(&changes).unwrap_or_default();
            let reason = text(&c, "reason").map(|r| format!("Lý do: {r}"));
            let (label, note) = match action {
                E::Receive => ("Đã tiếp nhận đơn", None),
                E::Accept => ("Thụ lý giải quyết", None),
                E::Reject => ("Không thụ lý", reason),
                E::Guide => ("Hướng dẫn gửi đơn đến cơ quan có thẩm quyền", text(&c, "to_body")),
                E::Forward => (
                    "Chuyển đơn đến cơ quan có thẩm quyền",
                    text(&c, "to_body").or_else(|| text(&c, "to_agency")),
                ),
                E::Urge => ("Đôn đốc cơ quan có thẩm quyền giải quyết", text(&c, "to_body")),
                E::Archive => ("Lưu đơn", reason),
                E::Extend => (
                    "Gia hạn thời hạn giải quyết",
                    Some(
                        [
                            date_of(&c, "due").map(|d| format!("Hạn mới: {}", vn(d))),
                            text(&c, "reason").map(|r| format!("Lý do: {r}")),
                        ]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(". "),
                    )
                    .filter(|s| !s.is_empty()),
                ),
                E::Suspend => ("Tạm đình chỉ giải quyết", reason),
                E::Resume => ("Tiếp tục giải quyết", None),
                E::Withdraw => ("Người gửi rút đơn", None),
                E::Terminate => ("Đình chỉ giải quyết", reason),
                E::RecordLead => ("Tiếp nhận làm nguồn tin để thanh tra, kiểm tra", None),
                E::Reopen => ("Đã chuyển giải quyết lần tiếp theo", None),
                E::ScheduleDialogue => (
                    "Tổ chức đối thoại",
                    date_of(&c, "dialogue_on").map(|d| match text(&c, "place") {
                        Some(place) => format!("Ngày {} tại {place}", vn(d)),
                        None => format!("Ngày {}", vn(d)),
                    }),
                ),
                E::Resolve => {
                    let finding = c.get("conclusion").and_then(|x| x.as_str()).and_then(Conclusion::parse);
                    let note = match kind {
                        // A denunciation's conclusion is published by the law's own channel; here
                        // only its finding.
                        Kind::Denunciation => finding.map(|f| {
                            let words = match f {
                                Conclusion::Right => "đúng",
                                Conclusion::PartlyRight => "đúng một phần",
                                Conclusion::Wrong => "sai",
                            };
                            format!("Kết luận: tố cáo {words}")
                        }),
                        _ => text(&c, "result"),
                    };
                    (
                        if kind == Kind::Denunciation {
                            "Đã có kết luận nội dung tố cáo"
                        } else {
                            "Đã có kết quả giải quyết"
                        },
                        note,
                    )
                }
                _ => return None,
            };
            let on = date_of(&c, "on").unwrap_or_else(|| crate::clock::civil_date(at));
            Some(PublicStep { on, step: action, label: label.to_owned(), note })
        })
        .collect()
}

/// A case followed by its tracking code, typed loosely (404 when there is none).
pub async fn track<U>(ctx: &Context<U>, code: &str) -> AppResult<Tracked> {
    let db = ctx.reader();
    let case = by_code(db, code).await?;
    let history = status_history(db, case.id).await?;
    let events = petition_event::Entity::find()
        .select_only()
        .columns([
            petition_event::Column::At,
            petition_event::Column::Action,
            petition_event::Column::Changes,
        ])
        .filter(petition_event::Column::PetitionId.eq(case.id))
        .order_by_asc(petition_event::Column::Seq)
        .into_tuple::<(DateTime<Utc>, EventAction, String)>()
        .all(db)
        .await?;
    let timeline = public_steps(case.kind, events);
    Ok(Tracked {
        timeline,
        due: public_due(&case),
        tracking_code: case.tracking_code,
        kind: case.kind,
        status: case.status,
        received_on: case.received_on,
        history,
    })
}

/// Claims, for the signed-in citizen, the petition of `form.tracking_code` filed without an
/// account, when `form.contact` is the phone or e-mail it was filed with: it joins their list.
/// Any mismatch (no such case, another contact, already someone's, anonymous) answers 404 alike,
/// telling nothing of the case.
pub async fn claim(ctx: &Ctx, form: ClaimRequest) -> AppResult<petition::Model> {
    let wanted = ClaimRequest::contact_key(&form.contact);
    if wanted.len() < 6 {
        return Err(AppError::NotFound);
    }
    let txn = ctx.begin().await?;
    let case = by_code(&txn, &form.tracking_code).await?;
    if case.citizen_user_id.is_some() || case.anonymous {
        return Err(AppError::NotFound);
    }
    let parties = crate::service::identity::parties_of(&txn, &ctx.keys().data, case.id).await?;
    let petitioner = crate::service::identity::by_role(parties).0.ok_or(AppError::NotFound)?;
    let matches = [petitioner.phone.as_deref(), petitioner.email.as_deref()]
        .into_iter()
        .flatten()
        .any(|c| ClaimRequest::contact_key(c) == wanted);
    if !matches {
        return Err(AppError::NotFound);
    }
    let head = crate::service::audit::head(&txn, case.id).await?;
    let mut model: petition::ActiveModel = case.clone().into();
    model.citizen_user_id = Set(Some(ctx.user.id));
    model.updated_at = Set(ctx.now);
    let claimed = model.update(&txn).await?;
    let change = crate::service::audit::Change {
        action: EventAction::ClaimedByAccount,
        from: Some(case.status),
        to: Some(case.status),
        changes: serde_json::json!({"citizen_user_id": ctx.user.id}),
    };
    let actor = Actor::user(ctx.user.id, &ctx.user.full_name);
    crate::service::audit::append(&txn, ctx.keys(), &case, &head, &actor, &change, ctx.now).await?;
    txn.commit().await?;
    Ok(claimed)
}

/// Rates the closed case of tracking code `code`, once.
pub async fn rate<U>(ctx: &Context<U>, code: &str, form: RatingRequest) -> AppResult<petition_rating::Model> {
    let rating = form.parse()?;
    let case = by_code(ctx.reader(), code).await?;
    save_rating(ctx.writer(), &case, rating.score, rating.comment, ctx.now).await
}

/// A citizen's own petition in their list, with the due date they are shown.
#[derive(Debug, Clone)]
pub struct OwnPetition {
    pub case: petition::Model,
    pub due: Option<NaiveDate>,
}

/// A page of the petitions the signed-in citizen filed, newest first: after the cursor `after`
/// (the `next_after` of the page before) or at the offset of `page`, counted up to
/// [`crate::domain::page::TOTAL_CAP`].
pub async fn mine(ctx: &Ctx, params: KeysetParams) -> AppResult<Page<OwnPetition>> {
    let (page, after) = params.split();
    let after = match after {
        Some(text) => match ListCursor::decode(ListOrder::Newest, &text)? {
            ListCursor::Newest(id) => Some(id),
            _ => None,
        },
        None => None,
    };
    let page = page.checked()?.within_cap(after.is_some())?;
    let (mut items, counted) = of_citizen(ctx.reader(), ctx.user.id, page, after).await?;
    let next = page.cut(&mut items, |c| ListCursor::Newest(c.id).encode());
    let items = items.into_iter().map(|case| OwnPetition { due: public_due(&case), case }).collect();
    Ok(Page::keyset(items, counted, page, next))
}

/// The agency a portal petition goes to when none is named: the first one registered.
pub async fn default_agency(db: &impl ConnectionTrait) -> AppResult<agency::Model> {
    agency::Entity::find()
        .order_by_asc(agency::Column::Id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::internal("no agency registered"))
}

/// A case by its tracking code, typed loosely (any case, spaces or dashes).
pub async fn by_code(db: &impl ConnectionTrait, code: &str) -> AppResult<petition::Model> {
    let code = tracking_code::parse(code).ok_or(AppError::NotFound)?;
    by_code_query(code).one(db).await?.ok_or(AppError::NotFound)
}

/// [`by_code`]'s query: the unique index on the tracking code.
pub fn by_code_query(code: String) -> Select<petition::Entity> {
    petition::Entity::find().filter(petition::Column::TrackingCode.eq(code))
}

/// The status changes of a case, oldest first: `(at, status)`.
pub async fn status_history(
    db: &impl ConnectionTrait,
    petition_id: i64,
) -> AppResult<Vec<(DateTime<Utc>, Status)>> {
    let rows = status_history_query(petition_id)
        .into_tuple::<(DateTime<Utc>, Option<Status>, Option<Status>)>()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(at, from, to)| to.filter(|to| from != Some(*to)).map(|to| (at, to)))
        .collect())
}

/// [`status_history`]'s query: the case's trail in order of `ux_event_petition_seq`.
pub fn status_history_query(petition_id: i64) -> Select<petition_event::Entity> {
    petition_event::Entity::find()
        .select_only()
        .columns([
            petition_event::Column::At,
            petition_event::Column::FromStatus,
            petition_event::Column::ToStatus,
        ])
        .filter(petition_event::Column::PetitionId.eq(petition_id))
        .order_by_asc(petition_event::Column::Seq)
}

/// Whether a case is closed (ratable).
pub fn is_closed(case: &petition::Model) -> bool {
    !case.status.is_open()
}

/// Records a citizen's rating of a closed case, once.
pub async fn save_rating(
    db: &impl ConnectionTrait,
    case: &petition::Model,
    score: i16,
    comment: Option<String>,
    now: DateTime<Utc>,
) -> AppResult<petition_rating::Model> {
    if !is_closed(case) {
        return Err(AppError::conflict("not_closed", "Chỉ đánh giá được khi hồ sơ đã kết thúc xử lý."));
    }
    if petition_rating::Entity::find_by_id(case.id).one(db).await?.is_some() {
        return Err(AppError::conflict("already_rated", "Hồ sơ này đã được đánh giá."));
    }
    petition_rating::ActiveModel {
        petition_id: Set(case.id),
        score: Set(score),
        comment: Set(comment),
        at: Set(now),
    }
    .insert(db)
    .await
    .map_err(|e| match AppError::from(e) {
        AppError::Conflict { code: "duplicate", .. } => {
            AppError::conflict("already_rated", "Hồ sơ này đã được đánh giá.")
        }
        other => other,
    })
}

/// The rating of a case, if any.
pub async fn rating_of(
    db: &impl ConnectionTrait,
    petition_id: i64,
) -> AppResult<Option<petition_rating::Model>> {
    Ok(petition_rating::Entity::find_by_id(petition_id).one(db).await?)
}

/// A citizen's own petitions, newest first, those before id `before` only (or after the offset
/// of `page`): a page and one more (to tell whether another follows), read from
/// `ix_petition_citizen (citizen_user_id, id)`, and their number counted up to
/// [`crate::domain::page::TOTAL_CAP`] + 1.
pub async fn of_citizen(
    db: &impl ConnectionTrait,
    user_id: i64,
    page: PageRequest,
    before: Option<i64>,
) -> AppResult<(Vec<petition::Model>, u64)> {
    let query = petition::Entity::find().filter(petition::Column::CitizenUserId.eq(user_id));
    let counted = query.clone().limit(TOTAL_CAP + 1).count(db).await?;
    let items = of_citizen_query(user_id, page, before).all(db).await?;
    Ok((items, counted))
}

/// [`of_citizen`]'s page query.
pub fn of_citizen_query(user_id: i64, page: PageRequest, before: Option<i64>) -> Select<petition::Entity> {
    let query = petition::Entity::find().filter(petition::Column::CitizenUserId.eq(user_id));
    let query = match before {
        Some(id) => query.filter(petition::Column::Id.lt(id)),
        None => query.offset(page.offset()),
    };
    query.order_by_desc(petition::Column::Id).limit(page.per_page + 1)
}

/// The due date a citizen is shown: the case's next due date while it is open, read from its
/// inbox key (kept with its clocks; [`deadlines::no_due`] when no clock runs).
pub fn public_due(case: &petition::Model) -> Option<NaiveDate> {
    if is_closed(case) { None } else { case.inbox_due_on.filter(|d| *d != deadlines::no_due()) }
}
