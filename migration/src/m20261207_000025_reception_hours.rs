//! The hours of reception (issue 17: the public schedule said when and where, but not at what
//! time): a head's schedule, each of its versions and each session carry an optional text of the
//! hours ("Sáng 7 giờ 30 – 11 giờ 30"), written by people for people, shown on the public schedule
//! and in its calendar feed. Rows already stored have none; the schedule then says the session
//! keeps the office's working hours.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ReceptionRule {
    Table,
    Hours,
}

#[derive(DeriveIden)]
enum ReceptionRuleVersion {
    Table,
    Hours,
}

#[derive(DeriveIden)]
enum ReceptionSession {
    Table,
    Hours,
}

/// The longest text of hours, in characters (`domain::reception::HOURS_MAX_CHARS`).
const HOURS_MAX_CHARS: u32 = 100;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one change at a time.
        for table in [
            ReceptionRule::Table.into_iden(),
            ReceptionRuleVersion::Table.into_iden(),
            ReceptionSession::Table.into_iden(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(
                            ColumnDef::new(ReceptionSession::Hours).string_len(HOURS_MAX_CHARS).null(),
                        )
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, column) in [
            (ReceptionSession::Table.into_iden(), ReceptionSession::Hours.into_iden()),
            (ReceptionRuleVersion::Table.into_iden(), ReceptionRuleVersion::Hours.into_iden()),
            (ReceptionRule::Table.into_iden(), ReceptionRule::Hours.into_iden()),
        ] {
            manager.alter_table(Table::alter().table(table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
