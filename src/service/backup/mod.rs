//! `tiepdan backup PATH` and `tiepdan restore PATH` (issue 18): a consistent copy of the register
//! taken while a server writes to it, with the keys it cannot be read without, and its restore
//! after checks.
//!
//! A backup is a folder (owner-only, `0700`; its files `0600`):
//! - `tiepdan.db`: on SQLite, the copy made by `VACUUM INTO`: one read transaction, so a
//!   consistent snapshot of the committed register, the part still in the WAL included (copying
//!   the file while the server writes lost the writes still in the WAL: issue 18). Never a copy
//!   of the file.
//! - `tiepdan.pgdump`: on PostgreSQL, `pg_dump --format=custom` run on a snapshot exported by this
//!   command's own read-only transaction, in which it also counts what it reports, so both see the
//!   same register. Without `pg_dump` on the PATH the command refuses, unless `--keys-only` (for a
//!   deployment whose database is kept by PITR / base backups).
//! - `data.key`, `audit.key`: the data key (opens the sealed identities and attachments) and the
//!   audit key (verifies the trails); `jwt.secret` when the register keeps it in a file or it is
//!   configured (on PostgreSQL a generated one is in the database, so in the dump).
//! - `head.json`: the copy's audit head (its last seal, signed), for `verify-audit --head`.
//! - `manifest.json`: what was written ([`Manifest`]).
//!
//! The keys are what makes the copy readable: keep the folder as safely as the register itself,
//! and a second copy of the keys apart from the database's copies.

mod restore;

use std::{
    io::Write,
    path::{Path, PathBuf},
    time::Duration,
};

use chrono::{DateTime, Utc};
use sea_orm::{
    AccessMode, ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, EntityTrait,
    IsolationLevel, PaginatorTrait, QueryFilter, Statement, TransactionTrait,
};
use serde::{Deserialize, Serialize};

pub use restore::{Restored, restore};

use crate::{
    config::Config,
    crypto::{Auditor, KEY_LEN, Keys, Sealer, parse_key},
    db,
    entity::{petition, petition_event, setting},
    service::{audit::seal, bootstrap},
};

/// What the manifest's `format` says: the layout of this folder.
pub const FORMAT: &str = "tiepdan-backup 1";
/// The SQLite copy.
pub const SQLITE_FILE: &str = "tiepdan.db";
/// The PostgreSQL dump.
pub const PG_FILE: &str = "tiepdan.pgdump";
/// The manifest.
pub const MANIFEST: &str = "manifest.json";
/// The copy's signed audit head.
pub const HEAD: &str = "head.json";
/// The key files, named as beside the SQLite database.
pub const DATA_KEY: &str = bootstrap::DATA_KEY_FILE;
pub const AUDIT_KEY: &str = "audit.key";
pub const JWT_SECRET: &str = "jwt.secret";

/// What a backup holds, written last (a folder without it is not a finished backup).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    pub format: String,
    pub taken_at: DateTime<Utc>,
    /// `sqlite` or `postgres`.
    pub database: String,
    /// The database's copy in the folder; `None` for `--keys-only`.
    pub file: Option<String>,
    /// Its size in bytes.
    pub bytes: u64,
    /// Petitions in the copy.
    pub petitions: u64,
    /// The copy's last seal (0: none yet), and the events written after it, not yet sealed.
    pub audit_seal: i64,
    pub audit_hash: String,
    pub unsealed_events: u64,
    /// The last migration the copy had.
    pub last_migration: Option<String>,
    /// The keys' check values, as the register keeps them.
    pub data_key_check: String,
    pub audit_key_check: String,
    /// Whether `jwt.secret` is in the folder.
    pub jwt_secret: bool,
}

/// The register's keys, as files or configuration hold them.
#[derive(Clone)]
pub struct KeyTexts {
    pub data: [u8; KEY_LEN],
    pub audit: [u8; KEY_LEN],
    /// The signing secret, when kept in a file or configured.
    pub jwt: Option<String>,
}

impl KeyTexts {
    /// The keys in use.
    pub fn keys(&self) -> Keys {
        Keys::new(&self.data, &self.audit)
    }
}

/// The keys the configuration names or the files beside the SQLite database hold, as the server
/// reads them (`bootstrap::keys`), without generating any.
pub fn configured_keys(config: &Config) -> Result<KeyTexts, String> {
    let url = config.database_url();
    let folder = if db::is_sqlite_url(&url) { db::sqlite_folder(&url) } else { None };
    let one = |configured: Option<&str>, variable: &str, file: &str| -> Result<[u8; KEY_LEN], String> {
        if let Some(text) = configured.filter(|t| !t.trim().is_empty()) {
            return parse_key(text).map_err(|e| format!("{variable} refused: {e}"));
        }
        let Some(folder) = &folder else {
            return Err(format!("{variable} is required with PostgreSQL"));
        };
        let path = folder.join(file);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {} (nor is {variable} set): {e}", path.display()))?;
        parse_key(&text).map_err(|e| format!("{} refused: {e}", path.display()))
    };
    let data = one(config.data_key.as_deref(), "TIEPDAN_DATA_KEY", DATA_KEY)?;
    let audit = one(config.audit_key.as_deref(), "TIEPDAN_AUDIT_KEY", AUDIT_KEY)?;
    let jwt = match config.jwt_secret.as_deref().filter(|t| !t.trim().is_empty()) {
        Some(secret) => Some(secret.to_owned()),
        None => match &folder {
            Some(folder) => match std::fs::read_to_string(folder.join(JWT_SECRET)) {
                Ok(text) => Some(text.trim().to_owned()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => return Err(format!("cannot read {}: {e}", folder.join(JWT_SECRET).display())),
            },
            None => None,
        },
    };
    Ok(KeyTexts { data, audit, jwt })
}

/// What `tiepdan backup` wrote.
#[derive(Debug, Clone)]
pub struct Written {
    pub path: PathBuf,
    pub manifest: Manifest,
}

/// Options of `tiepdan backup`.
#[derive(Debug, Clone, Copy, Default)]
pub struct BackupOptions {
    /// Replace an existing PATH.
    pub overwrite: bool,
    /// PostgreSQL: write the keys only (the database is kept by other means).
    pub keys_only: bool,
}

/// One connection to `url` that creates nothing and waits for a busy database rather than fail.
pub(crate) async fn connect_one(url: &str) -> Result<DatabaseConnection, String> {
    let mut opt = ConnectOptions::new(url);
    opt.max_connections(1)
        .min_connections(1)
        .sqlx_logging(false)
        .acquire_timeout(Duration::from_secs(30))
        .map_sqlx_sqlite_opts(|o| o.create_if_missing(false).busy_timeout(Duration::from_secs(30)));
    Database::connect(opt).await.map_err(|e| format!("cannot open the database: {e}"))
}

/// Checks `keys` against the check values the register `db` keeps: the register was written under
/// them. A register without check values (never started) passes.
pub(crate) async fn check_keys(db: &impl ConnectionTrait, keys: &Keys, whose: &str) -> Result<(), String> {
    for (row, check, name) in [
        (bootstrap::DATA_KEY_CHECK, keys.data.check_value(), "data key"),
        ("audit_key_check", keys.audit.check_value(), "audit key"),
    ] {
        let stored = setting::Entity::find_by_id(row.to_owned())
            .one(db)
            .await
            .map_err(|e| format!("cannot read the key check values: {e}"))?;
        if let Some(stored) = stored
            && stored.value != check
        {
            return Err(format!("the {name} {whose} is not the key this register was written with"));
        }
    }
    Ok(())
}

/// What the copy holds: its petitions, its last seal, the events after it, its last migration.
struct Counted {
    petitions: u64,
    seal: i64,
    hash: String,
    unsealed: u64,
    last_migration: Option<String>,
}

async fn count(db: &impl ConnectionTrait) -> Result<Counted, String> {
    let failed = |e: sea_orm::DbErr| format!("cannot read the copy: {e}");
    let petitions = petition::Entity::find().count(db).await.map_err(failed)?;
    let (seal, hash) = seal::last_seal(db)
        .await
        .map_err(|e| format!("cannot read the copy's seals: {e}"))?
        .unwrap_or((0, crate::service::audit::GENESIS.to_owned()));
    // The partial index of unsealed events serves this count.
    let unsealed = petition_event::Entity::find()
        .filter(sea_orm::ColumnTrait::is_null(&petition_event::Column::Sealed))
        .count(db)
        .await
        .map_err(failed)?;
    let last_migration = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT version FROM seaql_migrations ORDER BY version DESC LIMIT 1",
        ))
        .await
        .map_err(failed)?
        .map(|row| row.try_get::<String>("", "version"))
        .transpose()
        .map_err(failed)?;
    Ok(Counted { petitions, seal, hash, unsealed, last_migration })
}

/// `tiepdan backup PATH`: see the module docs. Refuses an existing PATH unless `overwrite`; writes
/// into a folder beside it and renames it into place once complete, so PATH is never half
/// written.
pub async fn backup(
    config: &Config,
    path: &Path,
    options: BackupOptions,
    now: DateTime<Utc>,
) -> Result<Written, String> {
    if path.exists() && !options.overwrite {
        return Err(format!(
            "{} exists: choose another path, or pass --overwrite to replace it",
            path.display()
        ));
    }
    let key_texts = configured_keys(config)?;
    let keys = key_texts.keys();
    let url = config.database_url();
    let sqlite = db::is_sqlite_url(&url);
    if sqlite {
        let file = sqlite_file(&url)?;
        if !file.exists() {
            return Err(format!("there is no register at {}", file.display()));
        }
    }
    let live = connect_one(&url).await?;
    check_keys(&live, &keys, "configured (or beside the database)").await?;
    let staging = staging_folder(path)?;
    let result = async {
        let (file, counted) = if sqlite {
            (Some(SQLITE_FILE), copy_sqlite(&live, &staging.join(SQLITE_FILE)).await?)
        } else if options.keys_only {
            let counted = count(&live).await?;
            (None, counted)
        } else {
            (Some(PG_FILE), dump_postgres(&live, &url, &staging.join(PG_FILE)).await?)
        };
        let bytes = match file {
            Some(name) => {
                std::fs::metadata(staging.join(name)).map_err(|e| format!("cannot read the copy: {e}"))?.len()
            }
            None => 0,
        };
        write_private(&staging.join(DATA_KEY), &hex::encode(key_texts.data))?;
        write_private(&staging.join(AUDIT_KEY), &hex::encode(key_texts.audit))?;
        if let Some(secret) = &key_texts.jwt {
            write_private(&staging.join(JWT_SECRET), secret)?;
        }
        let head = seal::SignedHead::sign(&keys.audit, counted.seal, counted.hash.clone(), now);
        write_private(&staging.join(HEAD), &serde_json::to_string(&head).map_err(|e| e.to_string())?)?;
        let manifest = Manifest {
            format: FORMAT.to_owned(),
            taken_at: now,
            database: if sqlite { "sqlite" } else { "postgres" }.to_owned(),
            file: file.map(str::to_owned),
            bytes,
            petitions: counted.petitions,
            audit_seal: counted.seal,
            audit_hash: counted.hash,
            unsealed_events: counted.unsealed,
            last_migration: counted.last_migration,
            data_key_check: keys.data.check_value().to_owned(),
            audit_key_check: keys.audit.check_value().to_owned(),
            jwt_secret: key_texts.jwt.is_some(),
        };
        let text = serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())?;
        write_private(&staging.join(MANIFEST), &text)?;
        Ok::<_, String>(manifest)
    }
    .await;
    let _ = live.close().await;
    let manifest = match result {
        Ok(manifest) => manifest,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    put_in_place(&staging, path, options.overwrite)?;
    Ok(Written { path: path.to_path_buf(), manifest })
}

/// The SQLite file of a `sqlite:` URL.
pub(crate) fn sqlite_file(url: &str) -> Result<PathBuf, String> {
    use std::str::FromStr;
    let parsed = sea_orm::sqlx::sqlite::SqliteConnectOptions::from_str(url)
        .map_err(|e| format!("bad SQLite URL: {e}"))?;
    Ok(parsed.get_filename().to_path_buf())
}

/// `VACUUM INTO` the file `target` (created empty and owner-only first: SQLite would create it
/// readable by all), then counts the copy.
async fn copy_sqlite(live: &DatabaseConnection, target: &Path) -> Result<Counted, String> {
    create_private(target)?;
    let name = target.to_str().ok_or("the backup path is not valid UTF-8")?;
    live.execute_unprepared(&format!("VACUUM INTO '{}'", name.replace('\'', "''")))
        .await
        .map_err(|e| format!("the copy failed: {e}"))?;
    // SQLite writes the copy without syncing it.
    std::fs::File::open(target)
        .and_then(|f| f.sync_all())
        .map_err(|e| format!("cannot sync the copy: {e}"))?;
    let copy = connect_one(&format!("sqlite://{name}")).await?;
    let counted = count(&copy).await;
    let _ = copy.close().await;
    counted
}

/// `pg_dump` of the snapshot of a read-only transaction, in which the copy is counted too.
async fn dump_postgres(live: &DatabaseConnection, url: &str, target: &Path) -> Result<Counted, String> {
    let txn = live
        .begin_with_config(Some(IsolationLevel::RepeatableRead), Some(AccessMode::ReadOnly))
        .await
        .map_err(|e| format!("cannot open a snapshot: {e}"))?;
    let snapshot: String = txn
        .query_one_raw(Statement::from_string(DbBackend::Postgres, "SELECT pg_export_snapshot() AS s"))
        .await
        .and_then(|row| row.ok_or_else(|| sea_orm::DbErr::Custom("no snapshot".into())))
        .and_then(|row| row.try_get("", "s"))
        .map_err(|e| format!("cannot export a snapshot: {e}"))?;
    let counted = count(&txn).await?;
    create_private(target)?;
    let out = tokio::process::Command::new("pg_dump")
        .arg("--format=custom")
        .arg(format!("--snapshot={snapshot}"))
        .arg("--no-owner")
        .arg("--file")
        .arg(target)
        .arg("--dbname")
        .arg(url)
        .output()
        .await
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                "pg_dump is not on the PATH: install PostgreSQL's client tools (the same major version as \
                 the server), or keep the database by PITR / base backups and run `tiepdan backup --keys-only \
                 PATH` to keep its keys"
                    .to_owned()
            } else {
                format!("cannot run pg_dump: {e}")
            }
        })?;
    let _ = txn.commit().await;
    if !out.status.success() {
        return Err(format!("pg_dump failed: {}", String::from_utf8_lossy(&out.stderr).trim()));
    }
    std::fs::File::open(target)
        .and_then(|f| f.sync_all())
        .map_err(|e| format!("cannot sync the dump: {e}"))?;
    Ok(counted)
}

/// A new owner-only folder beside `path` to write the backup into.
fn staging_folder(path: &Path) -> Result<PathBuf, String> {
    let name = path.file_name().ok_or_else(|| format!("{} is not a folder name", path.display()))?;
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !parent.is_dir() {
        return Err(format!("{} does not exist", parent.display()));
    }
    let mut staging = name.to_owned();
    staging.push(format!(".partial-{}", uuid::Uuid::new_v4().simple()));
    let staging = parent.join(staging);
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(&staging).map_err(|e| format!("cannot create {}: {e}", staging.display()))?;
    Ok(staging)
}

/// Renames the finished `staging` folder to `path`; an existing `path` (allowed by `overwrite`) is
/// moved aside first and removed once the new one is in place.
fn put_in_place(staging: &Path, path: &Path, overwrite: bool) -> Result<(), String> {
    let mut aside = None;
    if path.exists() || path.is_symlink() {
        if !overwrite {
            let _ = std::fs::remove_dir_all(staging);
            return Err(format!(
                "{} appeared while the backup was taken: it is left as it was",
                path.display()
            ));
        }
        let mut name = path.as_os_str().to_owned();
        name.push(".replaced");
        let old = PathBuf::from(name);
        remove_any(&old)?;
        std::fs::rename(path, &old).map_err(|e| format!("cannot move {} aside: {e}", path.display()))?;
        aside = Some(old);
    }
    std::fs::rename(staging, path).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        sync_folder(parent);
    }
    if let Some(old) = aside {
        remove_any(&old)?;
    }
    Ok(())
}

fn remove_any(path: &Path) -> Result<(), String> {
    let removed = if path.is_dir() && !path.is_symlink() {
        std::fs::remove_dir_all(path)
    } else {
        std::fs::remove_file(path)
    };
    match removed {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("cannot remove {}: {e}", path.display())),
    }
}

/// Makes a folder's entries durable (a rename is only durable once its folder is synced).
pub(crate) fn sync_folder(folder: &Path) {
    if let Ok(dir) = std::fs::File::open(folder) {
        let _ = dir.sync_all();
    }
}

/// Creates `path` empty and readable by its owner only; fails when it exists.
fn create_private(path: &Path) -> Result<std::fs::File, String> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map_err(|e| format!("cannot create {}: {e}", path.display()))
}

/// Writes `text` to the new file `path`, owner-only, and syncs it.
pub(crate) fn write_private(path: &Path, text: &str) -> Result<(), String> {
    let mut file = create_private(path)?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The check values of keys, to compare with a manifest's.
pub(crate) fn check_values(data: &[u8; KEY_LEN], audit: &[u8; KEY_LEN]) -> (String, String) {
    (Sealer::new(data).check_value().to_owned(), Auditor::new(audit).check_value().to_owned())
}
