//! The append-only audit trail of each case. Every change is an event written in the same
//! transaction as the change; each event's hash covers the previous one, so editing, deleting or
//! reordering events shows.
//!
//! # The head of a chain
//! A case's chain ends with its last event: the next event follows it (`seq + 1`), and the unique
//! `(petition_id, seq)` index refuses a second event at the same place, so of two writers that read
//! the same head only one can append. The case row also keeps, in `event_head`, the hash of the
//! last event written by a change of the case itself (every action bumps the row's `version`),
//! which anchors the trail: deleting the last events of an action shows. A recomputation after a
//! change of special days appends its `deadline_recomputed` events without rewriting the case row
//! (100,000 cases can move at once; see `special_days`), so only such system events may follow the
//! anchor, and only those could be cut off the end unseen.

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, OnConflict},
};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::{
    domain::petition::{EventAction, Status},
    entity::{petition, petition_event},
    error::{AppError, AppResult},
};

/// The hash before a case's first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Where a case's chain ends: its last event's place and hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub seq: i32,
    pub hash: String,
}

impl Head {
    /// Before a case's first event.
    pub fn genesis() -> Self {
        Self { seq: 0, hash: GENESIS.to_owned() }
    }
}

/// The head of case `petition_id`'s chain. Read it when the case is read, before its clocks: an
/// append from it then fails if anything was appended since (see [`append`]).
pub async fn head(db: &impl ConnectionTrait, petition_id: i64) -> AppResult<Head> {
    let last: Option<(i32, String)> = petition_event::Entity::find()
        .select_only()
        .column(petition_event::Column::Seq)
        .column(petition_event::Column::Hash)
        .filter(petition_event::Column::PetitionId.eq(petition_id))
        .order_by_desc(petition_event::Column::Seq)
        .limit(1)
        .into_tuple()
        .one(db)
        .await?;
    Ok(last.map_or_else(Head::genesis, |(seq, hash)| Head { seq, hash }))
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

/// The hash of an event given the previous hash.
#[allow(clippy::too_many_arguments)]
pub fn event_hash(
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
) -> String {
    let mut h = Sha256::new();
    for part in [
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
    ] {
        h.update(part.as_bytes());
        h.update([0x1f]); // unit separator: fields cannot run into each other
    }
    hex::encode(h.finalize())
}

/// A prepared event row and the case's new chain head.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub row: petition_event::ActiveModel,
    pub seq: i32,
    pub hash: String,
}

/// Builds the next event of a case whose chain ends at `head`.
pub fn prepare(petition_id: i64, head: &Head, actor: &Actor, change: &Change, at: DateTime<Utc>) -> Prepared {
    let at = event_instant(at);
    let changes = change.changes.to_string();
    let Head { seq, hash } =
        follow(head, petition_id, at, actor, change.action, change.from, change.to, &changes);
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
        ..Default::default()
    };
    Prepared { row, seq, hash }
}

/// The place and hash of the event that follows `head`: what [`prepare`] writes, for callers that
/// build their rows themselves (a recomputation writes a hundred thousand at once). `at` is an
/// [`event_instant`].
#[allow(clippy::too_many_arguments)]
pub fn follow(
    head: &Head,
    petition_id: i64,
    at: DateTime<Utc>,
    actor: &Actor,
    action: EventAction,
    from: Option<Status>,
    to: Option<Status>,
    changes: &str,
) -> Head {
    let seq = head.seq + 1;
    let hash = event_hash(&head.hash, petition_id, seq, at, actor.id, &actor.name, action, from, to, changes);
    Head { seq, hash }
}

/// Appends an event to a case read at `version` whose chain ended at `head`, bumping the case's
/// version and anchoring the new event in it. Fails with 409 `concurrent_update` when someone else
/// changed the case or appended to its trail since it was read (no lost updates). Returns the new
/// version.
pub async fn append(
    db: &impl ConnectionTrait,
    petition_id: i64,
    version: i32,
    head: &Head,
    actor: &Actor,
    change: &Change,
    at: DateTime<Utc>,
) -> AppResult<i32> {
    let conflict = || {
        AppError::conflict(
            "concurrent_update",
            "Hồ sơ vừa được người khác cập nhật; vui lòng tải lại và thử lại.",
        )
    };
    let prepared = prepare(petition_id, head, actor, change, at);
    let moved = petition::Entity::update_many()
        .col_expr(petition::Column::Version, Expr::value(version + 1))
        .col_expr(petition::Column::EventHead, Expr::value(prepared.hash.clone()))
        .col_expr(petition::Column::UpdatedAt, Expr::value(event_instant(at)))
        .filter(petition::Column::Id.eq(petition_id))
        .filter(petition::Column::Version.eq(version))
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
    Ok(version + 1)
}

/// The trail of a case, oldest first.
pub async fn trail(db: &impl ConnectionTrait, petition_id: i64) -> AppResult<Vec<petition_event::Model>> {
    Ok(petition_event::Entity::find()
        .filter(petition_event::Column::PetitionId.eq(petition_id))
        .order_by_asc(petition_event::Column::Seq)
        .all(db)
        .await?)
}

/// What is wrong with one case's chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    pub petition_id: i64,
    pub reason: String,
}

/// Checks one case's chain: each event follows the one before and is unaltered, and the case row's
/// anchor (its `event_head` and `version`) is the last event written by a change of the case, with
/// only recomputation events after it.
pub fn check_chain(case: &petition::Model, events: &[petition_event::Model]) -> Result<(), Broken> {
    let broken = |reason: String| Broken { petition_id: case.id, reason };
    let mut head = GENESIS.to_owned();
    // The hash after the last event of a change of the case, and how many such events there are.
    let mut anchor = GENESIS.to_owned();
    let mut changes = 0i32;
    for (i, e) in events.iter().enumerate() {
        let expected_seq = i32::try_from(i).unwrap_or(i32::MAX) + 1;
        if e.seq != expected_seq {
            return Err(broken(format!(
                "event #{} is missing or out of order (found seq {})",
                expected_seq, e.seq
            )));
        }
        if e.prev_hash != head {
            return Err(broken(format!("event #{} does not follow the previous one", e.seq)));
        }
        let hash = event_hash(
            &head,
            e.petition_id,
            e.seq,
            e.at,
            e.actor_id,
            &e.actor_name,
            e.action,
            e.from_status,
            e.to_status,
            &e.changes,
        );
        if hash != e.hash {
            return Err(broken(format!("event #{} was altered", e.seq)));
        }
        if e.action != EventAction::DeadlineRecomputed || e.actor_id.is_some() {
            anchor.clone_from(&hash);
            changes = changes.saturating_add(1);
        }
        head = hash;
    }
    if anchor != case.event_head || changes != case.version {
        return Err(broken("the last events are missing".to_owned()));
    }
    Ok(())
}

/// Verifies every case's chain, in batches; returns how many were checked and the broken ones.
pub async fn verify_all(db: &impl ConnectionTrait) -> AppResult<(u64, Vec<Broken>)> {
    let mut checked = 0;
    let mut broken = Vec::new();
    let mut after = 0i64;
    loop {
        let cases = petition::Entity::find()
            .filter(petition::Column::Id.gt(after))
            .order_by_asc(petition::Column::Id)
            .limit(500)
            .all(db)
            .await?;
        let Some(last) = cases.last() else { break };
        after = last.id;
        let ids: Vec<i64> = cases.iter().map(|c| c.id).collect();
        let events = petition_event::Entity::find()
            .filter(petition_event::Column::PetitionId.is_in(ids))
            .order_by_asc(petition_event::Column::PetitionId)
            .order_by_asc(petition_event::Column::Seq)
            .all(db)
            .await?;
        // Both lists are sorted by case id: walk them together.
        let mut rest = events.as_slice();
        for case in &cases {
            let n = rest.iter().take_while(|e| e.petition_id == case.id).count();
            let (own, tail) = rest.split_at(n);
            rest = tail;
            if let Err(b) = check_chain(case, own) {
                broken.push(b);
            }
            checked += 1;
        }
    }
    Ok((checked, broken))
}
