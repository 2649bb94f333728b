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

module.exports = Plotly;
