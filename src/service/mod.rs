//! Use cases, one per endpoint, over the request's [`context::Context`]: each chooses the reader
//! or the writer, owns its transaction, and returns what the view needs. Nothing here knows HTTP.

pub mod access;
pub mod agencies;
pub mod attachments;
pub mod audit;
pub mod bootstrap;
pub mod calendar;
pub mod context;
pub mod deadlines;
pub mod demo;
pub mod health;
pub mod identity;
pub mod login_throttle;
pub mod notices;
pub mod notifications;
pub mod oversight;
pub mod petitions;
pub mod plans;
pub mod reception;
pub mod reports;
pub mod seed;
pub mod special_days;
pub mod units;
pub mod users;
