import type { Locale } from '../i18n';

/** `138****5678`: the first three and the last four characters stay, the middle is starred. */
export function maskPhone(phone: string): string {
  const trimmed = phone.trim();
  if (trimmed.length >= 8) return `${trimmed.slice(0, 3)}${'*'.repeat(trimmed.length - 7)}${trimmed.slice(-4)}`;
  if (trimmed.length >= 4) return `${trimmed.slice(0, 1)}${'*'.repeat(trimmed.length - 3)}${trimmed.slice(-2)}`;
  return trimmed;
}

/** Time since the start of the call: `mm:ss`, or `h:mm:ss` past an hour. */
export function formatOffset(milliseconds: number): string {
  const totalSeconds = Math.max(0, Math.floor(milliseconds / 1000));
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const mmss = `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
  return hours > 0 ? `${hours}:${mmss}` : mmss;
}

export function formatDateTime(iso: string | null | undefined, locale: Locale): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(date);
}

/** A ratio 0..1 as a percentage: `0.9043` → `90.4%` with one decimal. */
export function formatPercent(ratio: number, fractionDigits = 0): string {
  return `${(ratio * 100).toFixed(fractionDigits)}%`;
}

/** A time of day, `HH:mm`; with the date (`MM-DD HH:mm`) when it is not today. */
export function formatClock(iso: string | null | undefined, locale: Locale, now: Date = new Date()): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (value: number) => String(value).padStart(2, '0');
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}`;
  const sameDay = date.getFullYear() === now.getFullYear() && date.getMonth() === now.getMonth() && date.getDate() === now.getDate();
  if (sameDay) return time;
  return locale === 'en' ? `${pad(date.getDate())}/${pad(date.getMonth() + 1)} ${time}` : `${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${time}`;
}
