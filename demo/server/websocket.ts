import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { looksLikeEnvelope } from './inspect.ts';
import type { PushedMessage } from './options.ts';
import type { ReferencePeer } from './peer.ts';

/** One WebSocket client and what it negotiated. */
interface Client {
  socket: WebSocket;
  path: string;
  handshaken: boolean;
  commonStypes: string[];
  profile: string | null;
  /** Frames are handled one after another, so replies go out in order, like the proxy's. */
  queue: Promise<void>;
}

/** What happens right after a client completes its handshake. */
export type OnHandshake = (push: (stype: string, payload: unknown) => Promise<void>, commonStypes: readonly string[]) => Promise<void>;

/** The WebSocket side of the reference server: accepts upgrades on any path. */
export class WebSocketEndpoint {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 * 1024 });
  private readonly clients = new Set<Client>();

  constructor(private readonly peer: ReferencePeer, private readonly onHandshake: OnHandshake | undefined, private readonly log: (line: string) => void) {}

  /** Clients that completed the handshake and are still open. */
  get handshakenCount(): number {
    return [...this.clients].filter((c) => c.handshaken && c.socket.readyState === c.socket.OPEN).length;
  }

  /** node:http's `upgrade` event. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, new URL(req.url ?? '/', 'http://x').pathname));
  }

  private accept(socket: WebSocket, path: string): void {
    const client: Client = { socket, path, handshaken: false, commonStypes: [], profile: null, queue: Promise.resolve() };
    this.clients.add(client);
    this.log(`ws open ${path}`);
    socket.on('message', (data, isBinary) => {
      client.queue = client.queue.then(() => this.handleFrame(client, data, isBinary)).catch((error: unknown) => {
        console.error('reference server: a frame could not be handled:', error);
        this.send(client, { error: 'E-INTERNAL', message: `The server failed on this frame: ${(error as Error).message}` });
      });
    });
    socket.on('close', () => this.clients.delete(client));
    socket.on('error', (error) => this.log(`ws error ${error.message}`));
  }

  private send(client: Client, body: unknown): void {
    if (client.socket.readyState === client.socket.OPEN) client.socket.send(JSON.stringify(body));
  }

  private async handleFrame(client: Client, data: RawData, isBinary: boolean): Promise<void> {
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    if (isBinary) {
      this.peer.record({ transport: 'ws', kind: 'binary', path: client.path, wire: bytes.length, valid: true, hashOk: undefined, errors: [], blocked: false });
      client.socket.send(bytes, { binary: true });
      return;
    }
    const text = bytes.toString('utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    const hello = value as { type?: unknown } | undefined;
    if (hello && typeof hello === 'object' && hello.type === 'ai-alpn-hello') return this.handshake(client, value);
    if (looksLikeEnvelope(value)) {
      const outcome = await this.peer.handleEnvelope(value, client.profile ?? undefined);
      this.peer.record({ transport: 'ws', kind: 'envelope', path: client.path, wire: value, valid: outcome.valid, hashOk: outcome.inspection.hashOk, errors: outcome.inspection.errors, blocked: outcome.blocked });
      this.log(`ws ${String(value['stype'])} ${outcome.blocked ? 'blocked' : 'ok'}`);
      this.send(client, outcome.reply);
      return;
    }
    this.peer.record({ transport: 'ws', kind: 'text', path: client.path, wire: value ?? text, valid: false, hashOk: undefined, errors: ['not an envelope'], blocked: false });
    this.send(client, { type: 'passthrough', message: text });
  }

  private async handshake(client: Client, hello: unknown): Promise<void> {
    const answer = this.peer.answerHello(hello);
    const errors = answer.ok ? [] : [answer.problem];
    this.peer.record({ transport: 'ws', kind: 'hello', path: client.path, wire: hello, valid: answer.ok, hashOk: undefined, errors, blocked: !answer.ok });
    if (!answer.ok) {
      this.send(client, { type: 'ai-alpn-error', message: `Invalid hello: ${answer.problem}`, reason: 'invalid-hello', server_stypes: [...this.peer.stypes] });
      return;
    }
    this.send(client, answer.reply);
    if (answer.reply.type === 'ai-alpn-error') return;
    client.handshaken = true;
    client.commonStypes = answer.reply.common_stypes;
    client.profile = answer.reply.selected_profile;
    this.log(`ws handshake: ${client.commonStypes.join(', ') || '(nothing common)'}`);
    if (this.onHandshake) await this.onHandshake((stype, payload) => this.pushTo([client], stype, payload).then(() => undefined), client.commonStypes);
  }

  /** Sends a hashed envelope to every handshaken client. */
  async pushAll(stype: string, payload: unknown): Promise<PushedMessage> {
    return this.pushTo([...this.clients].filter((c) => c.handshaken), stype, payload);
  }

  private async pushTo(clients: Client[], stype: string, payload: unknown): Promise<PushedMessage> {
    const envelope = await this.peer.pushEnvelope(stype, payload);
    let sent = 0;
    for (const client of clients) {
      if (client.socket.readyState !== client.socket.OPEN) continue;
      const own = client.profile === null ? envelope : envelope.with({ profile: client.profile });
      client.socket.send(JSON.stringify(own));
      sent += 1;
    }
    const entry: PushedMessage = { stype, id: envelope.id, semHash: envelope.semHash ?? '', clients: sent, at: Date.now() };
    this.peer.pushed.push(entry);
    this.log(`pushed ${stype} to ${sent} client(s)`);
    return entry;
  }

  /** Terminates every socket without a close handshake; returns how many there were. */
  dropAll(): number {
    const count = this.clients.size;
    for (const client of this.clients) client.socket.terminate();
    this.clients.clear();
    return count;
  }

  /** Closes every socket (1001 going away) and the server. */
  async close(): Promise<void> {
    for (const client of this.clients) client.socket.close(1001, 'server shutting down');
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.dropAll();
  }
}
