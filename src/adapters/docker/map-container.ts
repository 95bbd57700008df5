import { z } from 'zod';
import type { ContainerDetail, ContainerSummary } from '../../core/ports/docker.ts';

/**
 * Lenient schemas for only the Engine fields Jarvis reads; mapped to core types.
 * @see https://docs.docker.com/reference/api/engine/version/v1.47/#tag/Container/operation/ContainerList
 * @see https://docs.docker.com/reference/api/engine/version/v1.47/#tag/Container/operation/ContainerInspect
 */
const labels = z.record(z.string(), z.string()).nullish().catch(undefined);

const SummarySchema = z.looseObject({
  Id: z.string(),
  Names: z.array(z.string()).nullish(),
  Image: z.string().nullish(),
  State: z.string().nullish(),
  Status: z.string().nullish(),
  Created: z.number().nullish(),
  Labels: labels,
});

const DetailSchema = z.looseObject({
  Id: z.string(),
  Name: z.string().nullish(),
  Created: z.string().nullish(),
  RestartCount: z.number().nullish(),
  State: z
    .looseObject({
      Status: z.string().nullish(),
      Running: z.boolean().nullish(),
      ExitCode: z.number().nullish(),
      StartedAt: z.string().nullish(),
      FinishedAt: z.string().nullish(),
      Health: z.looseObject({ Status: z.string().nullish() }).nullish(),
    })
    .nullish(),
  Config: z.looseObject({ Image: z.string().nullish(), Labels: labels }).nullish(),
});

const stripSlash = (name: string | null | undefined): string => (name ?? '').replace(/^\//, '');

/** GET /containers/json element -> ContainerSummary (throws on a body without an Id: a bug upstream). */
export function mapContainerSummary(raw: unknown): ContainerSummary {
  const item = SummarySchema.parse(raw);
  return {
    id: item.Id,
    name: stripSlash(item.Names?.[0]) || item.Id.slice(0, 12),
    image: item.Image ?? '',
    state: item.State ?? 'unknown',
    status: item.Status ?? '',
    created: item.Created ?? 0,
    labels: item.Labels ?? {},
  };
}

/** GET /containers/{id}/json -> ContainerDetail. */
export function mapContainerDetail(raw: unknown): ContainerDetail {
  const item = DetailSchema.parse(raw);
  const state = item.State ?? {};
  const created = item.Created ? Date.parse(item.Created) : Number.NaN;
  const status = state.Status ?? 'unknown';
  return {
    id: item.Id,
    name: stripSlash(item.Name) || item.Id.slice(0, 12),
    image: item.Config?.Image ?? '',
    state: status,
    status: state.Running ? `Up since ${state.StartedAt ?? '?'}` : `${status} (exit ${state.ExitCode ?? '?'})`,
    created: Number.isNaN(created) ? 0 : Math.floor(created / 1000),
    labels: item.Config?.Labels ?? {},
    running: state.Running === true,
    restartCount: item.RestartCount ?? 0,
    startedAt: state.StartedAt ?? undefined,
    finishedAt: state.FinishedAt ?? undefined,
    exitCode: state.ExitCode ?? undefined,
    health: state.Health?.Status ?? undefined,
  };
}
