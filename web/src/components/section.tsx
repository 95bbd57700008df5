import type { ReactNode } from 'react';
import { DataAge } from './data-age.tsx';

export interface SectionProps {
  readonly id: string;
  readonly title: string;
  /** Server time of the data shown; drives the age badge. */
  readonly dataTs?: number | undefined;
  /** Error to show instead of the data. */
  readonly error?: string | undefined;
  /** True while nothing has arrived yet: a labelled placeholder is shown. */
  readonly loading: boolean;
  readonly actions?: ReactNode;
  readonly children?: ReactNode;
}

/**
 * A dashboard section that renders exactly one of three states (STYLE.md convention 12):
 * error, a labelled placeholder while loading, or the data, with its age in the header.
 */
export function Section({ id, title, dataTs, error, loading, actions, children }: SectionProps) {
  const headingId = `${id}-heading`;
  let body: ReactNode;
  if (error !== undefined)
    body = (
      <p className="section-error" role="alert">
        ✖ {title} unavailable: {error}
      </p>
    );
  else if (loading)
    body = (
      <p className="placeholder" aria-busy="true">
        Loading {title.toLowerCase()}…
      </p>
    );
  else body = children;
  return (
    <section className="panel" id={id} aria-labelledby={headingId} data-state={error !== undefined ? 'error' : loading ? 'loading' : 'data'}>
      <header className="panel-header">
        <h2 id={headingId}>{title}</h2>
        {dataTs !== undefined && error === undefined && !loading ? <DataAge serverTs={dataTs} /> : null}
        {actions}
      </header>
      {body}
    </section>
  );
}
