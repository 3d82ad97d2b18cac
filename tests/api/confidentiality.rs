//! A denouncer's identity is shown only to the officer who received the denunciation, the
//! assigned handler and the chairman; never in lists, search, the trail or the public view; and
//! every read of it is logged (Law 25/2018 Arts. 8(3), 9(1)(b), 47; domain.md §6).

use serde_json::{Value, json};

use crate::petitions::{Office, denunciation, office};

const NAME: &str = "Trần Thị Bích";
const ID_NUMBER: &str = "036189001122";

fn leaks(v: &Value) -> bool {
    let text = v.to_string();
    text.contains(NAME) || text.contains(ID_NUMBER) || text.contains("Bich") || text.contains("ngõ 4")
}

async fn filed(o: &Office) -> i64 {
    o.file(&o.desk, denunciation()).await["id"].as_i64().unwrap()
}

#[tokio::test]
async fn denunciation_identity_is_hidden_from_an_unassigned_inspector_a_unit_head_and_the_admin() {
    let o = office().await;
    let id = filed(&o).await;
    // Routed to the unit, not yet to a handler.
    o.act(&o.chairman, id, json!({"action": "assign", "unit_id": o.unit})).await.expect(200);

    for (who, token) in [
        ("unassigned inspector", &o.other_inspector),
        ("unit head", &o.head),
        ("admin", &o.admin),
        ("another receptionist", &o.other_desk),
    ] {
        let v = o.view(token, id).await;
        assert!(
            v.get("petitioner").is_none() && v.get("parties").is_none(),
            "{who} must not see the denouncer"
        );
        assert!(!leaks(&v), "{who}: {v}");
        assert_eq!(v["kind"], "denunciation");
    }
    for (who, token) in [("receiving officer", &o.desk), ("chairman", &o.chairman)] {
        let v = o.view(token, id).await;
        assert_eq!(v["petitioner"]["full_name"], NAME, "{who} may see the denouncer");
        assert_eq!(v["petitioner"]["id_number"], ID_NUMBER);
    }

    // Once assigned, the handler sees it; the unit head still does not.
    o.act(&o.head, id, json!({"action": "assign", "assignee_id": o.inspector_id})).await.expect(200);
    let head_view = o
        .act(&o.head, id, json!({"action": "assign", "expected_result": "Kết luận nội dung tố cáo"}))
        .await
        .expect(200)
        .body;
    assert!(!leaks(&head_view), "an action's answer follows the same rule");
    assert_eq!(o.view(&o.inspector, id).await["petitioner"]["full_name"], NAME);
    assert!(o.view(&o.other_inspector, id).await.get("petitioner").is_none());
}

#[tokio::test]
async fn denunciation_identity_never_appears_in_lists_search_trail_or_public_view() {
    let o = office().await;
    let id = filed(&o).await;
    let code = o.view(&o.chairman, id).await["tracking_code"].as_str().unwrap().to_owned();

    for token in [&o.chairman, &o.desk, &o.other_inspector, &o.head] {
        let list = o.app.get("/api/v1/petitions", Some(token)).await.expect(200).body;
        assert_eq!(list["total"], 1);
        assert!(!leaks(&list), "{list}");
        let inbox = o.app.get("/api/v1/inbox?scope=new", Some(token)).await.expect(200).body;
        assert_eq!(inbox["total"], 1);
        assert!(!leaks(&inbox));
        // The denouncer cannot be found by name, even by those allowed to see it.
        for q in ["Bich", "tran thi bich", "Trần Thị Bích"] {
            let found = o
                .app
                .get(&format!("/api/v1/petitions?q={}", q.replace(' ', "%20")), Some(token))
                .await
                .expect(200)
                .body;
            assert_eq!(found["total"], 0, "search by the denouncer's name must find nothing: {q}");
        }
        let trail = o.app.get(&format!("/api/v1/petitions/{id}/events"), Some(token)).await.expect(200).body;
        assert!(!leaks(&trail), "{trail}");
    }
    let public = o.app.get(&format!("/api/v1/public/petitions/{code}"), None).await.expect(200).body;
    assert!(!leaks(&public));
    assert!(!public.to_string().contains("địa chính"), "no content on the public page");

    // Another agency's staff do not even learn it exists.
    let other = o
        .app
        .post("/api/v1/agencies", Some(&o.admin), json!({"name": "UBND xã Khác", "level": "commune"}))
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    o.app
        .post("/api/v1/users", Some(&o.admin), json!({"username": "ct.khac", "password": "Sổ tiếp dân 2026", "full_name": "Chủ tịch xã Khác", "role": "chairman", "agency_id": other}))
        .await
        .expect(201);
    let foreign = o.app.login("ct.khac", "Sổ tiếp dân 2026").await;
    o.app.get(&format!("/api/v1/petitions/{id}"), Some(&foreign)).await.expect_error(404, "not_found");
    o.app.get(&format!("/api/v1/petitions/{id}/events"), Some(&foreign)).await.expect_error(404, "not_found");
    o.act(&foreign, id, json!({"action": "accept"})).await.expect_error(404, "not_found");
    let (_, citizen) = o.app.citizen("congdan.to").await;
    o.app.get(&format!("/api/v1/petitions/{id}"), Some(&citizen)).await.expect_error(404, "not_found");
}

#[tokio::test]
async fn every_read_of_a_denouncers_identity_is_logged() {
    let o = office().await;
    let id = filed(&o).await;
    o.view(&o.chairman, id).await;
    o.view(&o.other_inspector, id).await;
    o.view(&o.desk, id).await;
    let log = o
        .app
        .get(&format!("/api/v1/petitions/{id}/identity-access"), Some(&o.chairman))
        .await
        .expect(200)
        .body;
    let readers: Vec<&str> =
        log.as_array().unwrap().iter().map(|r| r["user_name"].as_str().unwrap()).collect();
    // Newest first: the desk's view, the chairman's view, the desk's intake answer.
    assert_eq!(readers, ["Cán bộ tiepdan1", "Cán bộ chutich", "Cán bộ tiepdan1"]);
    let purposes: Vec<&str> =
        log.as_array().unwrap().iter().map(|r| r["purpose"].as_str().unwrap()).collect();
    assert_eq!(purposes, ["view", "view", "intake"]);
    assert!(!leaks(&log));
    o.app
        .get(&format!("/api/v1/petitions/{id}/identity-access"), Some(&o.inspector))
        .await
        .expect_error(403, "forbidden");
}

#[tokio::test]
async fn repeat_warnings_never_reveal_a_denouncer_to_those_who_may_not_see_them() {
    let o = office().await;
    filed(&o).await;
    let check = |token: String| {
        let app = &o.app;
        async move {
            app.post(
                "/api/v1/petitions/repeat-check",
                Some(&token),
                json!({"id_numbers": [ID_NUMBER], "subject": "Việc khác hẳn"}),
            )
            .await
            .expect(200)
            .body
        }
    };
    assert_eq!(check(o.other_desk.clone()).await, json!([]), "another receptionist learns nothing");
    let own = check(o.desk.clone()).await;
    assert_eq!(own[0]["code"], "same_identity", "the receiving officer already knows the denouncer");
}

#[tokio::test]
async fn an_inspector_may_not_take_a_denunciation_from_the_pool() {
    let o = office().await;
    let id = filed(&o).await;
    // Whoever accepts from the pool becomes the handler, who sees the denouncer: not for a
    // denunciation the inspector neither received nor was assigned.
    let v = o.view(&o.other_inspector, id).await;
    assert!(!v["allowed_actions"].as_array().unwrap().contains(&json!("accept")), "{v}");
    o.act(&o.other_inspector, id, json!({"action": "accept"})).await.expect_error(403, "forbidden");
    let v = o.view(&o.chairman, id).await;
    assert_eq!((v["status"].as_str(), v["assignee_id"].as_i64()), (Some("received"), None));
    assert!(!leaks(&o.view(&o.other_inspector, id).await));

    // Assigned first by the chairman, the handler accepts it and sees the denouncer.
    o.act(&o.chairman, id, json!({"action": "assign", "assignee_id": o.inspector_id})).await.expect(200);
    let v = o.act(&o.inspector, id, json!({"action": "accept"})).await.expect(200).body;
    assert_eq!(v["petitioner"]["full_name"], NAME);

    // An inspector who received a denunciation himself may accept it and handle it.
    let own = o.file(&o.inspector, denunciation()).await["id"].as_i64().unwrap();
    let v = o.act(&o.inspector, own, json!({"action": "accept"})).await.expect(200).body;
    assert_eq!(v["assignee_id"], o.inspector_id);
    assert_eq!(v["petitioner"]["full_name"], NAME);
}

#[tokio::test]
async fn a_further_denunciation_is_not_revealed_to_whoever_records_it() {
    let o = office().await;
    let id = filed(&o).await;
    o.act(&o.chairman, id, json!({"action": "assign", "assignee_id": o.inspector_id, "unit_id": o.unit}))
        .await
        .expect(200);
    o.act(&o.inspector, id, json!({"action": "accept"})).await.expect(200);
    o.act(
        &o.inspector,
        id,
        json!({"action": "resolve", "result": "Tố cáo không đúng.", "conclusion": "wrong"}),
    )
    .await
    .expect(200);

    // The unit head records the further denunciation: the new case carries the denouncer, but the
    // unit head could not see them on the first one and does not now.
    let further =
        o.act(&o.head, id, json!({"action": "reopen", "reason": "Có chứng cứ mới."})).await.expect(200).body;
    let new_id = further["id"].as_i64().unwrap();
    assert_ne!(new_id, id);
    assert_eq!(further["origin"]["relation"], "further_denunciation_of");
    assert!(!leaks(&further), "{further}");
    assert_eq!(further["received_by"], o.desk_id, "the first case's receiving officer");
    assert!(!leaks(&o.view(&o.head, new_id).await));
    assert!(!leaks(&o.view(&o.other_inspector, new_id).await));
    assert_eq!(o.view(&o.desk, new_id).await["petitioner"]["full_name"], NAME);
    assert_eq!(o.view(&o.chairman, new_id).await["petitioner"]["full_name"], NAME);
}

#[tokio::test]
async fn a_denunciation_splits_only_into_denunciations() {
    let o = office().await;
    let id = filed(&o).await;
    let mixed = json!([
        {"kind": "denunciation", "subject": "Tố cáo nhận tiền khi cấp giấy", "content": "Phần tố cáo."},
        {"kind": "complaint", "subject": "Khiếu nại việc chậm cấp giấy", "content": "Phần khiếu nại."},
    ]);
    let refused = o
        .act(&o.chairman, id, json!({"action": "split", "parts": mixed}))
        .await
        .expect_error(422, "validation_failed");
    let message = refused.body["error"]["fields"]["parts[1].kind"][0].as_str().unwrap();
    assert!(message.contains("tố cáo"), "{message}");
    // Nothing was made: no complaint carrying the denouncer, found by name or seen by all staff.
    let list = o.app.get("/api/v1/petitions", Some(&o.chairman)).await.expect(200).body;
    assert_eq!(list["total"], 1);
    assert_eq!(o.view(&o.chairman, id).await["status"], "received");

    let parts = json!([
        {"kind": "denunciation", "subject": "Tố cáo nhận tiền khi cấp giấy", "content": "Phần thứ nhất."},
        {"kind": "denunciation", "subject": "Tố cáo gây khó khăn khi đo đạc", "content": "Phần thứ hai."},
    ]);
    let v = o.act(&o.chairman, id, json!({"action": "split", "parts": parts})).await.expect(200).body;
    assert_eq!(v["status"], "archived");
    let children: Vec<i64> =
        v["derived"].as_array().unwrap().iter().map(|d| d["id"].as_i64().unwrap()).collect();
    assert_eq!(children.len(), 2);
    for child in children {
        for token in [&o.head, &o.other_inspector, &o.other_desk, &o.admin] {
            assert!(!leaks(&o.view(token, child).await));
        }
        assert_eq!(
            o.view(&o.desk, child).await["petitioner"]["full_name"],
            NAME,
            "still the receiving officer's"
        );
    }
    for token in [&o.chairman, &o.head] {
        let found = o.app.get("/api/v1/petitions?q=tran%20thi%20bich", Some(token)).await.expect(200).body;
        assert_eq!(found["total"], 0);
    }
}

#[tokio::test]
async fn an_admin_may_file_a_denunciation_but_sees_it_redacted() {
    let o = office().await;
    // API.md says the staff who received it see the denouncer; domain.md §2, the rulebook on
    // identity, keeps the admin to the redacted view even then.
    let v = o.file(&o.admin, denunciation()).await;
    let id = v["id"].as_i64().unwrap();
    assert!(!leaks(&v), "{v}");
    assert!(v.get("petitioner").is_none());
    assert!(!leaks(&o.view(&o.admin, id).await));
    let list = o.app.get("/api/v1/petitions", Some(&o.admin)).await.expect(200).body;
    assert_eq!(list["total"], 1);
    assert!(!leaks(&list));
    let check = o
        .app
        .post(
            "/api/v1/petitions/repeat-check",
            Some(&o.admin),
            json!({"id_numbers": [ID_NUMBER], "subject": "Việc khác hẳn"}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(check, json!([]), "no warning that names the denouncer's case");
    let log =
        o.app.get(&format!("/api/v1/petitions/{id}/identity-access"), Some(&o.admin)).await.expect(200).body;
    assert_eq!(log, json!([]), "the admin never read it");
    // The chairman, the resolver, sees it; a handler once assigned.
    assert_eq!(o.view(&o.chairman, id).await["petitioner"]["full_name"], NAME);
    o.act(&o.chairman, id, json!({"action": "assign", "assignee_id": o.inspector_id})).await.expect(200);
    assert_eq!(o.view(&o.inspector, id).await["petitioner"]["full_name"], NAME);
    assert!(!leaks(&o.view(&o.admin, id).await));
}
