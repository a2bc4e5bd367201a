//! The thread-injection policy of the .NET 6+ portable thread pool, as pure functions of
//! the pool's state (dotnet/runtime PortableThreadPool, as each constant's comment says). The engine calls these; keeping them free of engine state
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

// Hill climbing itself is the runtime's controller, in `crate::hill_climbing`.

#[cfg(test)]
mod tests {
    use super::*;

    /// The schedule's worked example: P = 8, min = 8: 16 threads at once, then about 18 s to
    /// 125 (cooperative_delay_us's formula, from dotnet/runtime's BlockingConfig).
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
