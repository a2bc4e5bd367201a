use yew::prelude::*;

use crate::curriculum::glossary::GLOSSARY;

/// Every term the chapters link to, each with an anchor (`#term-slug`) so a link in the
/// prose lands on its definition. A plain function: twenty static entries cost less to
/// redraw than a component type costs in the bundle.
pub fn glossary_panel() -> Html {
    html! {
        <section class="glossary" aria-labelledby="glossary-title">
            <h2 id="glossary-title">{ "Glossary" }</h2>
            <dl>
                { for GLOSSARY.iter().map(|t| html! {
                    <div class="term-entry" id={format!("term-{}", t.slug)} tabindex="-1">
                        <dt>{ t.term }</dt>
                        <dd>{ t.definition }</dd>
                    </div>
                }) }
            </dl>
        </section>
    }
}
