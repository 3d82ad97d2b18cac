//! `login_throttle`: wrong passwords counted per account and per client address, and the lock
//! they earned (`service::throttle`).

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "login_throttle")]
pub struct Model {
    /// `account:<username>` or `client:<address>`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    /// Wrong passwords since `window_start`.
    pub failures: i32,
    pub window_start: DateTimeUtc,
    /// No sign-in is tried for this key before then.
    pub locked_until: Option<DateTimeUtc>,
}

impl ActiveModelBehavior for ActiveModel {}
