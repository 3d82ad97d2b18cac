//! The admin manages units and staff accounts.

use serde_json::json;

use crate::support::TestApp;

#[tokio::test]
async fn admin_creates_units_and_staff_changes_roles_and_units() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let ttr = app.unit(&admin, "Thanh tra phường", "TTr").await;
    let vp = app.unit(&admin, "Văn phòng HĐND và UBND", "VP").await;
    app.post("/api/v1/units", Some(&admin), json!({"name": "Trùng mã", "code": "TTr"}))
        .await
        .expect_error(409, "unit_code_taken");

    let units = app.get("/api/v1/units", Some(&admin)).await.expect(200);
    let names: Vec<&str> =
        units.body["items"].as_array().unwrap().iter().map(|u| u["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Thanh tra phường", "Văn phòng HĐND và UBND"]);
    assert_eq!(units.body["total"], 2);

    let created = app
        .post(
            "/api/v1/users",
            Some(&admin),
            json!({"username": "Hoang.Lan", "password": "Sổ tiếp dân 2026", "full_name": "Hoàng Thị Lan",
                   "role": "inspector", "unit_id": ttr, "phone": "0912 345 678", "email": "lan@ubnd.vn"}),
        )
        .await
        .expect(201);
    assert_eq!(created.body["username"], "hoang.lan");
    assert_eq!(created.body["unit_id"], ttr);
    assert!(created.body.get("password_hash").is_none());
    let id = created.body["id"].as_i64().unwrap();

    app.post(
        "/api/v1/users",
        Some(&admin),
        json!({"username": "hoang.lan", "password": "Sổ tiếp dân 2026", "full_name": "Trùng", "role": "inspector"}),
    )
    .await
    .expect_error(409, "username_taken");

    let changed = app
        .patch(&format!("/api/v1/users/{id}"), Some(&admin), json!({"role": "unit_head", "unit_id": vp}))
        .await
        .expect(200);
    assert_eq!(changed.body["role"], "unit_head");
    assert_eq!(changed.body["unit_id"], vp);
    let cleared =
        app.patch(&format!("/api/v1/users/{id}"), Some(&admin), json!({"unit_id": null})).await.expect(200);
    assert_eq!(cleared.body["unit_id"], serde_json::Value::Null);
    assert_eq!(cleared.body["role"], "unit_head");

    let token = app.login("hoang.lan", "Sổ tiếp dân 2026").await;
    app.get("/api/v1/users", Some(&token)).await.expect(200);

    let filtered = app.get("/api/v1/users?role=unit_head", Some(&admin)).await.expect(200);
    assert_eq!(filtered.body["total"], 1);
}

#[tokio::test]
async fn a_unit_of_another_agency_is_refused() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let other = app
        .post("/api/v1/agencies", Some(&admin), json!({"name": "UBND xã Khác", "level": "commune"}))
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    let foreign_unit = app
        .post(
            "/api/v1/units",
            Some(&admin),
            json!({"name": "Văn phòng xã Khác", "code": "VP", "agency_id": other}),
        )
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    let refused = app
        .post(
            "/api/v1/users",
            Some(&admin),
            json!({"username": "nhamdonvi", "password": "Sổ tiếp dân 2026", "full_name": "Nhầm đơn vị", "role": "inspector", "unit_id": foreign_unit}),
        )
        .await
        .expect_error(422, "validation_failed");
    assert!(refused.body["error"]["fields"]["unit_id"].is_array());
}

#[tokio::test]
async fn the_last_active_admin_cannot_be_demoted_or_deactivated() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let me = app.get("/api/v1/auth/me", Some(&admin)).await.body["id"].as_i64().unwrap();
    app.patch(&format!("/api/v1/users/{me}"), Some(&admin), json!({"active": false}))
        .await
        .expect_error(409, "last_admin");
    app.patch(&format!("/api/v1/users/{me}"), Some(&admin), json!({"role": "inspector"}))
        .await
        .expect_error(409, "last_admin");
    let (second, _) = app.staff(&admin, "admin2", "admin", None).await;
    app.patch(&format!("/api/v1/users/{me}"), Some(&admin), json!({"role": "chairman"})).await.expect(200);
    let admin2 = app.login("admin2", "admin2-mật-khẩu").await;
    app.patch(&format!("/api/v1/users/{second}"), Some(&admin2), json!({"active": false}))
        .await
        .expect_error(409, "last_admin");
}

#[tokio::test]
async fn unit_and_agency_lists_are_pages_like_every_other_list() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    for (name, code) in [("Đơn vị C", "C"), ("Đơn vị A", "A"), ("Đơn vị B", "B")] {
        app.unit(&admin, name, code).await;
    }
    let first = app.get("/api/v1/units?page=1&per_page=2", Some(&admin)).await.expect(200).body;
    assert_eq!(
        (first["total"].as_u64(), first["page"].as_u64(), first["per_page"].as_u64()),
        (Some(3), Some(1), Some(2))
    );
    let names = |page: &serde_json::Value| -> Vec<String> {
        page["items"].as_array().unwrap().iter().map(|u| u["name"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(names(&first), ["Đơn vị A", "Đơn vị B"]);
    let second = app.get("/api/v1/units?page=2&per_page=2", Some(&admin)).await.expect(200).body;
    assert_eq!(names(&second), ["Đơn vị C"]);
    assert_eq!(app.get("/api/v1/units?per_page=5000", Some(&admin)).await.expect(200).body["per_page"], 200);
    app.get("/api/v1/units?page=0", Some(&admin)).await.expect_error(400, "invalid_query");

    app.post("/api/v1/agencies", Some(&admin), json!({"name": "UBND xã Khác", "level": "commune"}))
        .await
        .expect(201);
    let agencies = app.get("/api/v1/agencies?per_page=1", Some(&admin)).await.expect(200).body;
    assert_eq!(agencies["total"], 2);
    assert_eq!(agencies["per_page"], 1);
    assert_eq!(agencies["items"][0]["name"], "UBND phường Mẫu", "oldest first");
    let rest = app.get("/api/v1/agencies?page=2&per_page=1", Some(&admin)).await.expect(200).body;
    assert_eq!(rest["items"][0]["name"], "UBND xã Khác");
    app.get("/api/v1/agencies?per_page=0", Some(&admin)).await.expect_error(400, "invalid_query");

    // The OpenAPI document describes both as pages.
    let doc = app.get("/api/v1/openapi.json", None).await.expect(200).body;
    for path in ["/api/v1/units", "/api/v1/agencies"] {
        let op = &doc["paths"][path]["get"];
        let params: Vec<&str> =
            op["parameters"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
        assert!(params.contains(&"page") && params.contains(&"per_page"), "{path}: {params:?}");
        let schema = op["responses"]["200"]["content"]["application/json"]["schema"].to_string();
        assert!(schema.contains("items") || schema.contains("Page"), "{path}: {schema}");
    }
}
