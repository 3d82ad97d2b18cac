//! Reading the register: a case (with the identity rules and the log of identity reads), the
//! register's list, names, and the routing checks of intake and assignment.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::search;
use crate::{
    auth::AuthUser,
    crypto::Sealer,
    domain::{
        deadline::ClockState,
        page::PageRequest,
        petition::{OriginRelation, ReadPurpose, Status, query::ListFilter},
    },
    entity::{deadline, petition, petition_content, unit, user},
    error::{AppError, AppResult},
    service::{
        access::{self, CaseScope, Member},
        deadlines,
        identity::{self, Party},
        oversight::identity_reads::{self, Subject},
    },
};

/// A case by id, whoever asks.
pub async fn find(db: &impl ConnectionTrait, id: i64) -> AppResult<petition::Model> {
    petition::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)
}

/// A case the user may view; others (another agency's, a citizen) get 404, which also keeps a
/// denunciation's existence from leaking.
pub async fn find_visible(db: &impl ConnectionTrait, user: &AuthUser, id: i64) -> AppResult<petition::Model> {
    let case = find(db, id).await?;
    if access::can_view(user, &CaseScope::of(&case)) { Ok(case) } else { Err(AppError::NotFound) }
}

/// The text of a case.
pub async fn content_of(db: &impl ConnectionTrait, petition_id: i64) -> AppResult<String> {
    petition_content::Entity::find_by_id(petition_id)
        .one(db)
        .await?
        .map(|c| c.content)
        .ok_or_else(|| AppError::internal(format!("case {petition_id} has no content row")))
}

/// What a detailed view of a case holds besides the row, read in a handful of queries.
#[derive(Debug, Clone)]
pub struct PetitionRead {
    pub content: String,
    /// Opened, only when the reader may see them (and the read was logged).
    pub parties: Option<Vec<Party>>,
    /// Every clock of the case, oldest first.
    pub clocks: Vec<deadline::Model>,
    pub assignee_name: Option<String>,
    pub unit_name: Option<String>,
    pub leader_name: Option<String>,
    /// Cases made from this one in its agency (forward copies, second rounds, splits): id,
    /// relation, tracking code.
    pub derived: Vec<(i64, OriginRelation, String)>,
}

/// Reads everything a detailed view of `case` needs. The parties are included (opened with
/// `sealer`), and the read logged through `writer`, only when `user` may see them.
pub async fn read_petition(
    reader: &impl ConnectionTrait,
    writer: &impl ConnectionTrait,
    sealer: &Sealer,
    user: &AuthUser,
    case: &petition::Model,
    purpose: ReadPurpose,
    now: DateTime<Utc>,
) -> AppResult<PetitionRead> {
    let parties = if access::can_see_identity(user, &CaseScope::of(case)) {
        let parties = identity::parties_of(reader, sealer, case.id).await?;
        if !parties.is_empty() {
            let read = identity_reads::Read { agency_id: case.agency_id, subject: Subject::Case(case.id) };
            identity_reads::log(writer, user.id, purpose, now, &[read]).await?;
        }
        Some(parties)
    } else {
        None
    };
    let clocks = deadlines::of_case(reader, case.id).await?;
    let content = content_of(reader, case.id).await?;
    let names =
        names_of(reader, &[case.assignee_id, case.leader_id].into_iter().flatten().collect::<Vec<_>>())
            .await?;
    let unit_name = match case.unit_id {
        Some(u) => unit::Entity::find_by_id(u).one(reader).await?.map(|u| u.name),
        None => None,
    };
    let derived = petition::Entity::find()
        .select_only()
        .columns([petition::Column::Id, petition::Column::OriginRelation, petition::Column::TrackingCode])
        .filter(petition::Column::OriginId.eq(case.id))
        .filter(petition::Column::AgencyId.eq(case.agency_id))
        .order_by_asc(petition::Column::Id)
        .into_tuple::<(i64, Option<OriginRelation>, String)>()
        .all(reader)
        .await?
        .into_iter()
        .filter_map(|(id, rel, code)| Some((id, rel?, code)))
        .collect();
    Ok(PetitionRead {
        assignee_name: case.assignee_id.and_then(|id| names.get(&id).cloned()),
        leader_name: case.leader_id.and_then(|id| names.get(&id).cloned()),
        unit_name,
        parties,
        clocks,
        derived,
        content,
    })
}

/// Full names of users by id, in one query.
pub async fn names_of(db: &impl ConnectionTrait, ids: &[i64]) -> AppResult<HashMap<i64, String>> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(user::Entity::find()
        .select_only()
        .columns([user::Column::Id, user::Column::FullName])
        .filter(user::Column::Id.is_in(ids.iter().copied()))
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// Unit names by id, in one query.
pub async fn unit_names(db: &impl ConnectionTrait, ids: &[i64]) -> AppResult<HashMap<i64, String>> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(unit::Entity::find()
        .select_only()
        .columns([unit::Column::Id, unit::Column::Name])
        .filter(unit::Column::Id.is_in(ids.iter().copied()))
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// A page of an agency's cases and their running clocks, with handler and unit names.
pub struct ListPage {
    pub items: Vec<petition::Model>,
    pub clocks: Vec<deadline::Model>,
    pub names: HashMap<i64, String>,
    pub units: HashMap<i64, String>,
    pub total: u64,
}

/// Lists an agency's cases. Every filter is served by an index; `q` by the full-text index (names
/// through their blind tokens under `sealer`'s key).
pub async fn list(
    db: &impl ConnectionTrait,
    sealer: &Sealer,
    agency_id: i64,
    filter: &ListFilter,
    today: NaiveDate,
    nearly_due_until: NaiveDate,
    page: PageRequest,
) -> AppResult<ListPage> {
    let mut cond = Condition::all().add(petition::Column::AgencyId.eq(agency_id));
    if let Some(kind) = filter.kind {
        cond = cond.add(petition::Column::Kind.eq(kind.as_str()));
    }
    if let Some(channel) = filter.channel {
        cond = cond.add(petition::Column::Channel.eq(channel.as_str()));
    }
    if let Some(status) = filter.status {
        cond = cond.add(petition::Column::Status.eq(status.as_str()));
    }
    let open_statuses = [Status::Received, Status::Accepted, Status::Suspended].map(Status::as_str);
    match filter.open {
        Some(true) => cond = cond.add(petition::Column::Status.is_in(open_statuses)),
        Some(false) => cond = cond.add(petition::Column::Status.is_not_in(open_statuses)),
        None => {}
    }
    if let Some(a) = filter.assignee_id {
        cond = cond.add(petition::Column::AssigneeId.eq(a));
    }
    if filter.unassigned {
        cond = cond.add(petition::Column::AssigneeId.is_null());
    }
    if let Some(u) = filter.unit_id {
        cond = cond.add(petition::Column::UnitId.eq(u));
    }
    // Overdue and nearly due are read from the clocks' (state, due_on) index, not the cases'.
    let yesterday = today.pred_opt().unwrap_or(today);
    match filter.overdue {
        Some(true) => cond = cond.add(petition::Column::Id.in_subquery(clocks_due(None, yesterday))),
        Some(false) => cond = cond.add(petition::Column::Id.not_in_subquery(clocks_due(None, yesterday))),
        None => {}
    }
    if filter.nearly_due == Some(true) {
        cond = cond
            .add(petition::Column::Id.in_subquery(clocks_due(Some(today), nearly_due_until)))
            .add(petition::Column::Id.not_in_subquery(clocks_due(None, yesterday)));
    }
    if let Some(from) = filter.received_from {
        cond = cond.add(petition::Column::ReceivedOn.gte(from));
    }
    if let Some(to) = filter.received_to {
        cond = cond.add(petition::Column::ReceivedOn.lte(to));
    }
    if let Some(q) = filter.q.as_deref() {
        cond = cond.add(search::condition(db.get_database_backend(), q, Some(sealer)));
    }
    let query = petition::Entity::find().filter(cond);
    let total = query.clone().count(db).await?;
    let query = if filter.by_due {
        query
            .order_by_asc(search::next_due_order(db.get_database_backend()))
            .order_by_asc(petition::Column::Id)
    } else {
        query.order_by_desc(petition::Column::ReceivedOn).order_by_desc(petition::Column::Id)
    };
    let items = query.offset(page.offset()).limit(page.per_page).all(db).await?;
    let ids: Vec<i64> = items.iter().map(|c| c.id).collect();
    let clocks = deadlines::of_cases(db, &ids).await?;
    let people: Vec<i64> = items.iter().filter_map(|c| c.assignee_id).collect();
    let names = names_of(db, &people).await?;
    let unit_ids: Vec<i64> = items.iter().filter_map(|c| c.unit_id).collect();
    let units = unit_names(db, &unit_ids).await?;
    Ok(ListPage { items, clocks, names, units, total })
}

/// The cases with a running, unpaused clock due in `from..=to` (`from` open when `None`).
fn clocks_due(from: Option<NaiveDate>, to: NaiveDate) -> sea_orm::sea_query::SelectStatement {
    let mut q = sea_orm::sea_query::Query::select();
    q.column(deadline::Column::PetitionId)
        .from(deadline::Entity)
        .and_where(deadline::Column::State.eq(ClockState::Running))
        .and_where(deadline::Column::Paused.eq(false));
    if let Some(from) = from {
        q.and_where(deadline::Column::DueOn.gte(from));
    }
    q.and_where(deadline::Column::DueOn.lte(to));
    q.to_owned()
}

/// Checks that a unit and a handler may take a case of `agency_id`: the unit is the agency's and
/// the handler one who may handle its cases ([`access::can_handle`]). Returns the handler's
/// facts, when one is named.
pub async fn check_routing(
    db: &impl ConnectionTrait,
    agency_id: i64,
    assignee_id: Option<i64>,
    unit_id: Option<i64>,
) -> AppResult<Option<Member>> {
    if let Some(u) = unit_id {
        let found = unit::Entity::find_by_id(u).one(db).await?;
        if found.is_none_or(|x| x.agency_id != agency_id) {
            return Err(AppError::field("unit_id", "Đơn vị không thuộc cơ quan này."));
        }
    }
    let Some(a) = assignee_id else { return Ok(None) };
    let member = user::Entity::find_by_id(a).one(db).await?.map(|u| Member::of(&u));
    match member {
        Some(m) if access::can_handle(&m, agency_id) => Ok(Some(m)),
        _ => Err(AppError::field(
            "assignee_id",
            "Người xử lý không phải cán bộ đang làm việc của cơ quan này.",
        )),
    }
}
