/** An answer of the API that was not 2xx, with the documented error code. */
export class ApiRequestError extends Error {
  override readonly name = "ApiRequestError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** For `validation_failed`: each offending field and what is wrong with it. */
    readonly fields: readonly { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

async function errorOf(res: Response): Promise<ApiRequestError> {
  let body: ErrorBody = {};
  try {
    body = (await res.json()) as ErrorBody;
  } catch {
    // Not JSON (a proxy's page, say): keep the status line.
  }
  const code = typeof body.error?.code === "string" ? body.error.code : "http_" + String(res.status);
  const message = typeof body.error?.message === "string" ? body.error.message : res.statusText || "request failed";
  const details = Array.isArray(body.error?.details) ? (body.error.details as unknown[]) : [];
  const fields = details.flatMap((d) => {
    const { path, message: text } = (d ?? {}) as { path?: unknown; message?: unknown };
    return typeof path === "string" && typeof text === "string" ? [{ path, message: text }] : [];
  });
  return new ApiRequestError(res.status, code, message, fields);
}

/** Calls the v1 API with the signed-in token; same origin, so no CORS is involved. */
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
    const res = await fetch(path, { method, headers, body: body === undefined ? null : JSON.stringify(body), signal: signal ?? null });
    if (res.status === 401) this.onUnauthorized();
    if (!res.ok) throw await errorOf(res);
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
