// Tells the server the browser's time zone (an IANA id such as Europe/Berlin) in the sla-browser-zone cookie, so times
// are shown in it from the first paint of the next page until the person picks a zone of their own on the settings
// page. Runs on every page, the sign-in page included, so the cookie is there when the first signed-in page is asked for.
(function () {
  let zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return;
  }
  if (!zone || zone.length > 64) {
    return;
  }
  const value = encodeURIComponent(zone);
  if (document.cookie.split('; ').includes(`sla-browser-zone=${value}`)) {
    return;
  }
  const secure = location.protocol === 'https:' ? '; secure' : '';
  document.cookie = `sla-browser-zone=${value}; path=/; max-age=${60 * 60 * 24 * 365}; samesite=lax${secure}`;
})();
