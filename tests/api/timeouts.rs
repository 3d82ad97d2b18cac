//! Runtime bounds (issue 14): a request's database work ends with the request (its timeout, or
//! its client gone), freeing its connection at once; a stopping server waits for the requests in
//! flight only for its grace period.

use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Statement, TransactionTrait};
use tiepdan::{
    build_router,
    db::budget::{self, Budget},
    error::AppError,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::support::{TestApp, fresh_database_url, on_postgres, test_config};

/// The request timeout of these tests' apps.
const TIMEOUT: Duration = Duration::from_secs(1);

/// An app whose requests may take [`TIMEOUT`], with two readers (two connections on PostgreSQL).
async fn app() -> TestApp {
    app_timing_out_after(TIMEOUT).await
}

/// An app whose requests may take `timeout`, with two readers (two connections on PostgreSQL).
async fn app_timing_out_after(timeout: Duration) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(dir.path()).await;
    let mut config = test_config(dir.path(), url);
    config.request_timeout_secs = timeout.as_secs();
    config.db_pool = 2;
    TestApp::with_config(config, dir).await
}

/// A statement that would count for many minutes.
fn slow(app: &TestApp) -> Statement {
    Statement::from_string(
        app.state.db.reader.get_database_backend(),
        "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 1000000000) \
         SELECT COUNT(*) FROM c",
    )
}

/// A quick read on the readers, timed: it must not wait for a connection.
async fn quick_read(app: &TestApp) -> Duration {
    let started = Instant::now();
    let db = &app.state.db.reader;
    db.query_one_raw(Statement::from_string(db.get_database_backend(), "SELECT 1")).await.unwrap();
    started.elapsed()
}

#[tokio::test]
async fn a_statement_past_the_request_timeout_stops_with_a_timeout_and_frees_its_connection() {
    let app = app().await;
    let started = Instant::now();
    let reader = app.state.db.reader.clone();
    let statement = slow(&app);
    let failed = budget::scoped(Budget::new(TIMEOUT), async move { reader.query_one_raw(statement).await })
        .await
        .expect_err("the slow statement must be stopped");
    let took = started.elapsed();
    let error = AppError::from(failed);
    assert_eq!(error.code(), "timeout", "{error:?}");
    assert_eq!(error.status().as_u16(), 408);
    assert!(took >= TIMEOUT && took < TIMEOUT + Duration::from_secs(3), "stopped after {took:?}");
    // Both connections answer at once.
    let (a, b) = tokio::join!(quick_read(&app), quick_read(&app));
    assert!(a.max(b) < Duration::from_millis(500), "{a:?} {b:?}");
}

#[tokio::test]
async fn statements_of_dropped_requests_stop_and_free_every_connection() {
    let app = app().await;
    // Every connection busy with a request's slow statement, under a budget far longer than the
    // request timeout; the requests are then dropped, as the timeout layer or a client gone does.
    let requests: Vec<_> = (0..2)
        .map(|_| {
            let reader = app.state.db.reader.clone();
            let statement = slow(&app);
            tokio::spawn(budget::scoped(Budget::new(Duration::from_secs(600)), async move {
                reader.query_one_raw(statement).await
            }))
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(300)).await;
    for request in &requests {
        request.abort();
    }
    // SQLite stops them at once; PostgreSQL at its `statement_timeout`, the request timeout.
    let waited = quick_read(&app).await;
    assert!(waited < TIMEOUT + Duration::from_secs(2), "a connection came free after {waited:?}");
    let (a, b) = tokio::join!(quick_read(&app), quick_read(&app));
    assert!(a.max(b) < Duration::from_millis(500), "{a:?} {b:?}");
}

/// SQLite: a connection last armed for a request that ran out of time does not stop the work
/// of whoever uses it next outside a request (a background task, a maintenance command). On
/// PostgreSQL every statement has the request timeout (`statement_timeout`).
#[tokio::test]
async fn work_outside_a_request_is_never_cut_short() {
    if on_postgres() {
        return;
    }
    let app = app().await;
    let reader = app.state.db.reader.clone();
    let statement = slow(&app);
    let spent =
        budget::scoped(Budget::new(Duration::ZERO), async move { reader.query_one_raw(statement).await });
    assert!(spent.await.is_err());
    // Counting to twenty million takes longer than the request timeout, and runs on.
    let db = &app.state.db.reader;
    let count = Statement::from_string(
        db.get_database_backend(),
        "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 20000000) \
         SELECT COUNT(*) AS n FROM c",
    );
    let started = Instant::now();
    let (a, b) = tokio::join!(db.query_one_raw(count.clone()), db.query_one_raw(count));
    for row in [a, b] {
        assert_eq!(
            row.expect("no budget, no limit").unwrap().try_get_by_index::<i64>(0).unwrap(),
            20_000_000
        );
    }
    eprintln!("counted outside a request in {:?}", started.elapsed());
}

#[tokio::test]
async fn a_stopping_server_waits_for_a_stuck_request_only_its_grace() {
    // A request that would wait half a minute for a connection.
    let app = app_timing_out_after(Duration::from_secs(30)).await;
    // The readers held, so that `GET /health` waits for one.
    let held = (app.state.db.reader.begin().await.unwrap(), app.state.db.reader.begin().await.unwrap());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let grace = Duration::from_secs(1);
    let server = tokio::spawn(tiepdan::app::serve_until(
        listener,
        build_router(app.state.clone()),
        async move {
            let _ = stopped.await;
        },
        grace,
    ));
    let mut client = tokio::net::TcpStream::connect(addr).await.unwrap();
    client.write_all(b"GET /health HTTP/1.1\r\nhost: localhost\r\n\r\n").await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = Instant::now();
    stop.send(()).unwrap();
    let served = tokio::time::timeout(grace + Duration::from_secs(3), server)
        .await
        .expect("the server must stop within its grace");
    served.unwrap().unwrap();
    let took = started.elapsed();
    assert!(took >= grace && took < grace + Duration::from_secs(2), "stopped after {took:?}");
    drop(held);
    let mut rest = Vec::new();
    let _ = tokio::time::timeout(Duration::from_millis(100), client.read_to_end(&mut rest)).await;
}

/// What arming a connection for each request costs (one more round trip to SQLite's worker thread
/// per connection handed out): quick reads through the readers, under a budget, against the same
/// reads through a pool without the hooks. A measurement, not a check:
/// `cargo test --test api arming_cost -- --ignored --nocapture`.
#[tokio::test]
#[ignore]
async fn arming_cost() {
    if on_postgres() {
        return;
    }
    let app = app_timing_out_after(Duration::from_secs(30)).await;
    let url = app.config.database_url.clone().unwrap();
    let mut plain = sea_orm::ConnectOptions::new(url);
    plain.max_connections(2).sqlx_logging(false);
    let plain = sea_orm::Database::connect(plain).await.unwrap();
    let reads = 20_000;
    let select = |db: &sea_orm::DatabaseConnection| {
        Statement::from_string(db.get_database_backend(), "SELECT id FROM agency WHERE id = 1")
    };
    for round in 0..2 {
        let started = Instant::now();
        for _ in 0..reads {
            plain.query_one_raw(select(&plain)).await.unwrap();
        }
        let bare = started.elapsed();
        let reader = app.state.db.reader.clone();
        let started = Instant::now();
        for _ in 0..reads {
            let r = reader.clone();
            let s = select(&r);
            budget::scoped(Budget::new(TIMEOUT), async move { r.query_one_raw(s).await }).await.unwrap();
        }
        let armed = started.elapsed();
        eprintln!(
            "round {round}: {reads} reads: {:.1} µs each without the hooks, {:.1} µs each armed",
            bare.as_secs_f64() * 1e6 / f64::from(reads),
            armed.as_secs_f64() * 1e6 / f64::from(reads)
        );
    }
}
