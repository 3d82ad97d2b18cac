//! Second rounds at the right body, anonymous and unsigned petitions, filing limits (issue 15;
//! domain.md §4–§6, §8). Today is Wed 25 Nov 2026 (the 2026-07 rules).

use serde_json::{Value, json};

use crate::{
    petitions::{clock, complaint, denunciation},
    support::TestApp,
};

/// A province and one of its communes, each with a chairman and an inspector (and the commune a
/// receptionist).
struct Levels {
    app: TestApp,
    province: i64,
    commune: i64,
    province_chairman: String,
    commune_chairman: String,
    commune_desk: String,
    commune_inspector_id: i64,
    commune_inspector: String,
}

async fn levels() -> Levels {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let province = app.agency(&admin, "UBND tỉnh Mẫu Sơn", "province", None).await;
    let commune = app.agency(&admin, "UBND xã Đồng Mỏ", "commune", Some(province)).await;
    let (_, province_chairman) = app.agency_staff(&admin, "chutich.tinh", "chairman", province).await;
    let (_, commune_chairman) = app.agency_staff(&admin, "chutich.xa", "chairman", commune).await;
    let (_, commune_desk) = app.agency_staff(&admin, "tiepdan.xa", "receptionist", commune).await;
    let (commune_inspector_id, commune_inspector) =
        app.agency_staff(&admin, "thanhtra.xa", "inspector", commune).await;
    Levels {
        app,
        province,
        commune,
        province_chairman,
        commune_chairman,
        commune_desk,
        commune_inspector_id,
        commune_inspector,
    }
}

impl Levels {
    async fn file(&self, body: Value) -> Value {
        self.app.post("/api/v1/petitions", Some(&self.commune_desk), body).await.expect(201).body
    }

    async fn act(&self, token: &str, id: i64, body: Value) -> crate::support::Answer {
        self.app.post(&format!("/api/v1/petitions/{id}/actions"), Some(token), body).await
    }

    /// A case of the commune taken to its resolution, its steps dated as given.
    async fn resolved(&self, body: Value, accepted_on: &str, resolved_on: &str) -> i64 {
        let id = self.file(body).await["id"].as_i64().unwrap();
        let chairman = &self.commune_chairman;
        self.act(chairman, id, json!({"action": "accept", "on": accepted_on})).await.expect(200);
        let assign = json!({"action": "assign", "assignee_id": self.commune_inspector_id, "on": accepted_on});
        self.act(chairman, id, assign).await.expect(200);
        let resolve = json!({"action": "resolve", "result": "Quyết định số 15/QĐ-UBND giữ nguyên quyết định",
                             "conclusion": "wrong", "on": resolved_on});
        self.act(&self.commune_inspector, id, resolve).await.expect(200);
        id
    }

    /// The province's cases, newest first.
    async fn province_cases(&self) -> Vec<Value> {
        let page = self.app.get("/api/v1/petitions", Some(&self.province_chairman)).await.expect(200).body;
        page["items"].as_array().unwrap().clone()
    }
}

fn dated(mut body: Value, received_on: &str) -> Value {
    body["received_on"] = json!(received_on);
    body
}

/// The filing-limit warnings of a view (the repeat warnings aside: the tests file alike petitions).
fn warning_codes(view: &Value) -> Vec<String> {
    let codes = view["warnings"].as_array().map(|w| w.iter().map(|w| w["code"].as_str().unwrap().to_owned()));
    codes.map(|c| c.filter(|c| c.ends_with("late") || c.starts_with("filing")).collect()).unwrap_or_default()
}

fn actions(view: &Value) -> Vec<String> {
    view["allowed_actions"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn a_second_round_complaint_registered_directly_runs_on_the_second_rounds_clocks() {
    let l = levels().await;
    let mut body = complaint();
    body["round"] = json!(2);
    // Without the first decision it cannot be a second round.
    l.app
        .post("/api/v1/petitions", Some(&l.commune_desk), body.clone())
        .await
        .expect_error(422, "validation_failed");
    body["earlier_decision"] = json!({"number": "12/QĐ-UBND", "date": "2026-11-02", "body": "Chủ tịch UBND xã Hạ Lang",
                                      "received_on": "2026-11-04"});
    let v = l.file(body).await;
    let id = v["id"].as_i64().unwrap();
    assert_eq!(v["round"], 2);
    assert_eq!(v["earlier_decision"]["number"], "12/QĐ-UBND");
    assert_eq!(warning_codes(&v), Vec::<String>::new(), "21 days after receiving the decision: in time");
    // Acceptance: 7 working days from Wed 25 Nov (ND 124/2020 Art. 16(1) as amended).
    assert_eq!(clock(&v, "complaint_acceptance").unwrap()["due"], "2026-12-04");
    // Accepted, the second round's 45 days (Law 02/2011 Art. 37): Sat 9 Jan 2027 → Mon 11 Jan.
    let v = l.act(&l.commune_chairman, id, json!({"action": "accept"})).await.expect(200).body;
    assert_eq!(clock(&v, "complaint_resolution_2").unwrap()["due"], "2027-01-11");
    assert!(clock(&v, "complaint_resolution_1").is_none());
    l.act(&l.commune_chairman, id, json!({"action": "assign", "assignee_id": l.commune_inspector_id}))
        .await
        .expect(200);
    let minutes = json!({"action": "record_dialogue", "minutes": "Đối thoại: các bên trình bày ý kiến."});
    l.act(&l.commune_inspector, id, minutes).await.expect(200);
    let resolve = json!({"action": "resolve", "result": "Quyết định giải quyết khiếu nại lần hai", "conclusion": "right"});
    let v = l.act(&l.commune_inspector, id, resolve).await.expect(200).body;
    // The decision is sent within 7 days (Art. 41), and no further round is offered: the court.
    assert_eq!(clock(&v, "complaint_decision_send_2").unwrap()["due"], "2026-12-02");
    assert!(clock(&v, "complaint_decision_send_1").is_none());
    let chairman_view =
        l.app.get(&format!("/api/v1/petitions/{id}"), Some(&l.commune_chairman)).await.expect(200).body;
    assert!(!actions(&chairman_view).contains(&"reopen".to_owned()));
    l.act(&l.commune_chairman, id, json!({"action": "reopen"})).await.expect_error(409, "invalid_transition");
}

#[tokio::test]
async fn a_further_denunciation_registered_directly_starts_the_superiors_review() {
    let l = levels().await;
    let mut body = denunciation();
    body["round"] = json!(2);
    body["earlier_decision"] =
        json!({"number": "03/KL-UBND", "date": "2026-10-20", "body": "Chủ tịch UBND xã Hạ Lang"});
    let v = l.file(body).await;
    // Law 25/2018 Art. 37(2): 20 days from receipt (Tue 15 Dec 2026), not the 7-working-day intake.
    assert_eq!(clock(&v, "further_denunciation_review").unwrap()["due"], "2026-12-15");
    assert!(clock(&v, "denunciation_intake").is_none());
    // Recommendations have no second round.
    let mut feedback = complaint();
    feedback["kind"] = json!("feedback");
    feedback["round"] = json!(2);
    l.app
        .post("/api/v1/petitions", Some(&l.commune_desk), feedback)
        .await
        .expect_error(422, "validation_failed");
}

#[tokio::test]
async fn filing_limits_passed_are_warned_at_intake_never_silently() {
    let l = levels().await;
    // Law 02/2011 Art. 9: 90 days from Wed 26 Aug 2026 is Tue 24 Nov: a day late.
    let mut late = complaint();
    late["act_known_on"] = json!("2026-08-26");
    assert_eq!(warning_codes(&l.file(late).await), ["filing_limit_passed"]);
    let mut in_time = complaint();
    in_time["act_known_on"] = json!("2026-08-27");
    assert!(warning_codes(&l.file(in_time).await).is_empty());
    // Art. 33(1): a second complaint 30 days from receiving the first decision (Fri 23 Oct →
    // Sun 22 Nov, rolled to Mon 23 Nov): two days late; 45 days in a remote area.
    let mut second = complaint();
    second["round"] = json!(2);
    second["earlier_decision"] =
        json!({"number": "9/QĐ-UBND", "date": "2026-10-23", "body": "Chủ tịch UBND xã Hạ Lang"});
    assert_eq!(warning_codes(&l.file(second.clone()).await), ["second_filing_late"]);
    second["remote_area"] = json!(true);
    assert!(warning_codes(&l.file(second).await).is_empty());
}

#[tokio::test]
async fn anonymous_and_unsigned_petitions_are_never_accepted_and_an_anonymous_denunciation_becomes_a_lead() {
    let l = levels().await;
    let chairman = &l.commune_chairman;
    let mut anonymous = denunciation();
    anonymous["anonymous"] = json!(true);
    anonymous.as_object_mut().unwrap().remove("petitioner");
    let v = l.file(anonymous).await;
    let id = v["id"].as_i64().unwrap();
    let offered =
        actions(&l.app.get(&format!("/api/v1/petitions/{id}"), Some(chairman)).await.expect(200).body);
    assert!(
        !offered.contains(&"accept".to_owned()) && offered.contains(&"record_lead".to_owned()),
        "{offered:?}"
    );
    l.act(chairman, id, json!({"action": "accept"})).await.expect_error(409, "invalid_transition");
    l.act(chairman, id, json!({"action": "record_lead"})).await.expect_error(422, "validation_failed");
    let lead = json!({"action": "record_lead", "reason": "Nêu rõ cán bộ địa chính xã nhận tiền; có biên lai kèm theo."});
    let v = l.act(chairman, id, lead).await.expect(200).body;
    assert_eq!((v["status"].as_str(), v["overdue"].as_bool()), (Some("lead"), Some(false)));
    assert!(v["deadlines"].as_array().unwrap().iter().all(|d| d["clock"] != "denunciation_resolution"));
    assert!(v["closed_on"].is_string(), "a lead leaves the register's open work");
    let leads = l.app.get("/api/v1/petitions?status=lead", Some(chairman)).await.expect(200).body;
    assert_eq!(leads["total"], 1);
    // A named denunciation is a case, not a lead.
    let named = l.file(denunciation()).await["id"].as_i64().unwrap();
    l.act(chairman, named, json!({"action": "record_lead", "reason": "Không áp dụng"}))
        .await
        .expect_error(409, "invalid_transition");
    // An anonymous complaint, and an unsigned one, are refused or archived, never accepted.
    let mut nameless = complaint();
    nameless["anonymous"] = json!(true);
    nameless.as_object_mut().unwrap().remove("petitioner");
    let nameless = l.file(nameless).await["id"].as_i64().unwrap();
    l.act(chairman, nameless, json!({"action": "accept"})).await.expect_error(409, "invalid_transition");
    let mut unsigned = complaint();
    unsigned["signed"] = json!(false);
    let v = l.file(unsigned).await;
    assert_eq!(v["signed"], false);
    let unsigned = v["id"].as_i64().unwrap();
    l.act(chairman, unsigned, json!({"action": "accept"})).await.expect_error(409, "invalid_transition");
    l.act(
        chairman,
        unsigned,
        json!({"action": "reject", "reason": "Đơn không có chữ ký (Luật Khiếu nại, Điều 11)"}),
    )
    .await
    .expect(200);
}

#[tokio::test]
async fn a_reopened_complaint_goes_to_the_direct_superior_unless_another_body_is_named_with_a_reason() {
    let l = levels().await;
    let first = l.resolved(dated(complaint(), "2026-10-01"), "2026-10-05", "2026-11-02").await;
    // Without a body named, the province (the commune's direct superior) receives it.
    let done = l
        .act(
            &l.commune_chairman,
            first,
            json!({"action": "reopen", "reason": "Không đồng ý quyết định lần đầu"}),
        )
        .await
        .expect(200)
        .body;
    assert!(warning_codes(&done).is_empty(), "23 days after the decision");
    let cases = l.province_cases().await;
    assert_eq!(cases.len(), 1);
    let second = &cases[0];
    assert_eq!((second["round"].as_i64(), second["agency_id"].as_i64()), (Some(2), Some(l.province)));
    assert_eq!(second["origin"]["relation"], "second_round_of");
    // The province decides; its decision comes back to the commune's file of the first round.
    let second_id = second["id"].as_i64().unwrap();
    let province = &l.province_chairman;
    l.act(province, second_id, json!({"action": "accept"})).await.expect(200);
    let minutes = json!({"action": "record_dialogue", "minutes": "Đối thoại tại UBND tỉnh."});
    l.act(province, second_id, minutes).await.expect(200);
    let decide = json!({"action": "resolve", "result": "Quyết định 88/QĐ-UBND tỉnh: hủy quyết định lần đầu",
                        "conclusion": "right"});
    l.act(province, second_id, decide).await.expect(200);
    let trail = l
        .app
        .get(&format!("/api/v1/petitions/{first}/events"), Some(&l.commune_chairman))
        .await
        .expect(200)
        .body;
    let back = trail
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "next_level_result")
        .expect("the result")
        .clone();
    assert_eq!(back["changes"]["conclusion"], "right");
    assert_eq!(back["changes"]["by_agency_id"], l.province);
    assert_eq!(back["changes"]["round"], 2);
    // Another body than the competent one needs a reason.
    let again = l.resolved(dated(complaint(), "2026-10-01"), "2026-10-05", "2026-11-02").await;
    l.act(&l.commune_chairman, again, json!({"action": "reopen", "to_agency_id": l.commune}))
        .await
        .expect_error(422, "validation_failed");
    let named = json!({"action": "reopen", "to_agency_id": l.commune,
                       "reason": "Chủ tịch tỉnh ủy quyền cho xã xem xét lại (văn bản 45/UBND)"});
    l.act(&l.commune_chairman, again, named).await.expect(200);
    let events = l
        .app
        .get(&format!("/api/v1/petitions/{again}/events"), Some(&l.commune_chairman))
        .await
        .expect(200)
        .body;
    let reopen = events.as_array().unwrap().iter().find(|e| e["action"] == "reopen").unwrap();
    assert_eq!(reopen["changes"]["competent_agency_id"], l.province);
    assert_eq!(reopen["changes"]["competence_overridden"], true);
}

#[tokio::test]
async fn a_second_complaint_after_its_limit_is_taken_with_a_warning() {
    let l = levels().await;
    // Decided Wed 29 Jul 2026; reopened 119 days later, on Wed 25 Nov.
    let first = l.resolved(dated(complaint(), "2026-07-01"), "2026-07-03", "2026-07-29").await;
    let done = l.act(&l.commune_chairman, first, json!({"action": "reopen"})).await.expect(200).body;
    assert_eq!(warning_codes(&done), ["second_filing_late"]);
    let events = l
        .app
        .get(&format!("/api/v1/petitions/{first}/events"), Some(&l.commune_chairman))
        .await
        .expect(200)
        .body;
    let reopen = events.as_array().unwrap().iter().find(|e| e["action"] == "reopen").unwrap();
    assert_eq!(reopen["changes"]["warnings"], json!(["second_filing_late"]));
}

#[tokio::test]
async fn a_missed_first_deadline_opens_the_next_level_and_the_first_case_stays_open() {
    let l = levels().await;
    let chairman = &l.commune_chairman;
    // A denunciation accepted on Mon 5 Oct: its 30 days ended Wed 4 Nov, unresolved.
    let id = l.file(dated(denunciation(), "2026-10-01")).await["id"].as_i64().unwrap();
    let accepted =
        l.act(chairman, id, json!({"action": "accept", "on": "2026-10-05"})).await.expect(200).body;
    assert_eq!(clock(&accepted, "denunciation_resolution").unwrap()["due"], "2026-11-04");
    let view = l.app.get(&format!("/api/v1/petitions/{id}"), Some(chairman)).await.expect(200).body;
    assert!(view["overdue"].as_bool().unwrap());
    assert!(actions(&view).contains(&"reopen".to_owned()), "{view}");
    l.act(chairman, id, json!({"action": "reopen", "reason": "Quá hạn chưa giải quyết"})).await.expect(200);
    let cases = l.province_cases().await;
    assert_eq!(cases.len(), 1);
    assert_eq!((cases[0]["kind"].as_str(), cases[0]["round"].as_i64()), (Some("denunciation"), Some(2)));
    // The superior reviews within 20 days (Law 25/2018 Art. 37(2)).
    assert!(
        cases[0]["deadlines"].as_array().unwrap().iter().any(|d| d["clock"] == "further_denunciation_review")
    );
    let first = l.app.get(&format!("/api/v1/petitions/{id}"), Some(chairman)).await.expect(200).body;
    assert_eq!(first["status"], "accepted", "the commune still owes its conclusion");
    // A complaint not yet past its deadline cannot go up.
    let open = l.file(complaint()).await["id"].as_i64().unwrap();
    l.act(chairman, open, json!({"action": "accept"})).await.expect(200);
    l.act(chairman, open, json!({"action": "reopen"})).await.expect_error(409, "invalid_transition");
}

#[tokio::test]
async fn a_second_round_decision_waits_for_the_dialogue_scheduled_five_days_ahead_and_minuted() {
    let l = levels().await;
    let mut body = complaint();
    body["round"] = json!(2);
    body["earlier_decision"] =
        json!({"number": "12/QĐ-UBND", "date": "2026-11-02", "body": "Chủ tịch UBND xã Hạ Lang"});
    let id = l.file(body).await["id"].as_i64().unwrap();
    let chairman = &l.commune_chairman;
    l.act(chairman, id, json!({"action": "accept"})).await.expect(200);
    l.act(chairman, id, json!({"action": "assign", "assignee_id": l.commune_inspector_id})).await.expect(200);
    let resolve = json!({"action": "resolve", "result": "Quyết định giải quyết khiếu nại lần hai", "conclusion": "wrong"});
    // ND 124/2020 Art. 28: mandatory in the second round.
    l.act(&l.commune_inspector, id, resolve.clone()).await.expect_error(409, "dialogue_required");
    // The invitation goes at least 5 days ahead: Mon 30 Nov is too soon from Wed 25 Nov.
    let too_soon = json!({"action": "schedule_dialogue", "on": "2026-11-29", "place": "Trụ sở UBND xã"});
    l.act(&l.commune_inspector, id, too_soon).await.expect_error(422, "validation_failed");
    let schedule =
        json!({"action": "schedule_dialogue", "on": "2026-12-01", "place": "Hội trường UBND xã Đồng Mỏ"});
    let v = l.act(&l.commune_inspector, id, schedule).await.expect(200).body;
    assert_eq!(v["dialogue"]["on"], "2026-12-01");
    assert_eq!(v["dialogue"]["invitation_by"], "2026-11-26");
    assert!(v["dialogue"]["held_on"].is_null());
    l.act(&l.commune_inspector, id, resolve.clone()).await.expect_error(409, "dialogue_required");
    l.act(&l.commune_inspector, id, json!({"action": "record_dialogue"}))
        .await
        .expect_error(422, "validation_failed");
    let minutes = json!({"action": "record_dialogue",
                         "minutes": "Người khiếu nại giữ nguyên yêu cầu; đại diện UBND giải thích căn cứ bồi thường."});
    let v = l.act(&l.commune_inspector, id, minutes).await.expect(200).body;
    assert_eq!(v["dialogue"]["held_on"], "2026-11-25");
    let v = l.act(&l.commune_inspector, id, resolve).await.expect(200).body;
    assert_eq!(v["status"], "resolved");
    // A first round needs no dialogue; a denunciation has none.
    let first = l.file(complaint()).await["id"].as_i64().unwrap();
    l.act(chairman, first, json!({"action": "accept"})).await.expect(200);
    l.act(chairman, first, json!({"action": "assign", "assignee_id": l.commune_inspector_id}))
        .await
        .expect(200);
    let resolve = json!({"action": "resolve", "result": "Quyết định lần đầu", "conclusion": "right"});
    l.act(&l.commune_inspector, first, resolve).await.expect(200);
    let d = l.file(denunciation()).await["id"].as_i64().unwrap();
    l.act(chairman, d, json!({"action": "accept"})).await.expect(200);
    l.act(chairman, d, json!({"action": "record_dialogue", "minutes": "Không áp dụng"}))
        .await
        .expect_error(409, "invalid_transition");
}
