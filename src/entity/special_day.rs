//! `special_day`: holidays, days off and swapped-in working days entered by an administrator;
//! they win over the computed and published defaults.

use sea_orm::entity::prelude::*;

use crate::domain::calendar::DayKind;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "special_day")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub date: Date,
    pub kind: DayKind,
    pub name: String,
    pub updated_by: Option<i64>,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
