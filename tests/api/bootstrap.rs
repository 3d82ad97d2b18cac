//! First start on an empty database, restarts, secrets.

use std::sync::Arc;

use serde_json::json;
use tiepdan::{clock::SystemClock, startup};

use crate::support::{ADMIN_PASSWORD, TestApp, fresh_database_url, on_postgres, test_config};

#[tokio::test]
async fn bootstrap_on_an_empty_database_creates_the_agency_and_the_admin() {
    let app = TestApp::new().await;
    app.get("/health", None).await.expect(200);
    assert_eq!(app.get("/health", None).await.body, json!({"status": "ok"}));

    let token = app.admin().await;
    let me = app.get("/api/v1/auth/me", Some(&token)).await.expect(200);
    assert_eq!(me.body["username"], "admin");
    assert_eq!(me.body["role"], "admin");
    let agency_id = me.body["agency_id"].as_i64().expect("the admin belongs to the first agency");

    let agencies = app.get("/api/v1/agencies", Some(&token)).await.expect(200);
    assert_eq!(agencies.body["total"], 1);
    let list = agencies.body["items"].as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["id"], agency_id);
    assert_eq!(list[0]["name"], "UBND phường Mẫu");
    assert_eq!(list[0]["level"], "commune");
}

#[tokio::test]
async fn a_restart_keeps_the_data_and_creates_nothing_twice() {
    let app = TestApp::new().await;
    let again = startup::prepare(&app.config, Arc::new(SystemClock)).await.unwrap();
    assert!(again.first_run.is_none(), "the second start must not bootstrap again");
    let token = app.admin().await;
    let users = app.get("/api/v1/users", Some(&token)).await.expect(200);
    assert_eq!(users.body["total"], 1);
}

#[tokio::test]
async fn without_a_configured_password_one_is_generated_and_works() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(dir.path()).await;
    let mut config = test_config(dir.path(), url);
    config.admin_password = None;
    let prepared = startup::prepare(&config, Arc::new(SystemClock)).await.unwrap();
    let password = prepared.first_run.unwrap().generated_password.expect("a generated password");
    assert!(password.len() >= 16);
    let app = TestApp::with_config(config, dir).await;
    app.login("admin", &password).await;
    app.post("/api/v1/auth/login", None, json!({"username": "admin", "password": ADMIN_PASSWORD}))
        .await
        .expect_error(401, "invalid_credentials");
}

#[tokio::test]
async fn without_a_configured_secret_one_is_generated_kept_and_reused() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(dir.path()).await;
    let mut config = test_config(dir.path(), url);
    config.jwt_secret = None;
    let app = TestApp::with_config(config.clone(), tempfile::tempdir().unwrap()).await;
    let token = app.admin().await;
    if !on_postgres() {
        let path = dir.path().join("jwt.secret");
        let meta = std::fs::metadata(&path).expect("the secret is kept beside the database");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(meta.permissions().mode() & 0o777, 0o600, "readable by the owner only");
        }
        assert!(std::fs::read_to_string(&path).unwrap().len() >= 32);
    }
    // A restart reads the same secret: the token issued before still works.
    let restarted = TestApp::with_config(config, tempfile::tempdir().unwrap()).await;
    restarted.get("/api/v1/auth/me", Some(&token)).await.expect(200);
}

#[tokio::test]
async fn a_weak_or_example_secret_is_refused_at_start_up() {
    for weak in ["secret", "your-256-bit-secret-your-256-bit-secret", &"ab".repeat(20)] {
        let dir = tempfile::tempdir().unwrap();
        let url = fresh_database_url(dir.path()).await;
        let mut config = test_config(dir.path(), url);
        config.jwt_secret = Some(weak.to_owned());
        let refused = startup::prepare(&config, Arc::new(SystemClock)).await;
        assert!(refused.is_err(), "{weak} must be refused");
    }
    // The refusal names the word that made it.
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(dir.path()).await;
    let mut config = test_config(dir.path(), url);
    config.jwt_secret = Some("k9R2v!x7Qm#4pL8zW1sT6yN3bH5dF0gJ-replace".to_owned());
    let Err(message) = startup::prepare(&config, Arc::new(SystemClock)).await else {
        panic!("a secret containing \"replace\" must be refused");
    };
    assert!(message.contains("TIEPDAN_JWT_SECRET") && message.contains("\"replace\""), "{message}");
}

#[tokio::test]
async fn demo_data_is_never_loaded_into_a_database_this_start_did_not_create() {
    use tiepdan::service::demo::{self, DemoOutcome};
    // A register already in use: the restart with --demo adds nothing, so no account with the
    // published demo password appears in it.
    let app = TestApp::new().await;
    let restart = startup::prepare(&app.config, Arc::new(SystemClock)).await.unwrap();
    assert!(restart.first_run.is_none());
    let now = tiepdan::clock::Clock::now(&app.clock);
    let outcome = demo::load_on_start(&restart.state, restart.first_run.is_some(), now).await.unwrap();
    assert_eq!(outcome, DemoOutcome::SkippedExistingDatabase);
    app.post("/api/v1/auth/login", None, json!({"username": "chutich", "password": demo::DEMO_PASSWORD}))
        .await
        .expect_error(401, "invalid_credentials");
    let token = app.admin().await;
    assert_eq!(app.get("/api/v1/users", Some(&token)).await.expect(200).body["total"], 1);

    // A fresh database: the start that creates it loads the demo, a restart finds it there.
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(dir.path()).await;
    let config = test_config(dir.path(), url);
    let first = startup::prepare(&config, Arc::new(SystemClock)).await.unwrap();
    assert!(first.first_run.is_some());
    let outcome = demo::load_on_start(&first.state, first.first_run.is_some(), now).await.unwrap();
    assert_eq!(outcome, DemoOutcome::Loaded);
    let again = startup::prepare(&config, Arc::new(SystemClock)).await.unwrap();
    let outcome = demo::load_on_start(&again.state, again.first_run.is_some(), now).await.unwrap();
    assert_eq!(outcome, DemoOutcome::AlreadyPresent);
}

#[tokio::test]
async fn the_api_documents_itself_and_swagger_ui_works_offline() {
    let app = TestApp::new().await;
    let doc = app.get("/api/v1/openapi.json", None).await.expect(200);
    assert!(doc.body["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc.body["paths"].as_object().unwrap();
    for path in [
        "/health",
        "/api/v1/auth/login",
        "/api/v1/auth/me",
        "/api/v1/auth/register",
        "/api/v1/users",
        "/api/v1/users/{id}",
        "/api/v1/users/{id}/password",
        "/api/v1/units",
        "/api/v1/agencies",
    ] {
        assert!(paths.contains_key(path), "{path} missing from the OpenAPI document");
    }
    let ui = app.get("/api/docs/", None).await.expect(200);
    let html = String::from_utf8(ui.bytes).unwrap();
    assert!(html.contains("swagger"), "Swagger UI page");
    let ui_js = app.get("/api/docs/swagger-ui-bundle.js", None).await.expect(200);
    assert!(ui_js.bytes.len() > 100_000, "the UI bundle is served from the binary, not a CDN");
}

#[tokio::test]
async fn the_landing_page_is_served_in_vietnamese() {
    let app = TestApp::new().await;
    let page = app.get("/", None).await.expect(200);
    assert!(page.headers["content-type"].to_str().unwrap().starts_with("text/html"));
    let html = String::from_utf8(page.bytes).unwrap();
    assert!(html.contains("lang=\"vi\""));
    assert!(html.contains("Tiếp công dân"));
}

#[tokio::test]
async fn demo_data_holds_petitions_of_every_kind_and_state_some_overdue() {
    let app = TestApp::new().await;
    let now = tiepdan::clock::Clock::now(&app.clock);
    assert!(tiepdan::service::demo::load(&app.state, now).await.unwrap());
    assert!(!tiepdan::service::demo::load(&app.state, now).await.unwrap(), "loaded once");
    let chairman = app.login("chutich", tiepdan::service::demo::DEMO_PASSWORD).await;
    let all = app.get("/api/v1/petitions?per_page=200", Some(&chairman)).await.expect(200).body;
    let items = all["items"].as_array().unwrap();
    let mut kinds: Vec<&str> = items.iter().map(|i| i["kind"].as_str().unwrap()).collect();
    kinds.sort();
    kinds.dedup();
    assert_eq!(kinds, ["complaint", "denunciation", "feedback", "recommendation"]);
    let mut statuses: Vec<&str> = items.iter().map(|i| i["status"].as_str().unwrap()).collect();
    statuses.sort();
    statuses.dedup();
    assert_eq!(
        statuses,
        [
            "accepted",
            "archived",
            "forwarded",
            "guided",
            "received",
            "rejected",
            "resolved",
            "suspended",
            "withdrawn"
        ]
    );
    assert!(items.iter().any(|i| i["overdue"] == true), "some cases are overdue");
    let citizen = app.login("congdan", tiepdan::service::demo::DEMO_PASSWORD).await;
    let mine = app.get("/api/v1/my/petitions", Some(&citizen)).await.expect(200).body;
    assert_eq!(mine["total"], 2);
    let tiepdan::service::audit::Verification { broken, .. } =
        tiepdan::service::audit::verify_all(&app.state.db.reader, &app.state.keys).await.unwrap();
    assert!(broken.is_empty());

    // The chairman's Thursdays: held ones with visits, one missed, and the weeks ahead.
    let sessions = app
        .get("/api/v1/reception-sessions?from=2026-10-01&to=2027-01-31&per_page=200", Some(&chairman))
        .await
        .expect(200)
        .body;
    let statuses: Vec<&str> =
        sessions["items"].as_array().unwrap().iter().map(|s| s["status"].as_str().unwrap()).collect();
    assert!(
        statuses.contains(&"held") && statuses.contains(&"missed") && statuses.contains(&"scheduled"),
        "{statuses:?}"
    );
    let book = app
        .get("/api/v1/reception-book?from=2026-10-01&to=2026-11-30", Some(&chairman))
        .await
        .expect(200)
        .body;
    assert!(book.to_string().contains("Trịnh Văn Lộc"));
    let overdue =
        app.get("/api/v1/reception-directives?overdue=true", Some(&chairman)).await.expect(200).body;
    assert_eq!(overdue["total"], 1);
}

#[tokio::test]
async fn keys_are_generated_beside_sqlite_kept_out_of_the_database_and_checked_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(dir.path()).await;
    let mut config = test_config(dir.path(), url);
    if on_postgres() {
        // With PostgreSQL a key must be configured: it is never kept in the database.
        config.data_key = None;
        let Err(message) = startup::prepare(&config, Arc::new(SystemClock)).await else {
            panic!("PostgreSQL without TIEPDAN_DATA_KEY must be refused");
        };
        assert!(message.contains("TIEPDAN_DATA_KEY"), "{message}");
    } else {
        config.data_key = None;
        config.audit_key = None;
        let app = TestApp::with_config(config.clone(), tempfile::tempdir().unwrap()).await;
        for file in ["data.key", "audit.key"] {
            let path = dir.path().join(file);
            let text = std::fs::read_to_string(&path).expect("each key is kept beside the database");
            assert!(tiepdan::crypto::parse_key(&text).is_ok(), "{file} holds a key");
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = std::fs::metadata(&path).unwrap().permissions().mode();
                assert_eq!(mode & 0o777, 0o600, "{file} is readable by the owner only");
            }
        }
        drop(app);
        // A restart reads the same keys.
        TestApp::with_config(config.clone(), tempfile::tempdir().unwrap()).await;
    }
    // Another key than the register's is refused at start, naming the variable.
    let mut wrong = config.clone();
    wrong.data_key = Some("aa".repeat(32));
    if on_postgres() {
        // First start the register with its key, so it keeps the check value.
        let mut right = config.clone();
        right.data_key = Some(crate::support::TEST_DATA_KEY.to_owned());
        startup::prepare(&right, Arc::new(SystemClock)).await.expect("the register's key");
    }
    let Err(message) = startup::prepare(&wrong, Arc::new(SystemClock)).await else {
        panic!("a data key other than the register's must be refused");
    };
    assert!(message.contains("TIEPDAN_DATA_KEY"), "{message}");
}
