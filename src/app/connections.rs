//! Serving connections: our own accept loop over hyper's HTTP/1.1 connection, because
//! `axum::serve` bounds nothing about a connection. Here a slow or silent client cannot keep a
//! connection (or a stopping server) for long, and one address cannot hold them all:
//! - **header timeout**: once the first byte of a request arrives, its headers must be complete
//!   within it (a client sending a header line every 2 s is cut off);
//! - **idle timeout**: a connection with no request in flight and nothing moving (a kept-alive
//!   connection between requests, a fresh one that says nothing) is closed after it; so is one
//!   whose client has stopped reading its response;
//! - **per-address cap**: past it, a further connection from the address (an IPv6 /64 counts as
//!   one) is answered 429 `too_many_connections` at once and closed;
//! - **stopping**: connections with no request in flight are closed at once; the requests in
//!   flight get the grace, then are dropped (their database work stops with them).
//!
//! The request's body and the work of a request are bounded elsewhere (the request and upload
//! timeouts of `app::time_limited`), so a long upload that keeps sending is not cut here.

use std::{
    collections::HashMap,
    convert::Infallible,
    io,
    net::{IpAddr, Ipv6Addr, SocketAddr},
    pin::Pin,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, AtomicUsize, Ordering},
    },
    task::{Context, Poll},
    time::{Duration, Instant},
};

use axum::{
    Router,
    body::{Body, Bytes},
    extract::ConnectInfo,
    http::Request,
};
use http_body::{Frame, SizeHint};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::{
    io::{AsyncRead, AsyncWrite, ReadBuf},
    net::{TcpListener, TcpStream},
    sync::watch,
};
use tower::Service;

/// How connections are served (the `TIEPDAN_*_TIMEOUT_SECS`, `TIEPDAN_MAX_CONNS_PER_IP` and
/// `TIEPDAN_SHUTDOWN_GRACE_SECS` settings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServeOptions {
    /// How long a stopping server waits for the requests in flight.
    pub grace: Duration,
    /// How long a request's headers may take from its first byte.
    pub header_timeout: Duration,
    /// How long a connection may sit with nothing in flight and nothing moving.
    pub idle_timeout: Duration,
    /// Connections one client address may hold at once; `None`: no cap (behind a proxy, where
    /// every connection comes from the proxy).
    pub max_per_address: Option<usize>,
}

impl Default for ServeOptions {
    fn default() -> Self {
        Self {
            grace: Duration::from_secs(5),
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(30),
            max_per_address: Some(64),
        }
    }
}

impl From<Duration> for ServeOptions {
    /// The default bounds with this grace (what `serve_until` took before it had options).
    fn from(grace: Duration) -> Self {
        Self { grace, ..Self::default() }
    }
}

/// The stopping states sent to the connections.
const RUNNING: u8 = 0;
const STOPPING: u8 = 1;
const ABORT: u8 = 2;

/// Accepts and serves connections until `stop` completes, then closes the idle ones and waits at
/// most `options.grace` for the requests in flight; the connections still open then are dropped.
pub(super) async fn serve(
    listener: TcpListener,
    router: Router,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
    options: ServeOptions,
) -> io::Result<()> {
    let (state, _) = watch::channel(RUNNING);
    // Each connection holds a receiver: `closed()` resolves when the last one has ended.
    let (open, _) = watch::channel(());
    let addresses = Addresses::default();
    tokio::pin!(stop);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut stop => break,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(e) if is_connection_error(&e) => continue,
            Err(e) => {
                // Out of descriptors, typically: wait for some to be freed rather than spin.
                tracing::error!("cannot accept a connection: {e}");
                tokio::select! {
                    () = tokio::time::sleep(Duration::from_secs(1)) => continue,
                    () = &mut stop => break,
                }
            }
        };
        let Some(slot) = addresses.take(peer.ip(), options.max_per_address) else {
            refuse(&stream, peer);
            continue;
        };
        tokio::spawn(connection(
            stream,
            peer,
            router.clone(),
            options,
            state.subscribe(),
            open.subscribe(),
            slot,
        ));
    }
    drop(listener);
    let _ = state.send(STOPPING);
    if tokio::time::timeout(options.grace, open.closed()).await.is_err() {
        tracing::warn!(grace_secs = options.grace.as_secs_f64(), "stopping with requests still in flight");
        let _ = state.send(ABORT);
    }
    Ok(())
}

/// Errors of one connection's handshake, not of the listener (axum's list).
fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused | io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset
    )
}

/// The answer to a connection past the cap, written at once if the socket takes it (it always
/// does on a fresh connection), then the connection is closed.
const REFUSAL: &[u8] = "HTTP/1.1 429 Too Many Requests\r\ncontent-type: application/json\r\nretry-after: 5\r\n\
connection: close\r\ncontent-length: 144\r\n\r\n\
{\"error\":{\"code\":\"too_many_connections\",\"message\":\"Quá nhiều kết nối đồng thời từ địa chỉ này, vui lòng thử lại sau.\"}}"
    .as_bytes();

fn refuse(stream: &TcpStream, peer: SocketAddr) {
    // Debug only: a client hammering the cap must not flood the log.
    tracing::debug!(%peer, "connection refused: too many open from this address");
    let _ = stream.try_write(REFUSAL);
}

/// Serves one connection under the bounds of `options` and the stopping `state`.
async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    router: Router,
    options: ServeOptions,
    mut state: watch::Receiver<u8>,
    _open: watch::Receiver<()>,
    _slot: Slot,
) {
    // Small responses go out at once, not after the client's delayed acknowledgement.
    let _ = stream.set_nodelay(true);
    let activity = Arc::new(Activity::new());
    let io = TokioIo::new(Watched { io: stream, activity: activity.clone() });
    let service = {
        let activity = activity.clone();
        hyper::service::service_fn(move |mut request: Request<hyper::body::Incoming>| {
            let busy = Busy::begin(activity.clone());
            // The peer address feeds the per-client rate limits (`http::rate_limit`).
            request.extensions_mut().insert(ConnectInfo(peer));
            let mut router = router.clone();
            let response = router.call(request.map(Body::new));
            async move {
                let response = response.await.unwrap_or_else(|never: Infallible| match never {});
                Ok::<_, Infallible>(response.map(|body| Tracked { body, _busy: busy }))
            }
        })
    };
    let mut http = hyper::server::conn::http1::Builder::new();
    // hyper's own header timer runs from when it starts waiting for a request, idle time
    // included: the backstop of the finer bounds below.
    http.timer(TokioTimer::new()).header_read_timeout(options.header_timeout + options.idle_timeout);
    let conn = http.serve_connection(io, service);
    tokio::pin!(conn);
    let mut tick = tokio::time::interval(tick_of(&options));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut stopping = false;
    let mut watching = true;
    loop {
        tokio::select! {
            served = conn.as_mut() => {
                if let Err(e) = served {
                    tracing::trace!(%peer, "connection ended: {e}");
                }
                return;
            }
            changed = state.changed(), if watching => {
                let now = if changed.is_ok() { *state.borrow_and_update() } else { ABORT };
                watching = changed.is_ok();
                if now >= STOPPING && !stopping {
                    stopping = true;
                    conn.as_mut().graceful_shutdown();
                }
                if now == ABORT {
                    return;
                }
            }
            _ = tick.tick() => {}
        }
        if let Some(why) = activity.verdict(&options, stopping) {
            tracing::debug!(%peer, why, "connection closed");
            return;
        }
    }
}

/// How often a connection's bounds are checked: a quarter of the shorter one, within 50 ms–1 s.
fn tick_of(options: &ServeOptions) -> Duration {
    (options.header_timeout.min(options.idle_timeout) / 4)
        .clamp(Duration::from_millis(50), Duration::from_secs(1))
}

/// What a connection is doing, as its socket and its requests see it. Instants are milliseconds
/// since the connection was accepted, plus one, so that 0 means "not set".
struct Activity {
    born: Instant,
    /// The last byte read or written.
    last_io: AtomicU64,
    /// The first byte of a request whose headers are not complete yet.
    head_since: AtomicU64,
    /// Since when the socket has refused to take what we write (the client does not read).
    blocked_since: AtomicU64,
    /// Requests received and not yet answered to their response's last byte.
    busy: AtomicUsize,
}

impl Activity {
    fn new() -> Self {
        Self {
            born: Instant::now(),
            last_io: AtomicU64::new(1),
            head_since: AtomicU64::new(0),
            blocked_since: AtomicU64::new(0),
            busy: AtomicUsize::new(0),
        }
    }

    fn now(&self) -> u64 {
        u64::try_from(self.born.elapsed().as_millis()).unwrap_or(u64::MAX - 1) + 1
    }

    /// Bytes came in: with no request in flight they are a new request's head.
    fn read(&self) {
        let now = self.now();
        self.last_io.store(now, Ordering::Relaxed);
        if self.busy.load(Ordering::Relaxed) == 0 {
            let _ = self.head_since.compare_exchange(0, now, Ordering::Relaxed, Ordering::Relaxed);
        }
    }

    fn wrote(&self) {
        self.last_io.store(self.now(), Ordering::Relaxed);
        self.blocked_since.store(0, Ordering::Relaxed);
    }

    fn write_blocked(&self) {
        let _ = self.blocked_since.compare_exchange(0, self.now(), Ordering::Relaxed, Ordering::Relaxed);
    }

    /// Why the connection must be closed now, if it must.
    fn verdict(&self, options: &ServeOptions, stopping: bool) -> Option<&'static str> {
        let now = self.now();
        let past =
            |since: u64, limit: Duration| since != 0 && u128::from(now - since.min(now)) >= limit.as_millis();
        if past(self.head_since.load(Ordering::Relaxed), options.header_timeout) {
            return Some("header timeout");
        }
        if past(self.blocked_since.load(Ordering::Relaxed), options.idle_timeout) {
            return Some("client stopped reading");
        }
        if self.busy.load(Ordering::Relaxed) == 0 {
            if stopping {
                return Some("stopping with no request in flight");
            }
            if past(self.last_io.load(Ordering::Relaxed), options.idle_timeout) {
                return Some("idle timeout");
            }
        }
        None
    }
}

/// A request in flight on its connection, from its parsed head to its response's last byte (or
/// to its being dropped).
struct Busy(Arc<Activity>);

impl Busy {
    fn begin(activity: Arc<Activity>) -> Self {
        activity.busy.fetch_add(1, Ordering::Relaxed);
        activity.head_since.store(0, Ordering::Relaxed);
        Self(activity)
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        // Idle time counts from the end of the response.
        self.0.last_io.store(self.0.now(), Ordering::Relaxed);
        self.0.busy.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A response body that keeps its request [`Busy`] until hyper has sent it all.
struct Tracked {
    body: Body,
    _busy: Busy,
}

impl http_body::Body for Tracked {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

/// The socket, noting in [`Activity`] when bytes move.
struct Watched {
    io: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.io).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.read();
        }
        polled
    }
}

impl Watched {
    fn note(&self, polled: &Poll<io::Result<usize>>) {
        match polled {
            Poll::Ready(Ok(n)) if *n > 0 => self.activity.wrote(),
            Poll::Pending => self.activity.write_blocked(),
            _ => {}
        }
    }
}

impl AsyncWrite for Watched {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.io).poll_write(cx, buf);
        self.note(&polled);
        polled
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.io).poll_write_vectored(cx, bufs);
        self.note(&polled);
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

/// Open connections by client address.
#[derive(Clone, Default)]
struct Addresses(Arc<Mutex<HashMap<IpAddr, usize>>>);

/// One open connection counted against its address; uncounted when dropped.
struct Slot {
    addresses: Addresses,
    key: IpAddr,
}

impl Addresses {
    /// Counts a connection from `ip`, unless the address already holds `cap`.
    fn take(&self, ip: IpAddr, cap: Option<usize>) -> Option<Slot> {
        let key = address_key(ip);
        let mut open = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let count = open.entry(key).or_insert(0);
        if cap.is_some_and(|cap| *count >= cap) {
            return None;
        }
        *count += 1;
        Some(Slot { addresses: self.clone(), key })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.addresses.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(count) = open.get_mut(&self.key) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&self.key);
            }
        }
    }
}

/// The address a cap counts: IPv4 as it is (also when it came mapped into IPv6), IPv6 by its /64
/// network (one subscriber's line holds a whole /64).
fn address_key(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from(v6.to_bits() & !u128::from(u64::MAX))),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_refusal_says_its_length() {
        let text = std::str::from_utf8(REFUSAL).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.contains(&format!("content-length: {}", body.len())), "{head}");
        let json: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(json["error"]["code"], "too_many_connections");
    }

    #[test]
    fn an_ipv6_network_counts_as_one_address_and_a_mapped_ipv4_as_itself() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::2".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(address_key(a), address_key(b));
        assert_ne!(address_key(a), address_key(other));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(address_key(mapped), "192.0.2.7".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn the_cap_counts_open_connections_and_frees_the_place_of_a_closed_one() {
        let addresses = Addresses::default();
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let first = addresses.take(ip, Some(2)).unwrap();
        let _second = addresses.take(ip, Some(2)).unwrap();
        assert!(addresses.take(ip, Some(2)).is_none());
        assert!(addresses.take("192.0.2.2".parse().unwrap(), Some(2)).is_some());
        drop(first);
        assert!(addresses.take(ip, Some(2)).is_some());
        assert!(addresses.take(ip, None).is_some());
    }
}
