/** The placeholder of `.env.example`: a copied `.env` must not run with a published key. */
export const EXAMPLE_JWT_SECRET = "change-me-to-at-least-32-random-characters";

/** Fewest bits a token-signing secret must carry (estimated: see {@link secretWeakness}). */
export const MIN_SECRET_BITS = 128;
const GENERATE_ONE = "generate one (e.g. `openssl rand -base64 32`)";
/** Fewest distinct characters: a secret of few symbols is a word or a pattern, not random. */
export const MIN_SECRET_DISTINCT = 10;

/** Length of the shortest unit the text repeats (`abcabcab` → 3), or its length when it repeats nothing. */
function period(text: string): number {
  // Knuth–Morris–Pratt failure function: the longest proper border gives the period.
  const border = new Array<number>(text.length).fill(0);
  for (let i = 1, k = 0; i < text.length; i++) {
    while (k > 0 && text[i] !== text[k]) k = border[k - 1] ?? 0;
    if (text[i] === text[k]) k++;
    border[i] = k;
  }
  return text.length - (border[text.length - 1] ?? 0);
}

/**
 * Why a secret is too weak to sign tokens, or null when it will do. Its strength is estimated as
 * (length of its non-repeating part) × log2(distinct characters): a random 32-byte key in base64
 * or hex scores 190–256 bits; a word, a repeated pattern or the `.env.example` placeholder fails.
 */
export function secretWeakness(secret: string): string | null {
  if (secret === EXAMPLE_JWT_SECRET || /change[-_ ]?me/i.test(secret)) {
    return "is the .env.example placeholder; generate a secret (e.g. `openssl rand -base64 32`)";
  }
  // Code points, not UTF-16 units: what a secret is typed in.
  const chars = Array.from(secret);
  const distinct = new Set(chars).size;
  if (distinct < MIN_SECRET_DISTINCT) {
    return `has only ${distinct} distinct characters (at least ${MIN_SECRET_DISTINCT}); ${GENERATE_ONE}`;
  }
  const unit = period(secret);
  const bits = Math.floor(Math.min(unit, chars.length) * Math.log2(distinct));
  if (bits < MIN_SECRET_BITS) {
    const why = unit < secret.length ? ` (it repeats a ${unit}-character pattern)` : "";
    return `is too weak: about ${bits} bits of entropy${why}, at least ${MIN_SECRET_BITS} needed; ${GENERATE_ONE}`;
  }
  return null;
}
