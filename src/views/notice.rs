//! A written notice as the API lists it, and as the document it prints as: filled from its case
//! (or its refusal to receive), the facts of the step that issued it, and the petitioner's
//! identity only when the notice carries it and the reader may see it (never a denouncer in a
//! notice to anyone else: [`crate::domain::notice::carries_petitioner`]).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::{document::Document, qr::TrackingLink};
use crate::{
    domain::{
        deadline::ClockId,
        notice::{NoticeKind, Recipient, SendChannel},
        person::Person,
        petition::{Conclusion, Kind},
    },
    entity::{agency, notice, petition, reception_refusal},
};

/// A notice in a case's list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NoticeView {
    pub id: i64,
    pub kind: NoticeKind,
    pub kind_label: String,
    /// Its number and symbol, e.g. "12/TB-UBND".
    pub number: String,
    pub issued_on: NaiveDate,
    /// The latest day to send it, when the law times it.
    pub due: Option<NaiveDate>,
    pub sent_on: Option<NaiveDate>,
    pub channel: Option<SendChannel>,
    pub recipient: Recipient,
    pub petition_id: Option<i64>,
    pub refusal_id: Option<i64>,
    /// The event of the case's trail that issued it.
    pub event_seq: Option<i32>,
    /// The clock its sending meets.
    pub clock: Option<ClockId>,
    /// Due and not sent by today.
    pub overdue: bool,
}

impl NoticeView {
    pub fn of(n: &notice::Model, today: NaiveDate) -> Self {
        Self {
            id: n.id,
            kind: n.kind,
            kind_label: n.kind.label().to_owned(),
            number: number_of(n),
            issued_on: n.issued_on,
            due: n.due_on,
            sent_on: n.sent_on,
            channel: n.channel,
            recipient: n.recipient,
            petition_id: n.petition_id,
            refusal_id: n.refusal_id,
            event_seq: n.event_seq,
            clock: n.clock,
            overdue: n.sent_on.is_none() && n.due_on.is_some_and(|d| d < today),
        }
    }
}

/// `POST /notices/{id}/sent`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NoticeSentRequest {
    /// The day it was sent (today by default).
    #[serde(default, deserialize_with = "crate::domain::input::supported_date_opt")]
    pub sent_on: Option<NaiveDate>,
    pub channel: SendChannel,
}

/// `POST /petitions/{id}/notices`: the apology letter for a case past its deadline.
#[derive(Debug, Deserialize, ToSchema)]
pub struct IssueNoticeRequest {
    /// Only `apology`: the other notices are issued by the steps that owe them.
    pub kind: NoticeKind,
    /// The new date the case will be resolved by (required while it is open).
    #[serde(default, deserialize_with = "crate::domain::input::supported_date_opt")]
    pub promised_on: Option<NaiveDate>,
}

/// A notice's number and symbol: "12/TB-UBND".
pub fn number_of(n: &notice::Model) -> String {
    format!("{}/{}-UBND", n.doc_no, n.kind.symbol())
}

/// Everything a notice's document is filled from.
pub struct Sources<'a> {
    pub notice: &'a notice::Model,
    pub agency: &'a agency::Model,
    pub superior: Option<&'a agency::Model>,
    pub case: Option<&'a petition::Model>,
    /// The petitioner (or the refused visitor), when the notice carries him and the reader may
    /// see him.
    pub person: Option<&'a Person>,
    pub refusal: Option<&'a reception_refusal::Model>,
    /// The head of the agency, who signs.
    pub signer: Option<String>,
    /// The name of the agency a case was forwarded to, when inside the register.
    pub forwarded_to: Option<String>,
    /// The register's public address, the base of a receipt's tracking link.
    pub public_url: &'a str,
}

/// "ngày 05 tháng 12 năm 2026".
pub fn long_date(d: NaiveDate) -> String {
    format!("ngày {:02} tháng {:02} năm {}", d.day(), d.month(), d.year())
}

fn short_date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// The issuing body's full name, upper-case: "UBND" spelled out.
fn body_title(name: &str) -> String {
    let full = match name.strip_prefix("UBND ") {
        Some(rest) => format!("Ủy ban nhân dân {rest}"),
        None => name.to_owned(),
    };
    full.to_uppercase()
}

/// The place a body's documents are dated from: its name without the committee and the kind
/// of place ("UBND phường Ka Long" → "Ka Long").
pub fn place_of(name: &str) -> String {
    let mut rest = name.trim();
    for prefix in ["UBND ", "Ủy ban nhân dân ", "Uỷ ban nhân dân ", "ỦY BAN NHÂN DÂN "] {
        if let Some(r) = rest.strip_prefix(prefix) {
            rest = r;
        }
    }
    for kind in [
        "phường ",
        "xã ",
        "thị trấn ",
        "đặc khu ",
        "tỉnh ",
        "thành phố ",
        "Phường ",
        "Xã ",
        "Tỉnh ",
        "Thành phố ",
    ] {
        if let Some(r) = rest.strip_prefix(kind) {
            rest = r;
            break;
        }
    }
    rest.to_owned()
}

fn text(details: &Value, key: &str) -> Option<String> {
    details.get(key).and_then(Value::as_str).map(str::to_owned).filter(|s| !s.trim().is_empty())
}

fn date(details: &Value, key: &str) -> Option<NaiveDate> {
    details.get(key).and_then(|v| serde_json::from_value(v.clone()).ok())
}

/// What kind of petition, as the body of a notice names it: "khiếu nại", "tố cáo"…
fn kind_words(kind: Kind) -> &'static str {
    match kind {
        Kind::Complaint => "khiếu nại",
        Kind::Denunciation => "tố cáo",
        Kind::Recommendation => "kiến nghị",
        Kind::Feedback => "phản ánh",
    }
}

fn conclusion_words(c: Conclusion) -> &'static str {
    match c {
        Conclusion::Right => "đúng",
        Conclusion::PartlyRight => "đúng một phần",
        Conclusion::Wrong => "sai",
    }
}

/// The addressee, as the notice greets him.
fn addressee(src: &Sources) -> String {
    let n = src.notice;
    match n.recipient {
        Recipient::Petitioner => match src.person {
            Some(p) => format!("Kính gửi: Ông/Bà {}", p.full_name),
            None => "Kính gửi: Người gửi đơn (thông tin nhân thân được giữ theo quy định)".to_owned(),
        },
        Recipient::Denounced => "Kính gửi: Người bị tố cáo".to_owned(),
        Recipient::CompetentBody => {
            let details: Value = serde_json::from_str(&n.details).unwrap_or(Value::Null);
            let body = src
                .forwarded_to
                .clone()
                .or_else(|| text(&details, "to_body"))
                .or_else(|| src.case.and_then(|c| c.forwarded_to_body.clone()))
                .unwrap_or_else(|| "Cơ quan có thẩm quyền".to_owned());
            format!("Kính gửi: {body}")
        }
    }
}

/// The document of a notice.
pub fn document(src: &Sources) -> Document {
    let n = src.notice;
    let details: Value = serde_json::from_str(&n.details).unwrap_or(Value::Null);
    let agency_name = src.agency.name.clone();
    let (title, subtitle, paragraphs) = match (src.case, src.refusal) {
        (Some(case), _) => case_body(src, case, &details),
        (None, Some(refusal)) => refusal_body(src, refusal),
        (None, None) => ("THÔNG BÁO".to_owned(), String::new(), vec![]),
    };
    let mut copies_to = vec!["Như trên".to_owned()];
    if let Some(case) = src.case {
        if n.recipient == Recipient::Petitioner
            && matches!(n.kind, NoticeKind::Acceptance | NoticeKind::Refusal | NoticeKind::Decision)
            && case.kind == Kind::Complaint
        {
            copies_to.push(format!("Thanh tra {}", place_of(&agency_name)));
        }
        if let (Some(body), Recipient::Petitioner) = (&case.forwarding_body, n.recipient) {
            copies_to.push(body.clone());
        }
    }
    copies_to.push("Lưu: VT, hồ sơ".to_owned());
    Document {
        superior: src.superior.map(|s| body_title(&s.name)),
        agency: body_title(&agency_name),
        number: format!("Số: {}", number_of(n)),
        place_and_date: format!("{}, {}", place_of(&agency_name), long_date(n.issued_on)),
        title,
        subtitle,
        addressee: addressee(src),
        paragraphs,
        copies_to,
        signer_title: "CHỦ TỊCH".to_owned(),
        signer_name: src.signer.clone(),
        // Every receipt carries the case's permanent tracking link and its QR code.
        tracking: src
            .case
            .filter(|_| n.kind == NoticeKind::Receipt && n.recipient == Recipient::Petitioner)
            .map(|case| TrackingLink::new(src.public_url, &case.tracking_code)),
    }
}

/// Title, subtitle and body of a notice about a case.
fn case_body(src: &Sources, case: &petition::Model, details: &Value) -> (String, String, Vec<String>) {
    let n = src.notice;
    let kw = kind_words(case.kind);
    let agency = &src.agency.name;
    let round = if case.round >= 2 { " lần hai" } else { " lần đầu" };
    let round = if case.kind == Kind::Complaint { round } else { "" };
    // The petition, as every notice first recalls it. A notice to the person denounced (or a
    // denunciation's to a body) names no denouncer and gives no tracking code.
    let to_petitioner = n.recipient == Recipient::Petitioner;
    let from = match (to_petitioner, src.person) {
        (true, Some(p)) => {
            let address = p.address.as_deref().map(|a| format!(", địa chỉ: {a}")).unwrap_or_default();
            format!(" của ông/bà {}{address}", p.full_name)
        }
        _ => String::new(),
    };
    let code = if to_petitioner { format!(" (mã hồ sơ {})", case.tracking_code) } else { String::new() };
    let mut body = vec![format!(
        "Ngày {}, {agency} nhận được đơn {kw}{from}{code}, nội dung: {}.",
        short_date(case.received_on),
        case.subject.trim_end_matches('.')
    )];
    if let (Some(no), Some(on)) = (&case.earlier_decision_no, case.earlier_decision_on) {
        let by = case.earlier_decision_body.as_deref().unwrap_or("cơ quan có thẩm quyền");
        body.push(format!("Đơn {kw} đối với Quyết định/Kết luận số {no} ngày {} của {by}.", short_date(on)));
    }
    let reason = text(details, "reason").or_else(|| text(details, "note"));
    let due = date(details, "due").or_else(|| date(details, "new_due"));
    let (title, subtitle) = match n.kind {
        NoticeKind::Acceptance => {
            let sub = match case.kind {
                Kind::Complaint => format!("Về việc thụ lý giải quyết khiếu nại{round}"),
                Kind::Denunciation => "Về việc thụ lý tố cáo".to_owned(),
                _ => format!("Về việc tiếp nhận, xử lý đơn {kw}"),
            };
            body.push(match case.kind {
                Kind::Recommendation | Kind::Feedback => format!(
                    "Căn cứ Điều 26 và Điều 28 Luật Tiếp công dân năm 2013, {agency} tiếp nhận đơn và giao đơn vị \
                     chuyên môn xem xét, giải quyết theo quy định."
                ),
                _ => format!(
                    "Xét đơn đủ điều kiện thụ lý theo quy định của pháp luật, {agency} thụ lý giải quyết {kw}{round} \
                     kể từ ngày {}.",
                    short_date(n.issued_on)
                ),
            });
            ("THÔNG BÁO".to_owned(), sub)
        }
        NoticeKind::Refusal => {
            body.push(format!(
                "Sau khi xem xét, {agency} không thụ lý giải quyết đơn {kw} nêu trên với lý do: {}.",
                reason
                    .as_deref()
                    .unwrap_or("đơn không đủ điều kiện thụ lý theo quy định")
                    .trim_end_matches('.')
            ));
            ("THÔNG BÁO".to_owned(), format!("Về việc không thụ lý giải quyết đơn {kw}"))
        }
        NoticeKind::Guidance => {
            let to = text(details, "to_body").unwrap_or_else(|| "cơ quan có thẩm quyền".to_owned());
            body.push(format!(
                "Nội dung đơn không thuộc thẩm quyền giải quyết của {agency}. Đề nghị ông/bà gửi đơn đến {to} để \
                 được xem xét, giải quyết theo quy định."
            ));
            ("PHIẾU HƯỚNG DẪN".to_owned(), "Về việc hướng dẫn gửi đơn đến cơ quan có thẩm quyền".to_owned())
        }
        NoticeKind::Forwarding => {
            let to = src
                .forwarded_to
                .clone()
                .or_else(|| text(details, "to_body"))
                .or_else(|| case.forwarded_to_body.clone())
                .unwrap_or_else(|| "cơ quan có thẩm quyền".to_owned());
            let letter = text(details, "letter_no").map(|l| format!(" (văn bản số {l})")).unwrap_or_default();
            body.push(if to_petitioner {
                format!("Nội dung đơn không thuộc thẩm quyền giải quyết của {agency}; đơn đã được chuyển đến {to}{letter} để xem xét, giải quyết theo thẩm quyền.")
            } else {
                format!("{agency} chuyển đơn {kw} nêu trên đến {to}{letter} để xem xét, giải quyết theo thẩm quyền và thông báo kết quả theo quy định.")
            });
            ("PHIẾU CHUYỂN ĐƠN".to_owned(), format!("Về việc chuyển đơn {kw}"))
        }
        NoticeKind::Extension => {
            let days = details.get("days_granted").or_else(|| details.get("days")).and_then(Value::as_u64);
            let mut line = format!("Do vụ việc phức tạp, {agency} gia hạn thời hạn giải quyết {kw}");
            if let Some(days) = days {
                line.push_str(&format!(" thêm {days} ngày"));
            }
            if let Some(due) = due {
                line.push_str(&format!("; thời hạn giải quyết mới đến ngày {}", short_date(due)));
            }
            if let Some(r) = &reason {
                line.push_str(&format!(". Lý do: {}", r.trim_end_matches('.')));
            }
            line.push('.');
            body.push(line);
            ("QUYẾT ĐỊNH".to_owned(), format!("Về việc gia hạn giải quyết {kw}"))
        }
        NoticeKind::Suspension => {
            body.push(format!(
                "{agency} tạm đình chỉ việc giải quyết {kw} kể từ ngày {} với lý do: {}. Thời gian tạm đình chỉ \
                 không tính vào thời hạn giải quyết.",
                short_date(n.issued_on),
                reason.as_deref().unwrap_or("chờ kết quả của cơ quan, tổ chức khác").trim_end_matches('.')
            ));
            ("QUYẾT ĐỊNH".to_owned(), format!("Về việc tạm đình chỉ việc giải quyết {kw}"))
        }
        NoticeKind::Continuation => {
            body.push(format!(
                "Lý do tạm đình chỉ không còn, {agency} tiếp tục giải quyết {kw} kể từ ngày {}.",
                short_date(n.issued_on)
            ));
            ("QUYẾT ĐỊNH".to_owned(), format!("Về việc tiếp tục giải quyết {kw}"))
        }
        NoticeKind::Termination => {
            body.push(format!(
                "{agency} đình chỉ việc giải quyết {kw} kể từ ngày {} với lý do: {}.",
                short_date(n.issued_on),
                reason.as_deref().unwrap_or("người gửi đơn rút toàn bộ nội dung").trim_end_matches('.')
            ));
            ("QUYẾT ĐỊNH".to_owned(), format!("Về việc đình chỉ việc giải quyết {kw}"))
        }
        NoticeKind::DialogueInvitation => {
            let day = date(details, "dialogue_on").or(case.dialogue_on);
            let place = text(details, "place").or_else(|| case.dialogue_place.clone());
            body.push(format!(
                "{agency} trân trọng kính mời ông/bà đến dự buổi đối thoại để làm rõ nội dung khiếu nại{}{}.",
                day.map(|d| format!(" vào {}", long_date(d))).unwrap_or_default(),
                place.map(|p| format!(" tại {p}")).unwrap_or_default()
            ));
            body.push(
                "Khi đến, đề nghị ông/bà mang theo giấy tờ tùy thân và các tài liệu, chứng cứ liên quan."
                    .to_owned(),
            );
            ("GIẤY MỜI".to_owned(), format!("Về việc đối thoại giải quyết khiếu nại{round}"))
        }
        NoticeKind::Decision => {
            let result = text(details, "result").or_else(|| case.result.clone()).unwrap_or_default();
            if let Some(c) = case.conclusion.filter(|_| case.round >= 2) {
                body.push(format!("Kết luận: nội dung khiếu nại là {}.", conclusion_words(c)));
            }
            body.push(format!("Quyết định: {}", result.trim()));
            body.push(if case.round >= 2 {
                "Trong thời hạn theo quy định, nếu không đồng ý với quyết định này, người khiếu nại có quyền khởi kiện vụ án hành chính tại Tòa án.".to_owned()
            } else {
                "Nếu không đồng ý với quyết định này, người khiếu nại có quyền khiếu nại lần hai đến người có thẩm quyền hoặc khởi kiện vụ án hành chính tại Tòa án theo quy định của pháp luật.".to_owned()
            });
            ("QUYẾT ĐỊNH".to_owned(), format!("Về việc giải quyết khiếu nại{round}"))
        }
        NoticeKind::Conclusion => {
            let result = text(details, "result").or_else(|| case.result.clone()).unwrap_or_default();
            if let Some(c) = case.conclusion.filter(|_| case.kind == Kind::Denunciation) {
                body.push(format!("Kết luận: nội dung tố cáo là {}.", conclusion_words(c)));
            }
            body.push(format!("Kết quả giải quyết: {}", result.trim()));
            let sub = match case.kind {
                Kind::Denunciation => "Về kết quả giải quyết tố cáo".to_owned(),
                _ => format!("Về kết quả giải quyết đơn {kw}"),
            };
            ("THÔNG BÁO".to_owned(), sub)
        }
        NoticeKind::Receipt => {
            let docs = case.attachments.clone().map(|a| a.into_inner()).unwrap_or_default();
            if docs.is_empty() {
                body.push("Cơ quan đã nhận đơn của ông/bà; không kèm theo tài liệu, bằng chứng.".to_owned());
            } else {
                body.push("Cơ quan đã nhận các thông tin, tài liệu, bằng chứng sau:".to_owned());
                body.extend(docs.iter().enumerate().map(|(i, d)| format!("{}. {d}", i + 1)));
            }
            ("GIẤY BIÊN NHẬN".to_owned(), "Thông tin, tài liệu, bằng chứng".to_owned())
        }
        NoticeKind::Apology => {
            let late_due = date(details, "late_due");
            let promised = date(details, "promised_on");
            body.push(format!(
                "Việc giải quyết đơn của ông/bà đã chậm so với thời hạn{} theo quy định. {agency} chân thành xin lỗi \
                 ông/bà vì sự chậm trễ này.",
                late_due.map(|d| format!(" (hạn {})", short_date(d))).unwrap_or_default()
            ));
            body.push(match promised {
                Some(d) => format!(
                    "{agency} cam kết giải quyết xong và trả kết quả cho ông/bà trước ngày {}.",
                    short_date(d)
                ),
                None => format!("Kết quả giải quyết đã được {agency} gửi đến ông/bà."),
            });
            ("THƯ XIN LỖI".to_owned(), "Về việc giải quyết đơn quá thời hạn".to_owned())
        }
        NoticeKind::RefusalToReceive => ("THÔNG BÁO".to_owned(), "Về việc từ chối tiếp công dân".to_owned()),
    };
    let whom = match n.recipient {
        Recipient::Petitioner => "ông/bà",
        Recipient::Denounced => "người bị tố cáo",
        Recipient::CompetentBody => "Quý cơ quan",
    };
    if !matches!(n.kind, NoticeKind::Apology | NoticeKind::Receipt | NoticeKind::DialogueInvitation) {
        body.push(format!("{agency} thông báo để {whom} biết và thực hiện theo quy định."));
    }
    (title, subtitle, body)
}

/// Title, subtitle and body of the written refusal to receive (Mẫu 01/TCD).
fn refusal_body(src: &Sources, refusal: &reception_refusal::Model) -> (String, String, Vec<String>) {
    let agency = &src.agency.name;
    let who = src.person.map(|p| format!(" ông/bà {}", p.full_name)).unwrap_or_default();
    let body = vec![
        format!(
            "Ngày {},{who} đến {agency} để trình bày nội dung đã được giải quyết.",
            short_date(refusal.refused_on)
        ),
        format!(
            "Căn cứ {}, {agency} thông báo từ chối tiếp công dân với lý do: {}.",
            refusal.ground.source(),
            refusal.ground.label_vi().trim_end_matches('.')
        ),
        format!("{agency} thông báo để ông/bà biết và thực hiện."),
    ];
    ("THÔNG BÁO".to_owned(), "Về việc từ chối tiếp công dân".to_owned(), body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_dates_its_documents_from_its_place() {
        assert_eq!(place_of("UBND phường Ka Long"), "Ka Long");
        assert_eq!(place_of("Ủy ban nhân dân tỉnh Quảng Ninh"), "Quảng Ninh");
        assert_eq!(body_title("UBND phường Mẫu"), "ỦY BAN NHÂN DÂN PHƯỜNG MẪU");
        assert_eq!(long_date(NaiveDate::from_ymd_opt(2026, 12, 5).unwrap()), "ngày 05 tháng 12 năm 2026");
    }
}
