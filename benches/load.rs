//! The HTTP load benchmark of issue 14: a seeded register served by the release binary and driven
//! from outside over HTTP, beside its storage floor measured in the same run.
//!
//! ```sh
//! cargo bench --bench load                                   # SQLite, 10,000 petitions
//! TIEPDAN_BENCH_PG_URL=$(bash .ci/start-postgres.sh) \
//!   cargo bench --bench load -- --sizes 10000,100000,1000000 --databases sqlite,postgres --seconds 20
//! cargo bench --bench load -- --help
//! ```
//!
//! For each database and size, on a fresh database (a SQLite file in a new folder; a new
//! PostgreSQL database on the server `TIEPDAN_BENCH_PG_URL` names, as `benches/recompute.rs`):
//! 1. `tiepdan seed --petitions N`, timed;
//! 2. `tiepdan` serving on a free local port (keys given, request log off), ready at `/health`;
//! 3. seeded staff sign in (a receptionist, the chairman, an inspector and a unit head of each of
//!    up to `clients` agencies), then clients drive full lifecycles for `--seconds` at each of
//!    `--clients` (8 and 32): create → accept → assign → view → search → resolve, each step's
//!    answer checked (201/200); lifecycles/s, each step's p50/p95/p99, failures, the server's CPU
//!    time per lifecycle (`/proc/PID/stat`), the driver's own, and the server's memory;
//! 4. at the largest client count, each read alone for `--read-seconds`: the inbox (scopes `mine`,
//!    `unit`, `new`, `all`), search, deep list pages (following `next_after` cursors when the list
//!    gives them, else `page=`, to `--list-depth` pages), the weekly review, public tracking and
//!    login (logins/s);
//! 5. SIGTERM to the server, checking that it exits;
//! 6. the floor (`load/floor.rs`): the rows of one lifecycle the application just made, written
//!    again without it on the same database at the same client counts: floor lifecycles/s, CPU per
//!    lifecycle, and the application's ratio to it;
//! 7. `tiepdan plans`: the query plans of the hot queries on the seeded register (printed as is; a
//!    failure is printed as a failure).
//!
//! At the end: a Markdown table with a row per database and size, the machine and the date.

#[path = "load/drive.rs"]
mod drive;
#[path = "load/floor.rs"]
mod floor;
#[path = "load/http.rs"]
mod http;
#[path = "load/server.rs"]
mod server;
#[path = "load/stats.rs"]
mod stats;
#[path = "load/texts.rs"]
mod texts;

use std::{path::PathBuf, sync::Arc, time::Instant};

use drive::{Read, STEPS};

// The server's allocator, for the floor's process.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const HELP: &str = "\
cargo bench --bench load -- [options]

  --sizes N,N,...        petitions to seed, one fresh database each (default 10000)
  --databases LIST       sqlite, postgres (default: sqlite, and postgres when TIEPDAN_BENCH_PG_URL is set)
  --clients N,N,...      concurrent clients of the lifecycle and floor phases (default 8,32);
                         the reads run at the largest
  --seconds S            length of each lifecycle and floor phase (default 20)
  --read-seconds S       length of each read phase (default 5)
  --list-depth N         pages a client follows down the register's list before starting over (default 100)
  --dir DIR              keep the data folders under DIR (default: a temporary folder, removed)
  --binary PATH          the tiepdan binary (default: this build's, i.e. the release one under cargo bench)

Environment: TIEPDAN_BENCH_PG_URL (a PostgreSQL server URL, e.g. from .ci/start-postgres.sh),
TIEPDAN_BENCH_SERVER_LOG (the server's RUST_LOG; default warn).";

#[derive(Debug, Clone)]
struct Options {
    sizes: Vec<u64>,
    databases: Vec<String>,
    clients: Vec<usize>,
    seconds: f64,
    read_seconds: f64,
    list_depth: u64,
    dir: Option<PathBuf>,
    binary: PathBuf,
}

fn list<T: std::str::FromStr>(v: &str, what: &str) -> Vec<T> {
    v.split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.trim().replace('_', "").parse().unwrap_or_else(|_| panic!("{what}: not a number: {s}")))
        .collect()
}

fn options() -> Options {
    let pg = std::env::var("TIEPDAN_BENCH_PG_URL").is_ok_and(|u| !u.is_empty());
    let mut o = Options {
        sizes: vec![10_000],
        databases: if pg { vec!["sqlite".into(), "postgres".into()] } else { vec!["sqlite".into()] },
        clients: vec![8, 32],
        seconds: 20.0,
        read_seconds: 5.0,
        list_depth: 100,
        dir: None,
        binary: PathBuf::from(env!("CARGO_BIN_EXE_tiepdan")),
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| panic!("{a} needs a value"));
        match a.as_str() {
            // cargo bench passes --bench to every bench.
            "--bench" => {}
            "--sizes" => o.sizes = list(&value(), "--sizes"),
            "--databases" => o.databases = value().split(',').map(|s| s.trim().to_lowercase()).collect(),
            "--clients" => o.clients = list(&value(), "--clients"),
            "--seconds" => o.seconds = value().parse().expect("--seconds: a number"),
            "--read-seconds" => o.read_seconds = value().parse().expect("--read-seconds: a number"),
            "--list-depth" => o.list_depth = value().parse().expect("--list-depth: a number"),
            "--dir" => o.dir = Some(PathBuf::from(value())),
            "--binary" => o.binary = PathBuf::from(value()),
            "-h" | "--help" => {
                println!("{HELP}");
                std::process::exit(0);
            }
            other => panic!("unknown argument {other}\n\n{HELP}"),
        }
    }
    for d in &o.databases {
        assert!(d == "sqlite" || d == "postgres", "--databases: sqlite or postgres, not {d}");
    }
    assert!(!o.clients.is_empty() && !o.sizes.is_empty(), "--clients and --sizes need values");
    o
}

/// Every figure of one database and size, for the table.
#[derive(Debug, Default, Clone)]
struct Row {
    database: String,
    size: u64,
    seed_s: f64,
    /// (clients, lifecycles/s, failed).
    rates: Vec<(usize, f64, u64)>,
    floor_rates: Vec<(usize, f64)>,
    server_cpu_ms: f64,
    floor_cpu_ms: f64,
    driver_cpu_ms: f64,
    write_p99: f64,
    view_p99: f64,
    lc_search_p99: f64,
    /// (name, p99, rate, errors) of each read phase.
    reads: Vec<(String, f64, f64, u64)>,
    rss_mb: f64,
    hwm_mb: f64,
    stop: String,
    plans: bool,
}

#[tokio::main]
async fn main() {
    let o = options();
    let ticks = server::ticks_per_second();
    let started = chrono::Utc::now();
    println!("load benchmark (issue 14), {}", started.format("%Y-%m-%d %H:%M UTC"));
    println!("machine: {}", server::machine());
    println!("binary: {}", o.binary.display());
    println!(
        "sizes {:?}, databases {:?}, clients {:?}, {} s per lifecycle/floor phase, {} s per read phase",
        o.sizes, o.databases, o.clients, o.seconds, o.read_seconds
    );
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let root = o.dir.clone().unwrap_or_else(|| tmp.path().to_owned());
    let mut rows = Vec::new();
    for database in &o.databases {
        for &size in &o.sizes {
            match one(&o, database, size, &root, ticks).await {
                Ok(row) => rows.push(row),
                Err(e) => println!("\n!! {database} {size}: {e}"),
            }
        }
    }
    print_table(&o, &rows, started);
}

fn ms(seconds: f64, n: u64) -> f64 {
    if n == 0 { f64::NAN } else { seconds * 1000.0 / n as f64 }
}

async fn one(
    o: &Options,
    database: &str,
    size: u64,
    root: &std::path::Path,
    ticks: f64,
) -> Result<Row, String> {
    let label = if database == "sqlite" { "SQLite" } else { "PostgreSQL" };
    println!("\n== {label}, {size} petitions ==");
    let dir = root.join(format!("{database}-{size}"));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let url = if database == "sqlite" {
        format!("sqlite://{}?mode=rwc", dir.join("tiepdan.db").display())
    } else {
        let server = std::env::var("TIEPDAN_BENCH_PG_URL").map_err(|_| "TIEPDAN_BENCH_PG_URL is not set")?;
        server::fresh_postgres(&server).await?
    };
    let env = server::Env {
        binary: o.binary.clone(),
        database_url: url.clone(),
        data_dir: dir.clone(),
        data_key: server::random_hex(),
        audit_key: server::random_hex(),
        jwt_secret: server::random_hex(),
    };
    let mut row = Row { database: label.to_owned(), size, ..Default::default() };

    let (seconds, out) = env.seed(size)?;
    row.seed_s = seconds;
    println!("seed: {seconds:.1} s");
    for line in out.lines().filter(|l| !l.trim().is_empty()).take(6) {
        println!("  | {line}");
    }

    // Limits meant for one citizen's address would refuse a load driver on one address.
    let srv = env
        .serve(&[
            ("TIEPDAN_PUBLIC_LOOKUPS_PER_MINUTE", "1000000000"),
            ("TIEPDAN_PUBLIC_FILINGS_PER_HOUR", "1000000000"),
        ])
        .await?;
    let pid = srv.pid().to_string();
    println!("server: pid {pid} on {}", srv.addr);
    let http = http::Http::new(&srv.addr);
    let max_clients = o.clients.iter().copied().max().unwrap_or(32);
    let agencies = (drive::communes_for(size) + 1).min(max_clients);
    let t = Instant::now();
    let desks = Arc::new(drive::desks(&http, agencies).await?);
    println!("signed in 4 staff of each of {agencies} agencies in {:.2} s", t.elapsed().as_secs_f64());
    drive::NEXT.store(size * 10, std::sync::atomic::Ordering::Relaxed);

    let mut template = None;
    let mut codes = Vec::new();
    for &clients in &o.clients {
        let cpu0 = server::cpu_seconds(&pid, ticks);
        let me0 = server::cpu_seconds("self", ticks);
        let all0 = server::machine_busy_seconds(ticks);
        let mut r = drive::lifecycles(&http, &desks, clients, o.seconds).await;
        let cpu = server::cpu_seconds(&pid, ticks) - cpu0;
        let me = server::cpu_seconds("self", ticks) - me0;
        let all = server::machine_busy_seconds(ticks) - all0;
        let (rss, hwm) = server::memory_mb(&pid);
        let rate = r.completed as f64 / r.seconds;
        println!(
            "\nlifecycles at {clients} clients: {rate:.1}/s ({} completed, {} failed in {:.1} s); \
             server CPU {:.2} ms per lifecycle ({:.0}% of a core), driver CPU {:.2} ms; server RSS {rss:.0} MB, peak {hwm:.0} MB; \
             the whole machine {:.2} ms (every process: PostgreSQL, and other work on it too)",
            r.completed,
            r.failed,
            r.seconds,
            ms(cpu, r.completed),
            cpu / r.seconds * 100.0,
            ms(me, r.completed),
            ms(all, r.completed),
        );
        let mut writes = 0f64;
        for (i, step) in STEPS.iter().enumerate() {
            let s = r.steps[i].summary();
            println!("{}", s.line(step, r.seconds));
            if clients == max_clients {
                match *step {
                    "view" => row.view_p99 = s.p99,
                    "search" => row.lc_search_p99 = s.p99,
                    _ => writes = writes.max(s.p99),
                }
            }
        }
        for s in &r.samples {
            println!("  failed: {s}");
        }
        if clients == max_clients {
            row.write_p99 = writes;
            row.server_cpu_ms = ms(cpu, r.completed);
            row.driver_cpu_ms = ms(me, r.completed);
        }
        row.rates.push((clients, rate, r.failed));
        row.rss_mb = row.rss_mb.max(rss);
        row.hwm_mb = row.hwm_mb.max(hwm);
        if let Some(id) = r.ids.pop() {
            template = Some(id);
        }
        codes.append(&mut r.codes);
    }

    let codes = Arc::new(codes);
    println!("\nreads at {max_clients} clients, {} s each:", o.read_seconds);
    let kinds = [
        Read::Inbox("mine"),
        Read::Inbox("unit"),
        Read::Inbox("new"),
        Read::Inbox("all"),
        Read::Search,
        Read::DeepList,
        Read::Review,
        Read::Tracking,
        Read::Login,
    ];
    for read in kinds {
        let cpu0 = server::cpu_seconds(&pid, ticks);
        let mut r =
            drive::reads(&http, &desks, &codes, read, max_clients, o.read_seconds, o.list_depth).await;
        let cpu = server::cpu_seconds(&pid, ticks) - cpu0;
        let (rss, hwm) = server::memory_mb(&pid);
        let s = r.latencies.summary();
        let mut line = s.line(&read.name(), r.seconds);
        line.push_str(&format!(
            "  CPU {:.2} ms each, RSS {rss:.0} MB (peak {hwm:.0})",
            ms(cpu, s.count as u64)
        ));
        if read == Read::DeepList {
            line.push_str(&format!("; {} pages by cursor, down to page {}", r.cursor_pages, r.deepest));
        }
        println!("{line}");
        for e in &r.samples {
            println!("    failed: {e}");
        }
        row.reads.push((read.name(), s.p99, s.count as f64 / r.seconds, s.errors));
        row.rss_mb = row.rss_mb.max(rss);
        row.hwm_mb = row.hwm_mb.max(hwm);
    }

    row.stop = srv.stop();
    println!("\nserver stop: {}", row.stop);

    // The floor, on the same database, the server stopped.
    match template {
        None => println!("floor: no completed lifecycle to copy"),
        Some(template) => {
            let pool = if database == "sqlite" { 1 } else { 8 };
            let db = tiepdan::db::Db::connect(&url, pool).await.map_err(|e| format!("floor connect: {e}"))?;
            // As in the server: SQLite's WAL is copied back by a checkpointer on its own connection.
            let checkpointer = db.start_checkpointer(&url).await.map_err(|e| format!("checkpointer: {e}"))?;
            let plan = Arc::new(
                floor::Plan::new(&db.writer, template).await.map_err(|e| format!("floor plan: {e}"))?,
            );
            println!("\nfloor: copies of case {template}'s rows ({})", plan.tables.join(", "));
            for &clients in &o.clients {
                let f = floor::run(&db.writer, &plan, clients, o.seconds, ticks).await;
                let rate = f.completed as f64 / f.seconds;
                let app = row.rates.iter().find(|r| r.0 == clients).map_or(f64::NAN, |r| r.1);
                println!(
                    "  floor at {clients} clients: {rate:.1} lifecycles/s ({} failed), CPU {:.3} ms per lifecycle; \
                     the application is {:.1}× slower",
                    f.failed,
                    ms(f.cpu, f.completed),
                    rate / app
                );
                if let Some(s) = f.sample {
                    println!("    failed: {s}");
                }
                if clients == max_clients {
                    row.floor_cpu_ms = ms(f.cpu, f.completed);
                }
                row.floor_rates.push((clients, rate));
            }
            if let Some(task) = checkpointer {
                task.abort();
            }
            db.writer.close_by_ref().await.ok();
            db.reader.close_by_ref().await.ok();
            println!(
                "  CPU per lifecycle: application {:.2} ms (server) against floor {:.3} ms: {:.1}×{}",
                row.server_cpu_ms,
                row.floor_cpu_ms,
                row.server_cpu_ms / row.floor_cpu_ms,
                if database == "postgres" { " (PostgreSQL's own CPU is in neither)" } else { "" }
            );
        }
    }

    println!("\nplans (`tiepdan plans`):");
    match env.plans() {
        Ok(text) => {
            row.plans = true;
            println!("{text}");
        }
        Err(e) => println!("  `tiepdan plans` FAILED, no plans printed: {}", e.trim()),
    }
    Ok(row)
}

fn f1(v: f64) -> String {
    if v.is_nan() {
        "—".to_owned()
    } else if v >= 100.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

fn print_table(o: &Options, rows: &[Row], started: chrono::DateTime<chrono::Utc>) {
    let max_clients = o.clients.iter().copied().max().unwrap_or(32);
    println!("\n## Results\n");
    println!(
        "{}, {}; `cargo bench --bench load -- --sizes {} --databases {} --clients {} --seconds {} --read-seconds {}`. \
         Latencies are p99 in ms at {max_clients} clients; CPU is per lifecycle.\n",
        started.format("%-d %b %Y"),
        server::machine(),
        o.sizes.iter().map(u64::to_string).collect::<Vec<_>>().join(","),
        o.databases.join(","),
        o.clients.iter().map(usize::to_string).collect::<Vec<_>>().join(","),
        o.seconds,
        o.read_seconds
    );
    let mut head = vec!["Database".to_owned(), "Petitions".to_owned(), "Seed s".to_owned()];
    for c in &o.clients {
        head.push(format!("Lifecycles/s @{c}"));
    }
    for c in &o.clients {
        head.push(format!("Floor/s @{c}"));
    }
    head.extend(
        [
            "App/floor time",
            "Server CPU ms",
            "Floor CPU ms",
            "App/floor CPU",
            "Driver CPU ms",
            "Failed",
            "Write p99",
            "View p99",
            "Search p99 (lifecycle)",
        ]
        .map(str::to_owned),
    );
    if let Some(r) = rows.first() {
        for (name, ..) in &r.reads {
            head.push(if name == "login" { "Logins/s".to_owned() } else { format!("{} p99", capital(name)) });
        }
    }
    head.extend(["RSS MB (peak)", "SIGTERM", "Plans"].map(str::to_owned));
    println!("| {} |", head.join(" | "));
    println!("|{}", "---|".repeat(head.len()));
    for r in rows {
        let mut cells = vec![r.database.clone(), format!("{}", r.size), f1(r.seed_s)];
        for c in &o.clients {
            cells.push(r.rates.iter().find(|x| x.0 == *c).map_or("—".to_owned(), |x| f1(x.1)));
        }
        for c in &o.clients {
            cells.push(r.floor_rates.iter().find(|x| x.0 == *c).map_or("—".to_owned(), |x| f1(x.1)));
        }
        let app = r.rates.iter().find(|x| x.0 == max_clients).map_or(f64::NAN, |x| x.1);
        let floor = r.floor_rates.iter().find(|x| x.0 == max_clients).map_or(f64::NAN, |x| x.1);
        cells.push(format!("{}×", f1(floor / app)));
        cells.push(format!("{:.2}", r.server_cpu_ms));
        cells.push(format!("{:.3}", r.floor_cpu_ms));
        cells.push(format!("{}×", f1(r.server_cpu_ms / r.floor_cpu_ms)));
        cells.push(format!("{:.2}", r.driver_cpu_ms));
        let failed: u64 = r.rates.iter().map(|x| x.2).sum::<u64>() + r.reads.iter().map(|x| x.3).sum::<u64>();
        cells.push(failed.to_string());
        cells.extend([f1(r.write_p99), f1(r.view_p99), f1(r.lc_search_p99)]);
        for (name, p99, rate, _) in &r.reads {
            cells.push(if name == "login" { f1(*rate) } else { f1(*p99) });
        }
        cells.push(format!("{} ({})", f1(r.rss_mb), f1(r.hwm_mb)));
        cells.push(if r.stop.starts_with("exited") { "exits".to_owned() } else { "NO".to_owned() });
        cells.push(if r.plans { "printed".to_owned() } else { "failed".to_owned() });
        println!("| {} |", cells.join(" | "));
    }
    // Goal: no more than 1.5× slower at the largest size than at the smallest.
    for db in ["SQLite", "PostgreSQL"] {
        let of: Vec<&Row> = rows.iter().filter(|r| r.database == db).collect();
        if of.len() > 1 {
            let base = of[0].rates.iter().find(|x| x.0 == max_clients).map_or(f64::NAN, |x| x.1);
            for r in &of[1..] {
                let rate = r.rates.iter().find(|x| x.0 == max_clients).map_or(f64::NAN, |x| x.1);
                println!(
                    "\n{db}: lifecycles/s at {max_clients} clients with {} petitions is {:.2}× slower than with {}",
                    r.size,
                    base / rate,
                    of[0].size
                );
            }
        }
    }
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}
