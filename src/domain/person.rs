//! A person named in the register: a petitioner, a co-signatory, a group's representative, a
//! visitor of the reception book, a citizen refused reception. Their identity is what the
//! confidentiality rules protect (domain.md §6).

use serde::Deserialize;
use utoipa::ToSchema;

use super::{
    input::Fields,
    petition::parse_id_number,
    validate::{Email, PersonName, Phone, optional_text},
};

/// A person, as sent.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct PersonRequest {
    pub full_name: String,
    /// CCCD (12 digits), CMND (9 digits), passport or another document number.
    pub id_number: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// A person, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub full_name: String,
    /// Upper-cased, without spaces (see [`parse_id_number`]).
    pub id_number: Option<String>,
    pub address: Option<String>,
    /// Digits only.
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// The text of an optional field, `None` when missing or blank.
fn given(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|s| !s.is_empty())
}

impl PersonRequest {
    /// Checks a person, filing errors under `prefix.field`; `None` when a field failed.
    pub fn parse(&self, prefix: &str, fields: &mut Fields) -> Option<Person> {
        let field = |name: &str| format!("{prefix}.{name}");
        let full_name = fields.check(&field("full_name"), PersonName::parse(&self.full_name));
        let id_number = fields
            .check(&field("id_number"), given(self.id_number.as_deref()).map(parse_id_number).transpose());
        let address = fields.check(&field("address"), optional_text(self.address.as_deref(), 500));
        let phone = fields.check(
            &field("phone"),
            given(self.phone.as_deref()).map(|v| Phone::parse(v).map(Phone::into_inner)).transpose(),
        );
        let email = fields.check(
            &field("email"),
            given(self.email.as_deref()).map(|v| Email::parse(v).map(Email::into_inner)).transpose(),
        );
        let (Some(full_name), Some(id_number), Some(address), Some(phone), Some(email)) =
            (full_name, id_number, address, phone, email)
        else {
            return None;
        };
        Some(Person { full_name: full_name.into_inner(), id_number, address, phone, email })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_is_checked_field_by_field() {
        let mut fields = Fields::new();
        let p = PersonRequest {
            full_name: " Nguyễn Văn An ".into(),
            id_number: Some("001 234 567 890".into()),
            phone: Some("  ".into()),
            ..Default::default()
        };
        let person = p.parse("petitioner", &mut fields).unwrap();
        assert_eq!(person.full_name, "Nguyễn Văn An");
        assert_eq!(person.id_number.as_deref(), Some("001234567890"));
        assert_eq!(person.phone, None);
        assert!(fields.is_empty());

        let bad = PersonRequest {
            full_name: "".into(),
            email: Some("không-phải-email".into()),
            ..Default::default()
        };
        assert_eq!(bad.parse("visitor", &mut fields), None);
        let errors = fields.finish().unwrap_err().0;
        assert!(errors.contains_key("visitor.full_name") && errors.contains_key("visitor.email"));
    }
}
