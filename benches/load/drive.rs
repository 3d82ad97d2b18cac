//! The load itself: staff sign in, clients drive full lifecycles of a petition over HTTP, then
//! hammer the reads one kind at a time. Each client is one task on one keep-alive connection
//! (hyper's pool), doing one request at a time.

use std::{
    future::Future,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use serde_json::{Value, json};

use super::{
    http::{Http, encode},
    stats::Latencies,
    texts,
};

/// The password of every seeded account (src/service/seed: "every seeded account's password is
/// tiepdan-demo").
const PASSWORD: &str = "tiepdan-demo";

/// How many communes `tiepdan seed --petitions N` makes (src/service/seed/org.rs `communes_for`:
/// one per 8,000 petitions, 3 to 120).
pub fn communes_for(petitions: u64) -> usize {
    usize::try_from(petitions / 8_000).unwrap_or(usize::MAX).clamp(3, 120)
}

/// A signed-in account.
#[derive(Debug, Clone)]
pub struct Account {
    pub username: String,
    pub id: i64,
    pub token: String,
}

/// The staff of one seeded agency a client works as.
#[derive(Debug, Clone)]
pub struct Desk {
    /// Registers petitions.
    pub receptionist: Account,
    /// Accepts and assigns them, and reads the weekly review.
    pub chairman: Account,
    /// Handles and resolves them.
    pub inspector: Account,
    /// Reads the unit's inbox.
    pub unit_head: Account,
}

async fn login(http: &Http, username: &str) -> Result<Account, String> {
    let a = http.post("/api/v1/auth/login", None, &json!({"username": username, "password": PASSWORD})).await;
    if a.status != 200 {
        return Err(format!("login {username}: {}", a.describe()));
    }
    let token = a.json["token"].as_str().ok_or("login: no token")?.to_owned();
    let id = a.json["user"]["id"].as_i64().ok_or("login: no user id")?;
    Ok(Account { username: username.to_owned(), id, token })
}

/// Signs in the staff of the first `count` agencies of a seeded province (the province itself,
/// then communes `x001`…; usernames as src/service/seed/org.rs makes them).
pub async fn desks(http: &Http, count: usize) -> Result<Vec<Desk>, String> {
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let (suffix, desk, unit) =
            if i == 0 { ("tinh".to_owned(), "btcd", "ttr") } else { (format!("x{i:03}"), "vp", "kt") };
        out.push(Desk {
            receptionist: login(http, &format!("tiepdan.{desk}1.{suffix}")).await?,
            chairman: login(http, &format!("chutich.{suffix}")).await?,
            inspector: login(http, &format!("thanhtra.{unit}1.{suffix}")).await?,
            unit_head: login(http, &format!("truong.{unit}1.{suffix}")).await?,
        });
    }
    Ok(out)
}

/// Runs `clients` tasks until `seconds` have passed, each `task(client, deadline)`; returns what
/// they return and the wall time.
pub async fn run_clients<T, F, Fut>(clients: usize, seconds: f64, task: F) -> (Vec<T>, f64)
where
    T: Send + 'static,
    F: Fn(usize, Instant) -> Fut,
    Fut: Future<Output = T> + Send + 'static,
{
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(seconds);
    let handles: Vec<_> = (0..clients).map(|c| tokio::spawn(task(c, deadline))).collect();
    let mut out = Vec::with_capacity(clients);
    for h in handles {
        out.push(h.await.expect("a client task"));
    }
    (out, started.elapsed().as_secs_f64())
}

/// The steps of a lifecycle, in order.
pub const STEPS: [&str; 6] = ["create", "accept", "assign", "view", "search", "resolve"];

/// What one lifecycle phase measured.
#[derive(Debug, Default)]
pub struct Lifecycles {
    pub steps: [Latencies; 6],
    pub completed: u64,
    pub failed: u64,
    pub seconds: f64,
    /// A few failed answers, to show.
    pub samples: Vec<String>,
    /// Ids of completed cases (the floor copies one) and their tracking codes.
    pub ids: Vec<i64>,
    pub codes: Vec<String>,
}

/// Numbers petitions across phases so that every one is different.
pub static NEXT: AtomicU64 = AtomicU64::new(0);

/// Full lifecycles at `clients` for `seconds`: create → accept → assign → view → search →
/// resolve; a failed step ends that lifecycle and counts against its step.
pub async fn lifecycles(http: &Http, desks: &Arc<Vec<Desk>>, clients: usize, seconds: f64) -> Lifecycles {
    let samples = Arc::new(Mutex::new(Vec::<String>::new()));
    let (parts, elapsed) = run_clients(clients, seconds, |c, deadline| {
        let http = http.clone();
        let desk = desks[c % desks.len()].clone();
        let samples = samples.clone();
        async move {
            let mut out = Lifecycles::default();
            while Instant::now() < deadline {
                let n = NEXT.fetch_add(1, Ordering::Relaxed);
                match one(&http, &desk, n, &mut out.steps).await {
                    Ok((id, code)) => {
                        out.completed += 1;
                        if out.ids.len() < 64 {
                            out.ids.push(id);
                        }
                        if out.codes.len() < 256 {
                            out.codes.push(code);
                        }
                    }
                    Err(sample) => {
                        out.failed += 1;
                        let mut s = samples.lock().expect("samples");
                        if s.len() < 5 {
                            s.push(sample);
                        }
                    }
                }
            }
            out
        }
    })
    .await;
    let mut all = Lifecycles { seconds: elapsed, ..Default::default() };
    for p in parts {
        for (a, b) in all.steps.iter_mut().zip(p.steps) {
            a.merge(b);
        }
        all.completed += p.completed;
        all.failed += p.failed;
        all.ids.extend(p.ids);
        all.codes.extend(p.codes);
    }
    all.samples = samples.lock().expect("samples").clone();
    all
}

/// One lifecycle; its case's id and tracking code, or the failed step's answer.
async fn one(http: &Http, desk: &Desk, n: u64, steps: &mut [Latencies; 6]) -> Result<(i64, String), String> {
    let (body, kind, name) = texts::petition(n);
    let mut check = |step: usize, a: &super::http::Answer, want: u16| -> Result<(), String> {
        if a.status == want {
            steps[step].record(a.took);
            Ok(())
        } else {
            steps[step].errors += 1;
            Err(format!("{}: {}", STEPS[step], a.describe()))
        }
    };
    let a = http.post("/api/v1/petitions", Some(&desk.receptionist.token), &body).await;
    check(0, &a, 201)?;
    let id = a.json["id"].as_i64().ok_or("create: no id")?;
    let code = a.json["tracking_code"].as_str().unwrap_or_default().to_owned();
    let act = format!("/api/v1/petitions/{id}/actions");
    let a = http.post(&act, Some(&desk.chairman.token), &json!({"action": "accept"})).await;
    check(1, &a, 200)?;
    let assign = json!({"action": "assign", "assignee_id": desk.inspector.id});
    let a = http.post(&act, Some(&desk.chairman.token), &assign).await;
    check(2, &a, 200)?;
    let a = http.get(&format!("/api/v1/petitions/{id}"), Some(&desk.inspector.token)).await;
    check(3, &a, 200)?;
    // The petitioner's name as typed without diacritics, as a desk officer would search it.
    let q = encode(&plain(&name));
    let a = http.get(&format!("/api/v1/petitions?q={q}&per_page=20"), Some(&desk.inspector.token)).await;
    check(4, &a, 200)?;
    let a = http.post(&act, Some(&desk.inspector.token), &texts::resolution(kind, n)).await;
    check(5, &a, 200)?;
    Ok((id, code))
}

/// Lower case without Vietnamese diacritics (enough for the names the driver makes).
pub fn plain(s: &str) -> String {
    const FROM: &str = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ";
    const TO: &str = "aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd";
    s.to_lowercase()
        .chars()
        .map(|ch| FROM.chars().position(|f| f == ch).and_then(|i| TO.chars().nth(i)).unwrap_or(ch))
        .collect()
}

/// A read to time at the reads' concurrency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read {
    /// `GET /api/v1/inbox?scope=…` as the desk member whose inbox it is.
    Inbox(&'static str),
    /// `GET /api/v1/petitions?q=…`: names and matters, with and without diacritics.
    Search,
    /// `GET /api/v1/petitions?per_page=50`, following `next_after` (or `page=`) to `depth` pages.
    DeepList,
    /// `GET /api/v1/reviews/weekly?week=…` as the agency's chairman: this week and the 3 before.
    Review,
    /// `GET /api/v1/public/petitions/{code}`, no token.
    Tracking,
    /// `POST /api/v1/auth/login`.
    Login,
}

impl Read {
    pub fn name(self) -> String {
        match self {
            Read::Inbox(scope) => format!("inbox {scope}"),
            Read::Search => "search".to_owned(),
            Read::DeepList => "deep list pages".to_owned(),
            Read::Review => "weekly review".to_owned(),
            Read::Tracking => "public tracking".to_owned(),
            Read::Login => "login".to_owned(),
        }
    }
}

/// What a read phase measured, and whether the list answered with keyset cursors.
#[derive(Debug, Default)]
pub struct Reads {
    pub latencies: Latencies,
    pub seconds: f64,
    pub samples: Vec<String>,
    pub cursor_pages: u64,
    pub deepest: u64,
}

const SEARCHES: &[&str] = &[
    "nguyen van an",
    "Trần Thị Hà",
    "thu hoi dat",
    "bồi thường",
    "ô nhiễm môi trường",
    "giay chung nhan",
    "le minh",
    "đường giao thông",
];

/// One read kind at `clients` for `seconds`.
pub async fn reads(
    http: &Http,
    desks: &Arc<Vec<Desk>>,
    codes: &Arc<Vec<String>>,
    read: Read,
    clients: usize,
    seconds: f64,
    depth: u64,
) -> Reads {
    let samples = Arc::new(Mutex::new(Vec::<String>::new()));
    let (parts, elapsed) = run_clients(clients, seconds, |c, deadline| {
        let http = http.clone();
        let desk = desks[c % desks.len()].clone();
        let codes = codes.clone();
        let samples = samples.clone();
        async move {
            let mut lat = Latencies::default();
            let (mut cursor_pages, mut deepest) = (0u64, 0u64);
            let mut next: Option<String> = None;
            let mut page = 1u64;
            let mut i = c as u64;
            let week = this_week();
            while Instant::now() < deadline {
                i += 1;
                let a = match read {
                    Read::Inbox(scope) => {
                        let who = match scope {
                            "mine" => &desk.inspector,
                            "unit" => &desk.unit_head,
                            "new" => &desk.receptionist,
                            _ => &desk.chairman,
                        };
                        http.get(&format!("/api/v1/inbox?scope={scope}&per_page=50"), Some(&who.token)).await
                    }
                    Read::Search => {
                        let q = encode(SEARCHES[(i as usize) % SEARCHES.len()]);
                        http.get(&format!("/api/v1/petitions?q={q}&per_page=20"), Some(&desk.chairman.token))
                            .await
                    }
                    Read::DeepList => {
                        let path = match &next {
                            Some(after) => format!("/api/v1/petitions?per_page=50&after={}", encode(after)),
                            None => format!("/api/v1/petitions?per_page=50&page={page}"),
                        };
                        http.get(&path, Some(&desk.chairman.token)).await
                    }
                    Read::Review => {
                        let back = (i % 4) as i64;
                        let (y, w) = week_back(week, back);
                        http.get(
                            &format!("/api/v1/reviews/weekly?week={y}-W{w:02}"),
                            Some(&desk.chairman.token),
                        )
                        .await
                    }
                    Read::Tracking => {
                        let code = if codes.is_empty() {
                            "TD-AAAA-AAAA-AAAA"
                        } else {
                            &codes[(i as usize) % codes.len()]
                        };
                        http.get(&format!("/api/v1/public/petitions/{code}"), None).await
                    }
                    Read::Login => {
                        let body = json!({"username": desk.receptionist.username, "password": PASSWORD});
                        http.post("/api/v1/auth/login", None, &body).await
                    }
                };
                if a.status == 200 {
                    lat.record(a.took);
                } else {
                    lat.errors += 1;
                    let mut s = samples.lock().expect("samples");
                    if s.len() < 5 {
                        s.push(format!("{}: {}", read.name(), a.describe()));
                    }
                }
                if read == Read::DeepList {
                    // Follow the cursor when the answer has one; else the next page number.
                    let cursor = a.json.get("next_after").and_then(cursor_text);
                    let items = a.json["items"].as_array().map_or(0, Vec::len);
                    if cursor.is_some() {
                        cursor_pages += 1;
                    }
                    page += 1;
                    deepest = deepest.max(page - 1);
                    next = cursor;
                    if page > depth
                        || items == 0
                        || (next.is_none() && a.json.get("next_after").is_some())
                        || a.status != 200
                    {
                        next = None;
                        page = 1;
                    }
                }
            }
            (lat, cursor_pages, deepest)
        }
    })
    .await;
    let mut out = Reads { seconds: elapsed, ..Default::default() };
    for (lat, cursor_pages, deepest) in parts {
        out.latencies.merge(lat);
        out.cursor_pages += cursor_pages;
        out.deepest = out.deepest.max(deepest);
    }
    out.samples = samples.lock().expect("samples").clone();
    out
}

/// A cursor as it goes back into `after=` (a string or a number).
fn cursor_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// This ISO week in Vietnam (UTC+7).
fn this_week() -> chrono::NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive()
}

/// The ISO year and week `back` weeks before the week of `today`.
fn week_back(today: chrono::NaiveDate, back: i64) -> (i32, u32) {
    use chrono::Datelike;
    let day = today - chrono::Duration::weeks(back);
    let w = day.iso_week();
    (w.year(), w.week())
}
