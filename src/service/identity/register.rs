//! The passes over the whole register that write every sealed value again, each in one
//! transaction: sealing once a register kept in clear ([`seal_existing`], at start-up after the
//! migrations and the keys) and re-sealing everything under a new data key ([`rotate`], `tiepdan
//! rotate-key`). Both write again what depends on the key: the identity numbers' blind indexes
//! and the search index's name tokens.
//!
//! On SQLite a pass that changed anything ends by rewriting the database file (`VACUUM`) and
//! emptying the WAL, so that no clear value (or value sealed under the old key) stays behind in a
//! freed page.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
    sea_query::{Expr, OnConflict},
};

use super::{field, id_number_blind, name_is_sealed, open_party, representatives_of};
use crate::{
    crypto::Sealer,
    db::Db,
    domain::person::Person,
    entity::{
        attachment, attachment_chunk, petition, petition_content, petition_party, reception_refusal,
        reception_visit, setting, user,
    },
    error::{AppError, AppResult},
    service::{attachments::chunk_context, bootstrap::DATA_KEY_CHECK, petitions::search},
};

/// The `setting` row that says the register's identities were sealed (its value: when).
pub const MARKER: &str = "identities_sealed";

/// Rows read at a time.
const PAGE: u64 = 500;

/// Attachment chunks read at a time (256 KiB each): a rotation holds a couple of MB of them.
const CHUNK_PAGE: u64 = 8;

/// What a pass wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Resealed {
    /// Values sealed (again).
    pub values: u64,
    /// Rows written, by table.
    pub parties: u64,
    pub visits: u64,
    pub refusals: u64,
    pub accounts: u64,
    /// Attachments whose name and chunks were sealed again (a rotation).
    pub attachments: u64,
    /// Cases whose search entry was written again.
    pub cases_indexed: u64,
}

/// How a pass reads a stored value and what it stores instead.
#[derive(Clone, Copy)]
enum Pass<'a> {
    /// What is clear is sealed under this key; what is sealed must open under it, and stays.
    Seal(&'a Sealer),
    /// Everything opens under `from` and is sealed again under `to`.
    Rotate { from: &'a Sealer, to: &'a Sealer },
}

impl Pass<'_> {
    /// The key the register is left under.
    fn target(&self) -> &Sealer {
        match self {
            Pass::Seal(s) => s,
            Pass::Rotate { to, .. } => to,
        }
    }

    /// The clear value of `stored` (field `field` of row `id`), and what to store instead (`None`:
    /// keep it). A value that should open and does not is an error: the pass stops.
    fn value(&self, field: &str, id: i64, stored: &str) -> AppResult<(String, Option<String>)> {
        let open = |sealer: &Sealer| super::open(sealer, field, id, stored);
        match self {
            Pass::Seal(s) if Sealer::is_sealed(stored) => Ok((open(s)?, None)),
            Pass::Seal(s) => Ok((stored.to_owned(), Some(super::seal(s, field, stored)?))),
            Pass::Rotate { from, to } => {
                let plain = open(from)?;
                let sealed = super::seal(to, field, &plain)?;
                Ok((plain, Some(sealed)))
            }
        }
    }

    /// [`Pass::value`] of an optional column: a missing value stays missing.
    fn value_opt(
        &self,
        field: &str,
        id: i64,
        stored: Option<&str>,
    ) -> AppResult<(Option<String>, Option<Option<String>>)> {
        match stored {
            None => Ok((None, None)),
            Some(s) => {
                let (plain, new) = self.value(field, id, s)?;
                Ok((Some(plain), new.map(Some)))
            }
        }
    }
}

/// Counts the values a row gets anew.
#[derive(Default)]
struct Rewrite {
    values: u64,
}

impl Rewrite {
    fn set<V: Into<sea_orm::Value>>(&mut self, slot: &mut sea_orm::ActiveValue<V>, new: Option<V>) {
        if let Some(v) = new {
            *slot = Set(v);
            self.values += 1;
        }
    }
}

/// Seals, once, the identities of a register kept in clear (every value not yet sealed), and writes
/// the blind indexes and the search index under `sealer`'s key. The first start claims the pass
/// with the [`MARKER`] row in the same transaction, so of several servers starting together one
/// does it, and a later start does nothing (`None`).
pub async fn seal_existing(db: &Db, sealer: &Sealer, now: DateTime<Utc>) -> AppResult<Option<Resealed>> {
    // Every later start: a read, no write transaction.
    if setting::Entity::find_by_id(MARKER.to_owned()).one(&db.writer).await?.is_some() {
        return Ok(None);
    }
    let txn = db.writer.begin().await?;
    let claimed = setting::Entity::insert(setting::ActiveModel {
        key: Set(MARKER.to_owned()),
        value: Set(now.to_rfc3339()),
    })
    .on_conflict(OnConflict::column(setting::Column::Key).do_nothing().to_owned())
    .exec_without_returning(&txn)
    .await?;
    if claimed == 0 {
        txn.rollback().await?;
        return Ok(None);
    }
    let done = reseal(&txn, Pass::Seal(sealer)).await?;
    txn.commit().await?;
    if done.values > 0 {
        scrub(db).await?;
    }
    Ok(Some(done))
}

/// The setting a migration leaves when it rebuilt the full-text index's table empty (SQLite's
/// FTS5 table cannot gain a column or a prefix index in place): the next start writes every case's
/// entry again, with the data key the names' tokens need.
pub const SEARCH_STALE: &str = "search_index_stale";

/// Writes the search index again when a migration left it empty ([`SEARCH_STALE`]), in one
/// transaction that also takes the mark away, so of several servers starting together one does
/// it. Returns the number of cases indexed, `None` when the index was current.
pub async fn reindex_if_stale(db: &Db, sealer: &Sealer) -> AppResult<Option<u64>> {
    if setting::Entity::find_by_id(SEARCH_STALE.to_owned()).one(&db.writer).await?.is_none() {
        return Ok(None);
    }
    let txn = db.writer.begin().await?;
    let claimed = setting::Entity::delete_by_id(SEARCH_STALE.to_owned()).exec(&txn).await?;
    if claimed.rows_affected == 0 {
        txn.rollback().await?;
        return Ok(None);
    }
    let cases = reindex(&txn, sealer).await?;
    txn.commit().await?;
    Ok(Some(cases))
}

/// Re-seals every identity of the register under `to` (opening it under `from`, the register's
/// current key), writes the blind indexes and the search index again, and replaces the data key's
/// check value, in one transaction: afterwards only `to` opens the register.
pub async fn rotate(db: &Db, from: &Sealer, to: &Sealer) -> AppResult<Resealed> {
    if from.check_value() == to.check_value() {
        return Err(AppError::internal("the new data key is the current one"));
    }
    let txn = db.writer.begin().await?;
    let moved = setting::Entity::update_many()
        .col_expr(setting::Column::Value, Expr::value(to.check_value()))
        .filter(setting::Column::Key.eq(DATA_KEY_CHECK))
        .filter(setting::Column::Value.eq(from.check_value()))
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        return Err(AppError::internal("the register is not sealed under the current data key"));
    }
    let done = reseal(&txn, Pass::Rotate { from, to }).await?;
    txn.commit().await?;
    scrub(db).await?;
    Ok(done)
}

/// Every sealed table, then the search index.
async fn reseal(db: &impl ConnectionTrait, pass: Pass<'_>) -> AppResult<Resealed> {
    let mut done = Resealed::default();
    parties(db, pass, &mut done).await?;
    visits(db, pass, &mut done).await?;
    refusals(db, pass, &mut done).await?;
    accounts(db, pass, &mut done).await?;
    attachments(db, pass, &mut done).await?;
    done.cases_indexed = reindex(db, pass.target()).await?;
    Ok(done)
}

/// The attachments' names and chunks, opened under the old key and sealed again under the new one
/// (a rotation: an attachment is sealed from its first write, so a register sealed once has none in
/// clear). The chunks are read [`CHUNK_PAGE`] at a time in their key's order.
async fn attachments(db: &impl ConnectionTrait, pass: Pass<'_>, done: &mut Resealed) -> AppResult<()> {
    let Pass::Rotate { from, to } = pass else { return Ok(()) };
    let mut after = 0;
    loop {
        let rows = attachment::Entity::find()
            .filter(attachment::Column::Id.gt(after))
            .order_by_asc(attachment::Column::Id)
            .limit(PAGE)
            .all(db)
            .await?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        for row in rows {
            let (_, name) = pass.value(field::ATTACHMENT_NAME, row.id, &row.name)?;
            if let Some(name) = name {
                attachment::Entity::update_many()
                    .col_expr(attachment::Column::Name, Expr::value(name))
                    .filter(attachment::Column::Id.eq(row.id))
                    .exec(db)
                    .await?;
                done.values += 1;
            }
            done.attachments += 1;
        }
    }
    let (mut file, mut seq) = (0i64, -1i32);
    loop {
        let rows = attachment_chunk::Entity::find()
            .filter(
                sea_orm::Condition::any().add(attachment_chunk::Column::AttachmentId.gt(file)).add(
                    sea_orm::Condition::all()
                        .add(attachment_chunk::Column::AttachmentId.eq(file))
                        .add(attachment_chunk::Column::Seq.gt(seq)),
                ),
            )
            .order_by_asc(attachment_chunk::Column::AttachmentId)
            .order_by_asc(attachment_chunk::Column::Seq)
            .limit(CHUNK_PAGE)
            .all(db)
            .await?;
        let Some(last) = rows.last() else { return Ok(()) };
        (file, seq) = (last.attachment_id, last.seq);
        for row in rows {
            let context = chunk_context(row.attachment_id, row.seq);
            let unreadable = |e| AppError::internal(format!("{context}: {e}"));
            let plain = from.open_bytes(&context, &row.bytes).map_err(unreadable)?;
            let sealed = to.seal_bytes(&context, &plain).map_err(unreadable)?;
            attachment_chunk::Entity::update_many()
                .col_expr(attachment_chunk::Column::Bytes, Expr::value(sealed))
                .filter(attachment_chunk::Column::AttachmentId.eq(row.attachment_id))
                .filter(attachment_chunk::Column::Seq.eq(row.seq))
                .exec(db)
                .await?;
            done.values += 1;
        }
    }
}

async fn parties(db: &impl ConnectionTrait, pass: Pass<'_>, done: &mut Resealed) -> AppResult<()> {
    let mut after = 0;
    loop {
        let rows = petition_party::Entity::find()
            .filter(petition_party::Column::Id.gt(after))
            .order_by_asc(petition_party::Column::Id)
            .limit(PAGE)
            .all(db)
            .await?;
        let Some(last) = rows.last() else { return Ok(()) };
        after = last.id;
        for row in rows {
            let id = row.id;
            let mut m = <petition_party::ActiveModel as Default>::default();
            let mut w = Rewrite::default();
            let (_, name) = pass.value(field::PARTY_FULL_NAME, id, &row.full_name)?;
            w.set(&mut m.full_name, name);
            let (number, new) = pass.value_opt(field::PARTY_ID_NUMBER, id, row.id_number.as_deref())?;
            w.set(&mut m.id_number, new);
            let (_, new) = pass.value_opt(field::PARTY_ADDRESS, id, row.address.as_deref())?;
            w.set(&mut m.address, new);
            let (_, new) = pass.value_opt(field::PARTY_PHONE, id, row.phone.as_deref())?;
            w.set(&mut m.phone, new);
            let (_, new) = pass.value_opt(field::PARTY_EMAIL, id, row.email.as_deref())?;
            w.set(&mut m.email, new);
            let blind = number.map(|n| id_number_blind(pass.target(), &n));
            if blind != row.id_number_blind {
                m.id_number_blind = Set(blind);
            }
            if m.is_changed() {
                petition_party::Entity::update_many()
                    .set(m)
                    .filter(petition_party::Column::Id.eq(id))
                    .exec(db)
                    .await?;
                done.parties += 1;
                done.values += w.values;
            }
        }
    }
}

async fn visits(db: &impl ConnectionTrait, pass: Pass<'_>, done: &mut Resealed) -> AppResult<()> {
    let mut after = 0;
    loop {
        let rows = reception_visit::Entity::find()
            .filter(reception_visit::Column::Id.gt(after))
            .order_by_asc(reception_visit::Column::Id)
            .limit(PAGE)
            .all(db)
            .await?;
        let Some(last) = rows.last() else { return Ok(()) };
        after = last.id;
        for row in rows {
            let id = row.id;
            let mut m = <reception_visit::ActiveModel as Default>::default();
            let mut w = Rewrite::default();
            let (_, new) = pass.value(field::VISITOR_NAME, id, &row.visitor_name)?;
            w.set(&mut m.visitor_name, new);
            let (_, new) = pass.value_opt(field::VISITOR_ADDRESS, id, row.visitor_address.as_deref())?;
            w.set(&mut m.visitor_address, new);
            let (_, new) = pass.value_opt(field::VISITOR_ID_NUMBER, id, row.visitor_id_number.as_deref())?;
            w.set(&mut m.visitor_id_number, new);
            let (list, new) = pass.value(field::VISIT_REPRESENTATIVES, id, &row.representatives)?;
            // A list that does not read is not sealed as it is: the pass stops on it.
            representatives_of(id, &list)?;
            w.set(&mut m.representatives, new);
            if m.is_changed() {
                reception_visit::Entity::update_many()
                    .set(m)
                    .filter(reception_visit::Column::Id.eq(id))
                    .exec(db)
                    .await?;
                done.visits += 1;
                done.values += w.values;
            }
        }
    }
}

async fn refusals(db: &impl ConnectionTrait, pass: Pass<'_>, done: &mut Resealed) -> AppResult<()> {
    let mut after = 0;
    loop {
        let rows = reception_refusal::Entity::find()
            .filter(reception_refusal::Column::Id.gt(after))
            .order_by_asc(reception_refusal::Column::Id)
            .limit(PAGE)
            .all(db)
            .await?;
        let Some(last) = rows.last() else { return Ok(()) };
        after = last.id;
        for row in rows {
            let id = row.id;
            let mut m = <reception_refusal::ActiveModel as Default>::default();
            let mut w = Rewrite::default();
            let (_, new) = pass.value(field::REFUSED_NAME, id, &row.visitor_name)?;
            w.set(&mut m.visitor_name, new);
            let (_, new) = pass.value_opt(field::REFUSED_ADDRESS, id, row.visitor_address.as_deref())?;
            w.set(&mut m.visitor_address, new);
            let (_, new) = pass.value_opt(field::REFUSED_ID_NUMBER, id, row.visitor_id_number.as_deref())?;
            w.set(&mut m.visitor_id_number, new);
            if m.is_changed() {
                reception_refusal::Entity::update_many()
                    .set(m)
                    .filter(reception_refusal::Column::Id.eq(id))
                    .exec(db)
                    .await?;
                done.refusals += 1;
                done.values += w.values;
            }
        }
    }
}

async fn accounts(db: &impl ConnectionTrait, pass: Pass<'_>, done: &mut Resealed) -> AppResult<()> {
    let mut after = 0;
    loop {
        let rows = user::Entity::find()
            .filter(user::Column::Id.gt(after))
            .order_by_asc(user::Column::Id)
            .limit(PAGE)
            .all(db)
            .await?;
        let Some(last) = rows.last() else { return Ok(()) };
        after = last.id;
        for row in rows {
            let id = row.id;
            let mut m = <user::ActiveModel as Default>::default();
            let mut w = Rewrite::default();
            if name_is_sealed(row.role) {
                let (_, new) = pass.value(field::ACCOUNT_FULL_NAME, id, &row.full_name)?;
                w.set(&mut m.full_name, new);
            }
            let (_, new) = pass.value_opt(field::ACCOUNT_PHONE, id, row.phone.as_deref())?;
            w.set(&mut m.phone, new);
            let (_, new) = pass.value_opt(field::ACCOUNT_EMAIL, id, row.email.as_deref())?;
            w.set(&mut m.email, new);
            if m.is_changed() {
                user::Entity::update_many().set(m).filter(user::Column::Id.eq(id)).exec(db).await?;
                done.accounts += 1;
                done.values += w.values;
            }
        }
    }
}

/// Writes every case's search entry again, its names' tokens under `sealer`'s key (the parties are
/// sealed under it by then). Returns the number of cases.
async fn reindex(db: &impl ConnectionTrait, sealer: &Sealer) -> AppResult<u64> {
    search::clear(db).await?;
    let (mut after, mut count) = (0, 0);
    loop {
        let cases: Vec<(i64, i64, bool, String)> = petition::Entity::find()
            .select_only()
            .columns([
                petition::Column::Id,
                petition::Column::AgencyId,
                petition::Column::Confidential,
                petition::Column::Subject,
            ])
            .filter(petition::Column::Id.gt(after))
            .order_by_asc(petition::Column::Id)
            .limit(PAGE)
            .into_tuple()
            .all(db)
            .await?;
        let Some((last, ..)) = cases.last() else { return Ok(count) };
        after = *last;
        let ids: Vec<i64> = cases.iter().map(|c| c.0).collect();
        let mut contents: HashMap<i64, String> = petition_content::Entity::find()
            .filter(petition_content::Column::PetitionId.is_in(ids.iter().copied()))
            .all(db)
            .await?
            .into_iter()
            .map(|c| (c.petition_id, c.content))
            .collect();
        let mut people: HashMap<i64, Vec<Person>> = HashMap::new();
        let rows = petition_party::Entity::find()
            .filter(petition_party::Column::PetitionId.is_in(ids.iter().copied()))
            .order_by_asc(petition_party::Column::Id)
            .all(db)
            .await?;
        for row in rows {
            let case = row.petition_id;
            people.entry(case).or_default().push(open_party(sealer, row)?.person);
        }
        let mut entries = Vec::with_capacity(cases.len());
        for (id, agency_id, confidential, subject) in cases {
            let content = contents
                .remove(&id)
                .ok_or_else(|| AppError::internal(format!("case {id} has no content row")))?;
            let own = people.remove(&id).unwrap_or_default();
            let refs: Vec<&Person> = own.iter().collect();
            entries.push((id, search::entry(sealer, agency_id, confidential, &subject, &content, &refs)));
            count += 1;
        }
        // Many entries a statement, as the bulk seeder writes them: a million cases are written
        // again in minutes, not hours.
        let backend = db.get_database_backend();
        let per = crate::db::sql::rows_per_statement(backend, search::ENTRY_VALUES);
        while !entries.is_empty() {
            let rest = entries.split_off(entries.len().min(per));
            db.execute_raw(search::index_many(backend, std::mem::replace(&mut entries, rest))).await?;
        }
    }
}

/// On SQLite, rewrites the database file from its live rows only (`VACUUM`) and empties the WAL,
/// so that the values a pass replaced are gone from the disk too. PostgreSQL keeps replaced rows
/// until its own vacuum (see the README).
async fn scrub(db: &Db) -> AppResult<()> {
    if db.backend() != DbBackend::Sqlite {
        return Ok(());
    }
    db.writer.execute_unprepared("VACUUM").await?;
    db.writer.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)").await?;
    Ok(())
}
