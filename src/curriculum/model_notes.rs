//! Each chapter's model notes: what the simulation simplifies that matters for that
//! chapter's runs, and which way each simplification moves the chapter's numbers. The
//! lesson panel shows them collapsed, after the chapter's sources.
//!
//! They live here, keyed by chapter slug, rather than in `content::CHAPTERS`. Every note
//! must be true of the engine as it is (`crates/sim/src/engine`); `crates/sim/SCENARIO.md`
//! ("Model notes") lists the same simplifications for the whole model. Notes are set like
//! chapter prose: `[[slug]]` links a glossary term, `` `code` `` is set as code.

/// Per chapter slug (see `content::CHAPTERS`), its notes, each one simplification and its
/// effect, in one or two sentences.
pub const MODEL_NOTES: &[(&str, &[&str])] = &[
    (
        "blocked-is-not-busy",
        &[
            "CPU is booked only for the program's steps and 1 µs per work item: the \
             kernel's work to send the query and take its reply is not counted, and a core \
             taking back its last thread pays no [[context-switch]]. A real server's share \
             is slightly higher.",
            "The thread wakes the instant its reply arrives; a real wake-up takes \
             microseconds, so real requests last slightly longer.",
        ],
    ),
    (
        "async-is-not-threads",
        &[
            "A query's answer reaches the pool's queue the instant it ends; on a real \
             server a runtime thread polling epoll or an I/O completion port does that, on \
             the same core, so real throughput is a little lower.",
            "A paused `await` costs no CPU beyond its continuation's 1 µs start; a real one \
             allocates a state machine and a task for the garbage collector (not modelled), \
             so the real thread is busier.",
        ],
    ),
    (
        "task-is-a-receipt",
        &[
            "A pending task here is a count; a real one and its paused state machine are \
             heap objects, memory the model does not show.",
            "Each query's time is drawn around a 300 ms mean however many are out; a real \
             database slows under load, which keeps tasks pending longer.",
        ],
    ),
    (
        "await-is-syntax",
        &[
            "Pausing at an `await` is free here (moving the state machine to the heap, \
             registering the callback), so a real request takes slightly longer.",
            "A queued continuation goes at once to a parked thread, which wakes instantly; \
             in a real wake-up's microseconds a thread just finishing may take it instead, \
             so the share measured here is this run's, not a rate to expect.",
        ],
    ),
    (
        "one-request-one-thread",
        &[
            "A user sends the next request the instant an answer leaves, with no network \
             between, and reading a request or writing a response costs nothing; really, \
             part of each cycle is on the wire, so fewer of the twelve are in the server at \
             once.",
            "Hand-overs between threads take no time; real ones take microseconds, so real \
             requests take a shade longer.",
        ],
    ),
    (
        "eight-hundred-requests",
        &[
            "A [[context-switch]] costs a fixed 3 µs, only when a core changes thread; \
             refilled caches are not counted, so a real switching share is higher.",
            "Each thread counts as 1 MB reserved and 64 KB committed; real stacks commit \
             pages as code touches them, so a shallow handler commits less, though the \
             kernel's per-thread memory (not counted) adds some.",
        ],
    ),
    (
        "starvation",
        &[
            "The gate's timer fires exactly every 500 ms and a new thread starts at once; \
             real timers wake a few ms late, which can let two ticks in a row add a thread, \
             so a real pool without cooperative blocking grows somewhat faster.",
            "`.Result` blocks at once here; the real wait spins briefly first, so a real \
             starving server uses a little more CPU.",
        ],
    ),
    (
        "blocking-io-is-the-killer",
        &[
            "Query times are drawn around a 200 ms mean however many run at once; a real \
             database given two hundred would slow down, narrowing the gap.",
            "[[hill-climbing|Hill climbing]] is the runtime's algorithm fed this model's \
             throughput, whose only noise is the queries' spread; noisier real throughput \
             lowers its confidence and damps its moves.",
            "The `await`'s allocations, the garbage collector and Kestrel's per-connection \
             work are left out, so a real async server spends more CPU per answer.",
        ],
    ),
    (
        "where-performance-comes-from",
        &[
            "An async method with nothing to await costs exactly what the sync one does; a \
             real one pays a little for its state machine, against async in the CPU-bound \
             run.",
            "The database is ten connections whose query times do not grow with load; a \
             real database slows as it fills, lowering both sides.",
            "A thread starts only when no parked one is free; the runtime asks for a worker \
             per queued item up to its goal, so a real async side keeps more threads alive.",
        ],
    ),
    (
        "anti-patterns",
        &[
            "In the first run the call completes through the global queue, behind new \
             requests, as a socket's would; the tutorial awaits `Task.Delay`, whose timer \
             queue runs some continuations ahead of them, so a real `.Result` server \
             answers more.",
            "A thread starts only when no parked one is free, so `await` uses fewer threads \
             than a real pool keeps.",
        ],
    ),
    (
        "async-in-name-only",
        &[
            "A `Task.Run` body costs one more 1 µs work item here; a real one also \
             allocates a task and a delegate, so wrapping costs a little more.",
            "The database answers each query in an exponential time averaging 200 ms and \
             never slows under load, so only the pool's threads limit these runs.",
            "A thread starts only when no parked one is free, so the plain async side keeps \
             fewer idle threads than a real pool would.",
        ],
    ),
    (
        "sandbox",
        &[
            "Threads start and wake without delay, a [[context-switch]] costs a fixed \
             amount, CPU and I/O take what the steps say, and a resource's latency does not \
             grow with load.",
            "There is no garbage collector, no TLS and no connection handling, and memory \
             is thread stacks only, so a real server uses more CPU and memory per request.",
        ],
    ),
];

/// The notes of the chapter `slug`; empty for an unknown slug.
pub fn notes(slug: &str) -> &'static [&'static str] {
    MODEL_NOTES
        .iter()
        .find(|(s, _)| *s == slug)
        .map_or(&[], |(_, notes)| notes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::curriculum::content::CHAPTERS;
    use crate::curriculum::glossary::GLOSSARY;

    /// Sentences in a text: full stops followed by a space or the end (so "0.4" and
    /// `.Result` are not counted).
    fn sentences(text: &str) -> usize {
        let chars: Vec<char> = text.chars().collect();
        (0..chars.len())
            .filter(|&i| chars[i] == '.' && chars.get(i + 1).is_none_or(|c| *c == ' '))
            .count()
    }

    #[test]
    fn every_chapter_has_two_to_four_sentences_of_notes_each_ending_with_a_period() {
        for chapter in CHAPTERS {
            let notes = notes(chapter.slug);
            assert!(!notes.is_empty(), "{}: no model notes", chapter.slug);
            for note in notes {
                assert!(note.ends_with('.'), "{}: {note:?}", chapter.slug);
                assert!(!note.contains("  "), "{}: double space", chapter.slug);
                assert_eq!(
                    note.matches('`').count() % 2,
                    0,
                    "{}: backticks",
                    chapter.slug
                );
            }
            let n: usize = notes.iter().map(|n| sentences(n)).sum();
            assert!((2..=4).contains(&n), "{}: {n} sentences", chapter.slug);
        }
    }

    #[test]
    fn notes_are_keyed_by_chapter_slugs_in_reading_order() {
        let slugs: Vec<&str> = MODEL_NOTES.iter().map(|(s, _)| *s).collect();
        let chapters: Vec<&str> = CHAPTERS.iter().map(|c| c.slug).collect();
        assert_eq!(slugs, chapters);
        assert!(notes("no-such-chapter").is_empty());
    }

    #[test]
    fn links_name_glossary_terms() {
        for (slug, notes) in MODEL_NOTES {
            for note in *notes {
                let mut rest = *note;
                while let Some(start) = rest.find("[[") {
                    let end = rest[start..].find("]]").expect("closed link");
                    let inner = &rest[start + 2..start + end];
                    let term = inner.split('|').next().unwrap_or(inner);
                    assert!(
                        GLOSSARY.iter().any(|t| t.slug == term),
                        "{slug}: no glossary term {term:?}"
                    );
                    rest = &rest[start + end + 2..];
                }
                assert!(!rest.contains("]]"), "{slug}: stray ]]");
            }
        }
    }

    #[test]
    fn the_notes_stay_short() {
        let chars: usize = MODEL_NOTES
            .iter()
            .flat_map(|(_, n)| n.iter())
            .map(|n| n.chars().count())
            .sum();
        eprintln!("{chars} characters of model notes");
        assert!(chars < 6_000, "{chars} characters");
    }
}
