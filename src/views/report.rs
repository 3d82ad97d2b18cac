//! The periodic report and the public results as files: CSV, XLSX, a printable A4 page and an
//! Atom feed. Every figure is read from the report's own JSON by its key, in the order of the
//! official tables below (TT 02/2021's forms), so the JSON, CSV, XLSX and page cannot disagree.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};
use serde_json::Value;

use crate::{
    error::{AppError, AppResult},
    service::reports::{periodic::PeriodicReport, public::MonthResults},
};

/// One table of the report: its title, the key of its figures in the JSON, and its columns in
/// the official order (key, Vietnamese label).
pub struct Table {
    pub title: &'static str,
    pub sheet: &'static str,
    pub key: &'static str,
    pub columns: &'static [(&'static str, &'static str)],
}

/// The three tables, in order.
pub const TABLES: [Table; 3] = [
    Table {
        title: "Biểu 01. Kết quả tiếp công dân",
        sheet: "01 Tiếp công dân",
        key: "reception",
        columns: &[
            ("sessions", "Số buổi tiếp"),
            ("visits", "Số lượt tiếp"),
            ("people", "Số người được tiếp"),
            ("cases", "Số vụ việc"),
            ("new", "Lượt tiếp vụ việc mới"),
            ("repeat", "Lượt tiếp vụ việc cũ"),
            ("delegations", "Số đoàn đông người"),
            ("delegation_people", "Số người trong đoàn đông người"),
            ("delegations_new", "Đoàn đông người: vụ việc mới"),
            ("delegations_repeat", "Đoàn đông người: vụ việc cũ"),
        ],
    },
    Table {
        title: "Biểu 02. Kết quả xử lý đơn",
        sheet: "02 Xử lý đơn",
        key: "handling",
        columns: &[
            ("carried_over", "Đơn kỳ trước chuyển sang"),
            ("received", "Đơn tiếp nhận trong kỳ"),
            ("total", "Tổng số đơn"),
            ("processed", "Đơn đã xử lý"),
            ("eligible", "Đơn đủ điều kiện xử lý"),
            ("within_competence", "Thuộc thẩm quyền (đã thụ lý)"),
            ("guided", "Hướng dẫn"),
            ("forwarded", "Chuyển đơn"),
            ("urged", "Đôn đốc"),
            ("archived", "Lưu đơn"),
            ("rejected", "Không thụ lý"),
            ("leads", "Nguồn tin (tố cáo nặc danh)"),
            ("replies_received", "Văn bản trả lời nhận được"),
            ("pending_at_end", "Đơn chưa xử lý cuối kỳ"),
        ],
    },
    Table {
        title: "Biểu 03. Kết quả giải quyết khiếu nại, tố cáo, kiến nghị, phản ánh",
        sheet: "03 Giải quyết",
        key: "resolution",
        columns: &[
            ("due", "Số vụ việc phải giải quyết"),
            ("carried_over", "Kỳ trước chuyển sang"),
            ("accepted", "Thụ lý trong kỳ"),
            ("resolved", "Đã giải quyết"),
            ("right", "Đúng"),
            ("partly_right", "Có đúng, có sai"),
            ("wrong", "Sai"),
            ("round_1", "Giải quyết lần đầu"),
            ("round_2", "Giải quyết lần hai"),
            ("on_time", "Đúng hạn"),
            ("late", "Quá hạn"),
            ("withdrawn", "Rút đơn"),
            ("terminated", "Đình chỉ giải quyết"),
            ("open_at_end", "Chưa giải quyết xong cuối kỳ"),
            ("recovered_money", "Tiền kiến nghị thu hồi (đồng)"),
            ("recovered_land_m2", "Đất kiến nghị thu hồi (m²)"),
            ("people_restored", "Số người được bảo vệ quyền lợi"),
        ],
    },
];

/// One line of the breakdowns: the table, the list in the JSON, the key naming its item, the
/// figure, and how the line is labelled.
struct Breakdown {
    table: usize,
    list: &'static str,
    figures: &'static [(&'static str, &'static str)],
}

const BREAKDOWNS: [Breakdown; 6] = [
    Breakdown {
        table: 0,
        list: "by_session_kind",
        figures: &[
            ("sessions", "số buổi"),
            ("visits", "số lượt"),
            ("people", "số người"),
            ("cases", "số vụ việc"),
            ("new", "vụ việc mới"),
            ("repeat", "vụ việc cũ"),
        ],
    },
    Breakdown {
        table: 0,
        list: "by_kind",
        figures: &[
            ("visits", "số lượt"),
            ("people", "số người"),
            ("new", "vụ việc mới"),
            ("repeat", "vụ việc cũ"),
        ],
    },
    Breakdown { table: 0, list: "by_field", figures: &[("visits", "số lượt")] },
    Breakdown {
        table: 1,
        list: "by_kind",
        figures: &[
            ("total", "tổng số đơn"),
            ("processed", "đã xử lý"),
            ("within_competence", "thuộc thẩm quyền"),
            ("guided", "hướng dẫn"),
            ("forwarded", "chuyển đơn"),
            ("archived", "lưu đơn"),
            ("rejected", "không thụ lý"),
        ],
    },
    Breakdown { table: 1, list: "by_field", figures: &[("received", "đơn tiếp nhận")] },
    Breakdown {
        table: 2,
        list: "by_kind",
        figures: &[
            ("due", "phải giải quyết"),
            ("resolved", "đã giải quyết"),
            ("on_time", "đúng hạn"),
            ("late", "quá hạn"),
        ],
    },
];

/// The label of the sum of every agency.
pub const TOTAL: &str = "Tổng cộng";

/// One value of the report: a figure, its table, code and label, the agency it is of.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub table: &'static str,
    pub code: String,
    pub label: String,
    pub agency: String,
    pub value: Value,
}

/// Every figure of the report, table by table in the official order: each column for each
/// agency then the total, then the breakdowns (of the total).
pub fn cells(report: &PeriodicReport) -> AppResult<Vec<Cell>> {
    let json = serde_json::to_value(report).map_err(AppError::internal)?;
    let agencies = json["agencies"].as_array().cloned().unwrap_or_default();
    let mut out = Vec::new();
    for (i, table) in TABLES.iter().enumerate() {
        for (code, label) in table.columns {
            for a in &agencies {
                let name = a["agency"]["name"].as_str().unwrap_or_default().to_owned();
                out.push(Cell {
                    table: table.title,
                    code: (*code).to_owned(),
                    label: (*label).to_owned(),
                    agency: name,
                    value: a[table.key][code].clone(),
                });
            }
            if agencies.len() > 1 {
                out.push(Cell {
                    table: table.title,
                    code: (*code).to_owned(),
                    label: (*label).to_owned(),
                    agency: TOTAL.to_owned(),
                    value: json[table.key][code].clone(),
                });
            }
        }
        for b in BREAKDOWNS.iter().filter(|b| b.table == i) {
            for item in json[table.key][b.list].as_array().cloned().unwrap_or_default() {
                let id = item["kind"].as_str().or(item["field"].as_str()).unwrap_or("unclassified");
                let item_label = item["label"].as_str().unwrap_or_default();
                for (figure, figure_label) in b.figures {
                    out.push(Cell {
                        table: table.title,
                        code: format!("{}.{id}.{figure}", b.list),
                        label: format!("{item_label}: {figure_label}"),
                        agency: TOTAL.to_owned(),
                        value: item[figure].clone(),
                    });
                }
            }
        }
    }
    Ok(out)
}

/// A value as CSV or page text: integers as they are, the land to the hundredth.
fn text(value: &Value) -> String {
    match value {
        Value::Number(n) if n.is_f64() => format!("{:.2}", n.as_f64().unwrap_or(0.0)),
        Value::Number(n) => n.to_string(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A CSV field, quoted when it must be.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_owned() }
}

/// The report as CSV (UTF-8 with a byte-order mark, for spreadsheets): one line per figure,
/// `Biểu,Mã chỉ tiêu,Chỉ tiêu,Cơ quan,Giá trị`.
pub fn csv(report: &PeriodicReport) -> AppResult<Vec<u8>> {
    let mut out = String::from("\u{feff}Biểu,Mã chỉ tiêu,Chỉ tiêu,Cơ quan,Giá trị\r\n");
    for c in cells(report)? {
        let line = [c.table, &c.code, &c.label, &c.agency, &text(&c.value)].map(csv_field).join(",");
        out.push_str(&line);
        out.push_str("\r\n");
    }
    Ok(out.into_bytes())
}

fn xlsx_error(e: XlsxError) -> AppError {
    AppError::internal(e)
}

/// The report as a workbook: one sheet per table (an agency a row, the total last; figures as
/// numbers), and a sheet of the breakdowns.
pub fn xlsx(report: &PeriodicReport) -> AppResult<Vec<u8>> {
    let json = serde_json::to_value(report).map_err(AppError::internal)?;
    let agencies = json["agencies"].as_array().cloned().unwrap_or_default();
    let mut workbook = Workbook::new();
    let title = Format::new().set_bold().set_font_size(13);
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_border(FormatBorder::Thin);
    let cell = Format::new().set_border(FormatBorder::Thin);
    let land = Format::new().set_border(FormatBorder::Thin).set_num_format("0.00");
    let bold = Format::new().set_bold().set_border(FormatBorder::Thin);
    let period = period_text(report);
    for table in &TABLES {
        let sheet = workbook.add_worksheet();
        sheet.set_name(table.sheet).map_err(xlsx_error)?;
        sheet.write_string_with_format(0, 0, table.title, &title).map_err(xlsx_error)?;
        sheet.write_string(1, 0, &period).map_err(xlsx_error)?;
        sheet.write_string_with_format(3, 0, "Cơ quan", &header).map_err(xlsx_error)?;
        sheet.set_column_width(0, 36).map_err(xlsx_error)?;
        for (c, (_, label)) in table.columns.iter().enumerate() {
            let col = u16::try_from(c + 1).map_err(AppError::internal)?;
            sheet.write_string_with_format(3, col, *label, &header).map_err(xlsx_error)?;
            sheet.set_column_width(col, 14).map_err(xlsx_error)?;
        }
        sheet.set_row_height(3, 48).map_err(xlsx_error)?;
        let mut rows: Vec<(String, &Value, bool)> = agencies
            .iter()
            .map(|a| (a["agency"]["name"].as_str().unwrap_or_default().to_owned(), &a[table.key], false))
            .collect();
        if agencies.len() > 1 {
            rows.push((TOTAL.to_owned(), &json[table.key], true));
        }
        for (r, (name, figures, total)) in rows.iter().enumerate() {
            let row = u32::try_from(r + 4).map_err(AppError::internal)?;
            sheet
                .write_string_with_format(row, 0, name, if *total { &bold } else { &cell })
                .map_err(xlsx_error)?;
            for (c, (code, _)) in table.columns.iter().enumerate() {
                let col = u16::try_from(c + 1).map_err(AppError::internal)?;
                let value = figures[code].as_f64().unwrap_or(0.0);
                let format = if *code == "recovered_land_m2" { &land } else { &cell };
                sheet.write_number_with_format(row, col, value, format).map_err(xlsx_error)?;
            }
        }
    }
    let sheet = workbook.add_worksheet();
    sheet.set_name("Chi tiết").map_err(xlsx_error)?;
    sheet
        .write_string_with_format(0, 0, "Chi tiết theo loại phiên, loại đơn, lĩnh vực (tổng cộng)", &title)
        .map_err(xlsx_error)?;
    sheet.write_string(1, 0, &period).map_err(xlsx_error)?;
    for (c, h) in ["Biểu", "Mã chỉ tiêu", "Chỉ tiêu", "Giá trị"].iter().enumerate() {
        let col = u16::try_from(c).map_err(AppError::internal)?;
        sheet.write_string_with_format(3, col, *h, &header).map_err(xlsx_error)?;
    }
    for (col, width) in [(0u16, 40.0), (1, 36.0), (2, 44.0), (3, 14.0)] {
        sheet.set_column_width(col, width).map_err(xlsx_error)?;
    }
    let detail: Vec<Cell> = cells(report)?.into_iter().filter(|c| c.code.contains('.')).collect();
    for (r, c) in detail.iter().enumerate() {
        let row = u32::try_from(r + 4).map_err(AppError::internal)?;
        sheet.write_string_with_format(row, 0, c.table, &cell).map_err(xlsx_error)?;
        sheet.write_string_with_format(row, 1, &c.code, &cell).map_err(xlsx_error)?;
        sheet.write_string_with_format(row, 2, &c.label, &cell).map_err(xlsx_error)?;
        sheet.write_number_with_format(row, 3, c.value.as_f64().unwrap_or(0.0), &cell).map_err(xlsx_error)?;
    }
    workbook.save_to_buffer().map_err(xlsx_error)
}

/// "Từ ngày 15/09/2026 đến ngày 14/12/2026 (kỳ 2026-Q4)".
fn period_text(report: &PeriodicReport) -> String {
    let named = report.period.as_deref().map(|p| format!(" (kỳ {p})")).unwrap_or_default();
    format!(
        "Số liệu từ ngày {} đến ngày {}{named}",
        report.from.format("%d/%m/%Y"),
        report.to.format("%d/%m/%Y")
    )
}

/// HTML-escapes text.
fn esc(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The most agencies the printed page gives a column each (more are in the spreadsheet).
const PRINTED_AGENCY_COLUMNS: usize = 6;

/// The report as a printable A4 page (landscape), laid out by the served `/report-print.css`
/// (the page's policy allows no inline style): the header, each table with its figures (an
/// indicator a row; the total, and each agency when they are few), the breakdowns, and the
/// signature block.
pub fn html(report: &PeriodicReport) -> AppResult<String> {
    let json = serde_json::to_value(report).map_err(AppError::internal)?;
    let agencies = json["agencies"].as_array().cloned().unwrap_or_default();
    let columns: Vec<(String, &Value)> = if agencies.len() == 1 {
        vec![(TOTAL.to_owned(), &agencies[0])]
    } else if agencies.len() <= PRINTED_AGENCY_COLUMNS {
        agencies.iter().map(|a| (a["agency"]["name"].as_str().unwrap_or_default().to_owned(), a)).collect()
    } else {
        vec![]
    };
    let mut body = String::new();
    for (i, table) in TABLES.iter().enumerate() {
        body.push_str(&format!(
            "<h2>{}</h2><table><thead><tr><th scope=\"col\">Chỉ tiêu</th>",
            esc(table.title)
        ));
        for (name, _) in &columns {
            if agencies.len() > 1 {
                body.push_str(&format!("<th scope=\"col\">{}</th>", esc(name)));
            }
        }
        body.push_str(&format!("<th scope=\"col\">{TOTAL}</th></tr></thead><tbody>"));
        for (code, label) in table.columns {
            body.push_str(&format!("<tr><th scope=\"row\">{}</th>", esc(label)));
            if agencies.len() > 1 {
                for (_, a) in &columns {
                    body.push_str(&format!("<td>{}</td>", esc(&text(&a[table.key][code]))));
                }
            }
            body.push_str(&format!("<td class=\"total\">{}</td></tr>", esc(&text(&json[table.key][code]))));
        }
        body.push_str("</tbody></table>");
        for b in BREAKDOWNS.iter().filter(|b| b.table == i) {
            let items = json[table.key][b.list].as_array().cloned().unwrap_or_default();
            body.push_str("<table class=\"detail\"><thead><tr><th scope=\"col\"></th>");
            for (_, figure_label) in b.figures {
                body.push_str(&format!("<th scope=\"col\">{}</th>", esc(figure_label)));
            }
            body.push_str("</tr></thead><tbody>");
            for item in &items {
                body.push_str(&format!(
                    "<tr><th scope=\"row\">{}</th>",
                    esc(item["label"].as_str().unwrap_or_default())
                ));
                for (figure, _) in b.figures {
                    body.push_str(&format!("<td>{}</td>", esc(&text(&item[figure]))));
                }
                body.push_str("</tr>");
            }
            body.push_str("</tbody></table>");
        }
    }
    if agencies.len() > PRINTED_AGENCY_COLUMNS {
        body.push_str(&format!(
            "<p class=\"note\">Số liệu của từng cơ quan ({} cơ quan) có trong tệp XLSX và CSV của báo cáo.</p>",
            agencies.len()
        ));
    }
    let agency = esc(&report.agency.name);
    Ok(format!(
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Báo cáo {period} – {agency}</title>\
         <link rel=\"stylesheet\" href=\"/report-print.css\"></head><body><header><div class=\"issuer\"><p>{upper}</p></div>\
         <div class=\"state\"><p><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b></p><p><b>Độc lập - Tự do - Hạnh phúc</b></p></div></header>\
         <h1>BÁO CÁO<br>Kết quả công tác tiếp công dân, xử lý đơn, giải quyết khiếu nại, tố cáo</h1>\
         <p class=\"period\">{period}</p>{body}\
         <footer><div></div><div class=\"sign\"><p><b>CHỦ TỊCH</b></p><p><i>(Ký, ghi rõ họ tên, đóng dấu)</i></p></div></footer>\
         </body></html>",
        period = esc(&period_text(report)),
        upper = esc(&report.agency.name.to_uppercase()),
    ))
}

/// The public results as CSV, a month a line.
pub fn results_csv(months: &[MonthResults]) -> Vec<u8> {
    let mut out = String::from(
        "\u{feff}Tháng,Đơn tiếp nhận,Đã giải quyết,Đúng hạn,Tỷ lệ đúng hạn (%),Lượt đánh giá,Hài lòng,Tỷ lệ hài lòng (%),Buổi tiếp công dân\r\n",
    );
    let pct = |r: Option<f64>| r.map(|r| format!("{r:.1}")).unwrap_or_default();
    for m in months {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{}\r\n",
            m.month,
            m.received,
            m.resolved,
            m.on_time,
            pct(m.on_time_rate),
            m.ratings,
            m.satisfied,
            pct(m.satisfaction_rate),
            m.sessions_held
        ));
    }
    out.into_bytes()
}

/// The public results as an Atom feed, the newest month first; `updated` is the instant the feed
/// was made.
pub fn results_atom(months: &[MonthResults], updated: chrono::DateTime<chrono::Utc>) -> String {
    let agency = months.first().map(|m| m.agency.clone());
    let (agency_id, name) = agency.map(|a| (a.id, a.name)).unwrap_or((0, String::new()));
    let stamp = updated.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    // Vietnamese writes a decimal comma.
    let pct =
        |r: Option<f64>| r.map_or_else(|| "chưa có".to_owned(), |r| format!("{r:.1}%").replace('.', ","));
    let mut entries = String::new();
    for m in months.iter().rev() {
        let (year, month) = m.month.split_once('-').unwrap_or((&m.month, ""));
        let summary = format!(
            "Tháng {month}/{year}: tiếp nhận {} đơn; giải quyết {} vụ việc, {} đúng hạn (tỷ lệ {}); {} lượt đánh giá, hài lòng {}; {} buổi tiếp công dân.",
            m.received,
            m.resolved,
            m.on_time,
            pct(m.on_time_rate),
            m.ratings,
            pct(m.satisfaction_rate),
            m.sessions_held
        );
        entries.push_str(&format!(
            "<entry><id>urn:tiepdan:ket-qua:{agency_id}:{month_id}</id><title>Kết quả giải quyết đơn thư tháng {month}/{year}</title>\
             <updated>{stamp}</updated><link rel=\"alternate\" type=\"text/html\" href=\"/ket-qua?thang={month_id}\"/>\
             <summary>{summary}</summary></entry>",
            month_id = esc(&m.month),
            summary = esc(&summary),
        ));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"vi\">\
         <id>urn:tiepdan:ket-qua:{agency_id}</id><title>Kết quả tiếp công dân, giải quyết đơn thư – {name}</title>\
         <updated>{stamp}</updated><author><name>{name}</name></author>\
         <link rel=\"self\" type=\"application/atom+xml\" href=\"/api/v1/public/results.atom\"/>{entries}</feed>",
        name = esc(&name),
    )
}
