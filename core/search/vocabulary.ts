const LETTERS = /\p{L}+/gu;

/**
 * The distinct words of a text as the "did you mean" vocabulary keeps them: lower-case runs of
 * letters, 3–30 long (codes, numbers, hashes and base64 are not words anyone misspells).
 */
export function vocabularyWords(text: string): Set<string> {
  const words = new Set<string>();
  for (const [word] of text.matchAll(LETTERS)) {
    if (word.length >= 3 && word.length <= 30) words.add(word.toLowerCase());
  }
  return words;
}
