//! The law's minimum of a chairman's own reception (Law 42/2013 Art. 15(2)(d): a commune
//! chairman at least one day a week; Art. 12(5): a provincial chairman at least one day a month):
//! a schedule below it is refused without a reason, kept with one, and flagged in every weekly
//! review; a commune chairman's week is always required. And the holiday option `same_week`,
//! which keeps a session inside its own ISO week.

use chrono::{TimeZone, Utc};
use serde_json::{Value, json};

use crate::support::TestApp;

/// Moves the test clock to 9:00 in Vietnam on a day.
fn at(app: &TestApp, y: i32, m: u32, d: u32) {
    app.clock.set(Utc.with_ymd_and_hms(y, m, d, 2, 0, 0).unwrap());
}

/// An agency's admin and its chairman.
struct Office {
    app: TestApp,
    admin: String,
    chairman: String,
    chairman_id: i64,
}

/// The bootstrapped commune (UBND phường Mẫu) with a chairman, on the test clock's day.
async fn commune(app: TestApp) -> Office {
    let admin = app.admin().await;
    let (chairman_id, chairman) = app.staff(&admin, "chutich", "chairman", None).await;
    Office { app, admin, chairman, chairman_id }
}

/// A province registered by the commune's admin, with its own admin and chairman.
async fn province(app: TestApp) -> Office {
    let root = app.admin().await;
    let agency = app
        .post("/api/v1/agencies", Some(&root), json!({"name": "UBND tỉnh Mẫu", "level": "province"}))
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    let user = |username: &str, role: &str| {
        json!({"username": username, "password": "Mật khẩu tỉnh 2026", "full_name": format!("Cán bộ {username}"),
               "role": role, "agency_id": agency})
    };
    app.post("/api/v1/users", Some(&root), user("qt.tinh", "admin")).await.expect(201);
    let chairman_id =
        app.post("/api/v1/users", Some(&root), user("ct.tinh", "chairman")).await.expect(201).body["id"]
            .as_i64()
            .unwrap();
    let admin = app.login("qt.tinh", "Mật khẩu tỉnh 2026").await;
    let chairman = app.login("ct.tinh", "Mật khẩu tỉnh 2026").await;
    Office { app, admin, chairman, chairman_id }
}

impl Office {
    async fn put_rule(&self, rule: Value) -> crate::support::Answer {
        self.app.put(&format!("/api/v1/reception-rules/{}", self.chairman_id), Some(&self.admin), rule).await
    }

    /// The chairman's line in a week's review.
    async fn chairman_week(&self, week: &str) -> Value {
        let review = self.review(week).await;
        review["heads"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["host_id"] == self.chairman_id)
            .cloned()
            .unwrap_or(Value::Null)
    }

    async fn review(&self, week: &str) -> Value {
        self.app
            .get(&format!("/api/v1/reviews/weekly?week={week}"), Some(&self.chairman))
            .await
            .expect(200)
            .body
    }

    /// The chairman's periodic sessions of `from..=to`: (date, session).
    async fn periodic(&self, from: &str, to: &str) -> Vec<(String, Value)> {
        let page = self
            .app
            .get(
                &format!("/api/v1/reception-sessions?from={from}&to={to}&per_page=200"),
                Some(&self.chairman),
            )
            .await
            .expect(200)
            .body;
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["kind"] == "periodic" && s["host_id"] == self.chairman_id)
            .map(|s| (s["date"].as_str().unwrap().to_owned(), s.clone()))
            .collect()
    }
}

#[tokio::test]
async fn a_commune_chairman_received_monthly_is_refused_without_a_reason() {
    let o = commune(TestApp::new().await).await;
    let monthly = json!({"weekday": 1, "every": "month", "on_holiday": "next_working_day"});
    let refused = o.put_rule(monthly.clone()).await.expect_error(422, "below_legal_minimum");
    let message = refused.body["error"]["message"].as_str().unwrap();
    assert!(message.contains("ít nhất 01 ngày trong 01 tuần"), "{message}");
    assert!(message.contains("điểm d khoản 2 Điều 15 Luật Tiếp công dân 2013"), "{message}");
    // Weekly but dropping the week of a holiday is below the minimum too.
    o.put_rule(json!({"weekday": 4, "every": "week", "on_holiday": "skip"}))
        .await
        .expect_error(422, "below_legal_minimum");
    // A blank reason is no reason; a reason over 500 characters is a field error.
    let mut blank = monthly.clone();
    blank["reason"] = json!("   ");
    o.put_rule(blank).await.expect_error(422, "below_legal_minimum");
    let mut long = monthly.clone();
    long["reason"] = json!("đ".repeat(501));
    let a = o.put_rule(long).await.expect_error(422, "validation_failed");
    assert!(a.body["error"]["fields"]["reason"].is_array());
    // Nothing was changed by the refusals: still every Thursday.
    let rule = o
        .app
        .get(&format!("/api/v1/reception-rules/{}", o.chairman_id), Some(&o.admin))
        .await
        .expect(200)
        .body;
    assert_eq!(
        (rule["every"].as_str(), rule["on_holiday"].as_str()),
        (Some("week"), Some("next_working_day"))
    );
    assert_eq!((rule["below_minimum"].as_bool(), rule["reason"].clone()), (Some(false), Value::Null));
    // A schedule that meets the minimum needs none.
    o.put_rule(json!({"weekday": 2, "every": "week", "on_holiday": "same_week"})).await.expect(200);
}

#[tokio::test]
async fn with_a_reason_the_monthly_schedule_is_kept_and_every_weekly_review_flags_it() {
    let o = commune(TestApp::new().await).await;
    // Wednesday 25 Nov 2026: from today, the first Monday of each month.
    let reason = "Chủ tịch đi học tập trung đến hết năm 2026.";
    let saved = o
        .put_rule(json!({"weekday": 1, "every": "month", "on_holiday": "next_working_day", "reason": format!("  {reason} ")}))
        .await
        .expect(200)
        .body;
    assert_eq!((saved["below_minimum"].as_bool(), saved["reason"].as_str()), (Some(true), Some(reason)));
    assert!(saved["below_minimum_note"].as_str().unwrap().contains("Điều 15"));
    assert_eq!(saved["upcoming"][0], "2026-12-07");
    let list = o.app.get("/api/v1/reception-rules", Some(&o.admin)).await.expect(200).body;
    assert_eq!(list[0]["reason"], reason);

    // Monday 14 Dec 2026: W48 and W49 went by without a session, W50 had Monday 7 Dec's, held.
    at(&o.app, 2026, 12, 7);
    let monday = o.periodic("2026-12-07", "2026-12-07").await;
    assert_eq!(monday.len(), 1);
    let id = monday[0].1["id"].as_i64().unwrap();
    o.app
        .patch(&format!("/api/v1/reception-sessions/{id}"), Some(&o.chairman), json!({"status": "held"}))
        .await
        .expect(200);
    at(&o.app, 2026, 12, 14);
    for week in ["2026-W48", "2026-W49"] {
        let line = o.chairman_week(week).await;
        assert_eq!(
            (line["status"].as_str(), line["required"].as_bool()),
            (Some("missed"), Some(true)),
            "{week}"
        );
        assert_eq!(line["session_ids"], json!([]), "{week}: no session invented");
        assert_eq!(
            (line["below_minimum"].as_bool(), line["below_minimum_reason"].as_str()),
            (Some(true), Some(reason))
        );
        assert!(line["below_minimum_note"].as_str().unwrap().contains("Luật Tiếp công dân 2013"));
        let review = o.review(week).await;
        assert_eq!(
            (review["periodic_required"].as_i64(), review["periodic_missed"].as_i64()),
            (Some(1), Some(1))
        );
    }
    let w50 = o.chairman_week("2026-W50").await;
    assert_eq!((w50["status"].as_str(), w50["below_minimum"].as_bool()), (Some("held"), Some(true)));
    // The current week: no session set yet, working days left.
    let w51 = o.chairman_week("2026-W51").await;
    assert_eq!((w51["status"].as_str(), w51["required"].as_bool()), (Some("unscheduled"), Some(true)));
    // The series says the same, week by week.
    let series = o
        .app
        .get("/api/v1/reviews/weekly/series?from_week=2026-W48&to_week=2026-W51", Some(&o.admin))
        .await
        .expect(200)
        .body;
    let shown: Vec<(&str, &str, i64)> = series
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            let head = &w["heads"][0];
            (
                w["week"].as_str().unwrap(),
                head["status"].as_str().unwrap(),
                w["periodic_missed"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            ("2026-W48", "missed", 1),
            ("2026-W49", "missed", 1),
            ("2026-W50", "held", 0),
            ("2026-W51", "unscheduled", 0)
        ]
    );
    assert!(series.as_array().unwrap().iter().all(|w| w["heads"][0]["below_minimum"] == true));

    // Back to every Thursday: the minimum is met, a reason sent along is not kept, and the past
    // weeks keep the flag of the schedule that governed them.
    let back = o
        .put_rule(
            json!({"weekday": 4, "every": "week", "on_holiday": "next_working_day", "reason": "Không cần"}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!((back["below_minimum"].as_bool(), back["reason"].clone()), (Some(false), Value::Null));
    assert_eq!(o.chairman_week("2026-W49").await["below_minimum_reason"], reason);
    let w52 = o.chairman_week("2026-W52").await;
    assert_eq!((w52["status"].as_str(), w52["below_minimum"].as_bool()), (Some("upcoming"), Some(false)));
}

#[tokio::test]
async fn a_province_chairman_may_receive_monthly() {
    let o = province(TestApp::new().await).await;
    let first_monday = o
        .put_rule(json!({"weekday": 1, "every": "month", "on_holiday": "next_working_day"}))
        .await
        .expect(200)
        .body;
    assert_eq!(
        (first_monday["below_minimum"].as_bool(), first_monday["every"].as_str()),
        (Some(false), Some("month"))
    );
    // A monthly session a holiday can drop, or carry past the month's end, is below the minimum.
    for rule in [
        json!({"weekday": 4, "every": "month", "on_holiday": "skip"}),
        json!({"weekday": 4, "every": "month", "on_holiday": "same_week"}),
        json!({"weekday": 2, "every": "month", "week_of_month": 4, "on_holiday": "next_working_day"}),
    ] {
        let a = o.put_rule(rule.clone()).await.expect_error(422, "below_legal_minimum");
        assert!(a.body["error"]["message"].as_str().unwrap().contains("khoản 5 Điều 12"), "{rule}");
    }
    // A province's week without a session is not required of its chairman.
    at(&o.app, 2026, 12, 14);
    let w49 = o.chairman_week("2026-W49").await;
    assert_eq!((w49["status"].as_str(), w49["required"].as_bool()), (Some("not_required"), Some(false)));
    assert_eq!(w49["below_minimum"], false);
    let w50 = o.chairman_week("2026-W50").await;
    assert_eq!(
        (w50["status"].as_str(), w50["required"].as_bool()),
        (Some("missed"), Some(true)),
        "Monday 7 Dec"
    );
    // With a reason, a skipping monthly schedule is kept and flagged.
    let kept = o
        .put_rule(json!({"weekday": 4, "every": "month", "on_holiday": "skip", "reason": "Theo kế hoạch năm 2027 của tỉnh."}))
        .await
        .expect(200)
        .body;
    assert_eq!(kept["below_minimum"], true);
    assert!(kept["below_minimum_note"].as_str().unwrap().contains("ít nhất 01 ngày trong 01 tháng"));
    let w51 = o.chairman_week("2026-W51").await;
    assert_eq!(
        (w51["below_minimum"].as_bool(), w51["below_minimum_reason"].as_str()),
        (Some(true), Some("Theo kế hoạch năm 2027 của tỉnh."))
    );
}

#[tokio::test]
async fn same_week_sessions_land_inside_their_own_week() {
    let app = TestApp::new().await;
    // Monday 5 Jan 2026: the chairman's schedule, every Thursday kept inside its week.
    at(&app, 2026, 1, 5);
    let o = commune(app).await;
    let rule =
        o.put_rule(json!({"weekday": 4, "every": "week", "on_holiday": "same_week"})).await.expect(200).body;
    assert_eq!(
        (rule["on_holiday"].as_str(), rule["below_minimum"].as_bool()),
        (Some("same_week"), Some(false))
    );

    // Thursday 30 Apr and Friday 1 May 2026 are holidays: Wednesday 29 Apr, inside W18, read
    // first from a range that ends before the Thursday itself.
    let moved = o.periodic("2026-04-27", "2026-04-29").await;
    assert_eq!(moved.len(), 1);
    assert_eq!(
        (moved[0].0.as_str(), moved[0].1["nominal_date"].as_str()),
        ("2026-04-29", Some("2026-04-30"))
    );
    let dates: Vec<String> =
        o.periodic("2026-04-20", "2026-05-10").await.into_iter().map(|(d, _)| d).collect();
    assert_eq!(dates, ["2026-04-23", "2026-04-29", "2026-05-07"]);

    // Tết 2026, off Saturday 14 – Sunday 22 Feb: W08 has no working day and no session.
    let tet: Vec<String> = o.periodic("2026-02-09", "2026-03-01").await.into_iter().map(|(d, _)| d).collect();
    assert_eq!(tet, ["2026-02-12", "2026-02-26"]);

    at(&o.app, 2026, 4, 28);
    let w18 = o.chairman_week("2026-W18").await;
    assert_eq!((w18["status"].as_str(), w18["required"].as_bool()), (Some("upcoming"), Some(true)));
    assert_eq!(w18["session_ids"], json!([moved[0].1["id"]]));
    let w08 = o.chairman_week("2026-W08").await;
    assert_eq!((w08["status"].as_str(), w08["required"].as_bool()), (Some("no_working_day"), Some(false)));
    let review = o.review("2026-W08").await;
    assert_eq!(
        (review["periodic_required"].as_i64(), review["periodic_missed"].as_i64()),
        (Some(0), Some(0))
    );

    // Tết 2027, off Fri 5 – Thu 11 Feb: Thursday 11 Feb's session is held on Friday 12 Feb,
    // still inside its week (Mon 8 – Sun 14 Feb).
    let w06 = o.periodic("2027-02-08", "2027-02-14").await;
    assert_eq!(w06.len(), 1);
    assert_eq!((w06[0].0.as_str(), w06[0].1["nominal_date"].as_str()), ("2027-02-12", Some("2027-02-11")));
}

#[tokio::test]
async fn an_unknown_holiday_option_is_a_field_error() {
    let o = commune(TestApp::new().await).await;
    o.put_rule(json!({"weekday": 4, "every": "week", "on_holiday": "same_month"}))
        .await
        .expect_error(422, "validation_failed");
}
