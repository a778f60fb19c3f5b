//! What shape a story's text has: running prose, a brief, a table or a
//! list.
//!
//! Wire archives file results, standings and market reports as stories
//! whose body is a table. Dateline never drops a story for its shape; it
//! describes the shape instead, so that a researcher can leave tables out of
//! a count (`-kind:table`) rather than lose them.

use std::fmt;

/// The shape of a story's body.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Running prose.
    #[default]
    Story,
    /// A few sentences, or a headline alone.
    Brief,
    /// Mostly rows of figures or names: results, standings, prices.
    Table,
    /// One short item a line: a list of names or codes.
    List,
}

impl Kind {
    /// Every kind, in the order they are documented.
    pub const ALL: [Kind; 4] = [Kind::Story, Kind::Brief, Kind::Table, Kind::List];

    /// The name stored with each article and searched by `kind:`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Story => "story",
            Kind::Brief => "brief",
            Kind::Table => "table",
            Kind::List => "list",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Fewer words of prose than this make a brief.
const BRIEF_WORDS: usize = 50;

/// Least number of lines before a body can be judged a table or a list.
const MIN_ROWS: usize = 4;

/// Below this share of prose lines, a body is a table (or a list).
const MAX_TABLE_PROSE: f64 = 0.4;

/// Share of lines of one to three words (no figures) that makes a list
/// rather than a table.
const MIN_LIST_SHARE: f64 = 0.8;

/// Describes a body from its lines as the source laid them out (before
/// whitespace is folded, so that table rows are still rows).
pub fn describe<'a>(lines: impl IntoIterator<Item = &'a str>) -> Kind {
    let mut rows = 0usize;
    let mut prose = 0usize;
    let mut short = 0usize;
    let mut prose_words = 0usize;
    for line in lines {
        let tokens = line.split_whitespace().count();
        if tokens == 0 {
            continue;
        }
        rows += 1;
        let words = line.split_whitespace().filter(|w| is_word(w)).count();
        if words >= 5 && words * 3 >= tokens * 2 {
            prose += 1;
            prose_words += words;
        }
        // An item of a list is a name or a code, not a figure.
        if tokens <= 3 && words == tokens {
            short += 1;
        }
    }
    if rows >= MIN_ROWS && (prose as f64) < rows as f64 * MAX_TABLE_PROSE {
        if short as f64 >= rows as f64 * MIN_LIST_SHARE {
            return Kind::List;
        }
        return Kind::Table;
    }
    if prose_words < BRIEF_WORDS {
        return Kind::Brief;
    }
    Kind::Story
}

/// A token made mostly of letters: a word, not a figure or a code.
fn is_word(token: &str) -> bool {
    let mut letters = 0usize;
    let mut all = 0usize;
    for c in token.chars() {
        all += 1;
        letters += usize::from(c.is_alphabetic());
    }
    letters * 2 > all
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str) -> Kind {
        describe(text.lines())
    }

    #[test]
    fn running_prose_is_a_story() {
        let para = "The envoy met the foreign minister in Moscow on Saturday and said the talks would go on. ";
        assert_eq!(kind(&para.repeat(6)), Kind::Story);
        let mut lines = para.repeat(3);
        lines.push_str("\nArsenal 2 Chelsea 1\n");
        assert_eq!(kind(&lines), Kind::Story);
    }

    #[test]
    fn a_few_sentences_or_a_headline_are_a_brief() {
        assert_eq!(kind("Bank raises rates by half a point"), Kind::Brief);
        assert_eq!(
            kind("The central bank raised its main rate by half a point on Monday, it said."),
            Kind::Brief
        );
    }

    #[test]
    fn results_standings_and_prices_are_tables() {
        let standings = "Results of league matches on Saturday:\n\
            Northfield 3 Easton 1\nRiverside 0 Hillcrest 0\nPort Alva 2 Kingsmere 2\n\
            Standings (played, won, drawn, lost, points):\nNorthfield 10 8 1 1 25\nRiverside 10 6 3 1 21\n";
        assert_eq!(kind(standings), Kind::Table);
        let prices = "Closing prices in cents a bushel:\nWheat   Mar 312.50  up 2.25\nCorn    Mar 245.00  dn 1.00\nSoybeans Mar 601.75 unch\nOats    Mar 150.25  up 0.50\n";
        assert_eq!(kind(prices), Kind::Table);
    }

    #[test]
    fn one_item_a_line_is_a_list() {
        assert_eq!(kind(&"amex\nase\nasx\nnyse\n".repeat(4)), Kind::List);
        assert_eq!(
            kind("James Baker\nNigel Lawson\nPaul Volcker\nKarl Otto Poehl\nAlan Greenspan\n"),
            Kind::List
        );
    }
}
