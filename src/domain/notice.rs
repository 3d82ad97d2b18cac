//! The written notices the law pairs with the steps of a case (domain.md §5–§7, §11): which step
//! issues which notice, to whom, and which clock of §8 its sending meets. Like the step-to-clock
//! table ([`super::deadline::steps`]) it is data, one row per (step, kind of case), each with its
//! source and its own test (`row_<name>`).
//!
//! A notice bound to a clock keeps that clock running until it is recorded as sent: sending is
//! what the law times, not the decision ([`NOTICE_DUTIES`]). A notice to anyone but the petitioner
//! of a denunciation never carries the denouncer (Law 25/2018 Art. 8(3)).

use super::{
    deadline::{
        ClockId,
        steps::{Round, Step, StepFacts, When},
    },
    petition::{Action, Channel, Kind},
};

str_enum! {
    /// What a written notice is.
    pub enum NoticeKind {
        /// Acceptance for resolution (thụ lý), or of a recommendation for handling.
        Acceptance = "acceptance",
        /// Refusal to accept, with its ground.
        Refusal = "refusal",
        /// Guidance to the competent body (hướng dẫn).
        Guidance = "guidance",
        /// Forwarding to the competent body (chuyển đơn).
        Forwarding = "forwarding",
        /// Extension of the resolution period (gia hạn).
        Extension = "extension",
        /// Suspension of the resolution (tạm đình chỉ).
        Suspension = "suspension",
        /// Continuation after a suspension (tiếp tục giải quyết).
        Continuation = "continuation",
        /// Termination of the resolution (đình chỉ).
        Termination = "termination",
        /// Invitation to a complaint's dialogue (giấy mời đối thoại).
        DialogueInvitation = "dialogue_invitation",
        /// A complaint's decision (quyết định giải quyết khiếu nại).
        Decision = "decision",
        /// A denunciation's conclusion, or a recommendation's result.
        Conclusion = "conclusion",
        /// Refusal to receive a citizen (Mẫu 01/TCD).
        RefusalToReceive = "refusal_to_receive",
        /// Receipt of documents handed over (Mẫu 02/TCD).
        Receipt = "receipt",
        /// The apology letter for a case past its deadline (thư xin lỗi).
        Apology = "apology",
    }
}

str_enum! {
    /// Who a notice is addressed to.
    pub enum Recipient {
        /// The complainant, denouncer or citizen who brought the petition.
        Petitioner = "petitioner",
        /// The person denounced: never told who denounced him.
        Denounced = "denounced",
        /// The body a petition is forwarded to.
        CompetentBody = "competent_body",
    }
}

str_enum! {
    /// How a notice was sent.
    pub enum SendChannel {
        /// Handed over in person, against a signature.
        InPerson = "in_person",
        Post = "post",
        Email = "email",
        /// The citizen portal (the case's tracking page).
        Portal = "portal",
        /// The administrations' document exchange system (văn bản điện tử).
        DocumentSystem = "document_system",
    }
}

impl NoticeKind {
    /// The document type its number carries (Nghị định 30/2020/NĐ-CP, Phụ lục III): TB a notice,
    /// QĐ a decision, KL a conclusion, GM an invitation, PC a forwarding slip, BN a receipt.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Acceptance | Self::Refusal | Self::Guidance | Self::RefusalToReceive => "TB",
            Self::Extension | Self::Suspension | Self::Continuation | Self::Termination | Self::Decision => {
                "QĐ"
            }
            Self::Conclusion => "KL",
            Self::DialogueInvitation => "GM",
            Self::Forwarding => "PC",
            Self::Receipt => "BN",
            Self::Apology => "XL",
        }
    }

    /// Its name in Vietnamese, as lists show it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Acceptance => "Thông báo thụ lý",
            Self::Refusal => "Thông báo không thụ lý",
            Self::Guidance => "Văn bản hướng dẫn",
            Self::Forwarding => "Phiếu chuyển đơn",
            Self::Extension => "Quyết định gia hạn",
            Self::Suspension => "Quyết định tạm đình chỉ",
            Self::Continuation => "Quyết định tiếp tục giải quyết",
            Self::Termination => "Quyết định đình chỉ",
            Self::DialogueInvitation => "Giấy mời đối thoại",
            Self::Decision => "Quyết định giải quyết khiếu nại",
            Self::Conclusion => "Kết luận / thông báo kết quả",
            Self::RefusalToReceive => "Thông báo từ chối tiếp công dân",
            Self::Receipt => "Giấy biên nhận tài liệu",
            Self::Apology => "Thư xin lỗi",
        }
    }
}

impl SendChannel {
    /// Its name in Vietnamese.
    pub fn label(self) -> &'static str {
        match self {
            Self::InPerson => "Trao trực tiếp",
            Self::Post => "Bưu chính",
            Self::Email => "Thư điện tử",
            Self::Portal => "Cổng tiếp công dân trực tuyến",
            Self::DocumentSystem => "Hệ thống văn bản điện tử",
        }
    }
}

/// The clocks that time the sending of a notice: a step starts them running, and only recording
/// its notices as sent meets them (a later step's "every running clock is met" leaves them owed).
pub const NOTICE_DUTIES: &[ClockId] = &[
    ClockId::ReceptionNotice,
    ClockId::RefusalNotice,
    ClockId::DenunciationAcceptanceNotice,
    ClockId::ComplaintSuspensionSend,
    ClockId::DenunciationSuspensionSend,
    ClockId::ComplaintDecisionSend1,
    ClockId::ComplaintDecisionSend2,
];

/// One row of the table: a step, the cases it concerns, the notice it issues and to whom, the
/// clock its sending meets, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoticeRow {
    /// A stable name; the row's test is `row_<name>`.
    pub name: &'static str,
    pub step: Step,
    pub when: When,
    pub kind: NoticeKind,
    pub to: Recipient,
    /// The clock of §8 its sending meets, when the law times it.
    pub clock: Option<ClockId>,
    /// The legal source as officials cite it, in Vietnamese.
    pub source: &'static str,
}

use Action as A;
use ClockId as C;
use Kind as K;
use NoticeKind as N;
use Recipient as R;

const COMPLAINT: &[Kind] = &[K::Complaint];
const DENUNCIATION: &[Kind] = &[K::Denunciation];
const RECOMMENDATION: &[Kind] = &[K::Recommendation, K::Feedback];

const fn row(
    name: &'static str,
    step: Step,
    when: When,
    kind: NoticeKind,
    to: Recipient,
    clock: Option<ClockId>,
    source: &'static str,
) -> NoticeRow {
    NoticeRow { name, step, when, kind, to, clock, source }
}

/// The law's step-to-notice table.
pub const STEP_NOTICES: &[NoticeRow] = &[
    // Documents handed over at the desk get a receipt (Mẫu 02/TCD), handed back at once.
    row(
        "receive_in_person",
        Step::Receive,
        When::ANY.channel(Channel::InPerson),
        N::Receipt,
        R::Petitioner,
        None,
        "Nghị định 154/2026/NĐ-CP, Điều 15 khoản 4 (Mẫu 02/TCD)",
    ),
    row(
        "accept_complaint",
        Step::Act(A::Accept),
        When::kinds(COMPLAINT),
        N::Acceptance,
        R::Petitioner,
        None,
        "Luật Khiếu nại 2011, Điều 27, Điều 36",
    ),
    row(
        "accept_denunciation_denouncer",
        Step::Act(A::Accept),
        When::kinds(DENUNCIATION),
        N::Acceptance,
        R::Petitioner,
        Some(C::DenunciationAcceptanceNotice),
        "Luật Tố cáo 2018, Điều 29 khoản 3",
    ),
    row(
        "accept_denunciation_denounced",
        Step::Act(A::Accept),
        When::kinds(DENUNCIATION),
        N::Acceptance,
        R::Denounced,
        Some(C::DenunciationAcceptanceNotice),
        "Luật Tố cáo 2018, Điều 29 khoản 3",
    ),
    row(
        "accept_recommendation",
        Step::Act(A::Accept),
        When::kinds(RECOMMENDATION),
        N::Acceptance,
        R::Petitioner,
        Some(C::ReceptionNotice),
        "Luật Tiếp công dân 2013, Điều 28 khoản 1",
    ),
    row(
        "reject_complaint",
        Step::Act(A::Reject),
        When::kinds(COMPLAINT),
        N::Refusal,
        R::Petitioner,
        None,
        "Luật Khiếu nại 2011, Điều 27",
    ),
    row(
        "reject_denunciation",
        Step::Act(A::Reject),
        When::kinds(DENUNCIATION),
        N::Refusal,
        R::Petitioner,
        None,
        "Luật Tố cáo 2018, Điều 24 khoản 1, Điều 29",
    ),
    row(
        "reject_recommendation",
        Step::Act(A::Reject),
        When::kinds(RECOMMENDATION),
        N::Refusal,
        R::Petitioner,
        Some(C::RefusalNotice),
        "Nghị định 154/2026/NĐ-CP, Điều 4 khoản 1 điểm h, khoản 3",
    ),
    row(
        "guide_any",
        Step::Act(A::Guide),
        When::kinds(&[K::Complaint, K::Denunciation]),
        N::Guidance,
        R::Petitioner,
        None,
        "Luật Tiếp công dân 2013, Điều 26 khoản 1 điểm b; Luật Tố cáo 2018, Điều 24 khoản 2",
    ),
    row(
        "guide_recommendation",
        Step::Act(A::Guide),
        When::kinds(RECOMMENDATION),
        N::Guidance,
        R::Petitioner,
        Some(C::ReceptionNotice),
        "Luật Tiếp công dân 2013, Điều 26 khoản 1 điểm b, Điều 28 khoản 1",
    ),
    row(
        "forward_to_body",
        Step::Act(A::Forward),
        When::ANY,
        N::Forwarding,
        R::CompetentBody,
        None,
        "Luật Tiếp công dân 2013, Điều 26 khoản 2 điểm b; Luật Tố cáo 2018, Điều 24 khoản 2",
    ),
    row(
        "forward_tell_petitioner",
        Step::Act(A::Forward),
        When::kinds(&[K::Complaint, K::Denunciation]),
        N::Forwarding,
        R::Petitioner,
        None,
        "Luật Tố cáo 2018, Điều 24 khoản 2; Luật Tiếp công dân 2013, Điều 28 khoản 1",
    ),
    row(
        "forward_tell_petitioner_recommendation",
        Step::Act(A::Forward),
        When::kinds(RECOMMENDATION),
        N::Forwarding,
        R::Petitioner,
        Some(C::ReceptionNotice),
        "Luật Tiếp công dân 2013, Điều 28 khoản 1",
    ),
    row(
        "extend_complaint",
        Step::Act(A::Extend),
        When::kinds(COMPLAINT),
        N::Extension,
        R::Petitioner,
        None,
        "Luật Khiếu nại 2011, Điều 28, Điều 37",
    ),
    row(
        "extend_denunciation_denouncer",
        Step::Act(A::Extend),
        When::kinds(DENUNCIATION),
        N::Extension,
        R::Petitioner,
        None,
        "Luật Tố cáo 2018, Điều 30; Nghị định 31/2019/NĐ-CP, Điều 3 (Mẫu 01)",
    ),
    row(
        "extend_denunciation_denounced",
        Step::Act(A::Extend),
        When::kinds(DENUNCIATION),
        N::Extension,
        R::Denounced,
        None,
        "Luật Tố cáo 2018, Điều 30; Nghị định 31/2019/NĐ-CP, Điều 3 (Mẫu 01)",
    ),
    row(
        "suspend_complaint",
        Step::Act(A::Suspend),
        When::kinds(COMPLAINT),
        N::Suspension,
        R::Petitioner,
        Some(C::ComplaintSuspensionSend),
        "Nghị định 124/2020/NĐ-CP, Điều 28a (Mẫu 14a)",
    ),
    row(
        "suspend_denunciation_denouncer",
        Step::Act(A::Suspend),
        When::kinds(DENUNCIATION),
        N::Suspension,
        R::Petitioner,
        Some(C::DenunciationSuspensionSend),
        "Luật Tố cáo 2018, Điều 34 khoản 4",
    ),
    row(
        "suspend_denunciation_denounced",
        Step::Act(A::Suspend),
        When::kinds(DENUNCIATION),
        N::Suspension,
        R::Denounced,
        Some(C::DenunciationSuspensionSend),
        "Luật Tố cáo 2018, Điều 34 khoản 4",
    ),
    row(
        "resume_complaint",
        Step::Act(A::Resume),
        When::kinds(COMPLAINT),
        N::Continuation,
        R::Petitioner,
        None,
        "Nghị định 124/2020/NĐ-CP, Điều 28b (Mẫu 14b)",
    ),
    row(
        "resume_denunciation_denouncer",
        Step::Act(A::Resume),
        When::kinds(DENUNCIATION),
        N::Continuation,
        R::Petitioner,
        None,
        "Luật Tố cáo 2018, Điều 34 khoản 3",
    ),
    row(
        "resume_denunciation_denounced",
        Step::Act(A::Resume),
        When::kinds(DENUNCIATION),
        N::Continuation,
        R::Denounced,
        None,
        "Luật Tố cáo 2018, Điều 34 khoản 3",
    ),
    row(
        "terminate_complaint",
        Step::Act(A::Terminate),
        When::kinds(COMPLAINT),
        N::Termination,
        R::Petitioner,
        Some(C::ComplaintSuspensionSend),
        "Luật Khiếu nại 2011, Điều 11a; Nghị định 124/2020/NĐ-CP, Điều 28a",
    ),
    row(
        "terminate_denunciation_denouncer",
        Step::Act(A::Terminate),
        When::kinds(DENUNCIATION),
        N::Termination,
        R::Petitioner,
        Some(C::DenunciationSuspensionSend),
        "Luật Tố cáo 2018, Điều 34 khoản 4",
    ),
    row(
        "terminate_denunciation_denounced",
        Step::Act(A::Terminate),
        When::kinds(DENUNCIATION),
        N::Termination,
        R::Denounced,
        Some(C::DenunciationSuspensionSend),
        "Luật Tố cáo 2018, Điều 34 khoản 4",
    ),
    // Everything withdrawn after acceptance ends in a termination decision.
    row(
        "withdraw_whole_accepted_complaint",
        Step::Act(A::Withdraw),
        When::kinds(COMPLAINT).partial(false).accepted(true),
        N::Termination,
        R::Petitioner,
        Some(C::ComplaintSuspensionSend),
        "Nghị định 124/2020/NĐ-CP, Điều 7a, Điều 28a",
    ),
    row(
        "withdraw_whole_accepted_denunciation",
        Step::Act(A::Withdraw),
        When::kinds(DENUNCIATION).partial(false).accepted(true),
        N::Termination,
        R::Petitioner,
        Some(C::DenunciationSuspensionSend),
        "Luật Tố cáo 2018, Điều 33, Điều 34 khoản 4",
    ),
    row(
        "schedule_dialogue",
        Step::Act(A::ScheduleDialogue),
        When::kinds(COMPLAINT),
        N::DialogueInvitation,
        R::Petitioner,
        None,
        "Nghị định 124/2020/NĐ-CP, Điều 28 khoản 1 (sửa đổi bởi Nghị định 155/2026/NĐ-CP, Điều 11)",
    ),
    row(
        "resolve_complaint_first_round",
        Step::Act(A::Resolve),
        When::kinds(COMPLAINT).round(Round::First),
        N::Decision,
        R::Petitioner,
        Some(C::ComplaintDecisionSend1),
        "Luật Khiếu nại 2011, Điều 31, Điều 32",
    ),
    row(
        "resolve_complaint_second_round",
        Step::Act(A::Resolve),
        When::kinds(COMPLAINT).round(Round::Second),
        N::Decision,
        R::Petitioner,
        Some(C::ComplaintDecisionSend2),
        "Luật Khiếu nại 2011, Điều 40, Điều 41",
    ),
    row(
        "resolve_denunciation_denouncer",
        Step::Act(A::Resolve),
        When::kinds(DENUNCIATION),
        N::Conclusion,
        R::Petitioner,
        None,
        "Luật Tố cáo 2018, Điều 9 khoản 1 điểm c, Điều 35",
    ),
    row(
        "resolve_denunciation_denounced",
        Step::Act(A::Resolve),
        When::kinds(DENUNCIATION),
        N::Conclusion,
        R::Denounced,
        None,
        "Luật Tố cáo 2018, Điều 35",
    ),
    row(
        "resolve_recommendation",
        Step::Act(A::Resolve),
        When::kinds(RECOMMENDATION),
        N::Conclusion,
        R::Petitioner,
        None,
        "Luật Tiếp công dân 2013, Điều 26 khoản 2, Điều 28",
    ),
];

/// The notices `step` issues on a case with `facts`, in table order. An anonymous petition has
/// nobody to address as its petitioner: the rows to the petitioner are left out.
pub fn plan(step: Step, facts: &StepFacts, anonymous: bool) -> Vec<&'static NoticeRow> {
    STEP_NOTICES
        .iter()
        .filter(|row| row.step == step && row.when.holds(facts))
        .filter(|row| !(anonymous && row.to == Recipient::Petitioner))
        .collect()
}

/// Whether a notice of `kind` to `to` about a case of `kind_of_case` may carry the petitioner's
/// identity: only the petitioner's own notice, and never one of a denunciation to anyone else
/// (Law 25/2018 Art. 8(3)). Notices of other kinds of case to a body carry the petitioner, whom
/// the body must answer.
pub fn carries_petitioner(to: Recipient, confidential: bool) -> bool {
    match to {
        Recipient::Petitioner => true,
        Recipient::Denounced => false,
        Recipient::CompetentBody => !confidential,
    }
}

#[cfg(test)]
mod tests;
