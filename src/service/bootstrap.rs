//! First start: the JWT secret, the first agency and the `admin` account.

use std::{io::Write, path::Path};

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, EntityTrait, TransactionTrait, sea_query::OnConflict};

use crate::{
    auth::{Role, jwt::check_secret_strength, password::PasswordHasher},
    crypto::{KEY_LEN, Keys, generate_key, parse_key},
    db::Db,
    domain::{
        agency::AgencyLevel,
        oversight::AccountAction,
        validate::{Password, Username, bounded_text},
    },
    entity::{agency, setting, user},
    error::{AppError, AppResult},
    service::{audit::Actor, identity, oversight::account_events},
};

/// Where the signing secret came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretSource {
    Configured,
    GeneratedFile,
    ExistingFile,
    Database,
}

/// Random text from a typable alphabet, for generated passwords and secrets.
pub fn random_text(len: usize) -> AppResult<String> {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    let mut bytes = vec![0u8; len];
    getrandom::fill(&mut bytes).map_err(AppError::internal)?;
    // 256 is not a multiple of the alphabet's size; the slight bias is harmless at these lengths
    // compared with the 5+ bits of entropy per character.
    Ok(bytes.iter().map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect())
}

/// The token signing secret: configured (and checked), or generated on the first start and kept
/// beside the database: `jwt.secret` (owner-only) next to the SQLite file, or a setting row in
/// PostgreSQL so that every server of a scaled-out deployment agrees on it.
pub async fn jwt_secret(
    configured: Option<&str>,
    db: &Db,
    sqlite_folder: Option<&Path>,
) -> Result<(Vec<u8>, SecretSource), String> {
    if let Some(secret) = configured {
        check_secret_strength(secret).map_err(|e| format!("TIEPDAN_JWT_SECRET refused: {e}"))?;
        return Ok((secret.as_bytes().to_vec(), SecretSource::Configured));
    }
    if let Some(folder) = sqlite_folder {
        let path = folder.join("jwt.secret");
        if path.exists() {
            let secret =
                std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let secret = secret.trim();
            check_secret_strength(secret).map_err(|e| format!("{} refused: {e}", path.display()))?;
            return Ok((secret.as_bytes().to_vec(), SecretSource::ExistingFile));
        }
        let secret = random_text(64).map_err(|e| e.to_string())?;
        write_owner_only(&path, &secret).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        return Ok((secret.into_bytes(), SecretSource::GeneratedFile));
    }
    let candidate = random_text(64).map_err(|e| e.to_string())?;
    // Insert-if-absent, then read: servers starting together all end with the same secret.
    setting::Entity::insert(setting::ActiveModel {
        key: Set("jwt_secret".to_owned()),
        value: Set(candidate),
    })
    .on_conflict_do_nothing_on([setting::Column::Key])
    .exec(&db.writer)
    .await
    .map_err(|e| e.to_string())?;
    let stored = setting::Entity::find_by_id("jwt_secret".to_owned())
        .one(&db.writer)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("the JWT secret vanished")?;
    check_secret_strength(&stored.value).map_err(|e| format!("stored JWT secret refused: {e}"))?;
    Ok((stored.value.into_bytes(), SecretSource::Database))
}

fn write_owner_only(path: &Path, secret: &str) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(secret.as_bytes())?;
    file.sync_all()
}

/// The file beside the SQLite database that keeps a generated data key.
pub const DATA_KEY_FILE: &str = "data.key";

/// Replaces the key kept in `folder/file_name` with `new_text` after a rotation: the old one is
/// kept as `file_name.previous` (readable by the owner only, like the new one), each written to a
/// temporary file and renamed over, so a crash leaves either key whole. Returns the key's path.
pub fn replace_key_file(
    folder: &Path,
    file_name: &str,
    new_text: &str,
) -> Result<std::path::PathBuf, String> {
    let path = folder.join(file_name);
    let previous = folder.join(format!("{file_name}.previous"));
    let old = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    for (target, text) in [(&previous, old.as_str()), (&path, new_text)] {
        let temporary = folder.join(format!("{file_name}.new"));
        let _ = std::fs::remove_file(&temporary);
        write_owner_only(&temporary, text)
            .map_err(|e| format!("cannot write {}: {e}", temporary.display()))?;
        std::fs::rename(&temporary, target).map_err(|e| format!("cannot write {}: {e}", target.display()))?;
    }
    Ok(path)
}

/// Where a key came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySource {
    Configured,
    GeneratedFile,
    ExistingFile,
}

/// One key: configured, or kept in the file `file_name` beside the SQLite database (generated
/// on the first start). With PostgreSQL it must be configured: it is never kept in the database.
fn key(
    configured: Option<&str>,
    variable: &str,
    sqlite_folder: Option<&Path>,
    file_name: &str,
) -> Result<([u8; KEY_LEN], KeySource), String> {
    if let Some(text) = configured {
        let key = parse_key(text).map_err(|e| format!("{variable} refused: {e}"))?;
        return Ok((key, KeySource::Configured));
    }
    let Some(folder) = sqlite_folder else {
        return Err(format!(
            "{variable} is required with PostgreSQL: 32 random bytes as 64 hex digits \
             (e.g. `openssl rand -hex 32`); the key is never kept in the database"
        ));
    };
    let path = folder.join(file_name);
    if path.exists() {
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let key = parse_key(&text).map_err(|e| format!("{} refused: {e}", path.display()))?;
        return Ok((key, KeySource::ExistingFile));
    }
    let (key, text) = generate_key().map_err(|e| e.to_string())?;
    write_owner_only(&path, &text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok((key, KeySource::GeneratedFile))
}

/// The `setting` row holding the data key's check value.
pub const DATA_KEY_CHECK: &str = "data_key_check";

/// Checks a key against the check value the database keeps for it (kept on the first start
/// with this key): a server started with another key than the register's refuses to start.
async fn check_key(db: &Db, setting_key: &str, check: &str, variable: &str) -> Result<(), String> {
    setting::Entity::insert(setting::ActiveModel {
        key: Set(setting_key.to_owned()),
        value: Set(check.to_owned()),
    })
    .on_conflict_do_nothing_on([setting::Column::Key])
    .exec(&db.writer)
    .await
    .map_err(|e| e.to_string())?;
    let stored = setting::Entity::find_by_id(setting_key.to_owned())
        .one(&db.writer)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("a key's check value vanished")?;
    if stored.value != check {
        return Err(format!(
            "{variable} is not the key this register was written with (its check value differs); \
             start with the register's key"
        ));
    }
    Ok(())
}

/// The data key and the audit key (see [`crate::crypto`]), each checked against the register.
pub async fn keys(
    data_key: Option<&str>,
    audit_key: Option<&str>,
    db: &Db,
    sqlite_folder: Option<&Path>,
) -> Result<(Keys, [KeySource; 2]), String> {
    let (data, data_source) = key(data_key, "TIEPDAN_DATA_KEY", sqlite_folder, DATA_KEY_FILE)?;
    let (audit, audit_source) = key(audit_key, "TIEPDAN_AUDIT_KEY", sqlite_folder, "audit.key")?;
    let keys = Keys::new(&data, &audit);
    check_key(db, DATA_KEY_CHECK, keys.data.check_value(), "TIEPDAN_DATA_KEY").await?;
    check_key(db, "audit_key_check", keys.audit.check_value(), "TIEPDAN_AUDIT_KEY").await?;
    Ok((keys, [data_source, audit_source]))
}

/// What the first start created.
#[derive(Debug, Clone)]
pub struct FirstRun {
    pub agency_id: i64,
    pub admin_id: i64,
    /// The generated admin password, to print once; `None` when it was configured.
    pub generated_password: Option<String>,
}

/// On an empty database, creates the first agency and the `admin` account, once: a setting row
/// claimed in the same transaction stops two servers starting together from both doing it.
pub async fn first_run(
    db: &Db,
    hasher: &PasswordHasher,
    keys: &Keys,
    agency_name: &str,
    admin_password: Option<&str>,
    now: DateTime<Utc>,
) -> AppResult<Option<FirstRun>> {
    if setting::Entity::find_by_id("bootstrapped".to_owned()).one(&db.writer).await?.is_some() {
        return Ok(None);
    }
    let (password, generated) = match admin_password {
        Some(p) => (
            Password::for_account(p, "admin")
                .map_err(|m| AppError::internal(format!("TIEPDAN_ADMIN_PASSWORD refused: {m}")))?,
            None,
        ),
        None => {
            // A random text is nearly always of mixed kinds; one that is not is drawn again.
            let mut drawn = random_text(16)?;
            while Password::for_account(&drawn, "admin").is_err() {
                drawn = random_text(16)?;
            }
            (Password::for_account(&drawn, "admin").map_err(AppError::internal)?, Some(drawn))
        }
    };
    let hash = hasher.hash(password.expose()).await?;
    let agency_name = bounded_text(agency_name, 2, 200)
        .map_err(|m| AppError::internal(format!("TIEPDAN_AGENCY_NAME refused: {m}")))?;

    let txn = db.writer.begin().await?;
    // The first start claims the bootstrap with this row, in the same transaction as what it
    // creates: of several servers starting together on one PostgreSQL, one bootstraps.
    let claimed = setting::Entity::insert(setting::ActiveModel {
        key: Set("bootstrapped".to_owned()),
        value: Set(now.to_rfc3339()),
    })
    .on_conflict(OnConflict::column(setting::Column::Key).do_nothing().to_owned())
    .exec_without_returning(&txn)
    .await?;
    if claimed == 0 {
        txn.rollback().await?;
        return Ok(None);
    }
    let agency = agency::Entity::insert(agency::ActiveModel {
        name: Set(agency_name),
        level: Set(AgencyLevel::Commune),
        parent_id: Set(None),
        created_at: Set(now),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    let username = Username::parse("admin").map_err(AppError::internal)?;
    let mut admin = user::ActiveModel {
        username: Set(username.into_inner()),
        password_hash: Set(hash),
        full_name: Set("Quản trị hệ thống".to_owned()),
        role: Set(Role::Admin),
        agency_id: Set(Some(agency.last_insert_id)),
        unit_id: Set(None),
        phone: Set(None),
        email: Set(None),
        active: Set(true),
        token_version: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    identity::seal_account(&keys.data, &mut admin)?;
    let admin = user::Entity::insert(admin).exec(&txn).await?;
    // The first admin opens the account log, made by the register itself.
    let created = user::Entity::find_by_id(admin.last_insert_id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::internal("the first admin just written is not there"))?;
    account_events::record(&txn, &keys.audit, &Actor::system(), AccountAction::Created, None, &created, now)
        .await?;
    txn.commit().await?;
    Ok(Some(FirstRun {
        agency_id: agency.last_insert_id,
        admin_id: admin.last_insert_id,
        generated_password: generated,
    }))
}
