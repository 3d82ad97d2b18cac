//! Tamper evidence against an insider (issue 13): a register is built through the API and sealed,
//! then changed behind the register's back the way someone with write access to the database
//! could, one way per test; `verify-audit` (the service function, and on SQLite the binary's
//! command) must fail naming the case, and name no untouched one.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    sea_query::Expr,
};
use serde_json::json;
use tiepdan::{
    clock::Clock,
    crypto::Auditor,
    domain::petition::EventAction,
    entity::{petition, petition_event},
    service::audit::{self, Verification, seal::SignedHead},
};

use crate::{
    petitions::{Office, accepted, complaint, denunciation, office},
    support::{TEST_AUDIT_KEY, TEST_DATA_KEY, TEST_SECRET, TestApp, on_postgres},
};

/// A small register, sealed: a resolved complaint (with its result and conclusion), an open
/// complaint whose due dates a holiday moved (a recomputation's event at the end of its trail)
/// and an accepted denunciation nobody touches.
struct Register {
    o: Office,
    resolved: i64,
    open: i64,
    untouched: i64,
}

async fn register() -> Register {
    let o = office().await;
    let resolved = accepted(&o, complaint()).await;
    o.act(
        &o.inspector,
        resolved,
        json!({"action": "resolve", "result": "Giữ nguyên quyết định thu hồi đất.", "conclusion": "wrong"}),
    )
    .await
    .expect(200);
    let open = accepted(&o, complaint()).await;
    let untouched = accepted(&o, denunciation()).await;
    // The open complaint's earliest clock falls on Friday 25 December: a holiday moves it.
    let moved = o
        .app
        .put("/api/v1/calendar/days/2026-12-25", Some(&o.admin), json!({"kind": "holiday", "name": "Lễ hội"}))
        .await
        .expect(200);
    assert!(moved.body["recomputed"]["cases"].as_u64().unwrap() >= 1, "{}", moved.body);
    let r = Register { o, resolved, open, untouched };
    let sealed = audit::seal::seal(r.writer(), &r.o.app.state.keys.audit, r.now()).await.unwrap();
    assert_eq!(sealed.seals, 1);
    let report = r.verify().await;
    assert!(report.is_intact(), "the register before any tampering: {report:?}");
    r
}

impl Register {
    fn writer(&self) -> &DatabaseConnection {
        &self.o.app.state.db.writer
    }

    fn now(&self) -> DateTime<Utc> {
        self.o.app.clock.now()
    }

    async fn sql(&self, statement: &str) {
        self.writer().execute_unprepared(statement).await.unwrap_or_else(|e| panic!("{statement}: {e}"));
    }

    async fn verify(&self) -> Verification {
        audit::verify_all(&self.o.app.state.db.reader, &self.o.app.state.keys).await.unwrap()
    }

    async fn events(&self, id: i64) -> Vec<petition_event::Model> {
        audit::trail(self.writer(), id).await.unwrap()
    }

    async fn case(&self, id: i64) -> petition::Model {
        petition::Entity::find_by_id(id).one(self.writer()).await.unwrap().unwrap()
    }

    /// Verification names case `id` with a finding containing `reason` (and, when `event` is
    /// given, that event as the first broken one), and names none of `untouched`; so does the
    /// binary's command on SQLite.
    async fn expect_named(&self, id: i64, event: Option<i32>, reason: &str, untouched: &[i64]) {
        let report = self.verify().await;
        let found: Vec<_> = report.broken.iter().filter(|b| b.petition_id == id).collect();
        assert!(
            found.iter().any(|b| b.reason.contains(reason) && (event.is_none() || b.event == event)),
            "case {id} should be named for \"{reason}\" (event {event:?}): {report:?}"
        );
        for other in untouched {
            assert!(
                report.broken.iter().all(|b| b.petition_id != *other),
                "case {other} is untouched: {report:?}"
            );
        }
        if !on_postgres() {
            let (ok, _, stderr) = binary(&self.o.app, &["verify-audit"]);
            assert!(!ok, "verify-audit must exit non-zero: {stderr}");
            assert!(stderr.contains(&format!("case {id}: ")) && stderr.contains(reason), "{stderr}");
        }
    }
}

/// Runs the `tiepdan` binary on the test app's database and keys; returns whether it succeeded,
/// its standard output and its standard error.
fn binary(app: &TestApp, args: &[&str]) -> (bool, String, String) {
    let url = app.config.database_url.clone().expect("a database URL");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tiepdan"))
        .args(args)
        .env_clear()
        .env("DATABASE_URL", url)
        .env("TIEPDAN_DATA_DIR", &app.config.data_dir)
        .env("TIEPDAN_JWT_SECRET", TEST_SECRET)
        .env("TIEPDAN_DATA_KEY", TEST_DATA_KEY)
        .env("TIEPDAN_AUDIT_KEY", TEST_AUDIT_KEY)
        .env("RUST_LOG", "info")
        .output()
        .expect("run the tiepdan binary");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn an_untouched_register_verifies_with_the_service_and_the_binary() {
    let r = register().await;
    assert_eq!(r.verify().await.checked, 3);
    if !on_postgres() {
        let (ok, _, stderr) = binary(&r.o.app, &["verify-audit"]);
        assert!(ok, "{stderr}");
        assert!(stderr.contains("3 case trails and 1 seals checked: 0 cases broken"), "{stderr}");
    }
    // The trail's answer keeps its shape; its hashes are the keyed ones.
    let trail =
        r.o.app
            .get(&format!("/api/v1/petitions/{}/events", r.open), Some(&r.o.chairman))
            .await
            .expect(200)
            .body;
    let last = trail.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "deadline_recomputed");
    assert_eq!(last["hash"], r.events(r.open).await.last().unwrap().hash.as_str());
}

#[tokio::test]
async fn an_edited_event_shows() {
    let r = register().await;
    r.sql(&format!(
        "UPDATE petition_event SET changes = '{{\"on\":\"2026-11-20\"}}' WHERE petition_id = {} AND seq = 2",
        r.open
    ))
    .await;
    r.expect_named(r.open, Some(2), "event #2 was altered", &[r.resolved, r.untouched]).await;
}

#[tokio::test]
async fn a_deleted_event_shows() {
    let r = register().await;
    r.sql(&format!("DELETE FROM petition_event WHERE petition_id = {} AND seq = 2", r.open)).await;
    r.expect_named(r.open, Some(2), "event #2 is missing", &[r.resolved, r.untouched]).await;
}

#[tokio::test]
async fn reordered_events_show() {
    let r = register().await;
    let id = r.open;
    for (from, to) in [(2, -2), (3, 2), (-2, 3)] {
        r.sql(&format!("UPDATE petition_event SET seq = {to} WHERE petition_id = {id} AND seq = {from}"))
            .await;
    }
    r.expect_named(id, Some(2), "event #2 does not follow the previous one", &[r.resolved, r.untouched])
        .await;
}

#[tokio::test]
async fn a_forged_event_shows() {
    let r = register().await;
    let id = r.open;
    let head = audit::head(r.writer(), id).await.unwrap();
    let case = r.case(id).await;
    // An event made without the key: a visit that never happened, its hash made up.
    let forged = "ab".repeat(32);
    petition_event::Entity::insert(petition_event::ActiveModel {
        petition_id: Set(id),
        seq: Set(head.seq + 1),
        at: Set(r.now()),
        actor_id: Set(None),
        actor_name: Set("Hệ thống".to_owned()),
        action: Set(EventAction::ReceptionVisit),
        from_status: Set(Some(case.status)),
        to_status: Set(Some(case.status)),
        changes: Set("{}".to_owned()),
        prev_hash: Set(head.hash.clone()),
        hash: Set(forged.clone()),
        facts: Set(head.facts.clone()),
        ..Default::default()
    })
    .exec(r.writer())
    .await
    .unwrap();
    r.sql(&format!(
        "UPDATE petition SET version = {}, event_head = '{forged}' WHERE id = {id}",
        case.version + 1
    ))
    .await;
    let seq = head.seq + 1;
    r.expect_named(id, Some(seq), &format!("event #{seq} was altered"), &[r.resolved, r.untouched]).await;
}

#[tokio::test]
async fn cutting_the_last_events_shows_even_with_the_case_row_rolled_back_to_match() {
    let r = register().await;
    let id = r.resolved;
    let events = r.events(id).await;
    let last = events.last().unwrap();
    assert_eq!(last.action.as_str(), "resolve");
    let before = &events[events.len() - 2];
    // The resolution undone: its event gone, and the row as it was before it.
    r.sql(&format!("DELETE FROM petition_event WHERE petition_id = {id} AND seq = {}", last.seq)).await;
    let case = r.case(id).await;
    r.sql(&format!(
        "UPDATE petition SET status = 'accepted', result = NULL, conclusion = NULL, closed_on = NULL, \
         version = {}, event_head = '{}' WHERE id = {id}",
        case.version - 1,
        before.hash
    ))
    .await;
    // The trail and the row agree; the seal that recorded the resolution does not.
    r.expect_named(id, Some(last.seq), "its trail was cut", &[r.open, r.untouched]).await;
}

#[tokio::test]
async fn cutting_the_last_events_alone_shows_on_the_case_row() {
    let r = register().await;
    let id = r.resolved;
    r.sql(&format!("DELETE FROM petition_event WHERE petition_id = {id} AND seq = 4")).await;
    r.expect_named(id, Some(4), "the last events are missing", &[r.open, r.untouched]).await;
}

#[tokio::test]
async fn a_changed_status_shows() {
    let r = register().await;
    r.sql(&format!("UPDATE petition SET status = 'suspended' WHERE id = {}", r.open)).await;
    r.expect_named(
        r.open,
        None,
        "the case row differs from its last event (#4) in: status",
        &[r.resolved, r.untouched],
    )
    .await;
    // And no step of the workflow seals over it.
    r.o.act(&r.o.inspector, r.open, json!({"action": "resume"})).await.expect_error(500, "internal_error");
}

/// Lifting a matter's confidentiality would show its people to every member of staff.
#[tokio::test]
async fn a_lifted_confidentiality_shows() {
    let r = register().await;
    r.sql(&format!("UPDATE petition SET confidential = FALSE WHERE id = {}", r.untouched)).await;
    r.expect_named(r.untouched, None, "in: confidential", &[r.resolved, r.open]).await;
}

#[tokio::test]
async fn a_changed_result_shows() {
    let r = register().await;
    r.sql(&format!("UPDATE petition SET result = 'Hủy quyết định thu hồi đất.' WHERE id = {}", r.resolved))
        .await;
    r.expect_named(r.resolved, None, "in: result", &[r.open, r.untouched]).await;
}

#[tokio::test]
async fn a_changed_conclusion_shows() {
    let r = register().await;
    r.sql(&format!("UPDATE petition SET conclusion = 'right' WHERE id = {}", r.resolved)).await;
    r.expect_named(r.resolved, None, "in: conclusion", &[r.open, r.untouched]).await;
}

#[tokio::test]
async fn a_changed_content_shows() {
    let r = register().await;
    r.sql(&format!(
        "UPDATE petition_content SET content = 'Tôi không khiếu nại gì.' WHERE petition_id = {}",
        r.open
    ))
    .await;
    r.expect_named(r.open, None, "its content differs", &[r.resolved, r.untouched]).await;
}

#[tokio::test]
async fn a_party_written_in_clear_shows() {
    let r = register().await;
    r.sql(&format!(
        "UPDATE petition_party SET address = 'Số 1 phố Khác' WHERE petition_id = {}",
        r.untouched
    ))
    .await;
    r.expect_named(r.untouched, None, "does not open under the data key", &[r.resolved, r.open]).await;
}

/// An insider without the data key cannot write a name that opens, but can move sealed values
/// between rows (they open: the key and the field are the same): the digest over the clear values
/// still shows it.
#[tokio::test]
async fn a_party_given_another_case_s_sealed_name_shows() {
    let r = register().await;
    r.sql(&format!(
        "UPDATE petition_party SET full_name = (SELECT full_name FROM petition_party WHERE petition_id = {}) \
         WHERE petition_id = {}",
        r.resolved, r.untouched
    ))
    .await;
    r.expect_named(r.untouched, None, "its parties differ", &[r.resolved, r.open]).await;
}

#[tokio::test]
async fn a_deleted_case_shows() {
    let r = register().await;
    let id = r.resolved;
    let mut tables =
        vec!["notice", "deadline", "petition_event", "petition_party", "petition_content", "identity_access"];
    if on_postgres() {
        tables.push("petition_search");
    }
    for table in tables {
        r.sql(&format!("DELETE FROM {table} WHERE petition_id = {id}")).await;
    }
    r.sql(&format!("DELETE FROM petition WHERE id = {id}")).await;
    r.expect_named(
        id,
        Some(4),
        "the case was deleted: seal #1 recorded its event #4",
        &[r.open, r.untouched],
    )
    .await;
}

#[tokio::test]
async fn a_chain_recomputed_with_another_key_shows() {
    let r = register().await;
    let id = r.open;
    let other = Auditor::new(&[0x55; 32]);
    let mut prev = audit::GENESIS.to_owned();
    let mut anchor = prev.clone();
    for e in r.events(id).await {
        let hash = audit::event_hash(
            &other,
            &prev,
            e.petition_id,
            e.seq,
            e.at,
            e.actor_id,
            &e.actor_name,
            e.action,
            e.from_status,
            e.to_status,
            &e.changes,
            &e.facts,
        );
        petition_event::Entity::update_many()
            .col_expr(petition_event::Column::PrevHash, Expr::value(prev.clone()))
            .col_expr(petition_event::Column::Hash, Expr::value(hash.clone()))
            .filter(petition_event::Column::Id.eq(e.id))
            .exec(r.writer())
            .await
            .unwrap();
        if !audit::is_system_event(e.action, e.actor_id) {
            anchor.clone_from(&hash);
        }
        prev = hash;
    }
    r.sql(&format!("UPDATE petition SET event_head = '{anchor}' WHERE id = {id}")).await;
    r.expect_named(
        id,
        Some(1),
        "event #1 was altered (its keyed hash does not verify)",
        &[r.resolved, r.untouched],
    )
    .await;
    let report = r.verify().await;
    assert!(
        report
            .broken
            .iter()
            .any(|b| b.petition_id == id && b.reason.contains("is not the one seal #1 recorded"))
    );
}

#[tokio::test]
async fn a_backdated_receipt_shows() {
    // Moving the date of receipt moves every statutory clock of the case.
    let r = register().await;
    r.sql(&format!("UPDATE petition SET received_on = '2026-10-01' WHERE id = {}", r.open)).await;
    r.expect_named(r.open, None, "in: received_on", &[r.resolved, r.untouched]).await;
}

#[tokio::test]
async fn a_register_rolled_back_behind_its_head_shows_against_the_head_kept_outside() {
    let r = register().await;
    // A new case, sealed, and the head taken with it kept outside.
    let late = accepted(&r.o, denunciation()).await;
    let keys = &r.o.app.state.keys;
    let head: SignedHead = if on_postgres() {
        audit::seal::signed_head(r.writer(), &keys.audit, r.now()).await.unwrap()
    } else {
        let (ok, stdout, stderr) = binary(&r.o.app, &["audit-head"]);
        assert!(ok, "{stderr}");
        serde_json::from_str(stdout.trim()).unwrap()
    };
    assert_eq!(head.seq, 2);
    assert!(head.is_signed_by(&keys.audit));
    let file = r.o.app.config.data_dir.join("head.json");
    std::fs::write(&file, serde_json::to_string(&head).unwrap()).unwrap();
    let reader = &r.o.app.state.db.reader;
    assert!(audit::verify(reader, keys, Some(&head)).await.unwrap().is_intact());

    // The new case, its trail and the seal that recorded it removed: the rest still agrees.
    for table in
        ["notice", "deadline", "petition_event", "petition_party", "petition_content", "identity_access"]
    {
        r.sql(&format!("DELETE FROM {table} WHERE petition_id = {late}")).await;
    }
    if on_postgres() {
        r.sql(&format!("DELETE FROM petition_search WHERE petition_id = {late}")).await;
    }
    r.sql(&format!("DELETE FROM petition WHERE id = {late}")).await;
    r.sql("DELETE FROM audit_seal WHERE seq = 2").await;
    assert!(r.verify().await.is_intact(), "without the head kept outside, nothing shows");
    let report = audit::verify(reader, keys, Some(&head)).await.unwrap();
    assert!(report.register.iter().any(|p| p.contains("no longer holds seal #2")), "{report:?}");
    // A head signed with another key is no evidence.
    let forged = SignedHead { mac: "00".repeat(32), ..head.clone() };
    let report = audit::verify(reader, keys, Some(&forged)).await.unwrap();
    assert!(report.register.iter().any(|p| p.contains("not signed")), "{report:?}");
    if !on_postgres() {
        let (ok, _, stderr) = binary(&r.o.app, &["verify-audit", "--head", file.to_str().unwrap()]);
        assert!(!ok, "{stderr}");
        assert!(stderr.contains("no longer holds seal #2"), "{stderr}");
    }
}

#[tokio::test]
async fn seals_record_each_changed_case_once_and_chain() {
    let r = register().await;
    // Nothing new: no seal.
    let keys = &r.o.app.state.keys;
    assert_eq!(audit::seal::seal(r.writer(), &keys.audit, r.now()).await.unwrap().seals, 0);
    r.o.act(&r.o.inspector, r.open, json!({"action": "suspend", "reason": "Chờ giám định"}))
        .await
        .expect(200);
    let done = audit::seal::seal(r.writer(), &keys.audit, r.now()).await.unwrap();
    assert_eq!((done.seals, done.events), (1, 1));
    let (seq, _) = audit::seal::last_seal(r.writer()).await.unwrap().unwrap();
    assert_eq!(seq, 2);
    // A seal altered shows, by its number.
    r.sql("UPDATE audit_seal SET events = 5 WHERE seq = 1").await;
    let report = r.verify().await;
    assert!(report.register.iter().any(|p| p.contains("seal #1 was altered")), "{report:?}");
}

/// One event of a trail as the register wrote it before the hashes were keyed.
struct OldEvent {
    actor: Option<&'static str>,
    action: EventAction,
    from: Option<&'static str>,
    to: Option<&'static str>,
    changes: &'static str,
}

/// Writes `events` as an old trail of case `id` (plain SHA-256, no facts), the first `altered`
/// of them changed after they were hashed; returns the hash of the last one written by a change
/// of the case and how many such there are (what the case row anchored).
async fn old_trail(
    db: &DatabaseConnection,
    id: i64,
    events: &[OldEvent],
    altered: Option<i32>,
    at: DateTime<Utc>,
) -> (String, i32) {
    use sea_orm::Value;
    let backend = db.get_database_backend();
    let mut prev = audit::GENESIS.to_owned();
    let mut anchor = (prev.clone(), 0);
    for (i, e) in events.iter().enumerate() {
        let seq = i32::try_from(i).unwrap() + 1;
        let mut model = petition_event::Model {
            id: 0,
            petition_id: id,
            seq,
            at,
            actor_id: None,
            actor_name: e.actor.unwrap_or("Hệ thống").to_owned(),
            action: e.action,
            from_status: e.from.map(|s| s.parse().unwrap()),
            to_status: e.to.map(|s| s.parse().unwrap()),
            changes: e.changes.to_owned(),
            prev_hash: prev.clone(),
            hash: String::new(),
            facts: String::new(),
            sealed: None,
        };
        model.hash = audit::legacy::event_hash(&prev, &model);
        if e.actor.is_some() {
            anchor = (model.hash.clone(), anchor.1 + 1);
        }
        prev = model.hash.clone();
        if altered == Some(seq) {
            model.actor_name = "Người khác".to_owned();
        }
        let values: Vec<Value> = vec![
            id.into(),
            seq.into(),
            at.into(),
            model.actor_name.into(),
            e.action.as_str().into(),
            e.from.map(str::to_owned).into(),
            e.to.map(str::to_owned).into(),
            model.changes.into(),
            model.prev_hash.into(),
            model.hash.into(),
        ];
        db.execute_raw(tiepdan::db::sql::statement(
            backend,
            "INSERT INTO petition_event (petition_id, seq, at, actor_id, actor_name, action, from_status, \
             to_status, changes, prev_hash, hash) VALUES ({1}, {2}, {3}, NULL, {4}, {5}, {6}, {7}, {8}, {9}, {10})",
            values,
        ))
        .await
        .unwrap();
    }
    anchor
}

/// Writes a case of the schema before issue 13 (migration 000008): the row, its content, a
/// petitioner, and its old trail.
async fn old_case(db: &DatabaseConnection, id: i64, agency: i64, altered: Option<i32>) {
    use sea_orm::Value;
    use tiepdan::db::sql::statement;
    let backend = db.get_database_backend();
    let now = crate::support::default_now();
    let received_on = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    let events = [
        OldEvent {
            actor: Some("Cán bộ tiếp dân"),
            action: EventAction::Receive,
            from: None,
            to: Some("received"),
            changes: r#"{"kind":"complaint"}"#,
        },
        OldEvent {
            actor: Some("Thanh tra viên"),
            action: EventAction::Accept,
            from: Some("received"),
            to: Some("accepted"),
            changes: r#"{"on":"2026-11-23"}"#,
        },
        OldEvent {
            actor: None,
            action: EventAction::DeadlineRecomputed,
            from: None,
            to: None,
            changes: r#"{"day":"2026-12-02"}"#,
        },
    ];
    let values: Vec<Value> = vec![
        id.into(),
        agency.into(),
        format!("TD-OLD{id}").into(),
        received_on.into(),
        "Khiếu nại quyết định thu hồi đất".into(),
        now.into(),
    ];
    // The content column of 000002 had moved to petition_content in 000004.
    db.execute_raw(statement(
        backend,
        "INSERT INTO petition (id, agency_id, tracking_code, kind, channel, status, received_on, subject, \
         anonymous, signatories, skip_level, round, complexity, remote_area, rule_set, version, event_head, \
         created_at, updated_at) VALUES ({1}, {2}, {3}, 'complaint', 'in_person', 'accepted', {4}, {5}, \
         false, 1, false, 1, 'none', false, '2026-07', 0, '', {6}, {6})",
        values,
    ))
    .await
    .unwrap();
    db.execute_raw(statement(
        backend,
        "INSERT INTO petition_content (petition_id, content) VALUES ({1}, {2})",
        vec![id.into(), "Tôi khiếu nại quyết định thu hồi đất số 12/QĐ-UBND.".into()],
    ))
    .await
    .unwrap();
    db.execute_raw(statement(
        backend,
        "INSERT INTO petition_party (petition_id, role, full_name, id_number, address) \
         VALUES ({1}, 'petitioner', {2}, {3}, {4})",
        vec![id.into(), "Lê Văn Cũ".into(), "001099001122".into(), "Tổ 1, phường Mẫu".into()],
    ))
    .await
    .unwrap();
    let (head, version) = old_trail(db, id, &events, altered, now).await;
    db.execute_raw(statement(
        backend,
        "UPDATE petition SET version = {1}, event_head = {2} WHERE id = {3}",
        vec![version.into(), head.into(), id.into()],
    ))
    .await
    .unwrap();
}

#[tokio::test]
async fn an_old_register_is_checked_with_the_old_algorithm_and_anchored_once_under_the_key() {
    use migration::{Migrator, MigratorTrait};
    use tiepdan::{db::Db, entity::setting, service::audit::legacy};

    // A register of the version before: the schema up to 000008, two cases with old trails, the
    // second one's edited before the change.
    let dir = tempfile::tempdir().unwrap();
    let url = crate::support::fresh_database_url(dir.path()).await;
    let old = Db::connect(&url, 2).await.unwrap();
    Migrator::up(&old.writer, Some(8)).await.unwrap();
    let (agency, intact, edited) = (1001i64, 1001i64, 1002i64);
    old.writer
        .execute_unprepared(&format!(
            "INSERT INTO agency (id, name, level, parent_id, created_at) \
             VALUES ({agency}, 'UBND xã Cũ', 'commune', NULL, '2026-01-01T00:00:00Z')"
        ))
        .await
        .unwrap();
    old_case(&old.writer, intact, agency, None).await;
    old_case(&old.writer, edited, agency, Some(2)).await;
    old.close().await;

    // The first start of this version migrates and anchors.
    let config = crate::support::test_config(dir.path(), url);
    let app = TestApp::with_config(config.clone(), dir).await;
    let keys = &app.state.keys;
    let reader = &app.state.db.reader;
    let report = audit::verify_all(reader, keys).await.unwrap();
    assert_eq!(report.checked, 2);
    assert_eq!(
        report.broken.iter().map(|b| (b.petition_id, b.event, b.reason.as_str())).collect::<Vec<_>>(),
        [(edited, Some(2), "event #2 was altered")],
        "the old events are checked with the old algorithm"
    );
    let trail = audit::trail(reader, intact).await.unwrap();
    assert_eq!(trail.len(), 4);
    let anchor = &trail[3];
    assert_eq!(anchor.action, EventAction::AuditAnchored);
    assert_eq!((anchor.actor_id, anchor.prev_hash.as_str()), (None, trail[2].hash.as_str()));
    assert!(trail[..3].iter().all(|e| e.facts.is_empty()) && !anchor.facts.is_empty());
    let changes: serde_json::Value = serde_json::from_str(&anchor.changes).unwrap();
    assert_eq!(changes["old_chain"], "intact");
    assert_eq!(changes["old_events"], 3);
    let facts = audit::Facts::parse(&anchor.facts).unwrap();
    assert_eq!((facts.status.as_str(), facts.round, facts.agency), ("accepted", 1, agency));
    let edited_trail = audit::trail(reader, edited).await.unwrap();
    let changes: serde_json::Value = serde_json::from_str(&edited_trail[3].changes).unwrap();
    assert_eq!(changes["old_chain"], "broken at event #2");
    assert!(
        setting::Entity::find_by_id(legacy::ANCHORED_SETTING.to_owned()).one(reader).await.unwrap().is_some()
    );

    // Once: a restart anchors nothing more.
    tiepdan::startup::prepare(&config, std::sync::Arc::new(app.clock.clone())).await.unwrap();
    assert_eq!(audit::trail(reader, intact).await.unwrap().len(), 4);

    // The register goes on after the anchor: its trail shown, a step taken, all still verified.
    let admin = app.admin().await;
    app.post(
        "/api/v1/users",
        Some(&admin),
        json!({"username": "chutichcu", "password": "Sổ tiếp dân 2026", "full_name": "Chủ tịch xã Cũ",
               "role": "chairman", "agency_id": agency}),
    )
    .await
    .expect(201);
    let chairman = app.login("chutichcu", "Sổ tiếp dân 2026").await;
    let shown =
        app.get(&format!("/api/v1/petitions/{intact}/events"), Some(&chairman)).await.expect(200).body;
    assert_eq!(shown[3]["action"], "audit_anchored");
    app.post(
        &format!("/api/v1/petitions/{intact}/actions"),
        Some(&chairman),
        json!({"action": "resolve", "result": "Giữ nguyên quyết định.", "conclusion": "wrong"}),
    )
    .await
    .expect(200);
    audit::seal::seal(&app.state.db.writer, &keys.audit, app.clock.now()).await.unwrap();
    let report = audit::verify_all(reader, keys).await.unwrap();
    assert!(report.broken.iter().all(|b| b.petition_id == edited), "{report:?}");

    // An old event edited after the anchor shows, with the old algorithm.
    app.state
        .db
        .writer
        .execute_unprepared(&format!(
            "UPDATE petition_event SET changes = '{{\"kind\":\"denunciation\"}}' WHERE petition_id = {intact} AND seq = 1"
        ))
        .await
        .unwrap();
    let report = audit::verify_all(reader, keys).await.unwrap();
    assert!(
        report
            .broken
            .iter()
            .any(|b| b.petition_id == intact && b.event == Some(1) && b.reason == "event #1 was altered"),
        "{report:?}"
    );
}

/// A recomputation changes no fact of its case, so its event states none
/// (`audit::UNCHANGED`): the facts in force are the last ones stated, carried forward. A case row
/// edited after it still differs from them.
#[tokio::test]
async fn a_row_edited_after_an_event_that_states_no_facts_shows() {
    let r = register().await;
    let id = r.open;
    let last = r.events(id).await.pop().unwrap();
    assert_eq!(last.action, EventAction::DeadlineRecomputed);
    assert_eq!(last.facts, audit::UNCHANGED, "a recomputation states no facts");
    r.sql(&format!("UPDATE petition SET round = 2 WHERE id = {id}")).await;
    r.expect_named(
        id,
        None,
        &format!("the case row differs from its last event (#{}) in: round", last.seq),
        &[r.resolved, r.untouched],
    )
    .await;
}

/// Facts of one's choosing written in place of an event's `UNCHANGED` (to make an edited row
/// match) break that event's keyed hash.
#[tokio::test]
async fn facts_written_over_an_event_that_stated_none_show() {
    let r = register().await;
    let id = r.open;
    let events = r.events(id).await;
    let last = events.last().unwrap();
    assert_eq!(last.facts, audit::UNCHANGED);
    let stated = events.iter().rev().find(|e| e.facts != audit::UNCHANGED).unwrap();
    let mut facts = audit::Facts::parse(&stated.facts).unwrap();
    facts.round = 2;
    r.sql(&format!(
        "UPDATE petition_event SET facts = '{}' WHERE petition_id = {id} AND seq = {}",
        facts.to_text().unwrap(),
        last.seq
    ))
    .await;
    r.sql(&format!("UPDATE petition SET round = 2 WHERE id = {id}")).await;
    r.expect_named(
        id,
        Some(last.seq),
        &format!("event #{} was altered", last.seq),
        &[r.resolved, r.untouched],
    )
    .await;
}
