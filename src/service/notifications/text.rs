//! The messages' Vietnamese texts. Each has a subject and body for e-mail and a short form for SMS;
//! links are written `{public_url}/…` and completed when sent.

use chrono::NaiveDate;

use crate::{
    domain::{message::MessageKind, person::Person, petition::Kind},
    entity::petition,
};

/// A message's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub subject: String,
    pub body: String,
    /// The SMS: one short line with the code and the link.
    pub short: String,
}

/// The placeholder of the register's public address in stored texts.
pub const PUBLIC_URL: &str = "{public_url}";

/// The link a citizen follows their case by.
fn tracking_link(case: &petition::Model) -> String {
    format!("{PUBLIC_URL}/tra-cuu?ma={}", case.tracking_code)
}

fn date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// "đơn khiếu nại", "đơn tố cáo"…
fn kind_words(kind: Kind) -> &'static str {
    match kind {
        Kind::Complaint => "đơn khiếu nại",
        Kind::Denunciation => "đơn tố cáo",
        Kind::Recommendation => "đơn kiến nghị",
        Kind::Feedback => "đơn phản ánh",
    }
}

/// The message telling a citizen `person` of `kind` about `case`, due on `due` where the step set
/// a date, for `reason` where the step gave one (else the case's outcome note).
pub fn for_citizen(
    kind: MessageKind,
    case: &petition::Model,
    person: &Person,
    due: Option<NaiveDate>,
    reason: Option<&str>,
) -> Text {
    let code = &case.tracking_code;
    let what = kind_words(case.kind);
    let reason = reason.map(str::to_owned).or_else(|| case.outcome_note.clone()).unwrap_or_default();
    let due_line = due.map(|d| format!(" Thời hạn giải quyết: {}.", date(d))).unwrap_or_default();
    let (title, news) = match kind {
        MessageKind::Received => (
            "Đã tiếp nhận đơn".to_owned(),
            format!(
                "Cơ quan đã tiếp nhận {what} của ông/bà, mã hồ sơ {code}. Ông/bà dùng mã này để theo dõi kết quả."
            ),
        ),
        MessageKind::Accepted => (
            "Đơn đã được thụ lý".to_owned(),
            format!("{} mã {code} đã được thụ lý giải quyết.{due_line}", capital(what)),
        ),
        MessageKind::Refused => (
            "Đơn không được thụ lý".to_owned(),
            format!("{} mã {code} không được thụ lý. Lý do: {reason}", capital(what)),
        ),
        MessageKind::Guided => (
            "Hướng dẫn gửi đơn đến cơ quan có thẩm quyền".to_owned(),
            format!(
                "{} mã {code} không thuộc thẩm quyền của cơ quan. Ông/bà vui lòng gửi đơn đến: {}.",
                capital(what),
                case.forwarded_to_body.clone().unwrap_or(reason)
            ),
        ),
        MessageKind::Forwarded => (
            "Đơn đã được chuyển đến cơ quan có thẩm quyền".to_owned(),
            format!(
                "{} mã {code} đã được chuyển đến {} để xem xét, giải quyết.",
                capital(what),
                case.forwarded_to_body.clone().unwrap_or_else(|| "cơ quan có thẩm quyền".to_owned())
            ),
        ),
        MessageKind::Extended => (
            "Gia hạn thời hạn giải quyết".to_owned(),
            format!("Thời hạn giải quyết {what} mã {code} được gia hạn.{due_line} Lý do: {reason}"),
        ),
        MessageKind::Suspended => (
            "Tạm đình chỉ giải quyết".to_owned(),
            format!("Việc giải quyết {what} mã {code} tạm đình chỉ. Lý do: {reason}"),
        ),
        MessageKind::Resumed => (
            "Tiếp tục giải quyết".to_owned(),
            format!("Việc giải quyết {what} mã {code} được tiếp tục.{due_line}"),
        ),
        MessageKind::Terminated => (
            "Đình chỉ giải quyết".to_owned(),
            format!("Việc giải quyết {what} mã {code} đã đình chỉ. Lý do: {reason}"),
        ),
        MessageKind::Resolved => (
            "Đã có kết quả giải quyết".to_owned(),
            format!(
                "{} mã {code} đã được giải quyết. Kết quả: {} Ông/bà có thể đánh giá mức độ hài lòng tại đường dẫn dưới đây.",
                capital(what),
                case.result.clone().unwrap_or_default()
            ),
        ),
        MessageKind::DueMoved => (
            "Thời hạn giải quyết thay đổi".to_owned(),
            format!("Thời hạn giải quyết {what} mã {code} thay đổi.{due_line} {reason}"),
        ),
        MessageKind::Assigned | MessageKind::Digest => (String::new(), String::new()),
    };
    let link = tracking_link(case);
    Text {
        subject: format!("[{code}] {title}"),
        body: format!(
            "Kính gửi ông/bà {},\n\n{news}\n\nTheo dõi hồ sơ: {link}\n\nĐây là thư tự động của hệ thống tiếp công dân; \
             vui lòng không trả lời thư này.",
            person.full_name
        ),
        short: format!("{title}: {what} mã {code}. Xem: {link}"),
    }
}

/// The message telling `name` that `case` was assigned to them: the code and subject, unless the
/// case's matter is confidential (a denunciation's family), then only that a case awaits.
pub fn assigned(case: &petition::Model, name: &str) -> Text {
    let (subject, news, link) = if case.confidential {
        (
            "Hồ sơ mới được giao".to_owned(),
            "Ông/bà được giao xử lý một hồ sơ mới (thông tin được bảo mật; xem trong hệ thống).".to_owned(),
            format!("{PUBLIC_URL}/can-bo/"),
        )
    } else {
        (
            format!("[{}] Hồ sơ mới được giao", case.tracking_code),
            format!("Ông/bà được giao xử lý hồ sơ {}: {}.", case.tracking_code, case.subject),
            format!("{PUBLIC_URL}/can-bo/ho-so?id={}", case.id),
        )
    };
    Text {
        subject,
        body: format!("Kính gửi {name},\n\n{news}\n\nMở hồ sơ: {link}\n"),
        short: format!("{news} {link}"),
    }
}

/// The first letter in upper case.
fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}
