//! Use cases over a database connection and `now`. Handlers call one of these; each writes what
//! it decides in one transaction.

pub mod access;
pub mod agencies;
pub mod audit;
pub mod bootstrap;
pub mod calendar;
pub mod deadlines;
pub mod demo;
pub mod petitions;
pub mod reception;
pub mod special_days;
pub mod units;
pub mod users;
