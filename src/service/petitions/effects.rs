//! The one place where a step of a case touches its statutory clocks. What each step starts,
//! informs, meets, pauses, resumes, lengthens or stops is the law's step table
//! ([`steps::plan`], domain.md §8); [`apply`] does it to the stored clocks. The steps name no
//! clock: they ask for their plan.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::{
    domain::{
        calendar::Calendar,
        deadline::{
            ClockId, ClockResult, ClockState, Complexity, RuleSetId,
            steps::{self, Effect, Step, StepFacts},
        },
    },
    entity::{deadline, petition},
    error::{AppError, AppResult},
    service::deadlines,
};

/// The facts of a stored petition the step table looks at, for a step that takes back part of it
/// (`partial`) or not.
pub fn facts_of(case: &petition::Model, partial: bool) -> StepFacts {
    StepFacts {
        kind: case.kind,
        round: case.round,
        channel: case.channel,
        origin: case.origin_relation,
        status: case.status,
        partial,
    }
}

/// The clock effects of `step` on the petition `case`, as it stands before the step.
pub fn plan(step: Step, case: &petition::Model) -> Vec<Effect> {
    steps::plan(step, &facts_of(case, false))
}

/// The petition whose clocks a step touches, with what its new clocks are counted on: its rule
/// set, complexity and remoteness.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockBasis {
    pub id: i64,
    pub rule_set: RuleSetId,
    /// The day the case was received (where a clock met since the receipt started).
    pub received_on: NaiveDate,
    /// The complexity a running clock starts with.
    pub complexity: Complexity,
    pub remote_area: bool,
}

impl ClockBasis {
    /// A stored petition as it stands.
    pub fn of(case: &petition::Model) -> Self {
        Self {
            id: case.id,
            rule_set: case.rule_set,
            received_on: case.received_on,
            complexity: case.complexity,
            remote_area: case.remote_area,
        }
    }
}

/// How an extension lengthens the clock its step names ([`Effect::Lengthen`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lengthening {
    /// By the days granted, recording the case's complexity finding (a denunciation), within the
    /// caps of the clock's rule.
    Days { days: u32, complexity: Complexity },
    /// To the longer limit the law sets for the complexity found (a complaint).
    Complexity(Complexity),
}

/// A clock a step recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Started {
    pub clock: ClockId,
    pub due: NaiveDate,
    /// Running, informational, or met at once.
    pub state: ClockState,
}

/// A running clock a step lengthened.
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
    /// The running clocks lengthened.
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

    /// Adds the notice clocks the step started (the duties to send its notices, and the
    /// informational ones) to its trail's `details`, as `clocks_started`, when there is one.
    pub fn note_notices(&self, details: &mut Value) {
        let notices: Vec<Value> = self
            .started
            .iter()
            .filter(|s| {
                s.state == ClockState::Informational
                    || (s.state == ClockState::Running
                        && crate::domain::notice::NOTICE_DUTIES.contains(&s.clock))
            })
            .map(|s| json!({"clock": s.clock, "due": s.due}))
            .collect();
        if !notices.is_empty() {
            details["clocks_started"] = json!(notices);
        }
    }
}

/// Does `effects` to the clocks of the petition `basis`, on the step's date `on`, in order. A
/// clock is lengthened as `lengthening` says: an extension's plan comes with it.
pub async fn apply(
    db: &impl ConnectionTrait,
    basis: &ClockBasis,
    effects: &[Effect],
    lengthening: Option<Lengthening>,
    on: NaiveDate,
    cal: &Calendar,
    now: DateTime<Utc>,
) -> AppResult<Applied> {
    let mut applied = Applied::default();
    let (id, rule_set) = (basis.id, &basis.rule_set);
    for effect in effects {
        match *effect {
            Effect::Start(clock) => {
                let (complexity, remote) = (basis.complexity, basis.remote_area);
                let row = deadlines::start(db, id, clock, rule_set, on, complexity, remote, cal, now).await?;
                applied.started.push(started(clock, &row));
            }
            Effect::Inform(clock) => {
                let row = deadlines::note(db, id, clock, rule_set, on, basis.remote_area, cal, now).await?;
                applied.started.push(started(clock, &row));
            }
            Effect::MetAtOnce(clock) => {
                let row = deadlines::met_at_once(db, id, clock, rule_set, on, on, cal, now).await?;
                applied.started.push(started(clock, &row));
            }
            Effect::MetSinceReceipt(clock) => {
                let since = basis.received_on;
                let row = deadlines::met_at_once(db, id, clock, rule_set, since, on, cal, now).await?;
                applied.started.push(started(clock, &row));
            }
            Effect::Meet(clocks) => deadlines::end(db, id, clocks, ClockState::Met, on, now).await?,
            Effect::MeetAll => deadlines::end(db, id, &[], ClockState::Met, on, now).await?,
            Effect::StopAll => deadlines::end(db, id, &[], ClockState::Stopped, on, now).await?,
            Effect::Pause => deadlines::pause(db, id, on, cal, now).await?,
            Effect::Resume => deadlines::resume(db, id, on, cal, now).await?,
            Effect::Lengthen(clock) => {
                let how = lengthening
                    .ok_or_else(|| AppError::internal(format!("{clock} lengthened by nothing")))?;
                let before = deadlines::running_clock(db, id, clock).await?;
                let result = match how {
                    Lengthening::Days { days, complexity } => {
                        deadlines::extend(db, id, clock, days, complexity, cal, now).await?
                    }
                    Lengthening::Complexity(complexity) => {
                        deadlines::reclassify(db, id, clock, complexity, cal, now).await?
                    }
                };
                let limit_before = u32::try_from(before.limit_days).unwrap_or(0);
                applied.changed.push(Changed { clock, limit_before, result });
            }
        }
    }
    Ok(applied)
}

fn started(clock: ClockId, row: &deadline::Model) -> Started {
    Started { clock, due: row.due_on, state: row.state }
}

/// The effects the register applied by hand before the step table was data, step by step: the
/// table must keep giving them, in the same order (the order clocks are recorded is the order a
/// case's view lists them, and what its trail says each step started).
#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::petition::{Action, Channel, Kind, OriginRelation, Status};

    fn facts(kind: Kind, status: Status) -> StepFacts {
        StepFacts { kind, channel: Channel::Post, round: 1, origin: None, status, partial: false }
    }

    fn act(action: Action, facts: &StepFacts) -> Vec<Effect> {
        steps::plan(Step::Act(action), facts)
    }

    #[test]
    fn receipt_starts_the_kind_s_clocks_and_the_alarm() {
        let starts = |f: StepFacts| steps::plan(Step::Receive, &f);
        use ClockId as C;
        use Effect::Start;
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
        forwarded.round = 2;
        assert_eq!(starts(forwarded), [Start(C::FurtherDenunciationReview), Start(C::UnhandledAlarm)]);
    }

    #[test]
    fn acceptance_meets_receipt_and_starts_resolution() {
        let complaint = act(Action::Accept, &facts(Kind::Complaint, Status::Received));
        assert_eq!(
            complaint,
            [Effect::Meet(steps::RECEIPT_CLOCKS), Effect::Start(ClockId::ComplaintResolution1)]
        );
        let mut second = facts(Kind::Complaint, Status::Received);
        second.round = 2;
        assert_eq!(act(Action::Accept, &second)[1], Effect::Start(ClockId::ComplaintResolution2));
        assert_eq!(
            act(Action::Accept, &facts(Kind::Denunciation, Status::Received))[1..],
            [
                Effect::Start(ClockId::DenunciationResolution),
                Effect::Start(ClockId::DenunciationAcceptanceNotice)
            ]
        );
        assert_eq!(act(Action::Accept, &facts(Kind::Feedback, Status::Received)).len(), 1);
    }

    #[test]
    fn closing_steps_meet_or_stop_the_running_clocks() {
        for action in [Action::Guide, Action::Forward, Action::Urge, Action::Archive] {
            assert_eq!(act(action, &facts(Kind::Complaint, Status::Received)), [Effect::MeetAll]);
        }
        assert_eq!(act(Action::Split, &facts(Kind::Complaint, Status::Received)), [Effect::StopAll]);
        assert_eq!(
            act(Action::Reject, &facts(Kind::Recommendation, Status::Received)),
            [Effect::MeetAll, Effect::Start(ClockId::RefusalNotice)]
        );
        assert_eq!(act(Action::Reject, &facts(Kind::Complaint, Status::Received)), [Effect::MeetAll]);
        assert_eq!(
            act(Action::Withdraw, &facts(Kind::Complaint, Status::Suspended)),
            [Effect::StopAll, Effect::Start(ClockId::ComplaintSuspensionSend)]
        );
        assert_eq!(act(Action::Withdraw, &facts(Kind::Complaint, Status::Received)), [Effect::StopAll]);
        let mut partial = facts(Kind::Complaint, Status::Accepted);
        partial.partial = true;
        assert_eq!(act(Action::Withdraw, &partial), [], "a partial withdrawal moves no clock");
    }

    #[test]
    fn suspension_pauses_extension_lengthens_and_resolution_starts_the_notices() {
        assert_eq!(
            act(Action::Suspend, &facts(Kind::Denunciation, Status::Accepted)),
            [Effect::Pause, Effect::Start(ClockId::DenunciationSuspensionSend)]
        );
        assert_eq!(act(Action::Resume, &facts(Kind::Complaint, Status::Suspended)), [Effect::Resume]);
        assert_eq!(
            act(Action::Extend, &facts(Kind::Complaint, Status::Accepted)),
            [Effect::Lengthen(ClockId::ComplaintResolution1)]
        );
        assert_eq!(act(Action::Extend, &facts(Kind::Feedback, Status::Accepted)), []);
        assert_eq!(
            act(Action::Resolve, &facts(Kind::Complaint, Status::Accepted)),
            [
                Effect::MeetAll,
                Effect::Start(ClockId::ComplaintDecisionSend1),
                Effect::Inform(ClockId::ComplaintSecondFiling),
                Effect::Inform(ClockId::ComplaintDecisionEffect)
            ]
        );
        let mut copy = facts(Kind::Recommendation, Status::Accepted);
        copy.origin = Some(OriginRelation::ForwardedFrom);
        assert_eq!(
            act(Action::Resolve, &copy),
            [Effect::MeetAll, Effect::MetAtOnce(ClockId::ForwardedResultReport)]
        );
        assert_eq!(
            steps::plan(Step::ResultReturned, &facts(Kind::Recommendation, Status::Forwarded)),
            [Effect::Inform(ClockId::ForwardedResultRelay)]
        );
        for action in [Action::Assign, Action::Reopen] {
            assert_eq!(act(action, &facts(Kind::Complaint, Status::Resolved)), []);
        }
    }
}
