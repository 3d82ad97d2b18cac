//! Retention (issue 18; TT 05/2021 Art. 28(2)): an archived petition is kept a year, then
//! destroyed on the head's decision. A destroyed case keeps its row as the register's line of it
//! (tracking code, kind, dates of receipt and closing) with the decision (number, date), who
//! carried it out and when; its content, parties and attachments go.
//!
//! `ix_petition_retention` serves the list of cases due (an agency's archived cases by the day
//! their keeping ends, then id: a range of the index, paged by key); `ix_petition_destroyed` the
//! list of destroyed lines, newest first.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Petition {
    Table,
    DestroyedAt,
    DestroyedBy,
    DestructionDecisionNo,
    DestructionDecisionOn,
}

const INDEXES: [&str; 2] = [
    "CREATE INDEX ix_petition_retention ON petition (agency_id, status, archive_until, id)",
    "CREATE INDEX ix_petition_destroyed ON petition (agency_id, destroyed_at, id)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one change at a time.
        for column in [
            timestamp_with_time_zone_null(Petition::DestroyedAt),
            big_integer_null(Petition::DestroyedBy),
            string_len_null(Petition::DestructionDecisionNo, 100),
            date_null(Petition::DestructionDecisionOn),
        ] {
            let mut column = column;
            manager
                .alter_table(Table::alter().table(Petition::Table).add_column(&mut column).to_owned())
                .await?;
        }
        let conn = manager.get_connection();
        for sql in INDEXES {
            conn.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        conn.execute_unprepared("DROP INDEX IF EXISTS ix_petition_destroyed").await?;
        conn.execute_unprepared("DROP INDEX IF EXISTS ix_petition_retention").await?;
        for column in [
            Petition::DestructionDecisionOn,
            Petition::DestructionDecisionNo,
            Petition::DestroyedBy,
            Petition::DestroyedAt,
        ] {
            manager.alter_table(Table::alter().table(Petition::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
