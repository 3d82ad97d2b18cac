//! The account log: every change made to an account (created, changed, password reset or
//! changed) is an event, in one chain by `seq` whose each hash is keyed with the audit key over
//! the event and the hash before it. The admin holds the keys to accounts, not to this log: the
//! chairman reads it (`GET /account-events`), and `verify-audit` finds an event edited, removed
//! or forged without the key.

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::identity_reads::names;
use crate::{
    auth::Role,
    clock::day_start,
    crypto::Auditor,
    domain::{
        oversight::{AccountAction, AccountEventsFilter, AccountState, changes, flags},
        page::Page,
    },
    entity::{account_event, json::JsonList, user},
    error::{AppError, AppResult},
    service::{audit::Actor, context::Ctx},
};

/// The `prev_hash` of the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Events read at a time when the whole log is verified.
const VERIFY_BATCH: u64 = 1000;

fn state_of(account: &user::Model) -> AccountState {
    AccountState {
        username: account.username.clone(),
        full_name: account.full_name.clone(),
        role: account.role,
        agency_id: account.agency_id,
        unit_id: account.unit_id,
        active: account.active,
        phone: account.phone.clone(),
        email: account.email.clone(),
    }
}

/// The keyed hash of an event: every field but `id` and `hash`, each kept apart.
fn digest(auditor: &Auditor, e: &account_event::Model) -> String {
    let flags = serde_json::to_string(&e.flags.0).unwrap_or_default();
    auditor.mac(&[
        "account_event/v1",
        &e.seq.to_string(),
        &e.at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        &e.actor_id.map(|a| a.to_string()).unwrap_or_default(),
        &e.actor_name,
        &e.account_id.to_string(),
        &e.agency_id.map(|a| a.to_string()).unwrap_or_default(),
        e.action.as_str(),
        &e.changes,
        &flags,
        &e.prev_hash,
    ])
}

/// Records a change by `actor` of an account from `before` to `after`, in the caller's
/// transaction, when what the log follows changed (not for a save that changed nothing). Both
/// rows are opened (clear values): a sealed value differs at every write.
pub async fn record_change(
    db: &impl ConnectionTrait,
    auditor: &Auditor,
    actor: &Actor,
    before: &user::Model,
    after: &user::Model,
    now: DateTime<Utc>,
) -> AppResult<()> {
    if state_of(before) == state_of(after) {
        return Ok(());
    }
    record(db, auditor, actor, AccountAction::Changed, Some(before), after, now).await
}

/// Records `action` by `actor` on `after` (as it was: `before`; both opened), in the caller's
/// transaction. Two changes at once take the same `seq`: one of them fails with 409 `concurrent_update`.
pub async fn record(
    db: &impl ConnectionTrait,
    auditor: &Auditor,
    actor: &Actor,
    action: AccountAction,
    before: Option<&user::Model>,
    after: &user::Model,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let last = account_event::Entity::find()
        .select_only()
        .columns([account_event::Column::Seq, account_event::Column::Hash])
        .order_by_desc(account_event::Column::Seq)
        .into_tuple::<(i64, String)>()
        .one(db)
        .await?;
    let (seq, prev_hash) = last.map_or((1, GENESIS.to_owned()), |(seq, hash)| (seq + 1, hash));
    let (before, after_state) = (before.map(state_of), state_of(after));
    let mut event = account_event::Model {
        id: 0,
        seq,
        // What both databases keep, so that the hash verifies after a round trip.
        at: now.trunc_subsecs(6),
        actor_id: actor.id,
        actor_name: actor.name.clone(),
        account_id: after.id,
        agency_id: after.agency_id,
        action,
        changes: changes(before.as_ref(), &after_state).to_string(),
        flags: JsonList(flags(action, actor.id, after.id, before.as_ref(), &after_state)),
        prev_hash,
        hash: String::new(),
    };
    event.hash = digest(auditor, &event);
    let row = account_event::ActiveModel {
        seq: Set(event.seq),
        at: Set(event.at),
        actor_id: Set(event.actor_id),
        actor_name: Set(event.actor_name),
        account_id: Set(event.account_id),
        agency_id: Set(event.agency_id),
        action: Set(event.action),
        changes: Set(event.changes),
        flags: Set(event.flags),
        prev_hash: Set(event.prev_hash),
        hash: Set(event.hash),
        ..Default::default()
    };
    account_event::Entity::insert(row).exec_without_returning(db).await.map_err(
        |e| match AppError::from(e) {
            AppError::Conflict { code: "duplicate", .. } => AppError::conflict(
                "concurrent_update",
                "Một thay đổi tài khoản khác vừa được ghi; vui lòng thử lại.",
            ),
            other => other,
        },
    )?;
    Ok(())
}

/// An event with the name of the staff account it is about (a citizen's name is not shown).
#[derive(Debug, Clone)]
pub struct LoggedEvent {
    pub row: account_event::Model,
    pub account_name: Option<String>,
}

/// `GET /account-events` (chairman, admin): the events about the accounts of the chairman's
/// agency, or for the admin of the agency named (every account otherwise), in a period, newest
/// first, a page at a time.
pub async fn list(ctx: &Ctx, filter: AccountEventsFilter) -> AppResult<Page<LoggedEvent>> {
    let after = filter.to.checked_add_days(chrono::Days::new(1)).unwrap_or(filter.to);
    let mut query = account_event::Entity::find()
        .filter(account_event::Column::At.gte(day_start(filter.from)))
        .filter(account_event::Column::At.lt(day_start(after)));
    let agency = if ctx.user.role == Role::Admin { filter.agency_id } else { ctx.user.agency_id };
    if ctx.user.role != Role::Admin || agency.is_some() {
        query = query.filter(account_event::Column::AgencyId.eq(agency));
    }
    if let Some(account) = filter.account_id {
        query = query.filter(account_event::Column::AccountId.eq(account));
    }
    if filter.flagged {
        query = query.filter(account_event::Column::Flags.ne("[]"));
    }
    let db = ctx.reader();
    let total = query.clone().count(db).await?;
    let rows = query
        .order_by_desc(account_event::Column::Seq)
        .offset(filter.page.offset())
        .limit(filter.page.per_page)
        .all(db)
        .await?;
    let staff = rows.iter().filter(|r| r.agency_id.is_some()).map(|r| r.account_id);
    let names = names(db, staff).await?;
    Ok(Page::new(
        rows.into_iter()
            .map(|row| LoggedEvent {
                account_name: row.agency_id.and_then(|_| names.get(&row.account_id).cloned()),
                row,
            })
            .collect(),
        total,
        filter.page,
    ))
}

/// A break in the account log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// The event's `seq` where the chain breaks (the one expected, when one is missing).
    pub seq: i64,
    pub account_id: Option<i64>,
    pub problem: String,
}

/// Verifies the whole account log, in `seq` order a batch at a time: no gap in the sequence,
/// each event linked to the one before, each hash the keyed hash of its event. Returns the first
/// break, if any (everything after it is unproven).
pub async fn verify(db: &impl ConnectionTrait, auditor: &Auditor) -> AppResult<Option<Broken>> {
    let (mut expected, mut prev) = (1_i64, GENESIS.to_owned());
    loop {
        let batch = account_event::Entity::find()
            .filter(account_event::Column::Seq.gte(expected))
            .order_by_asc(account_event::Column::Seq)
            .limit(VERIFY_BATCH)
            .all(db)
            .await?;
        if batch.is_empty() {
            return Ok(None);
        }
        for event in batch {
            let broken = |problem: &str| {
                Some(Broken {
                    seq: expected,
                    account_id: Some(event.account_id),
                    problem: problem.to_owned(),
                })
            };
            if event.seq != expected {
                return Ok(Some(Broken {
                    seq: expected,
                    account_id: None,
                    problem: format!("sự kiện số {expected} bị thiếu (tiếp theo là số {})", event.seq),
                }));
            }
            if event.prev_hash != prev {
                return Ok(broken("không nối với sự kiện trước (mã băm của sự kiện trước không khớp)"));
            }
            if digest(auditor, &event) != event.hash {
                return Ok(broken("nội dung không khớp mã băm có khóa (bị sửa hoặc giả mạo)"));
            }
            prev = event.hash;
            expected += 1;
        }
    }
}
