//! The identity-access log: who read whose protected identity, when and why (domain.md §6 rule
//! 5: the evidence if confidentiality is breached). A case's parties are logged on the case, a
//! visitor on the visit's case (or the visit, with no case), a refused visitor on the refusal.

use std::collections::HashMap;

use chrono::{DateTime, Days, Utc};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::{
    auth::Role,
    clock::day_start,
    domain::{
        oversight::{IdentityReadsFilter, ReadCursor},
        page::{Page, TOTAL_CAP},
        petition::ReadPurpose,
    },
    entity::{identity_access, petition, user},
    error::AppResult,
    service::{access::accounts::agency_in_view, context::Ctx},
};

/// Whose identity was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Subject {
    /// The parties of a case (or a visitor about it).
    Case(i64),
    /// The visitor of a confidential visit with no case.
    Visit(i64),
    /// A refused visitor.
    Refusal(i64),
}

/// One read: the subject and the agency whose register holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Read {
    pub agency_id: i64,
    pub subject: Subject,
}

/// Logs that `user_id` read `reads` for `purpose`, one row each, in one statement.
pub async fn log(
    db: &impl ConnectionTrait,
    user_id: i64,
    purpose: ReadPurpose,
    now: DateTime<Utc>,
    reads: &[Read],
) -> AppResult<()> {
    if reads.is_empty() {
        return Ok(());
    }
    let rows = reads.iter().map(|read| {
        let (petition_id, visit_id, refusal_id) = match read.subject {
            Subject::Case(id) => (Some(id), None, None),
            Subject::Visit(id) => (None, Some(id), None),
            Subject::Refusal(id) => (None, None, Some(id)),
        };
        identity_access::ActiveModel {
            agency_id: sea_orm::Set(read.agency_id),
            petition_id: sea_orm::Set(petition_id),
            visit_id: sea_orm::Set(visit_id),
            refusal_id: sea_orm::Set(refusal_id),
            user_id: sea_orm::Set(user_id),
            at: sea_orm::Set(now),
            purpose: sea_orm::Set(purpose),
            ..Default::default()
        }
    });
    identity_access::Entity::insert_many(rows).exec_without_returning(db).await?;
    Ok(())
}

/// The identity reads of a case, newest first (the latest 500), with the reader's name.
pub async fn of_case(
    db: &impl ConnectionTrait,
    petition_id: i64,
) -> AppResult<Vec<(identity_access::Model, Option<String>)>> {
    let rows = identity_access::Entity::find()
        .find_also_related(user::Entity)
        .filter(identity_access::Column::PetitionId.eq(petition_id))
        .order_by_desc(identity_access::Column::At)
        .order_by_desc(identity_access::Column::Id)
        .limit(500)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(read, reader)| (read, reader.map(|u| u.full_name))).collect())
}

/// A read in the agency's log, with the reader's name and the case's tracking code.
#[derive(Debug, Clone)]
pub struct LoggedRead {
    pub row: identity_access::Model,
    pub user_name: Option<String>,
    pub tracking_code: Option<String>,
}

/// `GET /identity-access` (chairman, admin): the reads of the caller's agency (the admin may name
/// another) in a period, newest first, a page at a time: after the cursor of the page before, or
/// at an offset of at most [`TOTAL_CAP`] reads (400 `page_too_deep` deeper: the log grows with
/// every read, so it pages by cursor and counts up to the cap).
pub async fn list(ctx: &Ctx, filter: IdentityReadsFilter) -> AppResult<Page<LoggedRead>> {
    let agency = if ctx.user.role == Role::Admin {
        agency_in_view(&ctx.user, filter.agency_id)
    } else {
        ctx.user.agency_id
    };
    let after = filter.to.checked_add_days(Days::new(1)).unwrap_or(filter.to);
    let mut query = identity_access::Entity::find()
        .filter(identity_access::Column::AgencyId.eq(agency))
        .filter(identity_access::Column::At.gte(day_start(filter.from)))
        .filter(identity_access::Column::At.lt(day_start(after)));
    if let Some(reader) = filter.user_id {
        query = query.filter(identity_access::Column::UserId.eq(reader));
    }
    filter.page.within_cap(filter.after.is_some())?;
    let db = ctx.reader();
    let counted = query.clone().limit(TOTAL_CAP + 1).count(db).await?;
    let mut page =
        query.order_by_desc(identity_access::Column::At).order_by_desc(identity_access::Column::Id);
    page = match filter.after {
        // Newest first along (at, id): `at <= t` bounds the index range, the rest breaks ties.
        Some(ReadCursor { at, id }) => page.filter(identity_access::Column::At.lte(at)).filter(
            Condition::any().add(identity_access::Column::At.lt(at)).add(identity_access::Column::Id.lt(id)),
        ),
        None => page.offset(filter.page.offset()),
    };
    let mut rows = page.limit(filter.page.per_page + 1).all(db).await?;
    let next = filter.page.cut(&mut rows, |r| ReadCursor { at: r.at, id: r.id }.encode());
    let names = names(db, rows.iter().map(|r| r.user_id)).await?;
    let cases: Vec<i64> = rows.iter().filter_map(|r| r.petition_id).collect();
    let codes: HashMap<i64, String> = if cases.is_empty() {
        HashMap::new()
    } else {
        petition::Entity::find()
            .select_only()
            .columns([petition::Column::Id, petition::Column::TrackingCode])
            .filter(petition::Column::Id.is_in(cases))
            .into_tuple::<(i64, String)>()
            .all(db)
            .await?
            .into_iter()
            .collect()
    };
    let items = rows
        .into_iter()
        .map(|row| LoggedRead {
            user_name: names.get(&row.user_id).cloned(),
            tracking_code: row.petition_id.and_then(|p| codes.get(&p).cloned()),
            row,
        })
        .collect();
    Ok(Page::keyset(items, counted, filter.page, next))
}

/// The names of a page's accounts, in one query.
pub async fn names(
    db: &impl ConnectionTrait,
    ids: impl Iterator<Item = i64>,
) -> AppResult<HashMap<i64, String>> {
    let mut ids: Vec<i64> = ids.collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(user::Entity::find()
        .select_only()
        .columns([user::Column::Id, user::Column::FullName])
        .filter(user::Column::Id.is_in(ids))
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}
