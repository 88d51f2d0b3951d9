import type { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

export interface Received {
  readonly envelopeTo: string[];
  readonly raw: Buffer;
  readonly parsed: ParsedMail;
}

/** What the peer does with the next message: accept, answer a code, or drop the connection mid-DATA. */
export type Behaviour =
  | 'accept'
  | { code: number; message: string }
  | 'drop'
  /** Keep the client waiting after DATA until the promise settles, then refuse: never accepted. */
  | { hold: Promise<void> };

/** A real SMTP server, in-process, on a free loopback port. */
export async function startSmtpPeer(options: { rejectRecipients?: string[] } = {}) {
  const received: Received[] = [];
  const plan: Behaviour[] = [];
  const sockets = new Set<Socket>();
  let holding = false;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (options.rejectRecipients?.includes(address.address)) {
        const error = new Error('5.1.1 mailbox unavailable') as Error & { responseCode: number };
        error.responseCode = 550;
        callback(error);
        return;
      }
      callback();
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const behaviour = plan.shift() ?? 'accept';
      const chunks: Buffer[] = [];
      if (behaviour === 'drop') {
        stream.once('data', () => {
          for (const socket of sockets) socket.destroy();
        });
        stream.resume();
        return;
      }
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (typeof behaviour === 'object' && 'hold' in behaviour) {
          holding = true;
          void behaviour.hold.then(() => {
            holding = false;
            const error = new Error('4.3.0 aborted') as Error & { responseCode: number };
            error.responseCode = 451;
            callback(error);
          });
          return;
        }
        if (behaviour !== 'accept') {
          const error = new Error(behaviour.message) as Error & { responseCode: number };
          error.responseCode = behaviour.code;
          callback(error);
          return;
        }
        const raw = Buffer.concat(chunks);
        void simpleParser(raw, { keepCidLinks: true }).then((parsed) => {
          received.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), raw, parsed });
          callback(null, 'Ok: queued');
        });
      });
    },
  });
  server.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    /** Queues how the next messages are answered. */
    plan: (...behaviours: Behaviour[]) => plan.push(...behaviours),
    /** True while a held message waits in DATA. */
    holding: () => holding,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
