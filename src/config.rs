//! One configuration, from the command line or the environment, with defaults that work with no
//! setup at all: `cargo run --release` serves on 127.0.0.1:8080 with SQLite under `data/`.

use std::{net::SocketAddr, path::PathBuf};

use clap::{Args, Parser, Subcommand, builder::BoolishValueParser};

/// The bounds of a token's configured lifetime, in minutes.
pub const MIN_TOKEN_TTL_MINUTES: i64 = 5;
pub const MAX_TOKEN_TTL_MINUTES: i64 = 7 * 24 * 60;

/// The command line of the `tiepdan` binary.
#[derive(Debug, Parser)]
#[command(name = "tiepdan", version, about = "Sổ tiếp công dân và xử lý đơn thư (tiepdan)")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub config: Config,
}

/// What to do; serving is the default.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP server (the default).
    Serve,
    /// Apply pending migrations and exit.
    Migrate,
    /// Seal the audit trails, then verify every case's trail (its keyed hashes, its case row,
    /// content and parties) and the seals; exits non-zero, naming each case, if anything was
    /// tampered with.
    VerifyAudit {
        /// A head printed by `audit-head` earlier: also check that the register still holds it.
        #[arg(long, value_name = "FILE")]
        head: Option<PathBuf>,
    },
    /// Seal the audit trails and print the register's signed head (JSON) to keep outside the
    /// register, e.g. daily: `tiepdan audit-head > head-$(date +%F).json`.
    AuditHead,
    /// Re-seal every identity under a new data key (`TIEPDAN_NEW_DATA_KEY`), in one transaction;
    /// with the key in `data.key`, the new key is written there (the old one kept as
    /// `data.key.previous`). Stop the servers first. Exits non-zero, changing nothing, on failure.
    RotateKey,
    /// Print the query plan of each hot statement of the register (the inbox, lists, search, a
    /// case's clocks, public tracking, repeat warnings), as the database would run it now, each
    /// flagged when it scans a whole table or sorts an unbounded set.
    Plans {
        /// Run `ANALYZE` first, so the planner has statistics of the data.
        #[arg(long)]
        analyze: bool,
    },
    /// Write a consistent copy of the register into the new folder PATH while servers run: on
    /// SQLite by `VACUUM INTO`, on PostgreSQL by `pg_dump` of one snapshot; with the keys it
    /// cannot be read without (`data.key`, `audit.key`, `jwt.secret`), all owner-only. Prints
    /// the size, the petitions and the audit head.
    Backup {
        /// The folder to create.
        path: PathBuf,
        /// Replace PATH when it exists.
        #[arg(long)]
        overwrite: bool,
        /// PostgreSQL kept by PITR or base backups: write the keys only.
        #[arg(long)]
        keys_only: bool,
    },
    /// Check a backup (integrity, migrations, keys, audit chain), then put it in place of the
    /// configured database and its keys. Refused for a database in use, and for one holding a
    /// register unless `--force` (the replaced one is kept beside it).
    Restore {
        /// The folder `tiepdan backup` wrote.
        path: PathBuf,
        /// Replace a database that holds a register.
        #[arg(long)]
        force: bool,
    },
    /// Bulk-load a realistic register of `--petitions N` petitions (a province, its communes,
    /// staff, ten years of cases with their trails, clocks and search index) into an empty
    /// database; refused, changing nothing, when it already holds petitions.
    Seed {
        /// How many petitions to load.
        #[arg(long, value_name = "N")]
        petitions: u64,
        /// The seed of every random choice: the same seed gives the same register.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

/// Settings shared by every command.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "TIEPDAN_BIND", default_value = "127.0.0.1:8080", global = true)]
    pub bind: SocketAddr,

    /// Database URL: `postgres://…` for PostgreSQL; unset means the embedded SQLite file
    /// `<data-dir>/tiepdan.db`.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true, global = true)]
    pub database_url: Option<String>,

    /// Folder for the SQLite database and the generated JWT secret.
    #[arg(long, env = "TIEPDAN_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,

    /// HS256 signing secret for tokens, at least 32 bytes. Generated and kept on first start
    /// when unset.
    #[arg(long, env = "TIEPDAN_JWT_SECRET", hide_env_values = true, global = true)]
    pub jwt_secret: Option<String>,

    /// The data key: 32 random bytes (64 hex digits or base64) that seal people's identities at
    /// rest. Generated and kept beside the SQLite database (`data.key`) on first start when unset;
    /// required with PostgreSQL. Never stored in the database.
    #[arg(long, env = "TIEPDAN_DATA_KEY", hide_env_values = true, global = true)]
    pub data_key: Option<String>,

    /// The audit key: 32 random bytes that key the trail's hashes. Generated and kept beside the
    /// SQLite database (`audit.key`) on first start when unset; required with PostgreSQL. Never
    /// stored in the database.
    #[arg(long, env = "TIEPDAN_AUDIT_KEY", hide_env_values = true, global = true)]
    pub audit_key: Option<String>,

    /// `rotate-key` only: the data key to re-seal everything under.
    #[arg(long, env = "TIEPDAN_NEW_DATA_KEY", hide_env_values = true, global = true)]
    pub new_data_key: Option<String>,

    /// Lifetime of an issued token, in minutes: 5 to 10080 (seven days).
    #[arg(long, env = "TIEPDAN_TOKEN_TTL_MINUTES", default_value_t = 720, global = true)]
    pub token_ttl_minutes: i64,

    /// Password of the `admin` account created on first start; a random one is printed once when
    /// unset.
    #[arg(long, env = "TIEPDAN_ADMIN_PASSWORD", hide_env_values = true, global = true)]
    pub admin_password: Option<String>,

    /// Name of the agency created on first start.
    #[arg(long, env = "TIEPDAN_AGENCY_NAME", default_value = "UBND phường Mẫu", global = true)]
    pub agency_name: String,

    /// Load a believable demo data set on first start.
    #[arg(long, env = "TIEPDAN_DEMO", value_parser = BoolishValueParser::new(), default_value_t = false, num_args = 0..=1, default_missing_value = "true", global = true)]
    pub demo: bool,

    /// Log format: `text` for people, `json` for log collectors.
    #[arg(long, env = "TIEPDAN_LOG_FORMAT", default_value = "text", global = true)]
    pub log_format: LogFormat,

    /// Petitions one client may file on the portal per hour.
    #[arg(long, env = "TIEPDAN_PUBLIC_FILINGS_PER_HOUR", default_value_t = 30, global = true)]
    pub public_filings_per_hour: u32,

    /// Portal look-ups (tracking, rating) one client may make per minute.
    #[arg(long, env = "TIEPDAN_PUBLIC_LOOKUPS_PER_MINUTE", default_value_t = 120, global = true)]
    pub public_lookups_per_minute: u32,

    /// Citizen accounts one client may register per hour.
    #[arg(long, env = "TIEPDAN_REGISTRATIONS_PER_HOUR", default_value_t = 10, global = true)]
    pub registrations_per_hour: u32,

    /// Files one client may attach on the portal per hour (each up to 10 MB).
    #[arg(long, env = "TIEPDAN_PUBLIC_UPLOADS_PER_HOUR", default_value_t = 60, global = true)]
    pub public_uploads_per_hour: u32,

    /// Seconds an upload of an attachment may take, its sending included (10 MB over a weak mobile
    /// link takes minutes); every other request has `TIEPDAN_REQUEST_TIMEOUT_SECS`.
    #[arg(long, env = "TIEPDAN_UPLOAD_TIMEOUT_SECS", default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..=3600), global = true)]
    pub upload_timeout_secs: u64,

    /// Take the client address from `X-Forwarded-For` (behind a reverse proxy you trust).
    #[arg(long, env = "TIEPDAN_TRUST_PROXY", value_parser = BoolishValueParser::new(), default_value_t = false, num_args = 0..=1, default_missing_value = "true", global = true)]
    pub trust_proxy: bool,

    /// Connections in the pool (PostgreSQL) or readers (SQLite; at most two per core).
    #[arg(long, env = "TIEPDAN_DB_POOL", default_value_t = 8, global = true)]
    pub db_pool: u32,

    /// Seconds a request may take: past them it is answered 408 `timeout` and its database work
    /// is stopped (SQLite: the running statement is interrupted; PostgreSQL: `statement_timeout`
    /// and `idle_in_transaction_session_timeout` of the same length).
    #[arg(long, env = "TIEPDAN_REQUEST_TIMEOUT_SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600), global = true)]
    pub request_timeout_secs: u64,

    /// Seconds the server waits, on SIGTERM or Ctrl-C, for the requests in flight before it
    /// stops them and exits.
    #[arg(long, env = "TIEPDAN_SHUTDOWN_GRACE_SECS", default_value_t = 5, value_parser = clap::value_parser!(u64).range(0..=600), global = true)]
    pub shutdown_grace_secs: u64,

    /// Seconds a client has to send a request's headers once their first byte arrives; past
    /// them the connection is closed (a client trickling a header line every few seconds).
    #[arg(long, env = "TIEPDAN_HEADER_TIMEOUT_SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=600), global = true)]
    pub header_timeout_secs: u64,

    /// Seconds a connection may sit with no request in flight and nothing moving (a kept-alive
    /// connection between requests, a fresh one that sends nothing), or with its client not
    /// reading the response, before it is closed.
    #[arg(long, env = "TIEPDAN_IDLE_TIMEOUT_SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600), global = true)]
    pub idle_timeout_secs: u64,

    /// Connections one client address (an IPv6 /64) may hold open at once; past them a new one
    /// is answered 429 `too_many_connections` and closed. 0: no cap. Not applied with
    /// `TIEPDAN_TRUST_PROXY`, where every connection comes from the proxy (cap there instead).
    #[arg(long, env = "TIEPDAN_MAX_CONNS_PER_IP", default_value_t = 64, global = true)]
    pub max_conns_per_ip: usize,

    /// The day of the month the statutory report periods start on (TT 02/2021 Art. 7(1): the
    /// 15th of the month before a period to the 14th of its last month); 1 for calendar months.
    #[arg(long, env = "TIEPDAN_REPORT_CUTOFF_DAY", default_value_t = 15, value_parser = clap::value_parser!(u32).range(1..=28), global = true)]
    pub report_cutoff_day: u32,

    /// The mail server messages go through: `smtp://host:port` (plain, e.g. a local relay) or
    /// `smtps://user:password@host:port`; unset, messages stay queued in the outbox.
    #[arg(long, env = "TIEPDAN_SMTP_URL", hide_env_values = true, global = true)]
    pub smtp_url: Option<String>,

    /// Who messages come from.
    #[arg(
        long,
        env = "TIEPDAN_MAIL_FROM",
        default_value = "Tiếp công dân <tiepdan@localhost>",
        global = true
    )]
    pub mail_from: String,

    /// The register's public address, the base of the links in messages.
    #[arg(long, env = "TIEPDAN_PUBLIC_URL", default_value = "http://127.0.0.1:8080", global = true)]
    pub public_url: String,

    /// The ward's SMS gateway: the URL messages are POSTed to (unset: SMS stay queued).
    #[arg(long, env = "TIEPDAN_SMS_URL", global = true)]
    pub sms_url: Option<String>,

    /// The SMS gateway's key, sent as `Authorization: Bearer`.
    #[arg(long, env = "TIEPDAN_SMS_KEY", hide_env_values = true, global = true)]
    pub sms_key: Option<String>,

    /// The SMS gateway's JSON body, `{to}` and `{text}` replaced by the number and the message.
    #[arg(
        long,
        env = "TIEPDAN_SMS_TEMPLATE",
        default_value = r#"{"to":"{to}","text":"{text}"}"#,
        global = true
    )]
    pub sms_template: String,

    /// Set for a maintenance command (`seed`, `verify-audit`, `rotate-key`…), not by a flag: its
    /// long statements are its work, not a stuck request, so no statement limit applies.
    #[arg(skip)]
    pub maintenance: bool,
}

/// How logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

impl Config {
    /// How the database connections are set up.
    pub fn db_settings(&self) -> crate::db::Settings {
        crate::db::Settings {
            pool: self.db_pool,
            request_timeout: self.request_timeout(),
            limit_statements: !self.maintenance,
        }
    }

    /// The outbox's outlets: the mail server and the SMS gateway, as configured.
    pub fn outlets(&self) -> Result<crate::service::notifications::deliver::Outlets, String> {
        use crate::service::notifications::deliver::{Outlets, SmsGateway};
        let sms = self.sms_url.as_deref().map(str::trim).filter(|u| !u.is_empty()).map(|url| SmsGateway {
            url: url.to_owned(),
            key: self.sms_key.clone().filter(|k| !k.trim().is_empty()),
            template: self.sms_template.clone(),
        });
        Outlets::new(self.smtp_url.as_deref(), &self.mail_from, sms, &self.public_url)
    }

    /// The lifetime of a token, bounded: a sign-in never outlives a week, so that a lost token
    /// cannot serve for months (issue 18).
    pub fn token_ttl(&self) -> Result<chrono::Duration, String> {
        if !(MIN_TOKEN_TTL_MINUTES..=MAX_TOKEN_TTL_MINUTES).contains(&self.token_ttl_minutes) {
            return Err(format!(
                "TIEPDAN_TOKEN_TTL_MINUTES is {}: a token lives {MIN_TOKEN_TTL_MINUTES} to {MAX_TOKEN_TTL_MINUTES} \
                 minutes (at most seven days)",
                self.token_ttl_minutes
            ));
        }
        Ok(chrono::Duration::minutes(self.token_ttl_minutes))
    }

    /// How long a request may take.
    pub fn request_timeout(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.request_timeout_secs.max(1))
    }

    /// How long a stopping server waits for the requests in flight.
    pub fn shutdown_grace(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.shutdown_grace_secs)
    }

    /// How the server serves connections: the shutdown grace and the bounds of a connection.
    pub fn serving(&self) -> crate::app::ServeOptions {
        use std::time::Duration;
        crate::app::ServeOptions {
            grace: self.shutdown_grace(),
            header_timeout: Duration::from_secs(self.header_timeout_secs.max(1)),
            idle_timeout: Duration::from_secs(self.idle_timeout_secs.max(1)),
            max_per_address: (self.max_conns_per_ip > 0 && !self.trust_proxy)
                .then_some(self.max_conns_per_ip),
        }
    }

    /// The database URL to use: the configured one or the embedded SQLite file.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) if !url.trim().is_empty() => url.clone(),
            _ => format!("sqlite://{}?mode=rwc", self.data_dir.join("tiepdan.db").display()),
        }
    }
}
