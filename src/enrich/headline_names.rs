//! Names that a headline in capitals puts before its verb.
//!
//! Wire briefs are often nothing but a headline in capitals ("TREASURY'S
//! BAKER SAYS PARIS PACT ONLY A START"), where the tagger, trained on
//! mixed-case text, finds no person or calls one an organisation. Such a
//! headline's grammar still marks its subject: the words before a
//! reporting verb. Those words are kept as *hints*, not as people: only
//! the archive knows whether "BAKER" is a person (it is the surname of
//! someone named in full elsewhere) or "WHITE HOUSE" is not, so the
//! identity registry ([`crate::archive::identities`]) decides.

use crate::enrich::people::is_title;

/// Words that end a headline's subject: its verb.
const VERBS: &[&str] = &[
    "SAYS",
    "SAY",
    "SAID",
    "SEES",
    "SEE",
    "URGES",
    "URGE",
    "WARNS",
    "WARN",
    "TO",
    "WANTS",
    "CALLS",
    "ASKS",
    "PREDICTS",
    "EXPECTS",
    "FORECASTS",
    "OPPOSES",
    "OPPOSE",
    "REITERATES",
    "DENIES",
    "BACKS",
    "BACK",
    "REJECTS",
    "REJECT",
    "PLEDGES",
    "VOWS",
    "HOPES",
    "SIGNS",
    "VETOES",
    "MEETS",
    "MEET",
    "NAMES",
    "NOMINATES",
    "SUPPORTS",
    "PROPOSES",
    "DEFENDS",
    "CRITICIZES",
    "CRITICISES",
    "ATTACKS",
    "WELCOMES",
    "DISMISSES",
    "ANNOUNCES",
    "THREATENS",
    "PRAISES",
    "BLAMES",
    "INSISTS",
    "CONFIRMS",
    "AGREES",
    "AGREE",
    "PLANS",
    "SEEKS",
    "ADMITS",
    "HINTS",
    "FAVORS",
    "FAVOURS",
    "DOUBTS",
    "OFFERS",
    "ACCEPTS",
    "RESIGNS",
    "QUITS",
    "ARRIVES",
    "LEAVES",
    "VISITS",
    "TALKS",
    "HAS",
    "IS",
    "WILL",
    "WOULD",
    "MAY",
    "SHOULD",
    "ASSURES",
    "RULES",
    "STRESSES",
    "APPEALS",
    "APPROVES",
    "ORDERS",
    "DECLINES",
    "REFUSES",
    "CITES",
    "NOTES",
    "DISCUSS",
    "DISCUSSES",
    "ENDORSES",
    "EXPLAINS",
    "FEARS",
    "GIVES",
    "GETS",
    "SUGGESTS",
    "TELLS",
    "CONCEDES",
    "RULES",
];

/// Words that cannot be part of a name in a headline.
const STOP: &[&str] = &[
    "THE",
    "A",
    "AN",
    "OF",
    "IN",
    "ON",
    "FOR",
    "AT",
    "BY",
    "WITH",
    "FROM",
    "AS",
    "U.S.",
    "US",
    "UK",
    "NEW",
    "NO",
    "NOT",
    "IT",
    "HE",
    "SHE",
    "THEY",
    "WE",
    "OFFICIAL",
    "OFFICIALS",
    "SOURCES",
    "GROUP",
    "BANK",
    "BANKS",
    "JAPAN",
    "WORLD",
    "TALKS",
    "TRADE",
    "MARKET",
    "DEBT",
];

/// Longest name taken from a headline, in words.
const MAX_WORDS: usize = 3;

/// The subjects of a story's capitalised headline and of a body that
/// repeats it in capitals: each a name of one to three words as written
/// ("BAKER", "HOWARD BAKER"), without duplicates. Mixed-case text gives
/// none: the tagger reads it well.
pub fn hints(headline: Option<&str>, body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let lead = body.split("\n\n").next().unwrap_or("");
    for text in [headline.unwrap_or(""), lead] {
        if !is_capitals(text) {
            continue;
        }
        for name in subjects(text) {
            if !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}

/// Whether text is a capitalised headline: letters, none lowercase.
fn is_capitals(text: &str) -> bool {
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 6 && !text.chars().any(char::is_lowercase)
}

fn subjects(text: &str) -> Vec<String> {
    let words: Vec<&str> = text
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| "\"“”,;:()[]<>".contains(c)))
        .collect();
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        if i == 0 || !VERBS.contains(w) {
            continue;
        }
        // Back from the verb while the words can be a name; a possessive
        // ("TREASURY'S") owns the name and ends it.
        let mut start = i;
        while start > 0 {
            let prev = words[start - 1];
            if !is_name_word(prev) {
                break;
            }
            start -= 1;
        }
        let run = &words[start..i];
        for name in run.split(|w| *w == "AND" || *w == "&") {
            if (1..=MAX_WORDS).contains(&name.len()) {
                out.push(name.join(" "));
            }
        }
    }
    out
}

fn is_name_word(w: &str) -> bool {
    if w == "AND" || w == "&" {
        return true;
    }
    let letters = w.chars().all(|c| c.is_alphabetic() || c == '-' || c == '.');
    letters
        && w.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && !w.ends_with('.')
        && !STOP.contains(&w)
        && !VERBS.contains(&w)
        && !is_title(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_before_verbs() {
        assert_eq!(
            hints(Some("TREASURY'S BAKER SAYS PARIS PACT ONLY A START"), ""),
            ["BAKER"]
        );
        assert_eq!(
            hints(Some("WHITE HOUSE SAYS REAGAN TO MAKE ANNOUNCEMENT"), ""),
            ["REAGAN"]
        );
        assert_eq!(
            hints(Some("BAKER AND VOLCKER SAY DOLLAR STABLE"), ""),
            ["BAKER", "VOLCKER"]
        );
        assert_eq!(
            hints(
                Some("WHITE HOUSE'S HOWARD BAKER SAYS REAGAN TO ADDRESS NATION"),
                ""
            ),
            ["HOWARD BAKER", "REAGAN"]
        );
        assert_eq!(hints(Some("TREASURY SECRETARY BAKER SAYS"), ""), ["BAKER"]);
    }

    #[test]
    fn mixed_case_gives_nothing() {
        assert!(hints(Some("Baker says dollar stable"), "Baker said.").is_empty());
        assert!(hints(Some("OIL PRICES RISE"), "").is_empty());
    }
}
