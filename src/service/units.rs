//! Units of an agency.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::{
    domain::{
        agency::{CreateUnitRequest, UpdateUnitRequest},
        page::{Page, PageParams},
    },
    entity::unit,
    error::{AppError, AppResult},
    service::{access::accounts::agency_in_view, agencies, context::Ctx},
};

fn code_taken() -> AppError {
    AppError::conflict("unit_code_taken", "Mã đơn vị đã được sử dụng trong cơ quan này.")
}

/// A unit code is unique in its agency: the database's refusal says which field.
fn code_conflict(e: sea_orm::DbErr) -> AppError {
    match AppError::from(e) {
        AppError::Conflict { code: "duplicate", .. } => code_taken(),
        other => other,
    }
}

/// Creates a unit of the caller's agency, or of the agency the admin names.
pub async fn create(ctx: &Ctx, form: CreateUnitRequest) -> AppResult<unit::Model> {
    let new = form.parse()?;
    let agency_id = match new.agency_id {
        Some(id) => agencies::named_in(ctx.reader(), "agency_id", id).await?.id,
        None => ctx.user.require_staff()?,
    };
    let model = unit::ActiveModel {
        agency_id: Set(agency_id),
        name: Set(new.name),
        code: Set(new.code.into_inner()),
        created_at: Set(ctx.now),
        ..Default::default()
    };
    model.insert(ctx.writer()).await.map_err(code_conflict)
}

/// Renames or recodes a unit of the caller's agency.
pub async fn update(ctx: &Ctx, id: i64, form: UpdateUnitRequest) -> AppResult<unit::Model> {
    let agency_id = ctx.user.require_staff()?;
    let changes = form.parse()?;
    let current = find(ctx.writer(), agency_id, id).await?;
    let mut model: unit::ActiveModel = current.into();
    if let Some(name) = changes.name {
        model.name = Set(name);
    }
    if let Some(code) = changes.code {
        model.code = Set(code.into_inner());
    }
    model.update(ctx.writer()).await.map_err(code_conflict)
}

/// One unit of the caller's agency.
pub async fn get(ctx: &Ctx, id: i64) -> AppResult<unit::Model> {
    find(ctx.reader(), ctx.user.require_staff()?, id).await
}

/// A unit of `agency_id` (404 for another agency's).
pub async fn find(db: &impl sea_orm::ConnectionTrait, agency_id: i64, id: i64) -> AppResult<unit::Model> {
    unit::Entity::find_by_id(id)
        .filter(unit::Column::AgencyId.eq(agency_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// A page of the units of the caller's agency (the admin may ask another's), by name.
pub async fn list(ctx: &Ctx, agency_id: Option<i64>, page: PageParams) -> AppResult<Page<unit::Model>> {
    ctx.user.require_staff()?;
    let page = page.checked()?;
    let agency_id = agency_in_view(&ctx.user, agency_id);
    let db = ctx.reader();
    let query = unit::Entity::find().filter(unit::Column::AgencyId.eq(agency_id));
    let total = query.clone().count(db).await?;
    let items = query
        .order_by_asc(unit::Column::Name)
        .order_by_asc(unit::Column::Id)
        .offset(page.offset())
        .limit(page.per_page)
        .all(db)
        .await?;
    Ok(Page::new(items, total, page))
}
