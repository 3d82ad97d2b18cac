//! The schema of tiepdan, one timestamped module per change. The same migrations run on SQLite and
//! PostgreSQL at start-up; they are the single source of truth for tables and indexes.

pub use sea_orm_migration::prelude::*;

mod m20261125_000001_foundation;
mod m20261125_000002_petitions;
mod m20261125_000003_reception;
mod m20261201_000004_petition_content;
mod m20261201_000005_reception_rule_history;
mod m20261201_000006_deadline_due_keyset;
mod m20261201_000007_next_due_from_clocks;
mod m20261201_000008_deadline_due_cases;
mod m20261206_000009_sealed_identities;
mod m20261206_000010_keyed_audit;
mod m20261206_000011_confidential_family;
mod m20261206_000012_security_logs;
mod m20261206_000013_inbox_due;
mod m20261206_000014_review_indexes;
mod m20261206_000015_search_by_agency;
mod m20261206_000016_reception_minimums;
mod m20261206_000017_second_rounds;
mod m20261206_000018_dialogue;
mod m20261206_000019_notices;
mod m20261207_000020_work_left;
mod m20261207_000021_report_facts;
mod m20261207_000022_report_indexes;
mod m20261207_000023_attachments;
mod m20261207_000024_outbox;
mod m20261207_000025_reception_hours;
mod m20261207_000027_sign_in_guards;

/// Applies every migration in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_foundation::Migration),
            Box::new(m20261125_000002_petitions::Migration),
            Box::new(m20261125_000003_reception::Migration),
            Box::new(m20261201_000004_petition_content::Migration),
            Box::new(m20261201_000005_reception_rule_history::Migration),
            Box::new(m20261201_000006_deadline_due_keyset::Migration),
            Box::new(m20261201_000007_next_due_from_clocks::Migration),
            Box::new(m20261201_000008_deadline_due_cases::Migration),
            Box::new(m20261206_000009_sealed_identities::Migration),
            Box::new(m20261206_000010_keyed_audit::Migration),
            Box::new(m20261206_000011_confidential_family::Migration),
            Box::new(m20261206_000012_security_logs::Migration),
            Box::new(m20261206_000013_inbox_due::Migration),
            Box::new(m20261206_000014_review_indexes::Migration),
            Box::new(m20261206_000015_search_by_agency::Migration),
            Box::new(m20261206_000016_reception_minimums::Migration),
            Box::new(m20261206_000017_second_rounds::Migration),
            Box::new(m20261206_000018_dialogue::Migration),
            Box::new(m20261206_000019_notices::Migration),
            Box::new(m20261207_000020_work_left::Migration),
            Box::new(m20261207_000021_report_facts::Migration),
            Box::new(m20261207_000022_report_indexes::Migration),
            Box::new(m20261207_000023_attachments::Migration),
            Box::new(m20261207_000024_outbox::Migration),
            Box::new(m20261207_000025_reception_hours::Migration),
            Box::new(m20261207_000027_sign_in_guards::Migration),
        ]
    }
}
