//! Retention (issue 18; TT 05/2021 Art. 28(2); rules in `domain::retention`): the archived cases
//! past their keeping, listed for the head's decision; their destruction on that decision, an
//! explicit, audited step; and the register of destroyed cases.
//!
//! A destruction, all or nothing in one transaction, for each case named: keeps the case row as
//! its register line (tracking code, kind, dates of receipt and closing, the decision's number
//! and date, who and when) and clears its free texts (subject replaced by the decision, result,
//! notes, the described documents, the earlier decision's body, the dialogue's place); empties
//! its content and its entry in the search index; deletes its parties (sealed identities), its
//! attachments and their chunks, its messages in the outbox; empties its notices' details and its
//! rating's comment. It appends a `destroyed` event whose facts restate the emptied content and
//! parties ([`audit::append_restated`]), so `verify-audit` verifies the destroyed case as it is.
//! What stays in the trail: the steps taken, their dates and actors, and what each recorded
//! (the subject at receipt, reasons, notes): a trail cannot be rewritten without breaking its
//! chain and seals, and it never holds a party's identity.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::Expr,
};
use serde_json::json;

use crate::{
    auth::Role,
    domain::{
        page::{Page, PageParams, TOTAL_CAP, cursor},
        petition::{EventAction, Status},
        retention::{DestructionRequest, RetentionQuery, check_due},
    },
    entity::{
        attachment, attachment_chunk, notice, outbox, petition, petition_content, petition_party,
        petition_rating, user,
    },
    error::{AppError, AppResult},
    service::{
        audit::{self, Actor, Change},
        context::Ctx,
        identity,
        petitions::search,
    },
};

/// Who sees the list and carries out the head's decision: the chairman, and the administrator
/// who records it.
pub const HEADS: [Role; 2] = [Role::Chairman, Role::Admin];

/// `GET /retention/due`: the agency's archived cases whose keeping ended by today, the longest
/// overdue first, a page at a time from `ix_petition_retention` (cursor: the day and id of the
/// last row).
pub async fn due(ctx: &Ctx, q: RetentionQuery) -> AppResult<Page<petition::Model>> {
    ctx.user.require_any(&HEADS)?;
    let agency = ctx.user.require_staff()?;
    let req = PageParams::of(None, q.per_page).checked()?;
    let after = match after_key(q.after.as_deref())? {
        None => None,
        Some((day, id)) => Some((day.parse::<NaiveDate>().map_err(|_| bad_cursor())?, id)),
    };
    let mut rows = due_page(agency, ctx.today, after, req.per_page + 1).all(ctx.reader()).await?;
    let next = req.cut(&mut rows, |r| {
        cursor::encode(&[&r.archive_until.map(|d| d.to_string()).unwrap_or_default(), &r.id.to_string()])
    });
    // Counted in the index, up to the cap.
    let counted = due_filter(agency, ctx.today)
        .select_only()
        .column(petition::Column::Id)
        .limit(TOTAL_CAP + 1)
        .into_tuple::<i64>()
        .all(ctx.reader())
        .await?
        .len() as u64;
    Ok(Page::keyset(rows, counted, req, next))
}

/// `GET /retention/destroyed`: the agency's register of destroyed cases, the last destroyed first,
/// a page at a time from `ix_petition_destroyed`; with the names of who carried them out.
pub async fn destroyed(
    ctx: &Ctx,
    q: RetentionQuery,
) -> AppResult<(Page<petition::Model>, HashMap<i64, String>)> {
    ctx.user.require_any(&HEADS)?;
    let agency = ctx.user.require_staff()?;
    let req = PageParams::of(None, q.per_page).checked()?;
    let after = match after_key(q.after.as_deref())? {
        None => None,
        Some((at, id)) => {
            let at = DateTime::parse_from_rfc3339(&at).map_err(|_| bad_cursor())?.with_timezone(&Utc);
            Some((at, id))
        }
    };
    let mut rows = destroyed_page(agency, after, req.per_page + 1).all(ctx.reader()).await?;
    let next = req.cut(&mut rows, |r| {
        cursor::encode(&[
            &r.destroyed_at
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true))
                .unwrap_or_default(),
            &r.id.to_string(),
        ])
    });
    let counted = destroyed_filter(agency)
        .select_only()
        .column(petition::Column::Id)
        .limit(TOTAL_CAP + 1)
        .into_tuple::<i64>()
        .all(ctx.reader())
        .await?
        .len() as u64;
    let names = names_of(ctx, rows.iter().filter_map(|r| r.destroyed_by)).await?;
    Ok((Page::keyset(rows, counted, req, next), names))
}

fn bad_cursor() -> AppError {
    crate::domain::input::BadQuery::param("after", "Không mở được trang sau.").into()
}

/// The key of a cursor of these lists: its first part as sent, and an id.
fn after_key(after: Option<&str>) -> AppResult<Option<(String, i64)>> {
    let Some(after) = after.filter(|a| !a.trim().is_empty()) else { return Ok(None) };
    match cursor::decode(after)?.as_slice() {
        [first, id] => Ok(Some((first.clone(), id.parse::<i64>().map_err(|_| bad_cursor())?))),
        _ => Err(bad_cursor()),
    }
}

/// The agency's archived cases due on `today`: a range of `ix_petition_retention`.
fn due_filter(agency: i64, today: NaiveDate) -> sea_orm::Select<petition::Entity> {
    petition::Entity::find()
        .filter(petition::Column::AgencyId.eq(agency))
        .filter(petition::Column::Status.eq(Status::Archived))
        .filter(petition::Column::ArchiveUntil.lte(today))
}

/// A page of the cases due after the key `after` (day, id), in the index's order: also the
/// statement `tiepdan plans` shows.
pub fn due_page(
    agency: i64,
    today: NaiveDate,
    after: Option<(NaiveDate, i64)>,
    limit: u64,
) -> sea_orm::Select<petition::Entity> {
    let mut find = due_filter(agency, today);
    if let Some((day, id)) = after {
        // `day <=` bounds the index range; the rest breaks ties (the house's keyset form).
        find = find.filter(petition::Column::ArchiveUntil.gte(day)).filter(
            Condition::any().add(petition::Column::ArchiveUntil.gt(day)).add(petition::Column::Id.gt(id)),
        );
    }
    find.order_by_asc(petition::Column::ArchiveUntil).order_by_asc(petition::Column::Id).limit(limit)
}

fn destroyed_filter(agency: i64) -> sea_orm::Select<petition::Entity> {
    petition::Entity::find()
        .filter(petition::Column::AgencyId.eq(agency))
        .filter(petition::Column::DestroyedAt.is_not_null())
}

/// A page of the agency's destroyed cases after the key `after` (instant, id), newest first along
/// `ix_petition_destroyed`: also the statement `tiepdan plans` shows.
pub fn destroyed_page(
    agency: i64,
    after: Option<(DateTime<Utc>, i64)>,
    limit: u64,
) -> sea_orm::Select<petition::Entity> {
    let mut find = destroyed_filter(agency);
    if let Some((at, id)) = after {
        find = find.filter(petition::Column::DestroyedAt.lte(at)).filter(
            Condition::any().add(petition::Column::DestroyedAt.lt(at)).add(petition::Column::Id.lt(id)),
        );
    }
    find.order_by_desc(petition::Column::DestroyedAt).order_by_desc(petition::Column::Id).limit(limit)
}

/// The names of the staff `ids`.
async fn names_of(ctx: &Ctx, ids: impl Iterator<Item = i64>) -> AppResult<HashMap<i64, String>> {
    let mut ids: Vec<i64> = ids.collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let accounts = user::Entity::find().filter(user::Column::Id.is_in(ids)).all(ctx.reader()).await?;
    accounts
        .into_iter()
        .map(|a| {
            let a = identity::open_account(&ctx.keys().data, a)?;
            Ok((a.id, a.full_name))
        })
        .collect()
}

/// `POST /retention/destructions`: destroys the cases the head's decision names (see the module
/// docs), all or none: one not of this agency is 404, one not due 409 `not_due` naming each such
/// case and why. Returns the register lines, with the name of who carried it out.
pub async fn destroy(
    ctx: &Ctx,
    body: DestructionRequest,
) -> AppResult<(Vec<petition::Model>, HashMap<i64, String>)> {
    ctx.user.require_any(&HEADS)?;
    let agency = ctx.user.require_staff()?;
    let decision = body.parse(ctx.today)?;
    let txn = ctx.begin().await?;
    let cases = petition::Entity::find()
        .filter(petition::Column::Id.is_in(decision.petition_ids.clone()))
        .all(&txn)
        .await?;
    let mut by_id: HashMap<i64, petition::Model> = cases.into_iter().map(|c| (c.id, c)).collect();
    let mut refused = Vec::new();
    for id in &decision.petition_ids {
        let Some(case) = by_id.get(id).filter(|c| c.agency_id == agency) else {
            return Err(AppError::NotFound);
        };
        if let Err(why) = check_due(case.status, case.archive_until, case.destroyed_at.is_some(), ctx.today) {
            refused.push(format!("{}: {}", case.tracking_code, why.message()));
        }
    }
    if !refused.is_empty() {
        return Err(AppError::conflict("not_due", format!("Không hủy hồ sơ nào: {}.", refused.join("; "))));
    }
    let actor = Actor::user(ctx.user.id, &ctx.user.full_name);
    let subject = format!(
        "Đã hủy theo Quyết định số {} ngày {}",
        decision.decision_no,
        decision.decision_on.format("%d/%m/%Y")
    );
    for id in &decision.petition_ids {
        let case = by_id.remove(id).ok_or_else(|| AppError::internal("a case named twice"))?;
        let head = audit::head(&txn, case.id).await?;
        wipe(&txn, &case, &subject, &decision.decision_no, decision.decision_on, ctx.user.id, ctx.now)
            .await?;
        let change = Change {
            action: EventAction::Destroyed,
            from: Some(case.status),
            to: Some(case.status),
            changes: json!({
                "decision_no": decision.decision_no,
                "decision_on": decision.decision_on,
                "archive_until": case.archive_until,
            }),
        };
        audit::append_restated(&txn, ctx.keys(), &case, &head, &actor, &change, ctx.now).await?;
    }
    let lines = petition::Entity::find()
        .filter(petition::Column::Id.is_in(decision.petition_ids.clone()))
        .order_by_asc(petition::Column::Id)
        .all(&txn)
        .await?;
    txn.commit().await?;
    let names = HashMap::from([(ctx.user.id, ctx.user.full_name.clone())]);
    Ok((lines, names))
}

/// Deletes what a destroyed case held beyond its register line (see the module docs).
async fn wipe(
    txn: &sea_orm::DatabaseTransaction,
    case: &petition::Model,
    subject: &str,
    decision_no: &str,
    decision_on: NaiveDate,
    by: i64,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let id = case.id;
    petition::Entity::update(petition::ActiveModel {
        id: sea_orm::ActiveValue::Unchanged(id),
        subject: Set(subject.to_owned()),
        citizen_user_id: Set(None),
        attachments: Set(None),
        handled_before_by: Set(None),
        expected_result: Set(None),
        outcome_note: Set(None),
        result: Set(None),
        forward_result: Set(None),
        earlier_decision_body: Set(None),
        dialogue_place: Set(None),
        archive_until: Set(None),
        destroyed_at: Set(Some(audit::event_instant(now))),
        destroyed_by: Set(Some(by)),
        destruction_decision_no: Set(Some(decision_no.to_owned())),
        destruction_decision_on: Set(Some(decision_on)),
        ..Default::default()
    })
    .exec(txn)
    .await?;
    petition_content::Entity::update_many()
        .col_expr(petition_content::Column::Content, Expr::value(String::new()))
        .filter(petition_content::Column::PetitionId.eq(id))
        .exec(txn)
        .await?;
    search::reindex(txn, id, &search::words_only(case.agency_id, "", "")).await?;
    petition_party::Entity::delete_many().filter(petition_party::Column::PetitionId.eq(id)).exec(txn).await?;
    let files: Vec<i64> = attachment::Entity::find()
        .select_only()
        .column(attachment::Column::Id)
        .filter(attachment::Column::PetitionId.eq(id))
        .into_tuple()
        .all(txn)
        .await?;
    if !files.is_empty() {
        attachment_chunk::Entity::delete_many()
            .filter(attachment_chunk::Column::AttachmentId.is_in(files.clone()))
            .exec(txn)
            .await?;
        attachment::Entity::delete_many().filter(attachment::Column::Id.is_in(files)).exec(txn).await?;
    }
    outbox::Entity::delete_many().filter(outbox::Column::PetitionId.eq(id)).exec(txn).await?;
    notice::Entity::update_many()
        .col_expr(notice::Column::Details, Expr::value("{}".to_owned()))
        .filter(notice::Column::PetitionId.eq(id))
        .exec(txn)
        .await?;
    petition_rating::Entity::update_many()
        .col_expr(petition_rating::Column::Comment, Expr::value(Option::<String>::None))
        .filter(petition_rating::Column::PetitionId.eq(id))
        .exec(txn)
        .await?;
    Ok(())
}
