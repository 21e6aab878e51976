import { NegotiationError } from '../errors/negotiation-error.ts';
import { createHello, readHandshakeReply, type AlpnHello, type NegotiatedCapabilities } from '../protocol/handshake.ts';
import { SType } from '../protocol/stype.ts';
import { stringsIn } from '../protocol/json.ts';

/** What the client offers in its hello. */
export interface Offer {
  stypes: readonly string[];
  qomProfile?: string | undefined;
}

/** The hello frame for an offer (`stypes` always present, even empty: the proxy requires it). */
export function helloFor(offer: Offer): AlpnHello {
  return createHello({ stypes: offer.stypes, ...(offer.qomProfile ? { qomProfiles: [offer.qomProfile] } : {}) });
}

/** An SType's id (`org.calendar.Event.v1`), from it in any form; what is no SType, as it is. @internal */
export const idOf = (stype: string): string => SType.tryParse(stype)?.id ?? stype;

/** The errors `negotiate` threw for an answer that was no AI-ALPN reply at all (not a refusal). */
const unreadable = new WeakSet<NegotiationError>();

/**
 * Whether `negotiate` threw `error` because the server's answer was not AI-ALPN at all:
 * nothing was refused, so a reconnection tries again, as after a silent server.
 */
export const isUnreadableAnswer = (error: unknown): boolean => error instanceof NegotiationError && unreadable.has(error);

/**
 * Reads the server's answer to the hello (any accepting or refusing form) into
 * capabilities whose common STypes are those the client offered and the server listed:
 * a select never widens the offer. Throws `NegotiationError` when the server refuses,
 * answers with something that is not AI-ALPN, or has none of the offered STypes.
 */
export function negotiate(reply: unknown, offer: Offer): NegotiatedCapabilities {
  const clientStypes = [...offer.stypes];
  let result: ReturnType<typeof readHandshakeReply>;
  try {
    result = readHandshakeReply(reply);
  } catch (cause) {
    const error = new NegotiationError({ reason: `the server did not answer the hello with an AI-ALPN reply (${(cause as Error).message})`, clientStypes, serverStypes: [] }, { cause, details: { received: reply } });
    unreadable.add(error);
    throw error;
  }
  if (!result.ok) {
    const { reason, message, code, server_stypes: serverStypes = [] } = result.error;
    const said = reason ?? message ?? 'the server refused the handshake';
    const why = code ? `${code}: ${said}` : said;
    // The server's own words go into the message too when it gave a reason code beside them.
    const words = reason !== undefined && message !== undefined && message !== reason ? ` (${message})` : '';
    throw new NegotiationError({ reason: why, clientStypes, serverStypes, message: `AI-ALPN negotiation failed: ${why}${words}` }, { details: { server: reply } });
  }
  const { capabilities } = result;
  const listed = new Set(capabilities.commonStypes.map(idOf));
  const common = clientStypes.filter((s) => listed.has(idOf(s)));
  if (clientStypes.length > 0 && common.length === 0) {
    const serverStypes = stringsIn((reply as { server_stypes?: unknown }).server_stypes);
    throw new NegotiationError({ reason: 'no SType offered by the client is supported by the server', clientStypes, serverStypes }, { details: { server: reply, noCommonStypes: true } });
  }
  return { ...capabilities, commonStypes: common };
}
