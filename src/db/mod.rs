//! Database connections. SQLite gets one writer connection (SQLite allows one writer at a time;
//! queueing in the pool beats `SQLITE_BUSY`) and a separate pool of readers, in WAL mode so
//! readers never block the writer. PostgreSQL uses one pool for both.

use std::{path::Path, str::FromStr, time::Duration};

pub mod sql;

use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr, Statement,
    sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous},
};

/// SQLite WAL pages (of 4 KiB) after which a committing writer checkpoints by itself.
const WRITER_AUTOCHECKPOINT_PAGES: &str = "100000";

/// How often the background checkpointer runs.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(500);

/// The connections of the application.
#[derive(Debug, Clone)]
pub struct Db {
    /// Every write, and reads inside write transactions.
    pub writer: DatabaseConnection,
    /// Reads that need not see an uncommitted write.
    pub reader: DatabaseConnection,
}

impl Db {
    /// Connects to `url` (`sqlite:` or `postgres:`).
    pub async fn connect(url: &str, pool_size: u32) -> Result<Self, DbErr> {
        if url.starts_with("sqlite:") {
            Self::connect_sqlite(url, pool_size).await
        } else {
            let mut opt = ConnectOptions::new(url);
            opt.max_connections(pool_size.max(2))
                .min_connections(1)
                .acquire_timeout(Duration::from_secs(10))
                .test_before_acquire_if_idle_for(Duration::from_secs(30))
                .sqlx_logging(false);
            let pool = Database::connect(opt).await?;
            Ok(Self { writer: pool.clone(), reader: pool })
        }
    }

    async fn connect_sqlite(url: &str, readers: u32) -> Result<Self, DbErr> {
        let parsed = SqliteConnectOptions::from_str(url)
            .map_err(|e| DbErr::Conn(sea_orm::RuntimeErr::Internal(format!("bad SQLite URL: {e}"))))?;
        owner_only(parsed.get_filename()).map_err(|e| DbErr::Conn(sea_orm::RuntimeErr::Internal(e)))?;
        let tune = |o: SqliteConnectOptions| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
                .pragma("temp_store", "memory")
                .pragma("cache_size", "-131072")
                .pragma("mmap_size", "268435456")
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
            .map_sqlx_sqlite_opts(move |o| tune(o).create_if_missing(true));
        let writer = Database::connect(writer_opt).await?;

        let mut reader_opt = ConnectOptions::new(url);
        reader_opt
            .max_connections(readers.max(1))
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .idle_timeout(None::<Duration>)
            .max_lifetime(None::<Duration>)
            .test_before_acquire(false)
            .sqlx_logging(false)
            .map_sqlx_sqlite_opts(move |o| tune(o).create_if_missing(false).read_only(true));
        let reader = Database::connect(reader_opt).await?;
        Ok(Self { writer, reader })
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
