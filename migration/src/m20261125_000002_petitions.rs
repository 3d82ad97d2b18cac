//! The petition register: petitions, their parties (the protected identity store), statutory
//! clocks, the hash-chained audit trail, identity reads, ratings, the administrator's special days
//! and the search index (FTS5 on SQLite, a GIN-indexed tsvector table on PostgreSQL). The search
//! index lives beside the case table, not in it, so that the frequent updates of a case (its
//! version, status, next due date) never rewrite full-text entries.

use sea_orm_migration::{prelude::*, schema::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Petition::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Petition::Id))
                    .col(big_integer(Petition::AgencyId))
                    .col(string_len_uniq(Petition::TrackingCode, 20))
                    .col(string_len(Petition::Kind, 20))
                    .col(string_len(Petition::Channel, 20))
                    .col(string_len(Petition::Status, 20))
                    .col(date(Petition::ReceivedOn))
                    .col(big_integer_null(Petition::ReceivedBy))
                    .col(big_integer_null(Petition::CitizenUserId))
                    .col(string_len(Petition::Subject, 500))
                    .col(text(Petition::Content))
                    .col(boolean(Petition::Anonymous).default(false))
                    .col(integer(Petition::Signatories).default(1))
                    .col(string_len_null(Petition::ForwardingBody, 300))
                    .col(string_len_null(Petition::ForwardingDocNo, 100))
                    .col(text_null(Petition::Attachments))
                    .col(boolean(Petition::SkipLevel).default(false))
                    .col(string_len_null(Petition::HandledBeforeBy, 300))
                    .col(integer(Petition::Round).default(1))
                    .col(string_len(Petition::Complexity, 20).default("none"))
                    .col(boolean(Petition::RemoteArea).default(false))
                    .col(big_integer_null(Petition::AssigneeId))
                    .col(big_integer_null(Petition::UnitId))
                    .col(big_integer_null(Petition::LeaderId))
                    .col(string_len_null(Petition::ExpectedResult, 1000))
                    .col(big_integer_null(Petition::OriginId))
                    .col(string_len_null(Petition::OriginRelation, 40))
                    .col(big_integer_null(Petition::ForwardedToAgencyId))
                    .col(big_integer_null(Petition::ForwardedCopyId))
                    .col(string_len_null(Petition::ForwardedToBody, 300))
                    .col(text_null(Petition::OutcomeNote))
                    .col(text_null(Petition::Result))
                    .col(string_len_null(Petition::Conclusion, 20))
                    .col(date_null(Petition::ClosedOn))
                    .col(date_null(Petition::ArchiveUntil))
                    .col(text_null(Petition::ForwardResult))
                    .col(date_null(Petition::ForwardResultOn))
                    .col(date_null(Petition::NextDueOn))
                    .col(string_len(Petition::RuleSet, 20))
                    .col(integer(Petition::Version).default(0))
                    .col(string_len(Petition::EventHead, 64))
                    .col(timestamp_with_time_zone(Petition::CreatedAt))
                    .col(timestamp_with_time_zone(Petition::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Petition::Table, Petition::AgencyId)
                            .to(Agency::Table, Agency::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // The hot queries: an agency's cases by status, per handler and per unit, the register
        // by date and by kind. No index holds the next due date: clocks are found by due date
        // in `deadline`'s own index, and the case's copy of it is for display and for sorting a
        // handler's few open cases. So a recomputation or an action rewrites a case row without
        // touching any index of it (a HOT update on PostgreSQL).
        for (name, cols) in [
            ("ix_petition_agency_status", vec![Petition::AgencyId, Petition::Status]),
            ("ix_petition_agency_assignee", vec![Petition::AgencyId, Petition::AssigneeId, Petition::Status]),
            ("ix_petition_agency_unit", vec![Petition::AgencyId, Petition::UnitId, Petition::Status]),
            ("ix_petition_agency_received", vec![Petition::AgencyId, Petition::ReceivedOn, Petition::Id]),
            ("ix_petition_agency_kind", vec![Petition::AgencyId, Petition::Kind, Petition::ReceivedOn]),
        ] {
            let mut index = Index::create().name(name).table(Petition::Table).to_owned();
            for c in cols {
                index.col(c);
            }
            manager.create_index(index).await?;
        }
        // A citizen's own cases and the links between cases: most rows have neither, and a
        // partial index costs those rows nothing (same syntax on SQLite and PostgreSQL).
        let conn = manager.get_connection();
        conn.execute_unprepared(
            "CREATE INDEX ix_petition_citizen ON petition (citizen_user_id, id) WHERE citizen_user_id IS NOT NULL",
        )
        .await?;
        conn.execute_unprepared(
            "CREATE INDEX ix_petition_origin ON petition (origin_id) WHERE origin_id IS NOT NULL",
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(PetitionParty::Table)
                    .if_not_exists()
                    .col(big_pk_auto(PetitionParty::Id))
                    .col(big_integer(PetitionParty::PetitionId))
                    .col(string_len(PetitionParty::Role, 20))
                    .col(string_len(PetitionParty::FullName, 200))
                    .col(string_len_null(PetitionParty::IdNumber, 20))
                    .col(string_len_null(PetitionParty::Address, 500))
                    .col(string_len_null(PetitionParty::Phone, 20))
                    .col(string_len_null(PetitionParty::Email, 254))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PetitionParty::Table, PetitionParty::PetitionId)
                            .to(Petition::Table, Petition::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_party_petition")
                    .table(PetitionParty::Table)
                    .col(PetitionParty::PetitionId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_party_id_number")
                    .table(PetitionParty::Table)
                    .col(PetitionParty::IdNumber)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Deadline::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Deadline::Id))
                    .col(big_integer(Deadline::PetitionId))
                    .col(string_len(Deadline::Clock, 60))
                    .col(string_len(Deadline::RuleSet, 20))
                    .col(date(Deadline::StartOn))
                    .col(string_len(Deadline::Unit, 20))
                    .col(integer(Deadline::LimitDays))
                    .col(string_len(Deadline::Complexity, 20))
                    .col(boolean(Deadline::RemoteArea))
                    .col(text(Deadline::Extensions))
                    .col(text(Deadline::Pauses))
                    .col(date(Deadline::DueOn))
                    .col(boolean(Deadline::Paused))
                    // running | met | stopped
                    .col(string_len(Deadline::State, 20))
                    .col(date_null(Deadline::EndedOn))
                    .col(timestamp_with_time_zone(Deadline::CreatedAt))
                    .col(timestamp_with_time_zone(Deadline::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Deadline::Table, Deadline::PetitionId)
                            .to(Petition::Table, Petition::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // A case's running clocks (its next due date, its actions).
        manager
            .create_index(
                Index::create()
                    .name("ix_deadline_petition")
                    .table(Deadline::Table)
                    .col(Deadline::PetitionId)
                    .col(Deadline::State)
                    .to_owned(),
            )
            .await?;
        // Overdue and nearly-due cases, and the recomputation after a holiday change, read running
        // clocks by date.
        manager
            .create_index(
                Index::create()
                    .name("ix_deadline_state_due")
                    .table(Deadline::Table)
                    .col(Deadline::State)
                    .col(Deadline::DueOn)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PetitionEvent::Table)
                    .if_not_exists()
                    .col(big_pk_auto(PetitionEvent::Id))
                    .col(big_integer(PetitionEvent::PetitionId))
                    .col(integer(PetitionEvent::Seq))
                    .col(timestamp_with_time_zone(PetitionEvent::At))
                    .col(big_integer_null(PetitionEvent::ActorId))
                    .col(string_len(PetitionEvent::ActorName, 200))
                    .col(string_len(PetitionEvent::Action, 40))
                    .col(string_len_null(PetitionEvent::FromStatus, 20))
                    .col(string_len_null(PetitionEvent::ToStatus, 20))
                    .col(text(PetitionEvent::Changes))
                    .col(string_len(PetitionEvent::PrevHash, 64))
                    .col(string_len(PetitionEvent::Hash, 64))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PetitionEvent::Table, PetitionEvent::PetitionId)
                            .to(Petition::Table, Petition::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_event_petition_seq")
                    .table(PetitionEvent::Table)
                    .col(PetitionEvent::PetitionId)
                    .col(PetitionEvent::Seq)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(IdentityAccess::Table)
                    .if_not_exists()
                    .col(big_pk_auto(IdentityAccess::Id))
                    .col(big_integer(IdentityAccess::PetitionId))
                    .col(big_integer(IdentityAccess::UserId))
                    .col(timestamp_with_time_zone(IdentityAccess::At))
                    .col(string_len(IdentityAccess::Purpose, 100))
                    .to_owned(),
            )
            .await?;
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

        manager
            .create_table(
                Table::create()
                    .table(PetitionRating::Table)
                    .if_not_exists()
                    .col(big_integer(PetitionRating::PetitionId).primary_key())
                    .col(small_integer(PetitionRating::Score))
                    .col(text_null(PetitionRating::Comment))
                    .col(timestamp_with_time_zone(PetitionRating::At))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PetitionRating::Table, PetitionRating::PetitionId)
                            .to(Petition::Table, Petition::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(SpecialDay::Table)
                    .if_not_exists()
                    .col(date(SpecialDay::Date).primary_key())
                    .col(string_len(SpecialDay::Kind, 20))
                    .col(string_len(SpecialDay::Name, 200))
                    .col(big_integer_null(SpecialDay::UpdatedBy))
                    .col(timestamp_with_time_zone(SpecialDay::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        match manager.get_database_backend() {
            DbBackend::Sqlite => {
                // Contentless: only the folded words are kept, for matching; rowid = petition.id.
                manager
                    .get_connection()
                    .execute_unprepared(
                        "CREATE VIRTUAL TABLE IF NOT EXISTS petition_fts USING fts5(search_text, content='', \
                         contentless_delete=1, tokenize='unicode61 remove_diacritics 2', prefix='2 3')",
                    )
                    .await?;
            }
            DbBackend::Postgres => {
                let conn = manager.get_connection();
                conn.execute_unprepared(
                    "CREATE TABLE IF NOT EXISTS petition_search (\
                     petition_id bigint PRIMARY KEY REFERENCES petition (id), \
                     search_tsv tsvector NOT NULL)",
                )
                .await?;
                conn.execute_unprepared(
                    "CREATE INDEX ix_petition_search ON petition_search USING GIN (search_tsv)",
                )
                .await?;
                // Room on each page for a case's next version, so that updates which change no
                // indexed column stay on the page (HOT) and touch no index.
                conn.execute_unprepared("ALTER TABLE petition SET (fillfactor = 80)").await?;
            }
            _ => {}
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Agency {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Petition {
    Table,
    Id,
    AgencyId,
    TrackingCode,
    Kind,
    Channel,
    Status,
    ReceivedOn,
    ReceivedBy,
    CitizenUserId,
    Subject,
    Content,
    Anonymous,
    Signatories,
    ForwardingBody,
    ForwardingDocNo,
    Attachments,
    SkipLevel,
    HandledBeforeBy,
    Round,
    Complexity,
    RemoteArea,
    AssigneeId,
    UnitId,
    LeaderId,
    ExpectedResult,
    OriginId,
    OriginRelation,
    ForwardedToAgencyId,
    ForwardedCopyId,
    ForwardedToBody,
    OutcomeNote,
    Result,
    Conclusion,
    ClosedOn,
    ArchiveUntil,
    ForwardResult,
    ForwardResultOn,
    NextDueOn,
    RuleSet,
    Version,
    EventHead,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PetitionParty {
    Table,
    Id,
    PetitionId,
    Role,
    FullName,
    IdNumber,
    Address,
    Phone,
    Email,
}

#[derive(DeriveIden)]
enum Deadline {
    Table,
    Id,
    PetitionId,
    Clock,
    RuleSet,
    StartOn,
    Unit,
    LimitDays,
    Complexity,
    RemoteArea,
    Extensions,
    Pauses,
    DueOn,
    Paused,
    State,
    EndedOn,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PetitionEvent {
    Table,
    Id,
    PetitionId,
    Seq,
    At,
    ActorId,
    ActorName,
    Action,
    FromStatus,
    ToStatus,
    Changes,
    PrevHash,
    Hash,
}

#[derive(DeriveIden)]
enum IdentityAccess {
    Table,
    Id,
    PetitionId,
    UserId,
    At,
    Purpose,
}

#[derive(DeriveIden)]
enum PetitionRating {
    Table,
    PetitionId,
    Score,
    Comment,
    At,
}

#[derive(DeriveIden)]
enum SpecialDay {
    Table,
    Date,
    Kind,
    Name,
    UpdatedBy,
    UpdatedAt,
}
