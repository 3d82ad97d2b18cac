//! Retention of petitions (domain.md §4 and §11; TT 05/2021 Art. 28(2)): an archived petition
//! (lưu đơn) is kept one year from its archiving, then destroyed on the head's decision. The rule
//! is data ([`RULES`]): which closing keeps a case how long, and under which text. Cases closed
//! otherwise (resolved, guided, forwarded…) are files kept under the archiving law, with no
//! period this register knows: never listed, never destroyed here.
//!
//! The day a case's keeping ends is stored on it when it is archived (`petition.archive_until`,
//! the archiving day plus [`Rule::months`]); it is due from that day on.

use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::{
    input::{Fields, Invalid, supported_date},
    petition::Status,
    validate::bounded_text,
};

/// One retention rule: cases closed with `status` are kept `months`, then destroyed on the head's
/// decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub status: Status,
    pub months: u32,
    pub source: &'static str,
}

/// The rules in force.
pub const RULES: [Rule; 1] =
    [Rule { status: Status::Archived, months: 12, source: "TT 05/2021/TT-TTCP Điều 28 khoản 2" }];

/// The rule that keeps cases closed with `status`, if any.
pub fn rule_for(status: Status) -> Option<Rule> {
    RULES.iter().copied().find(|r| r.status == status)
}

/// Why a case may not be destroyed now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotDue {
    /// No retention rule covers its status (open, or a file kept under the archiving law).
    NoRule(Status),
    /// Kept until this day (due on it).
    KeptUntil(NaiveDate),
    /// Destroyed already.
    Destroyed,
}

impl NotDue {
    /// In Vietnamese, for the officer.
    pub fn message(&self) -> String {
        match self {
            NotDue::NoRule(status) => {
                format!("hồ sơ ở trạng thái \"{}\" không thuộc diện hủy theo thời hạn lưu", status.label_vi())
            }
            NotDue::KeptUntil(until) => {
                format!("chưa hết thời hạn lưu (đến ngày {})", until.format("%d/%m/%Y"))
            }
            NotDue::Destroyed => "đã được hủy".to_owned(),
        }
    }
}

/// Whether a case closed with `status`, kept until `archive_until`, may be destroyed on `today`:
/// its status has a rule and its keeping ended (`archive_until` on or before `today`).
pub fn check_due(
    status: Status,
    archive_until: Option<NaiveDate>,
    destroyed: bool,
    today: NaiveDate,
) -> Result<(), NotDue> {
    if destroyed {
        return Err(NotDue::Destroyed);
    }
    if rule_for(status).is_none() {
        return Err(NotDue::NoRule(status));
    }
    match archive_until {
        Some(until) if until <= today => Ok(()),
        Some(until) => Err(NotDue::KeptUntil(until)),
        // Archived without a day: the register always sets one; none is not a licence to destroy.
        None => Err(NotDue::NoRule(status)),
    }
}

/// The most cases one destruction names.
pub const MAX_CASES: usize = 100;

/// `POST /retention/destructions`: the head's decision and the cases it names.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DestructionRequest {
    /// The decision's number, e.g. `25/QĐ-UBND`.
    pub decision_no: String,
    /// The decision's date (not after today).
    #[serde(deserialize_with = "supported_date")]
    pub decision_on: NaiveDate,
    /// The cases it names (1 to 100), by id.
    pub petition_ids: Vec<i64>,
}

/// A checked destruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destruction {
    pub decision_no: String,
    pub decision_on: NaiveDate,
    /// Distinct, in the order given.
    pub petition_ids: Vec<i64>,
}

impl DestructionRequest {
    /// Checks the number (2–100 characters), the date (not after `today`), 1 to [`MAX_CASES`]
    /// cases (repeats dropped).
    pub fn parse(self, today: NaiveDate) -> Result<Destruction, Invalid> {
        let mut f = Fields::new();
        let decision_no = f.check("decision_no", bounded_text(&self.decision_no, 2, 100));
        if self.decision_on > today {
            f.report("decision_on", "Ngày quyết định không được sau hôm nay.");
        }
        // Distinct, in order; past the most allowed it stops looking (a long list costs nothing).
        let mut ids = Vec::with_capacity(MAX_CASES + 1);
        for id in self.petition_ids {
            if !ids.contains(&id) {
                ids.push(id);
                if ids.len() > MAX_CASES {
                    break;
                }
            }
        }
        if ids.is_empty() {
            f.report("petition_ids", "Chọn ít nhất một hồ sơ.");
        } else if ids.len() > MAX_CASES {
            f.report("petition_ids", format!("Mỗi lần hủy tối đa {MAX_CASES} hồ sơ."));
        }
        f.done(decision_no.map(|decision_no| Destruction {
            decision_no,
            decision_on: self.decision_on,
            petition_ids: ids,
        }))
    }
}

/// `?per_page=&after=` of the retention lists (paged by key, newest or oldest first).
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RetentionQuery {
    /// Items per page, 1 to 200 (default 50).
    pub per_page: Option<u64>,
    /// The `next_after` of the previous page.
    pub after: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn an_archived_case_is_due_from_the_day_its_keeping_ends() {
        let until = d(2027, 11, 25);
        assert_eq!(
            check_due(Status::Archived, Some(until), false, d(2027, 11, 24)),
            Err(NotDue::KeptUntil(until))
        );
        assert_eq!(check_due(Status::Archived, Some(until), false, d(2027, 11, 25)), Ok(()));
        assert_eq!(check_due(Status::Archived, Some(until), false, d(2030, 1, 1)), Ok(()));
        assert_eq!(check_due(Status::Archived, Some(until), true, d(2030, 1, 1)), Err(NotDue::Destroyed));
        assert_eq!(
            check_due(Status::Archived, None, false, d(2030, 1, 1)),
            Err(NotDue::NoRule(Status::Archived))
        );
    }

    #[test]
    fn only_archived_cases_have_a_retention_rule() {
        for status in
            [Status::Received, Status::Accepted, Status::Resolved, Status::Guided, Status::Forwarded]
        {
            assert_eq!(
                check_due(status, Some(d(2020, 1, 1)), false, d(2030, 1, 1)),
                Err(NotDue::NoRule(status)),
                "{status:?}"
            );
        }
        assert_eq!(rule_for(Status::Archived).map(|r| r.months), Some(12));
    }

    #[test]
    fn a_destruction_names_a_decision_of_the_past_and_one_to_a_hundred_cases() {
        let today = d(2027, 12, 1);
        let ok = DestructionRequest {
            decision_no: " 25/QĐ-UBND ".into(),
            decision_on: today,
            petition_ids: vec![3, 3, 4],
        }
        .parse(today)
        .unwrap();
        assert_eq!((ok.decision_no.as_str(), ok.petition_ids), ("25/QĐ-UBND", vec![3, 4]));
        let bad =
            DestructionRequest { decision_no: "".into(), decision_on: d(2027, 12, 2), petition_ids: vec![] }
                .parse(today)
                .unwrap_err();
        let fields: Vec<&String> = bad.0.keys().collect();
        assert_eq!(fields, ["decision_no", "decision_on", "petition_ids"]);
        let many = DestructionRequest {
            decision_no: "1/QĐ".into(),
            decision_on: today,
            petition_ids: (1..=101).collect(),
        };
        assert!(many.parse(today).is_err());
    }
}
