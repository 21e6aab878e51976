// The two reference servers every runtime's server program runs, by the same definition
// (demo/server/definition.ts): the reference one with its test-control endpoint, and the
// proxy-like strict one (production, id-less replies, `ai-alpn-response`).
import type { ReferenceServerOptions } from '../../../demo/server/options.ts';

export const SERVER_CONFIGS: Record<'reference' | 'strict', ReferenceServerOptions> = {
  reference: { control: true },
  strict: { mode: 'production', replies: 'id-less', handshakeReplyType: 'ai-alpn-response' },
};

/** The line a server program prints once both servers listen: `@@mpl-server {"reference":port,"strict":port}`. */
export const READY_MARK = '@@mpl-server ';
