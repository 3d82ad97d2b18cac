//! First start: the JWT secret, the first agency and the `admin` account.

use std::{io::Write, path::Path};

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, EntityTrait, TransactionTrait, sea_query::OnConflict};

use crate::{
    auth::{Role, jwt::check_secret_strength, password::PasswordHasher},
    db::Db,
    domain::{
        agency::AgencyLevel,
        validate::{Password, Username, bounded_text},
    },
    entity::{agency, setting, user},
    error::{AppError, AppResult},
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
    agency_name: &str,
    admin_password: Option<&str>,
    now: DateTime<Utc>,
) -> AppResult<Option<FirstRun>> {
    if setting::Entity::find_by_id("bootstrapped".to_owned()).one(&db.writer).await?.is_some() {
        return Ok(None);
    }
    let (password, generated) = match admin_password {
        Some(p) => (
            Password::parse(p)
                .map_err(|m| AppError::internal(format!("TIEPDAN_ADMIN_PASSWORD refused: {m}")))?,
            None,
        ),
        None => {
            let p = random_text(16)?;
            (Password::parse(&p).map_err(AppError::internal)?, Some(p))
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
    let admin = user::Entity::insert(user::ActiveModel {
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
    })
    .exec(&txn)
    .await?;
    txn.commit().await?;
    Ok(Some(FirstRun {
        agency_id: agency.last_insert_id,
        admin_id: admin.last_insert_id,
        generated_password: generated,
    }))
}
