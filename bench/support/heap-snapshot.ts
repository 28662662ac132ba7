/**
 * A page's heap split by what holds it, from a Chromium heap snapshot (CDP):
 * compiled code (V8's JIT output, which grows while a page warms up and then
 * stops) apart from everything else (the application's objects, strings, DOM).
 */
import type { CDPSession } from 'playwright-core';

export interface HeapSplit {
  /** Bytes of V8 compiled code and its metadata. */
  code: number;
  /** Bytes of everything else. */
  other: number;
}

interface RawSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

export async function heapSplit(cdp: CDPSession): Promise<HeapSplit> {
  await cdp.send('HeapProfiler.collectGarbage');
  let json = '';
  const onChunk = (e: { chunk: string }) => {
    json += e.chunk;
  };
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  const snap = JSON.parse(json) as RawSnapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const iType = fields.indexOf('type');
  const iName = fields.indexOf('name');
  const iSize = fields.indexOf('self_size');
  const split: HeapSplit = { code: 0, other: 0 };
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + iType] ?? 0];
    const name = snap.strings[snap.nodes[i + iName] ?? 0] ?? '';
    const size = snap.nodes[i + iSize] ?? 0;
    // 'code' nodes, and the system arrays V8 keeps beside them (feedback, deopt data), are JIT output.
    if (type === 'code' || /^system \/ (InstructionStream|TrustedByteArray|ProtectedFixedArray|WeakArrayList|Code)/.test(name)) split.code += size;
    else split.other += size;
  }
  return split;
}
