//! `petition_event`: the append-only audit trail of a case, each event chained to the previous one
//! by a keyed hash (`service::audit`).

use sea_orm::entity::prelude::*;

use crate::domain::petition::{EventAction, Status};

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "petition_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub petition_id: i64,
    pub seq: i32,
    pub at: DateTimeUtc,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub action: EventAction,
    pub from_status: Option<Status>,
    pub to_status: Option<Status>,
    pub changes: String,
    pub prev_hash: String,
    pub hash: String,
    /// The case's legally relevant facts after the event, as JSON (`service::audit::Facts`),
    /// covered by `hash`; empty for an event written before hashes were keyed.
    pub facts: String,
    /// The seal that recorded this event (`audit_seal.seq`), `None` until one did: the sealer's
    /// work list, not evidence (the seals themselves are).
    pub sealed: Option<i64>,
    #[sea_orm(belongs_to, from = "petition_id", to = "id")]
    pub petition: HasOne<super::petition::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
