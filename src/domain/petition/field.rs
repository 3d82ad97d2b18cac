//! The field (lĩnh vực) of a petition's content, as the inspectorate's report forms group it
//! (TT 02/2021, the reception and handling tables' "by content" columns; domain.md §10).

str_enum! {
    /// The field of a petition or of a reception visit; unknown until someone classifies it.
    pub enum Field {
        /// Đất đai, nhà ở (administrative: land, housing, compensation, clearance).
        LandHousing = "land_housing",
        /// Chế độ, chính sách (administrative: benefits and policies).
        Policy = "policy",
        /// Other administrative matters.
        Administrative = "administrative",
        /// Tư pháp (justice: courts, enforcement of judgments).
        Justice = "justice",
        /// Đảng, đoàn thể (party and mass organisations).
        PartyMass = "party_mass",
        /// Tham nhũng (corruption).
        Corruption = "corruption",
        /// Anything else.
        Other = "other",
    }
}

impl Field {
    /// The Vietnamese label of the report forms.
    pub fn label_vi(self) -> &'static str {
        match self {
            Field::LandHousing => "Đất đai, nhà ở",
            Field::Policy => "Chế độ, chính sách",
            Field::Administrative => "Hành chính khác",
            Field::Justice => "Tư pháp",
            Field::PartyMass => "Đảng, đoàn thể",
            Field::Corruption => "Tham nhũng",
            Field::Other => "Lĩnh vực khác",
        }
    }
}

/// The label of a petition or visit not yet classified by field.
pub const UNCLASSIFIED_LABEL: &str = "Chưa phân loại";
