//! The page's state: the one reducer (`reducer`: `State`, `Action`, re-exported here), the
//! handle on the engine it drives (`simulation`), the sweep that runs beside it, the
//! editor's draft of a scenario, and the colour theme.

pub mod reducer;
pub mod scenario_draft;
pub mod simulation;
pub mod sweep;
pub mod theme;

pub use reducer::*;
