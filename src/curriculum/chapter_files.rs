//! Reads the chapters' Markdown files (`src/curriculum/chapters/NN-slug.md`) and their
//! sources (`chapters/sources.toml`) and writes them as Rust: the `CHAPTERS` and
//! `WORKLOADS` constants `content.rs` includes. The build script runs this (it includes
//! the file with `#[path]`), so the page ships plain static data and no Markdown or TOML
//! reader; the crate compiles it only for its tests.
//!
//! A chapter file is TOML front matter between `+++` lines, then paragraphs: the prose,
//! then `## After the answer` and the paragraphs revealed once the reader has answered,
//! then `## Why` and the question's one-paragraph explanation. `chapters/README.md`
//! describes the format for the people who write the chapters. Every mistake is reported
//! with the file, the line and what is allowed, because the person who reads the message
//! may be a teacher fixing a sentence, not a Rust programmer.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Deserialize;

use super::names::{Bound, Measure, Target};

/// The heading before the paragraphs shown once the question is answered.
pub const REVEAL_HEADING: &str = "## After the answer";
/// The heading before the question's explanation.
pub const WHY_HEADING: &str = "## Why";

/// A source a chapter cites, from `sources.toml`.
#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SourceEntry {
    pub label: String,
    pub url: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Front {
    title: String,
    claim: String,
    #[serde(default)]
    figures: Vec<String>,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default)]
    run: Vec<Run>,
    #[serde(default)]
    watch: Vec<Cue>,
    question: Option<Question>,
    #[serde(default)]
    exercise: Vec<Workload>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Run {
    label: String,
    a: String,
    a_title: String,
    b: Option<String>,
    b_title: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Cue {
    target: String,
    text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Question {
    /// Which of the chapter's runs answers it, counting from 1.
    #[serde(default = "first_run")]
    run: usize,
    prompt: String,
    measure: String,
    at_ms: u64,
    choices: Vec<Choice>,
}

fn first_run() -> usize {
    1
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Choice {
    label: String,
    from: f64,
    to: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Workload {
    what: String,
    bound: String,
    why: String,
}

/// One chapter file, read and checked.
#[derive(Debug)]
pub struct ChapterFile {
    pub slug: String,
    front: Front,
    figures: Vec<Measure>,
    targets: Vec<Target>,
    measure: Option<Measure>,
    bounds: Vec<Bound>,
    pub prose: Vec<String>,
    pub reveal: Vec<String>,
    pub explain: Option<String>,
}

/// Reads `sources.toml`: a table per source, keyed by the name chapters cite it by.
pub fn parse_sources(text: &str) -> Result<BTreeMap<String, SourceEntry>, String> {
    let sources: BTreeMap<String, SourceEntry> =
        toml::from_str(text).map_err(|e| format!("sources.toml: {e}"))?;
    for (key, s) in &sources {
        if let Some(url) = &s.url {
            if !url.starts_with("https://") {
                return Err(format!(
                    "sources.toml: [{key}] url must be an https address, not {url:?}"
                ));
            }
        }
    }
    Ok(sources)
}

/// The slug a chapter file's name gives, and its place: `07-starvation.md` is chapter 7,
/// slug `starvation`. `None` for a file that is not a chapter (the README).
pub fn chapter_file_name(name: &str) -> Option<(usize, &str)> {
    let stem = name.strip_suffix(".md")?;
    let (number, slug) = stem.split_once('-')?;
    if number.len() != 2 || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((number.parse().ok()?, slug))
}

fn check_slug(file: &str, slug: &str) -> Result<(), String> {
    let fine = !slug.is_empty()
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if fine {
        Ok(())
    } else {
        Err(format!(
            "{file}: the part of the file name after the number is the chapter's link name \
             (`?chapter=...`); use lowercase letters, digits and '-' only"
        ))
    }
}

/// Looks a name up in one of the closed sets of `names.rs`, or says which names exist.
fn name_of<T: Copy>(
    file: &str,
    field: &str,
    value: &str,
    from_name: fn(&str) -> Option<T>,
    names: &[&str],
) -> Result<T, String> {
    from_name(value).ok_or_else(|| {
        format!(
            "{file}: {field} = {value:?} is not one of: {}",
            names.join(", ")
        )
    })
}

/// Reads one chapter file. `file` is its name (for messages and its slug); `sources` are
/// the keys it may cite.
pub fn parse_chapter(
    file: &str,
    text: &str,
    sources: &BTreeMap<String, SourceEntry>,
) -> Result<ChapterFile, String> {
    let (_, slug) = chapter_file_name(file)
        .ok_or_else(|| format!("{file}: a chapter file is named NN-slug.md"))?;
    check_slug(file, slug)?;
    let text = text.replace("\r\n", "\n");
    let rest = text
        .strip_prefix("+++\n")
        .ok_or_else(|| format!("{file}:1: a chapter file starts with a line `+++`"))?;
    let end = rest
        .find("\n+++\n")
        .ok_or_else(|| format!("{file}: the front matter has no closing `+++` line"))?;
    let front_text = &rest[..=end];
    // The body's first line number: the opening `+++`, the front matter, the closing one.
    let body_line = 2 + front_text.lines().count() + 1;
    let body = &rest[end + "\n+++\n".len()..];

    let front: Front = toml::from_str(front_text).map_err(|e| {
        // toml's own message names the line within the front matter; say which file.
        format!("{file} (front matter, which starts on line 2): {e}")
    })?;

    let figures = front
        .figures
        .iter()
        .map(|f| name_of(file, "figures", f, Measure::from_name, Measure::NAMES))
        .collect::<Result<Vec<_>, _>>()?;
    let targets = front
        .watch
        .iter()
        .map(|c| {
            name_of(
                file,
                "[[watch]] target",
                &c.target,
                Target::from_name,
                Target::NAMES,
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    let bounds = front
        .exercise
        .iter()
        .map(|w| {
            name_of(
                file,
                "[[exercise]] bound",
                &w.bound,
                Bound::from_name,
                Bound::NAMES,
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    for key in &front.sources {
        if !sources.contains_key(key) {
            let known: Vec<&str> = sources.keys().map(String::as_str).collect();
            return Err(format!(
                "{file}: sources: {key:?} is not in sources.toml, which has: {}",
                known.join(", ")
            ));
        }
    }
    for (i, run) in front.run.iter().enumerate() {
        if run.b.is_some() != run.b_title.is_some() {
            return Err(format!(
                "{file}: run {} has one of b and b_title without the other; a side B needs both",
                i + 1
            ));
        }
    }
    let measure = match &front.question {
        None => None,
        Some(q) => {
            if q.run == 0 || q.run > front.run.len() {
                return Err(format!(
                    "{file}: [question] run = {} names no run: the chapter has {} (counting from 1)",
                    q.run,
                    front.run.len()
                ));
            }
            if q.choices.len() < 2 {
                return Err(format!("{file}: [question] needs at least two choices"));
            }
            for c in &q.choices {
                // NaN cannot come from TOML's numbers, but a range must still be a range.
                if c.from.partial_cmp(&c.to) != Some(std::cmp::Ordering::Less) {
                    return Err(format!(
                        "{file}: [question] choice {:?}: from ({}) must be below to ({})",
                        c.label, c.from, c.to
                    ));
                }
            }
            Some(name_of(
                file,
                "[question] measure",
                &q.measure,
                Measure::from_name,
                Measure::NAMES,
            )?)
        }
    };

    let (prose, reveal, explain) = parse_body(file, body, body_line)?;
    if prose.is_empty() {
        return Err(format!(
            "{file}: the chapter has no paragraph before its headings"
        ));
    }
    match (&front.question, explain.is_some()) {
        (Some(_), false) => {
            return Err(format!(
                "{file}: the chapter asks a question, so it ends with `{WHY_HEADING}` and a \
                 paragraph saying why the answer is what it is"
            ))
        }
        (None, true) => {
            return Err(format!(
                "{file}: `{WHY_HEADING}` explains a question's answer, and the chapter has no \
                 [question]"
            ))
        }
        _ => {}
    }
    if front.question.is_none() && !reveal.is_empty() {
        return Err(format!(
            "{file}: `{REVEAL_HEADING}` is shown once the question is answered, and the \
             chapter has no [question]"
        ));
    }
    Ok(ChapterFile {
        slug: slug.to_owned(),
        front,
        figures,
        targets,
        measure,
        bounds,
        prose,
        reveal,
        explain,
    })
}

type Body = (Vec<String>, Vec<String>, Option<String>);

/// Splits the body into the prose, the reveal and the explanation. A paragraph is lines
/// joined with single spaces; blank lines separate paragraphs. Markdown this page does not
/// draw (lists, quotes, other headings, emphasis, links) is refused rather than shown as
/// raw marks to readers.
fn parse_body(file: &str, body: &str, first_line: usize) -> Result<Body, String> {
    let mut sections: [Vec<String>; 3] = Default::default();
    let mut section = 0;
    let mut paragraph: Vec<&str> = Vec::new();
    let flush = |paragraph: &mut Vec<&str>, out: &mut Vec<String>| {
        if !paragraph.is_empty() {
            out.push(paragraph.join(" "));
            paragraph.clear();
        }
    };
    for (i, raw) in body.lines().enumerate() {
        let line_no = first_line + i;
        let line = raw.trim();
        if line.is_empty() {
            flush(&mut paragraph, &mut sections[section]);
            continue;
        }
        if line.starts_with('#') {
            flush(&mut paragraph, &mut sections[section]);
            let next = match line {
                REVEAL_HEADING => 1,
                WHY_HEADING => 2,
                _ => {
                    return Err(format!(
                        "{file}:{line_no}: the only headings are `{REVEAL_HEADING}` and \
                         `{WHY_HEADING}`, in that order"
                    ))
                }
            };
            if next <= section {
                return Err(format!(
                    "{file}:{line_no}: `{line}` comes once, after the prose{}",
                    if next == 1 { "" } else { " and the reveal" }
                ));
            }
            section = next;
            continue;
        }
        if let Some(why) = unsupported(line) {
            return Err(format!("{file}:{line_no}: {why}"));
        }
        paragraph.push(line);
    }
    flush(&mut paragraph, &mut sections[section]);
    let [prose, reveal, why] = sections;
    if why.len() > 1 {
        return Err(format!(
            "{file}: `{WHY_HEADING}` is one paragraph (the question's explanation); it has {}",
            why.len()
        ));
    }
    Ok((prose, reveal, why.into_iter().next()))
}

/// Why a line uses Markdown the page would show as raw marks, if it does.
fn unsupported(line: &str) -> Option<&'static str> {
    let list_number = line
        .split_once(". ")
        .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") || list_number {
        return Some(
            "a line may not start like a list item (`- `, `* `, `+ `, `1. `); \
             move the word to the line before",
        );
    }
    if line.starts_with('>') {
        return Some("quotes (`>`) are not drawn; write the sentence as a paragraph");
    }
    // Outside code spans: no emphasis and no Markdown links.
    let outside_code: String = line
        .split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 0)
        .map(|(_, s)| s)
        .collect();
    if outside_code.contains('*') {
        return Some("emphasis (`*`) is not drawn; the page's prose has no bold or italics");
    }
    if outside_code.contains("](") {
        return Some(
            "Markdown links are not drawn; link a glossary term with [[term]] and put \
             sources in the front matter's `sources`",
        );
    }
    None
}

/// Writes `s` as a Rust string literal.
fn lit(s: &str) -> String {
    format!("{s:?}")
}

/// Writes an `f64` as a Rust literal that reads back as the same value.
fn float(x: f64) -> String {
    format!("{x:?}_f64")
}

/// Checks the chapters as a whole and writes the Rust source that `content.rs` includes:
/// a constant per source, `CHAPTERS` and `WORKLOADS`. `files` are (file name, text).
pub fn generate(sources_toml: &str, files: &[(String, String)]) -> Result<String, String> {
    let sources = parse_sources(sources_toml)?;
    let mut numbered: Vec<(usize, &str, &str)> = Vec::new();
    for (name, text) in files {
        if let Some((n, _)) = chapter_file_name(name) {
            numbered.push((n, name, text));
        }
    }
    numbered.sort_by_key(|&(n, ..)| n);
    for (i, &(n, name, _)) in numbered.iter().enumerate() {
        if n != i + 1 {
            return Err(format!(
                "{name}: chapter files are numbered 01, 02, ... with no gap or repeat; \
                 expected {:02} here",
                i + 1
            ));
        }
    }
    let chapters = numbered
        .iter()
        .map(|&(_, name, text)| parse_chapter(name, text, &sources))
        .collect::<Result<Vec<_>, _>>()?;
    let with_exercise: Vec<&str> = chapters
        .iter()
        .filter(|c| !c.front.exercise.is_empty())
        .map(|c| c.slug.as_str())
        .collect();
    if with_exercise.len() > 1 {
        return Err(format!(
            "only one chapter may have an [[exercise]]; these do: {}",
            with_exercise.join(", ")
        ));
    }

    let mut out = String::from(
        "// Written by build.rs from src/curriculum/chapters/; edit those files, not this.\n\n",
    );
    let source_const = |key: &str| format!("SOURCE_{}", key.to_ascii_uppercase().replace('-', "_"));
    for (key, s) in &sources {
        let url = match &s.url {
            Some(u) => format!("Some({})", lit(u)),
            None => "None".to_owned(),
        };
        let _ = writeln!(
            out,
            "const {}: Source = Source {{ label: {}, url: {url} }};",
            source_const(key),
            lit(&s.label)
        );
    }
    out.push_str("\n/// The chapters in reading order.\npub const CHAPTERS: &[Chapter] = &[\n");
    for c in &chapters {
        write_chapter(&mut out, c, &source_const);
    }
    out.push_str("];\n\n/// Chapter 11's exercise.\npub const WORKLOADS: &[Workload] = &[\n");
    for c in &chapters {
        for (w, bound) in c.front.exercise.iter().zip(&c.bounds) {
            let _ = writeln!(
                out,
                "    Workload {{ what: {}, bound: Bound::{bound:?}, why: {} }},",
                lit(&w.what),
                lit(&w.why)
            );
        }
    }
    out.push_str("];\n");
    Ok(out)
}

fn write_chapter(out: &mut String, c: &ChapterFile, source_const: &dyn Fn(&str) -> String) {
    let f = &c.front;
    let list = |items: &[String]| {
        items
            .iter()
            .map(|p| format!("        {},\n", lit(p)))
            .collect::<String>()
    };
    let _ = write!(
        out,
        "    Chapter {{\n        slug: {},\n        title: {},\n        claim: {},\n        \
         prose: &[\n{}        ],\n        reveal: &[\n{}        ],\n        setups: &[\n",
        lit(&c.slug),
        lit(&f.title),
        lit(&f.claim),
        list(&c.prose),
        list(&c.reveal),
    );
    for r in &f.run {
        let b = match (&r.b, &r.b_title) {
            (Some(b), Some(t)) => format!("Some(({}, {}))", lit(b), lit(t)),
            _ => "None".to_owned(),
        };
        let _ = writeln!(
            out,
            "            Setup {{ label: {}, a: {}, a_title: {}, b: {b} }},",
            lit(&r.label),
            lit(&r.a),
            lit(&r.a_title)
        );
    }
    out.push_str("        ],\n        watch: &[\n");
    for (cue, target) in f.watch.iter().zip(&c.targets) {
        let _ = writeln!(
            out,
            "            Cue {{ text: {}, target: Target::{target:?} }},",
            lit(&cue.text)
        );
    }
    out.push_str("        ],\n        figures: &[");
    for m in &c.figures {
        let _ = write!(out, "Measure::{m:?}, ");
    }
    out.push_str("],\n        question: ");
    match (&f.question, c.measure, &c.explain) {
        (Some(q), Some(measure), Some(explain)) => {
            let _ = write!(
                out,
                "Some(Question {{\n            prompt: {},\n            setup: {},\n            \
                 measure: Measure::{measure:?},\n            at_ms: {},\n            choices: &[\n",
                lit(&q.prompt),
                q.run - 1,
                q.at_ms
            );
            for ch in &q.choices {
                let _ = writeln!(
                    out,
                    "                Choice {{ label: {}, lo: {}, hi: {} }},",
                    lit(&ch.label),
                    float(ch.from),
                    float(ch.to)
                );
            }
            let _ = write!(
                out,
                "            ],\n            explain: {},\n        }}),\n",
                lit(explain)
            );
        }
        _ => out.push_str("None,\n"),
    }
    out.push_str("        sources: &[");
    for key in &f.sources {
        let _ = write!(out, "{}, ", source_const(key));
    }
    out.push_str("],\n    },\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCES: &str = "[tutorial]\nlabel = \"A tutorial\"\nurl = \"https://example.org/t\"\n";

    /// A small chapter with every part, which each test below breaks in one place.
    const GOOD: &str = "+++
title = \"A title\"
claim = \"A claim?\"
figures = [\"threads\"]
sources = [\"tutorial\"]

[[run]]
label = \"Run one\"
a = \"blocking\"
a_title = \"ToList()\"

[[watch]]
target = \"lanes\"
text = \"The lanes.\"

[question]
prompt = \"How many?\"
measure = \"threads\"
at_ms = 1000
choices = [
  { label = \"Few\", from = 0.0, to = 2.0 },
  { label = \"Many\", from = 2, to = 1e9 },
]
+++

First paragraph, written
over two lines.

Second paragraph with a [[thread|link]] and `code`.

## After the answer

What the run showed.

## Why

Because.
";

    fn sources() -> BTreeMap<String, SourceEntry> {
        parse_sources(SOURCES).expect("the test's sources read")
    }

    fn error(name: &str, text: &str) -> String {
        parse_chapter(name, text, &sources()).expect_err("the chapter is refused")
    }

    #[test]
    fn a_chapter_reads_into_its_parts() {
        let c = parse_chapter("03-a-slug.md", GOOD, &sources()).expect("reads");
        assert_eq!(c.slug, "a-slug");
        assert_eq!(
            c.prose,
            [
                "First paragraph, written over two lines.",
                "Second paragraph with a [[thread|link]] and `code`."
            ]
        );
        assert_eq!(c.reveal, ["What the run showed."]);
        assert_eq!(c.explain.as_deref(), Some("Because."));
        assert_eq!(c.figures, [Measure::Threads]);
        assert_eq!(c.targets, [Target::Lanes]);
        // Windows line ends read the same.
        let crlf = parse_chapter("03-a-slug.md", &GOOD.replace('\n', "\r\n"), &sources());
        assert_eq!(crlf.expect("reads").prose, c.prose);
    }

    #[test]
    fn the_generated_source_holds_every_part() {
        let files = vec![("01-a-slug.md".to_owned(), GOOD.to_owned())];
        let rust = generate(SOURCES, &files).expect("generates");
        for part in [
            "slug: \"a-slug\"",
            "Setup { label: \"Run one\", a: \"blocking\", a_title: \"ToList()\", b: None }",
            "Cue { text: \"The lanes.\", target: Target::Lanes }",
            "figures: &[Measure::Threads, ]",
            "setup: 0",
            "Choice { label: \"Many\", lo: 2.0_f64, hi: 1000000000.0_f64 }",
            "explain: \"Because.\"",
            "sources: &[SOURCE_TUTORIAL, ]",
            "const SOURCE_TUTORIAL: Source = Source { label: \"A tutorial\", url: Some(\"https://example.org/t\") };",
        ] {
            assert!(rust.contains(part), "{part} missing from:\n{rust}");
        }
    }

    #[test]
    fn names_outside_their_set_are_refused_with_the_allowed_ones() {
        let e = error(
            "01-x.md",
            &GOOD.replace("measure = \"threads\"", "measure = \"thread\""),
        );
        assert!(
            e.starts_with(
                "01-x.md: [question] measure = \"thread\" is not one of: threads, threads_blocked,"
            ),
            "{e}"
        );
        let e = error(
            "01-x.md",
            &GOOD.replace("target = \"lanes\"", "target = \"lane\""),
        );
        assert!(
            e.contains("[[watch]] target = \"lane\" is not one of: cores, lanes, blocked,"),
            "{e}"
        );
        let e = error("01-x.md", &GOOD.replace("[\"tutorial\"]", "[\"tutorail\"]"));
        assert!(
            e.contains("sources: \"tutorail\" is not in sources.toml, which has: tutorial"),
            "{e}"
        );
    }

    #[test]
    fn a_misspelt_key_is_named() {
        let e = error("01-x.md", &GOOD.replace("title =", "titel ="));
        assert!(e.starts_with("01-x.md (front matter"), "{e}");
        assert!(e.contains("unknown field `titel`"), "{e}");
    }

    #[test]
    fn the_body_is_checked_with_line_numbers() {
        // Line 26 is the first paragraph's first line.
        let e = error(
            "01-x.md",
            &GOOD.replace("First paragraph, written", "- First"),
        );
        assert!(
            e.starts_with("01-x.md:26: a line may not start like a list item"),
            "{e}"
        );
        let e = error(
            "01-x.md",
            &GOOD.replace("over two lines.", "480. over two lines."),
        );
        assert!(
            e.starts_with("01-x.md:27: a line may not start like a list item"),
            "{e}"
        );
        let e = error("01-x.md", &GOOD.replace("## Why", "## Because"));
        assert!(e.starts_with("01-x.md:35: the only headings are"), "{e}");
        let e = error(
            "01-x.md",
            &GOOD.replace("Because.", "Because.\n\n## After the answer"),
        );
        assert!(e.contains("comes once"), "{e}");
        let e = error("01-x.md", &GOOD.replace("with a", "with *a*"));
        assert!(e.contains("emphasis"), "{e}");
        // A star inside code is code.
        assert!(parse_chapter("01-x.md", &GOOD.replace("`code`", "`a * b`"), &sources()).is_ok());
        let e = error("01-x.md", &GOOD.replace("with a", "with [a](https://x)"));
        assert!(e.contains("Markdown links are not drawn"), "{e}");
    }

    #[test]
    fn a_question_needs_its_run_its_choices_and_its_explanation() {
        let e = error(
            "01-x.md",
            &GOOD.replace("at_ms = 1000", "run = 2\nat_ms = 1000"),
        );
        assert!(
            e.contains("[question] run = 2 names no run: the chapter has 1"),
            "{e}"
        );
        let e = error(
            "01-x.md",
            &GOOD.replace("from = 0.0, to = 2.0", "from = 2.0, to = 2.0"),
        );
        assert!(e.contains("from (2) must be below to (2)"), "{e}");
        let e = error("01-x.md", GOOD.split("## Why").next().unwrap());
        assert!(e.contains("ends with `## Why`"), "{e}");
        let no_question = GOOD.replace("[question]", "[unused]");
        assert!(error("01-x.md", &no_question).contains("unknown field `unused`"));
    }

    #[test]
    fn files_are_numbered_without_gaps_and_slugs_are_link_names() {
        let files = vec![
            ("01-a.md".to_owned(), GOOD.to_owned()),
            ("03-b.md".to_owned(), GOOD.to_owned()),
            ("README.md".to_owned(), "Not a chapter.".to_owned()),
        ];
        let e = generate(SOURCES, &files).expect_err("a gap");
        assert!(
            e.contains("03-b.md: chapter files are numbered 01, 02, ..."),
            "{e}"
        );
        assert!(error("01-Big.md", GOOD).contains("lowercase letters, digits and '-'"));
        assert!(parse_sources("[x]\nlabel = \"X\"\nurl = \"http://x\"\n")
            .expect_err("http")
            .contains("[x] url must be an https address"));
    }

    #[test]
    fn the_repository_chapters_read() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/curriculum/chapters");
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).expect("the chapters folder") {
            let path = entry.expect("an entry").path();
            if path.extension().is_some_and(|e| e == "md") {
                let name = path.file_name().unwrap().to_str().unwrap().to_owned();
                files.push((
                    name,
                    std::fs::read_to_string(&path).expect("a chapter file"),
                ));
            }
        }
        let sources = std::fs::read_to_string(format!("{dir}/sources.toml")).expect("sources");
        let rust = generate(&sources, &files).expect("the chapters read");
        assert_eq!(
            rust.matches("    Chapter {").count(),
            crate::curriculum::content::CHAPTERS.len()
        );
    }

    #[test]
    fn the_chapters_readme_lists_every_name() {
        let readme = include_str!("chapters/README.md");
        // The README wraps its lists; compare with the line breaks as spaces.
        let flat = readme.split_whitespace().collect::<Vec<_>>().join(" ");
        for names in [Target::NAMES, Measure::NAMES] {
            let listed = format!("`{}`.", names.join("`, `"));
            assert!(flat.contains(&listed), "README.md should list {listed}");
        }
    }
}
