//! The sweep chart: throughput and p99 latency against the number of concurrent users,
//! one line per style, computed in the browser in short slices (see [`crate::state::sweep`]) so
//! the page keeps answering, with a progress bar and a Cancel button.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use sim::decimal::fixed;
use sim::{Scenario, Style};
use yew::platform::{spawn_local, time::sleep};
use yew::prelude::*;

use super::line_chart::{axes, dot, n1, Frame};
use crate::state::sweep::{
    self, Progress, Sweep, SweepConfig, SweepPoint, P99_ANSWERS_MIN, SLICE_EVENTS_MAX,
    SLICE_EVENTS_MIN, SLICE_EVENTS_START, SLICE_MS_TARGET,
};
use crate::view::chart_math::{self, Linear, Log};

const VIEW_W: f64 = 380.0;
const VIEW_H: f64 = 220.0;
/// [`VIEW_W`] and [`VIEW_H`] as the attribute.
const VIEW_BOX: &str = "0 0 380 220";
const PLOT_LEFT: f64 = 50.0;
const PLOT_RIGHT: f64 = VIEW_W - 84.0;
const PLOT_TOP: f64 = 12.0;
const PLOT_BOTTOM: f64 = VIEW_H - 40.0;
const FRAME: Frame = Frame {
    left: PLOT_LEFT,
    right: PLOT_RIGHT,
    top: PLOT_TOP,
    bottom: PLOT_BOTTOM,
};
/// Least vertical distance between two direct labels, in viewBox units.
const LABEL_GAP: f64 = 13.0;

/// How a style's line looks: (short label, CSS class, dash pattern). Each style has its
/// own dash pattern and a label at the end of its line, not only its own colour.
pub fn style_look(style: Style) -> (&'static str, &'static str, &'static str) {
    match style {
        Style::Blocking => ("blocking", "st-blocking", ""),
        Style::Async => ("async", "st-async", "10 4"),
        Style::SyncOverAsync => (".Result", "st-result", "2 3"),
        Style::TaskRunWrap => ("Task.Run", "st-taskrun", "10 3 2 3"),
        Style::CpuBound => ("CPU-bound", "st-cpu", "5 5"),
    }
}

/// Which number a sweep plot shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    Throughput,
    P99,
}

impl Metric {
    fn value(self, p: &SweepPoint) -> Option<f64> {
        match self {
            Metric::Throughput => Some(p.throughput_rps),
            Metric::P99 => p.latency_ms_p99.filter(|v| *v > 0.0),
        }
    }
}

/// One style's line in a sweep plot.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepLine {
    pub style: Style,
    pub d: String,
    /// Marker positions, one per point with a value.
    pub points: Vec<(f64, f64)>,
    /// Where the direct label goes, if the line has any point.
    pub label_at: Option<(f64, f64)>,
}

/// A sweep plot's axes and lines.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepGeometry {
    pub x_ticks: Vec<(f64, String)>,
    pub y_ticks: Vec<(f64, String)>,
    pub lines: Vec<SweepLine>,
}

fn ms_label(v: f64) -> String {
    if v >= 1_000.0 {
        chart_math::tick_label(v / 1_000.0, if v >= 10_000.0 { 1.0 } else { 0.1 }) + " s"
    } else {
        chart_math::tick_label(v, 1.0) + " ms"
    }
}

/// Lays out one sweep plot: a log axis of `users`, the metric on a linear axis
/// (throughput) or a log axis (p99 latency, which spans decades), one line per style.
pub fn sweep_geometry(
    results: &[SweepPoint],
    styles: &[Style],
    users: &[u32],
    metric: Metric,
) -> SweepGeometry {
    let lo = users.iter().copied().min().unwrap_or(1).max(1);
    let hi = users.iter().copied().max().unwrap_or(1000).max(lo + 1);
    let xs = Log::new((f64::from(lo), f64::from(hi)), (PLOT_LEFT, PLOT_RIGHT));
    let x_ticks = users
        .iter()
        .map(|&u| (xs.map(f64::from(u)), u.to_string()))
        .collect();
    let values: Vec<f64> = results.iter().filter_map(|p| metric.value(p)).collect();
    let y_map: Box<dyn Fn(f64) -> f64>;
    let y_ticks: Vec<(f64, String)>;
    match metric {
        Metric::Throughput => {
            let max = values.iter().copied().fold(0.0, f64::max);
            let top = chart_math::nice_max(max, 10.0, 4);
            let ys = Linear::new((0.0, top), (PLOT_BOTTOM, PLOT_TOP));
            let (ticks, step) = chart_math::nice_ticks(0.0, top, 4);
            y_ticks = ticks
                .into_iter()
                .map(|v| (ys.map(v), chart_math::tick_label(v, step) + "/s"))
                .collect();
            y_map = Box::new(move |v| ys.map(v));
        }
        Metric::P99 => {
            let min = values.iter().copied().fold(f64::INFINITY, f64::min);
            let max = values.iter().copied().fold(0.0, f64::max);
            let (bottom, top) = if values.is_empty() {
                (100.0, 10_000.0)
            } else {
                chart_math::decade_bounds(min, max)
            };
            let ys = Log::new((bottom, top), (PLOT_BOTTOM, PLOT_TOP));
            let decades = (top / bottom).log10().round() as usize;
            let ticks: Vec<f64> = chart_math::log_ticks(bottom, top)
                .into_iter()
                // Over many decades, 2 and 5 would crowd: keep the powers of ten.
                .filter(|v| decades <= 2 || (v.log10().fract()).abs() < 1e-9)
                .collect();
            y_ticks = ticks
                .into_iter()
                .map(|v| (ys.map(v), ms_label(v)))
                .collect();
            y_map = Box::new(move |v| ys.map(v));
        }
    }
    let mut lines: Vec<SweepLine> = styles
        .iter()
        .map(|&style| {
            let line = sweep::line_of(results, style);
            let coords: Vec<Option<(f64, f64)>> = line
                .iter()
                .map(|p| {
                    metric
                        .value(p)
                        .map(|v| (xs.map(f64::from(p.users)), y_map(v)))
                })
                .collect();
            let points: Vec<(f64, f64)> = coords.iter().flatten().copied().collect();
            SweepLine {
                style,
                d: chart_math::path_d(coords),
                label_at: points.last().map(|&(x, y)| (x + 6.0, y)),
                points,
            }
        })
        .collect();
    // Direct labels must not sit on top of one another.
    let labelled: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].label_at.is_some())
        .collect();
    let ys: Vec<f64> = labelled
        .iter()
        .filter_map(|&i| lines[i].label_at.map(|(_, y)| y))
        .collect();
    let spread = chart_math::spread_labels(&ys, LABEL_GAP, PLOT_TOP + 4.0, PLOT_BOTTOM);
    for (k, &i) in labelled.iter().enumerate() {
        if let Some((x, _)) = lines[i].label_at {
            lines[i].label_at = Some((x, spread[k]));
        }
    }
    SweepGeometry {
        x_ticks,
        y_ticks,
        lines,
    }
}

/// Where a sweep is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Idle,
    Running,
    Cancelled,
    Done,
}

impl Status {
    /// The name in the `data-status` attribute.
    pub fn slug(self) -> &'static str {
        match self {
            Status::Idle => "idle",
            Status::Running => "running",
            Status::Cancelled => "cancelled",
            Status::Done => "done",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
struct View {
    status: Status,
    progress: Progress,
    results: Rc<Vec<SweepPoint>>,
    config: Rc<SweepConfig>,
    errors: Rc<Vec<String>>,
    /// Wall time from Run to the last slice, in ms.
    elapsed_ms: f64,
}

impl View {
    fn idle(scenario: &Scenario) -> View {
        let config = SweepConfig::for_scenario(scenario);
        View {
            status: Status::Idle,
            progress: Progress {
                points_total: config.users.len() * config.styles.len(),
                ..Progress::default()
            },
            results: Rc::new(Vec::new()),
            config: Rc::new(config),
            errors: Rc::new(Vec::new()),
            elapsed_ms: 0.0,
        }
    }
}

fn plot(metric: Metric, view: &View) -> Html {
    let g = sweep_geometry(
        &view.results,
        &view.config.styles,
        &view.config.users,
        metric,
    );
    let (key, label) = match metric {
        Metric::Throughput => ("throughput", "Throughput against users"),
        Metric::P99 => ("p99", "p99 latency against users (log scale)"),
    };
    let summary = g
        .lines
        .iter()
        .map(|l| {
            let (name, _, _) = style_look(l.style);
            format!("{name}: {} points", l.points.len())
        })
        .collect::<Vec<_>>()
        .join(", ");
    html! {
        <figure class="sweep-plot" data-metric={key}>
            <figcaption class="chart-title">{ label }</figcaption>
            <svg viewBox={VIEW_BOX} role="img"
                 aria-label={format!("{label}. {summary}. The numbers are in the table below.")}>
                { axes(&FRAME, &g.y_ticks, &g.x_ticks, Some(("concurrent users (log scale)", VIEW_H - 6.0))) }
                { for g.lines.iter().map(|l| {
                    let (name, css, dash) = style_look(l.style);
                    html! {
                        <g class={classes!("sweep-line", css)} data-style={l.style.name()}>
                            <path class="line" d={l.d.clone()} stroke-dasharray={dash} />
                            { for l.points.iter().map(|(x, y)| dot("", *x, *y)) }
                            if let Some((x, y)) = l.label_at {
                                <text class="direct-label" x={n1(x)} y={n1(y + 3.5)}>
                                    { name }
                                </text>
                            }
                        </g>
                    }
                }) }
            </svg>
        </figure>
    }
}

fn table(view: &View) -> Html {
    // Grouped by style, in the order the styles are listed; within a style the points come
    // in order of users, as they ran.
    let rows = view
        .config
        .styles
        .iter()
        .flat_map(|style| view.results.iter().filter(move |p| p.style == *style));
    html! {
        <details class="sweep-numbers">
            <summary>{ "The sweep's numbers" }</summary>
            // Focusable so that keyboard users can scroll it sideways on a narrow screen.
            <div class="table-scroll" tabindex="0" role="region" aria-label="The sweep's numbers (scrolls sideways)">
            <table>
                <caption>{ "One row per style and number of users" }</caption>
                <thead>
                    <tr>
                        <th scope="col">{ "Style" }</th>
                        <th scope="col">{ "Users" }</th>
                        <th scope="col">{ "Answers/s" }</th>
                        <th scope="col">{ "p99" }</th>
                        <th scope="col">{ "Answered" }</th>
                        <th scope="col">{ "Still waiting at the end" }</th>
                        <th scope="col">{ "Timed out" }</th>
                        <th scope="col">{ "Threads (most)" }</th>
                    </tr>
                </thead>
                <tbody>
                    { for rows.map(|p| {
                        let p99 = match p.latency_ms_p99 {
                            Some(v) => ms_label(v),
                            None => format!("fewer than {P99_ANSWERS_MIN} answers"),
                        };
                        html! {
                            <tr data-style={p.style.name()} data-users={p.users.to_string()}
                                data-rps={fixed(p.throughput_rps, 3)}
                                data-p99={p.latency_ms_p99.map(|v| fixed(v, 3)).unwrap_or_default()}>
                                <th scope="row">{ style_look(p.style).0 }</th>
                                <td>{ p.users }</td>
                                <td>{ chart_math::value_label(p.throughput_rps) }</td>
                                <td>{ p99 }</td>
                                <td>{ p.completed }</td>
                                <td>{ p.in_flight }</td>
                                <td>{ p.failed }</td>
                                <td>{ p.threads_max }{ if p.cut_short { " (cut short)" } else { "" } }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            </div>
        </details>
    }
}

#[derive(Properties, PartialEq)]
pub struct SweepChartProps {
    /// The running scenario; the sweep starts from it.
    pub scenario: Rc<Scenario>,
    /// Most engine events in one slice. Tests lower it to make a sweep slow enough to
    /// watch and cancel.
    #[prop_or(SLICE_EVENTS_MAX)]
    pub slice_events_max: u64,
}

/// Throughput and p99 latency against concurrency for each style, computed on demand.
#[component]
pub fn SweepChart(props: &SweepChartProps) -> Html {
    // The view, kept in a cell so that callbacks running between renders read the newest
    // one; a state hook holding a second copy would cost the page's wasm its own code.
    let latest = use_mut_ref(|| View::idle(&props.scenario));
    let redraw = use_force_update();
    // Bumped to stop the running sweep: a slice that finds it changed ends the task.
    let generation = use_mut_ref(|| 0u64);
    let run_ref = use_node_ref();

    {
        // A new scenario (or leaving the page) stops the sweep; its results described
        // the old scenario, so they go too.
        let redraw = redraw.clone();
        let latest = latest.clone();
        let generation = generation.clone();
        use_effect_with(props.scenario.clone(), move |scenario| {
            if latest.borrow().status != Status::Idle
                || latest.borrow().config.styles != SweepConfig::for_scenario(scenario).styles
            {
                let idle = View::idle(scenario);
                *latest.borrow_mut() = idle;
                redraw.force_update();
            }
            move || *generation.borrow_mut() += 1
        });
    }

    let publish = {
        let redraw = redraw.clone();
        let latest = latest.clone();
        move |next: View| {
            *latest.borrow_mut() = next;
            redraw.force_update();
        }
    };

    let on_run = {
        let generation = generation.clone();
        let scenario = props.scenario.clone();
        let slice_max = props.slice_events_max.max(1);
        let publish = publish.clone();
        Callback::from(move |_: MouseEvent| {
            let my_generation = {
                let mut g = generation.borrow_mut();
                *g += 1;
                *g
            };
            let config = SweepConfig::for_scenario(&scenario);
            let mut sweep = Sweep::new(&scenario, config.clone());
            let config = Rc::new(config);
            let started_ms = js_sys::Date::now();
            publish(View {
                status: Status::Running,
                ..View::idle(&scenario)
            });
            let generation = generation.clone();
            let publish = publish.clone();
            spawn_local(run_slices(
                generation,
                my_generation,
                move |budget| {
                    let progress = sweep.step(budget);
                    let status = if progress.finished {
                        Status::Done
                    } else {
                        Status::Running
                    };
                    publish(View {
                        status,
                        progress,
                        results: Rc::new(sweep.results().to_vec()),
                        config: config.clone(),
                        errors: Rc::new(
                            sweep
                                .errors()
                                .iter()
                                .map(|(s, u, m)| format!("{} with {u} users: {m}", s.name()))
                                .collect(),
                        ),
                        elapsed_ms: js_sys::Date::now() - started_ms,
                    });
                    progress.finished
                },
                slice_max,
            ));
        })
    };

    let on_cancel = {
        let generation = generation.clone();
        let latest = latest.clone();
        let publish = publish.clone();
        let run_ref = run_ref.clone();
        Callback::from(move |_: MouseEvent| {
            *generation.borrow_mut() += 1;
            let current = latest.borrow().clone();
            if current.status == Status::Running {
                publish(View {
                    status: Status::Cancelled,
                    ..current
                });
            }
            // The Cancel button is about to be disabled: keep keyboard focus nearby.
            if let Some(run) = run_ref.cast::<web_sys::HtmlElement>() {
                let _ = run.focus();
            }
        })
    };

    let view = latest.borrow();
    let v = &*view;
    let running = v.status == Status::Running;
    let p = v.progress;
    let duration_s = chart_math::value_label(
        props.scenario.duration_ms.min(v.config.duration_ms_max) as f64 / 1_000.0,
    );
    let think_ms = props.scenario.load.think_ms;
    let pace = if props.scenario.load.kind == sim::LoadKind::Closed && think_ms > 0.0 {
        format!(
            "each thinking {} ms between an answer and the next request",
            chart_math::value_label(think_ms)
        )
    } else {
        "sending requests back to back".to_owned()
    };
    let status_text = match v.status {
        Status::Idle => String::new(),
        Status::Running => "Running the sweep…".to_owned(),
        Status::Cancelled => format!(
            "Cancelled after {} of {} points.",
            p.points_done, p.points_total
        ),
        Status::Done => format!(
            "Done: {} points, {} engine events in {} s.",
            p.points_done,
            chart_math::value_label(p.events as f64),
            fixed(v.elapsed_ms / 1_000.0, 1)
        ),
    };
    html! {
        <section class="sweep" aria-labelledby="sweep-title" data-status={v.status.slug()}>
            <h2 id="sweep-title">{ "Sweep: more users, each style" }</h2>
            <p class="sweep-intro">
                { format!(
                    "Runs the scenario above with 1 to {} concurrent users {pace}, once per style: \
                     the same machine, pool, program, resources and seed, the first {duration_s} s of simulated time from a cold start. \
                     It runs here in short slices, so the page stays responsive.",
                    v.config.users.last().copied().unwrap_or(0)
                ) }
            </p>
            <div class="sweep-controls">
                <button type="button" ref={run_ref} class="sweep-run" onclick={on_run}>
                    { if v.status == Status::Idle { "Run sweep" } else { "Run again" } }
                </button>
                <button type="button" class="sweep-cancel" onclick={on_cancel} disabled={!running}>
                    { "Cancel" }
                </button>
                <label for="sweep-progress">{ "Progress" }</label>
                <progress id="sweep-progress" max="1000"
                          value={fixed(p.fraction * 1_000.0, 0)}
                          data-fraction={fixed(p.fraction, 4)}>
                    { fixed(p.fraction * 100.0, 0) + " %" }
                </progress>
                <span class="sweep-count" data-events={p.events.to_string()}>
                    { format!("{} of {} points", p.points_done, p.points_total) }
                </span>
            </div>
            <p class="sweep-status" role="status">{ status_text }</p>
            if !v.errors.is_empty() {
                <ul class="sweep-errors">
                    { for v.errors.iter().map(|e| html! { <li>{ e.clone() }</li> }) }
                </ul>
            }
            <div class="sweep-plots">
                { plot(Metric::Throughput, v) }
                { plot(Metric::P99, v) }
            </div>
            <p class="sweep-note">
                { format!(
                    "p99 counts answered requests only, so a point with fewer than {P99_ANSWERS_MIN} answers is left out of the latency plot; \
                     the table shows how many requests were still waiting when the run ended."
                ) }
            </p>
            { table(v) }
        </section>
    }
}

/// Calls `slice(budget)` until it returns true (the sweep is done) or `generation` moves
/// on from `mine` (cancelled, restarted, or the component went away), yielding to the
/// browser between slices and sizing each slice to about [`SLICE_MS_TARGET`].
async fn run_slices(
    generation: Rc<RefCell<u64>>,
    mine: u64,
    mut slice: impl FnMut(u64) -> bool,
    slice_max: u64,
) {
    let slice_min = SLICE_EVENTS_MIN.min(slice_max);
    let mut budget = SLICE_EVENTS_START.clamp(slice_min, slice_max);
    loop {
        if *generation.borrow() != mine {
            return;
        }
        let started = js_sys::Date::now();
        if slice(budget) {
            return;
        }
        let elapsed = js_sys::Date::now() - started;
        budget = sweep::next_budget(budget, elapsed, SLICE_MS_TARGET, slice_min, slice_max);
        // A zero timeout still lets the browser paint and handle input in between.
        sleep(Duration::ZERO).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(style: Style, users: u32, rps: f64, p99: Option<f64>) -> SweepPoint {
        SweepPoint {
            style,
            users,
            throughput_rps: rps,
            latency_ms_p99: p99,
            completed: 100,
            failed: 0,
            in_flight: 0,
            threads_max: 4,
            events: 1_000,
            cut_short: false,
        }
    }

    #[test]
    fn lines_follow_users_on_a_log_axis_and_skip_missing_p99() {
        let users = [1, 10, 100];
        let styles = [Style::Blocking, Style::Async];
        // In the order a sweep runs them: users first, then style.
        let results = vec![
            point(Style::Blocking, 1, 5.0, Some(200.0)),
            point(Style::Async, 1, 5.0, Some(200.0)),
            point(Style::Blocking, 10, 20.0, Some(900.0)),
            point(Style::Async, 10, 50.0, Some(210.0)),
            point(Style::Blocking, 100, 20.0, None),
            point(Style::Async, 100, 400.0, Some(300.0)),
        ];
        let g = sweep_geometry(&results, &styles, &users, Metric::Throughput);
        // Log x: 1, 10, 100 are equally far apart.
        let x: Vec<f64> = g.x_ticks.iter().map(|t| t.0).collect();
        assert!((x[1] - x[0] - (x[2] - x[1])).abs() < 1e-9);
        assert_eq!(g.lines.len(), 2);
        assert_eq!(g.lines[0].points.len(), 3);
        assert_eq!(chart_math::path_points(&g.lines[1].d), 3);
        // Points in order of users.
        assert!(g.lines[1].points.windows(2).all(|w| w[0].0 < w[1].0));
        // Async's 400/s is the highest point: at the top of a 0–400 axis.
        assert_eq!(g.lines[1].points[2].1, PLOT_TOP);
        let labels: Vec<&str> = g.y_ticks.iter().map(|t| t.1.as_str()).collect();
        assert_eq!(labels, ["0/s", "100/s", "200/s", "300/s", "400/s"]);

        let g = sweep_geometry(&results, &styles, &users, Metric::P99);
        assert_eq!(
            g.lines[0].points.len(),
            2,
            "blocking at 100 users has no p99"
        );
        let labels: Vec<&str> = g.y_ticks.iter().map(|t| t.1.as_str()).collect();
        assert_eq!(labels, ["100 ms", "200 ms", "500 ms", "1 s"]);
        // Direct labels never overlap.
        let ys: Vec<f64> = g
            .lines
            .iter()
            .filter_map(|l| l.label_at.map(|p| p.1))
            .collect();
        assert_eq!(ys.len(), 2);
        assert!((ys[0] - ys[1]).abs() >= LABEL_GAP - 1e-9);
    }

    #[test]
    fn the_view_box_literal_matches_its_numbers() {
        assert_eq!(VIEW_BOX, format!("0 0 {VIEW_W} {VIEW_H}"));
    }

    #[test]
    fn empty_results_still_draw_axes() {
        let g = sweep_geometry(&[], &[Style::Async], sweep::USERS_DEFAULT, Metric::P99);
        assert_eq!(g.x_ticks.len(), sweep::USERS_DEFAULT.len());
        assert!(!g.y_ticks.is_empty());
        assert_eq!(g.lines[0].d, "");
        assert_eq!(g.lines[0].label_at, None);
    }

    #[test]
    fn every_style_looks_different_without_colour() {
        let looks: Vec<_> = [
            Style::Blocking,
            Style::Async,
            Style::SyncOverAsync,
            Style::TaskRunWrap,
            Style::CpuBound,
        ]
        .map(style_look)
        .to_vec();
        for (i, a) in looks.iter().enumerate() {
            for b in &looks[i + 1..] {
                assert_ne!(a.0, b.0);
                assert_ne!(a.2, b.2, "dash patterns repeat");
            }
        }
        assert_eq!(ms_label(250.0), "250 ms");
        assert_eq!(ms_label(2_500.0), "2.5 s");
        assert_eq!(ms_label(10_000.0), "10 s");
    }
}
