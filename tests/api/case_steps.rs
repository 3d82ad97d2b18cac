//! The steps the case file lacked (issue 15; domain.md §5, §6, §8): a denunciation's intake
//! lengthened to 10 working days, the termination decision (đình chỉ), a denunciation whose
//! handling continues after it is withdrawn, the first decision's taking effect and the report
//! back to a body that forwarded a petition. Today is Wed 25 Nov 2026.

use serde_json::json;

use crate::petitions::{accepted, clock, complaint, denunciation, go_to, office, send_notices};

#[tokio::test]
async fn a_denunciations_intake_is_lengthened_once_to_ten_working_days() {
    let o = office().await;
    let id = o.file(&o.desk, denunciation()).await["id"].as_i64().unwrap();
    // Law 25/2018 Art. 24(1): 7 working days from Wed 25 Nov is Fri 4 Dec; up to 10 is Wed 9 Dec.
    let v = o.view(&o.chairman, id).await;
    assert_eq!(clock(&v, "denunciation_intake").unwrap()["due"], "2026-12-04");
    let too_long = json!({"action": "extend_intake", "days": 4, "reason": "Xác minh ở ba xã"});
    o.act(&o.chairman, id, too_long).await.expect_error(422, "validation_failed");
    let extend = json!({"action": "extend_intake", "days": 3, "reason": "Phải xác minh ở ba xã"});
    let v = o.act(&o.chairman, id, extend.clone()).await.expect(200).body;
    assert_eq!(clock(&v, "denunciation_intake").unwrap()["due"], "2026-12-09");
    assert_eq!(v["status"], "received");
    // Once only.
    let again = o.act(&o.chairman, id, extend).await;
    assert_eq!(again.status, 409, "{}", again.body);
    // A complaint's intake has no such step.
    let c = o.file(&o.desk, complaint()).await["id"].as_i64().unwrap();
    o.act(&o.chairman, c, json!({"action": "extend_intake", "days": 2, "reason": "Nhiều nơi"}))
        .await
        .expect_error(409, "invalid_transition");
}

#[tokio::test]
async fn a_termination_ends_the_resolution_and_starts_its_notice_and_the_complainants_window() {
    let o = office().await;
    let id = o.file(&o.desk, complaint()).await["id"].as_i64().unwrap();
    o.act(&o.chairman, id, json!({"action": "terminate", "reason": "Tòa án đã thụ lý"}))
        .await
        .expect_error(409, "invalid_transition");
    o.act(&o.chairman, id, json!({"action": "accept"})).await.expect(200);
    o.act(&o.chairman, id, json!({"action": "terminate"})).await.expect_error(422, "validation_failed");
    let v = o
        .act(&o.chairman, id, json!({"action": "terminate", "reason": "Tòa án đã thụ lý vụ án hành chính"}))
        .await
        .expect(200)
        .body;
    assert_eq!((v["status"].as_str(), v["closed_on"].as_str()), (Some("terminated"), Some("2026-11-25")));
    assert_eq!(v["overdue"], false);
    // Sent within 3 working days (ND 124/2020 Art. 28a): Mon 30 Nov; the complainant may resume
    // within 30 days of the notice (Law 02/2011 Art. 11(8)): Fri 25 Dec.
    assert_eq!(clock(&v, "complaint_suspension_send").unwrap()["due"], "2026-11-30");
    assert_eq!(clock(&v, "complaint_resume_window").unwrap()["due"], "2026-12-25");
    assert!(clock(&v, "complaint_resolution_1").is_none(), "the resolution's clock stopped");
    // A denunciation's termination is sent within 5 working days (Law 25/2018 Art. 34(4)).
    let d = o.file(&o.desk, denunciation()).await["id"].as_i64().unwrap();
    o.act(&o.chairman, d, json!({"action": "accept"})).await.expect(200);
    o.act(&o.chairman, d, json!({"action": "suspend", "reason": "Chờ kết quả giám định"})).await.expect(200);
    let v = o
        .act(&o.chairman, d, json!({"action": "terminate", "reason": "Người bị tố cáo đã chết"}))
        .await
        .expect(200)
        .body;
    assert_eq!(v["status"], "terminated");
    assert_eq!(clock(&v, "denunciation_suspension_send").unwrap()["due"], "2026-12-02");
    let events =
        o.app.get(&format!("/api/v1/petitions/{d}/events"), Some(&o.chairman)).await.expect(200).body;
    assert_eq!(events.as_array().unwrap().last().unwrap()["action"], "terminate");
}

/// A complaint from acceptance through its dialogue to a termination, each step with its written
/// notice sent: nothing is left to do at the end and the trail holds every step.
#[tokio::test]
async fn a_complaint_goes_through_its_dialogue_to_a_termination() {
    let o = office().await;
    let id = accepted(&o, complaint()).await;
    // The dialogue on Wed 2 Dec, invited by Fri 27 Nov (ND 124/2020 Art. 28(1)).
    let dialogue = json!({"action": "schedule_dialogue", "on": "2026-12-02", "place": "Phòng tiếp công dân"});
    let v = o.act(&o.inspector, id, dialogue).await.expect(200).body;
    assert_eq!(v["dialogue"]["invitation_by"], "2026-11-27");
    let sent = send_notices(&o, &o.inspector, id).await;
    let kinds: Vec<&str> = sent.iter().map(|n| n["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["acceptance", "dialogue_invitation"]);
    go_to(&o, "2026-12-02");
    let minutes = json!({"action": "record_dialogue",
                         "minutes": "Người khiếu nại trình bày; hai bên thống nhất chờ kết quả vụ án hành chính."});
    let v = o.act(&o.inspector, id, minutes).await.expect(200).body;
    assert_eq!(v["dialogue"]["held_on"], "2026-12-02");
    // Thu 3 Dec: the court has taken up the same matter (Law 02/2011 Art. 11(7)): terminated,
    // its decision sent within 3 working days: 4, 7, 8 Dec.
    go_to(&o, "2026-12-03");
    let v = o
        .act(
            &o.chairman,
            id,
            json!({"action": "terminate", "reason": "Tòa án đã thụ lý vụ án hành chính cùng nội dung"}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(
        (v["status"].as_str(), v["next_due"].as_str()),
        (Some("terminated"), Some("2026-12-08")),
        "{v}"
    );
    let sent = send_notices(&o, &o.inspector, id).await;
    assert_eq!(sent.iter().map(|n| n["kind"].as_str().unwrap()).collect::<Vec<_>>(), ["termination"]);
    let v = o.view(&o.chairman, id).await;
    assert_eq!((v["next_due"].is_null(), v["overdue"].as_bool()), (true, Some(false)), "{v}");
    let events =
        o.app.get(&format!("/api/v1/petitions/{id}/events"), Some(&o.chairman)).await.expect(200).body;
    let steps: Vec<&str> = events.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    for step in ["accept", "schedule_dialogue", "record_dialogue", "terminate", "notice_sent"] {
        assert!(steps.contains(&step), "{step} in {steps:?}");
    }
}

#[tokio::test]
async fn a_withdrawn_denunciation_may_still_be_handled_where_the_law_requires_it() {
    let o = office().await;
    let id = o.file(&o.desk, denunciation()).await["id"].as_i64().unwrap();
    o.act(&o.chairman, id, json!({"action": "accept"})).await.expect(200);
    let due = clock(&o.view(&o.chairman, id).await, "denunciation_resolution").unwrap()["due"].clone();
    // Law 25/2018 Art. 33(3): signs of a violation, a coerced withdrawal, slander.
    o.act(&o.chairman, id, json!({"action": "withdraw", "continue_handling": true}))
        .await
        .expect_error(422, "validation_failed");
    let go_on = json!({"action": "withdraw", "continue_handling": true, "note": "Người tố cáo rút đơn",
                       "reason": "Có dấu hiệu vi phạm pháp luật; nghi bị ép buộc rút đơn"});
    let v = o.act(&o.chairman, id, go_on).await.expect(200).body;
    assert_eq!(v["status"], "accepted");
    assert_eq!(clock(&v, "denunciation_resolution").unwrap()["due"], due, "its clock runs on");
    let events =
        o.app.get(&format!("/api/v1/petitions/{id}/events"), Some(&o.chairman)).await.expect(200).body;
    let last = events.as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (last["action"].as_str(), last["changes"]["continues"].as_bool()),
        (Some("withdraw"), Some(true))
    );
    // A complaint withdrawn ends: nothing continues it.
    let c = o.file(&o.desk, complaint()).await["id"].as_i64().unwrap();
    o.act(&o.chairman, c, json!({"action": "accept"})).await.expect(200);
    let go_on = json!({"action": "withdraw", "continue_handling": true, "reason": "Có dấu hiệu vi phạm"});
    o.act(&o.chairman, c, go_on).await.expect_error(409, "continue_not_allowed");
}

#[tokio::test]
async fn a_first_decision_takes_effect_and_a_forwarded_petitions_result_goes_back() {
    let o = office().await;
    let id = o.file(&o.desk, complaint()).await["id"].as_i64().unwrap();
    o.act(&o.chairman, id, json!({"action": "accept"})).await.expect(200);
    o.act(&o.chairman, id, json!({"action": "assign", "assignee_id": o.inspector_id})).await.expect(200);
    let resolve =
        json!({"action": "resolve", "result": "Quyết định số 20/QĐ-UBND", "conclusion": "partly_right"});
    let v = o.act(&o.inspector, id, resolve).await.expect(200).body;
    // Law 02/2011 Art. 44: 30 days from issue unless a second complaint or a lawsuit: Fri 25 Dec.
    assert_eq!(clock(&v, "complaint_decision_effect").unwrap()["due"], "2026-12-25");
    // A recommendation forwarded by deputies: its result is reported back within 7 working days
    // of the resolution (Law 42/2013 Art. 27(2)): Fri 4 Dec.
    let mut forwarded = complaint();
    forwarded["kind"] = json!("recommendation");
    forwarded["channel"] = json!("forwarded");
    forwarded["forwarding_body"] = json!("Đoàn đại biểu Quốc hội tỉnh");
    forwarded["forwarding_doc_no"] = json!("112/ĐĐBQH");
    let r = o.file(&o.desk, forwarded).await["id"].as_i64().unwrap();
    let v = o
        .act(&o.chairman, r, json!({"action": "resolve", "result": "Đã trả lời công dân bằng văn bản số 45"}))
        .await
        .expect(200)
        .body;
    assert_eq!(clock(&v, "forwarded_result_report").unwrap()["due"], "2026-12-04");
}

#[tokio::test]
async fn a_denunciation_forwarded_out_of_competence_shows_whether_its_five_working_days_were_kept() {
    let o = office().await;
    // Law 25/2018 Art. 24(2): received Mon 16 Nov, due Mon 23 Nov; forwarded Wed 25 Nov: late.
    let mut late = denunciation();
    late["received_on"] = json!("2026-11-16");
    let id = o.file(&o.desk, late).await["id"].as_i64().unwrap();
    let forward = json!({"action": "forward", "to_body": "UBND huyện Lộc Bình", "letter_no": "45/UBND"});
    o.act(&o.chairman, id, forward.clone()).await.expect(200);
    let clocks =
        o.app.get(&format!("/api/v1/petitions/{id}/deadlines"), Some(&o.chairman)).await.expect(200).body;
    let owed = clocks
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["clock"] == "denunciation_forward")
        .expect("the duty")
        .clone();
    assert_eq!(
        (owed["start"].as_str(), owed["due"].as_str(), owed["ended_on"].as_str(), owed["state"].as_str()),
        (Some("2026-11-16"), Some("2026-11-23"), Some("2026-11-25"), Some("met"))
    );
    assert!(owed["source"].as_str().unwrap().contains("Điều 24 khoản 2"));
    // In time: received today, forwarded today.
    let id = o.file(&o.desk, denunciation()).await["id"].as_i64().unwrap();
    o.act(&o.chairman, id, forward).await.expect(200);
    let clocks =
        o.app.get(&format!("/api/v1/petitions/{id}/deadlines"), Some(&o.chairman)).await.expect(200).body;
    let owed =
        clocks.as_array().unwrap().iter().find(|c| c["clock"] == "denunciation_forward").unwrap().clone();
    assert_eq!((owed["due"].as_str(), owed["ended_on"].as_str()), (Some("2026-12-02"), Some("2026-11-25")));
}
