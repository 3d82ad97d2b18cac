//! People's identities at rest, in one place: how each kind of record stores the identity it
//! names (sealed with the data key, [`crate::crypto::Sealer`]) and opens it where it is shown, and
//! the blind indexes that find an identity without its clear value.
//!
//! What is sealed, each value under its field's name (`table.column`, bound into the seal):
//! - a case's parties (`petition_party`): name, identity number, address, phone, e-mail;
//! - a visit of the reception book (`reception_visit`): the visitor's name, address and identity
//!   number, and the representatives (their JSON list, sealed as one value);
//! - a refusal to receive (`reception_refusal`): the visitor's name, address and identity number;
//! - an account (`user`): phone and e-mail, and a citizen's name (a staff member's name stays
//!   clear: handlers are shown and sorted by it everywhere).
//!
//! Blind indexes (keyed hashes under a key derived from the data key): a party's identity number
//! ([`id_number_blind`], for repeats) and the words of parties' names in the search index
//! ([`name_token`]).
//!
//! Opened values come back as the domain's clear types ([`Party`], [`VisitIdentity`], a refusal's
//! [`Person`]) beside the stored row, except an account, which is the session's user everywhere
//! and is opened in place ([`open_account`]). A stored value that does not open is an internal
//! error naming its field and row, never a blank.
//!
//! The passes over the whole register (sealing a register kept in clear, once; re-sealing under
//! a new key) are in [`register`].

pub mod register;

use sea_orm::{ActiveValue, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::{
    crypto::Sealer,
    domain::{person::Person, petition::PartyRole, reception::Representative, role::Role, text},
    entity::{petition_party, reception_refusal, reception_visit, user},
    error::{AppError, AppResult},
};

/// The fields sealed, by the name bound into their seals.
pub mod field {
    pub const PARTY_FULL_NAME: &str = "petition_party.full_name";
    pub const PARTY_ID_NUMBER: &str = "petition_party.id_number";
    pub const PARTY_ADDRESS: &str = "petition_party.address";
    pub const PARTY_PHONE: &str = "petition_party.phone";
    pub const PARTY_EMAIL: &str = "petition_party.email";
    pub const VISITOR_NAME: &str = "reception_visit.visitor_name";
    pub const VISITOR_ADDRESS: &str = "reception_visit.visitor_address";
    pub const VISITOR_ID_NUMBER: &str = "reception_visit.visitor_id_number";
    pub const VISIT_REPRESENTATIVES: &str = "reception_visit.representatives";
    pub const REFUSED_NAME: &str = "reception_refusal.visitor_name";
    pub const REFUSED_ADDRESS: &str = "reception_refusal.visitor_address";
    pub const REFUSED_ID_NUMBER: &str = "reception_refusal.visitor_id_number";
    pub const ACCOUNT_FULL_NAME: &str = "user.full_name";
    pub const ACCOUNT_PHONE: &str = "user.phone";
    pub const ACCOUNT_EMAIL: &str = "user.email";
    /// An attachment's name (it may name a person); its bytes are sealed chunk by chunk
    /// (`service::attachments::chunk_context`).
    pub const ATTACHMENT_NAME: &str = "attachment.name";
}

/// The purpose of the identity numbers' blind index.
const ID_NUMBER: &str = "id_number";
/// The purpose of the name words' blind tokens.
const NAME_WORD: &str = "name_word";
/// What a name token starts with: tells it from a word at a glance.
const NAME_TOKEN_PREFIX: char = 'n';
/// Hex digits of the blind hash a name token keeps (64 bits: no two words of a register collide).
const NAME_TOKEN_DIGITS: usize = 16;

fn seal(sealer: &Sealer, field: &str, plain: &str) -> AppResult<String> {
    sealer.seal(field, plain).map_err(|e| AppError::internal(format!("sealing {field}: {e}")))
}

fn seal_opt(sealer: &Sealer, field: &str, plain: Option<&str>) -> AppResult<Option<String>> {
    plain.map(|p| seal(sealer, field, p)).transpose()
}

/// Opens the stored value of `field` of row `id`; one that does not open is an internal error.
fn open(sealer: &Sealer, field: &str, id: i64, stored: &str) -> AppResult<String> {
    sealer.open(field, stored).map_err(|e| AppError::internal(format!("{field} of row {id}: {e}")))
}

fn open_opt(sealer: &Sealer, field: &str, id: i64, stored: Option<&str>) -> AppResult<Option<String>> {
    stored.map(|s| open(sealer, field, id, s)).transpose()
}

/// The blind index of a (normalised) identity number: equal numbers, equal indexes.
pub fn id_number_blind(sealer: &Sealer, id_number: &str) -> String {
    sealer.blind(ID_NUMBER, id_number)
}

/// The search index's token for a folded word of a name (see [`crate::domain::text::terms`]): a
/// prefix letter and the start of the word's blind hash. A query word matches it only whole.
pub fn name_token(sealer: &Sealer, term: &str) -> String {
    let blind = sealer.blind(NAME_WORD, term);
    let mut token = String::with_capacity(NAME_TOKEN_DIGITS + 1);
    token.push(NAME_TOKEN_PREFIX);
    token.push_str(&blind[..NAME_TOKEN_DIGITS]);
    token
}

/// The name tokens of people, each word once, space-separated: what the index holds of names.
pub fn name_tokens<'a>(sealer: &Sealer, names: impl IntoIterator<Item = &'a str>) -> String {
    let all: Vec<&str> = names.into_iter().collect();
    text::terms(&all.join("\n")).iter().map(|t| name_token(sealer, t)).collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------------------------
// A case's parties
// ---------------------------------------------------------------------------------------------

/// A party of a case, opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    /// The row's id: parties are listed in the order they were registered.
    pub id: i64,
    pub role: PartyRole,
    pub person: Person,
}

/// The row that stores `person` as a party of case `petition_id`, sealed, with the blind index of
/// the identity number.
pub fn party_row(
    sealer: &Sealer,
    petition_id: i64,
    role: PartyRole,
    person: &Person,
) -> AppResult<petition_party::ActiveModel> {
    Ok(petition_party::ActiveModel {
        petition_id: ActiveValue::Set(petition_id),
        role: ActiveValue::Set(role),
        full_name: ActiveValue::Set(seal(sealer, field::PARTY_FULL_NAME, &person.full_name)?),
        id_number: ActiveValue::Set(seal_opt(sealer, field::PARTY_ID_NUMBER, person.id_number.as_deref())?),
        address: ActiveValue::Set(seal_opt(sealer, field::PARTY_ADDRESS, person.address.as_deref())?),
        phone: ActiveValue::Set(seal_opt(sealer, field::PARTY_PHONE, person.phone.as_deref())?),
        email: ActiveValue::Set(seal_opt(sealer, field::PARTY_EMAIL, person.email.as_deref())?),
        id_number_blind: ActiveValue::Set(person.id_number.as_deref().map(|n| id_number_blind(sealer, n))),
        ..Default::default()
    })
}

/// Opens a stored party.
pub fn open_party(sealer: &Sealer, row: petition_party::Model) -> AppResult<Party> {
    let id = row.id;
    let person = Person {
        full_name: open(sealer, field::PARTY_FULL_NAME, id, &row.full_name)?,
        id_number: open_opt(sealer, field::PARTY_ID_NUMBER, id, row.id_number.as_deref())?,
        address: open_opt(sealer, field::PARTY_ADDRESS, id, row.address.as_deref())?,
        phone: open_opt(sealer, field::PARTY_PHONE, id, row.phone.as_deref())?,
        email: open_opt(sealer, field::PARTY_EMAIL, id, row.email.as_deref())?,
    };
    Ok(Party { id, role: row.role, person })
}

/// The parties of case `petition_id`, opened, in the order they were registered (the petitioner
/// first). Whoever calls it decides who may see them.
pub async fn parties_of(
    db: &impl ConnectionTrait,
    sealer: &Sealer,
    petition_id: i64,
) -> AppResult<Vec<Party>> {
    petition_party::Entity::find()
        .filter(petition_party::Column::PetitionId.eq(petition_id))
        .order_by_asc(petition_party::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|row| open_party(sealer, row))
        .collect()
}

/// The people of a case by role: the petitioner, the co-signatories and the representatives (a
/// second petitioner, which intake never writes, counts as a co-signatory).
pub fn by_role(parties: Vec<Party>) -> (Option<Person>, Vec<Person>, Vec<Person>) {
    let mut petitioner = None;
    let mut cosignatories = Vec::new();
    let mut representatives = Vec::new();
    for Party { role, person, .. } in parties {
        match role {
            PartyRole::Petitioner if petitioner.is_none() => petitioner = Some(person),
            PartyRole::Representative => representatives.push(person),
            PartyRole::Petitioner | PartyRole::Cosignatory => cosignatories.push(person),
        }
    }
    (petitioner, cosignatories, representatives)
}

// ---------------------------------------------------------------------------------------------
// Visits of the reception book
// ---------------------------------------------------------------------------------------------

/// The identity a visit of the book names, opened: the visitor (name, address, identity number)
/// and the group's representatives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitIdentity {
    pub visitor: Person,
    pub representatives: Vec<Representative>,
}

/// Sets a visit's identity columns, sealed: the visitor's name, address and identity number, and
/// the representatives' JSON list as one value.
pub fn seal_visit(
    sealer: &Sealer,
    row: &mut reception_visit::ActiveModel,
    visitor: &Person,
    representatives: &[Representative],
) -> AppResult<()> {
    let list = serde_json::to_string(representatives).map_err(AppError::internal)?;
    row.visitor_name = ActiveValue::Set(seal(sealer, field::VISITOR_NAME, &visitor.full_name)?);
    row.visitor_address =
        ActiveValue::Set(seal_opt(sealer, field::VISITOR_ADDRESS, visitor.address.as_deref())?);
    row.visitor_id_number =
        ActiveValue::Set(seal_opt(sealer, field::VISITOR_ID_NUMBER, visitor.id_number.as_deref())?);
    row.representatives = ActiveValue::Set(seal(sealer, field::VISIT_REPRESENTATIVES, &list)?);
    Ok(())
}

/// Reads a representatives list (clear JSON); one that does not read is an internal error.
pub fn representatives_of(id: i64, list: &str) -> AppResult<Vec<Representative>> {
    serde_json::from_str(list).map_err(|e| {
        AppError::internal(format!(
            "{} of row {id} is not a list of people: {e}",
            field::VISIT_REPRESENTATIVES
        ))
    })
}

/// Opens the identity a stored visit names.
pub fn open_visit(sealer: &Sealer, row: &reception_visit::Model) -> AppResult<VisitIdentity> {
    let id = row.id;
    let list = open(sealer, field::VISIT_REPRESENTATIVES, id, &row.representatives)?;
    Ok(VisitIdentity {
        visitor: Person {
            full_name: open(sealer, field::VISITOR_NAME, id, &row.visitor_name)?,
            id_number: open_opt(sealer, field::VISITOR_ID_NUMBER, id, row.visitor_id_number.as_deref())?,
            address: open_opt(sealer, field::VISITOR_ADDRESS, id, row.visitor_address.as_deref())?,
            phone: None,
            email: None,
        },
        representatives: representatives_of(id, &list)?,
    })
}

// ---------------------------------------------------------------------------------------------
// Refusals to receive
// ---------------------------------------------------------------------------------------------

/// Sets a refusal's identity columns, sealed: the name, address and identity number of the person
/// refused.
pub fn seal_refusal(
    sealer: &Sealer,
    row: &mut reception_refusal::ActiveModel,
    visitor: &Person,
) -> AppResult<()> {
    row.visitor_name = ActiveValue::Set(seal(sealer, field::REFUSED_NAME, &visitor.full_name)?);
    row.visitor_address =
        ActiveValue::Set(seal_opt(sealer, field::REFUSED_ADDRESS, visitor.address.as_deref())?);
    row.visitor_id_number =
        ActiveValue::Set(seal_opt(sealer, field::REFUSED_ID_NUMBER, visitor.id_number.as_deref())?);
    Ok(())
}

/// Opens the person a stored refusal names (name, address, identity number).
pub fn open_refusal(sealer: &Sealer, row: &reception_refusal::Model) -> AppResult<Person> {
    let id = row.id;
    Ok(Person {
        full_name: open(sealer, field::REFUSED_NAME, id, &row.visitor_name)?,
        id_number: open_opt(sealer, field::REFUSED_ID_NUMBER, id, row.visitor_id_number.as_deref())?,
        address: open_opt(sealer, field::REFUSED_ADDRESS, id, row.visitor_address.as_deref())?,
        phone: None,
        email: None,
    })
}

// ---------------------------------------------------------------------------------------------
// Accounts
// ---------------------------------------------------------------------------------------------

/// Whether an account of `role` keeps its full name sealed: a citizen's name is personal data; a
/// staff member's is shown as a handler everywhere.
pub fn name_is_sealed(role: Role) -> bool {
    role == Role::Citizen
}

fn seal_set(sealer: &Sealer, field: &str, value: &mut ActiveValue<String>) -> AppResult<()> {
    if let ActiveValue::Set(plain) = value {
        *plain = seal(sealer, field, plain)?;
    }
    Ok(())
}

fn seal_set_opt(sealer: &Sealer, field: &str, value: &mut ActiveValue<Option<String>>) -> AppResult<()> {
    if let ActiveValue::Set(plain) = value {
        *plain = seal_opt(sealer, field, plain.as_deref())?;
    }
    Ok(())
}

/// Seals the identity columns an account row is about to write (those `Set`, in clear): phone and
/// e-mail, and the full name of a citizen's account. The row must carry its role.
pub fn seal_account(sealer: &Sealer, row: &mut user::ActiveModel) -> AppResult<()> {
    let role = match &row.role {
        ActiveValue::Set(r) | ActiveValue::Unchanged(r) => *r,
        ActiveValue::NotSet => return Err(AppError::internal("sealing an account whose role is not known")),
    };
    if name_is_sealed(role) {
        seal_set(sealer, field::ACCOUNT_FULL_NAME, &mut row.full_name)?;
    }
    seal_set_opt(sealer, field::ACCOUNT_PHONE, &mut row.phone)?;
    seal_set_opt(sealer, field::ACCOUNT_EMAIL, &mut row.email)?;
    Ok(())
}

/// Opens a stored account in place: the same row with its clear values.
pub fn open_account(sealer: &Sealer, mut row: user::Model) -> AppResult<user::Model> {
    let id = row.id;
    if name_is_sealed(row.role) {
        row.full_name = open(sealer, field::ACCOUNT_FULL_NAME, id, &row.full_name)?;
    }
    row.phone = open_opt(sealer, field::ACCOUNT_PHONE, id, row.phone.as_deref())?;
    row.email = open_opt(sealer, field::ACCOUNT_EMAIL, id, row.email.as_deref())?;
    Ok(row)
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone, Utc};

    use super::*;
    use crate::domain::petition::Kind;

    fn sealer() -> Sealer {
        Sealer::new(&[3; 32])
    }

    fn an() -> Person {
        Person {
            full_name: "Nguyễn Văn An".into(),
            id_number: Some("079203001234".into()),
            address: Some("Số 7 ngõ Hòe Nhai".into()),
            phone: Some("0912345678".into()),
            email: Some("an@example.vn".into()),
        }
    }

    /// The row as the database returns it from what was written.
    fn stored_party(row: petition_party::ActiveModel) -> petition_party::Model {
        petition_party::Model {
            id: 5,
            petition_id: row.petition_id.unwrap(),
            role: row.role.unwrap(),
            full_name: row.full_name.unwrap(),
            id_number: row.id_number.unwrap(),
            address: row.address.unwrap(),
            phone: row.phone.unwrap(),
            email: row.email.unwrap(),
            id_number_blind: row.id_number_blind.unwrap(),
        }
    }

    fn clear_texts(person: &Person) -> Vec<String> {
        [Some(&person.full_name), person.id_number.as_ref(), person.address.as_ref()]
            .into_iter()
            .chain([person.phone.as_ref(), person.email.as_ref()])
            .flatten()
            .cloned()
            .collect()
    }

    #[test]
    fn a_party_is_stored_sealed_and_opens_as_it_was() {
        let s = sealer();
        let row = stored_party(party_row(&s, 9, PartyRole::Petitioner, &an()).unwrap());
        let stored = format!("{row:?}");
        for clear in clear_texts(&an()) {
            assert!(!stored.contains(&clear), "{clear} stored in clear: {stored}");
        }
        assert!(Sealer::is_sealed(&row.full_name) && Sealer::is_sealed(row.email.as_deref().unwrap()));
        assert_eq!(row.id_number_blind.as_deref(), Some(id_number_blind(&s, "079203001234").as_str()));
        let party = open_party(&s, row.clone()).unwrap();
        assert_eq!(party, Party { id: 5, role: PartyRole::Petitioner, person: an() });
        // Another key, or a value moved to another field, does not open: a loud error.
        assert!(open_party(&Sealer::new(&[4; 32]), row.clone()).is_err());
        let swapped = petition_party::Model { full_name: row.address.clone().unwrap(), ..row };
        assert!(matches!(open_party(&s, swapped), Err(AppError::Internal(_))));
    }

    #[test]
    fn missing_fields_stay_missing() {
        let s = sealer();
        let bare =
            Person { full_name: "Lê B".into(), id_number: None, address: None, phone: None, email: None };
        let row = stored_party(party_row(&s, 1, PartyRole::Cosignatory, &bare).unwrap());
        assert_eq!(
            (row.id_number.as_ref(), row.id_number_blind.as_ref(), row.email.as_ref()),
            (None, None, None)
        );
        assert_eq!(open_party(&s, row).unwrap().person, bare);
    }

    #[test]
    fn the_people_of_a_case_come_back_by_role() {
        let p = |name: &str| Person { full_name: name.into(), ..an() };
        let parties = vec![
            Party { id: 1, role: PartyRole::Petitioner, person: p("A") },
            Party { id: 2, role: PartyRole::Cosignatory, person: p("B") },
            Party { id: 3, role: PartyRole::Representative, person: p("C") },
        ];
        assert_eq!(by_role(parties), (Some(p("A")), vec![p("B")], vec![p("C")]));
    }

    fn visit_model(row: reception_visit::ActiveModel) -> reception_visit::Model {
        let at = Utc.with_ymd_and_hms(2026, 11, 25, 2, 0, 0).unwrap();
        reception_visit::Model {
            field: None,
            id: 3,
            agency_id: 1,
            session_id: 1,
            book_year: 2026,
            book_no: 1,
            visit_date: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            visitor_name: row.visitor_name.unwrap(),
            visitor_address: row.visitor_address.unwrap(),
            visitor_id_number: row.visitor_id_number.unwrap(),
            people_count: 6,
            representatives: row.representatives.unwrap(),
            summary: "Đề nghị".into(),
            kind: Kind::Recommendation,
            handled_before_by: None,
            within_competence: true,
            guided_to: None,
            guidance_letter_no: None,
            accepted_by: None,
            forwarding_letter_no: None,
            follow_up: None,
            note: None,
            petition_id: None,
            opened_petition: false,
            recorded_by: 1,
            created_at: at,
        }
    }

    #[test]
    fn a_visit_seals_its_visitor_and_representatives() {
        let s = sealer();
        let reps = vec![Representative {
            full_name: "Quách Thị Huyền".into(),
            id_number: Some("001099000111".into()),
            address: None,
        }];
        let mut row = reception_visit::ActiveModel::default();
        seal_visit(&s, &mut row, &an(), &reps).unwrap();
        let model = visit_model(row);
        let stored = format!("{model:?}");
        for clear in ["Nguyễn", "079203001234", "Hòe", "Quách", "001099000111"] {
            assert!(!stored.contains(clear), "{clear} stored in clear");
        }
        let opened = open_visit(&s, &model).unwrap();
        assert_eq!(opened.visitor, Person { phone: None, email: None, ..an() });
        assert_eq!(opened.representatives, reps);
        // The list opens only as the representatives of a visit.
        let moved = reception_visit::Model { visitor_name: model.representatives.clone(), ..model };
        assert!(open_visit(&s, &moved).is_err());
    }

    #[test]
    fn a_refusal_seals_the_person_refused() {
        let s = sealer();
        let mut row = reception_refusal::ActiveModel::default();
        seal_refusal(&s, &mut row, &an()).unwrap();
        let name = row.visitor_name.clone().unwrap();
        assert!(Sealer::is_sealed(&name));
        assert_eq!(s.open(field::REFUSED_NAME, &name).unwrap(), "Nguyễn Văn An");
        assert!(s.open(field::VISITOR_NAME, &name).is_err(), "a refusal's name is not a visit's");
    }

    #[test]
    fn an_account_seals_phone_and_email_and_a_citizens_name_only() {
        let s = sealer();
        for (role, name_sealed) in [(Role::Citizen, true), (Role::Inspector, false), (Role::Admin, false)] {
            let mut row = user::ActiveModel {
                role: ActiveValue::Set(role),
                full_name: ActiveValue::Set("Trần Thị Bích".into()),
                phone: ActiveValue::Set(Some("0987654321".into())),
                email: ActiveValue::Set(None),
                ..Default::default()
            };
            seal_account(&s, &mut row).unwrap();
            let name = row.full_name.clone().unwrap();
            assert_eq!(Sealer::is_sealed(&name), name_sealed, "{role:?}");
            assert!(Sealer::is_sealed(row.phone.clone().unwrap().as_deref().unwrap()));
            assert_eq!(row.email.clone().unwrap(), None);
            let at = Utc.with_ymd_and_hms(2026, 11, 25, 2, 0, 0).unwrap();
            let model = user::Model {
                id: 1,
                username: "u".into(),
                password_hash: "h".into(),
                full_name: name,
                role,
                agency_id: None,
                unit_id: None,
                phone: row.phone.unwrap(),
                email: None,
                active: true,
                token_version: 0,
                created_at: at,
                updated_at: at,
            };
            let opened = open_account(&s, model).unwrap();
            assert_eq!(
                (opened.full_name.as_str(), opened.phone.as_deref()),
                ("Trần Thị Bích", Some("0987654321"))
            );
        }
        // Only what is written is sealed: an unchanged value is left alone.
        let mut untouched = user::ActiveModel {
            role: ActiveValue::Unchanged(Role::Citizen),
            full_name: ActiveValue::Unchanged("v1.sealed".into()),
            ..Default::default()
        };
        seal_account(&s, &mut untouched).unwrap();
        assert_eq!(untouched.full_name, ActiveValue::Unchanged("v1.sealed".to_owned()));
        assert!(seal_account(&s, &mut user::ActiveModel::default()).is_err(), "no role, no sealing");
    }

    #[test]
    fn name_tokens_are_blind_whole_folded_words() {
        let s = sealer();
        let tokens = name_tokens(&s, ["Nguyễn Văn An", "NGUYEN Thị Bích"]);
        let list: Vec<&str> = tokens.split(' ').collect();
        assert_eq!(list.len(), 5, "each word once: nguyen van an thi bich");
        assert_eq!(list[0], name_token(&s, "nguyen"));
        assert!(list.iter().all(|t| t.len() == 17 && t.starts_with('n')));
        assert!(!tokens.contains("nguyen") && !tokens.contains("bich"));
        assert_ne!(name_token(&s, "an"), name_token(&Sealer::new(&[4; 32]), "an"), "keyed");
        assert_eq!(name_tokens(&s, []), "");
    }
}
