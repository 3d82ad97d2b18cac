//! The inbox's sort key comes back onto the case, as `petition.inbox_due_on`, with indexes that
//! serve each inbox scope in its order, and a per-case clocks index that covers a case's next due
//! date.
//!
//! # Why a sort key again (000007 dropped `next_due_on`)
//! 000007 dropped the case's copy of its next due date so that a recomputation after a holiday
//! change would write only the clocks it moves, and sorted the inbox by a correlated subquery over
//! the clocks instead. At a province's million petitions that sort reads every open case's clocks
//! and sorts them all (17 s for a unit's inbox, past the 30 s timeout for the agency's): no index
//! can serve an order computed per row. An inbox page must be read from an index in its order, so
//! the order has to be stored. The key is written in one statement per write that changes a
//! case's clocks or status (`service::deadlines::refresh_inbox`), and the recomputation writes it
//! with one `UPDATE` per page of cases it touched, beside the page's clocks and events: the cost
//! 000007 avoided is bounded by the page, not by the register.
//!
//! # What it holds
//! For an open case (received, accepted, suspended): the earliest due date of its running,
//! unpaused clocks, or 9999-12-31 when it has none (it sorts last). For a closed case: NULL, so
//! that closed cases are outside every inbox index range (`inbox_due_on IS NOT NULL`).
//!
//! # Indexes
//! - `(agency_id, inbox_due_on, id)`: the agency's inbox (`all`) and the register sorted by due.
//! - `(agency_id, assignee_id, inbox_due_on, id)`: `mine` (assignee = me) and `new` (assignee IS
//!   NULL), both equalities on the index.
//! - `(agency_id, unit_id, inbox_due_on, id)`: `unit`.
//! - `deadline (petition_id, state, paused, due_on)` replaces `ix_deadline_petition (petition_id,
//!   state)`: it covers a case's next due date, so the planner no longer prefers the covering
//!   `(state, due_on, paused, petition_id)` index and scans every running clock for it.
//! - On PostgreSQL, `ix_petition_agency_kind` gains the id, so the register of one kind pages by
//!   `(received_on, id)` without sorting a day's cases (SQLite's index ends with the rowid).

use sea_orm_migration::{prelude::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The key of every case, computed from its clocks (the backfill; the same expression as
/// `service::deadlines::refresh_inbox`).
const BACKFILL: &str = "UPDATE petition SET inbox_due_on = CASE WHEN status IN ('received', 'accepted', 'suspended') \
     THEN COALESCE((SELECT MIN(d.due_on) FROM deadline d WHERE d.petition_id = petition.id \
     AND d.state = 'running' AND d.paused = FALSE), '9999-12-31') END";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        conn.execute_unprepared("ALTER TABLE petition ADD COLUMN inbox_due_on DATE NULL").await?;
        // The per-case index first, so that the backfill reads each case's clocks through it.
        conn.execute_unprepared("DROP INDEX IF EXISTS ix_deadline_petition").await?;
        conn.execute_unprepared(
            "CREATE INDEX ix_deadline_petition ON deadline (petition_id, state, paused, due_on)",
        )
        .await?;
        conn.execute_unprepared(BACKFILL).await?;
        for (name, cols) in [
            ("ix_petition_inbox_agency", "agency_id, inbox_due_on, id"),
            ("ix_petition_inbox_assignee", "agency_id, assignee_id, inbox_due_on, id"),
            ("ix_petition_inbox_unit", "agency_id, unit_id, inbox_due_on, id"),
        ] {
            conn.execute_unprepared(&format!("CREATE INDEX {name} ON petition ({cols})")).await?;
        }
        // The register of one kind newest first, by cursor: PostgreSQL's index must end with the
        // id (SQLite's ends with the rowid already), or each page sorts a day's cases again.
        if manager.get_database_backend() == DbBackend::Postgres {
            conn.execute_unprepared("DROP INDEX IF EXISTS ix_petition_agency_kind").await?;
            conn.execute_unprepared(
                "CREATE INDEX ix_petition_agency_kind ON petition (agency_id, kind, received_on, id)",
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        for name in ["ix_petition_inbox_agency", "ix_petition_inbox_assignee", "ix_petition_inbox_unit"] {
            conn.execute_unprepared(&format!("DROP INDEX IF EXISTS {name}")).await?;
        }
        conn.execute_unprepared("DROP INDEX IF EXISTS ix_deadline_petition").await?;
        conn.execute_unprepared("CREATE INDEX ix_deadline_petition ON deadline (petition_id, state)").await?;
        if manager.get_database_backend() == DbBackend::Postgres {
            conn.execute_unprepared("DROP INDEX IF EXISTS ix_petition_agency_kind").await?;
            conn.execute_unprepared(
                "CREATE INDEX ix_petition_agency_kind ON petition (agency_id, kind, received_on)",
            )
            .await?;
        }
        conn.execute_unprepared("ALTER TABLE petition DROP COLUMN inbox_due_on").await?;
        Ok(())
    }
}
