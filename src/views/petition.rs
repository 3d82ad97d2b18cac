//! How a case is shown: to staff (with the "5 rõ", clocks and allowed actions, and the
//! petitioner only where the reader may see it), on the public tracking page (status and dates
//! only), and its audit trail. Views only shape what the use cases of `service::petitions`
//! return: the allowed actions, due dates and explanations are computed there.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    domain::{
        calendar::Skipped,
        deadline::{ClockId, ClockState, Complexity, DayUnit, RuleSetId},
        person::Person,
        petition::{
            Action, Channel, Conclusion, EventAction, Kind, OriginRelation, PartyRole, ReadPurpose, Status,
            command::DIALOGUE_NOTICE_DAYS, repeat::Warning,
        },
    },
    entity::{deadline, identity_access, json::JsonList, petition, petition_event, petition_rating},
    service::{
        deadlines::{Due, Explained},
        petitions::{
            PetitionBundle, PetitionClocks, PetitionSummary,
            public::{OwnPetition, Tracked},
        },
    },
};

/// A statutory clock of a case.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeadlineView {
    /// The clock (domain.md §8), e.g. `complaint_resolution_1`.
    pub clock: ClockId,
    /// What it times, in Vietnamese.
    pub label: String,
    /// The day it started (not counted).
    pub start: NaiveDate,
    pub due: NaiveDate,
    /// Working or calendar days.
    pub unit: DayUnit,
    pub limit_days: i32,
    /// Stopped by a suspension.
    pub paused: bool,
    /// Past its due date (and still running; an informational clock never is).
    pub overdue: bool,
    /// `informational`: a notice duty or the citizen's period, shown but never making the case
    /// overdue.
    pub state: ClockState,
    pub ended_on: Option<NaiveDate>,
    /// The rule set that produced it.
    pub rule_set: RuleSetId,
}

impl DeadlineView {
    /// The view of a stored clock read on `today`.
    pub fn of(row: &deadline::Model, today: NaiveDate) -> Self {
        let running = row.state == ClockState::Running;
        Self {
            label: row.clock.label_vi().to_owned(),
            clock: row.clock,
            start: row.start_on,
            due: row.due_on,
            unit: row.unit,
            limit_days: row.limit_days,
            paused: row.paused,
            overdue: running && !row.paused && row.due_on < today,
            state: row.state,
            ended_on: row.ended_on,
            rule_set: row.rule_set,
        }
    }
}

/// A clock with the reasons for its due date.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeadlineExplainedView {
    #[serde(flatten)]
    pub deadline: DeadlineView,
    /// The legal source of the rule.
    pub source: String,
    /// The value is not yet confirmed against the governing text.
    pub unverified: bool,
    /// Why this due date, line by line (Vietnamese).
    pub explanation: Vec<String>,
    /// The non-working days passed over.
    #[schema(value_type = Vec<Object>)]
    pub skipped: Vec<Skipped>,
}

/// A person named on a petition.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonView {
    pub full_name: String,
    pub id_number: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

impl From<&Person> for PersonView {
    fn from(p: &Person) -> Self {
        Self {
            full_name: p.full_name.clone(),
            id_number: p.id_number.clone(),
            address: p.address.clone(),
            phone: p.phone.clone(),
            email: p.email.clone(),
        }
    }
}

/// A link to another case.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LinkView {
    pub id: i64,
    pub relation: OriginRelation,
    pub tracking_code: Option<String>,
}

/// Where a case went when it left this agency.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ForwardedView {
    pub agency_id: Option<i64>,
    pub body: Option<String>,
    /// The received petition it became in the other agency.
    pub copy_id: Option<i64>,
    /// The result reported back, once that agency resolved it.
    pub result: Option<String>,
    pub result_on: Option<NaiveDate>,
}

/// A case as staff see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PetitionView {
    pub id: i64,
    pub tracking_code: String,
    pub agency_id: i64,
    pub kind: Kind,
    pub channel: Channel,
    pub status: Status,
    /// The status in Vietnamese.
    pub status_label: String,
    pub received_on: NaiveDate,
    /// The officer who registered it.
    pub received_by: Option<i64>,
    pub subject: String,
    /// The content (in the detailed view only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    pub anonymous: bool,
    pub signatories: i32,
    /// Signed or fingerprinted: an unsigned complaint or denunciation cannot be accepted.
    pub signed: bool,
    /// What a second round is about, when brought with it.
    pub earlier_decision: Option<EarlierDecisionView>,
    /// A complaint: the day the act was known (its 90-day filing limit runs from it).
    pub act_known_on: Option<NaiveDate>,
    /// A complaint's dialogue, once scheduled or held.
    pub dialogue: Option<DialogueView>,
    // The "5 rõ": person, unit, responsible leader, step, clock and expected result.
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub leader_id: Option<i64>,
    pub leader_name: Option<String>,
    /// The handling step, in Vietnamese.
    pub step: String,
    pub expected_result: Option<String>,
    /// The running clocks; the detailed view adds the informational ones (notice duties, the
    /// citizen's periods), which never make the case overdue.
    pub deadlines: Vec<DeadlineView>,
    /// The earliest due date of the running clocks and of a dialogue's invitation still to send.
    pub next_due: Option<NaiveDate>,
    pub overdue: bool,
    /// Due within the next three working days.
    pub nearly_due: bool,
    pub round: i32,
    pub complexity: Complexity,
    pub remote_area: bool,
    pub skip_level: bool,
    pub handled_before_by: Option<String>,
    pub forwarding_body: Option<String>,
    pub forwarding_doc_no: Option<String>,
    pub attachments: Vec<String>,
    pub origin: Option<LinkView>,
    pub derived: Vec<LinkView>,
    pub forwarded_to: Option<ForwardedView>,
    /// Ground of a refusal, archiving, guidance or suspension.
    pub outcome_note: Option<String>,
    pub result: Option<String>,
    pub conclusion: Option<Conclusion>,
    /// What the resolution recorded it recovers (đồng; m²) and the people whose rights it
    /// restored, where it did.
    pub recovered_money: Option<i64>,
    pub recovered_land_m2: Option<f64>,
    pub people_restored: Option<i32>,
    /// The field of its content (lĩnh vực), where classified.
    pub field: Option<crate::domain::petition::field::Field>,
    /// The day it was first processed (out of "received") and the day it entered resolution.
    pub processed_on: Option<NaiveDate>,
    pub accepted_on: Option<NaiveDate>,
    /// Working days from receipt to closing.
    pub working_days: Option<i32>,
    pub closed_on: Option<NaiveDate>,
    pub archive_until: Option<NaiveDate>,
    /// The petitioner, only for those the law allows (never a denouncer to others).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub petitioner: Option<PersonView>,
    /// Co-signatories and representatives, on the same terms.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parties: Option<Vec<PartyView>>,
    /// What the caller may do now.
    pub allowed_actions: Vec<Action>,
    /// The case went past a deadline and has no apology letter yet: the letter is offered
    /// (`POST /petitions/{id}/notices {"kind":"apology"}`). Detailed view only.
    pub apology_offered: bool,
    /// The caller may attach documents and photos to the case (`POST /petitions/{id}/attachments`:
    /// see `access::can_attach`). Detailed view only.
    pub may_attach: bool,
    /// Send back as `expected_version` to refuse acting on a stale copy. Every action moves it; a
    /// recomputation of the due dates after a holiday change does not (it is nobody's edit).
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Likely repeats found at intake.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warnings: Option<Vec<Warning>>,
}

/// A complaint's dialogue (ND 124/2020 Art. 28).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DialogueView {
    /// The day scheduled, and where.
    pub on: Option<NaiveDate>,
    pub place: Option<String>,
    /// The last day to send the invitation (5 days before).
    pub invitation_by: Option<NaiveDate>,
    /// The day it was held (its minutes are in the trail).
    pub held_on: Option<NaiveDate>,
}

/// The earlier decision or conclusion a second round is about.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EarlierDecisionView {
    pub number: String,
    pub date: NaiveDate,
    pub body: String,
    /// The day the petitioner received it.
    pub received_on: Option<NaiveDate>,
}

/// A co-signatory or representative.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PartyView {
    pub role: PartyRole,
    #[serde(flatten)]
    pub person: PersonView,
}

/// The view of `case` with its `clocks` shown, where it stands (`due`) and what the reader may do.
fn base(
    case: &petition::Model,
    clocks: Vec<DeadlineView>,
    due: Due,
    allowed_actions: Vec<Action>,
) -> PetitionView {
    let status = case.status;
    PetitionView {
        id: case.id,
        tracking_code: case.tracking_code.clone(),
        agency_id: case.agency_id,
        kind: case.kind,
        channel: case.channel,
        status,
        status_label: status.label_vi().to_owned(),
        received_on: case.received_on,
        received_by: case.received_by,
        subject: case.subject.clone(),
        content: None,
        anonymous: case.anonymous,
        signatories: case.signatories,
        signed: case.signed,
        earlier_decision: match (
            &case.earlier_decision_no,
            case.earlier_decision_on,
            &case.earlier_decision_body,
        ) {
            (Some(number), Some(date), Some(body)) => Some(EarlierDecisionView {
                number: number.clone(),
                date,
                body: body.clone(),
                received_on: case.earlier_decision_received_on,
            }),
            _ => None,
        },
        act_known_on: case.act_known_on,
        dialogue: (case.dialogue_on.is_some() || case.dialogue_held_on.is_some()).then(|| DialogueView {
            on: case.dialogue_on,
            place: case.dialogue_place.clone(),
            invitation_by: case.dialogue_on.map(|d| d - chrono::Days::new(DIALOGUE_NOTICE_DAYS)),
            held_on: case.dialogue_held_on,
        }),
        assignee_id: case.assignee_id,
        assignee_name: None,
        unit_id: case.unit_id,
        unit_name: None,
        leader_id: case.leader_id,
        leader_name: None,
        step: status.step_vi().to_owned(),
        expected_result: case.expected_result.clone(),
        deadlines: clocks,
        next_due: due.next,
        overdue: due.overdue,
        nearly_due: due.nearly_due,
        round: case.round,
        complexity: case.complexity,
        remote_area: case.remote_area,
        skip_level: case.skip_level,
        handled_before_by: case.handled_before_by.clone(),
        forwarding_body: case.forwarding_body.clone(),
        forwarding_doc_no: case.forwarding_doc_no.clone(),
        attachments: case.attachments.clone().map(JsonList::into_inner).unwrap_or_default(),
        origin: case.origin_id.zip(case.origin_relation).map(|(id, relation)| LinkView {
            id,
            relation,
            tracking_code: None,
        }),
        derived: vec![],
        forwarded_to: (case.forwarded_to_agency_id.is_some() || case.forwarded_to_body.is_some()).then(
            || ForwardedView {
                agency_id: case.forwarded_to_agency_id,
                body: case.forwarded_to_body.clone(),
                copy_id: case.forwarded_copy_id,
                result: case.forward_result.clone(),
                result_on: case.forward_result_on,
            },
        ),
        outcome_note: case.outcome_note.clone(),
        result: case.result.clone(),
        conclusion: case.conclusion,
        recovered_money: case.recovered_money,
        #[allow(clippy::cast_precision_loss)]
        recovered_land_m2: case.recovered_land_cm2.map(|c| c as f64 / 100.0),
        people_restored: case.people_restored,
        field: case.field,
        processed_on: case.processed_on,
        accepted_on: case.accepted_on,
        working_days: case.working_days,
        closed_on: case.closed_on,
        archive_until: case.archive_until,
        petitioner: None,
        parties: None,
        allowed_actions,
        apology_offered: false,
        may_attach: false,
        version: case.version,
        created_at: case.created_at,
        updated_at: case.updated_at,
        warnings: None,
    }
}

impl PetitionView {
    /// The detailed view of a case for its reader.
    pub fn detail(bundle: PetitionBundle) -> Self {
        let PetitionBundle { case, read, due, allowed_actions, apology_offered, may_attach } = bundle;
        let running: Vec<DeadlineView> = read
            .clocks
            .iter()
            .filter(|c| c.state.is_current())
            .map(|c| DeadlineView::of(c, due.today))
            .collect();
        let mut view = base(&case, running, due, allowed_actions);
        view.apology_offered = apology_offered;
        view.may_attach = may_attach;
        view.content = Some(read.content);
        view.assignee_name = read.assignee_name;
        view.unit_name = read.unit_name;
        view.leader_name = read.leader_name;
        view.derived = read
            .derived
            .into_iter()
            .map(|(id, relation, code)| LinkView { id, relation, tracking_code: Some(code) })
            .collect();
        if let Some(parties) = read.parties {
            view.petitioner =
                parties.iter().find(|p| p.role == PartyRole::Petitioner).map(|p| PersonView::from(&p.person));
            view.parties = Some(
                parties
                    .iter()
                    .filter(|p| p.role != PartyRole::Petitioner)
                    .map(|p| PartyView { role: p.role, person: PersonView::from(&p.person) })
                    .collect(),
            );
        }
        view
    }

    /// A list item: no content and never the petitioner, whatever the reader's rights.
    pub fn item(summary: PetitionSummary) -> Self {
        let PetitionSummary { case, clocks, assignee_name, unit_name, due, allowed_actions } = summary;
        let running = clocks.iter().map(|c| DeadlineView::of(c, due.today)).collect();
        let mut view = base(&case, running, due, allowed_actions);
        view.assignee_name = assignee_name;
        view.unit_name = unit_name;
        view
    }

    /// The view with the repeat warnings of its intake.
    pub fn with_warnings(mut self, warnings: Vec<Warning>) -> Self {
        self.warnings = Some(warnings);
        self
    }
}

/// One event of a case's audit trail.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventView {
    pub id: i64,
    pub seq: i32,
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub action: EventAction,
    pub from_status: Option<Status>,
    pub to_status: Option<Status>,
    /// The fields changed.
    #[schema(value_type = Object)]
    pub changes: serde_json::Value,
    pub prev_hash: String,
    pub hash: String,
}

impl From<petition_event::Model> for EventView {
    fn from(e: petition_event::Model) -> Self {
        Self {
            id: e.id,
            seq: e.seq,
            at: e.at,
            actor_id: e.actor_id,
            actor_name: e.actor_name,
            action: e.action,
            from_status: e.from_status,
            to_status: e.to_status,
            changes: serde_json::from_str(&e.changes).unwrap_or(serde_json::Value::Null),
            prev_hash: e.prev_hash,
            hash: e.hash,
        }
    }
}

impl DeadlineExplainedView {
    /// A clock with its explanation, read on `today`.
    pub fn of(clock: Explained, today: NaiveDate) -> Self {
        Self {
            deadline: DeadlineView::of(&clock.row, today),
            source: clock.source,
            unverified: clock.unverified,
            explanation: clock.explanation,
            skipped: clock.skipped,
        }
    }

    /// The clocks of a case with their explanations.
    pub fn list(clocks: PetitionClocks) -> Vec<Self> {
        let today = clocks.today;
        clocks.clocks.into_iter().map(|c| Self::of(c, today)).collect()
    }
}

/// One line of the public history: when the status changed, and to what.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicHistoryView {
    pub at: DateTime<Utc>,
    pub status: Status,
}

/// What anyone with the tracking code sees, and nothing else: no names, no identity numbers, no
/// content.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicPetitionView {
    pub tracking_code: String,
    pub kind: Kind,
    pub status: Status,
    pub received_on: NaiveDate,
    /// The next due date while the case is open.
    pub due: Option<NaiveDate>,
    pub history: Vec<PublicHistoryView>,
    /// The public steps, oldest first: date, step, what it was in Vietnamese and, where the law
    /// allows, why or what came of it.
    pub timeline: Vec<PublicStepView>,
}

/// A public step of a case.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicStepView {
    pub on: NaiveDate,
    pub step: crate::domain::petition::EventAction,
    pub label: String,
    pub note: Option<String>,
}

impl From<Tracked> for PublicPetitionView {
    fn from(t: Tracked) -> Self {
        Self {
            tracking_code: t.tracking_code,
            kind: t.kind,
            status: t.status,
            received_on: t.received_on,
            due: t.due,
            history: t.history.into_iter().map(|(at, status)| PublicHistoryView { at, status }).collect(),
            timeline: t
                .timeline
                .into_iter()
                .map(|s| PublicStepView { on: s.on, step: s.step, label: s.label, note: s.note })
                .collect(),
        }
    }
}

/// A citizen's own petition in their list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyPetitionView {
    pub tracking_code: String,
    pub kind: Kind,
    pub status: Status,
    pub status_label: String,
    pub received_on: NaiveDate,
    pub subject: String,
    pub due: Option<NaiveDate>,
}

impl From<OwnPetition> for MyPetitionView {
    fn from(OwnPetition { case, due }: OwnPetition) -> Self {
        let status = case.status;
        Self {
            due,
            tracking_code: case.tracking_code,
            kind: case.kind,
            status,
            status_label: status.label_vi().to_owned(),
            received_on: case.received_on,
            subject: case.subject,
        }
    }
}

/// Who read a petitioner's identity, and when.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IdentityAccessView {
    pub user_id: i64,
    pub user_name: Option<String>,
    pub at: DateTime<Utc>,
    pub purpose: ReadPurpose,
}

impl From<(identity_access::Model, Option<String>)> for IdentityAccessView {
    fn from((read, user_name): (identity_access::Model, Option<String>)) -> Self {
        Self { user_id: read.user_id, user_name, at: read.at, purpose: read.purpose }
    }
}

/// The receipt of a portal filing.
#[derive(Debug, Serialize, ToSchema)]
pub struct FiledView {
    /// Keep it: it is the only way to follow the case without an account.
    pub tracking_code: String,
    /// The case's permanent tracking page, printed on the receipt with its QR code
    /// (`GET /api/v1/public/petitions/{tracking_code}/qr`).
    pub tracking_url: String,
    pub received_on: NaiveDate,
    pub status: Status,
}

impl FiledView {
    /// The receipt of `case`, its link under the register's public address.
    pub fn of(case: petition::Model, public_url: &str) -> Self {
        Self {
            tracking_url: crate::views::qr::tracking_url(public_url, &case.tracking_code),
            tracking_code: case.tracking_code,
            received_on: case.received_on,
            status: case.status,
        }
    }
}

/// A recorded rating.
#[derive(Debug, Serialize, ToSchema)]
pub struct RatingView {
    pub score: i16,
    pub comment: Option<String>,
    pub at: DateTime<Utc>,
}

impl From<petition_rating::Model> for RatingView {
    fn from(r: petition_rating::Model) -> Self {
        Self { score: r.score, comment: r.comment, at: r.at }
    }
}
