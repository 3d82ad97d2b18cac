//! The admin is not a back door (issue 13). `account_event`: every change an administrator (or
//! the account's owner) makes to a staff account, a keyed hash chain in sequence, which the
//! chairman reads. `identity_access` is rebuilt so that a read of a protected identity that is not
//! about a case (a visit with no case, a refused visitor) is logged too, each read carrying its
//! agency so the chairman's agency-wide log is one index range.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AccountEvent {
    Table,
    Id,
    Seq,
    At,
    ActorId,
    ActorName,
    AccountId,
    AgencyId,
    Action,
    Changes,
    Flags,
    PrevHash,
    Hash,
}

#[derive(DeriveIden)]
enum IdentityAccess {
    Table,
    Id,
    AgencyId,
    PetitionId,
    VisitId,
    RefusalId,
    UserId,
    At,
    Purpose,
}

#[derive(DeriveIden)]
enum IdentityAccessNew {
    Table,
}

fn identity_access_table(name: impl IntoIden) -> TableCreateStatement {
    Table::create()
        .table(name)
        .col(big_pk_auto(IdentityAccess::Id))
        .col(big_integer(IdentityAccess::AgencyId))
        .col(big_integer_null(IdentityAccess::PetitionId))
        .col(big_integer_null(IdentityAccess::VisitId))
        .col(big_integer_null(IdentityAccess::RefusalId))
        .col(big_integer(IdentityAccess::UserId))
        .col(timestamp_with_time_zone(IdentityAccess::At))
        .col(string_len(IdentityAccess::Purpose, 100))
        .to_owned()
}

/// On PostgreSQL, the copied table's key and sequence take the old names, and the sequence
/// resumes after the copied ids (they were inserted explicitly).
async fn renamed_on_postgres(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    if manager.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        return Ok(());
    }
    let conn = manager.get_connection();
    for sql in [
        "ALTER TABLE identity_access RENAME CONSTRAINT identity_access_new_pkey TO identity_access_pkey",
        "ALTER SEQUENCE identity_access_new_id_seq RENAME TO identity_access_id_seq",
        "SELECT setval('identity_access_id_seq', COALESCE((SELECT MAX(id) FROM identity_access), 0) + 1, false)",
    ] {
        conn.execute_unprepared(sql).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AccountEvent::Table)
                    .if_not_exists()
                    .col(big_pk_auto(AccountEvent::Id))
                    .col(big_integer_uniq(AccountEvent::Seq))
                    .col(timestamp_with_time_zone(AccountEvent::At))
                    .col(big_integer_null(AccountEvent::ActorId))
                    .col(string_len(AccountEvent::ActorName, 200))
                    .col(big_integer(AccountEvent::AccountId))
                    .col(big_integer_null(AccountEvent::AgencyId))
                    .col(string_len(AccountEvent::Action, 40))
                    .col(text(AccountEvent::Changes))
                    .col(text(AccountEvent::Flags))
                    .col(string_len(AccountEvent::PrevHash, 64))
                    .col(string_len(AccountEvent::Hash, 64))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_account_event_agency")
                    .table(AccountEvent::Table)
                    .col(AccountEvent::AgencyId)
                    .col(AccountEvent::At)
                    .to_owned(),
            )
            .await?;

        // SQLite cannot drop a NOT NULL: the log is copied into its new shape, each read taking
        // the agency of its case, and takes the old name. The same steps on PostgreSQL.
        manager.create_table(identity_access_table(IdentityAccessNew::Table)).await?;
        let conn = manager.get_connection();
        conn.execute_unprepared(
            "INSERT INTO identity_access_new (id, agency_id, petition_id, user_id, at, purpose) \
             SELECT a.id, p.agency_id, a.petition_id, a.user_id, a.at, a.purpose \
             FROM identity_access a JOIN petition p ON p.id = a.petition_id",
        )
        .await?;
        manager.drop_table(Table::drop().table(IdentityAccess::Table).to_owned()).await?;
        manager
            .rename_table(Table::rename().table(IdentityAccessNew::Table, IdentityAccess::Table).to_owned())
            .await?;
        renamed_on_postgres(manager).await?;
        for (name, cols) in [
            ("ix_identity_access_petition", [IdentityAccess::PetitionId, IdentityAccess::At]),
            ("ix_identity_access_agency", [IdentityAccess::AgencyId, IdentityAccess::At]),
        ] {
            let mut index = Index::create();
            index.name(name).table(IdentityAccess::Table);
            for col in cols {
                index.col(col);
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(AccountEvent::Table).to_owned()).await?;
        // Reads not about a case have no place in the old shape.
        manager
            .create_table(
                Table::create()
                    .table(IdentityAccessNew::Table)
                    .col(big_pk_auto(IdentityAccess::Id))
                    .col(big_integer(IdentityAccess::PetitionId))
                    .col(big_integer(IdentityAccess::UserId))
                    .col(timestamp_with_time_zone(IdentityAccess::At))
                    .col(string_len(IdentityAccess::Purpose, 100))
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "INSERT INTO identity_access_new (id, petition_id, user_id, at, purpose) \
                 SELECT id, petition_id, user_id, at, purpose FROM identity_access WHERE petition_id IS NOT NULL",
            )
            .await?;
        manager.drop_table(Table::drop().table(IdentityAccess::Table).to_owned()).await?;
        manager
            .rename_table(Table::rename().table(IdentityAccessNew::Table, IdentityAccess::Table).to_owned())
            .await?;
        renamed_on_postgres(manager).await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_identity_access_petition")
                    .table(IdentityAccess::Table)
                    .col(IdentityAccess::PetitionId)
                    .col(IdentityAccess::At)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
