//! `reception_rule`: when a head holds his own periodic sessions (one row per head).

use sea_orm::entity::prelude::*;

use crate::domain::reception::{Every, OnHoliday};

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reception_rule")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub host_id: i64,
    pub agency_id: i64,
    /// ISO weekday, 1 = Monday … 7 = Sunday.
    pub weekday: i16,
    pub every: Every,
    /// For monthly rules: the n-th such weekday of the month (1–4), default the first.
    pub week_of_month: Option<i16>,
    pub on_holiday: OnHoliday,
    pub location: Option<String>,
    /// The hours of reception, as people write them ("Sáng 7 giờ 30 – 11 giờ 30"; migration 000025).
    pub hours: Option<String>,
    pub active: bool,
    /// Why a chairman's schedule below the legal minimum was set all the same (migration 000016).
    pub below_minimum_reason: Option<String>,
    pub updated_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    #[sea_orm(belongs_to, from = "host_id", to = "id")]
    pub host: HasOne<super::user::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
