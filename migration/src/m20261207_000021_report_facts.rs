//! The facts the statutory reports count (issue 16; domain.md §10), kept on the case as its steps
//! happen so that every figure is an aggregate over an index:
//! - `processed_on` / `processed_action`: the day and the step that took a petition out of
//!   "received" (accepted, guided, forwarded, urged, archived, refused, made a lead…): the
//!   handling table's "processed" and its outcome.
//! - `accepted_on`: the day it entered resolution (accepted, or resolved at once): the resolution
//!   table's cases due.
//! - `working_days`: its handling time in working days, received to closed, on the calendar in
//!   force when it closed (a fact of that day, like its due dates).
//! - `field` (lĩnh vực) on a petition and on a reception visit: the reports' content by field.
//! - `recovered_money`, `recovered_land_cm2` (hundredths of a m²), `people_restored`: what a
//!   resolution recorded, where it did.
//!
//! Existing cases get `processed_on`, `processed_action` and `accepted_on` from their trails (the
//! first event that moved them out of "received"); `working_days` stays empty for cases closed
//! before this change (the average covers the cases closed since).

use sea_orm_migration::{prelude::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: [&str; 13] = [
    "ALTER TABLE petition ADD COLUMN processed_on DATE",
    "ALTER TABLE petition ADD COLUMN processed_action VARCHAR(30)",
    "ALTER TABLE petition ADD COLUMN accepted_on DATE",
    "ALTER TABLE petition ADD COLUMN working_days INTEGER",
    "ALTER TABLE petition ADD COLUMN field VARCHAR(30)",
    "ALTER TABLE petition ADD COLUMN recovered_money BIGINT",
    "ALTER TABLE petition ADD COLUMN recovered_land_cm2 BIGINT",
    "ALTER TABLE petition ADD COLUMN people_restored INTEGER",
    "ALTER TABLE reception_visit ADD COLUMN field VARCHAR(30)",
    // The handling table: petitions processed in a period, and those still unprocessed at a cut-off.
    "CREATE INDEX ix_petition_agency_processed ON petition (agency_id, processed_on)",
    // The resolution table: cases accepted in a period.
    "CREATE INDEX ix_petition_agency_accepted ON petition (agency_id, accepted_on)",
    // Replies received from the bodies a petition was forwarded to.
    "CREATE INDEX ix_petition_agency_reply ON petition (agency_id, forward_result_on)",
    // Apology letters sent in a period.
    "CREATE INDEX ix_notice_agency_kind ON notice (agency_id, kind, issued_on)",
];

/// The decision date of an event `pe`: its `on` (every step records it), else the day of its
/// time in Vietnam.
fn event_date(backend: DbBackend) -> &'static str {
    match backend {
        DbBackend::Postgres => {
            "CASE WHEN pe.changes ~ '\"on\":\"\\d{4}-\\d{2}-\\d{2}\"' \
             THEN substring(pe.changes from '\"on\":\"(\\d{4}-\\d{2}-\\d{2})\"')::date \
             ELSE (pe.at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date END"
        }
        _ => {
            "CASE WHEN INSTR(pe.changes, '\"on\":\"') > 0 \
             THEN SUBSTR(pe.changes, INSTR(pe.changes, '\"on\":\"') + 6, 10) \
             ELSE date(pe.at, '+7 hours') END"
        }
    }
}

/// The first event of each case that moved it out of "received", from its trail: its date and
/// action; the date again as its acceptance when the case went on to be resolved.
fn backfill(backend: DbBackend) -> [String; 2] {
    let first = "FROM petition_event pe WHERE pe.petition_id = petition.id AND pe.from_status = 'received' \
                 AND pe.to_status <> 'received' ORDER BY pe.seq LIMIT 1";
    [
        format!(
            "UPDATE petition SET processed_on = (SELECT {} {first}), processed_action = (SELECT pe.action {first}) \
             WHERE status <> 'received'",
            event_date(backend)
        ),
        "UPDATE petition SET accepted_on = processed_on WHERE processed_on IS NOT NULL \
         AND (status IN ('accepted', 'suspended', 'resolved', 'terminated') OR (status = 'withdrawn' \
         AND EXISTS (SELECT 1 FROM petition_event pa WHERE pa.petition_id = petition.id AND pa.to_status = 'accepted')))"
            .to_owned(),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        for sql in UP {
            conn.execute_unprepared(sql).await?;
        }
        for sql in backfill(manager.get_database_backend()) {
            conn.execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        for name in
            ["ix_petition_agency_processed", "ix_petition_agency_accepted", "ix_petition_agency_reply"]
        {
            conn.execute_unprepared(&format!("DROP INDEX IF EXISTS {name}")).await?;
        }
        conn.execute_unprepared("DROP INDEX IF EXISTS ix_notice_agency_kind").await?;
        for column in [
            "processed_on",
            "processed_action",
            "accepted_on",
            "working_days",
            "field",
            "recovered_money",
            "recovered_land_cm2",
            "people_restored",
        ] {
            conn.execute_unprepared(&format!("ALTER TABLE petition DROP COLUMN {column}")).await?;
        }
        conn.execute_unprepared("ALTER TABLE reception_visit DROP COLUMN field").await?;
        Ok(())
    }
}
