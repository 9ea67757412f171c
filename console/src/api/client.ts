/** A tiny typed client for the Carebeat /v1 API: the console is just another API client. */

export interface ErrorDetail {
  field: string;
  message: string;
  /** Where in a source text (1-based): a template's syntax error. */
  line?: number;
  column?: number;
}

/** An error answer from the API, in API.md's `{ error: { code, message, details } }` shape. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details: ErrorDetail[] = []) {
    super(message);
  }
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Sent as-is (e.g. a CSV file) with this content type instead of JSON. */
  raw?: { data: Blob | string; contentType: string };
}

let apiKey: string | null = null;
let onUnauthorized: () => void = () => undefined;

export function setApiKey(key: string | null, whenUnauthorized?: () => void): void {
  apiKey = key;
  if (whenUnauthorized) onUnauthorized = whenUnauthorized;
}

export function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

export async function toApiError(response: Response): Promise<ApiError> {
  const payload = await response.json().catch(() => null);
  const error = payload?.error;
  return new ApiError(response.status, error?.code ?? 'http_' + response.status, error?.message ?? response.statusText, error?.details ?? []);
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  let body: BodyInit | undefined;
  if (options.raw) {
    headers['content-type'] = options.raw.contentType;
    body = options.raw.data;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const response = await fetch(buildUrl(path, options.query), { method, headers, body });
  if (response.status === 401 && apiKey) onUnauthorized();
  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** A GET answered as a file (a CSV report), with the session's key: saved under `filename`. */
export async function download(path: string, query: Query, filename: string): Promise<void> {
  const response = await fetch(buildUrl(path, query), { headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {} });
  if (!response.ok) throw await toApiError(response);
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement('a'), { href: url, download: filename });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, { query }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body: body ?? {} }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
};

/**
 * Uploads with XMLHttpRequest because fetch reports no upload progress;
 * `onProgress` gets 0–1 while the file travels, then the server's answer arrives.
 */
export function upload<T>(path: string, file: Blob, contentType: string, onProgress: (share: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    if (apiKey) xhr.setRequestHeader('authorization', `Bearer ${apiKey}`);
    xhr.setRequestHeader('content-type', contentType);
    xhr.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
    xhr.onload = () => {
      const payload = safeJson(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) return resolve(payload as T);
      const error = payload?.error;
      reject(new ApiError(xhr.status, error?.code ?? 'http_' + xhr.status, error?.message ?? xhr.statusText, error?.details ?? []));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'network error'));
    xhr.send(file);
  });
}

/** Downloads an API answer (an export, the sample file) as a file the browser saves; the key goes in the header, never the URL. */
export async function downloadFile(path: string, query: Query | undefined, filename: string): Promise<void> {
  const response = await fetch(buildUrl(path, query), { headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {} });
  if (!response.ok) throw await toApiError(response);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function safeJson(text: string) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
