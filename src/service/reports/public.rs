//! The monthly public results the wards post (domain.md §12): per calendar month, petitions
//! received and resolved, resolved on time, citizens' satisfaction and the reception sessions
//! held. Counts only: no person, no subject, nothing of a denunciation but its being counted.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use sea_orm::{ConnectionTrait, FromQueryResult};
use serde::Serialize;
use utoipa::ToSchema;

use super::{AgencyRef, Scope, public_agency, sql};
use crate::{
    clock::day_start,
    domain::report::{Month, MonthQuery, MonthsQuery, rate},
    error::AppResult,
    service::context::Context,
};

/// One month's public results.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct MonthResults {
    /// `YYYY-MM`.
    pub month: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub agency: AgencyRef,
    pub received: i64,
    pub resolved: i64,
    /// Resolved with every clock met by its due date.
    pub on_time: i64,
    /// Percent, one decimal; `null` when nothing was resolved.
    pub on_time_rate: Option<f64>,
    pub ratings: i64,
    /// Ratings of 4 or 5.
    pub satisfied: i64,
    pub satisfaction_rate: Option<f64>,
    pub sessions_held: i64,
}

/// `GET /public/results`: one month.
pub async fn month(ctx: &Context<()>, query: MonthQuery) -> AppResult<MonthResults> {
    let month = query.parse(ctx.today)?;
    let agency = public_agency(ctx.reader(), query.agency_id).await?;
    let mut all = months(ctx.reader(), &agency, &[month]).await?;
    Ok(all.remove(0))
}

/// `GET /public/results/series`, `.csv`, `.atom`: months, oldest first.
pub async fn series(ctx: &Context<()>, query: MonthsQuery) -> AppResult<Vec<MonthResults>> {
    let wanted = query.parse(ctx.today)?;
    let agency = public_agency(ctx.reader(), query.agency_id).await?;
    months(ctx.reader(), &agency, &wanted).await
}

#[derive(Debug, FromQueryResult)]
struct MonthRow {
    month: String,
    n: i64,
}

#[derive(Debug, FromQueryResult)]
struct ResolvedRow {
    month: String,
    late: i64,
    n: i64,
}

#[derive(Debug, FromQueryResult)]
struct RatingRow {
    month: String,
    ratings: i64,
    satisfied: i64,
}

#[derive(Debug, Default, Clone, Copy)]
struct Acc {
    received: i64,
    resolved: i64,
    late: i64,
    ratings: i64,
    satisfied: i64,
    sessions: i64,
}

/// The results of consecutive `wanted` months for `agency`, four grouped statements over them.
async fn months(
    db: &impl ConnectionTrait,
    agency: &AgencyRef,
    wanted: &[Month],
) -> AppResult<Vec<MonthResults>> {
    let (Some(first), Some(last)) = (wanted.first(), wanted.last()) else { return Ok(vec![]) };
    let (from, to) = (first.first(), last.last());
    let backend = db.get_database_backend();
    let ids = Scope { agencies: vec![agency.clone()] }.ids_sql();
    let run = |text: &str, values| sql::statement(backend, text, &ids, values);
    let range = || vec![from.into(), to.into()];
    let mut acc: HashMap<String, Acc> = HashMap::new();
    for r in MonthRow::find_by_statement(run(sql::PUBLIC_RECEIVED, range())).all(db).await? {
        acc.entry(r.month).or_default().received += r.n;
    }
    for r in ResolvedRow::find_by_statement(run(&sql::public_resolved(), range())).all(db).await? {
        let a = acc.entry(r.month).or_default();
        a.resolved += r.n;
        if r.late == 1 {
            a.late += r.n;
        }
    }
    for r in MonthRow::find_by_statement(run(sql::PUBLIC_SESSIONS, range())).all(db).await? {
        acc.entry(r.month).or_default().sessions += r.n;
    }
    let instants = vec![day_start(from).into(), day_start(to + Days::new(1)).into()];
    for r in RatingRow::find_by_statement(run(sql::PUBLIC_RATINGS, instants)).all(db).await? {
        let a = acc.entry(r.month).or_default();
        a.ratings += r.ratings;
        a.satisfied += r.satisfied;
    }
    let u = |n: i64| u64::try_from(n).unwrap_or(0);
    Ok(wanted
        .iter()
        .map(|m| {
            let a = acc.get(&m.to_string()).copied().unwrap_or_default();
            let on_time = a.resolved - a.late;
            MonthResults {
                month: m.to_string(),
                from: m.first(),
                to: m.last(),
                agency: agency.clone(),
                received: a.received,
                resolved: a.resolved,
                on_time,
                on_time_rate: rate(u(on_time), u(a.resolved)),
                ratings: a.ratings,
                satisfied: a.satisfied,
                satisfaction_rate: rate(u(a.satisfied), u(a.ratings)),
                sessions_held: a.sessions,
            }
        })
        .collect())
}
