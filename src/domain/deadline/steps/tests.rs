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
    let source = include_str!("tests.rs");
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
fn every_clock_met_since_receipt_starts_at_receipt_in_both_rule_sets() {
    let table = RuleTable::builtin();
    for row in STEP_CLOCKS {
        for clock in since_receipt(row.effects) {
            for set in [RuleSetId::Law2013, RuleSetId::Law2026_07] {
                let rule = table.rule(&set, clock).expect("every clock has a rule");
                assert_eq!(rule.starts_at, StartEvent::Receipt, "{}: {clock}", row.name);
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
        [E::Start(C::ReceptionNotice), E::Start(C::RecommendationResolution), E::Start(C::UnhandledAlarm)]
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
        &[facts(K::Complaint), with(K::Denunciation, |f| f.round = 2)],
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
        with(K::Denunciation, |f| {
            f.round = 2;
            f.origin = Some(OriginRelation::FurtherDenunciationOf);
        }),
        &[facts(K::Denunciation), with(K::Complaint, |f| f.round = 2)],
    );
    // Brought directly with the earlier conclusion: the same clock.
    assert!(row("receive_further_denunciation").when.holds(&with(K::Denunciation, |f| f.round = 2)));
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
        &[E::Start(C::DenunciationResolution), E::Start(C::DenunciationAcceptanceNotice)],
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
        &[E::Start(C::RefusalNotice)],
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
fn row_forward_denunciation() {
    check(
        "forward_denunciation",
        &[E::MetSinceReceipt(C::DenunciationForward)],
        "Luật Tố cáo 2018, Điều 24 khoản 2",
        facts(K::Denunciation),
        &[facts(K::Recommendation), facts(K::Complaint)],
    );
}

#[test]
fn row_urge_any() {
    check("urge_any", &[E::MeetAll], "Nghị định 154/2026/NĐ-CP, Điều 15 khoản 3", facts(K::Complaint), &[]);
}

#[test]
fn row_archive_any() {
    check("archive_any", &[E::MeetAll], "Thông tư 05/2021/TT-TTCP, Điều 28", facts(K::Feedback), &[]);
}

#[test]
fn row_record_lead_denunciation() {
    check(
        "record_lead_denunciation",
        &[E::MeetAll],
        "Luật Tố cáo 2018, Điều 25 khoản 2",
        facts(K::Denunciation),
        &[facts(K::Complaint), facts(K::Feedback)],
    );
    assert!(
        !plan(Step::Act(A::RecordLead), &facts(K::Denunciation)).iter().any(|e| matches!(e, E::Start(_))),
        "a lead has no resolution clock"
    );
}

#[test]
fn row_split_any() {
    check("split_any", &[E::StopAll], "Luật Tiếp công dân 2013, Điều 25 khoản 3", facts(K::Complaint), &[]);
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
        &[E::Pause, E::Start(C::ComplaintSuspensionSend)],
        "Nghị định 124/2020/NĐ-CP, Điều 28a",
        facts(K::Complaint),
        &[facts(K::Denunciation)],
    );
}

#[test]
fn row_suspend_denunciation() {
    check(
        "suspend_denunciation",
        &[E::Pause, E::Start(C::DenunciationSuspensionSend)],
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
        &[E::Start(C::ComplaintSuspensionSend)],
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
        &[E::Start(C::DenunciationSuspensionSend)],
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
        &[
            E::Start(C::ComplaintDecisionSend1),
            E::Inform(C::ComplaintSecondFiling),
            E::Inform(C::ComplaintDecisionEffect),
        ],
        "Luật Khiếu nại 2011, Điều 32, Điều 33 khoản 1, Điều 44",
        facts(K::Complaint),
        &[with(K::Complaint, |f| f.round = 2), facts(K::Denunciation)],
    );
}

#[test]
fn row_resolve_complaint_second_round() {
    check(
        "resolve_complaint_second_round",
        &[E::Start(C::ComplaintDecisionSend2)],
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
fn row_resolve_forwarded_in() {
    check(
        "resolve_forwarded_in",
        &[E::Inform(C::ForwardedResultReport)],
        "Luật Tiếp công dân 2013, Điều 27 khoản 2",
        with(K::Recommendation, |f| f.channel = Channel::Forwarded),
        &[
            facts(K::Recommendation),
            with(K::Feedback, |f| {
                f.channel = Channel::Forwarded;
                f.origin = Some(OriginRelation::ForwardedFrom);
            }),
        ],
    );
}

#[test]
fn row_extend_intake_denunciation() {
    check(
        "extend_intake_denunciation",
        &[E::Lengthen(C::DenunciationIntake)],
        "Luật Tố cáo 2018, Điều 24 khoản 1",
        facts(K::Denunciation),
        &[facts(K::Complaint)],
    );
}

#[test]
fn row_terminate_any() {
    check(
        "terminate_any",
        &[E::StopAll],
        "Luật Tố cáo 2018, Điều 34",
        with(K::Complaint, |f| f.status = Status::Accepted),
        &[],
    );
}

#[test]
fn row_terminate_complaint() {
    check(
        "terminate_complaint",
        &[E::Start(C::ComplaintSuspensionSend), E::Inform(C::ComplaintResumeWindow)],
        "Luật Khiếu nại 2011, Điều 11 khoản 8",
        with(K::Complaint, |f| f.status = Status::Suspended),
        &[facts(K::Denunciation)],
    );
}

#[test]
fn row_terminate_denunciation() {
    check(
        "terminate_denunciation",
        &[E::Start(C::DenunciationSuspensionSend)],
        "Luật Tố cáo 2018, Điều 34 khoản 4",
        with(K::Denunciation, |f| f.status = Status::Accepted),
        &[facts(K::Complaint)],
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
