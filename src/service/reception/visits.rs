//! Visits: the lines of the reception book (Mẫu số 03/TCD), numbered per agency and year. A visit
//! may open a petition (registered through the petition register's intake in the same
//! transaction, linked both ways) or come back about a case already registered (a repeat visit).

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde_json::json;

use crate::{
    auth::AuthUser,
    crypto::Keys,
    domain::{
        calendar::Calendar,
        petition::{Channel, EventAction, Kind, ReadPurpose},
        reception::{NewVisit, Representative, VisitRequest, subject_from},
    },
    entity::{reception_book_counter, reception_session, reception_visit},
    error::{AppError, AppResult},
    service::{
        audit::{self, Actor, Change},
        context::Ctx,
        identity,
        petitions::{self, NewPetition},
        reception::{book, sessions},
    },
};

/// `POST /reception-sessions/{id}/visits`: writes a line of the book in a session of the agency,
/// in one transaction (see [`log`]); the answer is the line as the writer may see it.
pub async fn create(ctx: &Ctx, session_id: i64, form: VisitRequest) -> AppResult<book::Line> {
    let agency_id = ctx.user.require_staff()?;
    let new = form.parse()?;
    let cal = ctx.calendar().await?;
    let txn = ctx.begin().await?;
    let session = sessions::find(&txn, agency_id, session_id).await?;
    let visit = log(&txn, ctx.keys(), &ctx.user, &session, new, &cal, ctx.now).await?;
    txn.commit().await?;
    let mut lines = book::with_identity(ctx, vec![visit], ReadPurpose::ReceptionVisit).await?;
    lines.pop().ok_or_else(|| AppError::internal("visit line missing"))
}

/// `GET /reception-sessions/{id}/visits`: the lines of a session of the agency.
pub async fn session_lines(ctx: &Ctx, session_id: i64) -> AppResult<Vec<book::Line>> {
    let agency_id = ctx.user.require_staff()?;
    let session = sessions::find(ctx.reader(), agency_id, session_id).await?;
    let rows = of_session(ctx.reader(), session.id).await?;
    book::with_identity(ctx, rows, ReadPurpose::ReceptionSession).await
}

/// `GET /petitions/{id}/visits`: the visits about a case the caller may see.
pub async fn petition_lines(ctx: &Ctx, petition_id: i64) -> AppResult<Vec<book::Line>> {
    let case = petitions::find_visible(ctx.reader(), &ctx.user, petition_id).await?;
    let rows = of_petition(ctx.reader(), case.id).await?;
    book::with_identity(ctx, rows, ReadPurpose::PetitionVisits).await
}

/// The next line number of an agency's book of `year`. The counter row's update takes a row lock
/// on PostgreSQL, so concurrent visits get distinct numbers.
async fn next_book_no(db: &impl ConnectionTrait, agency_id: i64, year: i32) -> AppResult<i32> {
    use reception_book_counter::{ActiveModel, Column, Entity};
    let fresh = ActiveModel { agency_id: Set(agency_id), book_year: Set(year), last_no: Set(0) };
    let key = Condition::all().add(Column::AgencyId.eq(agency_id)).add(Column::BookYear.eq(year));
    crate::db::counter::next::<Entity>(db, fresh, Column::LastNo, key).await
}

/// Writes a visit in `session`, in the caller's transaction: the next line of the book (the
/// visitor's identity sealed under `keys`), the petition it opens or the case it comes back about
/// (with an event in that case's trail), and the session marked held.
pub async fn log(
    db: &impl ConnectionTrait,
    keys: &Keys,
    user: &AuthUser,
    session: &reception_session::Model,
    new: NewVisit,
    cal: &Calendar,
    now: DateTime<Utc>,
) -> AppResult<reception_visit::Model> {
    sessions::open_for_visits(session, crate::clock::civil_date(now))?;
    let actor = Actor::user(user.id, &user.full_name);
    let repeat_of = match new.petition_id {
        Some(id) => Some(petitions::find_visible(db, user, id).await?),
        None => None,
    };
    let year = sessions::book_year(session);
    let book_no = next_book_no(db, session.agency_id, year).await?;
    let representatives: Vec<Representative> = new.representatives.iter().map(Representative::from).collect();
    let mut visit = reception_visit::ActiveModel {
        agency_id: Set(session.agency_id),
        session_id: Set(session.id),
        book_year: Set(year),
        book_no: Set(book_no),
        visit_date: Set(session.session_date),
        people_count: Set(new.people_count),
        summary: Set(new.summary.clone()),
        kind: Set(new.kind),
        field: Set(new.field),
        handled_before_by: Set(new.handled_before_by.clone()),
        within_competence: Set(new.within_competence),
        guided_to: Set(new.guided_to.clone()),
        guidance_letter_no: Set(new.guidance_letter_no.clone()),
        accepted_by: Set(new.accepted_by.clone()),
        forwarding_letter_no: Set(new.forwarding_letter_no.clone()),
        follow_up: Set(new.follow_up.clone()),
        note: Set(new.note.clone()),
        petition_id: Set(repeat_of.as_ref().map(|c| c.id)),
        opened_petition: Set(new.open_petition),
        recorded_by: Set(user.id),
        created_at: Set(now),
        ..Default::default()
    };
    identity::seal_visit(&keys.data, &mut visit, &new.visitor, &representatives)?;
    let visit = visit.insert(db).await?;

    let linked = match (repeat_of, new.open_petition) {
        (Some(case), _) => Some((case, true)),
        (None, true) => {
            let subject = new.subject.clone().unwrap_or_else(|| subject_from(&new.summary));
            let petition = NewPetition {
                petitioner: Some(new.visitor.clone()),
                representatives: new.representatives.clone(),
                signatories: new.people_count,
                handled_before_by: new.handled_before_by.clone(),
                received_by: Some(user.id),
                field: new.field,
                ..NewPetition::received(
                    session.agency_id,
                    new.kind,
                    Channel::InPerson,
                    session.session_date,
                    subject,
                    new.summary.clone(),
                )
            };
            Some((petitions::intake(db, keys, petition, &actor, cal, now).await?, false))
        }
        (None, false) => None,
    };
    let visit = match linked {
        Some((case, repeat)) => {
            let status = Some(case.status);
            let change = Change {
                action: EventAction::ReceptionVisit,
                from: status,
                to: status,
                // Never the visitor's identity: the trail is read by more people than the identity store.
                changes: json!({"visit_id": visit.id, "session_id": session.id, "book_no": book_no,
                                "book_year": year, "visit_date": session.session_date, "repeat": repeat}),
            };
            // A visit recorded as a denunciation about a case makes the case's matter confidential
            // (this visit's event records it on the case, the others' their own).
            if new.kind == Kind::Denunciation {
                petitions::family::make_confidential(db, keys, &case, now).await?;
            }
            let head = audit::head(db, case.id).await?;
            audit::append(db, keys, &case, &head, &actor, &change, now).await?;
            let mut m: reception_visit::ActiveModel = visit.into();
            m.petition_id = Set(Some(case.id));
            m.update(db).await?
        }
        None => visit,
    };
    sessions::mark_held_by_visit(db, session, now).await?;
    Ok(visit)
}

/// The visits of a session, in book order.
pub async fn of_session(
    db: &impl ConnectionTrait,
    session_id: i64,
) -> AppResult<Vec<reception_visit::Model>> {
    Ok(reception_visit::Entity::find()
        .filter(reception_visit::Column::SessionId.eq(session_id))
        .order_by_asc(reception_visit::Column::BookYear)
        .order_by_asc(reception_visit::Column::BookNo)
        .all(db)
        .await?)
}

/// The visits about a case, oldest first.
pub async fn of_petition(
    db: &impl ConnectionTrait,
    petition_id: i64,
) -> AppResult<Vec<reception_visit::Model>> {
    Ok(reception_visit::Entity::find()
        .filter(reception_visit::Column::PetitionId.eq(petition_id))
        .order_by_asc(reception_visit::Column::VisitDate)
        .order_by_asc(reception_visit::Column::Id)
        .limit(500)
        .all(db)
        .await?)
}
