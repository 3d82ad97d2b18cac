//! The raw SQL of the petition register, in one place: search over subject, content and names,
//! ignoring case and diacritics, on a real index (FTS5 on SQLite, a GIN-indexed tsvector on
//! PostgreSQL, both holding the same folded words: a query matches cases holding every word of it
//! as a word prefix, `nguyen van an`, `khieu nai dat`), the index's insert, and the inbox's sort by
//! next due date. Also the look-up of repeats at intake (domain.md §4 "Repeats").

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, SimpleExpr},
};

use crate::{
    auth::AuthUser,
    db::sql::Dialects,
    domain::{
        person::Person,
        petition::{
            intake::RepeatCheck,
            repeat::{Likeness, MAX_WARNINGS, SIMILAR_SUBJECT, Warning, jaccard},
        },
        text,
    },
    entity::{petition, petition_party},
    error::AppResult,
    service::access::{self, CaseScope},
};

/// Longest query, in words: more adds nothing and costs index work.
const MAX_QUERY_TERMS: usize = 8;

/// The cases whose words match `{1}`: an FTS5 query (`"word"* …`) on SQLite, a tsquery
/// (`word:* & …`) on PostgreSQL.
const MATCHES: Dialects = Dialects {
    sqlite: "petition.id IN (SELECT rowid FROM petition_fts WHERE petition_fts MATCH {1})",
    postgres: "petition.id IN (SELECT petition_id FROM petition_search WHERE search_tsv @@ to_tsquery('simple', {1}))",
};

/// A case's words replaced by `{2}` in the index, under its id (`{1}`).
const REINDEX: Dialects = Dialects {
    sqlite: "UPDATE petition_fts SET search_text = {2} WHERE rowid = {1}",
    postgres: "UPDATE petition_search SET search_tsv = to_tsvector('simple', {2}) WHERE petition_id = {1}",
};

/// A new case's words (`{2}`) into the index, under its id (`{1}`).
const INDEX: Dialects = Dialects {
    sqlite: "INSERT INTO petition_fts (rowid, search_text) VALUES ({1}, {2})",
    postgres: "INSERT INTO petition_search (petition_id, search_tsv) VALUES ({1}, to_tsvector('simple', {2}))",
};

/// A case's next due date ([`crate::service::deadlines::next_due`]) inside a query on `petition`,
/// for sorting an inbox by it: the case's own clocks are a handful, read through
/// `ix_deadline_petition`. Cases with no running clock sort last. `'running'` is
/// `ClockState::Running`.
const NEXT_DUE: Dialects = Dialects::both(
    "COALESCE((SELECT MIN(d.due_on) FROM deadline d WHERE d.petition_id = petition.id \
     AND d.state = 'running' AND d.paused = FALSE), '9999-12-31')",
);

/// The search condition for `q`. A `q` that holds no word (only punctuation) matches nothing rather
/// than everything: an empty `any` condition is `FALSE`.
pub fn condition(backend: DbBackend, q: &str) -> Condition {
    let terms: Vec<String> = text::terms(q).into_iter().take(MAX_QUERY_TERMS).collect();
    if terms.is_empty() {
        return Condition::any();
    }
    // Folded terms hold only letters and digits: safe inside a tsquery or an FTS5 string.
    let query = match backend {
        DbBackend::Postgres => terms.iter().map(|t| format!("{t}:*")).collect::<Vec<_>>().join(" & "),
        _ => terms.iter().map(|t| format!("\"{t}\"*")).collect::<Vec<_>>().join(" "),
    };
    let st = MATCHES.statement(backend, vec![query.into()]);
    let values = st.values.map(|v| v.0).unwrap_or_default();
    Condition::all().add(Expr::cust_with_values(st.sql, values))
}

/// The order of an inbox: by next due date (then by id, which the caller adds).
pub fn next_due_order(backend: DbBackend) -> SimpleExpr {
    Expr::cust(NEXT_DUE.text(backend))
}

/// The folded text the search index holds: subject, content and, except for a confidential
/// matter (whose denouncer must never be found by name, nor linked to it by a search), the names
/// of the parties.
pub fn search_text(confidential: bool, subject: &str, content: &str, people: &[&Person]) -> String {
    let mut raw = format!("{subject}\n{content}");
    if !confidential {
        for p in people {
            raw.push('\n');
            raw.push_str(&p.full_name);
        }
    }
    text::terms(&raw).join(" ")
}

/// Writes a new case's words into the full-text index: FTS5 on SQLite, a tsvector row on
/// PostgreSQL.
pub async fn index(db: &impl ConnectionTrait, petition_id: i64, text: &str) -> AppResult<()> {
    let backend = db.get_database_backend();
    db.execute_raw(INDEX.statement(backend, vec![petition_id.into(), text.into()])).await?;
    Ok(())
}

/// Rewrites a case's words in the full-text index (its family became confidential: its people's
/// names leave the index).
pub async fn reindex(db: &impl ConnectionTrait, petition_id: i64, text: &str) -> AppResult<()> {
    let backend = db.get_database_backend();
    db.execute_raw(REINDEX.statement(backend, vec![petition_id.into(), text.into()])).await?;
    Ok(())
}

/// Likely repeats of a new petition at `agency_id`: the same identity number (only among cases
/// whose identity `user` may see, so a denouncer is never revealed), a very similar subject,
/// earlier cases already guided, forwarded or resolved, and a skip-level petition.
pub async fn repeat_warnings(
    db: &impl ConnectionTrait,
    user: &AuthUser,
    agency_id: i64,
    check: &RepeatCheck,
) -> AppResult<Vec<Warning>> {
    let mut found: Vec<(petition::Model, Likeness)> = Vec::new();
    if !check.id_numbers.is_empty() {
        let ids: Vec<i64> = petition_party::Entity::find()
            .select_only()
            .column(petition_party::Column::PetitionId)
            .filter(petition_party::Column::IdNumber.is_in(check.id_numbers.iter().cloned()))
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
                    found.push((case, Likeness::SameIdentity));
                }
            }
        }
    }
    let terms = text::terms(&check.subject);
    if !terms.is_empty() {
        // Any case holding the three longest words of the subject is a candidate.
        let mut longest = terms.clone();
        longest.sort_by_key(|t| std::cmp::Reverse(t.chars().count()));
        longest.truncate(3);
        let candidates = petition::Entity::find()
            .filter(condition(db.get_database_backend(), &longest.join(" ")))
            .filter(petition::Column::AgencyId.eq(agency_id))
            .filter(petition::Column::ReceivedOn.gte(check.since))
            .order_by_desc(petition::Column::Id)
            .limit(50)
            .all(db)
            .await?;
        for case in candidates {
            if jaccard(&case.subject, &check.subject) >= SIMILAR_SUBJECT
                && !found.iter().any(|(c, _)| c.id == case.id)
            {
                found.push((case, Likeness::SimilarSubject));
            }
        }
    }
    let mut warnings: Vec<Warning> = found
        .iter()
        .take(MAX_WARNINGS)
        .map(|(case, likeness)| Warning::about(*likeness, case.status, case.id, &case.tracking_code))
        .collect();
    if check.skip_level {
        warnings.push(Warning::skip_level());
    }
    Ok(warnings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::deadline::ClockState;

    #[test]
    fn queries_become_prefix_matches_of_every_word_and_no_word_matches_nothing() {
        use sea_orm::sea_query::{Query, SqliteQueryBuilder};
        let where_of = |q: &str| {
            let (sql, values) = Query::select()
                .column(petition::Column::Id)
                .from(petition::Entity)
                .cond_where(condition(DbBackend::Sqlite, q))
                .to_owned()
                .build(SqliteQueryBuilder);
            (sql.split_once(" WHERE ").map(|(_, w)| w.to_owned()).unwrap_or_default(), values.0)
        };
        let (matching, values) = where_of("Nguyễn  Văn An!");
        assert!(matching.contains("MATCH ?"), "{matching}");
        assert_eq!(values, vec![r#""nguyen"* "van"* "an"*"#.into()]);
        assert_eq!(where_of(" ,.;").0, "FALSE", "nothing searchable matches nothing, not everything");
    }

    #[test]
    fn each_dialect_reads_its_own_index() {
        use sea_orm::sea_query::{PostgresQueryBuilder, Query, SqliteQueryBuilder};
        let select = |backend| {
            Query::select()
                .column(petition::Column::Id)
                .from(petition::Entity)
                .cond_where(condition(backend, "Khiếu nại đất"))
                .to_owned()
        };
        let (pg, values) = select(DbBackend::Postgres).build(PostgresQueryBuilder);
        assert!(pg.ends_with("WHERE petition.id IN (SELECT petition_id FROM petition_search WHERE search_tsv @@ to_tsquery('simple', $1))"), "{pg}");
        assert_eq!(values.0, vec!["khieu:* & nai:* & dat:*".into()]);
        let (lite, values) = select(DbBackend::Sqlite).build(SqliteQueryBuilder);
        assert!(
            lite.ends_with(
                "WHERE petition.id IN (SELECT rowid FROM petition_fts WHERE petition_fts MATCH ?)"
            ),
            "{lite}"
        );
        assert_eq!(values.0, vec!["\"khieu\"* \"nai\"* \"dat\"*".into()]);
    }

    #[test]
    fn the_inbox_sorts_on_running_clocks() {
        assert!(NEXT_DUE.sqlite.contains(&format!("d.state = '{}'", ClockState::Running.as_str())));
        assert_eq!(NEXT_DUE.sqlite, NEXT_DUE.postgres);
    }

    #[test]
    fn a_denouncer_is_never_indexed_by_name() {
        let an = Person {
            full_name: "Nguyễn Văn An".into(),
            id_number: None,
            address: None,
            phone: None,
            email: None,
        };
        assert!(search_text(false, "Đất", "Nội dung", &[&an]).contains("nguyen van an"));
        assert!(!search_text(true, "Đất", "Nội dung", &[&an]).contains("nguyen"));
    }
}
