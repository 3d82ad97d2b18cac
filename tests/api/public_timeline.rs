//! The public timeline of a case (issue 17): anyone with the tracking code sees each public step
//! with its date and, where the law allows, why or what came of it; a denunciation's conclusion
//! only by its finding. Today is Wed 25 Nov 2026.

use serde_json::{Value, json};

use crate::petitions::{accepted, complaint, denunciation, office};

async fn timeline(o: &crate::petitions::Office, code: &str) -> Vec<Value> {
    let v = o.app.get(&format!("/api/v1/public/petitions/{code}"), None).await.expect(200).body;
    v["timeline"].as_array().unwrap().clone()
}

fn steps(t: &[Value]) -> Vec<(String, Option<String>)> {
    t.iter()
        .map(|s| (s["label"].as_str().unwrap().to_owned(), s["note"].as_str().map(str::to_owned)))
        .collect()
}

#[tokio::test]
async fn the_public_timeline_says_why_and_what_came_of_each_step() {
    let o = office().await;
    let id = accepted(&o, complaint()).await;
    let code = o.view(&o.chairman, id).await["tracking_code"].as_str().unwrap().to_owned();
    let extend = json!({"action": "extend", "days": 15, "reason": "Phải đo đạc lại thửa đất", "complexity": "complex"});
    let v = o.act(&o.inspector, id, extend).await.expect(200).body;
    let due = v["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["clock"] == "complaint_resolution_1")
        .unwrap()["due"]
        .as_str()
        .unwrap()
        .to_owned();
    let (y, rest) = due.split_once('-').unwrap();
    let (m, d) = rest.split_once('-').unwrap();
    o.act(
        &o.inspector,
        id,
        json!({"action": "resolve", "result": "Giữ nguyên quyết định số 12/QĐ-UBND.", "conclusion": "wrong"}),
    )
    .await
    .expect(200);
    let t = timeline(&o, &code).await;
    assert_eq!(
        steps(&t),
        [
            ("Đã tiếp nhận đơn".to_owned(), None),
            ("Thụ lý giải quyết".to_owned(), None),
            (
                "Gia hạn thời hạn giải quyết".to_owned(),
                Some(format!("Hạn mới: {d}/{m}/{y}. Lý do: Phải đo đạc lại thửa đất"))
            ),
            ("Đã có kết quả giải quyết".to_owned(), Some("Giữ nguyên quyết định số 12/QĐ-UBND.".to_owned())),
        ]
    );
    assert!(t.iter().all(|s| s["on"] == "2026-11-25"));
    // Routing and notices are the office's own business.
    assert!(!t.iter().any(|s| s["step"] == "assign" || s["step"] == "notice_sent"));

    // A refusal says its ground; a denunciation's result only its finding.
    let r = o.file(&o.desk, complaint()).await;
    o.act(
        &o.chairman,
        r["id"].as_i64().unwrap(),
        json!({"action": "reject", "reason": "Đã quá thời hiệu khiếu nại"}),
    )
    .await
    .expect(200);
    let t = timeline(&o, r["tracking_code"].as_str().unwrap()).await;
    assert_eq!(
        steps(&t)[1],
        ("Không thụ lý".to_owned(), Some("Lý do: Đã quá thời hiệu khiếu nại".to_owned()))
    );
    let d = accepted(&o, denunciation()).await;
    let dcode = o.view(&o.chairman, d).await["tracking_code"].as_str().unwrap().to_owned();
    o.act(
        &o.inspector,
        d,
        json!({"action": "resolve", "result": "Ông Trần Văn B không vi phạm.", "conclusion": "wrong"}),
    )
    .await
    .expect(200);
    let t = timeline(&o, &dcode).await;
    let last = t.last().unwrap();
    assert_eq!(
        (last["label"].as_str(), last["note"].as_str()),
        (Some("Đã có kết luận nội dung tố cáo"), Some("Kết luận: tố cáo sai"))
    );
    assert!(!serde_json::to_string(&t).unwrap().contains("Trần Văn B"));
}

#[tokio::test]
async fn a_filing_made_before_registering_is_claimed_with_its_code_and_contact() {
    let app = crate::support::TestApp::new().await;
    let body = json!({"kind": "recommendation", "subject": "Kiến nghị sửa đường ngõ 12",
                      "content": "Đường ngõ 12 xuống cấp, đề nghị sửa chữa.",
                      "petitioner": {"full_name": "Lý Thị Hoa", "address": "Ngõ 12, phường Mẫu", "phone": "0987 654 321", "email": "hoa.ly@example.vn"}});
    let filed = app.post("/api/v1/public/petitions", None, body).await.expect(201).body;
    let code = filed["tracking_code"].as_str().unwrap().to_owned();
    let (_, hoa) = app.citizen("lythihoa").await;
    let (_, other) = app.citizen("nguoikhac").await;
    let claim = |contact: &str| json!({"tracking_code": code, "contact": contact});
    // Another contact, or none that matches: nothing told.
    app.post("/api/v1/my/petitions/claim", Some(&hoa), claim("0987654000"))
        .await
        .expect_error(404, "not_found");
    app.post(
        "/api/v1/my/petitions/claim",
        Some(&hoa),
        json!({"tracking_code": "TD-AAAA-BBBB-CCCC", "contact": "0987654321"}),
    )
    .await
    .expect_error(404, "not_found");
    // Her phone, written any way.
    let v =
        app.post("/api/v1/my/petitions/claim", Some(&hoa), claim("+84 987 654 321")).await.expect(200).body;
    assert_eq!(v["tracking_code"], code);
    let mine = app.get("/api/v1/my/petitions", Some(&hoa)).await.expect(200).body;
    assert_eq!(mine["items"][0]["tracking_code"], code);
    // Once someone's, no one else's (her address would not do for another account).
    app.post("/api/v1/my/petitions/claim", Some(&other), claim("hoa.ly@example.vn"))
        .await
        .expect_error(404, "not_found");
    // Staff claim nothing.
    let admin = app.admin().await;
    app.post("/api/v1/my/petitions/claim", Some(&admin), claim("hoa.ly@example.vn"))
        .await
        .expect_error(403, "forbidden");
}

#[tokio::test]
async fn every_receipt_carries_the_permanent_tracking_link_and_its_qr_code() {
    let o = office().await;
    let filing = json!({"kind": "feedback", "subject": "Đèn đường ngõ 12 bị hỏng",
                        "content": "Đèn chiếu sáng ngõ 12 hỏng hai tuần.",
                        "petitioner": {"full_name": "Lê Thị Thu", "address": "Số 5 ngõ 12, phường Mẫu"}});
    let filed = o.app.post("/api/v1/public/petitions", None, filing).await.expect(201).body;
    let code = filed["tracking_code"].as_str().unwrap();
    assert_eq!(filed["tracking_url"], format!("http://tiepdan.test/tra-cuu?ma={code}"));

    // The portal's receipt shows the QR code of that link, for any well-formed code alike (it
    // looks nothing up), and none for a malformed one.
    let qr = o.app.get(&format!("/api/v1/public/petitions/{code}/qr"), None).await.expect(200);
    assert_eq!(qr.headers["content-type"], "image/svg+xml");
    let svg = String::from_utf8(qr.bytes).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains(&format!("Mã QR tra cứu hồ sơ {code}")), "{svg}");
    o.app.get("/api/v1/public/petitions/TD-2222-2222-2222/qr", None).await.expect(200);
    o.app.get("/api/v1/public/petitions/not-a-code/qr", None).await.expect_error(404, "not_found");

    // The desk's written receipt (Mẫu 02/TCD) prints the same link with its QR code; no other
    // notice carries it.
    let id = accepted(&o, complaint()).await;
    let code = o.view(&o.chairman, id).await["tracking_code"].as_str().unwrap().to_owned();
    let list =
        o.app.get(&format!("/api/v1/petitions/{id}/notices"), Some(&o.chairman)).await.expect(200).body;
    let list = list.as_array().unwrap();
    assert!(list.iter().any(|n| n["kind"] == "receipt") && list.len() >= 2, "{list:?}");
    for n in list {
        let page = o.app.get(&format!("/api/v1/notices/{}", n["id"]), Some(&o.chairman)).await.expect(200);
        let html = String::from_utf8(page.bytes).unwrap();
        let link = format!("<a href=\"http://tiepdan.test/tra-cuu?ma={code}\">");
        if n["kind"] == "receipt" {
            assert!(html.contains(&link) && html.contains("<svg class=\"qr\""), "{html}");
            let pdf =
                o.app.get(&format!("/api/v1/notices/{}.pdf", n["id"]), Some(&o.chairman)).await.expect(200);
            assert!(pdf.bytes.starts_with(b"%PDF-"));
        } else {
            assert!(!html.contains("class=\"tracking\""), "{}", n["kind"]);
        }
    }
}
