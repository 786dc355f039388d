// api.js: the documented /v1 API with the operator's session token. The
// token lives in memory only: a reload or a crash means logging in again.
let token = null;
let onUnauthenticated = () => {};

export class ApiError extends Error {
  constructor (status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

export function setToken (value) { token = value; }
export function hasToken () { return token !== null; }
export function onSessionLost (fn) { onUnauthenticated = fn; }

export async function request (method, path, body) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, { method, headers, body: body !== undefined ? JSON.stringify(body) : undefined });
  } catch (e) {
    throw new ApiError(0, 'network', String(e));
  }
  if (res.status === 204) return null;
  const type = res.headers.get('Content-Type') || '';
  if (!res.ok) {
    let err = { code: 'http-' + res.status, message: res.statusText };
    if (type.startsWith('application/json')) err = (await res.json()).error || err;
    if (res.status === 401 && token && path !== '/v1/sessions') onUnauthenticated();
    throw new ApiError(res.status, err.code, err.message, err.field);
  }
  if (type.startsWith('application/json')) return res.json();
  return res.blob();
}

export const get = (path) => request('GET', path);
export const post = (path, body) => request('POST', path, body);
export const del = (path) => request('DELETE', path);
