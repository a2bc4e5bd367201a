use std::rc::Rc;

use sim::{Style, TraceEvent, TraceKind};
use yew::prelude::*;

use crate::view::format;
use crate::view::narrate::narrate;

pub struct RequestTimelineProps {
    pub request: u64,
    /// The request's events so far, and whether its start may have been dropped.
    pub events: Rc<(Vec<TraceEvent>, bool)>,
    pub style: Style,
    pub on_stop: Callback<MouseEvent>,
}

/// The threads a request ran on, in order, without repeats in a row: "3 → 7" shows a
/// request that resumed on another thread after its I/O.
pub fn threads_used(events: &[TraceEvent]) -> Vec<u32> {
    let mut used: Vec<u32> = Vec::new();
    for ev in events.iter().filter(|e| e.kind == TraceKind::Dequeue) {
        if let Some(t) = ev.thread {
            if used.last() != Some(&t) {
                used.push(t);
            }
        }
    }
    used
}

/// The story of one request: every event the engine recorded for it, in words.
/// A plain function: it has no state of its own, its input changes with the run, and a
/// component type would cost bundle bytes.
pub fn request_timeline(props: &RequestTimelineProps) -> Html {
    let (events, truncated) = &*props.events;
    let threads = threads_used(events);
    let thread_text = match threads.as_slice() {
        [] => "It has not run on a thread yet.".to_owned(),
        [one] => format!("It has run on thread {one} only."),
        many => format!(
            "It ran on threads {}: it resumed on a different thread after waiting.",
            many.iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(" → ")
        ),
    };
    html! {
        <section class="request-timeline" aria-labelledby="follow-title">
            <h3 id="follow-title">{ format!("Following request #{}", props.request) }</h3>
            <p class="follow-threads">{ thread_text }</p>
            if *truncated {
                <p class="more">{ "Its earliest events may be missing: the engine keeps only the newest part of the trace." }</p>
            }
            <ol class="follow-list">
                { for events.iter().map(|ev| html! {
                    <li><span class="log-time">{ format::seconds(ev.time_us) }</span>{ narrate(ev, props.style) }</li>
                }) }
            </ol>
            <button type="button" onclick={props.on_stop.clone()}>{ "Stop following" }</button>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_used_collapses_repeats_and_keeps_order() {
        let ev = |thread| TraceEvent {
            index: 0,
            time_us: 0,
            kind: TraceKind::Dequeue,
            thread: Some(thread),
            request: Some(1),
            task: None,
        };
        assert_eq!(threads_used(&[ev(3), ev(3), ev(7), ev(3)]), vec![3, 7, 3]);
        assert!(threads_used(&[]).is_empty());
    }
}
