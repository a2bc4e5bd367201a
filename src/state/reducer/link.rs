//! The state and its link: what a link to the view shown says ([`State::link`]), and the
//! view a link opens (`Action::OpenLink`).

use std::rc::Rc;

use super::{Action, State};
use crate::curriculum::content::CHAPTERS;
use crate::curriculum::presets::PRESETS;
use crate::links::share::{LinkState, LINK_EVENTS_MAX};

impl State {
    /// What a link to this exact view says: the chapter, the run (a chapter's run, a
    /// preset, or the reader's scenario itself), the seed, the comparison, the step, and
    /// the request followed where it differs from what the run follows by itself.
    pub fn link(&self) -> LinkState {
        let run = &self.run;
        let lesson = run.lesson.filter(|_| run.custom.is_none());
        let (preset, named_run, follows) = match (&run.custom, lesson) {
            (Some(_), _) => (None, None, None),
            (None, Some((chapter, setup))) => {
                // The chapter's first run is what the chapter opens with: no need to say it.
                let implied = chapter == self.course.chapter_idx && setup == 0;
                let name = CHAPTERS[chapter].setups[setup].a.to_owned();
                (None, (!implied).then_some((chapter, name)), Some(0))
            }
            (None, None) => (Some(PRESETS[run.preset_idx].slug.to_owned()), None, None),
        };
        let own_b = lesson.is_some_and(|(c, s)| CHAPTERS[c].setups[s].b.is_some());
        let compare = match &run.b {
            Some(b) => b.preset_idx.map(|i| PRESETS[i].slug.to_owned()),
            None if own_b => Some("off".to_owned()),
            None => None,
        };
        let moved = run.snapshot.counters.events > 0;
        let events = run.snapshot.counters.events;
        LinkState {
            scenario: run.custom.as_ref().map(|c| (**c).clone()),
            preset,
            run: named_run,
            seed: Some(run.seed),
            chapter: Some(self.course.chapter_idx),
            compare,
            time_us: moved.then_some(run.snapshot.time_us),
            // Past the replay bound a link gives the time alone (good to the µs).
            events: (moved && events <= LINK_EVENTS_MAX).then_some(events),
            follow: (run.followed != follows).then_some(run.followed),
            knob: run.knob.filter(|_| lesson.is_some()),
        }
    }

    /// The view a link describes, built from this state so that what the reader keeps
    /// (progress, their own scenario, theme) survives. A link's scenario runs as a
    /// scenario of theirs for now but does not replace the one they saved. Replaying to
    /// the link's moment is bounded ([`LINK_EVENTS_MAX`] events): a hostile link cannot
    /// freeze the page, and one that asks for more stops early and says so.
    pub(super) fn open_link(&self, link: &LinkState) -> State {
        let mut next = self.clone();
        if let Some(chapter) = link.chapter {
            next = next.reduce(Action::SelectChapter(chapter));
        }
        let seed = link.seed.unwrap_or(next.run.seed);
        let run = link.run.as_ref().and_then(|(c, name)| {
            let setup = CHAPTERS.get(*c)?.setups.iter().position(|s| s.a == name)?;
            Some((*c, setup))
        });
        let preset = link
            .preset
            .as_deref()
            .and_then(|p| PRESETS.iter().position(|x| x.slug == p));
        if link.scenario.is_some() {
            let scenario = link.scenario.clone().map(Rc::new);
            next = next.restart(next.run.preset_idx, seed, scenario);
            next.run.lesson = None;
        } else if let Some(idx) = preset {
            next = next.reduce(Action::SelectPreset(idx));
        } else if let Some((chapter, setup)) = run {
            next = next.load_lesson(chapter, setup, Some(seed));
        }
        if let Some(value) = link.knob {
            next = next.reduce(Action::SetKnob(value));
        }
        next = next.reduce(Action::SetSeed(seed));
        match link.compare.as_deref() {
            Some("off") => next = next.reduce(Action::Compare(None)),
            Some(p) => {
                if let Some(idx) = PRESETS.iter().position(|x| x.slug == p) {
                    next = next.reduce(Action::Compare(Some(idx)));
                }
            }
            None => {}
        }
        if let Some(follow) = link.follow {
            next = next.reduce(Action::Follow(follow));
        }
        next.replay_to(link);
        next.run.playing = false;
        next.refreshed()
    }

    /// Moves the run to the link's step, then to its moment, within the replay bound; a
    /// moment past the bound leaves the run where the bound stopped it and says so.
    fn replay_to(&mut self, link: &LinkState) {
        let simulation = &self.run.simulation;
        // The step first, then the clock: a view reached by playing sits between events
        // (every event up to `t` done), one reached by stepping sits on its last event.
        if let Some(events) = link.events {
            simulation.seek_events(events.min(LINK_EVENTS_MAX));
        }
        let Some(time_us) = link.time_us else {
            return;
        };
        let mut left = LINK_EVENTS_MAX.saturating_sub(simulation.events());
        while simulation.now_us() < time_us && !simulation.is_finished() {
            if left == 0 {
                let message = format!(
                    "The link's moment is further into the run than a link may replay \
                     ({LINK_EVENTS_MAX} events): the page stops at {} s; play on from there.",
                    sim::decimal::fixed(simulation.now_us() as f64 / 1e6, 3)
                );
                self.page.notice = Some(message.into());
                return;
            }
            let before = simulation.events();
            simulation.advance_by(time_us - simulation.now_us());
            left = left.saturating_sub(simulation.events() - before);
        }
    }
}
