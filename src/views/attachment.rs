//! Attachments as the API shows them: a case's list (with who added each), the answer to an
//! upload (the portal's names nobody), the multipart form of an upload for the OpenAPI document,
//! and the `Content-Disposition` a download is offered under.

use chrono::{DateTime, Utc};
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;
use utoipa::ToSchema;

use crate::{domain::attachment::FileType, service::attachments::Listed};

/// A file of a case.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AttachmentView {
    pub id: i64,
    pub petition_id: i64,
    /// The name it was sent under, cleaned (see `domain::attachment::file_name`).
    pub name: String,
    /// The type its first bytes showed (never the name's or the client's).
    pub content_type: FileType,
    /// Vietnamese name of the type.
    pub type_label: String,
    /// Bytes.
    pub size: i64,
    /// SHA-256 of its bytes, lower-case hex: also in the case's trail (`attachment_added`).
    pub sha256: String,
    /// The officer who added it; `null` when the citizen did, on the portal.
    pub added_by_id: Option<i64>,
    pub added_by_name: Option<String>,
    pub by_citizen: bool,
    pub created_at: DateTime<Utc>,
    /// Where its bytes are (with the bearer token): `/api/v1/attachments/{id}`.
    pub url: String,
}

impl From<Listed> for AttachmentView {
    fn from(Listed { file, name, added_by_name }: Listed) -> Self {
        Self {
            url: format!("/api/v1/attachments/{}", file.id),
            id: file.id,
            petition_id: file.petition_id,
            type_label: file.content_type.label_vi().to_owned(),
            content_type: file.content_type,
            size: file.size,
            sha256: file.sha256,
            added_by_id: file.added_by,
            added_by_name,
            by_citizen: file.by_citizen,
            created_at: file.created_at,
            name,
        }
    }
}

/// A file the citizen just attached on the portal.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AttachedView {
    pub id: i64,
    pub name: String,
    pub content_type: FileType,
    pub size: i64,
    pub sha256: String,
}

impl From<Listed> for AttachedView {
    fn from(Listed { file, name, .. }: Listed) -> Self {
        Self { id: file.id, name, content_type: file.content_type, size: file.size, sha256: file.sha256 }
    }
}

/// The form of an upload (`multipart/form-data`): one part named `file`, with its file name.
#[derive(Debug, ToSchema)]
#[allow(dead_code)] // documents the request; the handler reads the parts as they stream in
pub struct UploadForm {
    /// The file: PDF, JPEG or PNG (recognised from its first bytes), at most 10 MB.
    #[schema(value_type = String, format = Binary, content_media_type = "application/octet-stream")]
    pub file: Vec<u8>,
}

/// The `Content-Disposition` a file is downloaded (or, `inline`, shown) under (RFC 6266): its name in UTF-8
/// (`filename*`, RFC 8187), and for old clients an ASCII fallback without diacritics
/// (`Đơn tố cáo.pdf` → `Don to cao.pdf`).
pub fn content_disposition(name: &str, inline: bool) -> String {
    let how = if inline { "inline" } else { "attachment" };
    format!("{how}; filename=\"{}\"; filename*=UTF-8''{}", ascii_fallback(name), percent_encoded(name))
}

/// `name` in ASCII: Vietnamese letters without their marks, anything else that is not printable
/// ASCII (or would end the quoted string) as `_`.
fn ascii_fallback(name: &str) -> String {
    name.nfd()
        .filter(|c| !matches!(c, '\u{0300}'..='\u{036f}'))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' => 'D',
            '"' | '\\' => '_',
            c if c.is_ascii_graphic() || c == ' ' => c,
            _ => '_',
        })
        .collect()
}

/// RFC 8187's `value-chars`: `attr-char`s as they are, every other byte of the UTF-8 as `%XX`.
fn percent_encoded(name: &str) -> String {
    let mut out = String::with_capacity(name.len() * 3);
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vietnamese_name_is_offered_in_utf8_with_an_ascii_fallback() {
        assert_eq!(
            content_disposition("Đơn tố cáo.pdf", false),
            "attachment; filename=\"Don to cao.pdf\"; filename*=UTF-8''%C4%90%C6%A1n%20t%E1%BB%91%20c%C3%A1o.pdf"
        );
        assert_eq!(
            content_disposition("a\"b\\c;d.png", false),
            "attachment; filename=\"a_b_c;d.png\"; filename*=UTF-8''a%22b%5Cc%3Bd.png"
        );
        assert_eq!(ascii_fallback("Ảnh chụp – sổ đỏ.jpg"), "Anh chup _ so do.jpg");
    }
}
