//! Event data that is a JSON object or array, indented for reading.

/// `data` indented two spaces per level, when it is a JSON object or array; `None` otherwise.
///
/// The text is re-indented as it is, not parsed into a value and written back: keys keep their
/// order and numbers their digits, which is what someone debugging a stream needs to see.
pub(crate) fn pretty_json(data: &str) -> Option<String> {
    let trimmed = data.trim_start();
    if !(trimmed.starts_with('{') || trimmed.starts_with('[')) {
        return None;
    }
    serde_json::from_str::<serde::de::IgnoredAny>(data).ok()?;
    let mut out = String::with_capacity(data.len() * 2);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = data.chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                skip_whitespace(&mut chars);
                let close = if c == '{' { '}' } else { ']' };
                if chars.peek() == Some(&close) {
                    chars.next();
                    out.push(c);
                    out.push(close);
                } else {
                    depth += 1;
                    out.push(c);
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(',');
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    Some(out)
}

fn skip_whitespace(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while chars.next_if(|c| c.is_whitespace()).is_some() {}
}

fn newline(out: &mut String, depth: usize) {
    out.push('\n');
    for _ in 0..depth {
        out.push_str("  ");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_and_arrays_are_indented_in_their_own_order() {
        assert_eq!(
            pretty_json(r#"{"z":1,"a":[1.50, {}, [ ]],"s":"x, {y}: \"z\""}"#).unwrap(),
            "{\n  \"z\": 1,\n  \"a\": [\n    1.50,\n    {},\n    []\n  ],\n  \"s\": \"x, {y}: \\\"z\\\"\"\n}"
        );
    }

    #[test]
    fn anything_else_is_left_alone() {
        for data in ["42", "\"text\"", "hello", "{broken", "[1,]", "", "{} extra"] {
            assert_eq!(pretty_json(data), None, "{data}");
        }
    }
}
