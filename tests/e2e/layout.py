"""Layout checks every journey runs on every page it visits (through ``support.checked``).

At a phone's width (360×740) and a desktop's (1280×800) a page must not scroll sideways, must not
squeeze a text into a column narrower than two letters, must keep the site header to at most a
quarter of a phone's screen, and must show its primary action (``[data-primary-action]``) on the
first screen. The page's own viewport is restored afterwards, so a journey goes on as it was.
"""
from __future__ import annotations

import pytest

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
WIDTHS = (PHONE, DESKTOP)
HEADER_SHARE = 0.25
MIN_TEXT_CHARACTERS = 4
MIN_WIDTH_EM = 2

# Elements whose own text (not their children's) has at least 4 characters and whose content box is
# narrower than 2 em of their font size while the text breaks over lines or spills out: a column
# squeezed so far that a word stands a few letters a line.
_SQUEEZED = """(limits) => {
  const found = [];
  for (const el of document.querySelectorAll('body *')) {
    if (['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'OPTION'].includes(el.tagName)) continue;
    let own = '';
    for (const node of el.childNodes) if (node.nodeType === Node.TEXT_NODE) own += node.textContent;
    own = own.replace(/\\s+/g, ' ').trim();
    if (own.length < limits.characters) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none' || style.display === 'contents') continue;
    if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 && rect.height === 0) continue;
    // visually hidden helper text (1px clip) is meant to be invisible
    if (rect.width <= 1 && rect.height <= 1) continue;
    if (style.clip === 'rect(0px, 0px, 0px, 0px)' || style.clipPath === 'inset(50%)') continue;
    const content = rect.width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)
      - parseFloat(style.borderLeftWidth) - parseFloat(style.borderRightWidth);
    const fontSize = parseFloat(style.fontSize);
    if (content >= limits.em * fontSize) continue;
    // A short word may be narrower than 2 em on its own: only a text that is squeezed, broken over
    // several lines or spilling out of its box, counts.
    const lines = new Set();
    let right = -Infinity;
    for (const node of el.childNodes) {
      if (node.nodeType !== Node.TEXT_NODE || !node.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const box of range.getClientRects()) {
        if (box.width === 0) continue;
        lines.add(Math.round(box.top));
        right = Math.max(right, box.right);
      }
    }
    const spills = right > rect.right - parseFloat(style.paddingRight) - parseFloat(style.borderRightWidth) + 1;
    if (lines.size > 1 || spills) {
      found.push({ tag: el.tagName.toLowerCase(), cls: typeof el.className === 'string' ? el.className : '',
                   text: own.slice(0, 40), width: Math.round(content * 10) / 10, font: fontSize });
    }
    if (found.length >= 10) break;
  }
  return found;
}"""

_HEADER_HEIGHT = """() => {
  const header = document.querySelector('body > header, .site-header');
  return header ? header.getBoundingClientRect().height : 0;
}"""

_PRIMARY_ACTION = """() => {
  const el = document.querySelector('[data-primary-action]');
  if (!el) return null;
  const rect = el.getBoundingClientRect();
  return { top: rect.top + window.scrollY, height: rect.height, visible: el.checkVisibility(),
           text: (el.innerText || el.value || '').trim().slice(0, 40) };
}"""


def squeezed_elements(page):
    """The visible elements whose own text is squeezed narrower than 2 em (tag, class, text, width)."""
    return page.evaluate(_SQUEEZED, {"characters": MIN_TEXT_CHARACTERS, "em": MIN_WIDTH_EM})


def layout_problems(page, viewport):
    """What is wrong with the page's layout at ``viewport`` (already applied), as sentences."""
    from .support import horizontal_scroll_problem

    width, height = viewport["width"], viewport["height"]
    problems = []
    scrolled = horizontal_scroll_problem(page, width)
    if scrolled:
        problems.append(scrolled)
    squeezed = squeezed_elements(page)
    if squeezed:
        listed = "; ".join(
            f"<{item['tag']} class=\"{item['cls']}\"> \"{item['text']}\" is {item['width']}px wide "
            f"(under {MIN_WIDTH_EM} em of {item['font']}px)" for item in squeezed)
        problems.append(f"text squeezed into a too narrow column at {width}px: {listed}")
    if width == PHONE["width"]:
        header = page.evaluate(_HEADER_HEIGHT)
        if header > HEADER_SHARE * height:
            problems.append(f"the site header is {header:.0f}px high at {width}px, more than "
                            f"{HEADER_SHARE:.0%} of a {height}px screen")
    action = page.evaluate(_PRIMARY_ACTION)
    if action is not None:
        if not action["visible"]:
            problems.append(f"the primary action \"{action['text']}\" is not visible at {width}px")
        elif action["top"] >= height:
            problems.append(f"the primary action \"{action['text']}\" starts {action['top']:.0f}px down at "
                            f"{width}px, below the first screen ({height}px)")
    return problems


def check_layout(page):
    """Check the page at a phone's and a desktop's size, then give it back its own size; fail on problems."""
    original = page.viewport_size
    scroll = page.evaluate("[window.scrollX, window.scrollY]")
    problems = []
    try:
        for viewport in WIDTHS:
            page.set_viewport_size(viewport)
            page.evaluate("window.scrollTo(0, 0)")
            # let the layout settle at the new size before measuring
            page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
            problems.extend(layout_problems(page, viewport))
    finally:
        if original is not None:
            page.set_viewport_size(original)
        page.evaluate("([x, y]) => window.scrollTo(x, y)", scroll)
    if problems:
        pytest.fail(f"Layout problems on {page.url}:\n  " + "\n  ".join(problems), pytrace=False)
