//! A light keep-alive HTTP/1.1 client for the driver (hyper's pooled client): JSON in, JSON out,
//! each call timed.

use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::{Method, Request, body::Bytes, header};
use hyper_util::{
    client::legacy::{Client, connect::HttpConnector},
    rt::TokioExecutor,
};
use serde_json::Value;

/// The pooled client and the server's address.
#[derive(Clone)]
pub struct Http {
    client: Client<HttpConnector, Full<Bytes>>,
    base: String,
}

/// An answer: its status, its JSON (Null when none) and how long the whole exchange took.
pub struct Answer {
    pub status: u16,
    pub json: Value,
    pub took: Duration,
}

impl Answer {
    /// A short description of a failed answer, for the error samples.
    pub fn describe(&self) -> String {
        let text = self.json.to_string();
        format!("{} {}", self.status, text.chars().take(300).collect::<String>())
    }
}

impl Http {
    pub fn new(addr: &str) -> Self {
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        let client = Client::builder(TokioExecutor::new())
            .pool_max_idle_per_host(256)
            .pool_idle_timeout(Duration::from_secs(300))
            .build(connector);
        Self { client, base: format!("http://{addr}") }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Answer {
        self.send(Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Answer {
        self.send(Method::POST, path, token, Some(body)).await
    }

    async fn send(&self, method: Method, path: &str, token: Option<&str>, body: Option<&Value>) -> Answer {
        let started = Instant::now();
        let mut req = Request::builder().method(method).uri(format!("{}{path}", self.base));
        if let Some(token) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let bytes = match body {
            Some(b) => {
                req = req.header(header::CONTENT_TYPE, "application/json");
                Bytes::from(serde_json::to_vec(b).expect("a JSON body"))
            }
            None => Bytes::new(),
        };
        let req = req.body(Full::new(bytes)).expect("a request");
        let (status, json) = match self.client.request(req).await {
            Ok(res) => {
                let status = res.status().as_u16();
                let json = match res.into_body().collect().await {
                    Ok(body) => serde_json::from_slice(&body.to_bytes()).unwrap_or(Value::Null),
                    Err(e) => Value::String(format!("body: {e}")),
                };
                (status, json)
            }
            // A transport error (refused, reset) counts as status 0.
            Err(e) => (0, Value::String(format!("transport: {e}"))),
        };
        Answer { status, json, took: started.elapsed() }
    }
}

/// Percent-encodes a query value.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
