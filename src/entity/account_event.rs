//! `account_event`: every change made to a staff account (created, changed, password reset), in
//! one keyed hash chain by `seq`, so that the admin is not a back door (issue 13).

use sea_orm::entity::prelude::*;

use super::json::JsonList;
use crate::domain::oversight::{AccountAction, AccountFlag};

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "account_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// 1, 2, 3… with no gap: a deleted event breaks the sequence.
    #[sea_orm(unique)]
    pub seq: i64,
    pub at: DateTimeUtc,
    /// `None`: the register itself (the first admin at the first start).
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub account_id: i64,
    /// The account's agency (`None` for a citizen's account).
    pub agency_id: Option<i64>,
    pub action: AccountAction,
    /// The fields changed, JSON: `{"role": {"from", "to"}, …}`; personal fields only as changed.
    #[sea_orm(column_type = "Text")]
    pub changes: String,
    pub flags: JsonList<AccountFlag>,
    pub prev_hash: String,
    /// HMAC-SHA-256 under the audit key of the event's fields and `prev_hash`.
    pub hash: String,
    #[sea_orm(belongs_to, from = "account_id", to = "id")]
    pub account: HasOne<super::user::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
