//! Written notices as records (issue 15; domain.md §11): each step the law pairs with a notice
//! issues it, numbered per agency and year and linked to the step's event; recording it as sent
//! meets the clock it owes, and one not sent in time makes the case overdue; a denunciation's
//! notices to anyone but the denouncer never carry the denouncer; the apology letter is offered
//! once a case is late. Today is Wed 25 Nov 2026 unless moved.

use serde_json::{Value, json};

use crate::petitions::{
    Office, accepted, clock, complaint, denunciation, go_to, neighbour, office, send_notices,
};

async fn notices(o: &Office, token: &str, id: i64) -> Vec<Value> {
    let list = o.app.get(&format!("/api/v1/petitions/{id}/notices"), Some(token)).await.expect(200).body;
    list.as_array().unwrap().clone()
}

/// The printable page of a notice, as `token` reads it.
async fn page(o: &Office, token: &str, id: &Value) -> String {
    let a = o.app.get(&format!("/api/v1/notices/{id}"), Some(token)).await.expect(200);
    let ct = a.headers.get("content-type").unwrap().to_str().unwrap().to_owned();
    assert!(ct.starts_with("text/html"), "{ct}");
    let policy = a.headers.get("content-security-policy").expect("a page's policy").to_str().unwrap();
    assert!(policy.contains("frame-ancestors 'none'") && !policy.contains("unsafe-inline"), "{policy}");
    String::from_utf8(a.bytes).unwrap()
}

fn kinds(list: &[Value]) -> Vec<(String, String)> {
    list.iter()
        .map(|n| (n["kind"].as_str().unwrap().to_owned(), n["recipient"].as_str().unwrap().to_owned()))
        .collect()
}

fn pair(kind: &str, to: &str) -> (String, String) {
    (kind.to_owned(), to.to_owned())
}

#[tokio::test]
async fn each_step_issues_its_numbered_notice_linked_to_its_event() {
    let o = office().await;
    // A complaint brought to the desk: the receipt of its documents is handed over at once.
    let id = accepted(&o, complaint()).await;
    go_to(&o, "2026-12-01");
    o.act(&o.inspector, id, json!({"action": "suspend", "reason": "Chờ kết quả đo đạc"})).await.expect(200);
    go_to(&o, "2026-12-03");
    o.act(&o.inspector, id, json!({"action": "resume"})).await.expect(200);
    o.act(
        &o.inspector,
        id,
        json!({"action": "resolve", "result": "Giữ nguyên quyết định.", "conclusion": "wrong"}),
    )
    .await
    .expect(200);
    let list = notices(&o, &o.inspector, id).await;
    assert_eq!(
        kinds(&list),
        [
            pair("receipt", "petitioner"),
            pair("acceptance", "petitioner"),
            pair("suspension", "petitioner"),
            pair("continuation", "petitioner"),
            pair("decision", "petitioner"),
        ]
    );
    // Numbered in the order issued, each with its document symbol.
    let numbers: Vec<&str> = list.iter().map(|n| n["number"].as_str().unwrap()).collect();
    assert_eq!(numbers, ["1/BN-UBND", "2/TB-UBND", "3/QĐ-UBND", "4/QĐ-UBND", "5/QĐ-UBND"]);
    // The receipt was handed over; the suspension is due within 3 working days of Tue 1 Dec
    // (2, 3, 4 Dec), the decision within 3 of Thu 3 Dec (4, 7, 8 Dec).
    assert_eq!(
        (list[0]["sent_on"].as_str(), list[0]["channel"].as_str()),
        (Some("2026-11-25"), Some("in_person"))
    );
    assert_eq!(
        (list[2]["due"].as_str(), list[2]["clock"].as_str()),
        (Some("2026-12-04"), Some("complaint_suspension_send"))
    );
    assert_eq!(
        (list[4]["due"].as_str(), list[4]["clock"].as_str()),
        (Some("2026-12-08"), Some("complaint_decision_send_1"))
    );
    assert_eq!(list[1]["due"], Value::Null, "a complaint's acceptance is timed by its acceptance");

    // Each is linked to the event that issued it, which names it.
    let trail =
        o.app.get(&format!("/api/v1/petitions/{id}/events"), Some(&o.chairman)).await.expect(200).body;
    for n in &list {
        let event = trail.as_array().unwrap().iter().find(|e| e["seq"] == n["event_seq"]).unwrap();
        let named = event["changes"]["notices"].as_array().unwrap_or_else(|| panic!("{event}"));
        assert!(named.iter().any(|m| m["id"] == n["id"] && m["number"] == n["number"]), "{event}");
    }

    // The decision prints on its A4 page: the issuer, the national title, number, date, names.
    let html = page(&o, &o.chairman, &list[4]["id"]).await;
    for text in [
        "ỦY BAN NHÂN DÂN PHƯỜNG MẪU",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 5/QĐ-UBND",
        "Mẫu, ngày 03 tháng 12 năm 2026",
        "QUYẾT ĐỊNH",
        "Về việc giải quyết khiếu nại lần đầu",
        "Kính gửi: Ông/Bà Nguyễn Văn An",
        "Giữ nguyên quyết định.",
        "Nơi nhận:",
        "CHỦ TỊCH",
        "<link rel=\"stylesheet\" href=\"/notice-print.css\">",
    ] {
        assert!(html.contains(text), "the decision lacks {text:?}: {html}");
    }
    // The A4 layout is the served stylesheet's: the page's policy allows no inline style.
    assert!(!html.contains("<style"), "{html}");
    let css = o.app.get("/notice-print.css", None).await.expect(200);
    assert!(String::from_utf8(css.bytes).unwrap().contains("@page { size: A4"));

    // … and as a PDF of one A4 page.
    let pdf =
        o.app.get(&format!("/api/v1/notices/{}.pdf", list[4]["id"]), Some(&o.chairman)).await.expect(200);
    assert_eq!(pdf.headers.get("content-type").unwrap(), "application/pdf");
    assert!(pdf.bytes.starts_with(b"%PDF-"));
    let doc = lopdf::Document::load_mem(&pdf.bytes).unwrap();
    assert_eq!(doc.get_pages().len(), 1);
    let text = doc.extract_text(&[1]).unwrap();
    assert!(text.contains("5/QĐ-UBND") && text.contains("Nguyễn Văn An"), "{text}");
    o.app.get("/api/v1/notices/999999.pdf", Some(&o.chairman)).await.expect_error(404, "not_found");
    o.app.get("/api/v1/notices/abc", Some(&o.chairman)).await.expect_error(404, "not_found");

    // Numbers run per agency and year: the neighbour's first notice is its number 1.
    let (_, theirs) = neighbour(&o, "UBND phường Bên Cạnh", "chutich.bc").await;
    let filed = o.file(&theirs, complaint()).await["id"].as_i64().unwrap();
    let their_list = notices(&o, &theirs, filed).await;
    assert_eq!(their_list[0]["number"], "1/BN-UBND");
    // … and are not ours to read.
    let url = format!("/api/v1/notices/{}", their_list[0]["id"]);
    o.app.get(&url, Some(&o.chairman)).await.expect_error(404, "not_found");
}

#[tokio::test]
async fn a_notice_not_sent_in_time_makes_its_case_overdue_until_it_is_sent() {
    let o = office().await;
    // Accepted Wed 25 Nov: both sides told within 5 working days (Law 25/2018 Art. 29(3)):
    // 26, 27, 30 Nov, 1, 2 Dec.
    let id = accepted(&o, denunciation()).await;
    let list = notices(&o, &o.inspector, id).await;
    assert_eq!(kinds(&list), [pair("acceptance", "petitioner"), pair("acceptance", "denounced")]);
    assert!(list.iter().all(|n| n["due"] == "2026-12-02" && n["clock"] == "denunciation_acceptance_notice"));

    go_to(&o, "2026-12-03");
    let v = o.view(&o.chairman, id).await;
    assert_eq!(v["overdue"], true, "{v}");
    assert_eq!(clock(&v, "denunciation_acceptance_notice").unwrap()["overdue"], true);
    let overdue = o.app.get("/api/v1/petitions?overdue=true", Some(&o.chairman)).await.expect(200).body;
    assert_eq!(overdue["total"], 1, "{overdue}");
    assert!(notices(&o, &o.inspector, id).await.iter().all(|n| n["overdue"] == true));

    // A day before its issue, or after today, is no sending day; the channel must be known.
    let first = format!("/api/v1/notices/{}/sent", list[0]["id"]);
    let early = json!({"sent_on": "2026-11-24", "channel": "post"});
    o.app.post(&first, Some(&o.inspector), early).await.expect_error(422, "validation_failed");
    let later = json!({"sent_on": "2026-12-04", "channel": "post"});
    o.app.post(&first, Some(&o.inspector), later).await.expect_error(422, "validation_failed");
    o.app
        .post(&first, Some(&o.inspector), json!({"channel": "pigeon"}))
        .await
        .expect_error(422, "validation_failed");
    // The admin sends nothing.
    o.app.post(&first, Some(&o.admin), json!({"channel": "post"})).await.expect_error(403, "forbidden");

    // One side told: the clock still runs for the other.
    let sent = o.app.post(&first, Some(&o.inspector), json!({"channel": "email"})).await.expect(200).body;
    assert_eq!((sent["sent_on"].as_str(), sent["channel"].as_str()), (Some("2026-12-03"), Some("email")));
    assert_eq!(o.view(&o.chairman, id).await["overdue"], true);
    o.app
        .post(&first, Some(&o.inspector), json!({"channel": "post"}))
        .await
        .expect_error(409, "notice_already_sent");

    // Both told: met, a day late, and the case is no longer overdue.
    let second = format!("/api/v1/notices/{}/sent", list[1]["id"]);
    o.app
        .post(&second, Some(&o.inspector), json!({"channel": "post", "sent_on": "2026-12-03"}))
        .await
        .expect(200);
    let v = o.view(&o.chairman, id).await;
    assert_eq!(v["overdue"], false, "{v}");
    let all =
        o.app.get(&format!("/api/v1/petitions/{id}/deadlines"), Some(&o.chairman)).await.expect(200).body;
    let met =
        all.as_array().unwrap().iter().find(|d| d["clock"] == "denunciation_acceptance_notice").unwrap();
    assert_eq!((met["state"].as_str(), met["ended_on"].as_str()), (Some("met"), Some("2026-12-03")), "{met}");
    let trail =
        o.app.get(&format!("/api/v1/petitions/{id}/events"), Some(&o.chairman)).await.expect(200).body;
    let sends = trail.as_array().unwrap().iter().filter(|e| e["action"] == "notice_sent").count();
    assert_eq!(sends, 2);
}

/// The ids of a list's page.
async fn listed(o: &Office, token: &str, path: &str) -> Vec<i64> {
    let page = o.app.get(path, Some(token)).await.expect(200).body;
    page["items"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect()
}

#[tokio::test]
async fn a_dialogue_invitation_and_a_closed_case_s_decision_are_duties_until_sent() {
    let o = office().await;
    let id = accepted(&o, complaint()).await;
    send_notices(&o, &o.inspector, id).await;
    // The dialogue on Thu 10 Dec: its invitation goes out by Sat 5 Dec (ND 124/2020 Art. 28(1),
    // at least 5 days ahead), before the resolution's 30 days (Fri 25 Dec).
    let dialogue =
        json!({"action": "schedule_dialogue", "on": "2026-12-10", "place": "Hội trường UBND phường"});
    let v = o.act(&o.inspector, id, dialogue).await.expect(200).body;
    assert_eq!(v["next_due"], "2026-12-05", "{v}");
    go_to(&o, "2026-12-07");
    let v = o.view(&o.chairman, id).await;
    assert_eq!((v["overdue"].as_bool(), v["next_due"].as_str()), (Some(true), Some("2026-12-05")), "{v}");
    assert!(listed(&o, &o.chairman, "/api/v1/petitions?overdue=true").await.contains(&id));
    let invitation =
        notices(&o, &o.inspector, id).await.into_iter().find(|n| n["kind"] == "dialogue_invitation");
    let invitation = invitation.expect("the dialogue's invitation");
    assert_eq!(
        (invitation["due"].as_str(), invitation["overdue"].as_bool()),
        (Some("2026-12-05"), Some(true))
    );
    send_notices(&o, &o.inspector, id).await;
    let v = o.view(&o.chairman, id).await;
    assert_eq!((v["overdue"].as_bool(), v["next_due"].as_str()), (Some(false), Some("2026-12-25")), "{v}");
    assert!(!listed(&o, &o.chairman, "/api/v1/petitions?overdue=true").await.contains(&id));

    // Decided Thu 10 Dec: closed, but the decision is owed within 3 working days (Law 02/2011
    // Art. 32): 11, 14, 15 Dec. Until it is sent the case is work left, in the handler's inbox.
    go_to(&o, "2026-12-10");
    let resolve = json!({"action": "resolve", "result": "Giữ nguyên quyết định.", "conclusion": "wrong"});
    let v = o.act(&o.inspector, id, resolve).await.expect(200).body;
    assert_eq!((v["status"].as_str(), v["next_due"].as_str()), (Some("resolved"), Some("2026-12-15")), "{v}");
    assert!(listed(&o, &o.inspector, "/api/v1/inbox").await.contains(&id));
    assert!(listed(&o, &o.chairman, "/api/v1/petitions?open=true").await.contains(&id));
    go_to(&o, "2026-12-16");
    assert_eq!(o.view(&o.chairman, id).await["overdue"], true);
    assert!(listed(&o, &o.chairman, "/api/v1/petitions?overdue=true").await.contains(&id));
    assert!(listed(&o, &o.chairman, "/api/v1/petitions?sort=due").await.first() == Some(&id));
    send_notices(&o, &o.inspector, id).await;
    let v = o.view(&o.chairman, id).await;
    assert_eq!((v["overdue"].as_bool(), v["next_due"].as_str()), (Some(false), None), "{v}");
    assert!(!listed(&o, &o.inspector, "/api/v1/inbox").await.contains(&id));
    assert!(listed(&o, &o.chairman, "/api/v1/petitions?open=false").await.contains(&id));
}

#[tokio::test]
async fn a_denunciation_s_notices_to_others_never_carry_the_denouncer() {
    let o = office().await;
    let id = accepted(&o, denunciation()).await;
    let list = notices(&o, &o.inspector, id).await;
    let code = o.view(&o.chairman, id).await["tracking_code"].as_str().unwrap().to_owned();
    // Hers: to her, by name, as her handler and the chairman read it.
    for token in [&o.inspector, &o.chairman] {
        let hers = page(&o, token, &list[0]["id"]).await;
        assert!(hers.contains("Trần Thị Bích") && hers.contains(&code), "{hers}");
    }
    // … not as an inspector who does not handle it: he prints it without her.
    let withheld = page(&o, &o.other_inspector, &list[0]["id"]).await;
    assert!(!withheld.contains("Trần Thị Bích") && !withheld.contains("036189001122"), "{withheld}");
    // The person denounced is never told who denounced him, whoever prints it.
    for token in [&o.inspector, &o.chairman] {
        let theirs = page(&o, token, &list[1]["id"]).await;
        assert!(theirs.contains("Kính gửi: Người bị tố cáo"), "{theirs}");
        for secret in ["Trần Thị Bích", "036189001122", "Số 8 ngõ 4", &code] {
            assert!(!theirs.contains(secret), "the denounced's notice carries {secret:?}: {theirs}");
        }
    }
    // Printing hers is a logged read of her identity.
    let reads = o
        .app
        .get(&format!("/api/v1/petitions/{id}/identity-access"), Some(&o.chairman))
        .await
        .expect(200)
        .body;
    assert!(reads.as_array().unwrap().iter().any(|r| r["purpose"] == "notice"), "{reads}");

    // Forwarded out of competence: the slip to the competent body names no denouncer either.
    let other = o.file(&o.desk, denunciation()).await["id"].as_i64().unwrap();
    let body = json!({"action": "forward", "to_body": "Thanh tra tỉnh", "letter_no": "15/CV-UBND"});
    o.act(&o.chairman, other, body).await.expect(200);
    let list = notices(&o, &o.chairman, other).await;
    assert_eq!(kinds(&list), [pair("forwarding", "competent_body"), pair("forwarding", "petitioner")]);
    let slip = page(&o, &o.chairman, &list[0]["id"]).await;
    assert!(slip.contains("Kính gửi: Thanh tra tỉnh") && slip.contains("15/CV-UBND"), "{slip}");
    assert!(!slip.contains("Trần Thị Bích"), "{slip}");
}

#[tokio::test]
async fn the_apology_letter_is_offered_once_a_case_is_late() {
    let o = office().await;
    let id = accepted(&o, complaint()).await;
    send_notices(&o, &o.inspector, id).await;
    let apology = |promised: Value| json!({"kind": "apology", "promised_on": promised});
    let url = format!("/api/v1/petitions/{id}/notices");
    // On time: nothing to apologise for.
    assert_eq!(o.view(&o.inspector, id).await["apology_offered"], false);
    o.app
        .post(&url, Some(&o.inspector), apology(json!("2027-01-15")))
        .await
        .expect_error(409, "apology_not_due");
    // Only the apology is issued by hand.
    let other = json!({"kind": "decision"});
    o.app.post(&url, Some(&o.inspector), other).await.expect_error(422, "validation_failed");

    // 30 days from Wed 25 Nov: due Fri 25 Dec; on Mon 28 Dec the case is late.
    go_to(&o, "2026-12-28");
    let v = o.view(&o.inspector, id).await;
    assert_eq!((v["overdue"].as_bool(), v["apology_offered"].as_bool()), (Some(true), Some(true)), "{v}");
    // While open, the letter gives the new date, from today on.
    o.app
        .post(&url, Some(&o.inspector), json!({"kind": "apology"}))
        .await
        .expect_error(422, "validation_failed");
    o.app
        .post(&url, Some(&o.inspector), apology(json!("2026-12-27")))
        .await
        .expect_error(422, "validation_failed");
    let letter = o.app.post(&url, Some(&o.inspector), apology(json!("2027-01-15"))).await.expect(201).body;
    assert_eq!(
        (letter["kind"].as_str(), letter["recipient"].as_str()),
        (Some("apology"), Some("petitioner"))
    );
    assert_eq!(o.view(&o.inspector, id).await["apology_offered"], false);
    o.app
        .post(&url, Some(&o.inspector), apology(json!("2027-01-15")))
        .await
        .expect_error(409, "apology_already_issued");

    let html = page(&o, &o.inspector, &letter["id"]).await;
    for text in ["THƯ XIN LỖI", "Kính gửi: Ông/Bà Nguyễn Văn An", "25/12/2026", "15/01/2027", "xin lỗi"]
    {
        assert!(html.contains(text), "the letter lacks {text:?}: {html}");
    }
    let trail =
        o.app.get(&format!("/api/v1/petitions/{id}/events"), Some(&o.chairman)).await.expect(200).body;
    let issued = trail.as_array().unwrap().iter().find(|e| e["action"] == "notice_issued").unwrap();
    assert_eq!(issued["changes"]["notice_id"], letter["id"]);
}
