//! The charts in a real browser (wasm-bindgen-test in headless Chromium): the time series
//! draw one point per engine sample, the pointer and the keyboard read out the sample's
//! numbers without setting off the page's shortcuts, and the sweep runs in slices, finds
//! async ahead of blocking, and stops when cancelled.

// These tests run in the browser, where `web_sys::window` is always there.
#![allow(clippy::disallowed_methods)]
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;
use std::time::Duration;

use await_lab::curriculum::presets::{self, PRESETS};
use await_lab::view::components::{ChartsPanel, ChartsPanelProps, SweepChart, SweepChartProps};
use sim::{Sample, Sim, SimTime};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// A fresh, visible root of a known width, so pointer positions map to known samples.
fn new_root() -> Element {
    let root = document().create_element("div").unwrap();
    root.set_attribute("style", "width: 720px").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    root
}

async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(10)).await;
}

fn find(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element matches {selector}"))
}

fn count(root: &Element, selector: &str) -> u32 {
    root.query_selector_all(selector).unwrap().length()
}

fn text(root: &Element, selector: &str) -> String {
    find(root, selector).text_content().unwrap_or_default()
}

fn attr(root: &Element, selector: &str, name: &str) -> String {
    find(root, selector).get_attribute(name).unwrap_or_default()
}

fn click(root: &Element, selector: &str) {
    find(root, selector)
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click();
}

/// Presses `key` on `target` the way a browser would (bubbling, cancelable). Returns
/// (whether the default action was prevented, whether the event reached the document).
fn press(target: &Element, key: &str) -> (bool, bool) {
    let f = js_sys::Function::new_with_args(
        "el, key",
        "let reached = false;
         const spy = () => { reached = true; };
         document.addEventListener('keydown', spy);
         const e = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true });
         el.dispatchEvent(e);
         document.removeEventListener('keydown', spy);
         return [e.defaultPrevented, reached];",
    );
    let out: js_sys::Array = f
        .call2(&JsValue::NULL, target, &JsValue::from_str(key))
        .unwrap()
        .dyn_into()
        .unwrap();
    (out.get(0).as_bool().unwrap(), out.get(1).as_bool().unwrap())
}

/// Moves a pointer over `target` at `fraction` of its width.
fn hover(target: &Element, fraction: f64) {
    let f = js_sys::Function::new_with_args(
        "el, fraction",
        "const r = el.getBoundingClientRect();
         el.dispatchEvent(new PointerEvent('pointermove', {
             clientX: r.left + fraction * r.width, clientY: r.top + r.height / 2, bubbles: true }));",
    );
    f.call2(&JsValue::NULL, target, &JsValue::from_f64(fraction))
        .unwrap();
}

/// The engine's samples for the blocking preset after `ms` of simulated time.
fn samples_after(ms: u64) -> (Vec<Sample>, u64) {
    let mut sim = Sim::new(presets::scenario(&PRESETS[0])).unwrap();
    sim.run_until(SimTime(ms * 1_000));
    (sim.samples().to_vec(), sim.end_time().0)
}

async fn mount_panel(samples: Vec<Sample>, time_us: u64, end_us: u64) -> Element {
    let root = new_root();
    let props = ChartsPanelProps {
        samples: Rc::new(samples),
        time_us,
        end_us,
        scenario: Rc::new(presets::scenario(&PRESETS[0])),
    };
    yew::Renderer::<ChartsPanel>::with_root_and_props(root.clone(), props).render();
    settle().await;
    root
}

fn path_points(d: &str) -> usize {
    d.chars().filter(|c| *c == 'M' || *c == 'L').count()
}

#[wasm_bindgen_test]
async fn every_chart_plots_one_point_per_sample() {
    let (samples, end_us) = samples_after(3_000);
    assert_eq!(samples.len(), 30);
    let root = mount_panel(samples.clone(), 3_000_000, end_us).await;
    assert_eq!(count(&root, "figure.chart"), 6);
    // Every chart has a "now" line at 3 s of the 20 s run: x = 46 + 3/20 × 304 = 91.6, drawn
    // in the SVG namespace like the lines (they render inside a component of their own).
    assert_eq!(count(&root, "svg line.now[x1='91.6']"), 6);
    let path = find(&root, ".chart[data-chart='threads'] path.line");
    assert_eq!(
        path.namespace_uri().as_deref(),
        Some("http://www.w3.org/2000/svg")
    );
    assert_eq!(count(&root, ".chart-plot[tabindex='0'][role='group']"), 6);
    for key in ["threads", "queue", "throughput", "cpu", "memory"] {
        let paths = root
            .query_selector_all(&format!(".chart[data-chart='{key}'] path.line"))
            .unwrap();
        assert!(paths.length() > 0, "{key} has lines");
        for i in 0..paths.length() {
            let path: Element = paths.get(i).unwrap().dyn_into().unwrap();
            let d = path.get_attribute("d").unwrap();
            assert_eq!(path_points(&d), 30, "{key}: {d}");
        }
        assert_eq!(
            attr(
                &root,
                &format!(".chart[data-chart='{key}'] .chart-plot"),
                "data-samples"
            ),
            "30"
        );
    }
    // Latency has a point for every window that answered something, and a gap otherwise.
    let answered = samples.iter().filter(|s| s.completed > 0).count();
    let p99 = attr(
        &root,
        ".chart[data-chart='latency'] path[data-series='p99']",
        "d",
    );
    assert_eq!(path_points(&p99), answered);
    // Five thread lines, each with a dash pattern of its own.
    let dashes: Vec<String> = (0..5)
        .map(|i| {
            let legend = root
                .query_selector_all(".chart[data-chart='threads'] .legend .swatch line")
                .unwrap();
            let line: Element = legend.get(i).unwrap().dyn_into().unwrap();
            line.get_attribute("stroke-dasharray").unwrap_or_default()
        })
        .collect();
    let mut unique = dashes.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 5, "{dashes:?}");
    // The legend shows the newest sample's numbers.
    let legend = text(&root, ".chart[data-chart='threads'] .legend");
    assert!(
        legend.contains(&format!("total{}", samples[29].threads)),
        "{legend}"
    );
}

#[wasm_bindgen_test]
async fn keys_move_a_cursor_and_the_readout_gives_that_samples_numbers() {
    let (samples, end_us) = samples_after(3_000);
    let root = mount_panel(samples.clone(), 3_000_000, end_us).await;
    let plot = find(&root, ".chart[data-chart='threads'] .chart-plot");
    let readout = ".chart[data-chart='threads'] .chart-readout";
    assert_eq!(attr(&root, readout, "aria-live"), "polite");
    assert_eq!(
        attr(
            &root,
            ".chart[data-chart='threads'] .chart-plot",
            "aria-describedby"
        ),
        attr(&root, readout, "id")
    );
    plot.clone()
        .dyn_into::<HtmlElement>()
        .unwrap()
        .focus()
        .unwrap();

    let expect = |i: usize| {
        let s = &samples[i];
        format!(
            "Threads, at {:.1} s: total {}, running {}, blocked {}, ready {}, idle {}.",
            s.time_ms as f64 / 1_000.0,
            s.threads,
            s.threads_running,
            s.threads_blocked,
            s.threads_ready,
            s.threads_idle
        )
    };

    let (prevented, reached) = press(&plot, "End");
    settle().await;
    assert!(prevented, "End must not scroll the page");
    assert!(!reached, "End must not reach the page's shortcuts");
    assert_eq!(text(&root, readout), expect(29));
    assert_eq!(
        attr(
            &root,
            ".chart[data-chart='threads'] .chart-plot",
            "data-cursor"
        ),
        "29"
    );

    for _ in 0..3 {
        let (prevented, reached) = press(&plot, "ArrowLeft");
        assert!(prevented && !reached);
        settle().await;
    }
    assert_eq!(text(&root, readout), expect(26));
    // The cursor line and one dot per series mark the sample.
    assert_eq!(
        count(&root, ".chart[data-chart='threads'] .cursor circle.dot"),
        5
    );

    press(&plot, "Home");
    settle().await;
    assert_eq!(text(&root, readout), expect(0));
    press(&plot, "ArrowRight");
    settle().await;
    assert_eq!(text(&root, readout), expect(1));

    // Latency in a window: the readout has the engine's p50 and p99 in ms.
    let latency = find(&root, ".chart[data-chart='latency'] .chart-plot");
    press(&latency, "End");
    settle().await;
    let s = &samples[29];
    assert!(s.completed > 0);
    let read = text(&root, ".chart[data-chart='latency'] .chart-readout");
    assert_eq!(
        read,
        format!(
            "Latency of answered requests, at 3.0 s: p50 {} ms, p99 {} ms.",
            await_lab::view::chart_math::value_label(s.latency_ms_p50),
            await_lab::view::chart_math::value_label(s.latency_ms_p99)
        )
    );

    // Keys the chart does not use go on to the page.
    let (prevented, reached) = press(&plot, "r");
    assert!(!prevented && reached);
    // Escape puts the cursor away.
    press(&plot, "Escape");
    settle().await;
    assert_eq!(
        attr(
            &root,
            ".chart[data-chart='threads'] .chart-plot",
            "data-cursor"
        ),
        ""
    );
    assert_eq!(count(&root, ".chart[data-chart='threads'] .cursor"), 0);
}

#[wasm_bindgen_test]
async fn the_pointer_reads_the_sample_under_it() {
    let (samples, end_us) = samples_after(3_000);
    assert_eq!(end_us, 20_000_000);
    let root = mount_panel(samples.clone(), 3_000_000, end_us).await;
    let plot = find(&root, ".chart[data-chart='queue'] .chart-plot");
    // The plot area spans viewBox x 46..350 of 360 for 0..20 s: 1.5 s is at x = 68.8.
    hover(&plot, 68.8 / 360.0);
    settle().await;
    assert_eq!(
        attr(
            &root,
            ".chart[data-chart='queue'] .chart-plot",
            "data-cursor"
        ),
        "14"
    );
    assert_eq!(samples[14].time_ms, 1_500);
    assert_eq!(
        text(&root, ".chart[data-chart='queue'] .chart-readout"),
        format!(
            "Pool queue (work items waiting), at 1.5 s: queued {}.",
            samples[14].queue_len
        )
    );
    // Past the newest sample, the cursor stays on it.
    hover(&plot, 0.9);
    settle().await;
    assert_eq!(
        attr(
            &root,
            ".chart[data-chart='queue'] .chart-plot",
            "data-cursor"
        ),
        "29"
    );
    // Leaving the chart takes the cursor away.
    let leave = js_sys::Function::new_with_args(
        "el",
        "el.dispatchEvent(new PointerEvent('pointerleave', { bubbles: false }));",
    );
    leave.call1(&JsValue::NULL, &plot).unwrap();
    settle().await;
    assert_eq!(
        attr(
            &root,
            ".chart[data-chart='queue'] .chart-plot",
            "data-cursor"
        ),
        ""
    );
}

#[wasm_bindgen_test]
async fn arrow_keys_in_a_chart_leave_the_simulation_where_it_is() {
    let root = new_root();
    yew::Renderer::<await_lab::App>::with_root(root.clone()).render();
    settle().await;
    // Jump to 2 s so there are samples to read.
    let scrub: HtmlInputElement = find(&root, "#scrub").dyn_into().unwrap();
    scrub.set_value("2000");
    let event = web_sys::Event::new_with_event_init_dict("input", &{
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        init
    })
    .unwrap();
    scrub.dispatch_event(&event).unwrap();
    let events = || attr(&root, "#stage", "data-events");
    // A busy machine may draw the moved run a little later than one settle.
    for _ in 0..200 {
        settle().await;
        if events() != "0" {
            break;
        }
    }
    let before = events();
    assert_ne!(before, "0");
    let plot = find(&root, ".chart[data-chart='threads'] .chart-plot");
    assert_eq!(
        attr(
            &root,
            ".chart[data-chart='threads'] .chart-plot",
            "data-samples"
        ),
        "20"
    );
    for key in ["ArrowRight", "ArrowLeft", "ArrowRight", "End", "Home"] {
        press(&plot, key);
        settle().await;
    }
    assert_eq!(
        events(),
        before,
        "the chart's keys did not step the simulation"
    );
    assert_eq!(
        attr(
            &root,
            ".chart[data-chart='threads'] .chart-plot",
            "data-cursor"
        ),
        "0"
    );
    // The same key on the page itself does step it: the shortcut works, the chart kept it.
    let body: Element = document().body().unwrap().into();
    press(&body, "ArrowRight");
    settle().await;
    assert_ne!(events(), before);
}

fn sweep_fraction(root: &Element) -> f64 {
    attr(root, "#sweep-progress", "data-fraction")
        .parse()
        .unwrap()
}

fn sweep_events(root: &Element) -> u64 {
    attr(root, ".sweep-count", "data-events").parse().unwrap()
}

async fn mount_sweep(slice_events_max: u64) -> Element {
    let root = new_root();
    let props = SweepChartProps {
        scenario: Rc::new(presets::scenario(&PRESETS[0])),
        slice_events_max,
    };
    yew::Renderer::<SweepChart>::with_root_and_props(root.clone(), props).render();
    settle().await;
    root
}

#[wasm_bindgen_test]
async fn the_sweep_runs_in_slices_and_async_outruns_blocking_under_load() {
    let root = mount_sweep(await_lab::state::sweep::SLICE_EVENTS_MAX).await;
    assert_eq!(attr(&root, ".sweep", "data-status"), "idle");
    assert_eq!(text(&root, ".sweep-count"), "0 of 36 points");
    click(&root, ".sweep-run");
    let mut seen = Vec::new();
    for _ in 0..3_000 {
        settle().await;
        seen.push(sweep_fraction(&root));
        if attr(&root, ".sweep", "data-status") == "done" {
            break;
        }
    }
    assert_eq!(attr(&root, ".sweep", "data-status"), "done", "{seen:?}");
    // The page got control back between slices: the test's own timer ran while the
    // sweep was part-way, more than once, and progress only went up.
    let partway = seen.iter().filter(|f| **f > 0.0 && **f < 1.0).count();
    assert!(partway >= 2, "{seen:?}");
    assert!(seen.windows(2).all(|w| w[1] >= w[0]), "{seen:?}");
    assert_eq!(sweep_fraction(&root), 1.0);
    assert_eq!(text(&root, ".sweep-count"), "36 of 36 points");
    assert_eq!(count(&root, ".sweep-numbers tbody tr"), 36);

    let rps = |style: &str, users: u32| -> f64 {
        attr(
            &root,
            &format!(".sweep-numbers tr[data-style='{style}'][data-users='{users}']"),
            "data-rps",
        )
        .parse()
        .unwrap()
    };
    assert!(
        rps("async", 500) > 5.0 * rps("blocking", 500),
        "async {} blocking {}",
        rps("async", 500),
        rps("blocking", 500)
    );
    assert!(rps("async", 500) >= rps("async", 10));
    // The numbers in the page are the engine's: the same point run natively agrees.
    let config =
        await_lab::state::sweep::SweepConfig::for_scenario(&presets::scenario(&PRESETS[0]));
    let direct = Sim::new(await_lab::state::sweep::Sweep::point_scenario(
        &presets::scenario(&PRESETS[0]),
        &config,
        sim::Style::Async,
        500,
    ))
    .unwrap()
    .run_to_end();
    assert!((rps("async", 500) - direct.throughput_rps).abs() < 0.001);

    // Both plots have one line per style with a direct label, told apart by dashes.
    for metric in ["throughput", "p99"] {
        assert_eq!(
            count(
                &root,
                &format!(".sweep-plot[data-metric='{metric}'] .sweep-line")
            ),
            4
        );
    }
    let async_line = attr(
        &root,
        ".sweep-plot[data-metric='throughput'] .sweep-line[data-style='async'] path",
        "d",
    );
    assert_eq!(path_points(&async_line), 9);
    assert_eq!(
        count(&root, ".sweep-plot[data-metric='throughput'] .direct-label"),
        4
    );
    assert!(text(&root, ".sweep-status").starts_with("Done: 36 points"));
}

#[wasm_bindgen_test]
async fn cancel_stops_the_sweep_where_it_is() {
    // Small slices make the sweep take long enough to cancel part-way.
    let root = mount_sweep(200).await;
    click(&root, ".sweep-run");
    for _ in 0..1_000 {
        settle().await;
        if sweep_fraction(&root) > 0.2 {
            break;
        }
    }
    assert_eq!(attr(&root, ".sweep", "data-status"), "running");
    assert!(!find(&root, ".sweep-cancel").has_attribute("disabled"));
    click(&root, ".sweep-cancel");
    settle().await;
    let fraction = sweep_fraction(&root);
    let events = sweep_events(&root);
    assert!(fraction > 0.2 && fraction < 1.0, "{fraction}");
    assert_eq!(attr(&root, ".sweep", "data-status"), "cancelled");
    assert!(text(&root, ".sweep-status").starts_with("Cancelled after"));
    // Nothing moves after a cancel.
    yew::platform::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(sweep_fraction(&root), fraction);
    assert_eq!(sweep_events(&root), events);
    assert!(find(&root, ".sweep-cancel").has_attribute("disabled"));
    // Focus went back to Run, not to the page's start.
    let active = document().active_element().unwrap();
    assert_eq!(active.get_attribute("class").as_deref(), Some("sweep-run"));
    // Running again starts from zero.
    click(&root, ".sweep-run");
    settle().await;
    assert_eq!(attr(&root, ".sweep", "data-status"), "running");
    assert!(
        sweep_events(&root) < events,
        "{} {events}",
        sweep_events(&root)
    );
    assert!(sweep_fraction(&root) < 0.2);
    click(&root, ".sweep-cancel");
    settle().await;
}

#[wasm_bindgen_test]
async fn a_new_scenario_stops_the_sweep_and_clears_its_results() {
    let root = new_root();
    let props = |preset: usize| SweepChartProps {
        scenario: Rc::new(presets::scenario(&PRESETS[preset])),
        slice_events_max: 200,
    };
    let mut app = yew::Renderer::<SweepChart>::with_root_and_props(root.clone(), props(0)).render();
    settle().await;
    click(&root, ".sweep-run");
    for _ in 0..1_000 {
        settle().await;
        if sweep_events(&root) > 2_000 {
            break;
        }
    }
    assert_eq!(attr(&root, ".sweep", "data-status"), "running");
    // The reader picks another preset: the sweep's numbers described the old one.
    app.update(props(1));
    // On a loaded machine the update may land a few ticks later; it must land.
    for _ in 0..100 {
        settle().await;
        if attr(&root, ".sweep", "data-status") == "idle" {
            break;
        }
    }
    assert_eq!(attr(&root, ".sweep", "data-status"), "idle");
    assert_eq!(sweep_events(&root), 0);
    assert_eq!(count(&root, ".sweep-numbers tbody tr"), 0);
    yew::platform::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(sweep_events(&root), 0, "the old sweep stopped");
    // Removing the component stops a running sweep too (no panic, no stray updates).
    click(&root, ".sweep-run");
    settle().await;
    app.destroy();
    yew::platform::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(root.child_element_count(), 0);
}
