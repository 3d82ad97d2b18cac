//! The periodic report (domain.md §10): reception, handling and resolution for a named period
//! under the statutory cut-off or any range, for an agency and, at a higher level, each agency
//! below it listed and summed. Open work at the cut-off carries over into the next period.
//!
//! The meaning of each figure:
//! - Reception (the reception book): `sessions` held; `visits` (lines of the book), `people`,
//!   `cases` (matters: each case visited about once, each visit about no case on its own); `new`
//!   and `repeat` visits (a repeat is about a case it did not open); crowd `delegations` (five
//!   people or more), their people, new and repeat; by session kind, content kind and field.
//! - Handling (petitions): `carried_over` (received before the period, not processed at its
//!   start), `received` in it, `total`; `processed` in it (its first decision), `eligible` (all
//!   processed but those kept without handling), and how: `within_competence` (accepted or
//!   resolved at once), `guided`, `forwarded`, `urged`, `archived`, `rejected`, `leads`;
//!   `replies_received` from the bodies petitions went to; `pending_at_end` (`total` −
//!   `processed`).
//! - Resolution (cases accepted): `due` = `carried_over` (accepted before the period, open at its
//!   start) + `accepted` in it; closed in it: `resolved` (`right`, `partly_right`, `wrong` by the
//!   conclusion; `round_1`, `round_2`; `on_time`, `late`: late when a clock was met after its due
//!   date), `withdrawn`, `terminated`; `open_at_end` (due but not closed by the period's end);
//!   what the resolutions recovered (money, land) and the people whose rights they restored.

use std::collections::{BTreeMap, HashMap};

use sea_orm::{ConnectionTrait, FromQueryResult};
use serde::Serialize;
use utoipa::ToSchema;

use super::{AgencyRef, Scope, scope, sql};
use crate::{
    domain::{
        petition::{Conclusion, EventAction, Kind, Status, field::Field, field::UNCLASSIFIED_LABEL},
        reception::SessionKind,
        report::{Handled, PeriodQuery, ReportPeriod},
    },
    error::AppResult,
    service::context::Ctx,
};

/// Counters of a table, each an integer, that add up across kinds and agencies.
macro_rules! counters {
    ($(#[$m:meta])* pub struct $name:ident { $($(#[$fm:meta])* $field:ident),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
        pub struct $name { $($(#[$fm])* pub $field: i64),+ }

        impl $name {
            /// Adds `other`'s counts to these.
            pub fn add(&mut self, other: &Self) {
                $(self.$field += other.$field;)+
            }
        }
    };
}

counters! {
    /// The reception table's figures.
    pub struct ReceptionTotals {
        sessions, visits, people, cases, new, repeat, delegations, delegation_people,
        delegations_new, delegations_repeat,
    }
}

counters! {
    /// The handling table's figures.
    pub struct HandlingTotals {
        carried_over, received, total, processed, eligible, within_competence, guided, forwarded,
        urged, archived, rejected, leads, replies_received, pending_at_end,
    }
}

counters! {
    /// The resolution table's figures (`recovered_land_m2` is sent in m², to the hundredth).
    pub struct ResolutionTotals {
        due, carried_over, accepted, resolved, withdrawn, terminated, right, partly_right, wrong,
        round_1, round_2, on_time, late, open_at_end, recovered_money,
        #[serde(rename = "recovered_land_m2", serialize_with = "hundredths")]
        #[schema(value_type = f64)]
        recovered_land_cm2,
        people_restored,
    }
}

/// Hundredths as a decimal number.
fn hundredths<S: serde::Serializer>(value: &i64, s: S) -> Result<S::Ok, S::Error> {
    #[allow(clippy::cast_precision_loss)]
    s.serialize_f64(*value as f64 / 100.0)
}

/// One kind of reception session's line.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SessionKindLine {
    pub kind: SessionKind,
    pub label: String,
    pub sessions: i64,
    pub visits: i64,
    pub people: i64,
    pub cases: i64,
    pub new: i64,
    pub repeat: i64,
}

/// One kind of content's visits.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KindVisits {
    pub kind: Kind,
    pub label: String,
    pub visits: i64,
    pub people: i64,
    pub new: i64,
    pub repeat: i64,
}

/// One field's visits (`field` null: not classified).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldVisits {
    pub field: Option<Field>,
    pub label: String,
    pub visits: i64,
}

/// One field's petitions received.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldReceived {
    pub field: Option<Field>,
    pub label: String,
    pub received: i64,
}

/// The reception table.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Reception {
    #[serde(flatten)]
    pub totals: ReceptionTotals,
    pub by_session_kind: Vec<SessionKindLine>,
    pub by_kind: Vec<KindVisits>,
    pub by_field: Vec<FieldVisits>,
}

/// One kind's handling figures.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HandlingKind {
    pub kind: Kind,
    pub label: String,
    #[serde(flatten)]
    pub totals: HandlingTotals,
}

/// The handling table.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Handling {
    #[serde(flatten)]
    pub totals: HandlingTotals,
    pub by_kind: Vec<HandlingKind>,
    pub by_field: Vec<FieldReceived>,
}

/// One kind's resolution figures.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ResolutionKind {
    pub kind: Kind,
    pub label: String,
    #[serde(flatten)]
    pub totals: ResolutionTotals,
}

/// The resolution table.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Resolution {
    #[serde(flatten)]
    pub totals: ResolutionTotals,
    pub by_kind: Vec<ResolutionKind>,
}

/// One agency's own figures, in the listing of a higher level's report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgencyFigures {
    pub agency: AgencyRef,
    pub reception: ReceptionTotals,
    pub handling: HandlingTotals,
    pub resolution: ResolutionTotals,
}

/// `GET /reports/periodic`: the three tables of a period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PeriodicReport {
    /// The named period (`2026-Q4`…), `null` for a range.
    pub period: Option<String>,
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    /// The day of the month named periods start on.
    pub cutoff_day: u32,
    pub agency: AgencyRef,
    pub reception: Reception,
    pub handling: Handling,
    pub resolution: Resolution,
    /// Each agency of the report (the one asked first), whose figures the tables sum.
    pub agencies: Vec<AgencyFigures>,
}

/// `GET /reports/periodic` (chairman, admin).
pub async fn report(ctx: &Ctx, query: PeriodQuery) -> AppResult<PeriodicReport> {
    let period = query.parse(ctx.reports().cutoff_day)?;
    let scope = scope(ctx, query.agency_id, query.subordinates.unwrap_or(true)).await?;
    figures(ctx.reader(), &scope, &period, ctx.reports().cutoff_day).await
}

/// One agency's counts as they are read, by kind of petition where the tables break them down.
#[derive(Debug, Default)]
struct Tally {
    reception: ReceptionTotals,
    by_session_kind: BTreeMap<SessionKind, (i64, ReceptionTotals)>,
    visits_by_kind: HashMap<Kind, ReceptionTotals>,
    visits_by_field: BTreeMap<Option<Field>, i64>,
    handling: HashMap<Kind, HandlingTotals>,
    received_by_field: BTreeMap<Option<Field>, i64>,
    resolution: HashMap<Kind, ResolutionTotals>,
}

#[derive(Debug, FromQueryResult)]
struct SessionRow {
    agency_id: i64,
    kind: SessionKind,
    n: i64,
}

#[derive(Debug, FromQueryResult)]
struct VisitRow {
    agency_id: i64,
    session_kind: SessionKind,
    kind: Kind,
    field: Option<Field>,
    repeat_visit: i64,
    delegation: i64,
    visits: i64,
    people: i64,
}

#[derive(Debug, FromQueryResult)]
struct CasesRow {
    agency_id: i64,
    session_kind: SessionKind,
    linked: i64,
    loose: i64,
}

#[derive(Debug, FromQueryResult)]
struct CasesTotalRow {
    agency_id: i64,
    linked: i64,
    loose: i64,
}

#[derive(Debug, FromQueryResult)]
struct ReceivedRow {
    agency_id: i64,
    kind: Kind,
    field: Option<Field>,
    n: i64,
}

#[derive(Debug, FromQueryResult)]
struct KindRow {
    agency_id: i64,
    kind: Kind,
    n: i64,
}

#[derive(Debug, FromQueryResult)]
struct ProcessedRow {
    agency_id: i64,
    kind: Kind,
    action: Option<EventAction>,
    n: i64,
}

#[derive(Debug, FromQueryResult)]
struct ClosedRow {
    agency_id: i64,
    kind: Kind,
    status: Status,
    conclusion: Option<Conclusion>,
    round: i32,
    late: i64,
    n: i64,
    money: i64,
    land_cm2: i64,
    people: i64,
}

/// The report of `period` over `scope`, read on `db`.
pub async fn figures(
    db: &impl ConnectionTrait,
    scope: &Scope,
    period: &ReportPeriod,
    cutoff_day: u32,
) -> AppResult<PeriodicReport> {
    let backend = db.get_database_backend();
    let ids = scope.ids_sql();
    let range = || vec![period.from.into(), period.to.into()];
    let run = |text: &str, values| sql::statement(backend, text, &ids, values);
    let mut tally: HashMap<i64, Tally> = HashMap::new();

    for r in SessionRow::find_by_statement(run(sql::SESSIONS_HELD, range())).all(db).await? {
        let t = tally.entry(r.agency_id).or_default();
        t.reception.sessions += r.n;
        t.by_session_kind.entry(r.kind).or_default().0 += r.n;
    }
    let mut visit_values = range();
    visit_values.push(false.into());
    for r in VisitRow::find_by_statement(run(sql::VISITS, visit_values)).all(db).await? {
        let t = tally.entry(r.agency_id).or_default();
        let mut c = ReceptionTotals { visits: r.visits, people: r.people, ..Default::default() };
        if r.repeat_visit == 1 {
            c.repeat = r.visits;
        } else {
            c.new = r.visits;
        }
        if r.delegation == 1 {
            c.delegations = r.visits;
            c.delegation_people = r.people;
            if r.repeat_visit == 1 {
                c.delegations_repeat = r.visits;
            } else {
                c.delegations_new = r.visits;
            }
        }
        t.reception.add(&c);
        t.by_session_kind.entry(r.session_kind).or_default().1.add(&c);
        t.visits_by_kind.entry(r.kind).or_default().add(&c);
        *t.visits_by_field.entry(r.field).or_default() += r.visits;
    }
    for r in CasesRow::find_by_statement(run(sql::VISIT_CASES, range())).all(db).await? {
        let t = tally.entry(r.agency_id).or_default();
        t.by_session_kind.entry(r.session_kind).or_default().1.cases += r.linked + r.loose;
    }
    for r in CasesTotalRow::find_by_statement(run(sql::VISIT_CASES_TOTAL, range())).all(db).await? {
        tally.entry(r.agency_id).or_default().reception.cases += r.linked + r.loose;
    }

    // Handling.
    for r in ReceivedRow::find_by_statement(run(sql::RECEIVED, range())).all(db).await? {
        let t = tally.entry(r.agency_id).or_default();
        t.handling.entry(r.kind).or_default().received += r.n;
        *t.received_by_field.entry(r.field).or_default() += r.n;
    }
    let start = || vec![period.from.into()];
    for r in KindRow::find_by_statement(run(sql::CARRIED_UNPROCESSED, start())).all(db).await? {
        tally.entry(r.agency_id).or_default().handling.entry(r.kind).or_default().carried_over += r.n;
    }
    for r in ProcessedRow::find_by_statement(run(sql::PROCESSED, range())).all(db).await? {
        let h = tally.entry(r.agency_id).or_default().handling.entry(r.kind).or_default();
        h.processed += r.n;
        let how = r.action.map_or(Handled::Other, Handled::of);
        if how.eligible() {
            h.eligible += r.n;
        }
        match how {
            Handled::WithinCompetence => h.within_competence += r.n,
            Handled::Guided => h.guided += r.n,
            Handled::Forwarded => h.forwarded += r.n,
            Handled::Urged => h.urged += r.n,
            Handled::Archived => h.archived += r.n,
            Handled::Rejected => h.rejected += r.n,
            Handled::Lead => h.leads += r.n,
            Handled::Other => {}
        }
    }
    for r in KindRow::find_by_statement(run(sql::REPLIES, range())).all(db).await? {
        tally.entry(r.agency_id).or_default().handling.entry(r.kind).or_default().replies_received += r.n;
    }

    // Resolution.
    for r in KindRow::find_by_statement(run(sql::ACCEPTED, range())).all(db).await? {
        tally.entry(r.agency_id).or_default().resolution.entry(r.kind).or_default().accepted += r.n;
    }
    for r in KindRow::find_by_statement(run(sql::CARRIED_IN_RESOLUTION, start())).all(db).await? {
        tally.entry(r.agency_id).or_default().resolution.entry(r.kind).or_default().carried_over += r.n;
    }
    let mut closed: HashMap<(i64, Kind), i64> = HashMap::new();
    for r in ClosedRow::find_by_statement(run(&sql::closed_in_resolution(), range())).all(db).await? {
        *closed.entry((r.agency_id, r.kind)).or_default() += r.n;
        let z = tally.entry(r.agency_id).or_default().resolution.entry(r.kind).or_default();
        match r.status {
            Status::Resolved => {
                z.resolved += r.n;
                match r.conclusion {
                    Some(Conclusion::Right) => z.right += r.n,
                    Some(Conclusion::PartlyRight) => z.partly_right += r.n,
                    Some(Conclusion::Wrong) => z.wrong += r.n,
                    None => {}
                }
                if r.round >= 2 {
                    z.round_2 += r.n;
                } else {
                    z.round_1 += r.n;
                }
                if r.late == 1 {
                    z.late += r.n;
                } else {
                    z.on_time += r.n;
                }
                z.recovered_money += r.money;
                z.recovered_land_cm2 += r.land_cm2;
                z.people_restored += r.people;
            }
            Status::Withdrawn => z.withdrawn += r.n,
            Status::Terminated => z.terminated += r.n,
            _ => {}
        }
    }

    // Derived figures, kind by kind, then the agencies' lines and the sums.
    for (agency_id, t) in &mut tally {
        for h in t.handling.values_mut() {
            h.total = h.carried_over + h.received;
            h.pending_at_end = h.total - h.processed;
        }
        for (kind, z) in &mut t.resolution {
            z.due = z.carried_over + z.accepted;
            z.open_at_end = z.due - closed.get(&(*agency_id, *kind)).copied().unwrap_or(0);
        }
    }
    Ok(assemble(scope, period, cutoff_day, &tally))
}

/// The report from each agency's tally.
fn assemble(
    scope: &Scope,
    period: &ReportPeriod,
    cutoff_day: u32,
    tally: &HashMap<i64, Tally>,
) -> PeriodicReport {
    let empty = Tally::default();
    let mut sum = Tally::default();
    let mut agencies = Vec::with_capacity(scope.agencies.len());
    for agency in &scope.agencies {
        let t = tally.get(&agency.id).unwrap_or(&empty);
        let mut line = AgencyFigures {
            agency: agency.clone(),
            reception: t.reception,
            handling: Default::default(),
            resolution: Default::default(),
        };
        for h in t.handling.values() {
            line.handling.add(h);
        }
        for z in t.resolution.values() {
            line.resolution.add(z);
        }
        agencies.push(line);
        sum.reception.add(&t.reception);
        for (k, (n, c)) in &t.by_session_kind {
            let s = sum.by_session_kind.entry(*k).or_default();
            s.0 += n;
            s.1.add(c);
        }
        for (k, c) in &t.visits_by_kind {
            sum.visits_by_kind.entry(*k).or_default().add(c);
        }
        for (f, n) in &t.visits_by_field {
            *sum.visits_by_field.entry(*f).or_default() += n;
        }
        for (k, h) in &t.handling {
            sum.handling.entry(*k).or_default().add(h);
        }
        for (f, n) in &t.received_by_field {
            *sum.received_by_field.entry(*f).or_default() += n;
        }
        for (k, z) in &t.resolution {
            sum.resolution.entry(*k).or_default().add(z);
        }
    }
    let fields: Vec<Option<Field>> = Field::ALL.iter().copied().map(Some).chain([None]).collect();
    let field_label = |f: Option<Field>| f.map_or(UNCLASSIFIED_LABEL, Field::label_vi).to_owned();
    let reception = Reception {
        totals: sum.reception,
        by_session_kind: SESSION_KINDS
            .iter()
            .map(|k| {
                let (sessions, c) = sum.by_session_kind.get(k).copied().unwrap_or_default();
                SessionKindLine {
                    kind: *k,
                    label: k.label_vi().to_owned(),
                    sessions,
                    visits: c.visits,
                    people: c.people,
                    cases: c.cases,
                    new: c.new,
                    repeat: c.repeat,
                }
            })
            .collect(),
        by_kind: Kind::ALL
            .iter()
            .map(|k| {
                let c = sum.visits_by_kind.get(k).copied().unwrap_or_default();
                KindVisits {
                    kind: *k,
                    label: k.label_vi().to_owned(),
                    visits: c.visits,
                    people: c.people,
                    new: c.new,
                    repeat: c.repeat,
                }
            })
            .collect(),
        by_field: fields
            .iter()
            .map(|f| FieldVisits {
                field: *f,
                label: field_label(*f),
                visits: sum.visits_by_field.get(f).copied().unwrap_or(0),
            })
            .collect(),
    };
    let mut handling_totals = HandlingTotals::default();
    let mut resolution_totals = ResolutionTotals::default();
    for line in &agencies {
        handling_totals.add(&line.handling);
        resolution_totals.add(&line.resolution);
    }
    let handling = Handling {
        totals: handling_totals,
        by_kind: Kind::ALL
            .iter()
            .map(|k| HandlingKind {
                kind: *k,
                label: k.label_vi().to_owned(),
                totals: sum.handling.get(k).copied().unwrap_or_default(),
            })
            .collect(),
        by_field: fields
            .iter()
            .map(|f| FieldReceived {
                field: *f,
                label: field_label(*f),
                received: sum.received_by_field.get(f).copied().unwrap_or(0),
            })
            .collect(),
    };
    let resolution = Resolution {
        totals: resolution_totals,
        by_kind: Kind::ALL
            .iter()
            .map(|k| ResolutionKind {
                kind: *k,
                label: k.label_vi().to_owned(),
                totals: sum.resolution.get(k).copied().unwrap_or_default(),
            })
            .collect(),
    };
    PeriodicReport {
        period: period.name.clone(),
        from: period.from,
        to: period.to,
        cutoff_day,
        agency: scope.root().clone(),
        reception,
        handling,
        resolution,
        agencies,
    }
}

/// The session kinds in the report's order: staff's regular reception, the head's periodic and
/// unscheduled sessions, online sessions.
const SESSION_KINDS: [SessionKind; 4] =
    [SessionKind::Regular, SessionKind::Periodic, SessionKind::Unscheduled, SessionKind::Online];
