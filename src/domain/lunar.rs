//! The Vietnamese lunar calendar (âm lịch).
//!
//! An astronomical conversion after Hồ Ngọc Đức's well-known algorithm: Julian day numbers, mean new
//! moons corrected by the main periodic terms (Meeus), the sun's apparent longitude, and the leap
//! month chosen by the major-term (trung khí) rule: in a lunar year with 13 months, the first month
//! after the 11th month that contains no major term is the leap month and takes the number of the
//! month before it.
//!
//! Everything is computed at the local time zone of Vietnam, **UTC+7** ([`VIETNAM_UTC_OFFSET_HOURS`]),
//! for every year, including years before 1968 when Hà Nội used UTC+8: the register only needs
//! present-day dates, and one zone keeps the calendar consistent. The zone matters: a new moon just
//! before midnight in Vietnam falls on the next day in China (UTC+8), so Tết differs in some years
//! (1985: 21 Jan in Vietnam, 20 Feb in China; 2030: 2 Feb against 3 Feb).
//!
//! The arithmetic is in `f64` and `i64`, so it never panics; years outside what [`NaiveDate`] can hold
//! saturate to [`NaiveDate::MIN`] or [`NaiveDate::MAX`]. The results are checked against published
//! calendars for 1900–2100 or so; far from the present the mean-new-moon series grows inaccurate.

use std::f64::consts::PI;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Vietnam's offset from UTC in hours, the zone of the Vietnamese lunar calendar.
pub const VIETNAM_UTC_OFFSET_HOURS: f64 = 7.0;

/// Julian day number of 0001-01-01 (proleptic Gregorian), the day chrono numbers as day 1 from CE.
const JDN_OF_CE_DAY_ZERO: i64 = 1_721_425;

/// Julian day of the new moon of 1 January 1900 (the epoch of the new-moon series), local noon basis.
const NEW_MOON_EPOCH_JD: f64 = 2_415_021.076_998_695;

/// Mean length of a synodic month in days.
const SYNODIC_MONTH: f64 = 29.530_588_853;

/// A day of the Vietnamese lunar calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LunarDate {
    /// The lunar year, numbered like the solar year in which it mostly falls (Tết 2026 starts lunar 2026).
    pub year: i32,
    /// The month, 1–12; a leap month carries the number of the month before it.
    pub month: u32,
    /// The day of the month, 1–29 or 1–30.
    pub day: u32,
    /// Whether this is the leap month (tháng nhuận) of the year.
    pub leap: bool,
}

/// Converts a solar (Gregorian) date to the Vietnamese lunar date (UTC+7).
pub fn solar_to_lunar(date: NaiveDate) -> LunarDate {
    solar_to_lunar_in_zone(date, VIETNAM_UTC_OFFSET_HOURS)
}

/// Converts a Vietnamese lunar date (UTC+7) to the solar date, or `None` when the date does not exist:
/// a month outside 1–12, a day 0 or past the month's length (29 or 30), or a leap month that the year
/// does not have.
pub fn lunar_to_solar(lunar: LunarDate) -> Option<NaiveDate> {
    lunar_to_solar_in_zone(lunar, VIETNAM_UTC_OFFSET_HOURS)
}

/// Tết Nguyên đán: the first day of the first lunar month of lunar year `year`.
pub fn tet(year: i32) -> NaiveDate {
    match month_start(i64::from(year), 1, false, VIETNAM_UTC_OFFSET_HOURS) {
        Some(jdn) => date_from_jdn_saturating(jdn),
        None => saturated_date_for_year(year),
    }
}

/// Giỗ Tổ Hùng Vương: the 10th day of the 3rd lunar month (the ordinary, not the leap, month).
pub fn hung_kings_day(year: i32) -> NaiveDate {
    match month_start(i64::from(year), 3, false, VIETNAM_UTC_OFFSET_HOURS) {
        Some(jdn) => date_from_jdn_saturating(jdn + 9),
        None => saturated_date_for_year(year),
    }
}

/// Like [`solar_to_lunar`], in a time zone `utc_offset_hours` east of UTC (8.0 gives the Chinese
/// calendar). Kept public to show and test how the zone changes the calendar.
pub fn solar_to_lunar_in_zone(date: NaiveDate, utc_offset_hours: f64) -> LunarDate {
    let zone = utc_offset_hours;
    let day_number = jdn_from_date(date);
    let solar_year = i64::from(date.year());

    let month_start = start_of_month_containing(day_number, zone);

    // Month 11 (the one holding the winter solstice) anchors the count of months.
    let mut a11 = month_eleven_start(solar_year, zone);
    let mut b11 = a11;
    let mut lunar_year;
    if a11 >= month_start {
        lunar_year = solar_year;
        a11 = month_eleven_start(solar_year - 1, zone);
    } else {
        lunar_year = solar_year + 1;
        b11 = month_eleven_start(solar_year + 1, zone);
    }

    let day = day_number - month_start + 1;
    let months_since_eleven = ((month_start - a11) as f64 / 29.0).floor() as i64;
    let mut leap = false;
    let mut month = months_since_eleven + 11;
    if b11 - a11 > 365 {
        let leap_offset = leap_month_offset(a11, zone);
        if months_since_eleven >= leap_offset {
            month = months_since_eleven + 10;
            leap = months_since_eleven == leap_offset;
        }
    }
    if month > 12 {
        month -= 12;
    }
    if month >= 11 && months_since_eleven < 4 {
        lunar_year -= 1;
    }

    LunarDate {
        year: clamp_to_i32(lunar_year),
        // Both are small by construction (1–12 and 1–30).
        month: u32::try_from(month).unwrap_or(1),
        day: u32::try_from(day).unwrap_or(1),
        leap,
    }
}

/// Like [`lunar_to_solar`], in a time zone `utc_offset_hours` east of UTC.
pub fn lunar_to_solar_in_zone(lunar: LunarDate, utc_offset_hours: f64) -> Option<NaiveDate> {
    let zone = utc_offset_hours;
    if lunar.day == 0 || lunar.day > 30 {
        return None;
    }
    let start = month_start(i64::from(lunar.year), lunar.month, lunar.leap, zone)?;
    let length = month_length(start, zone);
    if i64::from(lunar.day) > length {
        return None;
    }
    date_from_jdn(start + i64::from(lunar.day) - 1)
}

/// Julian day number of the first day of the lunar month that contains local day `day_number`.
fn start_of_month_containing(day_number: i64, zone: f64) -> i64 {
    // The mean-moon estimate can be a day off when the true new moon falls near local midnight
    // (2054-05-07: Hồ Ngọc Đức's single correction step yields day 0), so step until it brackets.
    let mut k = ((day_number as f64 - NEW_MOON_EPOCH_JD) / SYNODIC_MONTH).floor() as i64;
    let mut start = new_moon_day(k + 1, zone);
    while start > day_number {
        k -= 1;
        start = new_moon_day(k + 1, zone);
    }
    while new_moon_day(k + 2, zone) <= day_number {
        k += 1;
        start = new_moon_day(k + 1, zone);
    }
    start
}

/// Julian day number of the first day of a lunar month, or `None` if the month does not exist.
fn month_start(lunar_year: i64, month: u32, leap: bool, zone: f64) -> Option<i64> {
    if !(1..=12).contains(&month) || !year_is_representable(lunar_year) {
        return None;
    }
    let month = i64::from(month);
    let (a11, b11) = if month < 11 {
        (month_eleven_start(lunar_year - 1, zone), month_eleven_start(lunar_year, zone))
    } else {
        (month_eleven_start(lunar_year, zone), month_eleven_start(lunar_year + 1, zone))
    };
    let k = (0.5 + (a11 as f64 - NEW_MOON_EPOCH_JD) / SYNODIC_MONTH).floor() as i64;
    let mut offset = (month - 11).rem_euclid(12);
    if b11 - a11 > 365 {
        let leap_offset = leap_month_offset(a11, zone);
        let leap_month = (leap_offset - 2).rem_euclid(12);
        if leap && month != leap_month {
            return None;
        }
        if leap || offset >= leap_offset {
            offset += 1;
        }
    } else if leap {
        return None;
    }
    Some(new_moon_day(k + offset, zone))
}

/// Length in days (29 or 30) of the lunar month starting on `start` (a Julian day number).
fn month_length(start: i64, zone: f64) -> i64 {
    let k = ((start as f64 - NEW_MOON_EPOCH_JD) / SYNODIC_MONTH + 0.5).floor() as i64;
    // `k` is the index of the new moon on `start`; pick the first later new moon to be safe.
    let mut next = new_moon_day(k + 1, zone);
    if next <= start {
        next = new_moon_day(k + 2, zone);
    }
    next - start
}

/// Julian day number of the start of lunar month 11 that holds the winter solstice of `solar_year`.
fn month_eleven_start(solar_year: i64, zone: f64) -> i64 {
    let off = jdn_from_ymd(solar_year, 12, 31) - 2_415_021;
    let k = (off as f64 / SYNODIC_MONTH).floor() as i64;
    let new_moon = new_moon_day(k, zone);
    // Sun longitude sector 9 (270°, the solstice) or later means this new moon is after the solstice.
    if sun_longitude_sector(new_moon, zone) >= 9 { new_moon_day(k - 1, zone) } else { new_moon }
}

/// Months from month 11 (`a11`) to the leap month: the first month without a major term.
fn leap_month_offset(a11: i64, zone: f64) -> i64 {
    let k = ((a11 as f64 - NEW_MOON_EPOCH_JD) / SYNODIC_MONTH + 0.5).floor() as i64;
    let mut i = 1;
    let mut arc = sun_longitude_sector(new_moon_day(k + i, zone), zone);
    loop {
        let last = arc;
        i += 1;
        arc = sun_longitude_sector(new_moon_day(k + i, zone), zone);
        if arc == last || i >= 14 {
            break;
        }
    }
    i - 1
}

/// Local Julian day number of the `k`-th new moon after 1 January 1900.
fn new_moon_day(k: i64, zone: f64) -> i64 {
    (new_moon_julian_day(k) + 0.5 + zone / 24.0).floor() as i64
}

/// Julian day (UT, fractional) of the `k`-th new moon after 1 January 1900 (Meeus, simplified).
fn new_moon_julian_day(k: i64) -> f64 {
    let k = k as f64;
    let t = k / 1236.85;
    let t2 = t * t;
    let t3 = t2 * t;
    let dr = PI / 180.0;
    let mut jd1 = 2_415_020.759_33 + 29.530_588_68 * k + 0.000_117_8 * t2 - 0.000_000_155 * t3;
    jd1 += 0.000_33 * ((166.56 + 132.87 * t - 0.009_173 * t2) * dr).sin();
    let m = 359.2242 + 29.105_356_08 * k - 0.000_033_3 * t2 - 0.000_003_47 * t3; // sun's mean anomaly
    let mpr = 306.0253 + 385.816_918_06 * k + 0.010_730_6 * t2 + 0.000_012_36 * t3; // moon's
    let f = 21.2964 + 390.670_506_46 * k - 0.001_652_8 * t2 - 0.000_002_39 * t3; // argument of latitude
    let mut c1 = (0.1734 - 0.000_393 * t) * (m * dr).sin() + 0.0021 * (2.0 * dr * m).sin();
    c1 = c1 - 0.4068 * (mpr * dr).sin() + 0.0161 * (dr * 2.0 * mpr).sin();
    c1 -= 0.0004 * (dr * 3.0 * mpr).sin();
    c1 = c1 + 0.0104 * (dr * 2.0 * f).sin() - 0.0051 * (dr * (m + mpr)).sin();
    c1 = c1 - 0.0074 * (dr * (m - mpr)).sin() + 0.0004 * (dr * (2.0 * f + m)).sin();
    c1 = c1 - 0.0004 * (dr * (2.0 * f - m)).sin() - 0.0006 * (dr * (2.0 * f + mpr)).sin();
    c1 = c1 + 0.0010 * (dr * (2.0 * f - mpr)).sin() + 0.0005 * (dr * (2.0 * mpr + m)).sin();
    let delta_t = if t < -11.0 {
        0.001 + 0.000_839 * t + 0.000_226_1 * t2 - 0.000_008_45 * t3 - 0.000_000_081 * t * t3
    } else {
        -0.000_278 + 0.000_265 * t + 0.000_262 * t2
    };
    jd1 + c1 - delta_t
}

/// The sun's apparent longitude in radians, 0 to 2π, at Julian day `jd` (UT).
fn sun_longitude(jd: f64) -> f64 {
    let t = (jd - 2_451_545.0) / 36_525.0;
    let t2 = t * t;
    let dr = PI / 180.0;
    let m = 357.529_10 + 35_999.050_30 * t - 0.000_155_9 * t2 - 0.000_000_48 * t * t2;
    let l0 = 280.466_45 + 36_000.769_83 * t + 0.000_303_2 * t2;
    let mut dl = (1.914_600 - 0.004_817 * t - 0.000_014 * t2) * (dr * m).sin();
    dl += (0.019_993 - 0.000_101 * t) * (dr * 2.0 * m).sin() + 0.000_290 * (dr * 3.0 * m).sin();
    let l = (l0 + dl) * dr;
    l - 2.0 * PI * (l / (2.0 * PI)).floor()
}

/// Which of the 12 sectors of 30° the sun is in at the start of local day `day_number`.
fn sun_longitude_sector(day_number: i64, zone: f64) -> i64 {
    (sun_longitude(day_number as f64 - 0.5 - zone / 24.0) / PI * 6.0).floor() as i64
}

/// Julian day number of a date.
fn jdn_from_date(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) + JDN_OF_CE_DAY_ZERO
}

/// Julian day number of a proleptic Gregorian year, month and day (any year).
fn jdn_from_ymd(year: i64, month: i64, day: i64) -> i64 {
    let a = (14 - month) / 12;
    let y = year + 4800 - a;
    let m = month + 12 * a - 3;
    day + (153 * m + 2) / 5 + 365 * y + y.div_euclid(4) - y.div_euclid(100) + y.div_euclid(400) - 32_045
}

/// The date of a Julian day number, if chrono can hold it.
fn date_from_jdn(jdn: i64) -> Option<NaiveDate> {
    i32::try_from(jdn.saturating_sub(JDN_OF_CE_DAY_ZERO)).ok().and_then(NaiveDate::from_num_days_from_ce_opt)
}

/// The date of a Julian day number, saturated to chrono's range.
fn date_from_jdn_saturating(jdn: i64) -> NaiveDate {
    date_from_jdn(jdn).unwrap_or(if jdn < JDN_OF_CE_DAY_ZERO { NaiveDate::MIN } else { NaiveDate::MAX })
}

/// Whether a lunar year's months can be computed without overflow and fit chrono's date range.
fn year_is_representable(lunar_year: i64) -> bool {
    let first = i64::from(NaiveDate::MIN.year()) + 1;
    let last = i64::from(NaiveDate::MAX.year()) - 1;
    (first..=last).contains(&lunar_year)
}

/// The far end of chrono's range for a year it cannot hold.
fn saturated_date_for_year(year: i32) -> NaiveDate {
    if year < 0 { NaiveDate::MIN } else { NaiveDate::MAX }
}

fn clamp_to_i32(value: i64) -> i32 {
    i32::try_from(value).unwrap_or(if value < 0 { i32::MIN } else { i32::MAX })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    fn lunar(year: i32, month: u32, day: u32, leap: bool) -> LunarDate {
        LunarDate { year, month, day, leap }
    }

    /// Leap month of a lunar year, found by scanning its months.
    fn leap_month_of(year: i32) -> Option<u32> {
        (1..=12).find(|&m| lunar_to_solar(lunar(year, m, 1, true)).is_some())
    }

    #[test]
    fn julian_day_numbers_match_known_values() {
        assert_eq!(jdn_from_date(d(2000, 1, 1)), 2_451_545);
        assert_eq!(jdn_from_date(d(1900, 1, 1)), 2_415_021);
        assert_eq!(jdn_from_ymd(2000, 1, 1), 2_451_545);
        assert_eq!(jdn_from_ymd(1900, 1, 1), 2_415_021);
        assert_eq!(date_from_jdn(2_451_545), Some(d(2000, 1, 1)));
    }

    #[test]
    fn tet_2020_to_2035_matches_published_vietnamese_dates() {
        let published = [
            (2020, d(2020, 1, 25)),
            (2021, d(2021, 2, 12)),
            (2022, d(2022, 2, 1)),
            (2023, d(2023, 1, 22)),
            (2024, d(2024, 2, 10)),
            (2025, d(2025, 1, 29)),
            (2026, d(2026, 2, 17)),
            (2027, d(2027, 2, 6)),
            (2028, d(2028, 1, 26)),
            (2029, d(2029, 2, 13)),
            (2030, d(2030, 2, 2)),
            (2031, d(2031, 1, 23)),
            (2032, d(2032, 2, 11)),
            (2033, d(2033, 1, 31)),
            (2034, d(2034, 2, 19)),
            (2035, d(2035, 2, 8)),
        ];
        for (year, date) in published {
            assert_eq!(tet(year), date, "Tết {year}");
            assert_eq!(solar_to_lunar(date), lunar(year, 1, 1, false), "{date}");
        }
    }

    #[test]
    fn tet_of_earlier_years_matches_known_vietnamese_dates() {
        let known = [
            (1968, d(1968, 1, 29)), // Tết Mậu Thân, a day before China's 30 Jan
            (1985, d(1985, 1, 21)),
            (2000, d(2000, 2, 5)),
            (2007, d(2007, 2, 17)), // China: 18 Feb
            (2010, d(2010, 2, 14)),
            (2015, d(2015, 2, 19)),
            (2019, d(2019, 2, 5)),
        ];
        for (year, date) in known {
            assert_eq!(tet(year), date, "Tết {year}");
        }
    }

    #[test]
    fn vietnam_and_china_differ_where_the_new_moon_is_near_midnight() {
        // 1985: Vietnam 21 Jan, China 20 Feb (month 11/12 fall differently around the solstice).
        assert_eq!(lunar_to_solar_in_zone(lunar(1985, 1, 1, false), 7.0), Some(d(1985, 1, 21)));
        assert_eq!(lunar_to_solar_in_zone(lunar(1985, 1, 1, false), 8.0), Some(d(1985, 2, 20)));
        // 2030: new moon 2 Feb 23:07 in Hà Nội, 3 Feb 00:07 in Beijing.
        assert_eq!(lunar_to_solar_in_zone(lunar(2030, 1, 1, false), 8.0), Some(d(2030, 2, 3)));
        assert_eq!(solar_to_lunar_in_zone(d(2030, 2, 2), 8.0), lunar(2029, 12, 30, false));
        assert_eq!(solar_to_lunar(d(2030, 2, 2)), lunar(2030, 1, 1, false));
        // 2007: Vietnam 17 Feb, China 18 Feb.
        assert_eq!(lunar_to_solar_in_zone(lunar(2007, 1, 1, false), 8.0), Some(d(2007, 2, 18)));
    }

    #[test]
    fn hung_kings_day_matches_the_domain_table() {
        use chrono::Weekday::*;
        // (year, Tết, its weekday, Giỗ Tổ, its weekday), as in domain.md §9.
        let table = [
            (2025, d(2025, 1, 29), Wed, d(2025, 4, 7), Mon),
            (2026, d(2026, 2, 17), Tue, d(2026, 4, 26), Sun),
            (2027, d(2027, 2, 6), Sat, d(2027, 4, 16), Fri),
            (2028, d(2028, 1, 26), Wed, d(2028, 4, 4), Tue),
            (2029, d(2029, 2, 13), Tue, d(2029, 4, 23), Mon),
            (2030, d(2030, 2, 2), Sat, d(2030, 4, 12), Fri),
        ];
        for (year, tet_date, tet_weekday, gio_to, gio_to_weekday) in table {
            assert_eq!((tet(year), tet_date.weekday()), (tet_date, tet_weekday), "Tết {year}");
            assert_eq!(hung_kings_day(year), gio_to, "Giỗ Tổ {year}");
            assert_eq!(gio_to.weekday(), gio_to_weekday, "Giỗ Tổ {year}");
            assert_eq!(solar_to_lunar(gio_to), lunar(year, 3, 10, false));
        }
    }

    #[test]
    fn hung_kings_day_uses_the_ordinary_third_month_in_a_year_with_leap_third_month() {
        // 2031 has a leap 3rd month; Giỗ Tổ is in the ordinary one, before it.
        assert_eq!(leap_month_of(2031), Some(3));
        let ordinary = hung_kings_day(2031);
        let leap = lunar_to_solar(lunar(2031, 3, 10, true)).expect("leap 3rd month exists in 2031");
        assert!(ordinary < leap);
        assert!(matches!((leap - ordinary).num_days(), 29 | 30));
        assert_eq!(ordinary, d(2031, 4, 1));
    }

    #[test]
    fn known_leap_months() {
        let known = [
            (2012, 4),
            (2014, 9),
            (2017, 6),
            (2020, 4),
            (2023, 2),
            (2025, 6),
            (2028, 5),
            (2031, 3),
            (2033, 11),
            (2036, 6),
        ];
        for (year, month) in known {
            assert_eq!(leap_month_of(year), Some(month), "leap month of {year}");
        }
        for year in [2021, 2022, 2024, 2026, 2027, 2029, 2030] {
            assert_eq!(leap_month_of(year), None, "{year} has no leap month");
        }
    }

    #[test]
    fn leap_months_follow_their_ordinary_month() {
        // 2025: leap 6th month began 25 Jul 2025, after the ordinary 6th month from 25 Jun.
        assert_eq!(lunar_to_solar(lunar(2025, 6, 1, false)), Some(d(2025, 6, 25)));
        assert_eq!(lunar_to_solar(lunar(2025, 6, 1, true)), Some(d(2025, 7, 25)));
        assert_eq!(solar_to_lunar(d(2025, 7, 25)), lunar(2025, 6, 1, true));
        assert_eq!(solar_to_lunar(d(2025, 8, 23)), lunar(2025, 7, 1, false));
        // 2023: leap 2nd month from 22 Mar 2023.
        assert_eq!(solar_to_lunar(d(2023, 3, 22)), lunar(2023, 2, 1, true));
        // 2020: leap 4th month from 23 May 2020.
        assert_eq!(solar_to_lunar(d(2020, 5, 23)), lunar(2020, 4, 1, true));
    }

    #[test]
    fn leap_eleventh_month_of_2033_belongs_to_lunar_2033() {
        let ordinary = lunar_to_solar(lunar(2033, 11, 1, false)).expect("month 11 of 2033");
        let leap = lunar_to_solar(lunar(2033, 11, 1, true)).expect("leap month 11 of 2033");
        assert_eq!(ordinary, d(2033, 11, 22));
        assert_eq!(leap, d(2033, 12, 22));
        assert_eq!(solar_to_lunar(d(2034, 1, 1)), lunar(2033, 11, 11, true));
        let twelfth = lunar_to_solar(lunar(2033, 12, 1, false)).expect("month 12 of 2033");
        assert_eq!(twelfth, d(2034, 1, 20));
        assert_eq!(tet(2034), d(2034, 2, 19));
    }

    #[test]
    fn nonexistent_lunar_dates_are_none() {
        assert_eq!(lunar_to_solar(lunar(2026, 5, 1, true)), None, "no leap month in 2026");
        assert_eq!(lunar_to_solar(lunar(2025, 5, 1, true)), None, "2025 leap is 6, not 5");
        assert_eq!(lunar_to_solar(lunar(2026, 0, 1, false)), None);
        assert_eq!(lunar_to_solar(lunar(2026, 13, 1, false)), None);
        assert_eq!(lunar_to_solar(lunar(2026, 1, 0, false)), None);
        assert_eq!(lunar_to_solar(lunar(2026, 1, 31, false)), None);
        // The 12th month of Ất Tỵ (lunar 2025) has 29 days: Tết 2026 is the day after the 29th.
        assert_eq!(lunar_to_solar(lunar(2025, 12, 29, false)), Some(d(2026, 2, 16)));
        assert_eq!(lunar_to_solar(lunar(2025, 12, 30, false)), None);
    }

    #[test]
    fn new_moon_two_minutes_after_local_midnight_starts_the_next_day() {
        // The true new moon of May 2054 is just after 00:00 on 8 May in Hà Nội; the mean-moon
        // estimate alone picked the wrong month and produced "day 0" for 7 May.
        assert_eq!(solar_to_lunar(d(2054, 5, 7)), lunar(2054, 3, 30, false));
        assert_eq!(solar_to_lunar(d(2054, 5, 8)), lunar(2054, 4, 1, false));
        assert_eq!(lunar_to_solar(lunar(2054, 3, 30, false)), Some(d(2054, 5, 7)));
    }

    #[test]
    fn year_boundaries() {
        // New Year's Eve and Tết.
        assert_eq!(solar_to_lunar(d(2026, 2, 16)), lunar(2025, 12, 29, false));
        assert_eq!(solar_to_lunar(d(2026, 2, 17)), lunar(2026, 1, 1, false));
        // Solar New Year falls in the previous lunar year's month 11 or 12.
        assert_eq!(solar_to_lunar(d(2026, 1, 1)), lunar(2025, 11, 13, false));
        assert_eq!(solar_to_lunar(d(2025, 12, 31)), lunar(2025, 11, 12, false));
        assert_eq!(solar_to_lunar(d(2024, 12, 31)), lunar(2024, 12, 1, false));
        assert_eq!(solar_to_lunar(d(2025, 1, 1)), lunar(2024, 12, 2, false));
        assert_eq!(solar_to_lunar(d(2025, 1, 28)), lunar(2024, 12, 29, false));
    }

    #[test]
    fn every_day_from_1950_to_2100_round_trips_and_advances_by_one() {
        let mut date = d(1950, 1, 1);
        let mut previous = solar_to_lunar(date);
        while date < d(2100, 12, 31) {
            date = date.succ_opt().expect("in range");
            let current = solar_to_lunar(date);
            assert_eq!(lunar_to_solar(current), Some(date), "{date} -> {current:?}");
            if current.day == 1 {
                assert!(previous.day == 29 || previous.day == 30, "{date}: {previous:?}");
                if current.month == 1 && !current.leap {
                    assert_eq!(current.year, previous.year + 1, "{date}");
                    assert_eq!(previous.month, 12);
                } else if current.leap {
                    assert_eq!(current.month, previous.month, "{date}");
                } else {
                    assert_eq!(current.month, previous.month + 1, "{date}");
                }
            } else {
                assert_eq!(current.day, previous.day + 1, "{date}");
                assert_eq!((current.month, current.leap), (previous.month, previous.leap));
            }
            previous = current;
        }
    }

    #[test]
    fn tet_is_always_between_21_january_and_20_february() {
        for year in 1900..=2199 {
            let date = tet(year);
            assert_eq!(date.year(), year);
            assert!(date >= d(year, 1, 21) && date <= d(year, 2, 20), "Tết {year}: {date}");
        }
    }

    #[test]
    fn extreme_years_do_not_panic() {
        for year in [i32::MIN, -300_000, -5000, 0, 5000, 300_000, i32::MAX] {
            let _ = tet(year);
            let _ = hung_kings_day(year);
            let _ = lunar_to_solar(lunar(year, 12, 30, true));
        }
        let _ = solar_to_lunar(NaiveDate::MIN);
        let _ = solar_to_lunar(NaiveDate::MAX);
    }

    proptest! {
        #[test]
        fn solar_to_lunar_to_solar_round_trips(days in 0i64..(400 * 366)) {
            let date = d(1900, 1, 1) + chrono::Duration::days(days);
            let lunar_date = solar_to_lunar(date);
            prop_assert_eq!(lunar_to_solar(lunar_date), Some(date));
        }

        #[test]
        fn lunar_to_solar_to_lunar_round_trips(
            year in 1900i32..2300,
            month in 1u32..=12,
            day in 1u32..=30,
            leap in any::<bool>(),
        ) {
            let input = lunar(year, month, day, leap);
            if let Some(date) = lunar_to_solar(input) {
                prop_assert_eq!(solar_to_lunar(date), input);
            } else {
                // Only a 30th day or an absent leap month may be missing.
                prop_assert!(day == 30 || leap);
            }
        }
    }
}
