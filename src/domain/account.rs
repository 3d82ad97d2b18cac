//! Accounts: staff of an agency and citizens of the portal, as sent and as checked.

use serde::Deserialize;
use utoipa::ToSchema;

use super::{
    input::{Fields, Invalid, double_option},
    role::Role,
    validate::{Email, Password, PersonName, Phone, Username},
};

/// The text of an optional field, `None` when missing or blank.
fn given(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.trim().is_empty())
}

/// Login body.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
    /// `token` (default): the answer carries the bearer token. `cookie` (the web frontend): the
    /// token is only in the `HttpOnly` session cookie the answer sets, never in its body, so no
    /// page script ever holds it. Every answer sets the cookie.
    #[serde(default)]
    pub session: SessionMode,
}

/// How the signed-in session is handed over (see [`LoginRequest::session`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SessionMode {
    /// The bearer token in the body (and the cookie).
    #[default]
    Token,
    /// The cookie only.
    Cookie,
}

/// A checked new account.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub username: Username,
    pub password: Password,
    pub full_name: PersonName,
    pub role: Role,
    /// Staff only: the agency (`None` asks for the creator's own).
    pub agency_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub phone: Option<Phone>,
    pub email: Option<Email>,
}

/// Citizen self-registration body.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RegisterRequest {
    pub username: String,
    pub password: String,
    pub full_name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

impl RegisterRequest {
    /// A citizen's account: no agency, no unit.
    pub fn parse(self) -> Result<NewAccount, Invalid> {
        let mut f = Fields::new();
        let username = f.check("username", Username::parse(&self.username));
        let password = f.check("password", Password::for_account(&self.password, self.username.trim()));
        let full_name = f.check("full_name", PersonName::parse(&self.full_name));
        let phone = f.check("phone", given(self.phone.as_deref()).map(Phone::parse).transpose());
        let email = f.check("email", given(self.email.as_deref()).map(Email::parse).transpose());
        let account = (|| {
            Some(NewAccount {
                username: username?,
                password: password?,
                full_name: full_name?,
                role: Role::Citizen,
                agency_id: None,
                unit_id: None,
                phone: phone?,
                email: email?,
            })
        })();
        f.done(account)
    }
}

/// New staff account.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateUserRequest {
    pub username: String,
    pub password: String,
    pub full_name: String,
    pub role: Role,
    pub unit_id: Option<i64>,
    /// The agency (admin only; defaults to the admin's own).
    pub agency_id: Option<i64>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

impl CreateUserRequest {
    /// An account of any role: the fields every account has are checked as a registration's are;
    /// a citizen's belongs to no agency.
    pub fn parse(self) -> Result<NewAccount, Invalid> {
        let (role, agency_id, unit_id) = (self.role, self.agency_id, self.unit_id);
        let common = RegisterRequest {
            username: self.username,
            password: self.password,
            full_name: self.full_name,
            phone: self.phone,
            email: self.email,
        };
        let account = common.parse()?;
        let agency_id = if role.is_staff() { agency_id } else { None };
        Ok(NewAccount { role, agency_id, unit_id, ..account })
    }
}

/// Changes to an account; each field is optional, `unit_id: null` clears the unit.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateUserRequest {
    pub full_name: Option<String>,
    pub role: Option<Role>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub unit_id: Option<Option<i64>>,
    pub active: Option<bool>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
}

/// Checked changes to an account; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct AccountChanges {
    pub full_name: Option<PersonName>,
    pub role: Option<Role>,
    /// `Some(None)` clears the unit.
    pub unit_id: Option<Option<i64>>,
    pub active: Option<bool>,
    /// `Some(None)` clears the phone number.
    pub phone: Option<Option<Phone>>,
    pub email: Option<Option<Email>>,
}

impl UpdateUserRequest {
    /// Checks the fields given.
    pub fn parse(self) -> Result<AccountChanges, Invalid> {
        let mut f = Fields::new();
        let full_name = f.check("full_name", self.full_name.as_deref().map(PersonName::parse).transpose());
        let phone = f.check(
            "phone",
            self.phone.map(|p| given(p.as_deref()).map(Phone::parse).transpose()).transpose(),
        );
        let email = f.check(
            "email",
            self.email.map(|e| given(e.as_deref()).map(Email::parse).transpose()).transpose(),
        );
        let (role, unit_id, active) = (self.role, self.unit_id, self.active);
        f.done(full_name.zip(phone).zip(email).map(|((full_name, phone), email)| AccountChanges {
            full_name,
            role,
            unit_id,
            active,
            phone,
            email,
        }))
    }
}

/// Filters of the staff list, as sent.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListUsersQuery {
    pub role: Option<Role>,
    pub unit_id: Option<i64>,
    /// Another agency (admin only).
    pub agency_id: Option<i64>,
    pub active: Option<bool>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

/// A new password: the user gives the old one; an admin resetting someone else's does not.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordRequest {
    pub old_password: Option<String>,
    #[serde(alias = "password")]
    pub new_password: String,
}

/// A checked password change.
#[derive(Debug, Clone)]
pub struct PasswordChange {
    /// As typed (checked against the stored hash, never parsed: an old password may predate the
    /// rules).
    pub old_password: Option<String>,
    pub new_password: Password,
}

impl PasswordRequest {
    /// Checks the new password of the account `username`.
    pub fn parse(self, username: &str) -> Result<PasswordChange, Invalid> {
        let mut f = Fields::new();
        let new_password = f.check("new_password", Password::for_account(&self.new_password, username));
        f.done(
            new_password.map(|new_password| PasswordChange { old_password: self.old_password, new_password }),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_registration_reports_every_field_and_makes_a_citizen() {
        let bad = RegisterRequest {
            username: "có dấu".into(),
            password: "short".into(),
            full_name: "A".into(),
            phone: Some("12ab".into()),
            email: Some("  ".into()),
        };
        let Invalid(errors) = bad.parse().unwrap_err();
        let fields: Vec<&str> = errors.keys().map(String::as_str).collect();
        assert_eq!(fields, ["full_name", "password", "phone", "username"]);
        let good = RegisterRequest {
            username: "CongDan".into(),
            password: "Sổ tiếp dân 2026".into(),
            full_name: "Nguyễn Văn An".into(),
            phone: None,
            email: None,
        };
        let account = good.parse().unwrap();
        assert_eq!((account.username.as_str(), account.role), ("congdan", Role::Citizen));
    }

    #[test]
    fn a_citizen_created_by_the_admin_belongs_to_no_agency() {
        let form = CreateUserRequest {
            username: "congdan2".into(),
            password: "Sổ tiếp dân 2026".into(),
            full_name: "Trần Thị Bình".into(),
            role: Role::Citizen,
            unit_id: None,
            agency_id: Some(3),
            phone: None,
            email: None,
        };
        assert_eq!(form.parse().unwrap().agency_id, None);
    }

    #[test]
    fn changes_clear_with_null_and_keep_when_missing() {
        let changes: UpdateUserRequest = serde_json::from_str(r#"{"unit_id": null, "phone": ""}"#).unwrap();
        let changes = changes.parse().unwrap();
        assert_eq!(changes.unit_id, Some(None));
        assert!(matches!(changes.phone, Some(None)));
        assert!(changes.email.is_none() && changes.full_name.is_none());
    }
}
