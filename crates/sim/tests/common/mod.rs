//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

pub mod random;

use sim::{parse_scenario, Scenario, Sim, Summary};

/// The path of a shipped example scenario.
pub fn scenario_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name)
}

/// Loads a shipped example scenario.
pub fn load(name: &str) -> Scenario {
    let text = std::fs::read_to_string(scenario_path(name))
        .unwrap_or_else(|e| panic!("cannot read {name}: {e}"));
    parse_scenario(&text).unwrap_or_else(|e| panic!("{name} is invalid: {e:?}"))
}

/// Runs a scenario to the end.
pub fn run(scenario: Scenario) -> (Sim, Summary) {
    let mut sim = Sim::new(scenario).expect("valid scenario");
    let summary = sim.run_to_end();
    (sim, summary)
}
