//! The text of a petition moves out of the case row into `petition_content`: it is written once and
//! read only on the case page, while the case row is rewritten by every action and every deadline
//! recomputation. Kept apart, a case row stays small however long the letter.
//!
//! A database made by an earlier version keeps its texts: they are copied across before the column
//! is dropped (`ALTER TABLE … DROP COLUMN` works on SQLite ≥ 3.35 and PostgreSQL).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PetitionContent::Table)
                    .if_not_exists()
                    .col(big_integer(PetitionContent::PetitionId).primary_key())
                    .col(text(PetitionContent::Content))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PetitionContent::Table, PetitionContent::PetitionId)
                            .to(Petition::Table, Petition::Id),
                    )
                    .to_owned(),
            )
            .await?;
        let conn = manager.get_connection();
        conn.execute_unprepared(
            "INSERT INTO petition_content (petition_id, content) SELECT id, content FROM petition",
        )
        .await?;
        conn.execute_unprepared("ALTER TABLE petition DROP COLUMN content").await?;
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Petition {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum PetitionContent {
    Table,
    PetitionId,
    Content,
}
