// Countdowns tick in the browser from the deadlines the server sent: no server round-trip per tick.
// Any element with data-deadline (ISO 8601 instant) shows the time left until it, or how long ago it passed.
(function () {
  function format(ms) {
    const total = Math.floor(Math.abs(ms) / 1000);
    const h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
    const text = (h > 0 ? h + 'h ' : '') + String(m).padStart(2, '0') + 'm ' + String(s).padStart(2, '0') + 's';
    return ms >= 0 ? text : 'overdue ' + text;
  }
  function tick() {
    const now = Date.now();
    document.querySelectorAll('[data-deadline]').forEach(function (el) {
      const due = Date.parse(el.getAttribute('data-deadline'));
      if (!isNaN(due)) { el.textContent = format(due - now); }
    });
  }
  setInterval(tick, 1000);
  tick();
})();
