//! Authentication: password hashing, tokens, and the extractor that turns a bearer token into
//! the current user. Authorization is each handler's first visible line (`user.require_any`).

pub mod cookie;
pub mod extract;
pub mod jwt;
pub mod password;

pub use crate::domain::role::Role;
pub use extract::{AuthUser, MaybeAuthUser};
