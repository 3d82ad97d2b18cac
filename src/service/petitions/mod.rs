//! The petition register: intake, reading (with the identity rules), lists and search. The
//! workflow's actions are in `actions`, the citizen portal in `public`, search and repeat
//! detection in `search`.

pub mod actions;
pub mod public;
pub mod search;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Statement, sea_query::Expr,
};
use serde_json::json;

use crate::{
    auth::AuthUser,
    domain::{
        calendar::Calendar,
        deadline::{ClockId, ClockState, Complexity, RuleSetId, rule_set_for},
        petition::{
            Channel, EventAction, Kind, OriginRelation, PartyRole, ReadPurpose, Status, tracking_code,
        },
        role::Role,
        text,
    },
    entity::{deadline, identity_access, petition, petition_content, petition_party, unit, user},
    error::{AppError, AppResult},
    http::extract::PageRequest,
    service::{
        access::{self, CaseScope},
        audit::{self, Actor, Change, GENESIS},
        deadlines,
    },
};

pub use crate::domain::person::Person;

/// A checked new petition.
#[derive(Debug, Clone)]
pub struct NewPetition {
    pub agency_id: i64,
    pub kind: Kind,
    pub channel: Channel,
    pub received_on: NaiveDate,
    pub subject: String,
    pub content: String,
    /// `None` for an anonymous petition.
    pub petitioner: Option<Person>,
    pub cosignatories: Vec<Person>,
    pub representatives: Vec<Person>,
    pub signatories: i32,
    pub forwarding_body: Option<String>,
    pub forwarding_doc_no: Option<String>,
    /// Descriptions of the documents handed over.
    pub attachments: Vec<String>,
    pub skip_level: bool,
    pub handled_before_by: Option<String>,
    pub remote_area: bool,
    pub round: i32,
    pub origin: Option<(i64, OriginRelation)>,
    /// The staff member who registered it (`None` from the portal or another agency).
    pub received_by: Option<i64>,
    pub citizen_user_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub assignee_id: Option<i64>,
}

/// Everything a view of a case needs, read in a handful of queries.
#[derive(Debug, Clone)]
pub struct CaseBundle {
    pub case: petition::Model,
    pub content: String,
    /// Only when the reader may see them (and the read was logged).
    pub parties: Option<Vec<petition_party::Model>>,
    pub clocks: Vec<deadline::Model>,
    pub assignee_name: Option<String>,
    pub unit_name: Option<String>,
    pub leader_name: Option<String>,
    /// Cases made from this one (forward copies in this agency, second rounds, splits).
    pub derived: Vec<(i64, OriginRelation, String)>,
}

/// The folded text the search index holds: subject, content and, except for denunciations (whose
/// denouncer must never be found by name), the names of the parties.
pub fn search_text(kind: Kind, subject: &str, content: &str, people: &[&Person]) -> String {
    let mut raw = format!("{subject}\n{content}");
    if kind != Kind::Denunciation {
        for p in people {
            raw.push('\n');
            raw.push_str(&p.full_name);
        }
    }
    text::terms(&raw).join(" ")
}

/// Writes a new case's words into the full-text index: FTS5 on SQLite, a tsvector row on
/// PostgreSQL.
pub async fn index_search_text(db: &impl ConnectionTrait, petition_id: i64, text: &str) -> AppResult<()> {
    let backend = db.get_database_backend();
    let insert = match backend {
        DbBackend::Postgres => {
            "INSERT INTO petition_search (petition_id, search_tsv) VALUES ($1, to_tsvector('simple', $2))"
        }
        _ => "INSERT INTO petition_fts (rowid, search_text) VALUES (?, ?)",
    };
    db.execute_raw(Statement::from_sql_and_values(backend, insert, [petition_id.into(), text.into()]))
        .await?;
    Ok(())
}

/// A new random tracking code.
pub fn new_tracking_code() -> AppResult<String> {
    let mut bytes = [0u8; 12];
    getrandom::fill(&mut bytes).map_err(AppError::internal)?;
    Ok(tracking_code::from_random(bytes))
}

/// The clocks a case starts on receipt, by kind (domain.md §4, §6, §7, §8).
pub fn intake_clocks(kind: Kind, channel: Channel, origin: Option<OriginRelation>) -> Vec<ClockId> {
    let mut clocks = match (kind, origin) {
        (Kind::Denunciation, Some(OriginRelation::FurtherDenunciationOf)) => {
            vec![ClockId::FurtherDenunciationReview]
        }
        (Kind::Complaint, _) => vec![ClockId::ComplaintAcceptance],
        (Kind::Denunciation, _) => vec![ClockId::DenunciationIntake],
        (Kind::Recommendation | Kind::Feedback, _) => {
            vec![ClockId::ReceptionNotice, ClockId::RecommendationResolution]
        }
    };
    if kind == Kind::Denunciation && channel == Channel::Forwarded && origin.is_none() {
        clocks.push(ClockId::DenunciationForwardedResult);
    }
    // A petition left unhandled for 45 days is a disciplinary offence (ND 154/2026 Art. 41(3)(b)).
    clocks.push(ClockId::UnhandledAlarm);
    clocks
}

/// Registers a petition: the case, its parties in the identity store, the search index, the
/// clocks its kind starts, and the first event of its trail, in one transaction (the caller's).
pub async fn intake(
    db: &impl ConnectionTrait,
    new: NewPetition,
    actor: &Actor,
    cal: &Calendar,
    now: DateTime<Utc>,
) -> AppResult<petition::Model> {
    let rule_set: RuleSetId = rule_set_for(new.received_on);
    let people: Vec<&Person> =
        new.petitioner.iter().chain(new.cosignatories.iter()).chain(new.representatives.iter()).collect();
    let search = search_text(new.kind, &new.subject, &new.content, &people);
    let attachments = if new.attachments.is_empty() {
        None
    } else {
        Some(serde_json::to_string(&new.attachments).map_err(AppError::internal)?)
    };
    let model = petition::ActiveModel {
        agency_id: Set(new.agency_id),
        tracking_code: Set(new_tracking_code()?),
        kind: Set(new.kind),
        channel: Set(new.channel),
        status: Set(Status::Received),
        received_on: Set(new.received_on),
        received_by: Set(new.received_by),
        citizen_user_id: Set(new.citizen_user_id),
        subject: Set(new.subject.clone()),
        anonymous: Set(new.petitioner.is_none()),
        signatories: Set(new.signatories),
        forwarding_body: Set(new.forwarding_body.clone()),
        forwarding_doc_no: Set(new.forwarding_doc_no.clone()),
        attachments: Set(attachments),
        skip_level: Set(new.skip_level),
        handled_before_by: Set(new.handled_before_by.clone()),
        round: Set(new.round),
        complexity: Set(Complexity::None),
        remote_area: Set(new.remote_area),
        assignee_id: Set(new.assignee_id),
        unit_id: Set(new.unit_id),
        leader_id: Set(None),
        expected_result: Set(None),
        origin_id: Set(new.origin.map(|o| o.0)),
        origin_relation: Set(new.origin.map(|o| o.1)),
        forwarded_to_agency_id: Set(None),
        forwarded_copy_id: Set(None),
        forwarded_to_body: Set(None),
        outcome_note: Set(None),
        result: Set(None),
        conclusion: Set(None),
        closed_on: Set(None),
        archive_until: Set(None),
        forward_result: Set(None),
        forward_result_on: Set(None),
        rule_set: Set(rule_set),
        version: Set(0),
        event_head: Set(GENESIS.to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    let case = model.insert(db).await?;
    petition_content::ActiveModel { petition_id: Set(case.id), content: Set(new.content.clone()) }
        .insert(db)
        .await?;

    let parties = new
        .petitioner
        .iter()
        .map(|p| (PartyRole::Petitioner, p))
        .chain(new.cosignatories.iter().map(|p| (PartyRole::Cosignatory, p)))
        .chain(new.representatives.iter().map(|p| (PartyRole::Representative, p)))
        .map(|(role, p)| petition_party::ActiveModel {
            petition_id: Set(case.id),
            role: Set(role),
            full_name: Set(p.full_name.clone()),
            id_number: Set(p.id_number.clone()),
            address: Set(p.address.clone()),
            phone: Set(p.phone.clone()),
            email: Set(p.email.clone()),
            ..Default::default()
        })
        .collect::<Vec<_>>();
    if !parties.is_empty() {
        petition_party::Entity::insert_many(parties).exec(db).await?;
    }
    index_search_text(db, case.id, &search).await?;

    let origin = new.origin.map(|o| o.1);
    for clock in intake_clocks(new.kind, new.channel, origin) {
        deadlines::start(
            db,
            case.id,
            clock,
            &rule_set,
            new.received_on,
            Complexity::None,
            new.remote_area,
            cal,
            now,
        )
        .await?;
    }

    let change = Change {
        action: EventAction::Receive,
        from: None,
        to: Some(Status::Received),
        changes: json!({
            "kind": new.kind,
            "channel": new.channel,
            "received_on": new.received_on,
            "subject": new.subject,
            "signatories": new.signatories,
            "rule_set": rule_set.as_str(),
            "origin": new.origin.map(|(id, rel)| json!({"id": id, "relation": rel})),
            "assignee_id": new.assignee_id,
            "unit_id": new.unit_id,
        }),
    };
    audit::append(db, case.id, 0, &audit::Head::genesis(), actor, &change, now).await?;
    find(db, case.id).await
}

/// The text of a case.
pub async fn content_of(db: &impl ConnectionTrait, petition_id: i64) -> AppResult<String> {
    petition_content::Entity::find_by_id(petition_id)
        .one(db)
        .await?
        .map(|c| c.content)
        .ok_or_else(|| AppError::internal(format!("case {petition_id} has no content row")))
}

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

/// Logs that `user` read the identity of the parties of `petition_id` (§6 rule 2).
pub async fn log_identity_read(
    db: &impl ConnectionTrait,
    petition_id: i64,
    user_id: i64,
    purpose: ReadPurpose,
    now: DateTime<Utc>,
) -> AppResult<()> {
    identity_access::ActiveModel {
        petition_id: Set(petition_id),
        user_id: Set(user_id),
        at: Set(now),
        purpose: Set(purpose),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Reads everything a detailed view needs. The parties are included, and the read logged, only
/// when the user may see them; `log` writes through `writer`.
pub async fn bundle(
    reader: &impl ConnectionTrait,
    writer: &impl ConnectionTrait,
    user: &AuthUser,
    case: petition::Model,
    purpose: ReadPurpose,
    now: DateTime<Utc>,
) -> AppResult<CaseBundle> {
    let scope = CaseScope::of(&case);
    let parties = if access::can_see_identity(user, &scope) {
        let parties = petition_party::Entity::find()
            .filter(petition_party::Column::PetitionId.eq(case.id))
            .order_by_asc(petition_party::Column::Id)
            .all(reader)
            .await?;
        if !parties.is_empty() {
            log_identity_read(writer, case.id, user.id, purpose, now).await?;
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
    Ok(CaseBundle {
        assignee_name: case.assignee_id.and_then(|id| names.get(&id).cloned()),
        leader_name: case.leader_id.and_then(|id| names.get(&id).cloned()),
        unit_name,
        parties,
        clocks,
        derived,
        content,
        case,
    })
}

/// Full names of users by id, in one query.
pub async fn names_of(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> AppResult<std::collections::HashMap<i64, String>> {
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
pub async fn unit_names(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> AppResult<std::collections::HashMap<i64, String>> {
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

/// Filters of the register's list.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub kind: Option<Kind>,
    pub channel: Option<Channel>,
    pub status: Option<Status>,
    /// Only cases still being handled.
    pub open: Option<bool>,
    pub assignee_id: Option<i64>,
    /// Only cases with no handler yet (the inbox's `new` scope).
    pub unassigned: bool,
    pub unit_id: Option<i64>,
    pub overdue: Option<bool>,
    pub nearly_due: Option<bool>,
    pub q: Option<String>,
    pub received_from: Option<NaiveDate>,
    pub received_to: Option<NaiveDate>,
    /// Sort overdue and nearest due first (the inbox) instead of newest first.
    pub by_due: bool,
}

/// A page of an agency's cases and their running clocks, with handler and unit names.
pub struct ListPage {
    pub items: Vec<petition::Model>,
    pub clocks: Vec<deadline::Model>,
    pub names: std::collections::HashMap<i64, String>,
    pub units: std::collections::HashMap<i64, String>,
    pub total: u64,
}

/// Lists an agency's cases. Every filter is served by an index; `q` by the full-text index.
pub async fn list(
    db: &impl ConnectionTrait,
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
        match search::condition(db.get_database_backend(), q) {
            Some(c) => cond = cond.add(c),
            // Nothing searchable in `q` (only punctuation): no match rather than everything.
            None => cond = cond.add(Expr::cust("1 = 0")),
        }
    }
    let query = petition::Entity::find().filter(cond);
    let total = query.clone().count(db).await?;
    let query = if filter.by_due {
        query.order_by_asc(Expr::cust(deadlines::next_due_sort_sql())).order_by_asc(petition::Column::Id)
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

/// Checks that a handler and a unit belong to the agency (and the handler to the unit, when both
/// are given); returns nothing on success.
pub async fn check_routing(
    db: &impl ConnectionTrait,
    agency_id: i64,
    assignee_id: Option<i64>,
    unit_id: Option<i64>,
) -> AppResult<()> {
    if let Some(u) = unit_id {
        let found = unit::Entity::find_by_id(u).one(db).await?;
        if found.is_none_or(|x| x.agency_id != agency_id) {
            return Err(AppError::field("unit_id", "Đơn vị không thuộc cơ quan này."));
        }
    }
    if let Some(a) = assignee_id {
        let found = user::Entity::find_by_id(a).one(db).await?;
        match found {
            Some(u)
                if u.agency_id == Some(agency_id)
                    && u.active
                    && u.role != Role::Citizen
                    && u.role != Role::Admin => {}
            _ => {
                return Err(AppError::field(
                    "assignee_id",
                    "Người xử lý không phải cán bộ đang làm việc của cơ quan này.",
                ));
            }
        }
    }
    Ok(())
}

/// The rule-set id of a stored case.
pub fn rule_set_of(case: &petition::Model) -> RuleSetId {
    case.rule_set
}

/// The identity reads of a case, newest first, with the reader's name.
pub async fn identity_reads(
    db: &impl ConnectionTrait,
    petition_id: i64,
) -> AppResult<Vec<(identity_access::Model, Option<String>)>> {
    let rows = identity_access::Entity::find()
        .filter(identity_access::Column::PetitionId.eq(petition_id))
        .order_by_desc(identity_access::Column::At)
        .order_by_desc(identity_access::Column::Id)
        .limit(500)
        .all(db)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.user_id).collect();
    let names = names_of(db, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let name = names.get(&r.user_id).cloned();
            (r, name)
        })
        .collect())
}
