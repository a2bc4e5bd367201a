//! Virtual time. The engine never reads a wall clock: time is an integer count of
//! microseconds so that native and WebAssembly builds agree bit for bit.

use serde::{Deserialize, Serialize};

/// A point in simulated time, in microseconds since the start of the run.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct SimTime(pub u64);

/// Microseconds in one millisecond.
pub const US_PER_MS: u64 = 1_000;
/// Microseconds in one second.
pub const US_PER_S: u64 = 1_000_000;

impl SimTime {
    /// The start of every run.
    pub const ZERO: SimTime = SimTime(0);

    /// A time given in whole milliseconds.
    pub const fn from_ms(ms: u64) -> SimTime {
        SimTime(ms.saturating_mul(US_PER_MS))
    }

    /// The time in microseconds.
    pub const fn as_us(self) -> u64 {
        self.0
    }

    /// The time in (fractional) milliseconds, for reports only.
    pub fn as_ms_f64(self) -> f64 {
        self.0 as f64 / US_PER_MS as f64
    }

    /// This time plus a duration in microseconds; saturates instead of wrapping so that
    /// a huge latency drawn from a distribution can never move the clock backwards.
    pub const fn plus_us(self, duration_us: u64) -> SimTime {
        SimTime(self.0.saturating_add(duration_us))
    }

    /// The duration from `earlier` to `self`, zero if `earlier` is later.
    pub const fn since(self, earlier: SimTime) -> u64 {
        self.0.saturating_sub(earlier.0)
    }
}

impl std::fmt::Display for SimTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{:03} ms", self.0 / US_PER_MS, self.0 % US_PER_MS)
    }
}

/// Converts a duration in (possibly fractional) milliseconds to whole microseconds,
/// rounding to nearest and clamping negative or non-finite input to zero.
pub fn ms_to_us(ms: f64) -> u64 {
    if !ms.is_finite() || ms <= 0.0 {
        return 0;
    }
    let us = ms * US_PER_MS as f64 + 0.5;
    if us >= u64::MAX as f64 {
        u64::MAX
    } else {
        us as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_round_and_saturate() {
        assert_eq!(ms_to_us(1.0), 1_000);
        assert_eq!(ms_to_us(0.0015), 2);
        assert_eq!(ms_to_us(-3.0), 0);
        assert_eq!(ms_to_us(f64::NAN), 0);
        assert_eq!(SimTime(u64::MAX).plus_us(5), SimTime(u64::MAX));
        assert_eq!(SimTime(3).since(SimTime(10)), 0);
    }
}
