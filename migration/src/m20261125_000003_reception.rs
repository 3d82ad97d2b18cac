//! Citizen reception: the heads' schedule rules, sessions of every kind, the reception book's
//! visit lines (Mẫu số 03/TCD) with their per-year numbering, refusals to receive, and the
//! directives of session-conclusion notices.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ReceptionRule::Table)
                    .if_not_exists()
                    .col(big_integer(ReceptionRule::HostId).primary_key())
                    .col(big_integer(ReceptionRule::AgencyId))
                    .col(small_integer(ReceptionRule::Weekday))
                    .col(string_len(ReceptionRule::Every, 10))
                    .col(small_integer_null(ReceptionRule::WeekOfMonth))
                    .col(string_len(ReceptionRule::OnHoliday, 20))
                    .col(string_len_null(ReceptionRule::Location, 300))
                    .col(boolean(ReceptionRule::Active).default(true))
                    .col(big_integer_null(ReceptionRule::UpdatedBy))
                    .col(timestamp_with_time_zone(ReceptionRule::CreatedAt))
                    .col(timestamp_with_time_zone(ReceptionRule::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ReceptionRule::Table, ReceptionRule::HostId)
                            .to(User::Table, User::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_reception_rule_agency")
                    .table(ReceptionRule::Table)
                    .col(ReceptionRule::AgencyId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ReceptionSession::Table)
                    .if_not_exists()
                    .col(big_pk_auto(ReceptionSession::Id))
                    .col(big_integer(ReceptionSession::AgencyId))
                    .col(string_len(ReceptionSession::Kind, 20))
                    .col(date(ReceptionSession::SessionDate))
                    .col(big_integer(ReceptionSession::HostId))
                    .col(string_len(ReceptionSession::Location, 300))
                    // scheduled | held | cancelled ("missed" is derived: scheduled and past)
                    .col(string_len(ReceptionSession::Status, 20))
                    // rule (generated from the head's schedule rule) | manual
                    .col(string_len(ReceptionSession::Source, 10))
                    .col(date_null(ReceptionSession::NominalDate))
                    .col(string_len_null(ReceptionSession::TriggerKind, 30))
                    .col(text_null(ReceptionSession::TriggerNote))
                    .col(text(ReceptionSession::Participants))
                    .col(big_integer_null(ReceptionSession::NoteTakerId))
                    .col(text_null(ReceptionSession::ExpectedContent))
                    .col(date_null(ReceptionSession::NoticeOn))
                    .col(string_len_null(ReceptionSession::MeetingLink, 500))
                    .col(string_len_null(ReceptionSession::RecordingRef, 500))
                    .col(string_len_null(ReceptionSession::CancelReason, 1000))
                    .col(timestamp_with_time_zone_null(ReceptionSession::HeldAt))
                    .col(text_null(ReceptionSession::Conclusion))
                    .col(timestamp_with_time_zone_null(ReceptionSession::ConcludedAt))
                    .col(big_integer_null(ReceptionSession::ConcludedBy))
                    .col(big_integer_null(ReceptionSession::CreatedBy))
                    .col(timestamp_with_time_zone(ReceptionSession::CreatedAt))
                    .col(timestamp_with_time_zone(ReceptionSession::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ReceptionSession::Table, ReceptionSession::AgencyId)
                            .to(Agency::Table, Agency::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ReceptionSession::Table, ReceptionSession::HostId)
                            .to(User::Table, User::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // The schedule and the book read sessions by agency and date; the weekly review by host.
        manager
            .create_index(
                Index::create()
                    .name("ix_session_agency_date")
                    .table(ReceptionSession::Table)
                    .col(ReceptionSession::AgencyId)
                    .col(ReceptionSession::SessionDate)
                    .to_owned(),
            )
            .await?;
        // One generated session per rule occurrence: materialising the schedule is idempotent.
        manager
            .create_index(
                Index::create()
                    .name("ux_session_host_nominal")
                    .table(ReceptionSession::Table)
                    .col(ReceptionSession::HostId)
                    .col(ReceptionSession::NominalDate)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // A head holds at most one periodic session a day (partial: other kinds may repeat).
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX IF NOT EXISTS ux_session_periodic_host_date \
                 ON reception_session (host_id, session_date, kind) WHERE kind = 'periodic'",
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ReceptionVisit::Table)
                    .if_not_exists()
                    .col(big_pk_auto(ReceptionVisit::Id))
                    .col(big_integer(ReceptionVisit::AgencyId))
                    .col(big_integer(ReceptionVisit::SessionId))
                    .col(integer(ReceptionVisit::BookYear))
                    .col(integer(ReceptionVisit::BookNo))
                    .col(date(ReceptionVisit::VisitDate))
                    .col(string_len(ReceptionVisit::VisitorName, 200))
                    .col(string_len_null(ReceptionVisit::VisitorAddress, 500))
                    .col(string_len_null(ReceptionVisit::VisitorIdNumber, 20))
                    .col(integer(ReceptionVisit::PeopleCount))
                    .col(text(ReceptionVisit::Representatives))
                    .col(text(ReceptionVisit::Summary))
                    .col(string_len(ReceptionVisit::Kind, 20))
                    .col(string_len_null(ReceptionVisit::HandledBeforeBy, 300))
                    .col(boolean(ReceptionVisit::WithinCompetence))
                    .col(string_len_null(ReceptionVisit::GuidedTo, 300))
                    .col(string_len_null(ReceptionVisit::GuidanceLetterNo, 100))
                    .col(string_len_null(ReceptionVisit::AcceptedBy, 300))
                    .col(string_len_null(ReceptionVisit::ForwardingLetterNo, 100))
                    .col(text_null(ReceptionVisit::FollowUp))
                    .col(text_null(ReceptionVisit::Note))
                    .col(big_integer_null(ReceptionVisit::PetitionId))
                    .col(boolean(ReceptionVisit::OpenedPetition).default(false))
                    .col(big_integer(ReceptionVisit::RecordedBy))
                    .col(timestamp_with_time_zone(ReceptionVisit::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ReceptionVisit::Table, ReceptionVisit::SessionId)
                            .to(ReceptionSession::Table, ReceptionSession::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ReceptionVisit::Table, ReceptionVisit::PetitionId)
                            .to(Petition::Table, Petition::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols, unique) in [
            (
                "ux_visit_book_no",
                vec![ReceptionVisit::AgencyId, ReceptionVisit::BookYear, ReceptionVisit::BookNo],
                true,
            ),
            ("ix_visit_agency_date", vec![ReceptionVisit::AgencyId, ReceptionVisit::VisitDate], false),
            ("ix_visit_session", vec![ReceptionVisit::SessionId], false),
            ("ix_visit_petition", vec![ReceptionVisit::PetitionId], false),
        ] {
            let mut index = Index::create().name(name).table(ReceptionVisit::Table).to_owned();
            for c in cols {
                index.col(c);
            }
            if unique {
                index.unique();
            }
            manager.create_index(index).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(ReceptionBookCounter::Table)
                    .if_not_exists()
                    .col(big_integer(ReceptionBookCounter::AgencyId))
                    .col(integer(ReceptionBookCounter::BookYear))
                    .col(integer(ReceptionBookCounter::LastNo))
                    .primary_key(
                        Index::create()
                            .col(ReceptionBookCounter::AgencyId)
                            .col(ReceptionBookCounter::BookYear),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ReceptionRefusal::Table)
                    .if_not_exists()
                    .col(big_pk_auto(ReceptionRefusal::Id))
                    .col(big_integer(ReceptionRefusal::AgencyId))
                    .col(big_integer(ReceptionRefusal::SessionId))
                    .col(date(ReceptionRefusal::RefusedOn))
                    .col(string_len(ReceptionRefusal::VisitorName, 200))
                    .col(string_len_null(ReceptionRefusal::VisitorAddress, 500))
                    .col(string_len_null(ReceptionRefusal::VisitorIdNumber, 20))
                    .col(string_len(ReceptionRefusal::Ground, 40))
                    .col(text_null(ReceptionRefusal::Details))
                    .col(boolean(ReceptionRefusal::NoticeRequired))
                    .col(date_null(ReceptionRefusal::GroundsOn))
                    .col(date_null(ReceptionRefusal::NoticeSentOn))
                    .col(string_len_null(ReceptionRefusal::NoticeNo, 100))
                    .col(big_integer_null(ReceptionRefusal::NoticeRecordedBy))
                    .col(big_integer(ReceptionRefusal::RefusedBy))
                    .col(timestamp_with_time_zone(ReceptionRefusal::CreatedAt))
                    .col(timestamp_with_time_zone(ReceptionRefusal::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ReceptionRefusal::Table, ReceptionRefusal::SessionId)
                            .to(ReceptionSession::Table, ReceptionSession::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("ix_refusal_session", vec![ReceptionRefusal::SessionId]),
            // The pending written notices of an agency.
            (
                "ix_refusal_agency_notice",
                vec![
                    ReceptionRefusal::AgencyId,
                    ReceptionRefusal::NoticeRequired,
                    ReceptionRefusal::NoticeSentOn,
                ],
            ),
            ("ix_refusal_agency_date", vec![ReceptionRefusal::AgencyId, ReceptionRefusal::RefusedOn]),
        ] {
            let mut index = Index::create().name(name).table(ReceptionRefusal::Table).to_owned();
            for c in cols {
                index.col(c);
            }
            manager.create_index(index).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(ReceptionDirective::Table)
                    .if_not_exists()
                    .col(big_pk_auto(ReceptionDirective::Id))
                    .col(big_integer(ReceptionDirective::AgencyId))
                    .col(big_integer(ReceptionDirective::SessionId))
                    .col(big_integer(ReceptionDirective::UnitId))
                    .col(text(ReceptionDirective::Task))
                    .col(date(ReceptionDirective::DueOn))
                    // open | done
                    .col(string_len(ReceptionDirective::Status, 20))
                    .col(text_null(ReceptionDirective::Result))
                    .col(date_null(ReceptionDirective::DoneOn))
                    .col(big_integer_null(ReceptionDirective::DoneBy))
                    .col(big_integer(ReceptionDirective::CreatedBy))
                    .col(timestamp_with_time_zone(ReceptionDirective::CreatedAt))
                    .col(timestamp_with_time_zone(ReceptionDirective::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ReceptionDirective::Table, ReceptionDirective::SessionId)
                            .to(ReceptionSession::Table, ReceptionSession::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ReceptionDirective::Table, ReceptionDirective::UnitId)
                            .to(Unit::Table, Unit::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            // A unit's inbox of directives: open first, by due date.
            (
                "ix_directive_unit_status_due",
                vec![ReceptionDirective::UnitId, ReceptionDirective::Status, ReceptionDirective::DueOn],
            ),
            (
                "ix_directive_agency_status_due",
                vec![ReceptionDirective::AgencyId, ReceptionDirective::Status, ReceptionDirective::DueOn],
            ),
            ("ix_directive_session", vec![ReceptionDirective::SessionId]),
        ] {
            let mut index = Index::create().name(name).table(ReceptionDirective::Table).to_owned();
            for c in cols {
                index.col(c);
            }
            manager.create_index(index).await?;
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
enum User {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Unit {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Petition {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ReceptionRule {
    Table,
    HostId,
    AgencyId,
    Weekday,
    Every,
    WeekOfMonth,
    OnHoliday,
    Location,
    Active,
    UpdatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ReceptionSession {
    Table,
    Id,
    AgencyId,
    Kind,
    SessionDate,
    HostId,
    Location,
    Status,
    Source,
    NominalDate,
    TriggerKind,
    TriggerNote,
    Participants,
    NoteTakerId,
    ExpectedContent,
    NoticeOn,
    MeetingLink,
    RecordingRef,
    CancelReason,
    HeldAt,
    Conclusion,
    ConcludedAt,
    ConcludedBy,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ReceptionVisit {
    Table,
    Id,
    AgencyId,
    SessionId,
    BookYear,
    BookNo,
    VisitDate,
    VisitorName,
    VisitorAddress,
    VisitorIdNumber,
    PeopleCount,
    Representatives,
    Summary,
    Kind,
    HandledBeforeBy,
    WithinCompetence,
    GuidedTo,
    GuidanceLetterNo,
    AcceptedBy,
    ForwardingLetterNo,
    FollowUp,
    Note,
    PetitionId,
    OpenedPetition,
    RecordedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ReceptionBookCounter {
    Table,
    AgencyId,
    BookYear,
    LastNo,
}

#[derive(DeriveIden)]
enum ReceptionRefusal {
    Table,
    Id,
    AgencyId,
    SessionId,
    RefusedOn,
    VisitorName,
    VisitorAddress,
    VisitorIdNumber,
    Ground,
    Details,
    NoticeRequired,
    GroundsOn,
    NoticeSentOn,
    NoticeNo,
    NoticeRecordedBy,
    RefusedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ReceptionDirective {
    Table,
    Id,
    AgencyId,
    SessionId,
    UnitId,
    Task,
    DueOn,
    Status,
    Result,
    DoneOn,
    DoneBy,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}
