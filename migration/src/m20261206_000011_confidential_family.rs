//! Confidentiality is a property of the matter (issue 13): a petition and every case made from it
//! (a forwarded copy, a second round or further denunciation, the parts of a split) form a family,
//! and once any member, or any reception visit about one, is a denunciation, the whole family is
//! confidential. `family_id` names the family's first petition (`NULL` on that petition itself);
//! `confidential` says the family's rule. Existing registers are backfilled here.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Petition {
    Table,
    FamilyId,
    Confidential,
}

/// The longest chain of derived cases the backfill follows (a case reopened, forwarded and split
/// again and again); each pass gives one more generation its family.
const MAX_GENERATIONS: usize = 64;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Petition::Table)
                    .add_column(ColumnDef::new(Petition::FamilyId).big_integer().null())
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Petition::Table)
                    .add_column(ColumnDef::new(Petition::Confidential).boolean().not_null().default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_petition_family")
                    .table(Petition::Table)
                    .col(Petition::FamilyId)
                    .to_owned(),
            )
            .await?;

        let conn = manager.get_connection();
        // Children of a first petition, then their children, and so on: each takes its parent's
        // family (the parent's own id when the parent is a first petition).
        for _ in 0..MAX_GENERATIONS {
            let moved = conn
                .execute_unprepared(
                    "UPDATE petition SET family_id = (SELECT COALESCE(p.family_id, p.id) FROM petition p \
                     WHERE p.id = petition.origin_id) \
                     WHERE origin_id IS NOT NULL AND family_id IS NULL \
                     AND origin_id IN (SELECT id FROM petition WHERE origin_id IS NULL OR family_id IS NOT NULL)",
                )
                .await?;
            if moved.rows_affected() == 0 {
                break;
            }
        }
        // A family with a denunciation, or a visit recorded as one about any of its members.
        conn.execute_unprepared(
            "UPDATE petition SET confidential = TRUE WHERE COALESCE(family_id, id) IN ( \
             SELECT COALESCE(family_id, id) FROM petition WHERE kind = 'denunciation' \
             UNION SELECT COALESCE(p.family_id, p.id) FROM reception_visit v JOIN petition p ON p.id = v.petition_id \
             WHERE v.kind = 'denunciation')",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name("ix_petition_family").table(Petition::Table).to_owned())
            .await?;
        manager
            .alter_table(Table::alter().table(Petition::Table).drop_column(Petition::Confidential).to_owned())
            .await?;
        manager
            .alter_table(Table::alter().table(Petition::Table).drop_column(Petition::FamilyId).to_owned())
            .await?;
        Ok(())
    }
}
