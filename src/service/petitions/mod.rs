//! The petition register's use cases for staff: registering a petition, the repeat check, a case
//! and its trail, clocks and identity reads, the register's list and the inbox, and the workflow's
//! steps. Each takes the request's [`Ctx`], owns its transaction and its choice of reader or
//! writer, and returns what the view needs (allowed actions and due dates computed here).
//!
//! The petition is the register's row and the API's resource; a "case" is a petition being
//! handled. Receipt is in [`intake`], reading in [`read`], the steps in [`actions`] (their clocks
//! in [`effects`]), the raw SQL of search in [`search`], the citizen portal in [`public`].

pub mod actions;
pub mod effects;
pub mod family;
pub mod intake;
pub mod milestones;
pub mod public;
pub mod read;
pub mod search;

use crate::{
    domain::{
        page::{Page, PageParams},
        petition::{
            Action, ReadPurpose,
            command::ActionRequest,
            intake::{CreatePetitionRequest, RepeatCheckRequest},
            limits,
            query::{InboxQuery, ListCursor, ListFilter, ListQuery},
            repeat::Warning,
        },
    },
    entity::{deadline, identity_access, petition, petition_event},
    error::{AppError, AppResult},
    service::{
        audit::{self, Actor},
        context::Ctx,
        deadlines::{self, Due, Explained, Today},
        notices, oversight,
    },
};

pub use crate::domain::{person::Person, petition::intake::NewPetition};
pub use intake::intake;
pub use read::{PetitionRead, content_of, find, find_visible, names_of, unit_names};

/// A case as its detailed view shows it to its reader.
#[derive(Debug, Clone)]
pub struct PetitionBundle {
    pub case: petition::Model,
    /// Its content, parties (when the reader may see them), clocks, names and derived cases.
    pub read: PetitionRead,
    /// Where it stands against its clocks today.
    pub due: Due,
    /// What the reader may do now.
    pub allowed_actions: Vec<Action>,
    /// The apology letter is offered: the case is late and has none.
    pub apology_offered: bool,
    /// The reader may attach files to it (`access::can_attach`).
    pub may_attach: bool,
}

/// A case as a list shows it: no content, never a party.
#[derive(Debug, Clone)]
pub struct PetitionSummary {
    pub case: petition::Model,
    /// Its running clocks.
    pub clocks: Vec<deadline::Model>,
    pub assignee_name: Option<String>,
    pub unit_name: Option<String>,
    pub due: Due,
    pub allowed_actions: Vec<Action>,
}

/// A petition just registered (or the case a step leaves to show), with the warnings the officer
/// should weigh: the repeats it may be, a limit passed.
#[derive(Debug, Clone)]
pub struct Registered {
    pub case: PetitionBundle,
    pub warnings: Vec<Warning>,
}

/// The clocks of a case, each with the reasons for its due date, as read on `today`.
#[derive(Debug, Clone)]
pub struct PetitionClocks {
    pub today: chrono::NaiveDate,
    pub clocks: Vec<Explained>,
}

/// Reads case `id` for the caller (404 when they may not read it: see [`read::find_readable`]) and
/// what its view needs; the parties' identity only where the caller may see it, the read logged
/// for `purpose`. A superior's reader of an earlier round is offered no action.
async fn detail(ctx: &Ctx, id: i64, purpose: ReadPurpose) -> AppResult<PetitionBundle> {
    let (case, later) = read::find_readable(ctx.reader(), &ctx.user, id).await?;
    let (reader, writer, sealer) = (ctx.reader(), ctx.writer(), &ctx.keys().data);
    let read =
        read::read_petition(reader, writer, sealer, &ctx.user, &case, &later, purpose, ctx.now).await?;
    let today = Today::of(ctx).await?;
    let allowed_actions = actions::allowed_actions(&ctx.user, &case, &read.clocks, today.date);
    let apology_offered =
        notices::apology_offered(ctx.reader(), &ctx.user, &case, &read.clocks, today.date).await?;
    Ok(PetitionBundle {
        due: today.due(deadlines::stored_next_due(&case)),
        allowed_actions,
        apology_offered,
        may_attach: crate::service::access::can_attach(
            &ctx.user,
            &crate::service::access::CaseScope::of(&case),
        ),
        case,
        read,
    })
}

/// Registers a petition from any channel at the caller's agency, routed at once when the form
/// names a unit or handler, and tells which earlier cases it may repeat.
pub async fn register(ctx: &Ctx, form: CreatePetitionRequest) -> AppResult<Registered> {
    let agency = ctx.user.require_staff()?;
    let new = form.parse(agency, Some(ctx.user.id), ctx.today)?;
    read::check_routing(ctx.reader(), agency, new.assignee_id, new.unit_id).await?;
    let mut warnings =
        search::repeat_warnings(ctx.reader(), &ctx.keys().data, &ctx.user, agency, &new.repeat_check())
            .await?;
    let cal = ctx.calendar().await?;
    warnings.extend(limits::warnings(&deadlines::RULES, &new.filing(), &cal));
    let txn = ctx.begin().await?;
    let actor = Actor::user(ctx.user.id, &ctx.user.full_name);
    let case = intake(&txn, ctx.keys(), new, &actor, &cal, ctx.now).await?;
    txn.commit().await?;
    Ok(Registered { case: detail(ctx, case.id, ReadPurpose::Intake).await?, warnings })
}

/// The repeat warnings a petition not yet registered would get.
pub async fn repeat_check(ctx: &Ctx, form: RepeatCheckRequest) -> AppResult<Vec<Warning>> {
    let agency = ctx.user.require_staff()?;
    search::repeat_warnings(ctx.reader(), &ctx.keys().data, &ctx.user, agency, &form.parse(ctx.today)).await
}

/// A case of the caller's agency, or the earlier round of a case it holds, read only (the
/// identity read, if any, logged as a view).
pub async fn view(ctx: &Ctx, id: i64) -> AppResult<PetitionBundle> {
    detail(ctx, id, ReadPurpose::View).await
}

/// A page of the caller's agency's register, filtered and searched.
pub async fn list(ctx: &Ctx, query: ListQuery) -> AppResult<Page<PetitionSummary>> {
    let agency = ctx.user.require_staff()?;
    let (filter, page, after) = query.parse()?;
    summaries(ctx, agency, &filter, page, after).await
}

/// A page of the caller's inbox: open cases, overdue first then nearest due.
pub async fn inbox(ctx: &Ctx, query: InboxQuery) -> AppResult<Page<PetitionSummary>> {
    let agency = ctx.user.require_staff()?;
    let inbox = query.parse()?;
    let filter = inbox
        .filter(ctx.user.id, ctx.user.unit_id)
        .ok_or_else(|| AppError::bad_request("no_unit", "Tài khoản không thuộc đơn vị nào."))?;
    summaries(ctx, agency, &filter, inbox.page, inbox.after).await
}

/// A page of the cases of `agency` that `filter` selects, as lists show them: after the cursor
/// `after` (the `next_after` of the page before) or at the offset of `page`, which may not pass
/// [`crate::domain::page::TOTAL_CAP`] (400 `page_too_deep`: follow the cursors).
async fn summaries(
    ctx: &Ctx,
    agency: i64,
    filter: &ListFilter,
    page: PageParams,
    after: Option<String>,
) -> AppResult<Page<PetitionSummary>> {
    let after = match after.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        Some(text) => Some(ListCursor::decode(filter.order(), text)?),
        None => None,
    };
    let page = page.checked()?.within_cap(after.is_some())?;
    let today = Today::of(ctx).await?;
    let (reader, sealer) = (ctx.reader(), &ctx.keys().data);
    let (date, until) = (today.date, today.nearly_due_until);
    let found = read::list(reader, sealer, agency, filter, date, until, page, after).await?;
    let read::ListPage { items, clocks, names, units, counted, cap, next } = found;
    let items = items
        .into_iter()
        .map(|case| {
            let own: Vec<deadline::Model> =
                clocks.iter().filter(|c| c.petition_id == case.id).cloned().collect();
            PetitionSummary {
                due: today.due(deadlines::stored_next_due(&case)),
                allowed_actions: actions::allowed_actions(&ctx.user, &case, &own, today.date),
                assignee_name: case.assignee_id.and_then(|id| names.get(&id).cloned()),
                unit_name: case.unit_id.and_then(|id| units.get(&id).cloned()),
                clocks: own,
                case,
            }
        })
        .collect();
    Ok(Page::keyset_up_to(cap, items, counted, page, next))
}

/// Takes a step of the workflow on case `id`, then reads the case to show: this one, or the one a
/// reopening made (this one again when that is at another agency, which the caller may not see).
pub async fn act(ctx: &Ctx, id: i64, form: ActionRequest) -> AppResult<Registered> {
    let input = form.parse(ctx.today)?;
    let cal = ctx.calendar().await?;
    let txn = ctx.begin().await?;
    let (expected, command, on) = (input.expected_version, input.command, input.on);
    let outcome = actions::act(&txn, ctx.keys(), &ctx.user, id, expected, command, on, &cal, ctx.now).await?;
    txn.commit().await?;
    let case = match detail(ctx, outcome.show_id, ReadPurpose::Action).await {
        Err(AppError::NotFound) if outcome.show_id != id => detail(ctx, id, ReadPurpose::Action).await,
        other => other,
    }?;
    Ok(Registered { case, warnings: outcome.warnings })
}

/// The audit trail of a case, oldest first: its agency's, or the superior's that holds a later
/// round of it ([`read::find_readable`]).
pub async fn trail(ctx: &Ctx, id: i64) -> AppResult<Vec<petition_event::Model>> {
    let (case, _) = read::find_readable(ctx.reader(), &ctx.user, id).await?;
    audit::trail(ctx.reader(), case.id).await
}

/// Every clock of a case, running or ended, with why its due date is what it is.
pub async fn clocks(ctx: &Ctx, id: i64) -> AppResult<PetitionClocks> {
    let case = find_visible(ctx.reader(), &ctx.user, id).await?;
    let cal = ctx.calendar().await?;
    let rows = deadlines::of_case(ctx.reader(), case.id).await?;
    Ok(PetitionClocks {
        today: ctx.today,
        clocks: rows.into_iter().map(|r| deadlines::explain(r, &cal)).collect(),
    })
}

/// Who read the petitioner's identity of a case, and when, newest first: the evidence if
/// confidentiality is breached.
pub async fn identity_reads(ctx: &Ctx, id: i64) -> AppResult<Vec<(identity_access::Model, Option<String>)>> {
    let case = find_visible(ctx.reader(), &ctx.user, id).await?;
    oversight::identity_reads::of_case(ctx.reader(), case.id).await
}
