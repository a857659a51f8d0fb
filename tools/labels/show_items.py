"""Print items to label, rebuilt from the PolNeAR text in ../shared (the project stores offsets only).

    python tools/labels/show_items.py tools/labels/items/train_01.jsonl [--from 0 --to 10]

Each item shows the article title, up to two paragraphs before the one that holds
the content, and that paragraph, with the attribution's parts marked:
    {SOURCE: ...}   [CUE: ...]   <<CONTENT: ...>>
"""
from __future__ import annotations

import argparse
import json
import re

from stancekit import polnear


def paragraphs(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for m in re.finditer(r"\n\s*\n", text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return [(a, b) for a, b in out if text[a:b].strip()]


def render(text: str, item: dict, lo: int, hi: int) -> str:
    marks = []
    for s, e in item["source_spans"]:
        marks.append((s, e, "{SOURCE: ", "}"))
    for s, e in item["cue_spans"]:
        marks.append((s, e, "[CUE: ", "]"))
    for s, e in item["content_spans"]:
        marks.append((s, e, "<<CONTENT: ", ">>"))
    ins = []
    for s, e, o, c in marks:
        if lo <= s and e <= hi:
            ins.append((s, 1, o))
            ins.append((e, 0, c))
    out, pos = [], lo
    for p, _, tag in sorted(ins):
        out.append(text[pos:p])
        out.append(tag)
        pos = p
    out.append(text[pos:hi])
    return "".join(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("items")
    ap.add_argument("--from", dest="lo", type=int, default=0)
    ap.add_argument("--to", dest="hi", type=int, default=None)
    args = ap.parse_args()
    items = [json.loads(x) for x in open(args.items, encoding="utf-8")]
    for k, it in enumerate(items[args.lo:args.hi], start=args.lo):
        text = polnear.article_text(it["article"], split=it["split"])
        paras = paragraphs(text)
        first = min(s for s, _ in it["content_spans"] + it["source_spans"] + it["cue_spans"])
        last = max(e for _, e in it["content_spans"] + it["source_spans"] + it["cue_spans"])
        idx = [i for i, (a, b) in enumerate(paras) if b > first and a < last] or [0]
        lo_i, hi_i = max(0, idx[0] - 2), idx[-1]
        title = text[paras[0][0]:paras[0][1]].strip()
        print("=" * 100)
        print(f"#{k}  item_id: {it['item_id']}")
        print(f"TITLE: {title[:200]}")
        if lo_i > 0:
            print("...")
        print(render(text, it, paras[lo_i][0], paras[hi_i][1]))
        src = " ... ".join(text[s:e] for s, e in it["source_spans"]) or "(no source span)"
        cue = " ... ".join(text[s:e] for s, e in it["cue_spans"]) or "(no cue span)"
        con = " ... ".join(text[s:e] for s, e in it["content_spans"])
        print(f"--> SOURCE: {src} | CUE: {cue}\n--> CONTENT: {con}")
        if it.get("targets"):
            print(f"--> TARGETS: {it['targets']}")


if __name__ == "__main__":
    main()
