/**
 * The connection to the mail relay: nodemailer's pooled transport (a burst
 * of messages does not pay a handshake each), kept usable through any
 * outage, and the rule that a password never travels in clear.
 *
 * Through an outage: every send settles within its deadline, three times
 * notify.email.timeout (connecting, the greeting, then the conversation,
 * each reply within the timeout), waiting for a free pooled connection
 * included. A send past its deadline replaces the pool and cuts the old
 * one's connections (the relay is stuck for all of them), so a connection
 * nodemailer never releases cannot hold back the sends after it. Connection
 * failures go through nodemailer's own error path, which frees the pool's
 * slot (see connectingSocket). close() lets sends in flight finish for a
 * short grace, then cuts them: a hung relay cannot hold up a shutdown.
 *
 * The password: with a user and password configured and `secure: false`,
 * STARTTLS is required whatever `starttls` says, unless `allowPlainAuth` is
 * set; a relay that offers no TLS then gets no AUTH and no message, and the
 * send fails with code ETLS (emailSender says why and what to set).
 */
import { connect, type Socket } from 'node:net';
import nodemailer, { type Transporter } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';

export interface EmailSettings {
  readonly host: string;
  readonly port: number;
  readonly secure: boolean;
  readonly starttls: 'required' | 'opportunistic' | 'never';
  readonly user?: string;
  /** Read from notify.email.passwordFile; never logged. */
  readonly password?: string;
  /** notify.email.allowPlainAuth: the password may go over a connection without TLS. */
  readonly allowPlainAuth: boolean;
  /** PEM certificates from notify.email.caFile, trusted for the relay's TLS besides the system's. */
  readonly ca?: string;
  readonly from: string;
  readonly timeoutSeconds: number;
}

/** A send's whole budget, in units of notify.email.timeout. */
export const SEND_DEADLINE_TIMEOUTS = 3;
/** At close, the longest a send in flight may still take (less when notify.email.timeout is shorter). */
const CLOSE_GRACE_MS = 5000;

/** True when the password must not go out without TLS, and the relay will not get it unless TLS is up. */
export function tlsRequiredForPassword(settings: EmailSettings): boolean {
  return settings.user !== undefined && !settings.secure && !settings.allowPlainAuth;
}

/** A send that outlived its deadline; the pool it waited on has been replaced. */
class SendDeadlineError extends Error {
  override name = 'SendDeadlineError';
  readonly code = 'ETIMEDOUT';
}

export interface SmtpTransport {
  /** Resolves once the relay accepted `mail`; rejects with nodemailer's error, code ETIMEDOUT past the deadline, or ECLOSED once closed. */
  send(mail: Mail.Options): Promise<void>;
  /**
   * Closes idle connections at once and fails the sends not yet started;
   * a send in flight has min(timeout, 5 s) to finish before its connection
   * is cut (it is then tried again at the next start, same Message-ID).
   * Resolves when nothing is left open.
   */
  close(): Promise<void>;
}

/** A nodemailer pool and the sockets it was given, so a pool given up on can be cut off for good. */
interface Pool {
  readonly transport: Transporter;
  readonly sockets: Set<Socket>;
}

export function smtpTransport(settings: EmailSettings, host: string): SmtpTransport {
  const timeoutMs = settings.timeoutSeconds * 1000;
  const deadlineMs = SEND_DEADLINE_TIMEOUTS * timeoutMs;
  const mustEncrypt = tlsRequiredForPassword(settings);
  const newPool = (): Pool => {
    const sockets = new Set<Socket>();
    const options: SMTPPool.Options = {
      pool: true,
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      requireTLS: settings.starttls === 'required' || mustEncrypt,
      ignoreTLS: settings.starttls === 'never' && !mustEncrypt,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      // Our own host name in EHLO, as in the Message-ID.
      name: host,
      getSocket: (_options, callback) => callback(null, { connection: connectingSocket(settings.host, settings.port, sockets) }),
      ...(settings.ca === undefined ? {} : { tls: { ca: settings.ca } }),
      ...(settings.user === undefined ? {} : { auth: { user: settings.user, pass: settings.password ?? '' } }),
    };
    return { transport: nodemailer.createTransport(options), sockets };
  };
  const cut = (given: Pool): void => {
    given.transport.close();
    for (const socket of given.sockets) socket.destroy();
  };
  let pool = newPool();
  let closing: Promise<void> | undefined;
  const inFlight = new Set<Promise<unknown>>();

  return {
    async send(mail) {
      if (closing !== undefined) throw Object.assign(new Error('the e-mail channel is closing'), { code: 'ECLOSED' });
      const used = pool;
      const sending = used.transport.sendMail(mail);
      const settled = sending.catch(() => undefined);
      inFlight.add(settled);
      void settled.finally(() => inFlight.delete(settled));
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new SendDeadlineError(`no answer from the relay within ${deadlineMs / 1000}s (${SEND_DEADLINE_TIMEOUTS} × notify.email.timeout)`)), deadlineMs);
      });
      try {
        await Promise.race([sending, late]);
      } catch (e) {
        if (e instanceof SendDeadlineError && pool === used) {
          pool = newPool();
          cut(used);
        }
        throw e;
      } finally {
        clearTimeout(timer);
      }
    },
    close() {
      closing ??= (async () => {
        pool.transport.close();
        const grace = setTimeout(() => cut(pool), Math.min(timeoutMs, CLOSE_GRACE_MS));
        await Promise.all(inFlight);
        clearTimeout(grace);
      })();
      return closing;
    },
  };
}

/**
 * A socket to the relay with Nagle's algorithm off, handed over while it
 * still connects. Nagle: nodemailer writes a message's end (`.`) apart from
 * its body, and with Nagle on that write waits for the relay's delayed ACK,
 * about 40 ms per message on Linux. Still connecting: a refused or failed
 * connect is then an error of the SMTP connection, which the pool handles
 * by freeing its slot; an error passed to getSocket's callback instead
 * keeps the slot taken for good (nodemailer 7's PoolResource.connect), and
 * after maxConnections (5) refused connects no send ever returned. The
 * connect is bounded by the greeting timeout; TLS (`secure`) waits for it.
 */
function connectingSocket(host: string, port: number, sockets: Set<Socket>): Socket {
  const socket = connect({ host, port });
  sockets.add(socket);
  socket.once('close', () => sockets.delete(socket));
  socket.setNoDelay(true);
  socket.setKeepAlive(true);
  // nodemailer listens for errors from the same tick on; this one only keeps a stray late error from crashing the process.
  socket.on('error', () => undefined);
  return socket;
}
