use super::*;
use crate::domain::{
    deadline::steps::{self as clock_steps, Effect, StepFacts},
    petition::Status,
};

fn facts(kind: Kind) -> StepFacts {
    StepFacts {
        kind,
        round: 1,
        channel: Channel::Post,
        origin: None,
        status: Status::Accepted,
        partial: false,
    }
}

fn with(kind: Kind, f: impl FnOnce(&mut StepFacts)) -> StepFacts {
    let mut facts = facts(kind);
    f(&mut facts);
    facts
}

fn row(name: &str) -> &'static NoticeRow {
    STEP_NOTICES.iter().find(|r| r.name == name).unwrap_or_else(|| panic!("no row {name}"))
}

/// Checks a row: the notice, its addressee, its clock and source, and that it applies to
/// `applies` but to none of `not`.
#[track_caller]
fn check(
    name: &str,
    kind: NoticeKind,
    to: Recipient,
    clock: Option<ClockId>,
    source: &str,
    applies: StepFacts,
    not: &[StepFacts],
) {
    let r = row(name);
    assert_eq!((r.kind, r.to, r.clock), (kind, to, clock), "{name}");
    assert!(r.source.contains(source), "{name}: source {:?} should cite {source:?}", r.source);
    assert!(r.when.holds(&applies), "{name}: should apply to {applies:?}");
    for other in not {
        assert!(!r.when.holds(other), "{name}: should not apply to {other:?}");
    }
    assert!(plan(r.step, &applies, false).iter().any(|p| p.name == name), "{name}: planned");
}

#[test]
fn every_row_has_its_own_test_and_a_unique_name() {
    let source = include_str!("tests.rs");
    let mut names: Vec<&str> = STEP_NOTICES.iter().map(|r| r.name).collect();
    for name in &names {
        assert!(source.contains(&format!("fn row_{name}()")), "row {name} has no test row_{name}");
    }
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), STEP_NOTICES.len(), "row names repeat");
}

/// A clock a notice's sending meets must be a notice duty, and be running when the notice is
/// issued: started by the same step (the step table's `Start`), or since the receipt.
#[test]
fn every_bound_clock_is_a_notice_duty_the_step_leaves_running() {
    for r in STEP_NOTICES {
        let Some(clock) = r.clock else { continue };
        assert!(NOTICE_DUTIES.contains(&clock), "{}: {clock} is no notice duty", r.name);
        let facts = [Kind::Complaint, Kind::Denunciation, Kind::Recommendation, Kind::Feedback]
            .into_iter()
            .map(|k| with(k, |f| f.partial = false))
            .flat_map(|f| [f, StepFacts { round: 2, ..f }])
            .find(|f| r.when.holds(f))
            .unwrap_or_else(|| panic!("{}: applies to no case", r.name));
        let started_here = clock_steps::plan(r.step, &facts).contains(&Effect::Start(clock));
        let since_receipt =
            clock_steps::plan(clock_steps::Step::Receive, &facts).contains(&Effect::Start(clock));
        assert!(started_here || since_receipt, "{}: {clock} is not running when the notice issues", r.name);
    }
    // … and the step table starts every duty as a running clock, never as information only.
    for step_row in clock_steps::STEP_CLOCKS {
        for effect in step_row.effects {
            if let Effect::Inform(c) = effect {
                assert!(!NOTICE_DUTIES.contains(c), "{}: {c} is a duty, not information", step_row.name);
            }
        }
    }
}

#[test]
fn an_anonymous_petition_gets_no_notice_addressed_to_its_petitioner() {
    let accept = Step::Act(A::Accept);
    let named = plan(accept, &facts(Kind::Denunciation), false);
    assert_eq!(named.iter().map(|r| r.to).collect::<Vec<_>>(), [R::Petitioner, R::Denounced]);
    let anonymous = plan(accept, &facts(Kind::Denunciation), true);
    assert_eq!(anonymous.iter().map(|r| r.to).collect::<Vec<_>>(), [R::Denounced]);
}

#[test]
fn only_the_petitioner_s_own_notice_carries_a_denouncer() {
    assert!(carries_petitioner(R::Petitioner, true));
    assert!(!carries_petitioner(R::Denounced, true));
    assert!(!carries_petitioner(R::CompetentBody, true), "Luật Tố cáo 2018, Điều 8 khoản 3");
    assert!(carries_petitioner(R::CompetentBody, false), "a complaint's body answers the complainant");
}

#[test]
fn every_kind_has_a_symbol_and_a_label() {
    for kind in NoticeKind::ALL {
        assert!(!kind.symbol().is_empty() && !kind.label().is_empty(), "{kind}");
    }
    // Every kind but the apology and the refusal to receive (issued outside the step table: on
    // request once late, and from the reception book) is issued by some step.
    for kind in NoticeKind::ALL {
        let issued = STEP_NOTICES.iter().any(|r| r.kind == *kind);
        assert_eq!(issued, !matches!(kind, N::Apology | N::RefusalToReceive), "{kind}");
    }
}

#[test]
fn row_receive_in_person() {
    let walk_in = with(Kind::Complaint, |f| f.channel = Channel::InPerson);
    check(
        "receive_in_person",
        N::Receipt,
        R::Petitioner,
        None,
        "Mẫu 02/TCD",
        walk_in,
        &[facts(Kind::Complaint), with(Kind::Feedback, |f| f.channel = Channel::Online)],
    );
}

#[test]
fn row_accept_complaint() {
    check(
        "accept_complaint",
        N::Acceptance,
        R::Petitioner,
        None,
        "Điều 27",
        facts(Kind::Complaint),
        &[facts(Kind::Denunciation)],
    );
}

#[test]
fn row_accept_denunciation_denouncer() {
    let clock = Some(C::DenunciationAcceptanceNotice);
    check(
        "accept_denunciation_denouncer",
        N::Acceptance,
        R::Petitioner,
        clock,
        "Điều 29 khoản 3",
        facts(Kind::Denunciation),
        &[facts(Kind::Complaint)],
    );
}

#[test]
fn row_accept_denunciation_denounced() {
    let clock = Some(C::DenunciationAcceptanceNotice);
    check(
        "accept_denunciation_denounced",
        N::Acceptance,
        R::Denounced,
        clock,
        "Điều 29 khoản 3",
        facts(Kind::Denunciation),
        &[facts(Kind::Feedback)],
    );
}

#[test]
fn row_accept_recommendation() {
    check(
        "accept_recommendation",
        N::Acceptance,
        R::Petitioner,
        Some(C::ReceptionNotice),
        "Điều 28 khoản 1",
        facts(Kind::Feedback),
        &[facts(Kind::Complaint)],
    );
}

#[test]
fn row_reject_complaint() {
    check(
        "reject_complaint",
        N::Refusal,
        R::Petitioner,
        None,
        "Điều 27",
        facts(Kind::Complaint),
        &[facts(Kind::Recommendation)],
    );
}

#[test]
fn row_reject_denunciation() {
    check(
        "reject_denunciation",
        N::Refusal,
        R::Petitioner,
        None,
        "Điều 29",
        facts(Kind::Denunciation),
        &[facts(Kind::Complaint)],
    );
}

#[test]
fn row_reject_recommendation() {
    check(
        "reject_recommendation",
        N::Refusal,
        R::Petitioner,
        Some(C::RefusalNotice),
        "Điều 4 khoản 1 điểm h",
        facts(Kind::Recommendation),
        &[facts(Kind::Denunciation)],
    );
}

#[test]
fn row_guide_any() {
    check(
        "guide_any",
        N::Guidance,
        R::Petitioner,
        None,
        "Điều 26 khoản 1 điểm b",
        facts(Kind::Complaint),
        &[facts(Kind::Feedback)],
    );
}

#[test]
fn row_guide_recommendation() {
    check(
        "guide_recommendation",
        N::Guidance,
        R::Petitioner,
        Some(C::ReceptionNotice),
        "Điều 28 khoản 1",
        facts(Kind::Feedback),
        &[facts(Kind::Denunciation)],
    );
}

#[test]
fn row_forward_to_body() {
    check(
        "forward_to_body",
        N::Forwarding,
        R::CompetentBody,
        None,
        "Điều 26 khoản 2 điểm b",
        facts(Kind::Denunciation),
        &[],
    );
}

#[test]
fn row_forward_tell_petitioner() {
    check(
        "forward_tell_petitioner",
        N::Forwarding,
        R::Petitioner,
        None,
        "Điều 24 khoản 2",
        facts(Kind::Denunciation),
        &[facts(Kind::Recommendation)],
    );
}

#[test]
fn row_forward_tell_petitioner_recommendation() {
    check(
        "forward_tell_petitioner_recommendation",
        N::Forwarding,
        R::Petitioner,
        Some(C::ReceptionNotice),
        "Điều 28 khoản 1",
        facts(Kind::Recommendation),
        &[facts(Kind::Complaint)],
    );
}

#[test]
fn row_extend_complaint() {
    check(
        "extend_complaint",
        N::Extension,
        R::Petitioner,
        None,
        "Điều 28",
        facts(Kind::Complaint),
        &[facts(Kind::Denunciation)],
    );
}

#[test]
fn row_extend_denunciation_denouncer() {
    check(
        "extend_denunciation_denouncer",
        N::Extension,
        R::Petitioner,
        None,
        "Mẫu 01",
        facts(Kind::Denunciation),
        &[facts(Kind::Complaint)],
    );
}

#[test]
fn row_extend_denunciation_denounced() {
    check(
        "extend_denunciation_denounced",
        N::Extension,
        R::Denounced,
        None,
        "Điều 30",
        facts(Kind::Denunciation),
        &[facts(Kind::Complaint)],
    );
}

#[test]
fn row_suspend_complaint() {
    check(
        "suspend_complaint",
        N::Suspension,
        R::Petitioner,
        Some(C::ComplaintSuspensionSend),
        "Mẫu 14a",
        facts(Kind::Complaint),
        &[facts(Kind::Denunciation)],
    );
}

#[test]
fn row_suspend_denunciation_denouncer() {
    check(
        "suspend_denunciation_denouncer",
        N::Suspension,
        R::Petitioner,
        Some(C::DenunciationSuspensionSend),
        "Điều 34 khoản 4",
        facts(Kind::Denunciation),
        &[facts(Kind::Complaint)],
    );
}

#[test]
fn row_suspend_denunciation_denounced() {
    check(
        "suspend_denunciation_denounced",
        N::Suspension,
        R::Denounced,
        Some(C::DenunciationSuspensionSend),
        "Điều 34 khoản 4",
        facts(Kind::Denunciation),
        &[facts(Kind::Complaint)],
    );
}

#[test]
fn row_resume_complaint() {
    let suspended = with(Kind::Complaint, |f| f.status = Status::Suspended);
    check(
        "resume_complaint",
        N::Continuation,
        R::Petitioner,
        None,
        "Mẫu 14b",
        suspended,
        &[facts(Kind::Feedback)],
    );
}

#[test]
fn row_resume_denunciation_denouncer() {
    check(
        "resume_denunciation_denouncer",
        N::Continuation,
        R::Petitioner,
        None,
        "Điều 34",
        facts(Kind::Denunciation),
        &[facts(Kind::Complaint)],
    );
}

#[test]
fn row_resume_denunciation_denounced() {
    check(
        "resume_denunciation_denounced",
        N::Continuation,
        R::Denounced,
        None,
        "Điều 34",
        facts(Kind::Denunciation),
        &[facts(Kind::Complaint)],
    );
}

#[test]
fn row_terminate_complaint() {
    check(
        "terminate_complaint",
        N::Termination,
        R::Petitioner,
        Some(C::ComplaintSuspensionSend),
        "Điều 11a",
        facts(Kind::Complaint),
        &[facts(Kind::Denunciation)],
    );
}

#[test]
fn row_terminate_denunciation_denouncer() {
    check(
        "terminate_denunciation_denouncer",
        N::Termination,
        R::Petitioner,
        Some(C::DenunciationSuspensionSend),
        "Điều 34 khoản 4",
        facts(Kind::Denunciation),
        &[facts(Kind::Complaint)],
    );
}

#[test]
fn row_terminate_denunciation_denounced() {
    check(
        "terminate_denunciation_denounced",
        N::Termination,
        R::Denounced,
        Some(C::DenunciationSuspensionSend),
        "Điều 34 khoản 4",
        facts(Kind::Denunciation),
        &[facts(Kind::Complaint)],
    );
}

#[test]
fn row_withdraw_whole_accepted_complaint() {
    let received = with(Kind::Complaint, |f| f.status = Status::Received);
    let partial = with(Kind::Complaint, |f| f.partial = true);
    check(
        "withdraw_whole_accepted_complaint",
        N::Termination,
        R::Petitioner,
        Some(C::ComplaintSuspensionSend),
        "Điều 7a",
        facts(Kind::Complaint),
        &[received, partial],
    );
}

#[test]
fn row_withdraw_whole_accepted_denunciation() {
    let received = with(Kind::Denunciation, |f| f.status = Status::Received);
    check(
        "withdraw_whole_accepted_denunciation",
        N::Termination,
        R::Petitioner,
        Some(C::DenunciationSuspensionSend),
        "Điều 33",
        facts(Kind::Denunciation),
        &[received],
    );
}

#[test]
fn row_schedule_dialogue() {
    check(
        "schedule_dialogue",
        N::DialogueInvitation,
        R::Petitioner,
        None,
        "Điều 28 khoản 1",
        facts(Kind::Complaint),
        &[facts(Kind::Denunciation)],
    );
}

#[test]
fn row_resolve_complaint_first_round() {
    let second = with(Kind::Complaint, |f| f.round = 2);
    check(
        "resolve_complaint_first_round",
        N::Decision,
        R::Petitioner,
        Some(C::ComplaintDecisionSend1),
        "Điều 32",
        facts(Kind::Complaint),
        &[second],
    );
}

#[test]
fn row_resolve_complaint_second_round() {
    let second = with(Kind::Complaint, |f| f.round = 2);
    check(
        "resolve_complaint_second_round",
        N::Decision,
        R::Petitioner,
        Some(C::ComplaintDecisionSend2),
        "Điều 41",
        second,
        &[facts(Kind::Complaint)],
    );
}

#[test]
fn row_resolve_denunciation_denouncer() {
    check(
        "resolve_denunciation_denouncer",
        N::Conclusion,
        R::Petitioner,
        None,
        "Điều 9 khoản 1 điểm c",
        facts(Kind::Denunciation),
        &[facts(Kind::Complaint)],
    );
}

#[test]
fn row_resolve_denunciation_denounced() {
    check(
        "resolve_denunciation_denounced",
        N::Conclusion,
        R::Denounced,
        None,
        "Điều 35",
        facts(Kind::Denunciation),
        &[facts(Kind::Complaint)],
    );
}

#[test]
fn row_resolve_recommendation() {
    check(
        "resolve_recommendation",
        N::Conclusion,
        R::Petitioner,
        None,
        "Điều 28",
        facts(Kind::Feedback),
        &[facts(Kind::Complaint)],
    );
}
