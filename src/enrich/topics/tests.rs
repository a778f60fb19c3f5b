//! Stories written for these tests, one per subject and a few that belong to
//! two subjects at once.

use super::*;

fn labels(headline: &str, body: &str) -> Vec<String> {
    let lead = body.split("\n\n").next().unwrap_or("");
    classify(Some(headline), lead, body)
        .into_iter()
        .map(|t| t.label)
        .collect()
}

fn top(headline: &str, body: &str) -> String {
    labels(headline, body).remove(0)
}

#[track_caller]
fn assert_top(headline: &str, body: &str, want: &str) {
    let got = labels(headline, body);
    assert_eq!(got[0], want, "{headline}: {got:?}");
}

#[track_caller]
fn assert_has(headline: &str, body: &str, want: &str) {
    let got = labels(headline, body);
    assert!(
        got.iter().any(|l| l == want),
        "{headline}: want {want} in {got:?}"
    );
}

#[test]
fn each_subject_on_a_story_of_its_own() {
    let cases = [
        ("Museum opens retrospective of painter's work",
         "The city museum opened an exhibition of the artist's paintings and sculpture on Friday, the largest show of her work since the gallery's founding.",
         "arts, culture, entertainment and media"),
        ("Rebels shell capital as fighting spreads",
         "Rebel fighters shelled the capital overnight and government troops answered with airstrikes, as the civil war entered its third year and the death toll from the offensive rose.",
         "conflict, war and peace"),
        ("Jury convicts former mayor of bribery",
         "A jury found the former mayor guilty of bribery and fraud on Tuesday; prosecutors said he took kickbacks, and the judge set sentencing for March.",
         "crime, law and justice"),
        ("Earthquake flattens villages",
         "A magnitude 7.1 earthquake flattened villages in the mountains, and rescuers searched the rubble for survivors as aftershocks shook the region.",
         "disaster, accident and emergency incident"),
        ("Chipmaker's quarterly profit beats forecasts",
         "The company reported net profit of $1.2 billion for the quarter, up 15 percent, on higher revenue, and its shares rose in trading as investors cheered the outlook.",
         "economy, business and finance"),
        ("Schools face teacher shortage",
         "School districts are struggling to hire teachers before the new term, and students in crowded classrooms face a shorter curriculum, education officials said.",
         "education"),
        ("Pollution kills coral reefs",
         "Environmental groups said pollution and warming seas are killing coral reefs, and conservation of endangered species in the habitat needs urgent action.",
         "environment"),
        ("Flu outbreak fills hospitals",
         "An influenza outbreak has filled hospitals, doctors said, and health officials urged patients with symptoms to seek treatment and get the vaccine.",
         "health"),
        ("Couple marks 80th wedding anniversary",
         "A couple celebrated their 80th wedding anniversary on Sunday, with a royal message and a cake, and were honoured as the oldest married pair in the county.",
         "human interest"),
        ("Dockworkers walk out over pay",
         "Dockworkers went on strike on Monday after wage talks between the union and employers collapsed, and the workers said the walkout would continue.",
         "labour"),
        ("Where to eat and stay on a budget holiday",
         "Tourists looking for a cheap vacation can find a resort, a hotel with a gym and good restaurants; travel writers share their favourite recipes and wine.",
         "lifestyle and leisure"),
        ("Parliament passes budget as opposition walks out",
         "Parliament passed the government budget on Thursday after a heated debate; opposition lawmakers walked out and the prime minister said the cabinet would press on with reform.",
         "politics and government"),
        ("Pope celebrates Easter mass",
         "The pope celebrated Easter mass before thousands of pilgrims at the Vatican, and bishops and priests in churches around the world led prayers for peace.",
         "religion"),
        ("Astronomers find planet around nearby star",
         "Astronomers using a space telescope found a planet orbiting a nearby star, the researchers reported in a scientific journal, the first such discovery.",
         "science and technology"),
        ("Poverty and homelessness rise, census shows",
         "The census shows poverty and homelessness rising among the elderly and minorities, and welfare charities say social services cannot keep up with the population.",
         "society"),
        ("United win title with late goal",
         "The striker scored in stoppage time to give the champions a 2-1 victory, and the coach praised his players as fans filled the stadium to celebrate the league title.",
         "sport"),
        ("Heat wave to break with storms",
         "Forecasters said the heat wave would end on Wednesday with thunderstorms and heavy rain, as temperatures fall to 20 degrees Celsius, the weather service said.",
         "weather"),
    ];
    for (h, b, want) in cases {
        assert_top(h, b, want);
    }
}

#[test]
fn stadium_disaster_is_sport_and_disaster() {
    let h = "Dozens killed in stadium crush at cup final";
    let b = "At least 40 fans were killed and hundreds injured when a wall collapsed in a crush at the stadium during the cup final between the two teams, and rescuers pulled survivors from the rubble. Emergency services declared a disaster and the league suspended the season's remaining matches.";
    assert_has(h, b, "sport");
    assert_has(h, b, "disaster, accident and emergency incident");
}

#[test]
fn business_story_about_an_election_is_economy_then_politics() {
    let h = "Stocks fall as election uncertainty rattles investors";
    let b = "Shares fell on the stock market on Monday as investors worried that the election would bring a new government with higher taxes. The index dropped 2 percent, and analysts said markets would stay volatile until the vote, when polls show the opposition candidate ahead.";
    let got = labels(h, b);
    assert_eq!(got[0], "economy, business and finance", "{got:?}");
    assert!(
        got.iter().any(|l| l == "politics and government"),
        "{got:?}"
    );
    assert!(got.iter().any(|l| l == "election"), "{got:?}");
}

#[test]
fn top_level_labels_come_before_sub_topics() {
    let got = classify(
        Some("Foreign ministers meet on sanctions"),
        "Foreign ministers met in Brussels to discuss sanctions, diplomats said.",
        "Foreign ministers met in Brussels to discuss sanctions, diplomats said.",
    );
    let t = Taxonomy::shipped();
    let depths: Vec<usize> = got
        .iter()
        .map(|s| t.get(t.index_of_label(&s.label).unwrap()).depth)
        .collect();
    let first_sub = depths.iter().position(|&d| d > 1).unwrap_or(depths.len());
    assert!(depths[first_sub..].iter().all(|&d| d > 1), "{got:?}");
    assert_eq!(got[0].label, "politics and government");
    assert!(got.iter().any(|s| s.label == "diplomacy"), "{got:?}");
    assert!(got.iter().all(|s| s.code.starts_with("medtop:")));
}

#[test]
fn seed_story_is_conflict_and_politics_with_diplomacy() {
    let Some(p) = crate::shared_data::require("seed/syria-moscow.txt") else {
        return;
    };
    let text = std::fs::read_to_string(p).unwrap();
    let lead = text.lines().next().unwrap();
    let got: Vec<String> = classify(None, lead, &text)
        .into_iter()
        .map(|t| t.label)
        .collect();
    for want in [
        "conflict, war and peace",
        "politics and government",
        "diplomacy",
    ] {
        assert!(got.iter().any(|l| l == want), "want {want} in {got:?}");
    }
}

#[test]
fn expand_gives_the_label_and_its_ancestors() {
    assert_eq!(
        expand("diplomacy"),
        [
            "diplomacy",
            "international relations",
            "politics and government"
        ]
    );
    assert_eq!(expand("sport"), ["sport"]);
    assert_eq!(expand("not a topic"), ["not a topic"]);
    assert_eq!(top_level_of("football"), Some("sport"));
}

#[test]
fn every_label_classify_gives_expands_to_a_top_level_subject() {
    let got = classify(Some("Quake hits"), "A quake hit the city.", "");
    for t in got {
        let chain = expand(&t.label);
        let last = chain.last().unwrap();
        assert!(top_level_of(last) == Some(last.as_str()), "{chain:?}");
    }
}

#[test]
fn classification_is_deterministic() {
    let h = "Oil prices climb as OPEC cuts output";
    let b =
        "Crude oil prices rose to $80 a barrel after OPEC agreed to cut production, traders said.";
    let a = classify(Some(h), b, b);
    for _ in 0..5 {
        assert_eq!(classify(Some(h), b, b), a);
    }
}

#[test]
fn empty_text_gets_nothing_and_any_text_gets_something() {
    assert!(classify(None, "", "").is_empty());
    assert!(classify(Some("  "), " ", "\n").is_empty());
    assert_eq!(classify(Some("Zxq"), "", "").len(), 1);
    assert_eq!(classify(None, "", "12345").len(), 1);
    assert!(!top("Thursday", "It happened on Thursday.").is_empty());
}

#[test]
fn reuters_codes_map_onto_the_taxonomy() {
    for code in [
        "earn", "acq", "crude", "money-fx", "grain", "trade", "interest", "ship",
    ] {
        let label = reuters_code_topic(code).unwrap();
        assert_eq!(
            top_level_of(label),
            Some("economy, business and finance"),
            "{code}"
        );
    }
    assert_eq!(
        reuters_code_topic("reuters:jobs"),
        Some("employment statistics")
    );
    assert_eq!(reuters_code_topic("nonsense"), None);
}

#[test]
fn the_headline_outweighs_a_passing_mention_in_the_body() {
    let h = "Striker scores twice as champions win derby";
    let b = "The striker scored twice in the second half. The club's shares, listed on the stock market, have risen this year.";
    assert_top(h, b, "sport");
}
