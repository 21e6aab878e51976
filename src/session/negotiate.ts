import { isWireError } from '../errors/from-wire.ts';
import { NegotiationError } from '../errors/negotiation-error.ts';
import { createHello, readHandshakeReply, type AlpnHello, type NegotiatedCapabilities } from '../protocol/handshake.ts';

/** What the client offers in its hello. */
export interface Offer {
  stypes: readonly string[];
  qomProfile?: string | undefined;
}

/** The hello frame for an offer (`stypes` always present, even empty: the proxy requires it). */
export function helloFor(offer: Offer): AlpnHello {
  return createHello({ stypes: offer.stypes, ...(offer.qomProfile ? { qomProfiles: [offer.qomProfile] } : {}) });
}

/**
 * Reads the server's answer to the hello (any of the accepting variants, or
 * `ai-alpn-error`) into capabilities. Throws `NegotiationError` when the server refuses,
 * answers with something that is not AI-ALPN, or has none of the offered STypes.
 */
export function negotiate(reply: unknown, offer: Offer): NegotiatedCapabilities {
  const clientStypes = [...offer.stypes];
  if (isWireError(reply)) {
    throw new NegotiationError({ reason: `${reply.error}: ${reply.message ?? 'the server refused the hello'}`, clientStypes, serverStypes: [] }, { details: { server: reply } });
  }
  let result: ReturnType<typeof readHandshakeReply>;
  try {
    result = readHandshakeReply(reply);
  } catch (cause) {
    throw new NegotiationError({ reason: `the server did not answer the hello with an AI-ALPN reply (${(cause as Error).message})`, clientStypes, serverStypes: [] }, { cause, details: { received: reply } });
  }
  if (!result.ok) {
    const { reason, message, server_stypes: serverStypes = [] } = result.error;
    throw new NegotiationError({ reason: reason ?? message ?? 'the server refused the handshake', clientStypes, serverStypes }, { details: { server: result.error } });
  }
  const { capabilities } = result;
  if (clientStypes.length > 0 && capabilities.commonStypes.length === 0) {
    const serverStypes = stringsOf((reply as { server_stypes?: unknown }).server_stypes);
    throw new NegotiationError({ reason: 'no SType offered by the client is supported by the server', clientStypes, serverStypes }, { details: { server: reply, noCommonStypes: true } });
  }
  return capabilities;
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((s): s is string => typeof s === 'string') : [];
}
