//! What the chairman oversees so that no insider is a back door (issue 13): every change made to
//! an account, in a keyed hash chain ([`account_events`]), and every read of a protected identity,
//! with its purpose ([`identity_reads`]).

pub mod account_events;
pub mod identity_reads;
