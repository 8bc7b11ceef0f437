"""Posts' small safe markup: Markdown rendered by markdown-it, then cleaned
through nh3's allow-list.

Raw HTML in the Markdown is not passed through (markdown-it escapes it), and
whatever Markdown can still produce goes through the allow-list: no script,
no event attributes, no images or SVG in the body (photos are uploaded and
re-encoded separately), links only to http(s) and mailto.
"""

import functools
import unicodedata
from html import unescape

import nh3

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "a", "h2", "h3", "h4",
    "blockquote", "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto"}


@functools.cache
def _markdown():
    # markdown-it costs 0.03 s at start-up; only saving a post renders Markdown.
    from markdown_it import MarkdownIt

    markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    markdown.enable("table")
    return markdown


def render(text):
    """Sanitised HTML for Markdown `text`."""
    html = _markdown().render(text or "")
    # Headings in a post start at h2: the page's h1 is the post's title.
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return clean(html)


def clean(html):
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def plain_text(html):
    """The text of sanitised HTML, tags removed (for search and summaries)."""
    text = unescape(nh3.clean(html, tags=set()))
    return " ".join(text.split())


def search_text(*parts):
    """The normalised text the search compares with: NFKC (full-width
    digits and letters fold to half-width) and lower case."""
    return unicodedata.normalize("NFKC", " ".join(parts)).lower()


def summary(html, length=120):
    text = plain_text(html)
    return text if len(text) <= length else text[: length - 1] + "…"
