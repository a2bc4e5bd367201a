//! The two figures of `content::Measure` that take more than a field: the requests
//! answered per second so far (`Measure::AnsweredPerS`) and the p99 latency of the last
//! second (`Measure::RecentLatencyP99Ms`). `Measure::read` calls these; the A/B strip
//! reads them through it. Nothing here imports `content`, so `content` can.

use sim::{Sample, Snapshot};

/// Windows over which the recent latency is read: ten 100 ms samples, one second.
pub const RECENT_SAMPLES: usize = 10;

/// Requests answered per second from 0 s to the snapshot's moment; `None` at 0 s, when
/// no time has passed to divide by.
pub fn answered_per_s(s: &Snapshot) -> Option<f64> {
    let secs = s.time_us as f64 / 1e6;
    (secs > 0.0).then(|| s.counters.completed as f64 / secs)
}

/// The highest p99 latency over the newest windows that answered anything, in ms; `None`
/// until one has.
pub fn recent_p99_ms(samples: &[Sample]) -> Option<f64> {
    samples
        .iter()
        .rev()
        .take(RECENT_SAMPLES)
        .filter(|s| s.completed > 0)
        .map(|s| s.latency_ms_p99)
        .reduce(f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::curriculum::presets::{scenario, PRESETS};

    #[test]
    fn nothing_is_read_before_time_passes_or_a_window_answers() {
        let mut run = sim::Sim::new(scenario(&PRESETS[0])).unwrap();
        assert_eq!(answered_per_s(&run.snapshot()), None);
        assert_eq!(recent_p99_ms(run.samples()), None);
        run.run_until(sim::SimTime(2_000_000));
        let s = run.snapshot();
        let per_s = answered_per_s(&s).unwrap();
        assert_eq!(per_s, s.counters.completed as f64 / 2.0);
        // The p99 of the last second is the worst of its windows, not of the whole run.
        let recent = recent_p99_ms(run.samples()).unwrap();
        let last: Vec<f64> = run
            .samples()
            .iter()
            .rev()
            .take(RECENT_SAMPLES)
            .filter(|w| w.completed > 0)
            .map(|w| w.latency_ms_p99)
            .collect();
        assert!(last.contains(&recent) && last.iter().all(|v| *v <= recent));
    }
}
