//! Exact rewind. The engine is deterministic and `Sim: Clone`, so any earlier moment can
//! be rebuilt by copying the nearest earlier checkpoint and replaying events from there.
//!
//! History is bounded twice: by a number of checkpoints and by a memory budget. When
//! either is exceeded, every other checkpoint is dropped and the spacing doubles, so memory
//! stays fixed however long the run and seeking costs at most one spacing of replay.
//! Checkpoints do not copy the samples: samples only ever grow, so a checkpoint's samples
//! are a prefix of the current ones and are cut back from them when it is restored.

use crate::engine::Sim;
use crate::time::SimTime;

/// Default events between checkpoints.
pub const CHECKPOINT_EVERY_DEFAULT: u64 = 4_096;
/// Default maximum checkpoints kept.
pub const CHECKPOINTS_MAX_DEFAULT: usize = 48;
/// Default memory budget for all checkpoints together, in bytes (estimated).
pub const CHECKPOINT_BUDGET_BYTES_DEFAULT: usize = 64 * 1024 * 1024;

#[derive(Clone, Debug)]
struct Checkpoint {
    /// The simulation, with its samples left out.
    sim: Sim,
    /// How many samples it had.
    samples_len: usize,
}

/// A simulation with history: step forward, step back, seek to an event or a time.
#[derive(Clone, Debug)]
pub struct Timeline {
    current: Sim,
    /// Checkpoints in increasing event order; the first is always the starting state.
    checkpoints: Vec<Checkpoint>,
    every: u64,
    max: usize,
    budget_bytes: usize,
    /// The clock was moved past the last event (by `advance_to`), so the current state is
    /// not exactly "after event n" any more.
    clock_moved: bool,
}

impl Timeline {
    /// A timeline starting at `sim`'s current state, with the default limits.
    pub fn new(sim: Sim) -> Timeline {
        Timeline::with_limits(sim, CHECKPOINT_EVERY_DEFAULT, CHECKPOINTS_MAX_DEFAULT)
    }

    /// A timeline with a checkpoint every `every` events and at most `max` checkpoints
    /// (and the default memory budget).
    pub fn with_limits(sim: Sim, every: u64, max: usize) -> Timeline {
        let mut timeline = Timeline {
            checkpoints: Vec::new(),
            current: sim,
            every: every.max(1),
            max: max.max(2),
            budget_bytes: CHECKPOINT_BUDGET_BYTES_DEFAULT,
            clock_moved: false,
        };
        let first = timeline.light_copy();
        timeline.checkpoints.push(first);
        timeline
    }

    /// Sets the memory budget for checkpoints, in bytes (estimated; at least two
    /// checkpoints are always kept).
    pub fn set_budget_bytes(&mut self, budget_bytes: usize) {
        self.budget_bytes = budget_bytes;
        self.thin();
    }

    /// The simulation at the current position.
    pub fn sim(&self) -> &Sim {
        &self.current
    }

    /// Number of checkpoints held.
    pub fn checkpoints(&self) -> usize {
        self.checkpoints.len()
    }

    /// Checkpoints kept, the room their list has, and their estimated bytes together
    /// (each a run's footprint; checkpoints leave the samples out).
    pub(crate) fn checkpoint_bytes(&self) -> (usize, usize, usize) {
        let bytes = self
            .checkpoints
            .iter()
            .map(|c| c.sim.footprint().bytes())
            .sum::<usize>()
            + self.checkpoints.capacity() * std::mem::size_of::<Checkpoint>();
        (self.checkpoints.len(), self.checkpoints.capacity(), bytes)
    }

    /// Current spacing of checkpoints, in events.
    pub fn checkpoint_every(&self) -> u64 {
        self.every
    }

    fn base_events(&self) -> u64 {
        self.checkpoints[0].sim.events_processed()
    }

    /// A copy of the current state without its samples.
    fn light_copy(&mut self) -> Checkpoint {
        let samples = std::mem::take(&mut self.current.samples);
        let sim = self.current.clone();
        let samples_len = samples.len();
        self.current.samples = samples;
        Checkpoint { sim, samples_len }
    }

    /// Rebuilds a full simulation from a checkpoint that is not ahead of the current state.
    fn restore(&self, index: usize) -> Sim {
        let cp = &self.checkpoints[index];
        let mut sim = cp.sim.clone();
        let len = cp.samples_len.min(self.current.samples.len());
        sim.samples = self.current.samples[..len].to_vec();
        sim
    }

    fn allowed_checkpoints(&self) -> usize {
        // Checkpoints leave the samples out.
        let samples = self.current.samples.capacity() * std::mem::size_of::<crate::Sample>();
        let size = self.current.approx_bytes().saturating_sub(samples).max(1);
        (self.budget_bytes / size).clamp(2, self.max)
    }

    /// Drops every other checkpoint (keeping the first) until within the limits.
    fn thin(&mut self) {
        let allowed = self.allowed_checkpoints();
        while self.checkpoints.len() > allowed {
            let base = self.base_events();
            self.every = self.every.saturating_mul(2);
            let every = self.every;
            self.checkpoints
                .retain(|c| (c.sim.events_processed() - base) % every == 0);
        }
    }

    fn maybe_checkpoint(&mut self) {
        let n = self.current.events_processed();
        let last = self
            .checkpoints
            .last()
            .map(|c| c.sim.events_processed())
            .unwrap_or(0);
        if n.saturating_sub(self.base_events()) % self.every != 0 || n <= last {
            return;
        }
        let copy = self.light_copy();
        self.checkpoints.push(copy);
        self.thin();
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
            let index = self
                .checkpoints
                .iter()
                .rposition(|c| c.sim.events_processed() <= n)
                .unwrap_or(0);
            self.current = self.restore(index);
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
            let index = self
                .checkpoints
                .iter()
                .rposition(|c| c.sim.now() <= time)
                .unwrap_or(0);
            self.current = self.restore(index);
            self.clock_moved = false;
        }
        self.advance_to(time);
    }
}
