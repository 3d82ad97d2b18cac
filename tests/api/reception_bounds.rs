//! The dates recorded about a reception session stay near it: a directive's due date, the day it
//! was done, the grounds of a refusal, the announcement of an online session; and the public
//! schedule, open to anyone, reaches only from a year back to two years ahead.

use chrono::{TimeZone, Utc};
use serde_json::{Value, json};

use crate::petitions::{Office, office};

/// Today in these tests: Wednesday 25 November 2026.
const TODAY: &str = "2026-11-25";

fn at(o: &Office, y: i32, m: u32, d: u32) {
    o.app.clock.set(Utc.with_ymd_and_hms(y, m, d, 2, 0, 0).unwrap());
}

/// A regular session of today, held.
async fn held_session(o: &Office) -> i64 {
    let id = o
        .app
        .post(
            "/api/v1/reception-sessions",
            Some(&o.desk),
            json!({"kind": "regular", "date": TODAY, "host_id": o.desk_id, "location": "Phòng tiếp công dân"}),
        )
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    o.app
        .patch(&format!("/api/v1/reception-sessions/{id}"), Some(&o.desk), json!({"status": "held"}))
        .await
        .expect(200);
    id
}

fn directive(o: &Office, due: &str) -> Value {
    json!({"unit_id": o.unit, "task": "Kiểm tra hồ sơ thu hồi đất thửa 125", "due": due})
}

/// Asserts a 422 that names `field`.
#[track_caller]
fn refused_on(a: crate::support::Answer, field: &str) {
    let a = a.expect_error(422, "validation_failed");
    assert!(a.body["error"]["fields"][field].is_array(), "{field} not named: {}", a.body);
}

#[tokio::test]
async fn directive_due_dates_stay_within_a_year_and_land_on_working_days() {
    let o = office().await;
    let session = held_session(&o).await;
    let url = format!("/api/v1/reception-sessions/{session}/conclusion");
    let conclude = |dues: &[&str]| {
        json!({"text": "Giao Thanh tra phường kiểm tra.",
               "directives": dues.iter().map(|d| directive(&o, d)).collect::<Vec<_>>()})
    };
    for (due, why) in [
        ("+262142-12-31", "outside the calendar's years"),
        ("2100-12-31", "more than a year after the notice"),
        ("2027-11-27", "a year and two days after the notice"),
        ("2026-11-24", "before the session"),
    ] {
        let a = o.app.post(&url, Some(&o.chairman), conclude(&[IN_TIME, due])).await;
        assert_eq!(a.status.as_u16(), 422, "{why}: {}", a.body);
        assert!(a.body["error"]["fields"]["directives[1].due"].is_array(), "{why}: {}", a.body);
    }
    // A Sunday moves to the Monday after it, as any period of the register would; a year and a
    // day after the notice is the furthest.
    let done =
        o.app.post(&url, Some(&o.chairman), conclude(&["2026-11-29", "2027-11-26"])).await.expect(201).body;
    let dues: Vec<&str> =
        done["directives"].as_array().unwrap().iter().map(|d| d["due"].as_str().unwrap()).collect();
    assert_eq!(dues, ["2026-11-30", "2027-11-26"]);
}

const IN_TIME: &str = "2026-12-02";

#[tokio::test]
async fn a_directive_is_done_between_the_session_and_today() {
    let o = office().await;
    let session = held_session(&o).await;
    let done = o
        .app
        .post(
            &format!("/api/v1/reception-sessions/{session}/conclusion"),
            Some(&o.chairman),
            json!({"text": "Giao Thanh tra phường kiểm tra.", "directives": [directive(&o, IN_TIME)]}),
        )
        .await
        .expect(201)
        .body;
    let id = done["directives"][0]["id"].as_i64().unwrap();
    let url = format!("/api/v1/reception-directives/{id}/complete");
    at(&o, 2026, 12, 3);
    for (done_on, why) in [
        ("-0100-01-01", "outside the calendar's years"),
        ("2026-11-24", "before the session"),
        ("2026-12-04", "tomorrow"),
    ] {
        let a =
            o.app.post(&url, Some(&o.chairman), json!({"result": "Đã kiểm tra.", "done_on": done_on})).await;
        assert_eq!(a.status.as_u16(), 422, "{why}: {}", a.body);
        refused_on(a, "done_on");
    }
    let done = o
        .app
        .post(&url, Some(&o.chairman), json!({"result": "Đã kiểm tra, báo cáo Chủ tịch.", "done_on": TODAY}))
        .await
        .expect(200)
        .body;
    assert_eq!(done["done_on"], TODAY, "{done}");
}

#[tokio::test]
async fn refusal_grounds_are_established_at_most_a_year_before_the_refusal() {
    let o = office().await;
    let session = held_session(&o).await;
    let url = format!("/api/v1/reception-sessions/{session}/refusals");
    let refusal = |grounds_on: &str| json!({"visitor": "Hoàng Văn Em", "ground": "already_answered_nothing_new", "grounds_on": grounds_on});
    for (grounds_on, why) in [
        ("-262143-01-01", "outside the calendar's years"),
        ("2020-01-01", "years before the refusal"),
        ("2025-11-23", "a year and two days before"),
        ("2026-11-26", "after the refusal"),
    ] {
        let a = o.app.post(&url, Some(&o.desk), refusal(grounds_on)).await;
        assert_eq!(a.status.as_u16(), 422, "{why}: {}", a.body);
        refused_on(a, "grounds_on");
    }
    // A year and a day before: the written notice was due three working days after it.
    let r = o.app.post(&url, Some(&o.desk), refusal("2025-11-24")).await.expect(201).body;
    assert_eq!(r["notice_due"], "2025-11-27");
    assert_eq!(r["notice_overdue"], true);
    let listed = o.app.get("/api/v1/reception-refusals?pending_notice=true", Some(&o.desk)).await.expect(200);
    assert_eq!(listed.body.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn online_sessions_are_announced_near_their_day() {
    let o = office().await;
    let online = |date: &str, notice_on: Option<&str>| {
        let mut body = json!({"kind": "online", "date": date, "host_id": o.chairman_id,
                              "location": "Phòng họp trực tuyến UBND", "meeting_link": "https://hop.example/tiep-dan"});
        if let Some(n) = notice_on {
            body["notice_on"] = json!(n);
        }
        body
    };
    let create = |body: Value| o.app.post("/api/v1/reception-sessions", Some(&o.chairman), body);
    refused_on(create(online("+262142-12-31", None)).await, "date");
    for (notice_on, why) in [
        ("-2000-01-01", "outside the calendar's years"),
        ("2020-01-01", "years before"),
        ("2025-11-23", "more than a year before today"),
        ("2026-11-26", "tomorrow"),
    ] {
        let a = create(online("2026-12-09", Some(notice_on))).await;
        assert_eq!(a.status.as_u16(), 422, "{why}: {}", a.body);
        refused_on(a, "notice_on");
    }
    let s = create(online("2026-12-09", Some("2026-11-20"))).await.expect(201).body;
    assert_eq!(s["notice_on"], "2026-11-20");
    let url = format!("/api/v1/reception-sessions/{}", s["id"]);
    refused_on(o.app.patch(&url, Some(&o.chairman), json!({"notice_on": "-2000-01-01"})).await, "notice_on");
    refused_on(o.app.patch(&url, Some(&o.chairman), json!({"notice_on": "2024-01-01"})).await, "notice_on");
    refused_on(o.app.patch(&url, Some(&o.chairman), json!({"date": "0000-01-01"})).await, "date");
    let moved = o.app.patch(&url, Some(&o.chairman), json!({"notice_on": "2026-11-24"})).await.expect(200);
    assert_eq!(moved.body["notice_on"], "2026-11-24");
}

#[tokio::test]
async fn the_public_schedule_reaches_a_year_back_and_two_years_ahead_and_writes_no_further() {
    let o = office().await;
    async fn get(o: &Office, url: String) -> crate::support::Answer {
        o.app.get(&url, None).await
    }
    let public = |query: &str| get(&o, format!("/api/v1/public/reception-schedule{query}"));
    let ics = |query: &str| get(&o, format!("/api/v1/public/reception-schedule.ics{query}"));
    async fn periodic(o: &Office, from: &str, to: &str) -> u64 {
        let url = format!("/api/v1/reception-sessions?from={from}&to={to}&kind=periodic&per_page=1");
        o.app.get(&url, Some(&o.desk)).await.expect(200).body["total"].as_u64().unwrap()
    }
    for query in [
        "?from=2090-01-01&to=2090-12-31",
        "?from=2025-11-01&to=2026-01-31",
        "?from=2028-11-01&to=2028-11-27",
        "?from=2026-11-25&to=2027-12-31",
    ] {
        public(query).await.expect_error(400, "invalid_query");
        ics(query).await.expect_error(400, "invalid_query");
    }
    // Nothing was written for 2090.
    assert_eq!(periodic(&o, "2090-01-01", "2090-12-31").await, 0);
    // The edges: a year and a day back, two years and two days ahead.
    public("?from=2025-11-24&to=2026-11-24").await.expect(200);
    let ahead = public("?from=2027-11-27&to=2028-11-26").await.expect(200).body;
    assert!(ahead.as_array().unwrap().len() >= 50, "weekly Thursdays: {ahead}");
    ics("?from=2027-11-27&to=2028-11-26").await.expect(200);
    // The schedule stops at its horizon whoever asks: staff reading further see no periodic
    // sessions there, and none were written.
    assert_eq!(periodic(&o, "2028-11-27", "2029-11-26").await, 0);
    assert!(periodic(&o, "2028-11-01", "2028-11-26").await >= 3);
}
