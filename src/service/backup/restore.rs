//! `tiepdan restore PATH`: checks a backup, then puts it in place of the configured database.
//!
//! The copy is checked before anything is replaced: on SQLite a scratch copy beside the database
//! gets `PRAGMA integrity_check`, the check that this binary knows every migration it had (then
//! the pending ones are applied), the check that the backup's keys are the ones it was written
//! under, and `verify-audit`'s verification (seals, every trail against its case, content and
//! parties, the account log, and the backup's own head). Only then are the keys and the database
//! put in place, each by a rename, the replaced ones kept beside (`….replaced-<time>`).
//!
//! Refused, changing nothing: a database in use (a server has it open: on SQLite, switching it out
//! of WAL mode is refused while another connection holds it; on PostgreSQL, another session is
//! connected) whatever `--force` says; and one that holds data (a petition, a reception session,
//! an account besides the first admin) unless `--force`.
//!
//! On PostgreSQL the dump is checked by `pg_restore --list`, restored in one transaction (a failed
//! restore changes nothing), then verified as above; the keys must be configured
//! (`TIEPDAN_DATA_KEY`, `TIEPDAN_AUDIT_KEY`) to the backup's, as PostgreSQL keeps none in files.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

use super::{
    AUDIT_KEY, DATA_KEY, FORMAT, HEAD, JWT_SECRET, MANIFEST, Manifest, check_keys, check_values, connect_one,
    sqlite_file, sync_folder, write_private,
};
use crate::{
    config::Config,
    crypto::{KEY_LEN, Keys, parse_key},
    db,
    service::{
        audit::{self, seal::SignedHead},
        oversight::account_events,
    },
};

/// What `tiepdan restore` did.
#[derive(Debug, Clone)]
pub struct Restored {
    /// The backup's manifest.
    pub manifest: Manifest,
    /// Case trails and seals verified.
    pub checked: u64,
    pub seals: u64,
    /// Where the replaced database went (SQLite), if there was one.
    pub replaced: Option<PathBuf>,
    /// Key files written.
    pub keys_written: Vec<PathBuf>,
}

/// The backup's keys, read and checked against its manifest.
struct BackupKeys {
    data: [u8; KEY_LEN],
    audit: [u8; KEY_LEN],
    jwt: Option<String>,
}

fn read_backup(path: &Path) -> Result<(Manifest, BackupKeys, Option<SignedHead>), String> {
    let read = |name: &str| {
        std::fs::read_to_string(path.join(name))
            .map_err(|e| format!("{} is not a backup made by `tiepdan backup` ({name}: {e})", path.display()))
    };
    let manifest: Manifest = serde_json::from_str(&read(MANIFEST)?)
        .map_err(|e| format!("{}: the manifest does not read: {e}", path.display()))?;
    if manifest.format != FORMAT {
        return Err(format!("{}: a backup of another format ({})", path.display(), manifest.format));
    }
    let key = |name: &str| -> Result<[u8; KEY_LEN], String> {
        parse_key(&read(name)?).map_err(|e| format!("{}: refused: {e}", path.join(name).display()))
    };
    let (data, audit) = (key(DATA_KEY)?, key(AUDIT_KEY)?);
    let (data_check, audit_check) = check_values(&data, &audit);
    if data_check != manifest.data_key_check || audit_check != manifest.audit_key_check {
        return Err(format!(
            "{}: its keys are not the ones the backup was taken with (their check values differ from the \
             manifest's)",
            path.display()
        ));
    }
    let jwt = if manifest.jwt_secret { Some(read(JWT_SECRET)?.trim().to_owned()) } else { None };
    let head = match std::fs::read_to_string(path.join(HEAD)) {
        Ok(text) => Some(
            serde_json::from_str::<SignedHead>(text.trim())
                .map_err(|e| format!("{}: the head does not read: {e}", path.join(HEAD).display()))?,
        ),
        Err(_) => None,
    };
    Ok((manifest, BackupKeys { data, audit, jwt }, head))
}

/// `tiepdan restore PATH [--force]`: see the module docs.
pub async fn restore(
    config: &Config,
    path: &Path,
    force: bool,
    now: DateTime<Utc>,
) -> Result<Restored, String> {
    let (manifest, backup, head) = read_backup(path)?;
    let Some(file) = manifest.file.clone() else {
        return Err(format!(
            "{} holds the keys only (taken with --keys-only): restore the database by PITR or from its base \
             backup, with these keys configured",
            path.display()
        ));
    };
    // A configured key wins over the files: it must be the backup's.
    for (configured, key, variable) in [
        (config.data_key.as_deref(), &backup.data, "TIEPDAN_DATA_KEY"),
        (config.audit_key.as_deref(), &backup.audit, "TIEPDAN_AUDIT_KEY"),
    ] {
        if let Some(text) = configured.filter(|t| !t.trim().is_empty()) {
            let configured = parse_key(text).map_err(|e| format!("{variable} refused: {e}"))?;
            if &configured != key {
                return Err(format!(
                    "{variable} is set to another key than the backup's: unset it (the backup's key is then put \
                     beside the database) or set it to the key in {}",
                    path.display()
                ));
            }
        }
    }
    let keys = Keys::new(&backup.data, &backup.audit);
    let url = config.database_url();
    match (db::is_sqlite_url(&url), manifest.database.as_str()) {
        (true, "sqlite") => {
            restore_sqlite(config, path, &file, manifest, &backup, &keys, head, force, now).await
        }
        (false, "postgres") => restore_postgres(&url, path, &file, manifest, &keys, head, force, now).await,
        (_, other) => Err(format!(
            "{} is a backup of a {other} register and the configured database is not: restore it into the same \
             kind of database",
            path.display()
        )),
    }
}

#[allow(clippy::too_many_arguments)]
async fn restore_sqlite(
    config: &Config,
    path: &Path,
    file: &str,
    manifest: Manifest,
    backup: &BackupKeys,
    keys: &Keys,
    head: Option<SignedHead>,
    force: bool,
    now: DateTime<Utc>,
) -> Result<Restored, String> {
    let url = config.database_url();
    let target = sqlite_file(&url)?;
    let folder =
        target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf();
    // Refusals first, before the (long) check of the copy; checked again before the swap.
    refuse_target(&target, force).await?;
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(&folder).map_err(|e| format!("cannot create {}: {e}", folder.display()))?;

    let scratch = with_suffix(&target, ".restoring");
    remove_sqlite_files(&scratch)?;
    let source = path.join(file);
    std::fs::copy(&source, &scratch).map_err(|e| format!("cannot copy {}: {e}", source.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&scratch, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| format!("cannot protect {}: {e}", scratch.display()))?;
    }
    let checked = async {
        let name = scratch.to_str().ok_or("the database path is not valid UTF-8")?;
        let copy = connect_one(&format!("sqlite://{name}"))
            .await
            .map_err(|e| format!("the copy is damaged: {e}"))?;
        let result = async {
            integrity(&copy).await?;
            let checked = check_copy(&copy, keys, head.as_ref(), now).await?;
            // Self-contained (no WAL beside it) before it is renamed into place.
            copy.execute_unprepared("PRAGMA journal_mode=DELETE")
                .await
                .map_err(|e| format!("cannot finish the copy: {e}"))?;
            Ok::<_, String>(checked)
        }
        .await;
        let _ = copy.close().await;
        result
    }
    .await;
    let (checked, seals) = match checked {
        Ok(c) => c,
        Err(e) => {
            let _ = remove_sqlite_files(&scratch);
            return Err(format!("{}: {e}; nothing was replaced", path.display()));
        }
    };
    if let Err(e) = refuse_target(&target, force).await {
        let _ = remove_sqlite_files(&scratch);
        return Err(e);
    }
    let stamp = now.format("%Y%m%dT%H%M%SZ").to_string();
    let mut keys_written = Vec::new();
    let configured = |c: &Option<String>| c.as_deref().is_some_and(|t| !t.trim().is_empty());
    for (is_configured, name, text) in [
        (configured(&config.data_key), DATA_KEY, Some(hex::encode(backup.data))),
        (configured(&config.audit_key), AUDIT_KEY, Some(hex::encode(backup.audit))),
        (configured(&config.jwt_secret), JWT_SECRET, backup.jwt.clone()),
    ] {
        if let (false, Some(text)) = (is_configured, text)
            && place_key(&folder, name, &text, &stamp)?
        {
            keys_written.push(folder.join(name));
        }
    }
    let replaced = if target.exists() {
        let aside = with_suffix(&target, &format!(".replaced-{stamp}"));
        std::fs::rename(&target, &aside)
            .map_err(|e| format!("cannot move {} aside: {e}", target.display()))?;
        for suffix in ["-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(with_suffix(&target, suffix));
        }
        Some(aside)
    } else {
        None
    };
    std::fs::rename(&scratch, &target)
        .map_err(|e| format!("cannot put {} in place: {e}", target.display()))?;
    sync_folder(&folder);
    Ok(Restored { manifest, checked, seals, replaced, keys_written })
}

/// Refuses a target in use (always) or holding data (unless `force`). On SQLite, leaves an existing
/// target out of WAL mode (its committed pages all in the file): the test of use, and what makes
/// it safe to rename aside.
async fn refuse_target(target: &Path, force: bool) -> Result<(), String> {
    if !target.exists() || std::fs::metadata(target).map(|m| m.len() == 0).unwrap_or(true) {
        return Ok(());
    }
    let name = target.to_str().ok_or("the database path is not valid UTF-8")?;
    let conn = connect_one(&format!("sqlite://{name}?mode=rw")).await?;
    let result = async {
        // Another connection (a server) keeps SQLite from leaving WAL mode: "database is locked".
        if let Err(e) = conn.execute_unprepared("PRAGMA busy_timeout=0; PRAGMA journal_mode=DELETE").await {
            return Err(format!(
                "{} is in use (a server has it open: {e}): stop the server first",
                target.display()
            ));
        }
        if holds_data(&conn).await? && !force {
            return Err(format!(
                "{} holds a register (petitions, sessions or accounts): pass --force to replace it (it is kept \
                 beside as {}.replaced-<time>)",
                target.display(),
                target.display()
            ));
        }
        Ok(())
    }
    .await;
    let _ = conn.close().await;
    result
}

/// Whether the database holds a register: a petition, a reception session, or an account besides
/// the first admin (a server started once on it and nothing more is not a register yet).
async fn holds_data(db: &DatabaseConnection) -> Result<bool, String> {
    let backend = db.get_database_backend();
    let number = |sql: &str| {
        let sql = sql.to_owned();
        async move {
            let row = db
                .query_one_raw(Statement::from_string(backend, sql))
                .await
                .map_err(|e| format!("cannot read the database: {e}"))?;
            row.map(|r| r.try_get::<i64>("", "n"))
                .transpose()
                .map_err(|e| e.to_string())
                .map(Option::unwrap_or_default)
        }
    };
    let tables = match backend {
        DbBackend::Postgres => {
            "SELECT COUNT(*) AS n FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'petition'"
        }
        _ => "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'petition'",
    };
    if number(tables).await? == 0 {
        return Ok(false);
    }
    // Each count stops at what it needs: bounded at any register size.
    let cases = number("SELECT COUNT(*) AS n FROM (SELECT 1 FROM petition LIMIT 1) x").await?;
    let sessions = number("SELECT COUNT(*) AS n FROM (SELECT 1 FROM reception_session LIMIT 1) x").await?;
    let accounts = number("SELECT COUNT(*) AS n FROM (SELECT 1 FROM \"user\" LIMIT 2) x").await?;
    Ok(cases + sessions > 0 || accounts > 1)
}

/// `PRAGMA integrity_check` says `ok`.
async fn integrity(db: &DatabaseConnection) -> Result<(), String> {
    let rows = db
        .query_all_raw(Statement::from_string(DbBackend::Sqlite, "PRAGMA integrity_check"))
        .await
        .map_err(|e| format!("the copy is damaged: {e}"))?;
    let lines: Vec<String> = rows.iter().filter_map(|r| r.try_get_by_index::<String>(0).ok()).collect();
    if lines.first().map(String::as_str) == Some("ok") {
        Ok(())
    } else {
        let shown: Vec<&str> = lines.iter().take(3).map(String::as_str).collect();
        Err(format!("the copy is damaged (integrity check: {})", shown.join("; ")))
    }
}

/// The checks shared by both databases, on the restored (or scratch) database: every migration it
/// had is known to this binary (then the pending ones are applied), its keys are the backup's, and
/// `verify-audit` passes, the backup's head included. Returns the case trails and seals checked.
async fn check_copy(
    db: &DatabaseConnection,
    keys: &Keys,
    head: Option<&SignedHead>,
    now: DateTime<Utc>,
) -> Result<(u64, u64), String> {
    let known: Vec<String> = Migrator::migrations().iter().map(|m| m.name().to_owned()).collect();
    let applied = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT version FROM seaql_migrations",
        ))
        .await
        .map_err(|e| format!("it is not a tiepdan register: {e}"))?;
    for row in applied {
        let version: String = row.try_get("", "version").map_err(|e| e.to_string())?;
        if !known.contains(&version) {
            return Err(format!(
                "it was written by a newer tiepdan (migration {version} is unknown to this one): restore it with \
                 that version"
            ));
        }
    }
    Migrator::up(db, None).await.map_err(|e| format!("its migrations failed: {e}"))?;
    check_keys(db, keys, "in the backup").await?;
    audit::seal::seal(db, &keys.audit, now).await.map_err(|e| format!("sealing failed: {e}"))?;
    let report =
        audit::verify(db, keys, head).await.map_err(|e| format!("its audit trail does not verify: {e}"))?;
    if !report.is_intact() {
        let mut findings: Vec<String> = report.register.iter().take(3).cloned().collect();
        findings
            .extend(report.broken.iter().take(3).map(|b| format!("case {}: {}", b.petition_id, b.reason)));
        return Err(format!("its audit trail does not verify: {}", findings.join("; ")));
    }
    if let Some(b) = account_events::verify(db, &keys.audit).await.map_err(|e| e.to_string())? {
        return Err(format!("its account log does not verify at event {}: {}", b.seq, b.problem));
    }
    Ok((report.checked, report.seals))
}

#[allow(clippy::too_many_arguments)]
async fn restore_postgres(
    url: &str,
    path: &Path,
    file: &str,
    manifest: Manifest,
    keys: &Keys,
    head: Option<SignedHead>,
    force: bool,
    now: DateTime<Utc>,
) -> Result<Restored, String> {
    let dump = path.join(file);
    let listed = tokio::process::Command::new("pg_restore")
        .arg("--list")
        .arg(&dump)
        .output()
        .await
        .map_err(|e| format!("cannot run pg_restore (PostgreSQL's client tools): {e}"))?;
    if !listed.status.success() {
        return Err(format!(
            "{} is damaged: {}; nothing was replaced",
            dump.display(),
            String::from_utf8_lossy(&listed.stderr).trim()
        ));
    }
    check_dumped_keys(&dump, keys).await?;
    let db = connect_one(url).await?;
    let result = async {
        let others = db
            .query_one_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
            ))
            .await
            .map_err(|e| format!("cannot read the database: {e}"))?
            .map(|r| r.try_get::<i64>("", "n"))
            .transpose()
            .map_err(|e| e.to_string())?
            .unwrap_or_default();
        if others > 0 {
            return Err(format!("the database is in use ({others} other sessions): stop the servers first"));
        }
        let full = holds_data(&db).await?;
        if full && !force {
            return Err(
                "the database holds a register: pass --force to replace it (take a backup of it first)".to_owned()
            );
        }
        let mut command = tokio::process::Command::new("pg_restore");
        command.args(["--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges"]);
        if full {
            command.args(["--clean", "--if-exists"]);
        }
        let out = command
            .arg("--dbname")
            .arg(url)
            .arg(&dump)
            .output()
            .await
            .map_err(|e| format!("cannot run pg_restore: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "pg_restore failed, and changed nothing (one transaction): {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        check_copy(&db, keys, head.as_ref(), now).await.map_err(|e| {
            format!("restored, but the restored register fails its checks: {e}; restore another backup")
        })
    }
    .await;
    let _ = db.close().await;
    let (checked, seals) = result?;
    Ok(Restored { manifest, checked, seals, replaced: None, keys_written: Vec::new() })
}

/// Checks the keys against the check values in the dump's `setting` rows, read by `pg_restore`
/// without restoring anything: a wrong key is refused before the database is touched.
async fn check_dumped_keys(dump: &Path, keys: &Keys) -> Result<(), String> {
    let out = tokio::process::Command::new("pg_restore")
        .args(["--data-only", "--table=setting", "--file=-"])
        .arg(dump)
        .output()
        .await
        .map_err(|e| format!("cannot run pg_restore: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{} is damaged: {}",
            dump.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    // COPY's text format: one row a line, tab-separated.
    for (row, check, name) in [
        (crate::service::bootstrap::DATA_KEY_CHECK, keys.data.check_value(), "data key"),
        ("audit_key_check", keys.audit.check_value(), "audit key"),
    ] {
        let stored = text.lines().find_map(|line| line.strip_prefix(row)?.strip_prefix('\t'));
        if let Some(stored) = stored
            && stored != check
        {
            return Err(format!(
                "the {name} in the backup is not the key this register was written with; nothing was replaced"
            ));
        }
    }
    Ok(())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn remove_sqlite_files(file: &Path) -> Result<(), String> {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let path = with_suffix(file, suffix);
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(format!("cannot remove {}: {e}", path.display())),
        }
    }
    Ok(())
}

/// Puts a key file in place (owner-only, by a rename); an existing different one is kept beside as
/// `<name>.replaced-<stamp>`. Returns whether it wrote.
fn place_key(folder: &Path, name: &str, text: &str, stamp: &str) -> Result<bool, String> {
    let path = folder.join(name);
    if let Ok(existing) = std::fs::read_to_string(&path) {
        if existing.trim() == text.trim() {
            return Ok(false);
        }
        let aside = folder.join(format!("{name}.replaced-{stamp}"));
        std::fs::rename(&path, &aside).map_err(|e| format!("cannot move {} aside: {e}", path.display()))?;
    }
    let temporary = folder.join(format!("{name}.restoring"));
    let _ = std::fs::remove_file(&temporary);
    write_private(&temporary, text)?;
    std::fs::rename(&temporary, &path).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(true)
}
