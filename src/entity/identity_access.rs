//! `identity_access`: every read of a petitioner's identity (the evidence of §6 rule 5).

use sea_orm::entity::prelude::*;

use crate::domain::petition::ReadPurpose;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "identity_access")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub petition_id: i64,
    pub user_id: i64,
    pub at: DateTimeUtc,
    pub purpose: ReadPurpose,
    #[sea_orm(belongs_to, from = "petition_id", to = "id")]
    pub petition: HasOne<super::petition::Entity>,
    #[sea_orm(belongs_to, from = "user_id", to = "id")]
    pub reader: HasOne<super::user::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
