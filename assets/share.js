// "Copy link" (dashboard/callbacks.py, the "share" clientside callback): copy the link of
// this view and say so in the status line (aria-live, read out by screen readers). The
// clipboard API exists only in secure contexts (https, localhost); elsewhere the older
// copy command is tried, and failing that the link is selected for Ctrl+C. A curated
// view's embed snippet (dashboard/embed.py) copies the same way from its own field
// (``messages.field``).
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  share: {
    copy: async function (_clicks, link, messages) {
      try {
        await navigator.clipboard.writeText(link);
        return messages.copied;
      } catch (error) {
        // No clipboard API here, or permission refused: fall through to the selection.
      }
      const field = document.getElementById(messages.field || "share-url");
      if (field) {
        const button = document.activeElement;
        field.focus();
        field.select();
        try {
          if (document.execCommand("copy")) {
            button?.focus(); // copied: the keyboard stays where it was
            return messages.copied;
          }
        } catch (error) {
          // Old command unavailable: the selected text is left for the keyboard.
        }
      }
      return messages.selected;
    },
    // A curated view's link (this page in its language) and the <iframe> code that embeds
    // it (the same address with embed=1), from the address the reader reached.
    viewLinks: function (data) {
      const link = new URL(window.location.pathname.replace(/\/+$/, ""), window.location.href);
      link.search = new URLSearchParams({ lang: data.lang }).toString();
      const embedded = new URL(link.href);
      embedded.searchParams.set("embed", "1");
      const attr = (text) =>
        String(text).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
      const code =
        `<iframe src="${attr(embedded.href)}" title="${attr(data.title)}" ` +
        `width="100%" height="${data.height}" style="border:0" loading="lazy"></iframe>`;
      return [link.href, code];
    },
  },
});
