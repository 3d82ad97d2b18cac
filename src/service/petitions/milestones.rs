//! The facts a step leaves on a case for the statutory reports (issue 16; domain.md §10): when
//! and how it was processed, when it entered resolution, and how many working days it took. Kept
//! as the steps happen, by the workflow (`actions`) and the seeder alike, so that every report
//! figure is an aggregate over an index instead of a reading of the trails.

use chrono::NaiveDate;

use crate::{
    domain::{
        calendar::Calendar,
        petition::{EventAction, Status},
    },
    entity::petition,
};

/// What a step moving `case` to `to` (closing it on `closing`, if it does) by `action` on `on`
/// records.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Milestones {
    /// Taken out of "received": the first handling decision (processed), and which.
    pub processed: Option<(NaiveDate, EventAction)>,
    /// Entered resolution: accepted, or resolved at once.
    pub accepted_on: Option<NaiveDate>,
    /// Closed: working days from receipt to the closing day.
    pub working_days: Option<i32>,
}

/// What a case was before a step, as its milestones read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Before {
    pub status: Status,
    pub received_on: NaiveDate,
    pub processed: bool,
    pub accepted: bool,
    pub closed: bool,
}

impl Before {
    pub fn of(case: &petition::Model) -> Self {
        Before {
            status: case.status,
            received_on: case.received_on,
            processed: case.processed_on.is_some(),
            accepted: case.accepted_on.is_some(),
            closed: case.closed_on.is_some(),
        }
    }
}

impl Milestones {
    /// The milestones of a step moving a case that was `before` to `to` by `action` on `on`
    /// (its working days are added by [`Milestones::closing`]).
    pub fn of(before: Before, to: Status, action: EventAction, on: NaiveDate) -> Self {
        let leaves_intake = before.status == Status::Received && to != Status::Received;
        Milestones {
            processed: (leaves_intake && !before.processed).then_some((on, action)),
            accepted_on: (leaves_intake
                && !before.accepted
                && matches!(to, Status::Accepted | Status::Resolved))
            .then_some(on),
            working_days: None,
        }
    }

    /// With the handling time of a case that was `before` and the step closes on `closing`.
    pub fn closing(self, before: Before, closing: Option<NaiveDate>, cal: &Calendar) -> Self {
        let working_days =
            closing.filter(|_| !before.closed).map(|c| working_days(before.received_on, c, cal));
        Milestones { working_days, ..self }
    }

    /// Writes them onto `row`.
    pub fn apply(self, row: &mut petition::Model) {
        if let Some((on, action)) = self.processed {
            row.processed_on = Some(on);
            row.processed_action = Some(action);
        }
        if let Some(on) = self.accepted_on {
            row.accepted_on = Some(on);
        }
        if let Some(days) = self.working_days {
            row.working_days = Some(days);
        }
    }

    /// Writes them into the update of a stored case.
    pub fn set(self, model: &mut petition::ActiveModel) {
        use sea_orm::ActiveValue::Set;
        if let Some((on, action)) = self.processed {
            model.processed_on = Set(Some(on));
            model.processed_action = Set(Some(action));
        }
        if let Some(on) = self.accepted_on {
            model.accepted_on = Set(Some(on));
        }
        if let Some(days) = self.working_days {
            model.working_days = Set(Some(days));
        }
    }
}

/// The handling time of a case received on `received_on` and closed on `closed_on`: the working
/// days after its receipt up to its closing day.
pub fn working_days(received_on: NaiveDate, closed_on: NaiveDate, cal: &Calendar) -> i32 {
    i32::try_from(cal.working_days_between(received_on, closed_on).max(0)).unwrap_or(i32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn received() -> Before {
        Before {
            status: Status::Received,
            received_on: d(11, 25),
            processed: false,
            accepted: false,
            closed: false,
        }
    }

    #[test]
    fn the_first_decision_on_a_received_petition_processes_it() {
        let cal = Calendar::default();
        let m = Milestones::of(received(), Status::Accepted, EventAction::Accept, d(11, 27));
        assert_eq!(m.processed, Some((d(11, 27), EventAction::Accept)));
        assert_eq!((m.accepted_on, m.working_days), (Some(d(11, 27)), None));
        // Guided: processed, not accepted; closed after 3 working days (26, 27, 30 Nov).
        let m = Milestones::of(received(), Status::Guided, EventAction::Guide, d(11, 30)).closing(
            received(),
            Some(d(11, 30)),
            &cal,
        );
        assert_eq!((m.processed, m.accepted_on), (Some((d(11, 30), EventAction::Guide)), None));
        assert_eq!(m.working_days, Some(3));
        // Routing leaves it received: nothing yet.
        let m = Milestones::of(received(), Status::Received, EventAction::Assign, d(11, 26));
        assert_eq!(m, Milestones::default());
    }

    #[test]
    fn a_later_step_keeps_the_first_processing_and_counts_the_days_at_closing() {
        let cal = Calendar::default();
        let accepted = Before { status: Status::Accepted, processed: true, accepted: true, ..received() };
        // Resolved Mon 28 Dec: 23 working days after Wed 25 Nov.
        let m = Milestones::of(accepted, Status::Resolved, EventAction::Resolve, d(12, 28)).closing(
            accepted,
            Some(d(12, 28)),
            &cal,
        );
        assert_eq!((m.processed, m.accepted_on, m.working_days), (None, None, Some(23)));
        // A recommendation resolved at once entered resolution that day.
        let m = Milestones::of(received(), Status::Resolved, EventAction::Resolve, d(11, 25)).closing(
            received(),
            Some(d(11, 25)),
            &cal,
        );
        assert_eq!((m.accepted_on, m.working_days), (Some(d(11, 25)), Some(0)));
        // A case closed before is not closed again.
        let closed = Before { closed: true, ..accepted };
        assert_eq!(Milestones::default().closing(closed, Some(d(12, 28)), &cal).working_days, None);
    }
}
