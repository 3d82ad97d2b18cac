//! The clocks a step starts besides the resolution clock (domain.md §8): the notices of an
//! acceptance, a suspension, a decision or a refusal, the publication of a denunciation's
//! conclusion, a complainant's time for the second complaint, and the report of a forwarded
//! case's result. A clock that times the sending of a written notice runs until the notice is
//! recorded as sent (`service::notices`); the citizen's periods and the publication are
//! informational: shown in the view and explained, never making a case overdue. Expected dates
//! are counted by hand below (the start day not counted; Sat 2 – Sun 3 Jan 2027 a weekend, Fri
//! 1 Jan 2027 New Year).

use serde_json::{Value, json};

use crate::petitions::{
    Office, accepted, clock, complaint, denunciation, go_to, neighbour, office, send_notices,
};

/// The clock `name` of a view, a duty to send a notice, running and not yet overdue, as (due,
/// unit, limit).
#[track_caller]
fn owed(view: &Value, name: &str) -> (String, String, i64) {
    let c = clock(view, name).unwrap_or_else(|| panic!("no {name} clock in {}", view["deadlines"]));
    assert_eq!(c["state"], "running", "{name}: {c}");
    assert_eq!(c["overdue"], false, "{name}: {c}");
    (
        c["due"].as_str().unwrap().to_owned(),
        c["unit"].as_str().unwrap().to_owned(),
        c["limit_days"].as_i64().unwrap(),
    )
}

/// The clock `name` of a view, which must be informational, as (due, unit, limit).
#[track_caller]
fn notice(view: &Value, name: &str) -> (String, String, i64) {
    let c = clock(view, name).unwrap_or_else(|| panic!("no {name} clock in {}", view["deadlines"]));
    assert_eq!(c["state"], "informational", "{name}: {c}");
    assert_eq!(c["overdue"], false, "{name}: {c}");
    (
        c["due"].as_str().unwrap().to_owned(),
        c["unit"].as_str().unwrap().to_owned(),
        c["limit_days"].as_i64().unwrap(),
    )
}

fn due(d: &str, unit: &str, limit: i64) -> (String, String, i64) {
    (d.to_owned(), unit.to_owned(), limit)
}

/// Every clock of a case with its explanation, as the chairman reads them.
async fn explained(o: &Office, token: &str, id: i64) -> Vec<Value> {
    let all = o.app.get(&format!("/api/v1/petitions/{id}/deadlines"), Some(token)).await.expect(200).body;
    all.as_array().unwrap().clone()
}

#[tokio::test]
async fn a_denunciation_starts_its_acceptance_suspension_and_publication_notices() {
    let o = office().await;
    go_to(&o, "2026-12-28");
    let mut body = denunciation();
    body["received_on"] = json!("2026-12-28");
    let id = accepted(&o, body).await;
    let v = o.view(&o.inspector, id).await;
    // Both sides are told of the acceptance within 5 working days (Law 25/2018 Art. 29(3)), from
    // Mon 28 Dec: 29, 30, 31 Dec, (1–3 Jan), 4, 5 Jan.
    assert_eq!(owed(&v, "denunciation_acceptance_notice"), due("2027-01-05", "working", 5));
    // The notice owed is the case's next due date; once sent, the resolution is (30 days: 27 Jan).
    assert_eq!(clock(&v, "denunciation_resolution").unwrap()["due"], "2027-01-27");
    assert_eq!(v["next_due"], "2027-01-05");
    send_notices(&o, &o.inspector, id).await;
    assert_eq!(o.view(&o.inspector, id).await["next_due"], "2027-01-27");

    // The suspension decision is sent within 5 working days (Art. 34(4)), from Wed 30 Dec:
    // 31 Dec, (1–3 Jan), 4, 5, 6, 7 Jan.
    go_to(&o, "2026-12-30");
    let v = o
        .act(&o.inspector, id, json!({"action": "suspend", "reason": "Chờ kết quả giám định"}))
        .await
        .expect(200)
        .body;
    assert_eq!(owed(&v, "denunciation_suspension_send"), due("2027-01-07", "working", 5));
    assert_eq!(v["overdue"], false);
    send_notices(&o, &o.inspector, id).await;

    go_to(&o, "2027-01-04");
    o.act(&o.inspector, id, json!({"action": "resume"})).await.expect(200);
    // The conclusion is published within 7 working days (Art. 40(1)), from Fri 8 Jan: 11–15, 18, 19 Jan.
    go_to(&o, "2027-01-08");
    let v = o
        .act(
            &o.inspector,
            id,
            json!({"action": "resolve", "result": "Tố cáo đúng một phần.", "conclusion": "partly_right"}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(notice(&v, "denunciation_publication"), due("2027-01-19", "working", 7));
    let states: Vec<&str> =
        v["deadlines"].as_array().unwrap().iter().map(|d| d["state"].as_str().unwrap()).collect();
    assert_eq!(
        states,
        ["informational"],
        "the notices were sent, the publication stays in view: {}",
        v["deadlines"]
    );

    // Each is explained like any clock.
    let all = explained(&o, &o.chairman, id).await;
    let publication = all.iter().find(|d| d["clock"] == "denunciation_publication").unwrap();
    assert!(publication["source"].as_str().unwrap().contains("Luật Tố cáo 2018, Điều 40"), "{publication}");
    assert!(!publication["explanation"].as_array().unwrap().is_empty());
    assert_eq!(publication["state"], "informational");

    // Long after every notice's due date, the closed case is not overdue anywhere.
    go_to(&o, "2027-03-01");
    let v = o.view(&o.chairman, id).await;
    assert_eq!((v["overdue"].as_bool(), v["nearly_due"].as_bool()), (Some(false), Some(false)));
    assert!(v["deadlines"].as_array().unwrap().iter().all(|d| d["overdue"] == false));
    let overdue = o.app.get("/api/v1/petitions?overdue=true", Some(&o.chairman)).await.expect(200).body;
    assert_eq!(overdue["total"], 0, "{overdue}");
    let inbox = o.app.get("/api/v1/inbox", Some(&o.inspector)).await.expect(200).body;
    assert_eq!(inbox["total"], 0);
}

#[tokio::test]
async fn a_complaint_decision_starts_its_sending_and_the_second_complaint_period() {
    let o = office().await;
    let id = accepted(&o, complaint()).await;
    // The suspension decision is sent within 3 working days (ND 124/2020 Art. 28a), from Fri
    // 4 Dec: 7, 8, 9 Dec.
    go_to(&o, "2026-12-04");
    let v = o
        .act(&o.inspector, id, json!({"action": "suspend", "reason": "Chờ kết quả của cơ quan khác"}))
        .await
        .expect(200)
        .body;
    assert_eq!(owed(&v, "complaint_suspension_send"), due("2026-12-09", "working", 3));
    send_notices(&o, &o.inspector, id).await;
    go_to(&o, "2026-12-07");
    o.act(&o.inspector, id, json!({"action": "resume"})).await.expect(200);

    // First round, decided Thu 10 Dec: sent within 3 working days (Law 02/2011 Art. 32): 11, 14,
    // 15 Dec; a second complaint within 30 days (Art. 33(1)): Sat 9 Jan rolls to Mon 11 Jan.
    go_to(&o, "2026-12-10");
    let v = o
        .act(
            &o.inspector,
            id,
            json!({"action": "resolve", "result": "Giữ nguyên quyết định.", "conclusion": "wrong"}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(owed(&v, "complaint_decision_send_1"), due("2026-12-15", "working", 3));
    assert_eq!(notice(&v, "complaint_second_filing"), due("2027-01-11", "calendar", 30));
    assert!(clock(&v, "complaint_decision_send_2").is_none());
    // The decision is still owed to the complainant: sent, nothing is due any more.
    assert_eq!(v["next_due"], "2026-12-15");
    send_notices(&o, &o.inspector, id).await;
    assert_eq!(o.view(&o.inspector, id).await["next_due"], Value::Null);

    // The second complaint is filed on Fri 18 Dec, within the period.
    go_to(&o, "2026-12-18");
    let second = o
        .act(&o.desk, id, json!({"action": "reopen", "reason": "Không đồng ý với quyết định lần đầu."}))
        .await
        .expect(200)
        .body;
    let second_id = second["id"].as_i64().unwrap();
    let all = explained(&o, &o.chairman, id).await;
    let period = all.iter().find(|d| d["clock"] == "complaint_second_filing").unwrap();
    assert!(period["source"].as_str().unwrap().contains("Luật Khiếu nại 2011, Điều 33"), "{period}");

    // Second round, decided Fri 25 Dec: sent within 7 days (Art. 41): Fri 1 Jan 2027 is New Year,
    // so Mon 4 Jan; no further complaint period.
    o.act(&o.chairman, second_id, json!({"action": "accept"})).await.expect(200);
    go_to(&o, "2026-12-25");
    // The second round's dialogue is mandatory (ND 124/2020 Art. 28).
    let minutes = json!({"action": "record_dialogue", "minutes": "Đối thoại với người khiếu nại."});
    o.act(&o.chairman, second_id, minutes).await.expect(200);
    let v = o
        .act(
            &o.chairman,
            second_id,
            json!({"action": "resolve", "result": "Giữ nguyên.", "conclusion": "wrong"}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(owed(&v, "complaint_decision_send_2"), due("2027-01-04", "calendar", 7));
    assert!(clock(&v, "complaint_decision_send_1").is_none());
    assert!(clock(&v, "complaint_second_filing").is_none());
}

#[tokio::test]
async fn a_remote_complainant_has_45_days_for_the_second_complaint() {
    let o = office().await;
    let mut body = complaint();
    body["remote_area"] = json!(true);
    let id = accepted(&o, body).await;
    // Decided Wed 25 Nov: sent by Mon 30 Nov (26, 27, 30); 45 days: Sat 9 Jan 2027 → Mon 11 Jan.
    let v = o
        .act(
            &o.inspector,
            id,
            json!({"action": "resolve", "result": "Giữ nguyên quyết định.", "conclusion": "wrong"}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(owed(&v, "complaint_decision_send_1"), due("2026-11-30", "working", 3));
    assert_eq!(notice(&v, "complaint_second_filing"), due("2027-01-11", "calendar", 45));
}

#[tokio::test]
async fn refusing_an_answered_recommendation_starts_its_written_refusal_notice() {
    let o = office().await;
    let mut rec = complaint();
    rec["kind"] = json!("recommendation");
    let r = o.file(&o.desk, rec).await["id"].as_i64().unwrap();
    let c = o.file(&o.desk, complaint()).await["id"].as_i64().unwrap();
    // Refused on Fri 27 Nov: written notice within 3 working days (ND 154/2026 Art. 4(3)):
    // Mon 30 Nov, Tue 1, Wed 2 Dec.
    go_to(&o, "2026-11-27");
    let v = o
        .act(
            &o.chairman,
            r,
            json!({"action": "reject", "reason": "Đã được trả lời, không có tình tiết mới."}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(v["status"], "rejected");
    assert_eq!(owed(&v, "refusal_notice"), due("2026-12-02", "working", 3));
    assert_eq!(clock(&v, "refusal_notice").unwrap()["rule_set"], "2026-07");
    // A complaint's refusal is notified within its acceptance time, which the step meets.
    let v = o
        .act(&o.chairman, c, json!({"action": "reject", "reason": "Không đủ điều kiện thụ lý."}))
        .await
        .expect(200)
        .body;
    assert_eq!(v["deadlines"], json!([]));
}

#[tokio::test]
async fn a_forwarded_case_reports_its_result_at_once_and_the_forwarder_tells_the_citizen() {
    let o = office().await;
    let (other, their_chairman) = neighbour(&o, "UBND phường Bên Cạnh", "chutich.bc").await;
    let mut rec = complaint();
    rec["kind"] = json!("recommendation");
    let id = o.file(&o.desk, rec).await["id"].as_i64().unwrap();
    let v =
        o.act(&o.chairman, id, json!({"action": "forward", "to_agency_id": other})).await.expect(200).body;
    let copy = v["forwarded_to"]["copy_id"].as_i64().unwrap();
    // The citizen is told where his petition went (the 10-day notice) the same day.
    send_notices(&o, &o.chairman, id).await;
    o.act(&their_chairman, copy, json!({"action": "resolve", "result": "Đã sửa chữa cống."}))
        .await
        .expect(200);

    // The result reached the forwarding agency as it was resolved (Law 42/2013 Art. 27(2)): the
    // report is met at once, within its 7 working days (26, 27, 30 Nov, 1–4 Dec).
    let theirs = explained(&o, &their_chairman, copy).await;
    let report = theirs.iter().find(|d| d["clock"] == "forwarded_result_report").unwrap();
    assert_eq!(report["state"], "met");
    assert_eq!(
        (report["start"].as_str(), report["ended_on"].as_str()),
        (Some("2026-11-25"), Some("2026-11-25"))
    );
    assert_eq!(report["due"], "2026-12-04");
    // The forwarding agency tells the citizen within 5 working days (Art. 28(2)): 26, 27, 30 Nov,
    // 1, 2 Dec. Its case is closed and stays so.
    let back = o.view(&o.chairman, id).await;
    assert_eq!(back["forwarded_to"]["result"], "Đã sửa chữa cống.");
    assert_eq!(notice(&back, "forwarded_result_relay"), due("2026-12-02", "working", 5));
    go_to(&o, "2026-12-10");
    assert_eq!(o.view(&o.chairman, id).await["overdue"], false);
    let overdue = o.app.get("/api/v1/petitions?overdue=true", Some(&o.chairman)).await.expect(200).body;
    assert_eq!(overdue["total"], 0, "{overdue}");
}

#[tokio::test]
async fn a_notice_of_an_open_case_moves_with_a_new_day_off() {
    let o = office().await;
    go_to(&o, "2026-12-28");
    let mut body = denunciation();
    body["received_on"] = json!("2026-12-28");
    let id = accepted(&o, body).await;
    assert_eq!(owed(&o.view(&o.chairman, id).await, "denunciation_acceptance_notice").0, "2027-01-05");
    // Mon 4 Jan 2027 declared a day off: 29, 30, 31 Dec, (1–4 Jan), 5, 6 Jan.
    let answer = o
        .app
        .put(
            "/api/v1/calendar/days/2027-01-04",
            Some(&o.admin),
            json!({"kind": "day_off", "name": "Nghỉ bù"}),
        )
        .await
        .expect(200);
    assert_eq!(answer.body["recomputed"]["cases"], 1);
    let v = o.view(&o.chairman, id).await;
    assert_eq!(owed(&v, "denunciation_acceptance_notice"), due("2027-01-06", "working", 5));
    assert_eq!(v["overdue"], false);
}

#[tokio::test]
async fn withdrawing_an_accepted_case_starts_the_termination_notice() {
    let o = office().await;
    let d = accepted(&o, denunciation()).await;
    let c = accepted(&o, complaint()).await;
    let mut fresh = complaint();
    fresh["subject"] = json!("Khiếu nại việc cấp phép xây dựng nhà số 9");
    let new = o.file(&o.desk, fresh).await["id"].as_i64().unwrap();
    // Everything withdrawn on Fri 27 Nov: the termination decision is sent within 5 working days
    // for a denunciation (Law 25/2018 Art. 34(4)): 30 Nov, 1–4 Dec; 3 for a complaint (ND 124/2020
    // Art. 28a): 30 Nov, 1, 2 Dec.
    go_to(&o, "2026-11-27");
    let withdraw = json!({"action": "withdraw", "partial": false, "note": "Có đơn xin rút toàn bộ."});
    let v = o.act(&o.inspector, d, withdraw.clone()).await.expect(200).body;
    assert_eq!(v["status"], "withdrawn");
    assert_eq!(owed(&v, "denunciation_suspension_send"), due("2026-12-04", "working", 5));
    let v = o.act(&o.inspector, c, withdraw.clone()).await.expect(200).body;
    assert_eq!(owed(&v, "complaint_suspension_send"), due("2026-12-02", "working", 3));
    // Not yet accepted: nothing to terminate.
    let v = o.act(&o.desk, new, withdraw).await.expect(200).body;
    assert_eq!(v["deadlines"], json!([]));
}
