"""The map metrics: one declared catalogue that drives pickers, legends, tooltips and exports."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    id: str
    label: dict[str, str]
    unit: dict[str, str]
    definition: dict[str, str]
    column: str  # the persons column it derives from
    per_1000: bool = False
    diverging: bool = False  # net values: colour around zero
    synthetic: bool = True  # rests on (currently synthetic) flow data

    def text(self, field: str, lang: str) -> str:
        return getattr(self, field)[lang]


_PERSONS = {"de": "Personen", "en": "persons"}
_PER_1000 = {"de": "je 1.000 Einw. und Jahr", "en": "per 1,000 inhabitants per year"}

METRICS: dict[str, Metric] = {
    m.id: m
    for m in (
        Metric(
            "arrivals",
            {"de": "Zuzüge", "en": "Arrivals"},
            _PERSONS,
            {
                "de": "Zuzüge in die Ruhr-Kommune aus Rumänien/Bulgarien, Summe der Jahre",
                "en": "Moves into the Ruhr municipality from Romania/Bulgaria, summed over years",
            },
            "arrivals",
        ),
        Metric(
            "departures",
            {"de": "Fortzüge", "en": "Departures"},
            _PERSONS,
            {
                "de": "Fortzüge aus der Ruhr-Kommune nach Rumänien/Bulgarien, Summe der Jahre",
                "en": "Moves out of the Ruhr municipality to Romania/Bulgaria, summed over years",
            },
            "departures",
        ),
        Metric(
            "net",
            {"de": "Saldo", "en": "Net migration"},
            _PERSONS,
            {"de": "Zuzüge minus Fortzüge", "en": "Arrivals minus departures"},
            "net",
            diverging=True,
        ),
        Metric(
            "arrivals_per_1000",
            {"de": "Zuzugsrate", "en": "Arrival rate"},
            _PER_1000,
            {
                "de": "Zuzüge je 1.000 Einwohner des Gebiets, Jahresdurchschnitt",
                "en": "Arrivals per 1,000 inhabitants of the area, yearly average",
            },
            "arrivals",
            per_1000=True,
        ),
        Metric(
            "departures_per_1000",
            {"de": "Fortzugsrate", "en": "Departure rate"},
            _PER_1000,
            {
                "de": "Fortzüge je 1.000 Einwohner des Gebiets, Jahresdurchschnitt",
                "en": "Departures per 1,000 inhabitants of the area, yearly average",
            },
            "departures",
            per_1000=True,
        ),
        Metric(
            "net_per_1000",
            {"de": "Saldorate", "en": "Net migration rate"},
            _PER_1000,
            {
                "de": "Saldo je 1.000 Einwohner des Gebiets, Jahresdurchschnitt",
                "en": "Net migration per 1,000 inhabitants of the area, yearly average",
            },
            "net",
            per_1000=True,
            diverging=True,
        ),
    )
}
