//! The moves through the course: opening a chapter, loading one of its runs, answering
//! its question; and what the lesson panel reads of the state (the knob shown, the
//! challenges).

use super::course::ChallengeView;
use super::run::{Run, SideB};
use super::State;
use crate::curriculum::content::CHAPTERS;
use crate::curriculum::knobs::Knob;
use crate::curriculum::lessons::lesson_scenario;

impl State {
    /// A fresh run of chapter `chapter`'s setup `setup` (side B too, if it has one), with
    /// the preset's own seed unless `seed` says otherwise, and with `self.run.knob` if the
    /// setup has a knob that can hold it. The first request is followed, so the code panel
    /// has a line to point at from the start.
    pub(super) fn load_lesson(&self, chapter: usize, setup: usize, seed: Option<u64>) -> State {
        let Some(plan) = CHAPTERS.get(chapter).and_then(|c| c.setups.get(setup)) else {
            return self.clone();
        };
        let Some(mut a) = lesson_scenario(chapter, plan.a) else {
            return self.clone();
        };
        // A value equal to the run's own is no change: kept as none, so links stay short.
        let knob = Knob::on(chapter, setup).and_then(|k| {
            let v = self.run.knob.filter(|v| k.allows(*v) && *v != k.read(&a))?;
            Some((k, v))
        });
        if let Some((k, v)) = knob {
            k.apply(&mut a, v);
        }
        let seed = seed.unwrap_or(a.seed);
        let mut run = Run::new(self.run.preset_idx, a, seed, None);
        run.b = plan.b.and_then(|(name, title)| {
            let mut scenario = lesson_scenario(chapter, name)?;
            scenario.seed = seed;
            if let Some((k, v)) = knob {
                k.apply(&mut scenario, v);
            }
            SideB::with_scenario(None, title, scenario)
        });
        run.lesson = Some((chapter, setup));
        run.knob = knob.map(|(_, v)| v);
        run.followed = Some(0);
        self.with_run(run).refreshed()
    }

    /// `self` with the knob the reader set forgotten, so the next chapter run loads with
    /// its own value.
    fn without_knob(&self) -> State {
        let mut plain = self.clone();
        plain.run.knob = None;
        plain
    }

    /// Opens chapter `idx`: its first run loads (the sandbox runs the reader's own
    /// scenario if they have one), and the question starts unanswered.
    pub(super) fn open_chapter(&self, idx: usize) -> State {
        let mut next = if CHAPTERS[idx].setups.is_empty() {
            match &self.course.own {
                Some(own) => self.restart(self.run.preset_idx, own.seed, Some(own.clone())),
                None => self.clone(),
            }
        } else {
            self.without_knob().load_lesson(idx, 0, None)
        };
        next.course.chapter_idx = idx;
        next.course.progress.visited |= 1 << idx;
        next.course.guess = None;
        next.course.revealed = None;
        next.course.watch = None;
        next
    }

    /// Runs the current chapter's question setup to the question's time and reads the
    /// answer from the stage.
    pub(super) fn reveal(&self) -> State {
        let chapter = self.course.chapter_idx;
        let Some(question) = CHAPTERS[chapter].question else {
            return self.clone();
        };
        // The question is about the chapter's own run: a knob the reader moved goes back.
        let own_run = self.run.lesson == Some((chapter, question.setup));
        let mut next = if own_run && self.run.knob.is_none() {
            self.clone()
        } else {
            self.without_knob()
                .load_lesson(chapter, question.setup, None)
        };
        next.run.playing = false;
        next.run.simulation.seek_us(question.at_ms * 1_000);
        next = next.refreshed();
        let run = &next.run;
        let value = run
            .simulation
            .with_trace(|trace| {
                question.measure.read_run(
                    &run.snapshot,
                    &run.samples,
                    run.b.as_ref().map(|b| &*b.snapshot),
                    trace,
                )
            })
            .unwrap_or(f64::NAN);
        next.course.revealed = Some(value);
        // Only the reader's first answer to a question counts towards their score.
        let right = question.answer(value).is_some() && question.answer(value) == self.course.guess;
        next.course.progress.record_answer(chapter, right);
        next
    }

    /// What the sandbox's challenges show: the one loaded, the last check's verdict and
    /// the ones solved.
    pub fn challenge_view(&self) -> ChallengeView {
        ChallengeView {
            loaded: self.course.challenge,
            verdict: self.run.verdict.clone(),
            solved: self.course.progress.solved,
        }
    }

    /// The knob the reader can move on the current chapter's run, and its value now: none
    /// elsewhere (another chapter's run, a preset, the reader's own scenario).
    pub fn knob_shown(&self) -> Option<(&'static Knob, u32)> {
        let (chapter, setup) = self.run.lesson.filter(|l| l.0 == self.course.chapter_idx)?;
        let knob = Knob::on(chapter, setup).filter(|_| self.run.custom.is_none())?;
        Some((knob, knob.read(&self.run.scenario)))
    }
}
