//! Attachments (issue 17): each accepted type goes in and comes back byte for byte with its
//! SHA-256; the type is read from the bytes, never the name or the declared type; a file over
//! 10 MB, a case over 50 MB (or 100 files) and an empty file are refused with their codes and leave
//! nothing; a large file is stored as several chunk rows and streamed back, and the server's memory
//! does not grow with it; the citizen attaches within a day of filing and not after; and a
//! denunciation's files are refused to whoever may not see the denouncer, every download logged.

use axum::{
    body::Body,
    http::{Method, Request, header},
};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tiepdan::{
    domain::attachment::{CHUNK_BYTES, MAX_CASE_FILES, MAX_FILE_BYTES},
    entity::{attachment, attachment_chunk},
};

use crate::{
    petitions::{Office, complaint, denunciation, office},
    support::{Answer, TestApp, on_postgres},
};

const BOUNDARY: &str = "----tiepdan-test-7d1f0c";
const MIB: usize = 1024 * 1024;

/// A `multipart/form-data` body with one part `file` named `name`, declared as `declared`.
pub fn form(name: &str, declared: &str, bytes: &[u8]) -> Vec<u8> {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
         Content-Type: {declared}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// The `Content-Type` of [`form`]'s bodies.
pub fn form_type() -> String {
    format!("multipart/form-data; boundary={BOUNDARY}")
}

/// Posts `bytes` as the file `name` to `path` (with a token, or none on the portal).
pub async fn upload(app: &TestApp, path: &str, token: Option<&str>, name: &str, bytes: &[u8]) -> Answer {
    upload_declared(app, path, token, name, "application/octet-stream", bytes).await
}

async fn upload_declared(
    app: &TestApp,
    path: &str,
    token: Option<&str>,
    name: &str,
    declared: &str,
    bytes: &[u8],
) -> Answer {
    let mut req = Request::builder().method(Method::POST).uri(path).header(header::CONTENT_TYPE, form_type());
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    app.send(req.body(Body::from(form(name, declared, bytes))).unwrap()).await
}

/// Bytes that vary (so that a misplaced chunk shows), after `magic`, `len` in all.
pub fn file_of(magic: &[u8], len: usize) -> Vec<u8> {
    let mut bytes = magic.to_vec();
    let mut x: u32 = 0x9e37_79b9;
    while bytes.len() < len {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        bytes.push(x as u8);
    }
    bytes.truncate(len);
    bytes
}

pub const PDF: &[u8] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n";
pub const JPEG: &[u8] = &[0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00];
pub const PNG: &[u8] =
    &[0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n', 0, 0, 0, 13, b'I', b'H', b'D', b'R'];

fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn attachments_of(id: i64) -> String {
    format!("/api/v1/petitions/{id}/attachments")
}

/// Rows of the attachment tables (files, chunks).
async fn stored(app: &TestApp) -> (u64, u64) {
    let db = &app.state.db.reader;
    (
        attachment::Entity::find().count(db).await.unwrap(),
        attachment_chunk::Entity::find().count(db).await.unwrap(),
    )
}

/// A complaint at the desk, routed to the inspector: (office, case id).
async fn routed(o: &Office, body: Value) -> i64 {
    let id = o.file(&o.desk, body).await["id"].as_i64().unwrap();
    o.act(&o.chairman, id, json!({"action": "assign", "assignee_id": o.inspector_id, "unit_id": o.unit}))
        .await
        .expect(200);
    id
}

#[tokio::test]
async fn each_allowed_type_uploads_and_downloads_byte_identical_with_its_sha256() {
    let o = office().await;
    let id = routed(&o, complaint()).await;
    let files = [
        ("Đơn khiếu nại – bản chụp.pdf", "application/pdf", file_of(PDF, 300_000)),
        ("Ảnh hiện trạng thửa đất.JPG", "image/jpeg", file_of(JPEG, 70_001)),
        ("so-do-thua-dat.png", "image/png", file_of(PNG, CHUNK_BYTES)),
    ];
    let mut ids = Vec::new();
    for (name, content_type, bytes) in &files {
        let added =
            upload(&o.app, &attachments_of(id), Some(&o.inspector), name, bytes).await.expect(201).body;
        assert_eq!(added["name"], *name);
        assert_eq!(
            added["content_type"], *content_type,
            "typed from the bytes, not the declared octet-stream"
        );
        assert_eq!(added["size"], bytes.len());
        assert_eq!(added["sha256"], sha256(bytes));
        assert_eq!(added["added_by_name"], "Cán bộ thanhtra1");
        assert_eq!(added["by_citizen"], false);
        ids.push(added["id"].as_i64().unwrap());
    }

    let list = o.app.get(&attachments_of(id), Some(&o.chairman)).await.expect(200).body;
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 3);
    for ((name, content_type, bytes), (item, file_id)) in files.iter().zip(list.iter().zip(&ids)) {
        assert_eq!(item["id"], *file_id);
        assert_eq!(item["name"], *name);
        assert_eq!(item["sha256"], sha256(bytes));
        assert_eq!(item["added_by_id"], o.inspector_id);
        assert_eq!(item["url"], format!("/api/v1/attachments/{file_id}"));

        let got = o.app.get(&format!("/api/v1/attachments/{file_id}"), Some(&o.chairman)).await.expect(200);
        assert_eq!(got.bytes, *bytes, "{name} comes back byte for byte");
        assert_eq!(sha256(&got.bytes), item["sha256"].as_str().unwrap());
        assert_eq!(got.headers[header::CONTENT_TYPE], *content_type);
        assert_eq!(got.headers[header::CONTENT_LENGTH], bytes.len().to_string());
        assert_eq!(got.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(got.headers[header::CACHE_CONTROL], "private, no-store");
        let disposition = got.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
        assert!(disposition.starts_with("attachment; filename=\""), "{disposition}");
        assert!(disposition.contains("filename*=UTF-8''"), "{disposition}");
        // Shown in a tab ("Xem"): inline, and under no page policy (the browser's viewer shows it).
        let shown =
            o.app.get(&format!("{}?inline=true", item["url"].as_str().unwrap()), Some(&o.chairman)).await;
        let disposition = shown.expect(200).headers[header::CONTENT_DISPOSITION].to_str().unwrap().to_owned();
        assert!(disposition.starts_with("inline; filename=\""), "{disposition}");
        assert!(got.headers.get(header::CONTENT_SECURITY_POLICY).is_none());
    }
    let first = o.app.get(&format!("/api/v1/attachments/{}", ids[0]), Some(&o.chairman)).await;
    assert_eq!(
        first.headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"Don khieu nai _ ban chup.pdf\"; \
         filename*=UTF-8''%C4%90%C6%A1n%20khi%E1%BA%BFu%20n%E1%BA%A1i%20%E2%80%93%20b%E1%BA%A3n%20ch%E1%BB%A5p.pdf"
    );

    // Each upload is an event of the trail, with the file's hash (never its name), and the
    // trail still verifies.
    let trail =
        o.app.get(&format!("/api/v1/petitions/{id}/events"), Some(&o.chairman)).await.expect(200).body;
    let added: Vec<&Value> =
        trail.as_array().unwrap().iter().filter(|e| e["action"] == "attachment_added").collect();
    assert_eq!(added.len(), 3);
    for ((name, _, bytes), event) in files.iter().zip(&added) {
        assert_eq!(event["changes"]["sha256"], sha256(bytes));
        assert_eq!(event["actor_name"], "Cán bộ thanhtra1");
        assert_eq!(event["from_status"], event["to_status"]);
        assert!(!event.to_string().contains(name), "the trail keeps no file name: {event}");
    }
    let state = &o.app.state;
    let report = tiepdan::service::audit::verify(&state.db.reader, &state.keys, None).await.unwrap();
    assert!(report.is_intact(), "{report:?}");
}

#[tokio::test]
async fn a_wrong_type_is_refused_whatever_its_name_or_declared_type() {
    let o = office().await;
    let id = routed(&o, complaint()).await;
    let cases: [(&str, &str, Vec<u8>); 5] = [
        ("anh-dong.gif", "image/gif", file_of(b"GIF89a\x10\x00\x10\x00", 5_000)),
        ("hoa-don.pdf", "application/pdf", file_of(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", 40_000)),
        ("trang.png", "image/png", b"<!doctype html><script>alert(1)</script>".to_vec()),
        ("van-ban.pdf", "application/pdf", b"PDF-1.7 without its percent sign".to_vec()),
        ("ngan.pdf", "application/pdf", b"%PD".to_vec()),
    ];
    for (name, declared, bytes) in &cases {
        let refused =
            upload_declared(&o.app, &attachments_of(id), Some(&o.inspector), name, declared, bytes).await;
        refused.expect_error(415, "unsupported_type");
    }
    assert_eq!(stored(&o.app).await, (0, 0), "nothing of a refused file is kept");
    assert_eq!(o.app.get(&attachments_of(id), Some(&o.inspector)).await.expect(200).body, json!([]));
}

#[tokio::test]
async fn a_file_one_byte_over_10_mb_is_refused_and_nothing_is_stored() {
    let o = office().await;
    let id = routed(&o, complaint()).await;
    let limit = usize::try_from(MAX_FILE_BYTES).unwrap();
    assert_eq!(limit, 10 * MIB);
    let over = file_of(PDF, limit + 1);
    let refused = upload(&o.app, &attachments_of(id), Some(&o.inspector), "qua-lon.pdf", &over).await;
    refused.expect_error(413, "file_too_large");
    assert_eq!(stored(&o.app).await, (0, 0));
    let trail =
        o.app.get(&format!("/api/v1/petitions/{id}/events"), Some(&o.chairman)).await.expect(200).body;
    assert!(!trail.to_string().contains("attachment_added"));

    // A body far over the routes' limit is answered 413 with the error shape, never a 500.
    let huge = file_of(PDF, 3 * limit);
    upload(&o.app, &attachments_of(id), Some(&o.inspector), "rat-lon.pdf", &huge)
        .await
        .expect_error(413, "file_too_large");
    // … and another route keeps its 1 MB.
    let big_json = json!({"kind": "complaint", "subject": "x".repeat(2 * MIB)});
    o.app.post("/api/v1/petitions", Some(&o.desk), big_json).await.expect_error(413, "payload_too_large");

    // Exactly 10 MB is taken.
    let at_limit = file_of(PDF, limit);
    let added =
        upload(&o.app, &attachments_of(id), Some(&o.inspector), "vua-du.pdf", &at_limit).await.expect(201);
    assert_eq!(added.body["size"], limit);
    assert_eq!(stored(&o.app).await, (1, (limit / CHUNK_BYTES) as u64));
}

#[tokio::test]
async fn a_case_holds_at_most_50_mb_and_100_files() {
    let o = office().await;
    let id = routed(&o, complaint()).await;
    let limit = usize::try_from(MAX_FILE_BYTES).unwrap();
    for n in 0..4 {
        upload(
            &o.app,
            &attachments_of(id),
            Some(&o.inspector),
            &format!("phan-{n}.pdf"),
            &file_of(PDF, limit),
        )
        .await
        .expect(201);
    }
    // 40 MB held: 10 MB left, then 11 bytes too many for the last.
    upload(&o.app, &attachments_of(id), Some(&o.chairman), "gan-du.pdf", &file_of(PDF, limit - 10))
        .await
        .expect(201);
    upload(&o.app, &attachments_of(id), Some(&o.chairman), "them.jpg", &file_of(JPEG, 21))
        .await
        .expect_error(413, "case_attachments_full");
    upload(&o.app, &attachments_of(id), Some(&o.chairman), "vua-het.jpg", &file_of(JPEG, 10))
        .await
        .expect(201);
    upload(&o.app, &attachments_of(id), Some(&o.chairman), "het-cho.jpg", &file_of(JPEG, 3))
        .await
        .expect_error(413, "case_attachments_full");
    assert_eq!(stored(&o.app).await.0, 6);

    // Another case has its own room, up to 100 files.
    let other = routed(&o, complaint()).await;
    for n in 0..MAX_CASE_FILES {
        upload(&o.app, &attachments_of(other), Some(&o.inspector), &format!("anh-{n}.png"), PNG)
            .await
            .expect(201);
    }
    upload(&o.app, &attachments_of(other), Some(&o.inspector), "anh-101.png", PNG)
        .await
        .expect_error(413, "case_attachments_full");
    let list = o.app.get(&attachments_of(other), Some(&o.inspector)).await.expect(200).body;
    assert_eq!(list.as_array().unwrap().len(), MAX_CASE_FILES as usize);
}

#[tokio::test]
async fn an_empty_file_a_missing_part_and_a_body_that_is_not_a_form_are_refused() {
    let o = office().await;
    let id = routed(&o, complaint()).await;
    upload(&o.app, &attachments_of(id), Some(&o.inspector), "rong.pdf", b"")
        .await
        .expect_error(422, "empty_file");
    // The first part is not `file`.
    let body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"ghi_chu\"\r\n\r\nxin chào\r\n--{BOUNDARY}--\r\n"
    );
    let req = Request::builder()
        .method(Method::POST)
        .uri(attachments_of(id))
        .header(header::AUTHORIZATION, format!("Bearer {}", o.inspector))
        .header(header::CONTENT_TYPE, form_type())
        .body(Body::from(body))
        .unwrap();
    let missing = o.app.send(req).await.expect_error(422, "validation_failed");
    assert!(missing.body["error"]["fields"]["file"].is_array(), "{}", missing.body);
    // JSON where a form belongs; a form cut off before its end.
    o.app
        .post(&attachments_of(id), Some(&o.inspector), json!({"file": "%PDF-"}))
        .await
        .expect_error(400, "unsupported_media_type");
    let mut cut = form("cut.pdf", "application/pdf", &file_of(PDF, 5000));
    cut.truncate(3000);
    let req = Request::builder()
        .method(Method::POST)
        .uri(attachments_of(id))
        .header(header::AUTHORIZATION, format!("Bearer {}", o.inspector))
        .header(header::CONTENT_TYPE, form_type())
        .body(Body::from(cut))
        .unwrap();
    let answer = o.app.send(req).await;
    assert_eq!(answer.status.as_u16(), 400, "{}", answer.body);
    assert_eq!(stored(&o.app).await, (0, 0));
    // An unknown case, and one of another agency, are 404.
    upload(&o.app, &attachments_of(999_999), Some(&o.chairman), "a.pdf", PDF)
        .await
        .expect_error(404, "not_found");
}

#[tokio::test]
async fn a_large_file_is_stored_as_chunk_rows_and_streamed_back_identical() {
    let o = office().await;
    let id = routed(&o, complaint()).await;
    let len = 9 * MIB + MIB / 2;
    let big = file_of(PDF, len);
    let added = upload(&o.app, &attachments_of(id), Some(&o.inspector), "ho-so-quet.pdf", &big)
        .await
        .expect(201)
        .body;
    let file_id = added["id"].as_i64().unwrap();

    let chunks = attachment_chunk::Entity::find()
        .filter(attachment_chunk::Column::AttachmentId.eq(file_id))
        .all(&o.app.state.db.reader)
        .await
        .unwrap();
    assert_eq!(chunks.len(), len.div_ceil(CHUNK_BYTES), "one row per 256 KiB");
    assert!(chunks.len() >= 38);
    // Each row is its piece of the file sealed under the data key, bound to its place: its nonce,
    // the piece encrypted, its tag; nothing of the clear bytes.
    let sealer =
        tiepdan::crypto::Sealer::new(&tiepdan::crypto::parse_key(crate::support::TEST_DATA_KEY).unwrap());
    let mut joined = Vec::with_capacity(len);
    for (seq, chunk) in chunks.iter().enumerate() {
        assert_eq!(chunk.seq as usize, seq, "in order from 0");
        let piece = &big[seq * CHUNK_BYTES..((seq + 1) * CHUNK_BYTES).min(len)];
        assert_eq!(chunk.bytes.len(), piece.len() + 24 + 16);
        assert!(!chunk.bytes.windows(64).any(|w| w == &piece[..64]), "chunk {seq} is not in clear");
        let context = tiepdan::service::attachments::chunk_context(file_id, chunk.seq);
        let opened = sealer.open_bytes(&context, &chunk.bytes).unwrap();
        assert!(
            sealer
                .open_bytes(
                    &tiepdan::service::attachments::chunk_context(file_id, chunk.seq + 1),
                    &chunk.bytes
                )
                .is_err()
        );
        joined.extend_from_slice(&opened);
    }
    assert!(joined == big, "the rows hold the file, in order");
    let row = attachment::Entity::find_by_id(file_id).one(&o.app.state.db.reader).await.unwrap().unwrap();
    assert!(!row.name.contains("ho-so-quet"), "the name is sealed too: {}", row.name);

    let got = o.app.get(&format!("/api/v1/attachments/{file_id}"), Some(&o.inspector)).await.expect(200);
    assert_eq!(got.bytes.len(), len);
    assert!(got.bytes == big, "streamed back byte for byte");
    assert_eq!(sha256(&got.bytes), added["sha256"].as_str().unwrap());
}

#[tokio::test]
async fn a_citizen_attaches_within_a_day_of_filing_and_not_after() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let (_, chairman) = app.staff(&admin, "chutich", "chairman", None).await;
    let filing = json!({"kind": "complaint", "subject": "Khiếu nại việc cấp phép xây dựng",
                        "content": "Công trình bên cạnh xây lấn sang đất nhà tôi, đề nghị xem xét.",
                        "petitioner": {"full_name": "Phạm Thị Hoa", "address": "Tổ 5, phường Mẫu"}});
    let filed = app.post("/api/v1/public/petitions", None, filing).await.expect(201).body;
    let code = filed["tracking_code"].as_str().unwrap().to_owned();
    let portal = format!("/api/v1/public/petitions/{code}/attachments");

    let photo = file_of(JPEG, 123_456);
    let added = upload(&app, &portal, None, "Ảnh công trình.jpg", &photo).await.expect(201).body;
    // The portal's answer names the file and nothing more.
    let keys: Vec<&str> = added.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["content_type", "id", "name", "sha256", "size"]);
    assert_eq!(added["sha256"], sha256(&photo));
    // Typed lower-case, spaced: the code is found as on the tracking page.
    let loose = format!("/api/v1/public/petitions/{}/attachments", code.to_lowercase().replace('-', " "));
    let loose = loose.replace(' ', "%20");
    upload(&app, &loose, None, "giay-phep.pdf", &file_of(PDF, 2000)).await.expect(201);
    upload(&app, &portal, None, "virus.exe", &file_of(b"MZ\x90\x00", 2000))
        .await
        .expect_error(415, "unsupported_type");

    // Staff see it as the citizen's.
    let list = app.get("/api/v1/petitions?per_page=10", Some(&chairman)).await.expect(200).body;
    let id = list["items"][0]["id"].as_i64().unwrap();
    let files = app.get(&attachments_of(id), Some(&chairman)).await.expect(200).body;
    assert_eq!(files[0]["by_citizen"], true);
    assert_eq!(files[0]["added_by_id"], Value::Null);
    assert_eq!(files[0]["added_by_name"], Value::Null);
    let back = app.get(&format!("/api/v1/attachments/{}", files[0]["id"]), Some(&chairman)).await.expect(200);
    assert_eq!(back.bytes, photo);
    let trail = app.get(&format!("/api/v1/petitions/{id}/events"), Some(&chairman)).await.expect(200).body;
    let event = trail.as_array().unwrap().iter().find(|e| e["action"] == "attachment_added").unwrap();
    assert_eq!(event["actor_name"], "Cổng công dân");
    assert_eq!(event["changes"]["by_citizen"], true);

    // 24 hours after filing it still takes one; a second later it does not.
    app.clock.advance(chrono::Duration::hours(24));
    upload(&app, &portal, None, "them.png", PNG).await.expect(201);
    app.clock.advance(chrono::Duration::seconds(1));
    upload(&app, &portal, None, "muon.png", PNG).await.expect_error(409, "attachment_window_closed");
    upload(&app, "/api/v1/public/petitions/TD-2222-3333-4444/attachments", None, "a.png", PNG)
        .await
        .expect_error(404, "not_found");
    assert_eq!(stored(&app).await.0, 3);

    // A denunciation filed on the portal: the denouncer attaches, unnamed in the trail.
    app.clock.advance(chrono::Duration::hours(1));
    let filing = json!({"kind": "denunciation", "subject": "Tố cáo việc thu tiền trái phép",
                        "content": "Tổ dân phố thu tiền không có biên lai, đề nghị làm rõ.",
                        "petitioner": {"full_name": "Võ Văn Kín", "address": "Tổ 9, phường Mẫu"}});
    let code = app.post("/api/v1/public/petitions", None, filing).await.expect(201).body["tracking_code"]
        .as_str()
        .unwrap()
        .to_owned();
    upload(&app, &format!("/api/v1/public/petitions/{code}/attachments"), None, "bien-lai.jpg", JPEG)
        .await
        .expect(201);
    let list = app.get("/api/v1/petitions?kind=denunciation", Some(&chairman)).await.expect(200).body;
    let id = list["items"][0]["id"].as_i64().unwrap();
    let trail = app.get(&format!("/api/v1/petitions/{id}/events"), Some(&chairman)).await.expect(200).body;
    let event = trail.as_array().unwrap().iter().find(|e| e["action"] == "attachment_added").unwrap();
    assert_eq!(event["actor_name"], "Người tố cáo (danh tính được bảo mật)");
}

#[tokio::test]
async fn a_denunciations_attachments_are_refused_to_an_inspector_who_may_not_see_the_denouncer() {
    let o = office().await;
    let id = routed(&o, denunciation()).await;
    let evidence = file_of(PDF, 50_000);
    // The receiving officer attaches what came with the letter.
    let added = upload(&o.app, &attachments_of(id), Some(&o.desk), "Thư tố cáo của bà Bích.pdf", &evidence)
        .await
        .expect(201)
        .body;
    let file = format!("/api/v1/attachments/{}", added["id"]);

    for (who, token) in [
        ("an unassigned inspector", &o.other_inspector),
        ("the unit head", &o.head),
        ("the admin", &o.admin),
        ("another receptionist", &o.other_desk),
    ] {
        let list = o.app.get(&attachments_of(id), Some(token)).await;
        assert_eq!((list.status.as_u16(), list.code()), (404, "not_found"), "{who} lists");
        let got = o.app.get(&file, Some(token)).await;
        assert_eq!((got.status.as_u16(), got.code()), (404, "not_found"), "{who} downloads");
        assert!(!String::from_utf8_lossy(&got.bytes).contains("Bích"));
        let adds = upload(&o.app, &attachments_of(id), Some(token), "them.pdf", PDF).await;
        assert_eq!(adds.status.as_u16(), 404, "{who} adds: {}", adds.body);
    }
    let (_, citizen) = o.app.citizen("congdan").await;
    o.app.get(&file, Some(&citizen)).await.expect_error(403, "forbidden");
    o.app.get(&file, None).await.expect(401);

    // The chairman and the handler see it; every download is logged as an identity read.
    for (who, token) in [("the chairman", &o.chairman), ("the handler", &o.inspector)] {
        let list = o.app.get(&attachments_of(id), Some(token)).await.expect(200).body;
        assert_eq!(list[0]["name"], "Thư tố cáo của bà Bích.pdf", "{who}");
        let got = o.app.get(&file, Some(token)).await.expect(200);
        assert_eq!(got.bytes, evidence, "{who}");
    }
    let reads = o
        .app
        .get(&format!("/api/v1/petitions/{id}/identity-access"), Some(&o.chairman))
        .await
        .expect(200)
        .body;
    let downloads: Vec<&Value> =
        reads.as_array().unwrap().iter().filter(|r| r["purpose"] == "attachment").collect();
    assert_eq!(downloads.len(), 2, "{reads}");
    assert!(downloads.iter().any(|r| r["user_name"] == "Cán bộ chutich"), "{reads}");
    assert!(downloads.iter().any(|r| r["user_name"] == "Cán bộ thanhtra1"), "{reads}");

    // A complaint's files: the agency's staff read them, only those who have it in hand add.
    let complaint = routed(&o, complaint()).await;
    upload(&o.app, &attachments_of(complaint), Some(&o.inspector), "bien-ban.pdf", PDF).await.expect(201);
    o.app.get(&attachments_of(complaint), Some(&o.other_inspector)).await.expect(200);
    upload(&o.app, &attachments_of(complaint), Some(&o.other_inspector), "x.pdf", PDF)
        .await
        .expect_error(403, "forbidden");
    o.app.get(&attachments_of(complaint), Some(&o.admin)).await.expect_error(404, "not_found");
}

/// Reads `VmHWM` (the peak resident memory, in KiB) of process `pid`.
fn peak_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("read /proc/<pid>/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/<pid>/status")
}

/// One HTTP/1.1 request to `addr` on a connection of its own: (status, body).
async fn http(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, String)],
    body: &[u8],
) -> (u16, Vec<u8>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect to the server");
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let end = answer.windows(4).position(|w| w == b"\r\n\r\n").expect("a response head") + 4;
    let status = std::str::from_utf8(&answer[9..12]).unwrap().parse().unwrap();
    (status, answer[end..].to_vec())
}

/// The server binary, on the test app's database, measured from outside: four uploads of 9.5 MB
/// files at once, then four downloads of them at once, twice, raise its peak memory (`VmHWM`) by
/// far less than the files: had it held each file whole, the four in flight together would have
/// needed 38 MB more at least; streamed, it grows by 0 to 13 MB (each request's buffers: hyper's
/// read buffer, a frame or two in the multipart parser, a chunk and its sealed copy on their way
/// to or from the database, and what the allocator keeps). A single 9.5 MB transfer is no measure: the
/// allocator's retained pages and the first use of a path move the debug binary's peak by several
/// MB either way.
/// On PostgreSQL only: SQLite's page caches live in the server's process (up to 48 MB by design,
/// see `db`) and fill with the pages written and read whatever the application holds, so the
/// process's memory there measures SQLite, not the transfers.
#[tokio::test]
async fn the_servers_memory_does_not_grow_with_the_files() {
    use futures_util::future::join_all;
    if !on_postgres() {
        return;
    }
    let o = office().await;
    let id = routed(&o, complaint()).await;
    let port = crate::support::free_port();
    let addr = format!("127.0.0.1:{port}");
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_tiepdan"))
        .env_clear()
        .env("DATABASE_URL", o.app.config.database_url.clone().unwrap())
        .env("TIEPDAN_DATA_DIR", &o.app.config.data_dir)
        .env("TIEPDAN_JWT_SECRET", crate::support::TEST_SECRET)
        .env("TIEPDAN_DATA_KEY", crate::support::TEST_DATA_KEY)
        .env("TIEPDAN_AUDIT_KEY", crate::support::TEST_AUDIT_KEY)
        .env("TIEPDAN_BIND", &addr)
        .env("TIEPDAN_DB_POOL", "4")
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start the tiepdan binary");
    let pid = server.id();
    let mut up = false;
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(&addr).await.is_ok()
            && http(&addr, "GET", "/health", &[], b"").await.0 == 200
        {
            up = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(up, "the server started");
    let auth = ("Authorization", format!("Bearer {}", o.inspector));
    let upload = |bytes: Vec<u8>| {
        let (addr, auth) = (addr.clone(), auth.clone());
        async move {
            let body = form("tai-lieu.pdf", "application/pdf", &bytes);
            let (status, answer) =
                http(&addr, "POST", &attachments_of(id), &[auth, ("Content-Type", form_type())], &body).await;
            assert_eq!(status, 201, "{}", String::from_utf8_lossy(&answer));
            let added: Value = serde_json::from_slice(&answer).unwrap();
            (format!("/api/v1/attachments/{}", added["id"]), bytes)
        }
    };
    let download = |path: String, bytes: Vec<u8>| {
        let (addr, auth) = (addr.clone(), auth.clone());
        async move {
            let (status, back) = http(&addr, "GET", &path, &[auth], b"").await;
            assert_eq!(status, 200);
            assert!(back == bytes, "{path} comes back whole");
        }
    };
    // Warm up every path (connections, buffers, the allocator's pools) with 1 MB files.
    let small: Vec<_> = join_all((0..4u8).map(|n| upload(file_of(&[PDF, &[n]].concat(), MIB)))).await;
    join_all(small.iter().map(|(p, b)| download(p.clone(), b.clone()))).await;
    let before = peak_kib(pid);
    let big: Vec<_> =
        join_all((0..4u8).map(|n| upload(file_of(&[PDF, &[n]].concat(), 9 * MIB + MIB / 2)))).await;
    let uploaded = peak_kib(pid);
    for _ in 0..2 {
        join_all(big.iter().map(|(p, b)| download(p.clone(), b.clone()))).await;
    }
    let after = peak_kib(pid);
    let _ = server.kill();
    let _ = server.wait();
    let grown = after.saturating_sub(before);
    eprintln!(
        "server peak memory: {before} KiB after 1 MB files, {uploaded} KiB after four 9.5 MB uploads at once, \
         {after} KiB after their downloads (+{grown} KiB)"
    );
    assert!(grown < 20 * 1024, "the peak grew by {grown} KiB with four 9.5 MB files in flight");
}

#[tokio::test]
async fn rotate_key_seals_the_attachments_again_and_they_read_the_same() {
    use std::sync::Arc;

    use tiepdan::{
        crypto::{Sealer, parse_key},
        startup,
    };
    const NEW_DATA_KEY: &str = "5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70819202";
    let o = office().await;
    let id = routed(&o, denunciation()).await;
    let letter = file_of(PDF, 3 * CHUNK_BYTES / 2);
    let photo = file_of(PNG, 1000);
    let letter_id = upload(&o.app, &attachments_of(id), Some(&o.desk), "Thư của bà Bích.pdf", &letter)
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    upload(&o.app, &attachments_of(id), Some(&o.desk), "Ảnh nhà bà Bích.png", &photo).await.expect(201);
    let before = attachment_chunk::Entity::find().all(&o.app.state.db.reader).await.unwrap();

    let mut config = o.app.config.clone();
    config.new_data_key = Some(NEW_DATA_KEY.to_owned());
    let prepared = startup::prepare(&config, Arc::new(o.app.clock.clone())).await.unwrap();
    let rotated = startup::rotate_key(&config, &prepared).await.unwrap();
    assert_eq!(rotated.resealed.attachments, 2);

    // Every chunk and name is sealed again: it opens under the new key only, in its place.
    let (old, new) = (
        Sealer::new(&parse_key(crate::support::TEST_DATA_KEY).unwrap()),
        Sealer::new(&parse_key(NEW_DATA_KEY).unwrap()),
    );
    let after = attachment_chunk::Entity::find().all(&o.app.state.db.reader).await.unwrap();
    assert_eq!(after.len(), before.len());
    for (was, is) in before.iter().zip(&after) {
        let context = tiepdan::service::attachments::chunk_context(is.attachment_id, is.seq);
        assert_ne!(was.bytes, is.bytes);
        assert_eq!(
            new.open_bytes(&context, &is.bytes).unwrap(),
            old.open_bytes(&context, &was.bytes).unwrap()
        );
        assert!(old.open_bytes(&context, &is.bytes).is_err());
    }
    for row in attachment::Entity::find().all(&o.app.state.db.reader).await.unwrap() {
        assert!(
            new.open("attachment.name", &row.name).is_ok() && old.open("attachment.name", &row.name).is_err()
        );
    }

    // Restarted under the new key, the register serves the same files under the same names.
    let mut restarted = o.app.config.clone();
    restarted.data_key = Some(NEW_DATA_KEY.to_owned());
    let again = TestApp::with_config(restarted, tempfile::tempdir().unwrap()).await;
    let list = again.get(&attachments_of(id), Some(&o.chairman)).await.expect(200).body;
    assert_eq!(list[0]["name"], "Thư của bà Bích.pdf");
    assert_eq!(list[1]["name"], "Ảnh nhà bà Bích.png");
    let got = again.get(&format!("/api/v1/attachments/{letter_id}"), Some(&o.chairman)).await.expect(200);
    assert!(got.bytes == letter);
    let disposition = got.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(disposition.contains("Thu cua ba Bich.pdf"), "{disposition}");
}
