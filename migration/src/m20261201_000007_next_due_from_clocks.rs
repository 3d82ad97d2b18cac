//! A case's next due date is no longer copied onto its row: it is the earliest running clock's,
//! read from `deadline` (its `(petition_id, state)` index) when a case is shown or an inbox sorted.
//! So a recomputation after a holiday change rewrites only the clocks it moves and appends their
//! events, never the case rows (`special_days`). The column is dropped (`ALTER TABLE … DROP
//! COLUMN` works on SQLite ≥ 3.35 and PostgreSQL); no index held it.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared("ALTER TABLE petition DROP COLUMN next_due_on").await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        conn.execute_unprepared("ALTER TABLE petition ADD COLUMN next_due_on DATE NULL").await?;
        conn.execute_unprepared(
            "UPDATE petition SET next_due_on = (SELECT MIN(d.due_on) FROM deadline d \
             WHERE d.petition_id = petition.id AND d.state = 'running' AND d.paused = FALSE)",
        )
        .await?;
        Ok(())
    }
}
