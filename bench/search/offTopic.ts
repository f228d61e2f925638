/**
 * Questions nothing in the benchmark corpus (npm's and SQLite's documentation) answers, written
 * before any result was seen: what the weak-match label must catch. A few share common words
 * with the corpus ("install", "schedule", "lock"), as real off-topic questions do.
 */
export const OFF_TOPIC_QUERIES = [
  'quantum chromodynamics lattice gauge',
  'sourdough starter feeding schedule',
  'how long to boil an egg',
  'symptoms of vitamin d deficiency',
  'best time to plant tomatoes',
  'offside rule in football',
  'baroque violin sonatas',
  'how to install a bicycle chain',
  'income tax deduction for a home office',
  'migration of arctic terns',
  'knitting a cable stitch',
  'how do volcanoes form',
  'train from Paris to Lyon timetable',
  'repair a leaking kitchen tap',
  'lock screen wallpaper on my phone',
  'renaissance fresco painting technique',
];
