//! The append-only audit trail of each case, and the tamper evidence that holds against an insider:
//! someone who can write to the database but holds neither the audit key nor the head kept
//! outside it (ND 55/2022 Art. 6: no unlawful change of the register may go unseen).
//!
//! # What an event covers
//! Every change of a case is an event written in the same transaction as the change. Its hash is
//! an HMAC-SHA-256 under the **audit key** (`TIEPDAN_AUDIT_KEY`, never in the database;
//! [`crate::crypto::Auditor`]) over the previous event's hash, the case, its place (`seq`), the
//! instant, the actor, the action, the statuses before and after, the fields changed, and the
//! case's legally relevant **facts** after the change ([`Facts`]): status, kind, round, handler,
//! agency, date of receipt, result (a keyed digest of its text) and conclusion, and keyed digests
//! of the petition's content and of its parties (over their clear values, in a canonical order).
//! The facts are kept with the event (`petition_event.facts`), so that verification compares the
//! last stated facts with the case row, the content and the parties as they are now. Without the
//! key nobody can recompute a chain after editing it, nor make an event for a changed row.
//!
//! An event whose step changed none of the facts (a recomputation of due dates, a clock event, a
//! note) stores [`UNCHANGED`] instead of repeating them (some 300 bytes an event, 100,000 events in
//! one recomputation): its hash covers that marker and the previous hash, so it still cannot be
//! altered or moved without the key, and its facts are those of the last event before it that
//! stated them, which the verifier carries forward along the chain. A case row edited after such
//! an event differs from those carried facts just as it would from stated ones. Events written
//! before the marker existed all state their facts, and verify as they are.
//!
//! Each append first checks that the case row still has the facts its last event recorded, and
//! refuses (a loud internal error) a case changed behind the register's back: a legitimate step
//! never seals over a tampered row. The content and parties digests are carried from event to
//! event (neither changes after intake), so a later step cannot seal over a changed text or
//! identity either; a recomputation after a holiday change states no facts (`special_days`),
//! and verification checks that one that does state them changed none.
//!
//! # The head of a chain
//! A case's chain ends with its last event: the next event follows it (`seq + 1`), and the unique
//! `(petition_id, seq)` index refuses a second event at the same place, so of two writers that read
//! the same head only one can append. The case row also keeps, in `event_head`, the hash of the
//! last event written by a change of the case itself (every action bumps the row's `version`),
//! which anchors the trail: deleting the last events of an action shows. The register's own events
//! that change nothing of the case (a recomputation after a holiday change, the anchoring of an old
//! trail) are appended without rewriting the case row (100,000 cases can move at once; see
//! `special_days`); the seals below are what shows them cut off.
//!
//! # The chain across cases: seals ([`seal`])
//! A trail's own chain cannot show the whole case deleted, nor its last events cut off together
//! with the case row rewritten to match. So the register **seals** its trails: a seal records, for
//! every case whose trail grew since the previous seal, its head (`seq`, hash), and is chained to
//! the previous seal by an HMAC. Verification checks the seals' chain, then that every case a seal
//! names still exists and still holds the sealed event. The last seal's number and hash, signed,
//! is the **head** to keep outside the register (`tiepdan audit-head`, daily): a register rolled
//! back, or with its last seals removed, no longer holds it (`tiepdan verify-audit --head FILE`).
//!
//! Seals rather than a register-wide sequence of events: a gap-free sequence numbered in the
//! writing transaction would make every write of the register wait on one counter row until its
//! transaction commits (on PostgreSQL, hundreds of officers and a recomputation of 100,000 cases
//! would queue behind each other), and a database sequence, which does not serialise, leaves gaps
//! on every rollback, so a missing number would prove nothing. A seal is written apart from the
//! writers, by a background task of the server every [`seal::SEAL_EVERY`], by `verify-audit` and by
//! `audit-head`: writers never wait for it and it never waits for them (it reads committed events
//! and marks them, and no writer updates an event). Its work list is the events not yet sealed
//! (`petition_event.sealed IS NULL`, a partial index), so it is exact on PostgreSQL too, where
//! events commit out of id order. Two servers sealing at once both try to write the next seal
//! number; the primary key lets one, the other gives up. What seals cannot show: a case created
//! and deleted, or a trail cut, between two seals (at most [`seal::SEAL_EVERY`]).
//!
//! # Trails written before hashes were keyed ([`legacy`])
//! Their events (plain SHA-256, no facts) stay as they are; the first start after the migration
//! appends, once, a keyed `audit_anchored` event to each such trail, covering its old head hash
//! and the case's current facts. Verification checks the old events with the old algorithm up to
//! the anchor, and the keyed ones after it.

mod facts;
pub mod legacy;
pub mod seal;
mod verify;

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, OnConflict},
};
use serde_json::Value;

pub use facts::{
    Facts, content_digest, current_facts, digest_content, digest_people, parties_digest, parties_digests,
};
pub use verify::{Broken, Verification, check_chain, verify, verify_all};

use crate::{
    crypto::{Auditor, Keys},
    domain::petition::{EventAction, Status},
    entity::{petition, petition_event},
    error::{AppError, AppResult},
};

/// The hash before a case's first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What the keyed hash of an event starts with: its purpose, so that no other MAC under the audit
/// key can pass for an event's.
const EVENT_PURPOSE: &str = "tiepdan event v2";

/// What an event stores in place of facts that its step did not change: the facts are those of
/// the last event before it that stated them (see the module docs). Never valid JSON, so it can
/// never be taken for stated facts.
pub const UNCHANGED: &str = "=";

/// Where a case's chain ends: its last event's place and hash, and the facts in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub seq: i32,
    pub hash: String,
    /// The facts in force after the last event: the last ones stated, as stored (see [`head`]);
    /// empty before a first event and for an event written before hashes were keyed. A caller
    /// that reads only the last event (a recomputation) may hold [`UNCHANGED`] here.
    pub facts: String,
}

impl Head {
    /// Before a case's first event.
    pub fn genesis() -> Self {
        Self { seq: 0, hash: GENESIS.to_owned(), facts: String::new() }
    }

    /// The facts the last event recorded, `None` before a first event; an error for a trail that
    /// was never keyed (the start-up anchors every old one) or facts that do not read.
    pub fn recorded(&self, petition_id: i64) -> AppResult<Option<Facts>> {
        if self.seq == 0 {
            return Ok(None);
        }
        if self.facts.is_empty() {
            return Err(AppError::internal(format!(
                "case {petition_id}: the last event of its trail is not keyed (the trail was not anchored)"
            )));
        }
        if self.facts == UNCHANGED {
            return Err(AppError::internal(format!(
                "case {petition_id}: no event of its trail states the facts event #{} carries forward",
                self.seq
            )));
        }
        Facts::parse(&self.facts).map(Some).map_err(|e| {
            AppError::internal(format!(
                "case {petition_id}: the facts of event #{} do not read: {e}",
                self.seq
            ))
        })
    }
}

/// The head of case `petition_id`'s chain, with the facts in force (read from the last event that
/// stated them when the last one carries them forward). Read it when the case is read, before its
/// clocks: an append from it then fails if anything was appended since (see [`append`]).
pub async fn head(db: &impl ConnectionTrait, petition_id: i64) -> AppResult<Head> {
    let last: Option<(i32, String, String)> = petition_event::Entity::find()
        .select_only()
        .column(petition_event::Column::Seq)
        .column(petition_event::Column::Hash)
        .column(petition_event::Column::Facts)
        .filter(petition_event::Column::PetitionId.eq(petition_id))
        .order_by_desc(petition_event::Column::Seq)
        .limit(1)
        .into_tuple()
        .one(db)
        .await?;
    let Some((seq, hash, mut facts)) = last else { return Ok(Head::genesis()) };
    if facts == UNCHANGED {
        // Walks back the case's own events by `(petition_id, seq)`: a trail, not the register.
        let stated: Option<String> = petition_event::Entity::find()
            .select_only()
            .column(petition_event::Column::Facts)
            .filter(petition_event::Column::PetitionId.eq(petition_id))
            .filter(petition_event::Column::Seq.lt(seq))
            .filter(petition_event::Column::Facts.ne(UNCHANGED))
            .order_by_desc(petition_event::Column::Seq)
            .limit(1)
            .into_tuple()
            .one(db)
            .await?;
        // None leaves the marker, which `Head::recorded` refuses.
        if let Some(stated) = stated {
            facts = stated;
        }
    }
    Ok(Head { seq, hash, facts })
}

/// What an event that follows `head` stores for `facts` (the facts after its step): [`UNCHANGED`]
/// when they are the ones in force, else the facts themselves. The first event of a trail, and
/// the first keyed one after old unkeyed events, always states them.
pub fn to_store<'a>(head: &Head, facts: &'a str) -> &'a str {
    if head.seq > 0 && !head.facts.is_empty() && (head.facts == facts || facts == UNCHANGED) {
        UNCHANGED
    } else {
        facts
    }
}

/// Who did something: a user, or the system (e.g. a recomputation after a holiday change).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub id: Option<i64>,
    pub name: String,
}

impl Actor {
    /// A signed-in user.
    pub fn user(id: i64, name: &str) -> Self {
        Self { id: Some(id), name: name.to_owned() }
    }

    /// The register itself.
    pub fn system() -> Self {
        Self { id: None, name: "Hệ thống".to_owned() }
    }

    /// A citizen using the public portal without an account.
    pub fn public() -> Self {
        Self { id: None, name: "Cổng công dân".to_owned() }
    }

    /// A signed-in citizen filing on the portal: neither the person's name nor the account's id
    /// (the petitioner's identity belongs in the identity store, under its rule; the case row links
    /// the account). A trail is frozen, and the matter may become confidential later.
    pub fn citizen() -> Self {
        Self { id: None, name: "Công dân (tài khoản trên cổng)".to_owned() }
    }

    /// Whoever files a confidential matter (a denunciation) on the portal: neither name nor
    /// account, which would tell every reader of the trail who denounced (Law 25/2018 Art. 8(3)).
    pub fn denouncer() -> Self {
        Self { id: None, name: "Người tố cáo (danh tính được bảo mật)".to_owned() }
    }
}

/// One change to record.
#[derive(Debug, Clone)]
pub struct Change {
    pub action: EventAction,
    pub from: Option<Status>,
    pub to: Option<Status>,
    /// The fields changed and anything worth keeping (never a denouncer's identity).
    pub changes: Value,
}

/// Instants are kept to the microsecond: what PostgreSQL stores, so hashes verify after a read.
pub fn event_instant(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(6)
}

/// Whether events of `action` by `actor_id` are the register's own, changing nothing of the case:
/// they follow the case row's anchor without moving it (see the module docs).
pub fn is_system_event(action: EventAction, actor_id: Option<i64>) -> bool {
    actor_id.is_none() && matches!(action, EventAction::DeadlineRecomputed | EventAction::AuditAnchored)
}

/// The keyed hash of an event given the previous hash.
#[allow(clippy::too_many_arguments)]
pub fn event_hash(
    auditor: &Auditor,
    prev_hash: &str,
    petition_id: i64,
    seq: i32,
    at: DateTime<Utc>,
    actor_id: Option<i64>,
    actor_name: &str,
    action: EventAction,
    from: Option<Status>,
    to: Option<Status>,
    changes: &str,
    facts: &str,
) -> String {
    auditor.mac(&[
        EVENT_PURPOSE,
        prev_hash,
        &petition_id.to_string(),
        &seq.to_string(),
        &at.timestamp_micros().to_string(),
        &actor_id.map(|a| a.to_string()).unwrap_or_default(),
        actor_name,
        action.as_str(),
        from.map_or("", Status::as_str),
        to.map_or("", Status::as_str),
        changes,
        facts,
    ])
}

/// A prepared event row and the case's new chain head.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub row: petition_event::ActiveModel,
    pub seq: i32,
    pub hash: String,
}

/// Builds the next event of a case whose chain ends at `head`, recording `facts` (as stored, see
/// [`Facts::to_text`]; [`UNCHANGED`] in their place when they are the ones in force, [`to_store`]).
pub fn prepare(
    auditor: &Auditor,
    petition_id: i64,
    head: &Head,
    actor: &Actor,
    change: &Change,
    facts: &str,
    at: DateTime<Utc>,
) -> Prepared {
    let at = event_instant(at);
    let changes = change.changes.to_string();
    let facts = to_store(head, facts);
    let (seq, hash) =
        follow(auditor, head, petition_id, at, actor, change.action, change.from, change.to, &changes, facts);
    let row = petition_event::ActiveModel {
        petition_id: Set(petition_id),
        seq: Set(seq),
        at: Set(at),
        actor_id: Set(actor.id),
        actor_name: Set(actor.name.clone()),
        action: Set(change.action),
        from_status: Set(change.from),
        to_status: Set(change.to),
        changes: Set(changes),
        prev_hash: Set(head.hash.clone()),
        hash: Set(hash.clone()),
        facts: Set(facts.to_owned()),
        ..Default::default()
    };
    Prepared { row, seq, hash }
}

/// The place and hash of the event that follows `head`: what [`prepare`] writes, for callers that
/// build their rows themselves (a recomputation writes a hundred thousand at once). `at` is an
/// [`event_instant`]; `facts` are as the event stores them (pass them through [`to_store`]).
#[allow(clippy::too_many_arguments)]
pub fn follow(
    auditor: &Auditor,
    head: &Head,
    petition_id: i64,
    at: DateTime<Utc>,
    actor: &Actor,
    action: EventAction,
    from: Option<Status>,
    to: Option<Status>,
    changes: &str,
    facts: &str,
) -> (i32, String) {
    let seq = head.seq + 1;
    let hash = event_hash(
        auditor,
        &head.hash,
        petition_id,
        seq,
        at,
        actor.id,
        &actor.name,
        action,
        from,
        to,
        changes,
        facts,
    );
    (seq, hash)
}

/// Appends an event to `case` (the row as read before the change, whose chain ended at `head`),
/// recording the case's facts as they stand after the change, bumping the case's version and
/// anchoring the new event in it. Fails with 409 `concurrent_update` when someone else changed the
/// case or appended to its trail since it was read (no lost updates), and with an internal error
/// when the case row as read differs from the facts its last event recorded (changed outside the
/// register: sealing over it would hide that). Returns the new version.
#[allow(clippy::too_many_arguments)]
pub async fn append(
    db: &impl ConnectionTrait,
    keys: &Keys,
    case: &petition::Model,
    head: &Head,
    actor: &Actor,
    change: &Change,
    at: DateTime<Utc>,
) -> AppResult<i32> {
    append_with(db, keys, case, head, actor, change, at, false).await
}

/// [`append`] for the one step that changes a case's content and parties after its intake, its
/// destruction after retention (`service::retention`): the facts it records digest the content
/// and parties as the change left them (emptied), not the ones carried from the intake, so that
/// verification finds the destroyed case as its last event says.
#[allow(clippy::too_many_arguments)]
pub async fn append_restated(
    db: &impl ConnectionTrait,
    keys: &Keys,
    case: &petition::Model,
    head: &Head,
    actor: &Actor,
    change: &Change,
    at: DateTime<Utc>,
) -> AppResult<i32> {
    append_with(db, keys, case, head, actor, change, at, true).await
}

#[allow(clippy::too_many_arguments)]
async fn append_with(
    db: &impl ConnectionTrait,
    keys: &Keys,
    case: &petition::Model,
    head: &Head,
    actor: &Actor,
    change: &Change,
    at: DateTime<Utc>,
    restate: bool,
) -> AppResult<i32> {
    let conflict = || {
        AppError::conflict(
            "concurrent_update",
            "Hồ sơ vừa được người khác cập nhật; vui lòng tải lại và thử lại.",
        )
    };
    let id = case.id;
    let (content, parties) = match head.recorded(id)? {
        Some(recorded) => {
            let seen = Facts::of(&keys.audit, case, recorded.content.clone(), recorded.parties.clone());
            let differ = recorded.differences(&seen);
            if !differ.is_empty() {
                return Err(AppError::internal(format!(
                    "case {id}: its row differs from the last event of its trail in {}: changed outside \
                     the register (see `tiepdan verify-audit`)",
                    differ.join(", ")
                )));
            }
            (recorded.content, recorded.parties)
        }
        // The first event: the content and parties as the intake stored them.
        None => (content_digest(db, keys, id).await?, parties_digest(db, keys, id).await?),
    };
    let (content, parties) = if restate {
        (content_digest(db, keys, id).await?, parties_digest(db, keys, id).await?)
    } else {
        (content, parties)
    };
    // The case as the change left it.
    let after = petition::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::internal(format!("case {id} vanished while an event was appended")))?;
    let facts = Facts::of(&keys.audit, &after, content, parties).to_text()?;
    let prepared = prepare(&keys.audit, id, head, actor, change, &facts, at);
    let moved = petition::Entity::update_many()
        .col_expr(petition::Column::Version, Expr::value(case.version + 1))
        .col_expr(petition::Column::EventHead, Expr::value(prepared.hash.clone()))
        .col_expr(petition::Column::UpdatedAt, Expr::value(event_instant(at)))
        .filter(petition::Column::Id.eq(id))
        .filter(petition::Column::Version.eq(case.version))
        .exec(db)
        .await?;
    if moved.rows_affected != 1 {
        return Err(conflict());
    }
    // Another writer that read the same head appended first: the place is taken.
    let inserted = petition_event::Entity::insert(prepared.row)
        .on_conflict(
            OnConflict::columns([petition_event::Column::PetitionId, petition_event::Column::Seq])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    if inserted != 1 {
        return Err(conflict());
    }
    Ok(case.version + 1)
}

/// The trail of a case, oldest first.
pub async fn trail(db: &impl ConnectionTrait, petition_id: i64) -> AppResult<Vec<petition_event::Model>> {
    Ok(petition_event::Entity::find()
        .filter(petition_event::Column::PetitionId.eq(petition_id))
        .order_by_asc(petition_event::Column::Seq)
        .all(db)
        .await?)
}
