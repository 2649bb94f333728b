"""Where each part of the data comes from, so every page, file and API answer labels each
part by its own origin: flows and survey answers are modelled until imported (each on its
own), populations, remittance series and boundaries are official statistics."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from layers import l10n
from layers.catalogue import BASIS_FLOWS, BASIS_OFFICIAL, BASIS_SURVEY, CATALOGUE

MODELLED = ("flows", "survey")  # synthetic until imported
PARTS = (*MODELLED, "populations", "remittances", "boundaries")
MANIFEST_TABLE = {"flows": "flows", "survey": "respondents"}
# Each part's origin in every language (the downloads' metadata, layers/package.py, give it
# in the requested one; the API's catalogue and the files' columns in English).
SOURCE_TEXT = l10n.texts("provenance", {  # data/sources.md gives values, dates and addresses
    "modelled": {"de": "synthetische Demonstrationsdaten (modelliert von layers/demo.py, "
                       "nicht gemessen)",
                 "en": "synthetic demonstration data (modelled by layers/demo.py, not "
                       "measured)"},
    "imported": {"de": "importiert aus {files}", "en": "imported from {files}"},
    "partly": {"de": "teilweise importiert aus {files}, der Rest {rest}",
               "en": "partly imported from {files}, the rest {rest}"},
    "populations": {"de": "amtlich: Destatis GV100AD (31.12.2022), Eurostat demo_r_pjanaggr3 "
                          "(1.1.2023)",
                    "en": "official: Destatis GV100AD (31 Dec 2022), Eurostat "
                          "demo_r_pjanaggr3 (1 Jan 2023)"},
    "remittances": {"de": "amtlich: Weltbank, World Development Indicators (Stand in den "
                          "Daten)",
                    "en": "official: World Bank, World Development Indicators (vintage in "
                          "the data)"},
    "boundaries": {"de": "amtlich: BKG VG250 (© GeoBasis-DE / BKG 2016, dl-de/by-2-0); "
                         "Natural Earth admin-1 (gemeinfrei)",
                   "en": "official: BKG VG250 (© GeoBasis-DE / BKG 2016, dl-de/by-2-0); "
                         "Natural Earth admin-1 (public domain)"},
})  # fmt: skip
OFFICIAL_SOURCES = {n: SOURCE_TEXT[n]["en"] for n in ("populations", "remittances", "boundaries")}
MODELLED_SOURCE = SOURCE_TEXT["modelled"]["en"]
# What each indicator's values rest on (rates per 1,000 divide by the official population).
BASIS_PARTS = {
    BASIS_FLOWS: ("flows", "populations"),
    BASIS_SURVEY: ("survey",),
    BASIS_OFFICIAL: ("remittances",),
}
LAYER_PARTS = {  # the columns every layer carries besides its indicators
    "municipalities": ("boundaries", "populations"),
    "origin_regions": ("boundaries", "populations"),
    "flows": ("flows", "boundaries"),
}


@dataclass(frozen=True)
class Part:
    name: str
    status: str  # "synthetic" | "partly imported" | "imported" | "official"
    source: str
    files: tuple[str, ...] = ()  # what was imported into a modelled part

    @property
    def synthetic(self) -> bool:
        return self.status in ("synthetic", "partly imported")

    def describe(self, lang: str = "en") -> str:
        """``name: origin``, the origin in ``lang`` (the name is the part's key)."""
        if lang == "en":
            return f"{self.name}: {self.source}"
        files = ", ".join(self.files) or "a file"
        found = {"official": lambda: SOURCE_TEXT[self.name][lang],
                 "synthetic": lambda: SOURCE_TEXT["modelled"][lang],
                 "imported": lambda: SOURCE_TEXT["imported"][lang].format(files=files),
                 "partly imported": lambda: SOURCE_TEXT["partly"][lang].format(
                     files=files, rest=SOURCE_TEXT["modelled"][lang])}  # fmt: skip
        return f"{self.name}: {found[self.status]()}"


def _modelled_part(name: str, manifest: dict) -> Part:
    entry = manifest.get("tables", {}).get(MANIFEST_TABLE[name], {})
    files = [i["file"] for i in entry.get("imports", [])]
    if not entry.get("synthetic", True):
        return Part(name, "imported", f"imported from {', '.join(files) or 'a file'}",
                    tuple(files))  # fmt: skip
    if files:
        source = f"partly imported from {', '.join(files)}, the rest {MODELLED_SOURCE}"
        return Part(name, "partly imported", source, tuple(files))
    return Part(name, "synthetic", MODELLED_SOURCE)


def parts(manifest: dict) -> dict[str, Part]:
    """Every part of a dataset with its status and source, from the dataset's manifest."""
    found = {name: _modelled_part(name, manifest) for name in MODELLED}
    found.update({n: Part(n, "official", s) for n, s in OFFICIAL_SOURCES.items()})
    return found


def parts_of(indicators: Iterable[str] = (), layer: str | None = None) -> tuple[str, ...]:
    """The parts a table of these indicators (and this layer's own columns) rests on."""
    used = set(LAYER_PARTS.get(layer, ()))
    for indicator in indicators:
        used.update(BASIS_PARTS[CATALOGUE[indicator].basis])
    return tuple(p for p in PARTS if p in used)


def synthetic_parts(manifest: dict, used: Iterable[str] = PARTS) -> tuple[str, ...]:
    every = parts(manifest)
    return tuple(p for p in used if every[p].synthetic)


def note(manifest: dict, used: Iterable[str] = PARTS, lang: str = "en") -> str:
    """One line naming each part's origin, modelled parts first."""
    every = parts(manifest)
    ordered = sorted(used, key=lambda p: (not every[p].synthetic, PARTS.index(p)))
    return "; ".join(every[p].describe(lang) for p in ordered)


def header_value(manifest: dict, used: Iterable[str] = PARTS) -> str:
    """``X-Synthetic-Data``: the modelled parts of an answer (``flows, survey``) or ``none``."""
    return ", ".join(synthetic_parts(manifest, used)) or "none"
