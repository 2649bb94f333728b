"""The first paint of a page, before its scripts (issue 19.2): the page's own layout written
as HTML (the components the first screen shows: navbar, notices, map cards; the rest left
out), each map a server-drawn SVG (``layers.svgmap``) from the same figure the live map
draws, its legend and key figures as text. The browser shows it while the scripts load;
assets/firstmap.js puts each SVG over its live map when Dash has drawn the page and removes
it when plotly has drawn the map. No callbacks here: plain functions of the layout."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from dashboard import figures, ids
from layers import svgmap

SHELL_ID = "first-paint"
# the live maps' boxes (assets/app.css): width / height of .map-graph, #origin-map
ASPECTS = {"municipality": 0.91, "origin": 0.88}
VIEW_MAP_HEIGHT = 480  # px, the curated views' map (dashboard/pages.view_map)
VIEW_MAP_CLASS = "view-map"  # the curated view's map graph (dashboard/pages.view_page)
CATEGORY_BOTTOM = 0.09  # the geo's domain starts here when a colour bar names the types


@dataclass(frozen=True)
class SideGeometry:
    """One side's paths, per frame: the explorer's box with and without a colour bar
    under the map (``bottom``), and a view's (the bounds' own aspect)."""

    url: str  # the areas' GeoJSON as the live map fetches it: tells the sides apart
    frames: dict  # (aspect, bottom) -> (Frame, {code: path}, base path, context path)


def side_geometry(geojson: dict, bounds, aspect: float) -> dict:
    """``geojson``: {"areas", "context"} -> (GeoJSON, key property) of the side's layers."""
    found = {}
    for box, bottom in ((aspect, 0.0), (aspect, CATEGORY_BOTTOM), (None, 0.0)):
        frame = svgmap.Frame(tuple(bounds), box, bottom)
        paths = svgmap.feature_paths(*geojson["areas"], frame)
        base = ""  # the areas cover their union; one without a value gets its grey
        # orientation only: coarser
        context = "".join(svgmap.feature_paths(*geojson["context"], frame, 4.0).values())
        found[box, bottom] = (frame, paths, base, context)
    return found


def scale_colour(colorscale: list, zmin: float, zmax: float, z: float) -> str:
    """The colour plotly gives ``z`` on a stepped scale (stops at equal positions change
    colour there): the last stop at or below its position."""
    span = (zmax - zmin) or 1.0
    position = min(max((z - zmin) / span, 0.0), 1.0)
    colour = colorscale[0][1]
    for stop, stop_colour in colorscale:
        if stop <= position:
            colour = stop_colour
    return colour


def _values_fill(trace: dict) -> dict[str, str]:
    """Each area with a value: its colour on the values trace's scale."""
    zmin, zmax, scale = trace.get("zmin") or 0, trace.get("zmax") or 1, trace["colorscale"]
    return {
        code: scale_colour(scale, zmin, zmax, z)
        for code, z in zip(trace["locations"], trace["z"], strict=False)
        if z is not None
    }


def drawing(figure: dict, geometry: dict[str, SideGeometry], box: str, label: str,
            description: str) -> svgmap.Drawing:  # fmt: skip
    """The live ``figure`` (plotly JSON, its first view written in) as ``svgmap`` draws
    it; ``box``: "explorer" or "view"."""
    data = figure["data"]
    values = data[figures.VALUES]
    side = next(s for s, g in geometry.items() if g.url == values["geojson"])
    bottom = figure["layout"]["geo"].get("domain", {}).get("y", [0, 1])[0]
    aspect = ASPECTS[side] if box == "explorer" else None
    frame, paths, base, context = geometry[side].frames[aspect, bottom or 0.0]
    fills = _values_fill(values)
    suppressed = set(data[figures.SUPPRESSED].get("locations") or ())
    veiled = set(data[figures.LOW_BASE].get("locations") or ())
    outlined = set(data[figures.HIGHLIGHT].get("locations") or ())
    areas = tuple(
        svgmap.Area(code, figures.SUPPRESSED_COLOUR if code in suppressed
                    else fills.get(code, figures.BASE_COLOUR),
                    name, code in veiled, code in outlined)
        for code, name in zip(values["locations"], values["customdata"], strict=True)
    )  # fmt: skip
    return svgmap.Drawing(
        frame, paths, areas, label, description, base, context,
        line=values.get("marker", {}).get("line", {}).get("color", "#ffffff"),
        names=_names(data[figures.LABELS]), circles=_circles(data[figures.CIRCLES]),
        pixels=500.0, key=f"first-{side}",
    )  # fmt: skip


def _names(trace: dict) -> tuple:
    if trace.get("visible") is False:
        return ()
    positions = trace.get("textposition") or []
    return tuple(
        (lon, lat, text, positions[i] if i < len(positions) else "middle center")
        for i, (lon, lat, text) in enumerate(zip(trace["lon"], trace["lat"], trace["text"],
                                                 strict=True))
    )  # fmt: skip


def _circles(trace: dict) -> tuple:
    if not trace.get("visible"):
        return ()
    marker = trace.get("marker", {})
    colour = marker.get("color", "#0072B2")
    colours = colour if isinstance(colour, list) else [colour] * len(trace["lon"])
    return tuple(zip(trace["lon"], trace["lat"], marker.get("size", []),
                     colours, strict=False))  # fmt: skip


def legend_html(data: dict | None) -> str:
    """A map's legend as assets/legend.js draws it (same elements and classes: same size)."""
    if not data:
        return ""
    swatch = '<span class="swatch {}" style="{}" aria-hidden="true"></span>'
    parts = [f'<p class="legend-title">{escape(data["title"])}</p>']
    if data.get("rows"):
        rows = "".join(
            f'<li class="legend-class">{swatch.format("", f"background:{colour}")}'
            f'<span class="legend-range">{escape(text)}</span>'
            f'<span class="legend-count"> ({count})</span></li>'
            for colour, text, count in data["rows"]
        )
        parts.append(f'<ul class="legend-classes">{rows}</ul>')
        if data.get("count_note"):
            parts.append(f'<p class="legend-note">{escape(data["count_note"])}</p>')
    if data.get("circles"):
        circles = "".join(
            f'<li class="legend-circle"><span class="circle" style="width:{d}px;height:{d}px"'
            f' aria-hidden="true"></span><span class="legend-range">{escape(text)}</span></li>'
            for d, text in data["circles"]
        )
        parts.append(f'<ul class="legend-circles">{circles}</ul>')
    notes = [f"<li>{swatch.format('sign', f'background:{c}')}{escape(text)}</li>"
             for c, text in data.get("signs") or []]  # fmt: skip
    notes += [f'<li class="legend-{key}">{swatch.format(f"note-{key}", "")}{escape(text)}</li>'
              for key, text in data.get("notes") or []]  # fmt: skip
    if notes:
        parts.append(f'<ul class="legend-notes">{"".join(notes)}</ul>')
    return "".join(parts)


# dash-bootstrap-components 2 as it renders (react-bootstrap): tag and classes
def _col_classes(props: dict) -> str:
    sizes = [("width", "col"), ("xs", "col"), ("sm", "col-sm"), ("md", "col-md"),
             ("lg", "col-lg"), ("xl", "col-xl"), ("xxl", "col-xxl")]  # fmt: skip
    found = [f"{prefix}-{props[key]}" for key, prefix in sizes if props.get(key) is not None]
    return " ".join(found) or "col"


DBC = {
    "Navbar": lambda p: ("nav", f"navbar navbar-expand-{p.get('expand', 'md')} "
                         f"navbar-{'dark' if p.get('dark') else 'light'} bg-{p.get('color')}"),
    "Container": lambda p: (p.get("tag") or "div",
                            "container-fluid" if p.get("fluid") else "container"),
    "Row": lambda p: ("div", "row"),
    "Col": lambda p: ("div", _col_classes(p)),
    "Card": lambda p: ("div", "card"),
    "CardHeader": lambda p: ("div", "card-header"),
    "CardBody": lambda p: ("div", "card-body"),
    "Alert": lambda p: ("div", f"fade alert alert-{p.get('color', 'success')} show")
    if p.get("is_open", True) else None,
    "Button": lambda p: ("button", f"btn btn-{p.get('color', 'primary')}"
                         + (f" btn-{p['size']}" if p.get("size") else "")),
    "Collapse": lambda p: ("div", "collapse"),
}  # fmt: skip
ATTRIBUTES = {"className": "class", "tabIndex": "tabindex", "hrefLang": "hreflang",
              "htmlFor": "for"}  # fmt: skip
KEPT = re.compile(r"^(aria-.*|data-.*|role|href|src|alt|lang|hreflang|type|title|hidden)$")
CAMEL = re.compile("([A-Z])")  # a style's name: "aspectRatio" -> "aspect-ratio"
VOID = frozenset({"img", "br", "hr", "input"})


def _attributes(props: dict, classes: str = "") -> str:
    """HTML attributes of a component's props: no ids (the live page has them), buttons
    out of the keyboard's order (nothing answers them before the scripts)."""
    found = {"class": " ".join(c for c in (classes, props.get("className")) if c)}
    if props.get("style"):
        found["style"] = ";".join(
            CAMEL.sub(r"-\1", k).lower() + f":{v}" for k, v in props["style"].items()
        )
    for key, value in props.items():
        name = ATTRIBUTES.get(key, key)
        if KEPT.match(name) and value is not None and value is not False:
            found[name] = "" if value is True else str(value)
    return "".join(f' {k}="{escape(v)}"' if v else f" {k}" for k, v in found.items()
                   if v or k == "hidden")  # fmt: skip


@dataclass(frozen=True)
class Render:
    """What the page's layout becomes: ``maps`` by the id (or class) of each live map's
    dcc.Graph: its SVG; ``legends``: by the legend's id, its data; ``skipped``: classes
    of the components written empty (the filters, the analysis tabs)."""

    maps: dict[str, str]
    legends: dict[str, dict]
    skipped: tuple[str, ...] = ("filter-column", "analysis-card")


def to_html(node, render: Render) -> str:
    """The layout ``node`` as HTML: html.* as themselves, the layout's Bootstrap components
    as they render, maps as their SVG; other components (inputs, stores) left out."""
    if node is None or isinstance(node, bool):
        return ""
    if isinstance(node, (list, tuple)):
        return "".join(to_html(child, render) for child in node)
    if isinstance(node, (str, int, float)):
        return escape(str(node), quote=False)
    props = {k: v for k, v in node.to_plotly_json()["props"].items() if v is not None}
    if node._namespace == "dash_core_components":
        return _graph(props, render) if node._type == "Graph" else ""
    if node._namespace == "dash_html_components":
        tag, classes = node._type.lower(), ""
    elif node._namespace == "dash_bootstrap_components" and node._type in DBC:
        made = DBC[node._type](props)
        if made is None:
            return ""
        tag, classes = made
    else:
        return ""
    attributes = _attributes(props, classes)
    if tag == "button":
        attributes += ' tabindex="-1" aria-hidden="true"'
    if tag in VOID:
        return f"<{tag}{attributes}>"
    empty = any(c in (props.get("className") or "").split() for c in render.skipped)
    inner = legend_html(render.legends.get(props.get("id"))) if props.get("id") in (
        render.legends) else "" if empty else to_html(props.get("children"), render)  # fmt: skip
    return f"<{tag}{attributes}>{inner}</{tag}>"


def _graph(props: dict, render: Render) -> str:
    """A graph's box (its classes and style: the live graph's size); a map's with its SVG
    and where assets/firstmap.js finds the live map (``data-first-map``)."""
    keys = [props.get("id"), *(f".{c}" for c in (props.get("className") or "").split())]
    key = next((k for k in keys if k in render.maps), None)
    if key is None:
        return f"<div{_attributes(props)}></div>"
    classes = "first-map" + (" origin-map" if key == f"{ids.ORIGIN_MAP}" else "")
    target = f"#{key}" if not key.startswith(".") else key
    return (f'<div{_attributes(props, classes)} data-first-map="{escape(target)}">'
            f"{render.maps[key]}</div>")  # fmt: skip


def shell(inner: str) -> str:
    """The first paint's container, before Dash's own (assets/firstmap.js removes it)."""
    return f'<div id="{SHELL_ID}">{inner}</div>'


def find(node, wanted):
    """The first component under ``node`` (depth first) for which ``wanted`` is true."""
    if isinstance(node, (list, tuple)):
        return next((f for f in (find(n, wanted) for n in node) if f is not None), None)
    if not hasattr(node, "_prop_names"):
        return None
    if wanted(node):
        return node
    return find(getattr(node, "children", None), wanted)


def text_of(node) -> str:
    """A component's text, as a screen reader reads it."""
    if isinstance(node, (list, tuple)):
        return "".join(text_of(n) for n in node)
    if isinstance(node, (str, int, float)):
        return str(node)
    return text_of(getattr(node, "children", None)) if hasattr(node, "_prop_names") else ""


def _figure(graph) -> dict:
    figure = graph.figure
    return figure if isinstance(figure, dict) else figure.to_plotly_json()


def page_html(page, geometry: dict[str, SideGeometry], about: str) -> str:
    """The first paint of ``page`` (the explorer's layout or a curated view's, its first
    view filled in): its maps drawn, ``about`` (the data notice and the source) read with
    each. Empty for a page without a map."""
    maps, legends = {}, {}
    explorer = find(page, lambda n: getattr(n, "id", None) == ids.RUHR_MAP) is not None
    if explorer:
        for graph_id, title, summary, legend, data in (
            (ids.RUHR_MAP, ids.RUHR_MAP_TITLE, ids.RUHR_SUMMARY, ids.RUHR_LEGEND,
             ids.RUHR_LEGEND_DATA),
            (ids.ORIGIN_MAP, ids.ORIGIN_MAP_TITLE, ids.ORIGIN_SUMMARY, ids.ORIGIN_LEGEND,
             ids.ORIGIN_LEGEND_DATA),
        ):  # fmt: skip
            described = f"{text_of(page[summary])} {about}"
            drawn = drawing(_figure(page[graph_id]), geometry, "explorer",
                            text_of(page[title]), described)  # fmt: skip
            maps[graph_id] = svgmap.map_svg(drawn)
            legends[legend] = page[data].data
        return shell(to_html(page, Render(maps, legends)))
    graph = find(page, lambda n: VIEW_MAP_CLASS in (getattr(n, "className", None) or "").split())
    if graph is None:
        return ""
    figure_box = find(page, lambda n: getattr(n, "role", None) == "figure")
    summary = getattr(figure_box, "aria-label", "") if figure_box is not None else ""
    title = text_of(find(page, lambda n: "view-title" in (getattr(n, "className", None) or "")))
    maps[f".{VIEW_MAP_CLASS}"] = svgmap.map_svg(drawing(_figure(graph), geometry, "view", title,
                                                        f"{summary} {about}"))  # fmt: skip
    for store, legend in ((ids.RUHR_LEGEND_DATA, ids.RUHR_LEGEND),
                          (ids.ORIGIN_LEGEND_DATA, ids.ORIGIN_LEGEND)):  # fmt: skip
        found = find(page, lambda n, store=store: getattr(n, "id", None) == store)
        if found is not None:
            legends[legend] = found.data
    return shell(to_html(page, Render(maps, legends)))
