//! Indexes into lists kept one entry per page or per language: [`crate::site::PageId`] and
//! [`crate::config::LangId`], each a type of its own, so that one cannot be passed where the
//! other is asked for:
//!
//! ```compile_fail
//! use safe_surgeries::config::LangId;
//! use safe_surgeries::site::Site;
//!
//! fn home_page_url(site: &Site, lang: LangId) -> String {
//!     site.url(lang)
//! }
//! ```
//!
//! ```
//! use safe_surgeries::config::LangId;
//! use safe_surgeries::site::Site;
//!
//! fn home_page_url(site: &Site, lang: LangId) -> String {
//!     site.home_url(lang)
//! }
//! ```

/// Lets a list (`Vec` or slice) be indexed by an id type wrapping a `usize`, as it is by the
/// `usize` itself. Any list takes either id, as the many lists kept per page and per language
/// are plain `Vec`s: what the types stop is a function asked for one being given the other.
macro_rules! index_by {
    ($id:ident) => {
        impl $id {
            /// The position this id stands for.
            pub fn index(self) -> usize {
                self.0
            }
        }

        impl<T> std::ops::Index<$id> for [T] {
            type Output = T;
            fn index(&self, id: $id) -> &T {
                &self[id.0]
            }
        }

        impl<T> std::ops::IndexMut<$id> for [T] {
            fn index_mut(&mut self, id: $id) -> &mut T {
                &mut self[id.0]
            }
        }

        impl<T> std::ops::Index<$id> for Vec<T> {
            type Output = T;
            fn index(&self, id: $id) -> &T {
                &self[id.0]
            }
        }

        impl<T> std::ops::IndexMut<$id> for Vec<T> {
            fn index_mut(&mut self, id: $id) -> &mut T {
                &mut self[id.0]
            }
        }
    };
}

pub(crate) use index_by;
