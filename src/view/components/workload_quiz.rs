use yew::prelude::*;

use crate::curriculum::content::{Bound, WORKLOADS};
use crate::state::Action;

/// Chapter 11's exercise: for each piece of work, the reader says whether to await it
/// (I/O-bound) or just run it (CPU-bound), and sees why at once. `picked` has a bit per
/// row chosen and `picked_io` a bit per row answered "I/O-bound"; both live in the page
/// state. Drawn by the lesson panel, so it redraws only when they change.
pub fn workload_quiz(picked: u32, picked_io: u32, on_action: &Callback<Action>) -> Html {
    if WORKLOADS.is_empty() {
        return html! {};
    }
    let pick_of = |i: usize| {
        (picked & (1 << i) != 0).then(|| {
            if picked_io & (1 << i) != 0 {
                Bound::Io
            } else {
                Bound::Cpu
            }
        })
    };
    let right = WORKLOADS
        .iter()
        .enumerate()
        .filter(|(i, w)| pick_of(*i) == Some(w.bound))
        .count();
    let tried = picked.count_ones();
    html! {
        <section class="workloads" aria-labelledby="workloads-title">
            <h3 id="workloads-title">{ "I/O-bound or CPU-bound?" }</h3>
            <p>{ "For each piece of work, choose what the handler should do with it." }</p>
            <table>
                <thead><tr><th scope="col">{ "The handler…" }</th><th scope="col">{ "Your choice" }</th></tr></thead>
                <tbody>
                { for WORKLOADS.iter().enumerate().map(|(i, w)| {
                    let pick = pick_of(i);
                    let choose = |bound: Bound| {
                        let on_action = on_action.clone();
                        Callback::from(move |_: MouseEvent| on_action.emit(Action::PickWorkload(i, bound)))
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
