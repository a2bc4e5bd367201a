use yew::prelude::*;

use crate::content::Chapter;

#[derive(Properties, PartialEq)]
pub struct LessonPanelProps {
    pub chapter: Chapter,
    pub idx: usize,
    pub total: usize,
    pub on_previous: Callback<MouseEvent>,
    pub on_next: Callback<MouseEvent>,
}

/// The region the chapter prose fills: the current chapter's title, its claim, and
/// previous/next navigation.
#[component]
pub fn LessonPanel(props: &LessonPanelProps) -> Html {
    let first = props.idx == 0;
    let last = props.idx + 1 >= props.total;
    html! {
        <section class="lesson" aria-labelledby="lesson-title" aria-live="polite">
            <p class="lesson-count">{ format!("Chapter {} of {}", props.idx + 1, props.total) }</p>
            <h2 id="lesson-title">{ props.chapter.title }</h2>
            <p class="lesson-claim">{ props.chapter.claim }</p>
            <div class="lesson-nav">
                <button type="button" onclick={props.on_previous.clone()} disabled={first}>
                    { "Previous chapter" }
                </button>
                <button type="button" onclick={props.on_next.clone()} disabled={last}>
                    { "Next chapter" }
                </button>
            </div>
        </section>
    }
}
