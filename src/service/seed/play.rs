//! Plays a story ([`super::plan::Story`]) into its cases: the petition as the citizen wrote it
//! (names, identity, address, subject and content), who received it, and each of its steps taken
//! by the staff whose role and scope allow it. Runs on a blocking thread: all of it is CPU work.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::{
    case::Case,
    org::{Agency, Org, PROVINCE_CODE},
    plan::{Move, Story, stream},
    words::{self, pick, weighted},
};
use crate::{
    auth::AuthUser,
    clock::day_start,
    crypto::Keys,
    domain::{
        calendar::Calendar,
        deadline::Complexity,
        petition::{Channel, Conclusion, Kind, intake::NewPetition, tracking_code},
    },
    error::AppResult,
    service::audit::Actor,
};

/// A random-looking, unique tracking code for case `id`: the id through a keyed permutation of
/// 60 bits (a Feistel network), written in the typable alphabet. Unique by construction, so a
/// million codes never collide, and reproducible from the seed.
pub fn tracking_code_of(seed: u64, id: i64) -> String {
    const HALF: u64 = (1 << 30) - 1;
    let v = u64::try_from(id).unwrap_or(0);
    let (mut left, mut right) = ((v >> 30) & HALF, v & HALF);
    for round in 0..4u64 {
        let f = splitmix(seed ^ round.wrapping_mul(0xA076_1D64_78BD_642F) ^ right) & HALF;
        (left, right) = (right, left ^ f);
    }
    let mixed = (left << 30) | right;
    let symbols: [u8; 12] = std::array::from_fn(|i| ((mixed >> (55 - 5 * i)) & 31) as u8);
    tracking_code::from_random(symbols)
}

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// The instants of a case's events: during office hours of each step's day, in order, never
/// after now.
struct Instants {
    last: DateTime<Utc>,
    now: DateTime<Utc>,
}

impl Instants {
    fn on(&mut self, rng: &mut ChaCha8Rng, day: NaiveDate) -> DateTime<Utc> {
        let office = day_start(day) + Duration::minutes(7 * 60 + 30 + rng.random_range(0..540));
        let at = office.min(self.now).max(self.last + Duration::seconds(90));
        self.last = at;
        at
    }
}

/// What the player needs besides the story.
pub struct Stage<'a> {
    pub keys: &'a Keys,
    pub org: &'a Org,
    pub cal: &'a Calendar,
    pub seed: u64,
    pub now: DateTime<Utc>,
}

impl Stage<'_> {
    /// The cases of `story`, its own first.
    pub fn play(&self, story: &Story) -> AppResult<Vec<Case>> {
        let rng = &mut stream(self.seed, story.number, 3);
        let (keys, cal) = (self.keys, self.cal);
        let agency = &self.org.agencies[story.agency];
        let new = self.petition(rng, story, agency);
        let desk = new.received_by.and_then(|id| agency.receptionists.iter().find(|u| u.id == id));
        let actor = match (desk, story.kind) {
            (Some(u), _) => Actor::user(u.id, &u.full_name),
            (None, Kind::Denunciation) => Actor::denouncer(),
            (None, _) => Actor::public(),
        };
        let mut when = Instants { last: day_start(story.received_on), now: self.now };
        let at = when.on(rng, story.received_on);
        let code = tracking_code_of(self.seed, story.id);
        let mut case = Case::receive(keys, new, story.id, code, None, &actor, cal, at)?;
        let handler = pick(rng, &agency.inspectors).clone();
        let serious = matches!(story.kind, Kind::Complaint | Kind::Denunciation);
        let mut child: Option<Case> = None;
        for (m, on) in &story.moves {
            let on = *on;
            let at = when.on(rng, on);
            // Before routing, whoever classifies the petition decides on it.
            let decider =
                if case.row.assignee_id.is_some() { &handler } else { pick(rng, &agency.inspectors) };
            match m {
                Move::Assign => case.assign(keys, router(rng, agency, &handler), &handler, on, at)?,
                Move::Accept => {
                    let complex = story.kind == Kind::Complaint && rng.random_bool(0.1);
                    let complexity = if complex { Complexity::Complex } else { Complexity::None };
                    case.accept(keys, &handler, complexity, on, cal, at)?
                }
                Move::Extend => {
                    case.extend(keys, &handler, 30, on, cal, at)?;
                }
                Move::RecordDialogue => {
                    case.record_dialogue(keys, &handler, words::one(rng, words::DIALOGUE_MINUTES), on, at)?
                }
                Move::Suspend => {
                    case.suspend(keys, &handler, words::one(rng, words::SUSPEND_REASONS), on, cal, at)?
                }
                Move::Resume => case.resume(keys, &handler, on, cal, at)?,
                Move::Resolve => {
                    let resolver = if serious { &agency.chairman } else { &handler };
                    let (result, conclusion) = outcome(rng, story.kind);
                    case.resolve(keys, resolver, result, conclusion, None, on, cal, at)?
                }
                Move::Reject => {
                    case.reject(keys, decider, words::one(rng, words::REJECT_REASONS), on, cal, at)?
                }
                Move::Guide => {
                    let guide = desk.unwrap_or(decider);
                    case.guide(keys, guide, words::one(rng, words::OUTSIDE_BODIES), on, cal, at)?
                }
                Move::ForwardBody => {
                    let letter = format!("{}/UBND-TTr", rng.random_range(10..2000));
                    case.forward_to_body(
                        keys,
                        decider,
                        words::one(rng, words::OUTSIDE_BODIES),
                        &letter,
                        on,
                        cal,
                        at,
                    )?
                }
                Move::ForwardAgency => {
                    let Some((target, _)) = &story.child else { continue };
                    let target = &self.org.agencies[*target];
                    let letter = format!("{}/UBND-TTr", rng.random_range(10..2000));
                    let copy = case.forward_copy(target.id, &agency.name, &letter, on);
                    let by = Actor::user(decider.id, &decider.full_name);
                    let id = story.id + 1;
                    let code = tracking_code_of(self.seed, id);
                    let made = Case::receive(keys, copy, id, code, Some(&case.row), &by, cal, at)?;
                    case.forwarded_to_agency(
                        keys,
                        decider,
                        (target.id, &target.name),
                        &made.row,
                        &letter,
                        on,
                        cal,
                        at,
                    )?;
                    child = Some(made);
                }
                Move::Archive => {
                    case.archive(keys, decider, words::one(rng, words::ARCHIVE_REASONS), on, cal, at)?
                }
                Move::Terminate => {
                    case.terminate(keys, decider, words::one(rng, words::TERMINATION_GROUNDS), on, cal, at)?
                }
                Move::RecordLead => {
                    case.record_lead(keys, decider, words::one(rng, words::LEAD_REASONS), on, cal, at)?
                }
                Move::Withdraw => {
                    case.withdraw(keys, &handler, words::one(rng, words::WITHDRAW_NOTES), on, cal, at)?
                }
                Move::Reopen => {
                    let Some((target, _)) = &story.child else { continue };
                    let target = &self.org.agencies[*target];
                    let chairman = &agency.chairman;
                    let reason = "Không đồng ý với quyết định giải quyết khiếu nại lần đầu, đề nghị giải quyết lần hai.";
                    let new = case.second_round(chairman, target.id, reason, on);
                    let by = Actor::user(chairman.id, &chairman.full_name);
                    let id = story.id + 1;
                    let made = Case::receive(
                        keys,
                        new,
                        id,
                        tracking_code_of(self.seed, id),
                        Some(&case.row),
                        &by,
                        cal,
                        at,
                    )?;
                    case.reopened(keys, chairman, &made.row, reason, on, at)?;
                    child = Some(made);
                }
            }
        }
        let Some(mut made) = child else { return Ok(vec![case]) };
        // The case it made goes on at its own agency; a forwarded copy reports its result back.
        if let Some((target, moves)) = &story.child {
            let target = &self.org.agencies[*target];
            let handler = pick(rng, &target.inspectors).clone();
            let mut when = Instants { last: made.row.created_at, now: self.now };
            for (m, on) in moves {
                let on = *on;
                let at = when.on(rng, on);
                match m {
                    Move::Assign => made.assign(keys, router(rng, target, &handler), &handler, on, at)?,
                    Move::Accept => made.accept(keys, &handler, Complexity::None, on, cal, at)?,
                    Move::RecordDialogue => made.record_dialogue(
                        keys,
                        &handler,
                        words::one(rng, words::DIALOGUE_MINUTES),
                        on,
                        at,
                    )?,
                    Move::Resolve => {
                        let resolver = if serious { &target.chairman } else { &handler };
                        let (result, conclusion) = outcome(rng, story.kind);
                        // A forwarded copy reports its result back; a second round's result joins
                        // the first round's file.
                        let forwarded = made.row.channel == Channel::Forwarded;
                        let next_level = made.row.origin_relation
                            == Some(crate::domain::petition::OriginRelation::SecondRoundOf);
                        let origin = if forwarded || next_level { Some(&mut case) } else { None };
                        made.resolve(keys, resolver, result, conclusion, origin, on, cal, at)?
                    }
                    _ => {}
                }
            }
        }
        Ok(vec![case, made])
    }

    /// The petition as received: its people, text and how it came.
    fn petition(&self, rng: &mut ChaCha8Rng, story: &Story, agency: &Agency) -> NewPetition {
        let (subject, content, field) = words::petition_text(rng, story.kind, story.received_on);
        let mut new =
            NewPetition::received(agency.id, story.kind, story.channel, story.received_on, subject, content);
        new.field = Some(field);
        if !story.anonymous {
            new.petitioner = Some(words::person(rng, &agency.place, PROVINCE_CODE));
            let group = rng.random_range(0..100);
            if group < 6 {
                let others = rng.random_range(1..4);
                new.cosignatories =
                    (0..others).map(|_| words::person(rng, &agency.place, PROVINCE_CODE)).collect();
                new.signatories = others + 1;
            } else if group < 8 {
                new.signatories = rng.random_range(5..30);
                let reps = rng.random_range(1..3);
                new.representatives =
                    (0..reps).map(|_| words::person(rng, &agency.place, PROVINCE_CODE)).collect();
            }
        }
        if story.channel == Channel::Forwarded {
            new.forwarding_body = Some(words::one(rng, words::FORWARDING_BODIES).to_string());
            new.forwarding_doc_no = Some(format!("{}/CV-BDN", rng.random_range(10..900)));
        }
        if story.channel != Channel::Online {
            new.received_by = Some(pick(rng, &agency.receptionists).id);
        }
        new.remote_area = agency.remote;
        new
    }
}

/// Who routes a case to `handler`: the head of his unit or, as often, the chairman.
fn router<'a>(rng: &mut ChaCha8Rng, agency: &'a Agency, handler: &AuthUser) -> &'a AuthUser {
    let head = agency.heads.iter().find(|h| h.unit_id.is_some() && h.unit_id == handler.unit_id);
    match head {
        Some(head) if rng.random_bool(0.5) => head,
        _ => &agency.chairman,
    }
}

/// The result of a resolution, with the conclusion a complaint's or denunciation's carries.
fn outcome(rng: &mut ChaCha8Rng, kind: Kind) -> (&'static str, Option<Conclusion>) {
    let result = words::one(rng, words::RESULTS);
    let conclusion = match kind {
        Kind::Complaint | Kind::Denunciation => Some(weighted(
            rng,
            &[(Conclusion::Right, 20), (Conclusion::PartlyRight, 35), (Conclusion::Wrong, 45)],
        )),
        _ => None,
    };
    (result, conclusion)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracking_codes_are_unique_typable_and_reproducible() {
        let codes: std::collections::HashSet<String> =
            (1..=200_000).map(|id| tracking_code_of(7, id)).collect();
        assert_eq!(codes.len(), 200_000);
        let code = tracking_code_of(7, 1);
        assert_eq!(tracking_code::parse(&code).as_deref(), Some(code.as_str()));
        assert_eq!(code, tracking_code_of(7, 1));
        assert_ne!(code, tracking_code_of(8, 1), "another seed, other codes");
    }
}
