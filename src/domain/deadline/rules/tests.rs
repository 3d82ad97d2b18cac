use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
}

#[test]
fn every_clock_is_in_both_rule_sets_exactly_once() {
    let table = RuleTable::builtin();
    for set in &table.rule_sets {
        let clocks: Vec<ClockId> = set.rules.iter().map(|rule| rule.clock).collect();
        assert_eq!(clocks, ClockId::ALL, "rule set {}", set.id);
    }
    for change in CHANGES_2026_07 {
        assert!(RULES_2013.iter().any(|row| row.clock == change.clock));
    }
}

#[test]
fn only_complaint_acceptance_changes_value_in_2026() {
    let table = RuleTable::builtin();
    for &clock in ClockId::ALL {
        let old = table.rule(&RuleSetId::Law2013, clock).expect("old rule");
        let new = table.rule(&RuleSetId::Law2026_07, clock).expect("new rule");
        let values = |rule: &ClockRule| {
            (
                rule.starts_at,
                rule.limit,
                rule.unit,
                rule.complex_limit,
                rule.remote_limit,
                rule.remote_complex_limit,
                rule.extension,
                rule.pause,
            )
        };
        if clock == ClockId::ComplaintAcceptance {
            assert_eq!((old.limit, new.limit), (10, 7));
            assert_eq!((old.unit, new.unit), (DayUnit::Working, DayUnit::Working));
        } else {
            assert_eq!(values(old), values(new), "{clock}");
        }
    }
}

#[test]
fn clock_names_are_the_section_8_names() {
    let names: Vec<&str> = ClockId::ALL.iter().map(|clock| clock.as_str()).collect();
    for expected in [
        "reception_notice",
        "handler_internal",
        "forwarded_result_report",
        "forwarded_result_relay",
        "refusal_notice",
        "unhandled_alarm",
        "complaint_filing",
        "complaint_acceptance",
        "complaint_resolution_1",
        "complaint_second_filing",
        "complaint_resolution_2",
        "complaint_decision_send_1",
        "complaint_decision_send_2",
        "complaint_decision_effect",
        "complaint_suspension_send",
        "complaint_resume_window",
        "discipline_complaint_filing_1",
        "discipline_complaint_filing_2",
        "discipline_complaint_filing_2_dismissal",
        "discipline_complaint_acceptance",
        "discipline_complaint_resolution",
        "denunciation_intake",
        "denunciation_forward",
        "denunciation_acceptance_notice",
        "denunciation_resolution",
        "denunciation_suspension_send",
        "denunciation_publication",
        "denunciation_forwarded_result",
        "further_denunciation_review",
        "recommendation_resolution",
        "admin_regulation_forward",
    ] {
        assert!(names.contains(&expected), "{expected}");
    }
    assert_eq!(names.len(), 31);
    for &clock in ClockId::ALL {
        let json = serde_json::to_string(&clock).expect("serializes");
        assert_eq!(json, format!("\"{}\"", clock.as_str()));
        let back: ClockId = serde_json::from_str(&json).expect("deserializes");
        assert_eq!(back, clock);
        assert_eq!(ClockId::parse(clock.as_str()), Some(clock));
        assert!(!clock.label_vi().is_empty());
    }
}

#[test]
fn units_and_complexities_have_stable_codes() {
    for unit in [DayUnit::Working, DayUnit::Calendar] {
        assert_eq!(serde_json::to_string(&unit).expect("serializes"), format!("\"{}\"", unit.as_str()));
        assert_eq!(DayUnit::parse(unit.as_str()), Some(unit));
    }
    for complexity in [Complexity::None, Complexity::Complex, Complexity::EspeciallyComplex] {
        let json = serde_json::to_string(&complexity).expect("serializes");
        assert_eq!(json, format!("\"{}\"", complexity.as_str()));
        assert_eq!(Complexity::parse(complexity.as_str()), Some(complexity));
    }
    assert_eq!(ClockId::parse("dialogue_notice"), None);
}

#[test]
fn rule_set_switches_on_1_july_2026() {
    let table = RuleTable::builtin();
    for (received, expected) in [
        (d(2014, 7, 1), RuleSetId::Law2013),
        (d(2026, 6, 30), RuleSetId::Law2013),
        (d(2026, 7, 1), RuleSetId::Law2026_07),
        (d(2030, 1, 1), RuleSetId::Law2026_07),
    ] {
        assert_eq!(rule_set_for(received), expected, "{received}");
        assert_eq!(table.rule_set_for(received), Some(&expected), "{received}");
    }
    assert_eq!(RuleSetId::Law2013.as_str(), "2013");
    assert_eq!(RuleSetId::Law2026_07.to_string(), "2026-07");
    assert_eq!(RuleSetId::parse("2026-07"), Some(RuleSetId::Law2026_07));
}

#[test]
fn limits_by_complexity_and_remoteness() {
    let table = RuleTable::builtin();
    let limits = |clock| {
        let rule = table.rule(&RuleSetId::Law2026_07, clock).expect("rule");
        [
            rule.limit_for(Complexity::None, false),
            rule.limit_for(Complexity::Complex, false),
            rule.limit_for(Complexity::EspeciallyComplex, false),
            rule.limit_for(Complexity::None, true),
            rule.limit_for(Complexity::Complex, true),
        ]
    };
    assert_eq!(limits(ClockId::ComplaintResolution1), [30, 45, 45, 45, 60]);
    assert_eq!(limits(ClockId::ComplaintResolution2), [45, 60, 60, 60, 70]);
    assert_eq!(limits(ClockId::ComplaintSecondFiling), [30, 30, 30, 45, 45]);
    assert_eq!(limits(ClockId::ComplaintDecisionEffect), [30, 30, 30, 45, 45]);
    assert_eq!(limits(ClockId::DisciplineComplaintResolution), [30, 45, 45, 30, 45]);
    assert_eq!(limits(ClockId::DenunciationResolution), [30, 30, 30, 30, 30]);
}

#[test]
fn rule_table_round_trips_through_json_and_accepts_a_short_override() {
    let table = RuleTable::builtin();
    let json = serde_json::to_string(&table).expect("serializes");
    let back: RuleTable = serde_json::from_str(&json).expect("deserializes");
    assert_eq!(back, table);

    let override_json = r#"{
        "rule_sets": [{
            "id": "2026-07",
            "effective_from": "2026-07-01",
            "rules": [{
                "clock": "recommendation_resolution",
                "starts_at": "receipt",
                "limit": 15,
                "unit": "working",
                "source": "Quyết định của UBND tỉnh"
            }]
        }]
    }"#;
    let custom: RuleTable = serde_json::from_str(override_json).expect("deserializes");
    let rule = custom.rule(&RuleSetId::Law2026_07, ClockId::RecommendationResolution).expect("rule");
    assert_eq!((rule.limit, rule.unit), (15, DayUnit::Working));
    assert_eq!(rule.pause, PauseMode::None);
    assert_eq!(rule.extension, ExtensionPolicy::NONE);
    assert!(!rule.unverified);
}

#[test]
fn sources_are_cited_in_vietnamese_as_officials_write_them() {
    let table = RuleTable::builtin();
    for set in &table.rule_sets {
        for rule in &set.rules {
            let source = rule.source.as_str();
            assert!(
                ["Luật ", "Nghị định ", "Thông tư ", "Bộ luật "].iter().any(|p| source.starts_with(p)),
                "{}: {source}",
                rule.clock
            );
            for english in ["Law ", "Art.", "Arts.", "ND ", "TT ", "Labour", "amended"] {
                assert!(!source.contains(english), "{}: {source}", rule.clock);
            }
            // A decree or circular carries its full number (…/NĐ-CP, …/TT-TTCP).
            for (word, suffix) in [("Nghị định ", "/NĐ-CP"), ("Thông tư ", "/TT-TTCP")] {
                for cited in source.split(word).skip(1) {
                    let number = cited.split([',', ' ', ')', ';']).next().unwrap_or_default();
                    assert!(number.ends_with(suffix), "{}: {source}", rule.clock);
                }
            }
        }
    }
    let rule = table.rule(&RuleSetId::Law2026_07, ClockId::ComplaintResolution1).expect("rule");
    assert_eq!(rule.source, "Luật Khiếu nại 2011, Điều 28; Nghị định 124/2020/NĐ-CP, Điều 28b");
}

#[test]
fn unverified_values_are_flagged() {
    let table = RuleTable::builtin();
    let flagged = |set: &RuleSetId| -> Vec<ClockId> {
        table
            .rule_set(set)
            .expect("set")
            .rules
            .iter()
            .filter(|rule| rule.unverified)
            .map(|rule| rule.clock)
            .collect()
    };
    assert_eq!(
        flagged(&RuleSetId::Law2026_07),
        vec![ClockId::HandlerInternal, ClockId::RecommendationResolution]
    );
    assert_eq!(
        flagged(&RuleSetId::Law2013),
        vec![
            ClockId::HandlerInternal,
            ClockId::RefusalNotice,
            ClockId::UnhandledAlarm,
            ClockId::ComplaintSuspensionSend,
            ClockId::RecommendationResolution,
        ]
    );
}

/// The README's table of clocks, one row per clock of the rule set in force, as the rule table
/// holds it (limit, unit, source).
fn readme_clock_rows() -> Vec<String> {
    let table = RuleTable::builtin();
    ClockId::ALL
        .iter()
        .filter_map(|c| table.rule(&RuleSetId::Law2026_07, *c))
        .map(|r| {
            let unit = match r.unit {
                DayUnit::Working => "working days",
                DayUnit::Calendar => "days",
            };
            format!("| `{}` | {} | {} {} | {} |", r.clock, r.clock.label_vi(), r.limit, unit, r.source)
        })
        .collect()
}

#[test]
fn the_readme_lists_every_clock_with_its_source() {
    let readme = include_str!("../../../../README.md");
    let rows = readme_clock_rows();
    assert!(rows.len() >= 30, "{}", rows.len());
    let missing: Vec<&String> = rows.iter().filter(|row| !readme.contains(row.as_str())).collect();
    assert!(missing.is_empty(), "README lacks these clock rows (regenerate them):\n{}", rows.join("\n"));
}
