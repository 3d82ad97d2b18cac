//! `notice`: a written notice of a case or of a refusal to receive (`service::notices`), numbered
//! per agency and year, with the clock its sending meets and when and how it was sent.

use sea_orm::entity::prelude::*;

use crate::domain::{
    deadline::ClockId,
    notice::{NoticeKind, Recipient, SendChannel},
};

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notice")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub agency_id: i64,
    pub petition_id: Option<i64>,
    pub refusal_id: Option<i64>,
    pub kind: NoticeKind,
    pub recipient: Recipient,
    pub doc_year: i32,
    pub doc_no: i32,
    pub issued_on: Date,
    /// The event of the case's trail that issued it (`petition_event.seq`).
    pub event_seq: Option<i32>,
    /// The clock its sending meets.
    pub clock: Option<ClockId>,
    pub due_on: Option<Date>,
    pub sent_on: Option<Date>,
    pub channel: Option<SendChannel>,
    pub sent_by: Option<i64>,
    /// What the document is filled with beyond the case (a ground, a body, a day and place, the
    /// result, the new date promised), as JSON.
    pub details: String,
    pub issued_by: Option<i64>,
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
