//! Repeats (domain.md §4 "Repeats"): the warnings intake shows when a new petition looks like an
//! earlier one, and what each says. Finding the earlier cases is the search's work
//! (`service::petitions::search`); which of them a reader may be told about is `service::access`'s.

use std::collections::HashSet;

use serde::Serialize;
use utoipa::ToSchema;

use super::Status;
use crate::domain::deadline::rules::ClockId;
use crate::domain::text;

/// A warning shown at intake.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct Warning {
    /// `same_identity`, `similar_subject`, `already_guided`, `already_forwarded`,
    /// `already_resolved`, `skip_level`, `filing_limit_passed`, `second_filing_late`.
    pub code: String,
    pub message: String,
    /// The earlier case, when there is one.
    pub petition_id: Option<i64>,
    pub tracking_code: Option<String>,
}

/// Why an earlier case was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Likeness {
    /// A party with the same identity number.
    SameIdentity,
    /// A subject at least [`SIMILAR_SUBJECT`] alike.
    SimilarSubject,
}

/// Subjects at least this alike count as "very similar".
pub const SIMILAR_SUBJECT: f64 = 0.6;

/// The most warnings about earlier cases one intake shows.
pub const MAX_WARNINGS: usize = 10;

/// The share of words two subjects have in common, as |A∩B| / |A∪B|, ignoring case and
/// diacritics.
pub fn jaccard(a: &str, b: &str) -> f64 {
    let a: HashSet<String> = text::terms(a).into_iter().collect();
    let b: HashSet<String> = text::terms(b).into_iter().collect();
    let union = a.union(&b).count();
    if union == 0 { 0.0 } else { a.intersection(&b).count() as f64 / union as f64 }
}

impl Warning {
    /// The warning about an earlier case found by `likeness`, now at `status`. What was done with
    /// it says more than why it was found: guidance and forwarding are given once only (TT 05/2021;
    /// Law 25/2018 Art. 24), and a resolved matter is explained rather than accepted again.
    pub fn about(likeness: Likeness, status: Status, petition_id: i64, tracking_code: &str) -> Self {
        let (code, message) = match (likeness, status) {
            (_, Status::Guided) => (
                "already_guided",
                "Nội dung này đã được hướng dẫn một lần; theo quy định chỉ hướng dẫn một lần (Thông tư 05/2021/TT-TTCP).",
            ),
            (_, Status::Forwarded) => (
                "already_forwarded",
                "Nội dung này đã được chuyển đơn một lần; theo quy định chỉ chuyển một lần (Luật Tố cáo Điều 24).",
            ),
            (_, Status::Resolved) => (
                "already_resolved",
                "Nội dung này đã được giải quyết; xem xét giải thích, trả lời thay vì thụ lý lại.",
            ),
            (Likeness::SameIdentity, _) => (
                "same_identity",
                "Người gửi đã có đơn trong sổ (cùng số giấy tờ tùy thân); có thể là đơn trùng.",
            ),
            (Likeness::SimilarSubject, _) => {
                ("similar_subject", "Đã có đơn với nội dung rất giống; có thể là đơn trùng.")
            }
        };
        Self {
            code: code.to_owned(),
            message: message.to_owned(),
            petition_id: Some(petition_id),
            tracking_code: Some(tracking_code.to_owned()),
        }
    }

    /// The warning of a complaint filed after its limit ([`super::limits`]), `last` being the
    /// last day in time.
    pub fn filed_late(clock: ClockId, last: chrono::NaiveDate) -> Self {
        let last = last.format("%d/%m/%Y");
        let (code, message) = if clock == ClockId::ComplaintSecondFiling {
            (
                "second_filing_late",
                format!(
                    "Khiếu nại lần hai sau thời hạn (hạn cuối {last}; Luật Khiếu nại 2011, Điều 33 khoản 1): \
                     là căn cứ không thụ lý, trừ khi có trở ngại khách quan."
                ),
            )
        } else {
            (
                "filing_limit_passed",
                format!(
                    "Quá thời hiệu khiếu nại 90 ngày (hạn cuối {last}; Luật Khiếu nại 2011, Điều 9): là căn \
                     cứ không thụ lý, trừ thời gian ốm đau, thiên tai, địch họa, đi công tác xa."
                ),
            )
        };
        Self { code: code.to_owned(), message, petition_id: None, tracking_code: None }
    }

    /// The warning of a petition that skips a level: the lower level is urged, never replaced
    /// (Law 42/2013 Art. 26).
    pub fn skip_level() -> Self {
        Self {
            code: "skip_level".to_owned(),
            message: "Đơn vượt cấp: cấp dưới có thẩm quyền; đôn đốc cấp dưới giải quyết, không giải quyết thay (Luật Tiếp công dân Điều 26)."
                .to_owned(),
            petition_id: None,
            tracking_code: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jaccard_ignores_case_and_diacritics() {
        assert!((jaccard("Khiếu nại về đất đai", "khieu nai ve dat dai") - 1.0).abs() < 1e-9);
        assert!(
            jaccard(
                "Khiếu nại về cấp giấy chứng nhận đất",
                "Khiếu nại cấp giấy chứng nhận quyền sử dụng đất"
            ) >= 0.5
        );
        assert!(jaccard("Tố cáo cán bộ địa chính", "Phản ánh đèn đường hỏng") < 0.2);
    }

    #[test]
    fn what_was_done_with_the_earlier_case_comes_first() {
        let w = Warning::about(Likeness::SameIdentity, Status::Guided, 4, "TD-2345-6789-ABCZ");
        assert_eq!((w.code.as_str(), w.petition_id), ("already_guided", Some(4)));
        assert_eq!(
            Warning::about(Likeness::SimilarSubject, Status::Resolved, 4, "x").code,
            "already_resolved"
        );
        assert_eq!(Warning::about(Likeness::SameIdentity, Status::Accepted, 4, "x").code, "same_identity");
        assert_eq!(
            Warning::about(Likeness::SimilarSubject, Status::Received, 4, "x").code,
            "similar_subject"
        );
        assert_eq!(Warning::skip_level().petition_id, None);
    }
}
