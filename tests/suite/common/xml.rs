//! XML the build writes (sitemap, Atom feeds), read with quick-xml: a file that is not
//! well-formed fails the test that reads it, as it would fail a feed reader or a search engine.

use std::collections::BTreeMap;

use quick_xml::events::Event;

/// An element: its name as written (`xhtml:link`), attributes, text and child elements.
#[derive(Debug, Default)]
pub struct Element {
    pub name: String,
    pub attrs: BTreeMap<String, String>,
    /// The element's own text (entities decoded), trimmed.
    pub text: String,
    pub children: Vec<Element>,
}

impl Element {
    /// The document element of `xml`, parsed; panics naming what is wrong with it.
    pub fn parse(xml: &str) -> Element {
        let mut reader = quick_xml::Reader::from_str(xml);
        let mut stack = vec![Element::default()];
        loop {
            let event = reader.read_event().unwrap_or_else(|err| {
                panic!(
                    "XML not well-formed at byte {}: {err}\n{xml}",
                    reader.error_position()
                )
            });
            match event {
                Event::Start(start) => stack.push(element(&start)),
                Event::Empty(start) => {
                    let done = element(&start);
                    push_child(&mut stack, done);
                }
                Event::End(_) => {
                    let mut done = stack.pop().expect("an end tag closes an open element");
                    done.text = done.text.trim().to_owned();
                    push_child(&mut stack, done);
                }
                Event::Text(text) => {
                    let text = text.xml_content().unwrap_or_else(|e| panic!("{e}\n{xml}"));
                    top(&mut stack).text.push_str(&text);
                }
                Event::GeneralRef(entity) => {
                    let name = String::from_utf8_lossy(&entity).into_owned();
                    let text = quick_xml::escape::unescape(&format!("&{name};"))
                        .unwrap_or_else(|e| panic!("&{name}; {e}\n{xml}"))
                        .into_owned();
                    top(&mut stack).text.push_str(&text);
                }
                Event::CData(data) => {
                    top(&mut stack)
                        .text
                        .push_str(&String::from_utf8_lossy(&data));
                }
                Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(stack.len(), 1, "XML ends with elements left open\n{xml}");
        let mut root = stack.pop().unwrap_or_default();
        assert_eq!(
            root.children.len(),
            1,
            "XML has one document element\n{xml}"
        );
        root.children.pop().unwrap_or_default()
    }

    /// This element and every element inside it named `name`, in document order.
    pub fn all(&self, name: &str) -> Vec<&Element> {
        let mut found = Vec::new();
        self.collect(name, &mut found);
        found
    }

    fn collect<'a>(&'a self, name: &str, found: &mut Vec<&'a Element>) {
        if self.name == name {
            found.push(self);
        }
        for child in &self.children {
            child.collect(name, found);
        }
    }

    /// The text of every element named `name` in this one.
    pub fn texts(&self, name: &str) -> Vec<String> {
        self.all(name).into_iter().map(|e| e.text.clone()).collect()
    }
}

fn top(stack: &mut [Element]) -> &mut Element {
    stack
        .last_mut()
        .expect("the document's root is on the stack")
}

fn push_child(stack: &mut [Element], child: Element) {
    top(stack).children.push(child);
}

fn element(start: &quick_xml::events::BytesStart<'_>) -> Element {
    let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
    let attrs = start
        .attributes()
        .map(|attr| {
            let attr = attr.unwrap_or_else(|e| panic!("an attribute of <{name}>: {e}"));
            let key = String::from_utf8_lossy(attr.key.as_ref()).into_owned();
            let value = attr
                .unescape_value()
                .unwrap_or_else(|e| panic!("attribute {key} of <{name}>: {e}"))
                .into_owned();
            (key, value)
        })
        .collect();
    Element {
        name,
        attrs,
        ..Element::default()
    }
}

/// The text of every `<tag>…</tag>` in `xml`.
pub fn xml_texts(xml: &str, tag: &str) -> Vec<String> {
    Element::parse(xml).texts(tag)
}

/// The attributes of every `<tag …>` element in `xml`.
pub fn xml_elements(xml: &str, tag: &str) -> Vec<BTreeMap<String, String>> {
    Element::parse(xml)
        .all(tag)
        .into_iter()
        .map(|e| e.attrs.clone())
        .collect()
}

/// The hrefs of every entry of an Atom feed (`<link href>` inside `<entry>`, or its `<id>`).
pub fn feed_entry_links(feed: &str) -> Vec<String> {
    Element::parse(feed)
        .all("entry")
        .into_iter()
        .map(|entry| {
            entry
                .all("link")
                .into_iter()
                .find(|l| l.attrs.get("rel").is_none_or(|r| r == "alternate"))
                .and_then(|l| l.attrs.get("href").cloned())
                .or_else(|| entry.texts("id").into_iter().next())
                .unwrap_or_default()
        })
        .collect()
}
