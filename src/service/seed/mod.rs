//! `tiepdan seed --petitions N`: bulk-loads a realistic register of N petitions into an empty
//! database, for load tests and demonstrations at a province's scale (a million in minutes).
//!
//! Realistic: a province and its communes and wards ([`org`]), with units and staff of every
//! role; petitions of the four kinds in plausible proportions, by every channel, received over
//! ten years ([`plan`]), from citizens with Vietnamese names, identity numbers and addresses, about
//! land, building, the environment, benefits… ([`words`]); each case taken through the workflow
//! as far as its dates reach today, so old cases are closed and recent ones open.
//!
//! Through the register's own code ([`case`], [`clocks`]): each step is checked by the state
//! machine and the access rules, moves the clocks the law's step table names with due dates from
//! the deadline engine, and appends an event hashed with the audit key over the case's facts, so
//! that every trail verifies (`tiepdan verify-audit`); identities are sealed with the data key as
//! intake seals them, and the search index holds what intake writes (a confidential family's
//! names left out). Only the writing is in bulk ([`write`]): multi-row inserts, in transactions of
//! [`COMMIT_EVERY`] cases, while the next batches are played on the blocking threads (both
//! cores: sealing and hashing are CPU work).
//!
//! Reproducible: `--seed` fixes every choice, name, text and tracking code. What differs between
//! two runs is what must: sealed values (their random nonces are what makes them safe), the hashes
//! (under each register's audit key), and the dates when the runs are on different days (a
//! register is ten years up to the day it is seeded).

mod case;
mod clocks;
mod org;
mod plan;
mod play;
mod words;
mod write;

use std::{collections::VecDeque, sync::Arc, time::Instant};

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QuerySelect, TransactionTrait,
};

pub use write::Counts;

use self::{org::Org, plan::Planner, play::Stage};
use crate::{
    app::AppState,
    clock::civil_date,
    crypto::Keys,
    domain::calendar::Calendar,
    entity::petition,
    error::{AppError, AppResult},
    service::{audit, demo::DEMO_PASSWORD},
};

/// Cases played and written per batch.
const BATCH: i64 = 4_000;
/// Batches played ahead of the writer.
const AHEAD: usize = 3;
/// Cases written per transaction: every committed transaction leaves whole cases (row, content,
/// parties, index entry, trail and clocks), so the register is consistent at each commit.
pub const COMMIT_EVERY: u64 = 100_000;

/// What to seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Petitions to load.
    pub petitions: u64,
    /// The seed of every random choice.
    pub seed: u64,
}

/// What was seeded.
#[derive(Debug, Clone)]
pub struct Seeded {
    pub agencies: usize,
    pub units: usize,
    pub accounts: usize,
    pub counts: Counts,
    /// The password of every seeded account.
    pub password: &'static str,
    /// A chairman's username, to sign in with.
    pub chairman: String,
}

/// Why a seed loaded nothing, or stopped.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// The database already holds petitions: a seed is a whole register, not an addition to a
    /// real one. Nothing was changed.
    #[error(
        "the database already holds {0} petitions: seed loads a register only into an empty database \
         (use a fresh TIEPDAN_DATA_DIR or DATABASE_URL)"
    )]
    NotEmpty(u64),
    /// Loading failed; the transactions committed before hold whole cases.
    #[error(transparent)]
    Failed(#[from] AppError),
}

impl From<sea_orm::DbErr> for SeedError {
    fn from(e: sea_orm::DbErr) -> Self {
        SeedError::Failed(e.into())
    }
}

/// Refuses a register that already holds petitions.
pub async fn check_empty(db: &impl ConnectionTrait) -> Result<(), SeedError> {
    match petition::Entity::find().count(db).await? {
        0 => Ok(()),
        held => Err(SeedError::NotEmpty(held)),
    }
}

/// Seeds the register of `state` as `options` say, `now` being the day the register is seen
/// from; refused (changing nothing) when it already holds petitions.
pub async fn seed(state: &AppState, options: Options, now: DateTime<Utc>) -> Result<Seeded, SeedError> {
    let db = &state.db.writer;
    check_empty(db).await?;
    let started = Instant::now();
    // One password for every account, hashed once: Argon2 per account would take minutes.
    let hash = state.passwords.hash(DEMO_PASSWORD).await?;
    let txn = db.begin().await?;
    let communes = org::communes_for(options.petitions);
    let org = Arc::new(org::create(&txn, &state.keys, options.seed, communes, &hash, now).await?);
    txn.commit().await?;
    let cal = state.calendar.get(&state.db.reader).await?;
    let first_id = next_id(db).await?;
    tracing::info!(
        agencies = org.agencies.len(),
        accounts = org.accounts,
        "seeding {} petitions from seed {}",
        options.petitions,
        options.seed
    );
    let tuned = Tuned::begin(&state.db).await?;
    let loaded = load(db, &state.keys, org.clone(), cal, options, first_id, now, started).await;
    // Sealed as a register that has been running is (its server seals every few minutes): else
    // the first server on it would spend its first minutes sealing millions of events.
    let sealed = match loaded {
        Ok(_) => audit::seal::seal(db, &state.keys.audit, now).await.map(Some),
        Err(_) => Ok(None),
    };
    tuned.end(db).await?;
    let counts = loaded?;
    if let Some(done) = sealed? {
        tracing::info!(seals = done.seals, events = done.events, "sealed the seeded trails");
    }
    finish(db, started).await?;
    Ok(Seeded {
        agencies: org.agencies.len(),
        units: org.units,
        accounts: org.accounts,
        counts,
        password: DEMO_PASSWORD,
        chairman: org.agencies[0].chairman.username.clone(),
    })
}

/// The id after the largest one ever given (none on an empty register).
async fn next_id(db: &impl ConnectionTrait) -> AppResult<i64> {
    let max: Option<Option<i64>> = petition::Entity::find()
        .select_only()
        .column_as(petition::Column::Id.max(), "max")
        .into_tuple()
        .one(db)
        .await?;
    Ok(max.flatten().unwrap_or(0) + 1)
}

/// Plans the stories in order, plays them a batch at a time on the blocking threads, and writes
/// each batch as it comes, in order, while the next ones are played.
#[allow(clippy::too_many_arguments)]
async fn load(
    db: &sea_orm::DatabaseConnection,
    keys: &Keys,
    org: Arc<Org>,
    cal: Arc<Calendar>,
    options: Options,
    first_id: i64,
    now: DateTime<Utc>,
    started: Instant,
) -> AppResult<Counts> {
    let backend = db.get_database_backend();
    let mut planner = Planner::new(&org, &cal, options.seed, civil_date(now), options.petitions, first_id);
    let mut ahead: VecDeque<tokio::task::JoinHandle<AppResult<Played>>> = VecDeque::new();
    let mut counts = Counts::default();
    let mut writer = Writer::begin(db).await?;
    let mut since_commit = 0;
    let mut timing = Timing::default();
    loop {
        while ahead.len() < AHEAD && planner.left() > 0 {
            let stories = planner.next_chunk(BATCH);
            let (keys, org, cal) = (keys.clone(), org.clone(), cal.clone());
            let seed = options.seed;
            ahead.push_back(tokio::task::spawn_blocking(move || {
                let stage = Stage { keys: &keys, org: &org, cal: &cal, seed, now };
                let mut cases = Vec::with_capacity(stories.len() * 2);
                for story in &stories {
                    cases.extend(stage.play(story)?);
                }
                write::statements(backend, &keys, cases)
            }));
        }
        let Some(next) = ahead.pop_front() else { break };
        let waiting = Instant::now();
        let (writes, batch) = next.await.map_err(AppError::internal)??;
        timing.waited += waiting.elapsed();
        since_commit += batch.petitions;
        counts.add(batch);
        for write in writes {
            let writing = Instant::now();
            let table = write.table().to_owned();
            writer.run(write).await?;
            *timing.tables.entry(table).or_default() += writing.elapsed();
        }
        if since_commit >= COMMIT_EVERY {
            let committing = Instant::now();
            writer.commit().await?;
            timing.committed += committing.elapsed();
            since_commit = 0;
            tracing::info!(
                "{} of {} petitions written ({:.1} s)",
                counts.petitions,
                options.petitions,
                started.elapsed().as_secs_f64()
            );
            writer = Writer::begin(db).await?;
        }
    }
    let committing = Instant::now();
    writer.commit().await?;
    timing.committed += committing.elapsed();
    tracing::debug!(?timing, "where the writer's time went");
    Ok(counts)
}

/// A batch played and bound: its statements and what they hold.
type Played = (Vec<write::Write>, Counts);

/// The one writer's transaction: on SQLite straight on the driver's connection (the statements
/// come bound), elsewhere through sea-orm.
enum Writer {
    Sqlite(sea_orm::sqlx::Transaction<'static, sea_orm::sqlx::Sqlite>),
    Other(sea_orm::DatabaseTransaction),
}

impl Writer {
    async fn begin(db: &sea_orm::DatabaseConnection) -> AppResult<Writer> {
        Ok(match db.get_database_backend() {
            DbBackend::Sqlite => {
                Writer::Sqlite(db.get_sqlite_connection_pool().begin().await.map_err(sqlx_error)?)
            }
            _ => Writer::Other(db.begin().await?),
        })
    }

    async fn run(&mut self, write: write::Write) -> AppResult<()> {
        match (self, write) {
            (Writer::Sqlite(tx), write::Write::Sqlite { sql, args }) => {
                // Built from the tables' column names and placeholders only: no data in the text.
                let sql = sea_orm::sqlx::AssertSqlSafe(sql);
                sea_orm::sqlx::query_with(sql, args).execute(&mut **tx).await.map_err(sqlx_error)?;
            }
            (Writer::Other(txn), write::Write::Other(statement)) => {
                txn.execute_raw(statement).await?;
            }
            _ => return Err(AppError::internal("seed: a statement for another database")),
        }
        Ok(())
    }

    async fn commit(self) -> AppResult<()> {
        match self {
            Writer::Sqlite(tx) => tx.commit().await.map_err(sqlx_error),
            Writer::Other(txn) => Ok(txn.commit().await?),
        }
    }
}

fn sqlx_error(e: sea_orm::sqlx::Error) -> AppError {
    AppError::internal(format!("seed: {e}"))
}

/// Where the writer's time went (`RUST_LOG=tiepdan=debug`): waiting for played batches, each
/// table's statements, the commits.
#[derive(Debug, Default)]
struct Timing {
    waited: std::time::Duration,
    tables: std::collections::BTreeMap<String, std::time::Duration>,
    committed: std::time::Duration,
}

/// SQLite's writer set for the load, and put back after it. A page cache that holds a whole
/// transaction's pages, so that none is written to the WAL before the commit (and rewritten after);
/// the WAL copied into the database by a checkpointer on its own connection, on the other core,
/// while the writer writes the next transaction (as the server's background checkpointer does),
/// rather than by the writer at its commits. Nothing else changes: WAL, synchronous commits,
/// foreign keys, every index and the search index stay as they are.
struct Tuned {
    /// The writer's settings before: cache size and auto-checkpoint.
    before: Option<(i64, i64)>,
    checkpointer: Option<tokio::task::JoinHandle<()>>,
}

/// The writer's page cache during a load, in KiB (a transaction of [`COMMIT_EVERY`] cases dirties
/// about 600 MB).
const LOAD_CACHE_KIB: i64 = 1_500_000;

impl Tuned {
    async fn begin(db: &crate::db::Db) -> AppResult<Tuned> {
        let writer = &db.writer;
        if writer.get_database_backend() != DbBackend::Sqlite {
            return Ok(Tuned { before: None, checkpointer: None });
        }
        let cache = pragma(writer, "cache_size").await?;
        let autocheckpoint = pragma(writer, "wal_autocheckpoint").await?;
        writer.execute_unprepared(&format!("PRAGMA cache_size = -{LOAD_CACHE_KIB}")).await?;
        writer.execute_unprepared("PRAGMA wal_autocheckpoint = 0").await?;
        let file = writer.get_sqlite_connection_pool().connect_options().get_filename().to_owned();
        let url = format!("sqlite://{}", file.display());
        let checkpointer = db.start_checkpointer(&url).await?;
        Ok(Tuned { before: Some((cache, autocheckpoint)), checkpointer })
    }

    async fn end(self, db: &sea_orm::DatabaseConnection) -> AppResult<()> {
        if let Some(task) = self.checkpointer {
            task.abort();
        }
        if let Some((cache, autocheckpoint)) = self.before {
            db.execute_unprepared(&format!("PRAGMA cache_size = {cache}")).await?;
            db.execute_unprepared(&format!("PRAGMA wal_autocheckpoint = {autocheckpoint}")).await?;
        }
        Ok(())
    }
}

/// The value of a PRAGMA on `db`'s connection.
async fn pragma(db: &sea_orm::DatabaseConnection, name: &str) -> AppResult<i64> {
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(DbBackend::Sqlite, format!("PRAGMA {name}")))
        .await?
        .ok_or_else(|| AppError::internal(format!("PRAGMA {name} answered nothing")))?;
    Ok(row.try_get_by_index::<i64>(0)?)
}

/// After the load: PostgreSQL's id sequence past the ids given, and fresh statistics for the
/// planner on both databases.
async fn finish(db: &sea_orm::DatabaseConnection, started: Instant) -> AppResult<()> {
    match db.get_database_backend() {
        DbBackend::Postgres => {
            db.execute_unprepared(
                "SELECT setval(pg_get_serial_sequence('petition', 'id'), (SELECT MAX(id) FROM petition))",
            )
            .await?;
            db.execute_unprepared("ANALYZE").await?;
        }
        _ => {
            // A sampled ANALYZE: the full one reads every index of a multi-gigabyte file.
            db.execute_unprepared("PRAGMA analysis_limit = 1000").await?;
            db.execute_unprepared("ANALYZE").await?;
            db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)").await?;
        }
    }
    tracing::info!("statistics refreshed ({:.1} s)", started.elapsed().as_secs_f64());
    Ok(())
}
