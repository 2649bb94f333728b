// plotly.js fetches a base-map topojson from cdn.plot.ly for every geo subplot, even one
// whose base layers are hidden. Our maps draw only their own GeoJSON (from /geo/), so
// register an empty base map under the name plotly.js looks for: nothing leaves the server.
window.PlotlyGeoAssets = window.PlotlyGeoAssets || { topojson: {} };
window.PlotlyGeoAssets.topojson.world_110m = { type: "Topology", objects: {}, arcs: [] };
