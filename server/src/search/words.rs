//! Word lists and word arithmetic for queries: stop words, keyboard layout, edit distance.

/// Words that never restrict a query and barely affect ranking.
const STOP_WORDS: &[&str] = &[
    "а",
    "без",
    "бы",
    "был",
    "была",
    "были",
    "было",
    "быть",
    "в",
    "вам",
    "вас",
    "ведь",
    "во",
    "вот",
    "все",
    "всех",
    "вы",
    "где",
    "да",
    "даже",
    "для",
    "до",
    "его",
    "ее",
    "ей",
    "ему",
    "если",
    "есть",
    "еще",
    "же",
    "за",
    "и",
    "из",
    "или",
    "им",
    "их",
    "к",
    "как",
    "какая",
    "какие",
    "какой",
    "когда",
    "ко",
    "кто",
    "ли",
    "либо",
    "мне",
    "мы",
    "на",
    "над",
    "не",
    "него",
    "нее",
    "ней",
    "нет",
    "ни",
    "них",
    "но",
    "ну",
    "о",
    "об",
    "он",
    "она",
    "они",
    "оно",
    "от",
    "по",
    "под",
    "при",
    "про",
    "с",
    "со",
    "так",
    "также",
    "там",
    "то",
    "тоже",
    "только",
    "тот",
    "ты",
    "у",
    "уже",
    "чем",
    "что",
    "чтобы",
    "это",
    "этот",
    "эта",
    "эти",
    "я",
];

pub(crate) fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.contains(&word)
}

/// Maps a character typed on a QWERTY layout to the Cyrillic letter on the same key
/// of the standard ЙЦУКЕН layout; other characters are returned unchanged.
pub(crate) fn qwerty_to_jcuken(c: char) -> char {
    const FROM: &str = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`{}:\"<>~";
    const TO: &str = "йцукенгшщзхъфывапролджэячсмитьбюёхъжэбюё";
    let lower = c.to_ascii_lowercase();
    match FROM.chars().position(|f| f == lower) {
        Some(i) => TO.chars().nth(i).unwrap_or(c),
        None => c,
    }
}

/// Optimal-string-alignment (restricted Damerau–Levenshtein) distance in characters:
/// insertions, deletions, substitutions and adjacent transpositions all cost one.
pub(crate) fn osa_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (n, m) = (a.len(), b.len());
    let mut prev2 = vec![0usize; m + 1];
    let mut prev: Vec<usize> = (0..=m).collect();
    let mut cur = vec![0usize; m + 1];
    for i in 1..=n {
        cur[0] = i;
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[m]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        crate::search::analysis::tokenize(s)
            .into_iter()
            .map(|t| t.text)
            .collect()
    }

    #[test]
    fn stop_words_are_normalized() {
        for w in STOP_WORDS {
            assert_eq!(texts(w), [*w]);
        }
        assert!(is_stop_word("если") && !is_stop_word("гость"));
    }

    #[test]
    fn layout_and_distance() {
        let s: String = "ntktajy".chars().map(qwerty_to_jcuken).collect();
        assert_eq!(s, "телефон");
        let s: String = "k.,jq".chars().map(qwerty_to_jcuken).collect();
        assert_eq!(s, "любой");
        assert_eq!(osa_distance("капучино", "капучмно"), 1);
        assert_eq!(osa_distance("капучино", "капуично"), 1);
        assert_eq!(osa_distance("молоко", "молоко"), 0);
        assert_eq!(osa_distance("кофемашина", "кофемешинаа"), 2);
    }
}
