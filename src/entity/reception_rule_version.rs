//! `reception_rule_version`: a head's schedule rule as it stood from a civil day on (one row per
//! head and day). The occurrences of a day are those of the version in force on it.

use sea_orm::entity::prelude::*;

use crate::domain::reception::{Every, OnHoliday};

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reception_rule_version")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub host_id: i64,
    pub agency_id: i64,
    /// The first civil day (UTC+7) this version governs, by the occurrences' own dates.
    pub effective_from: Date,
    /// ISO weekday, 1 = Monday … 7 = Sunday.
    pub weekday: i16,
    pub every: Every,
    pub week_of_month: Option<i16>,
    pub on_holiday: OnHoliday,
    pub location: Option<String>,
    /// The hours of reception, as people write them ("Sáng 7 giờ 30 – 11 giờ 30"; migration 000025).
    pub hours: Option<String>,
    /// `false`: no periodic sessions from this day (the head stopped being one).
    pub active: bool,
    /// Why a chairman's schedule below the legal minimum was set all the same (migration 000016).
    pub below_minimum_reason: Option<String>,
    pub recorded_by: Option<i64>,
    pub recorded_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
