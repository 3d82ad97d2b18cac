//! Indexes that let the weekly review count instead of load (issue 14), and a session's visits
//! come in book order from their index.
//!
//! - Overdue as of a day is read in two halves, each from an index holding everything it tests:
//!   the running clocks by due date (`ix_deadline_running_due`, partial on `state = 'running'`),
//!   and the clocks that ended late by the day they ended (`ix_deadline_late_end`, partial on
//!   `ended_on > due_on`: the clocks met on time, most of them, are not in it), so a past week
//!   walks only the late clocks that ended after it.
//! - The cases closed in a week by agency and day (`ix_petition_agency_closed`): the on-time rate
//!   no longer walks every closed case of the agency.
//! - Ratings by when they were given (`ix_rating_at`).
//! - A session's visits by book number (`ix_visit_session_book` replaces `ix_visit_session`,
//!   its prefix).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: [&str; 6] = [
    "CREATE INDEX ix_deadline_running_due ON deadline (due_on, start_on, paused, petition_id) \
     WHERE state = 'running'",
    "CREATE INDEX ix_deadline_late_end ON deadline (ended_on, due_on, start_on, paused, petition_id) \
     WHERE ended_on > due_on",
    "CREATE INDEX ix_petition_agency_closed ON petition (agency_id, closed_on, status)",
    "CREATE INDEX ix_rating_at ON petition_rating (at, petition_id, score)",
    "CREATE INDEX ix_visit_session_book ON reception_visit (session_id, book_year, book_no)",
    "DROP INDEX IF EXISTS ix_visit_session",
];

const DOWN: [&str; 6] = [
    "CREATE INDEX ix_visit_session ON reception_visit (session_id)",
    "DROP INDEX IF EXISTS ix_visit_session_book",
    "DROP INDEX IF EXISTS ix_rating_at",
    "DROP INDEX IF EXISTS ix_petition_agency_closed",
    "DROP INDEX IF EXISTS ix_deadline_late_end",
    "DROP INDEX IF EXISTS ix_deadline_running_due",
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
