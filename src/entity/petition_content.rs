//! `petition_content`: the text of a petition, kept apart from the case row (written once, read
//! on the case page).

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "petition_content")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub petition_id: i64,
    pub content: String,
    #[sea_orm(belongs_to, from = "petition_id", to = "id")]
    pub petition: HasOne<super::petition::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
