//! Argon2id password hashing, off the async threads and bounded by a semaphore sized to the
//! cores: unbounded concurrent hashing grew the process to several GB and starved requests.

use std::sync::Arc;

use argon2::{
    Argon2,
    password_hash::{PasswordHasher as _, PasswordVerifier as _, phc::PasswordHash},
};
use tokio::sync::Semaphore;

use crate::error::AppError;

/// Hashes and verifies passwords; cheap to clone.
#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
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
        Ok(Self { permits: Arc::new(Semaphore::new(cores)), dummy_hash: Arc::new(dummy) })
    }

    /// Hashes `password` into a PHC string (`$argon2id$…`).
    pub async fn hash(&self, password: &str) -> Result<String, AppError> {
        let _permit = self.permits.acquire().await.map_err(AppError::internal)?;
        let password = password.to_owned();
        tokio::task::spawn_blocking(move || hash_blocking(&password)).await.map_err(AppError::internal)?
    }

    /// Checks `password` against `hash`; with no hash (unknown user) it still spends the time of
    /// one verification and answers false.
    pub async fn verify(&self, password: &str, hash: Option<&str>) -> Result<bool, AppError> {
        let _permit = self.permits.acquire().await.map_err(AppError::internal)?;
        let known = hash.is_some();
        let hash = hash.map_or_else(|| self.dummy_hash.as_str().to_owned(), str::to_owned);
        let password = password.to_owned();
        let ok = tokio::task::spawn_blocking(move || verify_blocking(&password, &hash))
            .await
            .map_err(AppError::internal)?;
        Ok(known && ok)
    }
}

fn hash_blocking(password: &str) -> Result<String, AppError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::internal(format!("password hashing failed: {e}")))
}

fn verify_blocking(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
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
    }
}
