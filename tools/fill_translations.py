r"""Maintain a Qt Linguist .ts file: list, export and fill unfinished translations.

The .ts file in ``resources/translations`` is the source of truth.  After ``make lupdate``
added new source texts, export them, translate the TSV, and fill them back::

    python tools/fill_translations.py resources/translations/informant_zh_CN.ts --check
    python tools/fill_translations.py TS --export todo.tsv     # context, source, translation
    python tools/fill_translations.py TS --fill todo.tsv       # after translating column 3

TSV fields escape newlines as ``\n`` and tabs as ``\t``.  ``--check`` exits with status 1
when any message is unfinished or has an empty translation.
"""

from __future__ import annotations

import argparse
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

_HEADER = '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _unescape(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out.append({"n": "\n", "t": "\t", "\\": "\\"}.get(text[i + 1], text[i + 1]))
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _root(tree: ET.ElementTree[ET.Element]) -> ET.Element:
    """Return the ``<TS>`` element of a parsed translation file."""
    root = tree.getroot()
    if root is None:
        raise ValueError("empty translation file")
    return root


def messages(tree: ET.ElementTree[ET.Element]) -> list[tuple[str, ET.Element]]:
    """Return ``(context, message element)`` for every live message (not vanished/obsolete)."""
    found = []
    for context in _root(tree).iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            kind = translation.get("type") if translation is not None else None
            if kind in ("vanished", "obsolete"):
                continue
            found.append((name, message))
    return found


def unfinished(tree: ET.ElementTree[ET.Element]) -> list[tuple[str, str]]:
    """Return ``(context, source)`` of every message still to translate."""
    todo = []
    for context, message in messages(tree):
        translation = message.find("translation")
        if (
            translation is None
            or translation.get("type") == "unfinished"
            or not (translation.text or "").strip()
        ):
            todo.append((context, message.findtext("source", "")))
    return todo


def fill(tree: ET.ElementTree[ET.Element], mapping: dict[tuple[str, str], str]) -> int:
    """Fill unfinished messages from ``mapping``; return how many were filled."""
    count = 0
    for context, message in messages(tree):
        key = (context, message.findtext("source", ""))
        translation = message.find("translation")
        if translation is None or key not in mapping or not mapping[key].strip():
            continue
        if translation.get("type") == "unfinished" or not (translation.text or "").strip():
            translation.text = mapping[key]
            translation.attrib.pop("type", None)
            count += 1
    return count


def read_tsv(path: Path) -> dict[tuple[str, str], str]:
    """Read ``context<TAB>source<TAB>translation`` lines."""
    mapping = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3:
            raise SystemExit(f"{path}:{number}: expected 3 tab-separated fields")
        context, source, translation = (_unescape(p) for p in parts)
        mapping[(context, source)] = translation
    return mapping


def write_ts(tree: ET.ElementTree[ET.Element], path: Path) -> None:
    """Write the .ts file in Linguist's layout (4-space indent, UTF-8)."""
    ET.indent(tree, space="    ")
    body = ET.tostring(_root(tree), encoding="unicode")
    path.write_text(_HEADER + body + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Run the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ts", type=Path, help="the .ts file")
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--check", action="store_true", help="fail on unfinished messages")
    action.add_argument("--export", type=Path, metavar="TSV", help="write unfinished to TSV")
    action.add_argument("--fill", type=Path, metavar="TSV", help="fill unfinished from TSV")
    args = parser.parse_args(argv)
    tree = ET.parse(args.ts)
    if args.check:
        todo = unfinished(tree)
        for context, source in todo:
            print(f"unfinished: [{context}] {source!r}")
        return 1 if todo else 0
    if args.export:
        lines = [f"{_escape(c)}\t{_escape(s)}\t" for c, s in unfinished(tree)]
        args.export.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{len(lines)} unfinished message(s) written to {args.export}")
        return 0
    filled = fill(tree, read_tsv(args.fill))
    write_ts(tree, args.ts)
    left = unfinished(tree)
    print(f"filled {filled}; {len(left)} still unfinished")
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main())
