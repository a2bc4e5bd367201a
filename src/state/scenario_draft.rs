//! The scenario editor's model, kept apart from the component so it is tested natively.
//!
//! A [`Draft`] holds every field of a scenario as the text the reader typed, so a half-typed
//! value such as `1e` is kept and reported rather than lost. [`check`] turns the draft into
//! scenario JSON, asks the engine's own parser ([`sim::parse_scenario`]) to read it, and maps
//! each [`FieldError`] back to the place in the form where it belongs. The editor never
//! decides whether a value is allowed: the engine does, with its own messages.
//!
//! Places in the form are named by *slots*. A slot is the engine's field path (`load.users`,
//! `endpoint.steps[1].io_ms`, `load.bursts[0].rate_per_s`), except for resources, whose
//! engine path carries the name being edited (`resources.db.capacity`); their slots use the
//! row instead (`resources[0].name`, `resources[0].capacity`), so renaming one does not
//! move its messages.

use sim::{Dist, FieldError, LoadKind, Scenario, Style, Wait};

/// How a field's text becomes JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A whole number; empty text is sent as `""` so the engine reports it.
    Int,
    /// A whole number that may be left out: empty text means "absent".
    OptInt,
    /// A number; empty text is sent as `""` so the engine reports it.
    Float,
    /// A number that may be left out: empty text means "absent".
    OptFloat,
    /// `true` or `false`, shown as a checkbox.
    Flag,
    /// One of the names, shown as a `<select>`.
    Name(&'static [(&'static str, &'static str)]),
}

/// One scalar field of the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldSpec {
    /// Its slot (for fixed fields, the engine's path; for list rows, the key in the row).
    pub path: &'static str,
    /// The visible label.
    pub label: &'static str,
    /// The unit, shown after the label; empty for none.
    pub unit: &'static str,
    pub kind: Kind,
    /// What an empty optional field means, shown as the placeholder.
    pub empty: &'static str,
}

const fn field(
    path: &'static str,
    label: &'static str,
    unit: &'static str,
    kind: Kind,
) -> FieldSpec {
    FieldSpec {
        path,
        label,
        unit,
        kind,
        empty: "",
    }
}

/// Load kinds: (scenario name, words shown).
pub const LOAD_KINDS: &[(&str, &str)] = &[
    ("closed", "closed: a fixed number of users"),
    ("open", "open: requests arrive at a rate"),
];
/// Latency distributions.
pub const DISTS: &[(&str, &str)] = &[
    ("fixed", "fixed"),
    ("exponential", "exponential"),
    ("lognormal", "log-normal"),
];
/// How an I/O step's completion reaches the pool.
pub const COMPLETES_VIA: &[(&str, &str)] = &[
    ("socket", "a socket (database, HTTP)"),
    ("timer", "a timer (Task.Delay)"),
];
/// The runtimes the pool can model.
pub const RUNTIMES: &[(&str, &str)] = &[
    ("net6", ".NET 6"),
    ("net8", ".NET 7–9"),
    ("net10", ".NET 10"),
];
/// Endpoint styles.
pub const STYLES: &[(&str, &str)] = &[
    ("blocking", "blocking: ToList()"),
    ("async", "async: await ToListAsync()"),
    ("sync_over_async", "sync over async: .Result"),
    ("task_run_wrap", "await Task.Run(() => ToList())"),
    ("cpu_bound", "CPU-bound: plain synchronous code"),
];
/// How a `sync_over_async` endpoint waits.
pub const WAITS: &[(&str, &str)] = &[
    ("result", ".Result / .Wait()"),
    ("sleep_poll", "Thread.Sleep polling loop"),
];

/// Every scalar field outside the lists, keyed by the engine's path. The form shows them in
/// this order, grouped by their first path segment.
pub const FIELDS: &[FieldSpec] = &[
    field("seed", "Seed", "", Kind::Int),
    field("duration_ms", "Duration", "ms", Kind::Int),
    field("sample_window_ms", "Sample window", "ms", Kind::Int),
    field("machine.cores", "Cores", "", Kind::Int),
    field(
        "machine.context_switch_us",
        "Context switch cost",
        "µs",
        Kind::Int,
    ),
    field("machine.time_slice_ms", "Time slice", "ms", Kind::Int),
    field(
        "machine.stack_reserve_kb",
        "Stack reserved per thread",
        "KiB",
        Kind::Int,
    ),
    field(
        "machine.stack_commit_kb",
        "Stack committed per thread",
        "KiB",
        Kind::Int,
    ),
    FieldSpec {
        empty: "= cores",
        ..field("pool.min_threads", "Minimum threads", "", Kind::OptInt)
    },
    field("pool.max_threads", "Maximum threads", "", Kind::Int),
    field(
        "pool.starvation_injection",
        "Starvation injection (a thread every ~500 ms)",
        "",
        Kind::Flag,
    ),
    field(
        "pool.cooperative_blocking",
        "Cooperative-blocking injection (.NET 6+)",
        "",
        Kind::Flag,
    ),
    field(
        "pool.hill_climbing",
        "Hill climbing (keep an extra thread only if it pays off)",
        "",
        Kind::Flag,
    ),
    field(
        "pool.synchronization_context",
        "Synchronization context (classic ASP.NET)",
        "",
        Kind::Flag,
    ),
    field(
        "pool.idle_timeout_ms",
        "Idle thread exits after",
        "ms",
        Kind::Int,
    ),
    field(
        "pool.work_item_us",
        "Cost to start a work item",
        "µs",
        Kind::Int,
    ),
    field("pool.runtime", "Runtime", "", Kind::Name(RUNTIMES)),
    field(
        "pool.gate_jitter_ms",
        "Gate timer lateness (up to)",
        "ms",
        Kind::Int,
    ),
    FieldSpec {
        empty: "no limit",
        ..field("pool.queue_limit", "Queue limit", "requests", Kind::OptInt)
    },
    field("load.kind", "Load", "", Kind::Name(LOAD_KINDS)),
    field("load.users", "Users", "", Kind::Int),
    field("load.think_ms", "Think time", "ms", Kind::Float),
    field(
        "load.think_dist",
        "Think time distribution",
        "",
        Kind::Name(DISTS),
    ),
    field("load.ramp_ms", "Ramp-up", "ms", Kind::Int),
    field("load.retry_ms", "Retry after a 503", "ms", Kind::Int),
    field("load.rate_per_s", "Arrival rate", "per s", Kind::Float),
    field("load.timeout_ms", "Client timeout", "ms", Kind::Int),
    FieldSpec {
        empty: "none",
        ..field(
            "load.attempt_timeout_ms",
            "Deadline per attempt",
            "ms",
            Kind::OptInt,
        )
    },
    field("load.attempts", "Attempts per request", "", Kind::Int),
    field("endpoint.style", "Style", "", Kind::Name(STYLES)),
    field("endpoint.wait", "Wait", "", Kind::Name(WAITS)),
    field("endpoint.poll_ms", "Poll interval", "ms", Kind::Int),
    field(
        "endpoint.server_items",
        "Server work items per request",
        "",
        Kind::Int,
    ),
    field("limits.max_in_flight", "Requests in flight", "", Kind::Int),
    field("limits.trace_events", "Trace events kept", "", Kind::Int),
    field("limits.samples", "Samples kept", "", Kind::Int),
    field("limits.max_events", "Events before stopping", "", Kind::Int),
];

/// The fields of one burst of an open load.
pub const BURST_FIELDS: &[FieldSpec] = &[
    field("start_ms", "Starts at", "ms", Kind::Int),
    field("duration_ms", "Lasts", "ms", Kind::Int),
    field("rate_per_s", "Rate", "per s", Kind::Float),
];

/// The fields of a CPU step.
pub const CPU_STEP_FIELDS: &[FieldSpec] = &[
    field("cpu_ms", "CPU work", "ms", Kind::Float),
    field("task_run", "Run it in await Task.Run(…)", "", Kind::Flag),
];

/// The fields of an I/O step (its resource is chosen separately, from the resources).
pub const IO_STEP_FIELDS: &[FieldSpec] = &[
    field("io_ms", "I/O latency", "ms", Kind::Float),
    field("dist", "Distribution", "", Kind::Name(DISTS)),
    FieldSpec {
        empty: "0.5",
        ..field("sigma", "Shape σ", "", Kind::OptFloat)
    },
    field(
        "complete_sync",
        "Share already complete (0–1)",
        "",
        Kind::Float,
    ),
    field(
        "completes_via",
        "Completes through",
        "",
        Kind::Name(COMPLETES_VIA),
    ),
];

/// The spec of a fixed field.
pub fn spec(path: &str) -> Option<&'static FieldSpec> {
    FIELDS.iter().find(|f| f.path == path)
}

/// A step is CPU work or an I/O call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepKind {
    Cpu,
    Io,
}

/// The resource an I/O step goes through.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResourceRef {
    None,
    /// A row of [`Draft::resources`], by its id, so renaming the row carries the step along.
    Row(u32),
    /// A name with no row (its row was removed); sent as it is so the engine reports it.
    Missing(String),
}

/// One row of a list: a stable id (for keys and references) and its fields' text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub id: u32,
    pub fields: Texts,
}

/// Field texts by key, in a fixed order. The lists are short, so a linear search is as quick
/// as a map and keeps the page's wasm smaller.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Texts(Vec<(&'static str, String)>);

impl Texts {
    pub fn get(&self, key: &str) -> Option<&String> {
        self.0.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut String> {
        self.0.iter_mut().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
}

impl FromIterator<(&'static str, String)> for Texts {
    fn from_iter<I: IntoIterator<Item = (&'static str, String)>>(iter: I) -> Texts {
        Texts(iter.into_iter().collect())
    }
}

impl Row {
    /// The text of one of the row's fields.
    pub fn text(&self, key: &str) -> &str {
        self.fields.get(key).map(String::as_str).unwrap_or("")
    }
}

/// One step of the endpoint's program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepDraft {
    pub kind: StepKind,
    pub row: Row,
    pub resource: ResourceRef,
}

/// One named resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceDraft {
    pub id: u32,
    pub name: String,
    pub capacity: String,
}

/// Every field of a scenario as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Draft {
    fields: Texts,
    pub bursts: Vec<Row>,
    pub steps: Vec<StepDraft>,
    pub resources: Vec<ResourceDraft>,
    next_id: u32,
}

/// A change the reader makes.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Sets the text of a slot. For a flag the text is `true` or `false`; for a step's
    /// `resource` it is a resource row id, or empty for none.
    Set(String, String),
    AddBurst,
    RemoveBurst(usize),
    AddCpuStep,
    AddIoStep,
    RemoveStep(usize),
    /// Swaps step `i` with step `i - 1`.
    MoveStepUp(usize),
    /// Swaps step `i` with step `i + 1`.
    MoveStepDown(usize),
    AddResource,
    RemoveResource(usize),
}

fn float_text(x: f64) -> String {
    // Rust prints the shortest text that reads back as the same f64 (`0.1`, `200`).
    sim::decimal::shortest(x)
}

fn opt_text<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

fn dist_name(dist: Dist) -> &'static str {
    match dist {
        Dist::Fixed => "fixed",
        Dist::Exponential => "exponential",
        Dist::Lognormal => "lognormal",
    }
}

/// The text of a fixed field of `s` (see [`FIELDS`]).
fn scenario_text(s: &Scenario, path: &str) -> String {
    let (m, p, l, e, lim) = (&s.machine, &s.pool, &s.load, &s.endpoint, &s.limits);
    match path {
        "seed" => s.seed.to_string(),
        "duration_ms" => s.duration_ms.to_string(),
        "sample_window_ms" => s.sample_window_ms.to_string(),
        "machine.cores" => m.cores.to_string(),
        "machine.context_switch_us" => m.context_switch_us.to_string(),
        "machine.time_slice_ms" => m.time_slice_ms.to_string(),
        "machine.stack_reserve_kb" => m.stack_reserve_kb.to_string(),
        "machine.stack_commit_kb" => m.stack_commit_kb.to_string(),
        "pool.min_threads" => opt_text(p.min_threads),
        "pool.max_threads" => p.max_threads.to_string(),
        "pool.starvation_injection" => p.starvation_injection.to_string(),
        "pool.cooperative_blocking" => p.cooperative_blocking.to_string(),
        "pool.hill_climbing" => p.hill_climbing.to_string(),
        "pool.synchronization_context" => p.synchronization_context.to_string(),
        "pool.idle_timeout_ms" => p.idle_timeout_ms.to_string(),
        "pool.work_item_us" => p.work_item_us.to_string(),
        "pool.gate_jitter_ms" => p.gate_jitter_ms.to_string(),
        "pool.runtime" => p.runtime.name().to_owned(),
        "pool.queue_limit" => opt_text(p.queue_limit),
        "load.kind" => match l.kind {
            LoadKind::Closed => "closed",
            LoadKind::Open => "open",
        }
        .to_owned(),
        "load.users" => l.users.to_string(),
        "load.think_ms" => float_text(l.think_ms),
        "load.think_dist" => dist_name(l.think_dist).to_owned(),
        "load.ramp_ms" => l.ramp_ms.to_string(),
        "load.retry_ms" => l.retry_ms.to_string(),
        "load.rate_per_s" => float_text(l.rate_per_s),
        "load.timeout_ms" => l.timeout_ms.to_string(),
        "load.attempt_timeout_ms" => opt_text(l.attempt_timeout_ms),
        "load.attempts" => l.attempts.to_string(),
        "endpoint.style" => match e.style {
            Style::Blocking => "blocking",
            Style::Async => "async",
            Style::SyncOverAsync => "sync_over_async",
            Style::TaskRunWrap => "task_run_wrap",
            Style::CpuBound => "cpu_bound",
        }
        .to_owned(),
        "endpoint.wait" => match e.wait {
            Wait::Result => "result",
            Wait::SleepPoll => "sleep_poll",
        }
        .to_owned(),
        "endpoint.poll_ms" => e.poll_ms.to_string(),
        "endpoint.server_items" => e.server_items.to_string(),
        "limits.max_in_flight" => lim.max_in_flight.to_string(),
        "limits.trace_events" => lim.trace_events.to_string(),
        "limits.samples" => lim.samples.to_string(),
        "limits.max_events" => lim.max_events.to_string(),
        _ => String::new(),
    }
}

/// Appends `text` as a JSON string.
pub(crate) fn push_json_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Whether `t` is a number in JSON's grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
fn is_json_number(t: &str) -> bool {
    fn digits(b: &[u8], i: &mut usize) -> usize {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    }
    let b = t.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            digits(b, &mut i);
        }
        _ => return false,
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(b, &mut i) == 0 {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(b, &mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Appends a number typed as text. What JSON reads as a number is sent exactly as typed,
/// so the engine judges the very value the reader wrote; anything else is sent as a
/// string, and the engine reports it with its own message ("must be a whole number; …").
fn push_number(out: &mut String, text: &str) {
    let t = text.trim();
    // JSON wants a digit on both sides of the point; people often type `.5` or `5.`.
    let fixed = if let Some(rest) = t.strip_prefix("-.") {
        format!("-0.{rest}")
    } else if let Some(rest) = t.strip_prefix('.') {
        format!("0.{rest}")
    } else if let Some(head) = t.strip_suffix('.') {
        format!("{head}.0")
    } else {
        t.to_owned()
    };
    if is_json_number(&fixed) {
        out.push_str(&fixed);
    } else {
        push_json_string(out, text);
    }
}

/// Appends `"key":value` for one field; nothing for an empty optional field.
fn push_field(out: &mut String, key: &str, kind: Kind, text: &str) {
    let optional = matches!(kind, Kind::OptInt | Kind::OptFloat);
    if optional && text.trim().is_empty() {
        return;
    }
    if !out.ends_with('{') {
        out.push(',');
    }
    push_json_string(out, key);
    out.push(':');
    match kind {
        Kind::Int | Kind::OptInt | Kind::Float | Kind::OptFloat => push_number(out, text),
        Kind::Flag => out.push_str(if text == "true" { "true" } else { "false" }),
        Kind::Name(_) => push_json_string(out, text),
    }
}

fn push_row(out: &mut String, row: &Row, specs: &[FieldSpec]) {
    out.push('{');
    for f in specs {
        push_field(out, f.path, f.kind, row.text(f.path));
    }
}

/// Splits a list slot like `endpoint.steps[3].io_ms` into (`endpoint.steps`, 3, `io_ms`);
/// the tail is empty for the row itself (`endpoint.steps[3]`).
pub fn split_row_slot(slot: &str) -> Option<(&str, usize, &str)> {
    let open = slot.find('[')?;
    let close = open + slot[open..].find(']')?;
    let idx = slot[open + 1..close].parse().ok()?;
    let tail = &slot[close + 1..];
    let tail = tail.strip_prefix('.').unwrap_or(tail);
    Some((&slot[..open], idx, tail))
}

impl Draft {
    /// The draft of a scenario: every field as text, the lists as rows.
    pub fn from_scenario(scenario: &Scenario) -> Draft {
        let fields = FIELDS
            .iter()
            .map(|f| (f.path, scenario_text(scenario, f.path)))
            .collect();
        let mut draft = Draft {
            fields,
            bursts: Vec::new(),
            steps: Vec::new(),
            resources: Vec::new(),
            next_id: 0,
        };
        for (name, resource) in &scenario.resources {
            let id = draft.new_id();
            draft.resources.push(ResourceDraft {
                id,
                name: name.clone(),
                capacity: resource.capacity.to_string(),
            });
        }
        for burst in &scenario.load.bursts {
            let id = draft.new_id();
            let texts = [
                burst.start_ms.to_string(),
                burst.duration_ms.to_string(),
                float_text(burst.rate_per_s),
            ];
            let fields = BURST_FIELDS.iter().map(|f| f.path).zip(texts).collect();
            draft.bursts.push(Row { id, fields });
        }
        for step in &scenario.endpoint.steps {
            let id = draft.new_id();
            let (kind, fields) = match step.io_ms {
                Some(io_ms) => (
                    StepKind::Io,
                    Texts(vec![
                        ("io_ms", float_text(io_ms)),
                        ("dist", dist_name(step.dist).to_owned()),
                        ("sigma", opt_text(step.sigma.map(float_text))),
                        ("complete_sync", float_text(step.complete_sync)),
                        (
                            "completes_via",
                            match step.completes_via {
                                sim::CompletesVia::Socket => "socket",
                                sim::CompletesVia::Timer => "timer",
                            }
                            .to_owned(),
                        ),
                    ]),
                ),
                None => (
                    StepKind::Cpu,
                    Texts(vec![
                        ("cpu_ms", opt_text(step.cpu_ms.map(float_text))),
                        ("task_run", step.task_run.to_string()),
                    ]),
                ),
            };
            let resource = match &step.resource {
                None => ResourceRef::None,
                Some(name) => match draft.resources.iter().find(|r| &r.name == name) {
                    Some(r) => ResourceRef::Row(r.id),
                    None => ResourceRef::Missing(name.clone()),
                },
            };
            draft.steps.push(StepDraft {
                kind,
                row: Row { id, fields },
                resource,
            });
        }
        draft
    }

    fn new_id(&mut self) -> u32 {
        self.next_id += 1;
        self.next_id
    }

    /// The text of a fixed field (see [`FIELDS`]); empty for an unknown path.
    pub fn text(&self, path: &str) -> &str {
        self.fields.get(path).map(String::as_str).unwrap_or("")
    }

    /// The name of the resource row with this id.
    pub fn resource_name(&self, id: u32) -> Option<&str> {
        self.resources
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.name.as_str())
    }

    /// The scenario JSON this draft stands for. Fields hidden by the current choices (the
    /// open-load rate while the load is closed, say) are still sent: they are part of the
    /// scenario, and keeping them is what lets the reader switch back without losing them.
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(1024);
        out.push('{');
        push_field(&mut out, "version", Kind::Int, "1");
        // FIELDS lists each group's fields together, top-level ones first.
        let mut group = "";
        for f in FIELDS {
            let (head, key) = f.path.split_once('.').unwrap_or(("", f.path));
            if head != group {
                self.close_group(&mut out, group);
                group = head;
                out.push(',');
                push_json_string(&mut out, head);
                out.push_str(":{");
            }
            push_field(&mut out, key, f.kind, self.text(f.path));
        }
        self.close_group(&mut out, group);
        out.push_str(",\"resources\":{");
        for (i, r) in self.resources.iter().enumerate() {
            // A repeated name would overwrite the first; `check` reports it instead.
            if self.resources[..i].iter().any(|other| other.name == r.name) {
                continue;
            }
            if !out.ends_with('{') {
                out.push(',');
            }
            push_json_string(&mut out, &r.name);
            out.push_str(":{");
            push_field(&mut out, "capacity", Kind::Int, &r.capacity);
            out.push('}');
        }
        out.push_str("}}");
        out
    }

    /// Ends a group's object, after the lists that belong in it.
    fn close_group(&self, out: &mut String, group: &str) {
        match group {
            "" => return,
            "load" => {
                out.push_str(",\"bursts\":[");
                for (i, row) in self.bursts.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    push_row(out, row, BURST_FIELDS);
                    out.push('}');
                }
                out.push(']');
            }
            "endpoint" => {
                out.push_str(",\"steps\":[");
                for (i, step) in self.steps.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    self.push_step(out, step);
                }
                out.push(']');
            }
            _ => {}
        }
        out.push('}');
    }

    fn push_step(&self, out: &mut String, step: &StepDraft) {
        match step.kind {
            StepKind::Cpu => {
                out.push('{');
                push_field(out, "cpu_ms", Kind::Float, step.row.text("cpu_ms"));
                // The format leaves task_run out when false.
                if step.row.text("task_run") == "true" {
                    push_field(out, "task_run", Kind::Flag, "true");
                }
            }
            StepKind::Io => {
                push_row(out, &step.row, IO_STEP_FIELDS);
                let name = match &step.resource {
                    ResourceRef::None => None,
                    ResourceRef::Row(id) => self.resource_name(*id),
                    ResourceRef::Missing(name) => Some(name.as_str()),
                };
                if let Some(name) = name {
                    push_field(out, "resource", Kind::Name(&[]), name);
                }
            }
        }
        out.push('}');
    }

    /// Applies one edit. Edits that name a row or slot that does not exist do nothing.
    pub fn apply(&mut self, edit: Edit) {
        match edit {
            Edit::Set(slot, text) => self.set(&slot, text),
            Edit::AddBurst => {
                let id = self.new_id();
                let fields = BURST_FIELDS
                    .iter()
                    .zip(["0", "1000", "1000"])
                    .map(|(f, t)| (f.path, t.to_owned()))
                    .collect();
                self.bursts.push(Row { id, fields });
            }
            Edit::RemoveBurst(i) if i < self.bursts.len() => {
                self.bursts.remove(i);
            }
            Edit::AddCpuStep => {
                let id = self.new_id();
                let fields = [("cpu_ms", "1"), ("task_run", "false")];
                self.steps.push(StepDraft {
                    kind: StepKind::Cpu,
                    row: Row {
                        id,
                        fields: fields.iter().map(|(k, v)| (*k, (*v).to_owned())).collect(),
                    },
                    resource: ResourceRef::None,
                });
            }
            Edit::AddIoStep => {
                let id = self.new_id();
                let fields = [
                    ("io_ms", "100"),
                    ("dist", "fixed"),
                    ("sigma", ""),
                    ("complete_sync", "0"),
                    ("completes_via", "socket"),
                ];
                self.steps.push(StepDraft {
                    kind: StepKind::Io,
                    row: Row {
                        id,
                        fields: fields.iter().map(|(k, v)| (*k, (*v).to_owned())).collect(),
                    },
                    resource: ResourceRef::None,
                });
            }
            Edit::RemoveStep(i) if i < self.steps.len() => {
                self.steps.remove(i);
            }
            Edit::MoveStepUp(i) if i > 0 && i < self.steps.len() => self.steps.swap(i - 1, i),
            Edit::MoveStepDown(i) if i + 1 < self.steps.len() => self.steps.swap(i, i + 1),
            Edit::AddResource => {
                let id = self.new_id();
                let name = (1..)
                    .map(|n| format!("resource{n}"))
                    .find(|name| self.resources.iter().all(|r| &r.name != name))
                    .unwrap_or_default();
                self.resources.push(ResourceDraft {
                    id,
                    name,
                    capacity: "100".to_owned(),
                });
            }
            Edit::RemoveResource(i) if i < self.resources.len() => {
                let removed = self.resources.remove(i);
                // Steps that used it keep its name, so the engine says what is wrong.
                for step in &mut self.steps {
                    if step.resource == ResourceRef::Row(removed.id) {
                        step.resource = ResourceRef::Missing(removed.name.clone());
                    }
                }
            }
            _ => {}
        }
    }

    fn set(&mut self, slot: &str, text: String) {
        if let Some(value) = self.fields.get_mut(slot) {
            *value = text;
            return;
        }
        let Some((list, i, key)) = split_row_slot(slot) else {
            return;
        };
        match list {
            "load.bursts" => {
                if let Some(value) = self
                    .bursts
                    .get_mut(i)
                    .and_then(|row| row.fields.get_mut(key))
                {
                    *value = text;
                }
            }
            "endpoint.steps" => {
                let Some(step) = self.steps.get_mut(i) else {
                    return;
                };
                if key == "resource" {
                    step.resource = match text.parse::<u32>() {
                        Ok(id) if self.resources.iter().any(|r| r.id == id) => ResourceRef::Row(id),
                        _ if text.is_empty() => ResourceRef::None,
                        _ => return,
                    };
                } else if let Some(value) = step.row.fields.get_mut(key) {
                    *value = text;
                }
            }
            "resources" => {
                if let Some(r) = self.resources.get_mut(i) {
                    match key {
                        "name" => r.name = text,
                        "capacity" => r.capacity = text,
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }

    /// Why a slot is not shown with the current choices, or `None` if it is shown.
    pub fn hidden_because(&self, slot: &str) -> Option<&'static str> {
        let closed = self.text("load.kind") != "open";
        let sync_over_async = self.text("endpoint.style") == "sync_over_async";
        match slot {
            "load.users" | "load.think_ms" | "load.think_dist" | "load.ramp_ms"
            | "load.retry_ms"
                if !closed =>
            {
                return Some("it applies to a closed load");
            }
            "load.rate_per_s" | "load.bursts" if closed => {
                return Some("it applies to an open load");
            }
            "endpoint.wait" if !sync_over_async => {
                return Some("it applies to the sync_over_async style");
            }
            "endpoint.poll_ms"
                if !sync_over_async || self.text("endpoint.wait") != "sleep_poll" =>
            {
                return Some("it applies to sync_over_async with the sleep_poll wait");
            }
            _ => {}
        }
        if let Some((list, i, key)) = split_row_slot(slot) {
            match list {
                "load.bursts" if closed => return Some("it applies to an open load"),
                "endpoint.steps" if key == "sigma" => {
                    let lognormal = self
                        .steps
                        .get(i)
                        .is_some_and(|s| s.row.text("dist") == "lognormal");
                    if !lognormal {
                        return Some("it applies to log-normal latency");
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// Whether the form has a place for this slot (shown or hidden by a choice).
    fn has_slot(&self, slot: &str) -> bool {
        if self.fields.contains_key(slot)
            || matches!(slot, "load.bursts" | "endpoint.steps" | "resources")
        {
            return true;
        }
        let Some((list, i, key)) = split_row_slot(slot) else {
            return false;
        };
        match list {
            "load.bursts" => {
                i < self.bursts.len()
                    && (key.is_empty() || BURST_FIELDS.iter().any(|f| f.path == key))
            }
            "endpoint.steps" => self.steps.get(i).is_some_and(|s| {
                let specs = match s.kind {
                    StepKind::Cpu => CPU_STEP_FIELDS,
                    StepKind::Io => IO_STEP_FIELDS,
                };
                key.is_empty()
                    || specs.iter().any(|f| f.path == key)
                    || (key == "resource" && s.kind == StepKind::Io)
            }),
            "resources" => i < self.resources.len() && matches!(key, "name" | "capacity"),
            _ => false,
        }
    }

    /// The slot where an engine error belongs, if the form has one.
    fn slot_of(&self, error: &FieldError) -> Option<String> {
        if let Some(rest) = error.field.strip_prefix("resources.") {
            // `resources.<name>.capacity` (or the entry itself); names may hold dots, so
            // match whole names rather than splitting.
            let i = self.resources.iter().position(|r| {
                rest == r.name || rest.strip_prefix(r.name.as_str()) == Some(".capacity")
            })?;
            return Some(format!("resources[{i}].capacity"));
        }
        if error.field == "resources" {
            // A bad name is reported on `resources` with the name, quoted, as the value.
            if let Some(i) = self
                .resources
                .iter()
                .position(|r| error.value == format!("\"{}\"", r.name))
            {
                return Some(format!("resources[{i}].name"));
            }
        }
        self.has_slot(&error.field).then(|| error.field.clone())
    }
}

/// A problem, placed where the form shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The slot it belongs to; `None` when the form has no place for it.
    pub slot: Option<String>,
    pub error: FieldError,
}

/// The outcome of checking a draft.
#[derive(Clone, Debug, PartialEq)]
pub struct Checked {
    /// The scenario the engine accepted; `None` while any problem exists.
    pub scenario: Option<Scenario>,
    /// Every problem, in the engine's order, then the editor's own.
    pub problems: Vec<Problem>,
}

impl Checked {
    /// The messages to show next to a slot, joined; `None` if it has none.
    pub fn message(&self, slot: &str) -> Option<String> {
        let messages: Vec<&str> = self
            .problems
            .iter()
            .filter(|p| p.slot.as_deref() == Some(slot))
            .map(|p| p.error.message.as_str())
            .collect();
        (!messages.is_empty()).then(|| messages.join("; "))
    }

    /// Problems that no visible field shows: those with no slot, or whose field the current
    /// choices hide. Each comes with the reason it is hidden, if it is.
    pub fn unplaced<'a>(&'a self, draft: &Draft) -> Vec<(&'a FieldError, Option<&'static str>)> {
        self.problems
            .iter()
            .filter_map(|p| match &p.slot {
                None => Some((&p.error, None)),
                Some(slot) => draft.hidden_because(slot).map(|why| (&p.error, Some(why))),
            })
            .collect()
    }
}

/// Builds the draft's JSON, has the engine parse and validate it, and places each problem.
/// Also reports what JSON cannot say: two resources with the same name.
pub fn check(draft: &Draft) -> Checked {
    let text = draft.to_json();
    let (scenario, errors) = match sim::parse_scenario(&text) {
        Ok(s) => (Some(s), Vec::new()),
        Err(errors) => (None, errors),
    };
    // A step whose only number was rejected is also reported as having neither cpu_ms
    // nor io_ms; that follows from the first problem, so only the first is shown.
    let consequence = |e: &FieldError| {
        e.field.starts_with("endpoint.steps[")
            && e.value.is_empty()
            && errors
                .iter()
                .any(|other| other.field.starts_with(&format!("{}.", e.field)))
    };
    let kept: Vec<FieldError> = errors.iter().filter(|e| !consequence(e)).cloned().collect();
    let mut problems: Vec<Problem> = kept
        .into_iter()
        .map(|error| Problem {
            slot: draft.slot_of(&error),
            error,
        })
        .collect();
    for (i, r) in draft.resources.iter().enumerate() {
        if draft.resources[..i]
            .iter()
            .any(|other| other.name == r.name)
        {
            problems.push(Problem {
                slot: Some(format!("resources[{i}].name")),
                error: FieldError {
                    field: "resources".to_owned(),
                    value: format!("\"{}\"", r.name),
                    message: "another resource already has this name".to_owned(),
                },
            });
        }
    }
    Checked {
        scenario: if problems.is_empty() { scenario } else { None },
        problems,
    }
}

/// A DOM id for a slot: letters, digits and `_` kept, everything else `-`.
pub fn dom_id(slot: &str) -> String {
    let mut id = String::with_capacity(slot.len() + 3);
    id.push_str("ed-");
    id.extend(slot.chars().map(|c| {
        if c.is_ascii_alphanumeric() || c == '_' {
            c
        } else {
            '-'
        }
    }));
    id
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::curriculum::presets::{self, PRESETS};
    use serde_json::Value;

    const FILES: &[(&str, &str)] = &[
        (
            "async",
            include_str!("../../crates/sim/scenarios/async.json"),
        ),
        (
            "blocking",
            include_str!("../../crates/sim/scenarios/blocking.json"),
        ),
        (
            "cpu-bound-task-run",
            include_str!("../../crates/sim/scenarios/cpu-bound-task-run.json"),
        ),
        (
            "cpu-bound",
            include_str!("../../crates/sim/scenarios/cpu-bound.json"),
        ),
        (
            "db-bottleneck",
            include_str!("../../crates/sim/scenarios/db-bottleneck.json"),
        ),
        (
            "open-burst",
            include_str!("../../crates/sim/scenarios/open-burst.json"),
        ),
        (
            "sync-context-deadlock",
            include_str!("../../crates/sim/scenarios/sync-context-deadlock.json"),
        ),
        (
            "sync-over-async-sleep-poll",
            include_str!("../../crates/sim/scenarios/sync-over-async-sleep-poll.json"),
        ),
        (
            "sync-over-async",
            include_str!("../../crates/sim/scenarios/sync-over-async.json"),
        ),
        (
            "task-run-wrap",
            include_str!("../../crates/sim/scenarios/task-run-wrap.json"),
        ),
        (
            "tutorial-async",
            include_str!("../../crates/sim/scenarios/tutorial-async.json"),
        ),
        (
            "tutorial-result",
            include_str!("../../crates/sim/scenarios/tutorial-result.json"),
        ),
        (
            "tutorial-sleep-wait",
            include_str!("../../crates/sim/scenarios/tutorial-sleep-wait.json"),
        ),
    ];

    fn every_scenario() -> Vec<(String, Scenario)> {
        let mut out: Vec<(String, Scenario)> = PRESETS
            .iter()
            .map(|p| (format!("preset {}", p.slug), presets::scenario(p)))
            .collect();
        for (name, text) in FILES {
            let s = sim::parse_scenario(text).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            out.push((format!("file {name}"), s));
        }
        // Every optional field present, a lognormal step, a burst, two resources.
        let mut full = Scenario::default();
        full.pool.min_threads = Some(8);
        full.pool.queue_limit = Some(0);
        full.pool.hill_climbing = true;
        full.load.think_ms = 12.5;
        full.load.bursts.push(sim::Burst::default());
        full.endpoint.steps[0].task_run = true;
        full.endpoint.steps[1].dist = sim::Dist::Lognormal;
        full.endpoint.steps[1].sigma = Some(0.25);
        full.endpoint.steps[1].complete_sync = 0.25;
        full.endpoint.steps[1].resource = Some("db.main".to_owned());
        full.resources
            .insert("db.main".to_owned(), sim::Resource { capacity: 3 });
        full.resources
            .insert("cache".to_owned(), sim::Resource { capacity: 9 });
        // A name that needs escaping in JSON.
        full.resources.insert(
            "say \"hi\" \\ tab\t".to_owned(),
            sim::Resource { capacity: 2 },
        );
        full.seed = u64::MAX;
        out.push(("full".to_owned(), full));
        out
    }

    fn edited(scenario: &Scenario, edits: Vec<Edit>) -> (Draft, Checked) {
        let mut draft = Draft::from_scenario(scenario);
        for edit in edits {
            draft.apply(edit);
        }
        let checked = check(&draft);
        (draft, checked)
    }

    fn set(slot: &str, text: &str) -> Edit {
        Edit::Set(slot.to_owned(), text.to_owned())
    }

    fn fields_of(checked: &Checked) -> Vec<(Option<&str>, &str)> {
        checked
            .problems
            .iter()
            .map(|p| (p.slot.as_deref(), p.error.field.as_str()))
            .collect()
    }

    /// FILES names every example scenario, so a new one is round-tripped too.
    #[test]
    fn every_example_file_is_listed() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/crates/sim/scenarios");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter_map(|name| name.strip_suffix(".json").map(str::to_owned))
            .collect();
        on_disk.sort();
        let mut listed: Vec<String> = FILES.iter().map(|(n, _)| (*n).to_owned()).collect();
        listed.sort();
        assert_eq!(listed, on_disk);
    }

    #[test]
    fn every_preset_and_example_round_trips() {
        for (name, scenario) in every_scenario() {
            let draft = Draft::from_scenario(&scenario);
            let checked = check(&draft);
            assert_eq!(checked.problems, vec![], "{name}");
            assert_eq!(checked.scenario.as_ref(), Some(&scenario), "{name}");
            // And the draft of the result is the same draft, ids aside.
            let again = Draft::from_scenario(checked.scenario.as_ref().unwrap());
            assert_eq!(again, draft, "{name}");
        }
    }

    /// Every leaf of the scenario's JSON, for a scenario with every optional part present,
    /// has a place in the form. A field added to the engine fails this until it gets one.
    #[test]
    fn every_scenario_field_has_a_place_in_the_form() {
        fn walk(path: &str, value: &Value, missing: &mut Vec<String>) {
            let keys_in = |item: &Value, known: &[&str], missing: &mut Vec<String>| {
                for key in item.as_object().unwrap().keys() {
                    if !known.contains(&key.as_str()) {
                        missing.push(format!("{path}[].{key}"));
                    }
                }
            };
            match path {
                "version" => {}
                "load.bursts" => {
                    let known: Vec<&str> = BURST_FIELDS.iter().map(|f| f.path).collect();
                    for item in value.as_array().unwrap() {
                        keys_in(item, &known, missing);
                    }
                }
                "endpoint.steps" => {
                    let mut known: Vec<&str> = CPU_STEP_FIELDS
                        .iter()
                        .chain(IO_STEP_FIELDS)
                        .map(|f| f.path)
                        .collect();
                    known.push("resource");
                    for item in value.as_array().unwrap() {
                        keys_in(item, &known, missing);
                    }
                }
                "resources" => {
                    for item in value.as_object().unwrap().values() {
                        keys_in(item, &["capacity"], missing);
                    }
                }
                _ => match value.as_object() {
                    Some(map) => {
                        for (key, v) in map {
                            let p = if path.is_empty() {
                                key.clone()
                            } else {
                                format!("{path}.{key}")
                            };
                            walk(&p, v, missing);
                        }
                    }
                    None if spec(path).is_some() => {}
                    None => missing.push(path.to_owned()),
                },
            }
        }
        let (_, full) = every_scenario().pop().unwrap();
        let mut missing = Vec::new();
        walk("", &serde_json::to_value(&full).unwrap(), &mut missing);
        assert_eq!(missing, Vec::<String>::new());
    }

    #[test]
    fn every_fixed_field_reaches_its_engine_path() {
        let base = Scenario::default();
        for f in FIELDS {
            let bad = match f.kind {
                Kind::Flag => continue,
                Kind::Name(_) => "nonsense",
                _ => "1e",
            };
            let (_, checked) = edited(&base, vec![set(f.path, bad)]);
            assert_eq!(
                fields_of(&checked),
                vec![(Some(f.path), f.path)],
                "{}",
                f.path
            );
            assert!(checked.scenario.is_none());
        }
    }

    #[test]
    fn every_flag_reaches_the_scenario() {
        let base = Scenario::default();
        let (_, checked) = edited(
            &base,
            vec![
                set("pool.starvation_injection", "false"),
                set("pool.cooperative_blocking", "false"),
                set("pool.synchronization_context", "true"),
                set("pool.hill_climbing", "true"),
            ],
        );
        let s = checked.scenario.unwrap();
        assert!(s.pool.hill_climbing);
        assert!(!s.pool.starvation_injection);
        assert!(!s.pool.cooperative_blocking);
        assert!(s.pool.synchronization_context);
    }

    #[test]
    fn a_bad_value_is_reported_on_exactly_its_field_with_the_engine_message() {
        let base = presets::scenario(&PRESETS[0]);
        let (draft, checked) = edited(&base, vec![set("load.users", "0")]);
        assert_eq!(
            fields_of(&checked),
            vec![(Some("load.users"), "load.users")]
        );
        assert_eq!(
            checked.message("load.users").as_deref(),
            Some("must be between 1 and 100000")
        );
        assert_eq!(checked.message("load.think_ms"), None);
        assert!(checked.unplaced(&draft).is_empty());
        // A half-typed number stays in the draft as typed.
        let (draft, checked) = edited(&base, vec![set("load.think_ms", "1e")]);
        assert_eq!(draft.text("load.think_ms"), "1e");
        assert_eq!(
            checked.message("load.think_ms").as_deref(),
            Some("must be a number between 0 and 3600000")
        );
        // Fixing it clears the problem and gives back the scenario.
        let (_, checked) = edited(&base, vec![set("load.users", "0"), set("load.users", "7")]);
        assert!(checked.problems.is_empty());
        assert_eq!(checked.scenario.unwrap().load.users, 7);
    }

    #[test]
    fn empty_required_fields_are_errors_but_empty_optional_fields_mean_absent() {
        let base = Scenario::default();
        let (_, checked) = edited(&base, vec![set("machine.cores", " ")]);
        assert_eq!(
            fields_of(&checked),
            vec![(Some("machine.cores"), "machine.cores")]
        );
        let mut with_min = base.clone();
        with_min.pool.min_threads = Some(6);
        with_min.pool.queue_limit = Some(50);
        let (_, checked) = edited(
            &with_min,
            vec![set("pool.min_threads", ""), set("pool.queue_limit", "")],
        );
        let s = checked.scenario.unwrap();
        assert_eq!(s.pool.min_threads, None);
        assert_eq!(s.pool.queue_limit, None);
        // Numbers as people type them.
        let (_, checked) = edited(&base, vec![set("load.think_ms", " .5 ")]);
        assert_eq!(checked.scenario.unwrap().load.think_ms, 0.5);
    }

    #[test]
    fn relation_errors_land_on_the_field_the_engine_names() {
        let base = Scenario::default();
        let (_, checked) = edited(
            &base,
            vec![
                set("machine.stack_commit_kb", "2048"),
                set("pool.min_threads", "9"),
                set("pool.max_threads", "8"),
            ],
        );
        assert_eq!(
            fields_of(&checked),
            vec![
                (Some("machine.stack_commit_kb"), "machine.stack_commit_kb"),
                (Some("pool.min_threads"), "pool.min_threads"),
            ]
        );
    }

    #[test]
    fn step_errors_follow_the_steps_as_they_move() {
        let base = presets::scenario(&PRESETS[1]);
        // Add an I/O step (index 3) and break it.
        let (draft, checked) = edited(
            &base,
            vec![Edit::AddIoStep, set("endpoint.steps[3].io_ms", "-1")],
        );
        assert_eq!(draft.steps.len(), 4);
        assert_eq!(
            fields_of(&checked),
            vec![(Some("endpoint.steps[3].io_ms"), "endpoint.steps[3].io_ms")]
        );
        // Move it up twice: the engine now names index 1, and so does the form.
        let (draft, checked) = edited(
            &base,
            vec![
                Edit::AddIoStep,
                set("endpoint.steps[3].io_ms", "-1"),
                Edit::MoveStepUp(3),
                Edit::MoveStepUp(2),
            ],
        );
        assert_eq!(draft.steps[1].row.text("io_ms"), "-1");
        assert_eq!(
            fields_of(&checked),
            vec![(Some("endpoint.steps[1].io_ms"), "endpoint.steps[1].io_ms")]
        );
        // Remove the first step: index 0.
        let (_, checked) = edited(
            &base,
            vec![
                Edit::AddIoStep,
                set("endpoint.steps[3].io_ms", "-1"),
                Edit::MoveStepUp(3),
                Edit::MoveStepUp(2),
                Edit::RemoveStep(0),
            ],
        );
        assert_eq!(
            fields_of(&checked),
            vec![(Some("endpoint.steps[0].io_ms"), "endpoint.steps[0].io_ms")]
        );
        // Moving past either end does nothing.
        let (draft, _) = edited(&base, vec![Edit::MoveStepUp(0), Edit::MoveStepDown(2)]);
        assert_eq!(draft, Draft::from_scenario(&base));
    }

    #[test]
    fn added_steps_are_valid_and_reach_the_scenario() {
        let base = presets::scenario(&PRESETS[1]);
        let db = Draft::from_scenario(&base).resources[0].id.to_string();
        let (_, checked) = edited(
            &base,
            vec![
                Edit::AddCpuStep,
                set("endpoint.steps[3].task_run", "true"),
                Edit::AddIoStep,
                set("endpoint.steps[4].dist", "lognormal"),
                set("endpoint.steps[4].sigma", "1.5"),
                set("endpoint.steps[4].resource", &db),
            ],
        );
        let s = checked.scenario.unwrap();
        assert_eq!(s.endpoint.steps.len(), 5);
        assert_eq!(s.endpoint.steps[3].cpu_ms, Some(1.0));
        assert!(s.endpoint.steps[3].task_run);
        assert_eq!(s.endpoint.steps[4].io_ms, Some(100.0));
        assert_eq!(s.endpoint.steps[4].dist, sim::Dist::Lognormal);
        assert_eq!(s.endpoint.steps[4].sigma, Some(1.5));
        assert_eq!(s.endpoint.steps[4].resource.as_deref(), Some("db"));
        // With no steps at all the engine complains about the list.
        let (_, checked) = edited(
            &base,
            vec![
                Edit::RemoveStep(0),
                Edit::RemoveStep(0),
                Edit::RemoveStep(0),
            ],
        );
        assert_eq!(
            fields_of(&checked),
            vec![(Some("endpoint.steps"), "endpoint.steps")]
        );
    }

    #[test]
    fn task_run_on_an_io_step_is_impossible_but_a_sigma_kept_for_later_is_reported() {
        let base = presets::scenario(&PRESETS[1]);
        // Set a bad sigma while lognormal, then switch to fixed: the sigma is hidden but
        // still sent, so its problem is listed with the reason it cannot be seen.
        let (draft, checked) = edited(
            &base,
            vec![
                set("endpoint.steps[1].dist", "lognormal"),
                set("endpoint.steps[1].sigma", "9"),
                set("endpoint.steps[1].dist", "fixed"),
            ],
        );
        let unplaced = checked.unplaced(&draft);
        assert_eq!(unplaced.len(), 1);
        assert_eq!(unplaced[0].0.field, "endpoint.steps[1].sigma");
        assert_eq!(unplaced[0].1, Some("it applies to log-normal latency"));
    }

    #[test]
    fn hidden_fields_keep_their_drafts() {
        let base = presets::scenario(&PRESETS[0]);
        let (draft, checked) = edited(
            &base,
            vec![
                set("load.kind", "open"),
                set("load.rate_per_s", "250"),
                Edit::AddBurst,
                set("load.bursts[0].rate_per_s", "x"),
                set("load.kind", "closed"),
            ],
        );
        assert_eq!(draft.text("load.rate_per_s"), "250");
        assert_eq!(draft.bursts[0].text("rate_per_s"), "x");
        assert_eq!(
            checked.unplaced(&draft),
            vec![(
                &checked.problems[0].error,
                Some("it applies to an open load")
            )]
        );
        let (_, checked) = edited(
            &base,
            vec![
                set("load.kind", "open"),
                set("load.rate_per_s", "250"),
                Edit::AddBurst,
                Edit::AddBurst,
                set("load.bursts[1].start_ms", "500"),
                Edit::RemoveBurst(0),
            ],
        );
        let s = checked.scenario.unwrap();
        assert_eq!(s.load.kind, sim::LoadKind::Open);
        assert_eq!(s.load.rate_per_s, 250.0);
        assert_eq!(s.load.users, base.load.users);
        assert_eq!(s.load.bursts.len(), 1);
        assert_eq!(s.load.bursts[0].start_ms, 500);
    }

    #[test]
    fn resources_rename_remove_and_report_by_row() {
        let base = presets::scenario(&PRESETS[0]);
        // Renaming carries the step that uses it.
        let (_, checked) = edited(&base, vec![set("resources[0].name", "database")]);
        let s = checked.scenario.unwrap();
        assert!(s.resources.contains_key("database"));
        assert_eq!(s.endpoint.steps[1].resource.as_deref(), Some("database"));
        // A bad capacity is shown on its row, whatever the name.
        let (_, checked) = edited(
            &base,
            vec![
                Edit::AddResource,
                set("resources[1].name", "cache.eu"),
                set("resources[1].capacity", "0"),
            ],
        );
        assert_eq!(
            fields_of(&checked),
            vec![(Some("resources[1].capacity"), "resources.cache.eu.capacity")]
        );
        // Empty and repeated names.
        let (_, checked) = edited(&base, vec![Edit::AddResource, set("resources[1].name", "")]);
        assert_eq!(
            fields_of(&checked),
            vec![(Some("resources[1].name"), "resources")]
        );
        let (_, checked) = edited(
            &base,
            vec![Edit::AddResource, set("resources[1].name", "db")],
        );
        assert_eq!(
            fields_of(&checked),
            vec![(Some("resources[1].name"), "resources")]
        );
        assert!(checked.scenario.is_none());
        // Removing a resource a step uses leaves the step pointing at the old name, which the
        // engine reports on the step.
        let (draft, checked) = edited(&base, vec![Edit::RemoveResource(0)]);
        assert_eq!(
            draft.steps[1].resource,
            ResourceRef::Missing("db".to_owned())
        );
        assert_eq!(
            fields_of(&checked),
            vec![(
                Some("endpoint.steps[1].resource"),
                "endpoint.steps[1].resource"
            )]
        );
        // Choosing none clears it.
        let (_, checked) = edited(
            &base,
            vec![
                Edit::RemoveResource(0),
                set("endpoint.steps[1].resource", ""),
            ],
        );
        assert_eq!(checked.scenario.unwrap().endpoint.steps[1].resource, None);
    }

    #[test]
    fn new_resources_get_free_names() {
        let (draft, checked) = edited(
            &Scenario::default(),
            vec![Edit::AddResource, Edit::AddResource],
        );
        assert_eq!(draft.resources[0].name, "resource1");
        assert_eq!(draft.resources[1].name, "resource2");
        assert!(checked.problems.is_empty());
    }

    #[test]
    fn json_numbers_are_recognised_as_serde_json_reads_them() {
        for text in [
            "0",
            "-0",
            "7",
            "120",
            "0.5",
            "-3.25",
            "1e3",
            "1E+3",
            "2.5e-2",
            "18446744073709551615",
        ] {
            assert!(is_json_number(text), "{text}");
            assert!(
                serde_json::from_str::<serde_json::Number>(text).is_ok(),
                "{text}"
            );
        }
        for text in [
            "", "-", "01", "1.", ".5", "1e", "1e+", "+1", "0x10", "1 2", "NaN", "inf", "1,5",
        ] {
            assert!(!is_json_number(text), "{text}");
        }
    }

    #[test]
    fn slots_split_and_become_dom_ids() {
        assert_eq!(
            split_row_slot("endpoint.steps[12].io_ms"),
            Some(("endpoint.steps", 12, "io_ms"))
        );
        assert_eq!(
            split_row_slot("endpoint.steps[2]"),
            Some(("endpoint.steps", 2, ""))
        );
        assert_eq!(split_row_slot("load.users"), None);
        assert_eq!(
            dom_id("endpoint.steps[1].io_ms"),
            "ed-endpoint-steps-1--io_ms"
        );
    }
}
