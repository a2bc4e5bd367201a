//! The run on the stage: the part of [`State`] that each new run replaces whole, and the
//! second run of A/B mode.
//!
//! [`State`]: super::State

use std::rc::Rc;

use sim::{RequestPhase, Sample, Scenario, Snapshot, TraceEvent};

use crate::curriculum::challenges::Verdict;
use crate::curriculum::presets::{self, PRESETS};
use crate::state::simulation::Simulation;

/// Events the event log keeps on screen.
pub const LOG_EVENTS_MAX: usize = 60;

/// One run and what the page draws of it. Opening another run builds a new `Run`; the
/// reader's choices live beside it in [`State`](super::State), so they cannot be lost.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    /// Index into [`PRESETS`]; always in range.
    pub preset_idx: usize,
    pub seed: u64,
    /// The reader's own scenario, when the current run is theirs (applied from the
    /// editor); it replaces the preset until another preset or chapter run is chosen.
    pub custom: Option<Rc<Scenario>>,
    /// The chapter run that is loaded, as (chapter, setup) indices, if the run is one.
    pub lesson: Option<(usize, usize)>,
    /// The value of the loaded chapter run's knob (`knobs`), when the reader set one
    /// other than the run's own; both sides run with it.
    pub knob: Option<u32>,
    /// The scenario of the current run (seed included), shared with the editor.
    pub scenario: Rc<Scenario>,
    pub simulation: Simulation,
    /// What the stage draws: taken from the simulation after every move.
    pub snapshot: Rc<Snapshot>,
    /// The engine's windowed samples so far, for the charts. Copied only when their
    /// number changes (a window closed, or the clock went back).
    pub samples: Rc<Vec<Sample>>,
    /// The newest trace events, for the event log.
    pub log: Rc<Vec<TraceEvent>>,
    /// The request the reader follows, if any.
    pub followed: Option<u64>,
    /// The followed request's events so far, and whether its start may have been dropped
    /// from the engine's bounded trace.
    pub followed_events: Rc<(Vec<TraceEvent>, bool)>,
    /// Where the followed request is in its handler, as the engine reports it (the code
    /// panel's highlighted line); `None` before it arrives.
    pub followed_phase: Option<RequestPhase>,
    /// The comparison run, when A/B mode is on.
    pub b: Option<SideB>,
    pub playing: bool,
    /// The run was playing when its element scrolled out of view, so it paused itself and
    /// plays again when it comes back; anything the reader does to the clock clears it.
    pub held: bool,
    /// The last frame could not process every event up to its target time.
    pub lagging: bool,
    /// What the last check of the loaded challenge found about this run's scenario. It
    /// lives here because a check speaks of one scenario: a new run starts without one.
    pub verdict: Option<Rc<Verdict>>,
}

impl Run {
    /// A fresh, paused run of `scenario` with `seed`; `custom` when it is the reader's
    /// own. A scenario the engine refuses runs as the default one, so the page always has
    /// a run to draw.
    pub(super) fn new(
        preset_idx: usize,
        mut scenario: Scenario,
        seed: u64,
        custom: Option<Rc<Scenario>>,
    ) -> Run {
        scenario.seed = seed;
        let simulation = Simulation::new(scenario).unwrap_or_else(|_| {
            Simulation::new(Scenario::default()).expect("the default scenario is valid")
        });
        Run {
            preset_idx,
            seed,
            custom,
            lesson: None,
            knob: None,
            scenario: Rc::new(simulation.scenario()),
            snapshot: Rc::new(simulation.snapshot()),
            samples: Rc::new(Vec::new()),
            log: Rc::new(Vec::new()),
            followed: None,
            followed_events: Rc::new((Vec::new(), false)),
            followed_phase: None,
            b: None,
            playing: false,
            held: false,
            lagging: false,
            verdict: None,
            simulation,
        }
    }

    /// Takes what the page draws from the simulation after it moved: the snapshot, the
    /// log and the followed request's story (only if an event happened), the samples
    /// (only if their number changed), and side B brought to the same clock.
    pub(super) fn refresh(&mut self) {
        let moved = self.simulation.events() != self.snapshot.counters.events
            || self.simulation.now_us() != self.snapshot.time_us;
        self.snapshot = Rc::new(self.simulation.snapshot());
        if moved {
            self.log = Rc::new(self.simulation.trace_tail(LOG_EVENTS_MAX));
            if let Some(request) = self.followed {
                self.followed_events = Rc::new(self.simulation.trace_of_request(request));
            }
            // A phase moves only with an event; a frame that ran none keeps it.
            self.followed_phase = self
                .followed
                .and_then(|request| self.simulation.request_phase(request));
        }
        if self.simulation.samples_len() != self.samples.len() {
            self.samples = Rc::new(self.simulation.samples());
        }
        let now = self.simulation.now_us();
        if let Some(b) = self.b.as_mut() {
            b.follow_clock(now);
        }
    }
}

/// The second run in A/B mode: the same scenario and seed as the main run, with another
/// endpoint style, moved by the same clock.
#[derive(Clone, Debug, PartialEq)]
pub struct SideB {
    /// The preset whose style this side uses; `None` when a chapter set side B's scenario.
    pub preset_idx: Option<usize>,
    /// What the stage calls this side.
    pub name: &'static str,
    pub simulation: Simulation,
    pub snapshot: Rc<Snapshot>,
    pub samples: Rc<Vec<Sample>>,
    pub scenario: Rc<Scenario>,
}

impl SideB {
    pub(super) fn new(preset_idx: usize, a: &Scenario) -> Option<SideB> {
        let style_of = presets::scenario(PRESETS.get(preset_idx)?);
        let mut scenario = a.clone();
        scenario.endpoint.style = style_of.endpoint.style;
        scenario.endpoint.wait = style_of.endpoint.wait;
        SideB::with_scenario(Some(preset_idx), PRESETS[preset_idx].name, scenario)
    }

    pub(super) fn with_scenario(
        preset_idx: Option<usize>,
        name: &'static str,
        scenario: Scenario,
    ) -> Option<SideB> {
        let simulation = Simulation::new(scenario.clone()).ok()?;
        Some(SideB {
            preset_idx,
            name,
            snapshot: Rc::new(simulation.snapshot()),
            samples: Rc::new(Vec::new()),
            scenario: Rc::new(scenario),
            simulation,
        })
    }

    /// Brings this side's clock to `time_us` (forwards within the frame budget, or back
    /// exactly) and refreshes what it draws.
    fn follow_clock(&mut self, time_us: u64) {
        let now = self.simulation.now_us();
        if time_us > now {
            self.simulation.advance_by(time_us - now);
        } else if time_us < now {
            self.simulation.seek_us(time_us);
        }
        self.snapshot = Rc::new(self.simulation.snapshot());
        if self.simulation.samples_len() != self.samples.len() {
            self.samples = Rc::new(self.simulation.samples());
        }
    }
}
