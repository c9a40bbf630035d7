/* global localStorage, fetch, XMLHttpRequest, Blob, URL, URLSearchParams, document, setTimeout */
// The REST API from the browser: bearer token kept in localStorage, errors as ApiError with the server's Chinese message.
import { reactive } from 'vue';

const TOKEN_KEY = 'mingbai.token';

export const session = reactive({ token: localStorage.getItem(TOKEN_KEY), user: null });

/** Called when the server says the session is gone (set by main.js to go to the login page). */
export const hooks = { onUnauthenticated: () => {} };

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || `请求失败（${status}）`);
    this.status = status;
    this.body = body ?? {};
  }
}

export function setToken(token) {
  session.token = token;
  if (token) localStorage.setItem(TOKEN_KEY, token);
  else localStorage.removeItem(TOKEN_KEY);
}

function url(path, query) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return `/api${path}${qs ? `?${qs}` : ''}`;
}

async function failure(res) {
  let body;
  try {
    body = await res.json();
  } catch {
    body = { message: res.status >= 500 ? '服务器内部错误，请稍后重试' : `请求失败（${res.status}）` };
  }
  if (res.status === 401 && session.token) {
    setToken(null);
    hooks.onUnauthenticated();
  }
  return new ApiError(res.status, body);
}

/** JSON request; resolves to the parsed body (null for 204). */
export async function api(method, path, { body, query } = {}) {
  const headers = {};
  if (session.token) headers.authorization = `Bearer ${session.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res;
  try {
    res = await fetch(url(path, query), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, { message: '无法连接服务器，请检查网络后重试' });
  }
  if (!res.ok) throw await failure(res);
  if (res.status === 204) return null;
  return res.json();
}

/** A file from the API (PDF, Excel) as a Blob, with its file name; onProgress(0..100) while downloading. */
export function download(path, { query, onProgress } = {}) {
  return xhr('GET', url(path, query), null, null, onProgress, 'download');
}

/** Uploads a file body; onProgress(0..100) while uploading. Resolves to the JSON answer. */
export function upload(path, file, contentType, onProgress) {
  return xhr('POST', url(path), file, contentType, onProgress, 'upload');
}

function xhr(method, target, body, contentType, onProgress, direction) {
  return new Promise((resolve, reject) => {
    const req = new XMLHttpRequest();
    req.open(method, target);
    if (session.token) req.setRequestHeader('authorization', `Bearer ${session.token}`);
    if (contentType) req.setRequestHeader('content-type', contentType);
    req.responseType = direction === 'download' ? 'blob' : 'text';
    const progress = (e) => {
      if (onProgress && e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100));
    };
    if (direction === 'upload') req.upload.onprogress = progress;
    else req.onprogress = progress;
    req.onerror = () => reject(new ApiError(0, { message: '无法连接服务器，请检查网络后重试' }));
    req.onload = async () => {
      const text = direction === 'download' ? (req.status >= 400 ? await req.response.text() : null) : req.responseText;
      if (req.status >= 400) {
        let parsed;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = { message: `请求失败（${req.status}）` };
        }
        if (req.status === 401 && session.token) {
          setToken(null);
          hooks.onUnauthenticated();
        }
        reject(new ApiError(req.status, parsed));
        return;
      }
      onProgress?.(100);
      if (direction === 'download') {
        const disposition = req.getResponseHeader('content-disposition') ?? '';
        const match = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
        resolve({ blob: req.response, name: match ? decodeURIComponent(match[1]) : 'download' });
      } else {
        resolve(text ? JSON.parse(text) : null);
      }
    };
    req.send(body);
  });
}

/** Hands a Blob to the browser as a file download. */
export function saveBlob(blob, name) {
  const href = URL.createObjectURL(blob instanceof Blob ? blob : new Blob([blob]));
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}
