//! The petition register: intake, the workflow of each kind, clocks, forwarding, identity
//! protection, search and the audit trail.

use serde_json::{Value, json};

use crate::support::TestApp;

/// An agency with a unit, a chairman, a unit head, two inspectors and two receptionists.
#[allow(dead_code)] // fixtures shared by several test modules
pub struct Office {
    pub app: TestApp,
    pub admin: String,
    pub unit: i64,
    pub chairman: String,
    pub chairman_id: i64,
    pub head: String,
    pub inspector: String,
    pub inspector_id: i64,
    pub other_inspector: String,
    pub desk: String,
    pub desk_id: i64,
    pub other_desk: String,
}

pub async fn office() -> Office {
    office_of(TestApp::new().await).await
}

/// [`office`] on `app` as it stands (its clock set, say).
pub async fn office_of(app: TestApp) -> Office {
    let admin = app.admin().await;
    let unit = app.unit(&admin, "Thanh tra phường", "TTr").await;
    let (chairman_id, chairman) = app.staff(&admin, "chutich", "chairman", None).await;
    let (_, head) = app.staff(&admin, "truongtt", "unit_head", Some(unit)).await;
    let (inspector_id, inspector) = app.staff(&admin, "thanhtra1", "inspector", Some(unit)).await;
    let (_, other_inspector) = app.staff(&admin, "thanhtra2", "inspector", Some(unit)).await;
    let (desk_id, desk) = app.staff(&admin, "tiepdan1", "receptionist", None).await;
    let (_, other_desk) = app.staff(&admin, "tiepdan2", "receptionist", None).await;
    Office {
        app,
        admin,
        unit,
        chairman,
        chairman_id,
        head,
        inspector,
        inspector_id,
        other_inspector,
        desk,
        desk_id,
        other_desk,
    }
}

pub fn complaint() -> Value {
    json!({
        "kind": "complaint", "channel": "in_person", "received_on": "2026-11-25",
        "subject": "Khiếu nại quyết định thu hồi đất thửa số 125",
        "content": "Tôi khiếu nại quyết định thu hồi đất số 12/QĐ-UBND vì chưa bồi thường thỏa đáng.",
        "petitioner": {"full_name": "Nguyễn Văn An", "id_number": "001234567890", "address": "Tổ 3, khu 5, phường Mẫu", "phone": "0912345678"},
        "anonymous": false, "signatories": 1
    })
}

pub fn denunciation() -> Value {
    json!({
        "kind": "denunciation", "channel": "post", "received_on": "2026-11-25",
        "subject": "Tố cáo cán bộ địa chính nhận tiền khi cấp giấy chứng nhận",
        "content": "Cán bộ địa chính phường đòi tiền khi làm thủ tục cấp giấy chứng nhận quyền sử dụng đất.",
        "petitioner": {"full_name": "Trần Thị Bích", "id_number": "036189001122", "address": "Số 8 ngõ 4, phường Mẫu"},
        "anonymous": false, "signatories": 1
    })
}

impl Office {
    pub async fn file(&self, token: &str, body: Value) -> Value {
        self.app.post("/api/v1/petitions", Some(token), body).await.expect(201).body
    }

    pub async fn act(&self, token: &str, id: i64, body: Value) -> crate::support::Answer {
        self.app.post(&format!("/api/v1/petitions/{id}/actions"), Some(token), body).await
    }

    pub async fn view(&self, token: &str, id: i64) -> Value {
        self.app.get(&format!("/api/v1/petitions/{id}"), Some(token)).await.expect(200).body
    }
}

pub fn clock<'a>(view: &'a Value, name: &str) -> Option<&'a Value> {
    view["deadlines"].as_array()?.iter().find(|d| d["clock"] == name)
}

#[tokio::test]
async fn a_complaint_walks_from_receipt_to_resolution_with_its_clocks() {
    let o = office().await;
    let v = o.file(&o.desk, complaint()).await;
    let id = v["id"].as_i64().unwrap();
    assert_eq!(v["status"], "received");
    assert_eq!(v["kind"], "complaint");
    assert!(v["tracking_code"].as_str().unwrap().starts_with("TD-"));
    assert_eq!(v["petitioner"]["full_name"], "Nguyễn Văn An", "the receiving officer sees the complainant");
    // Received after 1 Jul 2026: 7 working days to accept (ND 155/2026), from Wed 25 Nov.
    let acceptance = clock(&v, "complaint_acceptance").expect("acceptance clock");
    assert_eq!(acceptance["due"], "2026-12-04");
    assert_eq!(acceptance["unit"], "working");
    assert_eq!(acceptance["rule_set"], "2026-07");
    // 45 calendar days: Sat 9 Jan 2027 rolls to Mon 11 Jan.
    assert_eq!(clock(&v, "unhandled_alarm").unwrap()["due"], "2027-01-11");
    assert_eq!(v["next_due"], "2026-12-04");
    assert!(v["allowed_actions"].as_array().unwrap().contains(&json!("guide")));

    // The chairman routes it ("5 rõ": person, unit, leader, expected result).
    let v = o
        .act(
            &o.chairman,
            id,
            json!({"action": "assign", "assignee_id": o.inspector_id, "unit_id": o.unit,
                                      "expected_result": "Quyết định giải quyết khiếu nại lần đầu"}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(v["assignee_id"], o.inspector_id);
    assert_eq!(v["unit_id"], o.unit);
    assert_eq!(v["assignee_name"], "Cán bộ thanhtra1");
    assert_eq!(v["unit_name"], "Thanh tra phường");

    let v = o.act(&o.inspector, id, json!({"action": "accept"})).await.expect(200).body;
    assert_eq!(v["status"], "accepted");
    assert!(clock(&v, "complaint_acceptance").is_none(), "the acceptance clock is met");
    // 30 days from acceptance on 25 Nov: Fri 25 Dec 2026.
    assert_eq!(clock(&v, "complaint_resolution_1").unwrap()["due"], "2026-12-25");

    o.act(&o.inspector, id, json!({"action": "resolve", "result": "Giữ nguyên quyết định thu hồi đất."}))
        .await
        .expect_error(422, "validation_failed");
    let v = o
        .act(&o.inspector, id, json!({"action": "resolve", "result": "Giữ nguyên quyết định thu hồi đất.", "conclusion": "wrong"}))
        .await
        .expect(200)
        .body;
    assert_eq!(v["status"], "resolved");
    assert_eq!(v["conclusion"], "wrong");
    // Only the duty to send the decision runs (3 working days: 26, 27, 30 Nov); the second
    // complaint's period is shown for information. Once sent, nothing runs.
    let running: Vec<&str> = v["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["state"] == "running")
        .map(|d| d["clock"].as_str().unwrap())
        .collect();
    assert_eq!(running, ["complaint_decision_send_1"], "{v}");
    assert_eq!(v["next_due"], "2026-11-30");
    send_notices(&o, &o.inspector, id).await;
    let v = o.view(&o.inspector, id).await;
    assert!(v["deadlines"].as_array().unwrap().iter().all(|d| d["state"] == "informational"), "{v}");
    assert_eq!(v["next_due"], Value::Null);
    assert_eq!(v["overdue"], false);

    let trail =
        o.app.get(&format!("/api/v1/petitions/{id}/events"), Some(&o.chairman)).await.expect(200).body;
    let actions: Vec<&str> =
        trail.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["receive", "assign", "accept", "resolve", "notice_sent", "notice_sent"]);
    let trail = trail.as_array().unwrap();
    assert_eq!(trail[2]["from_status"], "received");
    assert_eq!(trail[2]["to_status"], "accepted");
    for pair in trail.windows(2) {
        assert_eq!(pair[1]["prev_hash"], pair[0]["hash"], "each event hashes the previous one");
    }
}

/// Moves the test clock to 9:00 (Vietnam) on `date`.
pub fn go_to(o: &Office, date: &str) {
    let day = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
    let at = day.and_hms_opt(2, 0, 0).unwrap().and_utc();
    o.app.clock.set(at);
}

/// Records every written notice of case `id` not yet sent as sent today, by post: their clocks
/// are met (the agency did its duty on time).
pub async fn send_notices(o: &Office, token: &str, id: i64) -> Vec<Value> {
    let list = o.app.get(&format!("/api/v1/petitions/{id}/notices"), Some(token)).await.expect(200).body;
    let mut sent = Vec::new();
    for n in list.as_array().unwrap().iter().filter(|n| n["sent_on"].is_null()) {
        let url = format!("/api/v1/notices/{}/sent", n["id"]);
        sent.push(o.app.post(&url, Some(token), json!({"channel": "post"})).await.expect(200).body);
    }
    sent
}

pub async fn accepted(o: &Office, body: Value) -> i64 {
    let id = o.file(&o.desk, body).await["id"].as_i64().unwrap();
    o.act(&o.chairman, id, json!({"action": "assign", "assignee_id": o.inspector_id, "unit_id": o.unit}))
        .await
        .expect(200);
    o.act(&o.inspector, id, json!({"action": "accept"})).await.expect(200);
    id
}

#[tokio::test]
async fn an_inspector_accepting_from_the_unassigned_pool_becomes_the_handler() {
    let o = office().await;
    let id = o.file(&o.desk, complaint()).await["id"].as_i64().unwrap();
    let v = o.act(&o.inspector, id, json!({"action": "accept"})).await.expect(200).body;
    assert_eq!(v["assignee_id"], o.inspector_id);
    assert_eq!(v["unit_id"], o.unit);
    // Now theirs: another inspector may no longer act on it.
    o.act(&o.other_inspector, id, json!({"action": "suspend", "reason": "Chờ giám định"}))
        .await
        .expect_error(403, "forbidden");
}

#[tokio::test]
async fn a_suspension_stops_a_denunciation_clock_and_skips_the_suspended_days() {
    let o = office().await;
    let id = accepted(&o, denunciation()).await;
    send_notices(&o, &o.inspector, id).await;
    let v = o.view(&o.chairman, id).await;
    // 30 days from acceptance on Wed 25 Nov: Fri 25 Dec 2026.
    assert_eq!(clock(&v, "denunciation_resolution").unwrap()["due"], "2026-12-25");

    go_to(&o, "2026-12-05");
    let v = o
        .act(
            &o.inspector,
            id,
            json!({"action": "suspend", "reason": "Chờ kết quả giám định của cơ quan chuyên môn"}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(v["status"], "suspended");
    let c = clock(&v, "denunciation_resolution").unwrap();
    assert_eq!(c["paused"], true);
    assert_eq!(v["overdue"], false);
    assert!(v["allowed_actions"].as_array().unwrap().contains(&json!("resume")));

    go_to(&o, "2026-12-10");
    let v = o.act(&o.inspector, id, json!({"action": "resume"})).await.expect(200).body;
    assert_eq!(v["status"], "accepted");
    // The 5 suspended days are not counted: 25 Dec + 5 = Wed 30 Dec.
    let c = clock(&v, "denunciation_resolution").unwrap();
    assert_eq!(c["due"], "2026-12-30");
    assert_eq!(c["paused"], false);

    let explained =
        o.app.get(&format!("/api/v1/petitions/{id}/deadlines"), Some(&o.chairman)).await.expect(200).body;
    let resolution =
        explained.as_array().unwrap().iter().find(|d| d["clock"] == "denunciation_resolution").unwrap();
    assert!(!resolution["explanation"].as_array().unwrap().is_empty());
    // The legal source as officials cite it, also in the explanation's first line.
    assert_eq!(
        resolution["source"],
        "Luật Tố cáo 2018, Điều 30, Điều 34 khoản 2; Nghị định 31/2019/NĐ-CP, Điều 3"
    );
    let first_line = resolution["explanation"][0].as_str().unwrap();
    assert!(
        first_line.contains("(Luật Tố cáo 2018, Điều 30, Điều 34 khoản 2; Nghị định 31/2019/NĐ-CP, Điều 3)"),
        "{first_line}"
    );
}

#[tokio::test]
async fn a_complaint_clock_restarts_in_full_when_resolution_continues() {
    let o = office().await;
    let id = accepted(&o, complaint()).await;
    go_to(&o, "2026-12-05");
    o.act(&o.inspector, id, json!({"action": "suspend", "reason": "Chờ kết quả của cơ quan khác"}))
        .await
        .expect(200);
    go_to(&o, "2026-12-10");
    let v = o.act(&o.inspector, id, json!({"action": "resume"})).await.expect(200).body;
    // 30 days from the continuation on 10 Dec: Sat 9 Jan 2027 rolls to Mon 11 Jan.
    assert_eq!(clock(&v, "complaint_resolution_1").unwrap()["due"], "2027-01-11");
}

#[tokio::test]
async fn extensions_follow_the_complexity_caps() {
    let o = office().await;
    let id = accepted(&o, denunciation()).await;
    o.act(&o.inspector, id, json!({"action": "extend", "days": 31, "reason": "Vụ việc phức tạp"}))
        .await
        .expect(409);
    let v = o
        .act(&o.inspector, id, json!({"action": "extend", "days": 30, "reason": "Vụ việc phức tạp"}))
        .await
        .expect(200)
        .body;
    assert_eq!(v["complexity"], "complex");
    assert_eq!(clock(&v, "denunciation_resolution").unwrap()["limit_days"], 60);
    // A complex case gets one extension; a second needs the especially complex finding.
    o.act(&o.inspector, id, json!({"action": "extend", "days": 10, "reason": "Thêm nữa"})).await.expect(409);
    let v = o
        .act(&o.inspector, id, json!({"action": "extend", "days": 30, "reason": "Đặc biệt phức tạp: nhiều địa điểm, nhiều người", "complexity": "especially_complex"}))
        .await
        .expect(200)
        .body;
    assert_eq!(clock(&v, "denunciation_resolution").unwrap()["limit_days"], 90);
    assert!(!v["allowed_actions"].as_array().unwrap().is_empty());

    // A complaint's "extension" is the longer limit of a complex case (30 → 45), once.
    let c = accepted(&o, complaint()).await;
    let v = o
        .act(
            &o.inspector,
            c,
            json!({"action": "extend", "days": 15, "reason": "Nhiều nội dung cần xác minh"}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(clock(&v, "complaint_resolution_1").unwrap()["limit_days"], 45);
    assert!(!v["allowed_actions"].as_array().unwrap().contains(&json!("extend")));
    // The trail records the days the law grants (15), not fewer asked for.
    let asked_less = accepted(&o, complaint()).await;
    o.act(
        &o.inspector,
        asked_less,
        json!({"action": "extend", "days": 5, "reason": "Hai địa điểm xác minh"}),
    )
    .await
    .expect(200);
    let events = o
        .app
        .get(&format!("/api/v1/petitions/{asked_less}/events"), Some(&o.chairman))
        .await
        .expect(200)
        .body;
    let extension = events.as_array().unwrap().iter().find(|e| e["action"] == "extend").unwrap();
    assert_eq!(extension["changes"]["days"], 15, "{extension}");
    assert_eq!(extension["changes"]["requested_days"], 5, "{extension}");
    o.act(&o.inspector, c, json!({"action": "extend", "days": 5, "reason": "Lần nữa"}))
        .await
        .expect_error(409, "extension_not_allowed");
}

#[tokio::test]
async fn a_forward_between_two_agencies_arrives_there_and_its_result_flows_back() {
    let o = office().await;
    let other = o
        .app
        .post("/api/v1/agencies", Some(&o.admin), json!({"name": "UBND phường Bên Cạnh", "level": "commune"}))
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    o.app
        .post("/api/v1/users", Some(&o.admin), json!({"username": "chutich.bc", "password": "Sổ tiếp dân 2026", "full_name": "Lê Văn Bình", "role": "chairman", "agency_id": other}))
        .await
        .expect(201);
    let their_chairman = o.app.login("chutich.bc", "Sổ tiếp dân 2026").await;

    let mut body = complaint();
    body["kind"] = json!("recommendation");
    body["subject"] = json!("Kiến nghị sửa chữa cống thoát nước khu giáp ranh");
    let id = o.file(&o.desk, body).await["id"].as_i64().unwrap();
    let v = o
        .act(&o.chairman, id, json!({"action": "forward", "to_agency_id": other, "letter_no": "45/UBND-TTr"}))
        .await
        .expect(200)
        .body;
    assert_eq!(v["status"], "forwarded");
    assert_eq!(v["forwarded_to"]["agency_id"], other);
    // The citizen is owed the 10-day notice of where it went (Law 42/2013 Art. 28(1)): its
    // sending meets it.
    let owed: Vec<&Value> = v["deadlines"].as_array().unwrap().iter().collect();
    assert_eq!(owed.len(), 1, "{}", v["deadlines"]);
    assert_eq!(
        (owed[0]["clock"].as_str(), owed[0]["state"].as_str()),
        (Some("reception_notice"), Some("running"))
    );
    send_notices(&o, &o.chairman, id).await;
    assert_eq!(o.view(&o.chairman, id).await["deadlines"], json!([]));
    let copy = v["forwarded_to"]["copy_id"].as_i64().unwrap();

    // Not ours to open, theirs to handle.
    o.app.get(&format!("/api/v1/petitions/{copy}"), Some(&o.chairman)).await.expect_error(404, "not_found");
    let theirs = o.view(&their_chairman, copy).await;
    assert_eq!(theirs["status"], "received");
    assert_eq!(theirs["agency_id"], other);
    assert_eq!(theirs["channel"], "forwarded");
    assert_eq!(theirs["forwarding_body"], "UBND phường Mẫu");
    assert_eq!(theirs["forwarding_doc_no"], "45/UBND-TTr");
    assert_eq!(theirs["origin"]["id"], id);
    assert_eq!(theirs["origin"]["relation"], "forwarded_from");
    assert_eq!(theirs["petitioner"]["full_name"], "Nguyễn Văn An");
    assert!(clock(&theirs, "reception_notice").is_some());
    let listed = o.app.get("/api/v1/petitions", Some(&their_chairman)).await.expect(200).body;
    assert_eq!(listed["total"], 1);
    o.app.get(&format!("/api/v1/petitions/{id}"), Some(&their_chairman)).await.expect_error(404, "not_found");

    o.act(&their_chairman, copy, json!({"action": "accept"})).await.expect(200);
    o.act(&their_chairman, copy, json!({"action": "resolve", "result": "Đã sửa chữa cống thoát nước."}))
        .await
        .expect(200);

    let back = o.view(&o.chairman, id).await;
    assert_eq!(back["forwarded_to"]["result"], "Đã sửa chữa cống thoát nước.");
    assert_eq!(back["forwarded_to"]["result_on"], "2026-11-25");
    let trail =
        o.app.get(&format!("/api/v1/petitions/{id}/events"), Some(&o.chairman)).await.expect(200).body;
    assert_eq!(trail.as_array().unwrap().last().unwrap()["action"], "forward_result");
}

#[tokio::test]
async fn a_second_round_complaint_is_a_new_case_linked_to_the_first() {
    let o = office().await;
    let first = accepted(&o, complaint()).await;
    o.act(
        &o.inspector,
        first,
        json!({"action": "resolve", "result": "Không có cơ sở.", "conclusion": "wrong"}),
    )
    .await
    .expect(200);
    go_to(&o, "2026-12-02");
    let second = o
        .act(
            &o.desk,
            first,
            json!({"action": "reopen", "reason": "Không đồng ý với quyết định giải quyết lần đầu."}),
        )
        .await
        .expect(200)
        .body;
    let second_id = second["id"].as_i64().unwrap();
    assert_ne!(second_id, first);
    assert_eq!(second["round"], 2);
    assert_eq!(second["status"], "received");
    assert_eq!(second["origin"], json!({"id": first, "relation": "second_round_of", "tracking_code": null}));
    assert_eq!(second["petitioner"]["full_name"], "Nguyễn Văn An");
    let original = o.view(&o.chairman, first).await;
    assert_eq!(original["derived"][0]["id"], second_id);
    assert_eq!(original["status"], "resolved");

    o.act(&o.chairman, second_id, json!({"action": "accept"})).await.expect(200);
    let v = o.view(&o.chairman, second_id).await;
    // Second round: 45 days from 2 Dec: Sat 16 Jan 2027 rolls to Mon 18 Jan.
    assert_eq!(clock(&v, "complaint_resolution_2").unwrap()["due"], "2027-01-18");
    // The second round's dialogue is mandatory (ND 124/2020 Art. 28).
    let minutes = json!({"action": "record_dialogue", "minutes": "Đối thoại với người khiếu nại."});
    o.act(&o.chairman, second_id, minutes).await.expect(200);
    o.act(
        &o.chairman,
        second_id,
        json!({"action": "resolve", "result": "Giữ nguyên.", "conclusion": "wrong"}),
    )
    .await
    .expect(200);
    o.act(&o.chairman, second_id, json!({"action": "reopen"})).await.expect_error(409, "invalid_transition");

    // A further denunciation reviews a concluded one within 20 days.
    let d = accepted(&o, denunciation()).await;
    o.act(
        &o.inspector,
        d,
        json!({"action": "resolve", "result": "Tố cáo không đúng.", "conclusion": "wrong"}),
    )
    .await
    .expect(200);
    let further = o
        .act(&o.chairman, d, json!({"action": "reopen", "reason": "Có chứng cứ mới."}))
        .await
        .expect(200)
        .body;
    assert_eq!(further["origin"]["relation"], "further_denunciation_of");
    // 20 days from 2 Dec: Tue 22 Dec.
    assert_eq!(clock(&further, "further_denunciation_review").unwrap()["due"], "2026-12-22");
}

#[tokio::test]
async fn withdrawals_close_a_case_or_let_the_rest_of_a_group_continue() {
    let o = office().await;
    let id = accepted(&o, complaint()).await;
    let v = o
        .act(
            &o.desk,
            id,
            json!({"action": "withdraw", "partial": false, "note": "Người khiếu nại có đơn xin rút."}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(v["status"], "withdrawn");
    // Only the termination decision's sending is left (3 working days: 26, 27, 30 Nov).
    let left: Vec<&str> =
        v["deadlines"].as_array().unwrap().iter().map(|d| d["clock"].as_str().unwrap()).collect();
    assert_eq!(left, ["complaint_suspension_send"]);
    assert_eq!(v["next_due"], "2026-11-30");
    assert_eq!(v["allowed_actions"], json!([]));

    // A group denunciation: two of six withdraw, the others go on.
    let mut group = denunciation();
    group["signatories"] = json!(6);
    group["representatives"] = json!([{"full_name": "Trần Thị Bích", "address": "Số 8 ngõ 4"}, {"full_name": "Lý Văn Cường", "address": "Số 10 ngõ 4"}]);
    let g = accepted(&o, group).await;
    let v = o
        .act(&o.inspector, g, json!({"action": "withdraw", "partial": true, "withdrawn_signatories": 2, "note": "Hai người rút đơn."}))
        .await
        .expect(200)
        .body;
    assert_eq!(v["status"], "accepted");
    assert_eq!(v["signatories"], 4);
    assert!(clock(&v, "denunciation_resolution").is_some(), "the case continues");

    // A complaint received before 1 Jul 2026 by one person: withdrawn whole or not at all.
    go_to(&o, "2026-06-15");
    let mut old = complaint();
    old["received_on"] = json!("2026-06-15");
    let old = o.file(&o.desk, old).await;
    assert_eq!(clock(&old, "complaint_acceptance").unwrap()["rule_set"], "2013");
    // The old rules: 10 working days, Mon 15 Jun → Mon 29 Jun.
    assert_eq!(clock(&old, "complaint_acceptance").unwrap()["due"], "2026-06-29");
    o.act(&o.desk, old["id"].as_i64().unwrap(), json!({"action": "withdraw", "partial": true}))
        .await
        .expect_error(409, "partial_withdrawal_not_allowed");
}

#[tokio::test]
async fn invalid_transitions_are_conflicts_with_a_clear_code() {
    let o = office().await;
    let id = o.file(&o.desk, complaint()).await["id"].as_i64().unwrap();
    o.act(&o.chairman, id, json!({"action": "resolve", "result": "Xong.", "conclusion": "right"}))
        .await
        .expect_error(409, "invalid_transition");
    o.act(&o.chairman, id, json!({"action": "forward", "to_body": "UBND tỉnh"}))
        .await
        .expect_error(409, "invalid_transition");
    o.act(&o.chairman, id, json!({"action": "resume"})).await.expect_error(409, "invalid_transition");
    o.act(&o.chairman, id, json!({"action": "frobnicate"})).await.expect_error(422, "validation_failed");
    o.act(&o.chairman, id, json!({"action": "reject"})).await.expect_error(422, "validation_failed");
    o.act(&o.chairman, id, json!({"action": "reject", "reason": "Đã được giải quyết đúng chính sách."}))
        .await
        .expect(200);
    o.act(&o.chairman, id, json!({"action": "accept"})).await.expect_error(409, "invalid_transition");

    let mut rec = complaint();
    rec["kind"] = json!("feedback");
    let f = o.file(&o.desk, rec).await["id"].as_i64().unwrap();
    o.act(&o.chairman, f, json!({"action": "accept"})).await.expect(200);
    o.act(&o.chairman, f, json!({"action": "suspend", "reason": "Không áp dụng"}))
        .await
        .expect_error(409, "invalid_transition");
    o.act(&o.chairman, 999_999, json!({"action": "accept"})).await.expect_error(404, "not_found");
}

#[tokio::test]
async fn a_stale_copy_cannot_overwrite_a_newer_change() {
    let o = office().await;
    let v = o.file(&o.desk, complaint()).await;
    let id = v["id"].as_i64().unwrap();
    let seen = v["version"].as_i64().unwrap();
    o.act(
        &o.chairman,
        id,
        json!({"action": "assign", "assignee_id": o.inspector_id, "expected_version": seen}),
    )
    .await
    .expect(200);
    o.act(&o.chairman, id, json!({"action": "accept", "expected_version": seen}))
        .await
        .expect_error(409, "concurrent_update");
    let fresh = o.view(&o.chairman, id).await["version"].as_i64().unwrap();
    assert_eq!(fresh, seen + 1);
    o.act(&o.chairman, id, json!({"action": "accept", "expected_version": fresh})).await.expect(200);
}

#[tokio::test]
async fn overdue_cases_are_flagged_and_come_first_in_the_inbox() {
    let o = office().await;
    let late = o.file(&o.desk, complaint()).await["id"].as_i64().unwrap();
    o.act(&o.chairman, late, json!({"action": "assign", "assignee_id": o.inspector_id})).await.expect(200);
    go_to(&o, "2026-12-03");
    let mut fresh = complaint();
    fresh["received_on"] = json!("2026-12-03");
    fresh["subject"] = json!("Khiếu nại về việc cấp phép xây dựng nhà số 9");
    let recent = o.file(&o.desk, fresh).await["id"].as_i64().unwrap();
    o.act(&o.chairman, recent, json!({"action": "assign", "assignee_id": o.inspector_id})).await.expect(200);

    // 3 Dec: the first is due 4 Dec (nearly due), the second 14 Dec.
    let v = o.view(&o.inspector, late).await;
    assert_eq!((v["overdue"].as_bool(), v["nearly_due"].as_bool()), (Some(false), Some(true)));
    go_to(&o, "2026-12-07");
    let v = o.view(&o.inspector, late).await;
    assert_eq!(v["overdue"], true);
    assert_eq!(clock(&v, "complaint_acceptance").unwrap()["overdue"], true);

    let inbox = o.app.get("/api/v1/inbox", Some(&o.inspector)).await.expect(200).body;
    let ids: Vec<i64> =
        inbox["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [late, recent]);
    let overdue = o.app.get("/api/v1/petitions?overdue=true", Some(&o.chairman)).await.expect(200).body;
    assert_eq!(overdue["total"], 1);
    assert_eq!(overdue["items"][0]["id"], late);
    let sorted = o.app.get("/api/v1/petitions?sort=due&open=true", Some(&o.chairman)).await.expect(200).body;
    assert_eq!(sorted["items"][0]["id"], late);
}

#[tokio::test]
async fn search_ignores_case_and_vietnamese_diacritics() {
    let o = office().await;
    let id = o.file(&o.desk, complaint()).await["id"].as_i64().unwrap();
    let mut other = denunciation();
    other["subject"] = json!("Tố cáo hành vi lấn chiếm vỉa hè");
    other["content"] = json!("Hộ kinh doanh lấn chiếm vỉa hè đường Trần Phú.");
    o.file(&o.desk, other).await;
    for q in [
        "nguyen van an",
        "NGUYỄN VĂN AN",
        "Nguyen",
        "thu hoi dat",
        "thu hồi đất",
        "đất",
        "dat",
        "thửa 125",
        "boi thuong",
    ] {
        let found = o
            .app
            .get(&format!("/api/v1/petitions?q={}", urlencode(q)), Some(&o.chairman))
            .await
            .expect(200)
            .body;
        let ids: Vec<i64> =
            found["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect();
        assert_eq!(ids, [id], "query {q:?}");
    }
    let none = o.app.get("/api/v1/petitions?q=xyzzy", Some(&o.chairman)).await.expect(200).body;
    assert_eq!(none["total"], 0);
    // Addresses are not searched (names are, but a denouncer's never).
    let address = o
        .app
        .get(&format!("/api/v1/petitions?q={}", urlencode("phường Mẫu")), Some(&o.chairman))
        .await
        .expect(200)
        .body;
    assert_eq!(address["total"], 0);
    let code = o.app.get("/api/v1/petitions?q=QD-UBND", Some(&o.chairman)).await.expect(200).body;
    assert_eq!(code["total"], 1);
    let kinds =
        o.app.get("/api/v1/petitions?kind=denunciation&q=via%20he", Some(&o.chairman)).await.expect(200).body;
    assert_eq!(kinds["total"], 1);
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            b' ' => "%20".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn repeats_are_warned_about_at_intake() {
    let o = office().await;
    let first = o.file(&o.desk, complaint()).await;
    assert_eq!(first["warnings"], json!([]));
    let again = o.file(&o.desk, complaint()).await;
    let codes: Vec<&str> =
        again["warnings"].as_array().unwrap().iter().map(|w| w["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"same_identity"), "{codes:?}");
    assert_eq!(again["warnings"][0]["petition_id"], first["id"]);

    o.act(
        &o.desk,
        first["id"].as_i64().unwrap(),
        json!({"action": "guide", "to_body": "Tòa án nhân dân khu vực"}),
    )
    .await
    .expect(200);
    let mut similar = complaint();
    similar["petitioner"] = json!({"full_name": "Người Khác", "address": "Tổ 9"});
    similar["skip_level"] = json!(true);
    let third = o.file(&o.desk, similar).await;
    let codes: Vec<&str> =
        third["warnings"].as_array().unwrap().iter().map(|w| w["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"already_guided"), "{codes:?}");
    assert!(codes.contains(&"skip_level"), "{codes:?}");

    let check = o
        .app
        .post(
            "/api/v1/petitions/repeat-check",
            Some(&o.desk),
            json!({"id_numbers": ["001 234 567 890"], "subject": "x"}),
        )
        .await
        .expect(200)
        .body;
    assert!(!check.as_array().unwrap().is_empty());
}

#[tokio::test]
async fn the_citizen_portal_files_tracks_and_rates() {
    let o = office().await;
    let filed = o
        .app
        .post(
            "/api/v1/public/petitions",
            None,
            json!({"kind": "feedback", "subject": "Đèn đường ngõ 12 bị hỏng", "content": "Đèn đường ngõ 12 phố Lê Lợi hỏng đã hai tuần, đi lại nguy hiểm.",
                   "petitioner": {"full_name": "Phạm Thu Hà", "address": "Ngõ 12 phố Lê Lợi", "phone": "0987654321"}}),
        )
        .await
        .expect(201)
        .body;
    let code = filed["tracking_code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 17);
    let tracked = o.app.get(&format!("/api/v1/public/petitions/{code}"), None).await.expect(200).body;
    let keys: Vec<&String> = tracked.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["due", "history", "kind", "received_on", "status", "timeline", "tracking_code"],
        "nothing else"
    );
    assert_eq!(tracked["status"], "received");
    assert_eq!(tracked["due"], "2026-12-09", "10 working days to notify");
    let text = tracked.to_string();
    assert!(!text.contains("Phạm Thu Hà") && !text.contains("Đèn đường"));
    // Typed loosely.
    let loose = code.to_lowercase().replace('-', " ");
    o.app.get(&format!("/api/v1/public/petitions/{}", urlencode(&loose)), None).await.expect(200);
    o.app.get("/api/v1/public/petitions/TD-2222-2222-2222", None).await.expect_error(404, "not_found");

    o.app
        .post(&format!("/api/v1/public/petitions/{code}/rating"), None, json!({"score": 5}))
        .await
        .expect_error(409, "not_closed");
    let staff_list = o.app.get("/api/v1/petitions?channel=online", Some(&o.chairman)).await.expect(200).body;
    let id = staff_list["items"][0]["id"].as_i64().unwrap();
    o.act(&o.chairman, id, json!({"action": "resolve", "result": "Đã thay bóng đèn."})).await.expect(200);
    let tracked = o.app.get(&format!("/api/v1/public/petitions/{code}"), None).await.expect(200).body;
    assert_eq!(tracked["status"], "resolved");
    assert_eq!(tracked["due"], Value::Null);
    let statuses: Vec<&str> =
        tracked["history"].as_array().unwrap().iter().map(|h| h["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["received", "resolved"]);
    o.app
        .post(&format!("/api/v1/public/petitions/{code}/rating"), None, json!({"score": 9}))
        .await
        .expect_error(422, "validation_failed");
    o.app
        .post(
            &format!("/api/v1/public/petitions/{code}/rating"),
            None,
            json!({"score": 4, "comment": "Xử lý nhanh"}),
        )
        .await
        .expect(201);
    o.app
        .post(&format!("/api/v1/public/petitions/{code}/rating"), None, json!({"score": 1}))
        .await
        .expect_error(409, "already_rated");

    // A signed-in citizen finds their own petitions, and only theirs.
    let (_, citizen) = o.app.citizen("phamthuha").await;
    let (_, stranger) = o.app.citizen("nguoila").await;
    o.app
        .post(
            "/api/v1/public/petitions",
            Some(&citizen),
            json!({"kind": "recommendation", "subject": "Kiến nghị lắp camera an ninh", "content": "Đề nghị lắp camera an ninh tại ngã ba chợ.",
                   "petitioner": {"full_name": "Phạm Thu Hà", "address": "Ngõ 12 phố Lê Lợi"}}),
        )
        .await
        .expect(201);
    let mine = o.app.get("/api/v1/my/petitions", Some(&citizen)).await.expect(200).body;
    assert_eq!(mine["total"], 1);
    assert_eq!(mine["items"][0]["subject"], "Kiến nghị lắp camera an ninh");
    assert_eq!(o.app.get("/api/v1/my/petitions", Some(&stranger)).await.expect(200).body["total"], 0);
    o.app.get("/api/v1/my/petitions", Some(&o.chairman)).await.expect_error(403, "forbidden");
    o.app.get("/api/v1/petitions", Some(&citizen)).await.expect_error(403, "forbidden");
}

#[tokio::test]
async fn the_audit_trail_verifies_and_tampering_shows() {
    use sea_orm::{ConnectionTrait, EntityTrait};
    use tiepdan::{
        entity::{petition, petition_event},
        service::audit,
    };

    let o = office().await;
    let id = accepted(&o, complaint()).await;
    let keys = &o.app.state.keys;
    let audit::Verification { checked, broken, .. } =
        audit::verify_all(&o.app.state.db.reader, keys).await.unwrap();
    assert!(checked >= 1);
    assert!(broken.is_empty(), "{broken:?}");

    let db = &o.app.state.db.writer;
    db.execute_unprepared(&format!(
        "UPDATE petition_event SET actor_name = 'Người khác' WHERE petition_id = {id} AND seq = 2"
    ))
    .await
    .unwrap();
    let audit::Verification { broken, .. } = audit::verify_all(&o.app.state.db.reader, keys).await.unwrap();
    assert_eq!(broken.len(), 1);
    assert_eq!(broken[0].petition_id, id);
    assert!(broken[0].reason.contains("#2"), "{}", broken[0].reason);

    // Deleting the last event also shows: the case row keeps the head of its chain.
    let other = accepted(&o, denunciation()).await;
    db.execute_unprepared(&format!("DELETE FROM petition_event WHERE petition_id = {other} AND seq = 3"))
        .await
        .unwrap();
    let case = petition::Entity::find_by_id(other).one(db).await.unwrap().unwrap();
    let events = petition_event::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.petition_id == other)
        .collect::<Vec<_>>();
    assert!(audit::check_chain(keys, &case, &events).is_err());
}

#[tokio::test]
async fn an_action_after_a_recomputation_follows_its_event_and_a_stale_head_is_refused() {
    use sea_orm::EntityTrait;
    use tiepdan::{
        domain::petition::EventAction,
        entity::{petition, petition_event},
        service::audit,
    };

    let o = office().await;
    let id = accepted(&o, complaint()).await;
    let url = format!("/api/v1/petitions/{id}");
    let before = o.app.get(&url, Some(&o.inspector)).await.expect(200).body;
    // Its earliest clock falls on Friday 25 December; a holiday then moves it to Monday 28.
    assert_eq!(before["next_due"], "2026-12-25");
    o.app
        .put(
            "/api/v1/calendar/days/2026-12-25",
            Some(&o.admin),
            json!({"kind": "holiday", "name": "Lễ hội địa phương"}),
        )
        .await
        .expect(200);
    let after = o.app.get(&url, Some(&o.inspector)).await.expect(200).body;
    assert_eq!(after["next_due"], "2026-12-28", "the next due date is read from the moved clocks");
    assert_eq!(after["version"], before["version"], "a recomputation is nobody's edit of the case");

    // Acting on the view shown before the recomputation is accepted and follows its event.
    o.act(
        &o.inspector,
        id,
        json!({"action": "suspend", "reason": "Chờ kết quả giám định", "expected_version": before["version"]}),
    )
    .await
    .expect(200);
    let trail = o.app.get(&format!("{url}/events"), Some(&o.inspector)).await.expect(200).body;
    let actions: Vec<&str> =
        trail.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions[actions.len() - 2..], ["deadline_recomputed", "suspend"]);
    let keys = &o.app.state.keys;
    let audit::Verification { broken, .. } = audit::verify_all(&o.app.state.db.reader, keys).await.unwrap();
    assert!(broken.is_empty(), "{broken:?}");

    // Two writers that read the same head: the second one's event has no place left.
    let db = &o.app.state.db.writer;
    let case = petition::Entity::find_by_id(id).one(db).await.unwrap().unwrap();
    let head = audit::head(db, id).await.unwrap();
    let change =
        audit::Change { action: EventAction::ReceptionVisit, from: None, to: None, changes: json!({}) };
    let system = audit::prepare(
        &keys.audit,
        id,
        &head,
        &audit::Actor::system(),
        &change,
        &head.facts,
        case.updated_at,
    );
    petition_event::Entity::insert(system.row).exec(db).await.unwrap();
    let late = audit::append(db, keys, &case, &head, &audit::Actor::system(), &change, case.updated_at).await;
    assert!(
        matches!(late, Err(tiepdan::error::AppError::Conflict { code: "concurrent_update", .. })),
        "{late:?}"
    );
}

/// Another agency of the register with its chairman; returns (agency id, chairman's token).
pub async fn neighbour(o: &Office, name: &str, username: &str) -> (i64, String) {
    let agency = o.app.agency(&o.admin, name, "commune", None).await;
    let (_, chairman) = o.app.agency_staff(&o.admin, username, "chairman", agency).await;
    (agency, chairman)
}

#[tokio::test]
async fn a_denunciation_is_forwarded_once_only() {
    let o = office().await;
    let (second, second_chairman) = neighbour(&o, "UBND phường Thứ Hai", "chutich.hai").await;
    let (third, _) = neighbour(&o, "UBND phường Thứ Ba", "chutich.ba").await;
    let id = o.file(&o.desk, denunciation()).await["id"].as_i64().unwrap();
    let v = o
        .act(
            &o.chairman,
            id,
            json!({"action": "forward", "to_agency_id": second, "letter_no": "12/UBND-TTr"}),
        )
        .await
        .expect(200)
        .body;
    let copy = v["forwarded_to"]["copy_id"].as_i64().unwrap();

    // The received copy is not forwarded on, to the register's agencies or to an outside body.
    let theirs = o.view(&second_chairman, copy).await;
    assert!(!theirs["allowed_actions"].as_array().unwrap().contains(&json!("forward")), "{theirs}");
    let refused = o
        .act(&second_chairman, copy, json!({"action": "forward", "to_agency_id": third}))
        .await
        .expect_error(409, "already_forwarded");
    assert!(refused.body["error"]["message"].as_str().unwrap().contains("một lần"));
    o.act(&second_chairman, copy, json!({"action": "forward", "to_body": "Thanh tra tỉnh"}))
        .await
        .expect_error(409, "already_forwarded");
    // Nor is the original sent again.
    o.act(&o.chairman, id, json!({"action": "forward", "to_agency_id": third}))
        .await
        .expect_error(409, "already_forwarded");
    // The agency it reached handles it.
    o.act(&second_chairman, copy, json!({"action": "accept"})).await.expect(200);

    // Recommendations have no such limit.
    let mut rec = complaint();
    rec["kind"] = json!("recommendation");
    let r = o.file(&o.desk, rec).await["id"].as_i64().unwrap();
    let v =
        o.act(&o.chairman, r, json!({"action": "forward", "to_agency_id": second})).await.expect(200).body;
    let rec_copy = v["forwarded_to"]["copy_id"].as_i64().unwrap();
    o.act(&second_chairman, rec_copy, json!({"action": "forward", "to_agency_id": third})).await.expect(200);
}

#[tokio::test]
async fn the_new_cases_inbox_counts_and_pages_only_unassigned_cases() {
    let o = office().await;
    let mut unassigned = Vec::new();
    for n in 0..5 {
        let mut body = complaint();
        body["subject"] = json!(format!("Khiếu nại việc cấp giấy phép số {n}"));
        let id = o.file(&o.desk, body).await["id"].as_i64().unwrap();
        if n % 2 == 0 {
            unassigned.push(id);
        } else {
            o.act(&o.chairman, id, json!({"action": "assign", "assignee_id": o.inspector_id}))
                .await
                .expect(200);
        }
    }
    let mut seen = Vec::new();
    for page in 1..=2 {
        let inbox = o
            .app
            .get(&format!("/api/v1/inbox?scope=new&per_page=2&page={page}"), Some(&o.other_inspector))
            .await
            .expect(200)
            .body;
        assert_eq!(inbox["total"], 3, "only the unassigned new cases are counted: {inbox}");
        let items = inbox["items"].as_array().unwrap();
        assert_eq!(items.len(), if page == 1 { 2 } else { 1 }, "a full first page: {inbox}");
        assert!(items.iter().all(|i| i["assignee_id"].is_null()));
        seen.extend(items.iter().map(|i| i["id"].as_i64().unwrap()));
    }
    seen.sort_unstable();
    assert_eq!(seen, unassigned);
}

/// Asserts that every case's stored inbox key is the one its status and clocks give.
async fn inbox_keys_match_the_clocks(o: &Office, after: &str) {
    use sea_orm::EntityTrait;
    use tiepdan::{entity::petition, service::deadlines};
    let db = &o.app.state.db.writer;
    for case in petition::Entity::find().all(db).await.unwrap() {
        let clocks = deadlines::of_case(db, case.id).await.unwrap();
        let expected = deadlines::inbox_key(case.status, &clocks);
        assert_eq!(case.inbox_due_on, expected, "after {after}: case {} ({:?})", case.id, case.status);
    }
}

#[tokio::test]
async fn the_inbox_key_follows_every_step_suspension_extension_and_holiday_change() {
    let o = office().await;
    let complaint_id = o.file(&o.desk, complaint()).await["id"].as_i64().unwrap();
    let denunciation_id = o.file(&o.desk, denunciation()).await["id"].as_i64().unwrap();
    let rejected = o.file(&o.desk, complaint()).await["id"].as_i64().unwrap();
    inbox_keys_match_the_clocks(&o, "intake").await;
    let assign = json!({"action": "assign", "assignee_id": o.inspector_id, "unit_id": o.unit});
    for id in [complaint_id, denunciation_id] {
        o.act(&o.chairman, id, assign.clone()).await.expect(200);
        inbox_keys_match_the_clocks(&o, "assign").await;
        o.act(&o.inspector, id, json!({"action": "accept"})).await.expect(200);
        inbox_keys_match_the_clocks(&o, "accept").await;
    }
    o.act(&o.chairman, rejected, json!({"action": "reject", "reason": "Không đủ điều kiện"}))
        .await
        .expect(200);
    inbox_keys_match_the_clocks(&o, "reject").await;
    go_to(&o, "2026-12-01");
    o.act(
        &o.inspector,
        denunciation_id,
        json!({"action": "extend", "days": 30, "reason": "Vụ việc phức tạp"}),
    )
    .await
    .expect(200);
    inbox_keys_match_the_clocks(&o, "extend").await;
    o.act(&o.inspector, denunciation_id, json!({"action": "suspend", "reason": "Chờ giám định"}))
        .await
        .expect(200);
    inbox_keys_match_the_clocks(&o, "suspend").await;
    // Its notices sent (the acceptance, the suspension), nothing of it runs.
    send_notices(&o, &o.inspector, denunciation_id).await;
    inbox_keys_match_the_clocks(&o, "notices sent").await;
    let paused = o.app.get("/api/v1/inbox?scope=all", Some(&o.chairman)).await.expect(200).body;
    assert_eq!(
        paused["items"].as_array().unwrap().last().unwrap()["id"],
        denunciation_id,
        "a paused case sorts last"
    );
    go_to(&o, "2026-12-04");
    o.act(&o.inspector, denunciation_id, json!({"action": "resume"})).await.expect(200);
    inbox_keys_match_the_clocks(&o, "resume").await;
    // A day off on a running clock's due date moves it, and the case's key with it.
    let before = o.view(&o.chairman, complaint_id).await["next_due"].clone();
    let day = before.as_str().unwrap().to_owned();
    o.app
        .put(
            &format!("/api/v1/calendar/days/{day}"),
            Some(&o.admin),
            json!({"kind": "holiday", "name": "Nghỉ bù"}),
        )
        .await
        .expect(200);
    inbox_keys_match_the_clocks(&o, "a holiday").await;
    assert_ne!(o.view(&o.chairman, complaint_id).await["next_due"], before, "the holiday moved the clock");
    o.app.delete(&format!("/api/v1/calendar/days/{day}"), Some(&o.admin)).await.expect(200);
    inbox_keys_match_the_clocks(&o, "the holiday removed").await;
    o.act(
        &o.inspector,
        complaint_id,
        json!({"action": "resolve", "result": "Giữ nguyên.", "conclusion": "wrong"}),
    )
    .await
    .expect(200);
    inbox_keys_match_the_clocks(&o, "resolve").await;
    go_to(&o, "2026-12-10");
    let second = o
        .act(&o.chairman, complaint_id, json!({"action": "reopen", "reason": "Không đồng ý với quyết định."}))
        .await
        .expect(200);
    assert_ne!(second.body["id"], complaint_id);
    inbox_keys_match_the_clocks(&o, "reopen").await;
    o.act(
        &o.inspector,
        denunciation_id,
        json!({"action": "resolve", "result": "Tố cáo không đúng.", "conclusion": "wrong"}),
    )
    .await
    .expect(200);
    inbox_keys_match_the_clocks(&o, "resolve a denunciation").await;
}

#[tokio::test]
async fn lists_page_by_cursor_in_their_own_order_and_count_up_to_a_cap() {
    let o = office().await;
    let mut filed = Vec::new();
    for day in
        ["2026-11-20", "2026-11-23", "2026-11-23", "2026-11-24", "2026-11-25", "2026-11-25", "2026-11-25"]
    {
        let mut body = complaint();
        body["received_on"] = json!(day);
        filed.push(o.file(&o.desk, body).await["id"].as_i64().unwrap());
    }
    for id in &filed[..3] {
        o.act(
            &o.chairman,
            *id,
            json!({"action": "assign", "assignee_id": o.inspector_id, "unit_id": o.unit}),
        )
        .await
        .expect(200);
        o.act(&o.inspector, *id, json!({"action": "accept"})).await.expect(200);
    }
    o.act(&o.chairman, filed[6], json!({"action": "reject", "reason": "Không đủ điều kiện"}))
        .await
        .expect(200);
    // Every list, walked three at a time by its cursors, gives the rows of one big page, in order.
    for url in [
        "/api/v1/petitions?",
        "/api/v1/petitions?sort=due&",
        "/api/v1/petitions?sort=due&open=true&",
        "/api/v1/petitions?q=thu%20hoi%20dat&",
        "/api/v1/inbox?scope=all&",
        "/api/v1/inbox?scope=mine&",
        "/api/v1/inbox?scope=new&",
    ] {
        let token = if url.contains("mine") { &o.inspector } else { &o.chairman };
        let whole = o.app.get(&format!("{url}per_page=200"), Some(token)).await.expect(200).body;
        assert_eq!(whole["next_after"], Value::Null, "{url}");
        assert_eq!(whole["total_capped"], false, "{url}");
        let ids = |page: &Value| -> Vec<i64> {
            page["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect()
        };
        let expected = ids(&whole);
        assert_eq!(whole["total"], expected.len(), "{url}");
        let (mut walked, mut after) = (Vec::new(), String::new());
        for _ in 0..10 {
            let page =
                o.app.get(&format!("{url}per_page=3&after={after}"), Some(token)).await.expect(200).body;
            walked.extend(ids(&page));
            match page["next_after"].as_str() {
                Some(next) => after = next.to_owned(),
                None => break,
            }
        }
        assert_eq!(walked, expected, "{url}");
        // page= still works, and gives the same rows.
        let second = o.app.get(&format!("{url}per_page=3&page=2"), Some(token)).await.expect(200).body;
        assert_eq!(ids(&second), expected.iter().skip(3).take(3).copied().collect::<Vec<_>>(), "{url}");
    }
    let all = o.app.get("/api/v1/petitions?per_page=200", Some(&o.chairman)).await.expect(200).body;
    assert_eq!(all["total"], 7);
    let inbox = o.app.get("/api/v1/inbox?scope=all&per_page=200", Some(&o.chairman)).await.expect(200).body;
    assert_eq!(inbox["total"], 6, "the rejected case is not in the inbox");
    // Deep offsets are refused: the cursor goes on from there.
    o.app
        .get("/api/v1/petitions?page=201&per_page=50", Some(&o.chairman))
        .await
        .expect_error(400, "page_too_deep");
    o.app
        .get("/api/v1/inbox?page=51&per_page=200", Some(&o.chairman))
        .await
        .expect_error(400, "page_too_deep");
    o.app.get("/api/v1/petitions?page=50&per_page=200", Some(&o.chairman)).await.expect(200);
    // A cursor is the list's own: garbage, or another order's, is a bad query.
    o.app.get("/api/v1/petitions?after=%25%25", Some(&o.chairman)).await.expect_error(400, "invalid_query");
    let due = o.app.get("/api/v1/petitions?sort=due&per_page=1", Some(&o.chairman)).await.expect(200).body;
    let cursor = due["next_after"].as_str().unwrap().to_owned();
    o.app
        .get(&format!("/api/v1/petitions?after={cursor}"), Some(&o.chairman))
        .await
        .expect_error(400, "invalid_query");
}
