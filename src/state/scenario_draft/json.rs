//! The draft as scenario JSON, for the engine's own parser to read: numbers exactly as
//! typed where JSON reads them as numbers, anything else as a string the engine reports.

use sim::schema;
use sim::write::push_json_string;

use super::draft::{Draft, ResourceRef, Row};
use super::fields::{burst_fields, spec_of, step_fields, FieldSpec, Kind, StepKind};

/// Whether `t` is a number in JSON's grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
pub(super) fn is_json_number(t: &str) -> bool {
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

impl Draft {
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
}
