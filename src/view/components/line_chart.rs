//! One small time-series chart: hand-written SVG lines over a shared time axis, a legend
//! where each series has its own dash pattern as well as its colour, a line at the current
//! time, and a cursor that the pointer or the arrow keys move over the samples, read out
//! as text.

use std::rc::Rc;

use sim::decimal::fixed;
use yew::prelude::*;

use crate::view::chart_math::{self, Linear};

/// The viewBox: drawn at any width, the text scales with it.
pub const VIEW_W: f64 = 360.0;
pub const VIEW_H: f64 = 170.0;
/// [`VIEW_W`] and [`VIEW_H`] as the attribute (a literal: formatting floats costs bundle size).
const VIEW_BOX: &str = "0 0 360 170";
const PLOT_LEFT: f64 = 46.0;
const PLOT_RIGHT: f64 = VIEW_W - 10.0;
const PLOT_TOP: f64 = 10.0;
const PLOT_BOTTOM: f64 = VIEW_H - 24.0;
const FRAME: Frame = Frame {
    left: PLOT_LEFT,
    right: PLOT_RIGHT,
    top: PLOT_TOP,
    bottom: PLOT_BOTTOM,
};

/// The plot area of a chart, in viewBox units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Frame {
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
}

/// A coordinate for an SVG attribute, to a tenth of a viewBox unit. One function for every
/// coordinate keeps the bundle small (each `format!` site costs code).
pub(crate) fn n1(v: f64) -> AttrValue {
    AttrValue::from(fixed(v, 1))
}

/// Gridlines at the y ticks with their labels on the left, tick labels under the x axis
/// (with tick marks when asked), the x axis line, and an optional x-axis title.
pub(crate) fn axes(
    frame: &Frame,
    y_ticks: &[(f64, String)],
    x_ticks: &[(f64, String)],
    x_title: Option<(&'static str, f64)>,
) -> Html {
    let (left, right) = (n1(frame.left), n1(frame.right));
    let bottom = n1(frame.bottom);
    html! {
        <g class="grid">
            { for y_ticks.iter().map(|(y, label)| html! {
                <>
                    <line x1={left.clone()} x2={right.clone()} y1={n1(*y)} y2={n1(*y)} />
                    <text class="tick y" x={n1(frame.left - 4.0)} y={n1(y + 3.5)}>{ label }</text>
                </>
            }) }
            { for x_ticks.iter().map(|(x, label)| html! {
                <>
                    <line class="xtick" x1={n1(*x)} x2={n1(*x)} y1={bottom.clone()} y2={n1(frame.bottom + 4.0)} />
                    <text class="tick x" x={n1(*x)} y={n1(frame.bottom + 16.0)}>{ label }</text>
                </>
            }) }
            <line class="axis" x1={left} x2={right} y1={bottom.clone()} y2={bottom} />
            if let Some((title, y)) = x_title {
                <text class="axis-title" x={n1((frame.left + frame.right) / 2.0)} y={n1(y)}>{ title }</text>
            }
        </g>
    }
}

/// A vertical line across the plot at `x`.
fn vertical(class: &'static str, x: f64) -> Html {
    html! {
        <line class={class} x1={n1(x)} x2={n1(x)} y1={n1(PLOT_TOP)} y2={n1(PLOT_BOTTOM)} />
    }
}

/// A point marker.
pub(crate) fn dot(class: &'static str, x: f64, y: f64) -> Html {
    html! { <circle class={classes!("dot", class)} r="2.5" cx={n1(x)} cy={n1(y)} /> }
}

/// Most points one line holds; longer series are decimated (keeping peaks).
pub const POINTS_MAX: usize = 720;

/// How many samples PageUp and PageDown move the cursor.
const PAGE_SAMPLES: usize = 10;

/// One line of a chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// Its name in the legend and the readout.
    pub label: &'static str,
    /// CSS class that gives its colour (`static/app.css`, the charts section).
    pub css: &'static str,
    /// SVG `stroke-dasharray`; empty for a solid line.
    pub dash: &'static str,
    /// One value per sample; NaN where there is nothing to show (a gap in the line).
    pub values: Vec<f64>,
}

/// What one chart shows: its series over the shared sample times.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartModel {
    /// Unique among the charts on the page; used in element ids.
    pub key: &'static str,
    pub title: &'static str,
    /// Short unit after numbers: "ms", "%", "MB", "/s", or "" for counts.
    pub unit: &'static str,
    /// The top of the y axis is at least this.
    pub y_floor: f64,
    /// A fixed top of the y axis (100 for percentages).
    pub y_fixed: Option<f64>,
    pub series: Vec<Series>,
}

/// Everything to draw that depends only on the data, computed once per new sample.
#[derive(Clone, Debug, PartialEq)]
pub struct Geometry {
    pub y_max: f64,
    /// (y position, label) of each horizontal gridline.
    pub y_ticks: Vec<(f64, String)>,
    /// (x position, label) of each time tick.
    pub x_ticks: Vec<(f64, String)>,
    /// One SVG path per series (shared strings: a re-render clones no path text).
    pub paths: Vec<AttrValue>,
}

fn x_scale(x_max_s: f64) -> Linear {
    Linear::new((0.0, x_max_s.max(1e-3)), (PLOT_LEFT, PLOT_RIGHT))
}

fn y_scale(y_max: f64) -> Linear {
    Linear::new((0.0, y_max), (PLOT_BOTTOM, PLOT_TOP))
}

fn with_unit(number: String, unit: &str) -> String {
    match unit {
        "" => number,
        "%" | "/s" => number + unit,
        _ => number + " " + unit,
    }
}

/// The chart's axes and lines for `times_s` (the samples' times) on a time axis from 0 to
/// `x_max_s`.
pub fn geometry(model: &ChartModel, times_s: &[f64], x_max_s: f64) -> Geometry {
    let data_max = model
        .series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .fold(0.0, f64::max);
    let y_max = model
        .y_fixed
        .unwrap_or_else(|| chart_math::nice_max(data_max, model.y_floor, 4));
    let (xs, ys) = (x_scale(x_max_s), y_scale(y_max));
    let (y_values, y_step) = chart_math::nice_ticks(0.0, y_max, 4);
    let y_ticks = y_values
        .into_iter()
        .map(|v| {
            (
                ys.map(v),
                with_unit(chart_math::tick_label(v, y_step), model.unit),
            )
        })
        .collect();
    let (x_values, x_step) = chart_math::nice_ticks(0.0, x_max_s, 5);
    let x_ticks = x_values
        .into_iter()
        .map(|v| (xs.map(v), chart_math::tick_label(v, x_step) + " s"))
        .collect();
    let paths = model
        .series
        .iter()
        .map(|s| {
            let n = s.values.len().min(times_s.len());
            let keep = chart_math::decimate_min_max(&s.values[..n], POINTS_MAX);
            AttrValue::from(chart_math::path_d(
                keep.into_iter()
                    .map(|i| Some((xs.map(times_s[i]), ys.map(s.values[i])))),
            ))
        })
        .collect();
    Geometry {
        y_max,
        y_ticks,
        x_ticks,
        paths,
    }
}

/// The text a reader gets for sample `idx`: its time and every series' value with its unit.
pub fn readout(model: &ChartModel, times_s: &[f64], idx: usize) -> String {
    let Some(t) = times_s.get(idx) else {
        return String::new();
    };
    let values: Vec<String> = model
        .series
        .iter()
        .map(|s| {
            let value = s.values.get(idx).copied().unwrap_or(f64::NAN);
            let text = if value.is_finite() {
                with_unit(chart_math::value_label(value), model.unit)
            } else {
                "none".to_owned()
            };
            format!("{} {}", s.label, text)
        })
        .collect();
    format!(
        "{}, at {} s: {}.",
        model.title,
        fixed(*t, 1),
        values.join(", ")
    )
}

/// The cursor after `key`, or `None` if the chart does not use that key. `Escape` gives
/// `Some(None)`: the key is used, and the cursor goes away.
pub fn key_move(key: &str, cursor: Option<usize>, len: usize) -> Option<Option<usize>> {
    let last = len.checked_sub(1);
    // The first press starts from the newest sample, where the reader's eye already is.
    let from = cursor.filter(|&i| i < len).or(last);
    let next = match key {
        "ArrowLeft" => from.map(|i| {
            if cursor.is_some() {
                i.saturating_sub(1)
            } else {
                i
            }
        }),
        "ArrowRight" => from.map(|i| {
            if cursor.is_some() {
                (i + 1).min(len - 1)
            } else {
                i
            }
        }),
        "PageUp" => from.map(|i| i.saturating_sub(PAGE_SAMPLES)),
        "PageDown" => from.map(|i| (i + PAGE_SAMPLES).min(len - 1)),
        "Home" => last.map(|_| 0),
        "End" => last,
        "Escape" => None,
        _ => return None,
    };
    Some(next)
}

#[derive(Properties)]
struct LinesProps {
    geometry: Rc<Geometry>,
    model: Rc<ChartModel>,
}

impl PartialEq for LinesProps {
    /// Identity, not contents: both come from memos, so a new value means new data, and
    /// comparing paths character by character every frame would cost more than it saves.
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.geometry, &other.geometry) && Rc::ptr_eq(&self.model, &other.model)
    }
}

/// The axes and series lines of a [`LineChart`]: a part of it rather than a component of
/// its own file, so that the chart can redraw its "now" line and cursor every frame while
/// this part renders only when the data changes.
#[component]
fn Lines(props: &LinesProps) -> Html {
    let g = &props.geometry;
    html! {
        <>
            { axes(&FRAME, &g.y_ticks, &g.x_ticks, None) }
            { for props.model.series.iter().zip(g.paths.iter()).map(|(s, d)| html! {
                <path class={classes!("line", s.css)} d={d.clone()}
                      stroke-dasharray={s.dash} data-series={s.label} />
            }) }
        </>
    }
}

#[derive(Properties, PartialEq)]
pub struct LineChartProps {
    pub model: Rc<ChartModel>,
    /// Each sample's time, in seconds, ascending; shared by every chart.
    pub times_s: Rc<Vec<f64>>,
    /// The end of the run: the time axis always spans the whole run.
    pub x_max_s: f64,
    /// The simulation's current time, drawn as a vertical line.
    pub now_s: f64,
}

/// A time-series chart with a legend, a "now" line and a hover/keyboard readout.
#[component]
pub fn LineChart(props: &LineChartProps) -> Html {
    let model = &props.model;
    let times = &props.times_s;
    let n = times.len();
    let geometry = use_memo(
        (
            props.model.clone(),
            props.times_s.clone(),
            props.x_max_s.to_bits(),
        ),
        |(model, times, x_max_bits)| geometry(model, times, f64::from_bits(*x_max_bits)),
    );
    // The cursor in a cell, redrawn on change: the same two hooks the sweep chart uses,
    // cheaper in the page's wasm than a state hook of its own type.
    let cursor = use_mut_ref(|| None::<usize>);
    let redraw = use_force_update();
    let plot_ref = use_node_ref();
    let current = (*cursor.borrow()).filter(|&i| i < n);
    let set_cursor = {
        let cursor = cursor.clone();
        move |next: Option<usize>| {
            *cursor.borrow_mut() = next;
            redraw.force_update();
        }
    };

    let onkeydown = {
        let cursor = cursor.clone();
        let set_cursor = set_cursor.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.ctrl_key() || e.alt_key() || e.meta_key() {
                return;
            }
            let now = *cursor.borrow();
            if let Some(next) = key_move(&e.key(), now, n) {
                // The page's own shortcuts use the arrows too: this chart keeps them.
                e.prevent_default();
                e.stop_propagation();
                set_cursor(next);
            }
        })
    };
    let onpointermove = {
        let cursor = cursor.clone();
        let set_cursor = set_cursor.clone();
        let plot_ref = plot_ref.clone();
        let times = props.times_s.clone();
        let x_max_s = props.x_max_s;
        Callback::from(move |e: PointerEvent| {
            let Some(plot) = plot_ref.cast::<web_sys::Element>() else {
                return;
            };
            let width = f64::from(plot.client_width());
            if width <= 0.0 {
                return;
            }
            // The SVG ignores the pointer (pointer-events="none"), so the offset is within
            // this box, whose width is the viewBox's width.
            let view_x = f64::from(e.offset_x()) / width * VIEW_W;
            let t = x_scale(x_max_s).invert(view_x);
            let next = chart_math::nearest_index(&times, t);
            if next != *cursor.borrow() {
                set_cursor(next);
            }
        })
    };
    let onpointerleave = Callback::from(move |_: PointerEvent| set_cursor(None));

    let xs = x_scale(props.x_max_s);
    let ys = y_scale(geometry.y_max);
    let title_id = format!("chart-{}-title", model.key);
    let readout_id = format!("chart-{}-readout", model.key);
    let now_x = xs.map(chart_math::clamp(props.now_s, 0.0, props.x_max_s.max(0.0)));
    let readout_text = match current {
        Some(i) => readout(model, times, i),
        None if n == 0 => "No samples yet: the first comes after one sample window.".to_owned(),
        None => {
            "Point at the chart, or focus it and press ← →, Home or End, to read values.".to_owned()
        }
    };
    let latest = |s: &Series| {
        s.values
            .iter()
            .rev()
            .find(|v| v.is_finite())
            .map(|v| with_unit(chart_math::value_label(*v), model.unit))
            .unwrap_or_else(|| "–".to_owned())
    };

    // A picture of the chart as drawn, for slides: the plot's SVG with its colours and
    // fonts written into it, so it looks the same outside the page.
    let on_save = {
        let plot_ref = plot_ref.clone();
        let key = model.key;
        Callback::from(move |_: MouseEvent| {
            #[cfg(target_arch = "wasm32")]
            if let Some(svg) = plot_ref
                .cast::<web_sys::Element>()
                .and_then(|plot| plot.query_selector("svg").ok().flatten())
                .and_then(|svg| crate::links::download::svg_picture(&svg))
            {
                let _ = crate::links::download::save_text(
                    &format!("await-lab-{key}.svg"),
                    "image/svg+xml",
                    &svg,
                );
            }
            #[cfg(not(target_arch = "wasm32"))]
            let _ = (&plot_ref, key);
        })
    };

    html! {
        <figure class="chart" data-chart={model.key}>
            <figcaption id={title_id.clone()} class="chart-title">{ model.title }</figcaption>
            <button type="button" class="chart-save" onclick={on_save}>
                { "Save as SVG" }<span class="visually-hidden">{ format!(": {}", model.title) }</span>
            </button>
            <ul class="legend" aria-label={format!("{}: lines and latest values", model.title)}>
                { for model.series.iter().map(|s| html! {
                    <li class="legend-item">
                        <svg class="swatch" viewBox="0 0 30 10" width="30" height="10" aria-hidden="true">
                            <line x1="1" y1="5" x2="29" y2="5" class={classes!("line", s.css)}
                                  stroke-dasharray={s.dash} />
                        </svg>
                        <span class="legend-label">{ s.label }</span>
                        <span class="legend-value">{ latest(s) }</span>
                    </li>
                }) }
            </ul>
            <div class="chart-plot" ref={plot_ref} tabindex="0" role="group"
                 aria-labelledby={title_id} aria-describedby={readout_id.clone()}
                 aria-keyshortcuts="ArrowLeft ArrowRight Home End PageUp PageDown Escape"
                 data-samples={n.to_string()}
                 data-cursor={current.map(|i| i.to_string()).unwrap_or_default()}
                 {onkeydown} {onpointermove} {onpointerleave}>
                <svg viewBox={VIEW_BOX} aria-hidden="true" focusable="false" pointer-events="none">
                    // Axes and lines change only when a sample arrives; the component skips
                    // re-rendering them on the frames in between.
                    <Lines geometry={geometry.clone()} model={props.model.clone()} />
                    { vertical("now", now_x) }
                    if let Some(i) = current {
                        <g class="cursor">
                            { vertical("", xs.map(times[i])) }
                            { for model.series.iter().filter(|s| s.values.get(i).is_some_and(|v| v.is_finite())).map(|s| {
                                dot(s.css, xs.map(times[i]), ys.map(s.values[i]))
                            }) }
                        </g>
                    }
                </svg>
            </div>
            <p id={readout_id} class="chart-readout" aria-live="polite">{ readout_text }</p>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(values: Vec<f64>) -> ChartModel {
        ChartModel {
            key: "t",
            title: "Latency",
            unit: "ms",
            y_floor: 1.0,
            y_fixed: None,
            series: vec![
                Series {
                    label: "p50",
                    css: "s-p50",
                    dash: "",
                    values: values.clone(),
                },
                Series {
                    label: "p99",
                    css: "s-p99",
                    dash: "6 3",
                    values: values.iter().map(|v| v * 2.0).collect(),
                },
            ],
        }
    }

    #[test]
    fn one_point_per_sample_on_a_nice_axis() {
        let times: Vec<f64> = (1..=50).map(|i| f64::from(i) * 0.1).collect();
        let m = model((1..=50).map(f64::from).collect());
        let g = geometry(&m, &times, 20.0);
        // p99 peaks at 100: the axis tops out exactly there.
        assert_eq!(g.y_max, 100.0);
        assert_eq!(g.paths.len(), 2);
        assert!(g.paths.iter().all(|d| chart_math::path_points(d) == 50));
        let labels: Vec<&str> = g.y_ticks.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["0 ms", "25 ms", "50 ms", "75 ms", "100 ms"]);
        let x_labels: Vec<&str> = g.x_ticks.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(x_labels, ["0 s", "5 s", "10 s", "15 s", "20 s"]);
        // The first point sits at t = 0.1 s of 20 s, the y of value 1 of 100.
        assert!(g.paths[0].starts_with("M47.5 144.6 L"), "{}", g.paths[0]);
    }

    #[test]
    fn gaps_break_lines_and_long_series_are_decimated() {
        let times = vec![0.1, 0.2, 0.3];
        let m = model(vec![1.0, f64::NAN, 3.0]);
        let g = geometry(&m, &times, 1.0);
        assert_eq!(g.paths[0].matches('M').count(), 2);
        let long_times: Vec<f64> = (0..10_000).map(|i| f64::from(i) * 0.01).collect();
        let long = model((0..10_000).map(|i| f64::from(i % 97)).collect());
        let g = geometry(&long, &long_times, 100.0);
        assert!(chart_math::path_points(&g.paths[0]) <= POINTS_MAX);
    }

    #[test]
    fn readout_names_the_time_and_every_value_with_its_unit() {
        let times = vec![0.1, 0.2];
        let m = model(vec![12.5, f64::NAN]);
        assert_eq!(
            readout(&m, &times, 0),
            "Latency, at 0.1 s: p50 12.5 ms, p99 25 ms."
        );
        assert_eq!(
            readout(&m, &times, 1),
            "Latency, at 0.2 s: p50 none, p99 none."
        );
        assert_eq!(readout(&m, &times, 2), "");
    }

    #[test]
    fn the_view_box_literal_matches_its_numbers() {
        assert_eq!(VIEW_BOX, format!("0 0 {VIEW_W} {VIEW_H}"));
    }

    #[test]
    fn keys_move_the_cursor_within_the_samples() {
        // The first arrow press lands on the newest sample.
        assert_eq!(key_move("ArrowLeft", None, 5), Some(Some(4)));
        assert_eq!(key_move("ArrowRight", None, 5), Some(Some(4)));
        assert_eq!(key_move("ArrowLeft", Some(4), 5), Some(Some(3)));
        assert_eq!(key_move("ArrowLeft", Some(0), 5), Some(Some(0)));
        assert_eq!(key_move("ArrowRight", Some(4), 5), Some(Some(4)));
        assert_eq!(key_move("Home", Some(3), 5), Some(Some(0)));
        assert_eq!(key_move("End", None, 5), Some(Some(4)));
        assert_eq!(key_move("PageUp", Some(3), 5), Some(Some(0)));
        assert_eq!(key_move("PageDown", Some(0), 50), Some(Some(10)));
        assert_eq!(key_move("Escape", Some(2), 5), Some(None));
        // A cursor left past the end (the run went back) restarts from the newest sample.
        assert_eq!(key_move("ArrowLeft", Some(9), 5), Some(Some(3)));
        // No samples: the keys are still the chart's, and there is nothing to point at.
        assert_eq!(key_move("ArrowRight", None, 0), Some(None));
        assert_eq!(key_move("Home", None, 0), Some(None));
        // Keys the chart does not use go to the page.
        assert_eq!(key_move(" ", Some(1), 5), None);
        assert_eq!(key_move("r", Some(1), 5), None);
    }
}
