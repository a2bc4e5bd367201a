//! The form's fields, as the engine's table describes them (`sim::schema`), with the
//! page's words for the engine's names; and the slots that name places in the form.

use sim::schema::{self, When};

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
pub(super) fn spec_of<T>(f: &schema::Field<T>) -> Option<FieldSpec> {
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
