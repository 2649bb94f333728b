"""Every component id of the dashboard, in one place."""

NAVBAR = "navbar"
MAIN = "main"  # the skip link's target, on every page
SKIP_LINK = "skip-link"
# The filters: a drawer below Bootstrap's lg breakpoint (assets/drawer.js), a column from lg.
FILTER_DRAWER = "filter-drawer"
FILTER_DRAWER_TITLE = "filter-drawer-title"
FILTER_TOGGLE = "filter-toggle"
FILTER_CLOSE = "filter-close"
SYNTHETIC_NOTICE = "synthetic-notice"
INPUT_NOTICE = "input-notice"
PRINT_FILTERS = "print-filters"  # the filters as one line on paper (assets/export.js)
LANG_STORE = "lang-store"
SELECTION_STORE = "selection-store"
COMPARE_STORE = "compare-store"  # further areas compared with the selection
CLICK_MODIFIER = "click-modifier"  # shift/ctrl held at the last click (assets/select.js)

YEAR_MODE = "year-mode"
YEAR_SINGLE = "year-single"
YEAR_SINGLE_WRAPPER = "year-single-wrapper"
YEAR_RANGE = "year-range"
YEAR_RANGE_WRAPPER = "year-range-wrapper"
TYPES = "migration-types"
COUNTRY = "origin-country"
METRIC = "metric"
METRIC_DEFINITION = "metric-definition"

SELECTION_LABEL = "selection-label"
SELECTION_CLEAR = "selection-clear"

RUHR_MAP = "ruhr-map"
ORIGIN_MAP = "origin-map"
RUHR_MAP_TITLE = "ruhr-map-title"
ORIGIN_MAP_TITLE = "origin-map-title"
# A filter change's new values for the maps and the series, drawn by assets/gate.js.
VIEW_UPDATE = "view-update"
SERIES = "series-chart"
SERIES_TITLE = "series-title"

TABS = "analysis-tabs"


def panel(tab: str) -> str:
    return f"panel-{tab}"


# Analysis panels and area tables that compute only while open; each gets the filters
# through its own store, filled in the browser (assets/gate.js) only while it is open.
GATED = ("compare", "ranking", "scatter", "diversity", "remittances", "needs", "flows",
         "stocks", "services", "scenario", "ruhr-table", "origin-table")  # fmt: skip


def gate(consumer: str) -> str:
    return f"gate-{consumer}"


SHOW_CV = "show-arrivals-cv"
SHOW_CHURN = "show-churn"
LANGUAGES_CHART = "languages-chart"
COUNTRIES_CHART = "countries-chart"
COUNTRIES_MAP = "countries-map"
REMITTANCE_CHART = "remittance-chart"
USES_CHART = "uses-chart"
NEEDS_CHART = "needs-chart"
NEEDS_TEST = "needs-test"
SERVICES_LABEL = "services-label"  # the KOSMATI services tab (dashboard/services.py)
SERVICES_MAP = "services-map"
SERVICES_TABLE = "services-table"
SERVICES_GRID = "services-grid"
SERVICES_NEEDS = "services-needs"
SERVICES_NEEDS_GRID = "services-needs-grid"
STOCK_METRIC = "stock-metric"  # the register stocks tab (dashboard/stocks.py)
STOCK_LABEL = "stock-label"
STOCK_CHART = "stock-chart"
STOCK_TABLE = "stock-table"
STOCK_GRID = "stock-grid"
STOCK_NOTE = "stock-note"
STOCK_CSV = "stock-csv"
STOCK_DOWNLOAD = "stock-download"
SCENARIO_SHARE = "scenario-share"  # the 3 × 1 scenario tab (dashboard/scenario.py)
SCENARIO_SHARE_LABEL = "scenario-share-label"
SCENARIO_HEADING = "scenario-heading"
SCENARIO_TABLE = "scenario-table"
SCENARIO_GRID = "scenario-grid"
SCENARIO_NOTE = "scenario-note"
SCENARIO_MAP = "scenario-map"
SCENARIO_MAP_SUMMARY = "scenario-map-summary"
FLOW_MAP = "flow-map"
FLOW_RUHR_MAP = "flow-ruhr-map"  # the Ruhr end of the flows at the Ruhr's scale
FLOW_LEGEND = "flow-legend"
FLOW_DIRECTION = "flow-direction"
FLOW_TOP_N = "flow-top-n"
FLOW_MIN = "flow-min-persons"
FLOW_SUMMARY = "flow-summary"

URL = "url"
URL_POPPED = "url-popped"  # set by assets/history.js on back/forward; keep the two in step
URL_NOTICE = "url-notice"
LANGUAGE_LINK = "language-link"
LANGUAGE_LINKS = {code: f"{LANGUAGE_LINK}-{code}" for code in ("de", "en", "ro", "bg")}
SHARE_URL = "share-url"
COPY_LINK = "copy-link"
COPY_STATUS = "copy-status"  # the confirmation, read out by screen readers (aria-live)
COPY_MESSAGES = "copy-messages"  # its texts in the page language, for assets/share.js
AREA_PICKER = "area-picker"
RUHR_SUMMARY = "ruhr-map-summary"
ORIGIN_SUMMARY = "origin-map-summary"
RUHR_LEGEND = "ruhr-map-legend"  # drawn by assets/legend.js from the data below
ORIGIN_LEGEND = "origin-map-legend"
RUHR_LEGEND_DATA = "ruhr-legend-data"
ORIGIN_LEGEND_DATA = "origin-legend-data"
MAP_SCHEME = "map-scheme"
MAP_CLASSES = "map-classes"
MAP_LABELS = "map-labels"
RUHR_TABLE_TOGGLE = "ruhr-table-toggle"
ORIGIN_TABLE_TOGGLE = "origin-table-toggle"
RUHR_TABLE = "ruhr-table"
ORIGIN_TABLE = "origin-table"
FILTER_SUMMARY = "filter-summary"
DOWNLOAD_LAYER = "download-layer"
DOWNLOAD_FORMAT = "download-format"
DOWNLOAD_LINK = "download-link"
COMPARE_PICKER = "compare-picker"
COMPARE_MEASURE = "compare-measure"
COMPARE_SCALE = "compare-scale"
COMPARE_CHART = "compare-chart"
COMPARE_TABLE = "compare-table"
COMPARE_CSV = "compare-csv"
COMPARE_DOWNLOAD = "compare-download"
SIMILAR_TEXT = "similar-text"
SIMILAR_STORE = "similar-store"  # the similar municipalities' tokens
COMPARE_SIMILAR = "compare-similar"
RANK_SIDE = "ranking-side"
RANK_COLUMNS = "ranking-columns"
RANK_SEARCH = "ranking-search"
RANK_CSV = "ranking-csv"
RANK_CAPTION = "ranking-caption"
RANK_NOTE = "ranking-note"  # what the grid's "*" means, when a cell has one
RANK_GRID = "ranking-grid"
RANK_SORT = "ranking-sort"  # the grid's sort as the address says it (a store: the grid loads late)
RANK_SLOT = "ranking-slot"  # where the tab's content goes once the grid library is loaded
RANK_SPEC = "ranking-spec"  # that content as the renderer takes it (components' JSON)

# Issue 15: the scatter tab, the play button beside the year slider, the small multiples.
SCATTER_CHART = "scatter-chart"
SCATTER_LEGEND = "scatter-legend"
SCATTER_X = "scatter-x"
SCATTER_Y = "scatter-y"
SCATTER_SIDE = "scatter-side"
YEAR_PLAY = "year-play"
YEAR_TICK = "year-tick"
YEAR_PLAY_STATUS = "year-play-status"
YEAR_PLAY_TEXTS = "year-play-texts"
SMALL_MULTIPLES = "small-multiples"
SMALL_MULTIPLES_TEXTS = "small-multiples-texts"
SMALL_MULTIPLES_DETAILS = "small-multiples-details"
SMALL_MULTIPLES_SUMMARY = "small-multiples-summary"


def small_multiple(year) -> str:
    return f"small-multiple-{year}"
