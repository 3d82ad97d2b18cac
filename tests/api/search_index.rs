//! Search answered inside the full-text index (issue 14): each agency's matches only, counted in
//! the index, pages walked newest first by cursor; and a register whose index table changed
//! (migration 000015) gets every case's entry written again at its next start.

use std::sync::Arc;

use serde_json::{Value, json};
use tiepdan::startup;

use crate::{
    petitions::{complaint, office},
    support::TestApp,
};

/// A second agency with a chairman and a receptionist: (chairman's token, receptionist's token).
async fn neighbour(app: &TestApp, admin: &str) -> (String, String) {
    let other = app
        .post("/api/v1/agencies", Some(admin), json!({"name": "UBND xã Bên Cạnh", "level": "commune"}))
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    let mut tokens = Vec::new();
    for (username, role) in [("chutich.bc", "chairman"), ("tiepdan.bc", "receptionist")] {
        app.post(
            "/api/v1/users",
            Some(admin),
            json!({"username": username, "password": "Sổ tiếp dân 2026", "full_name": format!("Cán bộ {username}"),
                   "role": role, "agency_id": other}),
        )
        .await
        .expect(201);
        tokens.push(app.login(username, "Sổ tiếp dân 2026").await);
    }
    (tokens.remove(0), tokens.remove(0))
}

fn ids(page: &Value) -> Vec<i64> {
    page["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect()
}

async fn search(app: &TestApp, token: &str, query: &str) -> Value {
    app.get(&format!("/api/v1/petitions?{query}"), Some(token)).await.expect(200).body
}

#[tokio::test]
async fn each_agency_finds_and_counts_its_own_matches_only() {
    let o = office().await;
    let (their_chairman, their_desk) = neighbour(&o.app, &o.admin).await;
    let mut ours = Vec::new();
    for i in 0..5 {
        let mut body = complaint();
        body["subject"] = json!(format!("Khiếu nại thu hồi đất thửa {i}"));
        ours.push(o.file(&o.desk, body).await["id"].as_i64().unwrap());
        // The neighbour registers the same words, more of them, in between.
        for _ in 0..2 {
            o.app.post("/api/v1/petitions", Some(&their_desk), complaint()).await.expect(201);
        }
    }
    ours.reverse();
    // A plain search: counted in the index, the agency's own only, newest first.
    let page = search(&o.app, &o.chairman, "q=thu%20hoi%20dat").await;
    assert_eq!((page["total"].clone(), page["total_capped"].clone()), (json!(5), json!(false)));
    assert_eq!(ids(&page), ours);
    let theirs = search(&o.app, &their_chairman, "q=thu%20hoi%20dat").await;
    assert_eq!(theirs["total"], 10);
    assert!(ids(&theirs).iter().all(|id| !ours.contains(id)), "no case of another agency");
    // By name, through the blind tokens, and by a word's prefix.
    assert_eq!(search(&o.app, &o.chairman, "q=nguyen%20van%20an").await["total"], 5);
    assert_eq!(
        search(&o.app, &o.chairman, "q=khi%20thu%20h").await["total"],
        0,
        "one letter is a whole word"
    );
    assert_eq!(search(&o.app, &o.chairman, "q=khi%20thu%20hoi").await["total"], 5);
    // Pages by cursor walk the same matches.
    let first = search(&o.app, &o.chairman, "q=thu%20hoi%20dat&per_page=2").await;
    assert_eq!(ids(&first), ours[..2]);
    let after = first["next_after"].as_str().unwrap().to_owned();
    let second = search(&o.app, &o.chairman, &format!("q=thu%20hoi%20dat&per_page=2&after={after}")).await;
    assert_eq!(ids(&second), ours[2..4]);
    assert_eq!(second["total"], 5);
    // With another filter the count reads the cases: the same figure.
    let filtered = search(&o.app, &o.chairman, "q=thu%20hoi%20dat&kind=complaint").await;
    assert_eq!((filtered["total"].clone(), ids(&filtered)), (json!(5), ours.clone()));
    assert_eq!(search(&o.app, &o.chairman, "q=thu%20hoi%20dat&kind=denunciation").await["total"], 0);
}

#[tokio::test]
async fn a_register_whose_index_table_changed_is_indexed_again_at_start() {
    use migration::{Migrator, MigratorTrait};
    let o = office().await;
    let id = o.file(&o.desk, complaint()).await["id"].as_i64().unwrap();
    let found = |page: Value| (page["total"].clone(), ids(&page));
    assert_eq!(found(search(&o.app, &o.chairman, "q=nguyen%20van%20an").await), (json!(1), vec![id]));
    // Back before the migration and up again, as an upgrade from the version before would run it.
    let db = &o.app.state.db.writer;
    Migrator::down(db, Some(1)).await.unwrap();
    Migrator::up(db, None).await.unwrap();
    // On SQLite the index is empty until the next start writes it again (names need the key);
    // PostgreSQL's is filled by the migration itself.
    startup::prepare(&o.app.config, Arc::new(o.app.clock.clone())).await.unwrap();
    for q in ["nguyen%20van%20an", "thu%20hoi%20dat", "khieu%20nai"] {
        assert_eq!(found(search(&o.app, &o.chairman, &format!("q={q}")).await), (json!(1), vec![id]), "{q}");
    }
    // The mark is gone: a later start writes nothing.
    use sea_orm::EntityTrait;
    let mark =
        tiepdan::entity::setting::Entity::find_by_id("search_index_stale".to_owned()).one(db).await.unwrap();
    assert!(mark.is_none());
}
