//! HS256 tokens. Expiry is checked against the application's clock (time is an input), and the
//! token carries the account's `token_version` so a reset or deactivation revokes it at once.

use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// What a token says.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    /// The user's id.
    pub sub: String,
    /// The account's token version when issued.
    pub ver: i32,
    /// Issued at (seconds since the epoch).
    pub iat: i64,
    /// Expires at (seconds since the epoch).
    pub exp: i64,
    /// The token's own id (random), so that one sign-in can be revoked without the others
    /// (issue 18: a sign-out will list it as revoked until `exp`). Tokens issued before it had
    /// none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jti: Option<String>,
}

/// The signing keys and token lifetime.
#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    ttl: Duration,
}

impl std::fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtKeys").field("ttl", &self.ttl).finish_non_exhaustive()
    }
}

/// Why a secret was refused at start-up.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum WeakSecret {
    #[error("the JWT secret must be at least 32 bytes")]
    TooShort,
    /// The secret contains a word of example and placeholder secrets (the word, as listed in
    /// [`EXAMPLE_WORDS`]).
    #[error(
        "the JWT secret contains \"{0}\" (in any case), a word of example and placeholder secrets; \
         use a random value instead, e.g. the output of `openssl rand -hex 32`"
    )]
    Example(&'static str),
    #[error("the JWT secret has too little variety (fewer than 10 distinct characters)")]
    LowVariety,
}

/// Words that mark a copied example or a placeholder left in a configuration (compared ignoring
/// case, anywhere in the secret): a secret containing one is refused. The longer phrases come
/// first so that the refusal names the most telling one.
pub const EXAMPLE_WORDS: [&str; 10] = [
    "your-256-bit-secret",
    "your_jwt_secret",
    "jwt-secret",
    "change-me",
    "change_me",
    "changeme",
    "secret",
    "password",
    "example",
    "replace",
];

/// Refuses secrets that are short, copied from examples or barely varied.
pub fn check_secret_strength(secret: &str) -> Result<(), WeakSecret> {
    if secret.len() < 32 {
        return Err(WeakSecret::TooShort);
    }
    let lowered = secret.to_lowercase();
    if let Some(word) = EXAMPLE_WORDS.iter().find(|word| lowered.contains(*word)) {
        return Err(WeakSecret::Example(word));
    }
    let distinct: std::collections::HashSet<char> = secret.chars().collect();
    if distinct.len() < 10 {
        return Err(WeakSecret::LowVariety);
    }
    Ok(())
}

impl JwtKeys {
    /// Keys from a secret that passed [`check_secret_strength`].
    pub fn new(secret: &[u8], ttl: Duration) -> Self {
        Self { encoding: EncodingKey::from_secret(secret), decoding: DecodingKey::from_secret(secret), ttl }
    }

    /// How long a token lives.
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// Issues a token for `user_id` at `now`.
    pub fn issue(&self, user_id: i64, token_version: i32, now: DateTime<Utc>) -> Result<String, AppError> {
        let claims = Claims {
            sub: user_id.to_string(),
            ver: token_version,
            iat: now.timestamp(),
            exp: (now + self.ttl).timestamp(),
            jti: Some(uuid::Uuid::new_v4().simple().to_string()),
        };
        self.sign(&claims)
    }

    /// Signs arbitrary claims (tests use it to forge expired tokens with the right key).
    pub fn sign(&self, claims: &Claims) -> Result<String, AppError> {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
            .map_err(AppError::internal)
    }

    /// Checks signature, algorithm and expiry at `now`.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<Claims, AppError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.validate_exp = false; // checked below against the app clock
        validation.set_required_spec_claims(&["exp", "sub"]);
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)
            .map_err(|_| AppError::unauthorized("invalid_token", "Phiên đăng nhập không hợp lệ."))?;
        if data.claims.exp <= now.timestamp() {
            return Err(AppError::unauthorized(
                "token_expired",
                "Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại.",
            ));
        }
        Ok(data.claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> JwtKeys {
        JwtKeys::new(b"k9R2v!x7Qm#4pL8zW1sT6yN3bH5dF0gJ", Duration::hours(1))
    }

    #[test]
    fn issued_tokens_verify_until_they_expire() {
        let now = Utc::now();
        let token = keys().issue(42, 3, now).unwrap();
        let claims = keys().verify(&token, now).unwrap();
        assert_eq!((claims.sub.as_str(), claims.ver), ("42", 3));
        let other = keys().verify(&keys().issue(42, 3, now).unwrap(), now).unwrap();
        assert!(claims.jti.is_some() && claims.jti != other.jti, "each token has its own id");
        let later = now + Duration::hours(1) + Duration::seconds(1);
        let err = keys().verify(&token, later).unwrap_err();
        assert_eq!(err.code(), "token_expired");
    }

    #[test]
    fn tokens_signed_with_another_key_are_rejected() {
        let now = Utc::now();
        let other = JwtKeys::new(b"another-strong-key-0123456789ABCDEF", Duration::hours(1));
        let token = other.issue(1, 0, now).unwrap();
        assert_eq!(keys().verify(&token, now).unwrap_err().code(), "invalid_token");
        assert_eq!(keys().verify("not.a.token", now).unwrap_err().code(), "invalid_token");
    }

    #[test]
    fn weak_secrets_are_refused() {
        assert_eq!(check_secret_strength("short"), Err(WeakSecret::TooShort));
        assert_eq!(
            check_secret_strength("your-256-bit-secret-your-256-bit-secret"),
            Err(WeakSecret::Example("your-256-bit-secret"))
        );
        for (secret, word) in [
            ("k9R2v!x7Qm#4pL8zW1sT6yN3bH5dF0gJ-Secret", "secret"),
            ("k9R2v!x7Qm#4pL8zW1sT6yN3bH5dF0gJ-PASSWORD", "password"),
            ("k9R2v!x7Qm#4pL8zW1sT6yN3bH5dF0gJ-example", "example"),
            ("replace-me-k9R2v!x7Qm#4pL8zW1sT6yN3bH5dF0gJ", "replace"),
        ] {
            let refused = check_secret_strength(secret).unwrap_err();
            assert_eq!(refused, WeakSecret::Example(word), "{secret}");
            assert!(
                refused.to_string().contains(&format!("\"{word}\"")),
                "the reason names the word: {refused}"
            );
        }
        assert_eq!(check_secret_strength(&"ab".repeat(20)), Err(WeakSecret::LowVariety));
        assert!(check_secret_strength("k9R2v!x7Qm#4pL8zW1sT6yN3bH5dF0gJ").is_ok());
    }
}
