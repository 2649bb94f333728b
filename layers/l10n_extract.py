"""Babel extractors (babel.cfg) for the texts written as {de, en} pairs, so that
``pybabel extract`` sees every text of the interface, the views and the downloads' metadata:
keys built at run time (f"tab_{key}") are invisible to Babel's Python extractor, so the
pairs themselves are the extraction source. Each yields msgid = the key, and the German and
English as the translator's comments (``#.`` in the catalogs)."""

from __future__ import annotations

import ast
import json
import tomllib

import yaml

from layers import l10n

CALLS = {"text", "texts", "plural"}  # layers.l10n.text(msgid, pair), texts(prefix, table)


def _entries(msgid: str, pair: dict, plural_lists: bool = False):
    de, en = pair["de"], pair["en"]
    if isinstance(en, list) and plural_lists:  # plural forms: singular and plural
        yield msgid, (msgid, msgid), [f"de: {' | '.join(de)}", f"en: {' | '.join(en)}"]
    elif isinstance(en, list):  # paragraphs, one message each
        for index, (d, e) in enumerate(zip(de, en, strict=False), 1):
            yield f"{msgid}.{index}", f"{msgid}.{index}", [f"de: {d}", f"en: {e}"]
    else:
        yield msgid, msgid, [f"de: {de}", f"en: {en}"]


def _result(found):
    for _msgid, message, comments in found:
        funcname = "ngettext" if isinstance(message, tuple) else "gettext"
        yield 0, funcname, message, comments


def extract_messages_json(fileobj, keywords, comment_tags, options):
    """dashboard/messages.json: msgid = the key (a list of forms: a plural)."""
    table = json.loads(fileobj.read().decode("utf-8"))
    for key, pair in table.items():
        yield from _result(_entries(key, pair, plural_lists=True))


def extract_toml(fileobj, keywords, comment_tags, options):
    doc = tomllib.loads(fileobj.read().decode("utf-8"))
    for msgid, pair in l10n.pairs(doc, options.get("prefix", "catalogue")):
        yield from _result(_entries(msgid, pair))


def extract_view_yaml(fileobj, keywords, comment_tags, options):
    doc = yaml.safe_load(fileobj.read().decode("utf-8"))
    prefix = f"view.{doc['slug']}"
    for field in ("title", "subtitle", "narrative", "source"):
        if field in doc:
            yield from _result(_entries(f"{prefix}.{field}", doc[field]))
    plain = doc.get("plain") or {}  # its sentences in each language (layers/views.py)
    if all(lang in plain for lang in ("de", "en")):
        pair = {lang: plain[lang] for lang in ("de", "en")}
        yield from _result(_entries(f"{prefix}.plain", pair))


def extract_python_pairs(fileobj, keywords, comment_tags, options):
    """Calls ``l10n.text("msgid", {...})`` and ``l10n.texts("prefix", {...})`` with literal
    arguments in Python modules."""
    tree = ast.parse(fileobj.read().decode("utf-8"))
    for node in ast.walk(tree):
        name = getattr(node, "func", None)
        name = getattr(name, "attr", None) or getattr(name, "id", None)
        if not isinstance(node, ast.Call) or name not in CALLS or len(node.args) != 2:
            continue
        try:
            msgid, table = (ast.literal_eval(a) for a in node.args)
        except ValueError:  # built at run time (layers/views.py): found by its own source
            continue
        found = {msgid: table} if name != "texts" else {f"{msgid}.{k}": v for k, v in table.items()}
        for key, pair in found.items():
            yield from _result(_entries(key, pair, plural_lists=name == "plural"))
