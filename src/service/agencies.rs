//! Agencies (People's Committees) known to this register.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, PaginatorTrait, QueryOrder, QuerySelect};

use crate::{
    domain::{
        agency::CreateAgencyRequest,
        page::{Page, PageParams},
    },
    entity::agency,
    error::{AppError, AppResult},
    service::context::Ctx,
};

/// Registers an agency, optionally under a parent (a commune under its province).
pub async fn create(ctx: &Ctx, form: CreateAgencyRequest) -> AppResult<agency::Model> {
    let new = form.parse()?;
    if let Some(parent) = new.parent_id
        && agency::Entity::find_by_id(parent).one(ctx.reader()).await?.is_none()
    {
        return Err(AppError::field("parent_id", "Cơ quan cấp trên không tồn tại."));
    }
    let model = agency::ActiveModel {
        name: Set(new.name),
        level: Set(new.level),
        parent_id: Set(new.parent_id),
        created_at: Set(ctx.now),
        ..Default::default()
    };
    Ok(model.insert(ctx.writer()).await?)
}

/// One agency.
pub async fn get(ctx: &Ctx, id: i64) -> AppResult<agency::Model> {
    find(ctx.reader(), id).await
}

/// An agency by id, on `db` (for other use cases).
pub async fn find(db: &impl sea_orm::ConnectionTrait, id: i64) -> AppResult<agency::Model> {
    agency::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)
}

/// An agency named in a body's field `field`: 422 on that field when there is none.
pub async fn named_in(db: &impl sea_orm::ConnectionTrait, field: &str, id: i64) -> AppResult<agency::Model> {
    agency::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::field(field, "Cơ quan không tồn tại."))
}

/// A page of every agency, oldest first.
pub async fn list(ctx: &Ctx, page: PageParams) -> AppResult<Page<agency::Model>> {
    let page = page.checked()?;
    let db = ctx.reader();
    let total = agency::Entity::find().count(db).await?;
    let items = agency::Entity::find()
        .order_by_asc(agency::Column::Id)
        .offset(page.offset())
        .limit(page.per_page)
        .all(db)
        .await?;
    Ok(Page::new(items, total, page))
}
