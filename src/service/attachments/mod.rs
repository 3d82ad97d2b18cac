//! Attachments (issue 17): the documents and photos of a case, added by the officers who have it
//! in hand or, within a day of filing, by the citizen on the portal; listed and downloaded under
//! the rule of the case's people's identity (`access::can_read_attachments`), every download
//! logged as an identity read. Kept in the database (`attachment`, `attachment_chunk`), so the
//! servers stay stateless, and sealed there like the identities (a denouncer's letter names its
//! author): the name under the data key as a field of its own, each chunk bound to its file and
//! place ([`chunk_context`]); `tiepdan rotate-key` seals them again (`identity::register`).
//!
//! An upload is received into a temporary file as it arrives ([`spool`]: its type from the first
//! bytes, the file's and the case's limits checked byte by byte, hashed), then copied into chunk
//! rows in one transaction that checks the case's room again, under a lock of the case, and
//! appends `attachment_added` to the case's trail: a refused or failed upload leaves nothing. A
//! download reads the chunk rows one at a time as the body is sent ([`Download::chunks`]).

pub mod spool;

use std::io;

use axum::body::Bytes;
use futures_util::{Stream, stream::BoxStream};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, sea_query::Expr,
};
use serde_json::json;

use crate::{
    auth::AuthUser,
    crypto::Sealer,
    domain::{
        attachment::{self, CHUNK_BYTES, Refused, Room},
        petition::{EventAction, Kind, ReadPurpose},
    },
    entity::{attachment as file_row, attachment_chunk, petition},
    error::{AppError, AppResult},
    service::{
        access::{self, CaseScope},
        audit::{self, Actor, Change},
        context::{Context, Ctx},
        identity::field::ATTACHMENT_NAME,
        oversight::identity_reads::{self, Read, Subject},
        petitions::{find_visible, names_of, public::by_code, read::find_readable},
    },
};

pub use spool::Spooled;

/// A file as the client sends it: the name it gives, and its bytes as they arrive.
pub struct Incoming<S> {
    pub name: Option<String>,
    pub body: S,
}

/// An attachment with its name opened and the name of the officer who added it (none for the
/// citizen's).
#[derive(Debug, Clone)]
pub struct Listed {
    /// The row, its name sealed.
    pub file: file_row::Model,
    /// The file's name.
    pub name: String,
    pub added_by_name: Option<String>,
}

/// Where chunk `seq` of attachment `attachment_id` is sealed for: a chunk moved to another file
/// or place does not open there.
pub fn chunk_context(attachment_id: i64, seq: i32) -> String {
    format!("attachment_chunk:{attachment_id}:{seq}")
}

/// The name of a stored attachment, opened.
fn open_name(sealer: &Sealer, file: &file_row::Model) -> AppResult<String> {
    sealer
        .open(ATTACHMENT_NAME, &file.name)
        .map_err(|e| AppError::internal(format!("{ATTACHMENT_NAME} of attachment {}: {e}", file.id)))
}

/// `GET /petitions/{id}/attachments`: the case's files, oldest first, to those who may see its
/// people ([`access::can_read_attachments`]); 404 to everyone else, as for a case they may not
/// read.
pub async fn of_case(ctx: &Ctx, petition_id: i64) -> AppResult<Vec<Listed>> {
    let (case, later) = find_readable(ctx.reader(), &ctx.user, petition_id).await?;
    if !access::can_read_attachments(&ctx.user, &CaseScope::of(&case), &later) {
        return Err(AppError::NotFound);
    }
    let files = file_row::Entity::find()
        .filter(file_row::Column::PetitionId.eq(case.id))
        .order_by_asc(file_row::Column::Id)
        .limit(attachment::MAX_CASE_FILES)
        .all(ctx.reader())
        .await?;
    let officers: Vec<i64> = files.iter().filter_map(|f| f.added_by).collect();
    let names = names_of(ctx.reader(), &officers).await?;
    let sealer = &ctx.keys().data;
    files
        .into_iter()
        .map(|file| {
            Ok(Listed {
                name: open_name(sealer, &file)?,
                added_by_name: file.added_by.and_then(|id| names.get(&id).cloned()),
                file,
            })
        })
        .collect()
}

/// `POST /petitions/{id}/attachments`: an officer who has the case in hand adds a file
/// ([`access::can_attach`]). Whoever may not add to it is answered before a byte is read: 403 if
/// he may read its files, else 404.
pub async fn add<S>(ctx: &Ctx, petition_id: i64, incoming: Incoming<S>) -> AppResult<Listed>
where
    S: Stream<Item = AppResult<Bytes>> + Unpin,
{
    let case = find_visible(ctx.reader(), &ctx.user, petition_id).await?;
    if case.destroyed_at.is_some() {
        return Err(AppError::conflict(
            "destroyed",
            "Hồ sơ đã được hủy sau thời hạn lưu; không thể thêm tài liệu.",
        ));
    }
    attach_check(&ctx.user, &case)?;
    let room = room_in(ctx.reader(), case.id).await?;
    let spooled = spool::receive(incoming.body, room).await?;
    let name = attachment::file_name(incoming.name.as_deref(), spooled.kind);
    let by = By::Officer(&ctx.user);
    let file = store(ctx, case.id, spooled, &name, by).await?;
    Ok(Listed { file, name, added_by_name: Some(ctx.user.full_name.clone()) })
}

/// `POST /public/petitions/{tracking_code}/attachments`: the citizen, with the tracking code,
/// adds a file within [`attachment::CITIZEN_WINDOW_HOURS`] of filing (409
/// `attachment_window_closed` after; 404 for an unknown code).
pub async fn add_by_citizen<U, S>(ctx: &Context<U>, code: &str, incoming: Incoming<S>) -> AppResult<Listed>
where
    S: Stream<Item = AppResult<Bytes>> + Unpin,
{
    let case = by_code(ctx.reader(), code).await?;
    if !attachment::citizen_may_attach(case.created_at, ctx.now) {
        return Err(AppError::conflict(
            "attachment_window_closed",
            format!(
                "Chỉ gửi thêm tài liệu qua cổng trong {} giờ sau khi nộp đơn; sau đó, hãy gửi cho cán bộ \
                 xử lý hồ sơ.",
                attachment::CITIZEN_WINDOW_HOURS
            ),
        ));
    }
    let room = room_in(ctx.reader(), case.id).await?;
    let spooled = spool::receive(incoming.body, room).await?;
    let name = attachment::file_name(incoming.name.as_deref(), spooled.kind);
    let file = store(ctx, case.id, spooled, &name, By::Citizen).await?;
    Ok(Listed { file, name, added_by_name: None })
}

/// A file to download: its row, its name, and its bytes read (and opened) one chunk row at a time
/// as they are sent.
pub struct Download {
    pub file: file_row::Model,
    pub name: String,
    pub chunks: BoxStream<'static, io::Result<Bytes>>,
}

/// `GET /attachments/{id}`: a file of a case, to those who may see the case's people (404 to
/// everyone else, as if there were none); the read is logged in the identity-access log
/// (purpose `attachment`) before a byte is sent.
pub async fn open(ctx: &Ctx, id: i64) -> AppResult<Download> {
    let file = file_row::Entity::find_by_id(id).one(ctx.reader()).await?.ok_or(AppError::NotFound)?;
    let (case, later) = find_readable(ctx.reader(), &ctx.user, file.petition_id).await?;
    if !access::can_read_attachments(&ctx.user, &CaseScope::of(&case), &later) {
        return Err(AppError::NotFound);
    }
    let read = Read { agency_id: case.agency_id, subject: Subject::Case(case.id) };
    identity_reads::log(ctx.writer(), ctx.user.id, ReadPurpose::Attachment, ctx.now, &[read]).await?;
    let sealer = ctx.keys().data.clone();
    let name = open_name(&sealer, &file)?;
    let chunks = Box::pin(chunks(ctx.reader().clone(), sealer, file.id, file.size));
    Ok(Download { file, name, chunks })
}

/// The bytes of attachment `id` of `size` bytes, one chunk row per item, in order, each opened with
/// `sealer`. A row missing, not opening in its place or longer than the file ends the stream with
/// an error (the client sees the transfer cut, never a wrong file).
pub fn chunks(
    db: DatabaseConnection,
    sealer: std::sync::Arc<Sealer>,
    id: i64,
    size: i64,
) -> impl Stream<Item = io::Result<Bytes>> + Send + 'static {
    futures_util::stream::try_unfold((db, sealer, 0i32, 0i64), move |(db, sealer, seq, sent)| async move {
        if sent >= size {
            return Ok(None);
        }
        let bytes: Option<Vec<u8>> = attachment_chunk::Entity::find_by_id((id, seq))
            .select_only()
            .column(attachment_chunk::Column::Bytes)
            .into_tuple()
            .one(&db)
            .await
            .map_err(io::Error::other)?;
        let sealed = bytes.ok_or_else(|| {
            tracing::error!(attachment = id, seq, "an attachment's chunk is missing");
            io::Error::other(format!("attachment {id}: chunk {seq} missing"))
        })?;
        let bytes = sealer.open_bytes(&chunk_context(id, seq), &sealed).map_err(|e| {
            tracing::error!(attachment = id, seq, "an attachment's chunk does not open: {e}");
            io::Error::other(format!("attachment {id}: chunk {seq} does not open"))
        })?;
        if bytes.is_empty() {
            return Err(io::Error::other(format!("attachment {id}: chunk {seq} empty")));
        }
        let sent = sent + bytes.len() as i64;
        if sent > size {
            tracing::error!(attachment = id, seq, "an attachment's chunks exceed its size");
            return Err(io::Error::other(format!("attachment {id}: chunks exceed its size")));
        }
        Ok(Some((Bytes::from(bytes), (db, sealer, seq + 1, sent))))
    })
}

/// Refuses an officer who may not add to the case: 403 when he may read its files, else 404
/// (he does not learn it holds any).
fn attach_check(user: &AuthUser, case: &petition::Model) -> AppResult<()> {
    let scope = CaseScope::of(case);
    if access::can_attach(user, &scope) {
        Ok(())
    } else if access::can_read_attachments(user, &scope, &[]) {
        Err(AppError::Forbidden)
    } else {
        Err(AppError::NotFound)
    }
}

/// What case `petition_id` still has room for, from what it holds (count and size, on
/// `ix_attachment_petition`).
async fn room_in(db: &impl ConnectionTrait, petition_id: i64) -> AppResult<Room> {
    let (files, bytes): (i64, i64) = file_row::Entity::find()
        .select_only()
        .column_as(Expr::cust("COUNT(*)"), "files")
        // SUM of a BIGINT is a NUMERIC on PostgreSQL.
        .column_as(Expr::cust("CAST(COALESCE(SUM(size), 0) AS BIGINT)"), "bytes")
        .filter(file_row::Column::PetitionId.eq(petition_id))
        .into_tuple()
        .one(db)
        .await?
        .unwrap_or((0, 0));
    Room::left(u64::try_from(files).unwrap_or(0), u64::try_from(bytes).unwrap_or(0)).map_err(spool::refusal)
}

/// Who adds a file.
#[derive(Clone, Copy)]
enum By<'a> {
    Officer(&'a AuthUser),
    /// The citizen, on the portal.
    Citizen,
}

impl By<'_> {
    /// The actor of the trail's event: the officer; on the portal nobody named, and for a
    /// denunciation the denouncer unnamed (`Actor::denouncer`).
    fn actor(self, case: &petition::Model) -> Actor {
        match self {
            By::Officer(user) => Actor::user(user.id, &user.full_name),
            By::Citizen if case.kind == Kind::Denunciation => Actor::denouncer(),
            By::Citizen => Actor::public(),
        }
    }
}

/// Writes a received file to case `petition_id` in one transaction: the case locked (on
/// PostgreSQL; SQLite's one writer serialises anyway) and its room checked again (another upload
/// may have finished meanwhile), an officer's right checked again (the case may have been
/// reassigned while he sent it), the row, the chunks copied from the temporary file one at a
/// time, and the trail's event. Dropped on any error, the transaction leaves nothing.
async fn store<U>(
    ctx: &Context<U>,
    petition_id: i64,
    mut spooled: Spooled,
    name: &str,
    by: By<'_>,
) -> AppResult<file_row::Model> {
    let sealer = &ctx.keys().data;
    let sealed_name = sealer
        .seal(ATTACHMENT_NAME, name)
        .map_err(|e| AppError::internal(format!("sealing {ATTACHMENT_NAME}: {e}")))?;
    let txn = ctx.begin().await?;
    let case = petition::Entity::find_by_id(petition_id)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if let By::Officer(user) = by {
        attach_check(user, &case)?;
    }
    let head = audit::head(&txn, case.id).await?;
    room_in(&txn, case.id).await?.check(spooled.size).map_err(spool::refusal)?;
    let size = i64::try_from(spooled.size).map_err(|_| spool::refusal(Refused::TooLarge))?;
    let saved = file_row::ActiveModel {
        petition_id: Set(case.id),
        agency_id: Set(case.agency_id),
        name: Set(sealed_name),
        content_type: Set(spooled.kind),
        size: Set(size),
        sha256: Set(spooled.sha256.clone()),
        added_by: Set(match by {
            By::Officer(user) => Some(user.id),
            By::Citizen => None,
        }),
        by_citizen: Set(matches!(by, By::Citizen)),
        created_at: Set(audit::event_instant(ctx.now)),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut buf = vec![0u8; CHUNK_BYTES];
    let mut seq = 0i32;
    let mut copied: u64 = 0;
    loop {
        let n = spooled.read_chunk(&mut buf).await?;
        if n == 0 {
            break;
        }
        let sealed = sealer
            .seal_bytes(&chunk_context(saved.id, seq), &buf[..n])
            .map_err(|e| AppError::internal(format!("sealing a chunk of attachment {}: {e}", saved.id)))?;
        let chunk =
            attachment_chunk::ActiveModel { attachment_id: Set(saved.id), seq: Set(seq), bytes: Set(sealed) };
        attachment_chunk::Entity::insert(chunk).exec_without_returning(&txn).await?;
        seq += 1;
        copied += n as u64;
    }
    if copied != spooled.size {
        return Err(AppError::internal(format!(
            "an upload's temporary file held {copied} bytes of {}",
            spooled.size
        )));
    }
    let change = Change {
        action: EventAction::AttachmentAdded,
        from: Some(case.status),
        to: Some(case.status),
        changes: json!({"attachment_id": saved.id, "content_type": saved.content_type, "size": saved.size,
                        "sha256": saved.sha256, "chunks": seq, "by_citizen": saved.by_citizen}),
    };
    audit::append(&txn, ctx.keys(), &case, &head, &by.actor(&case), &change, ctx.now).await?;
    txn.commit().await?;
    Ok(saved)
}
