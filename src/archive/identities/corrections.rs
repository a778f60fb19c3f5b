//! User corrections to the identity registry, one a line in a plain-text
//! file (`corrections.txt` in the index folder, or `--corrections FILE`):
//!
//! ```text
//! # merge identities: the first keeps its id, the others become aliases
//! merge p-hillary-rodham | p-hillary-clinton
//! # the stories that call p-george-bush "George W. Bush" are another person
//! split p-george-bush | George W. Bush
//! rename p-karl-otto-pohl | Karl Otto Pöhl
//! not-person Dow Jones
//! # organisations: the same verbs with o- ids (or their names)
//! merge o-united-nations | o-un
//! split o-federal-reserve | Fed
//! rename o-un | United Nations
//! not-org Reuters
//! ```
//!
//! An identity is named by its id or by a name that denotes one identity.
//! Ids say whose a line is (`p-` people, `o-` organisations); a line of
//! names only is a person's when the people have those names and an
//! organisation's otherwise ([`Correction::for_orgs`]).
//! Corrections act on the registry, which is recomputed from the index
//! whenever they change: no story is enriched again, and `--rebuild`
//! keeps the file.

use std::path::Path;

/// One correction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Correction {
    /// The identities named become the first.
    Merge(Vec<String>),
    /// Stories that give the identity this name become an identity of
    /// their own.
    Split { identity: String, form: String },
    /// A new display name.
    Rename { identity: String, name: String },
    /// A name that is not a person: dropped from people.
    NotPerson(String),
    /// A name that is not an organisation: dropped from organisations.
    NotOrg(String),
}

/// Whether an argument is an organisation's id (`o-un`) rather than a
/// name: ids have no spaces.
pub fn is_org_id(s: &str) -> bool {
    s.starts_with("o-") && s.len() > 2 && !s.contains(char::is_whitespace)
}

/// Whether an argument is a person's id (`p-james-baker`).
pub fn is_person_id(s: &str) -> bool {
    s.starts_with("p-") && s.len() > 2 && !s.contains(char::is_whitespace)
}

impl Correction {
    /// The arguments that name identities (not a split's or a rename's
    /// new name).
    pub fn identities(&self) -> Vec<&str> {
        match self {
            Correction::Merge(list) => list.iter().map(String::as_str).collect(),
            Correction::Split { identity, .. } | Correction::Rename { identity, .. } => {
                vec![identity.as_str()]
            }
            Correction::NotPerson(_) | Correction::NotOrg(_) => Vec::new(),
        }
    }

    /// Whether the line is the organisations' by its own words: `not-org`,
    /// or an `o-` id among its identities.
    pub fn for_orgs(&self) -> bool {
        matches!(self, Correction::NotOrg(_)) || self.identities().iter().any(|a| is_org_id(a))
    }

    /// Whether the line names its identities by names only (no id): such
    /// a line goes to the organisations when the people have no identity
    /// of those names.
    pub fn names_only(&self) -> bool {
        let ids = self.identities();
        !ids.is_empty() && !ids.iter().any(|a| is_org_id(a) || is_person_id(a))
    }
}

/// A correction with where it was written, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub correction: Correction,
    /// `PATH:LINE`.
    pub at: String,
}

/// Parsed corrections, and the problems of the lines that could not be read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Corrections {
    pub items: Vec<Located>,
    /// `PATH:LINE: reason`, one per malformed or inapplicable line.
    pub problems: Vec<String>,
    /// A hash of the file's content (0 when there is none), for caches.
    pub hash: u64,
}

/// The file name looked for in an index folder.
pub const FILE_NAME: &str = "corrections.txt";

impl Corrections {
    /// Reads a corrections file; a missing file is no corrections.
    pub fn read(path: &Path) -> Corrections {
        match std::fs::read(path) {
            Ok(bytes) => {
                let text = String::from_utf8_lossy(&bytes);
                let mut c = Corrections::parse(&path.display().to_string(), &text);
                c.hash = xxhash_rust::xxh3::xxh3_64(&bytes);
                c
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Corrections::default(),
            Err(e) => Corrections {
                problems: vec![format!("{}: cannot read: {e}", path.display())],
                ..Corrections::default()
            },
        }
    }

    /// Parses the text of a corrections file named `path` in messages.
    pub fn parse(path: &str, text: &str) -> Corrections {
        let mut out = Corrections {
            hash: xxhash_rust::xxh3::xxh3_64(text.as_bytes()),
            ..Corrections::default()
        };
        for (i, line) in text.lines().enumerate() {
            let at = format!("{path}:{}", i + 1);
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            match parse_line(line) {
                Ok(correction) => out.items.push(Located { correction, at }),
                Err(reason) => out.problems.push(format!("{at}: {reason}")),
            }
        }
        out
    }
}

fn parse_line(line: &str) -> Result<Correction, String> {
    let (verb, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
    let args: Vec<String> = rest
        .split('|')
        .map(|a| a.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    let nonempty = args.iter().all(|a| !a.is_empty());
    let verb = verb.to_lowercase();
    let ids = match verb.as_str() {
        "merge" => &args[..],
        "split" | "rename" => &args[..args.len().min(1)],
        _ => &[],
    };
    if ids.iter().any(|a| is_org_id(a)) && ids.iter().any(|a| is_person_id(a)) {
        return Err(format!(
            "{verb} mixes people (p-…) and organisations (o-…); one kind a line"
        ));
    }
    match verb.as_str() {
        "merge" if args.len() >= 2 && nonempty => Ok(Correction::Merge(args)),
        "merge" => Err("merge needs two or more identities: merge A | B".into()),
        "split" if args.len() == 2 && nonempty => Ok(Correction::Split {
            identity: args[0].clone(),
            form: args[1].clone(),
        }),
        "split" => Err("split needs an identity and a name: split A | NAME".into()),
        "rename" if args.len() == 2 && nonempty => Ok(Correction::Rename {
            identity: args[0].clone(),
            name: args[1].clone(),
        }),
        "rename" => Err("rename needs an identity and a name: rename A | NEW NAME".into()),
        "not-person" | "not-a-person" if args.len() == 1 && nonempty => {
            Ok(Correction::NotPerson(args[0].clone()))
        }
        "not-person" | "not-a-person" => Err("not-person needs one name: not-person NAME".into()),
        "not-org" | "not-an-org" if args.len() == 1 && nonempty => {
            Ok(Correction::NotOrg(args[0].clone()))
        }
        "not-org" | "not-an-org" => Err("not-org needs one name: not-org NAME".into()),
        other => Err(format!(
            "unknown correction '{other}' (merge, split, rename, not-person, not-org)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_parse_and_bad_ones_are_located() {
        let c = Corrections::parse(
            "idx/corrections.txt",
            "# comment\nmerge p-a | Hillary  Clinton\n\nsplit p-b | George W. Bush\nrename p-c | Karl Otto Pöhl\nnot-person Dow Jones\nmerge p-a\nfrobnicate x\n",
        );
        assert_eq!(c.items.len(), 4);
        assert_eq!(
            c.items[0].correction,
            Correction::Merge(vec!["p-a".into(), "Hillary Clinton".into()])
        );
        assert_eq!(
            c.items[3].correction,
            Correction::NotPerson("Dow Jones".into())
        );
        assert_eq!(c.items[1].at, "idx/corrections.txt:4");
        assert_eq!(c.problems.len(), 2);
        assert!(c.problems[0].starts_with("idx/corrections.txt:7: merge needs"));
        assert!(c.problems[1].starts_with("idx/corrections.txt:8: unknown correction"));
    }

    #[test]
    fn organisation_lines_are_told_apart_by_their_ids() {
        let c = Corrections::parse(
            "c.txt",
            "merge o-un | o-united-nations\nsplit o-federal-reserve | Fed\nrename o-un | United Nations\nnot-org Reuters\nmerge UN | U.N.\nmerge p-a | p-b\nmerge o-un | p-b\nnot-org\nrename p-a | o-x\n",
        );
        let kinds: Vec<(bool, bool)> = c
            .items
            .iter()
            .map(|l| (l.correction.for_orgs(), l.correction.names_only()))
            .collect();
        assert_eq!(
            kinds,
            [
                (true, false),
                (true, false),
                (true, false),
                (true, false),
                (false, true),
                (false, false),
                // A new name that looks like an id does not make the line
                // an organisation's.
                (false, false),
            ]
        );
        assert_eq!(c.items[3].correction, Correction::NotOrg("Reuters".into()));
        assert_eq!(c.problems.len(), 2, "{:?}", c.problems);
        assert!(c.problems[0].starts_with("c.txt:7: merge mixes people"));
        assert!(c.problems[1].starts_with("c.txt:8: not-org needs one name"));
    }
}
