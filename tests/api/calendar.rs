//! The working-day calendar: the public calculator and year list, the administrator's special days,
//! and the recomputation of open cases' due dates when a special day changes (domain.md §9).

use axum::http::Method;
use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use tiepdan::{
    domain::deadline::{ClockId, Complexity, RuleSetId},
    entity::{agency, deadline, petition, petition_content, petition_event},
    service::{audit, deadlines},
};

use crate::support::TestApp;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
}

fn dates(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|s| s["date"].as_str().unwrap().to_owned()).collect()
}

async fn due(app: &TestApp, query: &str) -> Value {
    app.get(&format!("/api/v1/calendar/due-date?{query}"), None).await.expect(200).body
}

#[tokio::test]
async fn due_date_skips_the_weekend_and_says_why() {
    let app = TestApp::new().await;
    // Friday 27 Nov 2026 + 1 working day: Saturday and Sunday are passed over.
    let a = due(&app, "start=2026-11-27&days=1&unit=working").await;
    assert_eq!(a["start"], "2026-11-27");
    assert_eq!(a["days"], 1);
    assert_eq!(a["unit"], "working");
    assert_eq!(a["due"], "2026-11-30");
    assert_eq!(a["due_weekday"], "Thứ Hai");
    assert_eq!(
        a["skipped"],
        json!([{"date": "2026-11-28", "reason": "Thứ Bảy"}, {"date": "2026-11-29", "reason": "Chủ nhật"}])
    );
    assert!(a["explanation"].as_str().unwrap().contains("30/11/2026"), "{a}");
    // The unit defaults to working days.
    assert_eq!(due(&app, "start=2026-11-27&days=1").await["due"], "2026-11-30");
}

#[tokio::test]
async fn due_date_across_tet_2026() {
    let app = TestApp::new().await;
    // Tue 10 Feb 2026 + 10 working days: 11–13 Feb, the Tết break Sat 14 – Sun 22 Feb, 23–27 Feb,
    // the weekend, 2 and 3 Mar.
    let a = due(&app, "start=2026-02-10&days=10&unit=working").await;
    assert_eq!(a["due"], "2026-03-03");
    let skipped = dates(&a["skipped"]);
    assert_eq!(skipped.len(), 11);
    assert_eq!(skipped[0], "2026-02-14");
    assert_eq!(skipped[8], "2026-02-22");
    assert_eq!(a["skipped"][2], json!({"date": "2026-02-16", "reason": "Tết Nguyên đán"}));
    assert_eq!(a["skipped"][6], json!({"date": "2026-02-20", "reason": "Tết Nguyên đán"}));
}

#[tokio::test]
async fn due_date_counts_the_swapped_saturday_of_january_2026() {
    let app = TestApp::new().await;
    // Friday 9 Jan + 1 = Saturday 10 Jan, a working day in exchange for Friday 2 Jan.
    let a = due(&app, "start=2026-01-09&days=1&unit=working").await;
    assert_eq!(a["due"], "2026-01-10");
    assert_eq!(a["due_weekday"], "Thứ Bảy");
    assert_eq!(a["skipped"], json!([]));
    // Mon 29 Dec 2025 + 5: 30, 31 Dec; New Year's Day, the swapped-off Friday and the weekend; 5–7 Jan.
    let a = due(&app, "start=2025-12-29&days=5&unit=working").await;
    assert_eq!(a["due"], "2026-01-07");
    assert_eq!(dates(&a["skipped"]), ["2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04"]);
    assert_eq!(a["skipped"][0]["reason"], "Tết Dương lịch");
    // And 8 working days land on that Saturday.
    assert_eq!(due(&app, "start=2025-12-29&days=8").await["due"], "2026-01-10");
}

#[tokio::test]
async fn calendar_days_roll_forward_to_the_next_working_day() {
    let app = TestApp::new().await;
    // 20 Jan 2026 + 30 days = Thu 19 Feb, inside Tết: rolled over 19–22 Feb to Monday 23 Feb.
    let a = due(&app, "start=2026-01-20&days=30&unit=calendar").await;
    assert_eq!(a["due"], "2026-02-23");
    assert_eq!(dates(&a["skipped"]), ["2026-02-19", "2026-02-20", "2026-02-21", "2026-02-22"]);
    // Landing on a working day: no roll.
    let a = due(&app, "start=2026-03-02&days=30&unit=calendar").await;
    assert_eq!(a["due"], "2026-04-01");
    assert_eq!(a["skipped"], json!([]));
    // Landing on Saturday 28 Nov 2026: Monday 30 Nov.
    assert_eq!(due(&app, "start=2026-10-29&days=30&unit=calendar").await["due"], "2026-11-30");
}

#[tokio::test]
async fn zero_days_is_the_first_working_day_on_or_after_the_start() {
    let app = TestApp::new().await;
    assert_eq!(due(&app, "start=2026-11-25&days=0&unit=working").await["due"], "2026-11-25");
    assert_eq!(due(&app, "start=2026-11-25&days=0&unit=calendar").await["due"], "2026-11-25");
    let a = due(&app, "start=2026-02-14&days=0&unit=working").await;
    assert_eq!(a["due"], "2026-02-23");
    assert_eq!(a["skipped"].as_array().unwrap().len(), 9);
}

#[tokio::test]
async fn due_date_refuses_bad_input_with_invalid_query() {
    let app = TestApp::new().await;
    for query in [
        "",
        "days=3",
        "start=2026-11-25",
        "start=2026-02-30&days=3",
        "start=25/11/2026&days=3",
        "start=2026-11-25&days=-1",
        "start=2026-11-25&days=abc",
        "start=2026-11-25&days=3651",
        "start=2026-11-25&days=99999999999",
        "start=2026-11-25&days=3&unit=hours",
        "start=1800-01-01&days=3",
        "start=2300-01-01&days=3",
    ] {
        let a = app.get(&format!("/api/v1/calendar/due-date?{query}"), None).await;
        assert_eq!(a.status.as_u16(), 400, "{query}: {}", a.body);
        assert_eq!(a.code(), "invalid_query", "{query}: {}", a.body);
        assert!(a.body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    // The largest period allowed still answers.
    due(&app, "start=2100-12-31&days=3650&unit=working").await;
}

#[tokio::test]
async fn special_days_of_2026_as_published() {
    let app = TestApp::new().await;
    let a = app.get("/api/v1/calendar/days?year=2026", None).await.expect(200);
    let days = a.body.as_array().unwrap();
    let find = |date: &str| days.iter().find(|x| x["date"] == date).cloned().unwrap_or(Value::Null);
    assert_eq!(find("2026-01-01")["kind"], "holiday");
    assert_eq!(find("2026-01-02")["kind"], "day_off");
    assert_eq!(find("2026-01-10")["kind"], "working_day");
    assert_eq!(find("2026-01-10")["source"], "published");
    for tet in ["2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20"] {
        assert_eq!(find(tet)["kind"], "holiday", "{tet}");
        assert_eq!(find(tet)["name"], "Tết Nguyên đán", "{tet}");
    }
    assert_eq!(find("2026-04-26")["name"], "Giỗ Tổ Hùng Vương");
    assert_eq!(find("2026-04-27")["kind"], "day_off");
    assert_eq!(find("2026-04-30")["kind"], "holiday");
    assert_eq!(find("2026-05-01")["kind"], "holiday");
    // National Day 2026 is not published: computed, Tue 1 and Wed 2 Sep.
    assert_eq!(find("2026-09-02")["source"], "computed");
    assert_eq!(find("2026-09-01")["name"], "Quốc khánh (ngày liền kề)");
    // Sorted by date, one entry per date, and a plain weekend is not listed.
    let listed = dates(&a.body);
    let mut sorted = listed.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(listed, sorted);
    assert!(find("2026-11-28").is_null());
}

#[tokio::test]
async fn special_days_of_a_future_year_are_computed_from_the_lunar_calendar() {
    let app = TestApp::new().await;
    let a = app.get("/api/v1/calendar/days?year=2031", None).await.expect(200);
    let days = a.body.as_array().unwrap();
    let named = |name: &str| -> Vec<String> {
        days.iter().filter(|x| x["name"] == name).map(|x| x["date"].as_str().unwrap().to_owned()).collect()
    };
    // Tết 2031 is Thursday 23 Jan: the eve (Wed 22) and the first four days, all computed.
    assert_eq!(
        named("Tết Nguyên đán"),
        ["2031-01-22", "2031-01-23", "2031-01-24", "2031-01-25", "2031-01-26"]
    );
    assert!(days.iter().filter(|x| x["name"] == "Tết Nguyên đán").all(|x| x["source"] == "computed"));
    // Sat 25 and Sun 26 Jan give two compensatory days, Mon 27 and Tue 28 Jan.
    assert_eq!(named("Nghỉ bù Tết Nguyên đán"), ["2031-01-27", "2031-01-28"]);
    // Giỗ Tổ 2031: 10th day of the 3rd lunar month, Tuesday 1 April.
    assert_eq!(named("Giỗ Tổ Hùng Vương"), ["2031-04-01"]);
    let holidays: usize = days
        .iter()
        .filter(|x| x["kind"] == "holiday")
        .map(|x| x["name"].as_str().unwrap().split("; ").count())
        .sum();
    assert_eq!(holidays, 11);
    // The current year when none is given; years outside the table are refused.
    let this_year = app.get("/api/v1/calendar/days", None).await.expect(200);
    assert!(dates(&this_year.body).iter().all(|d| d.starts_with("2026-")));
    for query in ["year=1800", "year=2101", "year=abc", "year="] {
        app.get(&format!("/api/v1/calendar/days?{query}"), None).await.expect_error(400, "invalid_query");
    }
}

#[tokio::test]
async fn only_the_admin_changes_special_days() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let mut others = Vec::new();
    for role in ["chairman", "unit_head", "inspector", "receptionist"] {
        others.push(app.staff(&admin, &format!("u.{role}"), role, None).await.1);
    }
    others.push(app.citizen("congdan1").await.1);
    let body = json!({"kind": "holiday", "name": "Ngày Văn hóa Việt Nam"});
    for token in &others {
        app.put("/api/v1/calendar/days/2026-11-24", Some(token), body.clone())
            .await
            .expect_error(403, "forbidden");
        app.delete("/api/v1/calendar/days/2026-11-24", Some(token)).await.expect_error(403, "forbidden");
    }
    app.put("/api/v1/calendar/days/2026-11-24", None, body.clone()).await.expect(401);
    app.delete("/api/v1/calendar/days/2026-11-24", None).await.expect(401);
    // Nothing changed so far.
    let days = app.get("/api/v1/calendar/days?year=2026", None).await.expect(200);
    assert!(!dates(&days.body).contains(&"2026-11-24".to_owned()));

    let a = app.put("/api/v1/calendar/days/2026-11-24", Some(&admin), body).await.expect(200);
    assert_eq!(
        a.body["in_effect"],
        json!({"date": "2026-11-24", "kind": "holiday", "name": "Ngày Văn hóa Việt Nam", "source": "admin"})
    );
    assert_eq!(a.body["recomputed"]["changed_dates"], json!(["2026-11-24"]));
    let days = app.get("/api/v1/calendar/days?year=2026", None).await.expect(200);
    let entry = days.body.as_array().unwrap().iter().find(|x| x["date"] == "2026-11-24").cloned();
    assert_eq!(entry.unwrap()["source"], "admin");
    // The calculator uses the change at once: Mon 23 Nov + 1 working day skips Tuesday 24.
    let a = due(&app, "start=2026-11-23&days=1").await;
    assert_eq!(a["due"], "2026-11-25");
    assert_eq!(a["skipped"], json!([{"date": "2026-11-24", "reason": "Ngày Văn hóa Việt Nam"}]));

    let a = app.delete("/api/v1/calendar/days/2026-11-24", Some(&admin)).await.expect(200);
    assert_eq!(a.body["in_effect"], Value::Null);
    assert_eq!(due(&app, "start=2026-11-23&days=1").await["due"], "2026-11-24");
    // Deleting again: there is no entry any more.
    app.delete("/api/v1/calendar/days/2026-11-24", Some(&admin)).await.expect_error(404, "not_found");
    // A default day has no admin entry to delete.
    app.delete("/api/v1/calendar/days/2026-02-17", Some(&admin)).await.expect_error(404, "not_found");
}

#[tokio::test]
async fn special_day_changes_check_their_input() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let ok = json!({"kind": "day_off", "name": "Nghỉ"});
    app.put("/api/v1/calendar/days/2026-13-01", Some(&admin), ok.clone())
        .await
        .expect_error(400, "invalid_path");
    app.put("/api/v1/calendar/days/hom-nay", Some(&admin), ok.clone())
        .await
        .expect_error(400, "invalid_path");
    app.delete("/api/v1/calendar/days/2026-02-30", Some(&admin)).await.expect_error(400, "invalid_path");
    let a = app.put("/api/v1/calendar/days/2150-01-05", Some(&admin), ok.clone()).await.expect(422);
    assert!(a.body["error"]["fields"]["date"].is_array(), "{}", a.body);
    app.put("/api/v1/calendar/days/2026-12-02", Some(&admin), json!({"kind": "weekend", "name": "Nghỉ"}))
        .await
        .expect(422);
    let a = app
        .put("/api/v1/calendar/days/2026-12-02", Some(&admin), json!({"kind": "holiday", "name": "   "}))
        .await
        .expect(422);
    assert!(a.body["error"]["fields"]["name"].is_array(), "{}", a.body);
    app.put(
        "/api/v1/calendar/days/2026-12-02",
        Some(&admin),
        json!({"kind": "holiday", "name": "x".repeat(201)}),
    )
    .await
    .expect(422);
    app.put("/api/v1/calendar/days/2026-12-02", Some(&admin), json!({"kind": "holiday"})).await.expect(422);
    app.call(Method::PUT, "/api/v1/calendar/days/2026-12-02", Some(&admin), None)
        .await
        .expect_error(400, "unsupported_media_type");
    // Replacing an entry keeps one entry for the date.
    app.put("/api/v1/calendar/days/2026-12-02", Some(&admin), ok).await.expect(200);
    let a = app
        .put(
            "/api/v1/calendar/days/2026-12-02",
            Some(&admin),
            json!({"kind": "holiday", "name": "Lễ địa phương"}),
        )
        .await
        .expect(200);
    // Day off → holiday: both closed, no clock can move.
    assert_eq!(a.body["recomputed"], json!({"changed_dates": [], "cases": 0, "clocks": 0}));
    let days = app.get("/api/v1/calendar/days?year=2026", None).await.expect(200);
    let on_the_day: Vec<&Value> =
        days.body.as_array().unwrap().iter().filter(|x| x["date"] == "2026-12-02").collect();
    assert_eq!(on_the_day.len(), 1);
    assert_eq!(on_the_day[0]["name"], "Lễ địa phương");
}

#[tokio::test]
async fn calendar_endpoints_are_documented() {
    let app = TestApp::new().await;
    let doc = app.get("/api/v1/openapi.json", None).await.expect(200);
    let paths = doc.body["paths"].as_object().unwrap();
    for path in ["/api/v1/calendar/due-date", "/api/v1/calendar/days", "/api/v1/calendar/days/{date}"] {
        assert!(paths.contains_key(path), "{path} is missing from the OpenAPI document");
    }
    assert!(paths["/api/v1/calendar/days/{date}"]["put"].is_object());
    assert!(paths["/api/v1/calendar/days/{date}"]["delete"].is_object());
}

// ---- Recomputation of stored due dates ----

/// A case of the register with its clocks, inserted directly (not through the petition endpoints).
struct Case {
    id: i64,
    clocks: Vec<i64>,
}

/// Inserts a case in `status` received on `received_on` and starts `clocks` (clock, start) on the
/// current calendar, as the intake does.
async fn case(
    app: &TestApp,
    code: &str,
    status: &str,
    received_on: NaiveDate,
    clocks: &[(ClockId, NaiveDate)],
) -> Case {
    let db = &app.state.db.writer;
    let now = crate::support::default_now();
    let agency = agency::Entity::find().one(db).await.unwrap().expect("the bootstrap agency");
    let row = petition::ActiveModel {
        agency_id: Set(agency.id),
        tracking_code: Set(format!("TD-TEST-{code}")),
        kind: Set(tiepdan::domain::petition::Kind::Complaint),
        channel: Set(tiepdan::domain::petition::Channel::InPerson),
        status: Set(status.parse().expect("a status")),
        received_on: Set(received_on),
        subject: Set(format!("Khiếu nại {code}")),
        anonymous: Set(false),
        signatories: Set(1),
        skip_level: Set(false),
        round: Set(1),
        complexity: Set(tiepdan::domain::deadline::Complexity::None),
        remote_area: Set(false),
        rule_set: Set(RuleSetId::Law2026_07),
        version: Set(0),
        event_head: Set(audit::GENESIS.to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    petition_content::ActiveModel { petition_id: Set(row.id), content: Set(format!("Nội dung {code}")) }
        .insert(db)
        .await
        .unwrap();
    let cal = app.state.calendar.get(db).await.unwrap();
    let mut ids = Vec::new();
    for (clock, start) in clocks {
        let started = deadlines::start(
            db,
            row.id,
            *clock,
            &RuleSetId::Law2026_07,
            *start,
            Complexity::None,
            false,
            &cal,
            now,
        )
        .await
        .unwrap();
        ids.push(started.id);
    }
    Case { id: row.id, clocks: ids }
}

async fn due_on(app: &TestApp, clock_id: i64) -> NaiveDate {
    deadline::Entity::find_by_id(clock_id).one(&app.state.db.reader).await.unwrap().unwrap().due_on
}

/// The case's next due date, as its views and the inbox read it from its clocks.
async fn next_due(app: &TestApp, id: i64) -> Option<NaiveDate> {
    deadlines::next_due_of(&app.state.db.reader, &[id]).await.unwrap().get(&id).copied()
}

async fn case_row(app: &TestApp, id: i64) -> petition::Model {
    petition::Entity::find_by_id(id).one(&app.state.db.reader).await.unwrap().unwrap()
}

async fn events(app: &TestApp, id: i64) -> Vec<petition_event::Model> {
    petition_event::Entity::find()
        .filter(petition_event::Column::PetitionId.eq(id))
        .all(&app.state.db.reader)
        .await
        .unwrap()
}

/// Checks the case's hash chain and returns its events.
async fn verified_trail(app: &TestApp, id: i64) -> Vec<petition_event::Model> {
    let trail = audit::trail(&app.state.db.reader, id).await.unwrap();
    audit::check_chain(&app.state.keys, &case_row(app, id).await, &trail)
        .unwrap_or_else(|b| panic!("broken chain: {b:?}"));
    trail
}

#[tokio::test]
async fn a_new_holiday_moves_the_due_dates_it_touches_and_is_noted_in_each_case() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let today = d(2026, 11, 25);
    // 10 working days from Wed 25 Nov: Wed 9 Dec; 30 calendar days: Fri 25 Dec.
    let a = case(
        &app,
        "A",
        "accepted",
        today,
        &[(ClockId::ReceptionNotice, today), (ClockId::ComplaintResolution1, today)],
    )
    .await;
    // 30 calendar days from Mon 2 Nov land on Wed 2 Dec itself.
    let e =
        case(&app, "E", "accepted", d(2026, 11, 2), &[(ClockId::ComplaintResolution1, d(2026, 11, 2))]).await;
    // Two working-day clocks in one case: one event lists both.
    let f = case(
        &app,
        "F",
        "received",
        d(2026, 11, 30),
        &[(ClockId::ReceptionNotice, d(2026, 11, 30)), (ClockId::HandlerInternal, d(2026, 12, 1))],
    )
    .await;
    // Starts after the day, ends before it, or closed: untouched.
    let later =
        case(&app, "L", "received", d(2026, 12, 3), &[(ClockId::ReceptionNotice, d(2026, 12, 3))]).await;
    let earlier =
        case(&app, "P", "received", d(2026, 11, 10), &[(ClockId::ReceptionNotice, d(2026, 11, 10))]).await;
    // A closed case's informational clock is left as it is; its running one (a clock a written
    // notice still owes, which only sending it meets) still counts and moves.
    let closed = case(&app, "C", "received", today, &[(ClockId::ReceptionNotice, today)]).await;
    let owed = case(&app, "O", "received", today, &[(ClockId::ReceptionNotice, today)]).await;
    petition::Entity::update_many()
        .col_expr(petition::Column::Status, sea_orm::sea_query::Expr::value("resolved"))
        .filter(petition::Column::Id.is_in([closed.id, owed.id]))
        .exec(&app.state.db.writer)
        .await
        .unwrap();
    deadline::Entity::update_many()
        .col_expr(deadline::Column::State, sea_orm::sea_query::Expr::value("informational"))
        .filter(deadline::Column::Id.eq(closed.clocks[0]))
        .exec(&app.state.db.writer)
        .await
        .unwrap();

    assert_eq!(due_on(&app, a.clocks[0]).await, d(2026, 12, 9));
    assert_eq!(due_on(&app, a.clocks[1]).await, d(2026, 12, 25));
    assert_eq!(due_on(&app, e.clocks[0]).await, d(2026, 12, 2));
    assert_eq!(due_on(&app, f.clocks[0]).await, d(2026, 12, 14));
    assert_eq!(due_on(&app, f.clocks[1]).await, d(2026, 12, 15));
    let untouched = [
        (later.clocks[0], due_on(&app, later.clocks[0]).await),
        (earlier.clocks[0], due_on(&app, earlier.clocks[0]).await),
        (closed.clocks[0], due_on(&app, closed.clocks[0]).await),
    ];
    assert_eq!(untouched[1].1, d(2026, 11, 24));
    assert_eq!(next_due(&app, a.id).await, Some(d(2026, 12, 9)));

    // A local holiday on Wednesday 2 December.
    let answer = app
        .put(
            "/api/v1/calendar/days/2026-12-02",
            Some(&admin),
            json!({"kind": "holiday", "name": "Lễ hội địa phương"}),
        )
        .await
        .expect(200);
    assert_eq!(
        answer.body["recomputed"],
        json!({"changed_dates": ["2026-12-02"], "cases": 4, "clocks": 5}),
        "{}",
        answer.body
    );
    assert_eq!(due_on(&app, a.clocks[0]).await, d(2026, 12, 10));
    assert_eq!(due_on(&app, a.clocks[1]).await, d(2026, 12, 25));
    assert_eq!(due_on(&app, e.clocks[0]).await, d(2026, 12, 3));
    assert_eq!(due_on(&app, f.clocks[0]).await, d(2026, 12, 15));
    assert_eq!(due_on(&app, f.clocks[1]).await, d(2026, 12, 16));
    assert_eq!(due_on(&app, owed.clocks[0]).await, d(2026, 12, 10));
    for (clock, before) in untouched {
        assert_eq!(due_on(&app, clock).await, before);
    }
    assert_eq!(next_due(&app, a.id).await, Some(d(2026, 12, 10)));
    assert_eq!(next_due(&app, e.id).await, Some(d(2026, 12, 3)));

    // One event in each touched case's trail, chained, naming the day and the clocks moved.
    let trail = verified_trail(&app, a.id).await;
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0].action.as_str(), "deadline_recomputed");
    assert_eq!(trail[0].actor_id, None);
    let changes: Value = serde_json::from_str(&trail[0].changes).unwrap();
    assert_eq!(changes["day"], "2026-12-02");
    assert_eq!(changes["day_change"], "set");
    assert_eq!(changes["day_kind"], "holiday");
    assert_eq!(changes["changed_by"]["name"], "Quản trị hệ thống", "{changes}");
    assert_eq!(
        changes["clocks"],
        json!([{"clock": "reception_notice", "old_due": "2026-12-09", "new_due": "2026-12-10"}])
    );
    let trail = verified_trail(&app, f.id).await;
    let changes: Value = serde_json::from_str(&trail[0].changes).unwrap();
    assert_eq!(changes["clocks"].as_array().unwrap().len(), 2);
    verified_trail(&app, e.id).await;
    // The case rows are not rewritten: a recomputation is nobody's edit of a case (its version,
    // which an action must name, stays), and its events follow the last one of each trail.
    assert_eq!(case_row(&app, a.id).await.version, 0);
    for id in [later.id, earlier.id, closed.id] {
        assert!(events(&app, id).await.is_empty());
        assert_eq!(case_row(&app, id).await.version, 0);
    }

    // Removing the holiday moves them back, with a second event.
    let answer = app.delete("/api/v1/calendar/days/2026-12-02", Some(&admin)).await.expect(200);
    assert_eq!(answer.body["recomputed"]["cases"], 4);
    assert_eq!(answer.body["recomputed"]["clocks"], 5);
    assert_eq!(due_on(&app, a.clocks[0]).await, d(2026, 12, 9));
    assert_eq!(due_on(&app, owed.clocks[0]).await, d(2026, 12, 9));
    assert_eq!(due_on(&app, e.clocks[0]).await, d(2026, 12, 2));
    assert_eq!(due_on(&app, f.clocks[0]).await, d(2026, 12, 14));
    assert_eq!(due_on(&app, f.clocks[1]).await, d(2026, 12, 15));
    assert_eq!(next_due(&app, a.id).await, Some(d(2026, 12, 9)));
    for id in [a.id, e.id, f.id] {
        let trail = verified_trail(&app, id).await;
        assert_eq!(trail.len(), 2);
        let changes: Value = serde_json::from_str(&trail[1].changes).unwrap();
        assert_eq!(changes["day_change"], "removed");
    }
    let trail = verified_trail(&app, a.id).await;
    let changes: Value = serde_json::from_str(&trail[1].changes).unwrap();
    assert_eq!(
        changes["clocks"],
        json!([{"clock": "reception_notice", "old_due": "2026-12-10", "new_due": "2026-12-09"}])
    );
    for id in [later.id, earlier.id, closed.id] {
        assert!(events(&app, id).await.is_empty());
    }
    let audit::Verification { checked, broken, .. } =
        audit::verify_all(&app.state.db.reader, &app.state.keys).await.unwrap();
    assert_eq!(checked, 7);
    assert!(broken.is_empty(), "{broken:?}");
}

#[tokio::test]
async fn taking_back_a_holiday_makes_due_dates_earlier() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    // 7 working days from Mon 28 Dec 2026: 29, 30, 31 Dec, (Fri 1 Jan 2027 holiday, weekend) 4–7 Jan.
    let c =
        case(&app, "N", "accepted", d(2026, 12, 28), &[(ClockId::DenunciationIntake, d(2026, 12, 28))]).await;
    assert_eq!(due_on(&app, c.clocks[0]).await, d(2027, 1, 7));
    let answer = app
        .put(
            "/api/v1/calendar/days/2027-01-01",
            Some(&admin),
            json!({"kind": "working_day", "name": "Đi làm"}),
        )
        .await
        .expect(200);
    assert_eq!(answer.body["recomputed"]["changed_dates"], json!(["2027-01-01"]));
    assert_eq!(answer.body["recomputed"]["cases"], 1);
    assert_eq!(due_on(&app, c.clocks[0]).await, d(2027, 1, 6));
    let trail = verified_trail(&app, c.id).await;
    let changes: Value = serde_json::from_str(&trail[0].changes).unwrap();
    assert_eq!(changes["clocks"][0]["old_due"], "2027-01-07");
    assert_eq!(changes["clocks"][0]["new_due"], "2027-01-06");
}

#[tokio::test]
async fn a_day_off_on_a_compensatory_day_moves_the_compensation_and_the_clocks_after_it() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    // Sat 1 May 2027 (Labour Day) gives Monday 3 May off. 10 working days from Thu 29 Apr 2027
    // (after Fri 30 Apr, the weekend and Monday off): 4–7, 10–14 and 17 May.
    let c = case(&app, "M", "accepted", d(2027, 4, 29), &[(ClockId::ReceptionNotice, d(2027, 4, 29))]).await;
    let before = due_on(&app, c.clocks[0]).await;
    assert_eq!(before, d(2027, 5, 17));
    // A day off on Monday 3 May pushes the compensatory day to Tuesday 4 May: the date that flips.
    let answer = app
        .put(
            "/api/v1/calendar/days/2027-05-03",
            Some(&admin),
            json!({"kind": "day_off", "name": "Nghỉ địa phương"}),
        )
        .await
        .expect(200);
    assert_eq!(answer.body["recomputed"]["changed_dates"], json!(["2027-05-04"]));
    assert_eq!(answer.body["recomputed"]["cases"], 1);
    assert_eq!(due_on(&app, c.clocks[0]).await, before.succ_opt().unwrap());
    verified_trail(&app, c.id).await;
}

#[tokio::test]
async fn the_calculator_says_what_is_wrong_in_the_words_of_its_fields() {
    let app = TestApp::new().await;
    let negative = app
        .get("/api/v1/calendar/due-date?start=2026-11-25&days=-3", None)
        .await
        .expect_error(400, "invalid_query");
    let said = negative.body["error"]["fields"]["days"][0].as_str().unwrap();
    assert_eq!(said, "Số ngày không được là số âm (đã nhập -3). Số ngày phải là số nguyên từ 0 đến 3650.");
    assert_eq!(negative.body["error"]["message"], said, "the message is the field's own");
    for (query, field, words) in [
        ("start=2026-11-25&days=2.5", "days", "không có phần lẻ"),
        ("start=2026-11-25&days=abc", "days", "phải là một số"),
        ("start=2026-11-25", "days", "Vui lòng nhập số ngày."),
        ("start=2026-11-25&days=", "days", "Vui lòng nhập số ngày."),
        ("start=2026-11-25&days=3651", "days", "quá lớn"),
        ("days=3", "start", "Vui lòng chọn ngày bắt đầu."),
        ("start=1800-01-01&days=3", "start", "Ngày bắt đầu phải trong khoảng năm 1990 đến 2100."),
        ("start=25/11/2026&days=3", "start", "Ngày không hợp lệ"),
        ("start=2026-11-25&days=3&unit=hours", "unit", "Giá trị không có trong danh sách được chọn."),
    ] {
        let a = app
            .get(&format!("/api/v1/calendar/due-date?{query}"), None)
            .await
            .expect_error(400, "invalid_query");
        let message = a.body["error"]["message"].as_str().unwrap();
        let beside = a.body["error"]["fields"][field][0].as_str().unwrap_or_default();
        assert!(beside.contains(words), "{query}: {}", a.body);
        for wire in ["days", "start", "unit", "working", "calendar", "YYYY-MM-DD"] {
            assert!(
                !message.contains(wire) || wire == "YYYY-MM-DD" && field == "start",
                "{query}: {message}"
            );
        }
    }
}

#[tokio::test]
async fn the_admin_is_told_how_many_cases_a_change_of_a_day_may_move() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let today = d(2026, 11, 25);
    // Due Fri 25 Dec (30 days) and Wed 9 Dec (10 working days): both span Wed 2 Dec.
    case(&app, "A", "accepted", today, &[(ClockId::ComplaintResolution1, today)]).await;
    case(
        &app,
        "B",
        "received",
        today,
        &[(ClockId::ReceptionNotice, today), (ClockId::ComplaintResolution1, today)],
    )
    .await;
    // Met already: no clock of it runs.
    let met = case(&app, "C", "accepted", today, &[(ClockId::ReceptionNotice, today)]).await;
    deadline::Entity::update_many()
        .col_expr(deadline::Column::State, sea_orm::sea_query::Expr::value("met"))
        .filter(deadline::Column::PetitionId.eq(met.id))
        .exec(&app.state.db.writer)
        .await
        .unwrap();
    let impact = |date: &str| format!("/api/v1/calendar/days/{date}/impact");
    let spanned = app.get(&impact("2026-12-02"), Some(&admin)).await.expect(200).body;
    assert_eq!(spanned, json!({"date": "2026-12-02", "open_cases": 2, "capped": false}));
    let late = app.get(&impact("2026-12-20"), Some(&admin)).await.expect(200).body;
    assert_eq!(late["open_cases"], 2, "the 30-day clocks run to 25 Dec");
    for date in ["2026-11-20", "2027-06-01"] {
        assert_eq!(app.get(&impact(date), Some(&admin)).await.expect(200).body["open_cases"], 0, "{date}");
    }
    let (_, inspector) = app.staff(&admin, "thanhtra1", "inspector", None).await;
    app.get(&impact("2026-12-02"), Some(&inspector)).await.expect_error(403, "forbidden");
    app.get(&impact("2026-12-02"), None).await.expect_error(401, "missing_token");
    app.get(&impact("2-12-2026"), Some(&admin)).await.expect_error(400, "invalid_path");
    app.get(&impact("1989-12-31"), Some(&admin)).await.expect_error(422, "validation_failed");
}
