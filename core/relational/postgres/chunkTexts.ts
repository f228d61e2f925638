import type { SqlRunner } from './sqlRunner';

type Row = Record<string, unknown>;

/**
 * Ranked chunk rows (with `id` and `chars`, the text's length) given their text as `content`,
 * read in groups of at most `budget` characters, a longer text in pieces: a Data API response
 * holds at most 1 MiB. A chunk deleted meanwhile is left out.
 */
export async function withChunkTexts(sql: SqlRunner, rows: Row[], budget: number): Promise<Row[]> {
  const texts = new Map<string, string>();
  let group: string[] = [];
  let size = 0;
  const flush = async () => {
    if (!group.length) return;
    const { rows: found } = await sql.query<Row>(
      `SELECT id, body FROM keyword_chunks
       WHERE id = ANY (ARRAY(SELECT CAST(x AS bigint) FROM json_array_elements_text(CAST(:ids AS json)) AS x))`,
      { ids: JSON.stringify(group) },
    );
    for (const r of found) texts.set(String(r.id), String(r.body));
    group = [];
    size = 0;
  };
  for (const r of rows) {
    const id = String(r.id);
    const chars = Number(r.chars);
    if (chars > budget) {
      const text = await longText(sql, id, chars, budget);
      if (text !== undefined) texts.set(id, text);
      continue;
    }
    if (size + chars > budget) await flush();
    group.push(id);
    size += chars;
  }
  await flush();
  return rows.filter((r) => texts.has(String(r.id))).map((r) => ({ ...r, content: texts.get(String(r.id)) }));
}

/** One chunk's text in pieces of `budget` characters (substr counts characters, as length() does). */
async function longText(sql: SqlRunner, id: string, chars: number, budget: number): Promise<string | undefined> {
  const parts: string[] = [];
  for (let from = 1; from <= chars; from += budget) {
    const { rows } = await sql.query<Row>(
      'SELECT substr(body, CAST(:from AS integer), CAST(:count AS integer)) AS part FROM keyword_chunks WHERE id = CAST(:id AS bigint)',
      { id, from, count: budget },
    );
    if (!rows[0]) return undefined;
    parts.push(String(rows[0].part));
  }
  return parts.join('');
}
