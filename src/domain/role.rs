//! The roles of the register (domain.md §2).

str_enum! {
    /// What a user may do.
    pub enum Role {
        /// Accounts, units, holidays, schedule rules, rule-table values.
        Admin = "admin",
        /// Chủ tịch UBND: holds sessions, decides acceptance, signs decisions.
        Chairman = "chairman",
        /// Thủ trưởng đơn vị: runs a unit, receives directives and cases, assigns handlers.
        UnitHead = "unit_head",
        /// Thanh tra / người xử lý đơn: classifies and handles petitions.
        Inspector = "inspector",
        /// Cán bộ tiếp công dân: receives citizens, logs visits.
        Receptionist = "receptionist",
        /// A citizen with an account on the portal.
        Citizen = "citizen",
    }
}

impl Role {
    /// Staff of an agency (everyone but citizens).
    pub fn is_staff(self) -> bool {
        !matches!(self, Role::Citizen)
    }

    /// The Vietnamese name of the role.
    pub fn label_vi(self) -> &'static str {
        match self {
            Role::Admin => "Quản trị hệ thống",
            Role::Chairman => "Chủ tịch UBND",
            Role::UnitHead => "Thủ trưởng đơn vị",
            Role::Inspector => "Thanh tra, xử lý đơn",
            Role::Receptionist => "Cán bộ tiếp công dân",
            Role::Citizen => "Công dân",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_through_its_spelling() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(*role));
            let json = serde_json::to_string(role).unwrap();
            assert_eq!(json, format!("\"{}\"", role.as_str()));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn an_unknown_spelling_is_an_error_naming_the_set() {
        assert_eq!("unit_head".parse::<Role>(), Ok(Role::UnitHead));
        let err = "Admin".parse::<Role>().unwrap_err();
        assert_eq!(err.to_string(), "\"Admin\" is not a known Role");
    }

    #[test]
    fn only_citizens_are_not_staff() {
        let staff: Vec<_> = Role::ALL.iter().filter(|r| r.is_staff()).collect();
        assert_eq!(staff.len(), 5);
        assert!(!Role::Citizen.is_staff());
    }
}
