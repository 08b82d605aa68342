//! The text policy: the one set of rules every piece of text a person or a system sends
//! Chorus goes through before it can become part of a command, in every context and on
//! every path (GraphQL, the command line, integrations). The domain's value types call it,
//! so no event can carry text it refuses.
//!
//! Three kinds of text:
//! - **names** (organizations, teams, people, policies, campaigns, steps) and the
//!   identifiers people read as names (handles, external ids, references): one line, no
//!   control characters, and no invisible or bidirectional-formatting characters, so a
//!   name cannot imitate another ("Olivia Hart\u{202e}\u{200b}" is not "Olivia Hart").
//!   Names also have every run of whitespace folded to one space.
//! - **free text** (post text, comments, notes, reasons): tab and line breaks allowed
//!   (`\r\n` and `\r` become `\n`), no other control character (a NUL, for one, is
//!   refused: PostgreSQL cannot store it in text), and no bidirectional override,
//!   embedding or isolate, the characters that make a note read differently from what it
//!   says (Trojan Source, CVE-2021-42574). Marks that legitimate text needs (left-to-right
//!   and right-to-left marks, zero-width joiners in emoji) stay allowed.
//! - **filters** (search strings): no control characters, bounded like the field they
//!   search, so a hostile pattern costs no more than a legitimate one.
//!
//! Every refusal is a [`ValueError`] naming the field and the rule.

use crate::ValueError;

/// The rule a control character breaks in one-line text.
pub const NO_CONTROL: &str = "must not contain control characters";
/// The rule a control character other than tab and line break breaks in free text.
pub const NO_CONTROL_IN_TEXT: &str =
    "must not contain control characters other than tab and line breaks";
/// The rule an invisible or bidirectional-formatting character breaks in a name.
pub const NO_INVISIBLE: &str = "must not contain invisible or bidirectional formatting characters";
/// The rule a bidirectional override breaks in free text.
pub const NO_BIDI_OVERRIDE: &str =
    "must not contain bidirectional override, embedding or isolate characters";

/// The rule whitespace or a control character breaks in a token.
pub const NO_SPACE_OR_CONTROL: &str = "must not contain whitespace or control characters";

/// A token, text read as one word (an email address, a handle, a URL): no whitespace, no
/// control characters, no invisible or bidirectional-formatting characters.
pub fn check_token(field: &'static str, value: &str) -> Result<(), ValueError> {
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(ValueError::new(field, NO_SPACE_OR_CONTROL));
    }
    if value.chars().any(is_invisible) {
        return Err(ValueError::new(field, NO_INVISIBLE));
    }
    Ok(())
}

/// A name or an identifier people read as one: trimmed, `min..=max` characters, one line,
/// no invisible or bidirectional-formatting characters. With `fold_spaces`, each run of
/// whitespace becomes one space.
pub fn name(
    field: &'static str,
    raw: &str,
    min: usize,
    max: usize,
    fold_spaces: bool,
) -> Result<String, ValueError> {
    let trimmed = raw.trim();
    if trimmed.chars().any(char::is_control) {
        return Err(ValueError::new(field, NO_CONTROL));
    }
    if trimmed.chars().any(is_invisible) {
        return Err(ValueError::new(field, NO_INVISIBLE));
    }
    let value = if fold_spaces {
        trimmed.split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        trimmed.to_owned()
    };
    check_length(field, &value, min, max)?;
    Ok(value)
}

/// Free text over several lines: trimmed, line breaks normalised to `\n`, `min..=max`
/// characters, tab and line breaks the only control characters, no bidirectional
/// overrides.
pub fn free_text(
    field: &'static str,
    raw: &str,
    min: usize,
    max: usize,
) -> Result<String, ValueError> {
    let normalised = if raw.contains('\r') {
        raw.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        raw.to_owned()
    };
    let value = normalised.trim();
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(ValueError::new(field, NO_CONTROL_IN_TEXT));
    }
    if value.chars().any(is_bidi_override) {
        return Err(ValueError::new(field, NO_BIDI_OVERRIDE));
    }
    check_length(field, value, min, max)?;
    Ok(value.to_owned())
}

/// A search filter: at most `max` characters (the length of what it searches), no control
/// characters. Kept as given: a filter may begin or end with a space.
pub fn filter(field: &'static str, raw: &str, max: usize) -> Result<String, ValueError> {
    if raw.chars().any(char::is_control) {
        return Err(ValueError::new(field, NO_CONTROL));
    }
    if raw.chars().count() > max {
        return Err(ValueError::new(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    Ok(raw.to_owned())
}

fn check_length(
    field: &'static str,
    value: &str,
    min: usize,
    max: usize,
) -> Result<(), ValueError> {
    let len = value.chars().count();
    if len < min || len > max {
        return Err(ValueError::new(
            field,
            format!("must be {min} to {max} characters"),
        ));
    }
    Ok(())
}

/// Bidirectional embeddings, overrides and isolates (U+202A..U+202E, U+2066..U+2069).
pub fn is_bidi_override(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that render as nothing, or only steer how the text around them is shown:
/// Unicode's Default_Ignorable_Code_Point set (DerivedCoreProperties.txt, Unicode 15.1),
/// which includes every bidirectional control, plus the interlinear annotation controls.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'..='\u{1160}'
            | '\u{17B4}'..='\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFFB}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_refuse_what_would_let_them_imitate_another() {
        for hostile in [
            "Olivia Hart\u{202e}\u{200b}",
            "Olivia\u{200b}Hart",
            "Olivia Hart\u{2066}",
            "\u{feff}Olivia Hart",
            "Olivia\u{00ad}Hart",
            "Olivia Hart\u{e0041}",
            "Olivia\u{3164}Hart",
        ] {
            let error = name("displayName", hostile, 1, 200, true).expect_err(hostile);
            assert_eq!(error.field, "displayName");
            assert_eq!(error.rule, NO_INVISIBLE, "{hostile:?}");
        }
    }

    #[test]
    fn names_refuse_control_characters_and_fold_spaces() {
        for hostile in [
            "Ada\u{0}Lovelace",
            "Ada\nLovelace",
            "Ada\tLovelace",
            "Ada\u{85}L",
        ] {
            assert_eq!(
                name("name", hostile, 1, 200, true).expect_err(hostile).rule,
                NO_CONTROL
            );
        }
        assert_eq!(
            name("name", "  Ada \u{00a0}\u{3000} Lovelace ", 1, 200, true).as_deref(),
            Ok("Ada Lovelace")
        );
        assert_eq!(
            name("name", "E-42  7", 1, 200, false).as_deref(),
            Ok("E-42  7")
        );
        assert_eq!(
            name("name", "Zoë Ōtake", 1, 200, true).as_deref(),
            Ok("Zoë Ōtake")
        );
    }

    #[test]
    fn length_is_counted_in_characters_after_normalising() {
        assert!(name("name", &"é".repeat(120), 1, 120, true).is_ok());
        assert_eq!(
            name("name", &"x".repeat(121), 1, 120, true)
                .expect_err("too long")
                .rule,
            "must be 1 to 120 characters"
        );
        assert!(name("name", "   ", 1, 120, true).is_err());
        assert!(free_text("comment", "  ", 0, 10).is_ok());
    }

    #[test]
    fn free_text_keeps_tabs_and_lines_and_refuses_other_controls() {
        assert_eq!(
            free_text("text", "line one\r\nline two\rthree\tfour", 1, 100).as_deref(),
            Ok("line one\nline two\nthree\tfour")
        );
        for hostile in [
            "line one\u{0000}line two",
            "bell\u{7}",
            "escape\u{1b}[31m",
            "c1\u{9b}",
            "delete\u{7f}",
        ] {
            let error = free_text("text", hostile, 1, 100).expect_err(hostile);
            assert_eq!(
                (error.field, error.rule.as_str()),
                ("text", NO_CONTROL_IN_TEXT)
            );
        }
    }

    #[test]
    fn free_text_refuses_bidi_overrides_but_keeps_marks_and_joiners() {
        assert_eq!(
            free_text("notes", "cleared \u{202e}deniab\u{202c}", 0, 100)
                .expect_err("override")
                .rule,
            NO_BIDI_OVERRIDE
        );
        assert!(free_text("notes", "isolate \u{2067}x\u{2069}", 0, 100).is_err());
        assert!(free_text(
            "text",
            "שלום \u{200f}Chorus \u{1f469}\u{200d}\u{1f4bb}",
            1,
            100
        )
        .is_ok());
    }

    #[test]
    fn filters_are_bounded_and_refuse_controls() {
        assert_eq!(filter("nameContains", " Hart", 200).as_deref(), Ok(" Hart"));
        assert_eq!(filter("nameContains", "", 200).as_deref(), Ok(""));
        let long = "%".repeat(60_000);
        assert_eq!(
            filter("nameContains", &long, 200).expect_err("long").rule,
            "must be at most 200 characters"
        );
        assert_eq!(
            filter("nameContains", "a\u{0}b", 200)
                .expect_err("nul")
                .rule,
            NO_CONTROL
        );
    }
}
