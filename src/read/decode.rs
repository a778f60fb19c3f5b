//! Bytes to text: gzip, size caps, binary detection and character sets.

use std::io::Read;
use std::path::Path;

use crate::read::Limits;

/// A file's bytes, decompressed when it was gzip.
pub struct FileBytes {
    pub data: Vec<u8>,
    /// The file name without a `.gz` suffix: what suggests the format.
    pub inner_name: String,
    /// What went wrong while reading, when only part was read (the cap was
    /// hit, or the gzip stream was cut short).
    pub problem: Option<String>,
}

/// Reads a file, decompressing gzip (by magic number, whatever the name),
/// never holding more than `limits.max_file_bytes` of output.
pub fn read_bytes(path: &Path, limits: &Limits) -> std::io::Result<FileBytes> {
    let file = std::fs::File::open(path)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut raw = Vec::new();
    // Reading one byte past the cap tells that the cap was hit. Saturating:
    // `--max-file-bytes 18446744073709551615` (no limit) overflowed here,
    // a panic in debug builds and a zero-byte read in release ones.
    let cap = limits.max_file_bytes;
    file.take(cap.saturating_add(1)).read_to_end(&mut raw)?;
    let gz = raw.starts_with(&[0x1f, 0x8b]);
    if !gz {
        return Ok(capped(raw, name, cap));
    }
    let inner_name = name
        .strip_suffix(".gz")
        .or_else(|| name.strip_suffix(".GZ"))
        .unwrap_or(&name)
        .to_string();
    // The output is what is capped: a small bomb must not expand past it.
    let mut decoder = flate2::read::MultiGzDecoder::new(&raw[..]).take(cap.saturating_add(1));
    let mut data = Vec::new();
    if let Err(e) = decoder.read_to_end(&mut data) {
        if data.is_empty() {
            return Err(std::io::Error::new(
                e.kind(),
                format!("cannot decompress gzip: {e}"),
            ));
        }
        // A truncated gzip still gives its good start.
        return Ok(FileBytes {
            data,
            inner_name,
            problem: Some(format!(
                "corrupt or truncated gzip ({e}): the readable start was used"
            )),
        });
    }
    Ok(capped(data, inner_name, cap))
}

fn capped(mut data: Vec<u8>, inner_name: String, cap: u64) -> FileBytes {
    let problem = (data.len() as u64 > cap).then(|| {
        format!("larger than the {cap} byte limit (--max-file-bytes): only the start was read")
    });
    data.truncate(usize::try_from(cap).unwrap_or(usize::MAX));
    FileBytes {
        data,
        inner_name,
        problem,
    }
}

/// Whether bytes are plainly not text: NUL bytes or many control bytes near
/// the start.
pub fn looks_binary(data: &[u8]) -> bool {
    let head = &data[..data.len().min(8192)];
    if head.contains(&0) {
        return true;
    }
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    control * 10 > head.len()
}

/// Text decoded from bytes, with a note when the bytes were not UTF-8.
pub struct Decoded {
    pub text: String,
    pub note: Option<String>,
}

/// Decodes UTF-8 (dropping a BOM, folding CRLF). Bytes that are not UTF-8
/// are read as Windows-1252 when no valid multi-byte UTF-8 sequence appears
/// at all (a Latin-1 file); otherwise the bad bytes alone are replaced.
pub fn to_text(data: &[u8]) -> Decoded {
    let data = data.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(data);
    let (text, note) = match std::str::from_utf8(data) {
        Ok(s) => (s.to_string(), None),
        Err(_) if !has_utf8_multibyte(data) => {
            let (cow, _, _) = encoding_rs::WINDOWS_1252.decode(data);
            (cow.into_owned(), None)
        }
        Err(e) => (
            String::from_utf8_lossy(data).into_owned(),
            Some(format!(
                "invalid UTF-8 from byte {}: bad bytes replaced, the rest kept",
                e.valid_up_to()
            )),
        ),
    };
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    };
    Decoded { text, note }
}

fn has_utf8_multibyte(data: &[u8]) -> bool {
    let mut i = 0;
    while i < data.len() {
        let b = data[i];
        let len = match b {
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            _ => {
                i += 1;
                continue;
            }
        };
        if i + len <= data.len() && std::str::from_utf8(&data[i..i + len]).is_ok() {
            return true;
        }
        i += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_is_read_as_such() {
        let d = to_text(b"Z\xfcrich caf\xe9");
        assert_eq!(d.text, "Zürich café");
        assert!(d.note.is_none());
    }

    #[test]
    fn mixed_utf8_keeps_the_good_text() {
        let d = to_text(
            "Zürich \u{2014} "
                .as_bytes()
                .iter()
                .chain(b"\xff ok")
                .copied()
                .collect::<Vec<_>>()
                .as_slice(),
        );
        assert!(d.text.starts_with("Zürich —"));
        assert!(d.text.ends_with(" ok"));
        assert!(d.note.unwrap().contains("invalid UTF-8"));
    }

    #[test]
    fn bom_and_crlf_are_normalised() {
        assert_eq!(to_text(b"\xEF\xBB\xBFa\r\nb\rc").text, "a\nb\nc");
    }

    #[test]
    fn gzip_is_capped() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("bomb.txt.gz");
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        enc.write_all(&vec![b'a'; 1 << 20]).unwrap();
        std::fs::write(&p, enc.finish().unwrap()).unwrap();
        let l = Limits {
            max_file_bytes: 1000,
            ..Limits::default()
        };
        let b = read_bytes(&p, &l).unwrap();
        assert_eq!(b.data.len(), 1000);
        assert!(b.problem.unwrap().contains("limit"));
        assert_eq!(b.inner_name, "bomb.txt");
    }
}
