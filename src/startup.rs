//! Start-up shared by the binary and the tests: connect, migrate, secret, first run.

use std::sync::Arc;

use crate::{
    app::AppState,
    auth::{jwt::JwtKeys, password::PasswordHasher},
    clock::Clock,
    config::Config,
    db::{self, Db},
    http::rate_limit::Limits,
    service::{
        audit,
        bootstrap::{self, FirstRun, KeySource, SecretSource},
    },
};

/// A ready application and what its start did.
pub struct Prepared {
    pub state: AppState,
    pub first_run: Option<FirstRun>,
    pub secret_source: SecretSource,
    /// Where the data key and the audit key came from.
    pub key_sources: [KeySource; 2],
}

/// Connects to the configured database, migrates it, settles the signing secret and, on an
/// empty database, creates the first agency and admin.
pub async fn prepare(config: &Config, clock: Arc<dyn Clock>) -> Result<Prepared, String> {
    let url = config.database_url();
    let db = Db::connect(&url, config.db_pool).await.map_err(|e| format!("cannot open the database: {e}"))?;
    db.migrate(&url).await.map_err(|e| format!("migrations failed: {e}"))?;
    let folder = if db::is_sqlite_url(&url) { db::sqlite_folder(&url) } else { None };
    let (secret, secret_source) =
        bootstrap::jwt_secret(config.jwt_secret.as_deref(), &db, folder.as_deref()).await?;
    let (keys, key_sources) =
        bootstrap::keys(config.data_key.as_deref(), config.audit_key.as_deref(), &db, folder.as_deref())
            .await?;
    audit::legacy::anchor_once(&db, &keys, clock.now())
        .await
        .map_err(|e| format!("anchoring the old audit trails failed: {e}"))?;
    let passwords = PasswordHasher::new().map_err(|e| e.to_string())?;
    let jwt = JwtKeys::new(&secret, chrono::Duration::minutes(config.token_ttl_minutes.max(1)));
    let first_run = bootstrap::first_run(
        &db,
        &passwords,
        &config.agency_name,
        config.admin_password.as_deref(),
        clock.now(),
    )
    .await
    .map_err(|e| format!("first start failed: {e}"))?;
    let limits =
        Limits::new(config.public_filings_per_hour, config.public_lookups_per_minute, config.trust_proxy);
    let state = AppState { db, clock, jwt, passwords, keys, calendar: Default::default(), limits };
    Ok(Prepared { state, first_run, secret_source, key_sources })
}
