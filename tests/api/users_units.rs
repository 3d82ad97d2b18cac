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
        units.body.as_array().unwrap().iter().map(|u| u["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Thanh tra phường", "Văn phòng HĐND và UBND"]);

    let created = app
        .post(
            "/api/v1/users",
            Some(&admin),
            json!({"username": "Hoang.Lan", "password": "Mật khẩu 2026", "full_name": "Hoàng Thị Lan",
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
        json!({"username": "hoang.lan", "password": "Mật khẩu 2026", "full_name": "Trùng", "role": "inspector"}),
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

    let token = app.login("hoang.lan", "Mật khẩu 2026").await;
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
            json!({"username": "nhamdonvi", "password": "Mật khẩu 2026", "full_name": "Nhầm đơn vị", "role": "inspector", "unit_id": foreign_unit}),
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
