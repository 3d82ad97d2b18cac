//! The storage floor: the rows one lifecycle of the application wrote, written again straight on
//! the same database without the application, in one transaction per step as the application
//! shapes them, at the same concurrency the database allows (SQLite: its one writer connection;
//! PostgreSQL: a pool the size of the server's).
//!
//! The template is a case the application just took through a whole lifecycle. Its rows are
//! found by the schema, not by a list kept here: the `petition` row and every table with a
//! `petition_id` column (content, parties, clocks, trail, identity reads, PostgreSQL's search
//! table, and whatever a later migration adds), plus SQLite's contentless FTS5 index (words from
//! the subject and content). Each copy is an `INSERT … SELECT` of the template's row with the new
//! case's id (and a new tracking code), so the values, sizes and indexes are the application's:
//! - create: the case, its content, parties, clocks, search entry and first event;
//! - accept, assign: the case row updated (version, status, head of the trail) and the step's
//!   event; accept also rewrites the clocks;
//! - view: the identity read the application logged (it logs one at every step that shows the
//!   petitioner: the template's k-th logged read goes with the k-th step);
//! - resolve: the case row and clocks updated, the remaining events.
//!
//! Reads (the view, the search) are not part of the floor: it is the cost of the writes alone.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Instant,
};

use sea_orm::{
    ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, Statement, TransactionTrait, Value,
};

use super::drive::run_clients;

/// The statements of one floor lifecycle, by step.
#[derive(Debug, Clone)]
pub struct Plan {
    backend: DatabaseBackend,
    /// `INSERT INTO petition … SELECT … RETURNING id`: binds (template id, new tracking code).
    petition: String,
    /// Inserts of the create step: bind (new id, template id).
    create: Vec<String>,
    /// The events of step k (1-based seq): bind (new id, template id).
    event: String,
    /// The k-th identity read of the template (0-based offset): bind (new id, template id, k);
    /// `None` when the table is absent.
    identity: Option<String>,
    /// How many identity reads the template has.
    reads: i64,
    /// Update of the case row and of its clocks: bind (new id).
    touch_case: String,
    touch_clocks: String,
    /// How many events the template has (its steps beyond the first four go with resolve).
    events: i64,
    pub template: i64,
    pub tables: Vec<String>,
}

/// The `n`-th parameter, numbered (SQLite's `?NNN`), as the values are bound in order of number.
fn ph(backend: DatabaseBackend, n: usize) -> String {
    if backend == DatabaseBackend::Postgres { format!("${n}") } else { format!("?{n}") }
}

async fn columns(db: &DatabaseConnection, table: &str) -> Result<Vec<String>, DbErr> {
    let backend = db.get_database_backend();
    let sql = if backend == DatabaseBackend::Postgres {
        format!(
            "SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() \
             AND table_name = '{table}' ORDER BY ordinal_position"
        )
    } else {
        format!("SELECT name FROM pragma_table_info('{table}') ORDER BY cid")
    };
    let rows = db.query_all_raw(Statement::from_string(backend, sql)).await?;
    rows.iter().map(|r| r.try_get::<String>("", "name")).collect()
}

/// Tables with a `petition_id` column, other than `petition`.
async fn child_tables(db: &DatabaseConnection) -> Result<Vec<String>, DbErr> {
    let backend = db.get_database_backend();
    let sql = if backend == DatabaseBackend::Postgres {
        "SELECT c.table_name AS name FROM information_schema.columns c JOIN information_schema.tables t \
         ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
         WHERE c.table_schema = current_schema() AND c.column_name = 'petition_id' AND t.table_type = 'BASE TABLE' \
         ORDER BY 1"
    } else {
        "SELECT m.name AS name FROM sqlite_master m, pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND p.name = 'petition_id' ORDER BY 1"
    };
    let rows = db.query_all_raw(Statement::from_string(backend, sql.to_owned())).await?;
    rows.iter().map(|r| r.try_get::<String>("", "name")).collect()
}

fn quoted(c: &str) -> String {
    format!("\"{c}\"")
}

impl Plan {
    /// The statements copying the rows of case `template`.
    pub async fn new(db: &DatabaseConnection, template: i64) -> Result<Self, DbErr> {
        let backend = db.get_database_backend();
        let (p1, p2) = (ph(backend, 1), ph(backend, 2));
        let cols: Vec<String> = columns(db, "petition").await?.into_iter().filter(|c| c != "id").collect();
        let select: Vec<String> =
            cols.iter().map(|c| if c == "tracking_code" { p2.clone() } else { quoted(c) }).collect();
        let petition = format!(
            "INSERT INTO petition ({}) SELECT {} FROM petition WHERE id = {p1} RETURNING id",
            cols.iter().map(|c| quoted(c)).collect::<Vec<_>>().join(", "),
            select.join(", ")
        );
        let copy = |table: &str, cols: &[String], extra: &str| {
            let cols: Vec<&String> = cols.iter().filter(|c| *c != "id").collect();
            let select: Vec<String> =
                cols.iter().map(|c| if *c == "petition_id" { p1.clone() } else { quoted(c) }).collect();
            format!(
                "INSERT INTO {table} ({}) SELECT {} FROM {table} WHERE petition_id = {p2}{extra}",
                cols.iter().map(|c| quoted(c)).collect::<Vec<_>>().join(", "),
                select.join(", ")
            )
        };
        let mut create = Vec::new();
        let mut tables = vec!["petition".to_owned()];
        let (mut event, mut identity) = (String::new(), None);
        let count = |table: String| {
            let sql = format!("SELECT COUNT(*) AS n FROM {table} WHERE petition_id = {p1}");
            async move {
                db.query_one_raw(Statement::from_sql_and_values(backend, sql, [Value::from(template)]))
                    .await?
                    .map(|r| r.try_get::<i64>("", "n"))
                    .transpose()
                    .map(Option::unwrap_or_default)
            }
        };
        for table in child_tables(db).await? {
            // A table the template has no row in (a rating, a visit) is not written by a lifecycle.
            if count(table.clone()).await? == 0 {
                continue;
            }
            let cols = columns(db, &table).await?;
            match table.as_str() {
                "petition_event" => {
                    let seq = ph(backend, 3);
                    event = copy(&table, &cols, &format!(" AND seq = {seq}"));
                }
                "identity_access" => {
                    let k = ph(backend, 3);
                    identity = Some(copy(&table, &cols, &format!(" ORDER BY id LIMIT 1 OFFSET {k}")));
                }
                _ => create.push(copy(&table, &cols, "")),
            }
            tables.push(table);
        }
        if backend == DatabaseBackend::Sqlite {
            let fts = db
                .query_one_raw(Statement::from_string(
                    backend,
                    "SELECT 1 AS x FROM sqlite_master WHERE name = 'petition_fts'".to_owned(),
                ))
                .await?;
            if fts.is_some() {
                create.push(format!(
                    "INSERT INTO petition_fts (rowid, words, names, agency) \
                     SELECT {p1}, p.subject || ' ' || c.content, '', 'a' || p.agency_id \
                     FROM petition p JOIN petition_content c ON c.petition_id = p.id WHERE p.id = {p2}"
                ));
                tables.push("petition_fts".to_owned());
            }
        }
        let touch_case = format!(
            "UPDATE petition SET version = version + 1, status = status, event_head = event_head, \
             updated_at = updated_at WHERE id = {p1}"
        );
        let touch_clocks = format!(
            "UPDATE deadline SET due_on = due_on, state = state, updated_at = updated_at WHERE petition_id = {p1}"
        );
        let events = count("petition_event".to_owned()).await?;
        let reads = if identity.is_some() { count("identity_access".to_owned()).await? } else { 0 };
        Ok(Self {
            backend,
            petition,
            create,
            event,
            identity,
            reads,
            touch_case,
            touch_clocks,
            events,
            template,
            tables,
        })
    }

    fn st(&self, sql: &str, values: Vec<Value>) -> Statement {
        Statement::from_sql_and_values(self.backend, sql, values)
    }

    /// One lifecycle's writes, `n` numbering its tracking code.
    async fn lifecycle(&self, db: &DatabaseConnection, n: u64) -> Result<(), DbErr> {
        let t = Value::from(self.template);
        // create
        let txn = db.begin().await?;
        let code = format!("FL-{n:012}");
        let row = txn
            .query_one_raw(self.st(&self.petition, vec![t.clone(), Value::from(code)]))
            .await?
            .ok_or_else(|| DbErr::Custom("no id returned".to_owned()))?;
        let id: i64 =
            row.try_get_by_index::<i64>(0).or_else(|_| row.try_get_by_index::<i32>(0).map(i64::from))?;
        let new = Value::from(id);
        for sql in &self.create {
            txn.execute_raw(self.st(sql, vec![new.clone(), t.clone()])).await?;
        }
        self.event(&txn, &new, &t, 1).await?;
        self.read(&txn, &new, &t, 0).await?;
        txn.commit().await?;
        // accept: the case, its clocks, its event
        let txn = db.begin().await?;
        txn.execute_raw(self.st(&self.touch_case, vec![new.clone()])).await?;
        txn.execute_raw(self.st(&self.touch_clocks, vec![new.clone()])).await?;
        self.event(&txn, &new, &t, 2).await?;
        self.read(&txn, &new, &t, 1).await?;
        txn.commit().await?;
        // assign: the case and its event
        let txn = db.begin().await?;
        txn.execute_raw(self.st(&self.touch_case, vec![new.clone()])).await?;
        self.event(&txn, &new, &t, 3).await?;
        self.read(&txn, &new, &t, 2).await?;
        txn.commit().await?;
        // view: the identity read the application logs
        if self.reads > 3 {
            let txn = db.begin().await?;
            self.read(&txn, &new, &t, 3).await?;
            txn.commit().await?;
        }
        // resolve: the case, its clocks, its last events
        let txn = db.begin().await?;
        txn.execute_raw(self.st(&self.touch_case, vec![new.clone()])).await?;
        txn.execute_raw(self.st(&self.touch_clocks, vec![new.clone()])).await?;
        for seq in 4..=self.events.max(4) {
            self.event(&txn, &new, &t, seq).await?;
        }
        for k in 4..self.reads {
            self.read(&txn, &new, &t, k).await?;
        }
        txn.commit().await
    }

    /// The template's `k`-th identity read, copied (nothing when it has fewer).
    async fn read(&self, txn: &impl ConnectionTrait, new: &Value, t: &Value, k: i64) -> Result<(), DbErr> {
        if let (Some(sql), true) = (&self.identity, k < self.reads) {
            txn.execute_raw(self.st(sql, vec![new.clone(), t.clone(), Value::from(k)])).await?;
        }
        Ok(())
    }

    async fn event(&self, txn: &impl ConnectionTrait, new: &Value, t: &Value, seq: i64) -> Result<(), DbErr> {
        txn.execute_raw(self.st(&self.event, vec![new.clone(), t.clone(), Value::from(seq as i32)])).await?;
        Ok(())
    }
}

/// What a floor phase measured.
#[derive(Debug, Default)]
pub struct Floor {
    pub completed: u64,
    pub failed: u64,
    pub seconds: f64,
    /// CPU seconds of this process (the floor's client and, for SQLite, the database itself).
    pub cpu: f64,
    pub sample: Option<String>,
}

/// Floor lifecycles at `clients` for `seconds` on `db`.
pub async fn run(
    db: &DatabaseConnection,
    plan: &Arc<Plan>,
    clients: usize,
    seconds: f64,
    ticks: f64,
) -> Floor {
    static N: AtomicU64 = AtomicU64::new(0);
    let cpu0 = super::server::cpu_seconds("self", ticks);
    let (parts, elapsed) = run_clients(clients, seconds, |_, deadline| {
        let db = db.clone();
        let plan = plan.clone();
        async move {
            let (mut ok, mut failed, mut sample) = (0u64, 0u64, None);
            while Instant::now() < deadline {
                match plan.lifecycle(&db, N.fetch_add(1, Ordering::Relaxed)).await {
                    Ok(()) => ok += 1,
                    Err(e) => {
                        failed += 1;
                        sample.get_or_insert_with(|| e.to_string());
                    }
                }
            }
            (ok, failed, sample)
        }
    })
    .await;
    let cpu = super::server::cpu_seconds("self", ticks) - cpu0;
    let mut out = Floor { seconds: elapsed, cpu, ..Default::default() };
    for (ok, failed, sample) in parts {
        out.completed += ok;
        out.failed += failed;
        if out.sample.is_none() {
            out.sample = sample;
        }
    }
    out
}
