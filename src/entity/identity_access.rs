//! `identity_access`: every read of a protected identity (the evidence of §6 rule 5): a case's
//! parties, a visitor of a confidential matter, a refused visitor. Each read names its agency and
//! its purpose.

use sea_orm::entity::prelude::*;

use crate::domain::petition::ReadPurpose;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "identity_access")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub agency_id: i64,
    /// The case whose people were read (a visit about a case is logged on the case).
    pub petition_id: Option<i64>,
    /// A visit of a confidential matter with no case.
    pub visit_id: Option<i64>,
    /// A refused visitor.
    pub refusal_id: Option<i64>,
    pub user_id: i64,
    pub at: DateTimeUtc,
    pub purpose: ReadPurpose,
    #[sea_orm(belongs_to, from = "petition_id", to = "id")]
    pub petition: HasOne<super::petition::Entity>,
    #[sea_orm(belongs_to, from = "user_id", to = "id")]
    pub reader: HasOne<super::user::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
