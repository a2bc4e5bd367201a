//! The one scenario writer, the parser's counterpart: it walks the field table
//! ([`crate::schema`]) and writes JSON that [`crate::parse_scenario`] reads back to the same
//! scenario. Three forms: compact (one line), pretty (two spaces a level, one member a
//! line, `"key": value`), and short (compact, every field equal to its default left out,
//! `version` kept: what links carry). Written by hand rather than by serde's serializer,
//! which would bring a generic copy of itself for every type it writes into the page's
//! bundle.
//!
//! Numbers are written as the shortest text that reads back as the same value (`0.5`,
//! `200`; [`crate::decimal::shortest`]). A step leaves out its fields that have their
//! default (a CPU step is `{"cpu_ms": 1}`), in every form: the fields of I/O steps are
//! refused on CPU steps and the other way round.

use crate::decimal::shortest;
use crate::scenario::Scenario;
use crate::schema::{self, split, Field, Key, Kind, List, Records, Val};

/// How [`write`] lays the JSON out and what it leaves out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JsonForm {
    /// Indented, one member a line; else all on one line with no spaces.
    pub pretty: bool,
    /// Leaves out every field (and group, and list) equal to its default; `version` stays.
    pub skip_defaults: bool,
}

impl JsonForm {
    /// Every field, on one line.
    pub const COMPACT: JsonForm = JsonForm {
        pretty: false,
        skip_defaults: false,
    };
    /// Every field, indented: what a saved file holds.
    pub const PRETTY: JsonForm = JsonForm {
        pretty: true,
        skip_defaults: false,
    };
    /// Only what differs from the defaults, on one line: what a link carries.
    pub const SHORT: JsonForm = JsonForm {
        pretty: false,
        skip_defaults: true,
    };
}

/// Appends `text` as a JSON string.
pub fn push_json_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(char::from(HEX[(c as usize) >> 4]));
                out.push(char::from(HEX[(c as usize) & 15]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// JSON being written: where members go and how they are separated.
struct Out {
    text: String,
    pretty: bool,
    depth: usize,
    /// Nothing written yet in the object or array just opened.
    fresh: bool,
}

impl Out {
    fn open(&mut self, c: char) {
        self.text.push(c);
        self.depth += 1;
        self.fresh = true;
    }

    fn close(&mut self, c: char) {
        self.depth -= 1;
        if !self.fresh {
            self.newline();
        }
        self.text.push(c);
        self.fresh = false;
    }

    fn newline(&mut self) {
        if self.pretty {
            self.text.push('\n');
            for _ in 0..self.depth {
                self.text.push_str("  ");
            }
        }
    }

    /// Starts the next member of an array.
    fn item(&mut self) {
        if !self.fresh {
            self.text.push(',');
        }
        self.fresh = false;
        self.newline();
    }

    /// Starts the next member of an object: its key.
    fn key(&mut self, key: &str) {
        self.item();
        push_json_string(&mut self.text, key);
        self.text.push_str(if self.pretty { ": " } else { ":" });
    }

    fn value(&mut self, value: Val<'_>) {
        match value {
            Val::Absent => self.text.push_str("null"),
            Val::Int(n) => self.text.push_str(&n.to_string()),
            Val::Float(x) if x.is_finite() => self.text.push_str(&shortest(x)),
            // Not JSON; no valid scenario has one, and the parser reports it.
            Val::Float(_) => self.text.push_str("null"),
            Val::Bool(b) => self.text.push_str(if b { "true" } else { "false" }),
            Val::Name(name) => push_json_string(&mut self.text, name),
            Val::Text(text) => push_json_string(&mut self.text, text),
        }
    }

    /// An item's fields, as an object; those equal to `default`'s left out when `skip`.
    fn record<T>(&mut self, fields: &[Field<T>], item: &T, default: &T, skip: bool) {
        self.open('{');
        for f in fields {
            let value = (f.get)(item);
            if value == Val::Absent || (skip && value == (f.get)(default)) {
                continue;
            }
            self.key(f.path);
            self.value(value);
        }
        self.close('}');
    }
}

/// Writes a list's items: an array's one after another, a map's under their names.
struct Items<'o> {
    out: &'o mut Out,
    skip: bool,
}

impl Records for Items<'_> {
    fn record<T>(&mut self, key: Key<'_>, fields: &'static [Field<T>], item: &T, default: &T) {
        match key {
            Key::Index(_) => self.out.item(),
            Key::Name(name) => self.out.key(name),
        }
        self.out.record(fields, item, default, self.skip);
    }
}

/// Writes the scenario's `list`, of the field kind `kind`: a map as an object, a list as
/// an array.
fn write_list(out: &mut Out, s: &Scenario, list: List, kind: Kind, skip: bool) {
    let (open, close) = match kind {
        Kind::Map { .. } => ('{', '}'),
        _ => ('[', ']'),
    };
    out.open(open);
    let mut items = Items {
        out,
        skip: skip || list.items_skip_defaults(),
    };
    list.each(s, &mut items);
    out.close(close);
}

impl Scenario {
    /// The scenario as indented JSON with every field (what a saved file holds).
    pub fn to_json(&self) -> String {
        write(self, JsonForm::PRETTY)
    }

    /// The scenario as JSON in the form asked for (see [`write`]).
    pub fn to_json_as(&self, form: JsonForm) -> String {
        write(self, form)
    }
}

/// The scenario as JSON, in the form asked for.
pub fn write(s: &Scenario, form: JsonForm) -> String {
    let default = Scenario::default();
    let skip = form.skip_defaults;
    // Whether a field is written.
    let written = |f: &Field<Scenario>| {
        if let Some(list) = f.kind.list() {
            !skip || !list.is_default(s)
        } else {
            let value = (f.get)(s);
            value != Val::Absent && (!skip || f.path == "version" || value != (f.get)(&default))
        }
    };
    let mut out = Out {
        text: String::with_capacity(1024),
        pretty: form.pretty,
        depth: 0,
        fresh: true,
    };
    out.open('{');
    let mut rest = schema::SCENARIO;
    while let Some(first) = rest.first() {
        let group = split(first.path).0;
        let n = if group.is_empty() {
            1
        } else {
            rest.iter().take_while(|f| split(f.path).0 == group).count()
        };
        let (these, after) = rest.split_at(n);
        rest = after;
        if !these.iter().any(written) {
            // A group equal to its defaults is left out whole; with every field written it
            // never is, for each group has a field that is never absent.
            continue;
        }
        if !group.is_empty() {
            out.key(group);
            out.open('{');
        }
        for f in these.iter().filter(|f| written(f)) {
            out.key(f.key());
            match f.kind.list() {
                Some(list) => write_list(&mut out, s, list, f.kind, skip),
                None => out.value((f.get)(s)),
            }
        }
        if !group.is_empty() {
            out.close('}');
        }
    }
    out.close('}');
    out.text
}
