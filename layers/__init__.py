"""Pure-Python data layer: boundaries, reference figures, demo data, queries, exports.

Never imports dash or flask (a test enforces it), so it can be used from scripts,
notebooks and the command line as well as from the dashboard.
"""
