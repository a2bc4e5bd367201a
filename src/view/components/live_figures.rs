use sim::decimal::fixed;
use sim::{Sample, Snapshot};
use yew::prelude::*;

use crate::curriculum::content::Measure;
use crate::view::format;

/// The numbers a chapter points at, read live from the run (and side B, if any). A plain
/// function rather than a component: its input changes with every frame, so a component
/// would re-render as often and only add a copy of Yew's component code to the bundle.
pub fn live_figures(
    measures: &'static [Measure],
    a: &Snapshot,
    a_samples: &[Sample],
    b: Option<&Snapshot>,
) -> Html {
    if measures.is_empty() {
        return html! {};
    }
    html! {
        <section class="figures" aria-labelledby="figures-title">
            <h3 id="figures-title">{ format!("The numbers at {} s", fixed(a.time_us as f64 / 1e6, 1)) }</h3>
            <dl>
                { for measures.iter().map(|m| {
                    let value = m.read(a, a_samples, b);
                    html! {
                        <div>
                            <dt>{ m.label() }</dt>
                            <dd>{ value.map(format::measured).unwrap_or_else(|| "—".to_string()) }</dd>
                        </div>
                    }
                }) }
            </dl>
        </section>
    }
}
