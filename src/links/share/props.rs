//! Property tests (proptest) of the link format and the `<await-lab>` element's attributes,
//! native only. Any query string and any attributes are read without a panic, every
//! problem is named and short, and whatever is kept makes a link that reads back as
//! itself; any state the page can be in makes a link, and an element, that read back as
//! that state. Scenarios come from the engine's own strategy
//! (`crates/sim/tests/common/arb.rs`); each property runs a fixed number of cases from a
//! fixed seed (`PROPTEST_RNG_SEED=N` explores others).

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

use super::decode::runs_of;
use super::link_state::unreserved;
use super::*;
use crate::curriculum::content::CHAPTERS;
use crate::curriculum::presets::PRESETS;
use crate::links::element::{element_snippet, read_attributes, ATTRIBUTES};
use crate::state::Theme;
use crate::test_support::arb;

/// Cases for the properties on query strings and attributes.
const CASES: u32 = 2_048;
/// Cases for those that build whole states with scenarios.
const CASES_STATES: u32 = 1_024;

/// Whether two link states are the same, their scenarios compared as the engine's parser
/// allows (`arb::reads_back_as`: a 16- or 17-digit number may come back one unit in the
/// last place off).
fn same_state(a: &LinkState, b: &LinkState) -> bool {
    let scenarios = match (&a.scenario, &b.scenario) {
        (Some(x), Some(y)) => arb::reads_back_as(x, y),
        (x, y) => x == y,
    };
    let strip = |s: &LinkState| LinkState {
        scenario: None,
        ..s.clone()
    };
    scenarios && strip(a) == strip(b)
}

/// The checks every decoded query must pass: each problem names a known parameter, says
/// so, stays short and plain; whatever was kept is a link that reads back as itself.
fn check_decoded(query: &str) {
    let (embed, embed_errors) = decode_embed(query);
    for e in &embed_errors {
        assert!(EMBED_KEYS.contains(&e.field), "{e:?}");
        assert!(
            e.message.contains(e.field) && e.message.chars().count() <= 400,
            "{e:?}"
        );
    }
    if let Some(embed) = embed {
        assert_eq!(decode_embed(&embed.encode()), (Some(embed), vec![]));
    }
    let (state, errors) = decode_lenient(query);
    for e in &errors {
        assert!(
            e.field == "link" || LINK_KEYS.contains(&e.field),
            "{query:?}: {e:?}"
        );
        assert!(e.message.contains(e.field), "{e:?}");
        assert!(e.message.chars().count() <= 400, "{e:?}");
        assert!(!e.message.chars().any(char::is_control), "{e:?}");
    }
    let link = encode(&state);
    if link.chars().count() > LINK_CHARS_MAX {
        // A kept scenario can write longer than it was given (1e5 as 100000.0).
        return;
    }
    let again = decode(&link).unwrap_or_else(|e| panic!("{query:?}: {e:?}"));
    assert!(same_state(&again, &state), "{query:?}");
}

/// Words a link's values take, and some they must not.
const VALUES: &[&str] = &[
    "1",
    "2",
    "0",
    "7",
    "12",
    "13",
    "starvation",
    "sandbox",
    "starvation.result",
    "anti-patterns.task-run",
    "blocking",
    "heavy-async",
    "off",
    "none",
    "result",
    "cooperative",
    "",
    "-1",
    "1e3",
    "18446744073709551615",
    "18446744073709551616",
    "20000000",
    "20000001",
    "%",
    "%2",
    "%zz",
    "%41",
    "%C3%A9",
    "<b>",
    "eyJ2ZXJzaW9uIjoxfQ",
    "e30",
    "AAAA",
    "stage-figures-code-log-charts",
    "dark",
    "page",
];

/// A query: any text; or pairs of known (or near) keys and values, some hostile, some a
/// scenario's base64; or a valid link with something changed.
fn query() -> BoxedStrategy<String> {
    let key = prop_oneof![
        4 => prop::sample::select(&LINK_KEYS[..]).prop_map(str::to_owned),
        2 => prop::sample::select(&EMBED_KEYS[..]).prop_map(str::to_owned),
        1 => any::<String>(),
    ];
    let value = prop_oneof![
        4 => prop::sample::select(VALUES).prop_map(str::to_owned),
        2 => any::<u64>().prop_map(|n| n.to_string()),
        1 => any::<String>(),
        1 => arb::json_document().prop_map(|v| base64url_encode(v.to_string().as_bytes())),
        1 => vec(any::<u8>(), 0..64).prop_map(|b| base64url_encode(&b)),
    ];
    let pairs = vec((key, value), 0..8).prop_map(|pairs| {
        pairs
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    });
    let changed = (link_state(), any::<prop::sample::Index>(), any::<String>()).prop_map(
        |(state, at, insert)| {
            let mut link = encode(&state);
            let mut i = at.index(link.len() + 1);
            while !link.is_char_boundary(i) {
                i -= 1;
            }
            link.insert_str(i, &insert);
            link
        },
    );
    prop_oneof![
        2 => any::<String>(),
        1 => vec(any::<u8>(), 0..200).prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        4 => pairs,
        2 => changed,
    ]
    .boxed()
}

/// Any state the page can put in a link: the fields it can set, each when it applies
/// (a run of its chapter, a knob's value on its step, a time within the run).
fn link_state() -> BoxedStrategy<LinkState> {
    let chapters = CHAPTERS.len();
    (
        (
            option::of(0..chapters),
            option::of(prop::sample::select(
                PRESETS.iter().map(|p| p.slug).collect::<Vec<_>>(),
            )),
            option::of((0..chapters, any::<prop::sample::Index>())),
            option::of(prop_oneof![Just(0), Just(u64::MAX), any::<u64>()]),
            option::of(prop_oneof![
                1 => Just("off".to_owned()),
                3 => prop::sample::select(PRESETS.iter().map(|p| p.slug).collect::<Vec<_>>())
                    .prop_map(str::to_owned),
            ]),
        ),
        (
            prop_oneof![2 => Just(None), 1 => arb::scenario().prop_map(Some)],
            option::of(prop_oneof![
                Just(0),
                Just(LINK_EVENTS_MAX),
                0..=LINK_EVENTS_MAX
            ]),
            option::of(option::of(any::<u64>())),
            option::of(any::<prop::sample::Index>()),
            option::of(prop_oneof![Just(0.0), Just(1.0), 0.0..=1.0f64]),
        ),
    )
        .prop_map(
            |((chapter, preset, run, seed, compare), (scenario, events, follow, knob, time))| {
                let run = run.and_then(|(c, i)| {
                    let runs = runs_of(Some(c));
                    (!runs.is_empty()).then(|| (c, runs[i.index(runs.len())].to_owned()))
                });
                let mut state = LinkState {
                    scenario,
                    preset: preset.map(str::to_owned),
                    run,
                    seed,
                    chapter,
                    compare,
                    time_us: None,
                    events,
                    follow,
                    knob: None,
                };
                if let (Some((_, k)), Some(i)) = (state.knob_of_run(), knob) {
                    let steps = ((k.max - k.min) / k.step) as usize + 1;
                    state.knob = Some(k.min + k.step * i.index(steps) as u32);
                }
                if let Some(share) = time {
                    let end_us = state.base_scenario().duration_ms * 1000;
                    state.time_us = Some((end_us as f64 * share) as u64);
                }
                state
            },
        )
        .boxed()
}

fn embed() -> impl Strategy<Value = Embed> {
    (
        1u8..32,
        any::<bool>(),
        prop::sample::select(vec![
            EmbedControls::Full,
            EmbedControls::Min,
            EmbedControls::None,
        ]),
        prop::sample::select(vec![Theme::System, Theme::Light, Theme::Dark]),
    )
        .prop_map(|(panels, autoplay, controls, theme)| Embed {
            panels,
            autoplay,
            controls,
            theme,
        })
}

/// The element's attributes as (name, value), read back from the HTML `element_snippet`
/// writes: each value ends at the next `"`, which the snippet writes as `&quot;`.
fn attributes_of(html: &str) -> Vec<(String, String)> {
    let tag = html.split("<await-lab").nth(1).unwrap_or("");
    let mut pairs = Vec::new();
    let mut rest = tag;
    while let Some((name, after)) = rest.split_once("=\"") {
        let Some((value, tail)) = after.split_once('"') else {
            break;
        };
        let value = value
            .replace("&lt;", "<")
            .replace("&quot;", "\"")
            .replace("&amp;", "&");
        pairs.push((name.trim().to_owned(), value));
        rest = tail;
    }
    pairs
}

proptest! {
    #![proptest_config(arb::config(CASES))]

    #[test]
    fn any_query_is_read_without_a_panic(q in query()) {
        check_decoded(&q);
        check_decoded(&format!("?{q}"));
    }

    #[test]
    fn any_attributes_are_read_without_a_panic(
        pairs in vec(
            (
                prop_oneof![
                    4 => prop::sample::select(
                        ATTRIBUTES
                            .iter()
                            .map(|(a, _)| *a)
                            .chain(["title", "height"])
                            .collect::<Vec<_>>()
                    )
                    .prop_map(str::to_owned),
                    1 => any::<String>(),
                ],
                prop_oneof![
                    4 => prop::sample::select(VALUES).prop_map(str::to_owned),
                    1 => any::<u32>().prop_map(|n| format!("{n}px")),
                    2 => any::<String>(),
                ],
            ),
            0..10,
        )
    ) {
        let spec = read_attributes(&pairs);
        for problem in &spec.problems {
            // Each names the element's attribute, or is the whole link's length.
            prop_assert!(
                problem.contains("<await-lab> element's") || problem.starts_with("The link is "),
                "{}",
                problem
            );
            prop_assert!(!problem.contains("The link's"), "{}", problem);
            prop_assert!(problem.chars().count() <= 400, "{}", problem);
        }
        if let Some(h) = spec.height_px {
            prop_assert!((crate::links::element::HEIGHT_PX_MIN..=crate::links::element::HEIGHT_PX_MAX).contains(&h));
        }
        let again = decode(&encode(&spec.link));
        prop_assert!(again.as_ref().is_ok_and(|s| same_state(s, &spec.link)), "{:?}", again);
    }
}

proptest! {
    #![proptest_config(arb::config(CASES_STATES))]

    #[test]
    fn every_state_makes_a_link_that_reads_back_as_it(state in link_state()) {
        let link = encode(&state);
        prop_assert!(link.starts_with("v=1"), "{}", link);
        prop_assert!(link.chars().all(|c| unreserved(c) || c == '=' || c == '&'), "{}", link);
        if link.chars().count() > LINK_CHARS_MAX {
            // A scenario with many long names: refused whole, as encode's caller is told.
            let errors = decode(&link).expect_err("too long");
            prop_assert_eq!(errors.len(), 1);
            prop_assert_eq!(errors[0].field, "link");
        } else {
            for query in [link.clone(), format!("?{link}")] {
                let back = decode(&query);
                prop_assert!(
                    back.as_ref().is_ok_and(|b| same_state(b, &state)),
                    "{}: {:?}",
                    query,
                    back
                );
            }
        }
    }

    #[test]
    fn every_state_makes_an_element_that_reads_back_as_it(
        state in link_state(),
        embed in embed(),
        title in option::of(any::<String>()),
    ) {
        let link = encode(&state);
        prop_assume!(link.chars().count() <= LINK_CHARS_MAX);
        let html = element_snippet("https://x.example/lab/", &link, &embed, title.as_deref());
        let spec = read_attributes(&attributes_of(&html));
        prop_assert_eq!(&spec.problems, &Vec::<String>::new(), "{}", html);
        prop_assert!(same_state(&spec.link, &state), "{}: {:?}", html, spec.link);
        prop_assert_eq!(spec.embed, embed);
        let title = title.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
        prop_assert_eq!(spec.title, title);
    }
}
