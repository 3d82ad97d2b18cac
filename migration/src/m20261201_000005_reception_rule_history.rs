//! The history of the heads' schedule rules: one row per version, with the civil date from which
//! it is in force. A past occurrence is judged by the rule in force on its own date, never by a
//! later change, so the weekly review of a past week cannot be rewritten by editing the rule.
//!
//! An existing rule becomes its first version, in force from the civil day (UTC+7) of its last
//! change (`updated_at`): that is the day from which earlier versions generated its sessions, and
//! what the rule said before then is not known. Weeks before it keep the sessions already stored
//! for them, and nothing is invented for them.

use sea_orm_migration::{prelude::*, schema::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ReceptionRuleVersion::Table)
                    .if_not_exists()
                    .col(big_pk_auto(ReceptionRuleVersion::Id))
                    .col(big_integer(ReceptionRuleVersion::HostId))
                    .col(big_integer(ReceptionRuleVersion::AgencyId))
                    .col(date(ReceptionRuleVersion::EffectiveFrom))
                    .col(small_integer(ReceptionRuleVersion::Weekday))
                    .col(string_len(ReceptionRuleVersion::Every, 10))
                    .col(small_integer_null(ReceptionRuleVersion::WeekOfMonth))
                    .col(string_len(ReceptionRuleVersion::OnHoliday, 20))
                    .col(string_len_null(ReceptionRuleVersion::Location, 300))
                    .col(boolean(ReceptionRuleVersion::Active))
                    .col(big_integer_null(ReceptionRuleVersion::RecordedBy))
                    .col(timestamp_with_time_zone(ReceptionRuleVersion::RecordedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ReceptionRuleVersion::Table, ReceptionRuleVersion::HostId)
                            .to(User::Table, User::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // One version per head and day: a second change the same day replaces the first.
        manager
            .create_index(
                Index::create()
                    .name("ux_rule_version_host_from")
                    .table(ReceptionRuleVersion::Table)
                    .col(ReceptionRuleVersion::HostId)
                    .col(ReceptionRuleVersion::EffectiveFrom)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_rule_version_agency")
                    .table(ReceptionRuleVersion::Table)
                    .col(ReceptionRuleVersion::AgencyId)
                    .to_owned(),
            )
            .await?;

        // Timestamps are `timestamptz` on PostgreSQL and RFC 3339 text on SQLite.
        let civil_day = match manager.get_database_backend() {
            DbBackend::Postgres => "CAST((updated_at AT TIME ZONE 'UTC') + INTERVAL '7 hours' AS DATE)",
            _ => "date(updated_at, '+7 hours')",
        };
        manager
            .get_connection()
            .execute_unprepared(&format!(
                "INSERT INTO reception_rule_version (host_id, agency_id, effective_from, weekday, every, \
                 week_of_month, on_holiday, location, active, recorded_by, recorded_at) \
                 SELECT host_id, agency_id, {civil_day}, weekday, every, week_of_month, on_holiday, location, \
                 active, updated_by, updated_at FROM reception_rule"
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ReceptionRuleVersion::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum User {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ReceptionRuleVersion {
    Table,
    Id,
    HostId,
    AgencyId,
    EffectiveFrom,
    Weekday,
    Every,
    WeekOfMonth,
    OnHoliday,
    Location,
    Active,
    RecordedBy,
    RecordedAt,
}
