import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexAndWait, startTestService, type TestService } from '../helpers/service';
import { writeFiles } from '../helpers/corpus';
import { tempDir } from '../helpers/tempDir';

describe('indexing documents beyond plain text', () => {
  const files = tempDir();
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService();
  });
  afterAll(async () => {
    await t.dispose();
    files.cleanup();
  });

  it('indexes HTML as readable text, CSV rows and JSON values, and searches them by meaning', async () => {
    const paths = writeFiles(files.path, {
      'page.html':
        '<html><head><title>Volcano notes</title><style>.x{color:red}</style><script>var lava = "hidden";</script></head>' +
        '<body><nav>Home | About</nav><h1>Volcanoes</h1><p>Molten lava and ash erupt from the mountain&apos;s crater.</p></body></html>',
      'people.csv': 'name,city\nAda,London\nGrace,Arlington\n',
      'recipe.json': JSON.stringify({ dish: 'bread', steps: ['mix flour and water', 'bake in the oven'] }),
      'photo.png': 'not really',
    });
    const jobs = await indexAndWait(t.service, paths);
    const byName = Object.fromEntries(jobs.map((j) => [j.fileName, j]));
    expect(byName['page.html']?.state).toBe('done');
    expect(byName['people.csv']?.state).toBe('done');
    expect(byName['recipe.json']?.state).toBe('done');
    expect(byName['photo.png']).toMatchObject({ state: 'failed', error: { kind: 'UnsupportedFile', message: expect.stringContaining('.pdf') } });

    const volcano = await t.service.search({ query: 'eruption of a mountain', k: 1 });
    expect(volcano.hits[0]?.documentName).toBe('page.html');
    expect(volcano.hits[0]?.snippet).toContain('Molten lava');
    expect(volcano.hits[0]?.snippet).not.toMatch(/<p>|color:red|var lava/);
    expect((await t.service.search({ query: 'bake flour', k: 1 })).hits[0]?.documentName).toBe('recipe.json');
    expect((await t.service.search({ query: 'city London', k: 3 })).hits.map((h) => h.documentName)).toContain('people.csv');
  });
});
