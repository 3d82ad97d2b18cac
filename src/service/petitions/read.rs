//! Reading the register: a case (with the identity rules and the log of identity reads; read
//! only by the superior agency that holds a later round of it), the register's list, names, and
//! the routing checks of intake and assignment.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Statement,
    sea_query::{Expr, SelectStatement},
};

use super::search;
use crate::{
    auth::AuthUser,
    crypto::Sealer,
    domain::{
        page::{PageRequest, SEARCH_TOTAL_CAP, TOTAL_CAP},
        petition::{
            OriginRelation, ReadPurpose,
            query::{ListCursor, ListFilter, ListOrder},
        },
    },
    entity::{deadline, petition, petition_content, unit, user},
    error::{AppError, AppResult},
    service::{
        access::{self, CaseScope, LATER_ROUND_RELATIONS, LaterRound, Member},
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

/// How many later rounds of one case at one agency a read looks at: a case is reopened once per
/// round, so a handful at most; the bound keeps the read bounded whatever the data.
const LATER_ROUNDS_READ: u64 = 20;

/// A case the user may read, its file and its trail ([`access::can_read`]): one he may view, or
/// the earlier round of a case his agency holds (a second-round complaint or a further
/// denunciation made directly from it), with those later rounds (empty for his own agency's
/// case). Others get 404, as with [`find_visible`]. Acting still goes through [`find_visible`]'s
/// rule alone.
pub async fn find_readable(
    db: &impl ConnectionTrait,
    user: &AuthUser,
    id: i64,
) -> AppResult<(petition::Model, Vec<LaterRound>)> {
    let case = find(db, id).await?;
    let scope = CaseScope::of(&case);
    if access::can_view(user, &scope) {
        return Ok((case, Vec::new()));
    }
    let later = match user.agency_id {
        Some(agency) if user.role.is_staff() => later_rounds_at(db, case.id, agency).await?,
        _ => Vec::new(),
    };
    if access::can_read(user, &scope, &later) { Ok((case, later)) } else { Err(AppError::NotFound) }
}

/// The later rounds made directly from case `origin_id` that `agency_id` holds: one query on the
/// origin index (`ix_petition_origin`), bounded.
async fn later_rounds_at(
    db: &impl ConnectionTrait,
    origin_id: i64,
    agency_id: i64,
) -> AppResult<Vec<LaterRound>> {
    let rows = petition::Entity::find()
        .filter(petition::Column::OriginId.eq(origin_id))
        .filter(petition::Column::AgencyId.eq(agency_id))
        .filter(petition::Column::OriginRelation.is_in(LATER_ROUND_RELATIONS.map(|r| r.as_str())))
        .order_by_asc(petition::Column::Id)
        .limit(LATER_ROUNDS_READ)
        .all(db)
        .await?;
    Ok(rows.iter().filter_map(LaterRound::of).collect())
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
    /// Cases made from this one that the reader's agency holds: for its own staff the forward
    /// copies, second rounds and splits made in itself; for a superior's reader those his agency
    /// holds (the later rounds he reads it through). Id, relation, tracking code.
    pub derived: Vec<(i64, OriginRelation, String)>,
}

/// Reads everything a detailed view of `case` needs, for `user` who reads it (through `later`,
/// the later rounds of it his agency holds, when it is not his agency's: see [`find_readable`]).
/// The parties are included (opened with `sealer`), and the read logged through `writer`, only
/// when `user` may see them ([`access::can_read_identity`]).
#[allow(clippy::too_many_arguments)]
pub async fn read_petition(
    reader: &impl ConnectionTrait,
    writer: &impl ConnectionTrait,
    sealer: &Sealer,
    user: &AuthUser,
    case: &petition::Model,
    later: &[LaterRound],
    purpose: ReadPurpose,
    now: DateTime<Utc>,
) -> AppResult<PetitionRead> {
    let parties = if access::can_read_identity(user, &CaseScope::of(case), later) {
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
        .filter(petition::Column::AgencyId.eq(user.agency_id.unwrap_or(case.agency_id)))
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
    /// The matches, counted up to `cap` + 1.
    pub counted: u64,
    /// How far the matches were counted ([`CaseList::cap`]).
    pub cap: u64,
    /// Where the next page starts (its cursor), when there is one.
    pub next: Option<String>,
}

/// A list of an agency's cases as asked: what it selects and in which order. It builds the
/// statements the list runs (also printed by `tiepdan plans`).
#[derive(Debug, Clone)]
pub struct CaseList<'a> {
    pub backend: DbBackend,
    pub sealer: &'a Sealer,
    pub agency_id: i64,
    pub filter: &'a ListFilter,
    pub today: NaiveDate,
    pub nearly_due_until: NaiveDate,
}

/// The part of a list's order a statement reads: sorted by due date, the open cases (by their
/// inbox key) come before the closed ones (by id), each read from its own index range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The whole list in its order (received, or a search's newest first).
    All,
    /// The open cases by due date.
    Open,
    /// The closed cases by id, after the open ones.
    Closed,
}

impl CaseList<'_> {
    /// The filters but the search and the order, each served by an index of `petition`. `open`
    /// and the due flags read the inbox key (NULL when closed; 9999-12-31 when nothing runs).
    fn filters(&self) -> Condition {
        let f = self.filter;
        let key = petition::Column::InboxDueOn;
        let mut cond = Condition::all().add(petition::Column::AgencyId.eq(self.agency_id));
        if let Some(kind) = f.kind {
            cond = cond.add(petition::Column::Kind.eq(kind.as_str()));
        }
        if let Some(channel) = f.channel {
            cond = cond.add(petition::Column::Channel.eq(channel.as_str()));
        }
        if let Some(status) = f.status {
            cond = cond.add(petition::Column::Status.eq(status.as_str()));
        }
        match f.open {
            Some(true) => cond = cond.add(key.is_not_null()),
            Some(false) => cond = cond.add(key.is_null()),
            None => {}
        }
        if let Some(a) = f.assignee_id {
            cond = cond.add(petition::Column::AssigneeId.eq(a));
        }
        if f.unassigned {
            cond = cond.add(petition::Column::AssigneeId.is_null());
        }
        if let Some(u) = f.unit_id {
            cond = cond.add(petition::Column::UnitId.eq(u));
        }
        // The key is the earliest due date of the running, unpaused clocks: overdue when before
        // today.
        match f.overdue {
            Some(true) => cond = cond.add(key.lt(self.today)),
            Some(false) => cond = cond.add(Condition::any().add(key.is_null()).add(key.gte(self.today))),
            None => {}
        }
        if f.nearly_due == Some(true) {
            cond = cond.add(key.gte(self.today)).add(key.lte(self.nearly_due_until));
        }
        if let Some(from) = f.received_from {
            cond = cond.add(petition::Column::ReceivedOn.gte(from));
        }
        if let Some(to) = f.received_to {
            cond = cond.add(petition::Column::ReceivedOn.lte(to));
        }
        cond
    }

    /// The full-text query of the search, `Some(None)` when the search holds no word (nothing
    /// matches), `None` without a search.
    fn search(&self) -> Option<Option<search::Search>> {
        self.filter
            .q
            .as_deref()
            .map(|q| search::fts_query(self.backend, self.agency_id, q, Some(self.sealer)))
    }

    /// How far the list counts its matches: a search to [`SEARCH_TOTAL_CAP`], any other list to
    /// [`TOTAL_CAP`].
    pub fn cap(&self) -> u64 {
        if self.filter.q.is_some() { SEARCH_TOTAL_CAP } else { TOTAL_CAP }
    }

    /// The parts a page of this list reads, in order.
    pub fn parts(&self) -> Vec<Part> {
        match (self.filter.order(), self.filter.open) {
            (ListOrder::Due, Some(true)) => vec![Part::Open],
            (ListOrder::Due, Some(false)) => vec![Part::Closed],
            (ListOrder::Due, None) => vec![Part::Open, Part::Closed],
            _ => vec![Part::All],
        }
    }

    /// The rows of `part` after `after`, in the list's order (no offset nor limit yet); `None`
    /// when nothing can match.
    pub fn select(&self, part: Part, after: Option<ListCursor>) -> Option<SelectStatement> {
        let key = petition::Column::InboxDueOn;
        let mut cond = self.filters();
        let search = self.search();
        if self.filter.order() == ListOrder::Newest {
            let before = match after {
                Some(ListCursor::Newest(id)) => Some(id),
                _ => None,
            };
            return Some(search::newest(self.backend, search??, cond, before));
        }
        if let Some(query) = search {
            cond = cond.add(search::matching(self.backend, query?));
        }
        let mut query = petition::Entity::find();
        match part {
            Part::All => {
                if let Some(ListCursor::Received(d, id)) = after {
                    let (on, id_col) = (petition::Column::ReceivedOn, petition::Column::Id);
                    cond = cond.add(on.lte(d)).add(Condition::any().add(on.lt(d)).add(id_col.lt(id)));
                }
                query = query
                    .filter(cond)
                    .order_by_desc(petition::Column::ReceivedOn)
                    .order_by_desc(petition::Column::Id);
            }
            Part::Open => {
                cond = cond.add(key.is_not_null());
                match after {
                    Some(ListCursor::Due(Some(d), id)) => {
                        let id_col = petition::Column::Id;
                        cond = cond.add(key.gte(d)).add(Condition::any().add(key.gt(d)).add(id_col.gt(id)));
                    }
                    Some(ListCursor::Due(None, _)) => return None,
                    _ => {}
                }
                query = query.filter(cond).order_by_asc(key).order_by_asc(petition::Column::Id);
            }
            Part::Closed => {
                cond = cond.add(key.is_null());
                if let Some(ListCursor::Due(None, id)) = after {
                    cond = cond.add(petition::Column::Id.gt(id));
                }
                query = query.filter(cond).order_by_asc(petition::Column::Id);
            }
        }
        Some(query.into_query())
    }

    /// A page of `part`: `limit` rows after `after`, or after `offset` rows.
    pub fn page(&self, part: Part, after: Option<ListCursor>, offset: u64, limit: u64) -> Option<Statement> {
        let mut select = self.select(part, after)?;
        if offset > 0 {
            select.offset(offset);
        }
        select.limit(limit);
        Some(self.backend.build(&select))
    }

    /// The count of the matches of `part`, stopped at [`TOTAL_CAP`] + 1: `SELECT COUNT(*) FROM
    /// (… LIMIT 10001)`.
    pub fn count(&self, part: Part) -> Option<Statement> {
        // A search with no other filter is counted in the full-text index alone.
        if self.filter.only_search()
            && let Some(found) = self.search()
        {
            return Some(search::count_in_index(self.backend, found?, self.cap()));
        }
        let mut inner = self.select(part, None)?;
        // Only the rows' existence: an index that holds the filters' columns covers the count.
        inner.clear_selects().expr(Expr::val(1)).clear_order_by().limit(self.cap() + 1);
        let mut outer = sea_orm::sea_query::Query::select();
        outer.expr(Expr::cust("COUNT(*)")).from_subquery(inner, sea_orm::sea_query::Alias::new("matches"));
        Some(self.backend.build(&outer))
    }
}

/// The cursor of a case as the last row of a page in `order`.
fn cursor_of(order: ListOrder, case: &petition::Model) -> ListCursor {
    match order {
        ListOrder::Received => ListCursor::Received(case.received_on, case.id),
        ListOrder::Due => ListCursor::Due(case.inbox_due_on, case.id),
        ListOrder::Newest => ListCursor::Newest(case.id),
    }
}

/// Runs a capped count.
async fn count(db: &impl ConnectionTrait, statement: Statement) -> AppResult<u64> {
    let row = db.query_one_raw(statement).await?;
    let n: i64 = match row {
        Some(row) => row.try_get_by_index(0)?,
        None => 0,
    };
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Lists an agency's cases: a page read from an index in the list's order (after the cursor
/// `after`, or after the offset of `page`), the matches counted up to [`TOTAL_CAP`]. `q` is read
/// from the full-text index (names through their blind tokens under `sealer`'s key).
#[allow(clippy::too_many_arguments)]
pub async fn list(
    db: &impl ConnectionTrait,
    sealer: &Sealer,
    agency_id: i64,
    filter: &ListFilter,
    today: NaiveDate,
    nearly_due_until: NaiveDate,
    page: PageRequest,
    after: Option<ListCursor>,
) -> AppResult<ListPage> {
    let backend = db.get_database_backend();
    let list = CaseList { backend, sealer, agency_id, filter, today, nearly_due_until };
    let order = filter.order();
    let want = page.per_page + 1;
    let mut skip = if after.is_some() { 0 } else { page.offset() };
    let (mut items, mut counted) = (Vec::new(), 0);
    for part in list.parts() {
        let part_count = match list.count(part) {
            Some(st) => count(db, st).await?,
            None => 0,
        };
        counted += part_count;
        let room = want.saturating_sub(u64::try_from(items.len()).unwrap_or(u64::MAX));
        if room > 0
            && let Some(st) = list.page(part, after, skip, room)
        {
            let rows = petition::Model::find_by_statement(st).all(db).await?;
            if rows.is_empty() {
                // This part's rows were all skipped: the next part skips the rest of the offset.
                skip = skip.saturating_sub(part_count);
            } else {
                skip = 0;
            }
            items.extend(rows);
        }
    }
    let next = page.cut(&mut items, |c| cursor_of(order, c).encode());
    let ids: Vec<i64> = items.iter().map(|c| c.id).collect();
    let clocks = deadlines::of_cases(db, &ids).await?;
    let people: Vec<i64> = items.iter().filter_map(|c| c.assignee_id).collect();
    let names = names_of(db, &people).await?;
    let unit_ids: Vec<i64> = items.iter().filter_map(|c| c.unit_id).collect();
    let units = unit_names(db, &unit_ids).await?;
    Ok(ListPage { items, clocks, names, units, counted, cap: list.cap(), next })
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
