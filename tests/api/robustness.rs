//! Bad input never reaches a 500: every operation of the OpenAPI document, called with garbage
//! path parameters, query strings and bodies, as each kind of caller, answers a JSON 4xx (or a
//! success) and never a server error.

use axum::{
    body::Body,
    http::{Method, Request, header},
};
use serde_json::json;

use crate::petitions::office;

const PATH_VALUES: [&str; 6] = ["1", "0", "-1", "abc", "99999999999999999999", "%F0%9F%92%A9"];

fn bodies() -> Vec<Vec<u8>> {
    let deep = "[".repeat(200) + &"]".repeat(200);
    vec![
        b"{}".to_vec(),
        b"[]".to_vec(),
        b"null".to_vec(),
        b"\"\"".to_vec(),
        b"{\"kind\": \"complaint\"".to_vec(),
        deep.into_bytes(),
        br#"{"action": "accept", "on": "2026-02-30", "days": -5, "score": 1e309}"#.to_vec(),
        json!({"kind": "complaint", "channel": "post", "subject": "x".repeat(600), "content": "",
               "petitioner": {"full_name": "\u{0000}", "id_number": "'; DROP TABLE petition; --"}})
        .to_string()
        .into_bytes(),
        json!({"username": ["a"], "password": {"x": 1}, "full_name": 12, "role": "root", "weekday": 9,
               "date": "not-a-date", "kind": "holiday", "name": "", "visitor": null, "text": 5})
        .to_string()
        .into_bytes(),
    ]
}

const QUERIES: [&str; 5] = [
    "",
    "?page=0&per_page=-1",
    "?from=2026-13-01&to=yesterday&week=2026-W99&year=99999",
    "?q=%27%20OR%201%3D1%20--&kind=xyz&status=&overdue=maybe",
    "?start=2026-02-29&days=999999999&unit=lunar",
];

#[tokio::test]
async fn no_operation_answers_a_server_error_to_bad_input() {
    let o = office().await;
    let doc = o.app.get("/api/v1/openapi.json", None).await.expect(200).body;
    let paths = doc["paths"].as_object().unwrap().clone();
    let callers = [None, Some(o.admin.clone()), Some(o.chairman.clone()), Some(o.desk.clone())];
    let mut calls = 0;
    for (path, item) in &paths {
        for (method, _) in item.as_object().unwrap() {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            for value in PATH_VALUES {
                let concrete = fill(path, value);
                for query in QUERIES {
                    for token in &callers {
                        let with_body = matches!(method, Method::POST | Method::PUT | Method::PATCH);
                        let body_list = if with_body { bodies() } else { vec![Vec::new()] };
                        for body in body_list {
                            let mut req =
                                Request::builder().method(method.clone()).uri(format!("{concrete}{query}"));
                            if let Some(t) = token {
                                req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
                            }
                            if with_body {
                                req = req.header(header::CONTENT_TYPE, "application/json");
                            }
                            let a = o.app.send(req.body(Body::from(body.clone())).unwrap()).await;
                            calls += 1;
                            assert!(
                                a.status.as_u16() < 500,
                                "{method} {concrete}{query} with {:?} answered {}: {}",
                                String::from_utf8_lossy(&body),
                                a.status,
                                a.body
                            );
                            if a.status.is_client_error() {
                                assert!(
                                    a.body["error"]["code"].is_string(),
                                    "{method} {concrete}: not a JSON error: {:?}",
                                    a.bytes
                                );
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(calls > 1000, "{calls} calls");
}

fn fill(path: &str, value: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('}').map_or(rest.len(), |e| start + e + 1);
        out.push_str(value);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}
