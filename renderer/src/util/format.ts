const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 12412125184 -> "11.6 GiB". */
export function formatBytes(bytes: number | undefined): string {
  if (!bytes || bytes <= 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${UNITS[unit]}`;
}

/** A time in seconds since the epoch (as the spec gives them), in the engineer's language. */
export function formatTime(seconds: number | null | undefined, locale: string): string {
  if (!seconds) return '—';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' }).format(
    new Date(seconds * 1000),
  );
}

export function formatDuration(start: number, end: number): string {
  if (!start || !end || end < start) return '';
  const s = end - start;
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${s % 60}s`;
}
