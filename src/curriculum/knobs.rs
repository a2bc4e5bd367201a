//! One control per chapter where the chapter's answer is "it depends": a slider that sets
//! one number of the chapter's run (issue 13). The definitions live here, apart from the
//! chapter texts in `content`, which only looks them up (`Chapter::knob`).
//!
//! Moving a knob rebuilds the chapter's run with the value (side B too) through the same
//! engine, from 0 s and with the same seed (`Action::SetKnob`); a link carries the value as
//! `k` when it differs from the run's own (`share`).

use sim::Scenario;

use crate::curriculum::content::CHAPTERS;

/// A slider on one chapter's runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Knob {
    /// The chapter it belongs to (`content::CHAPTERS`).
    pub chapter: &'static str,
    /// The slider's visible name.
    pub label: &'static str,
    /// The scenario fields the value is written to, all of them. The first is read for
    /// the default: the value the chapter's own run has.
    pub fields: &'static [&'static str],
    pub min: u32,
    pub max: u32,
    pub step: u32,
    /// The chapter's runs (setup names, `Setup::a`) it applies to; on the others the
    /// slider is not shown.
    pub runs: &'static [&'static str],
    /// The unit, singular and plural, said after the value ("4 threads").
    pub unit: (&'static str, &'static str),
    /// What the slider changes, said under it and to screen readers.
    pub help: &'static str,
}

pub const KNOBS: &[Knob] = &[
    Knob {
        chapter: "one-request-one-thread",
        label: "Threads in the pool",
        fields: &["pool.min_threads", "pool.max_threads"],
        min: 4,
        max: 16,
        step: 1,
        runs: &["blocking"],
        unit: ("thread", "threads"),
        help: "Sets the pool's minimum and maximum together; the run starts again from 0 s.",
    },
    Knob {
        chapter: "starvation",
        label: "Minimum threads (SetMinThreads)",
        fields: &["pool.min_threads"],
        min: 4,
        max: 256,
        step: 4,
        runs: &["result", "cooperative"],
        unit: ("thread", "threads"),
        help: "Up to this many threads, the pool adds one as soon as work waits, without its \
               injection rules; the run starts again from 0 s.",
    },
    Knob {
        chapter: "blocking-io-is-the-killer",
        label: "Users",
        fields: &["load.users"],
        min: 4,
        max: 400,
        step: 4,
        runs: &["blocking"],
        unit: ("user", "users"),
        help: "The same number of users on both servers; the runs start again from 0 s.",
    },
];

impl Knob {
    /// The knob of chapter `slug`, if it has one.
    pub fn of(slug: &str) -> Option<&'static Knob> {
        KNOBS.iter().find(|k| k.chapter == slug)
    }

    /// The knob the reader can move on chapter `chapter`'s setup `setup`.
    pub fn on(chapter: usize, setup: usize) -> Option<&'static Knob> {
        let c = CHAPTERS.get(chapter)?;
        let run = c.setups.get(setup)?.a;
        Knob::of(c.slug).filter(|k| k.runs.contains(&run))
    }

    /// Whether the slider can hold `value`: in range and on a step.
    pub fn allows(&self, value: u32) -> bool {
        (self.min..=self.max).contains(&value) && (value - self.min) % self.step == 0
    }

    /// The value `scenario` has for this knob (pool minimums read as the engine uses them).
    pub fn read(&self, scenario: &Scenario) -> u32 {
        match self.fields[0] {
            "pool.min_threads" => scenario.min_threads(),
            "pool.max_threads" => scenario.pool.max_threads,
            "load.users" => scenario.load.users,
            _ => 0,
        }
    }

    /// `scenario` with every field of this knob set to `value`.
    pub fn apply(&self, scenario: &mut Scenario, value: u32) {
        for field in self.fields {
            match *field {
                "pool.min_threads" => scenario.pool.min_threads = Some(value),
                "pool.max_threads" => scenario.pool.max_threads = value,
                "load.users" => scenario.load.users = value,
                _ => {}
            }
        }
    }

    /// The value with its unit, as the slider's `aria-valuetext` and visible value say it.
    pub fn say(&self, value: u32) -> String {
        let unit = if value == 1 { self.unit.0 } else { self.unit.1 };
        format!("{value} {unit}")
    }

    /// The range in words, for a link's error message.
    pub fn range(&self) -> String {
        let steps = if self.step == 1 {
            String::new()
        } else {
            format!(" in steps of {}", self.step)
        };
        format!("a whole number from {} to {}{steps}", self.min, self.max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::curriculum::lessons::lesson_scenario;
    use crate::state::{Action, State};
    use sim::Snapshot;

    fn chapter(slug: &str) -> usize {
        CHAPTERS.iter().position(|c| c.slug == slug).unwrap()
    }

    /// Chapter `slug`'s setup `setup` with the knob at `value`, as the page runs it,
    /// played to `at_ms`: side A's snapshot and side B's, if any.
    fn run_at(slug: &str, setup: usize, value: u32, at_ms: u64) -> (Snapshot, Option<Snapshot>) {
        let s = State::default()
            .reduce(Action::SelectChapter(chapter(slug)))
            .reduce(Action::LoadSetup(setup))
            .reduce(Action::SetKnob(value))
            .reduce(Action::Seek(at_ms * 1_000));
        assert_eq!(s.knob_shown().map(|(_, v)| v), Some(value), "{slug}");
        let b = s.run.b.as_ref().map(|b| (*b.snapshot).clone());
        ((*s.run.snapshot).clone(), b)
    }

    #[test]
    fn every_knob_fits_its_chapter_and_the_engine() {
        for knob in KNOBS {
            let c = chapter(knob.chapter);
            assert!(!knob.fields.is_empty() && knob.step > 0 && knob.min < knob.max);
            assert!(knob.allows(knob.max), "{}: max off the steps", knob.chapter);
            let setups = CHAPTERS[c].setups;
            for run in knob.runs {
                let setup = setups.iter().position(|s| s.a == *run).unwrap();
                assert_eq!(Knob::on(c, setup), Some(knob));
                // The run's own value is one the slider can show.
                let own = lesson_scenario(c, run).unwrap();
                assert!(knob.allows(knob.read(&own)), "{}/{run}", knob.chapter);
                // Every field is one the knob knows, and the engine takes both ends.
                for value in [knob.min, knob.max] {
                    let mut s = own.clone();
                    knob.apply(&mut s, value);
                    assert_eq!(knob.read(&s), value);
                    if value != knob.read(&own) {
                        assert_ne!(s, own, "{}", knob.chapter);
                    }
                    assert!(s.validate().is_ok(), "{}/{run} at {value}", knob.chapter);
                }
            }
            for (i, _) in setups.iter().enumerate() {
                let named = knob.runs.contains(&setups[i].a);
                assert_eq!(Knob::on(c, i).is_some(), named);
            }
            assert_eq!(knob.say(1), format!("1 {}", knob.unit.0));
            assert_eq!(knob.say(2), format!("2 {}", knob.unit.1));
        }
    }

    #[test]
    fn ch05_the_queue_shrinks_as_the_pool_grows() {
        let knob = Knob::of("one-request-one-thread").unwrap();
        let mut queues = Vec::new();
        for threads in knob.min..=knob.max {
            let (a, _) = run_at("one-request-one-thread", 0, threads, 5_000);
            // The pool makes its threads as work arrives: no more than the twelve users'.
            assert_eq!(a.threads_total, threads.min(12));
            queues.push(a.pool_queue_total);
        }
        // Twelve users: each thread more takes one request out of the queue, until every
        // user has a thread of their own.
        let expected: Vec<u32> = (knob.min..=knob.max)
            .map(|t| 12u32.saturating_sub(t))
            .collect();
        assert_eq!(queues, expected);
    }

    #[test]
    fn ch07_a_minimum_that_covers_the_users_ends_the_starvation() {
        let knob = Knob::of("starvation").unwrap();
        for setup in 0..2 {
            let (low, _) = run_at("starvation", setup, knob.min, 20_000);
            let (high, _) = run_at("starvation", setup, knob.max, 20_000);
            // At the run's own minimum nearly nothing is answered and the queue stays full.
            assert!(low.counters.completed < 50, "{}", low.counters.completed);
            assert!(low.pool_queue_total > 150, "{}", low.pool_queue_total);
            // With a thread for each of the 200 users from the start, the queue empties and
            // each user is answered about every half second.
            assert!(
                high.counters.completed > 100 * low.counters.completed.max(1),
                "{} against {}",
                high.counters.completed,
                low.counters.completed
            );
            assert!(
                high.counters.completed > 7_000,
                "{}",
                high.counters.completed
            );
            assert_eq!(high.pool_queue_total, 0);
        }
    }

    #[test]
    fn ch08_the_async_gain_runs_from_none_to_far_above_ten_times() {
        let knob = Knob::of("blocking-io-is-the-killer").unwrap();
        let ratio = |users| {
            let (a, b) = run_at("blocking-io-is-the-killer", 0, users, 10_000);
            let b = b.expect("side B");
            b.counters.completed as f64 / a.counters.completed as f64
        };
        let few = ratio(knob.min);
        let many = ratio(knob.max);
        // Four users keep the four blocking threads busy and no more: no gain.
        assert!((0.9..=1.1).contains(&few), "×{few:.2}");
        assert!(many > 10.0, "×{many:.1}");
        // And in between it grows with the users.
        let mid = ratio(40);
        assert!(few < mid && mid < many, "×{few:.2} ×{mid:.2} ×{many:.2}");
    }
}
