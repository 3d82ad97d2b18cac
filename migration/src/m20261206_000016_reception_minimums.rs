//! The law's minimum of a chairman's own reception (Law 42/2013 Arts. 15(2)(d), 12(5)): a schedule
//! below it is set only with a reason, kept with the version it justifies (and on the head's
//! current rule, which mirrors his latest version), so that every weekly review of the weeks that
//! version governed shows it. Rows already stored have none: a schedule below the minimum set
//! before this change is flagged without a reason.
//!
//! The new holiday option `same_week` needs no change: `on_holiday` is a `VARCHAR(20)` without a
//! CHECK constraint on both databases (migrations 000003 and 000005), and the application reads
//! every stored value through its closed enum.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ReceptionRule {
    Table,
    BelowMinimumReason,
}

#[derive(DeriveIden)]
enum ReceptionRuleVersion {
    Table,
    BelowMinimumReason,
}

/// The longest reason a request may give, in characters (`domain::reception::REASON_MAX_CHARS`).
const REASON_MAX_CHARS: u32 = 500;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one change at a time.
        manager
            .alter_table(
                Table::alter()
                    .table(ReceptionRuleVersion::Table)
                    .add_column(
                        ColumnDef::new(ReceptionRuleVersion::BelowMinimumReason)
                            .string_len(REASON_MAX_CHARS)
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ReceptionRule::Table)
                    .add_column(
                        ColumnDef::new(ReceptionRule::BelowMinimumReason).string_len(REASON_MAX_CHARS).null(),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ReceptionRule::Table)
                    .drop_column(ReceptionRule::BelowMinimumReason)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ReceptionRuleVersion::Table)
                    .drop_column(ReceptionRuleVersion::BelowMinimumReason)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
