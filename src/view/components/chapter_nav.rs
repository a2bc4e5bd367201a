use yew::prelude::*;

use crate::curriculum::content::CHAPTERS;
use crate::links::persist::Progress;

/// A chapter's mark in the list and the words that say it to a screen reader.
fn mark(progress: &Progress, idx: usize) -> (&'static str, &'static str) {
    let bit = 1 << idx;
    if progress.right_first & bit != 0 {
        ("✓", " (answered, right first time)")
    } else if progress.wrong_first & bit != 0 {
        ("✗", " (answered, not right first time)")
    } else if progress.answered & bit != 0 {
        ("•", " (answered)")
    } else if progress.visited & bit != 0 {
        ("·", " (opened)")
    } else {
        ("", "")
    }
}

/// The table of contents, as a side column (wide screens) or a menu (phones). Each entry is a real link (`?chapter=slug`), so it can be
/// copied or opened in a new tab; a plain click stays on the page and opens the chapter.
/// Each entry is marked from the reader's own progress: opened, or answered right or not
/// right the first time; the head counts the answers and the first-time right ones. A plain
/// function rather than a component: eleven links cost less to redraw than a component
/// type costs in the bundle.
pub fn chapter_nav(current_idx: usize, progress: &Progress, on_select: &Callback<usize>) -> Html {
    let all = (1u32 << CHAPTERS.len()) - 1;
    let done = (progress.answered & all).count_ones();
    let right = (progress.right_first & all).count_ones();
    let questions = CHAPTERS.iter().filter(|c| c.question.is_some()).count();
    let score = format!("{done} of {questions} questions answered · {right} right first time");
    let list = || {
        html! {
            <ol>
                { for CHAPTERS.iter().enumerate().map(|(idx, chapter)| {
                    let on_select = on_select.clone();
                    let current = idx == current_idx;
                    let (mark, status) = mark(progress, idx);
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
                    html! {
                        <li>
                            <a href={chapter_href(idx)}
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
                <p class="toc-progress">{ score }</p>
                { list() }
            </nav>
            <details class="toc-menu">
                <summary>
                    { "Chapters" }
                    <span class="toc-menu-hint">{ format!(" · {done} of {questions} answered, {right} right first time") }</span>
                </summary>
                <nav aria-label="Chapters">
                    { list() }
                </nav>
            </details>
        </>
    }
}

/// Where a chapter's entry links: in the browser to the live chapter (`?chapter=slug`,
/// which the app opens in place); in the build-time pages to the chapter's own page, so a
/// reader without scripts can move between chapters too.
fn chapter_href(idx: usize) -> String {
    if cfg!(target_arch = "wasm32") {
        format!("?chapter={}", CHAPTERS[idx].slug)
    } else {
        crate::curriculum::content::page_name(idx)
    }
}
