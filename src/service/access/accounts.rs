//! Who may see and change which account.

use crate::{
    auth::{AuthUser, Role},
    entity::user,
};

/// Whether `actor` may see the account `target`: their own; any, for the admin; a colleague's,
/// for staff of the same agency (citizens' accounts belong to no agency).
pub fn can_see_account(actor: &AuthUser, target: &user::Model) -> bool {
    actor.id == target.id
        || actor.is(Role::Admin)
        || (matches!(actor.role, Role::Chairman | Role::UnitHead | Role::Inspector | Role::Receptionist)
            && target.agency_id.is_some()
            && target.agency_id == actor.agency_id)
}

/// The agency whose staff or units a list shows: the caller's own; the admin may name another.
pub fn agency_in_view(actor: &AuthUser, asked: Option<i64>) -> Option<i64> {
    if actor.is(Role::Admin) { asked.or(actor.agency_id) } else { actor.agency_id }
}

/// Whether `actor` may list citizens' accounts, which belong to no agency: the admin only.
pub fn can_list_citizens(actor: &AuthUser) -> bool {
    actor.is(Role::Admin)
}

/// Whether `actor` may set the password of account `target_id`: their own (with the old one),
/// or anyone's for the admin (a reset).
pub fn can_set_password(actor: &AuthUser, target_id: i64) -> bool {
    actor.id == target_id || actor.is(Role::Admin)
}

/// Whether the old password must be given: a user changing their own.
pub fn needs_old_password(actor: &AuthUser, target_id: i64) -> bool {
    actor.id == target_id
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;

    fn actor(id: i64, role: Role, agency: Option<i64>) -> AuthUser {
        AuthUser {
            id,
            username: format!("u{id}"),
            full_name: format!("User {id}"),
            role,
            agency_id: agency,
            unit_id: None,
        }
    }

    fn account(id: i64, role: Role, agency: Option<i64>) -> user::Model {
        user::Model {
            id,
            username: format!("u{id}"),
            password_hash: String::new(),
            full_name: format!("User {id}"),
            role,
            agency_id: agency,
            unit_id: None,
            phone: None,
            email: None,
            active: true,
            token_version: 0,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn account_visibility_matrix() {
        let colleague = account(20, Role::Inspector, Some(1));
        let stranger = account(21, Role::Inspector, Some(2));
        let citizen = account(22, Role::Citizen, None);
        let cases = [
            (actor(1, Role::Admin, Some(1)), [true, true, true], "the admin sees every account"),
            (actor(2, Role::Chairman, Some(1)), [true, false, false], "a chairman, his agency's staff"),
            (actor(3, Role::UnitHead, Some(1)), [true, false, false], "a unit head"),
            (actor(4, Role::Inspector, Some(1)), [true, false, false], "an inspector"),
            (actor(5, Role::Receptionist, Some(1)), [true, false, false], "a receptionist"),
            (actor(6, Role::Citizen, None), [false, false, false], "a citizen sees no one else"),
        ];
        for (who, expected, why) in cases {
            let seen = [&colleague, &stranger, &citizen].map(|t| can_see_account(&who, t));
            assert_eq!(seen, expected, "{why}");
        }
        assert!(can_see_account(&actor(22, Role::Citizen, None), &citizen), "one's own account");
    }

    #[test]
    fn list_scope_matrix() {
        let admin = actor(1, Role::Admin, Some(1));
        let chairman = actor(2, Role::Chairman, Some(1));
        assert_eq!(agency_in_view(&admin, Some(2)), Some(2), "the admin names another agency");
        assert_eq!(agency_in_view(&admin, None), Some(1), "or sees his own");
        assert_eq!(agency_in_view(&chairman, Some(2)), Some(1), "staff see their own agency only");
        assert!(can_list_citizens(&admin));
        for role in [Role::Chairman, Role::UnitHead, Role::Inspector, Role::Receptionist, Role::Citizen] {
            assert!(!can_list_citizens(&actor(3, role, Some(1))), "{role}");
        }
    }

    #[test]
    fn password_matrix() {
        let admin = actor(1, Role::Admin, Some(1));
        let chairman = actor(2, Role::Chairman, Some(1));
        assert!(can_set_password(&admin, 9) && !needs_old_password(&admin, 9), "a reset");
        assert!(can_set_password(&admin, 1) && needs_old_password(&admin, 1), "the admin's own");
        assert!(can_set_password(&chairman, 2) && needs_old_password(&chairman, 2));
        assert!(!can_set_password(&chairman, 9), "someone else's");
    }
}
