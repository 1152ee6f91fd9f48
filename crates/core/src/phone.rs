//! Phone numbers are personal data: normalised to digits on the way in, masked on the
//! way out. Only a deliberate "reveal" (audited) shows the digits.

use crate::error::Code;
use crate::error::{Error, Result};

/// Normalises a mainland mobile or landline number as people type it into a roster:
/// full-width digits, spaces, dashes, dots, brackets and a +86 / 0086 prefix are accepted.
/// Returns digits only; an empty input gives an empty string.
pub fn normalize(input: &str) -> Result<String> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Ok(String::new());
    }
    let refuse = || Error::invalid(Code::ValidationPhone, &[("value", trimmed)]);
    let mut digits = String::new();
    let mut plus = false;
    for c in trimmed.chars() {
        match c {
            '0'..='9' => digits.push(c),
            '０'..='９' => digits.push(char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap()),
            '+' | '＋' if digits.is_empty() => plus = true,
            ' ' | '\u{3000}' | '\u{a0}' | '-' | '－' | '—' | '.' | '(' | ')' | '（' | '）' => {}
            _ => return Err(refuse()),
        }
    }
    let (national, from_abroad) = if plus {
        (digits.strip_prefix("86").ok_or_else(refuse)?.to_string(), true)
    } else if let Some(rest) = digits.strip_prefix("0086") {
        (rest.to_string(), true)
    } else if digits.len() == 13 && digits.starts_with("861") {
        (digits[2..].to_string(), true)
    } else {
        (digits, false)
    };
    let b = national.as_bytes();
    if b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) {
        return Ok(national);
    }
    // Landline: 0 + area code (2–3 digits) + 7–8 digits. Dialled from abroad the 0 is dropped.
    let landline = if !national.starts_with('0') && from_abroad { format!("0{national}") } else { national };
    if landline.starts_with('0') && !landline.starts_with("00") && (10..=12).contains(&landline.len()) {
        return Ok(landline);
    }
    Err(refuse())
}

/// The phone to store after an edit: None keeps the stored number, and so does a masked
/// value equal to the stored number's mask (a file exported with masked phones); anything
/// else is normalised.
pub fn updated(stored: &str, input: Option<&str>) -> Result<String> {
    match input {
        None => Ok(stored.to_string()),
        Some(p) if !stored.is_empty() && mask(stored) == p.trim() => Ok(stored.to_string()),
        // A masked number that is not this row's (the number changed since the export, or a
        // new row): it must not overwrite a real number, nor be taken for one.
        Some(p) if p.contains(['*', '＊']) => Err(Error::invalid(Code::ValidationPhoneMasked, &[("value", p.trim())])),
        Some(p) => normalize(p),
    }
}

/// Whether a stored value is a phone as this program writes it: empty, normalised digits, or a
/// mask (reference bundles carry masked phones, `mask`'s shape: digits and `*` only).
pub fn is_stored(s: &str) -> bool {
    s.is_empty()
        || normalize(s).is_ok_and(|d| d == s)
        || (s.contains('*') && s.len() <= 20 && s.chars().all(|c| c.is_ascii_digit() || c == '*'))
}

/// 13800138000 → 138****8000. Keeps the first three and the last four digits.
pub fn mask(digits: &str) -> String {
    let n = digits.chars().count();
    if n == 0 {
        return String::new();
    }
    if n <= 7 {
        return "*".repeat(n);
    }
    let head: String = digits.chars().take(3).collect();
    let tail: String = digits.chars().skip(n - 4).collect();
    format!("{head}****{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_table() {
        let ok = [
            ("13800138000", "13800138000"),
            ("138 0013 8000", "13800138000"),
            ("138-0013-8000", "13800138000"),
            ("１３８００１３８０００", "13800138000"),
            ("+86 138 0013 8000", "13800138000"),
            ("＋86 138-0013 8000", "13800138000"),
            ("+8613800138000", "13800138000"),
            ("8613800138000", "13800138000"),
            ("008613800138000", "13800138000"),
            ("0533-1234567", "05331234567"),
            ("(0533) 12345678", "053312345678"),
            ("010-12345678", "01012345678"),
            ("+86 10 1234 5678", "01012345678"),
            ("+86 533 1234567", "05331234567"),
            ("  19912345678 ", "19912345678"),
            ("", ""),
        ];
        for (input, want) in ok {
            assert_eq!(normalize(input).unwrap(), want, "input {input:?}");
        }
        let bad = [
            "12345",
            "12800138000",
            "1380013800",
            "138001380001",
            "abc",
            "138x0013800",
            "+1 415 555 0100",
            "00123456789",
            "96110",
            "110",
            "010-12345678转123",
        ];
        for input in bad {
            let e = normalize(input).unwrap_err();
            assert_eq!(e.code(), "validation.phone", "input {input:?}");
        }
    }

    #[test]
    fn a_stored_phone_is_digits_as_normalised_or_a_mask() {
        for ok in ["", "13800138000", "05331234567", "138****8000", "*****"] {
            assert!(is_stored(ok), "{ok:?}");
        }
        for bad in ["138 0013 8000", "+8613800138000", "../../etc", "138****8000<script>", "12345", "138-****"] {
            assert!(!is_stored(bad), "{bad:?}");
        }
    }

    #[test]
    fn an_edit_keeps_or_replaces_the_stored_phone() {
        assert_eq!(updated("13800138000", None).unwrap(), "13800138000");
        assert_eq!(updated("13800138000", Some("138****8000")).unwrap(), "13800138000");
        assert_eq!(updated("13800138000", Some("139 0013 8000")).unwrap(), "13900138000");
        assert_eq!(updated("13800138000", Some("")).unwrap(), "");
        // A masked number is never taken for a number: not on a row without one, nor over
        // another number.
        assert_eq!(updated("", Some("138****8000")).unwrap_err().code(), "validation.phone_masked");
        assert_eq!(updated("13900001111", Some("138****8000")).unwrap_err().code(), "validation.phone_masked");
    }

    #[test]
    fn masking() {
        assert_eq!(mask("13800138000"), "138****8000");
        assert_eq!(mask("05331234567"), "053****4567");
        assert_eq!(mask(""), "");
        assert_eq!(mask("1234"), "****");
    }
}
