//! The visited set: one 16-byte node per distinct state (its fingerprint, the node it
//! was first reached from, and which of that node's actions led here), found by an
//! open-addressing table of node indices. Nodes live in fixed-size chunks, so growing
//! never copies them and never holds twice their memory.

/// Nodes per chunk (256 KiB each).
const CHUNK: usize = 1 << 14;

/// A table slot holds the node's index + 1 in its low `INDEX_BITS` bits and, above,
/// the top bits of the node's fingerprint (its tag): a probe reads a node (a second
/// cache miss) only when the tags match, about one in 64 of the other nodes it meets.
const INDEX_BITS: u32 = 26;
const INDEX_MASK: u32 = (1 << INDEX_BITS) - 1;

/// What `Visited::probe` found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Probe {
    /// The node of this fingerprint.
    Found(u32),
    /// No node has it; this empty slot is where it goes.
    Empty(usize),
}

#[derive(Clone, Copy, Debug)]
pub struct Node {
    pub fingerprint: u64,
    /// The index of the node this state was first reached from (itself for the start).
    pub parent: u32,
    /// The position of the action, in the parent's action list, that led here.
    pub choice: u32,
}

#[derive(Default)]
pub struct Visited {
    chunks: Vec<Vec<Node>>,
    len: usize,
    /// Node index + 1 per slot (0 is empty), with its fingerprint's tag above
    /// (`INDEX_BITS`). Its length is a power of two, and at most three quarters of it
    /// is used.
    table: Vec<u32>,
}

/// A fingerprint's tag, in a slot's high bits.
fn tag(fingerprint: u64) -> u32 {
    ((fingerprint >> (64 - (32 - INDEX_BITS))) as u32) << INDEX_BITS
}

impl Visited {
    /// The most nodes a set holds (the search's bound on states is kept below it).
    pub const CAPACITY: usize = INDEX_MASK as usize - 1;

    pub fn new() -> Visited {
        Visited {
            chunks: Vec::new(),
            len: 0,
            table: vec![0; 1024],
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn get(&self, index: u32) -> Node {
        let i = index as usize;
        self.chunks[i / CHUNK][i % CHUNK]
    }

    /// Bytes held, chunks and table together.
    pub fn bytes(&self) -> usize {
        self.chunks.len() * CHUNK * std::mem::size_of::<Node>() + self.table.len() * 4
    }

    fn slot_of(&self, fingerprint: u64) -> usize {
        // The fingerprint is already a hash; mix it once more so that models with weak
        // fingerprints still spread.
        let h = fingerprint.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (h >> 32) as usize & (self.table.len() - 1)
    }

    pub fn contains(&self, fingerprint: u64) -> bool {
        self.find(fingerprint).is_some()
    }

    /// The index of the node with `fingerprint`, if there is one.
    pub fn find(&self, fingerprint: u64) -> Option<u32> {
        let mask = self.table.len() - 1;
        let mut slot = self.slot_of(fingerprint);
        let t = tag(fingerprint);
        // Bounded: the table always has an empty slot (it is at most 3/4 full).
        loop {
            match self.table[slot] {
                0 => return None,
                x if x & !INDEX_MASK == t
                    && self.get((x & INDEX_MASK) - 1).fingerprint == fingerprint =>
                {
                    return Some((x & INDEX_MASK) - 1)
                }
                _ => slot = (slot + 1) & mask,
            }
        }
    }

    /// Adds `node` unless a node with its fingerprint is there; returns the new index,
    /// or `None` if it was already visited.
    pub fn insert(&mut self, node: Node) -> Option<u32> {
        match self.probe(node.fingerprint) {
            Probe::Found(_) => None,
            Probe::Empty(slot) => Some(self.insert_at(slot, node)),
        }
    }

    /// Where `fingerprint` is, or the empty slot where it would go, after making
    /// room for one more node: a search looks a successor up once, and inserts it
    /// there if it is new (`insert_at`, before any other insert).
    pub fn probe(&mut self, fingerprint: u64) -> Probe {
        if (self.len + 1) * 4 > self.table.len() * 3 {
            self.grow();
        }
        let mask = self.table.len() - 1;
        let mut slot = self.slot_of(fingerprint);
        let t = tag(fingerprint);
        // Bounded: the table always has an empty slot (it is at most 3/4 full).
        loop {
            match self.table[slot] {
                0 => return Probe::Empty(slot),
                x if x & !INDEX_MASK == t
                    && self.get((x & INDEX_MASK) - 1).fingerprint == fingerprint =>
                {
                    return Probe::Found((x & INDEX_MASK) - 1)
                }
                _ => slot = (slot + 1) & mask,
            }
        }
    }

    /// Adds `node` at `slot`, the empty slot `probe` just gave for its fingerprint;
    /// returns its index.
    pub fn insert_at(&mut self, slot: usize, node: Node) -> u32 {
        debug_assert_eq!(self.table[slot], 0);
        assert!(self.len < Visited::CAPACITY, "the visited set is full");
        let index = self.len as u32;
        if self.len % CHUNK == 0 {
            self.chunks.push(Vec::with_capacity(CHUNK));
        }
        self.chunks[self.len / CHUNK].push(node);
        self.len += 1;
        self.table[slot] = (index + 1) | tag(node.fingerprint);
        index
    }

    fn grow(&mut self) {
        let size = self.table.len() * 2;
        self.table = vec![0; size];
        let mask = size - 1;
        for index in 0..self.len as u32 {
            let fingerprint = self.get(index).fingerprint;
            let mut slot = self.slot_of(fingerprint);
            while self.table[slot] != 0 {
                slot = (slot + 1) & mask;
            }
            self.table[slot] = (index + 1) | tag(fingerprint);
        }
    }
}
