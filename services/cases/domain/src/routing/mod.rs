//! Routing rules: versioned per organization, ordered, first match wins.
