"""Reads every PDF of a built toolkit with PyMuPDF and checks the typography a reader sees.

Usage: python3 tests/pdf_layout.py OUTPUT_DIR

Prints one line per problem and exits 1 when there are any (3 when PyMuPDF is missing). Called
by tests/suite/print.rs (`print_typography_holds_in_every_language`), which builds the toolkit first.

Each check reads what was drawn, not how the templates mean to draw it:
- posters: the QR code (the one black path of many rectangles) is at least 35 mm wide on A4,
  inside a white quiet zone of at least four modules;
- every bullet (a small filled circle) sits level with a line of its item's text, in the middle
  of that line, not between two lines;
- Chinese: no line holds a single character alone;
- A5 leaflets: body text is at least 12 pt; the last page is not left almost empty; each page's
  footer reads "n / N" in order;
- wallet cards: the QR code is on the side the text ends (right in left-to-right languages,
  left in right-to-left ones);
- Arabic-script posters: the small print is 1.15 times the size of English's.
"""

import collections
import os
import re
import sys

try:
    import pymupdf
except ImportError:
    try:
        import fitz as pymupdf  # older PyMuPDF
    except ImportError:
        print("PyMuPDF is not installed (pip install pymupdf)")
        sys.exit(3)

MM = 72 / 25.4
RTL = {"ar", "fa", "fa-af", "ps", "ur", "ckb"}
SCALED = {"ar", "fa", "fa-af", "ps", "ckb"}
BRAND = (0.043, 0.239, 0.361)
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
PUNCT = re.compile(r"[\s\u3000-\u303f\uff00-\uffef。，、；：！？「」『』（）.,;:!?()]")

problems = []


def problem(path, message):
    problems.append(f"{path}: {message}")


def lines_of(page):
    out = []
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            text = "".join(span["text"] for span in line["spans"])
            if text.strip():
                out.append((pymupdf.Rect(line["bbox"]), text, line["spans"]))
    return out


def is_brand(colour):
    return colour is not None and all(abs(a - b) < 0.01 for a, b in zip(colour, BRAND))


def qr_codes(page):
    """The QR codes: black paths of many rectangles (one per run of modules)."""
    codes = []
    for d in page.get_drawings():
        fill = d.get("fill")
        if fill and max(fill) < 0.01 and len(d["items"]) > 100:
            rects = [item[1] for item in d["items"] if item[0] == "re"]
            module = min((min(r.width, r.height) for r in rects), default=0)
            codes.append((d["rect"], module))
    return codes


def white_rects(page):
    return [
        d["rect"]
        for d in page.get_drawings()
        if d.get("fill") and min(d["fill"]) > 0.99 and len(d["items"]) == 1
    ]


def bullets(page):
    out = []
    for d in page.get_drawings():
        r = d["rect"]
        if (
            is_brand(d.get("fill"))
            and len(d["items"]) == 4
            and all(item[0] == "c" for item in d["items"])
            and r.width < 15
            and abs(r.width - r.height) < 0.5
        ):
            out.append(r)
    return out


def check_qr(path, page):
    for code, module in qr_codes(page):
        if code.width < 35 * MM - 0.01:
            problem(path, f"QR code {code.width / MM:.1f} mm wide (at least 35 mm)")
        zone = 4 * module - 0.01
        around = [
            w
            for w in white_rects(page)
            if w.x0 <= code.x0 - zone
            and w.y0 <= code.y0 - zone
            and w.x1 >= code.x1 + zone
            and w.y1 >= code.y1 + zone
        ]
        if not around:
            problem(path, "QR code without a white quiet zone of four modules")


def check_bullets(path, page, lines, rtl):
    for b in bullets(page):
        cy = (b.y0 + b.y1) / 2
        level = False
        for rect, _text, _spans in lines:
            beside = (
                (rect.x1 <= b.x0 + 1 and b.x0 - rect.x1 < 40)
                if rtl
                else (rect.x0 >= b.x1 - 1 and rect.x0 - b.x1 < 40)
            )
            h = rect.height
            if beside and rect.y0 + 0.2 * h <= cy <= rect.y1 - 0.2 * h:
                level = True
                break
        if not level:
            problem(
                path,
                f"page {page.number + 1}: a bullet {b.y0:.0f} pt from the top is not level with a line of its text",
            )


def check_cjk(path, page, lines):
    for _rect, text, _spans in lines:
        letters = PUNCT.sub("", text)
        if len(letters) == 1 and HAN.match(letters):
            problem(path, f"page {page.number + 1}: the character {letters} alone on a line")


def body_size(doc):
    sizes = collections.Counter()
    for page in doc:
        for _rect, _text, spans in lines_of(page):
            for span in spans:
                sizes[round(span["size"], 1)] += len(span["text"].strip())
    return sizes.most_common(1)[0][0] if sizes else 0


def check_leaflet(path, doc):
    pages = len(doc)
    if "-a5." in path and body_size(doc) < 11.95:
        problem(path, f"body text {body_size(doc)} pt (at least 12 pt on A5)")
    for page in doc:
        numbers = [t.strip() for _r, t, _s in lines_of(page) if re.fullmatch(r"\s*\d+ / \d+\s*", t)]
        if numbers != [f"{page.number + 1} / {pages}"]:
            problem(path, f"page {page.number + 1} footer reads {numbers} (expected {page.number + 1} / {pages})")
    if pages > 1:
        last = doc[pages - 1]
        height = last.rect.height
        body = [r for r, t, _s in lines_of(last) if r.y1 < height * 0.92]
        lowest = max((r.y1 for r in body), default=0)
        if lowest < height * 0.4:
            problem(path, f"the last page is {100 - lowest / height * 100:.0f} % empty")


def check_card(path, page, lines, rtl):
    card_w = 85.6 * MM
    left = (page.rect.width - 2 * card_w) / 2
    for code, _module in qr_codes(page):
        column = int(((code.x0 + code.x1) / 2 - left) // card_w)
        x0, x1 = left + column * card_w, left + (column + 1) * card_w
        beside = [
            r
            for r, _t, _s in lines
            if code.y0 <= (r.y0 + r.y1) / 2 <= code.y1 and r.x0 >= x0 and r.x1 <= x1
        ]
        on_its_side = [r for r in beside if (r.x0 >= code.x1 - 1 if rtl else r.x1 <= code.x0 + 1)]
        if not beside or len(on_its_side) < len(beside):
            where = "left" if rtl else "right"
            problem(path, f"a card's QR code is not on the {where} of its text")
            return


def small_print_size(doc):
    page = doc[0]
    bottom = [s["size"] for r, _t, spans in lines_of(page) if r.y0 > page.rect.height * 0.85 for s in spans]
    return min(bottom) if bottom else None


def main(root):
    english = {}
    scaled = []
    for folder, _dirs, files in os.walk(root):
        for name in sorted(files):
            if not name.endswith(".pdf"):
                continue
            full = os.path.join(folder, name)
            path = os.path.relpath(full, root)
            if path.startswith("practices" + os.sep):
                continue
            m = re.match(r"(.+)-(a[345])\.pdf$", name)
            if not m:
                continue
            # Other languages' files are under their own folder: `fa-af/print/…-fa-af-a4.pdf`.
            first = path.split(os.sep)[0]
            lang = first if m.group(1).endswith("-" + first) else "en"
            slug, paper = m.group(1)[: -len(lang) - 1], m.group(2)
            rtl = lang in RTL
            doc = pymupdf.open(full)
            for page in doc:
                lines = lines_of(page)
                check_bullets(path, page, lines, rtl)
                if lang.startswith("zh"):
                    check_cjk(path, page, lines)
                if slug.endswith("poster") and paper == "a4" and page.number == 0:
                    check_qr(path, page)
                if slug == "wallet-card" and page.number == 0:
                    check_card(path, page, lines, rtl)
            if slug == "right-to-register":
                check_leaflet(path, doc)
            if slug == "register-poster" and paper == "a4":
                size = small_print_size(doc)
                if lang == "en":
                    english["size"] = size
                elif lang in SCALED:
                    scaled.append((path, size))
    for path, size in scaled:
        if english.get("size") and size and abs(size / english["size"] - 1.15) > 0.02:
            problem(path, f"small print {size:.2f} pt against English {english['size']:.2f} pt (1.15 times expected)")
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
