//! The statutory reports, the chairman's dashboard and the public monthly results (issue 16;
//! domain.md §10, §12), built from the register's own data.
//!
//! Every figure is an aggregate the database computes over an index, grouped by agency (and, for
//! the dashboard, by unit, handler and month), so that what comes back is bounded by the number
//! of agencies, units, handlers and months, never by the register's size; the totals of a higher
//! level are the sums of its agencies' rows. The statements are in [`sql`]. The figures rest on
//! facts the steps keep on the case (`service::petitions::milestones`): when it was processed and
//! how, when it entered resolution, its handling time in working days.

pub mod dashboard;
pub mod periodic;
pub mod public;
pub mod sql;

use serde::Serialize;
use utoipa::ToSchema;

use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder};

use crate::{
    domain::agency::AgencyLevel,
    entity::agency,
    error::{AppError, AppResult},
    service::{access::reception::REVIEWERS, context::Ctx},
};

/// The reports' settings (configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportSettings {
    /// The day of the month the named periods start on (TT 02/2021 Art. 7(1): 15).
    pub cutoff_day: u32,
}

impl Default for ReportSettings {
    fn default() -> Self {
        Self { cutoff_day: 15 }
    }
}

/// An agency a report is about.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct AgencyRef {
    pub id: i64,
    pub name: String,
    pub level: AgencyLevel,
}

impl AgencyRef {
    fn of(a: &agency::Model) -> Self {
        Self { id: a.id, name: a.name.clone(), level: a.level }
    }
}

/// The agencies a report covers: the one asked first, then (when asked) every agency below it,
/// by name.
#[derive(Debug, Clone)]
pub struct Scope {
    pub agencies: Vec<AgencyRef>,
}

impl Scope {
    /// The agency asked.
    pub fn root(&self) -> &AgencyRef {
        &self.agencies[0]
    }

    /// The agencies' ids as an SQL list (integers from the database: nothing to escape).
    pub fn ids_sql(&self) -> String {
        self.agencies.iter().map(|a| a.id.to_string()).collect::<Vec<_>>().join(", ")
    }
}

/// The most agencies one register holds (a province and its communes are a few hundred).
const MAX_AGENCIES: u64 = 10_000;

/// The scope of a report asked by a chairman or an administrator (403 otherwise): `agency_id`
/// (default theirs) must be their own agency or one below it (404 otherwise: another agency's
/// existence is not told); with `subordinates`, every agency below it too.
pub async fn scope(ctx: &Ctx, agency_id: Option<i64>, subordinates: bool) -> AppResult<Scope> {
    ctx.user.require_any(&REVIEWERS)?;
    let own = ctx.user.require_staff()?;
    let all = all_agencies(ctx.reader()).await?;
    let wanted = agency_id.unwrap_or(own);
    let below_own = below(&all, own);
    if wanted != own && !below_own.contains(&wanted) {
        return Err(AppError::NotFound);
    }
    scope_of(&all, wanted, subordinates).ok_or(AppError::NotFound)
}

/// The scope of agency `id` among `all`.
fn scope_of(all: &[agency::Model], id: i64, subordinates: bool) -> Option<Scope> {
    let root = all.iter().find(|a| a.id == id)?;
    let mut agencies = vec![AgencyRef::of(root)];
    if subordinates {
        let ids = below(all, id);
        let mut subs: Vec<AgencyRef> =
            all.iter().filter(|a| ids.contains(&a.id)).map(AgencyRef::of).collect();
        subs.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        agencies.extend(subs);
    }
    Some(Scope { agencies })
}

/// The ids of every agency below `id` (children, their children…).
fn below(all: &[agency::Model], id: i64) -> Vec<i64> {
    let mut found = Vec::new();
    let mut frontier = vec![id];
    while let Some(parent) = frontier.pop() {
        for a in all.iter().filter(|a| a.parent_id == Some(parent)) {
            if a.id != id && !found.contains(&a.id) {
                found.push(a.id);
                frontier.push(a.id);
            }
        }
    }
    found
}

/// Every agency of the register, by id.
async fn all_agencies(db: &impl ConnectionTrait) -> AppResult<Vec<agency::Model>> {
    use sea_orm::QuerySelect;
    Ok(agency::Entity::find().order_by_asc(agency::Column::Id).limit(MAX_AGENCIES).all(db).await?)
}

/// The public pages' agency: `agency_id`, or the register's first agency at the top.
async fn public_agency(db: &impl ConnectionTrait, agency_id: Option<i64>) -> AppResult<AgencyRef> {
    let all = all_agencies(db).await?;
    let found = match agency_id {
        Some(id) => all.iter().find(|a| a.id == id),
        None => all.iter().find(|a| a.parent_id.is_none()).or_else(|| all.first()),
    };
    found.map(AgencyRef::of).ok_or(AppError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agency(id: i64, parent: Option<i64>, name: &str) -> agency::Model {
        agency::Model {
            id,
            name: name.to_owned(),
            level: if parent.is_none() { AgencyLevel::Province } else { AgencyLevel::Commune },
            parent_id: parent,
            created_at: chrono::DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn a_higher_level_covers_every_agency_below_it_by_name() {
        let all = vec![
            agency(1, None, "UBND tỉnh"),
            agency(2, Some(1), "UBND xã B"),
            agency(3, Some(1), "UBND xã A"),
            agency(4, Some(3), "Tổ A1"),
            agency(5, None, "UBND tỉnh khác"),
        ];
        let scope = scope_of(&all, 1, true).unwrap();
        let ids: Vec<i64> = scope.agencies.iter().map(|a| a.id).collect();
        assert_eq!(ids, [1, 4, 3, 2]);
        assert_eq!(scope.ids_sql(), "1, 4, 3, 2");
        assert_eq!(scope_of(&all, 1, false).unwrap().agencies.len(), 1);
        assert_eq!(below(&all, 3), [4]);
        assert!(below(&all, 5).is_empty());
    }
}
