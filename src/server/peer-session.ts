import { answerHello, type Core } from './core.ts';
import { exchange, proxyFrame, replyText } from './exchange.ts';
import { MAX_TIMER_MS } from './grace.ts';
import { isHello, stypeId } from './hello.ts';
import { clip, inspectEnvelope, looksLikeEnvelope, passed, wrappedEnvelope, wrapReply } from './inspect.ts';
import type { InboundRecord } from './options.ts';
import { OrderedReplies, type Answered } from './ordered-replies.ts';
import { pushEnvelope } from './push.ts';
import { ErrorCode, MplError, readWireError, replyMarkers, type MplEnvelope, type PayloadOf, type StypeId } from './sdk.ts';
import { CloseCode, tooLargeReason, type ServerSocket } from './socket.ts';

const encoder = new TextEncoder();

/** How many of its latest pushes a session remembers, to know a peer's reply to one. */
const PUSHES_REMEMBERED = 256;
/**
 * How many of those its snapshot keeps: a Durable Object hibernates only after a quiet
 * spell, so a reply that wakes it answers one of the last pushes before it; 32 ids keep
 * an attachment about 1.2 KB larger.
 */
export const PUSHES_IN_SNAPSHOT = 32;

/** A timer that does not keep a Node process alive by itself (the server's socket does that), at most the 24.8 days timers allow. */
function later(callback: () => void, ms: number): ReturnType<typeof setTimeout> {
  const timer = setTimeout(callback, Math.min(ms, MAX_TIMER_MS));
  (timer as { unref?: () => void }).unref?.();
  return timer;
}

/** The UTF-8 length of `text` when it may exceed `limit`, computed only when it matters. */
function tooLarge(text: string, limit: number): boolean {
  if (text.length > limit) return true;
  return text.length * 3 > limit && encoder.encode(text).length > limit;
}

/**
 * What a session negotiated, kept across a Durable Object's hibernation (a socket
 * attachment) so the session can be rebuilt when the object wakes.
 *
 * @example
 * ws.serializeAttachment(session.snapshot());
 */
export interface SessionSnapshot {
  path: string;
  handshaken: boolean;
  commonStypes: string[];
  profile: string | null;
  hellos: number;
  /**
   * Ids of the latest envelopes pushed to the peer (at most 32, oldest first): its reply
   * to one of them that arrives after a wake is still known as a reply, not taken for a request.
   */
  pushed?: string[];
  /**
   * Before its handshake: when the peer was last heard from (ms since 1970, to within half
   * of `limits.helloTimeoutMs`), so a session rebuilt after a wake keeps its quiet time.
   */
  heardAt?: number;
}

/** What a session tells the server that owns it. */
export interface SessionHooks {
  onHandshake(session: PeerSession): void;
  onClose(session: PeerSession): void;
}

/**
 * One WebSocket peer: its handshake, its frames answered in order, its pushes. Adapters
 * feed it frames (`receive`) and tell it when the socket closed (`closed`).
 *
 * @example
 * server.onHandshake((session) => session.push('org.agent.Heartbeat.v1', { status: 'alive' }));
 */
export class PeerSession {
  #common: readonly string[] = [];
  #profile: string | null = null;
  #handshaken = false;
  #hellos = 0;
  /** Counts the changes to the snapshot: hellos answered and pushes sent. */
  #revision = 0;
  #open = true;
  /** Set by `drain`: envelopes are refused, not handled. */
  #draining = false;
  readonly #replies: OrderedReplies;
  /** Ids of the latest envelopes pushed to this peer. */
  readonly #pushed = new Set<string>();
  /** Called when the socket closes: the handlers still running for this peer are told (see `whenClosed`). */
  readonly #onClosed = new Set<() => void>();
  /** Until the handshake: when the peer last sent a frame (or opened), and the timer that closes it once quiet too long (`limits.helloTimeoutMs`). */
  #awaitingHello = false;
  #heardAt = 0;
  /** The `heardAt` the last snapshot gave. */
  #heardAtShown = 0;
  #quietTimer: ReturnType<typeof setTimeout> | undefined;

  /** @internal Made by the server's `accept`. */
  constructor(private readonly core: Core, private readonly socket: ServerSocket, readonly path: string, private readonly hooks: SessionHooks, restored?: SessionSnapshot) {
    this.#replies = new OrderedReplies((frame) => this.#send(frame));
    if (restored) {
      this.#handshaken = restored.handshaken;
      this.#common = restored.commonStypes;
      this.#profile = restored.profile;
      this.#hellos = restored.hellos;
      for (const id of restored.pushed ?? []) this.#pushed.add(id);
    }
    if (!this.#handshaken) this.#awaitHello(restored?.heardAt);
  }

  /** What this session negotiated, to rebuild it later (`server.accept(socket, path, snapshot)`). */
  snapshot(): SessionSnapshot {
    const pushed: string[] = [];
    let skip = this.#pushed.size - PUSHES_IN_SNAPSHOT;
    for (const id of this.#pushed) if (skip-- <= 0) pushed.push(id);
    const snapshot: SessionSnapshot = { path: this.path, handshaken: this.#handshaken, commonStypes: [...this.#common], profile: this.#profile, hellos: this.#hellos, pushed };
    if (this.#awaitingHello) snapshot.heardAt = this.#heardAtShown = this.#heardAt;
    return snapshot;
  }

  /**
   * Grows with every change to {@link PeerSession.snapshot}: each hello answered, each
   * envelope pushed. Store the snapshot again when it differs from the one stored with it.
   * It counts changes in this object only: a session rebuilt from a snapshot starts again
   * at 0, so compare it with what was stored since then, not with a value kept across a wake.
   *
   * @example
   * if (session.revision !== stored) ws.serializeAttachment(session.snapshot());
   */
  get revision(): number {
    return this.#revision;
  }

  /**
   * How many hellos the session has answered (limited by `limits.maxHellos`). The snapshot
   * changes with pushes too: to know when to store it again, use {@link PeerSession.revision}.
   *
   * @example
   * console.log(`${session.path}: ${session.hellos} handshakes`);
   */
  get hellos(): number {
    return this.#hellos;
  }

  /** True once the peer completed an AI-ALPN handshake. */
  get handshaken(): boolean {
    return this.#handshaken;
  }

  /** The STypes negotiated in the last handshake, as ids (`org.calendar.Event.v1`, however the peer spelled them). */
  get commonStypes(): readonly string[] {
    return this.#common;
  }

  /** The QoM profile negotiated in the last handshake, or null. */
  get profile(): string | null {
    return this.#profile;
  }

  /** Until the socket closed, or began to close (where the runtime says: Node's `ws`). */
  get isOpen(): boolean {
    return this.#open && this.socket.isOpen?.() !== false;
  }

  /**
   * @internal Calls `callback` when the socket closes (either side), at once if it has;
   * returns the function that forgets it. A set, not an AbortSignal's listeners: a session
   * runs many handlers at once, and Node warns past ten listeners on one signal.
   */
  whenClosed(callback: () => void): () => void {
    if (!this.#open) {
      callback();
      return () => {};
    }
    this.#onClosed.add(callback);
    return () => this.#onClosed.delete(callback);
  }

  /**
   * Sends a hashed envelope to this peer, outside the reply stream. Resolves with the
   * envelope sent; rejects with an `MplError` when the SType was not negotiated, the
   * payload is not valid under its schema, or the session is closed.
   *
   * @example
   * await ctx.session?.push('org.agent.TaskPlan.v1', { id: 'plan-1', title: 'Review', objective: 'Book it' });
   */
  async push<S extends StypeId>(stype: S, payload: NoInfer<PayloadOf<S>>): Promise<MplEnvelope<PayloadOf<S>>> {
    const envelope = await pushEnvelope(this.core, stype, payload);
    if (!this.#common.includes(envelope.stype)) {
      throw new MplError(ErrorCode.StypeNotNegotiated, `Cannot push ${envelope.stype}: this session did not negotiate it`, { details: { stype: envelope.stype, commonStypes: [...this.#common] } });
    }
    if (!this.deliver(envelope)) throw new MplError(ErrorCode.ConnectionFailed, `Cannot push ${envelope.stype}: the session is closed`, { details: { stype: envelope.stype } });
    return envelope as MplEnvelope<PayloadOf<S>>;
  }

  /** @internal Sends a pushed envelope with this session's profile; false when closed. */
  deliver(envelope: MplEnvelope): boolean {
    if (!this.#open) return false;
    if (this.socket.isOpen?.() === false) {
      this.closed(); // the link is closing: nothing sent now would arrive
      return false;
    }
    this.#pushed.add(envelope.id);
    if (this.#pushed.size > PUSHES_REMEMBERED) this.#pushed.delete(this.#pushed.values().next().value!);
    this.#revision += 1;
    this.#send(JSON.stringify(this.#profile === null ? envelope : envelope.with({ profile: this.#profile })));
    return true;
  }

  /**
   * Closes the socket (a close handshake), its reason cut to the protocol's 123 bytes. A
   * close the runtime refuses (a code no peer may send) is reported, and the connection cut
   * instead: a session must never outlive its place in `server.sessions` as an open socket.
   */
  close(code: number = 1000, reason = ''): void {
    if (!this.#open) return;
    try {
      this.socket.close(code, closeReason(reason));
    } catch (error) {
      this.core.reportError(error, { transport: 'ws' });
      try {
        this.socket.terminate?.();
      } catch {
        // Nothing more can be done for a socket that neither closes nor terminates.
      }
    }
    this.closed();
  }

  /** Resolves once every frame read so far is answered (what a graceful shutdown waits for), whatever the peer sends meanwhile. */
  idle(): Promise<void> {
    return this.#replies.settled();
  }

  /**
   * @internal The server is shutting down (its `drain`): envelopes read from now on are
   * answered `E-OVERLOADED` at once instead of going to a handler, so a peer that keeps
   * sending neither holds the shutdown for its whole grace nor loses requests to the close.
   * Resolves as {@link PeerSession.idle}.
   */
  drain(): Promise<void> {
    this.#draining = true;
    return this.idle();
  }

  /** Cuts the connection without a close handshake where the runtime can, as a crash would. */
  terminate(): void {
    if (!this.#open) return;
    if (this.socket.terminate) this.socket.terminate();
    else this.close(CloseCode.GoingAway, 'terminated');
    this.closed();
  }

  /**
   * Adapters: one frame from the peer, text or binary. Never throws; resolves once the
   * frame is answered (a Durable Object awaits it, so the object stays until the answer is out).
   */
  async receive(data: string | ArrayBuffer | ArrayBufferView): Promise<void> {
    if (!this.#open) return;
    if (this.#awaitingHello) this.#heard();
    const { limits } = this.core;
    const oversized = typeof data === 'string' ? tooLarge(data, limits.maxFrameBytes) : data.byteLength > limits.maxFrameBytes;
    if (oversized) return this.close(CloseCode.MessageTooBig, tooLargeReason(limits.maxFrameBytes));
    if (this.#replies.size >= limits.maxInFlight) return this.close(CloseCode.PolicyViolation, `more than ${limits.maxInFlight} frames awaiting an answer`);
    if (typeof data !== 'string') {
      try {
        return await this.#binary(data);
      } catch (error) {
        return this.core.reportError(error, { transport: 'ws' }); // never a rejection the adapter drops
      }
    }
    await this.#replies.add(this.#answer(data).catch((error: unknown) => {
      this.core.reportError(error, { transport: 'ws' });
      return { frames: [JSON.stringify({ error: ErrorCode.Internal, message: 'The server failed on this frame' })] };
    }));
  }

  /** Adapters: the socket closed (either side). */
  closed(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#stopWaitingForHello();
    for (const callback of this.#onClosed) callback();
    this.#onClosed.clear();
    this.hooks.onClose(this);
  }

  /**
   * Until its handshake a session can get nothing but the answers to what it sends: a peer
   * that neither says hello nor asks anything for `limits.helloTimeoutMs` only holds one of
   * the `maxSessions` places (a few silent sockets would lock every client out), and is
   * closed with 1001, as idle connections are (a client that talks without a hello may come
   * back: clients reconnect after 1001, not after 1008). Each frame starts the time again;
   * nothing is closed while its frames are still being answered. One timer, moved on only
   * when it fires; a server found full by a newcomer also closes such sessions at once
   * (`closeIfQuiet`), which is all a socket that `hibernates` gets (a pending timer would
   * keep its Durable Object awake).
   */
  #awaitHello(heardAt?: number): void {
    const limit = this.core.limits.helloTimeoutMs;
    if (!Number.isFinite(limit)) return;
    this.#awaitingHello = true;
    const now = Date.now();
    this.#heardAt = this.#heardAtShown = heardAt !== undefined && heardAt < now ? heardAt : now;
    if (this.socket.hibernates) return;
    const check = (): void => {
      this.#quietTimer = undefined;
      if (this.closeIfQuiet() || !this.#open || !this.#awaitingHello) return;
      const quiet = Date.now() - this.#heardAt;
      this.#quietTimer = later(check, quiet >= limit ? limit : limit - quiet);
    };
    this.#quietTimer = later(check, Math.max(limit - (now - this.#heardAt), 0));
  }

  /** The peer sent something: its quiet time starts again (a snapshot changes once it is half the limit behind). */
  #heard(): void {
    this.#heardAt = Date.now();
    if (this.#heardAt - this.#heardAtShown >= this.core.limits.helloTimeoutMs / 2) this.#revision += 1;
  }

  #stopWaitingForHello(): void {
    this.#awaitingHello = false;
    if (this.#quietTimer === undefined) return;
    clearTimeout(this.#quietTimer);
    this.#quietTimer = undefined;
  }

  /**
   * @internal Closes the session (1001) if it has made no handshake and been quiet for
   * `limits.helloTimeoutMs`, with none of its frames still being answered; true if it did.
   */
  closeIfQuiet(): boolean {
    if (!this.#open || !this.#awaitingHello || this.#replies.size > 0) return false;
    const limit = this.core.limits.helloTimeoutMs;
    if (Date.now() - this.#heardAt < limit) return false;
    this.close(CloseCode.GoingAway, `no AI-ALPN handshake and no frame for ${limit} ms`);
    return true;
  }

  #send(frame: string | Uint8Array<ArrayBuffer>): void {
    if (!this.#open) return;
    try {
      this.socket.send(frame);
    } catch (error) {
      this.core.reportError(error, { transport: 'ws' });
    }
    // A peer that does not read: cut off before its frames fill the server's memory; nothing more goes to it.
    if ((this.socket.buffered?.() ?? 0) > this.core.limits.maxBufferedBytes) this.terminate();
  }

  #record(entry: Omit<InboundRecord, 'transport' | 'path'>): void {
    this.core.record({ transport: 'ws', path: this.path, ...entry });
  }

  async #binary(data: ArrayBuffer | ArrayBufferView): Promise<void> {
    this.#record({ kind: 'binary', wire: data.byteLength, valid: false, hashOk: undefined, errors: ['binary frame'], blocked: this.core.binaryFrames === 'close' });
    if (this.core.binaryFrames === 'close') return this.close(CloseCode.UnsupportedData, 'binary frames are not MPL');
    const bytes = ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice() : new Uint8Array(data.slice(0));
    return this.#replies.add(Promise.resolve({ frames: [bytes] }));
  }

  async #answer(text: string): Promise<Answered> {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return this.#unknown(text, undefined, 'not JSON');
    }
    if (isHello(value)) return this.#hello(value);
    if (looksLikeEnvelope(value)) return this.#answersPush(value) ? this.#pushReply(value) : this.#envelope(value);
    const wrapped = wrappedEnvelope(value);
    if (wrapped) return this.#answersPush(wrapped) ? this.#pushReply(wrapped) : this.#envelope(wrapped, true);
    if (this.core.unknownFrames === 'error') {
      const error = readWireError(value);
      if (error) return this.#peerError(value, error);
    }
    return this.#unknown(text, value, 'neither an AI-ALPN hello nor an MPL envelope');
  }

  /** True for an envelope that names one of this session's pushes (`in_reply_to`…, or the push's own id, as upstream's TypeScript SDK does). */
  #answersPush(wire: Record<string, unknown>): boolean {
    return this.#pushed.size > 0 && (this.#pushed.has(wire['id'] as string) || replyMarkers(wire).some((id) => this.#pushed.has(id)));
  }

  /**
   * A peer's reply to a push: checked and recorded, not handed to a handler nor answered.
   * It is no request: an answer would be a reply to a reply, which a peer that answers
   * what it is sent would answer again, without end.
   */
  async #pushReply(wire: Record<string, unknown>): Promise<Answered> {
    if (!this.core.recording) return { frames: [] }; // checked only to be recorded
    const inspection = await inspectEnvelope(this.core, wire);
    this.#record({ kind: 'reply', wire, valid: passed(inspection), hashOk: inspection.hashOk, errors: inspection.errors, blocked: false });
    return { frames: [] };
  }

  /**
   * A peer's MPL error (about a push it could not take): recorded, not answered. It is no
   * request, so an id-less answer would be taken by the peer for the answer to its oldest
   * pending request, and two peers that answer errors with errors would never stop.
   */
  #peerError(value: unknown, error: MplError): Answered {
    this.#record({ kind: 'error', wire: value, valid: false, hashOk: undefined, errors: [`${error.code}: ${clip(error.message)}`], blocked: false });
    return { frames: [] };
  }

  #unknown(text: string, value: unknown, problem: string): Answered {
    this.#record({ kind: 'text', wire: value ?? text, valid: false, hashOk: undefined, errors: [problem], blocked: false });
    // A frame with an id of its own is named, so that a peer matching answers by name knows which of its requests failed.
    const id = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)['id'] : undefined;
    const frame = this.core.unknownFrames === 'passthrough'
      ? { type: 'passthrough', message: text }
      : {
        error: 'E-INVALID-ENVELOPE', message: `Expected an AI-ALPN hello or an MPL envelope: the frame is ${problem}`, details: [clip(text)],
        ...(typeof id === 'string' && id !== '' ? { in_reply_to: id } : {}),
      };
    return { frames: [JSON.stringify(frame)] };
  }

  #hello(value: unknown): Answered {
    this.#hellos += 1;
    this.#revision += 1;
    if (this.#hellos > this.core.limits.maxHellos) {
      this.#record({ kind: 'hello', wire: value, valid: false, hashOk: undefined, errors: ['too many handshakes'], blocked: true });
      // Closed in turn, once the answers to the frames before it are out.
      return { frames: [], after: () => this.close(CloseCode.PolicyViolation, `more than ${this.core.limits.maxHellos} handshakes`) };
    }
    const answer = answerHello(this.core, value);
    this.#record({ kind: 'hello', wire: value, valid: answer.ok, hashOk: undefined, errors: answer.ok ? [] : [answer.problem], blocked: !answer.ok });
    if (!answer.ok) {
      return { frames: [JSON.stringify({ type: 'ai-alpn-error', message: `Invalid hello: ${answer.problem}`, reason: 'invalid-hello', server_stypes: [...this.core.stypes] })] };
    }
    const reply = answer.reply;
    if (reply.type === 'ai-alpn-error') return { frames: [JSON.stringify(reply)] };
    this.#profile = reply.selected_profile; // the requests after the hello are answered under it
    const common = [...new Set(reply.common_stypes.map(stypeId))];
    return {
      frames: [JSON.stringify(reply)],
      // What may be pushed changes as the select goes out, in its turn: no push of a newly
      // negotiated SType may reach the peer before the select that negotiated it.
      before: () => {
        this.#handshaken = true;
        this.#stopWaitingForHello();
        this.#common = common;
      },
      after: () => this.hooks.onHandshake(this),
    };
  }

  /** An envelope's answer; `wrapped`: it came as A2A's `{"mpl_envelope": …}`, and its reply goes back so. */
  async #envelope(wire: Record<string, unknown>, wrapped = false): Promise<Answered> {
    if (this.#draining) return this.#refused(wire);
    const outcome = await exchange(this.core, wire, { transport: 'ws', session: this, http: undefined, negotiatedProfile: this.#profile ?? undefined });
    const { answer, requestId, inspection } = outcome;
    this.#record({ kind: 'envelope', wire, valid: outcome.valid, hashOk: inspection.hashOk, errors: inspection.errors, blocked: outcome.blocked });
    const named = this.core.replies === 'envelope' && requestId !== undefined;
    if (answer.kind === 'error') return { frames: [JSON.stringify(named ? { ...answer.body, in_reply_to: requestId } : answer.body)] };
    if (!named) return { frames: [JSON.stringify(proxyFrame(answer))] };
    const text = replyText(this.core, answer, requestId);
    return { frames: [wrapped ? wrapReply(text) : text] };
  }

  /** An envelope read while the server drains: not handled, answered at once (named, as `#envelope` names its answers). */
  #refused(wire: Record<string, unknown>): Answered {
    this.#record({ kind: 'envelope', wire, valid: false, hashOk: undefined, errors: ['the server is shutting down'], blocked: true });
    const id = wire['id'];
    const named = this.core.replies === 'envelope' && typeof id === 'string' && id !== '';
    return { frames: [shuttingDown(named ? id : undefined)] };
  }
}

/** The answer to an envelope read while the server shuts down. */
function shuttingDown(id: string | undefined): string {
  return JSON.stringify({
    error: ErrorCode.Overloaded,
    message: 'The server is shutting down: the envelope was not handled. Send it again once reconnected.',
    details: { shutting_down: true },
    ...(id !== undefined ? { in_reply_to: id } : {}),
  });
}

/** Most bytes of UTF-8 a close frame's reason may hold (RFC 6455 §5.5: 125 with the code). */
const MAX_CLOSE_REASON_BYTES = 123;

/** `reason` cut to `MAX_CLOSE_REASON_BYTES` of UTF-8, at a character's end. */
function closeReason(reason: string): string {
  if (reason.length <= MAX_CLOSE_REASON_BYTES / 3) return reason; // short enough whatever it holds
  let bytes = 0;
  let end = 0;
  for (const char of reason) {
    const point = char.codePointAt(0)!;
    bytes += point < 0x80 ? 1 : point < 0x800 ? 2 : point < 0x10000 ? 3 : 4;
    if (bytes > MAX_CLOSE_REASON_BYTES) break;
    end += char.length;
  }
  return reason.slice(0, end);
}
