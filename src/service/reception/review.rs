//! The chairman's weekly review (domain.md §12): the heads' sessions against their schedule (a
//! missed week flagged), the reception figures, new petitions, what is overdue and whose, the
//! on-time and satisfaction rates; and the same figures week by week for charts.
//!
//! "Overdue" is read as of the end of the week (or today, for the current week) from the stored
//! clocks: a clock counts when it had started, was due before that day, was not paused and was
//! still running then. Handler and unit are the case's current ones.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Days, NaiveDate};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    clock::day_start,
    domain::{
        calendar::Calendar,
        petition::Kind,
        reception::{
            DirectiveStatus, IsoWeek, SeriesQuery, SessionKind, SessionStatus, WeekQuery, in_force_during,
            rate,
        },
    },
    entity::{petition, reception_directive, reception_refusal, reception_session},
    error::AppResult,
    service::{
        context::Ctx,
        reception::{book, names_of, occurrences, refusals, schedules, sessions, unit_names},
    },
};

/// A head's periodic sessions in the week, against his schedule as it stood then.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HeadWeek {
    pub host_id: i64,
    pub host_name: Option<String>,
    /// The schedule in force on the week's days called for a session (one of its occurrences
    /// falls in the week); a later change of the schedule does not alter it.
    pub required: bool,
    /// The head's periodic sessions of the week that were held.
    pub held: u32,
    /// `held`, `missed` (required, none held, none still ahead), `upcoming` or `not_required`.
    pub status: String,
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
    pub overdue_directive_items: Vec<OverdueDirective>,
    /// Cases whose handling ended this week (resolved, guided, forwarded, refused, archived), on
    /// time (every clock met by its due date) or late.
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

#[derive(Debug, FromQueryResult)]
struct OverdueRow {
    id: i64,
    tracking_code: String,
    kind: Kind,
    subject: String,
    assignee_id: Option<i64>,
    unit_id: Option<i64>,
    due: NaiveDate,
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

/// The raw statements of the weekly figures, both dialects side by side (the same text: they
/// differ only in placeholders, which [`crate::db::sql`] renders).
mod sql {
    use crate::db::sql::Dialects;

    /// Cases with a clock overdue as of `{2}` (the week's end, or today): started and due before
    /// it, not paused, and still running then (`{4}`: work ended on or after this day was still
    /// open). `{1}` the agency, `{3}` false.
    pub const OVERDUE_CASES: Dialects = Dialects::both(
        "SELECT p.id AS id, p.tracking_code AS tracking_code, p.kind AS kind, p.subject AS subject, \
         p.assignee_id AS assignee_id, p.unit_id AS unit_id, MIN(d.due_on) AS due \
         FROM deadline d JOIN petition p ON p.id = d.petition_id \
         WHERE p.agency_id = {1} AND d.due_on < {2} AND d.start_on < {2} AND d.paused = {3} \
         AND (d.state = 'running' OR (d.ended_on IS NOT NULL AND d.ended_on >= {4})) \
         GROUP BY p.id, p.tracking_code, p.kind, p.subject, p.assignee_id, p.unit_id \
         ORDER BY MIN(d.due_on), p.id",
    );

    /// Cases of agency `{1}` whose handling ended (resolved, guided, forwarded, refused, archived)
    /// between `{2}` and `{3}`, and how many of them late (a clock met after its due date).
    pub const CLOSED_CASES: Dialects = Dialects::both(
        "SELECT COUNT(*) AS closed, COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM deadline d \
         WHERE d.petition_id = p.id AND d.state = 'met' AND d.ended_on > d.due_on) THEN 1 ELSE 0 END), 0) AS late \
         FROM petition p WHERE p.agency_id = {1} AND p.status IN ('resolved','guided','forwarded','rejected','archived') \
         AND p.closed_on >= {2} AND p.closed_on <= {3}",
    );

    /// The ratings of agency `{1}`'s cases given from `{2}` to before `{3}`, and how many of
    /// them satisfied (a score of 4 or 5).
    pub const RATINGS: Dialects = Dialects::both(
        "SELECT COUNT(*) AS ratings, COALESCE(SUM(CASE WHEN r.score >= 4 THEN 1 ELSE 0 END), 0) AS satisfied \
         FROM petition_rating r JOIN petition p ON p.id = r.petition_id \
         WHERE p.agency_id = {1} AND r.at >= {2} AND r.at < {3}",
    );
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

/// The figures of `week` for an agency; `detail` adds the lists of overdue work.
pub async fn figures(
    db: &impl ConnectionTrait,
    cal: &Calendar,
    agency_id: i64,
    week: IsoWeek,
    today: NaiveDate,
    detail: bool,
) -> AppResult<WeekFigures> {
    let backend = db.get_database_backend();
    let (from, to) = (week.monday, week.sunday());
    let after = to + Days::new(1);
    let as_of = today.min(after);
    // Work finished on `as_of` itself still counts for a past week (it was late at the week's
    // end), not for the current one (it is done now).
    let ended_cut = if as_of == today { today + Days::new(1) } else { as_of };

    // Sessions held, planned and missed in the week's days.
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
    let heads = head_weeks(db, agency_id, from, to, today).await?;
    let count =
        |f: &dyn Fn(&HeadWeek) -> bool| u32::try_from(heads.iter().filter(|h| f(h)).count()).unwrap_or(0);
    let periodic_required = count(&|h| h.required);
    let periodic_held = count(&|h| h.required && h.held > 0);
    let periodic_missed = count(&|h| h.status == "missed");

    // The book's figures.
    let visits = book::visits_between(db, agency_id, from, to).await?;
    let mut cases = HashSet::new();
    let mut loose = 0u32;
    for v in &visits {
        match v.petition_id {
            Some(p) => {
                cases.insert(p);
            }
            None => loose += 1,
        }
    }
    let delegations: Vec<_> = visits.iter().filter(|v| v.people_count >= 5).collect();
    let refusal_count = reception_refusal::Entity::find()
        .filter(reception_refusal::Column::AgencyId.eq(agency_id))
        .filter(reception_refusal::Column::RefusedOn.gte(from))
        .filter(reception_refusal::Column::RefusedOn.lte(to))
        .count(db)
        .await?;
    let pending_notices = reception_refusal::Entity::find()
        .filter(reception_refusal::Column::AgencyId.eq(agency_id))
        .filter(reception_refusal::Column::NoticeRequired.eq(true))
        // Refused by the day the count is made: today's own refusals count in the current week.
        .filter(reception_refusal::Column::RefusedOn.lt(ended_cut))
        .filter(
            sea_orm::Condition::any()
                .add(reception_refusal::Column::NoticeSentOn.is_null())
                .add(reception_refusal::Column::NoticeSentOn.gte(ended_cut)),
        )
        .limit(2000)
        .all(db)
        .await?;
    let mut refusal_notices_overdue = 0;
    for r in &pending_notices {
        if let Some(g) = r.grounds_on
            && refusals::notice_due(cal, g)? < as_of
        {
            refusal_notices_overdue += 1;
        }
    }

    // New petitions.
    let by_kind_rows: Vec<(Kind, i64)> = petition::Entity::find()
        .select_only()
        .column(petition::Column::Kind)
        .column_as(petition::Column::Id.count(), "n")
        .filter(petition::Column::AgencyId.eq(agency_id))
        .filter(petition::Column::ReceivedOn.gte(from))
        .filter(petition::Column::ReceivedOn.lte(to))
        .group_by(petition::Column::Kind)
        .into_tuple()
        .all(db)
        .await?;
    let mut new_petitions_by_kind: BTreeMap<String, u32> =
        Kind::ALL.iter().map(|k| (k.as_str().to_owned(), 0)).collect();
    for (k, n) in by_kind_rows {
        new_petitions_by_kind.insert(k.as_str().to_owned(), u32::try_from(n).unwrap_or(0));
    }

    // Overdue cases as of the week's end.
    let overdue_rows = OverdueRow::find_by_statement(
        sql::OVERDUE_CASES
            .statement(backend, vec![agency_id.into(), as_of.into(), false.into(), ended_cut.into()]),
    )
    .all(db)
    .await?;
    let people: Vec<i64> = overdue_rows.iter().filter_map(|r| r.assignee_id).collect();
    let person_names = names_of(db, &people).await?;
    let mut unit_ids: Vec<i64> = overdue_rows.iter().filter_map(|r| r.unit_id).collect();

    // Overdue directives as of the week's end.
    let directive_rows = reception_directive::Entity::find()
        .filter(reception_directive::Column::AgencyId.eq(agency_id))
        .filter(reception_directive::Column::DueOn.lt(as_of))
        .filter(
            sea_orm::Condition::any()
                .add(reception_directive::Column::Status.eq(DirectiveStatus::Open))
                .add(reception_directive::Column::DoneOn.gte(ended_cut)),
        )
        .limit(2000)
        .all(db)
        .await?;
    unit_ids.extend(directive_rows.iter().map(|d| d.unit_id));
    let units = unit_names(db, &unit_ids).await?;
    let mut owners: HashMap<(Option<i64>, Option<i64>), u32> = HashMap::new();
    for r in &overdue_rows {
        *owners.entry((r.assignee_id, r.unit_id)).or_default() += 1;
    }
    let mut overdue_by_owner: Vec<OverdueOwner> = owners
        .into_iter()
        .map(|((a, u), count)| OverdueOwner {
            assignee_id: a,
            assignee_name: a.and_then(|a| person_names.get(&a).cloned()),
            unit_id: u,
            unit_name: u.and_then(|u| units.get(&u).cloned()),
            count,
        })
        .collect();
    overdue_by_owner.sort_by(|a, b| {
        b.count.cmp(&a.count).then(a.assignee_id.cmp(&b.assignee_id)).then(a.unit_id.cmp(&b.unit_id))
    });
    let overdue_items = if detail {
        overdue_rows
            .iter()
            .take(50)
            .map(|r| OverdueCase {
                id: r.id,
                tracking_code: r.tracking_code.clone(),
                kind: r.kind,
                subject: r.subject.clone(),
                due: r.due,
                days_overdue: (as_of - r.due).num_days(),
                assignee_id: r.assignee_id,
                assignee_name: r.assignee_id.and_then(|a| person_names.get(&a).cloned()),
                unit_id: r.unit_id,
                unit_name: r.unit_id.and_then(|u| units.get(&u).cloned()),
            })
            .collect()
    } else {
        vec![]
    };
    let overdue_directive_items = if detail {
        let mut items: Vec<OverdueDirective> = directive_rows
            .iter()
            .map(|d| OverdueDirective {
                id: d.id,
                session_id: d.session_id,
                unit_id: d.unit_id,
                unit_name: units.get(&d.unit_id).cloned(),
                task: d.task.clone(),
                due: d.due_on,
            })
            .collect();
        items.sort_by_key(|d| (d.due, d.id));
        items.truncate(50);
        items
    } else {
        vec![]
    };

    // On time and satisfaction.
    let closed = ClosedRow::find_by_statement(
        sql::CLOSED_CASES.statement(backend, vec![agency_id.into(), from.into(), to.into()]),
    )
    .one(db)
    .await?
    .unwrap_or(ClosedRow { closed: 0, late: 0 });
    let ratings = RatingRow::find_by_statement(
        sql::RATINGS
            .statement(backend, vec![agency_id.into(), day_start(from).into(), day_start(after).into()]),
    )
    .one(db)
    .await?
    .unwrap_or(RatingRow { ratings: 0, satisfied: 0 });
    let n = |x: i64| u32::try_from(x).unwrap_or(0);
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
        visits: u32::try_from(visits.len()).unwrap_or(u32::MAX),
        people: visits.iter().map(|v| i64::from(v.people_count)).sum(),
        cases: u32::try_from(cases.len()).unwrap_or(0) + loose,
        repeat_visits: u32::try_from(
            visits.iter().filter(|v| v.petition_id.is_some() && !v.opened_petition).count(),
        )
        .unwrap_or(0),
        delegations: u32::try_from(delegations.len()).unwrap_or(0),
        delegation_people: delegations.iter().map(|v| i64::from(v.people_count)).sum(),
        refusals: u32::try_from(refusal_count).unwrap_or(0),
        refusal_notices_overdue,
        new_petitions: new_petitions_by_kind.values().sum(),
        new_petitions_by_kind,
        overdue_cases: u32::try_from(overdue_rows.len()).unwrap_or(0),
        overdue_by_owner,
        overdue_items,
        overdue_directives: u32::try_from(directive_rows.len()).unwrap_or(0),
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
/// during the week without calling for a session are listed as `not_required`.
async fn head_weeks(
    db: &impl ConnectionTrait,
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
    for schedule in schedules::histories_of_agency(db, agency_id).await? {
        if in_force_during(&schedule.history(), from, to) {
            by_host.entry(schedule.row.host_id).or_default();
        }
    }
    let host_ids: Vec<i64> = by_host.keys().copied().collect();
    let names = names_of(db, &host_ids).await?;
    Ok(by_host
        .into_iter()
        .map(|(host_id, mine)| {
            let required = mine.iter().any(|s| s.nominal_date.is_some());
            let held_count = mine.iter().filter(|s| s.status == SessionStatus::Held).count();
            let ahead = mine.iter().any(|s| s.status == SessionStatus::Scheduled && s.session_date >= today);
            let status = match (held_count > 0, required, ahead) {
                (true, _, _) => "held",
                (false, true, true) => "upcoming",
                (false, true, false) => "missed",
                (false, false, _) => "not_required",
            };
            HeadWeek {
                host_id,
                host_name: names.get(&host_id).cloned(),
                required,
                held: u32::try_from(held_count).unwrap_or(u32::MAX),
                status: status.to_owned(),
                session_ids: mine.iter().map(|s| s.id).collect(),
            }
        })
        .collect())
}
