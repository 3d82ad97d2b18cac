//! The cases a step makes from a case: the copy a forwarding sends to another agency of the
//! register, the second-round complaint or further denunciation a reopening starts, and the parts
//! of a split. Each is received through intake, with the parties copied over.

use chrono::Months;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
use serde_json::json;

use super::{Acting, Done, attachments_of, deciding::ARCHIVE_MONTHS};
use crate::{
    domain::{
        person::Person,
        petition::{
            Channel, Kind, OriginRelation, Status,
            command::{SplitPart, check_forward_target, check_split},
            intake::NewPetition,
            limits::{self, Filing},
        },
    },
    entity::{agency, petition},
    error::{AppError, AppResult},
    service::{
        access::{self, CaseScope},
        deadlines::RULES,
        identity,
        petitions::{intake::intake, read::content_of},
    },
};

/// The people of a case, copied onto the cases made from it.
type Parties = (Option<Person>, Vec<Person>, Vec<Person>);

impl<C: ConnectionTrait> Acting<'_, C> {
    /// The people of this case, opened, to copy onto a case made from it.
    async fn parties_of(&self, id: i64) -> AppResult<Parties> {
        Ok(identity::by_role(identity::parties_of(self.db, &self.keys.data, id).await?))
    }

    /// A case made from this one, derived by `origin`: its people, signatories, remoteness and
    /// citizen's account carried over; the rest as `NewPetition::received` leaves it.
    fn successor(&self, parties: Parties, new: NewPetition, origin: OriginRelation) -> NewPetition {
        let (petitioner, cosignatories, representatives) = parties;
        NewPetition {
            petitioner,
            cosignatories,
            representatives,
            signatories: self.case.signatories,
            remote_area: self.case.remote_area,
            origin: Some((self.case.id, origin)),
            citizen_user_id: self.case.citizen_user_id,
            field: self.case.field,
            ..new
        }
    }

    /// Receives the case at `agency_id`, another agency of the register, as a forwarded petition
    /// under the letter `letter_no`; returns that agency and the copy.
    pub(super) async fn forward_copy(
        &self,
        agency_id: i64,
        letter_no: Option<String>,
    ) -> AppResult<(agency::Model, petition::Model)> {
        let id = self.case.id;
        check_forward_target(agency_id, self.case.agency_id)?;
        let target = agency::Entity::find_by_id(agency_id)
            .one(self.db)
            .await?
            .ok_or_else(|| AppError::field("to_agency_id", "Cơ quan nhận không tồn tại."))?;
        let own = agency::Entity::find_by_id(self.case.agency_id).one(self.db).await?;
        let parties = self.parties_of(id).await?;
        let received = NewPetition::received(
            target.id,
            self.kind(),
            Channel::Forwarded,
            self.on,
            self.case.subject.clone(),
            content_of(self.db, id).await?,
        );
        let copy = NewPetition {
            forwarding_body: own.map(|a| a.name),
            forwarding_doc_no: letter_no,
            attachments: attachments_of(self.case),
            handled_before_by: self.case.handled_before_by.clone(),
            round: self.case.round,
            ..self.successor(parties, received, OriginRelation::ForwardedFrom)
        };
        let copy = intake(self.db, self.keys, copy, self.actor, self.cal, self.now).await?;
        Ok((target, copy))
    }

    /// Reopens a case as a new, linked one: a second-round complaint, or a further denunciation,
    /// after the decision or conclusion, or once its deadline passed unresolved. It goes to the
    /// competent body, the direct superior of the agency that decided (Law 02/2011 Art. 7; Law
    /// 25/2018 Arts. 37–38), or without one (a province) to the agency itself; `to_agency_id` may
    /// name another agency of the register, with the reason. The new case is the one to show, with
    /// a warning when a second complaint comes after its filing limit.
    pub(super) async fn reopen(
        &mut self,
        reason: Option<String>,
        to_agency_id: Option<i64>,
    ) -> AppResult<Done> {
        let kind = self.kind();
        let relation = if kind == Kind::Complaint {
            OriginRelation::SecondRoundOf
        } else {
            OriginRelation::FurtherDenunciationOf
        };
        let own = agency::Entity::find_by_id(self.case.agency_id)
            .one(self.db)
            .await?
            .ok_or_else(|| AppError::internal(format!("case {} has no agency", self.case.id)))?;
        let competent = own.parent_id.unwrap_or(own.id);
        let agency_id = to_agency_id.unwrap_or(competent);
        // The competent body is this agency or its parent; only a named one needs looking up.
        if to_agency_id.is_some() && agency::Entity::find_by_id(agency_id).one(self.db).await?.is_none() {
            return Err(AppError::field("to_agency_id", "Cơ quan nhận không tồn tại."));
        }
        let overridden = agency_id != competent;
        if overridden && reason.is_none() {
            return Err(AppError::field(
                "reason",
                "Gửi đến cơ quan khác cơ quan cấp trên trực tiếp có thẩm quyền thì cần nêu lý do.",
            ));
        }
        let parties = self.parties_of(self.case.id).await?;
        // Who "received" the new case decides who sees the parties copied onto it.
        let received_by = access::receiver_of_reopened(self.user, &CaseScope::of(self.case), agency_id);
        let round = self.case.round + 1;
        // A second complaint's period runs from the first decision, or from the first deadline
        // passed unresolved (its resolution clock's due date).
        let period_from = match self.case.status {
            Status::Resolved => self.case.closed_on,
            _ => crate::service::deadlines::resolution_due_of(self.db, self.case.id).await?,
        };
        let filing = Filing {
            kind,
            round,
            received_on: self.on,
            remote_area: self.case.remote_area,
            act_known_on: None,
            second_round_from: period_from,
        };
        let warnings = limits::warnings(&RULES, &filing, self.cal);
        let subject = match kind {
            Kind::Complaint => format!("Khiếu nại lần hai: {}", self.case.subject),
            _ => format!("Tố cáo tiếp: {}", self.case.subject),
        };
        let subject: String = subject.chars().take(500).collect();
        let content = match &reason {
            Some(r) => r.clone(),
            None => content_of(self.db, self.case.id).await?,
        };
        let received = NewPetition::received(agency_id, kind, self.case.channel, self.on, subject, content);
        let new = NewPetition { round, received_by, ..self.successor(parties, received, relation) };
        let created = intake(self.db, self.keys, new, self.actor, self.cal, self.now).await?;
        let mut details = json!({"new_id": created.id, "new_tracking_code": created.tracking_code,
                                 "relation": relation, "round": round, "to_agency_id": agency_id, "reason": reason,
                                 "competent_agency_id": competent, "competence_overridden": overridden});
        if !warnings.is_empty() {
            details["warnings"] = json!(warnings.iter().map(|w| &w.code).collect::<Vec<_>>());
        }
        Ok(Done { show_id: created.id, warnings, ..self.done(details) })
    }

    /// Splits a multi-content petition into one petition per content, received as it was, and
    /// archives it.
    pub(super) async fn split(&mut self, parts: Vec<SplitPart>, note: Option<String>) -> AppResult<Done> {
        let id = self.case.id;
        check_split(self.kind(), &parts)?;
        let parties = self.parties_of(id).await?;
        let attachments = attachments_of(self.case);
        let mut children = Vec::new();
        for part in parts {
            let received = NewPetition::received(
                self.case.agency_id,
                part.kind,
                self.case.channel,
                self.case.received_on,
                part.subject,
                part.content,
            );
            let new = NewPetition {
                forwarding_body: self.case.forwarding_body.clone(),
                forwarding_doc_no: self.case.forwarding_doc_no.clone(),
                attachments: attachments.clone(),
                skip_level: self.case.skip_level,
                handled_before_by: self.case.handled_before_by.clone(),
                received_by: self.case.received_by,
                ..self.successor(parties.clone(), received, OriginRelation::SplitFrom)
            };
            let child = intake(self.db, self.keys, new, self.actor, self.cal, self.now).await?;
            children.push(json!({"id": child.id, "tracking_code": child.tracking_code, "kind": child.kind}));
        }
        self.clocks().await?;
        let on = self.on;
        let text = format!("Tách thành {} đơn theo từng nội dung", children.len());
        let until = on.checked_add_months(Months::new(ARCHIVE_MONTHS));
        self.update(|m| {
            m.status = Set(Status::Archived);
            m.closed_on = Set(Some(on));
            m.archive_until = Set(until);
            m.outcome_note = Set(Some(text.clone()));
        })
        .await?;
        Ok(self.done(json!({"children": children, "note": note})))
    }
}
