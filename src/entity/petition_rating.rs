//! `petition_rating`: a citizen's satisfaction rating of a closed case.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "petition_rating")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub petition_id: i64,
    pub score: i16,
    pub comment: Option<String>,
    pub at: DateTimeUtc,
    #[sea_orm(belongs_to, from = "petition_id", to = "id")]
    pub petition: HasOne<super::petition::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
