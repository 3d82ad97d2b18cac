//! Database connections. SQLite gets one writer connection (SQLite allows one writer at a time;
//! queueing in the pool beats `SQLITE_BUSY`) and a separate pool of readers, in WAL mode so
//! readers never block the writer. PostgreSQL uses one pool for both.

use std::{path::Path, str::FromStr, time::Duration};

pub mod budget;
pub mod counter;
pub mod sql;

use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr, Statement,
    sqlx::{
        self,
        pool::PoolOptions,
        sqlite::{SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqliteSynchronous},
    },
};

/// SQLite WAL pages (of 4 KiB) after which a committing writer checkpoints by itself.
const WRITER_AUTOCHECKPOINT_PAGES: &str = "100000";

/// How often the background checkpointer runs.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(500);

// Memory. The server must stay under 200 MB resident at any register size (issue 14); it held
// 3.1-3.6 GiB at a million petitions with a 128 MiB page cache per connection and 256 MiB of
// memory-mapped file per connection (each connection maps the file on its own, and every mapped
// page it touches counts in the process's resident memory). So: no memory-mapped I/O (pages are
// read with `pread` from the kernel's page cache, which keeps the hot part of the file without
// counting against the server; on an indexed, paged read the cost is a few microseconds a
// query), a page cache per connection that holds the interior pages of the hot indexes (a
// million-row index has a few MB of them), temporary tables and sorts on disk past that cache
// (`temp_store` left to its default: a sort the indexes do not serve spills instead of growing),
// and no more readers than the cores can keep busy. At most
// `READER_CACHE_KIB × readers + WRITER_CACHE_KIB` of page cache, 48 MiB with 4 readers.
// The bulk seeder (`service::seed`) raises the writer's cache for its load and puts it back.

/// Page cache of each SQLite reader, in KiB.
const READER_CACHE_KIB: u32 = 8 * 1024;
/// Page cache of the SQLite writer, in KiB: it also holds the pages a transaction dirties.
const WRITER_CACHE_KIB: u32 = 16 * 1024;
/// SQLite readers per core: reads of a file in the kernel's cache are CPU work, so more readers
/// than this only add memory and switches; the readers asked for (`TIEPDAN_DB_POOL`) are capped
/// at it, and never fewer than [`MIN_READERS`].
const READERS_PER_CORE: u32 = 2;
const MIN_READERS: u32 = 2;
/// Prepared statements kept per connection (sqlx's cache, least recently used out): more than
/// the distinct statements of the hot paths, so they are prepared once per connection.
const STATEMENT_CACHE: usize = 256;

/// How the application's connections are set up.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Connections in the PostgreSQL pool, or SQLite readers (capped, see [`READERS_PER_CORE`]).
    pub pool: u32,
    /// How long a request may take, and so its database work (see [`budget`]).
    pub request_timeout: Duration,
    /// Whether PostgreSQL sessions end a statement (or an idle transaction) past the request
    /// timeout: the server's do; a maintenance command's (a million-petition `seed`, `rotate-key`)
    /// do not, its long statements being its work.
    pub limit_statements: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self { pool: 8, request_timeout: Duration::from_secs(30), limit_statements: true }
    }
}

/// The connections of the application.
#[derive(Debug, Clone)]
pub struct Db {
    /// Every write, and reads inside write transactions.
    pub writer: DatabaseConnection,
    /// Reads that need not see an uncommitted write.
    pub reader: DatabaseConnection,
    /// How long a request may take (see [`budget`]).
    pub request_timeout: Duration,
}

impl Db {
    /// Connects to `url` (`sqlite:` or `postgres:`) with `pool_size` connections (or readers) and
    /// the default request timeout.
    pub async fn connect(url: &str, pool_size: u32) -> Result<Self, DbErr> {
        Self::connect_with(url, &Settings { pool: pool_size, ..Settings::default() }).await
    }

    /// Connects to `url` (`sqlite:` or `postgres:`).
    pub async fn connect_with(url: &str, settings: &Settings) -> Result<Self, DbErr> {
        if url.starts_with("sqlite:") {
            Self::connect_sqlite(url, settings).await
        } else {
            Self::connect_postgres(url, settings).await
        }
    }

    /// One pool for reads and writes, of `settings.pool` connections (the server's concurrency is
    /// the database server's cores, not this machine's). Each session ends a statement that runs
    /// past the request timeout (`statement_timeout`: the server stops it and the connection
    /// answers again; a request's statements run well under it, and so do the maintenance
    /// commands' batches; migrations run on a connection of their own without it), and a
    /// transaction left idle that long (`idle_in_transaction_session_timeout`: a connection
    /// abandoned mid-transaction gives its locks back). `synchronous_commit` stays PostgreSQL's
    /// default (`on`): a committed case must survive a crash of the database server, and group
    /// commit already spreads the flushes of concurrent writers. Prepared statements are cached
    /// per connection ([`STATEMENT_CACHE`]).
    async fn connect_postgres(url: &str, settings: &Settings) -> Result<Self, DbErr> {
        // 0 is PostgreSQL's "no limit".
        let limit = if settings.limit_statements {
            settings.request_timeout.as_millis().max(1).to_string()
        } else {
            "0".to_owned()
        };
        let mut opt = ConnectOptions::new(url);
        opt.max_connections(settings.pool.max(2))
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(10))
            .test_before_acquire_if_idle_for(Duration::from_secs(30))
            .sqlx_logging(false)
            .map_sqlx_postgres_opts(move |o| {
                o.statement_cache_capacity(STATEMENT_CACHE).options([
                    ("statement_timeout", limit.as_str()),
                    ("idle_in_transaction_session_timeout", limit.as_str()),
                ])
            });
        let pool = Database::connect(opt).await?;
        Ok(Self { writer: pool.clone(), reader: pool, request_timeout: settings.request_timeout })
    }

    async fn connect_sqlite(url: &str, settings: &Settings) -> Result<Self, DbErr> {
        let parsed = SqliteConnectOptions::from_str(url)
            .map_err(|e| DbErr::Conn(sea_orm::RuntimeErr::Internal(format!("bad SQLite URL: {e}"))))?;
        owner_only(parsed.get_filename()).map_err(|e| DbErr::Conn(sea_orm::RuntimeErr::Internal(e)))?;
        let tune = |o: SqliteConnectOptions, cache_kib: u32| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
                .statement_cache_capacity(STATEMENT_CACHE)
                .pragma("cache_size", format!("-{cache_kib}"))
                .pragma("mmap_size", "0")
                // The background checkpointer (`start_checkpointer`) copies the WAL into the
                // database; a writer only checkpoints itself, in a request, if that falls far behind.
                .pragma("wal_autocheckpoint", WRITER_AUTOCHECKPOINT_PAGES)
        };

        let mut writer_opt = ConnectOptions::new(url);
        writer_opt
            .max_connections(1)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .idle_timeout(None::<Duration>)
            .max_lifetime(None::<Duration>)
            .test_before_acquire(false)
            .sqlx_logging(false)
            .map_sqlx_sqlite_opts(move |o| tune(o, WRITER_CACHE_KIB).create_if_missing(true))
            .map_sqlx_sqlite_pool_opts(with_budget);
        let writer = Database::connect(writer_opt).await?;

        let cores = std::thread::available_parallelism().map_or(2, |n| u32::try_from(n.get()).unwrap_or(2));
        let readers = settings.pool.min(cores.saturating_mul(READERS_PER_CORE)).max(MIN_READERS);
        let mut reader_opt = ConnectOptions::new(url);
        reader_opt
            .max_connections(readers)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .idle_timeout(None::<Duration>)
            .max_lifetime(None::<Duration>)
            .test_before_acquire(false)
            .sqlx_logging(false)
            .map_sqlx_sqlite_opts(move |o| tune(o, READER_CACHE_KIB).create_if_missing(false).read_only(true))
            .map_sqlx_sqlite_pool_opts(with_budget);
        let reader = Database::connect(reader_opt).await?;
        Ok(Self { writer, reader, request_timeout: settings.request_timeout })
    }

    /// The backend in use.
    pub fn backend(&self) -> DbBackend {
        self.writer.get_database_backend()
    }

    /// Applies pending migrations. On PostgreSQL an advisory lock serialises servers that start
    /// together, so only one of them migrates.
    pub async fn migrate(&self, url: &str) -> Result<(), DbErr> {
        match self.backend() {
            DbBackend::Postgres => {
                // A one-connection pool so the lock and the migrations share a session.
                let mut opt = ConnectOptions::new(url);
                opt.max_connections(1).sqlx_logging(false);
                let conn = Database::connect(opt).await?;
                conn.execute_raw(Statement::from_string(
                    DbBackend::Postgres,
                    "SELECT pg_advisory_lock(727368)",
                ))
                .await?;
                let result = Migrator::up(&conn, None).await;
                conn.execute_raw(Statement::from_string(
                    DbBackend::Postgres,
                    "SELECT pg_advisory_unlock(727368)",
                ))
                .await?;
                conn.close().await?;
                result
            }
            _ => Migrator::up(&self.writer, None).await,
        }
    }

    /// On SQLite, starts a task that checkpoints the WAL every half second on its own connection,
    /// so that requests do not pay for it (a passive checkpoint waits for nobody and nobody waits
    /// for it). Nothing to do on PostgreSQL.
    pub async fn start_checkpointer(&self, url: &str) -> Result<Option<tokio::task::JoinHandle<()>>, DbErr> {
        if self.backend() != DbBackend::Sqlite {
            return Ok(None);
        }
        let mut opt = ConnectOptions::new(url);
        opt.max_connections(1)
            .min_connections(1)
            .idle_timeout(None::<Duration>)
            .max_lifetime(None::<Duration>)
            .test_before_acquire(false)
            .sqlx_logging(false)
            .map_sqlx_sqlite_opts(|o| o.busy_timeout(Duration::from_secs(1)).create_if_missing(false));
        let conn = Database::connect(opt).await?;
        Ok(Some(tokio::spawn(async move {
            let mut tick = tokio::time::interval(CHECKPOINT_EVERY);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if let Err(e) = conn.execute_unprepared("PRAGMA wal_checkpoint(PASSIVE)").await {
                    tracing::warn!(error = %e, "WAL checkpoint failed");
                }
            }
        })))
    }

    /// Answers when the database does (for `/health`).
    pub async fn ping(&self) -> Result<(), DbErr> {
        self.reader.ping().await
    }

    /// Closes the pools; on SQLite this checkpoints the WAL.
    pub async fn close(self) {
        let _ = self.reader.close().await;
        let _ = self.writer.close().await;
    }
}

/// Arms every SQLite connection of `pool` with the budget of the request it is handed out to
/// (see [`budget`]), when it is opened and each time it is handed out again.
fn with_budget(pool: PoolOptions<sqlx::Sqlite>) -> PoolOptions<sqlx::Sqlite> {
    pool.after_connect(|conn, _| Box::pin(arm(conn)))
        .before_acquire(|conn, _| Box::pin(async move { arm(conn).await.map(|()| true) }))
}

/// Installs on `conn` a progress handler that stops its statement once the current task's budget
/// is spent, or removes it outside a request (a background task, a maintenance command: never
/// cut short). A statement stopped so fails with `SQLITE_INTERRUPT`, a timeout for
/// [`crate::error::AppError`].
async fn arm(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    let current = budget::current();
    let mut handle = conn.lock_handle().await?;
    match current {
        Some(b) => handle.set_progress_handler(budget::CHECK_EVERY_OPS, move || !b.is_spent()),
        None => handle.remove_progress_handler(),
    }
    Ok(())
}

/// Makes the SQLite database readable by its owner only: its folder is created `0700` (an existing
/// one is tightened to it, unless it is the working directory), the database file is created
/// `0600` before SQLite opens it (SQLite gives the `-wal` and `-shm` files the database's mode),
/// and existing files that others may read are set to `0600`.
fn owner_only(file: &Path) -> Result<(), String> {
    if file.as_os_str().is_empty() || file == Path::new(":memory:") {
        return Ok(());
    }
    let dir = file.parent().filter(|d| !d.as_os_str().is_empty());
    if let Some(dir) = dir {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(dir).map_err(|e| format!("cannot create database folder {}: {e}", dir.display()))?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        let tighten = |path: &Path, mode: u32| -> Result<(), String> {
            match std::fs::metadata(path) {
                Ok(meta) if meta.permissions().mode() & 0o077 != 0 => {
                    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).map_err(|e| {
                        format!("cannot make {} readable by its owner only: {e}", path.display())
                    })
                }
                _ => Ok(()),
            }
        };
        if let Some(dir) = dir.filter(|d| *d != Path::new(".")) {
            // A shared folder the register does not own stays as it is; its files are still 0600.
            if let Err(e) = tighten(dir, 0o700) {
                tracing::warn!("{e}");
            }
        }
        match std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(file) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(format!("cannot create the database {}: {e}", file.display())),
        }
        for suffix in ["", "-wal", "-shm"] {
            let mut name = file.as_os_str().to_owned();
            name.push(suffix);
            tighten(Path::new(&name), 0o600)?;
        }
    }
    Ok(())
}

/// True when `path` looks like it holds a SQLite database URL's file.
pub fn is_sqlite_url(url: &str) -> bool {
    url.starts_with("sqlite:")
}

/// The folder the SQLite file lives in, to keep the JWT secret beside it.
pub fn sqlite_folder(url: &str) -> Option<std::path::PathBuf> {
    let parsed = SqliteConnectOptions::from_str(url).ok()?;
    let dir = parsed.get_filename().parent().map(Path::to_path_buf)?;
    Some(if dir.as_os_str().is_empty() { std::path::PathBuf::from(".") } else { dir })
}
