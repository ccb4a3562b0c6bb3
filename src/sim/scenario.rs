//! A scenario is data: the settings its world starts from, the fixes it offers (each a
//! set of changes to the settings), what it checks, its script and its endings as
//! conditions on the state, and what it says. Each is a JSON file (`file`) under
//! `scenarios/`, the same format a learner opens in the page.
use super::books::{Invariant, Metric};
use super::config::{Config, ConfigPatch};
use super::world::{Event, World};

#[cfg(feature = "bake")]
pub mod bake;
pub mod code;
pub mod file;
pub mod rules;
pub use rules::{Cond, Ending, Rule, Then};

/// A fix a learner can switch on, and what it costs.
#[derive(Debug)]
pub struct FixInfo {
    pub id: &'static str,
    pub title: &'static str,
    /// What the fix does, in one or two sentences.
    pub what: &'static str,
    /// What it costs: every fix trades something.
    pub cost: &'static str,
    /// The settings it changes.
    pub changes: ConfigPatch,
}

/// The fixes switched on for a run, in the scenario's order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Fixes(Vec<&'static str>);

impl Fixes {
    pub fn none() -> Fixes {
        Fixes(Vec::new())
    }

    /// The fixes named in `ids` that `scenario` has, in its order; an unknown id is an
    /// error naming it.
    pub fn parse<'a>(
        scenario: &Scenario,
        ids: impl IntoIterator<Item = &'a str>,
    ) -> Result<Fixes, String> {
        let mut on = Vec::new();
        for id in ids {
            match scenario.fixes.iter().find(|f| f.id == id) {
                Some(f) => on.push(f.id),
                None => return Err(id.to_string()),
            }
        }
        let mut sorted: Vec<&'static str> = scenario
            .fixes
            .iter()
            .map(|f| f.id)
            .filter(|id| on.contains(id))
            .collect();
        sorted.dedup();
        Ok(Fixes(sorted))
    }

    pub fn has(&self, id: &str) -> bool {
        self.0.contains(&id)
    }

    pub fn ids(&self) -> &[&'static str] {
        &self.0
    }

    /// The same set with `id` switched the other way.
    pub fn toggled(&self, scenario: &Scenario, id: &str) -> Fixes {
        let mut ids: Vec<&str> = self.0.clone();
        if let Some(pos) = ids.iter().position(|f| *f == id) {
            ids.remove(pos);
        } else {
            ids.push(id);
        }
        Fixes::parse(scenario, ids).unwrap_or_else(|_| self.clone())
    }
}

#[derive(Debug)]
pub struct Scenario {
    pub id: &'static str,
    pub title: &'static str,
    /// `Some(i)` for the catalog's `i`-th scenario, whose words (the fields from
    /// `summary` to `notes`, its fixes' `what` and `cost`, its endings' texts) are not in these fields
    /// (left empty) but in `scenarios::words`, which the page loads on first use: read
    /// them through the methods (`summary()`, `flow()`, `fix_what(i)`, …), which say
    /// `scenarios::LOADING` until they are there. `None`: a file's or the sandbox's
    /// own words, in these fields.
    pub catalog: Option<usize>,
    /// "What you will see": one paragraph.
    pub summary: &'static str,
    /// The story the scenario tells, in paragraphs: what happens and why.
    pub story: &'static [&'static str],
    /// The pattern's flow, one line per step.
    pub flow: &'static [&'static str],
    pub pros: &'static [&'static str],
    pub cons: &'static [&'static str],
    /// Further notes: sources, variants, what to try.
    pub notes: &'static [&'static str],
    pub fixes: &'static [FixInfo],
    pub invariants: &'static [Invariant],
    pub metrics: &'static [Metric],
    /// The seed for whatever the scenario leaves to chance.
    pub seed: u64,
    /// The settings with no fix on.
    pub settings: Config,
    /// The scenario's own choices, where they differ from "earliest first" (a scripted
    /// fault): the first rule whose conditions hold. None: earliest first.
    pub script: &'static [Rule],
    /// Said once the run has ended: the outcome and what it teaches. Empty for a
    /// catalog scenario, whose endings are in its words (`scenarios::Words::endings`),
    /// loaded after the page's first paint.
    pub endings: &'static [Ending],
    /// Its `s=` code, made the first time a link needs it (`code::encode`).
    pub code: std::sync::OnceLock<String>,
}

impl Scenario {
    /// The settings with `fixes` on: each fix's changes, in the scenario's order.
    pub fn config(&self, fixes: &Fixes) -> Config {
        let mut config = self.settings.clone();
        for f in self.fixes.iter().filter(|f| fixes.has(f.id)) {
            f.changes.apply(&mut config);
        }
        config
    }

    pub fn world(&self, fixes: &Fixes, seed: u64) -> World {
        World::new(self.config(fixes), seed)
    }

    /// The event the scenario's own order takes at `step` in `world`. A script reads
    /// the state, not the fixes (a file's script may not name one).
    pub fn scripted(&self, world: &World, _step: usize) -> Option<Event> {
        self.script_fault(world)
            .filter(|e| world.is_enabled(*e))
            .or_else(|| world.earliest())
    }

    /// The fault the script injects in `world`, if one of its rules holds.
    pub fn script_fault(&self, world: &World) -> Option<Event> {
        self.script
            .iter()
            .find_map(|r| r.fire(world, &Fixes::none()))
    }

    /// What the scenario says at the end of a run in `world`.
    /// In the page, the endings' words come with the narration (`narrate::ending`),
    /// loaded after the first paint; until then it says `narrate::PENDING`.
    pub fn epilogue(&self, world: &World, fixes: &Fixes) -> String {
        let Some(say) = super::narrate::ending() else {
            return super::narrate::PENDING.to_string();
        };
        match self.catalog_words() {
            None => say(self.endings, &[], world, fixes),
            Some(Ok(w)) => say(&[], w.endings, world, fixes),
            Some(Err(())) => super::scenarios::LOADING.to_string(),
        }
    }

    /// Whether this is one of the catalog's scenarios (not a file a learner opened,
    /// nor the sandbox).
    pub fn is_catalog(&self) -> bool {
        super::scenarios::ALL.iter().any(|s| std::ptr::eq(*s, self))
    }

    pub fn fix(&self, id: &str) -> Option<&'static FixInfo> {
        self.fixes.iter().find(|f| f.id == id)
    }

    /// The catalog's words for this scenario, if it is one of the catalog's: `Err` while
    /// the page is still loading them.
    fn catalog_words(&self) -> Option<Result<&'static super::scenarios::Words, ()>> {
        self.catalog.map(|i| super::scenarios::words(i).ok_or(()))
    }

    /// "What you will see": one paragraph (`scenarios::LOADING` while it loads).
    pub fn summary(&self) -> &'static str {
        match self.catalog_words() {
            None => self.summary,
            Some(Ok(w)) => w.summary,
            Some(Err(())) => super::scenarios::LOADING,
        }
    }

    /// What the narration says before the first step: the summary, which tells the
    /// story without a fix. With fixes on, the run shown is not that story, so the
    /// summary is labelled as the unfixed race and each fix on says what it changes
    /// (its title and "what"); the run itself then shows whether it holds.
    pub fn opening(&self, fixes: &Fixes) -> String {
        let summary = self.summary();
        if fixes.0.is_empty() || summary == super::scenarios::LOADING {
            return format!("{summary} Press Step (→) to begin.");
        }
        let mut text = format!("Without a fix: {summary}");
        for (i, f) in self.fixes.iter().enumerate() {
            if fixes.has(f.id) {
                text.push_str(&format!(
                    " With {} on: {}",
                    mid_sentence(f.title),
                    self.fix_what(i)
                ));
            }
        }
        text.push_str(" Press Step (→) to begin.");
        text
    }

    /// The pattern's flow, one line per step.
    pub fn flow(&self) -> &'static [&'static str] {
        self.lines(self.flow, |w| w.flow)
    }

    pub fn pros(&self) -> &'static [&'static str] {
        self.lines(self.pros, |w| w.pros)
    }

    pub fn cons(&self) -> &'static [&'static str] {
        self.lines(self.cons, |w| w.cons)
    }

    /// Further notes: sources, variants, what to try.
    pub fn notes(&self) -> &'static [&'static str] {
        self.lines(self.notes, |w| w.notes)
    }

    fn lines(
        &self,
        own: &'static [&'static str],
        of: fn(&'static super::scenarios::Words) -> &'static [&'static str],
    ) -> &'static [&'static str] {
        match self.catalog_words() {
            None => own,
            Some(Ok(w)) => of(w),
            Some(Err(())) => &[super::scenarios::LOADING],
        }
    }

    /// The story the scenario tells, in paragraphs. Only a scenario file written out
    /// reads it (the page shows the summary), so the catalog's stories are apart from
    /// its other words (`scenarios::story`): the page fetches them with the file writer.
    pub fn story(&self) -> &'static [&'static str] {
        match self.catalog {
            None => self.story,
            Some(i) => super::scenarios::story(i),
        }
    }

    /// What the `i`-th fix does, in one or two sentences.
    pub fn fix_what(&self, i: usize) -> &'static str {
        self.fix_words(i, |f| f.what, |w| w.0)
    }

    /// What the `i`-th fix costs.
    pub fn fix_cost(&self, i: usize) -> &'static str {
        self.fix_words(i, |f| f.cost, |w| w.1)
    }

    fn fix_words(
        &self,
        i: usize,
        own: fn(&FixInfo) -> &'static str,
        of: fn(&(&'static str, &'static str)) -> &'static str,
    ) -> &'static str {
        match self.catalog_words() {
            None => self.fixes.get(i).map(own).unwrap_or_default(),
            Some(Ok(w)) => w.fixes.get(i).map(of).unwrap_or_default(),
            Some(Err(())) => super::scenarios::LOADING,
        }
    }
}

/// A fix's title inside a sentence: its first letter lowercased, unless the title
/// opens with an acronym ("TTL jitter", "CDN …"): "With a short near-cache TTL on".
fn mid_sentence(title: &str) -> String {
    // ASCII only: `char::to_lowercase` would bring Unicode's case tables into the
    // page's first download (+2.3 kB gzip); the catalog's titles are ASCII.
    let mut out = title.to_string();
    if let [first, second, ..] = title.as_bytes() {
        if first.is_ascii_uppercase() && !second.is_ascii_uppercase() {
            out[..1].make_ascii_lowercase();
        }
    }
    out
}
