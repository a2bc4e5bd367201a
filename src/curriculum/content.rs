//! The words of the page that are data rather than layout: the chapters (prose, the runs
//! they load, where to look, the question they ask, what the run showed, their sources)
//! and the intro.
//!
//! Every sentence here is our own; each chapter's facts are cited in its own `sources`.

use sim::{Sample, Snapshot, TraceEvent, TraceKind};

use super::measures;
pub use super::names::{Bound, Measure, Target};

/// One guided chapter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Chapter {
    /// Stable identifier, used in deep links (`?chapter=slug`); never change a published one.
    pub slug: &'static str,
    pub title: &'static str,
    /// What the chapter sets out to find, in a sentence: the situation, not its outcome
    /// (it is shown before the reader predicts).
    pub claim: &'static str,
    /// Short paragraphs shown from the start: the situation and the words for it, never
    /// what the run measures. `[[slug]]` links the glossary term `slug` showing its name;
    /// `[[slug|shown words]]` links it showing other words. `` `code` `` is set as code.
    pub prose: &'static [&'static str],
    /// Paragraphs shown only once the reader has answered the question: what the run
    /// showed and why. Set like `prose`.
    pub reveal: &'static [&'static str],
    /// The runs the reader can load; the first one loads with the chapter. Empty for the
    /// sandbox, which keeps whatever the reader last ran (or their own scenario).
    pub setups: &'static [Setup],
    /// Where on the stage to look (never what will be seen there); each cue can highlight
    /// its target.
    pub watch: &'static [Cue],
    /// Live figures the chapter shows beside the stage (the numbers chapters use these).
    pub figures: &'static [Measure],
    /// The predict-then-reveal question, if the chapter has one.
    pub question: Option<Question>,
    pub sources: &'static [Source],
}

/// A run a chapter loads: scenario names from `lessons::LESSON_PRESETS` for this chapter,
/// the second (if any) shown as side B with the same clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Setup {
    /// Names the run on its button, e.g. "CPU-bound: sync against async".
    pub label: &'static str,
    pub a: &'static str,
    /// Names side A on the stage, e.g. "ToList()".
    pub a_title: &'static str,
    pub b: Option<(&'static str, &'static str)>,
}

/// A pointer from the prose to the stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cue {
    pub text: &'static str,
    pub target: Target,
}

impl Measure {
    pub fn label(self) -> &'static str {
        match self {
            Measure::Threads => "Threads",
            Measure::ThreadsBlocked => "Threads blocked",
            Measure::QueueLength => "Work items queued",
            Measure::IoInFlight => "I/O calls in flight",
            Measure::TasksPending => "Tasks pending",
            Measure::Completed => "Requests answered",
            Measure::Deadlocked => "Requests deadlocked",
            Measure::ContextSwitches => "Context switches",
            Measure::CpuUsefulPct => "CPU on program work (%)",
            Measure::CpuSwitchingPct => "CPU lost to switching (%)",
            Measure::ReservedMb => "Stack reserved (MB)",
            Measure::CommittedMb => "Stack committed (MB)",
            Measure::CompletedRatioBA => "Answered, B ÷ A",
            Measure::ThreadsB => "Threads of B",
            Measure::ResumedElsewherePct => "Resumed on another thread (%)",
            Measure::AnsweredPerS => "Answered per second so far",
            Measure::RecentLatencyP99Ms => "p99 latency, last second (ms)",
        }
    }

    /// Reads the measure from side A (its snapshot and its samples, oldest first) and side
    /// B. `None` when it cannot be read yet (no sample window closed, no side B, nothing
    /// answered, no time passed). Every figure the page shows of a run is read here: the
    /// live figures, the questions' answers and the A/B strip.
    pub fn read(self, a: &Snapshot, a_samples: &[Sample], b: Option<&Snapshot>) -> Option<f64> {
        let c = &a.counters;
        let a_last = a_samples.last();
        Some(match self {
            Measure::Threads => f64::from(a.threads_total),
            Measure::ThreadsBlocked => f64::from(a.threads_in(sim::ThreadState::Blocked)),
            Measure::QueueLength => f64::from(a.pool_queue_total),
            Measure::IoInFlight => f64::from(a.io_total),
            Measure::TasksPending => f64::from(c.tasks_pending),
            Measure::Completed => c.completed as f64,
            Measure::Deadlocked => c.deadlocked as f64,
            Measure::ContextSwitches => c.context_switches as f64,
            Measure::CpuUsefulPct => a_last?.cpu_useful_pct,
            Measure::CpuSwitchingPct => a_last?.cpu_switching_pct,
            Measure::ReservedMb => a_last?.memory_reserved_mb,
            Measure::CommittedMb => a_last?.memory_committed_mb,
            Measure::CompletedRatioBA => {
                let b = b?;
                if c.completed == 0 {
                    return None;
                }
                b.counters.completed as f64 / c.completed as f64
            }
            Measure::ThreadsB => f64::from(b?.threads_total),
            Measure::ResumedElsewherePct => return None,
            Measure::AnsweredPerS => return measures::answered_per_s(a),
            Measure::RecentLatencyP99Ms => return measures::recent_p99_ms(a_samples),
        })
    }

    /// Like [`Measure::read`], and also reads the measures that need the run's trace
    /// (side A's, oldest first). Only a question's answer uses it: a live figure would
    /// walk the whole trace every frame.
    pub fn read_run<'t>(
        self,
        a: &Snapshot,
        a_samples: &[Sample],
        b: Option<&Snapshot>,
        trace: impl IntoIterator<Item = &'t TraceEvent>,
    ) -> Option<f64> {
        match self {
            Measure::ResumedElsewherePct => resumed_elsewhere_pct(trace),
            _ => self.read(a, a_samples, b),
        }
    }
}

/// Of the requests whose continuation a pool thread has taken from the queue, the
/// percentage taken by a thread other than the one that took the request itself. `None`
/// before any continuation has run.
pub fn resumed_elsewhere_pct<'t>(trace: impl IntoIterator<Item = &'t TraceEvent>) -> Option<f64> {
    // (request, the thread that started it, whether its continuation has run)
    let mut started: Vec<(u64, u32, bool)> = Vec::new();
    let (mut resumed, mut elsewhere) = (0u32, 0u32);
    for e in trace {
        let (TraceKind::Dequeue, Some(request), Some(thread)) = (e.kind, e.request, e.thread)
        else {
            continue;
        };
        let known = started.iter().position(|s| s.0 == request);
        match (e.task, known) {
            (None, None) => started.push((request, thread, false)),
            (Some(_), Some(i)) if !started[i].2 => {
                started[i].2 = true;
                resumed += 1;
                if started[i].1 != thread {
                    elsewhere += 1;
                }
            }
            _ => {}
        }
    }
    (resumed > 0).then(|| f64::from(elsewhere) * 100.0 / f64::from(resumed))
}

/// A predict-then-reveal question: the reader picks a choice, then the page runs the
/// chapter's setup `setup` to `at_ms` and reads `measure`; the choice whose range holds
/// the value is the answer. Then the chapter's `reveal` paragraphs show.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Question {
    pub prompt: &'static str,
    /// The chapter's run that answers it (an index into `setups`).
    pub setup: usize,
    pub measure: Measure,
    /// Simulated time at which the measure is read, ms.
    pub at_ms: u64,
    /// Ranges `lo <= value < hi`; they must not overlap, and the preset's value must fall
    /// in exactly one (a native test checks it).
    pub choices: &'static [Choice],
    /// Said after the reveal: why the number is what it is.
    pub explain: &'static str,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Choice {
    pub label: &'static str,
    pub lo: f64,
    pub hi: f64,
}

impl Question {
    /// The index of the choice whose range holds `value`.
    pub fn answer(&self, value: f64) -> Option<usize> {
        self.choices
            .iter()
            .position(|c| c.lo <= value && value < c.hi)
    }
}

/// A source for a chapter's facts: the public page or paper a fact comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Source {
    pub label: &'static str,
    /// Shown as a link when present; only ever an https address of the source itself.
    pub url: Option<&'static str>,
}

/// One row of chapter 11's "I/O-bound or CPU-bound?" exercise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Workload {
    /// What the handler does, e.g. "Reads a row from SQL Server".
    pub what: &'static str,
    pub bound: Bound,
    /// Why, and what to write for it, said after the reader chooses.
    pub why: &'static str,
}

// The chapters, their sources and chapter 11's exercise, written by build.rs from the
// Markdown files in `chapters/`.
include!(concat!(env!("OUT_DIR"), "/chapters.rs"));

/// The three questions the page sets out to answer, in our own words.
pub const OPENING_QUESTIONS: &[&str] = &[
    "Why do web APIs use async at all?",
    "If a database query is no faster with await, where does the gain come from?",
    "What exactly does a thread do while a request waits for I/O?",
];

/// The index in [`CHAPTERS`] of the chapter with `slug`.
pub fn chapter_index(slug: &str) -> Option<usize> {
    CHAPTERS.iter().position(|c| c.slug == slug)
}

/// The chapter a build-time chapter page stands for: `<slug>.html` names chapter `slug`.
pub fn chapter_of_page_name(file: &str) -> Option<usize> {
    chapter_index(file.strip_suffix(".html")?)
}

/// The file name of a chapter's build-time page (the first chapter's is the front page).
pub fn page_name(chapter: usize) -> String {
    match CHAPTERS.get(chapter) {
        Some(c) if chapter > 0 => format!("{}.html", c.slug),
        _ => "index.html".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::curriculum::glossary::GLOSSARY;
    use crate::curriculum::lessons::LESSON_PRESETS;
    use sim::{Sim, SimTime};

    /// Every text the page sets with glossary links and code.
    fn rich_texts() -> Vec<(&'static str, &'static str)> {
        let mut out = Vec::new();
        for c in CHAPTERS {
            out.extend(c.prose.iter().map(|p| (c.slug, *p)));
            out.extend(c.reveal.iter().map(|p| (c.slug, *p)));
            out.extend(c.watch.iter().map(|w| (c.slug, w.text)));
            if let Some(q) = &c.question {
                out.push((c.slug, q.explain));
            }
        }
        out
    }

    /// The characters of every text this file adds to the page.
    fn text_chars() -> usize {
        let n = |s: &str| s.chars().count();
        let mut total = 0;
        for c in CHAPTERS {
            total += c.prose.iter().map(|p| n(p)).sum::<usize>();
            total += c.reveal.iter().map(|p| n(p)).sum::<usize>();
            total += c.watch.iter().map(|w| n(w.text)).sum::<usize>();
            total += c
                .setups
                .iter()
                .map(|s| n(s.label) + n(s.a_title))
                .sum::<usize>();
            total += c
                .setups
                .iter()
                .filter_map(|s| s.b)
                .map(|b| n(b.1))
                .sum::<usize>();
            if let Some(q) = &c.question {
                total += n(q.prompt) + n(q.explain);
                total += q.choices.iter().map(|ch| n(ch.label)).sum::<usize>();
            }
            total += c
                .sources
                .iter()
                .map(|s| n(s.label) + s.url.map_or(0, n))
                .sum::<usize>();
        }
        total
            + WORKLOADS
                .iter()
                .map(|w| n(w.what) + n(w.why))
                .sum::<usize>()
    }

    #[test]
    fn links_resolve_to_glossary_terms_and_code_spans_close() {
        for (slug, text) in rich_texts() {
            assert_eq!(
                text.matches('`').count() % 2,
                0,
                "{slug}: odd backticks in {text:?}"
            );
            assert!(!text.contains("  "), "{slug}: double space in {text:?}");
            let mut rest = text;
            while let Some(start) = rest.find("[[") {
                let end = rest[start..]
                    .find("]]")
                    .unwrap_or_else(|| panic!("{slug}: unclosed link in {text:?}"));
                let inner = &rest[start + 2..start + end];
                let term = inner.split('|').next().unwrap();
                assert!(
                    GLOSSARY.iter().any(|t| t.slug == term),
                    "{slug}: no glossary term {term:?}"
                );
                rest = &rest[start + end + 2..];
            }
            assert!(!rest.contains("]]"), "{slug}: stray ]] in {text:?}");
        }
    }

    #[test]
    fn chapters_have_their_parts() {
        for (i, c) in CHAPTERS.iter().enumerate() {
            let sandbox = i == CHAPTERS.len() - 1;
            assert!((3..=6).contains(&c.prose.len()), "{}: paragraphs", c.slug);
            assert!((2..=4).contains(&c.watch.len()), "{}: cues", c.slug);
            assert!((1..=4).contains(&c.sources.len()), "{}: sources", c.slug);
            assert_eq!(c.question.is_none(), sandbox, "{}: question", c.slug);
            assert!(c.reveal.len() <= 4, "{}: reveal", c.slug);
            assert!(
                c.question.is_some() || c.reveal.is_empty(),
                "{}: a reveal with no question to reveal it",
                c.slug
            );
            if let Some(q) = c.question {
                assert!(q.setup < c.setups.len(), "{}: the question's run", c.slug);
            }
            assert_eq!(c.setups.is_empty(), sandbox, "{}: setups", c.slug);
            for s in c.sources {
                assert!(
                    s.url.is_none_or(|u| u.starts_with("https://")),
                    "{}",
                    s.label
                );
            }
        }
        assert!((6..=8).contains(&WORKLOADS.len()));
        assert!(WORKLOADS.iter().any(|w| w.bound == Bound::Io));
        assert!(WORKLOADS.iter().any(|w| w.bound == Bound::Cpu));
    }

    fn preset(chapter: &str, name: &str) -> sim::Scenario {
        let lesson = LESSON_PRESETS
            .iter()
            .find(|l| l.chapter == chapter)
            .unwrap_or_else(|| panic!("no presets for {chapter}"));
        let text = lesson
            .scenarios
            .iter()
            .find(|(n, _)| *n == name)
            .unwrap_or_else(|| panic!("{chapter} has no preset {name}"))
            .1;
        sim::parse_scenario(text).unwrap_or_else(|e| panic!("{chapter}/{name}: {e:?}"))
    }

    #[test]
    fn every_setup_names_a_preset_of_its_chapter_and_every_preset_is_used() {
        for c in CHAPTERS {
            for s in c.setups {
                preset(c.slug, s.a);
                if let Some((b, _)) = s.b {
                    preset(c.slug, b);
                }
            }
        }
        for lesson in LESSON_PRESETS {
            let c = CHAPTERS.iter().find(|c| c.slug == lesson.chapter).unwrap();
            for (name, _) in lesson.scenarios {
                let used = c
                    .setups
                    .iter()
                    .any(|s| s.a == *name || s.b.is_some_and(|b| b.0 == *name));
                assert!(used, "{}/{name} is in no setup", c.slug);
            }
        }
    }

    /// Runs a preset to `at_ms` as the page does for a question.
    fn run_to(chapter: &str, name: &str, at_ms: u64) -> Sim {
        let mut sim = Sim::new(preset(chapter, name)).unwrap();
        sim.run_until(SimTime(at_ms * 1_000));
        sim
    }

    /// What the chapter's question reads off its run, as the page reads it when the
    /// reader answers.
    fn measured(c: &Chapter, q: &Question) -> Option<f64> {
        let setup = c.setups[q.setup];
        let a = run_to(c.slug, setup.a, q.at_ms);
        let b = setup.b.map(|(b, _)| run_to(c.slug, b, q.at_ms).snapshot());
        q.measure
            .read_run(&a.snapshot(), a.samples(), b.as_ref(), a.trace())
    }

    #[test]
    fn each_question_has_exactly_the_answer_the_simulation_gives() {
        // The choice each chapter's run must land in: a model change that moves an answer
        // to another choice fails here, and the chapter's explanation needs a look.
        let expected = [0, 3, 2, 1, 2, 0, 1, 3, 1, 3, 3];
        for (c, want) in CHAPTERS.iter().zip(expected) {
            let q = c.question.unwrap();
            let mut ranges: Vec<_> = q.choices.iter().map(|ch| (ch.lo, ch.hi)).collect();
            assert!((3..=4).contains(&ranges.len()), "{}", c.slug);
            ranges.sort_by(|x, y| x.0.total_cmp(&y.0));
            for pair in ranges.windows(2) {
                assert!(
                    pair[0].0 < pair[0].1 && pair[0].1 <= pair[1].0,
                    "{}: overlap",
                    c.slug
                );
            }
            let value = measured(c, &q).unwrap_or_else(|| panic!("{}: no value", c.slug));
            let hits = q
                .choices
                .iter()
                .filter(|ch| ch.lo <= value && value < ch.hi)
                .count();
            assert_eq!(hits, 1, "{}: {value} in {hits} choices", c.slug);
            eprintln!(
                "{}: {} at {} ms = {value}",
                c.slug,
                q.measure.label(),
                q.at_ms
            );
            assert_eq!(q.answer(value), Some(want), "{}: {value}", c.slug);
        }
    }

    /// Lower case, with numbers as digits ("fifty" and "50" alike, "two hundred" as
    /// "200", "1,000" as "1000"), split into words, numbers and `%`.
    fn normalize(text: &str) -> Vec<String> {
        const SMALL: [&str; 20] = [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ];
        const TENS: [&str; 8] = [
            "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
        ];
        // A test: the prose's words are compared whatever their case, Unicode included.
        #[allow(clippy::disallowed_methods)]
        let lower = text.to_lowercase();
        let chars: Vec<char> = lower.chars().collect();
        let mut raw: Vec<String> = Vec::new();
        let mut word = String::new();
        for (i, &ch) in chars.iter().enumerate() {
            let digit_around = |j: Option<usize>| {
                j.and_then(|j| chars.get(j))
                    .is_some_and(|c| c.is_ascii_digit())
            };
            let inner = (ch == '.' || ch == ',')
                && digit_around(i.checked_sub(1))
                && digit_around(Some(i + 1));
            if ch.is_alphanumeric() || inner {
                if ch != ',' {
                    word.push(ch);
                }
            } else {
                if !word.is_empty() {
                    raw.push(std::mem::take(&mut word));
                }
                if ch == '%' {
                    raw.push("%".into());
                }
            }
        }
        if !word.is_empty() {
            raw.push(word);
        }
        // Number words, folded into one number: "two hundred" is 200.
        let mut out = Vec::new();
        let mut value: Option<u64> = None;
        for w in raw {
            let small = SMALL.iter().position(|s| *s == w).map(|n| n as u64);
            let tens = TENS
                .iter()
                .position(|s| *s == w)
                .map(|n| 20 + 10 * n as u64);
            match (small.or(tens), w.as_str(), value) {
                (Some(n), _, v) => value = Some(v.unwrap_or(0) + n),
                (None, "hundred", Some(v)) => value = Some(v * 100),
                (None, "thousand", Some(v)) => value = Some(v * 1000),
                _ => {
                    if let Some(v) = value.take() {
                        out.push(v.to_string());
                    }
                    out.push(w);
                }
            }
        }
        if let Some(v) = value {
            out.push(v.to_string());
        }
        out
    }

    /// Whether the words `needle` appear in a row in `hay`; numbers compare as numbers.
    fn contains_words(hay: &[String], needle: &[String]) -> bool {
        let same = |a: &String, b: &String| match (a.parse::<f64>(), b.parse::<f64>()) {
            (Ok(x), Ok(y)) => x == y,
            _ => a == b,
        };
        !needle.is_empty()
            && hay
                .windows(needle.len())
                .any(|w| w.iter().zip(needle).all(|(a, b)| same(a, b)))
    }

    /// What a reader sees of a chapter before answering its question: the title, the
    /// claim, the prose, the cues, the runs' names and the question with its choices.
    fn before_the_answer(c: &Chapter) -> Vec<(&'static str, &'static str)> {
        let mut out = vec![("title", c.title), ("claim", c.claim)];
        out.extend(c.prose.iter().map(|p| ("prose", *p)));
        out.extend(
            crate::curriculum::model_notes::notes(c.slug)
                .iter()
                .map(|n| ("model note", *n)),
        );
        out.extend(c.watch.iter().map(|w| ("cue", w.text)));
        for s in c.setups {
            out.push(("run", s.label));
            out.push(("run", s.a_title));
            out.extend(s.b.map(|b| ("run", b.1)));
        }
        out.extend(
            crate::curriculum::knobs::Knob::of(c.slug)
                .iter()
                .flat_map(|k| [("knob", k.label), ("knob", k.help)]),
        );
        out
    }

    /// Words that would give each chapter's answer away before the reader predicts, beyond
    /// what the choice's own label and the measured value give (checked automatically).
    const GIVEAWAYS: &[(&str, &[&str])] = &[
        (
            "blocked-is-not-busy",
            &[
                "no cpu",
                "nothing to compute",
                "nothing to do",
                "nothing to run",
                "sits idle",
                "core is idle",
                "not a busy",
                "near 0 %",
                "0.4 %",
            ],
        ),
        (
            "async-is-not-threads",
            &[
                "nearly all",
                "nearly every",
                "dozens",
                "50 queries",
                "all 50",
                "every user's query",
                "free again",
            ],
        ),
        (
            "task-is-a-receipt",
            &[
                "20 or more",
                "most of the 30",
                "no thread at all",
                "outnumber",
            ],
        ),
        (
            "await-is-syntax",
            &[
                "other thread",
                "another thread",
                "different thread",
                "need not be the thread",
                "not the same thread",
            ],
        ),
        (
            "one-request-one-thread",
            &[
                "8 wait",
                "rest wait",
                "others wait",
                "98 %",
                "beyond the pool's size wait",
            ],
        ),
        (
            "eight-hundred-requests",
            &[
                "0.2 %",
                "under 0.2",
                "few thousand",
                "4000 switches",
                "thousands of times",
            ],
        ),
        ("starvation", &["1 thread a second", "1 a second", "4 + 10"]),
        (
            "blocking-io-is-the-killer",
            &[
                "960",
                "24 answers",
                "24 a second",
                "keeps answering",
                "4 to 6 threads",
                "200 receipts",
            ],
        ),
        (
            "where-performance-comes-from",
            &[
                "495",
                "either way",
                "gain vanishes",
                "near 1",
                "cheaper not faster",
                "same answers",
            ],
        ),
        (
            "anti-patterns",
            &[
                "2200",
                "140",
                "228",
                "6.9 times",
                "blocks too",
                "takes a new request",
                "one thread carried",
            ],
        ),
        (
            "async-in-name-only",
            &[
                "worse than",
                "198",
                "22 requests",
                "65 threads",
                "starvation",
                "does worse",
            ],
        ),
    ];

    #[test]
    fn no_question_is_answered_before_the_reader_predicts() {
        for c in CHAPTERS {
            let Some(q) = c.question else {
                continue;
            };
            let value = measured(c, &q).unwrap();
            let right = q.choices[q.answer(value).unwrap()];
            let prompt = normalize(q.prompt);
            let in_prompt = |w: &String| contains_words(&prompt, std::slice::from_ref(w));
            let mut tells: Vec<Vec<String>> = Vec::new();
            // The right choice's own words, each part of it: "Almost none: under 5 %" gives
            // "almost none" and "under 5 %".
            for part in right.label.split([':', ',']) {
                let words = normalize(part);
                // A part that is only a number the prompt already says tells nothing.
                if words
                    .iter()
                    .any(|w| w.parse::<f64>().is_err() || !in_prompt(w))
                {
                    tells.push(words);
                }
            }
            // Its numbers that the prompt does not say, with their unit if they have one.
            let label = normalize(right.label);
            for (i, w) in label.iter().enumerate() {
                if w.parse::<f64>().is_err() || in_prompt(w) {
                    continue;
                }
                let unit = label
                    .get(i + 1)
                    .filter(|u| ["%", "ms", "s", "mb", "times"].contains(&u.as_str()));
                tells.push(std::iter::once(w.clone()).chain(unit.cloned()).collect());
            }
            // The measured value, rounded as a sentence would write it.
            for rounded in [value.round(), (value * 10.0).round() / 10.0] {
                let text = format!("{rounded}");
                if rounded > 2.0 && !in_prompt(&text) {
                    tells.push(vec![text]);
                }
            }
            let (_, extra) = GIVEAWAYS
                .iter()
                .find(|(slug, _)| *slug == c.slug)
                .unwrap_or_else(|| panic!("{}: no entry in GIVEAWAYS", c.slug));
            tells.extend(extra.iter().map(|t| normalize(t)));
            for (part, text) in before_the_answer(c) {
                let words = normalize(text);
                for tell in &tells {
                    assert!(
                        !contains_words(&words, tell),
                        "{}: the {part} {text:?} gives the answer away ({:?}, measured {value})",
                        c.slug,
                        tell.join(" ")
                    );
                }
            }
        }
    }

    #[test]
    fn numbers_are_compared_as_numbers_whatever_their_spelling() {
        let n = |s: &str| normalize(s).join(" ");
        assert_eq!(n("About fifty queries"), "about 50 queries");
        assert_eq!(
            n("two hundred users, 1,000 a second"),
            "200 users 1000 a second"
        );
        assert_eq!(n("Under 0.2 % of it."), "under 0.2 % of it");
        assert_eq!(n("twenty-seven"), "27");
        assert!(contains_words(
            &normalize("some 50 MB"),
            &normalize("fifty mb")
        ));
        assert!(!contains_words(&normalize("500 ms"), &normalize("5")));
    }

    #[test]
    fn the_words_fit_the_page_budget() {
        let chars = text_chars();
        eprintln!("{chars} characters of chapter text");
        assert!(chars < 30_000, "{chars} characters");
    }

    #[test]
    fn cues_carry_no_glossary_links_because_each_cue_is_a_button() {
        for chapter in CHAPTERS {
            for cue in chapter.watch {
                assert!(!cue.text.contains("[["), "{}: {}", chapter.slug, cue.text);
            }
        }
    }
}
