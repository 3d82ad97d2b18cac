//! Citizen reception: the heads' schedules over Tết and holidays, sessions of every kind, the
//! reception book (visits, groups, petitions opened and repeat visits), refusals with their
//! written-notice clock, conclusion directives tracked to completion, the weekly review, and the
//! book as XLSX.

use chrono::{Duration, TimeZone, Utc};
use serde_json::{Value, json};

use crate::support::TestApp;

/// An agency with two units, a chairman, a unit head per unit, an inspector, two receptionists.
struct Desk {
    app: TestApp,
    admin: String,
    unit: i64,
    other_unit: i64,
    chairman: String,
    chairman_id: i64,
    head: String,
    other_head: String,
    inspector: String,
    inspector_id: i64,
    desk: String,
    desk_id: i64,
    other_desk: String,
}

async fn desk_with(app: TestApp) -> Desk {
    let admin = app.admin().await;
    let unit = app.unit(&admin, "Thanh tra phường", "TTr").await;
    let other_unit = app.unit(&admin, "Phòng Kinh tế, Hạ tầng và Đô thị", "KT").await;
    let (chairman_id, chairman) = app.staff(&admin, "chutich", "chairman", None).await;
    let (_, head) = app.staff(&admin, "truongtt", "unit_head", Some(unit)).await;
    let (_, other_head) = app.staff(&admin, "truongkt", "unit_head", Some(other_unit)).await;
    let (inspector_id, inspector) = app.staff(&admin, "thanhtra1", "inspector", Some(unit)).await;
    let (desk_id, desk) = app.staff(&admin, "tiepdan1", "receptionist", None).await;
    let (_, other_desk) = app.staff(&admin, "tiepdan2", "receptionist", None).await;
    Desk {
        app,
        admin,
        unit,
        other_unit,
        chairman,
        chairman_id,
        head,
        other_head,
        inspector,
        inspector_id,
        desk,
        desk_id,
        other_desk,
    }
}

/// The office on Wednesday 25 Nov 2026.
async fn desk() -> Desk {
    desk_with(TestApp::new().await).await
}

/// Moves the test clock to 9:00 in Vietnam on a day.
fn at(app: &TestApp, y: i32, m: u32, d: u32) {
    app.clock.set(Utc.with_ymd_and_hms(y, m, d, 2, 0, 0).unwrap());
}

impl Desk {
    async fn sessions(&self, token: &str, from: &str, to: &str) -> Vec<Value> {
        let a = self
            .app
            .get(&format!("/api/v1/reception-sessions?from={from}&to={to}&per_page=200"), Some(token))
            .await
            .expect(200);
        a.body["items"].as_array().unwrap().clone()
    }

    async fn periodic(&self, from: &str, to: &str) -> Vec<(String, Value)> {
        self.sessions(&self.desk, from, to)
            .await
            .into_iter()
            .filter(|s| s["kind"] == "periodic")
            .map(|s| (s["date"].as_str().unwrap().to_owned(), s))
            .collect()
    }

    /// A regular desk session today, hosted by the first receptionist.
    async fn desk_session(&self) -> i64 {
        let today = self.app.clock.now_date();
        self.app
            .post(
                "/api/v1/reception-sessions",
                Some(&self.desk),
                json!({"kind": "regular", "date": today, "host_id": self.desk_id, "location": "Phòng tiếp công dân"}),
            )
            .await
            .expect(201)
            .body["id"]
            .as_i64()
            .unwrap()
    }

    async fn visit(&self, token: &str, session: i64, body: Value) -> crate::support::Answer {
        self.app.post(&format!("/api/v1/reception-sessions/{session}/visits"), Some(token), body).await
    }

    /// The chairman's weekly review of an ISO week.
    async fn review(&self, week: &str) -> Value {
        self.app
            .get(&format!("/api/v1/reviews/weekly?week={week}"), Some(&self.chairman))
            .await
            .expect(200)
            .body
    }

    /// The chairman's line in a week's review.
    async fn chairman_week(&self, week: &str) -> Value {
        let review = self.review(week).await;
        let heads = review["heads"].as_array().unwrap();
        heads.iter().find(|h| h["host_id"] == self.chairman_id).cloned().unwrap_or(Value::Null)
    }

    /// The admin sets the chairman's rule.
    async fn set_rule(&self, rule: Value) {
        self.app
            .put(&format!("/api/v1/reception-rules/{}", self.chairman_id), Some(&self.admin), rule)
            .await
            .expect(200);
    }

    /// Marks a session held.
    async fn hold(&self, session: &Value) {
        let id = session["id"].as_i64().unwrap();
        self.app
            .patch(
                &format!("/api/v1/reception-sessions/{id}"),
                Some(&self.chairman),
                json!({"status": "held"}),
            )
            .await
            .expect(200);
    }
}

/// Each week's (status, periodic_required, periodic_held, periodic_missed) in a series.
fn series_flags(series: &Value) -> Vec<(String, String, i64, i64, i64)> {
    series
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            let status =
                w["heads"].as_array().unwrap().first().map_or("-", |h| h["status"].as_str().unwrap());
            (
                w["week"].as_str().unwrap().to_owned(),
                status.to_owned(),
                w["periodic_required"].as_i64().unwrap(),
                w["periodic_held"].as_i64().unwrap(),
                w["periodic_missed"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn flags(rows: &[(&str, &str, i64, i64, i64)]) -> Vec<(String, String, i64, i64, i64)> {
    rows.iter().map(|(w, s, r, h, m)| ((*w).to_owned(), (*s).to_owned(), *r, *h, *m)).collect()
}

trait Today {
    fn now_date(&self) -> String;
}

impl Today for tiepdan::clock::FixedClock {
    fn now_date(&self) -> String {
        use tiepdan::clock::Clock;
        self.today().to_string()
    }
}

fn visit(name: &str, kind: &str) -> Value {
    json!({
        "visitor": {"full_name": name, "address": "Tổ 3, khu 5, phường Mẫu", "id_number": "001234567890"},
        "people_count": 1, "representatives": [],
        "summary": "Đề nghị xem xét lại việc bồi thường khi thu hồi đất thửa số 125.",
        "kind": kind, "within_competence": true, "accepted_by": "UBND phường Mẫu",
        "open_petition": false
    })
}

#[tokio::test]
async fn a_new_chairman_gets_thursday_sessions_at_once_and_the_list_includes_them() {
    let o = desk().await;
    let rule = o
        .app
        .get(&format!("/api/v1/reception-rules/{}", o.chairman_id), Some(&o.desk))
        .await
        .expect(200)
        .body;
    assert_eq!(rule["weekday"], 4);
    assert_eq!(rule["every"], "week");
    assert_eq!(rule["on_holiday"], "next_working_day");
    assert_eq!(rule["upcoming"][0], "2026-11-26");

    let first = o.periodic("2026-11-23", "2026-12-13").await;
    let dates: Vec<&str> = first.iter().map(|(d, _)| d.as_str()).collect();
    assert_eq!(dates, ["2026-11-26", "2026-12-03", "2026-12-10"]);
    let s = &first[0].1;
    assert_eq!(s["host_id"], o.chairman_id);
    assert_eq!(s["status"], "scheduled");
    assert_eq!(s["source"], "rule");
    assert!(s["id"].as_i64().is_some() && s["location"].as_str().unwrap().contains("UBND phường Mẫu"));
    // Reading again writes nothing new: the same sessions, the same ids.
    let again = o.periodic("2026-11-23", "2026-12-13").await;
    let ids = |v: &[(String, Value)]| v.iter().map(|(_, s)| s["id"].as_i64().unwrap()).collect::<Vec<_>>();
    assert_eq!(ids(&first), ids(&again));
    // Reading a later range leaves the sessions before it alone.
    o.periodic("2026-12-08", "2026-12-20").await;
    let later = o.periodic("2026-11-23", "2026-12-13").await;
    assert_eq!(ids(&first), ids(&later));
}

#[tokio::test]
async fn the_schedule_moves_off_tet_2026_and_tet_2027() {
    let app = TestApp::new().await;
    at(&app, 2026, 1, 5);
    let o = desk_with(app).await;
    // Tết 2026: off Sat 14 – Sun 22 Feb; Thursday 19 Feb moves to Monday 23 Feb.
    let feb = o.periodic("2026-02-09", "2026-02-27").await;
    let dates: Vec<&str> = feb.iter().map(|(d, _)| d.as_str()).collect();
    assert_eq!(dates, ["2026-02-12", "2026-02-23", "2026-02-26"]);
    assert_eq!(feb[1].1["nominal_date"], "2026-02-19");

    // Tết 2027 (Sat 6 Feb): Thursday 11 Feb is in the break and moves to the first working day after.
    let days = o.app.get("/api/v1/calendar/days?year=2027", None).await.expect(200).body;
    let off: Vec<String> = days
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["kind"] != "working_day")
        .map(|d| d["date"].as_str().unwrap().to_owned())
        .collect();
    assert!(off.contains(&"2027-02-11".to_owned()), "Thu 11 Feb 2027 is a Tết day off: {off:?}");
    let feb27 = o.periodic("2027-02-01", "2027-02-28").await;
    assert!(feb27.iter().all(|(d, _)| d != "2027-02-11"), "no session on a Tết day");
    let moved =
        feb27.iter().find(|(_, s)| s["nominal_date"] == "2027-02-11").expect("the Tết Thursday moved");
    assert!(
        moved.0.as_str() > "2027-02-11" && !off.contains(&moved.0),
        "moved to a working day: {}",
        moved.0
    );
    assert!(feb27.iter().any(|(d, _)| d == "2027-02-18"));
}

#[tokio::test]
async fn a_day_off_added_on_a_thursday_moves_the_session_everywhere() {
    let o = desk().await;
    let before = o.periodic("2026-11-30", "2026-12-06").await;
    assert_eq!(before.len(), 1);
    assert_eq!(before[0].0, "2026-12-03");
    let id = before[0].1["id"].as_i64().unwrap();

    o.app
        .put(
            "/api/v1/calendar/days/2026-12-03",
            Some(&o.admin),
            json!({"kind": "day_off", "name": "Nghỉ theo quyết định của Chủ tịch UBND tỉnh"}),
        )
        .await
        .expect(200);
    let after = o.periodic("2026-11-30", "2026-12-06").await;
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].0, "2026-12-04", "moved to Friday");
    assert_eq!(after[0].1["id"], id, "the same session");
    assert_eq!(after[0].1["nominal_date"], "2026-12-03");

    let public =
        o.app.get("/api/v1/public/reception-schedule?from=2026-11-30&to=2026-12-06", None).await.expect(200);
    assert_eq!(public.body[0]["date"], "2026-12-04");
    assert_eq!(public.body[0]["host_name"], "Cán bộ chutich");
    assert!(public.body[0].get("participants").is_none());
    let ics = o
        .app
        .get("/api/v1/public/reception-schedule.ics?from=2026-11-30&to=2026-12-06", None)
        .await
        .expect(200);
    assert!(ics.headers["content-type"].to_str().unwrap().starts_with("text/calendar"));
    let text = String::from_utf8(ics.bytes).unwrap();
    assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    assert!(text.contains("DTSTART;VALUE=DATE:20261204\r\n"));
    assert!(!text.contains("DTSTART;VALUE=DATE:20261203"));
    assert!(text.contains(&format!("UID:reception-session-{id}@tiepdan\r\n")));
    assert!(text.contains("SUMMARY:Tiếp công dân định kỳ – Cán bộ chutich\r\n"));
    assert!(text.contains("DTSTAMP:20261125T020000Z\r\n"));
    assert!(text.ends_with("END:VCALENDAR\r\n"));
}

#[tokio::test]
async fn the_heads_periodic_session_cannot_be_delegated() {
    let o = desk().await;
    o.app
        .post(
            "/api/v1/reception-sessions",
            Some(&o.chairman),
            json!({"kind": "periodic", "date": "2026-11-27", "host_id": o.inspector_id, "location": "Trụ sở UBND"}),
        )
        .await
        .expect_error(409, "delegation_not_allowed");
    let (_, s) = &o.periodic("2026-11-26", "2026-11-26").await[0];
    let id = s["id"].as_i64().unwrap();
    o.app
        .patch(
            &format!("/api/v1/reception-sessions/{id}"),
            Some(&o.chairman),
            json!({"host_id": o.inspector_id}),
        )
        .await
        .expect_error(409, "delegation_not_allowed");
    // The chairman may add a periodic session of his own on another day, once.
    let extra = json!({"kind": "periodic", "date": "2026-11-27", "host_id": o.chairman_id, "location": "Trụ sở UBND"});
    o.app.post("/api/v1/reception-sessions", Some(&o.chairman), extra.clone()).await.expect(201);
    o.app
        .post("/api/v1/reception-sessions", Some(&o.chairman), extra)
        .await
        .expect_error(409, "session_exists");
}

#[tokio::test]
async fn a_group_visit_with_too_many_representatives_is_refused() {
    let o = desk().await;
    let session = o.desk_session().await;
    let group = |people: i32, reps: usize| {
        let mut v = visit("Lê Văn Cường", "complaint");
        v["people_count"] = json!(people);
        v["representatives"] = json!((0..reps).map(|i| format!("Đại diện Số {}", i + 1)).collect::<Vec<_>>());
        v
    };
    let a = o.visit(&o.desk, session, group(8, 3)).await.expect_error(422, "validation_failed");
    assert!(a.body["error"]["fields"]["representatives"][0].as_str().unwrap().contains("1 hoặc 2"));
    o.visit(&o.desk, session, group(30, 6)).await.expect_error(422, "validation_failed");
    o.visit(&o.desk, session, group(6, 0)).await.expect_error(422, "validation_failed");
    let ok = o.visit(&o.desk, session, group(30, 5)).await.expect(201).body;
    assert_eq!(ok["people_count"], 30);
    assert_eq!(ok["representatives"].as_array().unwrap().len(), 5);
    o.visit(&o.desk, session, group(8, 2)).await.expect(201);
}

#[tokio::test]
async fn a_visit_that_opens_a_petition_is_linked_both_ways() {
    let o = desk().await;
    let session = o.desk_session().await;
    let mut body = visit("Nguyễn Văn An", "complaint");
    body["open_petition"] = json!(true);
    let v = o.visit(&o.desk, session, body).await.expect(201).body;
    assert_eq!(v["book_no"], 1);
    assert_eq!(v["book_year"], 2026);
    assert_eq!(v["opened_petition"], true);
    assert_eq!(v["repeat"], false);
    let pid = v["petition_id"].as_i64().expect("the petition's id on the visit");

    let p = o.app.get(&format!("/api/v1/petitions/{pid}"), Some(&o.desk)).await.expect(200).body;
    assert_eq!(p["kind"], "complaint");
    assert_eq!(p["channel"], "in_person");
    assert_eq!(p["status"], "received");
    assert_eq!(p["received_on"], "2026-11-25");
    assert_eq!(p["petitioner"]["full_name"], "Nguyễn Văn An");
    let trail = o.app.get(&format!("/api/v1/petitions/{pid}/events"), Some(&o.desk)).await.expect(200).body;
    let actions: Vec<&str> =
        trail.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["receive", "reception_visit"]);
    assert_eq!(trail[1]["changes"]["visit_id"], v["id"]);
    let back = o.app.get(&format!("/api/v1/petitions/{pid}/visits"), Some(&o.desk)).await.expect(200).body;
    assert_eq!(back[0]["id"], v["id"]);

    // The visit proved the session took place; the next line gets the next number.
    let s = o.app.get(&format!("/api/v1/reception-sessions/{session}"), Some(&o.desk)).await.expect(200).body;
    assert_eq!(s["status"], "held");
    assert_eq!(s["visits"].as_array().unwrap().len(), 1);
    let second = o.visit(&o.desk, session, visit("Phạm Thị Dung", "feedback")).await.expect(201).body;
    assert_eq!(second["book_no"], 2);
    assert_eq!(second["petition_id"], Value::Null);
}

#[tokio::test]
async fn a_repeat_visit_is_linked_to_its_case() {
    let o = desk().await;
    let filed = o
        .app
        .post(
            "/api/v1/petitions",
            Some(&o.desk),
            json!({"kind": "complaint", "channel": "post", "received_on": "2026-11-20",
                   "subject": "Khiếu nại quyết định thu hồi đất thửa số 125",
                   "content": "Tôi khiếu nại quyết định thu hồi đất số 12/QĐ-UBND.",
                   "petitioner": {"full_name": "Nguyễn Văn An", "address": "Tổ 3, phường Mẫu"}}),
        )
        .await
        .expect(201)
        .body;
    let pid = filed["id"].as_i64().unwrap();
    let session = o.desk_session().await;
    let mut body = visit("Nguyễn Văn An", "complaint");
    body["petition_id"] = json!(pid);
    let v = o.visit(&o.desk, session, body).await.expect(201).body;
    assert_eq!(v["petition_id"], pid);
    assert_eq!(v["repeat"], true);
    let trail = o.app.get(&format!("/api/v1/petitions/{pid}/events"), Some(&o.desk)).await.expect(200).body;
    let last = trail.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "reception_visit");
    assert_eq!(last["changes"]["repeat"], true);

    let mut unknown = visit("Nguyễn Văn An", "complaint");
    unknown["petition_id"] = json!(999_999);
    o.visit(&o.desk, session, unknown).await.expect_error(404, "not_found");
    let mut both = visit("Nguyễn Văn An", "complaint");
    both["petition_id"] = json!(pid);
    both["open_petition"] = json!(true);
    o.visit(&o.desk, session, both).await.expect_error(422, "validation_failed");
}

#[tokio::test]
async fn conclusion_directives_are_tracked_until_overdue_and_done() {
    let o = desk().await;
    at(&o.app, 2026, 11, 26);
    let (_, s) = &o.periodic("2026-11-26", "2026-11-26").await[0];
    let id = s["id"].as_i64().unwrap();
    let conclusion = json!({"text": "Giao các đơn vị xử lý kiến nghị của công dân.",
    "directives": [
        {"unit_id": o.unit, "task": "Kiểm tra hồ sơ thu hồi đất thửa 125", "due": "2026-12-01"},
        {"unit_id": o.other_unit, "task": "Rà soát hệ thống thoát nước tổ 3", "due": "2026-12-10"}
    ]});
    o.app
        .post(&format!("/api/v1/reception-sessions/{id}/conclusion"), Some(&o.chairman), conclusion.clone())
        .await
        .expect_error(409, "session_not_held");
    o.app
        .patch(&format!("/api/v1/reception-sessions/{id}"), Some(&o.chairman), json!({"status": "held"}))
        .await
        .expect(200);
    o.app
        .post(&format!("/api/v1/reception-sessions/{id}/conclusion"), Some(&o.desk), conclusion.clone())
        .await
        .expect_error(403, "forbidden");
    let done = o
        .app
        .post(&format!("/api/v1/reception-sessions/{id}/conclusion"), Some(&o.chairman), conclusion.clone())
        .await
        .expect(201)
        .body;
    assert_eq!(done["conclusion"], "Giao các đơn vị xử lý kiến nghị của công dân.");
    assert_eq!(done["directives"].as_array().unwrap().len(), 2);
    o.app
        .post(&format!("/api/v1/reception-sessions/{id}/conclusion"), Some(&o.chairman), conclusion)
        .await
        .expect_error(409, "already_concluded");

    // The unit head sees his unit's directive only.
    let mine = o.app.get("/api/v1/reception-directives", Some(&o.head)).await.expect(200).body;
    assert_eq!(mine["total"], 1);
    assert_eq!(mine["items"][0]["overdue"], false);
    assert_eq!(mine["items"][0]["nearly_due"], true, "due within three working days");
    o.app
        .get(&format!("/api/v1/reception-directives?unit_id={}", o.other_unit), Some(&o.head))
        .await
        .expect(403);

    // After its due date it is overdue, and listed first.
    at(&o.app, 2026, 12, 2);
    let all = o.app.get("/api/v1/reception-directives", Some(&o.chairman)).await.expect(200).body;
    assert_eq!(all["items"][0]["due"], "2026-12-01");
    assert_eq!(all["items"][0]["overdue"], true);
    assert_eq!(all["items"][1]["overdue"], false);
    let overdue =
        o.app.get("/api/v1/reception-directives?overdue=true", Some(&o.chairman)).await.expect(200).body;
    assert_eq!(overdue["total"], 1);
    let review = o.app.get("/api/v1/reviews/weekly?week=2026-W49", Some(&o.chairman)).await.expect(200).body;
    assert_eq!(review["overdue_directives"], 1);
    assert_eq!(review["overdue_directive_items"][0]["unit_name"], "Thanh tra phường");

    let did = all["items"][0]["id"].as_i64().unwrap();
    let complete = json!({"result": "Đã kiểm tra, báo cáo Chủ tịch UBND."});
    o.app
        .post(&format!("/api/v1/reception-directives/{did}/complete"), Some(&o.other_head), complete.clone())
        .await
        .expect_error(403, "forbidden");
    let d = o
        .app
        .post(&format!("/api/v1/reception-directives/{did}/complete"), Some(&o.head), complete.clone())
        .await
        .expect(200)
        .body;
    assert_eq!(d["status"], "done");
    assert_eq!(d["overdue"], false);
    o.app
        .post(&format!("/api/v1/reception-directives/{did}/complete"), Some(&o.head), complete)
        .await
        .expect_error(409, "invalid_transition");
}

#[tokio::test]
async fn a_missed_thursday_is_flagged_in_the_weekly_review() {
    let o = desk().await;
    o.periodic("2026-11-23", "2026-12-06").await;
    // Thursday 26 Nov passes without a session; Thursday 3 Dec is held with a visit.
    at(&o.app, 2026, 12, 3);
    let (_, dec3) = &o.periodic("2026-12-03", "2026-12-03").await[0];
    let mut group = visit("Trần Văn Bình", "recommendation");
    group["people_count"] = json!(12);
    group["representatives"] = json!(["Trần Văn Bình", "Lê Thị Hoa"]);
    o.visit(&o.chairman, dec3["id"].as_i64().unwrap(), group).await.expect(201);
    at(&o.app, 2026, 12, 4);

    let missed = o.periodic("2026-11-26", "2026-11-26").await;
    assert_eq!(missed[0].1["status"], "missed");
    let w48 = o.app.get("/api/v1/reviews/weekly?week=2026-W48", Some(&o.chairman)).await.expect(200).body;
    assert_eq!(w48["week"], "2026-W48");
    assert_eq!(w48["periodic_required"], 1);
    assert_eq!(w48["periodic_missed"], 1);
    assert_eq!(w48["heads"][0]["host_id"], o.chairman_id);
    assert_eq!(w48["heads"][0]["status"], "missed");
    let w49 = o.app.get("/api/v1/reviews/weekly?week=2026-W49", Some(&o.admin)).await.expect(200).body;
    assert_eq!(w49["heads"][0]["status"], "held");
    assert_eq!(w49["periodic_missed"], 0);
    assert_eq!(w49["visits"], 1);
    assert_eq!(w49["people"], 12);
    assert_eq!(w49["delegations"], 1);

    let series = o
        .app
        .get("/api/v1/reviews/weekly/series?from_week=2026-W48&to_week=2026-W49", Some(&o.chairman))
        .await
        .expect(200)
        .body;
    let flags: Vec<(&str, i64)> = series
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["week"].as_str().unwrap(), w["periodic_missed"].as_i64().unwrap()))
        .collect();
    assert_eq!(flags, [("2026-W48", 1), ("2026-W49", 0)]);

    o.app.get("/api/v1/reviews/weekly?week=2026-W48", Some(&o.desk)).await.expect_error(403, "forbidden");
    o.app
        .get("/api/v1/reviews/weekly?week=2026-48", Some(&o.chairman))
        .await
        .expect_error(400, "invalid_query");
    o.app
        .get("/api/v1/reviews/weekly/series?from_week=2025-W01&to_week=2026-W49", Some(&o.chairman))
        .await
        .expect_error(400, "invalid_query");
}

#[tokio::test]
async fn a_rule_change_does_not_rewrite_past_weekly_reviews() {
    let app = TestApp::new().await;
    // The chairman takes office on Monday 5 Oct 2026 (W41): Thursdays from that day.
    at(&app, 2026, 10, 5);
    let o = desk_with(app).await;
    // W41: Thursday 8 Oct is held (a visit proves it).
    at(&o.app, 2026, 10, 8);
    let (_, thu) = &o.periodic("2026-10-08", "2026-10-08").await[0];
    o.visit(&o.chairman, thu["id"].as_i64().unwrap(), visit("Nguyễn Văn An", "complaint")).await.expect(201);
    // W42: Thursday 15 Oct is on the schedule and passes without a session.
    at(&o.app, 2026, 10, 14);
    assert_eq!(o.periodic("2026-10-12", "2026-10-18").await.len(), 1);
    // Friday 23 Oct: nobody has opened W43 yet; its Thursday 22 Oct has passed too.
    at(&o.app, 2026, 10, 23);
    let w41 = o.chairman_week("2026-W41").await;
    let w42 = o.chairman_week("2026-W42").await;
    assert_eq!((w41["status"].as_str(), w41["held"].as_i64()), (Some("held"), Some(1)));
    assert_eq!((w42["status"].as_str(), w42["required"].as_bool()), (Some("missed"), Some(true)));

    // The admin changes the rule to the first Monday of each month (below a commune chairman's
    // weekly minimum, so with a reason).
    o.set_rule(json!({"weekday": 1, "every": "month", "on_holiday": "next_working_day",
                      "reason": "Chủ tịch đi học tập trung đến hết tháng 11."}))
        .await;
    assert_eq!(o.chairman_week("2026-W41").await, w41, "a held week stays held");
    assert_eq!(o.chairman_week("2026-W42").await, w42, "a missed week stays missed");
    let review = o.review("2026-W42").await;
    assert_eq!(
        (review["periodic_required"].as_i64(), review["periodic_missed"].as_i64()),
        (Some(1), Some(1))
    );
    // W43, first read after the change, is judged by the Thursday rule in force that week.
    let w43 = o.chairman_week("2026-W43").await;
    assert_eq!((w43["status"].as_str(), w43["required"].as_bool()), (Some("missed"), Some(true)));
    let thu22 = o.periodic("2026-10-19", "2026-10-25").await;
    assert_eq!(thu22.len(), 1);
    assert_eq!((thu22[0].0.as_str(), thu22[0].1["status"].as_str()), ("2026-10-22", Some("missed")));
    assert_eq!(w43["session_ids"], json!([thu22[0].1["id"]]));
    // Before the chairman took office nothing was required of him.
    assert_eq!(o.review("2026-W40").await["heads"], json!([]));
    // Ahead, the new rule: no session in W44, which the law still asks of a commune chairman;
    // Monday 2 Nov in W45.
    let w44 = o.chairman_week("2026-W44").await;
    assert_eq!((w44["status"].as_str(), w44["required"].as_bool()), (Some("unscheduled"), Some(true)));
    assert_eq!(w44["below_minimum"], true);
    assert_eq!(o.chairman_week("2026-W45").await["status"], "upcoming");
    assert_eq!(o.periodic("2026-10-26", "2026-11-08").await[0].0, "2026-11-02");

    // The series says the same, week by week.
    let series = o
        .app
        .get("/api/v1/reviews/weekly/series?from_week=2026-W40&to_week=2026-W45", Some(&o.chairman))
        .await
        .expect(200)
        .body;
    assert_eq!(
        series_flags(&series),
        flags(&[
            ("2026-W40", "-", 0, 0, 0),
            ("2026-W41", "held", 1, 1, 0),
            ("2026-W42", "missed", 1, 0, 1),
            ("2026-W43", "missed", 1, 0, 1),
            ("2026-W44", "unscheduled", 1, 0, 0),
            ("2026-W45", "upcoming", 1, 0, 0),
        ])
    );
    // And a second change, back to Thursdays, still leaves the past alone.
    o.set_rule(json!({"weekday": 4, "every": "week", "on_holiday": "next_working_day"})).await;
    let again = o
        .app
        .get("/api/v1/reviews/weekly/series?from_week=2026-W40&to_week=2026-W45", Some(&o.admin))
        .await
        .expect(200)
        .body;
    let mut expected = series_flags(&series);
    expected[4].1 = "upcoming".to_owned(); // Thursday 29 Oct
    assert_eq!(series_flags(&again), expected);
    assert_eq!(
        o.periodic("2026-10-26", "2026-11-08").await.iter().map(|(d, _)| d.as_str()).collect::<Vec<_>>(),
        ["2026-10-29", "2026-11-05"]
    );
}

#[tokio::test]
async fn a_rule_changed_mid_week_neither_invents_a_missed_session_nor_erases_one() {
    let app = TestApp::new().await;
    at(&app, 2026, 10, 5);
    let o = desk_with(app).await;
    // Monday 12 Oct: W42's Thursday is on the schedule.
    at(&o.app, 2026, 10, 12);
    assert_eq!(o.periodic("2026-10-12", "2026-10-18").await[0].0, "2026-10-15");
    // Wednesday 14 Oct: the sessions move to Tuesdays. No session was ever set for Tuesday 13 Oct,
    // and Thursday's is withdrawn before its day: no missed session is invented. The law still
    // asks a commune chairman for one this week: on Friday it is not set yet.
    at(&o.app, 2026, 10, 14);
    o.set_rule(json!({"weekday": 2, "every": "week", "on_holiday": "next_working_day"})).await;
    assert!(o.periodic("2026-10-12", "2026-10-18").await.is_empty());
    at(&o.app, 2026, 10, 16);
    let w42 = o.review("2026-W42").await;
    assert_eq!(w42["heads"][0]["status"], "unscheduled");
    assert_eq!(w42["heads"][0]["session_ids"], json!([]));
    assert_eq!((w42["periodic_required"].as_i64(), w42["periodic_missed"].as_i64()), (Some(1), Some(0)));
    // W43 follows the new rule: Tuesday 20 Oct.
    assert_eq!(o.periodic("2026-10-19", "2026-10-25").await[0].0, "2026-10-20");

    // Wednesday 21 Oct, Tuesday gone unheld: the sessions move to Fridays. Tuesday stays missed,
    // Friday 23 Oct is added, and holding it answers for the week.
    at(&o.app, 2026, 10, 21);
    o.set_rule(json!({"weekday": 5, "every": "week", "on_holiday": "next_working_day"})).await;
    let w43 = o.chairman_week("2026-W43").await;
    assert_eq!((w43["status"].as_str(), w43["required"].as_bool()), (Some("upcoming"), Some(true)));
    let sessions = o.periodic("2026-10-19", "2026-10-25").await;
    let shown: Vec<(&str, &str)> =
        sessions.iter().map(|(d, s)| (d.as_str(), s["status"].as_str().unwrap())).collect();
    assert_eq!(shown, [("2026-10-20", "missed"), ("2026-10-23", "scheduled")]);
    assert_eq!(w43["session_ids"].as_array().unwrap().len(), 2);
    at(&o.app, 2026, 10, 23);
    o.hold(&sessions[1].1).await;
    let w43 = o.review("2026-W43").await;
    assert_eq!(w43["heads"][0]["status"], "held");
    assert_eq!((w43["periodic_held"].as_i64(), w43["periodic_missed"].as_i64()), (Some(1), Some(0)));
    // Had Friday gone unheld too, the week would be missed: W44's Friday 30 Oct.
    at(&o.app, 2026, 11, 2);
    assert_eq!(o.chairman_week("2026-W44").await["status"], "missed");
    // W42 passed without a session: missed by the weekly minimum, still with no session of its own.
    let w42_later = o.review("2026-W42").await;
    assert_eq!(w42_later["heads"][0]["status"], "missed");
    assert_eq!(w42_later["heads"][0]["session_ids"], json!([]));
    assert_eq!(
        (w42_later["periodic_required"].as_i64(), w42_later["periodic_missed"].as_i64()),
        (Some(1), Some(1))
    );
}

#[tokio::test]
async fn thursday_30_april_2026_moves_the_session_to_monday_4_may_in_the_weekly_review() {
    let app = TestApp::new().await;
    // Tuesday 28 Apr 2026 (Monday 27 is the Giỗ Tổ day off); 30 Apr and 1 May are holidays.
    at(&app, 2026, 4, 28);
    let o = desk_with(app).await;
    let w18 = o.chairman_week("2026-W18").await;
    assert_eq!((w18["status"].as_str(), w18["required"].as_bool()), (Some("upcoming"), Some(true)));
    let moved = o.periodic("2026-04-27", "2026-05-10").await;
    let dates: Vec<&str> = moved.iter().map(|(d, _)| d.as_str()).collect();
    assert_eq!(dates, ["2026-05-04", "2026-05-07"]);
    assert_eq!(moved[0].1["nominal_date"], "2026-04-30");
    assert_eq!(w18["session_ids"], json!([moved[0].1["id"]]), "W18's session, held in W19");

    // Held on Monday 4 May: it answers for W18, not for W19, which has its own Thursday.
    at(&o.app, 2026, 5, 4);
    o.hold(&moved[0].1).await;
    at(&o.app, 2026, 5, 5);
    let w18 = o.review("2026-W18").await;
    assert_eq!(w18["heads"][0]["status"], "held");
    assert_eq!((w18["periodic_held"].as_i64(), w18["periodic_missed"].as_i64()), (Some(1), Some(0)));
    let w19 = o.review("2026-W19").await;
    assert_eq!(w19["heads"][0]["status"], "upcoming");
    assert_eq!(w19["heads"][0]["held"], 0);
    assert_eq!(w19["heads"][0]["session_ids"], json!([moved[1].1["id"]]));
    assert_eq!(w19["sessions_by_kind"]["periodic"]["held"], 1, "Monday's session took place in W19's days");
    // Thursday 7 May passes unheld: W19 is missed, W18 stays held.
    at(&o.app, 2026, 5, 8);
    let series = o
        .app
        .get("/api/v1/reviews/weekly/series?from_week=2026-W18&to_week=2026-W19", Some(&o.chairman))
        .await
        .expect(200)
        .body;
    assert_eq!(
        series_flags(&series),
        flags(&[("2026-W18", "held", 1, 1, 0), ("2026-W19", "missed", 1, 0, 1)])
    );
}

#[tokio::test]
async fn a_periodic_session_set_by_hand_on_the_rules_day_answers_for_the_week() {
    let o = desk().await;
    let by_hand = |date: &str| {
        o.app.post(
            "/api/v1/reception-sessions",
            Some(&o.chairman),
            json!({"kind": "periodic", "date": date, "host_id": o.chairman_id, "location": "Nhà văn hóa tổ 3"}),
        )
    };
    // Before anyone reads W50, the chairman sets Thursday 10 Dec himself: it is that
    // occurrence's session, and unheld it leaves the week missed.
    let own = by_hand("2026-12-10").await.expect(201).body;
    let w50 = o.periodic("2026-12-07", "2026-12-13").await;
    assert_eq!(w50.len(), 1);
    let s = &w50[0].1;
    assert_eq!((s["id"].clone(), s["nominal_date"].clone()), (own["id"].clone(), json!("2026-12-10")));
    assert_eq!((s["source"].as_str(), s["location"].as_str()), (Some("manual"), Some("Nhà văn hóa tổ 3")));
    at(&o.app, 2026, 12, 11);
    let week = o.chairman_week("2026-W50").await;
    assert_eq!((week["status"].as_str(), week["session_ids"].clone()), (Some("missed"), json!([own["id"]])));

    // Thursday 24 Dec set by hand, then the rule moves to Mondays: the session stays where the
    // chairman put it, and Monday 21 Dec is the week's occurrence.
    let own = by_hand("2026-12-24").await.expect(201).body;
    o.periodic("2026-12-21", "2026-12-27").await;
    o.set_rule(json!({"weekday": 1, "every": "week", "on_holiday": "next_working_day"})).await;
    let w52 = o.periodic("2026-12-21", "2026-12-27").await;
    let shown: Vec<(&str, Value)> =
        w52.iter().map(|(d, s)| (d.as_str(), s["nominal_date"].clone())).collect();
    assert_eq!(shown, [("2026-12-21", json!("2026-12-21")), ("2026-12-24", Value::Null)]);
    assert_eq!(w52[1].1["id"], own["id"]);
}

#[tokio::test]
async fn the_weekly_review_counts_refusal_notices_overdue_on_the_day_it_is_read() {
    let o = desk().await;
    let session = o.desk_session().await;
    let url = format!("/api/v1/reception-sessions/{session}/refusals");
    let refuse = |ground: &str, grounds_on: Option<&str>| {
        o.app.post(
            &url,
            Some(&o.desk),
            json!({"visitor": "Hoàng Văn Em", "ground": ground, "grounds_on": grounds_on}),
        )
    };
    // Refused today, Wed 25 Nov, on grounds established on 10 Nov: the notice was due on 13 Nov.
    let old = refuse("already_resolved", Some("2026-11-10")).await.expect(201).body;
    assert_eq!(
        (old["notice_due"].as_str(), old["notice_overdue"].as_bool()),
        (Some("2026-11-13"), Some(true))
    );
    // Grounds of today: due Mon 30 Nov. On the spot: no notice.
    refuse("already_answered_nothing_new", None).await.expect(201);
    refuse("threats_or_insults", None).await.expect(201);
    let pending =
        o.app.get("/api/v1/reception-refusals?pending_notice=true", Some(&o.chairman)).await.expect(200).body;
    let overdue = pending.as_array().unwrap().iter().filter(|r| r["notice_overdue"] == true).count();
    assert_eq!(overdue, 1);
    let w48 = o.review("2026-W48").await;
    assert_eq!(w48["refusals"], 3);
    assert_eq!(w48["refusal_notices_overdue"], 1, "the list and the review agree today");

    // Wed 2 Dec: both notices are late now; W48, counted on Mon 30 Nov, had only the first.
    at(&o.app, 2026, 12, 2);
    assert_eq!(o.review("2026-W49").await["refusal_notices_overdue"], 2);
    assert_eq!(o.review("2026-W48").await["refusal_notices_overdue"], 1);
    // The first notice goes out today: no longer late now, but it was at W48's end.
    let id = old["id"].as_i64().unwrap();
    o.app
        .post(&format!("/api/v1/reception-refusals/{id}/notice"), Some(&o.chairman), json!({}))
        .await
        .expect(200);
    assert_eq!(o.review("2026-W49").await["refusal_notices_overdue"], 1);
    assert_eq!(o.review("2026-W48").await["refusal_notices_overdue"], 1);
}

#[tokio::test]
async fn a_rule_stored_before_histories_is_in_force_from_its_last_change() {
    use migration::{Migrator, MigratorTrait};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    use tiepdan::entity::reception_rule;
    let o = desk().await;
    // A database of the version before histories: the rule set in October, last changed to
    // Tuesdays at 03:00 on Tue 10 Nov in Vietnam (still 9 Nov in UTC).
    let db = &o.app.state.db.writer;
    // The rule history (000005) and every migration after it.
    let since_history = Migrator::migrations()
        .iter()
        .rev()
        .position(|m| m.name() == "m20261201_000005_reception_rule_history")
        .expect("the rule history's migration") as u32
        + 1;
    Migrator::down(db, Some(since_history)).await.expect("roll back the rule history");
    reception_rule::Entity::update_many()
        .col_expr(reception_rule::Column::Weekday, Expr::value(2i16))
        .col_expr(
            reception_rule::Column::CreatedAt,
            Expr::value(Utc.with_ymd_and_hms(2026, 10, 1, 2, 0, 0).unwrap()),
        )
        .col_expr(
            reception_rule::Column::UpdatedAt,
            Expr::value(Utc.with_ymd_and_hms(2026, 11, 9, 20, 0, 0).unwrap()),
        )
        .filter(reception_rule::Column::HostId.eq(o.chairman_id))
        .exec(db)
        .await
        .unwrap();
    Migrator::up(db, None).await.expect("migrate again");

    // Tuesdays from 10 Nov; what the rule said before is not known, so nothing is set before it.
    let dates: Vec<String> =
        o.periodic("2026-11-02", "2026-11-29").await.into_iter().map(|(d, _)| d).collect();
    assert_eq!(dates, ["2026-11-10", "2026-11-17", "2026-11-24"]);
    assert_eq!(o.review("2026-W45").await["heads"], json!([]));
    assert_eq!(o.chairman_week("2026-W46").await["status"], "missed");
}

#[tokio::test]
async fn the_weekly_review_counts_new_petitions_overdue_work_on_time_and_satisfaction() {
    let o = desk().await;
    let filed = o
        .app
        .post(
            "/api/v1/petitions",
            Some(&o.desk),
            json!({"kind": "feedback", "channel": "in_person", "received_on": "2026-11-25",
                   "subject": "Phản ánh đèn chiếu sáng ngõ 4 hỏng", "content": "Đèn chiếu sáng ngõ 4 hỏng đã hai tuần.",
                   "petitioner": {"full_name": "Đỗ Văn Nam", "address": "Ngõ 4, phường Mẫu"},
                   "assignee_id": o.inspector_id, "unit_id": o.unit}),
        )
        .await
        .expect(201)
        .body;
    let pid = filed["id"].as_i64().unwrap();
    let w48 = o.app.get("/api/v1/reviews/weekly?week=2026-W48", Some(&o.chairman)).await.expect(200).body;
    assert_eq!(w48["new_petitions"], 1);
    assert_eq!(w48["new_petitions_by_kind"]["feedback"], 1);
    assert_eq!(w48["overdue_cases"], 0);

    // Ten working days later the reception notice is overdue: whose is it?
    o.app.clock.advance(Duration::days(20));
    let now = o.app.get("/api/v1/reviews/weekly", Some(&o.chairman)).await.expect(200).body;
    assert_eq!(now["overdue_cases"], 1);
    assert_eq!(now["overdue_by_owner"][0]["assignee_id"], o.inspector_id);
    assert_eq!(now["overdue_by_owner"][0]["unit_name"], "Thanh tra phường");
    assert_eq!(now["overdue_items"][0]["id"], pid);

    // Resolved late, then rated 5: the week's on-time rate is 0%, satisfaction 100%.
    let v = o
        .app
        .post(
            &format!("/api/v1/petitions/{pid}/actions"),
            Some(&o.inspector),
            json!({"action": "resolve", "result": "Đã thay đèn chiếu sáng ngõ 4."}),
        )
        .await
        .expect(200);
    {
        let code = v.body["tracking_code"].as_str().unwrap().to_owned();
        o.app
            .post(
                &format!("/api/v1/public/petitions/{code}/rating"),
                None,
                json!({"score": 5, "comment": "Cảm ơn"}),
            )
            .await
            .expect(201);
        let week = o.app.get("/api/v1/reviews/weekly", Some(&o.chairman)).await.expect(200).body;
        assert_eq!(week["closed"], 1);
        assert_eq!(week["closed_late"], 1);
        assert_eq!(week["on_time_rate"], 0.0);
        assert_eq!(week["ratings"], 1);
        assert_eq!(week["satisfaction_rate"], 100.0);
        assert_eq!(week["overdue_cases"], 0);

        // Last week it was overdue, and stays so in last week's review once resolved late (its
        // clock ended after the week); so does the series, week by week.
        let w50 = o.app.get("/api/v1/reviews/weekly?week=2026-W50", Some(&o.chairman)).await.expect(200).body;
        assert_eq!(w50["as_of"], "2026-12-14");
        assert_eq!(w50["overdue_cases"], 1);
        assert_eq!(w50["overdue_by_owner"][0]["assignee_id"], o.inspector_id);
        assert_eq!(w50["overdue_by_owner"][0]["count"], 1);
        assert_eq!(w50["overdue_items"][0]["id"], pid);
        assert_eq!(w50["overdue_items"][0]["unit_name"], "Thanh tra phường");
        let series = o
            .app
            .get("/api/v1/reviews/weekly/series?from_week=2026-W48&to_week=2026-W51", Some(&o.chairman))
            .await
            .expect(200)
            .body;
        let overdue: Vec<_> = series.as_array().unwrap().iter().map(|w| w["overdue_cases"].clone()).collect();
        assert_eq!(overdue, [json!(0), json!(0), json!(1), json!(0)]);
        assert_eq!(series[2]["overdue_items"], json!([]));
    }
}

#[tokio::test]
async fn the_reception_book_exports_as_the_official_spreadsheet() {
    use calamine::{Reader, Xlsx};
    let o = desk().await;
    let session = o.desk_session().await;
    o.visit(&o.desk, session, visit("Nguyễn Văn An", "complaint")).await.expect(201);
    let mut recommendation = visit("Phạm Thị Dung", "recommendation");
    recommendation["people_count"] = json!(3);
    recommendation["guided_to"] = json!("Tòa án nhân dân khu vực 1");
    recommendation["guidance_letter_no"] = json!("15/HD-UBND");
    recommendation["within_competence"] = json!(false);
    o.visit(&o.desk, session, recommendation).await.expect(201);
    let mut denunciation = visit("Trần Thị Bích", "denunciation");
    denunciation["open_petition"] = json!(true);
    o.visit(&o.desk, session, denunciation).await.expect(201);

    let a = o
        .app
        .get("/api/v1/reception-book.xlsx?from=2026-11-01&to=2026-11-30", Some(&o.head))
        .await
        .expect(200);
    assert_eq!(
        a.headers["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(a.bytes)).expect("a valid XLSX");
    let sheet = book.worksheet_range_at(0).expect("one sheet").expect("readable");
    let rows: Vec<Vec<String>> = sheet.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    assert_eq!(rows[0][0], "SỔ TIẾP CÔNG DÂN");
    let expected = [
        "STT",
        "Ngày tiếp",
        "Họ và tên, địa chỉ",
        "Số CCCD/CMND/Hộ chiếu hoặc giấy tờ tùy thân khác",
        "Nội dung vụ việc",
        "Phân loại đơn, vụ việc (KN, TC, KN, PA)",
        "Số người cùng nội dung",
        "Cơ quan đã giải quyết hết thẩm quyền",
        "Thuộc thẩm quyền (x)",
        "Hướng dẫn đến cơ quan; số văn bản hướng dẫn",
        "Cơ quan thụ lý; số văn bản chuyển đơn",
        "Theo dõi kết quả giải quyết",
        "Ghi chú",
    ];
    assert_eq!(rows[3], expected, "the form's headers, in its order");
    assert_eq!(rows[4][12], "(13)");
    let lines = &rows[5..];
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0][0], "1");
    // Numbers are stored as numbers and the day as a date, so that a spreadsheet sums and sorts them.
    let cell = |row: u32, col: u32| sheet.get_value((row, col)).cloned().expect("a cell");
    assert_eq!(cell(5, 0), calamine::Data::Float(1.0));
    assert_eq!(cell(6, 6), calamine::Data::Float(3.0));
    match cell(5, 1) {
        calamine::Data::DateTime(d) => assert_eq!(d.as_f64(), 46351.0, "25/11/2026 as a date serial"),
        other => panic!("the day is not a date: {other:?}"),
    }
    assert!(matches!(cell(5, 2), calamine::Data::String(_)));
    assert_eq!(lines[0][2], "Nguyễn Văn An, Tổ 3, khu 5, phường Mẫu");
    assert_eq!(lines[0][5], "KN");
    assert_eq!(lines[0][8], "x");
    assert_eq!(lines[1][5], "KN", "a recommendation prints KN too");
    assert_eq!(lines[1][6], "3");
    assert_eq!(lines[1][9], "Tòa án nhân dân khu vực 1; 15/HD-UBND");
    assert_eq!(lines[2][5], "TC");
    // The unit head may not see a denouncer: redacted in the export.
    assert_eq!(lines[2][2], "Bảo mật danh tính");
    assert_eq!(lines[2][3], "Bảo mật danh tính");
    assert!(!rows.iter().flatten().any(|c| c.contains("Trần Thị Bích")));

    // JSON: the officer who received the denunciation sees it; another receptionist does not.
    let mine = o
        .app
        .get("/api/v1/reception-book?from=2026-11-01&to=2026-11-30", Some(&o.desk))
        .await
        .expect(200)
        .body;
    assert_eq!(mine["headers"].as_array().unwrap().len(), 13);
    assert_eq!(mine["lines"][2]["cells"][2], "Trần Thị Bích, Tổ 3, khu 5, phường Mẫu");
    let other = o
        .app
        .get("/api/v1/reception-book?from=2026-11-01&to=2026-11-30", Some(&o.other_desk))
        .await
        .expect(200)
        .body;
    assert_eq!(other["lines"][2]["cells"][2], "Bảo mật danh tính");
    assert_eq!(other["lines"][2]["identity_redacted"], true);
    assert!(!other.to_string().contains("Trần Thị Bích"));
    let s = o
        .app
        .get(&format!("/api/v1/reception-sessions/{session}/visits"), Some(&o.other_desk))
        .await
        .expect(200)
        .body;
    assert_eq!(s[2]["visitor"], Value::Null);
    assert!(!s.to_string().contains("Trần Thị Bích"));
}

#[tokio::test]
async fn a_refusal_needing_a_written_notice_has_a_three_working_day_deadline() {
    let o = desk().await;
    let session = o.desk_session().await;
    let url = format!("/api/v1/reception-sessions/{session}/refusals");
    let r = o
        .app
        .post(
            &url,
            Some(&o.desk),
            json!({"visitor": "Hoàng Văn Em", "ground": "already_answered_nothing_new"}),
        )
        .await
        .expect(201)
        .body;
    assert_eq!(r["notice_required"], true);
    assert!(r["ground_source"].as_str().unwrap().contains("điểm h"));
    // From Wed 25 Nov: Thu 26, Fri 27, Mon 30.
    assert_eq!(r["notice_due"], "2026-11-30");
    assert_eq!(r["notice_overdue"], false);
    let on_the_spot = o
        .app
        .post(
            &url,
            Some(&o.desk),
            json!({"visitor": {"full_name": "Vũ Văn Phong"}, "ground": "threats_or_insults"}),
        )
        .await
        .expect(201)
        .body;
    assert_eq!(on_the_spot["notice_required"], false);
    assert_eq!(on_the_spot["notice_due"], Value::Null);
    o.app
        .post(&url, Some(&o.desk), json!({"visitor": "Hoàng Văn Em", "ground": "bad_mood"}))
        .await
        .expect(422);
    o.app
        .post(&url, Some(&o.admin), json!({"visitor": "Hoàng Văn Em", "ground": "not_a_petition"}))
        .await
        .expect(403);

    at(&o.app, 2026, 12, 1);
    let pending =
        o.app.get("/api/v1/reception-refusals?pending_notice=true", Some(&o.chairman)).await.expect(200).body;
    assert_eq!(pending.as_array().unwrap().len(), 1);
    assert_eq!(pending[0]["notice_overdue"], true);
    let id = pending[0]["id"].as_i64().unwrap();
    let sent = o
        .app
        .post(
            &format!("/api/v1/reception-refusals/{id}/notice"),
            Some(&o.chairman),
            json!({"notice_no": "01/TB-UBND"}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(sent["notice_sent_on"], "2026-12-01");
    assert_eq!(sent["notice_overdue"], false);
    o.app
        .post(&format!("/api/v1/reception-refusals/{id}/notice"), Some(&o.chairman), json!({}))
        .await
        .expect_error(409, "notice_already_sent");
    let pending =
        o.app.get("/api/v1/reception-refusals?pending_notice=true", Some(&o.chairman)).await.expect(200).body;
    assert_eq!(pending, json!([]));
}

#[tokio::test]
async fn online_sessions_need_five_working_days_notice_and_a_recording() {
    let o = desk().await;
    let online = |date: &str| {
        json!({"kind": "online", "date": date, "host_id": o.chairman_id, "location": "Phòng họp trực tuyến UBND",
               "meeting_link": "https://hop.example/tiep-dan"})
    };
    let a = o
        .app
        .post("/api/v1/reception-sessions", Some(&o.chairman), online("2026-12-01"))
        .await
        .expect_error(422, "validation_failed");
    assert!(a.body["error"]["fields"]["date"][0].as_str().unwrap().contains("02/12/2026"));
    let s = o
        .app
        .post("/api/v1/reception-sessions", Some(&o.chairman), online("2026-12-02"))
        .await
        .expect(201)
        .body;
    assert_eq!(s["notice_on"], "2026-11-25");
    let id = s["id"].as_i64().unwrap();
    let url = format!("/api/v1/reception-sessions/{id}");
    o.app
        .patch(&url, Some(&o.chairman), json!({"status": "held"}))
        .await
        .expect_error(409, "invalid_transition");
    at(&o.app, 2026, 12, 2);
    o.app
        .patch(&url, Some(&o.chairman), json!({"status": "held"}))
        .await
        .expect_error(422, "validation_failed");
    let held = o
        .app
        .patch(
            &url,
            Some(&o.chairman),
            json!({"status": "held", "recording_ref": "LT-2026-12-02-001", "note_taker_id": o.desk_id}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(held["status"], "held");
    assert_eq!(held["note_taker_id"], o.desk_id);
    o.app
        .patch(&url, Some(&o.chairman), json!({"status": "cancelled", "cancel_reason": "Hoãn"}))
        .await
        .expect_error(409, "invalid_transition");
}

#[tokio::test]
async fn unscheduled_sessions_record_their_legal_trigger() {
    let o = desk().await;
    let body = json!({"kind": "unscheduled", "date": "2026-11-25", "host_id": o.chairman_id, "location": "Tổ dân phố 3"});
    let a = o
        .app
        .post("/api/v1/reception-sessions", Some(&o.chairman), body.clone())
        .await
        .expect_error(422, "validation_failed");
    assert!(a.body["error"]["fields"]["trigger"].is_array());
    let mut with = body;
    with["trigger"] = json!("serious_harm");
    with["trigger_note"] = json!("Nguy cơ sạt lở, đe dọa tính mạng người dân tổ 3.");
    let s = o.app.post("/api/v1/reception-sessions", Some(&o.chairman), with).await.expect(201).body;
    assert_eq!(s["trigger"], "serious_harm");
    assert!(s["trigger_source"].as_str().unwrap().contains("Điều 18 khoản 3 điểm b"));
}

#[tokio::test]
async fn reception_is_for_the_agencys_staff_by_role() {
    let o = desk().await;
    let (_, citizen) = o.app.citizen("congdan").await;
    o.app.get("/api/v1/reception-sessions", Some(&citizen)).await.expect_error(403, "forbidden");
    o.app.get("/api/v1/reception-book", Some(&citizen)).await.expect_error(403, "forbidden");
    o.app.get("/api/v1/reception-sessions", None).await.expect(401);
    o.app
        .post(
            "/api/v1/reception-sessions",
            Some(&o.head),
            json!({"kind": "regular", "date": "2026-11-25", "host_id": o.desk_id, "location": "Phòng tiếp"}),
        )
        .await
        .expect_error(403, "forbidden");
    let session = o.desk_session().await;
    o.visit(&o.admin, session, visit("Nguyễn Văn An", "complaint")).await.expect_error(403, "forbidden");
    o.visit(&citizen, session, visit("Nguyễn Văn An", "complaint")).await.expect_error(403, "forbidden");
    o.visit(&o.inspector, session, visit("Nguyễn Văn An", "complaint")).await.expect(201);
    o.app
        .put(
            &format!("/api/v1/reception-rules/{}", o.chairman_id),
            Some(&o.chairman),
            json!({"weekday": 2, "every": "week", "on_holiday": "skip"}),
        )
        .await
        .expect_error(403, "forbidden");
    o.app.get("/api/v1/reception-sessions/999999", Some(&o.desk)).await.expect_error(404, "not_found");
}

#[tokio::test]
async fn an_admin_changes_a_heads_rule_and_the_schedule_follows() {
    let o = desk().await;
    let before = o.periodic("2026-11-30", "2026-12-13").await;
    assert_eq!(before.iter().map(|(d, _)| d.as_str()).collect::<Vec<_>>(), ["2026-12-03", "2026-12-10"]);
    let rule = o
        .app
        .put(
            &format!("/api/v1/reception-rules/{}", o.chairman_id),
            Some(&o.admin),
            json!({"weekday": 1, "every": "month", "on_holiday": "next_working_day", "location": "Phòng tiếp công dân UBND",
                   "reason": "Chủ tịch kiêm nhiệm hai xã trong tháng 12."}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(rule["weekday_label"], "Thứ Hai");
    assert_eq!(
        (rule["below_minimum"].as_bool(), rule["reason"].as_str()),
        (Some(true), Some("Chủ tịch kiêm nhiệm hai xã trong tháng 12."))
    );
    assert_eq!(rule["upcoming"][0], "2026-12-07");
    let after = o.periodic("2026-11-30", "2027-01-10").await;
    assert_eq!(after.iter().map(|(d, _)| d.as_str()).collect::<Vec<_>>(), ["2026-12-07", "2027-01-04"]);
    assert_eq!(after[0].1["location"], "Phòng tiếp công dân UBND");

    // A user made chairman gets the default rule; one who stops being chairman has it switched off.
    let (vice_id, _) = o.app.staff(&o.admin, "phochutich", "inspector", None).await;
    o.app.get(&format!("/api/v1/reception-rules/{vice_id}"), Some(&o.admin)).await.expect(404);
    o.app
        .patch(&format!("/api/v1/users/{vice_id}"), Some(&o.admin), json!({"role": "chairman"}))
        .await
        .expect(200);
    let r = o.app.get(&format!("/api/v1/reception-rules/{vice_id}"), Some(&o.admin)).await.expect(200).body;
    assert_eq!((r["weekday"].as_i64(), r["active"].as_bool()), (Some(4), Some(true)));
    o.app
        .patch(&format!("/api/v1/users/{vice_id}"), Some(&o.admin), json!({"role": "inspector"}))
        .await
        .expect(200);
    let r = o.app.get(&format!("/api/v1/reception-rules/{vice_id}"), Some(&o.admin)).await.expect(200).body;
    assert_eq!(r["active"], false);
    assert_eq!(r["upcoming"], json!([]));
}

#[tokio::test]
async fn bad_reception_input_is_a_json_4xx() {
    let o = desk().await;
    let bad = [
        "/api/v1/reception-sessions?from=2026-12-10&to=2026-12-01",
        "/api/v1/reception-sessions?from=hom-nay",
        "/api/v1/reception-sessions?from=2026-01-01&to=2027-06-01",
        "/api/v1/reception-sessions?status=lost",
        "/api/v1/reception-book?from=1800-01-01&to=1800-02-01",
        "/api/v1/public/reception-schedule?from=2026-13-01",
    ];
    for url in bad {
        let a = o.app.get(url, Some(&o.desk)).await;
        assert_eq!(a.status.as_u16(), 400, "{url}: {}", a.body);
        assert_eq!(a.code(), "invalid_query", "{url}");
    }
    o.app.get("/api/v1/reception-sessions/abc", Some(&o.desk)).await.expect_error(400, "invalid_path");
    let post = |body: Value| o.app.post("/api/v1/reception-sessions", Some(&o.desk), body);
    post(json!({"kind": "weekly", "date": "2026-11-25", "host_id": o.desk_id, "location": "Phòng tiếp"}))
        .await
        .expect_error(422, "validation_failed");
    post(json!({"kind": "regular", "date": "25/11/2026", "host_id": o.desk_id, "location": "Phòng tiếp"}))
        .await
        .expect_error(422, "validation_failed");
    post(json!({"kind": "regular", "date": "2026-11-28", "host_id": o.desk_id, "location": "Phòng tiếp"}))
        .await
        .expect_error(422, "validation_failed");
    post(json!({"kind": "regular", "date": "2026-11-25", "host_id": 999_999, "location": "Phòng tiếp"}))
        .await
        .expect_error(422, "validation_failed");
    post(json!({"kind": "regular", "date": "2026-11-25", "host_id": o.desk_id, "location": "x".repeat(400)}))
        .await
        .expect_error(422, "validation_failed");
    let raw = axum::http::Request::builder()
        .method("POST")
        .uri("/api/v1/reception-sessions")
        .header("authorization", format!("Bearer {}", o.desk))
        .header("content-type", "application/json")
        .body(axum::body::Body::from("{\"kind\": "))
        .unwrap();
    o.app.send(raw).await.expect_error(400, "malformed_json");
    let rule_url = format!("/api/v1/reception-rules/{}", o.chairman_id);
    let rule = |body: Value| o.app.put(&rule_url, Some(&o.admin), body);
    rule(json!({"weekday": 9, "every": "week", "on_holiday": "skip"}))
        .await
        .expect_error(422, "validation_failed");
    rule(json!({"weekday": 4, "every": "year", "on_holiday": "skip"}))
        .await
        .expect_error(422, "validation_failed");
    o.app
        .put(
            &format!("/api/v1/reception-rules/{}", o.inspector_id),
            Some(&o.admin),
            json!({"weekday": 4, "every": "week", "on_holiday": "skip"}),
        )
        .await
        .expect_error(422, "validation_failed");
    let session = o.desk_session().await;
    let mut v = visit("Nguyễn Văn An", "complaint");
    v["people_count"] = json!(0);
    v["visitor"]["full_name"] = json!("");
    let a = o.visit(&o.desk, session, v).await.expect_error(422, "validation_failed");
    assert!(a.body["error"]["fields"]["people_count"].is_array());
    assert!(a.body["error"]["fields"]["visitor.full_name"].is_array());
    let tomorrow = o
        .app
        .post(
            "/api/v1/reception-sessions",
            Some(&o.desk),
            json!({"kind": "regular", "date": "2026-11-26", "host_id": o.desk_id, "location": "Phòng tiếp"}),
        )
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    o.visit(&o.desk, tomorrow, visit("Nguyễn Văn An", "complaint"))
        .await
        .expect_error(409, "invalid_transition");
    o.app
        .patch(
            &format!("/api/v1/reception-sessions/{tomorrow}"),
            Some(&o.desk),
            json!({"date": "2026-11-28"}),
        )
        .await
        .expect_error(422, "validation_failed");
}

/// The public schedule of the weeks ahead: its session ids, and the .ics feed's text.
async fn published(app: &TestApp) -> (Vec<i64>, String) {
    let json = app
        .get("/api/v1/public/reception-schedule?from=2026-11-25&to=2026-12-31", None)
        .await
        .expect(200)
        .body;
    let ids = json.as_array().unwrap().iter().map(|s| s["id"].as_i64().unwrap()).collect();
    let ics = app
        .get("/api/v1/public/reception-schedule.ics?from=2026-11-25&to=2026-12-31", None)
        .await
        .expect(200);
    (ids, String::from_utf8(ics.bytes).unwrap())
}

/// A published session's hours, as set and as said.
async fn public_hours(app: &TestApp, id: i64) -> (Value, String) {
    let all = app
        .get("/api/v1/public/reception-schedule?from=2026-11-25&to=2026-12-31", None)
        .await
        .expect(200)
        .body;
    let s = all.as_array().unwrap().iter().find(|s| s["id"] == id).cloned().unwrap();
    (s["hours"].clone(), s["hours_label"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn a_mistaken_session_is_corrected_or_cancelled_and_leaves_the_public_schedule() {
    let o = desk().await;
    let created = o
        .app
        .post(
            "/api/v1/reception-sessions",
            Some(&o.desk),
            json!({"kind": "unscheduled", "date": "2026-11-27", "host_id": o.chairman_id,
                   "location": "Nhà văn hóa tổ 9", "trigger": "serious_harm"}),
        )
        .await
        .expect(201)
        .body;
    let id = created["id"].as_i64().unwrap();
    let url = format!("/api/v1/reception-sessions/{id}");
    assert!(published(&o.app).await.0.contains(&id), "published once set");

    // Its day, place and host are corrected while the book has no line of it.
    let fixed = o
        .app
        .patch(
            &url,
            Some(&o.desk),
            json!({"date": "2026-11-30", "location": "Hội trường UBND phường", "host_id": o.desk_id}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(
        (fixed["date"].as_str(), fixed["location"].as_str()),
        (Some("2026-11-30"), Some("Hội trường UBND phường"))
    );
    assert_eq!(fixed["host_id"], o.desk_id);
    let (ids, ics) = published(&o.app).await;
    assert!(ids.contains(&id) && ics.contains("Hội trường UBND phường"), "the schedule shows the correction");
    // Its hours, said and cleared again (then the office's working hours are said).
    let said =
        o.app.patch(&url, Some(&o.desk), json!({"hours": " Chiều 14 giờ – 17 giờ "})).await.expect(200).body;
    assert_eq!(said["hours"], "Chiều 14 giờ – 17 giờ");
    assert_eq!(
        public_hours(&o.app, id).await,
        (json!("Chiều 14 giờ – 17 giờ"), "Chiều 14 giờ – 17 giờ".to_owned())
    );
    assert!(published(&o.app).await.1.replace("\r\n ", "").contains("Giờ tiếp: Chiều 14 giờ – 17 giờ."));
    o.app.patch(&url, Some(&o.desk), json!({"hours": null})).await.expect(200);
    assert_eq!(public_hours(&o.app, id).await, (Value::Null, "Trong giờ làm việc của cơ quan".to_owned()));
    let long = o
        .app
        .patch(&url, Some(&o.desk), json!({"hours": "x".repeat(101)}))
        .await
        .expect_error(422, "validation_failed");
    assert!(long.body["error"]["fields"]["hours"].is_array());

    // Cancelling is the chairman's or the admin's, with a reason.
    o.app
        .patch(&url, Some(&o.desk), json!({"status": "cancelled", "cancel_reason": "Lập nhầm"}))
        .await
        .expect_error(403, "forbidden");
    let no_reason = o
        .app
        .patch(&url, Some(&o.chairman), json!({"status": "cancelled"}))
        .await
        .expect_error(422, "validation_failed");
    assert!(no_reason.body["error"]["fields"]["cancel_reason"].is_array());
    let cancelled = o
        .app
        .patch(&url, Some(&o.chairman), json!({"status": "cancelled", "cancel_reason": "Lập nhầm buổi tiếp"}))
        .await
        .expect(200)
        .body;
    assert_eq!(
        (cancelled["status"].as_str(), cancelled["cancel_reason"].as_str()),
        (Some("cancelled"), Some("Lập nhầm buổi tiếp"))
    );

    // Taken off the public schedule, JSON and feed alike; staff still see it, cancelled.
    let (ids, ics) = published(&o.app).await;
    assert!(!ids.contains(&id), "{ids:?}");
    assert!(!ics.contains(&format!("UID:reception-session-{id}@")), "{ics}");
    let staff = o.sessions(&o.chairman, "2026-11-30", "2026-11-30").await;
    assert!(staff.iter().any(|s| s["id"] == id && s["status"] == "cancelled"));
    // The admin may cancel too (here: a session set for next week).
    let other = o
        .app
        .post(
            "/api/v1/reception-sessions",
            Some(&o.desk),
            json!({"kind": "regular", "date": "2026-12-01", "host_id": o.desk_id, "location": "Phòng tiếp công dân"}),
        )
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    o.app
        .patch(
            &format!("/api/v1/reception-sessions/{other}"),
            Some(&o.admin),
            json!({"status": "cancelled", "cancel_reason": "Trùng lịch"}),
        )
        .await
        .expect(200);
}

#[tokio::test]
async fn a_session_opened_today_reads_as_taking_place_and_keeps_its_book_s_day_place_and_host() {
    let o = desk().await;
    let session = o.desk_session().await;
    let url = format!("/api/v1/reception-sessions/{session}");
    let s = o.app.get(&url, Some(&o.desk)).await.expect(200).body;
    assert_eq!(
        (s["status"].as_str(), s["status_label"].as_str()),
        (Some("scheduled"), Some("Hôm nay: đang tiếp công dân"))
    );
    let listed = o.sessions(&o.desk, "2026-11-25", "2026-11-25").await;
    assert!(listed.iter().any(|x| x["id"] == session && x["status_label"] == "Hôm nay: đang tiếp công dân"));

    o.visit(&o.desk, session, visit("Nguyễn Văn An", "complaint")).await.expect(201);
    for (token, change) in [
        (&o.desk, json!({"location": "Phòng 2"})),
        (&o.desk, json!({"date": "2026-11-26"})),
        (&o.desk, json!({"host_id": o.chairman_id})),
        (&o.chairman, json!({"status": "cancelled", "cancel_reason": "Nhầm"})),
    ] {
        let refused =
            o.app.patch(&url, Some(token), change.clone()).await.expect_error(409, "session_has_visits");
        let message = refused.body["error"]["message"].as_str().unwrap();
        assert!(message.starts_with("Buổi tiếp đã có 1 lượt tiếp ghi trong sổ"), "{change}: {message}");
    }
    // What does not move the book's lines may still be set.
    let named = o
        .app
        .patch(
            &url,
            Some(&o.desk),
            json!({"participants": ["Cán bộ Thanh tra"], "location": "Phòng tiếp công dân"}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(named["participants"], json!(["Cán bộ Thanh tra"]));
    assert_eq!(named["status_label"], "Đã tiếp");
}

#[tokio::test]
async fn the_heads_schedule_says_its_hours_on_the_public_schedule() {
    let o = desk().await;
    o.set_rule(json!({"weekday": 4, "every": "week", "on_holiday": "next_working_day",
                      "location": "Phòng tiếp công dân", "hours": "Sáng 7 giờ 30 – 11 giờ 30"}))
        .await;
    let rules = o.app.get("/api/v1/reception-rules", Some(&o.admin)).await.expect(200).body;
    assert_eq!(rules[0]["hours"], "Sáng 7 giờ 30 – 11 giờ 30");
    let all = o
        .app
        .get("/api/v1/public/reception-schedule?from=2026-11-25&to=2026-12-31", None)
        .await
        .expect(200)
        .body;
    let thursdays: Vec<&Value> = all.as_array().unwrap().iter().filter(|s| s["kind"] == "periodic").collect();
    assert!(!thursdays.is_empty());
    for s in thursdays {
        assert_eq!(s["hours_label"], "Sáng 7 giờ 30 – 11 giờ 30", "{s}");
        assert_eq!(s["location"], "Phòng tiếp công dân");
    }
}
