//! Quality of the topic classifier on shared data: AG News (four broad
//! classes) and Reuters-21578 (economic stories). Skips when the data is
//! absent. Print the figures with
//! `cargo test --release --test topics_quality -- --nocapture`.

use dateline::enrich::topics::{classify, expand, reuters_code_topic};
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
    let start = std::time::Instant::now();
    for line in text.lines().filter(|l| !l.is_empty()) {
        let f = csv_fields(line);
        assert_eq!(f.len(), 3, "{line}");
        let gold: usize = f[0].parse().unwrap();
        let title = ag_clean(&f[1]);
        let desc = ag_clean(&f[2]);
        let topics = classify(Some(&title), &desc, &desc);
        let got = ag_class(&topics[0].label);
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
