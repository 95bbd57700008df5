import type { SnapshotDto, StateDto } from '../../../src/protocol/index.ts';
import { href } from '../lib/router.ts';
import { statusText } from './guest-table.tsx';

/**
 * Jarvis's own chain as the server reports it (topology.self): Jarvis → container → Docker →
 * VM → node, each link marked protected (the kernel never acts on it). Live state of the VM and
 * node comes from the snapshot. Shown in every mode; JARVIS mode makes it glow (opacity only).
 */
export function Topology({ self, snapshot }: { self: StateDto['self']; snapshot: SnapshotDto | null }) {
  if (!self)
    return (
      <p className="muted small" data-testid="topology">
        Jarvis's own location is not reported by this server.
      </p>
    );
  const vm = snapshot?.guests.find((guest) => guest.vmid === self.vmid);
  const node = snapshot?.nodes.find((entry) => entry.name === self.node);
  const links: { label: string; detail: string; to?: string }[] = [
    { label: 'Jarvis', detail: 'this server' },
    { label: `container ${self.container}`, detail: 'Docker container' },
    { label: self.dockerHost, detail: 'Docker engine' },
    { label: `VM ${self.vmid} ${self.vmName}`, detail: vm ? statusText(vm.status) : '—', to: href('guest', self.vmid) },
    { label: self.node, detail: node ? (node.status === 'online' ? '▲ online' : `▼ ${node.status}`) : '—', to: href('node', self.node) },
  ];
  return (
    <ol className="topology" data-testid="topology" aria-label="Jarvis's own chain (protected: never acted on)">
      {links.map((link, index) => (
        <li key={link.label} className="topo-node protected">
          <span className="topo-label">{link.to ? <a href={link.to}>{link.label}</a> : link.label}</span>
          <span className="topo-detail mono">{link.detail} · ◈ protected</span>
          {index < links.length - 1 ? (
            <span className="topo-arrow" aria-hidden="true">
              →
            </span>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
