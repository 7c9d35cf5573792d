"""Formulas as readable text, for places that show no rendered math: search results, link previews, CSV and JSON.

Not a hook. hooks/render_math.py registers the MathML of every formula it renders (MathJax's assistive MathML, the
same a screen reader reads); `text_of` linearises it, so `\\big(` is a parenthesis, `\\binom{K}{2}` is
"(K choose 2)", `\\pi_{\\text{ref}}` is "π_ref" and `\\Delta W = BA = 0` is "ΔW = BA = 0". One linearisation for every
place that needs one.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from mkdocs.exceptions import PluginError

_MATHML: dict[str, str] = {}  # TeX source, whitespace collapsed -> its <math> element, for this build
_TEXT: dict[str, str] = {}

ASSISTIVE_MATHML = re.compile(r"<math\b.*?</math>", re.S)
NAMESPACE = re.compile(r"^\{[^}]*\}")
INVISIBLE = dict.fromkeys(map(ord, "\u2061\u2062\u2063\u2064\u200b"))
SPACED = set("=≈≤≥≠<>→←↦⇒⇔∝∼~≪≫∈∉⊂⊆≡≻≺≽≼+−±×·⋅∓∣∥") | {":="}
SCRIPTS = {"msub", "msup", "msubsup", "munder", "mover", "munderover"}
SIMPLE_SCRIPT = re.compile(r"^(?:[^\W_]|[.′∗⊤†])+$")
BIG_OPERATORS = set("∑∏∫∮⋃⋂")
ACCENTS = {"^": "\u0302", "ˆ": "\u0302", "~": "\u0303", "˜": "\u0303", "¯": "\u0304", "‾": "\u0304",
           "˙": "\u0307", "¨": "\u0308", "→": "\u20d7", "⃗": "\u20d7"}


def register(tex: str, rendered_html: str) -> None:
    """Remember a rendered formula's MathML (called by the math hook for every formula on every page)."""
    found = ASSISTIVE_MATHML.search(rendered_html)
    if found:
        _MATHML[_key(tex)] = found.group()


def text_of(tex: str) -> str:
    """The readable text of a formula rendered in this build."""
    tex = _key(tex)
    if tex not in _TEXT:
        if tex not in _MATHML:
            raise PluginError(f"formula_text: no rendered formula for {tex!r} (was it on a page?)")
        _TEXT[tex] = linearise(_MATHML[tex])
    return _TEXT[tex]


def _key(tex: str) -> str:
    """The search index collapses the whitespace of the TeX it keeps; so does the lookup."""
    return " ".join(tex.split())


def linearise(mathml: str) -> str:
    text = _node(ET.fromstring(mathml))
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([,;)\]}])", r"\1", text)
    text = re.sub(r"([(\[{])\s+", r"\1", text)
    return text.strip()


def _atomic(text: str) -> bool:
    """No space or slash outside brackets: "π_ref", "f(x, y)", "(a + b)" read as one unit."""
    depth = 0
    for ch in text:
        depth += (ch in "([{") - (ch in ")]}")
        if depth == 0 and (ch.isspace() or ch == "/"):
            return False
    return True


def _bracketed(text: str) -> bool:
    """One bracketed group: "(a + b)", not "(a) + (b)"."""
    if text[:1] not in "([{" or text[-1:] not in ")]}":
        return False
    depth = 0
    for i, ch in enumerate(text):
        depth += (ch in "([{") - (ch in ")]}")
        if depth == 0 and i < len(text) - 1:
            return False
    return True


def _wrap(text: str) -> str:
    text = text.strip()
    return text if _atomic(text) or _bracketed(text) else f"({text})"


def _row(node) -> str:
    """Children side by side; an operator that opens a row is a prefix ("−x", "<t"); a function name ("log",
    "exp") is set off by spaces except before its bracket; a script is set off from a letter after it."""
    parts = [_node(child) for child in node]
    tags = [NAMESPACE.sub("", child.tag) for child in node]
    if parts and parts[0].startswith(" ") and tags[0] == "mo":
        parts[0] = parts[0].strip()
    for i, tag in enumerate(tags):
        following = next((p.lstrip() for p in parts[i + 1 :] if p.strip()), "")
        if tag == "mi" and len(parts[i]) > 1 and parts[i].isalpha():
            parts[i] = f" {parts[i]}" + (" " if following and not following.startswith(("(", "[")) else "")
        elif tag in SCRIPTS and following[:1].isalnum():
            parts[i] += " "
    return "".join(parts)


def _node(node) -> str:
    tag = NAMESPACE.sub("", node.tag)
    text = (node.text or "").translate(INVISIBLE)
    if tag in ("mi", "mn", "mtext", "ms"):
        return text
    if tag == "mo":
        symbol = text.strip()
        if symbol in SPACED:
            return f" {symbol} "
        return f"{symbol} " if symbol in (",", ";") else symbol
    if tag == "mspace":
        return "" if node.get("width", "").startswith("-") else " "
    if tag in ("mphantom", "annotation", "annotation-xml"):
        return ""
    parts = [_node(child) for child in node]
    if tag in ("msub", "munder") and len(parts) == 2:
        return _script(node, parts[0], sub=parts[1])
    if tag in ("msup", "mover") and len(parts) == 2:
        return _script(node, parts[0], sup=parts[1])
    if tag in ("msubsup", "munderover") and len(parts) == 3:
        return _script(node, parts[0], sub=parts[1], sup=parts[2])
    if tag == "mfrac" and len(parts) == 2:
        if node.get("linethickness") in ("0", "0pt", "0em"):
            return f"{parts[0].strip()} choose {parts[1].strip()}"
        return f" {_wrap(parts[0])}/{_wrap(parts[1])} "
    if tag == "msqrt":
        return "√" + _wrap("".join(parts))
    if tag == "mroot" and len(parts) == 2:
        return f"{_wrap(parts[1])}√{_wrap(parts[0])}"
    if tag == "mtable":
        return "; ".join(parts)
    if tag in ("mtr", "mlabeledtr"):
        return " ".join(p.strip() for p in parts)
    if tag == "semantics":
        return parts[0] if parts else ""
    return _row(node)  # math, mrow, mstyle, mpadded, menclose, mtd, ...


def _script(node, base: str, sub: str | None = None, sup: str | None = None) -> str:
    tag = NAMESPACE.sub("", node.tag)
    if tag == "mover" and sup is not None and sup.strip() in ACCENTS and len(base.strip()) == 1:
        return base.strip() + ACCENTS[sup.strip()]
    if tag == "munder" and sub is not None and sub.strip() in ("_", "‾", "¯"):
        return base  # an underline
    out = base.strip()
    for mark, script in (("_", sub), ("^", sup)):
        if script is not None and script.strip():
            script = script.strip()
            out += mark + (script if SIMPLE_SCRIPT.match(script) or _bracketed(script) else f"({script})")
    return out + " " if base.strip() in BIG_OPERATORS else out
