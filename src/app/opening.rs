//! The state the app opens in: from the address and storage on the page, from its
//! attributes in an `<await-lab>` element, or a chapter chosen by the build-time render.

use crate::links::element::ElementHost;
use crate::links::share::Embed;
use crate::state::{Action, State};

/// The state an `<await-lab>` element opens in: what its attributes link to, its problems
/// listed in a notice. It reads and writes no storage: it lives in someone else's page.
fn element_state(element: &ElementHost) -> State {
    let spec = &element.spec;
    let mut state = State::default();
    if spec.link != crate::links::share::LinkState::default() {
        state = state.reduce(Action::OpenLink(std::rc::Rc::new(spec.link.clone())));
    }
    if !spec.problems.is_empty() {
        state = state.reduce(Action::Notice(Some(spec.problems.join("\n").into())));
    }
    state
}

/// The state the page opens in: what the address links to (a chapter, a run, a moment),
/// or, with no link, the chapter the reader was last on; always with the progress and the
/// scenario of their own kept from earlier visits. Every problem with the link is listed
/// in a notice, and whatever was valid in it still opens.
pub(super) fn initial_state(element: Option<&ElementHost>) -> State {
    if let Some(element) = element {
        return element_state(element);
    }
    #[allow(unused_mut)]
    let mut state = State::default();
    #[cfg(not(target_arch = "wasm32"))]
    {
        let chapter = PRERENDER_CHAPTER.with(std::cell::Cell::get);
        if chapter > 0 {
            state = state.reduce(Action::SelectChapter(chapter));
        }
    }
    #[cfg(target_arch = "wasm32")]
    {
        use crate::links::persist;
        use crate::links::share::{decode_embed, decode_lenient, LinkState};
        let mut last = 0;
        if let Some((progress, at)) = persist::load_progress() {
            state = state.reduce(Action::RestoreProgress(progress));
            last = at;
        }
        if let Some(own) = persist::load_own() {
            state = state.reduce(Action::RestoreOwn(std::rc::Rc::new(own)));
        }
        let query = persist::address_query();
        let (link, mut errors) = decode_lenient(&query);
        errors.extend(decode_embed(&query).1);
        if link == LinkState::default() && errors.is_empty() {
            // A chapter's own page opens that chapter; the front page, the last one read.
            let chapter = persist::chapter_of_page().unwrap_or(last);
            state = state.reduce(Action::SelectChapter(chapter));
        } else {
            state = state.reduce(Action::OpenLink(std::rc::Rc::new(link)));
        }
        if !errors.is_empty() {
            let text: Vec<String> = errors.into_iter().map(|e| e.message).collect();
            state = state.reduce(Action::Notice(Some(text.join("\n").into())));
        }
    }
    state
}

#[cfg(not(target_arch = "wasm32"))]
thread_local! {
    static PRERENDER_CHAPTER: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The chapter the next build-time render of [`App`] shows (native only: the browser
/// reads it from the address).
#[cfg(not(target_arch = "wasm32"))]
pub fn prerender_chapter(chapter: usize) {
    PRERENDER_CHAPTER.with(|c| c.set(chapter));
}

/// The embedded view the address asks for (`embed=1`), read once.
pub(super) fn embed_in_address() -> Option<Embed> {
    #[cfg(target_arch = "wasm32")]
    return crate::links::share::decode_embed(&crate::links::persist::address_query()).0;
    #[cfg(not(target_arch = "wasm32"))]
    None
}
