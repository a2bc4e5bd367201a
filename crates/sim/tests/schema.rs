//! The field table (`sim::schema`): `SCENARIO.md`'s tables are generated from it, the one
//! writer's JSON is what serde_json makes of the scenario and reads back through the
//! parser, and every field's range is what validation enforces.

mod common;

use serde_json::Value;
use sim::schema::{self, Kind, Val};
use sim::{parse_scenario, JsonForm, Scenario};

/// `SCENARIO.md`'s field tables are the table's. After changing a field, rewrite them with
/// `UPDATE_EXPECT=1 cargo test -p sim --test schema`.
#[test]
fn scenario_md_tables_are_generated_from_the_schema() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("SCENARIO.md");
    let text = std::fs::read_to_string(&path).expect("SCENARIO.md");
    let generated = schema::with_tables(&text);
    for (name, _) in schema::markdown_tables() {
        assert!(
            text.contains(&format!("<!-- fields:{name} -->\n")),
            "SCENARIO.md has no <!-- fields:{name} --> marker"
        );
    }
    if generated != text {
        if std::env::var_os("UPDATE_EXPECT").is_some() {
            std::fs::write(&path, generated).expect("write SCENARIO.md");
        } else {
            panic!(
                "SCENARIO.md's field tables differ from sim::schema; rewrite them with \
                 UPDATE_EXPECT=1 cargo test -p sim --test schema"
            );
        }
    }
}

/// Every shipped scenario, the default, and one with every optional part present, odd
/// numbers and a resource name that needs escaping.
fn scenarios() -> Vec<(String, Scenario)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("scenarios/")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    names.sort();
    let mut out: Vec<(String, Scenario)> =
        names.iter().map(|n| (n.clone(), common::load(n))).collect();
    out.push(("default".to_owned(), Scenario::default()));
    let mut full = Scenario {
        seed: u64::MAX,
        ..Scenario::default()
    };
    full.pool.min_threads = Some(8);
    full.pool.queue_limit = Some(0);
    full.pool.runtime = sim::Runtime::Net10;
    full.load.kind = sim::LoadKind::Open;
    full.load.think_ms = 0.1 + 0.2;
    full.load.rate_per_s = 1e-3;
    full.load.attempt_timeout_ms = Some(250);
    full.load.bursts.push(sim::Burst::default());
    full.load.bursts.push(sim::Burst {
        start_ms: 500,
        duration_ms: 1,
        rate_per_s: 0.0,
    });
    full.endpoint.style = sim::Style::SyncOverAsync;
    full.endpoint.wait = sim::Wait::SleepPoll;
    full.endpoint.steps[0].task_run = true;
    full.endpoint.steps[1].dist = sim::Dist::Lognormal;
    full.endpoint.steps[1].sigma = Some(0.25);
    full.endpoint.steps[1].complete_sync = 0.125;
    full.endpoint.steps[1].completes_via = sim::CompletesVia::Timer;
    full.endpoint.steps[1].io_ms = Some(123_456.789);
    full.endpoint.steps[1].resource = Some("say \"hi\" \\ tab\t\u{1}é".to_owned());
    full.resources.insert(
        "say \"hi\" \\ tab\t\u{1}é".to_owned(),
        sim::Resource { capacity: 3 },
    );
    full.resources
        .insert("cache".to_owned(), sim::Resource { capacity: 100 });
    full.limits.max_events = 10_000_000_000;
    assert_eq!(full.validate(), Ok(()));
    out.push(("full".to_owned(), full));
    out
}

/// Whether two JSON values are equal, numbers compared by value (`1` and `1.0` alike, as
/// the parser reads them), with a whole number written whole wherever serde writes one.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            x.as_f64() == y.as_f64() && (!y.is_u64() || x.as_u64() == y.as_u64())
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

#[test]
fn the_writer_writes_what_serde_json_writes_and_the_parser_reads_it_back() {
    for (name, s) in scenarios() {
        let serde = serde_json::to_value(&s).unwrap();
        for form in [JsonForm::COMPACT, JsonForm::PRETTY] {
            let text = s.to_json_as(form);
            let value: Value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}\n{text}"));
            assert!(
                same(&value, &serde),
                "{name} {form:?}:\n{text}\nserde: {serde}"
            );
            assert_eq!(parse_scenario(&text).as_ref(), Ok(&s), "{name} {form:?}");
        }
        // Short: what differs from the defaults, which the parser and serde fill back in.
        let short = s.to_json_as(JsonForm::SHORT);
        assert_eq!(parse_scenario(&short).as_ref(), Ok(&s), "{name}: {short}");
        let via_serde: Scenario = serde_json::from_str(&short).unwrap();
        assert_eq!(via_serde, s, "{name}");
        assert!(
            short.len() <= s.to_json_as(JsonForm::COMPACT).len(),
            "{name}"
        );
    }
}

#[test]
fn the_three_forms_look_as_documented() {
    let s = Scenario::default();
    assert_eq!(s.to_json_as(JsonForm::SHORT), r#"{"version":1}"#);
    let mut users = s.clone();
    users.load.users = 40;
    assert_eq!(
        users.to_json_as(JsonForm::SHORT),
        r#"{"version":1,"load":{"users":40}}"#
    );
    let compact = s.to_json_as(JsonForm::COMPACT);
    assert!(
        compact.starts_with(r#"{"version":1,"seed":42,"duration_ms":10000,"#),
        "{compact}"
    );
    assert!(!compact.contains([' ', '\n']), "{compact}");
    assert!(
        compact.contains(r#""steps":[{"cpu_ms":1},{"io_ms":500},{"cpu_ms":1}]"#),
        "{compact}"
    );
    assert!(compact.ends_with(r#""resources":{},"limits":{"max_in_flight":100000,"trace_events":4096,"samples":100000,"max_events":200000000}}"#), "{compact}");
    // Pretty is the compact form laid out as serde_json lays it out: two spaces a level,
    // one member a line, empty lists as [] and {}.
    let pretty = s.to_json();
    let joined: String = pretty
        .lines()
        .map(|l| l.trim_start().replacen("\": ", "\":", 1))
        .collect();
    assert_eq!(joined, compact);
    assert!(
        pretty.contains("\n      {\n        \"cpu_ms\": 1\n      },\n"),
        "{pretty}"
    );
    assert!(
        pretty.starts_with("{\n  \"version\": 1,\n  \"seed\": 42,\n"),
        "{pretty}"
    );
    assert!(pretty.contains("\n  \"resources\": {},\n"), "{pretty}");
}

/// Each enum's names are serde's, and `ALL`, `NAMES`, `name` and `from_name` agree.
#[test]
fn the_engine_owns_its_names() {
    fn check<T>(all: &[T], names: &[&str], name: fn(T) -> &'static str, from: fn(&str) -> Option<T>)
    where
        T: Copy + PartialEq + std::fmt::Debug + serde::Serialize,
    {
        assert_eq!(all.len(), names.len());
        for (&value, &n) in all.iter().zip(names) {
            assert_eq!(name(value), n);
            assert_eq!(from(n), Some(value));
            assert_eq!(serde_json::to_value(value).unwrap(), Value::from(n));
        }
        assert_eq!(from("nonsense"), None);
    }
    check(
        sim::Style::ALL,
        sim::Style::NAMES,
        sim::Style::name,
        sim::Style::from_name,
    );
    check(
        sim::Wait::ALL,
        sim::Wait::NAMES,
        sim::Wait::name,
        sim::Wait::from_name,
    );
    check(
        sim::Dist::ALL,
        sim::Dist::NAMES,
        sim::Dist::name,
        sim::Dist::from_name,
    );
    check(
        sim::LoadKind::ALL,
        sim::LoadKind::NAMES,
        sim::LoadKind::name,
        sim::LoadKind::from_name,
    );
    check(
        sim::Runtime::ALL,
        sim::Runtime::NAMES,
        sim::Runtime::name,
        sim::Runtime::from_name,
    );
    check(
        sim::CompletesVia::ALL,
        sim::CompletesVia::NAMES,
        sim::CompletesVia::name,
        sim::CompletesVia::from_name,
    );
    check(
        sim::TraceKind::ALL,
        sim::TraceKind::NAMES,
        sim::TraceKind::name,
        sim::TraceKind::from_name,
    );
    check(
        sim::RequestPhase::ALL,
        sim::RequestPhase::NAMES,
        sim::RequestPhase::name,
        sim::RequestPhase::from_name,
    );
    for (code, kind) in sim::TraceKind::ALL.iter().enumerate() {
        assert_eq!(usize::from(kind.code()), code, "{kind:?}");
    }
}

/// Every field of the table: its default is allowed, it reads back what it is set to, the
/// parser takes its bounds and refuses one past them with the range in the message, on its
/// own path, and `validate` says the same of a scenario built in code.
#[test]
fn every_field_is_read_checked_and_written_as_its_entry_says() {
    let mut paths = Vec::new();
    for f in schema::SCENARIO {
        assert!(!paths.contains(&f.path), "{} twice", f.path);
        paths.push(f.path);
        let d = Scenario::default();
        assert!(f.allows((f.get)(&d)), "{}", f.path);
        assert_eq!(schema::field(f.path).map(|g| g.path), Some(f.path));
        let (group, key) = schema::split(f.path);
        let doc = |value: &str| {
            if group.is_empty() {
                format!(r#"{{"version":1,"{key}":{value}}}"#)
            } else {
                format!(r#"{{"version":1,"{group}":{{"{key}":{value}}}}}"#)
            }
        };
        let (low, high, past) = match f.kind {
            Kind::Int { min, max } => (
                Val::Int(min),
                Val::Int(max),
                (max < u64::MAX).then(|| {
                    (
                        (max + 1).to_string(),
                        format!("must be between {min} and {max}"),
                    )
                }),
            ),
            Kind::Float { min, max } => (
                Val::Float(min),
                Val::Float(max),
                Some((
                    format!("{}", max * 2.0 + 1.0),
                    format!(
                        "must be a number between {} and {}",
                        sim::decimal::shortest(min),
                        sim::decimal::shortest(max)
                    ),
                )),
            ),
            Kind::Bool => (Val::Bool(false), Val::Bool(true), None),
            Kind::Name(names) => (
                Val::Name(names[0]),
                Val::Name(names[names.len() - 1]),
                Some(("\"nonsense\"".to_owned(), "must be one of".to_owned())),
            ),
            _ => continue,
        };
        if f.path == "version" {
            continue;
        }
        for v in [low, high] {
            let mut s = d.clone();
            (f.set)(&mut s, v);
            assert_eq!((f.get)(&s), v, "{}", f.path);
            // Bounds that other fields limit (the minimum threads, the stack) are left
            // to the relation checks.
            let text = s.to_json_as(JsonForm::SHORT);
            if let Ok(back) = parse_scenario(&text) {
                assert_eq!((f.get)(&back), v, "{}: {text}", f.path);
            }
        }
        if let Some((value, message)) = past {
            let errors = parse_scenario(&doc(&value)).unwrap_err();
            assert_eq!(errors[0].field, f.path, "{errors:?}");
            assert!(errors[0].message.starts_with(&message), "{errors:?}");
        }
        if let Kind::Int { max, .. } = f.kind {
            if max < u64::MAX && !f.optional {
                let mut s = d.clone();
                (f.set)(&mut s, Val::Int(max + 1));
                let errors = s.validate().unwrap_err();
                assert!(
                    errors.iter().any(|e| e.field == f.path),
                    "{}: {errors:?}",
                    f.path
                );
            }
        }
    }
    assert_eq!(paths.len(), schema::SCENARIO.len());
}

/// Each entry's kind is what its accessors read: a whole number for an integer field, and
/// so on; an optional field reads absent on its record's default, or its entry says what
/// absence means.
#[test]
fn every_entry_reads_its_own_kind() {
    fn check<T>(fields: &[schema::Field<T>], record: &T) {
        for f in fields {
            let value = (f.get)(record);
            let fits = match (f.kind, value) {
                (Kind::Int { .. }, Val::Int(_))
                | (Kind::Float { .. }, Val::Float(_))
                | (Kind::Bool, Val::Bool(_))
                | (Kind::Name(_), Val::Name(_))
                | (Kind::List { .. } | Kind::Map { .. }, Val::Absent) => true,
                (_, Val::Absent) => f.optional,
                _ => false,
            };
            assert!(fits, "{}: {:?} read as {value:?}", f.path, f.kind);
            assert!(!f.label.is_empty(), "{} has no label", f.path);
            assert!(!f.doc.is_empty(), "{} has no documentation", f.path);
            if f.optional {
                assert!(!f.absent.is_empty(), "{}: what does absence mean?", f.path);
            }
        }
    }
    check(schema::SCENARIO, &Scenario::default());
    check(schema::BURST, &sim::Burst::default());
    check(schema::STEP, &sim::Step::default());
    check(schema::RESOURCE, &sim::Resource::default());
    // Every step field but the two that make a step what it is has a default.
    let cpu = sim::Step::cpu(1.0);
    let io = sim::Step::io(1.0, sim::Dist::Fixed, None);
    assert_eq!((schema::STEP[0].get)(&cpu), Val::Float(1.0));
    assert_eq!((schema::STEP[2].get)(&io), Val::Float(1.0));
}
