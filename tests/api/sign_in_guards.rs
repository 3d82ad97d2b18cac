//! Issue 18: what guards signing in. Wrong passwords lock an account and a client address with
//! exponential back-off, counted in the database so that two servers on one database agree; a
//! sign-out ends its token everywhere; a configured token lifetime is bounded; registration is
//! rate-limited; every 429 says when to come back.

use axum::{
    body::Body,
    http::{Method, Request, header},
};
use chrono::Duration;
use serde_json::{Value, json};

use crate::support::{ADMIN_PASSWORD, Answer, TestApp, test_config};

/// A login from the client address `from` (the tests trust the proxy's `X-Forwarded-For`).
async fn login_from(app: &TestApp, from: &str, username: &str, password: &str) -> Answer {
    let body = json!({"username": username, "password": password});
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/auth/login")
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-forwarded-for", from)
        .body(Body::from(serde_json::to_vec(&body).unwrap()))
        .unwrap();
    app.send(req).await
}

fn retry_after(a: &Answer) -> i64 {
    a.headers[header::RETRY_AFTER].to_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_account_with_back_off_and_a_right_one_clears_it() {
    let app = TestApp::new().await;
    for _ in 0..5 {
        login_from(&app, "10.0.0.1", "admin", "sai-mat-khau-1")
            .await
            .expect_error(401, "invalid_credentials");
    }
    // Locked: even the right password waits, from any address, and is not checked.
    let locked =
        login_from(&app, "10.0.0.2", "admin", ADMIN_PASSWORD).await.expect_error(429, "too_many_attempts");
    assert_eq!(retry_after(&locked), 60);
    assert_eq!(
        locked.body["error"]["message"],
        "Tài khoản này đã nhập sai mật khẩu nhiều lần. Vui lòng thử lại sau 1 phút."
    );
    app.clock.advance(Duration::seconds(30));
    let locked =
        login_from(&app, "10.0.0.2", "admin", ADMIN_PASSWORD).await.expect_error(429, "too_many_attempts");
    assert_eq!(retry_after(&locked), 30);
    // Released after the minute; one more wrong password doubles the lock.
    app.clock.advance(Duration::seconds(31));
    login_from(&app, "10.0.0.1", "admin", "sai-mat-khau-1").await.expect_error(401, "invalid_credentials");
    let locked =
        login_from(&app, "10.0.0.2", "admin", ADMIN_PASSWORD).await.expect_error(429, "too_many_attempts");
    assert_eq!(retry_after(&locked), 120);
    app.clock.advance(Duration::seconds(121));
    login_from(&app, "10.0.0.2", "admin", ADMIN_PASSWORD).await.expect(200);
    // The right password cleared the count: four wrong ones do not lock again.
    for _ in 0..4 {
        login_from(&app, "10.0.0.3", "admin", "sai-mat-khau-2")
            .await
            .expect_error(401, "invalid_credentials");
    }
    login_from(&app, "10.0.0.3", "admin", ADMIN_PASSWORD).await.expect(200);
    // Wrong passwords more than 15 minutes apart never add up.
    for _ in 0..6 {
        login_from(&app, "10.0.0.4", "admin", "sai-mat-khau-3")
            .await
            .expect_error(401, "invalid_credentials");
        app.clock.advance(Duration::minutes(16));
    }
    login_from(&app, "10.0.0.4", "admin", ADMIN_PASSWORD).await.expect(200);
}

#[tokio::test]
async fn an_address_trying_many_accounts_is_locked_and_others_are_not() {
    let app = TestApp::new().await;
    for i in 0..10 {
        login_from(&app, "203.0.113.9", &format!("khong-co-{i}"), "doan-mo-123")
            .await
            .expect_error(401, "invalid_credentials");
    }
    let locked =
        login_from(&app, "203.0.113.9", "admin", ADMIN_PASSWORD).await.expect_error(429, "too_many_attempts");
    assert_eq!(retry_after(&locked), 60);
    assert!(
        locked.body["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("Máy của bạn đã đăng nhập sai nhiều lần")
    );
    // Another address signs in to the same account.
    login_from(&app, "198.51.100.4", "admin", ADMIN_PASSWORD).await.expect(200);
    app.clock.advance(Duration::seconds(61));
    login_from(&app, "203.0.113.9", "admin", ADMIN_PASSWORD).await.expect(200);
}

#[tokio::test]
async fn two_servers_on_one_database_share_the_lock() {
    let dir = tempfile::tempdir().unwrap();
    let url = crate::support::fresh_database_url(dir.path()).await;
    let first =
        TestApp::with_config(test_config(dir.path(), url.clone()), tempfile::tempdir().unwrap()).await;
    let second = TestApp::with_config(test_config(dir.path(), url), tempfile::tempdir().unwrap()).await;
    for i in 0..5 {
        let server = if i % 2 == 0 { &first } else { &second };
        login_from(server, "10.1.1.1", "admin", "sai-mat-khau")
            .await
            .expect_error(401, "invalid_credentials");
    }
    for server in [&first, &second] {
        login_from(server, "10.1.1.2", "admin", ADMIN_PASSWORD).await.expect_error(429, "too_many_attempts");
    }
    first.clock.advance(Duration::seconds(61));
    second.clock.advance(Duration::seconds(61));
    login_from(&second, "10.1.1.2", "admin", ADMIN_PASSWORD).await.expect(200);
    login_from(&first, "10.1.1.2", "admin", ADMIN_PASSWORD).await.expect(200);
    drop(dir);
}

#[tokio::test]
async fn a_signed_out_token_is_refused_and_the_others_go_on() {
    let app = TestApp::new().await;
    let first = app.admin().await;
    let second = app.admin().await;
    app.get("/api/v1/auth/me", Some(&first)).await.expect(200);
    // An API client signs out with its bearer token alone.
    app.post("/api/v1/auth/logout", Some(&first), json!({})).await.expect(204);
    app.get("/api/v1/auth/me", Some(&first)).await.expect_error(401, "token_revoked");
    app.post("/api/v1/petitions", Some(&first), json!({})).await.expect_error(401, "token_revoked");
    // Signing out again changes nothing; the account's other sign-in goes on.
    app.post("/api/v1/auth/logout", Some(&first), json!({})).await.expect(204);
    app.get("/api/v1/auth/me", Some(&second)).await.expect(200);

    // A browser's session cookie: signed out with the site's header, refused afterwards even if
    // the cookie were kept.
    let login = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"username": "admin", "password": ADMIN_PASSWORD, "session": "cookie"}),
        )
        .await
        .expect(200);
    let cookie = login.headers[header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_owned();
    let with_cookie = |method: Method, uri: &str, marked: bool| {
        let mut req = Request::builder().method(method).uri(uri).header(header::COOKIE, cookie.clone());
        if marked {
            req = req.header("x-requested-with", "tiepdan");
        }
        req.body(Body::empty()).unwrap()
    };
    app.send(with_cookie(Method::GET, "/api/v1/auth/me", false)).await.expect(200);
    // Another site cannot sign the user out.
    app.send(with_cookie(Method::POST, "/api/v1/auth/logout", false))
        .await
        .expect_error(403, "csrf_check_failed");
    let out = app.send(with_cookie(Method::POST, "/api/v1/auth/logout", true)).await.expect(204);
    assert!(out.headers[header::SET_COOKIE].to_str().unwrap().contains("Max-Age=0"));
    app.send(with_cookie(Method::GET, "/api/v1/auth/me", false)).await.expect_error(401, "token_revoked");
}

#[tokio::test]
async fn a_token_lifetime_over_a_week_is_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let url = crate::support::fresh_database_url(dir.path()).await;
    for minutes in [7 * 24 * 60 + 1, 0, -5, 1_000_000] {
        let mut config = test_config(dir.path(), url.clone());
        config.token_ttl_minutes = minutes;
        let clock = std::sync::Arc::new(tiepdan::clock::FixedClock::new(crate::support::default_now()));
        let err = tiepdan::startup::prepare(&config, clock).await.err().expect("refused");
        assert!(err.contains("TIEPDAN_TOKEN_TTL_MINUTES") && err.contains("seven days"), "{err}");
    }
    // A week is allowed: the token's expiry says so.
    let mut config = test_config(dir.path(), url);
    config.token_ttl_minutes = 7 * 24 * 60;
    let clock = std::sync::Arc::new(tiepdan::clock::FixedClock::new(crate::support::default_now()));
    let prepared = tiepdan::startup::prepare(&config, clock).await.expect("a week is allowed");
    assert_eq!(prepared.state.jwt.ttl(), Duration::days(7));
}

#[tokio::test]
async fn registration_is_rate_limited_per_address_and_every_429_says_when_to_come_back() {
    let dir = tempfile::tempdir().unwrap();
    let url = crate::support::fresh_database_url(dir.path()).await;
    let mut config = test_config(dir.path(), url);
    config.registrations_per_hour = 2;
    config.public_lookups_per_minute = 1;
    let app = TestApp::with_config(config, dir).await;
    let register = |username: &'static str, from: &'static str| {
        let body =
            json!({"username": username, "password": "Mật-khẩu-đủ-dài-2026", "full_name": "Nguyễn Văn An"});
        Request::builder()
            .method(Method::POST)
            .uri("/api/v1/auth/register")
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-forwarded-for", from)
            .body(Body::from(serde_json::to_vec(&body).unwrap()))
            .unwrap()
    };
    app.send(register("congdan1", "10.9.9.9")).await.expect(201);
    app.send(register("congdan2", "10.9.9.9")).await.expect(201);
    let refused = app.send(register("congdan3", "10.9.9.9")).await.expect_error(429, "rate_limited");
    let wait = retry_after(&refused);
    assert!((3590..=3600).contains(&wait), "{wait}");
    app.send(register("congdan3", "10.9.9.8")).await.expect(201);
    // The portal's look-ups too.
    app.get("/api/v1/public/petitions/TD-2222-2222-2222", None).await.expect_error(404, "not_found");
    let refused =
        app.get("/api/v1/public/petitions/TD-2222-2222-2222", None).await.expect_error(429, "rate_limited");
    assert!((1..=60).contains(&retry_after(&refused)));
    let message: &Value = &refused.body["error"]["message"];
    assert!(message.as_str().unwrap().starts_with("Quá nhiều yêu cầu, vui lòng thử lại sau"), "{message}");
}
