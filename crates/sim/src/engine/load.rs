//! The clients: closed-load users and open Poisson arrivals (with bursts), admission or
//! rejection at arrival, the client's timeout and the load tool's retries, and the answer
//! when the server finishes a request's program.

use super::{Event, Finished, IoState, Outcome, Request, RequestPhase, Sim, WorkItem, WorkKind};
use super::{DRAW_CAP_US, RECENT_MAX};
use crate::report::TraceKind;
use crate::time::{ms_to_us, SimTime, US_PER_MS, US_PER_S};

impl Sim {
    fn arrival_rate_at(&self, time_us: u64) -> f64 {
        for b in &self.scenario.load.bursts {
            let start = b.start_ms.saturating_mul(US_PER_MS);
            let stop = start.saturating_add(b.duration_ms.saturating_mul(US_PER_MS));
            if time_us >= start && time_us < stop {
                return b.rate_per_s;
            }
        }
        self.scenario.load.rate_per_s
    }

    /// The first burst start or stop after `time_us`, where the arrival rate may change.
    fn next_rate_change(&self, time_us: u64) -> Option<u64> {
        self.scenario
            .load
            .bursts
            .iter()
            .flat_map(|b| {
                let start = b.start_ms.saturating_mul(US_PER_MS);
                [
                    start,
                    start.saturating_add(b.duration_ms.saturating_mul(US_PER_MS)),
                ]
            })
            .filter(|&t| t > time_us)
            .min()
    }

    /// Schedules the next open-load arrival. Poisson arrivals are memoryless, so when the
    /// rate changes before the drawn arrival, drawing again from the change is exact.
    pub(super) fn schedule_open_arrival(&mut self) {
        let now = self.now.0;
        let rate = self.arrival_rate_at(now);
        let change = self.next_rate_change(now);
        let candidate = if rate > 0.0 {
            let mean_us = US_PER_S as f64 / rate;
            let gap = self.rng_arrivals.exponential(mean_us);
            let gap_us = if gap.is_finite() && gap < DRAW_CAP_US as f64 {
                (gap + 0.5) as u64
            } else {
                DRAW_CAP_US
            };
            Some(now.saturating_add(gap_us))
        } else {
            None
        };
        match (candidate, change) {
            (Some(t), Some(c)) if c < t => {
                self.schedule(SimTime(c), Event::OpenTick { arrive: false })
            }
            (Some(t), _) => self.schedule(SimTime(t), Event::OpenTick { arrive: true }),
            (None, Some(c)) => self.schedule(SimTime(c), Event::OpenTick { arrive: false }),
            (None, None) => {}
        }
    }

    fn think_us(&mut self) -> u64 {
        let load = &self.scenario.load;
        let (dist, mean_us) = (load.think_dist, ms_to_us(load.think_ms));
        self.rng_think.sample_us(dist, mean_us, 0.0, DRAW_CAP_US)
    }

    fn user_next(&mut self, user: u32, delay_us: u64) {
        if user != u32::MAX {
            self.schedule(self.now.plus_us(delay_us), Event::UserSend { user });
        }
    }

    pub(super) fn arrive(&mut self, user: u32) {
        self.arrived += 1;
        let would_queue = !self.can_take_at_once();
        let queue_full = self
            .scenario
            .pool
            .queue_limit
            .is_some_and(|limit| would_queue && self.incoming_len >= limit);
        let table_full = self.requests_live >= self.scenario.limits.max_in_flight;
        if queue_full || table_full {
            if table_full {
                self.limits_hit.in_flight += 1;
            }
            self.rejected += 1;
            self.window.rejected += 1;
            let id = self.next_request_id;
            self.next_request_id += 1;
            self.emit(TraceKind::Rejected, None, Some(id), None);
            self.note_finished(id, Outcome::Rejected);
            let retry_us = self.scenario.load.retry_ms.saturating_mul(US_PER_MS);
            self.user_next(user, retry_us);
            return;
        }
        let id = self.next_request_id;
        self.next_request_id += 1;
        let request = Request {
            id,
            live: true,
            user,
            arrived: self.now,
            step: 0,
            timed_out: false,
            task: None,
            task_done: false,
            waiter: None,
            io_thread: None,
            io: IoState::None,
            deadlocked: false,
            attempt: self.user_attempt.get(user as usize).copied().unwrap_or(1),
            server_items_left: self.scenario.endpoint.server_items.saturating_sub(1),
            phase: RequestPhase::Queued,
        };
        let slot = match self.free_request_slots.pop() {
            Some(slot) => {
                self.requests[slot as usize] = request;
                slot
            }
            None => {
                self.requests.push(request);
                (self.requests.len() - 1) as u32
            }
        };
        self.requests_live += 1;
        self.in_flight += 1;
        self.emit(TraceKind::Arrival, None, Some(id), None);
        // Each attempt's deadline: the load tool's per-attempt one when set, else the
        // client's timeout. (All requests share one, so the deadlines stay in order.)
        let load = &self.scenario.load;
        let wait_ms = load.attempt_timeout_ms.unwrap_or(load.timeout_ms);
        let deadline = self.now.plus_us(wait_ms.saturating_mul(US_PER_MS));
        if deadline <= self.end {
            self.timeouts.push_back((deadline.0, slot, id));
        }
        self.enqueue(WorkItem {
            kind: WorkKind::NewRequest,
            slot,
        });
    }

    /// Whether the client is still waiting for this request.
    pub(super) fn request_waits_for_answer(&self, slot: u32, id: u64) -> bool {
        self.requests
            .get(slot as usize)
            .is_some_and(|r| r.live && r.id == id && !r.timed_out)
    }

    pub(super) fn on_timeout(&mut self, slot: u32) {
        let Some(r) = self.requests.get_mut(slot as usize) else {
            return;
        };
        r.timed_out = true;
        let (id, user, task, attempt) = (r.id, r.user, r.task, r.attempt);
        // A load tool with a deadline per attempt drops the connection and sends the
        // request again at once on a new one, while attempts remain; the server is not
        // told and finishes the abandoned attempt anyway (a late response).
        let load = &self.scenario.load;
        if load.attempt_timeout_ms.is_some() && attempt < load.attempts && user != u32::MAX {
            self.attempts_abandoned += 1;
            self.in_flight -= 1;
            self.emit(TraceKind::Timeout, None, Some(id), task);
            self.set_user_attempt(user, attempt + 1);
            self.user_next(user, 0);
            return;
        }
        self.set_user_attempt(user, 1);
        self.failed += 1;
        self.window.failed += 1;
        self.in_flight -= 1;
        self.emit(TraceKind::Timeout, None, Some(id), task);
        // The server is not told: it goes on working on the request, as Kestrel does when
        // the endpoint ignores `RequestAborted`.
        let think = self.think_us();
        self.user_next(user, think);
    }

    /// Which attempt `user`'s next request is.
    fn set_user_attempt(&mut self, user: u32, attempt: u32) {
        if user == u32::MAX {
            return;
        }
        let i = user as usize;
        if self.user_attempt.len() <= i {
            // Users are numbered from 0 up to `load.users`; the table grows to the highest.
            self.user_attempt.resize(i + 1, 1);
        }
        self.user_attempt[i] = attempt;
    }

    /// Keeps the last `RECENT_MAX` requests that left the server, for the stage.
    fn note_finished(&mut self, request: u64, outcome: Outcome) {
        if self.recent.len() == RECENT_MAX {
            self.recent.pop_front();
        }
        self.recent.push_back(Finished {
            request,
            outcome,
            at_us: self.now.0,
        });
    }

    /// The server finished a request's program.
    pub(crate) fn respond(&mut self, slot: u32, thread_id: u32) {
        let Some(r) = self.requests.get_mut(slot as usize) else {
            return;
        };
        r.live = false;
        let (id, user, timed_out, arrived) = (r.id, r.user, r.timed_out, r.arrived);
        self.requests_live -= 1;
        self.free_request_slots.push(slot);
        if timed_out {
            self.late_responses += 1;
            self.note_finished(id, Outcome::Late);
            return;
        }
        self.set_user_attempt(user, 1);
        let latency_us = self.now.since(arrived);
        self.completed += 1;
        self.in_flight -= 1;
        self.latency.record(latency_us);
        self.window.completed += 1;
        self.window.latency.record(latency_us);
        self.emit(TraceKind::Response, Some(thread_id), Some(id), None);
        self.note_finished(id, Outcome::Answered);
        let think = self.think_us();
        self.user_next(user, think);
    }
}
