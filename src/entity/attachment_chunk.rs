//! `attachment_chunk`: the bytes of an attachment, in order (`seq` from 0), at most
//! [`crate::domain::attachment::CHUNK_BYTES`] a row, each sealed under the data key for its file
//! and place (`service::attachments::chunk_context`): nonce, ciphertext, tag.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attachment_chunk")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub attachment_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i32,
    #[sea_orm(column_type = "Blob")]
    pub bytes: Vec<u8>,
}

impl ActiveModelBehavior for ActiveModel {}
