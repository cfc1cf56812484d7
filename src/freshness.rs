//! Translation freshness: which version of its source each translation was made from.
