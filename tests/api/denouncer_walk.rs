//! The denouncer walk (issue 13): a denouncer enters the register by every path there is (the
//! desk, the portal signed in and not, reception visits of each kind and repeat visits, a split,
//! a second round, a further denunciation, a forwarding to another agency, a refusal to receive),
//! then every role that may not see them walks every GET endpoint of the published OpenAPI
//! document, with every id the register holds (her attachments too: a letter under her name, a
//! photo sent on the portal, each naming her), and the exports; the test fails if any marker of
//! the identity appears in any answer, with or without diacritics (Law 25/2018 Art. 8(3)). The
//! chairman, who may see them, walks the same paths as the control: the markers are found there.

use std::collections::BTreeSet;

use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use tiepdan::domain::{petition::EventAction, text::fold};

use crate::support::TestApp;

const NAME: &str = "Lạc Thị Huyền Trân";
const ID_NUMBER: &str = "079188004321";
const PHONE: &str = "0912777345";
const EMAIL: &str = "huyentran.lac@example.vn";
const ADDRESS: &str = "Số 99 ngõ Bí Mật, phường Mẫu";
/// Who came with her to the reception desk.
const COMPANION: &str = "Đoàn Văn Kín";
const COMPANION_ID: &str = "079090001357";
/// Her account on the portal.
const USERNAME: &str = "lachuyentran";

/// What identifies her, as it may be written (the answer is folded: no diacritics, lower case).
fn markers() -> Vec<String> {
    [NAME, ID_NUMBER, PHONE, EMAIL, "ngõ Bí Mật", COMPANION, COMPANION_ID, USERNAME]
        .iter()
        .map(|m| fold(m))
        .collect()
}

/// The markers found in a text, folded.
fn found_in(text: &str) -> Vec<String> {
    let text = fold(text);
    markers().into_iter().filter(|m| text.contains(m.as_str())).collect()
}

/// The text of an answer: JSON as is, an .ics unfolded (RFC 5545 folds lines at 75 octets and
/// escapes commas), a spreadsheet's every cell.
fn text_of(url: &str, bytes: &[u8]) -> String {
    if url.contains(".xlsx") && bytes.starts_with(b"PK") {
        use calamine::{Reader, Xlsx};
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("a valid XLSX");
        let mut cells = String::new();
        for (_, sheet) in book.worksheets() {
            for row in sheet.rows() {
                for cell in row {
                    cells.push_str(&cell.to_string());
                    cells.push('\n');
                }
            }
        }
        return cells;
    }
    let text = String::from_utf8_lossy(bytes).into_owned();
    if url.contains(".ics") { text.replace("\r\n ", "").replace("\\,", ",") } else { text }
}

fn person() -> Value {
    json!({"full_name": NAME, "id_number": ID_NUMBER, "phone": PHONE, "email": EMAIL, "address": ADDRESS})
}

fn denunciation(channel: &str) -> Value {
    json!({
        "kind": "denunciation", "channel": channel, "received_on": "2026-11-25",
        "subject": "Tố cáo cán bộ địa chính nhận tiền khi cấp giấy chứng nhận",
        "content": "Cán bộ địa chính phường đòi tiền khi làm thủ tục cấp giấy chứng nhận quyền sử dụng đất.",
        "petitioner": person(), "anonymous": false, "signatories": 1
    })
}

fn complaint() -> Value {
    json!({
        "kind": "complaint", "channel": "in_person", "received_on": "2026-11-25",
        "subject": "Khiếu nại quyết định thu hồi đất thửa số 77",
        "content": "Tôi khiếu nại quyết định thu hồi đất số 31/QĐ-UBND vì chưa bồi thường thỏa đáng.",
        "petitioner": person(), "anonymous": false, "signatories": 1
    })
}

/// A line of the reception book with her as the visitor.
fn visit(kind: &str, petition_id: Option<i64>, open_petition: bool) -> Value {
    json!({
        "visitor": {"full_name": NAME, "address": ADDRESS, "id_number": ID_NUMBER},
        "people_count": 2,
        "representatives": [{"full_name": COMPANION, "id_number": COMPANION_ID, "address": ADDRESS}],
        "summary": "Trình bày việc cán bộ địa chính đòi tiền khi cấp giấy chứng nhận.",
        "kind": kind, "within_competence": true, "accepted_by": "UBND phường Mẫu",
        "open_petition": open_petition, "petition_id": petition_id
    })
}

/// The register after she came by every path, and who walks it.
struct Register {
    app: TestApp,
    admin: String,
    chairman: String,
    /// (role, token or none) of everyone who may not see her.
    walkers: Vec<(&'static str, Option<String>)>,
    /// Every case of the register, of both agencies.
    cases: Vec<i64>,
    /// The cases she is a party of (the control: the chairman sees her in each of his agency's).
    hers: Vec<i64>,
    codes: Vec<String>,
    sessions: Vec<i64>,
    /// Every written notice of the register.
    notices: Vec<i64>,
    /// Every attachment of the register (hers, named after her and holding her name).
    attachments: Vec<i64>,
    agencies: Vec<i64>,
    units: Vec<i64>,
    /// Every account but hers.
    accounts: Vec<i64>,
    /// Her portal account: the admin administers it by name, which tells no one it denounced.
    her_account: i64,
    chairmen: Vec<i64>,
}

async fn post(app: &TestApp, path: &str, token: Option<&str>, body: Value) -> Value {
    app.post(path, token, body).await.expect(201).body
}

async fn act(app: &TestApp, token: &str, id: i64, body: Value) -> Value {
    app.post(&format!("/api/v1/petitions/{id}/actions"), Some(token), body).await.expect(200).body
}

fn id_of(v: &Value) -> i64 {
    v["id"].as_i64().unwrap_or_else(|| panic!("no id in {v}"))
}

fn ids(list: &Value) -> Vec<i64> {
    list["items"].as_array().unwrap_or_else(|| panic!("not a page: {list}")).iter().map(id_of).collect()
}

/// Percent-encodes a query value.
fn encoded(value: &str) -> String {
    value
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

async fn planted() -> Register {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let unit = app.unit(&admin, "Thanh tra phường", "TTr").await;
    let other_unit = app.unit(&admin, "Phòng Kinh tế, Hạ tầng và Đô thị", "KT").await;
    let (chairman_id, chairman) = app.staff(&admin, "chutich", "chairman", None).await;
    let (_, head) = app.staff(&admin, "truongtt", "unit_head", Some(unit)).await;
    let (_, other_head) = app.staff(&admin, "truongkt", "unit_head", Some(other_unit)).await;
    let (inspector_id, inspector) = app.staff(&admin, "thanhtra1", "inspector", Some(unit)).await;
    let (_, other_inspector) = app.staff(&admin, "thanhtra2", "inspector", Some(unit)).await;
    let (desk_id, desk) = app.staff(&admin, "tiepdan1", "receptionist", None).await;
    let (_, other_desk) = app.staff(&admin, "tiepdan2", "receptionist", None).await;
    let (_, stranger) = app.citizen("congdan.khac").await;

    // A second agency of the register, with its chairman.
    let second = id_of(
        &post(
            &app,
            "/api/v1/agencies",
            Some(&admin),
            json!({"name": "UBND phường Thứ Hai", "level": "commune"}),
        )
        .await,
    );
    let second_chairman_id = id_of(
        &post(
            &app,
            "/api/v1/users",
            Some(&admin),
            json!({"username": "chutich.hai", "password": "Sổ tiếp dân 2026", "full_name": "Chủ tịch phường Thứ Hai",
                   "role": "chairman", "agency_id": second}),
        )
        .await,
    );
    let second_chairman = app.login("chutich.hai", "Sổ tiếp dân 2026").await;

    // Someone else's complaint: the register is not only hers.
    let mut other = complaint();
    other["petitioner"] =
        json!({"full_name": "Nguyễn Văn An", "id_number": "001234567890", "address": "Tổ 3"});
    let other = id_of(&post(&app, "/api/v1/petitions", Some(&desk), other).await);

    // 1. At the desk, by post; handled, concluded, then denounced again (a further denunciation,
    //    recorded by the unit head).
    let at_desk = id_of(&post(&app, "/api/v1/petitions", Some(&desk), denunciation("post")).await);
    act(&app, &chairman, at_desk, json!({"action": "assign", "assignee_id": inspector_id, "unit_id": unit}))
        .await;
    act(&app, &inspector, at_desk, json!({"action": "accept"})).await;
    act(
        &app,
        &inspector,
        at_desk,
        json!({"action": "resolve", "result": "Tố cáo không đúng.", "conclusion": "wrong"}),
    )
    .await;
    act(&app, &head, at_desk, json!({"action": "reopen", "reason": "Có chứng cứ mới."})).await;

    // 2. On the portal, not signed in; 3. signed in to her own account, under her name.
    let online = json!({"kind": "denunciation", "subject": "Tố cáo việc thu tiền trái quy định",
                        "content": "Tổ dân phố thu tiền đóng góp trái quy định, không có biên lai.",
                        "petitioner": person()});
    let portal_code = post(&app, "/api/v1/public/petitions", None, online.clone()).await["tracking_code"]
        .as_str()
        .unwrap()
        .to_owned();
    let her_account = post(
        &app,
        "/api/v1/auth/register",
        None,
        json!({"username": USERNAME, "password": "Mật khẩu của Trân", "full_name": NAME, "phone": PHONE, "email": EMAIL}),
    )
    .await;
    let her_account = id_of(&her_account);
    let her = app.login(USERNAME, "Mật khẩu của Trân").await;
    post(&app, "/api/v1/public/petitions", Some(&her), online).await;

    // 4. At the reception desk: a denunciation opening a case, then repeat visits about it
    //    recorded under every other label; a denunciation with no case; a complaint opening a case
    //    that a later denunciation visit makes confidential; a refusal to receive her.
    let today = "2026-11-25";
    let session = id_of(
        &post(
            &app,
            "/api/v1/reception-sessions",
            Some(&desk),
            json!({"kind": "regular", "date": today, "host_id": desk_id, "location": "Phòng tiếp công dân"}),
        )
        .await,
    );
    let visits = format!("/api/v1/reception-sessions/{session}/visits");
    let opened = post(&app, &visits, Some(&desk), visit("denunciation", None, true)).await;
    let opened = opened["petition_id"].as_i64().unwrap_or_else(|| panic!("no case opened: {opened}"));
    for kind in ["complaint", "recommendation", "feedback", "denunciation"] {
        post(&app, &visits, Some(&desk), visit(kind, Some(opened), false)).await;
    }
    post(&app, &visits, Some(&desk), visit("denunciation", None, false)).await;
    let complained = post(&app, &visits, Some(&desk), visit("complaint", None, true)).await;
    let complained = complained["petition_id"].as_i64().unwrap();
    post(&app, &visits, Some(&desk), visit("denunciation", Some(complained), false)).await;
    post(
        &app,
        &format!("/api/v1/reception-sessions/{session}/refusals"),
        Some(&desk),
        json!({"visitor": {"full_name": NAME, "id_number": ID_NUMBER, "address": ADDRESS}, "ground": "threats_or_insults"}),
    )
    .await;

    // 5. A complaint split into a complaint and a denunciation; the complaint part concluded and
    //    complained of again (a second round).
    let split = id_of(&post(&app, "/api/v1/petitions", Some(&desk), complaint()).await);
    let parts = json!([
        {"kind": "complaint", "subject": "Khiếu nại việc chậm bồi thường", "content": "Phần khiếu nại."},
        {"kind": "denunciation", "subject": "Tố cáo cán bộ nhận tiền", "content": "Phần tố cáo."},
    ]);
    let split = act(&app, &chairman, split, json!({"action": "split", "parts": parts})).await;
    let part = split["derived"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_i64().unwrap())
        .find(|_| true)
        .unwrap();
    let part_view = app.get(&format!("/api/v1/petitions/{part}"), Some(&chairman)).await.expect(200).body;
    assert_eq!(part_view["kind"], "complaint", "the first part is the complaint");
    act(&app, &chairman, part, json!({"action": "assign", "assignee_id": inspector_id, "unit_id": unit}))
        .await;
    act(&app, &inspector, part, json!({"action": "accept"})).await;
    act(
        &app,
        &inspector,
        part,
        json!({"action": "resolve", "result": "Giữ nguyên quyết định.", "conclusion": "wrong"}),
    )
    .await;
    act(&app, &chairman, part, json!({"action": "reopen", "reason": "Không đồng ý với quyết định lần đầu."}))
        .await;

    // 6. A denunciation forwarded to the other agency of the register.
    let sent = id_of(&post(&app, "/api/v1/petitions", Some(&desk), denunciation("in_person")).await);
    act(
        &app,
        &chairman,
        sent,
        json!({"action": "forward", "to_agency_id": second, "letter_no": "12/UBND-TTr"}),
    )
    .await;

    // 7. Her evidence: the letter the desk scanned into the first case (named after her, her name
    //    inside), and a photo she attached on the portal right after filing.
    let mut attachments = Vec::new();
    let mut letter = b"%PDF-1.4\n% ".to_vec();
    letter.extend_from_slice(format!("Đơn tố cáo của {NAME}, {ADDRESS}, CCCD {ID_NUMBER}").as_bytes());
    let added = crate::attachments::upload(
        &app,
        &format!("/api/v1/petitions/{at_desk}/attachments"),
        Some(&desk),
        &format!("Đơn tố cáo – {NAME}.pdf"),
        &letter,
    )
    .await
    .expect(201);
    attachments.push(id_of(&added.body));
    let mut photo = crate::attachments::JPEG.to_vec();
    photo.extend_from_slice(format!("Exif: chụp bởi {NAME} {PHONE}").as_bytes());
    let added = crate::attachments::upload(
        &app,
        &format!("/api/v1/public/petitions/{portal_code}/attachments"),
        None,
        &format!("{USERNAME}-anh-bang-chung.jpg"),
        &photo,
    )
    .await
    .expect(201);
    attachments.push(id_of(&added.body));

    // Everything the register holds, as the two chairmen list it.
    let mut cases = Vec::new();
    let mut codes = Vec::new();
    for token in [&chairman, &second_chairman] {
        let list = app.get("/api/v1/petitions?per_page=200", Some(token)).await.expect(200).body;
        for item in list["items"].as_array().unwrap() {
            cases.push(id_of(item));
            codes.push(item["tracking_code"].as_str().unwrap().to_owned());
        }
    }
    let hers: Vec<i64> = cases.iter().copied().filter(|&c| c != other).collect();
    assert!(hers.len() >= 12, "every path made its case: {hers:?}");
    let sessions = ids(&app
        .get("/api/v1/reception-sessions?from=2026-11-01&to=2026-12-31&per_page=200", Some(&chairman))
        .await
        .expect(200)
        .body);
    let agencies = ids(&app.get("/api/v1/agencies?per_page=200", Some(&admin)).await.expect(200).body);
    let units = ids(&app.get("/api/v1/units?per_page=200", Some(&admin)).await.expect(200).body);
    let mut accounts = Vec::new();
    for query in ["", &format!("&agency_id={second}"), "&role=citizen"] {
        let list =
            app.get(&format!("/api/v1/users?per_page=200{query}"), Some(&admin)).await.expect(200).body;
        accounts.extend(ids(&list).into_iter().filter(|&a| a != her_account));
    }

    let notices = tiepdan::entity::notice::Entity::find()
        .all(&app.state.db.reader)
        .await
        .unwrap()
        .into_iter()
        .map(|n| n.id)
        .collect();
    Register {
        app,
        admin: admin.clone(),
        chairman,
        walkers: vec![
            ("unassigned inspector", Some(other_inspector)),
            ("unit head of the handler's unit", Some(head)),
            ("unit head of another unit", Some(other_head)),
            ("another receptionist", Some(other_desk)),
            ("admin", Some(admin)),
            ("another citizen", Some(stranger)),
            ("anonymous", None),
        ],
        cases,
        hers,
        codes,
        sessions,
        notices,
        attachments,
        agencies,
        units,
        accounts,
        her_account,
        chairmen: vec![chairman_id, second_chairman_id],
    }
}

/// The searches that would find her, were she findable.
fn searches() -> Vec<String> {
    [NAME, &fold(NAME), "Huyền Trân", ID_NUMBER, PHONE, EMAIL, "ngo bi mat", COMPANION]
        .iter()
        .map(|q| format!("q={}", encoded(q)))
        .collect()
}

impl Register {
    /// The concrete requests of a GET template of the document, for `walker`.
    fn urls(&self, template: &str, walker: &str) -> Vec<String> {
        let each = |ids: &[i64], name: &str| -> Vec<String> {
            ids.iter().map(|id| template.replace(name, &id.to_string())).collect()
        };
        let with = |queries: &[String]| -> Vec<String> {
            std::iter::once(template.to_owned())
                .chain(queries.iter().map(|q| format!("{template}?{q}")))
                .collect()
        };
        let month = "from=2026-11-01&to=2026-12-31".to_owned();
        match template {
            "/health" | "/api/v1/auth/me" | "/api/v1/my/petitions" | "/api/v1/reception-rules" => {
                vec![template.to_owned()]
            }
            "/api/v1/agencies" | "/api/v1/units" | "/api/v1/reception-directives" => {
                with(&["per_page=200".to_owned()])
            }
            "/api/v1/agencies/{id}" => each(&self.agencies, "{id}"),
            "/api/v1/units/{id}" => each(&self.units, "{id}"),
            "/api/v1/users" => with(&["per_page=200".to_owned(), format!("agency_id={}", self.agencies[1])]),
            "/api/v1/users/{id}" => {
                let mut accounts = self.accounts.clone();
                if walker != "admin" {
                    accounts.push(self.her_account);
                }
                each(&accounts, "{id}")
            }
            "/api/v1/calendar/days" => with(&["year=2026".to_owned()]),
            "/api/v1/calendar/due-date" => with(&["start=2026-11-25&days=10".to_owned()]),
            // Counts only.
            "/api/v1/calendar/days/{date}/impact" => {
                vec!["/api/v1/calendar/days/2026-12-02/impact".to_owned()]
            }
            "/api/v1/inbox" => ["mine", "unit", "new", "all"]
                .iter()
                .flat_map(|scope| {
                    std::iter::once(format!("{template}?scope={scope}&per_page=200"))
                        .chain(searches().into_iter().map(move |q| format!("{template}?scope={scope}&{q}")))
                })
                .collect(),
            "/api/v1/petitions" => {
                let mut queries =
                    vec!["per_page=200".to_owned(), "kind=denunciation&per_page=200".to_owned()];
                queries.extend(searches());
                with(&queries)
            }
            "/api/v1/petitions/{id}"
            | "/api/v1/petitions/{id}/deadlines"
            | "/api/v1/petitions/{id}/events"
            | "/api/v1/petitions/{id}/identity-access"
            | "/api/v1/petitions/{id}/notices"
            | "/api/v1/petitions/{id}/attachments"
            | "/api/v1/petitions/{id}/visits" => each(&self.cases, "{id}"),
            "/api/v1/attachments/{id}" => each(&self.attachments, "{id}"),
            // A notice's page, and its PDF (the same document).
            "/api/v1/notices/{id}" => self
                .notices
                .iter()
                .flat_map(|id| {
                    [template.replace("{id}", &id.to_string()), format!("/api/v1/notices/{id}.pdf")]
                })
                .collect(),
            "/api/v1/public/petitions/{tracking_code}" | "/api/v1/public/petitions/{tracking_code}/qr" => {
                self.codes.iter().map(|c| template.replace("{tracking_code}", c)).collect()
            }
            "/api/v1/public/reception-schedule" | "/api/v1/public/reception-schedule.ics" => {
                let mut queries = vec![month.clone()];
                queries.extend(self.agencies.iter().map(|a| format!("{month}&agency_id={a}")));
                with(&queries)
            }
            "/api/v1/reception-book" | "/api/v1/reception-book.xlsx" => with(&[month]),
            "/api/v1/reception-refusals" => with(&[month, "pending_notice=true".to_owned()]),
            "/api/v1/reception-rules/{host_id}" => each(&self.chairmen, "{host_id}"),
            "/api/v1/reception-sessions" => with(&[format!("{month}&per_page=200")]),
            "/api/v1/reception-sessions/{id}" | "/api/v1/reception-sessions/{id}/visits" => {
                each(&self.sessions, "{id}")
            }
            "/api/v1/reviews/weekly" => with(&["week=2026-W48".to_owned()]),
            // Reports hold counts only; the walk reads them all the same, for every agency.
            "/api/v1/reports/periodic"
            | "/api/v1/reports/periodic.csv"
            | "/api/v1/reports/periodic.xlsx"
            | "/api/v1/reports/periodic.html" => {
                let mut queries =
                    vec!["period=2026-Q4".to_owned(), "from=2026-11-01&to=2026-12-31".to_owned()];
                queries.extend(self.agencies.iter().map(|a| format!("period=2026-Q4&agency_id={a}")));
                with(&queries)
            }
            "/api/v1/reports/dashboard" => {
                let mut queries = vec!["from=2026-11-01&to=2026-12-31".to_owned()];
                queries.extend(self.agencies.iter().map(|a| format!("agency_id={a}")));
                with(&queries)
            }
            "/api/v1/public/results" => with(&["month=2026-11".to_owned(), "month=2026-12".to_owned()]),
            "/api/v1/public/results/series"
            | "/api/v1/public/results.csv"
            | "/api/v1/public/results.atom" => with(&["from_month=2026-10&to_month=2026-12".to_owned()]),
            "/api/v1/account-events" => with(&["per_page=200".to_owned(), "flagged=true".to_owned()]),
            "/api/v1/outbox" => with(&["per_page=200".to_owned()]),
            "/api/v1/identity-access" => with(&["per_page=200".to_owned()]),
            "/api/v1/reviews/weekly/series" => with(&["from_week=2026-W46&to_week=2026-W50".to_owned()]),
            other => panic!("the walk does not know the GET endpoint {other}: say which ids it takes"),
        }
    }

    /// The GET templates of the published document.
    fn templates() -> Vec<String> {
        let (_, openapi) = tiepdan::http::api_router().split_for_parts();
        let doc = serde_json::to_value(&openapi).unwrap();
        doc["paths"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(_, ops)| ops.get("get").is_some())
            .map(|(path, _)| path.clone())
            .collect()
    }
}

#[tokio::test]
async fn no_path_leads_to_a_denouncer_for_anyone_the_law_does_not_allow() {
    let r = planted().await;
    // Every path left a register that verifies: where a denunciation made a matter confidential,
    // each other member of its family recorded it in an event of its own.
    let state = &r.app.state;
    let report = tiepdan::service::audit::verify(&state.db.reader, &state.keys, None).await.unwrap();
    assert!(report.is_intact(), "{report:?}");
    let made = tiepdan::entity::petition_event::Entity::find()
        .filter(tiepdan::entity::petition_event::Column::Action.eq(EventAction::MadeConfidential))
        .count(&state.db.reader)
        .await
        .unwrap();
    assert!(made >= 1, "the split's complaint part was made confidential by its denunciation part");
    let templates = Register::templates();
    assert!(templates.len() >= 30, "{templates:?}");

    let mut requests = 0;
    for (walker, token) in &r.walkers {
        let mut answered = 0;
        for template in &templates {
            for url in r.urls(template, walker) {
                let a = r.app.get(&url, token.as_deref()).await;
                requests += 1;
                assert!(a.status.as_u16() < 500, "{walker}: {url} → {}", a.status);
                answered += usize::from(a.status.is_success());
                let leaked = found_in(&text_of(&url, &a.bytes));
                assert!(leaked.is_empty(), "{walker} found {leaked:?} at {url}: {}", text_of(&url, &a.bytes));
                // A search for her finds nothing.
                if url.contains("q=") && a.status.is_success() {
                    assert_eq!(a.body["total"], 0, "{walker}: {url} found her cases: {}", a.body);
                }
            }
        }
        assert!(
            answered > 0 || *walker == "anonymous" || *walker == "another citizen",
            "{walker} got no answer"
        );

        // Nor does a repeat check by her identity number warn of her cases.
        if let Some(token) = token.as_deref().filter(|_| !walker.contains("citizen")) {
            let check = r
                .app
                .post(
                    "/api/v1/petitions/repeat-check",
                    Some(token),
                    json!({"id_numbers": [ID_NUMBER, COMPANION_ID], "subject": "Việc khác hẳn"}),
                )
                .await
                .expect(200)
                .body;
            assert_eq!(check, json!([]), "{walker} was warned of her cases");
        }
    }
    assert!(requests > 500, "the walk made {requests} requests");

    // The control: the chairman, walking the same paths, finds her: in each of his agency's cases,
    // the book and its export, the visits and the refusals; so the markers would have been seen.
    let mut seen = BTreeSet::new();
    for template in &templates {
        for url in r.urls(template, "chairman") {
            let a = r.app.get(&url, Some(&r.chairman)).await;
            if a.status.is_success() && !found_in(&text_of(&url, &a.bytes)).is_empty() {
                seen.insert(url);
            }
        }
    }
    for expected in [
        "/api/v1/reception-book?from=2026-11-01&to=2026-12-31".to_owned(),
        "/api/v1/reception-book.xlsx?from=2026-11-01&to=2026-12-31".to_owned(),
        "/api/v1/reception-refusals?from=2026-11-01&to=2026-12-31".to_owned(),
    ] {
        assert!(seen.contains(&expected), "the chairman should see her at {expected}: {seen:?}");
    }
    // … her files, listed by name and downloaded, each download logged.
    for file in &r.attachments {
        let url = format!("/api/v1/attachments/{file}");
        assert!(seen.contains(&url), "the chairman should see her in {url}: {seen:?}");
    }
    let lists = seen.iter().filter(|u| u.ends_with("/attachments")).count();
    assert!(lists >= 2, "the chairman should see her files listed: {seen:?}");
    let mut own = 0;
    for case in &r.hers {
        let url = format!("/api/v1/petitions/{case}");
        let v = r.app.get(&url, Some(&r.chairman)).await;
        if v.status.is_success() {
            own += 1;
            assert!(seen.contains(&url), "the chairman should see her in case {case}: {}", v.body);
        }
    }
    assert!(own >= 11, "the chairman's agency holds her cases: {own}");
    // … and on the notices addressed to her (an acceptance, a conclusion), as their resolver.
    let on_notices =
        seen.iter().filter(|u| u.starts_with("/api/v1/notices/") && !u.ends_with(".pdf")).count();
    assert!(on_notices >= 2, "the chairman should see her on the notices addressed to her: {seen:?}");
    // The admin administers her account by name; nothing the admin reads ties it to a case (the
    // walk above), and her own account sees its petitions.
    let account = r.app.get(&format!("/api/v1/users/{}", r.her_account), Some(&r.admin)).await.expect(200);
    assert_eq!(account.body["full_name"], NAME);
}
