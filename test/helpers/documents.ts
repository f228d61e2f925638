/**
 * Document fixtures built at test time: minimal but real PDF and .docx files, and a deterministic
 * mixed folder of documents (`writeMixedCorpus`) for end-to-end and benchmark runs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import JSZip from 'jszip';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A minimal PDF, one Helvetica text stream per page, with a correct xref table. */
export function makePdf(pageTexts: string[][], options: { encrypt?: boolean } = {}): Uint8Array {
  const objects: string[] = [];
  const fontId = 3;
  const kids: number[] = [];
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[fontId] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';
  let next = 4;
  for (const lines of pageTexts) {
    const pageId = next++;
    const contentId = next++;
    kids.push(pageId);
    const ops = lines.map((line, i) => `BT /F1 18 Tf 72 ${720 - i * 30} Td (${line}) Tj ET`).join('\n');
    objects[pageId] =
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 ${fontId} 0 R >> >> ` +
      `/Contents ${contentId} 0 R >>`;
    objects[contentId] = `<< /Length ${ops.length} >>\nstream\n${ops}\nendstream`;
  }
  objects[2] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`;
  let encryptRef = '';
  if (options.encrypt) {
    const id = next++;
    const hex32 = 'AB'.repeat(32);
    objects[id] = `<< /Filter /Standard /V 1 /R 2 /O <${hex32}> /U <${hex32}> /P -4 >>`;
    encryptRef = ` /Encrypt ${id} 0 R /ID [<${'01'.repeat(16)}> <${'01'.repeat(16)}>]`;
  }

  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = out.length;
    out += `${id} 0 obj\n${objects[id]}\nendobj\n`;
  }
  const xrefAt = out.length;
  out += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id++) out += `${String(offsets[id]).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length} /Root 1 0 R${encryptRef} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return utf8(out);
}

/** A paragraph; one written `# Title` or `## Title` gets Word's Heading 1 or Heading 2 style. */
const PARAGRAPH_XML = (p: string): string => {
  const heading = /^(#{1,2}) (.*)$/.exec(p);
  const style = heading ? `<w:pPr><w:pStyle w:val="Heading${heading[1]!.length}"/></w:pPr>` : '';
  return `<w:p>${style}<w:r><w:t>${heading ? heading[2] : p}</w:t></w:r></w:p>`;
};

const DOCUMENT_XML = (paragraphs: string[]): string =>
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
  '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>' +
  paragraphs.map(PARAGRAPH_XML).join('') +
  '</w:body></w:document>';

/** Word's built-in heading styles, as styles.xml names them (what mammoth maps to h1/h2). */
const STYLES_XML =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
  '<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
  '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>' +
  '<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/></w:style>' +
  '</w:styles>';

/** A real (minimal) .docx, built as a zip at test time; `# ` and `## ` paragraphs are Word headings. */
export async function makeDocx(paragraphs: string[], extra?: (zip: JSZip) => void): Promise<Uint8Array> {
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
      '</Types>',
  );
  zip.file(
    '_rels/.rels',
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
      '</Relationships>',
  );
  zip.file('word/document.xml', DOCUMENT_XML(paragraphs));
  zip.file('word/styles.xml', STYLES_XML);
  zip.file(
    'word/_rels/document.xml.rels',
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>' +
      '</Relationships>',
  );
  extra?.(zip);
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}

// --- A mixed folder of documents ---------------------------------------------------------------

export const CORPUS_FORMATS = ['md', 'txt', 'html', 'pdf', 'docx', 'csv', 'json', 'ts', 'py'] as const;
export type CorpusFormat = (typeof CORPUS_FORMATS)[number];

/** Share of the files in each format (a notes folder: mostly Markdown and text). */
const FORMAT_SHARE: Record<CorpusFormat, number> = {
  md: 0.22, txt: 0.14, html: 0.1, pdf: 0.1, docx: 0.1, csv: 0.07, json: 0.08, ts: 0.1, py: 0.09,
};

export interface CorpusFile {
  path: string;
  format: CorpusFormat;
  /** Size on disk. */
  bytes: number;
  topic: string;
}

export interface MixedCorpus {
  root: string;
  paths: string[];
  files: CorpusFile[];
  totalBytes: number;
  byFormat: Record<CorpusFormat, { files: number; bytes: number }>;
}

/**
 * Writes `files` documents under `root`: nested folders, Markdown with #/##/### headings, plain
 * text, HTML pages with navigation and scripts, multi-page PDFs, .docx, CSV tables, JSON records
 * and TypeScript/Python sources, on a dozen topics, from ~200 bytes to ~200 KB (about 1% up to
 * ~800 KB). The same `seed` writes the same bytes, so runs are comparable.
 */
export async function writeMixedCorpus(root: string, { files, seed }: { files: number; seed: number | string }): Promise<MixedCorpus> {
  const rng = seededRandom(seed);
  const formats = shuffle(allocate(files), rng);
  const written: CorpusFile[] = [];
  for (let i = 0; i < files; i++) {
    const format = formats[i] as CorpusFormat;
    const topic = pick(TOPIC_LIST, rng);
    const prose = new Prose(topic, rng);
    const title = prose.title();
    const rel = join(...folderFor(topic, rng), `${slug(title)}-${String(i + 1).padStart(4, '0')}.${format}`);
    const content = await RENDER[format](prose, title, targetSize(rng));
    const path = join(root, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    written.push({ path, format, bytes: typeof content === 'string' ? Buffer.byteLength(content) : content.byteLength, topic: topic.id });
  }
  const byFormat = Object.fromEntries(CORPUS_FORMATS.map((f) => [f, { files: 0, bytes: 0 }])) as MixedCorpus['byFormat'];
  for (const f of written) {
    byFormat[f.format].files++;
    byFormat[f.format].bytes += f.bytes;
  }
  return { root, paths: written.map((f) => f.path), files: written, totalBytes: written.reduce((n, f) => n + f.bytes, 0), byFormat };
}

type Rng = () => number;

/** mulberry32 seeded with FNV-1a of the seed: small, fast and the same on every platform. */
function seededRandom(seed: number | string): Rng {
  let h = 0x811c9dc5;
  for (const ch of String(seed)) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(xs: readonly T[], rng: Rng): T => xs[Math.floor(rng() * xs.length)] as T;
const between = (lo: number, hi: number, rng: Rng) => lo + Math.floor(rng() * (hi - lo + 1));
const logUniform = (lo: number, hi: number, rng: Rng) => Math.round(lo * Math.pow(hi / lo, rng()));

function shuffle<T>(xs: T[], rng: Rng): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [xs[i], xs[j]] = [xs[j] as T, xs[i] as T];
  }
  return xs;
}

/** Exactly `n` formats in FORMAT_SHARE's proportions (largest remainder), so small runs still mix. */
function allocate(n: number): CorpusFormat[] {
  const exact = CORPUS_FORMATS.map((f) => ({ f, x: FORMAT_SHARE[f] * n }));
  const counts = new Map(exact.map(({ f, x }) => [f, Math.floor(x)]));
  let left = n - [...counts.values()].reduce((a, b) => a + b, 0);
  for (const { f } of [...exact].sort((a, b) => (b.x % 1) - (a.x % 1))) {
    if (left-- <= 0) break;
    counts.set(f, (counts.get(f) ?? 0) + 1);
  }
  return CORPUS_FORMATS.flatMap((f) => Array<CorpusFormat>(counts.get(f) ?? 0).fill(f));
}

/** Target text size in bytes: most files small, a quarter mid-sized, about 1% large. */
function targetSize(rng: Rng): number {
  const r = rng();
  if (r < 0.74) return logUniform(200, 16_000, rng);
  if (r < 0.99) return logUniform(16_000, 200_000, rng);
  return logUniform(200_000, 800_000, rng);
}

const TOP_FOLDERS = ['notes', 'projects', 'reference', 'archive', 'inbox', 'work'];
const LEAF_FOLDERS = ['2021', '2022', '2023', '2024', 'drafts', 'old', 'meetings', 'research'];

/** 10% at the root, then one to three levels: area / topic / year or kind. */
function folderFor(topic: Topic, rng: Rng): string[] {
  const r = rng();
  if (r < 0.1) return [];
  const top = pick(TOP_FOLDERS, rng);
  if (r < 0.4) return [top];
  if (r < 0.8) return [top, topic.id];
  return [top, topic.id, pick(LEAF_FOLDERS, rng)];
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

// --- English-like prose on varied topics ---------------------------------------------------------

interface Topic {
  id: string;
  /** Titles of documents and sections. */
  titles: string[];
  /** Sentence subjects (singular, capitalised as at the start of a sentence). */
  subjects: string[];
  /** Third-person singular verbs. */
  verbs: string[];
  objects: string[];
  /** Phrases that end a sentence: when, where, why. */
  tails: string[];
  /** Whole sentences, as a writer on the topic would put them. */
  facts: string[];
  /** Nouns for identifiers, table values and tags. */
  terms: string[];
}

const TOPIC_LIST: Topic[] = [
  {
    id: 'gardening',
    titles: ['Growing tomatoes', 'Soil and compost', 'Pruning fruit trees', 'Watering schedule', 'Planting bulbs'],
    subjects: ['The gardener', 'A young tomato plant', 'Healthy soil', 'The compost heap', 'An apple tree', 'The vegetable bed'],
    verbs: ['needs', 'produces', 'absorbs', 'protects', 'shades', 'feeds'],
    objects: ['plenty of sunlight', 'a layer of mulch', 'nitrogen from the roots', 'young seedlings', 'ripe fruit', 'rain water', 'the clay soil', 'earthworms and fungi'],
    tails: ['in early spring', 'before the first frost', 'after a long dry spell', 'in a sheltered corner of the garden', 'every other morning', 'during the summer months'],
    facts: [
      'Plants capture energy from sunlight with chlorophyll in their green leaves.',
      'Compost turns kitchen scraps and fallen leaves into dark, crumbly humus.',
      'Prune fruit trees in late winter, while they are dormant, to shape them and let light in.',
      'Water deeply and less often, so the roots grow down toward the moisture.',
    ],
    terms: ['seedling', 'mulch', 'compost', 'harvest', 'soil moisture', 'fertiliser', 'greenhouse', 'pruning'],
  },
  {
    id: 'astronomy',
    titles: ['Observing Jupiter', 'The life of a star', 'Choosing a telescope', 'Eclipses explained', 'Dark sky sites'],
    subjects: ['The telescope', 'A distant galaxy', 'The observer', 'The planet Mars', 'A red giant star', 'The night sky'],
    verbs: ['reveals', 'emits', 'follows', 'reflects', 'outshines', 'crosses'],
    objects: ['faint nebulae', 'light from the core', 'an elliptical orbit', 'the rings of Saturn', 'the constellation Orion', 'a bright comet', 'the Milky Way', 'radio waves'],
    tails: ['on a clear moonless night', 'just after sunset', 'near the horizon', 'over millions of years', 'at high magnification', 'during the winter months'],
    facts: [
      'A star spends most of its life fusing hydrogen into helium in its core.',
      'Jupiter shows four bright moons even through a small pair of binoculars.',
      'A solar eclipse happens when the Moon passes between the Earth and the Sun.',
      'Light pollution from cities hides all but the brightest stars.',
    ],
    terms: ['telescope', 'orbit', 'galaxy', 'nebula', 'eclipse', 'magnitude', 'comet', 'light year'],
  },
  {
    id: 'finance',
    titles: ['Household budget', 'Income tax return', 'Saving for retirement', 'Paying off a mortgage', 'Index funds'],
    subjects: ['The household budget', 'An index fund', 'The tax office', 'A savings account', 'The mortgage lender', 'Every employee'],
    verbs: ['tracks', 'collects', 'earns', 'reduces', 'charges', 'records'],
    objects: ['monthly expenses', 'interest on deposits', 'income tax', 'a small annual fee', 'the remaining debt', 'pension contributions', 'capital gains', 'receipts and invoices'],
    tails: ['at the end of the fiscal year', 'before the filing deadline', 'over several decades', 'without much effort', 'each month', 'when rates go up'],
    facts: [
      'Income tax law sets the rates that citizens and companies pay on their earnings.',
      'A budget that lists every expense makes it easier to see where money goes.',
      'Low-cost index funds spread savings across hundreds of companies.',
      'Paying a little extra on a mortgage each month shortens the loan by years.',
    ],
    terms: ['budget', 'deduction', 'invoice', 'interest rate', 'pension', 'dividend', 'mortgage', 'tax return'],
  },
  {
    id: 'cooking',
    titles: ['Baking sourdough bread', 'A simple tomato sauce', 'Knife skills', 'Roasting vegetables', 'Making fresh pasta'],
    subjects: ['The baker', 'A good chef', 'The dough', 'The oven', 'A cast iron pan', 'The sauce'],
    verbs: ['kneads', 'browns', 'simmers', 'seasons', 'rests', 'bakes'],
    objects: ['the bread dough', 'onions and garlic', 'a pinch of salt', 'the crust until golden', 'fresh basil leaves', 'olive oil', 'the roasted peppers', 'a pot of stock'],
    tails: ['for about an hour', 'over a low flame', 'in a hot oven', 'until the kitchen smells wonderful', 'before serving', 'on a floured board'],
    facts: [
      'Mix flour, water, salt and yeast into a dough and let it rise for an hour.',
      'A sharp knife is safer than a dull one because it does not slip.',
      'Roasting vegetables at a high temperature caramelises their natural sugars.',
      'Fresh pasta needs only flour and eggs, and cooks in two or three minutes.',
    ],
    terms: ['recipe', 'dough', 'oven', 'sauce', 'flour', 'seasoning', 'simmer', 'ingredient'],
  },
  {
    id: 'football',
    titles: ['Match report', 'Training plan', 'The transfer window', 'Tactics and formations', 'Season review'],
    subjects: ['The striker', 'The home team', 'The coach', 'The goalkeeper', 'The midfield', 'The referee'],
    verbs: ['scores', 'defends', 'wins', 'presses', 'blocks', 'awards'],
    objects: ['two goals', 'the penalty area', 'the championship match', 'a free kick', 'the counter attack', 'the league title', 'the ball', 'a yellow card'],
    tails: ['in the second half', 'in front of a cheering crowd', 'late in stoppage time', 'after a long run down the wing', 'at the start of the season', 'for the third week in a row'],
    facts: [
      'The football team scored two goals in the second half and won the championship match.',
      'A four-four-two formation balances defence and attack across the pitch.',
      'Training sessions mix sprints, passing drills and small-sided games.',
      'The transfer window lets clubs sign new players twice a year.',
    ],
    terms: ['goal', 'striker', 'formation', 'penalty', 'league table', 'transfer', 'stadium', 'tactics'],
  },
  {
    id: 'history',
    titles: ['The Roman roads', 'The printing press', 'Medieval trade routes', 'The industrial revolution', 'Ancient libraries'],
    subjects: ['The empire', 'A medieval merchant', 'The printing press', 'The historian', 'The ancient city', 'The king'],
    verbs: ['builds', 'spreads', 'controls', 'records', 'taxes', 'defends'],
    objects: ['a network of paved roads', 'new ideas across Europe', 'the river crossings', 'the grain trade', 'handwritten manuscripts', 'the coastal towns', 'silk and spices', 'the old city walls'],
    tails: ['in the twelfth century', 'after the war', 'for several generations', 'across the Mediterranean', 'during the long winter siege', 'long before the railways'],
    facts: [
      'Roman engineers built roads that carried armies and trade for centuries.',
      'The printing press made books cheaper and spread literacy across Europe.',
      'Steam engines powered the factories of the industrial revolution.',
      'The great library of Alexandria collected scrolls from across the known world.',
    ],
    terms: ['empire', 'manuscript', 'trade route', 'archive', 'dynasty', 'treaty', 'fortress', 'chronicle'],
  },
  {
    id: 'software',
    titles: ['Code review checklist', 'Deploying the service', 'Database migrations', 'Caching strategy', 'Incident postmortem'],
    subjects: ['The build server', 'A unit test', 'The database', 'The load balancer', 'The developer', 'The cache'],
    verbs: ['compiles', 'checks', 'stores', 'routes', 'refactors', 'invalidates'],
    objects: ['the release branch', 'every pull request', 'user sessions', 'incoming requests', 'the legacy module', 'stale entries', 'the schema migration', 'error logs'],
    tails: ['before each deployment', 'under heavy load', 'in production', 'after the outage', 'on every commit', 'within a few milliseconds'],
    facts: [
      'A migration changes the database schema in small, reversible steps.',
      'Code review catches bugs early and spreads knowledge across the team.',
      'A cache in front of a slow service trades freshness for speed.',
      'The postmortem lists what happened, why, and what will change.',
    ],
    terms: ['request', 'schema', 'deployment', 'cache entry', 'pull request', 'latency', 'queue', 'logger'],
  },
  {
    id: 'health',
    titles: ['Sleep and recovery', 'A balanced diet', 'Running for beginners', 'Vaccination schedule', 'Managing stress'],
    subjects: ['The doctor', 'Regular exercise', 'A balanced diet', 'The immune system', 'The patient', 'Good sleep'],
    verbs: ['improves', 'prevents', 'strengthens', 'monitors', 'lowers', 'supports'],
    objects: ['blood pressure', 'the risk of infection', 'heart health', 'daily energy levels', 'muscle recovery', 'stress hormones', 'vitamin intake', 'the sleep cycle'],
    tails: ['over a few weeks', 'in older adults', 'after surgery', 'when combined with rest', 'at every checkup', 'during the flu season'],
    facts: [
      'Adults need seven to nine hours of sleep a night to recover well.',
      'Vaccines train the immune system to recognise a virus before an infection.',
      'Walking thirty minutes a day lowers the risk of heart disease.',
      'Vegetables, whole grains and water are the base of a balanced diet.',
    ],
    terms: ['patient', 'symptom', 'dosage', 'heart rate', 'vaccine', 'nutrition', 'checkup', 'therapy'],
  },
  {
    id: 'travel',
    titles: ['Packing list', 'A week in Lisbon', 'Train journeys', 'Hiking in the Alps', 'Travel insurance'],
    subjects: ['The traveller', 'The night train', 'A mountain hut', 'The old town', 'The ferry', 'The guidebook'],
    verbs: ['visits', 'crosses', 'offers', 'recommends', 'reaches', 'explores'],
    objects: ['the harbour at dawn', 'a narrow mountain pass', 'warm meals and bunk beds', 'the cathedral square', 'the islands', 'local markets', 'the border', 'a quiet beach'],
    tails: ['on a rainy afternoon', 'during the high season', 'without a reservation', 'after a long day of walking', 'for a few euros', 'at the end of the valley'],
    facts: [
      'Pack light: a small bag makes trains, ferries and old streets much easier.',
      'Mountain huts in the Alps serve hot meals to hikers from June to September.',
      'Travel insurance covers cancelled flights, lost luggage and medical bills.',
      'The tram climbs the steep hills of the old town every few minutes.',
    ],
    terms: ['itinerary', 'ticket', 'passport', 'hostel', 'timetable', 'luggage', 'trail', 'booking'],
  },
  {
    id: 'music',
    titles: ['Learning the piano', 'Chord progressions', 'Recording at home', 'The history of jazz', 'Tuning a guitar'],
    subjects: ['The pianist', 'The orchestra', 'A jazz trio', 'The composer', 'The drummer', 'The choir'],
    verbs: ['plays', 'rehearses', 'improvises', 'writes', 'records', 'performs'],
    objects: ['a slow ballad', 'the second movement', 'a walking bass line', 'a new symphony', 'the chorus', 'scales and arpeggios', 'the final chord', 'a live album'],
    tails: ['in a minor key', 'every evening after dinner', 'at a concert hall', 'with a metronome', 'for a small audience', 'in a single take'],
    facts: [
      'Practising scales slowly with a metronome builds speed and accuracy.',
      'Jazz grew out of blues and ragtime in the early twentieth century.',
      'Most pop songs use a handful of chords in a repeating progression.',
      'A quiet room and one good microphone are enough to record at home.',
    ],
    terms: ['melody', 'chord', 'tempo', 'rhythm', 'harmony', 'recording', 'rehearsal', 'scale'],
  },
  {
    id: 'climate',
    titles: ['Weather station log', 'Sea level rise', 'Renewable energy', 'Drought and rainfall', 'Storm season'],
    subjects: ['The weather station', 'A warm ocean current', 'The wind farm', 'The glacier', 'Heavy rainfall', 'The solar panel'],
    verbs: ['measures', 'warms', 'generates', 'melts', 'floods', 'converts'],
    objects: ['air temperature and humidity', 'the coastal waters', 'clean electricity', 'the valley below', 'low-lying fields', 'sunlight into power', 'carbon dioxide levels', 'the river basin'],
    tails: ['every ten minutes', 'during the monsoon', 'over the last century', 'along the coast', 'in a warming world', 'on windy days'],
    facts: [
      'Greenhouse gases trap heat in the atmosphere and warm the planet.',
      'Wind and solar farms now produce a large share of new electricity.',
      'Glaciers store fresh water as ice and release it slowly in summer.',
      'Warmer oceans feed stronger storms and heavier rainfall.',
    ],
    terms: ['rainfall', 'temperature', 'humidity', 'emissions', 'forecast', 'wind speed', 'drought', 'sea level'],
  },
  {
    id: 'law',
    titles: ['Rental contract', 'Small claims court', 'Privacy policy', 'Employment rights', 'Writing a will'],
    subjects: ['The tenant', 'The contract', 'The court', 'The employer', 'The lawyer', 'The landlord'],
    verbs: ['signs', 'requires', 'reviews', 'protects', 'terminates', 'drafts'],
    objects: ['a written notice', 'the security deposit', 'personal data', 'the employment agreement', 'the final judgment', 'a clause on repairs', 'the rights of workers', 'the last will'],
    tails: ['within thirty days', 'before the hearing', 'under the new regulation', 'in writing', 'at the end of the lease', 'with two witnesses'],
    facts: [
      'A rental contract sets the rent, the deposit and who pays for repairs.',
      'Small claims courts settle modest disputes quickly without a lawyer.',
      'Privacy law gives people the right to see the data held about them.',
      'A will names who inherits and who looks after young children.',
    ],
    terms: ['contract', 'clause', 'tenant', 'deposit', 'judgment', 'notice period', 'liability', 'witness'],
  },
];

/** Subjects never start with a proper noun, so lower-casing the first letter is safe. */
const lower = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const camel = (s: string) => s.replace(/ (\w)/g, (_, c: string) => c.toUpperCase());
const pascal = (s: string) => capital(camel(s));
const snake = (s: string) => s.replace(/ /g, '_');

/** Sentences and paragraphs on one topic, with an occasional aside from another. */
class Prose {
  constructor(
    readonly topic: Topic,
    private readonly rng: Rng,
  ) {}

  pick<T>(xs: readonly T[]): T {
    return pick(xs, this.rng);
  }

  between(lo: number, hi: number): number {
    return between(lo, hi, this.rng);
  }

  chance(p: number): boolean {
    return this.rng() < p;
  }

  title(): string {
    const t = this.pick(this.topic.titles);
    return this.chance(0.4) ? `${t}: ${this.pick(['notes', 'summary', 'draft', 'overview', 'questions', 'part two'])}` : t;
  }

  private clause(topic = this.topic): string {
    return `${lower(this.pick(topic.subjects))} ${this.pick(topic.verbs)} ${this.pick(topic.objects)}`;
  }

  sentence(): string {
    const t = this.chance(0.08) ? this.pick(TOPIC_LIST) : this.topic;
    const s = this.pick(t.subjects);
    switch (this.between(0, 7)) {
      case 0:
        return this.pick(t.facts);
      case 1:
        return `${capital(this.clause(t))}, and ${this.clause(t)}.`;
      case 2:
        return `When ${this.clause(t)}, ${this.clause(t)} ${this.pick(t.tails)}.`;
      case 3:
        return `In most cases, ${this.clause(t)}.`;
      case 4:
        return `${capital(this.clause(t))} because ${this.clause(t)}.`;
      case 5:
        return `${this.pick(['Experts note that', 'It is worth remembering that', 'Many people forget that', 'As a rule,'])} ${this.clause(t)} ${this.pick(t.tails)}.`;
      default:
        return `${s} ${this.pick(t.verbs)} ${this.pick(t.objects)} ${this.pick(t.tails)}.`;
    }
  }

  paragraph(): string {
    return Array.from({ length: this.between(2, 7) }, () => this.sentence()).join(' ');
  }

  /** Paragraphs until about `bytes` characters (at least one). */
  paragraphs(bytes: number): string[] {
    const out: string[] = [];
    let size = 0;
    do {
      const p = this.paragraph();
      out.push(p);
      size += p.length + 2;
    } while (size < bytes);
    return out;
  }

  term(): string {
    return this.pick(this.topic.terms);
  }
}

const wrap = (text: string, width: number): string[] => {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
};

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapePdf = (s: string) => s.replace(/[\\()]/g, (c) => `\\${c}`);
const isoDate = (p: Prose) => `20${p.between(18, 24)}-${String(p.between(1, 12)).padStart(2, '0')}-${String(p.between(1, 28)).padStart(2, '0')}`;

type Renderer = (p: Prose, title: string, bytes: number) => string | Uint8Array | Promise<Uint8Array>;

/** Each format's writer: roughly `bytes` of content (of text, before a format's compression). */
const RENDER: Record<CorpusFormat, Renderer> = {
  md(p, title, bytes) {
    let out = `# ${title}\n\n${p.paragraph()}\n`;
    while (out.length < bytes) {
      out += `\n## ${p.pick(p.topic.titles)}\n\n${p.paragraph()}\n`;
      for (let i = p.between(0, 3); i > 0 && out.length < bytes; i--) {
        out += `\n### ${capital(p.term())}\n\n${p.paragraph()}\n`;
        if (p.chance(0.3)) out += `\n${Array.from({ length: p.between(2, 5) }, () => `- ${p.sentence()}`).join('\n')}\n`;
        if (p.chance(0.1)) out += `\nSee [${p.pick(p.topic.titles)}](${slug(p.pick(p.topic.titles))}.md) for more.\n`;
      }
    }
    return out;
  },
  txt(p, title, bytes) {
    const body = p.paragraphs(bytes - title.length);
    // Half the text files are hard-wrapped at 72 columns, as many editors and mail clients save them.
    const paragraphs = p.chance(0.5) ? body.map((para) => wrap(para, 72).join('\n')) : body;
    return `${title}\n\n${paragraphs.join('\n\n')}\n`;
  },
  html(p, title, bytes) {
    const nav = p.topic.titles.map((t) => `<a href="/${slug(t)}.html">${escapeXml(t)}</a>`).join(' | ');
    let body = `<h1>${escapeXml(title)}</h1>\n<p>${escapeXml(p.paragraph())}</p>\n`;
    while (body.length < bytes) {
      body += `<section>\n<h2>${escapeXml(p.pick(p.topic.titles))}</h2>\n`;
      for (let i = p.between(1, 4); i > 0; i--) body += `<p>${escapeXml(p.paragraph())}</p>\n`;
      if (p.chance(0.3)) body += `<ul>${Array.from({ length: p.between(2, 5) }, () => `<li>${escapeXml(p.sentence())}</li>`).join('')}</ul>\n`;
      body += '</section>\n';
    }
    return (
      `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${escapeXml(title)}</title>\n` +
      `<style>body { font-family: sans-serif; max-width: 42em; margin: auto }</style>\n` +
      `<script>window.analytics = { page: "${slug(title)}", track: function () { return true; } };</script>\n</head>\n` +
      `<body>\n<nav>${nav}</nav>\n<main>\n${body}</main>\n` +
      `<footer><p>Last updated ${isoDate(p)}.</p></footer>\n<script src="/assets/site.js"></script>\n</body>\n</html>\n`
    );
  },
  pdf(p, title, bytes) {
    const lines = [title, '', ...p.paragraphs(bytes).flatMap((para) => [...wrap(para, 60), ''])].map(escapePdf);
    const pages: string[][] = [];
    for (let i = 0; i < lines.length; i += 24) pages.push(lines.slice(i, i + 24));
    return makePdf(pages);
  },
  docx(p, title, bytes) {
    return makeDocx([title, ...p.paragraphs(bytes)].map(escapeXml));
  },
  csv(p, title, bytes) {
    const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
    let out = 'id,date,title,category,amount,notes\n';
    for (let id = 1; out.length < bytes; id++) {
      const row = [id, isoDate(p), quote(`${title} ${id}`), p.term(), (p.between(100, 99_999) / 100).toFixed(2), quote(p.sentence())];
      out += `${row.join(',')}\n`;
    }
    return out;
  },
  json(p, title, bytes) {
    const records: unknown[] = [];
    let size = 0;
    for (let id = 1; size < bytes; id++) {
      const record = {
        id,
        title: p.pick(p.topic.titles),
        published: isoDate(p),
        tags: Array.from({ length: p.between(1, 4) }, () => p.term()),
        summary: p.paragraph(),
        metrics: { views: p.between(0, 50_000), rating: p.between(10, 50) / 10 },
        draft: p.chance(0.2),
      };
      records.push(record);
      size += JSON.stringify(record).length + 4;
    }
    return `${JSON.stringify({ title, topic: p.topic.id, generated: isoDate(p), records }, null, 2)}\n`;
  },
  ts(p, title, bytes) {
    let out = `/**\n * ${title}.\n *\n${wrap(p.paragraph(), 90).map((l) => ` * ${l}`).join('\n')}\n */\n\n`;
    const type = pascal(p.term());
    const field = camel(p.term());
    out += `export interface ${type} {\n  id: string;\n  name: string;\n  createdAt: Date;\n  ${field}: number;\n}\n`;
    for (let i = 0; out.length < bytes; i++) {
      const name = `${p.pick(['load', 'update', 'summarise', 'validate', 'find', 'schedule'])}${pascal(p.term())}${i}`;
      out +=
        `\n/** ${p.sentence()} */\n` +
        `export function ${name}(items: ${type}[], limit = ${p.between(5, 100)}): ${type}[] {\n` +
        `  // ${p.sentence()}\n` +
        `  const selected = items.filter((item) => item.${field} > ${p.between(0, 10)}).slice(0, limit);\n` +
        `  return selected.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());\n}\n`;
    }
    return out;
  },
  py(p, title, bytes) {
    let out = `"""${title}.\n\n${wrap(p.paragraph(), 79).join('\n')}\n"""\n\nfrom dataclasses import dataclass\nfrom datetime import date\n\n\n`;
    const cls = pascal(p.term());
    out += `@dataclass\nclass ${cls}:\n    name: str\n    created: date\n    ${snake(p.term())}: float = 0.0\n`;
    for (let i = 0; out.length < bytes; i++) {
      const name = `${p.pick(['load', 'update', 'summarise', 'validate', 'find', 'schedule'])}_${snake(p.term())}_${i}`;
      out +=
        `\n\ndef ${name}(items: list[${cls}], limit: int = ${p.between(5, 100)}) -> list[${cls}]:\n` +
        `    """${p.sentence()}"""\n` +
        `    # ${p.sentence()}\n` +
        `    selected = [item for item in items if item.name][:limit]\n` +
        `    return sorted(selected, key=lambda item: item.created)\n`;
    }
    return out;
  },
};
