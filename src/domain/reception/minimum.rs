//! The legal minimum of a chairman's own reception (domain.md §3, §8 row `chairman_session`):
//! - commune level (cấp xã): at least one day a week (Law 42/2013 Art. 15(2)(d));
//! - province level (cấp tỉnh): at least one day a month (Law 42/2013 Art. 12(5)).
//!
//! The law binds the chairman of the People's Committee; a unit head's schedule is the admin's
//! to set freely (no minimum of its own is shipped: the units here advise the chairman, ND 154/2026
//! Art. 28(1), and are not the state bodies of Art. 18(2)). Whether Law 136/2025 changed these
//! minimums is **unverified**.
//!
//! A schedule is judged by what it can give on any calendar, not on this year's: a rule that a
//! holiday can empty a week (commune) or a month (province) is below the minimum. The admin may
//! still set it, with a reason that every weekly review then shows beside the flag.

use super::schedule::{Every, OnHoliday, ScheduleRule};
use crate::domain::{agency::AgencyLevel, role::Role};

/// The longest a reason for a schedule below the minimum may be, in characters.
pub const REASON_MAX_CHARS: usize = 500;

/// Why a chairman's schedule falls short of the minimum of his level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BelowMinimum {
    /// Commune level, a monthly schedule: most weeks have no session.
    CommuneMonthly,
    /// Commune level, a weekly schedule that drops the session of a week whose day is off.
    CommuneSkipsHolidays,
    /// Province level, a monthly schedule a holiday can drop (`skip`, or `same_week` in a week
    /// without a working day) or carry into another month (`same_week` back across the 1st, or
    /// `next_working_day` from the 4th week forward across the month's end, e.g. the 4th Tuesday
    /// of January 2028 in the Tết break).
    ProvinceMonthCanBeEmpty,
}

impl BelowMinimum {
    /// Why the schedule is below, citing the article (Vietnamese): the note the rule's view and
    /// the weekly review show beside the flag.
    pub fn message(self) -> &'static str {
        match self {
            BelowMinimum::CommuneMonthly => {
                "Chủ tịch UBND cấp xã phải tiếp công dân ít nhất 01 ngày trong 01 tuần (điểm d khoản 2 \
                 Điều 15 Luật Tiếp công dân 2013); lịch hằng tháng thấp hơn mức tối thiểu này."
            }
            BelowMinimum::CommuneSkipsHolidays => {
                "Chủ tịch UBND cấp xã phải tiếp công dân ít nhất 01 ngày trong 01 tuần (điểm d khoản 2 \
                 Điều 15 Luật Tiếp công dân 2013); lịch bỏ buổi tiếp khi trùng ngày nghỉ để lại những \
                 tuần không có buổi tiếp."
            }
            BelowMinimum::ProvinceMonthCanBeEmpty => {
                "Chủ tịch UBND cấp tỉnh phải tiếp công dân ít nhất 01 ngày trong 01 tháng (khoản 5 \
                 Điều 12 Luật Tiếp công dân 2013); lịch hằng tháng này có thể để một tháng không có \
                 buổi tiếp khi trùng ngày nghỉ."
            }
        }
    }

    /// The 422's message: [`BelowMinimum::message`] and what the admin can do about it.
    pub fn refusal(self) -> String {
        let advice = match self {
            BelowMinimum::CommuneMonthly => "Muốn giữ lịch này, hãy ghi rõ lý do.",
            BelowMinimum::CommuneSkipsHolidays => {
                "Hãy chọn chuyển sang ngày làm việc kế tiếp hoặc trong cùng tuần, hoặc ghi rõ lý do."
            }
            BelowMinimum::ProvinceMonthCanBeEmpty => {
                "Hãy chọn chuyển sang ngày làm việc kế tiếp, trong 3 tuần đầu của tháng, hoặc ghi rõ lý do."
            }
        };
        format!("{} {advice}", self.message())
    }
}

/// Whether a schedule meets the chairman's minimum at `level`:
/// - commune: weekly, and a holiday moves the session rather than dropping it
///   (`next_working_day` or `same_week`; `same_week` drops only a week without any working day,
///   when nobody receives);
/// - province: weekly (any holiday rule: the longest break, Tết, takes at most two of a month's
///   four or five such weekdays), or monthly moved to the next working day from one of the first
///   three weeks (its day is at the latest the 21st, and no break runs from there past the month's
///   end).
pub fn minimum_met(level: AgencyLevel, rule: &ScheduleRule) -> Result<(), BelowMinimum> {
    match (level, rule.every, rule.on_holiday) {
        (AgencyLevel::Commune, Every::Month, _) => Err(BelowMinimum::CommuneMonthly),
        (AgencyLevel::Commune, Every::Week, OnHoliday::Skip) => Err(BelowMinimum::CommuneSkipsHolidays),
        (AgencyLevel::Commune, Every::Week, OnHoliday::NextWorkingDay | OnHoliday::SameWeek) => Ok(()),
        (AgencyLevel::Province, Every::Week, _) => Ok(()),
        (AgencyLevel::Province, Every::Month, OnHoliday::NextWorkingDay) if rule.week_of_month <= 3 => Ok(()),
        (AgencyLevel::Province, Every::Month, _) => Err(BelowMinimum::ProvinceMonthCanBeEmpty),
    }
}

/// Whether the law's minimum binds a head of this role: the chairman's own sessions.
pub fn bound_by_minimum(role: Role) -> bool {
    role == Role::Chairman
}

/// Whether every working week calls for a session of its own from this head, whatever his
/// schedule says: a commune chairman (Art. 15(2)(d)).
pub fn every_week_required(level: AgencyLevel, role: Role) -> bool {
    level == AgencyLevel::Commune && bound_by_minimum(role)
}

/// The minimum a head's schedule falls short of, if any (`None` for a head the law does not bind).
pub fn shortfall(level: AgencyLevel, role: Role, rule: &ScheduleRule) -> Option<BelowMinimum> {
    if bound_by_minimum(role) { minimum_met(level, rule).err() } else { None }
}

#[cfg(test)]
mod tests {
    use chrono::{Datelike, NaiveDate, Weekday};

    use super::*;
    use crate::domain::{
        calendar::Calendar,
        reception::schedule::{occurrences, place},
    };

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    fn rule(every: Every, on_holiday: OnHoliday, week_of_month: u8) -> ScheduleRule {
        ScheduleRule { weekday: Weekday::Thu, every, week_of_month, on_holiday }
    }

    #[test]
    fn the_minimum_of_each_level_as_the_law_sets_it() {
        use AgencyLevel::{Commune, Province};
        use Every::{Month, Week};
        use OnHoliday::{NextWorkingDay, SameWeek, Skip};
        // (level, every, on holiday, week of the month, expected, source)
        let table = [
            (Commune, Week, NextWorkingDay, 1, Ok(()), "Law 42/2013 Art. 15(2)(d): one day a week"),
            (Commune, Week, SameWeek, 1, Ok(()), "Art. 15(2)(d): kept inside its own week"),
            (
                Commune,
                Week,
                Skip,
                1,
                Err(BelowMinimum::CommuneSkipsHolidays),
                "Art. 15(2)(d): a holiday empties the week",
            ),
            (
                Commune,
                Month,
                NextWorkingDay,
                1,
                Err(BelowMinimum::CommuneMonthly),
                "Art. 15(2)(d): not weekly",
            ),
            (Commune, Month, Skip, 2, Err(BelowMinimum::CommuneMonthly), "Art. 15(2)(d): not weekly"),
            (Province, Week, Skip, 1, Ok(()), "Art. 12(5): one day a month, four chances a month"),
            (Province, Week, SameWeek, 1, Ok(()), "Art. 12(5)"),
            (Province, Month, NextWorkingDay, 1, Ok(()), "Art. 12(5): moved, never dropped"),
            (
                Province,
                Month,
                NextWorkingDay,
                3,
                Ok(()),
                "Art. 12(5): the 21st at the latest, still its month",
            ),
            (
                Province,
                Month,
                NextWorkingDay,
                4,
                Err(BelowMinimum::ProvinceMonthCanBeEmpty),
                "Art. 12(5): Tết can carry it over",
            ),
            (
                Province,
                Month,
                Skip,
                1,
                Err(BelowMinimum::ProvinceMonthCanBeEmpty),
                "Art. 12(5): a holiday drops the month",
            ),
            (
                Province,
                Month,
                SameWeek,
                2,
                Err(BelowMinimum::ProvinceMonthCanBeEmpty),
                "Art. 12(5): a Tết week drops it",
            ),
        ];
        for (level, every, on_holiday, week, expected, why) in table {
            assert_eq!(
                minimum_met(level, &rule(every, on_holiday, week)),
                expected,
                "{level} {every} {on_holiday}: {why}"
            );
        }
    }

    #[test]
    fn only_the_chairman_is_bound_and_only_a_commune_chairman_every_week() {
        let monthly = rule(Every::Month, OnHoliday::Skip, 1);
        assert_eq!(
            shortfall(AgencyLevel::Commune, Role::Chairman, &monthly),
            Some(BelowMinimum::CommuneMonthly)
        );
        assert_eq!(shortfall(AgencyLevel::Commune, Role::UnitHead, &monthly), None);
        assert!(every_week_required(AgencyLevel::Commune, Role::Chairman));
        assert!(!every_week_required(AgencyLevel::Province, Role::Chairman));
        assert!(!every_week_required(AgencyLevel::Commune, Role::UnitHead));
    }

    #[test]
    fn each_message_cites_its_article_in_vietnamese() {
        assert!(BelowMinimum::CommuneMonthly.message().contains("điểm d khoản 2 Điều 15"));
        assert!(BelowMinimum::CommuneSkipsHolidays.message().contains("điểm d khoản 2 Điều 15"));
        assert!(BelowMinimum::ProvinceMonthCanBeEmpty.message().contains("khoản 5 Điều 12"));
        // The refusal says what to do: give a reason.
        let refusal = BelowMinimum::CommuneMonthly.refusal();
        assert!(
            refusal.starts_with(BelowMinimum::CommuneMonthly.message()) && refusal.ends_with("ghi rõ lý do.")
        );
    }

    /// The calendar months of `year` in which a rule gives no session.
    fn empty_months(r: &ScheduleRule, cal: &Calendar, year: i32) -> Vec<u32> {
        let held: Vec<NaiveDate> = occurrences(r, cal, d(year - 1, 12, 1), d(year, 12, 31))
            .into_iter()
            .filter_map(|o| o.date)
            .collect();
        (1..=12).filter(|m| !held.iter().any(|h| h.year() == year && h.month() == *m)).collect()
    }

    #[test]
    fn what_the_province_rule_guards_against_happens_on_the_real_calendar() {
        let cal = Calendar::default();
        // Tết 2028 (Wed 26 Jan): the 4th Tuesday of January, 25 Jan, is in the break and the
        // session goes to February, which then has two while January has none.
        let fourth_tuesday = ScheduleRule {
            weekday: Weekday::Tue,
            every: Every::Month,
            week_of_month: 4,
            on_holiday: OnHoliday::NextWorkingDay,
        };
        assert!(!cal.is_working_day(d(2028, 1, 25)), "Tết 2028 break");
        let lands = place(&fourth_tuesday, &cal, d(2028, 1, 25)).expect("moved, not dropped");
        assert_eq!(lands.month(), 2, "carried into February: {lands}");
        assert_eq!(empty_months(&fourth_tuesday, &cal, 2028), [1]);
        assert!(minimum_met(AgencyLevel::Province, &fourth_tuesday).is_err());

        // New Year's Day 2026 is the first Thursday of January: skipping it leaves January
        // without a session.
        let first_thursday_skip = rule(Every::Month, OnHoliday::Skip, 1);
        assert!(!cal.is_working_day(d(2026, 1, 1)), "New Year's Day, a Thursday");
        assert!(empty_months(&first_thursday_skip, &cal, 2026).contains(&1), "1 Jan 2026 dropped January");

        // Tết 2026 (off Sat 14 – Sun 22 Feb): the week of the 3rd Thursday has no working day.
        let third_thursday_same_week = rule(Every::Month, OnHoliday::SameWeek, 3);
        assert_eq!(place(&third_thursday_same_week, &cal, d(2026, 2, 19)), None);
        assert_eq!(empty_months(&third_thursday_same_week, &cal, 2026), [2]);

        // The rule the province may keep without a reason never leaves a month empty in the
        // calendar's years, for any weekday and any of the first three weeks.
        for weekday in [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri] {
            for week_of_month in 1..=3 {
                let r = ScheduleRule {
                    weekday,
                    every: Every::Month,
                    week_of_month,
                    on_holiday: OnHoliday::NextWorkingDay,
                };
                assert_eq!(minimum_met(AgencyLevel::Province, &r), Ok(()));
                for year in 2025..=2035 {
                    assert_eq!(
                        empty_months(&r, &cal, year),
                        Vec::<u32>::new(),
                        "{weekday} week {week_of_month} {year}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_weekly_commune_schedule_that_skips_leaves_weeks_empty() {
        let cal = Calendar::default();
        // Thursday 30 Apr 2026: skipped, the week of 27 Apr has no session.
        let skip = rule(Every::Week, OnHoliday::Skip, 1);
        assert_eq!(place(&skip, &cal, d(2026, 4, 30)), None);
        assert_eq!(minimum_met(AgencyLevel::Commune, &skip), Err(BelowMinimum::CommuneSkipsHolidays));
    }
}
