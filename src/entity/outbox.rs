//! `outbox`: a message to a citizen or a member of staff, written in the same transaction as the
//! change it tells of, sent by the worker (`service::notifications::deliver`). The recipient,
//! subject and body are sealed under the data key.

use sea_orm::entity::prelude::*;

use crate::domain::message::{MessageChannel, MessageKind, MessageStatus};

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub channel: MessageChannel,
    pub kind: MessageKind,
    pub agency_id: Option<i64>,
    pub petition_id: Option<i64>,
    /// The member of staff it is for (none for a citizen).
    pub user_id: Option<i64>,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub status: MessageStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
}

impl ActiveModelBehavior for ActiveModel {}
