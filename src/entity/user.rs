//! `user`: staff accounts and citizens' accounts. Phone and e-mail hold sealed values, and so does
//! a citizen's full name (`service::identity`); staff names stay clear, as handlers are named and
//! sorted by them everywhere.

use sea_orm::entity::prelude::*;

use crate::domain::role::Role;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "user")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub username: String,
    pub password_hash: String,
    pub full_name: String,
    pub role: Role,
    pub agency_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub active: bool,
    pub token_version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    #[sea_orm(belongs_to, from = "agency_id", to = "id")]
    pub agency: HasOne<super::agency::Entity>,
    #[sea_orm(belongs_to, from = "unit_id", to = "id")]
    pub unit: HasOne<super::unit::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
