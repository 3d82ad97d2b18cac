//! The outbox of messages to citizens and staff (issue 17): each written in the same transaction
//! as the change it tells of, so that nothing is lost when the mail server or the SMS gateway is
//! down; a worker sends the due ones and retries the failed with back-off. The recipient, subject
//! and body are personal data: sealed under the data key, like identities.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    Channel,
    Kind,
    AgencyId,
    PetitionId,
    UserId,
    Recipient,
    Subject,
    Body,
    Status,
    Attempts,
    NextAttemptAt,
    LastError,
    CreatedAt,
    SentAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Outbox::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Outbox::Id))
                    .col(string_len(Outbox::Channel, 10))
                    .col(string_len(Outbox::Kind, 40))
                    .col(big_integer_null(Outbox::AgencyId))
                    .col(big_integer_null(Outbox::PetitionId))
                    .col(big_integer_null(Outbox::UserId))
                    .col(text(Outbox::Recipient))
                    .col(text(Outbox::Subject))
                    .col(text(Outbox::Body))
                    .col(string_len(Outbox::Status, 10))
                    .col(integer(Outbox::Attempts).default(0))
                    .col(timestamp_with_time_zone(Outbox::NextAttemptAt))
                    .col(text_null(Outbox::LastError))
                    .col(timestamp_with_time_zone(Outbox::CreatedAt))
                    .col(timestamp_with_time_zone_null(Outbox::SentAt))
                    .to_owned(),
            )
            .await?;
        // The worker's due messages, oldest first; the admin's list by status.
        manager
            .create_index(
                Index::create()
                    .name("ix_outbox_due")
                    .table(Outbox::Table)
                    .col(Outbox::Status)
                    .col(Outbox::NextAttemptAt)
                    .col(Outbox::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_outbox_petition")
                    .table(Outbox::Table)
                    .col(Outbox::PetitionId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Outbox::Table).to_owned()).await
    }
}
