//! The reports' statements. Each groups by agency (`{ids}`: the report's agencies, an SQL list of
//! integers) and by what its table breaks figures down by, over one index range: the rows that
//! come back are bounded by the agencies, kinds, fields, units, handlers and months, never by the
//! register's size. `{1}`, `{2}`… are bound values ([`crate::db::sql`]); `{month:<expr>}` is the
//! `YYYY-MM` of a date column in the backend's own words; `{indexed:<index>}` tells SQLite which
//! index to read (its statistics would rather walk a whole agency: measured at 1,000,000
//! petitions, `cargo bench --bench reports`), and is nothing on PostgreSQL.

use sea_orm::{DbBackend, Statement, Value};

/// A case that went past a deadline: a clock met after its due date (the weekly review's rule).
/// (Integers are cast to BIGINT: PostgreSQL's plain integer does not read as `i64`.)
/// One probe of the partial index of the clocks met late (m20261207_000022).
const LATE: &str = "CAST(CASE WHEN EXISTS (SELECT 1 FROM deadline d {indexed:ix_deadline_met_late} \
                    WHERE d.petition_id = p.id AND d.state = 'met' AND d.ended_on > d.due_on) THEN 1 ELSE 0 END AS BIGINT)";

/// Sessions held from `{1}` to `{2}`, by agency and kind.
pub const SESSIONS_HELD: &str = "SELECT s.agency_id AS agency_id, s.kind AS kind, COUNT(*) AS n \
     FROM reception_session s WHERE s.agency_id IN ({ids}) AND s.session_date >= {1} AND s.session_date <= {2} \
     AND s.status = 'held' GROUP BY s.agency_id, s.kind";

/// The reception book's lines from `{1}` to `{2}` by agency, session kind, content kind and field,
/// repeat (about a case it did not open: `{3}` false) or new, delegation (5 people or more) or not.
pub const VISITS: &str = "SELECT v.agency_id AS agency_id, s.kind AS session_kind, v.kind AS kind, v.field AS field, \
     CAST(CASE WHEN v.petition_id IS NOT NULL AND v.opened_petition = {3} THEN 1 ELSE 0 END AS BIGINT) AS repeat_visit, \
     CAST(CASE WHEN v.people_count >= 5 THEN 1 ELSE 0 END AS BIGINT) AS delegation, \
     COUNT(*) AS visits, CAST(COALESCE(SUM(v.people_count), 0) AS BIGINT) AS people \
     FROM reception_visit v JOIN reception_session s ON s.id = v.session_id \
     WHERE v.agency_id IN ({ids}) AND v.visit_date >= {1} AND v.visit_date <= {2} \
     GROUP BY v.agency_id, s.kind, v.kind, v.field, 5, 6";

/// The matters (vụ việc) received from `{1}` to `{2}`, by agency and session kind: each case
/// visited about once, each visit about no case on its own.
pub const VISIT_CASES: &str = "SELECT v.agency_id AS agency_id, s.kind AS session_kind, \
     COUNT(DISTINCT v.petition_id) AS linked, \
     CAST(COALESCE(SUM(CASE WHEN v.petition_id IS NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS loose \
     FROM reception_visit v JOIN reception_session s ON s.id = v.session_id \
     WHERE v.agency_id IN ({ids}) AND v.visit_date >= {1} AND v.visit_date <= {2} GROUP BY v.agency_id, s.kind";

/// The same, by agency alone (a case visited in two kinds of session is one matter).
pub const VISIT_CASES_TOTAL: &str = "SELECT v.agency_id AS agency_id, \
     COUNT(DISTINCT v.petition_id) AS linked, \
     CAST(COALESCE(SUM(CASE WHEN v.petition_id IS NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS loose \
     FROM reception_visit v WHERE v.agency_id IN ({ids}) AND v.visit_date >= {1} AND v.visit_date <= {2} \
     GROUP BY v.agency_id";

/// Petitions received from `{1}` to `{2}`, by agency, kind and field.
pub const RECEIVED: &str = "SELECT p.agency_id AS agency_id, p.kind AS kind, p.field AS field, COUNT(*) AS n \
     FROM petition p WHERE p.agency_id IN ({ids}) AND p.received_on >= {1} AND p.received_on <= {2} \
     GROUP BY p.agency_id, p.kind, p.field";

/// Petitions received before `{1}` and not yet processed on it (carried over into the period), by
/// agency and kind: the unprocessed ones, then those processed since (each half one range of
/// `(agency_id, processed_on)`).
pub const CARRIED_UNPROCESSED: &str = "SELECT p.agency_id AS agency_id, p.kind AS kind, COUNT(*) AS n \
     FROM petition p {indexed:ix_petition_agency_processed} WHERE p.agency_id IN ({ids}) AND p.processed_on IS NULL \
     AND p.received_on < {1} \
     GROUP BY p.agency_id, p.kind \
     UNION ALL SELECT p.agency_id AS agency_id, p.kind AS kind, COUNT(*) AS n \
     FROM petition p {indexed:ix_petition_agency_processed} WHERE p.agency_id IN ({ids}) AND p.processed_on >= {1} \
     AND p.received_on < {1} GROUP BY p.agency_id, p.kind";

/// Petitions processed from `{1}` to `{2}`, by agency, kind and how.
pub const PROCESSED: &str = "SELECT p.agency_id AS agency_id, p.kind AS kind, p.processed_action AS action, \
     COUNT(*) AS n FROM petition p WHERE p.agency_id IN ({ids}) AND p.processed_on >= {1} AND p.processed_on <= {2} \
     GROUP BY p.agency_id, p.kind, p.processed_action";

/// Replies received from `{1}` to `{2}` from the bodies petitions were forwarded to, by agency
/// and kind.
pub const REPLIES: &str = "SELECT p.agency_id AS agency_id, p.kind AS kind, COUNT(*) AS n \
     FROM petition p WHERE p.agency_id IN ({ids}) AND p.forward_result_on >= {1} AND p.forward_result_on <= {2} \
     GROUP BY p.agency_id, p.kind";

/// Cases that entered resolution from `{1}` to `{2}`, by agency and kind.
pub const ACCEPTED: &str = "SELECT p.agency_id AS agency_id, p.kind AS kind, COUNT(*) AS n \
     FROM petition p WHERE p.agency_id IN ({ids}) AND p.accepted_on >= {1} AND p.accepted_on <= {2} \
     GROUP BY p.agency_id, p.kind";

/// Cases in resolution before `{1}` and still open on it (carried over), by agency and kind: the
/// open ones, then those closed since (each half one range of `(agency_id, closed_on, …)`).
pub const CARRIED_IN_RESOLUTION: &str = "SELECT p.agency_id AS agency_id, p.kind AS kind, COUNT(*) AS n \
     FROM petition p {indexed:ix_petition_agency_closed} WHERE p.agency_id IN ({ids}) AND p.closed_on IS NULL \
     AND p.accepted_on < {1} \
     GROUP BY p.agency_id, p.kind \
     UNION ALL SELECT p.agency_id AS agency_id, p.kind AS kind, COUNT(*) AS n \
     FROM petition p {indexed:ix_petition_agency_closed} WHERE p.agency_id IN ({ids}) AND p.closed_on >= {1} \
     AND p.accepted_on < {1} GROUP BY p.agency_id, p.kind";

/// Cases in resolution closed from `{1}` to `{2}`, by agency, kind, status, conclusion, round and
/// lateness, with what their resolutions recovered and restored.
pub fn closed_in_resolution() -> String {
    format!(
        "SELECT agency_id, kind, status, conclusion, round, late, COUNT(*) AS n, \
         CAST(COALESCE(SUM(money), 0) AS BIGINT) AS money, CAST(COALESCE(SUM(land_cm2), 0) AS BIGINT) AS land_cm2, \
         CAST(COALESCE(SUM(people), 0) AS BIGINT) AS people FROM (SELECT p.agency_id AS agency_id, p.kind AS kind, \
         p.status AS status, p.conclusion AS conclusion, p.round AS round, {LATE} AS late, p.recovered_money AS money, \
         p.recovered_land_cm2 AS land_cm2, p.people_restored AS people \
         FROM petition p WHERE p.agency_id IN ({{ids}}) AND p.closed_on >= {{1}} AND p.closed_on <= {{2}} \
         AND p.accepted_on IS NOT NULL) AS c GROUP BY agency_id, kind, status, conclusion, round, late"
    )
}

/// The dashboard: petitions received from `{1}` to `{2}` by agency, unit, handler and month.
pub const DASH_RECEIVED: &str = "SELECT p.agency_id AS agency_id, p.unit_id AS unit_id, p.assignee_id AS assignee_id, \
     {month:p.received_on} AS month, COUNT(*) AS n FROM petition p \
     WHERE p.agency_id IN ({ids}) AND p.received_on >= {1} AND p.received_on <= {2} GROUP BY 1, 2, 3, 4";

/// The dashboard: cases whose handling the agency ended (`{3}`: the closed statuses) from `{1}`
/// to `{2}`, by agency, unit, handler, month and lateness, with their handling times.
pub fn dash_closed() -> String {
    format!(
        "SELECT agency_id, unit_id, assignee_id, month, late, COUNT(*) AS n, \
         CAST(COALESCE(SUM(days), 0) AS BIGINT) AS days, COUNT(days) AS timed \
         FROM (SELECT p.agency_id AS agency_id, p.unit_id AS unit_id, p.assignee_id AS assignee_id, \
         {{month:p.closed_on}} AS month, {LATE} AS late, p.working_days AS days \
         FROM petition p WHERE p.agency_id IN ({{ids}}) AND p.closed_on >= {{1}} AND p.closed_on <= {{2}} \
         AND p.status IN ({{statuses}})) AS c GROUP BY agency_id, unit_id, assignee_id, month, late"
    )
}

/// The dashboard: cases overdue on `{1}` (their inbox key, the earliest due date of what they
/// still owe, before it), by agency, unit and handler.
pub const DASH_OVERDUE: &str = "SELECT p.agency_id AS agency_id, p.unit_id AS unit_id, p.assignee_id AS assignee_id, \
     COUNT(*) AS n FROM petition p WHERE p.agency_id IN ({ids}) AND p.inbox_due_on < {1} GROUP BY 1, 2, 3";

/// The dashboard: citizens' ratings given from `{1}` to before `{2}` (instants), by agency,
/// unit, handler and month (in Vietnam), and how many satisfied (4 or 5).
pub const DASH_RATINGS: &str = "SELECT p.agency_id AS agency_id, p.unit_id AS unit_id, p.assignee_id AS assignee_id, \
     {month_at:r.at} AS month, COUNT(*) AS ratings, \
     CAST(COALESCE(SUM(CASE WHEN r.score >= 4 THEN 1 ELSE 0 END), 0) AS BIGINT) AS satisfied \
     FROM petition_rating r CROSS JOIN petition p WHERE p.id = r.petition_id AND r.at >= {1} AND r.at < {2} \
     AND p.agency_id IN ({ids}) GROUP BY 1, 2, 3, 4";

/// The dashboard: apology letters issued from `{1}` to `{2}`, by agency and month.
pub const DASH_APOLOGIES: &str = "SELECT n.agency_id AS agency_id, {month:n.issued_on} AS month, COUNT(*) AS n \
     FROM notice n WHERE n.agency_id IN ({ids}) AND n.kind = 'apology' AND n.issued_on >= {1} \
     AND n.issued_on <= {2} GROUP BY 1, 2";

/// The dashboard: the heads' periodic sessions by agency and month: those their schedules
/// required from `{1}` to `{2}` (up to before `{3}`, today, or held), and those held.
pub const DASH_SESSIONS: &str = "SELECT s.agency_id AS agency_id, {month:s.session_date} AS month, \
     CAST(COALESCE(SUM(CASE WHEN s.nominal_date IS NOT NULL AND (s.nominal_date < {3} OR s.status = 'held') \
     THEN 1 ELSE 0 END), 0) AS BIGINT) AS required, \
     CAST(COALESCE(SUM(CASE WHEN s.status = 'held' THEN 1 ELSE 0 END), 0) AS BIGINT) AS held \
     FROM reception_session s WHERE s.agency_id IN ({ids}) AND s.kind = 'periodic' \
     AND s.session_date >= {1} AND s.session_date <= {2} GROUP BY 1, 2";

/// The public page: petitions received from `{1}` to `{2}` by month.
pub const PUBLIC_RECEIVED: &str = "SELECT {month:p.received_on} AS month, COUNT(*) AS n FROM petition p \
     WHERE p.agency_id IN ({ids}) AND p.received_on >= {1} AND p.received_on <= {2} GROUP BY 1";

/// The public page: cases resolved from `{1}` to `{2}` by month and lateness.
pub fn public_resolved() -> String {
    format!(
        "SELECT month, late, COUNT(*) AS n FROM (SELECT {{month:p.closed_on}} AS month, {LATE} AS late \
         FROM petition p WHERE p.agency_id IN ({{ids}}) AND p.closed_on >= {{1}} AND p.closed_on <= {{2}} \
         AND p.status = 'resolved') AS c GROUP BY month, late"
    )
}

/// The public page: reception sessions held from `{1}` to `{2}` by month.
pub const PUBLIC_SESSIONS: &str = "SELECT {month:s.session_date} AS month, COUNT(*) AS n FROM reception_session s \
     WHERE s.agency_id IN ({ids}) AND s.status = 'held' AND s.session_date >= {1} AND s.session_date <= {2} GROUP BY 1";

/// The public page: ratings given from `{1}` to before `{2}` by month, and how many satisfied.
pub const PUBLIC_RATINGS: &str = "SELECT {month_at:r.at} AS month, COUNT(*) AS ratings, \
     CAST(COALESCE(SUM(CASE WHEN r.score >= 4 THEN 1 ELSE 0 END), 0) AS BIGINT) AS satisfied \
     FROM petition_rating r CROSS JOIN petition p WHERE p.id = r.petition_id AND r.at >= {1} AND r.at < {2} \
     AND p.agency_id IN ({ids}) GROUP BY 1";

/// `sql` for `backend` over the agencies `ids` (and the closed statuses), bound to `values`.
pub fn statement(backend: DbBackend, sql: &str, ids: &str, values: Vec<Value>) -> Statement {
    let statuses = crate::domain::report::CLOSED_STATUSES
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    let text = months(backend, &sql.replace("{ids}", ids).replace("{statuses}", &statuses));
    crate::db::sql::statement(backend, &text, values)
}

/// Replaces each `{month:<expr>}` (a date) and `{month_at:<expr>}` (an instant, its month in
/// Vietnam) by the backend's `YYYY-MM` of it, and each `{indexed:<index>}` by SQLite's
/// `INDEXED BY <index>` (nothing on PostgreSQL).
fn months(backend: DbBackend, sql: &str) -> String {
    let sql = indexed(backend, sql);
    let sql = sql.as_str();
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    loop {
        let (at, instant) = match (rest.find("{month:"), rest.find("{month_at:")) {
            (Some(a), Some(b)) if b < a => (b, true),
            (Some(a), _) => (a, false),
            (None, Some(b)) => (b, true),
            (None, None) => break,
        };
        let open = if instant { "{month_at:".len() } else { "{month:".len() };
        let Some(len) = rest[at..].find('}') else { break };
        let expr = &rest[at + open..at + len];
        out.push_str(&rest[..at]);
        out.push_str(&match (backend, instant) {
            (DbBackend::Postgres, false) => format!("to_char({expr}, 'YYYY-MM')"),
            (DbBackend::Postgres, true) => {
                format!("to_char({expr} AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM')")
            }
            (_, false) => format!("strftime('%Y-%m', {expr})"),
            (_, true) => format!("strftime('%Y-%m', {expr}, '+7 hours')"),
        });
        rest = &rest[at + len + 1..];
    }
    out.push_str(rest);
    out
}

/// Every statement of the reports for agency `agency` over the quarter before `today` (the
/// ratings' bounds as instants), named, for the hot-plan checks (`EXPLAIN QUERY PLAN` / `EXPLAIN`).
pub fn statements(
    backend: DbBackend,
    agency: i64,
    today: chrono::NaiveDate,
) -> Vec<(&'static str, Statement)> {
    let ids = agency.to_string();
    let (from, to) = (today - chrono::Days::new(91), today);
    let range = || vec![from.into(), to.into()];
    let instants = || vec![crate::clock::day_start(from).into(), crate::clock::day_start(to).into()];
    let st = |sql: &str, values| statement(backend, sql, &ids, values);
    let mut visits = range();
    visits.push(false.into());
    let mut sessions = range();
    sessions.push(today.into());
    vec![
        ("report_sessions_held", st(SESSIONS_HELD, range())),
        ("report_visits", st(VISITS, visits)),
        ("report_visit_cases", st(VISIT_CASES, range())),
        ("report_visit_cases_total", st(VISIT_CASES_TOTAL, range())),
        ("report_received", st(RECEIVED, range())),
        ("report_carried_unprocessed", st(CARRIED_UNPROCESSED, vec![from.into()])),
        ("report_processed", st(PROCESSED, range())),
        ("report_replies", st(REPLIES, range())),
        ("report_accepted", st(ACCEPTED, range())),
        ("report_carried_in_resolution", st(CARRIED_IN_RESOLUTION, vec![from.into()])),
        ("report_closed_in_resolution", st(&closed_in_resolution(), range())),
        ("dashboard_received", st(DASH_RECEIVED, range())),
        ("dashboard_closed", st(&dash_closed(), range())),
        ("dashboard_overdue", st(DASH_OVERDUE, vec![today.into()])),
        ("dashboard_ratings", st(DASH_RATINGS, instants())),
        ("dashboard_apologies", st(DASH_APOLOGIES, range())),
        ("dashboard_sessions", st(DASH_SESSIONS, sessions)),
        ("public_received", st(PUBLIC_RECEIVED, range())),
        ("public_resolved", st(&public_resolved(), range())),
        ("public_sessions", st(PUBLIC_SESSIONS, range())),
        ("public_ratings", st(PUBLIC_RATINGS, instants())),
    ]
}

/// [`months`]' `{indexed:<index>}`.
fn indexed(backend: DbBackend, sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(at) = rest.find("{indexed:") {
        let Some(len) = rest[at..].find('}') else { break };
        out.push_str(&rest[..at]);
        if backend != DbBackend::Postgres {
            out.push_str("INDEXED BY ");
            out.push_str(&rest[at + "{indexed:".len()..at + len]);
        }
        rest = &rest[at + len + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_spelled_in_each_dialect() {
        let sql = "SELECT {month:p.closed_on}, {month_at:r.at} FROM x WHERE a IN ({ids}) AND b = {1}";
        let pg = statement(DbBackend::Postgres, sql, "1, 2", vec![1.into()]);
        assert_eq!(
            pg.sql,
            "SELECT to_char(p.closed_on, 'YYYY-MM'), to_char(r.at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM') \
             FROM x WHERE a IN (1, 2) AND b = $1"
        );
        let lite = statement(DbBackend::Sqlite, sql, "7", vec![1.into()]);
        assert_eq!(
            lite.sql,
            "SELECT strftime('%Y-%m', p.closed_on), strftime('%Y-%m', r.at, '+7 hours') FROM x WHERE a IN (7) AND b = ?"
        );
        assert!(
            statement(DbBackend::Sqlite, &dash_closed(), "1", vec![]).sql.contains("'terminated', 'lead'")
        );
    }
}
