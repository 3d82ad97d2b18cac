//! The first handling decision on a received case (domain.md §4): accept it for resolution, refuse
//! it, guide the citizen to the competent body, forward it there, urge a lower level, or archive it.

use chrono::Months;
use sea_orm::{ActiveValue::Set, ConnectionTrait};
use serde_json::json;

use super::{Acting, Done};
use crate::{
    domain::{
        deadline::{ClockState, Complexity},
        petition::{Status, command::ForwardTarget},
    },
    error::AppResult,
    service::{
        access::{self, CaseScope},
        petitions::effects::ClockBasis,
    },
};

/// How long an archived petition is kept before its destruction may be decided (TT 05/2021 Art.
/// 28(2)).
pub(super) const ARCHIVE_MONTHS: u32 = 12;

impl<C: ConnectionTrait> Acting<'_, C> {
    /// Accepts the case (thụ lý): the receipt's clocks are met and the resolution's starts, counted
    /// with the complexity and remoteness found.
    pub(super) async fn accept(
        &mut self,
        complexity: Option<Complexity>,
        remote_area: Option<bool>,
        note: Option<String>,
    ) -> AppResult<Done> {
        let complexity = complexity.unwrap_or(self.case.complexity);
        let remote = remote_area.unwrap_or(self.case.remote_area);
        let applied = self
            .clocks_on(ClockBasis { complexity, remote_area: remote, ..ClockBasis::of(self.case) })
            .await?;
        // An inspector who accepts a case from the unassigned pool becomes its handler ("rõ người");
        // a denunciation only if he received it (`can_act` refused the others already).
        let takes_it = access::takes_from_pool(self.user, &CaseScope::of(self.case));
        let (assignee, unit) = if takes_it {
            (Some(self.user.id), self.case.unit_id.or(self.user.unit_id))
        } else {
            (self.case.assignee_id, self.case.unit_id)
        };
        self.update(|m| {
            m.status = Set(Status::Accepted);
            m.complexity = Set(complexity);
            m.remote_area = Set(remote);
            m.assignee_id = Set(assignee);
            m.unit_id = Set(unit);
        })
        .await?;
        let started = applied.described(ClockState::Running).into_iter().next();
        let mut details =
            json!({"complexity": complexity, "remote_area": remote, "note": note, "clock_started": started});
        applied.note_notices(&mut details);
        if takes_it {
            details["assignee_id"] = json!({"from": null, "to": assignee});
            details["unit_id"] = json!({"from": self.case.unit_id, "to": unit});
        }
        Ok(self.done(details))
    }

    /// Refuses the case (không thụ lý), with the ground.
    pub(super) async fn reject(&mut self, reason: String) -> AppResult<Done> {
        self.close_for_reason(reason).await
    }

    /// Guides the citizen to the competent body (hướng dẫn), once.
    pub(super) async fn guide(&mut self, to_body: String, note: Option<String>) -> AppResult<Done> {
        let text = format!(
            "Hướng dẫn gửi đến: {to_body}{}",
            note.as_deref().map(|n| format!(". {n}")).unwrap_or_default()
        );
        self.close(|m| {
            m.forwarded_to_body = Set(Some(to_body.clone()));
            m.outcome_note = Set(Some(text.clone()));
        })
        .await?;
        Ok(self.done(json!({"to_body": to_body, "note": note})))
    }

    /// Forwards the case to the competent body: a body outside the register, or another agency of
    /// it, where a copy arrives as a received petition whose result flows back.
    pub(super) async fn forward(
        &mut self,
        target: ForwardTarget,
        letter_no: Option<String>,
        note: Option<String>,
    ) -> AppResult<Done> {
        let details = match target {
            ForwardTarget::Body(body) => {
                self.close(|m| {
                    m.forwarded_to_body = Set(Some(body.clone()));
                    m.outcome_note = Set(note.clone());
                })
                .await?;
                json!({"to_body": body, "letter_no": letter_no, "note": note})
            }
            ForwardTarget::Agency(agency_id) => {
                let (target, copy) = self.forward_copy(agency_id, letter_no.clone()).await?;
                let name = target.name.clone();
                self.close(|m| {
                    m.forwarded_to_agency_id = Set(Some(target.id));
                    m.forwarded_copy_id = Set(Some(copy.id));
                    m.forwarded_to_body = Set(Some(name));
                    m.outcome_note = Set(note.clone());
                })
                .await?;
                json!({"to_agency_id": target.id, "to_agency": target.name, "copy_id": copy.id,
                       "letter_no": letter_no, "note": note})
            }
        };
        Ok(self.done(details))
    }

    /// Urges the competent lower level to resolve a petition that skipped it (đôn đốc).
    pub(super) async fn urge(&mut self, to_body: String, note: Option<String>) -> AppResult<Done> {
        self.close(|m| {
            m.forwarded_to_body = Set(Some(to_body.clone()));
            m.outcome_note = Set(Some(format!("Đôn đốc {to_body} giải quyết theo thẩm quyền")));
        })
        .await?;
        Ok(self.done(json!({"to_body": to_body, "note": note, "urged": true})))
    }

    /// Keeps the petition without handling (lưu đơn) for a year.
    pub(super) async fn archive(&mut self, reason: String) -> AppResult<Done> {
        let until = self.on.checked_add_months(Months::new(ARCHIVE_MONTHS));
        self.close(|m| {
            m.outcome_note = Set(Some(reason.clone()));
            m.archive_until = Set(until);
        })
        .await?;
        Ok(self.done(json!({"reason": reason, "archive_until": until})))
    }

    /// Keeps an anonymous denunciation as an inspection lead (Law 25/2018 Art. 25(2)): the reason
    /// says who seems to have broken the law and what evidence can be checked. It is not a case to
    /// resolve: the receipt's clocks are met and no resolution clock starts.
    pub(super) async fn record_lead(&mut self, reason: String) -> AppResult<Done> {
        self.close_for_reason(reason).await
    }
}
