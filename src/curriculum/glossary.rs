//! The glossary: the terms the chapters use, each defined in a few exact sentences of our
//! own; the facts behind them are cited in the chapters' sources. The glossary panel at the
//! foot of the page shows them, and `[[slug]]` links in the prose point to them.

/// One glossary entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Term {
    /// Stable anchor for links from the chapters; never change one once published.
    pub slug: &'static str,
    pub term: &'static str,
    pub definition: &'static str,
}

pub const GLOSSARY: &[Term] = &[
    Term {
        slug: "thread",
        term: "Thread",
        definition: "A sequence of instructions the operating system schedules onto a CPU core. \
            Each thread has its own stack, and the scheduler keeps a record of it whether it is \
            running, waiting for a core, or blocked.",
    },
    Term {
        slug: "task",
        term: "Task",
        definition: "An object that stands for work that will finish later, and for its result. \
            A Task is not a thread: while a database query is out, its Task waits with no thread \
            attached, and a Task can also be complete before anyone awaits it.",
    },
    Term {
        slug: "blocking",
        term: "Blocking",
        definition: "A call blocks when the thread that made it cannot continue until the call \
            finishes. A blocked thread uses no CPU, but it keeps its stack and cannot serve \
            anything else meanwhile.",
    },
    Term {
        slug: "asynchronous",
        term: "Asynchronous",
        definition: "Started now, finished later, without a thread waiting in between. The \
            caller gets a Task back at once and says what should happen when it completes.",
    },
    Term {
        slug: "continuation",
        term: "Continuation",
        definition: "The rest of a method after an await: the code that runs once the awaited \
            Task completes. In ASP.NET Core it is queued to the thread pool and may run on a \
            different thread from the one that started the method.",
    },
    Term {
        slug: "work-item",
        term: "Work item",
        definition: "One unit of work waiting in the thread pool's queue: a new request, a \
            continuation, or the body of a Task.Run. An idle pool thread takes the oldest one.",
    },
    Term {
        slug: "thread-pool",
        term: "Thread pool",
        definition: "A set of threads kept alive to run work items, so that the server does not \
            create a thread for every piece of work. .NET starts with as many as the machine has \
            cores and adds more only slowly.",
    },
    Term {
        slug: "starvation",
        term: "Thread-pool starvation",
        definition: "Work waits in the pool's queue because every pool thread is busy or \
            blocked, while the CPU may be almost idle. Continuations that would unblock threads \
            wait in the same queue, so starvation feeds on itself.",
    },
    Term {
        slug: "starvation-injection",
        term: "Starvation injection",
        definition: "The .NET pool's last resort: every 500 ms it checks whether work is queued \
            and nothing has been taken from the queue for 500 ms, and if so adds one thread. \
            That is about one or two threads a second.",
    },
    Term {
        slug: "cooperative-blocking",
        term: "Cooperative blocking",
        definition: "Since .NET 6, a thread blocked in Task.Wait, .Result or \
            GetAwaiter().GetResult() tells the pool, which then adds threads faster: as many \
            as there are cores at once, then more at growing intervals of up to 250 ms. \
            Thread.Sleep and plain \
            synchronous I/O are not reported, so the pool cannot see them.",
    },
    Term {
        slug: "hill-climbing",
        term: "Hill climbing",
        definition: "The .NET pool's way of tuning its thread count: it keeps moving the goal \
            up and down by a thread or more in a square wave, measures how many work items \
            complete per second, and shifts the goal the way throughput follows the wave. It \
            needs enough completions per sample, so with few, slow requests it moves slowly. \
            Await Lab runs the runtime's algorithm.",
    },
    Term {
        slug: "context-switch",
        term: "Context switch",
        definition: "The operating system taking one thread off a core and putting another on. \
            It costs a few microseconds directly and more through cold caches, and it does no \
            useful work.",
    },
    Term {
        slug: "stack",
        term: "Stack reserve and commit",
        definition: "A thread's stack reserves a range of address space up front (1 MB by \
            default on Windows, 1.5 MB under the .NET 9+ `dotnet` host, often 8 MB on Linux) \
            but commits real memory only for the pages \
            it touches. So a thousand threads reserve gigabytes of address space while using \
            far less physical memory, which is still not free.",
    },
    Term {
        slug: "io-completion",
        term: "I/O completion port and epoll",
        definition: "The operating system's ways of reporting that I/O has finished: I/O \
            completion ports on Windows, epoll on Linux. A few runtime threads collect these \
            notifications and queue the waiting continuations to the thread pool.",
    },
    Term {
        slug: "synchronization-context",
        term: "Synchronization context",
        definition: "A rule for where a continuation must run, such as \"back on the UI thread\" \
            or, in classic ASP.NET, \"on the request's context\". Blocking that same context with \
            .Result deadlocks. ASP.NET Core has none, so there .Result starves the pool instead.",
    },
    Term {
        slug: "littles-law",
        term: "Little's law",
        definition: "In any stable system, the average number of requests inside equals the \
            throughput times the average time each spends inside (L = λW). A synchronous server \
            therefore needs about as many threads as requests in flight.",
    },
    Term {
        slug: "state-machine",
        term: "State machine",
        definition: "What the C# compiler makes of an async method: a type that holds the \
            method's local variables, a number saying which await it reached, and a MoveNext \
            method that runs the code from there to the next await that has to wait.",
    },
    Term {
        slug: "awaiter",
        term: "Awaiter",
        definition: "The object await asks about a task, obtained with GetAwaiter(). Its \
            IsCompleted says whether the result is already there; if not, the state machine \
            gives it a callback (through the method builder) to run when it is.",
    },
    Term {
        slug: "cpu-bound",
        term: "I/O-bound and CPU-bound",
        definition: "Work is I/O-bound when its time is spent waiting for something outside \
            the process (a database, another service, a disk), and CPU-bound when its time is \
            spent computing. Awaiting helps only the first: there is nothing to wait for in \
            the second.",
    },
    Term {
        slug: "p99",
        term: "p99 latency",
        definition: "The response time that 99 % of requests beat: the experience of the \
            unluckiest one in a hundred.",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_glossary_covers_the_terms_issue_5_names() {
        for slug in [
            "thread",
            "task",
            "blocking",
            "asynchronous",
            "continuation",
            "thread-pool",
            "starvation",
            "context-switch",
            "io-completion",
            "synchronization-context",
        ] {
            assert!(GLOSSARY.iter().any(|t| t.slug == slug), "missing {slug}");
        }
    }

    #[test]
    fn slugs_are_unique_and_definitions_are_sentences() {
        let mut slugs: Vec<_> = GLOSSARY.iter().map(|t| t.slug).collect();
        slugs.sort_unstable();
        slugs.dedup();
        assert_eq!(slugs.len(), GLOSSARY.len());
        for t in GLOSSARY {
            assert!(t.definition.ends_with('.'), "{}", t.slug);
            assert!(!t.definition.contains("  "), "{}: double space", t.slug);
        }
    }

    #[test]
    fn term_names_are_ascii_so_the_page_can_lower_them_without_unicode_tables() {
        for t in GLOSSARY {
            assert!(t.term.is_ascii(), "{}", t.term);
            #[allow(clippy::disallowed_methods)]
            let unicode = t.term.to_lowercase();
            assert_eq!(t.term.to_ascii_lowercase(), unicode);
        }
    }
}
