// The headless mode's API token arrives once in the address's fragment (`#token=...`, printed by
// `topke serve`); a fragment never reaches the server or its logs. It is kept for this tab only.
const KEY = 'topke.apiToken';

/** Moves a token from the address bar into session storage, and returns the token to use. */
export function takeApiToken(
  location: Location,
  history: History,
  storage: Storage,
): string | null {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (match?.[1]) {
    storage.setItem(KEY, decodeURIComponent(match[1]));
    history.replaceState(history.state, '', `${location.pathname}${location.search}#/`);
  }
  return storage.getItem(KEY);
}

export function forgetApiToken(storage: Storage): void {
  storage.removeItem(KEY);
}
