//! Steps while a case is being handled: routing it (the "5 rõ": person, unit, leader, expected
//! result), extending its resolution, suspending and resuming it.

use chrono::NaiveDate;
use sea_orm::{ActiveValue::Set, ConnectionTrait};
use serde_json::json;

use super::{Acting, Done};
use crate::{
    domain::{
        deadline::{ClockState, Complexity, steps::Effect},
        petition::{
            Kind, Status,
            command::{DIALOGUE_NOTICE_DAYS, check_assignment, extension_complexity},
        },
    },
    error::{AppError, AppResult},
    service::{
        access,
        petitions::{
            effects::{self, Changed, ClockBasis, Lengthening},
            read::check_routing,
        },
    },
};

impl<C: ConnectionTrait> Acting<'_, C> {
    /// Routes the case: its handler, unit, responsible leader and expected result, each left as it
    /// is when not named. A unit head routes within his own unit ([`access::may_route`]).
    pub(super) async fn assign(
        &mut self,
        assignee_id: Option<i64>,
        unit_id: Option<i64>,
        leader_id: Option<i64>,
        expected_result: Option<String>,
    ) -> AppResult<Done> {
        check_assignment(assignee_id, unit_id, leader_id, expected_result.as_deref())?;
        let agency = self.case.agency_id;
        let handler = check_routing(self.db, agency, assignee_id, unit_id).await?;
        check_routing(self.db, agency, leader_id, None).await.map_err(|_| {
            AppError::field("leader_id", "Lãnh đạo phụ trách không phải cán bộ của cơ quan này.")
        })?;
        // A handler without a named unit brings their own.
        let mut unit = unit_id;
        if unit.is_none()
            && let Some(h) = &handler
        {
            unit = h.unit_id.or(self.case.unit_id);
        }
        if !access::may_route(self.user, unit, handler.as_ref()) {
            return Err(AppError::Forbidden);
        }
        let details = json!({
            "assignee_id": {"from": self.case.assignee_id, "to": assignee_id.or(self.case.assignee_id)},
            "unit_id": {"from": self.case.unit_id, "to": unit.or(self.case.unit_id)},
            "leader_id": leader_id,
            "expected_result": expected_result,
        });
        self.update(|m| {
            if assignee_id.is_some() {
                m.assignee_id = Set(assignee_id);
            }
            if unit.is_some() {
                m.unit_id = Set(unit);
            }
            if leader_id.is_some() {
                m.leader_id = Set(leader_id);
            }
            if expected_result.is_some() {
                m.expected_result = Set(expected_result.clone());
            }
        })
        .await?;
        Ok(self.done(details))
    }

    /// Schedules the complaint's dialogue on `day` at `place`; the invitation is due 5 days before
    /// (ND 124/2020 Art. 28(1)).
    pub(super) async fn schedule_dialogue(&mut self, day: NaiveDate, place: String) -> AppResult<Done> {
        let invite_by = day - chrono::Days::new(DIALOGUE_NOTICE_DAYS);
        self.update(|m| {
            m.dialogue_on = Set(Some(day));
            m.dialogue_place = Set(Some(place.clone()));
        })
        .await?;
        Ok(self.done(json!({"dialogue_on": day, "place": place, "invitation_by": invite_by})))
    }

    /// Records that the complaint's dialogue was held on the step's date, with its minutes (Mẫu
    /// 14); an absence is minuted too and does not stop the case.
    pub(super) async fn record_dialogue(&mut self, minutes: String) -> AppResult<Done> {
        let on = self.on;
        self.update(|m| m.dialogue_held_on = Set(Some(on))).await?;
        Ok(self.done(json!({"held_on": on, "minutes": minutes})))
    }

    /// Lengthens a denunciation's intake from 7 to at most 10 working days (verification at
    /// several places, or a delegated intake: Law 25/2018 Art. 24(1)), once.
    pub(super) async fn extend_intake(&mut self, days: u32, reason: String) -> AppResult<Done> {
        let lengthening = Lengthening::Days { days, complexity: Complexity::None };
        let basis = ClockBasis::of(self.case);
        let applied =
            effects::apply(self.db, &basis, &self.plan(), Some(lengthening), self.on, self.cal, self.now)
                .await?;
        let changed = applied
            .changed
            .into_iter()
            .next()
            .ok_or_else(|| AppError::internal("an intake extension changed no clock"))?;
        Ok(self.done(json!({"days": days, "reason": reason, "clock": changed.clock,
                            "due": changed.result.due})))
    }

    /// Extends the resolution of a complex case. Complaints have no extension as such: a complex
    /// case gets the longer limit the law sets (30 → 45, 45 → 60…), once, whatever was asked, so
    /// the trail records both the days asked and the days granted. Denunciations are extended by
    /// the days asked, within the caps of the clock's rule.
    pub(super) async fn extend(
        &mut self,
        days: u32,
        reason: String,
        complexity: Option<Complexity>,
    ) -> AppResult<Done> {
        let kind = self.kind();
        // The step table names the clock an extension lengthens: the resolution's.
        let plan = self.plan();
        if !plan.iter().any(|e| matches!(e, Effect::Lengthen(_))) {
            return Err(AppError::conflict("extension_not_allowed", "Loại đơn này không có gia hạn."));
        }
        let current = self.case.complexity;
        let finding = extension_complexity(current, complexity);
        if kind == Kind::Complaint && current != Complexity::None {
            return Err(AppError::conflict(
                "extension_not_allowed",
                "Khiếu nại đã áp dụng thời hạn của vụ việc phức tạp; không gia hạn thêm.",
            ));
        }
        let lengthening = if kind == Kind::Complaint {
            Lengthening::Complexity(finding)
        } else {
            Lengthening::Days { days, complexity: finding }
        };
        let basis = ClockBasis::of(self.case);
        let applied =
            effects::apply(self.db, &basis, &plan, Some(lengthening), self.on, self.cal, self.now).await?;
        let changed = applied
            .changed
            .into_iter()
            .next()
            .ok_or_else(|| AppError::internal("an extension changed no clock"))?;
        let Changed { clock, result, limit_before } = changed;
        let granted = if kind == Kind::Complaint {
            let added = result.limit_days.saturating_sub(limit_before);
            if days > added {
                return Err(AppError::conflict(
                    "extension_too_long",
                    format!("Vụ việc phức tạp chỉ được kéo dài thêm {added} ngày so với thời hạn thường."),
                ));
            }
            added
        } else {
            days
        };
        self.update(|m| m.complexity = Set(finding)).await?;
        Ok(self
            .done(json!({"days": granted, "requested_days": days, "reason": reason, "complexity": finding,
                             "clock": clock, "limit_days": result.limit_days, "due": result.due})))
    }

    /// Suspends the resolution (tạm đình chỉ): the pausable clocks stop, and the decision is to be
    /// sent.
    pub(super) async fn suspend(&mut self, reason: String) -> AppResult<Done> {
        let applied = self.clocks().await?;
        let details =
            json!({"reason": reason, "clocks_started": applied.described(ClockState::Informational)});
        self.update(|m| {
            m.status = Set(Status::Suspended);
            m.outcome_note = Set(Some(reason.clone()));
        })
        .await?;
        Ok(self.done(details))
    }

    /// Resumes a suspended resolution (tiếp tục): the paused clocks run again.
    pub(super) async fn resume(&mut self, note: Option<String>) -> AppResult<Done> {
        self.clocks().await?;
        self.update(|m| m.status = Set(Status::Accepted)).await?;
        Ok(self.done(json!({"note": note})))
    }
}
