//! `deadline`: one statutory clock of a case, with everything needed to recompute its due date.

use sea_orm::entity::prelude::*;

use super::json::JsonList;
use crate::domain::deadline::{ClockId, ClockState, Complexity, DayUnit, Pause, RuleSetId};

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deadline")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub petition_id: i64,
    pub clock: ClockId,
    pub rule_set: RuleSetId,
    pub start_on: Date,
    pub unit: DayUnit,
    pub limit_days: i32,
    pub complexity: Complexity,
    pub remote_area: bool,
    /// Extension lengths in days, in the order granted.
    pub extensions: JsonList<u32>,
    /// Suspensions, `{"from","to"}`.
    pub pauses: JsonList<Pause>,
    pub due_on: Date,
    pub paused: bool,
    pub state: ClockState,
    pub ended_on: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    #[sea_orm(belongs_to, from = "petition_id", to = "id")]
    pub petition: HasOne<super::petition::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
