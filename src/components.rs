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
mod line_chart;
mod request_timeline;
mod scenario_editor;
mod shortcuts_help;
mod stage_region;
mod sweep_chart;

pub use ab_panel::AbPanel;
pub use chapter_nav::ChapterNav;
pub use charts_panel::ChartsPanel;
pub use charts_panel::ChartsPanelProps;
pub use controls::Controls;
pub use event_log::EventLog;
pub use glyph::{state_name, Glyph};
pub use header::Header;
pub use intro::Intro;
pub use lesson_panel::LessonPanel;
pub use line_chart::{ChartModel, LineChart, LineChartProps, Series};
pub use request_timeline::{threads_used, RequestTimeline};
pub use scenario_editor::{ScenarioEditor, ScenarioEditorProps};
pub use shortcuts_help::ShortcutsHelp;
pub use stage_region::{doing_words, StageRegion};
pub use sweep_chart::{SweepChart, SweepChartProps};
