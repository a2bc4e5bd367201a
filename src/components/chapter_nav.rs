use yew::prelude::*;

use crate::content::CHAPTERS;

/// The table of contents, as a side column (wide screens) or a menu (phones). Each entry is a real link (`?chapter=slug`), so it can be
/// copied or opened in a new tab; a plain click stays on the page and opens the chapter.
/// `visited` and `answered` hold one bit per chapter. A plain function rather than a
/// component: eleven links cost less to redraw than a component type costs in the bundle.
pub fn chapter_nav(
    current_idx: usize,
    visited: u32,
    answered: u32,
    on_select: &Callback<usize>,
) -> Html {
    let done = (answered & ((1 << CHAPTERS.len()) - 1)).count_ones();
    let progress = format!("{done} of {} questions answered", CHAPTERS.len() - 1);
    let list = || {
        html! {
            <ol>
                { for CHAPTERS.iter().enumerate().map(|(idx, chapter)| {
                    let on_select = on_select.clone();
                    let current = idx == current_idx;
                    let answered = answered & (1 << idx) != 0;
                    let visited = visited & (1 << idx) != 0;
                    let onclick = Callback::from(move |e: MouseEvent| {
                        // Modified clicks keep their browser meaning (new tab, new window).
                        if !(e.ctrl_key() || e.meta_key() || e.shift_key() || e.alt_key()) {
                            e.prevent_default();
                            // The phone's menu closes once a chapter is chosen.
                            if let Some(menu) = e
                                .target()
                                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
                                .and_then(|el| el.closest("details").ok().flatten())
                            {
                                let _ = menu.remove_attribute("open");
                            }
                            on_select.emit(idx);
                        }
                    });
                    let mark = if answered { "✓" } else if visited { "·" } else { "" };
                    let status = if answered { " (answered)" } else if visited { " (opened)" } else { "" };
                    html! {
                        <li>
                            <a href={format!("?chapter={}", chapter.slug)}
                                class={classes!("toc-item", current.then_some("current"))}
                                aria-current={current.then_some("page")}
                                {onclick}>
                                <span class="toc-number" aria-hidden="true">{ idx + 1 }</span>
                                <span class="toc-title">{ chapter.title }</span>
                                <span class="toc-mark" aria-hidden="true">{ mark }</span>
                                <span class="visually-hidden">{ status }</span>
                            </a>
                        </li>
                    }
                }) }
            </ol>
        }
    };
    // Two forms of one list, and CSS shows one: a side column on wide screens, a menu
    // that takes one line on phones. The hidden one is display: none, so neither the
    // keyboard nor a screen reader meets it twice.
    html! {
        <>
            <nav class="toc" aria-labelledby="toc-title">
                <h2 id="toc-title">{ "Chapters" }</h2>
                <p class="toc-progress">{ progress.clone() }</p>
                { list() }
            </nav>
            <details class="toc-menu">
                <summary>
                    { "Chapters" }
                    <span class="toc-menu-hint">{ format!(" · {done} of {} answered", CHAPTERS.len() - 1) }</span>
                </summary>
                <nav aria-label="Chapters">
                    { list() }
                </nav>
            </details>
        </>
    }
}
