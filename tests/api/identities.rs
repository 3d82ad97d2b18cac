//! Identities at rest: every path that stores a person's identity stores it sealed (the raw SQLite
//! file and its WAL, or every row of PostgreSQL, hold none in clear), `rotate-key` re-seals it all
//! under a new key, a register kept in clear is sealed once at start, and the SQLite files are
//! readable by their owner only.

use std::sync::Arc;

use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, QueryOrder, Statement};
use serde_json::{Value, json};
use tiepdan::{
    crypto::{Sealer, parse_key},
    db::sql,
    domain::{role::Role, text::fold},
    entity::{petition_party, reception_refusal, reception_visit, user},
    service::identity::{field, register::MARKER},
    startup,
};

use crate::support::{TEST_DATA_KEY, TestApp, fresh_database_url, on_postgres, test_config};

/// The data key a rotation moves to.
const NEW_DATA_KEY: &str = "5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70819202";

/// A person planted in the register, and what would betray them in clear.
#[derive(Debug, Clone, Copy)]
struct Planted {
    name: &'static str,
    id_number: &'static str,
    address: &'static str,
    phone: Option<&'static str>,
    email: Option<&'static str>,
}

impl Planted {
    /// The request body of the person.
    fn body(&self) -> Value {
        json!({"full_name": self.name, "id_number": self.id_number, "address": self.address,
               "phone": self.phone, "email": self.email})
    }

    /// As a visitor of the book (name, address, identity number).
    fn visitor(&self) -> Value {
        json!({"full_name": self.name, "id_number": self.id_number, "address": self.address})
    }

    /// Every text that shows the person in clear: the name and the address with and without
    /// diacritics, each word of the name long enough not to occur by chance in sealed bytes (six
    /// letters or more), the identity number, phone and e-mail.
    fn marks(&self) -> Vec<String> {
        let mut marks =
            vec![self.name.to_owned(), fold(self.name), self.address.to_owned(), fold(self.address)];
        for word in self.name.split(' ').filter(|w| fold(w).chars().count() >= 6) {
            marks.push(word.to_owned());
            marks.push(fold(word));
        }
        marks.push(self.id_number.to_owned());
        marks.extend(self.phone.map(str::to_owned));
        marks.extend(self.email.map(str::to_owned));
        marks
    }
}

const PETITIONER: Planted = Planted {
    name: "Khương Thị Nguyệt",
    id_number: "079203004411",
    address: "Xóm Chuyết Hoàn, ấp Quỳnh Khuê",
    phone: Some("0903111222"),
    email: Some("nguyet.khuong@thudien.vn"),
};
const COSIGNATORY: Planted = Planted {
    name: "Nghiêm Xuân Khuynh",
    id_number: "001085002233",
    address: "Ngách Khẩu Tượng số 9",
    phone: Some("0913222333"),
    email: Some("khuynh.nghiem@thudien.vn"),
};
const REPRESENTATIVE: Planted = Planted {
    name: "Chương Đức Thuyên",
    id_number: "036090003344",
    address: "Bản Nậm Khiếu, xã Mường Ẳng",
    phone: Some("0923333444"),
    email: Some("thuyen.chuong@thudien.vn"),
};
const ANONYMOUS_FILER: Planted = Planted {
    name: "Truyền Văn Khiêng",
    id_number: "038092004455",
    address: "Thôn Đoài Khiêm, xã Quảng Nhiêu",
    phone: Some("0933444555"),
    email: Some("khieng.truyen@thudien.vn"),
};
const SIGNED_IN_FILER: Planted = Planted {
    name: "Chuyên Thị Giường",
    id_number: "040193005566",
    address: "Khu Giếng Chùa Ngoẹo, tổ 14",
    phone: Some("0943555666"),
    email: Some("giuong.chuyen@thudien.vn"),
};
const CITIZEN: Planted = Planted {
    name: "Khuất Thị Nhượng",
    id_number: "",
    address: "",
    phone: Some("0953666777"),
    email: Some("nhuong.khuat@thudien.vn"),
};
const GROUP_VISITOR: Planted = Planted {
    name: "Xương Văn Chiêng",
    id_number: "042089006677",
    address: "Xóm Rộc Khuynh Diệp, thôn Khe Ngược",
    phone: None,
    email: None,
};
const VISIT_REPRESENTATIVE: Planted = Planted {
    name: "Khoáng Thị Nghênh",
    id_number: "044186007788",
    address: "Thôn Lũng Khoèo, xã Thượng Nghiễm",
    phone: None,
    email: None,
};
const OPENING_VISITOR: Planted = Planted {
    name: "Quỳnh Thị Khuyên",
    id_number: "046191008899",
    address: "Hẻm Chiếu Khoảnh, tổ 21",
    phone: None,
    email: None,
};
const REFUSED: Planted = Planted {
    name: "Thuyết Văn Nghiễn",
    id_number: "048087009900",
    address: "Làng Cổ Khuỷu, thôn Ngạch Ngoèo",
    phone: None,
    email: None,
};

const EVERYONE: [Planted; 10] = [
    PETITIONER,
    COSIGNATORY,
    REPRESENTATIVE,
    ANONYMOUS_FILER,
    SIGNED_IN_FILER,
    CITIZEN,
    GROUP_VISITOR,
    VISIT_REPRESENTATIVE,
    OPENING_VISITOR,
    REFUSED,
];

/// The people named on petitions, found by their names.
const PARTIES: [Planted; 6] =
    [PETITIONER, COSIGNATORY, REPRESENTATIVE, ANONYMOUS_FILER, SIGNED_IN_FILER, OPENING_VISITOR];

/// A register with an identity planted through every path that stores one.
struct Planting {
    admin: String,
    chairman: String,
    desk: String,
    citizen: String,
    session: i64,
}

async fn plant(app: &TestApp) -> Planting {
    let admin = app.admin().await;
    let (_, chairman) = app.staff(&admin, "chutich", "chairman", None).await;
    let (desk_id, desk) = app.staff(&admin, "tiepdan1", "receptionist", None).await;

    // Staff intake: a group with a co-signatory and a representative.
    let complaint = app
        .post(
            "/api/v1/petitions",
            Some(&desk),
            json!({"kind": "complaint", "channel": "in_person", "received_on": "2026-11-25",
               "subject": "Khiếu nại việc cấp phép xây dựng trạm biến áp",
               "content": "Sáu hộ dân khiếu nại giấy phép xây dựng trạm biến áp sát khu dân cư.",
               "petitioner": PETITIONER.body(), "signatories": 6,
               "cosignatories": [COSIGNATORY.body()], "representatives": [REPRESENTATIVE.body()]}),
        )
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    // The desk attaches the signed letter: named after her, her identity written in it.
    let letter = format!(
        "%PDF-1.4\n% Đơn của {}, CCCD {}, {}, {} {}\n%%EOF\n",
        PETITIONER.name,
        PETITIONER.id_number,
        PETITIONER.address,
        PETITIONER.phone.unwrap_or_default(),
        PETITIONER.email.unwrap_or_default()
    );
    crate::attachments::upload(
        app,
        &format!("/api/v1/petitions/{complaint}/attachments"),
        Some(&desk),
        &format!("Đơn khiếu nại của {}.pdf", PETITIONER.name),
        letter.as_bytes(),
    )
    .await
    .expect(201);
    // The portal, not signed in.
    app.post(
        "/api/v1/public/petitions",
        None,
        json!({"kind": "recommendation", "subject": "Kiến nghị sửa cống thoát nước",
               "content": "Cống thoát nước đầu ngõ bị tắc, đề nghị nạo vét.", "petitioner": ANONYMOUS_FILER.body()}),
    )
    .await
    .expect(201);
    // A citizen registers, then files signed in.
    let password = "congdan-mật-khẩu-1";
    app.post(
        "/api/v1/auth/register",
        None,
        json!({"username": "congdan.thu", "password": password, "full_name": CITIZEN.name,
               "phone": CITIZEN.phone, "email": CITIZEN.email}),
    )
    .await
    .expect(201);
    let citizen = app.login("congdan.thu", password).await;
    app.post(
        "/api/v1/public/petitions",
        Some(&citizen),
        json!({"kind": "feedback", "subject": "Phản ánh đèn chiếu sáng hỏng",
               "content": "Đèn chiếu sáng đầu ngõ hỏng đã lâu.", "petitioner": SIGNED_IN_FILER.body()}),
    )
    .await
    .expect(201);
    // A desk session: a group's visit with a representative, a visit that opens a petition, and a
    // refusal.
    let session = app
        .post(
            "/api/v1/reception-sessions",
            Some(&desk),
            json!({"kind": "regular", "date": "2026-11-25", "host_id": desk_id, "location": "Phòng tiếp công dân"}),
        )
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    let visits = format!("/api/v1/reception-sessions/{session}/visits");
    let visit = |visitor: Value, people: i32, representatives: Value, open: bool| {
        json!({"visitor": visitor, "people_count": people, "representatives": representatives,
               "summary": "Đề nghị xem xét việc cấp phép xây dựng trạm biến áp.",
               "kind": "recommendation", "within_competence": true, "open_petition": open})
    };
    app.post(
        &visits,
        Some(&desk),
        visit(GROUP_VISITOR.visitor(), 6, json!([VISIT_REPRESENTATIVE.visitor()]), false),
    )
    .await
    .expect(201);
    app.post(&visits, Some(&desk), visit(OPENING_VISITOR.visitor(), 1, json!([]), true)).await.expect(201);
    app.post(
        &format!("/api/v1/reception-sessions/{session}/refusals"),
        Some(&desk),
        json!({"visitor": REFUSED.visitor(), "ground": "threats_or_insults"}),
    )
    .await
    .expect(201);
    Planting { admin, chairman, desk, citizen, session }
}

/// Everything the API shows of the planted identities, to the people who may see them: the
/// cases' people, the visits and the book, the refusals, the citizens' accounts, and what search
/// and the repeat check find by name and identity number.
async fn identities(app: &TestApp, p: &Planting) -> Value {
    let list = app.get("/api/v1/petitions?per_page=200", Some(&p.chairman)).await.expect(200).body;
    let mut cases = Vec::new();
    for item in list["items"].as_array().unwrap() {
        let id = item["id"].as_i64().unwrap();
        let case = app.get(&format!("/api/v1/petitions/{id}"), Some(&p.chairman)).await.expect(200).body;
        cases.push(json!({"id": id, "petitioner": case["petitioner"], "parties": case["parties"]}));
    }
    let visits: Vec<Value> = app
        .get(&format!("/api/v1/reception-sessions/{}/visits", p.session), Some(&p.desk))
        .await
        .expect(200)
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|v| json!({"visitor": v["visitor"], "representatives": v["representatives"]}))
        .collect();
    let book =
        app.get("/api/v1/reception-book?from=2026-11-01&to=2026-11-30", Some(&p.desk)).await.expect(200);
    let book: Vec<Value> =
        book.body["lines"].as_array().unwrap().iter().map(|l| l["cells"].clone()).collect();
    let refusals: Vec<Value> = app
        .get("/api/v1/reception-refusals", Some(&p.desk))
        .await
        .expect(200)
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["visitor"].clone())
        .collect();
    let citizens: Vec<Value> =
        app.get("/api/v1/users?role=citizen", Some(&p.admin)).await.expect(200).body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| json!([u["username"], u["full_name"], u["phone"], u["email"]]))
            .collect();
    let me = app.get("/api/v1/auth/me", Some(&p.citizen)).await.expect(200).body;
    let mut found = Vec::new();
    for person in PARTIES {
        // By the whole name, without diacritics, and by its last word alone.
        let last = fold(person.name.rsplit(' ').next().unwrap());
        for q in [fold(person.name), last] {
            let hits = app
                .get(&format!("/api/v1/petitions?q={}", q.replace(' ', "%20")), Some(&p.chairman))
                .await
                .expect(200)
                .body;
            let ids: Vec<Value> = hits["items"].as_array().unwrap().iter().map(|i| i["id"].clone()).collect();
            assert_eq!(ids.len(), 1, "{q:?} finds its case");
            found.push(json!([q, ids]));
        }
    }
    let repeats = app
        .post(
            "/api/v1/petitions/repeat-check",
            Some(&p.desk),
            json!({"id_numbers": [PETITIONER.id_number, OPENING_VISITOR.id_number], "subject": "x"}),
        )
        .await
        .expect(200)
        .body;
    let repeats: Vec<Value> = repeats.as_array().unwrap().iter().map(|w| w["petition_id"].clone()).collect();
    assert_eq!(repeats.len(), 2, "both identity numbers are found again");
    json!({"cases": cases, "visits": visits, "book": book, "refusals": refusals, "citizens": citizens,
           "me": [me["full_name"], me["phone"], me["email"]], "found": found, "repeats": repeats})
}

/// Asserts that the API shows every planted identity.
fn shows_everyone(shown: &Value) {
    let text = shown.to_string();
    for person in EVERYONE {
        for value in
            [Some(person.name), Some(person.id_number), Some(person.address), person.phone, person.email]
        {
            let value = value.filter(|v| !v.is_empty());
            if let Some(v) = value {
                assert!(text.contains(v), "{v} is shown: {shown}");
            }
        }
    }
}

/// The planted texts that `stored` holds in clear.
fn found_in(stored: &[u8]) -> Vec<String> {
    EVERYONE
        .iter()
        .flat_map(Planted::marks)
        .filter(|m| !m.is_empty())
        .filter(|m| stored.windows(m.len()).any(|w| w == m.as_bytes()))
        .collect()
}

/// What the database keeps: the bytes of the SQLite file and its WAL, and the terms of its
/// full-text index (which FTS5 stores prefix-compressed, so a word in clear may not show whole in
/// the file); or on PostgreSQL every row of every table as text.
async fn stored_bytes(app: &TestApp) -> Vec<u8> {
    if on_postgres() {
        let db = &app.state.db.writer;
        let tables = db
            .query_all_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT table_name::text AS t FROM information_schema.tables WHERE table_schema = 'public'",
            ))
            .await
            .unwrap();
        let mut out = Vec::new();
        for table in tables {
            let name: String = table.try_get("", "t").unwrap();
            let rows = db
                .query_all_raw(Statement::from_string(
                    DbBackend::Postgres,
                    format!("SELECT row_to_json(r)::text AS j FROM \"{name}\" r"),
                ))
                .await
                .unwrap();
            for row in rows {
                out.extend(row.try_get::<String>("", "j").unwrap().into_bytes());
            }
        }
        out
    } else {
        let file = app.config.data_dir.join("tiepdan.db");
        let mut bytes = std::fs::read(&file).unwrap();
        if let Ok(wal) = std::fs::read(app.config.data_dir.join("tiepdan.db-wal")) {
            bytes.extend(wal);
        }
        let db = &app.state.db.writer;
        db.execute_unprepared(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.index_terms USING fts5vocab(main, petition_fts, row)",
        )
        .await
        .unwrap();
        let terms = db
            .query_all_raw(Statement::from_string(DbBackend::Sqlite, "SELECT term FROM temp.index_terms"))
            .await;
        for row in terms.unwrap() {
            bytes.push(b' ');
            bytes.extend(row.try_get::<String>("", "term").unwrap().into_bytes());
        }
        bytes
    }
}

#[tokio::test]
async fn no_planted_identity_is_kept_in_clear_by_any_path_that_stores_one() {
    let app = TestApp::new().await;
    let planting = plant(&app).await;
    let shown = identities(&app, &planting).await;
    shows_everyone(&shown);
    let stored = stored_bytes(&app).await;
    assert!(stored.len() > 10_000, "the register was read");
    // The check itself finds a name in clear, with or without diacritics.
    assert!(found_in("… Khương Thị Nguyệt …".as_bytes()).contains(&PETITIONER.name.to_owned()));
    assert!(found_in(b"khuong thi nguyet").contains(&"nguyet".to_owned()));
    assert_eq!(found_in(&stored), Vec::<String>::new(), "identities kept in clear");
}

/// The data key of the test apps.
fn test_sealer() -> Sealer {
    Sealer::new(&parse_key(TEST_DATA_KEY).unwrap())
}

/// Every stored identity value, by field and row, as the database holds it.
async fn sealed_values(app: &TestApp) -> Vec<(&'static str, i64, String)> {
    let db = &app.state.db.writer;
    let mut out = Vec::new();
    let mut put = |field: &'static str, id: i64, v: Option<&String>| {
        if let Some(v) = v {
            out.push((field, id, v.clone()));
        }
    };
    for p in petition_party::Entity::find().order_by_asc(petition_party::Column::Id).all(db).await.unwrap() {
        put(field::PARTY_FULL_NAME, p.id, Some(&p.full_name));
        put(field::PARTY_ID_NUMBER, p.id, p.id_number.as_ref());
        put(field::PARTY_ADDRESS, p.id, p.address.as_ref());
        put(field::PARTY_PHONE, p.id, p.phone.as_ref());
        put(field::PARTY_EMAIL, p.id, p.email.as_ref());
    }
    for v in reception_visit::Entity::find().order_by_asc(reception_visit::Column::Id).all(db).await.unwrap()
    {
        put(field::VISITOR_NAME, v.id, Some(&v.visitor_name));
        put(field::VISITOR_ADDRESS, v.id, v.visitor_address.as_ref());
        put(field::VISITOR_ID_NUMBER, v.id, v.visitor_id_number.as_ref());
        put(field::VISIT_REPRESENTATIVES, v.id, Some(&v.representatives));
    }
    for r in
        reception_refusal::Entity::find().order_by_asc(reception_refusal::Column::Id).all(db).await.unwrap()
    {
        put(field::REFUSED_NAME, r.id, Some(&r.visitor_name));
        put(field::REFUSED_ADDRESS, r.id, r.visitor_address.as_ref());
        put(field::REFUSED_ID_NUMBER, r.id, r.visitor_id_number.as_ref());
    }
    for u in user::Entity::find().order_by_asc(user::Column::Id).all(db).await.unwrap() {
        if u.role == Role::Citizen {
            put(field::ACCOUNT_FULL_NAME, u.id, Some(&u.full_name));
        }
        put(field::ACCOUNT_PHONE, u.id, u.phone.as_ref());
        put(field::ACCOUNT_EMAIL, u.id, u.email.as_ref());
    }
    out
}

/// Asserts that every stored identity value opens under `sealer`, and that `others` open none.
async fn all_sealed_under(app: &TestApp, sealer: &Sealer, others: &[&Sealer]) {
    let values = sealed_values(app).await;
    assert!(values.len() > 40, "the planted identities: {}", values.len());
    for (field, id, stored) in values {
        assert!(Sealer::is_sealed(&stored), "{field} of {id} is sealed: {stored}");
        assert!(sealer.open(field, &stored).is_ok(), "{field} of {id} opens under the register's key");
        for other in others {
            assert!(other.open(field, &stored).is_err(), "{field} of {id} does not open under another key");
        }
    }
}

#[tokio::test]
async fn rotate_key_reseals_everything_under_the_new_key_and_the_register_reads_the_same() {
    let app = TestApp::new().await;
    let planting = plant(&app).await;
    let before = identities(&app, &planting).await;
    let (old, new) = (test_sealer(), Sealer::new(&parse_key(NEW_DATA_KEY).unwrap()));
    all_sealed_under(&app, &old, &[&new]).await;

    // Refused, changing nothing: no new key, a key that is not one, the current key.
    for (given, says) in [
        (None, "TIEPDAN_NEW_DATA_KEY is not set"),
        (Some("short"), "refused"),
        (Some(TEST_DATA_KEY), "current"),
    ] {
        let mut config = app.config.clone();
        config.new_data_key = given.map(str::to_owned);
        let prepared = startup::prepare(&config, Arc::new(app.clock.clone())).await.unwrap();
        let Err(message) = startup::rotate_key(&config, &prepared).await else { panic!("{given:?} refused") };
        assert!(message.contains(says), "{message}");
    }
    all_sealed_under(&app, &old, &[&new]).await;

    let mut config = app.config.clone();
    config.new_data_key = Some(NEW_DATA_KEY.to_owned());
    let prepared = startup::prepare(&config, Arc::new(app.clock.clone())).await.unwrap();
    let rotated = startup::rotate_key(&config, &prepared).await.unwrap();
    assert!(rotated.key_file.is_none(), "a configured key is configured again, not written");
    assert_eq!(rotated.resealed.parties, 6);
    assert_eq!((rotated.resealed.visits, rotated.resealed.refusals, rotated.resealed.accounts), (2, 1, 1));
    assert!(rotated.resealed.cases_indexed >= 4);
    all_sealed_under(&app, &new, &[&old]).await;

    // The old key no longer starts the register; the new one does, and it reads the same.
    let Err(message) = startup::prepare(&app.config, Arc::new(app.clock.clone())).await else {
        panic!("the old key must be refused")
    };
    assert!(message.contains("TIEPDAN_DATA_KEY"), "{message}");
    let mut restarted = app.config.clone();
    restarted.data_key = Some(NEW_DATA_KEY.to_owned());
    let again = TestApp::with_config(restarted, tempfile::tempdir().unwrap()).await;
    assert_eq!(identities(&again, &planting).await, before);
    // And it keeps working: a new petition is sealed under the new key and found by name.
    again
        .post(
            "/api/v1/petitions",
            Some(&planting.desk),
            json!({"kind": "feedback", "channel": "post", "received_on": "2026-11-25",
                   "subject": "Phản ánh rác thải", "content": "Rác thải tập kết sai nơi.",
                   "petitioner": {"full_name": "Ngụy Thị Khuyến", "phone": "0961000111"}}),
        )
        .await
        .expect(201);
    let found =
        again.get("/api/v1/petitions?q=nguy%20thi%20khuyen", Some(&planting.chairman)).await.expect(200);
    assert_eq!(found.body["total"], 1);
    all_sealed_under(&again, &new, &[&old]).await;
    if !on_postgres() {
        assert_eq!(found_in(&stored_bytes(&again).await), Vec::<String>::new());
    }
}

#[tokio::test]
async fn rotate_key_with_the_key_in_data_key_writes_the_new_key_there_and_keeps_the_old() {
    if on_postgres() {
        return; // PostgreSQL's key is always configured
    }
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(dir.path()).await;
    let mut config = test_config(dir.path(), url);
    config.data_key = None;
    let app = TestApp::with_config(config.clone(), tempfile::tempdir().unwrap()).await;
    let planting = plant(&app).await;
    let before = identities(&app, &planting).await;
    let key_path = dir.path().join("data.key");
    let old_text = std::fs::read_to_string(&key_path).unwrap();

    config.new_data_key = Some(NEW_DATA_KEY.to_owned());
    let prepared = startup::prepare(&config, Arc::new(app.clock.clone())).await.unwrap();
    let rotated = startup::rotate_key(&config, &prepared).await.unwrap();
    assert_eq!(rotated.key_file.as_deref(), Some(key_path.as_path()));
    assert_eq!(std::fs::read_to_string(&key_path).unwrap(), NEW_DATA_KEY);
    let previous = dir.path().join("data.key.previous");
    assert_eq!(std::fs::read_to_string(&previous).unwrap(), old_text);
    #[cfg(unix)]
    for path in [&key_path, &previous] {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{} readable by the owner only", path.display());
    }
    config.new_data_key = None;
    let again = TestApp::with_config(config, tempfile::tempdir().unwrap()).await;
    assert_eq!(identities(&again, &planting).await, before);
}

/// Writes every identity back in clear with raw SQL, as a register kept before sealing had it:
/// the identity columns, no blind index, names in clear in the search index; and removes the
/// marker of the sealing.
async fn unseal_with_raw_sql(app: &TestApp) {
    let db = &app.state.db.writer;
    let backend = db.get_database_backend();
    let key = test_sealer();
    let open = |field: &str, v: &Option<String>| v.as_ref().map(|v| key.open(field, v).unwrap());
    let run = |text: &'static str, values: Vec<sea_orm::Value>| {
        db.execute_raw(sql::statement(backend, text, values))
    };
    for p in petition_party::Entity::find().all(db).await.unwrap() {
        run(
            "UPDATE petition_party SET full_name = {1}, id_number = {2}, address = {3}, phone = {4}, \
             email = {5}, id_number_blind = NULL WHERE id = {6}",
            vec![
                key.open(field::PARTY_FULL_NAME, &p.full_name).unwrap().into(),
                open(field::PARTY_ID_NUMBER, &p.id_number).into(),
                open(field::PARTY_ADDRESS, &p.address).into(),
                open(field::PARTY_PHONE, &p.phone).into(),
                open(field::PARTY_EMAIL, &p.email).into(),
                p.id.into(),
            ],
        )
        .await
        .unwrap();
    }
    for v in reception_visit::Entity::find().all(db).await.unwrap() {
        run(
            "UPDATE reception_visit SET visitor_name = {1}, visitor_address = {2}, visitor_id_number = {3}, \
             representatives = {4} WHERE id = {5}",
            vec![
                key.open(field::VISITOR_NAME, &v.visitor_name).unwrap().into(),
                open(field::VISITOR_ADDRESS, &v.visitor_address).into(),
                open(field::VISITOR_ID_NUMBER, &v.visitor_id_number).into(),
                key.open(field::VISIT_REPRESENTATIVES, &v.representatives).unwrap().into(),
                v.id.into(),
            ],
        )
        .await
        .unwrap();
    }
    for r in reception_refusal::Entity::find().all(db).await.unwrap() {
        run(
            "UPDATE reception_refusal SET visitor_name = {1}, visitor_address = {2}, visitor_id_number = {3} \
             WHERE id = {4}",
            vec![
                key.open(field::REFUSED_NAME, &r.visitor_name).unwrap().into(),
                open(field::REFUSED_ADDRESS, &r.visitor_address).into(),
                open(field::REFUSED_ID_NUMBER, &r.visitor_id_number).into(),
                r.id.into(),
            ],
        )
        .await
        .unwrap();
    }
    for u in user::Entity::find().all(db).await.unwrap() {
        let name = if u.role == Role::Citizen {
            key.open(field::ACCOUNT_FULL_NAME, &u.full_name).unwrap()
        } else {
            u.full_name.clone()
        };
        run(
            "UPDATE \"user\" SET full_name = {1}, phone = {2}, email = {3} WHERE id = {4}",
            vec![
                name.into(),
                open(field::ACCOUNT_PHONE, &u.phone).into(),
                open(field::ACCOUNT_EMAIL, &u.email).into(),
                u.id.into(),
            ],
        )
        .await
        .unwrap();
    }
    // The index of a register kept in clear held the names' words as they are.
    let names: Vec<(i64, String)> = petition_party::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|p| (p.petition_id, fold(&p.full_name)))
        .collect();
    let clear = match backend {
        DbBackend::Postgres => "DELETE FROM petition_search",
        _ => "INSERT INTO petition_fts (petition_fts) VALUES ('delete-all')",
    };
    db.execute_unprepared(clear).await.unwrap();
    let mut by_case: std::collections::BTreeMap<i64, Vec<String>> = Default::default();
    for (case, name) in names {
        by_case.entry(case).or_default().push(name);
    }
    for (case, names) in by_case {
        let insert = match backend {
            DbBackend::Postgres => {
                "INSERT INTO petition_search (petition_id, search_tsv, agency_id) \
                 SELECT {1}, to_tsvector('simple', {2}), agency_id FROM petition WHERE id = {1}"
            }
            _ => {
                "INSERT INTO petition_fts (rowid, words, names, agency) \
                 SELECT {1}, {2}, '', 'a' || agency_id FROM petition WHERE id = {1}"
            }
        };
        run(insert, vec![case.into(), names.join(" ").into()]).await.unwrap();
    }
    run("DELETE FROM setting WHERE key = {1}", vec![MARKER.into()]).await.unwrap();
}

#[tokio::test]
async fn a_register_kept_in_clear_is_sealed_once_at_start_and_reads_the_same() {
    let app = TestApp::new().await;
    let planting = plant(&app).await;
    let before = identities(&app, &planting).await;
    unseal_with_raw_sql(&app).await;
    let clear = sealed_values(&app).await;
    assert!(clear.iter().all(|(_, _, v)| !Sealer::is_sealed(v)), "the register is in clear now");
    assert!(!found_in(&stored_bytes(&app).await).is_empty(), "and its identities show in the database");

    let start = startup::prepare(&app.config, Arc::new(app.clock.clone())).await.unwrap();
    let sealed = start.sealed.expect("the start seals the register");
    assert_eq!(sealed.values, clear.len() as u64, "every clear value, once");
    assert_eq!((sealed.parties, sealed.visits, sealed.refusals, sealed.accounts), (6, 2, 1, 1));
    all_sealed_under(&app, &test_sealer(), &[]).await;
    assert_eq!(identities(&app, &planting).await, before, "the register reads the same");
    assert_eq!(found_in(&stored_bytes(&app).await), Vec::<String>::new(), "nothing in clear is left behind");

    // Starting again changes nothing.
    let stored = sealed_values(&app).await;
    let again = startup::prepare(&app.config, Arc::new(app.clock.clone())).await.unwrap();
    assert!(again.sealed.is_none(), "sealed once");
    assert_eq!(sealed_values(&app).await, stored);
    assert_eq!(identities(&app, &planting).await, before);
}

#[cfg(unix)]
#[tokio::test]
async fn the_sqlite_files_and_their_folder_are_readable_by_the_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    if on_postgres() {
        return;
    }
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    // A new data folder and database.
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("data");
    let url = format!("sqlite://{}?mode=rwc", folder.join("tiepdan.db").display());
    let app = TestApp::with_config(test_config(&folder, url.clone()), tempfile::tempdir().unwrap()).await;
    plant(&app).await;
    assert_eq!(mode(&folder), 0o700, "the data folder");
    for file in ["tiepdan.db", "tiepdan.db-wal", "tiepdan.db-shm"] {
        assert_eq!(mode(&folder.join(file)), 0o600, "{file}");
    }
    // Files left readable by others are made the owner's only at the next start.
    for (path, m) in
        [(folder.clone(), 0o755), (folder.join("tiepdan.db"), 0o644), (folder.join("tiepdan.db-wal"), 0o644)]
    {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(m)).unwrap();
    }
    startup::prepare(&test_config(&folder, url), Arc::new(app.clock.clone())).await.unwrap();
    assert_eq!(mode(&folder), 0o700);
    assert_eq!(mode(&folder.join("tiepdan.db")), 0o600);
    assert_eq!(mode(&folder.join("tiepdan.db-wal")), 0o600);
}
