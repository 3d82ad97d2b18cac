//! The `tiepdan` binary: parse configuration, start logging, prepare the database, serve.

use std::{process::ExitCode, sync::Arc};

use clap::Parser;
use tiepdan::{
    AppState, build_router,
    clock::SystemClock,
    config::{Cli, Command, LogFormat},
    service::audit,
    startup,
};
use tracing_subscriber::{EnvFilter, fmt, prelude::*};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn init_tracing(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn,tower_http=info"));
    let registry = tracing_subscriber::registry().with(filter);
    // Logs go to stderr, text ones with colour codes only when that is a terminal: a log file or
    // the journal would show them as `\x1b[2m`.
    match format {
        LogFormat::Json => {
            registry.with(fmt::layer().json().flatten_event(true).with_writer(std::io::stderr)).init()
        }
        LogFormat::Text => registry
            .with(
                fmt::layer()
                    .with_writer(std::io::stderr)
                    .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr())),
            )
            .init(),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing(cli.config.log_format);
    match run(cli).await {
        Ok(code) => code,
        Err(message) => {
            tracing::error!("{message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<ExitCode, String> {
    let mut config = cli.config;
    config.maintenance = !matches!(cli.command, None | Some(Command::Serve));
    // These two never start the register: a backup must not migrate a database a server runs on,
    // and a restore checks its copy before the configured database is touched.
    match &cli.command {
        Some(Command::Backup { path, overwrite, keys_only }) => {
            let options =
                tiepdan::service::backup::BackupOptions { overwrite: *overwrite, keys_only: *keys_only };
            return take_backup(&config, path, options).await;
        }
        Some(Command::Restore { path, force }) => return restore_backup(&config, path, *force).await,
        _ => {}
    }
    let prepared = startup::prepare(&config, Arc::new(SystemClock)).await?;
    if let Some(first) = &prepared.first_run {
        tracing::info!(
            agency_id = first.agency_id,
            "first start: created the agency \"{}\" and the admin account",
            config.agency_name
        );
        if let Some(password) = &first.generated_password {
            // Printed once, on purpose: there is no other way to learn it.
            tracing::warn!(
                "the admin password is {password} (shown only now; change it after logging in, under \"Đổi mật khẩu\" at /can-bo/doi-mat-khau, or set TIEPDAN_ADMIN_PASSWORD)"
            );
        }
    }
    for (source, file, variable, without) in [
        (prepared.key_sources[0], "data.key", "TIEPDAN_DATA_KEY", "the identities it holds cannot be read"),
        (prepared.key_sources[1], "audit.key", "TIEPDAN_AUDIT_KEY", "its audit trails cannot be verified"),
    ] {
        if source == tiepdan::service::bootstrap::KeySource::GeneratedFile {
            tracing::warn!(
                "generated {file} beside the database (readable by the owner only): back it up apart from \
                 the database; without it {without} ({variable} may name it instead)"
            );
        }
    }
    if let Some(sealed) = &prepared.sealed
        && sealed.values > 0
    {
        tracing::warn!(
            "sealed the identities kept in clear: {} values ({} parties, {} visits, {} refusals, {} accounts); \
             {} cases indexed again",
            sealed.values,
            sealed.parties,
            sealed.visits,
            sealed.refusals,
            sealed.accounts,
            sealed.cases_indexed
        );
    }
    match cli.command.unwrap_or(Command::Serve) {
        Command::RotateKey => {
            let rotated = startup::rotate_key(&config, &prepared).await?;
            let r = rotated.resealed;
            tracing::info!(
                "re-sealed {} values ({} parties, {} visits, {} refusals, {} accounts, {} attachments) under \
                 the new data key; {} cases indexed again",
                r.values,
                r.parties,
                r.visits,
                r.refusals,
                r.accounts,
                r.attachments,
                r.cases_indexed
            );
            match rotated.key_file {
                Some(path) => tracing::warn!(
                    "the new data key is in {} (the old one in {}.previous): back it up apart from the database",
                    path.display(),
                    path.display()
                ),
                None => tracing::warn!(
                    "configure the new key now: set TIEPDAN_DATA_KEY to the value of TIEPDAN_NEW_DATA_KEY on \
                     every server; the old key no longer opens the register"
                ),
            }
            prepared.state.db.close().await;
            Ok(ExitCode::SUCCESS)
        }
        Command::Backup { .. } | Command::Restore { .. } => unreachable!("handled before the start"),
        Command::Migrate => {
            tracing::info!("migrations applied");
            Ok(ExitCode::SUCCESS)
        }
        Command::VerifyAudit { head } => verify_audit(&prepared.state, head.as_deref()).await,
        Command::Seed { petitions, seed } => seed_register(&prepared.state, petitions, seed).await,
        Command::Plans { analyze } => print_plans(&prepared.state, analyze).await,
        Command::AuditHead => {
            let state = &prepared.state;
            let head = audit::seal::signed_head(&state.db.writer, &state.keys.audit, state.clock.now())
                .await
                .map_err(|e| format!("cannot take the audit head: {e}"))?;
            println!("{}", serde_json::to_string(&head).map_err(|e| e.to_string())?);
            tracing::info!(seal = head.seq, "audit head printed: keep it outside the register");
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve => {
            if config.demo {
                use tiepdan::service::demo::{self, DemoOutcome};
                let now = prepared.state.clock.now();
                let bootstrapped = prepared.first_run.is_some();
                match demo::load_on_start(&prepared.state, bootstrapped, now).await {
                    Ok(DemoOutcome::Loaded) => tracing::info!(
                        "demo data loaded (every demo account's password is {})",
                        demo::DEMO_PASSWORD
                    ),
                    Ok(DemoOutcome::AlreadyPresent) => tracing::info!("demo data already present"),
                    Ok(DemoOutcome::SkippedExistingDatabase) => tracing::warn!(
                        "--demo ignored: this database existed before this start and holds no demo data; \
                         demo data (accounts with the published password) is loaded only into an empty \
                         database, so start with a fresh TIEPDAN_DATA_DIR or DATABASE_URL to see it"
                    ),
                    Err(e) => return Err(format!("demo data failed: {e}")),
                }
            }
            let listener = tokio::net::TcpListener::bind(config.bind)
                .await
                .map_err(|e| format!("cannot listen on {}: {e}", config.bind))?;
            let addr = listener.local_addr().map_err(|e| e.to_string())?;
            tracing::info!("tiepdan listening on http://{addr} (API docs: http://{addr}/api/docs)");
            let db = prepared.state.db.clone();
            let checkpointer =
                db.start_checkpointer(&config.database_url()).await.map_err(|e| e.to_string())?;
            let sealer = audit::seal::spawn_sealer(
                db.writer.clone(),
                prepared.state.keys.audit.clone(),
                prepared.state.clock.clone(),
            );
            // The outbox's worker, where a mail server or an SMS gateway is configured.
            let outlets = std::sync::Arc::new(config.outlets()?);
            let mailer = outlets.any().then(|| {
                tiepdan::service::notifications::deliver::spawn(
                    db.writer.clone(),
                    prepared.state.keys.clone(),
                    outlets.clone(),
                    prepared.state.clock.clone(),
                )
            });
            let grace = config.shutdown_grace();
            tiepdan::app::serve(listener, build_router(prepared.state), config.serving())
                .await
                .map_err(|e| e.to_string())?;
            sealer.abort();
            if let Some(task) = mailer {
                task.abort();
            }
            if let Some(task) = checkpointer {
                task.abort();
            }
            // Bounded too: a request still running holds its connection until the process exits.
            if tokio::time::timeout(grace, db.close()).await.is_err() {
                tracing::warn!("stopped without closing the database cleanly (requests still in flight)");
            }
            tracing::info!("stopped");
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `tiepdan backup PATH`: see `service::backup`.
async fn take_backup(
    config: &tiepdan::config::Config,
    path: &std::path::Path,
    options: tiepdan::service::backup::BackupOptions,
) -> Result<ExitCode, String> {
    use tiepdan::clock::Clock;
    let now = SystemClock.now();
    let started = std::time::Instant::now();
    let written = tiepdan::service::backup::backup(config, path, options, now).await?;
    let m = &written.manifest;
    println!("backup written to {} in {:.1} s", written.path.display(), started.elapsed().as_secs_f64());
    match &m.file {
        Some(file) => println!("  {file}: {} bytes ({:.1} MB)", m.bytes, m.bytes as f64 / 1e6),
        None => println!("  keys only: the database is NOT in this backup (keep it by PITR / base backups)"),
    }
    println!("  petitions: {}", m.petitions);
    println!(
        "  audit head: seal #{} {} ({} events after it, sealed on restore)",
        m.audit_seal, m.audit_hash, m.unsealed_events
    );
    println!(
        "  keys: data.key, audit.key{} (owner-only): keep them as safely as the copy, and apart from it too",
        if m.jwt_secret { ", jwt.secret" } else { "" }
    );
    Ok(ExitCode::SUCCESS)
}

/// `tiepdan restore PATH [--force]`: see `service::backup`.
async fn restore_backup(
    config: &tiepdan::config::Config,
    path: &std::path::Path,
    force: bool,
) -> Result<ExitCode, String> {
    use tiepdan::clock::Clock;
    let restored = tiepdan::service::backup::restore(config, path, force, SystemClock.now())
        .await
        .map_err(|e| format!("restore refused: {e}"))?;
    let m = &restored.manifest;
    println!("restored the backup of {} ({} petitions) from {}", m.taken_at, m.petitions, path.display());
    let integrity = if m.database == "sqlite" {
        "integrity check"
    } else {
        "the dump's table of contents (pg_restore --list)"
    };
    println!(
        "  checked: {integrity}, migrations, keys; {} case trails and {} seals verified, the backup's head held",
        restored.checked, restored.seals
    );
    for key in &restored.keys_written {
        println!("  key put in place: {}", key.display());
    }
    if let Some(old) = &restored.replaced {
        println!("  the replaced database is kept as {} (remove it when no longer needed)", old.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// `tiepdan seed --petitions N [--seed S]`: loads a register into an empty database and says what
/// it loaded and how long it took; refused, with the reason, on a database that holds petitions.
/// `tiepdan plans`: each hot statement, its plan, and what is wrong with it, if anything.
async fn print_plans(state: &AppState, analyze: bool) -> Result<ExitCode, String> {
    use sea_orm::ConnectionTrait;
    use tiepdan::service::plans;
    let db = &state.db.writer;
    let backend = db.get_database_backend();
    if analyze {
        db.execute_unprepared("ANALYZE").await.map_err(|e| format!("ANALYZE failed: {e}"))?;
    }
    let today = tiepdan::clock::civil_date(state.clock.now());
    let hot = plans::statements(backend, &state.keys.data, today);
    let found = plans::explain(db, hot).await.map_err(|e| format!("cannot explain: {e}"))?;
    let tables = plans::tables(db).await.map_err(|e| e.to_string())?;
    let mut faulty = 0;
    for plan in &found {
        println!("== {}", plan.hot.name);
        println!("   {}", plan.hot.statement.sql);
        for line in &plan.lines {
            println!("   | {line}");
        }
        if let Some(why) = plan.hot.bounded_sort {
            println!("   (a sort here is bounded: {why})");
        }
        for fault in plans::faults(backend, plan, &tables) {
            faulty += 1;
            println!("   !! {fault}");
        }
    }
    println!("{} hot statements, {faulty} faults", found.len());
    Ok(ExitCode::SUCCESS)
}

async fn seed_register(state: &AppState, petitions: u64, seed: u64) -> Result<ExitCode, String> {
    use tiepdan::service::seed;
    let started = std::time::Instant::now();
    let options = seed::Options { petitions, seed };
    let seeded = seed::seed(state, options, state.clock.now()).await.map_err(|e| match e {
        seed::SeedError::NotEmpty(_) => format!("seed refused: {e}"),
        seed::SeedError::Failed(_) => format!("seed failed: {e}"),
    })?;
    let seconds = started.elapsed().as_secs_f64();
    let c = &seeded.counts;
    let list = |items: Vec<(&str, u64)>| {
        items.into_iter().map(|(name, n)| format!("{name} {n}")).collect::<Vec<_>>().join(", ")
    };
    println!(
        "seeded {} petitions in {seconds:.1} s ({:.0} a second), seed {seed}",
        c.petitions,
        c.petitions as f64 / seconds.max(0.001)
    );
    println!("  kinds: {}", list(c.by_kind.iter().map(|(k, n)| (k.as_str(), *n)).collect()));
    println!("  statuses: {}", list(c.by_status.iter().map(|(s, n)| (s.as_str(), *n)).collect()));
    println!(
        "  {} parties (sealed), {} events, {} clocks; {} agencies, {} units, {} staff accounts",
        c.parties, c.events, c.clocks, seeded.agencies, seeded.units, seeded.accounts
    );
    println!(
        "  every seeded account's password is {} (e.g. {}); change them before any real use",
        seeded.password, seeded.chairman
    );
    state.db.clone().close().await;
    Ok(ExitCode::SUCCESS)
}

/// `tiepdan verify-audit [--head FILE]`: seals what is not sealed yet, then verifies the register;
/// each finding is logged naming its case, and any makes the exit code non-zero.
async fn verify_audit(state: &AppState, head: Option<&std::path::Path>) -> Result<ExitCode, String> {
    let head = match head {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let head: audit::seal::SignedHead = serde_json::from_str(text.trim())
                .map_err(|e| format!("{} is not a head printed by audit-head: {e}", path.display()))?;
            Some(head)
        }
        None => None,
    };
    audit::seal::seal(&state.db.writer, &state.keys.audit, state.clock.now())
        .await
        .map_err(|e| format!("sealing failed: {e}"))?;
    let report = audit::verify(&state.db.reader, &state.keys, head.as_ref())
        .await
        .map_err(|e| format!("verification failed: {e}"))?;
    for problem in &report.register {
        tracing::error!("audit chain across cases broken: {problem}");
    }
    for b in &report.broken {
        match b.event {
            Some(seq) => tracing::error!(
                petition_id = b.petition_id,
                event = seq,
                "case {}: audit trail broken: {}",
                b.petition_id,
                b.reason
            ),
            None => tracing::error!(
                petition_id = b.petition_id,
                "case {}: audit trail broken: {}",
                b.petition_id,
                b.reason
            ),
        }
    }
    let cases: std::collections::BTreeSet<i64> = report.broken.iter().map(|b| b.petition_id).collect();
    tracing::info!(
        "{} case trails and {} seals checked: {} cases broken{}",
        report.checked,
        report.seals,
        cases.len(),
        if report.register.is_empty() { "" } else { ", the chain across cases broken" }
    );
    // The account log (who was given which role, whose password was reset) is its own chain.
    let accounts = tiepdan::service::oversight::account_events::verify(&state.db.reader, &state.keys.audit)
        .await
        .map_err(|e| format!("verification of the account log failed: {e}"))?;
    match &accounts {
        Some(b) => tracing::error!(
            seq = b.seq,
            account_id = b.account_id,
            "account log broken at event {}: {}",
            b.seq,
            b.problem
        ),
        None => tracing::info!("account log verified"),
    }
    Ok(if report.is_intact() && accounts.is_none() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
