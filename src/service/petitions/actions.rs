//! The workflow's actions on a case (`POST /petitions/{id}/actions`). Each checks, in order, the
//! role (403), the state machine (409 `invalid_transition`) and the case scope (403), then writes
//! the change, its clocks and its audit event in the caller's transaction. The event is appended
//! first: its version guard makes a concurrent edit fail before anything is overwritten.

use chrono::{DateTime, Months, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::{Value, json};

use super::{NewPetition, Person, check_routing, find, intake};
use crate::{
    auth::{AuthUser, Role},
    domain::{
        calendar::Calendar,
        deadline::{ClockId, ClockState, Complexity},
        petition::{
            Action, CaseFacts, Channel, Conclusion, EventAction, Kind, OriginRelation, PartyRole, Status,
            check_transition, partial_withdrawal_allowed, roles_for,
        },
    },
    entity::{agency, petition, petition_party, user},
    error::{AppError, AppResult},
    service::{
        access::{self, CaseScope},
        audit::{self, Actor, Change},
        deadlines,
    },
};

/// Where a case is forwarded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ForwardTarget {
    /// Another agency of this register: the case arrives there as a received petition.
    Agency(i64),
    /// A body outside the register.
    Body(String),
}

/// One content of a multi-content petition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitPart {
    pub kind: Kind,
    pub subject: String,
    pub content: String,
}

/// A checked action with its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Accept {
        complexity: Option<Complexity>,
        remote_area: Option<bool>,
        note: Option<String>,
    },
    Reject {
        reason: String,
    },
    Guide {
        to_body: String,
        note: Option<String>,
    },
    Forward {
        target: ForwardTarget,
        letter_no: Option<String>,
        note: Option<String>,
    },
    Urge {
        to_body: String,
        note: Option<String>,
    },
    Archive {
        reason: String,
    },
    Assign {
        assignee_id: Option<i64>,
        unit_id: Option<i64>,
        leader_id: Option<i64>,
        expected_result: Option<String>,
    },
    Extend {
        days: u32,
        reason: String,
        complexity: Option<Complexity>,
    },
    Suspend {
        reason: String,
    },
    Resume {
        note: Option<String>,
    },
    Withdraw {
        partial: bool,
        note: Option<String>,
        withdrawn_signatories: Option<i32>,
    },
    Resolve {
        result: String,
        conclusion: Option<Conclusion>,
    },
    Reopen {
        reason: Option<String>,
        to_agency_id: Option<i64>,
    },
    Split {
        parts: Vec<SplitPart>,
        note: Option<String>,
    },
}

impl Command {
    /// The action this command takes.
    pub fn action(&self) -> Action {
        match self {
            Command::Accept { .. } => Action::Accept,
            Command::Reject { .. } => Action::Reject,
            Command::Guide { .. } => Action::Guide,
            Command::Forward { .. } => Action::Forward,
            Command::Urge { .. } => Action::Urge,
            Command::Archive { .. } => Action::Archive,
            Command::Assign { .. } => Action::Assign,
            Command::Extend { .. } => Action::Extend,
            Command::Suspend { .. } => Action::Suspend,
            Command::Resume { .. } => Action::Resume,
            Command::Withdraw { .. } => Action::Withdraw,
            Command::Resolve { .. } => Action::Resolve,
            Command::Reopen { .. } => Action::Reopen,
            Command::Split { .. } => Action::Split,
        }
    }
}

/// The facts of a stored case for the state machine.
pub fn facts_of(case: &petition::Model) -> CaseFacts {
    CaseFacts {
        kind: case.kind,
        status: case.status,
        round: case.round,
        channel: case.channel,
        signatories: case.signatories,
        received_on: case.received_on,
        forwarded_in: case.origin_relation == Some(OriginRelation::ForwardedFrom),
    }
}

/// The actions `user` may take on `case` now: what the allowed-actions list of a view shows.
pub fn allowed_actions(user: &AuthUser, case: &petition::Model) -> Vec<Action> {
    let facts = facts_of(case);
    let scope = CaseScope::of(case);
    Action::ALL
        .iter()
        .copied()
        .filter(|a| check_transition(facts, *a).is_ok() && access::can_act(user, &scope, *a))
        .filter(|a| *a != Action::Extend || extension_possible(case))
        .collect()
}

/// Complaints get one longer limit (the complex case's); denunciations up to two extensions.
fn extension_possible(case: &petition::Model) -> bool {
    match case.kind {
        Kind::Complaint => case.complexity == Complexity::None,
        Kind::Denunciation => true,
        Kind::Recommendation | Kind::Feedback => false,
    }
}

/// The resolution clock of a case of `kind` in `round`.
fn resolution_clock(kind: Kind, round: i32) -> Option<ClockId> {
    match kind {
        Kind::Complaint if round >= 2 => Some(ClockId::ComplaintResolution2),
        Kind::Complaint => Some(ClockId::ComplaintResolution1),
        Kind::Denunciation => Some(ClockId::DenunciationResolution),
        Kind::Recommendation | Kind::Feedback => None,
    }
}

/// The clocks of the receipt step, met by the first handling decision.
const RECEIPT_CLOCKS: [ClockId; 6] = [
    ClockId::ComplaintAcceptance,
    ClockId::DenunciationIntake,
    ClockId::ReceptionNotice,
    ClockId::UnhandledAlarm,
    ClockId::FurtherDenunciationReview,
    ClockId::DenunciationForwardedResult,
];

/// What an action did, for the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The case to show: this one, or the new one a reopening made.
    pub show_id: i64,
}

/// Takes `command` on case `id` as `user`, on date `on` (the decision's date; today by default).
#[allow(clippy::too_many_arguments)]
pub async fn act(
    db: &impl ConnectionTrait,
    user: &AuthUser,
    id: i64,
    expected_version: Option<i32>,
    command: Command,
    on: NaiveDate,
    cal: &Calendar,
    now: DateTime<Utc>,
) -> AppResult<Outcome> {
    let action = command.action();
    let case = find(db, id).await?;
    // The chain's head is read with the case, before its clocks: if anything is appended to the
    // trail meanwhile (a recomputation after a holiday change), this action's append is refused.
    let head = audit::head(db, id).await?;
    let scope = CaseScope::of(&case);
    if !access::can_view(user, &scope) {
        return Err(AppError::NotFound);
    }
    if !roles_for(action).contains(&user.role) {
        return Err(AppError::Forbidden);
    }
    let facts = facts_of(&case);
    let to = check_transition(facts, action).map_err(|r| AppError::conflict(r.code, r.message))?;
    if !access::can_act(user, &scope, action) {
        return Err(AppError::Forbidden);
    }
    if let Some(v) = expected_version
        && v != case.version
    {
        return Err(AppError::conflict(
            "concurrent_update",
            "Hồ sơ vừa được người khác cập nhật; vui lòng tải lại.",
        ));
    }
    if on < case.received_on {
        return Err(AppError::field("on", "Ngày quyết định không thể trước ngày nhận đơn."));
    }
    let actor = Actor::user(user.id, &user.full_name);
    let from = facts.status;
    let mut ctx = Ctx { db, user, actor: &actor, cal, now, on, case: &case };
    let (details, show_id) = match command {
        Command::Accept { complexity, remote_area, note } => {
            ctx.accept(complexity, remote_area, note).await?
        }
        Command::Reject { reason } => {
            let (mut details, id) = ctx
                .close(to, json!({"reason": reason}), |m| m.outcome_note = Set(Some(reason.clone())))
                .await?;
            // A recommendation or feedback already answered, with nothing new, is refused by a
            // written notice within 3 working days (ND 154/2026 Art. 4(1)(h), 4(3); domain.md §7).
            // A complaint's or denunciation's refusal is notified within its acceptance or intake
            // time, which this step meets.
            if matches!(ctx.kind(), Kind::Recommendation | Kind::Feedback) {
                details["clocks_started"] = json!([ctx.note(ClockId::RefusalNotice).await?]);
            }
            (details, id)
        }
        Command::Guide { to_body, note } => {
            let text = format!(
                "Hướng dẫn gửi đến: {to_body}{}",
                note.as_deref().map(|n| format!(". {n}")).unwrap_or_default()
            );
            ctx.close(to, json!({"to_body": to_body, "note": note}), |m| {
                m.forwarded_to_body = Set(Some(to_body.clone()));
                m.outcome_note = Set(Some(text.clone()));
            })
            .await?
        }
        Command::Forward { target, letter_no, note } => ctx.forward(target, letter_no, note).await?,
        Command::Urge { to_body, note } => {
            ctx.close(to, json!({"to_body": to_body, "note": note, "urged": true}), |m| {
                m.forwarded_to_body = Set(Some(to_body.clone()));
                m.outcome_note = Set(Some(format!("Đôn đốc {to_body} giải quyết theo thẩm quyền")));
            })
            .await?
        }
        Command::Archive { reason } => {
            let until = on.checked_add_months(Months::new(12));
            ctx.close(to, json!({"reason": reason, "archive_until": until}), |m| {
                m.outcome_note = Set(Some(reason.clone()));
                m.archive_until = Set(until);
            })
            .await?
        }
        Command::Assign { assignee_id, unit_id, leader_id, expected_result } => {
            ctx.assign(assignee_id, unit_id, leader_id, expected_result).await?
        }
        Command::Extend { days, reason, complexity } => ctx.extend(days, reason, complexity).await?,
        Command::Suspend { reason } => {
            deadlines::pause(db, id, on, cal, now).await?;
            // The suspension decision is sent within 3 working days (complaints, ND 124/2020
            // Art. 28a) or 5 (denunciations, Law 25/2018 Art. 34(4)).
            let send = if ctx.kind() == Kind::Complaint {
                ClockId::ComplaintSuspensionSend
            } else {
                ClockId::DenunciationSuspensionSend
            };
            let details = json!({"reason": reason, "clocks_started": [ctx.note(send).await?]});
            ctx.update(|m| {
                m.status = Set(Status::Suspended);
                m.outcome_note = Set(Some(reason.clone()));
            })
            .await?;
            (details, id)
        }
        Command::Resume { note } => {
            deadlines::resume(db, id, on, cal, now).await?;
            ctx.update(|m| m.status = Set(Status::Accepted)).await?;
            (json!({"note": note}), id)
        }
        Command::Withdraw { partial, note, withdrawn_signatories } => {
            ctx.withdraw(partial, note, withdrawn_signatories).await?
        }
        Command::Resolve { result, conclusion } => ctx.resolve(result, conclusion).await?,
        Command::Reopen { reason, to_agency_id } => ctx.reopen(reason, to_agency_id).await?,
        Command::Split { parts, note } => ctx.split(parts, note).await?,
    };
    let status_after =
        if matches!(action, Action::Withdraw) && details.get("partial") == Some(&Value::Bool(true)) {
            from
        } else {
            to
        };
    let change = Change {
        action: action.into(),
        from: Some(from),
        to: Some(status_after),
        changes: merge(json!({"on": on}), details),
    };
    audit::append(db, id, case.version, &head, &actor, &change, now).await?;
    Ok(Outcome { show_id })
}

fn merge(mut a: Value, b: Value) -> Value {
    if let (Some(a), Value::Object(b)) = (a.as_object_mut(), b) {
        a.extend(b);
    }
    a
}

struct Ctx<'a, C: ConnectionTrait> {
    db: &'a C,
    user: &'a AuthUser,
    actor: &'a Actor,
    cal: &'a Calendar,
    now: DateTime<Utc>,
    on: NaiveDate,
    case: &'a petition::Model,
}

impl<C: ConnectionTrait> Ctx<'_, C> {
    async fn update(&mut self, f: impl FnOnce(&mut petition::ActiveModel)) -> AppResult<()> {
        let mut model: petition::ActiveModel = self.case.clone().into();
        f(&mut model);
        model.updated_at = Set(self.now);
        model.update(self.db).await?;
        Ok(())
    }

    fn kind(&self) -> Kind {
        self.case.kind
    }

    /// Records the informational clock `clock` of this case, started by this step on its date
    /// (a notice duty, or the citizen's period), and describes it for the event.
    async fn note(&self, clock: ClockId) -> AppResult<Value> {
        let rule_set = super::rule_set_of(self.case);
        let row = deadlines::note(
            self.db,
            self.case.id,
            clock,
            &rule_set,
            self.on,
            self.case.remote_area,
            self.cal,
            self.now,
        )
        .await?;
        Ok(json!({"clock": clock, "due": row.due_on}))
    }

    /// Ends a case's handling with status `to`: its running clocks are met (the step was done).
    async fn close(
        &mut self,
        to: Status,
        details: Value,
        f: impl FnOnce(&mut petition::ActiveModel),
    ) -> AppResult<(Value, i64)> {
        deadlines::end(self.db, self.case.id, &[], ClockState::Met, self.on, self.now).await?;
        let on = self.on;
        self.update(|m| {
            m.status = Set(to);
            m.closed_on = Set(Some(on));
            f(m);
        })
        .await?;
        Ok((details, self.case.id))
    }

    async fn accept(
        &mut self,
        complexity: Option<Complexity>,
        remote_area: Option<bool>,
        note: Option<String>,
    ) -> AppResult<(Value, i64)> {
        let id = self.case.id;
        let complexity = complexity.unwrap_or(self.case.complexity);
        let remote = remote_area.unwrap_or(self.case.remote_area);
        deadlines::end(self.db, id, &RECEIPT_CLOCKS, ClockState::Met, self.on, self.now).await?;
        let mut started = None;
        if let Some(clock) = resolution_clock(self.kind(), self.case.round) {
            let row = deadlines::start(
                self.db,
                id,
                clock,
                &super::rule_set_of(self.case),
                self.on,
                complexity,
                remote,
                self.cal,
                self.now,
            )
            .await?;
            started = Some(json!({"clock": clock, "due": row.due_on}));
        }
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
        let mut details =
            json!({"complexity": complexity, "remote_area": remote, "note": note, "clock_started": started});
        // Both sides learn of a denunciation's acceptance within 5 working days (Law 25/2018
        // Art. 29(3)).
        if self.kind() == Kind::Denunciation {
            details["clocks_started"] = json!([self.note(ClockId::DenunciationAcceptanceNotice).await?]);
        }
        if takes_it {
            details["assignee_id"] = json!({"from": null, "to": assignee});
            details["unit_id"] = json!({"from": self.case.unit_id, "to": unit});
        }
        Ok((details, id))
    }

    async fn forward(
        &mut self,
        target: ForwardTarget,
        letter_no: Option<String>,
        note: Option<String>,
    ) -> AppResult<(Value, i64)> {
        let id = self.case.id;
        match target {
            ForwardTarget::Body(body) => {
                let details = json!({"to_body": body, "letter_no": letter_no, "note": note});
                self.close(Status::Forwarded, details, |m| {
                    m.forwarded_to_body = Set(Some(body.clone()));
                    m.outcome_note = Set(note.clone());
                })
                .await
            }
            ForwardTarget::Agency(agency_id) => {
                if agency_id == self.case.agency_id {
                    return Err(AppError::field(
                        "to_agency_id",
                        "Không thể chuyển đơn cho chính cơ quan mình.",
                    ));
                }
                let target = agency::Entity::find_by_id(agency_id)
                    .one(self.db)
                    .await?
                    .ok_or_else(|| AppError::field("to_agency_id", "Cơ quan nhận không tồn tại."))?;
                let own = agency::Entity::find_by_id(self.case.agency_id).one(self.db).await?;
                let (petitioner, cosignatories, representatives) = parties_of(self.db, id).await?;
                let copy = NewPetition {
                    agency_id: target.id,
                    kind: self.kind(),
                    channel: Channel::Forwarded,
                    received_on: self.on,
                    subject: self.case.subject.clone(),
                    content: super::content_of(self.db, id).await?,
                    petitioner,
                    cosignatories,
                    representatives,
                    signatories: self.case.signatories,
                    forwarding_body: own.map(|a| a.name),
                    forwarding_doc_no: letter_no.clone(),
                    attachments: attachments_of(self.case),
                    skip_level: false,
                    handled_before_by: self.case.handled_before_by.clone(),
                    remote_area: self.case.remote_area,
                    round: self.case.round,
                    origin: Some((id, OriginRelation::ForwardedFrom)),
                    received_by: None,
                    citizen_user_id: self.case.citizen_user_id,
                    unit_id: None,
                    assignee_id: None,
                };
                let copy = intake(self.db, copy, self.actor, self.cal, self.now).await?;
                let details = json!({"to_agency_id": target.id, "to_agency": target.name, "copy_id": copy.id,
                                     "letter_no": letter_no, "note": note});
                let name = target.name.clone();
                self.close(Status::Forwarded, details, |m| {
                    m.forwarded_to_agency_id = Set(Some(target.id));
                    m.forwarded_copy_id = Set(Some(copy.id));
                    m.forwarded_to_body = Set(Some(name));
                    m.outcome_note = Set(note.clone());
                })
                .await
            }
        }
    }

    async fn assign(
        &mut self,
        assignee_id: Option<i64>,
        unit_id: Option<i64>,
        leader_id: Option<i64>,
        expected_result: Option<String>,
    ) -> AppResult<(Value, i64)> {
        if assignee_id.is_none() && unit_id.is_none() && leader_id.is_none() && expected_result.is_none() {
            return Err(AppError::field("assignee_id", "Cần chỉ định người xử lý hoặc đơn vị."));
        }
        let agency = self.case.agency_id;
        check_routing(self.db, agency, assignee_id, unit_id).await?;
        check_routing(self.db, agency, leader_id, None).await.map_err(|_| {
            AppError::field("leader_id", "Lãnh đạo phụ trách không phải cán bộ của cơ quan này.")
        })?;
        // A handler without a named unit brings their own.
        let mut unit = unit_id;
        if unit.is_none()
            && let Some(a) = assignee_id
        {
            unit =
                user::Entity::find_by_id(a).one(self.db).await?.and_then(|u| u.unit_id).or(self.case.unit_id);
        }
        if self.user.role == Role::UnitHead {
            let own = self.user.unit_id;
            let assignee_unit = match assignee_id {
                Some(a) => user::Entity::find_by_id(a).one(self.db).await?.and_then(|u| u.unit_id),
                None => own,
            };
            if own.is_none() || unit.is_some_and(|u| Some(u) != own) || assignee_unit != own {
                return Err(AppError::Forbidden);
            }
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
        Ok((details, self.case.id))
    }

    async fn extend(
        &mut self,
        days: u32,
        reason: String,
        complexity: Option<Complexity>,
    ) -> AppResult<(Value, i64)> {
        let id = self.case.id;
        let kind = self.kind();
        let clock = resolution_clock(kind, self.case.round)
            .ok_or_else(|| AppError::conflict("extension_not_allowed", "Loại đơn này không có gia hạn."))?;
        let current = self.case.complexity;
        // The days the limit really grows by: a complaint's is set by the law (30 → 45, 45 → 60…),
        // whatever was asked, so the trail records both.
        let mut granted = days;
        let result = if kind == Kind::Complaint {
            // Complaints have no extension as such: a complex case gets the longer limit.
            if current != Complexity::None {
                return Err(AppError::conflict(
                    "extension_not_allowed",
                    "Khiếu nại đã áp dụng thời hạn của vụ việc phức tạp; không gia hạn thêm.",
                ));
            }
            let before = deadlines::running_clock(self.db, id, clock).await?;
            let target = complexity.filter(|c| *c != Complexity::None).unwrap_or(Complexity::Complex);
            let after = deadlines::reclassify(self.db, id, clock, target, self.cal, self.now).await?;
            let added = after.limit_days.saturating_sub(u32::try_from(before.limit_days).unwrap_or(0));
            if days > added {
                return Err(AppError::conflict(
                    "extension_too_long",
                    format!("Vụ việc phức tạp chỉ được kéo dài thêm {added} ngày so với thời hạn thường."),
                ));
            }
            granted = added;
            after
        } else {
            let target = complexity
                .filter(|c| *c != Complexity::None)
                .unwrap_or(if current == Complexity::None { Complexity::Complex } else { current });
            deadlines::extend(self.db, id, clock, days, target, self.cal, self.now).await?
        };
        let complexity_now = if kind == Kind::Complaint {
            complexity.filter(|c| *c != Complexity::None).unwrap_or(Complexity::Complex)
        } else {
            complexity.filter(|c| *c != Complexity::None).unwrap_or(if current == Complexity::None {
                Complexity::Complex
            } else {
                current
            })
        };
        self.update(|m| m.complexity = Set(complexity_now)).await?;
        Ok((
            json!({"days": granted, "requested_days": days, "reason": reason, "complexity": complexity_now,
                   "clock": clock, "limit_days": result.limit_days, "due": result.due}),
            id,
        ))
    }

    async fn withdraw(
        &mut self,
        partial: bool,
        note: Option<String>,
        withdrawn_signatories: Option<i32>,
    ) -> AppResult<(Value, i64)> {
        let id = self.case.id;
        if partial {
            if !partial_withdrawal_allowed(facts_of(self.case)) {
                return Err(AppError::conflict(
                    "partial_withdrawal_not_allowed",
                    "Khiếu nại nhận trước ngày 01/7/2026 chỉ được rút toàn bộ.",
                ));
            }
            let remaining = match withdrawn_signatories {
                Some(n) if n < 1 || n >= self.case.signatories => {
                    return Err(AppError::field(
                        "withdrawn_signatories",
                        "Rút một phần: số người rút phải ít hơn số người ký đơn (rút hết là rút toàn bộ).",
                    ));
                }
                Some(n) => self.case.signatories - n,
                None => self.case.signatories,
            };
            self.update(|m| m.signatories = Set(remaining)).await?;
            return Ok((
                json!({"partial": true, "note": note, "withdrawn_signatories": withdrawn_signatories, "signatories_remaining": remaining}),
                id,
            ));
        }
        deadlines::end(self.db, id, &[], ClockState::Stopped, self.on, self.now).await?;
        let on = self.on;
        self.update(|m| {
            m.status = Set(Status::Withdrawn);
            m.closed_on = Set(Some(on));
            m.outcome_note = Set(note.clone());
        })
        .await?;
        let mut details = json!({"partial": false, "note": note});
        // Everything withdrawn after acceptance ends the resolution by a termination decision
        // (đình chỉ), sent like a suspension: within 3 working days for a complaint (ND 124/2020
        // Arts. 7a, 28a), 5 for a denunciation (Law 25/2018 Arts. 33, 34(4)).
        if matches!(facts_of(self.case).status, Status::Accepted | Status::Suspended) {
            let send = match self.kind() {
                Kind::Complaint => Some(ClockId::ComplaintSuspensionSend),
                Kind::Denunciation => Some(ClockId::DenunciationSuspensionSend),
                Kind::Recommendation | Kind::Feedback => None,
            };
            if let Some(clock) = send {
                details["clocks_started"] = json!([self.note(clock).await?]);
            }
        }
        Ok((details, id))
    }

    async fn resolve(&mut self, result: String, conclusion: Option<Conclusion>) -> AppResult<(Value, i64)> {
        let id = self.case.id;
        if self.kind() == Kind::Complaint && conclusion.is_none() {
            return Err(AppError::field(
                "conclusion",
                "Khiếu nại cần kết luận: right, partly_right hoặc wrong.",
            ));
        }
        deadlines::end(self.db, id, &[], ClockState::Met, self.on, self.now).await?;
        let on = self.on;
        self.update(|m| {
            m.status = Set(Status::Resolved);
            m.result = Set(Some(result.clone()));
            m.conclusion = Set(conclusion);
            m.closed_on = Set(Some(on));
        })
        .await?;
        // What the decision or conclusion starts (domain.md §8): sending it, and for a first-round
        // complaint the complainant's time to file the second; publishing a denunciation's
        // conclusion. Informational: no step records the sending or publication yet.
        let mut started = Vec::new();
        match self.kind() {
            Kind::Complaint if self.case.round >= 2 => {
                started.push(self.note(ClockId::ComplaintDecisionSend2).await?);
            }
            Kind::Complaint => {
                started.push(self.note(ClockId::ComplaintDecisionSend1).await?);
                started.push(self.note(ClockId::ComplaintSecondFiling).await?);
            }
            Kind::Denunciation => started.push(self.note(ClockId::DenunciationPublication).await?),
            Kind::Recommendation | Kind::Feedback => {}
        }
        // A case forwarded from another agency of the register: its result flows back there. That
        // is the report the resolver owes the forwarding agency (Law 42/2013 Art. 27(2)), made at
        // once, so its clock is met today; the forwarding agency then has to tell the citizen
        // (Art. 28(2)): that clock is the original case's.
        if self.case.origin_relation == Some(OriginRelation::ForwardedFrom)
            && let Some(origin_id) = self.case.origin_id
            && let Some(origin) = petition::Entity::find_by_id(origin_id).one(self.db).await?
        {
            let origin_head = audit::head(self.db, origin.id).await?;
            deadlines::met_at_once(
                self.db,
                id,
                ClockId::ForwardedResultReport,
                &super::rule_set_of(self.case),
                on,
                self.cal,
                self.now,
            )
            .await?;
            let relay = deadlines::note(
                self.db,
                origin.id,
                ClockId::ForwardedResultRelay,
                &super::rule_set_of(&origin),
                on,
                origin.remote_area,
                self.cal,
                self.now,
            )
            .await?;
            let change = Change {
                action: EventAction::ForwardResult,
                from: Some(origin.status),
                to: Some(origin.status),
                changes: json!({"result": result, "conclusion": conclusion, "resolved_on": on,
                                "by_agency_id": self.case.agency_id, "copy_id": id,
                                "clocks_started": [{"clock": ClockId::ForwardedResultRelay, "due": relay.due_on}]}),
            };
            audit::append(self.db, origin.id, origin.version, &origin_head, self.actor, &change, self.now)
                .await?;
            let mut model: petition::ActiveModel = origin.into();
            model.forward_result = Set(Some(result.clone()));
            model.forward_result_on = Set(Some(on));
            model.update(self.db).await?;
        }
        Ok((json!({"result": result, "conclusion": conclusion, "clocks_started": started}), id))
    }

    async fn reopen(&mut self, reason: Option<String>, to_agency_id: Option<i64>) -> AppResult<(Value, i64)> {
        let kind = self.kind();
        let relation = if kind == Kind::Complaint {
            OriginRelation::SecondRoundOf
        } else {
            OriginRelation::FurtherDenunciationOf
        };
        let agency_id = to_agency_id.unwrap_or(self.case.agency_id);
        if agency::Entity::find_by_id(agency_id).one(self.db).await?.is_none() {
            return Err(AppError::field("to_agency_id", "Cơ quan nhận không tồn tại."));
        }
        let (petitioner, cosignatories, representatives) = parties_of(self.db, self.case.id).await?;
        // Who "received" the new case decides who sees the parties copied onto it. A further
        // denunciation keeps the first one's receiving officer: the denouncer is not revealed to
        // whoever records the reopening (a unit head, another officer), who could not see them on
        // the first case (Law 25/2018 Art. 8(3)). Another agency's case has no receiver of ours.
        let received_by = match (agency_id == self.case.agency_id, kind) {
            (false, _) => None,
            (true, Kind::Denunciation) => self.case.received_by,
            (true, _) => Some(self.user.id),
        };
        let round = if kind == Kind::Complaint { self.case.round + 1 } else { self.case.round };
        let subject = match kind {
            Kind::Complaint => format!("Khiếu nại lần hai: {}", self.case.subject),
            _ => format!("Tố cáo tiếp: {}", self.case.subject),
        };
        let subject: String = subject.chars().take(500).collect();
        let new = NewPetition {
            agency_id,
            kind,
            channel: self.case.channel,
            received_on: self.on,
            subject,
            content: match &reason {
                Some(r) => r.clone(),
                None => super::content_of(self.db, self.case.id).await?,
            },
            petitioner,
            cosignatories,
            representatives,
            signatories: self.case.signatories,
            forwarding_body: None,
            forwarding_doc_no: None,
            attachments: vec![],
            skip_level: false,
            handled_before_by: None,
            remote_area: self.case.remote_area,
            round,
            origin: Some((self.case.id, relation)),
            received_by,
            citizen_user_id: self.case.citizen_user_id,
            unit_id: None,
            assignee_id: None,
        };
        let created = intake(self.db, new, self.actor, self.cal, self.now).await?;
        Ok((
            json!({"new_id": created.id, "new_tracking_code": created.tracking_code, "relation": relation,
                   "round": round, "to_agency_id": agency_id, "reason": reason}),
            created.id,
        ))
    }

    async fn split(&mut self, parts: Vec<SplitPart>, note: Option<String>) -> AppResult<(Value, i64)> {
        let id = self.case.id;
        // A denunciation splits into denunciations only. Each part carries the petitioner, and a
        // part of another kind would show the denouncer to every staff member and index their name
        // for search; worse, its link to this case would tell who denounced. Keeping such parts
        // protected would make a complaint or recommendation secret in the register for no reason
        // the law gives, so the register refuses: the citizen's other requests are registered as a
        // petition of their own (Law 25/2018 Arts. 8(3), 47; domain.md §6 rule 1).
        if self.kind() == Kind::Denunciation
            && let Some(i) = parts.iter().position(|p| p.kind != Kind::Denunciation)
        {
            return Err(AppError::field(
                &format!("parts[{i}].kind"),
                "Đơn tố cáo chỉ được tách thành các đơn tố cáo: danh tính người tố cáo phải được giữ bí mật \
                 (Luật Tố cáo, Điều 8 khoản 3). Nội dung khiếu nại, kiến nghị, phản ánh được tiếp nhận thành đơn riêng.",
            ));
        }
        let (petitioner, cosignatories, representatives) = parties_of(self.db, id).await?;
        let mut children = Vec::new();
        for part in parts {
            let new = NewPetition {
                agency_id: self.case.agency_id,
                kind: part.kind,
                channel: self.case.channel,
                received_on: self.case.received_on,
                subject: part.subject,
                content: part.content,
                petitioner: petitioner.clone(),
                cosignatories: cosignatories.clone(),
                representatives: representatives.clone(),
                signatories: self.case.signatories,
                forwarding_body: self.case.forwarding_body.clone(),
                forwarding_doc_no: self.case.forwarding_doc_no.clone(),
                attachments: attachments_of(self.case),
                skip_level: self.case.skip_level,
                handled_before_by: self.case.handled_before_by.clone(),
                remote_area: self.case.remote_area,
                round: 1,
                origin: Some((id, OriginRelation::SplitFrom)),
                received_by: self.case.received_by,
                citizen_user_id: self.case.citizen_user_id,
                unit_id: None,
                assignee_id: None,
            };
            let child = intake(self.db, new, self.actor, self.cal, self.now).await?;
            children.push(json!({"id": child.id, "tracking_code": child.tracking_code, "kind": child.kind}));
        }
        deadlines::end(self.db, id, &[], ClockState::Stopped, self.on, self.now).await?;
        let on = self.on;
        let text = format!("Tách thành {} đơn theo từng nội dung", children.len());
        let until = on.checked_add_months(Months::new(12));
        self.update(|m| {
            m.status = Set(Status::Archived);
            m.closed_on = Set(Some(on));
            m.archive_until = Set(until);
            m.outcome_note = Set(Some(text.clone()));
        })
        .await?;
        Ok((json!({"children": children, "note": note}), id))
    }
}

/// The parties of a case, to copy onto a forwarded, reopened or split case.
async fn parties_of(
    db: &impl ConnectionTrait,
    petition_id: i64,
) -> AppResult<(Option<Person>, Vec<Person>, Vec<Person>)> {
    let rows = petition_party::Entity::find()
        .filter(petition_party::Column::PetitionId.eq(petition_id))
        .order_by_asc(petition_party::Column::Id)
        .all(db)
        .await?;
    let mut petitioner = None;
    let mut cosignatories = Vec::new();
    let mut representatives = Vec::new();
    for r in rows {
        let person = Person {
            full_name: r.full_name,
            id_number: r.id_number,
            address: r.address,
            phone: r.phone,
            email: r.email,
        };
        match r.role {
            PartyRole::Petitioner if petitioner.is_none() => petitioner = Some(person),
            PartyRole::Representative => representatives.push(person),
            PartyRole::Petitioner | PartyRole::Cosignatory => cosignatories.push(person),
        }
    }
    Ok((petitioner, cosignatories, representatives))
}

fn attachments_of(case: &petition::Model) -> Vec<String> {
    case.attachments.as_deref().and_then(|a| serde_json::from_str(a).ok()).unwrap_or_default()
}
