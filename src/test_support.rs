//! Helpers shared by the native unit tests: a seeded generator and every scenario the page
//! ships. Compiled for tests only.

use sim::Scenario;

use crate::curriculum::lessons::LESSON_PRESETS;
use crate::curriculum::presets::{self, PRESETS};

/// xorshift64: small, seeded, and the same on every machine (no OS randomness in tests).
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }

    pub fn coin(&mut self) -> bool {
        self.next() & 1 == 1
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// A number with at most three decimals, as a person would type it.
    pub fn milli(&mut self, lo: u64, hi: u64) -> f64 {
        self.range(lo, hi) as f64 / 1000.0
    }
}

/// Every preset's and every chapter run's scenario, named (`slug`, or `chapter/run`).
pub fn every_scenario() -> Vec<(String, Scenario)> {
    let mut out: Vec<(String, Scenario)> = PRESETS
        .iter()
        .map(|p| (p.slug.to_owned(), presets::scenario(p)))
        .collect();
    for lesson in LESSON_PRESETS {
        for (name, text) in lesson.scenarios {
            let s = sim::parse_scenario(text).expect(name);
            out.push((format!("{}/{name}", lesson.chapter), s));
        }
    }
    assert!(out.len() > PRESETS.len());
    out
}

/// The engine's property-test strategies for scenarios (`crates/sim/tests/common/arb.rs`),
/// shared so that the link format is tested on the scenarios the parser is. Native only:
/// proptest is no dependency of the wasm tests.
#[cfg(not(target_arch = "wasm32"))]
#[path = "../crates/sim/tests/common/arb.rs"]
pub mod arb;
