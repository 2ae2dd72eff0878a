import { createClient, errorFromResponse, JobstreamError, type JobstreamClient } from "@jobstream/client";

/**
 * An answer of the API that was not 2xx, with the documented error code (`@jobstream/client`'s
 * error, so jobs calls and the calls below fail alike).
 */
export { JobstreamError as ApiRequestError };

/**
 * The typed client the hooks and pages use, on this origin. Every answer passes through here, so a
 * 401 (the token expired or was revoked) ends the session whichever call or stream met it.
 */
export function createJobstream(token: string, onUnauthorized: () => void): JobstreamClient {
  return createClient({
    baseUrl: window.location.origin,
    token,
    fetch: async (input, init) => {
      const res = await fetch(input, init);
      if (res.status === 401) onUnauthorized();
      return res;
    },
  });
}

async function bodyOf(res: Response): Promise<unknown> {
  const text = await res.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text; // not JSON (a proxy's page, say)
  }
}

/**
 * Calls the API routes `@jobstream/client` does not cover (session, stats) with the signed-in
 * token; same origin, so no CORS is involved.
 */
export class ApiClient {
  /** `onUnauthorized`: the token expired or was revoked; the app signs out. */
  constructor(
    private readonly token: string,
    private readonly onUnauthorized: () => void = () => undefined,
  ) {}

  get authorization(): string {
    return `Bearer ${this.token}`;
  }

  async request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const headers: Record<string, string> = { authorization: this.authorization, accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
      signal: signal ?? null,
    });
    if (res.status === 401) this.onUnauthorized();
    if (!res.ok) throw errorFromResponse(res.status, await bodyOf(res));
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  get<T>(path: string, signal?: AbortSignal): Promise<T> {
    return this.request<T>("GET", path, undefined, signal);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>("POST", path, body);
  }
}

/** `?a=1&b=2` from the defined, non-empty entries. */
export function queryString(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text === "" ? "" : `?${text}`;
}
