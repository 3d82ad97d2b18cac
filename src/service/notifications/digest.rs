//! The staff's daily digest (issue 17): each morning, every handler with an e-mail address is
//! told what of theirs is overdue or nearly due (three working days), most overdue first. A case
//! of a confidential family is counted, never named. One server writes a day's digests: the day
//! is claimed in the `setting` table, in the transaction that writes them.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, TransactionTrait, sea_query::Expr,
};

use super::text::PUBLIC_URL;
use crate::{
    clock::civil_date,
    crypto::Keys,
    domain::{
        calendar::Calendar,
        message::{MessageChannel, MessageKind},
    },
    entity::{petition, setting, user},
    error::AppResult,
    service::{deadlines::Today, identity},
};

/// The setting holding the last day whose digests were written.
const DIGEST_DAY: &str = "notifications.digest_day";
/// The hour (Vietnam) from which a day's digest is written.
const DIGEST_HOUR: u32 = 7;
/// The cases a digest names at most (the rest are counted).
const NAMED: usize = 20;
/// A handler's cases read for naming at most (confidential ones are skipped, the rest counted).
const LISTED: u64 = 200;

/// Writes the day's digests if it is past seven in the morning in Vietnam and no server wrote them
/// yet; returns how many were written.
pub async fn write_due(db: &sea_orm::DatabaseConnection, keys: &Keys, now: DateTime<Utc>) -> AppResult<u32> {
    let today = civil_date(now);
    let local = (now + chrono::Duration::hours(7)).time();
    if local < NaiveTime::from_hms_opt(DIGEST_HOUR, 0, 0).unwrap_or(NaiveTime::MIN) {
        return Ok(0);
    }
    let txn = db.begin().await?;
    if !claim(&txn, today).await? {
        return Ok(0);
    }
    let cal = crate::service::calendar::build(&txn).await?;
    let written = write(&txn, keys, &cal, today, now).await?;
    txn.commit().await?;
    Ok(written)
}

/// Claims `today`'s digests: true when this call moved the day (no one else did).
async fn claim(db: &impl ConnectionTrait, today: NaiveDate) -> AppResult<bool> {
    let day = today.to_string();
    let moved = setting::Entity::update_many()
        .col_expr(setting::Column::Value, Expr::value(day.clone()))
        .filter(setting::Column::Key.eq(DIGEST_DAY))
        .filter(setting::Column::Value.lt(day.clone()))
        .exec(db)
        .await?;
    if moved.rows_affected == 1 {
        return Ok(true);
    }
    if setting::Entity::find_by_id(DIGEST_DAY.to_owned()).one(db).await?.is_some() {
        return Ok(false);
    }
    let inserted =
        setting::Entity::insert(setting::ActiveModel { key: Set(DIGEST_DAY.to_owned()), value: Set(day) })
            .on_conflict(sea_orm::sea_query::OnConflict::column(setting::Column::Key).do_nothing().to_owned())
            .exec_without_returning(db)
            .await?;
    Ok(inserted == 1)
}

/// The digests of `today`: one per handler with an address and work overdue or nearly due. Each
/// handler's cases are read through the inbox index of their agency and assignee, so the work is
/// bounded by the staff and what each of them holds, never by the register's size.
async fn write(
    db: &impl ConnectionTrait,
    keys: &Keys,
    cal: &Calendar,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<u32> {
    let until = Today::on(today, cal).nearly_due_until;
    let handlers = user::Entity::find()
        .filter(user::Column::Active.eq(true))
        .filter(user::Column::AgencyId.is_not_null())
        .order_by_asc(user::Column::Id)
        .all(db)
        .await?;
    let mut written = 0;
    for account in handlers {
        let account = identity::open_account(&keys.data, account)?;
        let (Some(email), Some(agency)) =
            (account.email.clone().filter(|e| !e.trim().is_empty()), account.agency_id)
        else {
            continue;
        };
        let theirs = || {
            petition::Entity::find()
                .filter(petition::Column::AgencyId.eq(agency))
                .filter(petition::Column::AssigneeId.eq(account.id))
        };
        let overdue = theirs().filter(petition::Column::InboxDueOn.lt(today)).count(db).await?;
        let nearly = theirs()
            .filter(petition::Column::InboxDueOn.gte(today))
            .filter(petition::Column::InboxDueOn.lte(until))
            .count(db)
            .await?;
        if overdue + nearly == 0 {
            continue;
        }
        let listed = theirs()
            .filter(petition::Column::InboxDueOn.lte(until))
            .order_by_asc(petition::Column::InboxDueOn)
            .order_by_asc(petition::Column::Id)
            .limit(LISTED)
            .all(db)
            .await?;
        let due = Due { overdue, nearly, listed };
        let (subject, body) = text(&account.full_name, &due, today);
        let text = super::text::Text { subject, body, short: String::new() };
        let about =
            super::About { agency_id: account.agency_id, petition_id: None, user_id: Some(account.id) };
        super::row(&keys.data, MessageChannel::Email, MessageKind::Digest, about, &email, &text, now)?
            .insert(db)
            .await?;
        written += 1;
    }
    Ok(written)
}

/// A handler's work overdue and nearly due: the counts, and the most pressing cases.
#[derive(Debug, Clone)]
pub struct Due {
    pub overdue: u64,
    pub nearly: u64,
    /// The first [`LISTED`] cases, most overdue first.
    pub listed: Vec<petition::Model>,
}

/// A handler's digest: the overdue and nearly due counts, then the cases named (confidential
/// ones counted only).
pub fn text(name: &str, due: &Due, today: NaiveDate) -> (String, String) {
    let Due { overdue, nearly, listed } = due;
    let subject =
        format!("Hồ sơ cần xử lý ngày {}: {overdue} quá hạn, {nearly} sắp đến hạn", today.format("%d/%m/%Y"));
    let mut body =
        format!("Kính gửi {name},\n\nHồ sơ ông/bà đang xử lý: {overdue} quá hạn, {nearly} sắp đến hạn.\n\n");
    let named: Vec<&petition::Model> = listed.iter().filter(|c| !c.confidential).take(NAMED).collect();
    for c in &named {
        let due = c.inbox_due_on.map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_default();
        let state = if c.inbox_due_on.is_some_and(|d| d < today) { "quá hạn từ" } else { "hạn" };
        body.push_str(&format!(
            "- {} ({state} {due}): {}\n  {PUBLIC_URL}/can-bo/ho-so?id={}\n",
            c.tracking_code, c.subject, c.id
        ));
    }
    let confidential = listed.iter().filter(|c| c.confidential).count() as u64;
    if confidential > 0 {
        body.push_str(&format!("- {confidential} hồ sơ bảo mật: xem trong hệ thống.\n"));
    }
    let rest = (overdue + nearly).saturating_sub(named.len() as u64 + confidential);
    if rest > 0 {
        body.push_str(&format!("- và {rest} hồ sơ khác.\n"));
    }
    body.push_str(&format!("\nHộp việc của ông/bà: {PUBLIC_URL}/can-bo/\n"));
    (subject, body)
}
