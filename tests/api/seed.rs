//! `tiepdan seed`: a small seeded register, read back through the API as staff would read it.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::Value;
use tiepdan::{
    domain::{
        petition::{Kind, Status},
        text,
    },
    entity::{petition, petition_event, user},
    service::{
        audit, identity,
        seed::{self, Options},
    },
};

use crate::support::TestApp;

const PETITIONS: u64 = 2_000;

async fn seeded() -> (TestApp, seed::Seeded) {
    let app = TestApp::new().await;
    let now = app.state.clock.now();
    let seeded = seed::seed(&app.state, Options { petitions: PETITIONS, seed: 7 }, now).await.expect("seed");
    (app, seeded)
}

fn share<K: Ord>(counts: &std::collections::BTreeMap<K, u64>, key: K) -> f64 {
    counts.get(&key).copied().unwrap_or(0) as f64 / PETITIONS as f64
}

async fn account(app: &TestApp, username: &str) -> user::Model {
    user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(&app.state.db.reader)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no account {username}"))
}

#[tokio::test]
async fn a_seeded_register_is_plausible_and_every_trail_verifies() {
    let (app, seeded) = seeded().await;
    let c = &seeded.counts;
    assert_eq!(c.petitions, PETITIONS);
    let db = &app.state.db.reader;
    assert_eq!(petition::Entity::find().count(db).await.unwrap(), PETITIONS);
    // Kinds in their proportions, every state the workflow reaches, mostly closed over ten years.
    for (kind, lo, hi) in [
        (Kind::Complaint, 0.15, 0.35),
        (Kind::Denunciation, 0.04, 0.15),
        (Kind::Recommendation, 0.22, 0.45),
        (Kind::Feedback, 0.22, 0.45),
    ] {
        let s = share(&c.by_kind, kind);
        assert!((lo..hi).contains(&s), "{kind}: {s}");
    }
    for status in Status::ALL {
        assert!(c.by_status.get(status).copied().unwrap_or(0) > 0, "no {status} case: {:?}", c.by_status);
    }
    assert!(share(&c.by_status, Status::Resolved) > 0.4, "{:?}", c.by_status);
    assert!(c.events > 2 * PETITIONS && c.clocks > 2 * PETITIONS, "{c:?}");
    assert!(seeded.agencies >= 4 && seeded.accounts > 40);
    // Sealed as a running register is: nothing left for the first server to seal.
    let unsealed = petition_event::Entity::find()
        .filter(petition_event::Column::Sealed.is_null())
        .count(db)
        .await
        .unwrap();
    assert_eq!(unsealed, 0, "every seeded event is sealed");
    // Every trail verifies under the audit key, against its row, content and parties.
    let report = audit::verify(db, &app.state.keys, None).await.unwrap();
    assert!(report.is_intact(), "{:?}", &report.broken[..report.broken.len().min(5)]);
    assert_eq!(report.checked, PETITIONS);
    // A denunciation is confidential, and so is every case of its family.
    let denunciations =
        petition::Entity::find().filter(petition::Column::Kind.eq(Kind::Denunciation)).all(db).await.unwrap();
    assert!(denunciations.iter().all(|d| d.confidential));
    // Tracking codes are unique and typable.
    let all = petition::Entity::find().all(db).await.unwrap();
    let codes: std::collections::HashSet<&str> = all.iter().map(|p| p.tracking_code.as_str()).collect();
    assert_eq!(codes.len(), all.len());
    assert!(all.iter().all(|p| tiepdan::domain::petition::tracking_code::parse(&p.tracking_code).is_some()));
    // Cases made from cases: second-round complaints and copies forwarded within the province.
    assert!(all.iter().any(|p| p.origin_id.is_some() && p.family_id.is_some()));
}

#[tokio::test]
async fn staff_read_the_seeded_register_through_the_api() {
    let (app, seeded) = seeded().await;
    let db = &app.state.db.reader;
    let chairman = app.login(&seeded.chairman, seeded.password).await;
    let province = account(&app, &seeded.chairman).await.agency_id.unwrap();

    let page = app.get("/api/v1/petitions?per_page=50", Some(&chairman)).await.expect(200);
    assert!(page.body["total"].as_u64().unwrap() > 100, "{}", page.body["total"]);
    assert_eq!(page.body["items"].as_array().unwrap().len(), 50);

    // A complaint with its petitioner, as the chairman sees it.
    let complaint = petition::Entity::find()
        .filter(petition::Column::AgencyId.eq(province))
        .filter(petition::Column::Kind.eq(Kind::Complaint))
        .filter(petition::Column::Anonymous.eq(false))
        .filter(petition::Column::Confidential.eq(false))
        .order_by_desc(petition::Column::Id)
        .one(db)
        .await
        .unwrap()
        .expect("a complaint at the province");
    let view = app.get(&format!("/api/v1/petitions/{}", complaint.id), Some(&chairman)).await.expect(200);
    let name = view.body["petitioner"]["full_name"].as_str().expect("the petitioner shown").to_owned();
    let parties = identity::parties_of(db, &app.state.keys.data, complaint.id).await.unwrap();
    assert_eq!(parties[0].person.full_name, name);
    let trail =
        app.get(&format!("/api/v1/petitions/{}/events", complaint.id), Some(&chairman)).await.expect(200);
    assert_eq!(trail.body.as_array().unwrap().len() as i32, complaint.version);

    // Search finds the petitioner's name with and without diacritics.
    for q in [name.clone(), text::fold(&name)] {
        let url = format!("/api/v1/petitions?per_page=200&q={}", urlencode(&q));
        let found = app.get(&url, Some(&chairman)).await.expect(200);
        let ids: Vec<i64> =
            found.body["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect();
        assert!(ids.contains(&complaint.id), "{q} did not find case {}", complaint.id);
    }

    // An inspector's inbox lists his open cases.
    let open = petition::Entity::find()
        .filter(petition::Column::AgencyId.eq(province))
        .filter(petition::Column::Status.is_in([Status::Received, Status::Accepted, Status::Suspended]))
        .filter(petition::Column::AssigneeId.is_not_null())
        .one(db)
        .await
        .unwrap()
        .expect("an open routed case at the province");
    let handler = user::Entity::find_by_id(open.assignee_id.unwrap()).one(db).await.unwrap().unwrap();
    let token = app.login(&handler.username, seeded.password).await;
    let inbox = app.get("/api/v1/inbox?per_page=200", Some(&token)).await.expect(200);
    let ids: Vec<i64> =
        inbox.body["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect();
    assert!(ids.contains(&open.id), "inbox of {}: {ids:?}", handler.username);

    // A denunciation's identity: the chairman sees it, an inspector who neither received nor
    // handles it does not.
    let denunciations = petition::Entity::find()
        .filter(petition::Column::AgencyId.eq(province))
        .filter(petition::Column::Kind.eq(Kind::Denunciation))
        .filter(petition::Column::Anonymous.eq(false))
        .all(db)
        .await
        .unwrap();
    let inspectors = user::Entity::find()
        .filter(user::Column::AgencyId.eq(province))
        .filter(user::Column::Role.eq(tiepdan::auth::Role::Inspector))
        .all(db)
        .await
        .unwrap();
    let (case, outsider) = denunciations
        .iter()
        .find_map(|d| {
            inspectors
                .iter()
                .find(|i| d.assignee_id != Some(i.id) && d.received_by != Some(i.id))
                .map(|i| (d.clone(), i.clone()))
        })
        .expect("a denunciation and an inspector outside it");
    let path = format!("/api/v1/petitions/{}", case.id);
    let seen = app.get(&path, Some(&chairman)).await.expect(200);
    assert!(seen.body["petitioner"]["full_name"].is_string(), "{}", seen.body);
    let token = app.login(&outsider.username, seeded.password).await;
    let hidden = app.get(&path, Some(&token)).await.expect(200);
    assert!(hidden.body.get("petitioner").is_none_or(Value::is_null), "{}", hidden.body);
    assert!(!hidden.body.to_string().contains(seen.body["petitioner"]["full_name"].as_str().unwrap()));

    // Counts by status agree with the register's own list.
    let mut listed = HashMap::new();
    for status in ["received", "resolved"] {
        let a = app
            .get(&format!("/api/v1/petitions?status={status}&per_page=1"), Some(&chairman))
            .await
            .expect(200);
        listed.insert(status, a.body["total"].as_u64().unwrap());
    }
    let resolved = petition::Entity::find()
        .filter(petition::Column::AgencyId.eq(province))
        .filter(petition::Column::Status.eq(Status::Resolved))
        .count(db)
        .await
        .unwrap();
    assert_eq!(listed["resolved"], resolved);
}

#[tokio::test]
async fn seeding_a_register_that_holds_petitions_is_refused() {
    let (app, _) = seeded().await;
    let now = app.state.clock.now();
    let again = seed::seed(&app.state, Options { petitions: 10, seed: 1 }, now).await;
    match again {
        Err(seed::SeedError::NotEmpty(held)) => {
            assert_eq!(held, PETITIONS);
            let message = seed::SeedError::NotEmpty(held).to_string();
            assert!(message.contains("2000 petitions") && message.contains("empty database"), "{message}");
        }
        other => panic!("seeding again was not refused: {:?}", other.map(|s| s.counts)),
    }
    assert_eq!(petition::Entity::find().count(&app.state.db.reader).await.unwrap(), PETITIONS);
}

fn urlencode(q: &str) -> String {
    form_urlencoded::byte_serialize(q.as_bytes()).collect()
}
