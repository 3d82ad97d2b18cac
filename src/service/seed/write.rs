//! Played cases turned into multi-row `INSERT`s, built on the blocking thread that played them
//! (sealing the parties there too: XChaCha20 per value is CPU work), so that the one writer
//! only runs statements. Each statement binds as many rows as the backend takes
//! ([`rows_per_statement`]), since the cost of preparing and sending one is spread over them.

use std::collections::BTreeMap;

use sea_orm::{
    DbBackend, Statement, Value,
    sqlx::{Arguments, sqlite::SqliteArguments},
};

use super::case::Case;
use crate::{
    crypto::Keys,
    db::sql::{rows_per_statement, statement, value_rows},
    domain::petition::{Kind, Status},
    error::{AppError, AppResult},
    service::{identity, petitions::search},
};

/// What a batch holds, to report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub petitions: u64,
    pub parties: u64,
    pub events: u64,
    pub clocks: u64,
    pub by_kind: BTreeMap<Kind, u64>,
    pub by_status: BTreeMap<Status, u64>,
}

impl Counts {
    /// Adds another batch's.
    pub fn add(&mut self, other: Counts) {
        self.petitions += other.petitions;
        self.parties += other.parties;
        self.events += other.events;
        self.clocks += other.clocks;
        for (k, n) in other.by_kind {
            *self.by_kind.entry(k).or_default() += n;
        }
        for (s, n) in other.by_status {
            *self.by_status.entry(s).or_default() += n;
        }
    }
}

/// The rows of one table, bound a statement at a time.
struct Table {
    name: &'static str,
    columns: &'static [&'static str],
    values: Vec<Value>,
}

impl Table {
    fn new(name: &'static str, columns: &'static [&'static str]) -> Self {
        Self { name, columns, values: Vec::new() }
    }

    fn row(&mut self, values: impl IntoIterator<Item = Value>) {
        self.values.extend(values);
    }

    /// The statements that insert the rows, in order: full ones share their text.
    fn statements(self, backend: DbBackend, out: &mut Vec<Statement>) {
        let width = self.columns.len();
        let per = rows_per_statement(backend, width);
        let blanks = vec![""; width];
        let head = format!("INSERT INTO {} ({}) VALUES ", self.name, self.columns.join(", "));
        let sql = |rows: usize| format!("{head}{}", value_rows(1, rows, &blanks));
        let mut full: Option<Statement> = None;
        let mut values = self.values.into_iter();
        loop {
            let chunk: Vec<Value> = values.by_ref().take(per * width).collect();
            if chunk.is_empty() {
                break;
            }
            let rows = chunk.len() / width;
            if rows < per {
                out.push(statement(backend, &sql(rows), chunk));
                continue;
            }
            let text = full.get_or_insert_with(|| statement(backend, &sql(rows), vec![])).sql.clone();
            out.push(Statement::from_sql_and_values(backend, text, chunk));
        }
    }
}

/// A statement ready for the writer: on SQLite, its values already bound as the driver takes
/// them (converting them is the costliest part of a bulk insert after SQLite's own work, and here
/// it is done on the thread that played the batch, not by the one writer).
pub enum Write {
    Sqlite { sql: String, args: SqliteArguments },
    Other(Statement),
}

impl Write {
    /// The statement for the writer of `backend`.
    pub fn of(backend: DbBackend, statement: Statement) -> AppResult<Write> {
        if backend != DbBackend::Sqlite {
            return Ok(Write::Other(statement));
        }
        let values = statement.values.map(|v| v.0).unwrap_or_default();
        let mut args = SqliteArguments::default();
        for value in values {
            let added = match value {
                Value::Bool(v) => args.add(v),
                Value::Int(v) => args.add(v),
                Value::BigInt(v) => args.add(v),
                Value::String(v) => args.add(v),
                Value::ChronoDate(v) => args.add(v),
                Value::ChronoDateTimeUtc(v) => args.add(v),
                other => return Err(AppError::internal(format!("seed: no SQLite binding for {other:?}"))),
            };
            added.map_err(|e| AppError::internal(format!("seed: binding a value: {e}")))?;
        }
        Ok(Write::Sqlite { sql: statement.sql, args })
    }

    /// The table it writes (for the timing of `RUST_LOG=debug`).
    pub fn table(&self) -> &str {
        let sql = match self {
            Write::Sqlite { sql, .. } => sql,
            Write::Other(st) => &st.sql,
        };
        sql.split_whitespace().nth(2).unwrap_or_default()
    }
}

const PETITION: &[&str] = &[
    "id",
    "agency_id",
    "tracking_code",
    "kind",
    "channel",
    "status",
    "received_on",
    "received_by",
    "citizen_user_id",
    "subject",
    "anonymous",
    "signatories",
    "forwarding_body",
    "forwarding_doc_no",
    "attachments",
    "skip_level",
    "handled_before_by",
    "round",
    "complexity",
    "remote_area",
    "assignee_id",
    "unit_id",
    "leader_id",
    "expected_result",
    "origin_id",
    "origin_relation",
    "family_id",
    "confidential",
    "forwarded_to_agency_id",
    "forwarded_copy_id",
    "forwarded_to_body",
    "outcome_note",
    "result",
    "conclusion",
    "closed_on",
    "archive_until",
    "forward_result",
    "forward_result_on",
    "signed",
    "earlier_decision_no",
    "earlier_decision_on",
    "earlier_decision_body",
    "earlier_decision_received_on",
    "act_known_on",
    "dialogue_on",
    "dialogue_place",
    "dialogue_held_on",
    "rule_set",
    "inbox_due_on",
    "processed_on",
    "processed_action",
    "accepted_on",
    "working_days",
    "field",
    "recovered_money",
    "recovered_land_cm2",
    "people_restored",
    "version",
    "event_head",
    "created_at",
    "updated_at",
];
const CONTENT: &[&str] = &["petition_id", "content"];
const PARTY: &[&str] =
    &["petition_id", "role", "full_name", "id_number", "address", "phone", "email", "id_number_blind"];
const EVENT: &[&str] = &[
    "petition_id",
    "seq",
    "at",
    "actor_id",
    "actor_name",
    "action",
    "from_status",
    "to_status",
    "changes",
    "prev_hash",
    "hash",
    "facts",
];
const DEADLINE: &[&str] = &[
    "petition_id",
    "clock",
    "rule_set",
    "start_on",
    "unit",
    "limit_days",
    "complexity",
    "remote_area",
    "extensions",
    "pauses",
    "due_on",
    "paused",
    "state",
    "ended_on",
    "created_at",
    "updated_at",
];

/// The statements that write `cases` (cases, contents, parties sealed under the data key, the
/// search index, trails, clocks, in that order: every row after the case it belongs to), and
/// what they hold.
pub fn statements(backend: DbBackend, keys: &Keys, cases: Vec<Case>) -> AppResult<(Vec<Write>, Counts)> {
    let mut counts = Counts::default();
    let mut petitions = Table::new("petition", PETITION);
    let mut contents = Table::new("petition_content", CONTENT);
    let mut parties = Table::new("petition_party", PARTY);
    let mut events = Table::new("petition_event", EVENT);
    let mut deadlines = Table::new("deadline", DEADLINE);
    let mut index = Vec::with_capacity(cases.len());
    for case in cases {
        let Case { row: p, content, people, entry, clocks, events: trail, .. } = case;
        counts.petitions += 1;
        *counts.by_kind.entry(p.kind).or_default() += 1;
        *counts.by_status.entry(p.status).or_default() += 1;
        contents.row([p.id.into(), content.into()]);
        for (role, person) in &people {
            let r = identity::party_row(&keys.data, p.id, *role, person)?;
            parties.row([
                p.id.into(),
                r.role.unwrap().into(),
                r.full_name.unwrap().into(),
                r.id_number.unwrap().into(),
                r.address.unwrap().into(),
                r.phone.unwrap().into(),
                r.email.unwrap().into(),
                r.id_number_blind.unwrap().into(),
            ]);
            counts.parties += 1;
        }
        index.push((p.id, entry));
        for e in trail {
            events.row([
                e.petition_id.into(),
                e.seq.into(),
                e.at.into(),
                e.actor_id.into(),
                e.actor_name.into(),
                e.action.into(),
                e.from.into(),
                e.to.into(),
                e.changes.into(),
                e.prev_hash.into(),
                e.hash.into(),
                e.facts.into(),
            ]);
            counts.events += 1;
        }
        // The inbox's sort key from the case's final clocks, as `deadlines::refresh_inbox` writes it.
        let inbox_due_on = crate::service::deadlines::inbox_key(p.status, &clocks.rows);
        for c in clocks.rows {
            deadlines.row([
                c.petition_id.into(),
                c.clock.into(),
                c.rule_set.into(),
                c.start_on.into(),
                c.unit.into(),
                c.limit_days.into(),
                c.complexity.into(),
                c.remote_area.into(),
                c.extensions.into(),
                c.pauses.into(),
                c.due_on.into(),
                c.paused.into(),
                c.state.into(),
                c.ended_on.into(),
                c.created_at.into(),
                c.updated_at.into(),
            ]);
            counts.clocks += 1;
        }
        petitions.row([
            p.id.into(),
            p.agency_id.into(),
            p.tracking_code.into(),
            p.kind.into(),
            p.channel.into(),
            p.status.into(),
            p.received_on.into(),
            p.received_by.into(),
            p.citizen_user_id.into(),
            p.subject.into(),
            p.anonymous.into(),
            p.signatories.into(),
            p.forwarding_body.into(),
            p.forwarding_doc_no.into(),
            p.attachments.into(),
            p.skip_level.into(),
            p.handled_before_by.into(),
            p.round.into(),
            p.complexity.into(),
            p.remote_area.into(),
            p.assignee_id.into(),
            p.unit_id.into(),
            p.leader_id.into(),
            p.expected_result.into(),
            p.origin_id.into(),
            p.origin_relation.into(),
            p.family_id.into(),
            p.confidential.into(),
            p.forwarded_to_agency_id.into(),
            p.forwarded_copy_id.into(),
            p.forwarded_to_body.into(),
            p.outcome_note.into(),
            p.result.into(),
            p.conclusion.into(),
            p.closed_on.into(),
            p.archive_until.into(),
            p.forward_result.into(),
            p.forward_result_on.into(),
            p.signed.into(),
            p.earlier_decision_no.into(),
            p.earlier_decision_on.into(),
            p.earlier_decision_body.into(),
            p.earlier_decision_received_on.into(),
            p.act_known_on.into(),
            p.dialogue_on.into(),
            p.dialogue_place.into(),
            p.dialogue_held_on.into(),
            p.rule_set.into(),
            inbox_due_on.into(),
            p.processed_on.into(),
            p.processed_action.into(),
            p.accepted_on.into(),
            p.working_days.into(),
            p.field.into(),
            p.recovered_money.into(),
            p.recovered_land_cm2.into(),
            p.people_restored.into(),
            p.version.into(),
            p.event_head.into(),
            p.created_at.into(),
            p.updated_at.into(),
        ]);
    }
    let mut out = Vec::new();
    petitions.statements(backend, &mut out);
    contents.statements(backend, &mut out);
    parties.statements(backend, &mut out);
    let per = rows_per_statement(backend, search::ENTRY_VALUES);
    while !index.is_empty() {
        let rest = index.split_off(index.len().min(per));
        out.push(search::index_many(backend, std::mem::replace(&mut index, rest)));
    }
    events.statements(backend, &mut out);
    deadlines.statements(backend, &mut out);
    let writes = out.into_iter().map(|st| Write::of(backend, st)).collect::<AppResult<_>>()?;
    Ok((writes, counts))
}
