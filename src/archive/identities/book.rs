//! What `--people NAME` and `--orgs NAME` look at: a registry's
//! identities, the search for a name among them, and the names of the ids
//! their cards mention. People and organisations go through this one
//! interface, so that one lister and one card printer serve both
//! ([`crate::print::identities`]).

use std::collections::HashMap;

use super::orgs::OrgRegistry;
use super::registry::{Identity, IdentityId, Registry};

/// Identities to list and show.
pub trait Book {
    /// What one identity is, for messages: `person`, `organisation`.
    fn noun(&self) -> &'static str;
    /// An identity.
    fn identity(&self, i: IdentityId) -> &Identity;
    /// The identity with this id (also one merged away).
    fn by_id(&self, id: &str) -> Option<IdentityId>;
    /// The display name of an id a card mentions (its own kind's or,
    /// for an organisation's people, a person's).
    fn name_of(&self, id: &str) -> Option<&str>;
    /// The identities a name matches, most stories first.
    fn search(&self, query: &str) -> Vec<IdentityId>;
    /// Whether cards list co-mentioned people beside their own kind.
    fn with_people(&self) -> bool {
        false
    }
}

impl Book for Registry {
    fn noun(&self) -> &'static str {
        "person"
    }
    fn identity(&self, i: IdentityId) -> &Identity {
        self.get(i)
    }
    fn by_id(&self, id: &str) -> Option<IdentityId> {
        Registry::by_id(self, id)
    }
    fn name_of(&self, id: &str) -> Option<&str> {
        Registry::by_id(self, id).map(|i| self.get(i).name.as_str())
    }
    fn search(&self, query: &str) -> Vec<IdentityId> {
        Registry::search(self, query)
    }
}

/// The organisations' registry with its cards filled
/// ([`OrgRegistry::add_cards`]) and the names of the people on them.
pub struct OrgBook {
    pub orgs: OrgRegistry,
    people: HashMap<String, String>,
}

impl OrgBook {
    /// A book of `orgs`, whose cards' person ids `people` names.
    pub fn new(orgs: OrgRegistry, people: HashMap<String, String>) -> OrgBook {
        OrgBook { orgs, people }
    }
}

impl Book for OrgBook {
    fn noun(&self) -> &'static str {
        "organisation"
    }
    fn identity(&self, i: IdentityId) -> &Identity {
        self.orgs.get(i)
    }
    fn by_id(&self, id: &str) -> Option<IdentityId> {
        self.orgs.by_id(id.trim())
    }
    fn name_of(&self, id: &str) -> Option<&str> {
        match self.orgs.by_id(id) {
            Some(i) => Some(self.orgs.get(i).name.as_str()),
            None => self.people.get(id).map(String::as_str),
        }
    }
    fn search(&self, query: &str) -> Vec<IdentityId> {
        self.orgs.search(query)
    }
    fn with_people(&self) -> bool {
        true
    }
}
