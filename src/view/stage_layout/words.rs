//! The picture in words: each area's caption, the one-sentence description, and a
//! token's accessible name.

use sim::{Outcome, Snapshot, ThreadState};

use super::picture::{Mark, Token};

pub(super) fn plural(n: u32, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 {
        one
    } else {
        many
    }
}

pub(super) fn thread_caption(s: &Snapshot) -> Vec<String> {
    let (idle, ready, running, blocked) = (
        s.threads_in(ThreadState::Idle),
        s.threads_in(ThreadState::Ready),
        s.threads_in(ThreadState::Running),
        s.threads_in(ThreadState::Blocked),
    );
    let n = s.threads_total;
    let threads = plural(n, "thread", "threads");
    if n == 0 {
        return vec!["no threads yet".to_owned()];
    }
    if blocked == n {
        let why = if s.local_queue_total > 0 {
            // `.Result` on work that sits in the blocked threads' own local queues.
            format!(
                "{} Task.Run {} in their own queues",
                s.local_queue_total,
                plural(s.local_queue_total, "body waits", "bodies wait")
            )
        } else if s.io_holding_thread >= blocked {
            "each holds its request while the database works".to_owned()
        } else {
            "each holds its request and waits".to_owned()
        };
        return vec![format!("{n} {threads}, all blocked:"), why];
    }
    let mut parts = Vec::new();
    if running > 0 {
        parts.push(format!("{running} running"));
    }
    if ready > 0 {
        parts.push(format!("{ready} waiting for a core"));
    }
    if idle > 0 {
        parts.push(format!("{idle} idle"));
    }
    let first = if blocked == 0 {
        format!("{n} {threads}, none blocked:")
    } else {
        format!("{n} {threads}, {blocked} blocked:")
    };
    vec![first, parts.join(", ")]
}

pub(super) fn io_caption(s: &Snapshot, receipts: u32, waiting: u32) -> Vec<String> {
    let n = s.io_total;
    let calls = plural(n, "call", "calls");
    if n == 0 {
        return vec!["no calls out".to_owned()];
    }
    if s.io_holding_thread == n {
        vec![
            format!("{n} {calls} out, each holding"),
            "a blocked thread".to_owned(),
        ]
    } else if s.io_holding_thread == 0 && waiting > 0 {
        // `.Result` or polling: the calls hold no thread, but threads wait on their Tasks.
        vec![
            format!("{n} {calls} out as Task receipts;"),
            format!(
                "{waiting} {} blocked on them",
                plural(waiting, "thread", "threads")
            ),
        ]
    } else if s.io_holding_thread == 0 {
        vec![
            format!("{n} {calls} out, each a Task receipt:"),
            "no thread attached".to_owned(),
        ]
    } else {
        vec![
            format!("{n} {calls} out: {} holding a thread,", s.io_holding_thread),
            format!("{receipts} only a Task"),
        ]
    }
}

/// The picture in one sentence, for its description and for screen readers.
pub fn describe(s: &Snapshot) -> String {
    let (idle, ready, running, blocked) = (
        s.threads_in(ThreadState::Idle),
        s.threads_in(ThreadState::Ready),
        s.threads_in(ThreadState::Running),
        s.threads_in(ThreadState::Blocked),
    );
    let n = s.threads_total;
    let mut parts = Vec::new();
    for (count, words) in [
        (blocked, "blocked holding requests"),
        (running, "running"),
        (ready, "waiting for a core"),
        (idle, "idle"),
    ] {
        if count > 0 {
            parts.push(format!("{count} {words}"));
        }
    }
    let threads = if parts.is_empty() {
        format!("{n} threads")
    } else {
        format!(
            "{n} {}: {}",
            plural(n, "thread", "threads"),
            parts.join(", ")
        )
    };
    let q = s.pool_queue_total;
    let continuations = q - s.incoming_total;
    let queue = match (q, continuations) {
        (0, _) => "the queue is empty".to_owned(),
        (_, 0) => format!(
            "{q} {} waiting in the queue",
            plural(q, "request", "requests")
        ),
        _ => format!("{q} work items waiting in the queue, {continuations} of them continuations"),
    };
    let queue = match s.local_queue_total {
        0 => queue,
        l => format!(
            "{queue}; {l} Task.Run {} in threads' own local queues",
            plural(l, "body waits", "bodies wait")
        ),
    };
    let io = match (s.io_total, s.io_holding_thread) {
        (0, _) => "no calls at the database".to_owned(),
        (n, h) if h == n => format!(
            "{n} {} at the database, each holding a blocked thread",
            plural(n, "call", "calls")
        ),
        (n, 0) => format!(
            "{n} {} at the database as Task receipts, holding no thread",
            plural(n, "call", "calls")
        ),
        (n, h) => format!("{n} calls at the database, {h} holding a blocked thread"),
    };
    format!("{threads}; {queue}; {io}.")
}

/// Words for a token, for its accessible name.
pub fn token_words(t: &Token) -> String {
    let what = match t.mark {
        Mark::New => "new, waiting in the pool queue",
        Mark::Continuation => "continuation, waiting in the pool queue for a thread",
        Mark::TaskRunBody => "Task.Run body, waiting in the pool queue for a thread",
        Mark::Held => "on a thread",
        Mark::Receipt => "awaiting the database as a Task, holding no thread",
        Mark::Done(Outcome::Answered) => "answered",
        Mark::Done(Outcome::Late) => "answered after its client gave up",
        Mark::Done(Outcome::Rejected) => "rejected with 503",
    };
    format!("Request {}: {what}", t.request)
}
