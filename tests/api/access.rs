//! Each role's access to users, units and agencies, as a matrix.

use axum::http::Method;
use serde_json::{Value, json};

use crate::support::TestApp;

const ROLES: [&str; 6] = ["admin", "chairman", "unit_head", "inspector", "receptionist", "citizen"];

struct World {
    app: TestApp,
    tokens: Vec<(&'static str, String)>,
    unit_id: i64,
    inspector_id: i64,
}

async fn world() -> World {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let unit_id = app.unit(&admin, "Thanh tra phường", "TTr").await;
    let mut tokens = vec![("admin", admin.clone())];
    let mut inspector_id = 0;
    for role in &ROLES[1..5] {
        let (id, token) = app.staff(&admin, &format!("u.{role}"), role, Some(unit_id)).await;
        if *role == "inspector" {
            inspector_id = id;
        }
        tokens.push((role, token));
    }
    let (_, citizen) = app.citizen("congdan1").await;
    tokens.push(("citizen", citizen));
    World { app, tokens, unit_id, inspector_id }
}

/// Calls `method path` as every role (and anonymously), comparing statuses with `expected`
/// (in `ROLES` order, then anonymous).
async fn check(
    w: &World,
    method: Method,
    path: &str,
    body: impl Fn(&str) -> Option<Value>,
    expected: [u16; 7],
) {
    let mut got = Vec::new();
    for (role, token) in &w.tokens {
        got.push(w.app.call(method.clone(), path, Some(token), body(role)).await.status.as_u16());
    }
    got.push(w.app.call(method.clone(), path, None, body("anonymous")).await.status.as_u16());
    assert_eq!(got, expected.to_vec(), "{method} {path}: statuses for {ROLES:?} + anonymous");
}

#[tokio::test]
async fn each_roles_access_to_users() {
    let w = world().await;
    check(&w, Method::GET, "/api/v1/users", |_| None, [200, 200, 200, 403, 403, 403, 401]).await;
    check(
        &w,
        Method::POST,
        "/api/v1/users",
        |role| Some(json!({"username": format!("moi.{role}"), "password": "Sổ tiếp dân 2026", "full_name": "Cán bộ mới", "role": "inspector"})),
        [201, 403, 403, 403, 403, 403, 401],
    )
    .await;
    let one = format!("/api/v1/users/{}", w.inspector_id);
    check(&w, Method::GET, &one, |_| None, [200, 200, 200, 200, 200, 404, 401]).await;
    // Everyone but the admin is refused before the admin's reset (which revokes the inspector's
    // own token, so it comes last); self-service changes are tested in `auth`.
    check(
        &w,
        Method::POST,
        &format!("{one}/password"),
        |_| Some(json!({"new_password": "Đặt lại 2026"})),
        [204, 403, 403, 401, 403, 403, 401],
    )
    .await;
    check(
        &w,
        Method::PATCH,
        &one,
        |_| Some(json!({"full_name": "Phạm Minh Đức"})),
        [200, 403, 403, 401, 403, 403, 401],
    )
    .await;
}

#[tokio::test]
async fn each_roles_access_to_units_and_agencies() {
    let w = world().await;
    check(
        &w,
        Method::POST,
        "/api/v1/units",
        |role| Some(json!({"name": "Văn phòng", "code": format!("VP-{role}")})),
        [201, 403, 403, 403, 403, 403, 401],
    )
    .await;
    check(&w, Method::GET, "/api/v1/units", |_| None, [200, 200, 200, 200, 200, 403, 401]).await;
    let one = format!("/api/v1/units/{}", w.unit_id);
    check(&w, Method::GET, &one, |_| None, [200, 200, 200, 200, 200, 403, 401]).await;
    check(
        &w,
        Method::PATCH,
        &one,
        |_| Some(json!({"name": "Thanh tra"})),
        [200, 403, 403, 403, 403, 403, 401],
    )
    .await;
    check(
        &w,
        Method::POST,
        "/api/v1/agencies",
        |_| Some(json!({"name": "UBND tỉnh Mẫu", "level": "province"})),
        [201, 403, 403, 403, 403, 403, 401],
    )
    .await;
    check(&w, Method::GET, "/api/v1/agencies", |_| None, [200, 200, 200, 200, 200, 403, 401]).await;
}

#[tokio::test]
async fn staff_never_see_another_agencys_people_or_units() {
    let w = world().await;
    let app = &w.app;
    let admin = &w.tokens[0].1;
    let other = app
        .post("/api/v1/agencies", Some(admin), json!({"name": "UBND xã Bên Cạnh", "level": "commune"}))
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    let a = app
        .post(
            "/api/v1/users",
            Some(admin),
            json!({"username": "chutich.bc", "password": "Sổ tiếp dân 2026", "full_name": "Chủ tịch xã Bên Cạnh", "role": "chairman", "agency_id": other}),
        )
        .await
        .expect(201);
    assert_eq!(a.body["agency_id"], other);
    let foreign_chairman = app.login("chutich.bc", "Sổ tiếp dân 2026").await;

    let listed = app.get("/api/v1/users", Some(&foreign_chairman)).await.expect(200);
    assert_eq!(listed.body["total"], 1, "only their own agency: {}", listed.body);
    app.get(&format!("/api/v1/users/{}", w.inspector_id), Some(&foreign_chairman))
        .await
        .expect_error(404, "not_found");
    app.get(&format!("/api/v1/units/{}", w.unit_id), Some(&foreign_chairman))
        .await
        .expect_error(404, "not_found");
    let units = app.get("/api/v1/units", Some(&foreign_chairman)).await.expect(200);
    assert_eq!(units.body, json!({"items": [], "total": 0, "page": 1, "per_page": 50}));
}
