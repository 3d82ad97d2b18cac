//! Who may do what in citizen reception, in one place with its matrix test: who organises
//! sessions and writes the book, who sees and completes which unit's directives, who writes a
//! session's conclusion, who may host a session or hold a periodic schedule, and who sees a
//! visitor's identity (the case rule of [`super::can_see_identity`], applied to a line of the book).
//!
//! The predicates decide; the use cases read the rows, answer 404 for another agency's and log
//! the reads of a protected identity.

use crate::{
    auth::{AuthUser, Role},
    domain::petition::{Kind, Status},
    entity::{reception_visit, user},
};

use super::{CaseScope, can_see_identity, is_confidential};

/// Who organises sessions (creates, reschedules, marks held or cancelled): the chairman, the
/// reception desk, the admin.
pub const ORGANISERS: [Role; 3] = [Role::Chairman, Role::Receptionist, Role::Admin];

/// Who may cancel a session (with a reason): the chairman and the admin (issue 17: a mistaken
/// session was published and nobody could take it back).
pub const CANCELLERS: [Role; 2] = [Role::Chairman, Role::Admin];

/// Who writes the book, refusals and their notices: the desk (receptionists, inspectors on duty)
/// and the chairman.
pub const DESK: [Role; 3] = [Role::Receptionist, Role::Inspector, Role::Chairman];

/// Who may complete a directive at all (each only his own: [`can_complete_directive`]).
pub const DIRECTIVE_COMPLETERS: [Role; 2] = [Role::UnitHead, Role::Chairman];

/// Who sets the heads' schedules: the admin.
pub const SCHEDULE_SETTERS: [Role; 1] = [Role::Admin];

/// Who reads the weekly review: the chairman and the admin.
pub const REVIEWERS: [Role; 2] = [Role::Chairman, Role::Admin];

/// Who sees every unit's directives: the chairman and the admin.
pub fn sees_all_directives(user: &AuthUser) -> bool {
    matches!(user.role, Role::Chairman | Role::Admin)
}

/// Which units' directives a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirectiveScope {
    /// Every unit of the agency.
    Agency,
    /// One unit's.
    Unit(i64),
}

impl DirectiveScope {
    /// The unit filter of the list (`None`: every unit).
    pub fn unit(self) -> Option<i64> {
        match self {
            DirectiveScope::Agency => None,
            DirectiveScope::Unit(unit) => Some(unit),
        }
    }
}

/// The directives `user` may list when asking for unit `asked` (or none): the chairman and the
/// admin every unit's, or the one they name; other staff their own unit's only. `None`: refused
/// (another unit asked, or no unit of one's own).
pub fn directive_list_scope(user: &AuthUser, asked: Option<i64>) -> Option<DirectiveScope> {
    if sees_all_directives(user) {
        return Some(asked.map_or(DirectiveScope::Agency, DirectiveScope::Unit));
    }
    match (user.unit_id, asked) {
        (Some(mine), None) => Some(DirectiveScope::Unit(mine)),
        (Some(mine), Some(asked)) if asked == mine => Some(DirectiveScope::Unit(mine)),
        _ => None,
    }
}

/// Whether `user` (of the directive's agency) may see a directive to `unit_id`.
pub fn can_see_directive(user: &AuthUser, unit_id: i64) -> bool {
    sees_all_directives(user) || user.unit_id == Some(unit_id)
}

/// Whether `user` may mark a directive to `unit_id` done: the head of that unit, or the chairman.
pub fn can_complete_directive(user: &AuthUser, unit_id: i64) -> bool {
    user.role == Role::Chairman || (user.role == Role::UnitHead && user.unit_id == Some(unit_id))
}

/// Whether `user` may write the conclusion notice of a session hosted by `host_id`: the chairman,
/// or the session's host.
pub fn can_conclude(user: &AuthUser, host_id: i64) -> bool {
    user.role == Role::Chairman || user.id == host_id
}

/// The facts of an account the reception rules look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Account {
    pub role: Role,
    pub agency_id: Option<i64>,
    pub active: bool,
}

impl Account {
    /// The facts of a stored account.
    pub fn of(u: &user::Model) -> Self {
        Self { role: u.role, agency_id: u.agency_id, active: u.active }
    }
}

/// Whether an account may host a session of `agency_id` (or take its notes): active staff of that
/// agency who take part in reception, never a citizen nor the admin.
pub fn can_host_session(account: &Account, agency_id: i64) -> bool {
    account.agency_id == Some(agency_id)
        && account.active
        && account.role != Role::Citizen
        && account.role != Role::Admin
}

/// Whether an account may hold a periodic reception schedule: an active head, the chairman or a
/// unit head (whether he belongs to the agency is the use case's 404).
pub fn can_hold_schedule(account: &Account) -> bool {
    account.active && matches!(account.role, Role::Chairman | Role::UnitHead)
}

/// Whether an account is given the default schedule and keeps it switched on: an active chairman
/// (a unit head's schedule is the admin's to set).
pub fn keeps_default_schedule(account: &Account) -> bool {
    account.active && account.role == Role::Chairman
}

/// The facts of the case a visit opened or came back about, as the identity rule reads them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkedCase {
    pub confidential: bool,
    pub received_by: Option<i64>,
    pub assignee_id: Option<i64>,
    pub unit_id: Option<i64>,
}

impl LinkedCase {
    /// The facts of a stored case.
    pub fn of(case: &crate::entity::petition::Model) -> Self {
        Self {
            confidential: super::is_confidential(case.kind, case.confidential),
            received_by: case.received_by,
            assignee_id: case.assignee_id,
            unit_id: case.unit_id,
        }
    }
}

/// The facts of a line of the book the identity rule looks at: the visit, and the case it opened
/// or came back about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VisitScope {
    pub agency_id: i64,
    pub kind: Kind,
    /// The officer who wrote the line.
    pub recorded_by: i64,
    pub case: Option<LinkedCase>,
}

impl VisitScope {
    /// The scope of a stored visit whose linked case is `case`.
    pub fn of(visit: &reception_visit::Model, case: Option<LinkedCase>) -> Self {
        Self { agency_id: visit.agency_id, kind: visit.kind, recorded_by: visit.recorded_by, case }
    }

    /// The matter is confidential: the visit was recorded as a denunciation, or the case it is
    /// linked to is confidential, whatever kind the line was written with.
    pub fn confidential(&self) -> bool {
        is_confidential(self.kind, self.case.is_some_and(|c| c.confidential))
    }
}

/// Whether `user` may see a visitor's identity: the identity rule of the matter ([`can_see_identity`]),
/// where the officer who wrote the line and the linked case's receiving officer both count as
/// having received it. For a confidential matter only they, the linked case's handler and the
/// chairman; otherwise the agency's staff; never the admin.
pub fn can_see_visitor(user: &AuthUser, visit: &VisitScope) -> bool {
    let case = |received_by| CaseScope {
        agency_id: visit.agency_id,
        kind: visit.kind,
        confidential: visit.confidential(),
        status: Status::Received,
        received_by,
        assignee_id: visit.case.and_then(|c| c.assignee_id),
        unit_id: visit.case.and_then(|c| c.unit_id),
    };
    can_see_identity(user, &case(Some(visit.recorded_by)))
        || visit.case.and_then(|c| c.received_by).is_some_and(|r| can_see_identity(user, &case(Some(r))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: i64, role: Role, agency: i64, unit: Option<i64>) -> AuthUser {
        super::super::test_user(id, role, agency, unit)
    }

    #[test]
    fn directive_matrix() {
        // (who, asks for unit, list scope, sees a unit-5 directive, completes it, why)
        let table = [
            (
                user(1, Role::Chairman, 1, None),
                None,
                Some(DirectiveScope::Agency),
                true,
                true,
                "the chairman",
            ),
            (
                user(1, Role::Chairman, 1, None),
                Some(6),
                Some(DirectiveScope::Unit(6)),
                true,
                true,
                "any unit",
            ),
            (
                user(2, Role::Admin, 1, None),
                None,
                Some(DirectiveScope::Agency),
                true,
                false,
                "the admin reads",
            ),
            (
                user(3, Role::UnitHead, 1, Some(5)),
                None,
                Some(DirectiveScope::Unit(5)),
                true,
                true,
                "its head",
            ),
            (
                user(3, Role::UnitHead, 1, Some(5)),
                Some(5),
                Some(DirectiveScope::Unit(5)),
                true,
                true,
                "named",
            ),
            (user(4, Role::UnitHead, 1, Some(6)), Some(5), None, false, false, "another unit's head"),
            (
                user(5, Role::Inspector, 1, Some(5)),
                None,
                Some(DirectiveScope::Unit(5)),
                true,
                false,
                "its staff",
            ),
            (user(6, Role::Receptionist, 1, None), None, None, false, false, "no unit"),
        ];
        for (who, asked, scope, sees, completes, why) in table {
            assert_eq!(directive_list_scope(&who, asked), scope, "{why}: list");
            assert_eq!(can_see_directive(&who, 5), sees, "{why}: sees");
            assert_eq!(can_complete_directive(&who, 5), completes, "{why}: completes");
        }
        assert_eq!(DirectiveScope::Agency.unit(), None);
        assert_eq!(DirectiveScope::Unit(5).unit(), Some(5));
    }

    #[test]
    fn the_chairman_or_the_host_writes_the_conclusion() {
        let host = 7;
        assert!(can_conclude(&user(1, Role::Chairman, 1, None), host));
        assert!(can_conclude(&user(7, Role::UnitHead, 1, Some(5)), host), "the host");
        assert!(!can_conclude(&user(8, Role::UnitHead, 1, Some(5)), host), "another head");
        assert!(!can_conclude(&user(9, Role::Receptionist, 1, None), host), "the desk");
        assert!(!can_conclude(&user(2, Role::Admin, 1, None), host), "the admin");
    }

    #[test]
    fn hosts_and_schedule_holders_matrix() {
        let account = |role, agency_id, active| Account { role, agency_id, active };
        // (account, hosts a session of agency 1, holds a schedule, keeps the default one, why)
        let table = [
            (account(Role::Chairman, Some(1), true), true, true, true, "the chairman"),
            (account(Role::UnitHead, Some(1), true), true, true, false, "a unit head"),
            (account(Role::Inspector, Some(1), true), true, false, false, "an inspector"),
            (account(Role::Receptionist, Some(1), true), true, false, false, "a receptionist"),
            (account(Role::Admin, Some(1), true), false, false, false, "the admin"),
            (account(Role::Citizen, None, true), false, false, false, "a citizen"),
            (account(Role::Chairman, Some(1), false), false, false, false, "a former chairman"),
            (account(Role::Inspector, Some(2), true), false, false, false, "another agency's staff"),
        ];
        for (a, hosts, holds, keeps, why) in table {
            assert_eq!(can_host_session(&a, 1), hosts, "{why}: hosts");
            assert_eq!(can_hold_schedule(&a) && a.agency_id == Some(1), holds, "{why}: holds");
            assert_eq!(keeps_default_schedule(&a) && a.agency_id == Some(1), keeps, "{why}: keeps");
        }
    }

    #[test]
    fn visitor_identity_matrix() {
        // A denunciation written by receptionist 10 that opened a case handled by inspector 11 of unit 5.
        let case =
            LinkedCase { confidential: true, received_by: Some(10), assignee_id: Some(11), unit_id: Some(5) };
        let denunciation =
            VisitScope { agency_id: 1, kind: Kind::Denunciation, recorded_by: 10, case: Some(case) };
        let complaint = VisitScope { kind: Kind::Complaint, case: None, ..denunciation };
        // (reader, sees the denouncer, sees the complainant, why)
        let table = [
            (user(10, Role::Receptionist, 1, None), true, true, "the officer who wrote the line"),
            (user(11, Role::Inspector, 1, Some(5)), true, true, "the linked case's handler"),
            (user(12, Role::Chairman, 1, None), true, true, "the chairman"),
            (user(13, Role::Inspector, 1, Some(5)), false, true, "another inspector"),
            (user(14, Role::UnitHead, 1, Some(5)), false, true, "the unit head"),
            (user(16, Role::Receptionist, 1, None), false, true, "another receptionist"),
            (user(15, Role::Admin, 1, None), false, false, "the admin"),
            (user(17, Role::Chairman, 2, None), false, false, "another agency's chairman"),
            (user(18, Role::Citizen, 1, None), false, false, "a citizen"),
        ];
        for (reader, denouncer, complainant, why) in table {
            assert_eq!(can_see_visitor(&reader, &denunciation), denouncer, "{why}: denunciation");
            assert_eq!(can_see_visitor(&reader, &complaint), complainant, "{why}: complaint");
        }
        let loose = VisitScope { case: None, ..denunciation };
        assert!(!can_see_visitor(&user(11, Role::Inspector, 1, Some(5)), &loose), "no linked case");
    }

    #[test]
    fn a_visit_about_a_confidential_case_is_protected_whatever_its_label() {
        // Receptionist 16 writes a line labelled "complaint" about a denunciation received by
        // receptionist 10 and handled by inspector 11.
        let case =
            LinkedCase { confidential: true, received_by: Some(10), assignee_id: Some(11), unit_id: Some(5) };
        let line = VisitScope { agency_id: 1, kind: Kind::Complaint, recorded_by: 16, case: Some(case) };
        assert!(line.confidential());
        for (reader, sees, why) in [
            (user(16, Role::Receptionist, 1, None), true, "the officer who wrote the line"),
            (user(10, Role::Receptionist, 1, None), true, "the case's receiving officer"),
            (user(11, Role::Inspector, 1, Some(5)), true, "the case's handler"),
            (user(12, Role::Chairman, 1, None), true, "the chairman"),
            (user(13, Role::Inspector, 1, Some(5)), false, "another inspector"),
            (user(14, Role::UnitHead, 1, Some(5)), false, "the unit head"),
            (user(19, Role::Receptionist, 1, None), false, "another receptionist"),
            (user(15, Role::Admin, 1, None), false, "the admin"),
        ] {
            assert_eq!(can_see_visitor(&reader, &line), sees, "{why}");
        }
        // The same line about a plain complaint is the agency's to see.
        let plain = VisitScope { case: Some(LinkedCase { confidential: false, ..case }), ..line };
        assert!(can_see_visitor(&user(14, Role::UnitHead, 1, Some(5)), &plain));
    }
}
