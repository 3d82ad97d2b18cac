//! Citizen reception (domain.md §3, §8, §12), along its seams:
//! - [`sessions`]: session kinds and their legal triggers, where a session stands, the notice an
//!   online session needs, and the session forms;
//! - [`schedule`]: the heads' reception schedules, their versions, and the sessions they give over
//!   the working-day calendar;
//! - [`minimum`]: the law's minimum of a chairman's own reception by level, and what falls below it;
//! - [`visits`]: the lines of the book as sent, with the representatives rule of a crowd delegation;
//! - [`refusals`]: the grounds for refusing to receive and which need a written notice;
//! - [`directives`]: the session-conclusion notice and its directives to units;
//! - [`book`]: the columns of the reception book (Mẫu số 03/TCD) and a line as the form prints it;
//! - [`public`]: the published schedule and its iCalendar feed;
//! - [`weeks`]: ISO weeks and the rates of the weekly review;
//! - [`period`]: how far records and queries may reach.
//!
//! Every item is also reachable from here (`domain::reception::SessionKind`).

/// The longest text of a session's or a schedule's hours of reception, in characters (migration
/// 000025).
pub const HOURS_MAX_CHARS: usize = 100;

pub mod book;
pub mod directives;
pub mod minimum;
pub mod period;
pub mod public;
pub mod refusals;
pub mod schedule;
pub mod sessions;
pub mod visits;
pub mod weeks;

pub use book::*;
pub use directives::*;
pub use minimum::*;
pub use period::*;
pub use public::*;
pub use refusals::*;
pub use schedule::*;
pub use sessions::*;
pub use visits::*;
pub use weeks::*;
