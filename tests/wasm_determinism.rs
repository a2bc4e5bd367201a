//! The engine gives the same trace in the browser as natively: the hashes in
//! `crates/sim/tests/golden/trace_hash.txt` are asserted by the engine's native tests, and
//! here the same scenarios run in wasm in headless Chromium must hash to the same values.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const GOLDEN: &str = include_str!("../crates/sim/tests/golden/trace_hash.txt");

fn scenario_text(name: &str) -> &'static str {
    match name {
        "tutorial-async.json" => include_str!("../crates/sim/scenarios/tutorial-async.json"),
        "blocking.json" => include_str!("../crates/sim/scenarios/blocking.json"),
        other => panic!("add {other} to scenario_text() to check it in wasm too"),
    }
}

#[wasm_bindgen_test]
fn trace_hashes_match_the_native_golden_values() {
    let mut checked = 0;
    for line in GOLDEN.lines().filter(|l| !l.trim().is_empty()) {
        let (name, want) = line.split_once(' ').expect("golden line: <file> <hash>");
        let scenario = sim::parse_scenario(scenario_text(name)).expect("golden scenario parses");
        let mut run = sim::Sim::new(scenario).expect("golden scenario is valid");
        run.run_to_end();
        assert_eq!(
            format!("{:016x}", run.trace_hash()),
            want.trim(),
            "{name}: wasm trace differs from native"
        );
        checked += 1;
    }
    assert!(checked >= 2, "the golden file lists at least two scenarios");
}
