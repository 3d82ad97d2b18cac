//! Agencies and their units: the two tiers of People's Committees since 1 Jul 2025 (domain.md §0),
//! and the units an agency names to advise its chairman (ND 154/2026 Art. 28(1)).

use serde::Deserialize;
use utoipa::ToSchema;

use super::{
    input::{Fields, Invalid},
    validate::{Code, bounded_text},
};

str_enum! {
    /// The level of a People's Committee; the district level is history.
    pub enum AgencyLevel {
        /// Cấp xã: xã, phường, đặc khu.
        Commune = "commune",
        /// Cấp tỉnh.
        Province = "province",
    }
}

/// A new agency, as sent.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateAgencyRequest {
    pub name: String,
    pub level: AgencyLevel,
    pub parent_id: Option<i64>,
}

/// A checked new agency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAgency {
    pub name: String,
    pub level: AgencyLevel,
    /// The agency above it (a commune's province).
    pub parent_id: Option<i64>,
}

impl CreateAgencyRequest {
    /// Checks the name (2–200 characters).
    pub fn parse(self) -> Result<NewAgency, Invalid> {
        let mut f = Fields::new();
        let name = f.check("name", bounded_text(&self.name, 2, 200));
        f.done(name.map(|name| NewAgency { name, level: self.level, parent_id: self.parent_id }))
    }
}

/// A new unit, as sent.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateUnitRequest {
    pub name: String,
    pub code: String,
    /// Another agency (admin only; defaults to the admin's own).
    pub agency_id: Option<i64>,
}

/// A checked new unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUnit {
    pub name: String,
    pub code: Code,
    /// `None`: the caller's own agency.
    pub agency_id: Option<i64>,
}

impl CreateUnitRequest {
    /// Checks the name (2–200 characters) and the code.
    pub fn parse(self) -> Result<NewUnit, Invalid> {
        let mut f = Fields::new();
        let name = f.check("name", bounded_text(&self.name, 2, 200));
        let code = f.check("code", Code::parse(&self.code));
        f.done(name.zip(code).map(|(name, code)| NewUnit { name, code, agency_id: self.agency_id }))
    }
}

/// Changes to a unit, as sent.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateUnitRequest {
    pub name: Option<String>,
    pub code: Option<String>,
}

/// Checked changes to a unit; `None` leaves a field as it is.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UnitChanges {
    pub name: Option<String>,
    pub code: Option<Code>,
}

impl UpdateUnitRequest {
    /// Checks the fields given.
    pub fn parse(self) -> Result<UnitChanges, Invalid> {
        let mut f = Fields::new();
        let name = f.check("name", self.name.as_deref().map(|n| bounded_text(n, 2, 200)).transpose());
        let code = f.check("code", self.code.as_deref().map(Code::parse).transpose());
        f.done(name.zip(code).map(|(name, code)| UnitChanges { name, code }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_unit_needs_a_name_and_a_code() {
        let bad = CreateUnitRequest { name: " ".into(), code: "Văn phòng".into(), agency_id: None };
        let Invalid(errors) = bad.parse().unwrap_err();
        assert!(errors.contains_key("name") && errors.contains_key("code"));
        let good = CreateUnitRequest { name: " Thanh tra ".into(), code: "TTr".into(), agency_id: None };
        assert_eq!(good.parse().unwrap().name, "Thanh tra");
        let changes = UpdateUnitRequest { name: None, code: Some("VP".into()) }.parse().unwrap();
        assert_eq!((changes.name, changes.code.map(|c| c.into_inner())), (None, Some("VP".to_owned())));
    }
}
