/**
 * The Node flags the collector's process starts with (`npm run collector`, `npm start`, bench/ingest).
 *
 * `--max-semi-space-size=64`: a young generation of up to 64 MiB per semi-space instead of V8's 16 MiB.
 * Ingest makes short-lived garbage by the megabyte (request bodies, parsed events, lines of line protocol),
 * and with the default most of it is scavenged several times over; the larger young generation cut the
 * collector's CPU per event by about a tenth in bench/ingest (docs/performance.md, "Ingest"), for at most
 * about 190 MiB more resident memory under sustained load (three semi-spaces' worth while scavenging).
 */
export const COLLECTOR_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];
