//! `unit`: a unit of an agency that advises the chairman and handles cases.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "unit")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub agency_id: i64,
    pub name: String,
    pub code: String,
    pub created_at: DateTimeUtc,
    #[sea_orm(belongs_to, from = "agency_id", to = "id")]
    pub agency: HasOne<super::agency::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
