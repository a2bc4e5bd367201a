//! Await Lab: a Yew app that draws what the `sim` engine computes.
//!
//! The app never computes model behaviour itself. It keeps UI state in one reducer
//! ([`state`]), asks the engine for numbers, and hands plain data to components as props.

pub mod app;
pub mod curriculum;
#[cfg(target_arch = "wasm32")]
pub mod element_mount;
pub mod links;
pub mod state;
#[cfg(test)]
mod test_support;
pub mod view;

pub use app::App;

/// The browser window, or `None` where there is none: the build-time render runs the same
/// components natively, where calling into JavaScript would panic.
// The one call of `web_sys::window` (clippy.toml forbids it elsewhere).
#[allow(clippy::disallowed_methods)]
pub fn window() -> Option<web_sys::Window> {
    if cfg!(target_arch = "wasm32") {
        web_sys::window()
    } else {
        None
    }
}

/// Whether `static/await-lab.js` loaded this module for `<await-lab>` elements: it defines
/// the element before it starts the module. The page is then someone else's, and its own
/// `#app` (a Vue or VitePress page has one) is not ours to draw into.
fn hosted_by_elements(window: &web_sys::Window) -> bool {
    use wasm_bindgen::JsCast;
    let Ok(registry) = js_sys::Reflect::get(window, &"customElements".into()) else {
        return false;
    };
    js_sys::Reflect::get(&registry, &"get".into())
        .ok()
        .and_then(|get| get.dyn_into::<js_sys::Function>().ok())
        .and_then(|get| get.call1(&registry, &"await-lab".into()).ok())
        .is_some_and(|defined| !defined.is_undefined())
}

/// Mounts the app into the page's `#app` element after installing the panic hook, so that
/// a panic shows a visible message instead of a blank page. When the module was loaded for
/// `<await-lab>` elements, they mount their own views and the page is left alone.
pub fn start() {
    view::fatal::install_panic_hook();
    let Some(window) = window() else {
        return;
    };
    if hosted_by_elements(&window) {
        return;
    }
    if let Some(root) = window.document().and_then(|d| d.get_element_by_id("app")) {
        // The build wrote the first view into the page; the app draws the same one in
        // its place. Yew's first render runs in a microtask, before the browser paints
        // again, so the reader never sees the element empty.
        root.set_inner_html("");
        let _ = root.remove_attribute("data-prerendered");
        yew::Renderer::<App>::with_root(root).render();
    }
}
