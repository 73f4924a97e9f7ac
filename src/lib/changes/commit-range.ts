import { safeExternalUrl } from '../site/urls.js';

/** `0123456789ab → fedcba987654`, `(none) → …` for a new source, `… (unchanged)` when equal. */
export function commitRangeText(from: string | null, to: string | null): string {
  const s = (c: string | null) => (c ? c.slice(0, 12) : '(none)');
  if (from && to && from === to) return `${s(to)} (unchanged)`;
  return `${s(from)} → ${s(to)}`;
}

/** The upstream compare view of a commit range, for GitHub repositories with both commits known. */
export function compareUrl(repo: string | null, from: string | null, to: string | null): string | null {
  if (!repo || !from || !to || from === to || !/^https:\/\/github\.com\/[^/]+\/[^/]+/.test(repo)) return null;
  if (!/^[0-9a-f]{7,64}$/i.test(from) || !/^[0-9a-f]{7,64}$/i.test(to)) return null;
  return safeExternalUrl(`${repo.replace(/\.git$/, '').replace(/\/$/, '')}/compare/${from}...${to}`);
}
