//! Small in-memory indexes of hand-made articles for the search tests.

use crate::article::{Article, Dateline};
use crate::index::document::to_document;
use crate::index::store::IndexHandle;

/// An article with the given id, date and body; other fields empty.
pub fn article(id: &str, date: &str, body: &str) -> Article {
    Article {
        id: id.into(),
        path: format!("test/{id}.txt"),
        format: "text".into(),
        date: (!date.is_empty()).then(|| date.to_string()),
        body: body.into(),
        ..Article::default()
    }
}

/// An index in RAM holding `articles`, committed in one segment.
pub fn index_of(articles: &[Article]) -> IndexHandle {
    let handle = IndexHandle::in_ram();
    let mut writer = handle
        .index
        .writer_with_num_threads(1, 50_000_000)
        .expect("writer");
    for a in articles {
        writer
            .add_document(to_document(&handle.fields, a))
            .expect("add");
    }
    writer.commit().expect("commit");
    handle
}

/// A small archive about Syria, Russia and an election.
pub fn corpus() -> Vec<Article> {
    let mut assad = article(
        "assad",
        "2012-12-29",
        "DAMASCUS, Syria (AP) — Assad’s forces shelled the suburbs of Damascus on Saturday.\n\n\
         The envoy urged a political transition. Officials said the transition would be political, not military.",
    );
    assad.headline = Some("Syrian forces shell Damascus suburbs".into());
    assad.people = vec!["Bashar Assad".into()];
    assad.person_aliases = vec!["Assad".into(), "Bashar Assad".into()];
    assad.places = vec!["Damascus".into()];
    assad.countries = vec!["Syria".into()];
    assad.topics = vec!["conflict".into()];
    assad.dateline = Some(Dateline {
        text: "DAMASCUS, Syria".into(),
        place: Some("Damascus".into()),
        country: Some("Syria".into()),
        agency: Some("AP".into()),
    });
    assad.source = Some("AP".into());

    let mut lavrov = article(
        "lavrov",
        "2012-12-31",
        "MOSCOW (Reuters) - Russia's foreign minister said on Monday there was no military solution in Syria. \
         He met the envoy in Moscow.",
    );
    lavrov.headline = Some("Russia sees no military solution".into());
    lavrov.people = vec!["Sergei Lavrov".into()];
    lavrov.person_aliases = vec!["Lavrov".into()];
    lavrov.places = vec!["Moscow".into()];
    lavrov.countries = vec!["Russia".into(), "Syria".into()];
    lavrov.source = Some("Reuters".into());
    lavrov.source_codes = vec!["reuters:crude".into()];
    lavrov.topics = vec!["conflict".into()];

    let mut vote = article(
        "vote",
        "2013-01-15",
        "ZÜRICH (Reuters) - Swiss voters go to the polls in Zürich. The elections are the first since 2010.",
    );
    vote.headline = Some("Swiss elections".into());
    vote.places = vec!["Zürich".into()];
    vote.countries = vec!["Switzerland".into()];
    vote.topics = vec!["election".into()];
    vote.source = Some("Reuters".into());

    let mut old = article(
        "old",
        "2012-11-30",
        "Oil prices rose. Crude traded higher in London as Syria tensions grew.",
    );
    old.source_codes = vec!["reuters:crude".into()];
    old.topics = vec!["economy".into()];

    let undated = article("undated", "", "An undated note about Syria and oil.");

    vec![assad, lavrov, vote, old, undated]
}

/// An index in RAM with one segment per group of articles, to test that
/// counts, facets and orders merge across segments.
pub fn index_in_segments(groups: &[&[Article]]) -> IndexHandle {
    let handle = IndexHandle::in_ram();
    let mut writer = handle
        .index
        .writer_with_num_threads(1, 50_000_000)
        .expect("writer");
    for group in groups {
        for a in *group {
            writer
                .add_document(to_document(&handle.fields, a))
                .expect("add");
        }
        writer.commit().expect("commit");
    }
    handle
}
