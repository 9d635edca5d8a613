"""Lays an HTML download out as a PDF with WeasyPrint, in a process of its own.

Run as a script (by its path, so no Django and no quire package is loaded):
`python pdf_layout.py BASE_URL < document.html > book.pdf`. quire.downloads.formats.pdf runs it
with a time limit: a work WeasyPrint cannot lay out (a RecursionError on deep nesting, or
minutes of work) costs one bounded attempt and never the web worker itself.
"""

import sys

BOOK_CSS = """
@page {
  size: A5;
  margin: 18mm 16mm 20mm 16mm;
  @bottom-center { content: counter(page); font-size: 9pt; color: #555; }
}
@page :first { @bottom-center { content: none; } }
html { font-family: "DejaVu Serif", serif; font-size: 10.5pt; line-height: 1.45; }
h1, h2, h3, h4, h5, h6 { bookmark-level: none; }
h1 { text-align: center; font-size: 18pt; margin: 0.6em 0 0.2em; }
h2.toc-heading, #chapters h2.heading { bookmark-level: 1; page-break-before: always;
  text-align: center; font-size: 14pt; margin: 0 0 1em; }
#preface h2.toc-heading { page-break-before: avoid; }
.userstuff h1, .userstuff h2, .userstuff h3 { text-align: left; font-size: 12pt; }
p.message, div.byline { text-align: center; }
div.meta > p, #chapters div.meta > p { font-weight: bold; margin: 0.8em 0 0.2em; }
dl.tags { font-size: 9pt; }
dl.tags dt { font-weight: bold; float: left; clear: left; margin-right: 0.4em; }
dl.tags dd { margin: 0 0 0.3em 0; }
blockquote { margin: 0.4em 1.2em; }
div.userstuff p { margin: 0 0 0.6em; text-align: justify; hyphens: auto; orphans: 2; widows: 2; }
img { max-width: 100%; }
table { border-collapse: collapse; }
td, th { border: 0.5pt solid #999; padding: 2pt 4pt; }
pre { white-space: pre-wrap; }
"""


def _no_fetching(url: str, *args, **kwargs):
    raise ValueError(f"not fetched while building a download: {url}")


def _fetcher():
    """A download is built without the network: images from the web are left out (their
    alternative text shows), and no user-given URL is ever requested by the server."""
    try:
        from weasyprint.urls import URLFetcher  # WeasyPrint >= 68
    except ImportError:  # older versions take a plain function
        return _no_fetching
    return URLFetcher(allowed_protocols=())


def lay_out(document: str, base_url: str) -> bytes:
    from weasyprint import CSS, HTML

    return HTML(string=document, url_fetcher=_fetcher(), base_url=base_url).write_pdf(
        stylesheets=[CSS(string=BOOK_CSS)]
    )


if __name__ == "__main__":
    sys.stdout.buffer.write(lay_out(sys.stdin.read(), sys.argv[1]))
