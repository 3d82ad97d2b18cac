//! The outbox's worker: sends the due messages through the mail server (SMTP, `lettre`) and the
//! ward's SMS gateway (an HTTP API), marks each sent, and retries a failure with back-off
//! ([`backoff`]) until [`MAX_ATTEMPTS`]. A message is claimed before it is sent (its attempt
//! counted and its next try pushed past a lease, only if no other server did so first), so several
//! servers on one PostgreSQL never send it twice; a message whose channel is not configured
//! stays queued.

use std::{sync::Arc, time::Duration};

use chrono::{DateTime, Utc};
use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Mailbox, header::ContentType},
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::Expr,
};

use super::{field, text::PUBLIC_URL};
use crate::{
    clock::Clock,
    crypto::{Keys, Sealer},
    domain::message::{MessageChannel, MessageStatus},
    entity::outbox,
    error::{AppError, AppResult},
};

/// The most attempts of a message before it is marked failed (about two days of back-off).
pub const MAX_ATTEMPTS: i32 = 12;
/// The messages one round sends at most.
const BATCH: u64 = 50;
/// How long a claimed message is left to its sender before another may try it.
const LEASE: Duration = Duration::from_secs(300);
/// How often the worker looks for due messages.
const EVERY: Duration = Duration::from_secs(5);

/// The wait after the `attempt`-th failure: a minute, doubling, at most six hours.
pub fn backoff(attempt: i32) -> Duration {
    let exp = u32::try_from(attempt.clamp(1, 16) - 1).unwrap_or(0);
    Duration::from_secs((60u64 << exp).min(6 * 3600))
}

/// The ward's SMS gateway: a URL, a key (sent as `Authorization: Bearer`), and the JSON body
/// template, whose `{to}` and `{text}` are replaced by the number and the message.
#[derive(Debug, Clone)]
pub struct SmsGateway {
    pub url: String,
    pub key: Option<String>,
    pub template: String,
}

/// The default body of an SMS gateway request.
pub const SMS_TEMPLATE: &str = r#"{"to":"{to}","text":"{text}"}"#;

/// Where messages go: the mail server, the SMS gateway, and the register's public address the
/// links point to.
#[derive(Clone)]
pub struct Outlets {
    mailer: Option<(AsyncSmtpTransport<Tokio1Executor>, Mailbox)>,
    sms: Option<(SmsGateway, reqwest::Client)>,
    public_url: String,
}

impl std::fmt::Debug for Outlets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outlets")
            .field("mail", &self.mailer.is_some())
            .field("sms", &self.sms.as_ref().map(|(g, _)| &g.url))
            .field("public_url", &self.public_url)
            .finish()
    }
}

impl Outlets {
    /// The outlets configured: SMTP from `smtp_url` (`smtp://host:port`, `smtps://user:pass@host`)
    /// sending as `from`, the SMS gateway if any; links to `public_url`.
    pub fn new(
        smtp_url: Option<&str>,
        from: &str,
        sms: Option<SmsGateway>,
        public_url: &str,
    ) -> Result<Self, String> {
        let mailer = match smtp_url.map(str::trim).filter(|u| !u.is_empty()) {
            Some(url) => {
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| format!("TIEPDAN_SMTP_URL refused: {e}"))?
                    .timeout(Some(Duration::from_secs(15)))
                    .build();
                let from: Mailbox = from.parse().map_err(|e| format!("TIEPDAN_MAIL_FROM refused: {e}"))?;
                Some((transport, from))
            }
            None => None,
        };
        let sms = match sms {
            Some(g) => {
                let client = reqwest::Client::builder()
                    .timeout(Duration::from_secs(15))
                    .build()
                    .map_err(|e| format!("the SMS gateway's client: {e}"))?;
                Some((g, client))
            }
            None => None,
        };
        Ok(Self { mailer, sms, public_url: public_url.trim_end_matches('/').to_owned() })
    }

    /// Whether any outlet is configured (else the worker need not run).
    pub fn any(&self) -> bool {
        self.mailer.is_some() || self.sms.is_some()
    }

    fn serves(&self, channel: MessageChannel) -> bool {
        match channel {
            MessageChannel::Email => self.mailer.is_some(),
            MessageChannel::Sms => self.sms.is_some(),
        }
    }

    /// Sends one message.
    async fn send(&self, channel: MessageChannel, to: &str, subject: &str, body: &str) -> Result<(), String> {
        match channel {
            MessageChannel::Email => {
                let (transport, from) = self.mailer.as_ref().ok_or("no mail server")?;
                let to: Mailbox = to.parse().map_err(|e| format!("address {to}: {e}"))?;
                let message = Message::builder()
                    .from(from.clone())
                    .to(to)
                    .subject(subject)
                    .header(ContentType::TEXT_PLAIN)
                    .body(body.to_owned())
                    .map_err(|e| format!("message: {e}"))?;
                transport.send(message).await.map(|_| ()).map_err(|e| format!("SMTP: {e}"))
            }
            MessageChannel::Sms => {
                let (gateway, client) = self.sms.as_ref().ok_or("no SMS gateway")?;
                let json = |s: &str| {
                    let quoted = serde_json::to_string(s).unwrap_or_default();
                    quoted[1..quoted.len().saturating_sub(1).max(1)].to_owned()
                };
                let payload = gateway.template.replace("{to}", &json(to)).replace("{text}", &json(body));
                let mut request =
                    client.post(&gateway.url).header("content-type", "application/json").body(payload);
                if let Some(key) = &gateway.key {
                    request = request.bearer_auth(key);
                }
                let answer = request.send().await.map_err(|e| format!("SMS gateway: {e}"))?;
                if answer.status().is_success() {
                    Ok(())
                } else {
                    Err(format!("SMS gateway answered {}", answer.status()))
                }
            }
        }
    }
}

/// What one round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Round {
    pub sent: u32,
    /// Failed this time, to be tried again.
    pub retrying: u32,
    /// Failed for the last time.
    pub failed: u32,
}

/// Sends the messages due at `now` (at most a batch), each claimed first.
pub async fn deliver_due(
    db: &impl ConnectionTrait,
    sealer: &Sealer,
    outlets: &Outlets,
    now: DateTime<Utc>,
) -> AppResult<Round> {
    let channels: Vec<MessageChannel> =
        MessageChannel::ALL.iter().copied().filter(|c| outlets.serves(*c)).collect();
    let mut round = Round::default();
    if channels.is_empty() {
        return Ok(round);
    }
    let due = outbox::Entity::find()
        .filter(outbox::Column::Status.eq(MessageStatus::Pending))
        .filter(outbox::Column::NextAttemptAt.lte(now))
        .filter(outbox::Column::Channel.is_in(channels))
        .order_by_asc(outbox::Column::NextAttemptAt)
        .order_by_asc(outbox::Column::Id)
        .limit(BATCH)
        .all(db)
        .await?;
    for row in due {
        let attempt = row.attempts + 1;
        let leased = now + chrono::Duration::from_std(LEASE).map_err(AppError::internal)?;
        let claimed = outbox::Entity::update_many()
            .col_expr(outbox::Column::Attempts, Expr::value(attempt))
            .col_expr(outbox::Column::NextAttemptAt, Expr::value(leased))
            .filter(outbox::Column::Id.eq(row.id))
            .filter(outbox::Column::Status.eq(MessageStatus::Pending))
            .filter(outbox::Column::Attempts.eq(row.attempts))
            .exec(db)
            .await?;
        if claimed.rows_affected != 1 {
            continue;
        }
        let open = |f: &str, v: &str| sealer.open(f, v).map_err(AppError::internal);
        let to = open(field::RECIPIENT, &row.recipient)?;
        let subject = open(field::SUBJECT, &row.subject)?;
        let body = open(field::BODY, &row.body)?.replace(PUBLIC_URL, &outlets.public_url);
        let update = outbox::Entity::update_many().filter(outbox::Column::Id.eq(row.id));
        match outlets.send(row.channel, &to, &subject, &body).await {
            Ok(()) => {
                update
                    .col_expr(outbox::Column::Status, Expr::value(MessageStatus::Sent.as_str()))
                    .col_expr(outbox::Column::SentAt, Expr::value(now))
                    .col_expr(outbox::Column::LastError, Expr::value(Option::<String>::None))
                    .exec(db)
                    .await?;
                round.sent += 1;
            }
            Err(error) => {
                let error: String = error.chars().take(500).collect();
                let update = update.col_expr(outbox::Column::LastError, Expr::value(error));
                if attempt >= MAX_ATTEMPTS {
                    update
                        .col_expr(outbox::Column::Status, Expr::value(MessageStatus::Failed.as_str()))
                        .exec(db)
                        .await?;
                    round.failed += 1;
                } else {
                    let next =
                        now + chrono::Duration::from_std(backoff(attempt)).map_err(AppError::internal)?;
                    update.col_expr(outbox::Column::NextAttemptAt, Expr::value(next)).exec(db).await?;
                    round.retrying += 1;
                }
            }
        }
    }
    Ok(round)
}

/// Runs [`deliver_due`] every few seconds on the writer until the task is aborted, writing the
/// staff's daily digests first once a day ([`super::digest::write_due`]).
pub fn spawn(
    db: DatabaseConnection,
    keys: Keys,
    outlets: Arc<Outlets>,
    clock: Arc<dyn Clock>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(EVERY);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match super::digest::write_due(&db, &keys, clock.now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(digests = n, "the staff's daily digests written"),
                Err(e) => tracing::error!("writing the daily digests failed: {e}"),
            }
            match deliver_due(&db, &keys.data, &outlets, clock.now()).await {
                Ok(Round { sent: 0, retrying: 0, failed: 0 }) => {}
                Ok(r) => tracing::info!(sent = r.sent, retrying = r.retrying, failed = r.failed, "outbox"),
                Err(e) => tracing::error!("the outbox round failed: {e}"),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_doubles_from_a_minute_to_six_hours() {
        assert_eq!(backoff(1), Duration::from_secs(60));
        assert_eq!(backoff(2), Duration::from_secs(120));
        assert_eq!(backoff(5), Duration::from_secs(960));
        assert_eq!(backoff(12), Duration::from_secs(6 * 3600));
    }
}
