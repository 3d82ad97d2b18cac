use super::*;
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
}

fn calendar() -> &'static Calendar {
    static CALENDAR: std::sync::OnceLock<Calendar> = std::sync::OnceLock::new();
    CALENDAR.get_or_init(Calendar::default)
}

fn table() -> &'static RuleTable {
    static TABLE: std::sync::OnceLock<RuleTable> = std::sync::OnceLock::new();
    TABLE.get_or_init(RuleTable::builtin)
}

fn input(rule_set: RuleSetId, clock: ClockId, start: NaiveDate) -> ClockInput {
    ClockInput {
        rule_set,
        clock,
        start,
        complex: Complexity::None,
        remote_area: false,
        extensions: Vec::new(),
        pauses: Vec::new(),
    }
}

fn run(input: &ClockInput) -> ClockResult {
    let rule = table().rule(&input.rule_set, input.clock).expect("rule exists");
    compute(rule, input, calendar())
}

/// One row of the §8 table: rule set, clock, complexity, remote, extensions → limit and due date.
struct Row {
    rule_set: RuleSetId,
    clock: ClockId,
    complex: Complexity,
    remote: bool,
    extensions: &'static [u32],
    limit: u32,
    unit: DayUnit,
    due: NaiveDate,
}

const NEW: RuleSetId = RuleSetId::Law2026_07;
const OLD: RuleSetId = RuleSetId::Law2013;

fn row(clock: ClockId, limit: u32, unit: DayUnit, due: NaiveDate) -> Row {
    Row { rule_set: NEW, clock, complex: Complexity::None, remote: false, extensions: &[], limit, unit, due }
}

impl Row {
    fn old(mut self) -> Row {
        self.rule_set = OLD;
        self
    }
    fn complex(mut self, complex: Complexity) -> Row {
        self.complex = complex;
        self
    }
    fn remote(mut self) -> Row {
        self.remote = true;
        self
    }
    fn extended(mut self, extensions: &'static [u32]) -> Row {
        self.extensions = extensions;
        self
    }
}

#[test]
fn section_8_table_row_by_row() {
    use ClockId::*;
    use Complexity::{Complex, EspeciallyComplex};
    use DayUnit::{Calendar as Cal, Working};
    // All from Monday 5 Oct 2026, a quiet stretch: working +3 Thu 8, +5 Mon 12, +7 Wed 14, +10 Mon
    // 19 Oct; calendar +7 Mon 12, +10 Thu 15, +15 Tue 20, +20 Sun 25 → Mon 26 Oct, +30 Wed 4 Nov,
    // +45 Thu 19 Nov, +60 Fri 4 Dec, +70 Mon 14 Dec, +90 Sun 3 Jan 2027 → Mon 4 Jan.
    let oct = |day| d(2026, 10, day);
    let nov = |day| d(2026, 11, day);
    let dec = |day| d(2026, 12, day);
    let rows = [
        row(ReceptionNotice, 10, Working, oct(19)),
        row(HandlerInternal, 10, Working, oct(19)),
        row(ForwardedResultReport, 7, Working, oct(14)),
        row(ForwardedResultRelay, 5, Working, oct(12)),
        row(RefusalNotice, 3, Working, oct(8)),
        row(RefusalNotice, 3, Working, oct(8)).old(),
        row(UnhandledAlarm, 45, Cal, nov(19)),
        row(ComplaintFiling, 90, Cal, d(2027, 1, 4)),
        row(ComplaintAcceptance, 10, Working, oct(19)).old(),
        row(ComplaintAcceptance, 7, Working, oct(14)),
        row(ComplaintResolution1, 30, Cal, nov(4)),
        row(ComplaintResolution1, 45, Cal, nov(19)).complex(Complex),
        row(ComplaintResolution1, 45, Cal, nov(19)).complex(EspeciallyComplex),
        row(ComplaintResolution1, 45, Cal, nov(19)).remote(),
        row(ComplaintResolution1, 60, Cal, dec(4)).remote().complex(Complex),
        row(ComplaintResolution1, 30, Cal, nov(4)).old(),
        row(ComplaintSecondFiling, 30, Cal, nov(4)),
        row(ComplaintSecondFiling, 45, Cal, nov(19)).remote(),
        row(ComplaintResolution2, 45, Cal, nov(19)),
        row(ComplaintResolution2, 60, Cal, dec(4)).complex(Complex),
        row(ComplaintResolution2, 60, Cal, dec(4)).remote(),
        row(ComplaintResolution2, 70, Cal, dec(14)).remote().complex(Complex),
        row(ComplaintDecisionSend1, 3, Working, oct(8)),
        row(ComplaintDecisionSend2, 7, Cal, oct(12)),
        row(ComplaintDecisionEffect, 30, Cal, nov(4)),
        row(ComplaintDecisionEffect, 45, Cal, nov(19)).remote(),
        row(ComplaintSuspensionSend, 3, Working, oct(8)),
        row(ComplaintResumeWindow, 30, Cal, nov(4)),
        row(DisciplineComplaintFiling1, 15, Cal, oct(20)),
        row(DisciplineComplaintFiling2, 10, Cal, oct(15)),
        row(DisciplineComplaintFiling2Dismissal, 30, Cal, nov(4)),
        row(DisciplineComplaintAcceptance, 10, Cal, oct(15)),
        row(DisciplineComplaintResolution, 30, Cal, nov(4)),
        row(DisciplineComplaintResolution, 45, Cal, nov(19)).complex(Complex),
        row(DenunciationIntake, 7, Working, oct(14)),
        row(DenunciationIntake, 10, Working, oct(19)).extended(&[3]),
        row(DenunciationForward, 5, Working, oct(12)),
        row(DenunciationAcceptanceNotice, 5, Working, oct(12)),
        row(DenunciationResolution, 30, Cal, nov(4)),
        row(DenunciationResolution, 60, Cal, dec(4)).complex(Complex).extended(&[30]),
        row(DenunciationResolution, 90, Cal, d(2027, 1, 4)).complex(EspeciallyComplex).extended(&[30, 30]),
        row(DenunciationSuspensionSend, 5, Working, oct(12)),
        row(DenunciationPublication, 7, Working, oct(14)),
        row(DenunciationForwardedResult, 20, Cal, oct(26)),
        row(FurtherDenunciationReview, 20, Cal, oct(26)),
        row(RecommendationResolution, 30, Cal, nov(4)),
        row(AdminRegulationForward, 5, Working, oct(12)),
    ];
    let mut covered = std::collections::BTreeSet::new();
    for expected in rows {
        let mut case = input(expected.rule_set, expected.clock, oct(5));
        case.complex = expected.complex;
        case.remote_area = expected.remote;
        case.extensions = expected.extensions.to_vec();
        let result = run(&case);
        let label = format!(
            "{} {} {:?} remote={} ext={:?}",
            expected.rule_set, expected.clock, expected.complex, expected.remote, expected.extensions
        );
        assert_eq!(result.limit_days, expected.limit, "{label}");
        assert_eq!(result.unit, expected.unit, "{label}");
        assert_eq!(result.due, expected.due, "{label}");
        assert!(!result.paused);
        assert_eq!(result.rule_set, expected.rule_set);
        if let Some(rule) = table().rule(&expected.rule_set, expected.clock)
            && !expected.extensions.is_empty()
        {
            let mut granted = case.clone();
            granted.extensions.clear();
            for &days in expected.extensions {
                assert_eq!(check_extension(rule, &granted, days), Ok(()), "{label}");
                granted.extensions.push(days);
            }
        }
        covered.insert(expected.clock);
    }
    assert_eq!(covered.len(), ClockId::ALL.len(), "every clock has a row");
}

#[test]
fn complaint_acceptance_by_received_date_across_the_switch() {
    // Received Tue 30 Jun 2026: old set, 10 working days → Tue 14 Jul.
    // Received Wed 1 Jul 2026: new set, 7 working days → Fri 10 Jul.
    for (received, expected_set, limit, due) in
        [(d(2026, 6, 30), OLD, 10, d(2026, 7, 14)), (d(2026, 7, 1), NEW, 7, d(2026, 7, 10))]
    {
        let rule_set = rule_set_for(received);
        assert_eq!(rule_set, expected_set);
        let result = run(&input(rule_set, ClockId::ComplaintAcceptance, received));
        assert_eq!((result.limit_days, result.due), (limit, due), "{received}");
    }
}

#[test]
fn working_day_clock_across_tet_lists_the_skipped_days() {
    // Denunciation received Tue 10 Feb 2026: 7 working days → 11, 12, 13, 23, 24, 25, 26 Feb.
    let result = run(&input(OLD, ClockId::DenunciationIntake, d(2026, 2, 10)));
    assert_eq!(result.due, d(2026, 2, 26));
    assert_eq!(result.skipped.len(), 9);
    assert_eq!(result.skipped[2].reason, "Tết Nguyên đán");
    let text = result.explanation.join("\n");
    assert!(text.contains("Không tính các ngày không làm việc: 14/02/2026 (Thứ Bảy)"), "{text}");
    assert!(text.contains("Hạn: Thứ Năm, 26/02/2026."), "{text}");
    assert!(text.contains("bộ quy tắc 2013"), "{text}");
}

#[test]
fn calendar_day_clock_rolls_over_tet() {
    // Complaint accepted Tue 20 Jan 2026: 30 days → Thu 19 Feb (Tết) → Mon 23 Feb.
    let result = run(&input(OLD, ClockId::ComplaintResolution1, d(2026, 1, 20)));
    assert_eq!(result.due, d(2026, 2, 23));
    let rolled: Vec<NaiveDate> = result.skipped.iter().map(|s| s.date).collect();
    assert_eq!(rolled, vec![d(2026, 2, 19), d(2026, 2, 20), d(2026, 2, 21), d(2026, 2, 22)]);
    assert!(result.explanation.iter().any(|line| line.contains("chuyển sang ngày làm việc kế tiếp")));
}

#[test]
fn complaint_suspension_restarts_the_full_limit() {
    let start = d(2026, 10, 5); // 30 days → Wed 4 Nov.
    let mut case = input(NEW, ClockId::ComplaintResolution1, start);
    // Suspended Tue 20 Oct, resumed Mon 26 Oct: 30 days from 26 Oct → Wed 25 Nov.
    case.pauses = vec![Pause { from: d(2026, 10, 20), to: Some(d(2026, 10, 26)) }];
    let result = run(&case);
    assert_eq!(result.due, d(2026, 11, 25));
    assert!(!result.paused);
    assert!(result.explanation.iter().any(|line| line.contains("tính lại từ đầu")));

    // Still suspended since 20 Oct: reported as if resumed that day → 19 Nov, paused.
    case.pauses = vec![Pause { from: d(2026, 10, 20), to: None }];
    let result = run(&case);
    assert_eq!(result.due, d(2026, 11, 19));
    assert!(result.paused);
    assert!(result.explanation.last().is_some_and(|line| line.contains("tạm tính")));

    // A suspension after the due date changes nothing.
    case.pauses = vec![Pause { from: d(2026, 11, 10), to: Some(d(2026, 11, 20)) }];
    assert_eq!(run(&case).due, d(2026, 11, 4));

    // Two suspensions: resumed 26 Oct (→ 25 Nov), again 16–23 Nov: 30 days from 23 Nov → 23 Dec.
    case.pauses = vec![
        Pause { from: d(2026, 11, 16), to: Some(d(2026, 11, 23)) },
        Pause { from: d(2026, 10, 20), to: Some(d(2026, 10, 26)) },
    ];
    assert_eq!(run(&case).due, d(2026, 12, 23));
}

#[test]
fn denunciation_suspension_does_not_count_suspended_days() {
    let start = d(2026, 10, 5); // 30 days → Wed 4 Nov.
    let mut case = input(NEW, ClockId::DenunciationResolution, start);
    // Suspended Tue 20 Oct, resumed Mon 26 Oct: 6 days not counted → Tue 10 Nov.
    case.pauses = vec![Pause { from: d(2026, 10, 20), to: Some(d(2026, 10, 26)) }];
    let result = run(&case);
    assert_eq!(result.due, d(2026, 11, 10));
    assert!(result.explanation.iter().any(|line| line.contains("không tính 6 ngày")));

    // Still suspended: the frozen remainder, i.e. the unpaused due date, paused.
    case.pauses = vec![Pause { from: d(2026, 10, 20), to: None }];
    let result = run(&case);
    assert_eq!(result.due, d(2026, 11, 4));
    assert!(result.paused);

    // Overlapping suspensions count once: 20–26 Oct and 24–30 Oct = 10 days → Sat 14 Nov → Mon 16.
    case.pauses = vec![
        Pause { from: d(2026, 10, 24), to: Some(d(2026, 10, 30)) },
        Pause { from: d(2026, 10, 20), to: Some(d(2026, 10, 26)) },
    ];
    assert_eq!(run(&case).due, d(2026, 11, 16));
}

#[test]
fn suspension_during_the_roll_over_never_shortens() {
    // Accepted Fri 25 Sep 2026: 30 days → Sun 25 Oct → Mon 26 Oct.
    let mut case = input(NEW, ClockId::DenunciationResolution, d(2026, 9, 25));
    assert_eq!(run(&case).due, d(2026, 10, 26));
    // Suspended on Sunday 25 Oct (the last counted day), resumed Wed 28 Oct: nothing left → 28 Oct.
    case.pauses = vec![Pause { from: d(2026, 10, 25), to: Some(d(2026, 10, 28)) }];
    assert_eq!(run(&case).due, d(2026, 10, 28));
    // Suspended on the rolled due day itself: same.
    case.pauses[0].from = d(2026, 10, 26);
    assert_eq!(run(&case).due, d(2026, 10, 28));
}

#[test]
fn working_day_clock_that_skips_suspended_days_keeps_the_days_used() {
    let mut rule = table().rule(&NEW, ClockId::DenunciationIntake).expect("rule").clone();
    rule.pause = PauseMode::SkipSuspended;
    // From Mon 5 Oct: 7 working days → Wed 14 Oct. Suspended Thu 8 Oct after 3 working days (6, 7,
    // 8 Oct), resumed Mon 12 Oct: 4 more → 13, 14, 15, 16 Oct.
    let mut case = input(NEW, ClockId::DenunciationIntake, d(2026, 10, 5));
    case.pauses = vec![Pause { from: d(2026, 10, 8), to: Some(d(2026, 10, 12)) }];
    let result = compute(&rule, &case, calendar());
    assert_eq!(result.due, d(2026, 10, 16));
    assert!(result.explanation.iter().any(|line| line.contains("Đã dùng 3 ngày làm việc")));
    // Non-working days in both counted stretches are listed: none in 6–8 Oct, 10–11 excluded
    // (they fall in the suspension), none in 13–16 Oct.
    assert!(result.skipped.is_empty());
}

#[test]
fn absurd_limits_are_clamped() {
    let mut case = input(NEW, ClockId::DenunciationResolution, d(2026, 10, 5));
    case.extensions = vec![u32::MAX, 5];
    let result = run(&case);
    assert_eq!(result.limit_days, MAX_LIMIT_DAYS);
    assert!(calendar().is_working_day(result.due));
    assert!(result.explanation.iter().any(|line| line.contains("vượt mức tối đa")));
}

#[test]
fn a_complaint_pause_before_the_start_changes_nothing() {
    let mut case = input(NEW, ClockId::ComplaintResolution1, d(2026, 10, 5));
    case.pauses = vec![Pause { from: d(2026, 9, 1), to: Some(d(2026, 9, 10)) }];
    let result = run(&case);
    assert_eq!(result.due, d(2026, 11, 4));
    assert!(result.explanation.iter().any(|line| line.contains("trước khi thời hạn bắt đầu")));
}

#[test]
fn clocks_without_pause_ignore_suspensions() {
    let mut case = input(NEW, ClockId::ReceptionNotice, d(2026, 10, 5));
    case.pauses = vec![Pause { from: d(2026, 10, 6), to: None }];
    let result = run(&case);
    assert_eq!(result.due, d(2026, 10, 19));
    assert!(!result.paused);
    assert!(result.explanation.iter().any(|line| line.contains("không tạm dừng")));
}

#[test]
fn extension_caps() {
    let rule = table().rule(&NEW, ClockId::DenunciationResolution).expect("rule");
    let mut case = input(NEW, ClockId::DenunciationResolution, d(2026, 10, 5));
    assert_eq!(check_extension(rule, &case, 30), Err(ExtensionError::NotAllowed));

    case.complex = Complexity::Complex;
    assert_eq!(check_extension(rule, &case, 0), Err(ExtensionError::ZeroDays));
    assert_eq!(check_extension(rule, &case, 30), Ok(()));
    assert_eq!(check_extension(rule, &case, 31), Err(ExtensionError::TooLong { max_days: 30 }));
    case.extensions = vec![20];
    assert_eq!(check_extension(rule, &case, 10), Err(ExtensionError::TooMany { max_extensions: 1 }));

    case.complex = Complexity::EspeciallyComplex;
    assert_eq!(check_extension(rule, &case, 30), Ok(()));
    case.extensions = vec![30, 30];
    assert_eq!(check_extension(rule, &case, 1), Err(ExtensionError::TooMany { max_extensions: 2 }));

    let intake = table().rule(&NEW, ClockId::DenunciationIntake).expect("rule");
    let mut case = input(NEW, ClockId::DenunciationIntake, d(2026, 10, 5));
    assert_eq!(check_extension(intake, &case, 3), Ok(()));
    assert_eq!(check_extension(intake, &case, 4), Err(ExtensionError::TooLong { max_days: 3 }));
    case.extensions = vec![2];
    assert_eq!(check_extension(intake, &case, 1), Err(ExtensionError::TooMany { max_extensions: 1 }));

    let complaint = table().rule(&NEW, ClockId::ComplaintResolution1).expect("rule");
    let mut case = input(NEW, ClockId::ComplaintResolution1, d(2026, 10, 5));
    case.complex = Complexity::Complex;
    assert_eq!(check_extension(complaint, &case, 5), Err(ExtensionError::NotAllowed));
}

#[test]
fn extension_error_codes_are_stable() {
    let codes = [
        ExtensionError::NotAllowed.code(),
        ExtensionError::ZeroDays.code(),
        ExtensionError::TooLong { max_days: 1 }.code(),
        ExtensionError::TooMany { max_extensions: 1 }.code(),
        ExtensionError::TotalTooLong { max_total_days: 1 }.code(),
    ];
    assert_eq!(
        codes,
        [
            "extension_not_allowed",
            "extension_zero_days",
            "extension_too_long",
            "too_many_extensions",
            "extension_total_too_long",
        ]
    );
    assert_eq!(ExtensionError::TooLong { max_days: 30 }.to_string(), "Mỗi lần gia hạn không quá 30 ngày.");
}

#[test]
fn explanation_names_limit_complexity_extensions_and_unverified_values() {
    let mut case = input(NEW, ClockId::DenunciationResolution, d(2026, 10, 5));
    case.complex = Complexity::EspeciallyComplex;
    case.extensions = vec![30, 30];
    let text = run(&case).explanation.join("\n");
    assert!(text.starts_with("Giải quyết tố cáo: 30 ngày kể từ ngày thụ lý"), "{text}");
    assert!(text.contains("Gia hạn lần 2: thêm 30 ngày."), "{text}");
    assert!(text.contains("Tổng thời hạn sau gia hạn: 90 ngày."), "{text}");

    let mut case = input(NEW, ClockId::ComplaintResolution2, d(2026, 10, 5));
    case.complex = Complexity::Complex;
    case.remote_area = true;
    let text = run(&case).explanation.join("\n");
    assert!(text.contains("Áp dụng thời hạn 70 ngày (vụ việc phức tạp, vùng sâu, vùng xa)."), "{text}");

    let case = input(NEW, ClockId::RecommendationResolution, d(2026, 10, 5));
    let text = run(&case).explanation.join("\n");
    assert!(text.contains("chưa được xác minh"), "{text}");
    assert!(text.contains("Chính sách địa phương"), "{text}");
}

#[test]
fn clock_input_and_result_serialize_in_snake_case() {
    let json = r#"{"rule_set":"2026-07","clock":"denunciation_resolution","start":"2026-10-05",
        "complex":"especially_complex","extensions":[30],
        "pauses":[{"from":"2026-10-20","to":null}]}"#;
    let case: ClockInput = serde_json::from_str(json).expect("deserializes");
    assert_eq!(case.complex, Complexity::EspeciallyComplex);
    assert!(!case.remote_area);
    let result = run(&case);
    let value = serde_json::to_value(&result).expect("serializes");
    assert_eq!(value["unit"], "calendar");
    assert_eq!(value["paused"], true);
    assert_eq!(value["rule_set"], "2026-07");
    assert_eq!(value["clock"], "denunciation_resolution");
    assert_eq!(value["due"], "2026-12-04");
    assert_eq!(serde_json::to_string(&DayUnit::Working).expect("serializes"), r#""working""#);
}

#[test]
fn merging_pauses() {
    let p = |from, to| Pause { from, to };
    let merged = merged_pauses(&[
        p(d(2026, 3, 10), Some(d(2026, 3, 12))),
        p(d(2026, 3, 1), Some(d(2026, 2, 20))), // ends before it starts: a one-day point
        p(d(2026, 3, 11), Some(d(2026, 3, 15))),
        p(d(2026, 4, 1), None),
        p(d(2026, 4, 5), Some(d(2026, 4, 6))),
    ]);
    assert_eq!(
        merged,
        vec![
            p(d(2026, 3, 1), Some(d(2026, 3, 1))),
            p(d(2026, 3, 10), Some(d(2026, 3, 15))),
            p(d(2026, 4, 1), None),
        ]
    );
}

fn any_date() -> impl Strategy<Value = NaiveDate> {
    (0i64..(15 * 365)).prop_map(|offset| d(2020, 1, 1) + chrono::Duration::days(offset))
}

fn any_rule() -> impl Strategy<Value = &'static ClockRule> {
    let rules: Vec<&'static ClockRule> = table().rule_sets.iter().flat_map(|set| set.rules.iter()).collect();
    proptest::sample::select(rules)
}

fn any_complexity() -> impl Strategy<Value = Complexity> {
    prop_oneof![Just(Complexity::None), Just(Complexity::Complex), Just(Complexity::EspeciallyComplex),]
}

fn any_pause() -> impl Strategy<Value = Pause> {
    (any_date(), proptest::option::of(-5i64..60))
        .prop_map(|(from, length)| Pause { from, to: length.map(|days| from + chrono::Duration::days(days)) })
}

fn any_case() -> impl Strategy<Value = (&'static ClockRule, ClockInput)> {
    (any_rule(), any_date(), any_complexity(), any::<bool>(), proptest::collection::vec(0u32..40, 0..3))
        .prop_map(|(rule, start, complex, remote_area, extensions)| {
            let case = ClockInput {
                rule_set: RuleSetId::Law2026_07,
                clock: rule.clock,
                start,
                complex,
                remote_area,
                extensions,
                pauses: Vec::new(),
            };
            (rule, case)
        })
}

/// The same rule under each pause mode, so both modes meet every unit.
fn with_mode(rule: &ClockRule, mode: PauseMode) -> ClockRule {
    let mut rule = rule.clone();
    rule.pause = mode;
    rule
}

proptest! {
    #[test]
    fn due_date_is_the_due_of_compute(
        (rule, mut case) in any_case(),
        pauses in proptest::collection::vec(any_pause(), 0..3),
        mode in prop_oneof![Just(PauseMode::Restart), Just(PauseMode::SkipSuspended), Just(PauseMode::None)],
    ) {
        let rule = with_mode(rule, mode);
        prop_assert_eq!(due_date(&rule, &case, calendar()), compute(&rule, &case, calendar()).due);
        case.pauses = pauses;
        prop_assert_eq!(due_date(&rule, &case, calendar()), compute(&rule, &case, calendar()).due);
    }

    #[test]
    fn due_is_a_working_day_after_the_start(
        (rule, mut case) in any_case(),
        pauses in proptest::collection::vec(any_pause(), 0..3),
    ) {
        case.pauses = pauses;
        let result = compute(rule, &case, calendar());
        prop_assert!(calendar().is_working_day(result.due));
        prop_assert!(result.due > case.start);
        for skipped in &result.skipped {
            prop_assert!(!calendar().is_working_day(skipped.date));
        }
    }

    #[test]
    fn pausing_never_shortens_a_deadline(
        (rule, mut case) in any_case(),
        pauses in proptest::collection::vec(any_pause(), 1..4),
        mode in prop_oneof![Just(PauseMode::Restart), Just(PauseMode::SkipSuspended), Just(PauseMode::None)],
    ) {
        let rule = with_mode(rule, mode);
        let unpaused = compute(&rule, &case, calendar()).due;
        case.pauses = pauses.clone();
        let paused = compute(&rule, &case, calendar());
        prop_assert!(paused.due >= unpaused, "{:?} {:?}", pauses, paused.explanation);
        // Resuming later never gives an earlier due date than being paused now.
        if let Some(open) = pauses.iter().position(|pause| pause.to.is_none()) {
            let mut resumed = case.clone();
            resumed.pauses[open].to = Some(pauses[open].from + chrono::Duration::days(10));
            prop_assert!(compute(&rule, &resumed, calendar()).due >= paused.due);
        }
    }

    #[test]
    fn more_days_never_give_an_earlier_due(
        (rule, mut case) in any_case(),
        pauses in proptest::collection::vec(any_pause(), 0..3),
        extra in 1u32..40,
    ) {
        case.pauses = pauses;
        let before = compute(rule, &case, calendar());
        case.extensions.push(extra);
        let after = compute(rule, &case, calendar());
        prop_assert!(after.due >= before.due);
        prop_assert_eq!(after.limit_days, before.limit_days + extra);
        // Complexity and remoteness never shorten a limit either.
        let mut harder = case.clone();
        harder.complex = Complexity::EspeciallyComplex;
        harder.remote_area = true;
        prop_assert!(compute(rule, &harder, calendar()).due >= after.due);
    }
}
