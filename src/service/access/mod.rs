//! Who may see and act on which case: one place for the case-scope rules (own agency, assigned
//! handler, own unit, a superior's read of the earlier round), who may be given a case and by whom
//! (the routing rules), and denouncer confidentiality (domain.md §2, §6), tested as a matrix. The
//! services read the facts; the predicates here decide.

pub mod accounts;

pub mod reception;

use crate::{
    auth::{AuthUser, Role},
    domain::petition::{Action, Kind, OriginRelation, Status, roles_for},
    entity::{petition, user},
};

/// The facts of a case the access rules look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseScope {
    pub agency_id: i64,
    pub kind: Kind,
    /// The matter is confidential: a denunciation, or any case of its family (split, reopened,
    /// forwarded from or to it), or a visit about one, is (see [`is_confidential`]).
    pub confidential: bool,
    pub status: Status,
    pub received_by: Option<i64>,
    pub assignee_id: Option<i64>,
    pub unit_id: Option<i64>,
}

impl CaseScope {
    /// The scope of a stored case.
    pub fn of(case: &petition::Model) -> Self {
        Self {
            agency_id: case.agency_id,
            kind: case.kind,
            confidential: is_confidential(case.kind, case.confidential),
            status: case.status,
            received_by: case.received_by,
            assignee_id: case.assignee_id,
            unit_id: case.unit_id,
        }
    }

    fn unassigned_and_new(&self) -> bool {
        self.assignee_id.is_none() && self.status == Status::Received
    }
}

/// The one rule of confidentiality: a matter is confidential when it is a denunciation or its
/// family is (a denunciation among the cases made from one another, or a visit recorded as one
/// about any of them: `petition.confidential`). Confidentiality follows the matter, not the label
/// of the record at hand: every identity, trail and line of the book linked to it is protected alike
/// (Law 25/2018 Art. 8(3); domain.md §6).
pub fn is_confidential(kind: Kind, family_confidential: bool) -> bool {
    kind == Kind::Denunciation || family_confidential
}

/// Whether an inspector who accepts this case takes it as its handler from the unassigned pool
/// ("rõ người"). Never a confidential case he did not receive himself: its handler sees the
/// denouncer (Law 25/2018 Art. 8(3); domain.md §2, §6), so a chairman or unit head must assign it
/// first.
pub fn takes_from_pool(user: &AuthUser, case: &CaseScope) -> bool {
    user.role == Role::Inspector
        && case.unassigned_and_new()
        && (!case.confidential || case.received_by == Some(user.id))
}

/// Staff of the case's agency may see it (without the protected identity); nobody else.
pub fn can_view(user: &AuthUser, case: &CaseScope) -> bool {
    user.role.is_staff() && user.agency_id == Some(case.agency_id)
}

/// The relations that make a case a later round of the case it was made from: a second-round
/// complaint and a further denunciation, which a reopening starts at the competent body (the
/// direct superior, or the agency named; Law 02/2011 Art. 7, Law 25/2018 Arts. 37–38). Not a
/// forwarded copy nor a part of a split: those hand the matter over, they do not review it.
pub const LATER_ROUND_RELATIONS: [OriginRelation; 2] =
    [OriginRelation::SecondRoundOf, OriginRelation::FurtherDenunciationOf];

/// A later round made from a case: the facts of the second-round complaint or further
/// denunciation whose handling needs the earlier round's file and trail ("the file, the trail and
/// the results flow back", issue 15).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LaterRound {
    /// How it was made from the earlier case (one of [`LATER_ROUND_RELATIONS`] to count).
    pub relation: OriginRelation,
    /// The later case's own scope: its agency, handler, receiver, confidentiality.
    pub scope: CaseScope,
}

impl LaterRound {
    /// The later round a stored case is, when it was made from its origin as one.
    pub fn of(case: &petition::Model) -> Option<Self> {
        let relation = case.origin_relation.filter(|r| LATER_ROUND_RELATIONS.contains(r))?;
        Some(Self { relation, scope: CaseScope::of(case) })
    }

    /// Whether `user` reads the earlier case through this round: he is staff of the agency that
    /// holds it (he may view it, [`can_view`]).
    fn read_by(&self, user: &AuthUser) -> bool {
        LATER_ROUND_RELATIONS.contains(&self.relation) && can_view(user, &self.scope)
    }
}

/// Whether `user` may read the case, its file and its trail: staff of its agency ([`can_view`]),
/// or staff of an agency that holds one of `later`, the later rounds made directly from it (the
/// superior handling the second round or the further denunciation reads the first round's file).
/// Read only: [`can_act`] and everything that changes a case look at [`can_view`] alone, and lists,
/// search and the inbox stay the agency's own.
pub fn can_read(user: &AuthUser, case: &CaseScope, later: &[LaterRound]) -> bool {
    can_view(user, case) || later.iter().any(|round| round.read_by(user))
}

/// Whether `user` may see the identity of the people of a case he reads ([`can_read`]): its own
/// agency's staff as [`can_see_identity`] says; a later round's reader as he sees them on that
/// later round, the strictest reading of both (confidential if either is). So a denouncer is seen
/// by the resolver of the further denunciation (the superior's chairman) and by the later case's
/// handler and receiving officer, nobody else of the superior (Law 25/2018 Arts. 8(3), 37–38); a
/// complainant by the superior's handling staff, as on their own second round.
pub fn can_read_identity(user: &AuthUser, case: &CaseScope, later: &[LaterRound]) -> bool {
    if can_view(user, case) {
        return can_see_identity(user, case);
    }
    later.iter().any(|round| {
        let strictest =
            CaseScope { confidential: round.scope.confidential || case.confidential, ..round.scope };
        round.read_by(user) && can_see_identity(user, &strictest)
    })
}

/// Whether `user` may take `action` on the case: the role must be allowed the action at all, and
/// the case must be theirs: the chairman's agency; a unit head's unit (or not yet routed); an
/// inspector's assignment (or a new, unassigned case to classify, though he may accept from that
/// pool only what [`takes_from_pool`] lets him take); a receptionist's own intake (or a new,
/// unassigned case at the desk).
pub fn can_act(user: &AuthUser, case: &CaseScope, action: Action) -> bool {
    if !roles_for(action).contains(&user.role) || !can_view(user, case) {
        return false;
    }
    match user.role {
        Role::Chairman => true,
        Role::UnitHead => case.unit_id.is_none() || case.unit_id == user.unit_id,
        Role::Inspector if case.assignee_id == Some(user.id) => true,
        Role::Inspector if action == Action::Accept => takes_from_pool(user, case),
        Role::Inspector => case.unassigned_and_new(),
        Role::Receptionist => case.received_by == Some(user.id) || case.unassigned_and_new(),
        Role::Admin | Role::Citizen => false,
    }
}

/// Whether `user` may see the identity of the people of a case. For a confidential matter only
/// the officer who received it, the assigned handler and the chairman (the resolver) may
/// (Law 25/2018 Arts. 8(3), 9(1)(b); domain.md §6); otherwise the agency's handling staff. Never
/// the admin: the register's technical role has no need to know.
pub fn can_see_identity(user: &AuthUser, case: &CaseScope) -> bool {
    if !can_view(user, case) || user.role == Role::Admin {
        return false;
    }
    if case.confidential {
        user.role == Role::Chairman || case.received_by == Some(user.id) || case.assignee_id == Some(user.id)
    } else {
        true
    }
}

/// Whether `user` may attach a document or photo to the case: an officer who has it in hand, as
/// for its steps ([`can_act`]): the chairman; the unit head of its unit (or of none yet); the
/// assigned inspector; the receiving officer; while it is new and unassigned, the inspectors who
/// classify it and the desk. In any state: a scan of the decision is filed after the resolution.
/// Never the admin. And, since a case's files are under the rule of its people's identity
/// ([`can_read_attachments`]), only someone who may see them: for a confidential matter the
/// receiving officer, the handler and the chairman, never an officer who could not open what he
/// added.
pub fn can_attach(user: &AuthUser, case: &CaseScope) -> bool {
    if !can_view(user, case) {
        return false;
    }
    let in_hand = match user.role {
        Role::Chairman => true,
        Role::UnitHead => case.unit_id.is_none() || case.unit_id == user.unit_id,
        Role::Inspector => case.assignee_id == Some(user.id) || case.unassigned_and_new(),
        Role::Receptionist => case.received_by == Some(user.id) || case.unassigned_and_new(),
        Role::Admin | Role::Citizen => false,
    };
    in_hand && can_see_identity(user, case)
}

/// Whether `user` may list and download the attachments of a case he reads ([`can_read`]). A
/// petition's documents carry its people (a signed letter, a copy of an identity card, a photo of
/// the denouncer's house), so they follow the rule of their identity, [`can_read_identity`]: for a
/// denunciation, and any case of a confidential family, the receiving officer, the handler and the
/// chairman (and, on a superior's later round, its own); for other cases the agency's staff but
/// the admin. Everyone else is answered as if there were none to see (404).
pub fn can_read_attachments(user: &AuthUser, case: &CaseScope, later: &[LaterRound]) -> bool {
    can_read_identity(user, case, later)
}

/// The facts of a staff account that the routing rules look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member {
    pub agency_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub role: Role,
    pub active: bool,
}

impl Member {
    /// The facts of a stored account.
    pub fn of(account: &user::Model) -> Self {
        Self {
            agency_id: account.agency_id,
            unit_id: account.unit_id,
            role: account.role,
            active: account.active,
        }
    }
}

/// Whether `member` may be named the handler or the responsible leader of a case of `agency_id`:
/// an active staff member of that agency, never a citizen nor the admin (the register's technical
/// role handles no case).
pub fn can_handle(member: &Member, agency_id: i64) -> bool {
    member.agency_id == Some(agency_id)
        && member.active
        && !matches!(member.role, Role::Citizen | Role::Admin)
}

/// Whether `user` may route a case to `unit` (named, or implied by the handler) and to `handler`
/// (when one is named). The chairman routes anywhere in the agency; a unit head only within his own
/// unit: he must have one, the unit must be it, and so must the handler's (when no handler is
/// named, the unit head's own unit stands for it).
pub fn may_route(user: &AuthUser, unit: Option<i64>, handler: Option<&Member>) -> bool {
    if user.role != Role::UnitHead {
        return true;
    }
    let own = user.unit_id;
    let handler_unit = handler.map_or(own, |h| h.unit_id);
    own.is_some() && unit.is_none_or(|u| Some(u) == own) && handler_unit == own
}

/// Who counts as the receiving officer of a case reopened from `case` by `user` into `agency_id`:
/// the receiver is among those who see the parties copied onto it (see [`can_see_identity`]). A
/// confidential matter's new case keeps the first one's receiving officer: the denouncer is not
/// revealed to whoever records the reopening (a unit head, another officer), who could not see them
/// on the first case (Law 25/2018 Art. 8(3)). Another agency's case has no receiver of ours.
pub fn receiver_of_reopened(user: &AuthUser, case: &CaseScope, agency_id: i64) -> Option<i64> {
    match (agency_id == case.agency_id, case.confidential) {
        (false, _) => None,
        (true, true) => case.received_by,
        (true, false) => Some(user.id),
    }
}

/// Whether `user` may see the identity of a citizen refused reception. What the person came about
/// was not received, so it may be a denunciation: the strictest rule applies to every refusal, and
/// only the officer who refused and the chairman (who signs the written refusal notice) see it.
pub fn can_see_refused(user: &AuthUser, agency_id: i64, refused_by: i64) -> bool {
    user.role.is_staff()
        && user.agency_id == Some(agency_id)
        && (user.role == Role::Chairman || user.id == refused_by)
}

/// A signed-in user for the matrix tests of every area: staff of `agency` (a citizen of none).
#[cfg(test)]
fn test_user(id: i64, role: Role, agency: i64, unit: Option<i64>) -> AuthUser {
    AuthUser {
        id,
        username: format!("u{id}"),
        full_name: format!("User {id}"),
        role,
        agency_id: if role == Role::Citizen { None } else { Some(agency) },
        unit_id: unit,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: i64, role: Role, agency: i64, unit: Option<i64>) -> AuthUser {
        test_user(id, role, agency, unit)
    }

    fn denunciation() -> CaseScope {
        CaseScope {
            agency_id: 1,
            kind: Kind::Denunciation,
            confidential: true,
            status: Status::Accepted,
            received_by: Some(10),
            assignee_id: Some(11),
            unit_id: Some(5),
        }
    }

    #[test]
    fn denouncer_identity_matrix() {
        let case = denunciation();
        let cases = [
            (user(10, Role::Receptionist, 1, None), true, "the officer who received it"),
            (user(11, Role::Inspector, 1, Some(5)), true, "the assigned handler"),
            (user(12, Role::Chairman, 1, None), true, "the chairman, the resolver"),
            (user(13, Role::Inspector, 1, Some(5)), false, "another inspector of the same unit"),
            (user(14, Role::UnitHead, 1, Some(5)), false, "the unit head"),
            (user(15, Role::Admin, 1, None), false, "the admin"),
            (user(16, Role::Receptionist, 1, None), false, "another receptionist"),
            (user(17, Role::Chairman, 2, None), false, "another agency's chairman"),
            (user(18, Role::Citizen, 1, None), false, "a citizen"),
        ];
        for (u, expected, who) in cases {
            assert_eq!(can_see_identity(&u, &case), expected, "{who}");
        }
    }

    #[test]
    fn other_kinds_show_the_petitioner_to_handling_staff_but_not_the_admin() {
        let mut case = denunciation();
        case.kind = Kind::Complaint;
        case.confidential = false;
        assert!(can_see_identity(&user(14, Role::UnitHead, 1, Some(5)), &case));
        assert!(can_see_identity(&user(13, Role::Inspector, 1, Some(7)), &case));
        assert!(!can_see_identity(&user(15, Role::Admin, 1, None), &case));
        assert!(!can_see_identity(&user(17, Role::Chairman, 2, None), &case));
    }

    #[test]
    fn a_case_of_a_confidential_family_is_protected_like_a_denunciation() {
        // A complaint split from, reopened from or forwarded with a denunciation (or visited
        // about as one): its people are the denouncer's.
        assert!(is_confidential(Kind::Denunciation, false));
        assert!(is_confidential(Kind::Complaint, true));
        assert!(!is_confidential(Kind::Feedback, false));
        let mut complaint = denunciation();
        complaint.kind = Kind::Complaint;
        for (u, expected, who) in [
            (user(10, Role::Receptionist, 1, None), true, "its receiving officer"),
            (user(11, Role::Inspector, 1, Some(5)), true, "its handler"),
            (user(12, Role::Chairman, 1, None), true, "the chairman"),
            (user(13, Role::Inspector, 1, Some(5)), false, "another inspector"),
            (user(14, Role::UnitHead, 1, Some(5)), false, "the unit head"),
            (user(15, Role::Admin, 1, None), false, "the admin"),
        ] {
            assert_eq!(can_see_identity(&u, &complaint), expected, "{who}");
        }
        let fresh = CaseScope { status: Status::Received, assignee_id: None, ..complaint };
        assert!(!takes_from_pool(&user(13, Role::Inspector, 1, Some(5)), &fresh), "no self-take");
        assert_eq!(receiver_of_reopened(&user(14, Role::UnitHead, 1, Some(5)), &complaint, 1), Some(10));
        let plain = CaseScope { confidential: false, ..complaint };
        assert_eq!(receiver_of_reopened(&user(14, Role::UnitHead, 1, Some(5)), &plain, 1), Some(14));
    }

    #[test]
    fn a_refused_citizen_is_seen_by_the_officer_who_refused_and_the_chairman_only() {
        for (u, expected, who) in [
            (user(10, Role::Receptionist, 1, None), true, "the officer who refused"),
            (user(12, Role::Chairman, 1, None), true, "the chairman, who signs the notice"),
            (user(16, Role::Receptionist, 1, None), false, "another receptionist"),
            (user(13, Role::Inspector, 1, Some(5)), false, "an inspector"),
            (user(14, Role::UnitHead, 1, Some(5)), false, "a unit head"),
            (user(15, Role::Admin, 1, None), false, "the admin"),
            (user(17, Role::Chairman, 2, None), false, "another agency's chairman"),
            (user(18, Role::Citizen, 1, None), false, "a citizen"),
        ] {
            assert_eq!(can_see_refused(&u, 1, 10), expected, "{who}");
        }
    }

    #[test]
    fn who_may_attach_and_read_the_files_of_a_denunciation() {
        let case = denunciation();
        // (user, may attach, may read, who)
        let cases = [
            (user(10, Role::Receptionist, 1, None), true, true, "the officer who received it"),
            (user(11, Role::Inspector, 1, Some(5)), true, true, "the assigned handler"),
            (user(12, Role::Chairman, 1, None), true, true, "the chairman"),
            (user(13, Role::Inspector, 1, Some(5)), false, false, "another inspector of the unit"),
            (
                user(14, Role::UnitHead, 1, Some(5)),
                false,
                false,
                "the unit head: he routes it, never sees who",
            ),
            (user(15, Role::Admin, 1, None), false, false, "the admin"),
            (user(16, Role::Receptionist, 1, None), false, false, "another receptionist"),
            (user(17, Role::Chairman, 2, None), false, false, "another agency's chairman"),
            (user(18, Role::Citizen, 1, None), false, false, "a citizen"),
        ];
        for (u, attach, read, who) in cases {
            assert_eq!(can_attach(&u, &case), attach, "attach: {who}");
            assert_eq!(can_read_attachments(&u, &case, &[]), read, "read: {who}");
        }
        // A closed case still takes the scan of its decision.
        let closed = CaseScope { status: Status::Resolved, ..case };
        assert!(can_attach(&user(11, Role::Inspector, 1, Some(5)), &closed));
    }

    #[test]
    fn who_may_attach_and_read_the_files_of_a_complaint() {
        let complaint = CaseScope { kind: Kind::Complaint, confidential: false, ..denunciation() };
        let cases = [
            (user(11, Role::Inspector, 1, Some(5)), true, true, "the handler"),
            (user(12, Role::Chairman, 1, None), true, true, "the chairman"),
            (user(14, Role::UnitHead, 1, Some(5)), true, true, "the unit head of its unit"),
            (user(19, Role::UnitHead, 1, Some(6)), false, true, "another unit's head reads, does not add"),
            (user(13, Role::Inspector, 1, Some(5)), false, true, "another inspector reads, does not add"),
            (user(10, Role::Receptionist, 1, None), true, true, "its receiving officer"),
            (user(16, Role::Receptionist, 1, None), false, true, "another receptionist reads"),
            (user(15, Role::Admin, 1, None), false, false, "the admin sees no one's papers"),
            (user(17, Role::Chairman, 2, None), false, false, "another agency"),
        ];
        for (u, attach, read, who) in cases {
            assert_eq!(can_attach(&u, &complaint), attach, "attach: {who}");
            assert_eq!(can_read_attachments(&u, &complaint, &[]), read, "read: {who}");
        }
        // New and unassigned: the desk and the classifying inspectors add what came with it.
        let fresh = CaseScope { status: Status::Received, assignee_id: None, unit_id: None, ..complaint };
        assert!(can_attach(&user(16, Role::Receptionist, 1, None), &fresh));
        assert!(can_attach(&user(13, Role::Inspector, 1, Some(5)), &fresh));
        let fresh_denunciation = CaseScope { kind: Kind::Denunciation, confidential: true, ..fresh };
        assert!(!can_attach(&user(13, Role::Inspector, 1, Some(5)), &fresh_denunciation), "not his to see");
        assert!(can_attach(&user(10, Role::Receptionist, 1, None), &fresh_denunciation), "he received it");
        // A superior holding the second round reads the first round's files as it sees its people.
        let rounds = [later(&complaint, OriginRelation::SecondRoundOf)];
        assert!(can_read_attachments(&user(23, Role::Inspector, 2, Some(8)), &complaint, &rounds));
        assert!(!can_read_attachments(&user(26, Role::Admin, 2, None), &complaint, &rounds));
        assert!(!can_attach(&user(22, Role::Chairman, 2, None), &complaint), "read only");
    }

    #[test]
    fn case_scope_of_actions() {
        let case = denunciation();
        assert!(can_act(&user(12, Role::Chairman, 1, None), &case, Action::Resolve));
        assert!(can_act(&user(11, Role::Inspector, 1, Some(5)), &case, Action::Resolve));
        assert!(!can_act(&user(13, Role::Inspector, 1, Some(5)), &case, Action::Resolve), "not assigned");
        assert!(can_act(&user(14, Role::UnitHead, 1, Some(5)), &case, Action::Assign));
        assert!(!can_act(&user(19, Role::UnitHead, 1, Some(6)), &case, Action::Assign), "another unit");
        assert!(!can_act(&user(10, Role::Receptionist, 1, None), &case, Action::Resolve), "role");
        assert!(!can_act(&user(15, Role::Admin, 1, None), &case, Action::Accept));
        assert!(!can_act(&user(17, Role::Chairman, 2, None), &case, Action::Accept), "another agency");

        let fresh = CaseScope { status: Status::Received, assignee_id: None, unit_id: None, ..case };
        let fresh_complaint = CaseScope { kind: Kind::Complaint, confidential: false, ..fresh };
        assert!(
            can_act(&user(13, Role::Inspector, 1, Some(5)), &fresh_complaint, Action::Accept),
            "classification pool"
        );
        assert!(
            !can_act(&user(13, Role::Inspector, 1, Some(5)), &fresh, Action::Accept),
            "no self-take of a denunciation: its handler would see the denouncer"
        );
        assert!(
            can_act(&user(13, Role::Inspector, 1, Some(5)), &fresh, Action::Reject),
            "still classifies it"
        );
        let own = CaseScope { received_by: Some(13), ..fresh };
        assert!(can_act(&user(13, Role::Inspector, 1, Some(5)), &own, Action::Accept), "he received it");
        assert!(takes_from_pool(&user(13, Role::Inspector, 1, Some(5)), &own));
        assert!(!takes_from_pool(&user(13, Role::Inspector, 1, Some(5)), &fresh));
        assert!(!takes_from_pool(&user(12, Role::Chairman, 1, None), &fresh_complaint));
        assert!(can_act(&user(16, Role::Receptionist, 1, None), &fresh, Action::Guide), "desk guidance");
        assert!(!can_act(&user(16, Role::Receptionist, 1, None), &fresh, Action::Accept));
    }

    /// A later round of the first case (agency 1), made at its superior (agency 2) by `relation`:
    /// accepted there and assigned to inspector 21 of unit 7; received by nobody of agency 2 (a
    /// reopening into another agency has no receiver of its own).
    fn later(first: &CaseScope, relation: OriginRelation) -> LaterRound {
        let scope = CaseScope {
            agency_id: 2,
            received_by: None,
            assignee_id: Some(21),
            unit_id: Some(7),
            status: Status::Accepted,
            ..*first
        };
        LaterRound { relation, scope }
    }

    #[test]
    fn a_superior_reads_the_first_round_of_a_further_denunciation_and_only_its_resolver_sees_the_denouncer() {
        let first = denunciation();
        let rounds = [later(&first, OriginRelation::FurtherDenunciationOf)];
        // (reader, may read, sees the denouncer, who)
        let cases = [
            (user(21, Role::Inspector, 2, Some(7)), true, true, "the later case's handler"),
            (user(22, Role::Chairman, 2, None), true, true, "the superior's chairman, the resolver"),
            (user(23, Role::Inspector, 2, Some(7)), true, false, "another inspector of the superior"),
            (user(24, Role::UnitHead, 2, Some(7)), true, false, "the superior's unit head"),
            (user(25, Role::Receptionist, 2, None), true, false, "the superior's receptionist"),
            (user(26, Role::Admin, 2, None), true, false, "the superior's admin"),
            (user(27, Role::Chairman, 3, None), false, false, "a chairman of an agency with no later round"),
            (user(28, Role::Citizen, 2, None), false, false, "a citizen"),
            (user(10, Role::Receptionist, 1, None), true, true, "the first case's receiving officer"),
            (user(11, Role::Inspector, 1, Some(5)), true, true, "the first case's handler"),
            (user(12, Role::Chairman, 1, None), true, true, "the first agency's chairman"),
            (user(13, Role::Inspector, 1, Some(5)), true, false, "another inspector of the first agency"),
        ];
        for (u, read, identity, who) in cases {
            assert_eq!(can_read(&u, &first, &rounds), read, "read: {who}");
            assert_eq!(can_read_identity(&u, &first, &rounds), identity, "identity: {who}");
            // Without the later round, the superior is a stranger to the first case (as today).
            if u.agency_id != Some(1) {
                assert!(!can_read(&u, &first, &[]), "no later round: {who}");
                assert!(!can_read_identity(&u, &first, &[]), "no later round: {who}");
            }
        }
    }

    #[test]
    fn a_superiors_reader_never_acts_on_the_first_round() {
        let first =
            CaseScope { status: Status::Received, assignee_id: None, unit_id: None, ..denunciation() };
        let rounds = [later(&first, OriginRelation::FurtherDenunciationOf)];
        for u in [
            user(21, Role::Inspector, 2, Some(7)),
            user(22, Role::Chairman, 2, None),
            user(24, Role::UnitHead, 2, Some(7)),
            user(25, Role::Receptionist, 2, None),
        ] {
            assert!(can_read(&u, &first, &rounds));
            for action in Action::ALL {
                assert!(!can_act(&u, &first, *action), "{action:?} by user {}", u.id);
            }
        }
    }

    #[test]
    fn a_superior_reads_a_first_round_complaint_and_its_handling_staff_see_the_complainant() {
        let first = CaseScope { kind: Kind::Complaint, confidential: false, ..denunciation() };
        let rounds = [later(&first, OriginRelation::SecondRoundOf)];
        let cases = [
            (user(21, Role::Inspector, 2, Some(7)), true, true, "the second round's handler"),
            (user(22, Role::Chairman, 2, None), true, true, "the superior's chairman"),
            (user(23, Role::Inspector, 2, Some(8)), true, true, "another inspector of the superior"),
            (user(24, Role::UnitHead, 2, Some(7)), true, true, "the superior's unit head"),
            (user(26, Role::Admin, 2, None), true, false, "the superior's admin"),
            (user(27, Role::Chairman, 3, None), false, false, "an agency with no later round"),
        ];
        for (u, read, identity, who) in cases {
            assert_eq!(can_read(&u, &first, &rounds), read, "read: {who}");
            assert_eq!(can_read_identity(&u, &first, &rounds), identity, "identity: {who}");
        }
        // The strictest reading: a first round of a confidential family protects its people on
        // the superior's side too, even if the later round were not flagged.
        let protected = CaseScope { confidential: true, ..first };
        let unflagged =
            [LaterRound { scope: CaseScope { confidential: false, ..rounds[0].scope }, ..rounds[0] }];
        assert!(!can_read_identity(&user(23, Role::Inspector, 2, Some(8)), &protected, &unflagged));
        assert!(can_read_identity(&user(21, Role::Inspector, 2, Some(7)), &protected, &unflagged));
        assert!(can_read_identity(&user(22, Role::Chairman, 2, None), &protected, &unflagged));
    }

    #[test]
    fn only_a_later_round_opens_the_earlier_case_to_another_agency() {
        let first = CaseScope { kind: Kind::Complaint, confidential: false, ..denunciation() };
        let chairman = user(22, Role::Chairman, 2, None);
        for relation in [OriginRelation::ForwardedFrom, OriginRelation::SplitFrom] {
            let round = later(&first, relation);
            assert!(!can_read(&chairman, &first, &[round]), "{relation:?}");
            assert!(!can_read_identity(&chairman, &first, &[round]), "{relation:?}");
        }
        for relation in LATER_ROUND_RELATIONS {
            assert!(can_read(&chairman, &first, &[later(&first, relation)]), "{relation:?}");
        }
    }

    fn member(role: Role, agency: Option<i64>, unit: Option<i64>, active: bool) -> Member {
        Member { agency_id: agency, unit_id: unit, role, active }
    }

    #[test]
    fn who_may_handle_a_case() {
        let cases = [
            (member(Role::Inspector, Some(1), Some(5), true), true, "an inspector of the agency"),
            (member(Role::UnitHead, Some(1), Some(5), true), true, "a unit head"),
            (member(Role::Chairman, Some(1), None, true), true, "the chairman"),
            (member(Role::Receptionist, Some(1), None, true), true, "a receptionist"),
            (member(Role::Inspector, Some(1), Some(5), false), false, "a deactivated account"),
            (member(Role::Inspector, Some(2), Some(8), true), false, "another agency's inspector"),
            (member(Role::Admin, Some(1), None, true), false, "the admin"),
            (member(Role::Citizen, None, None, true), false, "a citizen"),
        ];
        for (m, expected, who) in cases {
            assert_eq!(can_handle(&m, 1), expected, "{who}");
        }
    }

    #[test]
    fn a_unit_head_routes_within_his_unit() {
        let head = user(14, Role::UnitHead, 1, Some(5));
        let ours = member(Role::Inspector, Some(1), Some(5), true);
        let theirs = member(Role::Inspector, Some(1), Some(6), true);
        let cases = [
            (&head, None, None, true, "nothing named: his own unit stands"),
            (&head, Some(5), None, true, "his unit"),
            (&head, Some(5), Some(&ours), true, "his unit and his inspector"),
            (&head, None, Some(&ours), true, "his inspector"),
            (&head, Some(6), None, false, "another unit"),
            (&head, None, Some(&theirs), false, "another unit's inspector"),
            (&head, Some(5), Some(&theirs), false, "his unit, another unit's inspector"),
        ];
        for (u, unit, handler, expected, what) in cases {
            assert_eq!(may_route(u, unit, handler), expected, "{what}");
        }
        let unitless = user(19, Role::UnitHead, 1, None);
        assert!(!may_route(&unitless, None, None), "a unit head without a unit routes nothing");
        let chairman = user(12, Role::Chairman, 1, None);
        assert!(may_route(&chairman, Some(6), Some(&theirs)), "the chairman routes anywhere");
    }

    #[test]
    fn a_reopened_denunciation_keeps_its_receiving_officer() {
        let case = denunciation();
        let head = user(14, Role::UnitHead, 1, Some(5));
        assert_eq!(receiver_of_reopened(&head, &case, 1), Some(10), "not the unit head who reopens it");
        assert_eq!(receiver_of_reopened(&head, &case, 2), None, "another agency's case");
        let complaint = CaseScope { kind: Kind::Complaint, confidential: false, ..case };
        assert_eq!(receiver_of_reopened(&head, &complaint, 1), Some(14), "a second round: who records it");
        assert_eq!(receiver_of_reopened(&head, &complaint, 2), None);
    }
}
