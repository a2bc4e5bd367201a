//! The engine's invariants: the constant-time ones asserted before every event in debug
//! builds, and the full recount the invariant tests and the soak call after every event.

use super::*;

impl Sim {
    /// The invariants checkable from counters alone, in constant time: requests are
    /// conserved, the per-state thread counts add up and fit the pool's maximum and the
    /// cores, the idle and ready lists match their counts, and the clock is within the run.
    #[cfg(debug_assertions)]
    pub(super) fn cheap_invariants(&self) -> Result<(), String> {
        let answered =
            self.completed + self.failed + self.rejected + self.in_flight + self.attempts_abandoned;
        if self.arrived != answered {
            return Err(format!(
                "requests not conserved: {} arrived, {answered} accounted for",
                self.arrived
            ));
        }
        let counts = self.state_counts;
        if counts.iter().sum::<u32>() != self.threads_alive {
            return Err("state counts do not add up to live threads".to_owned());
        }
        if self.threads_alive > self.scenario.pool.max_threads {
            return Err(format!(
                "{} threads alive, max {}",
                self.threads_alive, self.scenario.pool.max_threads
            ));
        }
        if counts[ThreadState::Running as usize] > self.scenario.machine.cores {
            return Err("more running threads than cores".to_owned());
        }
        if self.idle.len() as u32 != counts[ThreadState::Idle as usize]
            || self.ready.len() as u32 != counts[ThreadState::Ready as usize]
        {
            return Err("idle or ready list out of step with its count".to_owned());
        }
        if self.now > self.end {
            return Err("clock past the end".to_owned());
        }
        Ok(())
    }

    /// Checks the engine's internal invariants (TigerStyle assertions, used by the tests
    /// after every event). Returns a description of the first one broken.
    pub fn check_invariants(&self) -> Result<(), String> {
        let fail = |what: String| Err(format!("t={} events={}: {what}", self.now, self.events));
        let answered =
            self.completed + self.failed + self.rejected + self.in_flight + self.attempts_abandoned;
        if self.arrived != answered {
            return fail(format!(
                "requests not conserved: arrived {} != completed {} + failed {} + rejected {} + in flight {} + abandoned attempts {}",
                self.arrived, self.completed, self.failed, self.rejected, self.in_flight, self.attempts_abandoned
            ));
        }
        let mut counts = [0u32; 4];
        let mut on_cores = 0u32;
        for (slot, t) in self.threads.iter().enumerate() {
            if !t.alive {
                continue;
            }
            counts[t.state as usize] += 1;
            match (t.state, t.core) {
                (ThreadState::Running, Some(core)) => {
                    on_cores += 1;
                    if self.cores[core as usize].thread != Some(slot as u32) {
                        return fail(format!("thread {} thinks it is on core {core}", t.id));
                    }
                }
                (ThreadState::Running, None) => {
                    return fail(format!("thread {} running without a core", t.id))
                }
                (_, Some(_)) => {
                    return fail(format!("thread {} holds a core but is not running", t.id))
                }
                _ => {}
            }
        }
        if counts != self.state_counts {
            return fail(format!(
                "state counts {:?} != recount {counts:?}",
                self.state_counts
            ));
        }
        if counts.iter().sum::<u32>() != self.threads_alive {
            return fail("state counts do not add up to live threads".to_owned());
        }
        if on_cores > self.scenario.machine.cores {
            return fail(format!(
                "{on_cores} running threads on {} cores",
                self.scenario.machine.cores
            ));
        }
        let cores_busy = self.cores.iter().filter(|c| c.thread.is_some()).count() as u32;
        if cores_busy != on_cores || cores_busy as usize + self.free_cores.len() != self.cores.len()
        {
            return fail("core bookkeeping out of step".to_owned());
        }
        if self.threads_alive > self.scenario.pool.max_threads {
            return fail(format!(
                "{} threads alive, max {}",
                self.threads_alive, self.scenario.pool.max_threads
            ));
        }
        if self.idle.len() as u32 != counts[ThreadState::Idle as usize] {
            return fail("idle list and idle count differ".to_owned());
        }
        if self.ready.len() as u32 != counts[ThreadState::Ready as usize] {
            return fail("ready queue and ready count differ".to_owned());
        }
        if !self.idle.is_empty() && self.has_work() && self.processing() < self.goal {
            return fail("work is queued while a thread is idle".to_owned());
        }
        let incoming = self
            .work
            .iter()
            .filter(|w| w.kind == WorkKind::NewRequest)
            .count() as u32;
        if incoming != self.incoming_len {
            return fail("incoming count out of step".to_owned());
        }
        let local: usize = self.threads.iter().map(|t| t.local.len()).sum();
        if local as u32 != self.local_len {
            return fail("local queue count out of step".to_owned());
        }
        let live = self.requests.iter().filter(|r| r.live);
        let (mut n_live, mut n_waiting, mut n_io, mut n_tasks) = (0u32, 0u64, 0u32, 0u32);
        for r in live {
            n_live += 1;
            n_waiting += u64::from(!r.timed_out);
            n_io += u32::from(r.io != IoState::None);
            n_tasks += u32::from(r.task.is_some() && !r.task_done);
            // A request with a call in progress waits for it; one in the table is not done.
            let io = r.io != IoState::None;
            if (io && r.phase != RequestPhase::InIo) || r.phase == RequestPhase::Done {
                return fail(format!(
                    "request {} is {:?} (I/O {:?})",
                    r.id, r.phase, r.io
                ));
            }
        }
        if n_live != self.requests_live || n_waiting != self.in_flight {
            return fail(format!(
                "live requests {n_live}/{} or waiting {n_waiting}/{} out of step",
                self.requests_live, self.in_flight
            ));
        }
        if n_io != self.io_in_flight {
            return fail(format!(
                "I/O in flight {} != recount {n_io}",
                self.io_in_flight
            ));
        }
        if n_tasks != self.tasks_pending {
            return fail(format!(
                "tasks pending {} != recount {n_tasks}",
                self.tasks_pending
            ));
        }
        for r in &self.resources {
            if r.in_use > r.capacity || (!r.waiting.is_empty() && r.in_use < r.capacity) {
                return fail(format!(
                    "resource {}: {} in use of {}, {} waiting",
                    r.name,
                    r.in_use,
                    r.capacity,
                    r.waiting.len()
                ));
            }
        }
        if self.now > self.end {
            return fail("clock past the end".to_owned());
        }
        Ok(())
    }
}
