//! A step of the workflow as asked (`POST /petitions/{id}/actions`) and as checked: the
//! [`Command`] the services carry out, with the rules of each step's own fields (domain.md §4–§7).
//! Whether the step may be taken now is the state machine's ([`super::check_transition`]) and
//! `service::access`'s.

use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;

use super::{Action, Conclusion, Kind};
use crate::domain::{
    deadline::Complexity,
    input::{Invalid, supported_date_opt},
    validate::{bounded_text, optional_text},
};

/// One content when splitting a petition.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SplitPartRequest {
    pub kind: Kind,
    pub subject: String,
    pub content: String,
}

/// An action and its fields: `accept` (complexity?, remote_area?), `reject` (reason), `guide`
/// (to_body, note?), `forward` (to_agency_id or to_body, letter_no?), `urge` (to_body), `archive`
/// (reason), `extend_intake` (days: 1–3, reason), `terminate` (reason), `assign` (assignee_id,
/// unit_id, leader_id?, expected_result?), `schedule_dialogue` (on: the dialogue's day, at least 5
/// days ahead; place), `record_dialogue` (minutes), `extend` (days, reason,
/// complexity?), `suspend` (reason), `resume`, `withdraw` (partial, note, withdrawn_signatories?,
/// continue_handling? with reason: a denunciation's handling that goes on),
/// `resolve` (result; complaints: conclusion), `reopen` (reason?, to_agency_id?: required reason
/// when not the competent body), `split` (parts), `record_lead` (reason: the violator and the
/// evidence that make an anonymous denunciation worth an inspection).
#[derive(Debug, Deserialize, ToSchema)]
pub struct ActionRequest {
    pub action: Action,
    /// The decision's date (default today).
    #[serde(default, deserialize_with = "supported_date_opt")]
    pub on: Option<NaiveDate>,
    /// The `version` of the view acted on; a newer one means someone else changed the case.
    pub expected_version: Option<i32>,
    pub reason: Option<String>,
    pub note: Option<String>,
    pub to_body: Option<String>,
    pub to_agency_id: Option<i64>,
    pub letter_no: Option<String>,
    pub assignee_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub leader_id: Option<i64>,
    pub expected_result: Option<String>,
    pub days: Option<u32>,
    pub complexity: Option<Complexity>,
    pub remote_area: Option<bool>,
    pub partial: Option<bool>,
    pub withdrawn_signatories: Option<i32>,
    /// `withdraw` of a denunciation: its handling continues all the same, for the `reason`.
    pub continue_handling: Option<bool>,
    /// `schedule_dialogue`: where (its day is `on`).
    pub place: Option<String>,
    /// `record_dialogue`: the minutes (Mẫu 14).
    pub minutes: Option<String>,
    pub result: Option<String>,
    pub conclusion: Option<Conclusion>,
    /// `resolve`: money the decision or conclusion orders recovered, in đồng.
    pub recovered_money: Option<i64>,
    /// `resolve`: land it orders recovered, in m² (to the hundredth).
    pub recovered_land_m2: Option<f64>,
    /// `resolve`: people whose rights it restored.
    pub people_restored: Option<i32>,
    pub parts: Option<Vec<SplitPartRequest>>,
}

/// What a resolution recorded it recovers or restores (the resolution table's figures,
/// domain.md §10), each where it was recorded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Recovered {
    /// In đồng.
    pub money: Option<i64>,
    /// In hundredths of a m².
    pub land_cm2: Option<i64>,
    pub people_restored: Option<i32>,
}

/// The most money one resolution records (a thousand trillion đồng).
const MAX_MONEY: i64 = 1_000_000_000_000_000;
/// The most land, in m² (a thousand km²).
const MAX_LAND_M2: f64 = 1_000_000_000.0;
/// The most people whose rights one resolution restores.
const MAX_PEOPLE_RESTORED: i32 = 1_000_000;

impl Recovered {
    /// Checks the figures a `resolve` sent.
    fn parse(money: Option<i64>, land_m2: Option<f64>, people: Option<i32>) -> Result<Self, Invalid> {
        if money.is_some_and(|m| !(0..=MAX_MONEY).contains(&m)) {
            return Err(Invalid::field("recovered_money", "Số tiền từ 0 đến 10^15 đồng."));
        }
        let land_cm2 = match land_m2 {
            Some(m2) if m2.is_finite() && (0.0..=MAX_LAND_M2).contains(&m2) => {
                #[allow(clippy::cast_possible_truncation)]
                let cm2 = (m2 * 100.0).round() as i64;
                Some(cm2)
            }
            Some(_) => return Err(Invalid::field("recovered_land_m2", "Diện tích từ 0 đến 10^9 m².")),
            None => None,
        };
        if people.is_some_and(|p| !(0..=MAX_PEOPLE_RESTORED).contains(&p)) {
            return Err(Invalid::field("people_restored", "Số người từ 0 đến 1 000 000."));
        }
        Ok(Recovered { money, land_cm2, people_restored: people })
    }
}

/// Where a case is forwarded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ForwardTarget {
    /// Another agency of this register: the case arrives there as a received petition.
    Agency(i64),
    /// A body outside the register.
    Body(String),
}

/// One content of a multi-content petition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitPart {
    pub kind: Kind,
    pub subject: String,
    pub content: String,
}

/// A checked action with its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Accept {
        complexity: Option<Complexity>,
        remote_area: Option<bool>,
        note: Option<String>,
    },
    Reject {
        reason: String,
    },
    Guide {
        to_body: String,
        note: Option<String>,
    },
    Forward {
        target: ForwardTarget,
        letter_no: Option<String>,
        note: Option<String>,
    },
    Urge {
        to_body: String,
        note: Option<String>,
    },
    Archive {
        reason: String,
    },
    Assign {
        assignee_id: Option<i64>,
        unit_id: Option<i64>,
        leader_id: Option<i64>,
        expected_result: Option<String>,
    },
    Extend {
        days: u32,
        reason: String,
        complexity: Option<Complexity>,
    },
    Suspend {
        reason: String,
    },
    Resume {
        note: Option<String>,
    },
    Withdraw {
        partial: bool,
        note: Option<String>,
        withdrawn_signatories: Option<i32>,
        /// A denunciation withdrawn whose handling goes on, and why (signs of a violation, a
        /// coerced or bought withdrawal, slander: Law 25/2018 Art. 33(3)).
        continues: Option<String>,
    },
    Resolve {
        result: String,
        conclusion: Option<Conclusion>,
        recovered: Recovered,
    },
    Reopen {
        reason: Option<String>,
        to_agency_id: Option<i64>,
    },
    RecordLead {
        reason: String,
    },
    ExtendIntake {
        days: u32,
        reason: String,
    },
    Terminate {
        reason: String,
    },
    ScheduleDialogue {
        /// The day of the dialogue.
        on: NaiveDate,
        place: String,
    },
    RecordDialogue {
        minutes: String,
    },
    Split {
        parts: Vec<SplitPart>,
        note: Option<String>,
    },
}

impl Command {
    /// The action this command takes.
    pub fn action(&self) -> Action {
        match self {
            Command::Accept { .. } => Action::Accept,
            Command::Reject { .. } => Action::Reject,
            Command::Guide { .. } => Action::Guide,
            Command::Forward { .. } => Action::Forward,
            Command::Urge { .. } => Action::Urge,
            Command::Archive { .. } => Action::Archive,
            Command::Assign { .. } => Action::Assign,
            Command::Extend { .. } => Action::Extend,
            Command::Suspend { .. } => Action::Suspend,
            Command::Resume { .. } => Action::Resume,
            Command::Withdraw { .. } => Action::Withdraw,
            Command::Resolve { .. } => Action::Resolve,
            Command::Reopen { .. } => Action::Reopen,
            Command::RecordLead { .. } => Action::RecordLead,
            Command::ExtendIntake { .. } => Action::ExtendIntake,
            Command::Terminate { .. } => Action::Terminate,
            Command::ScheduleDialogue { .. } => Action::ScheduleDialogue,
            Command::RecordDialogue { .. } => Action::RecordDialogue,
            Command::Split { .. } => Action::Split,
        }
    }
}

/// A checked step: what to do, on which day, against which version of the case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionInput {
    pub command: Command,
    /// The decision's date: never in the future.
    pub on: NaiveDate,
    /// The version of the case the caller saw, when given.
    pub expected_version: Option<i32>,
}

/// How many days ahead a dialogue's invitation goes, at least (ND 124/2020 Art. 28(1)).
pub const DIALOGUE_NOTICE_DAYS: u64 = 5;

/// `schedule_dialogue` is parsed with the day it is checked against ([`ActionRequest::parse`]).
fn unreachable_dialogue() -> Result<Command, Invalid> {
    Err(Invalid::field("on", "Cần ngày đối thoại."))
}

/// The longest extension asked at once, in days (the longest the law grants is 30 twice).
const MAX_EXTENSION_DAYS: u32 = 90;

fn required(field: &str, value: Option<&str>, min: usize, max: usize) -> Result<String, Invalid> {
    match value {
        Some(v) => bounded_text(v, min, max).map_err(|m| Invalid::field(field, m)),
        None => Err(Invalid::field(field, "Bắt buộc với thao tác này.")),
    }
}

fn optional(field: &str, value: Option<&str>, max: usize) -> Result<Option<String>, Invalid> {
    optional_text(value, max).map_err(|m| Invalid::field(field, m))
}

impl ActionRequest {
    /// Checks an action body taken on `today` into a step. The first field at fault is answered
    /// (in the order the date, the note, then the action's own fields).
    pub fn parse(self, today: NaiveDate) -> Result<ActionInput, Invalid> {
        if self.action == Action::ScheduleDialogue {
            // `on` is the dialogue's day, ahead: the step itself is taken today.
            let command = self.dialogue(today)?;
            return Ok(ActionInput { command, on: today, expected_version: self.expected_version });
        }
        let on = self.on.unwrap_or(today);
        if on > today {
            return Err(Invalid::field("on", "Ngày quyết định không thể ở tương lai."));
        }
        let expected_version = self.expected_version;
        let command = self.command()?;
        Ok(ActionInput { command, on, expected_version })
    }

    /// A dialogue scheduled on `on`, at `place`: the invitation goes at least 5 days ahead (ND
    /// 124/2020 Art. 28(1)), so the day is at least 5 days after `today`.
    fn dialogue(&self, today: NaiveDate) -> Result<Command, Invalid> {
        let on = self.on.ok_or_else(|| Invalid::field("on", "Cần ngày đối thoại."))?;
        if on < today + chrono::Days::new(DIALOGUE_NOTICE_DAYS) {
            return Err(Invalid::field(
                "on",
                "Ngày đối thoại phải sau hôm nay ít nhất 5 ngày: giấy mời gửi trước ít nhất 5 ngày (Nghị định 124/2020/NĐ-CP, Điều 28).",
            ));
        }
        Ok(Command::ScheduleDialogue { on, place: required("place", self.place.as_deref(), 2, 300)? })
    }

    fn command(self) -> Result<Command, Invalid> {
        let b = self;
        let note = optional("note", b.note.as_deref(), 2000)?;
        Ok(match b.action {
            Action::Accept => Command::Accept { complexity: b.complexity, remote_area: b.remote_area, note },
            Action::Reject => Command::Reject { reason: required("reason", b.reason.as_deref(), 3, 2000)? },
            Action::Guide => {
                Command::Guide { to_body: required("to_body", b.to_body.as_deref(), 2, 300)?, note }
            }
            Action::Forward => {
                let target = match (b.to_agency_id, b.to_body.as_deref()) {
                    (Some(a), _) => ForwardTarget::Agency(a),
                    (None, Some(body)) => ForwardTarget::Body(required("to_body", Some(body), 2, 300)?),
                    (None, None) => {
                        return Err(Invalid::field(
                            "to_agency_id",
                            "Cần cơ quan nhận: chọn cơ quan trong danh sách hoặc ghi tên cơ quan.",
                        ));
                    }
                };
                Command::Forward {
                    target,
                    letter_no: optional("letter_no", b.letter_no.as_deref(), 100)?,
                    note,
                }
            }
            Action::Urge => {
                Command::Urge { to_body: required("to_body", b.to_body.as_deref(), 2, 300)?, note }
            }
            Action::Archive => Command::Archive { reason: required("reason", b.reason.as_deref(), 3, 2000)? },
            Action::Assign => Command::Assign {
                assignee_id: b.assignee_id,
                unit_id: b.unit_id,
                leader_id: b.leader_id,
                expected_result: optional("expected_result", b.expected_result.as_deref(), 1000)?,
            },
            Action::Extend => {
                let days = b.days.ok_or_else(|| Invalid::field("days", "Cần số ngày gia hạn."))?;
                if days == 0 || days > MAX_EXTENSION_DAYS {
                    return Err(Invalid::field("days", "Số ngày gia hạn từ 1 đến 90."));
                }
                Command::Extend {
                    days,
                    reason: required("reason", b.reason.as_deref(), 3, 2000)?,
                    complexity: b.complexity,
                }
            }
            Action::Suspend => Command::Suspend { reason: required("reason", b.reason.as_deref(), 3, 2000)? },
            Action::Resume => Command::Resume { note },
            Action::Withdraw => Command::Withdraw {
                partial: b.partial.unwrap_or(false),
                note,
                withdrawn_signatories: b.withdrawn_signatories,
                continues: match b.continue_handling {
                    Some(true) => Some(required("reason", b.reason.as_deref(), 3, 2000)?),
                    _ => None,
                },
            },
            Action::Resolve => Command::Resolve {
                result: required("result", b.result.as_deref(), 3, 20_000)?,
                conclusion: b.conclusion,
                recovered: Recovered::parse(b.recovered_money, b.recovered_land_m2, b.people_restored)?,
            },
            Action::Reopen => Command::Reopen {
                reason: optional("reason", b.reason.as_deref(), 20_000)?,
                to_agency_id: b.to_agency_id,
            },
            Action::RecordLead => {
                Command::RecordLead { reason: required("reason", b.reason.as_deref(), 3, 2000)? }
            }
            Action::ExtendIntake => {
                let days = b.days.ok_or_else(|| Invalid::field("days", "Cần số ngày kéo dài."))?;
                if !(1..=3).contains(&days) {
                    return Err(Invalid::field(
                        "days",
                        "Kéo dài thêm 1 đến 3 ngày làm việc (tối đa 10 ngày).",
                    ));
                }
                Command::ExtendIntake { days, reason: required("reason", b.reason.as_deref(), 3, 2000)? }
            }
            Action::Terminate => {
                Command::Terminate { reason: required("reason", b.reason.as_deref(), 3, 2000)? }
            }
            Action::ScheduleDialogue => unreachable_dialogue()?,
            Action::RecordDialogue => {
                Command::RecordDialogue { minutes: required("minutes", b.minutes.as_deref(), 3, 20_000)? }
            }
            Action::Split => {
                let parts = b.parts.unwrap_or_default();
                if parts.len() < 2 || parts.len() > 20 {
                    return Err(Invalid::field("parts", "Tách đơn cần từ 2 đến 20 nội dung."));
                }
                let mut out = Vec::new();
                for (i, p) in parts.into_iter().enumerate() {
                    out.push(SplitPart {
                        kind: p.kind,
                        subject: required(&format!("parts[{i}].subject"), Some(&p.subject), 3, 500)?,
                        content: required(&format!("parts[{i}].content"), Some(&p.content), 1, 20_000)?,
                    });
                }
                Command::Split { parts: out, note }
            }
        })
    }
}

// The rules of each step's fields against the case it is taken on.

/// A decision is dated no earlier than the petition's receipt.
pub fn check_decision_date(on: NaiveDate, received_on: NaiveDate) -> Result<(), Invalid> {
    if on < received_on {
        return Err(Invalid::field("on", "Ngày quyết định không thể trước ngày nhận đơn."));
    }
    Ok(())
}

/// An assignment names someone or something: a handler, a unit, a leader or the expected result.
pub fn check_assignment(
    assignee_id: Option<i64>,
    unit_id: Option<i64>,
    leader_id: Option<i64>,
    expected_result: Option<&str>,
) -> Result<(), Invalid> {
    if assignee_id.is_none() && unit_id.is_none() && leader_id.is_none() && expected_result.is_none() {
        return Err(Invalid::field("assignee_id", "Cần chỉ định người xử lý hoặc đơn vị."));
    }
    Ok(())
}

/// A case is forwarded to another agency, never to its own.
pub fn check_forward_target(to_agency_id: i64, own_agency_id: i64) -> Result<(), Invalid> {
    if to_agency_id == own_agency_id {
        return Err(Invalid::field("to_agency_id", "Không thể chuyển đơn cho chính cơ quan mình."));
    }
    Ok(())
}

/// Whether a case of `kind` found `complexity` so far can still be extended: complaints get one
/// longer limit (the complex case's), denunciations up to two extensions (the clock's rule caps
/// them); recommendations and feedback none.
pub fn extension_possible(kind: Kind, complexity: Complexity) -> bool {
    match kind {
        Kind::Complaint => complexity == Complexity::None,
        Kind::Denunciation => true,
        Kind::Recommendation | Kind::Feedback => false,
    }
}

/// The complexity finding an extension records: the one asked (other than "none"), else the
/// finding so far, a case found not complex becoming complex.
pub fn extension_complexity(current: Complexity, asked: Option<Complexity>) -> Complexity {
    asked.filter(|c| *c != Complexity::None).unwrap_or(if current == Complexity::None {
        Complexity::Complex
    } else {
        current
    })
}

/// The signatories left on a group petition after `withdrawn` of its `signatories` withdrew
/// (all of them, counted as one, when not said): fewer than all, or it is a full withdrawal.
pub fn remaining_signatories(signatories: i32, withdrawn: Option<i32>) -> Result<i32, Invalid> {
    match withdrawn {
        Some(n) if n < 1 || n >= signatories => Err(Invalid::field(
            "withdrawn_signatories",
            "Rút một phần: số người rút phải ít hơn số người ký đơn (rút hết là rút toàn bộ).",
        )),
        Some(n) => Ok(signatories - n),
        None => Ok(signatories),
    }
}

/// A complaint is resolved with a conclusion: right, partly right or wrong.
pub fn check_conclusion(kind: Kind, conclusion: Option<Conclusion>) -> Result<(), Invalid> {
    if kind == Kind::Complaint && conclusion.is_none() {
        return Err(Invalid::field("conclusion", "Khiếu nại cần kết luận: đúng, đúng một phần hoặc sai."));
    }
    Ok(())
}

/// A denunciation splits into denunciations only. Each part carries the petitioner, and a part of
/// another kind would show the denouncer to every staff member and index their name for search;
/// worse, its link to this case would tell who denounced. Keeping such parts protected would make a
/// complaint or recommendation secret in the register for no reason the law gives, so the register
/// refuses: the citizen's other requests are registered as a petition of their own (Law 25/2018
/// Arts. 8(3), 47; domain.md §6 rule 1).
pub fn check_split(kind: Kind, parts: &[SplitPart]) -> Result<(), Invalid> {
    if kind == Kind::Denunciation
        && let Some(i) = parts.iter().position(|p| p.kind != Kind::Denunciation)
    {
        return Err(Invalid::field(
            &format!("parts[{i}].kind"),
            "Đơn tố cáo chỉ được tách thành các đơn tố cáo: danh tính người tố cáo phải được giữ bí mật \
             (Luật Tố cáo, Điều 8 khoản 3). Nội dung khiếu nại, kiến nghị, phản ánh được tiếp nhận thành đơn riêng.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 9, d).unwrap()
    }

    fn request(action: Action) -> ActionRequest {
        ActionRequest {
            recovered_money: None,
            recovered_land_m2: None,
            people_restored: None,
            action,
            on: None,
            expected_version: Some(3),
            reason: None,
            note: None,
            to_body: None,
            to_agency_id: None,
            letter_no: None,
            assignee_id: None,
            unit_id: None,
            leader_id: None,
            expected_result: None,
            days: None,
            complexity: None,
            remote_area: None,
            partial: None,
            withdrawn_signatories: None,
            continue_handling: None,
            place: None,
            minutes: None,
            result: None,
            conclusion: None,
            parts: None,
        }
    }

    fn field_of(e: Invalid) -> String {
        e.0.into_keys().next().unwrap()
    }

    #[test]
    fn a_step_is_dated_today_by_default_and_never_in_the_future() {
        let input = request(Action::Resume).parse(day(10)).unwrap();
        assert_eq!((input.on, input.expected_version), (day(10), Some(3)));
        assert_eq!(input.command, Command::Resume { note: None });
        let mut later = request(Action::Resume);
        later.on = Some(day(11));
        assert_eq!(field_of(later.parse(day(10)).unwrap_err()), "on");
        assert!(check_decision_date(day(1), day(2)).is_err());
        assert!(check_decision_date(day(2), day(2)).is_ok());
    }

    #[test]
    fn each_action_requires_its_own_fields() {
        assert_eq!(field_of(request(Action::Reject).parse(day(10)).unwrap_err()), "reason");
        assert_eq!(field_of(request(Action::Guide).parse(day(10)).unwrap_err()), "to_body");
        assert_eq!(field_of(request(Action::Forward).parse(day(10)).unwrap_err()), "to_agency_id");
        assert_eq!(field_of(request(Action::Resolve).parse(day(10)).unwrap_err()), "result");
        let mut extend = request(Action::Extend);
        assert_eq!(field_of(request(Action::Extend).parse(day(10)).unwrap_err()), "days");
        extend.days = Some(91);
        assert_eq!(field_of(extend.parse(day(10)).unwrap_err()), "days");
        let mut split = request(Action::Split);
        split.parts = Some(vec![SplitPartRequest {
            kind: Kind::Complaint,
            subject: "Phần một".into(),
            content: "x".into(),
        }]);
        assert_eq!(field_of(split.parse(day(10)).unwrap_err()), "parts");
        let mut forward = request(Action::Forward);
        forward.to_agency_id = Some(2);
        forward.to_body = Some("x".into());
        let Command::Forward { target, .. } = forward.parse(day(10)).unwrap().command else { panic!() };
        assert_eq!(target, ForwardTarget::Agency(2), "another agency of the register first");
    }

    #[test]
    fn the_fields_of_a_step_against_its_case() {
        assert!(check_assignment(None, None, None, None).is_err());
        assert!(check_assignment(None, None, None, Some("Báo cáo")).is_ok());
        assert!(check_forward_target(1, 1).is_err());
        assert!(extension_possible(Kind::Complaint, Complexity::None));
        assert!(!extension_possible(Kind::Complaint, Complexity::Complex));
        assert!(extension_possible(Kind::Denunciation, Complexity::Complex));
        assert!(!extension_possible(Kind::Feedback, Complexity::None));
        assert_eq!(extension_complexity(Complexity::None, None), Complexity::Complex);
        assert_eq!(extension_complexity(Complexity::None, Some(Complexity::None)), Complexity::Complex);
        assert_eq!(extension_complexity(Complexity::Complex, None), Complexity::Complex);
        assert_eq!(
            extension_complexity(Complexity::Complex, Some(Complexity::EspeciallyComplex)),
            Complexity::EspeciallyComplex
        );
        assert_eq!(remaining_signatories(6, Some(2)), Ok(4));
        assert_eq!(remaining_signatories(6, None), Ok(6));
        assert!(remaining_signatories(6, Some(6)).is_err());
        assert!(remaining_signatories(6, Some(0)).is_err());
        assert!(check_conclusion(Kind::Complaint, None).is_err());
        assert!(check_conclusion(Kind::Denunciation, None).is_ok());
    }

    #[test]
    fn a_denunciation_splits_into_denunciations_only() {
        let part = |kind| SplitPart { kind, subject: "Nội dung".into(), content: "x".into() };
        let parts = [part(Kind::Denunciation), part(Kind::Complaint)];
        let Invalid(errors) = check_split(Kind::Denunciation, &parts).unwrap_err();
        assert!(errors.contains_key("parts[1].kind"));
        assert!(check_split(Kind::Complaint, &parts).is_ok());
    }
}
