use sim::decimal::fixed;
use sim::{Sample, Snapshot};
use yew::prelude::*;

use std::rc::Rc;

use crate::curriculum::content::Measure;

/// One compared quantity: its name, its value on each side as text, and B ÷ A.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub name: &'static str,
    /// The name as a column head, short enough for the strip between the two pictures.
    pub short: &'static str,
    pub a: String,
    pub b: String,
    /// B divided by A; `None` when A is zero (no meaningful ratio yet).
    pub ratio: Option<f64>,
}

fn ratio(a: f64, b: f64) -> Option<f64> {
    (a > 0.0).then(|| b / a)
}

/// The live comparison of the two runs at the same moment. Every figure is read by
/// `Measure::read`, as the chapters' figures and answers are; this strip only sets them
/// side by side and divides.
pub fn rows(a: &Snapshot, a_samples: &[Sample], b: &Snapshot, b_samples: &[Sample]) -> Vec<Row> {
    let read = |m: Measure, s: &Snapshot, samples: &[Sample]| m.read(s, samples, None);
    let rps =
        |s: &Snapshot, samples: &[Sample]| read(Measure::AnsweredPerS, s, samples).unwrap_or(0.0);
    let threads = |s: &Snapshot| read(Measure::Threads, s, &[]).unwrap_or(0.0);
    let mem =
        |s: &Snapshot, samples: &[Sample]| read(Measure::CommittedMb, s, samples).unwrap_or(0.0);
    let p99_a = read(Measure::RecentLatencyP99Ms, a, a_samples);
    let p99_b = read(Measure::RecentLatencyP99Ms, b, b_samples);
    let ms = |v: Option<f64>| v.map_or_else(|| "none yet".to_owned(), |v| fixed(v, 0) + " ms");
    vec![
        Row {
            name: "Throughput (answered per second so far)",
            short: "Answered/s",
            a: fixed(rps(a, a_samples), 1) + "/s",
            b: fixed(rps(b, b_samples), 1) + "/s",
            ratio: ratio(rps(a, a_samples), rps(b, b_samples)),
        },
        Row {
            name: "p99 latency (last second)",
            short: "p99 latency",
            a: ms(p99_a),
            b: ms(p99_b),
            ratio: p99_a.zip(p99_b).and_then(|(a, b)| ratio(a, b)),
        },
        Row {
            name: "Threads",
            short: "Threads",
            a: fixed(threads(a), 0),
            b: fixed(threads(b), 0),
            ratio: ratio(threads(a), threads(b)),
        },
        Row {
            name: "Stack memory committed",
            short: "Stack committed",
            a: fixed(mem(a, a_samples), 1) + " MB",
            b: fixed(mem(b, b_samples), 1) + " MB",
            ratio: ratio(mem(a, a_samples), mem(b, b_samples)),
        },
    ]
}

pub struct AbPanelProps {
    pub a_name: AttrValue,
    pub b_name: AttrValue,
    pub a: Rc<Snapshot>,
    pub a_samples: Rc<Vec<Sample>>,
    pub b: Rc<Snapshot>,
    pub b_samples: Rc<Vec<Sample>>,
}

/// A/B: the two runs' throughput, latency, threads and memory, with B ÷ A.
/// A plain function: it has no state of its own, its input changes with the run, and a
/// component type would cost bundle bytes.
pub fn ab_panel(props: &AbPanelProps) -> Html {
    let table = rows(&props.a, &props.a_samples, &props.b, &props.b_samples);
    // One column per measure and one row per side: four short rows fit between the two
    // pictures, where a row per measure would push the lower picture off the screen.
    // On a phone the table is wider than the screen and scrolls sideways, so the region
    // takes the keyboard focus: a scrollable region must be reachable without a pointer.
    html! {
        <section class="ab-panel" aria-labelledby="ab-title" tabindex="0">
            <table>
                <caption id="ab-title">{ "A/B: same load, same seed, one clock" }</caption>
                <thead>
                    <tr>
                        <td></td>
                        { for table.iter().map(|r| html! {
                            <th scope="col"><abbr title={r.name}>{ r.short }</abbr></th>
                        }) }
                    </tr>
                </thead>
                <tbody>
                    <tr>
                        <th scope="row">{ format!("A: {}", props.a_name) }</th>
                        { for table.iter().map(|r| html! { <td>{ r.a.clone() }</td> }) }
                    </tr>
                    <tr>
                        <th scope="row">{ format!("B: {}", props.b_name) }</th>
                        { for table.iter().map(|r| html! { <td>{ r.b.clone() }</td> }) }
                    </tr>
                    <tr class="ab-ratio">
                        <th scope="row">{ "B ÷ A" }</th>
                        { for table.iter().map(|r| html! {
                            <td data-ratio={r.ratio.map(|v| fixed(v, 3)).unwrap_or_default()}>
                                { r.ratio.map_or_else(|| "–".to_owned(), |v| format!("×{}", fixed(v, 2))) }
                            </td>
                        }) }
                    </tr>
                </tbody>
            </table>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::curriculum::presets::{scenario, PRESETS};

    fn at(preset: usize, time_us: u64) -> (Snapshot, Vec<Sample>) {
        let mut run = sim::Sim::new(scenario(&PRESETS[preset])).unwrap();
        run.run_until(sim::SimTime(time_us));
        (run.snapshot(), run.samples().to_vec())
    }

    #[test]
    fn async_against_blocking_shows_the_gain_in_numbers() {
        let (a, a_s) = at(0, 5_000_000);
        let (b, b_s) = at(1, 5_000_000);
        let r = rows(&a, &a_s, &b, &b_s);
        let throughput = r[0].ratio.unwrap();
        assert!(throughput > 5.0, "async answers far more: ×{throughput}");
        // Hill climbing has grown the blocking pool a little by 5 s, so its tail has come
        // down from its worst; async is still faster at the 99th percentile.
        let latency = r[1].ratio.unwrap();
        assert!(latency < 0.9, "and faster at p99: ×{latency}");
        assert_eq!(r[2].a, a.threads_total.to_string());
    }

    #[test]
    fn the_strip_shows_what_the_shared_readers_read() {
        let (a, a_s) = at(0, 3_000_000);
        let (b, b_s) = at(1, 3_000_000);
        let r = rows(&a, &a_s, &b, &b_s);
        assert_eq!(a.time_us, b.time_us, "both sides share one clock");
        let per_s = crate::curriculum::measures::answered_per_s(&b).unwrap();
        assert_eq!(r[0].b, fixed(per_s, 1) + "/s");
        let p99 = crate::curriculum::measures::recent_p99_ms(&a_s).unwrap();
        assert_eq!(r[1].a, fixed(p99, 0) + " ms");
        let threads = Measure::Threads.read(&b, &b_s, None).unwrap();
        assert_eq!(r[2].b, fixed(threads, 0));
        let committed = Measure::CommittedMb.read(&a, &a_s, None).unwrap();
        assert_eq!(r[3].a, fixed(committed, 1) + " MB");
    }

    #[test]
    fn no_ratio_before_anything_happened() {
        let (a, a_s) = at(0, 0);
        let r = rows(&a, &a_s, &a, &a_s);
        assert_eq!(r[0].ratio, None);
        assert_eq!(r[1].a, "none yet");
    }
}
