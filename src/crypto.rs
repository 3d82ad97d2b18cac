//! The register's two keys and what they do. Neither is ever stored in the database.
//!
//! - The **data key** seals people's identities at rest (names, identity numbers, phones, e-mails,
//!   addresses of petitioners, visitors and refused visitors) with XChaCha20-Poly1305, and derives
//!   the key of the **blind indexes**: keyed hashes (HMAC-SHA-256) of an identity number or a
//!   name's words, which let the register find repeats and search names without the clear value.
//!   `tiepdan rotate-key` re-seals everything under a new data key.
//! - The **audit key** makes the trail's hashes keyed (HMAC-SHA-256), so that someone who can
//!   write to the database but does not hold the key cannot recompute a chain after editing it.
//!
//! Each comes from configuration (`TIEPDAN_DATA_KEY`, `TIEPDAN_AUDIT_KEY`: 32 random bytes as 64 hex
//! digits or base64) or, with SQLite and none configured, is generated on the first start and kept
//! beside the database (`data.key`, `audit.key`, readable by the owner only). A check value of each
//! (a keyed hash of a fixed text, not the key) is kept in the database, so a server started with
//! the wrong key refuses to start instead of writing under it.

use std::{fmt, sync::Arc};

use base64::Engine as _;
use chacha20poly1305::{
    Key, KeyInit, XChaCha20Poly1305, XNonce,
    aead::{Aead, Payload},
};
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The length of a key, in bytes.
pub const KEY_LEN: usize = 32;

/// What a sealed value starts with: the format's version, so a later format can be told apart.
const SEALED_PREFIX: &str = "v1.";

/// Why a key or a sealed value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    /// A configured key is not 32 bytes as hex or base64.
    #[error("a key must be 32 random bytes, written as 64 hex digits or in base64")]
    BadKey,
    /// A stored value is not a sealed value of this register, or was sealed under another key or
    /// for another field, or was altered.
    #[error("a sealed value does not open: wrong key, wrong field or altered")]
    Unreadable,
}

/// Reads a key written as 64 hex digits or as base64 (standard or URL-safe, padded or not).
pub fn parse_key(text: &str) -> Result<[u8; KEY_LEN], CryptoError> {
    let text = text.trim();
    let bytes = if text.len() == 2 * KEY_LEN && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        hex::decode(text).map_err(|_| CryptoError::BadKey)?
    } else {
        let engines = [
            base64::engine::general_purpose::STANDARD,
            base64::engine::general_purpose::STANDARD_NO_PAD,
            base64::engine::general_purpose::URL_SAFE,
            base64::engine::general_purpose::URL_SAFE_NO_PAD,
        ];
        engines.iter().find_map(|e| e.decode(text).ok()).ok_or(CryptoError::BadKey)?
    };
    bytes.try_into().map_err(|_| CryptoError::BadKey)
}

/// A new random key, and how it is written down (hex).
pub fn generate_key() -> Result<([u8; KEY_LEN], String), getrandom::Error> {
    let mut key = [0u8; KEY_LEN];
    getrandom::fill(&mut key)?;
    Ok((key, hex::encode(key)))
}

fn mac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut mac = <HmacSha256 as hmac::KeyInit>::new_from_slice(key).expect("HMAC takes keys of any length");
    for part in parts {
        mac.update(part);
        // A unit separator: parts cannot run into each other.
        mac.update(&[0x1f]);
    }
    mac.finalize().into_bytes().into()
}

/// Seals and opens identities, and computes their blind indexes, under the data key.
#[derive(Clone)]
pub struct Sealer {
    cipher: XChaCha20Poly1305,
    /// Derived from the data key, so the indexes change when the key does.
    index_key: [u8; 32],
    check: String,
}

impl fmt::Debug for Sealer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Sealer(***)")
    }
}

impl Sealer {
    /// The sealer of a data key.
    pub fn new(key: &[u8; KEY_LEN]) -> Self {
        Self {
            cipher: XChaCha20Poly1305::new(&Key::from(*key)),
            index_key: mac(key, &[b"tiepdan blind index"]),
            check: hex::encode(mac(key, &[b"tiepdan data key check"])),
        }
    }

    /// Seals `plain` for the field `field` (e.g. `petition_party.full_name`): the field is bound
    /// into the seal, so a value moved to another field does not open there.
    pub fn seal(&self, field: &str, plain: &str) -> Result<String, CryptoError> {
        let mut nonce = [0u8; 24];
        getrandom::fill(&mut nonce).map_err(|_| CryptoError::Unreadable)?;
        let sealed = self
            .cipher
            .encrypt(&XNonce::from(nonce), Payload { msg: plain.as_bytes(), aad: field.as_bytes() })
            .map_err(|_| CryptoError::Unreadable)?;
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&sealed);
        Ok(format!("{SEALED_PREFIX}{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)))
    }

    /// Opens a value sealed for `field`.
    pub fn open(&self, field: &str, sealed: &str) -> Result<String, CryptoError> {
        let body = sealed.strip_prefix(SEALED_PREFIX).ok_or(CryptoError::Unreadable)?;
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|_| CryptoError::Unreadable)?;
        if bytes.len() < 24 {
            return Err(CryptoError::Unreadable);
        }
        let (nonce, sealed) = bytes.split_at(24);
        let nonce: [u8; 24] = nonce.try_into().map_err(|_| CryptoError::Unreadable)?;
        let plain = self
            .cipher
            .decrypt(&XNonce::from(nonce), Payload { msg: sealed, aad: field.as_bytes() })
            .map_err(|_| CryptoError::Unreadable)?;
        String::from_utf8(plain).map_err(|_| CryptoError::Unreadable)
    }

    /// Seals the bytes `plain` (a chunk of an attachment) bound to `context` (which file and
    /// place): the nonce (24 bytes), then the ciphertext and its tag (16 bytes). Bytes moved to
    /// another place do not open there.
    pub fn seal_bytes(&self, context: &str, plain: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let mut nonce = [0u8; 24];
        getrandom::fill(&mut nonce).map_err(|_| CryptoError::Unreadable)?;
        let sealed = self
            .cipher
            .encrypt(&XNonce::from(nonce), Payload { msg: plain, aad: context.as_bytes() })
            .map_err(|_| CryptoError::Unreadable)?;
        let mut bytes = Vec::with_capacity(nonce.len() + sealed.len());
        bytes.extend_from_slice(&nonce);
        bytes.extend_from_slice(&sealed);
        Ok(bytes)
    }

    /// Opens bytes sealed by [`Sealer::seal_bytes`] for `context`.
    pub fn open_bytes(&self, context: &str, sealed: &[u8]) -> Result<Vec<u8>, CryptoError> {
        if sealed.len() < 24 {
            return Err(CryptoError::Unreadable);
        }
        let (nonce, body) = sealed.split_at(24);
        let nonce: [u8; 24] = nonce.try_into().map_err(|_| CryptoError::Unreadable)?;
        self.cipher
            .decrypt(&XNonce::from(nonce), Payload { msg: body, aad: context.as_bytes() })
            .map_err(|_| CryptoError::Unreadable)
    }

    /// Whether a stored text is a sealed value (and not a clear one, from before encryption).
    pub fn is_sealed(stored: &str) -> bool {
        stored.starts_with(SEALED_PREFIX)
    }

    /// The blind index of `value` for the use `purpose` (e.g. `id_number`, `name_word`): a keyed
    /// hash, equal for equal values, that tells nothing about the value without the key.
    pub fn blind(&self, purpose: &str, value: &str) -> String {
        hex::encode(mac(&self.index_key, &[purpose.as_bytes(), value.as_bytes()]))
    }

    /// The check value kept in the database for this key.
    pub fn check_value(&self) -> &str {
        &self.check
    }
}

/// Keys the audit trail's hashes under the audit key.
#[derive(Clone)]
pub struct Auditor {
    key: [u8; KEY_LEN],
    check: String,
}

impl fmt::Debug for Auditor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Auditor(***)")
    }
}

impl Auditor {
    /// The auditor of an audit key.
    pub fn new(key: &[u8; KEY_LEN]) -> Self {
        Self { key: *key, check: hex::encode(mac(key, &[b"tiepdan audit key check"])) }
    }

    /// The keyed hash (hex) of `parts`, each kept apart from the next.
    pub fn mac(&self, parts: &[&str]) -> String {
        let parts: Vec<&[u8]> = parts.iter().map(|p| p.as_bytes()).collect();
        hex::encode(mac(&self.key, &parts))
    }

    /// The check value kept in the database for this key.
    pub fn check_value(&self) -> &str {
        &self.check
    }
}

/// The register's keys, shared by every request.
#[derive(Clone, Debug)]
pub struct Keys {
    pub data: Arc<Sealer>,
    pub audit: Arc<Auditor>,
}

impl Keys {
    /// Keys from their bytes.
    pub fn new(data: &[u8; KEY_LEN], audit: &[u8; KEY_LEN]) -> Self {
        Self { data: Arc::new(Sealer::new(data)), audit: Arc::new(Auditor::new(audit)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const K1: [u8; 32] = [7; 32];
    const K2: [u8; 32] = [9; 32];

    #[test]
    fn keys_read_as_hex_or_base64() {
        let hex = "07".repeat(32);
        assert_eq!(parse_key(&hex), Ok(K1));
        let b64 = base64::engine::general_purpose::STANDARD.encode(K1);
        assert_eq!(parse_key(&b64), Ok(K1));
        assert_eq!(parse_key(b64.trim_end_matches('=')), Ok(K1));
        assert_eq!(parse_key("short"), Err(CryptoError::BadKey));
        assert_eq!(parse_key(&"0".repeat(62)), Err(CryptoError::BadKey));
    }

    #[test]
    fn sealed_bytes_open_in_their_place_under_their_key_only() {
        let sealer = Sealer::new(&K1);
        let plain = b"%PDF-1.7 the denouncer's letter".to_vec();
        let sealed = sealer.seal_bytes("attachment_chunk:7:0", &plain).unwrap();
        assert_eq!(sealed.len(), plain.len() + 24 + 16);
        assert!(!sealed.windows(8).any(|w| w == b"%PDF-1.7"), "nothing of the clear bytes");
        assert_eq!(sealer.open_bytes("attachment_chunk:7:0", &sealed), Ok(plain));
        assert_eq!(sealer.open_bytes("attachment_chunk:7:1", &sealed), Err(CryptoError::Unreadable), "moved");
        assert_eq!(
            Sealer::new(&K2).open_bytes("attachment_chunk:7:0", &sealed),
            Err(CryptoError::Unreadable)
        );
        let mut flipped = sealed.clone();
        flipped[30] ^= 1;
        assert_eq!(sealer.open_bytes("attachment_chunk:7:0", &flipped), Err(CryptoError::Unreadable));
        assert_eq!(sealer.open_bytes("attachment_chunk:7:0", &sealed[..20]), Err(CryptoError::Unreadable));
    }

    #[test]
    fn a_sealed_value_opens_for_its_field_under_its_key_only() {
        let sealer = Sealer::new(&K1);
        let sealed = sealer.seal("petition_party.full_name", "Nguyễn Văn An").unwrap();
        assert!(Sealer::is_sealed(&sealed) && !sealed.contains("Nguy"));
        assert_ne!(
            sealed,
            sealer.seal("petition_party.full_name", "Nguyễn Văn An").unwrap(),
            "a new nonce each time"
        );
        assert_eq!(sealer.open("petition_party.full_name", &sealed).as_deref(), Ok("Nguyễn Văn An"));
        assert_eq!(sealer.open("petition_party.address", &sealed), Err(CryptoError::Unreadable));
        assert_eq!(Sealer::new(&K2).open("petition_party.full_name", &sealed), Err(CryptoError::Unreadable));
        // One character of the ciphertext changed (never to itself: replacing the last one by a
        // fixed letter left it unchanged one time in 64).
        let mut chars: Vec<char> = sealed.chars().collect();
        let i = chars.len() - 5;
        chars[i] = if chars[i] == 'A' { 'B' } else { 'A' };
        let altered: String = chars.into_iter().collect();
        assert_ne!(altered, sealed);
        assert!(sealer.open("petition_party.full_name", &altered).is_err());
        assert!(!Sealer::is_sealed("Nguyễn Văn An"));
    }

    #[test]
    fn blind_indexes_match_equal_values_under_one_key() {
        let (a, b) = (Sealer::new(&K1), Sealer::new(&K2));
        assert_eq!(a.blind("id_number", "001234567890"), a.blind("id_number", "001234567890"));
        assert_ne!(a.blind("id_number", "001234567890"), a.blind("id_number", "001234567891"));
        assert_ne!(a.blind("id_number", "001234567890"), a.blind("name_word", "001234567890"));
        assert_ne!(a.blind("id_number", "001234567890"), b.blind("id_number", "001234567890"));
        assert_ne!(a.check_value(), b.check_value());
    }

    #[test]
    fn audit_macs_are_keyed_and_separate_their_parts() {
        let (a, b) = (Auditor::new(&K1), Auditor::new(&K2));
        assert_eq!(a.mac(&["x", "y"]), a.mac(&["x", "y"]));
        assert_ne!(a.mac(&["x", "y"]), b.mac(&["x", "y"]));
        assert_ne!(a.mac(&["xy", ""]), a.mac(&["x", "y"]));
        assert_eq!(a.mac(&["x"]).len(), 64);
    }
}
