//! Bad input never reaches a 500: every operation of the OpenAPI document, called with garbage
//! path parameters, query strings and bodies, as each kind of caller, answers a JSON 4xx (or a
//! success) and never a server error, nor one of the codes the database's refusals are mapped to
//! (a field check must answer first). The office has a case, a held session, a refusal and a
//! directive with id 1, so that `…/1/…` reaches them. Run it on PostgreSQL too: SQLite stores
//! what PostgreSQL refuses (long strings, dates before 4713 BC).

use axum::{
    body::Body,
    http::{Method, Request, header},
};
use serde_json::json;

use crate::{
    errors::{FAR_DATES, LONG_PHONE, SAFETY_NET_CODES},
    petitions::{Office, office},
};

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

/// Path values tried with the empty query only: dates outside every calendar.
const DATE_PATH_VALUES: [&str; 3] = ["-4713-01-01", "%2B262142-12-31", "0000-01-01"];

/// Bodies tried on `…/1/…` with the empty query: well-formed for many operations at once (fields
/// an operation does not know are ignored), each with one value the database cannot hold or that
/// the calendar does not have.
fn near_valid_bodies() -> Vec<Vec<u8>> {
    let long = "Nguyễn Văn Ấn ".repeat(80);
    let petition = |extra: serde_json::Value| {
        let mut body = json!({"kind": "complaint", "channel": "post", "subject": "Khiếu nại về cấp giấy chứng nhận",
            "content": "Nội dung khiếu nại đủ dài để hợp lệ.", "username": "kiemthu.robust",
            "password": "Sổ tiếp dân 2026", "full_name": "Nguyễn Văn An", "role": "receptionist",
            "petitioner": {"full_name": "Nguyễn Văn An", "address": "Tổ 3, phường Mẫu"}});
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        body.to_string().into_bytes()
    };
    let mut out = vec![
        petition(json!({"phone": LONG_PHONE, "petitioner": {"full_name": "Nguyễn Văn An",
            "address": "Tổ 3, phường Mẫu", "phone": LONG_PHONE}})),
        petition(json!({"subject": long, "name": long, "location": long, "code": "X".repeat(300),
            "to_body": long, "letter_no": long, "notice_no": long, "action": "forward"})),
    ];
    for date in FAR_DATES {
        out.push(petition(json!({"received_on": date})));
        out.push(
            json!({"action": "accept", "on": date, "kind": "online", "date": date, "host_id": 1,
                   "location": "Phòng họp trực tuyến", "notice_on": date, "text": "Kết luận buổi tiếp",
                   "directives": [{"unit_id": 1, "task": "Kiểm tra hồ sơ", "due": date}],
                   "result": "Đã hoàn thành", "done_on": date, "visitor": "Hoàng Văn Em",
                   "ground": "already_answered_nothing_new", "grounds_on": date, "sent_on": date})
            .to_string()
            .into_bytes(),
        );
    }
    out
}

/// Queries tried on `…/1/…`: dates outside every calendar in every date parameter, long text.
fn far_queries() -> Vec<String> {
    let mut out: Vec<String> = FAR_DATES
        .iter()
        .map(|d| {
            let d = d.replace('+', "%2B");
            format!("?from={d}&to={d}&received_from={d}&received_to={d}&start={d}&days=1")
        })
        .collect();
    out.push(
        "?from=-4713-01-01&to=%2B262142-12-31&received_from=-4713-01-01&received_to=%2B262142-12-31".into(),
    );
    out.push(format!("?q={}&week=2026-W48&from_week={}", "%E1%BB%87".repeat(300), "9".repeat(300)));
    out
}

const QUERIES: [&str; 5] = [
    "",
    "?page=0&per_page=-1",
    "?from=2026-13-01&to=yesterday&week=2026-W99&year=99999",
    "?q=%27%20OR%201%3D1%20--&kind=xyz&status=&overdue=maybe",
    "?start=2026-02-29&days=999999999&unit=lunar",
];

/// A case, a held session with a refusal and a concluded directive: each the first of its table.
async fn seed(o: &Office) {
    o.file(&o.desk, crate::petitions::complaint()).await;
    let session = o
        .app
        .post(
            "/api/v1/reception-sessions",
            Some(&o.desk),
            json!({"kind": "regular", "date": "2026-11-25", "host_id": o.desk_id, "location": "Phòng tiếp dân"}),
        )
        .await
        .expect(201)
        .body["id"]
        .clone();
    let url = format!("/api/v1/reception-sessions/{session}");
    o.app.patch(&url, Some(&o.desk), json!({"status": "held"})).await.expect(200);
    o.app
        .post(
            &format!("{url}/refusals"),
            Some(&o.desk),
            json!({"visitor": "Hoàng Văn Em", "ground": "already_answered_nothing_new"}),
        )
        .await
        .expect(201);
    o.app
        .post(
            &format!("{url}/conclusion"),
            Some(&o.chairman),
            json!({"text": "Giao Thanh tra kiểm tra.",
                   "directives": [{"unit_id": o.unit, "task": "Kiểm tra hồ sơ", "due": "2026-12-02"}]}),
        )
        .await
        .expect(201);
}

#[tokio::test]
async fn no_operation_answers_a_server_error_to_bad_input() {
    let o = office().await;
    seed(&o).await;
    let doc = o.app.get("/api/v1/openapi.json", None).await.expect(200).body;
    let paths = doc["paths"].as_object().unwrap().clone();
    let callers = [None, Some(o.admin.clone()), Some(o.chairman.clone()), Some(o.desk.clone())];
    let mut calls = 0;
    for (path, item) in &paths {
        for (method, _) in item.as_object().unwrap() {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let with_body = matches!(method, Method::POST | Method::PUT | Method::PATCH);
            let body_list = |list: Vec<Vec<u8>>| if with_body { list } else { vec![Vec::new()] };
            // (path value, query, bodies): garbage everywhere, then the far dates and long values
            // on the first of everything.
            let mut cases: Vec<(String, String, Vec<Vec<u8>>)> = Vec::new();
            for value in PATH_VALUES {
                for query in QUERIES {
                    cases.push((value.to_owned(), query.to_owned(), body_list(bodies())));
                }
            }
            for value in DATE_PATH_VALUES {
                cases.push((value.to_owned(), String::new(), body_list(bodies())));
            }
            for query in far_queries() {
                cases.push(("1".to_owned(), query, body_list(vec![b"{}".to_vec()])));
            }
            cases.push(("1".to_owned(), String::new(), body_list(near_valid_bodies())));
            for (value, query, body_list) in cases {
                let concrete = fill(path, &value);
                for token in &callers {
                    for body in &body_list {
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
                            a.status.as_u16() < 500 && !SAFETY_NET_CODES.contains(&a.code()),
                            "{method} {concrete}{query} with {:?} answered {}: {}",
                            String::from_utf8_lossy(body),
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

/// A stored value outside its closed set (a corrupt row) is a loud error, never read as some
/// default: the case answers 500 and the cause is logged, on both databases.
#[tokio::test]
async fn an_unknown_stored_value_is_an_error_not_a_default() {
    use sea_orm::ConnectionTrait;

    let o = office().await;
    let id = o.file(&o.desk, crate::petitions::complaint()).await["id"].as_i64().unwrap();
    let url = format!("/api/v1/petitions/{id}");
    o.app.get(&url, Some(&o.chairman)).await.expect(200);
    o.app
        .state
        .db
        .writer
        .execute_unprepared(&format!("UPDATE petition SET kind = 'khieu_nai' WHERE id = {id}"))
        .await
        .unwrap();
    o.app.get(&url, Some(&o.chairman)).await.expect_error(500, "internal_error");
    o.app.get("/api/v1/petitions", Some(&o.chairman)).await.expect_error(500, "internal_error");
}
