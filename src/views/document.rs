//! A written notice as the administrative document it prints as (Nghị định 30/2020/NĐ-CP's layout:
//! the issuing body and the state emblem header side by side, number and place-date, title, the
//! addressee, the body, the recipients of copies and the signature block). The notice services fill
//! it from the case; [`super::notice_html`] prints it as an A4 page, [`super::notice_pdf`] as a PDF.

/// The national title and motto every administrative document carries (quốc hiệu, tiêu ngữ).
pub const NATIONAL_TITLE: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
pub const NATIONAL_MOTTO: &str = "Độc lập - Tự do - Hạnh phúc";

/// One printed document, every text already in Vietnamese and filled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The body above the issuing one, upper-case (e.g. "UBND TỈNH QUẢNG NINH"), if any.
    pub superior: Option<String>,
    /// The issuing body, upper-case (e.g. "ỦY BAN NHÂN DÂN PHƯỜNG KA LONG").
    pub agency: String,
    /// The document's number and symbol, e.g. "Số: 12/TB-UBND".
    pub number: String,
    /// Place and date, e.g. "Ka Long, ngày 05 tháng 12 năm 2026".
    pub place_and_date: String,
    /// The kind of document, upper-case (e.g. "THÔNG BÁO", "THƯ XIN LỖI").
    pub title: String,
    /// What it is about (e.g. "Về việc thụ lý giải quyết khiếu nại").
    pub subtitle: String,
    /// The addressee line, e.g. "Kính gửi: Ông Nguyễn Văn An".
    pub addressee: String,
    /// The body, one paragraph each.
    pub paragraphs: Vec<String>,
    /// "Nơi nhận": where the original and the copies go.
    pub copies_to: Vec<String>,
    /// The signer's capacity, upper-case (e.g. "CHỦ TỊCH", "KT. CHỦ TỊCH").
    pub signer_title: String,
    /// The signer's name, when known.
    pub signer_name: Option<String>,
    /// The case's permanent tracking link, printed with its QR code on a receipt.
    pub tracking: Option<super::qr::TrackingLink>,
}
