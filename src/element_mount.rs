//! Mounting a view per `<await-lab>` element: the class `static/await-lab.js` creates for
//! each element, exported to JavaScript. Apart from `element` (which the app reads), so
//! that the app does not depend on what mounts it.

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use yew::AppHandle;

use crate::app::{App, AppProps};
use crate::links::element::{read_attributes, ElementHost};

/// Pairs (attribute, value) from the loader's flat list `[name, value, name, value…]`.
fn pairs(flat: Vec<String>) -> Vec<(String, String)> {
    flat.chunks_exact(2)
        .map(|p| (p[0].clone(), p[1].clone()))
        .collect()
}

/// One `<await-lab>` element's view: an [`App`] of its own, mounted in its shadow root.
#[wasm_bindgen]
pub struct AwaitLabElement {
    app: AppHandle<App>,
    host: Rc<ElementHost>,
}

#[wasm_bindgen]
impl AwaitLabElement {
    /// Mounts a view into `view`, inside `root` (in `host`'s shadow root: theme and
    /// motion live on it). `attributes` is the flat list `[name, value, …]` of the
    /// element's attributes; `base` the address of the Await Lab files.
    #[wasm_bindgen(constructor)]
    pub fn new(
        host: web_sys::Element,
        root: web_sys::Element,
        view: web_sys::Element,
        base: String,
        attributes: Vec<String>,
        in_view: bool,
    ) -> AwaitLabElement {
        crate::view::fatal::install_panic_hook();
        let host = Rc::new(ElementHost {
            host,
            root,
            base: base.into(),
            spec: Rc::new(read_attributes(&pairs(attributes))),
            in_view,
        });
        let props = AppProps {
            element: Some(host.clone()),
        };
        let app = yew::Renderer::<App>::with_root_and_props(view, props).render();
        AwaitLabElement { app, host }
    }

    /// The element's attributes changed: the view shows what they now ask for.
    pub fn update(&mut self, attributes: Vec<String>) {
        let spec = Rc::new(read_attributes(&pairs(attributes)));
        if spec != self.host.spec {
            self.set(ElementHost {
                spec,
                ..(*self.host).clone()
            });
        }
    }

    /// The element came into view or left it.
    #[wasm_bindgen(js_name = setInView)]
    pub fn set_in_view(&mut self, in_view: bool) {
        if in_view != self.host.in_view {
            self.set(ElementHost {
                in_view,
                ..(*self.host).clone()
            });
        }
    }

    /// The element left the page: its view and its run go.
    pub fn destroy(self) {
        self.app.destroy();
    }

    fn set(&mut self, host: ElementHost) {
        self.host = Rc::new(host);
        self.app.update(AppProps {
            element: Some(self.host.clone()),
        });
    }
}
