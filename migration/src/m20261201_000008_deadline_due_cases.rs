//! The running clocks by due date also name their case (and whether they are paused), so that
//! the cases a holiday change can touch, and the cases overdue or nearly due, are read from the
//! index alone: `(state, due_on, paused, petition_id)`. The recomputation no longer pages through
//! the clocks by `(due_on, id)` (it pages by case, so that each case's event is written with its
//! clocks), so PostgreSQL's index need not end with the id any more (000006).

use sea_orm_migration::{prelude::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        conn.execute_unprepared("DROP INDEX IF EXISTS ix_deadline_state_due").await?;
        conn.execute_unprepared(
            "CREATE INDEX ix_deadline_state_due ON deadline (state, due_on, paused, petition_id)",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        conn.execute_unprepared("DROP INDEX IF EXISTS ix_deadline_state_due").await?;
        let columns = match manager.get_database_backend() {
            DbBackend::Postgres => "(state, due_on, id)",
            _ => "(state, due_on)",
        };
        conn.execute_unprepared(&format!("CREATE INDEX ix_deadline_state_due ON deadline {columns}")).await?;
        Ok(())
    }
}
