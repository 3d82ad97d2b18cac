//! Which step of the workflow starts, meets, pauses, resumes or ends which statutory clock: the
//! "Starts at" column of domain.md §8 read from the side of the steps, as data beside the limits of
//! [`super::rules`].
//!
//! [`STEP_CLOCKS`] holds one row per (step, kind of case) the law gives a clock to; [`plan`] gathers
//! the effects of the rows that apply to a case, in table order, and the services apply them (the
//! order matters: a step meets the clocks it fulfils before it starts the next ones). A step no row
//! names (assigning a handler, reopening, which registers a new linked case) moves no clock.
//!
//! Each row is tested on its own (`row_<name>` in `tests.rs`), against §8's source and "Starts at"; a clock
//! a step starts must be one whose rule says it starts at that step ([`Step::starts`]), in both rule
//! sets.

use super::rules::{ClockId, StartEvent};
use crate::domain::petition::{Action, Channel, Kind, OriginRelation, Status};

/// A step of the workflow that may move clocks: the actions of `POST /petitions/{id}/actions`, the
/// registration of a petition, and the return of a forwarded case's result to the case it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    /// The petition is registered (any channel, and the cases a step derives from another).
    Receive,
    /// A workflow action.
    Act(Action),
    /// The agency a case was forwarded to resolved it: its result reached the forwarding case.
    ResultReturned,
}

impl Step {
    /// The events whose date may start the clocks this step starts (the rule's `starts_at`).
    pub fn starts(self) -> &'static [StartEvent] {
        match self {
            Step::Receive => &[StartEvent::Receipt],
            Step::Act(Action::Accept) => &[StartEvent::Acceptance],
            Step::Act(Action::Reject) => &[StartEvent::GroundsEstablished],
            // A suspension decision, or the termination decision a whole withdrawal leads to.
            Step::Act(Action::Suspend | Action::Withdraw) => &[StartEvent::Issue],
            // A termination decision: sent from its issue, and the complainant's window from its
            // notice.
            Step::Act(Action::Terminate) => &[StartEvent::Issue, StartEvent::TerminationNotice],
            // The decision or conclusion is issued; for the complainant it is the first decision;
            // for the forwarding body, the forwarded case's resolution.
            Step::Act(Action::Resolve) => {
                &[StartEvent::Issue, StartEvent::FirstDecisionOrDeadline, StartEvent::Resolution]
            }
            Step::ResultReturned => &[StartEvent::ReportReceived],
            Step::Act(_) => &[],
        }
    }
}

/// What a step does to clocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    /// Starts a clock on the step's date; it can make the case overdue. A notice duty
    /// ([`crate::domain::notice::NOTICE_DUTIES`]) runs until its notices are recorded as sent.
    Start(ClockId),
    /// Records a clock on the step's date for information: a duty to publish, or a period that
    /// runs for the citizen. Shown and recomputed, never overdue.
    Inform(ClockId),
    /// Records a duty the register fulfils as the step happens: a clock met on the day it starts.
    MetAtOnce(ClockId),
    /// Records a duty whose period ran from the case's receipt, met on the step's date (late
    /// when after its due date): only a step that does it shows it was owed (a denunciation
    /// forwarded out of competence, within 5 working days of its receipt).
    MetSinceReceipt(ClockId),
    /// The running clocks among these are met: the step did what they timed.
    Meet(&'static [ClockId]),
    /// Every running clock is met (but those an unsent notice still owes).
    MeetAll,
    /// Every running clock stops (but those an unsent notice still owes): the case left the path
    /// they timed.
    StopAll,
    /// The clocks a suspension stops are paused (each by its rule's pause mode).
    Pause,
    /// The paused clocks run again.
    Resume,
    /// The running clock is lengthened: an extension, or a complaint's complex finding.
    Lengthen(ClockId),
}

/// Which rounds of a complaint a row applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Round {
    Any,
    /// The first round (giải quyết lần đầu).
    First,
    /// The second round (giải quyết lần hai) or later.
    Second,
}

/// How the case came to be, for a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Origin {
    Any,
    /// Received directly, not derived from another case of the register.
    Direct,
    /// Derived from another case this way.
    Is(OriginRelation),
    /// Anything but this.
    IsNot(OriginRelation),
}

/// When a row applies: every condition must hold (`None` and `Any` hold always).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct When {
    /// The kinds of case; empty means every kind.
    pub kinds: &'static [Kind],
    pub round: Round,
    pub origin: Origin,
    pub channel: Option<Channel>,
    /// Whether the case had been accepted (accepted or suspended) before the step.
    pub accepted: Option<bool>,
    /// Whether the step takes back only part of the petition (a partial withdrawal).
    pub partial: Option<bool>,
}

impl When {
    /// Every case.
    pub const ANY: When = When {
        kinds: &[],
        round: Round::Any,
        origin: Origin::Any,
        channel: None,
        accepted: None,
        partial: None,
    };

    /// Cases of these kinds.
    pub const fn kinds(kinds: &'static [Kind]) -> When {
        When { kinds, ..When::ANY }
    }

    /// … in this round.
    pub const fn round(mut self, round: Round) -> When {
        self.round = round;
        self
    }

    /// … that came to be this way.
    pub const fn origin(mut self, origin: Origin) -> When {
        self.origin = origin;
        self
    }

    /// … that arrived by this channel.
    pub const fn channel(mut self, channel: Channel) -> When {
        self.channel = Some(channel);
        self
    }

    /// … accepted (or not) before the step.
    pub const fn accepted(mut self, accepted: bool) -> When {
        self.accepted = Some(accepted);
        self
    }

    /// … taken back in whole (`false`) or in part (`true`).
    pub const fn partial(mut self, partial: bool) -> When {
        self.partial = Some(partial);
        self
    }

    /// Whether the row applies to a case with `facts`.
    pub fn holds(&self, facts: &StepFacts) -> bool {
        let kind = self.kinds.is_empty() || self.kinds.contains(&facts.kind);
        let round = match self.round {
            Round::Any => true,
            Round::First => facts.round < 2,
            Round::Second => facts.round >= 2,
        };
        let origin = match self.origin {
            Origin::Any => true,
            Origin::Direct => facts.origin.is_none(),
            Origin::Is(relation) => facts.origin == Some(relation),
            Origin::IsNot(relation) => facts.origin != Some(relation),
        };
        let channel = self.channel.is_none_or(|c| c == facts.channel);
        let was_accepted = matches!(facts.status, Status::Accepted | Status::Suspended);
        let accepted = self.accepted.is_none_or(|a| a == was_accepted);
        let partial = self.partial.is_none_or(|p| p == facts.partial);
        kind && round && origin && channel && accepted && partial
    }
}

/// The facts of a case a row looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepFacts {
    pub kind: Kind,
    pub round: i32,
    pub channel: Channel,
    /// How it was derived from another case of the register, if it was.
    pub origin: Option<OriginRelation>,
    /// The status before the step.
    pub status: Status,
    /// A withdrawal of part of the petition.
    pub partial: bool,
}

/// One row of the table: a step, the cases it concerns, what it does to their clocks, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepRow {
    /// A stable name; the row's test is `row_<name>`.
    pub name: &'static str,
    pub step: Step,
    pub when: When,
    pub effects: &'static [Effect],
    /// The legal source as officials cite it, in Vietnamese.
    pub source: &'static str,
}

/// The clocks a receipt starts, met by the first decision on the petition.
pub const RECEIPT_CLOCKS: &[ClockId] = &[
    ClockId::ComplaintAcceptance,
    ClockId::DenunciationIntake,
    ClockId::ReceptionNotice,
    ClockId::UnhandledAlarm,
    ClockId::FurtherDenunciationReview,
    ClockId::DenunciationForwardedResult,
];

use Action as A;
use ClockId as C;
use Effect as E;
use Kind as K;

const COMPLAINT: &[Kind] = &[K::Complaint];
const DENUNCIATION: &[Kind] = &[K::Denunciation];
const RECOMMENDATION: &[Kind] = &[K::Recommendation, K::Feedback];

/// The law's step-to-clock table.
pub const STEP_CLOCKS: &[StepRow] = &[
    // Receipt (domain.md §4, §5, §6, §7).
    StepRow {
        name: "receive_complaint",
        step: Step::Receive,
        when: When::kinds(COMPLAINT),
        effects: &[E::Start(C::ComplaintAcceptance)],
        source: "Luật Khiếu nại 2011, Điều 27; Nghị định 124/2020/NĐ-CP, Điều 16 khoản 1",
    },
    StepRow {
        name: "receive_denunciation",
        step: Step::Receive,
        when: When::kinds(DENUNCIATION).round(Round::First),
        effects: &[E::Start(C::DenunciationIntake)],
        source: "Luật Tố cáo 2018, Điều 24 khoản 1",
    },
    // A further denunciation (tố cáo tiếp): made by reopening a concluded one, or brought directly
    // with the earlier conclusion (`round` 2).
    StepRow {
        name: "receive_further_denunciation",
        step: Step::Receive,
        when: When::kinds(DENUNCIATION).round(Round::Second),
        effects: &[E::Start(C::FurtherDenunciationReview)],
        source: "Luật Tố cáo 2018, Điều 37 khoản 2",
    },
    StepRow {
        name: "receive_forwarded_denunciation",
        step: Step::Receive,
        when: When::kinds(DENUNCIATION).origin(Origin::Direct).channel(Channel::Forwarded),
        effects: &[E::Start(C::DenunciationForwardedResult)],
        source: "Luật Tố cáo 2018, Điều 26 khoản 2",
    },
    StepRow {
        name: "receive_recommendation",
        step: Step::Receive,
        when: When::kinds(RECOMMENDATION),
        effects: &[E::Start(C::ReceptionNotice), E::Start(C::RecommendationResolution)],
        source: "Luật Tiếp công dân 2013, Điều 26 khoản 2, Điều 28 khoản 1",
    },
    StepRow {
        name: "receive_any",
        step: Step::Receive,
        when: When::ANY,
        effects: &[E::Start(C::UnhandledAlarm)],
        source: "Nghị định 154/2026/NĐ-CP, Điều 41 khoản 3 điểm b",
    },
    // The first decision on a petition meets the receipt's clocks.
    StepRow {
        name: "accept_any",
        step: Step::Act(A::Accept),
        when: When::ANY,
        effects: &[E::Meet(RECEIPT_CLOCKS)],
        source: "Luật Tiếp công dân 2013, Điều 28 khoản 1",
    },
    StepRow {
        name: "accept_complaint_first_round",
        step: Step::Act(A::Accept),
        when: When::kinds(COMPLAINT).round(Round::First),
        effects: &[E::Start(C::ComplaintResolution1)],
        source: "Luật Khiếu nại 2011, Điều 28",
    },
    StepRow {
        name: "accept_complaint_second_round",
        step: Step::Act(A::Accept),
        when: When::kinds(COMPLAINT).round(Round::Second),
        effects: &[E::Start(C::ComplaintResolution2)],
        source: "Luật Khiếu nại 2011, Điều 37",
    },
    StepRow {
        name: "accept_denunciation",
        step: Step::Act(A::Accept),
        when: When::kinds(DENUNCIATION),
        effects: &[E::Start(C::DenunciationResolution), E::Start(C::DenunciationAcceptanceNotice)],
        source: "Luật Tố cáo 2018, Điều 29 khoản 3, Điều 30",
    },
    StepRow {
        name: "reject_any",
        step: Step::Act(A::Reject),
        when: When::ANY,
        effects: &[E::MeetAll],
        source: "Luật Tiếp công dân 2013, Điều 28 khoản 1; Luật Khiếu nại 2011, Điều 27",
    },
    StepRow {
        name: "reject_recommendation",
        step: Step::Act(A::Reject),
        when: When::kinds(RECOMMENDATION),
        effects: &[E::Start(C::RefusalNotice)],
        source: "Nghị định 154/2026/NĐ-CP, Điều 4 khoản 1 điểm h, khoản 3",
    },
    StepRow {
        name: "guide_any",
        step: Step::Act(A::Guide),
        when: When::ANY,
        effects: &[E::MeetAll],
        source: "Luật Tiếp công dân 2013, Điều 26 khoản 1 điểm b",
    },
    StepRow {
        name: "forward_any",
        step: Step::Act(A::Forward),
        when: When::ANY,
        effects: &[E::MeetAll],
        source: "Luật Tiếp công dân 2013, Điều 26 khoản 2 điểm b; Luật Tố cáo 2018, Điều 24 khoản 2",
    },
    StepRow {
        name: "forward_denunciation",
        step: Step::Act(A::Forward),
        when: When::kinds(DENUNCIATION),
        effects: &[E::MetSinceReceipt(C::DenunciationForward)],
        source: "Luật Tố cáo 2018, Điều 24 khoản 2",
    },
    StepRow {
        name: "urge_any",
        step: Step::Act(A::Urge),
        when: When::ANY,
        effects: &[E::MeetAll],
        source: "Luật Tiếp công dân 2013, Điều 26 khoản 1 điểm b; Nghị định 154/2026/NĐ-CP, Điều 15 khoản 3",
    },
    StepRow {
        name: "archive_any",
        step: Step::Act(A::Archive),
        when: When::ANY,
        effects: &[E::MeetAll],
        source: "Thông tư 05/2021/TT-TTCP, Điều 28",
    },
    // An anonymous denunciation with a clear violator and evidence feeds an inspection: the
    // intake is done, and nothing is resolved (no resolution clock).
    StepRow {
        name: "record_lead_denunciation",
        step: Step::Act(A::RecordLead),
        when: When::kinds(DENUNCIATION),
        effects: &[E::MeetAll],
        source: "Luật Tố cáo 2018, Điều 25 khoản 2",
    },
    // Several places to verify, or a delegated intake: 7 working days become at most 10.
    StepRow {
        name: "extend_intake_denunciation",
        step: Step::Act(A::ExtendIntake),
        when: When::kinds(DENUNCIATION),
        effects: &[E::Lengthen(C::DenunciationIntake)],
        source: "Luật Tố cáo 2018, Điều 24 khoản 1",
    },
    // A termination decision (đình chỉ) ends the resolution; it is sent like a suspension, and a
    // complainant may resume within 30 days of its notice.
    StepRow {
        name: "terminate_any",
        step: Step::Act(A::Terminate),
        when: When::ANY,
        effects: &[E::StopAll],
        source: "Luật Khiếu nại 2011, Điều 11a; Luật Tố cáo 2018, Điều 34",
    },
    StepRow {
        name: "terminate_complaint",
        step: Step::Act(A::Terminate),
        when: When::kinds(COMPLAINT),
        effects: &[E::Start(C::ComplaintSuspensionSend), E::Inform(C::ComplaintResumeWindow)],
        source: "Nghị định 124/2020/NĐ-CP, Điều 28a; Luật Khiếu nại 2011, Điều 11 khoản 8",
    },
    StepRow {
        name: "terminate_denunciation",
        step: Step::Act(A::Terminate),
        when: When::kinds(DENUNCIATION),
        effects: &[E::Start(C::DenunciationSuspensionSend)],
        source: "Luật Tố cáo 2018, Điều 34 khoản 4",
    },
    // Each content goes on as a petition of its own, with its own receipt.
    StepRow {
        name: "split_any",
        step: Step::Act(A::Split),
        when: When::ANY,
        effects: &[E::StopAll],
        source: "Luật Tiếp công dân 2013, Điều 25 khoản 3; Nghị định 154/2026/NĐ-CP, Điều 14 khoản 4",
    },
    StepRow {
        name: "extend_complaint_first_round",
        step: Step::Act(A::Extend),
        when: When::kinds(COMPLAINT).round(Round::First),
        effects: &[E::Lengthen(C::ComplaintResolution1)],
        source: "Luật Khiếu nại 2011, Điều 28",
    },
    StepRow {
        name: "extend_complaint_second_round",
        step: Step::Act(A::Extend),
        when: When::kinds(COMPLAINT).round(Round::Second),
        effects: &[E::Lengthen(C::ComplaintResolution2)],
        source: "Luật Khiếu nại 2011, Điều 37",
    },
    StepRow {
        name: "extend_denunciation",
        step: Step::Act(A::Extend),
        when: When::kinds(DENUNCIATION),
        effects: &[E::Lengthen(C::DenunciationResolution)],
        source: "Luật Tố cáo 2018, Điều 30; Nghị định 31/2019/NĐ-CP, Điều 3",
    },
    StepRow {
        name: "suspend_complaint",
        step: Step::Act(A::Suspend),
        when: When::kinds(COMPLAINT),
        effects: &[E::Pause, E::Start(C::ComplaintSuspensionSend)],
        source: "Nghị định 124/2020/NĐ-CP, Điều 28a, Điều 28b",
    },
    StepRow {
        name: "suspend_denunciation",
        step: Step::Act(A::Suspend),
        when: When::kinds(DENUNCIATION),
        effects: &[E::Pause, E::Start(C::DenunciationSuspensionSend)],
        source: "Luật Tố cáo 2018, Điều 34 khoản 2, khoản 4",
    },
    StepRow {
        name: "resume_any",
        step: Step::Act(A::Resume),
        when: When::ANY,
        effects: &[E::Resume],
        source: "Nghị định 124/2020/NĐ-CP, Điều 28b; Luật Tố cáo 2018, Điều 34 khoản 2",
    },
    StepRow {
        name: "withdraw_whole",
        step: Step::Act(A::Withdraw),
        when: When::ANY.partial(false),
        effects: &[E::StopAll],
        source: "Luật Khiếu nại 2011, Điều 10; Luật Tố cáo 2018, Điều 33",
    },
    // Everything withdrawn after acceptance ends the resolution by a termination decision
    // (đình chỉ), sent like a suspension.
    StepRow {
        name: "withdraw_whole_accepted_complaint",
        step: Step::Act(A::Withdraw),
        when: When::kinds(COMPLAINT).partial(false).accepted(true),
        effects: &[E::Start(C::ComplaintSuspensionSend)],
        source: "Nghị định 124/2020/NĐ-CP, Điều 7a, Điều 28a",
    },
    StepRow {
        name: "withdraw_whole_accepted_denunciation",
        step: Step::Act(A::Withdraw),
        when: When::kinds(DENUNCIATION).partial(false).accepted(true),
        effects: &[E::Start(C::DenunciationSuspensionSend)],
        source: "Luật Tố cáo 2018, Điều 33, Điều 34 khoản 4",
    },
    StepRow {
        name: "resolve_any",
        step: Step::Act(A::Resolve),
        when: When::ANY,
        effects: &[E::MeetAll],
        source: "Luật Khiếu nại 2011, Điều 28, Điều 37; Luật Tố cáo 2018, Điều 30",
    },
    StepRow {
        name: "resolve_complaint_first_round",
        step: Step::Act(A::Resolve),
        when: When::kinds(COMPLAINT).round(Round::First),
        effects: &[
            E::Start(C::ComplaintDecisionSend1),
            E::Inform(C::ComplaintSecondFiling),
            E::Inform(C::ComplaintDecisionEffect),
        ],
        source: "Luật Khiếu nại 2011, Điều 32, Điều 33 khoản 1, Điều 44",
    },
    StepRow {
        name: "resolve_complaint_second_round",
        step: Step::Act(A::Resolve),
        when: When::kinds(COMPLAINT).round(Round::Second),
        effects: &[E::Start(C::ComplaintDecisionSend2)],
        source: "Luật Khiếu nại 2011, Điều 41 khoản 1, 2",
    },
    StepRow {
        name: "resolve_denunciation",
        step: Step::Act(A::Resolve),
        when: When::kinds(DENUNCIATION),
        effects: &[E::Inform(C::DenunciationPublication)],
        source: "Luật Tố cáo 2018, Điều 40 khoản 1",
    },
    // A petition forwarded here by deputies, a reception board or another body outside the
    // register: its result is reported back to the sender within 7 working days.
    StepRow {
        name: "resolve_forwarded_in",
        step: Step::Act(A::Resolve),
        when: When::ANY.origin(Origin::Direct).channel(Channel::Forwarded),
        effects: &[E::Inform(C::ForwardedResultReport)],
        source: "Luật Tiếp công dân 2013, Điều 27 khoản 2",
    },
    // The result of a case forwarded here flows back at once: the report to the forwarding agency.
    StepRow {
        name: "resolve_forwarded_copy",
        step: Step::Act(A::Resolve),
        when: When::ANY.origin(Origin::Is(OriginRelation::ForwardedFrom)),
        effects: &[E::MetAtOnce(C::ForwardedResultReport)],
        source: "Luật Tiếp công dân 2013, Điều 27 khoản 2",
    },
    // … and the forwarding agency owes the citizen the result.
    StepRow {
        name: "result_returned_any",
        step: Step::ResultReturned,
        when: When::ANY,
        effects: &[E::Inform(C::ForwardedResultRelay)],
        source: "Luật Tiếp công dân 2013, Điều 28 khoản 2",
    },
];

/// The effects of `step` on a case with `facts`: those of every row that applies, in table order.
pub fn plan(step: Step, facts: &StepFacts) -> Vec<Effect> {
    STEP_CLOCKS
        .iter()
        .filter(|row| row.step == step && row.when.holds(facts))
        .flat_map(|row| row.effects.iter().copied())
        .collect()
}

/// The clocks among `effects` that the step records starting on its own date (started, informed,
/// met at once); a clock met since the receipt started at the receipt ([`since_receipt`]).
pub fn clocks_recorded(effects: &[Effect]) -> impl Iterator<Item = ClockId> + '_ {
    effects.iter().filter_map(|e| match e {
        Effect::Start(c) | Effect::Inform(c) | Effect::MetAtOnce(c) => Some(*c),
        _ => None,
    })
}

/// The clocks among `effects` recorded as running from the case's receipt.
pub fn since_receipt(effects: &[Effect]) -> impl Iterator<Item = ClockId> + '_ {
    effects.iter().filter_map(|e| match e {
        Effect::MetSinceReceipt(c) => Some(*c),
        _ => None,
    })
}

#[cfg(test)]
mod tests;
