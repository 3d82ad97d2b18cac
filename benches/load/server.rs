//! The project's binary as a subprocess: `tiepdan seed`, `tiepdan plans` and the server itself,
//! and what /proc says about a process's CPU time and memory.

use std::{
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

/// 32 random bytes as hex: a key or a secret for a run.
pub fn random_hex() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}

/// A fresh database on the PostgreSQL server `server_url` (as benches/recompute.rs).
pub async fn fresh_postgres(server_url: &str) -> Result<String, String> {
    use sea_orm::{ConnectionTrait, Database};
    let admin = Database::connect(server_url).await.map_err(|e| format!("connect to PostgreSQL: {e}"))?;
    let name = format!("tiepdan_load_{}", uuid::Uuid::new_v4().simple());
    admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.map_err(|e| e.to_string())?;
    admin.close().await.ok();
    let (base, _) = server_url.rsplit_once('/').ok_or("a URL with a database path")?;
    Ok(format!("{base}/{name}"))
}

/// What every run of the binary gets: the database, the data folder and the keys.
#[derive(Debug, Clone)]
pub struct Env {
    pub binary: PathBuf,
    pub database_url: String,
    pub data_dir: PathBuf,
    pub data_key: String,
    pub audit_key: String,
    pub jwt_secret: String,
}

impl Env {
    fn command(&self) -> Command {
        let mut cmd = Command::new(&self.binary);
        cmd.env("DATABASE_URL", &self.database_url)
            .env("TIEPDAN_DATA_DIR", &self.data_dir)
            .env("TIEPDAN_DATA_KEY", &self.data_key)
            .env("TIEPDAN_AUDIT_KEY", &self.audit_key)
            .env("TIEPDAN_JWT_SECRET", &self.jwt_secret)
            // The server's request log at `info` would cost CPU in every request; errors still show.
            .env("RUST_LOG", std::env::var("TIEPDAN_BENCH_SERVER_LOG").unwrap_or_else(|_| "warn".to_owned()))
            .env("TIEPDAN_LOG_FORMAT", "text");
        cmd
    }

    /// `tiepdan seed --petitions N`: its wall time, or why it failed.
    pub fn seed(&self, petitions: u64) -> Result<(f64, String), String> {
        let started = Instant::now();
        let out = self
            .command()
            .args(["seed", "--petitions", &petitions.to_string()])
            .output()
            .map_err(|e| format!("cannot run {}: {e}", self.binary.display()))?;
        let seconds = started.elapsed().as_secs_f64();
        let text =
            format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        if out.status.success() {
            Ok((seconds, text))
        } else {
            Err(format!("seed failed ({}):\n{text}", out.status))
        }
    }

    /// `tiepdan plans`: its output, or its failure (exit status and output), printed as is.
    pub fn plans(&self) -> Result<String, String> {
        let out = self.command().arg("plans").output().map_err(|e| format!("cannot run: {e}"))?;
        let text =
            format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        if out.status.success() { Ok(text) } else { Err(format!("exit {}:\n{text}", out.status)) }
    }

    /// Starts the server on a free local port with its log in the data folder; waits for `/health`.
    pub async fn serve(&self, extra: &[(&str, &str)]) -> Result<Server, String> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("no free port: {e}"))?
            .port();
        let addr = format!("127.0.0.1:{port}");
        let log = self.data_dir.join("server.log");
        let log_file = std::fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
        let mut cmd = self.command();
        cmd.env("TIEPDAN_BIND", &addr)
            .stdout(Stdio::from(log_file.try_clone().map_err(|e| e.to_string())?))
            .stderr(Stdio::from(log_file))
            .stdin(Stdio::null());
        for (k, v) in extra {
            cmd.env(k, v);
        }
        let child = cmd.spawn().map_err(|e| format!("cannot start the server: {e}"))?;
        let mut server = Server { child, addr, log };
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = server.child.try_wait() {
                return Err(format!(
                    "the server exited ({status}); log {}:\n{}",
                    server.log.display(),
                    server.log_tail()
                ));
            }
            if health(&server.addr).await {
                return Ok(server);
            }
            if started.elapsed() > Duration::from_secs(300) {
                let _ = server.child.kill();
                return Err(format!("no /health after 300 s; log {}", server.log.display()));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// One `GET /health` on a fresh connection: 200 or not.
async fn health(addr: &str) -> bool {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let Ok(mut s) = tokio::net::TcpStream::connect(addr).await else { return false };
    let req = format!("GET /health HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    if s.write_all(req.as_bytes()).await.is_err() {
        return false;
    }
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut buf)).await;
    buf.starts_with(b"HTTP/1.1 200")
}

/// The running server.
pub struct Server {
    child: Child,
    pub addr: String,
    log: PathBuf,
}

impl Server {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }

    /// SIGTERM, then up to 30 s for it to exit: how long it took, or a note that it did not (then
    /// it is killed).
    pub fn stop(mut self) -> String {
        let started = Instant::now();
        let sent = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
        if !sent.is_ok_and(|s| s.success()) {
            let _ = self.child.kill();
            return "could not send SIGTERM; killed".to_owned();
        }
        while started.elapsed() < Duration::from_secs(30) {
            if let Ok(Some(status)) = self.child.try_wait() {
                return format!("exited on SIGTERM in {:.2} s ({status})", started.elapsed().as_secs_f64());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        "DID NOT EXIT within 30 s of SIGTERM; killed".to_owned()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // A panic in the driver must not leave the server running.
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Clock ticks a second (`getconf CLK_TCK`; 100 on Linux).
pub fn ticks_per_second() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse::<f64>().ok())
        .unwrap_or(100.0)
}

/// CPU seconds (user + system) a process has used, from `/proc/PID/stat` (`self` for this one).
pub fn cpu_seconds(pid: &str, ticks: f64) -> f64 {
    let Ok(stat) = std::fs::read_to_string(Path::new("/proc").join(pid).join("stat")) else {
        return f64::NAN;
    };
    // Fields after the command name (which may hold spaces), from field 3 on: utime is 14, stime 15.
    let Some((_, rest)) = stat.rsplit_once(')') else { return f64::NAN };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let field = |n: usize| fields.get(n - 3).and_then(|v| v.parse::<f64>().ok()).unwrap_or(f64::NAN);
    (field(14) + field(15)) / ticks
}

/// Resident memory now and at its peak (`VmRSS`, `VmHWM`), in MB.
pub fn memory_mb(pid: &str) -> (f64, f64) {
    let status = std::fs::read_to_string(Path::new("/proc").join(pid).join("status")).unwrap_or_default();
    let kb = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .map_or(f64::NAN, |kb| kb / 1024.0)
    };
    (kb("VmRSS:"), kb("VmHWM:"))
}

/// The machine: cores, CPU model, memory.
pub fn machine() -> String {
    let cores = std::thread::available_parallelism().map(usize::from).unwrap_or(1);
    let info = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = info
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map_or("unknown CPU".to_owned(), |(_, m)| m.trim().to_owned());
    let mem = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let total = mem
        .lines()
        .find(|l| l.starts_with("MemTotal:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0 / 1024.0);
    format!("{cores} cores (nproc), {model}, {total:.1} GiB memory")
}

/// CPU seconds the whole machine has been busy (every core, every process: the server, the
/// driver, PostgreSQL, and whatever else runs), from the first line of `/proc/stat`.
pub fn machine_busy_seconds(ticks: f64) -> f64 {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let Some(cpu) = stat.lines().next() else { return f64::NAN };
    // user nice system idle iowait irq softirq steal …: all but idle and iowait.
    let v: Vec<f64> = cpu.split_whitespace().skip(1).filter_map(|x| x.parse().ok()).collect();
    if v.len() < 8 {
        return f64::NAN;
    }
    (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / ticks
}
