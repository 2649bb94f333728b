// "Copy link" (dashboard/callbacks.py, the "share" clientside callback): copy the link of
// this view and say so in the status line (aria-live, read out by screen readers). The
// clipboard API exists only in secure contexts (https, localhost); elsewhere the older
// copy command is tried, and failing that the link is selected for Ctrl+C.
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  share: {
    copy: async function (_clicks, link, messages) {
      try {
        await navigator.clipboard.writeText(link);
        return messages.copied;
      } catch (error) {
        // No clipboard API here, or permission refused: fall through to the selection.
      }
      const field = document.getElementById("share-url");
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
  },
});
