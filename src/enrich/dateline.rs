//! Datelines: the place, date and agency that open a wire story.
//!
//! Parses the conventions at the start of a lead — `MOSCOW —`,
//! `MOSCOW (AP) —`, `BEIRUT, Lebanon (AP) —`, `UNITED NATIONS (AP) --`,
//! `WASHINGTON, Dec. 29 (Reuters) -`, `LONDON, March 3 -` — and the
//! separate DATELINE fields of markup, which use the same shapes.

/// A dateline as parsed, before the place is resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedDateline {
    /// Place and qualifier as written: `BEIRUT, Lebanon`.
    pub text: String,
    /// The place as written: `BEIRUT`.
    pub place: String,
    /// What follows the place: a country, state or province (`Lebanon`, `Ill.`).
    pub qualifier: Option<String>,
    /// Month and day, when the dateline gives them.
    pub month_day: Option<(u32, u32)>,
    /// The agency in parentheses: `AP`, `Reuters`.
    pub agency: Option<String>,
    /// Byte offset in the lead where the story proper starts.
    pub end: usize,
}

/// Longest place part considered, in bytes: datelines are short.
const MAX_PLACE: usize = 60;

/// Parses a dateline at the start of a lead. A dash separator is required
/// there, so that an ordinary sentence is never taken for a dateline.
pub fn parse_lead(lead: &str) -> Option<ParsedDateline> {
    parse(lead, true)
}

/// Parses a dateline given on its own (markup fields), where the separator
/// is optional.
pub fn parse_field(field: &str) -> Option<ParsedDateline> {
    parse(field.trim(), false)
}

fn parse(s: &str, need_separator: bool) -> Option<ParsedDateline> {
    // Markup fields also write places in mixed case (`Toronto, Feb 26`).
    let (place, mut rest) = if need_separator {
        place_part(s)?
    } else {
        field_place_part(s)?
    };
    let mut qualifier = None;
    let mut month_day = None;
    let mut agency = None;
    // Up to two comma-separated parts: a qualifier and/or a date.
    // Up to two parts after the place: a qualifier and/or a date. Leads
    // separate them with commas; fields are looser (`DETROIT June 18`,
    // `LOUISVILLE, Colo. - March 16`, `WASHINGTON, June 19, -`).
    for _ in 0..2 {
        let after = match rest.strip_prefix(',') {
            Some(a) => a.trim_start(),
            None if !need_separator => {
                let t = rest.trim_start();
                t.strip_prefix("- ").unwrap_or(t).trim_start()
            }
            None => break,
        };
        if let Some((md, r)) = month_day_part(after) {
            month_day = Some(md);
            rest = r;
        } else if qualifier.is_none() && (need_separator || rest.starts_with(',')) {
            let Some((q, r)) = qualifier_part(after, need_separator) else {
                if need_separator {
                    return None;
                }
                break;
            };
            qualifier = Some(q.to_string());
            rest = r;
            // `RICHMOND, Va. Feb 26`: a date may follow without a comma.
            if let Some((md, r)) = month_day_part(rest.trim_start()) {
                month_day = Some(md);
                rest = r;
            }
        } else {
            break;
        }
    }
    let trimmed = rest.trim_start();
    if let Some(inner) = trimmed.strip_prefix('(') {
        let close = inner.find(')')?;
        let name = inner[..close].trim();
        let words = name.split_whitespace().count();
        if words == 0 || words > 2 || name.len() > 30 || name.contains(|c: char| c.is_ascii_digit())
        {
            return None;
        }
        agency = Some(name.to_string());
        rest = &inner[close + 1..];
    }
    let after_sep = separator(rest);
    let end = match after_sep {
        Some(r) => s.len() - r.len(),
        // A field may run on into the story; what follows is not ours.
        None if !need_separator => s.len(),
        None => return None,
    };
    let text = match &qualifier {
        Some(q) => format!("{place}, {q}"),
        None => place.to_string(),
    };
    Some(ParsedDateline {
        text,
        place: place.to_string(),
        qualifier,
        month_day,
        agency,
        end,
    })
}

/// The place in capitals at the start: `MOSCOW`, `ST. PETERSBURG`,
/// `UNITED NATIONS`, `RIO DE JANEIRO`.
fn place_part(s: &str) -> Option<(&str, &str)> {
    let end = s
        .char_indices()
        .find(|&(_, c)| !(c.is_uppercase() || matches!(c, ' ' | '.' | '\'' | '’' | '-')))
        .map_or(s.len(), |(i, _)| i);
    let mut place = s[..end].trim_end();
    // A trailing dash belongs to the separator, not the place.
    place = place.trim_end_matches(['-', ' ']);
    let letters = place.chars().filter(|c| c.is_alphabetic()).count();
    // Place names run to four words (BANDAR SERI BEGAWAN); more is a
    // headline in capitals.
    let words = place.split_whitespace().count();
    if letters < 2 || words > 4 || place.len() > MAX_PLACE || !place.starts_with(char::is_uppercase)
    {
        return None;
    }
    Some((place, &s[place.len()..]))
}

/// The place of a markup field: everything up to a comma, parenthesis or
/// dash, starting with a capital.
fn field_place_part(s: &str) -> Option<(&str, &str)> {
    let end = s.find([',', '(']).unwrap_or(s.len());
    let end = s[..end].find(" -").unwrap_or(end);
    // `JOHANNESBURG March 13`: the date may follow without a comma.
    let end = s[..end]
        .char_indices()
        .filter(|&(_, c)| c == ' ')
        .map(|(i, _)| i)
        .find(|&i| month_day_part(&s[i + 1..]).is_some())
        .unwrap_or(end);
    let place = s[..end].trim_end().trim_end_matches('-').trim_end();
    let ok = place.starts_with(char::is_alphabetic)
        && month_day_part(place).is_none()
        && place.len() <= MAX_PLACE
        && place.split_whitespace().count() <= 5
        && !place.chars().any(|c| c.is_ascii_digit());
    ok.then(|| (place, &s[place.len()..]))
}

/// A qualifier: one to three capitalised words (`Lebanon`, `N.Y.`,
/// `South Korea`, `Ill.`).
fn qualifier_part(s: &str, strict: bool) -> Option<(&str, &str)> {
    let end = s
        .char_indices()
        .find(|&(_, c)| !(c.is_alphabetic() || matches!(c, ' ' | '.' | '\'' | '’' | '-')))
        .map_or(s.len(), |(i, _)| i);
    let mut q = s[..end].trim_end().trim_end_matches(['-', ' ']);
    // Stop before a date: `Va. Feb 26`.
    if let Some(i) = q
        .char_indices()
        .filter(|&(_, c)| c == ' ')
        .map(|(i, _)| i)
        .find(|&i| month_day_part(&s[i + 1..]).is_some())
    {
        q = q[..i].trim_end_matches(['-', ' ']);
    }
    let words: Vec<&str> = q.split_whitespace().collect();
    // `the Netherlands`: an article may open the name.
    let named = &words[usize::from(words.first() == Some(&"the"))..];
    let capitalised = |w: &&str| w.starts_with(char::is_uppercase) || !strict;
    if named.is_empty() || words.len() > 3 || !named.iter().all(capitalised) {
        return None;
    }
    Some((q, &s[q.len()..]))
}

const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sept", 9),
    ("sep", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
];

/// `Dec. 29`, `Feb 26`, `March 3`, and the European `2 March`.
fn month_day_part(s: &str) -> Option<((u32, u32), &str)> {
    let digits = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    if digits > 0 {
        let day: u32 = s[..digits].parse().ok()?;
        let rest = s[digits..].trim_start();
        let word_end = rest
            .find(|c: char| !c.is_alphabetic())
            .unwrap_or(rest.len());
        let word = rest[..word_end].to_lowercase();
        let month = MONTHS.iter().find(|(name, _)| *name == word)?.1;
        let after = &rest[word_end..];
        return (1..=31)
            .contains(&day)
            .then_some(((month, day), after.strip_prefix('.').unwrap_or(after)));
    }
    let word_end = s.find(|c: char| !c.is_alphabetic()).unwrap_or(s.len());
    let word = s[..word_end].to_lowercase();
    let month = MONTHS.iter().find(|(name, _)| *name == word)?.1;
    let rest = s[word_end..]
        .strip_prefix('.')
        .unwrap_or(&s[word_end..])
        .trim_start();
    let digits = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    let day: u32 = rest[..digits].parse().ok()?;
    (1..=31)
        .contains(&day)
        .then_some(((month, day), &rest[digits..]))
}

/// Skips a dateline separator: an em or en dash, `--` or ` - `.
fn separator(s: &str) -> Option<&str> {
    let t = s.trim_start();
    for sep in ["—", "–", "--", "-", "―"] {
        if let Some(r) = t.strip_prefix(sep) {
            // A hyphen separates only with spaces around it (`-6` is a number).
            if sep == "-"
                && !(s.starts_with(' ') && (r.is_empty() || r.starts_with(char::is_whitespace)))
            {
                return None;
            }
            return Some(r.trim_start());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> ParsedDateline {
        parse_lead(s).unwrap_or_else(|| panic!("no dateline in {s:?}"))
    }

    #[test]
    fn wire_conventions() {
        let d = p("MOSCOW — Russia’s foreign minister said");
        assert_eq!((d.place.as_str(), d.agency.as_deref()), ("MOSCOW", None));
        assert_eq!(&"MOSCOW — Russia’s"[d.end..], "Russia’s");

        let d = p("MOSCOW (AP) — Russia’s");
        assert_eq!(d.agency.as_deref(), Some("AP"));

        let d = p("BEIRUT, Lebanon (AP) — Syrian");
        assert_eq!(d.text, "BEIRUT, Lebanon");
        assert_eq!(d.qualifier.as_deref(), Some("Lebanon"));

        let d = p("UNITED NATIONS (AP) -- The Security Council");
        assert_eq!(d.place, "UNITED NATIONS");

        let d = p("WASHINGTON, Dec. 29 (Reuters) - The");
        assert_eq!(
            (d.month_day, d.agency.as_deref()),
            (Some((12, 29)), Some("Reuters"))
        );

        let d = p("LONDON, March 3 - Shares");
        assert_eq!(d.month_day, Some((3, 3)));

        let d = p("SPRINGFIELD, Ill. (AP) — Lawmakers");
        assert_eq!(d.qualifier.as_deref(), Some("Ill."));

        let d = p("ST. PETERSBURG, Russia — A");
        assert_eq!(d.place, "ST. PETERSBURG");
    }

    #[test]
    fn markup_fields() {
        let d = parse_field("    SALVADOR, Feb 26 - ").unwrap();
        assert_eq!((d.text.as_str(), d.month_day), ("SALVADOR", Some((2, 26))));
        let d = parse_field("NEW YORK, March 2").unwrap();
        assert_eq!(d.place, "NEW YORK");
        let d = parse_field("PORTLAND, Ore., Feb 26 -").unwrap();
        assert_eq!(
            (d.qualifier.as_deref(), d.month_day),
            (Some("Ore."), Some((2, 26)))
        );
        let d = parse_field("RICHMOND, Va. Feb 26 -\n").unwrap();
        assert_eq!(
            (d.qualifier.as_deref(), d.month_day),
            (Some("Va."), Some((2, 26)))
        );
        let d = parse_field("Scarborough, Ontario, Feb 26 -").unwrap();
        assert_eq!(
            (d.text.as_str(), d.month_day),
            ("Scarborough, Ontario", Some((2, 26)))
        );
        let d = parse_field("AMSTERDAM, 2 March - ").unwrap();
        assert_eq!(d.month_day, Some((3, 2)));
        let d = parse_field("ARNHEM, the Netherlands, April 1 - ").unwrap();
        assert_eq!(d.qualifier.as_deref(), Some("the Netherlands"));
        let d = parse_field("omaha, april 7 - ").unwrap();
        assert_eq!((d.place.as_str(), d.month_day), ("omaha", Some((4, 7))));
        let d = parse_field("JOHANNESBURG March 13 -\n    ").unwrap();
        assert_eq!(
            (d.place.as_str(), d.month_day),
            ("JOHANNESBURG", Some((3, 13)))
        );
        let d = parse_field("WASHINGTON, June 19, - ").unwrap();
        assert_eq!(d.month_day, Some((6, 19)));
        let d = parse_field("LOUISVILLE, Colo. - March 16 - ").unwrap();
        assert_eq!(
            (d.qualifier.as_deref(), d.month_day),
            (Some("Colo."), Some((3, 16)))
        );
        assert!(
            parse_field(" APRIL 7  - ").is_none(),
            "a date alone has no place"
        );
        let d = parse_field("MONTREAL, Feb 26-").unwrap();
        assert_eq!(d.month_day, Some((2, 26)));
        let d = parse_field("RIO DE JANEIRO, Feb 26 - Brazil's \"Cruzado\" anti-").unwrap();
        assert_eq!(d.place, "RIO DE JANEIRO");
    }

    #[test]
    fn ordinary_sentences_are_not_datelines() {
        for s in [
            "The minister said — quietly — that",
            "A man was killed - police said",
            "I — we — they",
            "NATO said on Friday that",
            "ZIMBABWE MAIZE HARVEST LOWER AFTER BUMPER CROPS HARARE, March 3 - Zimbabwe",
            "TOKYO RUBBER (YEN PER KILO) - APRIL 07",
            "VOLCKER REAFFIRMS G -6 NEGOTIATING",
            "US-led forces",
            "",
            "—",
            "(AP) — x",
        ] {
            assert!(parse_lead(s).is_none(), "{s:?}");
        }
    }
}
