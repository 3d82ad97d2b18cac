//! A notice as a printable A4 page: the document's blocks in HTML, laid out by the served
//! stylesheet `/notice-print.css` (no inline style: the page's Content-Security-Policy allows
//! none) so that the browser's print gives the administrative layout on one A4 sheet. No script:
//! the page is printed with the browser's own command.

use super::{
    document::{Document, NATIONAL_MOTTO, NATIONAL_TITLE},
    qr::{Qr, TrackingLink},
};

/// Escapes text for HTML.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The page of `doc`; `pdf_href` is the link to its PDF (shown on screen only).
pub fn render(doc: &Document, pdf_href: &str) -> String {
    let superior = doc.superior.as_deref().map(|s| format!("<div>{}</div>", esc(s))).unwrap_or_default();
    let paragraphs: String = doc.paragraphs.iter().map(|p| format!("<p>{}</p>\n", esc(p))).collect();
    let copies: String = doc.copies_to.iter().map(|c| format!("<li>- {};</li>", esc(c))).collect();
    let signer = doc
        .signer_name
        .as_deref()
        .map(|n| format!("<div class=\"signer-name\">{}</div>", esc(n)))
        .unwrap_or_default();
    let tracking = doc.tracking.as_ref().map(tracking_block).unwrap_or_default();
    format!(
        r#"<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} {number}</title>
<link rel="stylesheet" href="/notice-print.css">
</head>
<body>
<nav class="screen-only"><a href="{pdf}">Tải bản PDF</a> · Dùng lệnh In của trình duyệt (Ctrl+P) để in trên khổ A4.</nav>
<article class="sheet">
<header class="heading">
<div class="issuer">{superior}<div class="agency">{agency}</div><div class="rule"></div><div class="number">{number}</div></div>
<div class="nation"><div class="national-title">{nt}</div><div class="motto">{motto}</div><div class="rule"></div><div class="place-date">{place_date}</div></div>
</header>
<h1>{title}</h1>
<h2>{subtitle}</h2>
<p class="addressee">{addressee}</p>
<section class="body">
{paragraphs}</section>
<footer class="closing">
<div class="copies"><div class="copies-title">Nơi nhận:</div><ul>{copies}</ul></div>
<div class="signature"><div class="signer-title">{signer_title}</div><div class="sign-space"></div>{signer}</div>
</footer>
{tracking}</article>
</body>
</html>
"#,
        title = esc(&doc.title),
        number = esc(&doc.number),
        pdf = esc(pdf_href),
        agency = esc(&doc.agency),
        nt = esc(NATIONAL_TITLE),
        motto = esc(NATIONAL_MOTTO),
        place_date = esc(&doc.place_and_date),
        subtitle = esc(&doc.subtitle),
        addressee = esc(&doc.addressee),
        signer_title = esc(&doc.signer_title),
    )
}

/// A receipt's tracking link: its QR code, the address and the code, for a citizen to follow
/// the case by scanning or typing.
fn tracking_block(link: &TrackingLink) -> String {
    let qr = Qr::of(&link.url).map(|qr| qr.svg("qr", "Mã QR tra cứu hồ sơ")).unwrap_or_default();
    format!(
        "<section class=\"tracking\" data-testid=\"tracking\">{qr}<div>\
         <p>Theo dõi hồ sơ trực tuyến: quét mã QR hoặc mở địa chỉ</p>\
         <p class=\"tracking-url\"><a href=\"{url}\">{url}</a></p>\
         <p>Mã hồ sơ: <strong>{code}</strong></p></div></section>\n",
        url = esc(&link.url),
        code = esc(&link.code),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_escapes_what_it_is_filled_with() {
        let doc = Document {
            superior: None,
            agency: "ỦY BAN NHÂN DÂN PHƯỜNG MẪU".into(),
            number: "Số: 1/TB-UBND".into(),
            place_and_date: "Mẫu, ngày 05 tháng 12 năm 2026".into(),
            title: "THÔNG BÁO".into(),
            subtitle: "Về việc thụ lý".into(),
            addressee: "Kính gửi: Ông/Bà <script>x</script>".into(),
            paragraphs: vec!["A & B".into()],
            copies_to: vec!["Như trên".into()],
            signer_title: "CHỦ TỊCH".into(),
            signer_name: Some("Trần Văn Bình".into()),
            tracking: None,
        };
        let html = render(&doc, "/api/v1/notices/1.pdf");
        assert!(html.contains("&lt;script&gt;") && !html.contains("<script>"));
        assert!(
            html.contains("A &amp; B") && html.contains(NATIONAL_TITLE) && html.contains("Trần Văn Bình")
        );
        assert!(!html.contains("class=\"tracking\""), "only a receipt carries the tracking link");
    }

    #[test]
    fn a_receipt_prints_its_tracking_link_and_qr_code() {
        let doc = Document {
            superior: None,
            agency: "ỦY BAN NHÂN DÂN PHƯỜNG MẪU".into(),
            number: "Số: 1/GBN".into(),
            place_and_date: "Mẫu, ngày 05 tháng 12 năm 2026".into(),
            title: "GIẤY BIÊN NHẬN".into(),
            subtitle: String::new(),
            addressee: "Kính gửi: Ông/Bà A".into(),
            paragraphs: vec![],
            copies_to: vec![],
            signer_title: "CHỦ TỊCH".into(),
            signer_name: None,
            tracking: Some(TrackingLink::new("https://td.example.vn/x?a=1&b=2", "TD-2345-6789-ABCZ")),
        };
        let html = render(&doc, "/api/v1/notices/1.pdf");
        assert!(html.contains("<svg class=\"qr\""));
        assert!(html.contains("https://td.example.vn/x?a=1&amp;b=2/tra-cuu?ma=TD-2345-6789-ABCZ"));
        assert!(html.contains("<strong>TD-2345-6789-ABCZ</strong>"));
    }
}
