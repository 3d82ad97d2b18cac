//! Receipt: a checked new petition written into the register, whoever registers it (staff, the
//! portal, the reception book, a forwarding agency, a reopening, a split).

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait};
use serde_json::json;

use super::{
    effects::{self, ClockBasis},
    family::{self, Family},
    read::find,
    search,
};
use crate::{
    crypto::Keys,
    domain::{
        calendar::Calendar,
        deadline::{Complexity, RuleSetId, rule_set_for, steps::Step},
        message::MessageKind,
        person::Person,
        petition::{EventAction, PartyRole, Status, intake::NewPetition, tracking_code},
    },
    entity::{json::JsonList, petition, petition_content, petition_party},
    error::{AppError, AppResult},
    service::{
        audit::{self, Actor, Change, GENESIS},
        deadlines, identity, notices, notifications,
    },
};

/// What the first event of a case's trail records of its receipt (also the bulk seeder's).
pub fn receipt_changes(new: &NewPetition, rule_set: RuleSetId) -> serde_json::Value {
    json!({
        "kind": new.kind,
        "channel": new.channel,
        "received_on": new.received_on,
        "subject": new.subject,
        "signatories": new.signatories,
        "rule_set": rule_set.as_str(),
        "origin": new.origin.map(|(id, rel)| json!({"id": id, "relation": rel})),
        "assignee_id": new.assignee_id,
        "unit_id": new.unit_id,
        "round": new.round,
        "signed": new.signed,
        "act_known_on": new.act_known_on,
        "field": new.field,
        "earlier_decision": new.earlier_decision.as_ref().map(|d| json!({
            "number": d.number, "date": d.date, "body": d.body, "received_on": d.received_on,
        })),
    })
}

/// A new random tracking code.
pub fn new_tracking_code() -> AppResult<String> {
    let mut bytes = [0u8; 12];
    getrandom::fill(&mut bytes).map_err(AppError::internal)?;
    Ok(tracking_code::from_random(bytes))
}

/// Registers a petition: the case, its parties in the identity store (sealed under the data key of
/// `keys`), the search index, the clocks its receipt starts, and the first event of its trail
/// (recording the content and parties as stored), in one transaction (the caller's).
pub async fn intake(
    db: &impl ConnectionTrait,
    keys: &Keys,
    new: NewPetition,
    actor: &Actor,
    cal: &Calendar,
    now: DateTime<Utc>,
) -> AppResult<petition::Model> {
    let rule_set: RuleSetId = rule_set_for(new.received_on);
    // The family it joins: a denunciation, or a case made from a confidential one, is confidential.
    let origin = family::origin_of(db, new.origin.map(|o| o.0)).await?;
    let (family_id, confidential) = Family::joined(origin.as_ref(), new.kind);
    let people: Vec<&Person> = new.people().collect();
    let search = search::entry(&keys.data, new.agency_id, confidential, &new.subject, &new.content, &people);
    let attachments = if new.attachments.is_empty() { None } else { Some(JsonList(new.attachments.clone())) };
    let model = petition::ActiveModel {
        agency_id: Set(new.agency_id),
        tracking_code: Set(new_tracking_code()?),
        kind: Set(new.kind),
        channel: Set(new.channel),
        status: Set(Status::Received),
        received_on: Set(new.received_on),
        received_by: Set(new.received_by),
        citizen_user_id: Set(new.citizen_user_id),
        subject: Set(new.subject.clone()),
        anonymous: Set(new.petitioner.is_none()),
        signatories: Set(new.signatories),
        forwarding_body: Set(new.forwarding_body.clone()),
        forwarding_doc_no: Set(new.forwarding_doc_no.clone()),
        attachments: Set(attachments),
        skip_level: Set(new.skip_level),
        handled_before_by: Set(new.handled_before_by.clone()),
        round: Set(new.round),
        complexity: Set(Complexity::None),
        remote_area: Set(new.remote_area),
        assignee_id: Set(new.assignee_id),
        unit_id: Set(new.unit_id),
        leader_id: Set(None),
        expected_result: Set(None),
        origin_id: Set(new.origin.map(|o| o.0)),
        origin_relation: Set(new.origin.map(|o| o.1)),
        family_id: Set(family_id),
        confidential: Set(confidential),
        forwarded_to_agency_id: Set(None),
        forwarded_copy_id: Set(None),
        forwarded_to_body: Set(None),
        outcome_note: Set(None),
        result: Set(None),
        conclusion: Set(None),
        closed_on: Set(None),
        archive_until: Set(None),
        forward_result: Set(None),
        forward_result_on: Set(None),
        signed: Set(new.signed),
        earlier_decision_no: Set(new.earlier_decision.as_ref().map(|d| d.number.clone())),
        earlier_decision_on: Set(new.earlier_decision.as_ref().map(|d| d.date)),
        earlier_decision_body: Set(new.earlier_decision.as_ref().map(|d| d.body.clone())),
        earlier_decision_received_on: Set(new.earlier_decision.as_ref().map(|d| d.received_on)),
        act_known_on: Set(new.act_known_on),
        field: Set(new.field),
        rule_set: Set(rule_set),
        version: Set(0),
        event_head: Set(GENESIS.to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    let case = model.insert(db).await?;
    petition_content::ActiveModel { petition_id: Set(case.id), content: Set(new.content.clone()) }
        .insert(db)
        .await?;

    let parties = new
        .petitioner
        .iter()
        .map(|p| (PartyRole::Petitioner, p))
        .chain(new.cosignatories.iter().map(|p| (PartyRole::Cosignatory, p)))
        .chain(new.representatives.iter().map(|p| (PartyRole::Representative, p)))
        .map(|(role, p)| identity::party_row(&keys.data, case.id, role, p))
        .collect::<AppResult<Vec<_>>>()?;
    if !parties.is_empty() {
        petition_party::Entity::insert_many(parties).exec(db).await?;
    }
    search::index(db, case.id, &search).await?;
    // A denunciation made from a case (a split part) makes its whole family confidential. The
    // origin is the case a step is being taken on (`actions::derived`): its own event follows.
    if let Some(origin) = &origin
        && confidential
        && !origin.confidential
    {
        family::make_confidential(db, keys, origin, now).await?;
    }

    // The clocks of the receipt, counted on the case as registered (not complex, remote or not).
    let receipt = effects::plan(Step::Receive, &case);
    effects::apply(db, &ClockBasis::of(&case), &receipt, None, new.received_on, cal, now).await?;

    // The notices of the receipt (documents handed over at the desk get their receipt): not for
    // a case a step derives from another, whose step has its own.
    let mut changes = receipt_changes(&new, rule_set);
    if origin.is_none() {
        let on = new.received_on;
        let seq = audit::Head::genesis().seq + 1;
        let issued =
            notices::issue::for_step(db, &case, Step::Receive, false, seq, on, actor.id, now).await?;
        let issued = notices::issue::complete(db, issued, &json!({})).await?;
        if !issued.is_empty() {
            changes["notices"] = notices::issue::described(&issued);
        }
    }
    let change = Change { action: EventAction::Receive, from: None, to: Some(Status::Received), changes };
    audit::append(db, keys, &case, &audit::Head::genesis(), actor, &change, now).await?;
    deadlines::refresh_inbox(db, &[case.id]).await?;
    // The petitioner is told it was received (with the code to follow it), a handler named at
    // intake that it is his: in the outbox, in this transaction.
    let case = find(db, case.id).await?;
    notifications::to_petitioner(db, keys, &case, new.petitioner.as_ref(), MessageKind::Received, None, now)
        .await?;
    if let Some(assignee) = case.assignee_id {
        notifications::to_assignee(db, keys, &case, assignee, now).await?;
    }
    Ok(case)
}
