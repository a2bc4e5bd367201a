//! The thread-injection policy of the .NET 6+ portable thread pool, as pure functions of
//! the pool's state (FACTS §1). The engine calls these; keeping them free of engine state
//! makes the constants easy to check against the source they come from.

/// The gate thread wakes this often (`GateActivitiesPeriodMs = 500`).
pub const GATE_PERIOD_US: u64 = 500_000;

/// At or above this CPU utilisation the starvation rule waits much longer.
pub const CPU_UTILIZATION_HIGH_PCT: u64 = 80;

/// With high CPU, the required time without a dequeue is this many µs per thread of goal.
pub const DEQUEUE_DELAY_PER_GOAL_US: u64 = 1_000_000;

/// Cooperative blocking: base delay between threads after the first burst (25 ms).
pub const COOPERATIVE_DELAY_STEP_US: u64 = 25_000;

/// Cooperative blocking: the delay never exceeds 250 ms.
pub const COOPERATIVE_DELAY_MAX_US: u64 = 250_000;

/// How long nothing must have been dequeued, with work queued, before the gate adds a
/// thread: 500 ms normally, `goal` seconds when the CPU is busy (≥ 80 %), because then a
/// slow queue is more likely caused by CPU load than by blocked threads.
pub fn starvation_delay_required_us(cpu_pct: u64, goal: u32) -> u64 {
    if cpu_pct >= CPU_UTILIZATION_HIGH_PCT {
        u64::from(goal).saturating_mul(DEQUEUE_DELAY_PER_GOAL_US)
    } else {
        GATE_PERIOD_US
    }
}

/// The goal cooperative blocking aims for: one extra thread per thread blocked in
/// `.Result`/`.Wait()`, capped at the maximum.
pub fn cooperative_target(min_threads: u32, blocked_in_wait: u32, max_threads: u32) -> u32 {
    min_threads.saturating_add(blocked_in_wait).min(max_threads)
}

/// Up to this goal, cooperative blocking raises the goal at once (the first `P` extra
/// threads above the minimum come without delay).
pub fn cooperative_burst_limit(min_threads: u32, cores: u32) -> u32 {
    min_threads.saturating_add(cores)
}

/// The delay before cooperative blocking adds the next thread once the goal is past the
/// burst limit: min(25 ms × (1 + (goal − (min + P)) / P), 250 ms), integer division as
/// in the runtime.
pub fn cooperative_delay_us(goal: u32, min_threads: u32, cores: u32) -> u64 {
    let over = goal.saturating_sub(cooperative_burst_limit(min_threads, cores));
    let steps = 1 + u64::from(over) / u64::from(cores.max(1));
    steps
        .saturating_mul(COOPERATIVE_DELAY_STEP_US)
        .min(COOPERATIVE_DELAY_MAX_US)
}

/// Simplified hill climbing: how often it measures and may move the goal. The real pool
/// samples every 10–200 ms and separates signal from noise with a wave and many samples;
/// with one plain comparison per interval the interval must be long enough to hold a
/// useful number of completions, so the model uses the gate's 500 ms.
pub const HILL_CLIMBING_INTERVAL_US: u64 = 500_000;

/// Hill climbing never raises the goal when the CPU was this busy (%) over the interval.
pub const HILL_CLIMBING_CPU_MAX_PCT: u64 = 95;

/// After taking back a step that did not pay off, hill climbing waits this many
/// intervals before it tries again.
pub const HILL_CLIMBING_HOLD_INTERVALS: u32 = 1;

/// What hill climbing does with the goal at one interval.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ClimbMove {
    /// Leave the goal alone.
    #[default]
    Stay,
    /// Goal + 1.
    Raise,
    /// Goal − 1 (taking back the last step).
    Lower,
}

/// Hill climbing's memory between intervals.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClimbState {
    /// Work items completed in the previous interval.
    pub previous_items: u64,
    /// What the previous interval did.
    pub last_move: ClimbMove,
    /// The goal before the last raise.
    pub goal_before: u32,
    /// Intervals left to wait before the next try.
    pub hold: u32,
}

/// One interval's measurements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClimbInput {
    /// Work items completed in the interval.
    pub items: u64,
    /// Whether work waited in the queue (at least one item on average over the interval).
    pub queued: bool,
    /// CPU utilisation over the interval, %.
    pub cpu_pct: u64,
    /// The goal now.
    pub goal: u32,
    /// The pool's minimum.
    pub min_threads: u32,
    /// The pool's maximum.
    pub max_threads: u32,
}

/// Whether going from `before` to `after` completed items, with one thread added to a goal
/// of `goal_before`, paid off: the gain must be more than half of what one more thread
/// adds when throughput is proportional to threads (`before / goal_before`), so that the
/// ordinary scatter of a count seldom passes for a gain.
pub fn climb_paid_off(before: u64, after: u64, goal_before: u32) -> bool {
    after > before
        && u128::from(after - before) * 2 * u128::from(goal_before.max(1)) > u128::from(before)
}

/// One interval of the simplified hill climbing, a probe-and-keep rule:
///
/// * after a raise, keep it if it paid off ([`climb_paid_off`]) and raise again if the
///   pool may still grow; otherwise take it back (goal − 1) and hold for
///   [`HILL_CLIMBING_HOLD_INTERVALS`];
/// * otherwise try a raise when the pool may grow: work waited in the queue, the CPU was
///   below [`HILL_CLIMBING_CPU_MAX_PCT`], the goal is below the maximum, and work items
///   completed in the interval (no completions is no signal: nothing to climb on).
///
/// Returns the move and updates `state`.
pub fn hill_climbing_step(state: &mut ClimbState, input: ClimbInput) -> ClimbMove {
    let before = state.previous_items;
    state.previous_items = input.items;
    let may_grow = input.queued
        && input.cpu_pct < HILL_CLIMBING_CPU_MAX_PCT
        && input.goal < input.max_threads
        && input.items > 0;
    let decided = if state.hold > 0 {
        state.hold -= 1;
        ClimbMove::Stay
    } else if state.last_move == ClimbMove::Raise {
        if !climb_paid_off(before, input.items, state.goal_before) {
            state.hold = HILL_CLIMBING_HOLD_INTERVALS;
            if input.goal > input.min_threads {
                ClimbMove::Lower
            } else {
                ClimbMove::Stay
            }
        } else if may_grow {
            ClimbMove::Raise
        } else {
            ClimbMove::Stay
        }
    } else if may_grow {
        ClimbMove::Raise
    } else {
        ClimbMove::Stay
    };
    if decided == ClimbMove::Raise {
        state.goal_before = input.goal;
    }
    state.last_move = decided;
    decided
}

#[cfg(test)]
mod tests {
    use super::*;

    /// FACTS §1's worked example: P = 8, min = 8: 16 threads at once, then about 18 s to 125.
    #[test]
    fn cooperative_schedule_matches_the_worked_example() {
        let (min, cores) = (8, 8);
        let mut goal = cooperative_burst_limit(min, cores);
        assert_eq!(goal, 16);
        let mut elapsed_us = 0u64;
        while goal < 125 {
            elapsed_us += cooperative_delay_us(goal, min, cores);
            goal += 1;
        }
        let seconds = elapsed_us as f64 / 1e6;
        assert!((17.0..=19.5).contains(&seconds), "took {seconds} s");
    }

    #[test]
    fn starvation_rule() {
        assert_eq!(starvation_delay_required_us(10, 50), 500_000);
        assert_eq!(starvation_delay_required_us(80, 50), 50_000_000);
    }
}
