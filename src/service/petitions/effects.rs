//! The one place where a step of a case touches its statutory clocks (domain.md §8): what each
//! step starts, meets, pauses, resumes or ends ([`plan`]), and the function that does it to the
//! stored clocks ([`apply`]). The steps themselves name no clock; an extension names the clock it
//! lengthens, which [`resolution_clock`] gives.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::{
    domain::{
        calendar::Calendar,
        deadline::{ClockId, ClockResult, ClockState, Complexity, RuleSetId},
        petition::{Channel, EventAction, Kind, OriginRelation, Status},
    },
    entity::petition,
    error::AppResult,
    service::deadlines,
};

/// What a step does to the clocks of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockEffect {
    /// Starts a running clock on the step's date, with the case's complexity and remoteness.
    Start(ClockId),
    /// Records an informational clock on the step's date: a notice duty or the citizen's period.
    Note(ClockId),
    /// Records a clock met on the day it starts: a duty the register fulfils at once.
    MetAtOnce(ClockId),
    /// Ends the named running clocks as met: the step they timed was done.
    Meet(&'static [ClockId]),
    /// Ends every running clock as met: the case's handling is over.
    MeetAll,
    /// Ends every running clock as stopped: the case closed another way.
    StopAll,
    /// Stops the pausable clocks (a suspension).
    Pause,
    /// Restarts the paused clocks (a continuation).
    Resume,
    /// Lengthens the running `clock` by `days`, recording the case's complexity finding.
    Extend { clock: ClockId, days: u32, complexity: Complexity },
    /// Re-counts the running `clock` for a new complexity finding (a complaint's longer limit).
    Reclassify { clock: ClockId, complexity: Complexity },
}

/// The facts of a case its step's clocks depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepFacts {
    pub kind: Kind,
    pub channel: Channel,
    pub round: i32,
    /// How the case came from another (a forwarded copy reports its result back).
    pub origin: Option<OriginRelation>,
    /// The status before the step.
    pub status: Status,
}

impl StepFacts {
    /// The facts of a stored case.
    pub fn of(case: &petition::Model) -> Self {
        Self {
            kind: case.kind,
            channel: case.channel,
            round: case.round,
            origin: case.origin_relation,
            status: case.status,
        }
    }
}

/// The clocks of the receipt step, met by the first handling decision.
const RECEIPT_CLOCKS: [ClockId; 6] = [
    ClockId::ComplaintAcceptance,
    ClockId::DenunciationIntake,
    ClockId::ReceptionNotice,
    ClockId::UnhandledAlarm,
    ClockId::FurtherDenunciationReview,
    ClockId::DenunciationForwardedResult,
];

/// The resolution clock of a case of `kind` in `round`: the one acceptance starts and an
/// extension lengthens.
pub fn resolution_clock(kind: Kind, round: i32) -> Option<ClockId> {
    match kind {
        Kind::Complaint if round >= 2 => Some(ClockId::ComplaintResolution2),
        Kind::Complaint => Some(ClockId::ComplaintResolution1),
        Kind::Denunciation => Some(ClockId::DenunciationResolution),
        Kind::Recommendation | Kind::Feedback => None,
    }
}

/// The clocks a step of a case with `facts` starts, meets, pauses, resumes or ends, in the order
/// they are applied. A partial withdrawal touches none (it is not planned); nor do an assignment,
/// a reopening (the new case's receipt starts its own) or an extension (which names its clock).
pub fn plan(step: EventAction, facts: &StepFacts) -> Vec<ClockEffect> {
    use ClockEffect as E;
    use ClockId as C;
    use EventAction as S;
    let kind = facts.kind;
    match step {
        // The clocks a case starts on receipt, by kind (domain.md §4, §6, §7, §8).
        S::Receive => {
            let mut clocks = match (kind, facts.origin) {
                (Kind::Denunciation, Some(OriginRelation::FurtherDenunciationOf)) => {
                    vec![C::FurtherDenunciationReview]
                }
                (Kind::Complaint, _) => vec![C::ComplaintAcceptance],
                (Kind::Denunciation, _) => vec![C::DenunciationIntake],
                (Kind::Recommendation | Kind::Feedback, _) => {
                    vec![C::ReceptionNotice, C::RecommendationResolution]
                }
            };
            if kind == Kind::Denunciation && facts.channel == Channel::Forwarded && facts.origin.is_none() {
                clocks.push(C::DenunciationForwardedResult);
            }
            // A petition left unhandled for 45 days is a disciplinary offence (ND 154/2026 Art.
            // 41(3)(b)).
            clocks.push(C::UnhandledAlarm);
            clocks.into_iter().map(E::Start).collect()
        }
        S::Accept => {
            let mut effects = vec![E::Meet(&RECEIPT_CLOCKS)];
            effects.extend(resolution_clock(kind, facts.round).map(E::Start));
            // Both sides learn of a denunciation's acceptance within 5 working days (Law 25/2018
            // Art. 29(3)).
            if kind == Kind::Denunciation {
                effects.push(E::Note(C::DenunciationAcceptanceNotice));
            }
            effects
        }
        S::Reject => {
            let mut effects = vec![E::MeetAll];
            // A recommendation or feedback already answered, with nothing new, is refused by a
            // written notice within 3 working days (ND 154/2026 Art. 4(1)(h), 4(3); domain.md §7).
            // A complaint's or denunciation's refusal is notified within its acceptance or intake
            // time, which this step meets.
            if matches!(kind, Kind::Recommendation | Kind::Feedback) {
                effects.push(E::Note(C::RefusalNotice));
            }
            effects
        }
        S::Guide | S::Forward | S::Urge | S::Archive => vec![E::MeetAll],
        // The suspension decision is sent within 3 working days (complaints, ND 124/2020 Art. 28a)
        // or 5 (denunciations, Law 25/2018 Art. 34(4)).
        S::Suspend => vec![E::Pause, E::Note(suspension_send(kind).unwrap_or(C::DenunciationSuspensionSend))],
        S::Resume => vec![E::Resume],
        S::Withdraw => {
            let mut effects = vec![E::StopAll];
            // Everything withdrawn after acceptance ends the resolution by a termination decision
            // (đình chỉ), sent like a suspension: within 3 working days for a complaint (ND 124/2020
            // Arts. 7a, 28a), 5 for a denunciation (Law 25/2018 Arts. 33, 34(4)).
            if matches!(facts.status, Status::Accepted | Status::Suspended) {
                effects.extend(suspension_send(kind).map(E::Note));
            }
            effects
        }
        S::Resolve => {
            let mut effects = vec![E::MeetAll];
            // What the decision or conclusion starts (domain.md §8): sending it, and for a
            // first-round complaint the complainant's time to file the second; publishing a
            // denunciation's conclusion. Informational: no step records the sending or publication
            // yet.
            match kind {
                Kind::Complaint if facts.round >= 2 => effects.push(E::Note(C::ComplaintDecisionSend2)),
                Kind::Complaint => {
                    effects.extend([E::Note(C::ComplaintDecisionSend1), E::Note(C::ComplaintSecondFiling)])
                }
                Kind::Denunciation => effects.push(E::Note(C::DenunciationPublication)),
                Kind::Recommendation | Kind::Feedback => {}
            }
            // A case forwarded from another agency of the register: its result flows back there.
            // That is the report the resolver owes the forwarding agency (Law 42/2013 Art. 27(2)),
            // made at once, so its clock is met today.
            if facts.origin == Some(OriginRelation::ForwardedFrom) {
                effects.push(E::MetAtOnce(C::ForwardedResultReport));
            }
            effects
        }
        // The forwarding agency, told the result, has to tell the citizen (Law 42/2013 Art. 28(2)).
        S::ForwardResult => vec![E::Note(C::ForwardedResultRelay)],
        S::Split => vec![E::StopAll],
        S::Assign | S::Extend | S::Reopen | S::DeadlineRecomputed | S::ReceptionVisit => vec![],
    }
}

/// The clock of sending a suspension or termination decision of a case of `kind`.
fn suspension_send(kind: Kind) -> Option<ClockId> {
    match kind {
        Kind::Complaint => Some(ClockId::ComplaintSuspensionSend),
        Kind::Denunciation => Some(ClockId::DenunciationSuspensionSend),
        Kind::Recommendation | Kind::Feedback => None,
    }
}

/// The petition whose clocks a step touches, with what its new clocks are counted on: its rule
/// set, complexity and remoteness.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockBasis {
    pub id: i64,
    pub rule_set: RuleSetId,
    /// The complexity a running clock starts with.
    pub complexity: Complexity,
    pub remote_area: bool,
}

impl ClockBasis {
    /// A stored case as it stands.
    pub fn of(case: &petition::Model) -> Self {
        Self {
            id: case.id,
            rule_set: case.rule_set,
            complexity: case.complexity,
            remote_area: case.remote_area,
        }
    }
}

/// A clock a step recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Started {
    pub clock: ClockId,
    pub due: NaiveDate,
    /// Running, informational, or met at once.
    pub state: ClockState,
}

/// A running clock a step lengthened or re-counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed {
    pub clock: ClockId,
    /// Its limit before, in days.
    pub limit_before: u32,
    /// Its new due date and limit.
    pub result: ClockResult,
}

/// What [`apply`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    /// The clocks recorded, in order.
    pub started: Vec<Started>,
    /// The running clocks changed.
    pub changed: Vec<Changed>,
}

impl Applied {
    /// The clocks recorded in `state`, as the trail describes them: `{"clock", "due"}`.
    pub fn described(&self, state: ClockState) -> Vec<Value> {
        self.started
            .iter()
            .filter(|s| s.state == state)
            .map(|s| json!({"clock": s.clock, "due": s.due}))
            .collect()
    }
}

/// Does `effects` to the clocks of `case`, on the step's date `on`, in order.
pub async fn apply(
    db: &impl ConnectionTrait,
    case: &ClockBasis,
    effects: &[ClockEffect],
    on: NaiveDate,
    cal: &Calendar,
    now: DateTime<Utc>,
) -> AppResult<Applied> {
    let mut applied = Applied::default();
    let id = case.id;
    let rule_set = &case.rule_set;
    for effect in effects {
        match *effect {
            ClockEffect::Start(clock) => {
                let row = deadlines::start(
                    db,
                    id,
                    clock,
                    rule_set,
                    on,
                    case.complexity,
                    case.remote_area,
                    cal,
                    now,
                )
                .await?;
                applied.started.push(Started { clock, due: row.due_on, state: row.state });
            }
            ClockEffect::Note(clock) => {
                let row = deadlines::note(db, id, clock, rule_set, on, case.remote_area, cal, now).await?;
                applied.started.push(Started { clock, due: row.due_on, state: row.state });
            }
            ClockEffect::MetAtOnce(clock) => {
                let row = deadlines::met_at_once(db, id, clock, rule_set, on, cal, now).await?;
                applied.started.push(Started { clock, due: row.due_on, state: row.state });
            }
            ClockEffect::Meet(clocks) => deadlines::end(db, id, clocks, ClockState::Met, on, now).await?,
            ClockEffect::MeetAll => deadlines::end(db, id, &[], ClockState::Met, on, now).await?,
            ClockEffect::StopAll => deadlines::end(db, id, &[], ClockState::Stopped, on, now).await?,
            ClockEffect::Pause => deadlines::pause(db, id, on, cal, now).await?,
            ClockEffect::Resume => deadlines::resume(db, id, on, cal, now).await?,
            ClockEffect::Extend { clock, days, complexity } => {
                let before = deadlines::running_clock(db, id, clock).await?;
                let result = deadlines::extend(db, id, clock, days, complexity, cal, now).await?;
                applied.changed.push(Changed { clock, limit_before: limit_of(&before), result });
            }
            ClockEffect::Reclassify { clock, complexity } => {
                let before = deadlines::running_clock(db, id, clock).await?;
                let result = deadlines::reclassify(db, id, clock, complexity, cal, now).await?;
                applied.changed.push(Changed { clock, limit_before: limit_of(&before), result });
            }
        }
    }
    Ok(applied)
}

fn limit_of(row: &crate::entity::deadline::Model) -> u32 {
    u32::try_from(row.limit_days).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(kind: Kind, status: Status) -> StepFacts {
        StepFacts { kind, channel: Channel::Post, round: 1, origin: None, status }
    }

    #[test]
    fn receipt_starts_the_kind_s_clocks_and_the_alarm() {
        let starts = |f: StepFacts| plan(EventAction::Receive, &f);
        use ClockEffect::Start;
        use ClockId as C;
        assert_eq!(
            starts(facts(Kind::Complaint, Status::Received)),
            [Start(C::ComplaintAcceptance), Start(C::UnhandledAlarm)]
        );
        assert_eq!(
            starts(facts(Kind::Feedback, Status::Received)),
            [Start(C::ReceptionNotice), Start(C::RecommendationResolution), Start(C::UnhandledAlarm)]
        );
        let mut forwarded = facts(Kind::Denunciation, Status::Received);
        forwarded.channel = Channel::Forwarded;
        assert_eq!(
            starts(forwarded),
            [Start(C::DenunciationIntake), Start(C::DenunciationForwardedResult), Start(C::UnhandledAlarm)]
        );
        forwarded.origin = Some(OriginRelation::FurtherDenunciationOf);
        assert_eq!(starts(forwarded), [Start(C::FurtherDenunciationReview), Start(C::UnhandledAlarm)]);
    }

    #[test]
    fn acceptance_meets_receipt_and_starts_resolution() {
        let complaint = plan(EventAction::Accept, &facts(Kind::Complaint, Status::Received));
        assert_eq!(
            complaint,
            [ClockEffect::Meet(&RECEIPT_CLOCKS), ClockEffect::Start(ClockId::ComplaintResolution1)]
        );
        let mut second = facts(Kind::Complaint, Status::Received);
        second.round = 2;
        assert_eq!(plan(EventAction::Accept, &second)[1], ClockEffect::Start(ClockId::ComplaintResolution2));
        let denunciation = plan(EventAction::Accept, &facts(Kind::Denunciation, Status::Received));
        assert_eq!(denunciation.last(), Some(&ClockEffect::Note(ClockId::DenunciationAcceptanceNotice)));
        assert_eq!(plan(EventAction::Accept, &facts(Kind::Feedback, Status::Received)).len(), 1);
    }

    #[test]
    fn closing_steps_meet_or_stop_the_running_clocks() {
        for step in [EventAction::Guide, EventAction::Forward, EventAction::Urge, EventAction::Archive] {
            assert_eq!(plan(step, &facts(Kind::Complaint, Status::Received)), [ClockEffect::MeetAll]);
        }
        assert_eq!(
            plan(EventAction::Split, &facts(Kind::Complaint, Status::Received)),
            [ClockEffect::StopAll]
        );
        assert_eq!(
            plan(EventAction::Reject, &facts(Kind::Recommendation, Status::Received)),
            [ClockEffect::MeetAll, ClockEffect::Note(ClockId::RefusalNotice)]
        );
        assert_eq!(
            plan(EventAction::Reject, &facts(Kind::Complaint, Status::Received)),
            [ClockEffect::MeetAll]
        );
        assert_eq!(
            plan(EventAction::Withdraw, &facts(Kind::Complaint, Status::Suspended)),
            [ClockEffect::StopAll, ClockEffect::Note(ClockId::ComplaintSuspensionSend)]
        );
        assert_eq!(
            plan(EventAction::Withdraw, &facts(Kind::Complaint, Status::Received)),
            [ClockEffect::StopAll]
        );
    }

    #[test]
    fn suspension_pauses_and_resolution_starts_the_notices() {
        assert_eq!(
            plan(EventAction::Suspend, &facts(Kind::Denunciation, Status::Accepted)),
            [ClockEffect::Pause, ClockEffect::Note(ClockId::DenunciationSuspensionSend)]
        );
        assert_eq!(
            plan(EventAction::Resume, &facts(Kind::Complaint, Status::Suspended)),
            [ClockEffect::Resume]
        );
        assert_eq!(
            plan(EventAction::Resolve, &facts(Kind::Complaint, Status::Accepted)),
            [
                ClockEffect::MeetAll,
                ClockEffect::Note(ClockId::ComplaintDecisionSend1),
                ClockEffect::Note(ClockId::ComplaintSecondFiling)
            ]
        );
        let mut copy = facts(Kind::Recommendation, Status::Accepted);
        copy.origin = Some(OriginRelation::ForwardedFrom);
        assert_eq!(
            plan(EventAction::Resolve, &copy),
            [ClockEffect::MeetAll, ClockEffect::MetAtOnce(ClockId::ForwardedResultReport)]
        );
        assert_eq!(
            plan(EventAction::ForwardResult, &facts(Kind::Recommendation, Status::Forwarded)),
            [ClockEffect::Note(ClockId::ForwardedResultRelay)]
        );
        assert!(resolution_clock(Kind::Feedback, 1).is_none());
    }
}
