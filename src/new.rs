//! `safe-surgeries new`: files for editors to start from, with correct front matter.
