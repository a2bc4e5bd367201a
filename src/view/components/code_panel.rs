use sim::{RequestPhase, Scenario};
use yew::prelude::*;

use crate::curriculum::listings::{listing_for_scenario, phase_words, Listing, STATE_MACHINE};
use crate::state::Action;

fn listing_view(listing: &Listing, phase: Option<RequestPhase>, label: &'static str) -> Html {
    html! {
        <figure class="listing">
            <figcaption>{ listing.caption }</figcaption>
            // A long line scrolls sideways, so the block takes focus for keyboard scrolling.
            <pre role="region" aria-label={label} tabindex="0"><code>
                { for listing.lines.iter().map(|line| {
                    let here = phase.is_some_and(|p| line.at.contains(&p));
                    html! {
                        <span class={classes!("code-line", here.then_some("current"))}
                            data-current={here.then_some("true")}>
                            { line.code }
                            if here { <span class="visually-hidden">{ " ← the followed request is here" }</span> }
                            { "\n" }
                        </span>
                    }
                }) }
            </code></pre>
        </figure>
    }
}

/// The C# of the running endpoint, with the line the followed request is on highlighted
/// (and, in chapter 4, the state machine the compiler makes of it). "Step this request"
/// runs the simulation to that request's next event, so the highlight and the stage move
/// together. `phase` is where the followed request is, as the engine reports it (`None`
/// before it arrives); `state_machine` also shows what the compiler makes of the async
/// handler (chapter 4). A plain function, not a component: the followed request's phase
/// changes as often as the stage does.
pub fn code_panel(
    scenario: &Scenario,
    followed: Option<u64>,
    phase: Option<RequestPhase>,
    state_machine: bool,
    on_action: &Callback<Action>,
) -> Html {
    let phase = followed.and(phase);
    let words = match (followed, phase) {
        (Some(r), Some(p)) => format!("Request {r} is {}.", phase_words(p)),
        (Some(r), None) => format!("Request {r} has not arrived yet."),
        (None, _) => "Follow a request on the stage to see which line it is on.".to_string(),
    };
    let step = {
        let on_action = on_action.clone();
        Callback::from(move |_: MouseEvent| on_action.emit(Action::StepFollowed))
    };
    html! {
        <section class="code-panel" aria-labelledby="code-title">
            <h3 id="code-title">{ "The code" }</h3>
            { listing_view(listing_for_scenario(scenario), phase, "The endpoint's code") }
            if state_machine {
                { listing_view(&STATE_MACHINE, phase, "What the compiler makes of it") }
            }
            <p class="code-phase">{ words }</p>
            <button type="button" class="step-request" disabled={followed.is_none()}
                onclick={step}>{ "Step this request" }</button>
        </section>
    }
}
