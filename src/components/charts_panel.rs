use std::rc::Rc;

use sim::{Sample, Scenario};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ChartsPanelProps {
    pub samples: Rc<Vec<Sample>>,
    pub time_us: u64,
    pub end_us: u64,
    /// The running scenario: the sweep chart varies its load and style.
    pub scenario: Rc<Scenario>,
}

/// Live time series of the engine's samples (being built; see issue 4).
#[component]
pub fn ChartsPanel(props: &ChartsPanelProps) -> Html {
    html! {
        <section class="charts" aria-labelledby="charts-title">
            <h2 id="charts-title">{ "Charts" }</h2>
            <p>{ format!("{} samples so far.", props.samples.len()) }</p>
        </section>
    }
}
