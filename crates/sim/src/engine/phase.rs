//! Where a request is in its handler, kept by the engine as it moves the request: the page's
//! code panel highlights the line of C# that stands for it. The phase lives in the request's
//! entry of the request table (`Request::phase`), so it costs nothing per event and goes
//! when the request does; [`Sim::request_phase`] reads it.
//!
//! Where it moves (each where the trace reports the same step, but for two steps the trace
//! has no event for: a timer coming due, and a polling thread's check of its task):
//!
//! * `Queued` at arrival (`load.rs`); it stays `Queued` while the request passes through
//!   the server's own work items (`endpoint.server_items`).
//! * `BeforeIo` when a thread takes the work item that runs the handler (`queues.rs`,
//!   `take_item`), `AfterIo` when it takes a queued continuation.
//! * `InIo` when the handler starts an I/O call, queues a `Task.Run` body, or blocks on
//!   its task (`program.rs`); `FastPath` when the call completed synchronously.
//! * `Resuming` when the call is over and what carries the request on (an `await`'s
//!   continuation, or the inner completion a `.Result` waits for) is queued, or waits in a
//!   timer queue, or ran inline but the blocked thread has not been told yet.
//! * `AfterIo` when the handler's thread goes on with the result: a blocking call returns,
//!   a continuation runs (queued or inline), a `.Result` wakes, a polling loop sees the
//!   task completed.
//! * `Done` once the request has left the table: answered (in time or late) or rejected.

use super::Sim;

/// Where a request is in its handler, in the order a request meets them.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum RequestPhase {
    /// Arrived; waiting in the pool's queue for a thread to start the handler.
    Queued,
    /// On a thread, running the code before its first wait (the whole handler when it
    /// never waits).
    BeforeIo,
    /// Waiting for what it called: the I/O (or a `Task.Run` body) is not finished.
    InIo,
    /// The call it waits for was already complete: the same thread goes straight on.
    FastPath,
    /// The wait is over, but the work that carries the request on (an `await`'s
    /// continuation, or the inner completion a `.Result` needs) waits for a thread.
    Resuming,
    /// On a thread again, with the result, running the code after the wait.
    AfterIo,
    /// Answered (or turned away with 503).
    Done,
}

names!(RequestPhase {
    Queued => "queued",
    BeforeIo => "before_io",
    InIo => "in_io",
    FastPath => "fast_path",
    Resuming => "resuming",
    AfterIo => "after_io",
    Done => "done",
});

impl Sim {
    /// Where request `id` is in its handler: its phase while the server holds it, `Done`
    /// once it has left (answered, answered after its client gave up, or rejected), `None`
    /// if it has not arrived yet. Looks the request up in the table of live requests, so
    /// it costs one pass over that table (at most `limits.max_in_flight` entries).
    pub fn request_phase(&self, id: u64) -> Option<RequestPhase> {
        if id >= self.next_request_id {
            return None;
        }
        let live = self.requests.iter().find(|r| r.live && r.id == id);
        Some(live.map_or(RequestPhase::Done, |r| r.phase))
    }

    /// Moves the request in table slot `slot` to `phase`.
    pub(super) fn set_phase(&mut self, slot: u32, phase: RequestPhase) {
        self.requests[slot as usize].phase = phase;
    }
}
