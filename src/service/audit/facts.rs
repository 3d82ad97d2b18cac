//! The legally relevant facts of a case that each event records ([`Facts`]), and the keyed digests
//! of what is kept apart from the case row: its content and its parties.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};

use crate::{
    crypto::{Auditor, Keys},
    domain::{
        person::Person,
        petition::{Conclusion, Kind, PartyRole, Status},
    },
    entity::{petition, petition_content, petition_party},
    error::{AppError, AppResult},
    service::identity::{self, Party},
};

/// What the keyed digests start with, by what they digest.
const RESULT_PURPOSE: &str = "tiepdan result";
const CONTENT_PURPOSE: &str = "tiepdan content";
const PARTIES_PURPOSE: &str = "tiepdan parties";

/// What stands for a case's parties digest when one of its party rows (the number that follows)
/// holds a value that does not open under the data key.
pub const UNOPENED: &str = "unopened party row ";

/// A case's legally relevant facts at one event: what a change of the register must not alter
/// unseen. Stored with the event as JSON, its fields in this order ([`Facts::to_text`]), and
/// covered by the event's keyed hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Facts {
    pub status: Status,
    pub kind: Kind,
    pub round: i32,
    /// The assigned handler.
    pub handler: Option<i64>,
    pub agency: i64,
    /// The date of receipt, from which every statutory clock counts.
    pub received_on: NaiveDate,
    /// The keyed digest of the result's text.
    pub result: Option<String>,
    pub conclusion: Option<Conclusion>,
    /// Whether its matter is confidential (who may see its people: `access::is_confidential`).
    pub confidential: bool,
    /// The keyed digest of the petition's content ([`content_digest`]).
    pub content: String,
    /// The keyed digest of its parties ([`parties_digest`]).
    pub parties: String,
}

impl Facts {
    /// The facts of `case` as its row stands, with the digests of its content and parties.
    pub fn of(auditor: &Auditor, case: &petition::Model, content: String, parties: String) -> Self {
        Self {
            status: case.status,
            kind: case.kind,
            round: case.round,
            handler: case.assignee_id,
            agency: case.agency_id,
            received_on: case.received_on,
            result: case.result.as_deref().map(|text| auditor.mac(&[RESULT_PURPOSE, text])),
            conclusion: case.conclusion,
            confidential: case.confidential,
            content,
            parties,
        }
    }

    /// As stored and hashed.
    pub fn to_text(&self) -> AppResult<String> {
        serde_json::to_string(self).map_err(AppError::internal)
    }

    /// Reads stored facts.
    pub fn parse(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// The names of the facts that differ between `self` and `other`.
    pub fn differences(&self, other: &Facts) -> Vec<&'static str> {
        let mut names = Vec::new();
        let mut differ = |differs: bool, name: &'static str| {
            if differs {
                names.push(name);
            }
        };
        differ(self.status != other.status, "status");
        differ(self.kind != other.kind, "kind");
        differ(self.round != other.round, "round");
        differ(self.handler != other.handler, "handler");
        differ(self.agency != other.agency, "agency");
        differ(self.received_on != other.received_on, "received_on");
        differ(self.result != other.result, "result");
        differ(self.conclusion != other.conclusion, "conclusion");
        differ(self.confidential != other.confidential, "confidential");
        differ(self.content != other.content, "content");
        differ(self.parties != other.parties, "parties");
        names
    }
}

/// The facts of the cases `ids` as they stand (row, content and parties), as stored: for a first
/// event written by other means than [`super::append`] (a recomputation on a case that has none).
pub async fn current_facts(
    db: &impl ConnectionTrait,
    keys: &Keys,
    ids: &[i64],
) -> AppResult<HashMap<i64, String>> {
    let cases =
        petition::Entity::find().filter(petition::Column::Id.is_in(ids.iter().copied())).all(db).await?;
    let contents = content_digests(db, keys, ids).await?;
    let mut parties = parties_digests(db, keys, ids).await?;
    cases
        .into_iter()
        .map(|case| {
            let content = contents
                .get(&case.id)
                .cloned()
                .ok_or_else(|| AppError::internal(format!("case {} has no content row", case.id)))?;
            let parties = parties.remove(&case.id).unwrap_or_default();
            Ok((case.id, Facts::of(&keys.audit, &case, content, parties).to_text()?))
        })
        .collect()
}

/// The keyed digest of a petition's content.
pub fn digest_content(auditor: &Auditor, content: &str) -> String {
    auditor.mac(&[CONTENT_PURPOSE, content])
}

/// The keyed digest of case `petition_id`'s content as stored.
pub async fn content_digest(db: &impl ConnectionTrait, keys: &Keys, petition_id: i64) -> AppResult<String> {
    let row = petition_content::Entity::find_by_id(petition_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::internal(format!("case {petition_id} has no content row")))?;
    Ok(digest_content(&keys.audit, &row.content))
}

/// The keyed digests of the contents of `ids`, by case (a case without a content row is left
/// out).
pub async fn content_digests(
    db: &impl ConnectionTrait,
    keys: &Keys,
    ids: &[i64],
) -> AppResult<HashMap<i64, String>> {
    let rows = petition_content::Entity::find()
        .filter(petition_content::Column::PetitionId.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|r| (r.petition_id, digest_content(&keys.audit, &r.content))).collect())
}

/// One party's identity in clear: what the parties digest covers.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
struct ClearParty {
    role: PartyRole,
    full_name: String,
    id_number: Option<String>,
    address: Option<String>,
    phone: Option<String>,
    email: Option<String>,
}

/// A stored party in clear. The one place the digest reads a party's identity, so that values
/// sealed at rest are opened here (with `keys.data`) and the digest stays over the clear values,
/// unchanged by sealing or by a change of the data key.
fn clear_party(keys: &Keys, row: petition_party::Model) -> AppResult<ClearParty> {
    let Party { role, person, .. } = identity::open_party(&keys.data, row)?;
    Ok(ClearParty {
        role,
        full_name: person.full_name,
        id_number: person.id_number,
        address: person.address,
        phone: person.phone,
        email: person.email,
    })
}

/// The keyed digest of a case's parties, in a canonical order (sorted by their clear values, so
/// neither the rows' ids nor the order they are read in matter).
fn digest_parties(auditor: &Auditor, mut parties: Vec<ClearParty>) -> AppResult<String> {
    parties.sort();
    let text = serde_json::to_string(&parties).map_err(AppError::internal)?;
    Ok(auditor.mac(&[PARTIES_PURPOSE, &text]))
}

/// The keyed digest of parties given in clear (`role`, person), as [`parties_digest`] computes it
/// from the stored rows: for a bulk load that seals the rows itself (`service::seed`).
pub fn digest_people<'a>(
    auditor: &Auditor,
    people: impl IntoIterator<Item = (PartyRole, &'a Person)>,
) -> AppResult<String> {
    let parties = people
        .into_iter()
        .map(|(role, p)| ClearParty {
            role,
            full_name: p.full_name.clone(),
            id_number: p.id_number.clone(),
            address: p.address.clone(),
            phone: p.phone.clone(),
            email: p.email.clone(),
        })
        .collect();
    digest_parties(auditor, parties)
}

/// The keyed digest of case `petition_id`'s parties as stored: what its events record.
pub async fn parties_digest(db: &impl ConnectionTrait, keys: &Keys, petition_id: i64) -> AppResult<String> {
    let digests = parties_digests(db, keys, &[petition_id]).await?;
    match digests.get(&petition_id) {
        Some(digest) => Ok(digest.clone()),
        None => digest_parties(&keys.audit, Vec::new()),
    }
}

/// The keyed digests of the parties of each of `ids` (verification reads them a page at a time);
/// a case without parties (anonymous) has the digest of none.
pub async fn parties_digests(
    db: &impl ConnectionTrait,
    keys: &Keys,
    ids: &[i64],
) -> AppResult<HashMap<i64, String>> {
    let rows = petition_party::Entity::find()
        .filter(petition_party::Column::PetitionId.is_in(ids.iter().copied()))
        .order_by_asc(petition_party::Column::PetitionId)
        .all(db)
        .await?;
    let mut by_case: HashMap<i64, Vec<ClearParty>> = ids.iter().map(|id| (*id, Vec::new())).collect();
    // A party whose sealed value no longer opens was written behind the register's back: its case
    // gets a digest no event records, naming the row (verification reports it, and goes on).
    let mut unopened: HashMap<i64, String> = HashMap::new();
    for row in rows {
        let (case, row_id) = (row.petition_id, row.id);
        match clear_party(keys, row) {
            Ok(party) => by_case.entry(case).or_default().push(party),
            Err(_) => {
                unopened.entry(case).or_insert_with(|| format!("{UNOPENED}{row_id}"));
            }
        }
    }
    by_case
        .into_iter()
        .map(|(id, parties)| match unopened.remove(&id) {
            Some(marker) => Ok((id, marker)),
            None => Ok((id, digest_parties(&keys.audit, parties)?)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn party(name: &str, id_number: Option<&str>) -> ClearParty {
        ClearParty {
            role: PartyRole::Cosignatory,
            full_name: name.to_owned(),
            id_number: id_number.map(str::to_owned),
            address: None,
            phone: None,
            email: None,
        }
    }

    #[test]
    fn the_parties_digest_ignores_their_order_but_not_their_values() {
        let auditor = Auditor::new(&[3; 32]);
        let (a, b) = (party("Nguyễn Văn An", Some("001")), party("Trần Thị Bình", None));
        let one = digest_parties(&auditor, vec![a.clone(), b.clone()]).unwrap();
        assert_eq!(one, digest_parties(&auditor, vec![b.clone(), a.clone()]).unwrap());
        assert_ne!(one, digest_parties(&auditor, vec![a.clone(), party("Trần Thị Bình", Some(""))]).unwrap());
        assert_ne!(one, digest_parties(&auditor, vec![a]).unwrap());
        assert_ne!(
            one,
            digest_parties(&Auditor::new(&[4; 32]), vec![b, party("Nguyễn Văn An", Some("001"))]).unwrap()
        );
    }

    #[test]
    fn facts_name_what_differs() {
        let facts = Facts {
            status: Status::Accepted,
            kind: Kind::Complaint,
            round: 1,
            handler: Some(7),
            agency: 1,
            received_on: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            result: None,
            conclusion: None,
            confidential: false,
            content: "c".to_owned(),
            parties: "p".to_owned(),
        };
        let text = facts.to_text().unwrap();
        assert!(
            text.starts_with(r#"{"status":"accepted","kind":"complaint","round":1,"handler":7"#),
            "{text}"
        );
        assert_eq!(Facts::parse(&text).unwrap(), facts);
        let other = Facts { status: Status::Resolved, result: Some("r".to_owned()), ..facts.clone() };
        assert_eq!(facts.differences(&other), ["status", "result"]);
        assert!(Facts::parse(r#"{"status":"accepted"}"#).is_err());
    }
}
