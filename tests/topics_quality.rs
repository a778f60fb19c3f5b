//! Quality of the topic classifier on shared data: AG News (four broad
//! classes) and Reuters-21578 (economic stories). Skips when the data is
//! absent. Print the figures with
//! `cargo test --release --test topics_quality -- --nocapture`.

use dateline::enrich::topics::learn::{fit, Fit, Sample};
use dateline::enrich::topics::rank::{Subjects, Weights};
use dateline::enrich::topics::{classify, expand, features, reuters_code_topic};
use dateline::shared_data;

/// AG News classes: 1 World, 2 Sports, 3 Business, 4 Sci/Tech.
const AG_CLASSES: [&str; 4] = ["World", "Sports", "Business", "Sci/Tech"];

/// Our top-level subject to an AG News class. AG's World class is general
/// and foreign news, so every subject without a class of its own goes there,
/// except environment, which AG's sources file under science.
fn ag_class(top_label: &str) -> usize {
    match top_label {
        "sport" => 2,
        "economy, business and finance" | "labour" => 3,
        "science and technology" | "environment" => 4,
        _ => 1,
    }
}

/// Top-level topics and sub-topics in a result.
fn count_levels(topics: &[dateline::article::TopicScore]) -> (usize, usize) {
    let top = topics
        .iter()
        .filter(|t| expand(&t.label).len() == 1)
        .count();
    (top, topics.len() - top)
}

/// One CSV line `"1","title","description"` with doubled inner quotes.
fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    fields.push(cur);
    fields
}

/// AG News text lost the `&` of its HTML entities and uses `\` for line
/// breaks; undo both and drop the markup the entities spelled.
fn ag_clean(s: &str) -> String {
    let s = s
        .replace("#39;", "'")
        .replace("quot;", "\"")
        .replace("amp;", "&")
        .replace("#36;", "$")
        .replace("lt;", "<")
        .replace("gt;", ">")
        .replace("\\n", "\n")
        .replace('\\', "\n");
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    let mut rest = s.as_str();
    while let Some(c) = rest.chars().next() {
        rest = &rest[c.len_utf8()..];
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            // Other numeric entities (#151; …) become a space.
            '#' if !in_tag
                && rest.split(';').next().is_some_and(|n| {
                    !n.is_empty() && n.len() <= 4 && n.bytes().all(|b| b.is_ascii_digit())
                }) =>
            {
                let n = rest.find(';').unwrap();
                rest = &rest[n + 1..];
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[test]
fn ag_news_accuracy() {
    let Some(p) = shared_data::require("data/agnews/test.csv") else {
        return;
    };
    let text = std::fs::read_to_string(p).unwrap();
    let mut confusion = [[0usize; 5]; 5];
    let mut n = 0;
    let (mut tops, mut subs) = (0usize, 0usize);
    // The strict mapping: World only to politics or conflict.
    let mut strict = [0usize; 5];
    let start = std::time::Instant::now();
    for line in text.lines().filter(|l| !l.is_empty()) {
        let f = csv_fields(line);
        assert_eq!(f.len(), 3, "{line}");
        let gold: usize = f[0].parse().unwrap();
        let title = ag_clean(&f[1]);
        let desc = ag_clean(&f[2]);
        let topics = classify(Some(&title), &desc, &desc);
        let got = ag_class(&topics[0].label);
        let strict_ok = match gold {
            1 => ["politics and government", "conflict, war and peace"]
                .contains(&topics[0].label.as_str()),
            2 => topics[0].label == "sport",
            3 => topics[0].label == "economy, business and finance",
            _ => topics[0].label == "science and technology",
        };
        strict[gold] += usize::from(strict_ok);
        let (t, u) = count_levels(&topics);
        tops += t;
        subs += u;
        confusion[gold][got] += 1;
        n += 1;
    }
    let elapsed = start.elapsed();
    let correct: usize = (1..=4).map(|c| confusion[c][c]).sum();
    let acc = correct as f64 / n as f64;
    println!(
        "AG News test: {n} stories, accuracy {acc:.4} ({correct}/{n}), {:.0} stories/s",
        n as f64 / elapsed.as_secs_f64()
    );
    println!(
        "  strict mapping (World: politics or conflict; Sports: sport; Business: economy; Sci/Tech: science and technology): {:.4}; per class {:.3} {:.3} {:.3} {:.3}",
        strict.iter().sum::<usize>() as f64 / n as f64,
        strict[1] as f64 / 1900.0,
        strict[2] as f64 / 1900.0,
        strict[3] as f64 / 1900.0,
        strict[4] as f64 / 1900.0,
    );
    println!(
        "  per story: {:.2} top-level topics, {:.2} sub-topics",
        tops as f64 / n as f64,
        subs as f64 / n as f64
    );
    println!("  gold \\ ours  World  Sports  Business  Sci/Tech   recall");
    for g in 1..=4 {
        let row: usize = confusion[g].iter().sum();
        println!(
            "  {:<10} {:>6} {:>7} {:>9} {:>9}   {:.3}",
            AG_CLASSES[g - 1],
            confusion[g][1],
            confusion[g][2],
            confusion[g][3],
            confusion[g][4],
            confusion[g][g] as f64 / row as f64
        );
    }
    assert_eq!(n, 7600);
    assert!(acc >= 0.77, "AG News accuracy {acc:.4} below the floor");
}

/// A Reuters-21578 story: its TOPICS codes, title and body.
struct Reuters {
    topics: Vec<String>,
    title: String,
    body: String,
}

/// SGML character references used in the collection; control characters
/// (`&#3;` ends every body) become spaces.
fn sgml_decode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|&e| e <= 6);
        match end.map(|e| &rest[1..e]) {
            Some("lt") => out.push('<'),
            Some("gt") => out.push('>'),
            Some("amp") => out.push('&'),
            Some(r) if r.starts_with('#') => out.push(' '),
            _ => {
                out.push('&');
                rest = &rest[1..];
                continue;
            }
        }
        rest = &rest[end.unwrap() + 1..];
    }
    out.push_str(rest);
    out
}

fn between<'a>(s: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let a = s.find(open)? + open.len();
    let b = s[a..].find(close)? + a;
    Some(&s[a..b])
}

fn read_reuters(path: &std::path::Path) -> Vec<Reuters> {
    // Latin-1: every byte is its own code point (one 0xFC in the set).
    let text: String = std::fs::read(path)
        .unwrap()
        .into_iter()
        .map(char::from)
        .collect();
    let mut out = Vec::new();
    for rec in text.split("</REUTERS>") {
        let Some(start) = rec.find("<REUTERS") else {
            continue;
        };
        let rec = &rec[start..];
        let topics = between(rec, "<TOPICS>", "</TOPICS>")
            .map(|t| {
                t.split("<D>")
                    .filter_map(|d| d.split("</D>").next())
                    .filter(|d| !d.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        out.push(Reuters {
            topics,
            title: between(rec, "<TITLE>", "</TITLE>")
                .map(sgml_decode)
                .unwrap_or_default(),
            body: between(rec, "<BODY>", "</BODY>")
                .map(sgml_decode)
                .unwrap_or_default(),
        });
    }
    out
}

#[test]
fn reuters_economic_stories_get_economy() {
    let Some(dir) = shared_data::require("data/reuters21578/reut2-000.sgm") else {
        return;
    };
    let dir = dir.parent().unwrap().to_path_buf();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "sgm"))
        .collect();
    files.sort();
    let (mut stories, mut economic, mut has_econ, mut first_econ, mut sub_match) = (0, 0, 0, 0, 0);
    let mut words = 0usize;
    let start = std::time::Instant::now();
    let mut elapsed = std::time::Duration::ZERO;
    for f in &files {
        for r in read_reuters(f) {
            stories += 1;
            if r.body.trim().is_empty() && r.title.trim().is_empty() {
                continue;
            }
            let mapped: Vec<&str> = r
                .topics
                .iter()
                .filter_map(|c| reuters_code_topic(c))
                .collect();
            let lead = r.body.split("\n    ").next().unwrap_or("");
            let t0 = std::time::Instant::now();
            let topics = classify(Some(&r.title), lead, &r.body);
            elapsed += t0.elapsed();
            words += r.body.split_whitespace().count();
            if mapped.is_empty() {
                continue;
            }
            economic += 1;
            let labels: Vec<&str> = topics.iter().map(|t| t.label.as_str()).collect();
            if labels.contains(&"economy, business and finance") {
                has_econ += 1;
            }
            if labels[0] == "economy, business and finance" {
                first_econ += 1;
            }
            // The source's own sub-topic, or one of its ancestors below the
            // top level, among ours.
            let ours: Vec<String> = labels.iter().flat_map(|l| expand(l)).collect();
            if mapped
                .iter()
                .any(|m| expand(m).iter().rev().skip(1).any(|a| ours.contains(a)))
            {
                sub_match += 1;
            }
        }
    }
    let share = has_econ as f64 / economic as f64;
    println!(
        "Reuters-21578: {stories} records, {economic} with economic TOPICS codes; economy among topics {share:.4} ({has_econ}), economy first {:.4} ({first_econ}), a matching sub-topic branch {:.4} ({sub_match})",
        first_econ as f64 / economic as f64,
        sub_match as f64 / economic as f64,
    );
    println!(
        "  classify: {:.0} stories/s, {:.1} M body words/s (one core, including file reading: {:.1}s total)",
        stories as f64 / elapsed.as_secs_f64(),
        words as f64 / elapsed.as_secs_f64() / 1e6,
        start.elapsed().as_secs_f64()
    );
    assert!(economic > 10_000);
    assert!(share >= 0.97, "economy share {share:.4} below the floor");
    let sub_share = sub_match as f64 / economic as f64;
    assert!(
        sub_share >= 0.74,
        "sub-topic agreement {sub_share:.4} below the floor"
    );
}

/// Diagnostics only: our top labels per AG class, and how many stories
/// matched nothing. `cargo test --release --test topics_quality ag_news_breakdown -- --ignored --nocapture`
#[test]
#[ignore]
fn ag_news_breakdown() {
    let Some(p) = shared_data::require("data/agnews/test.csv") else {
        return;
    };
    let text = std::fs::read_to_string(p).unwrap();
    let mut counts: std::collections::BTreeMap<(usize, String), usize> = Default::default();
    for line in text.lines().filter(|l| !l.is_empty()) {
        let f = csv_fields(line);
        let gold: usize = f[0].parse().unwrap();
        let (title, desc) = (ag_clean(&f[1]), ag_clean(&f[2]));
        let topics = classify(Some(&title), &desc, &desc);
        let key = if topics[0].score == 0.0 {
            "(nothing matched)".to_string()
        } else {
            topics[0].label.clone()
        };
        *counts.entry((gold, key)).or_default() += 1;
    }
    for ((g, l), n) in counts {
        println!("{:<9} {:>5}  {l}", AG_CLASSES[g - 1], n);
    }
}

/// A story of our own multi-section set (`tests/data/topic_sections.txt`).
struct Own {
    section: String,
    dev: bool,
    headline: String,
    body: String,
}

/// The IPTC subject that names each section of our own set.
fn section_subject(section: &str) -> &'static str {
    match section {
        "business" => "economy, business and finance",
        "entertainment" => "arts, culture, entertainment and media",
        "politics" => "politics and government",
        "sport" => "sport",
        "technology" => "science and technology",
        other => panic!("unknown section {other:?}"),
    }
}

const SECTIONS: [&str; 5] = [
    "business",
    "entertainment",
    "politics",
    "sport",
    "technology",
];

fn own_stories() -> Vec<Own> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/topic_sections.txt");
    let text = std::fs::read_to_string(path).unwrap();
    let mut out: Vec<Own> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if let Some(head) = line.strip_prefix("== ") {
            let (section, split) = head.split_once(' ').expect("== SECTION SPLIT");
            section_subject(section);
            assert!(
                split == "dev" || split == "held",
                "{path}:{}: split {split:?}",
                n + 1
            );
            out.push(Own {
                section: section.to_string(),
                dev: split == "dev",
                headline: String::new(),
                body: String::new(),
            });
        } else if let Some(story) = out.last_mut() {
            if story.headline.is_empty() {
                story.headline = line.to_string();
            } else {
                story.body.push_str(line);
                story.body.push('\n');
            }
        }
    }
    for s in &mut out {
        s.body = s.body.trim().to_string();
    }
    out
}

/// Lead as enrichment takes it: the first paragraph.
fn lead_of(body: &str) -> &str {
    body.split("\n\n").next().unwrap_or("")
}

/// First-topic accuracy per section on one half of our own stories: right
/// and total per section, and the misses.
fn own_sections(dev: bool) -> ([usize; 5], [usize; 5], Vec<String>) {
    let stories = own_stories();
    assert_eq!(stories.iter().filter(|s| !s.dev).count(), 50);
    let mut right = [0usize; 5];
    let mut total = [0usize; 5];
    let mut misses = Vec::new();
    for s in stories.iter().filter(|s| s.dev == dev) {
        let i = SECTIONS.iter().position(|x| *x == s.section).unwrap();
        let topics = classify(Some(&s.headline), lead_of(&s.body), &s.body);
        total[i] += 1;
        if topics[0].label == section_subject(&s.section) {
            right[i] += 1;
        } else {
            let labels: Vec<&str> = topics.iter().map(|t| t.label.as_str()).collect();
            misses.push(format!("  {}: {} -> {labels:?}", s.section, s.headline));
        }
    }
    let all = right.iter().sum::<usize>() as f64 / total.iter().sum::<usize>() as f64;
    let half = if dev { "development" } else { "held-out" };
    println!("own stories, {half} half: first topic names the section {all:.2}");
    for i in 0..5 {
        println!("  {:<13} {}/{}", SECTIONS[i], right[i], total[i]);
    }
    for m in &misses {
        println!("{m}");
    }
    (right, total, misses)
}

/// First-topic accuracy per section on our own stories, held-out half.
/// These stories were never used to learn or choose anything.
/// `cargo test --test topics_quality own_sections -- --nocapture`
#[test]
fn own_sections_held_out_first_topic() {
    let (right, total, _) = own_sections(false);
    let all = right.iter().sum::<usize>() as f64 / total.iter().sum::<usize>() as f64;
    let politics = right[2] as f64 / total[2] as f64;
    assert!(all >= 0.85, "held-out accuracy {all:.2} below the floor");
    assert!(politics >= 0.8, "politics {politics:.2} below the floor");
}

/// The development half, for looking at while working.
#[test]
#[ignore]
fn own_sections_development_half() {
    own_sections(true);
}

/// A policy story keeps its area as a second subject.
#[test]
fn own_policy_stories_list_the_area_too() {
    let s = own_stories();
    let knife = s
        .iter()
        .find(|s| s.headline.starts_with("Home secretary unveils"))
        .unwrap();
    let topics = classify(Some(&knife.headline), lead_of(&knife.body), &knife.body);
    let labels: Vec<&str> = topics.iter().map(|t| t.label.as_str()).collect();
    assert_eq!(labels[0], "politics and government", "{labels:?}");
    assert!(labels.contains(&"crime, law and justice"), "{labels:?}");
}

/// How much each collection counts, in total, when the ranking weights are
/// learnt: AG News (7,600 stories, four broad classes), Reuters-21578's
/// stories with economic codes (about 11,000, all economy), and the
/// development half of our own stories (50, five sections). AG and our own
/// set weigh the same, as the only ones that tell politics, arts and
/// technology apart; Reuters guards business stories that mention
/// governments.
const AG_WEIGHT: f64 = 1.0;
const REUTERS_WEIGHT: f64 = 0.5;
const OWN_WEIGHT: f64 = 1.0;

/// The learning samples of one collection, each with its fold (0 or 1) for
/// cross-validation.
struct Source {
    name: &'static str,
    samples: Vec<(Sample, usize)>,
}

fn slots_where(pred: impl Fn(&str) -> bool) -> Vec<usize> {
    let s = Subjects::shipped();
    (0..s.tops.len()).filter(|&i| pred(s.label(i))).collect()
}

fn weighted(mut samples: Vec<(Sample, usize)>, total: f64) -> Vec<(Sample, usize)> {
    let each = total / samples.len() as f64;
    samples.iter_mut().for_each(|(s, _)| s.weight = each);
    samples
}

fn ag_source(path: &std::path::Path) -> Source {
    let text = std::fs::read_to_string(path).unwrap();
    let mut samples = Vec::new();
    for (n, line) in text.lines().filter(|l| !l.is_empty()).enumerate() {
        let f = csv_fields(line);
        let gold: usize = f[0].parse().unwrap();
        let (title, desc) = (ag_clean(&f[1]), ag_clean(&f[2]));
        let Some(features) = features(Some(&title), &desc, &desc) else {
            continue;
        };
        let allowed = slots_where(|l| ag_class(l) == gold);
        samples.push((
            Sample {
                features,
                allowed,
                weight: 0.0,
            },
            n % 2,
        ));
    }
    Source {
        name: "AG News",
        samples: weighted(samples, AG_WEIGHT),
    }
}

fn reuters_source(dir: &std::path::Path) -> Source {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "sgm"))
        .collect();
    files.sort();
    let economy = slots_where(|l| l == "economy, business and finance");
    let mut samples = Vec::new();
    for f in &files {
        for r in read_reuters(f) {
            if !r.topics.iter().any(|c| reuters_code_topic(c).is_some()) {
                continue;
            }
            let lead = r.body.split("\n    ").next().unwrap_or("");
            let Some(features) = features(Some(&r.title), lead, &r.body) else {
                continue;
            };
            let fold = samples.len() % 2;
            samples.push((
                Sample {
                    features,
                    allowed: economy.clone(),
                    weight: 0.0,
                },
                fold,
            ));
        }
    }
    Source {
        name: "Reuters-21578 (economic codes)",
        samples: weighted(samples, REUTERS_WEIGHT),
    }
}

fn own_source() -> Source {
    let mut samples = Vec::new();
    for s in own_stories().into_iter().filter(|s| s.dev) {
        let want = section_subject(&s.section);
        let features = features(Some(&s.headline), lead_of(&s.body), &s.body).unwrap();
        let fold = samples.len() % 2;
        samples.push((
            Sample {
                features,
                allowed: slots_where(|l| l == want),
                weight: 0.0,
            },
            fold,
        ));
    }
    Source {
        name: "own stories, dev half",
        samples: weighted(samples, OWN_WEIGHT),
    }
}

/// Share of samples whose first subject is allowed, by the given weights.
fn accuracy<'a>(w: &Weights, samples: impl Iterator<Item = &'a Sample>) -> (usize, usize) {
    let p = Subjects::shipped().politics;
    let (mut right, mut n) = (0, 0);
    for s in samples {
        n += 1;
        if w.first(&s.features, p)
            .is_some_and(|k| s.allowed.contains(&k))
        {
            right += 1;
        }
    }
    (right, n)
}

const WEIGHTS_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/topics/weights.tsv");

/// Learns the subject-ranking weights from AG News, Reuters-21578 and our
/// own development stories; reports two-fold cross-validated accuracy per
/// collection; and checks that the shipped table is what the data gives.
/// Rewrite the table with
/// `DATELINE_WRITE_TOPIC_WEIGHTS=1 cargo test --release --test topics_quality topic_weights -- --nocapture`.
#[test]
fn topic_weights_are_learnt_from_the_data() {
    let (Some(ag), Some(reuters)) = (
        shared_data::require("data/agnews/test.csv"),
        shared_data::require("data/reuters21578/reut2-000.sgm"),
    ) else {
        return;
    };
    let sources = [
        ag_source(&ag),
        reuters_source(reuters.parent().unwrap()),
        own_source(),
    ];
    let subjects = Subjects::shipped();
    let neutral = Weights::neutral(subjects.tops.len());
    for fold in 0..2 {
        let train: Vec<Sample> = sources
            .iter()
            .flat_map(|s| {
                s.samples
                    .iter()
                    .filter(|x| x.1 != fold)
                    .map(|x| x.0.clone())
            })
            .collect();
        let (w, _) = fit(&train, subjects, Fit::default());
        for src in &sources {
            let test = || src.samples.iter().filter(|x| x.1 == fold).map(|x| &x.0);
            let (r0, n) = accuracy(&neutral, test());
            let (r1, _) = accuracy(&w, test());
            println!(
                "fold {fold} held out, {}: first subject right {:.4} learnt vs {:.4} raw evidence ({n} stories)",
                src.name,
                r1 as f64 / n as f64,
                r0 as f64 / n as f64
            );
            // Per class (samples with the same allowed set).
            let mut classes: Vec<&Vec<usize>> = test().map(|s| &s.allowed).collect();
            classes.sort();
            classes.dedup();
            if classes.len() > 1 {
                let per: Vec<String> = classes
                    .iter()
                    .map(|c| {
                        let (r, n) = accuracy(&w, test().filter(|s| &s.allowed == *c));
                        let (r0, _) = accuracy(&neutral, test().filter(|s| &s.allowed == *c));
                        let name = if c.len() > 3 {
                            "World".to_string()
                        } else {
                            c.iter()
                                .map(|&k| subjects.label(k))
                                .collect::<Vec<_>>()
                                .join(" + ")
                        };
                        format!(
                            "{name} {:.3} (raw {:.3})",
                            r as f64 / n as f64,
                            r0 as f64 / n as f64
                        )
                    })
                    .collect();
                println!("    {}", per.join("; "));
            }
            if src.name == "AG News" {
                // Each fold must do no worse than the lexicon alone on
                // stories it did not learn from.
                assert!(r1 + n / 200 >= r0, "{} fold {fold}: {r1} vs {r0}", src.name);
            }
        }
    }
    let all: Vec<Sample> = sources
        .iter()
        .flat_map(|s| s.samples.iter().map(|x| x.0.clone()))
        .collect();
    let (w, loss) = fit(&all, subjects, Fit::default());
    let header = format!(
        "Subject-ranking weights (see src/enrich/topics/rank.rs), learnt by\n\
         tests/topics_quality.rs topic_weights_are_learnt_from_the_data from\n\
         {} AG News, {} Reuters-21578 and {} own development stories; mean loss {loss:.4}.\n\
         Columns: top-level subject, scale of ln(1 + evidence), bias.",
        sources[0].samples.len(),
        sources[1].samples.len(),
        sources[2].samples.len(),
    );
    let table = w.to_table(subjects, &header);
    if std::env::var_os("DATELINE_WRITE_TOPIC_WEIGHTS").is_some() {
        std::fs::write(WEIGHTS_PATH, &table).unwrap();
        println!("wrote {WEIGHTS_PATH}");
    }
    println!("{table}");
    let shipped = std::fs::read_to_string(WEIGHTS_PATH).unwrap();
    assert!(
        shipped == table,
        "assets/topics/weights.tsv is not what the data gives; regenerate it (see this test's doc)"
    );
}
