//! The running clocks by due date, in the order the recomputation after a holiday change reads them:
//! `(state, due_on, id)`. SQLite's index already ends with the rowid (the id), so only PostgreSQL
//! needs the id spelled out; without it, each page of candidates sorted the whole group of clocks
//! sharing a due date again.

use sea_orm_migration::{prelude::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        let conn = manager.get_connection();
        conn.execute_unprepared("DROP INDEX IF EXISTS ix_deadline_state_due").await?;
        conn.execute_unprepared("CREATE INDEX ix_deadline_state_due ON deadline (state, due_on, id)").await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        let conn = manager.get_connection();
        conn.execute_unprepared("DROP INDEX IF EXISTS ix_deadline_state_due").await?;
        conn.execute_unprepared("CREATE INDEX ix_deadline_state_due ON deadline (state, due_on)").await?;
        Ok(())
    }
}
