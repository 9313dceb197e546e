//! Markdown to safe HTML and to plain text.
//!
//! Sanitising rules (docs/card-format.md):
//! - raw HTML (blocks and inline tags, comments included) is shown as text, never passed on;
//! - a link whose destination is not `http:`, `https:`, `mailto:`, `tel:`, relative or an
//!   anchor loses its link: its text stays, the `<a>` goes;
//! - images are never embedded: an image becomes its alt text (no `<img>` at all), so a card
//!   cannot load remote content or track readers.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};

/// Markdown extensions cards may use.
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Renders Markdown to HTML that is safe to embed in a page.
pub fn render_markdown(markdown: &str) -> String {
    let mut out = String::new();
    html::push_html(&mut out, sanitise(Parser::new_ext(markdown, options())));
    out
}

/// Plain text of Markdown for search and snippets: whitespace collapsed to single spaces.
pub fn plain_text(markdown: &str) -> String {
    let mut raw = String::new();
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                raw.push_str(&t);
            }
            Event::InlineMath(t) | Event::DisplayMath(t) => raw.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::Rule => raw.push(' '),
            Event::Start(tag) if is_inline(tag.to_end()) => {}
            Event::End(tag) if is_inline(tag) => {}
            Event::Start(_) | Event::End(_) => raw.push(' '),
            Event::FootnoteReference(_) | Event::TaskListMarker(_) => {}
        }
    }
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_inline(tag: TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

/// Whether a link destination may become an `href`: http(s), mailto, tel, or no scheme at
/// all (relative paths, anchors, `//host`). Checked case-insensitively after removing ASCII
/// control characters and whitespace anywhere, as browsers ignore them in schemes.
pub fn is_safe_url(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_ascii_control() && !c.is_ascii_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    let scheme_end = cleaned.find([':', '/', '?', '#']);
    match scheme_end {
        Some(i) if cleaned[i..].starts_with(':') => {
            matches!(&cleaned[..i], "http" | "https" | "mailto" | "tel")
        }
        _ => true,
    }
}

/// Filters an event stream: raw HTML becomes text, unsafe links and all images are unwrapped.
fn sanitise<'a>(events: impl Iterator<Item = Event<'a>>) -> impl Iterator<Item = Event<'a>> {
    // For each open link: whether it was kept.
    let mut links: Vec<bool> = Vec::new();
    events.filter_map(move |event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        // An HTML block's text is shown as a paragraph.
        Event::Start(Tag::HtmlBlock) => Some(Event::Start(Tag::Paragraph)),
        Event::End(TagEnd::HtmlBlock) => Some(Event::End(TagEnd::Paragraph)),
        Event::Start(Tag::Link { ref dest_url, .. }) => {
            let keep = is_safe_url(dest_url);
            links.push(keep);
            keep.then_some(event)
        }
        Event::End(TagEnd::Link) => links.pop().unwrap_or(false).then_some(event),
        Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => None,
        other => Some(other),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_shown_as_text() {
        let html =
            render_markdown("<script>alert(1)</script>\n\nText <img src=x onerror=alert(1)> end");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(
            html.contains("&lt;img src=x onerror=alert(1)&gt;"),
            "{html}"
        );
    }

    #[test]
    fn unsafe_links_keep_their_text_only() {
        for md in [
            "[click](javascript:alert(1))",
            "[click](JaVaScRiPt:alert(1))",
            "[click](< javascript:alert(1)>)",
            "[click](<java\tscript:alert(1)>)",
            "[click](&#106;avascript:alert(1))",
            "[click](data:text/html;base64,PHNjcmlwdD4=)",
            "[click](vbscript:msgbox)",
            "[click][r]\n\n[r]: javascript:alert(1)",
        ] {
            let html = render_markdown(md);
            assert_eq!(html, "<p>click</p>\n", "{md}");
        }
        let html = render_markdown("<javascript:alert(1)>");
        assert!(!html.contains("href"), "{html}");
    }

    #[test]
    fn safe_links_are_kept() {
        for (md, href) in [
            (
                "[a](https://example.com/x?y=1)",
                "https://example.com/x?y=1",
            ),
            ("[a](HTTP://example.com)", "HTTP://example.com"),
            ("[a](mailto:hr@example.com)", "mailto:hr@example.com"),
            ("[a](tel:+70000000000)", "tel:+70000000000"),
            ("[a](../coffee/espresso.md)", "../coffee/espresso.md"),
            ("[a](#steps)", "#steps"),
            ("[a](/cards/x?a=b:c)", "/cards/x?a=b:c"),
        ] {
            let html = render_markdown(md);
            assert!(html.contains(&format!("href=\"{href}\"")), "{md} → {html}");
        }
    }

    #[test]
    fn images_become_alt_text() {
        let html = render_markdown("![чашка *латте*](https://example.com/a.png)");
        assert_eq!(html, "<p>чашка <em>латте</em></p>\n");
        let html = render_markdown("[![x](https://e.com/a.png)](javascript:alert(1))");
        assert_eq!(html, "<p>x</p>\n");
    }

    #[test]
    fn tables_and_strikethrough_are_enabled() {
        let html = render_markdown("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~нет~~");
        assert!(
            html.contains("<table>") && html.contains("<del>нет</del>"),
            "{html}"
        );
    }

    #[test]
    fn plain_text_collapses_whitespace() {
        let text = plain_text("Скажите **«спасибо»**,\nулыбнитесь.\n\n- раз\n- `два`");
        assert_eq!(text, "Скажите «спасибо», улыбнитесь. раз два");
    }
}
