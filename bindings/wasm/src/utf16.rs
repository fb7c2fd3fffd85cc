//! Byte offsets in UTF-8 text to UTF-16 code-unit offsets, which is what JavaScript
//! string indices count.

/// Converts ascending byte offsets into `text` to UTF-16 offsets in one forward pass.
///
/// `offsets` must be sorted (findings are reported in order); an offset inside a
/// character maps to that character's start. Offsets past the end map to the end.
pub fn byte_to_utf16(text: &str, offsets: &[usize]) -> Vec<u32> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(offsets.len());
    let mut byte = 0usize;
    let mut unit = 0u32;
    for &target in offsets {
        let target = target.min(bytes.len());
        if target < byte {
            // Unsorted input: restart from the beginning rather than give a wrong answer.
            byte = 0;
            unit = 0;
        }
        while byte < target {
            let b = bytes[byte];
            let (len, units) = match b {
                0x00..=0x7f => (1, 1),
                0xc0..=0xdf => (2, 1),
                0xe0..=0xef => (3, 1),
                _ => (4, 2),
            };
            if byte + len > target {
                break;
            }
            byte += len;
            unit += units;
        }
        out.push(unit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_is_identity() {
        assert_eq!(byte_to_utf16("hello world", &[0, 5, 11]), vec![0, 5, 11]);
    }

    #[test]
    fn multibyte_and_astral_characters() {
        // "é" is 2 bytes / 1 unit, "€" 3 bytes / 1 unit, "😀" 4 bytes / 2 units.
        let text = "é€😀x";
        let ends: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
        assert_eq!(byte_to_utf16(text, &ends), vec![0, 1, 2, 4, 5]);
        for (i, _) in text.char_indices() {
            let expected = text[..i].encode_utf16().count() as u32;
            assert_eq!(byte_to_utf16(text, &[i]), vec![expected]);
        }
    }

    #[test]
    fn mid_character_offset_maps_to_character_start() {
        assert_eq!(byte_to_utf16("a€b", &[2, 3]), vec![1, 1]);
    }

    #[test]
    fn unsorted_and_out_of_range_offsets() {
        assert_eq!(byte_to_utf16("ab€", &[5, 1, 99]), vec![3, 1, 3]);
    }
}
