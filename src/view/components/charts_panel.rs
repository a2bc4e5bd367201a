//! The charts region: small multiples of the engine's samples over time, and the sweep.

use std::rc::Rc;

use sim::{Sample, Scenario};
use yew::prelude::*;

use super::line_chart::{ChartModel, LineChart, Series};

#[derive(Properties, PartialEq)]
pub struct ChartsPanelProps {
    pub samples: Rc<Vec<Sample>>,
    pub time_us: u64,
    pub end_us: u64,
    /// The running scenario (its sample window names the charts' step).
    pub scenario: Rc<Scenario>,
}

fn series(
    samples: &[Sample],
    label: &'static str,
    css: &'static str,
    dash: &'static str,
    value: fn(&Sample) -> f64,
) -> Series {
    // A function pointer, not a generic closure: one copy of this loop for every series.
    Series {
        label,
        css,
        dash,
        values: samples.iter().map(value).collect(),
    }
}

/// A latency series: a window in which nothing was answered has no latency, a gap rather
/// than a zero.
fn latency(
    samples: &[Sample],
    label: &'static str,
    css: &'static str,
    dash: &'static str,
    p99: bool,
) -> Series {
    Series {
        label,
        css,
        dash,
        values: samples
            .iter()
            .map(|s| match (s.completed > 0, p99) {
                (false, _) => f64::NAN,
                (true, false) => s.latency_ms_p50,
                (true, true) => s.latency_ms_p99,
            })
            .collect(),
    }
}

/// The time-series charts for `samples`, in the order they are drawn. Every series in a
/// chart has its own dash pattern, so no line is told apart by colour alone.
pub fn chart_models(samples: &[Sample]) -> Vec<Rc<ChartModel>> {
    let models = vec![
        ChartModel {
            key: "threads",
            title: "Threads",
            unit: "",
            y_floor: 4.0,
            y_fixed: None,
            series: vec![
                series(samples, "total", "s-total", "", |s| f64::from(s.threads)),
                series(samples, "running", "s-running", "9 3", |s| {
                    f64::from(s.threads_running)
                }),
                series(samples, "blocked", "s-blocked", "2 3", |s| {
                    f64::from(s.threads_blocked)
                }),
                series(samples, "ready", "s-ready", "9 3 2 3", |s| {
                    f64::from(s.threads_ready)
                }),
                series(samples, "idle", "s-idle", "4 4", |s| {
                    f64::from(s.threads_idle)
                }),
            ],
        },
        ChartModel {
            key: "queue",
            title: "Pool queue (work items waiting)",
            unit: "",
            y_floor: 4.0,
            y_fixed: None,
            series: vec![series(samples, "queued", "s-queue", "", |s| {
                f64::from(s.queue_len)
            })],
        },
        ChartModel {
            key: "throughput",
            title: "Throughput (answers per second)",
            unit: "/s",
            y_floor: 10.0,
            y_fixed: None,
            series: vec![series(samples, "answered", "s-throughput", "", |s| {
                s.throughput_rps
            })],
        },
        ChartModel {
            key: "latency",
            title: "Latency of answered requests",
            unit: "ms",
            y_floor: 10.0,
            y_fixed: None,
            series: vec![
                latency(samples, "p50", "s-p50", "", false),
                latency(samples, "p99", "s-p99", "7 3", true),
            ],
        },
        ChartModel {
            key: "cpu",
            title: "CPU (share of all cores)",
            unit: "%",
            y_floor: 100.0,
            y_fixed: Some(100.0),
            series: vec![
                series(samples, "useful", "s-useful", "", |s| s.cpu_useful_pct),
                series(samples, "switching", "s-switching", "2 3", |s| {
                    s.cpu_switching_pct
                }),
            ],
        },
        ChartModel {
            key: "memory",
            title: "Thread stack memory",
            unit: "MB",
            y_floor: 1.0,
            y_fixed: None,
            series: vec![
                series(samples, "reserved", "s-reserved", "7 3", |s| {
                    s.memory_reserved_mb
                }),
                series(samples, "committed", "s-committed", "", |s| {
                    s.memory_committed_mb
                }),
            ],
        },
    ];
    models.into_iter().map(Rc::new).collect()
}

/// Live time series of the engine's samples (threads, queue, throughput, latency, CPU,
/// memory), each with a hover and keyboard readout. (The sweep has its own tab.)
#[component]
pub fn ChartsPanel(props: &ChartsPanelProps) -> Html {
    // Rebuilt only when a sample window closes (or the run goes back), not every frame.
    let data = use_memo(props.samples.clone(), |samples| {
        let times: Vec<f64> = samples.iter().map(|s| s.time_ms as f64 / 1_000.0).collect();
        (Rc::new(times), chart_models(samples))
    });
    let (times, models) = &*data;
    let x_max_s = props.end_us as f64 / 1_000_000.0;
    let now_s = props.time_us as f64 / 1_000_000.0;
    let window_ms = props.scenario.sample_window_ms;
    html! {
        <section class="charts" aria-labelledby="charts-title">
            <h2 id="charts-title">{ "Charts" }</h2>
            <p class="charts-intro">
                { format!(
                    "What the server reports every {window_ms} ms of simulated time, as dotnet-counters would. \
                     The vertical line is now; {} samples so far.",
                    props.samples.len()
                ) }
            </p>
            <div class="chart-grid">
                { for models.iter().map(|model| html! {
                    <LineChart key={model.key} model={model.clone()} times_s={times.clone()}
                               {x_max_s} {now_s} />
                }) }
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_chart_has_one_value_per_sample_and_distinct_dashes() {
        let mut sim = sim::Sim::new(crate::curriculum::presets::scenario(
            &crate::curriculum::presets::PRESETS[0],
        ))
        .unwrap();
        sim.run_until(sim::SimTime(2_000_000));
        let samples = sim.samples();
        assert_eq!(samples.len(), 20);
        let models = chart_models(samples);
        assert_eq!(models.len(), 6);
        let mut keys: Vec<&str> = models.iter().map(|m| m.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), 6, "keys are unique");
        for m in &models {
            let mut dashes: Vec<&str> = m.series.iter().map(|s| s.dash).collect();
            dashes.sort_unstable();
            dashes.dedup();
            assert_eq!(dashes.len(), m.series.len(), "{}: dashes repeat", m.key);
            for s in &m.series {
                assert_eq!(s.values.len(), samples.len(), "{} {}", m.key, s.label);
            }
        }
        // The thread lines are the engine's numbers, sample by sample.
        let threads = &models[0];
        for (i, s) in samples.iter().enumerate() {
            assert_eq!(threads.series[0].values[i], f64::from(s.threads));
            assert_eq!(threads.series[2].values[i], f64::from(s.threads_blocked));
            let parts = s.threads_idle + s.threads_ready + s.threads_running + s.threads_blocked;
            assert_eq!(parts, s.threads, "states add up to the total");
        }
    }
}
