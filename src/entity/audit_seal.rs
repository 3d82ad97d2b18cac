//! `audit_seal`: the register's seals, the chain across cases (`service::audit::seal`). Each
//! records the head of every case's trail that changed since the seal before, and is chained to
//! that seal by a keyed hash.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_seal")]
pub struct Model {
    /// 1, 2, 3…: the next seal takes the next number, or fails.
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i64,
    pub at: DateTimeUtc,
    /// How many events it recorded.
    pub events: i32,
    /// The heads it recorded: a JSON list of `[petition_id, seq, hash]`, by case.
    pub heads: String,
    /// The previous seal's `mac` (zeros for the first).
    pub prev: String,
    /// The keyed hash of this seal.
    pub mac: String,
}

impl ActiveModelBehavior for ActiveModel {}
