//! The curriculum as data: the chapters' words and questions, their runs and the presets,
//! the C# listings, the glossary, the knobs, the model notes and the sandbox's challenges,
//! and the readers of the figures `content::Measure` does not name yet (`measures`).
//! Nothing here draws or keeps state; the reducer and the view read it.

pub mod challenges;
// Read by build.rs; compiled here only for its native tests.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod chapter_files;
pub mod content;
pub mod glossary;
pub mod knobs;
pub mod lessons;
pub mod listings;
pub mod measures;
pub mod model_notes;
pub mod names;
pub mod presets;
