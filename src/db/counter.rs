//! Numbers given in sequence per agency and year (the reception book's lines, written notices):
//! a counter row per key, created at zero when missing and incremented in the caller's
//! transaction. The increment locks the row on PostgreSQL until the transaction ends (SQLite has
//! one writer), so two writers never take the same number, and a rolled-back step gives its number
//! back.

use sea_orm::{
    ActiveModelTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
    sea_query::{Expr, ExprTrait},
};

use crate::error::{AppError, AppResult};

/// The next number of the counter row `key` of entity `E`, whose column `last` holds the last one
/// given; `fresh` is the row to create (at zero) when there is none yet.
pub async fn next<E>(
    db: &impl ConnectionTrait,
    fresh: E::ActiveModel,
    last: E::Column,
    key: Condition,
) -> AppResult<i32>
where
    E: EntityTrait,
    E::ActiveModel: ActiveModelTrait<Entity = E>,
{
    E::insert(fresh).on_conflict_do_nothing().exec_without_returning(db).await?;
    E::update_many().col_expr(last, Expr::col(last).add(1)).filter(key.clone()).exec(db).await?;
    E::find()
        .select_only()
        .column(last)
        .filter(key)
        .into_tuple::<i32>()
        .one(db)
        .await?
        .ok_or_else(|| AppError::internal("a counter row went missing"))
}
