//! What only exists across stories: the identity registry of people.

pub mod identities;
