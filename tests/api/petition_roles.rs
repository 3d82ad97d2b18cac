//! Who may take which action, as a matrix: every role (and a citizen, and nobody) against each
//! action, each on a fresh case in the state the action needs.

use serde_json::{Value, json};

use crate::petitions::{Office, complaint, denunciation, office};

/// Callers, in the order of the expected statuses.
const WHO: [&str; 9] = [
    "admin",
    "chairman",
    "unit_head",
    "inspector (assigned)",
    "inspector (other)",
    "receptionist (received it)",
    "receptionist (other)",
    "citizen",
    "anonymous",
];

async fn tokens(o: &Office) -> Vec<Option<String>> {
    let (_, citizen) = o.app.citizen("congdan.matrix").await;
    vec![
        Some(o.admin.clone()),
        Some(o.chairman.clone()),
        Some(o.head.clone()),
        Some(o.inspector.clone()),
        Some(o.other_inspector.clone()),
        Some(o.desk.clone()),
        Some(o.other_desk.clone()),
        Some(citizen),
        None,
    ]
}

/// Prepares a case: `assigned` routes it to the inspector of the unit, `accept` accepts it.
async fn case(o: &Office, body: Value, assigned: bool, accept: bool) -> i64 {
    let id = o.file(&o.desk, body).await["id"].as_i64().unwrap();
    if assigned {
        o.act(&o.chairman, id, json!({"action": "assign", "assignee_id": o.inspector_id, "unit_id": o.unit}))
            .await
            .expect(200);
    }
    if accept {
        o.act(&o.chairman, id, json!({"action": "accept"})).await.expect(200);
    }
    id
}

async fn matrix(
    o: &Office,
    tokens: &[Option<String>],
    action: Value,
    prepare: impl AsyncFn() -> i64,
    expected: [u16; 9],
) {
    let mut got = Vec::new();
    for token in tokens {
        let id = prepare().await;
        let a =
            o.app.post(&format!("/api/v1/petitions/{id}/actions"), token.as_deref(), action.clone()).await;
        assert!(a.body["error"]["code"].is_string() || a.status.is_success(), "JSON answer: {}", a.body);
        got.push(a.status.as_u16());
    }
    assert_eq!(got, expected.to_vec(), "{action}: statuses for {WHO:?}");
}

#[tokio::test]
async fn decisions_on_a_new_case_by_role() {
    let o = office().await;
    let t = tokens(&o).await;
    let new = || case(&o, complaint(), false, false);
    // A citizen is a known user without the role: 403 whatever the id, so nothing leaks.
    //                                                                      adm  chair head insp  other desk  other citz anon
    matrix(&o, &t, json!({"action": "accept"}), new, [403, 200, 200, 200, 200, 403, 403, 403, 401]).await;
    matrix(
        &o,
        &t,
        json!({"action": "reject", "reason": "Không đủ điều kiện thụ lý."}),
        new,
        [403, 200, 200, 200, 200, 403, 403, 403, 401],
    )
    .await;
    matrix(
        &o,
        &t,
        json!({"action": "guide", "to_body": "Tòa án nhân dân khu vực 1"}),
        new,
        [403, 200, 200, 200, 200, 200, 200, 403, 401],
    )
    .await;
    matrix(
        &o,
        &t,
        json!({"action": "archive", "reason": "Đơn trùng, đã giải quyết."}),
        new,
        [403, 200, 200, 200, 200, 403, 403, 403, 401],
    )
    .await;
}

#[tokio::test]
async fn routing_by_role() {
    let o = office().await;
    let t = tokens(&o).await;
    let inspector = o.inspector_id;
    let new = || case(&o, complaint(), false, false);
    matrix(
        &o,
        &t,
        json!({"action": "assign", "assignee_id": inspector, "unit_id": o.unit}),
        new,
        [403, 200, 200, 403, 403, 403, 403, 403, 401],
    )
    .await;
}

#[tokio::test]
async fn handling_an_assigned_case_by_role() {
    let o = office().await;
    let t = tokens(&o).await;
    let accepted = || case(&o, denunciation(), true, true);
    // Only the chairman, the unit's head and the assigned handler act on an assigned case.
    matrix(
        &o,
        &t,
        json!({"action": "suspend", "reason": "Chờ giám định."}),
        accepted,
        [403, 200, 200, 200, 403, 403, 403, 403, 401],
    )
    .await;
    matrix(
        &o,
        &t,
        json!({"action": "extend", "days": 20, "reason": "Vụ việc phức tạp."}),
        accepted,
        [403, 200, 200, 200, 403, 403, 403, 403, 401],
    )
    .await;
    matrix(
        &o,
        &t,
        json!({"action": "resolve", "result": "Tố cáo đúng một phần.", "conclusion": "partly_right"}),
        accepted,
        [403, 200, 200, 200, 403, 403, 403, 403, 401],
    )
    .await;
    // The desk that received it records a withdrawal brought to the desk.
    matrix(
        &o,
        &t,
        json!({"action": "withdraw", "partial": false, "note": "Rút đơn tại bộ phận tiếp dân."}),
        accepted,
        [403, 200, 200, 200, 403, 200, 403, 403, 401],
    )
    .await;
}

#[tokio::test]
async fn allowed_actions_tell_each_caller_what_they_may_do_now() {
    let o = office().await;
    let id = case(&o, complaint(), false, false).await;
    let allowed = |v: &Value| -> Vec<String> {
        v["allowed_actions"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(allowed(&o.view(&o.admin, id).await), Vec::<String>::new());
    assert_eq!(allowed(&o.view(&o.desk, id).await), ["guide", "withdraw"]);
    assert_eq!(
        allowed(&o.view(&o.inspector, id).await),
        ["accept", "reject", "guide", "urge", "archive", "withdraw", "split"]
    );
    assert_eq!(
        allowed(&o.view(&o.chairman, id).await),
        ["accept", "reject", "guide", "urge", "archive", "assign", "withdraw", "split"]
    );
    // Every action listed is accepted by the API, and none other is (spot check).
    o.act(&o.desk, id, json!({"action": "accept"})).await.expect_error(403, "forbidden");
}

#[tokio::test]
async fn the_remaining_actions_by_role() {
    let o = office().await;
    let t = tokens(&o).await;
    let mut rec = complaint();
    rec["kind"] = json!("recommendation");
    let new_rec = || case(&o, rec.clone(), false, false);
    //                                                                                           adm  chair head insp  other desk  other citz anon
    matrix(
        &o,
        &t,
        json!({"action": "forward", "to_body": "Sở Xây dựng tỉnh"}),
        new_rec,
        [403, 200, 200, 200, 200, 403, 403, 403, 401],
    )
    .await;
    matrix(
        &o,
        &t,
        json!({"action": "urge", "to_body": "UBND xã cấp dưới"}),
        new_rec,
        [403, 200, 200, 200, 200, 403, 403, 403, 401],
    )
    .await;
    let parts = json!([{"kind": "complaint", "subject": "Nội dung khiếu nại", "content": "Phần khiếu nại."},
                       {"kind": "feedback", "subject": "Nội dung phản ánh", "content": "Phần phản ánh."}]);
    matrix(
        &o,
        &t,
        json!({"action": "split", "parts": parts}),
        new_rec,
        [403, 200, 200, 200, 200, 403, 403, 403, 401],
    )
    .await;

    let suspended = || async {
        let id = case(&o, denunciation(), true, true).await;
        o.act(&o.chairman, id, json!({"action": "suspend", "reason": "Chờ giám định."})).await.expect(200);
        id
    };
    matrix(&o, &t, json!({"action": "resume"}), suspended, [403, 200, 200, 200, 403, 403, 403, 403, 401])
        .await;

    let resolved = || async {
        let id = case(&o, complaint(), true, true).await;
        o.act(
            &o.chairman,
            id,
            json!({"action": "resolve", "result": "Không có cơ sở.", "conclusion": "wrong"}),
        )
        .await
        .expect(200);
        id
    };
    // A second-round complaint is registered by the handling staff or at the desk that received the first.
    matrix(
        &o,
        &t,
        json!({"action": "reopen", "reason": "Không đồng ý."}),
        resolved,
        [403, 200, 200, 200, 403, 200, 403, 403, 401],
    )
    .await;
}
