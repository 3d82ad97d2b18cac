//! Written notices as records (issue 15; domain.md §11): each numbered per agency and year, filled
//! from its case (or from a refusal to receive), linked to the event that issued it, with the clock
//! its sending meets, its due date, and the day and channel it was sent. The counter gives the
//! numbers, one row per agency and year, incremented in the issuing transaction.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Notice::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Notice::Id))
                    .col(big_integer(Notice::AgencyId))
                    .col(big_integer_null(Notice::PetitionId))
                    .col(big_integer_null(Notice::RefusalId))
                    .col(string_len(Notice::Kind, 40))
                    .col(string_len(Notice::Recipient, 40))
                    .col(integer(Notice::DocYear))
                    .col(integer(Notice::DocNo))
                    .col(date(Notice::IssuedOn))
                    .col(integer_null(Notice::EventSeq))
                    .col(string_len_null(Notice::Clock, 60))
                    .col(date_null(Notice::DueOn))
                    .col(date_null(Notice::SentOn))
                    .col(string_len_null(Notice::Channel, 40))
                    .col(big_integer_null(Notice::SentBy))
                    .col(text(Notice::Details))
                    .col(big_integer_null(Notice::IssuedBy))
                    .col(timestamp_with_time_zone(Notice::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_notice_petition")
                            .from(Notice::Table, Notice::PetitionId)
                            .to(Petition::Table, Petition::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_notice_agency")
                            .from(Notice::Table, Notice::AgencyId)
                            .to(Agency::Table, Agency::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_notice_number")
                    .table(Notice::Table)
                    .col(Notice::AgencyId)
                    .col(Notice::DocYear)
                    .col(Notice::DocNo)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // A case's notices, and those that still owe a clock (a step's "every running clock is
        // met" looks them up by case and clock).
        manager
            .create_index(
                Index::create()
                    .name("ix_notice_petition")
                    .table(Notice::Table)
                    .col(Notice::PetitionId)
                    .col(Notice::Clock)
                    .col(Notice::SentOn)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_notice_refusal")
                    .table(Notice::Table)
                    .col(Notice::RefusalId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(NoticeCounter::Table)
                    .if_not_exists()
                    .col(big_integer(NoticeCounter::AgencyId))
                    .col(integer(NoticeCounter::DocYear))
                    .col(integer(NoticeCounter::LastNo))
                    .primary_key(Index::create().col(NoticeCounter::AgencyId).col(NoticeCounter::DocYear))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(NoticeCounter::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Notice::Table).to_owned()).await?;
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Notice {
    Table,
    Id,
    AgencyId,
    PetitionId,
    RefusalId,
    Kind,
    Recipient,
    DocYear,
    DocNo,
    IssuedOn,
    EventSeq,
    Clock,
    DueOn,
    SentOn,
    Channel,
    SentBy,
    Details,
    IssuedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum NoticeCounter {
    Table,
    AgencyId,
    DocYear,
    LastNo,
}

#[derive(DeriveIden)]
enum Petition {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Agency {
    Table,
    Id,
}
