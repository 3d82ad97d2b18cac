//! The petition register: intake, the workflow of each kind, clocks, forwarding, identity
//! protection, search and the audit trail.

use chrono::Duration;
use serde_json::{Value, json};

use crate::support::TestApp;

/// An agency with a unit, a chairman, a unit head, two inspectors and two receptionists.
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
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let unit = app.unit(&admin, "Thanh tra phường", "TTr").await;
    let (chairman_id, chairman) = app.staff(&admin, "chutich", "chairman", None).await;
    let (_, head) = app.staff(&admin, "truongtt", "unit_head", Some(unit)).await;
    let (inspector_id, inspector) = app.staff(&admin, "thanhtra1", "inspector", Some(unit)).await;
    let (_, other_inspector) = app.staff(&admin, "thanhtra2", "inspector", Some(unit)).await;
    let (desk_id, desk) = app.staff(&admin, "tiepdan1", "receptionist", None).await;
    let (_, other_desk) = app.staff(&admin, "tiepdan2", "receptionist", None).await;
    Office { app, admin, unit, chairman, chairman_id, head, inspector, inspector_id, other_inspector, desk, desk_id, other_desk }
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
        .act(&o.chairman, id, json!({"action": "assign", "assignee_id": o.inspector_id, "unit_id": o.unit,
                                      "expected_result": "Quyết định giải quyết khiếu nại lần đầu"}))
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
    assert_eq!(v["deadlines"], json!([]));
    assert_eq!(v["overdue"], false);

    let trail = o.app.get(&format!("/api/v1/petitions/{id}/events"), Some(&o.chairman)).await.expect(200).body;
    let actions: Vec<&str> = trail.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["receive", "assign", "accept", "resolve"]);
    let trail = trail.as_array().unwrap();
    assert_eq!(trail[2]["from_status"], "received");
    assert_eq!(trail[2]["to_status"], "accepted");
    for pair in trail.windows(2) {
        assert_eq!(pair[1]["prev_hash"], pair[0]["hash"], "each event hashes the previous one");
    }
}
