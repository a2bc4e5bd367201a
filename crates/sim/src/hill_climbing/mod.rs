//! The .NET thread pool's real hill-climbing controller, as a pure, self-contained state
//! machine: it is fed one throughput sample at a time and answers with a new thread goal
//! and the time until the next sample. It reads no clock and owns no threads; the caller
//! (a pool model) decides when a sample ends and applies the goal.
//!
//! # Source
//!
//! dotnet/runtime, `src/libraries/System.Private.CoreLib/src/System/Threading/PortableThreadPool.HillClimbing.cs`
//! (class `PortableThreadPool.HillClimbing`, methods `Update`, `ForceChange`,
//! `ChangeThreadCount` and `GetWaveComponent`; complex arithmetic in
//! `PortableThreadPool.HillClimbing.Complex.cs`). The algorithm text is the same from the
//! first managed portable pool (early 2021, before .NET 6) through .NET 8; two later details
//! are noted where they apply ([`HillClimbing::set_blocked_threads`],
//! [`ForceReason::CooperativeBlocking`]). The design is Hellerstein, Morrison & Eilebrecht,
//! "Optimizing concurrency levels in the .NET ThreadPool" (2008). The callers are in
//! `PortableThreadPool.cs` (`NotifyWorkItemComplete`, `ShouldAdjustMaxWorkersActive`,
//! `AdjustMaxWorkersActive`), `PortableThreadPool.GateThread.cs` (starvation),
//! `PortableThreadPool.Blocking.cs` (cooperative blocking) and
//! `PortableThreadPool.WorkerThread.cs` (thread time-out).
//!
//! Line numbers, at dotnet/runtime commit `6bd906f0eef` (January 2021): the constants are
//! read in lines 81–103, `Update` is lines 111–374, `ChangeThreadCount` 376–384,
//! `ForceChange` 416–423 and `GetWaveComponent` 425–447. Later versions differ only by
//! an offset, except for the two details above and one more: older texts (CoreCLR's
//! native `hillclimbing.cpp` and the first managed port, which read its settings as
//! `HillClimbing_*`) stretch the interval at the floor by `10 × max(−ratio, 1)`, at least
//! tenfold; the .NET 6–8 era managed text uses `10 × min(−ratio, 1)`, as here.
//!
//! This module is Rust written from a description of that code, not a copy of it.
//!
//! # The idea
//!
//! The controller keeps a real-valued *control setting* (where it thinks the goal should
//! be) and moves the goal in a square wave around it: `control` for two samples, then
//! `control + magnitude` for two, so one period is four samples. It keeps the last 32
//! throughput samples and the goals they were taken at, and measures with a Goertzel filter
//! (one bin of a discrete Fourier transform) how strongly throughput follows the wave, at
//! the wave's frequency only. If throughput rises and falls with the thread count, more
//! threads help and the control setting moves up; if it moves against the wave, down; if
//! the wave is lost in noise (measured in the two neighbouring frequency bins), the move is
//! damped. The wave never stops (its magnitude is at least one thread), so the goal seen
//! from outside always oscillates.
//!
//! # Constants (runtime defaults)
//!
//! Each is read once from an `AppContext` switch `System.Threading.ThreadPool.HillClimbing.*`;
//! the values here are the defaults, after the runtime's scaling (integers ÷ 100 where so
//! noted). See the individual constants.
//!
//! # One update (`Update(currentThreadCount, sampleDurationSeconds, numCompletions)`)
//!
//! 1. If the goal passed in is not the one the controller last set, someone else moved it:
//!    behave as [`HillClimbing::force_change`] (transition "Initializing"). The very first
//!    call therefore sets the control setting to the goal, since both start at 0.
//! 2. Add any duration and completions banked by earlier too-small samples.
//! 3. **Accuracy gate.** Each thread may be part-way through an item at either end of the
//!    sample, so the count is off by up to `goal − 1` items. Unless this is the very first
//!    sample, if `(goal − 1) / completions ≥ 0.15` ([`MAX_SAMPLE_ERROR`]) the sample is not
//!    used: the controller banks its duration and completions and asks to be called again in
//!    10 ms ([`NOT_ENOUGH_RETRY_MS`]), goal unchanged. Zero completions always fail the gate
//!    (the ratio is infinite), except at goal 1 where the ratio is 0/0, which is not
//!    ≥ 0.15, so the sample is used (a floating-point corner kept as the runtime has it).
//! 4. Throughput = completions / seconds goes into a ring of 32 ([`SAMPLES_TO_MEASURE`])
//!    together with the goal.
//! 5. The analysis window is the newest `⌊min(samples − 1, 32) / 4⌋ × 4` samples (the very
//!    first sample, whose start is arbitrary, never enters it). With more than 4 samples in
//!    it (so from the 9th sample on), and positive mean throughput and mean goal:
//!    * throughput wave `T` = Goertzel(throughput, period 4) / mean throughput;
//!    * error estimate `e` = the larger magnitude of the two neighbouring bins, periods
//!      `N / (N/4 + 1)` and `N / (N/4 − 1)` (the second only if it fits in the window),
//!      divided by mean throughput;
//!    * thread wave `W` = Goertzel(goal, period 4) / mean goal;
//!    * average noise ← `e` the first time, then `0.01 × e + 0.99 × average`;
//!    * ratio = `(T − 0.15 × W) / W` (complex; 0 if `W` is 0);
//!    * confidence = `|W| / max(average noise, e) / 3` (1 if there is no noise at all).
//! 6. move = `clamp(Re ratio, −1, 1) × clamp(confidence, 0, 1)`, then
//!    `|move|² × sign(move) × 4 threads/s × sample seconds`, at most +20 (no lower cap).
//!    The sample seconds include banked time. The bias 0.15 means a flat curve gives a
//!    ratio of −0.15: without a gain of at least 15 % of the proportional share, the
//!    controller drifts down.
//! 7. A positive move is refused (set to 0) if the CPU utilisation the gate thread last
//!    measured is above 95 % ([`CPU_UTILIZATION_HIGH_PCT`], strictly greater).
//! 8. control += move; wave magnitude = `trunc(0.5 + control × average noise × 3 × 1 × 2)`,
//!    clamped to 1..=20; control is clamped to `[floor, max − magnitude]` (the lower bound
//!    wins); goal = `trunc(control + magnitude × ((samples ÷ 2) mod 2))` clamped to
//!    `[floor, max]`. The floor is the pool's minimum (see
//!    [`HillClimbing::set_blocked_threads`] for .NET 6+).
//! 9. If the goal changed, draw a new sample interval, uniform in 10..=200 ms.
//! 10. Return the goal and the current sample interval; but if `Re ratio < 0` and the goal
//!     is at the floor (more threads seem to hurt and fewer are not allowed), the interval
//!     is `trunc(0.5 + interval × 10 × min(−Re ratio, 1))` ms, up to ten times longer.
//!
//! # How a pool drives it (`PortableThreadPool.cs`)
//!
//! * A *completion* is any work item a pool thread finishes. Only a thread that has just
//!   finished one calls `update`, and only once at least the interval returned by the
//!   previous call has passed since that call. So no completions means no hill climbing.
//! * The pool does not call it while more threads are processing work than the goal (a
//!   decrease is still taking effect), nor while a cooperative-blocking adjustment is
//!   pending.
//! * It passes the goal (not the number of threads alive), the time since the previous call
//!   and the completions since the previous call, **whatever that call answered**: after a
//!   [`HillMove::NotEnough`] the controller itself has kept the short sample's time and
//!   completions and adds them to the next one, so the caller restarts its count as after
//!   any other call.
//! * If the goal rose, the pool releases or creates one worker at once (more follow on
//!   demand); if it fell, threads park as they finish their items.
//! * The very first call may come at the first completion; whatever its duration, that
//!   sample is always used (no accuracy gate) and never enters the analysis window, so it
//!   cannot bias anything. (The runtime's first sample starts at its stopwatch's epoch.)
//! * The runtime also checks that at least half the interval has passed on a second clock
//!   (`Stopwatch` against `Environment.TickCount`); with one simulated clock that check is
//!   implied by the first.
//! * Whoever else changes the goal (starvation injection by the gate thread, cooperative
//!   blocking, a thread timing out) calls [`HillClimbing::force_change`].
//!
//! # Randomness and determinism
//!
//! The only random choice is the sample interval: one draw when the controller is created
//! and one each time the goal changes. The runtime uses an unseeded `System.Random`; here
//! the draws come from a [`SimRng`], which a simulation seeds from the scenario seed with
//! [`Stream::HillClimbing`](crate::rng::Stream::HillClimbing). The rest is plain IEEE-754
//! double arithmetic (sine and cosine from `libm`), the same bits on every target.

mod wave;

use crate::rng::SimRng;
use wave::Analysis;

/// The square wave's period, in samples (`WavePeriod`, default 4).
pub const WAVE_PERIOD: usize = 4;

/// How many wave periods of history are analysed (`WaveHistorySize`, default 8).
pub const WAVE_HISTORY_SIZE: usize = 8;

/// Samples kept and analysed at most: `WavePeriod × WaveHistorySize` = 4 × 8 = 32.
pub const SAMPLES_TO_MEASURE: usize = WAVE_PERIOD * WAVE_HISTORY_SIZE;

/// The largest wave magnitude, in threads (`MaxWaveMagnitude`, default 20).
pub const MAX_WAVE_MAGNITUDE: u32 = 20;

/// Scales the wave magnitude (`WaveMagnitudeMultiplier`, default 100, ÷ 100 → 1.0).
pub const WAVE_MAGNITUDE_MULTIPLIER: f64 = 1.0;

/// The bias: the share of the thread wave subtracted from the throughput wave before the
/// ratio is taken (`Bias`, default 15, ÷ 100 → 0.15). Adding threads must raise
/// throughput by more than 15 % of a proportional gain for the controller to climb.
pub const TARGET_THROUGHPUT_RATIO: f64 = 0.15;

/// The signal-to-noise ratio at which confidence is full (`TargetSignalToNoiseRatio`,
/// default 300, ÷ 100 → 3.0). Also scales the wave magnitude with the noise.
pub const TARGET_SIGNAL_TO_NOISE_RATIO: f64 = 3.0;

/// The largest move per second of sample time, in threads (`MaxChangePerSecond`, default 4).
pub const MAX_CHANGE_PER_SECOND: f64 = 4.0;

/// The largest upward move in one sample, in threads (`MaxChangePerSample`, default 20).
pub const MAX_CHANGE_PER_SAMPLE: f64 = 20.0;

/// The shortest sample interval, ms (`SampleIntervalLow`, default 10).
pub const SAMPLE_INTERVAL_LOW_MS: u64 = 10;

/// The longest sample interval, ms (`SampleIntervalHigh`, default 200). The draw is
/// inclusive: `Random.Next(10, 201)`.
pub const SAMPLE_INTERVAL_HIGH_MS: u64 = 200;

/// Weight of the newest error estimate in the moving average of throughput noise
/// (`ErrorSmoothingFactor`, default 1, ÷ 100 → 0.01).
pub const THROUGHPUT_ERROR_SMOOTHING_FACTOR: f64 = 0.01;

/// The exponent of the non-linear gain (`GainExponent`, default 200, ÷ 100 → 2.0): small
/// moves are damped hard, full-confidence moves keep their size.
pub const GAIN_EXPONENT: f64 = 2.0;

/// The accuracy gate: a sample is used only if `(goal − 1) / completions` is below this
/// (`MaxSampleErrorPercent`, default 15, ÷ 100 → 0.15).
pub const MAX_SAMPLE_ERROR: f64 = 0.15;

/// Above this CPU utilisation (%) a positive move is refused
/// (`PortableThreadPool.CpuUtilizationHigh = 95`; the test is strictly greater).
pub const CPU_UTILIZATION_HIGH_PCT: u64 = 95;

/// How soon to call again when a sample failed the accuracy gate (the literal 10 ms in
/// `Update`).
pub const NOT_ENOUGH_RETRY_MS: u64 = 10;

/// At the floor with more threads hurting, the interval is stretched by up to this factor
/// (the literal 10.0 in `Update`).
pub const FLOOR_INTERVAL_STRETCH: f64 = 10.0;

/// What the analysis of one sample concluded, for reports (the runtime's
/// `StateOrTransition` values that `Update` itself produces).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HillState {
    /// Fewer than 8 usable samples (or no throughput): no analysis, no move; the wave runs.
    Warmup,
    /// The ratio was computed and the control setting moved by it.
    ClimbingMove,
    /// The thread wave had no component at its own frequency (the goal did not move):
    /// ratio 0, no move.
    Stabilizing,
}

/// Why something other than the controller changed the goal ([`HillClimbing::force_change`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ForceReason {
    /// The gate thread injected a thread (`GateThread`, every 500 ms at most).
    Starvation,
    /// An idle thread timed out and the goal came down with it (`WorkerThread`).
    ThreadTimedOut,
    /// Cooperative blocking (.NET 6+) raised or lowered the goal for threads blocked in
    /// `.Result`/`.Wait()`. Runtime text of the .NET 8 era does **not** draw a new sample
    /// interval in `ChangeThreadCount` for this reason; the managed pool of early 2021
    /// predates cooperative blocking, so this is the only behaviour there is for it.
    CooperativeBlocking,
}

/// What one sample led to, for reports and tests (the runtime logs similar figures in its
/// `ThreadPoolWorkerThreadAdjustmentStats` event).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SampleStats {
    /// The sample's duration including banked time, µs.
    pub duration_us: u64,
    /// The sample's completions including banked ones.
    pub completions: u64,
    /// Completions per second.
    pub throughput: f64,
    /// What the analysis concluded.
    pub state: HillState,
    /// The real part of the throughput-to-thread ratio (0 during warm-up).
    pub ratio: f64,
    /// How much the ratio is trusted (0 during warm-up; not clamped).
    pub confidence: f64,
    /// This sample's noise estimate (neighbouring bins), relative to mean throughput.
    pub error_estimate: f64,
    /// The moving average of the noise estimate.
    pub average_noise: f64,
    /// The move applied to the control setting, threads (0 if refused).
    pub applied_move: f64,
    /// Whether a positive move was refused because the CPU was above 95 %.
    pub cpu_refused: bool,
    /// The control setting after the move and the clamps.
    pub control_setting: f64,
    /// The wave magnitude, threads (1..=20).
    pub wave_magnitude: u32,
}

/// The answer to one [`HillClimbing::update`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum HillMove {
    /// Too few completions for an accurate sample (the accuracy gate). The goal stays. The
    /// controller has **kept** this sample's duration and completions and will add them to
    /// the next sample; the caller restarts its own count and calls again after
    /// `retry_after_us` (10 ms) with only what happens from now on.
    NotEnough {
        /// When to call again, µs (always 10 ms).
        retry_after_us: u64,
    },
    /// The sample was used.
    Sampled {
        /// The goal to set (may equal the current goal).
        new_goal: u32,
        /// When to call next, µs: the current random interval (10–200 ms), or up to ten
        /// times that at the floor when more threads seem to hurt.
        next_sample_interval_us: u64,
        /// What the analysis found.
        stats: SampleStats,
    },
}

impl HillMove {
    /// The goal to set, or `None` if the sample was not used (keep the goal).
    pub fn new_goal(&self) -> Option<u32> {
        match *self {
            HillMove::NotEnough { .. } => None,
            HillMove::Sampled { new_goal, .. } => Some(new_goal),
        }
    }

    /// How long until the next call, µs, whatever the outcome.
    pub fn next_call_after_us(&self) -> u64 {
        match *self {
            HillMove::NotEnough { retry_after_us } => retry_after_us,
            HillMove::Sampled {
                next_sample_interval_us,
                ..
            } => next_sample_interval_us,
        }
    }
}

/// The hill-climbing controller's state. One per pool.
#[derive(Clone, Debug)]
pub struct HillClimbing {
    min_threads: u32,
    max_threads: u32,
    /// Threads blocked in cooperative-blocking waits (.NET 6+); raises the floor.
    blocked_threads: u32,
    rng: SimRng,
    /// Where the controller wants the goal, before the wave (`_currentControlSetting`).
    control_setting: f64,
    /// Samples used so far (`_totalSamples`).
    total_samples: u64,
    /// The goal the controller last set or was told of (`_lastThreadCount`).
    last_goal: u32,
    /// Moving average of the relative noise (`_averageThroughputNoise`).
    average_noise: f64,
    /// Banked time of samples that failed the accuracy gate (the runtime keeps seconds as a
    /// double; whole µs here, converted once).
    banked_us: u64,
    /// Banked completions of samples that failed the accuracy gate.
    banked_completions: u64,
    /// Ring of throughput samples, completions per second.
    samples: [f64; SAMPLES_TO_MEASURE],
    /// Ring of the goals those samples were taken at.
    goals: [f64; SAMPLES_TO_MEASURE],
    /// The current random sample interval, ms (`_currentSampleMs`).
    sample_ms: u64,
}

impl HillClimbing {
    /// A controller for a pool with these limits (`max_threads` is raised to `min_threads`
    /// if below it). `rng` supplies the sample intervals; a simulation passes
    /// `SimRng::new(seed, Stream::HillClimbing)`. Draws the first interval, as the runtime's
    /// constructor does.
    pub fn new(min_threads: u32, max_threads: u32, rng: SimRng) -> HillClimbing {
        let mut hc = HillClimbing {
            min_threads,
            max_threads: max_threads.max(min_threads),
            blocked_threads: 0,
            rng,
            control_setting: 0.0,
            total_samples: 0,
            last_goal: 0,
            average_noise: 0.0,
            banked_us: 0,
            banked_completions: 0,
            samples: [0.0; SAMPLES_TO_MEASURE],
            goals: [0.0; SAMPLES_TO_MEASURE],
            sample_ms: 0,
        };
        hc.draw_interval();
        hc
    }

    /// Tells the controller how many threads are blocked in cooperative-blocking waits
    /// (.NET 6+). In the .NET 6+ runtime the lower bound used by `Update` is the pool's
    /// `MinThreadsGoal` = min(goal, min(min threads + blocked, max threads)), so hill
    /// climbing does not take back threads that cooperative blocking added while those
    /// threads are still blocked. With no blocked threads (the default) the floor is the
    /// pool's minimum, as in the pre-.NET 6 pool (the earliest managed text clamps to the
    /// plain minimum).
    ///
    /// A corner that follows from the formula: while the goal is *below* min + blocked,
    /// the floor is the goal passed in, so the upper half of each wave lifts the floor and
    /// the goal ratchets up to the target. The runtime does not call `Update` while a
    /// cooperative-blocking adjustment is pending, so it meets this mainly when that
    /// adjustment gave up (the memory-load cut-off).
    pub fn set_blocked_threads(&mut self, blocked: u32) {
        self.blocked_threads = blocked;
    }

    /// The lower bound for a sample taken at `goal`.
    fn floor(&self, goal: u32) -> u32 {
        let target = if self.blocked_threads == 0 {
            self.min_threads
        } else {
            self.min_threads
                .saturating_add(self.blocked_threads)
                .min(self.max_threads)
        };
        goal.min(target)
    }

    /// Draws a new sample interval, uniform in 10..=200 ms (`Random.Next(10, 201)`).
    fn draw_interval(&mut self) {
        let span = SAMPLE_INTERVAL_HIGH_MS - SAMPLE_INTERVAL_LOW_MS + 1;
        // Multiply-shift maps a 64-bit draw onto 0..span with a bias below 2^-56.
        let offset = ((u128::from(self.rng.next_u64()) * u128::from(span)) >> 64) as u64;
        self.sample_ms = SAMPLE_INTERVAL_LOW_MS + offset;
    }

    /// `ChangeThreadCount`: remember the goal and (except for cooperative blocking) draw a
    /// new interval.
    fn change_goal(&mut self, new_goal: u32, redraw: bool) {
        self.last_goal = new_goal;
        if redraw {
            self.draw_interval();
        }
    }

    /// Someone else changed the goal (`ForceChange`): starvation injection, cooperative
    /// blocking or a thread timing out. If `new_goal` differs from the goal the controller
    /// knows, the control setting shifts by the difference (so the wave continues around
    /// the new level) and a new interval is drawn (not for
    /// [`ForceReason::CooperativeBlocking`]). The history, sample count, noise average and
    /// banked sample are kept: an external change never resets the controller.
    pub fn force_change(&mut self, new_goal: u32, reason: ForceReason) {
        if new_goal != self.last_goal {
            self.control_setting += f64::from(new_goal) - f64::from(self.last_goal);
            self.change_goal(new_goal, reason != ForceReason::CooperativeBlocking);
        }
    }

    /// One sample (`Update`): `current_goal` is the pool's thread goal now, `sample_us` the
    /// time since the previous call, `completions` the work items finished since then, and
    /// `cpu_pct` the CPU utilisation the gate thread last measured (0 before its first
    /// measurement). See the module documentation for the steps.
    ///
    /// One guard the runtime does not need: if the sample (with banked time) lasted 0 µs,
    /// it is banked like a too-small sample, since a throughput cannot be computed. The
    /// runtime's stopwatch never reports 0 between two calls.
    pub fn update(
        &mut self,
        current_goal: u32,
        sample_us: u64,
        completions: u64,
        cpu_pct: u64,
    ) -> HillMove {
        // 1. Someone moved the goal without telling us ("Initializing").
        if current_goal != self.last_goal {
            self.control_setting += f64::from(current_goal) - f64::from(self.last_goal);
            self.change_goal(current_goal, true);
        }

        // 2. Add what earlier, too-small samples left.
        let duration_us = sample_us.saturating_add(self.banked_us);
        let completions = completions.saturating_add(self.banked_completions);

        // 3. The accuracy gate (skipped for the very first sample).
        let too_few = self.total_samples > 0
            && (f64::from(current_goal) - 1.0) / completions as f64 >= MAX_SAMPLE_ERROR;
        if too_few || duration_us == 0 {
            self.banked_us = duration_us;
            self.banked_completions = completions;
            return HillMove::NotEnough {
                retry_after_us: NOT_ENOUGH_RETRY_MS * 1_000,
            };
        }
        self.banked_us = 0;
        self.banked_completions = 0;

        // 4. Record the sample.
        let seconds = duration_us as f64 / 1_000_000.0;
        let throughput = completions as f64 / seconds;
        let slot = (self.total_samples % SAMPLES_TO_MEASURE as u64) as usize;
        self.samples[slot] = throughput;
        self.goals[slot] = f64::from(current_goal);
        self.total_samples += 1;

        // 5. Analyse the window (`wave.rs`).
        let Analysis {
            ratio,
            confidence,
            error_estimate,
            state,
        } = self.analyse();

        // 6. The move: real part of the ratio, damped by confidence, squared, scaled by time.
        let mut step = bounded(ratio, -1.0, 1.0) * bounded(confidence, 0.0, 1.0);
        let sign = if step >= 0.0 { 1.0 } else { -1.0 };
        let gain = MAX_CHANGE_PER_SECOND * seconds;
        step = libm::pow(step.abs(), GAIN_EXPONENT) * sign * gain;
        step = step.min(MAX_CHANGE_PER_SAMPLE);

        // 7. A busy CPU refuses any rise.
        let cpu_refused = step > 0.0 && cpu_pct > CPU_UTILIZATION_HIGH_PCT;
        if cpu_refused {
            step = 0.0;
        }

        // 8. Control setting, wave magnitude, clamps, the goal on the square wave.
        self.control_setting += step;
        let raw_magnitude = 0.5
            + self.control_setting
                * self.average_noise
                * TARGET_SIGNAL_TO_NOISE_RATIO
                * WAVE_MAGNITUDE_MULTIPLIER
                * 2.0;
        // Truncation toward zero, like a C# (int) cast; `as` saturates and maps NaN to 0.
        let magnitude = (raw_magnitude as i64).clamp(1, i64::from(MAX_WAVE_MAGNITUDE)) as u32;
        let floor = self.floor(current_goal);
        let max = self.max_threads;
        self.control_setting = self
            .control_setting
            .min(f64::from(max) - f64::from(magnitude))
            .max(f64::from(floor));
        let high_half = (self.total_samples / (WAVE_PERIOD as u64 / 2)) % 2;
        let on_wave = self.control_setting + f64::from(magnitude) * high_half as f64;
        let new_goal = (on_wave as i64).clamp(i64::from(floor), i64::from(max)) as u32;

        // 9. A new goal draws a new interval.
        if new_goal != current_goal {
            self.change_goal(new_goal, true);
        }

        // 10. At the floor with more threads hurting: sample less often.
        let interval_ms = if ratio < 0.0 && new_goal == floor {
            let stretch = FLOOR_INTERVAL_STRETCH * (-ratio).min(1.0);
            (0.5 + self.sample_ms as f64 * stretch) as u64
        } else {
            self.sample_ms
        };

        HillMove::Sampled {
            new_goal,
            next_sample_interval_us: interval_ms * 1_000,
            stats: SampleStats {
                duration_us,
                completions,
                throughput,
                state,
                ratio,
                confidence,
                error_estimate,
                average_noise: self.average_noise,
                applied_move: step,
                cpu_refused,
                control_setting: self.control_setting,
                wave_magnitude: magnitude,
            },
        }
    }
    /// The current random sample interval, µs (10–200 ms). A pool may use it for the very
    /// first sample; afterwards `update` returns the interval to use.
    pub fn sample_interval_us(&self) -> u64 {
        self.sample_ms * 1_000
    }

    /// Where the controller wants the goal before the wave is added.
    pub fn control_setting(&self) -> f64 {
        self.control_setting
    }

    /// Samples used so far (samples that failed the accuracy gate are not counted).
    pub fn total_samples(&self) -> u64 {
        self.total_samples
    }

    /// The goal the controller last set or was told of (0 before the first update).
    pub fn last_goal(&self) -> u32 {
        self.last_goal
    }

    /// The moving average of relative throughput noise (0 until the first analysis).
    pub fn average_noise(&self) -> f64 {
        self.average_noise
    }

    /// Duration (µs) and completions banked from samples that failed the accuracy gate.
    pub fn banked(&self) -> (u64, u64) {
        (self.banked_us, self.banked_completions)
    }

    /// The pool's minimum threads.
    pub fn min_threads(&self) -> u32 {
        self.min_threads
    }

    /// The pool's maximum threads.
    pub fn max_threads(&self) -> u32 {
        self.max_threads
    }
}

/// `v` within `low..=high`, as `f64::clamp` returns it (NaN stays NaN), without its
/// assertion, whose message would link float printing into the page's wasm (clippy.toml).
fn bounded(v: f64, low: f64, high: f64) -> f64 {
    if v < low {
        low
    } else if v > high {
        high
    } else {
        v
    }
}

#[cfg(test)]
mod tests;
