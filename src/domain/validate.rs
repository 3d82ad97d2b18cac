//! Parse, don't validate: constructors that turn raw request text into values the services can
//! trust. Each returns a Vietnamese message on failure, reported under the field's name.

use std::fmt;

/// Trims `value` and checks its length in characters and that it holds no control characters
/// other than newlines and tabs.
pub fn bounded_text(value: &str, min: usize, max: usize) -> Result<String, String> {
    let trimmed = value.trim();
    let len = trimmed.chars().count();
    if len < min {
        return Err(if min <= 1 {
            "Không được để trống.".to_owned()
        } else {
            format!("Cần ít nhất {min} ký tự.")
        });
    }
    if len > max {
        return Err(format!("Dài quá {max} ký tự."));
    }
    if trimmed.chars().any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r') {
        return Err("Chứa ký tự điều khiển không hợp lệ.".to_owned());
    }
    Ok(trimmed.to_owned())
}

/// Like [`bounded_text`] for an optional field: empty or missing becomes `None`.
pub fn optional_text(value: Option<&str>, max: usize) -> Result<Option<String>, String> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => bounded_text(v, 1, max).map(Some),
    }
}

macro_rules! text_newtype {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            /// The checked text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The checked text, owned.
            pub fn into_inner(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

text_newtype!(
    /// A login name: 3–64 characters of `a-z 0-9 . _ -`, stored lower-cased.
    Username
);

impl Username {
    /// Checks and lower-cases a login name.
    pub fn parse(value: &str) -> Result<Self, String> {
        let v = value.trim().to_lowercase();
        let len = v.chars().count();
        if !(3..=64).contains(&len) {
            return Err("Tên đăng nhập dài từ 3 đến 64 ký tự.".to_owned());
        }
        if !v.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')) {
            return Err("Tên đăng nhập chỉ gồm chữ không dấu, chữ số và . _ -".to_owned());
        }
        Ok(Self(v))
    }
}

/// A new password, as [`super::password::check`] wants it: 10–128 characters (the upper bound
/// keeps hashing cheap), not the account's name, more than one kind of character, not a common
/// password. Not `Display`, so it cannot end up in a log by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

impl Password {
    /// Checks a new password whose account's name is not known.
    pub fn parse(value: &str) -> Result<Self, String> {
        super::password::check(value, None).map(|()| Self(value.to_owned()))
    }

    /// Checks the new password of the account `username`.
    pub fn for_account(value: &str, username: &str) -> Result<Self, String> {
        super::password::check(value, Some(username)).map(|()| Self(value.to_owned()))
    }

    /// The secret, to hash.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

text_newtype!(
    /// A person's full name, 2–200 characters.
    PersonName
);

impl PersonName {
    /// Checks a full name.
    pub fn parse(value: &str) -> Result<Self, String> {
        let v = bounded_text(value, 2, 200)?;
        if v.contains('\n') {
            return Err("Họ tên không được xuống dòng.".to_owned());
        }
        Ok(Self(v))
    }
}

text_newtype!(
    /// A phone number as typed (digits, spaces, dots, dashes, a leading `+`; 8–15 digits), kept as
    /// its digits with the `+` if there was one: `0912 345 678` is stored `0912345678`. The
    /// separators a person types carry no meaning, and without them the longest number
    /// (`+` and 15 digits) fits the 20-character columns however it was spaced.
    Phone
);

impl Phone {
    /// The longest stored form: `+` and 15 digits.
    pub const MAX_LEN: usize = 16;

    /// Checks a phone number and keeps its digits (and a leading `+`).
    pub fn parse(value: &str) -> Result<Self, String> {
        let v = value.trim();
        let digits = v.chars().filter(char::is_ascii_digit).count();
        let shape_ok = v
            .char_indices()
            .all(|(i, c)| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-') || (c == '+' && i == 0));
        if !shape_ok || !(8..=15).contains(&digits) {
            return Err("Số điện thoại không hợp lệ.".to_owned());
        }
        Ok(Self(v.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect()))
    }
}

text_newtype!(
    /// An e-mail address (shape only: something@domain.tld, at most 254 characters).
    Email
);

impl Email {
    /// Checks an e-mail address.
    pub fn parse(value: &str) -> Result<Self, String> {
        let v = value.trim();
        let bad = || Err("Địa chỉ thư điện tử không hợp lệ.".to_owned());
        if v.len() > 254 || v.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return bad();
        }
        match v.split_once('@') {
            Some((local, domain))
                if !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains('@') =>
            {
                Ok(Self(v.to_owned()))
            }
            _ => bad(),
        }
    }
}

text_newtype!(
    /// A short code for a unit, e.g. `TTr` or `VP-UBND`: 1–40 of `A-Z a-z 0-9 . _ -`.
    Code
);

impl Code {
    /// Checks a code.
    pub fn parse(value: &str) -> Result<Self, String> {
        let v = value.trim();
        if v.is_empty() || v.chars().count() > 40 {
            return Err("Mã dài từ 1 đến 40 ký tự.".to_owned());
        }
        if !v.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')) {
            return Err("Mã chỉ gồm chữ không dấu, chữ số và . _ -".to_owned());
        }
        Ok(Self(v.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_lower_cased_and_restricted() {
        assert_eq!(Username::parse(" CanBo.TiepDan ").unwrap().as_str(), "canbo.tiepdan");
        for bad in ["ab", "có dấu", "a b c", "x;drop", &"a".repeat(65)] {
            assert!(Username::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn passwords_need_length_and_variety() {
        assert!(Password::parse("Sổ tiếp dân 2026").is_ok());
        for bad in ["short", "aaaaaaaaaa", &"x1y2".repeat(33), "Password123"] {
            assert!(Password::parse(bad).is_err(), "{bad}");
        }
        assert!(Password::for_account("Canbo.2026", "canbo").is_err());
        assert_eq!(format!("{:?}", Password::parse("bí mật lắm nhé").unwrap()), "Password(***)");
    }

    #[test]
    fn names_phones_emails_codes() {
        assert_eq!(PersonName::parse("  Nguyễn Văn An ").unwrap().as_str(), "Nguyễn Văn An");
        assert!(PersonName::parse("A").is_err());
        assert!(PersonName::parse("Hai\ndòng").is_err());
        assert_eq!(Phone::parse("+84 912 345 678").unwrap().as_str(), "+84912345678");
        assert_eq!(Phone::parse("0912-345-678").unwrap().as_str(), "0912345678");
        let spaced = Phone::parse("0 9 1 2 . 3 4 5 - 6 7 8 9 0 1 2").unwrap();
        assert_eq!(spaced.as_str(), "09123456789012");
        assert!(Phone::parse("+1 2 3 4 5 6 7 8 9 0 1 2 3 4 5").unwrap().as_str().len() <= Phone::MAX_LEN);
        assert!(Phone::parse("12ab").is_err());
        assert!(Phone::parse("09+12345678").is_err());
        assert!(Email::parse("an.nguyen@ubnd.gov.vn").is_ok());
        for bad in ["an", "an@", "@x.vn", "a@b", "a b@c.vn", "a@.vn"] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
        assert!(Code::parse("VP-UBND").is_ok());
        assert!(Code::parse("Văn phòng").is_err());
    }

    #[test]
    fn bounded_text_trims_and_limits() {
        assert_eq!(bounded_text("  nội dung ", 1, 20).unwrap(), "nội dung");
        assert!(bounded_text("   ", 1, 20).is_err());
        assert!(bounded_text("quá dài", 1, 3).is_err());
        assert!(bounded_text("bell\u{7}", 1, 20).is_err());
        assert_eq!(optional_text(Some("  "), 10).unwrap(), None);
        assert_eq!(optional_text(None, 10).unwrap(), None);
    }
}
