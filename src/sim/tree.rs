//! Time travel with branches: every run the learner made of one scenario (with its
//! fixes, seed and sandbox), kept as a tree.
//!
//! The current branch is a full `Run` (every state kept, so stepping back is a cursor
//! move). Firing an event at the cursor that differs from the step recorded there
//! does not overwrite that future: the current branch is kept as it was, and a new
//! branch starts at the cursor (its `fork`), with the old one as its `parent`. If a
//! branch already took that event there, it is switched to instead, so the same
//! choice never makes two branches. Firing at the end of the recording just extends
//! the current branch. Nothing the learner did is thrown away.
//!
//! Other branches keep only their choices and cursor; `switch` replays one (the
//! simulation is deterministic, so it comes back exactly as it was).
//!
//! Bounded: at most `MAX_BRANCHES` (64). At the limit, a choice that would start a new
//! branch is refused with `TreeError::Full` and nothing changes; the page says so and
//! the learner can `delete` a branch they no longer want. Each branch has at most
//! `MAX_STEPS` steps, as every run.
use super::books::Invariant;
use super::run::Run;
use super::world::{Event, StepError, World};
use std::fmt;

/// The most branches a tree holds.
pub const MAX_BRANCHES: usize = 64;

/// A branch's id: 0 is the first run; ids are never reused.
pub type BranchId = u32;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TreeError {
    /// The tree has `MAX_BRANCHES` branches; a new one is refused.
    Full {
        limit: usize,
    },
    /// The event cannot be fired at the cursor.
    Step(StepError),
    NoSuchBranch(BranchId),
    /// The current branch cannot be deleted.
    Current(BranchId),
}

impl fmt::Display for TreeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TreeError::Full { limit } => write!(
                f,
                "there are already {limit} branches, the most kept: delete one to branch again"
            ),
            TreeError::Step(e) => write!(f, "{e}"),
            TreeError::NoSuchBranch(id) => write!(f, "there is no branch {id}"),
            TreeError::Current(id) => write!(f, "branch {id} is the one shown: switch first"),
        }
    }
}

impl std::error::Error for TreeError {}

/// What the branch view shows of one branch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BranchInfo {
    pub id: BranchId,
    /// The branch it split from; `None` for the first run.
    pub parent: Option<BranchId>,
    /// Steps it shares with its parent: it first differs at step `fork + 1`.
    pub fork: usize,
    /// Steps recorded.
    pub len: usize,
    /// Where the cursor is (or was, when it was last shown).
    pub cursor: usize,
    /// Whether the recording reaches the run's end (nothing more enabled).
    pub ended: bool,
    /// Whether it is the branch shown.
    pub current: bool,
    /// The first step (count of steps taken) whose state breaks one of the scenario's
    /// invariants, if any.
    pub first_violation: Option<usize>,
    /// Whether the last recorded state breaks one: the branch's status.
    pub violated: bool,
    /// Whether the last recorded state breaks one judged on the state itself (all but
    /// read-your-writes, which a past read broke for good): how the Runs panel words
    /// the status (review session 12, R17).
    pub lasting: bool,
    /// The first step whose state has read-your-writes broken, if any.
    pub ryw_at: Option<usize>,
    /// The choice that starts it, in words (`deliver m5`); empty for the first run.
    pub label: String,
}

impl BranchInfo {
    /// The contract's `data-status`: `ok` or `violated`, judged at the branch's end.
    pub fn status(&self) -> &'static str {
        if self.violated {
            "violated"
        } else {
            "ok"
        }
    }
}

#[derive(Clone, Debug)]
struct Branch {
    id: BranchId,
    parent: Option<BranchId>,
    fork: usize,
    /// The recording; kept up to date for the current branch by `sync`.
    choices: Vec<Event>,
    cursor: usize,
    ended: bool,
    /// States checked so far, and the first that broke an invariant.
    checked: usize,
    first_violation: Option<usize>,
    violated: bool,
    lasting: bool,
    ryw_at: Option<usize>,
}

#[derive(Clone, Debug)]
pub struct Tree {
    branches: Vec<Branch>,
    /// Index in `branches` of the branch shown.
    current: usize,
    run: Run,
    next_id: BranchId,
}

fn broken(run: &Run, world: &World) -> bool {
    run.scenario
        .invariants
        .iter()
        .any(|i| i.check(world).is_err())
}

/// Whether `world` breaks one of the scenario's invariants other than read-your-writes.
fn broken_now(run: &Run, world: &World) -> bool {
    run.scenario
        .invariants
        .iter()
        .any(|i| *i != Invariant::ReadYourWrites && i.check(world).is_err())
}

/// Whether `world` has read-your-writes broken (and the scenario checks it).
fn ryw_broken(run: &Run, world: &World) -> bool {
    run.scenario.invariants.contains(&Invariant::ReadYourWrites)
        && Invariant::ReadYourWrites.check(world).is_err()
}

impl Tree {
    /// A tree whose first branch is `run` (with whatever it has recorded).
    pub fn new(run: Run) -> Tree {
        let mut tree = Tree {
            branches: vec![Branch {
                id: 0,
                parent: None,
                fork: 0,
                choices: Vec::new(),
                cursor: 0,
                ended: false,
                checked: 0,
                first_violation: None,
                violated: false,
                lasting: false,
                ryw_at: None,
            }],
            current: 0,
            run,
            next_id: 1,
        };
        tree.sync();
        tree
    }

    /// The run shown: its world, records, cursor. (`Tree` also derefs to it.)
    pub fn current(&self) -> &Run {
        &self.run
    }

    pub fn current_id(&self) -> BranchId {
        self.branches[self.current].id
    }

    /// Every branch, in the order they were made (parents before children).
    pub fn branches(&self) -> Vec<BranchInfo> {
        self.branches
            .iter()
            .enumerate()
            .map(|(i, b)| BranchInfo {
                id: b.id,
                parent: b.parent,
                fork: b.fork,
                len: b.choices.len(),
                cursor: b.cursor,
                ended: b.ended,
                current: i == self.current,
                first_violation: b.first_violation,
                violated: b.violated,
                lasting: b.lasting,
                ryw_at: b.ryw_at,
                label: if b.parent.is_some() {
                    b.choices
                        .get(b.fork)
                        .map(|e| e.to_string())
                        .unwrap_or_default()
                } else {
                    String::new()
                },
            })
            .collect()
    }

    /// Brings the current branch's record up to date with its run: new steps are
    /// checked against the invariants (a branch's recording only grows).
    fn sync(&mut self) {
        let run = &self.run;
        let b = &mut self.branches[self.current];
        let recorded = run.recorded();
        if b.choices.len() != recorded {
            b.choices = run.choices();
        }
        b.cursor = run.cursor();
        for step in b.checked..=recorded {
            if let Some(w) = run.state(step) {
                if b.first_violation.is_none() && broken(run, w) {
                    b.first_violation = Some(step);
                }
                if b.ryw_at.is_none() && ryw_broken(run, w) {
                    b.ryw_at = Some(step);
                }
            }
        }
        b.checked = recorded + 1;
        b.violated = run.state(recorded).is_some_and(|w| broken(run, w));
        b.lasting = run.state(recorded).is_some_and(|w| broken_now(run, w));
        b.ended = run.total_if_ended().is_some();
    }

    pub fn forward(&mut self) -> bool {
        let moved = self.run.forward();
        self.sync();
        moved
    }

    pub fn back(&mut self) -> bool {
        let moved = self.run.back();
        self.sync();
        moved
    }

    pub fn seek(&mut self, step: usize) -> usize {
        let at = self.run.seek(step);
        self.sync();
        at
    }

    pub fn reset(&mut self) {
        self.run.reset();
        self.sync();
    }

    pub fn run_to_end(&mut self) {
        self.run.run_to_end();
        self.sync();
    }

    /// Tells the shown branch's steps taken before the narration was loaded
    /// (`Run::narrate_pending`; another branch is replayed, so told, when it is shown).
    pub fn narrate_pending(&mut self) -> bool {
        self.run.narrate_pending()
    }

    /// Fires `event` at the cursor. The same event as recorded there steps along the
    /// branch; another starts a branch (or switches to the branch that took it).
    /// Returns the id of the branch now shown.
    pub fn fire(&mut self, event: Event) -> Result<BranchId, TreeError> {
        let c = self.run.cursor();
        let recorded_next = self.run.all_records().get(c).map(|r| r.event);
        if recorded_next.is_none() || recorded_next == Some(event) {
            self.run.fire(event).map_err(TreeError::Step)?;
            self.sync();
            return Ok(self.current_id());
        }
        let prefix: Vec<Event> = self.run.all_records()[..c]
            .iter()
            .map(|r| r.event)
            .collect();
        if let Some(i) = self.branches.iter().position(|b| {
            b.choices.len() > c && b.choices[..c] == prefix[..] && b.choices[c] == event
        }) {
            let id = self.branches[i].id;
            self.switch(id)?;
            self.seek(c + 1);
            return Ok(id);
        }
        if self.branches.len() >= MAX_BRANCHES {
            return Err(TreeError::Full {
                limit: MAX_BRANCHES,
            });
        }
        let mut next = self.run.clone();
        next.truncate_future();
        next.fire(event).map_err(TreeError::Step)?;
        let parent = self.current_id();
        let id = self.next_id;
        self.next_id += 1;
        // The parent keeps its recording; its cursor stays at the fork.
        self.sync();
        let checked = c + 1;
        let first_violation = self.branches[self.current]
            .first_violation
            .filter(|s| *s <= c);
        let ryw_at = self.branches[self.current].ryw_at.filter(|s| *s <= c);
        self.branches.push(Branch {
            id,
            parent: Some(parent),
            fork: c,
            choices: Vec::new(),
            cursor: 0,
            ended: false,
            checked,
            first_violation,
            violated: false,
            lasting: false,
            ryw_at,
        });
        self.current = self.branches.len() - 1;
        self.run = next;
        self.sync();
        Ok(id)
    }

    fn index_of(&self, id: BranchId) -> Result<usize, TreeError> {
        self.branches
            .iter()
            .position(|b| b.id == id)
            .ok_or(TreeError::NoSuchBranch(id))
    }

    /// Shows branch `id`, with its cursor where it was left.
    pub fn switch(&mut self, id: BranchId) -> Result<(), TreeError> {
        let i = self.index_of(id)?;
        if i == self.current {
            return Ok(());
        }
        self.sync();
        let b = &self.branches[i];
        let mut run = self
            .run
            .replayed(&b.choices)
            .map_err(|(_, e)| TreeError::Step(e))?;
        run.reset();
        run.seek(b.cursor);
        self.run = run;
        self.current = i;
        self.sync();
        Ok(())
    }

    /// Removes branch `id` (not the one shown); its children hang from its parent.
    pub fn delete(&mut self, id: BranchId) -> Result<(), TreeError> {
        let i = self.index_of(id)?;
        if i == self.current {
            return Err(TreeError::Current(id));
        }
        let gone = self.branches.remove(i);
        if i < self.current {
            self.current -= 1;
        }
        for b in &mut self.branches {
            if b.parent == Some(id) {
                b.parent = gone.parent;
                b.fork = b.fork.min(gone.fork);
                if gone.parent.is_none() {
                    b.fork = 0;
                }
            }
        }
        // A branch with no parent left is a root: the first run is gone.
        Ok(())
    }

    /// The recorded choices of branch `id`.
    pub fn choices_of(&self, id: BranchId) -> Option<Vec<Event>> {
        let i = self.index_of(id).ok()?;
        if i == self.current {
            Some(self.run.choices())
        } else {
            Some(self.branches[i].choices.clone())
        }
    }
}

impl std::ops::Deref for Tree {
    type Target = Run;
    fn deref(&self) -> &Run {
        &self.run
    }
}
