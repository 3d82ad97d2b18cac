//! Start-up shared by the binary and the tests: connect, migrate, secret, keys, the one-time
//! sealing of a register kept in clear, first run; and `rotate-key`, which starts the same way.

use std::{path::PathBuf, sync::Arc};

use crate::{
    app::AppState,
    auth::{jwt::JwtKeys, password::PasswordHasher},
    clock::Clock,
    config::Config,
    crypto::{Sealer, parse_key},
    db::{self, Db},
    http::rate_limit::Limits,
    service::{
        audit,
        bootstrap::{self, FirstRun, KeySource, SecretSource},
        identity::register::{self, Resealed},
    },
};

/// A ready application and what its start did.
pub struct Prepared {
    pub state: AppState,
    pub first_run: Option<FirstRun>,
    pub secret_source: SecretSource,
    /// Where the data key and the audit key came from.
    pub key_sources: [KeySource; 2],
    /// What the one-time sealing of identities did, on the start that did it.
    pub sealed: Option<Resealed>,
}

/// Connects to the configured database, migrates it, settles the signing secret and the keys,
/// seals once the identities of a register kept in clear and, on an empty database, creates the
/// first agency and admin.
pub async fn prepare(config: &Config, clock: Arc<dyn Clock>) -> Result<Prepared, String> {
    let url = config.database_url();
    let db = Db::connect_with(&url, &config.db_settings())
        .await
        .map_err(|e| format!("cannot open the database: {e}"))?;
    db.migrate(&url).await.map_err(|e| format!("migrations failed: {e}"))?;
    let folder = if db::is_sqlite_url(&url) { db::sqlite_folder(&url) } else { None };
    let (secret, secret_source) =
        bootstrap::jwt_secret(config.jwt_secret.as_deref(), &db, folder.as_deref()).await?;
    let (keys, key_sources) =
        bootstrap::keys(config.data_key.as_deref(), config.audit_key.as_deref(), &db, folder.as_deref())
            .await?;
    let sealed = register::seal_existing(&db, &keys.data, clock.now())
        .await
        .map_err(|e| format!("sealing the identities kept in clear failed (nothing changed): {e}"))?;
    if let Some(cases) = register::reindex_if_stale(&db, &keys.data)
        .await
        .map_err(|e| format!("writing the search index again failed (nothing changed): {e}"))?
    {
        tracing::info!(cases, "the search index was written again after its table changed");
    }
    // After sealing: the anchor's facts digest the parties' clear values, opened with the data key.
    audit::legacy::anchor_once(&db, &keys, clock.now())
        .await
        .map_err(|e| format!("anchoring the old audit trails failed: {e}"))?;
    let passwords = PasswordHasher::new().map_err(|e| e.to_string())?;
    let jwt = JwtKeys::new(&secret, config.token_ttl()?);
    let first_run = bootstrap::first_run(
        &db,
        &passwords,
        &keys,
        &config.agency_name,
        config.admin_password.as_deref(),
        clock.now(),
    )
    .await
    .map_err(|e| format!("first start failed: {e}"))?;
    let limits =
        Limits::new(config.public_filings_per_hour, config.public_lookups_per_minute, config.trust_proxy)
            .with_uploads(
                config.public_uploads_per_hour,
                std::time::Duration::from_secs(config.upload_timeout_secs.max(1)),
            )
            .with_registrations(config.registrations_per_hour);
    let reports = crate::service::reports::ReportSettings { cutoff_day: config.report_cutoff_day };
    let public_url = config.public_url.trim_end_matches('/').into();
    let state = AppState {
        db,
        clock,
        jwt,
        passwords,
        keys,
        calendar: Default::default(),
        limits,
        reports,
        public_url,
    };
    Ok(Prepared { state, first_run, secret_source, key_sources, sealed })
}

/// What `tiepdan rotate-key` did.
#[derive(Debug, Clone)]
pub struct Rotated {
    pub resealed: Resealed,
    /// The key file the new key was written to (the old one kept beside it as `.previous`), when
    /// the key came from a file; `None` when it is configured, and the configuration must change.
    pub key_file: Option<PathBuf>,
}

/// `tiepdan rotate-key`: re-seals every identity under `TIEPDAN_NEW_DATA_KEY` in one transaction
/// (see [`register::rotate`]); then, when the current key came from `data.key`, writes the new key
/// there, keeping the old one as `data.key.previous`. The register is rotated by a start that
/// already sealed it under the current key (`prepared`).
pub async fn rotate_key(config: &Config, prepared: &Prepared) -> Result<Rotated, String> {
    let text = config.new_data_key.as_deref().filter(|t| !t.trim().is_empty()).ok_or(
        "TIEPDAN_NEW_DATA_KEY is not set: give the new data key, 32 random bytes as 64 hex digits \
         (e.g. `openssl rand -hex 32`)",
    )?;
    let key = parse_key(text).map_err(|e| format!("TIEPDAN_NEW_DATA_KEY refused: {e}"))?;
    let new = Sealer::new(&key);
    let current = &prepared.state.keys.data;
    if new.check_value() == current.check_value() {
        return Err("TIEPDAN_NEW_DATA_KEY is the current data key: give a new one".to_owned());
    }
    let resealed = register::rotate(&prepared.state.db, current, &new)
        .await
        .map_err(|e| format!("the rotation failed and changed nothing: {e}"))?;
    let key_file = match prepared.key_sources[0] {
        KeySource::Configured => None,
        KeySource::GeneratedFile | KeySource::ExistingFile => {
            let folder = db::sqlite_folder(&config.database_url())
                .ok_or("the data key came from a file, but the database is not a SQLite file")?;
            let path = bootstrap::replace_key_file(&folder, bootstrap::DATA_KEY_FILE, &hex::encode(key))
                .map_err(|e| {
                    format!(
                        "the register is now sealed under TIEPDAN_NEW_DATA_KEY, but {e}: write that key \
                         into {} yourself before the next start",
                        folder.join(bootstrap::DATA_KEY_FILE).display()
                    )
                })?;
            Some(path)
        }
    };
    Ok(Rotated { resealed, key_file })
}
