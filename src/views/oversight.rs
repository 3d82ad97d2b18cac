//! What the chairman oversees: the account log and the identity-access log.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    domain::{
        oversight::{AccountAction, AccountFlag},
        petition::ReadPurpose,
    },
    service::oversight::{account_events::LoggedEvent, identity_reads::LoggedRead},
};

/// A change made to an account.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AccountEventView {
    pub id: i64,
    /// The event's place in the account log (1, 2, 3… without gaps).
    pub seq: i64,
    pub at: DateTime<Utc>,
    /// Who made the change (`null`: the register itself, e.g. the first admin).
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub account_id: i64,
    /// The staff account's name (a citizen's is not shown).
    pub account_name: Option<String>,
    pub agency_id: Option<i64>,
    pub action: AccountAction,
    pub action_label: String,
    /// The fields changed: `{"role": {"from", "to"}, …}`; contact details only as `true`.
    #[schema(value_type = Object)]
    pub changes: serde_json::Value,
    /// Why the chairman should look.
    pub flags: Vec<AccountFlag>,
    pub flag_labels: Vec<String>,
    /// The keyed hash chaining it to the event before.
    pub hash: String,
}

impl From<LoggedEvent> for AccountEventView {
    fn from(LoggedEvent { row, account_name }: LoggedEvent) -> Self {
        let flags = row.flags.into_inner();
        Self {
            id: row.id,
            seq: row.seq,
            at: row.at,
            actor_id: row.actor_id,
            actor_name: row.actor_name,
            account_id: row.account_id,
            account_name,
            agency_id: row.agency_id,
            action: row.action,
            action_label: row.action.label_vi().to_owned(),
            changes: serde_json::from_str(&row.changes).unwrap_or(serde_json::Value::Null),
            flag_labels: flags.iter().map(|f| f.label_vi().to_owned()).collect(),
            flags,
            hash: row.hash,
        }
    }
}

/// One read of a protected identity: who, when, why, and whose (a case, a visit with no case, a
/// refused visitor), never the identity itself.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IdentityReadView {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub user_id: i64,
    pub user_name: Option<String>,
    pub purpose: ReadPurpose,
    pub petition_id: Option<i64>,
    pub tracking_code: Option<String>,
    pub visit_id: Option<i64>,
    pub refusal_id: Option<i64>,
}

impl From<LoggedRead> for IdentityReadView {
    fn from(LoggedRead { row, user_name, tracking_code }: LoggedRead) -> Self {
        Self {
            id: row.id,
            at: row.at,
            user_id: row.user_id,
            user_name,
            purpose: row.purpose,
            petition_id: row.petition_id,
            tracking_code,
            visit_id: row.visit_id,
            refusal_id: row.refusal_id,
        }
    }
}
