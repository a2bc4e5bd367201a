//! The OS side: thread states, the ready queue, and cores running threads round-robin
//! with a time slice. A switch to a different thread costs `context_switch_us` of CPU,
//! booked as switching rather than useful time.

use super::{Doing, Event, Sim, ThreadState};
use crate::report::TraceKind;
use crate::time::{SimTime, US_PER_MS};

impl Sim {
    pub(crate) fn set_state(&mut self, thread: u32, state: ThreadState) {
        let t = &mut self.threads[thread as usize];
        let old = t.state;
        if old == state {
            return;
        }
        t.state = state;
        self.state_counts[old as usize] -= 1;
        self.state_counts[state as usize] += 1;
    }

    /// Takes a thread off its core (if it is on one), freeing the core.
    fn leave_core(&mut self, thread: u32) {
        if let Some(core) = self.threads[thread as usize].core.take() {
            self.cores[core as usize].thread = None;
            self.free_cores.push(core);
        }
    }

    /// The thread blocks (I/O, `.Result`, sleep): it keeps its memory but uses no CPU.
    pub(crate) fn block(&mut self, thread: u32, doing: Doing, request: Option<u64>) {
        self.leave_core(thread);
        self.threads[thread as usize].doing = doing;
        if self.threads[thread as usize].state != ThreadState::Blocked {
            self.set_state(thread, ThreadState::Blocked);
            let id = self.threads[thread as usize].id;
            self.emit(TraceKind::ThreadBlocked, Some(id), request, None);
        }
    }

    /// The thread parks in the pool; it retires if it stays idle for the idle timeout.
    /// A thread has at most one retirement check pending: one scheduled at every park
    /// filled the event heap with checks that found the thread busy again (heavy-async
    /// parks 19,000 times a second, and held 378,000 of them, 80 % of its memory).
    pub(crate) fn go_idle(&mut self, thread: u32) {
        self.leave_core(thread);
        let t = &mut self.threads[thread as usize];
        t.doing = Doing::Idle;
        t.epoch = t.epoch.wrapping_add(1);
        t.idle_since = self.now;
        let id = t.id;
        let check = !t.retire_pending;
        t.retire_pending = true;
        self.set_state(thread, ThreadState::Idle);
        self.idle.push(thread);
        self.emit(TraceKind::ThreadIdle, Some(id), None, None);
        if check {
            let at = self
                .now
                .plus_us(self.scenario.pool.idle_timeout_ms.saturating_mul(US_PER_MS));
            self.schedule(at, Event::IdleRetire { thread });
        }
    }

    /// The thread has `us` of CPU work to do next. On a core it simply goes on; otherwise
    /// it joins the OS ready queue.
    pub(crate) fn need_cpu(&mut self, thread: u32, us: u64, doing: Doing) {
        let t = &mut self.threads[thread as usize];
        t.cpu_left_us = us;
        t.doing = doing;
        match t.core {
            Some(core) => self.continue_on_core(core),
            None => {
                let id = t.id;
                self.set_state(thread, ThreadState::Ready);
                self.ready.push_back(thread);
                self.emit(TraceKind::ThreadReady, Some(id), None, None);
            }
        }
    }

    /// The thread on `core` has CPU work left: run it for the rest of its slice, or put it
    /// at the back of the ready queue if its slice is used up and others are waiting.
    fn continue_on_core(&mut self, core: u32) {
        let Some(thread) = self.cores[core as usize].thread else {
            return;
        };
        if self.cores[core as usize].slice_left_us == 0 {
            if !self.ready.is_empty() {
                self.leave_core(thread);
                self.set_state(thread, ThreadState::Ready);
                self.ready.push_back(thread);
                let id = self.threads[thread as usize].id;
                self.emit(TraceKind::Preempted, Some(id), None, None);
                return;
            }
            self.cores[core as usize].slice_left_us = self.time_slice_us();
        }
        let run = self.threads[thread as usize]
            .cpu_left_us
            .min(self.cores[core as usize].slice_left_us);
        self.cores[core as usize].segment_run_us = run;
        self.cores[core as usize].segment_useful_start_us = self.now.0;
        self.book_cpu(self.now.0, run, false);
        self.schedule(self.now.plus_us(run), Event::SegmentEnd { core });
    }

    fn time_slice_us(&self) -> u64 {
        self.scenario
            .machine
            .time_slice_ms
            .saturating_mul(US_PER_MS)
    }

    pub(crate) fn on_segment_end(&mut self, core: u32) {
        let Some(thread) = self.cores[core as usize].thread else {
            return;
        };
        let ran = self.cores[core as usize].segment_run_us;
        let c = &mut self.cores[core as usize];
        c.slice_left_us = c.slice_left_us.saturating_sub(ran);
        c.segment_run_us = 0;
        c.segment_useful_start_us = self.now.0;
        let t = &mut self.threads[thread as usize];
        t.cpu_left_us = t.cpu_left_us.saturating_sub(ran);
        if t.cpu_left_us > 0 {
            self.continue_on_core(core);
        } else {
            self.run_thread(thread);
        }
    }

    /// Gives free cores to ready threads, in FIFO order.
    pub(crate) fn dispatch_cores(&mut self) {
        while !self.ready.is_empty() {
            let Some(core) = self.free_cores.pop() else {
                return;
            };
            let Some(thread) = self.ready.pop_front() else {
                self.free_cores.push(core);
                return;
            };
            let switch_us = if self.cores[core as usize].last_thread != Some(thread) {
                self.context_switches += 1;
                self.window.context_switches += 1;
                self.scenario.machine.context_switch_us
            } else {
                0
            };
            let slice = self.time_slice_us();
            let c = &mut self.cores[core as usize];
            c.thread = Some(thread);
            c.last_thread = Some(thread);
            c.slice_left_us = slice;
            let t = &mut self.threads[thread as usize];
            t.core = Some(core);
            let run = t.cpu_left_us.min(slice);
            let id = t.id;
            c.segment_run_us = run;
            c.segment_useful_start_us = self.now.0.saturating_add(switch_us);
            self.set_state(thread, ThreadState::Running);
            self.emit(TraceKind::ThreadRunning, Some(id), None, None);
            let start = self.now.0;
            self.book_cpu(start, switch_us, true);
            self.book_cpu(start.saturating_add(switch_us), run, false);
            self.schedule(
                SimTime(start.saturating_add(switch_us).saturating_add(run)),
                Event::SegmentEnd { core },
            );
        }
    }
}
