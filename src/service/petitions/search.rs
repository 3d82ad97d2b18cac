//! The raw SQL of the petition register, in one place: search over subject, content and names,
//! ignoring case and diacritics, on a real index (FTS5 on SQLite, a GIN-indexed tsvector on
//! PostgreSQL), the index's writes, and the inbox's sort by next due date. Also the look-up of
//! repeats at intake (domain.md §4 "Repeats").
//!
//! # What the index holds
//! The folded words of a case's subject and content, and apart from them the blind tokens of its
//! parties' names ([`identity::name_token`]: no name in clear, and never a denouncer's). A query
//! matches the cases holding, for every word of it, a subject or content word it begins (`khieu
//! nai dat`), or a name word it equals whole (`nguyen van an` finds `Nguyễn Văn An`, `nguy` does
//! not). On SQLite the two are the FTS5 columns `words` and `names`; on PostgreSQL the names'
//! tokens carry weight `B` in the tsvector and the words the default `D`, so that a word's prefix
//! never matches a token. A one-letter term matches the word itself only: as a prefix it would
//! match most of the register and say nothing.
//!
//! # Searching inside the index
//! Every search is an agency's, and the index knows each case's agency (FTS5's column `agency`
//! holding the token `a<id>`, `petition_search.agency_id` on PostgreSQL): the matches are the
//! agency's own from the start, so a page walks the index newest first and stops at its limit, and
//! a plain search is counted in the index without reading the cases. FTS5 keeps prefix indexes
//! for terms of 2 to 6 letters, so a term is read from one entry, never by merging the entries of
//! every word it begins.

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, QueryFilter,
    QueryOrder, QuerySelect, sea_query::Expr,
};

use crate::{
    auth::AuthUser,
    crypto::Sealer,
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
    service::{
        access::{self, CaseScope},
        identity,
    },
};

/// Longest query, in words: more adds nothing and costs index work.
const MAX_QUERY_TERMS: usize = 8;

/// The cases whose words match the search `{1}` of agency `{2}`: an FTS5 query (`agency : "a2"
/// AND words : "word"* AND …`, the agency inside it) on SQLite, a tsquery (`word:*D & …`) on
/// PostgreSQL.
const MATCHES: Dialects = Dialects {
    sqlite: "petition.id IN (SELECT rowid FROM petition_fts WHERE petition_fts MATCH {1})",
    postgres: "petition.id IN (SELECT petition_id FROM petition_search \
               WHERE agency_id = {2} AND search_tsv @@ to_tsquery('simple', {1}))",
};

/// A case's entry replaced (`{2}` its words, `{3}` its name tokens) in the index, under its id
/// (`{1}`). Its agency (`{4}`) never changes; FTS5 still wants every column of a contentless row.
const REINDEX: Dialects = Dialects {
    sqlite: "UPDATE petition_fts SET words = {2}, names = {3}, agency = 'a' || {4} WHERE rowid = {1}",
    postgres: "UPDATE petition_search SET search_tsv = to_tsvector('simple', {2}) \
               || setweight(to_tsvector('simple', {3}), 'B') WHERE petition_id = {1}",
};

/// A case's entry (`{2}` its words, `{3}` its name tokens, `{4}` its agency) into the index,
/// under its id (`{1}`).
const INDEX: Dialects = Dialects {
    sqlite: "INSERT INTO petition_fts (rowid, words, names, agency) VALUES ({1}, {2}, {3}, 'a' || {4})",
    postgres: "INSERT INTO petition_search (petition_id, search_tsv, agency_id) \
               VALUES ({1}, to_tsvector('simple', {2}) || setweight(to_tsvector('simple', {3}), 'B'), {4})",
};

/// The entries of many new cases in one statement: `INDEX` for a bulk load (`service::seed`),
/// with `{rows}` tuples of (id, words, name tokens, agency) bound from `{1}` on.
fn index_many_sql(backend: DbBackend, rows: usize) -> String {
    let mut tuples = Vec::with_capacity(rows);
    for i in 0..rows {
        let n = ENTRY_VALUES * i + 1;
        let (words, names, agency) = (n + 1, n + 2, n + 3);
        tuples.push(match backend {
            DbBackend::Postgres => format!(
                "({{{n}}}, to_tsvector('simple', {{{words}}}) || setweight(to_tsvector('simple', {{{names}}}), 'B'), {{{agency}}})"
            ),
            _ => format!("({{{n}}}, {{{words}}}, {{{names}}}, 'a' || {{{agency}}})"),
        });
    }
    match backend {
        DbBackend::Postgres => {
            format!(
                "INSERT INTO petition_search (petition_id, search_tsv, agency_id) VALUES {}",
                tuples.join(", ")
            )
        }
        _ => format!("INSERT INTO petition_fts (rowid, words, names, agency) VALUES {}", tuples.join(", ")),
    }
}

/// The values an entry binds: id, words, name tokens, agency.
pub const ENTRY_VALUES: usize = 4;

/// Writes the entries of many new cases into the full-text index in one statement, as [`index`]
/// writes one: a bulk load's (at most [`crate::db::sql::rows_per_statement`] of
/// [`ENTRY_VALUES`] values).
pub fn index_many(backend: DbBackend, entries: Vec<(i64, Entry)>) -> sea_orm::Statement {
    let rows = entries.len();
    let mut values = Vec::with_capacity(ENTRY_VALUES * rows);
    for (id, entry) in entries {
        values.push(id.into());
        values.push(entry.words.into());
        values.push(entry.names.into());
        values.push(entry.agency_id.into());
    }
    crate::db::sql::statement(backend, &index_many_sql(backend, rows), values)
}

/// Empties the index, before it is written again for every case (after the data key changes).
const CLEAR: Dialects = Dialects {
    sqlite: "INSERT INTO petition_fts (petition_fts) VALUES ('delete-all')",
    postgres: "DELETE FROM petition_search",
};

/// A search of one agency's cases, ready for the index: the full-text query (on SQLite with the
/// agency's token inside it) and the agency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    pub query: String,
    pub agency_id: i64,
}

impl Search {
    /// The values [`MATCHES`] and [`MATCH`] bind: the query, then the agency.
    fn values(self) -> Vec<sea_orm::Value> {
        vec![self.query.into(), self.agency_id.into()]
    }
}

/// The full-text query for `q` among `agency_id`'s cases: every word of it begins a word of the
/// subject or content (a one-letter word equals one), or, when `names` gives the data key, equals
/// a word of a party's name. `None` when `q` holds no word (only punctuation): it matches nothing
/// rather than everything.
pub fn fts_query(backend: DbBackend, agency_id: i64, q: &str, names: Option<&Sealer>) -> Option<Search> {
    let terms: Vec<String> = text::terms(q).into_iter().take(MAX_QUERY_TERMS).collect();
    if terms.is_empty() {
        return None;
    }
    // Folded terms hold only letters and digits, and tokens only a letter and hex digits: safe
    // inside a tsquery or an FTS5 string.
    let each = |t: &String| {
        let token = names.map(|sealer| identity::name_token(sealer, t));
        let whole = t.chars().count() == 1;
        match (backend, token) {
            (DbBackend::Postgres, token) => {
                let word = if whole { format!("{t}:D") } else { format!("{t}:*D") };
                match token {
                    Some(token) => format!("({word} | {token}:B)"),
                    None => word,
                }
            }
            (_, token) => {
                let word = if whole { format!("words : \"{t}\"") } else { format!("words : \"{t}\"*") };
                match token {
                    Some(token) => format!("({word} OR names : \"{token}\")"),
                    None => word,
                }
            }
        }
    };
    let words = terms.iter().map(each).collect::<Vec<_>>();
    let query = match backend {
        DbBackend::Postgres => words.join(" & "),
        _ => format!("agency : \"a{agency_id}\" AND {}", words.join(" AND ")),
    };
    Some(Search { query, agency_id })
}

/// The search condition for `q` ([`fts_query`]) on `agency_id`'s cases: an empty `any`
/// condition (`FALSE`) when it holds no word.
pub fn condition(backend: DbBackend, agency_id: i64, q: &str, names: Option<&Sealer>) -> Condition {
    match fts_query(backend, agency_id, q, names) {
        Some(search) => matching(backend, search),
        None => Condition::any(),
    }
}

/// `petition.id` among the matches of `search`.
pub fn matching(backend: DbBackend, search: Search) -> Condition {
    let st = MATCHES.statement(backend, search.values());
    let values = st.values.map(|v| v.0).unwrap_or_default();
    Condition::all().add(Expr::cust_with_values(st.sql, values))
}

/// The full-text index's match of the search `{1}` of agency `{2}`, as a condition of a query
/// that reads the index itself.
const MATCH: Dialects = Dialects {
    sqlite: "petition_fts MATCH {1}",
    postgres: "petition_search.agency_id = {2} AND petition_search.search_tsv @@ to_tsquery('simple', {1})",
};

/// The index's table and its column holding the case's id.
fn index_table(backend: DbBackend) -> (&'static str, &'static str) {
    match backend {
        DbBackend::Postgres => ("petition_search", "petition_id"),
        _ => ("petition_fts", "rowid"),
    }
}

/// The cases matching `search` and `cond`, newest first (by id, which is also the index's
/// order), those before id `before` only: driven from the index, so that a page reads the
/// agency's matches in order and stops at its limit (`CROSS JOIN` keeps SQLite's outer loop on the
/// FTS5 table, which yields its rowids in descending order). PostgreSQL either walks the agency's
/// entries newest first (`ix_petition_search_agency`), testing each, when the words are common,
/// or reads the matches from the GIN index and keeps the newest, when they are rare: its planner
/// weighs the two by the words' frequencies.
pub fn newest(
    backend: DbBackend,
    search: Search,
    cond: Condition,
    before: Option<i64>,
) -> sea_orm::sea_query::SelectStatement {
    use sea_orm::{
        Iterable,
        sea_query::{Alias, ExprTrait, JoinType, Order, Query},
    };
    let (table, id) = index_table(backend);
    let st = MATCH.statement(backend, search.values());
    let same_case =
        Expr::col((petition::Entity, petition::Column::Id)).equals((Alias::new(table), Alias::new(id)));
    let mut select = Query::select();
    select.columns(petition::Column::iter().map(|c| (petition::Entity, c))).from(Alias::new(table));
    if backend == DbBackend::Postgres {
        select.join(JoinType::InnerJoin, petition::Entity, same_case);
    } else {
        // A CROSS JOIN takes no ON: the join's condition goes to the WHERE clause.
        select.join(JoinType::CrossJoin, petition::Entity, Condition::all()).and_where(same_case);
    }
    select
        .and_where(Expr::cust_with_values(st.sql, st.values.map(|v| v.0).unwrap_or_default()))
        .cond_where(cond);
    if let Some(before) = before {
        select.and_where(Expr::col((Alias::new(table), Alias::new(id))).lt(before));
    }
    select.order_by((Alias::new(table), Alias::new(id)), Order::Desc);
    select
}

/// The matches of `search` counted in the index alone, up to `cap` + 1: a search with no other
/// filter than its agency reads no case to count.
pub fn count_in_index(backend: DbBackend, search: Search, cap: u64) -> sea_orm::Statement {
    use sea_orm::sea_query::{Alias, Query};
    let (table, _) = index_table(backend);
    let st = MATCH.statement(backend, search.values());
    let mut inner = Query::select();
    inner
        .expr(Expr::val(1))
        .from(Alias::new(table))
        .and_where(Expr::cust_with_values(st.sql, st.values.map(|v| v.0).unwrap_or_default()))
        .limit(cap + 1);
    let mut outer = Query::select();
    outer.expr(Expr::cust("COUNT(*)")).from_subquery(inner, Alias::new("matches"));
    backend.build(&outer)
}

/// What the search index holds of a case: its folded words, its parties' name tokens, its agency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The agency whose register holds the case (it never changes).
    pub agency_id: i64,
    /// The folded words of the subject and the content, space-separated.
    pub words: String,
    /// The blind tokens of the parties' name words, space-separated.
    pub names: String,
}

/// The search entry of a case: subject and content and, except for a confidential matter (whose
/// denouncer must never be found by name, nor linked to it by a search), the names of the parties
/// as blind tokens.
pub fn entry(
    sealer: &Sealer,
    agency_id: i64,
    confidential: bool,
    subject: &str,
    content: &str,
    people: &[&Person],
) -> Entry {
    if confidential {
        return words_only(agency_id, subject, content);
    }
    let names = identity::name_tokens(sealer, people.iter().map(|p| p.full_name.as_str()));
    Entry { names, ..words_only(agency_id, subject, content) }
}

/// The search entry of a confidential case of `agency_id`: its subject and content, no name.
pub fn words_only(agency_id: i64, subject: &str, content: &str) -> Entry {
    Entry { agency_id, words: text::terms(&format!("{subject}\n{content}")).join(" "), names: String::new() }
}

/// The values [`INDEX`] and [`REINDEX`] bind for a case's entry.
fn entry_values(petition_id: i64, entry: &Entry) -> Vec<sea_orm::Value> {
    vec![petition_id.into(), entry.words.clone().into(), entry.names.clone().into(), entry.agency_id.into()]
}

/// Writes a new case's entry into the full-text index: FTS5 on SQLite, a tsvector row on
/// PostgreSQL.
pub async fn index(db: &impl ConnectionTrait, petition_id: i64, entry: &Entry) -> AppResult<()> {
    let backend = db.get_database_backend();
    db.execute_raw(INDEX.statement(backend, entry_values(petition_id, entry))).await?;
    Ok(())
}

/// Rewrites a case's entry in the full-text index (its family became confidential: its people's
/// names leave the index).
pub async fn reindex(db: &impl ConnectionTrait, petition_id: i64, entry: &Entry) -> AppResult<()> {
    let backend = db.get_database_backend();
    db.execute_raw(REINDEX.statement(backend, entry_values(petition_id, entry))).await?;
    Ok(())
}

/// Empties the full-text index (to write every case's entry again).
pub async fn clear(db: &impl ConnectionTrait) -> AppResult<()> {
    let backend = db.get_database_backend();
    db.execute_raw(CLEAR.statement(backend, vec![])).await?;
    Ok(())
}

/// The cases naming a party by one of the identity blind indexes `blinds` (at most
/// [`REPEAT_CANDIDATES`]), read from `ix_party_id_number_blind`.
pub fn same_identity_query(blinds: Vec<String>) -> sea_orm::Select<petition_party::Entity> {
    petition_party::Entity::find()
        .select_only()
        .column(petition_party::Column::PetitionId)
        .filter(petition_party::Column::IdNumberBlind.is_in(blinds))
        .limit(REPEAT_CANDIDATES)
}

/// How many earlier cases a repeat check reads, at most, by each way of finding them.
pub const REPEAT_CANDIDATES: u64 = 50;

/// The newest [`REPEAT_CANDIDATES`] cases of the search's agency received since `since` whose
/// words match it: read from the full-text index newest first ([`newest`]), so the walk stops at
/// the limit instead of sorting every match.
pub fn similar_query(
    backend: DbBackend,
    search: Search,
    since: chrono::NaiveDate,
) -> sea_orm::sea_query::SelectStatement {
    let cond = Condition::all()
        .add(petition::Column::AgencyId.eq(search.agency_id))
        .add(petition::Column::ReceivedOn.gte(since));
    let mut select = newest(backend, search, cond, None);
    select.limit(REPEAT_CANDIDATES);
    select
}

/// Likely repeats of a new petition at `agency_id`: the same identity number (found by its blind
/// index, only among cases whose identity `user` may see, so a denouncer is never revealed), a
/// very similar subject, earlier cases already guided, forwarded or resolved, and a skip-level
/// petition.
pub async fn repeat_warnings(
    db: &impl ConnectionTrait,
    sealer: &Sealer,
    user: &AuthUser,
    agency_id: i64,
    check: &RepeatCheck,
) -> AppResult<Vec<Warning>> {
    let mut found: Vec<(petition::Model, Likeness)> = Vec::new();
    if !check.id_numbers.is_empty() {
        let blinds = check.id_numbers.iter().map(|n| identity::id_number_blind(sealer, n));
        let ids: Vec<i64> = same_identity_query(blinds.collect()).into_tuple::<i64>().all(db).await?;
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
        let backend = db.get_database_backend();
        let candidates = match fts_query(backend, agency_id, &longest.join(" "), None) {
            Some(search) => {
                let st = backend.build(&similar_query(backend, search, check.since));
                petition::Model::find_by_statement(st).all(db).await?
            }
            None => vec![],
        };
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

    fn sealer() -> Sealer {
        Sealer::new(&[5; 32])
    }

    #[test]
    fn queries_become_prefix_matches_of_every_word_and_no_word_matches_nothing() {
        use sea_orm::sea_query::{Query, SqliteQueryBuilder};
        let where_of = |q: &str, names: Option<&Sealer>| {
            let (sql, values) = Query::select()
                .column(petition::Column::Id)
                .from(petition::Entity)
                .cond_where(condition(DbBackend::Sqlite, 7, q, names))
                .to_owned()
                .build(SqliteQueryBuilder);
            (sql.split_once(" WHERE ").map(|(_, w)| w.to_owned()).unwrap_or_default(), values.0)
        };
        let (matching, values) = where_of("Nguyễn  Văn An!", None);
        assert!(matching.contains("MATCH ?"), "{matching}");
        assert_eq!(
            values,
            vec![r#"agency : "a7" AND words : "nguyen"* AND words : "van"* AND words : "an"*"#.into()]
        );
        assert_eq!(where_of(" ,.;", None).0, "FALSE", "nothing searchable matches nothing, not everything");
        assert_eq!(where_of(" ,.;", Some(&sealer())).0, "FALSE");
    }

    #[test]
    fn a_query_word_also_matches_a_name_word_whole_through_its_blind_token() {
        use sea_orm::sea_query::{PostgresQueryBuilder, Query, SqliteQueryBuilder};
        let s = sealer();
        let (an, van) = (identity::name_token(&s, "an"), identity::name_token(&s, "van"));
        let select = |backend| {
            Query::select()
                .column(petition::Column::Id)
                .from(petition::Entity)
                .cond_where(condition(backend, 7, "Văn AN", Some(&s)))
                .to_owned()
        };
        let (_, values) = select(DbBackend::Sqlite).build(SqliteQueryBuilder);
        let expected = format!(
            r#"agency : "a7" AND (words : "van"* OR names : "{van}") AND (words : "an"* OR names : "{an}")"#
        );
        assert_eq!(values.0, vec![expected.into()]);
        let (_, values) = select(DbBackend::Postgres).build(PostgresQueryBuilder);
        assert_eq!(values.0, vec![7i64.into(), format!("(van:*D | {van}:B) & (an:*D | {an}:B)").into()]);
    }

    #[test]
    fn each_dialect_reads_its_own_index() {
        use sea_orm::sea_query::{PostgresQueryBuilder, Query, SqliteQueryBuilder};
        let select = |backend| {
            Query::select()
                .column(petition::Column::Id)
                .from(petition::Entity)
                .cond_where(condition(backend, 7, "Khiếu nại đất", None))
                .to_owned()
        };
        let (pg, values) = select(DbBackend::Postgres).build(PostgresQueryBuilder);
        assert!(pg.ends_with("WHERE petition.id IN (SELECT petition_id FROM petition_search WHERE agency_id = $1 AND search_tsv @@ to_tsquery('simple', $2))"), "{pg}");
        assert_eq!(values.0, vec![7i64.into(), "khieu:*D & nai:*D & dat:*D".into()]);
        let (lite, values) = select(DbBackend::Sqlite).build(SqliteQueryBuilder);
        assert!(
            lite.ends_with(
                "WHERE petition.id IN (SELECT rowid FROM petition_fts WHERE petition_fts MATCH ?)"
            ),
            "{lite}"
        );
        assert_eq!(
            values.0,
            vec![r#"agency : "a7" AND words : "khieu"* AND words : "nai"* AND words : "dat"*"#.into()]
        );
    }

    #[test]
    fn a_one_letter_word_matches_itself_not_every_word_it_begins() {
        let search = |backend| fts_query(backend, 3, "ô nhiễm", None).map(|s| s.query);
        assert_eq!(
            search(DbBackend::Sqlite).as_deref(),
            Some(r#"agency : "a3" AND words : "o" AND words : "nhiem"*"#)
        );
        assert_eq!(search(DbBackend::Postgres).as_deref(), Some("o:D & nhiem:*D"));
    }

    #[test]
    fn a_plain_search_is_counted_in_the_index_of_its_agency() {
        let search = || fts_query(DbBackend::Sqlite, 3, "đất", None).unwrap();
        let st = count_in_index(DbBackend::Sqlite, search(), 1000);
        assert_eq!(
            st.sql,
            r#"SELECT COUNT(*) FROM (SELECT ? FROM "petition_fts" WHERE petition_fts MATCH ? LIMIT ?) AS "matches""#
        );
        let pg = count_in_index(
            DbBackend::Postgres,
            fts_query(DbBackend::Postgres, 3, "đất", None).unwrap(),
            1000,
        );
        assert!(pg.sql.contains("petition_search.agency_id = $2"), "{}", pg.sql);
    }

    #[test]
    fn many_entries_are_written_as_one_entry_is() {
        let entry = |w: &str| Entry { agency_id: 4, words: w.to_owned(), names: String::new() };
        let st = index_many(DbBackend::Sqlite, vec![(1, entry("dat")), (2, entry("nha"))]);
        assert_eq!(
            st.sql,
            "INSERT INTO petition_fts (rowid, words, names, agency) VALUES (?, ?, ?, 'a' || ?), (?, ?, ?, 'a' || ?)"
        );
        // One entry is the very statement `index` runs.
        for backend in [DbBackend::Sqlite, DbBackend::Postgres] {
            let one = INDEX.statement(backend, entry_values(1, &entry("dat")));
            assert_eq!(index_many(backend, vec![(1, entry("dat"))]).sql, one.sql);
        }
    }

    #[test]
    fn names_are_indexed_as_blind_tokens_and_a_denouncer_not_at_all() {
        let s = sealer();
        let an = Person {
            full_name: "Nguyễn Văn An".into(),
            id_number: None,
            address: None,
            phone: None,
            email: None,
        };
        let complaint = entry(&s, 4, false, "Đất", "Nội dung", &[&an]);
        assert_eq!(complaint.words, "dat noi dung");
        assert!(!complaint.names.contains("nguyen"), "no name in clear");
        assert_eq!(complaint.names, identity::name_tokens(&s, ["Nguyễn Văn An"]));
        assert!(complaint.names.contains(&identity::name_token(&s, "nguyen")));
        let confidential = entry(&s, 4, true, "Đất", "Nội dung", &[&an]);
        assert_eq!(confidential.names, "", "a confidential matter's names are not indexed, not even blind");
        assert!(!confidential.words.contains("nguyen"));
    }
}
