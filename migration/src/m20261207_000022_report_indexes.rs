//! Indexes that let the reports (issue 16) read a period's cases from the index alone, measured
//! on a seeded province of 1,000,000 petitions (`cargo bench --bench reports`):
//! - `ix_deadline_met_late (petition_id) WHERE state = 'met' AND ended_on > due_on`: the clocks met
//!   after their due date, the only ones that make a case late. "Was this case late?" becomes one
//!   probe of a small index instead of reading each met clock's row (a year's closed cases read
//!   400,000 clock rows for it).
//! - `ix_petition_agency_closed` gains what the closed-case figures read (entered resolution,
//!   kind, unit, handler, handling time) after its `(agency_id, closed_on, status)`, which the
//!   weekly review keeps using.
//! - `ix_petition_agency_received` gains kind, field, unit and handler after its
//!   `(agency_id, received_on, id)`, which the register's list keeps using.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: [&str; 5] = [
    "CREATE INDEX ix_deadline_met_late ON deadline (petition_id) WHERE state = 'met' AND ended_on > due_on",
    "DROP INDEX IF EXISTS ix_petition_agency_closed",
    "CREATE INDEX ix_petition_agency_closed ON petition \
     (agency_id, closed_on, status, accepted_on, kind, unit_id, assignee_id, working_days)",
    "DROP INDEX IF EXISTS ix_petition_agency_received",
    "CREATE INDEX ix_petition_agency_received ON petition \
     (agency_id, received_on, id, kind, field, unit_id, assignee_id)",
];

const DOWN: [&str; 5] = [
    "DROP INDEX IF EXISTS ix_deadline_met_late",
    "DROP INDEX IF EXISTS ix_petition_agency_closed",
    "CREATE INDEX ix_petition_agency_closed ON petition (agency_id, closed_on, status)",
    "DROP INDEX IF EXISTS ix_petition_agency_received",
    "CREATE INDEX ix_petition_agency_received ON petition (agency_id, received_on, id)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        for sql in UP {
            conn.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        for sql in DOWN {
            conn.execute_unprepared(sql).await?;
        }
        Ok(())
    }
}
