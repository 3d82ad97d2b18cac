//! sea-orm entities, one file per table, no logic. Never serialised to clients: see `views`.

pub mod account_event;
pub mod agency;
pub mod audit_seal;
pub mod deadline;
pub mod identity_access;
pub mod json;
pub mod notice;
pub mod notice_counter;
pub mod outbox;
pub mod petition;
pub mod petition_content;
pub mod petition_event;
pub mod petition_party;
pub mod petition_rating;
pub mod reception_book_counter;
pub mod reception_directive;
pub mod reception_refusal;
pub mod reception_rule;
pub mod reception_rule_version;
pub mod reception_session;
pub mod reception_visit;
pub mod setting;
pub mod special_day;
pub mod unit;
pub mod user;
