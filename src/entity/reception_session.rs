//! `reception_session`: a citizen reception session (periodic, regular, unscheduled, online).

use sea_orm::entity::prelude::*;

use super::json::JsonList;
use crate::domain::reception::{SessionKind, SessionSource, SessionStatus, Trigger};

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reception_session")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub agency_id: i64,
    pub kind: SessionKind,
    pub session_date: Date,
    pub host_id: i64,
    pub location: String,
    /// The hours of reception, as people write them ("Sáng 7 giờ 30 – 11 giờ 30"; migration 000025).
    pub hours: Option<String>,
    pub status: SessionStatus,
    pub source: SessionSource,
    /// The rule's own date for a generated session, before moving it off a holiday.
    pub nominal_date: Option<Date>,
    pub trigger_kind: Option<Trigger>,
    pub trigger_note: Option<String>,
    /// Participants' names and positions.
    pub participants: JsonList<String>,
    pub note_taker_id: Option<i64>,
    pub expected_content: Option<String>,
    pub notice_on: Option<Date>,
    pub meeting_link: Option<String>,
    pub recording_ref: Option<String>,
    pub cancel_reason: Option<String>,
    pub held_at: Option<DateTimeUtc>,
    pub conclusion: Option<String>,
    pub concluded_at: Option<DateTimeUtc>,
    pub concluded_by: Option<i64>,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    #[sea_orm(belongs_to, from = "agency_id", to = "id")]
    pub agency: HasOne<super::agency::Entity>,
    #[sea_orm(belongs_to, from = "host_id", to = "id")]
    pub host: HasOne<super::user::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
