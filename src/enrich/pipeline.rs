//! One raw story to one article: every enricher applied in order.

use chrono::NaiveDate;

use crate::article::{Article, Dateline};
use crate::enrich::fingerprint::Fingerprint;
use crate::enrich::gazetteer::title_case;
use crate::enrich::ner::{EntityKind, Mention};
use crate::enrich::{
    credits, dateline, gazetteer::Gazetteer, headline_names, ner::Tagger, orgs, people, places,
    quotes, topics,
};
use crate::read::{date, Format, RawStory};

/// Enriches a story read from an archive into an [`Article`].
pub fn enrich(raw: RawStory) -> Article {
    enrich_with(raw, |text| Tagger::shipped().mentions(text))
}

/// [`enrich`] with another source of entity mentions for the article text
/// (headline and body joined by a blank line): another tagger, or gold
/// annotations when the pipeline itself is evaluated.
pub fn enrich_with(raw: RawStory, find_mentions: impl FnOnce(&str) -> Vec<Mention>) -> Article {
    let (body, mut byline) = credits::split(&raw.body);
    for name in raw.byline.iter().rev() {
        if !byline.contains(name) {
            byline.insert(0, name.clone());
        }
    }
    let body = drop_repeated_lead(&body);

    // Reuters SGML marks every dateline up; its unmarked leads are tables
    // and capitalised headlines, not datelines.
    let lead_dateline = (raw.format != Format::Sgml)
        .then(|| dateline::parse_lead(body.split("\n\n").next().unwrap_or("")))
        .flatten();
    let parsed = match &raw.dateline {
        Some(field) => dateline::parse_field(field),
        None => lead_dateline.clone(),
    };
    let gazetteer = Gazetteer::shipped();
    let mut dateline_region = None;
    let dateline = match (&parsed, &raw.dateline) {
        (Some(p), _) => Some(resolve_dateline(p, gazetteer, &mut dateline_region)),
        // Markup that gives a dateline we cannot read keeps it as written.
        (None, Some(field)) => {
            crate::read::clean(field.trim_end_matches([' ', '-'])).map(|text| Dateline {
                text,
                ..Dateline::default()
            })
        }
        (None, None) => None,
    };
    let date = raw.date.clone().or_else(|| {
        let (month, day) = parsed.as_ref()?.month_day?;
        let year = date::year_in_path(&raw.path)?;
        NaiveDate::from_ymd_opt(year, month, day).map(|d| d.to_string())
    });

    let mut text = String::with_capacity(body.len() + 200);
    if let Some(h) = &raw.headline {
        text.push_str(h);
        text.push_str("\n\n");
    }
    let body_start = text.len();
    text.push_str(&body);
    // The dateline that opens the lead (`GENEVA (AP) —`) is where the story
    // was filed and by whom, not a mention. The tagger reads the lead
    // without it, blanked to keep offsets, so that the lead's first words
    // open a sentence as they do in the news it learnt from: after "GENEVA
    // (Reuters) - The", a run of capitals starting "The World Bank" reads
    // like a title.
    if let Some(d) = &lead_dateline {
        let span = body_start..body_start + d.end;
        if text.is_char_boundary(span.start) && text.is_char_boundary(span.end) {
            text.replace_range(span.clone(), &" ".repeat(span.len()));
        }
    }
    let mut mentions = find_mentions(&text);
    reclaim_titled_people(&mut mentions);
    mentions.retain(|m| !is_bare_title(m) && !is_party_and_state(m) && !is_initial(m));
    names_with_bin_are_people(&mut mentions);
    streets_are_places(&mut mentions);
    demonyms_are_nationalities(&mut mentions, gazetteer);
    places::attach_qualifiers(&mut mentions, &text, gazetteer);
    let mut found_people = people::canonicalize(&mentions, &byline);
    let person_hints = headline_names::hints(raw.headline.as_deref(), &body);
    drop_hinted_fragments(&mut found_people, &person_hints);
    let mut found_places = places::resolve(&mentions, dateline.as_ref(), gazetteer);
    let mut found_orgs = orgs::canonicalize(&mentions);
    // A name the story uses for a person is not also a place or an
    // organisation in it ("Assad’s regime" tagged as a location).
    let is_person = |name: &String| found_people.aliases.iter().any(|a| a == name);
    found_places.retain(|p| !is_person(p));
    found_orgs.retain(|o| !is_person(o));
    let org_abbreviations = found_orgs.abbreviations;
    let found_orgs = found_orgs.names;

    // The body as the tagger read it: a lead's dateline is not part of a
    // clause reported in it ("ALBUQUERQUE (AP) — A mayor was charged,
    // prosecutors said" reports "A mayor was charged").
    let quotes = quotes::extract(
        &text[body_start..],
        &quotes::Context {
            names: &found_people.names,
            orgs: &found_orgs,
            mentions: &mentions,
            body_offset: body_start,
        },
    );

    let lead = body.split("\n\n").next().unwrap_or("");
    let topic_scores = topics::classify(raw.headline.as_deref(), lead, &body);

    Article {
        id: raw.id.clone().unwrap_or_else(|| derived_id(&raw.path)),
        path: raw.path,
        format: raw.format.name().to_string(),
        kind: raw.kind.name().to_string(),
        date,
        source: raw
            .source
            .or_else(|| dateline.as_ref().and_then(|d| d.agency.clone())),
        dateline,
        people: found_people.names,
        person_aliases: found_people.aliases,
        person_hints,
        person_ids: Vec::new(),
        places: found_places.places,
        place_ids: found_places.ids,
        countries: found_places.countries,
        regions: with_dateline_region(found_places.regions, dateline_region),
        orgs: found_orgs,
        org_ids: Vec::new(),
        org_abbreviations,
        topics: topic_scores.iter().map(|t| t.label.clone()).collect(),
        topic_scores,
        source_codes: raw.codes,
        byline,
        fingerprint: Fingerprint::of(raw.headline.as_deref(), &body),
        cluster: None,
        headline: raw.headline,
        body,
        quotes,
    }
}

/// A capitalised headline's "HOWARD BAKER SAYS" is often tagged as the
/// person "HOWARD" alone: a one-word name from the headline that is the
/// first word of a longer hint is that hint's fragment, not a person.
fn drop_hinted_fragments(found: &mut people::People, hints: &[String]) {
    let fragment = |name: &String| {
        let upper = name.to_uppercase();
        !name.contains(' ')
            && hints
                .iter()
                .any(|h| h.split_once(' ').is_some_and(|(first, _)| first == upper))
    };
    found.names.retain(|n| !fragment(n));
    found.aliases.retain(|n| !fragment(n));
}

/// The dateline with its place resolved; an unknown place keeps its
/// written form, title-cased.
fn resolve_dateline(
    p: &dateline::ParsedDateline,
    gazetteer: &Gazetteer,
    region: &mut Option<String>,
) -> Dateline {
    let place = title_case(&p.place);
    let resolved = gazetteer.resolve_dateline(&place, p.qualifier.as_deref());
    // `PARIS, Texas`: the region makes `place:Texas` find the story.
    *region = resolved.as_ref().and_then(|r| r.region.clone());
    Dateline {
        text: p.text.clone(),
        place: Some(resolved.as_ref().map_or(place, |r| r.name.clone())),
        country: resolved.map(|r| r.country),
        agency: p.agency.clone(),
    }
}

fn with_dateline_region(mut regions: Vec<String>, region: Option<String>) -> Vec<String> {
    if let Some(r) = region.filter(|r| !regions.contains(r)) {
        regions.insert(0, r);
    }
    regions
}

/// A one-word mention that is a demonym ("the Belarusian said", "two
/// Syrians") is a nationality, whatever kind the tagger gave it: CoNLL's
/// news has few of some nationalities, and the tagger may call them an
/// organisation.
fn demonyms_are_nationalities(mentions: &mut [Mention], gazetteer: &Gazetteer) {
    for m in mentions.iter_mut() {
        let one_word = !m.text.contains(|c: char| c.is_whitespace() || c == '-');
        if m.kind != EntityKind::Misc && one_word && gazetteer.country_of_demonym(&m.text).is_some()
        {
            m.kind = EntityKind::Misc;
        }
    }
}

/// An organisation that is only a title ("Health Secretary Wes Streeting",
/// "Vice President" read apart from the name): an office, named again
/// with its holder, not a body of its own.
fn is_bare_title(m: &Mention) -> bool {
    const OFFICES: [&str; 19] = [
        "secretary",
        "minister",
        "attorney",
        "ambassador",
        "speaker",
        "general",
        "president",
        "chief",
        "representative",
        "governor",
        "prince",
        "princess",
        "chancellor",
        "envoy",
        "spokesman",
        "spokeswoman",
        "commander",
        "mayor",
        "premier",
    ];
    let words: Vec<&str> = m.text.split_whitespace().collect();
    m.kind == EntityKind::Organization
        && words.len() >= 2
        && words.iter().all(|w| people::is_title(w))
        && words
            .last()
            .is_some_and(|w| OFFICES.contains(&w.to_lowercase().as_str()))
}

/// AP's party and state after a lawmaker's name ("Chuck Schumer, D-N.Y.",
/// "R-Ky."): no one's name.
fn is_party_and_state(m: &Mention) -> bool {
    m.text.split_once('-').is_some_and(|(party, state)| {
        matches!(party, "D" | "R" | "I")
            && crate::enrich::gazetteer::is_us_state_abbreviation(state)
    })
}

/// A lone initial read as a name ("J" of "J Robert Oppenheimer", the "P"
/// of "S and P").
fn is_initial(m: &Mention) -> bool {
    m.text.trim_end_matches('.').chars().count() == 1
}

/// "Prince Abdulaziz bin Salman" read as an organisation: "bin" and "ibn"
/// join the names of people, not of bodies ("Saudi Binladin Group").
fn names_with_bin_are_people(mentions: &mut [Mention]) {
    for m in mentions.iter_mut() {
        let words: Vec<&str> = m.text.split_whitespace().collect();
        let joined = words.len() >= 3
            && words[1..words.len() - 1]
                .iter()
                .any(|w| matches!(*w, "bin" | "ibn" | "bint"));
        if m.kind == EntityKind::Organization && joined {
            m.kind = EntityKind::Person;
        }
    }
}

/// A person whose name ends in a street's word ("Downing Street said") is
/// the street, which CoNLL's news, and so the tagger, rarely meets in that
/// sense.
fn streets_are_places(mentions: &mut [Mention]) {
    // Not "Lane": a common surname.
    const STREETS: [&str; 5] = ["Street", "Avenue", "Road", "Boulevard", "Square"];
    for m in mentions.iter_mut() {
        let mut words = m.text.split_whitespace();
        let last = words.next_back();
        if m.kind == EntityKind::Person
            && words.next().is_some()
            && last.is_some_and(|w| STREETS.contains(&w))
        {
            m.kind = EntityKind::Location;
        }
    }
}

/// The tagger sometimes reads a title and a name as one organisation
/// ("U.S. Secretary of State John Kerry"). When the story names that person
/// elsewhere (a PER "Kerry"), the name at the end of the mention is taken
/// back as a person.
fn reclaim_titled_people(mentions: &mut [Mention]) {
    let surnames: Vec<String> = mentions
        .iter()
        .filter(|m| m.kind == EntityKind::Person)
        .filter_map(|m| m.text.split_whitespace().last().map(str::to_string))
        .collect();
    for m in mentions
        .iter_mut()
        .filter(|m| m.kind == EntityKind::Organization)
    {
        let words: Vec<&str> = m.text.split_whitespace().collect();
        if words.len() < 3
            || !words
                .last()
                .is_some_and(|w| surnames.iter().any(|s| s == w))
        {
            continue;
        }
        // The name: capitalised words at the end, up to the first title.
        let name_len = words
            .iter()
            .rev()
            .take(3)
            .take_while(|w| {
                w.starts_with(char::is_uppercase) && !people::is_title(w) && **w != "State"
            })
            .count();
        if name_len == 0 || name_len == words.len() {
            continue;
        }
        let name = words[words.len() - name_len..].join(" ");
        if let Some(at) = m.text.rfind(&name) {
            m.start += at;
            m.text = name;
            m.end = m.start + m.text.len();
            m.kind = EntityKind::Person;
        }
    }
}

/// Archives often repeat the first paragraph (a re-sent lead); keep it once.
fn drop_repeated_lead(body: &str) -> String {
    let mut paras = body.split("\n\n");
    match (paras.next(), paras.next()) {
        (Some(a), Some(b)) if a.trim() == b.trim() => {
            let rest = &body[a.len() + 2..];
            rest.to_string()
        }
        _ => body.to_string(),
    }
}

/// An id for a story whose source gives none: the file stem and a hash of
/// its path (with `#N`), stable across runs.
fn derived_id(path: &str) -> String {
    let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let stem: String = file
        .split('.')
        .next()
        .unwrap_or("story")
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .take(40)
        .collect();
    let n = path
        .rsplit_once('#')
        .map(|(_, n)| format!("-{n}"))
        .unwrap_or_default();
    format!(
        "{stem}{n}-{:08x}",
        xxhash_rust::xxh3::xxh3_64(path.as_bytes()) as u32
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A mention of `kind` whose text is `s`, at no particular place.
    fn mention(kind: EntityKind, s: &str) -> Mention {
        Mention {
            kind,
            text: s.to_string(),
            start: 0,
            end: s.len(),
        }
    }

    #[test]
    fn a_demonym_is_a_nationality_whatever_the_tagger_called_it() {
        let mut m = vec![
            mention(EntityKind::Organization, "Belarusian"),
            mention(EntityKind::Person, "Syrians"),
            mention(EntityKind::Organization, "Syrian Army"),
            mention(EntityKind::Person, "Petrova"),
        ];
        demonyms_are_nationalities(&mut m, Gazetteer::shipped());
        let kinds: Vec<EntityKind> = m.iter().map(|m| m.kind).collect();
        assert_eq!(
            kinds,
            [
                EntityKind::Misc,
                EntityKind::Misc,
                EntityKind::Organization,
                EntityKind::Person
            ]
        );
    }

    #[test]
    fn party_and_state_initials_and_bin() {
        use EntityKind::{Organization, Person};
        assert!(is_party_and_state(&mention(Person, "D-N.Y.")));
        assert!(is_party_and_state(&mention(Organization, "R-Ky")));
        assert!(is_party_and_state(&mention(Person, "I-Vt.")));
        assert!(!is_party_and_state(&mention(Person, "Jean-Paul")));
        assert!(!is_party_and_state(&mention(Organization, "R-Tech")));
        assert!(is_initial(&mention(Person, "J")));
        assert!(is_initial(&mention(Person, "J.")));
        assert!(!is_initial(&mention(Person, "Jo")));
        let mut m = vec![
            mention(Organization, "Abdulaziz bin Salman"),
            mention(Organization, "Saudi Binladin Group"),
        ];
        names_with_bin_are_people(&mut m);
        assert_eq!(m[0].kind, Person);
        assert_eq!(m[1].kind, Organization);
    }

    #[test]
    fn bare_titles_and_streets() {
        use EntityKind::{Location, Organization, Person};
        assert!(is_bare_title(&mention(Organization, "Health Secretary")));
        assert!(is_bare_title(&mention(Organization, "Foreign Minister")));
        assert!(!is_bare_title(&mention(Organization, "Health Ministry")));
        assert!(!is_bare_title(&mention(Organization, "Secretary")));
        assert!(!is_bare_title(&mention(Person, "Prime Minister")));
        assert!(!is_bare_title(&mention(Organization, "First State")));
        let mut m = vec![
            mention(Person, "Downing Street"),
            mention(Person, "Street"),
            mention(Person, "Picabo Streets"),
            mention(Person, "Richard Lane"),
            mention(Organization, "Wall Street"),
        ];
        streets_are_places(&mut m);
        let kinds: Vec<EntityKind> = m.iter().map(|m| m.kind).collect();
        assert_eq!(kinds, [Location, Person, Person, Person, Organization]);
    }

    #[test]
    fn titled_names_read_as_organisations_are_people_again() {
        let text = "Kerry met. U.S. Secretary of State John Kerry said.";
        let mention = |kind, s: &str| {
            let start = text.find(s).unwrap();
            Mention {
                kind,
                text: s.to_string(),
                start,
                end: start + s.len(),
            }
        };
        let mut m = vec![
            mention(EntityKind::Person, "Kerry"),
            mention(
                EntityKind::Organization,
                "U.S. Secretary of State John Kerry",
            ),
        ];
        reclaim_titled_people(&mut m);
        assert_eq!(m[1].kind, EntityKind::Person);
        assert_eq!(m[1].text, "John Kerry");
        assert_eq!(&text[m[1].start..m[1].end], "John Kerry");
        // An organisation that merely ends in a surname is left alone when
        // nothing but titles precede it.
        let mut m = vec![
            mention(EntityKind::Person, "Kerry"),
            mention(EntityKind::Organization, "Kerry"),
        ];
        reclaim_titled_people(&mut m);
        assert_eq!(m[1].kind, EntityKind::Organization);
    }

    #[test]
    fn repeated_lead_is_kept_once() {
        assert_eq!(drop_repeated_lead("A.\n\nA.\n\nB."), "A.\n\nB.");
        assert_eq!(drop_repeated_lead("A.\n\nB.\n\nA."), "A.\n\nB.\n\nA.");
    }

    #[test]
    fn ids_are_stable_and_distinct() {
        assert_eq!(derived_id("corpus/a.txt"), derived_id("corpus/a.txt"));
        assert_ne!(
            derived_id("corpus/a.jsonl#1"),
            derived_id("corpus/a.jsonl#2")
        );
        assert!(derived_id("corpus/Syria Moscow.txt").starts_with("syria-moscow-"));
    }

    #[test]
    fn titles() {
        assert_eq!(title_case("UNITED NATIONS"), "United Nations");
        assert_eq!(title_case("ST. PETERSBURG"), "St. Petersburg");
        assert_eq!(title_case("Scarborough"), "Scarborough");
    }

    #[test]
    fn story_is_enriched_end_to_end() {
        let raw = RawStory {
            path: "x/2012/a.txt".into(),
            body: "MOSCOW, Dec. 29 (AP) — Talks.\n\nMOSCOW, Dec. 29 (AP) — Talks.\n\nJim Heintz contributed to this report.".into(),
            ..RawStory::default()
        };
        let a = enrich(raw);
        assert_eq!(a.body, "MOSCOW, Dec. 29 (AP) — Talks.");
        assert_eq!(a.byline, ["Jim Heintz"]);
        assert_eq!(a.date.as_deref(), Some("2012-12-29"));
        let d = a.dateline.unwrap();
        assert_eq!(
            (d.text.as_str(), d.agency.as_deref()),
            ("MOSCOW", Some("AP"))
        );
        assert_eq!(a.source.as_deref(), Some("AP"));
    }
}
