//! Verification of the whole register (`tiepdan verify-audit`): the seals' chain, then each
//! case's trail against its keyed hashes, its case row, its content, its parties and the seals.

use std::collections::{HashMap, HashSet};

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::{
    Facts, GENESIS, UNCHANGED, event_hash,
    facts::{UNOPENED, content_digests},
    is_system_event, legacy, parties_digests,
    seal::{SealedHead, SignedHead, seal_mac},
};
use crate::{
    crypto::{Auditor, Keys},
    domain::petition::EventAction,
    entity::{audit_seal, petition, petition_event},
    error::AppResult,
};

/// What is wrong with one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    pub petition_id: i64,
    /// The first broken event, when the finding is about one.
    pub event: Option<i32>,
    pub reason: String,
}

impl Broken {
    fn at(petition_id: i64, event: i32, reason: String) -> Self {
        Self { petition_id, event: Some(event), reason }
    }

    fn of(petition_id: i64, reason: String) -> Self {
        Self { petition_id, event: None, reason }
    }
}

/// The outcome of a verification of the register.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verification {
    /// Cases checked.
    pub checked: u64,
    /// What is wrong, case by case (a case may have several findings, one per kind).
    pub broken: Vec<Broken>,
    /// Seals checked.
    pub seals: u64,
    /// What is wrong with the chain across cases itself (seals altered or removed, a head kept
    /// outside that the register no longer holds).
    pub register: Vec<String>,
}

impl Verification {
    /// Nothing was found.
    pub fn is_intact(&self) -> bool {
        self.broken.is_empty() && self.register.is_empty()
    }
}

/// The last event of a case that a seal recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct SealedAt {
    seal: i64,
    seq: i32,
    hash: [u8; 32],
}

/// What the seals say, read and checked.
#[derive(Debug, Default)]
struct Seals {
    /// The last event each case had when last sealed.
    heads: HashMap<i64, SealedAt>,
    /// The number of the last seal.
    last: i64,
    /// Seals whose hash or link does not verify: their heads are not used.
    bad: HashSet<i64>,
    problems: Vec<String>,
    count: u64,
}

/// Reads and checks every seal, in order: numbered from 1 without a gap, each chained to the one
/// before, each keyed; and, with `head`, that the register still holds the head kept outside.
async fn read_seals(
    db: &impl ConnectionTrait,
    auditor: &Auditor,
    head: Option<&SignedHead>,
) -> AppResult<Seals> {
    let mut seals = Seals::default();
    let mut prev = GENESIS.to_owned();
    let mut held: Option<String> = None;
    loop {
        let page = audit_seal::Entity::find()
            .filter(audit_seal::Column::Seq.gt(seals.last))
            .order_by_asc(audit_seal::Column::Seq)
            .limit(200)
            .all(db)
            .await?;
        if page.is_empty() {
            break;
        }
        for s in page {
            seals.count += 1;
            if s.seq != seals.last + 1 {
                seals.problems.push(format!("seals #{} to #{} are missing", seals.last + 1, s.seq - 1));
            } else if s.prev != prev {
                seals.problems.push(format!("seal #{} does not follow seal #{}", s.seq, seals.last));
                seals.bad.insert(s.seq);
            }
            if seal_mac(auditor, s.seq, s.at, s.events, &s.heads, &s.prev) != s.mac {
                seals.problems.push(format!("seal #{} was altered or not made with the audit key", s.seq));
                seals.bad.insert(s.seq);
            }
            if head.is_some_and(|h| h.seq == s.seq) {
                held = Some(s.mac.clone());
            }
            seals.last = s.seq;
            prev.clone_from(&s.mac);
            if seals.bad.contains(&s.seq) {
                continue;
            }
            let Ok(heads) = serde_json::from_str::<Vec<SealedHead>>(&s.heads) else {
                seals.problems.push(format!("seal #{}: its heads do not read", s.seq));
                continue;
            };
            for (petition_id, seq, hash) in heads {
                let Some(hash) = hash_bytes(&hash) else {
                    seals.problems.push(format!(
                        "seal #{}: the hash it recorded for case {petition_id} does not read",
                        s.seq
                    ));
                    continue;
                };
                let at = SealedAt { seal: s.seq, seq, hash };
                seals
                    .heads
                    .entry(petition_id)
                    .and_modify(|h| {
                        if seq >= h.seq {
                            *h = at
                        }
                    })
                    .or_insert(at);
            }
        }
    }
    if let Some(head) = head {
        if !head.is_signed_by(auditor) {
            seals
                .problems
                .push("the head kept outside is not signed with this register's audit key".to_owned());
        } else if head.seq > 0 {
            match held {
                None => seals.problems.push(format!(
                    "the register no longer holds seal #{} of the head taken on {}: seals were removed or the \
                     register was rolled back",
                    head.seq, head.at
                )),
                Some(mac) if mac != head.hash => seals.problems.push(format!(
                    "seal #{} is not the one of the head taken on {}: the seals were rewritten",
                    head.seq, head.at
                )),
                Some(_) => {}
            }
        }
    }
    Ok(seals)
}

fn hash_bytes(hex_text: &str) -> Option<[u8; 32]> {
    hex::decode(hex_text).ok()?.try_into().ok()
}

/// The stored content and parties of a case, digested (`None`: there is none).
struct Stored<'a> {
    content: Option<&'a str>,
    parties: Option<&'a str>,
}

/// Checks one case's chain: each event follows the one before and is unaltered (the old events
/// with the old algorithm, up to the anchor; the keyed ones under the audit key), and the case
/// row's anchor (its `event_head` and `version`) is the last event written by a change of the
/// case, with only the register's own events after it, and has the facts in force after its last
/// event (the last ones stated, carried forward over events that state none).
/// The content, the parties and the seals are checked by [`verify`].
pub fn check_chain(
    keys: &Keys,
    case: &petition::Model,
    events: &[petition_event::Model],
) -> Result<(), Broken> {
    match examine(&keys.audit, case, events, None, None, None).into_iter().next() {
        Some(broken) => Err(broken),
        None => Ok(()),
    }
}

/// Everything wrong with one case: the first broken event of its chain, then (when the chain
/// holds) its row, content and parties against the facts in force after its last event, then the
/// seals.
fn examine(
    auditor: &Auditor,
    case: &petition::Model,
    events: &[petition_event::Model],
    stored: Option<Stored<'_>>,
    sealed: Option<SealedAt>,
    seals: Option<&Seals>,
) -> Vec<Broken> {
    let id = case.id;
    let mut found = Vec::new();
    let mut head = GENESIS.to_owned();
    // The hash after the last event of a change of the case, and how many such events there are.
    let mut anchor = GENESIS.to_owned();
    let mut changes = 0i32;
    let mut old_events = 0;
    let mut last: Option<Facts> = None;
    let mut chain_holds = true;
    for (i, e) in events.iter().enumerate() {
        let expected_seq = i32::try_from(i).unwrap_or(i32::MAX) + 1;
        let problem = if e.seq != expected_seq {
            Some(format!("event #{expected_seq} is missing or out of order (found seq {})", e.seq))
        } else if e.prev_hash != head {
            Some(format!("event #{} does not follow the previous one", e.seq))
        } else if e.facts.is_empty() {
            // An event written before hashes were keyed.
            if last.is_some() {
                Some(format!("event #{} is in the old unkeyed form after keyed events", e.seq))
            } else if legacy::event_hash(&head, e) != e.hash {
                Some(format!("event #{} was altered", e.seq))
            } else {
                old_events += 1;
                None
            }
        } else if last.is_none() && old_events > 0 && e.action != EventAction::AuditAnchored {
            Some(format!("event #{} follows old unkeyed events without an anchor", e.seq))
        } else if last.is_none() && e.facts == UNCHANGED {
            Some(format!("event #{} carries forward facts that no event before it stated", e.seq))
        } else if event_hash(
            auditor,
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
            &e.facts,
        ) != e.hash
        {
            Some(format!("event #{} was altered (its keyed hash does not verify)", e.seq))
        } else if e.facts == UNCHANGED {
            // The facts in force stay those last stated (`last`).
            None
        } else {
            match Facts::parse(&e.facts) {
                Err(err) => Some(format!("event #{}: its facts do not read ({err})", e.seq)),
                Ok(facts) => {
                    let changed = match &last {
                        Some(before) if e.action == EventAction::DeadlineRecomputed => {
                            before.differences(&facts)
                        }
                        _ => Vec::new(),
                    };
                    last = Some(facts);
                    (!changed.is_empty()).then(|| {
                        format!(
                            "event #{}: a recomputation of due dates changed {}",
                            e.seq,
                            changed.join(", ")
                        )
                    })
                }
            }
        };
        if let Some(reason) = problem {
            found.push(Broken::at(id, expected_seq, reason));
            chain_holds = false;
            break;
        }
        if !is_system_event(e.action, e.actor_id) {
            anchor.clone_from(&e.hash);
            changes = changes.saturating_add(1);
        }
        head.clone_from(&e.hash);
    }
    if chain_holds {
        let next = i32::try_from(events.len()).unwrap_or(i32::MAX).saturating_add(1);
        // A case without a single event has no facts to compare: every case the register makes
        // has its intake's event, and a whole trail removed shows once it was sealed.
        match &last {
            None if !events.is_empty() => found.push(Broken::at(
                id,
                next,
                "its trail was never anchored under the audit key".to_owned(),
            )),
            _ if anchor != case.event_head || changes != case.version => {
                found.push(Broken::at(id, next, "the last events are missing".to_owned()));
            }
            _ => {}
        }
        if let Some(last) = &last {
            let seq = next - 1;
            let row = Facts::of(auditor, case, last.content.clone(), last.parties.clone());
            let differ = last.differences(&row);
            if !differ.is_empty() {
                found.push(Broken::of(
                    id,
                    format!("the case row differs from its last event (#{seq}) in: {}", differ.join(", ")),
                ));
            }
            if let Some(stored) = &stored {
                match stored.content {
                    None => found.push(Broken::of(id, "its content is missing".to_owned())),
                    Some(c) if c != last.content => found.push(Broken::of(
                        id,
                        format!("its content differs from the one its last event (#{seq}) recorded"),
                    )),
                    Some(_) => {}
                }
                match stored.parties {
                    Some(p) if p == last.parties => {}
                    Some(p) if p.starts_with(UNOPENED) => found.push(Broken::of(
                        id,
                        format!(
                            "its parties differ from the ones its last event (#{seq}) recorded: {} \
                             holds a value that does not open under the data key",
                            p.trim_start_matches("unopened ")
                        ),
                    )),
                    _ => found.push(Broken::of(
                        id,
                        format!("its parties differ from the ones its last event (#{seq}) recorded"),
                    )),
                }
            }
        }
    }
    if let Some(at) = sealed {
        match events.iter().find(|e| e.seq == at.seq) {
            None => found.push(Broken::at(
                id,
                at.seq,
                format!("its trail was cut: event #{}, recorded by seal #{}, is missing", at.seq, at.seal),
            )),
            Some(e) if hash_bytes(&e.hash) != Some(at.hash) => found.push(Broken::at(
                id,
                at.seq,
                format!("event #{} is not the one seal #{} recorded", at.seq, at.seal),
            )),
            Some(_) => {}
        }
    }
    if let Some(seals) = seals {
        let marked = events.iter().find(|e| {
            e.sealed.is_some_and(|n| {
                !seals.bad.contains(&n) && (n > seals.last || sealed.is_none_or(|at| e.seq > at.seq))
            })
        });
        if let Some(e) = marked {
            found.push(Broken::at(
                id,
                e.seq,
                format!(
                    "event #{} is marked as sealed by seal #{}, which does not record it",
                    e.seq,
                    e.sealed.unwrap_or_default()
                ),
            ));
        }
    }
    found
}

/// Verifies the whole register (see [`verify`]) without a head kept outside.
pub async fn verify_all(db: &impl ConnectionTrait, keys: &Keys) -> AppResult<Verification> {
    verify(db, keys, None).await
}

/// Verifies the whole register: the seals' chain (and, with `head`, that the register still
/// holds that head), then every case, a page at a time: its trail, its row, content and parties
/// against its last event, the seals' record of it; and that no case a seal recorded was deleted.
pub async fn verify(
    db: &impl ConnectionTrait,
    keys: &Keys,
    head: Option<&SignedHead>,
) -> AppResult<Verification> {
    let auditor = &keys.audit;
    let mut seals = read_seals(db, auditor, head).await?;
    let mut report = Verification {
        seals: seals.count,
        register: std::mem::take(&mut seals.problems),
        ..Default::default()
    };
    let mut unvisited = std::mem::take(&mut seals.heads);
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
            .filter(petition_event::Column::PetitionId.is_in(ids.iter().copied()))
            .order_by_asc(petition_event::Column::PetitionId)
            .order_by_asc(petition_event::Column::Seq)
            .all(db)
            .await?;
        let contents = content_digests(db, keys, &ids).await?;
        let parties = parties_digests(db, keys, &ids).await?;
        // Both lists are sorted by case id: walk them together.
        let mut rest = events.as_slice();
        for case in &cases {
            let n = rest.iter().take_while(|e| e.petition_id == case.id).count();
            let (own, tail) = rest.split_at(n);
            rest = tail;
            let stored = Stored {
                content: contents.get(&case.id).map(String::as_str),
                parties: parties.get(&case.id).map(String::as_str),
            };
            let sealed = unvisited.remove(&case.id);
            report.broken.extend(examine(auditor, case, own, Some(stored), sealed, Some(&seals)));
            report.checked += 1;
        }
    }
    let mut deleted: Vec<(i64, SealedAt)> = unvisited.into_iter().collect();
    deleted.sort_by_key(|(id, _)| *id);
    report.broken.extend(deleted.into_iter().map(|(id, at)| {
        Broken::at(
            id,
            at.seq,
            format!("the case was deleted: seal #{} recorded its event #{}", at.seal, at.seq),
        )
    }));
    report.broken.sort_by_key(|b| b.petition_id);
    Ok(report)
}
