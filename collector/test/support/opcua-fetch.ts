/**
 * Test harness: GET for the connector tests, which poll /api/v1/health and
 * /metrics many times a second. On a loaded machine the test process can stall
 * past the server's keep-alive timeout between two polls; fetch then reuses a
 * socket the server just closed and fails with ECONNRESET. That is the test
 * client's race, not an answer of the collector: the request is sent again
 * once, on a new connection.
 */
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

function isReset(error: unknown): boolean {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  return error instanceof TypeError && typeof cause?.code === 'string' && RESET_CODES.has(cause.code);
}

export async function getText(url: string): Promise<string> {
  try {
    return await (await fetch(url)).text();
  } catch (error) {
    if (!isReset(error)) throw error;
    return (await fetch(url)).text();
  }
}

export async function getJson<T>(url: string): Promise<T> {
  return JSON.parse(await getText(url)) as T;
}
