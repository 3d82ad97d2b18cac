//! Statutory clocks: which limit applies to a case and when it falls due (domain.md §8, §9).
//!
//! The limits are data ([`rules`]: the versioned [`RuleTable`]); this module turns a rule, a case's
//! facts ([`ClockInput`]) and the working-day [`Calendar`] into a due date with a Vietnamese explanation
//! ([`ClockResult`]), and checks requested extensions ([`check_extension`]).
//!
//! # Semantics of [`compute`]
//! - The start day is not counted; the limit is the rule's base, complex, remote or remote-and-complex
//!   limit ([`ClockRule::limit_for`]) plus every extension granted.
//! - Working-day limits skip non-working days; calendar-day limits roll a non-working last day forward.
//! - Pauses (suspensions) are merged where they overlap and taken in date order. A pause that starts
//!   after the due date reached so far does not move it. Otherwise:
//!   - [`PauseMode::Restart`] (complaints): after resumption on R the full limit counts again from R.
//!   - [`PauseMode::SkipSuspended`] (denunciations): the days from suspension S to resumption R are not
//!     counted. The days up to and including S stay used; the remainder counts from R. For calendar
//!     units that moves the (unrolled) last day by R − S days; for working units the working days
//!     elapsed in (start, S] are kept and the rest are added after R.
//!   - [`PauseMode::None`]: the clock does not pause; pauses are ignored (and said so).
//! - **A clock that is paused now** (a pause without an end) reports `paused: true`. Its real due date
//!   depends on a resumption that has not happened, so the reported due date is the one it would have
//!   **if it resumed on the day it was suspended**: for skip-suspended clocks the unpaused due date
//!   (the frozen remainder), for restarting clocks the full limit counted from the suspension day. It
//!   only ever moves later once the resumption is known.
//! - Pausing never makes a deadline earlier and neither do extensions; property tests check both.

pub mod rules;
pub mod steps;

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::calendar::{Calendar, DueDate, Skipped, weekday_name};

pub use rules::{
    ClockId, ClockRule, Complexity, DayUnit, ExtensionCap, ExtensionPolicy, NEW_RULES_FROM, PauseMode,
    RuleSet, RuleSetId, RuleTable, StartEvent, rule_set_for,
};

/// How many working days ahead a due date counts as "nearly due" (a case's or a directive's):
/// the "5 rõ" warning of the inboxes (domain.md §12, "nearly-due warnings").
pub const NEARLY_DUE_WORKING_DAYS: u32 = 3;

/// The longest limit [`compute`] counts, in days: far beyond any statutory limit (the longest is 90
/// days), it only guards against corrupt extension data making a count run for years of dates.
pub const MAX_LIMIT_DAYS: u32 = 3650;

str_enum! {
    /// Whether a stored clock still runs.
    pub enum ClockState {
        /// Counting (or paused).
        Running = "running",
        /// The step it timed was done.
        Met = "met",
        /// No longer relevant (the case closed another way).
        Stopped = "stopped",
        /// Shown for information, never overdue: a duty to send a notice or publish (which no
        /// step of the register records as done yet), or a period that runs for the citizen (a
        /// second complaint). It is in the view's `deadlines` and the explanations, and recomputed
        /// with its open case's clocks, but takes no part in a case's next due date, the overdue flags,
        /// lists and inboxes, or the weekly review, so it never keeps a closed case "overdue".
        /// Nothing ends it (it has no `ended_on`), which keeps it out of the review's reading of
        /// past weeks, where an ended clock counts as running until its end.
        Informational = "informational",
    }
}

impl ClockState {
    /// Whether a case's view shows a clock in this state as current: running and informational ones.
    pub fn is_current(self) -> bool {
        matches!(self, ClockState::Running | ClockState::Informational)
    }
}

/// A suspension of a clock: from the suspension date to the resumption date, if resumed yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Pause {
    /// The day of the suspension decision (tạm đình chỉ).
    pub from: NaiveDate,
    /// The day of the continuation decision (tiếp tục), or `None` while still suspended.
    pub to: Option<NaiveDate>,
}

/// The facts of one case that one clock needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockInput {
    /// The rule set the case runs on (see [`rule_set_for`]).
    pub rule_set: RuleSetId,
    /// Which clock.
    pub clock: ClockId,
    /// The date of the starting event (not counted).
    pub start: NaiveDate,
    /// The complexity finding.
    #[serde(default)]
    pub complex: Complexity,
    /// Whether the case is in a remote area (vùng sâu, vùng xa).
    #[serde(default)]
    pub remote_area: bool,
    /// Extensions granted, in days of the clock's unit, in the order granted.
    #[serde(default)]
    pub extensions: Vec<u32>,
    /// Suspensions, in any order.
    #[serde(default)]
    pub pauses: Vec<Pause>,
}

/// A computed clock: the due date and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockResult {
    /// The rule set that produced the due date (stored with it).
    pub rule_set: RuleSetId,
    /// Which clock.
    pub clock: ClockId,
    /// The last day to act, always a working day. For a paused clock, the due date as if it resumed on
    /// the day it was suspended (see the module docs).
    pub due: NaiveDate,
    /// The limit applied: base (by complexity and remoteness) plus extensions.
    pub limit_days: u32,
    /// How the limit is counted.
    pub unit: DayUnit,
    /// Whether the clock is suspended now (a pause without an end).
    pub paused: bool,
    /// Non-working days passed over in the counted periods (calendar units: only the final roll-over).
    pub skipped: Vec<Skipped>,
    /// Vietnamese lines explaining the limit, rule set, extensions, pauses and skipped days.
    pub explanation: Vec<String>,
}

/// Why an extension cannot be granted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExtensionError {
    /// The clock allows no extension for this complexity.
    NotAllowed,
    /// An extension of zero days.
    ZeroDays,
    /// Longer than one extension may be.
    TooLong {
        /// The longest single extension allowed.
        max_days: u32,
    },
    /// All allowed extensions were already granted.
    TooMany {
        /// How many extensions are allowed.
        max_extensions: u32,
    },
    /// The whole limit would exceed its cap.
    TotalTooLong {
        /// The longest the whole limit may be, base included.
        max_total_days: u32,
    },
}

impl ExtensionError {
    /// The stable snake_case code the frontend translates.
    pub fn code(self) -> &'static str {
        match self {
            ExtensionError::NotAllowed => "extension_not_allowed",
            ExtensionError::ZeroDays => "extension_zero_days",
            ExtensionError::TooLong { .. } => "extension_too_long",
            ExtensionError::TooMany { .. } => "too_many_extensions",
            ExtensionError::TotalTooLong { .. } => "extension_total_too_long",
        }
    }
}

impl fmt::Display for ExtensionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExtensionError::NotAllowed => {
                f.write_str("Thời hạn này không được gia hạn với mức độ phức tạp của vụ việc.")
            }
            ExtensionError::ZeroDays => f.write_str("Số ngày gia hạn phải lớn hơn 0."),
            ExtensionError::TooLong { max_days } => {
                write!(f, "Mỗi lần gia hạn không quá {max_days} ngày.")
            }
            ExtensionError::TooMany { max_extensions } => {
                write!(f, "Chỉ được gia hạn tối đa {max_extensions} lần.")
            }
            ExtensionError::TotalTooLong { max_total_days } => {
                write!(f, "Tổng thời hạn kể cả gia hạn không quá {max_total_days} ngày.")
            }
        }
    }
}

impl std::error::Error for ExtensionError {}

/// Checks whether an extension of `days` may be granted on top of `input.extensions`, under the
/// rule's policy for the case's complexity.
pub fn check_extension(rule: &ClockRule, input: &ClockInput, days: u32) -> Result<(), ExtensionError> {
    let cap = rule.extension.cap(input.complex).ok_or(ExtensionError::NotAllowed)?;
    if days == 0 {
        return Err(ExtensionError::ZeroDays);
    }
    let granted = u32::try_from(input.extensions.len()).unwrap_or(u32::MAX);
    if granted >= cap.max_extensions {
        return Err(ExtensionError::TooMany { max_extensions: cap.max_extensions });
    }
    if days > cap.max_days_each {
        return Err(ExtensionError::TooLong { max_days: cap.max_days_each });
    }
    let total = rule
        .limit_for(input.complex, input.remote_area)
        .saturating_add(sum_days(&input.extensions))
        .saturating_add(days);
    if total > cap.max_total_days {
        return Err(ExtensionError::TotalTooLong { max_total_days: cap.max_total_days });
    }
    Ok(())
}

/// Computes a clock's due date under `rule` for the facts in `input` (see the module docs). The rule
/// decides the clock; `input.clock` is only what the caller looked the rule up by. A limit above
/// [`MAX_LIMIT_DAYS`] is clamped to it and the explanation says so.
pub fn compute(rule: &ClockRule, input: &ClockInput, calendar: &Calendar) -> ClockResult {
    let base = rule.limit_for(input.complex, input.remote_area);
    let requested = base.saturating_add(sum_days(&input.extensions));
    let limit = requested.min(MAX_LIMIT_DAYS);
    let unit = rule.unit;
    let mut explanation = limit_explanation(rule, input, base, limit);
    if requested > limit {
        explanation.push(format!(
            "Thời hạn {requested} {} vượt mức tối đa hệ thống cho phép; chỉ tính {limit}.",
            unit.label_vi()
        ));
    }

    let pauses = merged_pauses(&input.pauses);
    let counting = Counting { calendar, unit, limit };
    let outcome = match rule.pause {
        PauseMode::None => {
            if !pauses.is_empty() {
                explanation.push(
                    "Thời hạn này không tạm dừng khi tạm đình chỉ; các khoảng tạm đình chỉ không \
                     được tính đến."
                        .to_owned(),
                );
            }
            counting.without_pauses(input.start)
        }
        PauseMode::Restart => counting.restarting(input.start, &pauses, &mut explanation),
        PauseMode::SkipSuspended => counting.skipping_suspended(input.start, &pauses, &mut explanation),
    };

    if !outcome.skipped.is_empty() {
        let days: Vec<String> = outcome
            .skipped
            .iter()
            .map(|skipped| format!("{} ({})", format_date(skipped.date), skipped.reason))
            .collect();
        let what = match unit {
            DayUnit::Working => "Không tính các ngày không làm việc",
            DayUnit::Calendar => {
                "Ngày cuối cùng rơi vào ngày không làm việc, chuyển sang ngày làm việc kế tiếp; bỏ qua"
            }
        };
        explanation.push(format!("{what}: {}.", days.join(", ")));
    }
    explanation.push(format!(
        "Hạn: {}, {}{}.",
        weekday_name(outcome.due.weekday()),
        format_date(outcome.due),
        if outcome.paused { " (tạm tính, đang tạm đình chỉ)" } else { "" }
    ));

    ClockResult {
        rule_set: input.rule_set,
        clock: rule.clock,
        due: outcome.due,
        limit_days: limit,
        unit,
        paused: outcome.paused,
        skipped: outcome.skipped,
        explanation,
    }
}

/// The due date [`compute`] gives, without building the explanation: for recomputing many stored
/// clocks at once after a calendar change. A clock that was never paused is a single count of its
/// limit; any other takes the full computation.
pub fn due_date(rule: &ClockRule, input: &ClockInput, calendar: &Calendar) -> NaiveDate {
    if !input.pauses.is_empty() {
        return compute(rule, input, calendar).due;
    }
    let limit = rule
        .limit_for(input.complex, input.remote_area)
        .saturating_add(sum_days(&input.extensions))
        .min(MAX_LIMIT_DAYS);
    Counting { calendar, unit: rule.unit, limit }.without_pauses(input.start).due
}

/// The opening lines: limit, rule set, source, complexity, remoteness, extensions.
fn limit_explanation(rule: &ClockRule, input: &ClockInput, base: u32, limit: u32) -> Vec<String> {
    let mut lines = vec![format!(
        "{}: {} {} kể từ {} ({}), không tính ngày bắt đầu {}; bộ quy tắc {}.",
        rule.clock.label_vi(),
        rule.limit,
        rule.unit.label_vi(),
        rule.starts_at.label_vi(),
        rule.source,
        format_date(input.start),
        input.rule_set,
    )];
    if base != rule.limit {
        let mut reasons = Vec::new();
        if input.complex != Complexity::None {
            reasons.push(match input.complex {
                Complexity::EspeciallyComplex => "vụ việc đặc biệt phức tạp",
                _ => "vụ việc phức tạp",
            });
        }
        if input.remote_area {
            reasons.push("vùng sâu, vùng xa");
        }
        lines.push(format!("Áp dụng thời hạn {base} {} ({}).", rule.unit.label_vi(), reasons.join(", ")));
    }
    for (number, days) in input.extensions.iter().enumerate() {
        lines.push(format!("Gia hạn lần {}: thêm {days} {}.", number + 1, rule.unit.label_vi()));
    }
    if !input.extensions.is_empty() {
        lines.push(format!("Tổng thời hạn sau gia hạn: {limit} {}.", rule.unit.label_vi()));
    }
    if rule.unverified {
        lines.push("Lưu ý: giá trị này chưa được xác minh với văn bản gốc.".to_owned());
    }
    if !rule.note.is_empty() {
        lines.push(rule.note.clone());
    }
    lines
}

/// The result of counting, before the explanation's closing lines.
struct Outcome {
    due: NaiveDate,
    paused: bool,
    skipped: Vec<Skipped>,
}

/// Counting a limit in a unit on a calendar.
struct Counting<'a> {
    calendar: &'a Calendar,
    unit: DayUnit,
    limit: u32,
}

impl Counting<'_> {
    /// `days` of the unit after `from`.
    fn add(&self, from: NaiveDate, days: u32) -> DueDate {
        match self.unit {
            DayUnit::Working => self.calendar.add_working_days(from, days),
            DayUnit::Calendar => self.calendar.add_calendar_days(from, days),
        }
    }

    fn without_pauses(&self, start: NaiveDate) -> Outcome {
        let due = self.add(start, self.limit);
        Outcome { due: due.due, paused: false, skipped: due.skipped }
    }

    /// Complaints: each resumption restarts the full limit.
    fn restarting(&self, start: NaiveDate, pauses: &[Pause], explanation: &mut Vec<String>) -> Outcome {
        let mut anchor = start;
        let mut due = self.add(anchor, self.limit);
        let mut paused = false;
        for pause in pauses {
            if pause.from > due.due {
                explanation.push(after_due_line(pause, due.due));
                break;
            }
            let resumed = match pause.to {
                Some(to) => to,
                None => pause.from,
            };
            let moves_the_count = resumed > anchor;
            if moves_the_count {
                anchor = resumed;
                due = self.add(anchor, self.limit);
            }
            explanation.push(match pause.to {
                Some(to) if !moves_the_count => format!(
                    "Tạm đình chỉ từ {} đến {} trước khi thời hạn bắt đầu: không làm thay đổi hạn.",
                    format_date(pause.from),
                    format_date(to),
                ),
                Some(to) => format!(
                    "Tạm đình chỉ từ {} đến {}: thời hạn {} {} được tính lại từ đầu kể từ ngày tiếp tục {}.",
                    format_date(pause.from),
                    format_date(to),
                    self.limit,
                    self.unit.label_vi(),
                    format_date(to),
                ),
                None => format!(
                    "Đang tạm đình chỉ từ {}: chưa biết ngày tiếp tục; hạn tạm tính như thể tiếp tục \
                     ngay ngày {} (thời hạn được tính lại từ đầu khi tiếp tục).",
                    format_date(pause.from),
                    format_date(pause.from),
                ),
            });
            if pause.to.is_none() {
                paused = true;
                break;
            }
        }
        Outcome { due: due.due, paused, skipped: due.skipped }
    }

    /// Denunciations: suspended days are not counted; days used before a suspension are kept.
    fn skipping_suspended(
        &self,
        start: NaiveDate,
        pauses: &[Pause],
        explanation: &mut Vec<String>,
    ) -> Outcome {
        let mut anchor = start;
        let mut used = 0u32;
        // Calendar units track the unrolled last day; working units the days used so far.
        let mut last_day =
            start.checked_add_days(chrono::Days::new(u64::from(self.limit))).unwrap_or(NaiveDate::MAX);
        let mut due = self.add(start, self.limit);
        let mut earlier_skipped = Vec::new();
        let mut paused = false;
        for pause in pauses {
            let suspended = pause.from.max(anchor);
            if suspended > due.due {
                explanation.push(after_due_line(pause, due.due));
                break;
            }
            let resumed = pause.to.unwrap_or(suspended).max(suspended);
            match self.unit {
                DayUnit::Calendar => {
                    let remainder = (last_day - suspended).num_days().max(0);
                    last_day = resumed
                        .checked_add_signed(chrono::Duration::days(remainder))
                        .unwrap_or(NaiveDate::MAX);
                    due = self.calendar.add_calendar_days(last_day, 0);
                }
                DayUnit::Working => {
                    let elapsed = self.calendar.working_days_between(anchor, suspended);
                    let elapsed = u32::try_from(elapsed).unwrap_or(0);
                    earlier_skipped.extend(self.non_working_days(anchor, suspended));
                    used = used.saturating_add(elapsed).min(self.limit);
                    due = self.calendar.add_working_days(resumed, self.limit - used);
                }
            }
            anchor = resumed;
            explanation.push(match pause.to {
                Some(to) => format!(
                    "Tạm đình chỉ từ {} đến {}: không tính {} ngày tạm đình chỉ.",
                    format_date(pause.from),
                    format_date(to),
                    (resumed - suspended).num_days(),
                ),
                None => format!(
                    "Đang tạm đình chỉ từ {}: thời gian tạm đình chỉ không tính; hạn tạm tính như thể \
                     tiếp tục ngay ngày {} và sẽ lùi thêm bằng số ngày tạm đình chỉ.",
                    format_date(pause.from),
                    format_date(suspended),
                ),
            });
            if pause.to.is_none() {
                paused = true;
                break;
            }
        }
        if self.unit == DayUnit::Working && used > 0 {
            explanation.push(format!(
                "Đã dùng {used} {} trước khi tạm đình chỉ; còn {} {} tính từ ngày tiếp tục.",
                self.unit.label_vi(),
                self.limit - used,
                self.unit.label_vi(),
            ));
        }
        earlier_skipped.extend(due.skipped);
        Outcome { due: due.due, paused, skipped: earlier_skipped }
    }

    /// Non-working days in the period after `from` up to and including `to`.
    fn non_working_days(&self, from: NaiveDate, to: NaiveDate) -> Vec<Skipped> {
        from.iter_days()
            .skip(1)
            .take_while(|date| *date <= to)
            .filter_map(|date| self.calendar.non_working_reason(date).map(|reason| Skipped { date, reason }))
            .collect()
    }
}

/// The explanation for a pause that begins after the due date.
fn after_due_line(pause: &Pause, due: NaiveDate) -> String {
    format!(
        "Tạm đình chỉ từ {} bắt đầu sau hạn {}: không làm thay đổi hạn.",
        format_date(pause.from),
        format_date(due)
    )
}

/// Pauses sorted by start, with a resumption before its suspension treated as the same day, and
/// overlapping or touching pauses merged; an open pause absorbs everything after it.
fn merged_pauses(pauses: &[Pause]) -> Vec<Pause> {
    let mut sorted: Vec<Pause> = pauses
        .iter()
        .map(|pause| Pause { from: pause.from, to: pause.to.map(|to| to.max(pause.from)) })
        .collect();
    sorted.sort_by_key(|pause| pause.from);
    let mut merged: Vec<Pause> = Vec::with_capacity(sorted.len());
    for pause in sorted {
        match merged.last_mut() {
            Some(last) if last.to.is_none_or(|to| pause.from <= to) => {
                last.to = match (last.to, pause.to) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    _ => None,
                };
            }
            _ => merged.push(pause),
        }
    }
    merged
}

fn sum_days(days: &[u32]) -> u32 {
    days.iter().fold(0u32, |sum, &day| sum.saturating_add(day))
}

fn format_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

#[cfg(test)]
mod tests;
