//! The scenario editor's model, kept apart from the component so it is tested natively.
//!
//! A [`Draft`] holds every field of a scenario as the text the reader typed, so a half-typed
//! value such as `1e` is kept and reported rather than lost. [`check`] turns the draft into
//! scenario JSON, asks the engine's own parser ([`sim::parse_scenario`]) to read it, and maps
//! each [`FieldError`] back to the place in the form where it belongs. The editor never
//! decides whether a value is allowed: the engine does, with its own messages.
//!
//! The fields, their kinds, labels, units, defaults and when each applies are the engine's
//! field table ([`sim::schema`]); this file adds only words of the page (what each name is
//! called in a select, why a hidden field is hidden). A field added to the engine's table
//! shows up in the form by itself.
//!
//! Places in the form are named by *slots*. A slot is the engine's field path (`load.users`,
//! `endpoint.steps[1].io_ms`, `load.bursts[0].rate_per_s`), except for resources, whose
//! engine path carries the name being edited (`resources.db.capacity`); their slots use the
//! row instead (`resources[0].name`, `resources[0].capacity`), so renaming one does not
//! move its messages.

use sim::schema::{self, Val, When};
use sim::write::push_json_string;
use sim::{Dist, FieldError, Scenario, Step};

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
    /// One of the engine's names, shown as a `<select>` (see [`option_words`]).
    Name(&'static [&'static str]),
}

/// One scalar field of the form, as the engine's table describes it.
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
    /// When it applies.
    pub when: When,
}

/// The form's spec of an engine field; `None` for the lists and a step's resource, which
/// the form draws on their own.
fn spec_of<T>(f: &schema::Field<T>) -> Option<FieldSpec> {
    let kind = match (f.kind, f.optional) {
        (schema::Kind::Int { .. }, false) => Kind::Int,
        (schema::Kind::Int { .. }, true) => Kind::OptInt,
        (schema::Kind::Float { .. }, false) => Kind::Float,
        (schema::Kind::Float { .. }, true) => Kind::OptFloat,
        (schema::Kind::Bool, _) => Kind::Flag,
        (schema::Kind::Name(names), _) => Kind::Name(names),
        _ => return None,
    };
    Some(FieldSpec {
        path: f.path,
        label: f.label,
        unit: f.unit,
        kind,
        empty: if f.optional { f.absent } else { "" },
        when: f.when,
    })
}

/// What the form shows for each of the engine's names; a name not listed shows as itself.
pub const OPTION_WORDS: &[(&str, &str)] = &[
    ("closed", "closed: a fixed number of users"),
    ("open", "open: requests arrive at a rate"),
    ("lognormal", "log-normal"),
    ("socket", "a socket (database, HTTP)"),
    ("timer", "a timer (Task.Delay)"),
    ("net6", ".NET 6"),
    ("net8", ".NET 7–9"),
    ("net10", ".NET 10"),
    ("blocking", "blocking: ToList()"),
    ("async", "async: await ToListAsync()"),
    ("sync_over_async", "sync over async: .Result"),
    ("task_run_wrap", "await Task.Run(() => ToList())"),
    ("cpu_bound", "CPU-bound: plain synchronous code"),
    ("result", ".Result / .Wait()"),
    ("sleep_poll", "Thread.Sleep polling loop"),
];

/// The words shown for one of the engine's names.
pub fn option_words(name: &'static str) -> &'static str {
    OPTION_WORDS
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(name, |(_, words)| words)
}

/// Every scalar field outside the lists, keyed by the engine's path, in the engine's order;
/// the form groups them by their first path segment. `version` is not the reader's to edit.
pub fn fields() -> Vec<FieldSpec> {
    schema::SCENARIO
        .iter()
        .filter(|f| f.path != "version")
        .filter_map(spec_of)
        .collect()
}

/// The fields of one burst of an open load.
pub fn burst_fields() -> Vec<FieldSpec> {
    schema::BURST.iter().filter_map(spec_of).collect()
}

/// The fields of a step of this kind (an I/O step's resource is chosen separately, from
/// the resources).
pub fn step_fields(kind: StepKind) -> Vec<FieldSpec> {
    schema::STEP
        .iter()
        .filter_map(spec_of)
        .filter(|f| match f.when {
            When::CpuStep => kind == StepKind::Cpu,
            _ => kind == StepKind::Io,
        })
        .collect()
}

/// The spec of a fixed field.
pub fn spec(path: &str) -> Option<FieldSpec> {
    schema::field(path)
        .filter(|f| f.path != "version")
        .and_then(spec_of)
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

/// A value of the engine's as the form's text: numbers as the shortest text that reads
/// back as the same value (`0.1`, `200`), `true`/`false`, names; empty when absent.
fn text_of(value: Val<'_>) -> String {
    match value {
        Val::Absent => String::new(),
        Val::Int(n) => n.to_string(),
        Val::Float(x) => sim::decimal::shortest(x),
        Val::Bool(b) => b.to_string(),
        Val::Name(name) => name.to_owned(),
        Val::Text(text) => text.to_owned(),
    }
}

/// The texts of a record's fields, as the form shows them.
fn texts_of<T>(fields: &[FieldSpec], table: &[schema::Field<T>], record: &T) -> Texts {
    fields
        .iter()
        .filter_map(|spec| {
            let f = table.iter().find(|f| f.path == spec.path)?;
            Some((spec.path, text_of((f.get)(record))))
        })
        .collect()
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
        let mut draft = Draft {
            fields: texts_of(&fields(), schema::SCENARIO, scenario),
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
            draft.push_burst(burst);
        }
        for step in &scenario.endpoint.steps {
            draft.push_step_row(step);
        }
        draft
    }

    fn push_burst(&mut self, burst: &sim::Burst) {
        let id = self.new_id();
        let fields = texts_of(&burst_fields(), schema::BURST, burst);
        self.bursts.push(Row { id, fields });
    }

    fn push_step_row(&mut self, step: &Step) {
        let id = self.new_id();
        let kind = if step.io_ms.is_some() {
            StepKind::Io
        } else {
            StepKind::Cpu
        };
        let fields = texts_of(&step_fields(kind), schema::STEP, step);
        let resource = match &step.resource {
            None => ResourceRef::None,
            Some(name) => match self.resources.iter().find(|r| &r.name == name) {
                Some(r) => ResourceRef::Row(r.id),
                None => ResourceRef::Missing(name.clone()),
            },
        };
        self.steps.push(StepDraft {
            kind,
            row: Row { id, fields },
            resource,
        });
    }

    fn new_id(&mut self) -> u32 {
        self.next_id += 1;
        self.next_id
    }

    /// The text of a fixed field (see [`fields`]); empty for an unknown path.
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
        // The engine's table lists each group's fields together, top-level ones first.
        let mut group = "";
        for f in schema::SCENARIO.iter().filter(|f| f.path != "version") {
            let (head, key) = schema::split(f.path);
            if head != group {
                if !group.is_empty() {
                    out.push('}');
                }
                group = head;
                if !head.is_empty() {
                    out.push(',');
                    push_json_string(&mut out, head);
                    out.push_str(":{");
                }
            }
            match f.path {
                "load.bursts" => self.push_bursts(&mut out),
                "endpoint.steps" => self.push_steps(&mut out),
                "resources" => self.push_resources(&mut out),
                _ => {
                    if let Some(spec) = spec_of(f) {
                        push_field(&mut out, key, spec.kind, self.text(f.path));
                    }
                }
            }
        }
        if !group.is_empty() {
            out.push('}');
        }
        out.push('}');
        out
    }

    fn push_key(out: &mut String, key: &str) {
        if !out.ends_with('{') {
            out.push(',');
        }
        push_json_string(out, key);
        out.push(':');
    }

    fn push_bursts(&self, out: &mut String) {
        Self::push_key(out, "bursts");
        out.push('[');
        let specs = burst_fields();
        for (i, row) in self.bursts.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_row(out, row, &specs);
            out.push('}');
        }
        out.push(']');
    }

    fn push_steps(&self, out: &mut String) {
        Self::push_key(out, "steps");
        out.push('[');
        let (cpu, io) = (step_fields(StepKind::Cpu), step_fields(StepKind::Io));
        for (i, step) in self.steps.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            match step.kind {
                StepKind::Cpu => {
                    out.push('{');
                    for f in &cpu {
                        let text = step.row.text(f.path);
                        // The format leaves a CPU step's flags out when false.
                        if f.kind != Kind::Flag || text == "true" {
                            push_field(out, f.path, f.kind, text);
                        }
                    }
                }
                StepKind::Io => {
                    push_row(out, &step.row, &io);
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
        out.push(']');
    }

    fn push_resources(&self, out: &mut String) {
        Self::push_key(out, "resources");
        out.push('{');
        for (i, r) in self.resources.iter().enumerate() {
            // A repeated name would overwrite the first; `check` reports it instead.
            if self.resources[..i].iter().any(|other| other.name == r.name) {
                continue;
            }
            if !out.ends_with('{') {
                out.push(',');
            }
            push_json_string(out, &r.name);
            out.push_str(":{");
            push_field(out, "capacity", Kind::Int, &r.capacity);
            out.push('}');
        }
        out.push('}');
    }

    /// Applies one edit. Edits that name a row or slot that does not exist do nothing.
    pub fn apply(&mut self, edit: Edit) {
        match edit {
            Edit::Set(slot, text) => self.set(&slot, text),
            Edit::AddBurst => self.push_burst(&sim::Burst::default()),
            Edit::RemoveBurst(i) if i < self.bursts.len() => {
                self.bursts.remove(i);
            }
            // New steps: 1 ms of CPU, or a 100 ms call.
            Edit::AddCpuStep => self.push_step_row(&Step::cpu(1.0)),
            Edit::AddIoStep => self.push_step_row(&Step::io(100.0, Dist::Fixed, None)),
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
        let when = match split_row_slot(slot) {
            None => schema::field(slot)?.when,
            Some(("load.bursts", _, _)) => schema::field("load.bursts")?.when,
            Some(("endpoint.steps", i, key)) => {
                let when = schema::STEP.iter().find(|f| f.path == key)?.when;
                let lognormal = self
                    .steps
                    .get(i)
                    .is_some_and(|s| s.row.text("dist") == "lognormal");
                if when == When::Lognormal && !lognormal {
                    return Some("it applies to log-normal latency");
                }
                return None;
            }
            Some(_) => return None,
        };
        let closed = self.text("load.kind") != "open";
        let sync_over_async = self.text("endpoint.style") == "sync_over_async";
        match when {
            When::ClosedLoad if !closed => Some("it applies to a closed load"),
            When::OpenLoad if closed => Some("it applies to an open load"),
            When::SyncOverAsync if !sync_over_async => {
                Some("it applies to the sync_over_async style")
            }
            When::SleepPoll if !sync_over_async || self.text("endpoint.wait") != "sleep_poll" => {
                Some("it applies to sync_over_async with the sleep_poll wait")
            }
            _ => None,
        }
    }

    /// Whether the form has a place for this slot (shown or hidden by a choice).
    fn has_slot(&self, slot: &str) -> bool {
        let is_list = |f: &schema::Field<Scenario>| {
            matches!(f.kind, schema::Kind::List { .. } | schema::Kind::Map { .. })
        };
        if self.fields.contains_key(slot) || schema::field(slot).is_some_and(is_list) {
            return true;
        }
        let Some((list, i, key)) = split_row_slot(slot) else {
            return false;
        };
        match list {
            "load.bursts" => {
                i < self.bursts.len()
                    && (key.is_empty() || burst_fields().iter().any(|f| f.path == key))
            }
            "endpoint.steps" => self.steps.get(i).is_some_and(|s| {
                let specs = step_fields(s.kind);
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

    /// The form is the engine's table: every field but `version` has a place, every name a
    /// select option with words of its own.
    #[test]
    fn the_form_follows_the_engine_table() {
        let lists = ["load.bursts", "endpoint.steps", "resources"];
        for f in sim::schema::SCENARIO {
            let placed = spec(f.path).is_some() || lists.contains(&f.path);
            assert_eq!(placed, f.path != "version", "{}", f.path);
        }
        let steps: Vec<&str> = step_fields(StepKind::Cpu)
            .iter()
            .chain(&step_fields(StepKind::Io))
            .map(|f| f.path)
            .chain(["resource"])
            .collect();
        let engine: Vec<&str> = sim::schema::STEP.iter().map(|f| f.path).collect();
        assert_eq!(steps.len(), engine.len());
        assert!(engine.iter().all(|p| steps.contains(p)));
        // Words are only for names the engine has.
        assert!(OPTION_WORDS.iter().all(|(name, _)| {
            sim::schema::SCENARIO
                .iter()
                .filter_map(|f| match f.kind {
                    sim::schema::Kind::Name(names) => Some(names),
                    _ => None,
                })
                .chain(sim::schema::STEP.iter().filter_map(|f| match f.kind {
                    sim::schema::Kind::Name(names) => Some(names),
                    _ => None,
                }))
                .any(|names| names.contains(name))
        }));
    }

    #[test]
    fn every_fixed_field_reaches_its_engine_path() {
        let base = Scenario::default();
        for f in fields() {
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
