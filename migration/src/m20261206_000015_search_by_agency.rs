//! The full-text index knows each case's agency, so a search is answered inside the index
//! (issue 14): the agency's cases matching the words, newest first, without reading a case of
//! another agency, and counted without reading the cases at all.
//!
//! - SQLite: FTS5 gets a column `agency` holding the token `a<id>`, and prefix indexes for terms
//!   of 2 to 6 letters (every Vietnamese syllable but a handful), so that a word's prefix is read
//!   from one entry instead of merging the entries of every word it begins. The table is rebuilt
//!   empty; the next start writes every case's entry again (it needs the data key for the names'
//!   tokens, which a migration never sees), marked by the setting `search_index_stale`.
//! - PostgreSQL: `petition_search` gets the case's `agency_id`, filled from `petition`, and an
//!   index by agency and case, which a search of common words walks newest first instead of
//!   sorting every match.

use sea_orm_migration::{prelude::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const FTS_WITH_AGENCY: &str = "CREATE VIRTUAL TABLE petition_fts USING fts5(words, names, agency, \
     content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2', prefix='2 3 4 5 6')";

const FTS_WORDS_AND_NAMES: &str = "CREATE VIRTUAL TABLE petition_fts USING fts5(words, names, content='', \
     contentless_delete=1, tokenize='unicode61 remove_diacritics 2', prefix='2 3')";

/// The start-up's mark that the index must be written again (only when there is a case to index).
const MARK_STALE: &str = "INSERT INTO setting (key, value) SELECT 'search_index_stale', 'rebuilt' \
     WHERE EXISTS (SELECT 1 FROM petition) \
     AND NOT EXISTS (SELECT 1 FROM setting WHERE key = 'search_index_stale')";

/// Back down, the earlier version's start writes the index again when it seals the register
/// (which it then finds unmarked: every value is sealed already, so only the indexes are written).
const FORGET_SEALING: &str = "DELETE FROM setting WHERE key IN ('identities_sealed', 'search_index_stale')";

const PG_UP: [&str; 4] = [
    "ALTER TABLE petition_search ADD COLUMN agency_id BIGINT",
    "UPDATE petition_search SET agency_id = petition.agency_id FROM petition \
     WHERE petition.id = petition_search.petition_id",
    "ALTER TABLE petition_search ALTER COLUMN agency_id SET NOT NULL",
    "CREATE INDEX ix_petition_search_agency ON petition_search (agency_id, petition_id)",
];

const PG_DOWN: [&str; 2] =
    ["DROP INDEX IF EXISTS ix_petition_search_agency", "ALTER TABLE petition_search DROP COLUMN agency_id"];

async fn run(conn: &SchemaManagerConnection<'_>, statements: &[&str]) -> Result<(), DbErr> {
    for sql in statements {
        conn.execute_unprepared(sql).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Postgres => run(conn, &PG_UP).await,
            _ => run(conn, &["DROP TABLE IF EXISTS petition_fts", FTS_WITH_AGENCY, MARK_STALE]).await,
        }
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Postgres => run(conn, &PG_DOWN).await,
            _ => run(conn, &["DROP TABLE IF EXISTS petition_fts", FTS_WORDS_AND_NAMES, FORGET_SEALING]).await,
        }
    }
}
