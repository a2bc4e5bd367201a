//! Seeded randomness. One scenario seed derives independent sub-streams, one per
//! purpose, so that adding a draw for (say) I/O latency never shifts the arrival times.
//! Distributions use `libm`, which computes the same bits on native and wasm targets.

use rand_core::{RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::{Deserialize, Serialize};

/// Which sub-stream a draw comes from. The numeric value is part of the derivation and
/// must never change, or every recorded trace hash would change with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    /// Open-load inter-arrival gaps.
    Arrivals = 1,
    /// I/O latencies.
    Io = 2,
    /// Think times of closed-loop users.
    Think = 3,
    /// Whether an I/O call finds its result already there (`complete_sync`). Drawn only
    /// for steps that ask for it, so scenarios without it keep their traces bit for bit.
    CompleteSync = 4,
    /// The sample intervals of the real hill-climbing controller
    /// ([`crate::hill_climbing::HillClimbing`]), 10–200 ms, one draw at creation and one
    /// each time the goal changes.
    HillClimbing = 5,
    /// How late the gate thread's timer wakes (`pool.gate_jitter_ms`). Drawn only when the
    /// jitter is above zero, so scenarios without it keep their traces.
    GateJitter = 6,
}

/// A deterministic random number generator for one sub-stream.
#[derive(Clone, Debug)]
pub struct SimRng {
    inner: Xoshiro256PlusPlus,
}

impl SimRng {
    /// The generator for `stream` under scenario seed `seed`.
    pub fn new(seed: u64, stream: Stream) -> SimRng {
        // A golden-ratio stride keeps the derived seeds of different streams far apart;
        // `seed_from_u64` then runs them through SplitMix64.
        let derived = seed ^ (stream as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        SimRng {
            inner: Xoshiro256PlusPlus::seed_from_u64(derived),
        }
    }

    /// A raw 64-bit draw.
    pub fn next_u64(&mut self) -> u64 {
        self.inner.next_u64()
    }

    /// A uniform whole number from 0 to `max`, both included.
    pub fn below_or_at(&mut self, max: u64) -> u64 {
        match max.checked_add(1) {
            // The modulo bias is below 2^-40 for the small ranges used here.
            Some(span) => self.next_u64() % span,
            None => self.next_u64(),
        }
    }

    /// A uniform draw in the half-open interval (0, 1]; never zero, so `ln` stays finite.
    pub fn unit_open0(&mut self) -> f64 {
        let bits = self.next_u64() >> 11;
        (bits as f64 + 1.0) * (1.0 / (1u64 << 53) as f64)
    }

    /// An exponential draw with the given mean.
    pub fn exponential(&mut self, mean: f64) -> f64 {
        -mean * libm::log(self.unit_open0())
    }

    /// A standard normal draw (Box–Muller; the second value is discarded so that each
    /// call consumes exactly two raw draws, which keeps the stream easy to reason about).
    pub fn standard_normal(&mut self) -> f64 {
        let u1 = self.unit_open0();
        let u2 = self.unit_open0();
        libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * core::f64::consts::PI * u2)
    }

    /// A log-normal draw with the given *mean* and shape `sigma` (the standard deviation
    /// of the underlying normal). The location is chosen so that the mean is `mean`.
    pub fn lognormal(&mut self, mean: f64, sigma: f64) -> f64 {
        let mu = libm::log(mean) - sigma * sigma / 2.0;
        libm::exp(mu + sigma * self.standard_normal())
    }

    /// A draw from `dist` with mean `mean_us`, in whole microseconds, clamped to `cap_us`.
    pub fn sample_us(&mut self, dist: Dist, mean_us: u64, sigma: f64, cap_us: u64) -> u64 {
        let value = match dist {
            Dist::Fixed => return mean_us.min(cap_us),
            _ if mean_us == 0 => return 0,
            Dist::Exponential => self.exponential(mean_us as f64),
            Dist::Lognormal => self.lognormal(mean_us as f64, sigma),
        };
        if !value.is_finite() || value <= 0.0 {
            return 0;
        }
        let rounded = value + 0.5;
        if rounded >= cap_us as f64 {
            cap_us
        } else {
            rounded as u64
        }
    }
}

/// A latency distribution.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dist {
    /// Always exactly the mean.
    #[default]
    Fixed,
    /// Exponential with the given mean (memoryless; what queueing theory assumes).
    Exponential,
    /// Log-normal with the given mean and shape `sigma` (a long right tail, like real I/O).
    Lognormal,
}

names!(Dist {
    Fixed => "fixed",
    Exponential => "exponential",
    Lognormal => "lognormal",
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_independent_and_repeatable() {
        let mut a1 = SimRng::new(7, Stream::Arrivals);
        let mut a2 = SimRng::new(7, Stream::Arrivals);
        let mut io = SimRng::new(7, Stream::Io);
        let x = a1.next_u64();
        assert_eq!(x, a2.next_u64());
        assert_ne!(x, io.next_u64());
    }

    #[test]
    fn sample_means_are_close() {
        let mut rng = SimRng::new(1, Stream::Io);
        let n = 200_000u64;
        let cap = u64::MAX;
        let exp_sum: u64 = (0..n)
            .map(|_| rng.sample_us(Dist::Exponential, 10_000, 0.0, cap))
            .sum();
        let logn_sum: u64 = (0..n)
            .map(|_| rng.sample_us(Dist::Lognormal, 10_000, 0.8, cap))
            .sum();
        let exp_mean = exp_sum as f64 / n as f64;
        let logn_mean = logn_sum as f64 / n as f64;
        assert!((exp_mean - 10_000.0).abs() < 150.0, "exp mean {exp_mean}");
        assert!(
            (logn_mean - 10_000.0).abs() < 200.0,
            "lognormal mean {logn_mean}"
        );
    }
}
