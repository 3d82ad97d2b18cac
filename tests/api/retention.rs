//! Retention (issue 18; TT 05/2021 Art. 28(2)): archived petitions past their year are listed for
//! the head's decision and destroyed only by an explicit, audited action that names the decision
//! and the cases, keeps a register line of each and leaves a trail that verifies; anything not due
//! is refused, changing nothing.

use chrono::{TimeZone, Utc};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use tiepdan::{
    entity::{attachment, attachment_chunk, petition, petition_content, petition_party},
    service::audit,
};

use crate::{
    attachments::{PDF, upload},
    petitions::{Office, complaint, office},
};

/// 9:00 in Vietnam on `y-m-d`.
fn morning(y: i32, m: u32, d: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 2, 0, 0).unwrap()
}

async fn file(o: &Office, subject: &str) -> (i64, String) {
    let mut body = complaint();
    body["subject"] = json!(subject);
    let v = o.file(&o.desk, body).await;
    (v["id"].as_i64().unwrap(), v["tracking_code"].as_str().unwrap().to_owned())
}

async fn archive(o: &Office, id: i64) {
    o.act(&o.chairman, id, json!({"action": "archive", "reason": "Đơn trùng nội dung đã giải quyết"}))
        .await
        .expect(200);
}

fn codes(page: &Value, key: &str) -> Vec<String> {
    page[key].as_array().unwrap().iter().map(|i| i["tracking_code"].as_str().unwrap().to_owned()).collect()
}

async fn verifies(o: &Office) {
    let report = audit::verify_all(&o.app.state.db.reader, &o.app.state.keys).await.unwrap();
    assert!(report.is_intact(), "{report:?}");
}

#[tokio::test]
async fn retention_lists_and_destroys_only_archived_cases_past_their_year_with_the_event_recorded() {
    let o = office().await;
    let (a, code_a) = file(&o, "Khiếu nại việc cấp phép xây dựng nhà số 12").await;
    upload(&o.app, &format!("/api/v1/petitions/{a}/attachments"), Some(&o.inspector), "don.pdf", PDF)
        .await
        .expect(201);
    archive(&o, a).await;
    let (open, code_open) = file(&o, "Khiếu nại việc thu hồi đất ruộng").await;
    o.app.clock.set(morning(2027, 1, 20));
    let (b, code_b) = file(&o, "Khiếu nại về tiền bồi thường").await;
    archive(&o, b).await;

    // A year after A's archiving (25 Nov 2026): A is due, B (archived 20 Jan 2027) and the open case
    // are not.
    o.app.clock.set(morning(2027, 11, 25));
    let due = o.app.get("/api/v1/retention/due", Some(&o.chairman)).await.expect(200).body;
    assert_eq!(codes(&due, "items"), [code_a.as_str()], "{due}");
    assert_eq!(due["items"][0]["archive_until"], "2027-11-25");
    assert_eq!(due["total"], 1);
    o.app.get("/api/v1/retention/due", Some(&o.admin)).await.expect(200);
    o.app.get("/api/v1/retention/due", Some(&o.inspector)).await.expect_error(403, "forbidden");
    o.app.get("/api/v1/retention/due", None).await.expect(401);

    // Anything not due makes the whole decision refused, naming it; nothing is destroyed.
    let decision = |ids: Vec<i64>| json!({"decision_no": "25/QĐ-UBND", "decision_on": "2027-11-25", "petition_ids": ids});
    let refused = o
        .app
        .post("/api/v1/retention/destructions", Some(&o.chairman), decision(vec![a, b]))
        .await
        .expect_error(409, "not_due");
    let message = refused.body["error"]["message"].as_str().unwrap();
    assert!(message.contains(&code_b) && message.contains("chưa hết thời hạn lưu"), "{message}");
    assert!(!message.contains(&code_a), "only what is not due is named: {message}");
    o.app
        .post("/api/v1/retention/destructions", Some(&o.chairman), decision(vec![open]))
        .await
        .expect_error(409, "not_due");
    assert_eq!(
        codes(&o.app.get("/api/v1/retention/due", Some(&o.chairman)).await.body, "items"),
        [code_a.as_str()]
    );
    // A decision dated tomorrow, none named, an inspector: refused.
    o.app
        .post(
            "/api/v1/retention/destructions",
            Some(&o.chairman),
            json!({"decision_no": "25/QĐ-UBND", "decision_on": "2027-11-26", "petition_ids": [a]}),
        )
        .await
        .expect_error(422, "validation_failed");
    o.app
        .post("/api/v1/retention/destructions", Some(&o.chairman), decision(vec![]))
        .await
        .expect_error(422, "validation_failed");
    o.app
        .post("/api/v1/retention/destructions", Some(&o.inspector), decision(vec![a]))
        .await
        .expect_error(403, "forbidden");
    o.app
        .post("/api/v1/retention/destructions", Some(&o.chairman), decision(vec![a, 999_999]))
        .await
        .expect_error(404, "not_found");

    let done = o
        .app
        .post("/api/v1/retention/destructions", Some(&o.chairman), decision(vec![a]))
        .await
        .expect(200)
        .body;
    let line = &done["destroyed"][0];
    assert_eq!(line["tracking_code"], code_a.as_str());
    assert_eq!(line["kind"], "complaint");
    assert_eq!(line["received_on"], "2026-11-25");
    assert_eq!(line["closed_on"], "2026-11-25");
    assert_eq!(line["decision_no"], "25/QĐ-UBND");
    assert_eq!(line["decision_on"], "2027-11-25");
    assert_eq!(line["destroyed_by_name"], "Cán bộ chutich");
    assert!(line["destroyed_at"].is_string(), "{line}");

    // Gone: the content, the parties, the attachment and its bytes, the words in the index.
    let db = &o.app.state.db.reader;
    let content = petition_content::Entity::find_by_id(a).one(db).await.unwrap().unwrap();
    assert_eq!(content.content, "");
    let parties =
        petition_party::Entity::find().filter(petition_party::Column::PetitionId.eq(a)).count(db).await;
    assert_eq!(parties.unwrap(), 0);
    let files =
        attachment::Entity::find().filter(attachment::Column::PetitionId.eq(a)).count(db).await.unwrap();
    assert_eq!(files, 0);
    assert_eq!(attachment_chunk::Entity::find().count(db).await.unwrap(), 0, "the only file's chunks");
    let row = petition::Entity::find_by_id(a).one(db).await.unwrap().unwrap();
    assert_eq!(row.subject, "Đã hủy theo Quyết định số 25/QĐ-UBND ngày 25/11/2027");
    assert!(row.outcome_note.is_none() && row.archive_until.is_none(), "{row:?}");
    let found =
        o.app.get("/api/v1/petitions?q=cap%20phep%20xay%20dung", Some(&o.chairman)).await.expect(200).body;
    assert_eq!(found["total"], 0, "{found}");

    // The event is in the trail, and the register verifies.
    let trail = o.app.get(&format!("/api/v1/petitions/{a}/events"), Some(&o.chairman)).await.expect(200).body;
    let last = trail.as_array().unwrap().last().unwrap();
    assert_eq!(last["action"], "destroyed");
    assert_eq!(last["actor_name"], "Cán bộ chutich");
    assert_eq!(last["changes"]["decision_no"], "25/QĐ-UBND");
    verifies(&o).await;
    let sealed = audit::seal::seal(
        &o.app.state.db.writer,
        &o.app.state.keys.audit,
        tiepdan::clock::Clock::now(&o.app.clock),
    )
    .await;
    assert!(sealed.is_ok());
    verifies(&o).await;

    // Its notices still print (their register numbers stay), without anyone's identity.
    let notices =
        o.app.get(&format!("/api/v1/petitions/{a}/notices"), Some(&o.chairman)).await.expect(200).body;
    assert!(!notices.as_array().unwrap().is_empty(), "the receipt at least");
    for n in notices.as_array().unwrap() {
        let page = o.app.get(&format!("/api/v1/notices/{}", n["id"]), Some(&o.chairman)).await.expect(200);
        let html = String::from_utf8_lossy(&page.bytes);
        assert!(!html.contains("Nguyễn Văn An") && !html.contains("001234567890"), "{html}");
    }

    // The line stays; the case takes no further step, and is not destroyed twice.
    let view = o.view(&o.chairman, a).await;
    assert_eq!(view["allowed_actions"], json!([]), "{view}");
    assert!(view.get("petitioner").is_none_or(Value::is_null), "{view}");
    o.act(&o.chairman, a, json!({"action": "reopen"})).await.expect_error(409, "destroyed");
    let again = o.app.post("/api/v1/retention/destructions", Some(&o.chairman), decision(vec![a])).await;
    let again = again.expect_error(409, "not_due");
    assert!(again.body["error"]["message"].as_str().unwrap().contains("đã được hủy"));
    let due = o.app.get("/api/v1/retention/due", Some(&o.chairman)).await.expect(200).body;
    assert_eq!(due["total"], 0);
    let register = o.app.get("/api/v1/retention/destroyed", Some(&o.admin)).await.expect(200).body;
    assert_eq!(codes(&register, "items"), [code_a.as_str()]);

    // B's year ends on 20 Jan 2028.
    o.app.clock.set(morning(2028, 1, 20));
    // (Past the test tokens' 400 days.)
    let chairman = o.app.login("chutich", "chutich-mật-khẩu").await;
    let due = o.app.get("/api/v1/retention/due", Some(&chairman)).await.expect(200).body;
    assert_eq!(codes(&due, "items"), [code_b]);
    let _ = code_open;
}

#[tokio::test]
async fn the_lists_of_retention_page_by_cursor() {
    let o = office().await;
    let mut ids = Vec::new();
    for n in 0..3 {
        let (id, code) = file(&o, &format!("Kiến nghị số {n} về vệ sinh môi trường")).await;
        archive(&o, id).await;
        ids.push((id, code));
    }
    o.app.clock.set(morning(2027, 12, 1));
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let path = match &after {
            Some(a) => format!("/api/v1/retention/due?per_page=2&after={a}"),
            None => "/api/v1/retention/due?per_page=2".to_owned(),
        };
        let page = o.app.get(&path, Some(&o.chairman)).await.expect(200).body;
        assert_eq!(page["total"], 3);
        seen.extend(codes(&page, "items"));
        match page["next_after"].as_str() {
            Some(next) => after = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen, ids.iter().map(|(_, c)| c.clone()).collect::<Vec<_>>(), "oldest first, each once");
    o.app.get("/api/v1/retention/due?after=%21%21", Some(&o.chairman)).await.expect(400);

    let all: Vec<i64> = ids.iter().map(|(id, _)| *id).collect();
    o.app
        .post(
            "/api/v1/retention/destructions",
            Some(&o.admin),
            json!({"decision_no": "3/QĐ-UBND", "decision_on": "2027-11-30", "petition_ids": all}),
        )
        .await
        .expect(200);
    let first = o.app.get("/api/v1/retention/destroyed?per_page=2", Some(&o.chairman)).await.expect(200).body;
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    let next = first["next_after"].as_str().unwrap();
    let second = o
        .app
        .get(&format!("/api/v1/retention/destroyed?per_page=2&after={next}"), Some(&o.chairman))
        .await
        .expect(200)
        .body;
    assert_eq!(second["items"].as_array().unwrap().len(), 1);
    assert!(second["next_after"].is_null());
    verifies(&o).await;
}
