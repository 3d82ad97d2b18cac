//! Issuing written notices inside the transaction of the step that owes them: numbered per agency
//! and year, linked to the step's event, bound to the clock their sending meets. A step's notices
//! are written before its clock effects, so that "every running clock is met" leaves the clocks
//! they owe running ([`owed_clocks`]); their due dates and the facts they are filled with are set
//! once the step is done ([`complete`]).

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde_json::{Value, json};

use crate::{
    domain::{
        deadline::{ClockId, ClockState, steps::Step},
        notice::{self, NoticeKind, Recipient, SendChannel},
    },
    entity::{deadline, notice as notice_row, notice_counter, petition},
    error::AppResult,
    service::petitions::effects,
};

/// The next number of agency `agency_id`'s notices in `year`, in the caller's transaction (two
/// steps never share a number: [`crate::db::counter`]).
async fn next_no(db: &impl ConnectionTrait, agency_id: i64, year: i32) -> AppResult<i32> {
    use notice_counter::{ActiveModel, Column, Entity};
    let fresh = ActiveModel { agency_id: Set(agency_id), doc_year: Set(year), last_no: Set(0) };
    let key = Condition::all().add(Column::AgencyId.eq(agency_id)).add(Column::DocYear.eq(year));
    crate::db::counter::next::<Entity>(db, fresh, Column::LastNo, key).await
}

/// What a new notice is.
#[derive(Debug, Clone)]
pub struct NewNotice {
    pub agency_id: i64,
    pub petition_id: Option<i64>,
    pub refusal_id: Option<i64>,
    pub kind: NoticeKind,
    pub to: Recipient,
    pub clock: Option<ClockId>,
    pub due_on: Option<NaiveDate>,
    pub event_seq: Option<i32>,
    pub details: Value,
    pub issued_on: NaiveDate,
    pub issued_by: Option<i64>,
}

/// Writes a notice with the agency's next number of its year.
pub async fn write(
    db: &impl ConnectionTrait,
    new: NewNotice,
    now: DateTime<Utc>,
) -> AppResult<notice_row::Model> {
    let year = new.issued_on.year();
    let no = next_no(db, new.agency_id, year).await?;
    Ok(notice_row::ActiveModel {
        agency_id: Set(new.agency_id),
        petition_id: Set(new.petition_id),
        refusal_id: Set(new.refusal_id),
        kind: Set(new.kind),
        recipient: Set(new.to),
        doc_year: Set(year),
        doc_no: Set(no),
        issued_on: Set(new.issued_on),
        event_seq: Set(new.event_seq),
        clock: Set(new.clock),
        due_on: Set(new.due_on),
        sent_on: Set(None),
        channel: Set(None),
        sent_by: Set(None),
        details: Set(new.details.to_string()),
        issued_by: Set(new.issued_by),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// Issues the notices `step` owes on `case` (as it stood before the step), linked to the event
/// `event_seq` the step appends, on `on`. Their due dates and contents are set by [`complete`].
#[allow(clippy::too_many_arguments)]
pub async fn for_step(
    db: &impl ConnectionTrait,
    case: &petition::Model,
    step: Step,
    partial: bool,
    event_seq: i32,
    on: NaiveDate,
    issued_by: Option<i64>,
    now: DateTime<Utc>,
) -> AppResult<Vec<notice_row::Model>> {
    let facts = effects::facts_of(case, partial);
    let mut issued = Vec::new();
    for row in notice::plan(step, &facts, case.anonymous) {
        let new = NewNotice {
            agency_id: case.agency_id,
            petition_id: Some(case.id),
            refusal_id: None,
            kind: row.kind,
            to: row.to,
            clock: row.clock,
            due_on: None,
            event_seq: Some(event_seq),
            details: json!({}),
            issued_on: on,
            issued_by,
        };
        issued.push(write(db, new, now).await?);
    }
    Ok(issued)
}

/// Completes the notices a step issued once it is done: each one's due date (its clock's, or the
/// latest day a dialogue's invitation may go out) and the facts of the step it is filled with
/// (`details`, the step's event changes). A receipt is handed over on the spot: it is sent.
pub async fn complete(
    db: &impl ConnectionTrait,
    issued: Vec<notice_row::Model>,
    details: &Value,
) -> AppResult<Vec<notice_row::Model>> {
    let mut done = Vec::with_capacity(issued.len());
    // Both sides of a denunciation owe the same clock: it is read once.
    let mut dues: Vec<(ClockId, Option<NaiveDate>)> = Vec::new();
    for n in issued {
        let due = match (n.clock, n.petition_id) {
            (Some(clock), Some(case)) => match dues.iter().find(|(c, _)| *c == clock) {
                Some((_, due)) => *due,
                None => {
                    let due = running_due(db, case, clock).await?;
                    dues.push((clock, due));
                    due
                }
            },
            _ if n.kind == NoticeKind::DialogueInvitation => {
                details.get("invitation_by").and_then(|d| serde_json::from_value(d.clone()).ok())
            }
            _ => None,
        };
        let handed_over = n.kind == NoticeKind::Receipt;
        let issued_on = n.issued_on;
        let mut model: notice_row::ActiveModel = n.into();
        model.due_on = Set(due);
        model.details = Set(details.to_string());
        if handed_over {
            model.sent_on = Set(Some(issued_on));
            model.channel = Set(Some(SendChannel::InPerson));
        }
        done.push(model.update(db).await?);
    }
    Ok(done)
}

/// The due date of the running clock `clock` of a case (the latest one started).
async fn running_due(
    db: &impl ConnectionTrait,
    petition_id: i64,
    clock: ClockId,
) -> AppResult<Option<NaiveDate>> {
    Ok(deadline::Entity::find()
        .select_only()
        .column(deadline::Column::DueOn)
        .filter(deadline::Column::PetitionId.eq(petition_id))
        .filter(deadline::Column::Clock.eq(clock))
        .filter(deadline::Column::State.eq(ClockState::Running))
        .order_by_desc(deadline::Column::Id)
        .into_tuple::<NaiveDate>()
        .one(db)
        .await?)
}

/// The clocks of a case that a notice not yet sent still owes: only sending meets them.
pub async fn owed_clocks(db: &impl ConnectionTrait, petition_id: i64) -> AppResult<Vec<ClockId>> {
    Ok(notice_row::Entity::find()
        .select_only()
        .column(notice_row::Column::Clock)
        .filter(notice_row::Column::PetitionId.eq(petition_id))
        .filter(notice_row::Column::Clock.is_not_null())
        .filter(notice_row::Column::SentOn.is_null())
        .into_tuple::<Option<ClockId>>()
        .all(db)
        .await?
        .into_iter()
        .flatten()
        .collect())
}

/// The trail's line for the notices a step issued: `[{"id","kind","number","to","due"}]`.
pub fn described(issued: &[notice_row::Model]) -> Value {
    json!(
        issued
            .iter()
            .map(|n| json!({"id": n.id, "kind": n.kind, "number": super::number_of(n), "to": n.recipient,
                        "due": n.due_on}))
            .collect::<Vec<_>>()
    )
}
