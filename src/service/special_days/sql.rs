//! The recomputation's SQL, both dialects side by side. The bulk reads build one JSON document in
//! the database (a hundred thousand rows one by one through the driver cost more than the whole
//! recomputation); the bulk writes take their rows as one JSON document or as one multi-row
//! `VALUES` list.

use crate::db::sql::{Dialects, value_rows};

/// The cases, as one JSON list of ids (with repeats), with a clock in state `{1}` or `{2}` due on
/// or after `{3}`: one scan of the `(state, due_on, paused, petition_id)` index.
pub const CANDIDATE_CASES: Dialects = Dialects {
    sqlite: "SELECT COALESCE(json_group_array(petition_id), '[]') FROM deadline \
             WHERE state IN ({1}, {2}) AND due_on >= {3}",
    postgres: "SELECT COALESCE(json_agg(petition_id), '[]')::text FROM deadline \
               WHERE state IN ({1}, {2}) AND due_on >= {3}",
};

/// One page of candidates as one JSON document: the clocks of the cases `{1}` (a JSON list of
/// ids) in state `{2}` or `{3}` whose count can see a flipped date (started by `{4}`, last counted
/// day from `{5}`, due on or after `{6}`), running, or informational of an open case (status `{7}`,
/// `{8}` or `{9}`: a closed case's running clock is one a written notice still owes), each with
/// its case's chain head (its last event's place and hash, and for its facts only whether it is
/// keyed: `''` for an old unkeyed event, else `audit::UNCHANGED`, which is all a recomputation
/// writes; reading the facts themselves, 100,000 times, cost a tenth of the recomputation). An unpaused calendar-day clock only looks at the days from its last
/// counted day (start + limit) to its due date, so most of them are left out in the query.
/// SQLite reads the page's ids first, then each one's clocks through `ix_deadline_petition`.
pub const CANDIDATES: Dialects = Dialects {
    sqlite: "SELECT COALESCE(json_group_array(json_array(id, petition_id, clock, rule_set, start_on, complexity, \
             json(CASE WHEN remote_area THEN 'true' ELSE 'false' END), extensions, pauses, due_on, json(head))), '[]') \
             FROM (SELECT d.id, d.petition_id, d.clock, d.rule_set, d.start_on, d.complexity, \
             d.remote_area, d.extensions, d.pauses, d.due_on, \
             (SELECT json_array(e.seq, e.hash, CASE WHEN e.facts = '' THEN '' ELSE '=' END) FROM petition_event e WHERE e.petition_id = d.petition_id \
             ORDER BY e.seq DESC LIMIT 1) AS head \
             FROM json_each({1}) AS ids CROSS JOIN deadline AS d INDEXED BY ix_deadline_petition \
             ON d.petition_id = ids.value JOIN petition p ON p.id = d.petition_id \
             WHERE d.state IN ({2}, {3}) AND d.start_on <= {4} \
             AND (d.unit <> 'calendar' OR d.pauses <> '[]' OR date(d.start_on, '+' || d.limit_days || ' days') <= {5}) \
             AND d.due_on >= {6} AND (d.state = {2} OR p.status IN ({7}, {8}, {9}))) AS c",
    postgres: "SELECT COALESCE(json_agg(json_build_array(id, petition_id, clock, rule_set, start_on, complexity, \
               remote_area, extensions, pauses, due_on, head)), '[]')::text \
               FROM (SELECT d.id, d.petition_id, d.clock, d.rule_set, d.start_on, d.complexity, \
               d.remote_area, d.extensions, d.pauses, d.due_on, \
               (SELECT json_build_array(e.seq, e.hash, CASE WHEN e.facts = '' THEN '' ELSE '=' END) FROM petition_event e WHERE e.petition_id = d.petition_id \
               ORDER BY e.seq DESC LIMIT 1) AS head \
               FROM jsonb_array_elements_text({1::jsonb}) AS ids(value) \
               JOIN deadline d ON d.petition_id = ids.value::bigint JOIN petition p ON p.id = d.petition_id \
               WHERE d.state IN ({2}, {3}) AND d.start_on <= {4} \
               AND (d.unit <> 'calendar' OR d.pauses <> '[]' OR d.start_on + d.limit_days <= {5}) \
               AND d.due_on >= {6} AND (d.state = {2} OR p.status IN ({7}, {8}, {9}))) AS c",
};

/// Moves a page of clocks, the rows passed as one JSON document `{2}` of
/// `[id, new due, old due]`, each only from the due date read; `{1}` is the time of the change.
pub const UPDATE_CLOCKS: Dialects = Dialects {
    sqlite: "UPDATE deadline SET due_on = v.new_due, updated_at = {1} \
             FROM (SELECT j.value->>0 AS id, j.value->>1 AS new_due, j.value->>2 AS old_due FROM json_each({2}) AS j) AS v \
             WHERE deadline.id = v.id AND deadline.due_on = v.old_due",
    postgres: "UPDATE deadline SET due_on = v.new_due, updated_at = {1} \
               FROM (SELECT (j->>0)::bigint AS id, (j->>1)::date AS new_due, (j->>2)::date AS old_due \
               FROM jsonb_array_elements({2::jsonb}) AS j) AS v \
               WHERE deadline.id = v.id AND deadline.due_on = v.old_due",
};

/// Appends `rows` events, each at its place, skipping a place already taken (the caller counts
/// the rows written): the instant `{1}`, actor `{2}`, `{3}` and action `{4}` bound once, then
/// each event's case, place, changes, hashes and facts from `{5}` on. `WHERE true`: SQLite's grammar
/// needs it between a SELECT and its ON CONFLICT. PostgreSQL gets casts, since it cannot infer a
/// type for a bare parameter inside a `VALUES` list that is not inserted into a table; the text
/// is the same for both dialects but for them, which the placeholder helper drops for SQLite.
pub fn insert_events(rows: usize) -> String {
    format!(
        "INSERT INTO petition_event (petition_id, seq, at, actor_id, actor_name, action, from_status, \
         to_status, changes, prev_hash, hash, facts) \
         SELECT v.column1, v.column2, {{1::timestamptz}}, {{2::bigint}}, {{3::text}}, {{4::text}}, NULL, NULL, \
         v.column3, v.column4, v.column5, v.column6 \
         FROM (VALUES {}) AS v WHERE true ON CONFLICT (petition_id, seq) DO NOTHING",
        value_rows(5, rows, &["bigint", "integer", "text", "text", "text", "text"]),
    )
}
