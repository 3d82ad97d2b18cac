//! Messages to citizens and staff (issue 17): written into the outbox in the same transaction as
//! the change they tell of, sent by the worker ([`deliver`]) through the mail server and the SMS
//! gateway, retried with back-off while either is down. Nothing is lost: a message is either in
//! the outbox or delivered.
//!
//! Who hears what:
//! - the petitioner (by e-mail, and by SMS where the ward has a gateway), of each step of their
//!   case: received (with the tracking code and the link to follow it), accepted (the due date),
//!   refused (the ground), guided, forwarded (to whom), extended, suspended, resumed (why, the new
//!   date), terminated, resolved (the result and how to rate it);
//!   and of a change of the holiday calendar that moved their due date;
//! - the handler, of a case assigned to them.
//!
//! A denunciation's matter reaches no one but the denouncer: a handler assigned a case of a
//! confidential family is told only that a case awaits them in the register, with no code, no
//! subject, no name.
//!
//! Recipients, subjects and bodies are personal data: sealed under the data key in the outbox.
//! The links are written `{public_url}/…` and completed when sent, with `TIEPDAN_PUBLIC_URL`.

pub mod deliver;
pub mod digest;
pub mod text;

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait};

use crate::{
    crypto::{Keys, Sealer},
    domain::{
        message::{MessageChannel, MessageKind, MessageStatus},
        person::Person,
        petition::Action,
    },
    entity::{outbox, petition, user},
    error::{AppError, AppResult},
    service::identity,
};

/// The sealed fields of an outbox row.
pub mod field {
    pub const RECIPIENT: &str = "outbox.recipient";
    pub const SUBJECT: &str = "outbox.subject";
    pub const BODY: &str = "outbox.body";
}

/// The message a step on a case sends its petitioner, if any (the steps a citizen does not hear
/// of by message: routing, dialogue scheduling with its own invitation, a withdrawal they made).
pub fn kind_of(action: Action) -> Option<MessageKind> {
    Some(match action {
        Action::Accept => MessageKind::Accepted,
        Action::Reject => MessageKind::Refused,
        Action::Guide => MessageKind::Guided,
        Action::Forward => MessageKind::Forwarded,
        Action::Extend => MessageKind::Extended,
        Action::Suspend => MessageKind::Suspended,
        Action::Resume => MessageKind::Resumed,
        Action::Terminate => MessageKind::Terminated,
        Action::Resolve => MessageKind::Resolved,
        _ => return None,
    })
}

/// Writes the messages telling `petitioner` of `kind` about `case` (as it stands after the
/// step, which gave `reason`): an e-mail to their address and an SMS to their phone, each where
/// they gave one.
pub async fn to_petitioner(
    db: &impl ConnectionTrait,
    keys: &Keys,
    case: &petition::Model,
    petitioner: Option<&Person>,
    kind: MessageKind,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let Some(person) = petitioner else { return Ok(()) };
    let due = match kind {
        MessageKind::Accepted | MessageKind::Extended | MessageKind::Resumed => {
            crate::service::deadlines::resolution_due_of(db, case.id).await?
        }
        _ => None,
    };
    let text = text::for_citizen(kind, case, person, due, reason);
    for (channel, to) in contacts(person) {
        row(&keys.data, channel, kind, About::case(case, None), to, &text, now)?.insert(db).await?;
    }
    Ok(())
}

/// Where a citizen is reached: their e-mail and their phone, each where they gave one.
fn contacts(person: &Person) -> impl Iterator<Item = (MessageChannel, &str)> {
    [(MessageChannel::Email, &person.email), (MessageChannel::Sms, &person.phone)]
        .into_iter()
        .filter_map(|(channel, to)| to.as_deref().filter(|t| !t.trim().is_empty()).map(|t| (channel, t)))
}

/// A case's resolution due date moved by a change of the holiday calendar.
#[derive(Debug, Clone, Copy)]
pub struct DueMove {
    pub petition_id: i64,
    pub old_due: chrono::NaiveDate,
    pub new_due: chrono::NaiveDate,
}

/// Writes the messages telling each petitioner of `moves` (a page of the recomputation: at most
/// a few thousand cases) that their due date moved, and why (`why`, the day that changed). Two
/// reads for the page, the cases and their petitioners, whatever its size; anonymous cases and
/// petitioners who left no address or phone hear nothing.
pub async fn due_moved(
    db: &impl ConnectionTrait,
    keys: &Keys,
    moves: &[DueMove],
    why: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    if moves.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = moves.iter().map(|m| m.petition_id).collect();
    let cases: std::collections::HashMap<i64, petition::Model> = petition::Entity::find()
        .filter(petition::Column::Id.is_in(ids.clone()))
        .filter(petition::Column::Anonymous.eq(false))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    if cases.is_empty() {
        return Ok(());
    }
    // The first petitioner of each case, as `identity::by_role` takes it.
    let mut petitioners: std::collections::HashMap<i64, Person> = std::collections::HashMap::new();
    let rows = crate::entity::petition_party::Entity::find()
        .filter(crate::entity::petition_party::Column::PetitionId.is_in(cases.keys().copied()))
        .filter(
            crate::entity::petition_party::Column::Role.eq(crate::domain::petition::PartyRole::Petitioner),
        )
        .order_by_asc(crate::entity::petition_party::Column::Id)
        .all(db)
        .await?;
    for row in rows {
        if petitioners.contains_key(&row.petition_id) {
            continue;
        }
        let case_id = row.petition_id;
        petitioners.insert(case_id, identity::open_party(&keys.data, row)?.person);
    }
    let mut rows = Vec::new();
    for m in moves {
        let (Some(case), Some(person)) = (cases.get(&m.petition_id), petitioners.get(&m.petition_id)) else {
            continue;
        };
        let reason = format!("Hạn trước đây: {}. {why}", m.old_due.format("%d/%m/%Y"));
        let text = text::for_citizen(MessageKind::DueMoved, case, person, Some(m.new_due), Some(&reason));
        for (channel, to) in contacts(person) {
            rows.push(row(
                &keys.data,
                channel,
                MessageKind::DueMoved,
                About::case(case, None),
                to,
                &text,
                now,
            )?);
        }
    }
    // Many rows a statement (fourteen columns each, under PostgreSQL's 65,535 binds).
    while !rows.is_empty() {
        let rest = rows.split_off(rows.len().min(1_000));
        outbox::Entity::insert_many(std::mem::replace(&mut rows, rest)).exec(db).await?;
    }
    Ok(())
}

/// The petitioner of a stored case, opened (none for an anonymous one).
pub async fn petitioner_of(
    db: &impl ConnectionTrait,
    keys: &Keys,
    case: &petition::Model,
) -> AppResult<Option<Person>> {
    if case.anonymous {
        return Ok(None);
    }
    let parties = identity::parties_of(db, &keys.data, case.id).await?;
    Ok(identity::by_role(parties).0)
}

/// Writes the message telling the handler `assignee_id` that `case` was assigned to them, by
/// e-mail where their account has an address.
pub async fn to_assignee(
    db: &impl ConnectionTrait,
    keys: &Keys,
    case: &petition::Model,
    assignee_id: i64,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let Some(account) = user::Entity::find_by_id(assignee_id).one(db).await? else { return Ok(()) };
    let account = identity::open_account(&keys.data, account)?;
    let Some(email) = account.email.as_deref().filter(|e| !e.trim().is_empty()) else { return Ok(()) };
    let text = text::assigned(case, &account.full_name);
    let about = About::case(case, Some(assignee_id));
    row(&keys.data, MessageChannel::Email, MessageKind::Assigned, about, email, &text, now)?
        .insert(db)
        .await?;
    Ok(())
}

/// What an outbox row is filed under: the agency (whose admin sees it), the case it tells of and
/// the member of staff it goes to, where there are.
#[derive(Debug, Clone, Copy)]
struct About {
    agency_id: Option<i64>,
    petition_id: Option<i64>,
    user_id: Option<i64>,
}

impl About {
    /// A message about `case`, to a member of staff or (`None`) to its petitioner.
    fn case(case: &petition::Model, user_id: Option<i64>) -> Self {
        Self { agency_id: Some(case.agency_id), petition_id: Some(case.id), user_id }
    }
}

/// The outbox row of one message, sealed, due at once: an SMS carries the text's short form.
fn row(
    sealer: &Sealer,
    channel: MessageChannel,
    kind: MessageKind,
    about: About,
    recipient: &str,
    text: &text::Text,
    now: DateTime<Utc>,
) -> AppResult<outbox::ActiveModel> {
    let seal = |f: &str, v: &str| sealer.seal(f, v).map_err(AppError::internal);
    Ok(outbox::ActiveModel {
        channel: Set(channel),
        kind: Set(kind),
        agency_id: Set(about.agency_id),
        petition_id: Set(about.petition_id),
        user_id: Set(about.user_id),
        recipient: Set(seal(field::RECIPIENT, recipient.trim())?),
        subject: Set(seal(field::SUBJECT, &text.subject)?),
        body: Set(seal(field::BODY, if channel == MessageChannel::Sms { &text.short } else { &text.body })?),
        status: Set(MessageStatus::Pending),
        attempts: Set(0),
        next_attempt_at: Set(now),
        last_error: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        ..Default::default()
    })
}

/// A recipient as the outbox's list shows it: enough to recognise, not to read. A citizen's
/// (who may be a denouncer) keeps only the mail domain or the phone's last two digits
/// (`***@gmail.com`, `********78`); a member of staff's a little more (`ng***@gmail.com`).
pub fn masked(channel: MessageChannel, recipient: &str, citizen: bool) -> String {
    match channel {
        MessageChannel::Email => match recipient.split_once('@') {
            Some((local, domain)) => {
                let shown: String = if citizen { String::new() } else { local.chars().take(2).collect() };
                format!("{shown}***@{domain}")
            }
            None => "***".to_owned(),
        },
        MessageChannel::Sms => {
            let digits: Vec<char> = recipient.chars().collect();
            if digits.len() <= 4 {
                return "***".to_owned();
            }
            let tail: String = digits[digits.len() - 2..].iter().collect();
            format!("{}{tail}", "*".repeat(digits.len() - 2))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recipient_is_masked_in_the_list() {
        assert_eq!(masked(MessageChannel::Email, "nguyenvanan@gmail.com", false), "ng***@gmail.com");
        assert_eq!(masked(MessageChannel::Email, "nguyenvanan@gmail.com", true), "***@gmail.com");
        assert_eq!(masked(MessageChannel::Sms, "0912345678", true), "********78");
        assert_eq!(masked(MessageChannel::Sms, "112", true), "***");
    }

    #[test]
    fn routing_and_withdrawal_send_the_citizen_nothing() {
        assert_eq!(kind_of(Action::Resolve), Some(MessageKind::Resolved));
        assert_eq!(kind_of(Action::Assign), None);
        assert_eq!(kind_of(Action::Withdraw), None);
    }
}

/// The outbox as its list shows it (`GET /outbox`, admin): where each message stands, to whom
/// (masked), never what it says.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct OutboxItem {
    pub id: i64,
    pub channel: MessageChannel,
    pub kind: MessageKind,
    pub petition_id: Option<i64>,
    pub user_id: Option<i64>,
    /// Masked: `***@gmail.com`, `********78` (a citizen), `ng***@gmail.com` (staff).
    pub recipient: String,
    pub status: MessageStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// Which messages.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutboxQuery {
    /// `pending`, `sent` or `failed` (default all).
    pub status: Option<MessageStatus>,
    /// Messages older than this id (the `id` of the last one of the page before).
    pub before: Option<i64>,
    /// At most 200 (default 50).
    pub per_page: Option<u64>,
}

/// `GET /outbox` (admin): the newest messages first, of the admin's agency or about no case. Two
/// walks of the agency's outbox index (its own messages, and those of no agency), each stopping
/// at a page, merged.
pub async fn list(ctx: &crate::service::context::Ctx, query: OutboxQuery) -> AppResult<Vec<OutboxItem>> {
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder, QuerySelect};
    ctx.user.require_any(&[crate::auth::Role::Admin])?;
    let agency = ctx.user.require_staff()?;
    let per_page = query.per_page.unwrap_or(50).clamp(1, 200);
    let mut rows = Vec::new();
    for own in [true, false] {
        let mut find = outbox::Entity::find().filter(if own {
            outbox::Column::AgencyId.eq(agency)
        } else {
            outbox::Column::AgencyId.is_null()
        });
        if let Some(status) = query.status {
            find = find.filter(outbox::Column::Status.eq(status));
        }
        if let Some(before) = query.before {
            find = find.filter(outbox::Column::Id.lt(before));
        }
        rows.extend(find.order_by_desc(outbox::Column::Id).limit(per_page).all(ctx.reader()).await?);
    }
    rows.sort_by_key(|r| std::cmp::Reverse(r.id));
    rows.truncate(usize::try_from(per_page).unwrap_or(200));
    rows.into_iter()
        .map(|r| {
            let to = ctx.keys().data.open(field::RECIPIENT, &r.recipient).map_err(AppError::internal)?;
            Ok(OutboxItem {
                id: r.id,
                channel: r.channel,
                kind: r.kind,
                petition_id: r.petition_id,
                user_id: r.user_id,
                recipient: masked(r.channel, &to, r.user_id.is_none()),
                status: r.status,
                attempts: r.attempts,
                next_attempt_at: r.next_attempt_at,
                last_error: r.last_error,
                created_at: r.created_at,
                sent_at: r.sent_at,
            })
        })
        .collect()
}
