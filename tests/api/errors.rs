//! Bad input is answered with a JSON error and a stable code, never a 500 or plain text.

use axum::{
    body::Body,
    http::{Method, Request, header},
};
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Value, json};

use crate::{
    petitions::{Office, office},
    support::TestApp,
};

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
            json!({"username": "abc", "password": "Sổ tiếp dân 123", "full_name": "An", "role": "superuser"}),
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

// ---------------------------------------------------------------------------------------------
// Values the database cannot hold: every field check answers before the database would.
// ---------------------------------------------------------------------------------------------

/// The codes of `From<DbErr>`'s safety net (a value the database refused): a request that gets one
/// passed a field check it should have failed, so no test input may ever get one.
pub const SAFETY_NET_CODES: [&str; 5] =
    ["value_too_long", "date_out_of_range", "number_out_of_range", "missing_value", "constraint_violation"];

/// One more than each length of a `varchar` column that takes text from a request (phones and
/// identity numbers 20, unit codes 40, usernames 64, letter numbers 100, names 200, e-mails 254,
/// bodies and places 300, subjects, addresses and links 500, reasons 1000).
const OVER_COLUMN_LENGTHS: [usize; 9] = [21, 41, 65, 101, 201, 255, 301, 501, 1001];

/// Dates no date of a request may take: PostgreSQL's first day and before, chrono's last years, year
/// zero, and the first day outside the calendar's years on either side.
pub const FAR_DATES: [&str; 5] = ["-4713-01-01", "+262142-12-31", "0000-01-01", "1989-12-31", "2101-01-01"];

/// A phone number the old check let through at 31 characters (15 digits and separators).
pub const LONG_PHONE: &str = "0 9 1 2 . 3 4 5 - 6 7 8 9 0 1 2";

/// A step of a path into a JSON body.
#[derive(Debug, Clone, PartialEq)]
pub enum Seg {
    Key(String),
    First,
}

/// What a leaf of a request schema holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Leaf {
    Text,
    Date,
}

/// The schema a `$ref` points to (or the schema itself).
pub fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str().and_then(|r| r.rsplit('/').next()) {
        Some(name) => resolve(doc, &doc["components"]["schemas"][name]),
        None => schema,
    }
}

fn has_type(schema: &Value, t: &str) -> bool {
    match &schema["type"] {
        Value::String(s) => s == t,
        Value::Array(list) => list.iter().any(|x| x == t),
        _ => false,
    }
}

/// Every string and date leaf of a request schema, with its path (`[0]` for an array's items).
/// Enumerations are left out: their values are checked by name.
pub fn leaves(doc: &Value, schema: &Value) -> Vec<(Vec<Seg>, Leaf)> {
    fn walk(doc: &Value, schema: &Value, path: &mut Vec<Seg>, out: &mut Vec<(Vec<Seg>, Leaf)>) {
        let s = resolve(doc, schema);
        if s.get("enum").is_some() || path.len() > 8 {
            return;
        }
        for alternatives in ["oneOf", "anyOf", "allOf"] {
            for v in s[alternatives].as_array().into_iter().flatten() {
                walk(doc, v, path, out);
            }
        }
        if has_type(s, "string") {
            let leaf = if s["format"] == "date" { Leaf::Date } else { Leaf::Text };
            if !out.iter().any(|(p, l)| p == path && *l == leaf) {
                out.push((path.clone(), leaf));
            }
        }
        if has_type(s, "array") {
            path.push(Seg::First);
            walk(doc, &s["items"], path, out);
            path.pop();
        }
        for (k, v) in s["properties"].as_object().into_iter().flatten() {
            path.push(Seg::Key(k.clone()));
            walk(doc, v, path, out);
            path.pop();
        }
    }
    let mut out = Vec::new();
    walk(doc, schema, &mut Vec::new(), &mut out);
    out
}

/// A path as the API names a field: `petitioner.phone`, `directives[0].due`.
pub fn path_name(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::First => out.push_str("[0]"),
        }
    }
    out
}

/// Puts `value` at `path` in `body`, creating the objects on the way. Through an array the body
/// has no element of, it creates one only when `create` (or when the element is the leaf itself);
/// otherwise it answers `false`.
pub fn put(body: &mut Value, path: &[Seg], value: Value, create: bool) -> bool {
    match path.split_first() {
        None => {
            *body = value;
            true
        }
        Some((Seg::Key(k), rest)) => {
            if !body.is_object() {
                *body = json!({});
            }
            let slot = body.as_object_mut().unwrap().entry(k.clone()).or_insert(Value::Null);
            if slot.is_null() && !rest.is_empty() {
                *slot = if rest[0] == Seg::First { json!([]) } else { json!({}) };
            }
            put(slot, rest, value, create)
        }
        Some((Seg::First, rest)) => {
            let Some(items) = body.as_array_mut() else { return false };
            if items.is_empty() {
                if !rest.is_empty() && !create {
                    return false;
                }
                items.push(json!({}));
            }
            put(&mut items[0], rest, value, create)
        }
    }
}

/// Whether `path` leads to a value of `body`.
fn present(body: &Value, path: &[Seg]) -> bool {
    let mut at = body;
    for seg in path {
        at = match seg {
            Seg::Key(k) => &at[k.as_str()],
            Seg::First => &at[0],
        };
    }
    !at.is_null()
}

static UNIQUE: AtomicU64 = AtomicU64::new(0);

fn unique() -> u64 {
    UNIQUE.fetch_add(1, Ordering::Relaxed)
}

/// `{uniq}` in every string of a body replaced by a fresh number (usernames and codes must differ).
fn fresh(body: &Value) -> Value {
    match body {
        Value::String(s) if s.contains("{uniq}") => Value::String(s.replace("{uniq}", &unique().to_string())),
        Value::Array(items) => Value::Array(items.iter().map(fresh).collect()),
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), fresh(v))).collect()),
        other => other.clone(),
    }
}

/// A text of `len` characters that every check of the field named `field` accepts but its length:
/// digits and separators for a phone or an identity number, an address for an e-mail, letters for
/// a login name or a code, Vietnamese words (three bytes a letter at times) for the rest.
fn long_value(field: &str, len: usize) -> String {
    let pad = |head: &str, fill: char, tail: &str| {
        let n = len.saturating_sub(head.chars().count() + tail.chars().count());
        format!("{head}{}{tail}", fill.to_string().repeat(n))
    };
    match field {
        "phone" => pad("0", ' ', "91234567890123"),
        "id_number" => pad("0", ' ', "01234567890"),
        "email" => pad("a", 'a', "@ubnd.gov.vn"),
        "username" => pad(&format!("u{}", unique()), 'a', ""),
        "code" => pad(&format!("C{}", unique()), 'X', ""),
        "password" | "new_password" | "old_password" => pad("Mật khẩu ", 'x', "2026"),
        _ => {
            let words: Vec<char> = "Nguyễn Văn Ấn ở tổ dân phố số ba ".chars().collect();
            let mut text: String = words.iter().cycle().take(len.saturating_sub(1)).collect();
            text.push('a');
            text
        }
    }
}

/// The test office, with what the operations act on made fresh for each request.
struct Bench {
    o: Office,
    doc: Value,
    /// A regular session of today, open for visits and refusals.
    session: i64,
}

const TODAY: &str = "2026-11-25";
const IN_A_WEEK: &str = "2026-12-02";
const IN_TWO_WEEKS: &str = "2026-12-09";

fn person() -> Value {
    json!({"full_name": "Lê Thị Cúc", "id_number": "036189001122", "address": "Số 8 ngõ 4, phường Mẫu",
           "phone": "0987654321", "email": "cuc@example.vn"})
}

impl Bench {
    async fn new() -> Self {
        let o = office().await;
        let doc = o.app.get("/api/v1/openapi.json", None).await.expect(200).body;
        let session = Self::regular_session(&o).await;
        Self { o, doc, session }
    }

    async fn regular_session(o: &Office) -> i64 {
        o.app
            .post(
                "/api/v1/reception-sessions",
                Some(&o.desk),
                json!({"kind": "regular", "date": TODAY, "host_id": o.desk_id, "location": "Phòng tiếp công dân"}),
            )
            .await
            .expect(201)
            .body["id"]
            .as_i64()
            .unwrap()
    }

    async fn held_session(&self) -> i64 {
        let id = Self::regular_session(&self.o).await;
        self.o
            .app
            .patch(&format!("/api/v1/reception-sessions/{id}"), Some(&self.o.desk), json!({"status": "held"}))
            .await
            .expect(200);
        id
    }

    async fn online_session(&self) -> i64 {
        self.o
            .app
            .post(
                "/api/v1/reception-sessions",
                Some(&self.o.desk),
                json!({"kind": "online", "date": IN_TWO_WEEKS, "host_id": self.o.chairman_id,
                       "location": "Phòng họp trực tuyến", "meeting_link": "https://hop.example/tiep-dan"}),
            )
            .await
            .expect(201)
            .body["id"]
            .as_i64()
            .unwrap()
    }

    async fn directive(&self) -> i64 {
        let id = self.held_session().await;
        let done = self
            .o
            .app
            .post(
                &format!("/api/v1/reception-sessions/{id}/conclusion"),
                Some(&self.o.chairman),
                json!({"text": "Giao đơn vị kiểm tra.",
                       "directives": [{"unit_id": self.o.unit, "task": "Kiểm tra hồ sơ", "due": IN_A_WEEK}]}),
            )
            .await
            .expect(201)
            .body;
        done["directives"][0]["id"].as_i64().unwrap()
    }

    async fn refusal(&self) -> i64 {
        self.o
            .app
            .post(
                &format!("/api/v1/reception-sessions/{}/refusals", self.session),
                Some(&self.o.desk),
                json!({"visitor": "Hoàng Văn Em", "ground": "already_answered_nothing_new"}),
            )
            .await
            .expect(201)
            .body["id"]
            .as_i64()
            .unwrap()
    }

    async fn petition(&self) -> Value {
        self.o.file(&self.o.desk, crate::petitions::complaint()).await
    }

    async fn accepted(&self) -> i64 {
        let id = self.petition().await["id"].as_i64().unwrap();
        self.o.act(&self.o.chairman, id, json!({"action": "accept"})).await.expect(200);
        id
    }

    /// How many base bodies an operation has (one per action of the workflow).
    fn variants(method: &str, path: &str) -> usize {
        match (method, path) {
            ("post", "/api/v1/petitions/{id}/actions") => ACTIONS_ON_NEW.len() + ACTIONS_ON_ACCEPTED.len(),
            _ => 1,
        }
    }

    /// The `i`-th request to make of an operation, on what it acts on made fresh where the
    /// operation can be done only once. `None` when the operation is unknown here: a new
    /// operation needs its base body.
    async fn target(&self, method: &str, path: &str, i: usize) -> Option<Target> {
        let o = &self.o;
        let admin = Some(o.admin.clone());
        let desk = Some(o.desk.clone());
        let chairman = Some(o.chairman.clone());
        let one = |url: String, token: Option<String>, base: Value| {
            Some(Target { url, token, base, only_present: false, reusable: true })
        };
        let once = |url: String, token: Option<String>, base: Value| {
            Some(Target { url, token, base, only_present: false, reusable: false })
        };
        let api = |p: &str| format!("/api/v1{p}");
        match (method, path) {
            ("post", "/api/v1/agencies") => {
                one(api("/agencies"), admin, json!({"name": "UBND xã Thử {uniq}", "level": "commune"}))
            }
            ("post", "/api/v1/auth/login") => one(
                api("/auth/login"),
                None,
                json!({"username": "admin", "password": crate::support::ADMIN_PASSWORD}),
            ),
            ("post", "/api/v1/auth/register") => one(
                api("/auth/register"),
                None,
                json!({"username": "congdan{uniq}", "password": "Sổ tiếp dân 2026", "full_name": "Nguyễn Văn An",
                       "phone": "0912345678", "email": "an@example.vn"}),
            ),
            ("put", "/api/v1/calendar/days/{date}") => {
                one(api("/calendar/days/2027-03-15"), admin, json!({"kind": "day_off", "name": "Nghỉ bù"}))
            }
            ("post", "/api/v1/petitions") => {
                let mut body = crate::petitions::complaint();
                body["channel"] = json!("forwarded");
                body["forwarding_body"] = json!("Ban Tiếp công dân tỉnh");
                body["forwarding_doc_no"] = json!("12/BTCD");
                body["handled_before_by"] = json!("UBND xã cũ");
                body["attachments"] = json!(["Bản sao quyết định thu hồi đất"]);
                body["cosignatories"] = json!([person()]);
                body["representatives"] = json!([person()]);
                body["petitioner"]["email"] = json!("an@example.vn");
                one(api("/petitions"), desk, body)
            }
            ("post", "/api/v1/petitions/repeat-check") => one(
                api("/petitions/repeat-check"),
                desk,
                json!({"id_numbers": ["001234567890"], "subject": "Khiếu nại thu hồi đất"}),
            ),
            ("post", "/api/v1/petitions/{id}/actions") => {
                let (id, body) = match ACTIONS_ON_NEW.get(i) {
                    Some(body) => {
                        let body = body();
                        // A complaint outside competence is guided, not forwarded.
                        let filed = if body["action"] == "forward" {
                            o.file(&o.desk, crate::petitions::denunciation()).await
                        } else {
                            self.petition().await
                        };
                        (filed["id"].as_i64().unwrap(), body)
                    }
                    None => (self.accepted().await, ACTIONS_ON_ACCEPTED[i - ACTIONS_ON_NEW.len()](o)),
                };
                let url = api(&format!("/petitions/{id}/actions"));
                Some(Target { url, token: chairman, base: body, only_present: true, reusable: false })
            }
            ("post", "/api/v1/public/petitions") => one(
                api("/public/petitions"),
                None,
                json!({"kind": "feedback", "subject": "Phản ánh đèn đường hỏng",
                       "content": "Đèn đường tổ 3 hỏng đã hai tuần.", "petitioner": person()}),
            ),
            ("post", "/api/v1/my/petitions/claim") => {
                // A filing made before registering, claimed by a fresh citizen with its phone.
                static CLAIMANTS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
                let n = CLAIMANTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let filed = o
                    .app
                    .post(
                        "/api/v1/public/petitions",
                        None,
                        json!({"kind": "feedback", "subject": "Phản ánh đèn đường hỏng",
                               "content": "Đèn đường tổ 3 hỏng đã hai tuần.", "petitioner": person()}),
                    )
                    .await
                    .expect(201)
                    .body;
                let (_, citizen) = o.app.citizen(&format!("nhandon{n}")).await;
                once(
                    api("/my/petitions/claim"),
                    Some(citizen),
                    json!({"tracking_code": filed["tracking_code"], "contact": "0987654321"}),
                )
            }
            ("post", "/api/v1/public/petitions/{tracking_code}/rating") => {
                let p = self.petition().await;
                let id = p["id"].as_i64().unwrap();
                o.act(&o.chairman, id, json!({"action": "reject", "reason": "Không đủ điều kiện"}))
                    .await
                    .expect(200);
                let code = p["tracking_code"].as_str().unwrap();
                once(
                    api(&format!("/public/petitions/{code}/rating")),
                    None,
                    json!({"score": 4, "comment": "Tốt"}),
                )
            }
            ("post", "/api/v1/reception-directives/{id}/complete") => {
                let id = self.directive().await;
                once(
                    api(&format!("/reception-directives/{id}/complete")),
                    chairman,
                    json!({"result": "Đã xong"}),
                )
            }
            ("post", "/api/v1/notices/{id}/sent") => {
                let id = self.accepted().await;
                let notices = o.app.get(&api(&format!("/petitions/{id}/notices")), chairman.as_deref()).await;
                let list = notices.expect(200).body;
                let unsent = list.as_array().unwrap().iter().find(|n| n["sent_on"].is_null()).unwrap();
                let notice = unsent["id"].as_i64().unwrap();
                once(api(&format!("/notices/{notice}/sent")), chairman, json!({"channel": "post"}))
            }
            ("post", "/api/v1/petitions/{id}/notices") => {
                // A case past its acceptance deadline: the apology letter is due.
                let mut late = crate::petitions::complaint();
                late["received_on"] = json!("2026-10-01");
                let id = o.file(&o.desk, late).await["id"].as_i64().unwrap();
                once(
                    api(&format!("/petitions/{id}/notices")),
                    chairman,
                    json!({"kind": "apology", "promised_on": IN_TWO_WEEKS}),
                )
            }
            ("post", "/api/v1/reception-refusals/{id}/notice") => {
                let id = self.refusal().await;
                once(
                    api(&format!("/reception-refusals/{id}/notice")),
                    chairman,
                    json!({"notice_no": "01/TB-UBND"}),
                )
            }
            ("put", "/api/v1/reception-rules/{host_id}") => one(
                api(&format!("/reception-rules/{}", o.chairman_id)),
                admin,
                json!({"weekday": 4, "every": "week", "on_holiday": "next_working_day",
                       "location": "Phòng tiếp công dân"}),
            ),
            ("post", "/api/v1/reception-sessions") => one(
                api("/reception-sessions"),
                desk,
                json!({"kind": "online", "date": IN_TWO_WEEKS, "host_id": o.chairman_id,
                       "location": "Phòng họp trực tuyến", "trigger_note": "Theo đề nghị",
                       "participants": ["Cán bộ Thanh tra"], "expected_content": "Đất đai",
                       "meeting_link": "https://hop.example/tiep-dan"}),
            ),
            ("patch", "/api/v1/reception-sessions/{id}") => {
                let id = self.online_session().await;
                // Cancelling is the chairman's (or the admin's).
                once(
                    api(&format!("/reception-sessions/{id}")),
                    chairman,
                    json!({"status": "cancelled", "cancel_reason": "Chủ tịch đi công tác", "location": "Phòng 2",
                           "participants": ["Cán bộ Thanh tra"], "expected_content": "Đất đai",
                           "recording_ref": "REC-2026-1", "meeting_link": "https://hop.example/2"}),
                )
            }
            ("post", "/api/v1/reception-sessions/{id}/conclusion") => {
                let id = self.held_session().await;
                once(
                    api(&format!("/reception-sessions/{id}/conclusion")),
                    chairman,
                    json!({"text": "Giao đơn vị kiểm tra.",
                           "directives": [{"unit_id": o.unit, "task": "Kiểm tra hồ sơ", "due": IN_A_WEEK}]}),
                )
            }
            ("post", "/api/v1/reception-sessions/{id}/refusals") => one(
                api(&format!("/reception-sessions/{}/refusals", self.session)),
                desk,
                json!({"visitor": {"full_name": "Hoàng Văn Em", "address": "Tổ 1", "id_number": "001234567890"},
                       "ground": "already_answered_nothing_new", "details": "Đã được trả lời"}),
            ),
            ("post", "/api/v1/reception-sessions/{id}/visits") => one(
                api(&format!("/reception-sessions/{}/visits", self.session)),
                desk,
                json!({"visitor": {"full_name": "Trần Văn Bình", "address": "Tổ 5", "id_number": "001234567891"},
                       "people_count": 5, "representatives": [person()],
                       "summary": "Kiến nghị về thoát nước tổ 5", "subject": "Kiến nghị thoát nước",
                       "kind": "recommendation", "handled_before_by": "UBND phường cũ", "within_competence": true,
                       "guided_to": "Phòng Kinh tế", "guidance_letter_no": "02/HD", "accepted_by": "Thanh tra",
                       "forwarding_letter_no": "03/CV", "follow_up": "Theo dõi", "note": "Ghi chú",
                       "open_petition": true}),
            ),
            ("post", "/api/v1/units") => {
                one(api("/units"), admin, json!({"name": "Phòng Thử", "code": "U{uniq}"}))
            }
            ("patch", "/api/v1/units/{id}") => one(
                api(&format!("/units/{}", o.unit)),
                admin,
                json!({"name": "Thanh tra", "code": "T{uniq}"}),
            ),
            ("post", "/api/v1/users") => one(
                api("/users"),
                admin,
                json!({"username": "canbo{uniq}", "password": "Sổ tiếp dân 2026", "full_name": "Hoàng Thị Lan",
                       "role": "inspector", "unit_id": o.unit, "phone": "0912345678", "email": "lan@example.vn"}),
            ),
            ("patch", "/api/v1/users/{id}") => one(
                api(&format!("/users/{}", o.inspector_id)),
                admin,
                json!({"full_name": "Phạm Văn Thanh", "phone": "0912345678", "email": "thanh@example.vn"}),
            ),
            ("post", "/api/v1/users/{id}/password") => one(
                api(&format!("/users/{}/password", o.inspector_id)),
                admin,
                json!({"new_password": "Sổ tiếp dân mới 2026"}),
            ),
            _ => None,
        }
    }
}

/// One request to make of an operation.
struct Target {
    url: String,
    token: Option<String>,
    base: Value,
    /// Change only the fields the base body has (an action ignores the others).
    only_present: bool,
    /// Whether the same target takes the request again (otherwise each change gets a fresh one).
    reusable: bool,
}

type ActionOnAccepted = fn(&Office) -> Value;

const ACTIONS_ON_NEW: [fn() -> Value; 6] = [
    || json!({"action": "accept", "note": "Đủ điều kiện thụ lý"}),
    || json!({"action": "reject", "reason": "Không đủ điều kiện"}),
    || json!({"action": "guide", "to_body": "Tòa án nhân dân khu vực", "note": "Hướng dẫn"}),
    || json!({"action": "forward", "to_body": "UBND tỉnh", "letter_no": "15/CV-UBND", "note": "Chuyển"}),
    || json!({"action": "archive", "reason": "Đơn trùng lặp"}),
    || {
        json!({"action": "split", "note": "Tách đơn", "parts": [
            {"kind": "complaint", "subject": "Khiếu nại thu hồi đất", "content": "Nội dung khiếu nại."},
            {"kind": "feedback", "subject": "Phản ánh thoát nước", "content": "Nội dung phản ánh."}]})
    },
];

const ACTIONS_ON_ACCEPTED: [ActionOnAccepted; 3] = [
    |o| {
        json!({"action": "assign", "assignee_id": o.inspector_id, "unit_id": o.unit,
               "expected_result": "Báo cáo kết quả xác minh"})
    },
    |_| json!({"action": "suspend", "reason": "Chờ kết quả giám định"}),
    |_| json!({"action": "resolve", "result": "Giữ nguyên quyết định", "conclusion": "wrong"}),
];

/// The operations of the OpenAPI document that take a JSON body: (method, path, body schema).
fn body_operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let schema = &op["requestBody"]["content"]["application/json"]["schema"];
            if !schema.is_null() {
                out.push((method.clone(), path.clone(), schema.clone()));
            }
        }
    }
    out
}

#[tokio::test]
async fn no_text_field_takes_more_than_its_column_holds() {
    let bench = Bench::new().await;
    let app = &bench.o.app;
    let mut mutated = 0;
    for (method, path, schema) in body_operations(&bench.doc) {
        let fields = leaves(&bench.doc, &schema);
        let verb = axum::http::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        for i in 0..Bench::variants(&method, &path) {
            let Some(mut target) = bench.target(&method, &path, i).await else {
                panic!("{method} {path}: no base body in this test; add one")
            };
            let first =
                app.call(verb.clone(), &target.url, target.token.as_deref(), Some(fresh(&target.base))).await;
            assert!(
                first.status.is_success(),
                "{method} {}: the base body fails: {}",
                target.url,
                first.body
            );
            for (field, leaf) in &fields {
                if *leaf != Leaf::Text || (target.only_present && !present(&target.base, field)) {
                    continue;
                }
                // The field a value is for (an array's item, such as a representative, is a name).
                let name = match field.last() {
                    Some(Seg::Key(k)) => k.clone(),
                    _ => String::new(),
                };
                for len in OVER_COLUMN_LENGTHS {
                    if !target.reusable {
                        target = bench.target(&method, &path, i).await.unwrap();
                    }
                    let mut body = fresh(&target.base);
                    if !put(&mut body, field, json!(long_value(&name, len)), false) {
                        continue;
                    }
                    let a = app.call(verb.clone(), &target.url, target.token.as_deref(), Some(body)).await;
                    mutated += 1;
                    if path == "/api/v1/auth/login" {
                        // Each overlong name or password is a wrong one: the walk forgets them,
                        // or the login throttle (tested in sign_in_guards) would lock it out.
                        use sea_orm::ConnectionTrait;
                        app.state.db.writer.execute_unprepared("DELETE FROM login_throttle").await.unwrap();
                    }
                    assert!(
                        a.status.as_u16() < 500 && !SAFETY_NET_CODES.contains(&a.code()),
                        "{method} {} with {} of {len} characters answered {}: {}",
                        target.url,
                        path_name(field),
                        a.status,
                        a.body
                    );
                }
            }
        }
    }
    assert!(mutated > 500, "{mutated} requests");
}

#[tokio::test]
async fn long_phone_numbers_are_kept_as_their_digits() {
    let o = office().await;
    let app = &o.app;
    let digits = "09123456789012";

    let mut petition = crate::petitions::complaint();
    petition["petitioner"]["phone"] = json!(LONG_PHONE);
    let filed = o.file(&o.desk, petition).await;
    assert_eq!(filed["petitioner"]["phone"], digits, "{filed}");

    let public = app
        .post(
            "/api/v1/public/petitions",
            None,
            json!({"kind": "feedback", "subject": "Phản ánh đèn đường", "content": "Đèn đường tổ 3 hỏng đã lâu.",
                   "petitioner": {"full_name": "Lê Thị Cúc", "address": "Tổ 3", "phone": "+84 912 345 678 901"}}),
        )
        .await
        .expect(201);
    assert!(public.body["tracking_code"].is_string());

    let citizen = app
        .post(
            "/api/v1/auth/register",
            None,
            json!({"username": "congdan.dai", "password": "Sổ tiếp dân 2026", "full_name": "Nguyễn Văn An",
                   "phone": LONG_PHONE}),
        )
        .await
        .expect(201);
    assert_eq!(citizen.body["phone"], digits, "{}", citizen.body);

    let staff = app
        .post(
            "/api/v1/users",
            Some(&o.admin),
            json!({"username": "canbo.dai", "password": "Sổ tiếp dân 2026", "full_name": "Hoàng Thị Lan",
                   "role": "inspector", "phone": "+84-912-345-678-901"}),
        )
        .await
        .expect(201);
    assert_eq!(staff.body["phone"], "+84912345678901");
    let id = staff.body["id"].as_i64().unwrap();
    let changed = app
        .patch(&format!("/api/v1/users/{id}"), Some(&o.admin), json!({"phone": LONG_PHONE}))
        .await
        .expect(200);
    assert_eq!(changed.body["phone"], digits);

    // Still refused: too few or too many digits, letters, a `+` inside.
    for bad in ["0912 345", "0 9 1 2 3 4 5 6 7 8 9 0 1 2 3 4", "0912-ABC-678", "0912+345678"] {
        let a = app.patch(&format!("/api/v1/users/{id}"), Some(&o.admin), json!({"phone": bad})).await;
        let a = a.expect_error(422, "validation_failed");
        assert!(a.body["error"]["fields"]["phone"].is_array(), "{bad}: {}", a.body);
    }
}

#[tokio::test]
async fn dates_outside_the_calendar_years_are_refused_before_any_query() {
    let o = office().await;
    let doc = o.app.get("/api/v1/openapi.json", None).await.expect(200).body;
    let concrete = |path: &str| {
        path.replace("{id}", "1")
            .replace("{host_id}", "1")
            .replace("{date}", "2026-12-24")
            .replace("{tracking_code}", "TD-2222-2222-2222")
    };
    let (mut in_bodies, mut in_queries) = (0, 0);
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let verb = axum::http::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let url = concrete(path);
            // Body fields: the date alone is enough, it is read before anything is missed.
            let schema = &op["requestBody"]["content"]["application/json"]["schema"];
            for (field, leaf) in if schema.is_null() { vec![] } else { leaves(&doc, schema) } {
                if leaf != Leaf::Date {
                    continue;
                }
                in_bodies += 1;
                for bad in FAR_DATES {
                    let mut body = json!({});
                    assert!(put(&mut body, &field, json!(bad), true));
                    let a = o.app.call(verb.clone(), &url, Some(&o.admin), Some(body.clone())).await;
                    assert_eq!(a.status.as_u16(), 422, "{method} {url} {body}: {}", a.body);
                    assert!(
                        a.body["error"]["fields"][path_name(&field)].is_array(),
                        "{method} {url} {body}: the field is not named: {}",
                        a.body
                    );
                }
            }
            // Query parameters.
            for param in op["parameters"].as_array().into_iter().flatten() {
                if param["in"] != "query" || resolve(&doc, &param["schema"])["format"] != "date" {
                    continue;
                }
                in_queries += 1;
                for bad in FAR_DATES {
                    let query =
                        format!("{url}?{}={}", param["name"].as_str().unwrap(), bad.replace('+', "%2B"));
                    let a = o.app.call(verb.clone(), &query, Some(&o.admin), None).await;
                    a.expect_error(400, "invalid_query");
                }
            }
        }
    }
    assert!(in_bodies >= 10, "{in_bodies} date fields in bodies");
    assert!(in_queries >= 15, "{in_queries} date parameters in queries");
    // A date in the path.
    for bad in FAR_DATES {
        let url = format!("/api/v1/calendar/days/{bad}");
        let put = o.app.put(&url, Some(&o.admin), json!({"kind": "holiday", "name": "Ngày thử"})).await;
        assert!(put.expect_error(422, "validation_failed").body["error"]["fields"]["date"].is_array());
        o.app.delete(&url, Some(&o.admin)).await.expect_error(422, "validation_failed");
    }
    // The dates a filter takes inside the calendar's years still work.
    let a =
        o.app.get("/api/v1/petitions?received_from=1990-01-01&received_to=2100-12-31", Some(&o.desk)).await;
    a.expect(200);
    o.app.get("/api/v1/reception-refusals?from=1990-01-01&to=2100-12-31", Some(&o.desk)).await.expect(200);
}

#[tokio::test]
async fn values_the_database_refuses_are_client_errors_and_faults_stay_500() {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    use tiepdan::error::AppError;

    let app = TestApp::new().await;
    let db = &app.state.db.writer;
    let backend = db.get_database_backend();
    let refused =
        |sql: &str, values: Vec<sea_orm::Value>| Statement::from_sql_and_values(backend, sql, values);
    let answer = |err: sea_orm::DbErr| {
        let e = AppError::from(err);
        (e.status().as_u16(), e.code())
    };
    let now = chrono::Utc::now();
    let insert_unit = |code: &str| {
        refused(
            "INSERT INTO unit (agency_id, name, code, created_at) VALUES ($1, $2, $3, $4)",
            vec![1i64.into(), "Phòng thử".into(), code.into(), now.into()],
        )
    };
    db.execute_raw(insert_unit("THU")).await.unwrap();
    // Unique and not-null constraints, on both databases.
    let err = db.execute_raw(insert_unit("THU")).await.unwrap_err();
    assert_eq!(answer(err), (409, "duplicate"));
    let err = db
        .execute_raw(refused(
            "INSERT INTO unit (agency_id, name, code, created_at) VALUES ($1, NULL, $2, $3)",
            vec![1i64.into(), "KHAC".into(), now.into()],
        ))
        .await
        .unwrap_err();
    assert_eq!(answer(err), (422, "missing_value"));
    // A fault is still a 500.
    let err = db.execute_unprepared("SELECT * FROM no_such_table").await.unwrap_err();
    assert_eq!(answer(err), (500, "internal_error"));

    if backend == DbBackend::Postgres {
        // SQLSTATE 22001: a string longer than its varchar.
        let err = db.execute_raw(insert_unit(&"X".repeat(41))).await.unwrap_err();
        assert_eq!(answer(err), (422, "value_too_long"));
        // 22008: a date PostgreSQL does not have.
        let far = chrono::NaiveDate::from_ymd_opt(-4713, 1, 1).unwrap();
        let err = db.query_one_raw(refused("SELECT $1::date AS d", vec![far.into()])).await.unwrap_err();
        assert_eq!(answer(err), (422, "date_out_of_range"));
        // 22003: a number out of its type's range.
        let err = db.execute_unprepared("SELECT 2147483648::int4").await.unwrap_err();
        assert_eq!(answer(err), (422, "number_out_of_range"));
        // 22007: text that is not a date.
        let err = db.execute_unprepared("SELECT 'not a date'::date").await.unwrap_err();
        assert_eq!(answer(err), (422, "date_out_of_range"));
    }
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
            json!({"username": 12, "password": "Sổ tiếp dân 2026", "full_name": "An", "role": "inspector"}),
        )
        .await
        .expect_error(422, "validation_failed");
    assert_eq!(fields(&wrong_type), json!({"username": ["Sai kiểu dữ liệu (cần chuỗi ký tự)."]}));
    let bad_role = app
        .post(
            "/api/v1/users",
            Some(&admin),
            json!({"username": "abc", "password": "Sổ tiếp dân 2026", "full_name": "An", "role": "superuser"}),
        )
        .await
        .expect_error(422, "validation_failed");
    let message = bad_role.body["error"]["fields"]["role"][0].as_str().unwrap();
    // The allowed values are wire words: the message names none of them.
    assert_eq!(message, "Giá trị không có trong danh sách được chọn.");
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
    // Said with the parameter's label, and filed under the parameter for a form to show.
    assert_eq!(message, "Vai trò: Giá trị không có trong danh sách được chọn.");
    assert_eq!(query.body["error"]["fields"]["role"][0], "Giá trị không có trong danh sách được chọn.");
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
