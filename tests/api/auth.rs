//! Login, tokens and their revocation.

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
        json!({"old_password": "sai", "new_password": "Mật khẩu mới 2026"}),
    )
    .await
    .expect_error(422, "validation_failed");
    app.post(
        &format!("/api/v1/users/{id}/password"),
        Some(&token),
        json!({"old_password": "tiepdan1-mật-khẩu", "new_password": "Mật khẩu mới 2026"}),
    )
    .await
    .expect(204);
    app.get("/api/v1/auth/me", Some(&token)).await.expect_error(401, "token_revoked");
    let token = app.login("tiepdan1", "Mật khẩu mới 2026").await;

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
