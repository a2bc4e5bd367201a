use std::rc::Rc;

use sim::{Sample, Snapshot};
use yew::prelude::*;

use crate::components::lesson_panel::number;
use crate::content::Measure;

#[derive(Properties, PartialEq)]
pub struct LiveFiguresProps {
    pub measures: &'static [Measure],
    pub a: Rc<Snapshot>,
    pub a_samples: Rc<Vec<Sample>>,
    pub b: Option<Rc<Snapshot>>,
}

/// The numbers a chapter points at, read live from the run (and side B, if any).
#[component]
pub fn LiveFigures(props: &LiveFiguresProps) -> Html {
    if props.measures.is_empty() {
        return html! {};
    }
    html! {
        <section class="figures" aria-labelledby="figures-title">
            <h3 id="figures-title">{ format!("The numbers at {:.1} s", props.a.time_us as f64 / 1e6) }</h3>
            <dl>
                { for props.measures.iter().map(|m| {
                    let value = m.read(&props.a, props.a_samples.last(), props.b.as_deref());
                    html! {
                        <div data-measure={format!("{m:?}")}>
                            <dt>{ m.label() }</dt>
                            <dd>{ value.map(number).unwrap_or_else(|| "—".to_string()) }</dd>
                        </div>
                    }
                }) }
            </dl>
        </section>
    }
}
