use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// While `enabled`, tells `on_change` whether the page's body is in the top-level viewport.
/// In an iframe, an IntersectionObserver with no root of its own measures against the
/// viewport of the page that embeds it, so an embedded view learns when it is scrolled
/// away. (An `<await-lab>` element is told by its loader, `static/await-lab.js`.)
#[hook]
pub fn use_in_view(enabled: bool, on_change: Callback<bool>) {
    use_effect_with(enabled, move |&enabled| {
        let observer = enabled.then(|| observe(on_change)).flatten();
        move || {
            if let Some((observer, _closure)) = observer {
                observer.disconnect();
            }
        }
    });
}

type Watch = (
    web_sys::IntersectionObserver,
    Closure<dyn FnMut(js_sys::Array)>,
);

fn observe(on_change: Callback<bool>) -> Option<Watch> {
    let body = crate::window()?.document()?.body()?;
    let closure = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
        let last = entries
            .iter()
            .filter_map(|e| e.dyn_into::<web_sys::IntersectionObserverEntry>().ok())
            .next_back();
        if let Some(entry) = last {
            on_change.emit(entry.is_intersecting());
        }
    });
    let observer = web_sys::IntersectionObserver::new(closure.as_ref().unchecked_ref()).ok()?;
    observer.observe(&body);
    Some((observer, closure))
}
