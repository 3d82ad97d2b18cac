//! What a new password must be (issue 17: a trivial password was accepted): long enough, not the
//! account's name, of more than one kind of character, with some variety, and not one of the
//! passwords people choose most (a bundled list, `password/common.txt`, also with digits or signs
//! added around it). Each refusal says why, in Vietnamese. Passwords set before the rules keep
//! working: only a new password is checked.

use std::{collections::HashSet, sync::LazyLock};

use super::text::fold;

/// The fewest characters a password may have.
pub const MIN_CHARS: usize = 10;
/// The most (which keeps hashing cheap).
pub const MAX_CHARS: usize = 128;
/// The fewest distinct characters.
const MIN_DISTINCT: usize = 5;

/// The bundled list, folded (lower case, no diacritics).
static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("password/common.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

/// `text` folded, without the digits, signs and spaces before its first letter and after its last
/// one: `Matkhau@2026` → `matkhau`, `2026admin!` → `admin`.
fn core(folded: &str) -> &str {
    folded.trim_matches(|c: char| !c.is_alphabetic())
}

/// `text` folded with the signs and spaces inside it dropped: `Tiếp-Dân 1` → `tiepdan1`.
fn squeezed(folded: &str) -> String {
    folded.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Whether `password` (squeezed) is `name` (squeezed) with at most digits added before or after
/// it: `thanhtra1!2026` for `thanhtra1`, `2026.An.Nguyen` for `an.nguyen`.
fn is_name_with_digits(password: &str, name: &str) -> bool {
    let digits = |rest: &str| rest.chars().all(char::is_numeric);
    password.strip_prefix(name).is_some_and(digits) || password.strip_suffix(name).is_some_and(digits)
}

/// How many of the four kinds of character (lower-case letters, upper-case letters, digits,
/// anything else: signs and spaces) `text` has.
fn kinds(text: &str) -> usize {
    let mut seen = [false; 4];
    for c in text.chars() {
        let kind = if c.is_lowercase() {
            0
        } else if c.is_uppercase() {
            1
        } else if c.is_numeric() {
            2
        } else {
            3
        };
        seen[kind] = true;
    }
    seen.iter().filter(|s| **s).count()
}

/// Checks a new password of the account `username` (when known): `Err` says why it is refused.
pub fn check(password: &str, username: Option<&str>) -> Result<(), String> {
    let len = password.chars().count();
    if len < MIN_CHARS {
        return Err(format!("Mật khẩu cần ít nhất {MIN_CHARS} ký tự (mới có {len})."));
    }
    if len > MAX_CHARS {
        return Err(format!("Mật khẩu dài quá {MAX_CHARS} ký tự."));
    }
    let folded = fold(password);
    if let Some(name) = username.map(|u| squeezed(&fold(u))).filter(|n| !n.is_empty())
        && is_name_with_digits(&squeezed(&folded), &name)
    {
        return Err("Mật khẩu không được là tên đăng nhập (kể cả khi thêm chữ số hay ký hiệu).".to_owned());
    }
    let distinct: HashSet<char> = password.chars().collect();
    if distinct.len() < MIN_DISTINCT {
        return Err(format!(
            "Mật khẩu lặp lại quá ít ký tự khác nhau (cần ít nhất {MIN_DISTINCT} ký tự khác nhau)."
        ));
    }
    if kinds(password) < 2 {
        return Err(
            "Mật khẩu chỉ gồm một loại ký tự (chỉ chữ thường, chỉ chữ hoa hay chỉ chữ số): hãy kết hợp \
                    chữ với chữ số, chữ hoa, ký hiệu hoặc dấu cách."
                .to_owned(),
        );
    }
    let common = |t: &str| COMMON.contains(t);
    if common(&folded)
        || common(core(&folded))
        || common(&squeezed(&folded))
        || common(core(&squeezed(&folded)))
    {
        return Err("Mật khẩu này quá phổ biến (nằm trong danh sách mật khẩu hay bị dò ra), kể cả khi thêm \
                    chữ số hay ký hiệu: hãy chọn mật khẩu khác, ví dụ một câu ngắn dễ nhớ."
            .to_owned());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trivial_passwords_are_refused_saying_why() {
        let table = [
            ("ngắn 12", None, "ít nhất 10 ký tự"),
            ("1234567890", None, "chỉ gồm một loại"),
            ("matkhaucuatoi", None, "chỉ gồm một loại"),
            ("aaaaa11111", None, "quá ít ký tự khác nhau"),
            ("Password123", None, "quá phổ biến"),
            ("matkhau@2026", None, "quá phổ biến"),
            ("Mật khẩu 123456", None, "quá phổ biến"),
            ("Mật khẩu 2026", None, "quá phổ biến"),
            ("Quản trị 2026!", Some("admin"), "quá phổ biến"),
            ("2026-Anh-Yeu-Em!", None, "quá phổ biến"),
            ("qwertyuiop1", None, "quá phổ biến"),
            ("thanhtra.2026", Some("thanhtra"), "tên đăng nhập"),
            ("Nguyen.Van.An1", Some("nguyenvanan"), "tên đăng nhập"),
            ("ThanhTra1!!", Some("thanhtra1"), "tên đăng nhập"),
            ("thanhtra1!2026", Some("thanhtra1"), "tên đăng nhập"),
            ("2026.An.Nguyen", Some("an.nguyen"), "tên đăng nhập"),
        ];
        for (password, username, why) in table {
            let refused = check(password, username).expect_err(password);
            assert!(refused.contains(why), "{password}: {refused}");
        }
    }

    #[test]
    fn ordinary_good_passwords_pass() {
        for (password, username) in [
            ("tiepdan-demo", None),
            ("Sổ tiếp dân 2026", None),
            ("Quản trị phường Mẫu 2026!", Some("admin")),
            ("thanhtra1-mật-khẩu", Some("thanhtra1")),
            ("Mat-khau-E2E-2026", Some("thanhtra2")),
            ("con mèo vàng ăn cơm", None),
            ("e2e-Admin-0a1b2c3d4e5f", Some("admin")),
        ] {
            assert_eq!(check(password, username), Ok(()), "{password}");
        }
    }

    #[test]
    fn the_list_is_folded_and_clean() {
        assert!(COMMON.len() > 200);
        for entry in COMMON.iter() {
            assert_eq!(*entry, fold(entry), "{entry} is stored folded");
        }
    }
}
