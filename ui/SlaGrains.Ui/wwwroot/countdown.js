// Countdowns tick in the browser from the deadlines the server sent: no server round-trip per tick.
// Any element with data-deadline (ISO 8601 instant) shows the time left until it, or how long ago it passed, in the
// format of ClockDisplay.Format: "4 d 20 h 44 m", under an hour "44 m 27 s", past it "overdue 2 h 5 m".
(function () {
  function format(ms) {
    const total = ms >= 0 ? Math.floor(ms / 1000) : Math.ceil(-ms / 1000);
    const d = Math.floor(total / 86400), h = Math.floor((total % 86400) / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
    const text = d > 0 ? d + ' d ' + h + ' h ' + m + ' m' : h > 0 ? h + ' h ' + m + ' m' : m + ' m ' + s + ' s';
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
