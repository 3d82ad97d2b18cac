//! Safe pages and slow clients (issue 18): every response carries its security headers, a page
//! its Content-Security-Policy; on a real socket, a client trickling its headers is cut off within
//! the header timeout, an idle connection within the idle timeout (keep-alive still serving
//! several requests on one connection), one client address holds at most its cap of connections
//! while another is served, and the binary stops on SIGTERM within its grace with such a client
//! connected.

use std::{
    net::SocketAddr,
    time::{Duration, Instant},
};

use tiepdan::{app::ServeOptions, build_router};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
    sync::oneshot,
    task::JoinHandle,
};

use crate::support::TestApp;

/// A server of a fresh app on a real socket, with `options`; dropped `stop` stops it.
struct Served {
    addr: SocketAddr,
    _app: TestApp,
    stop: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<std::io::Result<()>>>,
}

impl Drop for Served {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(server) = self.server.take() {
            server.abort();
        }
    }
}

async fn serve(options: ServeOptions) -> Served {
    let app = TestApp::new().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(tiepdan::app::serve_until(
        listener,
        build_router(app.state.clone()),
        async move {
            let _ = stopped.await;
        },
        options,
    ));
    Served { addr, _app: app, stop: Some(stop), server: Some(server) }
}

fn options() -> ServeOptions {
    ServeOptions {
        grace: Duration::from_secs(2),
        header_timeout: Duration::from_secs(10),
        idle_timeout: Duration::from_secs(30),
        max_per_address: Some(64),
    }
}

/// Sends `GET path` on `stream`, kept alive, and reads its one response: (status, body).
async fn get(stream: &mut TcpStream, path: &str) -> (u16, String) {
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        if let Some(end) = got.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&got[..end]).to_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map_or(0, |v| v.trim().parse().unwrap());
            if got.len() >= end + 4 + length {
                let status = head[9..12].parse().unwrap();
                return (status, String::from_utf8_lossy(&got[end + 4..end + 4 + length]).into_owned());
            }
        }
        let n = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut buf))
            .await
            .expect("an answer in time")
            .expect("read the answer");
        assert!(n > 0, "the connection closed before its answer: {}", String::from_utf8_lossy(&got));
        got.extend_from_slice(&buf[..n]);
    }
}

/// `GET /health` on a connection of its own, from `from` (`None`: any local address).
async fn health_from(addr: SocketAddr, from: Option<&str>) -> u16 {
    let mut stream = match from {
        None => TcpStream::connect(addr).await.unwrap(),
        Some(ip) => {
            let socket = tokio::net::TcpSocket::new_v4().unwrap();
            socket.bind(format!("{ip}:0").parse().unwrap()).unwrap();
            socket.connect(addr).await.unwrap()
        }
    };
    get(&mut stream, "/health").await.0
}

/// Reads what is left on `stream` until the server closes it, for at most `limit`: what came, and
/// when it closed (`None`: still open).
async fn until_closed(stream: &mut TcpStream, limit: Duration) -> (String, Option<Duration>) {
    let started = Instant::now();
    let mut got = Vec::new();
    let mut buf = [0u8; 1024];
    while started.elapsed() < limit {
        match tokio::time::timeout(limit - started.elapsed(), stream.read(&mut buf)).await {
            Ok(Ok(0) | Err(_)) => {
                return (String::from_utf8_lossy(&got).into_owned(), Some(started.elapsed()));
            }
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
            Err(_) => break,
        }
    }
    (String::from_utf8_lossy(&got).into_owned(), None)
}

#[tokio::test]
async fn every_page_carries_its_policy_and_every_answer_nosniff_and_no_framing() {
    let app = TestApp::new().await;
    let header = |a: &crate::support::Answer, name: &str| {
        a.headers.get(name).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default()
    };
    for path in ["/", "/can-bo/dang-nhap", "/khong-co-trang-nay", "/api/docs/"] {
        let page = app.get(path, None).await;
        assert!(header(&page, "content-type").starts_with("text/html"), "{path}");
        let policy = header(&page, "content-security-policy");
        for directive in
            ["script-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"]
        {
            assert!(policy.contains(directive), "{path}: {directive} in {policy}");
        }
        assert!(!policy.contains("unsafe-inline") && !policy.contains("unsafe-eval"), "{path}: {policy}");
        assert_eq!(header(&page, "x-frame-options"), "DENY", "{path}");
        assert_eq!(header(&page, "x-content-type-options"), "nosniff", "{path}");
        assert_eq!(header(&page, "referrer-policy"), "same-origin", "{path}");
    }
    // The API's answers, errors included: nosniff, and a policy under which nothing runs.
    for (path, status) in [("/health", 200), ("/api/v1/khong-co", 404), ("/api/v1/petitions", 401)] {
        let answer = app.get(path, None).await;
        assert_eq!(answer.status.as_u16(), status, "{path}");
        assert_eq!(header(&answer, "x-content-type-options"), "nosniff", "{path}");
        assert!(header(&answer, "content-security-policy").starts_with("default-src 'none'"), "{path}");
    }
    // A page revalidated from the cache keeps its policy (a 304's headers replace the cached ones).
    let first = app.get("/", None).await;
    let etag = header(&first, "etag");
    let revalidate =
        axum::http::Request::get("/").header("if-none-match", etag).body(axum::body::Body::empty()).unwrap();
    let again = tower::ServiceExt::oneshot(app.router.clone(), revalidate).await.unwrap();
    assert_eq!(again.status().as_u16(), 304);
    assert!(again.headers()["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"));
}

#[tokio::test]
async fn a_client_sending_a_header_line_every_two_seconds_is_cut_off_within_the_header_timeout() {
    let header_timeout = Duration::from_secs(3);
    let served = serve(ServeOptions { header_timeout, ..options() }).await;
    let mut slow = TcpStream::connect(served.addr).await.unwrap();
    let started = Instant::now();
    let mut cut = None;
    for line in 0..10 {
        let text =
            if line == 0 { "GET /health HTTP/1.1\r\n".to_owned() } else { format!("X-Line-{line}: 1\r\n") };
        if slow.write_all(text.as_bytes()).await.is_err() {
            cut = Some(started.elapsed());
            break;
        }
        let (answer, closed) = until_closed(&mut slow, Duration::from_secs(2)).await;
        if let Some(_at) = closed {
            assert!(!answer.contains(" 200 "), "no answer to headers never finished: {answer}");
            cut = Some(started.elapsed());
            break;
        }
    }
    let cut = cut.expect("the trickling client is cut off");
    eprintln!("a client trickling its headers cut off after {cut:?} (header timeout {header_timeout:?})");
    assert!(cut >= header_timeout - Duration::from_millis(100), "not before its time: {cut:?}");
    assert!(cut < header_timeout + Duration::from_millis(1500), "cut off after {cut:?}");
    // The server serves on.
    assert_eq!(health_from(served.addr, None).await, 200);
}

#[tokio::test]
async fn a_kept_alive_connection_serves_several_requests_then_is_closed_when_idle() {
    let idle_timeout = Duration::from_secs(1);
    let served = serve(ServeOptions { idle_timeout, ..options() }).await;
    let mut conn = TcpStream::connect(served.addr).await.unwrap();
    for round in 0..3 {
        if round > 0 {
            tokio::time::sleep(idle_timeout / 2).await;
        }
        assert_eq!(get(&mut conn, "/health").await.0, 200);
    }
    let (_, closed) = until_closed(&mut conn, Duration::from_secs(5)).await;
    let closed = closed.expect("the idle connection is closed");
    eprintln!("an idle kept-alive connection closed after {closed:?} (idle timeout {idle_timeout:?})");
    assert!(
        closed >= idle_timeout - Duration::from_millis(100)
            && closed < idle_timeout * 2 + Duration::from_millis(500)
    );
    // A connection that never says anything goes the same way.
    let mut silent = TcpStream::connect(served.addr).await.unwrap();
    assert!(until_closed(&mut silent, Duration::from_secs(5)).await.1.is_some());
}

#[tokio::test]
async fn an_address_past_its_cap_of_connections_is_refused_until_one_closes() {
    let served = serve(ServeOptions { max_per_address: Some(3), ..options() }).await;
    let mut held = Vec::new();
    for _ in 0..3 {
        let mut conn = TcpStream::connect(served.addr).await.unwrap();
        assert_eq!(get(&mut conn, "/health").await.0, 200);
        held.push(conn);
    }
    // The fourth is answered at once and closed.
    let mut fourth = TcpStream::connect(served.addr).await.unwrap();
    let (answer, closed) = until_closed(&mut fourth, Duration::from_secs(3)).await;
    assert!(closed.is_some(), "the connection past the cap is closed");
    assert!(answer.starts_with("HTTP/1.1 429"), "{answer}");
    assert!(answer.contains("\"too_many_connections\"") && answer.contains("retry-after:"), "{answer}");
    // The held ones still serve; once one closes, a new one is served.
    assert_eq!(get(&mut held[0], "/health").await.0, 200);
    drop(held.pop());
    let started = Instant::now();
    loop {
        let mut conn = TcpStream::connect(served.addr).await.unwrap();
        conn.write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n").await.unwrap();
        let mut buf = [0u8; 64];
        let n =
            tokio::time::timeout(Duration::from_secs(2), conn.read(&mut buf)).await.ok().and_then(Result::ok);
        let answer = String::from_utf8_lossy(&buf[..n.unwrap_or(0)]).into_owned();
        if answer.starts_with("HTTP/1.1 200") {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(2), "a place freed is taken again: {answer}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn health_answers_another_address_while_one_holds_all_its_connections() {
    let served = serve(ServeOptions { max_per_address: Some(2), ..options() }).await;
    let mut held = Vec::new();
    for _ in 0..2 {
        let mut conn = TcpStream::connect(served.addr).await.unwrap();
        assert_eq!(get(&mut conn, "/health").await.0, 200);
        held.push(conn);
    }
    let mut refused = TcpStream::connect(served.addr).await.unwrap();
    assert!(until_closed(&mut refused, Duration::from_secs(3)).await.0.starts_with("HTTP/1.1 429"));
    // 127.0.0.2 is another client (all of 127/8 is this machine).
    assert_eq!(health_from(served.addr, Some("127.0.0.2")).await, 200);
    drop(held);
}

#[tokio::test]
async fn sigterm_with_a_slow_header_client_connected_stops_the_binary_within_its_grace() {
    let dir = tempfile::tempdir().unwrap();
    let port = crate::support::free_port();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let grace = Duration::from_secs(3);
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_tiepdan"))
        .env_clear()
        .env("TIEPDAN_DATA_DIR", dir.path())
        .env("TIEPDAN_JWT_SECRET", crate::support::TEST_SECRET)
        .env("TIEPDAN_ADMIN_PASSWORD", crate::support::ADMIN_PASSWORD)
        .env("TIEPDAN_BIND", addr.to_string())
        .env("TIEPDAN_SHUTDOWN_GRACE_SECS", grace.as_secs().to_string())
        // Longer than the test: what ends the slow client is the stop, not its header timeout.
        .env("TIEPDAN_HEADER_TIMEOUT_SECS", "120")
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start the tiepdan binary");
    let mut up = false;
    for _ in 0..200 {
        if TcpStream::connect(addr).await.is_ok() {
            up = health_from(addr, None).await == 200;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(up, "the server started");
    let mut slow = TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\n").await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    slow.write_all(b"X-Slow: 1\r\n").await.unwrap();
    let started = Instant::now();
    let killed =
        std::process::Command::new("kill").args(["-TERM", &server.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let status = loop {
        if let Some(status) = server.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > grace + Duration::from_secs(5) {
            let _ = server.kill();
            panic!("still running {:?} after SIGTERM", started.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let took = started.elapsed();
    eprintln!("stopped {took:?} after SIGTERM with a slow-header client connected (grace {grace:?})");
    assert!(status.success(), "{status}");
    assert!(took < grace + Duration::from_secs(1), "stopped after {took:?}");
    // The slow client was let go, with no answer to its unfinished request.
    let (answer, closed) = until_closed(&mut slow, Duration::from_secs(1)).await;
    assert!(closed.is_some() && !answer.contains(" 200 "), "{answer}");
}
