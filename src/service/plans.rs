//! The query plans of the register's hot statements: each statement the app runs on a hot path,
//! built by the same code that runs it, and its plan as the database would run it
//! (`EXPLAIN QUERY PLAN` on SQLite, `EXPLAIN` on PostgreSQL). `tiepdan plans` prints them, and
//! `tests/api/plans.rs` fails when one scans a whole table or sorts an unbounded set.
//!
//! To add a hot statement: push a [`Hot`] in [`statements`] (or in a function of your own area
//! called from it), built by the function your use case runs, with sample arguments.

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DbBackend, QueryTrait, Statement};

use crate::{
    crypto::Sealer,
    domain::{
        calendar::Calendar,
        page::PageRequest,
        petition::{
            Kind,
            query::{InboxQuery, ListCursor, ListFilter},
        },
        reception::IsoWeek,
    },
    error::AppResult,
    service::{
        deadlines,
        petitions::{
            public,
            read::{CaseList, Part},
            search,
        },
        reception::review,
    },
};

/// A hot statement.
#[derive(Debug, Clone)]
pub struct Hot {
    /// What it serves, e.g. `inbox mine`.
    pub name: String,
    pub statement: Statement,
    /// Why a sort in its plan is bounded, when one is inherent (its rows are a handful, or a
    /// top-N of a search's matches); `None`: its plan must not sort.
    pub bounded_sort: Option<&'static str>,
}

impl Hot {
    fn new(name: impl Into<String>, statement: Statement) -> Self {
        Self { name: name.into(), statement, bounded_sort: None }
    }

    fn sorting(mut self, why: &'static str) -> Self {
        self.bounded_sort = Some(why);
        self
    }
}

/// A hot statement and its plan, line by line.
#[derive(Debug, Clone)]
pub struct Plan {
    pub hot: Hot,
    pub lines: Vec<String>,
}

/// The sample values the statements are built with.
const AGENCY: i64 = 1;
const PERSON: i64 = 1;
const UNIT: i64 = 1;
const PAGE: PageRequest = PageRequest { page: 1, per_page: 50 };

/// Every hot statement of the petition register, for `backend`, built on `today`.
pub fn statements(backend: DbBackend, sealer: &Sealer, today: NaiveDate) -> Vec<Hot> {
    let mut hot = Vec::new();
    let until = today + chrono::Days::new(5);
    let limit = PAGE.per_page + 1;
    let list = |filter: &ListFilter, part: Part, after: Option<ListCursor>| {
        let case_list =
            CaseList { backend, sealer, agency_id: AGENCY, filter, today, nearly_due_until: until };
        case_list.page(part, after, 0, limit)
    };
    let count = |filter: &ListFilter, part: Part| {
        let case_list =
            CaseList { backend, sealer, agency_id: AGENCY, filter, today, nearly_due_until: until };
        case_list.count(part)
    };
    // The inbox, per scope, and a deep page of the agency's.
    for scope in ["mine", "unit", "new", "all"] {
        let query = InboxQuery {
            scope: Some(scope.into()),
            q: None,
            kind: None,
            page: None,
            per_page: None,
            after: None,
        };
        let Some(filter) = query.parse().ok().and_then(|i| i.filter(PERSON, Some(UNIT))) else { continue };
        hot.extend(list(&filter, Part::Open, None).map(|s| Hot::new(format!("inbox {scope}"), s)));
        hot.extend(count(&filter, Part::Open).map(|s| Hot::new(format!("inbox {scope}: count"), s)));
        if scope == "all" {
            let deep = Some(ListCursor::Due(Some(today), 500_000));
            hot.extend(list(&filter, Part::Open, deep).map(|s| Hot::new("inbox all: deep keyset page", s)));
        }
    }
    // An inbox searched: still by due date, the matches a condition on the inbox's index walk.
    let searched_inbox = InboxQuery {
        scope: Some("all".into()),
        q: Some("bồi thường".into()),
        kind: Some(Kind::Complaint),
        page: None,
        per_page: None,
        after: None,
    };
    if let Some(filter) = searched_inbox.parse().ok().and_then(|i| i.filter(PERSON, Some(UNIT))) {
        hot.extend(list(&filter, Part::Open, None).map(|s| Hot::new("inbox all: searched, one kind", s)));
    }
    // The register: newest first, by due date (open then closed), filtered, and deep.
    let register = ListFilter::default();
    hot.extend(list(&register, Part::All, None).map(|s| Hot::new("register: newest first", s)));
    hot.extend(count(&register, Part::All).map(|s| Hot::new("register: count", s)));
    let deep = Some(ListCursor::Received(today - chrono::Days::new(3000), 500_000));
    hot.extend(list(&register, Part::All, deep).map(|s| Hot::new("register: deep keyset page", s)));
    let by_due = ListFilter { by_due: true, ..Default::default() };
    hot.extend(list(&by_due, Part::Open, None).map(|s| Hot::new("register by due: open cases", s)));
    hot.extend(list(&by_due, Part::Closed, None).map(|s| Hot::new("register by due: closed cases", s)));
    let complaints = ListFilter { kind: Some(Kind::Complaint), ..Default::default() };
    hot.extend(list(&complaints, Part::All, None).map(|s| Hot::new("register: kind filter", s)));
    let unit_open = ListFilter { unit_id: Some(UNIT), open: Some(true), by_due: true, ..Default::default() };
    hot.extend(list(&unit_open, Part::Open, None).map(|s| Hot::new("register: unit's open cases by due", s)));
    let overdue = ListFilter { overdue: Some(true), by_due: true, open: Some(true), ..Default::default() };
    hot.extend(list(&overdue, Part::Open, None).map(|s| Hot::new("register: overdue by due", s)));
    // Retention (issue 18): the cases due for the head's decision, and the destroyed cases' lines.
    {
        use crate::service::retention;
        use sea_orm::QueryTrait;
        let due = retention::due_page(AGENCY, today, None, limit).build(backend);
        hot.push(Hot::new("retention: due", due));
        let deep = retention::due_page(AGENCY, today, Some((today - chrono::Days::new(30), 500_000)), limit);
        hot.push(Hot::new("retention: due, next page", deep.build(backend)));
        let at = crate::clock::day_start(today);
        let lines = retention::destroyed_page(AGENCY, Some((at, 500_000)), limit).build(backend);
        hot.push(Hot::new("retention: destroyed, next page", lines));
    }
    // Search, newest first, from the full-text index.
    let searched = ListFilter { q: Some("bồi thường đất".into()), ..Default::default() };
    let top_n = "top-N of the search's matches: PostgreSQL's GIN index yields matches unordered";
    let search_hot = |name: &str, s: Statement| {
        let hot = Hot::new(name, s);
        if backend == DbBackend::Postgres { hot.sorting(top_n) } else { hot }
    };
    hot.extend(list(&searched, Part::All, None).map(|s| search_hot("search", s)));
    hot.extend(count(&searched, Part::All).map(|s| Hot::new("search: count", s)));
    let deeper = Some(ListCursor::Newest(500_000));
    hot.extend(list(&searched, Part::All, deeper).map(|s| search_hot("search: next page", s)));
    // A case's clocks and next due date.
    let few = "a case's handful of clocks, in id order";
    hot.push(Hot::new("a case's clocks", deadlines::of_case_query(42).build(backend)).sorting(few));
    let page_ids: Vec<i64> = (1..=50).collect();
    let page_clocks = "the running clocks of a page's cases (at most a few per case)";
    hot.push(
        Hot::new("a page's clocks", deadlines::of_cases_query(&page_ids).build(backend)).sorting(page_clocks),
    );
    hot.push(Hot::new("next due dates", deadlines::next_due_query(&[42]).build(backend)));
    // The public tracking lookup.
    hot.push(Hot::new("public tracking", public::by_code_query("TD7KQ4M9XP2WHD".into()).build(backend)));
    hot.push(Hot::new("public tracking: history", public::status_history_query(42).build(backend)));
    hot.push(Hot::new("a citizen's petitions", public::of_citizen_query(PERSON, PAGE, None).build(backend)));
    // Repeat warnings at intake.
    hot.push(Hot::new(
        "repeat warnings: same identity",
        search::same_identity_query(vec!["x".into()]).build(backend),
    ));
    if let Some(search) = search::fts_query(backend, AGENCY, "bồi thường đất", None) {
        let since = today - chrono::Days::new(365);
        let st = backend.build(&search::similar_query(backend, search, since));
        hot.push(search_hot("repeat warnings: similar subject", st));
    }
    hot.extend(review_statements(backend, today));
    hot.extend(report_statements(backend, today));
    hot
}

/// The reports of a quarter: aggregates over one agency's index ranges of the period. Their
/// groupings run over the period's rows and yield a row per kind, field, status, unit, handler or
/// month, never over the register.
fn report_statements(backend: DbBackend, today: NaiveDate) -> Vec<Hot> {
    crate::service::reports::sql::statements(backend, AGENCY, today)
        .into_iter()
        .map(|(name, st)| Hot::new(format!("reports: {name}"), st).sorting("one agency's period, grouped"))
        .collect()
}

/// The chairman's weekly review of this week: aggregates over indexes, and two top-50 lists.
/// Its groupings and top-N sorts run over the week's overdue work (the clocks overdue then, read
/// from their own indexes), never over the register.
fn review_statements(backend: DbBackend, today: NaiveDate) -> Vec<Hot> {
    let Ok(week) = review::WeekParams::new(&Calendar::new(vec![]), AGENCY, IsoWeek::of(today), today) else {
        return vec![];
    };
    let overdue = "the week's overdue cases (grouped, or their top 50), not the register";
    review::statements(backend, &week)
        .into_iter()
        .map(|(name, st)| {
            let hot = Hot::new(format!("weekly review: {}", name.trim_start_matches("review_")), st);
            match name {
                "review_overdue_by_owner" | "review_overdue_items" => hot.sorting(overdue),
                "review_overdue_directive_items" => hot.sorting("the agency's overdue directives, top 50"),
                "review_visits" => hot.sorting("distinct cases among one agency's visits of seven days"),
                _ => hot,
            }
        })
        .collect()
}

/// The plan of each statement on `db`, as the database would run it with its statistics.
pub async fn explain(db: &impl ConnectionTrait, statements: Vec<Hot>) -> AppResult<Vec<Plan>> {
    let backend = db.get_database_backend();
    let mut plans = Vec::with_capacity(statements.len());
    for hot in statements {
        let prefix = if backend == DbBackend::Postgres { "EXPLAIN " } else { "EXPLAIN QUERY PLAN " };
        let values = hot.statement.values.clone().map(|v| v.0).unwrap_or_default();
        let sql = format!("{prefix}{}", hot.statement.sql);
        let explain = Statement::from_sql_and_values(backend, sql, values);
        let rows = db.query_all_raw(explain).await?;
        let mut lines = Vec::with_capacity(rows.len());
        for row in rows {
            let line: String = match backend {
                DbBackend::Postgres => row.try_get_by_index(0)?,
                _ => row.try_get("", "detail")?,
            };
            lines.push(line);
        }
        plans.push(Plan { hot, lines });
    }
    Ok(plans)
}

/// What is wrong with a plan: a whole table scanned (SQLite `SCAN t` of a table `tables` names,
/// without an index; PostgreSQL `Seq Scan`), or a sort where none is bounded (SQLite `USE TEMP
/// B-TREE`; PostgreSQL a `Sort` node).
pub fn faults(backend: DbBackend, plan: &Plan, tables: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for line in &plan.lines {
        let l = line.trim_start_matches([' ', '-', '>']);
        let scan = match backend {
            DbBackend::Postgres => l.contains("Seq Scan"),
            _ => {
                l.starts_with("SCAN ")
                    && !l.contains(" USING ")
                    && !l.contains("VIRTUAL TABLE")
                    && l.split_whitespace().nth(1).is_some_and(|t| tables.iter().any(|x| x == t))
            }
        };
        let sort = match backend {
            DbBackend::Postgres => l.starts_with("Sort  (") || l.starts_with("Incremental Sort  ("),
            _ => l.contains("USE TEMP B-TREE"),
        };
        if scan {
            found.push(format!("full scan: {line}"));
        }
        if sort && plan.hot.bounded_sort.is_none() {
            found.push(format!("unbounded sort: {line}"));
        }
    }
    found
}

/// The register's tables (what a SQLite `SCAN` line may name).
pub async fn tables(db: &impl ConnectionTrait) -> AppResult<Vec<String>> {
    let sql = match db.get_database_backend() {
        DbBackend::Postgres => "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()",
        _ => "SELECT name FROM sqlite_master WHERE type = 'table'",
    };
    let rows = db.query_all_raw(Statement::from_string(db.get_database_backend(), sql)).await?;
    let mut names = Vec::with_capacity(rows.len());
    for row in rows {
        names.push(row.try_get_by_index::<String>(0)?);
    }
    Ok(names)
}
