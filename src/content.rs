//! The words of the page that are data rather than layout: the chapter map and the intro.
//!
//! Every sentence here is our own; facts come from `../shared/FACTS.md` with their sources.

/// One guided chapter: what it is called and the single claim it sets out to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chapter {
    /// Stable identifier, used in deep links; never change one once published.
    pub slug: &'static str,
    pub title: &'static str,
    pub claim: &'static str,
}

/// The chapters in reading order (DESIGN.md §4).
pub const CHAPTERS: &[Chapter] = &[
    Chapter {
        slug: "blocked-is-not-busy",
        title: "A blocked thread is not a busy CPU",
        claim: "While a thread waits for the database it keeps its stack and its place, \
                but the processor has nothing to do for it.",
    },
    Chapter {
        slug: "async-is-not-threads",
        title: "Asynchronous is not multi-threaded",
        claim: "One thread can look after many requests, because none of them needs a \
                thread while its I/O is out in the operating system.",
    },
    Chapter {
        slug: "task-is-a-receipt",
        title: "A Task is a receipt, not a worker",
        claim: "A Task stands for a result that will exist later; often no thread at all is \
                attached to it, and sometimes it is complete before anyone awaits it.",
    },
    Chapter {
        slug: "await-is-syntax",
        title: "async and await are syntax",
        claim: "The compiler rewrites an async method into a state machine whose MoveNext \
                runs each piece and registers the rest as a continuation.",
    },
    Chapter {
        slug: "one-request-one-thread",
        title: "One request, one thread",
        claim: "A synchronous server lends a pool thread to each request for its whole life, \
                and requests beyond the pool's size wait in its queue.",
    },
    Chapter {
        slug: "eight-hundred-requests",
        title: "800 concurrent requests",
        claim: "Hundreds of threads reserve address space, commit real memory and make the \
                processor spend time switching instead of working.",
    },
    Chapter {
        slug: "starvation",
        title: "Starvation",
        claim: "The pool adds threads slowly on purpose, so a burst of blocking work leaves \
                requests queued while the processor sits mostly idle.",
    },
    Chapter {
        slug: "blocking-io-is-the-killer",
        title: "Blocking I/O is the killer",
        claim: "The same load against ToList() and ToListAsync(): one server queues and \
                times out, the other keeps answering.",
    },
    Chapter {
        slug: "where-performance-comes-from",
        title: "Where the performance comes from",
        claim: "Async does not make a query faster; it lets a few threads carry many waits. \
                When the work is CPU-bound, or the database is the bottleneck, the gain vanishes.",
    },
    Chapter {
        slug: "anti-patterns",
        title: "Anti-patterns",
        claim: "Blocking on a Task starves an ASP.NET Core pool and deadlocks under a \
                synchronization context; wrapping blocking I/O in Task.Run only moves the wait.",
    },
    Chapter {
        slug: "sandbox",
        title: "Sandbox",
        claim: "Every knob of the simulation, open for your own experiments.",
    },
];

/// The three questions the page sets out to answer, in our own words.
pub const OPENING_QUESTIONS: &[&str] = &[
    "Why do web APIs use async at all?",
    "If a database query is no faster with await, where does the gain come from?",
    "What exactly does a thread do while a request waits for I/O?",
];
