//! The admin is not a back door (issue 13): every change made to an account is an event of a keyed
//! chain that the chairman reads, flagged when it concerns a chairman's account, grants a role that
//! sees identities or is made by the account's holder; and every read of a protected identity is
//! in the agency's access log, with its purpose, for the chairman.

use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use tiepdan::service::oversight::account_events;

use crate::{
    petitions::{denunciation, neighbour, office},
    support::TestApp,
};

async fn events(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let page = app.get(&format!("/api/v1/account-events?{query}"), Some(token)).await.expect(200).body;
    page["items"].as_array().unwrap().clone()
}

fn flags(event: &Value) -> Vec<&str> {
    event["flags"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect()
}

#[tokio::test]
async fn account_changes_by_the_admin_are_events_the_chairman_reads() {
    let o = office().await;
    let app = &o.app;
    // A second admin, who then makes himself a receptionist: a role that sees identities.
    let (admin2_id, admin2) = app.staff(&o.admin, "quantri2", "admin", None).await;
    app.patch(&format!("/api/v1/users/{admin2_id}"), Some(&admin2), json!({"role": "receptionist"}))
        .await
        .expect(200);
    // The admin resets the chairman's password: whoever did can sign in as the chairman.
    let chairman_id = o.chairman_id;
    app.post(
        &format!("/api/v1/users/{chairman_id}/password"),
        Some(&o.admin),
        json!({"new_password": "Sổ tiếp dân mới 2026!"}),
    )
    .await
    .expect(204);

    let chairman = app.login("chutich", "Sổ tiếp dân mới 2026!").await;
    let log = events(app, &chairman, "per_page=200").await;
    let newest = &log[0];
    assert_eq!(newest["action"], "password_reset");
    assert_eq!(newest["account_id"], chairman_id);
    assert_eq!(flags(newest), ["chairman_account", "password_taken_over"]);
    assert_eq!(newest["actor_name"], "Quản trị hệ thống");

    let own = log.iter().find(|e| e["account_id"] == admin2_id && e["action"] == "changed").unwrap();
    assert_eq!(own["changes"]["role"], json!({"from": "admin", "to": "receptionist"}));
    assert_eq!(flags(own), ["grants_identity_access", "own_account"]);
    assert_eq!(own["actor_id"], admin2_id);

    let created = log.iter().find(|e| e["account_id"] == chairman_id && e["action"] == "created").unwrap();
    assert_eq!(flags(created), ["chairman_account", "grants_identity_access"]);
    assert_eq!(created["changes"]["role"], "chairman");
    // The first admin, made by the register itself at its first start, opens the log.
    let first = log.last().unwrap();
    assert_eq!((first["seq"].as_i64(), first["actor_id"].as_i64()), (Some(1), None));
    // Seven accounts made, one changed, one password reset.
    assert_eq!(log.len(), 1 + 6 + 1 + 1 + 1, "{log:#?}");

    // Only the flagged ones, when asked.
    let flagged = events(app, &chairman, "flagged=true&per_page=200").await;
    assert!(flagged.iter().all(|e| !flags(e).is_empty()));
    assert!(flagged.len() < log.len());

    // No one else reads it: not the unit head, an inspector or a receptionist.
    for token in [&o.head, &o.inspector, &o.desk] {
        app.get("/api/v1/account-events", Some(token)).await.expect_error(403, "forbidden");
        app.get("/api/v1/identity-access", Some(token)).await.expect_error(403, "forbidden");
    }
    app.get("/api/v1/account-events", None).await.expect(401);

    // Another agency's chairman sees his agency's accounts only.
    let (_, other_chairman) = neighbour(&o, "UBND phường Thứ Hai", "chutich.hai").await;
    let theirs = events(app, &other_chairman, "per_page=200").await;
    assert_eq!(theirs.len(), 1, "only his own account's creation: {theirs:#?}");

    // The chain verifies; an edited event, a forged one or a removed one does not.
    let db = &app.state.db.writer;
    let audit = &app.state.keys.audit;
    assert_eq!(account_events::verify(db, audit).await.unwrap(), None);
    let exec = |sql: &str| db.execute_raw(Statement::from_string(db.get_database_backend(), sql.to_owned()));
    exec("UPDATE account_event SET changes = '{\"role\":\"inspector\"}' WHERE seq = 3").await.unwrap();
    let broken = account_events::verify(db, audit).await.unwrap().expect("an edited event is found");
    assert_eq!(broken.seq, 3);
    assert!(broken.problem.contains("mã băm"), "{broken:?}");
}

#[tokio::test]
async fn a_removed_account_event_breaks_the_sequence() {
    let o = office().await;
    let db = &o.app.state.db.writer;
    let audit = &o.app.state.keys.audit;
    db.execute_unprepared("DELETE FROM account_event WHERE seq = 4").await.unwrap();
    let broken = account_events::verify(db, audit).await.unwrap().expect("a removed event is found");
    assert_eq!((broken.seq, broken.account_id), (4, None));
    assert!(broken.problem.contains("bị thiếu"), "{broken:?}");
}

#[tokio::test]
async fn every_read_of_a_protected_identity_is_in_the_chairmans_access_log_with_its_purpose() {
    let o = office().await;
    let app = &o.app;
    let case = o.file(&o.desk, denunciation()).await;
    let id = case["id"].as_i64().unwrap();
    o.view(&o.desk, id).await;
    // A denunciation heard at the desk with no case opened, and a refusal to receive.
    let session = app
        .post(
            "/api/v1/reception-sessions",
            Some(&o.desk),
            json!({"kind": "regular", "date": "2026-11-25", "host_id": o.desk_id, "location": "Phòng tiếp công dân"}),
        )
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    let visit = app
        .post(
            &format!("/api/v1/reception-sessions/{session}/visits"),
            Some(&o.desk),
            json!({"visitor": {"full_name": "Trần Thị Bích", "address": "Số 8 ngõ 4"}, "people_count": 1,
                   "representatives": [], "summary": "Tố cáo cán bộ địa chính nhận tiền.", "kind": "denunciation",
                   "within_competence": true, "open_petition": false}),
        )
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    let refusal = app
        .post(
            &format!("/api/v1/reception-sessions/{session}/refusals"),
            Some(&o.desk),
            json!({"visitor": "Hoàng Văn Em", "ground": "threats_or_insults"}),
        )
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    app.get("/api/v1/reception-book?from=2026-11-01&to=2026-11-30", Some(&o.desk)).await.expect(200);
    // The admin and another receptionist read nothing: nothing is logged for them.
    o.view(&o.admin, id).await;
    app.get("/api/v1/reception-book?from=2026-11-01&to=2026-11-30", Some(&o.other_desk)).await.expect(200);

    let log = app.get("/api/v1/identity-access?per_page=200", Some(&o.chairman)).await.expect(200).body;
    let reads = log["items"].as_array().unwrap();
    let purposes = |pick: &dyn Fn(&Value) -> bool| -> Vec<String> {
        let mut p: Vec<String> =
            reads.iter().filter(|r| pick(r)).map(|r| r["purpose"].as_str().unwrap().to_owned()).collect();
        p.sort();
        p
    };
    assert!(reads.iter().all(|r| r["user_id"] == o.desk_id), "only the receptionist read anything: {log}");
    assert_eq!(purposes(&|r| r["petition_id"] == id), ["intake", "view"]);
    let on_case = reads.iter().find(|r| r["petition_id"] == id).unwrap();
    assert_eq!(on_case["tracking_code"], case["tracking_code"]);
    assert_eq!(on_case["user_name"], "Cán bộ tiepdan1");
    assert_eq!(
        purposes(&|r| r["visit_id"] == visit),
        ["reception_book", "reception_visit"],
        "the visit with no case is logged on the visit"
    );
    assert_eq!(purposes(&|r| r["refusal_id"] == refusal), ["reception_refusal"]);
    assert_eq!(log["total"], 5);

    // By reader, and by period.
    let theirs = app
        .get(&format!("/api/v1/identity-access?user_id={}", o.chairman_id), Some(&o.chairman))
        .await
        .expect(200)
        .body;
    assert_eq!(theirs["total"], 0);
    let before = app
        .get("/api/v1/identity-access?from=2026-10-01&to=2026-10-31", Some(&o.chairman))
        .await
        .expect(200)
        .body;
    assert_eq!(before["total"], 0);
    app.get("/api/v1/identity-access?from=2024-01-01&to=2026-11-30", Some(&o.chairman))
        .await
        .expect_error(400, "invalid_query");
}

#[tokio::test]
async fn the_identity_read_log_pages_by_cursor_and_counts_up_to_a_cap() {
    let o = office().await;
    let app = &o.app;
    let id = o.file(&o.desk, denunciation()).await["id"].as_i64().unwrap();
    for _ in 0..6 {
        o.view(&o.desk, id).await;
    }
    let whole = app.get("/api/v1/identity-access?per_page=200", Some(&o.chairman)).await.expect(200).body;
    let ids = |page: &Value| -> Vec<i64> {
        page["items"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect()
    };
    let all = ids(&whole);
    assert_eq!((all.len(), &whole["total"], &whole["total_capped"]), (7, &json!(7), &json!(false)));
    assert!(whole["next_after"].is_null(), "one page holds them all");
    // Three at a time by cursor: the same reads in the same order (newest first; reads made in the
    // same instant keep their id order), then no next page.
    let (mut walked, mut after) = (Vec::new(), String::new());
    for _ in 0..3 {
        let query = if after.is_empty() { String::new() } else { format!("&after={after}") };
        let page = app
            .get(&format!("/api/v1/identity-access?per_page=3{query}"), Some(&o.chairman))
            .await
            .expect(200)
            .body;
        walked.extend(ids(&page));
        match page["next_after"].as_str() {
            Some(next) => after = next.to_owned(),
            None => break,
        }
    }
    assert_eq!(walked, all);
    app.get("/api/v1/identity-access?after=not-a-cursor", Some(&o.chairman))
        .await
        .expect_error(400, "invalid_query");
    app.get("/api/v1/identity-access?page=201&per_page=50", Some(&o.chairman))
        .await
        .expect_error(400, "page_too_deep");
}
