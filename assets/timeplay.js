// Issue 15 (dashboard/timeplay.py): play the years and the small multiples' addresses, both
// decided in the browser, without a callback request of their own.
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  ruhrTime: {
    // The play button and the interval's ticks: outputs are the interval's `disabled`, the
    // year mode, the single-year slider, the button's text and the text read out.
    play: function (_clicks, _ticks, disabled, year, min, max, mode, texts) {
      const skip = window.dash_clientside.no_update;
      const triggered = window.dash_clientside.callback_context.triggered || [];
      const tick = triggered.some((t) => t.prop_id === "year-tick.n_intervals");
      const said = (y) => texts.year.replace("{year}", y);
      if (tick) {
        if (disabled) return [skip, skip, skip, skip, skip];
        const next = Math.min((year ?? min) + 1, max);
        const end = next >= max; // the last year shown: stop
        return [end, skip, next, end ? texts.play : skip, said(next)];
      }
      if (!disabled) return [true, skip, skip, texts.play, said(year)]; // pause
      const single = mode === "single";
      const start = single && year < max ? year : min;
      return [false, single ? skip : "single", start === year ? skip : start, texts.pause,
        said(start)];
    },
    // The addresses (and alt texts) of the maps per year and of their common legend; each
    // map outlines the selected municipalities (the selection and those compared with it).
    // Nothing is fetched until the section is first opened (a click on its summary).
    smallMultiples: function (metric, types, country, selection, compare, opened, lang, texts) {
      if (!opened) return Array(24).fill(window.dash_clientside.no_update);
      const codes = [selection, ...(selection ? compare || [] : [])]
        .filter((a) => a && a.side === "municipality").map((a) => a.code);
      const query = new URLSearchParams({
        metric: metric, type: (types || []).join(","), country: country || "both",
        lang: lang || "de",
      });
      const legend = `/small-multiples/legend.svg?${query}`; // the same for any selection
      if (codes.length) query.set("sel", codes.map((code) => `m:${code}`).join(","));
      const label = texts.labels[metric] || metric;
      const outlined = codes.length
        ? ", " + texts.outlined.replace("{names}", codes.map((c) => texts.names[c]).join(", "))
        : "";
      const out = [];
      for (let year = 2014; year <= 2024; year++) {
        out.push(`/small-multiples/${year}.svg?${query}`,
          texts.alt.replace("{metric}", label).replace("{year}", year) + outlined);
      }
      out.push(legend, texts.legend.replace("{metric}", label));
      return out;
    },
  },
});
