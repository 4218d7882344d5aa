//! robots.txt as Meta's crawler reads it (RFC 9309): the groups naming
//! `facebookexternalhit` apply, else the `*` groups; the longest matching
//! `Allow`/`Disallow` pattern wins (`Allow` on a tie); `*` and `$` work as
//! wildcards.

/// The product token the crawler matches groups against.
pub(crate) const PRODUCT: &str = "facebookexternalhit";

#[derive(Debug, Default)]
struct Group {
    agents: Vec<String>,
    /// `(allow, pattern)`.
    rules: Vec<(bool, String)>,
}

#[derive(Debug, Default)]
pub(crate) struct Robots {
    groups: Vec<Group>,
}

impl Robots {
    pub(crate) fn parse(text: &str) -> Self {
        let mut groups: Vec<Group> = Vec::new();
        // Consecutive user-agent lines share one group.
        let mut open_agents = false;
        for raw in text.lines() {
            let line = raw.split('#').next().unwrap_or("").trim();
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let key = key.trim().to_ascii_lowercase();
            let value = value.trim();
            match key.as_str() {
                "user-agent" => {
                    if !open_agents {
                        groups.push(Group::default());
                        open_agents = true;
                    }
                    if let Some(group) = groups.last_mut() {
                        group.agents.push(value.to_ascii_lowercase());
                    }
                }
                "allow" | "disallow" => {
                    open_agents = false;
                    if let Some(group) = groups.last_mut()
                        && !value.is_empty()
                    {
                        group.rules.push((key == "allow", value.to_owned()));
                    }
                }
                // Sitemap, crawl-delay and the like do not end a group's
                // user-agent list in practice, but they carry no rules.
                _ => {}
            }
        }
        Self { groups }
    }

    /// Whether `path` (with its query) may be fetched by `product`.
    pub(crate) fn allowed(&self, product: &str, path: &str) -> bool {
        let product = product.to_ascii_lowercase();
        let names_us = |agent: &str| {
            let agent = agent.split('/').next().unwrap_or("").trim();
            !agent.is_empty() && agent != "*" && product.starts_with(agent)
        };
        let mut chosen: Vec<&Group> = self
            .groups
            .iter()
            .filter(|g| g.agents.iter().any(|a| names_us(a)))
            .collect();
        if chosen.is_empty() {
            chosen = self
                .groups
                .iter()
                .filter(|g| g.agents.iter().any(|a| a == "*"))
                .collect();
        }
        let mut best: Option<(usize, bool)> = None;
        for (allow, pattern) in chosen.iter().flat_map(|g| g.rules.iter()) {
            if !matches(pattern, path) {
                continue;
            }
            let len = pattern.len();
            best = match best {
                Some((best_len, best_allow))
                    if best_len > len || (best_len == len && best_allow) =>
                {
                    Some((best_len, best_allow))
                }
                _ => Some((len, *allow)),
            };
        }
        best.is_none_or(|(_, allow)| allow)
    }
}

/// Pattern match with `*` (any run) and a trailing `$` (end of path).
fn matches(pattern: &str, path: &str) -> bool {
    let (pattern, anchored) = match pattern.strip_suffix('$') {
        Some(p) => (p, true),
        None => (pattern, false),
    };
    let pieces: Vec<&str> = pattern.split('*').collect();
    let mut rest = path;
    for (i, piece) in pieces.iter().enumerate() {
        if i == 0 {
            match rest.strip_prefix(piece) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if i == pieces.len() - 1 && anchored {
            return rest.ends_with(piece);
        } else {
            match rest.find(piece) {
                Some(at) => rest = &rest[at + piece.len()..],
                None => return false,
            }
        }
    }
    // Anchored patterns with a `*` returned above; plain ones must end here.
    !anchored || rest.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_and_precedence() {
        let robots = Robots::parse(
            "User-agent: *\nDisallow: /\n\nUser-agent: Googlebot\nUser-agent: facebookexternalhit/1.1\nDisallow: /media-host/private/\nAllow: /media-host/private/ok.jpg\n",
        );
        assert!(robots.allowed(PRODUCT, "/media-host/a.jpg"));
        assert!(!robots.allowed(PRODUCT, "/media-host/private/a.jpg"));
        assert!(robots.allowed(PRODUCT, "/media-host/private/ok.jpg"));
        assert!(!robots.allowed("otherbot", "/media-host/a.jpg"));

        let star = Robots::parse("User-agent: *\nDisallow: /*.mp4$\nDisallow:\n");
        assert!(!star.allowed(PRODUCT, "/v/clip.mp4"));
        assert!(star.allowed(PRODUCT, "/v/clip.mp4?x=1"));
        assert!(star.allowed(PRODUCT, "/v/clip.jpg"));
        assert!(Robots::parse("").allowed(PRODUCT, "/anything"));
        assert!(
            !Robots::parse("user-agent: FacebookExternalHit\ndisallow: /").allowed(PRODUCT, "/x")
        );
    }

    #[test]
    fn wildcards() {
        assert!(matches("/a/*/c", "/a/b/c/d"));
        assert!(matches("/a*", "/abc"));
        assert!(matches("/a$", "/a"));
        assert!(!matches("/a$", "/ab"));
        assert!(matches("/*$", "/anything"));
        assert!(!matches("/b", "/a"));
    }
}
