use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::KeyboardEvent;
use yew::prelude::*;

/// Listens for key presses on the whole document (or, for an `<await-lab>` element, only
/// within its own view, as a page may hold several) and hands each one, as its `key` string,
/// to `on_key`, unless the reader is typing in a field, pressing a focused button, or holding a modifier (so browser
/// and screen-reader shortcuts keep working). `on_key` returns true if it used the key.
#[hook]
pub fn use_key_shortcuts(on_key: Callback<String, bool>, target: Option<web_sys::Element>) {
    // The listener is registered once; it reads the newest callback from this cell, so it
    // never acts on stale state and is not re-registered on every render.
    let latest = use_mut_ref(|| on_key.clone());
    *latest.borrow_mut() = on_key;
    use_effect_with(target, move |target| {
        let target: Option<web_sys::EventTarget> = match target {
            Some(element) => Some(element.clone().into()),
            None => crate::window().and_then(|w| w.document()).map(Into::into),
        };
        let listener = target.map(|target| {
            // Not passive: a used key must be able to cancel the browser's own action
            // (Space would scroll the page as well as play).
            let options = EventListenerOptions::enable_prevent_default();
            EventListener::new_with_options(&target, "keydown", options, move |event| {
                let Some(event) = event.dyn_ref::<KeyboardEvent>() else {
                    return;
                };
                // A widget that used the key itself (the workbench's tabs take the
                // arrows) has cancelled its default; the page leaves it at that.
                if event.ctrl_key()
                    || event.alt_key()
                    || event.meta_key()
                    || event.default_prevented()
                {
                    return;
                }
                let key = event.key();
                let tag = event
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .map(|el| el.tag_name())
                    .unwrap_or_default();
                // Fields keep their keys; a focused button or link keeps Space and Enter,
                // which already press it.
                let field = matches!(tag.as_str(), "INPUT" | "SELECT" | "TEXTAREA");
                let pressable = matches!(tag.as_str(), "BUTTON" | "A" | "SUMMARY")
                    && matches!(key.as_str(), " " | "Enter");
                if field || pressable {
                    return;
                }
                let on_key = latest.borrow().clone();
                if on_key.emit(key) {
                    event.prevent_default();
                }
            })
        });
        move || drop(listener)
    });
}
