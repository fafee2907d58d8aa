import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { sha256Digest } from '../content/digest.js';
import { EngineError, type EngineErrorKind } from '../errors.js';
import { parseAuthChallenges } from './auth-challenge.js';
import type { RegistryEndpoint } from './endpoint.js';
import { MAX_MANIFEST_BYTES } from './manifest.js';
import { MANIFEST_ACCEPT } from './media-types.js';
import type { RegistryCredentials } from './registry-auth.js';
import { readBody, send } from './transport.js';

/** A request body that can be produced again (a request is repeated once after an auth challenge). */
type BodySource = () => Buffer | Readable;

/** A manifest as fetched: its exact bytes (their digest is what tags point at). */
export interface FetchedManifest {
  bytes: Buffer;
  digest: string;
  contentType?: string;
}

/**
 * A client of one repository on one registry (OCI distribution spec): answers auth challenges
 * (basic, or bearer tokens from the challenge's realm for the repository's scope) and turns
 * registry errors into EngineErrors. Credentials never leave this object except in the
 * Authorization header to the registry and its token realm.
 */
export class DistributionClient {
  private authorization?: string;

  constructor(
    readonly endpoint: RegistryEndpoint,
    readonly repository: string,
    private readonly credentials: RegistryCredentials | undefined,
    private readonly actions: readonly string[],
    /** Further scopes a token must cover (the source repositories of cross-repository mounts). */
    private readonly extraScopes: readonly string[] = [],
  ) {
    if (credentials?.registryToken) this.authorization = `Bearer ${credentials.registryToken}`;
  }

  private url(path: string): URL {
    return new URL(path, this.endpoint.base);
  }

  /** Sends a request; on a 401 answers the challenge once and repeats it. */
  async request(
    method: string,
    target: string | URL,
    options: { headers?: OutgoingHttpHeaders; body?: BodySource; signal?: AbortSignal } = {},
  ): Promise<IncomingMessage> {
    const url = typeof target === 'string' ? this.url(target) : target;
    for (let attempt = 0; ; attempt++) {
      const used = this.authorization;
      const headers = { ...options.headers, ...(used ? { Authorization: used } : {}) };
      const res = await send({ method, url, headers, body: options.body?.(), signal: options.signal });
      if (res.statusCode !== 401 || attempt > 0) return res;
      const challenge = res.headers['www-authenticate'];
      res.resume();
      if (!(await this.answer(challenge, used))) return res;
    }
  }

  /**
   * Sets the Authorization for a challenge to a request sent with `used`; false when there is
   * nothing (more) to offer. Layers go up in parallel: when another request already answered a
   * challenge meanwhile, this one repeats with that answer rather than giving up or asking again.
   */
  private async answer(header: string | undefined, used: string | undefined): Promise<boolean> {
    if (this.authorization !== undefined && this.authorization !== used) return true;
    const challenges = parseAuthChallenges(header);
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    const creds = this.credentials;
    if (bearer?.params.realm) {
      this.authorization = `Bearer ${await this.fetchToken(bearer.params.realm, bearer.params.service)}`;
      return true;
    }
    if (challenges.some((c) => c.scheme === 'basic') && creds?.username !== undefined) {
      const pair = Buffer.from(`${creds.username}:${creds.password ?? ''}`).toString('base64');
      if (this.authorization === `Basic ${pair}`) return false;
      this.authorization = `Basic ${pair}`;
      return true;
    }
    return false;
  }

  private async fetchToken(realm: string, service: string | undefined): Promise<string> {
    const own = this.repository ? [`repository:${this.repository}:${this.actions.join(',')}`] : [];
    const scopes = [...own, ...this.extraScopes];
    const creds = this.credentials;
    let realmUrl: URL;
    try {
      realmUrl = new URL(realm);
    } catch {
      throw new EngineError(
        'unavailable',
        `registry ${this.endpoint.base.host} offered an invalid token realm`,
      );
    }
    let res: IncomingMessage;
    if (creds?.identityToken) {
      const form = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: creds.identityToken,
        client_id: 'berth',
      });
      if (service) form.set('service', service);
      form.set('scope', scopes.join(' '));
      const body = Buffer.from(form.toString());
      res = await send({
        method: 'POST',
        url: realmUrl,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': body.length },
        body,
      });
    } else {
      if (service) realmUrl.searchParams.set('service', service);
      for (const s of scopes) realmUrl.searchParams.append('scope', s);
      const headers: OutgoingHttpHeaders = {};
      if (creds?.username !== undefined) {
        headers.Authorization = `Basic ${Buffer.from(`${creds.username}:${creds.password ?? ''}`).toString('base64')}`;
      }
      res = await send({ method: 'GET', url: realmUrl, headers });
    }
    const body = await readBody(res, 1024 * 1024, 'token response');
    if (res.statusCode !== 200) {
      throw new EngineError(
        res.statusCode === 401 || res.statusCode === 403 ? 'unauthorized' : 'unavailable',
        `getting a token from ${realmUrl.host} failed: ${errorText(res.statusCode, body)}`,
      );
    }
    let parsed: { token?: unknown; access_token?: unknown };
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw new EngineError('unavailable', `token response from ${realmUrl.host} is not JSON`);
    }
    const token = typeof parsed.token === 'string' ? parsed.token : parsed.access_token;
    if (typeof token !== 'string' || !token)
      throw new EngineError('unavailable', `no token from ${realmUrl.host}`);
    return token;
  }

  /** `GET /v2/`, answering its challenge: resolves when the registry accepts these credentials. */
  async ping(): Promise<void> {
    const res = await this.request('GET', '/v2/');
    if (res.statusCode !== 200) throw await registryError(res, `login to ${this.endpoint.base.host}`);
    res.resume();
  }

  /** `GET /v2/<name>/tags/list`: the repository's tags (for a pull of all tags). */
  async listTags(): Promise<string[]> {
    const res = await this.request('GET', `/v2/${this.repository}/tags/list`);
    if (res.statusCode !== 200) throw await registryError(res, `tags of ${this.repository}`);
    const body = await readBody(res, MAX_MANIFEST_BYTES, 'tag list');
    try {
      const tags = (JSON.parse(body.toString('utf8')) as { tags?: unknown }).tags ?? [];
      if (Array.isArray(tags) && tags.every((t) => typeof t === 'string')) return tags;
    } catch {
      // reported below
    }
    throw new EngineError('invalid', `tag list of ${this.repository} is not valid`);
  }

  /** `GET /v2/<name>/manifests/<reference>` with every supported media type accepted. */
  async getManifest(reference: string): Promise<FetchedManifest> {
    const res = await this.request('GET', `/v2/${this.repository}/manifests/${reference}`, {
      headers: { Accept: MANIFEST_ACCEPT },
    });
    if (res.statusCode !== 200)
      throw await registryError(res, `manifest for ${this.repository}:${reference}`);
    const bytes = await readBody(res, MAX_MANIFEST_BYTES, 'manifest');
    const digest = sha256Digest(bytes);
    if (reference.startsWith('sha256:') && digest !== reference) {
      throw new EngineError('invalid', `manifest digest mismatch: asked for ${reference}, got ${digest}`);
    }
    return { bytes, digest, contentType: res.headers['content-type'] };
  }

  /** A small blob (an image config), verified against its digest. */
  async getBlobBuffer(digest: string, maxBytes: number): Promise<Buffer> {
    const res = await this.openBlob(digest);
    const bytes = await readBody(res, maxBytes, `blob ${digest}`);
    if (sha256Digest(bytes) !== digest) {
      throw new EngineError('invalid', `digest mismatch: expected ${digest}, got ${sha256Digest(bytes)}`);
    }
    return bytes;
  }

  /** Opens a blob's body (redirects followed without credentials); `from` resumes at a byte offset. */
  async openBlob(
    digest: string,
    options: { signal?: AbortSignal; from?: number } = {},
  ): Promise<IncomingMessage> {
    const headers = options.from ? { Range: `bytes=${options.from}-` } : {};
    const res = await this.request('GET', `/v2/${this.repository}/blobs/${digest}`, {
      headers,
      signal: options.signal,
    });
    if (res.statusCode !== 200 && res.statusCode !== 206) throw await registryError(res, `blob ${digest}`);
    return res;
  }

  /** True when the repository has the blob (`HEAD`). */
  async hasBlob(digest: string): Promise<boolean> {
    const res = await this.request('HEAD', `/v2/${this.repository}/blobs/${digest}`);
    res.resume();
    if (res.statusCode === 200) return true;
    if (res.statusCode === 404) return false;
    throw await registryError(res, `blob ${digest}`);
  }

  /**
   * Starts an upload; with `mountFrom`, asks for a cross-repository mount first. Returns
   * `mounted` when the registry mounted it, else the upload session's location.
   */
  async startUpload(
    digest: string,
    mountFrom?: string,
  ): Promise<{ mounted: true } | { mounted: false; location: URL }> {
    const query = mountFrom
      ? `?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(mountFrom)}`
      : '';
    const res = await this.request('POST', `/v2/${this.repository}/blobs/uploads/${query}`, {
      headers: { 'Content-Length': 0 },
    });
    res.resume();
    if (res.statusCode === 201 && mountFrom) return { mounted: true };
    if (res.statusCode !== 202 || !res.headers.location)
      throw await registryError(res, `upload of ${digest}`);
    return { mounted: false, location: new URL(res.headers.location, this.endpoint.base) };
  }

  /** Finishes a monolithic upload: `PUT <location>?digest=` with the whole blob. */
  async finishUpload(location: URL, digest: string, size: number, body: BodySource): Promise<void> {
    const url = new URL(location);
    url.searchParams.set('digest', digest);
    const res = await this.request('PUT', url, {
      headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': size },
      body,
    });
    res.resume();
    if (res.statusCode !== 201) throw await registryError(res, `upload of ${digest}`);
  }

  /** `PUT /v2/<name>/manifests/<tag>`; returns the digest the registry reports (or computes). */
  async putManifest(tag: string, bytes: Buffer, mediaType: string): Promise<string> {
    const res = await this.request('PUT', `/v2/${this.repository}/manifests/${tag}`, {
      headers: { 'Content-Type': mediaType, 'Content-Length': bytes.length },
      body: () => bytes,
    });
    if (res.statusCode !== 201 && res.statusCode !== 200) throw await registryError(res, `manifest ${tag}`);
    res.resume();
    return sha256Digest(bytes);
  }
}

/** A registry's error answer; `detail` is the registry's own text (`manifest unknown: ...`). */
export class RegistryError extends EngineError {
  constructor(
    kind: EngineErrorKind,
    what: string,
    readonly detail: string,
  ) {
    super(kind, `${what}: ${detail}`);
  }
}

/** An EngineError for a registry's error answer (its `errors[].message`s, else the status). */
export async function registryError(res: IncomingMessage, what: string): Promise<RegistryError> {
  const body = await readBody(res, 64 * 1024, 'error body').catch(() => Buffer.alloc(0));
  const status = res.statusCode ?? 0;
  const kind: EngineErrorKind =
    status === 401
      ? 'unauthorized'
      : status === 403
        ? 'forbidden'
        : status === 404
          ? 'not-found'
          : status === 400
            ? 'invalid'
            : 'unavailable';
  return new RegistryError(kind, what, errorText(status, body));
}

/** The text of a registry error body (`{"errors":[{"code","message"}]}`), or the HTTP status. */
export function errorText(status: number | undefined, body: Buffer): string {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as {
      errors?: Array<{ code?: string; message?: string }>;
    };
    const messages = (parsed.errors ?? [])
      .map((e) => [e.code?.toLowerCase().replace(/_/g, ' '), e.message].filter(Boolean).join(': '))
      .filter(Boolean);
    if (messages.length) return messages.join('; ');
  } catch {
    // not a JSON error document
  }
  return status === 401 ? 'unauthorized: authentication required' : `HTTP status ${status ?? 'unknown'}`;
}
