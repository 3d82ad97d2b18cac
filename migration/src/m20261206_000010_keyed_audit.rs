//! Tamper evidence that holds against an insider (issue 13): each event of a trail keeps the
//! case's legally relevant facts at that moment (`facts`, covered by its keyed hash), and the
//! register seals its trails periodically (`audit_seal`, each seal chained to the previous one).
//!
//! - `petition_event.facts`: the facts as JSON; empty for the events written before this change
//!   (hashed with plain SHA-256), which the start-up after this migration anchors once under the
//!   audit key (`service::audit::legacy`; the key is not known here).
//! - `petition_event.sealed`: the seal that recorded the event, `NULL` until one did. The partial
//!   index on the events not yet sealed is the sealer's work list: it stays as small as the events
//!   written since the last seal, whatever the size of the register.
//! - `audit_seal`: the seals, numbered from 1 (the number is the key, so of two servers sealing at
//!   once only one can write the next seal).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(PetitionEvent::Table)
                    .add_column(text(PetitionEvent::Facts).default(""))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(PetitionEvent::Table)
                    .add_column(big_integer_null(PetitionEvent::Sealed))
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE INDEX ix_petition_event_unsealed ON petition_event (id) WHERE sealed IS NULL",
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditSeal::Table)
                    .if_not_exists()
                    .col(big_integer(AuditSeal::Seq).primary_key())
                    .col(timestamp_with_time_zone(AuditSeal::At))
                    .col(integer(AuditSeal::Events))
                    .col(text(AuditSeal::Heads))
                    .col(string_len(AuditSeal::Prev, 64))
                    .col(string_len(AuditSeal::Mac, 64))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(AuditSeal::Table).to_owned()).await?;
        manager
            .get_connection()
            .execute_unprepared("DROP INDEX IF EXISTS ix_petition_event_unsealed")
            .await?;
        for column in [PetitionEvent::Sealed, PetitionEvent::Facts] {
            manager
                .alter_table(Table::alter().table(PetitionEvent::Table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum PetitionEvent {
    Table,
    Facts,
    Sealed,
}

#[derive(DeriveIden)]
enum AuditSeal {
    Table,
    Seq,
    At,
    Events,
    Heads,
    Prev,
    Mac,
}
