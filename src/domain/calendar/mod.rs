//! The working-day calendar of Vietnamese state bodies (domain.md §9), and day counting.
//!
//! # Layers
//! Every special day comes from one of three layers; a higher layer wins **per date**:
//! 1. **Computed** defaults, for any year (Labour Code 45/2019 Arts. 111–112):
//!    - 1 January, *Tết Dương lịch*;
//!    - *Tết Nguyên đán*, 5 days: the last day of the old lunar year and the first four days of the new
//!      one (the usual split; the Prime Minister fixes the real days each year, Art. 112(3));
//!    - *Giỗ Tổ Hùng Vương*, the 10th day of the 3rd lunar month;
//!    - 30 April and 1 May;
//!    - 2 September and one adjacent day: the day **after** when 2 September is a Monday, Thursday or
//!      Sunday, otherwise the day **before**. This joins the break to a weekend where one is near and
//!      matches recent practice (2021: 2–3 Sep; 2022: 1–2; 2023: 1–2 with Monday 4 off; 2024: 2–3;
//!      2025: 1–2). For a Wednesday (2026) neither side touches a weekend and the day before is a guess;
//!    - a **compensatory day off** (*nghỉ bù*) for each computed holiday on a Saturday or Sunday: the next
//!      Monday–Friday that is not already special (Art. 111(3)). Two holidays on one weekend give two.
//!      Computed holidays that coincide share one date and one name (no extra day: Art. 111(3) only
//!      compensates weekly rest days).
//! 2. **Published** schedules ([`PUBLISHED_DAYS`]), one row per special day from the government's yearly
//!    notice. The rows of one [`Occasion`] in one year replace every computed day of that occasion in
//!    that year, compensatory days included, so a published occasion must list its own days off and
//!    swapped-in working days. Occasions not published (2026's National Day) keep the computed default.
//! 3. **Admin** entries given to [`Calendar::new`], which win over both for their date. Compensatory days
//!    are derived only from computed holidays: an admin who adds a holiday on a weekend adds its day off
//!    too. A computed compensatory day never lands on a date an admin entry names.
//!
//! # Counting (Civil Code 2015 Arts. 145(2), 147(2), 148(5))
//! The start day is not counted. Working days skip weekends, holidays and days off, and count swapped-in
//! working days (a working Saturday). Calendar days add N days and then roll forward to the next working
//! day. Each [`DueDate`] lists the non-working days it passed over.
//!
//! # Performance
//! [`Calendar::new`] precomputes every day of [`TABLE_FIRST_YEAR`]–[`TABLE_LAST_YEAR`] into a dense table
//! (about 40,000 days, 1–2 ms in a release build), so [`Calendar::is_working_day`] is an
//! index lookup and [`Calendar::working_days_between`] a difference of prefix sums. Dates outside the
//! table are computed on the fly from the same rules (correct, just slower).

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::domain::lunar;

pub mod request;

/// First year held in the precomputed day table.
pub const TABLE_FIRST_YEAR: i32 = 1990;
/// Last year held in the precomputed day table.
pub const TABLE_LAST_YEAR: i32 = 2100;

/// Checks that `date` lies in the years the calendar holds ([`TABLE_FIRST_YEAR`]–[`TABLE_LAST_YEAR`]):
/// the widest range any date of a request may take. Outside it there are no holidays to count,
/// PostgreSQL's `date` ends at 4713 BC while chrono goes to ±262143, and a year above 9999 would not
/// print as `YYYY-MM-DD`.
pub fn supported_date(date: NaiveDate) -> Result<NaiveDate, String> {
    if (TABLE_FIRST_YEAR..=TABLE_LAST_YEAR).contains(&date.year()) {
        Ok(date)
    } else {
        Err(format!("Chỉ nhận ngày từ năm {TABLE_FIRST_YEAR} đến năm {TABLE_LAST_YEAR}."))
    }
}

str_enum! {
    /// What kind of special day a date is.
    pub enum DayKind {
        /// A statutory holiday (ngày lễ, tết), Labour Code Art. 112.
        Holiday = "holiday",
        /// An extra day off: compensatory (nghỉ bù) or swapped off (hoán đổi).
        DayOff = "day_off",
        /// A swapped-in working day (làm bù), e.g. a Saturday worked in exchange for a day off.
        WorkingDay = "working_day",
    }
}

impl DayKind {
    /// Whether offices are closed on a day of this kind.
    pub fn is_day_off(self) -> bool {
        !matches!(self, DayKind::WorkingDay)
    }
}

str_enum! {
    /// Where a special day comes from; see the module docs for which wins.
    pub enum DaySource {
        /// Computed from the Labour Code's rules and the lunar calendar.
        Computed = "computed",
        /// Shipped from the government's published yearly schedule ([`PUBLISHED_DAYS`]).
        Published = "published",
        /// Entered by an administrator.
        Admin = "admin",
    }
}

/// One special day: a holiday, an extra day off or a swapped-in working day.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SpecialDay {
    /// The date.
    pub date: NaiveDate,
    /// What kind of day it is.
    pub kind: DayKind,
    /// Its Vietnamese name, e.g. "Tết Nguyên đán", "Nghỉ bù Giỗ Tổ Hùng Vương".
    pub name: String,
    /// Which layer it comes from.
    pub source: DaySource,
}

/// A non-working day that a count passed over, with the reason shown to the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    /// The day passed over.
    pub date: NaiveDate,
    /// Why it is not a working day: the special day's name, or "Thứ Bảy" / "Chủ nhật".
    pub reason: String,
}

/// The result of a count: the due date and the non-working days passed over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueDate {
    /// The last day of the period, always a working day (unless chrono's date range ran out).
    pub due: NaiveDate,
    /// Non-working days passed over in date order: every one in a working-day count; for a
    /// calendar-day count only the days rolled over at the end.
    pub skipped: Vec<Skipped>,
}

/// The holiday occasions of the Labour Code (Art. 112(1)); a published schedule replaces the computed
/// days of each occasion it lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Occasion {
    /// Tết Dương lịch, 1 January.
    NewYear,
    /// Tết Nguyên đán, the lunar new year.
    LunarNewYear,
    /// Giỗ Tổ Hùng Vương, 10th day of the 3rd lunar month.
    HungKings,
    /// Ngày Giải phóng miền Nam, thống nhất đất nước, 30 April.
    ReunificationDay,
    /// Ngày Quốc tế Lao động, 1 May.
    LabourDay,
    /// Quốc khánh, 2 September and an adjacent day.
    NationalDay,
}

/// One row of a published yearly schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublishedDay {
    /// The date.
    pub date: NaiveDate,
    /// What kind of day it is.
    pub kind: DayKind,
    /// Its Vietnamese name.
    pub name: &'static str,
    /// The holiday occasion it belongs to (swapped days belong to the occasion they serve).
    pub occasion: Occasion,
}

const NEW_YEAR: &str = "Tết Dương lịch";
const LUNAR_NEW_YEAR: &str = "Tết Nguyên đán";
const HUNG_KINGS: &str = "Giỗ Tổ Hùng Vương";
const REUNIFICATION_DAY: &str = "Ngày Giải phóng miền Nam, thống nhất đất nước";
const LABOUR_DAY: &str = "Ngày Quốc tế Lao động";
const NATIONAL_DAY: &str = "Quốc khánh";
const NATIONAL_DAY_ADJACENT: &str = "Quốc khánh (ngày liền kề)";
const SATURDAY: &str = "Thứ Bảy";
const SUNDAY: &str = "Chủ nhật";

/// A date in a const table; an impossible date stops the build.
const fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => date,
        None => panic!("invalid date in the published holiday table"),
    }
}

const fn published(date: NaiveDate, kind: DayKind, name: &'static str, occasion: Occasion) -> PublishedDay {
    PublishedDay { date, kind, name, occasion }
}

/// The published schedules, one row per special day (weekends that are simply weekends are not
/// listed). Add each year's rows from the official notice; an occasion with rows here replaces its
/// computed defaults for that year.
///
/// 2026 (domain.md §9): New Year off Thu 1 – Sun 4 Jan with Fri 2 Jan swapped for Sat 10 Jan (letter
/// 12729/VPCP-KGVX of 25 Dec 2025, low confidence); Tết off Sat 14 – Sun 22 Feb, i.e. the five holidays
/// Mon 16 – Fri 20 Feb between two weekends; Giỗ Tổ on Sun 26 Apr with Mon 27 Apr off; 30 Apr and 1 May
/// on Thursday and Friday. National Day 2026 is not published yet (a 5-day break is only proposed), so
/// it stays computed.
pub const PUBLISHED_DAYS: &[PublishedDay] = &[
    published(ymd(2026, 1, 1), DayKind::Holiday, NEW_YEAR, Occasion::NewYear),
    published(
        ymd(2026, 1, 2),
        DayKind::DayOff,
        "Nghỉ bù Tết Dương lịch (hoán đổi, làm bù thứ Bảy 10/01/2026)",
        Occasion::NewYear,
    ),
    published(ymd(2026, 1, 10), DayKind::WorkingDay, "Làm bù ngày 02/01/2026", Occasion::NewYear),
    published(ymd(2026, 2, 16), DayKind::Holiday, LUNAR_NEW_YEAR, Occasion::LunarNewYear),
    published(ymd(2026, 2, 17), DayKind::Holiday, LUNAR_NEW_YEAR, Occasion::LunarNewYear),
    published(ymd(2026, 2, 18), DayKind::Holiday, LUNAR_NEW_YEAR, Occasion::LunarNewYear),
    published(ymd(2026, 2, 19), DayKind::Holiday, LUNAR_NEW_YEAR, Occasion::LunarNewYear),
    published(ymd(2026, 2, 20), DayKind::Holiday, LUNAR_NEW_YEAR, Occasion::LunarNewYear),
    published(ymd(2026, 4, 26), DayKind::Holiday, HUNG_KINGS, Occasion::HungKings),
    published(ymd(2026, 4, 27), DayKind::DayOff, "Nghỉ bù Giỗ Tổ Hùng Vương", Occasion::HungKings),
    published(ymd(2026, 4, 30), DayKind::Holiday, REUNIFICATION_DAY, Occasion::ReunificationDay),
    published(ymd(2026, 5, 1), DayKind::Holiday, LABOUR_DAY, Occasion::LabourDay),
];

/// The Vietnamese name of a weekday ("Thứ Hai" … "Thứ Bảy", "Chủ nhật").
pub fn weekday_name(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Mon => "Thứ Hai",
        Weekday::Tue => "Thứ Ba",
        Weekday::Wed => "Thứ Tư",
        Weekday::Thu => "Thứ Năm",
        Weekday::Fri => "Thứ Sáu",
        Weekday::Sat => SATURDAY,
        Weekday::Sun => SUNDAY,
    }
}

/// Whether a date falls on the weekly rest days, Saturday or Sunday (QĐ 188/1999/QĐ-TTg Art. 1).
pub fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// One day of the precomputed table.
#[derive(Debug, Clone, Copy)]
struct DayEntry {
    working: bool,
    /// Index + 1 into `Calendar::table_special_days`, or 0 for an ordinary day.
    special: u32,
}

/// The working-day calendar: computed defaults, published schedules and admin entries merged.
///
/// Cheap to share (`Send + Sync`, read-only after construction); rebuild it when admin entries change.
#[derive(Debug, Clone)]
pub struct Calendar {
    /// Admin entries by date; the last entry given for a date wins.
    admin: BTreeMap<NaiveDate, SpecialDay>,
    /// 1 January of [`TABLE_FIRST_YEAR`].
    table_start: NaiveDate,
    /// One entry per day from `table_start` to 31 December of [`TABLE_LAST_YEAR`].
    table: Vec<DayEntry>,
    /// `working_prefix[i]`: number of working days among `table[..i]`.
    working_prefix: Vec<u32>,
    /// The special days of the table's years, referenced by `DayEntry::special`.
    table_special_days: Vec<SpecialDay>,
}

impl Default for Calendar {
    /// The calendar without admin entries.
    fn default() -> Self {
        Calendar::new(Vec::new())
    }
}

impl Calendar {
    /// Builds the calendar from the administrator's entries (which win over published and computed
    /// days for their date; of two entries for one date the later wins). Their `source` is set to
    /// [`DaySource::Admin`] whatever it was.
    pub fn new(admin: Vec<SpecialDay>) -> Calendar {
        let admin: BTreeMap<NaiveDate, SpecialDay> =
            admin.into_iter().map(|day| (day.date, SpecialDay { source: DaySource::Admin, ..day })).collect();
        let table_start = ymd(TABLE_FIRST_YEAR, 1, 1);
        let table_end = ymd(TABLE_LAST_YEAR, 12, 31);
        let day_count = usize::try_from((table_end - table_start).num_days() + 1).unwrap_or(0);

        let mut table_special_days = Vec::new();
        let mut special_by_date = BTreeMap::new();
        for year in TABLE_FIRST_YEAR..=TABLE_LAST_YEAR {
            for (date, day) in year_special_days(year, &admin) {
                special_by_date.insert(date, table_special_days.len());
                table_special_days.push(day);
            }
        }

        let mut table = Vec::with_capacity(day_count);
        let mut working_prefix = Vec::with_capacity(day_count + 1);
        let mut working_so_far = 0u32;
        working_prefix.push(working_so_far);
        for date in table_start.iter_days().take(day_count) {
            let special = special_by_date.get(&date).copied();
            let working = match special.map(|index| table_special_days[index].kind) {
                Some(kind) => !kind.is_day_off(),
                None => !is_weekend(date),
            };
            working_so_far += u32::from(working);
            working_prefix.push(working_so_far);
            table.push(DayEntry {
                working,
                special: special.and_then(|index| u32::try_from(index + 1).ok()).unwrap_or(0),
            });
        }

        Calendar { admin, table_start, table, working_prefix, table_special_days }
    }

    /// The special days of a year, merged across the layers and sorted by date. A weekend day that is
    /// simply a weekend is not listed; a computed holiday that an admin turned into a working day is
    /// listed once, as the admin entry.
    pub fn special_days(&self, year: i32) -> Vec<SpecialDay> {
        year_special_days(year, &self.admin).into_values().collect()
    }

    /// Whether offices work on this date: Monday–Friday that is not a holiday or day off, or any day
    /// marked as a swapped-in working day.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        match self.table_index(date) {
            Some(index) => self.table[index].working,
            None => YearCache::new(self).is_working_day(date),
        }
    }

    /// Why offices are closed on this date ("Thứ Bảy", "Chủ nhật" or the special day's name), or
    /// `None` on a working day.
    pub fn non_working_reason(&self, date: NaiveDate) -> Option<String> {
        YearCache::new(self).non_working_reason(date)
    }

    /// The first working day on or after `date` (`date` itself when it is one).
    pub fn next_working_day_on_or_after(&self, date: NaiveDate) -> NaiveDate {
        let mut cache = YearCache::new(self);
        roll_forward(&mut cache, date, &mut Vec::new())
    }

    /// Adds `n` working days to `start` (start day not counted): weekends, holidays and days off are
    /// skipped and listed; swapped-in working days count. With `n = 0` the due date is the first working
    /// day on or after `start`. Stops at [`NaiveDate::MAX`] if chrono's range runs out.
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> DueDate {
        let mut cache = YearCache::new(self);
        let mut skipped = Vec::new();
        if n == 0 {
            let due = roll_forward(&mut cache, start, &mut skipped);
            return DueDate { due, skipped };
        }
        let mut date = start;
        let mut counted = 0;
        while counted < n {
            let Some(next) = date.succ_opt() else { break };
            date = next;
            match cache.non_working_reason(date) {
                None => counted += 1,
                Some(reason) => skipped.push(Skipped { date, reason }),
            }
        }
        DueDate { due: date, skipped }
    }

    /// Adds `n` calendar days to `start` (start day not counted), then rolls a non-working last day
    /// forward to the next working day; only the rolled-over days are listed as skipped.
    pub fn add_calendar_days(&self, start: NaiveDate, n: u32) -> DueDate {
        let last_day = start.checked_add_days(Days::new(u64::from(n))).unwrap_or(NaiveDate::MAX);
        let mut skipped = Vec::new();
        let due = roll_forward(&mut YearCache::new(self), last_day, &mut skipped);
        DueDate { due, skipped }
    }

    /// Working days in the period after `from` up to and including `to`, so that
    /// `working_days_between(a, add_working_days(a, n).due) == n` for `n > 0`. Negative when `to` is
    /// before `from` (e.g. working days overdue).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        if to < from {
            return -self.working_days_between(to, from);
        }
        if let (Some(a), Some(b)) = (self.table_index(from), self.table_index(to)) {
            return i64::from(self.working_prefix[b + 1]) - i64::from(self.working_prefix[a + 1]);
        }
        let mut cache = YearCache::new(self);
        from.iter_days()
            .skip(1)
            .take_while(|date| *date <= to)
            .filter(|date| cache.is_working_day(*date))
            .count() as i64
    }

    /// Index of `date` in the precomputed table, if it is inside.
    fn table_index(&self, date: NaiveDate) -> Option<usize> {
        let offset = usize::try_from((date - self.table_start).num_days()).ok()?;
        (offset < self.table.len()).then_some(offset)
    }

    /// The special day of a date inside the table.
    fn table_special_day(&self, index: usize) -> Option<&SpecialDay> {
        let special = self.table[index].special;
        let position = usize::try_from(special).ok()?.checked_sub(1)?;
        self.table_special_days.get(position)
    }
}

/// Day lookups that use the table when they can and otherwise compute a year's special days once.
struct YearCache<'a> {
    calendar: &'a Calendar,
    year: Option<(i32, BTreeMap<NaiveDate, SpecialDay>)>,
}

impl<'a> YearCache<'a> {
    fn new(calendar: &'a Calendar) -> Self {
        YearCache { calendar, year: None }
    }

    fn special_day(&mut self, date: NaiveDate) -> Option<&SpecialDay> {
        if let Some(index) = self.calendar.table_index(date) {
            return self.calendar.table_special_day(index);
        }
        let year = date.year();
        if self.year.as_ref().is_none_or(|(cached, _)| *cached != year) {
            self.year = Some((year, year_special_days(year, &self.calendar.admin)));
        }
        self.year.as_ref().and_then(|(_, days)| days.get(&date))
    }

    fn is_working_day(&mut self, date: NaiveDate) -> bool {
        if let Some(index) = self.calendar.table_index(date) {
            return self.calendar.table[index].working;
        }
        match self.special_day(date) {
            Some(day) => !day.kind.is_day_off(),
            None => !is_weekend(date),
        }
    }

    fn non_working_reason(&mut self, date: NaiveDate) -> Option<String> {
        if self.is_working_day(date) {
            return None;
        }
        match self.special_day(date) {
            Some(day) => Some(day.name.clone()),
            None => Some(weekday_name(date.weekday()).to_owned()),
        }
    }
}

/// The first working day on or after `date`, recording the days passed over.
fn roll_forward(cache: &mut YearCache<'_>, date: NaiveDate, skipped: &mut Vec<Skipped>) -> NaiveDate {
    let mut date = date;
    while let Some(reason) = cache.non_working_reason(date) {
        skipped.push(Skipped { date, reason });
        match date.succ_opt() {
            Some(next) => date = next,
            None => break,
        }
    }
    date
}

/// A computed holiday before merging.
struct ComputedHoliday {
    occasion: Occasion,
    date: NaiveDate,
    name: &'static str,
}

/// The computed holidays of a year (compensatory days come later), empty for years chrono cannot hold.
fn computed_holidays(year: i32) -> Vec<ComputedHoliday> {
    let date = |month, day| NaiveDate::from_ymd_opt(year, month, day);
    let (Some(new_year), Some(reunification), Some(labour), Some(national)) =
        (date(1, 1), date(4, 30), date(5, 1), date(9, 2))
    else {
        return Vec::new();
    };
    let holiday = |occasion, date, name| ComputedHoliday { occasion, date, name };
    let mut holidays = vec![holiday(Occasion::NewYear, new_year, NEW_YEAR)];
    // Tết: the last day of the old lunar year, then the first four days of the new one.
    let tet = lunar::tet(year);
    let tet_days = tet.pred_opt().into_iter().chain(tet.iter_days().take(4)).filter(|day| day.year() == year);
    holidays.extend(tet_days.map(|day| holiday(Occasion::LunarNewYear, day, LUNAR_NEW_YEAR)));
    let hung_kings = lunar::hung_kings_day(year);
    if hung_kings.year() == year {
        holidays.push(holiday(Occasion::HungKings, hung_kings, HUNG_KINGS));
    }
    holidays.push(holiday(Occasion::ReunificationDay, reunification, REUNIFICATION_DAY));
    holidays.push(holiday(Occasion::LabourDay, labour, LABOUR_DAY));
    holidays.push(holiday(Occasion::NationalDay, national, NATIONAL_DAY));
    let adjacent = match national.weekday() {
        Weekday::Mon | Weekday::Thu | Weekday::Sun => national.succ_opt(),
        _ => national.pred_opt(),
    };
    if let Some(adjacent) = adjacent {
        holidays.push(holiday(Occasion::NationalDay, adjacent, NATIONAL_DAY_ADJACENT));
    }
    holidays
}

/// The merged special days of a year (see the module docs for the layering).
fn year_special_days(year: i32, admin: &BTreeMap<NaiveDate, SpecialDay>) -> BTreeMap<NaiveDate, SpecialDay> {
    let published: Vec<&PublishedDay> = PUBLISHED_DAYS.iter().filter(|row| row.date.year() == year).collect();
    let is_published = |occasion| published.iter().any(|row| row.occasion == occasion);

    let mut days: BTreeMap<NaiveDate, SpecialDay> = BTreeMap::new();
    for holiday in computed_holidays(year) {
        if is_published(holiday.occasion) {
            continue;
        }
        days.entry(holiday.date)
            .and_modify(|day| day.name = format!("{}; {}", day.name, holiday.name))
            .or_insert_with(|| SpecialDay {
                date: holiday.date,
                kind: DayKind::Holiday,
                name: holiday.name.to_owned(),
                source: DaySource::Computed,
            });
    }
    for row in &published {
        days.insert(
            row.date,
            SpecialDay {
                date: row.date,
                kind: row.kind,
                name: row.name.to_owned(),
                source: DaySource::Published,
            },
        );
    }

    // Compensatory days for computed holidays on a weekend, in date order so earlier holidays take
    // the earlier free days.
    let mut compensatory: BTreeMap<NaiveDate, SpecialDay> = BTreeMap::new();
    for holiday in days.values() {
        let still_a_holiday = admin.get(&holiday.date).is_none_or(|entry| entry.kind == DayKind::Holiday);
        if holiday.source != DaySource::Computed
            || holiday.kind != DayKind::Holiday
            || !is_weekend(holiday.date)
            || !still_a_holiday
        {
            continue;
        }
        let is_free = |date: &NaiveDate| {
            !is_weekend(*date)
                && !days.contains_key(date)
                && !compensatory.contains_key(date)
                && !admin.contains_key(date)
        };
        if let Some(day_off) = holiday.date.iter_days().skip(1).find(is_free) {
            compensatory.insert(
                day_off,
                SpecialDay {
                    date: day_off,
                    kind: DayKind::DayOff,
                    name: format!("Nghỉ bù {}", holiday.name),
                    source: DaySource::Computed,
                },
            );
        }
    }
    days.extend(compensatory);

    days.extend(admin.iter().filter(|(date, _)| date.year() == year).map(|(date, day)| (*date, day.clone())));
    // Every computed day lies inside its year (no holiday is late enough in December to spill over);
    // the filter keeps that true for any future rule.
    days.retain(|date, _| date.year() == year);
    days
}

#[cfg(test)]
mod tests;
