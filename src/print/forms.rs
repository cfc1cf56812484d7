//! Fillable fields for the practice's details, added to the PDFs Typst writes.
//!
//! Typst has no form fields yet (typst#1765), so the templates mark where each box is
//! (`metadata((field: …, width: …, height: …)) <form-field>`) and this module adds a text field
//! there, as an incremental update of Typst's file (lopdf): Typst's own objects stay as they
//! were, the new ones are appended. Each field has an appearance, uses an embedded font (a
//! WinAnsi subset of Noto Sans, so the names of practices in English and western European
//! languages type and print in every viewer), is tagged as a `Form` structure element with the
//! label as its alternative text (PDF/UA), and repeats on every card of a sheet with one value.

use std::num::NonZeroUsize;

// `dictionary!` calls itself unqualified for a trailing comma, so it must be in scope by name.
use lopdf::dictionary;
use lopdf::{Dictionary, IncrementalDocument, Object, ObjectId, Stream, StringFormat};
use typst::foundations::{Label, Selector, Value};
use typst::introspection::{Introspector, MetadataElem};
use typst::utils::PicoStr;
use typst_layout::PagedDocument;

/// The resource name of the fields' font in the form's default resources.
const FONT: &[u8] = b"NotoSans";

/// A text field: where it is on which page, in PDF points from the bottom left of the sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub page: NonZeroUsize,
    pub rect: [f32; 4],
}

/// The font typed text is shown in: a TrueType file with a Unicode cmap, and what a PDF font
/// dictionary says of it, worked out once per build.
pub struct FormFont {
    bytes: Vec<u8>,
    /// Widths of the WinAnsi codes 32 to 255, in thousandths of an em.
    widths: Vec<f32>,
    bbox: [f32; 4],
    ascent: f32,
    descent: f32,
    cap_height: f32,
    /// The PostScript name, with a subset tag (`ABCDEF+`): the file holds only WinAnsi's
    /// characters, and a viewer must not take it for the whole font.
    name: String,
}

impl FormFont {
    pub fn new(bytes: Vec<u8>) -> Option<FormFont> {
        let face = ttf_parser::Face::parse(&bytes, 0).ok()?;
        let units = f32::from(face.units_per_em());
        let em = |v: i16| f32::from(v) * 1000.0 / units;
        let widths = (32u8..=255)
            .map(|code| {
                winansi(code)
                    .and_then(|c| face.glyph_index(c))
                    .and_then(|g| face.glyph_hor_advance(g))
                    .map_or(0.0, |w| f32::from(w) * 1000.0 / units)
            })
            .collect();
        let b = face.global_bounding_box();
        let postscript = face
            .names()
            .into_iter()
            .find(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME && n.is_unicode())
            .and_then(|n| n.to_string())
            .filter(|n| !n.is_empty() && n.is_ascii() && !n.contains([' ', '/', '(', ')']))
            .unwrap_or_else(|| "FormFont".to_owned());
        // The tag is made from the file, so the same font always gets the same one.
        let tag: String = blake3::hash(&bytes).as_bytes()[..6]
            .iter()
            .map(|b| char::from(b'A' + b % 26))
            .collect();
        Some(FormFont {
            name: format!("{tag}+{postscript}"),
            widths,
            bbox: [em(b.x_min), em(b.y_min), em(b.x_max), em(b.y_max)],
            ascent: em(face.ascender()),
            descent: em(face.descender()),
            cap_height: em(face.capital_height().unwrap_or(face.ascender())),
            bytes,
        })
    }
}

/// The character a WinAnsi code stands for, as PDF readers map it.
fn winansi(code: u8) -> Option<char> {
    let text = lopdf::Encoding::SimpleEncoding(b"WinAnsiEncoding")
        .bytes_to_string(&[code])
        .ok()?;
    let mut chars = text.chars();
    chars.next().filter(|_| chars.next().is_none())
}

/// The boxes the templates marked, placed on their sheets.
pub fn fields(document: &PagedDocument) -> Vec<Field> {
    let Some(label) = Label::new(PicoStr::intern("form-field")) else {
        return Vec::new();
    };
    let introspector = document.introspector();
    let mut fields = Vec::new();
    for marker in introspector.query(&Selector::Label(label)) {
        let Some(meta) = marker.to_packed::<MetadataElem>() else {
            continue;
        };
        let Value::Dict(value) = &meta.value else {
            continue;
        };
        let text = |key: &str| match value.get(key) {
            Ok(Value::Str(s)) => Some(s.to_string()),
            _ => None,
        };
        let number = |key: &str| match value.get(key) {
            Ok(Value::Float(f)) => Some(*f),
            Ok(Value::Int(i)) => Some(*i as f64),
            _ => None,
        };
        let (Some(name), Some(width), Some(height)) =
            (text("field"), number("width"), number("height"))
        else {
            continue;
        };
        let Some(position) = marker.location().and_then(|l| introspector.position(l)) else {
            continue;
        };
        let Some(page) = document.pages().get(position.page.get() - 1) else {
            continue;
        };
        // Positions are on the trimmed page; the PDF's sheet adds the bleed around it.
        let sheet_height = page.frame.height() + page.bleed.top + page.bleed.bottom;
        let left = (page.bleed.left + position.point.x).to_pt();
        let top = (sheet_height - page.bleed.top - position.point.y).to_pt();
        fields.push(Field {
            name,
            page: position.page,
            rect: [
                left as f32,
                (top - height) as f32,
                (left + width) as f32,
                top as f32,
            ],
        });
    }
    fields
}

/// `pdf` with text fields for `fields`, labelled by `labels` (field name -> what the box asks
/// for, in the item's language).
pub fn add(
    pdf: &[u8],
    fields: &[Field],
    labels: &dyn Fn(&str) -> String,
    font: &FormFont,
) -> Result<Vec<u8>, String> {
    let previous = lopdf::Document::load_mem(pdf).map_err(|e| e.to_string())?;
    let pages = previous.get_pages();
    let catalog_id = previous
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|e| e.to_string())?;
    let mut update = IncrementalDocument::create_from(pdf.to_vec(), previous);
    let font_id = add_font(&mut update, font);
    let structure = Structure::read(update.get_prev_documents(), catalog_id);
    let mut form = Form {
        update,
        font_id,
        labels,
        structure,
        parents: Vec::new(),
    };
    for field in fields {
        let page_number = u32::try_from(field.page.get()).unwrap_or(u32::MAX);
        let Some(&page_id) = pages.get(&page_number) else {
            continue;
        };
        form.add_widget(field, page_id)?;
    }

    let Form {
        mut update,
        structure,
        parents,
        ..
    } = form;
    let field_refs = register_fields(&mut update, parents, labels);
    if let (Some(tree), Some(document_element)) = (structure.tree, structure.document_element) {
        link_structure(
            &mut update,
            tree,
            document_element,
            structure.parent_tree,
            structure.elements,
            structure.next_key,
        )?;
    }
    set_acro_form(&mut update, catalog_id, field_refs, font_id)?;
    let mut out = Vec::with_capacity(pdf.len() + font.bytes.len() / 2 + 4096);
    update.save_to(&mut out).map_err(|e| e.to_string())?;
    Ok(out)
}

/// Where the fields' `Form` elements go in the structure tree Typst wrote, and what they add
/// to it. Without a tree and a document element in it, the fields are not tagged.
struct Structure {
    tree: Option<ObjectId>,
    document_element: Option<ObjectId>,
    /// The parent-tree key the next widget takes.
    next_key: i64,
    /// Key, then element, for each tagged widget: what the parent tree's `Nums` gain.
    parent_tree: Vec<Object>,
    /// The `Form` elements, which become kids of the document element.
    elements: Vec<Object>,
}

impl Structure {
    /// The structure tree of `previous`: its root, the document element (the root's first
    /// kid), and the first parent-tree key Typst left free, so that new keys clash with none.
    fn read(previous: &lopdf::Document, catalog_id: ObjectId) -> Structure {
        let tree = previous
            .get_dictionary(catalog_id)
            .and_then(|c| c.get(b"StructTreeRoot"))
            .and_then(Object::as_reference)
            .ok();
        let document_element = tree.and_then(|t| {
            previous
                .get_dictionary(t)
                .ok()?
                .get(b"K")
                .ok()
                .and_then(|k| match k {
                    Object::Array(kids) => kids.first()?.as_reference().ok(),
                    other => other.as_reference().ok(),
                })
        });
        let next_key = tree
            .and_then(|t| previous.get_dictionary(t).ok())
            .and_then(|t| t.get(b"ParentTreeNextKey").ok())
            .and_then(|k| k.as_i64().ok())
            .unwrap_or(0);
        Structure {
            tree,
            document_element,
            next_key,
            parent_tree: Vec::new(),
            elements: Vec::new(),
        }
    }
}

/// One field of the AcroForm: a name, and its widgets, one on each card that has the box, so
/// that a value typed once shows on all of them.
struct Parent {
    name: String,
    id: ObjectId,
    widgets: Vec<Object>,
}

/// The update while the widgets go in, with what the steps after them need: the fields by
/// name, and the structure tree's new elements and keys.
struct Form<'a> {
    update: IncrementalDocument,
    font_id: ObjectId,
    labels: &'a dyn Fn(&str) -> String,
    structure: Structure,
    /// In the order the names first come.
    parents: Vec<Parent>,
}

impl Form<'_> {
    /// Adds `field`'s widget to the page `page_id`: under the field of its name, tagged when
    /// the PDF has a structure tree, and in the page's annotations.
    fn add_widget(&mut self, field: &Field, page_id: ObjectId) -> Result<(), String> {
        let parent = self.parent(&field.name);
        let [x0, y0, x1, y1] = field.rect;
        let (width, height) = (x1 - x0, y1 - y0);
        let size = (height * 0.62).clamp(4.0, 12.0);
        let appearance = self.appearance(width, height);
        let widget_id = self.update.new_document.new_object_id();
        let mut widget = dictionary! {
            "Type" => "Annot",
            "Subtype" => "Widget",
            "Rect" => vec![x0.into(), y0.into(), x1.into(), y1.into()],
            // Printed, and shown on screen.
            "F" => 4,
            "P" => page_id,
            "Parent" => self.parents[parent].id,
            "DA" => Object::string_literal(format!("/NotoSans {size:.1} Tf 0 g")),
            "AP" => dictionary! { "N" => appearance },
        };
        if let Some(key) = self.tag(&field.name, widget_id, page_id) {
            widget.set("StructParent", key);
        }
        self.update
            .new_document
            .objects
            .insert(widget_id, widget.into());
        self.parents[parent].widgets.push(widget_id.into());
        show_on_page(&mut self.update, page_id, widget_id)
    }

    /// The index in `parents` of the field named `name`, added (its object number taken,
    /// its dictionary written at the end) when it is the first box of that name.
    fn parent(&mut self, name: &str) -> usize {
        match self.parents.iter().position(|p| p.name == name) {
            Some(i) => i,
            None => {
                let id = self.update.new_document.new_object_id();
                self.parents.push(Parent {
                    name: name.to_owned(),
                    id,
                    widgets: Vec::new(),
                });
                self.parents.len() - 1
            }
        }
    }

    /// An empty appearance the size of the box, with the fields' font: every widget must
    /// have one, and viewers draw a typed value themselves (`NeedAppearances`).
    fn appearance(&mut self, width: f32, height: f32) -> ObjectId {
        self.update.new_document.add_object(Stream::new(
            dictionary! {
                "Type" => "XObject",
                "Subtype" => "Form",
                "BBox" => vec![0.into(), 0.into(), width.into(), height.into()],
                "Resources" => dictionary! {
                    "Font" => dictionary! { FONT.to_vec() => self.font_id },
                },
            },
            b"/Tx BMC\nEMC\n".to_vec(),
        ))
    }

    /// The widget's key in the parent tree, when it is tagged: a `Form` element for it under
    /// the document element, with the box's label as what screen readers say.
    fn tag(&mut self, name: &str, widget_id: ObjectId, page_id: ObjectId) -> Option<i64> {
        let key = self.structure.next_key;
        self.structure.next_key += 1;
        let document_element = self.structure.document_element?;
        let element = self.update.new_document.add_object(dictionary! {
            "Type" => "StructElem",
            "S" => "Form",
            "P" => document_element,
            "Alt" => text_string(&(self.labels)(name)),
            "K" => dictionary! {
                "Type" => "OBJR",
                "Obj" => widget_id,
                "Pg" => page_id,
            },
        });
        self.structure.parent_tree.push(key.into());
        self.structure.parent_tree.push(element.into());
        self.structure.elements.push(element.into());
        Some(key)
    }
}

/// Lists the widget among its page's annotations.
fn show_on_page(
    update: &mut IncrementalDocument,
    page_id: ObjectId,
    widget_id: ObjectId,
) -> Result<(), String> {
    let page = editable(update, page_id)?;
    let mut annots = match page.get(b"Annots") {
        Ok(Object::Array(a)) => a.clone(),
        _ => Vec::new(),
    };
    annots.push(widget_id.into());
    page.set("Annots", annots);
    // Tab through the fields in the order of the structure tree, as PDF/UA asks.
    page.set("Tabs", "S");
    Ok(())
}

/// Writes each field's dictionary, with its name and label, and gives references to them all
/// for the AcroForm.
fn register_fields(
    update: &mut IncrementalDocument,
    parents: Vec<Parent>,
    labels: &dyn Fn(&str) -> String,
) -> Vec<Object> {
    let mut field_refs = Vec::new();
    for Parent { name, id, widgets } in parents {
        let dictionary = dictionary! {
            "FT" => "Tx",
            "T" => text_string(&name),
            "TU" => text_string(&labels(&name)),
            "DA" => Object::string_literal("/NotoSans 0 Tf 0 g"),
            "Kids" => widgets,
        };
        update.new_document.objects.insert(id, dictionary.into());
        field_refs.push(Object::Reference(id));
    }
    field_refs
}

/// Gives the catalog its AcroForm: the fields, and the font typed text is shown in.
fn set_acro_form(
    update: &mut IncrementalDocument,
    catalog_id: ObjectId,
    field_refs: Vec<Object>,
    font_id: ObjectId,
) -> Result<(), String> {
    let catalog = editable(update, catalog_id)?;
    catalog.set(
        "AcroForm",
        dictionary! {
            "Fields" => field_refs,
            "DR" => dictionary! {
                "Font" => dictionary! { FONT.to_vec() => font_id },
            },
            "DA" => Object::string_literal("/NotoSans 0 Tf 0 g"),
            // Viewers draw a value set by another program (a mail merge, a script) afresh.
            "NeedAppearances" => true,
        },
    );
    Ok(())
}

/// The `Form` elements under the document element, and their keys in the parent tree.
fn link_structure(
    update: &mut IncrementalDocument,
    tree: ObjectId,
    document_element: ObjectId,
    parent_tree: Vec<Object>,
    elements: Vec<Object>,
    next_key: i64,
) -> Result<(), String> {
    let element = editable(update, document_element)?;
    let mut kids = match element.get(b"K") {
        Ok(Object::Array(kids)) => kids.clone(),
        Ok(other) => vec![other.clone()],
        Err(_) => Vec::new(),
    };
    kids.extend(elements);
    element.set("K", kids);

    let root = editable(update, tree)?;
    let mut parents = match root.get(b"ParentTree") {
        Ok(Object::Dictionary(d)) => d.clone(),
        _ => Dictionary::new(),
    };
    let mut nums = match parents.get(b"Nums") {
        Ok(Object::Array(n)) => n.clone(),
        _ => Vec::new(),
    };
    nums.extend(parent_tree);
    parents.set("Nums", nums);
    root.set("ParentTree", parents);
    root.set("ParentTreeNextKey", next_key);
    Ok(())
}

/// The font dictionary for typed text, with the font file embedded.
fn add_font(update: &mut IncrementalDocument, font: &FormFont) -> ObjectId {
    let mut file = Stream::new(
        dictionary! { "Length1" => font.bytes.len() as i64 },
        font.bytes.clone(),
    );
    // Already compressed data stays as it is; the font compresses by about half.
    let _ = file.compress();
    let file = update.new_document.add_object(file);
    let descriptor = update.new_document.add_object(dictionary! {
        "Type" => "FontDescriptor",
        "FontName" => Object::Name(font.name.clone().into_bytes()),
        // Non-symbolic: the WinAnsi encoding maps codes to glyphs through the font's cmap.
        "Flags" => 32,
        "FontBBox" => font.bbox.iter().map(|&v| v.into()).collect::<Vec<Object>>(),
        "ItalicAngle" => 0,
        "Ascent" => font.ascent,
        "Descent" => font.descent,
        "CapHeight" => font.cap_height,
        "StemV" => 80,
        "FontFile2" => file,
    });
    update.new_document.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "TrueType",
        "BaseFont" => Object::Name(font.name.clone().into_bytes()),
        "FirstChar" => 32,
        "LastChar" => 255,
        "Widths" => font.widths.iter().map(|&w| w.into()).collect::<Vec<Object>>(),
        "Encoding" => "WinAnsiEncoding",
        "FontDescriptor" => descriptor,
    })
}

/// A PDF text string: UTF-16 with a byte-order mark, so that a label in any script survives.
fn text_string(text: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    for unit in text.encode_utf16() {
        bytes.extend(unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// The object `id` as a dictionary of the update, copied into it from the original first:
/// an incremental update may only change objects it holds.
fn editable(update: &mut IncrementalDocument, id: ObjectId) -> Result<&mut Dictionary, String> {
    update
        .opt_clone_object_to_new_document(id)
        .map_err(|e| e.to_string())?;
    update
        .new_document
        .get_dictionary_mut(id)
        .map_err(|e| e.to_string())
}
