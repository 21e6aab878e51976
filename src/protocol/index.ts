export { SType } from './stype.ts';
export type * from './payloads.ts';
export { MplEnvelope, newEnvelopeId, type MplEnvelopeInit, type WireEnvelope } from './envelope.ts';
export {
  ALPN_VERSION, createHello, readHandshakeReply, isHandshakeMessage,
  type AlpnHello, type AlpnSelect, type AlpnError, type NegotiatedCapabilities, type Downgrade, type ServerTool,
} from './handshake.ts';
export type { Provenance, WireProvenance, QomReport, JsonValue } from './types.ts';
export { QomProfile, metricsFromReport, readQomReport, type QomReportReading, type ReportedQomFailure, type QomMetricName, type QomMetrics, type QomThreshold, type QomRetryPolicy, type QomFailure, type QomEvaluation, type QomProfileJSON, type ProfileSource } from './qom.ts';
export { readWireError, type WireErrorContext } from './peer-error.ts';
export { readPeerReply, replyMarkers, looksLikeEnvelope, type PeerReply, type ReplyContext } from './peer-reply.ts';
