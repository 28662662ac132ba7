/** Test harness: waiting for something a real part does, with a bound and a message saying what did not happen. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs / 1000} s`);
    await sleep(25);
  }
}
