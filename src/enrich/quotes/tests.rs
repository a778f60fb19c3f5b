use crate::article::{Article, QuoteKind};
use crate::enrich::enrich;
use crate::read::text;

fn story(body: &str) -> Article {
    let mut stories = text::read(body, "t/2012/story.txt").stories;
    enrich(stories.remove(0))
}

/// (speaker, kind) of the quotation whose text starts with `prefix`.
fn find<'a>(a: &'a Article, prefix: &str) -> Option<(Option<&'a str>, QuoteKind)> {
    a.quotes
        .iter()
        .find(|q| q.text.starts_with(prefix))
        .map(|q| (q.speaker.as_ref().map(|s| s.name.as_str()), q.kind))
}

/// One line per quotation, for failure messages.
fn compact(a: &Article) -> String {
    a.quotes
        .iter()
        .map(|q| {
            format!(
                "{:8} {:20} [{}] {}",
                q.kind.name(),
                q.speaker.as_ref().map_or("-", |s| s.name.as_str()),
                q.attribution.as_deref().unwrap_or(""),
                q.text.chars().take(70).collect::<String>()
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn seed_story_quotations_are_found_and_attributed() {
    let a = story(include_str!("../../../corpus/syria-moscow.txt"));
    let lavrov = Some("Lavrov");
    let expect: &[(&str, Option<&str>)] = &[
        ("Syrian President Bashar Assad has no intention", lavrov),
        ("the Syrian opposition risks sacrificing", lavrov),
        ("has repeatedly said publicly", lavrov),
        ("There’s no possibility to change this position.", lavrov),
        (
            "the country’s civil war could plunge",
            Some("Lakhdar Brahimi"),
        ),
        ("more and more sectarian.", Some("Lakhdar Brahimi")),
        ("if you have a panic in Damascus", Some("Lakhdar Brahimi")),
        (
            "if the only alternative is really hell",
            Some("Lakhdar Brahimi"),
        ),
        ("Russia would continue to oppose", lavrov),
        ("isn’t holding onto Bashar Assad", lavrov),
        ("counterproductive.", lavrov),
        ("The price for that precondition", lavrov),
        ("little adjustments", Some("Lakhdar Brahimi")),
        ("it’s a valued basis", Some("Lakhdar Brahimi")),
        ("Moscow is ready to talk", lavrov),
        ("al-Khatib’s statement was surprising", lavrov),
        ("realize it would be in his own interests", lavrov),
        ("Moscow bears no responsibility", lavrov),
        ("defensive weapons such as anti-aircraft missiles", lavrov),
        ("We aren’t providing the Syrian regime", lavrov),
        ("And we have no leverage", lavrov),
        (
            "President Vladimir Putin’s stand on Syria",
            Some("Georgy Mirsky"),
        ),
        (
            "It would look like an inadmissible concession",
            Some("Georgy Mirsky"),
        ),
        (
            "Putin is resigned to Assad’s eventual collapse",
            Some("Georgy Mirsky"),
        ),
        ("That stand allows Putin", Some("Georgy Mirsky")),
    ];
    let mut wrong = Vec::new();
    for (prefix, who) in expect {
        match find(&a, prefix) {
            Some((speaker, _))
                if speaker.map(|s| s.ends_with(who.unwrap_or(""))) == Some(true)
                    || (speaker.is_none() && who.is_none()) => {}
            got => wrong.push(format!("{prefix:?}: expected {who:?}, got {got:?}")),
        }
    }
    assert!(
        wrong.is_empty(),
        "{}\nall:\n{}",
        wrong.join("\n"),
        compact(&a)
    );
    // Quotations hold their words; offsets point into the body.
    for q in &a.quotes {
        assert!(q.start < q.end && q.end <= a.body.len(), "{q:?}");
    }
    assert_eq!(
        find(&a, "counterproductive.").unwrap().1,
        QuoteKind::Partial
    );
    assert_eq!(
        find(&a, "Moscow is ready to talk").unwrap().1,
        QuoteKind::Indirect
    );
}

#[test]
fn split_quotations_are_one() {
    let a = story("WASHINGTON (AP) — Senator John Smith spoke on Tuesday.\n\n“We will win,” Smith said, “and we will win soon.”\n\n“It is over,” he added.");
    let q: Vec<_> = a
        .quotes
        .iter()
        .map(|q| (q.text.as_str(), q.speaker.as_ref().map(|s| s.name.as_str())))
        .collect();
    assert_eq!(
        q,
        [
            ("We will win and we will win soon.", Some("John Smith")),
            ("It is over", Some("John Smith"))
        ]
    );
}

#[test]
fn scare_quotes_and_titles_are_not_speech() {
    let a = story("LONDON — The so-called “Friends of Syria” group met on Monday to watch “Casablanca” at a cinema near the “green zone” of the city.");
    assert!(a.quotes.is_empty(), "{:?}", a.quotes);
}

#[test]
fn multi_paragraph_quotations_continue() {
    let a = story("PARIS (AP) — Marie Dupont, the mayor, spoke to reporters.\n\n“We have waited for this bridge for ten years. Nobody believed it would come.\n\n“Now it is here, and the city will change,” Dupont said.");
    assert_eq!(a.quotes.len(), 1, "{:?}", a.quotes);
    let q = &a.quotes[0];
    assert!(
        q.text.starts_with("We have waited") && q.text.ends_with("the city will change"),
        "{q:?}"
    );
    assert_eq!(
        q.speaker.as_ref().map(|s| s.name.as_str()),
        Some("Marie Dupont")
    );
}

/// `QUOTES_DEBUG=path/to/story.txt cargo test --lib quotes::tests::debug`
/// prints what the extractor finds in one annotated story.
#[test]
fn debug_one_story() {
    let Some(path) = std::env::var_os("QUOTES_DEBUG") else {
        return;
    };
    let content = std::fs::read_to_string(&path).expect("readable");
    let story = content.split(super::eval::SEPARATOR).next().unwrap_or("");
    println!("{}", compact(&story_from(story)));
}

fn story_from(text: &str) -> Article {
    story(text)
}

/// Checks (quotation prefix, speaker ending) pairs in one story.
fn expect_speakers(a: &Article, expect: &[(&str, Option<&str>)]) {
    let wrong: Vec<String> = expect
        .iter()
        .filter_map(|&(prefix, who)| match find(a, prefix) {
            Some((Some(s), _)) if who.is_some_and(|w| s.ends_with(w)) => None,
            Some((None, _)) if who.is_none() => None,
            got => Some(format!("{prefix:?}: expected {who:?}, got {got:?}")),
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "{}\nall:\n{}",
        wrong.join("\n"),
        compact(a)
    );
}

#[test]
fn roles_lead_up_to_the_person_they_name() {
    let a = story(
        "Headline: Talks reach a critical stage\n\nGENEVA (AP) — The United Nations envoy for Yemen, Peter Hansen, said Tuesday that the talks had reached a critical stage.\n\n\
         The 70-year-old diplomat, a former Danish foreign minister, said the parties still disagreed over the roads.\n\n\
         A spokesman for the rebel delegation, Mohammed Abdulsalam, said his side would never accept the conditions.\n\n\
         Art detective Arthur Brand said the painting was genuine. “Nobody can sell it,” he said.",
    );
    expect_speakers(
        &a,
        &[
            ("the talks had reached", Some("Peter Hansen")),
            ("the parties still disagreed", Some("Peter Hansen")),
            ("his side would never accept", Some("Mohammed Abdulsalam")),
            ("the painting was genuine", Some("Arthur Brand")),
            ("Nobody can sell it", Some("Arthur Brand")),
        ],
    );
}

#[test]
fn organisations_speak_through_roles_and_spokespeople() {
    let a = story(
        "Headline: Teachers vote to strike\n\nCARDIFF — Head teachers voted to strike on Saturday.\n\n\
         The Welsh government said it had increased funding for schools.\n\n\
         A spokeswoman for the National Union of Teachers said members were angry.\n\n\
         Shares in the company rose 2 percent, according to LSEG data.",
    );
    expect_speakers(
        &a,
        &[
            ("it had increased funding", Some("Welsh government")),
            ("members were angry", Some("National Union of Teachers")),
        ],
    );
    assert!(
        find(&a, "Shares in the company").is_none(),
        "{}",
        compact(&a)
    );
}

#[test]
fn an_attribution_between_commas_reports_the_clause_before_it() {
    let a = story(
        "Headline: Carmaker cuts jobs\n\nSTUTTGART, Germany (Reuters) - The carmaker will cut 3,000 jobs at its home plants over two years, the company said on Wednesday, blaming weak demand for electric cars.",
    );
    assert!(
        a.quotes.iter().any(|q| q.kind == QuoteKind::Indirect
            && q.text.contains("The carmaker will cut 3,000 jobs")
            && q.text.ends_with("over two years")),
        "{}",
        compact(&a)
    );
}

#[test]
fn a_company_described_by_its_base_is_the_company_in_focus() {
    let a = story(
        "Siemens to cut jobs\n\nSiemens AG said on Thursday it would cut about 5,000 jobs in its factory automation business.\n\nThe Munich-based group said most of the cuts would fall in Germany. The union called for talks, while the British Medical Association (BMA) said doctors had not been consulted. Ramon Diaz, chairman of the Presidential Commission on Good Government (PCGG) said the sale was void.\n",
    );
    let c = compact(&a);
    assert_eq!(
        find(&a, "most of the cuts").map(|f| f.0),
        Some(Some("Siemens AG")),
        "{c}"
    );
    assert_eq!(
        find(&a, "doctors had not").map(|f| f.0),
        Some(Some("British Medical Association")),
        "{c}"
    );
    assert_eq!(
        find(&a, "the sale was void").map(|f| f.0),
        Some(Some("Ramon Diaz")),
        "{c}"
    );
}
