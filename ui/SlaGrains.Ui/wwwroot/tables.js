// A table wider than a phone's screen scrolls sideways inside MudBlazor's .mud-table-container, and a region that
// scrolls must be reachable from the keyboard (WCAG 2.1.1; axe-core's scrollable-region-focusable): each container
// gets tabindex="0", so arrow keys scroll it once focused. MudBlazor renders that element without a way to pass
// attributes to it, so they are added here, to tables present now and to those Blazor renders later.
(function () {
  const selector = '.mud-table-container';

  function mark(root) {
    if (root.nodeType !== Node.ELEMENT_NODE) {
      return;
    }
    const containers = root.matches(selector) ? [root] : root.querySelectorAll(selector);
    for (const container of containers) {
      if (!container.hasAttribute('tabindex')) {
        container.setAttribute('tabindex', '0');
      }
    }
  }

  function start() {
    mark(document.body);
    new MutationObserver(changes => {
      for (const change of changes) {
        for (const node of change.addedNodes) {
          mark(node);
        }
      }
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
