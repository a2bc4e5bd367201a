//! One component per file; each takes small props and renders what it is given.

mod ab_panel;
mod chapter_nav;
mod charts_panel;
mod controls;
mod event_log;
mod glyph;
mod header;
mod intro;
mod lesson_panel;
mod request_timeline;
mod scenario_editor;
mod stage_region;

pub use ab_panel::AbPanel;
pub use chapter_nav::ChapterNav;
pub use charts_panel::ChartsPanel;
pub use controls::Controls;
pub use event_log::EventLog;
pub use glyph::{state_name, Glyph};
pub use header::Header;
pub use intro::Intro;
pub use lesson_panel::LessonPanel;
pub use request_timeline::{threads_used, RequestTimeline};
pub use scenario_editor::ScenarioEditor;
pub use stage_region::{doing_words, StageRegion};
