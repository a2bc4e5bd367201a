use yew::prelude::*;

/// Keeps attribute `name` of the page's `<html>` element equal to `value`, writing it only
/// when the value changes.
#[hook]
pub fn use_root_attribute(name: &'static str, value: &'static str) {
    use_effect_with(value, move |value| {
        if let Some(html) = crate::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = html.set_attribute(name, value);
        }
    });
}
