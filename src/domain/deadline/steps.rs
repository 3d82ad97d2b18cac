//! Which step of the workflow starts, meets, pauses, resumes or ends which statutory clock: the
//! "Starts at" column of domain.md §8 read from the side of the steps, as data beside the limits of
//! [`super::rules`].
//!
//! [`STEP_CLOCKS`] holds one row per (step, kind of case) the law gives a clock to; [`plan`] gathers
//! the effects of the rows that apply to a case, in table order, and the services apply them (the
//! order matters: a step meets the clocks it fulfils before it starts the next ones). A step no row
//! names (assigning a handler, reopening, which registers a new linked case) moves no clock.
//!
//! Each row is tested on its own below (`row_<name>`), against §8's source and "Starts at"; a clock
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
    /// Starts a clock on the step's date; it can make the case overdue.
    Start(ClockId),
    /// Records a clock on the step's date for information: a duty to send a notice or publish, or
    /// a period that runs for the citizen. Shown and recomputed, never overdue.
    Inform(ClockId),
    /// Records a duty the register fulfils as the step happens: a clock met on the day it starts.
    MetAtOnce(ClockId),
    /// The running clocks among these are met: the step did what they timed.
    Meet(&'static [ClockId]),
    /// Every running clock is met.
    MeetAll,
    /// Every running clock stops: the case left the path they timed.
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
        when: When::kinds(DENUNCIATION).origin(Origin::IsNot(OriginRelation::FurtherDenunciationOf)),
        effects: &[E::Start(C::DenunciationIntake)],
        source: "Luật Tố cáo 2018, Điều 24 khoản 1",
    },
    StepRow {
        name: "receive_further_denunciation",
        step: Step::Receive,
        when: When::kinds(DENUNCIATION).origin(Origin::Is(OriginRelation::FurtherDenunciationOf)),
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
        effects: &[E::Start(C::DenunciationResolution), E::Inform(C::DenunciationAcceptanceNotice)],
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
        effects: &[E::Inform(C::RefusalNotice)],
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
        effects: &[E::Pause, E::Inform(C::ComplaintSuspensionSend)],
        source: "Nghị định 124/2020/NĐ-CP, Điều 28a, Điều 28b",
    },
    StepRow {
        name: "suspend_denunciation",
        step: Step::Act(A::Suspend),
        when: When::kinds(DENUNCIATION),
        effects: &[E::Pause, E::Inform(C::DenunciationSuspensionSend)],
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
        effects: &[E::Inform(C::ComplaintSuspensionSend)],
        source: "Nghị định 124/2020/NĐ-CP, Điều 7a, Điều 28a",
    },
    StepRow {
        name: "withdraw_whole_accepted_denunciation",
        step: Step::Act(A::Withdraw),
        when: When::kinds(DENUNCIATION).partial(false).accepted(true),
        effects: &[E::Inform(C::DenunciationSuspensionSend)],
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
        effects: &[E::Inform(C::ComplaintDecisionSend1), E::Inform(C::ComplaintSecondFiling)],
        source: "Luật Khiếu nại 2011, Điều 32, Điều 33 khoản 1",
    },
    StepRow {
        name: "resolve_complaint_second_round",
        step: Step::Act(A::Resolve),
        when: When::kinds(COMPLAINT).round(Round::Second),
        effects: &[E::Inform(C::ComplaintDecisionSend2)],
        source: "Luật Khiếu nại 2011, Điều 41 khoản 1, 2",
    },
    StepRow {
        name: "resolve_denunciation",
        step: Step::Act(A::Resolve),
        when: When::kinds(DENUNCIATION),
        effects: &[E::Inform(C::DenunciationPublication)],
        source: "Luật Tố cáo 2018, Điều 40 khoản 1",
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

/// The clocks among `effects` that the step records (started, informed, met at once).
pub fn clocks_recorded(effects: &[Effect]) -> impl Iterator<Item = ClockId> + '_ {
    effects.iter().filter_map(|e| match e {
        Effect::Start(c) | Effect::Inform(c) | Effect::MetAtOnce(c) => Some(*c),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::deadline::rules::{RuleSetId, RuleTable};

    fn facts(kind: Kind) -> StepFacts {
        StepFacts {
            kind,
            round: 1,
            channel: Channel::Post,
            origin: None,
            status: Status::Received,
            partial: false,
        }
    }

    fn row(name: &str) -> &'static StepRow {
        STEP_CLOCKS.iter().find(|r| r.name == name).unwrap_or_else(|| panic!("no row {name}"))
    }

    /// Checks a row: its effects, its source, and that it applies to `applies` but not to `not`.
    #[track_caller]
    fn check(name: &str, effects: &[Effect], source: &str, applies: StepFacts, not: &[StepFacts]) {
        let r = row(name);
        assert_eq!(r.effects, effects, "{name}: effects");
        assert!(r.source.contains(source), "{name}: source {:?} should cite {source:?}", r.source);
        assert!(r.when.holds(&applies), "{name}: should apply to {applies:?}");
        for other in not {
            assert!(!r.when.holds(other), "{name}: should not apply to {other:?}");
        }
        let planned = plan(r.step, &applies);
        for e in effects {
            assert!(planned.contains(e), "{name}: plan {planned:?} lacks {e:?}");
        }
    }

    fn with(kind: Kind, f: impl FnOnce(&mut StepFacts)) -> StepFacts {
        let mut facts = facts(kind);
        f(&mut facts);
        facts
    }

    #[test]
    fn every_row_has_its_own_test_and_a_unique_name() {
        let source = include_str!("steps.rs");
        let mut names: Vec<&str> = STEP_CLOCKS.iter().map(|r| r.name).collect();
        for name in &names {
            assert!(source.contains(&format!("fn row_{name}()")), "row {name} has no test row_{name}");
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), STEP_CLOCKS.len(), "row names repeat");
    }

    #[test]
    fn every_clock_a_step_records_starts_at_that_step_in_both_rule_sets() {
        let table = RuleTable::builtin();
        for row in STEP_CLOCKS {
            for clock in clocks_recorded(row.effects) {
                for set in [RuleSetId::Law2013, RuleSetId::Law2026_07] {
                    let rule = table.rule(&set, clock).expect("every clock has a rule");
                    assert!(
                        row.step.starts().contains(&rule.starts_at),
                        "{}: {clock} starts at {:?}, not at {:?}",
                        row.name,
                        rule.starts_at,
                        row.step
                    );
                }
            }
        }
    }

    #[test]
    fn steps_without_rows_move_no_clock() {
        for action in [Action::Assign, Action::Reopen] {
            for kind in Kind::ALL {
                assert!(plan(Step::Act(action), &facts(*kind)).is_empty(), "{action} {kind}");
            }
        }
        let part = with(K::Complaint, |f| {
            f.status = Status::Accepted;
            f.partial = true;
        });
        assert!(plan(Step::Act(A::Withdraw), &part).is_empty(), "a partial withdrawal");
    }

    #[test]
    fn a_step_meets_before_it_starts() {
        let complaint = facts(K::Complaint);
        assert_eq!(
            plan(Step::Act(A::Accept), &complaint),
            [E::Meet(RECEIPT_CLOCKS), E::Start(C::ComplaintResolution1)]
        );
        let copy = with(K::Denunciation, |f| {
            f.origin = Some(OriginRelation::ForwardedFrom);
            f.status = Status::Accepted;
        });
        assert_eq!(
            plan(Step::Act(A::Resolve), &copy),
            [E::MeetAll, E::Inform(C::DenunciationPublication), E::MetAtOnce(C::ForwardedResultReport)]
        );
        assert_eq!(
            plan(Step::Receive, &with(K::Feedback, |_| {})),
            [
                E::Start(C::ReceptionNotice),
                E::Start(C::RecommendationResolution),
                E::Start(C::UnhandledAlarm)
            ]
        );
    }

    // One test per row (domain.md §8, with the row's source).

    #[test]
    fn row_receive_complaint() {
        check(
            "receive_complaint",
            &[E::Start(C::ComplaintAcceptance)],
            "Luật Khiếu nại 2011, Điều 27",
            facts(K::Complaint),
            &[facts(K::Denunciation), facts(K::Feedback)],
        );
    }

    #[test]
    fn row_receive_denunciation() {
        check(
            "receive_denunciation",
            &[E::Start(C::DenunciationIntake)],
            "Luật Tố cáo 2018, Điều 24 khoản 1",
            facts(K::Denunciation),
            &[
                facts(K::Complaint),
                with(K::Denunciation, |f| f.origin = Some(OriginRelation::FurtherDenunciationOf)),
            ],
        );
        // A denunciation forwarded from another agency of the register is taken in like any other.
        assert!(
            row("receive_denunciation")
                .when
                .holds(&with(K::Denunciation, |f| f.origin = Some(OriginRelation::ForwardedFrom)))
        );
    }

    #[test]
    fn row_receive_further_denunciation() {
        check(
            "receive_further_denunciation",
            &[E::Start(C::FurtherDenunciationReview)],
            "Luật Tố cáo 2018, Điều 37 khoản 2",
            with(K::Denunciation, |f| f.origin = Some(OriginRelation::FurtherDenunciationOf)),
            &[facts(K::Denunciation), with(K::Complaint, |f| f.origin = Some(OriginRelation::SecondRoundOf))],
        );
    }

    #[test]
    fn row_receive_forwarded_denunciation() {
        check(
            "receive_forwarded_denunciation",
            &[E::Start(C::DenunciationForwardedResult)],
            "Luật Tố cáo 2018, Điều 26 khoản 2",
            with(K::Denunciation, |f| f.channel = Channel::Forwarded),
            &[
                facts(K::Denunciation),
                with(K::Complaint, |f| f.channel = Channel::Forwarded),
                // A copy another agency of the register forwarded: its result flows back instead.
                with(K::Denunciation, |f| {
                    f.channel = Channel::Forwarded;
                    f.origin = Some(OriginRelation::ForwardedFrom);
                }),
            ],
        );
    }

    #[test]
    fn row_receive_recommendation() {
        check(
            "receive_recommendation",
            &[E::Start(C::ReceptionNotice), E::Start(C::RecommendationResolution)],
            "Luật Tiếp công dân 2013, Điều 26 khoản 2, Điều 28 khoản 1",
            facts(K::Recommendation),
            &[facts(K::Complaint), facts(K::Denunciation)],
        );
        assert!(row("receive_recommendation").when.holds(&facts(K::Feedback)));
    }

    #[test]
    fn row_receive_any() {
        check(
            "receive_any",
            &[E::Start(C::UnhandledAlarm)],
            "Nghị định 154/2026/NĐ-CP, Điều 41 khoản 3 điểm b",
            facts(K::Complaint),
            &[],
        );
        for kind in Kind::ALL {
            assert_eq!(plan(Step::Receive, &facts(*kind)).last(), Some(&E::Start(C::UnhandledAlarm)));
        }
    }

    #[test]
    fn row_accept_any() {
        check(
            "accept_any",
            &[E::Meet(RECEIPT_CLOCKS)],
            "Luật Tiếp công dân 2013, Điều 28 khoản 1",
            facts(K::Feedback),
            &[],
        );
        // The receipt's clocks are exactly those the receipt rows start.
        for kind in Kind::ALL {
            for origin in [None, Some(OriginRelation::FurtherDenunciationOf)] {
                for channel in [Channel::Post, Channel::Forwarded] {
                    let f = with(*kind, |f| {
                        f.origin = origin;
                        f.channel = channel;
                    });
                    for clock in clocks_recorded(&plan(Step::Receive, &f)) {
                        let met = RECEIPT_CLOCKS.contains(&clock);
                        let runs_on = clock == C::RecommendationResolution;
                        assert!(met || runs_on, "{clock} started at receipt is not met by a decision");
                    }
                }
            }
        }
    }

    #[test]
    fn row_accept_complaint_first_round() {
        check(
            "accept_complaint_first_round",
            &[E::Start(C::ComplaintResolution1)],
            "Luật Khiếu nại 2011, Điều 28",
            facts(K::Complaint),
            &[with(K::Complaint, |f| f.round = 2), facts(K::Denunciation)],
        );
    }

    #[test]
    fn row_accept_complaint_second_round() {
        check(
            "accept_complaint_second_round",
            &[E::Start(C::ComplaintResolution2)],
            "Luật Khiếu nại 2011, Điều 37",
            with(K::Complaint, |f| f.round = 2),
            &[facts(K::Complaint), with(K::Denunciation, |f| f.round = 2)],
        );
    }

    #[test]
    fn row_accept_denunciation() {
        check(
            "accept_denunciation",
            &[E::Start(C::DenunciationResolution), E::Inform(C::DenunciationAcceptanceNotice)],
            "Luật Tố cáo 2018, Điều 29 khoản 3, Điều 30",
            facts(K::Denunciation),
            &[facts(K::Complaint), facts(K::Recommendation)],
        );
        // Recommendations and feedback get no resolution clock at acceptance: theirs runs from receipt.
        assert_eq!(plan(Step::Act(A::Accept), &facts(K::Recommendation)), [E::Meet(RECEIPT_CLOCKS)]);
    }

    #[test]
    fn row_reject_any() {
        check("reject_any", &[E::MeetAll], "Luật Khiếu nại 2011, Điều 27", facts(K::Complaint), &[]);
    }

    #[test]
    fn row_reject_recommendation() {
        check(
            "reject_recommendation",
            &[E::Inform(C::RefusalNotice)],
            "Nghị định 154/2026/NĐ-CP, Điều 4 khoản 1 điểm h, khoản 3",
            facts(K::Feedback),
            &[facts(K::Complaint), facts(K::Denunciation)],
        );
    }

    #[test]
    fn row_guide_any() {
        check("guide_any", &[E::MeetAll], "Điều 26 khoản 1 điểm b", facts(K::Complaint), &[]);
    }

    #[test]
    fn row_forward_any() {
        check("forward_any", &[E::MeetAll], "Luật Tố cáo 2018, Điều 24 khoản 2", facts(K::Denunciation), &[]);
    }

    #[test]
    fn row_urge_any() {
        check(
            "urge_any",
            &[E::MeetAll],
            "Nghị định 154/2026/NĐ-CP, Điều 15 khoản 3",
            facts(K::Complaint),
            &[],
        );
    }

    #[test]
    fn row_archive_any() {
        check("archive_any", &[E::MeetAll], "Thông tư 05/2021/TT-TTCP, Điều 28", facts(K::Feedback), &[]);
    }

    #[test]
    fn row_split_any() {
        check(
            "split_any",
            &[E::StopAll],
            "Luật Tiếp công dân 2013, Điều 25 khoản 3",
            facts(K::Complaint),
            &[],
        );
    }

    #[test]
    fn row_extend_complaint_first_round() {
        let accepted = with(K::Complaint, |f| f.status = Status::Accepted);
        check(
            "extend_complaint_first_round",
            &[E::Lengthen(C::ComplaintResolution1)],
            "Luật Khiếu nại 2011, Điều 28",
            accepted,
            &[with(K::Complaint, |f| f.round = 2)],
        );
    }

    #[test]
    fn row_extend_complaint_second_round() {
        check(
            "extend_complaint_second_round",
            &[E::Lengthen(C::ComplaintResolution2)],
            "Luật Khiếu nại 2011, Điều 37",
            with(K::Complaint, |f| f.round = 2),
            &[facts(K::Complaint)],
        );
    }

    #[test]
    fn row_extend_denunciation() {
        check(
            "extend_denunciation",
            &[E::Lengthen(C::DenunciationResolution)],
            "Nghị định 31/2019/NĐ-CP, Điều 3",
            facts(K::Denunciation),
            &[facts(K::Complaint), facts(K::Feedback)],
        );
        assert!(plan(Step::Act(A::Extend), &facts(K::Recommendation)).is_empty());
    }

    #[test]
    fn row_suspend_complaint() {
        check(
            "suspend_complaint",
            &[E::Pause, E::Inform(C::ComplaintSuspensionSend)],
            "Nghị định 124/2020/NĐ-CP, Điều 28a",
            facts(K::Complaint),
            &[facts(K::Denunciation)],
        );
    }

    #[test]
    fn row_suspend_denunciation() {
        check(
            "suspend_denunciation",
            &[E::Pause, E::Inform(C::DenunciationSuspensionSend)],
            "Luật Tố cáo 2018, Điều 34 khoản 2, khoản 4",
            facts(K::Denunciation),
            &[facts(K::Complaint)],
        );
    }

    #[test]
    fn row_resume_any() {
        check("resume_any", &[E::Resume], "Luật Tố cáo 2018, Điều 34 khoản 2", facts(K::Denunciation), &[]);
    }

    #[test]
    fn row_withdraw_whole() {
        check(
            "withdraw_whole",
            &[E::StopAll],
            "Luật Tố cáo 2018, Điều 33",
            facts(K::Complaint),
            &[with(K::Complaint, |f| f.partial = true)],
        );
    }

    #[test]
    fn row_withdraw_whole_accepted_complaint() {
        let accepted = with(K::Complaint, |f| f.status = Status::Accepted);
        check(
            "withdraw_whole_accepted_complaint",
            &[E::Inform(C::ComplaintSuspensionSend)],
            "Nghị định 124/2020/NĐ-CP, Điều 7a",
            accepted,
            &[
                facts(K::Complaint),
                with(K::Complaint, |f| {
                    f.status = Status::Accepted;
                    f.partial = true;
                }),
            ],
        );
        assert!(
            row("withdraw_whole_accepted_complaint")
                .when
                .holds(&with(K::Complaint, |f| f.status = Status::Suspended))
        );
    }

    #[test]
    fn row_withdraw_whole_accepted_denunciation() {
        check(
            "withdraw_whole_accepted_denunciation",
            &[E::Inform(C::DenunciationSuspensionSend)],
            "Luật Tố cáo 2018, Điều 33, Điều 34 khoản 4",
            with(K::Denunciation, |f| f.status = Status::Suspended),
            &[facts(K::Denunciation), with(K::Recommendation, |f| f.status = Status::Accepted)],
        );
    }

    #[test]
    fn row_resolve_any() {
        check("resolve_any", &[E::MeetAll], "Luật Tố cáo 2018, Điều 30", facts(K::Recommendation), &[]);
    }

    #[test]
    fn row_resolve_complaint_first_round() {
        check(
            "resolve_complaint_first_round",
            &[E::Inform(C::ComplaintDecisionSend1), E::Inform(C::ComplaintSecondFiling)],
            "Luật Khiếu nại 2011, Điều 32, Điều 33 khoản 1",
            facts(K::Complaint),
            &[with(K::Complaint, |f| f.round = 2), facts(K::Denunciation)],
        );
    }

    #[test]
    fn row_resolve_complaint_second_round() {
        check(
            "resolve_complaint_second_round",
            &[E::Inform(C::ComplaintDecisionSend2)],
            "Luật Khiếu nại 2011, Điều 41",
            with(K::Complaint, |f| f.round = 2),
            &[facts(K::Complaint)],
        );
    }

    #[test]
    fn row_resolve_denunciation() {
        check(
            "resolve_denunciation",
            &[E::Inform(C::DenunciationPublication)],
            "Luật Tố cáo 2018, Điều 40 khoản 1",
            facts(K::Denunciation),
            &[facts(K::Complaint), facts(K::Feedback)],
        );
    }

    #[test]
    fn row_resolve_forwarded_copy() {
        check(
            "resolve_forwarded_copy",
            &[E::MetAtOnce(C::ForwardedResultReport)],
            "Luật Tiếp công dân 2013, Điều 27 khoản 2",
            with(K::Feedback, |f| f.origin = Some(OriginRelation::ForwardedFrom)),
            &[facts(K::Feedback), with(K::Complaint, |f| f.origin = Some(OriginRelation::SecondRoundOf))],
        );
    }

    #[test]
    fn row_result_returned_any() {
        check(
            "result_returned_any",
            &[E::Inform(C::ForwardedResultRelay)],
            "Luật Tiếp công dân 2013, Điều 28 khoản 2",
            with(K::Recommendation, |f| f.status = Status::Forwarded),
            &[],
        );
    }
}
