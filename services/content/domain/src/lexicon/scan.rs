//! Pure matching of a lexicon against a post's text.

use std::cmp::Reverse;

use serde::{Deserialize, Serialize};

use super::Lexicon;
use crate::values::ContentFlag;

/// A lexicon term found in a post's text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LexiconMatch {
    /// Flag the term raises.
    pub flag: ContentFlag,
    /// The term that matched (normalised form).
    pub term: String,
    /// Version of the lexicon that matched.
    pub lexicon_version: u64,
}

/// Lowercases `text` and collapses runs of whitespace to one space, the
/// same normalisation terms get, so phrases match across line breaks.
fn fold(text: &str) -> Vec<char> {
    let mut folded = Vec::with_capacity(text.len());
    let mut in_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            if !in_space {
                folded.push(' ');
                in_space = true;
            }
        } else {
            in_space = false;
            folded.extend(c.to_lowercase());
        }
    }
    folded
}

/// Position of the first occurrence of `needle` in `haystack` that is not
/// glued to a letter or digit on either side.
fn find_whole(haystack: &[char], needle: &[char]) -> Option<usize> {
    if needle.is_empty() || needle.len() > haystack.len() {
        return None;
    }
    (0..=haystack.len() - needle.len()).find(|&start| {
        let end = start + needle.len();
        haystack[start..end] == *needle
            && (start == 0 || !haystack[start - 1].is_alphanumeric())
            && haystack.get(end).is_none_or(|c| !c.is_alphanumeric())
    })
}

/// A text folded once for whole-word term search, the matching [`Lexicon::scan`] does,
/// for other contexts to reuse (the cases context's routing rules match their terms with
/// it): case-insensitive, whole words or phrases only (a term must not be preceded or
/// followed by a letter or digit, so "free" matches "Free!" but not "freedom"),
/// whitespace runs in the text matching the single spaces of a phrase.
///
/// Fold a text once and [`find`](Self::find) as many terms in it as needed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoldedText(Vec<char>);

impl FoldedText {
    /// Folds `text`: lowercased, each run of whitespace one space.
    pub fn new(text: &str) -> Self {
        Self(fold(text))
    }

    /// Where `term` first occurs in the text as a whole word or phrase, or `None`. The
    /// term is folded the same way as the text. The position counts characters of the
    /// folded text: compare positions of terms found in the same text (which occurs
    /// earliest), do not index the original text with it. An empty term never matches.
    pub fn find(&self, term: &str) -> Option<usize> {
        find_whole(&self.0, &fold(term))
    }
}

/// Where `term` first occurs in `text` as a whole word or phrase, or `None`: one search
/// of a [`FoldedText`] (fold the text once instead when searching it for several terms).
pub fn find_term(text: &str, term: &str) -> Option<usize> {
    FoldedText::new(text).find(term)
}

impl Lexicon {
    /// Finds the lexicon's terms in `text`: case-insensitive, whole words
    /// or phrases only (a term must not be preceded or followed by a letter
    /// or digit, so "free" matches "Free!" but not "freedom"), whitespace
    /// runs in the text matching the single spaces of a phrase.
    ///
    /// Returns at most one match per flag, in flag declaration order: the
    /// term occurring earliest in the text, the longer term on a tie, then
    /// the alphabetically first.
    pub fn scan(&self, text: &str) -> Vec<LexiconMatch> {
        let haystack = fold(text);
        let mut matches = Vec::new();
        for (flag, terms) in self.terms() {
            let best = terms
                .iter()
                .filter_map(|term| {
                    let needle = fold(term);
                    find_whole(&haystack, &needle)
                        .map(|position| (position, Reverse(needle.len()), term))
                })
                .min();
            if let Some((_, _, term)) = best {
                matches.push(LexiconMatch {
                    flag: *flag,
                    term: term.clone(),
                    lexicon_version: self.version(),
                });
            }
        }
        matches
    }
}

#[cfg(test)]
mod tests {
    use super::{find_term, FoldedText};

    #[test]
    fn find_term_matches_whole_words_and_phrases_case_insensitively() {
        assert_eq!(find_term("Is the PRICE right?", "price"), Some(7));
        assert_eq!(find_term("Price!", "price"), Some(0));
        assert_eq!(find_term("a priceless moment", "price"), None);
        assert_eq!(find_term("overpriced", "price"), None);
        assert_eq!(find_term("an overprice", "price"), None);
        assert_eq!(find_term("2price", "price"), None);
        assert_eq!(
            find_term("We will take\n  legal\t action", "legal action"),
            Some(13)
        );
        assert_eq!(find_term("legalaction", "legal action"), None);
        assert_eq!(find_term("anything", ""), None);
        assert_eq!(find_term("", "price"), None);
    }

    #[test]
    fn folded_text_compares_positions_of_several_terms() {
        let text = FoldedText::new("Refund   my order, or I call my LAWYER");
        assert_eq!(text.find("refund"), Some(0));
        assert_eq!(text.find("LAWYER"), Some(30));
        assert_eq!(text.find("my order"), Some(7));
        assert_eq!(text.find("law"), None);
    }
}
