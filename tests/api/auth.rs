//! Login, tokens and their revocation.

use axum::http::Method;
use chrono::Duration;
use serde_json::json;
use tiepdan::{
    auth::jwt::{Claims, JwtKeys},
    clock::Clock,
};

use crate::support::{ADMIN_PASSWORD, TestApp};

#[tokio::test]
async fn login_returns_a_token_and_the_user() {
    let app = TestApp::new().await;
    let a = app
        .post("/api/v1/auth/login", None, json!({"username": "admin", "password": ADMIN_PASSWORD}))
        .await
        .expect(200);
    assert!(a.body["token"].as_str().unwrap().split('.').count() == 3);
    for field in ["id", "username", "full_name", "role", "agency_id"] {
        assert!(a.body["user"].get(field).is_some(), "user.{field} missing");
    }
    assert!(a.body["user"].get("password_hash").is_none());
    // Usernames are case-insensitive.
    app.post("/api/v1/auth/login", None, json!({"username": "ADMIN", "password": ADMIN_PASSWORD}))
        .await
        .expect(200);
}

#[tokio::test]
async fn unknown_user_and_wrong_password_get_the_same_answer() {
    let app = TestApp::new().await;
    let wrong = app
        .post("/api/v1/auth/login", None, json!({"username": "admin", "password": "sai mật khẩu"}))
        .await
        .expect_error(401, "invalid_credentials");
    let unknown = app
        .post("/api/v1/auth/login", None, json!({"username": "khong.ton.tai", "password": "sai mật khẩu"}))
        .await
        .expect_error(401, "invalid_credentials");
    assert_eq!(wrong.body, unknown.body);
    let malformed_name = app
        .post("/api/v1/auth/login", None, json!({"username": "có dấu cách", "password": "x"}))
        .await
        .expect_error(401, "invalid_credentials");
    assert_eq!(malformed_name.body, wrong.body);
}

#[tokio::test]
async fn missing_garbage_expired_and_forged_tokens_are_rejected() {
    let app = TestApp::new().await;
    app.get("/api/v1/auth/me", None).await.expect_error(401, "missing_token");
    app.get("/api/v1/auth/me", Some("not-a-jwt")).await.expect_error(401, "invalid_token");

    let admin = app.admin().await;
    let me = app.get("/api/v1/auth/me", Some(&admin)).await.expect(200);
    let id = me.body["id"].as_i64().unwrap();
    let now = app.clock.now();

    let keys = JwtKeys::new(crate::support::TEST_SECRET.as_bytes(), Duration::hours(1));
    let expired = keys
        .sign(&Claims {
            jti: None,
            sub: id.to_string(),
            ver: 0,
            iat: (now - Duration::hours(2)).timestamp(),
            exp: (now - Duration::hours(1)).timestamp(),
        })
        .unwrap();
    app.get("/api/v1/auth/me", Some(&expired)).await.expect_error(401, "token_expired");

    let forger = JwtKeys::new(b"an-attacker-guessed-key-0123456789ABCDEF", Duration::hours(1));
    let forged = forger.issue(id, 0, now).unwrap();
    app.get("/api/v1/auth/me", Some(&forged)).await.expect_error(401, "invalid_token");

    // alg=none with the right claims.
    let header = hex_free_b64(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = hex_free_b64(
        format!(r#"{{"sub":"{id}","ver":0,"iat":0,"exp":{}}}"#, now.timestamp() + 3600).as_bytes(),
    );
    app.get("/api/v1/auth/me", Some(&format!("{header}.{payload}.")))
        .await
        .expect_error(401, "invalid_token");

    // The token also expires on the app's own clock.
    app.clock.advance(Duration::days(401));
    app.get("/api/v1/auth/me", Some(&admin)).await.expect_error(401, "token_expired");
}

/// Base64url without padding, enough for a hand-made token.
fn hex_free_b64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

#[tokio::test]
async fn a_deactivated_accounts_tokens_stop_working_at_once() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let (id, token) = app.staff(&admin, "thanhtra1", "inspector", None).await;
    app.get("/api/v1/auth/me", Some(&token)).await.expect(200);

    app.patch(&format!("/api/v1/users/{id}"), Some(&admin), json!({"active": false})).await.expect(200);
    let refused = app.get("/api/v1/auth/me", Some(&token)).await.expect(401);
    assert!(["token_revoked", "account_disabled"].contains(&refused.code()));
    app.post("/api/v1/auth/login", None, json!({"username": "thanhtra1", "password": "thanhtra1-mật-khẩu"}))
        .await
        .expect(401);

    // Reactivation lets them log in again, but the old token stays dead.
    app.patch(&format!("/api/v1/users/{id}"), Some(&admin), json!({"active": true})).await.expect(200);
    app.get("/api/v1/auth/me", Some(&token)).await.expect_error(401, "token_revoked");
    app.login("thanhtra1", "thanhtra1-mật-khẩu").await;
}

#[tokio::test]
async fn a_password_reset_revokes_tokens_and_a_change_needs_the_old_password() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let (id, token) = app.staff(&admin, "tiepdan1", "receptionist", None).await;

    // The user changes their own password: the old one is required.
    app.post(
        &format!("/api/v1/users/{id}/password"),
        Some(&token),
        json!({"old_password": "sai", "new_password": "Sổ tiếp dân mới 2026"}),
    )
    .await
    .expect_error(422, "validation_failed");
    app.post(
        &format!("/api/v1/users/{id}/password"),
        Some(&token),
        json!({"old_password": "tiepdan1-mật-khẩu", "new_password": "Sổ tiếp dân mới 2026"}),
    )
    .await
    .expect(204);
    app.get("/api/v1/auth/me", Some(&token)).await.expect_error(401, "token_revoked");
    let token = app.login("tiepdan1", "Sổ tiếp dân mới 2026").await;

    // Someone else's password: only the admin, without the old one.
    let (_, other) = app.staff(&admin, "tiepdan2", "receptionist", None).await;
    app.post(
        &format!("/api/v1/users/{id}/password"),
        Some(&other),
        json!({"new_password": "Chiếm tài khoản 1"}),
    )
    .await
    .expect_error(403, "forbidden");
    app.post(
        &format!("/api/v1/users/{id}/password"),
        Some(&admin),
        json!({"new_password": "Đặt lại bởi admin"}),
    )
    .await
    .expect(204);
    app.get("/api/v1/auth/me", Some(&token)).await.expect_error(401, "token_revoked");
    app.login("tiepdan1", "Đặt lại bởi admin").await;
}

#[tokio::test]
async fn citizens_register_themselves_once_per_username() {
    let app = TestApp::new().await;
    let (_, token) = app.citizen("nguyenvanan").await;
    let me = app.get("/api/v1/auth/me", Some(&token)).await.expect(200);
    assert_eq!(me.body["role"], "citizen");
    assert_eq!(me.body["agency_id"], serde_json::Value::Null);
    app.post(
        "/api/v1/auth/register",
        None,
        json!({"username": "NguyenVanAn", "password": "khác hẳn 123", "full_name": "Người khác"}),
    )
    .await
    .expect_error(409, "username_taken");
}

/// A request with the browser's session cookie, and optionally the site's header.
async fn with_cookie(
    app: &TestApp,
    method: axum::http::Method,
    path: &str,
    cookie: &str,
    headers: &[(&str, &str)],
    body: Option<serde_json::Value>,
) -> crate::support::Answer {
    use axum::{body::Body, http::Request};
    let mut req = Request::builder().method(method).uri(path).header("cookie", cookie);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let req = match body {
        Some(b) => {
            req.header("content-type", "application/json").body(Body::from(serde_json::to_vec(&b).unwrap()))
        }
        None => req.body(Body::empty()),
    }
    .unwrap();
    app.send(req).await
}

#[tokio::test]
async fn the_browser_s_session_is_an_http_only_cookie_shared_by_its_tabs() {
    let app = TestApp::new().await;
    // The web frontend asks for the cookie only: the token never reaches its scripts.
    let a = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"username": "admin", "password": ADMIN_PASSWORD, "session": "cookie"}),
        )
        .await
        .expect(200);
    assert!(a.body.get("token").is_none(), "{}", a.body);
    assert_eq!(a.body["user"]["username"], "admin");
    let set = a.headers["set-cookie"].to_str().unwrap().to_owned();
    assert!(set.starts_with("tiepdan_session=ey"), "{set}");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age="] {
        assert!(set.contains(attribute), "{attribute}: {set}");
    }
    assert!(!set.contains("Secure"), "plain HTTP: not Secure ({set})");
    let cookie = set.split(';').next().unwrap().to_owned();
    // API clients still get their bearer token, and the cookie too.
    let b = app
        .post("/api/v1/auth/login", None, json!({"username": "admin", "password": ADMIN_PASSWORD}))
        .await
        .expect(200);
    assert!(b.body["token"].is_string() && b.headers.contains_key("set-cookie"));

    // Any tab: reads need only the cookie.
    let me = with_cookie(&app, Method::GET, "/api/v1/auth/me", &cookie, &[], None).await.expect(200);
    assert_eq!(me.body["username"], "admin");
    // A change needs the site's header too, and no cross-site mark.
    let unit = json!({"name": "Thanh tra phường", "code": "TTr"});
    let refused = with_cookie(&app, Method::POST, "/api/v1/units", &cookie, &[], Some(unit.clone()))
        .await
        .expect_error(403, "csrf_check_failed");
    assert!(refused.body["error"]["message"].as_str().unwrap().contains("X-Requested-With"));
    with_cookie(
        &app,
        Method::POST,
        "/api/v1/units",
        &cookie,
        &[("x-requested-with", "tiepdan"), ("sec-fetch-site", "cross-site")],
        Some(unit.clone()),
    )
    .await
    .expect_error(403, "csrf_check_failed");
    with_cookie(
        &app,
        Method::POST,
        "/api/v1/units",
        &cookie,
        &[("x-requested-with", "tiepdan"), ("sec-fetch-site", "same-origin")],
        Some(unit),
    )
    .await
    .expect(201);
    // A bearer token needs no such header (a browser never sends it on its own).
    let token = b.body["token"].as_str().unwrap();
    app.post("/api/v1/units", Some(token), json!({"name": "Văn phòng", "code": "VP"})).await.expect(201);

    // Over HTTPS (as the proxy in front says) the cookie is Secure.
    let mut req = axum::http::Request::builder()
        .method(Method::POST)
        .uri("/api/v1/auth/login")
        .header("content-type", "application/json")
        .header("x-forwarded-proto", "https");
    req = req.header("accept", "application/json");
    let secure = app
        .send(
            req.body(axum::body::Body::from(
                serde_json::to_vec(
                    &json!({"username": "admin", "password": ADMIN_PASSWORD, "session": "cookie"}),
                )
                .unwrap(),
            ))
            .unwrap(),
        )
        .await
        .expect(200);
    assert!(secure.headers["set-cookie"].to_str().unwrap().ends_with("; Secure"));

    // Signing out removes the cookie; it asks for the site's header as any change does.
    with_cookie(&app, Method::POST, "/api/v1/auth/logout", &cookie, &[], None)
        .await
        .expect_error(403, "csrf_check_failed");
    let out = with_cookie(
        &app,
        Method::POST,
        "/api/v1/auth/logout",
        &cookie,
        &[("x-requested-with", "tiepdan")],
        None,
    )
    .await
    .expect(204);
    let cleared = out.headers["set-cookie"].to_str().unwrap();
    assert!(cleared.starts_with("tiepdan_session=;") && cleared.contains("Max-Age=0"), "{cleared}");
}

#[tokio::test]
async fn a_lapsed_cookie_is_a_401_for_staff_and_nobody_on_the_portal() {
    let app = TestApp::new().await;
    let garbage = "tiepdan_session=not.a.token";
    with_cookie(&app, Method::GET, "/api/v1/auth/me", garbage, &[], None)
        .await
        .expect_error(401, "invalid_token");
    // The portal's filing takes an optional sign-in: a dead cookie files as nobody.
    let filing = json!({"kind": "feedback", "subject": "Đèn đường hỏng ở ngõ 12", "content": "Đèn chiếu sáng ngõ 12 đã hỏng hai tuần.",
                        "petitioner": {"full_name": "Nguyễn Văn An", "address": "Tổ 3", "phone": "0912345678"}});
    with_cookie(
        &app,
        Method::POST,
        "/api/v1/public/petitions",
        garbage,
        &[("x-requested-with", "tiepdan")],
        Some(filing),
    )
    .await
    .expect(201);
}

#[tokio::test]
async fn trivial_passwords_are_refused_saying_why() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let register = |username: &str, password: &str| json!({"username": username, "password": password, "full_name": "Nguyễn Văn An"});
    for (username, password, why) in [
        ("an.nguyen", "ngắn 12", "ít nhất 10 ký tự"),
        ("an.nguyen", "12345678910", "chỉ gồm một loại ký tự"),
        ("an.nguyen", "matkhau@2026", "quá phổ biến"),
        ("an.nguyen", "Password123", "quá phổ biến"),
        ("an.nguyen", "An.Nguyen.2026", "tên đăng nhập"),
        ("an.nguyen", "aaaa1111aaaa", "quá ít ký tự khác nhau"),
    ] {
        let a = app
            .post("/api/v1/auth/register", None, register(username, password))
            .await
            .expect_error(422, "validation_failed");
        let said = a.body["error"]["fields"]["password"][0].as_str().unwrap();
        assert!(said.contains(why), "{password}: {said}");
    }
    app.post("/api/v1/auth/register", None, register("an.nguyen", "Con mèo vàng 2026")).await.expect(201);

    // Account creation by the admin, one's own change and the admin's reset follow the same rules.
    let created = app
        .post(
            "/api/v1/users",
            Some(&admin),
            json!({"username": "tiepdan1", "password": "qwertyuiop1", "full_name": "Cán bộ Một", "role": "receptionist"}),
        )
        .await
        .expect_error(422, "validation_failed");
    assert!(created.body["error"]["fields"]["password"][0].as_str().unwrap().contains("quá phổ biến"));
    let (id, token) = app.staff(&admin, "tiepdan1", "receptionist", None).await;
    let own = app
        .post(
            &format!("/api/v1/users/{id}/password"),
            Some(&token),
            json!({"old_password": "tiepdan1-mật-khẩu", "new_password": "Tiepdan1!!"}),
        )
        .await
        .expect_error(422, "validation_failed");
    assert!(own.body["error"]["fields"]["new_password"][0].as_str().unwrap().contains("tên đăng nhập"));
    let reset = app
        .post(&format!("/api/v1/users/{id}/password"), Some(&admin), json!({"new_password": "1234567890"}))
        .await
        .expect_error(422, "validation_failed");
    assert!(reset.body["error"]["fields"]["new_password"][0].as_str().unwrap().contains("một loại ký tự"));
    app.post(
        &format!("/api/v1/users/{id}/password"),
        Some(&admin),
        json!({"new_password": "Bàn giao ca 2026"}),
    )
    .await
    .expect(204);
}
