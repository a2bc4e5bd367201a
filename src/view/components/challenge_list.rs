use yew::prelude::*;

use crate::curriculum::challenges::CHALLENGES;
use crate::state::{Action, ChallengeView};
use crate::view::components::rich;

/// The sandbox's challenges: each one's goal and a button that loads its scenario; for the
/// one loaded, a button that checks the scenario running now and what the check found.
/// A plain function drawn by the lesson panel: its state lives in the reducer.
pub fn challenge_list(view: &ChallengeView, on_action: &Callback<Action>) -> Html {
    let emit = |action: Action| {
        let on_action = on_action.clone();
        Callback::from(move |_: MouseEvent| on_action.emit(action.clone()))
    };
    let items = CHALLENGES.iter().enumerate().map(|(i, c)| {
        let loaded = view.loaded == Some(i);
        let solved = view.solved & (1 << i) != 0;
        let verdict = view.verdict.as_ref().filter(|_| loaded).map(|v| {
            let mark = if v.passed { "✓ Passed. " } else { "✗ Not yet. " };
            html! { <><strong>{ mark }</strong>{ v.text.clone() }</> }
        });
        html! {
            <li class="challenge" data-challenge={i.to_string()}>
                <h4>{ c.title }{ if solved { " · solved" } else { "" } }</h4>
                <p>{ rich(c.goal) }</p>
                <div class="challenge-buttons">
                    <button type="button" class="challenge-load" aria-pressed={loaded.to_string()}
                        onclick={emit(Action::LoadChallenge(i))}>{ "Load this challenge" }</button>
                    if loaded {
                        <button type="button" class="challenge-check"
                            onclick={emit(Action::CheckChallenge)}>{ "Check the scenario now running" }</button>
                    }
                </div>
                if loaded {
                    <p class="challenge-verdict" role="status">{ verdict.unwrap_or_default() }</p>
                }
            </li>
        }
    });
    html! {
        <section class="challenges" aria-labelledby="challenges-title">
            <h3 id="challenges-title">{ "Challenges" }</h3>
            <p>{ "Load one: its scenario runs on the stage and fills the scenario editor. Change it there, apply, and check it here; the engine runs it to its end." }</p>
            <ol>{ for items }</ol>
        </section>
    }
}
