//! Messages to citizens and staff through a real SMTP server (issue 17): Python's `aiosmtpd`
//! (`pip install aiosmtpd`; `.ci/run` installs it) started by the test on a free port, writing what
//! it receives into a Maildir the test reads. The outbox is sent by the same function the server's
//! worker runs every few seconds, called here at chosen instants.

use std::{
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::Duration,
};

use serde_json::{Value, json};
use tiepdan::service::notifications::deliver::{self, Outlets, SmsGateway};

use crate::petitions::{Office, complaint, denunciation, go_to, office, send_notices};

/// A real SMTP server writing into a Maildir.
struct Smtp {
    child: Option<Child>,
    port: u16,
    maildir: PathBuf,
}

impl Smtp {
    fn start(maildir: &Path) -> Self {
        Self::installed();
        for sub in ["tmp", "new", "cur"] {
            std::fs::create_dir_all(maildir.join(sub)).unwrap();
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mut smtp = Smtp { child: None, port, maildir: maildir.to_path_buf() };
        smtp.restart();
        smtp
    }

    /// Installs aiosmtpd from PyPI where it is missing (once; `.ci/run` does it first).
    fn installed() {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            let present =
                Command::new("python3").args(["-c", "import aiosmtpd"]).status().is_ok_and(|s| s.success());
            if !present {
                let installed = Command::new("python3")
                    .args([
                        "-m",
                        "pip",
                        "install",
                        "--quiet",
                        "--disable-pip-version-check",
                        "aiosmtpd==1.4.6",
                    ])
                    .status()
                    .is_ok_and(|s| s.success());
                assert!(installed, "the notification tests need Python's aiosmtpd: pip install aiosmtpd");
            }
        });
    }

    /// Starts it (again) on its port and waits until it answers.
    fn restart(&mut self) {
        let child = Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{}", self.port)])
            .args(["-c", "aiosmtpd.handlers.Mailbox", self.maildir.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 -m aiosmtpd (pip install aiosmtpd)");
        self.child = Some(child);
        for _ in 0..200 {
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("aiosmtpd did not start on port {}", self.port);
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far: (to, subject, body), decoded.
    fn messages(&self) -> Vec<(String, String, String)> {
        let mut out = Vec::new();
        let Ok(files) = std::fs::read_dir(self.maildir.join("new")) else { return out };
        for f in files.flatten() {
            let raw = std::fs::read(f.path()).unwrap();
            let mail = mailparse::parse_mail(&raw).unwrap();
            let header = |name: &str| {
                mail.headers
                    .iter()
                    .find(|h| h.get_key().eq_ignore_ascii_case(name))
                    .map(|h| h.get_value())
                    .unwrap_or_default()
            };
            out.push((header("To"), header("Subject"), mail.get_body().unwrap()));
        }
        out.sort();
        out
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        self.stop();
    }
}

fn outlets(smtp: &Smtp, sms: Option<SmsGateway>) -> Outlets {
    Outlets::new(
        Some(&smtp.url()),
        "UBND phường Mẫu <tiepdan@phuongmau.gov.vn>",
        sms,
        "https://tiepdan.phuongmau.gov.vn",
    )
    .unwrap()
}

/// Sends what is due now, as the worker does.
async fn deliver(o: &Office, outlets: &Outlets) -> deliver::Round {
    use tiepdan::clock::Clock;
    deliver::deliver_due(&o.app.state.db.writer, &o.app.state.keys.data, outlets, o.app.clock.now())
        .await
        .unwrap()
}

/// An inspector of the office's unit with an e-mail address: (id, token).
async fn inspector_with_email(o: &Office, username: &str, full_name: &str, email: &str) -> (i64, String) {
    let password = format!("{username}-mật-khẩu");
    let body = json!({"username": username, "password": password, "full_name": full_name,
                      "role": "inspector", "unit_id": o.unit, "email": email});
    let id = o.app.post("/api/v1/users", Some(&o.admin), body).await.expect(201).body["id"].as_i64().unwrap();
    (id, o.app.login(username, &password).await)
}

fn with_email(mut body: Value, email: &str) -> Value {
    body["petitioner"]["email"] = json!(email);
    body
}

async fn act(o: &Office, token: &str, id: i64, body: Value) -> Value {
    o.app.post(&format!("/api/v1/petitions/{id}/actions"), Some(token), body).await.expect(200).body
}

#[tokio::test]
async fn a_citizen_hears_of_each_step_by_mail_from_filing_to_resolution() {
    let dir = tempfile::tempdir().unwrap();
    let smtp = Smtp::start(dir.path());
    let out = outlets(&smtp, None);
    let o = office().await;
    // The handler has an address: he is told of the case given to him.
    let (handler, handler_token) =
        inspector_with_email(&o, "thanhtra9", "Lê Văn Chín", "chin.le@phuongmau.gov.vn").await;

    let filed = o
        .app
        .post("/api/v1/petitions", Some(&o.desk), with_email(complaint(), "an.nguyen@example.vn"))
        .await
        .expect(201)
        .body;
    let (id, code) = (filed["id"].as_i64().unwrap(), filed["tracking_code"].as_str().unwrap().to_owned());
    act(&o, &o.chairman, id, json!({"action": "assign", "assignee_id": handler, "unit_id": o.unit})).await;
    act(&o, &handler_token, id, json!({"action": "accept"})).await;
    act(&o, &handler_token, id, json!({"action": "extend", "days": 10, "reason": "Cần xác minh thêm tại thực địa", "complexity": "complex"}))
        .await;
    act(
        &o,
        &handler_token,
        id,
        json!({"action": "resolve", "result": "Giữ nguyên quyết định thu hồi đất.", "conclusion": "wrong"}),
    )
    .await;
    send_notices(&o, &handler_token, id).await;
    let round = deliver(&o, &out).await;
    let list = o.app.get("/api/v1/outbox", Some(&o.admin)).await.expect(200).body;
    assert_eq!((round.sent, round.retrying, round.failed), (5, 0, 0), "{round:?} {list}");

    let got = smtp.messages();
    let to_citizen: Vec<&(String, String, String)> =
        got.iter().filter(|m| m.0.contains("an.nguyen@example.vn")).collect();
    let subjects: Vec<&str> = to_citizen.iter().map(|m| m.1.as_str()).collect();
    for expected in
        ["Đã tiếp nhận đơn", "Đơn đã được thụ lý", "Gia hạn thời hạn giải quyết", "Đã có kết quả giải quyết"]
    {
        assert!(subjects.iter().any(|s| s == &format!("[{code}] {expected}")), "{expected} in {subjects:?}");
    }
    let link = format!("https://tiepdan.phuongmau.gov.vn/tra-cuu?ma={code}");
    for (_, subject, body) in &to_citizen {
        assert!(body.contains("Kính gửi ông/bà Nguyễn Văn An"), "{subject}: {body}");
        assert!(body.contains(&link), "{subject}: {body}");
    }
    let resolved = to_citizen.iter().find(|m| m.1.ends_with("Đã có kết quả giải quyết")).unwrap();
    assert!(resolved.2.contains("Giữ nguyên quyết định thu hồi đất.") && resolved.2.contains("đánh giá"));
    let extended = to_citizen.iter().find(|m| m.1.ends_with("Gia hạn thời hạn giải quyết")).unwrap();
    assert!(
        extended.2.contains("Cần xác minh thêm tại thực địa") && extended.2.contains("Thời hạn giải quyết: ")
    );
    let to_handler: Vec<_> = got.iter().filter(|m| m.0.contains("chin.le@phuongmau.gov.vn")).collect();
    assert_eq!(to_handler.len(), 1);
    assert!(to_handler[0].2.contains(&format!("/can-bo/ho-so?id={id}")), "{:?}", to_handler[0]);
    // Nothing left to send; the admin sees each one sent, the recipient masked.
    assert_eq!(deliver(&o, &out).await, deliver::Round::default());
    // (The SMS wait for a gateway this ward has not configured.)
    let list = o.app.get("/api/v1/outbox", Some(&o.admin)).await.expect(200).body;
    let items: Vec<&Value> = list.as_array().unwrap().iter().filter(|m| m["channel"] == "email").collect();
    assert_eq!(items.len(), 5);
    assert!(items.iter().all(|m| m["status"] == "sent"));
    let sms = o.app.get("/api/v1/outbox?status=pending", Some(&o.admin)).await.expect(200).body;
    assert!(sms.as_array().unwrap().iter().all(|m| m["channel"] == "sms" && m["attempts"] == 0), "{sms}");
    assert!(items.iter().any(|m| m["recipient"] == "***@example.vn"), "{list}");
    assert!(!list.to_string().contains("an.nguyen@example.vn"));
    o.app.get("/api/v1/outbox", Some(&o.chairman)).await.expect_error(403, "forbidden");
}

#[tokio::test]
async fn messages_wait_while_the_mail_server_is_down_and_each_arrives_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut smtp = Smtp::start(dir.path());
    let out = outlets(&smtp, None);
    let o = office().await;
    smtp.stop();
    let mut codes = Vec::new();
    for i in 0..3 {
        let body = with_email(complaint(), &format!("congdan{i}@example.vn"));
        let v = o.app.post("/api/v1/petitions", Some(&o.desk), body).await.expect(201).body;
        codes.push(v["tracking_code"].as_str().unwrap().to_owned());
    }
    // Down: each attempt fails and waits a minute.
    let round = deliver(&o, &out).await;
    assert_eq!((round.sent, round.retrying), (0, 3), "{round:?}");
    let list = o.app.get("/api/v1/outbox?status=pending", Some(&o.admin)).await.expect(200).body;
    let mails: Vec<&Value> = list.as_array().unwrap().iter().filter(|m| m["channel"] == "email").collect();
    assert!(
        mails.len() == 3 && mails.iter().all(|m| m["attempts"] == 1 && m["last_error"].is_string()),
        "{list}"
    );
    assert_eq!(deliver(&o, &out).await, deliver::Round::default(), "not due again yet");
    // Back up, two minutes later: each arrives, once.
    smtp.restart();
    use tiepdan::clock::Clock;
    o.app.clock.set(o.app.clock.now() + chrono::Duration::minutes(2));
    assert_eq!(deliver(&o, &out).await.sent, 3);
    assert_eq!(deliver(&o, &out).await, deliver::Round::default());
    let got = smtp.messages();
    assert_eq!(got.len(), 3, "{got:?}");
    for (i, code) in codes.iter().enumerate() {
        let n = got
            .iter()
            .filter(|m| m.0.contains(&format!("congdan{i}@example.vn")) && m.1.contains(code))
            .count();
        assert_eq!(n, 1, "{code}");
    }
}

#[tokio::test]
async fn nothing_about_a_denunciation_reaches_anyone_but_the_denouncer() {
    let dir = tempfile::tempdir().unwrap();
    let smtp = Smtp::start(dir.path());
    let out = outlets(&smtp, None);
    let o = office().await;
    let (handler, _) = inspector_with_email(&o, "thanhtra8", "Đỗ Văn Tám", "tam.do@phuongmau.gov.vn").await;
    let filed = o
        .app
        .post("/api/v1/petitions", Some(&o.desk), with_email(denunciation(), "to.cao@example.vn"))
        .await
        .expect(201)
        .body;
    let id = filed["id"].as_i64().unwrap();
    let subject = filed["subject"].as_str().unwrap().to_owned();
    act(&o, &o.chairman, id, json!({"action": "assign", "assignee_id": handler, "unit_id": o.unit})).await;
    deliver(&o, &out).await;
    let got = smtp.messages();
    assert_eq!(got.len(), 2, "{got:?}");
    let to_handler = got.iter().find(|m| m.0.contains("tam.do@")).unwrap();
    // The handler learns that a case awaits him, and nothing of it.
    for secret in [subject.as_str(), filed["tracking_code"].as_str().unwrap(), "Nguyễn Văn An", "tố cáo"]
    {
        assert!(!to_handler.1.contains(secret) && !to_handler.2.contains(secret), "{secret}: {to_handler:?}");
    }
    let to_denouncer = got.iter().find(|m| m.0.contains("to.cao@")).unwrap();
    assert!(to_denouncer.2.contains("đơn tố cáo"));
}

#[tokio::test]
async fn a_citizen_with_a_phone_hears_by_sms_through_the_wards_gateway() {
    use axum::{Router, routing::post};
    let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::<(String, String)>::new()));
    let store = received.clone();
    let gateway = Router::new().route(
        "/sms",
        post(move |headers: axum::http::HeaderMap, body: String| {
            let store = store.clone();
            async move {
                let auth =
                    headers.get("authorization").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
                store.lock().unwrap().push((auth, body));
                "OK"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, gateway).await.unwrap() });
    let dir = tempfile::tempdir().unwrap();
    let smtp = Smtp::start(dir.path());
    let sms = SmsGateway {
        url: format!("http://{addr}/sms"),
        key: Some("khoa-bi-mat".to_owned()),
        template: r#"{"phone":"{to}","message":"{text}","brand":"UBND"}"#.to_owned(),
    };
    let out = outlets(&smtp, Some(sms));
    let o = office().await;
    go_to(&o, "2026-11-25");
    let filed = o.app.post("/api/v1/petitions", Some(&o.desk), complaint()).await.expect(201).body;
    let code = filed["tracking_code"].as_str().unwrap().to_owned();
    assert_eq!(deliver(&o, &out).await.sent, 1);
    let got = received.lock().unwrap().clone();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].0, "Bearer khoa-bi-mat");
    let body: Value = serde_json::from_str(&got[0].1).unwrap();
    assert_eq!((body["phone"].as_str(), body["brand"].as_str()), (Some("0912345678"), Some("UBND")));
    let text = body["message"].as_str().unwrap();
    assert!(text.contains(&code) && text.contains("https://tiepdan.phuongmau.gov.vn/tra-cuu?ma="), "{text}");
    assert!(smtp.messages().is_empty(), "no address, no mail");
}

#[tokio::test]
async fn each_morning_a_handler_hears_what_is_overdue_or_nearly_due_and_a_secret_case_is_only_counted() {
    use tiepdan::{clock::Clock, service::notifications::digest};
    let dir = tempfile::tempdir().unwrap();
    let smtp = Smtp::start(dir.path());
    let out = outlets(&smtp, None);
    let o = office().await;
    let (handler, handler_token) =
        inspector_with_email(&o, "thanhtra7", "Vũ Thị Bảy", "bay.vu@phuongmau.gov.vn").await;
    let mut ids = Vec::new();
    for body in [complaint(), denunciation()] {
        let v = o.app.post("/api/v1/petitions", Some(&o.desk), body).await.expect(201).body;
        let id = v["id"].as_i64().unwrap();
        act(&o, &o.chairman, id, json!({"action": "assign", "assignee_id": handler, "unit_id": o.unit}))
            .await;
        act(&o, &handler_token, id, json!({"action": "accept"})).await;
        send_notices(&o, &handler_token, id).await;
        ids.push(v);
    }
    deliver(&o, &out).await;
    let before = smtp.messages().len();
    // Thu 24 Dec 2026: the complaint's 30 days run to Fri 25 Dec (nearly due); the denunciation's
    // too. At 6 in the morning nothing yet; from 7 once, whichever server comes first.
    o.app
        .clock
        .set(chrono::NaiveDate::from_ymd_opt(2026, 12, 23).unwrap().and_hms_opt(23, 0, 0).unwrap().and_utc());
    let db = &o.app.state.db.writer;
    assert_eq!(digest::write_due(db, &o.app.state.keys, o.app.clock.now()).await.unwrap(), 0);
    go_to(&o, "2026-12-24");
    assert_eq!(digest::write_due(db, &o.app.state.keys, o.app.clock.now()).await.unwrap(), 1);
    assert_eq!(digest::write_due(db, &o.app.state.keys, o.app.clock.now()).await.unwrap(), 0, "once a day");
    assert_eq!(deliver(&o, &out).await.sent, 1);
    let got = smtp.messages();
    assert_eq!(got.len(), before + 1);
    let digest = got.iter().find(|m| m.1.starts_with("Hồ sơ cần xử lý ngày 24/12/2026")).expect("the digest");
    assert!(digest.0.contains("bay.vu@phuongmau.gov.vn"));
    assert!(digest.1.contains("0 quá hạn, 2 sắp đến hạn"), "{digest:?}");
    assert!(
        digest.2.contains(ids[0]["tracking_code"].as_str().unwrap())
            && digest.2.contains(ids[0]["subject"].as_str().unwrap())
    );
    assert!(digest.2.contains("1 hồ sơ bảo mật"), "{digest:?}");
    for secret in [ids[1]["tracking_code"].as_str().unwrap(), ids[1]["subject"].as_str().unwrap()] {
        assert!(!digest.2.contains(secret), "{secret}");
    }
    // The next morning, again.
    go_to(&o, "2026-12-28");
    assert_eq!(digest::write_due(db, &o.app.state.keys, o.app.clock.now()).await.unwrap(), 1);
}

#[tokio::test]
async fn a_holiday_that_moves_a_due_date_tells_the_citizen_the_old_and_new_date_and_why() {
    let dir = tempfile::tempdir().unwrap();
    let smtp = Smtp::start(dir.path());
    let out = outlets(&smtp, None);
    let o = office().await;
    // Two accepted complaints, one from a citizen with an address; an anonymous denunciation.
    let told = crate::petitions::accepted(&o, with_email(complaint(), "binh.tran@example.vn")).await;
    let silent = crate::petitions::accepted(&o, complaint()).await;
    let code = o.view(&o.chairman, told).await["tracking_code"].as_str().unwrap().to_owned();
    let due_of = |v: &Value| {
        v["deadlines"].as_array().unwrap().iter().find(|d| d["clock"] == "complaint_resolution_1").unwrap()["due"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let before = due_of(&o.view(&o.chairman, told).await);
    deliver(&o, &out).await;
    let already = smtp.messages().len();

    // The due day (a complaint counts calendar days, the last one moved off a day off) becomes a
    // day off.
    let body = json!({"kind": "day_off", "name": "Nghỉ bù sự kiện của tỉnh"});
    o.app.put(&format!("/api/v1/calendar/days/{before}"), Some(&o.admin), body).await.expect(200);
    let after = due_of(&o.view(&o.chairman, told).await);
    assert!(after > before, "{before} → {after}");
    assert_eq!(due_of(&o.view(&o.chairman, silent).await), after);
    let round = deliver(&o, &out).await;
    assert_eq!((round.sent, round.failed), (1, 0), "{round:?}");
    let got = smtp.messages();
    assert_eq!(got.len(), already + 1);
    let subject = format!("[{code}] Thời hạn giải quyết thay đổi");
    let moved: Vec<_> = got.iter().filter(|m| m.1 == subject).collect();
    assert_eq!(moved.len(), 1, "{got:?}");
    let (to, _, text) = moved[0];
    assert!(to.contains("binh.tran@example.vn"), "{to}");
    let vn = |d: &str| {
        let d = chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
        d.format("%d/%m/%Y").to_string()
    };
    assert!(text.contains(&format!("Thời hạn giải quyết: {}", vn(&after))), "{text}");
    assert!(text.contains(&format!("Hạn trước đây: {}", vn(&before))), "{text}");
    let day = vn(&before);
    assert!(
        text.contains(&format!("ngày {day} được công bố là ngày nghỉ (Nghỉ bù sự kiện của tỉnh)")),
        "{text}"
    );
    assert!(text.contains(&format!("https://tiepdan.phuongmau.gov.vn/tra-cuu?ma={code}")), "{text}");

    // Undone, the date comes back and the citizen hears of it again; a change that moves nothing
    // (a Sunday declared a day off) tells nobody anything.
    o.app.delete(&format!("/api/v1/calendar/days/{before}"), Some(&o.admin)).await.expect(200);
    assert_eq!(due_of(&o.view(&o.chairman, told).await), before);
    let body = json!({"kind": "day_off", "name": "Chủ nhật"});
    o.app.put("/api/v1/calendar/days/2026-12-20", Some(&o.admin), body).await.expect(200);
    let round = deliver(&o, &out).await;
    assert_eq!((round.sent, round.failed), (1, 0), "{round:?}");
    let got = smtp.messages();
    let moved: Vec<_> = got.iter().filter(|m| m.1 == subject).collect();
    assert_eq!(moved.len(), 2, "{got:?}");
    let last = moved.iter().find(|m| m.2 != *text).unwrap().2.clone();
    assert!(last.contains(&format!("Thời hạn giải quyết: {}", vn(&before))), "{last}");
    assert!(last.contains(&format!("lịch ngày {day} được trả về như thường lệ")), "{last}");
}
