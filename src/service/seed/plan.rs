//! What happens to each seeded petition, decided up front and in order: when it arrived (ids grow
//! with the date of receipt, over ten years, more in recent ones), at which agency, its kind and
//! channel, the steps its handling takes and on which days. Steps fall due on working days after
//! receipt; those after today have not happened yet, so recent cases are open and old ones closed,
//! as in a real register. This pass is cheap and sequential (it numbers the cases, and a story may
//! make a second case: a second-round complaint, a copy forwarded within the province); the costly
//! part (texts, identities, clocks, hashes) is played from it on the blocking threads.

use chrono::{Days, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{org::Org, words::weighted};
use crate::domain::{
    agency::AgencyLevel,
    calendar::Calendar,
    petition::{Channel, Kind},
};

/// How far back the register goes.
pub const YEARS: u64 = 10;

/// A step of a story.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Assign,
    Accept,
    Extend,
    Suspend,
    Resume,
    Resolve,
    Reject,
    Guide,
    ForwardBody,
    /// Forwarded to another agency of the province: makes the second case of the story.
    ForwardAgency,
    Archive,
    /// An anonymous denunciation kept as an inspection lead.
    RecordLead,
    /// The resolution ended by a termination decision (đình chỉ).
    Terminate,
    /// A complaint's dialogue held and minuted (mandatory in the second round).
    RecordDialogue,
    Withdraw,
    /// A second-round complaint at the province: makes the second case of the story.
    Reopen,
}

/// A petition's story: its facts, the steps of its case and of the case it may make, each with
/// its date, as many as have happened by today.
#[derive(Debug, Clone)]
pub struct Story {
    /// Its number, which seeds its own random stream (names, texts).
    pub number: u64,
    /// Its case's id; the case it makes, if any, has the next one.
    pub id: i64,
    /// Index of the agency in [`Org::agencies`].
    pub agency: usize,
    pub kind: Kind,
    pub channel: Channel,
    pub anonymous: bool,
    pub received_on: NaiveDate,
    /// The steps taken, in order, with their dates.
    pub moves: Vec<(Move, NaiveDate)>,
    /// The second case: its agency and its own steps taken.
    pub child: Option<(usize, Vec<(Move, NaiveDate)>)>,
}

impl Story {
    /// How many cases the story makes.
    pub fn cases(&self) -> i64 {
        1 + i64::from(self.child.is_some())
    }
}

/// The mixing of the seed with a number, for independent streams per story.
pub fn stream(seed: u64, number: u64, purpose: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ purpose.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    rng.set_stream(number);
    rng
}

/// Plans the stories of `total` petitions, numbered from `first_id`, in order.
pub struct Planner<'a> {
    org: &'a Org,
    cal: &'a Calendar,
    seed: u64,
    today: NaiveDate,
    first_day: NaiveDate,
    total: i64,
    first_id: i64,
    /// Cases planned so far.
    planned: i64,
    number: u64,
}

impl<'a> Planner<'a> {
    pub fn new(
        org: &'a Org,
        cal: &'a Calendar,
        seed: u64,
        today: NaiveDate,
        total: u64,
        first_id: i64,
    ) -> Self {
        Self {
            org,
            cal,
            seed,
            today,
            first_day: today - Days::new(365 * YEARS),
            total: i64::try_from(total).unwrap_or(i64::MAX),
            first_id,
            planned: 0,
            number: 0,
        }
    }

    /// Cases left to plan.
    pub fn left(&self) -> i64 {
        self.total - self.planned
    }

    /// The next stories, making up to `cases` cases.
    pub fn next_chunk(&mut self, cases: i64) -> Vec<Story> {
        let stop = (self.planned + cases).min(self.total);
        let mut out = Vec::new();
        while self.planned < stop {
            let mut story = self.story();
            // The very last case of the register cannot make another.
            if self.planned + story.cases() > self.total {
                story.child = None;
            }
            self.planned += story.cases();
            out.push(story);
        }
        out
    }

    /// The day the `planned`-th case arrived: more cases in recent years (the density grows
    /// linearly to three times the first year's), ids growing with the date.
    fn day_of(&self, planned: i64) -> NaiveDate {
        let u = (planned as f64 + 0.5) / self.total.max(1) as f64;
        // The inverse of F(t) = (t + t²)/2 on [0, 1].
        let t = (-1.0 + (1.0 + 8.0 * u).sqrt()) / 2.0;
        let span = (self.today - self.first_day).num_days() as f64;
        self.first_day + Days::new((t * span) as u64)
    }

    /// A working day on or after `day`, `lo..hi` days after it.
    fn after<R: Rng>(&self, rng: &mut R, day: NaiveDate, lo: u64, hi: u64) -> NaiveDate {
        self.cal.next_working_day_on_or_after(day + Days::new(rng.random_range(lo..hi)))
    }

    fn story(&mut self) -> Story {
        let number = self.number;
        self.number += 1;
        let rng = &mut stream(self.seed, number, 1);
        let mut received_on = self.day_of(self.planned);
        let kind = weighted(
            rng,
            &[
                (Kind::Complaint, 24),
                (Kind::Denunciation, 9),
                (Kind::Recommendation, 33),
                (Kind::Feedback, 34),
            ],
        );
        use Channel as C;
        let channels: &[(Channel, u32)] = match kind {
            Kind::Complaint => {
                &[(C::InPerson, 35), (C::Post, 40), (C::Online, 8), (C::Forwarded, 12), (C::Email, 5)]
            }
            Kind::Denunciation => {
                &[(C::InPerson, 20), (C::Post, 45), (C::Online, 15), (C::Forwarded, 15), (C::Email, 5)]
            }
            Kind::Recommendation => &[
                (C::InPerson, 25),
                (C::Post, 30),
                (C::Online, 20),
                (C::Forwarded, 15),
                (C::Email, 5),
                (C::Hotline, 5),
            ],
            Kind::Feedback => &[
                (C::InPerson, 15),
                (C::Post, 20),
                (C::Online, 30),
                (C::Forwarded, 5),
                (C::Email, 10),
                (C::Hotline, 20),
            ],
        };
        let channel = weighted(rng, channels);
        // Staff register what comes on paper or in person on working days; the portal takes any day.
        if channel != C::Online {
            received_on = self.cal.next_working_day_on_or_after(received_on).min(self.today);
        }
        let agency = self.org.pick_agency(rng);
        let anonymous = match kind {
            Kind::Denunciation => rng.random_bool(0.05),
            Kind::Feedback => rng.random_bool(0.04),
            _ => false,
        } && channel != C::InPerson;
        let age = (self.today - received_on).num_days();
        let (moves, child_kind) = self.script(rng, kind, channel, anonymous, agency, age);
        // Dates, each step after the one before; those after today have not happened.
        let mut dated = Vec::with_capacity(moves.len());
        let mut day = received_on;
        let mut accepted_on = received_on;
        for m in &moves {
            day = match m {
                Move::Assign => self.after(rng, day, 0, 3),
                Move::Accept => self.after(rng, day, 1, 8),
                Move::Extend => self.after(rng, accepted_on, 20, 30).max(day),
                Move::Suspend => self.after(rng, day, 5, 20),
                Move::Resume => self.after(rng, day, 10, 45),
                Move::Resolve => match kind {
                    Kind::Complaint | Kind::Denunciation => self.after(rng, day, 10, 45),
                    _ => self.after(rng, day, 5, 25),
                },
                Move::Withdraw => self.after(rng, day, 3, 20),
                Move::Terminate => self.after(rng, day, 10, 40),
                Move::Reopen => self.after(rng, day, 5, 25),
                _ => self.after(rng, day, 1, 10),
            };
            if *m == Move::Accept {
                accepted_on = day;
            }
            dated.push((*m, day));
        }
        // A backlog: some recent cases wait on a step nobody took.
        let stall = if age < 730 { 0.04 } else { 0.003 };
        let mut done = dated.iter().take_while(|(_, d)| *d <= self.today).count();
        if rng.random_bool(stall) {
            done = done.min(rng.random_range(0..=dated.len()));
        }
        dated.truncate(done);
        let child = match (child_kind, dated.last()) {
            (Some(child_agency), Some((Move::ForwardAgency | Move::Reopen, on))) => {
                let script: &[Move] = match kind {
                    // A second-round complaint holds its dialogue before the decision.
                    Kind::Complaint => &[Move::Assign, Move::Accept, Move::RecordDialogue, Move::Resolve],
                    Kind::Denunciation => &[Move::Assign, Move::Accept, Move::Resolve],
                    _ => &[Move::Assign, Move::Resolve],
                };
                let mut day = *on;
                let mut steps = Vec::new();
                for m in script {
                    day = match m {
                        Move::Resolve => self.after(rng, day, 10, 40),
                        _ => self.after(rng, day, 1, 6),
                    };
                    if day > self.today {
                        break;
                    }
                    steps.push((*m, day));
                }
                Some((child_agency, steps))
            }
            _ => None,
        };
        Story {
            number,
            id: self.first_id + self.planned,
            agency,
            kind,
            channel,
            anonymous,
            received_on,
            moves: dated,
            child,
        }
    }

    /// The steps a petition's handling takes, and the agency of the case it makes, if it makes one.
    fn script<R: Rng>(
        &self,
        rng: &mut R,
        kind: Kind,
        channel: Channel,
        anonymous: bool,
        agency: usize,
        age: i64,
    ) -> (Vec<Move>, Option<usize>) {
        use Move as M;
        if anonymous {
            // An anonymous petition is never accepted: kept without handling or, a denunciation
            // naming a violator with evidence, an inspection lead (Law 25/2018 Art. 25).
            let lead = kind == Kind::Denunciation && rng.random_bool(0.3);
            return (vec![if lead { M::RecordLead } else { M::Archive }], None);
        }
        #[derive(Clone, Copy)]
        enum Fate {
            Resolved,
            Guided,
            Rejected,
            Archived,
            Withdrawn,
            Suspended,
            Terminated,
            ForwardBody,
            ForwardAgency,
        }
        use Fate as F;
        let fates: &[(Fate, u32)] = match kind {
            Kind::Complaint => &[
                (F::Resolved, 52),
                (F::Guided, 15),
                (F::Rejected, 12),
                (F::Archived, 6),
                (F::Withdrawn, 9),
                (F::Suspended, 3),
                (F::Terminated, 1),
            ],
            Kind::Denunciation => &[
                (F::Resolved, 45),
                (F::ForwardBody, 12),
                (F::ForwardAgency, 8),
                (F::Guided, 4),
                (F::Rejected, 14),
                (F::Archived, 7),
                (F::Withdrawn, 6),
                (F::Suspended, 4),
                (F::Terminated, 2),
            ],
            Kind::Recommendation => &[
                (F::Resolved, 58),
                (F::ForwardBody, 14),
                (F::ForwardAgency, 8),
                (F::Rejected, 5),
                (F::Archived, 8),
                (F::Withdrawn, 7),
            ],
            Kind::Feedback => &[
                (F::Resolved, 62),
                (F::ForwardBody, 10),
                (F::ForwardAgency, 6),
                (F::Rejected, 4),
                (F::Archived, 12),
                (F::Withdrawn, 6),
            ],
        };
        let mut fate = weighted(rng, fates);
        let here = &self.org.agencies[agency];
        // Guidance is for complaints, and denunciations brought in person; a long suspension is
        // recent; forwarding within the register goes to the province, or from it to a commune.
        fate = match fate {
            F::Guided if kind == Kind::Denunciation && channel != Channel::InPerson => F::Rejected,
            F::Suspended if age > 300 => F::Resolved,
            other => other,
        };
        let serious = matches!(kind, Kind::Complaint | Kind::Denunciation);
        let mut child = None;
        let moves = match fate {
            F::Resolved => {
                let mut m = vec![M::Assign];
                if serious || rng.random_bool(0.6) {
                    m.push(M::Accept);
                }
                if serious && rng.random_bool(0.10) {
                    m.push(M::Extend);
                }
                if serious && rng.random_bool(0.06) {
                    m.extend([M::Suspend, M::Resume]);
                }
                m.push(M::Resolve);
                if kind == Kind::Complaint && here.level == AgencyLevel::Commune && rng.random_bool(0.08) {
                    m.push(M::Reopen);
                    child = here.parent;
                }
                m
            }
            F::Guided => vec![M::Guide],
            F::Rejected if rng.random_bool(0.5) => vec![M::Reject],
            F::Rejected => vec![M::Assign, M::Reject],
            F::Archived => vec![M::Archive],
            F::Withdrawn if serious => vec![M::Assign, M::Accept, M::Withdraw],
            F::Withdrawn => vec![M::Assign, M::Withdraw],
            F::Suspended => vec![M::Assign, M::Accept, M::Suspend],
            F::Terminated => vec![M::Assign, M::Accept, M::Terminate],
            F::ForwardBody => vec![M::ForwardBody],
            F::ForwardAgency => {
                child = match here.parent {
                    Some(parent) => Some(parent),
                    None => self.org.pick_commune(rng),
                };
                vec![if child.is_some() { M::ForwardAgency } else { M::ForwardBody }]
            }
        };
        (moves, child)
    }
}
