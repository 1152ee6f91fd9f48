//! Chinese line breaking (禁则) and text clean-up.
//!
//! Rules:
//! - a line may break before/after any CJK character;
//! - a run of other non-space characters (Latin words, numbers, phone numbers,
//!   times such as `09:00–10:30`, URLs) is kept together unless it alone is wider
//!   than the line;
//! - no line starts with a closing/pausing punctuation mark ([`NO_LINE_START`]) and
//!   no line ends with an opening one ([`NO_LINE_END`]): such marks stay glued to
//!   their neighbour, which is pushed to the next line together with them;
//! - spaces are break opportunities and vanish at the break;
//! - `\n` forces a break.

use std::ops::Range;

/// Characters that must not begin a line (行首禁则).
pub const NO_LINE_START: &str = "，。、；：？！）」』》〉】〕〗〙〛”’｝］｠…‥—～·・,.;:?!)]}%‰℃°′″々〻ゝゞヽヾーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ";

/// Characters that must not end a line (行尾禁则).
pub const NO_LINE_END: &str = "（「『《〈【〔〖〘〚“‘｛［｟([{￥$＄£€¥#＃";

/// Characters that stay with a number written before them ("14次", "2026年").
pub const AFTER_NUMBER: &str = "年月日号时点分秒岁次个人元万亿届期楼栋室层%％℃";

/// Longest text kept from one field; anything longer is cut with an ellipsis so that
/// a pasted novel cannot make the renderer run for minutes.
pub const MAX_FIELD_CHARS: usize = 20_000;

#[inline]
pub fn is_no_start(c: char) -> bool {
    NO_LINE_START.contains(c)
}

#[inline]
pub fn is_no_end(c: char) -> bool {
    NO_LINE_END.contains(c)
}

/// Characters that are breakable on both sides (each one is its own unit).
#[inline]
pub fn is_cjk_like(c: char) -> bool {
    let cp = c as u32;
    matches!(cp,
        0x1100..=0x11FF       // Hangul Jamo
        | 0x2010..=0x2027     // dashes, quotes, ellipsis
        | 0x2E80..=0x2FFF     // radicals
        | 0x3000..=0x303F     // CJK punctuation
        | 0x3040..=0x30FF     // kana
        | 0x3100..=0x31FF
        | 0x3200..=0x4DBF     // enclosed, ext A
        | 0x4E00..=0x9FFF     // unified ideographs
        | 0xA960..=0xA97F
        | 0xAC00..=0xD7AF     // Hangul
        | 0xF900..=0xFAFF
        | 0xFE10..=0xFE1F
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFFEF     // full-width forms
        | 0x1F000..=0x1FAFF   // emoji & symbols
        | 0x20000..=0x3FFFF)  // ext B+
        && !matches!(cp, 0x2013) // en dash: part of "09:00–10:30"
}

/// What a character the font lacks (emoji, private-use) prints as: the typesetters' mark for
/// a missing character, so the reader sees that something was there — never an empty box.
pub const MISSING_GLYPH: char = '〓';

/// Whether the font draws `c` (with no font loaded, rendering fails later with `print.font`).
fn printable(c: char) -> bool {
    if (c as u32) < 0x7f {
        return true;
    }
    crate::fonts::fonts().map(|f| f.glyph(c).0 != 0).unwrap_or(true)
}

/// Clean a user string: normalise line ends, turn tabs and other whitespace into
/// spaces, drop control and zero-width characters, cap the length; characters the font
/// lacks become [`MISSING_GLYPH`].
pub fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len().min(MAX_FIELD_CHARS * 4));
    let mut n = 0usize;
    let mut prev_cr = false;
    for c in s.chars() {
        if n >= MAX_FIELD_CHARS {
            out.push('…');
            break;
        }
        let c2 = match c {
            '\r' => {
                prev_cr = true;
                out.push('\n');
                n += 1;
                continue;
            }
            '\n' if prev_cr => {
                prev_cr = false;
                continue;
            }
            '\n' => '\n',
            '\u{200B}'..='\u{200F}' | '\u{2028}' | '\u{2029}' | '\u{FEFF}' | '\u{2060}' => {
                prev_cr = false;
                continue;
            }
            // Variation selectors (emoji presentation) have no glyph and nothing to show.
            '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}' => {
                prev_cr = false;
                continue;
            }
            c if c.is_control() => ' ',
            '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' => ' ',
            c if !printable(c) => MISSING_GLYPH,
            c => c,
        };
        prev_cr = false;
        out.push(c2);
        n += 1;
    }
    out
}

/// One line-breaking unit: byte range into the text, and whether it is whitespace.
#[derive(Debug, Clone)]
struct Unit {
    range: Range<usize>,
    space: bool,
}

/// Split one paragraph (no `\n`) into units between which a break is allowed.
fn units(text: &str) -> Vec<Unit> {
    // 1. atoms: whitespace runs, single CJK characters, runs of other characters.
    let mut atoms: Vec<Unit> = Vec::new();
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if c.is_whitespace() {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = it.peek() {
                if !d.is_whitespace() {
                    break;
                }
                end = j + d.len_utf8();
                it.next();
            }
            atoms.push(Unit { range: i..end, space: true });
        } else if is_cjk_like(c) {
            atoms.push(Unit { range: i..i + c.len_utf8(), space: false });
        } else {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = it.peek() {
                if d.is_whitespace() || is_cjk_like(d) {
                    break;
                }
                end = j + d.len_utf8();
                it.next();
            }
            atoms.push(Unit { range: i..end, space: false });
        }
    }
    // 2. glue: a no-start atom joins the previous unit, an atom after a no-end
    //    character joins it.
    let mut out: Vec<Unit> = Vec::with_capacity(atoms.len());
    for a in atoms {
        let glue = match out.last() {
            Some(prev) if !prev.space && !a.space => {
                let first = text[a.range.clone()].chars().next().unwrap_or(' ');
                let last = text[prev.range.clone()].chars().next_back().unwrap_or(' ');
                is_no_start(first)
                    || is_no_end(last)
                    // A number keeps its unit ("2026年", "14次", "第3"); a date may
                    // still break between its parts ("2026年 / 11月28日").
                    || (last.is_ascii_digit() && AFTER_NUMBER.contains(first))
                    || (matches!(last, '第' | '共') && first.is_ascii_digit())
            }
            _ => false,
        };
        if glue {
            if let Some(prev) = out.last_mut() {
                prev.range.end = a.range.end;
            }
        } else {
            out.push(a);
        }
    }
    out
}

/// Break `text` into lines no wider than `max_width`, measuring characters with
/// `advance` (same unit as `max_width`). Returns byte ranges into `text`
/// (trailing/leading spaces at breaks are excluded). Always makes progress: a
/// line holds at least one character even when that character is too wide.
pub fn break_ranges(text: &str, max_width: f32, advance: &dyn Fn(char) -> f32) -> Vec<Range<usize>> {
    break_ranges_indent(text, max_width, 0.0, advance)
}

/// [`break_ranges`] with the first line of every paragraph `first_indent` narrower
/// (for the customary two-character indent of Chinese paragraphs).
pub fn break_ranges_indent(
    text: &str,
    max_width: f32,
    first_indent: f32,
    advance: &dyn Fn(char) -> f32,
) -> Vec<Range<usize>> {
    let full_width = max_width;
    let mut lines = Vec::new();
    let mut para_start = 0usize;
    for para in text.split('\n') {
        let base = para_start;
        para_start += para.len() + 1;
        let width_of = |r: &Range<usize>| -> f32 { para[r.clone()].chars().map(advance).sum() };
        let mut cur: Option<Range<usize>> = None; // current line (relative to para)
        let mut cur_w = 0.0f32;
        let mut pending_space: Option<Range<usize>> = None;
        let para_first = lines.len();
        for u in units(para) {
            let max_width = if lines.len() == para_first { full_width - first_indent } else { full_width };
            if u.space {
                if cur.is_some() {
                    pending_space = Some(u.range);
                }
                continue;
            }
            let w = width_of(&u.range);
            let space_w = pending_space.as_ref().map(&width_of).unwrap_or(0.0);
            if let Some(line) = cur.as_mut() {
                if cur_w + space_w + w <= max_width + 1e-3 {
                    line.end = u.range.end;
                    cur_w += space_w + w;
                    pending_space = None;
                    continue;
                }
                lines.push(base + line.start..base + line.end);
            }
            pending_space = None;
            let max_width = if lines.len() == para_first { full_width - first_indent } else { full_width };
            if w <= max_width + 1e-3 {
                cur = Some(u.range.clone());
                cur_w = w;
                continue;
            }
            // The unit alone is too wide: hard-split it by characters.
            let mut start = u.range.start;
            let mut acc = 0.0f32;
            for (i, c) in para[u.range.clone()].char_indices() {
                let pos = u.range.start + i;
                let cw = advance(c);
                let max_width = if lines.len() == para_first { full_width - first_indent } else { full_width };
                if pos > start && acc + cw > max_width + 1e-3 {
                    lines.push(base + start..base + pos);
                    start = pos;
                    acc = 0.0;
                }
                acc += cw;
            }
            cur = Some(start..u.range.end);
            cur_w = acc;
        }
        match cur {
            Some(line) => lines.push(base + line.start..base + line.end),
            None => lines.push(base..base), // empty paragraph = empty line
        }
    }
    lines
}

/// [`break_ranges`] returning owned strings.
pub fn break_lines(text: &str, max_width: f32, advance: &dyn Fn(char) -> f32) -> Vec<String> {
    break_ranges(text, max_width, advance).into_iter().map(|r| text[r].to_string()).collect()
}

/// Narrowest width (≤ `max_width`) that still breaks `text` into at most `n`
/// lines, for balanced multi-line titles. Returns `max_width` when it needs more.
pub fn balanced_width(text: &str, max_width: f32, n: usize, advance: &dyn Fn(char) -> f32) -> f32 {
    if break_ranges(text, max_width, advance).len() > n.max(1) {
        return max_width;
    }
    let total: f32 = text.chars().map(advance).sum();
    let mut lo = (total / n.max(1) as f32).min(max_width) * 0.98;
    let mut hi = max_width;
    for _ in 0..14 {
        let mid = (lo + hi) / 2.0;
        if break_ranges(text, mid, advance).len() <= n {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    hi
}

#[cfg(test)]
mod tests {
    use super::*;

    /// CJK = 1 em, everything else = 0.5 em.
    fn adv(c: char) -> f32 {
        if is_cjk_like(c) {
            1.0
        } else {
            0.5
        }
    }

    fn lines(text: &str, w: f32) -> Vec<String> {
        break_lines(text, w, &adv)
    }

    fn check_kinsoku(ls: &[String]) {
        for l in ls {
            if let Some(f) = l.chars().next() {
                assert!(!is_no_start(f), "line starts with {f:?}: {ls:?}");
            }
            if let Some(e) = l.chars().last() {
                assert!(!is_no_end(e), "line ends with {e:?}: {ls:?}");
            }
        }
    }

    #[test]
    fn wraps_at_any_cjk_char() {
        assert_eq!(lines("一二三四五六七八九十", 4.0), vec!["一二三四", "五六七八", "九十"]);
    }

    #[test]
    fn closing_punctuation_never_starts_a_line() {
        // "，" would land at the start of line 2: the character before it moves down.
        let ls = lines("一二三四，五六七八", 4.0);
        assert_eq!(ls, vec!["一二三", "四，五六", "七八"]);
        check_kinsoku(&ls);
        for p in ["。", "、", "；", "：", "？", "！", "）", "」", "》", "”", "’"] {
            let t = format!("甲乙丙丁{p}戊己庚辛");
            let ls = lines(&t, 4.0);
            assert_eq!(ls[0], "甲乙丙", "{p}: {ls:?}");
            assert!(ls[1].starts_with(&format!("丁{p}")), "{p}: {ls:?}");
            check_kinsoku(&ls);
            assert_eq!(ls.concat(), t);
        }
    }

    #[test]
    fn opening_punctuation_never_ends_a_line() {
        for p in ["（", "「", "《", "“", "‘"] {
            let t = format!("甲乙丙{p}丁戊己庚");
            let ls = lines(&t, 4.0);
            assert_eq!(ls[0], "甲乙丙", "{p}: {ls:?}");
            assert!(ls[1].starts_with(&format!("{p}丁")), "{p}: {ls:?}");
            check_kinsoku(&ls);
        }
    }

    #[test]
    fn chains_of_punctuation_stay_together() {
        let t = "他说：“不要转账。”然后挂了电话";
        for w in [3.0, 4.0, 5.0, 6.0, 7.0, 8.0] {
            let ls = lines(t, w);
            check_kinsoku(&ls);
            assert_eq!(ls.concat(), t);
        }
    }

    #[test]
    fn latin_words_and_numbers_kept_together() {
        let ls = lines("请拨打96110咨询", 3.0);
        assert_eq!(ls, vec!["请拨打", "96110", "咨询"]);
        let ls = lines("时间 09:00–10:30 开始", 6.0);
        assert!(ls.iter().any(|l| l.contains("09:00–10:30")), "{ls:?}");
        let ls = lines("hello world foo", 6.0);
        assert_eq!(ls, vec!["hello world", "foo"]);
    }

    #[test]
    fn numbers_keep_their_units() {
        for w in [3.0, 4.0, 5.0, 6.0, 7.0, 9.0] {
            let ls = lines("活动于2026年11月28日举行，累计参加活动14次，第3场", w);
            for l in &ls {
                assert!(!l.starts_with(['年', '月', '日', '次']), "{ls:?}");
                assert!(!l.ends_with('第'), "{ls:?}");
            }
        }
    }

    #[test]
    fn too_long_word_is_split_and_progress_is_guaranteed() {
        let ls = lines("https://example.com/abcdefghijklmnopqrstuvwxyz", 5.0);
        assert!(ls.len() > 1);
        assert_eq!(ls.concat(), "https://example.com/abcdefghijklmnopqrstuvwxyz");
        // Width smaller than one character: one char per line, no endless loop.
        let ls = lines("一二三", 0.1);
        assert_eq!(ls, vec!["一", "二", "三"]);
        assert_eq!(lines("", 5.0), vec![""]);
    }

    #[test]
    fn newlines_force_breaks_and_spaces_vanish_at_breaks() {
        assert_eq!(lines("甲乙\n丙丁", 10.0), vec!["甲乙", "丙丁"]);
        assert_eq!(lines("aaaa bbbb", 2.0), vec!["aaaa", "bbbb"]);
    }

    #[test]
    fn first_line_indent() {
        let ls: Vec<&str> = break_ranges_indent("一二三四五六七八九十", 4.0, 2.0, &adv)
            .into_iter()
            .map(|r| &"一二三四五六七八九十"[r])
            .collect();
        assert_eq!(ls, vec!["一二", "三四五六", "七八九十"]);
    }

    #[test]
    fn balanced_title() {
        let t = "一二三四五六七八九十";
        let w = balanced_width(t, 8.0, 2, &adv);
        let ls = break_lines(t, w, &adv);
        assert_eq!(ls, vec!["一二三四五", "六七八九十"]);
    }

    #[test]
    fn characters_the_font_lacks_print_as_the_missing_mark() {
        assert_eq!(clean("微信群😀通知\u{FE0F}"), "微信群〓通知");
        assert_eq!(clean("淄博鑫"), "淄博鑫");
    }

    #[test]
    fn clean_drops_controls() {
        assert_eq!(clean("a\tb\r\nc\u{200B}d\u{0}"), "a b\ncd ");
        let long = "字".repeat(MAX_FIELD_CHARS + 10);
        assert_eq!(clean(&long).chars().count(), MAX_FIELD_CHARS + 1);
    }
}
