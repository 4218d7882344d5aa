//! `twitterOptions.thread`: a long text becomes a thread, one post per paragraph
//! (a blank line separates them), numbered `1/n` with `threadNumber`.

/// The thread's posts, in order. Empty paragraphs are dropped.
pub fn thread_parts(text: &str, numbered: bool) -> Vec<String> {
    let parts: Vec<&str> = text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).collect();
    let n = parts.len();
    parts
        .iter()
        .enumerate()
        .map(|(i, p)| if numbered && n > 1 { format!("{p} {}/{n}", i + 1) } else { p.to_string() })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn paragraphs_become_numbered_posts() {
        assert_eq!(super::thread_parts("one\n\ntwo\n\n\n\nthree", true), vec!["one 1/3", "two 2/3", "three 3/3"]);
        assert_eq!(super::thread_parts("single", true), vec!["single"]);
        assert_eq!(super::thread_parts("a\n\nb", false), vec!["a", "b"]);
    }
}
