//! A petition's family: the first petition and every case made from it (a copy forwarded to
//! another agency of the register, a second round or further denunciation, the parts of a split).
//! Confidentiality is a property of the matter: once any member, or a reception visit about one,
//! is a denunciation, every member is confidential (`access::is_confidential`), and their people's
//! names leave the search index. A family is a handful of rows, found by `ix_petition_family`.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, sea_query::Expr};
use serde_json::json;

use super::{read::content_of, search};
use crate::{
    crypto::Keys,
    domain::petition::{EventAction, Kind},
    entity::petition,
    error::{AppError, AppResult},
    service::audit::{self, Actor, Change},
};

/// The family a case belongs to, and whether it is confidential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Family {
    /// Its first petition.
    pub root: i64,
    pub confidential: bool,
}

impl Family {
    /// The family of a stored case.
    pub fn of(case: &petition::Model) -> Self {
        Self { root: case.family_id.unwrap_or(case.id), confidential: case.confidential }
    }

    /// The family and rule of a new case made from `origin` (`None`: a first petition) that is a
    /// `kind`: a denunciation is confidential by itself.
    pub fn joined(origin: Option<&petition::Model>, kind: Kind) -> (Option<i64>, bool) {
        let family = origin.map(Family::of);
        (family.map(|f| f.root), kind == Kind::Denunciation || family.is_some_and(|f| f.confidential))
    }
}

fn members(root: i64) -> Condition {
    Condition::any().add(petition::Column::Id.eq(root)).add(petition::Column::FamilyId.eq(root))
}

/// Makes the family of `case` confidential, if it is not already: every member is marked, and
/// their people's names are taken out of the search index. The flag is one of the facts each event
/// of a trail covers: `case` is the one a step is being taken on, whose own event follows and
/// records it; every other member gets a `made_confidential` event of its own, by the register.
pub async fn make_confidential(
    db: &impl ConnectionTrait,
    keys: &Keys,
    case: &petition::Model,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let family = Family::of(case);
    let open: Vec<petition::Model> = petition::Entity::find()
        .filter(members(family.root))
        .filter(petition::Column::Confidential.eq(false))
        .all(db)
        .await?;
    if open.is_empty() {
        return Ok(());
    }
    petition::Entity::update_many()
        .col_expr(petition::Column::Confidential, Expr::value(true))
        .filter(members(family.root))
        .exec(db)
        .await?;
    for member in open {
        let content = content_of(db, member.id).await?;
        search::reindex(db, member.id, &search::words_only(member.agency_id, &member.subject, &content))
            .await?;
        if member.id != case.id {
            let change = Change {
                action: EventAction::MadeConfidential,
                from: Some(member.status),
                to: Some(member.status),
                changes: json!({"by_case": case.id}),
            };
            let head = audit::head(db, member.id).await?;
            audit::append(db, keys, &member, &head, &Actor::system(), &change, now).await?;
        }
    }
    Ok(())
}

/// The stored origin of a new case, when it is made from one.
pub async fn origin_of(
    db: &impl ConnectionTrait,
    origin_id: Option<i64>,
) -> AppResult<Option<petition::Model>> {
    match origin_id {
        None => Ok(None),
        Some(id) => petition::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(Some)
            .ok_or_else(|| AppError::internal(format!("the origin {id} of a new case is gone"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_denunciation_or_a_confidential_origin_makes_a_new_case_confidential() {
        assert_eq!(Family::joined(None, Kind::Denunciation), (None, true));
        assert_eq!(Family::joined(None, Kind::Complaint), (None, false));
    }
}
