//! The inbox's key (`petition.inbox_due_on`, 000013) becomes "work left": a closed case whose
//! written notice still owes its clock keeps the clock's due date, and an unsent dialogue
//! invitation (a notice that owes no clock, due five days before the dialogue) counts beside the
//! running clocks. Only the cases with a notice not yet sent can change: they are refilled with
//! the expression of `service::deadlines::refresh_inbox`.

use sea_orm_migration::{prelude::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The key of the cases with an unsent notice, from their clocks and notices.
fn refill(backend: DbBackend) -> String {
    let no_due = match backend {
        DbBackend::Postgres => "DATE '9999-12-31'",
        _ => "'9999-12-31'",
    };
    format!(
        "UPDATE petition SET inbox_due_on = COALESCE((SELECT MIN(u.due_on) FROM (\
         SELECT MIN(d.due_on) AS due_on FROM deadline d WHERE d.petition_id = petition.id \
         AND d.state = 'running' AND d.paused = FALSE \
         UNION ALL SELECT MIN(n.due_on) FROM notice n WHERE n.petition_id = petition.id \
         AND n.clock IS NULL AND n.sent_on IS NULL) AS u), \
         CASE WHEN status IN ('received', 'accepted', 'suspended') THEN {no_due} END) \
         WHERE id IN (SELECT petition_id FROM notice WHERE sent_on IS NULL AND petition_id IS NOT NULL)"
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        conn.execute_unprepared(&refill(manager.get_database_backend())).await?;
        Ok(())
    }

    /// The key of 000013: NULL for every closed case, open ones from their clocks alone.
    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let no_due = match manager.get_database_backend() {
            DbBackend::Postgres => "DATE '9999-12-31'",
            _ => "'9999-12-31'",
        };
        let conn = manager.get_connection();
        conn.execute_unprepared(&format!(
            "UPDATE petition SET inbox_due_on = CASE WHEN status IN ('received', 'accepted', 'suspended') \
             THEN COALESCE((SELECT MIN(d.due_on) FROM deadline d WHERE d.petition_id = petition.id \
             AND d.state = 'running' AND d.paused = FALSE), {no_due}) END \
             WHERE id IN (SELECT petition_id FROM notice WHERE sent_on IS NULL AND petition_id IS NOT NULL)"
        ))
        .await?;
        Ok(())
    }
}
