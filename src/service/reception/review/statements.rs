//! The weekly review's statements, both dialects side by side (the same text: they differ only in
//! placeholders, which [`crate::db::sql`] renders), and the values a week binds into them.
//!
//! Every figure is an aggregate the database computes over an index (issue 14: at 1,000,000
//! petitions the review once loaded every overdue case of the period and bound every handler's id
//! as a parameter). The lists are bounded: the most overdue cases and directives, at most
//! [`ITEMS`] each; the handlers' names are joined in SQL. [`statements`] gives them all, for the
//! hot-plan checks.

use chrono::{Days, NaiveDate};
use sea_orm::{DbBackend, Statement, Value};

use crate::{
    clock::day_start,
    db::sql::Dialects,
    domain::{calendar::Calendar, reception::IsoWeek},
    error::AppResult,
    service::reception::refusals,
};

/// The most overdue cases, and overdue directives, a week's review lists.
pub const ITEMS: u64 = 50;

/// The values one week's figures bind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeekParams {
    pub agency_id: i64,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The day overdue work is counted at (the Monday after, or today for the current week).
    pub as_of: NaiveDate,
    /// Work ended on or after this day was still open at `as_of`: work finished on `as_of` itself
    /// still counts for a past week (it was late at the week's end), not for the current one.
    pub ended_cut: NaiveDate,
    /// The last day whose refusal grounds make the written notice overdue at `as_of` (its due
    /// date, three working days on, is before `as_of`; later grounds are not yet due).
    pub notice_grounds_by: NaiveDate,
}

impl WeekParams {
    /// The values of `week` for an agency, seen on `today`.
    pub fn new(cal: &Calendar, agency_id: i64, week: IsoWeek, today: NaiveDate) -> AppResult<Self> {
        let (from, to) = (week.monday, week.sunday());
        let as_of = today.min(to + Days::new(1));
        let ended_cut = if as_of == today { today + Days::new(1) } else { as_of };
        // A notice's due date never goes back as its grounds go forward, so the grounds whose
        // notice is overdue are those up to a cut, found walking back from `as_of` (a few days;
        // the longest run of days off, Tết, is under two weeks).
        let mut notice_grounds_by = as_of - Days::new(1);
        for _ in 0..366 {
            if refusals::notice_due(cal, notice_grounds_by)? < as_of {
                break;
            }
            notice_grounds_by = notice_grounds_by - Days::new(1);
        }
        Ok(Self { agency_id, from, to, as_of, ended_cut, notice_grounds_by })
    }
}

/// The clocks overdue as of `{2}`: started and due before it, not paused, and running then —
/// still running, or ended on or after `{4}` (so late: `{4}` is after `{2}`). The two halves
/// are read from their own indexes (running clocks by due date; late ended clocks by end date),
/// so neither walks the clocks that ended on time. `{3}` is false. SQLite is told the running
/// half's index: its statistics rate `ix_deadline_state_due` (state, due_on) better, which lacks
/// `start_on` and reads every clock's row (three times slower at 1,000,000 petitions).
macro_rules! overdue_clocks {
    ($indexed:literal) => {
        concat!(
            "SELECT d.petition_id AS petition_id, d.due_on AS due_on FROM deadline d ",
            $indexed,
            "WHERE d.state = 'running' AND d.due_on < {2} AND d.start_on < {2} AND d.paused = {3} \
             UNION ALL SELECT d.petition_id AS petition_id, d.due_on AS due_on FROM deadline d \
             WHERE d.ended_on >= {4} AND d.ended_on > d.due_on AND d.due_on < {2} AND d.start_on < {2} \
             AND d.paused = {3}"
        )
    };
}

/// Cases of agency `{1}` overdue as of `{2}`, counted per handler and unit, with their names.
macro_rules! overdue_by_owner {
    ($indexed:literal) => {
        concat!(
            "SELECT o.assignee_id AS assignee_id, u.full_name AS assignee_name, o.unit_id AS unit_id, \
             un.name AS unit_name, o.n AS n FROM (SELECT p.assignee_id AS assignee_id, p.unit_id AS unit_id, \
             COUNT(*) AS n FROM petition p WHERE p.agency_id = {1} AND p.id IN (SELECT c.petition_id FROM (",
            overdue_clocks!($indexed),
            ") c) GROUP BY p.assignee_id, p.unit_id) o LEFT JOIN \"user\" u ON u.id = o.assignee_id \
             LEFT JOIN unit un ON un.id = o.unit_id"
        )
    };
}

/// See [`overdue_by_owner!`].
pub const OVERDUE_BY_OWNER: Dialects = Dialects {
    sqlite: overdue_by_owner!("INDEXED BY ix_deadline_running_due "),
    postgres: overdue_by_owner!(""),
};

/// The [`ITEMS`] most overdue cases of agency `{1}` as of `{2}` (earliest due first, then by
/// id), with their handlers' and units' names. A top-N over the overdue set the count walks too.
macro_rules! overdue_items {
    ($indexed:literal) => {
        concat!(
            "SELECT p.id AS id, p.tracking_code AS tracking_code, p.kind AS kind, p.subject AS subject, \
             p.assignee_id AS assignee_id, u.full_name AS assignee_name, p.unit_id AS unit_id, \
             un.name AS unit_name, t.due AS due FROM (SELECT c.petition_id AS id, MIN(c.due_on) AS due FROM (",
            overdue_clocks!($indexed),
            ") c JOIN petition q ON q.id = c.petition_id WHERE q.agency_id = {1} GROUP BY c.petition_id \
             ORDER BY MIN(c.due_on), c.petition_id LIMIT {5}) t JOIN petition p ON p.id = t.id \
             LEFT JOIN \"user\" u ON u.id = p.assignee_id LEFT JOIN unit un ON un.id = p.unit_id \
             ORDER BY t.due, t.id"
        )
    };
}

/// See [`overdue_items!`].
pub const OVERDUE_ITEMS: Dialects =
    Dialects { sqlite: overdue_items!("INDEXED BY ix_deadline_running_due "), postgres: overdue_items!("") };

/// Agency `{1}`'s book from `{2}` to `{3}`: visits, people, linked cases, visits about no case,
/// repeat visits (`{4}` false: a visit that did not open its case), crowd delegations (5 people
/// or more) and their people.
pub const VISITS: Dialects = Dialects::both(
    "SELECT COUNT(*) AS visits, COALESCE(SUM(v.people_count), 0) AS people, \
     COUNT(DISTINCT v.petition_id) AS linked_cases, \
     COALESCE(SUM(CASE WHEN v.petition_id IS NULL THEN 1 ELSE 0 END), 0) AS loose, \
     COALESCE(SUM(CASE WHEN v.petition_id IS NOT NULL AND v.opened_petition = {4} THEN 1 ELSE 0 END), 0) AS repeat_visits, \
     COALESCE(SUM(CASE WHEN v.people_count >= 5 THEN 1 ELSE 0 END), 0) AS delegations, \
     COALESCE(SUM(CASE WHEN v.people_count >= 5 THEN v.people_count ELSE 0 END), 0) AS delegation_people \
     FROM reception_visit v WHERE v.agency_id = {1} AND v.visit_date >= {2} AND v.visit_date <= {3}",
);

/// Agency `{1}`'s refusals from `{2}` to `{3}`, and its written refusal notices overdue: required,
/// refused before `{4}` (the count's day, exclusive), not sent before it, grounds by `{5}` (`{6}`
/// true).
pub const REFUSALS: Dialects = Dialects::both(
    "SELECT (SELECT COUNT(*) FROM reception_refusal r WHERE r.agency_id = {1} AND r.refused_on >= {2} \
     AND r.refused_on <= {3}) AS refusals, \
     (SELECT COUNT(*) FROM reception_refusal r WHERE r.agency_id = {1} AND r.notice_required = {6} \
     AND (r.notice_sent_on IS NULL OR r.notice_sent_on >= {4}) AND r.refused_on < {4} \
     AND r.grounds_on <= {5}) AS notices_overdue",
);

/// Agency `{1}`'s new petitions from `{2}` to `{3}` by kind (every kind named, so that the
/// `(agency, kind, received_on)` index answers it alone).
pub const NEW_BY_KIND: Dialects = Dialects::both(
    "SELECT p.kind AS kind, COUNT(*) AS n FROM petition p WHERE p.agency_id = {1} \
     AND p.kind IN ('complaint', 'denunciation', 'recommendation', 'feedback') \
     AND p.received_on >= {2} AND p.received_on <= {3} GROUP BY p.kind",
);

/// Agency `{1}`'s directives overdue as of `{2}` (due before it, open or done on or after `{3}`).
macro_rules! overdue_directives {
    () => {
        "FROM reception_directive r WHERE r.agency_id = {1} AND r.due_on < {2} \
         AND (r.status = 'open' OR r.done_on >= {3})"
    };
}

/// How many directives are overdue.
pub const OVERDUE_DIRECTIVES: Dialects =
    Dialects::both(concat!("SELECT COUNT(*) AS n ", overdue_directives!()));

/// The [`ITEMS`] earliest due of them, with their units' names.
pub const OVERDUE_DIRECTIVE_ITEMS: Dialects = Dialects::both(concat!(
    "SELECT r.id AS id, r.session_id AS session_id, r.unit_id AS unit_id, \
     (SELECT un.name FROM unit un WHERE un.id = r.unit_id) AS unit_name, r.task AS task, r.due_on AS due ",
    overdue_directives!(),
    " ORDER BY r.due_on, r.id LIMIT {4}"
));

/// Cases of agency `{1}` whose handling the agency ended ([`crate::domain::report::CLOSED_STATUSES`]:
/// resolved, guided, forwarded, refused, archived, terminated, made a lead) between `{2}` and
/// `{3}`, and how many of them late (a clock met after its due date): the dashboard's rule.
pub const CLOSED_CASES: Dialects = Dialects::both(
    "SELECT COUNT(*) AS closed, COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM deadline d \
     WHERE d.petition_id = p.id AND d.state = 'met' AND d.ended_on > d.due_on) THEN 1 ELSE 0 END), 0) AS late \
     FROM petition p WHERE p.agency_id = {1} AND p.closed_on >= {2} AND p.closed_on <= {3} \
     AND p.status IN ('resolved','guided','forwarded','rejected','archived','terminated','lead')",
);

/// The ratings of agency `{1}`'s cases given from `{2}` to before `{3}`, and how many of
/// them satisfied (a score of 4 or 5): from the week's ratings by `ix_rating_at` (`CROSS JOIN`
/// keeps SQLite from walking the agency's cases instead when it holds few ratings).
pub const RATINGS: Dialects = Dialects::both(
    "SELECT COUNT(*) AS ratings, COALESCE(SUM(CASE WHEN r.score >= 4 THEN 1 ELSE 0 END), 0) AS satisfied \
     FROM petition_rating r CROSS JOIN petition p WHERE p.id = r.petition_id \
     AND r.at >= {2} AND r.at < {3} AND p.agency_id = {1}",
);

/// `ITEMS` as a bound value.
fn items() -> Value {
    i64::try_from(ITEMS).unwrap_or(50).into()
}

impl WeekParams {
    /// [`OVERDUE_BY_OWNER`].
    pub fn overdue_by_owner(&self, backend: DbBackend) -> Statement {
        OVERDUE_BY_OWNER.statement(backend, self.overdue_values(None))
    }

    /// [`OVERDUE_ITEMS`].
    pub fn overdue_items(&self, backend: DbBackend) -> Statement {
        OVERDUE_ITEMS.statement(backend, self.overdue_values(Some(items())))
    }

    fn overdue_values(&self, limit: Option<Value>) -> Vec<Value> {
        let mut values = vec![self.agency_id.into(), self.as_of.into(), false.into(), self.ended_cut.into()];
        values.extend(limit);
        values
    }

    /// [`VISITS`].
    pub fn visits(&self, backend: DbBackend) -> Statement {
        VISITS.statement(backend, vec![self.agency_id.into(), self.from.into(), self.to.into(), false.into()])
    }

    /// [`REFUSALS`].
    pub fn refusals(&self, backend: DbBackend) -> Statement {
        REFUSALS.statement(
            backend,
            vec![
                self.agency_id.into(),
                self.from.into(),
                self.to.into(),
                self.ended_cut.into(),
                self.notice_grounds_by.into(),
                true.into(),
            ],
        )
    }

    /// [`NEW_BY_KIND`].
    pub fn new_by_kind(&self, backend: DbBackend) -> Statement {
        NEW_BY_KIND.statement(backend, vec![self.agency_id.into(), self.from.into(), self.to.into()])
    }

    /// [`OVERDUE_DIRECTIVES`].
    pub fn overdue_directives(&self, backend: DbBackend) -> Statement {
        OVERDUE_DIRECTIVES
            .statement(backend, vec![self.agency_id.into(), self.as_of.into(), self.ended_cut.into()])
    }

    /// [`OVERDUE_DIRECTIVE_ITEMS`].
    pub fn overdue_directive_items(&self, backend: DbBackend) -> Statement {
        OVERDUE_DIRECTIVE_ITEMS.statement(
            backend,
            vec![self.agency_id.into(), self.as_of.into(), self.ended_cut.into(), items()],
        )
    }

    /// [`CLOSED_CASES`].
    pub fn closed_cases(&self, backend: DbBackend) -> Statement {
        CLOSED_CASES.statement(backend, vec![self.agency_id.into(), self.from.into(), self.to.into()])
    }

    /// [`RATINGS`].
    pub fn ratings(&self, backend: DbBackend) -> Statement {
        RATINGS.statement(
            backend,
            vec![
                self.agency_id.into(),
                day_start(self.from).into(),
                day_start(self.to + Days::new(1)).into(),
            ],
        )
    }
}

/// Every statement of a week's figures (beside the week's sessions and the heads' schedules, read
/// by their own indexes), named, for the hot-plan checks (`EXPLAIN QUERY PLAN` / `EXPLAIN`).
pub fn statements(backend: DbBackend, week: &WeekParams) -> Vec<(&'static str, Statement)> {
    vec![
        ("review_overdue_by_owner", week.overdue_by_owner(backend)),
        ("review_overdue_items", week.overdue_items(backend)),
        ("review_visits", week.visits(backend)),
        ("review_refusals", week.refusals(backend)),
        ("review_new_by_kind", week.new_by_kind(backend)),
        ("review_overdue_directives", week.overdue_directives(backend)),
        ("review_overdue_directive_items", week.overdue_directive_items(backend)),
        ("review_closed_cases", week.closed_cases(backend)),
        ("review_ratings", week.ratings(backend)),
    ]
}

#[cfg(test)]
mod closed_tests {
    #[test]
    fn the_week_closes_what_the_dashboard_closes() {
        for status in crate::domain::report::CLOSED_STATUSES {
            assert!(super::CLOSED_CASES.sqlite.contains(&format!("'{}'", status.as_str())), "{status}");
        }
    }
}
