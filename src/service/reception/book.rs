//! The reception book (Sổ tiếp công dân, Mẫu số 03/TCD): its lines over a period, with a
//! denouncer's identity only for those who may see it (and every such read logged), and the
//! official spreadsheet.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::{
    domain::{
        petition::ReadPurpose,
        reception::{BOOK_HEADERS, BookLine, BookQuery},
    },
    entity::{petition, reception_visit},
    error::{AppError, AppResult},
    service::{
        access::reception::{LinkedCase, VisitScope, can_see_visitor},
        agencies,
        context::Ctx,
        identity::{self, VisitIdentity},
        oversight::identity_reads::{self, Read, Subject},
    },
};

/// The most lines one answer holds (a year of a busy ward is a few thousand; a period is at most
/// 366 days): a longer book is refused (400 `invalid_query`) rather than cut short.
pub const MAX_LINES: u64 = 20_000;

/// A visit as stored, and the identity it names, opened only where the reader may see it.
#[derive(Debug, Clone)]
pub struct Line {
    pub visit: reception_visit::Model,
    /// The visitor and the representatives; `None` where the reader may not see them.
    pub identity: Option<VisitIdentity>,
}

impl Line {
    /// Whether the reader sees the visitor's identity.
    pub fn identity_visible(&self) -> bool {
        self.identity.is_some()
    }

    /// The line as the form prints it.
    pub fn book_line(&self) -> BookLine {
        let v = &self.visit;
        let visitor = self.identity.as_ref().map(|i| &i.visitor);
        BookLine {
            no: v.book_no,
            date: v.visit_date,
            name: visitor.map(|p| p.full_name.clone()),
            address: visitor.and_then(|p| p.address.clone()),
            id_number: visitor.and_then(|p| p.id_number.clone()),
            summary: v.summary.clone(),
            kind: v.kind,
            people_count: v.people_count,
            handled_before_by: v.handled_before_by.clone(),
            within_competence: v.within_competence,
            guided_to: v.guided_to.clone(),
            guidance_letter_no: v.guidance_letter_no.clone(),
            accepted_by: v.accepted_by.clone(),
            forwarding_letter_no: v.forwarding_letter_no.clone(),
            follow_up: v.follow_up.clone(),
            note: v.note.clone(),
        }
    }
}

/// The book of a period: its lines, each visitor's identity only for those who may see it.
#[derive(Debug, Clone)]
pub struct Book {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub lines: Vec<Line>,
}

/// The book as the official spreadsheet, with the name it is saved under.
#[derive(Debug, Clone)]
pub struct BookFile {
    pub filename: String,
    pub bytes: Vec<u8>,
}

/// `GET /reception-book`: the agency's book of a period (this month by default).
pub async fn read(ctx: &Ctx, query: BookQuery) -> AppResult<Book> {
    lines_of(ctx, query, ReadPurpose::ReceptionBook).await
}

/// `GET /reception-book.xlsx`: the same lines as the official spreadsheet (Mẫu số 03/TCD),
/// identities redacted as in [`read`].
pub async fn export(ctx: &Ctx, query: BookQuery) -> AppResult<BookFile> {
    let agency_id = ctx.user.require_staff()?;
    let Book { from, to, lines } = lines_of(ctx, query, ReadPurpose::ReceptionBookExport).await?;
    let agency_name = agencies::find(ctx.reader(), agency_id).await?.name;
    let bytes = xlsx(&agency_name, from, to, &lines)?;
    Ok(BookFile { filename: format!("so-tiep-cong-dan-{from}-{to}.xlsx"), bytes })
}

async fn lines_of(ctx: &Ctx, query: BookQuery, purpose: ReadPurpose) -> AppResult<Book> {
    let agency_id = ctx.user.require_staff()?;
    let (from, to) = query.parse(ctx.today)?;
    let rows = visits_between(ctx.reader(), agency_id, from, to).await?;
    let lines = with_identity(ctx, rows, purpose).await?;
    Ok(Book { from, to, lines })
}

/// Decides, for each visit, whether the caller may see the visitor's identity
/// ([`can_see_visitor`]: for a confidential matter, a denunciation or a line about a confidential
/// case whatever its label, only the officer who wrote the line, the linked case's receiving officer
/// and handler, and the chairman), reading the linked cases in one query, and opens it where they
/// may. Each read of a confidential identity is logged, on the linked case or else on the visit,
/// with `purpose`.
pub async fn with_identity(
    ctx: &Ctx,
    visits: Vec<reception_visit::Model>,
    purpose: ReadPurpose,
) -> AppResult<Vec<Line>> {
    let ids: Vec<i64> = visits.iter().filter_map(|v| v.petition_id).collect();
    let cases: HashMap<i64, LinkedCase> = if ids.is_empty() {
        HashMap::new()
    } else {
        petition::Entity::find()
            .filter(petition::Column::Id.is_in(ids))
            .all(ctx.reader())
            .await?
            .iter()
            .map(|case| (case.id, LinkedCase::of(case)))
            .collect()
    };
    let mut lines = Vec::with_capacity(visits.len());
    let mut reads = Vec::new();
    for visit in visits {
        let scope = VisitScope::of(&visit, visit.petition_id.and_then(|p| cases.get(&p).copied()));
        let identity_visible = can_see_visitor(&ctx.user, &scope);
        if identity_visible && scope.confidential() {
            // On the case when there is one (its log is the evidence), else on the visit.
            let subject = visit.petition_id.map_or(Subject::Visit(visit.id), Subject::Case);
            let read = Read { agency_id: visit.agency_id, subject };
            if !reads.contains(&read) {
                reads.push(read);
            }
        }
        let identity =
            if identity_visible { Some(identity::open_visit(&ctx.keys().data, &visit)?) } else { None };
        lines.push(Line { visit, identity });
    }
    identity_reads::log(ctx.writer(), ctx.user.id, purpose, ctx.now, &reads).await?;
    Ok(lines)
}

/// The visits of an agency's book in `from..=to`, in book order; more than [`MAX_LINES`] is 400
/// `invalid_query` (never a book silently cut short).
pub async fn visits_between(
    db: &impl ConnectionTrait,
    agency_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<reception_visit::Model>> {
    let rows = reception_visit::Entity::find()
        .filter(reception_visit::Column::AgencyId.eq(agency_id))
        .filter(reception_visit::Column::VisitDate.gte(from))
        .filter(reception_visit::Column::VisitDate.lte(to))
        .order_by_asc(reception_visit::Column::BookYear)
        .order_by_asc(reception_visit::Column::BookNo)
        .limit(MAX_LINES + 1)
        .all(db)
        .await?;
    if u64::try_from(rows.len()).unwrap_or(u64::MAX) > MAX_LINES {
        return Err(AppError::bad_request(
            "invalid_query",
            format!("Sổ trong khoảng này có hơn {MAX_LINES} dòng; hãy chọn khoảng ngắn hơn."),
        ));
    }
    Ok(rows)
}

/// A day as a spreadsheet date.
fn excel_date(date: NaiveDate) -> Option<ExcelDateTime> {
    let year = u16::try_from(date.year()).ok()?;
    let month = u8::try_from(date.month()).ok()?;
    let day = u8::try_from(date.day()).ok()?;
    ExcelDateTime::from_ymd(year, month, day).ok()
}

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> AppError {
    AppError::internal(format!("writing the reception book: {e}"))
}

/// Row (0-based) of the spreadsheet's column headers; the form's title is above it, the column
/// numbers (1)…(13) below it, then the lines.
pub const HEADER_ROW: u32 = 3;

/// The book as the official spreadsheet: title, period, the thirteen headers in the form's order,
/// their numbers, then one row per line. The line's number and the number of people are stored
/// as numbers and the day as a date (shown `dd/mm/yyyy`), so that a spreadsheet sums and sorts
/// them; the other cells are text.
pub fn xlsx(agency_name: &str, from: NaiveDate, to: NaiveDate, lines: &[Line]) -> AppResult<Vec<u8>> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Sổ tiếp công dân").map_err(xlsx_error)?;
    let title = Format::new().set_bold().set_font_size(14).set_align(FormatAlign::Center);
    let centered = Format::new().set_align(FormatAlign::Center);
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin);
    let cell = Format::new().set_text_wrap().set_align(FormatAlign::Top).set_border(FormatBorder::Thin);
    sheet.merge_range(0, 0, 0, 12, "SỔ TIẾP CÔNG DÂN", &title).map_err(xlsx_error)?;
    sheet
        .merge_range(
            1,
            0,
            1,
            12,
            &format!("{agency_name} (Mẫu số 03/TCD, Nghị định 154/2026/NĐ-CP)"),
            &centered,
        )
        .map_err(xlsx_error)?;
    sheet
        .merge_range(
            2,
            0,
            2,
            12,
            &format!("Từ ngày {} đến ngày {}", from.format("%d/%m/%Y"), to.format("%d/%m/%Y")),
            &centered,
        )
        .map_err(xlsx_error)?;
    let widths = [6.0, 11.0, 28.0, 16.0, 40.0, 10.0, 9.0, 22.0, 10.0, 24.0, 24.0, 24.0, 16.0];
    for (col, (h, w)) in BOOK_HEADERS.iter().zip(widths).enumerate() {
        let col = u16::try_from(col).unwrap_or(0);
        sheet.set_column_width(col, w).map_err(xlsx_error)?;
        sheet.write_string_with_format(HEADER_ROW, col, *h, &header).map_err(xlsx_error)?;
        sheet
            .write_string_with_format(HEADER_ROW + 1, col, format!("({})", col + 1), &header)
            .map_err(xlsx_error)?;
    }
    let number = Format::new().set_align(FormatAlign::Top).set_border(FormatBorder::Thin);
    let day = number.clone().set_num_format("dd/mm/yyyy");
    for (i, line) in lines.iter().enumerate() {
        let row = HEADER_ROW + 2 + u32::try_from(i).unwrap_or(u32::MAX - HEADER_ROW - 2);
        let book_line = line.book_line();
        for (col, value) in book_line.cells().iter().enumerate() {
            let col = u16::try_from(col).unwrap_or(0);
            match col {
                0 => sheet.write_number_with_format(row, col, f64::from(book_line.no), &number),
                6 => sheet.write_number_with_format(row, col, f64::from(book_line.people_count), &number),
                1 => match excel_date(book_line.date) {
                    Some(date) => sheet.write_date_with_format(row, col, &date, &day),
                    None => sheet.write_string_with_format(row, col, value, &cell),
                },
                _ => sheet.write_string_with_format(row, col, value, &cell),
            }
            .map_err(xlsx_error)?;
        }
    }
    workbook.save_to_buffer().map_err(xlsx_error)
}
