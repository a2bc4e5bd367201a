//! The view: the components, the hooks that keep browser plumbing out of them, and the pure
//! functions they draw with (the stage's layout, the charts' scales, number formats and the
//! event log's sentences), plus the panic message box.

pub mod chart_math;
pub mod components;
pub mod fatal;
pub mod format;
pub mod hooks;
pub mod narrate;
pub mod stage_layout;
