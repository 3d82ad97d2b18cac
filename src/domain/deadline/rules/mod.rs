//! The versioned rule table of statutory clocks (domain.md §8), as data.
//!
//! [`RULES_2013`] holds every forward-counting day limit of §8 for cases received before 1 July 2026;
//! [`CHANGES_2026_07`] holds the rows that differ for cases received from that date. Everything not
//! listed there is carried over. [`RuleTable::builtin`] assembles both into owned, serializable
//! [`RuleSet`]s, so an administrator's override can later be loaded from JSON in the same shape.
//!
//! Left out on purpose, because they are not forward-counting day limits: `online_session_notice` and
//! `dialogue_notice` (counted backwards from a session), `archive_retention` (one year),
//! `chairman_session` and `report_period` (schedules). Two §8 rows that hold several limits are split
//! into one clock per limit: `discipline_complaint_filing` into `_1`, `_2` and `_2_dismissal`, and
//! `discipline_complaint_resolution` into `discipline_complaint_acceptance` and `…_resolution`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The first day of the rule set of Law 136/2025/QH15 and decrees 154–156/2026: cases received on
/// or after it run on [`RuleSetId::Law2026_07`].
pub const NEW_RULES_FROM: NaiveDate = match NaiveDate::from_ymd_opt(2026, 7, 1) {
    Some(date) => date,
    None => panic!("invalid change-over date"),
};

str_enum! {
    /// How a limit is counted (domain.md §9).
    pub enum DayUnit {
        /// Working days (ngày làm việc): weekends, holidays and days off are skipped.
        Working = "working",
        /// Calendar days (ngày): all days count; a non-working last day rolls forward.
        Calendar = "calendar",
    }
}

impl DayUnit {
    /// The Vietnamese name of the unit ("ngày làm việc", "ngày").
    pub fn label_vi(self) -> &'static str {
        match self {
            DayUnit::Working => "ngày làm việc",
            DayUnit::Calendar => "ngày",
        }
    }
}

str_enum! {
    /// The id of a rule set; each stored due date records the one that produced it.
    pub enum RuleSetId {
        /// Laws 42/2013, 02/2011 and 25/2018 with their decrees as before 1 July 2026.
        Law2013 = "2013",
        /// The same laws as amended by Law 136/2025/QH15, with ND 154–156/2026, from 1 July 2026.
        Law2026_07 = "2026-07",
    }
}

/// The built-in rule set for a case received on `received_on`: "2013" before 1 July 2026, "2026-07"
/// from then on. (Whether pending cases move to the new set is a policy decided elsewhere.)
pub fn rule_set_for(received_on: NaiveDate) -> RuleSetId {
    if received_on < NEW_RULES_FROM { RuleSetId::Law2013 } else { RuleSetId::Law2026_07 }
}

/// Generates [`ClockId`] with its stable names, Vietnamese labels and the list of all clocks.
macro_rules! clock_ids {
    ($($(#[$doc:meta])* $variant:ident = $name:tt, $label:tt;)*) => {
        str_enum! {
            /// A statutory clock: one forward-counting day limit of domain.md §8.
            pub enum ClockId {
                $($(#[$doc])* $variant = $name,)*
            }
        }

        impl ClockId {
            /// A short Vietnamese description for explanations and the user interface.
            pub fn label_vi(self) -> &'static str {
                match self {
                    $(ClockId::$variant => $label,)*
                }
            }
        }
    };
}

clock_ids! {
    /// Notice to the citizen that the petition was accepted, needs time, was refused or forwarded.
    ReceptionNotice = "reception_notice", "Thông báo kết quả tiếp nhận, xử lý đơn";
    /// The handler's internal time to process a petition.
    HandlerInternal = "handler_internal", "Xử lý đơn (nội bộ)";
    /// Report of the result to the deputy or body that forwarded the petition.
    ForwardedResultReport = "forwarded_result_report", "Báo cáo kết quả cho cơ quan đã chuyển đơn";
    /// Relay of that result to the citizen by the body that forwarded it.
    ForwardedResultRelay = "forwarded_result_relay", "Thông báo kết quả cho công dân (đơn đã chuyển)";
    /// Written refusal to receive a citizen (Mẫu 01/TCD) or to answer an already answered matter.
    RefusalNotice = "refusal_notice", "Thông báo từ chối tiếp công dân";
    /// A petition left unhandled this long is a disciplinary offence.
    UnhandledAlarm = "unhandled_alarm", "Đơn để quá hạn không xử lý";
    /// Time limit for the citizen to file a complaint.
    ComplaintFiling = "complaint_filing", "Thời hiệu khiếu nại";
    /// Decision whether to accept (thụ lý) a complaint.
    ComplaintAcceptance = "complaint_acceptance", "Thụ lý khiếu nại";
    /// Resolution of a complaint, first round.
    ComplaintResolution1 = "complaint_resolution_1", "Giải quyết khiếu nại lần đầu";
    /// Time limit for the citizen to file the second complaint.
    ComplaintSecondFiling = "complaint_second_filing", "Thời hiệu khiếu nại lần hai";
    /// Resolution of a complaint, second round.
    ComplaintResolution2 = "complaint_resolution_2", "Giải quyết khiếu nại lần hai";
    /// Sending the first-round decision.
    ComplaintDecisionSend1 = "complaint_decision_send_1", "Gửi quyết định giải quyết khiếu nại lần đầu";
    /// Sending the second-round decision.
    ComplaintDecisionSend2 = "complaint_decision_send_2", "Gửi quyết định giải quyết khiếu nại lần hai";
    /// A first-round decision takes effect if no second complaint or lawsuit follows.
    ComplaintDecisionEffect = "complaint_decision_effect", "Quyết định giải quyết khiếu nại có hiệu lực";
    /// Sending a complaint suspension, continuation or termination decision.
    ComplaintSuspensionSend = "complaint_suspension_send", "Gửi quyết định tạm đình chỉ, đình chỉ giải quyết khiếu nại";
    /// After a termination notice, the complaint becomes inadmissible if not resumed.
    ComplaintResumeWindow = "complaint_resume_window", "Thời hạn khiếu nại tiếp sau thông báo đình chỉ";
    /// Complaint against a disciplinary decision on a civil servant, first round.
    DisciplineComplaintFiling1 = "discipline_complaint_filing_1", "Thời hiệu khiếu nại quyết định kỷ luật lần đầu";
    /// The same, second round.
    DisciplineComplaintFiling2 = "discipline_complaint_filing_2", "Thời hiệu khiếu nại quyết định kỷ luật lần hai";
    /// The same, second round, when the discipline is dismissal (buộc thôi việc).
    DisciplineComplaintFiling2Dismissal = "discipline_complaint_filing_2_dismissal", "Thời hiệu khiếu nại lần hai quyết định kỷ luật buộc thôi việc";
    /// Acceptance of a complaint against a disciplinary decision.
    DisciplineComplaintAcceptance = "discipline_complaint_acceptance", "Thụ lý khiếu nại quyết định kỷ luật";
    /// Resolution of a complaint against a disciplinary decision.
    DisciplineComplaintResolution = "discipline_complaint_resolution", "Giải quyết khiếu nại quyết định kỷ luật";
    /// Initial processing of a denunciation: register, classify, check admissibility.
    DenunciationIntake = "denunciation_intake", "Tiếp nhận, xử lý ban đầu thông tin tố cáo";
    /// Forwarding a denunciation outside competence.
    DenunciationForward = "denunciation_forward", "Chuyển đơn tố cáo không thuộc thẩm quyền";
    /// Notifying both sides that a denunciation was accepted.
    DenunciationAcceptanceNotice = "denunciation_acceptance_notice", "Thông báo thụ lý tố cáo";
    /// Resolution of a denunciation.
    DenunciationResolution = "denunciation_resolution", "Giải quyết tố cáo";
    /// Sending a denunciation suspension or termination decision.
    DenunciationSuspensionSend = "denunciation_suspension_send", "Gửi quyết định tạm đình chỉ, đình chỉ giải quyết tố cáo";
    /// Publishing the denunciation conclusion.
    DenunciationPublication = "denunciation_publication", "Công khai kết luận nội dung tố cáo";
    /// Handling a denunciation passed on by the press or another body.
    DenunciationForwardedResult = "denunciation_forwarded_result", "Xử lý tố cáo do cơ quan, báo chí chuyển đến";
    /// Review of a further denunciation by the next higher head.
    FurtherDenunciationReview = "further_denunciation_review", "Xem xét tố cáo tiếp";
    /// Resolution of a recommendation or feedback (local policy).
    RecommendationResolution = "recommendation_resolution", "Giải quyết kiến nghị, phản ánh";
    /// Forwarding feedback on administrative regulations (ND 20/2008).
    AdminRegulationForward = "admin_regulation_forward", "Chuyển phản ánh, kiến nghị về quy định hành chính";
}

/// The event whose date starts a clock (its day is not counted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StartEvent {
    /// The petition or denunciation is received.
    Receipt,
    /// The case is accepted (thụ lý).
    Acceptance,
    /// The forwarded case is resolved.
    Resolution,
    /// The report of a forwarded case's result is received.
    ReportReceived,
    /// Sufficient grounds for a refusal are established.
    GroundsEstablished,
    /// The complainant learns of the administrative decision or act.
    ActKnown,
    /// The first-round decision is received, or its deadline passes without one.
    FirstDecisionOrDeadline,
    /// A decision, conclusion or notice is issued.
    Issue,
    /// A termination notice is received.
    TerminationNotice,
    /// A disciplinary decision is received.
    DecisionReceived,
    /// The first-round decision on a disciplinary complaint is received.
    FirstDecisionReceived,
}

impl StartEvent {
    /// Vietnamese wording for explanations: "kể từ {label}".
    pub fn label_vi(self) -> &'static str {
        match self {
            StartEvent::Receipt => "ngày nhận đơn",
            StartEvent::Acceptance => "ngày thụ lý",
            StartEvent::Resolution => "ngày có kết quả giải quyết",
            StartEvent::ReportReceived => "ngày nhận báo cáo kết quả",
            StartEvent::GroundsEstablished => "ngày có đủ căn cứ",
            StartEvent::ActKnown => "ngày biết được quyết định, hành vi hành chính",
            StartEvent::FirstDecisionOrDeadline => {
                "ngày nhận quyết định lần đầu hoặc hết thời hạn giải quyết lần đầu"
            }
            StartEvent::Issue => "ngày ban hành",
            StartEvent::TerminationNotice => "ngày nhận thông báo đình chỉ",
            StartEvent::DecisionReceived => "ngày nhận quyết định kỷ luật",
            StartEvent::FirstDecisionReceived => "ngày nhận quyết định giải quyết khiếu nại lần đầu",
        }
    }
}

/// What a suspension (tạm đình chỉ) does to a clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PauseMode {
    /// The clock does not pause; recorded pauses are ignored.
    #[default]
    None,
    /// Complaints: at continuation the full limit (plus extensions) counts again from the resumption
    /// date (ND 124/2020 Art. 28b as added by ND 155/2026).
    Restart,
    /// Denunciations (and the complaint filing period's obstacles): the suspended days are not counted;
    /// the days already used are kept (Law 25/2018 Art. 34(2)).
    SkipSuspended,
}

/// Extensions allowed for one complexity level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ExtensionCap {
    /// How many extensions may be granted.
    pub max_extensions: u32,
    /// The longest single extension, in the clock's unit.
    pub max_days_each: u32,
    /// The longest the whole limit may become, base limit included.
    pub max_total_days: u32,
}

/// Which extensions a clock allows, by the case's complexity; `None` means no extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct ExtensionPolicy {
    /// For an ordinary case.
    #[serde(default)]
    pub ordinary: Option<ExtensionCap>,
    /// For a complex case.
    #[serde(default)]
    pub complex: Option<ExtensionCap>,
    /// For an especially complex case.
    #[serde(default)]
    pub especially_complex: Option<ExtensionCap>,
}

impl ExtensionPolicy {
    /// No extension at all.
    pub const NONE: ExtensionPolicy =
        ExtensionPolicy { ordinary: None, complex: None, especially_complex: None };

    /// The cap for a complexity level, if extensions are allowed.
    pub fn cap(&self, complexity: Complexity) -> Option<ExtensionCap> {
        match complexity {
            Complexity::None => self.ordinary,
            Complexity::Complex => self.complex,
            Complexity::EspeciallyComplex => self.especially_complex,
        }
    }
}

str_enum! {
    /// The complexity finding of a case (complaints: ND 124/2020 Art. 3a; denunciations: ND 31/2019
    /// Art. 3, especially complex meaning two or more of the criteria).
    #[derive(Default)]
    pub enum Complexity {
        /// Not complex.
        #[default]
        None = "none",
        /// Complex (phức tạp).
        Complex = "complex",
        /// Especially complex (đặc biệt phức tạp); complaint limits treat it as complex.
        EspeciallyComplex = "especially_complex",
    }
}

/// One clock of one rule set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockRule {
    /// Which clock.
    pub clock: ClockId,
    /// The event that starts it.
    pub starts_at: StartEvent,
    /// The base limit.
    pub limit: u32,
    /// How the limit is counted.
    pub unit: DayUnit,
    /// The limit for a complex (or especially complex) case, where the law sets one.
    #[serde(default)]
    pub complex_limit: Option<u32>,
    /// The limit in a remote area (vùng sâu, vùng xa), where the law sets one.
    #[serde(default)]
    pub remote_limit: Option<u32>,
    /// The limit for a complex case in a remote area, where the law sets one.
    #[serde(default)]
    pub remote_complex_limit: Option<u32>,
    /// Which extensions are allowed.
    #[serde(default)]
    pub extension: ExtensionPolicy,
    /// What a suspension does.
    #[serde(default)]
    pub pause: PauseMode,
    /// The legal source as officials cite it, in Vietnamese, e.g. "Luật Tố cáo 2018, Điều 24 khoản 1".
    pub source: String,
    /// The value is not yet confirmed against the governing text.
    #[serde(default)]
    pub unverified: bool,
    /// A Vietnamese note shown with the clock (conditions, local policy), or empty.
    #[serde(default)]
    pub note: String,
}

impl ClockRule {
    /// The limit before extensions for a case's complexity and remoteness: the most specific limit the
    /// law sets, falling back to the longer of the complex and remote limits, then the base limit.
    pub fn limit_for(&self, complexity: Complexity, remote_area: bool) -> u32 {
        let complex = complexity != Complexity::None;
        let specific = match (complex, remote_area) {
            (false, false) => None,
            (true, false) => self.complex_limit,
            (false, true) => self.remote_limit,
            (true, true) => self.remote_complex_limit.or(self.remote_limit.max(self.complex_limit)),
        };
        specific.unwrap_or(self.limit).max(self.limit)
    }
}

/// The clocks of one rule set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSet {
    /// The stable id.
    pub id: RuleSetId,
    /// Cases received on or after this date use the set (unless a later set starts); `None` means
    /// from the beginning.
    #[serde(default)]
    pub effective_from: Option<NaiveDate>,
    /// One rule per clock.
    pub rules: Vec<ClockRule>,
}

/// The versioned rule table: every rule set with its clocks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleTable {
    /// The rule sets, in any order.
    pub rule_sets: Vec<RuleSet>,
}

impl RuleTable {
    /// The table shipped with the program: [`RULES_2013`] and the 2026-07 set derived from it by
    /// [`CHANGES_2026_07`].
    pub fn builtin() -> RuleTable {
        let old: Vec<ClockRule> = RULES_2013.iter().map(|row| row.to_rule()).collect();
        let new = old
            .iter()
            .map(|rule| {
                CHANGES_2026_07
                    .iter()
                    .find(|change| change.clock == rule.clock)
                    .map_or_else(|| rule.clone(), |change| change.to_rule())
            })
            .collect();
        RuleTable {
            rule_sets: vec![
                RuleSet { id: RuleSetId::Law2013, effective_from: None, rules: old },
                RuleSet { id: RuleSetId::Law2026_07, effective_from: Some(NEW_RULES_FROM), rules: new },
            ],
        }
    }

    /// A rule set by id.
    pub fn rule_set(&self, id: &RuleSetId) -> Option<&RuleSet> {
        self.rule_sets.iter().find(|set| &set.id == id)
    }

    /// The rule of one clock in one rule set.
    pub fn rule(&self, rule_set: &RuleSetId, clock: ClockId) -> Option<&ClockRule> {
        self.rule_set(rule_set)?.rules.iter().find(|rule| rule.clock == clock)
    }

    /// The rule set in force for a case received on `received_on`: the one with the latest
    /// `effective_from` on or before it.
    pub fn rule_set_for(&self, received_on: NaiveDate) -> Option<&RuleSetId> {
        self.rule_sets
            .iter()
            .filter(|set| set.effective_from.is_none_or(|from| from <= received_on))
            .max_by_key(|set| set.effective_from)
            .map(|set| &set.id)
    }
}

/// A row of the built-in table: [`ClockRule`] with static strings, so it can live in a const.
#[derive(Debug, Clone, Copy)]
struct Row {
    clock: ClockId,
    starts_at: StartEvent,
    limit: u32,
    unit: DayUnit,
    complex_limit: Option<u32>,
    remote_limit: Option<u32>,
    remote_complex_limit: Option<u32>,
    extension: ExtensionPolicy,
    pause: PauseMode,
    source: &'static str,
    unverified: bool,
    note: &'static str,
}

impl Row {
    const fn new(
        clock: ClockId,
        starts_at: StartEvent,
        limit: u32,
        unit: DayUnit,
        source: &'static str,
    ) -> Row {
        Row {
            clock,
            starts_at,
            limit,
            unit,
            complex_limit: None,
            remote_limit: None,
            remote_complex_limit: None,
            extension: ExtensionPolicy::NONE,
            pause: PauseMode::None,
            source,
            unverified: false,
            note: "",
        }
    }

    const fn complex(mut self, days: u32) -> Row {
        self.complex_limit = Some(days);
        self
    }

    const fn remote(mut self, days: u32) -> Row {
        self.remote_limit = Some(days);
        self
    }

    const fn remote_complex(mut self, days: u32) -> Row {
        self.remote_complex_limit = Some(days);
        self
    }

    const fn extension(mut self, policy: ExtensionPolicy) -> Row {
        self.extension = policy;
        self
    }

    const fn pause(mut self, mode: PauseMode) -> Row {
        self.pause = mode;
        self
    }

    const fn unverified(mut self) -> Row {
        self.unverified = true;
        self
    }

    const fn note(mut self, note: &'static str) -> Row {
        self.note = note;
        self
    }

    fn to_rule(self) -> ClockRule {
        ClockRule {
            clock: self.clock,
            starts_at: self.starts_at,
            limit: self.limit,
            unit: self.unit,
            complex_limit: self.complex_limit,
            remote_limit: self.remote_limit,
            remote_complex_limit: self.remote_complex_limit,
            extension: self.extension,
            pause: self.pause,
            source: self.source.to_owned(),
            unverified: self.unverified,
            note: self.note.to_owned(),
        }
    }
}

const fn cap(max_extensions: u32, max_days_each: u32, max_total_days: u32) -> Option<ExtensionCap> {
    Some(ExtensionCap { max_extensions, max_days_each, max_total_days })
}

use ClockId as C;
use DayUnit::{Calendar as CAL, Working as WORK};
use StartEvent as S;

/// Every forward-counting clock of domain.md §8 for cases received before 1 July 2026.
const RULES_2013: &[Row] = &[
    Row::new(C::ReceptionNotice, S::Receipt, 10, WORK, "Luật Tiếp công dân 2013, Điều 28 khoản 1"),
    Row::new(C::HandlerInternal, S::Receipt, 10, WORK, "Thông tư 05/2021/TT-TTCP")
        .unverified()
        .note("Thời hạn nội bộ, chưa xác minh với văn bản gốc."),
    Row::new(C::ForwardedResultReport, S::Resolution, 7, WORK, "Luật Tiếp công dân 2013, Điều 27 khoản 2")
        .note("Báo cáo ngay khi có kết quả nếu sớm hơn."),
    Row::new(C::ForwardedResultRelay, S::ReportReceived, 5, WORK, "Luật Tiếp công dân 2013, Điều 28 khoản 2"),
    // The 2026 decree names the rule; TT 04/2021 had the same split, article not checked.
    Row::new(
        C::RefusalNotice,
        S::GroundsEstablished,
        3,
        WORK,
        "Thông tư 04/2021/TT-TTCP (điều khoản chưa xác minh); nay Nghị định 154/2026/NĐ-CP, Điều 4 khoản 3",
    )
    .unverified(),
    Row::new(
        C::UnhandledAlarm,
        S::Receipt,
        45,
        CAL,
        "Nghị định 154/2026/NĐ-CP, Điều 41 khoản 3 điểm b (quy định trước 01/07/2026 chưa xác minh)",
    )
    .unverified(),
    Row::new(C::ComplaintFiling, S::ActKnown, 90, CAL, "Luật Khiếu nại 2011, Điều 9")
        .pause(PauseMode::SkipSuspended)
        .note(
            "Thời gian có trở ngại khách quan (ốm đau, thiên tai, địch họa, đi công tác, học tập \
             ở nơi xa) không tính vào thời hiệu.",
        ),
    Row::new(C::ComplaintAcceptance, S::Receipt, 10, WORK, "Luật Khiếu nại 2011, Điều 27, Điều 36; Thông tư 07/2013/TT-TTCP, Điều 5")
        .note("Luật ghi “10 ngày”; Thông tư 07/2013/TT-TTCP tính theo ngày làm việc."),
    Row::new(C::ComplaintResolution1, S::Acceptance, 30, CAL, "Luật Khiếu nại 2011, Điều 28; Nghị định 124/2020/NĐ-CP, Điều 28b")
        .complex(45)
        .remote(45)
        .remote_complex(60)
        .pause(PauseMode::Restart),
    Row::new(C::ComplaintSecondFiling, S::FirstDecisionOrDeadline, 30, CAL, "Luật Khiếu nại 2011, Điều 33 khoản 1")
        .remote(45),
    Row::new(C::ComplaintResolution2, S::Acceptance, 45, CAL, "Luật Khiếu nại 2011, Điều 37; Nghị định 124/2020/NĐ-CP, Điều 28b")
        .complex(60)
        .remote(60)
        .remote_complex(70)
        .pause(PauseMode::Restart),
    Row::new(C::ComplaintDecisionSend1, S::Issue, 3, WORK, "Luật Khiếu nại 2011, Điều 32"),
    Row::new(C::ComplaintDecisionSend2, S::Issue, 7, CAL, "Luật Khiếu nại 2011, Điều 41 khoản 1, 2"),
    Row::new(C::ComplaintDecisionEffect, S::Issue, 30, CAL, "Luật Khiếu nại 2011, Điều 44")
        .remote(45)
        .note("Quyết định lần đầu có hiệu lực nếu không có khiếu nại lần hai hoặc khởi kiện."),
    // Suspension of complaints is new in 2026 (ND 155/2026); kept for the old set, unconfirmed there.
    Row::new(
        C::ComplaintSuspensionSend,
        S::Issue,
        3,
        WORK,
        "Nghị định 124/2020/NĐ-CP, Điều 28a, Điều 28b (bổ sung bởi Nghị định 155/2026/NĐ-CP; áp dụng trước 01/07/2026 chưa xác minh)",
    )
    .unverified(),
    Row::new(C::ComplaintResumeWindow, S::TerminationNotice, 30, CAL, "Luật Khiếu nại 2011, Điều 11 khoản 8")
        .note("Quá thời hạn này thì khiếu nại không được thụ lý."),
    Row::new(C::DisciplineComplaintFiling1, S::DecisionReceived, 15, CAL, "Luật Khiếu nại 2011, Điều 48"),
    Row::new(C::DisciplineComplaintFiling2, S::FirstDecisionReceived, 10, CAL, "Luật Khiếu nại 2011, Điều 48"),
    Row::new(
        C::DisciplineComplaintFiling2Dismissal,
        S::FirstDecisionReceived,
        30,
        CAL,
        "Luật Khiếu nại 2011, Điều 48",
    )
    .note("Áp dụng cho quyết định kỷ luật buộc thôi việc."),
    Row::new(C::DisciplineComplaintAcceptance, S::Receipt, 10, CAL, "Luật Khiếu nại 2011, Điều 50"),
    Row::new(C::DisciplineComplaintResolution, S::Acceptance, 30, CAL, "Luật Khiếu nại 2011, Điều 50").complex(45),
    Row::new(C::DenunciationIntake, S::Receipt, 7, WORK, "Luật Tố cáo 2018, Điều 24 khoản 1")
        .extension(ExtensionPolicy {
            // One lengthening, to 10 working days at most: the Law allows the longer period, not a
            // series of extensions.
            ordinary: cap(1, 3, 10),
            complex: cap(1, 3, 10),
            especially_complex: cap(1, 3, 10),
        })
        .note("Tối đa 10 ngày làm việc nếu phải xác minh ở nhiều địa điểm hoặc được ủy quyền."),
    Row::new(C::DenunciationForward, S::Receipt, 5, WORK, "Luật Tố cáo 2018, Điều 24 khoản 2"),
    Row::new(C::DenunciationAcceptanceNotice, S::Acceptance, 5, WORK, "Luật Tố cáo 2018, Điều 29 khoản 3"),
    Row::new(
        C::DenunciationResolution,
        S::Acceptance,
        30,
        CAL,
        "Luật Tố cáo 2018, Điều 30, Điều 34 khoản 2; Nghị định 31/2019/NĐ-CP, Điều 3",
    )
    .extension(ExtensionPolicy {
        ordinary: None,
        complex: cap(1, 30, 60),
        especially_complex: cap(2, 30, 90),
    })
    .pause(PauseMode::SkipSuspended)
    .note("Thời gian tạm đình chỉ không tính vào thời hạn giải quyết."),
    Row::new(C::DenunciationSuspensionSend, S::Issue, 5, WORK, "Luật Tố cáo 2018, Điều 34 khoản 4"),
    Row::new(C::DenunciationPublication, S::Issue, 7, WORK, "Luật Tố cáo 2018, Điều 40 khoản 1"),
    Row::new(C::DenunciationForwardedResult, S::Receipt, 20, CAL, "Luật Tố cáo 2018, Điều 26 khoản 2"),
    Row::new(C::FurtherDenunciationReview, S::Receipt, 20, CAL, "Luật Tố cáo 2018, Điều 37 khoản 2"),
    Row::new(
        C::RecommendationResolution,
        S::Receipt,
        30,
        CAL,
        "Luật Tiếp công dân 2013, Điều 26 khoản 2, Điều 28 (luật không quy định thời hạn giải quyết)",
    )
    .unverified()
    .note("Chính sách địa phương, có thể cấu hình; mặc định 30 ngày."),
    Row::new(
        C::AdminRegulationForward,
        S::Receipt,
        5,
        WORK,
        "Nghị định 20/2008/NĐ-CP (sửa đổi bởi Nghị định 48/2013/NĐ-CP, Nghị định 92/2017/NĐ-CP)",
    ),
];

/// Rows that differ for cases received from 1 July 2026; every other clock is carried over.
const CHANGES_2026_07: &[Row] = &[
    Row::new(
        C::ComplaintAcceptance,
        S::Receipt,
        7,
        WORK,
        "Nghị định 124/2020/NĐ-CP, Điều 16 khoản 1 (sửa đổi bởi Nghị định 155/2026/NĐ-CP, Điều 10)",
    ),
    Row::new(C::RefusalNotice, S::GroundsEstablished, 3, WORK, "Nghị định 154/2026/NĐ-CP, Điều 4 khoản 3"),
    Row::new(C::UnhandledAlarm, S::Receipt, 45, CAL, "Nghị định 154/2026/NĐ-CP, Điều 41 khoản 3 điểm b"),
    Row::new(
        C::ComplaintSuspensionSend,
        S::Issue,
        3,
        WORK,
        "Nghị định 124/2020/NĐ-CP, Điều 28a, Điều 28b (bổ sung bởi Nghị định 155/2026/NĐ-CP, Điều 12)",
    ),
];

#[cfg(test)]
mod tests;
