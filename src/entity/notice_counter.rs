//! `notice_counter`: the last number an agency gave its written notices in a year.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notice_counter")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub agency_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub doc_year: i32,
    pub last_no: i32,
}

impl ActiveModelBehavior for ActiveModel {}
