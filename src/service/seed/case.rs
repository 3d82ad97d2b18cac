//! One seeded case played through the workflow in memory: its row, clocks and trail change step
//! by step as the register's own steps change them (`petitions::intake` and `petitions::actions`),
//! each step checked by the state machine and the access rules, its clocks from the law's step
//! table and the deadline engine, its event hashed with the audit key over the case's facts. What
//! is left in memory is what those steps would have left in the database, written in bulk later.

use chrono::{DateTime, Months, NaiveDate, Utc};
use serde_json::{Value, json};

use super::clocks::Clocks;
use crate::{
    auth::AuthUser,
    crypto::Keys,
    domain::{
        calendar::Calendar,
        deadline::{
            ClockState, Complexity, rule_set_for,
            steps::{self, Effect, Step},
        },
        person::Person,
        petition::{
            Action, Conclusion, EventAction, Kind, OriginRelation, PartyRole, Status, check_transition,
            command::extension_complexity, intake::NewPetition,
        },
    },
    entity::{json::JsonList, petition},
    error::{AppError, AppResult},
    service::{
        access::{self, CaseScope},
        audit::{self, Actor, Facts, GENESIS, Head},
        petitions::{
            actions::facts_of,
            effects::{self, ClockBasis, Lengthening},
            family::Family,
            intake::receipt_changes,
            milestones::{self, Before, Milestones},
            search,
        },
    },
};

/// How long an archived petition is kept (`actions::deciding::ARCHIVE_MONTHS`).
const ARCHIVE_MONTHS: u32 = 12;

/// One event of a case's trail, as `audit::prepare` builds its row.
#[derive(Debug, Clone)]
pub struct EventRow {
    pub petition_id: i64,
    pub seq: i32,
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub action: EventAction,
    pub from: Option<Status>,
    pub to: Option<Status>,
    pub changes: String,
    pub prev_hash: String,
    pub hash: String,
    pub facts: String,
}

/// A case being played: what the database would hold of it after its steps.
#[derive(Debug, Clone)]
pub struct Case {
    pub row: petition::Model,
    pub content: String,
    /// Its parties in clear, in the order intake registers them; sealed when written.
    pub people: Vec<(PartyRole, Person)>,
    pub entry: search::Entry,
    pub clocks: Clocks,
    pub events: Vec<EventRow>,
    /// The keyed digests of its content and parties, which every event records.
    content_digest: String,
    parties_digest: String,
    head: Head,
}

/// The details of a step's event: `{"on"}` and what the step adds (`actions::act`'s merge).
fn on_and(on: NaiveDate, details: Value) -> Value {
    let mut all = json!({"on": on});
    if let (Some(a), Value::Object(b)) = (all.as_object_mut(), details) {
        a.extend(b);
    }
    all
}

impl Case {
    /// Registers `new` under `id` and `tracking_code`, made from `origin` when it is derived from
    /// a case (which it joins the family of), received by `actor` at `at`: `petitions::intake`.
    #[allow(clippy::too_many_arguments)]
    pub fn receive(
        keys: &Keys,
        new: NewPetition,
        id: i64,
        tracking_code: String,
        origin: Option<&petition::Model>,
        actor: &Actor,
        cal: &Calendar,
        at: DateTime<Utc>,
    ) -> AppResult<Case> {
        let at = audit::event_instant(at);
        let rule_set = rule_set_for(new.received_on);
        let (family_id, confidential) = Family::joined(origin, new.kind);
        let people: Vec<&Person> = new.people().collect();
        let entry =
            search::entry(&keys.data, new.agency_id, confidential, &new.subject, &new.content, &people);
        let attachments =
            if new.attachments.is_empty() { None } else { Some(JsonList(new.attachments.clone())) };
        let row = petition::Model {
            id,
            agency_id: new.agency_id,
            tracking_code,
            kind: new.kind,
            channel: new.channel,
            status: Status::Received,
            received_on: new.received_on,
            received_by: new.received_by,
            citizen_user_id: new.citizen_user_id,
            subject: new.subject.clone(),
            anonymous: new.petitioner.is_none(),
            signatories: new.signatories,
            forwarding_body: new.forwarding_body.clone(),
            forwarding_doc_no: new.forwarding_doc_no.clone(),
            attachments,
            skip_level: new.skip_level,
            handled_before_by: new.handled_before_by.clone(),
            round: new.round,
            complexity: Complexity::None,
            remote_area: new.remote_area,
            assignee_id: new.assignee_id,
            unit_id: new.unit_id,
            leader_id: None,
            expected_result: None,
            origin_id: new.origin.map(|o| o.0),
            origin_relation: new.origin.map(|o| o.1),
            family_id,
            confidential,
            forwarded_to_agency_id: None,
            forwarded_copy_id: None,
            forwarded_to_body: None,
            outcome_note: None,
            result: None,
            conclusion: None,
            closed_on: None,
            archive_until: None,
            forward_result: None,
            forward_result_on: None,
            signed: new.signed,
            earlier_decision_no: new.earlier_decision.as_ref().map(|d| d.number.clone()),
            earlier_decision_on: new.earlier_decision.as_ref().map(|d| d.date),
            earlier_decision_body: new.earlier_decision.as_ref().map(|d| d.body.clone()),
            earlier_decision_received_on: new.earlier_decision.as_ref().map(|d| d.received_on),
            act_known_on: new.act_known_on,
            dialogue_on: None,
            dialogue_place: None,
            dialogue_held_on: None,
            rule_set,
            // Written with the case's final clocks (`seed::write`).
            inbox_due_on: None,
            processed_on: None,
            processed_action: None,
            accepted_on: None,
            working_days: None,
            field: new.field,
            recovered_money: None,
            recovered_land_cm2: None,
            people_restored: None,
            destroyed_at: None,
            destroyed_by: None,
            destruction_decision_no: None,
            destruction_decision_on: None,
            version: 0,
            event_head: GENESIS.to_owned(),
            created_at: at,
            updated_at: at,
        };
        let changes = receipt_changes(&new, rule_set);
        let roles = new
            .petitioner
            .iter()
            .map(|p| (PartyRole::Petitioner, p.clone()))
            .chain(new.cosignatories.iter().map(|p| (PartyRole::Cosignatory, p.clone())))
            .chain(new.representatives.iter().map(|p| (PartyRole::Representative, p.clone())));
        let people: Vec<(PartyRole, Person)> = roles.collect();
        let mut case = Case {
            content_digest: audit::digest_content(&keys.audit, &new.content),
            parties_digest: audit::digest_people(&keys.audit, people.iter().map(|(r, p)| (*r, p)))?,
            content: new.content,
            people,
            entry,
            clocks: Clocks::default(),
            events: Vec::new(),
            head: Head::genesis(),
            row,
        };
        // The clocks of the receipt, counted on the case as registered.
        let receipt = effects::plan(Step::Receive, &case.row);
        case.clocks.apply(&ClockBasis::of(&case.row), &receipt, None, new.received_on, cal, at)?;
        case.append(keys, actor, EventAction::Receive, None, Some(Status::Received), changes, at)?;
        Ok(case)
    }

    /// Appends an event recording the case's facts as they now stand, and anchors it in the row
    /// (`audit::append`: version and head).
    #[allow(clippy::too_many_arguments)]
    fn append(
        &mut self,
        keys: &Keys,
        actor: &Actor,
        action: EventAction,
        from: Option<Status>,
        to: Option<Status>,
        changes: Value,
        at: DateTime<Utc>,
    ) -> AppResult<()> {
        let at = audit::event_instant(at);
        let facts =
            Facts::of(&keys.audit, &self.row, self.content_digest.clone(), self.parties_digest.clone())
                .to_text()?;
        let changes = changes.to_string();
        let id = self.row.id;
        // As `audit::prepare` stores them: `UNCHANGED` for facts the step did not change.
        let stored = audit::to_store(&self.head, &facts).to_owned();
        let (seq, hash) =
            audit::follow(&keys.audit, &self.head, id, at, actor, action, from, to, &changes, &stored);
        self.events.push(EventRow {
            petition_id: id,
            seq,
            at,
            actor_id: actor.id,
            actor_name: actor.name.clone(),
            action,
            from,
            to,
            changes,
            prev_hash: self.head.hash.clone(),
            hash: hash.clone(),
            facts: stored,
        });
        self.head = Head { seq, hash: hash.clone(), facts };
        self.row.version += 1;
        self.row.event_head = hash;
        self.row.updated_at = at;
        Ok(())
    }

    /// The state machine's and the access rules' word on `action` by `user` now: the status it
    /// leads to (`actions::act`'s checks, so that only reachable states are seeded).
    fn check(&self, user: &AuthUser, action: Action) -> AppResult<Status> {
        // The seeder reopens resolved cases only: no deadline passed unresolved is looked at.
        let to = check_transition(facts_of(&self.row, NaiveDate::MIN, None), action).map_err(|r| {
            AppError::internal(format!("seed: {action} on case {}: {}", self.row.id, r.message))
        })?;
        if !access::can_act(user, &CaseScope::of(&self.row), action) {
            return Err(AppError::internal(format!(
                "seed: {} may not {action} case {}",
                user.username, self.row.id
            )));
        }
        Ok(to)
    }

    /// Records the step `action` by `user` on `on`, from `from` to the case's status now.
    #[allow(clippy::too_many_arguments)]
    fn acted(
        &mut self,
        keys: &Keys,
        user: &AuthUser,
        action: Action,
        from: Status,
        details: Value,
        on: NaiveDate,
        at: DateTime<Utc>,
    ) -> AppResult<()> {
        let actor = Actor::user(user.id, &user.full_name);
        let to = self.row.status;
        self.reached(from, action, on);
        self.append(keys, &actor, action.into(), Some(from), Some(to), on_and(on, details), at)
    }

    /// The clocks this step moves, as the case stands before it, counted on `basis`.
    fn clocks_of(
        &mut self,
        action: Action,
        basis: ClockBasis,
        on: NaiveDate,
        cal: &Calendar,
        at: DateTime<Utc>,
    ) -> AppResult<effects::Applied> {
        let plan = effects::plan(Step::Act(action), &self.row);
        self.clocks.apply(&basis, &plan, None, on, cal, at)
    }

    /// Routes the case to `handler` (and his unit): `assign`.
    pub fn assign(
        &mut self,
        keys: &Keys,
        user: &AuthUser,
        handler: &AuthUser,
        on: NaiveDate,
        at: DateTime<Utc>,
    ) -> AppResult<()> {
        let from = self.check(user, Action::Assign)?;
        let unit = handler.unit_id.or(self.row.unit_id);
        let details = json!({
            "assignee_id": {"from": self.row.assignee_id, "to": handler.id},
            "unit_id": {"from": self.row.unit_id, "to": unit},
            "leader_id": null,
            "expected_result": null,
        });
        self.row.assignee_id = Some(handler.id);
        self.row.unit_id = unit;
        self.acted(keys, user, Action::Assign, from, details, on, at)
    }

    /// Accepts the case for resolution (thụ lý): `accept`.
    #[allow(clippy::too_many_arguments)]
    pub fn accept(
        &mut self,
        keys: &Keys,
        user: &AuthUser,
        complexity: Complexity,
        on: NaiveDate,
        cal: &Calendar,
        at: DateTime<Utc>,
    ) -> AppResult<()> {
        let to = self.check(user, Action::Accept)?;
        let from = self.row.status;
        let remote = self.row.remote_area;
        let basis = ClockBasis { complexity, remote_area: remote, ..ClockBasis::of(&self.row) };
        let applied = self.clocks_of(Action::Accept, basis, on, cal, at)?;
        let takes_it = access::takes_from_pool(user, &CaseScope::of(&self.row));
        let unit_before = self.row.unit_id;
        if takes_it {
            self.row.assignee_id = Some(user.id);
            self.row.unit_id = self.row.unit_id.or(user.unit_id);
        }
        self.row.status = to;
        self.row.complexity = complexity;
        let started = applied.described(ClockState::Running).into_iter().next();
        let mut details =
            json!({"complexity": complexity, "remote_area": remote, "note": null, "clock_started": started});
        applied.note_notices(&mut details);
        if takes_it {
            details["assignee_id"] = json!({"from": null, "to": self.row.assignee_id});
            details["unit_id"] = json!({"from": unit_before, "to": self.row.unit_id});
        }
        self.acted(keys, user, Action::Accept, from, details, on, at)
    }

    /// Extends a complex case's resolution: a complaint to the longer limit of a complex case, a
    /// denunciation by `days` (`extend`). Returns false, changing nothing, when the law allows no
    /// extension here.
    #[allow(clippy::too_many_arguments)]
    pub fn extend(
        &mut self,
        keys: &Keys,
        user: &AuthUser,
        days: u32,
        on: NaiveDate,
        cal: &Calendar,
        at: DateTime<Utc>,
    ) -> AppResult<bool> {
        let from = self.check(user, Action::Extend)?;
        let plan = effects::plan(Step::Act(Action::Extend), &self.row);
        let current = self.row.complexity;
        let kind = self.row.kind;
        if !plan.iter().any(|e| matches!(e, Effect::Lengthen(_)))
            || (kind == Kind::Complaint && current != Complexity::None)
        {
            return Ok(false);
        }
        let finding = extension_complexity(current, None);
        let lengthening = if kind == Kind::Complaint {
            Lengthening::Complexity(finding)
        } else {
            Lengthening::Days { days, complexity: finding }
        };
        let mut clocks = self.clocks.clone();
        let Ok(applied) = clocks.apply(&ClockBasis::of(&self.row), &plan, Some(lengthening), on, cal, at)
        else {
            return Ok(false);
        };
        let Some(changed) = applied.changed.into_iter().next() else { return Ok(false) };
        let granted = if kind == Kind::Complaint {
            changed.result.limit_days.saturating_sub(changed.limit_before)
        } else {
            days
        };
        self.clocks = clocks;
        self.row.complexity = finding;
        let details = json!({"days": granted, "requested_days": granted, "reason": "Vụ việc phức tạp, cần thêm thời gian xác minh.",
                             "complexity": finding, "clock": changed.clock, "limit_days": changed.result.limit_days,
                             "due": changed.result.due});
        self.acted(keys, user, Action::Extend, from, details, on, at)?;
        Ok(true)
    }

    /// Suspends the resolution (tạm đình chỉ): `suspend`.
    #[allow(clippy::too_many_arguments)]
    pub fn suspend(
        &mut self,
        keys: &Keys,
        user: &AuthUser,
        reason: &str,
        on: NaiveDate,
        cal: &Calendar,
        at: DateTime<Utc>,
    ) -> AppResult<()> {
        let to = self.check(user, Action::Suspend)?;
        let from = self.row.status;
        let applied = self.clocks_of(Action::Suspend, ClockBasis::of(&self.row), on, cal, at)?;
        self.row.status = to;
        self.row.outcome_note = Some(reason.to_owned());
        let details =
            json!({"reason": reason, "clocks_started": applied.described(ClockState::Informational)});
        self.acted(keys, user, Action::Suspend, from, details, on, at)
    }

    /// Resumes a suspended resolution (tiếp tục): `resume`.
    pub fn resume(
        &mut self,
        keys: &Keys,
        user: &AuthUser,
        on: NaiveDate,
        cal: &Calendar,
        at: DateTime<Utc>,
    ) -> AppResult<()> {
        let to = self.check(user, Action::Resume)?;
        let from = self.row.status;
        self.clocks_of(Action::Resume, ClockBasis::of(&self.row), on, cal, at)?;
        self.row.status = to;
        self.acted(keys, user, Action::Resume, from, json!({"note": null}), on, at)
    }

    /// Ends the handling by `action` (reject, guide, forward, archive): its clocks as the step
    /// says, the closing date, then what `f` changes (`Acting::close`).
    #[allow(clippy::too_many_arguments)]
    fn close(
        &mut self,
        user: &AuthUser,
        action: Action,
        on: NaiveDate,
        cal: &Calendar,
        at: DateTime<Utc>,
        f: impl FnOnce(&mut petition::Model),
    ) -> AppResult<(Status, effects::Applied)> {
        let to = self.check(user, action)?;
        let from = self.row.status;
        let applied = self.clocks_of(action, ClockBasis::of(&self.row), on, cal, at)?;
        self.row.status = to;
        self.closed(on, cal);
        f(&mut self.row);
        Ok((from, applied))
    }

    /// Closes the case on `on`: its closing day and handling time (`Milestones::working_days`).
    fn closed(&mut self, on: NaiveDate, cal: &Calendar) {
        self.row.working_days = Some(milestones::working_days(self.row.received_on, on, cal));
        self.row.closed_on = Some(on);
    }

    /// Records the milestones the step `action` from `from` reached (processed, accepted), as
    /// `Acting::update` does; the closing's days are counted by [`Case::closed`].
    fn reached(&mut self, from: Status, action: Action, on: NaiveDate) {
        let before = Before { status: from, ..Before::of(&self.row) };
        let to = self.row.status;
        Milestones::of(before, to, action.into(), on).apply(&mut self.row);
    }

    /// Refuses the case (không thụ lý): `reject`.
    #[allow(clippy::too_many_arguments)]
    pub fn reject(
        &mut self,
        keys: &Keys,
        user: &AuthUser,
        reason: &str,
        on: NaiveDate,
        cal: &Calendar,
        at: DateTime<Utc>,
    ) -> AppResult<()> {
        self.close_for_reason(keys, user, Action::Reject, reason, on, cal, at)
    }

    /// Ends the case's handling by `action` on a stated ground (`Acting::close_for_reason`).
    #[allow(clippy::too_many_arguments)]
    fn close_for_reason(
        &mut self,
        keys: &Keys,
        user: &AuthUser,
        action: Action,
        reason: &str,
        on: NaiveDate,
        cal: &Calendar,
        at: DateTime<Utc>,
    ) -> AppResult<()> {
        let (from, applied) =
            self.close(user, action, on, cal, at, |m| m.outcome_note = Some(reason.to_owned()))?;
        let mut details = json!({"reason": reason});
        applied.note_notices(&mut details);
        self.acted(keys, user, action, from, details, on, at)
    }

    /// Guides the citizen to the competent body (hướng dẫn): `guide`.
    #[allow(clippy::too_many_arguments)]
    pub fn guide(
        &mut self,
        keys: &Keys,
        user: &AuthUser,
        to_body: &str,
        on: NaiveDate,
        cal: &Calendar,
        at: DateTime<Utc>,
    ) -> AppResult<()> {
        let text = format!("Hướng dẫn gửi đến: {to_body}");
        let (from, _) = self.close(user, Action::Guide, on, cal, at, |m| {
            m.forwarded_to_body = Some(to_body.to_owned());
            m.outcome_note = Some(text);
        })?;
        self.acted(keys, user, Action::Guide, from, json!({"to_body": to_body, "note": null}), on, at)
    }

    /// Forwards the case to a body outside the register: `forward` with a body.
    #[allow(clippy::too_many_arguments)]
    pub fn forward_to_body(
        &mut self,
        keys: &Keys,
        user: &AuthUser,
        body: &str,
        letter_no: &str,
        on: NaiveDate,
        cal: &Calendar,
        at: DateTime<Utc>,
    ) -> AppResult<()> {
        let (from, _) = self.close(user, Action::Forward, on, cal, at, |m| {
            m.forwarded_to_body = Some(body.to_owned());
            m.outcome_note = None;
        })?;
        let details = json!({"to_body": body, "letter_no": letter_no, "note": null});
        self.acted(keys, user, Action::Forward, from, details, on, at)
    }

    /// The new petition a forwarding to another agency of the register sends there (received by
    /// it as forwarded, the people and facts carried over: `derived::forward_copy`).
    pub fn forward_copy(
        &self,
        agency_id: i64,
        own_name: &str,
        letter_no: &str,
        on: NaiveDate,
    ) -> NewPetition {
        let received = NewPetition::received(
            agency_id,
            self.row.kind,
            crate::domain::petition::Channel::Forwarded,
            on,
            self.row.subject.clone(),
            self.content.clone(),
        );
        NewPetition {
            forwarding_body: Some(own_name.to_owned()),
            forwarding_doc_no: Some(letter_no.to_owned()),
            handled_before_by: self.row.handled_before_by.clone(),
            round: self.row.round,
            ..self.successor(received, OriginRelation::ForwardedFrom)
        }
    }

    /// Closes the case as forwarded to agency `target` (named `target_name`), where its copy
    /// `copy` was received: `forward` with an agency.
    #[allow(clippy::too_many_arguments)]
    pub fn forwarded_to_agency(
        &mut self,
        keys: &Keys,
        user: &AuthUser,
        (target, target_name): (i64, &str),
        copy: &petition::Model,
        letter_no: &str,
        on: NaiveDate,
        cal: &Calendar,
        at: DateTime<Utc>,
    ) -> AppResult<()> {
        let (from, _) = self.close(user, Action::Forward, on, cal, at, |m| {
            m.forwarded_to_agency_id = Some(target);
            m.forwarded_copy_id = Some(copy.id);
            m.forwarded_to_body = Some(target_name.to_owned());
            m.outcome_note = None;
        })?;
        let details = json!({"to_agency_id": target, "to_agency": target_name, "copy_id": copy.id,
                             "letter_no": letter_no, "note": null});
        self.acted(keys, user, Action::Forward, from, details, on, at)
    }

    /// Keeps the petition without handling (lưu đơn) for a year: `archive`.
    #[allow(clippy::too_many_arguments)]
    pub fn archive(
        &mut self,
        keys: &Keys,
        user: &AuthUser,
        reason: &str,
        on: NaiveDate,
        cal: &Calendar,
        at: DateTime<Utc>,
    ) -> AppResult<()> {
        let until = on.checked_add_months(Months::new(ARCHIVE_MONTHS));
        let (from, _) = self.close(user, Action::Archive, on, cal, at, |m| {
            m.outcome_note = Some(reason.to_owned());
            m.archive_until = until;
        })?;
        self.acted(
            keys,
            user,
            Action::Archive,
            from,
            json!({"reason": reason, "archive_until": until}),
            on,
            at,
        )
    }

    /// The complaint's dialogue was held, with its minutes: `record_dialogue`.
    pub fn record_dialogue(
        &mut self,
        keys: &Keys,
        user: &AuthUser,
        minutes: &str,
        on: NaiveDate,
        at: DateTime<Utc>,
    ) -> AppResult<()> {
        let from = self.check(user, Action::RecordDialogue)?;
        self.row.dialogue_held_on = Some(on);
        self.acted(
            keys,
            user,
            Action::RecordDialogue,
            from,
            json!({"held_on": on, "minutes": minutes}),
            on,
            at,
        )
    }

    /// The resolution ends by a termination decision: `terminate`.
    pub fn terminate(
        &mut self,
        keys: &Keys,
        user: &AuthUser,
        reason: &str,
        on: NaiveDate,
        cal: &Calendar,
        at: DateTime<Utc>,
    ) -> AppResult<()> {
        self.close_for_reason(keys, user, Action::Terminate, reason, on, cal, at)
    }

    /// An anonymous denunciation becomes an inspection lead: `record_lead`.
    pub fn record_lead(
        &mut self,
        keys: &Keys,
        user: &AuthUser,
        reason: &str,
        on: NaiveDate,
        cal: &Calendar,
        at: DateTime<Utc>,
    ) -> AppResult<()> {
        self.close_for_reason(keys, user, Action::RecordLead, reason, on, cal, at)
    }

    /// The petitioner withdraws the whole petition: `withdraw`.
    #[allow(clippy::too_many_arguments)]
    pub fn withdraw(
        &mut self,
        keys: &Keys,
        user: &AuthUser,
        note: &str,
        on: NaiveDate,
        cal: &Calendar,
        at: DateTime<Utc>,
    ) -> AppResult<()> {
        let to = self.check(user, Action::Withdraw)?;
        let from = self.row.status;
        let applied = self.clocks_of(Action::Withdraw, ClockBasis::of(&self.row), on, cal, at)?;
        self.row.status = to;
        self.closed(on, cal);
        self.row.outcome_note = Some(note.to_owned());
        let mut details = json!({"partial": false, "note": note});
        applied.note_notices(&mut details);
        self.acted(keys, user, Action::Withdraw, from, details, on, at)
    }

    /// Resolves the case with `result` (and a conclusion for complaints and denunciations):
    /// `resolve`. A copy forwarded by another agency of the register reports back to `origin`.
    #[allow(clippy::too_many_arguments)]
    pub fn resolve(
        &mut self,
        keys: &Keys,
        user: &AuthUser,
        result: &str,
        conclusion: Option<Conclusion>,
        origin: Option<&mut Case>,
        on: NaiveDate,
        cal: &Calendar,
        at: DateTime<Utc>,
    ) -> AppResult<()> {
        let to = self.check(user, Action::Resolve)?;
        let from = self.row.status;
        let mut facts = effects::facts_of(&self.row, false);
        if origin.is_none() && facts.origin == Some(OriginRelation::ForwardedFrom) {
            facts.origin = None;
        }
        let plan = steps::plan(Step::Act(Action::Resolve), &facts);
        let applied = self.clocks.apply(&ClockBasis::of(&self.row), &plan, None, on, cal, at)?;
        self.row.status = to;
        self.row.result = Some(result.to_owned());
        self.row.conclusion = conclusion;
        self.closed(on, cal);
        match (origin, self.row.origin_relation) {
            (Some(first), Some(OriginRelation::SecondRoundOf | OriginRelation::FurtherDenunciationOf)) => {
                first.next_level_result(keys, user, self, result, conclusion, on, at)?
            }
            (Some(origin), _) => origin.result_returned(keys, user, self, result, conclusion, on, cal, at)?,
            (None, _) => {}
        }
        let details = json!({"result": result, "conclusion": conclusion,
                             "clocks_started": applied.described(ClockState::Informational)});
        self.acted(keys, user, Action::Resolve, from, details, on, at)
    }

    /// The result of this case's copy `copy` came back (`closing::report_back`).
    #[allow(clippy::too_many_arguments)]
    fn result_returned(
        &mut self,
        keys: &Keys,
        user: &AuthUser,
        copy: &Case,
        result: &str,
        conclusion: Option<Conclusion>,
        on: NaiveDate,
        cal: &Calendar,
        at: DateTime<Utc>,
    ) -> AppResult<()> {
        let plan = effects::plan(Step::ResultReturned, &self.row);
        let applied = self.clocks.apply(&ClockBasis::of(&self.row), &plan, None, on, cal, at)?;
        let status = self.row.status;
        let changes = json!({"result": result, "conclusion": conclusion, "resolved_on": on,
                             "by_agency_id": copy.row.agency_id, "copy_id": copy.row.id,
                             "clocks_started": applied.described(ClockState::Informational)});
        let actor = Actor::user(user.id, &user.full_name);
        self.append(keys, &actor, EventAction::ForwardResult, Some(status), Some(status), changes, at)?;
        self.row.forward_result = Some(result.to_owned());
        self.row.forward_result_on = Some(on);
        Ok(())
    }

    /// The second round `next` made from this case was decided (`closing::next_level_result`).
    #[allow(clippy::too_many_arguments)]
    fn next_level_result(
        &mut self,
        keys: &Keys,
        user: &AuthUser,
        next: &Case,
        result: &str,
        conclusion: Option<Conclusion>,
        on: NaiveDate,
        at: DateTime<Utc>,
    ) -> AppResult<()> {
        let status = self.row.status;
        let changes = json!({"result": result, "conclusion": conclusion, "resolved_on": on,
                             "by_agency_id": next.row.agency_id, "case_id": next.row.id,
                             "round": next.row.round});
        let actor = Actor::user(user.id, &user.full_name);
        self.append(keys, &actor, EventAction::NextLevelResult, Some(status), Some(status), changes, at)
    }

    /// The second-round complaint a reopening of this resolved complaint registers at `agency_id`
    /// (`derived::reopen`), with the reason as its content.
    pub fn second_round(&self, user: &AuthUser, agency_id: i64, reason: &str, on: NaiveDate) -> NewPetition {
        let subject: String = format!("Khiếu nại lần hai: {}", self.row.subject).chars().take(500).collect();
        let received =
            NewPetition::received(agency_id, self.row.kind, self.row.channel, on, subject, reason.to_owned());
        let received_by = access::receiver_of_reopened(user, &CaseScope::of(&self.row), agency_id);
        NewPetition {
            round: self.row.round + 1,
            received_by,
            ..self.successor(received, OriginRelation::SecondRoundOf)
        }
    }

    /// Records the reopening that registered `new` (`reopen`): the case stays resolved.
    #[allow(clippy::too_many_arguments)]
    pub fn reopened(
        &mut self,
        keys: &Keys,
        user: &AuthUser,
        new: &petition::Model,
        reason: &str,
        on: NaiveDate,
        at: DateTime<Utc>,
    ) -> AppResult<()> {
        let from = self.check(user, Action::Reopen)?;
        let details = json!({"new_id": new.id, "new_tracking_code": new.tracking_code,
                             "relation": OriginRelation::SecondRoundOf, "round": new.round,
                             "to_agency_id": new.agency_id, "reason": reason});
        self.acted(keys, user, Action::Reopen, from, details, on, at)
    }

    /// A case made from this one: its people, signatories, remoteness and citizen carried over
    /// (`derived::successor`).
    fn successor(&self, new: NewPetition, origin: OriginRelation) -> NewPetition {
        let mut petitioner = None;
        let mut cosignatories = Vec::new();
        let mut representatives = Vec::new();
        for (role, person) in &self.people {
            match role {
                PartyRole::Petitioner if petitioner.is_none() => petitioner = Some(person.clone()),
                PartyRole::Representative => representatives.push(person.clone()),
                PartyRole::Petitioner | PartyRole::Cosignatory => cosignatories.push(person.clone()),
            }
        }
        NewPetition {
            petitioner,
            cosignatories,
            representatives,
            signatories: self.row.signatories,
            remote_area: self.row.remote_area,
            origin: Some((self.row.id, origin)),
            citizen_user_id: self.row.citizen_user_id,
            ..new
        }
    }
}
