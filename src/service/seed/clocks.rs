//! A seeded case's statutory clocks, kept in memory while its story is played and written with it.
//! Each step's effects come from the law's step table (`effects::plan`) and each due date from the
//! deadline engine (`deadline::compute` over the calendar), exactly as `effects::apply` and
//! `service::deadlines` store them; only the rows live here rather than in the database, since a
//! million cases cannot afford a query per clock.

use chrono::{DateTime, NaiveDate, Utc};

use crate::{
    domain::notice::NOTICE_DUTIES,
    domain::{
        calendar::Calendar,
        deadline::{
            ClockId, ClockInput, ClockResult, ClockState, Complexity, Pause, PauseMode, RuleSetId,
            check_extension, compute, steps::Effect,
        },
    },
    entity::{deadline, json::JsonList},
    error::{AppError, AppResult},
    service::{
        deadlines::{input_of, rule_of},
        petitions::effects::{Applied, Changed, ClockBasis, Lengthening, Started},
    },
};

/// The clocks of one case, in the order they were recorded (the order its view lists them).
#[derive(Debug, Clone, Default)]
pub struct Clocks {
    pub rows: Vec<deadline::Model>,
}

impl Clocks {
    /// Does `effects` to the clocks, on the step's date `on`: `effects::apply` in memory.
    #[allow(clippy::too_many_arguments)]
    pub fn apply(
        &mut self,
        basis: &ClockBasis,
        effects: &[Effect],
        lengthening: Option<Lengthening>,
        on: NaiveDate,
        cal: &Calendar,
        at: DateTime<Utc>,
    ) -> AppResult<Applied> {
        let mut applied = Applied::default();
        for effect in effects {
            match *effect {
                // A seeded agency sends each notice the day its step issues it: the duty is met
                // at once (the receipt's 10-day notice is met by the first decision, below).
                Effect::Start(clock)
                    if NOTICE_DUTIES.contains(&clock) && clock != ClockId::ReceptionNotice =>
                {
                    let stored = (Complexity::None, basis.remote_area, ClockState::Met, Some(on));
                    applied.started.push(self.insert(basis, clock, on, stored, cal, at)?);
                }
                Effect::Start(clock) => {
                    let stored = (basis.complexity, basis.remote_area, ClockState::Running, None);
                    applied.started.push(self.insert(basis, clock, on, stored, cal, at)?);
                }
                Effect::Inform(clock) => {
                    let stored = (Complexity::None, basis.remote_area, ClockState::Informational, None);
                    applied.started.push(self.insert(basis, clock, on, stored, cal, at)?);
                }
                Effect::MetAtOnce(clock) => {
                    let stored = (Complexity::None, false, ClockState::Met, Some(on));
                    applied.started.push(self.insert(basis, clock, on, stored, cal, at)?);
                }
                Effect::MetSinceReceipt(clock) => {
                    let stored = (Complexity::None, false, ClockState::Met, Some(on));
                    applied.started.push(self.insert(basis, clock, basis.received_on, stored, cal, at)?);
                }
                Effect::Meet(clocks) => self.end(clocks, ClockState::Met, on, at),
                Effect::MeetAll => self.end(&[], ClockState::Met, on, at),
                Effect::StopAll => self.end(&[], ClockState::Stopped, on, at),
                Effect::Pause => self.pause(on, cal, at)?,
                Effect::Resume => self.resume(on, cal, at)?,
                Effect::Lengthen(clock) => {
                    let how = lengthening
                        .ok_or_else(|| AppError::internal(format!("{clock} lengthened by nothing")))?;
                    let i = self.running(clock).ok_or_else(|| {
                        AppError::conflict(
                            "invalid_transition",
                            "Không có thời hạn giải quyết đang chạy để gia hạn.",
                        )
                    })?;
                    let before = u32::try_from(self.rows[i].limit_days).unwrap_or(0);
                    let mut input = input_of(&self.rows[i])?;
                    match how {
                        Lengthening::Days { days, complexity } => {
                            input.complex = complexity;
                            let rule = rule_of(input.rule_set, clock)?;
                            check_extension(rule, &input, days)
                                .map_err(|e| AppError::conflict(e.code(), e.to_string()))?;
                            input.extensions.push(days);
                        }
                        Lengthening::Complexity(complexity) => input.complex = complexity,
                    }
                    let result = self.save(i, &input, cal, at)?;
                    applied.changed.push(Changed { clock, limit_before: before, result });
                }
            }
        }
        Ok(applied)
    }

    /// Records a new clock (`deadlines::start`, `note`, `met_at_once`).
    fn insert(
        &mut self,
        basis: &ClockBasis,
        clock: ClockId,
        start_on: NaiveDate,
        (complexity, remote_area, state, ended_on): (Complexity, bool, ClockState, Option<NaiveDate>),
        cal: &Calendar,
        at: DateTime<Utc>,
    ) -> AppResult<Started> {
        let rule_set: RuleSetId = basis.rule_set;
        let input = ClockInput {
            rule_set,
            clock,
            start: start_on,
            complex: complexity,
            remote_area,
            extensions: vec![],
            pauses: vec![],
        };
        let result = compute(rule_of(rule_set, clock)?, &input, cal);
        self.rows.push(deadline::Model {
            id: 0,
            petition_id: basis.id,
            clock,
            rule_set,
            start_on,
            unit: result.unit,
            limit_days: i32::try_from(result.limit_days).unwrap_or(i32::MAX),
            complexity,
            remote_area,
            extensions: JsonList::default(),
            pauses: JsonList::default(),
            due_on: result.due,
            paused: false,
            state,
            ended_on,
            created_at: at,
            updated_at: at,
        });
        Ok(Started { clock, due: result.due, state })
    }

    /// Ends the running clocks named in `clocks` (all when empty): `deadlines::end`.
    fn end(&mut self, clocks: &[ClockId], state: ClockState, on: NaiveDate, at: DateTime<Utc>) {
        for row in &mut self.rows {
            if row.state == ClockState::Running && (clocks.is_empty() || clocks.contains(&row.clock)) {
                row.state = state;
                row.ended_on = Some(on);
                row.updated_at = at;
            }
        }
    }

    /// The running clocks a suspension stops.
    fn pausable(&self) -> Vec<usize> {
        (0..self.rows.len())
            .filter(|i| self.rows[*i].state == ClockState::Running)
            .filter(|i| {
                let r = &self.rows[*i];
                rule_of(r.rule_set, r.clock).is_ok_and(|rule| rule.pause != PauseMode::None)
            })
            .collect()
    }

    fn pause(&mut self, on: NaiveDate, cal: &Calendar, at: DateTime<Utc>) -> AppResult<()> {
        for i in self.pausable() {
            let mut input = input_of(&self.rows[i])?;
            input.pauses.push(Pause { from: on, to: None });
            self.save(i, &input, cal, at)?;
        }
        Ok(())
    }

    fn resume(&mut self, on: NaiveDate, cal: &Calendar, at: DateTime<Utc>) -> AppResult<()> {
        for i in self.pausable() {
            let mut input = input_of(&self.rows[i])?;
            if let Some(open) = input.pauses.iter_mut().rev().find(|p| p.to.is_none()) {
                open.to = Some(on.max(open.from));
            }
            self.save(i, &input, cal, at)?;
        }
        Ok(())
    }

    /// The running clock `clock`, if any.
    pub fn running(&self, clock: ClockId) -> Option<usize> {
        self.rows.iter().position(|r| r.clock == clock && r.state == ClockState::Running)
    }

    /// Saves a changed input of clock `i` and its new due date (`deadlines::save`).
    fn save(
        &mut self,
        i: usize,
        input: &ClockInput,
        cal: &Calendar,
        at: DateTime<Utc>,
    ) -> AppResult<ClockResult> {
        let row = &mut self.rows[i];
        let result = compute(rule_of(row.rule_set, input.clock)?, input, cal);
        row.complexity = input.complex;
        row.remote_area = input.remote_area;
        row.extensions = JsonList(input.extensions.clone());
        row.pauses = JsonList(input.pauses.clone());
        row.limit_days = i32::try_from(result.limit_days).unwrap_or(i32::MAX);
        row.due_on = result.due;
        row.paused = result.paused;
        row.updated_at = at;
        Ok(result)
    }
}
