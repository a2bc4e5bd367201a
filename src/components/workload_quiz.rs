use yew::prelude::*;

use crate::content::{Bound, WORKLOADS};

/// Chapter 10's exercise: for each piece of work, the reader says whether to await it
/// (I/O-bound) or just run it (CPU-bound), and sees why at once. The choices are the
/// reader's scratch work, so they live here rather than in the page state.
#[component]
pub fn WorkloadQuiz() -> Html {
    let picks = use_state(|| vec![None::<Bound>; WORKLOADS.len()]);
    if WORKLOADS.is_empty() {
        return html! {};
    }
    let right = WORKLOADS
        .iter()
        .zip(picks.iter())
        .filter(|(w, p)| **p == Some(w.bound))
        .count();
    let tried = picks.iter().filter(|p| p.is_some()).count();
    html! {
        <section class="workloads" aria-labelledby="workloads-title">
            <h3 id="workloads-title">{ "I/O-bound or CPU-bound?" }</h3>
            <p>{ "For each piece of work, choose what the handler should do with it." }</p>
            <table>
                <thead><tr><th scope="col">{ "The handler…" }</th><th scope="col">{ "Your choice" }</th></tr></thead>
                <tbody>
                { for WORKLOADS.iter().enumerate().map(|(i, w)| {
                    let pick = picks[i];
                    let choose = |bound: Bound| {
                        let picks = picks.clone();
                        Callback::from(move |_| {
                            let mut next = (*picks).clone();
                            next[i] = Some(bound);
                            picks.set(next);
                        })
                    };
                    let verdict = pick.map(|p| {
                        let ok = p == w.bound;
                        html! {
                            <p class={classes!("verdict", if ok { "right" } else { "wrong" })}>
                                <strong>{ if ok { "✓ Right. " } else { "✗ Not quite. " } }</strong>{ w.why }
                            </p>
                        }
                    });
                    html! {
                        <tr>
                            <th scope="row">{ w.what }</th>
                            <td>
                                <div role="group" aria-label={format!("{}: your choice", w.what)}>
                                    <button type="button" aria-pressed={(pick == Some(Bound::Io)).to_string()}
                                        onclick={choose(Bound::Io)}>{ "await it (I/O-bound)" }</button>
                                    <button type="button" aria-pressed={(pick == Some(Bound::Cpu)).to_string()}
                                        onclick={choose(Bound::Cpu)}>{ "just run it (CPU-bound)" }</button>
                                </div>
                                { verdict.unwrap_or_default() }
                            </td>
                        </tr>
                    }
                }) }
                </tbody>
            </table>
            <p role="status">{ format!("{right} of {} right ({tried} tried).", WORKLOADS.len()) }</p>
        </section>
    }
}
