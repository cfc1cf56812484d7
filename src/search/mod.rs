//! Search: one index per language, built with the site and queried in the browser.
