//! `SCENARIO.md`'s field tables, written from the schema (a test keeps the file equal to
//! them).

use super::*;

/// A whole number as `SCENARIO.md` writes it: `86,400,000`, and `2⁶⁴−1` for the largest.
fn grouped(n: u64) -> String {
    if n == u64::MAX {
        return "2⁶⁴−1".to_owned();
    }
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn grouped_float(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        grouped(x as u64)
    } else {
        shortest(x)
    }
}

fn doc_type(kind: Kind, optional: bool) -> String {
    let base = match kind {
        Kind::Int { .. } => "integer".to_owned(),
        Kind::Float { .. } => "number".to_owned(),
        Kind::Bool => "bool".to_owned(),
        Kind::Name(names) => names
            .iter()
            .map(|n| format!("`\"{n}\"`"))
            .collect::<Vec<_>>()
            .join(" \\| "),
        Kind::ResourceName => "string".to_owned(),
        Kind::List { .. } => "list".to_owned(),
        Kind::Map { .. } => "object".to_owned(),
    };
    if optional && matches!(kind, Kind::Int { .. } | Kind::Float { .. }) {
        format!("{base} or absent")
    } else {
        base
    }
}

fn doc_range(kind: Kind, rule: &str) -> String {
    let range = match kind {
        Kind::Int { min, max } if min == max => grouped(min),
        Kind::Int { min, max } => format!("{} – {}", grouped(min), grouped(max)),
        Kind::Float { min, max } => format!("{} – {}", grouped_float(min), grouped_float(max)),
        Kind::List {
            min: 0, max, noun, ..
        } => format!("at most {max} {noun}"),
        Kind::List { min, max, noun, .. } => format!("{min} – {max} {noun}"),
        Kind::Map { max, noun, .. } => format!("at most {max} {noun}"),
        Kind::Bool | Kind::Name(_) | Kind::ResourceName => String::new(),
    };
    match (range.is_empty(), rule.is_empty()) {
        (_, true) => range,
        (true, false) => rule.to_owned(),
        (false, false) => format!("{range}, {rule}"),
    }
}

fn doc_default<T>(f: &Field<T>, record: &T) -> String {
    match (f.get)(record) {
        _ if matches!(f.kind, Kind::List { .. } | Kind::Map { .. }) => f.absent.to_owned(),
        _ if f.path == "version" => f.absent.to_owned(),
        Val::Absent if f.absent.is_empty() => "—".to_owned(),
        Val::Absent if f.absent.starts_with('=') => format!("= `{}`", f.absent[1..].trim()),
        Val::Absent => f.absent.to_owned(),
        Val::Int(n) => grouped(n),
        Val::Float(x) => grouped_float(x),
        Val::Bool(b) => b.to_string(),
        Val::Name(name) => format!("`\"{name}\"`"),
        Val::Text(text) => format!("`\"{text}\"`"),
    }
}

fn doc_row<T>(out: &mut String, name: &str, f: &Field<T>, record: &T) {
    out.push_str(&format!(
        "| `{name}` | {} | {} | {} | {} |\n",
        doc_type(f.kind, f.optional),
        doc_default(f, record),
        doc_range(f.kind, f.rule),
        f.doc
    ));
}

const DOC_HEAD: &str = "| field | type | default | range | meaning |\n|---|---|---|---|---|\n";

/// `SCENARIO.md`'s field tables, generated from the fields above: (the name in the
/// file's marker comments, the table). The names are `top` (top-level fields and the
/// groups), each group's name (`machine`, `pool`, `load` with its bursts' fields,
/// `endpoint`, `limits`), `steps` and `resources`.
pub fn markdown_tables() -> Vec<(String, String)> {
    let s = Scenario::default();
    let mut tables: Vec<(String, String)> = Vec::new();
    let mut top = DOC_HEAD.to_owned();
    for f in SCENARIO {
        let (group, key) = split(f.path);
        if group.is_empty() {
            doc_row(&mut top, key, f, &s);
            continue;
        }
        if tables.last().map(|(g, _)| g.as_str()) != Some(group) {
            let doc = GROUPS
                .iter()
                .find(|(g, _)| *g == group)
                .map_or("", |(_, d)| *d);
            top.push_str(&format!("| `{group}` | object | see below | | {doc} |\n"));
            tables.push((group.to_owned(), DOC_HEAD.to_owned()));
        }
        let table = &mut tables.last_mut().expect("pushed above").1;
        doc_row(table, key, f, &s);
        if f.kind.list() == Some(List::Bursts) {
            let burst = Burst::default();
            for b in BURST {
                doc_row(table, &format!("bursts[i].{}", b.path), b, &burst);
            }
        }
    }
    let mut steps = DOC_HEAD.to_owned();
    for f in STEP {
        doc_row(&mut steps, f.path, f, &Step::default());
    }
    let mut resources = DOC_HEAD.to_owned();
    for f in RESOURCE {
        doc_row(&mut resources, f.path, f, &Resource::default());
    }
    tables.insert(0, ("top".to_owned(), top));
    tables.push(("steps".to_owned(), steps));
    tables.push(("resources".to_owned(), resources));
    tables
}

/// `text` (SCENARIO.md) with each table between `<!-- fields:NAME -->` and
/// `<!-- /fields -->` replaced by the generated one; the prose around them is kept.
pub fn with_tables(text: &str) -> String {
    let mut out = text.to_owned();
    for (name, table) in markdown_tables() {
        let open = format!("<!-- fields:{name} -->\n");
        let Some(start) = out.find(&open).map(|i| i + open.len()) else {
            continue;
        };
        let Some(len) = out[start..].find("<!-- /fields -->") else {
            continue;
        };
        out.replace_range(start..start + len, &table);
    }
    out
}
