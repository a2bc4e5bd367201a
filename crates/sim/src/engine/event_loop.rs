//! The event loop: the queue of scheduled events in (time, insertion sequence) order, the
//! clock that jumps from one event to the next, and `step`, which handles one event and then
//! lets every thread it woke run. Same scenario and seed, same order of events.

use std::cmp::Ordering;

use super::Sim;
use crate::report::Summary;
use crate::time::SimTime;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Event {
    /// A closed-load user sends a request.
    UserSend { user: u32 },
    /// Open load: an arrival (`arrive`), or a rate change where the gap is drawn anew.
    OpenTick { arrive: bool },
    /// The segment of CPU work running on a core ends.
    SegmentEnd { core: u32 },
    /// A request's I/O call completes.
    IoDone { slot: u32, id: u64 },
    /// A sleeping poller wakes up.
    PollWake { thread: u32, epoch: u32 },
    /// The pool's gate thread runs.
    Gate,
    /// Cooperative blocking may add its next thread.
    CooperativeInject,
    /// An idle thread's idle timeout may have expired: it retires if it has been parked
    /// for the whole timeout, or the check moves to when it will have been.
    IdleRetire { thread: u32 },
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Scheduled {
    time_us: u64,
    seq: u64,
    event: Event,
}

impl PartialEq for Scheduled {
    fn eq(&self, other: &Scheduled) -> bool {
        self.time_us == other.time_us && self.seq == other.seq
    }
}
impl Eq for Scheduled {}
impl PartialOrd for Scheduled {
    fn partial_cmp(&self, other: &Scheduled) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Scheduled {
    /// Reversed so that `BinaryHeap` (a max-heap) pops the earliest event first; ties go to
    /// the event scheduled first.
    fn cmp(&self, other: &Scheduled) -> Ordering {
        (other.time_us, other.seq).cmp(&(self.time_us, self.seq))
    }
}

impl Sim {
    pub(crate) fn schedule(&mut self, time: SimTime, event: Event) {
        // Events after the end can never run; not storing them keeps the heap small.
        if time > self.end {
            return;
        }
        debug_assert!(time >= self.now, "scheduling into the past");
        let seq = self.next_seq;
        self.next_seq += 1;
        self.queue.push(Scheduled {
            time_us: time.0,
            seq,
            event,
        });
    }

    /// Processes the next event. Returns false when the run is over.
    pub fn step(&mut self) -> bool {
        // The invariants that cost O(1) to check hold after every event, in every debug
        // build and test; `check_invariants` recounts the rest for the invariant tests.
        #[cfg(debug_assertions)]
        if let Err(broken) = self.cheap_invariants() {
            panic!("engine invariant broken: {broken}");
        }
        if self.finished {
            return false;
        }
        loop {
            if self.events >= self.scenario.limits.max_events {
                self.limits_hit.max_events = true;
                self.finish();
                return false;
            }
            let heap_time = self.queue.peek().map(|s| s.time_us);
            let timeout_time = self
                .timeouts
                .front()
                .map(|t| t.0)
                .filter(|&t| t <= self.end.0);
            let take_timeout = match (heap_time, timeout_time) {
                (_, None) => false,
                (None, Some(_)) => true,
                (Some(h), Some(t)) => t < h,
            };
            if take_timeout {
                let Some((deadline, slot, id)) = self.timeouts.pop_front() else {
                    continue;
                };
                if !self.request_waits_for_answer(slot, id) {
                    continue;
                }
                self.advance_to(SimTime(deadline));
                self.on_timeout(slot);
                break;
            }
            let Some(next) = self.queue.pop() else {
                self.finish();
                return false;
            };
            self.advance_to(SimTime(next.time_us));
            self.handle(next.event);
            break;
        }
        self.events += 1;
        self.drain_wake_list();
        self.dispatch_cores();
        true
    }

    /// Processes every event up to and including `time`, then moves the clock to `time`
    /// (or to the end of the run, whichever is first).
    pub fn run_until(&mut self, time: SimTime) {
        while !self.finished && self.next_event_time().is_some_and(|t| t <= time.0) {
            self.step();
        }
        if !self.finished {
            if time >= self.end {
                self.finish();
            } else {
                self.advance_to(time);
            }
        }
    }

    /// Like [`Sim::run_until`], but processes at most `max_events` events, so a caller
    /// drawing frames can bound the work per frame whatever the scenario. Returns true when
    /// the clock reached `time` (or the run ended), false when the budget ran out first.
    pub fn run_until_bounded(&mut self, time: SimTime, max_events: u64) -> bool {
        let mut budget = max_events;
        while !self.finished && self.next_event_time().is_some_and(|t| t <= time.0) {
            if budget == 0 {
                return false;
            }
            budget -= 1;
            self.step();
        }
        self.run_until(time);
        true
    }

    /// Runs to the end and returns the summary.
    pub fn run_to_end(&mut self) -> Summary {
        while self.step() {}
        self.summary()
    }

    /// The time of the next event, if any is left before the end.
    pub fn next_event_time(&self) -> Option<u64> {
        let heap = self.queue.peek().map(|s| s.time_us);
        let timeout = self
            .timeouts
            .front()
            .map(|t| t.0)
            .filter(|&t| t <= self.end.0);
        match (heap, timeout) {
            (Some(h), Some(t)) => Some(h.min(t)),
            (h, t) => h.or(t),
        }
    }

    fn finish(&mut self) {
        if self.finished {
            return;
        }
        let end = if self.limits_hit.max_events {
            self.now
        } else {
            self.end
        };
        self.advance_to(end);
        if self.limits_hit.max_events {
            // Stopped mid-run: CPU booked past the stop (a segment is booked whole when it
            // starts) belongs to no window. Left in, it made the last sample's CPU share
            // exceed 100 % (found by the soak, seeds 26 and 266).
            let (useful, switching) = self.cpu_booked_until(self.window_end.0);
            if let Some(entry) = self.cpu_ledger.front_mut() {
                entry.0 = entry.0.saturating_sub(useful);
                entry.1 = entry.1.saturating_sub(switching);
            }
        }
        // A last, partial window still gets its sample.
        let window_start = self.window_end.0.saturating_sub(self.window_us);
        if self.now.0 > window_start {
            self.close_window(self.now.0 - window_start);
        }
        self.finished = true;
    }

    fn handle(&mut self, event: Event) {
        match event {
            Event::UserSend { user } => self.arrive(user),
            Event::OpenTick { arrive } => {
                if arrive {
                    self.arrive(u32::MAX);
                }
                self.schedule_open_arrival();
            }
            Event::SegmentEnd { core } => self.on_segment_end(core),
            Event::IoDone { slot, id } => self.on_io_done(slot, id),
            Event::PollWake { thread, epoch } => self.on_poll_wake(thread, epoch),
            Event::Gate => self.on_gate(),
            Event::CooperativeInject => self.on_cooperative_inject(),
            Event::IdleRetire { thread } => self.on_idle_retire(thread),
        }
    }

    /// Moves the clock forward, integrating time-weighted statistics and closing every
    /// sample window the move passes.
    fn advance_to(&mut self, time: SimTime) {
        while time >= self.window_end && self.window_end <= self.end {
            let boundary = self.window_end;
            self.integrate(boundary);
            self.close_window(self.window_us);
            self.window_end = self.window_end.plus_us(self.window_us);
        }
        self.integrate(time);
    }

    fn integrate(&mut self, time: SimTime) {
        if time <= self.now {
            return;
        }
        let dt = u128::from(time.since(self.now));
        self.area_threads += u128::from(self.threads_alive) * dt;
        self.area_queue += self.work.len() as u128 * dt;
        self.area_in_system += u128::from(self.in_flight) * dt;
        self.now = time;
    }
}
