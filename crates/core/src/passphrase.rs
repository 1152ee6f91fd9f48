//! Passphrases people choose: the one strength rule (hand-over bundles and the encrypted
//! database) and a holder that keeps the text out of logs and wipes it when dropped.
//!
//! The rule: at least [`MIN_CHARS`] characters, at least two kinds of character (lower-case
//! letters, capitals, digits, symbols or spaces, Chinese or other letters) and at least
//! [`MIN_DISTINCT`] different characters. A passphrase is never trimmed or normalised: the
//! standard `age` tool must derive the same key from the same text.

use crate::error::Code;
use std::fmt;

/// For passphrase text held before it becomes a [`Passphrase`] (a prompt's answer): wiped on drop.
pub use age::secrecy::zeroize::Zeroizing;
use age::secrecy::{ExposeSecret, SecretString};

use crate::error::{issue, Issues, Result};

pub const MIN_CHARS: usize = 10;
pub const MIN_DISTINCT: usize = 5;

/// scrypt work factor of what we encrypt: N = 2^18 (256 MiB, about a second), the same as
/// the standard `age` tool's.
pub const WORK_FACTOR: u8 = 18;
/// The largest work factor a file may ask for when we decrypt it (N = 2^20: 1 GiB, a few
/// seconds); a file asking for more is refused instead of tying the machine up.
pub const MAX_WORK_FACTOR: u8 = 20;

/// A passphrase in memory: wiped on drop, shown as `Passphrase(***)` by `{:?}`.
pub struct Passphrase {
    secret: SecretString,
    log_n: u8,
}

impl Passphrase {
    pub fn new(text: impl Into<String>) -> Self {
        Self { secret: SecretString::from(text.into()), log_n: WORK_FACTOR }
    }

    /// A passphrase that encrypts with scrypt N = 2^log_n instead of [`WORK_FACTOR`]. For
    /// tests only: a lower factor makes guessing the passphrase cheaper in the same measure.
    pub fn with_work_factor(text: impl Into<String>, log_n: u8) -> Self {
        Self { secret: SecretString::from(text.into()), log_n: log_n.clamp(1, MAX_WORK_FACTOR) }
    }

    pub fn work_factor(&self) -> u8 {
        self.log_n
    }

    pub(crate) fn secret(&self) -> &SecretString {
        &self.secret
    }

    /// The text, for SQLCipher's `PRAGMA key` only.
    pub(crate) fn expose(&self) -> &str {
        self.secret.expose_secret()
    }

    pub fn is_empty(&self) -> bool {
        self.secret.expose_secret().is_empty()
    }

    /// The strength rule applied to this passphrase.
    pub fn check_strength(&self) -> Result<()> {
        check_strength(self.secret.expose_secret())
    }
}

impl Clone for Passphrase {
    fn clone(&self) -> Self {
        Self { secret: SecretString::from(self.expose().to_string()), log_n: self.log_n }
    }
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase(***)")
    }
}

#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    Lower,
    Upper,
    Digit,
    Symbol,
    Other,
}

fn class(c: char) -> Class {
    if c.is_ascii_lowercase() {
        Class::Lower
    } else if c.is_ascii_uppercase() {
        Class::Upper
    } else if c.is_ascii_digit() {
        Class::Digit
    } else if c.is_ascii() || c.is_whitespace() {
        Class::Symbol
    } else {
        Class::Other
    }
}

/// Refuses a passphrase that is too weak for data about people, with every reason at once.
pub fn check_strength(p: &str) -> Result<()> {
    let chars: Vec<char> = p.chars().collect();
    let mut issues = Issues::default();
    if chars.len() < MIN_CHARS {
        issues.push(issue(
            Code::PassphraseTooShort,
            &[("min", &MIN_CHARS.to_string()), ("len", &chars.len().to_string())],
        ));
    }
    let mut classes: Vec<Class> = chars.iter().map(|c| class(*c)).collect();
    classes.sort();
    classes.dedup();
    if !chars.is_empty() && classes.len() < 2 {
        issues.push(issue(Code::PassphraseOneClass, &[]));
    }
    let mut distinct = chars.clone();
    distinct.sort_unstable();
    distinct.dedup();
    if !chars.is_empty() && distinct.len() < MIN_DISTINCT {
        issues.push(issue(Code::PassphraseRepetitive, &[("min", &MIN_DISTINCT.to_string())]));
    }
    issues.finish()
}

/// The two entries of a passphrase (typed twice) must agree.
pub fn check_confirmation(first: &str, second: &str) -> Result<()> {
    if first == second {
        Ok(())
    } else {
        Err(crate::error::Error::invalid(Code::PassphraseMismatch, &[]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(p: &str) -> Vec<String> {
        match check_strength(p) {
            Ok(()) => vec![],
            Err(e) => e.issues().into_iter().map(|i| i.code.to_string()).collect(),
        }
    }

    #[test]
    fn the_rule() {
        assert_eq!(codes("稷下网格2026年春季交接"), Vec::<String>::new());
        assert_eq!(codes("correct-horse-battery"), Vec::<String>::new());
        assert_eq!(codes("Zibo2026!"), ["passphrase.too_short"]);
        assert_eq!(codes("abcdefghijkl"), ["passphrase.one_class"]);
        assert_eq!(codes("反诈宣防工作台交接口令"), ["passphrase.one_class"]);
        assert_eq!(codes("aaaaaaaaa1"), ["passphrase.repetitive"]);
        assert_eq!(codes("aaaa"), ["passphrase.too_short", "passphrase.one_class", "passphrase.repetitive"]);
        assert_eq!(codes(""), ["passphrase.too_short"]);
        let msg = check_strength("short").unwrap_err().to_string();
        assert!(msg.contains("至少需要 10 个字符"), "{msg}");
    }

    #[test]
    fn never_shown() {
        let p = Passphrase::new("稷下网格2026年春季交接");
        assert_eq!(format!("{p:?}"), "Passphrase(***)");
        assert_eq!(p.work_factor(), WORK_FACTOR);
        assert_eq!(Passphrase::with_work_factor("x", 60).work_factor(), MAX_WORK_FACTOR);
        assert_eq!(check_confirmation("a", "b").unwrap_err().code(), "passphrase.mismatch");
    }
}
