//! Credit lines that close a story ("Jim Heintz contributed to this
//! report.", "Reporting by …; Editing by …"): their names go to the byline,
//! never to the people the story mentions.

/// The longest paragraph considered a credit line, in bytes.
const MAX_CREDIT: usize = 400;

/// Splits trailing credit paragraphs off a body. Returns the body without
/// them and the names they credit.
pub fn split(body: &str) -> (String, Vec<String>) {
    let mut paragraphs: Vec<&str> = body.split("\n\n").collect();
    let mut names = Vec::new();
    // Credits close the story: look at most at its last three paragraphs.
    for _ in 0..3 {
        let Some(last) = paragraphs.last() else { break };
        match credited_names(last) {
            Some(mut found) if paragraphs.len() > 1 => {
                found.append(&mut names);
                names = found;
                paragraphs.pop();
            }
            _ => break,
        }
    }
    (paragraphs.join("\n\n"), names)
}

/// The names a credit paragraph gives, or `None` if it is not a credit.
pub fn credited_names(paragraph: &str) -> Option<Vec<String>> {
    let p = paragraph
        .trim()
        .trim_matches(|c| c == '(' || c == ')')
        .trim();
    if p.len() > MAX_CREDIT || p.is_empty() {
        return None;
    }
    let lower = p.to_lowercase();
    let mut names = Vec::new();
    let contributed = [
        " contributed to this report",
        " contributed to this story",
        " contributed reporting",
        " contributed.",
    ]
    .iter()
    .find_map(|c| lower.find(c));
    if let Some(i) = contributed {
        // Only names, role words and places may come before it.
        let only_names = p[..i].split_whitespace().all(|w| {
            w.starts_with(char::is_uppercase)
                || matches!(
                    w,
                    "and"
                        | "in"
                        | "writer"
                        | "writers"
                        | "correspondent"
                        | "also"
                        | "de"
                        | "al"
                        | "bin"
                        | "van"
                        | "von"
                )
        });
        if !only_names {
            return None;
        }
        names.extend(names_in(&p[..i]));
    } else if lower.starts_with("reporting by")
        || lower.starts_with("additional reporting by")
        || lower.starts_with("writing by")
        || lower.starts_with("editing by")
        || lower.starts_with("compiled by")
    {
        for part in p.split(';') {
            let Some(i) = part.to_lowercase().find(" by ") else {
                continue;
            };
            names.extend(names_in(&part[i + 4..]));
        }
    } else {
        return None;
    }
    (!names.is_empty()).then_some(names)
}

/// Names in a list such as `Associated Press writers Zeina Karam in Beirut
/// and Bassem Mroue`: role words and places (`in Beirut`) dropped.
fn names_in(list: &str) -> Vec<String> {
    list.split([',', ';'])
        .flat_map(|p| p.split(" and "))
        .filter_map(|part| {
            let part = part.trim().trim_end_matches('.');
            let part = match part.find(" in ") {
                Some(i) => &part[..i],
                None => part,
            };
            // Keep the trailing run of capitalised words: the name.
            let words: Vec<&str> = part.split_whitespace().collect();
            let start = words
                .iter()
                .rposition(|w| !w.starts_with(char::is_uppercase) || is_role(w))
                .map_or(0, |i| i + 1);
            let name = words[start..].join(" ");
            (name.split_whitespace().count() >= 2).then_some(name)
        })
        .collect()
}

fn is_role(word: &str) -> bool {
    matches!(
        word.trim_end_matches(['.', ',']),
        "Associated" | "Press" | "AP" | "Reuters" | "Writer" | "Writers" | "Correspondent"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contributed_lines_move_to_the_byline() {
        let (body, names) = split("Lead.\n\nMore.\n\nJim Heintz contributed to this report.");
        assert_eq!(body, "Lead.\n\nMore.");
        assert_eq!(names, ["Jim Heintz"]);
    }

    #[test]
    fn agency_writer_lists() {
        let n = credited_names(
            "Associated Press writers Zeina Karam in Beirut and Bassem Mroue in Damascus contributed to this report.",
        )
        .unwrap();
        assert_eq!(n, ["Zeina Karam", "Bassem Mroue"]);
    }

    #[test]
    fn reuters_credits() {
        let (body, names) = split("Lead.\n\n(Reporting by Thomas Grove and Gabriela Baczynska; Editing by Alastair Macdonald)");
        assert_eq!(body, "Lead.");
        assert_eq!(
            names,
            ["Thomas Grove", "Gabriela Baczynska", "Alastair Macdonald"]
        );
    }

    #[test]
    fn ordinary_closing_paragraphs_stay() {
        let text = "Lead.\n\nSaid Mirsky, who contributed nothing to the talks, on Friday.";
        let (body, names) = split(text);
        assert_eq!(body, text);
        assert!(names.is_empty());
        let (body, _) = split("Jim Heintz contributed to this report.");
        assert_eq!(
            body, "Jim Heintz contributed to this report.",
            "a body is never emptied"
        );
    }
}
