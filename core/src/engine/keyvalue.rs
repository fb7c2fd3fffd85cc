//! Key rules in every syntax logs use: find the `name <delimiter> value` construct around
//! a key-word hit and mark the value.
//!
//! Syntaxes: `K=V`, `export K="V"`, `declare -x K="V"`, logfmt, `K: V` (YAML, headers,
//! Rust `Debug`), JSON `"k": "v"`, Python/Ruby repr (`'k': 'v'`, `k='v'`, `:k => "v"`),
//! Java `toString()`, Go `%+v`, URL queries (`?token=V&x=1`), flags (`--password V`),
//! XML (`<password>V</password>`), `Authorization: Bearer V` (scheme kept) and cookies.
//! A value that is a container (`('bob', 'pw')`, `["a", "b"]`, `{"v": 1}`, `Secret('x')`)
//! has every leaf masked and its structure kept (see `container`). A name and its value in
//! sibling fields (`{"name": "DB_PASSWORD", "value": "x"}`) are a pair (see `pair`).

use super::{Earlier, Region, Span, container, pair};
use crate::rules::keys::KeyRules;
use crate::{RuleId, RuleKind};

/// Where a value that reached the end of the scanned region stops, once more bytes come.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ValueEnd {
    /// At the end of the line.
    EndOfLine,
    /// At whitespace or one of `,;&)}]"'`.
    Terminator,
    /// At this closing quote (backslash escapes honoured).
    Quote(u8),
    /// At `<`.
    Xml,
}

/// Bytes that may form a key name, as a table: the name scans walk every byte of a word
/// that holds a hit (base64 blobs, hex ids), and one load is cheaper than five compares.
static NAME_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b'_' || c == b'-' || c == b'.';
        b += 1;
    }
    table
};

/// Bytes that may form a key name.
#[inline]
pub(crate) fn is_name_byte(b: u8) -> bool {
    NAME_BYTES[b as usize]
}

#[inline]
const fn is_terminator(b: u8) -> bool {
    b <= b' ' || matches!(b, b',' | b';' | b'&' | b')' | b'}' | b']' | b'"' | b'\'')
}

/// Bytes an unquoted value's scan stops at: its terminators (ESC, which may open a colour
/// code, among them) and `[` (which may open a mask). Every other byte is one table load.
static VALUE_STOPS: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c == b'[' || is_terminator(c);
        b += 1;
    }
    table
};

/// The first byte at or after `q` (before `end`) where an unquoted value's scan must look.
#[inline]
fn next_value_stop(line: &[u8], q: usize, end: usize) -> usize {
    line[q..end].iter().position(|&b| VALUE_STOPS[b as usize]).map_or(end, |i| q + i)
}

/// The `=` or `:` (blanks between) before the quote at `quote`, at or after `floor` (the
/// end of the last earlier finding): the quote opens a field's value. The caller also
/// checks that no finding of this line takes the delimiter in: a delimiter that will be
/// masked must not count, so that the next pass reads the quote the same way.
fn field_delimiter_before(line: &[u8], floor: usize, quote: usize) -> Option<usize> {
    let mut i = quote;
    while i > floor && matches!(line[i - 1], b' ' | b'\t') {
        i -= 1;
    }
    (i > floor && matches!(line[i - 1], b'=' | b':')).then(|| i - 1)
}

/// Skips spaces, tabs and ANSI colour sequences from `p`.
pub(super) fn skip_blank(line: &[u8], mut p: usize) -> usize {
    loop {
        match line.get(p) {
            Some(b' ' | b'\t') => p += 1,
            Some(0x1b) if is_csi(line, p) => p = skip_ansi(line, p),
            _ => return p,
        }
    }
}

/// Does an ANSI CSI sequence (`ESC [`) start at `p`? Not when the `[` opens a mask: a
/// secret masked right after an ESC byte would otherwise read as `ESC [ R` and `EDACTED]`
/// on the next pass, and a flag or key before it would take that as its value.
fn is_csi(line: &[u8], p: usize) -> bool {
    line.get(p) == Some(&0x1b) && line.get(p + 1) == Some(&b'[') && crate::mask::mask_len_at(&line[p + 1..]).is_none()
}

/// Skips one ANSI CSI sequence at `p`, if a well-formed one starts there: `ESC [`,
/// parameter bytes (`0-9:;<=>?`), intermediate bytes (space to `/`), a final byte (`@` to
/// `~`). Otherwise only the ESC byte is skipped.
///
/// Reading to the first final-like byte instead made the sequence's end depend on what
/// follows it: in `ESC[://:I@` it ended at the `I` of a URL password, and once that was
/// masked, at the mask's `[`, which hid the mask from the next pass. For the same reason
/// a final `[` that opens a mask ends no sequence.
pub(super) fn skip_ansi(line: &[u8], p: usize) -> usize {
    if line.get(p + 1) != Some(&b'[') {
        return p + 1;
    }
    let mut q = p + 2;
    while line.get(q).is_some_and(|b| (0x30..=0x3f).contains(b)) {
        q += 1;
    }
    while line.get(q).is_some_and(|b| (0x20..=0x2f).contains(b)) {
        q += 1;
    }
    match line.get(q) {
        Some(b'[') if crate::mask::mask_len_at(&line[q..]).is_some() => p + 1,
        Some(b) if (0x40..=0x7e).contains(b) => q + 1,
        _ => p + 1,
    }
}

/// Skips ANSI sequences only (no spaces).
fn skip_ansi_only(line: &[u8], mut p: usize) -> usize {
    while is_csi(line, p) {
        p = skip_ansi(line, p);
    }
    p
}

/// Values that stand for "no secret here": empty or control bytes only, `null`, `true`,
/// `<password>`, `${VAR}`, `{{ .x }}`, `***` and masks. They are never masked.
///
/// A value that holds masks is judged without them: masking a finding inside or right
/// after a placeholder (`password=<password>` then a masked control byte, which ended the
/// value) must not turn the placeholder into a value on the next pass (idempotence).
pub(crate) fn is_placeholder(value: &[u8]) -> bool {
    let v = value.trim_ascii();
    let masks = crate::mask::may_hold_mask(v);
    !surely_not_placeholder(v, masks) && is_placeholder_shape(v, masks)
}

/// Most values are none of the placeholder shapes, which all start with one of a few
/// bytes or hold a mask: said from the first byte. `masks` is [`crate::mask::may_hold_mask`].
fn surely_not_placeholder(v: &[u8], masks: bool) -> bool {
    let may_start = |b: u8| {
        b.is_ascii_control()
            || matches!(b.to_ascii_lowercase(), b'<' | b'$' | b'{' | b'%' | b'n' | b't' | b'f' | b'u' | b'"' | b'\'')
    };
    !masks && v.first().is_some_and(|&b| !may_start(b))
}

/// [`is_placeholder`] of a trimmed value, in full.
fn is_placeholder_shape(v: &[u8], masks: bool) -> bool {
    // Control bytes alone (`<pass>\x16<`) are no secret; masked, they would stop ending a
    // line-start value before them on the next pass (idempotence).
    if v.iter().all(u8::is_ascii_control) || (masks && crate::mask::is_mask(v)) {
        return true;
    }
    if masks && (crate::mask::holds_mask(v, 0, v.len()) || v.contains(&b'*')) {
        let rest = crate::mask::strip_masks(v);
        if rest.len() < v.len() {
            return is_placeholder(&rest);
        }
    }
    const EMPTY_VALUES: &[&[u8]] = &[b"null", b"none", b"nil", b"true", b"false", b"undefined", b"\"\"", b"''"];
    if EMPTY_VALUES.iter().any(|w| v.eq_ignore_ascii_case(w)) {
        return true;
    }
    (v.starts_with(b"<") && v.ends_with(b">"))
        || (v.starts_with(b"${") && v.ends_with(b"}"))
        || (v.starts_with(b"{{") && v.ends_with(b"}}"))
        || (v.starts_with(b"%(") && v.ends_with(b")s"))
}

/// HTTP authentication schemes kept in front of the credential.
const AUTH_SCHEMES: &[&[u8]] = &[
    b"bearer",
    b"basic",
    b"digest",
    b"negotiate",
    b"ntlm",
    b"token",
    b"bot",
    b"apikey",
    b"hawk",
    b"oauth",
    b"ssws",
    b"aws4-hmac-sha256",
    b"dpop",
    b"mac",
];

/// Bit `n` set: some scheme is `n` bytes long (all are shorter than 32). 64 bits, so that
/// any word length up to 32 shifts it.
const SCHEME_LENS: u64 = {
    let (mut lens, mut i) = (0u64, 0);
    while i < AUTH_SCHEMES.len() {
        lens |= 1 << AUTH_SCHEMES[i].len();
        i += 1;
    }
    lens
};

/// What key rules found on one line.
#[derive(Default)]
pub(crate) struct KeyFinds {
    /// Values to mask.
    pub spans: Vec<Span>,
    /// Placeholder values (`<password>`): masked only when a finding overlaps them.
    pub placeholders: Vec<Span>,
    /// Placeholders cut short before a mask: their start, and where their mask must end
    /// when a finding overlaps them (see `Value::masked_end`).
    pub cut_placeholders: Vec<(usize, usize)>,
    /// `Cookie:` and `Set-Cookie:` lists: where each starts and whether it is `Set-Cookie`.
    /// They are read by [`cookies`] once the line's other findings are known.
    cookies: Vec<(usize, bool)>,
}

impl KeyFinds {
    /// Are there cookie lists left to read?
    pub(crate) fn has_cookies(&self) -> bool {
        !self.cookies.is_empty()
    }
}

/// Confirms a key construct around the literal starting at `hit_start`. Records the value
/// span when there is one (as a placeholder when the value is one, such as `<password>`)
/// and returns the end of the name (key hits before it are done).
///
/// `earlier` holds the findings of other rules on the line: the name starts no earlier
/// than the end of the last one before the hit, as it will start right after that
/// finding's mask on the next pass.
pub(crate) fn confirm(
    line: &[u8],
    hit_start: usize,
    earlier: &Earlier,
    region: Region,
    keys: &KeyRules,
    out: &mut KeyFinds,
) -> usize {
    // A key word inside another rule's finding names nothing: it is masked with that
    // finding, and on the next pass it is inside the mask. Its name must not run on past
    // the finding either, or it would hide a key after it (`<token>.x_API_KEY=v`).
    if let Some(end) = earlier.covering(hit_start) {
        return end;
    }
    let name_floor = earlier.floor(hit_start);
    let mut ns = hit_start;
    while ns > name_floor && is_name_byte(line[ns - 1]) {
        ns -= 1;
    }
    // The literal may end in the delimiter after the word: the name ends at the first
    // byte that is not a name byte.
    let mut ne = hit_start;
    while ne < line.len() && is_name_byte(line[ne]) {
        ne += 1;
    }
    let raw = &line[ns..ne];
    let dashes = raw.iter().take_while(|&&b| b == b'-').count();
    let name = raw[dashes..].strip_suffix(b".").unwrap_or(&raw[dashes..]);
    if name.is_empty() || name.len() > 128 {
        return ne;
    }
    // Right after a finding, the byte before the name is its mask's last byte.
    let before = match ns {
        0 => b'\n',
        _ if ns == name_floor => b']',
        _ => line[ns - 1],
    };
    // A quoted name that is a field's value with a value field after it
    // (`key="-bPassword" value="…"`) is a pair's name, not a flag whose value would be
    // the next word.
    let field_value = dashes > 0
        && matches!(before, b'"' | b'\'')
        && line.get(ne) == Some(&before)
        && field_delimiter_before(line, name_floor, ns - 1)
            .is_some_and(|d| !out.spans.iter().any(|s| s.start <= d && d < s.end))
        && pair::value_after_name(line, ns, ne).is_some();
    let is_flag =
        dashes > 0 && !field_value && (ns == 0 || before.is_ascii_whitespace() || matches!(before, b'"' | b'\''));
    if dashes > 0 && !is_flag && !field_value {
        return ne;
    }
    // Cheap before the classification: a delimiter (or a flag's blank) must follow.
    let after = skip_blank(line, if matches!(line.get(ne), Some(b'"' | b'\'' | b'`')) { ne + 1 } else { ne });
    let delimited = matches!(line.get(after), Some(b'=' | b':' | b'>')) || (is_flag && after > ne);
    if !delimited {
        return confirm_pair(line, ns, ne, name, region, keys, out);
    }
    let Some(rule) = keys.classify_bytes(name) else { return ne };
    // Last of the cheap checks: it looks back up to a mask's length for a `[`.
    if inside_mask(line, ns) {
        return ne;
    }

    let quoted_name = matches!(before, b'"' | b'\'' | b'`') && line.get(ne) == Some(&before);
    let mut p = if quoted_name { ne + 1 } else { ne };
    p = skip_blank(line, p);
    let xml = before == b'<' && line.get(p) == Some(&b'>');
    let delim = line.get(p).copied();
    match delim {
        Some(b'>') if xml => p += 1,
        Some(b'=') if line.get(p + 1) == Some(&b'>') => p = skip_blank(line, p + 2),
        Some(b'=') if line.get(p + 1) != Some(&b'=') => p = skip_blank(line, p + 1),
        Some(b':') if line.get(p + 1) != Some(&b':') && !line[p + 1..].starts_with(b"//") => {
            p = skip_blank(line, p + 1)
        }
        _ if is_flag && p > ne => {}
        // `<entry key="db.password">` is no `name>value` but a pair.
        _ => return confirm_pair(line, ns, ne, name, region, keys, out),
    }
    if p >= line.len() || line[p] == b'\n' || line[p] == b'\r' {
        return ne;
    }
    let set_cookie = name.eq_ignore_ascii_case(b"set-cookie");
    if delim == Some(b':') && (set_cookie || name.eq_ignore_ascii_case(b"cookie")) {
        out.cookies.push((p, set_cookie));
        return ne;
    }
    let line_start = !quoted_name && !xml && !is_flag && region.starts_line && starts_line(&line[..ns]);
    let mut leaves = Vec::new();
    // In a `Cookie:` header the cookie's value is read by [`cookies`], up to its `;`.
    let in_cookie_header = out.cookies.iter().any(|&(c, _)| c <= ns);
    let container = if xml || in_cookie_header {
        None
    } else {
        container::read(line, p, line_end(line), earlier, line_start, region.ends_line, &mut leaves)
    };
    // Not for a key inside a value found before it (`k:pass=[ x`): that value's mask
    // hides it on the next pass, so brackets after that value must not be read as its.
    // A placeholder value counts too: a leaf overlapping it would have it masked whole.
    if let Some(end) = container
        && !out.spans.iter().chain(&out.placeholders).any(|s| s.start <= ns && ns < s.end)
    {
        // A non-string leaf in JSON gets a string mask, as a number under a secret key does.
        let json = quoted_name && before == b'"';
        for leaf in leaves {
            let to = if leaf.placeholder { &mut out.placeholders } else { &mut out.spans };
            to.push(Span {
                start: leaf.start,
                end: leaf.end,
                rule: rule.clone(),
                kind: RuleKind::Key,
                prefix_len: 0,
                truncated: false,
                quote: json && leaf.bare,
                continues: leaf.continues,
            });
        }
        // Key words inside are done: every leaf is masked already, and a value read for
        // one of them could take in a bracket, which would change the container's shape
        // on the next pass (idempotence).
        return end.max(ne);
    }
    let mut v = Value::read(line, p, xml, line_start, quoted_name);
    // `{"Key": "DbPassword", "Value": "x"}`: this key's value names the next field's,
    // which the key word inside the name (if any) masks; the name itself is kept.
    if pair::is_key_field(name)
        && pair::looks_like_name(&line[v.start..v.end])
        && pair::value_after_name(line, v.start, v.end).is_some()
    {
        return ne;
    }
    const AUTHORIZATION: &[u8] = b"authorization";
    let authorization = name.len() >= AUTHORIZATION.len()
        && name[name.len() - AUTHORIZATION.len()..].eq_ignore_ascii_case(AUTHORIZATION);
    if authorization || rule.as_str() == "key:authorization" {
        skip_scheme(line, &mut v, line_start);
    }
    let json = quoted_name && before == b'"';
    record_value(line, v, rule, json, region, out);
    ne
}

/// When the name `line[ns..ne]` (`name` without its dashes) is a name field's value and
/// the secret is in the next field (`{"name": "DB_PASSWORD", "value": "x"}`, see [`pair`]),
/// records that value under the name's rule. Returns the end of the name.
fn confirm_pair(
    line: &[u8],
    ns: usize,
    ne: usize,
    name: &[u8],
    region: Region,
    keys: &KeyRules,
    out: &mut KeyFinds,
) -> usize {
    if let Some(value) = pair::value_after_name(line, ns, ne)
        && let Some(rule) = keys.classify_bytes(name)
        && !inside_mask(line, ns)
    {
        record_value(line, Value::read(line, value.at, value.xml, false, false), rule, value.json, region, out);
    }
    ne
}

/// Records the key value `v` under `rule`: as a placeholder when it is one (`<password>`),
/// nothing when it is empty. `json`: a bare value there is a JSON scalar, whose mask
/// needs quotes.
fn record_value(line: &[u8], mut v: Value, rule: RuleId, json: bool, region: Region, out: &mut KeyFinds) {
    if region.ends_line {
        v.continues = None;
    }
    if v.start >= v.end && v.continues.is_none() {
        return;
    }
    let placeholder = v.continues.is_none() && is_placeholder(&line[v.start..v.end]);
    if let Some(end) = v.masked_end.filter(|_| placeholder) {
        out.cut_placeholders.push((v.start, end));
    }
    let to = if placeholder { &mut out.placeholders } else { &mut out.spans };
    to.push(Span { quote: json && v.quote.is_none(), continues: v.continues, ..Span::key(v.start, v.end, rule) });
}

/// Is `at` inside a label mask such as `[REDACTED:key:token]`? Its words are not keys.
///
/// Only a whole mask counts: `[REDACTED]` or `[REDACTED:` and printable ASCII other than
/// brackets up to the `]`, which comes after `at` ([`crate::mask::enclosing_mask_len_at`]).
/// Text that merely starts like one (`[REDACTEDen=x k token=v`, one whose `]` lies past
/// control bytes or far away) is text, and its keys are keys: otherwise masking inside it
/// on the first pass could make it stop being a mask, or start being one, on the second.
/// Masks inside it count as its text for the same reason: a format rule may mask a match
/// in it (`[REDACTED:key:pa;Pwd=x]`) without turning its key words into keys on the next
/// pass. The look-back covers the longest mask, so every key word in one sees its start.
fn inside_mask(line: &[u8], at: usize) -> bool {
    crate::mask::masks_around(line, at).next().is_some()
}

/// Is `prefix` (the bytes before the name) only indentation, `export `, `declare -x ` or `- `,
/// from the line start or its last `\r` (progress bars)?
///
/// Read from the end: before most key names is other text, and the last byte that is not
/// a blank tells so at once.
fn starts_line(prefix: &[u8]) -> bool {
    /// Ends at the line start or at a `\r`, once trailing blanks are dropped.
    fn opens_segment(text: &[u8]) -> bool {
        let text = trim_blank_end(text);
        text.is_empty() || text.ends_with(b"\r")
    }
    let before = trim_blank_end(prefix);
    if before.len() == prefix.len() {
        // Nothing between a lead word and the name: no lead fits (it needs a blank).
        return before.is_empty() || before.ends_with(b"\r");
    }
    opens_segment(before)
        || [&b"export"[..], b"declare -x", b"declare -rx", b"set", b"-"]
            .iter()
            .any(|lead| before.strip_suffix(*lead).is_some_and(opens_segment))
}

/// `text` without trailing ASCII whitespace other than `\r` (which starts a segment).
fn trim_blank_end(text: &[u8]) -> &[u8] {
    let end = text.iter().rposition(|&b| !b.is_ascii_whitespace() || b == b'\r').map_or(0, |i| i + 1);
    &text[..end]
}

struct Value {
    start: usize,
    end: usize,
    quote: Option<u8>,
    continues: Option<ValueEnd>,
    /// A line-start value cut short before a mask (a placeholder then a mask, see
    /// [`placeholder_before_mask`]): where it ends once masked. The next pass reads it from
    /// its mask on to there, so a mask of the placeholder must reach there too.
    masked_end: Option<usize>,
}

impl Value {
    /// A value with no cut to remember.
    fn new(start: usize, end: usize, quote: Option<u8>, continues: Option<ValueEnd>) -> Value {
        Value { start, end, quote, continues, masked_end: None }
    }

    fn read(line: &[u8], p: usize, xml: bool, line_start: bool, quoted_name: bool) -> Value {
        let eol = line_end(line);
        if xml {
            let end = memchr::memchr(b'<', &line[p..eol]).map_or(eol, |i| p + i);
            let continues = (end == eol).then_some(ValueEnd::Xml);
            return Value::new(p, end, None, continues);
        }
        let first = line[p];
        if matches!(first, b'"' | b'\'' | b'`') {
            let start = p + 1;
            let mut q = start;
            while q < eol {
                match line[q] {
                    b'\\' => q += 2,
                    b if b == first => return Value::new(start, q, Some(first), None),
                    _ => q += 1,
                }
            }
            return Value::new(start, eol, Some(first), Some(ValueEnd::Quote(first)));
        }
        if line_start && !quoted_name {
            // To the end of the line, or of the `\r`-separated segment (progress bars).
            let eol = next_control(line, p, eol).unwrap_or(eol);
            let end = trim_blank_end_from(line, p, eol);
            if let Some(cut) = placeholder_before_mask(line, p, eol) {
                return Value { masked_end: Some(end), ..Value::new(p, cut, None, None) };
            }
            return Value::new(p, end, None, Some(ValueEnd::EndOfLine));
        }
        let mut q = p;
        loop {
            q = next_value_stop(line, q, eol);
            if q >= eol {
                break;
            }
            if is_csi(line, q) {
                // Colour codes end the value when a terminator (or the line end) follows
                // them; inside it (a highlighted part) they do not, so its rest is masked.
                let after = skip_ansi_only(line, q);
                if after >= eol || is_terminator(line[after]) {
                    break;
                }
                q = after;
                continue;
            }
            // A label mask that holds masks is one too (`[REDACTED:;Pwd=[REDACTED]]`): a
            // format rule may have masked a match inside it on the previous pass, and the
            // value must end where it ended then, not at a `;` inside it (idempotence).
            if line[q] == b'['
                && let Some(len) = crate::mask::enclosing_mask_len_at(&line[q..eol])
            {
                if q > p && is_placeholder(&line[p..q]) {
                    break;
                }
                // Otherwise the mask is part of the value, `]` included.
                q += len;
                continue;
            }
            if is_terminator(line[q]) {
                break;
            }
            q += 1;
        }
        let continues = (q == eol).then_some(ValueEnd::Terminator);
        Value::new(p, q, None, continues)
    }
}

/// The first control byte (other than tab and ESC) in `line[from..eol]`: it ends a
/// line-start value (a `\r` starts a progress bar's next segment).
fn next_control(line: &[u8], from: usize, eol: usize) -> Option<usize> {
    line[from..eol].iter().position(|&b| b < b' ' && b != b'\t' && b != 0x1b).map(|i| from + i)
}

/// `end`, moved back over the ASCII whitespace before it, not before `start`.
fn trim_blank_end_from(line: &[u8], start: usize, mut end: usize) -> usize {
    while end > start && line[end - 1].is_ascii_whitespace() {
        end -= 1;
    }
    end
}

/// Where the value at `p` ends when it starts with a placeholder directly followed by a
/// mask (`<password>[REDACTED]…`), as it ends at the placeholder on the first pass: that
/// mask replaced what ended it there (a control byte, or an XML element's text with the
/// `<` of its closing tag after it), so ending it at the mask keeps redaction idempotent.
fn placeholder_before_mask(line: &[u8], p: usize, end: usize) -> Option<usize> {
    let i = memchr::memchr_iter(b'[', &line[p..end])
        .map(|i| p + i)
        .find(|&i| crate::mask::mask_len_at(&line[i..end]).is_some())?;
    (i > p && is_placeholder(&line[p..i])).then_some(i)
}

fn line_end(line: &[u8]) -> usize {
    let mut end = line.len();
    if end > 0 && line[end - 1] == b'\n' {
        end -= 1;
    }
    if end > 0 && line[end - 1] == b'\r' {
        end -= 1;
    }
    end
}

/// `Authorization: Bearer V`: keep the scheme word, mask the credential.
fn skip_scheme(line: &[u8], v: &mut Value, line_start: bool) {
    let value = &line[v.start..v.end];
    // Every scheme is shorter than 32 bytes, and most words have no scheme's length.
    let word_len = value.iter().take(32).take_while(|b| b.is_ascii_alphanumeric() || **b == b'-').count();
    let word = &value[..word_len];
    if (SCHEME_LENS >> word_len) & 1 == 0 || !AUTH_SCHEMES.iter().any(|s| s.eq_ignore_ascii_case(word)) {
        return;
    }
    let after = skip_blank(line, v.start + word_len);
    if after == v.start + word_len {
        return;
    }
    v.start = after;
    if v.quote.is_none() && !line_start {
        // The scheme ended the unquoted value; the credential is the next token.
        let eol = line_end(line);
        let mut q = after;
        loop {
            q = next_value_stop(line, q, eol);
            if q >= eol || is_terminator(line[q]) {
                break;
            }
            // A mask is read whole: its `]` ends nothing.
            q += crate::mask::enclosing_mask_len_at(&line[q..eol]).unwrap_or(1);
        }
        v.end = q;
        v.continues = (q == eol).then_some(ValueEnd::Terminator);
    }
}

/// Session-cookie names that carry secrets even though no key word matches.
fn is_session_cookie(name: &[u8]) -> bool {
    let n = name.to_ascii_lowercase();
    matches!(
        n.as_slice(),
        b"sid"
            | b"sessionid"
            | b"session_id"
            | b"connect.sid"
            | b"csrftoken"
            | b"remember_token"
            | b"jsessionid"
            | b"phpsessid"
    ) || n.ends_with(b"sessid")
        || (n.starts_with(b"_") && n.ends_with(b"_session"))
}

/// The cookie name at the end of `text` (the bytes before `=`): its trailing run of token
/// characters, after trailing blanks.
fn cookie_name(text: &[u8]) -> &[u8] {
    let text = text.trim_ascii_end();
    let is_token = |b: &u8| b.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?={}".contains(b);
    let start = text.iter().rposition(|b| !is_token(b)).map_or(0, |i| i + 1);
    &text[start..]
}

/// Reads the cookie lists [`confirm`] recorded. `earlier` holds every other finding of the
/// line, those of key rules included: a key value may hold a cookie's `=` or `;`
/// (`Cookie:token:=\0sid=\0`, where `token:` takes the value `=`).
pub(crate) fn cookies(line: &[u8], keys: &KeyRules, earlier: &Earlier, out: &mut KeyFinds) {
    for (p, set_cookie) in std::mem::take(&mut out.cookies) {
        cookie_values(line, p, set_cookie, keys, earlier, out);
    }
}

/// `Cookie: a=1; sid=V` and `Set-Cookie: sid=V; Path=/`: names and attributes are kept,
/// values of sensitive or session cookies are masked.
///
/// A cookie name is the run of token characters (RFC 6265) before `=`: no blank, no
/// separator, so no mask either (`[`, `]`). Findings of other rules (`earlier`) are read as
/// their masks will be on the next pass: a `;` or `=` inside one separates nothing, and a
/// name starts after a finding. Otherwise masking a finding between two cookies (a URL
/// password `;R` in `Cookie: s://apikey:;R@=A`, a key value `8` in `Cookie: Key: 8 sid=%`)
/// would give a different cookie name on the next pass (idempotence).
fn cookie_values(line: &[u8], mut p: usize, set_cookie: bool, keys: &KeyRules, earlier: &Earlier, out: &mut KeyFinds) {
    let eol = line_end(line);
    let mut first = true;
    while p < eol {
        let seg_end = earlier.next_outside(line, p, eol, b';').unwrap_or(eol);
        if let Some(eq) = earlier.next_outside(line, p, seg_end, b'=') {
            let name = cookie_name(&line[p.max(earlier.floor(eq))..eq]);
            let vs = skip_blank(line, eq + 1);
            let mut ve = seg_end;
            while ve > vs && line[ve - 1].is_ascii_whitespace() {
                ve -= 1;
            }
            let cookie = !set_cookie || first;
            let rule = if !cookie {
                None
            } else if is_session_cookie(name) {
                Some(RuleId::new("key:session"))
            } else {
                keys.classify_bytes(name)
            };
            if let Some(rule) = rule
                && vs < ve
            {
                // A placeholder value is masked only if a finding overlaps it, as for other keys.
                let out = if is_placeholder(&line[vs..ve]) { &mut out.placeholders } else { &mut out.spans };
                out.push(Span::key(vs, ve, rule));
            }
        }
        first = false;
        p = skip_ansi_only(line, seg_end + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The first-byte reject never turns a placeholder away: values made of the
        /// shapes' own pieces, masks and other bytes.
        #[test]
        fn quick_reject_keeps_every_placeholder(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "<", ">", "${", "}", "{{", "}}", "%(", ")s", "null", "NONE", "Nil", "true", "False",
                "undefined", "\"", "'", "*", "[REDACTED]", "[REDACTED:key]", "\u{2026}", "\x16", "\0",
                " ", "\t", "a", "Z", "9", "x=", "[", "]",
            ]), 0..6),
        ) {
            let value = parts.concat().into_bytes();
            let v = value.trim_ascii();
            let masks = crate::mask::may_hold_mask(v);
            if surely_not_placeholder(v, masks) {
                proptest::prop_assert!(!is_placeholder_shape(v, masks), "{:?}", parts);
            }
        }
    }

    fn spans(line: &str) -> Vec<String> {
        let keys = KeyRules::default();
        let mut out = KeyFinds::default();
        let earlier = Earlier::default();
        let lits = keys.literals();
        let b = line.as_bytes();
        let mut done = 0;
        for i in 0..b.len() {
            for l in &lits {
                if i >= done && b[i..].starts_with(l.as_bytes()) {
                    let region = Region { starts_line: true, ends_line: true };
                    done = confirm(b, i, &earlier, region, &keys, &mut out);
                }
            }
        }
        let earlier = Earlier::new(out.spans.iter().map(|s| (s.start, s.end)));
        cookies(b, &keys, &earlier, &mut out);
        out.spans.iter().map(|s| line[s.start..s.end].to_owned()).collect()
    }

    #[test]
    fn syntaxes() {
        assert_eq!(spans("DB_PASSWORD=plum orbit 4471"), ["plum orbit 4471"]);
        assert_eq!(spans("export API_TOKEN=\"abc def\""), ["abc def"]);
        assert_eq!(spans("level=info password=hunter2 user=bob"), ["hunter2"]);
        assert_eq!(spans(r#"{"password": "a\"b", "user": "x"}"#), [r#"a\"b"#]);
        assert_eq!(spans("{'secret': 'xyz'}"), ["xyz"]);
        assert_eq!(spans("Config{user=bob, password=pw123, host=db}"), ["pw123"]);
        assert_eq!(spans("{User:admin Password:V3ry Host:db}"), ["V3ry"]);
        assert_eq!(spans("GET /cb?code=1&token=abc123&x=1 HTTP/1.1"), ["abc123"]);
        assert_eq!(spans("run --password s3cret --user bob"), ["s3cret"]);
        assert_eq!(spans("run --password=s3cret"), ["s3cret"]);
        assert_eq!(spans("<password>s3cret</password>"), ["s3cret"]);
        assert_eq!(spans("Authorization: Bearer abc.def"), ["abc.def"]);
        assert_eq!(spans("> Authorization: Bearer abc.def more"), ["abc.def"]);
        // Words of 32 bytes and more are no scheme (nor an overflow: fuzz found one).
        let long = "Authorization: ttreal120a7s7kI6XofvXIlWd1YgGxMHh for";
        assert_eq!(spans(long), ["ttreal120a7s7kI6XofvXIlWd1YgGxMHh for"]);
        assert_eq!(spans("Authorization: Hawk0123456789012345678901234567890123 x").len(), 1);
        assert_eq!(spans(":password => \"pw\""), ["pw"]);
        assert_eq!(spans("Cookie: theme=dark; sessionid=abc; PHPSESSID=xyz"), ["abc", "xyz"]);
        assert_eq!(spans("Set-Cookie: sid=abc; Path=/; HttpOnly"), ["abc"]);
        assert_eq!(spans("password \x1b[0m=\x1b[1m s3cret"), ["s3cret"]);
        assert_eq!(spans("x password=\x1b[31ms3cret\x1b[0m next"), ["s3cret"]);
        assert_eq!(spans("x password=s3\x1b[1mcr\x1b[4m\x1b[1met\x1b[0m next"), ["s3\x1b[1mcr\x1b[4m\x1b[1met"]);
        assert_eq!(spans("a=[REDACTEDen=x k token=t12abc"), ["t12abc"]);
        assert!(spans("x=[REDACTED:key:password] y").is_empty());
    }

    #[test]
    fn decoys() {
        assert!(spans("the password was wrong").is_empty());
        assert!(spans("password=").is_empty());
        assert!(spans("password=${DB_PASSWORD}").is_empty());
        assert!(spans("password=<password>").is_empty());
        assert!(spans("password=<password>[REDACTED]").is_empty());
        assert!(spans("Cookie: s://apikey:[REDACTED]@=A").is_empty());
        assert_eq!(spans("Cookie: ÿKey: 8 sid=%"), ["8", "%"]);
        assert_eq!(spans("Cookie:token:=\0sid=\0"), ["="]);
        assert!(spans("password=${DB_PASSWORD}[REDACTED:key:token]").is_empty());
        assert!(spans("PASSWORD_MIN_LENGTH=12").is_empty());
        assert!(spans("token == other").is_empty());
        assert!(spans("keyboard=us").is_empty());
        assert!(spans("password: null").is_empty());
        assert!(spans("url=https://token.example.com/x").is_empty());
    }

    /// The forward reading of [`starts_line`]: the segment after the last `\r`, blanks and
    /// one lead word (followed by a blank) dropped from its start, is empty.
    fn starts_line_forward(prefix: &[u8]) -> bool {
        let prefix = prefix.iter().rposition(|&b| b == b'\r').map_or(prefix, |i| &prefix[i + 1..]);
        let mut p = prefix.trim_ascii_start();
        for lead in [&b"export"[..], b"declare -x", b"declare -rx", b"set", b"-"] {
            if let Some(rest) = p.strip_prefix(lead)
                && rest.first().is_some_and(u8::is_ascii_whitespace)
            {
                p = rest.trim_ascii_start();
                break;
            }
        }
        p.is_empty()
    }

    #[test]
    fn line_starts_read_backwards_as_forwards() {
        let parts = ["", " ", "\t", "\r", "\n", "x", "export", "set", "-", "declare -x", "declare -rx", "xset", "--"];
        let mut starts = 0;
        for a in parts {
            for b in parts {
                for c in parts {
                    let prefix = format!("{a}{b}{c}");
                    let want = starts_line_forward(prefix.as_bytes());
                    assert_eq!(starts_line(prefix.as_bytes()), want, "{prefix:?}");
                    starts += usize::from(want);
                }
            }
        }
        assert!(starts > 100, "{starts} prefixes start a line");
    }
}
