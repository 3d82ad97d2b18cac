//! The superior reads the first round (issue 15: "cases move between agencies of the same
//! register with the file, the trail and the results flowing back"). A commune's case reopened
//! goes to its direct superior (here the province: the register knows communes and provinces);
//! the superior's staff handling the second round or the further denunciation read the first
//! round's file and trail, never act on it, and see a denouncer only as the resolver or handler of
//! the later case (Law 25/2018 Arts. 8(3), 37–38). Today is Wed 25 Nov 2026.

use serde_json::{Value, json};

use crate::{
    petitions::{complaint, denunciation},
    support::{Answer, TestApp},
};

/// A province, its commune, and another province with no part in the commune's cases.
struct Levels {
    app: TestApp,
    province: i64,
    commune: i64,
    commune_desk: String,
    commune_chairman: String,
    commune_inspector_id: i64,
    commune_inspector: String,
    province_chairman_id: i64,
    province_chairman: String,
    /// The province's inspector the later case is assigned to.
    province_handler_id: i64,
    province_handler: String,
    /// Another inspector of the province, not assigned to it.
    province_inspector_id: i64,
    province_inspector: String,
    /// The chairman and an inspector of another province: no later round there.
    stranger_chairman: String,
    stranger_inspector: String,
}

async fn levels() -> Levels {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let province = app.agency(&admin, "UBND tỉnh Mẫu Sơn", "province", None).await;
    let commune = app.agency(&admin, "UBND xã Đồng Mỏ", "commune", Some(province)).await;
    let stranger = app.agency(&admin, "UBND tỉnh Hà Giang Mẫu", "province", None).await;
    let (_, commune_desk) = app.agency_staff(&admin, "tiepdan.xa", "receptionist", commune).await;
    let (_, commune_chairman) = app.agency_staff(&admin, "chutich.xa", "chairman", commune).await;
    let (commune_inspector_id, commune_inspector) =
        app.agency_staff(&admin, "thanhtra.xa", "inspector", commune).await;
    let (province_chairman_id, province_chairman) =
        app.agency_staff(&admin, "chutich.tinh", "chairman", province).await;
    let (province_handler_id, province_handler) =
        app.agency_staff(&admin, "thanhtra.tinh1", "inspector", province).await;
    let (province_inspector_id, province_inspector) =
        app.agency_staff(&admin, "thanhtra.tinh2", "inspector", province).await;
    let (_, stranger_chairman) = app.agency_staff(&admin, "chutich.khac", "chairman", stranger).await;
    let (_, stranger_inspector) = app.agency_staff(&admin, "thanhtra.khac", "inspector", stranger).await;
    Levels {
        app,
        province,
        commune,
        commune_desk,
        commune_chairman,
        commune_inspector_id,
        commune_inspector,
        province_chairman_id,
        province_chairman,
        province_handler_id,
        province_handler,
        province_inspector_id,
        province_inspector,
        stranger_chairman,
        stranger_inspector,
    }
}

impl Levels {
    async fn act(&self, token: &str, id: i64, body: Value) -> Answer {
        self.app.post(&format!("/api/v1/petitions/{id}/actions"), Some(token), body).await
    }

    async fn get(&self, token: &str, path: &str) -> Answer {
        self.app.get(path, Some(token)).await
    }

    /// A petition filed at the commune's desk, received on 1 Oct, accepted on 5 Oct, assigned to
    /// the commune's inspector and resolved on 2 Nov; then reopened by the commune's chairman to
    /// the province. Returns (first case, later case).
    async fn reopened(&self, mut body: Value, conclusion: &str) -> (i64, i64) {
        body["received_on"] = json!("2026-10-01");
        let first = self.app.post("/api/v1/petitions", Some(&self.commune_desk), body).await.expect(201).body
            ["id"]
            .as_i64()
            .unwrap();
        let chairman = &self.commune_chairman;
        self.act(chairman, first, json!({"action": "accept", "on": "2026-10-05"})).await.expect(200);
        let assign =
            json!({"action": "assign", "assignee_id": self.commune_inspector_id, "on": "2026-10-05"});
        self.act(chairman, first, assign).await.expect(200);
        let resolve = json!({"action": "resolve", "result": "Kết luận số 15/KL-UBND của Chủ tịch UBND xã",
                             "conclusion": conclusion, "on": "2026-11-02"});
        self.act(&self.commune_inspector, first, resolve).await.expect(200);
        let reopen = json!({"action": "reopen", "reason": "Không đồng ý với kết quả giải quyết lần đầu"});
        self.act(chairman, first, reopen).await.expect(200);
        let page = self.get(&self.province_chairman, "/api/v1/petitions").await.expect(200).body;
        let later = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["origin"]["id"] == first)
            .expect("the later round at the province")
            .clone();
        assert_eq!(later["agency_id"], self.province);
        (first, later["id"].as_i64().unwrap())
    }

    /// The province's chairman accepts the later case and assigns it to its handler.
    async fn assigned(&self, later: i64) {
        self.act(&self.province_chairman, later, json!({"action": "accept"})).await.expect(200);
        let assign = json!({"action": "assign", "assignee_id": self.province_handler_id});
        self.act(&self.province_chairman, later, assign).await.expect(200);
    }

    /// Who read the parties of `case`, as the log shows its agency's chairman: (user id, purpose).
    async fn identity_reads(&self, case: i64) -> Vec<(i64, String)> {
        let log = self
            .get(&self.commune_chairman, &format!("/api/v1/petitions/{case}/identity-access"))
            .await
            .expect(200)
            .body;
        log.as_array()
            .unwrap()
            .iter()
            .map(|r| (r["user_id"].as_i64().unwrap(), r["purpose"].as_str().unwrap().to_owned()))
            .collect()
    }
}

fn actions(view: &Value) -> &Vec<Value> {
    view["allowed_actions"].as_array().unwrap()
}

fn event_actions(trail: &Value) -> Vec<&str> {
    trail.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn the_second_rounds_handler_reads_the_first_rounds_file_and_trail_but_never_acts_on_it() {
    let l = levels().await;
    let (first, second) = l.reopened(complaint(), "wrong").await;
    l.assigned(second).await;
    let handler = &l.province_handler;

    // The second round points to the first; the first, read by the province, lists the second.
    let later = l.get(handler, &format!("/api/v1/petitions/{second}")).await.expect(200).body;
    assert_eq!(later["origin"]["id"], first);
    assert_eq!(later["origin"]["relation"], "second_round_of");
    let view = l.get(handler, &format!("/api/v1/petitions/{first}")).await.expect(200).body;
    assert_eq!((view["agency_id"].as_i64(), view["round"].as_i64()), (Some(l.commune), Some(1)));
    assert_eq!(view["status"], "resolved");
    assert_eq!(view["content"], complaint()["content"], "the earlier file");
    assert_eq!(view["result"], "Kết luận số 15/KL-UBND của Chủ tịch UBND xã");
    assert_eq!(view["petitioner"]["full_name"], "Nguyễn Văn An", "a complainant, as on his own second round");
    assert!(actions(&view).is_empty(), "read only: {view}");
    let derived: Vec<i64> =
        view["derived"].as_array().unwrap().iter().map(|d| d["id"].as_i64().unwrap()).collect();
    assert_eq!(derived, [second]);

    // The trail of the first round, from receipt to the reopening.
    let trail = l.get(handler, &format!("/api/v1/petitions/{first}/events")).await.expect(200).body;
    let steps = event_actions(&trail);
    for step in ["receive", "accept", "assign", "resolve", "reopen"] {
        assert!(steps.contains(&step), "{step} in {steps:?}");
    }

    // Never an action: the first round is the commune's (404, as any foreign case).
    for token in [handler, &l.province_chairman] {
        l.act(token, first, json!({"action": "reopen"})).await.expect_error(404, "not_found");
        l.act(token, first, json!({"action": "assign", "assignee_id": l.province_handler_id}))
            .await
            .expect_error(404, "not_found");
    }
    // Only the case and its trail widen: not its clocks, its identity log, nor any list.
    l.get(handler, &format!("/api/v1/petitions/{first}/deadlines")).await.expect_error(404, "not_found");
    l.get(&l.province_chairman, &format!("/api/v1/petitions/{first}/identity-access"))
        .await
        .expect_error(404, "not_found");
    for path in ["/api/v1/petitions", "/api/v1/inbox", "/api/v1/petitions?q=thu%20h%E1%BB%93i"] {
        let page = l.get(&l.province_chairman, path).await.expect(200).body;
        let agencies: Vec<i64> =
            page["items"].as_array().unwrap().iter().map(|c| c["agency_id"].as_i64().unwrap()).collect();
        assert!(agencies.iter().all(|a| *a == l.province), "{path}: {agencies:?}");
    }
    // The first agency keeps its own view, and gets the result back by the trail, not the later case.
    let own = l.get(&l.commune_chairman, &format!("/api/v1/petitions/{first}")).await.expect(200).body;
    assert!(own["derived"].as_array().unwrap().is_empty(), "the later round is the province's");
    l.get(&l.commune_chairman, &format!("/api/v1/petitions/{second}")).await.expect_error(404, "not_found");
    // The superior's read of a complainant is logged on the first case.
    let reads = l.identity_reads(first).await;
    assert!(reads.contains(&(l.province_handler_id, "view".to_owned())), "{reads:?}");

    // Once the first round's decision is late to send, its own agency is offered the apology
    // letter; the superior's reader, who may not issue it, is not.
    let later_day = chrono::NaiveDate::from_ymd_opt(2026, 12, 15).unwrap().and_hms_opt(2, 0, 0).unwrap();
    l.app.clock.set(later_day.and_utc());
    let own = l.get(&l.commune_chairman, &format!("/api/v1/petitions/{first}")).await.expect(200).body;
    assert_eq!(
        (own["overdue"].as_bool(), own["apology_offered"].as_bool()),
        (Some(true), Some(true)),
        "{own}"
    );
    let read = l.get(handler, &format!("/api/v1/petitions/{first}")).await.expect(200).body;
    assert_eq!(read["apology_offered"], false, "{read}");
}

#[tokio::test]
async fn an_agency_holding_no_later_round_still_gets_404() {
    let l = levels().await;
    let (first, _) = l.reopened(complaint(), "wrong").await;
    for token in [&l.stranger_chairman, &l.stranger_inspector] {
        l.get(token, &format!("/api/v1/petitions/{first}")).await.expect_error(404, "not_found");
        l.get(token, &format!("/api/v1/petitions/{first}/events")).await.expect_error(404, "not_found");
        l.act(token, first, json!({"action": "reopen"})).await.expect_error(404, "not_found");
    }
    // A commune case never reopened stays the commune's alone, even for its superior.
    let mut body = complaint();
    body["subject"] = json!("Khiếu nại quyết định xử phạt hành chính");
    let alone = l.app.post("/api/v1/petitions", Some(&l.commune_desk), body).await.expect(201).body["id"]
        .as_i64()
        .unwrap();
    l.get(&l.province_chairman, &format!("/api/v1/petitions/{alone}")).await.expect_error(404, "not_found");
    l.get(&l.province_chairman, &format!("/api/v1/petitions/{alone}/events"))
        .await
        .expect_error(404, "not_found");
}

#[tokio::test]
async fn the_superiors_chairman_sees_the_denouncer_of_the_first_round_and_the_read_is_logged() {
    let l = levels().await;
    let (first, later) = l.reopened(denunciation(), "right").await;
    let view = l.get(&l.province_chairman, &format!("/api/v1/petitions/{first}")).await.expect(200).body;
    assert_eq!(view["petitioner"]["full_name"], "Trần Thị Bích", "the resolver of the further denunciation");
    assert!(actions(&view).is_empty(), "read only: {view}");
    let later_view =
        l.get(&l.province_chairman, &format!("/api/v1/petitions/{later}")).await.expect(200).body;
    assert_eq!(later_view["origin"]["relation"], "further_denunciation_of");
    let reads = l.identity_reads(first).await;
    assert_eq!(reads.first(), Some(&(l.province_chairman_id, "view".to_owned())), "{reads:?}");
}

#[tokio::test]
async fn a_superiors_inspector_not_assigned_to_the_further_denunciation_does_not_see_the_denouncer() {
    let l = levels().await;
    let (first, later) = l.reopened(denunciation(), "right").await;
    l.assigned(later).await;
    let before = l.identity_reads(first).await.len();
    // The inspector not assigned reads the file, never the denouncer, and no read is logged.
    let view = l.get(&l.province_inspector, &format!("/api/v1/petitions/{first}")).await.expect(200).body;
    assert!(view.get("petitioner").is_none() && view.get("parties").is_none(), "{view}");
    assert!(!view.to_string().contains("Trần Thị Bích"));
    assert!(actions(&view).is_empty());
    let trail =
        l.get(&l.province_inspector, &format!("/api/v1/petitions/{first}/events")).await.expect(200).body;
    assert!(!trail.to_string().contains("Trần Thị Bích") && !trail.to_string().contains("036189001122"));
    let reads = l.identity_reads(first).await;
    assert_eq!(reads.len(), before, "{reads:?}");
    assert!(!reads.iter().any(|(u, _)| *u == l.province_inspector_id));
    // The handler assigned to it does see her, and that read is logged.
    let handled = l.get(&l.province_handler, &format!("/api/v1/petitions/{first}")).await.expect(200).body;
    assert_eq!(handled["petitioner"]["full_name"], "Trần Thị Bích");
    let reads = l.identity_reads(first).await;
    assert_eq!(reads.first(), Some(&(l.province_handler_id, "view".to_owned())), "{reads:?}");
}
