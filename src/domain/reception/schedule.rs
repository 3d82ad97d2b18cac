//! The heads' reception schedules (domain.md §3: the chairman every Thursday by default, moved to
//! the next working day off a holiday) and the sessions they give over the working-day calendar.
//! A head's schedule is kept as versions, each in force from a civil day: the sessions of a day
//! come from the version in force on it.
//!
//! "Schedule" here is a head's own reception rule; the statutory rules of deadlines are
//! `domain::deadline`'s. Whether a chairman's schedule meets the law's minimum is
//! [`super::minimum`]'s.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{minimum::REASON_MAX_CHARS, period::days_after};
use crate::domain::{
    UnknownValue,
    calendar::Calendar,
    input::{Fields, Invalid},
    validate::optional_text,
};

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
        /// Kept inside its own ISO week (Monday–Sunday): the next working day of the week, else
        /// the latest working day of the week before it; not held only when the whole week is off
        /// (the week of Thursday 30 Apr 2026 is received on Wednesday 29 Apr, not on Monday 4 May).
        SameWeek = "same_week",
    }
}

/// When a head holds his periodic sessions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScheduleRule {
    pub weekday: Weekday,
    pub every: Every,
    /// Monthly schedules: the n-th such weekday of the month (1–4).
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

    /// A schedule as stored: an ISO weekday number and, for a monthly one, the week of the month
    /// (the first when none is stored). A number out of range is a corrupt row: an error, never
    /// some default day.
    pub fn stored(
        weekday: i16,
        every: Every,
        week_of_month: Option<i16>,
        on_holiday: OnHoliday,
    ) -> Result<Self, UnknownValue> {
        let weekday = weekday_from_iso(i64::from(weekday))
            .ok_or_else(|| UnknownValue::new("ISO weekday", &weekday.to_string()))?;
        let week_of_month = match week_of_month {
            None => 1,
            Some(n) => u8::try_from(n)
                .ok()
                .filter(|n| (1..=4).contains(n))
                .ok_or_else(|| UnknownValue::new("week of the month", &n.to_string()))?,
        };
        Ok(ScheduleRule { weekday, every, week_of_month, on_holiday })
    }

    /// The ISO weekday number it is stored as (1 = Monday … 7 = Sunday).
    pub fn weekday_number(&self) -> i16 {
        i16::try_from(self.weekday.number_from_monday()).unwrap_or(4)
    }

    /// The week of the month it is stored with: monthly schedules only.
    pub fn stored_week_of_month(&self) -> Option<i16> {
        match self.every {
            Every::Month => Some(i16::from(self.week_of_month)),
            Every::Week => None,
        }
    }
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

/// One occurrence of a schedule: its own date and the day the session is actually held (`None`
/// when a holiday skips it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    pub nominal: NaiveDate,
    pub date: Option<NaiveDate>,
}

/// The schedule's own dates in `from..=to`, before any holiday moves them.
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
/// next working day, a working day of the same week, or nothing, as the schedule says.
pub fn place(rule: &ScheduleRule, cal: &Calendar, nominal: NaiveDate) -> Option<NaiveDate> {
    if cal.is_working_day(nominal) {
        return Some(nominal);
    }
    match rule.on_holiday {
        OnHoliday::NextWorkingDay => Some(cal.next_working_day_on_or_after(nominal)),
        OnHoliday::Skip => None,
        OnHoliday::SameWeek => within_week(cal, nominal),
    }
}

/// A working day of `nominal`'s ISO week for a session whose own day is off: the first after it
/// (later in the week keeps the published weekday's order), else the last before it (a session
/// earlier than announced still answers for the week), else none.
fn within_week(cal: &Calendar, nominal: NaiveDate) -> Option<NaiveDate> {
    let back = Days::new(u64::from(nominal.weekday().num_days_from_monday()));
    let monday = nominal.checked_sub_days(back)?;
    let sunday = monday.checked_add_days(Days::new(6))?;
    let working = |d: &NaiveDate| cal.is_working_day(*d);
    nominal
        .iter_days()
        .skip(1)
        .take_while(|d| *d <= sunday)
        .find(working)
        .or_else(|| monday.iter_days().take_while(|d| *d < nominal).filter(working).last())
}

/// How far back a moved occurrence can come from: Tết breaks last nine days; a month covers it.
pub const MOVE_LOOKBACK_DAYS: u64 = 31;

/// How long before its own date an occurrence can be held: a `same_week` session of a Sunday
/// moved back to the Monday of its week. A range's sessions may come from this far past its end.
pub const MOVE_BACK_DAYS: u64 = 6;

/// The occurrences of a schedule whose nominal date is in `from..=to`.
pub fn occurrences(rule: &ScheduleRule, cal: &Calendar, from: NaiveDate, to: NaiveDate) -> Vec<Occurrence> {
    nominal_dates(rule, from, to)
        .into_iter()
        .map(|n| Occurrence { nominal: n, date: place(rule, cal, n) })
        .collect()
}

/// The occurrences that matter for the days `from..=to`: those with a nominal date there, and those
/// moved into it from before (a holiday) or from after (`same_week`, back within its week).
pub fn occurrences_touching(
    rule: &ScheduleRule,
    cal: &Calendar,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<Occurrence> {
    let start = from.checked_sub_days(Days::new(MOVE_LOOKBACK_DAYS)).unwrap_or(from);
    let end = days_after(to, MOVE_BACK_DAYS);
    let within = |d: NaiveDate| d >= from && d <= to;
    occurrences(rule, cal, start, end)
        .into_iter()
        .filter(|o| within(o.nominal) || o.date.is_some_and(within))
        .collect()
}

/// How far ahead a head's next sessions are looked for, and how many are shown.
const UPCOMING_DAYS: u64 = 70;
const UPCOMING_SHOWN: usize = 5;

/// The next sessions a schedule gives from `today` on (at most five, within ten weeks).
pub fn upcoming(rule: &ScheduleRule, cal: &Calendar, today: NaiveDate) -> Vec<NaiveDate> {
    occurrences_touching(rule, cal, today, days_after(today, UPCOMING_DAYS))
        .into_iter()
        .filter_map(|o| o.date)
        .filter(|d| *d >= today)
        .take(UPCOMING_SHOWN)
        .collect()
}

/// A head's schedule as it stood from a civil day on, until the next version: `rule` is `None`
/// while the head has no periodic sessions (no longer a head).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScheduleVersion {
    pub from: NaiveDate,
    pub rule: Option<ScheduleRule>,
}

/// The days `history[i]` governs: from its own day to the day before the next version's.
fn version_span(history: &[ScheduleVersion], i: usize) -> (NaiveDate, Option<NaiveDate>) {
    let until = history.get(i + 1).and_then(|next| next.from.pred_opt());
    (history[i].from, until)
}

/// The occurrences of a schedule's history whose nominal date is in `from..=to`, each generated
/// by the version in force on that date (with the index of that version). `history` is in order
/// of `from`; before its first version a head has no occurrences, so a later change never reaches
/// back over days another version governed.
pub fn occurrences_in_force(
    history: &[ScheduleVersion],
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
pub fn in_force_during(history: &[ScheduleVersion], from: NaiveDate, to: NaiveDate) -> bool {
    !versions_during(history, from, to).is_empty()
}

/// The indexes of the versions that call for sessions and govern a day of `from..=to`, oldest
/// first (the schedule "in force" during a week: usually one, two when it changed that week).
pub fn versions_during(history: &[ScheduleVersion], from: NaiveDate, to: NaiveDate) -> Vec<usize> {
    (0..history.len())
        .filter(|&i| {
            let (start, until) = version_span(history, i);
            history[i].rule.is_some() && start <= to && until.is_none_or(|u| u >= from)
        })
        .collect()
}

/// A head's schedule rule.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RuleRequest {
    /// ISO weekday: 1 = Monday … 7 = Sunday.
    pub weekday: i64,
    pub every: Every,
    /// Monthly rules: the n-th such weekday (1–4, default 1).
    pub week_of_month: Option<i64>,
    pub on_holiday: OnHoliday,
    /// Where the sessions take place (default the agency's office).
    pub location: Option<String>,
    /// The hours of reception, as people write them ("Sáng 7 giờ 30 – 11 giờ 30"), at most 100
    /// characters; shown on the public schedule (default: the office's working hours).
    #[schema(max_length = 100)]
    pub hours: Option<String>,
    /// Why a chairman's schedule below the legal minimum of his level is set all the same (at most
    /// 500 characters): without it such a schedule is refused (422 `below_legal_minimum`); with it
    /// the schedule is kept and every weekly review shows the reason. Kept only with a schedule
    /// below the minimum.
    #[schema(max_length = 500)]
    pub reason: Option<String>,
}

/// A checked schedule from the admin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleChange {
    pub rule: ScheduleRule,
    /// `None`: the agency's office.
    pub location: Option<String>,
    /// `None`: the office's working hours.
    pub hours: Option<String>,
    /// Why a schedule below the minimum is set (`None`: none given, or blank).
    pub reason: Option<String>,
}

impl RuleRequest {
    /// Checks the weekday (1–7), the week of the month (1–4), the place and the reason.
    pub fn parse(self) -> Result<ScheduleChange, Invalid> {
        let mut f = Fields::new();
        let weekday = weekday_from_iso(self.weekday);
        if weekday.is_none() {
            f.report("weekday", "Thứ trong tuần từ 1 (thứ Hai) đến 7 (Chủ nhật).");
        }
        let week_of_month = self.week_of_month.unwrap_or(1);
        if !(1..=4).contains(&week_of_month) {
            f.report("week_of_month", "Tuần trong tháng từ 1 đến 4.");
        }
        let location = f.check_opt("location", optional_text(self.location.as_deref(), 300));
        let hours = f.check_opt("hours", optional_text(self.hours.as_deref(), super::HOURS_MAX_CHARS));
        let reason = f.check_opt("reason", optional_text(self.reason.as_deref(), REASON_MAX_CHARS));
        f.done(weekday.map(|weekday| ScheduleChange {
            rule: ScheduleRule {
                weekday,
                every: self.every,
                week_of_month: u8::try_from(week_of_month).unwrap_or(1),
                on_holiday: self.on_holiday,
            },
            location,
            hours,
            reason,
        }))
    }
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
    fn weekly_and_monthly_schedules_generate_their_dates() {
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
    fn the_next_five_sessions_are_shown() {
        let cal = Calendar::default();
        // From Mon 16 Feb 2026: the Tết Thursday lands on Mon 23 Feb.
        let next = upcoming(&ScheduleRule::DEFAULT, &cal, d(2026, 2, 16));
        assert_eq!(next, [d(2026, 2, 23), d(2026, 2, 26), d(2026, 3, 5), d(2026, 3, 12), d(2026, 3, 19)]);
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
            ScheduleVersion { from: d(2026, 10, 5), rule: Some(ScheduleRule::DEFAULT) },
            ScheduleVersion { from: d(2026, 10, 23), rule: Some(monday_monthly) },
            ScheduleVersion { from: d(2026, 12, 7), rule: None },
            ScheduleVersion { from: d(2026, 12, 17), rule: Some(ScheduleRule::DEFAULT) },
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
            (d(2026, 10, 26), d(2026, 11, 1), true, "a monthly schedule's week without a session"),
            (d(2026, 12, 7), d(2026, 12, 13), false, "switched off all week"),
            (d(2026, 12, 14), d(2026, 12, 20), true, "switched on again on Thursday"),
            (d(2027, 6, 1), d(2027, 6, 7), true, "the last version runs on"),
        ];
        for (from, to, expected, why) in table {
            assert_eq!(in_force_during(&history, from, to), expected, "{why}");
        }
        // The week of Mon 19 Oct 2026 has the Thursdays until Thu 22 Oct, the monthly rule from Fri 23.
        assert_eq!(versions_during(&history, d(2026, 10, 19), d(2026, 10, 25)), [0, 1]);
        assert_eq!(
            versions_during(&history, d(2026, 12, 14), d(2026, 12, 20)),
            [3],
            "not the switched-off one"
        );
    }

    #[test]
    fn a_schedule_is_stored_as_numbers_and_read_back() {
        let monthly = ScheduleRule { every: Every::Month, week_of_month: 2, ..ScheduleRule::DEFAULT };
        assert_eq!((monthly.weekday_number(), monthly.stored_week_of_month()), (4, Some(2)));
        assert_eq!(ScheduleRule::DEFAULT.stored_week_of_month(), None);
        assert_eq!(ScheduleRule::stored(4, Every::Month, Some(2), OnHoliday::NextWorkingDay), Ok(monthly));
        assert_eq!(
            ScheduleRule::stored(4, Every::Week, None, OnHoliday::Skip).map(|r| r.week_of_month),
            Ok(1)
        );
        // A stored number out of range is a corrupt row: an error naming it, never a default day.
        let odd = ScheduleRule::stored(9, Every::Week, None, OnHoliday::Skip).unwrap_err();
        assert_eq!(odd.to_string(), "\"9\" is not a known ISO weekday");
        assert!(ScheduleRule::stored(4, Every::Month, Some(-1), OnHoliday::Skip).is_err());
    }

    #[test]
    fn the_admin_names_a_weekday_and_a_week_of_the_month() {
        let request = |weekday, week_of_month| RuleRequest {
            weekday,
            every: Every::Month,
            week_of_month,
            on_holiday: OnHoliday::Skip,
            location: Some(" Hội trường ".into()),
            hours: Some(" Sáng 7 giờ 30 – 11 giờ 30 ".into()),
            reason: Some("  ".into()),
        };
        let change = request(1, None).parse().unwrap();
        assert_eq!(change.hours.as_deref(), Some("Sáng 7 giờ 30 – 11 giờ 30"));
        assert_eq!(change.rule.weekday, Weekday::Mon);
        assert_eq!(change.rule.week_of_month, 1);
        assert_eq!(change.location.as_deref(), Some("Hội trường"));
        assert_eq!(change.reason, None, "a blank reason is no reason");
        let Invalid(errors) = request(0, Some(5)).parse().unwrap_err();
        assert_eq!(errors["weekday"], ["Thứ trong tuần từ 1 (thứ Hai) đến 7 (Chủ nhật)."]);
        assert_eq!(errors["week_of_month"], ["Tuần trong tháng từ 1 đến 4."]);
    }

    #[test]
    fn a_reason_is_bounded_text() {
        let request = |reason: String| RuleRequest {
            weekday: 4,
            every: Every::Month,
            week_of_month: None,
            on_holiday: OnHoliday::NextWorkingDay,
            location: None,
            hours: None,
            reason: Some(reason),
        };
        let kept = request(" Chủ tịch kiêm nhiệm, tiếp tại xã bên cạnh ".into()).parse().unwrap();
        assert_eq!(kept.reason.as_deref(), Some("Chủ tịch kiêm nhiệm, tiếp tại xã bên cạnh"));
        assert!(request("đ".repeat(500)).parse().is_ok());
        let Invalid(errors) = request("đ".repeat(501)).parse().unwrap_err();
        assert_eq!(errors["reason"], ["Dài quá 500 ký tự."]);
    }

    #[test]
    fn same_week_keeps_the_session_inside_its_iso_week() {
        let cal = Calendar::default();
        let rule = ScheduleRule { on_holiday: OnHoliday::SameWeek, ..ScheduleRule::DEFAULT };
        // (nominal Thursday, where the session lands, why)
        let table = [
            (d(2026, 2, 12), Some(d(2026, 2, 12)), "an ordinary Thursday stays"),
            (
                d(2026, 4, 30),
                Some(d(2026, 4, 29)),
                "30 Apr and 1 May, then the weekend: back to Wed 29 Apr (Mon 27 is the Giỗ Tổ day off)",
            ),
            (
                d(2026, 1, 1),
                Some(d(2025, 12, 31)),
                "New Year, Fri 2 Jan swapped off: back to Wed 31 Dec 2025, same ISO week",
            ),
            (d(2026, 2, 19), None, "Tết 2026, off Sat 14 – Sun 22 Feb: no working day in the week"),
        ];
        for (nominal, lands, why) in table {
            assert_eq!(place(&rule, &cal, nominal), lands, "{why}");
        }
        // The next working day of the week comes first: a day off on a Tuesday goes to Wednesday.
        let tuesday = ScheduleRule { weekday: Weekday::Tue, ..rule };
        let off = SpecialDay {
            date: d(2026, 12, 1),
            kind: DayKind::DayOff,
            name: "Nghỉ theo quyết định của UBND".to_owned(),
            source: DaySource::Admin,
        };
        let admin_cal = Calendar::new(vec![off]);
        assert_eq!(place(&tuesday, &admin_cal, d(2026, 12, 1)), Some(d(2026, 12, 2)));
        // next_working_day would have left the week of 27 Apr 2026 for Monday 4 May.
        assert_eq!(place(&ScheduleRule::DEFAULT, &cal, d(2026, 4, 30)), Some(d(2026, 5, 4)));
    }

    #[test]
    fn same_week_over_tet_2027() {
        let cal = Calendar::default();
        let rule = ScheduleRule { on_holiday: OnHoliday::SameWeek, ..ScheduleRule::DEFAULT };
        // Tết 2027 (Sat 6 Feb): off Fri 5 – Thu 11 Feb; Friday 12 Feb is a working day of the week.
        assert!((5..=11).all(|day| !cal.is_working_day(d(2027, 2, day))), "the Tết 2027 break");
        assert_eq!(
            place(&rule, &cal, d(2027, 2, 11)),
            Some(d(2027, 2, 12)),
            "forward, inside Mon 8 – Sun 14 Feb"
        );
        // next_working_day lands on the same Friday: the two differ only when the week runs out.
        assert_eq!(place(&ScheduleRule::DEFAULT, &cal, d(2027, 2, 11)), Some(d(2027, 2, 12)));
        // The Thursdays either side are ordinary ones.
        assert_eq!(place(&rule, &cal, d(2027, 2, 4)), Some(d(2027, 2, 4)));
        assert_eq!(place(&rule, &cal, d(2027, 2, 18)), Some(d(2027, 2, 18)));
        // A Friday schedule in the week of Tết itself: Fri 5 Feb is off and the rest of that week
        // is too, so it goes back to Thursday 4 Feb.
        let friday = ScheduleRule { weekday: Weekday::Fri, ..rule };
        assert_eq!(place(&friday, &cal, d(2027, 2, 5)), Some(d(2027, 2, 4)));
        assert_eq!(
            place(&ScheduleRule { weekday: Weekday::Fri, ..ScheduleRule::DEFAULT }, &cal, d(2027, 2, 5)),
            Some(d(2027, 2, 12))
        );
    }

    #[test]
    fn a_same_week_session_moved_back_is_found_from_its_week() {
        let cal = Calendar::default();
        let rule = ScheduleRule { on_holiday: OnHoliday::SameWeek, ..ScheduleRule::DEFAULT };
        // Days Tue 28 – Wed 29 Apr 2026: Thursday 30 Apr's session is held on the 29th.
        let found = occurrences_touching(&rule, &cal, d(2026, 4, 28), d(2026, 4, 29));
        assert_eq!(found, [Occurrence { nominal: d(2026, 4, 30), date: Some(d(2026, 4, 29)) }]);
        // Ten weeks from Mon 27 Apr: the first session is that Wednesday.
        assert_eq!(upcoming(&rule, &cal, d(2026, 4, 27))[0], d(2026, 4, 29));
    }
}
