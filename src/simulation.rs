//! The app's handle on one running simulation: the engine's [`Timeline`] (a `Sim` plus its
//! checkpoints, for exact step-back) behind a shared cell, so the reducer can drive it and
//! components can be handed cheap snapshots.

use std::cell::RefCell;
use std::rc::Rc;

use sim::{FieldError, Sample, Scenario, Sim, SimTime, Snapshot, Timeline};

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
    pub fn new(scenario: Scenario) -> Result<Simulation, Vec<FieldError>> {
        let sim = Sim::new(scenario)?;
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
