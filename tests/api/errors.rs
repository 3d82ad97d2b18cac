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
        .await
        .expect_error(413, "payload_too_large");
    assert!(a.body["error"]["message"].is_string());
    assert!(a.body["error"].get("fields").is_none(), "{}", a.body);

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

#[tokio::test]
async fn body_field_errors_are_filed_under_the_field_in_vietnamese() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let fields = |a: &crate::support::Answer| a.body["error"]["fields"].clone();

    // A missing field is reported under its own name, not under "body".
    let missing = app
        .post("/api/v1/auth/login", None, json!({"username": "admin"}))
        .await
        .expect_error(422, "validation_failed");
    assert_eq!(fields(&missing), json!({"password": ["Bắt buộc."]}));

    // Inside a nested object and a list, the path leads to it.
    let nested = app
        .post(
            "/api/v1/public/petitions",
            None,
            json!({"kind": "feedback", "subject": "Đèn đường hỏng", "content": "Đèn ngõ 12 hỏng.",
                   "petitioner": {"address": "Ngõ 12"}}),
        )
        .await
        .expect_error(422, "validation_failed");
    assert_eq!(fields(&nested), json!({"petitioner.full_name": ["Bắt buộc."]}));
    let in_list = app
        .post(
            "/api/v1/petitions",
            Some(&admin),
            json!({"kind": "complaint", "channel": "post", "subject": "Khiếu nại", "content": "Nội dung",
                   "cosignatories": [{"address": "Tổ 1"}]}),
        )
        .await
        .expect_error(422, "validation_failed");
    assert_eq!(fields(&in_list), json!({"cosignatories[0].full_name": ["Bắt buộc."]}));

    // A wrong type and an unknown enum value: Vietnamese, under the field.
    let wrong_type = app
        .post(
            "/api/v1/users",
            Some(&admin),
            json!({"username": 12, "password": "Mật khẩu 2026", "full_name": "An", "role": "inspector"}),
        )
        .await
        .expect_error(422, "validation_failed");
    assert_eq!(fields(&wrong_type), json!({"username": ["Sai kiểu dữ liệu (cần chuỗi ký tự)."]}));
    let bad_role = app
        .post(
            "/api/v1/users",
            Some(&admin),
            json!({"username": "abc", "password": "Mật khẩu 2026", "full_name": "An", "role": "superuser"}),
        )
        .await
        .expect_error(422, "validation_failed");
    let message = bad_role.body["error"]["fields"]["role"][0].as_str().unwrap();
    assert!(message.starts_with("Giá trị không hợp lệ; chọn một trong: admin, chairman"), "{message}");
    let bad_number = app
        .post("/api/v1/units", Some(&admin), json!({"name": "Đơn vị", "code": "DV", "agency_id": "một"}))
        .await
        .expect_error(422, "validation_failed");
    assert_eq!(fields(&bad_number), json!({"agency_id": ["Sai kiểu dữ liệu (cần số nguyên)."]}));
    let bad_date = app
        .post(
            "/api/v1/petitions",
            Some(&admin),
            json!({"kind": "complaint", "channel": "post", "subject": "Khiếu nại", "content": "Nội dung",
                   "received_on": "2026-02-30", "anonymous": true}),
        )
        .await
        .expect_error(422, "validation_failed");
    assert_eq!(fields(&bad_date), json!({"received_on": ["Ngày không hợp lệ (dạng YYYY-MM-DD)."]}));

    // Only an error about the document as a whole goes under "body".
    let array = app
        .send(
            Request::builder()
                .method(Method::POST)
                .uri("/api/v1/auth/login")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("[1, 2]"))
                .unwrap(),
        )
        .await
        .expect_error(422, "validation_failed");
    assert_eq!(fields(&array), json!({"body": ["Sai kiểu dữ liệu (cần đối tượng)."]}));

    // Syntax errors stay 400 malformed_json, in Vietnamese with the position.
    let broken = app
        .send(
            Request::builder()
                .method(Method::POST)
                .uri("/api/v1/auth/login")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{\"username\": }"))
                .unwrap(),
        )
        .await
        .expect_error(400, "malformed_json");
    assert_eq!(broken.body["error"]["message"], "JSON không hợp lệ: lỗi cú pháp ở dòng 1, cột 14.");

    // Query strings get the same wording.
    let query = app.get("/api/v1/users?role=king", Some(&admin)).await.expect_error(400, "invalid_query");
    let message = query.body["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("Tham số truy vấn không hợp lệ: role: Giá trị không hợp lệ; chọn một trong:"),
        "{message}"
    );
    let path = app.get("/api/v1/users/abc", Some(&admin)).await.expect_error(400, "invalid_path");
    assert_eq!(
        path.body["error"]["message"],
        "Đường dẫn không hợp lệ: một tham số trong đường dẫn sai kiểu dữ liệu (ví dụ chữ ở chỗ cần số)."
    );
}

/// Every stable error code the server can answer, as the source names it: the first string of
/// `conflict(`, `bad_request(`, `unauthorized(`, a `code: "…"` field, and the codes of
/// `src/error.rs` and of the extension rules (`ExtensionError::code`).
fn error_codes_in_source() -> std::collections::BTreeSet<String> {
    fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    fn first_literal(rest: &str) -> Option<&str> {
        let rest = rest.trim_start().strip_prefix('"')?;
        let end = rest.find('"')?;
        let code = &rest[..end];
        let snake = !code.is_empty() && code.chars().all(|c| c.is_ascii_lowercase() || c == '_');
        // `code: "skip_level".to_owned()` is a repeat warning, not an error.
        (snake && !rest[end + 1..].starts_with(".to_owned()")).then_some(code)
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let mut codes = std::collections::BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let text = text.split("#[cfg(test)]").next().unwrap_or_default();
        let is_error_rs = file.ends_with("src/error.rs");
        for opener in ["conflict(", "bad_request(", "unauthorized(", "code: ", "=> (", "=> "] {
            if opener.starts_with("=>") && !is_error_rs {
                continue;
            }
            for (at, _) in text.match_indices(opener) {
                if let Some(code) = first_literal(&text[at + opener.len()..]) {
                    codes.insert(code.to_owned());
                }
            }
        }
    }
    use tiepdan::domain::deadline::ExtensionError as E;
    for e in [
        E::NotAllowed,
        E::ZeroDays,
        E::TooLong { max_days: 1 },
        E::TooMany { max_extensions: 1 },
        E::TotalTooLong { max_total_days: 1 },
    ] {
        codes.insert(e.code().to_owned());
    }
    codes
}

#[test]
fn every_error_code_has_a_vietnamese_message_in_the_frontend() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let i18n = std::fs::read_to_string(root.join("frontend/js/i18n.js")).unwrap();
    let table = i18n
        .split_once("export const ERROR_MESSAGES = {")
        .and_then(|(_, rest)| rest.split_once("\n};"))
        .map(|(table, _)| table)
        .expect("ERROR_MESSAGES in i18n.js");
    let translated: std::collections::BTreeSet<&str> =
        table.lines().filter_map(|line| line.trim().split_once(": '").map(|(key, _)| key)).collect();
    let codes = error_codes_in_source();
    for expected in ["invalid_transition", "extension_zero_days", "payload_too_large", "validation_failed"] {
        assert!(codes.contains(expected), "the scan finds {expected}: {codes:?}");
    }
    let missing: Vec<&String> = codes.iter().filter(|c| !translated.contains(c.as_str())).collect();
    assert!(missing.is_empty(), "error codes without a Vietnamese message in i18n.js: {missing:?}");
}
