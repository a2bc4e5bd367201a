//! Property-test strategies (proptest) for scenarios: any valid scenario, over the whole of
//! every range `SCENARIO.md` gives (both ends weighted in), and any JSON value shaped like
//! one. Used by `scenario_props.rs` here and, through a `#[path]` module, by the app's link
//! tests (`src/test_support.rs`), so the engine's parser and the link format are tested
//! on the same scenarios. Not declared in `common/mod.rs`: only those two compile it.
//!
//! `config(cases)`: a fixed seed, so every run tries the same cases (set
//! `PROPTEST_RNG_SEED` to explore others), and no regression files written.
#![allow(dead_code)]

use std::collections::BTreeMap;

use proptest::collection::{btree_map, vec};
use proptest::option;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use serde_json::Value;
use sim::{
    Burst, CompletesVia, Dist, Endpoint, Limits, Load, LoadKind, Machine, Pool, Resource, Runtime,
    Scenario, Step, Style, Wait,
};

/// The seed every property test starts from unless `PROPTEST_RNG_SEED` says otherwise.
pub const SEED: u64 = 0x5EED_A3A1;

/// A proptest configuration running `cases` cases from a fixed seed.
pub fn config(cases: u32) -> Config {
    let mut config = Config::with_cases(cases);
    config.failure_persistence = None;
    if config.rng_seed == RngSeed::Random {
        config.rng_seed = RngSeed::Fixed(SEED);
    }
    config
}

/// A whole number in `low..=high`, its ends more often than chance would give them.
pub fn int(low: u64, high: u64) -> impl Strategy<Value = u64> {
    prop_oneof![1 => Just(low), 1 => Just(high), 6 => low..=high]
}

/// A number in `low..=high`: its ends, any float between (all seventeen digits), or one
/// with up to three decimals, as a person types it.
pub fn num(low: f64, high: f64) -> impl Strategy<Value = f64> {
    let (lo, hi) = (
        (low * 1000.0).round() as u64,
        (high * 1000.0).round() as u64,
    );
    prop_oneof![
        1 => Just(low),
        1 => Just(high),
        3 => low..=high,
        3 => (lo..=hi).prop_map(|m| m as f64 / 1000.0),
    ]
}

fn dist() -> impl Strategy<Value = Dist> {
    prop_oneof![
        Just(Dist::Fixed),
        Just(Dist::Exponential),
        Just(Dist::Lognormal)
    ]
}

fn machine() -> BoxedStrategy<Machine> {
    (
        int(1, 1_024),
        int(0, 100_000),
        int(1, 1_000),
        int(4, 16_777_216),
        int(4, 16_777_216),
    )
        .prop_map(|(cores, switch, slice, a, b)| Machine {
            cores: cores as u32,
            context_switch_us: switch,
            time_slice_ms: slice,
            stack_reserve_kb: a.max(b),
            stack_commit_kb: a.min(b),
        })
        .boxed()
}

fn pool() -> BoxedStrategy<Pool> {
    (
        (int(1, 32_767), option::of(int(1, 32_767))),
        any::<[bool; 4]>(),
        int(1, 86_400_000),
        int(0, 1_000_000),
        int(0, 100),
        prop_oneof![
            Just(Runtime::Net6),
            Just(Runtime::Net8),
            Just(Runtime::Net10)
        ],
        option::of(int(0, 10_000_000)),
    )
        .prop_map(
            |((a, b), switches, idle, work_item, jitter, runtime, queue_limit)| Pool {
                max_threads: a.max(b.unwrap_or(0)) as u32,
                min_threads: b.map(|b| a.min(b) as u32),
                starvation_injection: switches[0],
                cooperative_blocking: switches[1],
                hill_climbing: switches[2],
                synchronization_context: switches[3],
                idle_timeout_ms: idle,
                work_item_us: work_item,
                gate_jitter_ms: jitter,
                runtime,
                queue_limit: queue_limit.map(|n| n as u32),
            },
        )
        .boxed()
}

fn burst() -> BoxedStrategy<Burst> {
    (
        int(0, 86_400_000),
        int(1, 86_400_000),
        num(0.0, 1_000_000.0),
    )
        .prop_map(|(start_ms, duration_ms, rate_per_s)| Burst {
            start_ms,
            duration_ms,
            rate_per_s,
        })
        .boxed()
}

fn load() -> BoxedStrategy<Load> {
    (
        prop_oneof![Just(LoadKind::Closed), Just(LoadKind::Open)],
        int(1, 100_000),
        num(0.0, 3_600_000.0),
        dist(),
        int(0, 3_600_000),
        int(1, 3_600_000),
        num(0.001, 1_000_000.0),
        prop_oneof![8 => vec(burst(), 0..=3), 1 => vec(burst(), 64..=64)],
        int(1, 86_400_000),
        option::of(int(1, 86_400_000)),
        int(1, 10),
    )
        .prop_map(
            |(
                kind,
                users,
                think_ms,
                think_dist,
                ramp_ms,
                retry_ms,
                rate_per_s,
                bursts,
                timeout_ms,
                attempt_timeout_ms,
                attempts,
            )| Load {
                kind,
                users: users as u32,
                think_ms,
                think_dist,
                ramp_ms,
                retry_ms,
                rate_per_s,
                bursts,
                timeout_ms,
                attempt_timeout_ms,
                attempts: attempts as u32,
            },
        )
        .boxed()
}

/// A step; an I/O step's resource is an index, resolved against the scenario's names.
fn step() -> BoxedStrategy<(Step, Option<usize>)> {
    let cpu = (num(0.0, 600_000.0), any::<bool>()).prop_map(|(ms, task_run)| {
        (
            Step {
                task_run,
                ..Step::cpu(ms)
            },
            None,
        )
    });
    let io = (
        num(0.0, 3_600_000.0),
        dist(),
        option::of(num(0.0, 4.0)),
        option::of(any::<usize>()),
        prop_oneof![2 => Just(0.0), 1 => Just(1.0), 2 => num(0.0, 1.0)],
        prop_oneof![Just(CompletesVia::Socket), Just(CompletesVia::Timer)],
    )
        .prop_map(|(ms, dist, sigma, resource, complete_sync, via)| {
            let mut step = Step::io(ms, dist, None);
            step.sigma = sigma;
            step.complete_sync = complete_sync;
            step.completes_via = via;
            (step, resource)
        });
    prop_oneof![cpu, io].boxed()
}

/// A resource name: 1 to 64 characters, any of them (controls, quotes, astral planes).
fn resource_name() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-z]{1,8}",
        1 => vec(any::<char>(), 1..=64).prop_map(String::from_iter),
        1 => vec(any::<char>(), 64..=64).prop_map(String::from_iter),
    ]
}

fn endpoint_and_resources() -> BoxedStrategy<(Endpoint, BTreeMap<String, Resource>)> {
    (
        prop_oneof![
            Just(Style::Blocking),
            Just(Style::Async),
            Just(Style::SyncOverAsync),
            Just(Style::TaskRunWrap),
            Just(Style::CpuBound),
        ],
        prop_oneof![Just(Wait::Result), Just(Wait::SleepPoll)],
        int(1, 60_000),
        int(1, 4),
        prop_oneof![8 => vec(step(), 1..=6), 1 => vec(step(), 64..=64)],
        prop_oneof![
            8 => btree_map(resource_name(), int(1, 1_000_000), 0..=3),
            1 => btree_map(resource_name(), int(1, 1_000_000), 64..=64),
        ],
    )
        .prop_map(|(style, wait, poll_ms, server_items, steps, resources)| {
            let names: Vec<&String> = resources.keys().collect();
            let steps = steps
                .into_iter()
                .map(|(mut step, resource)| {
                    if !names.is_empty() {
                        step.resource = resource.map(|i| names[i % names.len()].clone());
                    }
                    step
                })
                .collect();
            let resources = resources
                .into_iter()
                .map(|(name, capacity)| {
                    let capacity = capacity as u32;
                    (name, Resource { capacity })
                })
                .collect();
            let endpoint = Endpoint {
                style,
                wait,
                poll_ms,
                server_items: server_items as u32,
                steps,
            };
            (endpoint, resources)
        })
        .boxed()
}

fn limits() -> BoxedStrategy<Limits> {
    (
        int(1, 1_000_000),
        int(0, 1_000_000),
        int(0, 1_000_000),
        int(1, 10_000_000_000),
    )
        .prop_map(|(in_flight, trace, samples, max_events)| Limits {
            max_in_flight: in_flight as u32,
            trace_events: trace as u32,
            samples: samples as u32,
            max_events,
        })
        .boxed()
}

/// Any valid scenario: every field over its whole range.
pub fn scenario() -> BoxedStrategy<Scenario> {
    (
        any::<u64>(),
        int(1, 86_400_000),
        int(1, 3_600_000),
        machine(),
        pool(),
        load(),
        endpoint_and_resources(),
        limits(),
    )
        .prop_map(
            |(
                seed,
                duration_ms,
                window,
                machine,
                mut pool,
                load,
                (endpoint, resources),
                limits,
            )| {
                if pool.min_threads.is_none() && machine.cores > pool.max_threads {
                    // The minimum defaults to the cores; name one the maximum allows.
                    pool.min_threads = Some(pool.max_threads);
                }
                let mut s = Scenario {
                    seed,
                    duration_ms,
                    sample_window_ms: window,
                    machine,
                    pool,
                    load,
                    endpoint,
                    resources,
                    limits,
                    ..Scenario::default()
                };
                if s.validate().is_err() {
                    // The one relation left: a closed loop of requests that cost nothing.
                    s.load.think_ms = 1.0;
                }
                s
            },
        )
        .boxed()
}

/// The field names a scenario has, at any depth, and a few near misses: arbitrary JSON
/// built from these reaches deep into the parser instead of stopping at the first level.
pub const KEYS: &[&str] = &[
    "version",
    "seed",
    "duration_ms",
    "sample_window_ms",
    "machine",
    "pool",
    "load",
    "endpoint",
    "resources",
    "limits",
    "cores",
    "context_switch_us",
    "time_slice_ms",
    "stack_reserve_kb",
    "stack_commit_kb",
    "min_threads",
    "max_threads",
    "starvation_injection",
    "cooperative_blocking",
    "hill_climbing",
    "synchronization_context",
    "idle_timeout_ms",
    "work_item_us",
    "gate_jitter_ms",
    "runtime",
    "queue_limit",
    "kind",
    "users",
    "think_ms",
    "think_dist",
    "ramp_ms",
    "retry_ms",
    "rate_per_s",
    "bursts",
    "start_ms",
    "timeout_ms",
    "attempt_timeout_ms",
    "attempts",
    "style",
    "wait",
    "poll_ms",
    "server_items",
    "steps",
    "cpu_ms",
    "task_run",
    "io_ms",
    "dist",
    "sigma",
    "resource",
    "complete_sync",
    "completes_via",
    "capacity",
    "max_in_flight",
    "trace_events",
    "samples",
    "max_events",
    "db",
    "usres",
    "Cores",
    "",
];

/// Strings a scenario's fields take, and some they must not.
pub const WORDS: &[&str] = &[
    "closed",
    "open",
    "fixed",
    "exponential",
    "lognormal",
    "blocking",
    "async",
    "sync_over_async",
    "task_run_wrap",
    "cpu_bound",
    "result",
    "sleep_poll",
    "socket",
    "timer",
    "net6",
    "net8",
    "net10",
    "db",
    "",
    "Async",
    "timer ",
    "é",
    "\u{0}",
    "🦀",
];

/// A JSON number of any kind: small, at a range's edge, huge, negative, fractional.
fn json_number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<u64>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (0u64..=2_000).prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        prop_oneof![
            Just(0u64),
            Just(1),
            Just(4),
            Just(64),
            Just(1_024),
            Just(32_767),
            Just(32_768),
            Just(100_000),
            Just(86_400_000),
            Just(86_400_001),
            Just(10_000_000_000),
            Just(u64::MAX),
        ]
        .prop_map(Value::from),
        (-1.0e3..1.0e7f64).prop_map(Value::from),
    ]
}

fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        json_number(),
        prop::sample::select(WORDS).prop_map(|w| Value::String(w.to_owned())),
        any::<String>().prop_map(Value::String),
    ]
}

/// Any JSON value, up to a few levels deep, whose objects mostly use a scenario's keys.
pub fn json_value() -> BoxedStrategy<Value> {
    json_leaf()
        .prop_recursive(4, 64, 8, |inner| {
            let key = prop_oneof![
                5 => prop::sample::select(KEYS).prop_map(str::to_owned),
                1 => any::<String>(),
            ];
            prop_oneof![
                vec(inner.clone(), 0..6).prop_map(Value::Array),
                btree_map(key, inner, 0..8).prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
        .boxed()
}

/// A JSON object that starts as a scenario document (`"version": 1`) and has any values.
pub fn json_document() -> BoxedStrategy<Value> {
    (
        btree_map(prop::sample::select(KEYS), json_value(), 0..10),
        any::<bool>(),
    )
        .prop_map(|(fields, versioned)| {
            let mut map: serde_json::Map<String, Value> =
                fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
            if versioned {
                map.insert("version".to_owned(), Value::from(1));
            }
            Value::Object(map)
        })
        .boxed()
}

/// One change to a JSON document: at the path the indices pick, replace the value, drop
/// it, or add a key.
#[derive(Clone, Debug)]
pub enum Mutation {
    /// Replace the value reached.
    Replace(Vec<usize>, Value),
    /// Remove the value reached (a key of an object, an item of a list).
    Remove(Vec<usize>),
    /// Add `key` to the object reached.
    Insert(Vec<usize>, String, Value),
}

pub fn mutation() -> BoxedStrategy<Mutation> {
    let path = vec(any::<usize>(), 0..5);
    let key = prop_oneof![
        4 => prop::sample::select(KEYS).prop_map(str::to_owned),
        1 => any::<String>(),
    ];
    prop_oneof![
        3 => (path.clone(), json_value()).prop_map(|(p, v)| Mutation::Replace(p, v)),
        1 => path.clone().prop_map(Mutation::Remove),
        1 => (path, key, json_value()).prop_map(|(p, k, v)| Mutation::Insert(p, k, v)),
    ]
    .boxed()
}

/// The child of `value` that index `i` picks, if it has children.
fn child(value: &mut Value, i: usize) -> Option<&mut Value> {
    match value {
        Value::Object(map) if !map.is_empty() => {
            let n = map.len();
            map.values_mut().nth(i % n)
        }
        Value::Array(list) if !list.is_empty() => {
            let n = list.len();
            list.get_mut(i % n)
        }
        _ => None,
    }
}

/// Applies `m` to `doc`: follows the path as far as it goes, then changes what it reached.
pub fn apply(doc: &mut Value, m: &Mutation) {
    let (path, last) = match m {
        Mutation::Replace(p, _) | Mutation::Insert(p, _, _) => (p.as_slice(), None),
        Mutation::Remove(p) => match p.split_last() {
            Some((last, rest)) => (rest, Some(*last)),
            None => return,
        },
    };
    let mut at = doc;
    for &i in path {
        let has_child = child(at, i).is_some();
        if !has_child {
            break;
        }
        at = child(at, i).expect("checked");
    }
    match m {
        Mutation::Replace(_, v) => *at = v.clone(),
        Mutation::Insert(_, k, v) => {
            if let Value::Object(map) = at {
                map.insert(k.clone(), v.clone());
            }
        }
        Mutation::Remove(_) => {
            let i = last.unwrap_or(0);
            match at {
                Value::Object(map) if !map.is_empty() => {
                    let key = map.keys().nth(i % map.len()).cloned();
                    if let Some(key) = key {
                        map.remove(&key);
                    }
                }
                Value::Array(list) if !list.is_empty() => {
                    let n = list.len();
                    list.remove(i % n);
                }
                _ => {}
            }
        }
    }
}

/// Whether `back`, read from `original`'s JSON, is `original`: exactly when its numbers
/// have at most 15 significant digits (what a person, the editor or a knob writes); a
/// number of 16 or 17 digits may come back one unit in the last place off, as serde_json
/// parses floats exactly only with its `float_roundtrip` feature, which is off (the
/// property test found 114814.2814498796 read back as 114814.28144987959). Nothing else
/// may differ.
pub fn reads_back_as(original: &Scenario, back: &Scenario) -> bool {
    if original == back {
        return true;
    }
    // Either may be the one with the long number: the check is symmetric.
    let (a, b) = (to_value(original), to_value(back));
    (long_numbers(&a) || long_numbers(&b)) && same_within_one_ulp(&a, &b)
}

fn to_value(s: &Scenario) -> Value {
    serde_json::to_value(s).expect("a scenario serialises")
}

/// Significant digits of the shortest text that reads back as `x`.
fn digits(x: f64) -> usize {
    let text = format!("{x:e}");
    let mantissa = text.split('e').next().unwrap_or("");
    mantissa.chars().filter(char::is_ascii_digit).count()
}

/// Whether any number in `v` is a float of more than 15 significant digits.
fn long_numbers(v: &Value) -> bool {
    match v {
        Value::Number(n) => {
            !n.is_u64() && !n.is_i64() && n.as_f64().is_some_and(|x| digits(x) > 15)
        }
        Value::Array(list) => list.iter().any(long_numbers),
        Value::Object(map) => map.values().any(long_numbers),
        _ => false,
    }
}

/// `a` and `b` are the same but for floats at most one unit in the last place apart.
fn same_within_one_ulp(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            x == y
                || match (x.as_f64(), y.as_f64()) {
                    (Some(p), Some(q)) if !x.is_u64() && !y.is_u64() => {
                        p.to_bits().abs_diff(q.to_bits()) <= 1
                    }
                    _ => false,
                }
        }
        (Value::Array(xs), Value::Array(ys)) => {
            xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| same_within_one_ulp(x, y))
        }
        (Value::Object(xs), Value::Object(ys)) => {
            xs.len() == ys.len()
                && xs
                    .iter()
                    .all(|(k, x)| ys.get(k).is_some_and(|y| same_within_one_ulp(x, y)))
        }
        _ => a == b,
    }
}
