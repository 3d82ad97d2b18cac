//! Agencies, their units, user accounts and key/value settings.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Agency::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Agency::Id))
                    .col(string_len(Agency::Name, 200))
                    // `commune` or `province`: the two tiers since 1 Jul 2025.
                    .col(string_len(Agency::Level, 20))
                    .col(big_integer_null(Agency::ParentId))
                    .col(timestamp_with_time_zone(Agency::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Agency::Table, Agency::ParentId)
                            .to(Agency::Table, Agency::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Unit::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Unit::Id))
                    .col(big_integer(Unit::AgencyId))
                    .col(string_len(Unit::Name, 200))
                    .col(string_len(Unit::Code, 40))
                    .col(timestamp_with_time_zone(Unit::CreatedAt))
                    .foreign_key(
                        ForeignKey::create().from(Unit::Table, Unit::AgencyId).to(Agency::Table, Agency::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_unit_agency_code")
                    .table(Unit::Table)
                    .col(Unit::AgencyId)
                    .col(Unit::Code)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(User::Table)
                    .if_not_exists()
                    .col(big_pk_auto(User::Id))
                    // Stored lower-cased: logins are case-insensitive.
                    .col(string_len_uniq(User::Username, 64))
                    .col(string_len(User::PasswordHash, 200))
                    .col(string_len(User::FullName, 200))
                    .col(string_len(User::Role, 20))
                    // Citizens belong to no agency.
                    .col(big_integer_null(User::AgencyId))
                    .col(big_integer_null(User::UnitId))
                    .col(string_len_null(User::Phone, 20))
                    .col(string_len_null(User::Email, 254))
                    .col(boolean(User::Active).default(true))
                    // Bumped to revoke every token issued before (password reset, deactivation).
                    .col(integer(User::TokenVersion).default(0))
                    .col(timestamp_with_time_zone(User::CreatedAt))
                    .col(timestamp_with_time_zone(User::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create().from(User::Table, User::AgencyId).to(Agency::Table, Agency::Id),
                    )
                    .foreign_key(
                        ForeignKey::create().from(User::Table, User::UnitId).to(Unit::Table, Unit::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_user_agency_role")
                    .table(User::Table)
                    .col(User::AgencyId)
                    .col(User::Role)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Setting::Table)
                    .if_not_exists()
                    .col(string_len(Setting::Key, 100).primary_key())
                    .col(text(Setting::Value))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Agency {
    Table,
    Id,
    Name,
    Level,
    ParentId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Unit {
    Table,
    Id,
    AgencyId,
    Name,
    Code,
    CreatedAt,
}

#[derive(DeriveIden)]
enum User {
    Table,
    Id,
    Username,
    PasswordHash,
    FullName,
    Role,
    AgencyId,
    UnitId,
    Phone,
    Email,
    Active,
    TokenVersion,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Setting {
    Table,
    Key,
    Value,
}
