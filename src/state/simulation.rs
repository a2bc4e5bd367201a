//! The app's handle on one running simulation: the engine's [`Timeline`] (a `Sim` plus its
//! checkpoints, for exact step-back) behind a shared cell, so the reducer can drive it and
//! components can be handed cheap snapshots.

use std::cell::RefCell;
use std::rc::Rc;

use sim::{
    FieldError, RequestPhase, Sample, Scenario, Sim, SimTime, Snapshot, Timeline, TraceEvent,
};

/// The most events one animation frame may process. At high speed on a heavy scenario the
/// engine would otherwise stall the page; instead the clock falls behind and says so.
pub const EVENTS_PER_FRAME_MAX: u64 = 150_000;

/// A shared handle to one simulation run. Clones share the run; equality is identity, so
/// Yew sees a new run as a change and an advanced run through its snapshot.
#[derive(Clone)]
pub struct Simulation {
    timeline: Rc<RefCell<Timeline>>,
}

impl PartialEq for Simulation {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.timeline, &other.timeline)
    }
}

impl std::fmt::Debug for Simulation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let t = self.timeline.borrow();
        write!(
            f,
            "Simulation(t={}us, events={})",
            t.sim().now().0,
            t.sim().events_processed()
        )
    }
}

/// Why a scenario could not start: the engine's field errors.
#[derive(Clone, PartialEq)]
pub struct Invalid(pub Vec<FieldError>);

/// The errors as the engine words them (`Display`), one a line. Not derived: a derived
/// `Debug` would quote and escape every string, and that escaping code alone costs the
/// page's wasm about 1 KB gzip (it is reachable through the `expect` on the default
/// scenario in `state.rs`).
impl std::fmt::Debug for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for error in &self.0 {
            writeln!(f, "{error}")?;
        }
        Ok(())
    }
}

/// What one call to [`Simulation::advance_by`] achieved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Advance {
    /// False when the frame's event budget ran out before the target time.
    pub reached: bool,
    /// True when the run is over.
    pub finished: bool,
}

impl Simulation {
    /// Starts a run; an invalid scenario comes back as the engine's field errors.
    pub fn new(scenario: Scenario) -> Result<Simulation, Invalid> {
        let sim = Sim::new(scenario).map_err(Invalid)?;
        Ok(Simulation {
            timeline: Rc::new(RefCell::new(Timeline::new(sim))),
        })
    }

    pub fn snapshot(&self) -> Snapshot {
        self.timeline.borrow().sim().snapshot()
    }

    pub fn samples(&self) -> Vec<Sample> {
        self.timeline.borrow().sim().samples().to_vec()
    }

    pub fn samples_len(&self) -> usize {
        self.timeline.borrow().sim().samples().len()
    }

    /// The newest `n` trace events, oldest first.
    pub fn trace_tail(&self, n: usize) -> Vec<TraceEvent> {
        let t = self.timeline.borrow();
        let trace = t.sim().trace();
        trace
            .iter()
            .skip(trace.len().saturating_sub(n))
            .cloned()
            .collect()
    }

    /// Calls `f` with the kept trace events, oldest first.
    pub fn with_trace<R>(&self, f: impl FnOnce(&std::collections::VecDeque<TraceEvent>) -> R) -> R {
        f(self.timeline.borrow().sim().trace())
    }

    /// Trace events emitted so far in the run, kept or already dropped.
    pub fn trace_total(&self) -> u64 {
        self.timeline.borrow().sim().trace_total()
    }

    /// Whether an event emitted after the run's first `since` is about `request`. It reads
    /// only the new events, so asking after every step stays cheap.
    pub fn mentions_since(&self, since: u64, request: u64) -> bool {
        let t = self.timeline.borrow();
        let sim = t.sim();
        let new = sim.trace_total().saturating_sub(since) as usize;
        sim.trace()
            .iter()
            .rev()
            .take(new)
            .any(|e| e.request == Some(request))
    }

    /// Every kept trace event about `request`, oldest first, and whether older events of
    /// the run were already dropped from the bounded trace (so the story may start late).
    pub fn trace_of_request(&self, request: u64) -> (Vec<TraceEvent>, bool) {
        let t = self.timeline.borrow();
        let sim = t.sim();
        let events: Vec<TraceEvent> = sim
            .trace()
            .iter()
            .filter(|e| e.request == Some(request))
            .cloned()
            .collect();
        // Only a story that does not begin with the arrival can have lost its start.
        let dropped_any = sim.trace_total() > sim.trace().len() as u64;
        let starts_at_arrival = events
            .first()
            .is_some_and(|e| e.kind == sim::TraceKind::Arrival);
        (events, dropped_any && !starts_at_arrival)
    }

    /// Where `request` is in its handler, as the engine reports it (`None` before it
    /// arrives).
    pub fn request_phase(&self, request: u64) -> Option<RequestPhase> {
        self.timeline.borrow().sim().request_phase(request)
    }

    pub fn scenario(&self) -> Scenario {
        self.timeline.borrow().sim().scenario().clone()
    }

    pub fn now_us(&self) -> u64 {
        self.timeline.borrow().sim().now().0
    }

    pub fn end_us(&self) -> u64 {
        self.timeline.borrow().sim().end_time().0
    }

    pub fn events(&self) -> u64 {
        self.timeline.borrow().sim().events_processed()
    }

    pub fn is_finished(&self) -> bool {
        self.timeline.borrow().sim().is_finished()
    }

    /// Processes exactly one event.
    pub fn step(&self) -> bool {
        self.timeline.borrow_mut().step()
    }

    /// Undoes exactly one event (replayed from the nearest checkpoint).
    pub fn step_back(&self) {
        self.timeline.borrow_mut().step_back();
    }

    /// Moves the clock to `time_us`, forwards or backwards, exactly.
    pub fn seek_us(&self, time_us: u64) {
        let end = self.end_us();
        self.timeline
            .borrow_mut()
            .seek_time(SimTime(time_us.min(end)));
    }

    /// Moves to just after the `events`-th event (or the run's last), forwards or back:
    /// the exact step a link names.
    pub fn seek_events(&self, events: u64) {
        self.timeline.borrow_mut().seek(events);
    }

    /// Advances the clock by `dt_us`, processing at most [`EVENTS_PER_FRAME_MAX`] events.
    pub fn advance_by(&self, dt_us: u64) -> Advance {
        let mut timeline = self.timeline.borrow_mut();
        let target = timeline
            .sim()
            .now()
            .0
            .saturating_add(dt_us)
            .min(timeline.sim().end_time().0);
        let mut budget = EVENTS_PER_FRAME_MAX;
        while budget > 0
            && timeline
                .sim()
                .next_event_time()
                .is_some_and(|t| t <= target)
        {
            if !timeline.step() {
                break;
            }
            budget -= 1;
        }
        let reached = budget > 0;
        if reached {
            timeline.advance_to(SimTime(target));
        }
        Advance {
            reached,
            finished: timeline.sim().is_finished()
                || timeline.sim().now().0 >= timeline.sim().end_time().0,
        }
    }
}
