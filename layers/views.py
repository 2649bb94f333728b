"""Curated views: small YAML files in ``data/views/`` that council members open by link.

Each file is validated against the schema below. A malformed file gives one clear error
naming the file and the field; the other views still load."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from layers import l10n, params, plain, queries
from layers.catalogue import CATALOGUE
from layers.queries import echo

VIEWS_DIR = Path(__file__).resolve().parent.parent / "data" / "views"
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
CHARTS = ("series", "needs", "remittances", "languages", "services")
SIDES = ("municipality", "origin")
LANGS = ("de", "en")

SCHEMA = {  # field: (required, what it must be)
    "slug": (True, "lower-case words joined by '-', e.g. galati-circular"),
    "title": (True, "text in de and en"),
    "subtitle": (True, "text in de and en"),
    "narrative": (True, "a list of paragraphs in de and en"),
    "filters": (False, "years (2019 or 2015-2020), types (list), country (RO, BG, both)"),
    "map": (True, f"side ({', '.join(SIDES)}), metric (a catalogue id), scale [min, max]"),
    "selection": (False, "side and code of the area the map is linked to"),
    "highlight": (False, "a list of AGS or NUTS 3 codes"),
    "chart": (True, ", ".join(CHARTS)),
    "source": (True, "text in de and en"),
    "plain": (
        False,
        "number (max, total or area:<code>) and de and en lists of short "
        "sentences with {number} (and {area})",
    ),
}


class ViewError(ValueError):
    """A curated view file that does not follow the schema."""


@dataclass(frozen=True)
class CuratedView:
    slug: str
    title: dict[str, str]
    subtitle: dict[str, str]
    narrative: dict[str, list[str]]
    filter: queries.FlowFilter
    country: str
    side: str
    metric: str
    scale: tuple[float, float]
    selection: queries.Selection | None
    highlight: tuple[str, ...]
    chart: str
    source: dict[str, str]
    path: Path
    plain: plain.PlainText | None = None  # the plain-language version (layers/plain.py)

    def explorer_query(self, lang: str) -> str:
        """The same state in the explorer (its parameters: layers/params.py)."""
        f = self.filter
        found = {"lang": lang} if lang != "de" else {}
        found |= params.filter_params((f.year_from, f.year_to), f.year_from == f.year_to,
                                      f.types, self.country)  # fmt: skip
        found["metric"] = self.metric
        if self.selection:
            found["sel"] = params.selection_token(self.selection)
        return params.query_string(found)


def _fail(path: Path, field: str, problem: str) -> ViewError:
    expected = SCHEMA.get(field.split(".")[0], (False, ""))[1]
    hint = f" Expected: {expected}." if expected else ""
    return ViewError(f"{path.name}: field '{field}': {problem}.{hint}")


def _texts(doc: dict, field: str, path: Path, paragraphs: bool = False) -> dict:
    value = doc.get(field)
    if not isinstance(value, dict) or set(value) != set(LANGS):
        raise _fail(path, field, "needs exactly the languages de and en")
    for lang, text in value.items():
        if paragraphs:
            ok = isinstance(text, list) and text and all(isinstance(p, str) and p for p in text)
        else:
            ok = isinstance(text, str) and text.strip()
        if not ok:
            raise _fail(path, f"{field}.{lang}", "is empty or of the wrong kind")
    # Romanian and Bulgarian from the catalogs (layers/l10n.py), under the same msgid the
    # extractor gives it.
    return l10n.text(f"view.{doc['slug']}.{field}", value)


def _check_fields(doc, path: Path) -> None:
    if not isinstance(doc, dict):
        raise ViewError(
            f"{path.name}: the file must hold a mapping of fields, not {type(doc).__name__}"
        )
    unknown = sorted(set(doc) - set(SCHEMA))
    if unknown:
        raise _fail(path, unknown[0], f"unknown field (allowed: {', '.join(SCHEMA)})")
    for field, (required, _) in SCHEMA.items():
        if required and field not in doc:
            raise _fail(path, field, "is missing")


def _slug(doc: dict, path: Path) -> str:
    slug = doc["slug"]
    if not isinstance(slug, str) or not SLUG.match(slug):
        raise _fail(path, "slug", f"{echo(slug)} is not a valid slug")
    if path.stem != slug:
        raise _fail(path, "slug", f"{echo(slug)} must match the file name {echo(path.stem)}")
    return slug


def _filters(doc: dict, path: Path) -> tuple[queries.FlowFilter, str]:
    """The flow filter and the country choice as written ("both" when not given)."""
    filters = doc.get("filters") or {}
    if not isinstance(filters, dict):
        raise _fail(path, "filters", "must be a mapping")
    country = str(filters.get("country", "both"))
    try:
        flow_filter = queries.parse_filter(
            years=str(filters["years"]) if "years" in filters else None,
            types=filters.get("types"),
            countries=country,
        )
    except queries.InvalidParameter as exc:
        raise _fail(path, f"filters.{exc.name}", str(exc).rstrip(".")) from None
    return flow_filter, country


def _map(doc: dict, path: Path) -> tuple[str, str, tuple[float, float]]:
    """(side, metric, colour scale) of the map."""
    map_spec = doc["map"]
    if not isinstance(map_spec, dict):
        raise _fail(path, "map", "must be a mapping")
    side, metric, scale = map_spec.get("side"), map_spec.get("metric"), map_spec.get("scale")
    if side not in SIDES:
        raise _fail(path, "map.side", f"{echo(side)} is not one of {', '.join(SIDES)}")
    if metric not in CATALOGUE:
        raise _fail(path, "map.metric", f"{echo(metric)} is not a catalogue indicator")
    if (
        not isinstance(scale, list) or len(scale) != 2
        or not all(isinstance(v, (int, float)) for v in scale) or scale[0] >= scale[1]
    ):  # fmt: skip
        raise _fail(path, "map.scale", f"{echo(scale)} is not [min, max] with min < max")
    return side, metric, (float(scale[0]), float(scale[1]))


def _selection(doc: dict, path: Path) -> queries.Selection | None:
    if doc.get("selection") is None:
        return None
    try:
        return queries.parse_selection(doc["selection"])
    except queries.InvalidParameter as exc:
        raise _fail(path, "selection", str(exc).rstrip(".")) from None


def _highlight(doc: dict, path: Path) -> tuple[str, ...]:
    highlight = doc.get("highlight") or []
    known = set(queries.MUNICIPALITY_CODES) | set(queries.ORIGIN_CODES)
    if not isinstance(highlight, list) or any(str(c) not in known for c in highlight):
        raise _fail(path, "highlight", f"{echo(highlight)} holds an unknown area code")
    return tuple(str(c) for c in highlight)


def _chart(doc: dict, path: Path) -> str:
    if doc["chart"] not in CHARTS:
        raise _fail(path, "chart", f"{echo(doc['chart'])} is not one of {', '.join(CHARTS)}")
    return doc["chart"]


def _plain(doc: dict, path: Path, metric: str, side: str) -> plain.PlainText | None:
    spec = doc.get("plain")
    if spec is None:
        return None
    if not isinstance(spec, dict) or not {"number", *LANGS} <= set(spec) <= {
        "number",
        "as_percent",
        *LANGS,
    }:
        raise _fail(path, "plain", "needs number, de and en (and may say as_percent)")
    codes = queries.ORIGIN_CODES if side == "origin" else queries.MUNICIPALITY_CODES
    pair = {lang: spec[lang] for lang in LANGS}
    text = _texts({"slug": doc.get("slug"), "plain": pair}, "plain", path, True)
    try:
        number, code = plain.parse_number(spec["number"], metric, codes)
        plain.check_sentences(text)
    except plain.PlainError as exc:
        raise _fail(path, "plain", str(exc)) from None
    texts = {lang: list(sentences) for lang, sentences in text.items()}  # all four languages
    return plain.PlainText(number, code, texts, spec.get("as_percent") is True)


def parse_view(doc, path: Path) -> CuratedView:
    # The checks run in a fixed order, so a file with several faults always reports the
    # same one.
    _check_fields(doc, path)
    slug = _slug(doc, path)
    flow_filter, country = _filters(doc, path)
    side, metric, scale = _map(doc, path)
    selection = _selection(doc, path)
    highlight = _highlight(doc, path)
    chart = _chart(doc, path)
    return CuratedView(
        slug=slug,
        title=_texts(doc, "title", path),
        subtitle=_texts(doc, "subtitle", path),
        narrative=_texts(doc, "narrative", path, paragraphs=True),
        filter=flow_filter,
        country=country,
        side=side,
        metric=metric,
        scale=scale,
        selection=selection,
        highlight=highlight,
        chart=chart,
        source=_texts(doc, "source", path),
        path=path,
        plain=_plain(doc, path, metric, side),
    )


def load_view(path: Path) -> CuratedView:
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ViewError(
            f"{path.name}: not valid YAML{where}: {getattr(exc, 'problem', exc)}"
        ) from None
    except UnicodeDecodeError:
        raise ViewError(f"{path.name}: not UTF-8 text") from None
    return parse_view(doc, path)


def load_views(folder: Path = VIEWS_DIR) -> tuple[dict[str, CuratedView], list[str]]:
    """All valid views by slug, and one message per file that could not be loaded."""
    views, errors = {}, []
    for path in sorted(Path(folder).glob("*.yaml")):
        try:
            view = load_view(path)
        except ViewError as exc:
            errors.append(str(exc))
            continue
        views[view.slug] = view
    return views, errors
