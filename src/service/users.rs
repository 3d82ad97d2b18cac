//! Accounts: login, citizen self-registration, and the admin's management of staff. Accounts are
//! written with their identity sealed and read back opened (`service::identity`): every account
//! a use case returns is opened.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait},
};

use crate::{
    auth::Role,
    crypto::Sealer,
    domain::{
        account::{
            AccountChanges, CreateUserRequest, ListUsersQuery, LoginRequest, NewAccount, PasswordRequest,
            RegisterRequest, UpdateUserRequest,
        },
        oversight::AccountAction,
        page::{Page, PageParams},
        validate::{Email, Phone, Username},
    },
    entity::{revoked_token, unit, user},
    error::{AppError, AppResult},
    service::{
        access::accounts::{
            agency_in_view, can_list_citizens, can_see_account, can_set_password, needs_old_password,
        },
        agencies,
        audit::Actor,
        context::{Context, Ctx},
        identity, login_throttle,
        oversight::account_events,
        reception,
    },
};

fn invalid_credentials() -> AppError {
    AppError::unauthorized("invalid_credentials", "Tên đăng nhập hoặc mật khẩu không đúng.")
}

/// A signed-in session: the token and when it stops working.
#[derive(Debug, Clone)]
pub struct Session {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub account: user::Model,
}

/// Checks a username and password; the same answer, in similar time, for an unknown user and a
/// wrong password.
pub async fn login(ctx: &Context<()>, form: LoginRequest, client: std::net::IpAddr) -> AppResult<Session> {
    // A locked account or address is refused before any password is hashed.
    let attempt = login_throttle::Attempt::new(&form.username, client);
    let counted = login_throttle::check(ctx.reader(), &attempt, ctx.now).await?;
    let account = match Username::parse(&form.username) {
        Ok(name) => {
            user::Entity::find().filter(user::Column::Username.eq(name.as_str())).one(ctx.reader()).await?
        }
        Err(_) => None,
    };
    let ok =
        ctx.passwords().verify(&form.password, account.as_ref().map(|a| a.password_hash.as_str())).await?;
    let account = match (ok, account) {
        (true, Some(account)) => account,
        _ => {
            login_throttle::failed(ctx.writer(), &attempt, ctx.now).await?;
            return Err(invalid_credentials());
        }
    };
    if counted {
        login_throttle::succeeded(ctx.writer(), &attempt).await?;
    }
    if !account.active {
        return Err(AppError::unauthorized("account_disabled", "Tài khoản đã bị khóa."));
    }
    let token = ctx.jwt().issue(account.id, account.token_version, ctx.now)?;
    let account = identity::open_account(&ctx.keys().data, account)?;
    Ok(Session { token, expires_at: ctx.now + ctx.jwt().ttl(), account })
}

/// Ends the sign-in of `token`: its id is listed as revoked until it would have expired, so that
/// every server refuses it from now on. A token that no longer holds has nothing to end. Expired
/// entries are forgot a few at a time.
pub async fn sign_out(
    db: &impl sea_orm::ConnectionTrait,
    jwt: &crate::auth::jwt::JwtKeys,
    token: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    use sea_orm::sea_query::OnConflict;
    let Ok(claims) = jwt.verify(token, now) else { return Ok(()) };
    let Some(jti) = claims.jti else { return Ok(()) };
    let expires_at = DateTime::from_timestamp(claims.exp, 0).unwrap_or(now);
    let row = revoked_token::ActiveModel { jti: Set(jti), expires_at: Set(expires_at) };
    revoked_token::Entity::insert(row)
        .on_conflict(OnConflict::column(revoked_token::Column::Jti).do_nothing().to_owned())
        .exec_without_returning(db)
        .await?;
    let stale: Vec<String> = revoked_token::Entity::find()
        .select_only()
        .column(revoked_token::Column::Jti)
        .filter(revoked_token::Column::ExpiresAt.lt(now))
        .order_by_asc(revoked_token::Column::ExpiresAt)
        .limit(100)
        .into_tuple()
        .all(db)
        .await?;
    if !stale.is_empty() {
        revoked_token::Entity::delete_many().filter(revoked_token::Column::Jti.is_in(stale)).exec(db).await?;
    }
    Ok(())
}

/// The signed-in user's own account.
pub async fn me(ctx: &Ctx) -> AppResult<user::Model> {
    identity::open_account(&ctx.keys().data, find(ctx.reader(), ctx.user.id).await?)
}

/// A citizen creates an account to follow their petitions.
pub async fn register(ctx: &Context<()>, form: RegisterRequest) -> AppResult<user::Model> {
    let account = form.parse()?;
    create_account(ctx, account, None).await
}

/// The admin creates an account: staff of the admin's agency, or of the agency named.
pub async fn create(ctx: &Ctx, form: CreateUserRequest) -> AppResult<user::Model> {
    let mut account = form.parse()?;
    if account.role.is_staff() {
        account.agency_id = account.agency_id.or(ctx.user.agency_id);
    }
    if let Some(agency) = account.agency_id {
        agencies::named_in(ctx.reader(), "agency_id", agency).await?;
    }
    let actor = Actor::user(ctx.user.id, &ctx.user.full_name);
    create_account(ctx, account, Some(&actor)).await
}

/// Hashes the password (before the write opens), writes the account and, for a chairman, his
/// default reception schedule, in one transaction; an account made by someone (not a citizen
/// registering) is an event of the account log.
async fn create_account<U>(
    ctx: &Context<U>,
    account: NewAccount,
    by: Option<&Actor>,
) -> AppResult<user::Model> {
    let hash = ctx.passwords().hash(account.password.expose()).await?;
    let txn = ctx.begin().await?;
    let created = insert(&txn, &ctx.keys().data, account, hash, ctx.now).await?;
    // A chairman gets the default reception schedule at once (domain.md §3).
    reception::schedules::sync_for_user(&txn, &created, ctx.now).await?;
    let created = identity::open_account(&ctx.keys().data, created)?;
    if let Some(actor) = by {
        let audit = &ctx.keys().audit;
        account_events::record(&txn, audit, actor, AccountAction::Created, None, &created, ctx.now).await?;
    }
    txn.commit().await?;
    Ok(created)
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

/// Writes an account with an already computed password hash, its identity sealed; returns the row
/// as stored.
async fn insert(
    db: &impl ConnectionTrait,
    sealer: &Sealer,
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
    let mut model = user::ActiveModel {
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
    identity::seal_account(sealer, &mut model)?;
    model.insert(db).await.map_err(|e| match AppError::from(e) {
        AppError::Conflict { code: "duplicate", .. } => {
            AppError::conflict("username_taken", "Tên đăng nhập đã được sử dụng.")
        }
        other => other,
    })
}

/// One account, if the caller may see it (404 otherwise).
pub async fn get(ctx: &Ctx, id: i64) -> AppResult<user::Model> {
    let found = find(ctx.reader(), id).await?;
    if !can_see_account(&ctx.user, &found) {
        return Err(AppError::NotFound);
    }
    identity::open_account(&ctx.keys().data, found)
}

/// Staff of the caller's agency (an admin may name another agency, or list citizens), by name;
/// citizens' accounts by username, as their names are sealed.
pub async fn list(ctx: &Ctx, q: ListUsersQuery) -> AppResult<Page<user::Model>> {
    let page = PageParams::of(q.page, q.per_page).checked()?;
    let agency = agency_in_view(&ctx.user, q.agency_id);
    let mut query = user::Entity::find();
    // Only the admin lists citizens' accounts (they belong to no agency).
    let citizens = can_list_citizens(&ctx.user) && q.role == Some(Role::Citizen);
    query = if citizens {
        query.filter(user::Column::AgencyId.is_null())
    } else {
        let staff = query.filter(user::Column::AgencyId.eq(agency));
        match q.role {
            Some(r) => staff.filter(user::Column::Role.eq(r)),
            None => staff,
        }
    };
    if let Some(unit) = q.unit_id {
        query = query.filter(user::Column::UnitId.eq(unit));
    }
    if let Some(active) = q.active {
        query = query.filter(user::Column::Active.eq(active));
    }
    let db = ctx.reader();
    let total = query.clone().count(db).await?;
    let order = if citizens { user::Column::Username } else { user::Column::FullName };
    let items = query
        .order_by_asc(order)
        .order_by_asc(user::Column::Id)
        .offset(page.offset())
        .limit(page.per_page)
        .all(db)
        .await?
        .into_iter()
        .map(|account| identity::open_account(&ctx.keys().data, account))
        .collect::<AppResult<Vec<_>>>()?;
    Ok(Page::new(items, total, page))
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
pub async fn update(ctx: &Ctx, id: i64, form: UpdateUserRequest) -> AppResult<user::Model> {
    let changes = form.parse()?;
    let txn = ctx.begin().await?;
    let sealer = &ctx.keys().data;
    let stored = find(&txn, id).await?;
    let updated = apply_changes(&txn, sealer, &stored, changes, ctx.now).await?;
    // The log compares clear values: a sealed one differs at every write.
    let (before, updated) =
        (identity::open_account(sealer, stored)?, identity::open_account(sealer, updated)?);
    let actor = Actor::user(ctx.user.id, &ctx.user.full_name);
    let audit = &ctx.keys().audit;
    account_events::record_change(&txn, audit, &actor, &before, &updated, ctx.now).await?;
    txn.commit().await?;
    Ok(updated)
}

/// Applies `changes` to the stored account `id` (the values it writes sealed); returns the row as
/// stored.
async fn apply_changes(
    db: &impl ConnectionTrait,
    sealer: &Sealer,
    current: &user::Model,
    changes: AccountChanges,
    now: DateTime<Utc>,
) -> AppResult<user::Model> {
    let id = current.id;
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
    identity::seal_account(sealer, &mut model)?;
    let updated = model.update(db).await?;
    // Becoming (or ceasing to be) an active chairman switches the reception schedule on (or off).
    reception::schedules::sync_for_user(db, &updated, now).await?;
    Ok(updated)
}

/// Sets a password: one's own, given the old one, or anyone's for the admin (a reset). Every token
/// issued before stops working.
pub async fn set_password(ctx: &Ctx, id: i64, form: PasswordRequest) -> AppResult<()> {
    if !can_set_password(&ctx.user, id) {
        return Err(AppError::Forbidden);
    }
    let target = find(ctx.reader(), id).await?;
    let change = form.parse(&target.username)?;
    if needs_old_password(&ctx.user, id) {
        let old = change.old_password.as_deref().unwrap_or_default();
        if !ctx.passwords().verify(old, Some(&target.password_hash)).await? {
            return Err(AppError::field("old_password", "Mật khẩu hiện tại không đúng."));
        }
    }
    let hash = ctx.passwords().hash(change.new_password.expose()).await?;
    let txn = ctx.begin().await?;
    let result = user::Entity::update_many()
        .col_expr(user::Column::PasswordHash, Expr::value(hash))
        .col_expr(user::Column::TokenVersion, Expr::col(user::Column::TokenVersion).add(1))
        .col_expr(user::Column::UpdatedAt, Expr::value(ctx.now))
        .filter(user::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    if result.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    // Whoever resets another's password can sign in as them: the chairman sees it.
    let action =
        if ctx.user.id == id { AccountAction::PasswordChanged } else { AccountAction::PasswordReset };
    let actor = Actor::user(ctx.user.id, &ctx.user.full_name);
    account_events::record(&txn, &ctx.keys().audit, &actor, action, Some(&target), &target, ctx.now).await?;
    txn.commit().await?;
    Ok(())
}

/// An account by id, whoever asks, as stored (its identity sealed).
pub async fn find(db: &impl ConnectionTrait, id: i64) -> AppResult<user::Model> {
    user::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)
}
