//! Where sentences and paragraphs end in news text, shared by the body
//! analyzer (which leaves a marked gap in the positions there) and the
//! snippets (which show whole sentences), so both agree.

/// Words after which a period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "gen", "sen", "rep", "gov", "lt", "col", "sgt", "capt", "prof",
    "jan", "feb", "aug", "sept", "oct", "nov", "dec", "corp", "inc", "co", "ltd", "jr", "no", "vs",
    "mt", "ft", "pres",
];

/// Whether the `.`/`!`/`?` at byte `at` ends a sentence: followed by space
/// and a capital, digit or quote, and not after an abbreviation or initial.
pub fn ends_sentence(text: &str, at: usize) -> bool {
    let after = text[at + 1..].trim_start_matches(['"', '”', '’', '\'', ')']);
    let rest = after.trim_start();
    if rest.len() == after.len() && !rest.is_empty() {
        return false;
    }
    if !rest.is_empty() {
        let next = rest.chars().next().expect("not empty");
        if !(next.is_uppercase()
            || next.is_ascii_digit()
            || matches!(next, '"' | '“' | '‘' | '\'' | '('))
        {
            return false;
        }
    }
    if text[at..].starts_with('.') {
        let before = &text[..at];
        let start = before
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphabetic())
            .last()
            .map_or(at, |(i, _)| i);
        let word = &before[start..];
        if word.chars().count() == 1 || ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word)) {
            return false;
        }
    }
    true
}

/// Whether the `\n` at byte `at` starts a blank line: a paragraph break.
pub fn paragraph_break(text: &str, at: usize) -> bool {
    text[at..].starts_with('\n')
        && text[at + 1..]
            .trim_start_matches([' ', '\t', '\r'])
            .starts_with('\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ends(text: &str) -> Vec<usize> {
        text.char_indices()
            .filter(|&(i, c)| matches!(c, '.' | '!' | '?') && ends_sentence(text, i))
            .map(|(i, _)| i)
            .collect()
    }

    #[test]
    fn abbreviations_and_initials_do_not_end_sentences() {
        assert_eq!(ends("Mr. Smith met Gen. Jones. Then"), [24]);
        assert_eq!(ends("John F. Kennedy spoke! \"Yes,\" he said."), [21, 37]);
        assert!(ends("prices rose 3.5 percent. ok").is_empty());
    }

    #[test]
    fn blank_lines_break_paragraphs() {
        let t = "one\n\ntwo\n \nthree\nfour";
        let at: Vec<usize> = (0..t.len()).filter(|&i| paragraph_break(t, i)).collect();
        assert_eq!(at, [3, 8]);
    }
}
