//! The login throttle (`domain::login_throttle` has the rules): wrong passwords counted per
//! account and per client address in the database, so that every server on one PostgreSQL sees
//! the same counts and locks. A sign-in first checks both keys (one read, before any password is
//! hashed); a wrong password counts on both with one atomic upsert each.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Value, sea_query::Expr};

use crate::{
    db::sql::Dialects,
    domain::login_throttle::{Scope, lock_after, seconds_left},
    entity::login_throttle,
    error::{AppError, AppResult, wait_words},
};

/// A wrong password's count: on from the last one within the window, else from 1.
const COUNT_FAILURE: Dialects = Dialects::both(
    r#"INSERT INTO login_throttle ("key", failures, window_start, locked_until) VALUES ({1}, 1, {2}, NULL)
       ON CONFLICT ("key") DO UPDATE SET
         failures = CASE WHEN login_throttle.window_start < {3} THEN 1 ELSE login_throttle.failures + 1 END,
         window_start = {2}
       RETURNING failures"#,
);

/// Forgets a few keys whose window and lock are over (bounded, oldest first by the window index).
const FORGET_STALE: Dialects = Dialects::both(
    r#"DELETE FROM login_throttle WHERE "key" IN (
         SELECT "key" FROM login_throttle
         WHERE window_start < {1} AND (locked_until IS NULL OR locked_until < {2})
         ORDER BY window_start LIMIT 100)"#,
);

/// The keys of a sign-in: the account named and the client's address.
pub struct Attempt {
    account: String,
    client: String,
}

impl Attempt {
    pub fn new(username: &str, client: IpAddr) -> Self {
        Self { account: Scope::Account.key(username), client: Scope::Client.key(&client.to_string()) }
    }

    fn keys(&self) -> [(Scope, &str); 2] {
        [(Scope::Account, &self.account), (Scope::Client, &self.client)]
    }
}

/// The refusal while a key is locked.
fn too_many_attempts(scope: Scope, retry_after_secs: u64) -> AppError {
    let whom = match scope {
        Scope::Account => "Tài khoản này đã nhập sai mật khẩu nhiều lần",
        Scope::Client => "Máy của bạn đã đăng nhập sai nhiều lần",
    };
    AppError::TooManyRequests {
        code: "too_many_attempts",
        message: format!("{whom}. Vui lòng thử lại sau {}.", wait_words(retry_after_secs)),
        retry_after_secs,
    }
}

/// 429 `too_many_attempts` if the account or the address is locked at `now`; else whether the
/// account has wrong passwords counted (which a right one clears).
pub async fn check(db: &impl ConnectionTrait, attempt: &Attempt, now: DateTime<Utc>) -> AppResult<bool> {
    let rows = login_throttle::Entity::find()
        .filter(login_throttle::Column::Key.is_in([attempt.account.clone(), attempt.client.clone()]))
        .all(db)
        .await?;
    let locked = rows
        .iter()
        .filter_map(|r| r.locked_until.filter(|until| *until > now).map(|until| (r, until)))
        .max_by_key(|(_, until)| *until);
    match locked {
        Some((row, until)) => {
            let scope = if row.key == attempt.account { Scope::Account } else { Scope::Client };
            Err(too_many_attempts(scope, seconds_left(until, now)))
        }
        None => Ok(rows.iter().any(|r| r.key == attempt.account)),
    }
}

/// Counts a wrong password on both keys, locking a key that reached its limit.
pub async fn failed(db: &impl ConnectionTrait, attempt: &Attempt, now: DateTime<Utc>) -> AppResult<()> {
    let backend = db.get_database_backend();
    let window_start = now - crate::domain::login_throttle::WINDOW;
    for (scope, key) in attempt.keys() {
        let values: Vec<Value> = vec![key.into(), now.into(), window_start.into()];
        let row = db
            .query_one_raw(COUNT_FAILURE.statement(backend, values))
            .await?
            .ok_or_else(|| AppError::internal("no count returned"))?;
        let failures: i32 = row.try_get_by_index(0)?;
        if let Some(lock) = lock_after(scope, failures) {
            login_throttle::Entity::update_many()
                .col_expr(login_throttle::Column::LockedUntil, Expr::value(Some(now + lock)))
                .filter(login_throttle::Column::Key.eq(key))
                .exec(db)
                .await?;
            tracing::warn!(scope = ?scope, failures, lock_secs = lock.num_seconds(), "sign-in locked");
        }
    }
    db.execute_raw(FORGET_STALE.statement(backend, vec![window_start.into(), now.into()])).await?;
    Ok(())
}

/// A right password: the account's count starts again (the address keeps its own).
pub async fn succeeded(db: &impl ConnectionTrait, attempt: &Attempt) -> AppResult<()> {
    login_throttle::Entity::delete_by_id(attempt.account.clone()).exec(db).await?;
    Ok(())
}
