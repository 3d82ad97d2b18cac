//! Session-conclusion notices (ND 154/2026 Art. 25(2)–(3)): the head's text and his directives to
//! units, each with a due date kept on a working day, carried out between the session and today;
//! the forms as sent and checked.

use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::period::{RECORD_WINDOW_DAYS, days_after};
use crate::domain::{
    calendar::Calendar,
    input::{BadQuery, Fields, Invalid, supported_date, supported_date_opt},
    page::{PageParams, PageRequest},
    validate::bounded_text,
};

str_enum! {
    /// Where a directive of a session-conclusion notice stands.
    pub enum DirectiveStatus {
        Open = "open",
        Done = "done",
    }
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

/// One directive of a conclusion notice.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DirectiveRequest {
    pub unit_id: i64,
    pub task: String,
    #[serde(deserialize_with = "supported_date")]
    pub due: NaiveDate,
}

/// The session-conclusion notice.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ConclusionRequest {
    pub text: String,
    #[serde(default)]
    pub directives: Vec<DirectiveRequest>,
}

/// A checked directive: its unit and due date are the use case's to check against the agency and
/// the calendar ([`directive_due`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDirective {
    pub unit_id: i64,
    pub task: String,
    pub due: NaiveDate,
}

/// A checked conclusion notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conclusion {
    pub text: String,
    pub directives: Vec<NewDirective>,
}

/// The most directives one notice gives.
pub const MAX_DIRECTIVES: usize = 50;

impl ConclusionRequest {
    /// Checks the text (3–20,000 characters) and each task (3–5,000), at most 50 directives.
    pub fn parse(self) -> Result<Conclusion, Invalid> {
        let mut f = Fields::new();
        let text = f.check("text", bounded_text(&self.text, 3, 20_000));
        if self.directives.len() > MAX_DIRECTIVES {
            f.report("directives", "Tối đa 50 chỉ đạo.");
        }
        let directives = self
            .directives
            .into_iter()
            .enumerate()
            .filter_map(|(i, d)| {
                let task = f.check(&format!("directives[{i}].task"), bounded_text(&d.task, 3, 5000))?;
                Some(NewDirective { unit_id: d.unit_id, task, due: d.due })
            })
            .collect();
        f.done(text.map(|text| Conclusion { text, directives }))
    }
}

/// A directive carried out.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CompleteRequest {
    pub result: String,
    /// Default today.
    #[serde(default, deserialize_with = "supported_date_opt")]
    pub done_on: Option<NaiveDate>,
}

/// A checked completion: the result, and the day (today by default; the use case bounds it by
/// the session's day, [`check_done_on`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub result: String,
    pub done_on: NaiveDate,
}

impl CompleteRequest {
    /// Checks the result (3–20,000 characters).
    pub fn parse(self, today: NaiveDate) -> Result<Completion, Invalid> {
        let result = bounded_text(&self.result, 3, 20_000).map_err(|m| Invalid::field("result", m))?;
        Ok(Completion { result, done_on: self.done_on.unwrap_or(today) })
    }
}

/// Filters of the directive list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DirectiveQuery {
    /// Another unit (chairman, admin); others see their own unit's.
    pub unit_id: Option<i64>,
    pub status: Option<DirectiveStatus>,
    pub overdue: Option<bool>,
    pub nearly_due: Option<bool>,
    pub session_id: Option<i64>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

/// Filters of the directive list, as the register reads them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DirectiveFilter {
    /// `None`: every unit the reader may see.
    pub unit_id: Option<i64>,
    pub status: Option<DirectiveStatus>,
    pub overdue: Option<bool>,
    pub nearly_due: Option<bool>,
    pub session_id: Option<i64>,
}

impl DirectiveQuery {
    /// The filters (the unit as asked: who may ask which is `service::access`'s) and the page.
    pub fn parse(self) -> Result<(DirectiveFilter, PageRequest), BadQuery> {
        let page = PageParams::of(self.page, self.per_page).checked()?;
        let filter = DirectiveFilter {
            unit_id: self.unit_id,
            status: self.status,
            overdue: self.overdue,
            nearly_due: self.nearly_due,
            session_id: self.session_id,
        };
        Ok((filter, page))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
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
    }

    #[test]
    fn a_conclusion_reports_each_task_under_its_directive() {
        let directive = |task: &str| DirectiveRequest { unit_id: 4, task: task.into(), due: d(2026, 12, 1) };
        let good = ConclusionRequest {
            text: " Kết luận ".into(),
            directives: vec![directive("Rà soát hồ sơ")],
        };
        let conclusion = good.parse().unwrap();
        assert_eq!(conclusion.text, "Kết luận");
        assert_eq!(conclusion.directives[0].task, "Rà soát hồ sơ");

        let bad =
            ConclusionRequest { text: "x".into(), directives: vec![directive("Rà soát"), directive("ok")] };
        let Invalid(errors) = bad.parse().unwrap_err();
        let fields: Vec<&str> = errors.keys().map(String::as_str).collect();
        assert_eq!(fields, ["directives[1].task", "text"]);

        let many = ConclusionRequest {
            text: "Kết luận".into(),
            directives: (0..51).map(|_| directive("Rà soát")).collect(),
        };
        assert_eq!(many.parse().unwrap_err().0["directives"], ["Tối đa 50 chỉ đạo."]);
    }

    #[test]
    fn a_completion_is_dated_today_unless_said() {
        let today = d(2026, 11, 25);
        let done =
            CompleteRequest { result: " Đã trả lời công dân ".into(), done_on: None }.parse(today).unwrap();
        assert_eq!(done, Completion { result: "Đã trả lời công dân".into(), done_on: today });
        let short = CompleteRequest { result: "ok".into(), done_on: Some(today) };
        assert!(short.parse(today).unwrap_err().0.contains_key("result"));
    }
}
