/**
 * Email through SMTP with nodemailer. The password comes from env / *_FILE only. Errors from the
 * SMTP conversation become NOTIFY_FAILED (retryable for connection and 4xx replies, not for 5xx).
 */
import nodemailer from 'nodemailer';
import { err, jarvisError, ok } from '../../core/errors.ts';
import type { Notification, Notifier } from '../../core/ports/notifier.ts';

export interface EmailOptions {
  readonly channel: string;
  readonly host: string;
  readonly port: number;
  /** Implicit TLS (port 465); otherwise STARTTLS when the server offers it. */
  readonly secure: boolean;
  readonly from: string;
  readonly to: readonly string[];
  readonly user?: string | undefined;
  readonly password?: string | undefined;
  readonly timeoutMs?: number | undefined;
  /** Tests against a local server with a self-signed certificate. */
  readonly allowSelfSigned?: boolean | undefined;
}

export function emailText(notification: Notification): string {
  return [notification.body || notification.title, ...(notification.url ? ['', `Open in Jarvis: ${notification.url}`] : [])].join('\n');
}

export function emailNotifier(options: EmailOptions): Notifier {
  const timeout = options.timeoutMs ?? 15_000;
  const transport = nodemailer.createTransport({
    host: options.host,
    port: options.port,
    secure: options.secure,
    ...(options.user ? { auth: { user: options.user, pass: options.password ?? '' } } : {}),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    ...(options.allowSelfSigned ? { tls: { rejectUnauthorized: false } } : {}),
  });
  return {
    channel: options.channel,
    type: 'email',
    async send(notification) {
      try {
        await transport.sendMail({
          from: options.from,
          to: [...options.to],
          subject: `[Jarvis ${notification.severity}] ${notification.title}`.replace(/[\r\n]+/g, ' ').slice(0, 200),
          text: emailText(notification),
        });
        return ok(undefined);
      } catch (cause) {
        const responseCode =
          typeof (cause as { responseCode?: unknown }).responseCode === 'number' ? (cause as { responseCode: number }).responseCode : undefined;
        const retryable = responseCode === undefined || responseCode < 500;
        return err(
          jarvisError(
            'NOTIFY_FAILED',
            `${options.channel}: SMTP ${responseCode !== undefined ? `reply ${responseCode}` : 'connection failed'} (${options.host}:${options.port})`,
            {
              retryable,
              hint: `check monitor.notify.channels.${options.channel} (smtpHost, smtpPort, secure) and the SMTP password env`,
              ...(responseCode !== undefined ? { details: { responseCode } } : {}),
              cause,
            },
          ),
        );
      }
    },
  };
}
