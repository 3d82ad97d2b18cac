//! The statutory reports, the dashboard and the public results (issue 16; domain.md §10, §12),
//! checked figure by figure against a register built by hand across two monthly periods under
//! the statutory cut-off: November 2026 (15 Oct – 14 Nov) and December 2026 (15 Nov – 14 Dec).
//!
//! The register (every step dated by moving the clock; notices sent the same day unless said):
//!
//! | case | kind | received | then |
//! |---|---|---|---|
//! | C1 | complaint, land | Tue 20 Oct | accepted 20 Oct; resolved *right* Thu 5 Nov (5,000,000 đ, 12.5 m², 2 people); rated 5 on 6 Nov |
//! | D1 | denunciation, corruption | Thu 22 Oct | accepted 22 Oct; open at the cut-off; resolved *partly right* Mon 16 Nov; rated 3 on 30 Nov |
//! | F1 | feedback, other | Tue 27 Oct | archived 28 Oct |
//! | R1 | complaint (another body's act) | Tue 10 Nov | unprocessed at the cut-off; guided Mon 16 Nov |
//! | C2 | complaint | Thu 12 Nov | refused 13 Nov |
//! | C3 | complaint, policy | Tue 17 Nov | accepted 17 Nov; withdrawn 24 Nov |
//! | C4 | complaint | Wed 18 Nov | accepted 18 Nov; open at the end (resolution due Fri 18 Dec) |
//! | C5 | complaint | Thu 19 Nov | accepted 19 Nov; resolved *wrong* Tue 1 Dec, its decision sent late (Mon 7 Dec, due Fri 4 Dec); apology 8 Dec; rated 4 on 10 Dec |
//! | A1 | anonymous denunciation | Fri 20 Nov | kept as a lead 20 Nov |
//! | F2 | feedback | Mon 23 Nov | forwarded to another body 23 Nov |
//!
//! Reception: Wed 21 Oct a desk session (a new visit, land; a crowd of 6, new); Tue 3 Nov a desk
//! session (a repeat visit about C1); Thu 26 Nov a desk session (a new visit, a denunciation,
//! corruption); Thu 3 Dec the chairman's periodic session (a repeat visit about C4).

use calamine::{DataType, Reader, Xlsx};
use serde_json::{Value, json};

use crate::{
    petitions::{Office, go_to, office_of, send_notices},
    support::TestApp,
};

/// An office whose staff exist from 1 Oct 2026 (the chairman's Thursday sessions count from then).
async fn office_from_october() -> Office {
    let app = TestApp::new().await;
    app.clock
        .set(chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap().and_hms_opt(2, 0, 0).unwrap().and_utc());
    office_of(app).await
}

fn petition(kind: &str, subject: &str, field: Option<&str>) -> Value {
    let mut body = json!({
        "kind": kind, "channel": "in_person", "subject": subject,
        "content": format!("{subject}: đề nghị xem xét, giải quyết."),
        "petitioner": {"full_name": "Nguyễn Văn An", "id_number": "001234567890", "address": "Tổ 3, khu 5, phường Mẫu"},
        "anonymous": false, "signatories": 1
    });
    if let Some(f) = field {
        body["field"] = json!(f);
    }
    body
}

/// Files a petition today; returns its id and tracking code.
async fn file(o: &Office, body: Value) -> (i64, String) {
    let v = o.app.post("/api/v1/petitions", Some(&o.desk), body).await.expect(201).body;
    (v["id"].as_i64().unwrap(), v["tracking_code"].as_str().unwrap().to_owned())
}

async fn act(o: &Office, token: &str, id: i64, body: Value) {
    let a = o.app.post(&format!("/api/v1/petitions/{id}/actions"), Some(token), body).await;
    assert_eq!(a.status, 200, "{}", a.body);
}

/// Assigns the case to the inspector, who accepts it today.
async fn accept(o: &Office, id: i64) {
    act(o, &o.chairman, id, json!({"action": "assign", "assignee_id": o.inspector_id, "unit_id": o.unit}))
        .await;
    act(o, &o.inspector, id, json!({"action": "accept"})).await;
}

async fn rate(o: &Office, code: &str, score: i64) {
    o.app
        .post(&format!("/api/v1/public/petitions/{code}/rating"), None, json!({"score": score}))
        .await
        .expect(201);
}

/// A desk session today with `visits`.
async fn desk_session(o: &Office, visits: &[Value]) {
    let today = {
        use tiepdan::clock::Clock;
        o.app.clock.today().to_string()
    };
    let s = o
        .app
        .post(
            "/api/v1/reception-sessions",
            Some(&o.desk),
            json!({"kind": "regular", "date": today, "host_id": o.desk_id, "location": "Phòng tiếp công dân"}),
        )
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    for v in visits {
        o.app
            .post(&format!("/api/v1/reception-sessions/{s}/visits"), Some(&o.desk), v.clone())
            .await
            .expect(201);
    }
}

fn visit(kind: &str, field: Option<&str>, people: i64, about: Option<i64>) -> Value {
    let mut v = json!({
        "visitor": {"full_name": "Trần Văn Bình", "address": "Tổ 1, phường Mẫu", "id_number": "001234567891"},
        "people_count": people,
        "representatives": if people >= 5 { json!(["Trần Văn Bình"]) } else { json!([]) },
        "summary": "Đề nghị xem xét việc bồi thường khi thu hồi đất.",
        "kind": kind, "within_competence": true, "open_petition": false
    });
    if let Some(f) = field {
        v["field"] = json!(f);
    }
    if let Some(id) = about {
        v["petition_id"] = json!(id);
    }
    v
}

/// Builds the register of the module's table.
async fn register(o: &Office) {
    go_to(o, "2026-10-20");
    let c1 =
        file(o, petition("complaint", "Khiếu nại quyết định thu hồi đất thửa 125", Some("land_housing")))
            .await;
    accept(o, c1.0).await;
    send_notices(o, &o.inspector, c1.0).await;
    go_to(o, "2026-10-21");
    desk_session(
        o,
        &[
            visit("complaint", Some("land_housing"), 1, None),
            visit("complaint", Some("land_housing"), 6, None),
        ],
    )
    .await;
    go_to(o, "2026-10-22");
    let d1 = file(o, petition("denunciation", "Tố cáo cán bộ địa chính nhận tiền", Some("corruption"))).await;
    accept(o, d1.0).await;
    send_notices(o, &o.inspector, d1.0).await;
    go_to(o, "2026-10-27");
    let f1 = file(o, petition("feedback", "Phản ánh đèn đường hỏng", Some("other"))).await;
    go_to(o, "2026-10-28");
    act(o, &o.chairman, f1.0, json!({"action": "archive", "reason": "Nội dung đã được giải quyết trước đó"}))
        .await;
    send_notices(o, &o.chairman, f1.0).await;
    go_to(o, "2026-11-03");
    desk_session(o, &[visit("complaint", Some("land_housing"), 1, Some(c1.0))]).await;
    go_to(o, "2026-11-05");
    act(
        o,
        &o.inspector,
        c1.0,
        json!({"action": "resolve", "result": "Khiếu nại đúng; hủy quyết định thu hồi.", "conclusion": "right",
               "recovered_money": 5_000_000, "recovered_land_m2": 12.5, "people_restored": 2}),
    )
    .await;
    send_notices(o, &o.inspector, c1.0).await;
    go_to(o, "2026-11-06");
    rate(o, &c1.1, 5).await;
    go_to(o, "2026-11-10");
    let r1 = file(o, petition("complaint", "Khiếu nại quyết định của Sở Giao thông vận tải", None)).await;
    go_to(o, "2026-11-12");
    let c2 = file(o, petition("complaint", "Khiếu nại việc cấp phép xây dựng", None)).await;
    go_to(o, "2026-11-13");
    act(o, &o.chairman, c2.0, json!({"action": "reject", "reason": "Quá thời hiệu khiếu nại"})).await;
    send_notices(o, &o.chairman, c2.0).await;

    // The December period.
    go_to(o, "2026-11-16");
    act(o, &o.chairman, r1.0, json!({"action": "guide", "to_body": "Sở Giao thông vận tải"})).await;
    send_notices(o, &o.chairman, r1.0).await;
    act(
        o,
        &o.inspector,
        d1.0,
        json!({"action": "resolve", "result": "Tố cáo đúng một phần.", "conclusion": "partly_right"}),
    )
    .await;
    send_notices(o, &o.inspector, d1.0).await;
    go_to(o, "2026-11-17");
    let c3 = file(o, petition("complaint", "Khiếu nại việc cắt trợ cấp", Some("policy"))).await;
    accept(o, c3.0).await;
    send_notices(o, &o.inspector, c3.0).await;
    go_to(o, "2026-11-18");
    let c4 = file(o, petition("complaint", "Khiếu nại việc bồi thường cây trồng", None)).await;
    accept(o, c4.0).await;
    send_notices(o, &o.inspector, c4.0).await;
    go_to(o, "2026-11-19");
    let c5 = file(o, petition("complaint", "Khiếu nại việc xử phạt hành chính", None)).await;
    accept(o, c5.0).await;
    send_notices(o, &o.inspector, c5.0).await;
    go_to(o, "2026-11-20");
    let mut anonymous = petition("denunciation", "Tố cáo nặc danh về sai phạm đất đai", None);
    anonymous["anonymous"] = json!(true);
    anonymous.as_object_mut().unwrap().remove("petitioner");
    anonymous["channel"] = json!("post");
    let a1 = file(o, anonymous).await;
    act(
        o,
        &o.chairman,
        a1.0,
        json!({"action": "record_lead", "reason": "Tố cáo nặc danh có nội dung cụ thể"}),
    )
    .await;
    send_notices(o, &o.chairman, a1.0).await;
    go_to(o, "2026-11-23");
    let f2 = file(o, petition("feedback", "Phản ánh ô nhiễm tiếng ồn", None)).await;
    act(o, &o.chairman, f2.0, json!({"action": "forward", "to_body": "Công an phường"})).await;
    send_notices(o, &o.chairman, f2.0).await;
    go_to(o, "2026-11-24");
    act(o, &o.inspector, c3.0, json!({"action": "withdraw", "note": "Người khiếu nại rút đơn"})).await;
    send_notices(o, &o.inspector, c3.0).await;
    go_to(o, "2026-11-26");
    desk_session(o, &[visit("denunciation", Some("corruption"), 1, None)]).await;
    go_to(o, "2026-11-30");
    rate(o, &d1.1, 3).await;
    go_to(o, "2026-12-01");
    act(
        o,
        &o.inspector,
        c5.0,
        json!({"action": "resolve", "result": "Giữ nguyên quyết định xử phạt.", "conclusion": "wrong"}),
    )
    .await;
    go_to(o, "2026-12-03");
    // The chairman's Thursday session: a repeat visit about C4 holds it.
    o.app.get("/api/v1/reviews/weekly?week=2026-W49", Some(&o.chairman)).await.expect(200);
    let list = o
        .app
        .get("/api/v1/reception-sessions?from=2026-12-03&to=2026-12-03", Some(&o.desk))
        .await
        .expect(200)
        .body;
    let periodic = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] == "periodic")
        .expect("Thursday's session")
        .clone();
    let url = format!("/api/v1/reception-sessions/{}/visits", periodic["id"]);
    o.app.post(&url, Some(&o.desk), visit("complaint", None, 1, Some(c4.0))).await.expect(201);
    // C5's decision, sent three days late (Law 02/2011 Art. 32: within 3 working days).
    go_to(o, "2026-12-07");
    send_notices(o, &o.inspector, c5.0).await;
    go_to(o, "2026-12-08");
    o.app
        .post(&format!("/api/v1/petitions/{}/notices", c5.0), Some(&o.inspector), json!({"kind": "apology"}))
        .await
        .expect(201);
    go_to(o, "2026-12-10");
    rate(o, &c5.1, 4).await;
}

/// The fields of a CSV line (quoted fields may hold commas and doubled quotes).
fn csv_cells(line: &str) -> Vec<String> {
    let (mut cells, mut cell, mut quoted, mut chars) =
        (Vec::new(), String::new(), false, line.chars().peekable());
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => cells.push(std::mem::take(&mut cell)),
            _ => cell.push(c),
        }
    }
    cells.push(cell);
    cells
}

/// The flat figures of a table (its breakdown lists left out).
fn flat(table: &Value) -> Value {
    let mut t = table.clone();
    for list in ["by_session_kind", "by_kind", "by_field"] {
        t.as_object_mut().unwrap().remove(list);
    }
    t
}

/// The item of `list` named `name` (its `kind`, or its `field`; `null` for the unclassified).
fn item<'a>(table: &'a Value, list: &str, name: Option<&str>) -> &'a Value {
    table[list]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i.get("kind").map_or(i["field"].as_str() == name, |k| k.as_str() == name))
        .unwrap_or_else(|| panic!("{list} has {name:?}"))
}

#[tokio::test]
async fn every_figure_of_two_periods_matches_the_hand_count() {
    let o = office_from_october().await;
    register(&o).await;
    go_to(&o, "2026-12-20");
    let get = |q: &'static str| {
        let app = &o.app;
        let token = o.chairman.clone();
        async move { app.get(&format!("/api/v1/reports/periodic?{q}"), Some(&token)).await.expect(200).body }
    };

    // November: 15 Oct – 14 Nov.
    let nov = get("period=2026-11").await;
    assert_eq!((nov["from"].as_str(), nov["to"].as_str()), (Some("2026-10-15"), Some("2026-11-14")));
    assert_eq!(
        flat(&nov["reception"]),
        json!({"sessions": 2, "visits": 3, "people": 8, "cases": 3, "new": 2, "repeat": 1, "delegations": 1,
               "delegation_people": 6, "delegations_new": 1, "delegations_repeat": 0})
    );
    let regular = item(&nov["reception"], "by_session_kind", Some("regular"));
    assert_eq!(
        (regular["sessions"].as_i64(), regular["visits"].as_i64(), regular["cases"].as_i64()),
        (Some(2), Some(3), Some(3))
    );
    assert_eq!(item(&nov["reception"], "by_kind", Some("complaint"))["visits"], 3);
    assert_eq!(item(&nov["reception"], "by_field", Some("land_housing"))["visits"], 3);
    assert_eq!(
        flat(&nov["handling"]),
        json!({"carried_over": 0, "received": 5, "total": 5, "processed": 4, "eligible": 3, "within_competence": 2,
               "guided": 0, "forwarded": 0, "urged": 0, "archived": 1, "rejected": 1, "leads": 0,
               "replies_received": 0, "pending_at_end": 1})
    );
    let complaints = item(&nov["handling"], "by_kind", Some("complaint"));
    assert_eq!(
        (complaints["received"].as_i64(), complaints["processed"].as_i64(), complaints["rejected"].as_i64()),
        (Some(3), Some(2), Some(1))
    );
    let by_field: Vec<(Option<&str>, i64)> = nov["handling"]["by_field"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["received"] != 0)
        .map(|f| (f["field"].as_str(), f["received"].as_i64().unwrap()))
        .collect();
    assert_eq!(by_field, [(Some("land_housing"), 1), (Some("corruption"), 1), (Some("other"), 1), (None, 2)]);
    assert_eq!(
        flat(&nov["resolution"]),
        json!({"due": 2, "carried_over": 0, "accepted": 2, "resolved": 1, "withdrawn": 0, "terminated": 0,
               "right": 1, "partly_right": 0, "wrong": 0, "round_1": 1, "round_2": 0, "on_time": 1, "late": 0,
               "open_at_end": 1, "recovered_money": 5_000_000, "recovered_land_m2": 12.5, "people_restored": 2})
    );

    // December: 15 Nov – 14 Dec; R1 and D1 carried over.
    let dec = get("period=2026-12").await;
    assert_eq!((dec["from"].as_str(), dec["to"].as_str()), (Some("2026-11-15"), Some("2026-12-14")));
    assert_eq!(
        flat(&dec["reception"]),
        json!({"sessions": 2, "visits": 2, "people": 2, "cases": 2, "new": 1, "repeat": 1, "delegations": 0,
               "delegation_people": 0, "delegations_new": 0, "delegations_repeat": 0})
    );
    let periodic = item(&dec["reception"], "by_session_kind", Some("periodic"));
    assert_eq!((periodic["sessions"].as_i64(), periodic["repeat"].as_i64()), (Some(1), Some(1)));
    assert_eq!(
        item(&dec["reception"], "by_field", None)["visits"],
        1,
        "the visit about C4 is not classified"
    );
    assert_eq!(
        flat(&dec["handling"]),
        json!({"carried_over": 1, "received": 5, "total": 6, "processed": 6, "eligible": 6, "within_competence": 3,
               "guided": 1, "forwarded": 1, "urged": 0, "archived": 0, "rejected": 0, "leads": 1,
               "replies_received": 0, "pending_at_end": 0})
    );
    assert_eq!(item(&dec["handling"], "by_kind", Some("complaint"))["carried_over"], 1);
    assert_eq!(
        flat(&dec["resolution"]),
        json!({"due": 4, "carried_over": 1, "accepted": 3, "resolved": 2, "withdrawn": 1, "terminated": 0,
               "right": 0, "partly_right": 1, "wrong": 1, "round_1": 2, "round_2": 0, "on_time": 1, "late": 1,
               "open_at_end": 1, "recovered_money": 0, "recovered_land_m2": 0.0, "people_restored": 0})
    );
    let denunciations = item(&dec["resolution"], "by_kind", Some("denunciation"));
    assert_eq!((denunciations["due"].as_i64(), denunciations["resolved"].as_i64()), (Some(1), Some(1)));

    // The quarter holds both months' flows; what was open at 15 Oct carries nothing.
    let q4 = get("period=2026-Q4").await;
    assert_eq!((q4["from"].as_str(), q4["to"].as_str()), (Some("2026-09-15"), Some("2026-12-14")));
    assert_eq!(q4["handling"]["received"], 10);
    assert_eq!(q4["handling"]["processed"], 10);
    assert_eq!(q4["resolution"]["resolved"], 3);
    assert_eq!(q4["reception"]["visits"], 5);
    assert_eq!(q4["agencies"].as_array().unwrap().len(), 1);

    // The dashboard over both periods, read on 20 Dec.
    let d = o
        .app
        .get("/api/v1/reports/dashboard?from=2026-10-15&to=2026-12-14", Some(&o.chairman))
        .await
        .expect(200)
        .body;
    // Closed: C1, F1, C2, R1, D1, A1, F2, C5; C5 late. Working days 12+1+1+4+17+0+0+8 = 43 / 8.
    let head = json!({
        "received": d["received"], "closed": d["closed"], "on_time": d["on_time"], "late": d["late"],
        "on_time_rate": d["on_time_rate"], "avg_working_days": d["avg_working_days"], "overdue_now": d["overdue_now"],
        "ratings": d["ratings"], "satisfied": d["satisfied"], "satisfaction_rate": d["satisfaction_rate"],
        "apology_letters": d["apology_letters"], "sessions_held": d["sessions_held"],
        "sessions_required": d["sessions_required"]});
    // C4's resolution was due Fri 18 Dec: overdue on the 20th. Thursdays 15 Oct – 10 Dec: 9.
    assert_eq!(
        head,
        json!({"received": 10, "closed": 8, "on_time": 7, "late": 1, "on_time_rate": 87.5, "avg_working_days": 5.4,
               "overdue_now": 1, "ratings": 3, "satisfied": 2, "satisfaction_rate": 66.7, "apology_letters": 1,
               "sessions_held": 1, "sessions_required": 9}),
        "{d}"
    );
    let months: Vec<(&str, i64, i64, i64)> = d["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["month"].as_str().unwrap(),
                m["received"].as_i64().unwrap(),
                m["closed"].as_i64().unwrap(),
                m["ratings"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(months, [("2026-10", 3, 1, 0), ("2026-11", 7, 6, 2), ("2026-12", 0, 1, 1)]);
    let inspector = d["by_handler"].as_array().unwrap().iter().find(|h| h["id"] == o.inspector_id).unwrap();
    // The inspector holds C1, D1, C3, C4, C5: closed C1, D1, C5 (C3 was withdrawn); C4 overdue.
    assert_eq!(
        (
            inspector["received"].as_i64(),
            inspector["closed"].as_i64(),
            inspector["overdue_now"].as_i64(),
            inspector["unit_name"].as_str()
        ),
        (Some(5), Some(3), Some(1), Some("Thanh tra phường"))
    );
    let unit = d["by_unit"].as_array().unwrap().iter().find(|u| u["id"] == o.unit).unwrap();
    assert_eq!((unit["received"].as_i64(), unit["satisfaction_rate"].as_f64()), (Some(5), Some(66.7)));
}

#[tokio::test]
async fn the_csv_the_workbook_and_the_page_say_what_the_json_says() {
    let o = office_from_october().await;
    register(&o).await;
    go_to(&o, "2026-12-20");
    let json = o.app.get("/api/v1/reports/periodic?period=2026-12", Some(&o.chairman)).await.expect(200).body;
    let csv = o.app.get("/api/v1/reports/periodic.csv?period=2026-12", Some(&o.chairman)).await.expect(200);
    assert!(csv.headers["content-type"].to_str().unwrap().starts_with("text/csv"));
    let text = String::from_utf8(csv.bytes).unwrap();
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    assert_eq!(lines.next(), Some("Biểu,Mã chỉ tiêu,Chỉ tiêu,Cơ quan,Giá trị"));
    let mut checked = 0;
    for line in lines {
        let cells = csv_cells(line);
        assert_eq!(cells.len(), 5, "{line}");
        let (code, value) = (cells[1].as_str(), cells[4].as_str());
        let table = match cells[0].as_str() {
            t if t.starts_with("Biểu 01") => "reception",
            t if t.starts_with("Biểu 02") => "handling",
            _ => "resolution",
        };
        let expected = match code.split('.').collect::<Vec<_>>().as_slice() {
            [figure] => json[table][figure].clone(),
            [list, name, figure] => {
                let name = if *name == "unclassified" { None } else { Some(*name) };
                item(&json[table], list, name)[figure].clone()
            }
            other => panic!("code {other:?}"),
        };
        let expected = match expected {
            Value::Number(n) if n.is_f64() => format!("{:.2}", n.as_f64().unwrap()),
            v => v.to_string(),
        };
        assert_eq!(value, expected, "{line}");
        checked += 1;
    }
    assert!(checked > 100, "{checked} figures");

    let xlsx = o.app.get("/api/v1/reports/periodic.xlsx?period=2026-12", Some(&o.chairman)).await.expect(200);
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(xlsx.bytes)).expect("a valid XLSX");
    let names = book.sheet_names();
    assert_eq!(names, ["01 Tiếp công dân", "02 Xử lý đơn", "03 Giải quyết", "Chi tiết"]);
    for (sheet, table) in [(0, "reception"), (1, "handling"), (2, "resolution")] {
        let range = book.worksheet_range_at(sheet).unwrap().unwrap();
        let rows: Vec<Vec<calamine::Data>> = range.rows().map(<[calamine::Data]>::to_vec).collect();
        let header = &rows[3];
        let figures = &rows[4];
        assert_eq!(figures[0].to_string(), "UBND phường Mẫu");
        let codes: Vec<&str> = json[table].as_object().unwrap().keys().map(String::as_str).collect();
        for (col, h) in header.iter().enumerate().skip(1) {
            let value = figures[col].get_float().unwrap();
            // Find the figure by its Vietnamese header through the CSV's code/label pairs.
            let code = text
                .lines()
                .find_map(|l| {
                    let c = csv_cells(l);
                    (c[2] == h.to_string() && !c[1].contains('.')).then(|| c[1].clone())
                })
                .unwrap_or_else(|| panic!("header {h}"));
            assert!(codes.contains(&code.as_str()));
            assert_eq!(value, json[table][&code].as_f64().unwrap(), "{table}.{code}");
        }
    }

    let page = o.app.get("/api/v1/reports/periodic.html?period=2026-12", Some(&o.chairman)).await.expect(200);
    let html = String::from_utf8(page.bytes).unwrap();
    // Laid out by the served stylesheet (the page's policy allows no inline style).
    assert!(
        html.contains("<link rel=\"stylesheet\" href=\"/report-print.css\">") && !html.contains("<style")
    );
    let css = o.app.get("/report-print.css", None).await.expect(200);
    assert!(String::from_utf8(css.bytes).unwrap().contains("size:A4 landscape"));
    assert!(html.contains("Số liệu từ ngày 15/11/2026 đến ngày 14/12/2026"));
    assert!(
        html.contains("<th scope=\"row\">Đơn kỳ trước chuyển sang</th><td class=\"total\">1</td>"),
        "{html}"
    );
    // No person in any form of it.
    for text in [&html, &text] {
        assert!(!text.contains("Nguyễn Văn An") && !text.contains("Trần Văn Bình"));
    }
}

#[tokio::test]
async fn the_public_results_count_a_month_without_anyone_in_them() {
    let o = office_from_october().await;
    register(&o).await;
    go_to(&o, "2026-12-20");
    let nov = o.app.get("/api/v1/public/results?month=2026-11", None).await.expect(200).body;
    // Received in November: R1, C2, C3, C4, C5, A1, F2; resolved C1, D1 (on time); ratings C1, D1.
    assert_eq!(
        json!({"received": nov["received"], "resolved": nov["resolved"], "on_time": nov["on_time"],
               "on_time_rate": nov["on_time_rate"], "ratings": nov["ratings"], "satisfied": nov["satisfied"],
               "satisfaction_rate": nov["satisfaction_rate"], "sessions_held": nov["sessions_held"]}),
        json!({"received": 7, "resolved": 2, "on_time": 2, "on_time_rate": 100.0, "ratings": 2, "satisfied": 1,
               "satisfaction_rate": 50.0, "sessions_held": 2})
    );
    // The default is the last full month.
    let last = o.app.get("/api/v1/public/results", None).await.expect(200).body;
    assert_eq!(last["month"], "2026-11");
    let series = o
        .app
        .get("/api/v1/public/results/series?from_month=2026-10&to_month=2026-12", None)
        .await
        .expect(200)
        .body;
    let resolved: Vec<i64> =
        series.as_array().unwrap().iter().map(|m| m["resolved"].as_i64().unwrap()).collect();
    assert_eq!(resolved, [0, 2, 1]);
    let csv =
        o.app.get("/api/v1/public/results.csv?from_month=2026-10&to_month=2026-12", None).await.expect(200);
    let text = String::from_utf8(csv.bytes).unwrap();
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows[2], "2026-11,7,2,2,100.0,2,1,50.0,2");
    let atom = o.app.get("/api/v1/public/results.atom", None).await.expect(200);
    assert!(atom.headers["content-type"].to_str().unwrap().starts_with("application/atom+xml"));
    let feed = String::from_utf8(atom.bytes).unwrap();
    assert!(feed.contains("<title>Kết quả giải quyết đơn thư tháng 11/2026</title>"));
    assert!(feed.contains("2 đúng hạn (tỷ lệ 100,0%)"), "{feed}");
    assert_eq!(feed.matches("<entry>").count(), 12);
    // Counts only: no name, no subject, no tracking code.
    for text in [nov.to_string(), series.to_string(), text, feed] {
        for secret in ["Nguyễn Văn An", "Tố cáo cán bộ địa chính", "nặc danh", "TD-"] {
            assert!(!text.contains(secret), "{secret}");
        }
    }
    o.app.get("/api/v1/public/results?month=2027-01", None).await.expect_error(400, "invalid_query");
    o.app.get("/api/v1/public/results?month=11-2026", None).await.expect_error(400, "invalid_query");
}

#[tokio::test]
async fn a_province_sums_and_lists_its_communes_and_a_commune_sees_only_itself() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let province = app.agency(&admin, "UBND tỉnh Mẫu Sơn", "province", None).await;
    let commune = app.agency(&admin, "UBND xã Đồng Mỏ", "commune", Some(province)).await;
    let (_, province_chairman) = app.agency_staff(&admin, "chutich.tinh", "chairman", province).await;
    let (_, province_desk) = app.agency_staff(&admin, "tiepdan.tinh", "receptionist", province).await;
    let (_, commune_chairman) = app.agency_staff(&admin, "chutich.xa", "chairman", commune).await;
    let (_, commune_desk) = app.agency_staff(&admin, "tiepdan.xa", "receptionist", commune).await;
    let (_, inspector) = app.agency_staff(&admin, "thanhtra.xa", "inspector", commune).await;
    for (desk, n) in [(&province_desk, 1), (&commune_desk, 2)] {
        for i in 0..n {
            let body = petition("recommendation", &format!("Kiến nghị số {i}"), Some("policy"));
            app.post("/api/v1/petitions", Some(desk), body).await.expect(201);
        }
    }
    let q = "/api/v1/reports/periodic?from=2026-11-01&to=2026-11-30";
    let r = app.get(q, Some(&province_chairman)).await.expect(200).body;
    let lines: Vec<(&str, i64)> = r["agencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["agency"]["name"].as_str().unwrap(), a["handling"]["received"].as_i64().unwrap()))
        .collect();
    assert_eq!(lines, [("UBND tỉnh Mẫu Sơn", 1), ("UBND xã Đồng Mỏ", 2)]);
    assert_eq!(r["handling"]["received"], 3);
    assert_eq!(item(&r["handling"], "by_field", Some("policy"))["received"], 3);
    let own = app.get(&format!("{q}&subordinates=false"), Some(&province_chairman)).await.expect(200).body;
    assert_eq!(own["handling"]["received"], 1);
    let below = app.get(&format!("{q}&agency_id={commune}"), Some(&province_chairman)).await.expect(200).body;
    assert_eq!(below["agency"]["name"], "UBND xã Đồng Mỏ");
    // A commune's chairman sees his commune, not the province; an inspector sees no report.
    app.get(&format!("{q}&agency_id={province}"), Some(&commune_chairman))
        .await
        .expect_error(404, "not_found");
    assert_eq!(app.get(q, Some(&commune_chairman)).await.expect(200).body["handling"]["received"], 2);
    app.get(q, Some(&inspector)).await.expect_error(403, "forbidden");
    app.get("/api/v1/reports/dashboard", Some(&inspector)).await.expect_error(403, "forbidden");
    let d = app.get("/api/v1/reports/dashboard", Some(&province_chairman)).await.expect(200).body;
    assert_eq!(d["by_agency"].as_array().unwrap().len(), 2);
    assert_eq!(d["received"], 3);
    // Bad periods say why.
    for bad in [
        "period=2026-Q5",
        "period=2026&from=2026-01-01",
        "from=2026-02-01&to=2026-01-01",
        "from=2020-01-01&to=2026-01-01",
    ] {
        app.get(&format!("/api/v1/reports/periodic?{bad}"), Some(&province_chairman))
            .await
            .expect_error(400, "invalid_query");
    }
}
