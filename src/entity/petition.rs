//! `petition`: one case of the register. The petitioner's identity is not here but in
//! `petition_party` (§6 rule 1: identity in a separate store); its search words are in the
//! full-text index (`petition_fts` on SQLite, `petition_search` on PostgreSQL).

use sea_orm::entity::prelude::*;

use super::json::JsonList;
use crate::domain::{
    deadline::{Complexity, RuleSetId},
    petition::{Channel, Conclusion, Kind, OriginRelation, Status},
};

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "petition")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub agency_id: i64,
    #[sea_orm(unique)]
    pub tracking_code: String,
    pub kind: Kind,
    pub channel: Channel,
    pub status: Status,
    pub received_on: Date,
    pub received_by: Option<i64>,
    pub citizen_user_id: Option<i64>,
    pub subject: String,
    pub anonymous: bool,
    pub signatories: i32,
    pub forwarding_body: Option<String>,
    pub forwarding_doc_no: Option<String>,
    /// Descriptions of the documents handed over.
    pub attachments: Option<JsonList<String>>,
    pub skip_level: bool,
    pub handled_before_by: Option<String>,
    pub round: i32,
    pub complexity: Complexity,
    pub remote_area: bool,
    pub assignee_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub leader_id: Option<i64>,
    pub expected_result: Option<String>,
    pub origin_id: Option<i64>,
    pub origin_relation: Option<OriginRelation>,
    /// The first petition of the family this one was made from (`None`: it is the first).
    pub family_id: Option<i64>,
    /// The family's confidentiality: set once any member, or a visit about one, is a
    /// denunciation; the strictest identity rule then covers every member.
    pub confidential: bool,
    pub forwarded_to_agency_id: Option<i64>,
    pub forwarded_copy_id: Option<i64>,
    pub forwarded_to_body: Option<String>,
    pub outcome_note: Option<String>,
    pub result: Option<String>,
    pub conclusion: Option<Conclusion>,
    pub closed_on: Option<Date>,
    pub archive_until: Option<Date>,
    pub forward_result: Option<String>,
    pub forward_result_on: Option<Date>,
    /// Signed or fingerprinted by the petitioner.
    pub signed: bool,
    /// What a second round is about: the earlier decision's (or conclusion's) number, date, body,
    /// and the day the petitioner received it.
    pub earlier_decision_no: Option<String>,
    pub earlier_decision_on: Option<Date>,
    pub earlier_decision_body: Option<String>,
    pub earlier_decision_received_on: Option<Date>,
    /// A complaint: the day the complainant learned of the act complained of.
    pub act_known_on: Option<Date>,
    /// A complaint's dialogue: the day and place scheduled, the day it was held.
    pub dialogue_on: Option<Date>,
    pub dialogue_place: Option<String>,
    pub dialogue_held_on: Option<Date>,
    pub rule_set: RuleSetId,
    /// The inbox's sort key, kept on every write that changes the case's clocks or status
    /// (`service::deadlines::refresh_inbox`): while open, the earliest due date of its running,
    /// unpaused clocks (9999-12-31 when none); `None` once closed.
    pub inbox_due_on: Option<Date>,
    /// The day and the step that took it out of "received" (the reports' "processed").
    pub processed_on: Option<Date>,
    pub processed_action: Option<crate::domain::petition::EventAction>,
    /// The day it entered resolution (accepted, or resolved at once).
    pub accepted_on: Option<Date>,
    /// Working days from receipt to closing, on the calendar of the day it closed.
    pub working_days: Option<i32>,
    pub field: Option<crate::domain::petition::field::Field>,
    /// What its resolution recorded: money to recover (VND), land to recover (hundredths of a
    /// m²), people whose rights were restored.
    pub recovered_money: Option<i64>,
    pub recovered_land_cm2: Option<i64>,
    pub people_restored: Option<i32>,
    /// Destroyed after its retention (TT 05/2021 Art. 28(2)): when, by whom, on which decision
    /// (number, date). The row stays as the register's line of the case; its content, parties and
    /// attachments are gone.
    pub destroyed_at: Option<DateTimeUtc>,
    pub destroyed_by: Option<i64>,
    pub destruction_decision_no: Option<String>,
    pub destruction_decision_on: Option<Date>,
    pub version: i32,
    pub event_head: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    #[sea_orm(belongs_to, from = "agency_id", to = "id")]
    pub agency: HasOne<super::agency::Entity>,
    #[sea_orm(belongs_to, relation_enum = "Assignee", from = "assignee_id", to = "id")]
    pub assignee: HasOne<super::user::Entity>,
    #[sea_orm(belongs_to, from = "unit_id", to = "id")]
    pub unit: HasOne<super::unit::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
