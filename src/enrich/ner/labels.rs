//! IOB2 labels and their compact indices.

use super::EntityKind;

/// Number of labels: `O` plus B- and I- for four entity kinds.
pub const NUM_LABELS: usize = 9;
/// Pseudo-label for "before the sentence start" in history features.
pub const START: u8 = NUM_LABELS as u8;

/// One IOB2 tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tag {
    /// Outside any entity.
    O,
    /// First token of an entity.
    B(EntityKind),
    /// Continuation of an entity.
    I(EntityKind),
}

const KINDS: [EntityKind; 4] = [
    EntityKind::Person,
    EntityKind::Location,
    EntityKind::Organization,
    EntityKind::Misc,
];

impl EntityKind {
    /// The CoNLL type name.
    pub fn conll(self) -> &'static str {
        match self {
            EntityKind::Person => "PER",
            EntityKind::Location => "LOC",
            EntityKind::Organization => "ORG",
            EntityKind::Misc => "MISC",
        }
    }

    fn from_conll(s: &str) -> Option<EntityKind> {
        KINDS.into_iter().find(|k| k.conll() == s)
    }

    fn index(self) -> u8 {
        KINDS.iter().position(|&k| k == self).unwrap() as u8
    }
}

impl Tag {
    /// Dense index in `0..NUM_LABELS`.
    pub fn index(self) -> u8 {
        match self {
            Tag::O => 0,
            Tag::B(k) => 1 + 2 * k.index(),
            Tag::I(k) => 2 + 2 * k.index(),
        }
    }

    /// Inverse of [`Tag::index`].
    pub fn from_index(i: u8) -> Tag {
        match i {
            0 => Tag::O,
            i if (i as usize) < NUM_LABELS => {
                let k = KINDS[((i - 1) / 2) as usize];
                if (i - 1) % 2 == 0 {
                    Tag::B(k)
                } else {
                    Tag::I(k)
                }
            }
            _ => panic!("label index {i} out of range"),
        }
    }

    /// The entity kind, if any.
    pub fn kind(self) -> Option<EntityKind> {
        match self {
            Tag::O => None,
            Tag::B(k) | Tag::I(k) => Some(k),
        }
    }

    /// Parses `O`, `B-PER`, `I-LOC`, …
    pub fn parse(s: &str) -> Option<Tag> {
        if s == "O" {
            return Some(Tag::O);
        }
        let (prefix, kind) = s.split_once('-')?;
        let kind = EntityKind::from_conll(kind)?;
        match prefix {
            "B" => Some(Tag::B(kind)),
            "I" => Some(Tag::I(kind)),
            _ => None,
        }
    }

    /// The CoNLL spelling, e.g. `B-PER`.
    pub fn conll(self) -> String {
        match self {
            Tag::O => "O".to_string(),
            Tag::B(k) => format!("B-{}", k.conll()),
            Tag::I(k) => format!("I-{}", k.conll()),
        }
    }
}

/// Rewrites an IOB1 sequence (entities start with I-, B- only between two
/// adjacent entities of one type) as IOB2 (every entity starts with B-).
pub fn iob1_to_iob2(tags: &mut [Tag]) {
    let mut prev = Tag::O;
    for t in tags.iter_mut() {
        if let Tag::I(k) = *t {
            if prev.kind() != Some(k) {
                *t = Tag::B(k);
            }
        }
        prev = *t;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_round_trip() {
        for i in 0..NUM_LABELS as u8 {
            assert_eq!(Tag::from_index(i).index(), i);
            assert_eq!(
                Tag::parse(&Tag::from_index(i).conll()),
                Some(Tag::from_index(i))
            );
        }
    }

    #[test]
    fn iob1_becomes_iob2() {
        let mut t: Vec<Tag> = ["I-PER", "I-PER", "B-PER", "O", "I-LOC", "I-ORG"]
            .iter()
            .map(|s| Tag::parse(s).unwrap())
            .collect();
        iob1_to_iob2(&mut t);
        let s: Vec<String> = t.iter().map(|t| t.conll()).collect();
        assert_eq!(s, ["B-PER", "I-PER", "B-PER", "O", "B-LOC", "B-ORG"]);
    }
}
