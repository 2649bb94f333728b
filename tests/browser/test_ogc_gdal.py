"""What a QGIS user does: add the layers by URL. GDAL's OAPIF driver (the one QGIS uses)
reads the live server's OGC API – Features and gets every feature with its attributes."""

import pyogrio


def test_gdal_reads_the_collections_by_url(live_server):
    source = f"OAPIF:{live_server}/ogc"
    layers = {name for name, _ in pyogrio.list_layers(source)}
    assert layers == {"municipalities", "origin_regions", "flows", "services"}
    frame = pyogrio.read_dataframe(source, layer="origin_regions", where="year = 2020")
    assert len(frame) == 70 * 4  # 70 regions × 4 migration types
    assert {"nuts3", "country", "arrivals", "departures", "net", "synthetic"} <= set(frame.columns)
    assert frame.crs.to_string() == "OGC:CRS84" and frame.geometry.is_valid.all()  # lon/lat WGS 84
    services = pyogrio.read_dataframe(source, layer="services")  # the KOSMATI coverage
    assert len(services) == 53 and {"ags", "dimensions_covered"} <= set(services.columns)
