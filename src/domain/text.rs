//! Vietnamese text folding for search: case and diacritics are ignored, so `nguyen van an` finds
//! `Nguyễn Văn An` and `d` matches `đ`.

use unicode_normalization::UnicodeNormalization;

/// Lower-cases `text` and strips Vietnamese diacritics (tones and vowel marks; `đ` → `d`).
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfd() {
        match c {
            // Combining marks: the tones and the breve/circumflex/horn of Vietnamese vowels.
            '\u{0300}'..='\u{036f}' => {}
            'đ' | 'Đ' => out.push('d'),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// The search terms of `text`: folded words of letters and digits, deduplicated, in order.
/// Words are cut to `MAX_TERM_LEN` characters so that the index stays small.
pub fn terms(text: &str) -> Vec<String> {
    let folded = fold(text);
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for word in folded.split(|c: char| !c.is_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        let term: String = word.chars().take(MAX_TERM_LEN).collect();
        if seen.insert(term.clone()) {
            out.push(term);
        }
    }
    out
}

/// Longest stored term, in characters.
pub const MAX_TERM_LEN: usize = 32;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_tones_marks_and_case() {
        let cases = [
            ("Nguyễn Văn An", "nguyen van an"),
            ("ĐẶNG THỊ ĐÀO", "dang thi dao"),
            ("Khiếu nại về đất đai", "khieu nai ve dat dai"),
            ("Phường Hồng Hải, Hạ Long", "phuong hong hai, ha long"),
            ("ưởng ỡ ự ỳ", "uong o u y"),
            ("plain ascii 123", "plain ascii 123"),
        ];
        for (input, expected) in cases {
            assert_eq!(fold(input), expected, "{input}");
        }
    }

    #[test]
    fn folding_is_idempotent() {
        let once = fold("Tố cáo hành vi lấn chiếm đất công");
        assert_eq!(fold(&once), once);
    }

    #[test]
    fn terms_are_folded_words_without_repeats() {
        assert_eq!(
            terms("Đơn khiếu nại, đơn KHIẾU NẠI: thửa đất số 12!"),
            vec!["don", "khieu", "nai", "thua", "dat", "so", "12"]
        );
        assert!(terms("  ,.;  ").is_empty());
    }
}
