// The theme choice, kept in cookies so the server renders the first paint in the right theme (no flash of light on a
// dark screen): sla-theme holds the person's own choice ("dark" or "light"; absent = follow the system), and
// sla-system-theme the system preference last seen here, used only until the page has asked the browser again.
// Loaded as a module from this origin (the Content-Security-Policy allows no inline script).
const year = 60 * 60 * 24 * 365;

function write(name, value) {
  const secure = location.protocol === 'https:' ? '; secure' : '';
  document.cookie = value
    ? `${name}=${value}; path=/; max-age=${year}; samesite=lax${secure}`
    : `${name}=; path=/; max-age=0; samesite=lax${secure}`;
}

/** The person's own choice: "dark", "light", or null to follow the system. */
export function readChoice() {
  const match = document.cookie.split('; ').find(c => c.startsWith('sla-theme='));
  const value = match ? match.substring('sla-theme='.length) : null;
  return value === 'dark' || value === 'light' ? value : null;
}

/** Remembers the choice (null forgets it) and marks the document, whose data-theme the stylesheet reads. */
export function writeChoice(choice) {
  write('sla-theme', choice === 'dark' || choice === 'light' ? choice : null);
}

/** Marks the document with the theme in force and remembers the system preference for the next first paint. */
export function applied(dark, systemDark) {
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  write('sla-system-theme', systemDark ? 'dark' : 'light');
}
