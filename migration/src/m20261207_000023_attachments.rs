//! Attachments (issue 17): the documents and photos of a case, kept in the database so that the
//! servers stay stateless. A file is a row of `attachment` (its name, verified type, size and
//! SHA-256, who added it) and its bytes in `attachment_chunk`, 256 KiB a row in order, so that an
//! upload is written and a download read one chunk at a time (`BLOB` on SQLite, `BYTEA` on
//! PostgreSQL). Like the people's identities, the name and every chunk are sealed under the data
//! key (the name as text, hence `TEXT`; a chunk as its nonce, ciphertext and tag). A case's files
//! are listed, and its total size summed, on `ix_attachment_petition`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Attachment::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Attachment::Id))
                    .col(big_integer(Attachment::PetitionId))
                    .col(big_integer(Attachment::AgencyId))
                    .col(text(Attachment::Name))
                    .col(string_len(Attachment::ContentType, 100))
                    .col(big_integer(Attachment::Size))
                    .col(string_len(Attachment::Sha256, 64))
                    .col(big_integer_null(Attachment::AddedBy))
                    .col(boolean(Attachment::ByCitizen))
                    .col(timestamp_with_time_zone(Attachment::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_attachment_petition")
                            .from(Attachment::Table, Attachment::PetitionId)
                            .to(Petition::Table, Petition::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_attachment_agency")
                            .from(Attachment::Table, Attachment::AgencyId)
                            .to(Agency::Table, Agency::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_attachment_added_by")
                            .from(Attachment::Table, Attachment::AddedBy)
                            .to(User::Table, User::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // A case's files in order, and what they add up to (count and size, read before an upload).
        manager
            .create_index(
                Index::create()
                    .name("ix_attachment_petition")
                    .table(Attachment::Table)
                    .col(Attachment::PetitionId)
                    .col(Attachment::Id)
                    .col(Attachment::Size)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AttachmentChunk::Table)
                    .if_not_exists()
                    .col(big_integer(AttachmentChunk::AttachmentId))
                    .col(integer(AttachmentChunk::Seq))
                    .col(blob(AttachmentChunk::Bytes))
                    .primary_key(Index::create().col(AttachmentChunk::AttachmentId).col(AttachmentChunk::Seq))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_attachment_chunk_attachment")
                            .from(AttachmentChunk::Table, AttachmentChunk::AttachmentId)
                            .to(Attachment::Table, Attachment::Id),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(AttachmentChunk::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Attachment::Table).to_owned()).await?;
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Attachment {
    Table,
    Id,
    PetitionId,
    AgencyId,
    Name,
    ContentType,
    Size,
    Sha256,
    AddedBy,
    ByCitizen,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AttachmentChunk {
    Table,
    AttachmentId,
    Seq,
    Bytes,
}

#[derive(DeriveIden)]
enum Petition {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Agency {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum User {
    Table,
    Id,
}
