/**
 * InfluxDB 2.x: create the bucket when it is missing and the token may. A
 * token that may only write gets `not_permitted`; the operator then creates
 * the bucket (docs/operations.md), and the writer keeps the events in the
 * spool until it exists.
 */

export interface BucketTarget {
  url: string;
  token: string;
  org: string;
  bucket: string;
}

export type BucketOutcome = 'exists' | 'created' | 'not_permitted' | 'failed';

/** Makes sure the bucket exists; never throws. */
export async function ensureBucket(target: BucketTarget, timeoutMs = 5000): Promise<{ outcome: BucketOutcome; detail: string }> {
  const headers = { Authorization: `Token ${target.token}`, 'content-type': 'application/json' };
  const call = (path: string, init: RequestInit = {}) =>
    fetch(new URL(path, target.url), { ...init, headers, signal: AbortSignal.timeout(timeoutMs) });
  try {
    const found = await call(`/api/v2/buckets?${new URLSearchParams({ name: target.bucket, org: target.org }).toString()}`);
    if (found.status === 401 || found.status === 403) return { outcome: 'not_permitted', detail: `listing buckets: ${found.status}` };
    if (found.ok) {
      const body = (await found.json()) as { buckets?: { name: string }[] };
      if (body.buckets?.some((b) => b.name === target.bucket)) return { outcome: 'exists', detail: '' };
    } else if (found.status !== 404) {
      return { outcome: 'failed', detail: `listing buckets: ${found.status} ${(await found.text()).slice(0, 200)}` };
    } else await found.arrayBuffer();
    const orgs = await call(`/api/v2/orgs?${new URLSearchParams({ org: target.org }).toString()}`);
    if (orgs.status === 401 || orgs.status === 403) return { outcome: 'not_permitted', detail: `reading the organisation: ${orgs.status}` };
    const orgId = orgs.ok ? ((await orgs.json()) as { orgs?: { id: string; name: string }[] }).orgs?.find((o) => o.name === target.org)?.id : undefined;
    if (!orgId) return { outcome: 'failed', detail: `organisation '${target.org}' not found (INFLUX_ORG)` };
    const created = await call('/api/v2/buckets', {
      method: 'POST',
      body: JSON.stringify({ orgID: orgId, name: target.bucket, retentionRules: [] }),
    });
    if (created.status === 401 || created.status === 403) return { outcome: 'not_permitted', detail: `creating the bucket: ${created.status}` };
    if (created.status === 422 || created.status === 409) return { outcome: 'exists', detail: 'created meanwhile' };
    if (!created.ok) return { outcome: 'failed', detail: `creating the bucket: ${created.status} ${(await created.text()).slice(0, 200)}` };
    return { outcome: 'created', detail: '' };
  } catch (error) {
    return { outcome: 'failed', detail: error instanceof Error ? error.message : String(error) };
  }
}
