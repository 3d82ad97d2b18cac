//! `attachment`: a document or photo of a case (`service::attachments`): its name, the type its
//! first bytes showed, its size and SHA-256, and who added it (an officer, or the citizen through
//! the portal). Its bytes are in `attachment_chunk`.

use sea_orm::entity::prelude::*;

use crate::domain::attachment::FileType;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attachment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub petition_id: i64,
    pub agency_id: i64,
    /// Sealed under the data key (`identity::field::ATTACHMENT_NAME`).
    pub name: String,
    pub content_type: FileType,
    pub size: i64,
    /// Lower-case hex.
    pub sha256: String,
    /// The officer who added it; `None` for the citizen on the portal.
    pub added_by: Option<i64>,
    pub by_citizen: bool,
    pub created_at: DateTimeUtc,
    #[sea_orm(belongs_to, from = "petition_id", to = "id")]
    pub petition: HasOne<super::petition::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
