//! What the page saves and reads back (issue 6): the metrics as CSV, the trace and the
//! scenario as JSON, and a scenario file read back with every problem named. Pure and tested
//! natively; `download.rs` hands the text to the browser.
//!
//! Everything here is written by hand rather than with serde_json's serializer: the bundle
//! only pays for the few small writers below, while the serializer would bring a generic
//! copy of itself for every type it writes. The scenario is written by the engine's own
//! writer ([`sim::write`]).

use sim::{Sample, Scenario, TraceEvent};

use crate::view::format::field_problems;

/// Largest scenario file [`import_scenario`] reads, in bytes. The biggest valid scenario
/// (64 resources, 64 bursts, every step the engine allows) is far smaller, so anything
/// larger is a wrong file, and refusing it early keeps a stray multi-megabyte pick from
/// stalling the page.
pub const IMPORT_BYTES_MAX: usize = 256 * 1024;
/// Longest name part of a file name from [`file_stem`], in characters.
const SLUG_CHARS_MAX: usize = 40;

/// The columns of [`metrics_csv`], exactly `Sample`'s field names in their order.
pub const SAMPLE_COLUMNS: [&str; 28] = [
    "time_ms",
    "threads",
    "thread_goal",
    "threads_idle",
    "threads_ready",
    "threads_running",
    "threads_blocked",
    "queue_len",
    "in_flight",
    "tasks_pending",
    "io_in_flight",
    "completed",
    "throughput_rps",
    "latency_ms_p50",
    "latency_ms_p95",
    "latency_ms_p99",
    "failed",
    "rejected",
    "cpu_useful_pct",
    "cpu_switching_pct",
    "context_switches_per_s",
    "memory_reserved_mb",
    "memory_committed_mb",
    "work_items",
    "injected",
    "retired",
    "hill_climbing_raised",
    "hill_climbing_lowered",
];

/// One CSV cell: a count or a measurement.
#[derive(Clone, Copy)]
enum Cell {
    Count(u64),
    Measure(f64),
}

/// A sample's cells in [`SAMPLE_COLUMNS`] order. The array's length is the columns', so the
/// compiler catches a column without a cell; a test catches two swapped.
fn sample_cells(s: &Sample) -> [Cell; 28] {
    use Cell::{Count as C, Measure as M};
    let n = u64::from;
    [
        C(s.time_ms),
        C(n(s.threads)),
        C(n(s.thread_goal)),
        C(n(s.threads_idle)),
        C(n(s.threads_ready)),
        C(n(s.threads_running)),
        C(n(s.threads_blocked)),
        C(n(s.queue_len)),
        C(n(s.in_flight)),
        C(n(s.tasks_pending)),
        C(n(s.io_in_flight)),
        C(n(s.completed)),
        M(s.throughput_rps),
        M(s.latency_ms_p50),
        M(s.latency_ms_p95),
        M(s.latency_ms_p99),
        C(n(s.failed)),
        C(n(s.rejected)),
        M(s.cpu_useful_pct),
        M(s.cpu_switching_pct),
        M(s.context_switches_per_s),
        M(s.memory_reserved_mb),
        M(s.memory_committed_mb),
        C(n(s.work_items)),
        C(n(s.injected)),
        C(n(s.retired)),
        C(n(s.hill_climbing_raised)),
        C(n(s.hill_climbing_lowered)),
    ]
}

/// Appends a whole number in decimal, without the formatting machinery.
fn push_u64(out: &mut String, mut value: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    for &d in &digits[at..] {
        out.push(char::from(d));
    }
}

/// Appends `x` rounded to at most three decimals, in plain decimal (no exponent, trailing
/// zeros dropped); nothing for NaN or an infinity, which spreadsheets read as an empty cell.
fn push_f64(out: &mut String, x: f64) {
    if !x.is_finite() {
        return;
    }
    let thousandths = (x.abs() * 1000.0).round();
    // Below 10^18 thousandths the count fits a u64 exactly enough to split in integer
    // arithmetic; above it an f64 has no fraction digits left to show.
    if thousandths >= 1e18 {
        // Plain decimal, never an exponent, as `format!("{}")` writes it (without the
        // standard library's float formatting, which the bundle leaves out).
        out.push_str(&sim::decimal::shortest(x.round()));
        return;
    }
    let thousandths = thousandths as u64;
    if x < 0.0 && thousandths > 0 {
        out.push('-');
    }
    push_u64(out, thousandths / 1000);
    let mut frac = thousandths % 1000;
    if frac > 0 {
        out.push('.');
        let mut place = 100;
        while frac > 0 {
            out.push(char::from(b'0' + (frac / place) as u8));
            frac %= place;
            place /= 10;
        }
    }
}

/// The samples as CSV (RFC 4180, `\r\n` line ends): a header of `Sample`'s field names (each
/// ends in its unit, as `latency_ms_p99`), then one row per sample. No cell needs quoting:
/// they are all names or numbers.
pub fn metrics_csv(samples: &[Sample]) -> String {
    let mut out = String::with_capacity(64 * (samples.len() + 1) * 4);
    for (i, name) in SAMPLE_COLUMNS.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(name);
    }
    out.push_str("\r\n");
    for sample in samples {
        for (i, cell) in sample_cells(sample).into_iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            match cell {
                Cell::Count(n) => push_u64(&mut out, n),
                Cell::Measure(x) => push_f64(&mut out, x),
            }
        }
        out.push_str("\r\n");
    }
    out
}

/// Appends `,"key":value` for a number that is there; nothing for one that is not, as the
/// engine's own serde form leaves absent options out.
fn push_opt(out: &mut String, key: &str, value: Option<u64>) {
    if let Some(v) = value {
        out.push_str(",\"");
        out.push_str(key);
        out.push_str("\":");
        push_u64(out, v);
    }
}

/// The trace kept by a run as a JSON file: the scenario that made it (so the file alone
/// replays the run), how many earlier events the bounded buffer dropped, and the events,
/// one a line so the file reads in a text editor and diffs line by line.
pub fn trace_json(scenario: &Scenario, events: &[TraceEvent], dropped: u64) -> String {
    let mut out = String::with_capacity(2048 + events.len() * 80);
    out.push_str("{\"format\":\"await-lab-trace\",\"version\":1,\"seed\":");
    push_u64(&mut out, scenario.seed);
    out.push_str(",\"dropped\":");
    push_u64(&mut out, dropped);
    out.push_str(",\"scenario\":");
    out.push_str(&scenario.to_json_as(sim::JsonForm::COMPACT));
    out.push_str(",\"events\":[");
    for (i, e) in events.iter().enumerate() {
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        out.push_str("{\"index\":");
        push_u64(&mut out, e.index);
        out.push_str(",\"time_us\":");
        push_u64(&mut out, e.time_us);
        out.push_str(",\"kind\":\"");
        out.push_str(e.kind.name());
        out.push('"');
        push_opt(&mut out, "thread", e.thread.map(u64::from));
        push_opt(&mut out, "request", e.request);
        push_opt(&mut out, "task", e.task);
        out.push('}');
    }
    out.push_str("\n]}\n");
    out
}

/// The scenario as a file to save: indented JSON of every field, with a final newline.
pub fn scenario_file(scenario: &Scenario) -> String {
    let mut out = scenario.to_json();
    out.push('\n');
    out
}

/// Why a file of `bytes` bytes is not read: its size and the limit. `download.rs` says the
/// same before reading a file, so both checks speak alike.
pub fn too_big_message(bytes: u64) -> String {
    format!(
        "The file is {bytes} bytes; a scenario file may have at most {IMPORT_BYTES_MAX} bytes \
         (256 KiB)."
    )
}

/// Reads a scenario file: the scenario, or one sentence per problem, each naming the field
/// (`pool.max_threads`), the value given where the engine reports one, and what is allowed.
/// Never panics, whatever the text.
pub fn import_scenario(text: &str) -> Result<Scenario, Vec<String>> {
    if text.len() > IMPORT_BYTES_MAX {
        return Err(vec![too_big_message(text.len() as u64)]);
    }
    // Editors on Windows often start a UTF-8 file with a byte-order mark, which JSON forbids.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    sim::parse_scenario(text).map_err(|list| {
        field_problems(&list, "The scenario file", "", |value, message| {
            format!("The file is not a scenario{value}: {message}.")
        })
    })
}

/// A file name without extension for a run: `await-lab-<name>-seed-<seed>`, the name cut
/// down to lowercase ASCII letters and digits joined by single dashes (`Task.Run around
/// blocking I/O` becomes `task-run-around-blocking-i-o`). ASCII by hand: `to_lowercase`
/// would bring Unicode's case tables into the bundle.
pub fn file_stem(name: &str, seed: u64) -> String {
    let mut out = String::from("await-lab-");
    let start = out.len();
    let mut dash = false;
    for b in name.bytes() {
        if !b.is_ascii_alphanumeric() {
            dash = true;
            continue;
        }
        let dash_now = dash && out.len() > start;
        if out.len() - start + usize::from(dash_now) >= SLUG_CHARS_MAX {
            break;
        }
        if dash_now {
            out.push('-');
        }
        dash = false;
        out.push(char::from(b.to_ascii_lowercase()));
    }
    if out.len() == start {
        out.push_str("scenario");
    }
    out.push_str("-seed-");
    push_u64(&mut out, seed);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::curriculum::presets::{self, PRESETS};
    use serde_json::Value;

    use crate::test_support::{every_scenario as all_scenarios, Rng};

    /// A short run of `scenario` with a small trace buffer, so some events are dropped.
    fn short_run(mut scenario: Scenario, duration_ms: u64) -> sim::Sim {
        scenario.duration_ms = duration_ms;
        scenario.limits.trace_events = 3_000;
        let mut sim = sim::Sim::new(scenario).unwrap();
        sim.run_to_end();
        sim
    }

    fn json_keys(value: &Value) -> Vec<String> {
        let mut keys: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        keys
    }

    /// The CSV split into cells, after checking every line ends in `\r\n`.
    fn csv_cells(csv: &str) -> Vec<Vec<&str>> {
        assert!(csv.ends_with("\r\n"));
        let body = &csv[..csv.len() - 2];
        assert!(!body.replace("\r\n", "").contains(['\r', '\n']));
        body.split("\r\n").map(|l| l.split(',').collect()).collect()
    }

    /// `x` as the CSV should show it: rounded to thousandths.
    fn rounded(x: f64) -> f64 {
        (x * 1000.0).round() / 1000.0
    }

    #[test]
    fn export_metrics_csv_has_every_field_and_round_trips() {
        let sim = short_run(presets::scenario(&PRESETS[0]), 5_000);
        let samples = sim.samples();
        assert!(samples.len() >= 10);
        let csv = metrics_csv(samples);
        let rows = csv_cells(&csv);
        assert_eq!(rows.len(), samples.len() + 1);

        let mut header: Vec<String> = rows[0].iter().map(|s| s.to_string()).collect();
        header.sort();
        assert_eq!(
            header,
            json_keys(&serde_json::to_value(&samples[0]).unwrap())
        );

        for (row, sample) in rows[1..].iter().zip(samples) {
            assert_eq!(row.len(), SAMPLE_COLUMNS.len());
            let json = serde_json::to_value(sample).unwrap();
            for (name, cell) in SAMPLE_COLUMNS.iter().zip(row) {
                let want = json[name].as_f64().unwrap();
                let got: f64 = cell.parse().unwrap_or_else(|_| panic!("{name}={cell:?}"));
                assert_eq!(got, rounded(want), "{name}");
                assert!(!cell.contains(['e', 'E']), "{name}={cell}");
            }
        }

        // Every field a different value, so two swapped columns cannot both read right.
        let mut json = serde_json::to_value(&samples[0]).unwrap();
        for (i, name) in SAMPLE_COLUMNS.iter().enumerate() {
            let v = &mut json[name];
            *v = if v.is_u64() {
                Value::from(1000 + i as u64)
            } else {
                Value::from(i as f64 + 0.125)
            };
        }
        let sample: Sample = serde_json::from_value(json.clone()).unwrap();
        let csv = metrics_csv(std::slice::from_ref(&sample));
        let rows = csv_cells(&csv);
        for (name, cell) in rows[0].iter().zip(&rows[1]) {
            assert_eq!(cell.parse::<f64>().unwrap(), json[name].as_f64().unwrap());
        }
        assert_eq!(metrics_csv(&[]).matches("\r\n").count(), 1);
    }

    #[test]
    fn export_numbers_are_plain_decimals() {
        let cell = |x: f64| {
            let mut out = String::new();
            push_f64(&mut out, x);
            out
        };
        assert_eq!(cell(0.0), "0");
        assert_eq!(cell(-0.0), "0");
        assert_eq!(cell(-0.0001), "0");
        assert_eq!(cell(1.5), "1.5");
        assert_eq!(cell(0.1 + 0.2), "0.3");
        assert_eq!(cell(2.0005), "2.001");
        assert_eq!(cell(12.3456), "12.346");
        assert_eq!(cell(0.05), "0.05");
        assert_eq!(cell(0.007), "0.007");
        assert_eq!(cell(-3.25), "-3.25");
        assert_eq!(cell(1e-9), "0");
        assert_eq!(cell(123_456_789.012), "123456789.012");
        assert_eq!(cell(1e20), "100000000000000000000");
        assert_eq!(cell(-1e300).len(), 302);
        assert_eq!(cell(f64::NAN), "");
        assert_eq!(cell(f64::INFINITY), "");
        assert_eq!(cell(f64::NEG_INFINITY), "");
        let whole = |n: u64| {
            let mut out = String::new();
            push_u64(&mut out, n);
            out
        };
        assert_eq!(whole(0), "0");
        assert_eq!(whole(10), "10");
        assert_eq!(whole(u64::MAX), u64::MAX.to_string());
    }

    #[test]
    fn export_trace_json_parses_back_to_the_same_events() {
        let mut checked = 0;
        for (name, scenario) in all_scenarios().into_iter().take(8) {
            let sim = short_run(scenario, 2_000);
            let events: Vec<TraceEvent> = sim.trace().iter().copied().collect();
            let dropped = sim.trace_total() - events.len() as u64;
            let text = trace_json(sim.scenario(), &events, dropped);
            let value: Value = serde_json::from_str(&text).expect(&name);
            assert_eq!(value["format"], "await-lab-trace");
            assert_eq!(value["version"], 1);
            assert_eq!(value["seed"], sim.scenario().seed);
            assert_eq!(value["dropped"], dropped);
            let back: Vec<TraceEvent> =
                serde_json::from_value(value["events"].clone()).expect(&name);
            assert_eq!(back, events, "{name}");
            // The events are byte for byte what serde writes, one a line.
            let lines: Vec<&str> = text.lines().collect();
            assert_eq!(lines.len(), events.len() + 2, "{name}");
            for (line, e) in lines[1..].iter().zip(&events) {
                let line = line.trim_end_matches(',');
                assert_eq!(line, serde_json::to_string(e).unwrap());
            }
            let scenario = sim::parse_scenario(&value["scenario"].to_string()).unwrap();
            assert_eq!(&scenario, sim.scenario(), "{name}");
            checked += usize::from(dropped > 0);
        }
        assert!(checked > 0, "no run dropped trace events");

        let empty: Value = serde_json::from_str(&trace_json(&Scenario::default(), &[], 0)).unwrap();
        assert_eq!(empty["events"], Value::Array(Vec::new()));
    }

    #[test]
    fn export_scenario_file_reads_back_for_every_preset_and_lesson() {
        for (name, s) in all_scenarios() {
            let file = scenario_file(&s);
            assert!(file.ends_with("}\n"), "{name}");
            assert_eq!(sim::parse_scenario(&file), Ok(s.clone()), "{name}");
            assert_eq!(import_scenario(&file), Ok(s), "{name}");
        }
    }

    #[test]
    fn export_import_names_every_problem() {
        let big = " ".repeat(IMPORT_BYTES_MAX + 1);
        assert_eq!(
            import_scenario(&big),
            Err(vec![
                "The file is 262145 bytes; a scenario file may have at most 262144 bytes \
                 (256 KiB)."
                    .to_owned()
            ])
        );
        let file = scenario_file(&presets::scenario(&PRESETS[0]));
        assert!(import_scenario(&format!("\u{feff}{file}")).is_ok());

        let check = |text: &str, want: &[&str]| {
            assert_eq!(
                import_scenario(text),
                Err(want.iter().map(|s| s.to_string()).collect()),
                "{text}"
            );
        };
        check(
            r#"{"version":1,"pool":{"max_threads":0}}"#,
            &["The scenario file has a bad field: pool.max_threads = \"0\": must be between 1 and 32767."],
        );
        check(
            r#"{"version":1,"load":{"kind":"shut\u0007"},"machine":{"corse":4}}"#,
            &[
                "The scenario file has a bad field: machine.corse: unknown field (did you mean \"cores\"?).",
                "The scenario file has a bad field: load.kind = \"shut\\u0007\": must be one of \"closed\", \"open\".",
            ],
        );
        check(
            "{\"version\":1,",
            &["The file is not a scenario: not valid JSON: EOF while parsing a value at line 1 column 13."],
        );
        check(
            "[1]",
            &["The file is not a scenario = \"[1]\": must be an object ({ ... })."],
        );
        // A long value is cut to crate::view::format::QUOTE_CHARS_MAX characters, inside one pair of quotes.
        for (value, shown) in [
            (
                format!("\"{}\"", "9".repeat(100)),
                "9".repeat(crate::view::format::QUOTE_CHARS_MAX),
            ),
            (
                format!("[{}1]", "1,".repeat(50)),
                format!("[{}", "1,".repeat(19)) + "1",
            ),
        ] {
            let text = format!(r#"{{"version":1,"load":{{"users":{value}}}}}"#);
            let errors = import_scenario(&text).unwrap_err();
            let cut = format!(" = \"{shown}…\": ");
            assert!(errors[0].contains(&cut), "{errors:?}");
        }

        let many: String = (0..30).map(|i| format!(",\"x{i}\":1")).collect();
        let errors = import_scenario(&format!("{{\"version\":1{many}}}")).unwrap_err();
        assert_eq!(errors.len(), crate::view::format::FIELD_ERRORS_MAX + 1);
        assert_eq!(
            errors[crate::view::format::FIELD_ERRORS_MAX],
            "The scenario file has 20 more bad fields."
        );
    }

    /// Every message is short, free of control characters, and a sentence.
    fn import_one(text: &str) {
        if let Err(errors) = import_scenario(text) {
            assert!(!errors.is_empty());
            assert!(errors.len() <= crate::view::format::FIELD_ERRORS_MAX + 1);
            for e in &errors {
                assert!(e.chars().count() <= 400, "{e}");
                assert!(!e.chars().any(char::is_control), "{e:?}");
                assert!(e.starts_with("The ") && e.ends_with('.'), "{e}");
            }
        }
    }

    #[test]
    fn export_no_input_panics_the_import() {
        let mut rng = Rng(0x1a9_0e7);
        let files: Vec<String> = all_scenarios()
            .iter()
            .flat_map(|(_, s)| [scenario_file(s), s.to_json_as(sim::JsonForm::COMPACT)])
            .collect();
        let fragments = [
            "",
            "\"",
            "\\",
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            "null",
            "-1",
            "1e999",
            "-0",
            "1.5",
            "18446744073709551616",
            "\"\u{0}\"",
            "\u{feff}",
            "é",
            "\"x\":",
            "{\"a\":[]}",
            "NaN",
            "true",
        ];
        let mut count = 0;
        for round in 0..4_000usize {
            // Random bytes, read as text.
            let len = rng.below(200);
            let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            import_one(&String::from_utf8_lossy(&bytes));
            // A preset's file with a few bytes changed, dropped or a fragment inserted.
            let mut text = files[round % files.len()].clone().into_bytes();
            for _ in 0..1 + rng.below(3) {
                let at = rng.below(text.len());
                match rng.below(3) {
                    0 => text[at] = rng.next() as u8,
                    1 => {
                        text.remove(at);
                    }
                    _ => {
                        let f = fragments[rng.below(fragments.len())];
                        text.splice(at..at, f.bytes());
                    }
                }
            }
            import_one(&String::from_utf8_lossy(&text));
            // A preset's file cut short.
            let file = &files[round % files.len()];
            let cut = rng.below(file.len());
            import_one(file.get(..cut).unwrap_or(""));
            count += 3;
        }
        import_one(&"[".repeat(IMPORT_BYTES_MAX));
        import_one(&"{\"a\":".repeat(50_000));
        eprintln!("{count} inputs imported");
    }

    #[test]
    fn export_file_stems_are_ascii_slugs() {
        assert_eq!(
            file_stem("Blocking I/O", 42),
            "await-lab-blocking-i-o-seed-42"
        );
        assert_eq!(
            file_stem("Task.Run around blocking I/O", 7),
            "await-lab-task-run-around-blocking-i-o-seed-7"
        );
        assert_eq!(
            file_stem("  .Result (sync over async)!! ", 0),
            "await-lab-result-sync-over-async-seed-0"
        );
        assert_eq!(file_stem("Ünïcödé ÄÖ", 1), "await-lab-n-c-d-seed-1");
        assert_eq!(
            file_stem("", u64::MAX),
            format!("await-lab-scenario-seed-{}", u64::MAX)
        );
        assert_eq!(file_stem("日本", 3), "await-lab-scenario-seed-3");
        let long = file_stem(&"ab ".repeat(100), 1);
        assert!(long.len() <= "await-lab-".len() + SLUG_CHARS_MAX + "-seed-1".len());
        for p in PRESETS {
            let stem = file_stem(p.name, 42);
            assert!(stem
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
            assert!(!stem.contains("--"), "{stem}");
        }
    }
}
