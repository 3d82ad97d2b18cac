//! Refusals to receive (Law 42/2013 Art. 9; ND 154/2026 Art. 4): the legal grounds, which of them
//! need the head's written notice, how far the grounds may lie from the refusal, and the refusal
//! forms as sent and checked.

use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::{
    period::{RECORD_WINDOW_DAYS, days_before},
    visits::VisitorRequest,
};
use crate::domain::{
    input::{Fields, Invalid, supported_date_opt},
    person::Person,
    validate::optional_text,
};

str_enum! {
    /// The grounds for refusing to receive a citizen: Law 42/2013 Art. 9(1)–(3), and the cases the
    /// Government sets under Art. 9(4), listed in ND 154/2026 Art. 4(1)(a)–(k).
    pub enum RefusalGround {
        /// Art. 9(1): drunk (or under stimulants), mentally ill or otherwise without awareness or self-control.
        NotInControl = "not_in_control",
        /// Art. 9(2): threats, insults, breach of the reception rules.
        ThreatsOrInsults = "threats_or_insults",
        /// Art. 9(3): a matter resolved correctly, confirmed in writing and explained, still pursued.
        AlreadyResolved = "already_resolved",
        /// ND 154/2026 Art. 4(1)(a): weapons not left at the desk.
        WeaponsNotDeposited = "weapons_not_deposited",
        /// (b): refusing a security check.
        RefusedSecurityCheck = "refused_security_check",
        /// (c): recording or streaming after being told not to.
        RecordingAfterWarning = "recording_after_warning",
        /// (d): inciting disorder.
        IncitingDisorder = "inciting_disorder",
        /// (đ): no full civil capacity and no representative.
        NoCapacityNoRepresentative = "no_capacity_no_representative",
        /// (e): a representative without proof of authority.
        RepresentativeWithoutProof = "representative_without_proof",
        /// (g): none of complaint, denunciation, recommendation or feedback.
        NotAPetition = "not_a_petition",
        /// (h): a recommendation or feedback already answered, with nothing new.
        AlreadyAnsweredNothingNew = "already_answered_nothing_new",
        /// (i): settled by a final judgment not open to review.
        FinalJudgment = "final_judgment",
        /// (k): accepted by another competent body.
        AcceptedElsewhere = "accepted_elsewhere",
    }
}

impl RefusalGround {
    /// Whether the head must send a written notice (Mẫu 01/TCD) within 3 working days
    /// (ND 154/2026 Art. 4(3)); for the others the officer explains on the spot (Art. 4(2)).
    pub fn needs_written_notice(self) -> bool {
        matches!(self, RefusalGround::AlreadyResolved | RefusalGround::AlreadyAnsweredNothingNew)
    }

    /// The legal point.
    pub fn source(self) -> &'static str {
        use RefusalGround as G;
        match self {
            G::NotInControl => "Luật Tiếp công dân 2013, Điều 9 khoản 1",
            G::ThreatsOrInsults => "Luật Tiếp công dân 2013, Điều 9 khoản 2",
            G::AlreadyResolved => "Luật Tiếp công dân 2013, Điều 9 khoản 3",
            G::WeaponsNotDeposited => "Nghị định 154/2026/NĐ-CP, Điều 4 khoản 1 điểm a",
            G::RefusedSecurityCheck => "Nghị định 154/2026/NĐ-CP, Điều 4 khoản 1 điểm b",
            G::RecordingAfterWarning => "Nghị định 154/2026/NĐ-CP, Điều 4 khoản 1 điểm c",
            G::IncitingDisorder => "Nghị định 154/2026/NĐ-CP, Điều 4 khoản 1 điểm d",
            G::NoCapacityNoRepresentative => "Nghị định 154/2026/NĐ-CP, Điều 4 khoản 1 điểm đ",
            G::RepresentativeWithoutProof => "Nghị định 154/2026/NĐ-CP, Điều 4 khoản 1 điểm e",
            G::NotAPetition => "Nghị định 154/2026/NĐ-CP, Điều 4 khoản 1 điểm g",
            G::AlreadyAnsweredNothingNew => "Nghị định 154/2026/NĐ-CP, Điều 4 khoản 1 điểm h",
            G::FinalJudgment => "Nghị định 154/2026/NĐ-CP, Điều 4 khoản 1 điểm i",
            G::AcceptedElsewhere => "Nghị định 154/2026/NĐ-CP, Điều 4 khoản 1 điểm k",
        }
    }

    /// Vietnamese wording.
    pub fn label_vi(self) -> &'static str {
        use RefusalGround as G;
        match self {
            G::NotInControl => {
                "Người trong tình trạng say do dùng chất kích thích, mắc bệnh tâm thần hoặc bệnh khác làm mất khả năng nhận thức, điều khiển hành vi"
            }
            G::ThreatsOrInsults => {
                "Có hành vi đe dọa, xúc phạm cơ quan, người tiếp công dân hoặc vi phạm nội quy nơi tiếp công dân"
            }
            G::AlreadyResolved => {
                "Vụ việc đã được giải quyết đúng chính sách, pháp luật, được kiểm tra, rà soát, thông báo bằng văn bản nhưng vẫn cố tình khiếu nại, tố cáo kéo dài"
            }
            G::WeaponsNotDeposited => {
                "Mang theo vũ khí, vật liệu nổ, công cụ hỗ trợ không gửi tại nơi quy định"
            }
            G::RefusedSecurityCheck => "Không chấp hành việc kiểm tra an ninh",
            G::RecordingAfterWarning => {
                "Ghi âm, ghi hình, phát trực tiếp khi đã được nhắc nhở không được thực hiện"
            }
            G::IncitingDisorder => "Kích động, gây rối trật tự nơi tiếp công dân",
            G::NoCapacityNoRepresentative => {
                "Người không có năng lực hành vi dân sự đầy đủ mà không có người đại diện hợp pháp"
            }
            G::RepresentativeWithoutProof => {
                "Người đại diện, người được ủy quyền không có giấy tờ chứng minh"
            }
            G::NotAPetition => "Nội dung không phải khiếu nại, tố cáo, kiến nghị, phản ánh",
            G::AlreadyAnsweredNothingNew => {
                "Kiến nghị, phản ánh đã được trả lời, không có thông tin, tình tiết mới"
            }
            G::FinalJudgment => {
                "Vụ việc đã có bản án, quyết định của Tòa án có hiệu lực pháp luật, không thuộc trường hợp giám đốc thẩm, tái thẩm"
            }
            G::AcceptedElsewhere => "Vụ việc đã được cơ quan có thẩm quyền khác thụ lý giải quyết",
        }
    }
}

/// The day the grounds of a refusal made on `refused_on` were established: not after the refusal
/// (one refuses on grounds one has), and at most [`RECORD_WINDOW_DAYS`] before it (the written
/// notice is due three working days after them).
pub fn check_grounds_on(grounds_on: NaiveDate, refused_on: NaiveDate) -> Result<(), String> {
    if grounds_on > refused_on {
        return Err("Ngày có đủ căn cứ không thể sau ngày từ chối tiếp.".to_owned());
    }
    if grounds_on < days_before(refused_on, RECORD_WINDOW_DAYS) {
        return Err("Ngày có đủ căn cứ quá xa trước ngày từ chối tiếp (tối đa một năm).".to_owned());
    }
    Ok(())
}

/// The day a refusal's written notice was sent: from the day of the refusal to today.
pub fn check_sent_on(sent_on: NaiveDate, refused_on: NaiveDate, today: NaiveDate) -> Result<(), String> {
    if sent_on > today || sent_on < refused_on {
        return Err("Ngày gửi phải từ ngày từ chối tiếp đến hôm nay.".to_owned());
    }
    Ok(())
}

/// Who was refused: a name, or name, address and identity document.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum RefusedVisitor {
    Name(String),
    Person(VisitorRequest),
}

/// A refusal to receive.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RefusalRequest {
    pub visitor: RefusedVisitor,
    pub ground: RefusalGround,
    pub details: Option<String>,
    /// When the grounds were established (default: the session's day).
    #[serde(default, deserialize_with = "supported_date_opt")]
    pub grounds_on: Option<NaiveDate>,
}

/// A checked refusal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRefusal {
    pub visitor: Person,
    pub ground: RefusalGround,
    pub details: Option<String>,
    /// When the grounds were established (default: the session's day, which the use case knows).
    pub grounds_on: Option<NaiveDate>,
}

impl RefusalRequest {
    /// Checks the person refused (as a visitor of the book) and the details.
    pub fn parse(self) -> Result<NewRefusal, Invalid> {
        let mut f = Fields::new();
        let visitor = match self.visitor {
            RefusedVisitor::Name(full_name) => VisitorRequest { full_name, address: None, id_number: None },
            RefusedVisitor::Person(p) => p,
        }
        .parse("visitor", &mut f);
        let details = f.check_opt("details", optional_text(self.details.as_deref(), 5000));
        f.done(visitor.map(|visitor| NewRefusal {
            visitor,
            ground: self.ground,
            details,
            grounds_on: self.grounds_on,
        }))
    }
}

/// Filters of the refusal list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RefusalQuery {
    /// Only refusals whose written notice is still to be sent, overdue first.
    #[serde(default)]
    pub pending_notice: bool,
    #[serde(default, deserialize_with = "supported_date_opt")]
    pub from: Option<NaiveDate>,
    #[serde(default, deserialize_with = "supported_date_opt")]
    pub to: Option<NaiveDate>,
}

/// Filters of the refusal list, as the register reads them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RefusalFilter {
    /// Only those whose written notice is still to be sent.
    pub pending_notice: bool,
    pub session_id: Option<i64>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl From<RefusalQuery> for RefusalFilter {
    fn from(q: RefusalQuery) -> Self {
        Self { pending_notice: q.pending_notice, session_id: None, from: q.from, to: q.to }
    }
}

/// The written refusal notice, sent.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct NoticeRequest {
    /// Default today.
    #[serde(default, deserialize_with = "supported_date_opt")]
    pub sent_on: Option<NaiveDate>,
    /// The notice's number (Mẫu 01/TCD).
    pub notice_no: Option<String>,
}

/// A checked notice: sent on a day (today by default), with its number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeSent {
    pub sent_on: NaiveDate,
    pub notice_no: Option<String>,
}

impl NoticeRequest {
    /// Checks the number; the day defaults to `today` (the use case bounds it by the refusal's).
    pub fn parse(self, today: NaiveDate) -> Result<NoticeSent, Invalid> {
        let notice_no =
            optional_text(self.notice_no.as_deref(), 100).map_err(|m| Invalid::field("notice_no", m))?;
        Ok(NoticeSent { sent_on: self.sent_on.unwrap_or(today), notice_no })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    #[test]
    fn only_art_9_3_and_point_h_need_a_written_notice() {
        let needing: Vec<_> = RefusalGround::ALL.iter().filter(|g| g.needs_written_notice()).collect();
        assert_eq!(needing, [&RefusalGround::AlreadyResolved, &RefusalGround::AlreadyAnsweredNothingNew]);
        assert_eq!(RefusalGround::ALL.len(), 13, "Art. 9(1)–(3) and ND 154/2026 Art. 4(1)(a)–(k)");
        for g in RefusalGround::ALL {
            assert!(!g.label_vi().is_empty() && !g.source().is_empty());
        }
    }

    #[test]
    fn grounds_are_established_at_most_a_year_before_the_refusal() {
        let refused = d(2026, 11, 19);
        assert!(check_grounds_on(refused, refused).is_ok());
        assert!(check_grounds_on(d(2025, 11, 18), refused).is_ok());
        assert!(check_grounds_on(d(2025, 11, 17), refused).is_err());
        assert!(check_grounds_on(d(2026, 11, 20), refused).is_err());
        // The written notice: sent from the day of the refusal to today.
        let today = d(2026, 11, 25);
        assert!(check_sent_on(refused, refused, today).is_ok());
        assert!(check_sent_on(today, refused, today).is_ok());
        assert!(check_sent_on(d(2026, 11, 18), refused, today).is_err());
        assert!(check_sent_on(d(2026, 11, 26), refused, today).is_err());
    }

    #[test]
    fn the_refused_visitor_is_a_name_or_a_person() {
        let by_name = RefusalRequest {
            visitor: RefusedVisitor::Name(" Trần Văn Bình ".into()),
            ground: RefusalGround::NotAPetition,
            details: None,
            grounds_on: None,
        };
        assert_eq!(by_name.parse().unwrap().visitor.full_name, "Trần Văn Bình");
        let bad = RefusalRequest {
            visitor: RefusedVisitor::Person(VisitorRequest {
                full_name: "".into(),
                address: None,
                id_number: Some("12".into()),
            }),
            ground: RefusalGround::NotAPetition,
            details: Some("x".repeat(5001)),
            grounds_on: None,
        };
        let Invalid(errors) = bad.parse().unwrap_err();
        let fields: Vec<&str> = errors.keys().map(String::as_str).collect();
        assert_eq!(fields, ["details", "visitor.full_name", "visitor.id_number"]);
    }

    #[test]
    fn a_notice_is_sent_today_unless_said() {
        let today = d(2026, 11, 25);
        let sent =
            NoticeRequest { sent_on: None, notice_no: Some(" 12/TB-UBND ".into()) }.parse(today).unwrap();
        assert_eq!(sent, NoticeSent { sent_on: today, notice_no: Some("12/TB-UBND".into()) });
        let long = NoticeRequest { sent_on: None, notice_no: Some("x".repeat(101)) };
        assert!(long.parse(today).unwrap_err().0.contains_key("notice_no"));
    }
}
