//! Search over subject, content and names, ignoring case and diacritics, on a real index: FTS5
//! on SQLite, a GIN-indexed tsvector on PostgreSQL. Both hold the same folded words, and a query
//! matches cases holding every word of it as a word prefix (`nguyen van an`, `khieu nai dat`).
//! Also the repeat warnings of intake (domain.md §4 "Repeats").

use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::Expr,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    auth::AuthUser,
    domain::{petition::Status, text},
    entity::{petition, petition_party},
    error::AppResult,
    service::access::{self, CaseScope},
};

/// Longest query, in words: more adds nothing and costs index work.
const MAX_QUERY_TERMS: usize = 8;

/// The search condition for `q`, or `None` when `q` holds no word.
pub fn condition(backend: DbBackend, q: &str) -> Option<Condition> {
    let terms: Vec<String> = text::terms(q).into_iter().take(MAX_QUERY_TERMS).collect();
    if terms.is_empty() {
        return None;
    }
    let expr = match backend {
        DbBackend::Postgres => {
            // Folded terms hold only letters and digits: safe inside a tsquery.
            let tsquery = terms.iter().map(|t| format!("{t}:*")).collect::<Vec<_>>().join(" & ");
            Expr::cust_with_values(
                "petition.id IN (SELECT petition_id FROM petition_search WHERE search_tsv @@ to_tsquery('simple', $1))",
                [tsquery],
            )
        }
        _ => {
            let fts = terms.iter().map(|t| format!("\"{t}\"*")).collect::<Vec<_>>().join(" ");
            Expr::cust_with_values(
                "petition.id IN (SELECT rowid FROM petition_fts WHERE petition_fts MATCH ?)",
                [fts],
            )
        }
    };
    Some(Condition::all().add(expr))
}

/// A warning shown at intake.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct Warning {
    /// `same_identity`, `similar_subject`, `already_guided`, `already_forwarded`,
    /// `already_resolved`, `skip_level`.
    pub code: String,
    pub message: String,
    /// The earlier case, when there is one.
    pub petition_id: Option<i64>,
    pub tracking_code: Option<String>,
}

/// The share of words two subjects have in common, as |A∩B| / |A∪B|.
pub fn jaccard(a: &str, b: &str) -> f64 {
    let a: std::collections::HashSet<String> = text::terms(a).into_iter().collect();
    let b: std::collections::HashSet<String> = text::terms(b).into_iter().collect();
    let union = a.union(&b).count();
    if union == 0 { 0.0 } else { a.intersection(&b).count() as f64 / union as f64 }
}

/// Subjects at least this alike count as "very similar".
pub const SIMILAR_SUBJECT: f64 = 0.6;

/// Likely repeats of a new petition: the same identity number (only among cases whose identity
/// the user may see, so a denouncer is never revealed), a very similar subject, earlier cases
/// already guided, forwarded or resolved, and a skip-level petition.
pub async fn repeat_warnings(
    db: &impl ConnectionTrait,
    user: &AuthUser,
    agency_id: i64,
    id_numbers: &[String],
    subject: &str,
    skip_level: bool,
    since: NaiveDate,
) -> AppResult<Vec<Warning>> {
    let mut found: Vec<(petition::Model, &'static str)> = Vec::new();
    if !id_numbers.is_empty() {
        let ids: Vec<i64> = petition_party::Entity::find()
            .select_only()
            .column(petition_party::Column::PetitionId)
            .filter(petition_party::Column::IdNumber.is_in(id_numbers.iter().cloned()))
            .limit(50)
            .into_tuple::<i64>()
            .all(db)
            .await?;
        if !ids.is_empty() {
            let cases = petition::Entity::find()
                .filter(petition::Column::Id.is_in(ids))
                .filter(petition::Column::AgencyId.eq(agency_id))
                .order_by_desc(petition::Column::Id)
                .all(db)
                .await?;
            for case in cases {
                if access::can_see_identity(user, &CaseScope::of(&case)) {
                    found.push((case, "same_identity"));
                }
            }
        }
    }
    let terms = text::terms(subject);
    if !terms.is_empty() {
        // Any case holding the three longest words of the subject is a candidate.
        let mut longest = terms.clone();
        longest.sort_by_key(|t| std::cmp::Reverse(t.chars().count()));
        longest.truncate(3);
        if let Some(cond) = condition(db.get_database_backend(), &longest.join(" ")) {
            let candidates = petition::Entity::find()
                .filter(cond)
                .filter(petition::Column::AgencyId.eq(agency_id))
                .filter(petition::Column::ReceivedOn.gte(since))
                .order_by_desc(petition::Column::Id)
                .limit(50)
                .all(db)
                .await?;
            for case in candidates {
                if jaccard(&case.subject, subject) >= SIMILAR_SUBJECT
                    && !found.iter().any(|(c, _)| c.id == case.id)
                {
                    found.push((case, "similar_subject"));
                }
            }
        }
    }

    let mut warnings = Vec::new();
    for (case, why) in found.iter().take(10) {
        let status = Some(case.status);
        let (code, message) = match (why, status) {
            (_, Some(Status::Guided)) => (
                "already_guided",
                "Nội dung này đã được hướng dẫn một lần; theo quy định chỉ hướng dẫn một lần (Thông tư 05/2021/TT-TTCP).".to_owned(),
            ),
            (_, Some(Status::Forwarded)) => (
                "already_forwarded",
                "Nội dung này đã được chuyển đơn một lần; theo quy định chỉ chuyển một lần (Luật Tố cáo Điều 24).".to_owned(),
            ),
            (_, Some(Status::Resolved)) => (
                "already_resolved",
                "Nội dung này đã được giải quyết; xem xét giải thích, trả lời thay vì thụ lý lại.".to_owned(),
            ),
            (&"same_identity", _) => (
                "same_identity",
                "Người gửi đã có đơn trong sổ (cùng số giấy tờ tùy thân); có thể là đơn trùng.".to_owned(),
            ),
            _ => ("similar_subject", "Đã có đơn với nội dung rất giống; có thể là đơn trùng.".to_owned()),
        };
        warnings.push(Warning {
            code: code.to_owned(),
            message,
            petition_id: Some(case.id),
            tracking_code: Some(case.tracking_code.clone()),
        });
    }
    if skip_level {
        warnings.push(Warning {
            code: "skip_level".to_owned(),
            message: "Đơn vượt cấp: cấp dưới có thẩm quyền; đôn đốc cấp dưới giải quyết, không giải quyết thay (Luật Tiếp công dân Điều 26)."
                .to_owned(),
            petition_id: None,
            tracking_code: None,
        });
    }
    Ok(warnings)
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
    fn queries_become_prefix_matches_of_every_word() {
        let c = condition(DbBackend::Sqlite, "Nguyễn  Văn An!");
        assert!(c.is_some());
        assert!(condition(DbBackend::Postgres, "đ").is_some());
        assert!(condition(DbBackend::Sqlite, " ,.;").is_none());
    }
}
