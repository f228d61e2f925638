import { Parser } from 'htmlparser2';
import { decodeText } from '../decodeText';
import type { Heading } from './types';

const HEADING = /^h([1-6])$/;

/** Elements whose content is never readable text (code, styling, navigation chrome, embedded media). */
const SKIPPED = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'nav',
  'svg',
  'math',
  'iframe',
  'object',
  'canvas',
  'select',
  'button',
  'head',
]);

/** Elements that start a new line of text. */
const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'br', 'caption', 'dd', 'details', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr',
  'html', 'li', 'main', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'td', 'tfoot', 'th',
  'thead', 'title', 'tr', 'ul',
]);

/** Void elements never get a close tag, so they must not open a skipped region. */
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

/**
 * Readable text of an HTML page: the title and body text with entities decoded, one line per block
 * element, without scripts, styles or navigation; h1–h6 stay lines of their own and are returned
 * as the page's headings, so chunking can split by them.
 */
export function parseHtml(bytes: Uint8Array, fileName: string): { text: string; headings: Heading[] } {
  const html = decodeText(bytes, fileName);
  const lines: { text: string; level?: number }[] = [];
  let current = '';
  let skipDepth = 0;
  let title = '';
  let inTitle = false;
  let headingLevel: number | undefined;

  const breakLine = (): void => {
    const line = current.replace(/\s+/g, ' ').trim();
    if (line) lines.push(headingLevel ? { text: line, level: headingLevel } : { text: line });
    current = '';
  };

  const parser = new Parser(
    {
      onopentag(name) {
        if (name === 'title') inTitle = true;
        if (SKIPPED.has(name) && !VOID.has(name)) skipDepth += 1;
        if (skipDepth === 0 && BLOCKS.has(name)) breakLine();
        const h = HEADING.exec(name);
        if (h && skipDepth === 0) headingLevel = Number(h[1]);
      },
      ontext(data) {
        if (inTitle) title += data;
        if (skipDepth === 0) current += data;
      },
      onclosetag(name) {
        if (name === 'title') inTitle = false;
        if (SKIPPED.has(name) && !VOID.has(name)) skipDepth = Math.max(0, skipDepth - 1);
        else if (skipDepth === 0 && BLOCKS.has(name)) breakLine();
        if (HEADING.test(name)) headingLevel = undefined;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, recognizeSelfClosing: true },
  );
  parser.write(html);
  parser.end();
  breakLine();

  const titleLine = title.replace(/\s+/g, ' ').trim();
  if (titleLine && lines[0]?.text !== titleLine) lines.unshift({ text: titleLine });

  const headings: Heading[] = [];
  let offset = 0;
  for (const line of lines) {
    if (line.level) headings.push({ level: line.level, title: line.text, charStart: offset, charEnd: offset + line.text.length });
    offset += line.text.length + 1;
  }
  return { text: lines.map((l) => l.text).join('\n'), headings };
}
