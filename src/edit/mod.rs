//! What the editor commands (`new`, `translate`) share: finding the content file an editor
//! named, and editing its front matter in place without disturbing the rest of it.

mod files;
mod front_matter;

pub(crate) use files::{ContentFile, locate, name_of, read_page, sibling_shown, version_in};
pub(crate) use front_matter::{quoted, remove_child, remove_key, set_block, set_key, verify};
