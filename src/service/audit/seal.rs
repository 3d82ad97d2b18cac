//! The chain across cases: seals, and the signed head kept outside the register (see the parent
//! module's docs for why seals).
//!
//! A seal records, for each case with events not yet sealed, the last of those events (`seq`,
//! hash), and is chained to the previous seal by an HMAC under the audit key over its number, its
//! instant, the number of events it recorded, the heads and the previous seal's hash. The events
//! it recorded are marked with its number (`petition_event.sealed`), which takes them off the work
//! list of the next seal.

use std::{sync::Arc, time::Duration};

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
    sea_query::{Expr, OnConflict},
};
use serde::{Deserialize, Serialize};

use super::{GENESIS, event_instant};
use crate::{
    clock::Clock,
    crypto::Auditor,
    entity::{audit_seal, petition_event},
    error::{AppError, AppResult},
};

/// How often a running server seals: the most that a case deleted or a trail cut right after it
/// was written can go unseen by the seals.
pub const SEAL_EVERY: Duration = Duration::from_secs(5 * 60);

/// Events recorded by one seal at most: a recomputation's hundred thousand events make several
/// seals of a bounded size (and bounded work for the writer on SQLite).
const EVENTS_PER_SEAL: u64 = 20_000;

/// Event ids marked per statement (well under both databases' limits on bound values).
const IDS_PER_UPDATE: usize = 5_000;

/// What the keyed hash of a seal starts with.
const SEAL_PURPOSE: &str = "tiepdan seal";
/// What the signature of an exported head starts with.
const HEAD_PURPOSE: &str = "tiepdan audit head";

/// The keyed hash of a seal.
pub fn seal_mac(
    auditor: &Auditor,
    seq: i64,
    at: DateTime<Utc>,
    events: i32,
    heads: &str,
    prev: &str,
) -> String {
    auditor.mac(&[
        SEAL_PURPOSE,
        &seq.to_string(),
        &at.timestamp_micros().to_string(),
        &events.to_string(),
        heads,
        prev,
    ])
}

/// One case's head as a seal records it: `[petition_id, seq, hash]`.
pub type SealedHead = (i64, i32, String);

/// What a round of sealing did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sealing {
    /// Seals written.
    pub seals: u32,
    /// Events they recorded.
    pub events: u64,
}

/// Seals every event not yet sealed, in seals of at most [`EVENTS_PER_SEAL`] events each, on the
/// writer. Safe with several servers sealing at once: each seal takes the number after the last
/// one, and a number already taken makes this round stop (the other server's seal covers what this
/// one read, or its next round will).
pub async fn seal(db: &DatabaseConnection, auditor: &Auditor, now: DateTime<Utc>) -> AppResult<Sealing> {
    let mut done = Sealing::default();
    loop {
        let txn = db.begin().await?;
        let last: Option<(i64, String)> = audit_seal::Entity::find()
            .select_only()
            .column(audit_seal::Column::Seq)
            .column(audit_seal::Column::Mac)
            .order_by_desc(audit_seal::Column::Seq)
            .limit(1)
            .into_tuple()
            .one(&txn)
            .await?;
        let unsealed: Vec<(i64, i64, i32, String)> = petition_event::Entity::find()
            .select_only()
            .column(petition_event::Column::Id)
            .column(petition_event::Column::PetitionId)
            .column(petition_event::Column::Seq)
            .column(petition_event::Column::Hash)
            .filter(petition_event::Column::Sealed.is_null())
            .order_by_asc(petition_event::Column::Id)
            .limit(EVENTS_PER_SEAL)
            .into_tuple()
            .all(&txn)
            .await?;
        if unsealed.is_empty() {
            txn.rollback().await?;
            return Ok(done);
        }
        let full = unsealed.len() as u64 == EVENTS_PER_SEAL;
        let (seq, prev) = last.map_or((1, GENESIS.to_owned()), |(seq, mac)| (seq + 1, mac));
        let mut heads: Vec<SealedHead> = Vec::new();
        let mut sorted: Vec<&(i64, i64, i32, String)> = unsealed.iter().collect();
        sorted.sort_by_key(|(_, petition_id, seq, _)| (*petition_id, *seq));
        for (_, petition_id, event_seq, hash) in sorted {
            match heads.last_mut() {
                Some(head) if head.0 == *petition_id => *head = (*petition_id, *event_seq, hash.clone()),
                _ => heads.push((*petition_id, *event_seq, hash.clone())),
            }
        }
        let heads = serde_json::to_string(&heads).map_err(AppError::internal)?;
        let events = i32::try_from(unsealed.len()).map_err(AppError::internal)?;
        let at = event_instant(now);
        let mac = seal_mac(auditor, seq, at, events, &heads, &prev);
        let written = audit_seal::Entity::insert(audit_seal::ActiveModel {
            seq: Set(seq),
            at: Set(at),
            events: Set(events),
            heads: Set(heads),
            prev: Set(prev),
            mac: Set(mac),
        })
        .on_conflict(OnConflict::column(audit_seal::Column::Seq).do_nothing().to_owned())
        .exec_without_returning(&txn)
        .await?;
        if written != 1 {
            // Another server wrote this seal meanwhile.
            txn.rollback().await?;
            return Ok(done);
        }
        let ids: Vec<i64> = unsealed.iter().map(|(id, ..)| *id).collect();
        for chunk in ids.chunks(IDS_PER_UPDATE) {
            petition_event::Entity::update_many()
                .col_expr(petition_event::Column::Sealed, Expr::value(seq))
                .filter(petition_event::Column::Id.is_in(chunk.iter().copied()))
                .exec(&txn)
                .await?;
        }
        txn.commit().await?;
        done.seals += 1;
        done.events += unsealed.len() as u64;
        if !full {
            return Ok(done);
        }
    }
}

/// Seals every [`SEAL_EVERY`] until the task is aborted (the server's shutdown). A round that
/// fails is logged and tried again at the next tick.
pub fn spawn_sealer(
    db: DatabaseConnection,
    auditor: Arc<Auditor>,
    clock: Arc<dyn Clock>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(SEAL_EVERY);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match seal(&db, &auditor, clock.now()).await {
                Ok(Sealing { seals: 0, .. }) => {}
                Ok(done) => tracing::debug!(seals = done.seals, events = done.events, "audit trails sealed"),
                Err(e) => tracing::error!("sealing the audit trails failed: {e}"),
            }
        }
    })
}

/// The register's head, signed: the last seal's number and hash, when it was exported, and an
/// HMAC of the three under the audit key. Kept outside the register (printed by
/// `tiepdan audit-head`), it shows a register rolled back or with its last seals removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignedHead {
    /// The last seal's number (0 before the first).
    pub seq: i64,
    /// Its hash.
    pub hash: String,
    /// When the head was taken.
    pub at: DateTime<Utc>,
    /// The signature.
    pub mac: String,
}

impl SignedHead {
    fn signature(auditor: &Auditor, seq: i64, hash: &str, at: DateTime<Utc>) -> String {
        auditor.mac(&[HEAD_PURPOSE, &seq.to_string(), hash, &at.timestamp_micros().to_string()])
    }

    /// The head of seal `seq` (hash `hash`), signed at `at`: what `audit-head` prints, and what a
    /// backup keeps of the copy it took (whose seals it does not extend).
    pub fn sign(auditor: &Auditor, seq: i64, hash: String, at: DateTime<Utc>) -> Self {
        let at = event_instant(at);
        Self { seq, mac: Self::signature(auditor, seq, &hash, at), hash, at }
    }

    /// Whether it was signed under this audit key.
    pub fn is_signed_by(&self, auditor: &Auditor) -> bool {
        Self::signature(auditor, self.seq, &self.hash, self.at) == self.mac
    }
}

/// Seals what is not sealed yet and returns the signed head.
pub async fn signed_head(
    db: &DatabaseConnection,
    auditor: &Auditor,
    now: DateTime<Utc>,
) -> AppResult<SignedHead> {
    seal(db, auditor, now).await?;
    let (seq, hash) = last_seal(db).await?.unwrap_or((0, GENESIS.to_owned()));
    Ok(SignedHead::sign(auditor, seq, hash, now))
}

/// The last seal's number and hash.
pub async fn last_seal(db: &impl ConnectionTrait) -> AppResult<Option<(i64, String)>> {
    Ok(audit_seal::Entity::find()
        .select_only()
        .column(audit_seal::Column::Seq)
        .column(audit_seal::Column::Mac)
        .order_by_desc(audit_seal::Column::Seq)
        .limit(1)
        .into_tuple()
        .one(db)
        .await?)
}
