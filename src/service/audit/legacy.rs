//! Trails written before the hashes were keyed: each event hashed the previous one with plain
//! SHA-256 and recorded no facts. They are kept as they are, checked with the algorithm they were
//! written with, and anchored once under the audit key: the first start after migration 000010
//! appends to each such trail an `audit_anchored` event (the register's own, like a
//! recomputation: it changes nothing of the case) whose keyed hash covers the old head hash, so
//! that no old event can change any more without the key, and the case's current facts, which
//! every later event carries on. A `setting` row records that it was done, so it runs once; it is
//! claimed in the same transaction, so that of several servers starting together only one anchors.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait, sea_query::OnConflict,
};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::{Actor, Change, Facts, GENESIS, Head, facts::content_digests, parties_digests, prepare};
use crate::{
    crypto::Keys,
    db::Db,
    domain::petition::EventAction,
    entity::{petition, petition_event, setting},
    error::{AppError, AppResult},
};

/// The `setting` row that records when the old trails were anchored.
pub const ANCHORED_SETTING: &str = "audit_keyed_since";

/// Cases anchored per page.
const CASES_PER_PAGE: u64 = 500;

/// The plain SHA-256 hash an event written before the keyed hashes had, given the previous hash.
pub fn event_hash(prev_hash: &str, e: &petition_event::Model) -> String {
    let mut h = Sha256::new();
    for part in [
        prev_hash,
        &e.petition_id.to_string(),
        &e.seq.to_string(),
        &e.at.timestamp_micros().to_string(),
        &e.actor_id.map(|a| a.to_string()).unwrap_or_default(),
        &e.actor_name,
        e.action.as_str(),
        e.from_status.map_or("", |s| s.as_str()),
        e.to_status.map_or("", |s| s.as_str()),
        &e.changes,
    ] {
        h.update(part.as_bytes());
        h.update([0x1f]); // unit separator: fields cannot run into each other
    }
    hex::encode(h.finalize())
}

/// What the old part of a trail looks like: intact, or its first problem.
fn old_chain(events: &[petition_event::Model]) -> String {
    let mut head = GENESIS.to_owned();
    for (i, e) in events.iter().enumerate() {
        let expected = i32::try_from(i).unwrap_or(i32::MAX) + 1;
        if e.seq != expected || e.prev_hash != head || event_hash(&head, e) != e.hash {
            return format!("broken at event #{expected}");
        }
        head.clone_from(&e.hash);
    }
    "intact".to_owned()
}

/// Anchors every trail whose last event is not keyed, once per register (see the module docs);
/// returns how many were anchored (0 when it was done before, or by another server).
pub async fn anchor_once(db: &Db, keys: &Keys, now: DateTime<Utc>) -> AppResult<u64> {
    if setting::Entity::find_by_id(ANCHORED_SETTING.to_owned()).one(&db.writer).await?.is_some() {
        return Ok(0);
    }
    let txn = db.writer.begin().await?;
    let claimed = setting::Entity::insert(setting::ActiveModel {
        key: Set(ANCHORED_SETTING.to_owned()),
        value: Set(now.to_rfc3339()),
    })
    .on_conflict(OnConflict::column(setting::Column::Key).do_nothing().to_owned())
    .exec_without_returning(&txn)
    .await?;
    if claimed != 1 {
        return Ok(0);
    }
    let anchored = anchor_all(&txn, keys, now).await?;
    txn.commit().await?;
    if anchored > 0 {
        tracing::info!(cases = anchored, "old audit trails anchored under the audit key");
    }
    Ok(anchored)
}

async fn anchor_all(db: &impl ConnectionTrait, keys: &Keys, now: DateTime<Utc>) -> AppResult<u64> {
    let mut anchored = 0;
    let mut after = 0i64;
    loop {
        let cases = petition::Entity::find()
            .filter(petition::Column::Id.gt(after))
            .order_by_asc(petition::Column::Id)
            .limit(CASES_PER_PAGE)
            .all(db)
            .await?;
        let Some(last) = cases.last() else { break };
        after = last.id;
        let ids: Vec<i64> = cases.iter().map(|c| c.id).collect();
        let events = petition_event::Entity::find()
            .filter(petition_event::Column::PetitionId.is_in(ids.iter().copied()))
            .order_by_asc(petition_event::Column::PetitionId)
            .order_by_asc(petition_event::Column::Seq)
            .all(db)
            .await?;
        let contents = content_digests(db, keys, &ids).await?;
        let parties = parties_digests(db, keys, &ids).await?;
        let mut rows = Vec::new();
        let mut rest = events.as_slice();
        for case in &cases {
            let n = rest.iter().take_while(|e| e.petition_id == case.id).count();
            let (own, tail) = rest.split_at(n);
            rest = tail;
            let head = match own.last() {
                Some(e) if !e.facts.is_empty() => continue,
                Some(e) => Head { seq: e.seq, hash: e.hash.clone(), facts: String::new() },
                None => Head::genesis(),
            };
            let content = contents
                .get(&case.id)
                .cloned()
                .ok_or_else(|| AppError::internal(format!("case {} has no content row", case.id)))?;
            let party_digest = parties
                .get(&case.id)
                .cloned()
                .ok_or_else(|| AppError::internal(format!("case {}: its parties were not read", case.id)))?;
            let facts = Facts::of(&keys.audit, case, content, party_digest).to_text()?;
            let change = Change {
                action: EventAction::AuditAnchored,
                from: None,
                to: None,
                changes: json!({"old_events": own.len(), "old_head": head.hash, "old_chain": old_chain(own)}),
            };
            rows.push(prepare(&keys.audit, case.id, &head, &Actor::system(), &change, &facts, now).row);
        }
        anchored += rows.len() as u64;
        for chunk in rows.chunks(200) {
            petition_event::Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await?;
        }
    }
    Ok(anchored)
}
