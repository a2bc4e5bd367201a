use gloo_events::EventListener;
use yew::prelude::*;

use crate::state::Tab;

/// The address's fragment, without its `#`.
fn fragment() -> String {
    crate::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_owned())
        .unwrap_or_default()
}

/// Scrolls the element the fragment names into view, once the tab that holds it is drawn.
/// The browser's own jump happened while the element was still in a closed (hidden) tab,
/// so it went nowhere; this is that jump, a frame or a few later (on a first load the
/// page may take some frames to draw the tab), and then the element takes the focus.
fn reveal(id: String, tries: u32) {
    let Some(window) = crate::window() else {
        return;
    };
    let closure = wasm_bindgen::closure::Closure::once_into_js(move || {
        let el = crate::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&id))
            .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok());
        match el {
            // Drawn: it has a box (a hidden tab's content has none).
            Some(el) if el.offset_parent().is_some() => {
                el.scroll_into_view();
                let _ = el.focus();
            }
            _ if tries > 0 => reveal(id, tries - 1),
            _ => {}
        }
    });
    let _ = window.request_animation_frame(wasm_bindgen::JsCast::unchecked_ref(&closure));
}

/// Opens the workbench tab the address's fragment names (`#charts`, `#term-…`), when the
/// page opens and whenever the fragment changes (a glossary link in the prose, a link
/// from elsewhere), and brings what it names into view. Not `enabled` in an `<await-lab>`
/// element: the address and its fragment belong to the host page there.
#[hook]
pub fn use_fragment_tab(on_tab: Callback<Tab>, enabled: bool) {
    use_effect_with(enabled, move |&enabled| {
        if !enabled {
            return Box::new(|| ()) as Box<dyn FnOnce()>;
        }
        let open = std::rc::Rc::new(move || {
            let id = fragment();
            if let Some(tab) = Tab::for_fragment(&id) {
                on_tab.emit(tab);
                reveal(id, 30);
            }
        });
        open();
        let on_change = open.clone();
        let listener = crate::window()
            .map(|window| EventListener::new(&window, "hashchange", move |_| on_change()));
        // A link to the fragment the address already has changes nothing, so no
        // "hashchange" comes: after scrolling back up to the prose, a second click on the
        // same glossary link would do nothing. The click itself is the signal then.
        let clicks = crate::window().and_then(|w| w.document()).map(|document| {
            EventListener::new(&document, "click", move |event| {
                let href = event
                    .target()
                    .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
                    .and_then(|el| el.closest("a[href^='#']").ok().flatten())
                    .and_then(|a| a.get_attribute("href"));
                if href.is_some_and(|h| h.trim_start_matches('#') == fragment()) {
                    open();
                }
            })
        });
        Box::new(move || drop((listener, clicks)))
    });
}
