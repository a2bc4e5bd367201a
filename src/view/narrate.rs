//! Plain-language narration of the engine's trace events, for the event log and for the
//! timeline of a followed request. Pure functions, tested natively.

use sim::{Style, TraceEvent, TraceKind};

/// The groups the event log can be filtered by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Topic {
    Requests,
    Threads,
    TasksAndIo,
    Pool,
}

impl Topic {
    pub const ALL: [Topic; 4] = [
        Topic::Requests,
        Topic::Threads,
        Topic::TasksAndIo,
        Topic::Pool,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Topic::Requests => "Requests",
            Topic::Threads => "Threads",
            Topic::TasksAndIo => "Tasks and I/O",
            Topic::Pool => "Pool",
        }
    }
}

/// Which filter group an event belongs to.
pub fn topic(kind: TraceKind) -> Topic {
    use TraceKind::*;
    match kind {
        Arrival | Rejected | Response | Timeout | Deadlock => Topic::Requests,
        ThreadIdle | ThreadReady | ThreadRunning | ThreadBlocked | Preempted | PollWake => {
            Topic::Threads
        }
        TaskCreated
        | TaskCompleted
        | IoStarted
        | IoWaitResource
        | IoCompleted
        | IoCompletedSynchronously
        | ContinuationQueued
        | ContinuationInline
        | TaskRunQueued => Topic::TasksAndIo,
        Dequeue | ThreadInjected | ThreadRetired | GoalStarvation | GoalCooperative
        | GoalHillClimbingUp | GoalHillClimbingDown => Topic::Pool,
    }
}

/// Events worth announcing to a screen reader when the log speaks up; the rest (a thread
/// getting a core, a time slice ending) happen too often to be worth hearing.
pub fn is_notable(kind: TraceKind) -> bool {
    use TraceKind::*;
    matches!(
        kind,
        ThreadBlocked
            | ThreadInjected
            | ThreadRetired
            | GoalStarvation
            | GoalCooperative
            | GoalHillClimbingUp
            | GoalHillClimbingDown
            | ContinuationQueued
            | Timeout
            | Deadlock
            | Rejected
    )
}

fn req(ev: &TraceEvent) -> String {
    ev.request
        .map_or_else(|| "a request".to_owned(), |r| format!("request #{r}"))
}

fn thread(ev: &TraceEvent) -> String {
    ev.thread
        .map_or_else(|| "a thread".to_owned(), |t| format!("Thread {t}"))
}

fn task(ev: &TraceEvent) -> String {
    ev.task
        .map_or_else(|| "a task".to_owned(), |t| format!("task {t}"))
}

/// One event as a sentence. `style` lets the sentence say *why* a thread blocks.
pub fn narrate(ev: &TraceEvent, style: Style) -> String {
    use TraceKind::*;
    let (r, t, k) = (req(ev), thread(ev), task(ev));
    match ev.kind {
        Arrival => format!("{} arrives and joins the pool's queue.", capital(&r)),
        Rejected => format!("{} is turned away with 503: the server's queue is full.", capital(&r)),
        Dequeue if ev.task.is_some() => {
            format!("{t} picks up the continuation of {k} ({r}), wherever that request started.")
        }
        // A timer queue's firing belongs to no request.
        Dequeue if ev.request.is_none() => format!(
            "{t} takes a timer queue's firing: it runs the first due timer's continuation and queues the rest."
        ),
        Dequeue => format!("{t} takes {r} from the pool's queue."),
        ThreadIdle => format!("{t} has nothing to do and parks in the pool."),
        ThreadReady => format!("{t} is runnable and waits for a free core."),
        ThreadRunning => format!("{t} gets a core and runs."),
        ThreadBlocked => match style {
            Style::Blocking => format!(
                "{t} blocks on the database for {r}: it holds its stack and uses no CPU."
            ),
            Style::SyncOverAsync => format!(
                "{t} blocks in .Result for {r}: it holds its stack, uses no CPU, and another thread must finish the task."
            ),
            Style::TaskRunWrap => format!(
                "{t} blocks on the database inside Task.Run: the request's thread was freed, this one is not."
            ),
            _ => format!("{t} blocks for {r}: it holds its stack and uses no CPU."),
        },
        Preempted => format!("{t}'s time slice ends; it goes back to wait for a core."),
        TaskCreated => format!("{} is created for {r}: a receipt for a result that does not exist yet.", capital(&k)),
        TaskCompleted => format!("{} completes for {r}.", capital(&k)),
        IoStarted if ev.thread.is_some() && ev.task.is_none() => {
            format!("{t} calls the database synchronously for {r} and waits for the answer.")
        }
        IoStarted => format!("The query for {r} goes out to the database; no thread waits for it, only {k} does."),
        IoWaitResource => format!("{} waits for a free database connection.", capital(&r)),
        IoCompleted => format!("The database answers {r}."),
        IoCompletedSynchronously => match style {
            Style::Async => format!(
                "{}'s query was already complete: {} carries on without waiting, and no continuation is queued.",
                capital(&r),
                t.to_ascii_lowercase()
            ),
            Style::SyncOverAsync => format!(
                "{}'s query was already complete: .Result returns at once and {} carries on.",
                capital(&r),
                t.to_ascii_lowercase()
            ),
            _ => format!(
                "{}'s query was already complete: {} carries on without blocking.",
                capital(&r),
                t.to_ascii_lowercase()
            ),
        },
        ContinuationQueued => {
            format!("{} is done, so its continuation joins the back of the pool's queue.", capital(&k))
        }
        ContinuationInline => format!(
            "{} is done, and the thread that finished it runs what comes next at once, with no trip through a queue.",
            capital(&k)
        ),
        TaskRunQueued => format!("Task.Run queues {r}'s call as a work item in this thread's own local queue."),
        ThreadInjected => format!("The pool creates {}.", t.to_ascii_lowercase()),
        ThreadRetired => format!("{t} was idle too long and exits."),
        GoalStarvation => "Nothing left the queue for 500 ms: the pool raises its thread goal by one.".to_owned(),
        GoalCooperative => "A thread is stuck in .Result; cooperative blocking raises the pool's thread goal.".to_owned(),
        GoalHillClimbingUp => "Hill climbing raises the pool's thread goal by one, to see whether more threads finish more work.".to_owned(),
        GoalHillClimbingDown => "Hill climbing takes its last step back: one more thread did not finish enough more work.".to_owned(),
        Response => format!("{} is answered.", capital(&r)),
        Timeout => format!("The client of {r} gives up waiting."),
        Deadlock => format!(
            "Deadlock: {r}'s .Result waits for a continuation that can only run on the very thread it blocks."
        ),
        PollWake => format!("{t} wakes from Thread.Sleep to check whether its task is done."),
    }
}

/// The sentence with its first letter capitalised. ASCII only, on purpose: every word it
/// capitalises is ours, and the full Unicode case tables would cost about 25 KB of wasm.
fn capital(s: &str) -> String {
    let mut out = s.to_string();
    if let Some(first) = out.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(
        kind: TraceKind,
        thread: Option<u32>,
        request: Option<u64>,
        task: Option<u64>,
    ) -> TraceEvent {
        TraceEvent {
            index: 0,
            time_us: 0,
            kind,
            thread,
            request,
            task,
        }
    }

    #[test]
    fn blocked_thread_sentence_says_it_holds_memory_and_no_cpu() {
        let s = narrate(
            &ev(TraceKind::ThreadBlocked, Some(3), Some(12), None),
            Style::Blocking,
        );
        assert_eq!(
            s,
            "Thread 3 blocks on the database for request #12: it holds its stack and uses no CPU."
        );
    }

    #[test]
    fn async_io_has_a_task_and_no_thread() {
        let s = narrate(
            &ev(TraceKind::IoStarted, None, Some(5), Some(9)),
            Style::Async,
        );
        assert!(
            s.contains("no thread waits for it, only task 9 does"),
            "{s}"
        );
        let s = narrate(
            &ev(TraceKind::Dequeue, Some(2), Some(5), Some(9)),
            Style::Async,
        );
        assert!(
            s.starts_with("Thread 2 picks up the continuation of task 9"),
            "{s}"
        );
        // A timer queue's firing is no request's work item.
        let s = narrate(&ev(TraceKind::Dequeue, Some(2), None, None), Style::Async);
        assert!(
            s.starts_with("Thread 2 takes a timer queue's firing"),
            "{s}"
        );
    }

    #[test]
    fn a_call_already_complete_says_the_thread_carries_on() {
        let e = ev(
            TraceKind::IoCompletedSynchronously,
            Some(3),
            Some(12),
            Some(4),
        );
        assert_eq!(
            narrate(&e, Style::Async),
            "Request #12's query was already complete: thread 3 carries on without waiting, and no continuation is queued."
        );
        let blocking = narrate(
            &ev(TraceKind::IoCompletedSynchronously, Some(3), Some(12), None),
            Style::Blocking,
        );
        assert!(
            blocking.ends_with("thread 3 carries on without blocking."),
            "{blocking}"
        );
        assert_eq!(
            topic(TraceKind::IoCompletedSynchronously),
            Topic::TasksAndIo
        );
    }

    #[test]
    fn every_kind_has_a_topic_and_a_sentence() {
        // The engine's own list of kinds: a new kind cannot be left out of this test.
        for &kind in TraceKind::ALL {
            let s = narrate(&ev(kind, Some(1), Some(2), Some(3)), Style::Async);
            assert!(s.ends_with('.'), "{kind:?}: {s}");
            assert!(s.chars().next().unwrap().is_uppercase(), "{kind:?}: {s}");
            let _ = topic(kind);
        }
    }
}
