//! The steps that end a case's handling from within it: the petitioner's withdrawal, and the
//! decision or conclusion that resolves it (whose result flows back to the agency that forwarded
//! it, when one of the register did).

use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait};
use serde_json::json;

use super::{Acting, Done, facts_of};
use crate::{
    domain::{
        deadline::{
            ClockState,
            steps::{self, Step},
        },
        petition::{
            Action, Conclusion, EventAction, Kind, OriginRelation, Status,
            command::{Recovered, check_conclusion, remaining_signatories},
            partial_withdrawal_allowed,
        },
    },
    entity::petition,
    error::{AppError, AppResult},
    service::{
        audit::{self, Change},
        petitions::effects::{self, ClockBasis},
    },
};

impl<C: ConnectionTrait> Acting<'_, C> {
    /// The petitioner withdraws the case, or some of a group's signatories withdraw (a partial
    /// withdrawal, where the law allows it: the case goes on).
    pub(super) async fn withdraw(
        &mut self,
        partial: bool,
        note: Option<String>,
        withdrawn_signatories: Option<i32>,
        continues: Option<String>,
    ) -> AppResult<Done> {
        if let Some(why) = continues {
            // Law 25/2018 Art. 33(3): the withdrawal is recorded, the handling goes on.
            if self.kind() != Kind::Denunciation {
                return Err(AppError::conflict(
                    "continue_not_allowed",
                    "Chỉ tố cáo mới được tiếp tục giải quyết sau khi rút (Luật Tố cáo 2018, Điều 33 khoản 3).",
                ));
            }
            let details = json!({"partial": partial, "note": note, "continues": true, "reason": why});
            return Ok(Done { status: self.case.status, ..self.done(details) });
        }
        if partial {
            if !partial_withdrawal_allowed(facts_of(self.case, self.on, None)) {
                return Err(AppError::conflict(
                    "partial_withdrawal_not_allowed",
                    "Khiếu nại nhận trước ngày 01/7/2026 chỉ được rút toàn bộ.",
                ));
            }
            let remaining = remaining_signatories(self.case.signatories, withdrawn_signatories)?;
            self.update(|m| m.signatories = Set(remaining)).await?;
            let details = json!({"partial": true, "note": note, "withdrawn_signatories": withdrawn_signatories,
                                 "signatories_remaining": remaining});
            // The case stays where it was.
            return Ok(Done { status: self.case.status, ..self.done(details) });
        }
        let applied = self.clocks().await?;
        let on = self.on;
        self.update(|m| {
            m.status = Set(Status::Withdrawn);
            m.closed_on = Set(Some(on));
            m.outcome_note = Set(note.clone());
        })
        .await?;
        let mut details = json!({"partial": false, "note": note});
        applied.note_notices(&mut details);
        Ok(self.done(details))
    }

    /// Ends the resolution by a termination decision (đình chỉ), with its ground: its clocks stop;
    /// the decision is sent within 3 working days (a complaint) or 5 (a denunciation), and a
    /// complainant may resume within 30 days (Law 02/2011 Art. 11(8)).
    pub(super) async fn terminate(&mut self, reason: String) -> AppResult<Done> {
        self.close_for_reason(reason).await
    }

    /// Resolves the case: a decision (complaints, with its conclusion), a conclusion
    /// (denunciations) or an answer (recommendations, feedback). A copy forwarded by another
    /// agency of the register reports its result back there at once.
    pub(super) async fn resolve(
        &mut self,
        result: String,
        conclusion: Option<Conclusion>,
        recovered: Recovered,
    ) -> AppResult<Done> {
        check_conclusion(self.kind(), conclusion)?;
        let origin = match (self.case.origin_relation, self.case.origin_id) {
            (Some(OriginRelation::ForwardedFrom), Some(origin_id)) => {
                petition::Entity::find_by_id(origin_id).one(self.db).await?
            }
            _ => None,
        };
        // The result is reported back only where there is a case to report it to.
        let mut facts = effects::facts_of(self.case, false);
        if origin.is_none() && facts.origin == Some(OriginRelation::ForwardedFrom) {
            facts.origin = None;
        }
        let plan = steps::plan(Step::Act(Action::Resolve), &facts);
        let basis = ClockBasis::of(self.case);
        let applied = effects::apply(self.db, &basis, &plan, None, self.on, self.cal, self.now).await?;
        let on = self.on;
        self.update(|m| {
            m.status = Set(Status::Resolved);
            m.result = Set(Some(result.clone()));
            m.conclusion = Set(conclusion);
            m.closed_on = Set(Some(on));
            m.recovered_money = Set(recovered.money);
            m.recovered_land_cm2 = Set(recovered.land_cm2);
            m.people_restored = Set(recovered.people_restored);
        })
        .await?;
        if let Some(origin) = origin {
            self.report_back(origin, &result, conclusion).await?;
        }
        if let (Some(OriginRelation::SecondRoundOf | OriginRelation::FurtherDenunciationOf), Some(first)) =
            (self.case.origin_relation, self.case.origin_id)
            && let Some(first) = petition::Entity::find_by_id(first).one(self.db).await?
        {
            self.next_level_result(first, &result, conclusion).await?;
        }
        let mut details = json!({"result": result, "conclusion": conclusion});
        if recovered != Recovered::default() {
            details["recovered"] = json!({"money": recovered.money, "land_cm2": recovered.land_cm2,
                                          "people_restored": recovered.people_restored});
        }
        applied.note_notices(&mut details);
        Ok(self.done(details))
    }

    /// Tells `first`, the case this second round (or further denunciation) came from, its result:
    /// an event on its trail, so the file of the first round holds what the next level decided.
    async fn next_level_result(
        &self,
        first: petition::Model,
        result: &str,
        conclusion: Option<Conclusion>,
    ) -> AppResult<()> {
        let head = audit::head(self.db, first.id).await?;
        let change = Change {
            action: EventAction::NextLevelResult,
            from: Some(first.status),
            to: Some(first.status),
            changes: json!({"result": result, "conclusion": conclusion, "resolved_on": self.on,
                            "by_agency_id": self.case.agency_id, "case_id": self.case.id,
                            "round": self.case.round}),
        };
        audit::append(self.db, self.keys, &first, &head, self.actor, &change, self.now).await?;
        Ok(())
    }

    /// Tells `origin`, the case this one is a forwarded copy of, the result: an event on its trail,
    /// the result on the case, and the forwarding agency's duty to tell the citizen (Law 42/2013
    /// Art. 28(2)).
    async fn report_back(
        &self,
        origin: petition::Model,
        result: &str,
        conclusion: Option<Conclusion>,
    ) -> AppResult<()> {
        let on = self.on;
        let origin_head = audit::head(self.db, origin.id).await?;
        let plan = effects::plan(Step::ResultReturned, &origin);
        let applied =
            effects::apply(self.db, &ClockBasis::of(&origin), &plan, None, on, self.cal, self.now).await?;
        let change = Change {
            action: EventAction::ForwardResult,
            from: Some(origin.status),
            to: Some(origin.status),
            changes: json!({"result": result, "conclusion": conclusion, "resolved_on": on,
                            "by_agency_id": self.case.agency_id, "copy_id": self.case.id,
                            "clocks_started": applied.described(ClockState::Informational)}),
        };
        audit::append(self.db, self.keys, &origin, &origin_head, self.actor, &change, self.now).await?;
        let origin_id = origin.id;
        let mut model: petition::ActiveModel = origin.into();
        model.forward_result = Set(Some(result.to_owned()));
        model.forward_result_on = Set(Some(on));
        model.update(self.db).await?;
        // The step table may end or start the origin's clocks: its inbox key follows.
        crate::service::deadlines::refresh_inbox(self.db, &[origin_id]).await
    }
}
