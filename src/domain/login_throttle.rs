//! When wrong passwords make signing in wait (issue 18, API.md "Operations"): five wrong
//! passwords for one account, or ten from one client address (trying many accounts), each within
//! 15 minutes of the one before, lock that account or address for a minute; each further wrong
//! password after a lock doubles it, up to an hour. A right password clears the account's count.
//! While locked, no password is even checked: 429 `too_many_attempts` with `Retry-After`.

use chrono::{DateTime, Duration, Utc};

/// Wrong passwords are remembered this long after the last one.
pub const WINDOW: Duration = Duration::minutes(15);
/// Wrong passwords for one account that lock it.
pub const ACCOUNT_LIMIT: i32 = 5;
/// Wrong passwords from one client address (any accounts) that lock it: more than an account's,
/// since an office's staff may share one address behind its router.
pub const CLIENT_LIMIT: i32 = 10;
/// The first lock, and the longest.
pub const FIRST_LOCK: Duration = Duration::minutes(1);
pub const LONGEST_LOCK: Duration = Duration::hours(1);

/// What a throttle's key counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Account,
    Client,
}

impl Scope {
    /// The wrong passwords that lock a key of this scope.
    pub fn limit(self) -> i32 {
        match self {
            Scope::Account => ACCOUNT_LIMIT,
            Scope::Client => CLIENT_LIMIT,
        }
    }

    /// The stored key of `who` (a username as typed, lower-cased; an address).
    pub fn key(self, who: &str) -> String {
        let who: String = who.trim().to_lowercase().chars().take(150).collect();
        match self {
            Scope::Account => format!("account:{who}"),
            Scope::Client => format!("client:{who}"),
        }
    }
}

/// The lock earned by the `failures`-th wrong password in a row, if any: none below the limit,
/// then one minute, doubling with each one more, at most an hour.
pub fn lock_after(scope: Scope, failures: i32) -> Option<Duration> {
    // Below the limit `over` is negative: no lock. Past ten doublings the hour cap holds anyway.
    let over = u32::try_from(failures.saturating_sub(scope.limit())).ok()?.min(10);
    Some((FIRST_LOCK * (1i32 << over)).min(LONGEST_LOCK))
}

/// The count a wrong password at `now` brings a key to, whose last one was at `last` with
/// `failures` counted: the count goes on within the window, and starts again after it.
pub fn next_failures(failures: i32, last: DateTime<Utc>, now: DateTime<Utc>) -> i32 {
    if now - last > WINDOW { 1 } else { failures.saturating_add(1) }
}

/// The whole seconds left of a lock until `until` (at least one).
pub fn seconds_left(until: DateTime<Utc>, now: DateTime<Utc>) -> u64 {
    let ms = (until - now).num_milliseconds().max(0);
    u64::try_from(ms.div_euclid(1000) + i64::from(ms.rem_euclid(1000) > 0)).unwrap_or(1).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_wrong_passwords_lock_an_account_for_a_minute_then_doubling_up_to_an_hour() {
        assert_eq!(lock_after(Scope::Account, 4), None);
        assert_eq!(lock_after(Scope::Account, 5), Some(Duration::minutes(1)));
        assert_eq!(lock_after(Scope::Account, 6), Some(Duration::minutes(2)));
        assert_eq!(lock_after(Scope::Account, 7), Some(Duration::minutes(4)));
        assert_eq!(lock_after(Scope::Account, 11), Some(Duration::minutes(60)));
        assert_eq!(lock_after(Scope::Account, 500), Some(Duration::minutes(60)));
        assert_eq!(lock_after(Scope::Client, 9), None);
        assert_eq!(lock_after(Scope::Client, 10), Some(Duration::minutes(1)));
    }

    #[test]
    fn the_count_runs_within_fifteen_minutes_of_the_last_wrong_password() {
        let t = DateTime::parse_from_rfc3339("2026-12-06T08:00:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(next_failures(4, t, t + Duration::minutes(15)), 5);
        assert_eq!(next_failures(4, t, t + Duration::minutes(16)), 1);
    }

    #[test]
    fn keys_ignore_case_and_spaces_and_stay_short() {
        assert_eq!(Scope::Account.key(" ChuTich "), "account:chutich");
        assert_eq!(Scope::Client.key("10.0.0.7"), "client:10.0.0.7");
        assert!(Scope::Account.key(&"x".repeat(1000)).len() <= 200);
    }

    #[test]
    fn a_lock_ends_in_whole_seconds() {
        let t = DateTime::parse_from_rfc3339("2026-12-06T08:00:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(seconds_left(t + Duration::milliseconds(59_001), t), 60);
        assert_eq!(seconds_left(t - Duration::seconds(5), t), 1);
    }
}
