/**
 * Offline command mode: what the deterministic parser knows about the world (names from the live
 * snapshot) and what it answers. Pure data; the app layer runs the tool / approval it maps to.
 */

/** The live names the parser resolves against (built from the poller's snapshot by `offlineWorld`). */
export interface OfflineWorld {
  readonly nodes: readonly { readonly name: string; readonly status?: string | undefined }[];
  readonly guests: readonly {
    readonly vmid: number;
    readonly name?: string | undefined;
    readonly node: string;
    readonly type: 'qemu' | 'lxc';
    readonly status?: string | undefined;
  }[];
  /** Docker container names on the default Docker host, when known. */
  readonly containers?: readonly string[] | undefined;
  /** Pending approval tickets, when known (ids resolve by exact id or a unique prefix of 6+ characters). */
  readonly pendingTickets?: readonly { readonly id: string; readonly summary?: string | undefined }[] | undefined;
}

/** One understood request, a question back, or a plain "cannot". Never a guess at an act. */
export type OfflineCommand =
  /** A call of one product tool with these arguments (`act` = the tool may change something). */
  | { readonly kind: 'tool'; readonly tool: string; readonly input: Readonly<Record<string, unknown>>; readonly act: boolean; readonly understood: string }
  /** The signed-in human approves or rejects a pending ticket. */
  | {
      readonly kind: 'ticket';
      readonly decision: 'approve' | 'reject';
      readonly ticketId: string;
      readonly reason?: string | undefined;
      readonly understood: string;
    }
  /** The emergency stop (deny every action). */
  | { readonly kind: 'freeze'; readonly understood: string }
  /** The target or the action is ambiguous: ask, with suggested full phrasings. */
  | { readonly kind: 'clarify'; readonly question: string; readonly options: readonly string[] }
  /** Understood, but not something Jarvis can do: said plainly. */
  | { readonly kind: 'unsupported'; readonly message: string }
  /** Not understood (the help text lists what offline mode understands). */
  | { readonly kind: 'unknown'; readonly message: string };

export type OfflineCommandKind = OfflineCommand['kind'];
