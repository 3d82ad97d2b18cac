//! The context of one request, read once when it arrives: who asks, the database handles, the
//! calendar (a snapshot taken at its first use), and the time (`now`, and `today` in Vietnam).
//! Every use case takes it; the handler only builds it (an extractor) and hands it over.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{DatabaseConnection, DatabaseTransaction, TransactionTrait};
use tokio::sync::OnceCell;

use crate::{
    auth::{AuthUser, jwt::JwtKeys, password::PasswordHasher},
    clock::civil_date,
    crypto::Keys,
    db::Db,
    domain::calendar::Calendar,
    error::AppResult,
    service::calendar::CalendarCache,
};

/// What a use case runs with. `U` is who asks: an [`AuthUser`] (the default: a signed-in
/// request), `Option<AuthUser>` (the portal, where signing in is optional) or `()` (anyone).
pub struct Context<U = AuthUser> {
    /// Who asks.
    pub user: U,
    /// The instant the request arrived.
    pub now: DateTime<Utc>,
    /// Its Vietnamese civil date.
    pub today: NaiveDate,
    db: Db,
    calendars: CalendarCache,
    calendar: OnceCell<Arc<Calendar>>,
    passwords: PasswordHasher,
    jwt: JwtKeys,
    keys: Keys,
    reports: crate::service::reports::ReportSettings,
    public_url: Arc<str>,
}

/// A signed-in user's request.
pub type Ctx = Context<AuthUser>;

/// The shared parts a context is made of (the application's state, without its HTTP concerns).
#[derive(Clone)]
pub struct Services {
    pub db: Db,
    pub calendars: CalendarCache,
    pub passwords: PasswordHasher,
    pub jwt: JwtKeys,
    pub keys: Keys,
    pub reports: crate::service::reports::ReportSettings,
    /// The register's public address, without a trailing slash.
    pub public_url: Arc<str>,
}

impl<U> Context<U> {
    /// The context of a request made by `user` at `now`.
    pub fn new(services: Services, user: U, now: DateTime<Utc>) -> Self {
        let Services { db, calendars, passwords, jwt, keys, reports, public_url } = services;
        Self {
            user,
            now,
            today: civil_date(now),
            db,
            calendars,
            calendar: OnceCell::new(),
            passwords,
            jwt,
            keys,
            reports,
            public_url,
        }
    }

    /// The same request seen by another user (a use case acting on behalf of the register).
    pub fn with_user<V>(self, user: V) -> Context<V> {
        Context {
            user,
            now: self.now,
            today: self.today,
            db: self.db,
            calendars: self.calendars,
            calendar: self.calendar,
            passwords: self.passwords,
            jwt: self.jwt,
            keys: self.keys,
            reports: self.reports,
            public_url: self.public_url,
        }
    }

    /// Both connections, for work that reads on one while writing on the other (the
    /// recomputation after a change of special days).
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Reads that need not see an uncommitted write: on SQLite a pool of read-only connections.
    pub fn reader(&self) -> &DatabaseConnection {
        &self.db.reader
    }

    /// The writer: single writes outside a transaction (on SQLite, its one writer connection).
    pub fn writer(&self) -> &DatabaseConnection {
        &self.db.writer
    }

    /// Opens a write transaction; the use case commits it (dropped uncommitted, it rolls back).
    pub async fn begin(&self) -> AppResult<DatabaseTransaction> {
        Ok(self.db.writer.begin().await?)
    }

    /// The working-day calendar as it stands for this request: built or checked against the
    /// stored version at its first use, then the same snapshot for the rest of the request.
    pub async fn calendar(&self) -> AppResult<Arc<Calendar>> {
        self.calendar.get_or_try_init(|| self.calendars.get(&self.db.reader)).await.cloned()
    }

    /// The shared calendar cache (to drop it after this request changed the special days).
    pub fn calendars(&self) -> &CalendarCache {
        &self.calendars
    }

    /// Hashes and verifies passwords.
    pub fn passwords(&self) -> &PasswordHasher {
        &self.passwords
    }

    /// The data key's sealer (identities at rest, blind indexes) and the audit key's auditor.
    pub fn keys(&self) -> &Keys {
        &self.keys
    }

    /// The statutory reports' settings (the periods' cut-off day).
    pub fn reports(&self) -> crate::service::reports::ReportSettings {
        self.reports
    }

    /// The register's public address (links printed on receipts), without a trailing slash.
    pub fn public_url(&self) -> &str {
        &self.public_url
    }

    /// Issues and checks login tokens.
    pub fn jwt(&self) -> &JwtKeys {
        &self.jwt
    }
}
