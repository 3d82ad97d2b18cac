//! The published reception schedule (anyone, no login): the heads' periodic, unscheduled and
//! online sessions of a period (daily staff reception is not a scheduled event), as JSON and as
//! an iCalendar feed.

use crate::{
    domain::reception::{PublicScheduleQuery, PublicSession, SessionKind, SessionStatus, ics},
    error::AppResult,
    service::{
        agencies,
        context::Context,
        petitions::public::default_agency,
        reception::{names_of, occurrences, sessions},
    },
};

/// Where the feed's event ids live (`UID:reception-session-7@tiepdan`).
const ICS_HOST: &str = "tiepdan";

/// An agency's published schedule.
#[derive(Debug, Clone)]
pub struct PublicSchedule {
    pub agency_name: String,
    pub sessions: Vec<PublicSession>,
}

/// `GET /public/reception-schedule`: the schedule of a period (90 days from today by default) of
/// the agency asked, or of the first one registered. The period's scheduled sessions are written
/// first (their ids are the feed's stable event ids).
pub async fn schedule(ctx: &Context<()>, query: PublicScheduleQuery) -> AppResult<PublicSchedule> {
    let asked = query.parse(ctx.today)?;
    let agency = match asked.agency_id {
        Some(id) => agencies::find(ctx.reader(), id).await?,
        None => default_agency(ctx.reader()).await?,
    };
    let cal = ctx.calendar().await?;
    occurrences::materialise(ctx.writer(), &cal, agency.id, asked.from, asked.to, ctx.today, ctx.now).await?;
    let rows: Vec<_> = sessions::all_between(ctx.reader(), agency.id, asked.from, asked.to)
        .await?
        .into_iter()
        // Daily staff reception is not a scheduled event; a cancelled session is taken off.
        .filter(|s| s.kind != SessionKind::Regular && s.status != SessionStatus::Cancelled)
        .collect();
    let names = names_of(ctx.reader(), &rows.iter().map(|s| s.host_id).collect::<Vec<_>>()).await?;
    let sessions = rows
        .into_iter()
        .map(|s| PublicSession {
            id: s.id,
            date: s.session_date,
            kind: s.kind,
            host_name: names.get(&s.host_id).cloned(),
            status: SessionStatus::shown(s.status, s.session_date, ctx.today),
            location: s.location,
            hours: s.hours,
            expected_content: s.expected_content,
            meeting_link: s.meeting_link,
        })
        .collect();
    Ok(PublicSchedule { agency_name: agency.name, sessions })
}

/// `GET /public/reception-schedule.ics`: the same schedule as an iCalendar document (RFC 5545),
/// stamped with the request's time.
pub async fn calendar(ctx: &Context<()>, query: PublicScheduleQuery) -> AppResult<String> {
    let PublicSchedule { agency_name, sessions } = schedule(ctx, query).await?;
    Ok(ics(&agency_name, &sessions, ICS_HOST, ctx.now))
}
