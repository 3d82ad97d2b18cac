//! Accounts: login, citizen self-registration, and the admin's management of staff.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait},
};

use crate::{
    auth::{AuthUser, Role, jwt::JwtKeys, password::PasswordHasher},
    domain::validate::{Email, Password, PersonName, Phone, Username},
    entity::{unit, user},
    error::{AppError, AppResult},
    http::extract::PageRequest,
};

/// A checked new account.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub username: Username,
    pub password: Password,
    pub full_name: PersonName,
    pub role: Role,
    pub agency_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub phone: Option<Phone>,
    pub email: Option<Email>,
}

/// Checked changes to an account.
#[derive(Debug, Clone, Default)]
pub struct AccountChanges {
    pub full_name: Option<PersonName>,
    pub role: Option<Role>,
    /// `Some(None)` clears the unit.
    pub unit_id: Option<Option<i64>>,
    pub active: Option<bool>,
    pub phone: Option<Option<Phone>>,
    pub email: Option<Option<Email>>,
}

/// Filters of the staff list.
#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    pub role: Option<Role>,
    pub unit_id: Option<i64>,
    pub agency_id: Option<i64>,
    pub active: Option<bool>,
}

fn invalid_credentials() -> AppError {
    AppError::unauthorized("invalid_credentials", "Tên đăng nhập hoặc mật khẩu không đúng.")
}

/// Checks a username and password; the same answer, in similar time, for an unknown user and a
/// wrong password.
pub async fn login(
    db: &impl ConnectionTrait,
    hasher: &PasswordHasher,
    jwt: &JwtKeys,
    username: &str,
    password: &str,
    now: DateTime<Utc>,
) -> AppResult<(String, user::Model)> {
    let account = match Username::parse(username) {
        Ok(name) => user::Entity::find().filter(user::Column::Username.eq(name.as_str())).one(db).await?,
        Err(_) => None,
    };
    let ok = hasher.verify(password, account.as_ref().map(|a| a.password_hash.as_str())).await?;
    let account = match (ok, account) {
        (true, Some(account)) => account,
        _ => return Err(invalid_credentials()),
    };
    if !account.active {
        return Err(AppError::unauthorized("account_disabled", "Tài khoản đã bị khóa."));
    }
    let token = jwt.issue(account.id, account.token_version, now)?;
    Ok((token, account))
}

/// Checks that `unit_id` belongs to `agency_id`.
async fn check_unit(
    db: &impl ConnectionTrait,
    unit_id: Option<i64>,
    agency_id: Option<i64>,
) -> AppResult<()> {
    let Some(unit_id) = unit_id else { return Ok(()) };
    let found = unit::Entity::find_by_id(unit_id).one(db).await?;
    match (found, agency_id) {
        (Some(u), Some(agency)) if u.agency_id == agency => Ok(()),
        _ => Err(AppError::field("unit_id", "Đơn vị không tồn tại trong cơ quan này.")),
    }
}

/// Creates an account with an already computed password hash (hash before opening the write).
pub async fn create(
    db: &impl ConnectionTrait,
    account: NewAccount,
    password_hash: String,
    now: DateTime<Utc>,
) -> AppResult<user::Model> {
    if account.role.is_staff() && account.agency_id.is_none() {
        return Err(AppError::field("agency_id", "Cán bộ phải thuộc một cơ quan."));
    }
    let (agency_id, unit_id) =
        if account.role.is_staff() { (account.agency_id, account.unit_id) } else { (None, None) };
    check_unit(db, unit_id, agency_id).await?;
    let model = user::ActiveModel {
        username: Set(account.username.into_inner()),
        password_hash: Set(password_hash),
        full_name: Set(account.full_name.into_inner()),
        role: Set(account.role),
        agency_id: Set(agency_id),
        unit_id: Set(unit_id),
        phone: Set(account.phone.map(Phone::into_inner)),
        email: Set(account.email.map(Email::into_inner)),
        active: Set(true),
        token_version: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    let created = model.insert(db).await.map_err(|e| match AppError::from(e) {
        AppError::Conflict { code: "duplicate", .. } => {
            AppError::conflict("username_taken", "Tên đăng nhập đã được sử dụng.")
        }
        other => other,
    })?;
    // A chairman gets the default reception schedule at once (domain.md §3).
    crate::service::reception::schedules::sync_for_user(db, &created, now).await?;
    Ok(created)
}

/// Whether `actor` may see the account `target`.
fn can_see(actor: &AuthUser, target: &user::Model) -> bool {
    actor.id == target.id
        || actor.is(Role::Admin)
        || (matches!(actor.role, Role::Chairman | Role::UnitHead | Role::Inspector | Role::Receptionist)
            && target.agency_id.is_some()
            && target.agency_id == actor.agency_id)
}

/// One account, if the actor may see it.
pub async fn get(db: &impl ConnectionTrait, actor: &AuthUser, id: i64) -> AppResult<user::Model> {
    let found = user::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    if can_see(actor, &found) { Ok(found) } else { Err(AppError::NotFound) }
}

/// Staff of the actor's agency (an admin may name another agency), by name.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &AuthUser,
    filter: UserFilter,
    page: PageRequest,
) -> AppResult<(Vec<user::Model>, u64)> {
    let agency = if actor.is(Role::Admin) { filter.agency_id.or(actor.agency_id) } else { actor.agency_id };
    let mut query = user::Entity::find();
    query = match (actor.is(Role::Admin), filter.role) {
        // Only the admin lists citizens' accounts (they belong to no agency).
        (true, Some(Role::Citizen)) => query.filter(user::Column::AgencyId.is_null()),
        (_, role) => {
            let q = query.filter(user::Column::AgencyId.eq(agency));
            match role {
                Some(r) => q.filter(user::Column::Role.eq(r.as_str())),
                None => q,
            }
        }
    };
    if let Some(unit) = filter.unit_id {
        query = query.filter(user::Column::UnitId.eq(unit));
    }
    if let Some(active) = filter.active {
        query = query.filter(user::Column::Active.eq(active));
    }
    let total = query.clone().count(db).await?;
    let items = query
        .order_by_asc(user::Column::FullName)
        .order_by_asc(user::Column::Id)
        .offset(page.offset())
        .limit(page.per_page)
        .all(db)
        .await?;
    Ok((items, total))
}

/// Counts active admins other than `except`.
async fn other_active_admins(db: &impl ConnectionTrait, except: i64) -> AppResult<u64> {
    Ok(user::Entity::find()
        .filter(user::Column::Role.eq(Role::Admin))
        .filter(user::Column::Active.eq(true))
        .filter(user::Column::Id.ne(except))
        .count(db)
        .await?)
}

/// Applies an admin's changes. Deactivation revokes the account's tokens at once; the last
/// active admin cannot be demoted or deactivated (nobody could administer the register).
pub async fn update(
    db: &impl ConnectionTrait,
    id: i64,
    changes: AccountChanges,
    now: DateTime<Utc>,
) -> AppResult<user::Model> {
    let current = user::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let was_admin = current.role == Role::Admin && current.active;
    let stays_admin =
        changes.role.map_or(was_admin, |r| r == Role::Admin) && changes.active.unwrap_or(current.active);
    if was_admin && !stays_admin && other_active_admins(db, id).await? == 0 {
        return Err(AppError::conflict(
            "last_admin",
            "Không thể khóa hoặc đổi vai trò của quản trị viên cuối cùng.",
        ));
    }
    let new_role = changes.role.unwrap_or(current.role);
    let unit_id = changes.unit_id.unwrap_or(current.unit_id);
    if new_role.is_staff() {
        if current.agency_id.is_none() {
            return Err(AppError::field("role", "Tài khoản công dân không thể chuyển thành cán bộ."));
        }
        check_unit(db, unit_id, current.agency_id).await?;
    } else if current.agency_id.is_some() {
        return Err(AppError::field("role", "Tài khoản cán bộ không thể chuyển thành công dân."));
    }

    let deactivating = changes.active == Some(false) && current.active;
    let mut model: user::ActiveModel = current.clone().into();
    if let Some(name) = changes.full_name {
        model.full_name = Set(name.into_inner());
    }
    if let Some(role) = changes.role {
        model.role = Set(role);
    }
    if changes.unit_id.is_some() {
        model.unit_id = Set(unit_id);
    }
    if let Some(active) = changes.active {
        model.active = Set(active);
    }
    if let Some(phone) = changes.phone {
        model.phone = Set(phone.map(Phone::into_inner));
    }
    if let Some(email) = changes.email {
        model.email = Set(email.map(Email::into_inner));
    }
    if deactivating {
        model.token_version = Set(current.token_version + 1);
    }
    model.updated_at = Set(now);
    let updated = model.update(db).await?;
    // Becoming (or ceasing to be) an active chairman switches the reception schedule on (or off).
    crate::service::reception::schedules::sync_for_user(db, &updated, now).await?;
    Ok(updated)
}

/// Replaces an account's password hash and revokes its tokens.
pub async fn set_password_hash(
    db: &impl ConnectionTrait,
    id: i64,
    password_hash: String,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let result = user::Entity::update_many()
        .col_expr(user::Column::PasswordHash, Expr::value(password_hash))
        .col_expr(user::Column::TokenVersion, Expr::col(user::Column::TokenVersion).add(1))
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(id))
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Finds an account by id.
pub async fn find(db: &impl ConnectionTrait, id: i64) -> AppResult<user::Model> {
    user::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)
}
