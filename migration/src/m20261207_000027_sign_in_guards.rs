//! Issue 18: what guards signing in, shared by every server on one database.
//! - `login_throttle`: the wrong passwords counted per account and per client address, with the
//!   lock they earned (exponential back-off), so several servers agree on who must wait.
//! - `revoked_token`: the sign-ins ended by a sign-out, by token id (`jti`), kept until the token
//!   would have expired anyway.
//! - `ix_outbox_agency`, `ix_outbox_agency_status`: the admin's outbox list of one agency (and of
//!   one status), newest first, read by an index.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LoginThrottle {
    Table,
    /// `account:<username>` or `client:<address>`.
    Key,
    Failures,
    WindowStart,
    LockedUntil,
}

#[derive(DeriveIden)]
enum RevokedToken {
    Table,
    Jti,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    AgencyId,
    Status,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(LoginThrottle::Table)
                    .if_not_exists()
                    .col(string_len(LoginThrottle::Key, 200).primary_key())
                    .col(integer(LoginThrottle::Failures))
                    .col(timestamp_with_time_zone(LoginThrottle::WindowStart))
                    .col(timestamp_with_time_zone_null(LoginThrottle::LockedUntil))
                    .to_owned(),
            )
            .await?;
        // The forgetting of old rows, oldest first.
        manager
            .create_index(
                Index::create()
                    .name("ix_login_throttle_window")
                    .table(LoginThrottle::Table)
                    .col(LoginThrottle::WindowStart)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RevokedToken::Table)
                    .if_not_exists()
                    .col(string_len(RevokedToken::Jti, 64).primary_key())
                    .col(timestamp_with_time_zone(RevokedToken::ExpiresAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_revoked_token_expires")
                    .table(RevokedToken::Table)
                    .col(RevokedToken::ExpiresAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_outbox_agency")
                    .table(Outbox::Table)
                    .col(Outbox::AgencyId)
                    .col(Outbox::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_outbox_agency_status")
                    .table(Outbox::Table)
                    .col(Outbox::AgencyId)
                    .col(Outbox::Status)
                    .col(Outbox::Id)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in ["ix_outbox_agency_status", "ix_outbox_agency"] {
            manager.drop_index(Index::drop().name(name).table(Outbox::Table).to_owned()).await?;
        }
        manager.drop_table(Table::drop().table(RevokedToken::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(LoginThrottle::Table).to_owned()).await?;
        Ok(())
    }
}
