//! Object names as Unikraft Cloud accepts them: RFC 1035 domain-name style, checked before a
//! request is sent so that a bad name fails with a precise reason.
//!
//! The rules: the name is made of labels separated by single dots; each label is 1 to 63
//! characters of ASCII letters, digits and hyphens, starts with a letter and ends with a letter
//! or digit, and has no two hyphens in a row; the whole name is at most 121 characters and does
//! not end with a dot (it is not a fully-qualified domain name). Upper-case letters are allowed:
//! the API converts them to lower case (see [`normalize_rfc1035_name`]).

use std::fmt;

/// The longest name, label separators included.
pub const MAX_NAME_LEN: usize = 121;

/// The longest label (the text between dots).
pub const MAX_LABEL_LEN: usize = 63;

/// Why a name is not a valid object name. Indexes are byte offsets into the name (the same as
/// character positions, since every valid character is ASCII).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum NameError {
    /// The name is empty.
    Empty,
    /// The name is longer than [`MAX_NAME_LEN`] characters.
    TooLong {
        /// The name's length in characters.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A character other than an ASCII letter, digit, hyphen or dot.
    InvalidChar {
        /// The character.
        ch: char,
        /// Where it is.
        index: usize,
    },
    /// A label (the name, or a part after a dot) starts with something other than a letter.
    InvalidStart(char),
    /// A label ends with something other than a letter or digit.
    InvalidEnd(char),
    /// Two hyphens in a row.
    ConsecutiveHyphens {
        /// Where the second hyphen is.
        index: usize,
    },
    /// Two dots in a row (an empty label).
    ConsecutiveDots {
        /// Where the second dot is.
        index: usize,
    },
    /// A label longer than [`MAX_LABEL_LEN`] characters.
    LabelTooLong {
        /// Where the label starts.
        index: usize,
        /// The label's length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The name ends with a dot, making it a fully-qualified domain name.
    TrailingDot,
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NameError::Empty => f.write_str("the name is empty"),
            NameError::TooLong { len, max } => {
                write!(
                    f,
                    "the name is {len} characters long; at most {max} are allowed"
                )
            }
            NameError::InvalidChar { ch, index } => write!(
                f,
                "{ch:?} at position {index} is not allowed: only letters, digits, hyphens and \
                 dots between labels are"
            ),
            NameError::InvalidStart(ch) => write!(
                f,
                "the name and each part after a dot must start with a letter, not {ch:?}"
            ),
            NameError::InvalidEnd(ch) => write!(
                f,
                "the name and each part before a dot must end with a letter or digit, not {ch:?}"
            ),
            NameError::ConsecutiveHyphens { index } => {
                write!(
                    f,
                    "two hyphens in a row (at position {index}) are not allowed"
                )
            }
            NameError::ConsecutiveDots { index } => {
                write!(f, "two dots in a row (at position {index}) are not allowed")
            }
            NameError::LabelTooLong { index, len, max } => write!(
                f,
                "the part starting at position {index} is {len} characters long; at most {max} \
                 are allowed between dots"
            ),
            NameError::TrailingDot => f.write_str(
                "the name must not end with a dot (fully-qualified domain names are not allowed)",
            ),
        }
    }
}

impl std::error::Error for NameError {}

/// Checks that `name` is a valid object name (see the module documentation for the rules).
///
/// When several rules are broken, the first problem from the left is reported (after the
/// empty and overall-length checks).
pub fn validate_rfc1035_name(name: &str) -> Result<(), NameError> {
    if name.is_empty() {
        return Err(NameError::Empty);
    }
    let len = name.chars().count();
    if len > MAX_NAME_LEN {
        return Err(NameError::TooLong {
            len,
            max: MAX_NAME_LEN,
        });
    }
    if let Some((index, ch)) = name
        .char_indices()
        .find(|(_, ch)| !(ch.is_ascii_alphanumeric() || *ch == '-' || *ch == '.'))
    {
        return Err(NameError::InvalidChar { ch, index });
    }
    // Every character is ASCII from here on, so byte offsets are character positions.
    let mut start = 0;
    for label in name.split('.') {
        check_label(name, label, start)?;
        start += label.len() + 1;
    }
    Ok(())
}

/// [`validate_rfc1035_name`], then the name in lower case, as the API stores it.
pub fn normalize_rfc1035_name(name: &str) -> Result<String, NameError> {
    validate_rfc1035_name(name)?;
    Ok(name.to_ascii_lowercase())
}

/// Checks one label of `name`, starting at byte `start`.
fn check_label(name: &str, label: &str, start: usize) -> Result<(), NameError> {
    let bytes = label.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        // An empty label: a leading dot, a trailing dot, or two dots in a row.
        return Err(if start == 0 {
            NameError::InvalidStart('.')
        } else if start >= name.len() {
            NameError::TrailingDot
        } else {
            NameError::ConsecutiveDots { index: start }
        });
    };
    if !first.is_ascii_alphabetic() {
        return Err(NameError::InvalidStart(char::from(first)));
    }
    if let Some(offset) = bytes.windows(2).position(|pair| pair == b"--") {
        return Err(NameError::ConsecutiveHyphens {
            index: start + offset + 1,
        });
    }
    if !last.is_ascii_alphanumeric() {
        return Err(NameError::InvalidEnd(char::from(last)));
    }
    if label.len() > MAX_LABEL_LEN {
        return Err(NameError::LabelTooLong {
            index: start,
            len: label.len(),
            max: MAX_LABEL_LEN,
        });
    }
    Ok(())
}

/// True when `text` is a UUID in its hyphenated form (8-4-4-4-12 hexadecimal digits).
pub fn is_hyphenated_uuid(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// Checks a reference that is either a UUID (taken as is) or an object name
/// ([`validate_rfc1035_name`]): what local-scope paths accept.
pub fn validate_uuid_or_rfc1035_name(text: &str) -> Result<(), NameError> {
    if is_hyphenated_uuid(text) {
        return Ok(());
    }
    validate_rfc1035_name(text)
}
