//! The reports' benchmark of issue 16: the quarterly report and the chairman's dashboard of a
//! province over a seeded register, over HTTP from the release binary, with the server's memory.
//!
//! ```sh
//! cargo bench --bench reports                                    # SQLite, 100,000 and 1,000,000 petitions
//! TIEPDAN_BENCH_PG_URL=$(bash .ci/start-postgres.sh) \
//!   cargo bench --bench reports -- --sizes 1000000 --databases postgres
//! cargo bench --bench reports -- --help
//! ```
//!
//! For each database and size, on a fresh database (or the one `--dir` kept from an earlier run,
//! with `--reuse`): `tiepdan seed --petitions N` (the project's own bulk path: a province and its
//! communes), the server on a free port, the province's chairman signed in; then each report,
//! first cold (the dashboard's first call also writes the heads' scheduled sessions of its
//! twelve months, once) and then `--runs` times warm: its time (min, median, max), the answer's
//! size, and the server's resident memory and peak after it. The reports cover the province and
//! every commune below it: the whole register.

// Shared with the load benchmark, which uses more of them.
#[allow(dead_code)]
#[path = "load/http.rs"]
mod http;
#[allow(dead_code)]
#[path = "load/server.rs"]
mod server;

use std::{path::PathBuf, time::Instant};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const HELP: &str = "\
cargo bench --bench reports -- [options]

  --sizes N,N,...     petitions to seed, one database each (default 100000,1000000)
  --databases LIST    sqlite, postgres (default: sqlite, and postgres when TIEPDAN_BENCH_PG_URL is set)
  --runs N            warm runs of each report (default 5)
  --period P          the quarterly report's period (default 2026-Q4)
  --dir DIR           keep the data folders under DIR (default: a temporary folder, removed)
  --reuse             with --dir: use a register seeded there before (SQLite) instead of seeding again
  --binary PATH       the tiepdan binary (default: this build's, i.e. the release one under cargo bench)

Environment: TIEPDAN_BENCH_PG_URL (a PostgreSQL server URL, e.g. from .ci/start-postgres.sh).";

/// The password of every seeded account (src/service/seed).
const PASSWORD: &str = "tiepdan-demo";

#[derive(Debug, Clone)]
struct Options {
    sizes: Vec<u64>,
    databases: Vec<String>,
    runs: usize,
    period: String,
    dir: Option<PathBuf>,
    reuse: bool,
    binary: PathBuf,
}

fn options() -> Options {
    let mut o = Options {
        sizes: vec![100_000, 1_000_000],
        databases: if std::env::var("TIEPDAN_BENCH_PG_URL").is_ok() {
            vec!["sqlite".into(), "postgres".into()]
        } else {
            vec!["sqlite".into()]
        },
        runs: 5,
        period: "2026-Q4".into(),
        dir: None,
        reuse: false,
        binary: std::env::current_exe()
            .ok()
            .and_then(|p| p.parent()?.parent().map(|d| d.join("tiepdan")))
            .unwrap_or_else(|| PathBuf::from("target/release/tiepdan")),
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| panic!("{a} needs a value"));
        match a.as_str() {
            "--sizes" => {
                o.sizes = value().split(',').map(|s| s.trim().parse().expect("--sizes: numbers")).collect()
            }
            "--databases" => o.databases = value().split(',').map(|s| s.trim().to_owned()).collect(),
            "--runs" => o.runs = value().parse().expect("--runs: a number"),
            "--period" => o.period = value(),
            "--dir" => o.dir = Some(PathBuf::from(value())),
            "--reuse" => o.reuse = true,
            "--binary" => o.binary = PathBuf::from(value()),
            "--bench" => {}
            "--help" | "-h" => {
                println!("{HELP}");
                std::process::exit(0);
            }
            other => panic!("unknown option {other}\n{HELP}"),
        }
    }
    o
}

/// One report's timings.
#[derive(Debug, Default, Clone)]
struct Timed {
    cold_ms: f64,
    min_ms: f64,
    median_ms: f64,
    max_ms: f64,
    bytes: usize,
}

/// A database and size's figures.
#[derive(Debug, Default, Clone)]
struct Row {
    database: String,
    size: u64,
    seed_s: f64,
    quarter: Timed,
    dashboard: Timed,
    rss_mb: f64,
    hwm_mb: f64,
}

#[tokio::main]
async fn main() {
    let o = options();
    let temp = tempfile::tempdir().expect("a temporary folder");
    let root = o.dir.clone().unwrap_or_else(|| temp.path().to_path_buf());
    println!("{}", server::machine());
    let mut rows = Vec::new();
    for database in &o.databases {
        for &size in &o.sizes {
            match one(&o, database, size, &root).await {
                Ok(row) => rows.push(row),
                Err(e) => println!("!! {database}, {size}: {e}"),
            }
        }
    }
    println!("\nMachine: {}. Date: {}.\n", server::machine(), chrono::Utc::now().format("%Y-%m-%d"));
    println!(
        "| Database | Petitions | Seed (s) | Quarterly report {}: cold / median (min–max) ms | Dashboard (12 months): cold / median (min–max) ms | Server RSS / peak (MB) |",
        o.period
    );
    println!("|---|---|---|---|---|---|");
    for r in rows {
        let t = |t: &Timed| {
            format!(
                "{:.0} / {:.0} ({:.0}–{:.0}), {} KB",
                t.cold_ms,
                t.median_ms,
                t.min_ms,
                t.max_ms,
                t.bytes / 1024
            )
        };
        println!(
            "| {} | {} | {:.0} | {} | {} | {:.0} / {:.0} |",
            r.database,
            r.size,
            r.seed_s,
            t(&r.quarter),
            t(&r.dashboard),
            r.rss_mb,
            r.hwm_mb
        );
    }
}

async fn one(o: &Options, database: &str, size: u64, root: &std::path::Path) -> Result<Row, String> {
    let label = if database == "sqlite" { "SQLite" } else { "PostgreSQL" };
    println!("\n== {label}, {size} petitions ==");
    let dir = root.join(format!("reports-{database}-{size}"));
    let keys = dir.join("bench.keys");
    let reuse = o.reuse && database == "sqlite" && keys.exists();
    if !reuse {
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let url = if database == "sqlite" {
        format!("sqlite://{}?mode=rwc", dir.join("tiepdan.db").display())
    } else {
        let server = std::env::var("TIEPDAN_BENCH_PG_URL").map_err(|_| "TIEPDAN_BENCH_PG_URL is not set")?;
        server::fresh_postgres(&server).await?
    };
    // The keys of a kept register are kept beside it.
    let (data_key, audit_key) = if reuse {
        let text = std::fs::read_to_string(&keys).map_err(|e| e.to_string())?;
        let (d, a) = text.trim().split_once(' ').ok_or("bench.keys: two keys")?;
        (d.to_owned(), a.to_owned())
    } else {
        (server::random_hex(), server::random_hex())
    };
    let env = server::Env {
        binary: o.binary.clone(),
        database_url: url,
        data_dir: dir.clone(),
        data_key: data_key.clone(),
        audit_key: audit_key.clone(),
        jwt_secret: server::random_hex(),
    };
    let mut row = Row { database: label.to_owned(), size, ..Default::default() };
    if !reuse {
        let (seconds, _) = env.seed(size)?;
        row.seed_s = seconds;
        println!("seed: {seconds:.1} s");
        std::fs::write(&keys, format!("{data_key} {audit_key}")).map_err(|e| e.to_string())?;
    }
    let srv = env.serve(&[]).await?;
    let pid = srv.pid().to_string();
    let http = http::Http::new(&srv.addr);
    let login = http
        .post(
            "/api/v1/auth/login",
            None,
            &serde_json::json!({"username": "chutich.tinh", "password": PASSWORD}),
        )
        .await;
    let token =
        login.json["token"].as_str().ok_or_else(|| format!("login: {}", login.describe()))?.to_owned();
    row.quarter =
        timed(&http, &token, &format!("/api/v1/reports/periodic?period={}", o.period), o.runs).await?;
    println!("quarterly report: {:?}", row.quarter);
    row.dashboard = timed(&http, &token, "/api/v1/reports/dashboard", o.runs).await?;
    println!("dashboard: {:?}", row.dashboard);
    (row.rss_mb, row.hwm_mb) = server::memory_mb(&pid);
    println!("server RSS {:.0} MB, peak {:.0} MB", row.rss_mb, row.hwm_mb);
    let _ = srv.stop();
    Ok(row)
}

/// A report asked once cold and `runs` times warm.
async fn timed(http: &http::Http, token: &str, path: &str, runs: usize) -> Result<Timed, String> {
    let once = || async {
        let started = Instant::now();
        let a = http.get(path, Some(token)).await;
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        if a.status != 200 {
            return Err(format!("{path}: {}", a.describe()));
        }
        Ok((ms, a.json.to_string().len()))
    };
    let (cold_ms, bytes) = once().await?;
    let mut warm = Vec::with_capacity(runs);
    for _ in 0..runs {
        warm.push(once().await?.0);
    }
    warm.sort_by(f64::total_cmp);
    let pick = |i: usize| warm.get(i).copied().unwrap_or(f64::NAN);
    Ok(Timed {
        cold_ms,
        min_ms: pick(0),
        median_ms: pick(warm.len() / 2),
        max_ms: pick(warm.len().saturating_sub(1)),
        bytes,
    })
}
