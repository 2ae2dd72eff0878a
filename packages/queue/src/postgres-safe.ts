/**
 * Text Postgres refuses: a NUL character (text and jsonb cannot hold one) and a lone UTF-16
 * surrogate (jsonb rejects its `\uD800` escape; as text it would silently become U+FFFD).
 */
// eslint-disable-next-line no-control-regex -- finding NUL is the point
const UNSAFE = /[\u0000\ud800-\udfff]/;
// eslint-disable-next-line no-control-regex -- finding NUL is the point
const NUL = /\u0000/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * In JSON text, a NUL or a surrogate can only be an escape (`JSON.stringify` escapes NUL and lone
 * surrogates; JSON.parse refuses a raw NUL, and UTF-8 from Redis cannot carry a lone surrogate).
 */
const UNSAFE_ESCAPE = /\\u(?:0000|d[89a-f])/i;

/**
 * False when JSON text cannot hold unsafe text once parsed: one scan of the text instead of a
 * walk of the value. True is a maybe (a literal `\\u0000` written as text matches too): walk it.
 */
export function jsonMayHoldUnsafeText(json: string): boolean {
  return UNSAFE_ESCAPE.test(json);
}

/**
 * `JSON.stringify` of `postgresSafe(value)`: the common clean value is stringified once and
 * checked by one scan, walked and copied only when the text shows a NUL or surrogate escape.
 */
export function postgresSafeJson(value: unknown): string {
  const json = JSON.stringify(value);
  return jsonMayHoldUnsafeText(json) ? JSON.stringify(sanitize(value)) : json;
}

/** True when a string holds a NUL or a lone surrogate (paired surrogates are fine). */
export function isUnsafeText(text: string): boolean {
  if (!UNSAFE.test(text)) return false;
  return text.includes("\u0000") || new RegExp(LONE_SURROGATE.source).test(text);
}

/**
 * Makes a string storable: NUL becomes the six characters `\u0000` (readable, and shows what was
 * there), a lone surrogate becomes U+FFFD (what a UTF-8 decoder would show for it).
 */
export function postgresSafeText(text: string): string {
  if (!UNSAFE.test(text)) return text;
  return text.replace(NUL, "\\u0000").replace(LONE_SURROGATE, "\uFFFD");
}

/**
 * The same for a JSON-like value: every string and every object key, at any depth. Returns the
 * value itself when nothing needed changing (the common case costs one walk, no copy).
 */
export function postgresSafe<T>(value: T): T {
  return sanitize(value) as T;
}

function sanitize(value: unknown): unknown {
  if (typeof value === "string") return postgresSafeText(value);
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const list: readonly unknown[] = value;
    let copy: unknown[] | undefined;
    for (let i = 0; i < list.length; i++) {
      const next = sanitize(list[i]);
      if (next !== list[i]) (copy ??= [...list])[i] = next;
    }
    return copy ?? list;
  }
  // toJSON (Date and the like) decides what is stored: sanitize that instead.
  const json = (value as { toJSON?: unknown }).toJSON;
  if (typeof json === "function") return sanitize((json as () => unknown).call(value));
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const safeKey = postgresSafeText(key);
    const next = sanitize(inner);
    if (safeKey !== key || next !== inner) changed = true;
    out[safeKey] = next;
  }
  return changed ? out : value;
}

/** True when any string or key in a JSON-like value is unsafe (the mirror's check on what it reads). */
export function hasUnsafeText(value: unknown): boolean {
  if (typeof value === "string") return isUnsafeText(value);
  if (value === null || typeof value !== "object") return false;
  if (Array.isArray(value)) return value.some(hasUnsafeText);
  return Object.entries(value).some(([key, inner]) => isUnsafeText(key) || hasUnsafeText(inner));
}
