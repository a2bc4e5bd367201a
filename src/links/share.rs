//! The page's state in its address (issue 6): a compact, versioned query string that
//! survives copy/paste in chat and email, and a decoder that reads *any* string without
//! panicking and names every problem it finds. Pure and tested natively; the page wires it
//! in elsewhere.
//!
//! Version 1, every parameter optional, written in this order:
//!
//! `v=1&ch=starvation&r=result&k=200&seed=7&ab=async&t=1500000&e=5120&f=3&s=eyJ2ZXJzaW9uIjoxfQ`
//!
//! * `v`: the link version. Missing means 1, so the plain `?chapter=7` links that already
//!   exist keep working; a higher number is refused as made by a newer Await Lab.
//! * `ch` (alias `chapter`): a chapter's slug or its number, 1–12; 11 opens the sandbox,
//!   as links made when it was chapter 11 say (the chapter now eleventh goes by its slug).
//! * `p`: the run, when it is a preset: a slug of [`PRESETS`](crate::curriculum::presets::PRESETS).
//! * `r`: the run, when it is a chapter's (`lessons::LESSON_PRESETS`): its name, a run of
//!   `ch`; or `<chapter>.<name>` for another chapter's run (the sandbox keeps the run the
//!   reader came with). Presets and runs share some names, hence two keys. A run that has
//!   moved to another chapter (`MOVED_RUNS`) opens in its new chapter.
//! * `k`: the value of the chapter run's knob (`knobs`), when it is not the run's own; the
//!   run is `r`'s, or else the first of `ch`. Allowed: the knob's range and step.
//! * `seed`: the seed, 0 – 2⁶⁴−1. `ab`: A/B mode, the preset slug whose style side B uses,
//!   or `off` where the chapter's run would bring its own side B.
//! * `t`: the moment shown, in simulated microseconds, 0 – the run's end.
//! * `e`: the exact step: how many events the engine had processed, 0 – 20,000,000. It
//!   wins over `t`, since several events can share one microsecond; `t` stays readable.
//! * `f`: the request followed, a request number, or `none` where the run would follow
//!   one by itself (a chapter's run follows request 0).
//! * `s`: a scenario of the reader's own, as base64url (no padding) of its minified JSON,
//!   with every field that equals its default left out. It goes last, so a link cut short
//!   in transit breaks the scenario's JSON (reported) rather than silently changing a number.
//!
//! Every value uses only unreserved URL characters (`A–Z a–z 0–9 - . _ ~`), so nothing is
//! escaped or mangled on the way. Unknown parameters are ignored (a later version, or
//! `embed=1`, may add some). Error messages quote values as plain text, never as markup.
//!
//! The format's parts, a file each under `share/`: `link_state.rs` (what a link says, its
//! problems, the bounds), `encode.rs` (the writer, and `merge_query`), `decode.rs` (the
//! readers), `embed.rs` (the embedded view's options) and `base64url.rs`.

mod base64url;
mod decode;
mod embed;
mod encode;
mod link_state;

pub use base64url::{base64url_decode, base64url_encode};
pub use decode::{chapter_param, decode, decode_lenient};
pub use embed::{decode_embed, Embed, EmbedControls, EMBED_KEYS, EMBED_PANELS};
pub use encode::{encode, merge_query, LINK_KEYS};
pub use link_state::{LinkError, LinkState, LINK_CHARS_MAX, LINK_EVENTS_MAX, LINK_VERSION};

#[cfg(test)]
mod tests {
    use super::base64url::BASE64URL;
    use super::decode::{runs_of, Param};
    use super::encode::scenario_json;
    use super::link_state::unreserved;
    use super::*;
    use crate::curriculum::content::CHAPTERS;
    use crate::curriculum::lessons::lesson_scenario;
    use crate::curriculum::presets::{self, PRESETS};
    use crate::state::theme::Theme;
    use sim::{Burst, Dist, LoadKind, Resource, Scenario, Step, Style, Wait};

    #[test]
    fn the_link_keys_are_the_decoders_parameters() {
        let mut read: Vec<&str> = Param::ALL.iter().map(|p| p.key()).collect();
        read.push("chapter");
        read.sort_unstable();
        let mut listed = LINK_KEYS.to_vec();
        listed.sort_unstable();
        assert_eq!(read, listed);
    }

    #[test]
    fn chapter_parameter_takes_slugs_and_numbers_and_names_the_range() {
        assert_eq!(chapter_param("starvation"), Ok(6));
        assert_eq!(chapter_param("1"), Ok(0));
        assert_eq!(chapter_param("10"), Ok(9));
        // 11 was the sandbox's number, and links to it still open it; so does 12.
        assert_eq!(chapter_param("11"), Ok(CHAPTERS.len() - 1));
        assert_eq!(chapter_param("12"), Ok(CHAPTERS.len() - 1));
        assert_eq!(chapter_param("async-in-name-only"), Ok(10));
        for bad in ["0", "13", "", "<b>x</b>", "-1"] {
            let err = chapter_param(bad).unwrap_err();
            assert!(err.contains("chapter parameter"), "{err}");
            assert!(err.contains("from 1 to 12"), "{err}");
        }
        let long = "x".repeat(5000);
        assert!(chapter_param(&long).unwrap_err().len() < 300);
    }

    use crate::test_support::{every_scenario, Rng};

    fn random_scenario(rng: &mut Rng) -> Scenario {
        let mut s = Scenario {
            seed: rng.next(),
            duration_ms: rng.range(1, 120_000),
            sample_window_ms: rng.range(1, 1_000),
            ..Scenario::default()
        };
        let m = &mut s.machine;
        m.cores = rng.range(1, 64) as u32;
        m.context_switch_us = rng.range(0, 100);
        m.time_slice_ms = rng.range(1, 100);
        m.stack_reserve_kb = rng.range(64, 4096);
        m.stack_commit_kb = rng.range(4, m.stack_reserve_kb);
        let p = &mut s.pool;
        p.max_threads = rng.range(1, 2_000) as u32;
        p.min_threads = if rng.coin() {
            Some(rng.range(1, p.max_threads.into()) as u32)
        } else {
            None
        };
        p.starvation_injection = rng.coin();
        p.cooperative_blocking = rng.coin();
        p.hill_climbing = rng.coin();
        p.synchronization_context = rng.coin();
        p.idle_timeout_ms = rng.range(1, 60_000);
        p.work_item_us = rng.range(0, 10);
        p.gate_jitter_ms = rng.range(0, 100);
        p.runtime =
            [sim::Runtime::Net6, sim::Runtime::Net8, sim::Runtime::Net10][rng.range(0, 2) as usize];
        p.queue_limit = if rng.coin() {
            Some(rng.range(0, 10_000) as u32)
        } else {
            None
        };
        let dists = [Dist::Fixed, Dist::Exponential, Dist::Lognormal];
        let l = &mut s.load;
        l.kind = rng.pick(&[LoadKind::Closed, LoadKind::Open]);
        l.users = rng.range(1, 5_000) as u32;
        l.think_ms = rng.milli(0, 10_000_000);
        l.think_dist = rng.pick(&dists);
        l.ramp_ms = rng.range(0, 5_000);
        l.retry_ms = rng.range(1, 1_000);
        l.rate_per_s = rng.milli(1, 10_000_000);
        l.timeout_ms = rng.range(1, 60_000);
        l.attempt_timeout_ms = if rng.coin() {
            Some(rng.range(1, 60_000))
        } else {
            None
        };
        l.attempts = rng.range(1, 10) as u32;
        for _ in 0..rng.range(0, 3) {
            l.bursts.push(Burst {
                start_ms: rng.range(0, 60_000),
                duration_ms: rng.range(1, 10_000),
                rate_per_s: rng.milli(0, 1_000_000),
            });
        }
        let e = &mut s.endpoint;
        e.style = rng.pick(&[
            Style::Blocking,
            Style::Async,
            Style::SyncOverAsync,
            Style::TaskRunWrap,
            Style::CpuBound,
        ]);
        e.wait = rng.pick(&[Wait::Result, Wait::SleepPoll]);
        e.poll_ms = rng.range(1, 100);
        e.server_items = rng.range(1, 4) as u32;
        e.steps.clear();
        for _ in 0..rng.range(1, 8) {
            let step = if rng.coin() {
                Step {
                    task_run: rng.coin(),
                    ..Step::cpu(rng.milli(0, 50_000))
                }
            } else {
                let resource = rng.pick(&[None, Some("db"), Some("cache")]);
                let mut step = Step::io(rng.milli(0, 1_000_000), rng.pick(&dists), resource);
                if step.dist == Dist::Lognormal && rng.coin() {
                    step.sigma = Some(rng.milli(0, 4_000));
                }
                if rng.coin() {
                    step.complete_sync = rng.milli(0, 1_000);
                }
                if rng.coin() {
                    step.completes_via = sim::CompletesVia::Timer;
                }
                step
            };
            e.steps.push(step);
        }
        for name in ["db", "cache", "spare"] {
            if name == "spare" && rng.coin() {
                continue;
            }
            let capacity = rng.range(1, 1_000) as u32;
            s.resources.insert(name.to_owned(), Resource { capacity });
        }
        let limits = &mut s.limits;
        limits.max_in_flight = rng.range(1, 1_000_000) as u32;
        limits.trace_events = rng.range(0, 100_000) as u32;
        limits.samples = rng.range(0, 100_000) as u32;
        limits.max_events = rng.range(1, 10_000_000_000);
        s
    }

    /// A random valid link state; `scenario` is used when the coin says so.
    fn random_state(rng: &mut Rng, scenario: Option<Scenario>) -> LinkState {
        let chapter = if rng.coin() {
            Some(rng.range(0, CHAPTERS.len() as u64 - 1) as usize)
        } else {
            None
        };
        let presets: Vec<&str> = PRESETS.iter().map(|p| p.slug).collect();
        let run_chapter = if rng.coin() {
            chapter.unwrap_or(0)
        } else {
            rng.range(0, CHAPTERS.len() as u64 - 1) as usize
        };
        let runs = runs_of(Some(run_chapter));
        let mut state = LinkState {
            chapter,
            preset: rng.coin().then(|| rng.pick(&presets).to_owned()),
            run: (!runs.is_empty() && rng.coin())
                .then(|| (run_chapter, rng.pick(&runs).to_owned())),
            seed: match rng.range(0, 3) {
                0 => None,
                1 => Some(u64::MAX),
                _ => Some(rng.next()),
            },
            compare: match rng.range(0, 3) {
                0 => None,
                1 => Some("off".to_owned()),
                _ => Some(rng.pick(PRESETS).slug.to_owned()),
            },
            scenario: scenario.filter(|_| rng.range(0, 4) > 0),
            time_us: None,
            events: rng.coin().then(|| rng.range(0, LINK_EVENTS_MAX)),
            follow: match rng.range(0, 3) {
                0 => None,
                1 => Some(None),
                _ => Some(Some(rng.next())),
            },
            knob: None,
        };
        if let Some((_, k)) = state.knob_of_run().filter(|_| rng.coin()) {
            let steps = u64::from((k.max - k.min) / k.step);
            state.knob = Some(k.min + k.step * rng.range(0, steps) as u32);
        }
        if rng.coin() {
            let end_us = state.base_scenario().duration_ms * 1000;
            state.time_us = Some(if rng.coin() {
                end_us
            } else {
                rng.range(0, end_us)
            });
        }
        state
    }

    fn round_trip(state: &LinkState) {
        let link = encode(state);
        assert!(link.starts_with("v=1"), "{link}");
        assert!(
            link.chars().all(|c| unreserved(c) || c == '=' || c == '&'),
            "{link}"
        );
        assert_eq!(decode(&link).as_ref(), Ok(state), "{link}");
        assert_eq!(decode(&format!("?{link}")).as_ref(), Ok(state));
    }

    #[test]
    fn base64url_matches_rfc4648_and_round_trips_every_byte() {
        let vectors = [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, coded) in vectors {
            assert_eq!(base64url_encode(plain.as_bytes()), coded);
            assert_eq!(base64url_decode(coded), Ok(plain.as_bytes().to_vec()));
        }
        assert_eq!(base64url_encode(&[0xfb, 0xff]), "-_8");
        let all: Vec<u8> = (0..=255).collect();
        for len in 0..all.len() {
            assert_eq!(
                base64url_decode(&base64url_encode(&all[len..])),
                Ok(all[len..].to_vec())
            );
        }
        assert_eq!(base64url_decode("Zm9v="), Err(Some('=')));
        assert_eq!(base64url_decode("Zm9vY"), Err(None));
    }

    #[test]
    fn encode_writes_the_documented_format() {
        let state = LinkState {
            chapter: Some(6),
            preset: None,
            run: Some((6, "result".to_owned())),
            seed: Some(7),
            compare: Some("async".to_owned()),
            time_us: Some(1_500_000),
            events: Some(5120),
            follow: Some(Some(3)),
            scenario: Some(Scenario::default()),
            knob: None,
        };
        let link = encode(&state);
        assert_eq!(
            link,
            "v=1&ch=starvation&r=result&seed=7&ab=async&t=1500000&e=5120&f=3&s=eyJ2ZXJzaW9uIjoxfQ"
        );
        // A knob's value goes after the run it sets.
        let knob = LinkState {
            chapter: Some(6),
            run: Some((6, "cooperative".to_owned())),
            knob: Some(200),
            seed: Some(7),
            ..LinkState::default()
        };
        assert_eq!(
            encode(&knob),
            "v=1&ch=starvation&r=cooperative&k=200&seed=7"
        );
        assert_eq!(decode(&encode(&knob)), Ok(knob));
        // Another chapter's run is qualified; "off" turns a chapter's own side B off.
        let sandbox = LinkState {
            chapter: Some(CHAPTERS.len() - 1),
            run: Some((6, "cooperative".to_owned())),
            compare: Some("off".to_owned()),
            ..LinkState::default()
        };
        assert_eq!(
            encode(&sandbox),
            "v=1&ch=sandbox&r=starvation.cooperative&ab=off"
        );
        assert_eq!(decode(&encode(&sandbox)), Ok(sandbox));
        // A preset and a chapter's run may share a name; the key says which is meant.
        assert_eq!(
            decode("ch=1&p=blocking").unwrap().base_scenario(),
            presets::scenario(&PRESETS[0])
        );
        assert_eq!(
            decode("ch=1&r=blocking").unwrap().base_scenario(),
            lesson_scenario(0, "blocking").unwrap()
        );
        let none = LinkState {
            follow: Some(None),
            ..LinkState::default()
        };
        assert_eq!(encode(&none), "v=1&f=none");
        assert_eq!(decode("f=none"), Ok(none));
        assert_eq!(decode(&link), Ok(state));
        assert_eq!(encode(&LinkState::default()), "v=1");
        assert_eq!(decode("v=1"), Ok(LinkState::default()));
        assert_eq!(decode(""), Ok(LinkState::default()));
        // Values the page cannot have made are left out rather than written broken.
        let odd = LinkState {
            chapter: Some(99),
            preset: Some("a b".to_owned()),
            ..LinkState::default()
        };
        assert_eq!(encode(&odd), "v=1");
    }

    #[test]
    fn only_changed_fields_travel_and_the_json_round_trips_through_the_engine() {
        let mut s = Scenario::default();
        s.load.users = 40;
        assert_eq!(scenario_json(&s), r#"{"version":1,"load":{"users":40}}"#);
        let runs: Vec<Scenario> = every_scenario().into_iter().map(|(_, s)| s).collect();
        for s in &runs {
            let full = serde_json::to_string(s).unwrap();
            assert_eq!(sim::parse_scenario(&full).as_ref(), Ok(s));
            assert_eq!(sim::parse_scenario(&scenario_json(s)).as_ref(), Ok(s));
            let link = encode(&LinkState {
                scenario: Some(s.clone()),
                ..LinkState::default()
            });
            assert!(link.len() < 1_000, "{} characters: {link}", link.len());
        }
    }

    #[test]
    fn random_states_and_scenarios_round_trip() {
        let mut rng = Rng(0x5eed_1ab5);
        let (mut tried, mut valid) = (0, 0);
        while valid < 2_000 {
            tried += 1;
            let s = random_scenario(&mut rng);
            if s.validate().is_err() {
                continue;
            }
            valid += 1;
            round_trip(&random_state(&mut rng, Some(s)));
        }
        assert!(
            tried < 4 * valid,
            "too few random scenarios are valid: {valid} of {tried}"
        );
    }

    #[test]
    fn presets_and_chapter_runs_mutated_round_trip() {
        let mut rng = Rng(42);
        let runs: Vec<Scenario> = every_scenario().into_iter().map(|(_, s)| s).collect();
        let mut valid = 0;
        for base in &runs {
            for _ in 0..50 {
                let mut s = base.clone();
                s.seed = rng.next();
                s.load.users = rng.range(1, 100_000) as u32;
                s.load.think_ms = rng.milli(0, 3_600_000_000);
                s.machine.cores = rng.range(1, 1024) as u32;
                s.endpoint.style = rng.pick(&[
                    Style::Blocking,
                    Style::Async,
                    Style::SyncOverAsync,
                    Style::TaskRunWrap,
                    Style::CpuBound,
                ]);
                s.duration_ms = rng.range(1, 86_400_000);
                if let Some(step) = s.endpoint.steps.iter_mut().find(|st| st.io_ms.is_some()) {
                    step.io_ms = Some(rng.milli(0, 3_600_000_000));
                }
                if s.validate().is_ok() {
                    round_trip(&random_state(&mut rng, Some(s)));
                    valid += 1;
                }
            }
        }
        // Some mutations are refused by the engine (more cores than max_threads, say).
        assert!(
            valid * 10 >= runs.len() * 50 * 8,
            "{valid} of {}",
            runs.len() * 50
        );
    }

    #[test]
    fn old_chapter_links_still_open() {
        let seventh = LinkState {
            chapter: Some(6),
            ..LinkState::default()
        };
        assert_eq!(decode("?chapter=7"), Ok(seventh.clone()));
        assert_eq!(decode("chapter=starvation"), Ok(seventh.clone()));
        assert_eq!(
            decode("chapter=starvation&embed=1&utm_source=mail"),
            Ok(seventh.clone())
        );
        assert_eq!(decode("ch=7"), Ok(seventh.clone()));
        assert_eq!(decode("v=1&ch=starvation"), Ok(seventh));
        assert_eq!(decode("chapter=1").map(|s| s.chapter), Ok(Some(0)));
        // Chapter 10 was split: its slug and its `.Result` runs stayed, its `Task.Run` and
        // partial-async runs went to chapter 11, and the sandbox, once chapter 11, is 12.
        let sandbox = CHAPTERS.len() - 1;
        assert_eq!(CHAPTERS[sandbox].slug, "sandbox");
        assert_eq!(decode("chapter=11").map(|s| s.chapter), Ok(Some(sandbox)));
        assert_eq!(decode("ch=12").map(|s| s.chapter), Ok(Some(sandbox)));
        assert_eq!(
            decode("chapter=anti-patterns").map(|s| s.chapter),
            Ok(Some(9))
        );
        assert_eq!(
            decode("ch=10&r=sync-context").map(|s| (s.chapter, s.run)),
            Ok((Some(9), Some((9, "sync-context".to_owned()))))
        );
        for old in [
            "ch=10&r=task-run",
            "chapter=anti-patterns&r=task-run",
            "v=1&ch=anti-patterns&r=task-run&seed=10",
        ] {
            let link = decode(old).unwrap_or_else(|e| panic!("{old}: {e:?}"));
            assert_eq!(link.chapter, Some(10), "{old}");
            assert_eq!(CHAPTERS[10].slug, "async-in-name-only");
            assert_eq!(link.run, Some((10, "task-run".to_owned())), "{old}");
            assert_eq!(
                link.base_scenario(),
                lesson_scenario(10, "task-run").unwrap()
            );
        }
        assert_eq!(
            decode("ch=anti-patterns&r=partial").map(|s| (s.chapter, s.run)),
            Ok((Some(10), Some((10, "partial".to_owned()))))
        );
        // Named with its old chapter from elsewhere: the run moves, the chapter stays.
        assert_eq!(
            decode("ch=sandbox&r=anti-patterns.task-run").map(|s| (s.chapter, s.run)),
            Ok((Some(sandbox), Some((10, "task-run".to_owned()))))
        );
        // A link made today names the new chapter and reads back the same.
        let today = decode("ch=async-in-name-only&r=partial").unwrap();
        assert_eq!(encode(&today), "v=1&ch=async-in-name-only&r=partial");
    }

    #[test]
    fn small_tolerances_of_links_in_the_wild() {
        // Escaped unreserved characters, empty pairs, a trailing '&', leading zeros.
        let state = decode("?&v=01&ch=%73tarvation&&seed=007&p=task%2Drun%2Dwrap&").unwrap();
        assert_eq!(state.chapter, Some(6));
        assert_eq!(state.seed, Some(7));
        assert_eq!(state.preset.as_deref(), Some("task-run-wrap"));
        // `p` names presets only; a chapter's run is `r`, of the link's chapter or qualified.
        assert!(decode("p=result").is_err());
        assert!(
            decode("r=result").is_err(),
            "chapter 1 has no run named result"
        );
        assert_eq!(
            decode("ch=7&r=result").unwrap().base_scenario(),
            lesson_scenario(6, "result").unwrap()
        );
        assert_eq!(
            decode("r=starvation.result").unwrap().run,
            Some((6, "result".to_owned()))
        );
        assert_eq!(
            decode("r=7.result").unwrap().run,
            Some((6, "result".to_owned()))
        );
        // Other parameters (tracking, embed options) do not count toward the length.
        let tracked = format!("ch=7&utm_campaign={}", "x".repeat(20_000));
        assert_eq!(decode(&tracked).unwrap().chapter, Some(6));
        assert_eq!(
            decode("ch=10&p=heavy-async").unwrap().base_scenario(),
            presets::scenario(&PRESETS[4])
        );
        // Chapter 1's run, where the page opens, bounds the time of a link that names no run.
        assert_eq!(decode("t=10000000").unwrap().time_us, Some(10_000_000));
        assert!(decode("t=10000001").is_err());
    }

    /// Decodes `query` leniently and compares every error with `expected` (field, message).
    fn check(query: &str, expected: &[(&str, &str)]) {
        let (_, errors) = decode_lenient(query);
        let got: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| (e.field, e.message.as_str()))
            .collect();
        assert_eq!(got, expected, "{query}");
    }

    #[test]
    fn each_error_kind_has_its_message() {
        check(
            &format!("p={}", "x".repeat(8191)),
            &[(
                "link",
                "The link is 8193 characters long; a link may have at most 8192.",
            )],
        );
        check("v=2&ch=7&seed=<b>", &[("v", "This link was made by a newer Await Lab (link version 2); this page reads links up to version 1. Reload the page to update it, or ask for a new link.")]);
        check(
            "v=abc",
            &[(
                "v",
                "The link's v parameter \"abc\" is not a link version: it must be 1.",
            )],
        );
        check(
            "v=0",
            &[(
                "v",
                "The link's v parameter \"0\" is not a link version: it must be 1.",
            )],
        );
        check(
            "seed=1&seed=2&seed=3",
            &[(
                "seed",
                "The link's seed parameter appears more than once; a link may give it once.",
            )],
        );
        check(
            "ch=2&chapter=2",
            &[(
                "ch",
                "The link gives its chapter (as ch and as chapter) more than once; a link may give it once.",
            )],
        );
        check("chapter=13", &[("chapter", "The link's chapter parameter \"13\" is not a chapter: it must be a number from 1 to 12 or a chapter name such as \"starvation\". Showing chapter 1 instead.")]);
        check("ch=0", &[("ch", "The link's ch parameter \"0\" is not a chapter: it must be a number from 1 to 12 or a chapter name such as \"starvation\". Showing chapter 1 instead.")]);
        check("ch=%3Cscript%3E", &[("ch", "The link's ch parameter \"%3Cscript%3E\" is not a chapter: it must be a number from 1 to 12 or a chapter name such as \"starvation\". Showing chapter 1 instead.")]);
        check("p=<script>alert(1)</script>", &[("p", "The link's p parameter \"<script>alert(1)</script>\" has characters a link value cannot have: only letters, digits and - . _ ~ are allowed.")]);
        check("seed=%zz", &[("seed", "The link's seed parameter \"%zz\" has characters a link value cannot have: only letters, digits and - . _ ~ are allowed.")]);
        check("p=nope", &[("p", "The link's p parameter \"nope\" is not a preset: it must be one of blocking, async, sync-over-async, task-run-wrap, heavy-async, heavy-blocking.")]);
        check("ch=7&r=nope", &[("r", "The link's r parameter \"nope\" is not a run of chapter 7 (they are result, cooperative, local-net6); another chapter's run is written chapter.run, as in starvation.result.")]);
        check("ch=7&r=sandbox.x", &[("r", "The link's r parameter \"sandbox.x\" is not a run of chapter 12 (it has none); another chapter's run is written chapter.run, as in starvation.result.")]);
        check("seed=18446744073709551616", &[("seed", "The link's seed parameter \"18446744073709551616\" is not a seed: it must be a whole number from 0 to 18446744073709551615.")]);
        check("seed=-1", &[("seed", "The link's seed parameter \"-1\" is not a seed: it must be a whole number from 0 to 18446744073709551615.")]);
        check("seed=1e9", &[("seed", "The link's seed parameter \"1e9\" is not a seed: it must be a whole number from 0 to 18446744073709551615.")]);
        check("ab=fast", &[("ab", "The link's ab parameter \"fast\" is not a preset to compare with: it must be one of blocking, async, sync-over-async, task-run-wrap, heavy-async, heavy-blocking, or off.")]);
        check("p=blocking&t=20000001", &[("t", "The link's t parameter \"20000001\" is not a time in the run: it must be a whole number of microseconds from 0 to 20000000 (the run's end).")]);
        check(&format!("t={}", "9".repeat(60)), &[("t", "The link's t parameter \"9999999999999999999999999999999999999999…\" is not a time in the run: it must be a whole number of microseconds from 0 to 10000000 (the run's end).")]);
        check("e=20000001", &[("e", "The link's e parameter \"20000001\" is not a step: it must be a whole number of events from 0 to 20000000.")]);
        check("ch=7&k=6", &[("k", "The link's k parameter \"6\" is not a value of chapter 7's knob (Minimum threads (SetMinThreads)): it must be a whole number from 4 to 256 in steps of 4.")]);
        check("ch=5&k=17", &[("k", "The link's k parameter \"17\" is not a value of chapter 5's knob (Threads in the pool): it must be a whole number from 4 to 16.")]);
        check("ch=8&k=-4", &[("k", "The link's k parameter \"-4\" is not a value of chapter 8's knob (Users): it must be a whole number from 4 to 400 in steps of 4.")]);
        check("ch=7&r=local-net6&k=8", &[("k", "The link's k parameter \"8\" sets a knob, but the run the link opens has none to set.")]);
        check("ch=7&p=blocking&k=8", &[("k", "The link's k parameter \"8\" sets a knob, but the run the link opens has none to set.")]);
        check("f=all", &[("f", "The link's f parameter \"all\" is not a request to follow: it must be a request number from 0 to 18446744073709551615, or none.")]);
        check("s=eyJ2ZXJzaW9uIjoxfQ.", &[("s", "The link's s parameter (the scenario) is broken: \".\" is not a base64url character (A–Z a–z 0–9 - _).")]);
        check("s=eyJ2ZXJzaW9uIjoxf", &[("s", "The link's s parameter (the scenario) is broken: it is cut off (its length cannot be base64url); the link may have been shortened when it was copied.")]);
        check(
            "s=_w",
            &[(
                "s",
                "The link's s parameter (the scenario) is broken: it does not decode to text.",
            )],
        );
        check("s=eyJ2ZXJzaW9uIjox", &[("s", "The link's s parameter (the scenario) is broken: not valid JSON: EOF while parsing an object at line 1 column 12.")]);
        let users0 = base64url_encode(br#"{"version":1,"load":{"users":0},"machine":{"corse":4}}"#);
        check(&format!("s={users0}"), &[
            ("s", "The link's scenario (s) has a bad field: s.machine.corse: unknown field (did you mean \"cores\"?)."),
            ("s", "The link's scenario (s) has a bad field: s.load.users = \"0\": must be between 1 and 100000."),
        ]);
        let many: String = (0..30).map(|i| format!(",\"x{i}\":1")).collect();
        let many = base64url_encode(format!("{{\"version\":1{many}}}").as_bytes());
        let (_, errors) = decode_lenient(&format!("s={many}"));
        assert_eq!(errors.len(), crate::view::format::FIELD_ERRORS_MAX + 1);
        assert_eq!(
            errors[crate::view::format::FIELD_ERRORS_MAX].message,
            "The link's scenario (s) has 20 more bad fields."
        );
    }

    #[test]
    fn lenient_decoding_keeps_every_valid_part() {
        let (state, errors) =
            decode_lenient("v=1&ch=starvation&p=nope&seed=12&ab=<i>&t=1000&s=%%%");
        assert_eq!(
            errors.iter().map(|e| e.field).collect::<Vec<_>>(),
            ["p", "ab", "s"]
        );
        assert_eq!(
            state,
            LinkState {
                chapter: Some(6),
                seed: Some(12),
                time_us: Some(1000),
                ..LinkState::default()
            }
        );
        assert!(decode("v=1&ch=starvation&p=nope").is_err());
        // A newer version keeps only the chapter, whose slugs never change.
        let (state, errors) = decode_lenient("v=99999999999999999999999&ch=starvation&seed=1");
        assert_eq!(
            state,
            LinkState {
                chapter: Some(6),
                ..LinkState::default()
            }
        );
        assert_eq!(errors.len(), 1);
        // The time is checked against the run that is really used: the valid parts.
        let (state, errors) = decode_lenient("p=blocking&t=20000000&s=AAAA");
        assert_eq!((state.time_us, errors.len()), (Some(20_000_000), 1));
    }

    #[test]
    fn embed_options_round_trip_and_name_what_is_wrong() {
        assert_eq!(decode_embed("chapter=7"), (None, vec![]));
        assert_eq!(decode_embed("embed=0&panels=code"), (None, vec![]));
        assert_eq!(
            decode_embed("?ch=7&embed=1"),
            (Some(Embed::default()), vec![])
        );
        let all = Embed {
            panels: 0b11111,
            autoplay: true,
            controls: EmbedControls::None,
            theme: Theme::Dark,
        };
        assert_eq!(
            all.encode(),
            "embed=1&panels=stage-figures-code-log-charts&autoplay=1&controls=none&theme=dark"
        );
        let themes = [Theme::System, Theme::Light, Theme::Dark];
        for panels in 1..32u8 {
            for controls in [EmbedControls::Full, EmbedControls::Min, EmbedControls::None] {
                let e = Embed {
                    panels,
                    autoplay: panels % 2 == 0,
                    controls,
                    theme: themes[usize::from(panels) % 3],
                };
                assert_eq!(decode_embed(&e.encode()), (Some(e), vec![]));
            }
        }
        assert!(Embed::default().shows("stage") && !Embed::default().shows("code"));
        let (embed, errors) =
            decode_embed("embed=1&panels=stage-<b>&autoplay=yes&controls=all&theme=blue");
        assert_eq!(embed, Some(Embed::default()));
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["panels", "autoplay", "controls", "theme"]);
        assert_eq!(
            errors[3].message,
            "The link's theme parameter \"blue\" must be system (the reader's setting), light \
             or dark."
        );
        assert_eq!(
            decode_embed("embed=1&panels=stage-dance").1[0].message,
            "The link's panels parameter \"stage-dance\" is not a list of panels: it must be \
             one or more of stage, figures, code, log, charts, joined by -."
        );
        assert_eq!(
            decode_embed("embed=yes").1[0].message,
            "The link's embed parameter \"yes\" must be 1 (on) or 0 (off)."
        );
        assert_eq!(decode_embed("embed=yes").0, None);
    }

    #[test]
    fn merging_keeps_other_parameters_as_written() {
        assert_eq!(
            merge_query(
                "v=1&ch=starvation",
                "?chapter=2&utm=a%20b&embed=1&t=5",
                &LINK_KEYS
            ),
            "v=1&ch=starvation&utm=a%20b&embed=1"
        );
        assert_eq!(
            merge_query("v=1", "v=1&embed=1&panels=code&x", &EMBED_KEYS),
            "v=1&v=1&x"
        );
        assert_eq!(merge_query("", "embed=1&ch=2", &EMBED_KEYS), "ch=2");
    }

    /// Every input, however broken, decodes without a panic; every error names a known
    /// parameter, stays short, and whatever was kept is itself a valid link.
    fn fuzz_one(query: &str) {
        let (_, embed_errors) = decode_embed(query);
        for e in &embed_errors {
            assert!(e.message.contains(e.field) && e.message.chars().count() <= 400);
        }
        let (state, errors) = decode_lenient(query);
        for e in &errors {
            assert!(
                ["link", "v", "ch", "chapter", "p", "r", "k", "seed", "ab", "t", "s", "e", "f"]
                    .contains(&e.field),
                "{e:?}"
            );
            assert!(e.message.contains(e.field), "{e:?}");
            assert!(e.message.chars().count() <= 400, "{e:?}");
            assert!(!e.message.chars().any(char::is_control), "{e:?}");
        }
        assert_eq!(decode(&encode(&state)), Ok(state), "{query:?}");
    }

    #[test]
    fn no_input_panics_the_decoder() {
        let mut rng = Rng(0xf022);
        let mut links: Vec<String> = Vec::new();
        while links.len() < 60 {
            let s = random_scenario(&mut rng);
            if s.validate().is_ok() {
                let mut state = random_state(&mut rng, Some(s.clone()));
                state.scenario = Some(s);
                links.push(encode(&state));
            }
        }
        let keys = [
            "v", "ch", "chapter", "p", "seed", "ab", "t", "s", "k", "embed", "", "S", "v ",
        ];
        let values = [
            "1",
            "2",
            "0",
            "7",
            "starvation",
            "blocking",
            "async",
            "result",
            "",
            "-1",
            "+1",
            "1.5",
            "1e3",
            "99999999999999999999999999",
            "18446744073709551615",
            "18446744073709551616",
            "%",
            "%2",
            "%zz",
            "%41",
            "%2541",
            "%C3%A9",
            "%00",
            "%3Cscript%3E",
            "<script>alert(1)</script>",
            "\"><img src=x onerror=alert(1)>",
            "javascript:alert(1)",
            "ééé",
            "\u{0}\u{1b}[2J",
            "a=b=c",
            "eyJ2ZXJzaW9uIjoxfQ",
            "eyJ2ZXJzaW9uIjox",
            "____",
            "AAAA",
            "e30",
            "bnVsbA",
            "W10",
        ];
        let mut count = 0;
        let mut feed = |query: &str| {
            fuzz_one(query);
            count += 1;
        };
        for link in &links {
            // Every truncation of a valid link.
            for cut in (0..link.len()).step_by(5) {
                feed(&link[..cut]);
            }
        }
        for round in 0..3_000u64 {
            let link = &links[round as usize % links.len()];
            // Random bytes, read as text.
            let bytes: Vec<u8> = (0..rng.range(0, 120)).map(|_| rng.next() as u8).collect();
            feed(&String::from_utf8_lossy(&bytes));
            // Random pairs of known and unknown keys and hostile values.
            let pairs: Vec<String> = (0..rng.range(1, 6))
                .map(|_| format!("{}={}", rng.pick(&keys), rng.pick(&values)))
                .collect();
            feed(&pairs.join("&"));
            // One character of the scenario's base64 changed, or a bit of its JSON flipped.
            let (head, s) = link.split_once("&s=").unwrap();
            let mut chars: Vec<char> = s.chars().collect();
            let at = rng.range(0, chars.len() as u64 - 1) as usize;
            chars[at] = char::from(rng.pick(BASE64URL));
            feed(&format!("{head}&s={}", chars.iter().collect::<String>()));
            let mut json = base64url_decode(s).unwrap();
            let at = rng.range(0, json.len() as u64 - 1) as usize;
            json[at] ^= 1 << rng.range(0, 7);
            feed(&format!("{head}&s={}", base64url_encode(&json)));
            // One byte dropped or a hostile fragment inserted anywhere.
            let mut broken = link.clone();
            let at = rng.range(0, broken.len() as u64 - 1) as usize;
            if rng.coin() {
                broken.remove(at);
            } else {
                broken.insert_str(at, rng.pick(&values));
            }
            feed(&broken);
            if round % 200 == 0 {
                feed(&format!("{link}&{}", "x".repeat(LINK_CHARS_MAX)));
                feed(&"%".repeat(LINK_CHARS_MAX + round as usize));
                feed(&format!("s={}", "A".repeat(LINK_CHARS_MAX - 2)));
            }
        }
        assert!(count >= 20_000, "only {count} inputs");
        eprintln!("{count} inputs decoded");
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod props;
