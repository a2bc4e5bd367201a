//! The bookkeeping behind the reports: the sample window now open and the samples it
//! closes into, CPU time booked per window, the run's summary (DESIGN §2.4), the trace
//! (bounded buffer and running hash) and the counters the pool's moves update.

use super::{Sim, ThreadState};
use crate::report::{
    us_to_ms, Histogram, LatencyMs, LittlesLaw, QueueStats, Sample, Summary, ThreadStats,
    TraceEvent, TraceKind,
};
use crate::time::{US_PER_MS, US_PER_S};

/// Counters for the sample window now open.
#[derive(Clone, Debug, Default)]
pub(super) struct Window {
    pub(super) completed: u32,
    pub(super) failed: u32,
    pub(super) rejected: u32,
    pub(super) context_switches: u64,
    pub(super) work_items: u32,
    pub(super) injected: u32,
    pub(super) retired: u32,
    pub(super) hill_climbing_raised: u32,
    pub(super) hill_climbing_lowered: u32,
    pub(super) latency: Histogram,
}

impl Sim {
    pub(crate) fn emit(
        &mut self,
        kind: TraceKind,
        thread: Option<u32>,
        request: Option<u64>,
        task: Option<u64>,
    ) {
        let event = TraceEvent {
            index: self.trace_total,
            time_us: self.now.0,
            kind,
            thread,
            request,
            task,
        };
        self.trace_total += 1;
        self.hasher.add(&event);
        if self.trace_cap == 0 {
            return;
        }
        if self.trace.len() >= self.trace_cap {
            self.trace.pop_front();
        }
        self.trace.push_back(event);
    }

    /// Books CPU time `[start, start + len)` as useful or switching, into the run totals
    /// (clipped at the end of the run) and into the windows it overlaps.
    pub(crate) fn book_cpu(&mut self, start_us: u64, len_us: u64, switching: bool) {
        if len_us == 0 {
            return;
        }
        let end_us = start_us.saturating_add(len_us).min(self.end.0);
        if end_us <= start_us {
            return;
        }
        if switching {
            self.switching_us += end_us - start_us;
        } else {
            self.useful_us += end_us - start_us;
        }
        let window_start = self.window_end.0.saturating_sub(self.window_us);
        let mut from = start_us;
        while from < end_us {
            let index = ((from - window_start) / self.window_us) as usize;
            let window_stop = window_start + (index as u64 + 1) * self.window_us;
            let to = end_us.min(window_stop);
            while self.cpu_ledger.len() <= index {
                self.cpu_ledger.push_back((0, 0));
            }
            if let Some(entry) = self.cpu_ledger.get_mut(index) {
                if switching {
                    entry.1 += to - from;
                } else {
                    entry.0 += to - from;
                }
            }
            from = to;
        }
    }

    pub(super) fn close_window(&mut self, length_us: u64) {
        let (useful, switching) = self.cpu_ledger.pop_front().unwrap_or((0, 0));
        let w = std::mem::take(&mut self.window);
        if self.samples.len() >= self.scenario.limits.samples as usize {
            self.limits_hit.samples_dropped += 1;
            self.window.latency = w.latency;
            self.window.latency.clear();
            return;
        }
        let length_us = length_us.max(1);
        let core_us = (length_us * u64::from(self.scenario.machine.cores)) as f64;
        let per_s = US_PER_S as f64 / length_us as f64;
        let sample = Sample {
            time_ms: self.now.0 / US_PER_MS,
            threads: self.threads_alive,
            thread_goal: self.goal,
            threads_idle: self.state_counts[ThreadState::Idle as usize],
            threads_ready: self.state_counts[ThreadState::Ready as usize],
            threads_running: self.state_counts[ThreadState::Running as usize],
            threads_blocked: self.state_counts[ThreadState::Blocked as usize],
            queue_len: self.work.len() as u32,
            in_flight: self.in_flight as u32,
            tasks_pending: self.tasks_pending,
            io_in_flight: self.io_in_flight,
            completed: w.completed,
            throughput_rps: f64::from(w.completed) * per_s,
            latency_ms_p50: us_to_ms(w.latency.percentile_us(50)),
            latency_ms_p95: us_to_ms(w.latency.percentile_us(95)),
            latency_ms_p99: us_to_ms(w.latency.percentile_us(99)),
            failed: w.failed,
            rejected: w.rejected,
            cpu_useful_pct: 100.0 * useful as f64 / core_us,
            cpu_switching_pct: 100.0 * switching as f64 / core_us,
            context_switches_per_s: w.context_switches as f64 * per_s,
            memory_reserved_mb: self.memory_mb(self.scenario.machine.stack_reserve_kb),
            memory_committed_mb: self.memory_mb(self.scenario.machine.stack_commit_kb),
            work_items: w.work_items,
            injected: w.injected,
            retired: w.retired,
            hill_climbing_raised: w.hill_climbing_raised,
            hill_climbing_lowered: w.hill_climbing_lowered,
        };
        self.samples.push(sample);
        // Reuse the histogram's allocation for the next window.
        let mut latency = w.latency;
        latency.clear();
        self.window.latency = latency;
    }

    fn memory_mb(&self, per_thread_kb: u64) -> f64 {
        (u64::from(self.threads_alive) * per_thread_kb) as f64 / 1024.0
    }

    /// The summary of the run so far (DESIGN §2.4).
    pub fn summary(&self) -> Summary {
        let elapsed_us = self.now.0.max(1);
        let elapsed_s = elapsed_us as f64 / US_PER_S as f64;
        let core_us = elapsed_us as f64 * f64::from(self.scenario.machine.cores);
        let throughput_rps = self.completed as f64 / elapsed_s;
        let mean_latency_s = self.latency.mean_us() / US_PER_S as f64;
        let l_measured = self.area_in_system as f64 / elapsed_us as f64;
        let lambda_w = throughput_rps * mean_latency_s;
        let error_pct = if l_measured > 0.0 {
            100.0 * (l_measured - lambda_w).abs() / l_measured
        } else {
            0.0
        };
        let m = &self.scenario.machine;
        let (cpu_useful_us, cpu_switching_us) = self.cpu_used_us();
        Summary {
            sim_time_ms: self.now.as_ms_f64(),
            arrived: self.arrived,
            completed: self.completed,
            failed: self.failed,
            rejected: self.rejected,
            in_flight: self.in_flight,
            late_responses: self.late_responses,
            attempts_abandoned: self.attempts_abandoned,
            deadlocked: self.deadlocked,
            throughput_rps,
            latency_ms: LatencyMs {
                mean: self.latency.mean_us() / US_PER_MS as f64,
                p50: us_to_ms(self.latency.percentile_us(50)),
                p95: us_to_ms(self.latency.percentile_us(95)),
                p99: us_to_ms(self.latency.percentile_us(99)),
                max: us_to_ms(self.latency.max_us()),
            },
            threads: ThreadStats {
                max: self.threads_max,
                mean: self.area_threads as f64 / elapsed_us as f64,
                r#final: self.threads_alive,
            },
            queue_len: QueueStats {
                max: self.queue_max,
                mean: self.area_queue as f64 / elapsed_us as f64,
            },
            cpu_useful_pct: 100.0 * cpu_useful_us as f64 / core_us,
            cpu_switching_pct: 100.0 * cpu_switching_us as f64 / core_us,
            context_switches: self.context_switches,
            memory_reserved_mb_max: (u64::from(self.threads_max) * m.stack_reserve_kb) as f64
                / 1024.0,
            memory_committed_mb_max: (u64::from(self.threads_max) * m.stack_commit_kb) as f64
                / 1024.0,
            work_items: self.work_items,
            injections: self.injections.clone(),
            littles_law: LittlesLaw {
                l_measured,
                lambda_w,
                error_pct,
            },
            events: self.events,
            trace_dropped: self.trace_total - self.trace.len() as u64,
            trace_hash: format!("{:016x}", self.trace_hash()),
            limits_hit: self.limits_hit.clone(),
        }
    }

    /// CPU time booked for segments that have not happened yet (a segment is booked
    /// whole when it starts): (useful, switching) in µs after `now`.
    fn cpu_booked_ahead_us(&self) -> (u64, u64) {
        self.cpu_booked_until(self.end.0)
    }

    /// CPU time booked for segments that have not happened yet, from `now` to `until`:
    /// (useful, switching) in µs.
    pub(super) fn cpu_booked_until(&self, until: u64) -> (u64, u64) {
        let now = self.now.0;
        let until = until.min(self.end.0);
        let mut useful = 0;
        let mut switching = 0;
        for c in self.cores.iter().filter(|c| c.thread.is_some()) {
            let start = c.segment_useful_start_us.min(until);
            let stop = start.saturating_add(c.segment_run_us).min(until);
            switching += start.saturating_sub(now);
            useful += stop.saturating_sub(start.max(now));
        }
        (useful, switching)
    }

    /// CPU time used up to now (useful, switching), exactly.
    fn cpu_used_us(&self) -> (u64, u64) {
        let (useful_ahead, switching_ahead) = self.cpu_booked_ahead_us();
        (
            self.useful_us.saturating_sub(useful_ahead),
            self.switching_us.saturating_sub(switching_ahead),
        )
    }

    /// CPU time used so far (useful + switching), for the gate's utilisation measure.
    pub(super) fn busy_us(&self) -> u64 {
        let (useful, switching) = self.cpu_used_us();
        useful + switching
    }

    /// Counts a hill-climbing move of `threads` threads up (`raised`) or down.
    pub(crate) fn note_climb(&mut self, raised: bool, threads: u32) {
        if raised {
            self.injections.hill_climbing += threads;
            self.window.hill_climbing_raised += threads;
        } else {
            self.injections.hill_climbing_lowered += threads;
            self.window.hill_climbing_lowered += threads;
        }
    }

    pub(crate) fn note_queue_len(&mut self) {
        self.queue_max = self.queue_max.max(self.work.len() as u32);
    }
}
