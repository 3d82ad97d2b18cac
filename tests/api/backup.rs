//! `tiepdan backup` and `tiepdan restore` (issue 18): a copy taken while a server acknowledges
//! petitions over HTTP restores with every write acknowledged before the backup started and a
//! verifying audit chain; a damaged copy, a wrong key, a database in use or holding a register
//! are refused, changing nothing. On SQLite and, with `TIEPDAN_TEST_PG_URL`, PostgreSQL
//! (`pg_dump` / `pg_restore`).

use std::{
    collections::HashSet,
    path::Path,
    process::Stdio,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

use sea_orm::{ConnectionTrait, Database, Statement};
use serde_json::{Value, json};
use tiepdan::service::backup::{self, BackupOptions};

use crate::{
    petitions::{complaint, office},
    support::{
        ADMIN_PASSWORD, TEST_AUDIT_KEY, TEST_DATA_KEY, TEST_SECRET, default_now, free_port,
        fresh_database_url, on_postgres, test_config, wait_healthy,
    },
};

/// The environment of the binary for a register at `url` (`None`: SQLite in `data`, keys
/// generated beside it as on a first start with no setup; PostgreSQL needs them configured).
fn env_for(command: &mut tokio::process::Command, data: &Path, url: Option<&str>) {
    command.env_clear().env("TIEPDAN_DATA_DIR", data).env("RUST_LOG", "warn");
    if let Some(url) = url {
        command
            .env("DATABASE_URL", url)
            .env("TIEPDAN_DATA_KEY", TEST_DATA_KEY)
            .env("TIEPDAN_AUDIT_KEY", TEST_AUDIT_KEY)
            .env("TIEPDAN_JWT_SECRET", TEST_SECRET);
    }
}

async fn run(args: &[&str], data: &Path, url: Option<&str>) -> (bool, String) {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_tiepdan"));
    command.args(args);
    env_for(&mut command, data, url);
    let out = command.output().await.expect("run the tiepdan binary");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

/// The tracking codes of a register.
async fn codes(url: &str) -> HashSet<String> {
    let db = Database::connect(url).await.expect("open the restored register");
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT tracking_code FROM petition",
        ))
        .await
        .unwrap();
    let codes = rows.iter().map(|r| r.try_get::<String>("", "tracking_code").unwrap()).collect();
    db.close().await.ok();
    codes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_under_write_load_restores_every_acknowledged_petition_and_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let (live, restored) = (dir.path().join("live"), dir.path().join("restored"));
    let (live_url, restored_url) = if on_postgres() {
        (Some(fresh_database_url(dir.path()).await), Some(fresh_database_url(dir.path()).await))
    } else {
        (None, None)
    };
    let port = free_port();
    let mut server = tokio::process::Command::new(env!("CARGO_BIN_EXE_tiepdan"));
    env_for(&mut server, &live, live_url.as_deref());
    let mut server = server
        .env("TIEPDAN_BIND", format!("127.0.0.1:{port}"))
        .env("TIEPDAN_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("start the server");
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    assert!(wait_healthy(port).await, "the server did not start");
    let login = http
        .post(format!("{base}/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body(json!({"username": "admin", "password": ADMIN_PASSWORD}).to_string())
        .send()
        .await
        .unwrap();
    let login: Value = serde_json::from_slice(&login.bytes().await.unwrap()).unwrap();
    let token = login["token"].as_str().expect("a token").to_owned();

    // Two writers; each petition is noted with the instant its 201 arrived.
    let acknowledged: Arc<Mutex<Vec<(String, Instant)>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..2 {
        let (http, base, token) = (http.clone(), base.clone(), token.clone());
        let (acknowledged, stop) = (acknowledged.clone(), stop.clone());
        writers.push(tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let mut body = complaint();
                body["subject"] = json!(format!("Khiếu nại số {w}-{n} về thu hồi đất"));
                let res = http
                    .post(format!("{base}/api/v1/petitions"))
                    .bearer_auth(&token)
                    .header("content-type", "application/json")
                    .body(body.to_string())
                    .send()
                    .await
                    .expect("the server answers");
                assert_eq!(res.status().as_u16(), 201, "a petition is acknowledged");
                let view: Value = serde_json::from_slice(&res.bytes().await.unwrap()).unwrap();
                let code = view["tracking_code"].as_str().unwrap().to_owned();
                acknowledged.lock().unwrap().push((code, Instant::now()));
            }
        }));
    }
    while acknowledged.lock().unwrap().len() < 200 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let copy = dir.path().join("backup");
    let started = Instant::now();
    let (ok, out) = run(&["backup", copy.to_str().unwrap()], &live, live_url.as_deref()).await;
    let finished = Instant::now();
    assert!(ok, "backup failed: {out}");
    assert!(out.contains("petitions: "), "{out}");
    // The writers go on a little after it, then stop.
    let at_end = acknowledged.lock().unwrap().len();
    while acknowledged.lock().unwrap().len() < at_end + 10 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    let before: Vec<&String> = acknowledged.iter().filter(|(_, at)| *at < started).map(|(c, _)| c).collect();
    let during = acknowledged.iter().filter(|(_, at)| *at >= started && *at <= finished).count();
    let after = acknowledged.iter().filter(|(_, at)| *at > finished).count();
    assert!(before.len() >= 200 && after >= 10, "writes before ({}) and after ({after})", before.len());

    #[cfg(unix)]
    for entry in std::fs::read_dir(&copy).unwrap() {
        use std::os::unix::fs::PermissionsExt;
        let entry = entry.unwrap();
        let mode = entry.metadata().unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{} is owner-only", entry.path().display());
    }
    let manifest: backup::Manifest =
        serde_json::from_str(&std::fs::read_to_string(copy.join(backup::MANIFEST)).unwrap()).unwrap();
    assert!(manifest.petitions as usize >= before.len(), "{manifest:?}");

    // Restored elsewhere while the live server still runs; its keys come from the backup.
    let (ok, out) = run(&["restore", copy.to_str().unwrap()], &restored, restored_url.as_deref()).await;
    assert!(ok, "restore failed: {out}");
    let target =
        restored_url.clone().unwrap_or_else(|| format!("sqlite://{}", restored.join("tiepdan.db").display()));
    let found = codes(&target).await;
    let lost: Vec<&&String> = before.iter().filter(|c| !found.contains(c.as_str())).collect();
    assert!(lost.is_empty(), "{} acknowledged before the backup are missing: {lost:?}", lost.len());
    assert_eq!(found.len() as u64, manifest.petitions, "the copy holds what the backup reported");
    let all: HashSet<&String> = acknowledged.iter().map(|(c, _)| c).collect();
    assert!(found.iter().all(|c| all.contains(c)), "nothing but acknowledged petitions");
    eprintln!(
        "backup under load: {} acknowledged before, {during} during, {after} after; {} in the copy",
        before.len(),
        found.len()
    );
    let (ok, out) = run(
        &["verify-audit", "--head", copy.join(backup::HEAD).to_str().unwrap()],
        &restored,
        restored_url.as_deref(),
    )
    .await;
    assert!(ok, "the restored register's audit chain verifies: {out}");
    if !on_postgres() {
        for key in ["data.key", "audit.key", "jwt.secret"] {
            assert_eq!(
                std::fs::read_to_string(restored.join(key)).unwrap().trim(),
                std::fs::read_to_string(live.join(key)).unwrap().trim(),
                "{key} is back in place"
            );
        }
        // The live register is in use: a restore over it is refused, even with --force.
        let (ok, out) = run(&["restore", "--force", copy.to_str().unwrap()], &live, None).await;
        assert!(!ok && out.contains("in use"), "{out}");
    }
    // A second backup to the same path is refused.
    let (ok, out) = run(&["backup", copy.to_str().unwrap()], &live, live_url.as_deref()).await;
    assert!(!ok && out.contains("--overwrite"), "{out}");
    server.kill().await.ok();
}

/// A small register of the test app kind, backed up in-process; returns the backup's folder.
async fn backed_up(dir: &Path) -> (crate::petitions::Office, std::path::PathBuf) {
    let o = office().await;
    o.file(&o.desk, complaint()).await;
    let path = dir.join("backup");
    backup::backup(&o.app.config, &path, BackupOptions::default(), default_now()).await.expect("backup");
    (o, path)
}

/// A fresh target: an empty database, the test keys configured.
async fn target(dir: &Path) -> tiepdan::config::Config {
    let folder = dir.join("target");
    std::fs::create_dir_all(&folder).unwrap();
    let url = fresh_database_url(&folder).await;
    test_config(&folder, url)
}

#[tokio::test]
async fn restore_refuses_a_damaged_copy_and_replaces_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (_o, path) = backed_up(dir.path()).await;
    let file = path.join(if on_postgres() { backup::PG_FILE } else { backup::SQLITE_FILE });
    let mut bytes = std::fs::read(&file).unwrap();
    // Garbage over the middle of the copy (past SQLite's header; inside the dump's data).
    let (middle, len) = (bytes.len() / 2, bytes.len());
    for b in &mut bytes[middle..middle + 4096.min(len - middle)] {
        *b = 0xA5;
    }
    std::fs::write(&file, &bytes).unwrap();
    let config = target(dir.path()).await;
    let err =
        backup::restore(&config, &path, false, default_now()).await.expect_err("a damaged copy is refused");
    assert!(
        err.contains("damaged") || err.contains("does not verify") || err.contains("pg_restore failed"),
        "{err}"
    );
    if !on_postgres() {
        assert!(!config.data_dir.join("tiepdan.db").exists(), "nothing was put in place");
        assert!(!config.data_dir.join("tiepdan.db.restoring").exists(), "the scratch copy is gone");
    }
}

#[tokio::test]
async fn restore_refuses_a_wrong_key() {
    let dir = tempfile::tempdir().unwrap();
    let (_o, path) = backed_up(dir.path()).await;
    let other = "aa".repeat(32);
    // A key file swapped for another: its check value is not the manifest's.
    let keep = std::fs::read_to_string(path.join(backup::DATA_KEY)).unwrap();
    std::fs::remove_file(path.join(backup::DATA_KEY)).unwrap();
    std::fs::write(path.join(backup::DATA_KEY), &other).unwrap();
    let mut config = target(dir.path()).await;
    config.data_key = None;
    let err = backup::restore(&config, &path, false, default_now()).await.expect_err("a swapped key file");
    assert!(err.contains("not the ones the backup was taken with"), "{err}");
    // The manifest made to agree with the wrong key: the register itself refuses it.
    let original = std::fs::read_to_string(path.join(backup::MANIFEST)).unwrap();
    let mut manifest: backup::Manifest = serde_json::from_str(&original).unwrap();
    manifest.data_key_check =
        tiepdan::crypto::Sealer::new(&tiepdan::crypto::parse_key(&other).unwrap()).check_value().to_owned();
    std::fs::write(path.join(backup::MANIFEST), serde_json::to_string(&manifest).unwrap()).unwrap();
    let err = backup::restore(&config, &path, false, default_now()).await.expect_err("a wrong key");
    assert!(err.contains("data key in the backup is not the key this register was written with"), "{err}");
    // A configured key that is not the backup's is refused before anything is read.
    std::fs::write(path.join(backup::DATA_KEY), keep).unwrap();
    std::fs::write(path.join(backup::MANIFEST), original).unwrap();
    let mut config = target(dir.path()).await;
    config.audit_key = Some("bb".repeat(32));
    let err =
        backup::restore(&config, &path, false, default_now()).await.expect_err("another configured key");
    assert!(err.contains("TIEPDAN_AUDIT_KEY is set to another key"), "{err}");
}

#[tokio::test]
async fn restore_refuses_a_register_in_use_or_holding_data_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let (o, path) = backed_up(dir.path()).await;
    if on_postgres() {
        // The test app holds its pool open: in use.
        let err = backup::restore(&o.app.config, &path, true, default_now()).await.expect_err("in use");
        assert!(err.contains("in use"), "{err}");
        return;
    }
    let err = backup::restore(&o.app.config, &path, true, default_now()).await.expect_err("in use");
    assert!(err.contains("in use"), "{err}");
    // Closed, it holds a register: only --force replaces it, keeping it beside.
    let config = o.app.config.clone();
    o.app.state.db.clone().close().await;
    let err = backup::restore(&config, &path, false, default_now()).await.expect_err("holds data");
    assert!(err.contains("--force"), "{err}");
    let restored = backup::restore(&config, &path, true, default_now()).await.expect("forced");
    assert_eq!(restored.manifest.petitions, 1);
    assert!(restored.replaced.as_ref().is_some_and(|p| p.exists()), "{restored:?}");
}
