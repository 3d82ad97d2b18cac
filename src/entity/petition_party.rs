//! `petition_party`: petitioners, co-signatories and representatives: the identity store. Every
//! identity column holds a sealed value (`service::identity`); the identity number is found by its
//! blind index.

use sea_orm::entity::prelude::*;

use crate::domain::petition::PartyRole;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "petition_party")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub petition_id: i64,
    pub role: PartyRole,
    pub full_name: String,
    pub id_number: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// The keyed hash of the identity number (`service::identity::id_number_blind`), for repeats.
    pub id_number_blind: Option<String>,
    #[sea_orm(belongs_to, from = "petition_id", to = "id")]
    pub petition: HasOne<super::petition::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
