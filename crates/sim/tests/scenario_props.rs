//! Property tests (proptest) of the scenario parser, `sim::parse_scenario`: no input makes
//! it panic, whatever it accepts is valid, and every valid scenario reads back from its
//! own JSON exactly. The strategies are in `common/arb.rs`; each test runs a fixed number
//! of cases from a fixed seed (`PROPTEST_RNG_SEED=N` explores others).

#[path = "common/arb.rs"]
mod arb;

use proptest::prelude::*;
use serde_json::Value;
use sim::{parse_scenario, FieldError, Scenario};

/// Cases per property: 2,048, and 1,024 for those that build a whole scenario and then
/// change it (about seven seconds in all on the two-core development machine).
const CASES: u32 = 2_048;
const CASES_CHANGED: u32 = 1_024;

/// What the parser says about `text`; an accepted scenario must be valid and read back
/// from its own JSON (pretty, as export writes it, and compact) exactly.
fn parse_and_check(text: &str) -> Result<Scenario, Vec<FieldError>> {
    let parsed = parse_scenario(text);
    match &parsed {
        Ok(s) => {
            assert_eq!(s.validate(), Ok(()), "accepted but invalid: {text}");
            round_trips(s);
        }
        Err(errors) => {
            assert!(!errors.is_empty(), "refused without a reason: {text}");
            for e in errors {
                assert!(!e.field.is_empty() && !e.message.is_empty(), "{e:?}");
            }
        }
    }
    parsed
}

/// Every valid scenario reads back from its JSON, pretty (as export writes it) and
/// compact: exactly, or one unit in the last place off in numbers of 16 or 17 significant
/// digits (`arb::reads_back_as`).
fn round_trips(s: &Scenario) {
    let pretty = s.to_json();
    let compact = serde_json::to_string(s).expect("a scenario serialises");
    for text in [&pretty, &compact] {
        let back = parse_scenario(text).unwrap_or_else(|e| panic!("{e:?}: {text}"));
        assert!(
            arb::reads_back_as(s, &back),
            "{text}\nread back as\n{}",
            back.to_json()
        );
    }
}

proptest! {
    #![proptest_config(arb::config(CASES))]

    #[test]
    fn every_valid_scenario_reads_back_from_its_json(s in arb::scenario()) {
        prop_assert_eq!(s.validate(), Ok(()));
        round_trips(&s);
    }

    #[test]
    fn any_text_is_answered_without_a_panic(text in any::<String>()) {
        let _ = parse_and_check(&text);
    }

    #[test]
    fn any_bytes_read_as_text_are_answered_without_a_panic(
        bytes in proptest::collection::vec(any::<u8>(), 0..256)
    ) {
        let _ = parse_and_check(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn any_json_is_answered_without_a_panic(value in arb::json_value()) {
        let _ = parse_and_check(&value.to_string());
    }

}

proptest! {
    #![proptest_config(arb::config(CASES_CHANGED))]

    #[test]
    fn any_scenario_shaped_json_is_answered_without_a_panic(doc in arb::json_document()) {
        let _ = parse_and_check(&doc.to_string());
    }

    #[test]
    fn a_valid_scenario_changed_anywhere_is_answered_without_a_panic(
        s in arb::scenario(),
        mutations in proptest::collection::vec(arb::mutation(), 1..4),
    ) {
        let mut doc: Value = serde_json::to_value(&s).expect("a scenario serialises");
        for m in &mutations {
            arb::apply(&mut doc, m);
        }
        let _ = parse_and_check(&doc.to_string());
    }

    #[test]
    fn a_valid_scenario_cut_short_is_refused_without_a_panic(
        s in arb::scenario(),
        cut in any::<prop::sample::Index>(),
    ) {
        let text = s.to_json();
        let mut at = cut.index(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        // Only the whole text closes its outer object; any shorter prefix is no document.
        let parsed = parse_and_check(&text[..at]);
        prop_assert!(parsed.is_err());
    }
}
