//! A sensitive key whose value is a container: `'auth': ('bob', 'hunter2')`,
//! `"password": {"v": "x"}`, `tokens=[a, b]`, `password=Secret('x')`.
//!
//! Every scalar leaf inside is masked and the structure is kept (brackets, separators,
//! the names of inner members and a wrapper's class name), as [`crate::json`] does for a
//! JSON document: the text stays readable, and a JSON line stays valid JSON. An inner
//! key of its own (`{"password": {"v": "x"}}`'s `v`) says nothing about its value here:
//! the secret key above it does.
//!
//! The container is read on one line. When it is still open where the scanned region
//! ends and the line goes on (a line longer than the scan window), the rest of the line
//! is masked from the container's first byte (fail closed).

use super::Earlier;
use super::keyvalue::{ValueEnd, is_placeholder, skip_blank};

/// A leaf (or, for a container cut off by the region's end, the rest of the line).
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Leaf {
    pub start: usize,
    pub end: usize,
    /// A bare scalar (`5`, `bob`), not a quoted string: in JSON its mask needs quotes.
    pub bare: bool,
    pub placeholder: bool,
    pub continues: Option<ValueEnd>,
}

/// Longest class name read as a wrapper (`SecretStr(`).
const MAX_WRAPPER: usize = 64;

/// Reads the container value starting at `p` (`eol`: where the line's text ends), if
/// one starts there, appends its leaves to `out` and returns where it ends (`eol` when
/// it is still open there). Returns `None`, with `out` untouched, when the value is no
/// container or is not one as a whole: then it is read as any other value.
///
/// `whole_rest`: the value would otherwise run to the end of the line (an env dump's
/// line), so only blanks may follow the container. `ends_line`: the scanned region
/// ends where the line does.
///
/// Findings of other rules (`earlier`) are read as their masks will be on the next pass,
/// as a whole inside a leaf: a bracket or quote in one opens or closes nothing.
pub(super) fn read(
    line: &[u8],
    p: usize,
    eol: usize,
    earlier: &Earlier,
    whole_rest: bool,
    ends_line: bool,
    out: &mut Vec<Leaf>,
) -> Option<usize> {
    let open = opening(line, p, eol, earlier)?;
    let first = out.len();
    let mut closers = vec![closer(line[open])];
    let mut q = open + 1;
    while q < eol {
        if let Some(end) = opaque_at(line, q, eol, earlier) {
            q = bare(line, q, eol, end, earlier, ends_line, out);
            continue;
        }
        match line[q] {
            b' ' | b'\t' | b',' | b';' | b':' | b'=' | b'>' => q += 1,
            b @ (b')' | b']' | b'}') => {
                if closers.pop() != Some(b) {
                    out.truncate(first);
                    return None;
                }
                q += 1;
                if closers.is_empty() {
                    break;
                }
            }
            b @ (b'(' | b'[' | b'{') => {
                closers.push(closer(b));
                q += 1;
            }
            b'"' | b'\'' | b'`' => q = quoted(line, q, eol, earlier, ends_line, out),
            _ => q = bare(line, q, eol, q, earlier, ends_line, out),
        }
    }
    if !closers.is_empty() {
        if !ends_line {
            // The rest of the line, from inside the container, whatever it holds.
            out.truncate(first);
            out.push(Leaf {
                start: open + 1,
                end: eol,
                bare: false,
                placeholder: false,
                continues: Some(ValueEnd::EndOfLine),
            });
        }
        return Some(eol);
    }
    // What follows must end the value, or the brackets were part of a longer one.
    let followed_well = match line.get(q) {
        _ if q >= eol => true,
        Some(_) if whole_rest => line[q..eol].iter().all(u8::is_ascii_whitespace),
        Some(&b) => b.is_ascii_whitespace() || matches!(b, b',' | b';' | b'&' | b')' | b'}' | b']' | b'"' | b'\''),
        None => true,
    };
    if !followed_well {
        out.truncate(first);
        return None;
    }
    Some(q)
}

/// Where the container at `p` opens: `p` itself (`(`, `[`, `{`, not a mask), or the
/// `(` after a wrapper's class name (`Secret('x')`).
fn opening(line: &[u8], p: usize, eol: usize, earlier: &Earlier) -> Option<usize> {
    let b = *line.get(p)?;
    let open = if b.is_ascii_alphabetic() || b == b'_' { wrapper_open(line, p, eol, earlier)? } else { p };
    // A name or bracket that a finding covers will be a mask on the next pass.
    if (p..=open).any(|i| earlier.covering(i).is_some()) {
        return None;
    }
    match line[open] {
        // `{{ .Values.password }}` is a template, a placeholder.
        b'{' if line.get(open + 1) == Some(&b'{') => None,
        b'(' | b'{' => Some(open),
        b'[' if crate::mask::enclosing_mask_len_at(&line[open..eol]).is_none() => Some(open),
        _ => None,
    }
}

/// The `(` after a class name at `p` (`Secret('x')`, `Auth(user=…)`), if one is there:
/// letters only, and a string, a keyword argument or `)` first. A password such as
/// `Pa55(word)` or `Pass(word)` is a value, not a wrapper whose name may stay in clear.
/// An argument that another rule's finding (`earlier`) covers will be a mask on the next
/// pass, which makes no wrapper either.
fn wrapper_open(line: &[u8], p: usize, eol: usize, earlier: &Earlier) -> Option<usize> {
    let len = line[p..eol].iter().take_while(|&&c| c.is_ascii_alphabetic() || c == b'_' || c == b'.').count();
    let open = p + len;
    if len == 0 || len > MAX_WRAPPER || line.get(open) != Some(&b'(') {
        return None;
    }
    let arg = skip_blank(line, open + 1).min(eol);
    let name = line[arg..eol].iter().take_while(|&&c| c.is_ascii_alphanumeric() || c == b'_').count();
    let keyword = name > 0 && line.get(arg + name) == Some(&b'=') && line.get(arg + name + 1) != Some(&b'=');
    let masked = (arg..=arg + name).any(|i| earlier.covering(i).is_some());
    (!masked && (keyword || matches!(line.get(arg), Some(b'"' | b'\'' | b')')))).then_some(open)
}

fn closer(open: u8) -> u8 {
    match open {
        b'(' => b')',
        b'[' => b']',
        _ => b'}',
    }
}

/// The end of a mask or of another rule's finding at `q`: both are read whole.
fn opaque_at(line: &[u8], q: usize, eol: usize, earlier: &Earlier) -> Option<usize> {
    if let Some(end) = earlier.covering(q) {
        return Some(end.min(eol));
    }
    (line[q] == b'[').then(|| crate::mask::enclosing_mask_len_at(&line[q..eol]).map(|len| q + len)).flatten()
}

/// Is the text at `q` (after blanks) the delimiter after a member's name: `:` (not
/// `::`), `=` (not `==`) or `=>`?
fn names_a_member(line: &[u8], q: usize, eol: usize) -> bool {
    let q = skip_blank(line, q).min(eol);
    match line[q..eol] {
        [b':', b':', ..] | [b'=', b'=', ..] => false,
        [b':' | b'=', ..] => true,
        _ => false,
    }
}

/// A quoted string at `q`: a member's name when a delimiter follows it, else a leaf.
/// Returns where reading goes on.
fn quoted(line: &[u8], q: usize, eol: usize, earlier: &Earlier, ends_line: bool, out: &mut Vec<Leaf>) -> usize {
    let quote = line[q];
    let start = q + 1;
    let mut i = start;
    while i < eol {
        if let Some(end) = earlier.covering(i) {
            i = end;
            continue;
        }
        match line[i] {
            b'\\' => i += 2,
            b if b == quote => {
                if !names_a_member(line, i + 1, eol) {
                    push_leaf(line, start, i, false, None, out);
                }
                return i + 1;
            }
            _ => i += 1,
        }
    }
    // Open to the end of the line: the string is the leaf.
    let continues = (!ends_line).then_some(ValueEnd::Quote(quote));
    push_leaf(line, start, eol, false, continues, out);
    eol
}

/// A bare scalar from `q`, read whole up to `from` already (a mask or a finding there).
/// It ends at a blank, a bracket, a quote, `,`, `;`, or a member's delimiter (`User:bob`).
/// Returns where reading goes on.
fn bare(
    line: &[u8],
    q: usize,
    eol: usize,
    from: usize,
    earlier: &Earlier,
    ends_line: bool,
    out: &mut Vec<Leaf>,
) -> usize {
    let mut i = from;
    while i < eol {
        if let Some(end) = opaque_at(line, i, eol, earlier) {
            i = end;
            continue;
        }
        match line[i] {
            b if b.is_ascii_whitespace() => break,
            b'(' | b')' | b'[' | b']' | b'{' | b'}' | b'"' | b'\'' | b'`' | b',' | b';' => break,
            b':' if !line[i + 1..eol].starts_with(b"//") && !line[i + 1..eol].starts_with(b":") => break,
            b'=' if line.get(i + 1) != Some(&b'=') => break,
            b':' | b'=' => i += 2,
            _ => i += 1,
        }
    }
    let i = i.min(eol);
    let string_prefix =
        i - q <= 2 && line[q..i].iter().all(|b| b"bBrRuUfF".contains(b)) && matches!(line.get(i), Some(b'"' | b'\''));
    let class_name = i < eol && line[i] == b'(' && wrapper_open(line, q, eol, earlier) == Some(i);
    if i > q && !string_prefix && !class_name && !names_a_member(line, i, eol) {
        let continues = (i == eol && !ends_line).then_some(ValueEnd::Terminator);
        push_leaf(line, q, i, true, continues, out);
    }
    i.max(q + 1)
}

fn push_leaf(line: &[u8], start: usize, end: usize, bare: bool, continues: Option<ValueEnd>, out: &mut Vec<Leaf>) {
    if start >= end && continues.is_none() {
        return;
    }
    let placeholder = continues.is_none() && is_placeholder(&line[start..end]);
    out.push(Leaf { start, end, bare, placeholder, continues });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The leaves to mask, as text, or `None` when the value is no container.
    fn leaves(value: &str) -> Option<Vec<&str>> {
        let mut out = Vec::new();
        let line = value.as_bytes();
        read(line, 0, line.len(), &Earlier::default(), false, true, &mut out)
            .map(|_| out.iter().filter(|l| !l.placeholder).map(|l| &value[l.start..l.end]).collect())
    }

    #[test]
    fn leaves_are_masked_and_structure_kept() {
        assert_eq!(leaves("('bob', 'hunter2')"), Some(vec!["bob", "hunter2"]));
        assert_eq!(leaves(r#"["bob", "hunter2"]"#), Some(vec!["bob", "hunter2"]));
        assert_eq!(leaves(r#"{"v": "x", "n": 5, "ok": true, "z": null}"#), Some(vec!["x", "5"]));
        assert_eq!(leaves("[hunter2, letmein]"), Some(vec!["hunter2", "letmein"]));
        assert_eq!(leaves("Secret('hunter2')"), Some(vec!["hunter2"]));
        assert_eq!(leaves("Auth(user='bob', password='pw')"), Some(vec!["bob", "pw"]));
        assert_eq!(leaves("{User:bob Pass:x}"), Some(vec!["bob", "x"]));
        assert_eq!(leaves("{:user => \"bob\"}"), Some(vec!["bob"]));
        assert_eq!(leaves("(b'bob', rb'pw')"), Some(vec!["bob", "pw"]));
        assert_eq!(leaves("[https://a.example/x, 10:00]"), Some(vec!["https://a.example/x", "00"]));
        assert_eq!(leaves(r#"{"a": ["x", {"b": 'y'}]}"#), Some(vec!["x", "y"]));
        assert_eq!(leaves(r#"('a\'b', 'c')"#), Some(vec![r"a\'b", "c"]));
    }

    #[test]
    fn a_wrapper_whose_argument_another_finding_covers_is_none() {
        // `x.g(k=v` reads as a call with a keyword argument; with `k=v` another rule's
        // finding, it will be `x.g([REDACTED]` on the next pass, and `x.g` a leaf.
        let value = "(x.g(k=v";
        let mut out = Vec::new();
        let earlier = Earlier::new([(5, 8)].into_iter());
        read(value.as_bytes(), 0, value.len(), &earlier, false, true, &mut out).unwrap();
        let texts: Vec<&str> = out.iter().map(|l| &value[l.start..l.end]).collect();
        assert_eq!(texts, ["x.g", "k=v"]);
        assert_eq!(leaves("(x.g(k=v"), Some(vec!["v"]));
    }

    #[test]
    fn masks_and_placeholders_are_left() {
        assert_eq!(leaves("('[REDACTED]', [REDACTED:key:auth], SecretStr('**********'))"), Some(vec![]));
        assert_eq!(leaves("(None, '', null)"), Some(vec![]));
        assert_eq!(leaves("[REDACTED]"), None);
    }

    #[test]
    fn what_is_no_container() {
        assert_eq!(leaves("hunter2"), None);
        assert_eq!(leaves("abc(def)ghi"), None);
        assert_eq!(leaves("Pa55('word')"), None);
        assert_eq!(leaves("Pass(word)"), None);
        assert_eq!(leaves("(a]"), None);
        assert_eq!(leaves("'quoted'"), None);
        assert_eq!(leaves("{{ .Values.password }}"), None);
    }

    #[test]
    fn an_open_container_runs_to_the_end() {
        assert_eq!(leaves("('bob', 'hun"), Some(vec!["bob", "hun"]));
        let mut out = Vec::new();
        let line = b"x=('bob', 'hunter2'";
        assert_eq!(read(line, 2, line.len(), &Earlier::default(), false, false, &mut out), Some(line.len()));
        assert_eq!(
            out,
            [Leaf { start: 3, end: line.len(), bare: false, placeholder: false, continues: Some(ValueEnd::EndOfLine) }]
        );
    }

    #[test]
    fn an_env_line_value_must_end_with_the_container() {
        let mut out = Vec::new();
        let line = b"[a] b";
        assert_eq!(read(line, 0, line.len(), &Earlier::default(), true, true, &mut out), None);
        assert!(out.is_empty());
        assert_eq!(read(b"[a]  ", 0, 5, &Earlier::default(), true, true, &mut out), Some(3));
    }

    #[test]
    fn findings_are_read_whole() {
        // A finding holding a quote and a bracket: as its mask will be on the next pass.
        let line = b"('a', x')y, 'b')";
        let earlier = Earlier::new([(6, 9)].into_iter());
        let mut out = Vec::new();
        assert_eq!(read(line, 0, line.len(), &earlier, false, true, &mut out), Some(line.len()));
        let got: Vec<&[u8]> = out.iter().map(|l| &line[l.start..l.end]).collect();
        assert_eq!(got, [&b"a"[..], b"x')y", b"b"]);
    }
}
