//! `reception_refusal`: a refusal to receive a citizen, with its legal ground. The visitor's
//! identity columns hold sealed values (`service::identity`).

use sea_orm::entity::prelude::*;

use crate::domain::reception::RefusalGround;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reception_refusal")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub agency_id: i64,
    pub session_id: i64,
    pub refused_on: Date,
    pub visitor_name: String,
    pub visitor_address: Option<String>,
    pub visitor_id_number: Option<String>,
    pub ground: RefusalGround,
    pub details: Option<String>,
    pub notice_required: bool,
    /// The day the grounds were established: the written notice's clock starts there.
    pub grounds_on: Option<Date>,
    pub notice_sent_on: Option<Date>,
    pub notice_no: Option<String>,
    pub notice_recorded_by: Option<i64>,
    pub refused_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    #[sea_orm(belongs_to, from = "session_id", to = "id")]
    pub session: HasOne<super::reception_session::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
