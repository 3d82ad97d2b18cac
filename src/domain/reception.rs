//! Citizen reception (domain.md §3, §8, §12): session kinds and their legal triggers, the heads'
//! schedule rules and the schedule they generate over the working-day calendar, the grounds for
//! refusing to receive and which of them need a written notice, the online notice period, ISO
//! weeks for the weekly review, and the columns of the reception book (Mẫu số 03/TCD).

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::{calendar::Calendar, petition::Kind};

str_enum! {
    /// Where a directive of a session-conclusion notice stands.
    pub enum DirectiveStatus {
        Open = "open",
        Done = "done",
    }
}

str_enum! {
    /// Where a stored session came from.
    pub enum SessionSource {
        /// Generated from the host's schedule rule.
        Rule = "rule",
        /// Set by hand.
        Manual = "manual",
    }
}

str_enum! {
    /// The kinds of reception session (Law 42/2013 Arts. 12–18; ND 154/2026).
    pub enum SessionKind {
        /// The head's own sessions on his published schedule (tiếp định kỳ).
        Periodic = "periodic",
        /// Staff reception every working day (tiếp thường xuyên).
        Regular = "regular",
        /// Sessions the law requires at once (tiếp đột xuất, Law 42/2013 Art. 18(3)).
        Unscheduled = "unscheduled",
        /// Online sessions (tiếp trực tuyến, ND 154/2026 Arts. 17–24).
        Online = "online",
    }
}

impl SessionKind {
    /// Vietnamese name.
    pub fn label_vi(self) -> &'static str {
        match self {
            SessionKind::Periodic => "Tiếp công dân định kỳ",
            SessionKind::Regular => "Tiếp công dân thường xuyên",
            SessionKind::Unscheduled => "Tiếp công dân đột xuất",
            SessionKind::Online => "Tiếp công dân trực tuyến",
        }
    }
}

str_enum! {
    /// Where a session stands. `missed` is never stored: it is a scheduled session whose day has passed.
    pub enum SessionStatus {
        Scheduled = "scheduled",
        Held = "held",
        Cancelled = "cancelled",
        /// Scheduled, its day passed, never held: a breach (ND 154/2026 Arts. 41–42).
        Missed = "missed",
    }
}

impl SessionStatus {
    /// The status shown on `today` for a stored status and the session's date.
    pub fn shown(stored: SessionStatus, date: NaiveDate, today: NaiveDate) -> SessionStatus {
        if stored == SessionStatus::Scheduled && date < today { SessionStatus::Missed } else { stored }
    }

    /// Vietnamese name.
    pub fn label_vi(self) -> &'static str {
        match self {
            SessionStatus::Scheduled => "Đã lên lịch",
            SessionStatus::Held => "Đã tiếp",
            SessionStatus::Cancelled => "Đã hủy",
            SessionStatus::Missed => "Không tổ chức tiếp theo lịch",
        }
    }
}

str_enum! {
    /// Why an unscheduled session was required (Law 42/2013 Art. 18(3); ND 154/2026 Art. 10(3)).
    pub enum Trigger {
        /// (a) a heated or complex case with many people, or bodies that disagree.
        HeatedOrComplex = "heated_or_complex",
        /// (b) a case that may cause serious harm if not handled at once.
        SeriousHarm = "serious_harm",
    }
}

impl Trigger {
    /// The legal point.
    pub fn source(self) -> &'static str {
        match self {
            Trigger::HeatedOrComplex => "Luật Tiếp công dân 2013, Điều 18 khoản 3 điểm a",
            Trigger::SeriousHarm => "Luật Tiếp công dân 2013, Điều 18 khoản 3 điểm b",
        }
    }
}

str_enum! {
    /// How often a head's periodic sessions recur.
    pub enum Every {
        Week = "week",
        Month = "month",
    }
}

str_enum! {
    /// What a holiday does to a periodic session (local practice, domain.md §3).
    pub enum OnHoliday {
        /// Moved to the next working day.
        NextWorkingDay = "next_working_day",
        /// Not held that time.
        Skip = "skip",
    }
}

/// A head's schedule rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScheduleRule {
    pub weekday: Weekday,
    pub every: Every,
    /// Monthly rules: the n-th such weekday of the month (1–4).
    pub week_of_month: u8,
    pub on_holiday: OnHoliday,
}

impl ScheduleRule {
    /// The default of ward practice: every Thursday, moved to the next working day off a holiday.
    pub const DEFAULT: ScheduleRule = ScheduleRule {
        weekday: Weekday::Thu,
        every: Every::Week,
        week_of_month: 1,
        on_holiday: OnHoliday::NextWorkingDay,
    };
}

/// An ISO weekday number 1 (Monday) … 7 (Sunday) as a `Weekday`.
pub fn weekday_from_iso(n: i64) -> Option<Weekday> {
    match n {
        1 => Some(Weekday::Mon),
        2 => Some(Weekday::Tue),
        3 => Some(Weekday::Wed),
        4 => Some(Weekday::Thu),
        5 => Some(Weekday::Fri),
        6 => Some(Weekday::Sat),
        7 => Some(Weekday::Sun),
        _ => None,
    }
}

/// One occurrence of a rule: the rule's own date and the day the session is actually held
/// (`None` when a holiday skips it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    pub nominal: NaiveDate,
    pub date: Option<NaiveDate>,
}

/// The rule's own dates in `from..=to`, before any holiday moves them.
pub fn nominal_dates(rule: &ScheduleRule, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    match rule.every {
        Every::Week => {
            let ahead = (7 + rule.weekday.num_days_from_monday() - from.weekday().num_days_from_monday()) % 7;
            let mut d = from + Days::new(u64::from(ahead));
            while d <= to {
                out.push(d);
                let Some(next) = d.checked_add_days(Days::new(7)) else { break };
                d = next;
            }
        }
        Every::Month => {
            let (mut year, mut month) = (from.year(), from.month());
            while let Some(first) = NaiveDate::from_ymd_opt(year, month, 1) {
                if first > to {
                    break;
                }
                let n = rule.week_of_month.clamp(1, 4);
                if let Some(d) = NaiveDate::from_weekday_of_month_opt(year, month, rule.weekday, n)
                    && d >= from
                    && d <= to
                {
                    out.push(d);
                }
                (year, month) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
            }
        }
    }
    out
}

/// Where an occurrence lands on the calendar: the nominal day if it is a working day, else the
/// next working day or nothing, as the rule says.
pub fn place(rule: &ScheduleRule, cal: &Calendar, nominal: NaiveDate) -> Option<NaiveDate> {
    if cal.is_working_day(nominal) {
        return Some(nominal);
    }
    match rule.on_holiday {
        OnHoliday::NextWorkingDay => Some(cal.next_working_day_on_or_after(nominal)),
        OnHoliday::Skip => None,
    }
}

/// How far back a moved occurrence can come from: Tết breaks last nine days; a month covers it.
pub const MOVE_LOOKBACK_DAYS: u64 = 31;

/// The occurrences of a rule whose nominal date is in `from..=to`.
pub fn occurrences(rule: &ScheduleRule, cal: &Calendar, from: NaiveDate, to: NaiveDate) -> Vec<Occurrence> {
    nominal_dates(rule, from, to)
        .into_iter()
        .map(|n| Occurrence { nominal: n, date: place(rule, cal, n) })
        .collect()
}

/// The occurrences that matter for the days `from..=to`: those with a nominal date there, and those
/// moved into it from before.
pub fn occurrences_touching(
    rule: &ScheduleRule,
    cal: &Calendar,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<Occurrence> {
    let start = from.checked_sub_days(Days::new(MOVE_LOOKBACK_DAYS)).unwrap_or(from);
    occurrences(rule, cal, start, to)
        .into_iter()
        .filter(|o| o.nominal >= from || o.date.is_some_and(|d| d >= from))
        .collect()
}

/// A head's rule as it stood from a civil day on, until the next version: `rule` is `None` while
/// the head has no periodic sessions (no longer a head).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleVersion {
    pub from: NaiveDate,
    pub rule: Option<ScheduleRule>,
}

/// The days `history[i]` governs: from its own day to the day before the next version's.
fn version_span(history: &[RuleVersion], i: usize) -> (NaiveDate, Option<NaiveDate>) {
    let until = history.get(i + 1).and_then(|next| next.from.pred_opt());
    (history[i].from, until)
}

/// The occurrences of a rule history whose nominal date is in `from..=to`, each generated by the
/// version in force on that date (with the index of that version). `history` is in order of
/// `from`; before its first version a head has no occurrences, so a later change never reaches
/// back over days another version governed.
pub fn occurrences_in_force(
    history: &[RuleVersion],
    cal: &Calendar,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<(usize, Occurrence)> {
    debug_assert!(history.windows(2).all(|w| w[0].from < w[1].from), "versions in order");
    let mut out = Vec::new();
    for (i, version) in history.iter().enumerate() {
        let Some(rule) = version.rule else { continue };
        let (start, until) = version_span(history, i);
        let (start, end) = (start.max(from), until.map_or(to, |u| u.min(to)));
        if start <= end {
            out.extend(occurrences(&rule, cal, start, end).into_iter().map(|o| (i, o)));
        }
    }
    out
}

/// Whether some version of the history that calls for sessions governs a day of `from..=to`.
pub fn in_force_during(history: &[RuleVersion], from: NaiveDate, to: NaiveDate) -> bool {
    (0..history.len()).any(|i| {
        let (start, until) = version_span(history, i);
        history[i].rule.is_some() && start <= to && until.is_none_or(|u| u >= from)
    })
}

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

/// The minimum notice of an online session: ND 154/2026 Art. 23.
pub const ONLINE_NOTICE_WORKING_DAYS: u32 = 5;

/// Checks that an online session on `date` was announced on `notice_on` at least five working days
/// ahead; `Err` gives the earliest date a session announced then may take place.
pub fn check_online_notice(cal: &Calendar, notice_on: NaiveDate, date: NaiveDate) -> Result<(), NaiveDate> {
    let earliest = cal.add_working_days(notice_on, ONLINE_NOTICE_WORKING_DAYS).due;
    if date >= earliest { Ok(()) } else { Err(earliest) }
}

/// How far the dates recorded about a session may reach from it: a year and a day. An online
/// session announced, a directive's due date, the grounds of a refusal further away than this are
/// typing errors (or a year of the wrong century), not records of reception.
pub const RECORD_WINDOW_DAYS: u64 = 366;

fn days_before(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_sub_days(Days::new(days)).unwrap_or(date)
}

fn days_after(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_add_days(Days::new(days)).unwrap_or(date)
}

/// The day an online session on `date` was announced: not after today nor after the session, and
/// at most [`RECORD_WINDOW_DAYS`] before the session, or before today for a session announced
/// further ahead (sessions may be planned two years out). The five working days of notice are
/// [`check_online_notice`]'s.
pub fn check_notice_on(notice_on: NaiveDate, date: NaiveDate, today: NaiveDate) -> Result<(), String> {
    if notice_on > today {
        return Err("Ngày thông báo không thể ở tương lai.".to_owned());
    }
    if notice_on > date {
        return Err("Ngày thông báo không thể sau ngày tiếp.".to_owned());
    }
    if notice_on < days_before(date.min(today), RECORD_WINDOW_DAYS) {
        return Err("Ngày thông báo quá xa trước ngày tiếp (tối đa một năm).".to_owned());
    }
    Ok(())
}

/// The due date of a directive given in the conclusion notice of a session held on
/// `session_date`, issued `today`: not before the session, at most [`RECORD_WINDOW_DAYS`] after
/// the notice, and moved to the next working day when it falls on a day the offices are closed.
///
/// Moved rather than refused: a period whose last day is a rest day ends on the next working day
/// (Civil Code 2015 Art. 148(5); domain.md §9 rule 3), as every other deadline of the register
/// does. A unit cannot be late on a Sunday, and tracking the Sunday would flag it overdue on the
/// Monday it has by law; the answer shows the date kept.
pub fn directive_due(
    cal: &Calendar,
    due: NaiveDate,
    session_date: NaiveDate,
    today: NaiveDate,
) -> Result<NaiveDate, String> {
    if due < session_date {
        return Err("Thời hạn không thể trước ngày tiếp.".to_owned());
    }
    if due > days_after(today, RECORD_WINDOW_DAYS) {
        return Err("Thời hạn tối đa một năm kể từ ngày ra thông báo kết luận.".to_owned());
    }
    Ok(cal.next_working_day_on_or_after(due))
}

/// The day a directive of a session held on `session_date` was carried out: from the session's
/// day to today.
pub fn check_done_on(done_on: NaiveDate, session_date: NaiveDate, today: NaiveDate) -> Result<(), String> {
    if done_on > today {
        return Err("Ngày hoàn thành không thể ở tương lai.".to_owned());
    }
    if done_on < session_date {
        return Err("Ngày hoàn thành không thể trước ngày tiếp.".to_owned());
    }
    Ok(())
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

/// An ISO week (`2026-W48`): its year, number and Monday.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct IsoWeek {
    pub year: i32,
    pub week: u32,
    pub monday: NaiveDate,
}

impl IsoWeek {
    /// Reads `YYYY-Www` (ISO 8601 week date); `Err` with a Vietnamese message.
    pub fn parse(text: &str) -> Result<IsoWeek, String> {
        let bad =
            || format!("Tuần phải có dạng YYYY-Www theo ISO 8601, ví dụ 2026-W48 (nhận được “{text}”).");
        let (year, week) = text.trim().split_once("-W").ok_or_else(bad)?;
        if year.len() != 4 || week.len() != 2 {
            return Err(bad());
        }
        let year: i32 = year.parse().map_err(|_| bad())?;
        let week: u32 = week.parse().map_err(|_| bad())?;
        if !(1990..=2100).contains(&year) {
            return Err("Năm của tuần phải trong khoảng 1990 đến 2100.".to_owned());
        }
        let monday = NaiveDate::from_isoywd_opt(year, week, Weekday::Mon)
            .ok_or_else(|| format!("Năm {year} không có tuần {week:02}."))?;
        Ok(IsoWeek { year, week, monday })
    }

    /// The ISO week a date falls in.
    pub fn of(date: NaiveDate) -> IsoWeek {
        let iso = date.iso_week();
        let monday = date - Days::new(u64::from(date.weekday().num_days_from_monday()));
        IsoWeek { year: iso.year(), week: iso.week(), monday }
    }

    /// The week's Sunday.
    pub fn sunday(&self) -> NaiveDate {
        self.monday + Days::new(6)
    }

    /// The following week.
    pub fn next(&self) -> IsoWeek {
        IsoWeek::of(self.monday + Days::new(7))
    }

    /// `YYYY-Www`.
    pub fn label(&self) -> String {
        format!("{}-W{:02}", self.year, self.week)
    }
}

/// The headers of the reception book, Mẫu số 03/TCD (ND 154/2026), in the form's column order.
pub const BOOK_HEADERS: [&str; 13] = [
    "STT",
    "Ngày tiếp",
    "Họ và tên, địa chỉ",
    "Số CCCD/CMND/Hộ chiếu hoặc giấy tờ tùy thân khác",
    "Nội dung vụ việc",
    "Phân loại đơn, vụ việc (KN, TC, KN, PA)",
    "Số người cùng nội dung",
    "Cơ quan đã giải quyết hết thẩm quyền",
    "Thuộc thẩm quyền (x)",
    "Hướng dẫn đến cơ quan; số văn bản hướng dẫn",
    "Cơ quan thụ lý; số văn bản chuyển đơn",
    "Theo dõi kết quả giải quyết",
    "Ghi chú",
];

/// What the book shows in place of a protected denouncer's identity (Law 25/2018 Art. 8(3)).
pub const REDACTED: &str = "Bảo mật danh tính";

/// One line of the book, as the form prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookLine {
    pub no: i32,
    pub date: NaiveDate,
    /// `None` when the reader may not see the identity.
    pub name: Option<String>,
    pub address: Option<String>,
    pub id_number: Option<String>,
    pub summary: String,
    pub kind: Kind,
    pub people_count: i32,
    pub handled_before_by: Option<String>,
    pub within_competence: bool,
    pub guided_to: Option<String>,
    pub guidance_letter_no: Option<String>,
    pub accepted_by: Option<String>,
    pub forwarding_letter_no: Option<String>,
    pub follow_up: Option<String>,
    pub note: Option<String>,
}

fn joined(a: Option<&str>, b: Option<&str>, sep: &str) -> String {
    match (a.filter(|s| !s.is_empty()), b.filter(|s| !s.is_empty())) {
        (Some(a), Some(b)) => format!("{a}{sep}{b}"),
        (Some(a), None) | (None, Some(a)) => a.to_owned(),
        (None, None) => String::new(),
    }
}

impl BookLine {
    /// The thirteen cells, in [`BOOK_HEADERS`] order; the column of kinds prints the form's code.
    pub fn cells(&self) -> [String; 13] {
        let (who, id) = match &self.name {
            Some(name) => (
                joined(Some(name), self.address.as_deref(), ", "),
                self.id_number.clone().unwrap_or_default(),
            ),
            None => (REDACTED.to_owned(), REDACTED.to_owned()),
        };
        [
            self.no.to_string(),
            self.date.format("%d/%m/%Y").to_string(),
            who,
            id,
            self.summary.clone(),
            self.kind.book_code().to_owned(),
            self.people_count.to_string(),
            self.handled_before_by.clone().unwrap_or_default(),
            if self.within_competence { "x".to_owned() } else { String::new() },
            joined(self.guided_to.as_deref(), self.guidance_letter_no.as_deref(), "; "),
            joined(self.accepted_by.as_deref(), self.forwarding_letter_no.as_deref(), "; "),
            self.follow_up.clone().unwrap_or_default(),
            self.note.clone().unwrap_or_default(),
        ]
    }
}

/// A share as a percentage with one decimal, or `None` when there is nothing to count.
pub fn rate(part: u64, whole: u64) -> Option<f64> {
    if whole == 0 {
        return None;
    }
    #[allow(clippy::cast_precision_loss)]
    let r = part as f64 * 100.0 / whole as f64;
    Some((r * 10.0).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::{DayKind, DaySource, SpecialDay};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    #[test]
    fn thursdays_move_off_tet_and_holidays_to_the_next_working_day() {
        let cal = Calendar::default();
        let rule = ScheduleRule::DEFAULT;
        // (nominal Thursday, where the session lands, why)
        let table = [
            (d(2026, 2, 12), Some(d(2026, 2, 12)), "an ordinary Thursday"),
            (d(2026, 2, 19), Some(d(2026, 2, 23)), "Tết 2026: off Sat 14 – Sun 22 Feb"),
            (d(2026, 4, 30), Some(d(2026, 5, 4)), "30 April and 1 May, then the weekend"),
            (d(2026, 1, 1), Some(d(2026, 1, 5)), "New Year, Fri 2 Jan swapped off"),
            (d(2026, 11, 26), Some(d(2026, 11, 26)), "an ordinary Thursday"),
        ];
        for (nominal, lands, why) in table {
            assert_eq!(place(&rule, &cal, nominal), lands, "{why}");
        }
        let skip = ScheduleRule { on_holiday: OnHoliday::Skip, ..rule };
        assert_eq!(place(&skip, &cal, d(2026, 2, 19)), None);
    }

    #[test]
    fn tet_2027_moves_its_thursday() {
        let cal = Calendar::default();
        let rule = ScheduleRule::DEFAULT;
        let tet_thursday = d(2027, 2, 11);
        assert!(!cal.is_working_day(tet_thursday), "Thu 11 Feb 2027 is in the Tết break");
        let lands = place(&rule, &cal, tet_thursday).expect("moved, not skipped");
        assert!(lands > tet_thursday && cal.is_working_day(lands));
        assert!(cal.is_working_day(d(2027, 2, 18)), "the Thursday after Tết is a working day");
        assert_eq!(place(&rule, &cal, d(2027, 2, 18)), Some(d(2027, 2, 18)));
    }

    #[test]
    fn an_admin_day_off_on_a_thursday_moves_the_session() {
        let off = SpecialDay {
            date: d(2026, 12, 3),
            kind: DayKind::DayOff,
            name: "Nghỉ theo quyết định của UBND".to_owned(),
            source: DaySource::Admin,
        };
        let cal = Calendar::new(vec![off]);
        assert_eq!(place(&ScheduleRule::DEFAULT, &cal, d(2026, 12, 3)), Some(d(2026, 12, 4)));
    }

    #[test]
    fn weekly_and_monthly_rules_generate_their_dates() {
        let weekly = nominal_dates(&ScheduleRule::DEFAULT, d(2026, 11, 23), d(2026, 12, 10));
        assert_eq!(weekly, [d(2026, 11, 26), d(2026, 12, 3), d(2026, 12, 10)]);
        let monday_monthly = ScheduleRule {
            weekday: Weekday::Mon,
            every: Every::Month,
            week_of_month: 1,
            on_holiday: OnHoliday::NextWorkingDay,
        };
        let monthly = nominal_dates(&monday_monthly, d(2026, 11, 1), d(2027, 1, 31));
        assert_eq!(monthly, [d(2026, 11, 2), d(2026, 12, 7), d(2027, 1, 4)]);
        let third = ScheduleRule { week_of_month: 3, ..monday_monthly };
        assert_eq!(nominal_dates(&third, d(2026, 11, 1), d(2026, 11, 30)), [d(2026, 11, 16)]);
        assert!(nominal_dates(&ScheduleRule::DEFAULT, d(2026, 11, 27), d(2026, 12, 2)).is_empty());
    }

    #[test]
    fn occurrences_moved_into_a_range_are_found() {
        let cal = Calendar::default();
        // Tết 2026 moves Thu 19 Feb to Mon 23 Feb: a range starting on Monday still sees it.
        let found = occurrences_touching(&ScheduleRule::DEFAULT, &cal, d(2026, 2, 23), d(2026, 2, 27));
        assert_eq!(
            found,
            [
                Occurrence { nominal: d(2026, 2, 19), date: Some(d(2026, 2, 23)) },
                Occurrence { nominal: d(2026, 2, 26), date: Some(d(2026, 2, 26)) },
            ]
        );
    }

    #[test]
    fn each_occurrence_comes_from_the_version_in_force_on_its_own_date() {
        let cal = Calendar::default();
        let monday_monthly = ScheduleRule {
            weekday: Weekday::Mon,
            every: Every::Month,
            week_of_month: 1,
            on_holiday: OnHoliday::NextWorkingDay,
        };
        // Thursdays from Mon 5 Oct 2026, the first Monday of the month from Fri 23 Oct, switched
        // off from Mon 7 Dec, Thursdays again from Thu 17 Dec.
        let history = [
            RuleVersion { from: d(2026, 10, 5), rule: Some(ScheduleRule::DEFAULT) },
            RuleVersion { from: d(2026, 10, 23), rule: Some(monday_monthly) },
            RuleVersion { from: d(2026, 12, 7), rule: None },
            RuleVersion { from: d(2026, 12, 17), rule: Some(ScheduleRule::DEFAULT) },
        ];
        let found: Vec<(usize, NaiveDate)> =
            occurrences_in_force(&history, &cal, d(2026, 9, 1), d(2026, 12, 31))
                .into_iter()
                .map(|(i, o)| (i, o.nominal))
                .collect();
        assert_eq!(
            found,
            [
                (0, d(2026, 10, 8)),
                (0, d(2026, 10, 15)),
                (0, d(2026, 10, 22)),
                (1, d(2026, 11, 2)),
                (3, d(2026, 12, 17)),
                (3, d(2026, 12, 24)),
                (3, d(2026, 12, 31)),
            ],
            "nothing before the first version, Mon 7 Dec is switched off"
        );
        // A range inside one version.
        let w42 = occurrences_in_force(&history, &cal, d(2026, 10, 12), d(2026, 10, 18));
        assert_eq!(w42, [(0, Occurrence { nominal: d(2026, 10, 15), date: Some(d(2026, 10, 15)) })]);
        assert!(occurrences_in_force(&[], &cal, d(2026, 1, 1), d(2026, 12, 31)).is_empty());

        let table = [
            (d(2026, 9, 28), d(2026, 10, 4), false, "before the first version"),
            (d(2026, 9, 28), d(2026, 10, 5), true, "its first day"),
            (d(2026, 10, 26), d(2026, 11, 1), true, "a monthly rule's week without a session"),
            (d(2026, 12, 7), d(2026, 12, 13), false, "switched off all week"),
            (d(2026, 12, 14), d(2026, 12, 20), true, "switched on again on Thursday"),
            (d(2027, 6, 1), d(2027, 6, 7), true, "the last version runs on"),
        ];
        for (from, to, expected, why) in table {
            assert_eq!(in_force_during(&history, from, to), expected, "{why}");
        }
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
    fn online_sessions_need_five_working_days_notice() {
        let cal = Calendar::default();
        // Announced Wed 25 Nov 2026: Wed 2 Dec is the earliest day.
        let table = [
            (d(2026, 12, 2), Ok(())),
            (d(2026, 12, 1), Err(d(2026, 12, 2))),
            (d(2026, 11, 26), Err(d(2026, 12, 2))),
        ];
        for (date, expected) in table {
            assert_eq!(check_online_notice(&cal, d(2026, 11, 25), date), expected, "{date}");
        }
        // Over Tết 2026 the working days stretch: announced Thu 12 Feb (Fri 13, then Mon 23 – Thu 26).
        assert_eq!(check_online_notice(&cal, d(2026, 2, 12), d(2026, 2, 25)), Err(d(2026, 2, 26)));
    }

    #[test]
    fn dates_recorded_about_a_session_stay_near_it() {
        let cal = Calendar::default();
        let today = d(2026, 11, 25);
        let session = d(2026, 11, 19);
        // Directives: (due, kept as)
        let dues = [
            (d(2026, 11, 19), Ok(d(2026, 11, 19)), "the session's day"),
            (d(2026, 11, 29), Ok(d(2026, 11, 30)), "a Sunday moves to Monday"),
            (d(2026, 12, 26), Ok(d(2026, 12, 28)), "a Saturday moves to Monday"),
            (d(2027, 11, 26), Ok(d(2027, 11, 26)), "a year and a day after the notice"),
            (d(2026, 11, 18), Err(()), "before the session"),
            (d(2027, 11, 27), Err(()), "further than a year and a day"),
        ];
        for (due, expected, why) in dues {
            assert_eq!(directive_due(&cal, due, session, today).map_err(|_| ()), expected, "{why}");
        }
        // Done: from the session's day to today.
        assert!(check_done_on(session, session, today).is_ok());
        assert!(check_done_on(today, session, today).is_ok());
        assert!(check_done_on(d(2026, 11, 18), session, today).is_err());
        assert!(check_done_on(d(2026, 11, 26), session, today).is_err());
        // Grounds of a refusal: up to a year and a day before it, never after.
        assert!(check_grounds_on(session, session).is_ok());
        assert!(check_grounds_on(d(2025, 11, 18), session).is_ok());
        assert!(check_grounds_on(d(2025, 11, 17), session).is_err());
        assert!(check_grounds_on(d(2026, 11, 20), session).is_err());
        // Online notice: not ahead of today or the session, at most a year before the nearer of them.
        let next_year = d(2028, 6, 1);
        assert!(check_notice_on(today, d(2026, 12, 2), today).is_ok());
        assert!(check_notice_on(today, next_year, today).is_ok(), "announced today, two years ahead");
        assert!(check_notice_on(d(2025, 11, 24), d(2026, 12, 2), today).is_ok());
        assert!(check_notice_on(d(2025, 11, 23), d(2026, 12, 2), today).is_err());
        assert!(check_notice_on(d(2026, 11, 26), d(2026, 12, 2), today).is_err(), "in the future");
        assert!(check_notice_on(d(2026, 11, 20), d(2026, 11, 19), today).is_err(), "after the session");
        assert!(check_notice_on(d(2022, 12, 31), d(2024, 1, 2), today).is_err());
        assert!(check_notice_on(d(2023, 1, 1), d(2024, 1, 2), today).is_ok(), "a past session");
    }

    #[test]
    fn iso_weeks_parse_and_print() {
        let table = [
            ("2026-W48", Some((2026, 48, d(2026, 11, 23)))),
            ("2026-W01", Some((2026, 1, d(2025, 12, 29)))),
            ("2026-W53", Some((2026, 53, d(2026, 12, 28)))),
            ("2027-W53", None),
            ("2026-48", None),
            ("2026-W4", None),
            ("W48-2026", None),
            ("2026-W00", None),
            ("1800-W01", None),
        ];
        for (text, expected) in table {
            let got = IsoWeek::parse(text).ok().map(|w| (w.year, w.week, w.monday));
            assert_eq!(got, expected, "{text}");
        }
        let w = IsoWeek::of(d(2026, 11, 25));
        assert_eq!(w.label(), "2026-W48");
        assert_eq!(w.sunday(), d(2026, 11, 29));
        assert_eq!(w.next().label(), "2026-W49");
        assert_eq!(IsoWeek::of(d(2027, 1, 1)).label(), "2026-W53");
    }

    #[test]
    fn book_line_prints_the_form_codes_and_redacts() {
        let mut line = BookLine {
            no: 7,
            date: d(2026, 11, 26),
            name: Some("Nguyễn Văn An".to_owned()),
            address: Some("Tổ 3, phường Mẫu".to_owned()),
            id_number: Some("001234567890".to_owned()),
            summary: "Khiếu nại thu hồi đất".to_owned(),
            kind: Kind::Recommendation,
            people_count: 1,
            handled_before_by: None,
            within_competence: true,
            guided_to: None,
            guidance_letter_no: None,
            accepted_by: Some("UBND phường Mẫu".to_owned()),
            forwarding_letter_no: None,
            follow_up: None,
            note: None,
        };
        let cells = line.cells();
        assert_eq!(cells[0], "7");
        assert_eq!(cells[1], "26/11/2026");
        assert_eq!(cells[2], "Nguyễn Văn An, Tổ 3, phường Mẫu");
        assert_eq!(cells[5], "KN", "a recommendation prints KN like a complaint");
        assert_eq!(cells[8], "x");
        assert_eq!(cells[10], "UBND phường Mẫu");
        line.name = None;
        line.kind = Kind::Denunciation;
        let cells = line.cells();
        assert_eq!(cells[2], REDACTED);
        assert_eq!(cells[3], REDACTED);
        assert_eq!(cells[5], "TC");
        assert_eq!(BOOK_HEADERS.len(), 13);
    }

    #[test]
    fn rates_round_to_one_decimal() {
        assert_eq!(rate(2, 3), Some(66.7));
        assert_eq!(rate(0, 0), None);
        assert_eq!(rate(4, 4), Some(100.0));
    }
}
