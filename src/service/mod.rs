//! Use cases over a database connection and `now`. Handlers call one of these; each writes what
//! it decides in one transaction.

pub mod agencies;
pub mod bootstrap;
pub mod demo;
pub mod units;
pub mod users;
