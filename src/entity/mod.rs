//! sea-orm entities, one file per table, no logic. Never serialised to clients: see `views`.

pub mod agency;
pub mod setting;
pub mod unit;
pub mod user;
