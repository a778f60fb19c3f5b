//! Word lists: reporting verbs, the nouns that name a speaker by role or
//! an organisation, and the words that say a quoted term is a name.

/// Abbreviations whose period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Gen", "Sen", "Rep", "Gov", "Lt", "Col", "Sgt", "Capt", "Cpl", "Maj",
    "Adm", "Cmdr", "Brig", "St", "Jr", "Sr", "Prof", "Rev", "Jan", "Feb", "Mar", "Apr", "Aug",
    "Sep", "Sept", "Oct", "Nov", "Dec", "Inc", "Corp", "Co", "Ltd", "No", "vs", "Ft", "Mt", "Sgt",
];

/// Whether `word` (without its final period) is an abbreviation: a listed
/// one, an initial, or dotted capitals such as `U.N` or `U.S`.
pub fn is_abbreviation(word: &str) -> bool {
    let single_capital = word.len() == 1 && word.starts_with(|c: char| c.is_ascii_uppercase());
    let dotted = word.contains('.') && word.len() <= 8;
    single_capital || dotted || ABBREVIATIONS.contains(&word)
}

/// How a reporting verb may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    /// Takes a reported clause: "said that …", "warned that …".
    Clause,
    /// Only attributes quoted words: "asked", "shouted".
    QuoteOnly,
}

/// Finite forms of reporting verbs.
const CLAUSE_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "added",
    "adds",
    "warned",
    "warns",
    "stressed",
    "stresses",
    "emphasized",
    "emphasised",
    "emphasizes",
    "emphasises",
    "insisted",
    "insists",
    "argued",
    "argues",
    "explained",
    "explains",
    "noted",
    "notes",
    "declared",
    "declares",
    "announced",
    "announces",
    "claimed",
    "claims",
    "acknowledged",
    "acknowledges",
    "admitted",
    "admits",
    "conceded",
    "concedes",
    "suggested",
    "suggests",
    "wrote",
    "writes",
    "tweeted",
    "predicted",
    "predicts",
    "recalled",
    "recalls",
    "cautioned",
    "complained",
    "complains",
    "charged",
    "contended",
    "maintained",
    "maintains",
    "observed",
    "remarked",
    "responded",
    "testified",
    "confirmed",
    "confirms",
    "denied",
    "denies",
    "agreed",
    "reiterated",
    "repeated",
    "underlined",
    "underscored",
    "alleged",
    "asserted",
    "asserts",
    "lamented",
    "countered",
    "disclosed",
    "revealed",
    "told",
    "tells",
    "replied",
    "answered",
    "stated",
    "states",
    "signaled",
    "signalled",
    "indicated",
    "boasted",
    "pointed",
    "assured",
    "promised",
    "vowed",
    "pledged",
    "estimated",
    "estimates",
];

const QUOTE_VERBS: &[&str] = &[
    "asked",
    "asks",
    "shouted",
    "yelled",
    "screamed",
    "cried",
    "quipped",
    "joked",
    "mused",
    "whispered",
    "continued",
    "concluded",
    "began",
    "chanted",
    "added",
    "urged",
    "exclaimed",
    "sighed",
    "laughed",
    // Words the speaker chose for something: "called the decision
    // “shortsighted”".
    "called",
    "described",
    // "accused the government of planning “a stealth tax”".
    "accused",
    "dismissed",
    "radioed",
    "branded",
    "labelled",
    "labeled",
];

/// Participles that carry the sentence subject's speech: ", saying that …".
const PARTICIPLES: &[&str] = &[
    "saying",
    "adding",
    "warning",
    "noting",
    "insisting",
    "arguing",
    "explaining",
    "stressing",
    "claiming",
    "telling",
    "asking",
    "declaring",
    "arguing",
    "suggesting",
    "writing",
    "emphasizing",
    "emphasising",
    "acknowledging",
    "admitting",
];

/// The reporting verb `word` is, if any (lowercase).
pub fn verb(word: &str) -> Option<Verb> {
    if CLAUSE_VERBS.contains(&word) {
        Some(Verb::Clause)
    } else if QUOTE_VERBS.contains(&word) {
        Some(Verb::QuoteOnly)
    } else {
        None
    }
}

/// Whether `word` (lowercase) is a participle of speech.
pub fn is_participle(word: &str) -> bool {
    PARTICIPLES.contains(&word)
}

/// Verbs that promise rather than report when followed by `to`
/// ("vowed to fight"): no reported clause then.
pub fn takes_infinitive(word: &str) -> bool {
    matches!(
        word,
        "promised" | "vowed" | "pledged" | "agreed" | "threatened" | "urged" | "asked" | "told"
    )
}

/// Words between a speaker and its verb that leave the attribution
/// intact: "Lavrov also said", "he has repeatedly said".
pub fn is_verb_adjunct(word: &str) -> bool {
    matches!(
        word,
        "also"
            | "again"
            | "later"
            | "then"
            | "has"
            | "had"
            | "have"
            | "would"
            | "will"
            | "repeatedly"
            | "previously"
            | "earlier"
            | "once"
            | "often"
            | "frequently"
            | "recently"
            | "publicly"
            | "privately"
            | "flatly"
            | "firmly"
            | "simply"
            | "both"
            | "all"
            | "just"
            | "further"
            | "separately"
            | "bluntly"
            | "angrily"
            | "quietly"
            | "openly"
            | "even"
            | "last"
            | "first"
            | "still"
            | "reportedly"
    )
}

/// Words that make a passive or an adjective of a reporting verb: "is said
/// to", "the said".
pub fn blocks_verb(previous: &str) -> bool {
    matches!(
        previous,
        "is" | "was" | "were" | "are" | "be" | "been" | "being" | "the" | "a" | "an" | "not"
    )
}

/// Auxiliaries and modals: after `that`, they make it a relative pronoun
/// ("a plan that would"), not the start of a reported clause.
pub fn is_auxiliary(word: &str) -> bool {
    matches!(
        word,
        "would"
            | "was"
            | "is"
            | "has"
            | "could"
            | "will"
            | "can"
            | "should"
            | "must"
            | "had"
            | "were"
            | "are"
            | "have"
            | "might"
            | "may"
            | "did"
            | "does"
            | "do"
    )
}

/// Verbs whose reported clause may come without `that` ("said Russia
/// would…"); others ("announced", "confirmed") take a noun unless `that`
/// follows.
pub fn that_optional(verb: &str) -> bool {
    matches!(
        verb,
        "said"
            | "says"
            | "say"
            | "added"
            | "adds"
            | "warned"
            | "warns"
            | "insisted"
            | "insists"
            | "argued"
            | "argues"
            | "stressed"
            | "emphasized"
            | "emphasised"
            | "noted"
            | "explained"
            | "claimed"
            | "claims"
            | "wrote"
            | "writes"
            | "told"
            | "tells"
            | "conceded"
            | "suggested"
            | "replied"
            | "complained"
            | "saying"
            | "adding"
            | "warning"
            | "insisting"
            | "arguing"
            | "telling"
            | "tweeted"
            | "predicted"
            | "believes"
            | "contended"
            | "maintained"
            | "cautioned"
    )
}

/// Personal pronouns that can be a speaker.
pub fn pronoun(word: &str) -> Option<Pronoun> {
    Some(match word {
        "he" | "she" => Pronoun::Person,
        "it" => Pronoun::It,
        "they" | "we" | "i" | "you" => Pronoun::Other,
        _ => return None,
    })
}

/// What a pronoun speaker can refer to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pronoun {
    /// `he`, `she`: the person in focus.
    Person,
    /// `it`: the organisation in focus.
    It,
    /// `they`, `we`: a group; left unresolved.
    Other,
}

/// Nouns naming an organisation (or a document standing for one) when
/// they head a speaker: "the ministry said", "a statement said".
const ORG_NOUNS: &[&str] = &[
    "ministry",
    "department",
    "government",
    "agency",
    "army",
    "military",
    "company",
    "firm",
    "statement",
    "report",
    "group",
    "council",
    "committee",
    "court",
    "police",
    "embassy",
    "office",
    "organization",
    "organisation",
    "coalition",
    "party",
    "bank",
    "union",
    "campaign",
    "commission",
    "newspaper",
    "network",
    "board",
    "federation",
    "alliance",
    "regime",
    "movement",
    "opposition",
    "kremlin",
    "administration",
    "parliament",
    "cabinet",
    "command",
    "authority",
    "authorities",
    "service",
    "corporation",
    "club",
    "team",
    "league",
    "website",
    "channel",
    "broadcaster",
    "communique",
    "communiqué",
    "declaration",
    "spokesman's",
    "presidency",
    "secretariat",
    "assembly",
    "congress",
    "senate",
    "fund",
    "institute",
    "observatory",
    "monitor",
    "center",
    "centre",
    "rebels",
    "association",
    "society",
    "college",
    "institution",
    "foundation",
    "charity",
    "lobby",
    "chamber",
    "exchange",
    "regulator",
    "watchdog",
    "airline",
    "carmaker",
    "automaker",
    "chipmaker",
    "drugmaker",
    "insurer",
    "retailer",
    "lender",
    "bloc",
];

/// Nouns of documents and data, which are sources but not speakers:
/// "according to LSEG data", "according to court records".
pub fn is_document_noun(noun: &str) -> bool {
    matches!(
        noun,
        "data"
            | "figures"
            | "statistics"
            | "records"
            | "documents"
            | "filings"
            | "filing"
            | "estimates"
            | "calendar"
            | "schedule"
            | "poll"
            | "polls"
            | "survey"
            | "census"
            | "tally"
            | "count"
    )
}

/// Whether a capitalised word names a person by nationality or origin
/// ("the Belarusian said", "the Scot"): common endings of demonyms and a
/// few short ones, less organisations that end alike.
pub fn is_demonym(word: &str) -> bool {
    const SHORT: &[&str] = &[
        "Scot",
        "Briton",
        "Swede",
        "Dane",
        "Finn",
        "Pole",
        "Brit",
        "Swiss",
        "Thai",
        "Greek",
        "Czech",
        "German",
        "Dutchman",
        "Frenchman",
        "Englishman",
        "Irishman",
        "Welshman",
        "Kiwi",
    ];
    const NOT: &[&str] = &[
        "Vatican", "Taliban", "Kremlin", "Pentagon", "Lebanon", "Japan",
    ];
    if NOT.contains(&word) {
        return false;
    }
    SHORT.contains(&word)
        || ["an", "ese", "ish", "ard", "ani", "eli", "aqi", "udi"]
            .iter()
            .any(|end| word.len() > end.len() + 2 && word.ends_with(end))
}

/// Heads of a phrase that speaks for an organisation: "a Treasury
/// spokesperson", "a spokesman for the ministry".
pub fn speaks_for(noun: &str) -> bool {
    matches!(noun, "spokesman" | "spokeswoman" | "spokesperson")
}

/// Whether `noun` (lowercase) names an organisation.
pub fn is_org_noun(noun: &str) -> bool {
    ORG_NOUNS.contains(&noun)
}

/// Words right before a quoted term that make it a name, title or
/// nickname rather than speech: "the so-called “Friends of Syria”".
pub fn marks_a_name(word: &str) -> bool {
    matches!(
        word,
        "so-called"
            | "dubbed"
            | "called"
            | "nicknamed"
            | "named"
            | "titled"
            | "entitled"
            | "termed"
            | "labelled"
            | "labeled"
            | "branded"
            | "as"
            | "word"
            | "words"
            | "phrase"
            | "slogan"
            | "read"
            | "reading"
            | "known"
            | "film"
            | "book"
            | "song"
            | "album"
            | "novel"
            | "movie"
            | "show"
            | "headlined"
            | "operation"
            | "hashtag"
            | "term"
    )
}

/// Prepositions that make the following name an object, not a subject:
/// "a meeting with Lakhdar Brahimi".
pub fn is_preposition(word: &str) -> bool {
    matches!(
        word,
        "with"
            | "of"
            | "to"
            | "for"
            | "by"
            | "from"
            | "about"
            | "against"
            | "on"
            | "in"
            | "at"
            | "after"
            | "before"
            | "between"
            | "like"
            | "than"
            | "as"
            | "into"
            | "over"
            | "under"
            | "toward"
            | "towards"
            | "among"
            | "during"
            | "without"
            | "behind"
            | "near"
            | "via"
            | "onto"
            | "upon"
    )
}

/// Words that open a reported clause when no `that` does: "said Russia
/// would…", "said he was…".
pub fn opens_clause(word: &str) -> bool {
    matches!(
        word,
        "he" | "she"
            | "it"
            | "they"
            | "we"
            | "i"
            | "you"
            | "there"
            | "the"
            | "a"
            | "an"
            | "his"
            | "her"
            | "its"
            | "their"
            | "our"
            | "this"
            | "these"
            | "those"
            | "some"
            | "no"
            | "any"
            | "all"
            | "both"
            | "such"
            | "many"
            | "most"
            | "nothing"
            | "everyone"
            | "nobody"
            | "if"
            | "what"
            | "how"
            | "why"
            | "whether"
            | "more"
            | "only"
            | "none"
            | "each"
            | "every"
            | "that"
            | "one"
            | "two"
            | "three"
            | "several"
            | "further"
    )
}

/// Time and place adjuncts that may stand between a verb and its clause:
/// "said Saturday that", "said on Friday".
pub fn is_time_word(word: &str) -> bool {
    matches!(
        word,
        "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "today"
            | "yesterday"
            | "tonight"
            | "earlier"
            | "later"
            | "on"
            | "late"
            | "early"
            | "last"
            | "this"
            | "week"
            | "month"
            | "year"
            | "morning"
            | "afternoon"
            | "evening"
            | "night"
            | "recently"
            | "again"
            | "also"
            | "privately"
            | "publicly"
            | "repeatedly"
    )
}

/// Nouns that head a description of a person: "the envoy", "the
/// 70-year-old diplomat".
const PERSON_NOUNS: &[&str] = &[
    "minister",
    "envoy",
    "diplomat",
    "president",
    "official",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "leader",
    "secretary",
    "ambassador",
    "general",
    "commander",
    "chief",
    "head",
    "director",
    "analyst",
    "expert",
    "lawyer",
    "attorney",
    "prosecutor",
    "judge",
    "senator",
    "lawmaker",
    "legislator",
    "governor",
    "mayor",
    "chairman",
    "chairwoman",
    "chair",
    "executive",
    "economist",
    "professor",
    "researcher",
    "scientist",
    "doctor",
    "witness",
    "resident",
    "activist",
    "man",
    "woman",
    "officer",
    "negotiator",
    "premier",
    "chancellor",
    "king",
    "queen",
    "prince",
    "emir",
    "cleric",
    "colonel",
    "captain",
    "coach",
    "manager",
    "player",
    "founder",
    "veteran",
    "politician",
    "candidate",
    "nominee",
    "mediator",
    "adviser",
    "advisor",
    "aide",
    "commissioner",
    "representative",
    "delegate",
    "monarch",
    "pope",
    "bishop",
    "priest",
    "imam",
    "rabbi",
    "owner",
    "boss",
    "striker",
    "midfielder",
    "defender",
    "goalkeeper",
    "star",
    "singer",
    "actor",
    "actress",
    "author",
    "writer",
    "historian",
    "student",
    "teacher",
    "farmer",
    "worker",
    "mother",
    "father",
    "engineer",
    "pilot",
    "soldier",
    "survivor",
    "dissident",
    "opposition",
    "rebel",
    "fighter",
    "commentator",
    "strategist",
    "banker",
    "investor",
    "trader",
    "inspector",
    "investigator",
    "physician",
    "surgeon",
    "nurse",
    "victim",
    "defendant",
    "suspect",
    "congressman",
    "congresswoman",
    "parliamentarian",
    "deputy",
    "economist",
    "host",
    "chief",
    "ceo",
    "boss",
    "entrepreneur",
    "editor",
    "journalist",
    "reporter",
    "correspondent",
    "commander",
    "marshal",
    "sheikh",
    "ayatollah",
    "mp",
    "mep",
    "lord",
    "baroness",
    "vice",
    "veteran",
    "campaigner",
    "organizer",
    "organiser",
    "protester",
    "demonstrator",
    "villager",
    "driver",
    "shopkeeper",
    "owner",
    "citizen",
    "refugee",
    "mufti",
    "patriarch",
    "cardinal",
    "archbishop",
    "opponent",
    "rival",
    "challenger",
    "incumbent",
    "counterpart",
    "colleague",
    "crewmate",
    "teammate",
    "friend",
    "neighbor",
    "neighbour",
    "relative",
    "husband",
    "wife",
    "son",
    "daughter",
    "brother",
    "sister",
    "girl",
    "boy",
    "person",
    "people",
    "councillor",
    "councilor",
    "dean",
    "principal",
    "veterinarian",
    "vet",
    "curator",
    "keeper",
    "librarian",
    "trustee",
    "regulator",
    "treasurer",
    "auditor",
    "accountant",
    "consultant",
    "architect",
    "paramedic",
    "firefighter",
    "sheriff",
    "detective",
    "constable",
    "superintendent",
    "sergeant",
    "lieutenant",
    "admiral",
    "ranger",
    "warden",
    "clerk",
    "pastor",
    "chef",
    "designer",
    "artist",
    "musician",
    "producer",
    "filmmaker",
    "athlete",
    "trainer",
    "referee",
    "skipper",
    "mechanic",
    "miner",
    "fisherman",
    "landlord",
    "tenant",
    "homeowner",
    "shopper",
    "customer",
    "passenger",
    "patient",
    "parent",
    "grandmother",
    "grandfather",
    "scholar",
    "lecturer",
    "academic",
    "chemist",
    "forecaster",
    "astronaut",
    "cosmonaut",
];

/// Whether `noun` (lowercase, singular or plural) names a person by role.
pub fn is_person_noun(noun: &str) -> bool {
    let singular = noun.strip_suffix('s').unwrap_or(noun);
    PERSON_NOUNS.contains(&noun)
        || PERSON_NOUNS.contains(&singular)
        || noun.ends_with("-old")
        // "biologist", "epidemiologist"; "physician", "statistician".
        || singular.ends_with("ologist")
        || singular.ends_with("ician")
        || noun == "men"
        || noun == "women"
}

/// Determiners and quantifiers that say a speaker is not identified: "a
/// senior official", "one resident", "officials".
pub fn is_indefinite(word: &str) -> bool {
    matches!(
        word,
        "a" | "an"
            | "one"
            | "another"
            | "some"
            | "several"
            | "two"
            | "three"
            | "four"
            | "many"
            | "other"
            | "others"
            | "most"
            | "few"
            | "various"
            | "numerous"
            | "neither"
            | "no"
            | "each"
            | "every"
            | "any"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists() {
        assert!(is_abbreviation("U.N"));
        assert!(is_abbreviation("Mr"));
        assert!(!is_abbreviation("Lavrov"));
        assert_eq!(verb("said"), Some(Verb::Clause));
        assert_eq!(verb("asked"), Some(Verb::QuoteOnly));
        assert!(is_person_noun("diplomats"));
        assert!(is_person_noun("70-year-old"));
        assert!(!is_person_noun("ministry"));
        assert!(is_org_noun("ministry"));
    }
}
