//! A written notice as a PDF, laid out the way Nghị định 30/2020/NĐ-CP prints an administrative
//! document on A4: the issuing body beside the national title, number beside place and date, the
//! title, the addressee, the justified body, then the recipients of copies beside the signature.
//!
//! The layout is fixed and short, so it is set here line by line on `pdf-writer` rather than
//! through a typesetting engine. The PDF standard fonts have no Vietnamese, so the text is set in
//! DejaVu Serif embedded from `assets/fonts/`, cut down to the glyphs the notice uses (a notice stays
//! a few tens of kilobytes) and given a ToUnicode map, so that copying, searching and screen readers
//! get the Vietnamese back. Text is composed (NFC) first: DejaVu has a glyph for every precomposed
//! Vietnamese letter, so one character is one glyph and no shaping is needed.

use std::collections::BTreeMap;
use std::io::Write;

use flate2::{Compression, write::ZlibEncoder};
use pdf_writer::{
    Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr,
    types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap},
};
use unicode_normalization::UnicodeNormalization;

use super::{
    document::{Document, NATIONAL_MOTTO, NATIONAL_TITLE},
    qr::{QUIET_ZONE, Qr, TrackingLink},
};
use crate::error::AppError;

/// PDF points (1/72 inch) in a millimetre.
const PT_PER_MM: f32 = 72.0 / 25.4;
/// A4 portrait.
const PAGE_WIDTH: f32 = 210.0 * PT_PER_MM;
const PAGE_HEIGHT: f32 = 297.0 * PT_PER_MM;
/// The decree's margins: 20–25 mm top and bottom, 30–35 mm left, 15–20 mm right.
const MARGIN_TOP: f32 = 20.0 * PT_PER_MM;
const MARGIN_BOTTOM: f32 = 20.0 * PT_PER_MM;
const MARGIN_LEFT: f32 = 30.0 * PT_PER_MM;
const MARGIN_RIGHT: f32 = 15.0 * PT_PER_MM;
const TEXT_WIDTH: f32 = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT;
/// The header's left column (issuing body, number) and the space between it and the right one,
/// which takes the rest: wide enough for the national title in 12 pt DejaVu Serif Bold (103 mm).
const HEADER_LEFT_WIDTH: f32 = 57.0 * PT_PER_MM;
const HEADER_GUTTER: f32 = 3.0 * PT_PER_MM;
/// A header line at most this much wider than its column is set a little smaller rather than
/// broken (a long superior body's name, a long place).
const HEADER_SHRINK_LIMIT: f32 = 1.12;
/// The closing's left column ("Nơi nhận"), as a share of the text width; the signature the rest.
const CLOSING_LEFT_SHARE: f32 = 0.5;

/// Line height as a multiple of the font size, and where the baseline sits below a line's top.
const LINE_SPACING: f32 = 1.25;
const BASELINE_DROP: f32 = 1.0;
/// The first line of a body paragraph is indented 1.27 cm, paragraphs are 6 pt apart.
const FIRST_LINE_INDENT: f32 = 12.7 * PT_PER_MM;
const PARAGRAPH_GAP: f32 = 6.0;
/// Room left for the signature and the seal between the signer's capacity and name.
const SIGNATURE_SPACE: f32 = 22.0 * PT_PER_MM;
/// The short horizontal rules under the issuing body, the motto and the subject line.
const RULE_WIDTH: f32 = 0.6;
/// A rule under a line is this far below the line's bottom, and the next line this far below it.
const RULE_DROP: f32 = 4.0;
const AFTER_RULE: f32 = 6.0;

const SUPERIOR: Style = Style::new(Face::Regular, 12.0);
const AGENCY: Style = Style::new(Face::Bold, 12.0);
const NUMBER: Style = Style::new(Face::Regular, 13.0);
const NATIONAL: Style = Style::new(Face::Bold, 12.0);
const MOTTO: Style = Style::new(Face::Bold, 13.0);
const PLACE_AND_DATE: Style = Style::new(Face::Italic, 13.0);
const TITLE: Style = Style::new(Face::Bold, 14.0);
const SUBTITLE: Style = Style::new(Face::Bold, 13.0);
const ADDRESSEE: Style = Style::new(Face::Regular, 13.0);
const BODY: Style = Style::new(Face::Regular, 13.0);
const COPIES_HEADING: Style = Style::new(Face::BoldItalic, 12.0);
const COPIES: Style = Style::new(Face::Regular, 11.0);
const SIGNER: Style = Style::new(Face::Bold, 13.0);
const TRACKING: Style = Style::new(Face::Regular, 11.0);
const TRACKING_CODE: Style = Style::new(Face::Bold, 11.0);
/// A receipt's QR code: 28 mm a side with its quiet zone, which a phone reads at arm's length.
const QR_SIDE: f32 = 28.0 * PT_PER_MM;
const QR_GAP: f32 = 5.0 * PT_PER_MM;
const PAGE_NUMBER: Style = Style::new(Face::Regular, 13.0);

/// The heading of the recipients of copies.
const COPIES_HEADING_TEXT: &str = "Nơi nhận:";

/// The notice as a one-page A4 PDF (more pages only if the body truly needs them).
pub fn render(doc: &Document) -> Result<Vec<u8>, AppError> {
    let doc = composed(doc);
    let mut layout = Layout::new(Fonts::load()?);
    layout.header(&doc);
    layout.heading(&doc);
    for paragraph in &doc.paragraphs {
        layout.paragraph(paragraph);
    }
    layout.closing(&doc);
    if let Some(link) = &doc.tracking {
        layout.tracking(link);
    }
    let title = format!("{} {}", doc.title, doc.subtitle);
    layout.into_pdf(title.trim())
}

/// Every text of `doc` in Unicode's composed form (NFC), so that each letter with its diacritics
/// is one character with one glyph of its own in DejaVu Serif.
fn composed(doc: &Document) -> Document {
    let nfc = |text: &str| text.nfc().collect::<String>();
    Document {
        superior: doc.superior.as_deref().map(nfc),
        agency: nfc(&doc.agency),
        number: nfc(&doc.number),
        place_and_date: nfc(&doc.place_and_date),
        title: nfc(&doc.title),
        subtitle: nfc(&doc.subtitle),
        addressee: nfc(&doc.addressee),
        paragraphs: doc.paragraphs.iter().map(|p| nfc(p)).collect(),
        copies_to: doc.copies_to.iter().map(|c| nfc(c)).collect(),
        signer_title: nfc(&doc.signer_title),
        signer_name: doc.signer_name.as_deref().map(nfc),
        tracking: doc.tracking.clone(),
    }
}

/// The faces of DejaVu Serif a notice is set in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Face {
    Regular,
    Bold,
    Italic,
    BoldItalic,
}

impl Face {
    const ALL: [Face; 4] = [Face::Regular, Face::Bold, Face::Italic, Face::BoldItalic];

    /// The font file, vendored with its licence in `assets/fonts/`.
    fn data(self) -> &'static [u8] {
        match self {
            Face::Regular => include_bytes!("../../assets/fonts/DejaVuSerif.ttf"),
            Face::Bold => include_bytes!("../../assets/fonts/DejaVuSerif-Bold.ttf"),
            Face::Italic => include_bytes!("../../assets/fonts/DejaVuSerif-Italic.ttf"),
            Face::BoldItalic => include_bytes!("../../assets/fonts/DejaVuSerif-BoldItalic.ttf"),
        }
    }

    fn postscript_name(self) -> &'static str {
        match self {
            Face::Regular => "DejaVuSerif",
            Face::Bold => "DejaVuSerif-Bold",
            Face::Italic => "DejaVuSerif-Italic",
            Face::BoldItalic => "DejaVuSerif-BoldItalic",
        }
    }

    /// The name the page resources give the face.
    fn resource_name(self) -> Name<'static> {
        match self {
            Face::Regular => Name(b"F1"),
            Face::Bold => Name(b"F2"),
            Face::Italic => Name(b"F3"),
            Face::BoldItalic => Name(b"F4"),
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// A face and a size: how a run of text is set.
#[derive(Debug, Clone, Copy)]
struct Style {
    face: Face,
    size: f32,
}

impl Style {
    const fn new(face: Face, size: f32) -> Self {
        Self { face, size }
    }

    fn line_height(self) -> f32 {
        self.size * LINE_SPACING
    }

    /// From the top of a line to its baseline.
    fn baseline_drop(self) -> f32 {
        self.size * BASELINE_DROP
    }
}

/// One face as loaded for one document: its metrics, and the glyphs the document has set so far,
/// which are all that its embedded subset will keep.
struct LoadedFont {
    face: Face,
    metrics: ttf_parser::Face<'static>,
    units_per_em: f32,
    /// Old glyph id → id in the subset. The subset's ids are the CIDs the content streams show.
    subset: subsetter::GlyphRemapper,
    /// The character each CID stands for, for the ToUnicode map.
    text_of_cid: BTreeMap<u16, char>,
}

impl LoadedFont {
    fn load(face: Face) -> Result<Self, AppError> {
        let metrics = ttf_parser::Face::parse(face.data(), 0)
            .map_err(|err| AppError::internal(format!("font {}: {err}", face.postscript_name())))?;
        let units_per_em = f32::from(metrics.units_per_em());
        Ok(Self {
            face,
            metrics,
            units_per_em,
            subset: subsetter::GlyphRemapper::new(),
            text_of_cid: BTreeMap::new(),
        })
    }

    /// The glyph of `c`, or `.notdef` (a box) for a character the font does not have.
    fn glyph(&self, c: char) -> ttf_parser::GlyphId {
        self.metrics.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0))
    }

    /// Whether `c` is set at all: control and format characters (a stray tab, a zero-width space)
    /// are left out rather than shown as boxes.
    fn is_set(c: char) -> bool {
        !c.is_control() && !matches!(c, '\u{200b}'..='\u{200f}' | '\u{2060}' | '\u{feff}')
    }

    /// The advance of `text` at `size`, in points: the sum of its glyphs' advances.
    fn width(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text
            .chars()
            .filter(|&c| Self::is_set(c))
            .map(|c| u32::from(self.metrics.glyph_hor_advance(self.glyph(c)).unwrap_or(0)))
            .sum();
        units as f32 * size / self.units_per_em
    }

    /// `text` as the two-byte CIDs a content stream shows, noting each glyph for the subset and its
    /// character for the ToUnicode map.
    fn encode(&mut self, text: &str) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(text.len() * 2);
        for c in text.chars().filter(|&c| Self::is_set(c)) {
            let glyph = self.glyph(c);
            let cid = self.subset.remap(glyph.0);
            if glyph.0 != 0 {
                self.text_of_cid.entry(cid).or_insert(c);
            }
            bytes.extend_from_slice(&cid.to_be_bytes());
        }
        bytes
    }

    /// Whether the document set anything in this face (`.notdef` is always in a subset).
    fn is_used(&self) -> bool {
        self.subset.num_gids() > 1
    }

    /// A font unit in PDF glyph space (thousandths of the font size).
    fn to_glyph_space(&self, units: f32) -> f32 {
        units * 1000.0 / self.units_per_em
    }
}

/// The four faces of one document.
struct Fonts([LoadedFont; 4]);

impl Fonts {
    fn load() -> Result<Self, AppError> {
        let [regular, bold, italic, bold_italic] = Face::ALL.map(LoadedFont::load);
        Ok(Self([regular?, bold?, italic?, bold_italic?]))
    }

    fn get(&self, face: Face) -> &LoadedFont {
        &self.0[face.index()]
    }

    fn get_mut(&mut self, face: Face) -> &mut LoadedFont {
        &mut self.0[face.index()]
    }

    fn width(&self, style: Style, text: &str) -> f32 {
        self.get(style.face).width(text, style.size)
    }
}

/// A line as wrapped: its words, their width set with single spaces, and whether it ends its
/// paragraph or a forced break (such a line is not justified).
#[derive(Debug)]
struct Line<'a> {
    words: Vec<&'a str>,
    width: f32,
    ends_segment: bool,
}

/// Breaks `text` into lines at spaces, by measuring the glyph advances of `style`'s face: the first
/// line is at most `first_width` wide, the others `rest_width`. A line break in `text` is kept.
/// A word is never cut: one wider than the line stands alone on its line.
fn wrap<'a>(fonts: &Fonts, style: Style, text: &'a str, first_width: f32, rest_width: f32) -> Vec<Line<'a>> {
    let space = fonts.width(style, " ");
    let mut lines = Vec::new();
    for segment in text.split('\n') {
        let mut words = Vec::new();
        let mut width = 0.0;
        for word in segment.split(|c: char| c.is_whitespace() && c != '\u{a0}').filter(|w| !w.is_empty()) {
            let word_width = fonts.width(style, word);
            let available = if lines.is_empty() { first_width } else { rest_width };
            if !words.is_empty() && width + space + word_width > available {
                lines.push(Line { words: std::mem::take(&mut words), width, ends_segment: false });
                width = 0.0;
            }
            if !words.is_empty() {
                width += space;
            }
            width += word_width;
            words.push(word);
        }
        if !words.is_empty() {
            lines.push(Line { words, width, ends_segment: true });
        }
    }
    lines
}

/// Breaks `text` into as few lines as [`wrap`] does at `width`, but of even length: the narrowest
/// width that needs no more lines is found by bisection. A centred heading broken in two reads
/// better as two halves than as a full line and a word.
fn balanced_wrap<'a>(fonts: &Fonts, style: Style, text: &'a str, width: f32) -> Vec<Line<'a>> {
    let lines = wrap(fonts, style, text, width, width);
    if lines.len() < 2 {
        return lines;
    }
    let (mut too_narrow, mut wide_enough) = (0.0, width);
    for _ in 0..16 {
        let middle = (too_narrow + wide_enough) / 2.0;
        if wrap(fonts, style, text, middle, middle).len() <= lines.len() {
            wide_enough = middle;
        } else {
            too_narrow = middle;
        }
    }
    wrap(fonts, style, text, wide_enough, wide_enough)
}

/// A column of the page: where it starts and how wide it is.
#[derive(Debug, Clone, Copy)]
struct Column {
    left: f32,
    width: f32,
}

impl Column {
    fn centre(self) -> f32 {
        self.left + self.width / 2.0
    }
}

/// What a centred block took: the bottom of its last line and the width of its widest.
struct Block {
    bottom: f32,
    widest: f32,
}

/// The pages as they are set, top to bottom.
struct Layout {
    fonts: Fonts,
    finished: Vec<Content>,
    current: Content,
    /// From the top of the page to the top of the next line.
    y: f32,
}

impl Layout {
    fn new(fonts: Fonts) -> Self {
        Self { fonts, finished: Vec::new(), current: Content::new(), y: MARGIN_TOP }
    }

    /// The two header columns: issuing body and number on the left, the national title, motto
    /// and place-date on the right, number and place-date on one baseline.
    fn header(&mut self, doc: &Document) {
        let left = Column { left: MARGIN_LEFT, width: HEADER_LEFT_WIDTH };
        let right = Column {
            left: MARGIN_LEFT + HEADER_LEFT_WIDTH + HEADER_GUTTER,
            width: TEXT_WIDTH - HEADER_LEFT_WIDTH - HEADER_GUTTER,
        };

        let mut left_y = MARGIN_TOP;
        if let Some(superior) = &doc.superior {
            let style = self.fitted(SUPERIOR, superior, left.width, HEADER_SHRINK_LIMIT);
            left_y = self.centred(style, superior, left, left_y).bottom;
        }
        let style = self.fitted(AGENCY, &doc.agency, left.width, HEADER_SHRINK_LIMIT);
        let agency = self.centred(style, &doc.agency, left, left_y);
        left_y = self.rule_under(agency.bottom, left.centre(), agency.widest * 0.4);

        // The national title and motto are never broken.
        let national = self.fitted(NATIONAL, NATIONAL_TITLE, right.width, f32::INFINITY);
        let mut right_y = self.centred(national, NATIONAL_TITLE, right, MARGIN_TOP).bottom;
        let motto = self.fitted(MOTTO, NATIONAL_MOTTO, right.width, f32::INFINITY);
        let motto_block = self.centred(motto, NATIONAL_MOTTO, right, right_y);
        right_y = self.rule_under(motto_block.bottom, right.centre(), motto_block.widest);

        let row = left_y.max(right_y);
        let style = self.fitted(NUMBER, &doc.number, left.width, HEADER_SHRINK_LIMIT);
        let number = self.centred(style, &doc.number, left, row);
        let style = self.fitted(PLACE_AND_DATE, &doc.place_and_date, right.width, HEADER_SHRINK_LIMIT);
        let place_and_date = self.centred(style, &doc.place_and_date, right, row);
        self.y = number.bottom.max(place_and_date.bottom);
    }

    /// The title, the subject line with a short rule under it, and the addressee.
    fn heading(&mut self, doc: &Document) {
        let full = Column { left: MARGIN_LEFT, width: TEXT_WIDTH };
        self.y += 18.0;
        self.y = self.centred(TITLE, &doc.title, full, self.y).bottom;
        let subtitle = self.centred(SUBTITLE, &doc.subtitle, full, self.y);
        self.y = if subtitle.widest > 0.0 {
            self.rule_under(subtitle.bottom, full.centre(), (subtitle.widest * 0.4).max(40.0))
        } else {
            subtitle.bottom
        };
        self.y += 6.0;
        self.y = self.centred(ADDRESSEE, &doc.addressee, full, self.y).bottom;
        self.y += PARAGRAPH_GAP + 4.0;
    }

    /// A body paragraph: justified, its first line indented, flowing onto a new page if need be.
    fn paragraph(&mut self, text: &str) {
        let lines = wrap(&self.fonts, BODY, text, TEXT_WIDTH - FIRST_LINE_INDENT, TEXT_WIDTH);
        for (index, line) in lines.iter().enumerate() {
            let indent = if index == 0 { FIRST_LINE_INDENT } else { 0.0 };
            let gaps = line.words.len().saturating_sub(1);
            let extra_gap = if line.ends_segment || gaps == 0 {
                0.0
            } else {
                ((TEXT_WIDTH - indent - line.width) / gaps as f32).max(0.0)
            };
            self.make_room(BODY.line_height());
            let baseline = self.y + BODY.baseline_drop();
            self.draw_line(BODY, MARGIN_LEFT + indent, baseline, &line.words, extra_gap);
            self.y += BODY.line_height();
        }
        if !lines.is_empty() {
            self.y += PARAGRAPH_GAP;
        }
    }

    /// "Nơi nhận" with the recipients of copies on the left, the signature block on the right,
    /// their tops level; the whole closing moves to a new page if it does not fit.
    fn closing(&mut self, doc: &Document) {
        let left_width = TEXT_WIDTH * CLOSING_LEFT_SHARE;
        let left = Column { left: MARGIN_LEFT, width: left_width };
        let right = Column { left: MARGIN_LEFT + left_width, width: TEXT_WIDTH - left_width };

        let copies = copies_lines(&doc.copies_to);
        let dash = self.fonts.width(COPIES, "- ");
        let wrapped_copies: Vec<Vec<Line>> = copies
            .iter()
            .map(|copy| wrap(&self.fonts, COPIES, copy, left.width, left.width - dash))
            .collect();
        let copy_lines: usize = wrapped_copies.iter().map(Vec::len).sum();
        let left_height = if copies.is_empty() {
            0.0
        } else {
            COPIES_HEADING.line_height() + copy_lines as f32 * COPIES.line_height()
        };
        let title_lines = wrap(&self.fonts, SIGNER, &doc.signer_title, right.width, right.width).len();
        let name_lines = doc
            .signer_name
            .as_deref()
            .map_or(0, |name| wrap(&self.fonts, SIGNER, name, right.width, right.width).len());
        let right_height = (title_lines + name_lines) as f32 * SIGNER.line_height() + SIGNATURE_SPACE;

        self.y += 10.0;
        self.make_room(left_height.max(right_height));
        let top = self.y;

        if !copies.is_empty() {
            let mut y = top;
            self.draw_line(
                COPIES_HEADING,
                left.left,
                y + COPIES_HEADING.baseline_drop(),
                &[COPIES_HEADING_TEXT],
                0.0,
            );
            y += COPIES_HEADING.line_height();
            for lines in &wrapped_copies {
                for (index, line) in lines.iter().enumerate() {
                    let x = if index == 0 { left.left } else { left.left + dash };
                    self.draw_line(COPIES, x, y + COPIES.baseline_drop(), &line.words, 0.0);
                    y += COPIES.line_height();
                }
            }
        }

        let mut y = self.centred(SIGNER, &doc.signer_title, right, top).bottom + SIGNATURE_SPACE;
        if let Some(name) = &doc.signer_name {
            y = self.centred(SIGNER, name, right, y).bottom;
        }
        self.y = y.max(top + left_height);
    }

    /// A receipt's tracking link under the signature: its QR code on the left, the address and
    /// the code beside it, above a dashed rule.
    fn tracking(&mut self, link: &TrackingLink) {
        let Some(qr) = Qr::of(&link.url) else { return };
        self.y += 8.0 * PT_PER_MM;
        self.make_room(QR_SIDE + 4.0);
        let top = self.y;
        self.current
            .save_state()
            .set_line_width(RULE_WIDTH)
            .set_dash_pattern([3.0, 2.0], 0.0)
            .move_to(MARGIN_LEFT, PAGE_HEIGHT - top)
            .line_to(MARGIN_LEFT + TEXT_WIDTH, PAGE_HEIGHT - top)
            .stroke()
            .restore_state();
        let top = top + 4.0;
        // One filled rectangle per horizontal run of dark modules.
        let side = qr.width + 2 * QUIET_ZONE;
        let module = QR_SIDE / side as f32;
        for (x, y, len) in qr.runs() {
            let left = MARGIN_LEFT + (x + QUIET_ZONE) as f32 * module;
            let row_top = top + (y + QUIET_ZONE) as f32 * module;
            self.current.rect(left, PAGE_HEIGHT - row_top - module, len as f32 * module, module);
        }
        self.current.fill_nonzero();

        let text = Column { left: MARGIN_LEFT + QR_SIDE + QR_GAP, width: TEXT_WIDTH - QR_SIDE - QR_GAP };
        let lines = [
            (TRACKING, "Theo dõi hồ sơ trực tuyến: quét mã QR hoặc mở địa chỉ".to_owned()),
            (self.fitted(TRACKING, &link.url, text.width, 1.6), link.url.clone()),
            (TRACKING_CODE, format!("Mã hồ sơ: {}", link.code)),
        ];
        let height: f32 = lines.iter().map(|(style, _)| style.line_height()).sum();
        let mut y = top + (QR_SIDE - height).max(0.0) / 2.0;
        for (style, line) in &lines {
            let words: Vec<&str> = line.split(' ').collect();
            self.draw_line(*style, text.left, y + style.baseline_drop(), &words, 0.0);
            y += style.line_height();
        }
        self.y = top + QR_SIDE;
    }

    /// `style`, made smaller so that `text` fits on one line `width` wide if it is at most
    /// `shrink_limit` times too wide; otherwise `style` as it is, and the text will be broken.
    fn fitted(&self, style: Style, text: &str, width: f32, shrink_limit: f32) -> Style {
        let natural = self.fonts.width(style, text);
        if natural <= width || natural > width * shrink_limit || text.contains('\n') {
            style
        } else {
            Style { size: style.size * width / natural, ..style }
        }
    }

    /// Sets `text` centred in `column` from `top`, broken into lines of even length.
    fn centred(&mut self, style: Style, text: &str, column: Column, top: f32) -> Block {
        let lines = balanced_wrap(&self.fonts, style, text, column.width);
        let mut y = top;
        let mut widest: f32 = 0.0;
        for line in &lines {
            let x = column.centre() - line.width / 2.0;
            self.draw_line(style, x, y + style.baseline_drop(), &line.words, 0.0);
            widest = widest.max(line.width);
            y += style.line_height();
        }
        Block { bottom: y, widest }
    }

    /// A short rule centred under a line whose bottom is `bottom`; returns where the next line
    /// may start.
    fn rule_under(&mut self, bottom: f32, centre: f32, length: f32) -> f32 {
        let y = PAGE_HEIGHT - (bottom + RULE_DROP);
        self.current
            .set_line_width(RULE_WIDTH)
            .move_to(centre - length / 2.0, y)
            .line_to(centre + length / 2.0, y)
            .stroke();
        bottom + RULE_DROP + AFTER_RULE
    }

    /// Starts a new page unless `height` more fits above the bottom margin.
    fn make_room(&mut self, height: f32) {
        if self.y + height > PAGE_HEIGHT - MARGIN_BOTTOM && self.y > MARGIN_TOP {
            let page = std::mem::replace(&mut self.current, Content::new());
            self.finished.push(page);
            self.y = MARGIN_TOP;
            // Pages after the first are numbered at the top, centred in the margin.
            let number = (self.finished.len() + 1).to_string();
            let x = PAGE_WIDTH / 2.0 - self.fonts.width(PAGE_NUMBER, &number) / 2.0;
            self.draw_line(PAGE_NUMBER, x, MARGIN_TOP / 2.0 + PAGE_NUMBER.size / 2.0, &[&number], 0.0);
        }
    }

    /// Sets one line of `words` from `x`, its baseline `baseline` below the top of the page, with
    /// `extra_gap` points added to each space between words (to justify it).
    fn draw_line(&mut self, style: Style, x: f32, baseline: f32, words: &[&str], extra_gap: f32) {
        let font = self.fonts.get_mut(style.face);
        let space = font.encode(" ");
        // A TJ adjustment is in thousandths of the font size, and a positive one moves left.
        let adjustment = -extra_gap * 1000.0 / style.size;
        let content = &mut self.current;
        content.begin_text();
        content.set_font(style.face.resource_name(), style.size);
        content.next_line(x, PAGE_HEIGHT - baseline);
        {
            let mut shown = content.show_positioned();
            let mut items = shown.items();
            let mut run = Vec::new();
            for (index, word) in words.iter().enumerate() {
                if index > 0 {
                    run.extend_from_slice(&space);
                    if extra_gap > 0.0 {
                        items.show(Str(&run)).adjust(adjustment);
                        run.clear();
                    }
                }
                run.extend_from_slice(&font.encode(word));
            }
            items.show(Str(&run));
        }
        content.end_text();
    }

    /// Writes the pages and the embedded font subsets as a PDF.
    fn into_pdf(self, title: &str) -> Result<Vec<u8>, AppError> {
        let Layout { fonts, mut finished, current, .. } = self;
        finished.push(current);

        let mut next_ref = Ref::new(1);
        let catalog_id = next_ref.bump();
        let page_tree_id = next_ref.bump();
        let info_id = next_ref.bump();
        let used_fonts: Vec<(&LoadedFont, Ref)> =
            fonts.0.iter().filter(|font| font.is_used()).map(|font| (font, next_ref.bump())).collect();
        let page_ids: Vec<(Ref, Ref)> = finished.iter().map(|_| (next_ref.bump(), next_ref.bump())).collect();

        let mut pdf = Pdf::new();
        pdf.catalog(catalog_id).pages(page_tree_id).lang(TextStr("vi"));
        pdf.document_info(info_id).title(TextStr(title)).producer(TextStr("tiepdan"));
        let page_count = i32::try_from(page_ids.len()).map_err(AppError::internal)?;
        pdf.pages(page_tree_id).kids(page_ids.iter().map(|(page_id, _)| *page_id)).count(page_count);

        for (content, (page_id, content_id)) in finished.into_iter().zip(&page_ids) {
            let mut page = pdf.page(*page_id);
            page.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
                .parent(page_tree_id)
                .contents(*content_id);
            let mut resources = page.resources();
            let mut font_names = resources.fonts();
            for (font, font_id) in &used_fonts {
                font_names.pair(font.face.resource_name(), *font_id);
            }
            font_names.finish();
            resources.finish();
            page.finish();
            pdf.stream(*content_id, &deflate(&content.finish())?).filter(Filter::FlateDecode);
        }

        for (font, font_id) in &used_fonts {
            write_font(&mut pdf, font, *font_id, &mut next_ref)?;
        }
        Ok(pdf.finish())
    }
}

/// The recipients of copies as the decree lists them: "- item;" each, the last without the
/// semicolon (it is usually "Lưu: VT…"); an item that already ends in punctuation keeps its own.
fn copies_lines(copies_to: &[String]) -> Vec<String> {
    let items: Vec<&str> = copies_to.iter().map(|item| item.trim()).filter(|item| !item.is_empty()).collect();
    let last = items.len().saturating_sub(1);
    items
        .iter()
        .enumerate()
        .map(|(index, item)| {
            let ends_in_punctuation = item.ends_with([';', '.', ',', ':']);
            let end = if index == last || ends_in_punctuation { "" } else { ";" };
            format!("- {item}{end}")
        })
        .collect()
}

/// The CID system of fonts whose CIDs are glyph ids.
const IDENTITY: SystemInfo =
    SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 };

/// Embeds `font` as a Type 0 font with Identity-H encoding: a CIDFontType2 descendant over the
/// subset of the glyphs the document used, their widths, and a ToUnicode map.
fn write_font(pdf: &mut Pdf, font: &LoadedFont, font_id: Ref, next_ref: &mut Ref) -> Result<(), AppError> {
    let cid_font_id = next_ref.bump();
    let descriptor_id = next_ref.bump();
    let file_id = next_ref.bump();
    let to_unicode_id = next_ref.bump();

    let subset = subsetter::subset(font.face.data(), 0, &font.subset)
        .map_err(|err| AppError::internal(format!("subsetting {}: {err}", font.face.postscript_name())))?;
    let base_font = format!("{}+{}", subset_tag(font), font.face.postscript_name());
    let base_font = Name(base_font.as_bytes());

    pdf.type0_font(font_id)
        .base_font(base_font)
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_font_id)
        .to_unicode(to_unicode_id);

    let widths: Vec<f32> = font
        .subset
        .remapped_gids()
        .map(|glyph| {
            let advance = font.metrics.glyph_hor_advance(ttf_parser::GlyphId(glyph)).unwrap_or(0);
            font.to_glyph_space(f32::from(advance))
        })
        .collect();
    let mut cid_font = pdf.cid_font(cid_font_id);
    cid_font
        .subtype(CidFontType::Type2)
        .base_font(base_font)
        .system_info(IDENTITY)
        .font_descriptor(descriptor_id)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    cid_font.widths().consecutive(0, widths);
    cid_font.finish();

    let metrics = &font.metrics;
    let scaled = |units: i16| font.to_glyph_space(f32::from(units));
    let bbox = metrics.global_bounding_box();
    let mut flags = FontFlags::SERIF | FontFlags::SYMBOLIC;
    if metrics.is_italic() {
        flags |= FontFlags::ITALIC;
    }
    let ascent = scaled(metrics.ascender());
    let weight = f32::from(metrics.weight().to_number());
    pdf.font_descriptor(descriptor_id)
        .name(base_font)
        .flags(flags)
        .bbox(Rect::new(scaled(bbox.x_min), scaled(bbox.y_min), scaled(bbox.x_max), scaled(bbox.y_max)))
        .italic_angle(metrics.italic_angle())
        .ascent(ascent)
        .descent(scaled(metrics.descender()))
        .cap_height(metrics.capital_height().map_or(ascent, scaled))
        // The usual estimate of the dominant stem width from the weight class.
        .stem_v(10.0 + 0.244 * (weight - 50.0))
        .font_file2(file_id);

    let subset_length = i32::try_from(subset.len()).map_err(AppError::internal)?;
    pdf.stream(file_id, &deflate(&subset)?).filter(Filter::FlateDecode).pair(Name(b"Length1"), subset_length);

    let mut to_unicode = UnicodeCmap::new(Name(b"Custom"), IDENTITY);
    for (&cid, &c) in &font.text_of_cid {
        to_unicode.pair(cid, c);
    }
    pdf.cmap(to_unicode_id, &deflate(&to_unicode.finish())?)
        .name(Name(b"Custom"))
        .system_info(IDENTITY)
        .filter(Filter::FlateDecode);
    Ok(())
}

/// The six capital letters that prefix a subset's font name (PDF 32000-1 §9.6.4), from its glyphs,
/// so that two different subsets of one face get different names.
fn subset_tag(font: &LoadedFont) -> String {
    // FNV-1a over the face and the kept glyph ids.
    let mut hash: u32 = 0x811c_9dc5;
    let bytes =
        std::iter::once(font.face as u8).chain(font.subset.remapped_gids().flat_map(u16::to_be_bytes));
    for byte in bytes {
        hash = (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193);
    }
    (0..6)
        .map(|_| {
            let letter = b'A' + (hash % 26) as u8;
            hash /= 26;
            char::from(letter)
        })
        .collect()
}

/// `data` compressed for a `/FlateDecode` stream.
fn deflate(data: &[u8]) -> Result<Vec<u8>, AppError> {
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(data).map_err(AppError::internal)?;
    encoder.finish().map_err(AppError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A notice as the services fill it, with a long body.
    fn notice() -> Document {
        Document {
            superior: Some("UBND TỈNH QUẢNG NINH".into()),
            agency: "ỦY BAN NHÂN DÂN PHƯỜNG KA LONG".into(),
            number: "Số: 12/TB-UBND".into(),
            place_and_date: "Ka Long, ngày 05 tháng 12 năm 2026".into(),
            title: "THÔNG BÁO".into(),
            subtitle: "Về việc thụ lý giải quyết khiếu nại lần đầu".into(),
            addressee: "Kính gửi: Ông Nguyễn Văn An".into(),
            paragraphs: vec![
                "Ngày 20 tháng 11 năm 2026, Ủy ban nhân dân phường Ka Long nhận được đơn khiếu nại đề ngày \
                 18 tháng 11 năm 2026 của ông Nguyễn Văn An, cư trú tại khu phố 3, phường Ka Long, khiếu nại \
                 Quyết định số 45/QĐ-UBND ngày 02 tháng 10 năm 2026 của Chủ tịch Ủy ban nhân dân phường về \
                 việc xử phạt vi phạm hành chính trong lĩnh vực xây dựng."
                    .into(),
                "Sau khi xem xét nội dung đơn khiếu nại, căn cứ Điều 27 Luật Khiếu nại năm 2011, khiếu nại \
                 của ông đủ điều kiện thụ lý. Chủ tịch Ủy ban nhân dân phường thông báo thụ lý giải quyết \
                 khiếu nại lần đầu. Thời hạn giải quyết là 30 ngày kể từ ngày thụ lý; đối với vụ việc phức \
                 tạp thì thời hạn giải quyết có thể kéo dài hơn nhưng không quá 45 ngày."
                    .into(),
                "Trong quá trình giải quyết, ông có quyền trình bày ý kiến, cung cấp thông tin, tài liệu, \
                 chứng cứ liên quan đến nội dung khiếu nại; được nhờ luật sư tư vấn về pháp luật và được \
                 nhận quyết định giải quyết khiếu nại theo quy định của pháp luật."
                    .into(),
                "Ủy ban nhân dân phường Ka Long thông báo để ông Nguyễn Văn An được biết và thực hiện./."
                    .into(),
            ],
            copies_to: vec![
                "Như trên".into(),
                "Thanh tra tỉnh Quảng Ninh (để báo cáo)".into(),
                "Chủ tịch, các Phó Chủ tịch UBND phường".into(),
                "Lưu: VT, TCD.".into(),
            ],
            signer_title: "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH".into(),
            signer_name: Some("Trần Thị Bích Ngọc".into()),
            tracking: None,
        }
    }

    fn parse(pdf: &[u8]) -> lopdf::Document {
        lopdf::Document::load_mem(pdf).expect("the PDF parses")
    }

    /// The page's /MediaBox as numbers.
    fn media_box(pdf: &lopdf::Document, page_id: lopdf::ObjectId) -> Vec<f32> {
        let page = pdf.get_dictionary(page_id).expect("a page dictionary");
        let media_box = page.get(b"MediaBox").and_then(lopdf::Object::as_array).expect("a MediaBox");
        media_box.iter().map(|n| n.as_float().expect("a number")).collect()
    }

    /// Text as an extractor gives it, with runs of white space made single spaces.
    fn extracted_text(pdf: &lopdf::Document) -> String {
        let pages: Vec<u32> = pdf.get_pages().keys().copied().collect();
        let text = pdf.extract_text(&pages).expect("text extraction");
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn a_notice_is_one_a4_page_of_pdf() {
        let bytes = render(&notice()).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        let pdf = parse(&bytes);
        let pages = pdf.get_pages();
        assert_eq!(pages.len(), 1, "one page");
        let raw = String::from_utf8_lossy(&bytes);
        assert_eq!(raw.matches("/Type /Page").count() - raw.matches("/Type /Pages").count(), 1);
        let [x0, y0, width, height] = media_box(&pdf, pages[&1])[..] else {
            panic!("a MediaBox of four numbers")
        };
        assert_eq!((x0, y0), (0.0, 0.0));
        assert!((width - 595.28).abs() < 0.5 && (height - 841.89).abs() < 0.5, "A4, got {width} × {height}");
    }

    #[test]
    fn a_receipt_prints_its_tracking_link_and_qr_code_on_its_one_page() {
        let doc = Document {
            title: "GIẤY BIÊN NHẬN".into(),
            subtitle: "Thông tin, tài liệu, bằng chứng".into(),
            tracking: Some(TrackingLink::new("https://tiepdan.kalong.quangninh.gov.vn", "TD-2345-6789-ABCZ")),
            ..notice()
        };
        let bytes = render(&doc).unwrap();
        let pdf = parse(&bytes);
        assert_eq!(pdf.get_pages().len(), 1, "the receipt stays one page");
        let text = extracted_text(&pdf);
        assert!(
            text.contains("https://tiepdan.kalong.quangninh.gov.vn/tra-cuu?ma=TD-2345-6789-ABCZ"),
            "{text}"
        );
        assert!(text.contains("Mã hồ sơ: TD-2345-6789-ABCZ"), "{text}");
        // The code's modules are filled rectangles: as many as its dark runs.
        let qr = Qr::of(&doc.tracking.unwrap().url).unwrap();
        let content = pdf.get_page_content(pdf.get_pages()[&1]);
        let ops = lopdf::content::Content::decode(&content).unwrap().operations;
        assert_eq!(ops.iter().filter(|op| op.operator == "re").count(), qr.runs().len());
    }

    #[test]
    fn the_text_comes_back_with_its_diacritics() {
        let doc = notice();
        let text = extracted_text(&parse(&render(&doc).unwrap()));
        for expected in [
            "Số: 12/TB-UBND",
            "Nguyễn Văn An",
            "ỦY BAN NHÂN DÂN",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Ka Long, ngày 05 tháng 12 năm 2026",
            "Về việc thụ lý giải quyết khiếu nại lần đầu",
            "khiếu nại của ông đủ điều kiện thụ lý",
            "Nơi nhận:",
            "- Như trên;",
            "Trần Thị Bích Ngọc",
        ] {
            assert!(text.contains(expected), "{expected:?} not in the extracted text:\n{text}");
        }
    }

    #[test]
    fn decomposed_input_is_set_and_extracted_composed() {
        let mut doc = notice();
        doc.addressee = "Kính gửi: Ông Nguyễn Văn An".nfd().collect();
        let text = extracted_text(&parse(&render(&doc).unwrap()));
        assert!(text.contains("Kính gửi: Ông Nguyễn Văn An"), "{text}");
    }

    #[test]
    fn fonts_are_embedded_as_subsets_with_a_tounicode_map() {
        let bytes = render(&notice()).unwrap();
        let pdf = parse(&bytes);
        let fonts: Vec<&lopdf::Dictionary> = pdf
            .objects
            .values()
            .filter_map(|object| object.as_dict().ok())
            .filter(|dict| dict.get(b"Subtype").and_then(lopdf::Object::as_name).is_ok_and(|s| s == b"Type0"))
            .collect();
        // Regular, bold, italic (place and date) and bold italic ("Nơi nhận").
        assert_eq!(fonts.len(), 4);
        for font in fonts {
            let name = font.get(b"BaseFont").and_then(lopdf::Object::as_name).unwrap();
            assert_eq!(name.iter().position(|&b| b == b'+'), Some(6), "a subset tag on {name:?}");
            assert!(font.get(b"ToUnicode").is_ok());
        }
        assert!(bytes.len() < 200 * 1024, "{} bytes", bytes.len());
    }

    #[test]
    fn a_long_body_flows_onto_numbered_pages() {
        let mut doc = notice();
        let paragraph = doc.paragraphs[1].clone();
        doc.paragraphs = vec![paragraph; 20];
        let bytes = render(&doc).unwrap();
        let pdf = parse(&bytes);
        let pages = pdf.get_pages();
        assert!(pages.len() >= 2, "{} pages", pages.len());
        for page_id in pages.values() {
            let size = media_box(&pdf, *page_id);
            assert!((size[2] - PAGE_WIDTH).abs() < 0.01 && (size[3] - PAGE_HEIGHT).abs() < 0.01);
        }
        let second = pdf.extract_text(&[2]).unwrap();
        assert!(second.trim_start().starts_with('2'), "page 2 is numbered: {second}");
        assert!(extracted_text(&pdf).contains("Trần Thị Bích Ngọc"));
    }

    #[test]
    fn wrapping_keeps_every_word_whole_and_within_the_width() {
        let fonts = Fonts::load().unwrap();
        let text = notice().paragraphs.join(" ");
        let width = 200.0;
        let lines = wrap(&fonts, BODY, &text, width - 30.0, width);
        assert!(lines.len() > 10);
        let rewrapped: Vec<&str> = lines.iter().flat_map(|line| line.words.iter().copied()).collect();
        assert_eq!(rewrapped, text.split_whitespace().collect::<Vec<_>>());
        for (index, line) in lines.iter().enumerate() {
            let available = if index == 0 { width - 30.0 } else { width };
            assert!(line.width <= available + 0.01, "line {index} is {} wide", line.width);
            let measured = fonts.width(BODY, &line.words.join(" "));
            assert!((measured - line.width).abs() < 0.01);
        }
        assert!(lines.last().is_some_and(|line| line.ends_segment));
    }

    #[test]
    fn a_word_wider_than_the_line_stands_alone_uncut() {
        let fonts = Fonts::load().unwrap();
        let long = "Nghị-định-30/2020/NĐ-CP-về-công-tác-văn-thư-của-cơ-quan-nhà-nước";
        let text = format!("Theo {long} này");
        let lines = wrap(&fonts, BODY, &text, 100.0, 100.0);
        let words: Vec<Vec<&str>> = lines.iter().map(|line| line.words.clone()).collect();
        assert_eq!(words, [vec!["Theo"], vec![long], vec!["này"]]);
    }

    #[test]
    fn odd_input_still_renders() {
        let doc = Document {
            superior: None,
            agency: String::new(),
            number: "Số: 1\t/TB".into(),
            place_and_date: String::new(),
            title: "THƯ XIN LỖI".into(),
            subtitle: String::new(),
            addressee: "Kính gửi: Bà Lê Thị Hồng 😀\u{200b}".into(),
            paragraphs: vec![String::new(), "   ".into(), "Một dòng.\nDòng thứ hai.".into()],
            copies_to: Vec::new(),
            signer_title: "CHỦ TỊCH".into(),
            signer_name: None,
            tracking: None,
        };
        let pdf = parse(&render(&doc).unwrap());
        assert_eq!(pdf.get_pages().len(), 1);
        assert!(extracted_text(&pdf).contains("Dòng thứ hai."));
    }

    #[test]
    fn copies_are_listed_as_the_decree_does() {
        let copies = ["Như trên", "UBND tỉnh;", " ", "Lưu: VT"].map(String::from);
        assert_eq!(copies_lines(&copies), ["- Như trên;", "- UBND tỉnh;", "- Lưu: VT"]);
    }
}
