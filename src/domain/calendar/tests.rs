use super::*;
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
}

fn admin(date: NaiveDate, kind: DayKind, name: &str) -> SpecialDay {
    SpecialDay { date, kind, name: name.to_owned(), source: DaySource::Admin }
}

fn summary(days: &[SpecialDay]) -> Vec<(NaiveDate, DayKind, &str, DaySource)> {
    days.iter().map(|day| (day.date, day.kind, day.name.as_str(), day.source)).collect()
}

fn skipped_dates(due: &DueDate) -> Vec<NaiveDate> {
    due.skipped.iter().map(|skipped| skipped.date).collect()
}

#[test]
fn special_days_of_2026_as_published_plus_computed_national_day() {
    use DayKind::*;
    use DaySource::*;
    let calendar = Calendar::default();
    let expected = vec![
        (d(2026, 1, 1), Holiday, "Tết Dương lịch", Published),
        (d(2026, 1, 2), DayOff, "Nghỉ bù Tết Dương lịch (hoán đổi, làm bù thứ Bảy 10/01/2026)", Published),
        (d(2026, 1, 10), WorkingDay, "Làm bù ngày 02/01/2026", Published),
        (d(2026, 2, 16), Holiday, "Tết Nguyên đán", Published),
        (d(2026, 2, 17), Holiday, "Tết Nguyên đán", Published),
        (d(2026, 2, 18), Holiday, "Tết Nguyên đán", Published),
        (d(2026, 2, 19), Holiday, "Tết Nguyên đán", Published),
        (d(2026, 2, 20), Holiday, "Tết Nguyên đán", Published),
        (d(2026, 4, 26), Holiday, "Giỗ Tổ Hùng Vương", Published),
        (d(2026, 4, 27), DayOff, "Nghỉ bù Giỗ Tổ Hùng Vương", Published),
        (d(2026, 4, 30), Holiday, "Ngày Giải phóng miền Nam, thống nhất đất nước", Published),
        (d(2026, 5, 1), Holiday, "Ngày Quốc tế Lao động", Published),
        (d(2026, 9, 1), Holiday, "Quốc khánh (ngày liền kề)", Computed),
        (d(2026, 9, 2), Holiday, "Quốc khánh", Computed),
    ];
    assert_eq!(summary(&calendar.special_days(2026)), expected);
}

#[test]
fn every_day_of_2026_is_working_or_not_as_scheduled() {
    let calendar = Calendar::default();
    let closed_weekdays = [
        d(2026, 1, 1),
        d(2026, 1, 2),
        d(2026, 2, 16),
        d(2026, 2, 17),
        d(2026, 2, 18),
        d(2026, 2, 19),
        d(2026, 2, 20),
        d(2026, 4, 27),
        d(2026, 4, 30),
        d(2026, 5, 1),
        d(2026, 9, 1),
        d(2026, 9, 2),
    ];
    let working_weekend_days = [d(2026, 1, 10)];
    let mut working_days = 0;
    for date in d(2026, 1, 1).iter_days().take_while(|date| date.year() == 2026) {
        let expected = if working_weekend_days.contains(&date) {
            true
        } else {
            !is_weekend(date) && !closed_weekdays.contains(&date)
        };
        assert_eq!(calendar.is_working_day(date), expected, "{date}");
        assert_eq!(calendar.non_working_reason(date).is_none(), expected, "{date}");
        working_days += i32::from(expected);
    }
    // 261 weekdays in 2026, 12 of them closed, plus one working Saturday.
    assert_eq!(working_days, 261 - 12 + 1);
    assert_eq!(calendar.working_days_between(d(2025, 12, 31), d(2026, 12, 31)), 250);
}

#[test]
fn swapped_new_year_days_of_2026() {
    let calendar = Calendar::default();
    assert!(!calendar.is_working_day(d(2026, 1, 2)));
    assert!(calendar.is_working_day(d(2026, 1, 10)));
    assert!(!calendar.is_working_day(d(2026, 1, 3)));
    assert!(!calendar.is_working_day(d(2026, 1, 4)));
    assert!(!calendar.is_working_day(d(2026, 1, 11)));
    assert_eq!(
        calendar.non_working_reason(d(2026, 1, 2)).as_deref(),
        Some("Nghỉ bù Tết Dương lịch (hoán đổi, làm bù thứ Bảy 10/01/2026)")
    );
    assert_eq!(calendar.non_working_reason(d(2026, 1, 10)), None);
    assert_eq!(calendar.non_working_reason(d(2026, 1, 3)).as_deref(), Some("Thứ Bảy"));
    assert_eq!(calendar.non_working_reason(d(2026, 1, 4)).as_deref(), Some("Chủ nhật"));
}

#[test]
fn computed_defaults_of_2025_match_the_schedule_that_was_applied() {
    // 2025 has no published rows, so these are the computed defaults: 1 Jan; Tết 28 Jan – 1 Feb
    // (29 Chạp to mùng 4, Tết on Wed 29 Jan) with Mon 3 Feb off for the Saturday; Giỗ Tổ Mon 7 Apr;
    // 30 Apr Wed; 1 May Thu; 1–2 Sep Mon–Tue. The holidays match what was applied; the 2025 swaps
    // of whole days for Saturdays would need published rows.
    use DayKind::*;
    let calendar = Calendar::default();
    let days: Vec<(NaiveDate, DayKind)> =
        calendar.special_days(2025).into_iter().map(|day| (day.date, day.kind)).collect();
    assert_eq!(
        days,
        vec![
            (d(2025, 1, 1), Holiday),
            (d(2025, 1, 28), Holiday),
            (d(2025, 1, 29), Holiday),
            (d(2025, 1, 30), Holiday),
            (d(2025, 1, 31), Holiday),
            (d(2025, 2, 1), Holiday),
            (d(2025, 2, 3), DayOff),
            (d(2025, 4, 7), Holiday),
            (d(2025, 4, 30), Holiday),
            (d(2025, 5, 1), Holiday),
            (d(2025, 9, 1), Holiday),
            (d(2025, 9, 2), Holiday),
        ]
    );
    assert_eq!(calendar.non_working_reason(d(2025, 2, 3)).as_deref(), Some("Nghỉ bù Tết Nguyên đán"));
}

#[test]
fn national_day_adjacent_day_by_weekday() {
    let calendar = Calendar::default();
    let national_day_break = |year| -> Vec<(NaiveDate, DayKind)> {
        calendar
            .special_days(year)
            .into_iter()
            .filter(|day| day.date.month() == 9)
            .map(|day| (day.date, day.kind))
            .collect()
    };
    use DayKind::*;
    // 2021 Thu: 2–3 Sep. 2022 Fri: 1–2. 2023 Sat: 1–2 with Mon 4 off. 2024 Mon: 2–3. 2025 Tue: 1–2.
    // 2026 Wed: 1–2 (unverified). 2027 Thu: 2–3. 2029 Sun: 2–3 with Tue 4 off.
    let table = [
        (2021, vec![(d(2021, 9, 2), Holiday), (d(2021, 9, 3), Holiday)]),
        (2022, vec![(d(2022, 9, 1), Holiday), (d(2022, 9, 2), Holiday)]),
        (2023, vec![(d(2023, 9, 1), Holiday), (d(2023, 9, 2), Holiday), (d(2023, 9, 4), DayOff)]),
        (2024, vec![(d(2024, 9, 2), Holiday), (d(2024, 9, 3), Holiday)]),
        (2025, vec![(d(2025, 9, 1), Holiday), (d(2025, 9, 2), Holiday)]),
        (2026, vec![(d(2026, 9, 1), Holiday), (d(2026, 9, 2), Holiday)]),
        (2027, vec![(d(2027, 9, 2), Holiday), (d(2027, 9, 3), Holiday)]),
        (2029, vec![(d(2029, 9, 2), Holiday), (d(2029, 9, 3), Holiday), (d(2029, 9, 4), DayOff)]),
    ];
    for (year, expected) in table {
        assert_eq!(national_day_break(year), expected, "{year}");
    }
}

#[test]
fn compensatory_days_for_holidays_on_weekends() {
    let calendar = Calendar::default();
    // 2023: Giỗ Tổ Sat 29 Apr and 30 Apr Sun, 1 May Mon: days off Tue 2 and Wed 3 May, as applied.
    let spring: Vec<(NaiveDate, DayKind, String)> = calendar
        .special_days(2023)
        .into_iter()
        .filter(|day| matches!(day.date.month(), 4 | 5))
        .map(|day| (day.date, day.kind, day.name))
        .collect();
    assert_eq!(
        spring,
        vec![
            (d(2023, 4, 29), DayKind::Holiday, HUNG_KINGS.to_owned()),
            (d(2023, 4, 30), DayKind::Holiday, REUNIFICATION_DAY.to_owned()),
            (d(2023, 5, 1), DayKind::Holiday, LABOUR_DAY.to_owned()),
            (d(2023, 5, 2), DayKind::DayOff, "Nghỉ bù Giỗ Tổ Hùng Vương".to_owned()),
            (
                d(2023, 5, 3),
                DayKind::DayOff,
                "Nghỉ bù Ngày Giải phóng miền Nam, thống nhất đất nước".to_owned()
            ),
        ]
    );
    // 1 Jan 2028 is a Saturday: Monday 3 Jan off.
    let new_year_2028 = calendar.special_days(2028);
    assert_eq!(new_year_2028[1].date, d(2028, 1, 3));
    assert_eq!(new_year_2028[1].name, "Nghỉ bù Tết Dương lịch");
    // 2027: Tết Sat 6 Feb; computed 5 Feb – 9 Feb holds Sat and Sun: Wed 10 and Thu 11 Feb off.
    let tet_2027: Vec<(NaiveDate, DayKind)> = calendar
        .special_days(2027)
        .into_iter()
        .filter(|day| day.date.month() == 2)
        .map(|day| (day.date, day.kind))
        .collect();
    assert_eq!(
        tet_2027,
        vec![
            (d(2027, 2, 5), DayKind::Holiday),
            (d(2027, 2, 6), DayKind::Holiday),
            (d(2027, 2, 7), DayKind::Holiday),
            (d(2027, 2, 8), DayKind::Holiday),
            (d(2027, 2, 9), DayKind::Holiday),
            (d(2027, 2, 10), DayKind::DayOff),
            (d(2027, 2, 11), DayKind::DayOff),
        ]
    );
}

#[test]
fn admin_entries_win_over_published_and_computed() {
    let calendar = Calendar::new(vec![
        // The computed adjacent National Day of 2026 turns out to be 3 Sep, not 1 Sep.
        admin(d(2026, 9, 1), DayKind::WorkingDay, "Làm việc bình thường"),
        admin(d(2026, 9, 3), DayKind::Holiday, "Quốc khánh (ngày liền kề)"),
        // A published day off taken back.
        admin(d(2026, 1, 2), DayKind::WorkingDay, "Đi làm"),
        // A local extra day off.
        admin(d(2026, 11, 24), DayKind::Holiday, "Ngày Văn hóa Việt Nam"),
    ]);
    let september: Vec<(NaiveDate, DayKind, DaySource)> = calendar
        .special_days(2026)
        .into_iter()
        .filter(|day| day.date.month() >= 9)
        .map(|day| (day.date, day.kind, day.source))
        .collect();
    assert_eq!(
        september,
        vec![
            (d(2026, 9, 1), DayKind::WorkingDay, DaySource::Admin),
            (d(2026, 9, 2), DayKind::Holiday, DaySource::Computed),
            (d(2026, 9, 3), DayKind::Holiday, DaySource::Admin),
            (d(2026, 11, 24), DayKind::Holiday, DaySource::Admin),
        ]
    );
    assert!(calendar.is_working_day(d(2026, 9, 1)));
    assert!(!calendar.is_working_day(d(2026, 9, 3)));
    // Entries given to `new` are admin entries whatever source they claimed.
    let claimed = Calendar::new(vec![SpecialDay {
        source: DaySource::Computed,
        ..admin(d(2026, 10, 7), DayKind::DayOff, "Nghỉ")
    }]);
    assert!(
        claimed
            .special_days(2026)
            .iter()
            .any(|day| day.date == d(2026, 10, 7) && day.source == DaySource::Admin)
    );
    assert!(calendar.is_working_day(d(2026, 1, 2)));
    assert!(!calendar.is_working_day(d(2026, 11, 24)));
    assert_eq!(calendar.non_working_reason(d(2026, 11, 24)).as_deref(), Some("Ngày Văn hóa Việt Nam"));
    assert_eq!(calendar.special_days(2026).iter().filter(|day| day.date == d(2026, 1, 2)).count(), 1);
}

#[test]
fn compensatory_day_skips_admin_days_and_disappears_with_its_holiday() {
    // 2027-05-01 is a Saturday: computed compensatory day Monday 3 May.
    let plain = Calendar::default();
    assert!(!plain.is_working_day(d(2027, 5, 3)));
    // An admin day off on Monday 3 May pushes the compensatory day to Tuesday 4 May.
    let with_day_off = Calendar::new(vec![admin(d(2027, 5, 3), DayKind::DayOff, "Nghỉ")]);
    assert!(!with_day_off.is_working_day(d(2027, 5, 3)));
    assert!(!with_day_off.is_working_day(d(2027, 5, 4)));
    assert!(with_day_off.is_working_day(d(2027, 5, 5)));
    // An admin working day on the Saturday holiday removes the holiday and its compensation.
    let cancelled = Calendar::new(vec![admin(d(2027, 5, 1), DayKind::WorkingDay, "Làm bù")]);
    assert!(cancelled.is_working_day(d(2027, 5, 1)));
    assert!(cancelled.is_working_day(d(2027, 5, 3)));
}

#[test]
fn working_days_across_tet_2026() {
    let calendar = Calendar::default();
    // From Tue 10 Feb: 11, 12, 13 Feb (3); Tết break 14–22 Feb; 23–27 Feb (8); 2, 3 Mar (10).
    let due = calendar.add_working_days(d(2026, 2, 10), 10);
    assert_eq!(due.due, d(2026, 3, 3));
    let mut expected_skipped: Vec<NaiveDate> = d(2026, 2, 14).iter_days().take(9).collect();
    expected_skipped.extend([d(2026, 2, 28), d(2026, 3, 1)]);
    assert_eq!(skipped_dates(&due), expected_skipped);
    let reasons: Vec<&str> = due.skipped.iter().map(|s| s.reason.as_str()).collect();
    assert_eq!(
        reasons,
        vec![
            "Thứ Bảy",
            "Chủ nhật",
            "Tết Nguyên đán",
            "Tết Nguyên đán",
            "Tết Nguyên đán",
            "Tết Nguyên đán",
            "Tết Nguyên đán",
            "Thứ Bảy",
            "Chủ nhật",
            "Thứ Bảy",
            "Chủ nhật",
        ]
    );
    assert_eq!(calendar.working_days_between(d(2026, 2, 10), d(2026, 3, 3)), 10);
}

#[test]
fn working_day_table() {
    let calendar = Calendar::default();
    // (start, n, due)
    let table = [
        // Start day not counted: Monday + 1 = Tuesday.
        (d(2026, 3, 2), 1, d(2026, 3, 3)),
        // Friday + 1 = Monday.
        (d(2026, 3, 6), 1, d(2026, 3, 9)),
        // A start on a weekend counts from Monday.
        (d(2026, 3, 7), 1, d(2026, 3, 9)),
        // Across the New Year: 30, 31 Dec; 1 Jan holiday, 2 Jan off, weekend; 5, 6, 7 Jan.
        (d(2025, 12, 29), 5, d(2026, 1, 7)),
        // The working Saturday 10 Jan 2026 counts.
        (d(2025, 12, 29), 8, d(2026, 1, 10)),
        (d(2026, 1, 9), 1, d(2026, 1, 10)),
        (d(2026, 1, 10), 1, d(2026, 1, 12)),
        // Giỗ Tổ and its compensatory day, then 30 Apr / 1 May.
        (d(2026, 4, 24), 1, d(2026, 4, 28)),
        (d(2026, 4, 24), 3, d(2026, 5, 4)),
        // Computed National Day 2026 (Tue 1, Wed 2 Sep).
        (d(2026, 8, 31), 1, d(2026, 9, 3)),
        // 3 working days (complaint_decision_send_1) from the Friday before Tết 2026.
        (d(2026, 2, 13), 3, d(2026, 2, 25)),
        // 7 working days (denunciation_intake) over the year boundary 2026/2027.
        (d(2026, 12, 28), 7, d(2027, 1, 7)),
    ];
    for (start, n, expected) in table {
        let due = calendar.add_working_days(start, n);
        assert_eq!(due.due, expected, "{start} + {n} working days");
        assert_eq!(calendar.working_days_between(start, due.due), i64::from(n));
    }
}

#[test]
fn calendar_day_table() {
    let calendar = Calendar::default();
    // (start, n, due, rolled over)
    let table = [
        // Lands on a working day: no roll.
        (d(2026, 3, 2), 30, d(2026, 4, 1), vec![]),
        // Lands on Saturday 28 Feb: rolls to Monday 2 Mar.
        (d(2026, 1, 29), 30, d(2026, 3, 2), vec![d(2026, 2, 28), d(2026, 3, 1)]),
        // Lands in Tết 2026 (Thu 19 Feb): rolls over 19–22 Feb to Monday 23 Feb.
        (
            d(2026, 1, 20),
            30,
            d(2026, 2, 23),
            vec![d(2026, 2, 19), d(2026, 2, 20), d(2026, 2, 21), d(2026, 2, 22)],
        ),
        // Lands on the working Saturday 10 Jan 2026: due that day.
        (d(2025, 12, 11), 30, d(2026, 1, 10), vec![]),
        // Lands on Sunday 26 Apr 2026 (Giỗ Tổ): rolls over it and Monday's day off.
        (d(2026, 4, 19), 7, d(2026, 4, 28), vec![d(2026, 4, 26), d(2026, 4, 27)]),
        // Year boundary: 45 days from 1 Dec 2026 is Fri 15 Jan 2027.
        (d(2026, 12, 1), 45, d(2027, 1, 15), vec![]),
        // Lands on 1 Jan 2027 (Friday holiday), then the weekend: Monday 4 Jan.
        (d(2026, 12, 2), 30, d(2027, 1, 4), vec![d(2027, 1, 1), d(2027, 1, 2), d(2027, 1, 3)]),
    ];
    for (start, n, expected, rolled) in table {
        let due = calendar.add_calendar_days(start, n);
        assert_eq!(due.due, expected, "{start} + {n} days");
        assert_eq!(skipped_dates(&due), rolled, "{start} + {n} days");
    }
}

#[test]
fn zero_days_and_next_working_day() {
    let calendar = Calendar::default();
    assert_eq!(calendar.next_working_day_on_or_after(d(2026, 3, 4)), d(2026, 3, 4));
    assert_eq!(calendar.next_working_day_on_or_after(d(2026, 2, 14)), d(2026, 2, 23));
    assert_eq!(calendar.add_working_days(d(2026, 2, 14), 0).due, d(2026, 2, 23));
    assert_eq!(calendar.add_working_days(d(2026, 2, 14), 0).skipped.len(), 9);
    assert_eq!(calendar.add_calendar_days(d(2026, 3, 4), 0).due, d(2026, 3, 4));
}

#[test]
fn working_days_between_is_signed_and_excludes_the_start() {
    let calendar = Calendar::default();
    assert_eq!(calendar.working_days_between(d(2026, 3, 2), d(2026, 3, 2)), 0);
    assert_eq!(calendar.working_days_between(d(2026, 3, 2), d(2026, 3, 9)), 5);
    assert_eq!(calendar.working_days_between(d(2026, 3, 9), d(2026, 3, 2)), -5);
    assert_eq!(calendar.working_days_between(d(2026, 2, 13), d(2026, 2, 22)), 0);
}

#[test]
fn dates_outside_the_table_use_the_same_rules() {
    let calendar = Calendar::default();
    // 1985: Tết Mon 21 Jan; the computed break is Sun 20 – Thu 24 Jan with Friday 25 off.
    assert!(!calendar.is_working_day(d(1985, 1, 21)));
    assert!(!calendar.is_working_day(d(1985, 1, 25)));
    assert_eq!(calendar.non_working_reason(d(1985, 1, 25)).as_deref(), Some("Nghỉ bù Tết Nguyên đán"));
    assert!(calendar.is_working_day(d(1985, 1, 28)));
    // 2101 and the table's edge.
    assert_eq!(calendar.add_working_days(d(2100, 12, 30), 3).due, d(2101, 1, 5));
    assert_eq!(calendar.working_days_between(d(2100, 12, 30), d(2101, 1, 5)), 3);
    assert_eq!(calendar.working_days_between(d(1989, 12, 29), d(1990, 1, 3)), 2);
    // Admin entries outside the table apply too.
    let with_admin = Calendar::new(vec![admin(d(2150, 3, 3), DayKind::DayOff, "Nghỉ")]);
    assert!(!with_admin.is_working_day(d(2150, 3, 3)));
    assert_eq!(with_admin.special_days(2150).len(), calendar.special_days(2150).len() + 1);
}

#[test]
fn table_and_on_the_fly_computation_agree() {
    let calendar = Calendar::default();
    for year in [1990, 2000, 2024, 2026, 2033, 2100] {
        for date in d(year, 1, 1).iter_days().take_while(|date| date.year() == year) {
            let on_the_fly = YearCache {
                calendar: &calendar,
                year: Some((year, year_special_days(year, &calendar.admin))),
            };
            let expected = match on_the_fly.year.as_ref().and_then(|(_, m)| m.get(&date)) {
                Some(day) => !day.kind.is_day_off(),
                None => !is_weekend(date),
            };
            assert_eq!(calendar.is_working_day(date), expected, "{date}");
        }
    }
}

#[test]
fn every_year_has_eleven_statutory_holidays_and_sane_days() {
    let calendar = Calendar::default();
    for year in TABLE_FIRST_YEAR..=TABLE_LAST_YEAR {
        let days = calendar.special_days(year);
        let holiday_names: usize = days
            .iter()
            .filter(|day| day.kind == DayKind::Holiday)
            .map(|day| day.name.split("; ").count())
            .sum();
        assert_eq!(holiday_names, 11, "{year}");
        for day in &days {
            assert_eq!(day.date.year(), year);
            if day.kind == DayKind::DayOff && day.source == DaySource::Computed {
                assert!(!is_weekend(day.date), "{day:?}");
            }
        }
    }
}

#[test]
fn serde_uses_snake_case() {
    let day = SpecialDay {
        date: d(2026, 1, 10),
        kind: DayKind::WorkingDay,
        name: "Làm bù".to_owned(),
        source: DaySource::Published,
    };
    let json = serde_json::to_string(&day).expect("serializes");
    assert_eq!(json, r#"{"date":"2026-01-10","kind":"working_day","name":"Làm bù","source":"published"}"#);
    let back: SpecialDay = serde_json::from_str(&json).expect("deserializes");
    assert_eq!(back, day);
    assert_eq!(serde_json::to_string(&DayKind::DayOff).expect("serializes"), r#""day_off""#);
    for kind in [DayKind::Holiday, DayKind::DayOff, DayKind::WorkingDay] {
        let json = serde_json::to_string(&kind).expect("serializes");
        assert_eq!(json, format!("\"{}\"", kind.as_str()));
        assert_eq!(DayKind::parse(kind.as_str()), Some(kind));
    }
    for source in [DaySource::Computed, DaySource::Published, DaySource::Admin] {
        let json = serde_json::to_string(&source).expect("serializes");
        assert_eq!(json, format!("\"{}\"", source.as_str()));
        assert_eq!(DaySource::parse(source.as_str()), Some(source));
    }
    assert_eq!(DayKind::parse("weekend"), None);
}

#[test]
fn construction_is_fast() {
    let started = std::time::Instant::now();
    let calendar = Calendar::default();
    let elapsed = started.elapsed();
    assert!(calendar.is_working_day(d(2026, 3, 3)));
    // Generous bound: the tests run unoptimized on a shared machine; release is far faster.
    assert!(elapsed.as_millis() < 200, "construction took {elapsed:?}");
}

/// One calendar for all property cases (construction is the slow part in debug builds).
fn shared() -> &'static Calendar {
    static CALENDAR: std::sync::OnceLock<Calendar> = std::sync::OnceLock::new();
    CALENDAR.get_or_init(Calendar::default)
}

fn any_date() -> impl Strategy<Value = NaiveDate> {
    (0i64..(140 * 365)).prop_map(|offset| d(1980, 1, 1) + chrono::Duration::days(offset))
}

proptest! {
    #[test]
    fn working_day_due_is_a_working_day_after_start(start in any_date(), n in 1u32..400) {
        let calendar = shared();
        let due = calendar.add_working_days(start, n);
        prop_assert!(calendar.is_working_day(due.due));
        prop_assert!(due.due > start);
        prop_assert_eq!(calendar.working_days_between(start, due.due), i64::from(n));
        for skipped in &due.skipped {
            prop_assert!(!calendar.is_working_day(skipped.date));
            prop_assert!(skipped.date > start && skipped.date < due.due);
        }
    }

    #[test]
    fn calendar_day_due_is_a_working_day_after_start(start in any_date(), n in 1u32..400) {
        let calendar = shared();
        let due = calendar.add_calendar_days(start, n);
        prop_assert!(calendar.is_working_day(due.due));
        prop_assert!(due.due > start);
        prop_assert!(due.due >= start + chrono::Duration::days(i64::from(n)));
    }

    #[test]
    fn more_days_never_give_an_earlier_due(start in any_date(), n in 0u32..300, extra in 0u32..60) {
        let calendar = shared();
        prop_assert!(
            calendar.add_working_days(start, n + extra).due >= calendar.add_working_days(start, n).due
        );
        prop_assert!(
            calendar.add_calendar_days(start, n + extra).due >= calendar.add_calendar_days(start, n).due
        );
    }

    #[test]
    fn a_later_start_never_gives_an_earlier_due(start in any_date(), later in 0i64..30, n in 0u32..100) {
        let calendar = shared();
        let later_start = start + chrono::Duration::days(later);
        prop_assert!(calendar.add_working_days(later_start, n).due >= calendar.add_working_days(start, n).due);
        prop_assert!(calendar.add_calendar_days(later_start, n).due >= calendar.add_calendar_days(start, n).due);
    }
}
