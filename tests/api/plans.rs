//! The hot statements' plans (`service::plans`, printed by `tiepdan plans`): none may scan a whole
//! table or sort an unbounded set, on either database, however large the register grows.
//!
//! SQLite plans with the statistics `ANALYZE` gathers over a small register, scaled to a large
//! one: a `SCAN` of a table without an index, or a `USE TEMP B-TREE`, fails. (`tiepdan plans
//! --analyze` shows the same plans on a seeded register of 100,000 petitions: see the README.) PostgreSQL plans over tables this small would
//! rightly read them whole, so the check turns sequential scans and sorts off (`enable_seqscan`,
//! `enable_sort`): a `Seq Scan` or `Sort` left in the plan means no index path exists at all.
//!
//! Sorts allowed, where one is inherent and its set bounded (each statement says why in
//! `bounded_sort`): a case's own clocks in id order (a handful of rows), the running clocks of a
//! page's cases (a few per case of one page), and on PostgreSQL the newest matches of a search or
//! of the repeat check (a GIN index yields its matches as an unordered bitmap: the top-N sort of
//! the matches is the index's own limit; SQLite's FTS5 yields them in rowid order and sorts
//! nothing).

use sea_orm::{ConnectionTrait, TransactionTrait};
use serde_json::json;
use tiepdan::{clock::Clock, service::plans};

use crate::petitions::{complaint, denunciation, office};

#[tokio::test]
async fn no_hot_statement_scans_a_whole_table_or_sorts_an_unbounded_set() {
    let o = office().await;
    // A few cases of each kind, open and closed, so that the statistics see every index used.
    for _ in 0..3 {
        let id = o.file(&o.desk, complaint()).await["id"].as_i64().unwrap();
        o.act(&o.chairman, id, json!({"action": "assign", "assignee_id": o.inspector_id, "unit_id": o.unit}))
            .await
            .expect(200);
        let d = o.file(&o.desk, denunciation()).await["id"].as_i64().unwrap();
        o.act(&o.chairman, d, json!({"action": "reject", "reason": "Không đủ điều kiện"})).await.expect(200);
    }
    let db = &o.app.state.db.writer;
    let backend = db.get_database_backend();
    db.execute_unprepared("ANALYZE").await.unwrap();
    if backend == sea_orm::DbBackend::Sqlite {
        // A dozen rows would rightly be read whole: the statistics are scaled to a province's
        // register (every table 100,000 times larger, each key as selective as measured), then
        // reloaded.
        db.execute_unprepared(
            "UPDATE sqlite_stat1 SET stat = CASE WHEN instr(stat, ' ') > 0 \
             THEN (CAST(substr(stat, 1, instr(stat, ' ') - 1) AS INTEGER) * 100000) || substr(stat, instr(stat, ' ')) \
             ELSE CAST(stat AS INTEGER) * 100000 END",
        )
        .await
        .unwrap();
        db.execute_unprepared("ANALYZE sqlite_schema").await.unwrap();
    }
    let txn = db.begin().await.unwrap();
    if backend == sea_orm::DbBackend::Postgres {
        txn.execute_unprepared("SET LOCAL enable_seqscan = off").await.unwrap();
        txn.execute_unprepared("SET LOCAL enable_sort = off").await.unwrap();
    }
    let today = tiepdan::clock::civil_date(o.app.clock.now());
    let hot = plans::statements(backend, &o.app.state.keys.data, today);
    let names: Vec<&str> = hot.iter().map(|h| h.name.as_str()).collect();
    for expected in [
        "inbox mine",
        "inbox unit",
        "inbox new",
        "inbox all",
        "inbox all: deep keyset page",
        "register: newest first",
        "register: deep keyset page",
        "register by due: open cases",
        "register: kind filter",
        "search",
        "search: count",
        "a case's clocks",
        "next due dates",
        "public tracking",
        "repeat warnings: similar subject",
        "repeat warnings: same identity",
        "weekly review: overdue_by_owner",
        "weekly review: overdue_items",
        "weekly review: new_by_kind",
    ] {
        assert!(names.contains(&expected), "{expected} is not among the hot statements: {names:?}");
    }
    let found = plans::explain(&txn, hot).await.unwrap();
    let tables = plans::tables(&txn).await.unwrap();
    assert!(tables.iter().any(|t| t == "petition"), "{tables:?}");
    let mut faults = Vec::new();
    for plan in &found {
        assert!(!plan.lines.is_empty(), "{} has no plan", plan.hot.name);
        for fault in plans::faults(backend, plan, &tables) {
            faults.push(format!(
                "{}: {fault}\n  {}\n  {}",
                plan.hot.name,
                plan.hot.statement.sql,
                plan.lines.join("\n  ")
            ));
        }
    }
    txn.rollback().await.unwrap();
    assert!(faults.is_empty(), "hot statements with bad plans:\n{}", faults.join("\n"));
}

#[test]
fn a_full_scan_and_an_unbounded_sort_are_faults() {
    use sea_orm::{DbBackend, Statement};
    let plan = |lines: &[&str], bounded: bool| {
        let mut hot = plans::Hot {
            name: "t".into(),
            statement: Statement::from_string(DbBackend::Sqlite, "SELECT 1"),
            bounded_sort: None,
        };
        if bounded {
            hot.bounded_sort = Some("a handful");
        }
        plans::Plan { hot, lines: lines.iter().map(|l| l.to_string()).collect() }
    };
    let tables = vec!["petition".to_owned(), "deadline".to_owned()];
    let sqlite =
        |lines: &[&str], bounded| plans::faults(DbBackend::Sqlite, &plan(lines, bounded), &tables).len();
    assert_eq!(sqlite(&["SCAN petition"], false), 1);
    assert_eq!(sqlite(&["SCAN petition USING INDEX ix_petition_inbox_agency"], false), 0);
    assert_eq!(sqlite(&["SCAN petition_fts VIRTUAL TABLE INDEX 0:M2", "SCAN matches"], false), 0);
    assert_eq!(
        sqlite(
            &[
                "SEARCH deadline USING INDEX ix_deadline_petition (petition_id=?)",
                "USE TEMP B-TREE FOR ORDER BY"
            ],
            false
        ),
        1
    );
    assert_eq!(sqlite(&["USE TEMP B-TREE FOR ORDER BY"], true), 0);
    let pg =
        |lines: &[&str], bounded| plans::faults(DbBackend::Postgres, &plan(lines, bounded), &tables).len();
    assert_eq!(
        pg(&["Limit  (cost=0.15..8.17 rows=1 width=8)", "  ->  Seq Scan on petition  (cost=...)"], false),
        1
    );
    assert_eq!(pg(&["Sort  (cost=...)", "  ->  Bitmap Heap Scan on petition_search"], false), 1);
    assert_eq!(pg(&["Sort  (cost=...)"], true), 0);
}
