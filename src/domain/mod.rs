//! Pure rules of the register: no I/O, exhaustively unit-tested. Services feed them data and
//! store what they decide.

pub mod account;
pub mod agency;
pub mod attachment;
pub mod calendar;
pub mod deadline;
pub mod delegation;
pub mod input;
pub mod login_throttle;
pub mod lunar;
pub mod message;
pub mod notice;
pub mod oversight;
pub mod page;
pub mod password;
pub mod person;
pub mod petition;
pub mod reception;
pub mod report;
pub mod role;
pub mod text;
pub mod validate;

/// A spelling that names no value of a closed set: read from storage, it is a corrupt row and
/// fails loudly rather than falling back to some default.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not a known {type_name}")]
pub struct UnknownValue {
    /// The set, e.g. `Kind`.
    pub type_name: &'static str,
    /// What was read.
    pub value: String,
}

impl UnknownValue {
    /// An unknown `value` of the set `type_name`.
    pub fn new(type_name: &'static str, value: &str) -> Self {
        Self { type_name, value: value.chars().take(100).collect() }
    }
}
