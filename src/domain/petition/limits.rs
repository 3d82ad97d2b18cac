//! The time limits a complaint is filed within (domain.md §5, §8): 90 days from the day the
//! complainant learned of the decision or act (Law 02/2011 Art. 9, clock `complaint_filing`), and
//! for a second complaint 30 days, 45 in a remote area, from the receipt of the first decision or
//! from the first deadline passed unresolved (Art. 33(1), clock `complaint_second_filing`), both
//! counted like every clock of the register (calendar days rolled to a working day).
//!
//! Past them the register warns, it does not refuse: a limit missed without a good reason is a
//! ground to refuse the complaint (Art. 11(3)), but illness, disaster, war or far travel are not
//! counted (Art. 9), which only the officer can weigh.

use chrono::NaiveDate;

use super::{Kind, repeat::Warning};
use crate::domain::{
    calendar::Calendar,
    deadline::{ClockInput, Complexity, due_date, rule_set_for, rules::ClockId, rules::RuleTable},
};

/// What a filing's limits look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Filing {
    pub kind: Kind,
    pub round: i32,
    pub received_on: NaiveDate,
    pub remote_area: bool,
    /// A first complaint: the day the act was known.
    pub act_known_on: Option<NaiveDate>,
    /// A second complaint: the day its period started (the first decision received, or the
    /// first deadline passed).
    pub second_round_from: Option<NaiveDate>,
}

/// The last day a filing was in time for `clock` started on `start`.
fn last_day(
    rules: &RuleTable,
    clock: ClockId,
    filing: &Filing,
    start: NaiveDate,
    cal: &Calendar,
) -> Option<NaiveDate> {
    let rule_set = rule_set_for(filing.received_on);
    let rule = rules.rule(&rule_set, clock)?;
    let input = ClockInput {
        rule_set,
        clock,
        start,
        complex: Complexity::None,
        remote_area: filing.remote_area,
        extensions: vec![],
        pauses: vec![],
    };
    Some(due_date(rule, &input, cal))
}

/// The warnings of a complaint filed after its limit: `filing_limit_passed` (the first), or
/// `second_filing_late` (the second). Other kinds have no filing limit in the register.
pub fn warnings(rules: &RuleTable, filing: &Filing, cal: &Calendar) -> Vec<Warning> {
    if filing.kind != Kind::Complaint {
        return vec![];
    }
    let (clock, start) = match (filing.round, filing.act_known_on, filing.second_round_from) {
        (r, _, Some(from)) if r >= 2 => (ClockId::ComplaintSecondFiling, from),
        (1, Some(known), _) => (ClockId::ComplaintFiling, known),
        _ => return vec![],
    };
    match last_day(rules, clock, filing, start, cal) {
        Some(last) if filing.received_on > last => vec![Warning::filed_late(clock, last)],
        _ => vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn filing(round: i32, received_on: NaiveDate) -> Filing {
        Filing {
            kind: Kind::Complaint,
            round,
            received_on,
            remote_area: false,
            act_known_on: None,
            second_round_from: None,
        }
    }

    fn codes(f: &Filing) -> Vec<String> {
        warnings(&RuleTable::builtin(), f, &Calendar::default()).into_iter().map(|w| w.code).collect()
    }

    #[test]
    fn a_first_complaint_is_in_time_for_90_days_from_the_act_known() {
        // Law 02/2011 Art. 9: known Tue 1 Sep 2026, + 90 days = Mon 30 Nov 2026.
        let mut f = filing(1, d(2026, 11, 30));
        f.act_known_on = Some(d(2026, 9, 1));
        assert!(codes(&f).is_empty(), "the 90th day is in time");
        f.received_on = d(2026, 12, 1);
        assert_eq!(codes(&f), ["filing_limit_passed"]);
        f.act_known_on = None;
        assert!(codes(&f).is_empty(), "without the day known nothing is said");
    }

    #[test]
    fn a_second_complaint_is_in_time_for_30_days_45_in_a_remote_area() {
        // Law 02/2011 Art. 33(1): the decision received Thu 1 Oct 2026, + 30 = Sat 31 Oct, rolled
        // to Mon 2 Nov.
        let mut f = filing(2, d(2026, 11, 2));
        f.second_round_from = Some(d(2026, 10, 1));
        assert!(codes(&f).is_empty());
        f.received_on = d(2026, 11, 3);
        assert_eq!(codes(&f), ["second_filing_late"]);
        f.remote_area = true;
        assert!(codes(&f).is_empty(), "45 days in a remote area");
        // 119 days after the decision: late whatever the area.
        f.received_on = d(2027, 1, 28);
        assert_eq!(codes(&f), ["second_filing_late"]);
        f.kind = Kind::Denunciation;
        assert!(codes(&f).is_empty(), "a further denunciation has no filing limit");
    }
}
