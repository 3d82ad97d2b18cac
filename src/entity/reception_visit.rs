//! `reception_visit`: one line of the reception book (Mẫu số 03/TCD). The visitor's identity
//! columns and the representatives hold sealed values (`service::identity`).

use sea_orm::entity::prelude::*;

use crate::domain::petition::Kind;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reception_visit")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub agency_id: i64,
    pub session_id: i64,
    pub book_year: i32,
    pub book_no: i32,
    pub visit_date: Date,
    pub visitor_name: String,
    pub visitor_address: Option<String>,
    pub visitor_id_number: Option<String>,
    pub people_count: i32,
    /// The group's representatives: their JSON list, sealed as one value.
    pub representatives: String,
    pub summary: String,
    pub kind: Kind,
    pub field: Option<crate::domain::petition::field::Field>,
    pub handled_before_by: Option<String>,
    pub within_competence: bool,
    pub guided_to: Option<String>,
    pub guidance_letter_no: Option<String>,
    pub accepted_by: Option<String>,
    pub forwarding_letter_no: Option<String>,
    pub follow_up: Option<String>,
    pub note: Option<String>,
    pub petition_id: Option<i64>,
    pub opened_petition: bool,
    pub recorded_by: i64,
    pub created_at: DateTimeUtc,
    #[sea_orm(belongs_to, from = "session_id", to = "id")]
    pub session: HasOne<super::reception_session::Entity>,
    #[sea_orm(belongs_to, from = "petition_id", to = "id")]
    pub petition: HasOne<super::petition::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
