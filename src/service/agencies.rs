//! Agencies (People's Committees) known to this register.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait, PaginatorTrait, QueryOrder, QuerySelect,
};

use crate::{
    domain::agency::AgencyLevel,
    entity::agency,
    error::{AppError, AppResult},
    http::extract::PageRequest,
};

/// Creates an agency, optionally under a parent (a commune under its province).
pub async fn create(
    db: &impl ConnectionTrait,
    name: String,
    level: AgencyLevel,
    parent_id: Option<i64>,
    now: DateTime<Utc>,
) -> AppResult<agency::Model> {
    if let Some(parent) = parent_id
        && agency::Entity::find_by_id(parent).one(db).await?.is_none()
    {
        return Err(AppError::field("parent_id", "Cơ quan cấp trên không tồn tại."));
    }
    let model = agency::ActiveModel {
        name: Set(name),
        level: Set(level),
        parent_id: Set(parent_id),
        created_at: Set(now),
        ..Default::default()
    };
    Ok(model.insert(db).await?)
}

/// One agency.
pub async fn get(db: &impl ConnectionTrait, id: i64) -> AppResult<agency::Model> {
    agency::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)
}

/// A page of every agency, oldest first, with the total count.
pub async fn list(db: &impl ConnectionTrait, page: PageRequest) -> AppResult<(Vec<agency::Model>, u64)> {
    let total = agency::Entity::find().count(db).await?;
    let items = agency::Entity::find()
        .order_by_asc(agency::Column::Id)
        .offset(page.offset())
        .limit(page.per_page)
        .all(db)
        .await?;
    Ok((items, total))
}
