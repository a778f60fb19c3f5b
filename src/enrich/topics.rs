//! Topics from the IPTC Media Topics taxonomy.
//!
//! STUB: issue 5 replaces this.

use crate::article::TopicScore;

/// Classify a story: topics best first, top level first. A story with text
/// always gets at least one topic.
pub fn classify(_headline: Option<&str>, _lead: &str, _body: &str) -> Vec<TopicScore> {
    Vec::new()
}

/// Every label under which a topic label is searchable: the label itself and
/// its ancestors, so that `topic:` on a parent matches its sub-topics.
pub fn expand(label: &str) -> Vec<String> {
    vec![label.to_string()]
}
