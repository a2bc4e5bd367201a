//! Exact rewind. The engine is deterministic and `Sim: Clone`, so any earlier moment can
//! be rebuilt by copying the nearest earlier checkpoint and replaying events from there.
//! Checkpoints are bounded: when there are too many, every other one is dropped and the
//! spacing doubles, so memory stays fixed however long the run.

use crate::engine::Sim;
use crate::time::SimTime;

/// Default events between checkpoints.
pub const CHECKPOINT_EVERY_DEFAULT: u64 = 4_096;
/// Default maximum checkpoints kept.
pub const CHECKPOINTS_MAX_DEFAULT: usize = 64;

/// A simulation with history: step forward, step back, seek to an event or a time.
#[derive(Clone, Debug)]
pub struct Timeline {
    current: Sim,
    /// Checkpoints in increasing event order; the first is always the initial state.
    checkpoints: Vec<Sim>,
    every: u64,
    max: usize,
    /// The clock was moved past the last event (by `advance_to`), so the current state is
    /// not exactly "after event n" any more.
    clock_moved: bool,
}

impl Timeline {
    /// A timeline starting at `sim`'s current state, with default checkpoint spacing.
    pub fn new(sim: Sim) -> Timeline {
        Timeline::with_limits(sim, CHECKPOINT_EVERY_DEFAULT, CHECKPOINTS_MAX_DEFAULT)
    }

    /// A timeline with a checkpoint every `every` events and at most `max` checkpoints.
    pub fn with_limits(sim: Sim, every: u64, max: usize) -> Timeline {
        Timeline {
            checkpoints: vec![sim.clone()],
            current: sim,
            every: every.max(1),
            max: max.max(2),
            clock_moved: false,
        }
    }

    /// The simulation at the current position.
    pub fn sim(&self) -> &Sim {
        &self.current
    }

    /// Number of checkpoints held.
    pub fn checkpoints(&self) -> usize {
        self.checkpoints.len()
    }

    /// Current spacing of checkpoints, in events.
    pub fn checkpoint_every(&self) -> u64 {
        self.every
    }

    fn base_events(&self) -> u64 {
        self.checkpoints[0].events_processed()
    }

    fn maybe_checkpoint(&mut self) {
        let n = self.current.events_processed();
        let last = self
            .checkpoints
            .last()
            .map(Sim::events_processed)
            .unwrap_or(0);
        if n.saturating_sub(self.base_events()) % self.every != 0 || n <= last {
            return;
        }
        self.checkpoints.push(self.current.clone());
        if self.checkpoints.len() > self.max {
            // Keep the initial state and every other checkpoint after it.
            let base = self.base_events();
            self.every = self.every.saturating_mul(2);
            let every = self.every;
            self.checkpoints
                .retain(|c| (c.events_processed() - base) % every == 0);
        }
    }

    /// Processes one event. Returns false at the end of the run.
    pub fn step(&mut self) -> bool {
        let stepped = self.current.step();
        if stepped {
            self.clock_moved = false;
            self.maybe_checkpoint();
        }
        stepped
    }

    /// Moves forward, processing events up to `time` (the clock ends at `time`).
    pub fn advance_to(&mut self, time: SimTime) {
        while !self.current.is_finished()
            && self.current.next_event_time().is_some_and(|t| t <= time.0)
        {
            self.step();
        }
        let before = self.current.now();
        self.current.run_until(time);
        if self.current.now() != before {
            self.clock_moved = true;
        }
    }

    /// Goes to the state right after event number `n` (0 = the initial state); past the
    /// end it stops at the end. Exact: the result equals a fresh run stepped `n` times.
    pub fn seek(&mut self, n: u64) {
        let n = n.max(self.base_events());
        let current = self.current.events_processed();
        if n < current || (n == current && self.clock_moved) {
            let start = self
                .checkpoints
                .iter()
                .rev()
                .find(|c| c.events_processed() <= n)
                .unwrap_or(&self.checkpoints[0]);
            self.current = start.clone();
        }
        self.clock_moved = false;
        while self.current.events_processed() < n {
            if !self.step() {
                break;
            }
        }
    }

    /// One event back.
    pub fn step_back(&mut self) {
        let n = self.current.events_processed();
        if n > self.base_events() {
            self.seek(n - 1);
        }
    }

    /// Goes to simulated time `time`: every event at or before it processed, clock at it.
    pub fn seek_time(&mut self, time: SimTime) {
        if time < self.current.now() {
            let start = self
                .checkpoints
                .iter()
                .rev()
                .find(|c| c.now() <= time)
                .unwrap_or(&self.checkpoints[0]);
            self.current = start.clone();
            self.clock_moved = false;
        }
        self.advance_to(time);
    }
}
