//! Receiving a file: its bytes as they arrive, checked (type from the first bytes, the file's and
//! the case's limits) and hashed on the way into an anonymous temporary file, never held whole in
//! memory; the first byte too many or a wrong type stops the reading at once.
//!
//! # Why a temporary file between the network and the database
//! The bytes are not written to the database as they arrive from the client, but to a temporary
//! file that [`super`] then copies into the chunk rows in one short transaction. Writing them
//! straight from the network would keep a write transaction open for as long as the client takes
//! to send the file (a minute and more for 10 MB over a weak mobile link): on SQLite that holds
//! the register's only writer, so every other officer's write waits on one slow upload (and fails
//! after the writer's 30-second acquire timeout); on PostgreSQL the transaction sits idle between
//! two network reads and is ended by `idle_in_transaction_session_timeout`. The file is created
//! unlinked (`tempfile::tempfile`), so it disappears with its handle, even if the process dies:
//! the server keeps nothing between requests. Memory stays at one network chunk and one stored
//! chunk whatever the file's size.

use axum::body::Bytes;
use futures_util::{Stream, StreamExt};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};

use crate::{
    domain::attachment::{FileType, Refused, Room, SNIFF_BYTES},
    error::{AppError, AppResult},
};

/// A file received whole and checked, waiting in its temporary file.
#[derive(Debug)]
pub struct Spooled {
    file: tokio::fs::File,
    pub kind: FileType,
    pub size: u64,
    /// Lower-case hex.
    pub sha256: String,
}

impl Spooled {
    /// Reads the next piece of at most `buf.len()` bytes (0 at the end), filling `buf` as far as
    /// the file allows.
    pub async fn read_chunk(&mut self, buf: &mut [u8]) -> AppResult<usize> {
        let mut filled = 0;
        while filled < buf.len() {
            let n = self.file.read(&mut buf[filled..]).await.map_err(spool_error)?;
            if n == 0 {
                break;
            }
            filled += n;
        }
        Ok(filled)
    }
}

/// Receives `body` into a temporary file: refuses an empty file, a type other than PDF, JPEG or
/// PNG (from its first bytes), and the first byte beyond `room`; hashes what it keeps.
pub async fn receive<S>(mut body: S, room: Room) -> AppResult<Spooled>
where
    S: Stream<Item = AppResult<Bytes>> + Unpin,
{
    let std_file = tokio::task::spawn_blocking(tempfile::tempfile)
        .await
        .map_err(AppError::internal)?
        .map_err(spool_error)?;
    let mut file = tokio::fs::File::from_std(std_file);
    let mut hasher = Sha256::new();
    let mut head: Vec<u8> = Vec::with_capacity(SNIFF_BYTES);
    let mut kind = None;
    let mut size: u64 = 0;
    while let Some(piece) = body.next().await {
        let piece = piece?;
        if piece.is_empty() {
            continue;
        }
        if kind.is_none() {
            let wanted = SNIFF_BYTES - head.len();
            head.extend_from_slice(&piece[..wanted.min(piece.len())]);
            if head.len() == SNIFF_BYTES {
                kind = Some(FileType::sniff(&head).ok_or_else(|| refusal(Refused::UnsupportedType))?);
            }
        }
        size += piece.len() as u64;
        room.check(size).map_err(refusal)?;
        hasher.update(&piece);
        file.write_all(&piece).await.map_err(spool_error)?;
    }
    if size == 0 {
        return Err(refusal(Refused::Empty));
    }
    let kind = match kind {
        Some(kind) => kind,
        // Shorter than the longest signature: what there is decides.
        None => FileType::sniff(&head).ok_or_else(|| refusal(Refused::UnsupportedType))?,
    };
    file.flush().await.map_err(spool_error)?;
    file.rewind().await.map_err(spool_error)?;
    Ok(Spooled { file, kind, size, sha256: hex::encode(hasher.finalize()) })
}

/// The answer for a refused file: 422 `empty_file`, 415 `unsupported_type`, 413 `file_too_large`
/// or `case_attachments_full`.
pub fn refusal(refused: Refused) -> AppError {
    use crate::domain::attachment::{MAX_CASE_BYTES, MAX_CASE_FILES, MAX_FILE_BYTES};
    let mib = |bytes: u64| bytes / (1024 * 1024);
    match refused {
        Refused::Empty => AppError::Unprocessable {
            code: "empty_file",
            message: "Tệp rỗng: không có nội dung.".into(),
        },
        Refused::UnsupportedType => AppError::UnsupportedType {
            code: "unsupported_type",
            message: "Chỉ nhận tệp PDF, ảnh JPEG hoặc PNG (nhận biết theo nội dung tệp, không theo tên)."
                .into(),
        },
        Refused::TooLarge => AppError::TooLarge {
            code: "file_too_large",
            message: format!("Mỗi tệp tối đa {} MB.", mib(MAX_FILE_BYTES)),
        },
        Refused::CaseFull => AppError::TooLarge {
            code: "case_attachments_full",
            message: format!(
                "Hồ sơ đã đủ tệp đính kèm: tối đa {} MB và {MAX_CASE_FILES} tệp mỗi hồ sơ.",
                mib(MAX_CASE_BYTES)
            ),
        },
    }
}

fn spool_error(err: std::io::Error) -> AppError {
    AppError::internal(format!("temporary file of an upload: {err}"))
}

#[cfg(test)]
mod tests {
    use futures_util::stream;

    use super::*;
    use crate::domain::attachment::MAX_FILE_BYTES;

    fn pieces(parts: Vec<Vec<u8>>) -> impl Stream<Item = AppResult<Bytes>> + Unpin {
        stream::iter(parts.into_iter().map(|p| Ok(Bytes::from(p))))
    }

    fn full_room() -> Room {
        Room::left(0, 0).unwrap()
    }

    #[tokio::test]
    async fn a_pdf_in_small_pieces_is_typed_hashed_and_kept() {
        let pdf = b"%PDF-1.4\nhello\n%%EOF\n".to_vec();
        // The signature arrives split over three pieces.
        let parts = vec![pdf[..2].to_vec(), pdf[2..6].to_vec(), pdf[6..].to_vec()];
        let mut got = receive(pieces(parts), full_room()).await.unwrap();
        assert_eq!(got.kind, FileType::Pdf);
        assert_eq!(got.size, pdf.len() as u64);
        assert_eq!(got.sha256, hex::encode(Sha256::digest(&pdf)));
        let mut buf = vec![0; 8];
        let mut back = Vec::new();
        loop {
            let n = got.read_chunk(&mut buf).await.unwrap();
            if n == 0 {
                break;
            }
            back.extend_from_slice(&buf[..n]);
        }
        assert_eq!(back, pdf);
    }

    #[tokio::test]
    async fn wrong_empty_and_oversized_files_are_refused_with_their_codes() {
        let code = |r: AppResult<Spooled>| r.unwrap_err().code();
        assert_eq!(
            code(receive(pieces(vec![b"GIF89a\x01\x00rest".to_vec()]), full_room()).await),
            "unsupported_type"
        );
        assert_eq!(code(receive(pieces(vec![b"GIF".to_vec()]), full_room()).await), "unsupported_type");
        assert_eq!(code(receive(pieces(vec![]), full_room()).await), "empty_file");
        assert_eq!(code(receive(pieces(vec![vec![]]), full_room()).await), "empty_file");
        // A tiny JPEG of only its marker is a JPEG.
        assert_eq!(
            receive(pieces(vec![vec![0xff, 0xd8, 0xff]]), full_room()).await.unwrap().kind,
            FileType::Jpeg
        );
        // One byte too many, however it is cut.
        let mut png = vec![0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];
        png.resize(MAX_FILE_BYTES as usize, 0);
        assert!(receive(pieces(vec![png.clone()]), full_room()).await.is_ok());
        assert_eq!(code(receive(pieces(vec![png.clone(), vec![0]]), full_room()).await), "file_too_large");
        let room = Room::left(1, 49 * 1024 * 1024).unwrap();
        assert_eq!(code(receive(pieces(vec![png]), room).await), "case_attachments_full");
    }

    #[tokio::test]
    async fn reading_stops_at_the_first_refused_piece() {
        // A stream that would fail if read past the GIF's first piece.
        let parts = stream::iter(vec![
            Ok(Bytes::from_static(b"GIF89a\x01\x00")),
            Err(AppError::internal("read past the refusal")),
        ]);
        assert_eq!(receive(parts, full_room()).await.unwrap_err().code(), "unsupported_type");
    }
}
