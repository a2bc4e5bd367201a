use yew::prelude::*;

use crate::content::Chapter;

#[derive(Properties, PartialEq)]
pub struct ChapterNavProps {
    pub chapters: &'static [Chapter],
    pub current_idx: usize,
    pub on_select: Callback<usize>,
}

/// The table of contents. Buttons, not links, until chapters get their own deep links.
#[component]
pub fn ChapterNav(props: &ChapterNavProps) -> Html {
    html! {
        <nav class="toc" aria-labelledby="toc-title">
            <h2 id="toc-title">{ "Chapters" }</h2>
            <ol>
                { for props.chapters.iter().enumerate().map(|(idx, chapter)| {
                    let on_select = props.on_select.clone();
                    let current = idx == props.current_idx;
                    html! {
                        <li>
                            <button
                                type="button"
                                class={classes!("toc-item", current.then_some("current"))}
                                aria-current={current.then_some("step")}
                                onclick={Callback::from(move |_| on_select.emit(idx))}
                            >
                                <span class="toc-number" aria-hidden="true">{ idx + 1 }</span>
                                { chapter.title }
                            </button>
                        </li>
                    }
                }) }
            </ol>
        </nav>
    }
}
