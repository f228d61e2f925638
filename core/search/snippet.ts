const WORD = /[\p{L}\p{N}]+/gu;

/**
 * The part of a chunk worth showing for a query: the window of `maxLength` characters holding the
 * most query words, cut at word boundaries, with ellipses where text was left out.
 */
export function makeSnippet(content: string, query: string, maxLength = 280): string {
  const text = content.replace(/\s+/g, ' ').trim();
  if (text.length <= maxLength) return text;
  const terms = new Set((query.toLowerCase().match(WORD) ?? []).filter((t) => t.length > 2));
  const hits: number[] = [];
  for (const m of text.matchAll(WORD)) {
    if (terms.has(m[0].toLowerCase())) hits.push(m.index ?? 0);
  }
  // Slide a window over the hit positions and keep the start that covers the most hits.
  let bestStart = 0;
  let bestCount = 0;
  for (let i = 0, j = 0; i < hits.length; i++) {
    while ((hits[j] as number) < (hits[i] as number) - maxLength + 40) j++;
    if (i - j + 1 > bestCount) {
      bestCount = i - j + 1;
      bestStart = Math.max(0, (hits[j] as number) - 40);
    }
  }
  let start = Math.min(bestStart, text.length - maxLength);
  if (start > 0) {
    const space = text.indexOf(' ', start);
    if (space >= 0 && space < start + 30) start = space + 1;
  }
  let end = Math.min(text.length, start + maxLength);
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    if (space > start + maxLength / 2) end = space;
  }
  return `${start > 0 ? '… ' : ''}${text.slice(start, end)}${end < text.length ? ' …' : ''}`;
}
