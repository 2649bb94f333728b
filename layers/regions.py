"""Reference tables of the 53 Ruhr municipalities and the 70 origin regions (real figures).

Populations are the denominators of every "per 1,000" figure. Sources:

* Ruhr municipalities, 31 Dec 2022: Destatis Gemeindeverzeichnis GV100AD
  (Gebietsstand 30 Nov 2023), update on the Zensus 2011 basis.
* Origin regions, 1 Jan 2023: Eurostat ``demo_r_pjanaggr3`` (total, all ages);
  Romanian values carry Eurostat's flag "e" (estimated).
"""

from __future__ import annotations

import csv
import functools
import types
from dataclasses import dataclass
from pathlib import Path

MUNICIPAL_POPULATION_SOURCE = (
    "Destatis, Gemeindeverzeichnis GV100AD (Gebietsstand 30.11.2023), population 31 Dec 2022"
)
MUNICIPAL_POPULATION_DATE = "2022-12-31"
ORIGIN_POPULATION_SOURCE = (
    "Eurostat demo_r_pjanaggr3, population 1 Jan 2023 (RO values flagged 'e')"
)
ORIGIN_POPULATION_DATE = "2023-01-01"

# Kreis-level AGS prefixes of the RVR area: 11 kreisfreie Städte and 4 Kreise.
KREISFREIE_STAEDTE = (
    "05112", "05113", "05117", "05119", "05512", "05513",
    "05911", "05913", "05914", "05915", "05916",
)  # fmt: skip
KREISE = {
    "05170": "Kreis Wesel",
    "05562": "Kreis Recklinghausen",
    "05954": "Ennepe-Ruhr-Kreis",
    "05978": "Kreis Unna",
}
RUHR_KREIS_PREFIXES = KREISFREIE_STAEDTE + tuple(KREISE)

KIND_CITY = "kreisfreie Stadt"
KIND_MUNICIPALITY = "kreisangehörige Gemeinde"


@dataclass(frozen=True)
class Municipality:
    ags: str
    name: str
    population: int

    @property
    def kreis_ags(self) -> str:
        return self.ags[:5]

    @property
    def kind(self) -> str:
        return KIND_CITY if self.kreis_ags in KREISFREIE_STAEDTE else KIND_MUNICIPALITY

    @property
    def kreis(self) -> str:
        return self.name if self.kind == KIND_CITY else KREISE[self.kreis_ags]


@dataclass(frozen=True)
class OriginRegion:
    nuts3: str
    hasc: str
    name: str
    name_latin: str
    country: str
    population: int


MUNICIPALITIES: tuple[Municipality, ...] = tuple(
    Municipality(ags, name, pop)
    for ags, name, pop in [
        ("05112000", "Duisburg", 502211),
        ("05113000", "Essen", 584580),
        ("05117000", "Mülheim an der Ruhr", 172404),
        ("05119000", "Oberhausen", 210824),
        ("05512000", "Bottrop", 118113),
        # As in our source excerpt of GV100AD; it looks rounded and could not be checked
        # offline (data/sources.md, "Gelsenkirchen"): kept, not replaced by a guess.
        ("05513000", "Gelsenkirchen", 263000),
        ("05911000", "Bochum", 365742),
        ("05913000", "Dortmund", 593317),
        ("05914000", "Hagen", 189783),
        ("05915000", "Hamm", 180849),
        ("05916000", "Herne", 157368),
        ("05170004", "Alpen", 12649),
        ("05170008", "Dinslaken", 67762),
        ("05170012", "Hamminkeln", 27248),
        ("05170016", "Hünxe", 13787),
        ("05170020", "Kamp-Lintfort", 38665),
        ("05170024", "Moers", 105287),
        ("05170028", "Neukirchen-Vluyn", 27956),
        ("05170032", "Rheinberg", 31150),
        ("05170036", "Schermbeck", 13479),
        ("05170040", "Sonsbeck", 8747),
        ("05170044", "Voerde (Niederrhein)", 36196),
        ("05170048", "Wesel", 61330),
        ("05170052", "Xanten", 21582),
        ("05562004", "Castrop-Rauxel", 73795),
        ("05562008", "Datteln", 35191),
        ("05562012", "Dorsten", 76720),
        ("05562014", "Gladbeck", 75889),
        ("05562016", "Haltern am See", 38117),
        ("05562020", "Herten", 62473),
        ("05562024", "Marl", 84331),
        ("05562028", "Oer-Erkenschwick", 31838),
        ("05562032", "Recklinghausen", 111734),
        ("05562036", "Waltrop", 29644),
        ("05954004", "Breckerfeld", 9041),
        ("05954008", "Ennepetal", 30652),
        ("05954012", "Gevelsberg", 31097),
        ("05954016", "Hattingen", 54637),
        ("05954020", "Herdecke", 22758),
        ("05954024", "Schwelm", 28723),
        ("05954028", "Sprockhövel", 24838),
        ("05954032", "Wetter (Ruhr)", 27550),
        ("05954036", "Witten", 95897),
        ("05978004", "Bergkamen", 49263),
        ("05978008", "Bönen", 18438),
        ("05978012", "Fröndenberg/Ruhr", 20548),
        ("05978016", "Holzwickede", 17298),
        ("05978020", "Kamen", 43058),
        ("05978024", "Lünen", 86868),
        ("05978028", "Schwerte", 46658),
        ("05978032", "Selm", 26163),
        ("05978036", "Unna", 60892),
        ("05978040", "Werne", 29680),
    ]
)

# NUTS 2021 code, HASC (as in Natural Earth admin-1), official name, Latin name without
# diacritics (as Natural Earth spells it), country, population 1 Jan 2023.
ORIGIN_REGIONS: tuple[OriginRegion, ...] = tuple(
    OriginRegion(nuts3, hasc, name, latin, nuts3[:2], pop)
    for nuts3, hasc, name, latin, pop in [
        ("RO111", "RO.BH", "Bihor", "Bihor", 554016),
        ("RO112", "RO.BN", "Bistrița-Năsăud", "Bistrita-Nasaud", 296140),
        ("RO113", "RO.CJ", "Cluj", "Cluj", 688844),
        ("RO114", "RO.MM", "Maramureș", "Maramures", 451728),
        ("RO115", "RO.SM", "Satu Mare", "Satu Mare", 330662),
        ("RO116", "RO.SJ", "Sălaj", "Salaj", 210652),
        ("RO121", "RO.AB", "Alba", "Alba", 325838),
        ("RO122", "RO.BV", "Brașov", "Brasov", 552813),
        ("RO123", "RO.CV", "Covasna", "Covasna", 199795),
        ("RO124", "RO.HR", "Harghita", "Harghita", 291810),
        ("RO125", "RO.MS", "Mureș", "Mures", 519395),
        ("RO126", "RO.SB", "Sibiu", "Sibiu", 391433),
        ("RO211", "RO.BC", "Bacău", "Bacau", 597504),
        ("RO212", "RO.BT", "Botoșani", "Botosani", 389815),
        ("RO213", "RO.IS", "Iași", "Iasi", 774025),
        ("RO214", "RO.NT", "Neamț", "Neamt", 449345),
        ("RO215", "RO.SV", "Suceava", "Suceava", 642275),
        ("RO216", "RO.VS", "Vaslui", "Vaslui", 371464),
        ("RO221", "RO.BR", "Brăila", "Braila", 277021),
        ("RO222", "RO.BZ", "Buzău", "Buzau", 400823),
        ("RO223", "RO.CT", "Constanța", "Constanta", 657055),
        ("RO224", "RO.GL", "Galați", "Galati", 494280),
        ("RO225", "RO.TL", "Tulcea", "Tulcea", 190994),
        ("RO226", "RO.VN", "Vrancea", "Vrancea", 333154),
        ("RO311", "RO.AG", "Argeș", "Arges", 565747),
        ("RO312", "RO.CL", "Călărași", "Calarasi", 280468),
        ("RO313", "RO.DB", "Dâmbovița", "Dambovita", 477197),
        ("RO314", "RO.GR", "Giurgiu", "Giurgiu", 258751),
        ("RO315", "RO.IL", "Ialomița", "Ialomita", 249852),
        ("RO316", "RO.PH", "Prahova", "Prahova", 691246),
        ("RO317", "RO.TR", "Teleorman", "Teleorman", 318043),
        ("RO321", "RO.BI", "București", "Bucharest", 1724966),
        ("RO322", "RO.IF", "Ilfov", "Ilfov", 564833),
        ("RO411", "RO.DJ", "Dolj", "Dolj", 599631),
        ("RO412", "RO.GJ", "Gorj", "Gorj", 311301),
        ("RO413", "RO.MH", "Mehedinți", "Mehedinti", 231398),
        ("RO414", "RO.OT", "Olt", "Olt", 378567),
        ("RO415", "RO.VL", "Vâlcea", "Valcea", 340914),
        ("RO421", "RO.AR", "Arad", "Arad", 410451),
        ("RO422", "RO.CS", "Caraș-Severin", "Caras-Severin", 244904),
        ("RO423", "RO.HD", "Hunedoara", "Hunedoara", 357563),
        ("RO424", "RO.TM", "Timiș", "Timis", 658515),
        ("BG311", "BG.VD", "Vidin", "Vidin", 72754),
        ("BG312", "BG.MT", "Montana", "Montana", 116172),
        ("BG313", "BG.VR", "Vratsa", "Vratsa", 148874),
        ("BG314", "BG.PV", "Pleven", "Pleven", 220346),
        ("BG315", "BG.LV", "Lovech", "Lovech", 113356),
        ("BG321", "BG.VT", "Veliko Tarnovo", "Veliko Tarnovo", 204033),
        ("BG322", "BG.GB", "Gabrovo", "Gabrovo", 95957),
        ("BG323", "BG.RS", "Ruse", "Ruse", 189623),
        ("BG324", "BG.RG", "Razgrad", "Razgrad", 101107),
        ("BG325", "BG.SI", "Silistra", "Silistra", 95614),
        ("BG331", "BG.VN", "Varna", "Varna", 430847),
        ("BG332", "BG.DO", "Dobrich", "Dobrich", 147208),
        ("BG333", "BG.SH", "Shumen", "Shumen", 149628),
        ("BG334", "BG.TU", "Targovishte", "Targovishte", 96201),
        ("BG341", "BG.BR", "Burgas", "Burgas", 378596),
        ("BG342", "BG.SL", "Sliven", "Sliven", 170583),
        ("BG343", "BG.YA", "Yambol", "Yambol", 107379),
        ("BG344", "BG.SZ", "Stara Zagora", "Stara Zagora", 291852),
        ("BG411", "BG.SG", "Sofia (stolitsa)", "Grad Sofiya", 1280334),
        ("BG412", "BG.SF", "Sofia", "Sofia", 227610),
        ("BG413", "BG.BL", "Blagoevgrad", "Blagoevgrad", 288161),
        ("BG414", "BG.PN", "Pernik", "Pernik", 111746),
        ("BG415", "BG.KY", "Kyustendil", "Kyustendil", 108703),
        ("BG421", "BG.PD", "Plovdiv", "Plovdiv", 631516),
        ("BG422", "BG.KK", "Haskovo", "Haskovo", 207439),
        ("BG423", "BG.PZ", "Pazardzhik", "Pazardzhik", 226209),
        ("BG424", "BG.SM", "Smolyan", "Smolyan", 93354),
        ("BG425", "BG.KZ", "Kardzhali", "Kardzhali", 142508),
    ]
)

COUNTRIES = ("RO", "BG")
COUNTRY_NAMES = {"RO": "Romania", "BG": "Bulgaria"}


def municipality_by_ags() -> dict[str, Municipality]:
    return {m.ags: m for m in MUNICIPALITIES}


def origin_by_nuts3() -> dict[str, OriginRegion]:
    return {r.nuts3: r for r in ORIGIN_REGIONS}


def origin_by_hasc() -> dict[str, OriginRegion]:
    return {r.hasc: r for r in ORIGIN_REGIONS}


BULGARIAN_NAMES_FILE = Path(__file__).resolve().parent.parent / "data/reference/bg_oblast_names.csv"


@functools.cache
def bulgarian_names() -> types.MappingProxyType:
    """NUTS-3 code → the oblast's official Bulgarian name (Cyrillic), from
    data/reference/bg_oblast_names.csv (sources: data/sources.md); read-only, as cached."""
    with BULGARIAN_NAMES_FILE.open(encoding="utf-8", newline="") as fh:
        return types.MappingProxyType({row["nuts3"]: row["name_bg"] for row in csv.DictReader(fh)})


def area_name(code: str, name: str, lang: str) -> str:
    """An area's name as a page in ``lang`` shows it: a Bulgarian oblast in Cyrillic on
    Bulgarian pages, else ``name`` (Latin for the oblasts, Romanian counties with ș, ț,
    Ruhr municipalities in German)."""
    return bulgarian_names().get(code, name) if lang == "bg" else name
