//! A run: a scenario, its fixes and seed, and the states it went through. This is what
//! the page steps forward and back over; `run_to_end` is a loop over `forward`.
use super::sandbox::{self, SandboxSpec};
use super::scenario::{Fixes, Scenario};
use super::world::{Event, StepError, StepRecord, World};

/// A run has at most this many steps (the catalog's limit), so every loop ends.
pub const MAX_STEPS: usize = 500;

#[derive(Clone, Debug)]
pub struct Run {
    pub scenario: &'static Scenario,
    pub fixes: Fixes,
    pub seed: u64,
    /// `Some` for a sandbox run: the world is built from this spec, not from the
    /// scenario's own `config` (see `sandbox`).
    pub sandbox: Option<SandboxSpec>,
    /// `states[i]` is the world after `i` steps; `states[0]` the start.
    states: Vec<World>,
    /// `records[i]` took `states[i]` to `states[i + 1]`.
    records: Vec<StepRecord>,
    /// Whether step `i` was the scenario's own choice.
    scripted: Vec<bool>,
    /// How many steps are shown. Steps past the cursor are kept, so stepping back and
    /// forward again replays them instead of recomputing.
    cursor: usize,
}

impl Run {
    /// A run of `scenario`. A sandbox scenario (`sandbox::scenario`) gets its
    /// pattern's default spec; use `new_sandbox` for another.
    pub fn new(scenario: &'static Scenario, fixes: Fixes, seed: u64) -> Run {
        match sandbox::pattern_of(scenario) {
            Some(p) => Run::new_sandbox(SandboxSpec::new(p), fixes, seed),
            None => Run::start(scenario, fixes, seed, None),
        }
    }

    /// A run of a sandbox scenario built from `spec`; `fixes` are checked against
    /// `spec.scenario().fixes` by whoever parsed them.
    pub fn new_sandbox(spec: SandboxSpec, fixes: Fixes, seed: u64) -> Run {
        let spec = spec.clamped();
        Run::start(spec.scenario(), fixes, seed, Some(spec))
    }

    fn start(
        scenario: &'static Scenario,
        fixes: Fixes,
        seed: u64,
        sandbox: Option<SandboxSpec>,
    ) -> Run {
        let start = match &sandbox {
            Some(spec) => spec.world(&fixes, seed),
            None => scenario.world(&fixes, seed),
        };
        Run {
            scenario,
            fixes,
            seed,
            sandbox,
            states: vec![start],
            records: Vec::new(),
            scripted: Vec::new(),
            cursor: 0,
        }
    }

    pub fn with_default_seed(scenario: &'static Scenario, fixes: Fixes) -> Run {
        Run::new(scenario, fixes, scenario.seed)
    }

    /// A fresh run (step 0, nothing recorded) of the same scenario (and sandbox spec)
    /// with other fixes or another seed. Use this, not `Run::new`, to toggle a fix in
    /// a sandbox.
    pub fn rebuilt(&self, fixes: Fixes, seed: u64) -> Run {
        Run::start(self.scenario, fixes, seed, self.sandbox.clone())
    }

    /// Replays `choices` from the start of a fresh run like `self` (the cursor ends
    /// after the last). On a choice that is not enabled, returns its index and why.
    pub fn replayed(&self, choices: &[Event]) -> Result<Run, (usize, StepError)> {
        let mut run = self.rebuilt(self.fixes.clone(), self.seed);
        for (i, e) in choices.iter().enumerate() {
            run.fire(*e).map_err(|err| (i, err))?;
        }
        Ok(run)
    }

    /// How many steps are recorded (also past the cursor).
    pub fn recorded(&self) -> usize {
        self.records.len()
    }

    /// Every recorded step, also past the cursor.
    pub fn all_records(&self) -> &[StepRecord] {
        &self.records
    }

    /// The world after `step` recorded steps.
    pub fn state(&self, step: usize) -> Option<&World> {
        self.states.get(step)
    }

    /// Whether every recorded step (also past the cursor) is the scenario's own order:
    /// then `forward` from the start reproduces the whole recording.
    pub fn recorded_on_script(&self) -> bool {
        self.scripted.iter().all(|s| *s)
    }

    /// Whether step `i` (0-based) followed the scenario's own order.
    pub fn step_on_script(&self, i: usize) -> bool {
        self.scripted.get(i).copied().unwrap_or(false)
    }

    /// Drops the recorded steps past the cursor.
    pub fn truncate_future(&mut self) {
        self.states.truncate(self.cursor + 1);
        self.records.truncate(self.cursor);
        self.scripted.truncate(self.cursor);
    }

    /// What the scenario's own order (or, off script, earliest first) would take at the
    /// cursor, ignoring any recorded future: `None` at the end.
    pub fn rule_choice(&self) -> Option<Event> {
        if self.cursor >= MAX_STEPS || self.world().enabled().is_empty() {
            None
        } else {
            self.default_choice()
        }
    }

    pub fn world(&self) -> &World {
        &self.states[self.cursor]
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// The steps up to the cursor, oldest first.
    pub fn records(&self) -> &[StepRecord] {
        &self.records[..self.cursor]
    }

    /// The choices of the whole recorded run (also past the cursor).
    pub fn choices(&self) -> Vec<Event> {
        self.records.iter().map(|r| r.event).collect()
    }

    /// Whether every step up to the cursor followed the scenario's own order.
    pub fn on_script(&self) -> bool {
        self.scripted[..self.cursor].iter().all(|s| *s)
    }

    /// Whether nothing more can happen at the cursor: nothing is enabled and no step is
    /// recorded past it (a fault injected after the end is a recorded step).
    pub fn at_end(&self) -> bool {
        self.cursor >= MAX_STEPS
            || (self.cursor >= self.records.len() && self.world().enabled().is_empty())
    }

    /// At the step limit with events still to happen, what the page says before the
    /// ending: that the run was cut there, so the ending describes where it stopped,
    /// not where it would end (a file with 600 requests ran into the limit and said
    /// "consistent" with a read half done: review session 10, F9).
    pub fn limit_note(&self) -> Option<String> {
        let left = self.world().enabled().len();
        (self.cursor >= MAX_STEPS && left > 0).then(|| {
            format!(
                "The run stops at its limit of {MAX_STEPS} steps, with {left} event{} still able to happen: \
                 what follows is the state where it was cut, not where it would end.",
                if left == 1 { "" } else { "s" }
            )
        })
    }

    /// At the end of a run whose clients still wait for an answer, what the page says
    /// before the ending: who waits, and which nodes are down (and whether a restart is
    /// coming), paused or cut off; with every node up and nothing in flight, that a
    /// message the request needed was lost and nothing resends it (review session 11,
    /// R8: a run stopped by a crashed database was told as the story's end).
    pub fn stuck_note(&self) -> Option<String> {
        if !self.at_end() || self.cursor >= MAX_STEPS {
            return None;
        }
        super::narrate::stuck().and_then(|say| say(self.world()))
    }

    /// At the run's end, what the narration says after the last step's words: the
    /// limit note and the stuck note, then the scenario's ending, each said once (an
    /// ending that opens with `{done}` says the stuck note itself). `None` before the
    /// end, at step 0, and while the page loads the narration, when the step's words and
    /// the ending are both "Loading the narration…" (review session 19, C3: it was said
    /// twice).
    pub fn end_words(&self) -> Option<String> {
        let last = self.records().last()?;
        if !self.at_end() {
            return None;
        }
        let ending = self.scenario.epilogue(self.world(), &self.fixes);
        if last.narration == ending {
            return None;
        }
        let mut text = String::new();
        for note in [self.limit_note(), self.stuck_note()].into_iter().flatten() {
            // (`starts_with`, not `contains`: a `{done}` opens its ending's text, and a
            // substring search would add its code to the page's first download.)
            if !ending.starts_with(&note) {
                text.push_str(&note);
                text.push(' ');
            }
        }
        text.push_str(&ending);
        Some(text)
    }

    /// The step count of the run when it is known to end: the recorded steps once the
    /// last recorded state is an end.
    pub fn total_if_ended(&self) -> Option<usize> {
        let last = self.states.len() - 1;
        (last >= MAX_STEPS || self.states[last].enabled().is_empty()).then_some(last)
    }

    /// What "forward" would fire at the cursor: the recorded next step if there is one,
    /// else the scenario's own order while the run is on script, else earliest first.
    pub fn next_event(&self) -> Option<Event> {
        if self.at_end() {
            return None;
        }
        if let Some(r) = self.records.get(self.cursor) {
            return Some(r.event);
        }
        self.default_choice()
    }

    /// The choice the rules make at the cursor when the learner does not choose.
    pub fn default_choice(&self) -> Option<Event> {
        let world = self.world();
        if self.on_script() {
            self.scenario.scripted(world, self.cursor)
        } else {
            world.earliest()
        }
    }

    /// Takes one step; returns false at the end.
    pub fn forward(&mut self) -> bool {
        match self.next_event() {
            Some(event) => self.fire(event).is_ok(),
            None => false,
        }
    }

    /// Fires `event` at the cursor. If it differs from the recorded next step, the
    /// steps past the cursor are dropped and a new future starts here.
    pub fn fire(&mut self, event: Event) -> Result<&StepRecord, StepError> {
        self.fire_told(event, true)
    }

    /// Fires `event` as `fire` does, but without its words (`World::step_untold`):
    /// what `fire` does in the page's split build before the narration is loaded.
    pub fn fire_untold(&mut self, event: Event) -> Result<&StepRecord, StepError> {
        self.fire_told(event, false)
    }

    /// Tells again every recorded step that was taken without its words (before the
    /// page had loaded the narration), now that they are there: each from the state
    /// before it, so its record is the one `fire` would have made. Returns whether any
    /// record changed.
    pub fn narrate_pending(&mut self) -> bool {
        let mut told = false;
        for i in 0..self.records.len() {
            if self.records[i].narrated {
                continue;
            }
            let mut world = self.states[i].clone();
            if let Ok(record) = world.step_unchecked(self.records[i].event) {
                told |= record.narrated;
                self.records[i] = record;
            }
        }
        told
    }

    fn fire_told(&mut self, event: Event, told: bool) -> Result<&StepRecord, StepError> {
        if self.cursor >= MAX_STEPS {
            return Err(StepError::NotEnabled(event));
        }
        if self
            .records
            .get(self.cursor)
            .is_some_and(|r| r.event == event)
        {
            self.cursor += 1;
            return Ok(&self.records[self.cursor - 1]);
        }
        let scripted =
            self.on_script() && self.scenario.scripted(self.world(), self.cursor) == Some(event);
        let mut next = self.world().clone();
        if !next.is_enabled(event) {
            return Err(StepError::NotEnabled(event));
        }
        let record = if told {
            next.step_unchecked(event)?
        } else {
            next.step_untold(event)?
        };
        self.states.truncate(self.cursor + 1);
        self.records.truncate(self.cursor);
        self.scripted.truncate(self.cursor);
        self.states.push(next);
        self.records.push(record);
        self.scripted.push(scripted);
        self.cursor += 1;
        Ok(&self.records[self.cursor - 1])
    }

    pub fn back(&mut self) -> bool {
        if self.cursor == 0 {
            return false;
        }
        self.cursor -= 1;
        true
    }

    /// Moves the cursor to `step`, computing steps as needed; stops early at the end.
    /// Returns where the cursor ended.
    pub fn seek(&mut self, step: usize) -> usize {
        if step <= self.cursor {
            self.cursor = step;
            return step;
        }
        while self.cursor < step && self.forward() {}
        self.cursor
    }

    pub fn run_to_end(&mut self) {
        while self.forward() {}
    }

    pub fn reset(&mut self) {
        self.cursor = 0;
    }

    /// The full trace up to the cursor, one line per step.
    pub fn trace(&self) -> String {
        self.records().iter().map(|r| format!("{r}\n")).collect()
    }
}
