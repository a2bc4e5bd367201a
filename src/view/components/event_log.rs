use std::rc::Rc;

use sim::{Style, TraceEvent};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::view::format;
use crate::view::narrate::{is_notable, narrate, topic, Topic};

/// While playing, the live region speaks at most this often, so a screen reader is not
/// flooded with hundreds of events a second.
pub const ANNOUNCE_EVERY_MS: f64 = 2_500.0;

#[derive(Properties, PartialEq)]
pub struct EventLogProps {
    /// The newest trace events, oldest first.
    pub events: Rc<Vec<TraceEvent>>,
    pub style: Style,
    pub playing: bool,
}

/// Whether `ev` passes the filters: `hidden` has bit `i` set when topic `i` of
/// [`Topic::ALL`] is hidden. A bit set rather than a set type: the filters are a handful of
/// checkboxes, and a set type's code would cost the page's wasm more than the whole log.
const _: () = assert!(Topic::ALL.len() <= 32, "one bit per topic");

fn shown(hidden: u32, ev: &TraceEvent) -> bool {
    let idx = Topic::ALL
        .iter()
        .position(|t| *t == topic(ev.kind))
        .unwrap_or(0);
    hidden & (1 << idx) == 0
}

/// The event log: the newest events in plain words, newest first, filterable by topic, with
/// a polite live region that announces at a humane rate.
#[component]
pub fn EventLog(props: &EventLogProps) -> Html {
    // Both in cells, redrawn on change: the hooks the charts use too, cheaper in the
    // page's wasm than state hooks of their own types.
    let hidden_cell = use_mut_ref(|| 0u32);
    let hidden = *hidden_cell.borrow();
    let redraw = use_force_update();
    let announcement = use_mut_ref(String::new);
    let last_spoken_ms = use_mut_ref(|| f64::NEG_INFINITY);

    {
        // Speak when the events change: every step while paused (the reader is stepping
        // on purpose), and only now and then, and only notable events, while playing.
        let announcement = announcement.clone();
        let redraw = redraw.clone();
        let style = props.style;
        let playing = props.playing;
        use_effect_with(props.events.clone(), move |events| {
            let now = js_sys::Date::now();
            let due = !playing || now - *last_spoken_ms.borrow() >= ANNOUNCE_EVERY_MS;
            let visible = |ev: &&TraceEvent| shown(hidden, ev);
            let pick = if playing {
                events
                    .iter()
                    .rev()
                    .filter(visible)
                    .find(|e| is_notable(e.kind))
            } else {
                events.iter().rev().find(visible)
            };
            if let (true, Some(ev)) = (due, pick) {
                *last_spoken_ms.borrow_mut() = now;
                *announcement.borrow_mut() =
                    format!("At {}: {}", format::seconds(ev.time_us), narrate(ev, style));
                redraw.force_update();
            }
        });
    }

    let toggle = |idx: usize| {
        let hidden = hidden_cell.clone();
        let redraw = redraw.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let bit = 1u32 << idx;
            let mut hidden = hidden.borrow_mut();
            *hidden = if input.checked() {
                *hidden & !bit
            } else {
                *hidden | bit
            };
            redraw.force_update();
        })
    };

    html! {
        <section class="event-log" aria-labelledby="log-title">
            <h2 id="log-title">{ "Event log" }</h2>
            <fieldset class="log-filters">
                <legend>{ "Show" }</legend>
                { for Topic::ALL.iter().enumerate().map(|(idx, t)| {
                    let id = format!("log-topic-{idx}");
                    html! {
                        <label for={id.clone()} class="log-filter">
                            <input id={id} type="checkbox" checked={hidden & (1 << idx) == 0}
                                   onchange={toggle(idx)} />
                            { t.label() }
                        </label>
                    }
                }) }
            </fieldset>
            <ol class="log-list" aria-label="Events, newest first" tabindex="0">
                { for props.events.iter().rev().filter(|ev| shown(hidden, ev)).map(|ev| html! {
                    <li key={ev.index} data-kind={format!("{:?}", ev.kind)}>
                        <span class="log-time">{ format::seconds(ev.time_us) }</span>
                        <span>{ narrate(ev, props.style) }</span>
                    </li>
                }) }
            </ol>
            <p class="visually-hidden" aria-live="polite" aria-atomic="true">{ announcement.borrow().clone() }</p>
        </section>
    }
}
