//! The workflow's actions on a case (`POST /petitions/{id}/actions`). The dispatcher ([`act`])
//! checks, in order, that the case is visible (404), the role (403), the state machine (409
//! `invalid_transition`), the case scope (403), the version seen (409 `concurrent_update`) and the
//! decision's date (422); then the step writes the change and its clocks, and the dispatcher
//! appends its event, all in the caller's transaction. The chain's head is read with the case, so
//! an event appended meanwhile makes this one's append fail and the whole step roll back.
//!
//! The steps, by what they do with the case: [`deciding`] (the first handling decision: accept,
//! reject, guide, forward, urge, archive), [`handling`] (assign, extend, suspend, resume),
//! [`closing`] (withdraw, resolve) and [`derived`] (the cases a step makes: a forwarded copy, a
//! reopening, the parts of a split). Their clocks go through [`super::effects`].

mod closing;
mod deciding;
mod derived;
mod handling;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};
use serde_json::{Value, json};

use super::{
    effects::{self, Applied, ClockBasis},
    milestones::{Before, Milestones},
    read::find,
};
use crate::{
    auth::AuthUser,
    crypto::Keys,
    domain::{
        calendar::Calendar,
        deadline::steps::{Effect, Step},
        petition::{
            Action, CaseFacts, Kind, OriginRelation, Status, check_transition,
            command::{check_decision_date, extension_possible},
            repeat::Warning,
            roles_for,
        },
    },
    entity::{deadline, json::JsonList, petition},
    error::{AppError, AppResult},
    service::{
        access::{self, CaseScope},
        audit::{self, Actor, Change},
        deadlines, notices, notifications,
    },
};

pub use crate::domain::petition::command::{Command, ForwardTarget, SplitPart};

/// The facts of a stored case for the state machine, on `today`, its resolution due on
/// `resolution_due` ([`deadlines::resolution_due`]).
pub fn facts_of(case: &petition::Model, today: NaiveDate, resolution_due: Option<NaiveDate>) -> CaseFacts {
    CaseFacts {
        anonymous: case.anonymous,
        signed: case.signed,
        dialogue_held: case.dialogue_held_on.is_some(),
        // Accepted and past the due date of its resolution: the next level may be seized.
        deadline_missed: case.status == Status::Accepted && resolution_due.is_some_and(|d| d < today),
        kind: case.kind,
        status: case.status,
        round: case.round,
        channel: case.channel,
        signatories: case.signatories,
        received_on: case.received_on,
        forwarded_in: case.origin_relation == Some(OriginRelation::ForwardedFrom),
    }
}

/// The actions `user` may take on `case` now, its running `clocks` read: what the allowed-actions
/// list of a view shows.
pub fn allowed_actions(
    user: &AuthUser,
    case: &petition::Model,
    clocks: &[deadline::Model],
    today: NaiveDate,
) -> Vec<Action> {
    if case.destroyed_at.is_some() {
        return Vec::new();
    }
    let facts = facts_of(case, today, deadlines::resolution_due(clocks));
    let scope = CaseScope::of(case);
    Action::ALL
        .iter()
        .copied()
        .filter(|a| check_transition(facts, *a).is_ok() && access::can_act(user, &scope, *a))
        .filter(|a| *a != Action::Extend || extension_possible(case.kind, case.complexity))
        .collect()
}

/// What an action did, for the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The case to show: this one, or the new one a reopening made.
    pub show_id: i64,
    /// What the officer should weigh (a second complaint after its filing limit).
    pub warnings: Vec<Warning>,
}

/// Takes `command` on case `id` as `user`, on date `on` (the decision's date; today by default),
/// in the caller's transaction; a case it makes gets the parties, sealed under `keys`.
#[allow(clippy::too_many_arguments)]
pub async fn act(
    db: &impl ConnectionTrait,
    keys: &Keys,
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
    // A destroyed case is a register line: nothing more is done on it (reopening included).
    if case.destroyed_at.is_some() {
        return Err(AppError::conflict(
            "destroyed",
            "Hồ sơ đã được hủy sau thời hạn lưu; không thể thao tác thêm.",
        ));
    }
    if !roles_for(action).contains(&user.role) {
        return Err(AppError::Forbidden);
    }
    let facts = facts_of(&case, on, deadlines::resolution_due_of(db, id).await?);
    let to = check_transition(facts, action)?;
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
    check_decision_date(on, case.received_on)?;
    let actor = Actor::user(user.id, &user.full_name);
    // The written notices the step owes, issued before its clocks move so that the clocks they
    // owe stay running until they are sent; linked to the event the step appends.
    let partial = matches!(command, Command::Withdraw { partial: true, .. });
    let issued =
        notices::issue::for_step(db, &case, Step::Act(action), partial, head.seq + 1, on, Some(user.id), now)
            .await?;
    let mut step = Acting { db, keys, user, actor: &actor, cal, now, on, case: &case, action, to };
    let done = match command {
        Command::Accept { complexity, remote_area, note } => {
            step.accept(complexity, remote_area, note).await?
        }
        Command::Reject { reason } => step.reject(reason).await?,
        Command::Guide { to_body, note } => step.guide(to_body, note).await?,
        Command::Forward { target, letter_no, note } => step.forward(target, letter_no, note).await?,
        Command::Urge { to_body, note } => step.urge(to_body, note).await?,
        Command::Archive { reason } => step.archive(reason).await?,
        Command::Assign { assignee_id, unit_id, leader_id, expected_result } => {
            step.assign(assignee_id, unit_id, leader_id, expected_result).await?
        }
        Command::Extend { days, reason, complexity } => step.extend(days, reason, complexity).await?,
        Command::Suspend { reason } => step.suspend(reason).await?,
        Command::Resume { note } => step.resume(note).await?,
        Command::Withdraw { partial, note, withdrawn_signatories, continues } => {
            step.withdraw(partial, note, withdrawn_signatories, continues).await?
        }
        Command::Resolve { result, conclusion, recovered } => {
            step.resolve(result, conclusion, recovered).await?
        }
        Command::Reopen { reason, to_agency_id } => step.reopen(reason, to_agency_id).await?,
        Command::Split { parts, note } => step.split(parts, note).await?,
        Command::RecordLead { reason } => step.record_lead(reason).await?,
        Command::ExtendIntake { days, reason } => step.extend_intake(days, reason).await?,
        Command::Terminate { reason } => step.terminate(reason).await?,
        Command::ScheduleDialogue { on, place } => step.schedule_dialogue(on, place).await?,
        Command::RecordDialogue { minutes } => step.record_dialogue(minutes).await?,
    };
    let issued = notices::issue::complete(db, issued, &done.details).await?;
    let mut changes = merge(json!({"on": on}), done.details);
    if !issued.is_empty() {
        changes["notices"] = notices::issue::described(&issued);
    }
    // The step's stated reason, for the message to the citizen.
    let reason = changes.get("reason").and_then(Value::as_str).map(str::to_owned);
    let change = Change { action: action.into(), from: Some(facts.status), to: Some(done.status), changes };
    audit::append(db, keys, &case, &head, &actor, &change, now).await?;
    // The step may have changed the case's status or clocks: its inbox sort key follows.
    deadlines::refresh_inbox(db, &[id]).await?;
    // The citizen hears of the step, the handler of the case given to him: in the outbox, in
    // this transaction.
    if let Some(kind) = notifications::kind_of(action) {
        let after = find(db, id).await?;
        let petitioner = notifications::petitioner_of(db, keys, &after).await?;
        notifications::to_petitioner(db, keys, &after, petitioner.as_ref(), kind, reason.as_deref(), now)
            .await?;
    }
    if action == Action::Assign {
        let after = find(db, id).await?;
        if let Some(assignee) = after.assignee_id.filter(|a| Some(*a) != case.assignee_id) {
            notifications::to_assignee(db, keys, &after, assignee, now).await?;
        }
    }
    Ok(Outcome { show_id: done.show_id, warnings: done.warnings })
}

fn merge(mut a: Value, b: Value) -> Value {
    if let (Some(a), Value::Object(b)) = (a.as_object_mut(), b) {
        a.extend(b);
    }
    a
}

/// What a step did: the details its event records, the status it left the case in, and the case
/// to show.
struct Done {
    details: Value,
    status: Status,
    show_id: i64,
    warnings: Vec<Warning>,
}

/// A step being taken on a case, in the caller's transaction.
struct Acting<'a, C: ConnectionTrait> {
    db: &'a C,
    keys: &'a Keys,
    user: &'a AuthUser,
    actor: &'a Actor,
    cal: &'a Calendar,
    now: DateTime<Utc>,
    /// The decision's date.
    on: NaiveDate,
    /// The case as it was before the step.
    case: &'a petition::Model,
    /// The step.
    action: Action,
    /// The status the state machine moves it to.
    to: Status,
}

impl<C: ConnectionTrait> Acting<'_, C> {
    fn kind(&self) -> Kind {
        self.case.kind
    }

    /// The step is done: it recorded `details`, and left the case in the status the state machine
    /// gave; this case is the one to show.
    fn done(&self, details: Value) -> Done {
        Done { details, status: self.to, show_id: self.case.id, warnings: vec![] }
    }

    /// Writes the changes `f` makes to the case, with the milestones they reach (processed,
    /// accepted, closed: [`Milestones`]).
    async fn update(&self, f: impl FnOnce(&mut petition::ActiveModel)) -> AppResult<()> {
        let mut model: petition::ActiveModel = self.case.clone().into();
        f(&mut model);
        let to = model.status.try_as_ref().copied().unwrap_or(self.case.status);
        let closing = model.closed_on.try_as_ref().copied().flatten();
        let before = Before::of(self.case);
        Milestones::of(before, to, self.action.into(), self.on)
            .closing(before, closing, self.cal)
            .set(&mut model);
        model.updated_at = Set(self.now);
        model.update(self.db).await?;
        Ok(())
    }

    /// The clock effects of this step on the case, from the law's step table.
    fn plan(&self) -> Vec<Effect> {
        effects::plan(Step::Act(self.action), self.case)
    }

    /// Does to the case's clocks what this step does, its new clocks counted on `basis`.
    async fn clocks_on(&self, basis: ClockBasis) -> AppResult<Applied> {
        effects::apply(self.db, &basis, &self.plan(), None, self.on, self.cal, self.now).await
    }

    /// Does to the case's clocks what this step does, as the case stands.
    async fn clocks(&self) -> AppResult<Applied> {
        self.clocks_on(ClockBasis::of(self.case)).await
    }

    /// Ends the case's handling with the status the state machine gave: its clocks as the step
    /// says (the running ones met), its closing date, and the changes `f` makes.
    async fn close(&self, f: impl FnOnce(&mut petition::ActiveModel)) -> AppResult<Applied> {
        let applied = self.clocks().await?;
        let (to, on) = (self.to, self.on);
        self.update(|m| {
            m.status = Set(to);
            m.closed_on = Set(Some(on));
            f(m);
        })
        .await?;
        Ok(applied)
    }

    /// Ends the case's handling ([`Acting::close`]) on a stated ground (a refusal, a termination,
    /// an inspection lead): the ground is its outcome note and its event's `reason`, beside the
    /// notices the step owes.
    async fn close_for_reason(&self, reason: String) -> AppResult<Done> {
        let applied = self.close(|m| m.outcome_note = Set(Some(reason.clone()))).await?;
        let mut details = json!({"reason": reason});
        applied.note_notices(&mut details);
        Ok(self.done(details))
    }
}

/// The documents listed on a case, to copy onto a case made from it.
fn attachments_of(case: &petition::Model) -> Vec<String> {
    case.attachments.clone().map(JsonList::into_inner).unwrap_or_default()
}
