//! Integration tests: the real router, in-process, on a fresh database per test. SQLite by
//! default; set `TIEPDAN_TEST_PG_URL=postgres://user@host/postgres` to run the same tests on
//! PostgreSQL (each test creates its own database there).

mod conformance;
mod support;

mod access;
mod attachments;
mod auth;
mod backup;
mod bootstrap;
mod calendar;
mod case_steps;
mod confidentiality;
mod connections;
mod crash;
mod denouncer_walk;
mod errors;
mod identities;
mod notice_clocks;
mod notices;
mod notifications;
mod oversight;
mod petition_roles;
mod petitions;
mod plans;
mod public_timeline;
mod reception;
mod reception_bounds;
mod reception_minimums;
mod reports;
mod retention;
mod robustness;
mod search_index;
mod second_rounds;
mod seed;
mod sign_in_guards;
mod superior_reads;
mod tamper;
mod timeouts;
mod users_units;
