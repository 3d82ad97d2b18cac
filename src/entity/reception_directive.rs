//! `reception_directive`: one instruction of a session-conclusion notice to a unit, with its due date.

use sea_orm::entity::prelude::*;

use crate::domain::reception::DirectiveStatus;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reception_directive")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub agency_id: i64,
    pub session_id: i64,
    pub unit_id: i64,
    pub task: String,
    pub due_on: Date,
    pub status: DirectiveStatus,
    pub result: Option<String>,
    pub done_on: Option<Date>,
    pub done_by: Option<i64>,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    #[sea_orm(belongs_to, from = "session_id", to = "id")]
    pub session: HasOne<super::reception_session::Entity>,
    #[sea_orm(belongs_to, from = "unit_id", to = "id")]
    pub unit: HasOne<super::unit::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
