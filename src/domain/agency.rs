//! Agencies: the two tiers of People's Committees since 1 Jul 2025 (domain.md §0).

str_enum! {
    /// The level of a People's Committee; the district level is history.
    pub enum AgencyLevel {
        /// Cấp xã: xã, phường, đặc khu.
        Commune = "commune",
        /// Cấp tỉnh.
        Province = "province",
    }
}
