//! The chairman's dashboard (domain.md §12, the wards' headline figures): petitions received and
//! closed, the on-time rate, the average handling time in working days, what is overdue now and
//! whose, citizens' satisfaction, apology letters, the head's sessions held against those his
//! schedule required; by agency, unit and handler, and month by month for the charts.
//!
//! - `closed`: cases whose handling the agency ended ([`crate::domain::report::CLOSED_STATUSES`]: resolved, guided,
//!   forwarded, refused, archived, terminated, made a lead) in the range; `on_time` unless a clock
//!   was met after its due date (`late`); `on_time_rate` = on time / closed.
//! - `avg_working_days`: the mean handling time of the cases closed (receipt to closing, working
//!   days on the calendar of the day each closed; cases closed before the register kept it are
//!   left out).
//! - `overdue_now`: cases past the due date of what they still owe today, whoever holds them.
//! - `satisfaction_rate`: ratings of 4 or 5 among the citizens' ratings given in the range.
//! - `sessions_required` / `sessions_held`: the heads' periodic sessions their schedules set in the
//!   range (up to today) and those held.

use std::collections::{BTreeMap, HashMap};

use chrono::{Days, NaiveDate};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QuerySelect};
use serde::Serialize;
use utoipa::ToSchema;

use super::{AgencyRef, Scope, scope, sql};
use crate::{
    clock::day_start,
    domain::report::{DashboardQuery, Month, rate},
    entity::{unit, user},
    error::AppResult,
    service::{context::Ctx, reception::occurrences},
};

/// The figures of one agency, unit or handler.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct Line {
    /// `null`: the cases no unit (or no handler) holds.
    pub id: Option<i64>,
    pub name: String,
    /// The handler's unit (handlers only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit_name: Option<String>,
    pub received: i64,
    pub closed: i64,
    pub on_time: i64,
    pub late: i64,
    /// Percent, one decimal; `null` when nothing closed.
    pub on_time_rate: Option<f64>,
    pub avg_working_days: Option<f64>,
    pub overdue_now: i64,
    pub ratings: i64,
    pub satisfied: i64,
    pub satisfaction_rate: Option<f64>,
}

/// One month of the series.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct MonthLine {
    /// `YYYY-MM`.
    pub month: String,
    pub received: i64,
    pub closed: i64,
    pub on_time: i64,
    pub late: i64,
    pub on_time_rate: Option<f64>,
    pub avg_working_days: Option<f64>,
    pub ratings: i64,
    pub satisfied: i64,
    pub satisfaction_rate: Option<f64>,
    pub apology_letters: i64,
    pub sessions_held: i64,
    pub sessions_required: i64,
}

/// `GET /reports/dashboard`.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct Dashboard {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The day `overdue_now` is counted on.
    pub as_of: NaiveDate,
    pub agency: AgencyRef,
    pub received: i64,
    pub closed: i64,
    pub on_time: i64,
    pub late: i64,
    pub on_time_rate: Option<f64>,
    pub avg_working_days: Option<f64>,
    pub overdue_now: i64,
    pub ratings: i64,
    pub satisfied: i64,
    pub satisfaction_rate: Option<f64>,
    pub apology_letters: i64,
    pub sessions_held: i64,
    pub sessions_required: i64,
    /// Each agency (the one asked first, then those below it).
    pub by_agency: Vec<Line>,
    /// Each unit holding cases, most overdue first.
    pub by_unit: Vec<Line>,
    /// Each handler, most overdue first.
    pub by_handler: Vec<Line>,
    /// Month by month, oldest first.
    pub series: Vec<MonthLine>,
}

/// What is added up per agency, unit, handler and month.
#[derive(Debug, Clone, Copy, Default)]
struct Acc {
    received: i64,
    closed: i64,
    late: i64,
    days: i64,
    timed: i64,
    overdue: i64,
    ratings: i64,
    satisfied: i64,
    apologies: i64,
    held: i64,
    required: i64,
}

impl Acc {
    fn line(&self, id: Option<i64>, name: String, unit_name: Option<String>) -> Line {
        let (ontime, late) = (self.closed - self.late, self.late);
        Line {
            id,
            name,
            unit_name,
            received: self.received,
            closed: self.closed,
            on_time: ontime,
            late,
            on_time_rate: rate(u(ontime), u(self.closed)),
            avg_working_days: mean(self.days, self.timed),
            overdue_now: self.overdue,
            ratings: self.ratings,
            satisfied: self.satisfied,
            satisfaction_rate: rate(u(self.satisfied), u(self.ratings)),
        }
    }
}

fn u(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// A mean with one decimal, `None` of nothing.
fn mean(sum: i64, count: i64) -> Option<f64> {
    #[allow(clippy::cast_precision_loss)]
    (count > 0).then(|| ((sum as f64 / count as f64) * 10.0).round() / 10.0)
}

#[derive(Debug, FromQueryResult)]
struct OwnerMonthRow {
    agency_id: i64,
    unit_id: Option<i64>,
    assignee_id: Option<i64>,
    month: String,
    n: i64,
}

#[derive(Debug, FromQueryResult)]
struct ClosedRow {
    agency_id: i64,
    unit_id: Option<i64>,
    assignee_id: Option<i64>,
    month: String,
    late: i64,
    n: i64,
    days: i64,
    timed: i64,
}

#[derive(Debug, FromQueryResult)]
struct OverdueRow {
    agency_id: i64,
    unit_id: Option<i64>,
    assignee_id: Option<i64>,
    n: i64,
}

#[derive(Debug, FromQueryResult)]
struct RatingRow {
    agency_id: i64,
    unit_id: Option<i64>,
    assignee_id: Option<i64>,
    month: String,
    ratings: i64,
    satisfied: i64,
}

#[derive(Debug, FromQueryResult)]
struct AgencyMonthRow {
    agency_id: i64,
    month: String,
    n: i64,
}

#[derive(Debug, FromQueryResult)]
struct SessionRow {
    agency_id: i64,
    month: String,
    required: i64,
    held: i64,
}

/// `GET /reports/dashboard` (chairman, admin): the agency and those below it. The heads'
/// scheduled sessions of the range are written first (as the weekly review does), so that a
/// session nobody held counts as required.
pub async fn dashboard(ctx: &Ctx, query: DashboardQuery) -> AppResult<Dashboard> {
    let (from, to) = query.parse(ctx.today)?;
    let scope = scope(ctx, query.agency_id, true).await?;
    let cal = ctx.calendar().await?;
    let until = to.min(ctx.today);
    if from <= until {
        for agency in &scope.agencies {
            occurrences::materialise(ctx.writer(), &cal, agency.id, from, until, ctx.today, ctx.now).await?;
        }
    }
    figures(ctx.reader(), &scope, from, to, ctx.today).await
}

/// The dashboard of `scope` from `from` to `to`, overdue counted on `today`.
pub async fn figures(
    db: &impl ConnectionTrait,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> AppResult<Dashboard> {
    let backend = db.get_database_backend();
    let ids = scope.ids_sql();
    let run = |text: &str, values| sql::statement(backend, text, &ids, values);
    let range = || vec![from.into(), to.into()];
    let mut agencies: HashMap<i64, Acc> = HashMap::new();
    let mut units: HashMap<Option<i64>, Acc> = HashMap::new();
    let mut handlers: HashMap<Option<i64>, Acc> = HashMap::new();
    let mut months: BTreeMap<String, Acc> = BTreeMap::new();
    let mut first = Month::of(from);
    while first <= Month::of(to) {
        months.insert(first.to_string(), Acc::default());
        first = first.plus(1);
    }
    let mut each =
        |agency: i64, unit: Option<i64>, handler: Option<i64>, month: Option<&str>, f: &dyn Fn(&mut Acc)| {
            f(agencies.entry(agency).or_default());
            f(units.entry(unit).or_default());
            f(handlers.entry(handler).or_default());
            if let Some(m) = month.and_then(|m| months.get_mut(m)) {
                f(m);
            }
        };

    for r in OwnerMonthRow::find_by_statement(run(sql::DASH_RECEIVED, range())).all(db).await? {
        each(r.agency_id, r.unit_id, r.assignee_id, Some(&r.month), &|a| a.received += r.n);
    }
    for r in ClosedRow::find_by_statement(run(&sql::dash_closed(), range())).all(db).await? {
        let late = if r.late == 1 { r.n } else { 0 };
        each(r.agency_id, r.unit_id, r.assignee_id, Some(&r.month), &|a| {
            a.closed += r.n;
            a.late += late;
            a.days += r.days;
            a.timed += r.timed;
        });
    }
    for r in OverdueRow::find_by_statement(run(sql::DASH_OVERDUE, vec![today.into()])).all(db).await? {
        each(r.agency_id, r.unit_id, r.assignee_id, None, &|a| a.overdue += r.n);
    }
    let instants = vec![day_start(from).into(), day_start(to + Days::new(1)).into()];
    for r in RatingRow::find_by_statement(run(sql::DASH_RATINGS, instants)).all(db).await? {
        each(r.agency_id, r.unit_id, r.assignee_id, Some(&r.month), &|a| {
            a.ratings += r.ratings;
            a.satisfied += r.satisfied;
        });
    }
    for r in AgencyMonthRow::find_by_statement(run(sql::DASH_APOLOGIES, range())).all(db).await? {
        agencies.entry(r.agency_id).or_default().apologies += r.n;
        if let Some(m) = months.get_mut(&r.month) {
            m.apologies += r.n;
        }
    }
    let mut sessions = range();
    sessions.push(today.into());
    for r in SessionRow::find_by_statement(run(sql::DASH_SESSIONS, sessions)).all(db).await? {
        let a = agencies.entry(r.agency_id).or_default();
        a.held += r.held;
        a.required += r.required;
        if let Some(m) = months.get_mut(&r.month) {
            m.held += r.held;
            m.required += r.required;
        }
    }

    let mut total = Acc::default();
    let by_agency: Vec<Line> = scope
        .agencies
        .iter()
        .map(|agency| {
            let a = agencies.get(&agency.id).copied().unwrap_or_default();
            add(&mut total, &a);
            a.line(Some(agency.id), agency.name.clone(), None)
        })
        .collect();
    let by_unit = unit_lines(db, &units).await?;
    let by_handler = handler_lines(db, &handlers).await?;
    let series = months
        .iter()
        .map(|(month, a)| {
            let line = a.line(None, String::new(), None);
            MonthLine {
                month: month.clone(),
                received: line.received,
                closed: line.closed,
                on_time: line.on_time,
                late: line.late,
                on_time_rate: line.on_time_rate,
                avg_working_days: line.avg_working_days,
                ratings: line.ratings,
                satisfied: line.satisfied,
                satisfaction_rate: line.satisfaction_rate,
                apology_letters: a.apologies,
                sessions_held: a.held,
                sessions_required: a.required,
            }
        })
        .collect();
    let head = total.line(None, String::new(), None);
    Ok(Dashboard {
        from,
        to,
        as_of: today,
        agency: scope.root().clone(),
        received: head.received,
        closed: head.closed,
        on_time: head.on_time,
        late: head.late,
        on_time_rate: head.on_time_rate,
        avg_working_days: head.avg_working_days,
        overdue_now: head.overdue_now,
        ratings: head.ratings,
        satisfied: head.satisfied,
        satisfaction_rate: head.satisfaction_rate,
        apology_letters: total.apologies,
        sessions_held: total.held,
        sessions_required: total.required,
        by_agency,
        by_unit,
        by_handler,
        series,
    })
}

fn add(total: &mut Acc, a: &Acc) {
    total.received += a.received;
    total.closed += a.closed;
    total.late += a.late;
    total.days += a.days;
    total.timed += a.timed;
    total.overdue += a.overdue;
    total.ratings += a.ratings;
    total.satisfied += a.satisfied;
    total.apologies += a.apologies;
    total.held += a.held;
    total.required += a.required;
}

/// The name of the line of cases nobody (no unit, no handler) holds.
const NOBODY: &str = "Chưa phân công";

/// The names of the units `ids`, in one query.
async fn unit_names(db: &impl ConnectionTrait, ids: Vec<i64>) -> AppResult<HashMap<i64, String>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(unit::Entity::find()
        .select_only()
        .column(unit::Column::Id)
        .column(unit::Column::Name)
        .filter(unit::Column::Id.is_in(ids))
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// The units' lines with their names, most overdue first, then by name.
async fn unit_lines(db: &impl ConnectionTrait, units: &HashMap<Option<i64>, Acc>) -> AppResult<Vec<Line>> {
    let names = unit_names(db, units.keys().flatten().copied().collect()).await?;
    let mut lines: Vec<Line> = units
        .iter()
        .map(|(id, a)| {
            let name = id.and_then(|i| names.get(&i).cloned()).unwrap_or_else(|| NOBODY.to_owned());
            a.line(*id, name, None)
        })
        .collect();
    sort(&mut lines);
    Ok(lines)
}

/// The handlers' lines with their names and units, most overdue first, then by name.
async fn handler_lines(
    db: &impl ConnectionTrait,
    handlers: &HashMap<Option<i64>, Acc>,
) -> AppResult<Vec<Line>> {
    let ids: Vec<i64> = handlers.keys().flatten().copied().collect();
    let people: HashMap<i64, (String, Option<i64>)> = if ids.is_empty() {
        HashMap::new()
    } else {
        user::Entity::find()
            .select_only()
            .column(user::Column::Id)
            .column(user::Column::FullName)
            .column(user::Column::UnitId)
            .filter(user::Column::Id.is_in(ids))
            .into_tuple::<(i64, String, Option<i64>)>()
            .all(db)
            .await?
            .into_iter()
            .map(|(id, name, unit)| (id, (name, unit)))
            .collect()
    };
    let unit_names = unit_names(db, people.values().filter_map(|(_, u)| *u).collect()).await?;
    let mut lines: Vec<Line> = handlers
        .iter()
        .map(|(id, a)| {
            let person = id.and_then(|i| people.get(&i));
            let name = person.map_or_else(|| NOBODY.to_owned(), |(n, _)| n.clone());
            let unit_name = person.and_then(|(_, u)| u.and_then(|u| unit_names.get(&u).cloned()));
            a.line(*id, name, unit_name)
        })
        .collect();
    sort(&mut lines);
    Ok(lines)
}

/// Most overdue first, then most received, then by name.
fn sort(lines: &mut [Line]) {
    lines.sort_by(|a, b| {
        b.overdue_now.cmp(&a.overdue_now).then(b.received.cmp(&a.received)).then(a.name.cmp(&b.name))
    });
}
