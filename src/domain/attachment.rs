//! Attachments (issue 17): the documents and photos a citizen or an officer attaches to a case.
//! The rules here are pure: which types are accepted and how they are recognised (from the first
//! bytes, never from the name or the type the client declares), the limits of a file and of a
//! case, the citizen's window after filing, and the name a file is kept and offered under.

use chrono::{DateTime, Duration, Utc};
use unicode_normalization::UnicodeNormalization;

/// The largest file accepted: 10 MB (10 × 2²⁰ bytes). One byte more is 413 `file_too_large`.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// What the attachments of one case may add up to: 50 MB (50 × 2²⁰ bytes). Beyond it, 413
/// `case_attachments_full`.
pub const MAX_CASE_BYTES: u64 = 50 * 1024 * 1024;

/// How many files one case may hold (also 413 `case_attachments_full`): a case's list stays a
/// bounded read, whatever a client sends (each file is at least one byte, so the size cap alone
/// would allow millions).
pub const MAX_CASE_FILES: u64 = 100;

/// The size of a stored chunk (`attachment_chunk.bytes`): an upload is written, and a download
/// read, one chunk at a time, so neither ever holds a whole file.
pub const CHUNK_BYTES: usize = 256 * 1024;

/// How long after filing a citizen may still attach files through the portal, with the tracking
/// code: 24 hours. After that the evidence goes through the handling officer.
pub const CITIZEN_WINDOW_HOURS: i64 = 24;

/// How many first bytes decide a file's type (the PNG signature is the longest, 8).
pub const SNIFF_BYTES: usize = 8;

/// The longest name kept, in characters (the extension is kept whole).
pub const MAX_NAME_CHARS: usize = 200;

str_enum! {
    /// The types a case accepts, spelled as their media types (what `Content-Type` answers).
    pub enum FileType {
        /// PDF: starts with `%PDF-`.
        Pdf = "application/pdf",
        /// JPEG: starts with the SOI marker and the next marker's `FF` (`FF D8 FF`).
        Jpeg = "image/jpeg",
        /// PNG: starts with the 8-byte PNG signature.
        Png = "image/png",
    }
}

impl FileType {
    /// The type the first bytes of a file show, if it is one accepted. `first` is the first
    /// [`SNIFF_BYTES`] of the file, or the whole file when it is shorter.
    pub fn sniff(first: &[u8]) -> Option<Self> {
        const PNG: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];
        if first.starts_with(b"%PDF-") {
            Some(Self::Pdf)
        } else if first.starts_with(&[0xff, 0xd8, 0xff]) {
            Some(Self::Jpeg)
        } else if first.starts_with(&PNG) {
            Some(Self::Png)
        } else {
            None
        }
    }

    /// The file name extensions of the type, the usual one first.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Self::Pdf => &["pdf"],
            Self::Jpeg => &["jpg", "jpeg", "jpe", "jfif"],
            Self::Png => &["png"],
        }
    }

    /// Vietnamese name of the type, for lists.
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Pdf => "Tài liệu PDF",
            Self::Jpeg => "Ảnh JPEG",
            Self::Png => "Ảnh PNG",
        }
    }
}

/// Why a file is refused while it arrives (the service stops reading at once).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// No byte at all.
    Empty,
    /// The first bytes are none of the accepted types'.
    UnsupportedType,
    /// More than [`MAX_FILE_BYTES`].
    TooLarge,
    /// More than the case has room for (see [`Room`]).
    CaseFull,
}

/// What a case still has room for: bytes and files, from what it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Room {
    /// Bytes a new file may have: the case's remaining allowance, at most [`MAX_FILE_BYTES`].
    pub bytes: u64,
    /// Whether the case's allowance, not the file's own limit, is what bounds `bytes`.
    pub case_bound: bool,
}

impl Room {
    /// The room left in a case holding `files` files of `bytes` bytes in all; `Err(CaseFull)`
    /// when it takes no other file.
    pub fn left(files: u64, bytes: u64) -> Result<Self, Refused> {
        let left = MAX_CASE_BYTES.saturating_sub(bytes);
        if files >= MAX_CASE_FILES || left == 0 {
            return Err(Refused::CaseFull);
        }
        Ok(Self { bytes: left.min(MAX_FILE_BYTES), case_bound: left < MAX_FILE_BYTES })
    }

    /// Checks a file of `size` bytes received so far (call it as bytes arrive: it refuses the
    /// first byte too many).
    pub fn check(&self, size: u64) -> Result<(), Refused> {
        match (size > self.bytes, self.case_bound) {
            (false, _) => Ok(()),
            (true, true) => Err(Refused::CaseFull),
            (true, false) => Err(Refused::TooLarge),
        }
    }
}

/// Whether a citizen may still attach files to a case filed at `filed_at`, at `now`: within
/// [`CITIZEN_WINDOW_HOURS`] of filing.
pub fn citizen_may_attach(filed_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now >= filed_at && now - filed_at <= Duration::hours(CITIZEN_WINDOW_HOURS)
}

/// The name a file is kept under: the last part of what the client sent (browsers on Windows
/// may send a whole path), in NFC, without control characters, spaces collapsed, at most
/// [`MAX_NAME_CHARS`] characters; ending with an extension of its real type (appended when it
/// has another, so that `hoa-don.exe` that is a PDF is kept as `hoa-don.exe.pdf` and never opens
/// as a program); `tai-lieu.pdf` and the like when nothing is left.
pub fn file_name(sent: Option<&str>, kind: FileType) -> String {
    let sent = sent.unwrap_or_default();
    let last = sent.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .nfc()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let mut name = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    // Leading dots would hide the file on most systems; trailing dots and spaces vanish on Windows.
    name = name.trim_start_matches('.').trim_end_matches(['.', ' ']).to_owned();
    let ext = kind.extensions()[0];
    let has_own = name
        .rsplit_once('.')
        .is_some_and(|(stem, e)| !stem.is_empty() && kind.extensions().contains(&e.to_lowercase().as_str()));
    let (stem, suffix) = if name.is_empty() {
        (if kind == FileType::Pdf { "tai-lieu".to_owned() } else { "anh".to_owned() }, format!(".{ext}"))
    } else if has_own {
        let (stem, e) = name.rsplit_once('.').unwrap_or((&name, ext));
        (stem.to_owned(), format!(".{e}"))
    } else {
        (name.clone(), format!(".{ext}"))
    };
    let room = MAX_NAME_CHARS.saturating_sub(suffix.chars().count());
    let stem: String = stem.chars().take(room).collect();
    format!("{}{suffix}", stem.trim_end())
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn the_type_comes_from_the_first_bytes() {
        let cases: [(&[u8], Option<FileType>, &str); 10] = [
            (b"%PDF-1.7\n%\xe2\xe3", Some(FileType::Pdf), "a PDF"),
            (&[0xff, 0xd8, 0xff, 0xe0, 0, 0x10, b'J', b'F'], Some(FileType::Jpeg), "a JFIF JPEG"),
            (&[0xff, 0xd8, 0xff, 0xe1], Some(FileType::Jpeg), "an Exif JPEG"),
            (&[0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'], Some(FileType::Png), "a PNG"),
            (b"GIF89a\x01\x00", None, "a GIF"),
            (b"MZ\x90\x00\x03\x00\x00\x00", None, "a Windows program"),
            (b"<html><s", None, "a web page"),
            (b" %PDF-1.", None, "a PDF behind a space"),
            (&[0x89, b'P', b'N', b'G', b'\r', b'\n'], None, "a cut PNG signature"),
            (b"", None, "nothing"),
        ];
        for (bytes, expected, what) in cases {
            assert_eq!(FileType::sniff(bytes), expected, "{what}");
        }
    }

    #[test]
    fn room_in_a_case() {
        let empty = Room::left(0, 0).unwrap();
        assert_eq!(empty, Room { bytes: MAX_FILE_BYTES, case_bound: false });
        assert_eq!(empty.check(MAX_FILE_BYTES), Ok(()));
        assert_eq!(empty.check(MAX_FILE_BYTES + 1), Err(Refused::TooLarge));
        // 45 MB held: 5 MB left, and the case is what refuses the sixth.
        let nearly = Room::left(5, 45 * 1024 * 1024).unwrap();
        assert_eq!(nearly, Room { bytes: 5 * 1024 * 1024, case_bound: true });
        assert_eq!(nearly.check(5 * 1024 * 1024), Ok(()));
        assert_eq!(nearly.check(5 * 1024 * 1024 + 1), Err(Refused::CaseFull));
        assert_eq!(Room::left(5, MAX_CASE_BYTES), Err(Refused::CaseFull));
        assert_eq!(Room::left(MAX_CASE_FILES, 1000), Err(Refused::CaseFull));
        assert!(Room::left(MAX_CASE_FILES - 1, 1000).is_ok());
    }

    #[test]
    fn a_citizen_attaches_within_a_day_of_filing() {
        let filed = Utc.with_ymd_and_hms(2026, 11, 25, 2, 0, 0).unwrap();
        assert!(citizen_may_attach(filed, filed));
        assert!(citizen_may_attach(filed, filed + Duration::hours(24)));
        assert!(!citizen_may_attach(filed, filed + Duration::hours(24) + Duration::seconds(1)));
        assert!(
            !citizen_may_attach(filed, filed - Duration::seconds(1)),
            "before filing: a clock gone wrong"
        );
    }

    #[test]
    fn names_are_kept_clean_and_end_with_their_real_type() {
        let cases = [
            (Some("Đơn tố cáo – bản gốc.pdf"), FileType::Pdf, "Đơn tố cáo – bản gốc.pdf"),
            (Some("C:\\Users\\An\\Ảnh chụp.JPG"), FileType::Jpeg, "Ảnh chụp.JPG"),
            (Some("/home/an/giay-to/so-do.png"), FileType::Png, "so-do.png"),
            (Some("hoa-don.exe"), FileType::Pdf, "hoa-don.exe.pdf"),
            (Some("bien-ban.pdf"), FileType::Png, "bien-ban.pdf.png"),
            (Some("  nhiều    khoảng\ttrắng\n.jpeg "), FileType::Jpeg, "nhiều khoảng trắng.jpeg"),
            (Some("..ẩn"), FileType::Pdf, "ẩn.pdf"),
            (Some(".pdf"), FileType::Pdf, "pdf.pdf"),
            (Some(""), FileType::Pdf, "tai-lieu.pdf"),
            (None, FileType::Png, "anh.png"),
            (Some("bad\u{202e}fdp.exe"), FileType::Pdf, "bad fdp.exe.pdf"),
        ];
        for (sent, kind, expected) in cases {
            assert_eq!(file_name(sent, kind), expected, "{sent:?}");
        }
        // Decomposed input (macOS) is kept composed.
        assert_eq!(file_name(Some("Nguye\u{0302}\u{0303}n.pdf"), FileType::Pdf), "Nguyễn.pdf");
        let long = format!("{}.pdf", "a".repeat(500));
        let kept = file_name(Some(&long), FileType::Pdf);
        assert_eq!(kept.chars().count(), MAX_NAME_CHARS);
        assert!(kept.ends_with("a.pdf"));
    }
}
