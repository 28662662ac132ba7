/**
 * The Node flags the collector's process starts with (`npm run collector`, `npm start`, bench/ingest).
 *
 * `--max-semi-space-size=64`: a young generation of up to 64 MiB per semi-space, twice what V8 chose by
 * itself for Node 20 on the project's machine (32 MiB). Ingest makes short-lived garbage by the megabyte
 * (request bodies, parsed events, lines of line protocol); with the larger young generation less of it
 * survives into a second scavenge, which cut the collector's CPU per event by about a tenth in bench/ingest
 * (docs/performance.md, "Ingest"), for about 32 MiB more resident memory under sustained allocation.
 */
export const COLLECTOR_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];
