//! Name/value pairs: a secret's name and its value in two sibling fields.
//!
//! ```text
//! {"name": "DB_PASSWORD", "value": "x"}            Kubernetes and ECS env lists (JSON)
//! {Name:DB_PASSWORD Value:x ValueFrom:nil}         the same printed by Go's %+v
//! {"Key": "ApiToken", "Value": "x"}                AWS tags, Consul
//! {"ParameterKey": "DbPassword", "ParameterValue": "x"}   CloudFormation
//! <add key="DbPassword" value="x"/>                .NET appSettings
//! <property name="db.password" value="x"/>         Spring XML
//! <entry key="db.password">x</entry>               Java properties as XML
//! ```
//!
//! The name is judged by the key rules like any key name. The value field must come
//! right after the name field (blanks and one comma between them), so both are fields of
//! the same object or element and the pair is read from the name alone, on one line.
//! A YAML list item split over two lines (`- name: X` / `value: Y`, as `kubectl get -o
//! yaml` and `helm --debug` print env lists) is read by the line processor, which holds
//! the name line's rule for the next line ([`item_name`], [`item_value`]).

use super::keyvalue::{is_name_byte, skip_blank};

/// Where a pair's value starts, and how to read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct PairValue {
    /// The value's first byte (its opening quote when quoted).
    pub at: usize,
    /// The value field's name is in double quotes (JSON): a bare value there is a JSON
    /// scalar, whose mask needs quotes.
    pub json: bool,
    /// The value is an XML element's text, up to the next `<`.
    pub xml: bool,
}

/// The value of the value field after the name `line[ns..ne]`, when that name is the
/// whole value of a name field (`name`, `key`, `ParameterKey` ...) and a value field
/// (`value`, `ParameterValue` ...) follows it, or the text of the element whose start tag
/// the name field's attribute ends (`<entry key="db.password">x</entry>`).
pub(super) fn value_after_name(line: &[u8], ns: usize, ne: usize) -> Option<PairValue> {
    let quote = ns.checked_sub(1).map(|i| line[i]).filter(|q| matches!(q, b'"' | b'\''));
    let (open, close) = match quote {
        Some(q) if line.get(ne) == Some(&q) => (ns - 1, ne + 1),
        Some(_) => return None,
        None => (ns, ne),
    };
    if !is_name_field(field_before(line, open)?) {
        return None;
    }
    if quote.is_some() && line.get(close) == Some(&b'>') && line[..open].ends_with(b"=") {
        return Some(PairValue { at: close + 1, json: false, xml: true });
    }
    value_field_after(line, close)
}

/// A YAML list item that opens with its name field and says no more on its line:
/// `- name: DB_PASSWORD` (quotes allowed). Returns the column of `name` (where a
/// `value:` field of the same item starts on the next line) and the name.
pub(crate) fn item_name(line: &[u8]) -> Option<(usize, &[u8])> {
    // Every line with a key word comes here: the common case leaves at the first test.
    let body = line.trim_ascii_start();
    let item = body.strip_prefix(b"- ")?.trim_ascii();
    let col = line.len() - body[2..].trim_ascii_start().len();
    let rest = item.strip_prefix(b"name:")?;
    let name = rest.trim_ascii_start();
    if name.len() == rest.len() && !rest.is_empty() {
        return None;
    }
    let name = match name {
        [q @ (b'"' | b'\''), inner @ .., last] if last == q => inner,
        _ => name,
    };
    looks_like_name(name).then_some((col, name))
}

/// The value of the `value:` field at column `col` of `line`, the line after an
/// [`item_name`]: `  value: V`, `  value: "V"`. Not a block scalar (`|`, `>`), an empty
/// value or a flow collection.
pub(crate) fn item_value(line: &[u8], col: usize) -> Option<(usize, usize)> {
    let content = line.trim_ascii_end();
    if content.len() <= col || !content[..col].iter().all(|&b| b == b' ') {
        return None;
    }
    let rest = content[col..].strip_prefix(b"value:")?;
    let start = col + 6 + (rest.len() - rest.trim_ascii_start().len());
    match content.get(start) {
        None | Some(b'|' | b'>' | b'{' | b'[') => None,
        Some(&q @ (b'"' | b'\'')) if content.len() > start + 1 && content[content.len() - 1] == q => {
            Some((start + 1, content.len() - 1))
        }
        Some(_) if start > col + 6 => Some((start, content.len())),
        Some(_) => None,
    }
}

/// Is `field` a name field: its last word is `name` or `key` (`name`, `Key`,
/// `ParameterKey`, `env_name`)?
#[inline(always)]
pub(crate) fn is_name_field(field: &[u8]) -> bool {
    last_word_is(field, b"name") || last_word_is(field, b"key")
}

/// Is `field` a value field: its last word is `value` (`value`, `ParameterValue`)?
pub(crate) fn is_value_field(field: &[u8]) -> bool {
    last_word_is(field, b"value")
}

/// Is the field `field` one whose value names another field's value: `key` (any case) or
/// a compound that ends in `Key` and says what kind of key (`ParameterKey`, `TagKey`)?
/// Only these: under any other name ending in `key` (`api_key`, `secretKey`) the value
/// is the secret itself.
pub(crate) fn is_key_field(field: &[u8]) -> bool {
    const KEY_FIELDS: &[&[u8]] = &[b"key", b"parameterkey", b"tagkey", b"optionkey", b"settingkey", b"propertykey"];
    // Every such name ends in `key`: most names are told apart by their last bytes.
    if field.len() > 16 || !field.len().checked_sub(3).is_some_and(|i| field[i..].eq_ignore_ascii_case(b"key")) {
        return false;
    }
    let mut folded = [0u8; 16];
    let mut n = 0;
    for &b in field.iter().filter(|&&b| b != b'_' && b != b'-') {
        folded[n] = b.to_ascii_lowercase();
        n += 1;
    }
    KEY_FIELDS.contains(&&folded[..n])
}

/// Does `value` read as a name rather than a secret: name bytes with a letter, as
/// `DbPassword` or `db.password`? (The text rules read a pair's name as the key rules
/// read any key name: one run of name bytes.)
pub(crate) fn looks_like_name(value: &[u8]) -> bool {
    (1..=128).contains(&value.len())
        && value.iter().all(|&b| is_name_byte(b))
        && value.iter().any(u8::is_ascii_alphabetic)
}

/// The name of the field whose delimiter (`:` or `=`, blanks around it) ends right
/// before `open`, the start of its value.
fn field_before(line: &[u8], open: usize) -> Option<&[u8]> {
    let mut i = open;
    while i > 0 && matches!(line[i - 1], b' ' | b'\t') {
        i -= 1;
    }
    let delim = *line.get(i.checked_sub(1)?)?;
    if !matches!(delim, b':' | b'=') || (i >= 2 && line[i - 2] == delim) {
        return None;
    }
    i -= 1;
    while i > 0 && matches!(line[i - 1], b' ' | b'\t') {
        i -= 1;
    }
    let quote = i.checked_sub(1).map(|k| line[k]).filter(|q| matches!(q, b'"' | b'\''));
    if quote.is_some() {
        i -= 1;
    }
    let end = i;
    while i > 0 && is_name_byte(line[i - 1]) {
        i -= 1;
    }
    if let Some(q) = quote
        && (i == 0 || line[i - 1] != q)
    {
        return None;
    }
    (i < end).then(|| &line[i..end])
}

/// The value of a value field starting after `close` (the end of the name field's value):
/// blanks and at most one comma, the field's name, its delimiter and blanks. Not a
/// container (`{`, `[`, `(`): that is no value but a reference such as `valueFrom`'s.
fn value_field_after(line: &[u8], close: usize) -> Option<PairValue> {
    let mut j = skip_blank(line, close);
    if line.get(j) == Some(&b',') {
        j = skip_blank(line, j + 1);
    }
    if j == close {
        return None;
    }
    let quote = line.get(j).copied().filter(|q| matches!(q, b'"' | b'\''));
    if quote.is_some() {
        j += 1;
    }
    let start = j;
    while j < line.len() && is_name_byte(line[j]) {
        j += 1;
    }
    if !is_value_field(&line[start..j]) {
        return None;
    }
    if let Some(q) = quote {
        if line.get(j) != Some(&q) {
            return None;
        }
        j += 1;
    }
    j = skip_blank(line, j);
    let delim = *line.get(j)?;
    if !matches!(delim, b':' | b'=') || line.get(j + 1) == Some(&delim) || line[j + 1..].starts_with(b"//") {
        return None;
    }
    let p = skip_blank(line, j + 1);
    match line.get(p) {
        None | Some(b'\n' | b'\r' | b'{' | b'(') => None,
        // A mask is the value masked on an earlier pass, not a list: the pair must read
        // the same then (idempotence).
        Some(b'[') if crate::mask::enclosing_mask_len_at(&line[p..]).is_none() => None,
        Some(_) => Some(PairValue { at: p, json: quote == Some(b'"') && delim == b':', xml: false }),
    }
}

/// Is `word` the last word of `field` (snake, kebab, dot, camel or one word, any case)?
fn last_word_is(field: &[u8], word: &[u8]) -> bool {
    let Some(i) = field.len().checked_sub(word.len()) else { return false };
    if !field[i..].eq_ignore_ascii_case(word) {
        return false;
    }
    i == 0
        || matches!(field[i - 1], b'_' | b'-' | b'.')
        || (field[i].is_ascii_uppercase() && field[i - 1].is_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The value start after the name `name` (its first occurrence) in `line`.
    fn after(line: &str, name: &str) -> Option<PairValue> {
        let ns = line.find(name).expect("name in line");
        value_after_name(line.as_bytes(), ns, ns + name.len())
    }

    #[test]
    fn pairs_in_every_syntax() {
        for (line, name, value) in [
            (r#"{"name": "DB_PASSWORD", "value": "x1"}"#, "DB_PASSWORD", "\"x1\""),
            (r#"{"name":"DB_PASSWORD","value":"x1"}"#, "DB_PASSWORD", "\"x1\""),
            (r#"{'name': 'DB_PASSWORD', 'value': 'x1'}"#, "DB_PASSWORD", "'x1'"),
            ("{Name:DB_PASSWORD Value:x1 ValueFrom:nil}", "DB_PASSWORD", "x1 "),
            (r#"{"Key": "ApiToken", "Value": "x1"}"#, "ApiToken", "\"x1\""),
            (r#"{"ParameterKey": "DbPassword", "ParameterValue": "x1"}"#, "DbPassword", "\"x1\""),
            (r#"<add key="DbPassword" value="x1"/>"#, "DbPassword", "\"x1\""),
            (r#"<property name="db.password" value="x1"/>"#, "db.password", "\"x1\""),
            (r#"{"name": "PIN", "value": 1234}"#, "PIN", "1234}"),
            (r#"<add key="Pass" value=[REDACTED:key:pass]/>"#, "Pass", "[REDACTED"),
        ] {
            let v = after(line, name).unwrap_or_else(|| panic!("{line}"));
            assert!(line[v.at..].starts_with(value), "{line}: {}", &line[v.at..]);
            assert!(!v.xml, "{line}");
        }
        assert_eq!(after(r#"{"name": "PIN", "value": 1}"#, "PIN").map(|v| v.json), Some(true), "JSON");
        assert_eq!(after(r#"<add key="PIN" value="1"/>"#, "PIN").map(|v| v.json), Some(false), "XML");
        let text = r#"<entry key="db.password">x1</entry>"#;
        assert_eq!(after(text, "db.password"), Some(PairValue { at: 25, json: false, xml: true }));
        assert_eq!(&text[25..27], "x1");
    }

    #[test]
    fn no_pair_without_both_fields() {
        for (line, name) in [
            (r#"{"name": "DB_PASSWORD"}"#, "DB_PASSWORD"),
            (r#"{"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {}}}"#, "DB_PASSWORD"),
            (r#"{"name": "DB_PASSWORD", "value": {"ref": 1}}"#, "DB_PASSWORD"),
            (r#"{"title": "DB_PASSWORD", "value": "x"}"#, "DB_PASSWORD"),
            (r#"{"name": "my DB_PASSWORD", "value": "x"}"#, "DB_PASSWORD"),
            (r#"{"name": "DB_PASSWORD", "user": "a", "value": "x"}"#, "DB_PASSWORD"),
            (r#"{"name": "DB_PASSWORD", "values": "x"}"#, "DB_PASSWORD"),
            (r#"{"name": "DB_PASSWORD""value": "x"}"#, "DB_PASSWORD"),
            ("name == DB_PASSWORD, value: x", "DB_PASSWORD"),
            (r#"{"monkey": "DB_PASSWORD", "value": "x"}"#, "DB_PASSWORD"),
            (r#"{"name": "DB_PASSWORD", "value": "#, "DB_PASSWORD"),
            (r#"{"name": "DB_PASSWORD">x"#, "DB_PASSWORD"),
            (r#"{"name": "DB_PASSWORD", "value": [1, 2]}"#, "DB_PASSWORD"),
        ] {
            assert_eq!(after(line, name), None, "{line}");
        }
    }

    #[test]
    fn yaml_items_over_two_lines() {
        assert_eq!(item_name(b"    - name: DB_PASSWORD\n"), Some((6, &b"DB_PASSWORD"[..])));
        assert_eq!(item_name(b"- name: 'API_TOKEN'\r\n"), Some((2, &b"API_TOKEN"[..])));
        assert_eq!(item_name(b"  -   name: \"X_KEY\""), Some((6, &b"X_KEY"[..])));
        for line in ["name: DB_PASSWORD", "- name: DB_PASSWORD # x", "- name:DB_PASSWORD", "- name: ", "- names: X"] {
            assert_eq!(item_name(line.as_bytes()), None, "{line}");
        }
        fn value(line: &str, col: usize) -> Option<&str> {
            item_value(line.as_bytes(), col).map(|(s, e)| &line[s..e])
        }
        assert_eq!(value("      value: s3cr3t\n", 6), Some("s3cr3t"));
        assert_eq!(value("      value: \"s3 cr3t\"\r\n", 6), Some("s3 cr3t"));
        assert_eq!(value("  value: 'x'", 2), Some("x"));
        for (line, col) in
            [("    value: x", 6), ("        value: x", 6), ("      valueFrom:", 6), ("      value: |", 6)]
        {
            assert_eq!(value(line, col), None, "{line}");
        }
        assert_eq!(value("      value:x", 6), None);
        assert_eq!(value("      value:", 6), None);
    }

    #[test]
    fn key_fields_and_names() {
        for f in ["key", "Key", "KEY", "ParameterKey", "parameter_key", "TagKey"] {
            assert!(is_key_field(f.as_bytes()), "{f}");
        }
        for f in ["api_key", "secretKey", "apiKey", "keys", "monkey", "private_key"] {
            assert!(!is_key_field(f.as_bytes()), "{f}");
        }
        for v in ["DbPassword", "db.password", "API_KEY"] {
            assert!(looks_like_name(v.as_bytes()), "{v}");
        }
        for v in ["", "abc+/==", "1234", "a b", "[REDACTED]", "config/db/password"] {
            assert!(!looks_like_name(v.as_bytes()), "{v}");
        }
    }
}
