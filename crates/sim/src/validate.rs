//! Reading and checking scenarios. The JSON is walked by hand (not with `serde`'s derive)
//! so that one pass reports *every* problem at once: wrong types, unknown fields (with the
//! closest known name) and out-of-range values, each naming its field path, the value given
//! and what is allowed. Nothing here panics on any input.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{Map, Value};

use crate::decimal::shortest;
use crate::scenario::{
    Burst, CompletesVia, Dist, Endpoint, Limits, Load, LoadKind, Machine, Pool, Resource, Runtime,
    Scenario, Step, Style, Wait, SCENARIO_VERSION,
};

/// One problem with a scenario.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FieldError {
    /// The field's path, like `load.users` or `endpoint.steps[1].io_ms`.
    pub field: String,
    /// The value given, as JSON text (empty when the problem is a missing or whole document).
    pub value: String,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.value.is_empty() {
            write!(f, "{}: {}", self.field, self.message)
        } else {
            write!(f, "{} = {}: {}", self.field, self.value, self.message)
        }
    }
}

impl std::error::Error for FieldError {}

/// Longest value text quoted back in an error.
const VALUE_TEXT_MAX: usize = 60;

fn value_text(value: &Value) -> String {
    let mut text = value.to_string();
    if text.len() > VALUE_TEXT_MAX {
        let mut cut = VALUE_TEXT_MAX;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push('…');
    }
    text
}

/// Inclusive integer range of a field.
#[derive(Clone, Copy)]
struct IntRange(u64, u64);

/// Inclusive float range of a field.
#[derive(Clone, Copy)]
struct FloatRange(f64, f64);

// The allowed ranges, shared by the JSON walker and `Scenario::validate`.
const R_VERSION: IntRange = IntRange(SCENARIO_VERSION, SCENARIO_VERSION);
const R_SEED: IntRange = IntRange(0, u64::MAX);
const R_DURATION_MS: IntRange = IntRange(1, 86_400_000);
const R_WINDOW_MS: IntRange = IntRange(1, 3_600_000);
const R_CORES: IntRange = IntRange(1, 1_024);
const R_SWITCH_US: IntRange = IntRange(0, 100_000);
const R_SLICE_MS: IntRange = IntRange(1, 1_000);
const R_STACK_KB: IntRange = IntRange(4, 16_777_216);
/// The .NET maximum worker count on 64-bit (dotnet/runtime: `MaxPossibleThreadCount`).
pub const MAX_THREADS_LIMIT: u32 = 32_767;
const R_THREADS: IntRange = IntRange(1, MAX_THREADS_LIMIT as u64);
const R_IDLE_MS: IntRange = IntRange(1, 86_400_000);
const R_GATE_JITTER_MS: IntRange = IntRange(0, 100);
const R_WORK_ITEM_US: IntRange = IntRange(0, 1_000_000);
const R_QUEUE_LIMIT: IntRange = IntRange(0, 10_000_000);
const R_USERS: IntRange = IntRange(1, 100_000);
const R_THINK_MS: FloatRange = FloatRange(0.0, 3_600_000.0);
const R_RAMP_MS: IntRange = IntRange(0, 3_600_000);
const R_RETRY_MS: IntRange = IntRange(1, 3_600_000);
const R_RATE: FloatRange = FloatRange(0.001, 1_000_000.0);
const R_BURST_RATE: FloatRange = FloatRange(0.0, 1_000_000.0);
const R_BURST_START_MS: IntRange = IntRange(0, 86_400_000);
const R_BURST_LEN_MS: IntRange = IntRange(1, 86_400_000);
const BURSTS_MAX: usize = 64;
const R_TIMEOUT_MS: IntRange = IntRange(1, 86_400_000);
const R_ATTEMPTS: IntRange = IntRange(1, 10);
const R_POLL_MS: IntRange = IntRange(1, 60_000);
const R_SERVER_ITEMS: IntRange = IntRange(1, 4);
/// Most steps an endpoint program may have.
pub const STEPS_MAX: usize = 64;
const R_CPU_MS: FloatRange = FloatRange(0.0, 600_000.0);
const R_IO_MS: FloatRange = FloatRange(0.0, 3_600_000.0);
const R_SIGMA: FloatRange = FloatRange(0.0, 4.0);
const R_COMPLETE_SYNC: FloatRange = FloatRange(0.0, 1.0);
const RESOURCES_MAX: usize = 64;
const RESOURCE_NAME_MAX: usize = 64;
const R_CAPACITY: IntRange = IntRange(1, 1_000_000);
const R_IN_FLIGHT: IntRange = IntRange(1, 1_000_000);
const R_TRACE: IntRange = IntRange(0, 1_000_000);
const R_SAMPLES: IntRange = IntRange(0, 1_000_000);
const R_MAX_EVENTS: IntRange = IntRange(1, 10_000_000_000);

fn range_message(range: IntRange) -> String {
    if range.0 == range.1 {
        format!("must be {}", range.0)
    } else if range.1 == u64::MAX {
        format!("must be a whole number ≥ {}", range.0)
    } else {
        format!("must be between {} and {}", range.0, range.1)
    }
}

fn float_range_message(range: FloatRange) -> String {
    format!(
        "must be a number between {} and {}",
        shortest(range.0),
        shortest(range.1)
    )
}

/// Collects errors while walking or checking.
#[derive(Default)]
struct Errors {
    list: Vec<FieldError>,
}

impl Errors {
    fn push(&mut self, field: &str, value: String, message: String) {
        self.list.push(FieldError {
            field: field.to_owned(),
            value,
            message,
        });
    }

    fn check_int(&mut self, field: &str, value: u64, range: IntRange) {
        if value < range.0 || value > range.1 {
            self.push(field, value.to_string(), range_message(range));
        }
    }

    fn check_float(&mut self, field: &str, value: f64, range: FloatRange) {
        if !value.is_finite() || value < range.0 || value > range.1 {
            self.push(field, shortest(value), float_range_message(range));
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// Edit distance, for "did you mean" hints. Inputs are short field names.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

fn closest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    if name.chars().count() > 64 {
        return None;
    }
    let limit = (name.len() / 3).max(2);
    known
        .iter()
        .map(|k| (edit_distance(name, k), *k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// The JSON walker: reads typed values with defaults, recording every problem.
struct Walker {
    errors: Errors,
}

impl Walker {
    /// Returns the object at `value`, reporting a wrong type and any unknown keys.
    fn object<'v>(
        &mut self,
        path: &str,
        value: &'v Value,
        known: &[&str],
    ) -> Option<&'v Map<String, Value>> {
        let Some(map) = value.as_object() else {
            let field = if path.is_empty() { "(document)" } else { path };
            self.errors.push(
                field,
                value_text(value),
                "must be an object ({ ... })".to_owned(),
            );
            return None;
        };
        for key in map.keys() {
            if !known.contains(&key.as_str()) {
                let message = match closest(key, known) {
                    Some(guess) => format!("unknown field (did you mean \"{guess}\"?)"),
                    None => format!("unknown field (known fields: {})", known.join(", ")),
                };
                // An empty key is named as JSON writes it, so the field is never blank.
                let name = if key.is_empty() { "\"\"" } else { key.as_str() };
                self.errors.push(&join(path, name), String::new(), message);
            }
        }
        Some(map)
    }

    fn present<'v>(map: Option<&'v Map<String, Value>>, key: &str) -> Option<&'v Value> {
        map.and_then(|m| m.get(key)).filter(|v| !v.is_null())
    }

    fn int(
        &mut self,
        map: Option<&Map<String, Value>>,
        path: &str,
        key: &str,
        default: u64,
        range: IntRange,
    ) -> u64 {
        self.opt_int(map, path, key, range).unwrap_or(default)
    }

    fn opt_int(
        &mut self,
        map: Option<&Map<String, Value>>,
        path: &str,
        key: &str,
        range: IntRange,
    ) -> Option<u64> {
        let value = Self::present(map, key)?;
        let field = join(path, key);
        match value.as_u64() {
            Some(n) if n >= range.0 && n <= range.1 => Some(n),
            _ => {
                let what = if value.is_number() {
                    range_message(range)
                } else {
                    format!("must be a whole number; {}", range_message(range))
                };
                self.errors.push(&field, value_text(value), what);
                None
            }
        }
    }

    fn float(
        &mut self,
        map: Option<&Map<String, Value>>,
        path: &str,
        key: &str,
        default: f64,
        range: FloatRange,
    ) -> f64 {
        self.opt_float(map, path, key, range).unwrap_or(default)
    }

    fn opt_float(
        &mut self,
        map: Option<&Map<String, Value>>,
        path: &str,
        key: &str,
        range: FloatRange,
    ) -> Option<f64> {
        let value = Self::present(map, key)?;
        match value.as_f64() {
            Some(x) if x.is_finite() && x >= range.0 && x <= range.1 => Some(x),
            _ => {
                self.errors.push(
                    &join(path, key),
                    value_text(value),
                    float_range_message(range),
                );
                None
            }
        }
    }

    fn boolean(
        &mut self,
        map: Option<&Map<String, Value>>,
        path: &str,
        key: &str,
        default: bool,
    ) -> bool {
        let Some(value) = Self::present(map, key) else {
            return default;
        };
        match value.as_bool() {
            Some(b) => b,
            None => {
                self.errors.push(
                    &join(path, key),
                    value_text(value),
                    "must be true or false".to_owned(),
                );
                default
            }
        }
    }

    fn name<T>(
        &mut self,
        map: Option<&Map<String, Value>>,
        path: &str,
        key: &str,
        default: T,
        names: &[&str],
        from_name: fn(&str) -> Option<T>,
    ) -> T {
        let Some(value) = Self::present(map, key) else {
            return default;
        };
        if let Some(found) = value.as_str().and_then(from_name) {
            return found;
        }
        let choices = names
            .iter()
            .map(|n| format!("\"{n}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let hint = value
            .as_str()
            .and_then(|s| closest(s, names))
            .map(|g| format!(" (did you mean \"{g}\"?)"))
            .unwrap_or_default();
        self.errors.push(
            &join(path, key),
            value_text(value),
            format!("must be one of {choices}{hint}"),
        );
        default
    }

    fn scenario(&mut self, value: &Value) -> Scenario {
        let d = Scenario::default();
        let map = self.object(
            "",
            value,
            &[
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
            ],
        );
        if map.is_some() && Self::present(map, "version").is_none() {
            self.errors.push(
                "version",
                String::new(),
                format!("missing; must be {SCENARIO_VERSION}"),
            );
        }
        let version = self.int(map, "", "version", d.version, R_VERSION);
        let seed = self.int(map, "", "seed", d.seed, R_SEED);
        let duration_ms = self.int(map, "", "duration_ms", d.duration_ms, R_DURATION_MS);
        let sample_window_ms =
            self.int(map, "", "sample_window_ms", d.sample_window_ms, R_WINDOW_MS);
        let machine = match Self::present(map, "machine") {
            Some(v) => self.machine(v),
            None => d.machine,
        };
        let pool = match Self::present(map, "pool") {
            Some(v) => self.pool(v),
            None => d.pool,
        };
        let load = match Self::present(map, "load") {
            Some(v) => self.load(v),
            None => d.load,
        };
        let endpoint = match Self::present(map, "endpoint") {
            Some(v) => self.endpoint(v),
            None => d.endpoint,
        };
        let resources = match Self::present(map, "resources") {
            Some(v) => self.resources(v),
            None => d.resources,
        };
        let limits = match Self::present(map, "limits") {
            Some(v) => self.limits(v),
            None => d.limits,
        };
        Scenario {
            version,
            seed,
            duration_ms,
            sample_window_ms,
            machine,
            pool,
            load,
            endpoint,
            resources,
            limits,
        }
    }

    fn machine(&mut self, value: &Value) -> Machine {
        let d = Machine::default();
        let p = "machine";
        let map = self.object(
            p,
            value,
            &[
                "cores",
                "context_switch_us",
                "time_slice_ms",
                "stack_reserve_kb",
                "stack_commit_kb",
            ],
        );
        Machine {
            cores: self.int(map, p, "cores", d.cores.into(), R_CORES) as u32,
            context_switch_us: self.int(
                map,
                p,
                "context_switch_us",
                d.context_switch_us,
                R_SWITCH_US,
            ),
            time_slice_ms: self.int(map, p, "time_slice_ms", d.time_slice_ms, R_SLICE_MS),
            stack_reserve_kb: self.int(map, p, "stack_reserve_kb", d.stack_reserve_kb, R_STACK_KB),
            stack_commit_kb: self.int(map, p, "stack_commit_kb", d.stack_commit_kb, R_STACK_KB),
        }
    }

    fn pool(&mut self, value: &Value) -> Pool {
        let d = Pool::default();
        let p = "pool";
        let map = self.object(
            p,
            value,
            &[
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
            ],
        );
        Pool {
            min_threads: self
                .opt_int(map, p, "min_threads", R_THREADS)
                .map(|n| n as u32),
            max_threads: self.int(map, p, "max_threads", d.max_threads.into(), R_THREADS) as u32,
            starvation_injection: self.boolean(
                map,
                p,
                "starvation_injection",
                d.starvation_injection,
            ),
            cooperative_blocking: self.boolean(
                map,
                p,
                "cooperative_blocking",
                d.cooperative_blocking,
            ),
            hill_climbing: self.boolean(map, p, "hill_climbing", d.hill_climbing),
            synchronization_context: self.boolean(
                map,
                p,
                "synchronization_context",
                d.synchronization_context,
            ),
            idle_timeout_ms: self.int(map, p, "idle_timeout_ms", d.idle_timeout_ms, R_IDLE_MS),
            work_item_us: self.int(map, p, "work_item_us", d.work_item_us, R_WORK_ITEM_US),
            gate_jitter_ms: self.int(map, p, "gate_jitter_ms", d.gate_jitter_ms, R_GATE_JITTER_MS),
            runtime: self.name(
                map,
                p,
                "runtime",
                d.runtime,
                Runtime::NAMES,
                Runtime::from_name,
            ),
            queue_limit: self
                .opt_int(map, p, "queue_limit", R_QUEUE_LIMIT)
                .map(|n| n as u32),
        }
    }

    fn load(&mut self, value: &Value) -> Load {
        let d = Load::default();
        let p = "load";
        let map = self.object(
            p,
            value,
            &[
                "kind",
                "users",
                "think_ms",
                "think_dist",
                "ramp_ms",
                "retry_ms",
                "rate_per_s",
                "bursts",
                "timeout_ms",
                "attempt_timeout_ms",
                "attempts",
            ],
        );
        let kind = self.name(map, p, "kind", d.kind, &["closed", "open"], |s| match s {
            "closed" => Some(LoadKind::Closed),
            "open" => Some(LoadKind::Open),
            _ => None,
        });
        let mut bursts = Vec::new();
        if let Some(v) = Self::present(map, "bursts") {
            match v.as_array() {
                Some(list) if list.len() <= BURSTS_MAX => {
                    for (i, item) in list.iter().enumerate() {
                        bursts.push(self.burst(&format!("load.bursts[{i}]"), item));
                    }
                }
                Some(list) => self.errors.push(
                    "load.bursts",
                    format!("[{} items]", list.len()),
                    format!("at most {BURSTS_MAX} bursts"),
                ),
                None => self.errors.push(
                    "load.bursts",
                    value_text(v),
                    "must be a list of bursts".to_owned(),
                ),
            }
        }
        Load {
            kind,
            users: self.int(map, p, "users", d.users.into(), R_USERS) as u32,
            think_ms: self.float(map, p, "think_ms", d.think_ms, R_THINK_MS),
            think_dist: self.name(
                map,
                p,
                "think_dist",
                d.think_dist,
                Dist::NAMES,
                Dist::from_name,
            ),
            ramp_ms: self.int(map, p, "ramp_ms", d.ramp_ms, R_RAMP_MS),
            retry_ms: self.int(map, p, "retry_ms", d.retry_ms, R_RETRY_MS),
            rate_per_s: self.float(map, p, "rate_per_s", d.rate_per_s, R_RATE),
            bursts,
            timeout_ms: self.int(map, p, "timeout_ms", d.timeout_ms, R_TIMEOUT_MS),
            attempt_timeout_ms: self.opt_int(map, p, "attempt_timeout_ms", R_TIMEOUT_MS),
            attempts: self.int(map, p, "attempts", d.attempts.into(), R_ATTEMPTS) as u32,
        }
    }

    fn burst(&mut self, p: &str, value: &Value) -> Burst {
        let d = Burst::default();
        let map = self.object(p, value, &["start_ms", "duration_ms", "rate_per_s"]);
        Burst {
            start_ms: self.int(map, p, "start_ms", d.start_ms, R_BURST_START_MS),
            duration_ms: self.int(map, p, "duration_ms", d.duration_ms, R_BURST_LEN_MS),
            rate_per_s: self.float(map, p, "rate_per_s", d.rate_per_s, R_BURST_RATE),
        }
    }

    fn endpoint(&mut self, value: &Value) -> Endpoint {
        let d = Endpoint::default();
        let p = "endpoint";
        let map = self.object(
            p,
            value,
            &["style", "wait", "poll_ms", "server_items", "steps"],
        );
        let mut steps = d.steps.clone();
        if let Some(v) = Self::present(map, "steps") {
            match v.as_array() {
                Some(list) if !list.is_empty() && list.len() <= STEPS_MAX => {
                    steps = list
                        .iter()
                        .enumerate()
                        .map(|(i, item)| self.step(&format!("endpoint.steps[{i}]"), item))
                        .collect();
                }
                Some(list) => self.errors.push(
                    "endpoint.steps",
                    format!("[{} items]", list.len()),
                    format!("must have between 1 and {STEPS_MAX} steps"),
                ),
                None => self.errors.push(
                    "endpoint.steps",
                    value_text(v),
                    "must be a list of steps".to_owned(),
                ),
            }
        }
        Endpoint {
            style: self.name(map, p, "style", d.style, Style::NAMES, Style::from_name),
            wait: self.name(map, p, "wait", d.wait, Wait::NAMES, Wait::from_name),
            poll_ms: self.int(map, p, "poll_ms", d.poll_ms, R_POLL_MS),
            server_items: self.int(
                map,
                p,
                "server_items",
                d.server_items.into(),
                R_SERVER_ITEMS,
            ) as u32,
            steps,
        }
    }

    fn step(&mut self, p: &str, value: &Value) -> Step {
        let map = self.object(
            p,
            value,
            &[
                "cpu_ms",
                "task_run",
                "io_ms",
                "dist",
                "sigma",
                "resource",
                "complete_sync",
                "completes_via",
            ],
        );
        let resource = match Self::present(map, "resource") {
            None => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(v) => {
                self.errors.push(
                    &join(p, "resource"),
                    value_text(v),
                    "must be the name of a resource (a string)".to_owned(),
                );
                None
            }
        };
        Step {
            cpu_ms: self.opt_float(map, p, "cpu_ms", R_CPU_MS),
            task_run: self.boolean(map, p, "task_run", false),
            io_ms: self.opt_float(map, p, "io_ms", R_IO_MS),
            dist: self.name(map, p, "dist", Dist::Fixed, Dist::NAMES, Dist::from_name),
            sigma: self.opt_float(map, p, "sigma", R_SIGMA),
            resource,
            complete_sync: self.float(map, p, "complete_sync", 0.0, R_COMPLETE_SYNC),
            completes_via: self.name(
                map,
                p,
                "completes_via",
                CompletesVia::Socket,
                CompletesVia::NAMES,
                CompletesVia::from_name,
            ),
        }
    }

    fn resources(&mut self, value: &Value) -> BTreeMap<String, Resource> {
        let mut out = BTreeMap::new();
        let Some(map) = value.as_object() else {
            self.errors.push(
                "resources",
                value_text(value),
                "must be an object of named resources".to_owned(),
            );
            return out;
        };
        if map.len() > RESOURCES_MAX {
            self.errors.push(
                "resources",
                format!("{{{} entries}}", map.len()),
                format!("at most {RESOURCES_MAX} resources"),
            );
            return out;
        }
        for (name, v) in map {
            let p = format!("resources.{name}");
            let r = self.resource(&p, v);
            out.insert(name.clone(), r);
        }
        out
    }

    fn resource(&mut self, p: &str, value: &Value) -> Resource {
        let d = Resource::default();
        let map = self.object(p, value, &["capacity"]);
        Resource {
            capacity: self.int(map, p, "capacity", d.capacity.into(), R_CAPACITY) as u32,
        }
    }

    fn limits(&mut self, value: &Value) -> Limits {
        let d = Limits::default();
        let p = "limits";
        let map = self.object(
            p,
            value,
            &["max_in_flight", "trace_events", "samples", "max_events"],
        );
        Limits {
            max_in_flight: self.int(map, p, "max_in_flight", d.max_in_flight.into(), R_IN_FLIGHT)
                as u32,
            trace_events: self.int(map, p, "trace_events", d.trace_events.into(), R_TRACE) as u32,
            samples: self.int(map, p, "samples", d.samples.into(), R_SAMPLES) as u32,
            max_events: self.int(map, p, "max_events", d.max_events, R_MAX_EVENTS),
        }
    }
}

/// Parses scenario JSON, filling defaults for missing fields and reporting every problem.
pub fn parse_scenario(text: &str) -> Result<Scenario, Vec<FieldError>> {
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            return Err(vec![FieldError {
                field: "(document)".to_owned(),
                value: String::new(),
                message: format!("not valid JSON: {e}"),
            }])
        }
    };
    let mut walker = Walker {
        errors: Errors::default(),
    };
    let scenario = walker.scenario(&value);
    // Ranges were checked while walking; only the checks that relate fields remain.
    check_relations(&scenario, &mut walker.errors);
    if walker.errors.list.is_empty() {
        Ok(scenario)
    } else {
        Err(walker.errors.list)
    }
}

fn check_ranges(s: &Scenario, e: &mut Errors) {
    e.check_int("version", s.version, R_VERSION);
    e.check_int("seed", s.seed, R_SEED);
    e.check_int("duration_ms", s.duration_ms, R_DURATION_MS);
    e.check_int("sample_window_ms", s.sample_window_ms, R_WINDOW_MS);
    let m = &s.machine;
    e.check_int("machine.cores", m.cores.into(), R_CORES);
    e.check_int(
        "machine.context_switch_us",
        m.context_switch_us,
        R_SWITCH_US,
    );
    e.check_int("machine.time_slice_ms", m.time_slice_ms, R_SLICE_MS);
    e.check_int("machine.stack_reserve_kb", m.stack_reserve_kb, R_STACK_KB);
    e.check_int("machine.stack_commit_kb", m.stack_commit_kb, R_STACK_KB);
    let p = &s.pool;
    if let Some(min) = p.min_threads {
        e.check_int("pool.min_threads", min.into(), R_THREADS);
    }
    e.check_int("pool.max_threads", p.max_threads.into(), R_THREADS);
    e.check_int("pool.idle_timeout_ms", p.idle_timeout_ms, R_IDLE_MS);
    e.check_int("pool.gate_jitter_ms", p.gate_jitter_ms, R_GATE_JITTER_MS);
    e.check_int("pool.work_item_us", p.work_item_us, R_WORK_ITEM_US);
    if let Some(limit) = p.queue_limit {
        e.check_int("pool.queue_limit", limit.into(), R_QUEUE_LIMIT);
    }
    let l = &s.load;
    e.check_int("load.users", l.users.into(), R_USERS);
    e.check_float("load.think_ms", l.think_ms, R_THINK_MS);
    e.check_int("load.ramp_ms", l.ramp_ms, R_RAMP_MS);
    e.check_int("load.retry_ms", l.retry_ms, R_RETRY_MS);
    e.check_float("load.rate_per_s", l.rate_per_s, R_RATE);
    if l.bursts.len() > BURSTS_MAX {
        e.push(
            "load.bursts",
            format!("[{} items]", l.bursts.len()),
            format!("at most {BURSTS_MAX} bursts"),
        );
    }
    for (i, b) in l.bursts.iter().enumerate() {
        let p = format!("load.bursts[{i}]");
        e.check_int(&join(&p, "start_ms"), b.start_ms, R_BURST_START_MS);
        e.check_int(&join(&p, "duration_ms"), b.duration_ms, R_BURST_LEN_MS);
        e.check_float(&join(&p, "rate_per_s"), b.rate_per_s, R_BURST_RATE);
    }
    e.check_int("load.timeout_ms", l.timeout_ms, R_TIMEOUT_MS);
    if let Some(ms) = l.attempt_timeout_ms {
        e.check_int("load.attempt_timeout_ms", ms, R_TIMEOUT_MS);
    }
    e.check_int("load.attempts", l.attempts.into(), R_ATTEMPTS);
    e.check_int("endpoint.poll_ms", s.endpoint.poll_ms, R_POLL_MS);
    e.check_int(
        "endpoint.server_items",
        s.endpoint.server_items.into(),
        R_SERVER_ITEMS,
    );
    let n_steps = s.endpoint.steps.len();
    if n_steps == 0 || n_steps > STEPS_MAX {
        e.push(
            "endpoint.steps",
            format!("[{n_steps} items]"),
            format!("must have between 1 and {STEPS_MAX} steps"),
        );
    }
    for (i, step) in s.endpoint.steps.iter().enumerate() {
        let p = format!("endpoint.steps[{i}]");
        if let Some(ms) = step.cpu_ms {
            e.check_float(&join(&p, "cpu_ms"), ms, R_CPU_MS);
        }
        if let Some(ms) = step.io_ms {
            e.check_float(&join(&p, "io_ms"), ms, R_IO_MS);
        }
        if let Some(sigma) = step.sigma {
            e.check_float(&join(&p, "sigma"), sigma, R_SIGMA);
        }
        e.check_float(
            &join(&p, "complete_sync"),
            step.complete_sync,
            R_COMPLETE_SYNC,
        );
    }
    if s.resources.len() > RESOURCES_MAX {
        e.push(
            "resources",
            format!("{{{} entries}}", s.resources.len()),
            format!("at most {RESOURCES_MAX} resources"),
        );
    }
    for (name, r) in &s.resources {
        e.check_int(
            &format!("resources.{name}.capacity"),
            r.capacity.into(),
            R_CAPACITY,
        );
    }
    let lim = &s.limits;
    e.check_int(
        "limits.max_in_flight",
        lim.max_in_flight.into(),
        R_IN_FLIGHT,
    );
    e.check_int("limits.trace_events", lim.trace_events.into(), R_TRACE);
    e.check_int("limits.samples", lim.samples.into(), R_SAMPLES);
    e.check_int("limits.max_events", lim.max_events, R_MAX_EVENTS);
}

fn check_relations(s: &Scenario, e: &mut Errors) {
    let m = &s.machine;
    if m.stack_commit_kb > m.stack_reserve_kb {
        e.push(
            "machine.stack_commit_kb",
            m.stack_commit_kb.to_string(),
            format!(
                "must not exceed machine.stack_reserve_kb ({})",
                m.stack_reserve_kb
            ),
        );
    }
    if let Some(min) = s.pool.min_threads {
        if min > s.pool.max_threads {
            e.push(
                "pool.min_threads",
                min.to_string(),
                format!("must not exceed pool.max_threads ({})", s.pool.max_threads),
            );
        }
    } else if m.cores > s.pool.max_threads {
        e.push(
            "pool.max_threads",
            s.pool.max_threads.to_string(),
            format!(
                "must be at least pool.min_threads, which defaults to machine.cores ({})",
                m.cores
            ),
        );
    }
    for name in s.resources.keys() {
        if name.is_empty() || name.chars().count() > RESOURCE_NAME_MAX {
            e.push(
                "resources",
                format!("\"{name}\""),
                format!("resource names must have 1 to {RESOURCE_NAME_MAX} characters"),
            );
        }
    }
    if s.load.kind == crate::scenario::LoadKind::Closed
        && crate::time::ms_to_us(s.load.think_ms) == 0
        && s.pool.work_item_us == 0
        && s.endpoint.steps.iter().all(|step| {
            // A call that always completes synchronously takes no time whatever its io_ms.
            let io_us = if step.complete_sync >= 1.0 {
                0
            } else {
                crate::time::ms_to_us(step.io_ms.unwrap_or(0.0))
            };
            crate::time::ms_to_us(step.cpu_ms.unwrap_or(0.0)) == 0 && io_us == 0
        })
    {
        // Every request would take zero time and every user would send the next one at
        // once: the clock could never move.
        e.push(
            "endpoint.steps",
            String::new(),
            "every step costs 0 µs (an I/O step with complete_sync = 1 never waits), pool.work_item_us is 0 and load.think_ms is 0: closed-loop users would send requests endlessly at one instant; give a step some cost or set load.think_ms above 0".to_owned(),
        );
    }
    let names: Vec<&str> = s.resources.keys().map(String::as_str).collect();
    for (i, step) in s.endpoint.steps.iter().enumerate() {
        let p = format!("endpoint.steps[{i}]");
        match (step.cpu_ms, step.io_ms) {
            (Some(_), Some(_)) => e.push(
                &p,
                String::new(),
                "has both cpu_ms and io_ms; a step is either CPU work or an I/O call".to_owned(),
            ),
            (None, None) => e.push(
                &p,
                String::new(),
                "needs cpu_ms (CPU work) or io_ms (an I/O call)".to_owned(),
            ),
            (Some(_), None) => {
                if step.dist != Dist::Fixed
                    || step.sigma.is_some()
                    || step.resource.is_some()
                    || step.complete_sync != 0.0
                {
                    e.push(
                        &p,
                        String::new(),
                        "dist, sigma, resource and complete_sync belong to I/O steps (io_ms), not CPU steps"
                            .to_owned(),
                    );
                }
            }
            (None, Some(_)) => {
                if step.task_run {
                    e.push(
                        &join(&p, "task_run"),
                        "true".to_owned(),
                        "applies to CPU steps; to wrap I/O in Task.Run use endpoint.style = \"task_run_wrap\"".to_owned(),
                    );
                }
            }
        }
        if let Some(res) = &step.resource {
            if !s.resources.contains_key(res) {
                let hint = closest(res, &names)
                    .map(|g| format!(" (did you mean \"{g}\"?)"))
                    .unwrap_or_default();
                e.push(
                    &join(&p, "resource"),
                    format!("\"{res}\""),
                    format!("is not a key of resources{hint}"),
                );
            }
        }
    }
}

impl Scenario {
    /// Checks every range and relation; returns every problem at once.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Errors::default();
        check_ranges(self, &mut errors);
        check_relations(self, &mut errors);
        if errors.list.is_empty() {
            Ok(())
        } else {
            Err(errors.list)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_and_suggestion() {
        assert_eq!(edit_distance("usres", "users"), 2);
        assert_eq!(closest("usres", &["users", "kind"]), Some("users"));
        assert_eq!(closest("zzzzzz", &["users", "kind"]), None);
    }

    #[test]
    fn an_empty_key_is_named_as_json_writes_it() {
        // Found by the parser's property test: the field of such an error was blank.
        let err = parse_scenario(r#"{ "version": 1, "": 1, "machine": { "": 2 } }"#)
            .expect_err("unknown keys");
        let fields: Vec<&str> = err.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["\"\"", "machine.\"\""]);
    }
}
