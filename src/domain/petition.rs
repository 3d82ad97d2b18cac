//! Petitions (đơn): their kinds, channels, statuses, the actions of the legal workflow as a state
//! machine per kind, and who may take each action (domain.md §4–§7).
//!
//! The forms of the register's petition endpoints, each with the `parse` that checks it into a
//! domain input, are in the submodules: [`intake`] (staff registration, repeat checks), [`command`]
//! (a workflow step), [`query`] (the list and the inbox), [`portal`] (online filing, rating);
//! [`repeat`] says what the repeat warnings say.

pub mod command;
pub mod field;
pub mod intake;
pub mod limits;
pub mod portal;
pub mod query;
pub mod repeat;

use chrono::NaiveDate;

use super::{deadline::NEW_RULES_FROM, role::Role};

str_enum! {
    /// The four kinds of petition.
    pub enum Kind {
        /// Khiếu nại.
        Complaint = "complaint",
        /// Tố cáo: the denouncer's identity is protected (§6).
        Denunciation = "denunciation",
        /// Kiến nghị.
        Recommendation = "recommendation",
        /// Phản ánh.
        Feedback = "feedback",
    }
}

impl Kind {
    /// Vietnamese name.
    pub fn label_vi(self) -> &'static str {
        match self {
            Kind::Complaint => "Khiếu nại",
            Kind::Denunciation => "Tố cáo",
            Kind::Recommendation => "Kiến nghị",
            Kind::Feedback => "Phản ánh",
        }
    }

    /// The code printed in column 6 of the reception book: "KN" is both complaint and
    /// recommendation (domain.md §3).
    pub fn book_code(self) -> &'static str {
        match self {
            Kind::Complaint | Kind::Recommendation => "KN",
            Kind::Denunciation => "TC",
            Kind::Feedback => "PA",
        }
    }
}

str_enum! {
    /// How a petition reached the agency.
    pub enum Channel {
        InPerson = "in_person",
        Post = "post",
        Online = "online",
        /// Sent on by another body (deputies, the Fatherland Front, the press, another agency).
        Forwarded = "forwarded",
        Email = "email",
        Hotline = "hotline",
    }
}

str_enum! {
    /// Where a case stands.
    pub enum Status {
        /// Registered, not yet decided.
        Received = "received",
        /// Accepted for resolution (thụ lý).
        Accepted = "accepted",
        /// Resolution suspended (tạm đình chỉ): the clock stops.
        Suspended = "suspended",
        /// Resolved: decision or conclusion issued.
        Resolved = "resolved",
        /// The citizen was guided to the competent body (hướng dẫn).
        Guided = "guided",
        /// Sent to the competent body, or a lower level urged to resolve it.
        Forwarded = "forwarded",
        /// Kept without handling (lưu đơn), destroyed after a year on the head's decision.
        Archived = "archived",
        /// Refused (không thụ lý), with the ground.
        Rejected = "rejected",
        /// Withdrawn by the petitioner.
        Withdrawn = "withdrawn",
        /// An anonymous denunciation kept as an inspection lead (Law 25/2018 Art. 25(2)): not a
        /// case to resolve, so no resolution clock; it feeds an inspection or check.
        Lead = "lead",
        /// Resolution ended by a termination decision (đình chỉ): the grounds of Law 02/2011
        /// Art. 11a and Law 25/2018 Art. 34.
        Terminated = "terminated",
    }
}

impl Status {
    /// Still being handled: the "5 rõ" apply and clocks may run.
    pub fn is_open(self) -> bool {
        matches!(self, Status::Received | Status::Accepted | Status::Suspended)
    }

    /// Vietnamese wording for citizens.
    pub fn label_vi(self) -> &'static str {
        match self {
            Status::Received => "Đã tiếp nhận",
            Status::Accepted => "Đã thụ lý, đang giải quyết",
            Status::Suspended => "Tạm đình chỉ giải quyết",
            Status::Resolved => "Đã giải quyết",
            Status::Guided => "Đã hướng dẫn gửi đến cơ quan có thẩm quyền",
            Status::Forwarded => "Đã chuyển cơ quan có thẩm quyền",
            Status::Archived => "Lưu đơn",
            Status::Rejected => "Không thụ lý",
            Status::Withdrawn => "Đã rút đơn",
            Status::Lead => "Chuyển làm thông tin phục vụ thanh tra, kiểm tra",
            Status::Terminated => "Đình chỉ giải quyết",
        }
    }

    /// The handling step shown for "5 rõ" (rõ quy trình).
    pub fn step_vi(self) -> &'static str {
        match self {
            Status::Received => "Phân loại, xử lý đơn",
            Status::Accepted => "Xác minh, giải quyết",
            Status::Suspended => "Tạm đình chỉ, chờ tiếp tục",
            Status::Resolved => "Đã ban hành kết quả giải quyết",
            Status::Guided
            | Status::Forwarded
            | Status::Archived
            | Status::Rejected
            | Status::Withdrawn
            | Status::Lead
            | Status::Terminated => "Kết thúc xử lý",
        }
    }
}

str_enum! {
    /// The actions of the workflow (`POST /petitions/{id}/actions`).
    pub enum Action {
        Accept = "accept",
        Reject = "reject",
        Guide = "guide",
        Forward = "forward",
        Urge = "urge",
        Archive = "archive",
        Assign = "assign",
        Extend = "extend",
        Suspend = "suspend",
        Resume = "resume",
        Withdraw = "withdraw",
        Resolve = "resolve",
        Reopen = "reopen",
        Split = "split",
        /// An anonymous denunciation becomes an inspection lead.
        RecordLead = "record_lead",
        /// A denunciation's intake lengthened to 10 working days.
        ExtendIntake = "extend_intake",
        /// The resolution ends by a termination decision (đình chỉ).
        Terminate = "terminate",
        /// A complaint's dialogue is scheduled (the invitation at least 5 days ahead).
        ScheduleDialogue = "schedule_dialogue",
        /// A complaint's dialogue was held: its minutes.
        RecordDialogue = "record_dialogue",
    }
}

str_enum! {
    /// What an event of a case's trail records: a workflow action, or a change the register
    /// makes by itself. The spellings are hashed into the trail: never rename one.
    pub enum EventAction {
        /// The petition was registered.
        Receive = "receive",
        Accept = "accept",
        Reject = "reject",
        Guide = "guide",
        Forward = "forward",
        Urge = "urge",
        Archive = "archive",
        Assign = "assign",
        Extend = "extend",
        Suspend = "suspend",
        Resume = "resume",
        Withdraw = "withdraw",
        Resolve = "resolve",
        Reopen = "reopen",
        Split = "split",
        RecordLead = "record_lead",
        ExtendIntake = "extend_intake",
        Terminate = "terminate",
        ScheduleDialogue = "schedule_dialogue",
        RecordDialogue = "record_dialogue",
        /// The second round (or further denunciation) this case led to was decided: its result
        /// came back to the first case's file.
        NextLevelResult = "next_level_result",
        /// The agency a case was forwarded to resolved it; its result came back.
        ForwardResult = "forward_result",
        /// A change of special days moved the case's due dates.
        DeadlineRecomputed = "deadline_recomputed",
        /// A reception visit about the case was written in the book.
        ReceptionVisit = "reception_visit",
        /// A trail written before the hashes were keyed was anchored under the audit key (once,
        /// at the first start after the change; `service::audit::legacy`).
        AuditAnchored = "audit_anchored",
        /// A written notice the law does not tie to a step was issued (the apology letter).
        NoticeIssued = "notice_issued",
        /// A written notice was recorded as sent: its clock is met.
        NoticeSent = "notice_sent",
        /// The case's matter became confidential: a denunciation joined its family (a split part,
        /// a further denunciation, a reception visit); the event names that case.
        MadeConfidential = "made_confidential",
        /// A petition filed on the portal before its citizen had an account was claimed by it
        /// (its tracking code and the contact it was filed with).
        ClaimedByAccount = "claimed_by_account",
        /// A document or photo was attached to the case (its id, type, size and SHA-256; never
        /// its name, which may name a person and the trail is read more widely than the file).
        AttachmentAdded = "attachment_added",
        /// The case was destroyed after its retention on the head's decision (TT 05/2021
        /// Art. 28(2)): its content, parties and attachments deleted, its register line kept.
        Destroyed = "destroyed",
    }
}

impl From<Action> for EventAction {
    fn from(action: Action) -> Self {
        match action {
            Action::Accept => EventAction::Accept,
            Action::Reject => EventAction::Reject,
            Action::Guide => EventAction::Guide,
            Action::Forward => EventAction::Forward,
            Action::Urge => EventAction::Urge,
            Action::Archive => EventAction::Archive,
            Action::Assign => EventAction::Assign,
            Action::Extend => EventAction::Extend,
            Action::Suspend => EventAction::Suspend,
            Action::Resume => EventAction::Resume,
            Action::Withdraw => EventAction::Withdraw,
            Action::Resolve => EventAction::Resolve,
            Action::Reopen => EventAction::Reopen,
            Action::Split => EventAction::Split,
            Action::RecordLead => EventAction::RecordLead,
            Action::ExtendIntake => EventAction::ExtendIntake,
            Action::Terminate => EventAction::Terminate,
            Action::ScheduleDialogue => EventAction::ScheduleDialogue,
            Action::RecordDialogue => EventAction::RecordDialogue,
        }
    }
}

str_enum! {
    /// Why a protected identity was read: what the access log records with each read.
    pub enum ReadPurpose {
        /// Registering the petition.
        Intake = "intake",
        /// Opening the case.
        View = "view",
        /// The view answered after a workflow step.
        Action = "action",
        /// A session's visit list.
        ReceptionSession = "reception_session",
        /// A visit just written.
        ReceptionVisit = "reception_visit",
        /// The visits about a case.
        PetitionVisits = "petition_visits",
        /// The reception book.
        ReceptionBook = "reception_book",
        /// The reception book's spreadsheet.
        ReceptionBookExport = "reception_book_export",
        /// A list of refusals to receive (the agency's, or a session's).
        ReceptionRefusals = "reception_refusals",
        /// A refusal just recorded, or its notice.
        ReceptionRefusal = "reception_refusal",
        /// A written notice printed or downloaded.
        Notice = "notice",
        /// An attachment of the case downloaded (a document or photo that may identify its people).
        Attachment = "attachment",
    }
}

str_enum! {
    /// The outcome of a complaint (second round: right, partly right or entirely wrong), also used
    /// for a denunciation's conclusion.
    pub enum Conclusion {
        Right = "right",
        PartlyRight = "partly_right",
        Wrong = "wrong",
    }
}

str_enum! {
    /// How one case came from another.
    pub enum OriginRelation {
        /// Forwarded from a case of another agency in this system; the result flows back.
        ForwardedFrom = "forwarded_from",
        /// A second-round complaint about a first-round decision.
        SecondRoundOf = "second_round_of",
        /// A further denunciation (tố cáo tiếp) about a concluded one.
        FurtherDenunciationOf = "further_denunciation_of",
        /// One content of a multi-content petition.
        SplitFrom = "split_from",
    }
}

str_enum! {
    /// The parties of a petition, kept in a separate store (§6 rule 1).
    pub enum PartyRole {
        Petitioner = "petitioner",
        Cosignatory = "cosignatory",
        Representative = "representative",
    }
}

/// Why an action was refused by the state machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// Stable code: `invalid_transition`.
    pub code: &'static str,
    /// Vietnamese explanation.
    pub message: String,
}

fn refuse(message: impl Into<String>) -> Refusal {
    Refusal { code: "invalid_transition", message: message.into() }
}

/// Facts about a case that the state machine looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseFacts {
    pub kind: Kind,
    pub status: Status,
    pub round: i32,
    pub channel: Channel,
    /// Signatories of a group petition (partial withdrawal by some of them).
    pub signatories: i32,
    /// Received before the 1 Jul 2026 change-over (no partial withdrawal of complaints then).
    pub received_on: NaiveDate,
    /// Arrived forwarded by another agency of the register (a received copy, `forwarded_from`).
    pub forwarded_in: bool,
    /// Nobody named (đơn nặc danh).
    pub anonymous: bool,
    /// Signed or fingerprinted by the petitioner.
    pub signed: bool,
    /// A dialogue with the complainant was held and minuted.
    pub dialogue_held: bool,
    /// Accepted, and its resolution deadline passed unmet: the citizen may go to the next level
    /// (Law 02/2011 Art. 33(1); Law 25/2018 Art. 37(1)).
    pub deadline_missed: bool,
}

/// Whether `action` may be taken on a case with `facts`, regardless of who asks.
pub fn check_transition(facts: CaseFacts, action: Action) -> Result<Status, Refusal> {
    use Action as A;
    use Kind as K;
    use Status as S;
    let status = facts.status;
    let kind = facts.kind;
    let not_now = || {
        refuse(format!(
            "Không thể \"{}\" khi đơn đang ở trạng thái \"{}\".",
            action.as_str(),
            status.label_vi()
        ))
    };
    match action {
        A::Accept | A::Reject | A::Archive | A::Split => {
            if status != S::Received {
                return Err(not_now());
            }
            if action == A::Accept && matches!(kind, K::Complaint | K::Denunciation) {
                if facts.anonymous {
                    return Err(refuse(if kind == K::Denunciation {
                        "Đơn tố cáo nặc danh không được thụ lý giải quyết: nếu nêu rõ người vi phạm và có \
                         tài liệu, chứng cứ thì chuyển làm thông tin thanh tra, kiểm tra (Luật Tố cáo 2018, \
                         Điều 25)."
                    } else {
                        "Đơn khiếu nại không ghi họ tên, địa chỉ người khiếu nại không được thụ lý (Luật \
                         Khiếu nại 2011, Điều 8, Điều 11)."
                    }));
                }
                if !facts.signed {
                    return Err(refuse(
                        "Đơn không có chữ ký hoặc điểm chỉ của người gửi không được thụ lý (Luật Khiếu nại \
                         2011, Điều 11; Luật Tố cáo 2018, Điều 23).",
                    ));
                }
            }
            Ok(match action {
                A::Accept => S::Accepted,
                A::Reject => S::Rejected,
                _ => S::Archived,
            })
        }
        A::Guide => {
            if status != S::Received {
                return Err(not_now());
            }
            match kind {
                // Complaints outside competence are guided; denunciations only when brought in person.
                K::Complaint => Ok(S::Guided),
                K::Denunciation if facts.channel == Channel::InPerson => Ok(S::Guided),
                _ => Err(refuse(
                    "Đơn kiến nghị, phản ánh, tố cáo gửi đến không thuộc thẩm quyền thì chuyển đơn, không hướng dẫn.",
                )),
            }
        }
        A::Forward => {
            // A denunciation is forwarded once only (Law 25/2018 Art. 24(2); domain.md §4): not the
            // copy another agency forwarded here, nor a case already sent on (or urged).
            if kind == K::Denunciation && (facts.forwarded_in || status == S::Forwarded) {
                return Err(Refusal {
                    code: "already_forwarded",
                    message: "Đơn tố cáo chỉ được chuyển một lần (Luật Tố cáo, Điều 24 khoản 2); đơn này đã \
                              được chuyển nên không chuyển tiếp."
                        .to_owned(),
                });
            }
            if status != S::Received {
                return Err(not_now());
            }
            if kind == K::Complaint {
                return Err(refuse(
                    "Khiếu nại không thuộc thẩm quyền thì hướng dẫn người khiếu nại, không chuyển đơn.",
                ));
            }
            Ok(S::Forwarded)
        }
        A::Urge => {
            if status != S::Received {
                return Err(not_now());
            }
            Ok(S::Forwarded)
        }
        A::Assign => {
            if !status.is_open() {
                return Err(not_now());
            }
            Ok(status)
        }
        A::Extend | A::Suspend => {
            if !matches!(kind, K::Complaint | K::Denunciation) {
                return Err(refuse("Kiến nghị, phản ánh không có gia hạn hay tạm đình chỉ theo luật."));
            }
            if status != S::Accepted {
                return Err(not_now());
            }
            Ok(if action == A::Suspend { S::Suspended } else { S::Accepted })
        }
        A::Resume => {
            if status != S::Suspended {
                return Err(not_now());
            }
            Ok(S::Accepted)
        }
        A::Withdraw => {
            if !status.is_open() {
                return Err(not_now());
            }
            Ok(S::Withdrawn)
        }
        A::Resolve => match (kind, status) {
            (K::Complaint, S::Accepted) if facts.round >= 2 && !facts.dialogue_held => Err(Refusal {
                code: "dialogue_required",
                message: "Giải quyết khiếu nại lần hai phải tổ chức đối thoại (Nghị định 124/2020/NĐ-CP, Điều 28): \
                          ghi biên bản đối thoại trước khi ban hành quyết định."
                    .to_owned(),
            }),
            (K::Complaint | K::Denunciation, S::Accepted) => Ok(S::Resolved),
            (K::Recommendation | K::Feedback, S::Received | S::Accepted) => Ok(S::Resolved),
            _ => Err(not_now()),
        },
        A::Reopen => match (kind, status) {
            (K::Complaint, S::Resolved | S::Accepted) if facts.round >= 2 => {
                Err(refuse("Đã là khiếu nại lần hai: không khiếu nại tiếp, có thể khởi kiện ra Tòa án."))
            }
            (K::Complaint | K::Denunciation, S::Resolved) => Ok(S::Resolved),
            // The deadline passed unresolved: the next level may be seized; this case stays open.
            (K::Complaint | K::Denunciation, S::Accepted) if facts.deadline_missed => Ok(S::Accepted),
            (K::Complaint | K::Denunciation, _) => Err(not_now()),
            _ => Err(refuse("Chỉ khiếu nại (lần hai) và tố cáo (tố cáo tiếp) mới được mở lại.")),
        },
        A::ScheduleDialogue | A::RecordDialogue => {
            if kind != K::Complaint {
                return Err(refuse("Đối thoại là bước giải quyết khiếu nại (Nghị định 124/2020/NĐ-CP, Điều 28)."));
            }
            if status != S::Accepted {
                return Err(not_now());
            }
            Ok(S::Accepted)
        }
        A::ExtendIntake => {
            if kind != K::Denunciation {
                return Err(refuse(
                    "Chỉ thời hạn xử lý ban đầu đơn tố cáo mới được kéo dài (Luật Tố cáo 2018, Điều 24 khoản 1).",
                ));
            }
            if status != S::Received {
                return Err(not_now());
            }
            Ok(S::Received)
        }
        A::Terminate => {
            if !matches!(kind, K::Complaint | K::Denunciation) {
                return Err(refuse("Chỉ việc giải quyết khiếu nại, tố cáo mới có quyết định đình chỉ."));
            }
            if !matches!(status, S::Accepted | S::Suspended) {
                return Err(not_now());
            }
            Ok(S::Terminated)
        }
        A::RecordLead => {
            if status != S::Received {
                return Err(not_now());
            }
            if kind != K::Denunciation || !facts.anonymous {
                return Err(refuse(
                    "Chỉ đơn tố cáo nặc danh mới được chuyển làm thông tin thanh tra, kiểm tra (Luật Tố cáo \
                     2018, Điều 25 khoản 2).",
                ));
            }
            Ok(S::Lead)
        }
    }
}

/// Whether a partial withdrawal is possible: denunciations always (Law 25/2018 Art. 33(2));
/// complaints received from 1 Jul 2026 (ND 124/2020 new Art. 7a); a group petition's members.
pub fn partial_withdrawal_allowed(facts: CaseFacts) -> bool {
    match facts.kind {
        Kind::Denunciation => true,
        Kind::Complaint => facts.received_on >= NEW_RULES_FROM || facts.signatories > 1,
        Kind::Recommendation | Kind::Feedback => facts.signatories > 1,
    }
}

/// The roles that may take `action` at all (case scope is checked separately).
pub fn roles_for(action: Action) -> &'static [Role] {
    use Action as A;
    use Role as R;
    match action {
        A::Assign => &[R::Chairman, R::UnitHead],
        A::Guide | A::Withdraw | A::Reopen => &[R::Chairman, R::UnitHead, R::Inspector, R::Receptionist],
        A::Accept
        | A::Reject
        | A::Forward
        | A::Urge
        | A::Archive
        | A::RecordLead
        | A::ExtendIntake
        | A::Terminate
        | A::ScheduleDialogue
        | A::RecordDialogue
        | A::Split
        | A::Extend
        | A::Suspend
        | A::Resume
        | A::Resolve => &[R::Chairman, R::UnitHead, R::Inspector],
    }
}

/// Random, typable tracking codes: `TD-XXXX-XXXX-XXXX`, 12 symbols of a 32-letter alphabet without
/// `0 O 1 I` (60 bits).
pub mod tracking_code {
    /// The symbols of a code.
    pub const ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

    /// Builds a code from 12 random bytes (each picks one symbol; 256 is a multiple of 32, so no bias).
    pub fn from_random(bytes: [u8; 12]) -> String {
        let symbols: Vec<char> = bytes.iter().map(|b| ALPHABET[(*b % 32) as usize] as char).collect();
        let group = |i: usize| symbols[i * 4..i * 4 + 4].iter().collect::<String>();
        format!("TD-{}-{}-{}", group(0), group(1), group(2))
    }

    /// Reads a code as a citizen may type it: any case, spaces or dashes anywhere, and the
    /// look-alikes `0 O → 0`… are not in the alphabet, so `O` is read as `0`? No: codes never hold
    /// them, so a code with them is simply not found. Returns the canonical form.
    pub fn parse(input: &str) -> Option<String> {
        let cleaned: String =
            input.chars().filter(|c| !matches!(c, ' ' | '-' | '_')).collect::<String>().to_ascii_uppercase();
        let body = cleaned.strip_prefix("TD").unwrap_or(&cleaned);
        if body.len() != 12 || !body.bytes().all(|b| ALPHABET.contains(&b)) {
            return None;
        }
        Some(format!("TD-{}-{}-{}", &body[0..4], &body[4..8], &body[8..12]))
    }
}

/// An identity document number: CCCD (12 digits), CMND (9 digits) or a passport (a letter and
/// 7–8 digits), or another document's number (4–20 letters and digits). Stored upper-cased
/// without spaces.
pub fn parse_id_number(input: &str) -> Result<String, String> {
    let cleaned: String = input.chars().filter(|c| !c.is_whitespace() && *c != '.' && *c != '-').collect();
    let cleaned = cleaned.to_ascii_uppercase();
    if cleaned.len() < 4 || cleaned.len() > 20 || !cleaned.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err("Số giấy tờ tùy thân không hợp lệ (CCCD 12 số, CMND 9 số, hộ chiếu…).".to_owned());
    }
    let all_digits = cleaned.chars().all(|c| c.is_ascii_digit());
    if all_digits && ![9, 12].contains(&cleaned.len()) && cleaned.len() < 6 {
        return Err("Số giấy tờ tùy thân không hợp lệ (CCCD 12 số, CMND 9 số).".to_owned());
    }
    Ok(cleaned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(kind: Kind, status: Status) -> CaseFacts {
        CaseFacts {
            kind,
            status,
            round: 1,
            channel: Channel::Post,
            signatories: 1,
            received_on: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
            forwarded_in: false,
            anonymous: false,
            signed: true,
            dialogue_held: false,
            deadline_missed: false,
        }
    }

    #[test]
    fn the_main_path_of_each_kind_is_allowed() {
        for kind in Kind::ALL {
            assert_eq!(
                check_transition(facts(*kind, Status::Received), Action::Accept),
                Ok(Status::Accepted)
            );
            assert_eq!(
                check_transition(facts(*kind, Status::Accepted), Action::Resolve),
                Ok(Status::Resolved)
            );
            assert_eq!(
                check_transition(facts(*kind, Status::Received), Action::Archive),
                Ok(Status::Archived)
            );
            assert_eq!(
                check_transition(facts(*kind, Status::Received), Action::Reject),
                Ok(Status::Rejected)
            );
            assert_eq!(
                check_transition(facts(*kind, Status::Accepted), Action::Withdraw),
                Ok(Status::Withdrawn)
            );
        }
    }

    #[test]
    fn closed_cases_refuse_everything_but_reopening() {
        for kind in Kind::ALL {
            for status in [
                Status::Guided,
                Status::Forwarded,
                Status::Archived,
                Status::Rejected,
                Status::Withdrawn,
                Status::Lead,
                Status::Terminated,
            ] {
                for action in Action::ALL {
                    let r = check_transition(facts(*kind, status), *action);
                    assert!(r.is_err(), "{kind} {status} {action} should be refused");
                    let forwarded_again = *kind == Kind::Denunciation
                        && status == Status::Forwarded
                        && *action == Action::Forward;
                    let code = if forwarded_again { "already_forwarded" } else { "invalid_transition" };
                    assert_eq!(r.unwrap_err().code, code, "{kind} {status} {action}");
                }
            }
        }
    }

    #[test]
    fn complaints_are_guided_and_never_forwarded() {
        assert_eq!(
            check_transition(facts(Kind::Complaint, Status::Received), Action::Guide),
            Ok(Status::Guided)
        );
        assert!(check_transition(facts(Kind::Complaint, Status::Received), Action::Forward).is_err());
        assert_eq!(
            check_transition(facts(Kind::Recommendation, Status::Received), Action::Forward),
            Ok(Status::Forwarded)
        );
        assert!(check_transition(facts(Kind::Feedback, Status::Received), Action::Guide).is_err());
        let mut walk_in = facts(Kind::Denunciation, Status::Received);
        assert!(check_transition(walk_in, Action::Guide).is_err());
        walk_in.channel = Channel::InPerson;
        assert_eq!(check_transition(walk_in, Action::Guide), Ok(Status::Guided));
    }

    #[test]
    fn a_denunciation_is_forwarded_once_only() {
        let mut copy = facts(Kind::Denunciation, Status::Received);
        assert_eq!(check_transition(copy, Action::Forward), Ok(Status::Forwarded));
        copy.forwarded_in = true;
        assert_eq!(check_transition(copy, Action::Forward).unwrap_err().code, "already_forwarded");
        assert_eq!(check_transition(copy, Action::Accept), Ok(Status::Accepted), "it is handled here");
        let original = facts(Kind::Denunciation, Status::Forwarded);
        assert_eq!(check_transition(original, Action::Forward).unwrap_err().code, "already_forwarded");
        // Recommendations and feedback have no such rule.
        let mut rec = facts(Kind::Recommendation, Status::Received);
        rec.forwarded_in = true;
        assert_eq!(check_transition(rec, Action::Forward), Ok(Status::Forwarded));
    }

    #[test]
    fn suspension_and_extension_only_for_accepted_complaints_and_denunciations() {
        for kind in [Kind::Complaint, Kind::Denunciation] {
            assert_eq!(
                check_transition(facts(kind, Status::Accepted), Action::Suspend),
                Ok(Status::Suspended)
            );
            assert_eq!(
                check_transition(facts(kind, Status::Suspended), Action::Resume),
                Ok(Status::Accepted)
            );
            assert_eq!(check_transition(facts(kind, Status::Accepted), Action::Extend), Ok(Status::Accepted));
            assert!(check_transition(facts(kind, Status::Received), Action::Suspend).is_err());
            assert!(check_transition(facts(kind, Status::Suspended), Action::Resolve).is_err());
        }
        for kind in [Kind::Recommendation, Kind::Feedback] {
            assert!(check_transition(facts(kind, Status::Accepted), Action::Suspend).is_err());
            assert!(check_transition(facts(kind, Status::Accepted), Action::Extend).is_err());
            assert_eq!(
                check_transition(facts(kind, Status::Received), Action::Resolve),
                Ok(Status::Resolved)
            );
        }
    }

    #[test]
    fn a_second_round_complaint_cannot_be_reopened_again() {
        assert!(check_transition(facts(Kind::Complaint, Status::Resolved), Action::Reopen).is_ok());
        let mut second = facts(Kind::Complaint, Status::Resolved);
        second.round = 2;
        assert!(check_transition(second, Action::Reopen).is_err());
        assert!(check_transition(facts(Kind::Denunciation, Status::Resolved), Action::Reopen).is_ok());
        assert!(check_transition(facts(Kind::Feedback, Status::Resolved), Action::Reopen).is_err());
    }

    #[test]
    fn a_second_complaint_may_follow_a_missed_first_deadline_and_the_first_case_stays_open() {
        // Law 02/2011 Art. 33(1): after the first decision, or once its deadline passed unresolved.
        let mut late = facts(Kind::Complaint, Status::Accepted);
        assert!(check_transition(late, Action::Reopen).is_err(), "not before the deadline passed");
        late.deadline_missed = true;
        assert_eq!(check_transition(late, Action::Reopen), Ok(Status::Accepted));
        // Law 25/2018 Art. 37(1): a further denunciation, likewise.
        let mut denunciation = facts(Kind::Denunciation, Status::Accepted);
        denunciation.deadline_missed = true;
        assert_eq!(check_transition(denunciation, Action::Reopen), Ok(Status::Accepted));
        late.round = 2;
        assert!(check_transition(late, Action::Reopen).is_err(), "no third round: the court");
    }

    #[test]
    fn an_anonymous_or_unsigned_petition_is_never_accepted_and_an_anonymous_denunciation_is_a_lead() {
        // Law 25/2018 Art. 25; Law 02/2011 Arts. 8, 11; TT 05/2021 Art. 6(2).
        for kind in [Kind::Complaint, Kind::Denunciation] {
            let mut anonymous = facts(kind, Status::Received);
            anonymous.anonymous = true;
            assert_eq!(check_transition(anonymous, Action::Accept).unwrap_err().code, "invalid_transition");
            assert_eq!(check_transition(anonymous, Action::Archive), Ok(Status::Archived));
            let mut unsigned = facts(kind, Status::Received);
            unsigned.signed = false;
            assert!(check_transition(unsigned, Action::Accept).is_err());
            assert_eq!(check_transition(unsigned, Action::Reject), Ok(Status::Rejected));
        }
        let mut lead = facts(Kind::Denunciation, Status::Received);
        assert!(check_transition(lead, Action::RecordLead).is_err(), "a named denouncer's is a case");
        lead.anonymous = true;
        assert_eq!(check_transition(lead, Action::RecordLead), Ok(Status::Lead));
        let mut complaint = facts(Kind::Complaint, Status::Received);
        complaint.anonymous = true;
        assert!(check_transition(complaint, Action::RecordLead).is_err());
        // Recommendations and feedback need no signature to be dealt with.
        let mut feedback = facts(Kind::Feedback, Status::Received);
        feedback.anonymous = true;
        assert_eq!(check_transition(feedback, Action::Accept), Ok(Status::Accepted));
    }

    #[test]
    fn an_accepted_or_suspended_case_may_be_terminated_and_a_denunciations_intake_lengthened() {
        // Law 02/2011 Art. 11a; ND 124/2020 Art. 28a; Law 25/2018 Arts. 24(1), 34.
        for kind in [Kind::Complaint, Kind::Denunciation] {
            for status in [Status::Accepted, Status::Suspended] {
                assert_eq!(check_transition(facts(kind, status), Action::Terminate), Ok(Status::Terminated));
            }
            assert!(check_transition(facts(kind, Status::Received), Action::Terminate).is_err());
        }
        assert!(check_transition(facts(Kind::Feedback, Status::Accepted), Action::Terminate).is_err());
        let intake = facts(Kind::Denunciation, Status::Received);
        assert_eq!(check_transition(intake, Action::ExtendIntake), Ok(Status::Received));
        assert!(check_transition(facts(Kind::Denunciation, Status::Accepted), Action::ExtendIntake).is_err());
        assert!(check_transition(facts(Kind::Complaint, Status::Received), Action::ExtendIntake).is_err());
    }

    #[test]
    fn a_second_round_decision_needs_the_dialogue_held() {
        // ND 124/2020 Art. 28 (as rewritten by ND 155/2026 Art. 11): mandatory in the second round.
        let mut second = facts(Kind::Complaint, Status::Accepted);
        second.round = 2;
        assert_eq!(check_transition(second, Action::Resolve).unwrap_err().code, "dialogue_required");
        second.dialogue_held = true;
        assert_eq!(check_transition(second, Action::Resolve), Ok(Status::Resolved));
        assert_eq!(
            check_transition(facts(Kind::Complaint, Status::Accepted), Action::Resolve),
            Ok(Status::Resolved)
        );
        assert_eq!(check_transition(second, Action::ScheduleDialogue), Ok(Status::Accepted));
        assert!(
            check_transition(facts(Kind::Denunciation, Status::Accepted), Action::RecordDialogue).is_err()
        );
        assert!(
            check_transition(facts(Kind::Complaint, Status::Received), Action::ScheduleDialogue).is_err()
        );
    }

    #[test]
    fn partial_withdrawal_of_a_complaint_needs_the_new_rules_or_a_group() {
        let mut old = facts(Kind::Complaint, Status::Accepted);
        old.received_on = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
        assert!(!partial_withdrawal_allowed(old));
        old.signatories = 6;
        assert!(partial_withdrawal_allowed(old));
        assert!(partial_withdrawal_allowed(facts(Kind::Complaint, Status::Accepted)));
        assert!(partial_withdrawal_allowed(facts(Kind::Denunciation, Status::Accepted)));
    }

    #[test]
    fn only_heads_assign_and_nobody_outside_staff_acts() {
        assert_eq!(roles_for(Action::Assign), &[Role::Chairman, Role::UnitHead]);
        for action in Action::ALL {
            let roles = roles_for(*action);
            assert!(!roles.contains(&Role::Citizen) && !roles.contains(&Role::Admin), "{action}");
        }
        assert!(roles_for(Action::Guide).contains(&Role::Receptionist));
        assert!(!roles_for(Action::Accept).contains(&Role::Receptionist));
    }

    #[test]
    fn tracking_codes_are_typable_and_parse_loosely() {
        let code = tracking_code::from_random([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255]);
        assert_eq!(code, "TD-2345-6789-ABCZ");
        assert_eq!(tracking_code::parse("td 2345 6789 abcz").as_deref(), Some("TD-2345-6789-ABCZ"));
        assert_eq!(tracking_code::parse("234567 89ABCZ").as_deref(), Some("TD-2345-6789-ABCZ"));
        assert_eq!(tracking_code::parse("TD-2345-6789-ABC0"), None, "0 is never in a code");
        assert_eq!(tracking_code::parse("TD-2345"), None);
        for c in ['0', 'O', '1', 'I'] {
            assert!(!tracking_code::ALPHABET.contains(&(c as u8)));
        }
    }

    #[test]
    fn identity_numbers_are_normalised() {
        assert_eq!(parse_id_number("001 234 567 890").unwrap(), "001234567890");
        assert_eq!(parse_id_number("b1234567").unwrap(), "B1234567");
        assert!(parse_id_number("12").is_err());
        assert!(parse_id_number("số CCCD").is_err());
    }
}
