//! Argon2id password hashing, off the async threads and bounded by a semaphore sized to the
//! cores: unbounded concurrent hashing grew the process to several GB and starved requests.
//!
//! New hashes use OWASP's minimum for Argon2id (m = 19 MiB, t = 2, p = 1: [`PARAMS`]); a stored
//! hash verifies under the parameters its PHC string names, so hashes made with others still work.
//! Each hash holds its permit until its blocking thread is done, even when the request that
//! asked for it is dropped, so at most one hash per core (and its 19 MiB) is ever in flight, and
//! the blocking pool keeps threads for the database's work.

use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

use argon2::{
    Algorithm, Argon2, Params, Version,
    password_hash::{PasswordHasher as _, PasswordVerifier as _, phc::PasswordHash},
};
use tokio::sync::Semaphore;

use crate::error::AppError;

/// Argon2id's parameters for new hashes: OWASP's minimum row (19 MiB, two passes, one lane).
pub const PARAMS: (u32, u32, u32) = (19 * 1024, 2, 1);

fn argon2() -> Result<Argon2<'static>, AppError> {
    let (m, t, p) = PARAMS;
    let params =
        Params::new(m, t, p, None).map_err(|e| AppError::internal(format!("argon2 parameters: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes and verifies passwords; cheap to clone.
#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
    /// Hashes running now, and the most ever at once (for the tests of the bound).
    running: Arc<AtomicUsize>,
    peak: Arc<AtomicUsize>,
    /// A real hash of a random password, verified when the user does not exist so that an
    /// unknown user and a wrong password take similar time.
    dummy_hash: Arc<String>,
}

impl std::fmt::Debug for PasswordHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordHasher").finish_non_exhaustive()
    }
}

impl PasswordHasher {
    /// A hasher allowing as many concurrent hashes as there are cores.
    pub fn new() -> Result<Self, AppError> {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        let mut random = [0u8; 24];
        getrandom::fill(&mut random).map_err(AppError::internal)?;
        let dummy = hash_blocking(&hex::encode(random))?;
        Ok(Self::with_permits(cores, dummy))
    }

    fn with_permits(permits: usize, dummy: String) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(permits)),
            running: Arc::default(),
            peak: Arc::default(),
            dummy_hash: Arc::new(dummy),
        }
    }

    /// The most hashes that ever ran at once (never more than the cores).
    pub fn peak_concurrency(&self) -> usize {
        self.peak.load(Ordering::Relaxed)
    }

    /// Runs `work` on a blocking thread once a permit is free; the permit goes with it, so a
    /// dropped request does not free it while the hash still runs.
    async fn bounded<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let permit = self.permits.clone().acquire_owned().await.map_err(AppError::internal)?;
        let (running, peak) = (self.running.clone(), self.peak.clone());
        tokio::task::spawn_blocking(move || {
            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(now, Ordering::SeqCst);
            let out = work();
            running.fetch_sub(1, Ordering::SeqCst);
            drop(permit);
            out
        })
        .await
        .map_err(AppError::internal)
    }

    /// Hashes `password` into a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`).
    pub async fn hash(&self, password: &str) -> Result<String, AppError> {
        let password = password.to_owned();
        self.bounded(move || hash_blocking(&password)).await?
    }

    /// Checks `password` against `hash`; with no hash (unknown user) it still spends the time of
    /// one verification (of a hash made with the same parameters) and answers false.
    pub async fn verify(&self, password: &str, hash: Option<&str>) -> Result<bool, AppError> {
        let known = hash.is_some();
        let hash = hash.map_or_else(|| self.dummy_hash.as_str().to_owned(), str::to_owned);
        let password = password.to_owned();
        let ok = self.bounded(move || verify_blocking(&password, &hash)).await?;
        Ok(known && ok)
    }
}

fn hash_blocking(password: &str) -> Result<String, AppError> {
    argon2()?
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::internal(format!("password hashing failed: {e}")))
}

/// Verifies under the parameters the stored hash names (its PHC string carries them).
fn verify_blocking(password: &str, hash: &str) -> bool {
    match (PasswordHash::new(hash), argon2()) {
        (Ok(parsed), Ok(argon2)) => argon2.verify_password(password.as_bytes(), &parsed).is_ok(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_differ_by_salt() {
        let hasher = PasswordHasher::new().unwrap();
        let a = hasher.hash("Mật khẩu mạnh 1").await.unwrap();
        let b = hasher.hash("Mật khẩu mạnh 1").await.unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b);
        assert!(hasher.verify("Mật khẩu mạnh 1", Some(&a)).await.unwrap());
        assert!(!hasher.verify("sai mật khẩu", Some(&a)).await.unwrap());
        assert!(!hasher.verify("Mật khẩu mạnh 1", None).await.unwrap());
        assert!(!hasher.verify("x", Some("not a hash")).await.unwrap());
        assert!(a.contains("$m=19456,t=2,p=1$"), "{a}");
    }

    #[tokio::test]
    async fn hashes_made_with_other_parameters_still_verify() {
        let hasher = PasswordHasher::new().unwrap();
        let params = Params::new(8 * 1024, 3, 1, None).unwrap();
        let old = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password(b"mat khau cu")
            .unwrap()
            .to_string();
        assert!(old.contains("$m=8192,t=3,p=1$"));
        assert!(hasher.verify("mat khau cu", Some(&old)).await.unwrap());
        assert!(!hasher.verify("mat khau moi", Some(&old)).await.unwrap());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn thirty_two_logins_at_once_hash_two_at_a_time() {
        let dummy = hash_blocking("dummy").unwrap();
        let hasher = PasswordHasher::with_permits(2, dummy);
        let stored = hasher.hash("Mật khẩu mạnh 1").await.unwrap();
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..32 {
            let (hasher, stored) = (hasher.clone(), stored.clone());
            tasks.spawn(async move {
                let hash = if i % 2 == 0 { Some(stored.as_str()) } else { None };
                hasher.verify("Mật khẩu mạnh 1", hash).await.unwrap() == (i % 2 == 0)
            });
        }
        // Dropped requests keep their permit until their hash is done.
        for _ in 0..8 {
            let hasher = hasher.clone();
            let stored = stored.clone();
            let dropped = tokio::spawn(async move { hasher.verify("x", Some(&stored)).await });
            tokio::task::yield_now().await;
            dropped.abort();
        }
        while let Some(ok) = tasks.join_next().await {
            assert!(ok.unwrap());
        }
        let peak = hasher.peak_concurrency();
        assert!((1..=2).contains(&peak), "{peak} hashes ran at once");
    }
}
