//! The QR code of a case's permanent tracking link, printed on every receipt (the desk's Mẫu
//! 02/TCD and the portal's filing receipt): a citizen scans it to follow the case without typing
//! the code. Drawn from its modules, as SVG squares on a page and as filled squares in a PDF.

use qrcode::{Color, EcLevel, QrCode};

/// The page a tracking code opens, under the register's public address.
pub fn tracking_url(public_url: &str, code: &str) -> String {
    format!("{}/tra-cuu?ma={code}", public_url.trim_end_matches('/'))
}

/// A link and its tracking code, as a receipt prints them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackingLink {
    pub code: String,
    pub url: String,
}

impl TrackingLink {
    pub fn new(public_url: &str, code: &str) -> Self {
        Self { code: code.to_owned(), url: tracking_url(public_url, code) }
    }
}

/// The modules of a QR code, row by row, without its quiet zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Qr {
    /// Modules per side.
    pub width: usize,
    dark: Vec<bool>,
}

/// The light border around the code that scanners need, in modules (ISO/IEC 18004: four).
pub const QUIET_ZONE: usize = 4;

impl Qr {
    /// The code of `text` at error correction level M (15% of it may be smudged or torn and it
    /// still reads: a paper receipt in a citizen's pocket). `None` only for a text too long for
    /// any QR version, which a link of the register never is.
    pub fn of(text: &str) -> Option<Self> {
        let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
        let dark = code.to_colors().into_iter().map(|c| c == Color::Dark).collect();
        Some(Self { width: code.width(), dark })
    }

    /// Whether the module at `x` (column), `y` (row) is dark.
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        self.dark[y * self.width + x]
    }

    /// The dark modules as horizontal runs `(x, y, length)`, which draw the code with few shapes.
    pub fn runs(&self) -> Vec<(usize, usize, usize)> {
        let mut runs = Vec::new();
        for y in 0..self.width {
            let mut x = 0;
            while x < self.width {
                if self.is_dark(x, y) {
                    let start = x;
                    while x < self.width && self.is_dark(x, y) {
                        x += 1;
                    }
                    runs.push((start, y, x - start));
                } else {
                    x += 1;
                }
            }
        }
        runs
    }

    /// The code as an inline SVG element, with its quiet zone, scaled by the page (`class` for
    /// the size). One path, no style attribute, so a strict Content-Security-Policy allows it.
    pub fn svg(&self, class: &str, label: &str) -> String {
        let side = self.width + 2 * QUIET_ZONE;
        let path: String = self
            .runs()
            .into_iter()
            .map(|(x, y, len)| format!("M{} {}h{len}v1h-{len}z", x + QUIET_ZONE, y + QUIET_ZONE))
            .collect();
        format!(
            "<svg class=\"{class}\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {side} {side}\" \
             role=\"img\" aria-label=\"{label}\" shape-rendering=\"crispEdges\">\
             <rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_link_is_the_public_tracking_page() {
        assert_eq!(
            tracking_url("https://tiepdan.kalong.gov.vn/", "TD-2345-6789-ABCZ"),
            "https://tiepdan.kalong.gov.vn/tra-cuu?ma=TD-2345-6789-ABCZ"
        );
    }

    #[test]
    fn a_tracking_link_fits_a_small_code_with_its_finder_patterns() {
        let qr = Qr::of("https://tiepdan.kalong.gov.vn/tra-cuu?ma=TD-2345-6789-ABCZ").unwrap();
        // Version 4 (33 modules) holds 62 bytes at level M: a link of this length.
        assert!(qr.width <= 37, "{}", qr.width);
        // The three finder patterns: a dark 7×7 ring with a dark 3×3 centre in three corners.
        for (ox, oy) in [(0, 0), (qr.width - 7, 0), (0, qr.width - 7)] {
            for i in 0..7 {
                assert!(qr.is_dark(ox + i, oy) && qr.is_dark(ox, oy + i), "ring at {ox},{oy}");
            }
            assert!(!qr.is_dark(ox + 1, oy + 1) && qr.is_dark(ox + 3, oy + 3));
        }
    }

    /// The code as a scanner sees it: an image, 4 pixels a module, quiet zone included.
    fn scanned(qr: &Qr) -> String {
        const PX: usize = 4;
        let side = (qr.width + 2 * QUIET_ZONE) * PX;
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| {
            let (mx, my) = (x / PX, y / PX);
            let inside = (QUIET_ZONE..QUIET_ZONE + qr.width).contains(&mx)
                && (QUIET_ZONE..QUIET_ZONE + qr.width).contains(&my);
            if inside && qr.is_dark(mx - QUIET_ZONE, my - QUIET_ZONE) { 0 } else { 255 }
        });
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1, "one code found");
        grids[0].decode().expect("the code decodes").1
    }

    #[test]
    fn a_scanner_reads_the_link_back() {
        for url in [
            "http://127.0.0.1:8080/tra-cuu?ma=TD-2345-6789-ABCZ",
            "https://tiepdan.phuongkalong.mongcai.quangninh.gov.vn/tra-cuu?ma=TD-ZZZZ-ZZZZ-ZZZZ",
        ] {
            assert_eq!(scanned(&Qr::of(url).unwrap()), url);
        }
    }

    #[test]
    fn the_runs_cover_exactly_the_dark_modules() {
        let qr = Qr::of("TD-2345-6789-ABCZ").unwrap();
        let mut drawn = vec![false; qr.width * qr.width];
        for (x, y, len) in qr.runs() {
            for i in x..x + len {
                assert!(!drawn[y * qr.width + i]);
                drawn[y * qr.width + i] = true;
            }
        }
        for y in 0..qr.width {
            for x in 0..qr.width {
                assert_eq!(drawn[y * qr.width + x], qr.is_dark(x, y));
            }
        }
    }

    #[test]
    fn the_svg_has_no_style_to_block() {
        let svg = Qr::of("x").unwrap().svg("qr", "Mã QR");
        assert!(svg.starts_with("<svg class=\"qr\"") && svg.ends_with("</svg>"));
        assert!(!svg.contains("style"));
    }
}
