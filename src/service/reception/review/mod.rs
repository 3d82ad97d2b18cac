//! The chairman's weekly review (domain.md §12): the heads' sessions against their schedule (a
//! missed week flagged) and against the law's minimum (a commune chairman owes a session every
//! working week whatever his schedule says, Law 42/2013 Art. 15(2)(d); a schedule below the
//! minimum is flagged with the reason recorded for it), the reception figures, new petitions, what
//! is overdue and whose, the on-time and satisfaction rates; and the same figures week by week for
//! charts.
//!
//! "Overdue" is read as of the end of the week (or today, for the current week) from the stored
//! clocks: a clock counts when it had started, was due before that day, was not paused and was
//! still running then. Handler and unit are the case's current ones.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    domain::{
        calendar::Calendar,
        petition::Kind,
        reception::{
            IsoWeek, SeriesQuery, SessionKind, SessionStatus, WeekQuery, every_week_required,
            in_force_during, rate, shortfall, versions_during,
        },
    },
    entity::reception_session,
    error::AppResult,
    service::{
        context::Ctx,
        reception::{occurrences, schedules, sessions},
    },
};

/// A head's periodic sessions in the week, against his schedule as it stood then and the law's
/// minimum.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HeadWeek {
    pub host_id: i64,
    pub host_name: Option<String>,
    /// The week called for a session: an occurrence of the schedule in force on the week's days
    /// falls in it (a later change of the schedule does not alter it), or the head is a commune
    /// chairman and the week has a working day (Law 42/2013 Art. 15(2)(d), whatever the schedule).
    pub required: bool,
    /// The head's periodic sessions of the week that were held.
    pub held: u32,
    /// `held`; `upcoming` (a session still ahead); `missed` (required, none held, none ahead, and
    /// either the schedule's session passed or no working day is left in the week);
    /// `unscheduled` (a commune chairman's week with working days left but no session set);
    /// `no_working_day` (a commune chairman's week without a working day: nobody receives);
    /// `not_required` (another head's week his schedule asked nothing of).
    pub status: String,
    /// The schedule in force during the week is below the law's minimum for the head's level
    /// (commune: every week; province: every month).
    pub below_minimum: bool,
    /// Why it is below, citing the article (Vietnamese).
    pub below_minimum_note: Option<String>,
    /// The reason recorded with that schedule (`null`: none, e.g. set before reasons were kept).
    pub below_minimum_reason: Option<String>,
    /// The ids of the head's periodic sessions of the week: the occurrences of the week's own
    /// dates (wherever a holiday moved them) and those added by hand on its days.
    pub session_ids: Vec<i64>,
}

/// Sessions of one kind in the week.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct KindCount {
    pub held: u32,
    pub scheduled: u32,
    pub missed: u32,
    pub cancelled: u32,
}

/// Someone with overdue work.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OverdueOwner {
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub count: u32,
}

/// An overdue case (never a petitioner's identity).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OverdueCase {
    pub id: i64,
    pub tracking_code: String,
    pub kind: Kind,
    pub subject: String,
    pub due: NaiveDate,
    pub days_overdue: i64,
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
}

/// An overdue directive.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OverdueDirective {
    pub id: i64,
    pub session_id: i64,
    pub unit_id: i64,
    pub unit_name: Option<String>,
    pub task: String,
    pub due: NaiveDate,
}

/// The figures of one week.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WeekFigures {
    /// `YYYY-Www`.
    pub week: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The day overdue work is counted at (the Monday after, or today for the current week).
    pub as_of: NaiveDate,
    /// Head-weeks the schedules called for, held, and missed.
    pub periodic_required: u32,
    pub periodic_held: u32,
    pub periodic_missed: u32,
    pub heads: Vec<HeadWeek>,
    pub sessions_held: u32,
    #[schema(value_type = Object)]
    pub sessions_by_kind: BTreeMap<String, KindCount>,
    pub visits: u32,
    pub people: i64,
    /// Distinct matters: each visit, a case counted once however often its people came.
    pub cases: u32,
    pub repeat_visits: u32,
    /// Crowd delegations (5 people or more) and their people.
    pub delegations: u32,
    pub delegation_people: i64,
    pub refusals: u32,
    pub refusal_notices_overdue: u32,
    pub new_petitions: u32,
    #[schema(value_type = Object)]
    pub new_petitions_by_kind: BTreeMap<String, u32>,
    pub overdue_cases: u32,
    pub overdue_by_owner: Vec<OverdueOwner>,
    /// The most overdue first, at most 50 (empty in the series).
    pub overdue_items: Vec<OverdueCase>,
    pub overdue_directives: u32,
    /// The earliest due first, at most 50 (empty in the series).
    pub overdue_directive_items: Vec<OverdueDirective>,
    /// Cases whose handling ended this week (resolved, guided, forwarded, refused, archived,
    /// terminated, made a lead), on time (every clock met by its due date) or late.
    pub closed: u32,
    pub closed_on_time: u32,
    pub closed_late: u32,
    /// Percent, one decimal; `null` when nothing closed.
    pub on_time_rate: Option<f64>,
    /// Citizens' ratings given this week; satisfied means a score of 4 or 5.
    pub ratings: u32,
    pub satisfied: u32,
    pub satisfaction_rate: Option<f64>,
}

pub mod statements;

pub use statements::{ITEMS, WeekParams, statements};

#[derive(Debug, FromQueryResult)]
struct OwnerRow {
    assignee_id: Option<i64>,
    assignee_name: Option<String>,
    unit_id: Option<i64>,
    unit_name: Option<String>,
    n: i64,
}

#[derive(Debug, FromQueryResult)]
struct OverdueRow {
    id: i64,
    tracking_code: String,
    kind: Kind,
    subject: String,
    assignee_id: Option<i64>,
    assignee_name: Option<String>,
    unit_id: Option<i64>,
    unit_name: Option<String>,
    due: NaiveDate,
}

#[derive(Debug, FromQueryResult)]
struct DirectiveRow {
    id: i64,
    session_id: i64,
    unit_id: i64,
    unit_name: Option<String>,
    task: String,
    due: NaiveDate,
}

#[derive(Debug, FromQueryResult)]
struct VisitRow {
    visits: i64,
    people: i64,
    linked_cases: i64,
    loose: i64,
    repeat_visits: i64,
    delegations: i64,
    delegation_people: i64,
}

#[derive(Debug, FromQueryResult)]
struct RefusalRow {
    refusals: i64,
    notices_overdue: i64,
}

#[derive(Debug, FromQueryResult)]
struct KindRow {
    kind: Kind,
    n: i64,
}

#[derive(Debug, FromQueryResult)]
struct CountRow {
    n: i64,
}

#[derive(Debug, FromQueryResult)]
struct ClosedRow {
    closed: i64,
    late: i64,
}

#[derive(Debug, FromQueryResult)]
struct RatingRow {
    ratings: i64,
    satisfied: i64,
}

/// `GET /reviews/weekly`: the figures of a week (the current one by default) with the lists of
/// overdue work; the week's scheduled sessions are written first.
pub async fn weekly(ctx: &Ctx, query: WeekQuery) -> AppResult<WeekFigures> {
    let agency_id = ctx.user.require_staff()?;
    let week = query.parse(ctx.today)?;
    let cal = ctx.calendar().await?;
    occurrences::materialise(ctx.writer(), &cal, agency_id, week.monday, week.sunday(), ctx.today, ctx.now)
        .await?;
    figures(ctx.reader(), &cal, agency_id, week, ctx.today, true).await
}

/// `GET /reviews/weekly/series`: the figures of each week of a span (at most 53), without the
/// lists, for charts.
pub async fn series(ctx: &Ctx, query: SeriesQuery) -> AppResult<Vec<WeekFigures>> {
    let agency_id = ctx.user.require_staff()?;
    let span = query.parse(ctx.today)?;
    let cal = ctx.calendar().await?;
    let (from, to) = (span.first.monday, span.last.sunday());
    occurrences::materialise(ctx.writer(), &cal, agency_id, from, to, ctx.today, ctx.now).await?;
    let mut out = Vec::with_capacity(span.len());
    for week in span.weeks() {
        out.push(figures(ctx.reader(), &cal, agency_id, week, ctx.today, false).await?);
    }
    Ok(out)
}

/// The figures of `week` for an agency; `detail` adds the lists of overdue work. Every figure
/// is an aggregate over an index ([`statements`]); the lists hold at most [`ITEMS`] rows each.
pub async fn figures(
    db: &impl ConnectionTrait,
    cal: &Calendar,
    agency_id: i64,
    week: IsoWeek,
    today: NaiveDate,
    detail: bool,
) -> AppResult<WeekFigures> {
    let backend = db.get_database_backend();
    let p = WeekParams::new(cal, agency_id, week, today)?;
    let (from, to, as_of) = (p.from, p.to, p.as_of);
    let n = |x: i64| u32::try_from(x).unwrap_or(0);

    // Sessions held, planned and missed in the week's days (a week's sessions are few).
    let week_sessions = sessions::all_between(db, agency_id, from, to).await?;
    let mut by_kind: BTreeMap<String, KindCount> = BTreeMap::new();
    let mut held = 0;
    for s in &week_sessions {
        let c = by_kind.entry(s.kind.as_str().to_owned()).or_default();
        let stored = s.status;
        match SessionStatus::shown(stored, s.session_date, today) {
            SessionStatus::Held => {
                c.held += 1;
                held += 1;
            }
            SessionStatus::Scheduled => c.scheduled += 1,
            SessionStatus::Missed => c.missed += 1,
            SessionStatus::Cancelled => c.cancelled += 1,
        }
    }
    let heads = head_weeks(db, cal, agency_id, from, to, today).await?;
    let count =
        |f: &dyn Fn(&HeadWeek) -> bool| u32::try_from(heads.iter().filter(|h| f(h)).count()).unwrap_or(0);
    let periodic_required = count(&|h| h.required);
    let periodic_held = count(&|h| h.required && h.held > 0);
    let periodic_missed = count(&|h| h.status == "missed");

    // The book's figures, refusals and their overdue notices.
    let visits = VisitRow::find_by_statement(p.visits(backend)).one(db).await?.unwrap_or(VisitRow {
        visits: 0,
        people: 0,
        linked_cases: 0,
        loose: 0,
        repeat_visits: 0,
        delegations: 0,
        delegation_people: 0,
    });
    let refused = RefusalRow::find_by_statement(p.refusals(backend))
        .one(db)
        .await?
        .unwrap_or(RefusalRow { refusals: 0, notices_overdue: 0 });

    // New petitions.
    let mut new_petitions_by_kind: BTreeMap<String, u32> =
        Kind::ALL.iter().map(|k| (k.as_str().to_owned(), 0)).collect();
    for row in KindRow::find_by_statement(p.new_by_kind(backend)).all(db).await? {
        new_petitions_by_kind.insert(row.kind.as_str().to_owned(), n(row.n));
    }

    // Overdue cases as of the week's end: counted per owner, the most overdue listed.
    let mut overdue_by_owner: Vec<OverdueOwner> = OwnerRow::find_by_statement(p.overdue_by_owner(backend))
        .all(db)
        .await?
        .into_iter()
        .map(|r| OverdueOwner {
            assignee_id: r.assignee_id,
            assignee_name: r.assignee_name,
            unit_id: r.unit_id,
            unit_name: r.unit_name,
            count: n(r.n),
        })
        .collect();
    overdue_by_owner.sort_by(|a, b| {
        b.count.cmp(&a.count).then(a.assignee_id.cmp(&b.assignee_id)).then(a.unit_id.cmp(&b.unit_id))
    });
    let overdue_cases = overdue_by_owner.iter().map(|o| o.count).sum();
    let overdue_items = if detail && overdue_cases > 0 {
        OverdueRow::find_by_statement(p.overdue_items(backend))
            .all(db)
            .await?
            .into_iter()
            .map(|r| OverdueCase {
                id: r.id,
                tracking_code: r.tracking_code,
                kind: r.kind,
                subject: r.subject,
                due: r.due,
                days_overdue: (as_of - r.due).num_days(),
                assignee_id: r.assignee_id,
                assignee_name: r.assignee_name,
                unit_id: r.unit_id,
                unit_name: r.unit_name,
            })
            .collect()
    } else {
        vec![]
    };

    // Overdue directives as of the week's end.
    let overdue_directives =
        CountRow::find_by_statement(p.overdue_directives(backend)).one(db).await?.map_or(0, |r| n(r.n));
    let overdue_directive_items = if detail && overdue_directives > 0 {
        DirectiveRow::find_by_statement(p.overdue_directive_items(backend))
            .all(db)
            .await?
            .into_iter()
            .map(|d| OverdueDirective {
                id: d.id,
                session_id: d.session_id,
                unit_id: d.unit_id,
                unit_name: d.unit_name,
                task: d.task,
                due: d.due,
            })
            .collect()
    } else {
        vec![]
    };

    // On time and satisfaction.
    let closed = ClosedRow::find_by_statement(p.closed_cases(backend))
        .one(db)
        .await?
        .unwrap_or(ClosedRow { closed: 0, late: 0 });
    let ratings = RatingRow::find_by_statement(p.ratings(backend))
        .one(db)
        .await?
        .unwrap_or(RatingRow { ratings: 0, satisfied: 0 });
    let closed_late = n(closed.late);
    let closed_all = n(closed.closed);

    Ok(WeekFigures {
        week: week.label(),
        from,
        to,
        as_of,
        periodic_required,
        periodic_held,
        periodic_missed,
        heads,
        sessions_held: held,
        sessions_by_kind: by_kind,
        visits: n(visits.visits),
        people: visits.people,
        cases: n(visits.linked_cases) + n(visits.loose),
        repeat_visits: n(visits.repeat_visits),
        delegations: n(visits.delegations),
        delegation_people: visits.delegation_people,
        refusals: n(refused.refusals),
        refusal_notices_overdue: n(refused.notices_overdue),
        new_petitions: new_petitions_by_kind.values().sum(),
        new_petitions_by_kind,
        overdue_cases,
        overdue_by_owner,
        overdue_items,
        overdue_directives,
        overdue_directive_items,
        closed: closed_all,
        closed_on_time: closed_all.saturating_sub(closed_late),
        closed_late,
        on_time_rate: rate(u64::from(closed_all.saturating_sub(closed_late)), u64::from(closed_all)),
        ratings: n(ratings.ratings),
        satisfied: n(ratings.satisfied),
        satisfaction_rate: rate(
            u64::try_from(ratings.satisfied).unwrap_or(0),
            u64::try_from(ratings.ratings).unwrap_or(0),
        ),
    })
}

/// The heads' periodic sessions of a week against their schedules, from the stored sessions
/// alone (the use cases write the week's occurrences first, each under the version of the
/// schedule in force on its day): a week is required when an occurrence of the schedule falls in
/// it, so a later change of the schedule never rewrites a past week. A generated session counts
/// for the week of its nominal date (one moved off a holiday into the next week still answers for
/// its own week); one added by hand for the week of its day. Heads whose schedule was in force
/// during the week without calling for a session are listed as `not_required`, except a commune
/// chairman: the law asks a session of him every week with a working day, whatever his schedule.
///
/// Bounded: the week's periodic sessions (a few per head), the agency's heads' schedules with
/// their versions, one row for the agency's level and one per head for the roles.
async fn head_weeks(
    db: &impl ConnectionTrait,
    cal: &Calendar,
    agency_id: i64,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> AppResult<Vec<HeadWeek>> {
    use reception_session::Column as S;
    let in_week = |c: S| Condition::all().add(c.gte(from)).add(c.lte(to));
    let periodic = reception_session::Entity::find()
        .filter(S::AgencyId.eq(agency_id))
        .filter(S::Kind.eq(SessionKind::Periodic))
        .filter(
            Condition::any()
                .add(in_week(S::NominalDate))
                .add(Condition::all().add(S::NominalDate.is_null()).add(in_week(S::SessionDate))),
        )
        .order_by_asc(S::SessionDate)
        .order_by_asc(S::Id)
        .all(db)
        .await?;
    let mut by_host: BTreeMap<i64, Vec<&reception_session::Model>> = BTreeMap::new();
    for s in &periodic {
        by_host.entry(s.host_id).or_default().push(s);
    }
    // The versions in force during the week, by host (those calling for sessions).
    let mut in_force: HashMap<i64, Vec<schedules::Version>> = HashMap::new();
    for schedule in schedules::histories_of_agency(db, agency_id).await? {
        let history = schedule.history();
        if in_force_during(&history, from, to) {
            by_host.entry(schedule.row.host_id).or_default();
            let during = versions_during(&history, from, to);
            in_force.insert(
                schedule.row.host_id,
                during.into_iter().map(|i| schedule.versions[i].clone()).collect(),
            );
        }
    }
    if by_host.is_empty() {
        return Ok(vec![]);
    }
    let level = schedules::level_of(db, agency_id).await?;
    let host_ids: Vec<i64> = by_host.keys().copied().collect();
    let heads = schedules::heads_of(db, &host_ids).await?;
    let week_has_working_day = from.iter_days().take_while(|d| *d <= to).any(|d| cal.is_working_day(d));
    let working_day_left =
        today.max(from).iter_days().take_while(|d| *d <= to).any(|d| cal.is_working_day(d));
    Ok(by_host
        .into_iter()
        .map(|(host_id, mine)| {
            let head = heads.get(&host_id);
            let versions = in_force.get(&host_id).map(Vec::as_slice).unwrap_or_default();
            // The law's weekly minimum binds a commune chairman while he has a schedule at all.
            let weekly_minimum =
                !versions.is_empty() && head.is_some_and(|h| every_week_required(level, h.role));
            // The latest version of the week below the minimum, with its reason.
            let below = head.and_then(|h| {
                versions.iter().rev().find_map(|v| {
                    let rule = v.version.rule?;
                    shortfall(level, h.role, &rule).map(|b| (b, v.reason.clone()))
                })
            });
            let scheduled = mine.iter().any(|s| s.nominal_date.is_some());
            let by_law = weekly_minimum && week_has_working_day;
            let required = scheduled || by_law;
            let held_count = mine.iter().filter(|s| s.status == SessionStatus::Held).count();
            let ahead = mine.iter().any(|s| s.status == SessionStatus::Scheduled && s.session_date >= today);
            let status = match (held_count > 0, ahead) {
                (true, _) => "held",
                (false, true) => "upcoming",
                _ if scheduled => "missed",
                _ if by_law && working_day_left => "unscheduled",
                _ if by_law => "missed",
                _ if weekly_minimum => "no_working_day",
                _ => "not_required",
            };
            HeadWeek {
                host_id,
                host_name: head.map(|h| h.name.clone()),
                required,
                held: u32::try_from(held_count).unwrap_or(u32::MAX),
                status: status.to_owned(),
                below_minimum: below.is_some(),
                below_minimum_note: below.as_ref().map(|(b, _)| b.message().to_owned()),
                below_minimum_reason: below.and_then(|(_, reason)| reason),
                session_ids: mine.iter().map(|s| s.id).collect(),
            }
        })
        .collect())
}
