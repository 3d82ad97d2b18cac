//! Bad input is answered with a JSON error and a stable code, never a 500 or plain text.

use axum::{
    body::Body,
    http::{Method, Request, header},
};
use serde_json::json;

use crate::support::TestApp;

#[tokio::test]
async fn malformed_bodies_get_json_error_codes() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let raw = |body: &'static str, content_type: Option<&'static str>| {
        let mut req = Request::builder()
            .method(Method::POST)
            .uri("/api/v1/users")
            .header(header::AUTHORIZATION, format!("Bearer {admin}"));
        if let Some(ct) = content_type {
            req = req.header(header::CONTENT_TYPE, ct);
        }
        req.body(Body::from(body)).unwrap()
    };

    app.send(raw("{\"username\": ", Some("application/json"))).await.expect_error(400, "malformed_json");
    app.send(raw("{} trailing", Some("application/json"))).await.expect_error(400, "malformed_json");
    app.send(raw("[1,2,3]", Some("application/json"))).await.expect_error(422, "validation_failed");
    app.send(raw("{\"username\":\"a\"}", Some("text/plain")))
        .await
        .expect_error(400, "unsupported_media_type");
    app.send(raw("{\"username\":\"a\"}", None)).await.expect_error(400, "unsupported_media_type");

    // A wrong type and an unknown enum value name the field.
    let wrong_type = app
        .post(
            "/api/v1/users",
            Some(&admin),
            json!({"username": 12, "password": "x", "full_name": "A", "role": "inspector"}),
        )
        .await
        .expect_error(422, "validation_failed");
    assert!(wrong_type.body["error"]["fields"]["username"].is_array(), "{}", wrong_type.body);
    let bad_role = app
        .post(
            "/api/v1/users",
            Some(&admin),
            json!({"username": "abc", "password": "Mật khẩu 123", "full_name": "An", "role": "superuser"}),
        )
        .await
        .expect_error(422, "validation_failed");
    assert!(bad_role.body["error"]["fields"]["role"].is_array(), "{}", bad_role.body);

    // Field checks report every failing field at once.
    let many = app
        .post(
            "/api/v1/users",
            Some(&admin),
            json!({"username": "a b", "password": "ngắn", "full_name": "x".repeat(201), "role": "inspector", "email": "không-phải-email"}),
        )
        .await
        .expect_error(422, "validation_failed");
    let fields = many.body["error"]["fields"].as_object().unwrap();
    for f in ["username", "password", "full_name", "email"] {
        assert!(fields.contains_key(f), "{f} not reported: {}", many.body);
    }
}

#[tokio::test]
async fn oversized_bodies_bad_paths_and_queries_are_client_errors() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let huge = "x".repeat(2 * 1024 * 1024);
    let a = app
        .post("/api/v1/auth/register", None, json!({"username": "abc", "password": huge, "full_name": "An"}))
        .await;
    assert!(a.status.is_client_error(), "{}", a.status);
    assert!(a.body["error"]["code"].is_string());

    app.get("/api/v1/users/not-a-number", Some(&admin)).await.expect_error(400, "invalid_path");
    app.get("/api/v1/users?page=0", Some(&admin)).await.expect_error(400, "invalid_query");
    app.get("/api/v1/users?page=abc", Some(&admin)).await.expect_error(400, "invalid_query");
    app.get("/api/v1/users?role=king", Some(&admin)).await.expect_error(400, "invalid_query");
    app.get("/api/v1/users/999999", Some(&admin)).await.expect_error(404, "not_found");
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_json() {
    let app = TestApp::new().await;
    app.get("/api/v1/khong-co", None).await.expect_error(404, "not_found");
    let a = app.delete("/health", None).await.expect_error(405, "method_not_allowed");
    assert!(a.headers.contains_key("allow"));
    // Every answer carries a request id for the logs.
    assert!(a.headers.contains_key("x-request-id"));
}

#[tokio::test]
async fn pages_are_capped_at_200_items() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let page = app.get("/api/v1/users?per_page=5000", Some(&admin)).await.expect(200);
    assert_eq!(page.body["per_page"], 200);
    assert_eq!(page.body["page"], 1);
    assert!(page.body["items"].is_array());
}
