"""sanitize_html and strip_html: AO3's allowlist (AO3.md §5), and that nothing executable gets
through. Outputs are checked by parsing them with lxml, a different parser from nh3's."""

import urllib.parse

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quire.lib.sanitize import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    DROPPED_WITH_CONTENT,
    GLOBAL_ATTRIBUTES,
    URL_RULES,
    sanitize_html,
    strip_html,
)

# --- Checking an output ----------------------------------------------------------------------

# Schemes each URL attribute may carry; "" is a relative URL. Written out again here rather
# than read from URL_RULES, so a loosened rule fails these tests.
EXPECTED_SCHEMES = {
    ("a", "href"): {"", "http", "https", "mailto", "ftp"},
    ("img", "src"): {"http", "https"},
    ("blockquote", "cite"): {"", "http", "https"},
    ("q", "cite"): {"", "http", "https"},
}


def elements(output: str) -> list[lxml.html.HtmlElement]:
    wrapper = lxml.html.fragment_fromstring(output, create_parent="div")
    return [element for element in wrapper.iter() if element is not wrapper]


def allowed_attributes(tag: str, *, allow_class: bool) -> set[str]:
    allowed = set(GLOBAL_ATTRIBUTES) | set(ALLOWED_ATTRIBUTES.get(tag, ()))
    if tag == "a":
        allowed.add("rel")
    if allow_class:
        allowed.add("class")
    return allowed


def assert_safe(output: str, *, allow_class: bool = False) -> None:
    assert "<script" not in output.lower()
    for element in elements(output):
        assert isinstance(element.tag, str), "comment or processing instruction survived"
        assert element.tag in ALLOWED_TAGS, element.tag
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), name
            assert name in allowed_attributes(element.tag, allow_class=allow_class), name
            schemes = EXPECTED_SCHEMES.get((element.tag, name))
            if schemes is not None:
                # urlsplit strips C0 controls and tabs/newlines the way browsers do.
                assert urllib.parse.urlsplit(value).scheme.lower() in schemes, value
        if element.tag == "a":
            assert element.get("rel") == "nofollow"


# --- Known attacks ---------------------------------------------------------------------------

XSS_VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=http://xss.example/xss.js></SCRIPT>",
    "<ScRiPt>alert(1)</sCrIpT>",
    "<scr<script>ipt>alert(1)</script>",
    "<<script>alert(1);//<</script>",
    '<img """><script>alert(1)</script>">',
    "<img src=x onerror=alert(1)>",
    "<ImG SrC=x OnErRoR=alert(1)>",
    "<img src=\"javascript:alert('XSS');\">",
    "<IMG SRC=JaVaScRiPt:alert(1)>",
    "<img src=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)>",
    "<img src=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)>",
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<img src="http://example.com/x.png" srcset="javascript:alert(1)">',
    '<img dynsrc="javascript:alert(1)" lowsrc="javascript:alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<A HREF="JAVASCRIPT:alert(1)">x</A>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="jav\tascript:alert(1)">x</a>',
    '<a href="jav&#x0A;ascript:alert(1)">x</a>',
    '<a href="ja&Tab;vascript:alert(1)">x</a>',
    '<a href=" &#14;  javascript:alert(1)">x</a>',
    '<a href="\x01javascript:alert(1)">x</a>',
    '<a href="&#x6a;avascript:alert(1)">x</a>',
    '<a href="&#106avascript:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="#" onclick="alert(1)">x</a>',
    '<a href="http://example.com" target="_blank" ping="http://evil.example">x</a>',
    '<a xlink:href="javascript:alert(1)">x</a>',
    '<blockquote cite="javascript:alert(1)">q</blockquote>',
    '<q cite="vbscript:x">q</q>',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<svg><foreignObject><img src=x onerror=alert(1)></foreignObject></svg>",
    '<math href="javascript:alert(1)">CLICK</math>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<STYLE>@import 'http://evil.example/x.css';</STYLE>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<div style="width: expression(alert(1))">x</div>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><input type=submit></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    '<input type="image" src="javascript:alert(1)">',
    '<isindex action="javascript:alert(1)" type=submit>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<link rel=stylesheet href="http://evil.example/x.css">',
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    '<table background="javascript:alert(1)"><tr><td background="javascript:x">c</td></tr></table>',
    '<video><source onerror="alert(1)"></video>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<noembed><img src=x onerror=alert(1)></noembed>",
    "<noframes><img src=x onerror=alert(1)></noframes>",
    "<xmp><script>alert(1)</script></xmp>",
    "<plaintext><script>alert(1)</script>",
    "<textarea><script>alert(1)</script></textarea>",
    "<template><script>alert(1)</script></template>",
    "<!--<img src=x onerror=alert(1)>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<p id="x" name="y" data-x="z" tabindex="1">x</p>',
]


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_xss_vector_leaves_nothing_executable(vector):
    assert_safe(sanitize_html(vector))


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_xss_vector_leaves_nothing_executable_with_classes_allowed(vector):
    assert_safe(sanitize_html(vector, allow_class=True), allow_class=True)


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_xss_vector_output_is_stable(vector):
    once = sanitize_html(vector)
    assert sanitize_html(once) == once


@pytest.mark.parametrize("tag", sorted(DROPPED_WITH_CONTENT))
def test_dropped_element_takes_its_content_with_it(tag):
    output = sanitize_html(f"before<{tag}>secret <mi>words</mi></{tag}>")
    assert output == "before"


@pytest.mark.parametrize("tag", ["svg", "math"])
def test_html_inside_svg_or_math_is_parsed_outside_it_as_a_browser_would(tag):
    # The HTML parser ends foreign content at the first HTML element such as <b>; what
    # follows is ordinary (and sanitized) HTML in browsers too.
    assert sanitize_html(f"<{tag}>secret<b>words</b></{tag}>") == "<b>words</b>"


def test_comments_are_stripped():
    assert sanitize_html("a<!-- hidden -->b") == "ab"


def test_tags_in_mixed_case_are_recognised():
    assert sanitize_html("<EM>x</Em><ScRiPt>alert(1)</SCRIPT>") == "<em>x</em>"


def test_unknown_elements_are_unwrapped_keeping_their_text():
    assert sanitize_html("<font color=red>red</font> <marquee>move</marquee>") == "red move"


def test_escaped_markup_stays_escaped():
    assert sanitize_html("&lt;script&gt;alert(1)&lt;/script&gt;") == (
        "&lt;script&gt;alert(1)&lt;/script&gt;"
    )


def test_text_that_looks_like_a_heart_survives():
    assert sanitize_html("I <3 this & that") == "I &lt;3 this &amp; that"


# --- Everything on the allowlist survives ----------------------------------------------------

# Table parts, list items and the like only parse inside their parent.
CONTEXT = {
    "li": "<ul>{}</ul>",
    "dd": "<dl>{}</dl>",
    "dt": "<dl>{}</dl>",
    "caption": "<table>{}<tr><td>c</td></tr></table>",
    "colgroup": "<table>{}<tr><td>c</td></tr></table>",
    "col": "<table><colgroup>{}</colgroup><tr><td>c</td></tr></table>",
    "tbody": "<table>{}</table>",
    "thead": "<table>{}</table>",
    "tfoot": "<table>{}</table>",
    "tr": "<table>{}</table>",
    "td": "<table><tr>{}</tr></table>",
    "th": "<table><tr>{}</tr></table>",
    "rp": "<ruby>漢{}</ruby>",
    "rt": "<ruby>漢{}</ruby>",
    "summary": "<details>{}</details>",
    "figcaption": "<figure>{}</figure>",
}
CONTENT = {
    "tbody": "<tr><td>c</td></tr>",
    "thead": "<tr><td>c</td></tr>",
    "tfoot": "<tr><td>c</td></tr>",
    "tr": "<td>c</td>",
    "table": "<tr><td>c</td></tr>",
    "colgroup": "<col>",
}
VOID = {"br", "col", "hr", "img"}


def sample(tag: str, attributes: str = "") -> str:
    if tag == "img" and "src=" not in attributes:
        attributes += ' src="https://example.com/a.png"'
    markup = f"<{tag}{attributes}>"
    if tag not in VOID:
        markup += f"{CONTENT.get(tag, 'x')}</{tag}>"
    return CONTEXT.get(tag, "{}").format(markup)


@pytest.mark.parametrize("tag", sorted(ALLOWED_TAGS))
def test_allowed_element_survives(tag):
    output = sanitize_html(sample(tag))
    assert tag in {element.tag for element in elements(output)}
    assert_safe(output)


def test_a_document_with_every_allowed_element_keeps_them_all():
    document = "".join(sample(tag) for tag in sorted(ALLOWED_TAGS))
    assert {element.tag for element in elements(sanitize_html(document))} == ALLOWED_TAGS


def attribute_cases() -> list[tuple[str, str]]:
    cases = [(tag, name) for tag, names in ALLOWED_ATTRIBUTES.items() for name in names]
    cases += [(tag, name) for tag in ("p", "span", "td", "img", "h1") for name in GLOBAL_ATTRIBUTES]
    return sorted(cases)


def attribute_value(tag: str, name: str) -> str:
    if (tag, name) in URL_RULES:
        return "https://example.com/x"
    return {"open": "", "dir": "rtl", "lang": "fr", "type": "a", "scope": "col"}.get(name, "2")


@pytest.mark.parametrize(("tag", "name"), attribute_cases())
def test_allowed_attribute_survives(tag, name):
    value = attribute_value(tag, name)
    output = sanitize_html(sample(tag, f' {name}="{value}"'))
    [element] = [element for element in elements(output) if element.tag == tag]
    assert element.get(name) == value


@pytest.mark.parametrize(
    "name", ["id", "style", "class", "onclick", "target", "srcset", "data-x", "tabindex", "rel"]
)
def test_other_attributes_are_dropped(name):
    output = sanitize_html(f'<p {name}="x">t</p><img src="https://example.com/i.png" {name}="x">')
    assert f"{name}=" not in output


# --- Links, URLs and classes -----------------------------------------------------------------


def test_links_get_rel_nofollow():
    assert sanitize_html('<a href="https://example.com/">x</a>') == (
        '<a href="https://example.com/" rel="nofollow">x</a>'
    )


def test_a_writers_own_rel_is_replaced_by_nofollow():
    output = sanitize_html('<a href="/works/1" rel="opener">x</a>')
    assert output == '<a href="/works/1" rel="nofollow">x</a>'


def test_named_anchor_without_href_is_kept():
    assert sanitize_html('<a name="top">x</a>') == '<a name="top" rel="nofollow">x</a>'


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/",
        "https://example.com/a?b=c#d",
        "HTTPS://EXAMPLE.COM/",
        "mailto:writer@example.com",
        "ftp://example.com/file.txt",
        "/works/1/chapters/2",
        "chapter2.html",
        "#footnote1",
        "?page=2",
        "//example.com/protocol-relative",
    ],
)
def test_link_keeps_allowed_url(url):
    assert f'href="{url}"' in sanitize_html(f'<a href="{url}">x</a>')


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "vbscript:x",
        "data:text/html,x",
        "file:///etc/passwd",
        "jav\tascript:alert(1)",
        "tel:123",
        "localhost:8000/x",
    ],
)
def test_link_drops_other_url(url):
    assert "href" not in sanitize_html(f'<a href="{url}">x</a>')


@pytest.mark.parametrize("url", ["http://example.com/a.png", "https://example.com/a.png"])
def test_image_keeps_http_and_https(url):
    assert sanitize_html(f'<img src="{url}">') == f'<img src="{url}">'


@pytest.mark.parametrize(
    "url",
    [
        "/static/a.png",
        "a.png",
        "//example.com/a.png",
        "ftp://example.com/a.png",
        "mailto:a@example.com",
        "data:image/png;base64,iVBORw0KGgo=",
        "javascript:alert(1)",
    ],
)
def test_image_drops_every_other_source(url):
    assert sanitize_html(f'<img src="{url}" alt="a">') == '<img alt="a">'


@pytest.mark.parametrize("tag", ["blockquote", "q"])
@pytest.mark.parametrize("url", ["https://example.com/source", "/works/1", "#note"])
def test_cite_keeps_http_https_and_relative(tag, url):
    assert f'cite="{url}"' in sanitize_html(f'<{tag} cite="{url}">x</{tag}>')


@pytest.mark.parametrize("tag", ["blockquote", "q"])
@pytest.mark.parametrize("url", ["javascript:alert(1)", "mailto:a@example.com", "data:,x"])
def test_cite_drops_other_url(tag, url):
    assert "cite" not in sanitize_html(f'<{tag} cite="{url}">x</{tag}>')


def test_class_is_dropped_by_default():
    assert sanitize_html('<p class="note">x</p>') == "<p>x</p>"


def test_class_is_kept_when_allowed():
    assert sanitize_html('<p class="note">x</p>', allow_class=True) == '<p class="note">x</p>'


def test_class_is_allowed_on_any_element():
    output = sanitize_html('<span class="a1 b-2 c_3">x</span>', allow_class=True)
    assert output == '<span class="a1 b-2 c_3">x</span>'


def test_class_keeps_only_well_formed_names():
    output = sanitize_html('<p class="ok x 9lives bad!name fine-name">x</p>', allow_class=True)
    assert output == '<p class="ok fine-name">x</p>'


def test_class_with_no_well_formed_name_is_removed():
    assert sanitize_html('<p class="!! 1">x</p>', allow_class=True) == "<p>x</p>"


# --- Text hygiene and stability --------------------------------------------------------------


def test_control_characters_are_removed():
    assert sanitize_html("a\x00b\x01c\x0bd\x1fe\tf\ng") == "abcde\tf\ng"


def test_lone_surrogates_do_not_raise():
    assert sanitize_html("a\ud800b") == "ab"


def test_pre_keeps_a_leading_blank_line_on_every_save():
    once = sanitize_html("<pre>\n\ncode</pre>")
    assert once == "<pre>\n\ncode</pre>"
    assert sanitize_html(once) == once


def test_unwrapped_element_that_splits_a_paragraph_is_stable():
    # <object> lets a <p> nest in a <p>; once it is unwrapped the next parse splits them.
    once = sanitize_html("<p>a<object><p>b</p></object>c</p>")
    assert sanitize_html(once) == once


def test_empty_input_gives_empty_output():
    assert sanitize_html("") == ""


# --- strip_html ------------------------------------------------------------------------------


def test_strip_html_removes_tags_and_decodes_entities():
    assert strip_html("<b>Tom</b> &amp; <i>Jerry</i>") == "Tom & Jerry"


def test_strip_html_collapses_and_trims_whitespace():
    assert strip_html("  A\n\n title\t with\xa0 gaps  ") == "A title with gaps"


def test_strip_html_drops_script_content():
    assert strip_html("<script>alert(1)</script>Title<style>p{}</style>") == "Title"


def test_strip_html_keeps_a_heart_and_comparisons_as_text():
    assert strip_html("I <3 you & 1 < 2") == "I <3 you & 1 < 2"


def test_strip_html_returns_plain_text_not_html():
    assert strip_html("&lt;b&gt;") == "<b>"


def test_strip_html_of_only_markup_is_empty():
    assert strip_html("<p> <br> </p>") == ""


# --- Properties ------------------------------------------------------------------------------

TAG_NAMES = sorted(
    ALLOWED_TAGS
    | DROPPED_WITH_CONTENT
    | {"object", "embed", "form", "input", "button", "meta", "base", "link", "body", "html"}
    | {"marquee", "textarea", "select", "option", "template", "applet", "video", "source"}
    | {"foreignObject", "desc", "title", "mglyph", "mtext", "annotation-xml", "frameset"}
)
ATTRIBUTE_NAMES = [
    "href", "src", "cite", "onclick", "onerror", "onload", "style", "class", "title", "id",
    "xlink:href", "formaction", "action", "srcdoc", "data", "background", "align", "name",
    "rel", "target", "width", "span", "open", "srcset", "encoding",
]  # fmt: skip
ATTRIBUTE_VALUES = [
    "javascript:alert(1)", "jav&#x09;ascript:alert(1)", "JaVaScRiPt:alert(1)",
    " \x01javascript:alert(1)", "vbscript:x", "data:text/html,<script>alert(1)</script>",
    "http://example.com/", "https://example.com/a.png", "mailto:a@example.com",
    "ftp://example.com/", "/rel", "//example.com/x", "#top", "alert(1)",
    'x" onmouseover="alert(1)', "<script>", "ok-class bad!class", "", "text/html",
]  # fmt: skip
SNIPPETS = [
    "<!--", "-->", "<![CDATA[", "]]>", "&amp;", "&lt;", "&#x6a;", "&", "\n\n", "<br>", "<p>",
    "</p>", "<", ">", '"', "'", "=", "/",
]  # fmt: skip


def start_tag(name: str, attributes: list[tuple[str, str]]) -> str:
    rendered = "".join(f' {key}="{value}"' for key, value in attributes)
    return f"<{name}{rendered}>"


tag_soup = st.lists(
    st.one_of(
        st.builds(
            start_tag,
            st.sampled_from(TAG_NAMES),
            st.lists(
                st.tuples(st.sampled_from(ATTRIBUTE_NAMES), st.sampled_from(ATTRIBUTE_VALUES)),
                max_size=3,
            ),
        ),
        st.sampled_from(TAG_NAMES).map(lambda name: f"</{name}>"),
        st.text(alphabet="ab \n\xa0é日", max_size=6),
        st.sampled_from(SNIPPETS),
    ),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(tag_soup, st.booleans())
def test_sanitize_html_never_emits_anything_disallowed(html, allow_class):
    assert_safe(sanitize_html(html, allow_class=allow_class), allow_class=allow_class)


@settings(max_examples=300, deadline=None)
@given(tag_soup, st.booleans())
def test_sanitize_html_is_idempotent(html, allow_class):
    once = sanitize_html(html, allow_class=allow_class)
    assert sanitize_html(once, allow_class=allow_class) == once
