//! How the working-day calendar is shown: the due-date calculator's answer, the special days of a
//! year, and the outcome of an administrator's change.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    domain::{
        calendar::{
            DayKind, DaySource, DueDate, Skipped, SpecialDay, request::DueDateQuestion, weekday_name,
        },
        deadline::DayUnit,
    },
    service::special_days::{DayChanged, Recomputed},
};

/// A non-working day a count passed over.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SkippedDayView {
    pub date: NaiveDate,
    /// Why it is not a working day: "Thứ Bảy", "Chủ nhật" or the special day's name.
    pub reason: String,
}

impl From<Skipped> for SkippedDayView {
    fn from(s: Skipped) -> Self {
        Self { date: s.date, reason: s.reason }
    }
}

/// The answer of the due-date calculator.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DueDateView {
    /// The day of the starting event (not counted).
    pub start: NaiveDate,
    pub days: u32,
    pub unit: DayUnit,
    /// The last day of the period, a working day.
    pub due: NaiveDate,
    /// The due date's weekday in Vietnamese, e.g. "Thứ Hai".
    pub due_weekday: String,
    /// Every non-working day passed over (working days), or the days rolled over at the end
    /// (calendar days), in date order.
    pub skipped: Vec<SkippedDayView>,
    /// One Vietnamese sentence saying how the date was counted.
    pub explanation: String,
}

fn vn(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

impl DueDateView {
    /// The view of `due`, the answer to `question`.
    pub fn new(question: &DueDateQuestion, due: DueDate) -> Self {
        let weekday = weekday_name(due.due.weekday());
        let mut explanation = format!(
            "{} {} kể từ ngày {} (không tính ngày bắt đầu): hạn là {}, {}",
            question.days,
            question.unit.label_vi(),
            vn(question.start),
            weekday,
            vn(due.due),
        );
        if !due.skipped.is_empty() {
            explanation.push_str(&match question.unit {
                DayUnit::Working => format!("; bỏ qua {} ngày không làm việc", due.skipped.len()),
                DayUnit::Calendar => format!(
                    "; ngày cuối cùng không phải ngày làm việc nên chuyển sang ngày làm việc kế tiếp \
                     (bỏ qua {} ngày)",
                    due.skipped.len()
                ),
            });
        }
        explanation.push('.');
        Self {
            start: question.start,
            days: question.days,
            unit: question.unit,
            due: due.due,
            due_weekday: weekday.to_owned(),
            skipped: due.skipped.into_iter().map(SkippedDayView::from).collect(),
            explanation,
        }
    }
}

/// A special day: a holiday, an extra day off or a swapped-in working day.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SpecialDayView {
    pub date: NaiveDate,
    pub kind: DayKind,
    /// Its Vietnamese name, e.g. "Tết Nguyên đán".
    pub name: String,
    /// `computed` (from the Labour Code and the lunar calendar), `published` (the government's
    /// yearly notice, shipped) or `admin` (entered here; wins over the others).
    pub source: DaySource,
}

impl From<SpecialDay> for SpecialDayView {
    fn from(d: SpecialDay) -> Self {
        Self { date: d.date, kind: d.kind, name: d.name, source: d.source }
    }
}

/// What a change of special days did to the stored due dates.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RecomputedView {
    /// Dates whose working status flipped (the changed date, and a compensatory day it moved).
    pub changed_dates: Vec<NaiveDate>,
    /// Open cases whose due dates moved; each has an event `deadline_recomputed` in its history.
    pub cases: u64,
    /// Clocks whose due date moved.
    pub clocks: u64,
}

impl From<Recomputed> for RecomputedView {
    fn from(r: Recomputed) -> Self {
        Self { changed_dates: r.changed_dates, cases: r.cases, clocks: r.clocks }
    }
}

/// What a change of a date may do, asked before it is made.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DayImpactView {
    pub date: NaiveDate,
    /// Cases with a running clock whose count spans the date: their due dates may move.
    pub open_cases: u64,
    /// `true` when there are more than `open_cases` (counted up to 10,000).
    pub capped: bool,
}

/// The answer to setting or removing an administrator's special day.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DayChangeView {
    pub date: NaiveDate,
    /// The special day now in effect on that date; after a removal the published or computed
    /// default, or `null` for an ordinary day.
    pub in_effect: Option<SpecialDayView>,
    pub recomputed: RecomputedView,
}

impl From<DayChanged> for DayChangeView {
    fn from(c: DayChanged) -> Self {
        Self {
            date: c.date,
            in_effect: c.in_effect.map(SpecialDayView::from),
            recomputed: c.recomputed.into(),
        }
    }
}
