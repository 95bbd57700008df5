import { formatBytes } from '../lib/format.ts';

/** The heap guard's readout, out of the header: a quiet footer line (Chromium only; "—" elsewhere). */
export function HeapFooter({ heapBytes, heapLimit }: { heapBytes: number | undefined; heapLimit: number }) {
  return (
    <footer className="app-footer muted small">
      <span className="heap" title="JavaScript heap used by this tab; above the limit the dashboard resets its buffers and reconnects" data-testid="heap">
        Heap guard: {heapBytes === undefined ? '—' : `${formatBytes(heapBytes)}${heapBytes > heapLimit ? ' ⚠' : ''}`} of {formatBytes(heapLimit)} limit
      </span>
    </footer>
  );
}
