//! How an agency is shown.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{domain::agency::AgencyLevel, entity::agency};

/// A People's Committee.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgencyView {
    pub id: i64,
    pub name: String,
    pub level: AgencyLevel,
    pub parent_id: Option<i64>,
    pub created_at: DateTime<Utc>,
}

impl From<agency::Model> for AgencyView {
    fn from(m: agency::Model) -> Self {
        Self { id: m.id, name: m.name, level: m.level, parent_id: m.parent_id, created_at: m.created_at }
    }
}
