//! How a unit is shown.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::entity::unit;

/// A unit of an agency.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitView {
    pub id: i64,
    pub agency_id: i64,
    pub name: String,
    pub code: String,
    pub created_at: DateTime<Utc>,
}

impl From<unit::Model> for UnitView {
    fn from(m: unit::Model) -> Self {
        Self { id: m.id, agency_id: m.agency_id, name: m.name, code: m.code, created_at: m.created_at }
    }
}
