//! The built UI's files, read from `--ui`. A path is only ever joined from its plain
//! components, so nothing outside that folder can be named.

use std::path::{Component, Path, PathBuf};

/// The file for `url_path` with its content type; index.html for a path that names no file
/// with an extension (the app is one page); `None` when a named file is missing.
pub async fn read(root: &Path, url_path: &str) -> Option<(&'static str, Vec<u8>)> {
    let relative = relative_path(url_path)?;
    let file = if relative.as_os_str().is_empty() { PathBuf::from("index.html") } else { relative };
    match tokio::fs::read(root.join(&file)).await {
        Ok(body) => Some((content_type(&file), body)),
        Err(_) if file.extension().is_none() => {
            let body = tokio::fs::read(root.join("index.html")).await.ok()?;
            Some(("text/html; charset=utf-8", body))
        }
        Err(_) => None,
    }
}

/// The path below the root, or `None` if any part of it is not a plain name.
fn relative_path(url_path: &str) -> Option<PathBuf> {
    let path = Path::new(url_path.trim_start_matches('/'));
    if url_path.contains('\\') || url_path.contains('\0') {
        return None;
    }
    path.components()
        .map(|c| match c {
            Component::Normal(part) => Some(part),
            _ => None,
        })
        .collect()
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("json") => "application/json",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_names_below_the_root() {
        assert_eq!(relative_path("/assets/app.js"), Some(PathBuf::from("assets/app.js")));
        assert_eq!(relative_path("/"), Some(PathBuf::new()));
        for hostile in
            ["/../secret", "/assets/../../etc/passwd", "/a\\..\\b", "//etc/passwd", "/a/./b"]
        {
            let got = relative_path(hostile);
            assert!(
                got.as_ref().is_none_or(|p| !p.starts_with("..") && p.is_relative()),
                "{hostile} gave {got:?}"
            );
        }
        assert_eq!(relative_path("/../secret"), None);
    }
}
