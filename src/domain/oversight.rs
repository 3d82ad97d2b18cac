//! What the chairman oversees so that no insider is a back door (issue 13; Law 25/2018 Art. 8(3),
//! ND 31/2019 Art. 22(2)(b)): every change made to a staff account, with what it grants, and every
//! read of a protected identity, with its purpose.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, SecondsFormat, TimeDelta, Utc};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::IntoParams;

use super::{
    input::{BadQuery, supported_date_opt},
    page::{PageParams, PageRequest, cursor},
    reception::period::check_range,
    role::Role,
};

str_enum! {
    /// What was done to an account.
    pub enum AccountAction {
        /// The account was created.
        Created = "created",
        /// Its role, unit, name, contact or state changed.
        Changed = "changed",
        /// Someone else (the admin) set its password.
        PasswordReset = "password_reset",
        /// Its owner changed the password.
        PasswordChanged = "password_changed",
    }
}

impl AccountAction {
    /// The Vietnamese name.
    pub fn label_vi(self) -> &'static str {
        match self {
            AccountAction::Created => "Tạo tài khoản",
            AccountAction::Changed => "Sửa tài khoản",
            AccountAction::PasswordReset => "Đặt lại mật khẩu",
            AccountAction::PasswordChanged => "Tự đổi mật khẩu",
        }
    }
}

str_enum! {
    /// Why an account event deserves the chairman's eye.
    pub enum AccountFlag {
        /// The account is, or becomes, a chairman's: its holder sees every identity.
        ChairmanAccount = "chairman_account",
        /// The account gains a role that sees identities (every staff role but the admin's), by
        /// creation, a change of role or a reactivation.
        GrantsIdentityAccess = "grants_identity_access",
        /// Whoever made the change holds the account: a role given to oneself.
        OwnAccount = "own_account",
        /// Someone else now holds the password: whoever reset it can sign in as the account.
        PasswordTakenOver = "password_taken_over",
    }
}

impl AccountFlag {
    /// The Vietnamese explanation.
    pub fn label_vi(self) -> &'static str {
        match self {
            AccountFlag::ChairmanAccount => "Tài khoản của Chủ tịch",
            AccountFlag::GrantsIdentityAccess => "Cấp quyền xem thông tin cá nhân",
            AccountFlag::OwnAccount => "Tự thay đổi tài khoản của mình",
            AccountFlag::PasswordTakenOver => "Người khác đặt mật khẩu",
        }
    }
}

/// Whether a role sees anyone's identity: every staff role, but the admin's (domain.md §2).
pub fn role_sees_identities(role: Role) -> bool {
    role.is_staff() && role != Role::Admin
}

/// An account as far as its events are concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountState {
    pub username: String,
    pub full_name: String,
    pub role: Role,
    pub agency_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub active: bool,
    pub phone: Option<String>,
    pub email: Option<String>,
}

impl AccountState {
    fn holds_identity_role(&self) -> bool {
        self.active && role_sees_identities(self.role)
    }
}

fn from_to(from: impl Into<Value>, to: impl Into<Value>) -> Value {
    json!({"from": from.into(), "to": to.into()})
}

/// What an event records of a change: the role, unit and state as they were and became; a
/// staff member's name likewise; personal fields (a citizen's name, phones, e-mails) only as
/// changed, so that the log shows no one's contact details.
pub fn changes(before: Option<&AccountState>, after: &AccountState) -> Value {
    let mut out = BTreeMap::new();
    let staff = after.role.is_staff();
    match before {
        None => {
            out.insert("username", json!(after.username));
            out.insert("role", json!(after.role));
            out.insert("agency_id", json!(after.agency_id));
            out.insert("unit_id", json!(after.unit_id));
            if staff {
                out.insert("full_name", json!(after.full_name));
            }
        }
        Some(b) => {
            if b.role != after.role {
                out.insert("role", from_to(b.role.as_str(), after.role.as_str()));
            }
            if b.unit_id != after.unit_id {
                out.insert("unit_id", from_to(b.unit_id, after.unit_id));
            }
            if b.active != after.active {
                out.insert("active", from_to(b.active, after.active));
            }
            if b.full_name != after.full_name {
                let value =
                    if staff { from_to(b.full_name.as_str(), after.full_name.as_str()) } else { json!(true) };
                out.insert("full_name", value);
            }
            if b.phone != after.phone {
                out.insert("phone", json!(true));
            }
            if b.email != after.email {
                out.insert("email", json!(true));
            }
        }
    }
    json!(out)
}

/// The flags of an event on `after` (as it was: `before`) by `actor_id`.
pub fn flags(
    action: AccountAction,
    actor_id: Option<i64>,
    account_id: i64,
    before: Option<&AccountState>,
    after: &AccountState,
) -> Vec<AccountFlag> {
    let mut out = Vec::new();
    if after.role == Role::Chairman || before.is_some_and(|b| b.role == Role::Chairman) {
        out.push(AccountFlag::ChairmanAccount);
    }
    let gained = after.holds_identity_role()
        && before.is_none_or(|b| !b.holds_identity_role() || b.role != after.role);
    if gained && matches!(action, AccountAction::Created | AccountAction::Changed) {
        out.push(AccountFlag::GrantsIdentityAccess);
    }
    if actor_id == Some(account_id) && action != AccountAction::PasswordChanged {
        out.push(AccountFlag::OwnAccount);
    }
    if action == AccountAction::PasswordReset {
        out.push(AccountFlag::PasswordTakenOver);
    }
    out
}

/// The period and page of a log asked: from `to` (default today) back 30 days by default, at most
/// 366 days.
fn window(
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<(NaiveDate, NaiveDate), BadQuery> {
    let to = to.unwrap_or(today);
    let from = from.unwrap_or(to - TimeDelta::days(30));
    check_range(from, to)
}

/// `GET /account-events` parameters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AccountEventsQuery {
    /// First day (default 30 days before `to`).
    #[serde(default, deserialize_with = "supported_date_opt")]
    pub from: Option<NaiveDate>,
    /// Last day (default today); at most 366 days in all.
    #[serde(default, deserialize_with = "supported_date_opt")]
    pub to: Option<NaiveDate>,
    /// Only the events of this account.
    pub account_id: Option<i64>,
    /// Only the flagged events (`true`).
    pub flagged: Option<bool>,
    /// The admin may name another agency.
    pub agency_id: Option<i64>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

/// A checked `GET /account-events`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountEventsFilter {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub account_id: Option<i64>,
    pub flagged: bool,
    pub agency_id: Option<i64>,
    pub page: PageRequest,
}

impl AccountEventsQuery {
    /// The period (30 days to today by default, at most 366) and page.
    pub fn parse(self, today: NaiveDate) -> Result<AccountEventsFilter, BadQuery> {
        let (from, to) = window(self.from, self.to, today)?;
        Ok(AccountEventsFilter {
            from,
            to,
            account_id: self.account_id,
            flagged: self.flagged.unwrap_or(false),
            agency_id: self.agency_id,
            page: PageParams::of(self.page, self.per_page).checked()?,
        })
    }
}

/// `GET /identity-access` parameters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IdentityReadsQuery {
    /// First day (default 30 days before `to`).
    #[serde(default, deserialize_with = "supported_date_opt")]
    pub from: Option<NaiveDate>,
    /// Last day (default today); at most 366 days in all.
    #[serde(default, deserialize_with = "supported_date_opt")]
    pub to: Option<NaiveDate>,
    /// Only the reads of this member of staff.
    pub user_id: Option<i64>,
    /// The admin may name another agency.
    pub agency_id: Option<i64>,
    /// Page number, from 1 (its offset at most 10,000 reads: deeper, follow `next_after`).
    pub page: Option<u64>,
    pub per_page: Option<u64>,
    /// The `next_after` of the previous page: the page after it (takes the place of `page`).
    pub after: Option<String>,
}

/// A checked `GET /identity-access`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityReadsFilter {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub user_id: Option<i64>,
    pub agency_id: Option<i64>,
    pub page: PageRequest,
    /// The last read of the page before (its time and id): the log grows with every read of an
    /// identity, so it is paged by cursor along its `(agency_id, at)` index.
    pub after: Option<ReadCursor>,
}

/// Where a page of the identity-read log continues: after the read at `at` with id `id`, newest
/// first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadCursor {
    pub at: DateTime<Utc>,
    pub id: i64,
}

impl ReadCursor {
    /// The cursor as `next_after` carries it.
    pub fn encode(&self) -> String {
        cursor::encode(&[&self.at.to_rfc3339_opts(SecondsFormat::Nanos, true), &self.id.to_string()])
    }

    /// A cursor sent back; a `BadQuery` when it is not one of this list's.
    pub fn decode(text: &str) -> Result<Self, BadQuery> {
        let bad = || BadQuery::param("after", "Không mở được trang sau: hãy xem lại danh sách từ trang đầu.");
        match cursor::decode(text)?.as_slice() {
            [at, id] => Ok(Self {
                at: DateTime::parse_from_rfc3339(at).map_err(|_| bad())?.with_timezone(&Utc),
                id: id.parse().map_err(|_| bad())?,
            }),
            _ => Err(bad()),
        }
    }
}

impl IdentityReadsQuery {
    /// The period (30 days to today by default, at most 366) and page.
    pub fn parse(self, today: NaiveDate) -> Result<IdentityReadsFilter, BadQuery> {
        let (from, to) = window(self.from, self.to, today)?;
        Ok(IdentityReadsFilter {
            from,
            to,
            user_id: self.user_id,
            agency_id: self.agency_id,
            page: PageParams::of(self.page, self.per_page).checked()?,
            after: match self.after.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
                Some(text) => Some(ReadCursor::decode(text)?),
                None => None,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(role: Role) -> AccountState {
        AccountState {
            username: "nguoidung".to_owned(),
            full_name: "Cán bộ Một".to_owned(),
            role,
            agency_id: Some(1),
            unit_id: None,
            active: true,
            phone: Some("0912345678".to_owned()),
            email: None,
        }
    }

    #[test]
    fn creating_or_resetting_a_chairman_or_giving_oneself_a_role_is_flagged() {
        use AccountAction::*;
        use AccountFlag::*;
        let admin = state(Role::Admin);
        let chairman = state(Role::Chairman);
        // The admin creates a chairman's account.
        assert_eq!(flags(Created, Some(1), 9, None, &chairman), [ChairmanAccount, GrantsIdentityAccess]);
        // …resets the chairman's password.
        assert_eq!(
            flags(PasswordReset, Some(1), 9, Some(&chairman), &chairman),
            [ChairmanAccount, PasswordTakenOver]
        );
        // …makes himself a receptionist, who sees the identities of what he receives.
        let receptionist = state(Role::Receptionist);
        assert_eq!(
            flags(Changed, Some(1), 1, Some(&admin), &receptionist),
            [GrantsIdentityAccess, OwnAccount]
        );
        // An inspector moved to another unit gains nothing; a reactivated one regains access.
        let mut moved = state(Role::Inspector);
        moved.unit_id = Some(3);
        assert_eq!(flags(Changed, Some(1), 5, Some(&state(Role::Inspector)), &moved), []);
        let mut inactive = state(Role::Inspector);
        inactive.active = false;
        assert_eq!(
            flags(Changed, Some(1), 5, Some(&inactive), &state(Role::Inspector)),
            [GrantsIdentityAccess]
        );
        // Creating an admin grants no identity; one's own password change is no alarm.
        assert_eq!(flags(Created, None, 1, None, &admin), []);
        assert_eq!(flags(PasswordChanged, Some(5), 5, Some(&moved), &moved), []);
    }

    #[test]
    fn changes_show_roles_and_staff_names_but_never_contact_details() {
        let before = state(Role::Admin);
        let mut after = state(Role::Chairman);
        after.phone = Some("0987654321".to_owned());
        after.full_name = "Cán bộ Hai".to_owned();
        let c = changes(Some(&before), &after);
        assert_eq!(c["role"], json!({"from": "admin", "to": "chairman"}));
        assert_eq!(c["full_name"], json!({"from": "Cán bộ Một", "to": "Cán bộ Hai"}));
        assert_eq!(c["phone"], json!(true), "only that it changed");
        assert!(!c.to_string().contains("0987654321"));

        let mut citizen = state(Role::Citizen);
        citizen.agency_id = None;
        let mut renamed = citizen.clone();
        renamed.full_name = "Lạc Thị Huyền Trân".to_owned();
        let c = changes(Some(&citizen), &renamed);
        assert_eq!(c, json!({"full_name": true}), "a citizen's name is not logged");
        assert!(!changes(None, &renamed).to_string().contains("Trân"));
    }

    #[test]
    fn a_log_is_read_by_window_of_at_most_a_year() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        let q = AccountEventsQuery::default().parse(today).unwrap();
        assert_eq!((q.from, q.to), (NaiveDate::from_ymd_opt(2026, 11, 5).unwrap(), today));
        let long = IdentityReadsQuery { from: NaiveDate::from_ymd_opt(2024, 1, 1), ..Default::default() };
        assert!(long.parse(today).is_err());
    }
}
