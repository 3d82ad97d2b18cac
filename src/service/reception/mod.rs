//! Citizen reception's use cases (domain.md §3, §12): the heads' reception schedules and the
//! sessions they give, the reception book's visits, refusals to receive, session-conclusion
//! directives, the published schedule and the chairman's weekly review.
//!
//! Each endpoint has one use case here taking the request's [`Ctx`](crate::service::context::Ctx)
//! (or `Context<()>` for the public schedule) and the form as sent: it parses the form into the
//! domain's checked input, chooses the reader or the writer, owns its transaction and returns what
//! the view needs (names, units, due dates). The steps under them take a connection and `now`, so
//! that a use case can run them in its transaction (and the demo loader in its own).

pub mod book;
pub mod directives;
pub mod occurrences;
pub mod public;
pub mod refusals;
pub mod review;
pub mod schedules;
pub mod sessions;
pub mod visits;

/// The names of users by id, and of units (from the petition register: one query each).
pub use crate::service::petitions::{names_of, unit_names};
