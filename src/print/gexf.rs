//! Graph files that Gephi, Cytoscape and networkx open: GEXF 1.3 and
//! GraphML, written with an XML writer (names are escaped by it).

use std::io::{self, Write};

use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;

use crate::views::network::Network;

fn xml<W: Write>(out: W) -> io::Result<Writer<W>> {
    let mut w = Writer::new_with_indent(out, b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    Ok(w)
}

/// The network as GEXF 1.3: nodes with their label, kind and story count
/// (attributes `kind` and `stories`), undirected weighted edges.
pub fn gexf(out: impl Write, net: &Network) -> io::Result<()> {
    let mut w = xml(out)?;
    w.create_element("gexf")
        .with_attribute(("xmlns", "http://gexf.net/1.3"))
        .with_attribute(("version", "1.3"))
        .write_inner_content(|w| {
            w.create_element("meta").write_inner_content(|w| {
                w.create_element("creator")
                    .write_text_content(BytesText::new("dateline"))?;
                w.create_element("description")
                    .write_text_content(BytesText::new(&format!(
                        "co-mentions in {} stories",
                        net.stories
                    )))?;
                Ok(())
            })?;
            w.create_element("graph")
                .with_attribute(("defaultedgetype", "undirected"))
                .with_attribute(("mode", "static"))
                .write_inner_content(|w| {
                    w.create_element("attributes")
                        .with_attribute(("class", "node"))
                        .write_inner_content(|w| {
                            for (id, title, ty) in
                                [("0", "kind", "string"), ("1", "stories", "integer")]
                            {
                                w.create_element("attribute")
                                    .with_attribute(("id", id))
                                    .with_attribute(("title", title))
                                    .with_attribute(("type", ty))
                                    .write_empty()?;
                            }
                            Ok(())
                        })?;
                    w.create_element("nodes").write_inner_content(|w| {
                        for n in &net.nodes {
                            let stories = n.stories.to_string();
                            w.create_element("node")
                                .with_attribute(("id", n.id.as_str()))
                                .with_attribute(("label", n.label.as_str()))
                                .write_inner_content(|w| {
                                    w.create_element("attvalues").write_inner_content(|w| {
                                        for (f, v) in
                                            [("0", n.kind.name()), ("1", stories.as_str())]
                                        {
                                            w.create_element("attvalue")
                                                .with_attribute(("for", f))
                                                .with_attribute(("value", v))
                                                .write_empty()?;
                                        }
                                        Ok(())
                                    })?;
                                    Ok(())
                                })?;
                        }
                        Ok(())
                    })?;
                    w.create_element("edges").write_inner_content(|w| {
                        for (i, e) in net.edges.iter().enumerate() {
                            w.create_element("edge")
                                .with_attribute(("id", i.to_string().as_str()))
                                .with_attribute(("source", e.source.as_str()))
                                .with_attribute(("target", e.target.as_str()))
                                .with_attribute(("weight", e.weight.to_string().as_str()))
                                .write_empty()?;
                        }
                        Ok(())
                    })?;
                    Ok(())
                })?;
            Ok(())
        })?;
    let mut out = w.into_inner();
    out.write_all(b"\n")?;
    out.flush()
}

/// The network as GraphML: node keys `label`, `kind`, `stories`; edge key
/// `weight`.
pub fn graphml(out: impl Write, net: &Network) -> io::Result<()> {
    let mut w = xml(out)?;
    w.create_element("graphml")
        .with_attribute(("xmlns", "http://graphml.graphdrawing.org/xmlns"))
        .write_inner_content(|w| {
            for (id, on, name, ty) in [
                ("label", "node", "label", "string"),
                ("kind", "node", "kind", "string"),
                ("stories", "node", "stories", "int"),
                ("weight", "edge", "weight", "int"),
            ] {
                w.create_element("key")
                    .with_attribute(("id", id))
                    .with_attribute(("for", on))
                    .with_attribute(("attr.name", name))
                    .with_attribute(("attr.type", ty))
                    .write_empty()?;
            }
            w.create_element("graph")
                .with_attribute(("id", "comentions"))
                .with_attribute(("edgedefault", "undirected"))
                .write_inner_content(|w| {
                    for n in &net.nodes {
                        w.create_element("node")
                            .with_attribute(("id", n.id.as_str()))
                            .write_inner_content(|w| {
                                let stories = n.stories.to_string();
                                for (k, v) in [
                                    ("label", n.label.as_str()),
                                    ("kind", n.kind.name()),
                                    ("stories", &stories),
                                ] {
                                    w.create_element("data")
                                        .with_attribute(("key", k))
                                        .write_text_content(BytesText::new(v))?;
                                }
                                Ok(())
                            })?;
                    }
                    for e in &net.edges {
                        w.create_element("edge")
                            .with_attribute(("source", e.source.as_str()))
                            .with_attribute(("target", e.target.as_str()))
                            .write_inner_content(|w| {
                                w.create_element("data")
                                    .with_attribute(("key", "weight"))
                                    .write_text_content(BytesText::new(&e.weight.to_string()))?;
                                Ok(())
                            })?;
                    }
                    Ok(())
                })?;
            Ok(())
        })?;
    let mut out = w.into_inner();
    out.write_all(b"\n")?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::network::{Edge, Kind, Node};

    fn net() -> Network {
        Network {
            nodes: vec![
                Node {
                    id: "person:A & B".into(),
                    label: "A & B".into(),
                    kind: Kind::Person,
                    stories: 2,
                },
                Node {
                    id: "place:<C>".into(),
                    label: "<C>".into(),
                    kind: Kind::Place,
                    stories: 1,
                },
            ],
            edges: vec![Edge {
                source: "person:A & B".into(),
                target: "place:<C>".into(),
                weight: 1,
            }],
            stories: 2,
            edges_found: 1,
        }
    }

    #[test]
    fn graph_files_parse_back_as_xml() {
        for graph in 0..2 {
            let mut out = Vec::new();
            if graph == 0 {
                gexf(&mut out, &net()).unwrap();
            } else {
                graphml(&mut out, &net()).unwrap();
            }
            let text = String::from_utf8(out).unwrap();
            assert!(text.contains("A &amp; B"), "{text}");
            let mut reader = quick_xml::Reader::from_str(&text);
            let (mut nodes, mut edges) = (0, 0);
            loop {
                match reader.read_event().unwrap() {
                    Event::Eof => break,
                    Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                        b"node" => nodes += 1,
                        b"edge" => edges += 1,
                        _ => {}
                    },
                    _ => {}
                }
            }
            assert_eq!((nodes, edges), (2, 1));
        }
    }
}
