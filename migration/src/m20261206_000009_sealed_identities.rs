//! Identities sealed at rest (issue 13). A sealed value is longer than the clear one, so the
//! identity columns become `text` on PostgreSQL (SQLite does not enforce a `varchar` length); the
//! lengths a request may send are checked on the clear values, before sealing. The identity
//! number is found by its blind index (a keyed hash) instead of the clear number, whose index goes.
//! The full-text index keeps the words of subjects and contents apart from the blind tokens of
//! parties' names: FTS5 gets a column for each (the table is rebuilt; start-up refills it),
//! PostgreSQL's tsvector gives the tokens weight `B`.
//!
//! The values themselves are sealed by the start-up after this migration
//! (`service::identity::register`), which needs the data key: a migration never sees it.

use sea_orm_migration::{prelude::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The columns that hold sealed values, by table.
const SEALED: [(&str, &[&str]); 4] = [
    ("petition_party", &["full_name", "id_number", "address", "phone", "email"]),
    ("reception_visit", &["visitor_name", "visitor_address", "visitor_id_number"]),
    ("reception_refusal", &["visitor_name", "visitor_address", "visitor_id_number"]),
    ("\"user\"", &["full_name", "phone", "email"]),
];

const FTS_WORDS_AND_NAMES: &str = "CREATE VIRTUAL TABLE petition_fts USING fts5(words, names, content='', \
     contentless_delete=1, tokenize='unicode61 remove_diacritics 2', prefix='2 3')";

const FTS_ONE_COLUMN: &str = "CREATE VIRTUAL TABLE petition_fts USING fts5(search_text, content='', \
     contentless_delete=1, tokenize='unicode61 remove_diacritics 2', prefix='2 3')";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        let backend = manager.get_database_backend();
        if backend == DbBackend::Postgres {
            for (table, columns) in SEALED {
                let changes: Vec<String> =
                    columns.iter().map(|c| format!("ALTER COLUMN {c} TYPE text")).collect();
                conn.execute_unprepared(&format!("ALTER TABLE {table} {}", changes.join(", "))).await?;
            }
        }
        conn.execute_unprepared("ALTER TABLE petition_party ADD COLUMN id_number_blind varchar(64)").await?;
        conn.execute_unprepared("DROP INDEX IF EXISTS ix_party_id_number").await?;
        // Most parties have no identity number: the rows without one cost the index nothing.
        conn.execute_unprepared(
            "CREATE INDEX ix_party_id_number_blind ON petition_party (id_number_blind) \
             WHERE id_number_blind IS NOT NULL",
        )
        .await?;
        if backend == DbBackend::Sqlite {
            conn.execute_unprepared("DROP TABLE IF EXISTS petition_fts").await?;
            conn.execute_unprepared(FTS_WORDS_AND_NAMES).await?;
        }
        Ok(())
    }

    /// Back to the clear schema's shape. The columns stay `text`: values sealed since do not fit
    /// the old lengths, and a register is only rolled back after opening them. The start-up's
    /// marker goes too, so that a start after migrating up again writes the blind indexes and the
    /// search index again (what is sealed stays sealed).
    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        conn.execute_unprepared("DELETE FROM setting WHERE key = 'identities_sealed'").await?;
        conn.execute_unprepared("DROP INDEX IF EXISTS ix_party_id_number_blind").await?;
        conn.execute_unprepared("ALTER TABLE petition_party DROP COLUMN id_number_blind").await?;
        conn.execute_unprepared("CREATE INDEX ix_party_id_number ON petition_party (id_number)").await?;
        if manager.get_database_backend() == DbBackend::Sqlite {
            conn.execute_unprepared("DROP TABLE IF EXISTS petition_fts").await?;
            conn.execute_unprepared(FTS_ONE_COLUMN).await?;
        }
        Ok(())
    }
}
