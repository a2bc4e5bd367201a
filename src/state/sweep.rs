//! The sweep: throughput and p99 latency against concurrency, one line per style.
//!
//! A sweep starts from the running scenario (same machine, pool, program, resources and
//! seed), turns its load into a closed load of `users` concurrent users, and runs one short
//! simulation per (style, users) point. It is plain Rust with no browser dependency, so it
//! is tested natively; the page drives it in slices with [`Sweep::step`] so it never
//! freezes.

use std::collections::VecDeque;

use sim::{LoadKind, Scenario, Sim, Style};

use crate::view::chart_math;

/// The concurrencies of a default sweep: closed-load users, on a log scale.
pub const USERS_DEFAULT: &[u32] = &[1, 2, 5, 10, 20, 50, 100, 200, 500];

/// The styles a default sweep compares (the running scenario's own style is added when it
/// is not one of them).
pub const STYLES_DEFAULT: &[Style] = &[
    Style::Blocking,
    Style::Async,
    Style::SyncOverAsync,
    Style::TaskRunWrap,
];

/// Simulated time each point runs, at most (a shorter scenario keeps its own length).
pub const DURATION_MS_MAX: u64 = 10_000;

/// Fewest answers a point needs for its p99 to mean something: with fewer, the p99 is
/// just the fastest few lucky requests of a starved server.
pub const P99_ANSWERS_MIN: u64 = 10;

/// Events one point may process before it is stopped and marked as cut short, so that no
/// scenario can make a sweep run for ever.
pub const POINT_EVENTS_MAX: u64 = 5_000_000;

/// Wall time one slice of a sweep aims to take in the page, in ms: short enough that the
/// page never misses more than a frame, long enough that the sweep finishes quickly.
pub const SLICE_MS_TARGET: f64 = 6.0;
/// Events in a sweep's first slice; later slices adapt to [`SLICE_MS_TARGET`].
pub const SLICE_EVENTS_START: u64 = 20_000;
/// Fewest events in one slice.
pub const SLICE_EVENTS_MIN: u64 = 1_000;
/// Most events in one slice.
pub const SLICE_EVENTS_MAX: u64 = 100_000;

/// What a sweep runs.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepConfig {
    /// Concurrencies, in the order they are run.
    pub users: Vec<u32>,
    /// Styles; at each concurrency they run in this order.
    pub styles: Vec<Style>,
    /// Simulated time per point, at most, in ms.
    pub duration_ms_max: u64,
    /// Events per point, at most.
    pub point_events_max: u64,
}

impl SweepConfig {
    /// The default sweep for `scenario`: [`USERS_DEFAULT`] × [`STYLES_DEFAULT`], plus the
    /// scenario's own style if it is another one (for example `cpu_bound`).
    pub fn for_scenario(scenario: &Scenario) -> SweepConfig {
        let mut styles = STYLES_DEFAULT.to_vec();
        if !styles.contains(&scenario.endpoint.style) {
            styles.push(scenario.endpoint.style);
        }
        SweepConfig {
            users: USERS_DEFAULT.to_vec(),
            styles,
            duration_ms_max: DURATION_MS_MAX,
            point_events_max: POINT_EVENTS_MAX,
        }
    }
}

/// The result of one (style, users) point.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepPoint {
    pub style: Style,
    pub users: u32,
    /// Answered requests per second over the point's run.
    pub throughput_rps: f64,
    /// 99th percentile latency of the answered requests, in ms; `None` when fewer than
    /// [`P99_ANSWERS_MIN`] were answered (the p99 of a handful would read as "fast").
    pub latency_ms_p99: Option<f64>,
    pub completed: u64,
    /// Requests that timed out.
    pub failed: u64,
    /// Requests still waiting for their answer when the point's run ended: their latency
    /// is not in the p99, so the table shows them beside it.
    pub in_flight: u64,
    /// Most worker threads alive at once.
    pub threads_max: u32,
    pub events: u64,
    /// The point hit [`SweepConfig::point_events_max`] before its end time.
    pub cut_short: bool,
}

/// How far a sweep has come.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Progress {
    pub points_done: usize,
    pub points_total: usize,
    /// Events processed by the whole sweep so far.
    pub events: u64,
    /// Share of the sweep done, from 0 to 1: finished points plus the simulated-time share
    /// of the current one. Never decreases.
    pub fraction: f64,
    pub finished: bool,
}

/// One sweep in progress: a queue of points still to run, the simulation of the point
/// being run, and the results so far.
pub struct Sweep {
    base: Scenario,
    config: SweepConfig,
    queue: VecDeque<(Style, u32)>,
    current: Option<(Style, u32, Sim)>,
    results: Vec<SweepPoint>,
    /// Points whose scenario the engine refused, with its first message.
    errors: Vec<(Style, u32, String)>,
    points_total: usize,
    events: u64,
}

impl std::fmt::Debug for Sweep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Sweep({:?})", self.progress())
    }
}

impl Sweep {
    /// A sweep of `config`'s points starting from `base` (the running scenario).
    pub fn new(base: &Scenario, config: SweepConfig) -> Sweep {
        let queue: VecDeque<(Style, u32)> = config
            .users
            .iter()
            .flat_map(|&users| config.styles.iter().map(move |&style| (style, users)))
            .collect();
        Sweep {
            base: base.clone(),
            points_total: queue.len(),
            queue,
            config,
            current: None,
            results: Vec::new(),
            errors: Vec::new(),
            events: 0,
        }
    }

    /// The scenario of one point: the base with a closed load of `users` and `style`,
    /// no think time, and no trace (the sweep reads only the summary).
    pub fn point_scenario(
        base: &Scenario,
        config: &SweepConfig,
        style: Style,
        users: u32,
    ) -> Scenario {
        let mut s = base.clone();
        s.endpoint.style = style;
        s.load.kind = LoadKind::Closed;
        s.load.users = users;
        s.load.bursts.clear();
        if base.load.kind == LoadKind::Open {
            // An open load's think time means nothing; users send back to back.
            s.load.think_ms = 0.0;
        }
        s.duration_ms = base.duration_ms.min(config.duration_ms_max);
        s.load.ramp_ms = s.load.ramp_ms.min(s.duration_ms / 4);
        // One sample window per point is plenty: only the summary is read.
        s.sample_window_ms = s.duration_ms;
        s.limits.trace_events = 0;
        s.limits.max_events = s.limits.max_events.min(config.point_events_max);
        s
    }

    pub fn config(&self) -> &SweepConfig {
        &self.config
    }

    /// Results of the finished points, in the order they ran.
    pub fn results(&self) -> &[SweepPoint] {
        &self.results
    }

    /// Points the engine refused to run, with its message.
    pub fn errors(&self) -> &[(Style, u32, String)] {
        &self.errors
    }

    pub fn is_finished(&self) -> bool {
        self.current.is_none() && self.queue.is_empty()
    }

    pub fn progress(&self) -> Progress {
        let points_done = self.results.len() + self.errors.len();
        let partial = self.current.as_ref().map_or(0.0, |(_, _, sim)| {
            let end = sim.end_time().0.max(1);
            chart_math::clamp(sim.now().0 as f64 / end as f64, 0.0, 1.0)
        });
        let fraction = if self.points_total == 0 {
            1.0
        } else {
            ((points_done as f64 + partial) / self.points_total as f64).min(1.0)
        };
        Progress {
            points_done,
            points_total: self.points_total,
            events: self.events,
            fraction,
            finished: self.is_finished(),
        }
    }

    /// Runs at most `max_events` engine events (at least one while work is left), moving on
    /// to the next point whenever one finishes, and says how far the sweep has come.
    pub fn step(&mut self, max_events: u64) -> Progress {
        let mut budget = max_events.max(1);
        while budget > 0 {
            if self.current.is_none() && !self.start_next() {
                break;
            }
            let Some((_, _, sim)) = self.current.as_mut() else {
                break;
            };
            let mut running = true;
            while budget > 0 {
                budget -= 1;
                self.events += 1;
                if !sim.step() {
                    running = false;
                    break;
                }
            }
            if !running {
                self.finish_current();
            }
        }
        self.progress()
    }

    /// Takes the next point off the queue and builds its simulation. False when none is left.
    fn start_next(&mut self) -> bool {
        while let Some((style, users)) = self.queue.pop_front() {
            let scenario = Sweep::point_scenario(&self.base, &self.config, style, users);
            match Sim::new(scenario) {
                Ok(sim) => {
                    self.current = Some((style, users, sim));
                    return true;
                }
                Err(errors) => {
                    let message = errors.first().map(ToString::to_string).unwrap_or_default();
                    self.errors.push((style, users, message));
                }
            }
        }
        false
    }

    fn finish_current(&mut self) {
        let Some((style, users, sim)) = self.current.take() else {
            return;
        };
        let summary = sim.summary();
        self.results.push(SweepPoint {
            style,
            users,
            throughput_rps: summary.throughput_rps,
            latency_ms_p99: (summary.completed >= P99_ANSWERS_MIN)
                .then_some(summary.latency_ms.p99),
            completed: summary.completed,
            failed: summary.failed,
            in_flight: summary.in_flight,
            threads_max: summary.threads.max,
            events: summary.events,
            cut_short: summary.limits_hit.max_events,
        });
    }
}

/// The number of events the next slice may run, so that a slice takes about `target_ms`
/// of wall time: scaled by how long the last one took, changed by at most a factor of two
/// at a time, and kept within `[min, max]`.
pub fn next_budget(budget: u64, elapsed_ms: f64, target_ms: f64, min: u64, max: u64) -> u64 {
    debug_assert!(min <= max);
    let next = if elapsed_ms.is_finite() && elapsed_ms > 0.0 {
        let factor = chart_math::clamp(target_ms / elapsed_ms, 0.5, 2.0);
        (budget as f64 * factor) as u64
    } else {
        // Faster than the clock can tell: grow.
        budget.saturating_mul(2)
    };
    next.clamp(min, max)
}

/// The results of one style, in the order they ran: in order of users when the
/// configuration lists users in ascending order, as [`USERS_DEFAULT`] does.
pub fn line_of(results: &[SweepPoint], style: Style) -> Vec<&SweepPoint> {
    results.iter().filter(|p| p.style == style).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::curriculum::presets::{self, PRESETS};

    fn small_config() -> SweepConfig {
        SweepConfig {
            users: vec![1, 10, 100],
            styles: vec![Style::Blocking, Style::Async],
            duration_ms_max: 2_000,
            point_events_max: POINT_EVENTS_MAX,
        }
    }

    fn run_all(sweep: &mut Sweep, slice: u64) -> Vec<Progress> {
        let mut seen = Vec::new();
        for _ in 0..1_000_000 {
            let p = sweep.step(slice);
            seen.push(p);
            if p.finished {
                return seen;
            }
        }
        panic!("sweep did not finish: {sweep:?}");
    }

    #[test]
    fn points_run_concurrency_major_and_style_minor() {
        let base = presets::scenario(&PRESETS[0]);
        let mut sweep = Sweep::new(&base, small_config());
        run_all(&mut sweep, 20_000);
        let order: Vec<(Style, u32)> = sweep.results().iter().map(|p| (p.style, p.users)).collect();
        assert_eq!(
            order,
            vec![
                (Style::Blocking, 1),
                (Style::Async, 1),
                (Style::Blocking, 10),
                (Style::Async, 10),
                (Style::Blocking, 100),
                (Style::Async, 100),
            ]
        );
        assert!(sweep.errors().is_empty());
    }

    #[test]
    fn progress_rises_monotonically_to_one_and_counts_every_event() {
        let base = presets::scenario(&PRESETS[1]);
        let mut sweep = Sweep::new(&base, small_config());
        assert_eq!(sweep.progress().fraction, 0.0);
        assert_eq!(sweep.progress().points_total, 6);
        let seen = run_all(&mut sweep, 500);
        assert!(
            seen.len() > 6,
            "a 5,000-event slice cannot finish a point each time"
        );
        for pair in seen.windows(2) {
            assert!(pair[1].fraction >= pair[0].fraction, "{pair:?}");
            assert!(
                pair[1].events > pair[0].events,
                "every slice does work: {pair:?}"
            );
            assert!(pair[1].events - pair[0].events <= 500, "{pair:?}");
        }
        let last = *seen.last().unwrap();
        assert_eq!(last.fraction, 1.0);
        assert_eq!(last.points_done, 6);
        assert!(last.finished);
        // The sweep's event count is the engines' events plus one final call per point
        // (the step that finds the run over).
        let engine_events: u64 = sweep.results().iter().map(|p| p.events).sum();
        assert!(last.events >= engine_events && last.events <= engine_events + 6 * 2);
        // A finished sweep does nothing more.
        assert_eq!(sweep.step(1_000), last);
    }

    #[test]
    fn slice_size_does_not_change_results() {
        let base = presets::scenario(&PRESETS[2]);
        let mut small = Sweep::new(&base, small_config());
        let mut large = Sweep::new(&base, small_config());
        run_all(&mut small, 777);
        run_all(&mut large, 1_000_000);
        assert_eq!(small.results(), large.results());
    }

    #[test]
    fn point_equals_a_direct_run_of_its_scenario() {
        let base = presets::scenario(&PRESETS[0]);
        let config = small_config();
        let mut sweep = Sweep::new(&base, config.clone());
        run_all(&mut sweep, 50_000);
        let point = &sweep.results()[5];
        let scenario = Sweep::point_scenario(&base, &config, Style::Async, 100);
        assert_eq!(scenario.duration_ms, 2_000);
        assert_eq!(scenario.seed, base.seed);
        assert_eq!(scenario.machine, base.machine);
        assert_eq!(scenario.endpoint.steps, base.endpoint.steps);
        let summary = Sim::new(scenario).unwrap().run_to_end();
        assert_eq!(point.completed, summary.completed);
        assert_eq!(point.throughput_rps, summary.throughput_rps);
        assert_eq!(point.latency_ms_p99, Some(summary.latency_ms.p99));
    }

    #[test]
    fn async_outruns_blocking_at_high_concurrency_on_io_bound_work() {
        let base = presets::scenario(&PRESETS[0]);
        let mut sweep = Sweep::new(&base, SweepConfig::for_scenario(&base));
        run_all(&mut sweep, 50_000);
        assert_eq!(
            sweep.results().len(),
            USERS_DEFAULT.len() * STYLES_DEFAULT.len()
        );
        let at = |style, users| {
            sweep
                .results()
                .iter()
                .find(|p| p.style == style && p.users == users)
                .unwrap()
                .clone()
        };
        let blocking = at(Style::Blocking, 500);
        let asynchronous = at(Style::Async, 500);
        assert!(
            asynchronous.throughput_rps > 5.0 * blocking.throughput_rps,
            "async {asynchronous:?} blocking {blocking:?}"
        );
        // `.Result` holds a thread per request and makes the pool inject many more.
        let result = at(Style::SyncOverAsync, 500);
        assert!(
            result.threads_max > 2 * asynchronous.threads_max,
            "{result:?}"
        );
        // With one user there is nothing to wait for: both styles answer at the I/O's pace.
        let (b1, a1) = (at(Style::Blocking, 1), at(Style::Async, 1));
        let ratio = a1.throughput_rps / b1.throughput_rps;
        assert!((0.8..1.25).contains(&ratio), "{a1:?} {b1:?}");
        // Async throughput grows with users until the database's 100 connections cap it.
        let line = line_of(sweep.results(), Style::Async);
        assert_eq!(line.len(), USERS_DEFAULT.len());
        assert!(
            line[6].throughput_rps > 20.0 * line[0].throughput_rps,
            "{line:?}"
        );
    }

    #[test]
    fn open_load_becomes_closed_and_cpu_bound_style_is_added() {
        let mut base = Scenario::default();
        base.load.kind = LoadKind::Open;
        base.load.bursts.push(sim::Burst::default());
        base.endpoint.style = Style::CpuBound;
        let config = SweepConfig::for_scenario(&base);
        assert_eq!(config.styles.last(), Some(&Style::CpuBound));
        assert_eq!(config.styles.len(), STYLES_DEFAULT.len() + 1);
        let s = Sweep::point_scenario(&base, &config, Style::Async, 20);
        assert_eq!(s.load.kind, LoadKind::Closed);
        assert_eq!(s.load.users, 20);
        assert!(s.load.bursts.is_empty());
        assert_eq!(s.duration_ms, DURATION_MS_MAX);
        assert!(s.validate().is_ok());
    }

    #[test]
    fn a_point_over_its_event_limit_is_cut_short_not_endless() {
        let base = presets::scenario(&PRESETS[1]);
        let config = SweepConfig {
            users: vec![100],
            styles: vec![Style::Async],
            duration_ms_max: 5_000,
            point_events_max: 1_000,
        };
        let mut sweep = Sweep::new(&base, config);
        run_all(&mut sweep, 100_000);
        let point = &sweep.results()[0];
        assert!(point.cut_short);
        assert!(point.events <= 1_000);
    }

    #[test]
    fn budget_adapts_toward_the_target_within_bounds() {
        assert_eq!(next_budget(10_000, 12.0, 6.0, 1_000, 100_000), 5_000);
        assert_eq!(next_budget(10_000, 3.0, 6.0, 1_000, 100_000), 20_000);
        // At most a factor of two per slice either way.
        assert_eq!(next_budget(10_000, 600.0, 6.0, 1_000, 100_000), 5_000);
        assert_eq!(next_budget(10_000, 0.0, 6.0, 1_000, 100_000), 20_000);
        assert_eq!(next_budget(90_000, 1.0, 6.0, 1_000, 100_000), 100_000);
        assert_eq!(next_budget(1_500, 100.0, 6.0, 1_000, 100_000), 1_000);
        assert_eq!(next_budget(10_000, f64::NAN, 6.0, 1_000, 100_000), 20_000);
    }

    #[test]
    fn an_empty_sweep_is_finished_at_once() {
        let config = SweepConfig {
            users: vec![],
            ..small_config()
        };
        let mut sweep = Sweep::new(&Scenario::default(), config);
        let p = sweep.step(100);
        assert!(p.finished);
        assert_eq!(p.fraction, 1.0);
        assert_eq!(p.events, 0);
    }
}
