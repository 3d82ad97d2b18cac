//! Issue 18: a crash loses no acknowledged write. The real server binary takes public filings
//! from four writers at once and is killed with SIGKILL in the middle, three times; after each
//! restart every filing it had answered 201 is there, and the audit trails still verify.

use std::{
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex},
    time::Duration,
};

use serde_json::json;

use crate::support::{
    TEST_AUDIT_KEY, TEST_DATA_KEY, TEST_SECRET, free_port, fresh_database_url, wait_healthy,
};

/// The server binary over `database_url`, its data in `dir`, on `port`.
fn command(dir: &std::path::Path, database_url: &str, port: u16, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tiepdan"));
    cmd.args(args)
        .env("DATABASE_URL", database_url)
        .env("TIEPDAN_BIND", format!("127.0.0.1:{port}"))
        .env("TIEPDAN_DATA_DIR", dir)
        .env("TIEPDAN_JWT_SECRET", TEST_SECRET)
        .env("TIEPDAN_DATA_KEY", TEST_DATA_KEY)
        .env("TIEPDAN_AUDIT_KEY", TEST_AUDIT_KEY)
        .env("TIEPDAN_ADMIN_PASSWORD", crate::support::ADMIN_PASSWORD)
        .env("TIEPDAN_PUBLIC_FILINGS_PER_HOUR", "1000000")
        .env("TIEPDAN_PUBLIC_LOOKUPS_PER_MINUTE", "1000000")
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// Starts the server and waits until it answers.
async fn start(dir: &std::path::Path, database_url: &str, port: u16) -> Child {
    let mut child = command(dir, database_url, port, &[]).spawn().unwrap();
    if !wait_healthy(port).await {
        child.kill().ok();
        panic!("the server did not start");
    }
    child
}

#[tokio::test]
async fn a_killed_server_keeps_every_filing_it_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(dir.path()).await;
    let port = free_port();
    let acknowledged: Arc<Mutex<Vec<String>>> = Arc::default();
    let mut tried = 0u64;
    for round in 0..3 {
        let mut server = start(dir.path(), &url, port).await;
        // Four writers file as fast as they are answered.
        let writers: Vec<_> = (0..4)
            .map(|w| {
                let acknowledged = Arc::clone(&acknowledged);
                tokio::spawn(async move {
                    let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
                    let mut sent = 0u64;
                    loop {
                        let body = json!({"kind": "feedback", "subject": format!("Phản ánh {round}-{w}-{sent}"),
                                          "content": "Đèn đường hỏng.",
                                          "petitioner": {"full_name": "Lê Văn Tám", "address": "Tổ 3"}});
                        sent += 1;
                        let answer = client
                            .post(format!("http://127.0.0.1:{port}/api/v1/public/petitions"))
                            .header("content-type", "application/json")
                            .body(body.to_string())
                            .send()
                            .await;
                        let Ok(answer) = answer else { return sent };
                        if answer.status() == 201 {
                            let text = answer.text().await.unwrap_or_default();
                            let filed: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
                            if let Some(code) = filed["tracking_code"].as_str() {
                                acknowledged.lock().unwrap().push(code.to_owned());
                            }
                        }
                    }
                })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(1500)).await;
        server.kill().unwrap(); // SIGKILL
        server.wait().unwrap();
        for w in writers {
            tried += w.await.unwrap();
        }
    }
    // Every acknowledged filing is there after the last restart.
    let codes = acknowledged.lock().unwrap().clone();
    assert!(codes.len() > 20, "only {} filings were acknowledged of {tried}", codes.len());
    let mut server = start(dir.path(), &url, port).await;
    let client = reqwest::Client::new();
    let mut lost = Vec::new();
    for code in &codes {
        let answer = client
            .get(format!("http://127.0.0.1:{port}/api/v1/public/petitions/{code}"))
            .send()
            .await
            .unwrap();
        if answer.status() != 200 {
            lost.push(code.clone());
        }
    }
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(lost.is_empty(), "{} of {} acknowledged filings lost: {lost:?}", lost.len(), codes.len());
    // And the trails verify.
    let verified = command(dir.path(), &url, port, &["verify-audit"]).status().unwrap();
    assert!(verified.success(), "verify-audit after the crashes");
    eprintln!("crash test: 3 SIGKILLs, {} filings acknowledged of {tried} sent, 0 lost", codes.len());
}
