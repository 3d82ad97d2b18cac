//! How the retention lists and the register of destroyed cases are shown.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    domain::petition::{Kind, Status},
    entity::petition,
};

/// An archived case whose keeping has ended: for the head's decision.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DueCaseView {
    pub id: i64,
    pub tracking_code: String,
    pub kind: Kind,
    pub status: Status,
    pub subject: String,
    pub received_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    /// The last day of its keeping (the archiving day plus one year): due from that day.
    pub archive_until: Option<NaiveDate>,
}

impl From<petition::Model> for DueCaseView {
    fn from(m: petition::Model) -> Self {
        Self {
            id: m.id,
            tracking_code: m.tracking_code,
            kind: m.kind,
            status: m.status,
            subject: m.subject,
            received_on: m.received_on,
            closed_on: m.closed_on,
            archive_until: m.archive_until,
        }
    }
}

/// The register's line of a destroyed case: what is kept of it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DestroyedLineView {
    pub id: i64,
    pub tracking_code: String,
    pub kind: Kind,
    pub received_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    /// The head's decision: its number and date.
    pub decision_no: Option<String>,
    pub decision_on: Option<NaiveDate>,
    /// Who carried it out, and when.
    pub destroyed_by: Option<i64>,
    pub destroyed_by_name: Option<String>,
    pub destroyed_at: Option<DateTime<Utc>>,
}

impl DestroyedLineView {
    /// The line of `m`, with the names of who carried destructions out.
    pub fn of(m: petition::Model, names: &HashMap<i64, String>) -> Self {
        Self {
            id: m.id,
            tracking_code: m.tracking_code,
            kind: m.kind,
            received_on: m.received_on,
            closed_on: m.closed_on,
            decision_no: m.destruction_decision_no,
            decision_on: m.destruction_decision_on,
            destroyed_by_name: m.destroyed_by.and_then(|id| names.get(&id).cloned()),
            destroyed_by: m.destroyed_by,
            destroyed_at: m.destroyed_at,
        }
    }
}

/// What a destruction did: the lines of the cases it destroyed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DestructionView {
    pub destroyed: Vec<DestroyedLineView>,
}
