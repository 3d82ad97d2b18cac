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

    for token in [&o.chairman, &o.desk, &o.other_inspector] {
        let list = o.app.get("/api/v1/petitions", Some(token)).await.expect(200).body;
        assert_eq!(list["total"], 1);
        assert!(!leaks(&list), "{list}");
        let inbox = o.app.get("/api/v1/inbox?scope=new", Some(token)).await.expect(200).body;
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
        .post("/api/v1/users", Some(&o.admin), json!({"username": "ct.khac", "password": "Mật khẩu 2026", "full_name": "Chủ tịch xã Khác", "role": "chairman", "agency_id": other}))
        .await
        .expect(201);
    let foreign = o.app.login("ct.khac", "Mật khẩu 2026").await;
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
