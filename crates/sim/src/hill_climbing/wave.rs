//! Step 5 of an update: the analysis of the sample window. The Goertzel filter
//! (`GetWaveComponent` in dotnet/runtime `PortableThreadPool.HillClimbing.cs`) measures how
//! strongly throughput follows the goal's square wave at the wave's own frequency, and how
//! much it moves at the two neighbouring frequencies (the noise), with the few complex
//! operations of `PortableThreadPool.HillClimbing.Complex.cs`. The controller's state
//! machine around it is in `mod.rs`.

use super::{
    HillClimbing, HillState, SAMPLES_TO_MEASURE, TARGET_SIGNAL_TO_NOISE_RATIO,
    TARGET_THROUGHPUT_RATIO, THROUGHPUT_ERROR_SMOOTHING_FACTOR, WAVE_PERIOD,
};

/// What the analysis of one window found (all 0 and `Warmup` before there is a window).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Analysis {
    /// The real part of the throughput-to-thread ratio.
    pub ratio: f64,
    /// How much the ratio is trusted (not clamped).
    pub confidence: f64,
    /// This window's noise estimate, relative to mean throughput.
    pub error_estimate: f64,
    /// What the analysis concluded.
    pub state: HillState,
}

impl HillClimbing {
    /// Analyses the newest samples: the window is the newest `⌊min(samples − 1, 32) / 4⌋ × 4`
    /// (step 5 of the module documentation). Updates the moving average of the noise.
    pub(super) fn analyse(&mut self) -> Analysis {
        let mut ratio = Complex::default();
        let mut confidence = 0.0;
        let mut error_estimate = 0.0;
        let mut state = HillState::Warmup;
        let usable = (self.total_samples - 1).min(SAMPLES_TO_MEASURE as u64) as usize;
        let window = usable / WAVE_PERIOD * WAVE_PERIOD;
        if window > WAVE_PERIOD {
            let mean_throughput = self.window_mean(&self.samples, window);
            let mean_goal = self.window_mean(&self.goals, window);
            if mean_throughput > 0.0 && mean_goal > 0.0 {
                let n = window as f64;
                let bins = n / WAVE_PERIOD as f64;
                let neighbour_short = n / (bins + 1.0);
                let neighbour_long = n / (bins - 1.0);
                let period = WAVE_PERIOD as f64;
                let throughput_wave = self
                    .goertzel(&self.samples, window, period)
                    .over(mean_throughput);
                error_estimate = self
                    .goertzel(&self.samples, window, neighbour_short)
                    .over(mean_throughput)
                    .abs();
                if neighbour_long <= n {
                    let long = self
                        .goertzel(&self.samples, window, neighbour_long)
                        .over(mean_throughput)
                        .abs();
                    error_estimate = error_estimate.max(long);
                }
                let thread_wave = self.goertzel(&self.goals, window, period).over(mean_goal);
                self.average_noise = if self.average_noise == 0.0 {
                    error_estimate
                } else {
                    THROUGHPUT_ERROR_SMOOTHING_FACTOR * error_estimate
                        + (1.0 - THROUGHPUT_ERROR_SMOOTHING_FACTOR) * self.average_noise
                };
                if thread_wave.abs() > 0.0 {
                    ratio = throughput_wave
                        .minus(thread_wave.scale(TARGET_THROUGHPUT_RATIO))
                        .divided_by(thread_wave);
                    state = HillState::ClimbingMove;
                } else {
                    state = HillState::Stabilizing;
                }
                let noise = self.average_noise.max(error_estimate);
                confidence = if noise > 0.0 {
                    thread_wave.abs() / noise / TARGET_SIGNAL_TO_NOISE_RATIO
                } else {
                    1.0
                };
            }
        }
        Analysis {
            ratio: ratio.re,
            confidence,
            error_estimate,
            state,
        }
    }

    /// The ring index of the `k`-th of the newest `window` samples, oldest first.
    fn ring_index(&self, window: usize, k: usize) -> usize {
        ((self.total_samples - window as u64 + k as u64) % SAMPLES_TO_MEASURE as u64) as usize
    }

    fn window_mean(&self, ring: &[f64; SAMPLES_TO_MEASURE], window: usize) -> f64 {
        let sum: f64 = (0..window).map(|k| ring[self.ring_index(window, k)]).sum();
        sum / window as f64
    }

    /// The Goertzel filter (`GetWaveComponent`): the component of the newest `window`
    /// entries of `ring` (oldest first) at `period` samples, as a complex number divided by
    /// `window`. With w = 2π / period: q ← 2 cos w · q₁ − q₂ + x for each entry, then
    /// (q₁ − q₂ cos w, q₂ sin w) / window.
    fn goertzel(&self, ring: &[f64; SAMPLES_TO_MEASURE], window: usize, period: f64) -> Complex {
        let w = 2.0 * core::f64::consts::PI / period;
        let cos = libm::cos(w);
        let coeff = 2.0 * cos;
        let (mut q1, mut q2) = (0.0f64, 0.0f64);
        for k in 0..window {
            let q0 = coeff * q1 - q2 + ring[self.ring_index(window, k)];
            q2 = q1;
            q1 = q0;
        }
        Complex::new(q1 - q2 * cos, q2 * libm::sin(w)).over(window as f64)
    }
}

/// A complex number, just enough for the Goertzel results.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Complex {
    re: f64,
    im: f64,
}

impl Complex {
    fn new(re: f64, im: f64) -> Complex {
        Complex { re, im }
    }

    fn scale(self, k: f64) -> Complex {
        Complex::new(self.re * k, self.im * k)
    }

    fn over(self, k: f64) -> Complex {
        Complex::new(self.re / k, self.im / k)
    }

    fn minus(self, other: Complex) -> Complex {
        Complex::new(self.re - other.re, self.im - other.im)
    }

    /// `self / other` as `self × conj(other) / |other|²`.
    fn divided_by(self, other: Complex) -> Complex {
        let norm = other.re * other.re + other.im * other.im;
        Complex::new(
            (self.re * other.re + self.im * other.im) / norm,
            (self.im * other.re - self.re * other.im) / norm,
        )
    }

    fn abs(self) -> f64 {
        libm::sqrt(self.re * self.re + self.im * self.im)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{SimRng, Stream};

    /// The Goertzel filter picks out the period-4 component and nothing else: a constant
    /// has none, a cosine of amplitude A at period 4 has magnitude A/2 (one side of the
    /// spectrum), and the neighbouring bins of a pure period-4 wave are empty.
    #[test]
    fn hill_climbing_goertzel_measures_one_frequency() {
        let mut hc = HillClimbing::new(1, 10, SimRng::new(1, Stream::HillClimbing));
        hc.total_samples = SAMPLES_TO_MEASURE as u64;
        hc.samples = [7.0; SAMPLES_TO_MEASURE];
        assert!(hc.goertzel(&hc.samples, 32, 4.0).abs() < 1e-12);
        for (k, x) in hc.samples.iter_mut().enumerate() {
            *x = 10.0 + 3.0 * libm::cos(core::f64::consts::FRAC_PI_2 * k as f64);
        }
        let at4 = hc.goertzel(&hc.samples, 32, 4.0).abs();
        assert!((at4 - 1.5).abs() < 1e-9, "{at4}");
        for period in [32.0 / 9.0, 32.0 / 7.0] {
            let beside = hc.goertzel(&hc.samples, 32, period).abs();
            assert!(beside < 1e-9, "period {period}: {beside}");
        }
        // A square wave 0,1,1,0 (the controller's own wave) has |G| = √2/4 per thread.
        for (k, x) in hc.samples.iter_mut().enumerate() {
            *x = [0.0, 1.0, 1.0, 0.0][k % 4];
        }
        let square = hc.goertzel(&hc.samples, 32, 4.0).abs();
        assert!(
            (square - core::f64::consts::SQRT_2 / 4.0).abs() < 1e-9,
            "{square}"
        );
    }
}
