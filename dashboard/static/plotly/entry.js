// Partial plotly.js bundle for the dashboard: the core (which brings the scatter trace, the
// components and the en/en-US locales) plus exactly the trace types the app draws, as in
// plotly.js's own lib/index-*.js partial bundles. Built by build.mjs; see README.md.
// Keep this list in step with dashboard/figures.py (go.* and add_* calls).
'use strict';

var Plotly = require('plotly.js/lib/core');

Plotly.register([
    // traces
    require('plotly.js/lib/bar'), // time series, language/country bars, needs, remittance uses
    require('plotly.js/lib/choropleth'), // the area maps and the world map (SVG, geo subplot)
    require('plotly.js/lib/scattergeo'), // flow lines on the Ströme map
]);

// One addition to plotly.js's API: redraw a graph's colour bars alone. assets/gate.js
// recolours a map in place after a filter change (new values, same areas) and needs its
// legend redrawn for the new range; a restyle would first re-run every default of the map.
Plotly.drawColorBars = require('plotly.js/src/registry').getComponentMethod('colorbar', 'draw');

module.exports = Plotly;
