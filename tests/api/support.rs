//! The test application: a fresh database, the real router, a fixed clock, helpers to call it.
#![allow(dead_code)] // helpers shared by test modules; not every module uses every one

use std::sync::Arc;

use axum::{
    Router,
    body::Body,
    http::{Method, Request, StatusCode, header},
};
use chrono::{DateTime, TimeZone, Utc};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tiepdan::{
    AppState, build_router,
    clock::FixedClock,
    config::{Config, LogFormat},
    startup::{self, Prepared},
};
use tower::ServiceExt;

/// The admin password every test app starts with.
pub const ADMIN_PASSWORD: &str = "Quản trị phường Mẫu 2026!";
/// A strong signing secret, known to the tests so they can forge tokens.
pub const TEST_SECRET: &str = "test-only-k9R2v!x7Qm#4pL8zW1sT6yN3bH5dF0gJ";

/// The data key every test app seals identities with (32 bytes, hex).
pub const TEST_DATA_KEY: &str = "0b1c2d3e4f5061728394a5b6c7d8e9fa0b1c2d3e4f5061728394a5b6c7d8e9fa";
/// The audit key every test app keys its trail with.
pub const TEST_AUDIT_KEY: &str = "f1e2d3c4b5a69788776655443322110000ffeeddccbbaa998877665544332211";

/// 9:00 in Vietnam on Wednesday 25 Nov 2026.
pub fn default_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 2, 0, 0).unwrap()
}

/// A running test application.
pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    pub clock: FixedClock,
    pub config: Config,
    /// Keeps the SQLite folder alive for the test's duration.
    pub _dir: tempfile::TempDir,
}

/// An answer from the router.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Value,
    pub bytes: Vec<u8>,
}

impl Answer {
    /// The error code of a JSON error answer.
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("<no error code>")
    }

    /// Asserts the status, showing the body when it differs.
    #[track_caller]
    pub fn expect(self, status: u16) -> Self {
        assert_eq!(self.status.as_u16(), status, "unexpected status; body: {}", self.body);
        self
    }

    /// Asserts an error status and code.
    #[track_caller]
    pub fn expect_error(self, status: u16, code: &str) -> Self {
        assert_eq!(self.status.as_u16(), status, "unexpected status; body: {}", self.body);
        assert_eq!(self.code(), code, "unexpected error code; body: {}", self.body);
        self
    }
}

/// Creates a fresh PostgreSQL database on the server of `TIEPDAN_TEST_PG_URL` and returns its URL.
async fn fresh_postgres(server_url: &str) -> String {
    use sea_orm::{ConnectionTrait, Database};
    let admin = Database::connect(server_url).await.expect("connect to the test PostgreSQL server");
    let mut raw = [0u8; 8];
    getrandom::fill(&mut raw).unwrap();
    let name = format!("tiepdan_test_{}", hex::encode(raw));
    admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create test database");
    admin.close().await.ok();
    let (base, _) = server_url.rsplit_once('/').expect("a URL with a database path");
    format!("{base}/{name}")
}

/// The database URL for a new test: a fresh PostgreSQL database when configured, else a SQLite
/// file in `dir`.
pub async fn fresh_database_url(dir: &std::path::Path) -> String {
    match std::env::var("TIEPDAN_TEST_PG_URL") {
        Ok(url) if !url.is_empty() => fresh_postgres(&url).await,
        _ => format!("sqlite://{}?mode=rwc", dir.join("tiepdan.db").display()),
    }
}

/// A free port on the loopback interface, for a test that starts the server binary.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Waits (up to 15 s) until a server started on `port` answers `/health`.
pub async fn wait_healthy(port: u16) -> bool {
    let http = reqwest::Client::new();
    for _ in 0..150 {
        let answer = http.get(format!("http://127.0.0.1:{port}/health")).send().await;
        if answer.is_ok_and(|r| r.status().is_success()) {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    false
}

/// Whether the tests run on PostgreSQL.
pub fn on_postgres() -> bool {
    std::env::var("TIEPDAN_TEST_PG_URL").is_ok_and(|u| !u.is_empty())
}

/// The configuration of a test app.
pub fn test_config(dir: &std::path::Path, database_url: String) -> Config {
    Config {
        bind: "127.0.0.1:0".parse().unwrap(),
        database_url: Some(database_url),
        data_dir: dir.to_path_buf(),
        jwt_secret: Some(TEST_SECRET.to_owned()),
        data_key: Some(TEST_DATA_KEY.to_owned()),
        audit_key: Some(TEST_AUDIT_KEY.to_owned()),
        new_data_key: None,
        // The longest a configuration may give (`TestApp::with_config` signs for longer).
        token_ttl_minutes: tiepdan::config::MAX_TOKEN_TTL_MINUTES,
        admin_password: Some(ADMIN_PASSWORD.to_owned()),
        agency_name: "UBND phường Mẫu".to_owned(),
        demo: false,
        log_format: LogFormat::Text,
        db_pool: 4,
        public_filings_per_hour: 1000,
        public_lookups_per_minute: 1000,
        public_uploads_per_hour: 1000,
        registrations_per_hour: 1000,
        upload_timeout_secs: 300,
        trust_proxy: true,
        request_timeout_secs: 30,
        shutdown_grace_secs: 5,
        header_timeout_secs: 10,
        idle_timeout_secs: 30,
        max_conns_per_ip: 64,
        report_cutoff_day: 15,
        smtp_url: None,
        mail_from: "Tiếp công dân <tiepdan@localhost>".to_owned(),
        public_url: "http://tiepdan.test".to_owned(),
        sms_url: None,
        sms_key: None,
        sms_template: tiepdan::service::notifications::deliver::SMS_TEMPLATE.to_owned(),
        maintenance: false,
    }
}

impl TestApp {
    /// A fresh application on an empty database, bootstrapped.
    pub async fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let url = fresh_database_url(dir.path()).await;
        Self::with_config(test_config(dir.path(), url), dir).await
    }

    /// An application over `config`.
    pub async fn with_config(config: Config, dir: tempfile::TempDir) -> Self {
        let clock = FixedClock::new(default_now());
        let Prepared { mut state, .. } =
            startup::prepare(&config, Arc::new(clock.clone())).await.expect("start the test app");
        // Tokens that outlive the tests moving the clock by months (a configuration is bounded
        // to a week: `Config::token_ttl`).
        state.jwt = tiepdan::auth::jwt::JwtKeys::new(TEST_SECRET.as_bytes(), chrono::Duration::days(400));
        Self { router: build_router(state.clone()), state, clock, config, _dir: dir }
    }

    /// Sends a request with an optional token and JSON body.
    pub async fn call(&self, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> Answer {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let req = match body {
            Some(b) => req
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(serde_json::to_vec(&b).unwrap())),
            None => req.body(Body::empty()),
        }
        .unwrap();
        self.send(req).await
    }

    /// Sends a raw request; its response is checked against the OpenAPI document.
    pub async fn send(&self, req: Request<Body>) -> Answer {
        let (method, uri) = (req.method().clone(), req.uri().to_string());
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
        crate::conformance::check(&method, &uri, status, &headers, &bytes);
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Answer { status, headers, body, bytes }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Answer {
        self.call(Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Answer {
        self.call(Method::POST, path, token, Some(body)).await
    }

    pub async fn patch(&self, path: &str, token: Option<&str>, body: Value) -> Answer {
        self.call(Method::PATCH, path, token, Some(body)).await
    }

    pub async fn put(&self, path: &str, token: Option<&str>, body: Value) -> Answer {
        self.call(Method::PUT, path, token, Some(body)).await
    }

    pub async fn delete(&self, path: &str, token: Option<&str>) -> Answer {
        self.call(Method::DELETE, path, token, None).await
    }

    /// Logs in and returns the token.
    pub async fn login(&self, username: &str, password: &str) -> String {
        let a = self
            .post("/api/v1/auth/login", None, json!({"username": username, "password": password}))
            .await
            .expect(200);
        a.body["token"].as_str().unwrap().to_owned()
    }

    /// The admin's token.
    pub async fn admin(&self) -> String {
        self.login("admin", ADMIN_PASSWORD).await
    }

    /// Creates a staff account (as admin) and returns (id, token).
    pub async fn staff(
        &self,
        admin: &str,
        username: &str,
        role: &str,
        unit_id: Option<i64>,
    ) -> (i64, String) {
        let password = format!("{username}-mật-khẩu");
        let a = self
            .post(
                "/api/v1/users",
                Some(admin),
                json!({"username": username, "password": password, "full_name": format!("Cán bộ {username}"),
                       "role": role, "unit_id": unit_id}),
            )
            .await
            .expect(201);
        let id = a.body["id"].as_i64().unwrap();
        (id, self.login(username, &password).await)
    }

    /// Creates another agency of the register (as admin), at `level` under `parent`, and returns
    /// its id.
    pub async fn agency(&self, admin: &str, name: &str, level: &str, parent: Option<i64>) -> i64 {
        self.post("/api/v1/agencies", Some(admin), json!({"name": name, "level": level, "parent_id": parent}))
            .await
            .expect(201)
            .body["id"]
            .as_i64()
            .unwrap()
    }

    /// Creates a staff account of agency `agency` (as admin; password "Sổ tiếp dân 2026") and
    /// returns (id, token).
    pub async fn agency_staff(&self, admin: &str, username: &str, role: &str, agency: i64) -> (i64, String) {
        let id = self
            .post(
                "/api/v1/users",
                Some(admin),
                json!({"username": username, "password": "Sổ tiếp dân 2026", "full_name": format!("Cán bộ {username}"),
                       "role": role, "agency_id": agency}),
            )
            .await
            .expect(201)
            .body["id"]
            .as_i64()
            .unwrap();
        (id, self.login(username, "Sổ tiếp dân 2026").await)
    }

    /// Registers a citizen and returns (id, token).
    pub async fn citizen(&self, username: &str) -> (i64, String) {
        let password = format!("{username}-mật-khẩu");
        let a = self
            .post(
                "/api/v1/auth/register",
                None,
                json!({"username": username, "password": password, "full_name": "Nguyễn Văn An"}),
            )
            .await
            .expect(201);
        (a.body["id"].as_i64().unwrap(), self.login(username, &password).await)
    }

    /// Creates a unit (as admin) and returns its id.
    pub async fn unit(&self, admin: &str, name: &str, code: &str) -> i64 {
        self.post("/api/v1/units", Some(admin), json!({"name": name, "code": code}))
            .await
            .expect(201)
            .body["id"]
            .as_i64()
            .unwrap()
    }
}
